/*
 * actions-canned.c -- canned replies (快捷回复): add, edit and remove.
 *
 * The team's replies are managed by the roles that read them (admin, ops,
 * agent). A reply is valid when its shortcut is one (model.h), its language
 * is zh_CN or en, its title 1 to 60 characters and its body 1 to 2000 with
 * only the contract's placeholders and balanced braces; shortcut and lang
 * together name at most one reply (422 duplicate otherwise). Remove leaves
 * a tombstone in the change feed, so every client forgets the reply.
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

/* The id of another reply with shortcut and lang into with[24]; 1 when there is one. */
static int
canned_find_dup(struct action_ctx *ctx, const char *shortcut, const char *lang,
    const char *self, char *with)
{
	sqlite3_stmt *stmt;
	const char *id;
	cJSON *q;
	int found = 0;

	if (sqlite3_prepare_v2(store_db(ctx->st), "SELECT json FROM objects "
	    "WHERE kind = ? AND deleted = 0 ORDER BY id", -1, &stmt,
	    NULL) != SQLITE_OK)
		fatal("canned replies: %s", sqlite3_errmsg(store_db(ctx->st)));
	sqlite3_bind_int(stmt, 1, KIND_CANNED_REPLY);
	while (!found && sqlite3_step(stmt) == SQLITE_ROW) {
		if ((q = cJSON_Parse((const char *)sqlite3_column_text(stmt,
		    0))) == NULL)
			continue;
		id = json_str(q, "id");
		if (id != NULL && (self == NULL || strcmp(id, self) != 0) &&
		    json_str(q, "shortcut") != NULL && json_str(q, "lang") != NULL &&
		    strcmp(json_str(q, "shortcut"), shortcut) == 0 &&
		    strcmp(json_str(q, "lang"), lang) == 0) {
			snprintf(with, 24, "%s", id);
			found = 1;
		}
		cJSON_Delete(q);
	}
	sqlite3_finalize(stmt);
	return found;
}

/*
 * Merge the body's members into r (a new reply, or the one being edited) and
 * validate the result; 0, or -1 with the error set.
 */
static int
canned_merge(struct action_ctx *ctx, cJSON *r, int create)
{
	static const char *const keys[] = { "shortcut", "lang", "title", "body",
		NULL };
	static const long max[] = { CANNED_SHORTCUT_MAX, 16, CANNED_TITLE_MAX,
		CANNED_BODY_MAX };
	const char *v, *self = create ? NULL : json_str(r, "id");
	char *why, *first = NULL, with[24];
	cJSON *details;
	int i, n = 0;

	for (i = 0; keys[i] != NULL; i++) {
		if (act_str(ctx, keys[i], create ? 1 : 0, max[i], &v) != 0)
			return -1;
		if (v == NULL)
			continue;
		if (!create && *v == '\0')
			return act_invalid(ctx, keys[i], "%s must not be empty",
			    keys[i]);
		json_set_str(r, keys[i], v);
		n++;
	}
	if (!create && n == 0)
		return act_invalid(ctx, "body", "nothing to change: give the "
		    "fields to edit (shortcut, lang, title, body)");
	if ((why = model_canned_shortcut_problem(json_str(r, "shortcut"))) != NULL) {
		act_invalid(ctx, "shortcut", "%s", why);
		free(why);
		return -1;
	}
	if (act_lookup(canned_langs, json_str(r, "lang")) < 0)
		return act_invalid(ctx, "lang", "lang must be one of zh_CN, en");
	if ((why = model_canned_body_problems(json_str(r, "body"), &first)) != NULL) {
		act_invalid(ctx, "body", "body: %s", why);
		act_detail(ctx, "placeholder", cJSON_CreateString(first));
		free(why);
		free(first);
		return -1;
	}
	if (canned_find_dup(ctx, json_str(r, "shortcut"), json_str(r, "lang"),
	    self, with)) {
		details = cJSON_CreateObject();
		json_set_str(details, "field", "shortcut");
		json_set_str(details, "with", with);
		return act_fail(ctx, 422, "duplicate", details, "canned reply %s "
		    "already has the shortcut %s in %s", with,
		    json_str(r, "shortcut"), json_str(r, "lang"));
	}
	return 0;
}

int
canned_add(struct action_ctx *ctx)
{
	cJSON *r = cJSON_CreateObject();

	if (canned_merge(ctx, r, 1) != 0) {
		cJSON_Delete(r);
		return -1;
	}
	store_next_id(ctx->st, KIND_CANNED_REPLY, ctx->id);
	json_set_str(r, "id", ctx->id);
	json_set_str(r, "created_at", ctx->now_s);
	ctx->obj = r;
	ctx->created = 1;
	return 0;
}

int
canned_edit(struct action_ctx *ctx)
{
	return canned_merge(ctx, ctx->obj, 0);
}

int
canned_remove(struct action_ctx *ctx)
{
	ctx->deleted = 1;
	return 0;
}
