/*
 * actions-category.c -- the store's category tree: create, rename, move and
 * delete a category, and the category a product names.
 *
 * A category is {"id","name","parent_id","position"}: parent_id is null for
 * a top-level category, position orders siblings. Names are unique among
 * siblings (case as typed). A move that would put a category under itself
 * or one of its descendants is refused, as is deleting a category that
 * products or other categories still use: the reason names them. A product's
 * "category" member is the name of its category_id, kept in step here when
 * a category is renamed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "model.h"
#include "server/actions-internal.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

#define CATEGORY_NAME_MAX	40
#define CATEGORY_DEPTH_MAX	8

/* Members a client may give a category on create. */
static const char *const category_fields[] = {
	"name", "parent_id", "position", NULL
};

/* Statement over the live categories or products of the store; finalize it. */
static sqlite3_stmt *
category_stmt(struct action_ctx *ctx, const char *sql, enum sd_kind kind)
{
	sqlite3_stmt *stmt;

	if (sqlite3_prepare_v2(store_db(ctx->st), sql, -1, &stmt, NULL) !=
	    SQLITE_OK)
		fatal("categories: %s", sqlite3_errmsg(store_db(ctx->st)));
	sqlite3_bind_int(stmt, 1, kind);
	return stmt;
}

/*
 * The id of the live sibling under parent (NULL: the top level) named name,
 * other than self, into out; 0 when none.
 */
static int
category_sibling(struct action_ctx *ctx, const char *parent, const char *name,
    const char *self, char *out, size_t len)
{
	sqlite3_stmt *stmt;
	int found = 0;

	stmt = category_stmt(ctx, "SELECT id FROM objects WHERE kind = ? AND "
	    "deleted = 0 AND json_extract(json, '$.name') = ?2 AND "
	    "json_extract(json, '$.parent_id') IS ?3 AND id IS NOT ?4",
	    KIND_CATEGORY);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	if (parent != NULL)
		sqlite3_bind_text(stmt, 3, parent, -1, SQLITE_STATIC);
	if (self != NULL)
		sqlite3_bind_text(stmt, 4, self, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(stmt, 0));
		found = 1;
	}
	sqlite3_finalize(stmt);
	return found;
}

/* One past the highest position among the children of parent. */
static long long
category_next_position(struct action_ctx *ctx, const char *parent)
{
	sqlite3_stmt *stmt;
	long long pos = 0;

	stmt = category_stmt(ctx, "SELECT max(json_extract(json, '$.position'))"
	    " FROM objects WHERE kind = ? AND deleted = 0 AND "
	    "json_extract(json, '$.parent_id') IS ?2", KIND_CATEGORY);
	if (parent != NULL)
		sqlite3_bind_text(stmt, 2, parent, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		pos = sqlite3_column_int64(stmt, 0) + 1;
	sqlite3_finalize(stmt);
	return pos;
}

/*
 * The parent named by the body's parent_id: *out NULL for the top level
 * (absent or null). A parent must exist and, when self is set, be neither
 * self nor one of its descendants; the tree stays CATEGORY_DEPTH_MAX deep.
 */
static int
category_parent(struct action_ctx *ctx, const char *self, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctx->body, "parent_id");
	cJSON *c = NULL;
	char at[24];
	int depth = 1, rc = 0;

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v) || *v->valuestring == '\0')
		return act_invalid(ctx, "parent_id", "parent_id must be a "
		    "category id or null (the top level)");
	snprintf(at, sizeof at, "%s", v->valuestring);
	while (rc == 0) {
		if (self != NULL && strcmp(at, self) == 0) {
			rc = act_fail(ctx, 422, "cycle", NULL, "cannot move "
			    "category %s under %s: %s is %s", self,
			    v->valuestring, v->valuestring, depth == 1 ?
			    "the category itself" : "one of its descendants");
			break;
		}
		if ((c = store_get(ctx->st, KIND_CATEGORY, at)) == NULL) {
			if (depth == 1)
				rc = act_invalid(ctx, "parent_id", "no category "
				    "%s: give an existing category's id, or "
				    "null for the top level", at);
			break;
		}
		if (++depth > CATEGORY_DEPTH_MAX) {
			rc = act_invalid(ctx, "parent_id", "categories nest "
			    "at most %d deep", CATEGORY_DEPTH_MAX);
			break;
		}
		if (json_str(c, "parent_id") == NULL)
			break;
		snprintf(at, sizeof at, "%s", json_str(c, "parent_id"));
		cJSON_Delete(c);
		c = NULL;
	}
	cJSON_Delete(c);
	if (rc == 0)
		*out = v->valuestring;
	return rc;
}

/* The name of the body, checked and unique under parent. */
static int
category_name(struct action_ctx *ctx, const char *parent, const char *self,
    int required, const char **out)
{
	char other[24];

	if (act_str(ctx, "name", required, CATEGORY_NAME_MAX, out) != 0)
		return -1;
	if (*out == NULL)
		return 0;
	if (**out == '\0' || strspn(*out, " \t") == strlen(*out))
		return act_invalid(ctx, "name", "name must not be empty");
	if (category_sibling(ctx, parent, *out, self, other, sizeof other))
		return act_fail(ctx, 409, "duplicate", NULL, "%s already has a "
		    "category named \"%s\" (%s); choose another name",
		    parent != NULL ? parent : "the top level", *out, other);
	return 0;
}

/* The body's position (0 .. 1,000,000), or the end of the siblings. */
static int
category_position(struct action_ctx *ctx, const char *parent, long long *out)
{
	*out = -1;
	if (act_int(ctx, "position", 0, out) != 0)
		return -1;
	if (*out == -1)
		*out = category_next_position(ctx, parent);
	else if (*out < 0 || *out > 1000000)
		return act_invalid(ctx, "position", "position must be 0 to "
		    "1000000");
	return 0;
}

static int
category_check_fields(struct action_ctx *ctx, const char *const *allowed)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, ctx->body)
		if (act_lookup(allowed, v->string) < 0)
			return act_invalid(ctx, v->string, "%s is not a field "
			    "of this request; a category has name, parent_id "
			    "and position", v->string);
	return 0;
}

int
category_create(struct action_ctx *ctx)
{
	const char *parent, *name;
	long long pos;
	cJSON *c;

	if (category_check_fields(ctx, category_fields) != 0 ||
	    category_parent(ctx, NULL, &parent) != 0 ||
	    category_name(ctx, parent, NULL, 1, &name) != 0 ||
	    category_position(ctx, parent, &pos) != 0)
		return -1;
	c = cJSON_CreateObject();
	store_next_id(ctx->st, KIND_CATEGORY, ctx->id);
	json_set_str(c, "id", ctx->id);
	json_set_str(c, "created_at", ctx->now_s);
	json_set_str(c, "name", name);
	if (parent != NULL)
		json_set_str(c, "parent_id", parent);
	else
		cJSON_AddNullToObject(c, "parent_id");
	json_set_int(c, "position", pos);
	ctx->obj = c;
	ctx->created = 1;
	return 0;
}

/* The products naming category id get its new name. */
static void
category_rename_products(struct action_ctx *ctx, const char *name)
{
	sqlite3_stmt *stmt;
	cJSON *p;
	int n = 0, i;
	char (*ids)[24] = NULL;

	stmt = category_stmt(ctx, "SELECT id FROM objects WHERE kind = ? AND "
	    "deleted = 0 AND json_extract(json, '$.category_id') = ?2",
	    KIND_PRODUCT);
	sqlite3_bind_text(stmt, 2, ctx->id, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		ids = xrealloc(ids, ((size_t)n + 1) * sizeof *ids);
		snprintf(ids[n++], sizeof ids[0], "%s",
		    (const char *)sqlite3_column_text(stmt, 0));
	}
	sqlite3_finalize(stmt);
	for (i = 0; i < n; i++) {
		if ((p = store_get(ctx->st, KIND_PRODUCT, ids[i])) == NULL)
			continue;
		json_set_str(p, "category", name);
		act_put_other(ctx, KIND_PRODUCT, p);
		cJSON_Delete(p);
	}
	free(ids);
}

/* PATCH: a new name (and position among the same siblings). */
int
category_edit(struct action_ctx *ctx)
{
	static const char *const fields[] = { "name", "position", NULL };
	const char *parent = json_str(ctx->obj, "parent_id"), *name;
	long long pos = -1;

	if (category_check_fields(ctx, fields) != 0 ||
	    category_name(ctx, parent, ctx->id, 0, &name) != 0 ||
	    act_int(ctx, "position", 0, &pos) != 0)
		return -1;
	if (name == NULL && pos == -1)
		return act_invalid(ctx, "name", "nothing to change: give a "
		    "name or a position");
	if (pos != -1 && (pos < 0 || pos > 1000000))
		return act_invalid(ctx, "position", "position must be 0 to "
		    "1000000");
	if (pos != -1)
		json_set_int(ctx->obj, "position", pos);
	if (name != NULL && strcmp(name, json_str(ctx->obj, "name") != NULL ?
	    json_str(ctx->obj, "name") : "") != 0) {
		json_set_str(ctx->obj, "name", name);
		category_rename_products(ctx, name);
	}
	return 0;
}

/* POST move: a new parent (null: the top level) and position. */
int
category_move(struct action_ctx *ctx)
{
	static const char *const fields[] = { "parent_id", "position", NULL };
	const char *parent, *name = json_str(ctx->obj, "name");
	char other[24];
	long long pos;

	if (category_check_fields(ctx, fields) != 0)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(ctx->body, "parent_id") == NULL)
		return act_invalid(ctx, "parent_id", "parent_id is required: "
		    "the new parent's id, or null for the top level");
	if (category_parent(ctx, ctx->id, &parent) != 0)
		return -1;
	if (name != NULL && category_sibling(ctx, parent, name, ctx->id, other,
	    sizeof other))
		return act_fail(ctx, 409, "duplicate", NULL, "%s already has a "
		    "category named \"%s\" (%s); rename one first",
		    parent != NULL ? parent : "the top level", name, other);
	if (category_position(ctx, parent, &pos) != 0)
		return -1;
	if (parent != NULL)
		json_set_str(ctx->obj, "parent_id", parent);
	else {
		cJSON_DeleteItemFromObjectCaseSensitive(ctx->obj, "parent_id");
		cJSON_AddNullToObject(ctx->obj, "parent_id");
	}
	json_set_int(ctx->obj, "position", pos);
	return 0;
}

/* Up to 10 ids of live objects of kind whose member key is the category. */
static int
category_users(struct action_ctx *ctx, enum sd_kind kind, const char *key,
    cJSON *list)
{
	sqlite3_stmt *stmt;
	char sql[200];
	int n = 0;

	snprintf(sql, sizeof sql, "SELECT id FROM objects WHERE kind = ? AND "
	    "deleted = 0 AND json_extract(json, '$.%s') = ?2 ORDER BY id", key);
	stmt = category_stmt(ctx, sql, kind);
	sqlite3_bind_text(stmt, 2, ctx->id, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		if (n++ < 10)
			cJSON_AddItemToArray(list, cJSON_CreateString(
			    (const char *)sqlite3_column_text(stmt, 0)));
	sqlite3_finalize(stmt);
	return n;
}

/* DELETE: only a category nothing uses. */
int
category_delete(struct action_ctx *ctx)
{
	cJSON *kids = cJSON_CreateArray(), *prods = cJSON_CreateArray(), *d;
	int nk, np;

	nk = category_users(ctx, KIND_CATEGORY, "parent_id", kids);
	np = category_users(ctx, KIND_PRODUCT, "category_id", prods);
	if (nk == 0 && np == 0) {
		cJSON_Delete(kids);
		cJSON_Delete(prods);
		ctx->deleted = 1;
		return 0;
	}
	d = cJSON_CreateObject();
	json_set(d, "categories", kids);
	json_set(d, "products", prods);
	json_set_int(d, "category_count", nk);
	json_set_int(d, "product_count", np);
	if (nk > 0)
		return act_fail(ctx, 422, "in_use", d, "category %s has %d "
		    "subcategor%s (%s%s)%s; move or delete %s first", ctx->id,
		    nk, nk > 1 ? "ies" : "y",
		    cJSON_GetArrayItem(kids, 0)->valuestring,
		    nk > 1 ? ", ..." : "", np > 0 ? " and products" : "",
		    nk > 1 ? "them" : "it");
	return act_fail(ctx, 422, "in_use", d, "category %s holds %d "
	    "product%s (%s%s); move %s to another category first", ctx->id,
	    np, np > 1 ? "s" : "", cJSON_GetArrayItem(prods, 0)->valuestring,
	    np > 1 ? ", ..." : "", np > 1 ? "them" : "it");
}

/*
 * A product's category from the body: category_id names an existing
 * category (and sets "category" to its name); null clears it. Without
 * category_id, a "category" text that names exactly one category links it.
 * 0, or -1 with the error set.
 */
int
category_for_product(struct action_ctx *ctx, cJSON *p)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctx->body,
	    "category_id");
	const char *text = json_str(ctx->body, "category");
	sqlite3_stmt *stmt;
	cJSON *c;
	int n = 0;
	char id[24] = "";

	if (v != NULL && cJSON_IsNull(v)) {
		cJSON_DeleteItemFromObjectCaseSensitive(p, "category_id");
		return 0;
	}
	if (v != NULL) {
		if (!cJSON_IsString(v) || (c = store_get(ctx->st,
		    KIND_CATEGORY, v->valuestring)) == NULL)
			return act_invalid(ctx, "category_id", "no category "
			    "%s: choose one from GET /v1/categories",
			    cJSON_IsString(v) ? v->valuestring : "of that type");
		json_set_str(p, "category_id", v->valuestring);
		json_set_str(p, "category", json_str(c, "name"));
		cJSON_Delete(c);
		return 0;
	}
	if (text == NULL)
		return 0;
	stmt = category_stmt(ctx, "SELECT id FROM objects WHERE kind = ? AND "
	    "deleted = 0 AND json_extract(json, '$.name') = ?2 LIMIT 2",
	    KIND_CATEGORY);
	sqlite3_bind_text(stmt, 2, text, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		if (n++ == 0)
			snprintf(id, sizeof id, "%s",
			    (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	if (n == 1)
		json_set_str(p, "category_id", id);
	else
		cJSON_DeleteItemFromObjectCaseSensitive(p, "category_id");
	return 0;
}
