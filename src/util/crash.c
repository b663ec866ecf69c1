/*
 * crash.c -- the crash points of SHOPDESK_CRASH_AT=NAME[:N] (crash.h).
 *
 * The variable is read once. A point counts its passages (from any thread)
 * and the Nth kills the process; other points cost a string comparison.
 * An unknown name or a bad count is refused by crash_check_env() at start,
 * so that a typo in a test cannot pass for a crash that never happened.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"
#include "xmalloc.h"

/* Every point, and what is true when it is reached. */
static const char *const crash_points[] = {
	"sync-page",		/* a change-feed page arrived, nothing of it stored */
	"sync-applied",		/* its objects written, its cursor not: mid transaction */
	"sync-committed",	/* the page and its cursor committed */
	"push-claimed",		/* a group of outbox entries claimed, none sent */
	"push-sent",		/* an action's request sent whole (the answer may be on its way) */
	"push-answered",	/* a group's answers arrived, none settled */
	"push-settling",	/* some of a group's answers settled: mid transaction */
	"push-settled",		/* a group's answers committed, nothing told */
	"enqueue",		/* one more entry of a batch inserted: mid transaction */
	"enqueue-committed",	/* a batch (a CSV file) committed, nothing printed */
	"migrate-step",		/* one more schema migration run: mid transaction */
	"migrate-done",		/* every migration run, before their commit */
	"store-applied",	/* the reference store applied an action, not answered */
};

static pthread_once_t crash_once = PTHREAD_ONCE_INIT;
static const char *crash_name;		/* the point named, or NULL: inert */
static long crash_nth = 1;		/* the passage that kills */
static long crash_hits;			/* passages so far */
static char *crash_bad;			/* why SHOPDESK_CRASH_AT was refused */

static void
crash_init(void)
{
	const char *s = getenv("SHOPDESK_CRASH_AT"), *colon;
	char *name, *end;
	size_t i;
	long n = 1;

	if (s == NULL || *s == '\0')
		return;
	colon = strchr(s, ':');
	name = colon != NULL ? xstrndup(s, (size_t)(colon - s)) : xstrdup(s);
	if (colon != NULL) {
		errno = 0;
		n = strtol(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || errno != 0 || n < 1) {
			crash_bad = xasprintf("SHOPDESK_CRASH_AT=%s: the count after ':'"
			    " must be a number from 1", s);
			free(name);
			return;
		}
	}
	for (i = 0; i < sizeof crash_points / sizeof crash_points[0]; i++)
		if (strcmp(name, crash_points[i]) == 0) {
			crash_name = crash_points[i];
			crash_nth = n;
		}
	if (crash_name == NULL)
		crash_bad = xasprintf("SHOPDESK_CRASH_AT=%s: no such crash point"
		    " (see src/util/crash.c)", s);
	free(name);
}

/* 0, or -1 with *cause when SHOPDESK_CRASH_AT is set but names no point. */
int
crash_check_env(char **cause)
{
	pthread_once(&crash_once, crash_init);
	if (crash_bad == NULL)
		return 0;
	*cause = xstrdup(crash_bad);
	return -1;
}

void
crash_point(const char *name)
{
	char msg[128];
	int len;

	pthread_once(&crash_once, crash_init);
	if (crash_name == NULL || strcmp(name, crash_name) != 0)
		return;
	if (__atomic_add_fetch(&crash_hits, 1, __ATOMIC_SEQ_CST) != crash_nth)
		return;
	/* Best effort: the test learns where it died from stderr. */
	len = snprintf(msg, sizeof msg, "shopdesk: killed at crash point %s\n", name);
	if (len > 0 && write(STDERR_FILENO, msg, (size_t)len) < 0)
		len = 0;
	raise(SIGKILL);
	_exit(137);
}
