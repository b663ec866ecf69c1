/*
 * audit.c -- the local audit trail of personal data shown unmasked.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "conf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

char *
audit_path(void)
{
	char *dir = config_xdg_dir("state"), *path;

	path = xasprintf("%s/shopdesk/audit.log", dir);
	free(dir);
	return path;
}

struct audit_trail {
	int	 fd;
	char	*path;
	char	*head;		/* "profile=P user=U" */
};

struct audit_trail *
audit_trail_open(struct cache *c, const char *profile, char **cause)
{
	struct audit_trail *t;
	char *who, *p;

	t = xcalloc(1, sizeof *t);
	/* One line per reveal: nothing from the store may break a line in two. */
	if ((who = cache_state_get(c, "me.login")) != NULL)
		for (p = who; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && strchr("._@-", *p) == NULL)
				*p = '?';
	t->head = xasprintf("profile=%s user=%s", profile != NULL ? profile : "?",
	    who != NULL ? who : "?");
	free(who);
	t->path = audit_path();
	*strrchr(t->path, '/') = '\0';
	config_mkdirs(t->path);
	t->path[strlen(t->path)] = '/';
	if ((t->fd = open(t->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		*cause = xasprintf("cannot write %s: %s", t->path, strerror(errno));
		audit_trail_close(t);
		return NULL;
	}
	return t;
}

int
audit_trail_record(struct audit_trail *t, enum sd_kind k, const char *id, char **cause)
{
	char ts[RFC3339_LEN], *line;
	int rc = 0;

	time_format_rfc3339(time(NULL), ts);
	line = xasprintf("%s %s reveal %s %s\n", ts, t->head, kind_info(k)->name, id);
	/* O_APPEND: one write() is one whole line, even beside another shopdesk. */
	if (write(t->fd, line, strlen(line)) != (ssize_t)strlen(line)) {
		*cause = xasprintf("cannot write %s: %s", t->path, strerror(errno));
		rc = -1;
	}
	free(line);
	return rc;
}

void
audit_trail_close(struct audit_trail *t)
{
	if (t == NULL)
		return;
	if (t->fd != -1)
		close(t->fd);
	free(t->path);
	free(t->head);
	free(t);
}

int
audit_reveal(struct cache *c, const char *profile, enum sd_kind k, const char *id,
    char **cause)
{
	struct audit_trail *t;
	int rc;

	if ((t = audit_trail_open(c, profile, cause)) == NULL)
		return -1;
	rc = audit_trail_record(t, k, id, cause);
	audit_trail_close(t);
	return rc;
}

int
audit_reveals(const char *profile, const char *since, audit_reveal_fn fn, void *arg,
    char **cause)
{
	struct audit_reveal_rec r;
	char *path = audit_path(), *line = NULL, *f[6], *p, *sp;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;
	int n, rc = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		if (errno != ENOENT) {
			*cause = xasprintf("cannot read %s: %s", path, strerror(errno));
			rc = -1;
		}
		free(path);
		return rc;
	}
	/* "TIME profile=P user=U reveal KIND ID" */
	while (rc == 0 && (len = getline(&line, &cap, fp)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		for (n = 0, p = line; n < 6 && p != NULL; n++) {
			f[n] = p;
			if ((sp = strchr(p, ' ')) != NULL)
				*sp++ = '\0';
			p = sp;
		}
		if (n < 6 || strncmp(f[1], "profile=", 8) != 0 ||
		    strncmp(f[2], "user=", 5) != 0 || strcmp(f[3], "reveal") != 0)
			continue;	/* not a line this version writes */
		if (profile != NULL && strcmp(f[1] + 8, profile) != 0)
			continue;
		if (since != NULL && strcmp(f[0], since) < 0)
			continue;
		r.at = f[0];
		r.user = f[2] + 5;
		r.kind = f[4];
		r.id = f[5];
		if (fn(arg, &r) != 0)
			break;
	}
	if (ferror(fp)) {
		*cause = xasprintf("cannot read %s: %s", path, strerror(errno));
		rc = -1;
	}
	fclose(fp);
	free(line);
	free(path);
	return rc;
}
