/*
 * caps.c -- what the store behind a cache offers (caps.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "util/xmalloc.h"

/* Whether word is one of the space-separated words of list. */
static int
caps_has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

int
caps_kind_offered(struct cache *c, enum sd_kind k)
{
	char *kinds = cache_state_get(c, CAPS_KINDS_KEY);
	int rc;

	if (kinds == NULL)
		return 1;
	rc = caps_has_word(kinds, kind_info(k)->name);
	free(kinds);
	return rc;
}

int
caps_sla_offered(struct cache *c)
{
	char *kinds = cache_state_get(c, CAPS_KINDS_KEY);
	int rc;

	if (kinds == NULL)
		return 1;
	rc = caps_has_word(kinds, CAPS_SLA_WORD);
	free(kinds);
	return rc;
}

int
caps_action_offered(struct cache *c, const char *noun, const char *name)
{
	char *actions = cache_state_get(c, CAPS_ACTIONS_KEY), *word;
	int rc;

	if (actions == NULL || strcmp(actions, "*") == 0) {
		free(actions);
		return 1;
	}
	word = xasprintf("%s.%s", noun, name);
	rc = caps_has_word(actions, word);
	free(word);
	free(actions);
	return rc;
}

int
caps_stale(struct cache *c, const char *name, const char *actions)
{
	char *b = cache_state_get(c, CAPS_BACKEND_KEY), *rec;
	int rc = 0;

	if (b != NULL && strcmp(b, name) == 0) {
		rec = cache_state_get(c, CAPS_ACTIONS_KEY);
		rc = rec != NULL && strcmp(rec, actions != NULL ? actions : "*") != 0;
		free(rec);
	}
	free(b);
	return rc;
}

long long
caps_refund_limit(struct cache *c, unsigned *approvers)
{
	char *limit = cache_state_get(c, CAPS_REFUND_LIMIT_KEY);
	char *roles = cache_state_get(c, CAPS_REFUND_ROLES_KEY);
	long long v = -1;
	int r;

	if (limit != NULL && *limit != '\0')
		v = strtoll(limit, NULL, 10);
	if (approvers != NULL) {
		*approvers = 0;
		for (r = 0; roles != NULL && r < ROLE__COUNT; r++)
			if (caps_has_word(roles, role_name((enum sd_role)r)))
				*approvers |= 1u << r;
	}
	free(limit);
	free(roles);
	return v;
}

int
caps_refund_to_finance(struct cache *c, int role, long long amount)
{
	unsigned approvers;
	long long limit = caps_refund_limit(c, &approvers);

	return limit >= 0 && role >= 0 && amount > limit && !(approvers & (1u << role));
}

char *
caps_backend(struct cache *c)
{
	char *b = cache_state_get(c, CAPS_BACKEND_KEY);

	return b != NULL ? b : xstrdup("storeapi");
}

char *
caps_refusal(struct cache *c, const char *what)
{
	char *b = caps_backend(c), *s;

	s = xasprintf("%s: %s (%s)", what, CAPS_NOT_OFFERED, b);
	free(b);
	return s;
}
