/*
 * action-category.c -- checks of the category tree's write actions against
 * the cached tree, before anything is queued: a parent named as people name
 * categories (id, path or name; "top" for the top level) becomes its id, and
 * what the store would refuse is refused here first with the same reason --
 * a sibling of the same name (duplicate), a move under the category itself
 * or below it (cycle), a delete while categories or products are in it
 * (in_use). The store stays the judge: a tree changed meanwhile is its to
 * refuse, shown in the outbox like any refusal.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action-internal.h"
#include "cache-category.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

/* What names the top level as a parent. */
static int
category_is_top(const char *s)
{
	return strcmp(s, "top") == 0 || strcmp(s, "/") == 0 || strcmp(s, "-") == 0 ||
	    strcmp(s, "顶级") == 0;
}

/*
 * The tree and the parent the body names (parent_id as typed) as an index,
 * -1 for the top level; the body then holds the parent's id (or null when
 * null_top, else nothing). SD_OK, or a failure with the reason.
 */
static enum sd_status
category_parent(struct action_ctx *ctx, struct cache_categories *t, long *parent,
    int null_top)
{
	const char *typed = json_str(ctx->body, "parent_id");
	char *cause = NULL;
	enum sd_status st;

	*parent = -1;
	if (cache_categories_load(ctx->cache, t, &cause) != 0) {
		st = action_fail(ctx, SD_ECACHE, "%s", cause);
		free(cause);
		return st;
	}
	if (typed == NULL || category_is_top(typed)) {
		cJSON_DeleteItemFromObjectCaseSensitive(ctx->body, "parent_id");
		if (null_top)
			cJSON_AddNullToObject(ctx->body, "parent_id");
		return SD_OK;
	}
	if ((*parent = cache_category_find(t, typed, &cause)) < 0) {
		st = action_fail(ctx, SD_EUSAGE, "parent: %s (or top for the top level)", cause);
		free(cause);
		return st;
	}
	json_set_str(ctx->body, "parent_id", t->v[*parent].id);
	return SD_OK;
}

/* A sibling under parent (-1: the top level) named name, other than self. */
static long
category_sibling(const struct cache_categories *t, long parent, const char *name,
    const char *self)
{
	const char *pid = parent >= 0 ? t->v[parent].id : NULL;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct cache_category *c = &t->v[i];

		if ((pid == NULL ? c->parent_id == NULL : c->parent_id != NULL &&
		    strcmp(c->parent_id, pid) == 0) && strcmp(c->name, name) == 0 &&
		    (self == NULL || strcmp(c->id, self) != 0))
			return (long)i;
	}
	return -1;
}

/* The index of the category id in t, or -1. */
static long
category_index(const struct cache_categories *t, const char *id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* SD_EREFUSED, duplicate, when parent has another child named name. */
static enum sd_status
category_unique(struct action_ctx *ctx, const struct cache_categories *t, long parent,
    const char *name, const char *self)
{
	long other = category_sibling(t, parent, name, self);

	if (other < 0)
		return SD_OK;
	return action_fail(ctx, SD_EREFUSED, "duplicate: %s already has a category named "
	    "\"%s\" (%s); choose another name", parent >= 0 ? t->v[parent].path :
	    "the top level", name, t->v[other].id);
}

enum sd_status
action_check_category_create(struct action_ctx *ctx)
{
	struct cache_categories t = { NULL, 0 };
	enum sd_status st;
	long parent;

	if ((st = category_parent(ctx, &t, &parent, 0)) == SD_OK)
		st = category_unique(ctx, &t, parent, json_str(ctx->body, "name"), NULL);
	cache_categories_done(&t);
	return st;
}

enum sd_status
action_check_category_rename(struct action_ctx *ctx)
{
	struct cache_categories t = { NULL, 0 };
	char *cause = NULL;
	enum sd_status st = SD_OK;
	long self, parent = -1;

	if (cache_categories_load(ctx->cache, &t, &cause) != 0) {
		st = action_fail(ctx, SD_ECACHE, "%s", cause);
		free(cause);
		goto out;
	}
	if ((self = category_index(&t, ctx->id)) < 0)
		goto out;	/* not cached: the store decides */
	if (t.v[self].parent_id != NULL)
		parent = category_index(&t, t.v[self].parent_id);
	st = category_unique(ctx, &t, parent, json_str(ctx->body, "name"), ctx->id);
out:
	cache_categories_done(&t);
	return st;
}

enum sd_status
action_check_category_move(struct action_ctx *ctx)
{
	struct cache_categories t = { NULL, 0 };
	enum sd_status st;
	long self, parent, at;

	if ((st = category_parent(ctx, &t, &parent, 1)) != SD_OK ||
	    (self = category_index(&t, ctx->id)) < 0)
		goto out;
	/* Up from the new parent: the category itself on the way is a cycle. */
	for (at = parent; at >= 0; at = t.v[at].parent_id != NULL ?
	    category_index(&t, t.v[at].parent_id) : -1)
		if (at == self) {
			/* Whole sentences, so that each translates whole. */
			if (parent == self)
				st = action_fail(ctx, SD_EREFUSED, "cycle: cannot move %s under "
				    "itself", t.v[self].path);
			else
				st = action_fail(ctx, SD_EREFUSED, "cycle: cannot move %s under "
				    "%s: that is one of its descendants", t.v[self].path,
				    t.v[parent].path);
			goto out;
		}
	st = category_unique(ctx, &t, parent, t.v[self].name, ctx->id);
out:
	cache_categories_done(&t);
	return st;
}

enum sd_status
action_check_category_delete(struct action_ctx *ctx)
{
	struct cache_categories t = { NULL, 0 };
	char *cause = NULL;
	enum sd_status st = SD_OK;
	struct buf kids;
	size_t i;
	long self, n = 0;

	if (cache_categories_load(ctx->cache, &t, &cause) != 0) {
		st = action_fail(ctx, SD_ECACHE, "%s", cause);
		free(cause);
		goto out;
	}
	if ((self = category_index(&t, ctx->id)) < 0)
		goto out;
	buf_init(&kids);
	for (i = 0; i < t.n; i++)
		if (t.v[i].parent_id != NULL && strcmp(t.v[i].parent_id, ctx->id) == 0 &&
		    n++ < 5)
			buf_addf(&kids, "%s%s (%s)", n > 1 ? ", " : "", t.v[i].name, t.v[i].id);
	if (n > 0)
		st = action_fail(ctx, SD_EREFUSED, "in_use: %s holds %ld subcategories (%s%s); "
		    "move or delete them first", t.v[self].path, n, buf_str(&kids),
		    n > 5 ? ", ..." : "");
	else if (t.v[self].direct > 0)
		st = action_fail(ctx, SD_EREFUSED, "in_use: %s holds %ld products; move them to "
		    "another category first (products edit ID --category ...)", t.v[self].path,
		    t.v[self].direct);
	buf_done(&kids);
out:
	cache_categories_done(&t);
	return st;
}

/*
 * A product's --category named as a category is (its id, its path, or a
 * name no other category has) becomes its category_id, so that a product
 * is linked to the tree even where two categories share a name (refused
 * as ambiguous, naming the paths), as is a path the tree lacks. A plain
 * name the tree lacks, or any text with no tree cached, goes as given: the
 * store keeps it as the product's category text.
 */
enum sd_status
action_check_product_category(struct action_ctx *ctx)
{
	struct cache_categories t = { NULL, 0 };
	const char *typed = json_str(ctx->body, "category");
	char *cause = NULL;
	enum sd_status st = SD_OK;
	long i;

	if (typed == NULL) {
		if ((ctx->def->flags & ACTION_CREATE) &&
		    json_str(ctx->body, "category_id") == NULL)
			return action_fail(ctx, SD_EUSAGE, "a product needs its category: "
			    "--category ID|PATH|NAME (shopdesk categories tree)");
		return SD_OK;
	}
	if (cache_categories_load(ctx->cache, &t, &cause) != 0) {
		st = action_fail(ctx, SD_ECACHE, "%s", cause);
		free(cause);
		goto out;
	}
	if (t.n == 0)
		goto out;
	if ((i = cache_category_find(&t, typed, &cause)) < 0) {
		/* A plain name the tree lacks goes as text, as the store allows. */
		if (strstr(cause, "ambiguous") != NULL || strpbrk(typed, "/>") != NULL)
			st = action_fail(ctx, SD_EUSAGE, "category: %s", cause);
		free(cause);
		goto out;
	}
	/* The store takes category_id or category, not both: the id, and the name follows. */
	cJSON_DeleteItemFromObjectCaseSensitive(ctx->body, "category");
	json_set_str(ctx->body, "category_id", t.v[i].id);
out:
	cache_categories_done(&t);
	return st;
}
