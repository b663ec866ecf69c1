/*
 * backend.c -- choosing a backend, and what every backend shares.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "util/xmalloc.h"

static const struct backend_ops *backends[] = {
	&backend_storeapi_ops,
	NULL
};

static volatile sig_atomic_t backend_stop;

struct backend *
backend_open(const struct config *conf, char **cause)
{
	const char *name = conf->backend != NULL ? conf->backend : "storeapi";
	int i;

	for (i = 0; backends[i] != NULL; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i]->open(conf, cause);
	*cause = xasprintf("unknown backend '%s' in profile %s (known: storeapi)", name,
	    conf->profile);
	return NULL;
}

void
backend_free(struct backend **bp)
{
	if (*bp != NULL)
		(*bp)->ops->free(*bp);
	*bp = NULL;
}

void
change_page_done(struct change_page *p)
{
	if (p->root != NULL)
		cJSON_Delete(p->root);
	free(p->body);
	free(p->changes);
	free(p->next_cursor);
	memset(p, 0, sizeof *p);
}

void
backend_interrupt(void)
{
	backend_stop = 1;
}

int
backend_interrupted(void)
{
	return backend_stop != 0;
}
