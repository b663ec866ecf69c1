/*
 * cache-category.c -- the category tree read from the cache, laid out depth
 * first with paths and product counts, and a key (id, path or name) resolved
 * against it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cache-category.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* A row as read, before the layout. */
struct crow {
	char	*id, *name, *parent;
	int	 position;
	long	 direct;
	int	 placed;
};

struct layout {
	struct crow		*rows;
	size_t			 nrows;
	struct cache_categories	*t;
};

/* Place the children of parent (NULL: the roots) after index at. */
static void
layout_children(struct layout *l, const char *parent, const char *path,
    int depth)
{
	struct cache_category *c;
	size_t i, first = l->t->n;
	long below;

	for (i = 0; i < l->nrows; i++) {
		struct crow *r = &l->rows[i];

		if (r->placed || (parent == NULL ? r->parent != NULL :
		    r->parent == NULL || strcmp(r->parent, parent) != 0))
			continue;
		r->placed = 1;
		c = &l->t->v[l->t->n++];
		c->id = xstrdup(r->id);
		c->name = xstrdup(r->name);
		c->parent_id = r->parent != NULL ? xstrdup(r->parent) : NULL;
		c->path = path != NULL ? xasprintf("%s / %s", path, r->name) :
		    xstrdup(r->name);
		c->position = r->position;
		c->depth = depth;
		c->direct = r->direct;
		below = (long)l->t->n;
		layout_children(l, r->id, c->path, depth + 1);
		c = &l->t->v[below - 1];
		c->nchildren = 0;
		c->products = c->direct;
		for (size_t k = (size_t)below; k < l->t->n; k++) {
			if (l->t->v[k].depth == depth + 1)
				c->nchildren++;
			c->products += l->t->v[k].direct;
		}
	}
	/* The last sibling at this depth is the last one placed here. */
	for (i = l->t->n; i > first; i--)
		if (l->t->v[i - 1].depth == depth) {
			l->t->v[i - 1].last = 1;
			break;
		}
}

int
cache_categories_load(struct cache *c, struct cache_categories *t, char **cause)
{
	sqlite3 *db = cache_db(c);
	sqlite3_stmt *stmt = NULL;
	struct layout l = { NULL, 0, t };
	size_t i;
	int rc = -1;

	memset(t, 0, sizeof *t);
	/* Rows in sibling order; the products each holds directly. */
	if (sqlite3_prepare_v2(db, "SELECT c.id, c.name, c.parent_id, c.position,"
	    " (SELECT count(*) FROM products p WHERE p.category_id = c.id)"
	    " FROM categories c ORDER BY c.position, c.id", -1, &stmt,
	    NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct crow *r;

		l.rows = xrealloc(l.rows, (l.nrows + 1) * sizeof *l.rows);
		r = &l.rows[l.nrows++];
		r->id = xstrdup((const char *)sqlite3_column_text(stmt, 0));
		r->name = xstrdup(sqlite3_column_text(stmt, 1) != NULL ?
		    (const char *)sqlite3_column_text(stmt, 1) : "");
		r->parent = sqlite3_column_type(stmt, 2) == SQLITE_NULL ? NULL :
		    xstrdup((const char *)sqlite3_column_text(stmt, 2));
		r->position = sqlite3_column_int(stmt, 3);
		r->direct = sqlite3_column_int64(stmt, 4);
		r->placed = 0;
	}
	if (sqlite3_errcode(db) != SQLITE_DONE && sqlite3_errcode(db) != SQLITE_OK)
		goto out;
	t->v = xcalloc(l.nrows + 1, sizeof *t->v);
	layout_children(&l, NULL, NULL, 0);
	/* Orphans (a parent not yet synced) go last, at the top level. */
	for (i = 0; i < l.nrows; i++)
		if (!l.rows[i].placed) {
			free(l.rows[i].parent);
			l.rows[i].parent = NULL;
			layout_children(&l, NULL, NULL, 0);
		}
	rc = 0;
out:
	if (rc != 0)
		*cause = xasprintf("categories: %s", sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
	for (i = 0; i < l.nrows; i++) {
		free(l.rows[i].id);
		free(l.rows[i].name);
		free(l.rows[i].parent);
	}
	free(l.rows);
	return rc;
}

void
cache_categories_done(struct cache_categories *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].id);
		free(t->v[i].name);
		free(t->v[i].parent_id);
		free(t->v[i].path);
	}
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* key with its separators as " / " and the space around them trimmed. */
static char *
category_key_path(const char *key)
{
	struct buf b;
	const char *p = key;
	char *path;
	size_t n;

	buf_init(&b);
	while (*p != '\0') {
		n = 0;
		if (*p == '/' || *p == '>')
			n = 1;
		else if (strncmp(p, "\xe2\x80\xba", 3) == 0)	/* › */
			n = 3;
		if (n == 0) {
			buf_addc(&b, *p++);
			continue;
		}
		while (b.len > 0 && b.data[b.len - 1] == ' ')
			b.data[--b.len] = '\0';
		buf_adds(&b, " / ");
		p += n;
		while (*p == ' ')
			p++;
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	path = xstrdup(buf_str(&b));
	buf_done(&b);
	return path;
}

long
cache_category_find(const struct cache_categories *t, const char *key,
    char **cause)
{
	struct buf paths;
	char *path;
	size_t i;
	long found = -1;
	int n = 0;

	while (*key == ' ')
		key++;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].id, key) == 0)
			return (long)i;
	path = category_key_path(key);
	for (i = 0; i < t->n && found < 0; i++)
		if (strcmp(t->v[i].path, path) == 0)
			found = (long)i;
	free(path);
	if (found >= 0)
		return found;
	buf_init(&paths);
	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, key) == 0) {
			buf_addf(&paths, "%s%s", n++ ? "; " : "", t->v[i].path);
			found = (long)i;
		}
	if (n == 1) {
		buf_done(&paths);
		return found;
	}
	if (n > 1)
		*cause = xasprintf("category \"%s\" is ambiguous: %s; give the "
		    "path or the id", key, buf_str(&paths));
	else if (t->n == 0)
		*cause = xasprintf("no category \"%s\": the cache holds no "
		    "categories (run shopdesk sync)", key);
	else
		*cause = xasprintf("no category \"%s\": give an id, a path "
		    "(手机数码/手机) or a name from shopdesk categories", key);
	buf_done(&paths);
	return -1;
}
