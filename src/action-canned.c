/*
 * action-canned.c -- canned replies (快捷回复) in a chat message.
 *
 * A message that starts with "/shortcut" is the canned reply of that
 * shortcut, its placeholders filled from the conversation, its order and
 * the agent, followed by whatever was typed after the shortcut:
 *
 *	send /delay             抱歉，订单SO10000042物流延迟，单号SF1234567890123。
 *	send /hello:en          Hello Emily Chen, this is Li. How can I help you today?
 *	send //not a shortcut   /not a shortcut
 *
 * Of replies in several languages (":lang" picks one), the customer's is
 * taken: Chinese when the conversation's last message has any non-ASCII
 * text, else English. A placeholder that cannot be filled (no order, an
 * order not shipped) refuses the message rather than send "{tracking_no}"
 * to a customer, and an unknown shortcut is refused rather than sent as
 * typed, as is any shortcut on a store without canned replies (caps.h).
 * The summary of the queued action shows the text as sent.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "action-internal.h"
#include "action.h"
#include "caps.h"
#include "model.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define CANNED_LANG_MAX	16

/*
 * The reply of a row whose first column is its json, parsed, or NULL. Read
 * through the cache: a kind's rows are stored compressed once it has a
 * dictionary (a sync page of 32 or more replies), not as JSON text.
 */
static cJSON *
canned_row(struct cache *c, sqlite3_stmt *stmt)
{
	const char *json;
	size_t len;

	if ((json = cache_column_json(c, KIND_CANNED_REPLY, stmt, 0, &len)) == NULL)
		return NULL;
	return cJSON_ParseWithLength(json, len);
}

/* The canned reply with shortcut in lang (NULL: the customer's), or NULL. */
static cJSON *
canned_find(struct action_ctx *ctx, const char *shortcut, const char *lang)
{
	sqlite3_stmt *stmt;
	const char *preview = ctx->obj != NULL ? json_str(ctx->obj, "last_message_preview") : NULL;
	const char *want = lang, *p;
	cJSON *best = NULL, *o;

	if (want == NULL) {
		want = "en";
		for (p = preview != NULL ? preview : ""; *p != '\0'; p++)
			if ((unsigned char)*p >= 0x80)
				want = "zh_CN";
	}
	if (sqlite3_prepare_v2(cache_db(ctx->cache), "SELECT json FROM canned_replies"
	    " WHERE shortcut = ?1 ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(stmt, 1, shortcut, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if ((o = canned_row(ctx->cache, stmt)) == NULL)
			continue;
		if (json_str(o, "lang") != NULL && strcmp(json_str(o, "lang"), want) == 0) {
			cJSON_Delete(best);
			best = o;
			break;
		}
		/* Without one in that language: the first, unless a language was asked. */
		if (best == NULL && lang == NULL)
			best = o;
		else
			cJSON_Delete(o);
	}
	sqlite3_finalize(stmt);
	return best;
}

/* The agent's name for {agent_name}: their user object's, else their login. */
static char *
canned_agent(struct action_ctx *ctx)
{
	char *json, *name = NULL;
	cJSON *u;

	if (ctx->me != NULL && (json = cache_get_json(ctx->cache, KIND_USER, ctx->me)) != NULL) {
		if ((u = cJSON_Parse(json)) != NULL && json_str(u, "name") != NULL)
			name = xstrdup(json_str(u, "name"));
		cJSON_Delete(u);
		free(json);
	}
	return name != NULL ? name : cache_state_get(ctx->cache, "me.login");
}

/* The value of placeholder key, or NULL (caller frees); carriers named in lang. */
static char *
canned_value(struct action_ctx *ctx, const char *key, const cJSON *order, const char *lang)
{
	const struct carrier_info *ci;
	const char *v = NULL;

	if (strcmp(key, "customer_name") == 0)
		v = json_str(ctx->obj, "customer_name");
	else if (strcmp(key, "order_id") == 0)
		v = json_str(ctx->obj, "order_id");
	else if (strcmp(key, "tracking_no") == 0)
		v = json_path_str(order, "shipment.tracking_no");
	else if (strcmp(key, "carrier") == 0) {
		v = json_path_str(order, "shipment.carrier");
		if (v != NULL && (ci = carrier_find(v)) != NULL)
			v = strcmp(lang, "zh_CN") == 0 ? ci->name_zh : ci->name_en;
	} else if (strcmp(key, "agent_name") == 0)
		return canned_agent(ctx);
	return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

/*
 * body with its placeholders filled into out; the first unfillable one, else
 * NULL. With keep, one that cannot be filled stays as written (a preview).
 */
static char *
canned_fill(struct action_ctx *ctx, const char *body, const char *lang, int keep,
    struct buf *out)
{
	const cJSON *order = NULL;
	cJSON *order_obj = NULL;
	const char *p, *end;
	char *key, *v, *json, *missing = NULL;

	if (json_str(ctx->obj, "order_id") != NULL &&
	    (json = cache_get_json(ctx->cache, KIND_ORDER, json_str(ctx->obj, "order_id"))) != NULL) {
		order = order_obj = cJSON_Parse(json);
		free(json);
	}
	for (p = body; *p != '\0'; p++) {
		if (*p != '{' || (end = strchr(p, '}')) == NULL) {
			buf_addc(out, *p);
			continue;
		}
		key = xasprintf("%.*s", (int)(end - p - 1), p + 1);
		if ((v = canned_value(ctx, key, order, lang)) != NULL) {
			buf_adds(out, v);
			free(v);
			free(key);
		} else {
			if (keep)
				buf_addf(out, "{%s}", key);
			if (missing == NULL)
				missing = key;
			else
				free(key);
		}
		p = end;
	}
	cJSON_Delete(order_obj);
	return missing;
}

enum sd_status
action_check_send(struct action_ctx *ctx)
{
	const char *text = json_str(ctx->body, "body"), *word, *rest;
	char shortcut[64], lang[CANNED_LANG_MAX], *colon, *missing, *why;
	size_t n;
	cJSON *reply;
	struct buf out;
	enum sd_status st = SD_OK;

	if (text == NULL || text[0] != '/')
		return SD_OK;
	if (text[1] == '/') {		/* "//..." is a text that starts with "/" */
		json_set_str(ctx->body, "body", text + 1);
		return SD_OK;
	}
	word = text + 1;
	n = strcspn(word, " \t\n");
	rest = word + n + strspn(word + n, " \t\n");
	if (n == 0 || n >= sizeof shortcut)
		return SD_OK;		/* "/" alone, or no shortcut could be that long */
	if (!caps_kind_offered(ctx->cache, KIND_CANNED_REPLY)) {
		why = caps_refusal(ctx->cache, "canned replies");
		st = action_fail(ctx, SD_EREFUSED, "%s", why);
		free(why);
		return st;
	}
	memcpy(shortcut, word, n);
	shortcut[n] = '\0';
	lang[0] = '\0';
	if ((colon = strchr(shortcut, ':')) != NULL) {
		*colon = '\0';
		if (strlen(colon + 1) >= sizeof lang) {
			char *clean = text_clip(colon + 1);
			enum sd_status rc = action_fail(ctx, SD_EUSAGE,
			    "/%s: no language is called '%s'", shortcut, clean);

			free(clean);
			return rc;
		}
		strcpy(lang, colon + 1);
	}
	if ((reply = canned_find(ctx, shortcut, lang[0] != '\0' ? lang : NULL)) == NULL)
		return action_fail(ctx, SD_EUSAGE, "no canned reply has the shortcut /%s%s%s (Tab "
		    "after / lists them; start with // to send text beginning with /)", shortcut,
		    lang[0] != '\0' ? " in " : "", lang);
	/* Carriers are named in the reply's language. */
	buf_init(&out);
	missing = canned_fill(ctx, json_str(reply, "body") != NULL ? json_str(reply, "body") : "",
	    json_str(reply, "lang") != NULL ? json_str(reply, "lang") : "", 0, &out);
	if (missing != NULL)
		st = action_fail(ctx, SD_EREFUSED, "the canned reply /%s needs {%s}, which %s has "
		    "not%s", shortcut, missing, ctx->id, strcmp(missing, "tracking_no") == 0 ||
		    strcmp(missing, "carrier") == 0 ? " (its order is not shipped)" : "");
	else {
		if (*rest != '\0') {
			buf_addc(&out, ' ');
			buf_adds(&out, rest);
		}
		if (action_utf8_chars(buf_str(&out)) > 2000)
			st = action_fail(ctx, SD_EUSAGE, "/%s makes a message of more than 2000 "
			    "characters", shortcut);
		else
			json_set_str(ctx->body, "body", buf_str(&out));
	}
	free(missing);
	buf_done(&out);
	cJSON_Delete(reply);
	return st;
}

/* --- managing the replies ------------------------------------------------------------ */

/* The id of the cached reply with shortcut in lang other than self, or NULL; caller frees. */
static char *
canned_id_of(struct cache *c, const char *shortcut, const char *lang, const char *self)
{
	sqlite3_stmt *stmt;
	const char *id;
	char *found = NULL;
	cJSON *o;

	if (sqlite3_prepare_v2(cache_db(c), "SELECT json FROM canned_replies"
	    " WHERE shortcut = ?1 ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(stmt, 1, shortcut, -1, SQLITE_STATIC);
	while (found == NULL && sqlite3_step(stmt) == SQLITE_ROW) {
		if ((o = canned_row(c, stmt)) == NULL)
			continue;
		id = json_str(o, "id");
		if (id != NULL && json_str(o, "lang") != NULL &&
		    strcmp(json_str(o, "lang"), lang) == 0 && (self == NULL || strcmp(id, self) != 0))
			found = xstrdup(id);
		cJSON_Delete(o);
	}
	sqlite3_finalize(stmt);
	return found;
}

/*
 * A reply added or edited, as it will be (the cached one with what was
 * given on top): a shortcut an agent can type, only known placeholders and
 * balanced braces, and no other reply with that shortcut in that language.
 * The store checks the same; checking here refuses it before it is queued.
 */
enum sd_status
action_check_canned(struct action_ctx *ctx)
{
	const char *shortcut, *lang, *body;
	char label[40], *why, *other;
	enum sd_status st;

	if (ctx->obj != NULL && cJSON_GetArraySize(ctx->body) == 0)
		return action_fail(ctx, SD_EUSAGE, "nothing to change: give --shortcut, --lang, "
		    "--title or --body");
	shortcut = json_str(ctx->body, "shortcut") != NULL ? json_str(ctx->body, "shortcut") :
	    json_str(ctx->obj, "shortcut");
	lang = json_str(ctx->body, "lang") != NULL ? json_str(ctx->body, "lang") :
	    json_str(ctx->obj, "lang");
	body = json_str(ctx->body, "body");
	if (json_str(ctx->body, "shortcut") != NULL &&
	    (why = model_canned_shortcut_problem(shortcut)) != NULL) {
		st = action_fail(ctx, SD_EUSAGE, "%s: %s", action_field_label(ctx, "shortcut",
		    label, sizeof label), why);
		free(why);
		return st;
	}
	if (body != NULL && (why = model_canned_body_problems(body, NULL)) != NULL) {
		st = action_fail(ctx, SD_EUSAGE, "%s: %s", action_field_label(ctx, "body", label,
		    sizeof label), why);
		free(why);
		return st;
	}
	if (shortcut != NULL && lang != NULL &&
	    (other = canned_id_of(ctx->cache, shortcut, lang, ctx->id)) != NULL) {
		st = action_fail(ctx, SD_EREFUSED, "canned reply %s already has the shortcut /%s "
		    "in %s; edit it ('canned edit %s') or choose another shortcut", other,
		    shortcut, lang, other);
		free(other);
		return st;
	}
	return SD_OK;
}

/* By shortcut, then language, then id (rows may be compressed: not by SQL). */
static int
canned_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	static const char *const keys[] = { "shortcut", "lang", "id", NULL };
	const char *p, *q;
	int i, d;

	for (i = 0; keys[i] != NULL; i++) {
		p = json_str(x, keys[i]);
		q = json_str(y, keys[i]);
		if ((d = strcmp(p != NULL ? p : "", q != NULL ? q : "")) != 0)
			return d;
	}
	return 0;
}

int
action_canned_each(struct cache *c, const char *lang, int (*fn)(void *, const cJSON *),
    void *arg)
{
	sqlite3_stmt *stmt;
	cJSON **v = NULL, *o;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (sqlite3_prepare_v2(cache_db(c), "SELECT json FROM canned_replies", -1, &stmt,
	    NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if ((o = canned_row(c, stmt)) == NULL)
			continue;
		if (lang != NULL && (json_str(o, "lang") == NULL ||
		    strcmp(json_str(o, "lang"), lang) != 0)) {
			cJSON_Delete(o);
			continue;
		}
		if (n == cap) {
			cap = cap != 0 ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = o;
	}
	sqlite3_finalize(stmt);
	if (n > 0)
		qsort(v, n, sizeof *v, canned_cmp);
	for (i = 0; i < n; i++) {
		if (rc == 0)
			rc = fn(arg, v[i]);
		cJSON_Delete(v[i]);
	}
	free(v);
	return rc;
}

/* One field of RFC 4180: quoted when it holds a comma, a quote or a line break. */
static void
canned_csv_field(struct buf *out, const char *s)
{
	const char *p;

	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL && *s != ' ' && *s != '\t' && (*s == '\0' ||
	    (s[strlen(s) - 1] != ' ' && s[strlen(s) - 1] != '\t'))) {
		buf_adds(out, s);
		return;
	}
	buf_addc(out, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_addc(out, '"');
		buf_addc(out, *p);
	}
	buf_addc(out, '"');
}

void
action_canned_csv_header(struct buf *out)
{
	buf_adds(out, "shortcut,lang,title,body\r\n");
}

void
action_canned_csv_line(const cJSON *reply, struct buf *out)
{
	canned_csv_field(out, json_str(reply, "shortcut"));
	buf_addc(out, ',');
	canned_csv_field(out, json_str(reply, "lang"));
	buf_addc(out, ',');
	canned_csv_field(out, json_str(reply, "title"));
	buf_addc(out, ',');
	canned_csv_field(out, json_str(reply, "body"));
	buf_adds(out, "\r\n");
}

/* The columns of an import, by name. */
enum { CC_SHORTCUT, CC_LANG, CC_TITLE, CC_BODY, CC__COUNT };
static const char *const canned_cols[] = { "shortcut", "lang", "title", "body", NULL };

/* Every problem of one line's four values, "; "-separated, or NULL; caller frees. */
static char *
canned_line_problems(char *const *v)
{
	static const long max[CC__COUNT] = { CANNED_SHORTCUT_MAX, 0, CANNED_TITLE_MAX,
		CANNED_BODY_MAX };
	struct buf b;
	char *why;
	long n;
	int i;

	buf_init(&b);
	for (i = 0; i < CC__COUNT; i++) {
		if (v[i][0] == '\0') {
			buf_addf(&b, "%s%s is empty", b.len ? "; " : "", canned_cols[i]);
			continue;
		}
		if ((n = action_utf8_chars(v[i])) < 0) {
			buf_addf(&b, "%s%s is not UTF-8 text (save the file as CSV UTF-8)",
			    b.len ? "; " : "", canned_cols[i]);
			continue;
		}
		if (max[i] > 0 && n > max[i])
			buf_addf(&b, "%s%s has %ld characters, more than %ld", b.len ? "; " : "",
			    canned_cols[i], n, max[i]);
		why = NULL;
		if (i == CC_SHORTCUT)
			why = model_canned_shortcut_problem(v[i]);
		else if (i == CC_LANG && strcmp(v[i], "zh_CN") != 0 && strcmp(v[i], "en") != 0)
			why = xstrdup("lang must be zh_CN or en");
		else if (i == CC_BODY && (why = model_canned_body_problems(v[i], NULL)) != NULL) {
			buf_addf(&b, "%sbody: %s", b.len ? "; " : "", why);
			free(why);
			why = NULL;
		}
		if (why != NULL) {
			buf_addf(&b, "%s%s", b.len ? "; " : "", why);
			free(why);
		}
	}
	return b.len != 0 ? buf_steal(&b) : (buf_done(&b), NULL);
}

/* Add a line to b; a bad one when error is not NULL (taken). */
static struct action_batch_line *
canned_line(struct action_batch *b, long line, char *error)
{
	struct action_batch_line *l;

	b->lines = xrealloc(b->lines, (b->n + 1) * sizeof *b->lines);
	l = &b->lines[b->n++];
	memset(l, 0, sizeof *l);
	l->line = line;
	l->error = error;
	l->status = error != NULL ? SD_EUSAGE : SD_OK;
	b->bad += error != NULL;
	return l;
}

/* Prepare line v: an add, an edit of the cached reply, or nothing (0) when it is the same. */
static int
canned_line_prepare(struct cache *c, struct action_batch_line *l, char *const *v, time_t now)
{
	const struct action_def *d;
	const char *values[CC__COUNT + 1];
	char *id, *json;
	cJSON *o = NULL;
	int i, same = 0;

	memset(values, 0, sizeof values);
	if ((id = canned_id_of(c, v[CC_SHORTCUT], v[CC_LANG], NULL)) != NULL &&
	    (json = cache_get_json(c, KIND_CANNED_REPLY, id)) != NULL) {
		o = cJSON_Parse(json);
		free(json);
	}
	if (id == NULL) {
		d = action_find("canned", "add");
		for (i = 0; i < CC__COUNT; i++)
			values[action_arg_index(d, canned_cols[i])] = v[i];
	} else {
		d = action_find("canned", "edit");
		same = 1;
		for (i = CC_TITLE; i <= CC_BODY; i++)
			if (json_str(o, canned_cols[i]) == NULL ||
			    strcmp(json_str(o, canned_cols[i]), v[i]) != 0) {
				values[action_arg_index(d, canned_cols[i])] = v[i];
				same = 0;
			}
	}
	cJSON_Delete(o);
	if (same) {
		free(id);
		return 0;
	}
	l->id = id;
	if ((l->status = action_prepare(c, d, id, values, now, &l->plan, &l->error)) != SD_OK)
		return -1;
	return 1;
}

/* The name of the column at field j of a line, by the header's order. */
static const char *
canned_col_name(const int *col, int j)
{
	int i;

	for (i = 0; i < CC__COUNT; i++)
		if (col[i] == j)
			return canned_cols[i];
	return "a field";
}

static enum sd_status
canned_import(struct cache *c, const char *text, size_t len, time_t now,
    struct action_batch *b, size_t *unchanged, char **cause)
{
	struct action_csv csv;
	struct action_batch_line *l;
	char **fields = NULL, *error, *v[CC__COUNT], *role, *roles, *clean;
	const struct action_def *add = action_find("canned", "add");
	int n = 0, rc, i, j, col[CC__COUNT], ncols = -1, r;
	long start;
	size_t k;
	enum sd_status st = SD_OK;

	memset(b, 0, sizeof *b);
	b->def = add;
	*unchanged = 0;
	*cause = NULL;
	if (!caps_kind_offered(c, KIND_CANNED_REPLY)) {
		*cause = caps_refusal(c, "canned replies");
		return SD_EREFUSED;
	}
	role = cache_state_get(c, "me.role");
	r = role != NULL ? role_from_name(role) : -1;
	free(role);
	if (!action_role_allows(add, r)) {
		roles = action_roles_text(add->roles);
		*cause = xasprintf("your role (%s) may not manage canned replies: that needs %s",
		    role_name((enum sd_role)r), roles);
		free(roles);
		return SD_EAUTH;
	}
	memset(&csv, 0, sizeof csv);
	csv.p = text;
	csv.end = text + len;
	csv.line = 1;
	buf_init(&csv.field);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		csv.p += 3;
	while ((rc = action_csv_record(&csv, &fields, &n, &start, &error)) != 0) {
		if (rc > 0 && action_csv_blank(fields, n)) {
			action_csv_fields_free(fields, n);
			continue;
		}
		if (ncols < 0) {
			/* The header: the four columns, in any order. */
			for (i = 0; i < CC__COUNT; i++)
				col[i] = -1;
			for (j = 0; rc > 0 && j < n; j++) {
				for (i = 0; canned_cols[i] != NULL &&
				    strcasecmp(fields[j], canned_cols[i]) != 0; i++)
					;
				if (canned_cols[i] == NULL || col[i] >= 0) {
					clean = text_sanitize(fields[j], 0);
					*cause = xasprintf("line %ld: %s column '%s' in the header (the "
					    "columns: shortcut, lang, title, body)", start,
					    canned_cols[i] == NULL ? "unknown" : "a second", clean);
					free(clean);
					break;
				}
				col[i] = j;
			}
			for (i = 0; rc > 0 && *cause == NULL && i < CC__COUNT; i++)
				if (col[i] < 0)
					*cause = xasprintf("line %ld: the header has no %s column (the "
					    "columns: shortcut, lang, title, body)", start,
					    canned_cols[i]);
			if (rc < 0) {
				*cause = xasprintf("line %ld: %s", start, error);
				free(error);
			}
			action_csv_fields_free(fields, n);
			if (*cause != NULL) {
				st = SD_EUSAGE;
				goto out;
			}
			ncols = n;
			continue;
		}
		if (rc < 0) {
			canned_line(b, start, error);
			action_csv_fields_free(fields, n);
			continue;
		}
		if (n != ncols) {
			canned_line(b, start, xasprintf("%d fields, but the header has %d", n,
			    ncols));
			action_csv_fields_free(fields, n);
			continue;
		}
		if (csv.nul_field >= 0) {
			/* A C string would end at the NUL: refused, never cut short. */
			canned_line(b, start, xasprintf("%s: a NUL byte (is it a text file? save "
			    "it as CSV UTF-8)", canned_col_name(col, csv.nul_field)));
			action_csv_fields_free(fields, n);
			continue;
		}
		for (i = 0; i < CC__COUNT; i++)
			v[i] = fields[col[i]];
		if ((error = canned_line_problems(v)) == NULL) {
			/* One line per reply: a second one would silently win. */
			for (k = 0; k < b->n; k++)
				if (b->lines[k].plan.body != NULL &&
				    json_str(b->lines[k].plan.body, "shortcut") != NULL &&
				    strcmp(json_str(b->lines[k].plan.body, "shortcut"), v[CC_SHORTCUT]) == 0 &&
				    strcmp(json_str(b->lines[k].plan.body, "lang"), v[CC_LANG]) == 0)
					break;
			if (k < b->n)
				error = xasprintf("/%s in %s is already on line %ld; one line per "
				    "shortcut and language", v[CC_SHORTCUT], v[CC_LANG],
				    b->lines[k].line);
		}
		if (error != NULL) {
			canned_line(b, start, error);
			action_csv_fields_free(fields, n);
			continue;
		}
		l = canned_line(b, start, NULL);
		switch (canned_line_prepare(c, l, v, now)) {
		case 0:
			(*unchanged)++;
			b->n--;		/* nothing to do for it */
			break;
		case -1:
			b->bad++;
			break;
		default:
			/*
			 * An edit's body names the pair too (the same values: the
			 * store changes nothing for them), for the check above.
			 */
			if (json_str(l->plan.body, "shortcut") == NULL) {
				json_set_str(l->plan.body, "shortcut", v[CC_SHORTCUT]);
				json_set_str(l->plan.body, "lang", v[CC_LANG]);
			}
			break;
		}
		action_csv_fields_free(fields, n);
	}
	if (ncols < 0) {
		*cause = xstrdup("the file is empty: it needs the header shortcut,lang,title,body "
		    "and one line per reply");
		st = SD_EUSAGE;
	} else if (b->n == 0 && *unchanged == 0) {
		*cause = xstrdup("nothing to do: the file has a header but no lines");
		st = SD_EUSAGE;
	}
out:
	buf_done(&csv.field);
	return st;
}

enum sd_status
action_canned_import(struct cache *c, const char *text, size_t len, time_t now,
    struct action_batch *b, size_t *unchanged, char **cause)
{
	enum sd_status st;
	int snap = cache_read_begin(c) == 0;

	st = canned_import(c, text, len, now, b, unchanged, cause);
	if (snap)
		cache_read_end(c);
	return st;
}

char *
action_canned_preview(struct cache *c, const char *conv_id, const char *word, char **which)
{
	struct action_ctx ctx;
	sqlite3_stmt *stmt;
	char *cause = NULL, *shortcut, *lang = NULL, *colon, *missing, *json, *text = NULL;
	cJSON *reply = NULL;
	struct buf out;

	*which = NULL;
	if (word == NULL || word[0] != '/' || word[1] == '/')
		return NULL;
	shortcut = xstrdup(word + 1);
	if ((colon = strchr(shortcut, ':')) != NULL) {
		*colon = '\0';
		lang = colon + 1;
	}
	action_ctx_init(&ctx, c, action_find("chats", "send"), conv_id, NULL, time(NULL), &cause);
	if (conv_id != NULL && (json = cache_get_json(c, KIND_CONVERSATION, conv_id)) != NULL) {
		ctx.obj = cJSON_Parse(json);
		free(json);
	}
	/* The shortcut typed, else the first that starts with it (the first candidate). */
	if ((reply = canned_find(&ctx, shortcut, lang != NULL && *lang != '\0' ? lang : NULL))
	    == NULL && (lang == NULL || *lang == '\0') &&
	    sqlite3_prepare_v2(cache_db(c), "SELECT shortcut FROM canned_replies WHERE"
	    " substr(shortcut, 1, length(?1)) = ?1 ORDER BY shortcut LIMIT 1", -1, &stmt,
	    NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, shortcut, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			reply = canned_find(&ctx, (const char *)sqlite3_column_text(stmt, 0), NULL);
		sqlite3_finalize(stmt);
	}
	if (reply != NULL) {
		buf_init(&out);
		missing = canned_fill(&ctx, json_str(reply, "body") != NULL ?
		    json_str(reply, "body") : "", json_str(reply, "lang") != NULL ?
		    json_str(reply, "lang") : "", 1, &out);
		free(missing);
		text = action_utf8_prefix(buf_str(&out), CANNED_BODY_MAX);
		buf_done(&out);
		*which = xasprintf("/%s:%s", json_str(reply, "shortcut") != NULL ?
		    json_str(reply, "shortcut") : "", json_str(reply, "lang") != NULL ?
		    json_str(reply, "lang") : "");
		cJSON_Delete(reply);
	}
	action_ctx_done(&ctx);
	free(cause);
	free(shortcut);
	return text;
}
