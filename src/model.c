/*
 * model.c -- tables of kinds, roles and carriers.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define R(r)	(1u << (r))
#define ALL	(R(ROLE_ADMIN) | R(ROLE_OPS) | R(ROLE_FINANCE) | R(ROLE_AGENT) | R(ROLE_WAREHOUSE))

static const struct kind_info kinds[KIND__COUNT] = {
	{ KIND_ORDER, "order", "orders", "SO", "orders", "orders", ALL },
	{ KIND_TICKET, "ticket", "tickets", "AS", "tickets", "tickets",
	  R(ROLE_ADMIN) | R(ROLE_OPS) | R(ROLE_FINANCE) | R(ROLE_AGENT) },
	{ KIND_CONVERSATION, "conversation", "conversations", "CV", "conversations", "chats",
	  R(ROLE_ADMIN) | R(ROLE_OPS) | R(ROLE_AGENT) },
	{ KIND_MESSAGE, "message", "messages", "MS", "messages", NULL,
	  R(ROLE_ADMIN) | R(ROLE_OPS) | R(ROLE_AGENT) },
	{ KIND_PRODUCT, "product", "products", "P", "products", "products", ALL },
	{ KIND_SKU, "sku", "skus", "SK", "skus", "stock", ALL },
	{ KIND_PROMOTION, "promotion", "promotions", "PR", "promotions", "promos",
	  R(ROLE_ADMIN) | R(ROLE_OPS) | R(ROLE_FINANCE) | R(ROLE_AGENT) },
	{ KIND_CUSTOMER, "customer", "customers", "C", "customers", "customers",
	  R(ROLE_ADMIN) | R(ROLE_OPS) | R(ROLE_FINANCE) | R(ROLE_AGENT) },
	{ KIND_CANNED_REPLY, "canned_reply", "canned-replies", "CR", "canned_replies", NULL,
	  R(ROLE_ADMIN) | R(ROLE_OPS) | R(ROLE_AGENT) },
	{ KIND_USER, "user", "users", "U", "users", NULL, ALL },
	{ KIND_CATEGORY, "category", "categories", "CG", "categories", "categories", ALL },
};

static const char *roles[ROLE__COUNT] = {
	"admin", "ops", "finance", "agent", "warehouse"
};

const struct carrier_info carriers[] = {
	{ "SF", "顺丰速运", "SF Express", { "顺丰", "顺丰快递", NULL } },
	{ "JD", "京东物流", "JD Logistics", { "京东", "京东快递", NULL } },
	{ "ZTO", "中通快递", "ZTO Express", { "中通", NULL } },
	{ "YTO", "圆通速递", "YTO Express", { "圆通", "圆通快递", NULL } },
	{ "YUNDA", "韵达快递", "Yunda Express", { "韵达", NULL } },
	{ "EMS", "中国邮政EMS", "EMS", { "邮政", "中国邮政", "China Post", "China Post EMS" } },
	/* Last, so that the seeded stores' carrier weights (seed.c) stay as they were. */
	{ "STO", "申通快递", "STO Express", { "申通", NULL } },
	{ "JT", "极兔速递", "J&T Express", { "极兔", "极兔快递", "J&T", "JNT" } },
	{ NULL, NULL, NULL, { NULL } }
};

const struct kind_info *
kind_info(enum sd_kind k)
{
	return &kinds[k];
}

int
kind_from_name(const char *s)
{
	int i;

	for (i = 0; i < KIND__COUNT; i++)
		if (strcmp(kinds[i].name, s) == 0)
			return i;
	return -1;
}

int
kind_from_path(const char *s)
{
	int i;

	for (i = 0; i < KIND__COUNT; i++)
		if (strcmp(kinds[i].path, s) == 0)
			return i;
	return -1;
}

const char *
role_name(enum sd_role r)
{
	return roles[r];
}

int
role_from_name(const char *s)
{
	int i;

	for (i = 0; i < ROLE__COUNT; i++)
		if (strcmp(roles[i], s) == 0)
			return i;
	return -1;
}

int
role_can_read(enum sd_role r, enum sd_kind k)
{
	return (kinds[k].readers & R(r)) != 0;
}

int
role_masks_pii(enum sd_role r)
{
	return r == ROLE_OPS || r == ROLE_FINANCE;
}

const struct carrier_info *
carrier_find(const char *code)
{
	int i;

	for (i = 0; carriers[i].code != NULL; i++)
		if (strcasecmp(carriers[i].code, code) == 0)
			return &carriers[i];
	return NULL;
}

const struct carrier_info *
carrier_resolve(const char *name)
{
	const struct carrier_info *ci;
	size_t j;

	for (ci = carriers; ci->code != NULL; ci++) {
		if (text_name_eq(ci->code, name) || text_name_eq(ci->name_zh, name) ||
		    text_name_eq(ci->name_en, name))
			return ci;
		for (j = 0; j < sizeof ci->aliases / sizeof ci->aliases[0] &&
		    ci->aliases[j] != NULL; j++)
			if (text_name_eq(ci->aliases[j], name))
				return ci;
	}
	return NULL;
}

void
mask_phone(const char *phone, char *out, unsigned outlen)
{
	size_t n = strlen(phone);

	if (n >= 7)
		snprintf(out, outlen, "%.3s****%s", phone, phone + n - 4);
	else if (n > 0)
		snprintf(out, outlen, "****");
	else
		snprintf(out, outlen, "%s", "");
}

/* Mask "zsf@example.com" as "z***@example.com" in place (first character kept whole). */
static void
mask_email(cJSON *obj, const char *key)
{
	const char *e = json_str(obj, key), *at;
	uint32_t cp;
	char *out;
	int k;

	if (e == NULL || *e == '\0' || strstr(e, "***") != NULL)
		return;
	k = text_utf8_decode(e, strlen(e), &cp);
	at = strchr(e, '@');
	out = xasprintf("%.*s***%s", k, e, at != NULL ? at : "");
	json_set_str(obj, key, out);
	free(out);
}

static void
mask_phone_field(cJSON *obj, const char *key)
{
	const char *p = json_str(obj, key);
	char out[32];

	if (p == NULL || strstr(p, "****") != NULL)
		return;
	mask_phone(p, out, sizeof out);
	json_set_str(obj, key, out);
}

void
model_mask_object(enum sd_kind k, cJSON *obj)
{
	cJSON *addr;

	switch (k) {
	case KIND_ORDER:
		addr = cJSON_GetObjectItemCaseSensitive(obj, "address");
		if (cJSON_IsObject(addr)) {
			mask_phone_field(addr, "phone");
			if (json_str(addr, "line") != NULL)
				json_set_str(addr, "line", "");
		}
		break;
	case KIND_CUSTOMER:
		mask_phone_field(obj, "phone");
		mask_email(obj, "email");
		break;
	default:
		break;
	}
}

/* Whether the token tok (n bytes, "state" or "kind:state") names the state. */
static int
state_token_match(const char *tok, size_t n, const char *kind, const char *status)
{
	const char *colon = memchr(tok, ':', n);
	size_t k;

	if (status == NULL)
		return 0;
	if (colon != NULL) {
		k = (size_t)(colon - tok);
		if (kind == NULL || strlen(kind) != k || strncmp(tok, kind, k) != 0)
			return 0;
		n -= k + 1;
		tok = colon + 1;
	}
	return strlen(status) == n && strncmp(tok, status, n) == 0;
}

int
model_state_matches(const char *spec, const char *kind, const char *status)
{
	const char *p = spec;
	int negate = 0, hit = 0;
	size_t n;

	if (p == NULL)
		return 0;
	if (strcmp(p, "*") == 0)
		return 1;
	if (*p == '!') {
		negate = 1;
		p++;
	}
	for (; *p != '\0' && !hit; p += n) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		hit = n != 0 && state_token_match(p, n, kind, status);
	}
	return hit != negate;
}

/* --- canned replies --------------------------------------------------------------- */

const char *const canned_langs[] = { "zh_CN", "en", NULL };
const char *const canned_placeholders[] = { "customer_name", "order_id", "tracking_no",
	"carrier", "agent_name", NULL };

char *
model_canned_shortcut_problem(const char *s)
{
	const unsigned char *p;
	long n = 0;

	if (s == NULL || *s == '\0')
		return xstrdup("the shortcut is empty");
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p & 0xc0) != 0x80)
			n++;
		if (*p <= ' ' || *p == 0x7f || strchr("/:,{}", *p) != NULL)
			return xasprintf("the shortcut may not contain %s", *p == ' ' ?
			    "blanks" : *p < ' ' || *p == 0x7f ? "control characters" :
			    *p == '/' ? "'/'" : *p == ':' ? "':' (it separates the language)" :
			    *p == ',' ? "','" : "braces");
	}
	if (n > CANNED_SHORTCUT_MAX)
		return xasprintf("the shortcut is longer than %d characters", CANNED_SHORTCUT_MAX);
	return NULL;
}

/* Whether the n bytes at name are one of canned_placeholders[]. */
static int
canned_known(const char *name, size_t n)
{
	int i;

	for (i = 0; canned_placeholders[i] != NULL; i++)
		if (strlen(canned_placeholders[i]) == n &&
		    memcmp(canned_placeholders[i], name, n) == 0)
			return 1;
	return 0;
}

/* Characters before byte off of s (1-based position of the character at off). */
static long
canned_charpos(const char *s, size_t off)
{
	long n = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

char *
model_canned_body_problems(const char *body, char **first)
{
	const char *p, *close, *open;
	struct buf b;
	char *what;
	int i;

	if (first != NULL)
		*first = NULL;
	buf_init(&b);
	for (p = body; *p != '\0'; p++) {
		what = NULL;
		if (*p == '}')
			what = xasprintf("'}' at character %ld closes no '{'",
			    canned_charpos(body, (size_t)(p - body)));
		else if (*p == '{') {
			close = strchr(p + 1, '}');
			open = strchr(p + 1, '{');
			if (close == NULL || (open != NULL && open < close))
				what = xasprintf("'{' at character %ld is not closed by '}'",
				    canned_charpos(body, (size_t)(p - body)));
			else if (!canned_known(p + 1, (size_t)(close - p - 1))) {
				if (first != NULL && *first == NULL)
					*first = xasprintf("%.*s", (int)(close - p + 1), p);
				what = xasprintf("unknown placeholder %.*s", (int)(close - p + 1),
				    p);
				p = close;
			} else
				p = close;
		}
		if (what == NULL)
			continue;
		if (first != NULL && *first == NULL)
			*first = xstrdup(*p == '}' ? "}" : "{");
		buf_addf(&b, "%s%s", b.len != 0 ? "; " : "", what);
		free(what);
	}
	if (b.len == 0) {
		buf_done(&b);
		return NULL;
	}
	buf_adds(&b, " (the placeholders are");
	for (i = 0; canned_placeholders[i] != NULL; i++)
		buf_addf(&b, " {%s}", canned_placeholders[i]);
	buf_addc(&b, ')');
	return buf_steal(&b);
}
