/*
 * columns.c -- the list columns of each kind and the text of one cell.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "columns.h"
#include "sla.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/timeutil.h"

/* Marks the headers for xgettext: the CLI's tables translate them (cli-format.c). */
#ifndef N_
#define N_(s)		(s)
#endif

static const struct column order_cols[] = {
	{ N_("ID"), "id", COL_ID, 12 },
	{ N_("CREATED"), "created_at", COL_TIME, 11 },
	{ N_("STATUS"), "status", COL_STR, 17 },
	{ N_("FLAG"), "abnormal.reason", COL_STR, 8 },
	{ N_("TOTAL"), "total", COL_MONEY, 11 },
	{ N_("ITEMS"), "items", COL_COUNT, 5 },
	{ N_("TRACKING"), "shipment.tracking_no", COL_STR, 16 },
	{ N_("CUSTOMER"), "customer_name", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct column ticket_cols[] = {
	{ N_("ID"), "id", COL_ID, 10 },
	{ N_("KIND"), "kind", COL_STR, 13 },
	{ N_("STATUS"), "status", COL_STR, 14 },
	{ N_("SLA"), "sla_clock", COL_SLA, 10 },
	{ N_("DUE"), "sla_due", COL_SLA_DUE, 7 },
	{ N_("ORDER"), "order_id", COL_STR, 11 },
	{ N_("AMOUNT"), "requested_amount", COL_MONEY, 10 },
	{ N_("CUSTOMER"), "customer_name", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct column chat_cols[] = {
	{ N_("ID"), "id", COL_STR, 10 },
	{ N_("QUEUE"), "queue", COL_STR, 10 },
	{ N_("STATUS"), "status", COL_STR, 8 },
	{ N_("WAITING"), "waiting_since", COL_AGO, 7 },
	{ N_("LEVEL"), "customer_level", COL_STR, 7 },
	{ N_("CUSTOMER"), "customer_name", COL_STR, 12 },
	{ N_("LAST MESSAGE"), "last_message_preview", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct column sku_cols[] = {
	{ N_("SKU"), "id", COL_STR, 10 },
	{ N_("STOCK"), "stock", COL_INT, 6 },
	{ N_("RESERVED"), "reserved", COL_INT, 8 },
	{ N_("AVAILABLE"), "available", COL_AVAILABLE, 9 },
	{ N_("WARN"), "low_stock_threshold", COL_INT, 5 },
	{ N_("SHELF"), "shelf", COL_STR, 5 },
	{ N_("PRICE"), "price", COL_MONEY, 10 },
	{ N_("VARIANT"), "title", COL_STR, 14 },
	{ N_("PRODUCT"), "product_title", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct column promo_cols[] = {
	{ N_("ID"), "id", COL_STR, 8 },
	{ N_("KIND"), "kind", COL_STR, 19 },
	{ N_("STATUS"), "status", COL_STR, 9 },
	{ N_("STARTS"), "starts_at", COL_TIME, 11 },
	{ N_("ENDS"), "ends_at", COL_TIME, 11 },
	{ N_("USED"), "usage.redeemed", COL_INT, 6 },
	{ N_("SPENT"), "usage.discount_total", COL_MONEY, 10 },
	{ N_("NAME"), "name", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct column customer_cols[] = {
	{ N_("ID"), "id", COL_STR, 9 },
	{ N_("LEVEL"), "level", COL_STR, 8 },	/* 普通会员 in the console */
	{ N_("PHONE"), "phone", COL_STR, 11 },
	{ N_("ORDERS"), "orders_count", COL_INT, 6 },
	{ N_("SPENT"), "total_spent", COL_MONEY, 12 },
	{ N_("CITY"), "city", COL_STR, 10 },
	{ N_("NAME"), "name", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct column canned_cols[] = {
	{ N_("ID"), "id", COL_STR, 7 },
	{ N_("SHORTCUT"), "shortcut", COL_STR, 12 },
	{ N_("LANG"), "lang", COL_STR, 5 },
	{ N_("TITLE"), "title", COL_STR, 16 },
	{ N_("TEXT"), "body", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct column product_cols[] = {
	{ N_("ID"), "id", COL_ID, 8 },
	{ N_("SHELF"), "shelf", COL_STR, 5 },
	{ N_("SKUS"), "sku_ids", COL_COUNT, 4 },
	{ N_("CATEGORY"), "category", COL_STR, 10 },
	{ N_("BRAND"), "brand", COL_STR, 10 },
	{ N_("TITLE"), "title", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct column generic_cols[] = {
	{ N_("ID"), "id", COL_STR, 12 },
	{ N_("VERSION"), "version", COL_INT, 7 },
	{ N_("UPDATED"), "updated_at", COL_TIME, 11 },
	{ NULL, NULL, 0, 0 }
};

const struct column *
columns_for(enum sd_kind k)
{
	switch (k) {
	case KIND_ORDER:	return order_cols;
	case KIND_TICKET:	return ticket_cols;
	case KIND_CONVERSATION:	return chat_cols;
	case KIND_SKU:		return sku_cols;
	case KIND_PRODUCT:	return product_cols;
	case KIND_PROMOTION:	return promo_cols;
	case KIND_CUSTOMER:	return customer_cols;
	case KIND_CANNED_REPLY:	return canned_cols;
	default:		return generic_cols;
	}
}

int
column_numeric(const struct column *c)
{
	return c->type == COL_INT || c->type == COL_MONEY || c->type == COL_COUNT ||
	    c->type == COL_AVAILABLE;
}

void
columns_format_money(long long minor, const char *currency, struct buf *out)
{
	const char *sign = minor < 0 ? "-" : "";
	long long a = minor < 0 ? -minor : minor;

	if (currency == NULL || strcmp(currency, "CNY") == 0)
		buf_addf(out, "%s%s%lld.%02lld", sign, text_locale_utf8() ? "\xc2\xa5" : "CNY ",
		    a / 100, a % 100);
	else
		buf_addf(out, "%s%s %lld.%02lld", sign, currency, a / 100, a % 100);
}

void
columns_format_duration(long long secs, struct buf *out)
{
	const char *sign = secs < 0 ? "-" : "";

	if (secs < 0)
		secs = -secs;
	if (secs < 60)
		buf_addf(out, "%s%llds", sign, secs);
	else if (secs < 3600)
		buf_addf(out, "%s%lldm", sign, secs / 60);
	else if (secs < 86400)
		buf_addf(out, "%s%lldh%02lldm", sign, secs / 3600, secs / 60 % 60);
	else
		buf_addf(out, "%s%lldd", sign, secs / 86400);
}

/*
 * The SLA clock of a ticket (sla.h) in two cells that cannot disagree: which
 * clock and the time it has left. A clock that ran out says "-15m".
 */
static void
column_sla(const cJSON *obj, enum col_type type, int human, time_t now, struct buf *out)
{
	struct sla_now s;
	char due[RFC3339_LEN], tex[TIME_EXPORT_LEN];

	sla_eval(obj, now, &s);
	if (s.phase == SLA_PHASE_NONE)
		return;
	if (type == COL_SLA)
		buf_adds(out, s.running ? sla_phase_name(s.phase) : sla_state_name(s.state));
	else if (!s.running)
		return;
	else if (human == COLUMN_HUMAN)
		columns_format_duration(s.left, out);
	else if (human == COLUMN_EXPORT) {
		time_format_export(s.due, tex);
		buf_adds(out, tex);
	} else {
		time_format_rfc3339(s.due, due);
		buf_adds(out, due);
	}
}

void
column_export_money(long long minor, struct buf *out)
{
	const char *sign = minor < 0 ? "-" : "";
	long long a = minor < 0 ? -minor : minor;

	buf_addf(out, "%s%lld.%02lld", sign, a / 100, a % 100);
}

void
column_text(const cJSON *obj, const struct column *c, int human, time_t now, struct buf *out)
{
	const cJSON *v = json_path(obj, c->path);
	time_t t;
	char tb[32], tex[TIME_EXPORT_LEN];

	/* Computed from the ticket, not a member (their paths name them in CSV). */
	if (c->type == COL_SLA || c->type == COL_SLA_DUE) {
		column_sla(obj, c->type, human, now, out);
		return;
	}
	if (c->type == COL_AVAILABLE) {
		if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, "stock")))
			buf_addf(out, "%lld", json_int(obj, "stock", 0) -
			    json_int(obj, "reserved", 0));
		return;
	}
	if (c->type == COL_SKU_NAME) {
		const char *product = json_str(obj, "product_title"), *variant = json_str(obj, "title");

		if (product != NULL)
			text_sanitize_buf(product, 0, out);
		if (variant != NULL && *variant != '\0') {
			if (product != NULL && *product != '\0')
				buf_addc(out, ' ');
			text_sanitize_buf(variant, 0, out);
		}
		return;
	}
	if (v == NULL || cJSON_IsNull(v))
		return;
	switch (c->type) {
	case COL_ID:
		/* A store's own long ids (Medusa's order_01J...) are numbered for people. */
		if (human == COLUMN_HUMAN &&
		    cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, "display_id"))) {
			buf_addf(out, "#%lld", json_int(obj, "display_id", 0));
			break;
		}
		/* FALLTHROUGH */
	case COL_STR:
		if (cJSON_IsString(v))
			text_sanitize_buf(v->valuestring, 0, out);
		else if (cJSON_IsNumber(v))
			buf_addf(out, "%lld", (long long)v->valuedouble);
		break;
	case COL_INT:
		if (cJSON_IsNumber(v))
			buf_addf(out, "%lld", (long long)v->valuedouble);
		break;
	case COL_MONEY:
		if (!cJSON_IsNumber(v))
			break;
		if (human == COLUMN_HUMAN)
			columns_format_money((long long)v->valuedouble, json_str(obj, "currency"),
			    out);
		else if (human == COLUMN_EXPORT)
			column_export_money((long long)v->valuedouble, out);
		else
			buf_addf(out, "%lld", (long long)v->valuedouble);
		break;
	case COL_TIME:
	case COL_AGO:
	case COL_DUE:
		if (!cJSON_IsString(v) || time_parse_rfc3339(v->valuestring, &t) != 0)
			break;
		if (human == COLUMN_RAW) {
			text_sanitize_buf(v->valuestring, 0, out);
			break;
		}
		if (human == COLUMN_EXPORT) {
			time_format_export(t, tex);
			buf_adds(out, tex);
			break;
		}
		if (c->type == COL_TIME) {
			time_format_brief(t, now, tb, sizeof tb);
			buf_adds(out, tb);
		} else if (c->type == COL_AGO)
			columns_format_duration((long long)(now - t), out);
		else
			columns_format_duration((long long)(t - now), out);
		break;
	case COL_SLA:
	case COL_SLA_DUE:
	case COL_AVAILABLE:
	case COL_SKU_NAME:
		break;
	case COL_COUNT:
		if (cJSON_IsArray(v))
			buf_addf(out, "%d", cJSON_GetArraySize(v));
		break;
	case COL_BOOL:
		if (cJSON_IsTrue(v))
			buf_adds(out, human == COLUMN_HUMAN ? "yes" : "true");
		else if (human != COLUMN_HUMAN)
			buf_adds(out, "false");
		break;
	}
}
