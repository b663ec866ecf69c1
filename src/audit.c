/*
 * audit.c -- the local audit trail of personal data shown unmasked.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "conf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

int
audit_reveal(struct cache *c, const char *profile, enum sd_kind k, const char *id,
    char **cause)
{
	char *dir = config_xdg_dir("state"), *path, ts[RFC3339_LEN], *line, *who;
	int fd, rc = 0;

	who = cache_state_get(c, "me.login");
	path = xasprintf("%s/shopdesk/audit.log", dir);
	*strrchr(path, '/') = '\0';
	config_mkdirs(path);
	path[strlen(path)] = '/';
	time_format_rfc3339(time(NULL), ts);
	line = xasprintf("%s profile=%s user=%s reveal %s %s\n", ts,
	    profile != NULL ? profile : "?", who != NULL ? who : "?", kind_info(k)->name, id);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) == -1 ||
	    write(fd, line, strlen(line)) < 0) {
		*cause = xasprintf("cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (fd != -1)
		close(fd);
	free(line);
	free(path);
	free(dir);
	free(who);
	return rc;
}
