/*
 * export.c -- lists written as CSV for people (export.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define EXPORT_PAGE	500	/* rows read from the cache at a time */

struct csv_writer {
	FILE		*out;
	enum sd_kind	 kind;
	const struct column *cols;
	int		 mask;
	long		 rows;
	time_t		 now;
	struct buf	 line;
	struct buf	 cell;
};

void
csv_field(struct buf *line, const char *s, int numeric)
{
	const char *p;

	if (!numeric && (*s == '=' || *s == '+' || *s == '-' || *s == '@'))
		buf_addc(line, '\'');
	if (strpbrk(s, ",\"\n") == NULL && *s != ' ') {
		buf_adds(line, s);
		return;
	}
	buf_addc(line, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_addc(line, '"');
		buf_addc(line, *p);
	}
	buf_addc(line, '"');
}

struct csv_writer *
csv_writer_new(FILE *out, enum sd_kind k, const struct column *cols,
    const char *const *headers, int bom, int mask)
{
	struct csv_writer *w = xcalloc(1, sizeof *w);
	const struct column *c;

	w->out = out;
	w->kind = k;
	w->cols = cols;
	w->mask = mask;
	w->now = time(NULL);
	buf_init(&w->line);
	buf_init(&w->cell);
	if (bom)
		fputs("\xef\xbb\xbf", out);
	for (c = cols; c->header != NULL; c++) {
		if (c != cols)
			buf_addc(&w->line, ',');
		csv_field(&w->line, headers != NULL ? headers[c - cols] : c->path, 0);
	}
	fprintf(out, "%s\n", buf_str(&w->line));
	return w;
}

void
csv_writer_row(struct csv_writer *w, const char *json)
{
	const struct column *c;
	cJSON *obj = cJSON_Parse(json);

	if (obj == NULL)
		return;
	if (w->mask)
		model_mask_object(w->kind, obj);
	buf_reset(&w->line);
	for (c = w->cols; c->header != NULL; c++) {
		buf_reset(&w->cell);
		column_text(obj, c, COLUMN_EXPORT, w->now, &w->cell);
		if (c != w->cols)
			buf_addc(&w->line, ',');
		csv_field(&w->line, buf_str(&w->cell), column_numeric(c));
	}
	fprintf(w->out, "%s\n", buf_str(&w->line));
	cJSON_Delete(obj);
	w->rows++;
}

long
csv_writer_rows(const struct csv_writer *w)
{
	return w->rows;
}

long
csv_writer_free(struct csv_writer **wp)
{
	struct csv_writer *w = *wp;
	long rows;

	if (w == NULL)
		return 0;
	rows = w->rows;
	buf_done(&w->line);
	buf_done(&w->cell);
	free(w);
	*wp = NULL;
	return rows;
}

int
export_open(struct export_file *e, const char *path, int force, char **cause)
{
	struct stat sb;
	int fd;

	memset(e, 0, sizeof e[0]);
	if (*path == '\0') {
		*cause = xstrdup("no file named to export to");
		return -1;
	}
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("%s is a directory; name a file", path);
		return -1;
	}
	if (!force) {
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) == -1) {
			if (errno == EEXIST)
				*cause = xasprintf("%s exists (export! %s replaces it)", path, path);
			else
				*cause = xasprintf("cannot create %s: %s", path, strerror(errno));
			return -1;
		}
	} else {
		e->tmp = xasprintf("%s.XXXXXX", path);
		if ((fd = mkstemp(e->tmp)) == -1) {
			*cause = xasprintf("cannot write beside %s: %s", path, strerror(errno));
			free(e->tmp);
			e->tmp = NULL;
			return -1;
		}
		/* mkstemp makes it 0600: give it the mode a new file would have. */
		if (stat(path, &sb) == 0)
			(void)fchmod(fd, sb.st_mode & 07777);
		else {
			mode_t um = umask(0);

			umask(um);
			(void)fchmod(fd, 0666 & ~um);
		}
	}
	if ((e->f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(e->tmp != NULL ? e->tmp : path);
		free(e->tmp);
		e->tmp = NULL;
		return -1;
	}
	e->path = xstrdup(path);
	return 0;
}

int
export_close(struct export_file *e, int ok, char **cause)
{
	const char *written = e->tmp != NULL ? e->tmp : e->path;
	int rc = 0, err = 0;

	if (e->f == NULL)
		return 0;
	if (fflush(e->f) != 0 || ferror(e->f) || fsync(fileno(e->f)) != 0)
		err = errno != 0 ? errno : EIO;
	if (fclose(e->f) != 0 && err == 0)
		err = errno;
	e->f = NULL;
	if (err != 0 && ok) {
		*cause = xasprintf("cannot write %s: %s", e->path, strerror(err));
		ok = 0;
	}
	if (ok && e->tmp != NULL && rename(e->tmp, e->path) != 0) {
		*cause = xasprintf("cannot replace %s: %s", e->path, strerror(errno));
		ok = 0;
	}
	if (!ok) {
		unlink(written);
		rc = -1;
	}
	free(e->tmp);
	free(e->path);
	memset(e, 0, sizeof e[0]);
	return rc;
}

static int
export_on_row(void *arg, const char *json)
{
	csv_writer_row(arg, json);
	return 0;
}

int
export_query(struct cache *cache, const struct query *q0, struct csv_writer *w,
    char **cause)
{
	struct query q = *q0;
	char *after = NULL, *next = NULL;
	int rc = 0;

	do {
		q.after = after;
		q.limit = EXPORT_PAGE;
		if (cache_query(cache, &q, export_on_row, w, &next, cause) != 0) {
			rc = -1;
			break;
		}
		free(after);
		after = next;
		next = NULL;
	} while (after != NULL);
	free(after);
	return rc;
}
