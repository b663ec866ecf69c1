/*
 * action-input.c -- what people type, made into a request: money, times,
 * the values of an action's options, and CSV batches of actions.
 *
 * Every value is checked against its argument's type and bounds before the
 * cache is even read, so a typo is reported as one (exit 2) with the option
 * or CSV column named; a CSV file is read whole and every bad line reported
 * with its number before anything is queued.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>
#include <iconv.h>
#include <sqlite3.h>

#include "action-internal.h"
#include "action.h"
#include "outbox.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/* --- money and time --------------------------------------------------------------- */

/* fen as yuan with two decimals, after the sign and currency. */
static void
money_text(long long fen, const char *currency, struct buf *out)
{
	unsigned long long a = fen < 0 ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;

	buf_addf(out, "%s%s%llu.%02llu", fen < 0 ? "-" : "", currency, a / 100, a % 100);
}

void
action_format_money(long long fen, struct buf *out)
{
	money_text(fen, text_locale_utf8() ? "\xc2\xa5" : "CNY ", out);
}

char *
action_money_text(long long fen)
{
	struct buf b;

	buf_init(&b);
	action_format_money(fen, &b);
	return buf_steal(&b);
}

static int
money_fail(char **cause, const char *s, const char *why)
{
	char *clean = text_clip(s);

	*cause = xasprintf("bad amount '%s': %s", clean, why);
	free(clean);
	return -1;
}

int
action_parse_money(const char *s, long long min, long long max, long long *out, char **cause)
{
	const char *p = s, *q;
	long long yuan = 0, fen = 0;
	int neg = 0, digits = 0, group = -1, dec = 0;
	char *m1, *m2;

	while (*p == ' ')
		p++;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (strncmp(p, "\xc2\xa5", 2) == 0)		/* ¥ */
		p += 2;
	else if (strncmp(p, "\xef\xbf\xa5", 3) == 0)	/* ￥, the full-width sign */
		p += 3;
	else if (strncasecmp(p, "CNY", 3) == 0)
		p += 3 + (p[3] == ' ');
	if (!neg && *p == '-')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p))
		return money_fail(cause, s, "give yuan, such as 12.90 or ¥1,299.00");
	for (; isdigit((unsigned char)*p) || *p == ','; p++) {
		if (*p == ',') {
			/* Thousands separators only: "1,299", never "12,99". */
			if (digits == 0 || (group == -1 && digits > 3) || (group != -1 && group != 3))
				return money_fail(cause, s, "commas only between groups of "
				    "three digits (1,299.00)");
			group = 0;
			continue;
		}
		if (++digits > 12)
			return money_fail(cause, s, "too large");
		if (group != -1)
			group++;
		yuan = yuan * 10 + (*p - '0');
	}
	if (group != -1 && group != 3)
		return money_fail(cause, s, "commas only between groups of three digits (1,299.00)");
	if (*p == '.') {
		for (q = ++p; isdigit((unsigned char)*p); p++)
			dec++;
		if (dec == 0)
			return money_fail(cause, s, "no digits after the decimal point");
		if (dec > 2)
			return money_fail(cause, s, "more than 2 decimals (the smallest unit "
			    "is the fen, ¥0.01)");
		fen = (q[0] - '0') * 10 + (dec == 2 ? q[1] - '0' : 0);
	}
	if (strncmp(p, "\xe5\x85\x83", 3) == 0)		/* 元 */
		p += 3;
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return money_fail(cause, s, "give yuan, such as 12.90 or ¥1,299.00");
	*out = (yuan * 100 + fen) * (neg ? -1 : 1);
	if (*out < 0 && min >= 0)
		return money_fail(cause, s, "negative amounts are not allowed here");
	if (*out < min || *out > max) {
		m1 = action_money_text(min);
		m2 = action_money_text(max);
		*cause = *out < min ? xasprintf("amount must be at least %s", m1) :
		    xasprintf("amount must be at most %s", m2);
		free(m1);
		free(m2);
		return -1;
	}
	return 0;
}

int
action_parse_time(const char *s, time_t now, time_t *out, char **cause)
{
	char *clean;

	if (time_parse_user(s, now, out) == 0)
		return 0;
	clean = text_clip(s);
	*cause = xasprintf("bad time '%s' (a local time such as 2026-11-25 14:00, today, "
	    "tomorrow 20:00, now, an RFC 3339 time such as 2026-11-25T06:00:00Z, or +30m, +2h, "
	    "+7d from now)", clean);
	free(clean);
	return -1;
}

/* --- values ------------------------------------------------------------------------- */

static enum sd_status
range_fail(struct action_ctx *ctx, const char *label, const struct action_arg *a, long long v)
{
	if (v < a->min && a->min == 0)
		return action_fail(ctx, SD_EUSAGE, "%s must be 0 or more (got %lld)", label, v);
	if (v < a->min && a->max >= COUNT_MAX)
		return action_fail(ctx, SD_EUSAGE, "%s must be %lld or more (got %lld)", label, a->min, v);
	return action_fail(ctx, SD_EUSAGE, "%s must be %lld to %lld (got %lld)", label, a->min, a->max, v);
}

static enum sd_status
parse_int(struct action_ctx *ctx, const char *label, const struct action_arg *a, const char *s,
    long long *out)
{
	char *end, *clean;
	enum sd_status st;

	errno = 0;
	*out = strtoll(s, &end, 10);
	if (*s == '\0' || isspace((unsigned char)*s) || *end != '\0' || errno != 0) {
		clean = text_clip(s);
		st = action_fail(ctx, SD_EUSAGE, "%s must be a whole number, not '%s'", label, clean);
		free(clean);
		return st;
	}
	if (*out < a->min || *out > a->max)
		return range_fail(ctx, label, a, *out);
	return SD_OK;
}

/*
 * A SKU's specifications, "colour=red,size=M" (or 颜色=红色，尺码=M) into
 * {"colour":"red","size":"M"}: min..max pairs, names of 1 to 20 characters,
 * values of 1 to 40, a name given once.
 */
static enum sd_status
parse_specs(struct action_ctx *ctx, const struct action_arg *a, const char *label,
    const char *s, cJSON **out)
{
	char *copy = xstrdup(s), *tok, *save = NULL, *eq, *p;
	enum sd_status st = SD_OK;
	long nl, vl;

	/* A full-width comma separates as well as an ASCII one. */
	while ((p = strstr(copy, "\xef\xbc\x8c")) != NULL) {
		p[0] = ',';
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
	}
	*out = cJSON_CreateObject();
	for (tok = strtok_r(copy, ",", &save); tok != NULL && st == SD_OK;
	    tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " ");
		if ((eq = strchr(tok, '=')) == NULL) {
			st = action_fail(ctx, SD_EUSAGE, "%s: \"%s\" is not NAME=VALUE, as in "
			    "colour=red,size=M", label, tok);
			break;
		}
		*eq++ = '\0';
		for (p = eq - 1; p > tok && p[-1] == ' ';)
			*--p = '\0';
		eq += strspn(eq, " ");
		for (p = eq + strlen(eq); p > eq && p[-1] == ' ';)
			*--p = '\0';
		nl = action_utf8_chars(tok);
		vl = action_utf8_chars(eq);
		if (nl < 1 || nl > 20 || vl < 1 || vl > 40)
			st = action_fail(ctx, SD_EUSAGE, "%s: a name of 1 to 20 characters and "
			    "a value of 1 to 40, as in colour=red", label);
		else if (cJSON_GetObjectItemCaseSensitive(*out, tok) != NULL)
			st = action_fail(ctx, SD_EUSAGE, "%s: %s is given twice", label, tok);
		else
			json_set_str(*out, tok, eq);
	}
	if (st == SD_OK && (cJSON_GetArraySize(*out) < a->min ||
	    cJSON_GetArraySize(*out) > a->max))
		st = action_fail(ctx, SD_EUSAGE, "%s: %lld to %lld specifications, as in "
		    "colour=red,size=M", label, a->min, a->max);
	free(copy);
	return st;
}

/* "199:20,299:40" (yuan) into [{"threshold":19900,"off":2000},...]. */
static enum sd_status
parse_tiers(struct action_ctx *ctx, const char *label, const char *s, cJSON **out)
{
	char *copy = xstrdup(s), *tok, *save = NULL, *colon, *why = NULL;
	long long t, o;
	cJSON *tier;

	*out = cJSON_CreateArray();
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if ((colon = strchr(tok, ':')) == NULL) {
			free(copy);
			return action_fail(ctx, SD_EUSAGE, "%s: each tier is THRESHOLD:OFF in yuan, "
			    "such as 199:20", label);
		}
		*colon = '\0';
		if (action_parse_money(tok, 1, MONEY_MAX, &t, &why) != 0 ||
		    action_parse_money(colon + 1, 1, MONEY_MAX, &o, &why) != 0) {
			free(copy);
			action_fail(ctx, SD_EUSAGE, "%s: %s", label, why);
			free(why);
			return SD_EUSAGE;
		}
		tier = cJSON_CreateObject();
		json_set_int(tier, "threshold", t);
		json_set_int(tier, "off", o);
		cJSON_AddItemToArray(*out, tier);
	}
	free(copy);
	return SD_OK;
}

/*
 * A tracking number as the store keeps it: a scanner or a spreadsheet adds
 * blanks around or inside it ("SF 1234 5678"), and a carrier's letters are
 * upper case whatever was typed. Caller frees.
 */
char *
action_tracking_norm(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *q = out;

	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			*q++ = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
	*q = '\0';
	return out;
}

/* The JSON value of argument a given as s, into *out. */
static enum sd_status
parse_value(struct action_ctx *ctx, const struct action_arg *a, const char *s, cJSON **out)
{
	char label[64], *why = NULL, *clean, *list, *copy, *tok, *save = NULL;
	const struct carrier_info *ci;
	enum sd_status st = SD_OK;
	long long n;
	time_t t;
	char ts[RFC3339_LEN];
	long len;
	size_t i, k;

	*out = NULL;
	action_arg_label(ctx, a, label, sizeof label);
	switch (a->type) {
	case ARG_STRING:
		if ((len = action_utf8_chars(s)) < 0)
			return action_fail(ctx, SD_EUSAGE, "%s is not UTF-8 text", label);
		if (len == 0 && a->min > 0)
			return action_fail(ctx, SD_EUSAGE, "%s must not be empty", label);
		if (len < a->min || len > a->max)
			return action_fail(ctx, SD_EUSAGE, "%s must be %s%lld characters (it is %ld)",
			    label, a->min > 1 ? "" : "at most ", a->max, len);
		*out = cJSON_CreateString(s);
		break;
	case ARG_INT:
		if ((st = parse_int(ctx, label, a, s, &n)) == SD_OK)
			*out = cJSON_CreateNumber((double)n);
		break;
	case ARG_MONEY:
		if (action_parse_money(s, a->min, a->max, &n, &why) != 0) {
			st = action_fail(ctx, SD_EUSAGE, "%s: %s", label, why);
			free(why);
		} else
			*out = cJSON_CreateNumber((double)n);
		break;
	case ARG_TIME:
		if (action_parse_time(s, ctx->now, &t, &why) != 0) {
			st = action_fail(ctx, SD_EUSAGE, "%s: %s", label, why);
			free(why);
		} else {
			time_format_rfc3339(t, ts);
			*out = cJSON_CreateString(ts);
		}
		break;
	case ARG_BOOL:
		if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 || strcmp(s, "1") == 0)
			*out = cJSON_CreateTrue();
		else if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 ||
		    strcmp(s, "0") == 0)
			*out = cJSON_CreateFalse();
		else
			st = action_fail(ctx, SD_EUSAGE, "%s must be yes or no", label);
		break;
	case ARG_ENUM:
		for (i = 0; a->values[i] != NULL; i++)
			if (strcmp(a->values[i], s) == 0)
				break;
		if (a->values[i] != NULL) {
			*out = cJSON_CreateString(s);
			break;
		}
		clean = text_clip(s);
		list = action_list_text(a->values);
		st = action_fail(ctx, SD_EUSAGE, "unknown %s '%s' (one of: %s)", label, clean, list);
		free(clean);
		free(list);
		break;
	case ARG_CARRIER:
		if ((ci = carrier_resolve(s)) != NULL) {
			*out = cJSON_CreateString(ci->code);
			break;
		}
		clean = text_clip(s);
		list = action_carriers_text();
		st = action_fail(ctx, SD_EUSAGE, "unknown carrier '%s' (known: %s)", clean, list);
		free(clean);
		free(list);
		break;
	case ARG_TRACKING:
		copy = action_tracking_norm(s);
		len = (long)strlen(copy);
		clean = text_clip(copy);
		k = strspn(copy, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
		if (k != (size_t)len) {
			why = action_utf8_prefix(copy + k, 1);
			list = text_sanitize(why, 0);
			st = action_fail(ctx, SD_EUSAGE, "tracking number '%s' has '%s': only letters and "
			    "digits are allowed", clean, list);
			free(why);
			free(list);
		}
		else if (len < a->min || len > a->max)
			st = action_fail(ctx, SD_EUSAGE, "tracking number '%s' is %ld characters long: it "
			    "must be %lld to %lld", clean, len, a->min, a->max);
		else
			*out = cJSON_CreateString(copy);
		free(clean);
		free(copy);
		break;
	case ARG_USER:
		if (strcmp(s, "me") == 0) {
			if (ctx->me == NULL)
				return action_fail(ctx, SD_ECONFIG, "%s me: who you are is not known yet; "
				    "run 'shopdesk sync' once while online", label);
			s = ctx->me;
		}
		if (strlen(s) < (size_t)a->min || strlen(s) > (size_t)a->max)
			return action_fail(ctx, SD_EUSAGE, "%s must be a user id such as U3", label);
		if (cache_count(ctx->cache, KIND_USER) > 0) {
			if ((copy = cache_get_json(ctx->cache, KIND_USER, s)) == NULL)
				return action_not_cached(ctx, KIND_USER, s);
			free(copy);
		}
		*out = cJSON_CreateString(s);
		break;
	case ARG_LIST:
		*out = cJSON_CreateArray();
		copy = xstrdup(s);
		for (tok = strtok_r(copy, ", ", &save); tok != NULL && st == SD_OK;
		    tok = strtok_r(NULL, ", ", &save)) {
			if ((len = action_utf8_chars(tok)) < a->min || len > a->max)
				st = action_fail(ctx, SD_EUSAGE, "%s: each item must be %lld to %lld "
				    "characters", label, a->min, a->max);
			else
				cJSON_AddItemToArray(*out, cJSON_CreateString(tok));
		}
		free(copy);
		break;
	case ARG_TIERS:
		st = parse_tiers(ctx, label, s, out);
		break;
	case ARG_SPECS:
		st = parse_specs(ctx, a, label, s, out);
		break;
	case ARG_JSON:
		if ((*out = cJSON_Parse(s)) == NULL)
			st = action_fail(ctx, SD_EUSAGE, "%s is not valid JSON", label);
		break;
	}
	if (st != SD_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return st;
}

/*
 * Parse every value given into the body; check the required ones. Options
 * stop at the first problem; a CSV line reports all of them, "; "-separated,
 * so that one round of fixing the file is enough.
 */
enum sd_status
action_build_body(struct action_ctx *ctx)
{
	const struct action_arg *a;
	enum sd_status st, first = SD_OK;
	struct buf all;
	char label[64];
	cJSON *v;
	int i;

	buf_init(&all);
	for (i = 0; (a = &ctx->def->args[i])->flag != NULL; i++) {
		if (ctx->values[i] == NULL) {
			if (!(a->flags & ARG_REQUIRED))
				continue;
			action_arg_label(ctx, a, label, sizeof label);
			if (ctx->csv)
				st = action_fail(ctx, SD_EUSAGE, "%s is empty (%s)", label, a->help);
			else
				return action_fail(ctx, SD_EUSAGE, "%s %s is required: %s", label,
				    a->type == ARG_BOOL ? "" : a->metavar, a->help);
		} else if ((st = parse_value(ctx, a, ctx->values[i], &v)) == SD_OK) {
			action_json_set(ctx->body, a->field, v);
			continue;
		} else if (!ctx->csv) {
			buf_done(&all);
			return st;
		}
		if (first == SD_OK)
			first = st;
		buf_addf(&all, "%s%s", all.len ? "; " : "", *ctx->cause);
	}
	if (first != SD_OK) {
		free(*ctx->cause);
		*ctx->cause = buf_steal(&all);
	} else
		buf_done(&all);
	return first;
}

/* --- words: a body back into what was typed -------------------------------------- */

/*
 * The text of v, the body's value of argument a, as it is typed: what
 * parse_value() turns back into v. -1 when v is not of a's type (a body
 * written by hand), so the caller can fall back to a JSON argument.
 */
static int
words_value(const struct action_arg *a, const cJSON *v, struct buf *out)
{
	const cJSON *t;
	char *json;
	int n = 0;

	switch (a->type) {
	case ARG_STRING:
	case ARG_TIME:
	case ARG_ENUM:
	case ARG_CARRIER:
	case ARG_TRACKING:
	case ARG_USER:
		if (!cJSON_IsString(v))
			return -1;
		buf_adds(out, v->valuestring);
		return 0;
	case ARG_INT:
	case ARG_MONEY:
		if (!cJSON_IsNumber(v) || v->valuedouble != (double)(long long)v->valuedouble)
			return -1;
		if (a->type == ARG_MONEY)
			money_text((long long)v->valuedouble, "", out);
		else
			buf_addf(out, "%lld", (long long)v->valuedouble);
		return 0;
	case ARG_BOOL:
		return cJSON_IsBool(v) ? 0 : -1;
	case ARG_LIST:
		if (!cJSON_IsArray(v))
			return -1;
		cJSON_ArrayForEach(t, v) {
			if (!cJSON_IsString(t) || strpbrk(t->valuestring, ", ") != NULL)
				return -1;
			buf_addf(out, "%s%s", n++ ? "," : "", t->valuestring);
		}
		return 0;
	case ARG_TIERS:
		if (!cJSON_IsArray(v))
			return -1;
		cJSON_ArrayForEach(t, v) {
			if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(t, "threshold")) ||
			    !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(t, "off")) ||
			    cJSON_GetArraySize(t) != 2)
				return -1;
			if (n++)
				buf_addc(out, ',');
			money_text(json_int(t, "threshold", 0), "", out);
			buf_addc(out, ':');
			money_text(json_int(t, "off", 0), "", out);
		}
		return 0;
	case ARG_SPECS:
		if (!cJSON_IsObject(v))
			return -1;
		cJSON_ArrayForEach(t, v) {
			if (!cJSON_IsString(t) || strpbrk(t->string, ",=") != NULL ||
			    strpbrk(t->valuestring, ",=") != NULL)
				return -1;
			buf_addf(out, "%s%s=%s", n++ ? "," : "", t->string, t->valuestring);
		}
		return 0;
	case ARG_JSON:
		break;
	}
	json = json_print(v);
	buf_adds(out, json);
	cJSON_free(json);
	return 0;
}

/* Whether argument a gives v, the body's value at a's field. */
static int
words_fits(const struct action_arg *a, const cJSON *v)
{
	struct buf b;
	int rc;

	buf_init(&b);
	rc = words_value(a, v, &b);
	buf_done(&b);
	return rc == 0;
}

/* The index of d's argument for body member path, or -1. */
static int
words_arg(const struct action_def *d, const char *path)
{
	int i;

	for (i = 0; d->args[i].flag != NULL; i++)
		if (strcmp(d->args[i].field, path) == 0)
			return i;
	return -1;
}

/*
 * Whether the members of obj, at dotted path, are given by the arguments
 * marked in use, or (use == NULL) could all be given by arguments other than
 * the one for path itself: "rules" by --threshold and --off.
 */
static int
words_cover(const struct action_def *d, const char *path, const cJSON *obj, const int *use)
{
	const cJSON *m;
	char sub[128];
	int i;

	cJSON_ArrayForEach(m, obj) {
		snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", m->string);
		i = words_arg(d, sub);
		if (use == NULL ? i >= 0 && d->args[i].type != ARG_JSON && words_fits(&d->args[i], m) :
		    i >= 0 && use[i])
			continue;
		if (!cJSON_IsObject(m) || !words_cover(d, sub, m, use))
			return 0;
	}
	return 1;
}

int
action_words(const struct action_def *d, const cJSON *body, char ***argv, char **cause)
{
	int n = action_arg_count(d), *use, i, j, argc = 0, named = 0;
	const struct action_arg *a;
	const cJSON *v;
	size_t len;
	struct buf b;

	*argv = xcalloc((size_t)n * 2 + 1, sizeof **argv);
	use = xcalloc((size_t)n + 1, sizeof *use);
	/* What each argument gives: a JSON one only what the others cannot. */
	for (i = 0; i < n; i++) {
		a = &d->args[i];
		v = json_path(body, a->field);
		use[i] = v != NULL && words_fits(a, v) && (a->type != ARG_JSON ||
		    !cJSON_IsObject(v) || !words_cover(d, a->field, v, NULL));
	}
	for (i = 0; i < n; i++) {
		if (!use[i] || d->args[i].type != ARG_JSON)
			continue;
		len = strlen(d->args[i].field);
		for (j = 0; j < n; j++)
			if (strncmp(d->args[j].field, d->args[i].field, len) == 0 &&
			    d->args[j].field[len] == '.')
				use[j] = 0;
	}
	if (!words_cover(d, "", body, use)) {
		*cause = xasprintf("the %s request has members that no option of %s %s gives",
		    d->name, d->noun, d->name);
		action_words_free(argv);
		free(use);
		return -1;
	}

	/* Required ones in order while there is no gap, the others by name. */
	buf_init(&b);
	for (i = 0; i < n; i++) {
		a = &d->args[i];
		v = json_path(body, a->field);
		if (a->type == ARG_BOOL) {
			if (use[i] && cJSON_IsTrue(v))
				(*argv)[argc++] = xasprintf("--%s", a->flag);
			continue;
		}
		if (!use[i]) {
			named = 1;
			continue;
		}
		buf_reset(&b);
		words_value(a, v, &b);
		if (named || !(a->flags & ARG_REQUIRED) || strncmp(buf_str(&b), "--", 2) == 0) {
			named = 1;
			(*argv)[argc++] = xasprintf("--%s", a->flag);
		}
		(*argv)[argc++] = xstrdup(buf_str(&b));
	}
	buf_done(&b);
	free(use);
	return argc;
}

void
action_words_free(char ***argv)
{
	char **v = *argv;
	int i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
	*argv = NULL;
}

/* --- CSV batches ---------------------------------------------------------------------- */

/*
 * Records are parsed by libcsv (RFC 4180, strict), fed one physical line at a
 * time so that a record's line number is known and a malformed record costs
 * only the lines it spans: reading goes on at the next line.
 */
struct csv_rec {
	char		***fields;
	int		*n, cap;
	int		 nul_field;
	int		 ended;
};

static void
csv_field_cb(void *s, size_t len, void *arg)
{
	struct csv_rec *r = arg;

	/* A NUL would silently cut the field where it is kept as a C string. */
	if (r->nul_field < 0 && s != NULL && memchr(s, '\0', len) != NULL)
		r->nul_field = *r->n;
	if (*r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		*r->fields = xrealloc(*r->fields, (size_t)r->cap * sizeof **r->fields);
	}
	(*r->fields)[(*r->n)++] = s != NULL ? xstrndup(s, len) : xstrdup("");
}

static void
csv_record_cb(int c, void *arg)
{
	struct csv_rec *r = arg;

	(void)c;
	r->ended = 1;
}

/* The end of the physical line at p: past its \n, \r\n or lone \r. */
static const char *
csv_line_end(const char *p, const char *end)
{
	while (p < end && *p != '\n' && *p != '\r')
		p++;
	if (p < end && *p == '\r') {
		if (++p < end && *p == '\n')
			p++;
	} else if (p < end && *p == '\n')
		p++;
	return p;
}

/*
 * The next record: its fields into *fields and *n (caller frees), the line it
 * starts on into *start. 1 with a record, 0 at the end, -1 for a malformed
 * record (*error set), after which reading goes on at the next line.
 */
int
action_csv_record(struct action_csv *c, char ***fields, int *n, long *start, char **error)
{
	struct csv_parser parser;
	struct csv_rec r;
	const char *q, *eol;
	size_t done;
	int rc = 1;

	*fields = NULL;
	*n = 0;
	*error = NULL;
	c->nul_field = -1;
	/* Lines of blanks only are no record (libcsv would skip them unseen). */
	for (;;) {
		for (q = c->p; q < c->end && (*q == ' ' || *q == '\t'); q++)
			;
		if (q < c->end && *q != '\n' && *q != '\r')
			break;
		if (q >= c->end) {
			c->p = c->end;
			return 0;
		}
		c->p = csv_line_end(q, c->end);
		c->line++;
	}
	*start = c->line;
	memset(&r, 0, sizeof r);
	r.fields = fields;
	r.n = n;
	r.nul_field = -1;
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		fatal("libcsv: cannot initialise a parser");
	csv_set_realloc_func(&parser, xrealloc);
	while (!r.ended && c->p < c->end) {
		eol = csv_line_end(c->p, c->end);
		done = csv_parse(&parser, c->p, (size_t)(eol - c->p), csv_field_cb,
		    csv_record_cb, &r);
		if (done < (size_t)(eol - c->p)) {
			/* Strict libcsv stops at a quote inside an unquoted field, or at
			 * text after a closing quote. */
			*error = xstrdup(c->p[done] == '"' ? "a quote inside a field that "
			    "does not start with one (quote the whole field and double the "
			    "quote: \"\")" : "text after a closing quote (double a quote "
			    "inside a quoted field: \"\")");
			c->p = eol;
			c->line++;
			rc = -1;
			break;
		}
		if (eol > c->p && (eol[-1] == '\n' || eol[-1] == '\r'))
			c->line++;
		c->p = eol;
	}
	if (rc > 0 && !r.ended && csv_fini(&parser, csv_field_cb, csv_record_cb, &r) != 0) {
		*error = xstrdup("a quoted field is not closed");
		rc = -1;
	}
	csv_free(&parser);
	c->nul_field = r.nul_field;
	return rc;
}

void
action_csv_fields_free(char **fields, int n)
{
	while (n-- > 0)
		free(fields[n]);
	free(fields);
}

int
action_csv_blank(char **fields, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fields[i][0] != '\0')
			return 0;
	return 1;
}

/* Add a bad line to the batch. */
static void
batch_bad(struct action_batch *b, long line, char *id, enum sd_status st, char *error)
{
	struct action_batch_line *l;

	b->lines = xrealloc(b->lines, (b->n + 1) * sizeof *b->lines);
	l = &b->lines[b->n++];
	memset(l, 0, sizeof *l);
	l->line = line;
	l->id = id;
	l->status = st;
	l->error = error;
	b->bad++;
}

/*
 * The ids of a batch's lines so far, for "already on line N" without
 * comparing each line with every one before it: an open-addressing table
 * of line numbers (index + 1, 0 empty) of the first line of each id.
 */
struct batch_ids {
	size_t		*slot;
	size_t		 cap;		/* a power of two, or 0 */
	size_t		 n;
};

static size_t
batch_ids_hash(const char *id)
{
	size_t h = 2166136261u;

	while (*id != '\0')
		h = (h ^ (unsigned char)*id++) * 16777619u;
	return h;
}

/* The slot of id in ids: where it is, or the empty one where it would go. */
static size_t
batch_ids_find(const struct batch_ids *ids, const struct action_batch *b, const char *id)
{
	size_t i = batch_ids_hash(id) & (ids->cap - 1);

	while (ids->slot[i] != 0 && strcmp(b->lines[ids->slot[i] - 1].id, id) != 0)
		i = (i + 1) & (ids->cap - 1);
	return i;
}

/* The line (index into b->lines) that has id already, or -1 after adding line k. */
static long
batch_ids_add(struct batch_ids *ids, const struct action_batch *b, const char *id, size_t k)
{
	struct batch_ids old;
	size_t i, j;

	if ((ids->n + 1) * 2 > ids->cap) {
		old = *ids;
		ids->cap = old.cap == 0 ? 64 : old.cap * 2;
		ids->slot = xcalloc(ids->cap, sizeof *ids->slot);
		for (j = 0; j < old.cap; j++)
			if (old.slot[j] != 0)
				ids->slot[batch_ids_find(ids, b,
				    b->lines[old.slot[j] - 1].id)] = old.slot[j];
		free(old.slot);
	}
	i = batch_ids_find(ids, b, id);
	if (ids->slot[i] != 0)
		return (long)(ids->slot[i] - 1);
	ids->slot[i] = k + 1;
	ids->n++;
	return -1;
}

/*
 * The names a column goes by in the exports of carriers, ERPs and
 * spreadsheets, in both languages, for the column it is: the id column
 * ("order_id", "sku_id") or an argument's field.
 */
static const struct {
	const char	*column;
	const char	*alias;
} batch_aliases[] = {
	{ "order_id", "order_no" }, { "order_id", "order" }, { "order_id", "订单号" },
	{ "order_id", "订单编号" }, { "order_id", "订单id" },
	{ "carrier", "快递公司" }, { "carrier", "物流公司" }, { "carrier", "快递" },
	{ "carrier", "承运商" }, { "carrier", "carrier_name" },
	{ "tracking_no", "tracking" }, { "tracking_no", "tracking_number" },
	{ "tracking_no", "运单号" }, { "tracking_no", "快递单号" }, { "tracking_no", "物流单号" },
	{ "sku_id", "sku" }, { "sku_id", "sku编码" }, { "sku_id", "商品编码" },
	{ "delta", "数量" }, { "delta", "调整数量" }, { "delta", "qty" },
	{ "delta", "quantity" },
	{ "reason", "原因" }, { "reason", "调整原因" },
	{ "price", "价格" }, { "price", "现价" }, { "price", "售价" }, { "price", "新价格" },
	{ "price", "调价后价格" }, { "price", "new_price" },
};

/* A header's name without the blanks around it (a spreadsheet keeps them). */
static const char *
batch_name(const char *s, char *buf, size_t len)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/*
 * Map the header's names onto the id (-2), the arguments (index) or nothing
 * (-1: a column this action does not use, listed in *ignored); -1 on error.
 */
static int
batch_header(const struct action_def *d, char **fields, int n, int *cols, char **ignored,
    char **cause)
{
	char idcol[32], name[128], *clip;
	const char *col;
	struct buf want, skip;
	int i, j, have_id = 0, a;
	size_t k;

	snprintf(idcol, sizeof idcol, "%s_id", kind_info(d->kind)->name);
	buf_init(&want);
	buf_init(&skip);
	if (!(d->flags & ACTION_CREATE))
		buf_adds(&want, idcol);
	for (a = 0; d->args[a].flag != NULL; a++)
		buf_addf(&want, "%s%s", want.len ? ", " : "", d->args[a].field);
	for (i = 0; i < n; i++) {
		col = batch_name(fields[i], name, sizeof name);
		for (k = 0; k < sizeof batch_aliases / sizeof batch_aliases[0]; k++)
			if (strcasecmp(batch_aliases[k].alias, col) == 0) {
				col = batch_aliases[k].column;
				break;
			}
		if (!(d->flags & ACTION_CREATE) && (strcasecmp(col, idcol) == 0 ||
		    strcasecmp(col, "id") == 0)) {
			cols[i] = -2;
			have_id++;
		} else if ((cols[i] = action_arg_index(d, col)) < 0) {
			/* An export has more than we need: the recipient, a remark. */
			cols[i] = -1;
			clip = text_clip(name);
			buf_addf(&skip, "%s%s", skip.len ? ", " : "", name[0] != '\0' ? clip :
			    "(unnamed)");
			free(clip);
			continue;
		}
		for (j = 0; j < i; j++)
			if (cols[j] == cols[i]) {
				*cause = xasprintf("columns %d and %d of the header are both %s",
				    j + 1, i + 1, cols[i] == -2 ? idcol : d->args[cols[i]].field);
				goto fail;
			}
	}
	if (!(d->flags & ACTION_CREATE) && have_id == 0) {
		*cause = xasprintf("the header has no %s column (the columns of %s %s: %s)",
		    idcol, d->noun, d->name, buf_str(&want));
		goto fail;
	}
	for (a = 0; d->args[a].flag != NULL; a++) {
		for (i = 0; i < n && cols[i] != a; i++)
			;
		if (i == n && (d->args[a].flags & ARG_REQUIRED)) {
			*cause = xasprintf("the header has no %s column (the columns of %s %s: %s)",
			    d->args[a].field, d->noun, d->name, buf_str(&want));
			goto fail;
		}
	}
	buf_done(&want);
	*ignored = skip.len > 0 ? buf_steal(&skip) : NULL;
	if (*ignored == NULL)
		buf_done(&skip);
	return 0;
fail:
	buf_done(&want);
	buf_done(&skip);
	return -1;
}

/* Whether len bytes of s are UTF-8, and how many of its characters are not ASCII. */
static int
batch_utf8(const char *s, size_t len, size_t *wide, size_t *bad)
{
	size_t i = 0;
	uint32_t cp;
	int k;

	*wide = *bad = 0;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = text_utf8_decode(s + i, len - i, &cp);
		if (cp == 0xfffd && k == 1)
			(*bad)++;
		else
			(*wide)++;
		i += (size_t)k;
	}
	return *bad == 0;
}

/*
 * The file as UTF-8 (caller frees), and what it was read as. UTF-8, with or
 * without a BOM, is taken as it is; else GB18030 (a superset of GBK, what
 * Excel saves on a Chinese Windows) when all of it converts and it is not
 * mostly UTF-8 with a few stray bytes: those lines are then reported as not
 * UTF-8, one by one, rather than the whole file read as nonsense.
 */
static char *
batch_decode(const char *text, size_t len, size_t *outlen, const char **enc)
{
	size_t wide, bad, in, left;
	char *out, *ip, *op;
	iconv_t cd;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
		if (batch_utf8(text, len, &wide, &bad)) {
			*enc = "UTF-8 with BOM";
			goto copy;
		}
	} else if (batch_utf8(text, len, &wide, &bad)) {
		*enc = "UTF-8";
		goto copy;
	}
	*enc = "UTF-8";
	if (bad <= wide || (cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		goto copy;
	/* A GB18030 character of 2 or 4 bytes is at most 4 in UTF-8. */
	out = xmalloc(len * 2 + 1);
	ip = (char *)(uintptr_t)text;
	in = len;
	op = out;
	left = len * 2;
	if (iconv(cd, &ip, &in, &op, &left) != (size_t)-1 && in == 0) {
		iconv_close(cd);
		*op = '\0';
		*outlen = (size_t)(op - out);
		*enc = "GB18030";
		return out;
	}
	iconv_close(cd);
	free(out);
copy:
	out = xmalloc(len + 1);
	memcpy(out, text, len);
	out[len] = '\0';
	*outlen = len;
	return out;
}

/* A line's problems, bounded: a line of a hundred bad columns stays readable. */
#define BATCH_ERROR_MAX	400
#define BATCH_SHOWN_MAX	(64u << 20)	/* bytes of the lines' objects kept (plan.shown, .ready) */

static char *
batch_error_bound(char *e)
{
	char *cut;

	if (e == NULL || action_utf8_chars(e) <= BATCH_ERROR_MAX)
		return e;
	cut = action_utf8_prefix(e, BATCH_ERROR_MAX);
	free(e);
	e = xasprintf("%s… (cut)", cut);
	free(cut);
	return e;
}

/* Add problem to *err ("; "-separated); takes it. */
static void
batch_problem(char **err, char *problem)
{
	char *both;

	if (*err == NULL) {
		*err = problem;
		return;
	}
	both = xasprintf("%s; %s", *err, problem);
	free(*err);
	free(problem);
	*err = both;
}

/* A good line found bad after all: its plan goes. */
static void
batch_line_bad(struct action_batch *b, struct action_batch_line *l, char *problem)
{
	if (l->error == NULL) {
		action_plan_done(&l->plan);
		memset(&l->plan, 0, sizeof l->plan);
		l->status = SD_EUSAGE;
		b->bad++;
	}
	batch_problem(&l->error, problem);
}

struct batch_trk {
	char		*no;		/* normalised */
	size_t		 k;		/* the line, an index into b->lines */
};

static int
batch_trk_cmp(const void *x, const void *y)
{
	const struct batch_trk *a = x, *b = y;
	int c = strcmp(a->no, b->no);

	return c != 0 ? c : a->k < b->k ? -1 : a->k > b->k;
}

/*
 * A tracking number names one parcel: twice in the file, both lines are
 * bad (which is right is not for us to guess); on another order in the
 * cache, the line is bad and names that order. One pass over the cache.
 */
static void
batch_tracking(struct cache *cache, struct action_batch *b, struct batch_trk *t, size_t nt)
{
	struct action_batch_line *l;
	sqlite3_stmt *stmt;
	cJSON *list;
	char *json, *cause = NULL;
	const char *id, *no;
	size_t i, j, lo, hi, mid;

	if (nt == 0)
		return;
	qsort(t, nt, sizeof *t, batch_trk_cmp);
	for (i = 0; i < nt; i = j) {
		for (j = i + 1; j < nt && strcmp(t[j].no, t[i].no) == 0; j++)
			;
		if (j - i < 2)
			continue;
		for (lo = i; lo < j; lo++) {
			hi = lo == i ? i + 1 : i;
			batch_line_bad(b, &b->lines[t[lo].k], xasprintf("tracking number %s is "
			    "also on line %ld; one parcel per tracking number", t[lo].no,
			    b->lines[t[hi].k].line));
		}
	}
	list = cJSON_CreateArray();
	for (i = 0; i < nt; i++)
		if (i == 0 || strcmp(t[i].no, t[i - 1].no) != 0)
			cJSON_AddItemToArray(list, cJSON_CreateString(t[i].no));
	json = cJSON_PrintUnformatted(list);
	cJSON_Delete(list);
	stmt = cache_prepare(cache, "SELECT id, upper(tracking_no) FROM orders"
	    " WHERE upper(tracking_no) IN (SELECT value FROM json_each(?1))", &cause);
	free(cause);
	if (stmt == NULL) {
		free(json);
		return;
	}
	sqlite3_bind_text(stmt, 1, json, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(stmt, 0);
		no = (const char *)sqlite3_column_text(stmt, 1);
		if (id == NULL || no == NULL)
			continue;
		/* The first of no's lines, by binary search; then each of them. */
		for (lo = 0, hi = nt; lo < hi; ) {
			mid = lo + (hi - lo) / 2;
			if (strcmp(t[mid].no, no) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < nt && strcmp(t[lo].no, no) == 0; lo++) {
			l = &b->lines[t[lo].k];
			if (b->def->kind == KIND_ORDER && l->id != NULL && strcmp(l->id, id) == 0)
				continue;
			batch_line_bad(b, l, xasprintf("tracking number %s is already order "
			    "%s's", no, id));
		}
	}
	cache_stmt_done(cache, stmt);
	free(json);
}

static enum sd_status
batch_load(struct cache *cache, const struct action_def *d, const char *raw,
    size_t rawlen, time_t now, int ready, struct action_batch *b, char **cause)
{
	struct action_csv c;
	struct action_ctx ctx;
	struct action_batch_line *l;
	char **fields = NULL, **head = NULL, *error, *id, **values, *text;
	int n, nargs = action_arg_count(d), *cols = NULL, ncols = 0, rc, i, trk = -1;
	struct batch_ids ids;
	struct batch_trk *t = NULL;
	struct cache_prep *prep = NULL;
	size_t nt = 0, len, k, kept = 0;
	enum sd_status st = SD_OK;
	long start, dup;

	memset(&ids, 0, sizeof ids);
	memset(b, 0, sizeof *b);
	b->def = d;
	*cause = NULL;
	text = batch_decode(raw, rawlen, &len, &b->encoding);
	memset(&c, 0, sizeof c);
	c.p = text;
	c.end = text + len;
	c.line = 1;
	buf_init(&c.field);
	for (i = 0; i < nargs; i++)
		if (d->args[i].type == ARG_TRACKING)
			trk = i;
	values = xcalloc((size_t)nargs + 1, sizeof *values);
	action_ctx_init(&ctx, cache, d, NULL, (const char *const *)values, now, cause);
	if ((st = action_refuse_unoffered(&ctx)) != SD_OK)
		goto out;
	if (!action_role_allows(d, ctx.role)) {
		id = action_roles_text(d->roles);
		st = action_fail(&ctx, SD_EAUTH, "your role (%s) may not %s %s: that needs %s",
		    role_name((enum sd_role)ctx.role), d->name, d->noun, id);
		free(id);
		goto out;
	}
	while ((rc = action_csv_record(&c, &fields, &n, &start, &error)) != 0) {
		if (rc > 0 && action_csv_blank(fields, n)) {
			action_csv_fields_free(fields, n);
			continue;
		}
		if (cols == NULL) {
			if (rc < 0) {
				st = action_fail(&ctx, SD_EUSAGE, "line %ld: %s", start, error);
				free(error);
				goto out;
			}
			if (c.nul_field >= 0) {
				st = action_fail(&ctx, SD_EUSAGE, "line %ld: the header has a NUL "
				    "byte (in field %d): is it a text file? save it as CSV UTF-8",
				    start, c.nul_field + 1);
				goto out;
			}
			cols = xcalloc((size_t)n, sizeof *cols);
			ncols = n;
			for (i = 0; i < n; i++)
				if (action_utf8_chars(fields[i]) < 0)
					break;
			if (i < n || batch_header(d, fields, n, cols, &b->ignored, cause) != 0) {
				if (*cause == NULL)
					*cause = xstrdup("the header is neither UTF-8 nor GB18030 "
					    "text; save the file as CSV UTF-8");
				st = SD_EUSAGE;
				goto out;
			}
			head = fields;	/* the fields' names, for the messages */
			fields = NULL;
			continue;
		}
		if (rc < 0) {
			batch_bad(b, start, NULL, SD_EUSAGE, error);
			action_csv_fields_free(fields, n);
			continue;
		}
		/* Every problem of the line, not only the first. */
		id = NULL;
		memset(values, 0, (size_t)nargs * sizeof *values);
		error = NULL;
		if (c.nul_field >= 0)
			batch_problem(&error, xasprintf("%s: a NUL byte (is it a text file? save "
			    "it as CSV UTF-8)", c.nul_field < ncols ? head[c.nul_field] :
			    "a field past the header"));
		for (i = 0; i < n && i < ncols; i++) {
			if (action_utf8_chars(fields[i]) < 0) {
				batch_problem(&error, xasprintf("%s: not UTF-8 text (a line in "
				    "another encoding? save the file as CSV UTF-8)", head[i]));
				continue;
			}
			if (cols[i] == -2)
				id = fields[i][0] != '\0' ? xstrdup(fields[i]) : NULL;
			else if (cols[i] >= 0 && fields[i][0] != '\0')
				values[cols[i]] = fields[i];
		}
		if (n != ncols)
			batch_problem(&error, xasprintf("%d fields, but the header has %d", n,
			    ncols));
		if (id == NULL && !(d->flags & ACTION_CREATE))
			batch_problem(&error, xasprintf("the %s_id is empty",
			    kind_info(d->kind)->name));
		if (id != NULL) {
			/* The line about to be added is b->lines[b->n], good or bad. */
			if ((dup = batch_ids_add(&ids, b, id, b->n)) >= 0)
				batch_problem(&error, xasprintf("%s %s is already on line %ld; one "
				    "line per %s", kind_info(d->kind)->name, id,
				    b->lines[dup].line, kind_info(d->kind)->name));
		}
		if (error == NULL && trk >= 0 && values[trk] != NULL) {
			t = xrealloc(t, (nt + 1) * sizeof *t);
			t[nt].no = action_tracking_norm(values[trk]);
			t[nt++].k = b->n;
		}
		if (error != NULL) {
			batch_bad(b, start, id, SD_EUSAGE, error);
			action_csv_fields_free(fields, n);
			continue;
		}
		b->lines = xrealloc(b->lines, (b->n + 1) * sizeof *b->lines);
		l = &b->lines[b->n++];
		memset(l, 0, sizeof *l);
		l->line = start;
		l->id = id;
		ctx.id = id;
		ctx.csv = 1;
		/*
		 * The line's JSON (its object's parse above all: ~80 nodes an
		 * order) in an arena, with no malloc and free per node; what
		 * the plan keeps of it is copied out to the heap.
		 */
		json_arena_begin();
		l->status = action_prepare_ctx(&ctx, &l->plan);
		if (l->status == SD_OK && l->plan.shown != NULL) {
			/*
			 * Kept for the overlays up to a bound (past it they are
			 * read again), with the overlay made now from the object
			 * parsed for the check when the file is to be queued and
			 * the overlay can be (a read and a parse less when
			 * queued): the two count towards the bound.
			 */
			size_t sz = strlen(l->plan.shown);

			if (kept + sz > BATCH_SHOWN_MAX) {
				free(l->plan.shown);
				l->plan.shown = NULL;
			} else
				kept += sz;
			if (l->plan.shown != NULL && ready && kept < BATCH_SHOWN_MAX) {
				if (prep == NULL) {
					prep = cache_prep_new();
					cache_prep_share(cache, prep);
				}
				l->plan.ready = outbox_overlay_ready(cache, prep, d->kind, id,
				    ctx.obj, l->plan.shown, l->plan.patch);
				kept += cache_row_size(l->plan.ready);
			}
		}
		if (l->status == SD_OK) {
			l->plan.body = json_heap_dup(l->plan.body);
			l->plan.patch = json_heap_dup(l->plan.patch);
		}
		action_ctx_reset(&ctx);
		json_arena_end();
		if (l->status != SD_OK) {
			l->error = *cause;
			*cause = NULL;
			b->bad++;
		}
		action_csv_fields_free(fields, n);
	}
	fields = NULL;
	if (cols == NULL)
		st = action_fail(&ctx, SD_EUSAGE, "the file is empty: it needs a header line and "
		    "one line per %s", kind_info(d->kind)->name);
	else if (b->n == 0)
		st = action_fail(&ctx, SD_EUSAGE, "nothing to do: the file has a header but no lines");
	else
		batch_tracking(cache, b, t, nt);
	for (k = 0; k < b->n; k++)
		b->lines[k].error = batch_error_bound(b->lines[k].error);
out:
	if (fields != NULL)
		action_csv_fields_free(fields, n);
	if (head != NULL)
		action_csv_fields_free(head, ncols);
	for (k = 0; k < nt; k++)
		free(t[k].no);
	free(t);
	action_ctx_done(&ctx);
	cache_prep_free(prep);
	buf_done(&c.field);
	free(ids.slot);
	free(cols);
	free(values);
	free(text);
	return st;
}

/* Every line is checked against one snapshot of the cache, read in one transaction. */
static enum sd_status
batch_read(struct cache *cache, const struct action_def *d, const char *text, size_t len,
    time_t now, int ready, struct action_batch *b, char **cause)
{
	enum sd_status st;
	long long as_of = outbox_seen_version(cache);
	int snap = cache_read_begin(cache) == 0;

	st = batch_load(cache, d, text, len, now, ready, b, cause);
	b->as_of = as_of;
	if (snap)
		cache_read_end(cache);
	return st;
}

enum sd_status
action_batch_load(struct cache *cache, const struct action_def *d, const char *text,
    size_t len, time_t now, struct action_batch *b, char **cause)
{
	return batch_read(cache, d, text, len, now, 1, b, cause);
}

enum sd_status
action_batch_check(struct cache *cache, const struct action_def *d, const char *text,
    size_t len, time_t now, struct action_batch *b, char **cause)
{
	return batch_read(cache, d, text, len, now, 0, b, cause);
}

void
action_batch_done(struct action_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->lines[i].id);
		free(b->lines[i].error);
		action_plan_done(&b->lines[i].plan);
	}
	free(b->lines);
	free(b->ignored);
	memset(b, 0, sizeof *b);
}
