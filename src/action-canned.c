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

#include "action-internal.h"
#include "action.h"
#include "caps.h"
#include "model.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

#define CANNED_LANG_MAX	16

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
		if ((o = cJSON_Parse((const char *)sqlite3_column_text(stmt, 0))) == NULL)
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

/* body with its placeholders filled into out; the first unfillable one, else NULL. */
static char *
canned_fill(struct action_ctx *ctx, const char *body, const char *lang, struct buf *out)
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
		} else if (missing == NULL)
			missing = key;
		else
			free(key);
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
		if (strlen(colon + 1) >= sizeof lang)
			return action_fail(ctx, SD_EUSAGE, "/%s: no language is called '%s'",
			    shortcut, colon + 1);
		strcpy(lang, colon + 1);
	}
	if ((reply = canned_find(ctx, shortcut, lang[0] != '\0' ? lang : NULL)) == NULL)
		return action_fail(ctx, SD_EUSAGE, "no canned reply has the shortcut /%s%s%s (Tab "
		    "after / lists them; start with // to send text beginning with /)", shortcut,
		    lang[0] != '\0' ? " in " : "", lang);
	/* Carriers are named in the reply's language. */
	buf_init(&out);
	missing = canned_fill(ctx, json_str(reply, "body") != NULL ? json_str(reply, "body") : "",
	    json_str(reply, "lang") != NULL ? json_str(reply, "lang") : "", &out);
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
