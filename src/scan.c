/*
 * scan.c -- packing by barcode (scan.h).
 *
 * Everything here reads the cache only, so a packing station keeps working
 * with the store unreachable: the order as the cache shows it (a shipment
 * of ours still waiting in the outbox already counts as shipped), its SKUs'
 * barcodes and stock. What the store decides meanwhile (the buyer cancelled)
 * comes back as a refused outbox entry, which the console shows.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "outbox.h"
#include "scan.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

/*
 * A code as scanned: blanks around it gone, in upper case with upper; NULL
 * when empty or too long.
 */
static char *
scan_code_norm(const char *code, int upper)
{
	const char *s = code, *e;
	char *out;
	size_t i;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	if (e == s || (size_t)(e - s) > SCAN_CODE_MAX)
		return NULL;
	out = xstrndup(s, (size_t)(e - s));
	for (i = 0; upper && out[i] != '\0'; i++)
		out[i] = (char)toupper((unsigned char)out[i]);
	return out;
}

static cJSON *
scan_get(struct cache *cache, enum sd_kind kind, const char *id)
{
	char *json = cache_get_json(cache, kind, id);
	cJSON *o = json != NULL ? cJSON_Parse(json) : NULL;

	free(json);
	return o;
}

/*
 * The cached order code names: as it is, else with the letters of the
 * store's order ids in front ("10000042" -> "SO10000042"), the prefix read
 * from the newest cached order.
 */
static cJSON *
scan_find_order(struct cache *cache, const char *code)
{
	const char *p;
	char *prefix = NULL, *id, *why = NULL;
	cJSON *o;
	sqlite3_stmt *st;
	size_t n;

	if ((o = scan_get(cache, KIND_ORDER, code)) != NULL)
		return o;
	for (p = code; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return NULL;
	if ((st = cache_prepare(cache, "SELECT id FROM orders ORDER BY rowid DESC LIMIT 1",
	    &why)) == NULL) {
		free(why);
		return NULL;
	}
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL) {
		const char *last = (const char *)sqlite3_column_text(st, 0);

		for (n = 0; last[n] != '\0' && !isdigit((unsigned char)last[n]); n++)
			;
		if (n > 0)
			prefix = xstrndup(last, n);
	}
	cache_stmt_done(cache, st);
	if (prefix == NULL)
		return NULL;
	id = xasprintf("%s%s", prefix, code);
	o = scan_get(cache, KIND_ORDER, id);
	free(id);
	free(prefix);
	return o;
}

/* Why an order in this state cannot be packed, or NULL when it can. */
static char *
scan_refusal(struct cache *cache, const cJSON *o, const char *id)
{
	const char *status = json_str(o, "status"), *pay = json_str(o, "payment_status");
	const cJSON *ab = cJSON_GetObjectItemCaseSensitive(o, "abnormal");
	const cJSON *ship = json_path(o, "shipment");
	char *a = NULL, *b = NULL, *why;

	if (status == NULL)
		status = "?";
	if (strcmp(status, "cancelled") == 0)
		return xasprintf("order %s is cancelled: do not ship it; put its goods back", id);
	if (strcmp(status, "closed") == 0)
		return xasprintf("order %s is closed (refunded): do not ship it; put its goods "
		    "back", id);
	if (strcmp(status, "pending_payment") == 0 || (pay != NULL &&
	    (strcmp(pay, "unpaid") == 0 || strcmp(pay, "failed") == 0)))
		return xasprintf("order %s is not paid (%s): do not ship it yet; put it aside",
		    id, pay != NULL ? pay : status);
	if (strcmp(status, "awaiting_shipment") != 0) {
		a = text_clip(json_str(ship, "carrier") != NULL ? json_str(ship, "carrier") : "");
		b = text_clip(json_str(ship, "tracking_no") != NULL ?
		    json_str(ship, "tracking_no") : "");
		if (outbox_has_pending(cache, KIND_ORDER, id) == 1)
			why = xasprintf("order %s is already shipped here (%s %s), waiting in the "
			    "outbox to reach the store: do not pack it twice", id, a, b);
		else
			why = xasprintf("order %s is already %s (%s %s): do not pack it twice", id,
			    status, a, b);
		free(a);
		free(b);
		return why;
	}
	if (cJSON_IsObject(ab)) {
		a = text_clip(json_str(ab, "reason") != NULL ? json_str(ab, "reason") : "?");
		b = text_clip(json_str(ab, "note") != NULL ? json_str(ab, "note") : "");
		why = xasprintf("order %s is flagged abnormal (%s%s%s): put it aside until it "
		    "is resolved and unflagged", id, a, *b != '\0' ? ": " : "", b);
		free(a);
		free(b);
		return why;
	}
	return NULL;
}

enum sd_status
scan_order_open(struct cache *cache, const char *code, struct scan_order *so, char **cause)
{
	const cJSON *items, *it;
	cJSON *o = NULL, *sku;
	char *norm = scan_code_norm(code, 1), *raw = scan_code_norm(code, 0), *why, *t;
	const char *id;
	enum sd_status rc = SD_OK;
	struct buf short_of;
	size_t n;

	memset(so, 0, sizeof *so);
	buf_init(&short_of);
	if (norm == NULL) {
		t = text_clip(code);
		*cause = xasprintf("'%s' is no order number", t);
		free(t);
		return SD_EUSAGE;
	}
	/* As typed first: some stores' ids are in lower case ("order_01J..."). */
	if (((o = scan_get(cache, KIND_ORDER, raw)) == NULL &&
	    (o = scan_find_order(cache, norm)) == NULL) || (id = json_str(o, "id")) == NULL) {
		t = text_clip(norm);
		*cause = xasprintf("no order %s in the cache: check the slip, or sync", t);
		free(t);
		rc = SD_ENOTFOUND;
		goto out;
	}
	if ((why = scan_refusal(cache, o, id)) != NULL) {
		*cause = why;
		rc = SD_EREFUSED;
		goto out;
	}
	items = cJSON_GetObjectItemCaseSensitive(o, "items");
	n = (size_t)cJSON_GetArraySize(items);
	so->id = xstrdup(id);
	so->customer = json_str(o, "customer_name") != NULL ?
	    text_sanitize(json_str(o, "customer_name"), 0) : NULL;
	so->items = n > 0 ? xcalloc(n, sizeof *so->items) : NULL;
	cJSON_ArrayForEach(it, items) {
		struct scan_item *si = &so->items[so->n];
		const char *sku_id = json_str(it, "sku_id");
		long long stock;

		if (sku_id == NULL)
			continue;
		si->sku_id = xstrdup(sku_id);
		si->title = text_sanitize(json_str(it, "title") != NULL ? json_str(it, "title") :
		    sku_id, 0);
		si->quantity = (int)json_int(it, "quantity", 1);
		if (si->quantity < 1)
			si->quantity = 1;
		if ((sku = scan_get(cache, KIND_SKU, sku_id)) != NULL) {
			if (json_str(sku, "barcode") != NULL)
				si->barcode = text_sanitize(json_str(sku, "barcode"), 0);
			stock = json_int(sku, "stock", -1);
			if (stock >= 0 && stock < si->quantity)
				buf_addf(&short_of, "%s%s %s needs %d, %lld in stock",
				    short_of.len > 0 ? "; " : "", si->sku_id, si->title,
				    si->quantity, stock);
			cJSON_Delete(sku);
		}
		so->n++;
	}
	if (short_of.len > 0) {
		*cause = xasprintf("order %s is short of stock (%s): put it aside and tell "
		    "customer service", id, buf_str(&short_of));
		scan_order_done(so);
		rc = SD_EREFUSED;
	}
out:
	buf_done(&short_of);
	cJSON_Delete(o);
	free(norm);
	free(raw);
	return rc;
}

void
scan_order_done(struct scan_order *so)
{
	size_t i;

	for (i = 0; i < so->n; i++) {
		free(so->items[i].sku_id);
		free(so->items[i].barcode);
		free(so->items[i].title);
	}
	free(so->items);
	free(so->ticks);
	free(so->id);
	free(so->customer);
	memset(so, 0, sizeof *so);
}

int
scan_order_left(const struct scan_order *so)
{
	size_t i;
	int left = 0;

	for (i = 0; i < so->n; i++)
		left += so->items[i].quantity - so->items[i].picked;
	return left;
}

char *
scan_order_expected(const struct scan_order *so)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < so->n; i++) {
		const struct scan_item *si = &so->items[i];

		if (si->picked >= si->quantity)
			continue;
		buf_addf(&b, "%s%s %s ×%d", b.len > 0 ? ", " : "", si->title,
		    si->barcode != NULL ? si->barcode : si->sku_id, si->quantity - si->picked);
	}
	if (b.len == 0)
		buf_addf(&b, "nothing: the waybill next");
	return buf_steal(&b);
}

enum scan_tick
scan_order_tick(struct scan_order *so, const char *code, char **msg)
{
	char *norm = scan_code_norm(code, 1), *exp, *shown;
	struct scan_item *si = NULL;
	enum scan_tick rc;
	size_t i;

	for (i = 0; norm != NULL && i < so->n && si == NULL; i++)
		if ((so->items[i].barcode != NULL && strcasecmp(so->items[i].barcode, norm) == 0) ||
		    strcasecmp(so->items[i].sku_id, norm) == 0)
			si = &so->items[i];
	shown = text_clip(norm != NULL ? norm : code);
	exp = scan_order_expected(so);
	if (si == NULL) {
		*msg = xasprintf("wrong item %s: not in order %s; expected %s", shown, so->id, exp);
		rc = SCAN_WRONG;
	} else if (si->picked >= si->quantity) {
		*msg = xasprintf("one %s too many: order %s takes %d, all picked; expected %s",
		    si->title, so->id, si->quantity, exp);
		rc = SCAN_SURPLUS;
	} else {
		si->picked++;
		so->ticks = xrealloc(so->ticks, (so->nticks + 1) * sizeof *so->ticks);
		so->ticks[so->nticks++] = (int)(si - so->items);
		*msg = xasprintf("%s %d/%d", si->title, si->picked, si->quantity);
		rc = SCAN_TICKED;
	}
	free(exp);
	free(shown);
	free(norm);
	return rc;
}

int
scan_order_undo(struct scan_order *so)
{
	int i;

	if (so->nticks == 0)
		return -1;
	i = so->ticks[--so->nticks];
	so->items[i].picked--;
	return i;
}

/*
 * What waybill numbers look like, as printed by the carriers (and as the
 * reference store makes them): a letter prefix is the carrier's own; plain
 * digits are shared, so a length and a leading digit may fit two carriers,
 * and then both are candidates and the user is asked.
 */
struct scan_pattern {
	const char	*prefix;	/* letters or digits that start it */
	int		 min, max;	/* digits after the prefix */
	const char	*suffix;	/* letters that end it, or NULL */
	const char	*carrier;
};

static const struct scan_pattern scan_patterns[] = {
	{ "SF", 12, 15, NULL, "SF" },
	{ "JDV", 9, 15, NULL, "JD" },
	{ "JDX", 9, 15, NULL, "JD" },
	{ "JD", 9, 15, NULL, "JD" },
	{ "YT", 10, 16, NULL, "YTO" },
	{ "JT", 11, 15, NULL, "JT" },
	{ "73", 10, 12, NULL, "ZTO" },
	{ "75", 10, 12, NULL, "ZTO" },
	{ "76", 10, 12, NULL, "ZTO" },
	{ "78", 10, 12, NULL, "ZTO" },
	{ "77", 10, 13, NULL, "STO" },
	{ "43", 11, 11, NULL, "YUNDA" },
	{ "46", 11, 11, NULL, "YUNDA" },
	{ "31", 11, 11, NULL, "YUNDA" },
	{ "1", 12, 12, NULL, "EMS" },	/* both: 13 digits from 1 */
	{ "1", 12, 12, NULL, "YUNDA" },
	{ "9", 12, 12, NULL, "EMS" },
	{ "", 9, 9, "CN", "EMS" },	/* the UPU's S10: two letters, 9 digits, CN */
	{ NULL, 0, 0, NULL, NULL }
};

/* Whether s is only digits, and how many. */
static int
scan_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	return (int)n;
}

int
scan_carrier_guess(const char *tracking, const struct carrier_info **out, int max)
{
	const struct scan_pattern *p;
	const struct carrier_info *c;
	char *t = scan_code_norm(tracking, 1);
	size_t len, pl, sl;
	int n = 0, d, i, dup;

	if (t == NULL)
		return 0;
	len = strlen(t);
	for (p = scan_patterns; p->carrier != NULL && n < max; p++) {
		pl = strlen(p->prefix);
		sl = p->suffix != NULL ? strlen(p->suffix) : 0;
		if (p->suffix != NULL) {
			/* S10: two letters, then the digits, then the suffix. */
			if (len != 2 + (size_t)p->min + sl || !isalpha((unsigned char)t[0]) ||
			    !isalpha((unsigned char)t[1]) || strcmp(t + len - sl, p->suffix) != 0 ||
			    scan_digits(t + 2, (size_t)p->min) < 0)
				continue;
		} else {
			if (len <= pl || strncmp(t, p->prefix, pl) != 0)
				continue;
			d = scan_digits(t + pl, len - pl);
			if (d < p->min || d > p->max)
				continue;
		}
		if ((c = carrier_find(p->carrier)) == NULL)
			continue;
		for (dup = 0, i = 0; i < n; i++)
			dup |= out[i] == c;
		if (!dup)
			out[n++] = c;
		/* A letter prefix is the carrier's own: no other fits. */
		if (isalpha((unsigned char)p->prefix[0]))
			break;
	}
	free(t);
	return n;
}
