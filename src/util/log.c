/*
 * log.c -- append-only debug log with timestamps.
 */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "timeutil.h"

static FILE *log_file;

void
log_open(const char *path)
{
	int fd;

	log_close();
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) == -1)
		return;
	if ((log_file = fdopen(fd, "a")) == NULL)
		close(fd);
	else
		setvbuf(log_file, NULL, _IOLBF, 0);
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

void
log_debug(const char *fmt, ...)
{
	char ts[RFC3339_LEN];
	va_list ap;

	if (log_file == NULL)
		return;
	time_format_rfc3339(time(NULL), ts);
	fprintf(log_file, "%s [%ld] ", ts, (long)getpid());
	va_start(ap, fmt);
	vfprintf(log_file, fmt, ap);
	va_end(ap);
	fputc('\n', log_file);
}
