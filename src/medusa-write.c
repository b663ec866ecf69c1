/*
 * medusa-write.c -- the contract's actions as Medusa v2 calls (medusa.h).
 *
 * Medusa takes no Idempotency-Key and no If-Match. So every action on an
 * existing object first reads it afresh, and then:
 *
 *  1. asks whether this very action (its outbox key) was applied already --
 *     an answer lost after Medusa had applied it. The key is left where the
 *     action writes anyway: the metadata of the order, fulfilment, return,
 *     exchange, inventory item, product or promotion it touches, or the
 *     note of a refund. An action that leaves no such trace is one whose
 *     effect is its own proof (cancel: the order is cancelled). Found: the
 *     answer is the object as it is now, as if the first answer had come;
 *  2. checks If-Match against the object's version (medusa-map.c), and
 *     answers 409 with the current object when someone changed it;
 *  3. performs the calls. An action of several calls (ship: fulfilment then
 *     shipment; a return: create, request items, confirm) continues where
 *     an interrupted attempt stopped, found by its key.
 *
 * Answers are shaped as Store API v1 answers (the outbox knows no other):
 * 200/201 with the object, 409 conflict, 422 with Medusa's own message when
 * Medusa refuses, and no status (a transient failure) when Medusa could not
 * be reached or failed with 5xx, so that the outbox retries with the key.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "medusa.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define KEY	"shopdesk_key"

/*
 * What a Medusa store performs. orders.correct is not among them: Medusa
 * records no carrier pickup to tell whether a waybill may still change.
 */
const char medusa_actions[] =
    "orders.ship orders.deliver orders.complete orders.cancel orders.address orders.note "
    "orders.flag orders.unflag tickets.create tickets.receive tickets.refund "
    "stock.create stock.adjust stock.threshold stock.price stock.edit products.shelf products.create "
    "products.edit products.delete promos.create promos.activate promos.end categories.create "
    "categories.rename categories.move categories.delete";

struct mctx {
	struct medusa		*md;
	const struct backend_action *a;
	struct backend_result	*res;
	char			**cause;
	cJSON			*raw;		/* the Medusa record, fresh */
	cJSON			*cur;		/* it as a v1 object */
	const cJSON		*order;		/* the order a ticket is created on, or NULL */
	char			*loc;		/* the stock location chosen (location()) */
	const char		*key;
};

/* --- answers ---------------------------------------------------------------------- */

static enum sd_status
answer_error(struct mctx *x, int http, const char *code, const char *msg, cJSON *details)
{
	cJSON *err = cJSON_CreateObject(), *e = cJSON_CreateObject();

	json_set_str(e, "code", code);
	json_set_str(e, "message", msg);
	json_set(e, "details", details != NULL ? details : cJSON_CreateObject());
	json_set(err, "error", e);
	x->res->http_status = http;
	x->res->body = err;
	return SD_OK;
}

/* Medusa refused (or failed): say so in the contract's terms. */
static enum sd_status
answer_medusa(struct mctx *x, enum sd_status st, long http)
{
	if (st == SD_ENETWORK || st == SD_EINTR || http == 0) {
		x->res->http_status = 0;
		return st == SD_OK ? SD_ENETWORK : st;
	}
	if (http == 429 || http >= 500) {
		x->res->http_status = (int)http;
		return answer_error(x, (int)http, "unavailable", *x->cause, NULL);
	}
	if (http == 401)
		return answer_error(x, 401, "unauthorized", *x->cause, NULL);
	if (http == 403)
		return answer_error(x, 403, "forbidden", *x->cause, NULL);
	if (http == 404)
		return answer_error(x, 404, "not_found", *x->cause, NULL);
	return answer_error(x, 422, "refused", *x->cause, NULL);
}

/* The object as it is now, as the answer (200, or 201 for a create). */
static enum sd_status
answer_object(struct mctx *x, enum sd_kind k, const char *id, int http)
{
	cJSON *obj = NULL;
	enum sd_status st;

	free(*x->cause);
	*x->cause = NULL;
	st = medusa_fetch(x->md, k, id, &obj, x->cause);
	if (st != SD_OK) {
		/* Applied, but not read back: the retry will find it applied. */
		x->res->http_status = 0;
		return st == SD_ENOTFOUND ? SD_ESERVER : st;
	}
	x->res->http_status = http;
	x->res->body = obj;
	return SD_OK;
}

/* After a write that made no answer of its own (st, x->res->body): the object as it now is. */
static enum sd_status
answer_written(struct mctx *x, enum sd_status st, enum sd_kind k)
{
	if (st != SD_OK || x->res->body != NULL)
		return st;
	return answer_object(x, k, x->a->id, 200);
}

static enum sd_status
refuse(struct mctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static enum sd_status
refuse(struct mctx *x, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	answer_error(x, 422, "refused", msg, NULL);
	free(msg);
	return SD_OK;
}

/* One call; on failure *x->cause says why and *http what came. */
static enum sd_status
call(struct mctx *x, const char *method, const char *path, const cJSON *body, long *http,
    cJSON **out)
{
	cJSON *tmp = NULL;
	enum sd_status st;

	free(*x->cause);
	*x->cause = NULL;
	st = medusa_call(x->md, x->md->easy, method, path, body, strcmp(method, "GET") == 0 ?
	    4 : 1, NULL, http, out != NULL ? out : &tmp, x->cause);
	cJSON_Delete(tmp);
	return st;
}

/* A POST whose answer only matters when it fails: SD_OK, or the answer made. */
static int
post(struct mctx *x, const char *path, const cJSON *body, enum sd_status *st)
{
	long http;
	cJSON *empty = NULL;

	if (body == NULL)
		body = empty = cJSON_CreateObject();
	*st = call(x, "POST", path, body, &http, NULL);
	cJSON_Delete(empty);
	if (*st == SD_OK)
		return 0;
	*st = answer_medusa(x, *st, http);
	return -1;
}

/* --- reading ---------------------------------------------------------------------- */

static const char *
kind_path(enum sd_kind k, const char *id)
{
	switch (k) {
	case KIND_ORDER:
		return "/admin/orders";
	case KIND_TICKET:
		return strncmp(id, "claim_", 6) == 0 ? "/admin/claims" :
		    strncmp(id, "oexc_", 5) == 0 ? "/admin/exchanges" : "/admin/returns";
	case KIND_PRODUCT:
		return "/admin/products";
	case KIND_PROMOTION:
		return "/admin/promotions";
	case KIND_CUSTOMER:
		return "/admin/customers";
	case KIND_USER:
		return "/admin/users";
	case KIND_CATEGORY:
		return "/admin/product-categories";
	default:
		return NULL;
	}
}

static const char *
kind_fields(enum sd_kind k, const char *id)
{
	switch (k) {
	case KIND_ORDER:
		return medusa_order_fields;
	case KIND_TICKET:
		return strncmp(id, "claim_", 6) == 0 ? medusa_claim_fields :
		    strncmp(id, "oexc_", 5) == 0 ? medusa_exchange_fields : medusa_return_fields;
	case KIND_PRODUCT:
		return medusa_product_fields;
	case KIND_PROMOTION:
		return medusa_promotion_fields;
	case KIND_CUSTOMER:
		return medusa_customer_fields;
	case KIND_USER:
		return medusa_user_fields;
	case KIND_CATEGORY:
		return medusa_category_fields;
	default:
		return NULL;
	}
}

/* The single member of a detail answer: {"order": {...}} -> {...}. */
static cJSON *
detach_single(cJSON *root)
{
	cJSON *child = root != NULL ? root->child : NULL;

	if (child == NULL || !cJSON_IsObject(child))
		return NULL;
	return cJSON_DetachItemViaPointer(root, child);
}

/* The raw Medusa record of kind k and id (for SKUs: the inventory item). */
static enum sd_status
fetch_raw(struct medusa *md, enum sd_kind k, const char *id, cJSON **raw, char **cause)
{
	cJSON *root = NULL, *v, *ii;
	enum sd_status st;
	char *path, *esc = curl_easy_escape(NULL, id, 0);
	const char *iid;

	*raw = NULL;
	if (k == KIND_SKU) {
		path = xasprintf("/admin/product-variants?id=%s&fields=id,"
		    "inventory_items.inventory_item_id", esc);
		st = medusa_get(md, path, &root, cause);
		free(path);
		if (st != SD_OK)
			goto out;
		v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "variants"), 0);
		ii = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(v, "inventory_items"), 0);
		if ((iid = json_str(ii, "inventory_item_id")) == NULL) {
			*cause = xasprintf("SKU %s is not in Medusa or has no inventory item", id);
			st = SD_ENOTFOUND;
			goto out;
		}
		curl_free(esc);
		esc = curl_easy_escape(NULL, iid, 0);
		cJSON_Delete(root);
		root = NULL;
		path = xasprintf("/admin/inventory-items/%s?fields=%s", esc, medusa_sku_fields);
	} else if (kind_path(k, id) == NULL) {
		*cause = xasprintf("%s: %s", kind_info(k)->path, "not offered by this store (medusa)");
		st = SD_ENOTFOUND;
		goto out;
	} else
		path = xasprintf("%s/%s?fields=%s", kind_path(k, id), esc, kind_fields(k, id));
	st = medusa_get(md, path, &root, cause);
	free(path);
	if (st == SD_OK && (*raw = detach_single(root)) == NULL) {
		*cause = xasprintf("Medusa answered %s %s without it", kind_info(k)->name, id);
		st = SD_ESERVER;
	}
	if (st == SD_OK && k == KIND_TICKET) {
		cJSON *one = cJSON_CreateArray();

		cJSON_AddItemReferenceToArray(one, *raw);
		st = medusa_attach_orders(md, md->easy, one, NULL, cause);
		cJSON_Delete(one);
	}
out:
	curl_free(esc);
	cJSON_Delete(root);
	return st;
}

/* A customer's figures (medusa_figures_add), page by page of its orders. */
static cJSON *
customer_figures(struct medusa *md, const char *id)
{
	cJSON *root, *figures = cJSON_CreateObject();
	char *path, *cause = NULL, *esc = curl_easy_escape(NULL, id, 0);
	long long off = 0, count;

	do {
		root = NULL;
		path = xasprintf("/admin/orders?customer_id=%s&limit=200&offset=%lld&fields=id,"
		    "customer_id,total,status,currency_code", esc, off);
		if (medusa_get(md, path, &root, &cause) != SD_OK) {
			free(cause);
			free(path);
			break;
		}
		free(path);
		medusa_figures_add(figures, cJSON_GetObjectItemCaseSensitive(root, "orders"));
		count = json_int(root, "count", 0);
		cJSON_Delete(root);
		off += 200;
	} while (off < count);
	curl_free(esc);
	return figures;
}

/* A raw record as its v1 object. */
static cJSON *
map_raw(struct medusa *md, enum sd_kind k, const char *id, const cJSON *raw)
{
	cJSON *figures, *obj;

	switch (k) {
	case KIND_ORDER:
		return medusa_map_order(raw);
	case KIND_TICKET:
		return strncmp(id, "claim_", 6) == 0 ? medusa_map_claim(raw) :
		    strncmp(id, "oexc_", 5) == 0 ? medusa_map_exchange(raw) : medusa_map_return(raw);
	case KIND_SKU:
		return medusa_map_sku(raw, medusa_currency_of(md));
	case KIND_PRODUCT:
		return medusa_map_product(raw);
	case KIND_PROMOTION:
		return medusa_map_promotion(raw);
	case KIND_CUSTOMER:
		figures = customer_figures(md, id);
		obj = medusa_map_customer(raw, figures);
		cJSON_Delete(figures);
		return obj;
	case KIND_USER:
		return medusa_map_user(raw, md->role);
	case KIND_CATEGORY:
		return medusa_map_category(raw);
	default:
		return NULL;
	}
}

enum sd_status
medusa_fetch(struct medusa *md, enum sd_kind k, const char *id, cJSON **out, char **cause)
{
	cJSON *raw = NULL;
	enum sd_status st;

	*out = NULL;
	if ((st = fetch_raw(md, k, id, &raw, cause)) != SD_OK)
		return st;
	if ((*out = map_raw(md, k, id, raw)) == NULL) {
		*cause = xasprintf("%s %s cannot be shown as a %s", id, kind_info(k)->name,
		    kind_info(k)->name);
		st = SD_ESERVER;
	}
	cJSON_Delete(raw);
	return st;
}

/*
 * The stock location that ships and receives: the profile's; else the
 * first that serves the order's sales channel (a store with a warehouse per
 * channel); else the first. The answer is kept in x->loc.
 */
static const char *
location(struct mctx *x)
{
	cJSON *root = NULL, *l, *sc;
	const char *channel = json_str(x->order != NULL ? x->order : x->raw, "sales_channel_id");
	const char *first = NULL, *found = NULL;
	char *cause = NULL;

	if (x->md->location != NULL)
		return x->md->location;
	if (x->loc != NULL)
		return x->loc;
	if (medusa_get(x->md, "/admin/stock-locations?limit=100&order=created_at&fields=id,"
	    "sales_channels.id", &root, &cause) == SD_OK)
		cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(root, "stock_locations")) {
			if (first == NULL)
				first = json_str(l, "id");
			cJSON_ArrayForEach(sc, cJSON_GetObjectItemCaseSensitive(l, "sales_channels"))
				if (found == NULL && channel != NULL && json_str(sc, "id") != NULL &&
				    strcmp(json_str(sc, "id"), channel) == 0)
					found = json_str(l, "id");
		}
	if (found != NULL || first != NULL)
		x->loc = xstrdup(found != NULL ? found : first);
	free(cause);
	cJSON_Delete(root);
	return x->loc;
}

/* Whether metadata of obj carries this action's key. */
static int
has_key(const cJSON *obj, const char *key)
{
	const char *k = json_str(cJSON_GetObjectItemCaseSensitive(obj, "metadata"), KEY);

	return k != NULL && strcmp(k, key) == 0;
}

/* obj's metadata, copied, with this action's key set (and more to add). */
static cJSON *
metadata_with_key(const cJSON *obj, const char *key)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	cJSON *out = cJSON_IsObject(m) ? cJSON_Duplicate(m, 1) : cJSON_CreateObject();

	json_set_str(out, KEY, key);
	return out;
}

/* POST path {metadata: obj's + key + (name: val)}: an action in one call. */
static enum sd_status
post_metadata(struct mctx *x, const char *path, const char *name, cJSON *val, cJSON *more)
{
	cJSON *body = more != NULL ? more : cJSON_CreateObject(), *m;
	enum sd_status st = SD_OK;

	m = metadata_with_key(x->raw, x->key);
	if (name != NULL)
		json_set(m, name, val);
	json_set(body, "metadata", m);
	post(x, path, body, &st);
	cJSON_Delete(body);
	return st;
}

/* before + the object's id + after. */
static char *
obj_path(struct mctx *x, const char *before, const char *after)
{
	char *esc = curl_easy_escape(NULL, x->a->id, 0), *p;

	p = xasprintf("%s%s%s", before, esc, after);
	curl_free(esc);
	return p;
}

/* --- orders ----------------------------------------------------------------------- */

static const cJSON *
arr(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static long long
qty(const cJSON *obj, const char *name)
{
	long long v;

	return medusa_money(obj, name, &v) == 0 ? v / 100 : 0;
}

/* The fulfilment this ship continues: ours, else any not shipped nor cancelled. */
static const cJSON *
open_fulfilment(const cJSON *order, const char *key)
{
	const cJSON *f, *any = NULL;

	cJSON_ArrayForEach(f, arr(order, "fulfillments")) {
		if (json_str(f, "canceled_at") != NULL || json_str(f, "shipped_at") != NULL)
			continue;
		if (has_key(f, key))
			return f;
		if (any == NULL)
			any = f;
	}
	return any;
}

static enum sd_status
do_ship(struct mctx *x)
{
	const char *carrier = json_str(x->a->body, "carrier");
	const char *tracking = json_str(x->a->body, "tracking_no");
	const cJSON *f, *it, *detail;
	cJSON *body, *items, *item, *labels, *label, *meta, *fresh = NULL;
	enum sd_status st = SD_OK;
	char *path, *esc;
	long long left;

	if (carrier == NULL || tracking == NULL)
		return refuse(x, "ship needs a carrier and a tracking number");
	if ((f = open_fulfilment(x->raw, x->key)) == NULL) {
		items = cJSON_CreateArray();
		cJSON_ArrayForEach(it, arr(x->raw, "items")) {
			detail = arr(it, "detail");
			left = qty(it, "quantity") - qty(detail, "fulfilled_quantity");
			if (left <= 0)
				continue;
			item = cJSON_CreateObject();
			json_set_str(item, "id", json_str(it, "id"));
			json_set_int(item, "quantity", left);
			cJSON_AddItemToArray(items, item);
		}
		if (cJSON_GetArraySize(items) == 0) {
			cJSON_Delete(items);
			return refuse(x, "nothing is left to ship on order %s", x->a->id);
		}
		body = cJSON_CreateObject();
		json_set(body, "items", items);
		if (location(x) != NULL)
			json_set_str(body, "location_id", location(x));
		meta = cJSON_CreateObject();
		json_set_str(meta, KEY, x->key);
		json_set_str(meta, "carrier", carrier);
		json_set(body, "metadata", meta);
		path = obj_path(x, "/admin/orders/", "/fulfillments");
		post(x, path, body, &st);
		free(path);
		cJSON_Delete(body);
		if (st != SD_OK || x->res->body != NULL)
			return st;
		/* Read the order again to find the new fulfilment. */
		if ((st = fetch_raw(x->md, KIND_ORDER, x->a->id, &fresh, x->cause)) != SD_OK) {
			x->res->http_status = 0;
			return st;
		}
		cJSON_Delete(x->raw);
		x->raw = fresh;
		if ((f = open_fulfilment(x->raw, x->key)) == NULL)
			return refuse(x, "Medusa made no fulfilment for order %s", x->a->id);
	}
	body = cJSON_CreateObject();
	items = cJSON_CreateArray();
	cJSON_ArrayForEach(it, arr(f, "items")) {
		item = cJSON_CreateObject();
		json_set_str(item, "id", json_str(it, "line_item_id"));
		json_set_int(item, "quantity", qty(it, "quantity"));
		cJSON_AddItemToArray(items, item);
	}
	json_set(body, "items", items);
	labels = cJSON_CreateArray();
	label = cJSON_CreateObject();
	json_set_str(label, "tracking_number", tracking);
	json_set_str(label, "tracking_url", "#");
	json_set_str(label, "label_url", "#");
	cJSON_AddItemToArray(labels, label);
	json_set(body, "labels", labels);
	meta = cJSON_CreateObject();
	json_set_str(meta, KEY, x->key);
	json_set_str(meta, "carrier", carrier);
	json_set(body, "metadata", meta);
	esc = curl_easy_escape(NULL, json_str(f, "id"), 0);
	path = obj_path(x, "/admin/orders/", "/fulfillments/");
	path = xrealloc(path, strlen(path) + strlen(esc) + 16);
	strcat(strcat(path, esc), "/shipments");
	curl_free(esc);
	post(x, path, body, &st);
	free(path);
	cJSON_Delete(body);
	return answer_written(x, st, KIND_ORDER);
}

static int
shipped_fulfilment(const cJSON *order, const char *key)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, arr(order, "fulfillments"))
		if (json_str(f, "canceled_at") == NULL && json_str(f, "shipped_at") != NULL &&
		    has_key(f, key))
			return 1;
	return 0;
}

static enum sd_status
do_deliver(struct mctx *x)
{
	const cJSON *f;
	enum sd_status st = SD_OK;
	char *base, *path;
	int n = 0;

	base = obj_path(x, "/admin/orders/", "/fulfillments/");
	cJSON_ArrayForEach(f, arr(x->raw, "fulfillments")) {
		if (json_str(f, "canceled_at") != NULL || json_str(f, "shipped_at") == NULL ||
		    json_str(f, "delivered_at") != NULL)
			continue;
		path = xasprintf("%s%s/mark-as-delivered", base, json_str(f, "id"));
		n++;
		if (post(x, path, NULL, &st) != 0) {
			free(path);
			free(base);
			return st;
		}
		free(path);
	}
	free(base);
	if (n == 0)
		return refuse(x, "order %s has no shipped parcel waiting for delivery", x->a->id);
	return answer_object(x, KIND_ORDER, x->a->id, 200);
}

static int
delivered_all(const cJSON *order)
{
	const cJSON *f;
	int n = 0;

	cJSON_ArrayForEach(f, arr(order, "fulfillments")) {
		if (json_str(f, "canceled_at") != NULL)
			continue;
		if (json_str(f, "delivered_at") == NULL)
			return 0;
		n++;
	}
	return n > 0;
}

static enum sd_status
do_order_post(struct mctx *x, const char *after)
{
	enum sd_status st = SD_OK;
	char *path = obj_path(x, "/admin/orders/", after);

	post(x, path, NULL, &st);
	free(path);
	return answer_written(x, st, KIND_ORDER);
}

static enum sd_status
do_cancel(struct mctx *x)
{
	return do_order_post(x, "/cancel");
}

static enum sd_status
do_complete(struct mctx *x)
{
	return do_order_post(x, "/complete");
}

/* note, flag, unflag, address: one update of the order, with the key. */
static enum sd_status
do_order_update(struct mctx *x)
{
	const char *act = x->a->action;
	const cJSON *addr, *old;
	cJSON *val = NULL, *more = NULL, *sa;
	enum sd_status st;
	char at[RFC3339_LEN], *path;

	if (strcmp(act, "note") == 0)
		val = cJSON_CreateString(json_str(x->a->body, "text") != NULL ?
		    json_str(x->a->body, "text") : "");
	else if (strcmp(act, "flag") == 0) {
		val = cJSON_CreateObject();
		json_set_str(val, "reason", json_str(x->a->body, "reason") != NULL ?
		    json_str(x->a->body, "reason") : "");
		json_set_str(val, "note", json_str(x->a->body, "note") != NULL ?
		    json_str(x->a->body, "note") : "");
		time_format_rfc3339(time(NULL), at);
		json_set_str(val, "at", at);
		json_set_str(val, "by", "shopdesk");
	} else if (strcmp(act, "unflag") == 0)
		val = cJSON_CreateNull();
	else {
		addr = cJSON_GetObjectItemCaseSensitive(x->a->body, "address");
		old = arr(x->raw, "shipping_address");
		more = cJSON_CreateObject();
		sa = cJSON_CreateObject();
		json_set_str(sa, "first_name", json_str(addr, "name") != NULL ?
		    json_str(addr, "name") : "");
		json_set_str(sa, "last_name", "");
		json_set_str(sa, "phone", json_str(addr, "phone") != NULL ?
		    json_str(addr, "phone") : "");
		json_set_str(sa, "province", json_str(addr, "province") != NULL ?
		    json_str(addr, "province") : "");
		json_set_str(sa, "city", json_str(addr, "city") != NULL ?
		    json_str(addr, "city") : "");
		path = xasprintf("%s%s", json_str(addr, "district") != NULL ?
		    json_str(addr, "district") : "", json_str(addr, "line") != NULL ?
		    json_str(addr, "line") : "");
		json_set_str(sa, "address_1", path);
		free(path);
		json_set_str(sa, "country_code", json_str(old, "country_code") != NULL ?
		    json_str(old, "country_code") : "cn");
		if (json_str(old, "postal_code") != NULL)
			json_set_str(sa, "postal_code", json_str(old, "postal_code"));
		json_set(more, "shipping_address", sa);
	}
	path = obj_path(x, "/admin/orders/", "");
	st = post_metadata(x, path, val != NULL ? (strcmp(act, "note") == 0 ? "shopdesk_note" :
	    "shopdesk_abnormal") : NULL, val, more);
	free(path);
	return answer_written(x, st, KIND_ORDER);
}

/* --- after-sales ------------------------------------------------------------------ */

/* The items of order that can still be returned: [{id, quantity}]. */
static cJSON *
returnable(const cJSON *order, int with_variant)
{
	const cJSON *it, *d;
	cJSON *items = cJSON_CreateArray(), *item;
	long long n;

	cJSON_ArrayForEach(it, arr(order, "items")) {
		d = arr(it, "detail");
		n = qty(d, "fulfilled_quantity") - qty(d, "return_requested_quantity") -
		    qty(d, "return_received_quantity");
		if (n <= 0)
			continue;
		item = cJSON_CreateObject();
		if (with_variant)
			json_set_str(item, "variant_id", json_str(it, "variant_id"));
		else
			json_set_str(item, "id", json_str(it, "id"));
		json_set_int(item, "quantity", n);
		cJSON_AddItemToArray(items, item);
	}
	return items;
}

/* The record (return or exchange) of order that carries this key, or NULL. */
static cJSON *
find_keyed(struct mctx *x, const char *route, const char *member, const char *order_id,
    const char *fields)
{
	cJSON *root = NULL, *r, *found = NULL;
	char *path, *esc = curl_easy_escape(NULL, order_id, 0), *cause = NULL;

	path = xasprintf("%s?order_id=%s&limit=100&fields=%s", route, esc, fields);
	curl_free(esc);
	if (medusa_get(x->md, path, &root, &cause) == SD_OK)
		cJSON_ArrayForEach(r, arr(root, member))
			if (has_key(r, x->key)) {
				found = cJSON_Duplicate(r, 1);
				break;
			}
	free(cause);
	free(path);
	cJSON_Delete(root);
	return found;
}

/* The first outbound (not return) shipping option, for an exchange's parcel. */
static char *
outbound_option(struct mctx *x)
{
	cJSON *root = NULL, *o, *r;
	char *id = NULL, *cause = NULL;
	int is_return;

	if (medusa_get(x->md, "/admin/shipping-options?limit=50&fields=id,*rules", &root,
	    &cause) == SD_OK)
		cJSON_ArrayForEach(o, arr(root, "shipping_options")) {
			is_return = 0;
			cJSON_ArrayForEach(r, arr(o, "rules"))
				if (json_str(r, "attribute") != NULL &&
				    strcmp(json_str(r, "attribute"), "is_return") == 0 &&
				    json_str(r, "value") != NULL &&
				    strcmp(json_str(r, "value"), "true") == 0)
					is_return = 1;
			if (!is_return && json_str(o, "id") != NULL) {
				id = xstrdup(json_str(o, "id"));
				break;
			}
		}
	free(cause);
	cJSON_Delete(root);
	return id;
}

static cJSON *
ticket_metadata(struct mctx *x)
{
	cJSON *m = cJSON_CreateObject();
	const char *s;

	json_set_str(m, KEY, x->key);
	json_set_int(m, "shopdesk_requested", json_int(x->a->body, "requested_amount", 0));
	if ((s = json_str(x->a->body, "description")) != NULL && *s != '\0')
		json_set_str(m, "description", s);
	if ((s = json_str(x->a->body, "reason")) != NULL && *s != '\0')
		json_set_str(m, "reason", s);
	return m;
}

static enum sd_status
create_return(struct mctx *x, const char *order_id, cJSON *order)
{
	cJSON *ret, *body, *items, *out = NULL;
	enum sd_status st = SD_OK;
	const char *status, *rid;
	char *path;
	long http;

	ret = find_keyed(x, "/admin/returns", "returns", order_id, "id,status,metadata,*items");
	if (ret == NULL) {
		items = returnable(order, 0);
		if (cJSON_GetArraySize(items) == 0) {
			cJSON_Delete(items);
			return refuse(x, "nothing on order %s has been shipped, so nothing can be "
			    "returned", order_id);
		}
		cJSON_Delete(items);
		body = cJSON_CreateObject();
		json_set_str(body, "order_id", order_id);
		if (location(x) != NULL)
			json_set_str(body, "location_id", location(x));
		if (json_str(x->a->body, "description") != NULL)
			json_set_str(body, "description", json_str(x->a->body, "description"));
		json_set(body, "metadata", ticket_metadata(x));
		st = call(x, "POST", "/admin/returns", body, &http, &out);
		cJSON_Delete(body);
		if (st != SD_OK) {
			cJSON_Delete(out);
			return answer_medusa(x, st, http);
		}
		ret = cJSON_DetachItemFromObjectCaseSensitive(out, "return");
		cJSON_Delete(out);
		if (json_str(ret, "id") == NULL) {
			cJSON_Delete(ret);
			return refuse(x, "Medusa made no return for order %s", order_id);
		}
	}
	rid = json_str(ret, "id");
	status = json_str(ret, "status") != NULL ? json_str(ret, "status") : "";
	if (cJSON_GetArraySize(arr(ret, "items")) == 0) {
		body = cJSON_CreateObject();
		json_set(body, "items", returnable(order, 0));
		path = xasprintf("/admin/returns/%s/request-items", rid);
		post(x, path, body, &st);
		free(path);
		cJSON_Delete(body);
		if (x->res->body != NULL || st != SD_OK)
			goto out;
	}
	if (strcmp(status, "requested") != 0 && strcmp(status, "received") != 0 &&
	    strcmp(status, "partially_received") != 0) {
		path = xasprintf("/admin/returns/%s/request", rid);
		post(x, path, NULL, &st);
		free(path);
		if (x->res->body != NULL || st != SD_OK)
			goto out;
	}
	st = answer_object(x, KIND_TICKET, rid, 201);
out:
	cJSON_Delete(ret);
	return st;
}

static enum sd_status
create_exchange(struct mctx *x, const char *order_id, cJSON *order)
{
	cJSON *ex, *body, *out = NULL;
	enum sd_status st = SD_OK;
	const char *eid;
	char *path, *option;
	long http;
	int fresh = 0;

	ex = find_keyed(x, "/admin/exchanges", "exchanges", order_id,
	    "id,metadata,*additional_items,return.status,*return.items");
	if (ex != NULL && json_str(arr(ex, "return"), "status") != NULL &&
	    strcmp(json_str(arr(ex, "return"), "status"), "requested") == 0) {
		st = answer_object(x, KIND_TICKET, json_str(ex, "id"), 201);
		cJSON_Delete(ex);
		return st;
	}
	if (ex == NULL) {
		body = returnable(order, 0);
		if (cJSON_GetArraySize(body) == 0) {
			cJSON_Delete(body);
			return refuse(x, "nothing on order %s has been shipped, so nothing can be "
			    "exchanged", order_id);
		}
		cJSON_Delete(body);
		body = cJSON_CreateObject();
		json_set_str(body, "order_id", order_id);
		if (json_str(x->a->body, "description") != NULL)
			json_set_str(body, "description", json_str(x->a->body, "description"));
		json_set(body, "metadata", ticket_metadata(x));
		st = call(x, "POST", "/admin/exchanges", body, &http, &out);
		cJSON_Delete(body);
		if (st != SD_OK) {
			cJSON_Delete(out);
			return answer_medusa(x, st, http);
		}
		ex = cJSON_DetachItemFromObjectCaseSensitive(out, "exchange");
		cJSON_Delete(out);
		if (json_str(ex, "id") == NULL) {
			cJSON_Delete(ex);
			return refuse(x, "Medusa made no exchange for order %s", order_id);
		}
		fresh = 1;
	}
	eid = json_str(ex, "id");
	if (fresh || cJSON_GetArraySize(arr(arr(ex, "return"), "items")) == 0) {
		body = cJSON_CreateObject();
		json_set(body, "items", returnable(order, 0));
		if (location(x) != NULL)
			json_set_str(body, "location_id", location(x));
		path = xasprintf("/admin/exchanges/%s/inbound/items", eid);
		post(x, path, body, &st);
		free(path);
		cJSON_Delete(body);
		if (x->res->body != NULL || st != SD_OK)
			goto out;
	}
	if (fresh || cJSON_GetArraySize(arr(ex, "additional_items")) == 0) {
		body = cJSON_CreateObject();
		json_set(body, "items", returnable(order, 1));
		path = xasprintf("/admin/exchanges/%s/outbound/items", eid);
		post(x, path, body, &st);
		free(path);
		cJSON_Delete(body);
		if (x->res->body != NULL || st != SD_OK)
			goto out;
		/* Without an outbound method Medusa reserves no stock for the parcel. */
		if ((option = outbound_option(x)) != NULL) {
			body = cJSON_CreateObject();
			json_set_str(body, "shipping_option_id", option);
			json_set_int(body, "custom_amount", 0);
			path = xasprintf("/admin/exchanges/%s/outbound/shipping-method", eid);
			post(x, path, body, &st);
			free(path);
			free(option);
			cJSON_Delete(body);
			if (x->res->body != NULL || st != SD_OK)
				goto out;
		}
	}
	path = xasprintf("/admin/exchanges/%s/request", eid);
	post(x, path, NULL, &st);
	free(path);
	if (x->res->body != NULL || st != SD_OK)
		goto out;
	st = answer_object(x, KIND_TICKET, eid, 201);
out:
	cJSON_Delete(ex);
	return st;
}

static enum sd_status
do_ticket_create(struct mctx *x)
{
	const char *kind = json_str(x->a->body, "kind"), *oid = json_str(x->a->body, "order_id");
	cJSON *order = NULL;
	enum sd_status st;

	if (kind == NULL || oid == NULL)
		return refuse(x, "a ticket needs an order and a kind");
	if (strcmp(kind, "return_refund") != 0 && strcmp(kind, "exchange") != 0)
		return refuse(x, "%s tickets: not offered by this store (medusa): a Medusa store "
		    "takes return_refund (a return) and exchange tickets", kind);
	if ((st = fetch_raw(x->md, KIND_ORDER, oid, &order, x->cause)) != SD_OK) {
		if (st == SD_ENOTFOUND)
			return answer_error(x, 404, "not_found", *x->cause, NULL);
		x->res->http_status = 0;
		return st;
	}
	x->order = order;
	st = strcmp(kind, "exchange") == 0 ? create_exchange(x, oid, order) :
	    create_return(x, oid, order);
	x->order = NULL;
	cJSON_Delete(order);
	return st;
}

/* The return a ticket receives: its own, or its claim's or exchange's. */
static const cJSON *
ticket_return(const struct mctx *x)
{
	const cJSON *r = arr(x->raw, "return");

	return cJSON_IsObject(r) ? r : x->raw;
}

static enum sd_status
do_receive(struct mctx *x)
{
	const cJSON *ret = ticket_return(x), *it;
	const char *cond = json_str(x->a->body, "condition");
	cJSON *body, *items, *item;
	enum sd_status st = SD_OK;
	char *path;
	int keep = json_bool(x->a->body, "restock") && (cond == NULL || strcmp(cond, "ok") == 0);

	path = xasprintf("/admin/returns/%s/receive", json_str(ret, "id"));
	body = cJSON_CreateObject();
	json_set(body, "metadata", metadata_with_key(ret, x->key));
	post(x, path, body, &st);
	cJSON_Delete(body);
	free(path);
	if (x->res->body != NULL || st != SD_OK)
		return st;
	items = cJSON_CreateArray();
	cJSON_ArrayForEach(it, arr(ret, "items")) {
		item = cJSON_CreateObject();
		json_set_str(item, "id", json_str(it, "item_id"));
		json_set_int(item, "quantity", qty(it, "quantity"));
		cJSON_AddItemToArray(items, item);
	}
	body = cJSON_CreateObject();
	json_set(body, "items", items);
	/* Goods that do not go back to stock are dismissed (damaged). */
	path = xasprintf("/admin/returns/%s/%s", json_str(ret, "id"), keep ? "receive-items" :
	    "dismiss-items");
	post(x, path, body, &st);
	free(path);
	cJSON_Delete(body);
	if (x->res->body != NULL || st != SD_OK)
		return st;
	path = xasprintf("/admin/returns/%s/receive/confirm", json_str(ret, "id"));
	post(x, path, NULL, &st);
	free(path);
	return answer_written(x, st, KIND_TICKET);
}

static int
received(const struct mctx *x)
{
	const char *s = json_str(ticket_return(x), "status");

	return s != NULL && (strcmp(s, "received") == 0 || strcmp(s, "partially_received") == 0);
}

/* The order's captured payment, and whether this refund (its note) is on it. */
static enum sd_status
order_payment(struct mctx *x, cJSON **order, char **pay_id, int *refunded)
{
	const cJSON *pc, *p, *r;
	const char *oid = json_str(x->raw, "order_id");
	enum sd_status st;
	size_t n = strlen("shopdesk ") + strlen(x->key);
	char *note = xasprintf("shopdesk %s", x->key);

	*pay_id = NULL;
	*refunded = 0;
	if ((st = fetch_raw(x->md, KIND_ORDER, oid, order, x->cause)) != SD_OK) {
		free(note);
		return st;
	}
	cJSON_ArrayForEach(pc, arr(*order, "payment_collections"))
		cJSON_ArrayForEach(p, arr(pc, "payments")) {
			if (json_str(p, "captured_at") != NULL && *pay_id == NULL)
				*pay_id = xstrdup(json_str(p, "id"));
			cJSON_ArrayForEach(r, arr(p, "refunds"))
				if (json_str(r, "note") != NULL &&
				    strncmp(json_str(r, "note"), note, n) == 0 &&
				    (json_str(r, "note")[n] == ' ' || json_str(r, "note")[n] == '\0'))
					*refunded = 1;
		}
	free(note);
	return SD_OK;
}

/*
 * A refund is a refund of the order's payment whose note names this action
 * and the ticket ("shopdesk KEY TICKET"): that note is both the mark that
 * it was applied and the link that shows the ticket refunded. A confirmed
 * return cannot be edited in Medusa, so nothing else is written to it; the
 * order's metadata is touched so that other clients' syncs, which cannot
 * see a refund by its time, read the order again.
 */
static enum sd_status
do_refund(struct mctx *x)
{
	long long amount = json_int(x->a->body, "amount", 0);
	cJSON *body, *order = NULL, *m;
	enum sd_status st;
	char *pay, *path, *note, *esc;
	int done;

	if (strncmp(x->a->id, "return_", 7) != 0)
		return refuse(x, "refunds are made on return tickets in a Medusa store");
	if ((st = order_payment(x, &order, &pay, &done)) != SD_OK) {
		x->res->http_status = 0;
		return st;
	}
	if (!done) {
		if (pay == NULL) {
			cJSON_Delete(order);
			return refuse(x, "order %s has no captured payment to refund",
			    json_str(x->raw, "order_id"));
		}
		body = cJSON_CreateObject();
		json_set(body, "amount", medusa_fen_json(amount));
		note = xasprintf("shopdesk %s %s", x->key, x->a->id);
		json_set_str(body, "note", note);
		free(note);
		path = xasprintf("/admin/payments/%s/refund", pay);
		post(x, path, body, &st);
		free(path);
		cJSON_Delete(body);
		if (x->res->body != NULL || st != SD_OK) {
			free(pay);
			cJSON_Delete(order);
			return st;
		}
	}
	free(pay);
	m = metadata_with_key(order, x->key);
	cJSON_Delete(order);
	body = cJSON_CreateObject();
	json_set(body, "metadata", m);
	esc = curl_easy_escape(NULL, json_str(x->raw, "order_id"), 0);
	path = xasprintf("/admin/orders/%s", esc);
	curl_free(esc);
	post(x, path, body, &st);	/* a failure here loses nothing: the refund is made */
	free(path);
	cJSON_Delete(body);
	cJSON_Delete(x->res->body);
	x->res->body = NULL;
	return answer_object(x, KIND_TICKET, x->a->id, 200);
}

/* --- stock, products -------------------------------------------------------------- */

static const cJSON *
level_at(const cJSON *item, const char *loc)
{
	const cJSON *l;

	cJSON_ArrayForEach(l, arr(item, "location_levels"))
		if (loc != NULL && json_str(l, "location_id") != NULL &&
		    strcmp(json_str(l, "location_id"), loc) == 0)
			return l;
	return cJSON_GetArrayItem(arr(item, "location_levels"), 0);
}

/*
 * A stock adjustment is a delta, but Medusa sets levels. The intent (key,
 * from, to) goes into the item's metadata first, then the level is set: a
 * retry finds the key and sets the level only if it is still "from".
 */
static enum sd_status
do_adjust(struct mctx *x)
{
	long long delta = json_int(x->a->body, "delta", 0), from, to, reserved;
	const cJSON *lev = level_at(x->raw, x->md->location), *m;
	const char *iid = json_str(x->raw, "id"), *loc;
	cJSON *meta, *body;
	enum sd_status st = SD_OK;
	char *path;

	if (lev == NULL)
		return refuse(x, "SKU %s has no stock level at any location", x->a->id);
	loc = json_str(lev, "location_id");
	from = qty(lev, "stocked_quantity");
	reserved = qty(lev, "reserved_quantity");
	m = arr(x->raw, "metadata");
	if (has_key(x->raw, x->key)) {
		from = json_int(m, "shopdesk_from", from);
		to = json_int(m, "shopdesk_to", from);
		if (qty(lev, "stocked_quantity") == to)
			return answer_object(x, KIND_SKU, x->a->id, 200);
	} else {
		to = from + delta;
		if (to < reserved)
			return refuse(x, "stock would fall to %lld, below the %lld units reserved",
			    to, reserved);
		meta = metadata_with_key(x->raw, x->key);
		json_set_int(meta, "shopdesk_from", from);
		json_set_int(meta, "shopdesk_to", to);
		json_set_str(meta, "shopdesk_reason", json_str(x->a->body, "reason") != NULL ?
		    json_str(x->a->body, "reason") : "");
		body = cJSON_CreateObject();
		json_set(body, "metadata", meta);
		path = xasprintf("/admin/inventory-items/%s", iid);
		post(x, path, body, &st);
		free(path);
		cJSON_Delete(body);
		if (x->res->body != NULL || st != SD_OK)
			return st;
	}
	if (qty(lev, "stocked_quantity") != from)
		return answer_error(x, 409, "conflict", "the stock changed while the adjustment "
		    "was being made", NULL);
	body = cJSON_CreateObject();
	json_set_int(body, "stocked_quantity", to);
	path = xasprintf("/admin/inventory-items/%s/location-levels/%s", iid, loc);
	post(x, path, body, &st);
	free(path);
	cJSON_Delete(body);
	return answer_written(x, st, KIND_SKU);
}

static enum sd_status
do_threshold(struct mctx *x)
{
	char *path = xasprintf("/admin/inventory-items/%s", json_str(x->raw, "id"));
	enum sd_status st;

	st = post_metadata(x, path, "low_stock_threshold",
	    cJSON_CreateNumber((double)json_int(x->a->body, "threshold", 0)), NULL);
	free(path);
	return answer_written(x, st, KIND_SKU);
}

static enum sd_status
do_shelf(struct mctx *x)
{
	const char *shelf = json_str(x->a->body, "shelf");
	cJSON *more = cJSON_CreateObject();
	char *path = obj_path(x, "/admin/products/", "");
	enum sd_status st;

	json_set_str(more, "status", shelf != NULL && strcmp(shelf, "on") == 0 ? "published" :
	    "draft");
	st = post_metadata(x, path, NULL, NULL, more);
	free(path);
	return answer_written(x, st, KIND_PRODUCT);
}

/* --- the catalogue: prices ------------------------------------------------------- */

/* The SKU's product variant (the inventory item's first). */
static const cJSON *
sku_variant(const struct mctx *x)
{
	return cJSON_GetArrayItem(arr(x->raw, "variants"), 0);
}

static const char *
store_currency(const struct mctx *x)
{
	const char *c = medusa_currency_of(x->md);

	return c != NULL ? c : "cny";
}

/*
 * The variant's price in currency, as medusa_map_sku shows it (the first
 * in that currency), or NULL.
 */
static const cJSON *
price_in(const cJSON *variant, const char *currency)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, arr(variant, "prices"))
		if (json_str(p, "currency_code") != NULL &&
		    strcasecmp(json_str(p, "currency_code"), currency) == 0)
			return p;
	return NULL;
}

/* Whether the SKU's price in the store's currency is fen already. */
static int
priced_at(const struct mctx *x, long long fen)
{
	const cJSON *p = price_in(sku_variant(x), store_currency(x));
	long long v;

	return p != NULL && medusa_money(p, "amount", &v) == 0 && v == fen;
}

/*
 * POST body (taken) to the variant vid of product pid: the change of a SKU
 * written, answered as answer_written() does.
 */
static enum sd_status
post_variant(struct mctx *x, const char *pid, const char *vid, cJSON *body)
{
	enum sd_status st = SD_OK;
	char *pe, *ve, *path;

	pe = curl_easy_escape(NULL, pid, 0);
	ve = curl_easy_escape(NULL, vid, 0);
	path = xasprintf("/admin/products/%s/variants/%s", pe, ve);
	curl_free(pe);
	curl_free(ve);
	post(x, path, body, &st);
	free(path);
	cJSON_Delete(body);
	return answer_written(x, st, KIND_SKU);
}

/*
 * A SKU's price: the variant's price in the store's currency set, in one
 * call that also leaves the key (and the price it set) in the variant's
 * metadata. Medusa replaces a variant's prices with the list it is given,
 * so every other price goes along by its id alone, which leaves it as it is. Medusa keeps no
 * price history: none is made up.
 */
static enum sd_status
do_price(struct mctx *x)
{
	long long fen = json_int(x->a->body, "price", 0);
	const cJSON *v = sku_variant(x), *p, *mine;
	const char *cur = store_currency(x), *pid;
	cJSON *body, *prices, *one, *meta;

	if (fen <= 0)
		return refuse(x, "a price must be more than 0");
	pid = json_str(v, "product_id") != NULL ? json_str(v, "product_id") :
	    json_str(arr(v, "product"), "id");
	if (json_str(v, "id") == NULL || pid == NULL)
		return refuse(x, "SKU %s is no product variant in Medusa", x->a->id);
	if (has_key(v, x->key) || priced_at(x, fen))
		return answer_object(x, KIND_SKU, x->a->id, 200);
	mine = price_in(v, cur);
	prices = cJSON_CreateArray();
	cJSON_ArrayForEach(p, arr(v, "prices")) {
		if (json_str(p, "id") == NULL)
			continue;
		one = cJSON_CreateObject();
		json_set_str(one, "id", json_str(p, "id"));
		/*
		 * The others by id alone: left as they are, rules and all. The
		 * one changed needs its currency too: by id and amount alone,
		 * Medusa drops it.
		 */
		if (p == mine) {
			json_set_str(one, "currency_code", json_str(p, "currency_code"));
			json_set(one, "amount", medusa_fen_json(fen));
		}
		cJSON_AddItemToArray(prices, one);
	}
	if (mine == NULL) {
		one = cJSON_CreateObject();
		json_set_str(one, "currency_code", cur);
		json_set(one, "amount", medusa_fen_json(fen));
		cJSON_AddItemToArray(prices, one);
	}
	meta = metadata_with_key(v, x->key);
	json_set_int(meta, "shopdesk_price", fen);
	body = cJSON_CreateObject();
	json_set(body, "prices", prices);
	json_set(body, "metadata", meta);
	return post_variant(x, pid, json_str(v, "id"), body);
}

/*
 * The product's options changed (Medusa 2.17 and later: options are shared
 * objects that products link): body (taken) is the batch of what to add,
 * remove and update. SD_OK, or the answer made.
 */
static enum sd_status
options_batch(struct mctx *x, const char *pid_esc, cJSON *body)
{
	enum sd_status st = SD_OK;
	char *path = xasprintf("/admin/products/%s/options/batch?fields=id", pid_esc);

	post(x, path, body, &st);
	free(path);
	cJSON_Delete(body);
	return st;
}

/*
 * A SKU of a product: a variant of it, priced in the store's currency,
 * with the key and what Medusa has no field for (original price, cost) in
 * its metadata, and its inventory item -- Medusa makes one for a variant
 * whose inventory it manages -- stocked at 0 at the location that ships,
 * so that stock adjust has a level to set. Specifications are the
 * product's options in Medusa. A product with no variant yet takes the
 * SKU's: "Default option" (which Medusa wants and products create makes)
 * becomes the first, the others are added. Else every option needs a
 * value, and a value new to an option is added to it first. A retry finds
 * the variant by its key, or the options as far as an earlier attempt got.
 */
static enum sd_status
do_sku_create(struct mctx *x)
{
	const cJSON *b = x->a->body, *attrs = arr(b, "attributes"), *o, *v, *a, *m, *missing;
	const cJSON *dflt;
	const char *pid = json_str(b, "product_id"), *title = json_str(b, "title");
	const char *cur = store_currency(x), *loc;
	long long fen = json_int(b, "price", 0);
	cJSON *prod = NULL, *root = NULL, *body, *opts = NULL, *vals, *prices, *one, *item = NULL;
	enum sd_status st = SD_OK;
	struct buf tb, names;
	char *pe, *path, *vid = NULL;
	long http;
	int found, round = 0;

	if (pid == NULL)
		return refuse(x, "a SKU needs its product (--product)");
	if (fen <= 0)
		return refuse(x, "a price must be more than 0");
	pe = curl_easy_escape(NULL, pid, 0);
	buf_init(&tb);
	buf_init(&names);
again:
	cJSON_Delete(prod);
	prod = NULL;
	path = xasprintf("/admin/products/%s?fields=id,options.id,options.title,"
	    "options.values.value,variants.id,variants.metadata", pe);
	st = medusa_get(x->md, path, &root, x->cause);
	free(path);
	if (st == SD_ENOTFOUND) {
		st = answer_error(x, 404, "not_found", *x->cause, NULL);
		goto out;
	}
	if (st != SD_OK || (prod = detach_single(root)) == NULL) {
		x->res->http_status = 0;
		st = st != SD_OK ? st : SD_ESERVER;
		goto out;
	}
	cJSON_Delete(root);
	root = NULL;
	cJSON_ArrayForEach(v, arr(prod, "variants"))
		if (vid == NULL && has_key(v, x->key) && json_str(v, "id") != NULL)
			vid = xstrdup(json_str(v, "id"));
	if (vid != NULL)
		goto stock;	/* made by an earlier attempt */

	/* The first specification the product has no option for, and its spare one. */
	missing = dflt = NULL;
	buf_reset(&names);
	cJSON_ArrayForEach(o, arr(prod, "options")) {
		if (json_str(o, "title") == NULL)
			continue;
		buf_addf(&names, "%s%s", names.len > 0 ? ", " : "", json_str(o, "title"));
		if (strcmp(json_str(o, "title"), "Default option") == 0 &&
		    !cJSON_IsString(arr(attrs, "Default option")))
			dflt = o;
	}
	cJSON_ArrayForEach(a, attrs) {
		found = 0;
		cJSON_ArrayForEach(o, arr(prod, "options"))
			found |= json_str(o, "title") != NULL && a->string != NULL &&
			    strcmp(json_str(o, "title"), a->string) == 0;
		if (!found && missing == NULL && cJSON_IsString(a))
			missing = a;
	}
	if (missing != NULL && cJSON_GetArraySize(arr(prod, "variants")) > 0) {
		st = refuse(x, "specification %s: product %s has no such option in Medusa, and "
		    "its SKUs have theirs (its options: %s)", missing->string, pid,
		    names.len > 0 ? buf_str(&names) : "none");
		goto out;
	}
	if (missing != NULL) {
		/* No variant yet: the product takes this one as an option. */
		if (++round > 8) {
			st = refuse(x, "Medusa did not take the options of product %s", pid);
			goto out;
		}
		body = cJSON_CreateObject();
		one = cJSON_CreateObject();
		json_set_str(one, "title", missing->string);
		vals = cJSON_CreateArray();
		cJSON_AddItemToArray(vals, cJSON_CreateString(missing->valuestring));
		json_set(one, "values", vals);
		json_set_bool(one, "is_exclusive", 1);	/* the product's own */
		vals = cJSON_CreateArray();
		cJSON_AddItemToArray(vals, one);
		json_set(body, "add", vals);
		if (dflt != NULL) {
			vals = cJSON_CreateArray();
			cJSON_AddItemToArray(vals, cJSON_CreateString(json_str(dflt, "id")));
			json_set(body, "remove", vals);
		}
		st = options_batch(x, pe, body);
		if (st != SD_OK || x->res->body != NULL)
			goto out;
		goto again;
	}

	/* Its title: given, else its specification values, as the store makes it. */
	if (title != NULL)
		buf_addf(&tb, "%s", title);
	else
		cJSON_ArrayForEach(a, attrs)
			if (cJSON_IsString(a))
				buf_addf(&tb, "%s%s", tb.len > 0 ? " / " : "", a->valuestring);
	if (tb.len == 0)
		buf_addf(&tb, "%s", json_str(b, "sku_code") != NULL ? json_str(b, "sku_code") :
		    "SKU");
	opts = cJSON_CreateObject();
	cJSON_ArrayForEach(o, arr(prod, "options")) {
		const char *ot = json_str(o, "title"), *val = NULL;

		if (ot == NULL || json_str(o, "id") == NULL)
			continue;
		if (cJSON_IsString(arr(attrs, ot)))
			val = arr(attrs, ot)->valuestring;
		else if (o == dflt)
			val = buf_str(&tb);
		if (val == NULL) {
			st = refuse(x, "product %s's option %s needs a value: --spec %s=VALUE (its "
			    "options: %s)", pid, ot, ot, buf_str(&names));
			goto out;
		}
		json_set_str(opts, ot, val);
		found = 0;
		cJSON_ArrayForEach(m, arr(o, "values"))
			found |= json_str(m, "value") != NULL && strcmp(json_str(m, "value"), val) == 0;
		if (found)
			continue;
		/* The value joins the option. */
		one = cJSON_CreateObject();
		json_set_str(one, "value", val);
		vals = cJSON_CreateArray();
		cJSON_AddItemToArray(vals, one);
		one = cJSON_CreateObject();
		json_set_str(one, "product_option_id", json_str(o, "id"));
		json_set(one, "add", vals);
		vals = cJSON_CreateArray();
		cJSON_AddItemToArray(vals, one);
		body = cJSON_CreateObject();
		json_set(body, "update", vals);
		st = options_batch(x, pe, body);
		if (st != SD_OK || x->res->body != NULL)
			goto out;
	}
	body = cJSON_CreateObject();
	json_set_str(body, "title", buf_str(&tb));
	if (json_str(b, "sku_code") != NULL && *json_str(b, "sku_code") != '\0')
		json_set_str(body, "sku", json_str(b, "sku_code"));
	if (json_str(b, "barcode") != NULL && *json_str(b, "barcode") != '\0')
		json_set_str(body, "barcode", json_str(b, "barcode"));
	if (cJSON_IsNumber(arr(b, "weight")))
		json_set_int(body, "weight", json_int(b, "weight", 0));
	json_set_bool(body, "manage_inventory", 1);
	prices = cJSON_CreateArray();
	one = cJSON_CreateObject();
	json_set_str(one, "currency_code", cur);
	json_set(one, "amount", medusa_fen_json(fen));
	cJSON_AddItemToArray(prices, one);
	json_set(body, "prices", prices);
	json_set(body, "options", opts);
	opts = NULL;
	one = cJSON_CreateObject();
	json_set_str(one, KEY, x->key);
	if (cJSON_IsNumber(arr(b, "original_price")))
		json_set_int(one, "original_price", json_int(b, "original_price", 0));
	if (cJSON_IsNumber(arr(b, "cost")))
		json_set_int(one, "cost", json_int(b, "cost", 0));
	json_set(body, "metadata", one);
	path = xasprintf("/admin/products/%s/variants?fields=id,variants.id,variants.metadata", pe);
	st = call(x, "POST", path, body, &http, &root);
	free(path);
	cJSON_Delete(body);
	if (st != SD_OK) {
		st = answer_medusa(x, st, http);
		goto out;
	}
	cJSON_ArrayForEach(v, arr(arr(root, "product"), "variants"))
		if (vid == NULL && has_key(v, x->key) && json_str(v, "id") != NULL)
			vid = xstrdup(json_str(v, "id"));
	if (vid == NULL) {
		st = refuse(x, "Medusa made no SKU of product %s", pid);
		goto out;
	}
stock:
	/* A level at the location that ships, if it has none yet. */
	st = fetch_raw(x->md, KIND_SKU, vid, &item, x->cause);
	if (st != SD_OK) {
		/* Made, but its item not read: the retry finds the variant by its key. */
		x->res->http_status = 0;
		st = st == SD_ENOTFOUND ? SD_ESERVER : st;
		goto out;
	}
	loc = location(x);
	if (loc != NULL && json_str(item, "id") != NULL && level_at(item, loc) == NULL) {
		body = cJSON_CreateObject();
		json_set_str(body, "location_id", loc);
		json_set_int(body, "stocked_quantity", 0);
		path = xasprintf("/admin/inventory-items/%s/location-levels?fields=id",
		    json_str(item, "id"));
		post(x, path, body, &st);
		free(path);
		cJSON_Delete(body);
		if (st != SD_OK || x->res->body != NULL)
			goto out;
	}
	st = answer_object(x, KIND_SKU, vid, 201);
out:
	curl_free(pe);
	cJSON_Delete(root);
	cJSON_Delete(prod);
	cJSON_Delete(opts);
	cJSON_Delete(item);
	buf_done(&tb);
	buf_done(&names);
	free(vid);
	return st;
}

/* --- the catalogue: editing ------------------------------------------------------ */

/*
 * A SKU's codes, original price, cost and weight: the variant's sku,
 * barcode, title and weight, and its metadata's original_price and cost
 * (in fen; Medusa has neither), in one call that leaves the key there too.
 * Specifications are the product's options in Medusa: not changed here.
 */
static enum sd_status
do_sku_edit(struct mctx *x)
{
	const cJSON *b = x->a->body, *v = sku_variant(x), *m;
	const char *pid = json_str(v, "product_id");
	cJSON *body, *meta;

	if (arr(b, "attributes") != NULL)
		return refuse(x, "specifications (--spec): not offered by this store (medusa): "
		    "they are the product's options there");
	if (json_str(v, "id") == NULL || pid == NULL)
		return refuse(x, "SKU %s is no product variant in Medusa", x->a->id);
	body = cJSON_CreateObject();
	meta = metadata_with_key(v, x->key);
	if ((m = arr(b, "title")) != NULL && cJSON_IsString(m))
		json_set_str(body, "title", m->valuestring);
	if ((m = arr(b, "sku_code")) != NULL && cJSON_IsString(m))
		json_set_str(body, "sku", *m->valuestring != '\0' ? m->valuestring : NULL);
	if ((m = arr(b, "barcode")) != NULL && cJSON_IsString(m))
		json_set_str(body, "barcode", *m->valuestring != '\0' ? m->valuestring : NULL);
	if ((m = arr(b, "weight")) != NULL && cJSON_IsNumber(m))
		json_set_int(body, "weight", json_int(b, "weight", 0));
	if ((m = arr(b, "original_price")) != NULL && cJSON_IsNumber(m))
		json_set_int(meta, "original_price", json_int(b, "original_price", 0));
	if ((m = arr(b, "cost")) != NULL && cJSON_IsNumber(m))
		json_set_int(meta, "cost", json_int(b, "cost", 0));
	json_set(body, "metadata", meta);
	return post_variant(x, pid, json_str(v, "id"), body);
}

/*
 * The collection titled brand (the brand, as medusa_map_product reads it):
 * found, else made. NULL (with the answer made) when Medusa failed.
 */
static char *
collection_of(struct mctx *x, const char *brand, enum sd_status *st)
{
	cJSON *root = NULL, *body;
	const cJSON *c;
	char *path, *esc, *id = NULL;
	long http;

	esc = curl_easy_escape(NULL, brand, 0);
	path = xasprintf("/admin/collections?title=%s&limit=50&fields=id,title", esc);
	curl_free(esc);
	*st = medusa_get(x->md, path, &root, x->cause);
	free(path);
	if (*st != SD_OK) {
		x->res->http_status = 0;
		cJSON_Delete(root);
		return NULL;
	}
	cJSON_ArrayForEach(c, arr(root, "collections"))
		if (id == NULL && json_str(c, "title") != NULL &&
		    strcmp(json_str(c, "title"), brand) == 0)
			id = xstrdup(json_str(c, "id"));
	cJSON_Delete(root);
	if (id != NULL)
		return id;
	root = NULL;
	body = cJSON_CreateObject();
	json_set_str(body, "title", brand);
	*st = call(x, "POST", "/admin/collections", body, &http, &root);
	cJSON_Delete(body);
	if (*st != SD_OK) {
		cJSON_Delete(root);
		*st = answer_medusa(x, *st, http);
		return NULL;
	}
	if (json_str(arr(root, "collection"), "id") != NULL)
		id = xstrdup(json_str(arr(root, "collection"), "id"));
	cJSON_Delete(root);
	if (id == NULL)
		refuse(x, "Medusa made no collection %s", brand);
	return id;
}

/*
 * A product's texts: title, subtitle and description as Medusa's own, the
 * category as its only product category, the brand as its collection
 * (found by title, made when missing; "" for none), in one call with the
 * key in the product's metadata.
 */
static enum sd_status
do_product_edit(struct mctx *x)
{
	const cJSON *b = x->a->body, *m, *one;
	const char *names[] = { "title", "subtitle", "description" };
	cJSON *more = cJSON_CreateObject(), *cats, *cat;
	enum sd_status st = SD_OK;
	char *path, *coll;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((m = arr(b, names[i])) != NULL && cJSON_IsString(m))
			json_set_str(more, names[i], m->valuestring);
	if (json_str(b, "category") != NULL) {
		cJSON_Delete(more);
		return refuse(x, "category %s is not in the store's category tree (shopdesk "
		    "categories tree)", json_str(b, "category"));
	}
	if (json_str(b, "category_id") != NULL) {
		cats = cJSON_CreateArray();
		cat = cJSON_CreateObject();
		json_set_str(cat, "id", json_str(b, "category_id"));
		cJSON_AddItemToArray(cats, cat);
		json_set(more, "categories", cats);
	}
	if ((one = arr(b, "brand")) != NULL && cJSON_IsString(one)) {
		if (*one->valuestring == '\0')
			json_set_null(more, "collection_id");
		else if ((coll = collection_of(x, one->valuestring, &st)) == NULL) {
			cJSON_Delete(more);
			return st;
		} else {
			json_set_str(more, "collection_id", coll);
			free(coll);
		}
	}
	path = obj_path(x, "/admin/products/", "");
	st = post_metadata(x, path, NULL, NULL, more);
	free(path);
	return answer_written(x, st, KIND_PRODUCT);
}

/*
 * A handle of name's own for a name in use, where Medusa wants one unique in
 * the store and URL-safe: the name in lower case, spaces and slashes as
 * dashes, then a dash and eight letters or digits of the key (lower case).
 */
static char *
own_handle(const char *name, const char *key)
{
	struct buf b;
	const char *k;
	char *out, c;
	int n = 0;

	buf_init(&b);
	for (; *name != '\0'; name++)
		buf_addc(&b, *name == ' ' || *name == '/' ? '-' : *name >= 'A' && *name <= 'Z' ?
		    (char)(*name - 'A' + 'a') : *name);
	buf_addc(&b, '-');
	for (k = key; *k != '\0' && n < 8; k++) {
		if (k == key && strncmp(key, "sd-", 3) == 0) {
			k += 2;
			continue;
		}
		c = *k >= 'A' && *k <= 'Z' ? (char)(*k - 'A' + 'a') : *k;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			buf_addc(&b, c);
			n++;
		}
	}
	out = xstrdup(buf_str(&b));
	buf_done(&b);
	return out;
}

/*
 * A create: body (taken) POSTed to path with the action's key in its
 * metadata, so that a replay finds it; the made object is answer's member,
 * answered as a k. what names it in a refusal.
 */
static enum sd_status
create_keyed(struct mctx *x, cJSON *body, const char *path, const char *member,
    enum sd_kind k, const char *what)
{
	cJSON *meta = cJSON_CreateObject(), *root = NULL;
	enum sd_status st;
	char *id;
	long http;

	json_set_str(meta, KEY, x->key);
	json_set(body, "metadata", meta);
	st = call(x, "POST", path, body, &http, &root);
	cJSON_Delete(body);
	if (st != SD_OK) {
		cJSON_Delete(root);
		return answer_medusa(x, st, http);
	}
	if (json_str(arr(root, member), "id") == NULL) {
		cJSON_Delete(root);
		return refuse(x, "Medusa made no %s %s", kind_info(k)->name, what);
	}
	id = xstrdup(json_str(arr(root, member), "id"));
	cJSON_Delete(root);
	st = answer_object(x, k, id, 201);
	free(id);
	return st;
}

/*
 * A product, off the shelf (a draft) as shopdesk makes them, with its
 * texts, category and brand as products edit sets them and the key in its
 * metadata. A create leaves no object to re-read: the products of that
 * title are searched for the key first. Medusa makes the handle, unique in
 * the store, of the title: a title in use gets a handle of its own.
 */
static enum sd_status
do_product_create(struct mctx *x)
{
	const cJSON *b = x->a->body, *p, *m;
	const char *title = json_str(b, "title");
	const char *names[] = { "subtitle", "description" };
	cJSON *root = NULL, *body, *cats, *cat, *opts, *opt, *vals;
	enum sd_status st;
	char *path, *esc, *id, *handle = NULL, *coll;
	size_t i;

	if (title == NULL)
		return refuse(x, "a product needs a title");
	if (json_str(b, "category") != NULL)
		return refuse(x, "category %s is not in the store's category tree (shopdesk "
		    "categories tree)", json_str(b, "category"));
	esc = curl_easy_escape(NULL, title, 0);
	path = xasprintf("/admin/products?q=%s&limit=200&fields=id,title,metadata", esc);
	curl_free(esc);
	st = medusa_get(x->md, path, &root, x->cause);
	free(path);
	if (st != SD_OK) {
		cJSON_Delete(root);
		x->res->http_status = 0;
		return st;
	}
	cJSON_ArrayForEach(p, arr(root, "products")) {
		if (has_key(p, x->key)) {
			id = xstrdup(json_str(p, "id"));
			cJSON_Delete(root);
			free(handle);
			st = answer_object(x, KIND_PRODUCT, id, 201);
			free(id);
			return st;
		}
		if (handle == NULL && json_str(p, "title") != NULL &&
		    strcmp(json_str(p, "title"), title) == 0) {
			handle = own_handle(title, x->key);
		}
	}
	cJSON_Delete(root);
	root = NULL;
	body = cJSON_CreateObject();
	json_set_str(body, "title", title);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((m = arr(b, names[i])) != NULL && cJSON_IsString(m))
			json_set_str(body, names[i], m->valuestring);
	json_set_str(body, "status", "draft");
	if (handle != NULL)
		json_set_str(body, "handle", handle);
	free(handle);
	/* Medusa wants an option; one with no variant, as its own admin makes. */
	opts = cJSON_CreateArray();
	opt = cJSON_CreateObject();
	json_set_str(opt, "title", "Default option");
	vals = cJSON_CreateArray();
	cJSON_AddItemToArray(vals, cJSON_CreateString("Default option value"));
	json_set(opt, "values", vals);
	cJSON_AddItemToArray(opts, opt);
	json_set(body, "options", opts);
	if (json_str(b, "category_id") != NULL) {
		cats = cJSON_CreateArray();
		cat = cJSON_CreateObject();
		json_set_str(cat, "id", json_str(b, "category_id"));
		cJSON_AddItemToArray(cats, cat);
		json_set(body, "categories", cats);
	}
	if (json_str(b, "brand") != NULL && *json_str(b, "brand") != '\0') {
		if ((coll = collection_of(x, json_str(b, "brand"), &st)) == NULL) {
			cJSON_Delete(body);
			return st;
		}
		json_set_str(body, "collection_id", coll);
		free(coll);
	}
	return create_keyed(x, body, "/admin/products", "product", KIND_PRODUCT, title);
}

/* --- the catalogue: categories --------------------------------------------------- */

/* The category tree as Medusa has it now, with each category's metadata. */
static enum sd_status
category_list(struct mctx *x, cJSON **root)
{
	enum sd_status st;

	*root = NULL;
	st = medusa_get(x->md, "/admin/product-categories?limit=1000&include_descendants_tree="
	    "false&fields=id,name,parent_category_id,metadata", root, x->cause);
	if (st != SD_OK)
		x->res->http_status = 0;
	return st;
}

static int
same_parent(const cJSON *c, const char *parent)
{
	const char *p = json_str(c, "parent_category_id");

	return parent == NULL ? p == NULL : p != NULL && strcmp(p, parent) == 0;
}

/*
 * A category: made active (the store shows it), under its parent, at its
 * position, with the key in its metadata. A create leaves no object to
 * re-read, so the tree is searched for the key first; a sibling of the
 * same name that is not ours is refused as the reference store does.
 */
static enum sd_status
do_category_create(struct mctx *x)
{
	const char *name = json_str(x->a->body, "name");
	const char *parent = json_str(x->a->body, "parent_id");
	const cJSON *c, *pos = arr(x->a->body, "position");
	cJSON *root = NULL, *body;
	enum sd_status st;
	char *id, *handle = NULL;

	if (name == NULL)
		return refuse(x, "a category needs a name");
	if ((st = category_list(x, &root)) != SD_OK)
		return st;
	cJSON_ArrayForEach(c, arr(root, "product_categories")) {
		if (has_key(c, x->key)) {
			id = xstrdup(json_str(c, "id"));
			cJSON_Delete(root);
			st = answer_object(x, KIND_CATEGORY, id, 201);
			free(id);
			return st;
		}
		if (same_parent(c, parent) && json_str(c, "name") != NULL &&
		    strcmp(json_str(c, "name"), name) == 0) {
			cJSON_Delete(root);
			free(handle);
			return refuse(x, "a category named %s is there already", name);
		}
		/*
		 * Medusa makes the handle, unique in the store, of the name:
		 * a name used under another parent gets one of its own.
		 */
		if (handle == NULL && json_str(c, "name") != NULL &&
		    strcmp(json_str(c, "name"), name) == 0) {
			handle = own_handle(name, x->key);
		}
	}
	cJSON_Delete(root);
	root = NULL;
	body = cJSON_CreateObject();
	json_set_str(body, "name", name);
	if (handle != NULL)
		json_set_str(body, "handle", handle);
	free(handle);
	json_set_bool(body, "is_active", 1);
	if (parent != NULL)
		json_set_str(body, "parent_category_id", parent);
	if (cJSON_IsNumber(pos))
		json_set_int(body, "rank", json_int(x->a->body, "position", 0));
	return create_keyed(x, body, "/admin/product-categories", "product_category",
	    KIND_CATEGORY, name);
}

/* A rename (PATCH) or a move: the category updated with the key in its metadata. */
static enum sd_status
do_category_update(struct mctx *x)
{
	const cJSON *b = x->a->body, *parent = arr(b, "parent_id");
	cJSON *more = cJSON_CreateObject();
	char *path = obj_path(x, "/admin/product-categories/", "");
	enum sd_status st;

	if (x->a->action == NULL) {
		if (json_str(b, "name") == NULL) {
			cJSON_Delete(more);
			free(path);
			return refuse(x, "a category needs a name");
		}
		json_set_str(more, "name", json_str(b, "name"));
	} else {
		if (cJSON_IsString(parent))
			json_set_str(more, "parent_category_id", parent->valuestring);
		else
			json_set_null(more, "parent_category_id");
		if (cJSON_IsNumber(arr(b, "position")))
			json_set_int(more, "rank", json_int(b, "position", 0));
	}
	st = post_metadata(x, path, NULL, NULL, more);
	free(path);
	return answer_written(x, st, KIND_CATEGORY);
}

/* The answer to a removal: the object's tombstone. */
static enum sd_status
answer_gone(struct mctx *x)
{
	cJSON *t = cJSON_CreateObject();

	json_set_str(t, "id", x->a->id);
	/* The tombstone's version: after the object's, or now when it was gone already. */
	json_set_int(t, "version", x->cur != NULL ? json_int(x->cur, "version", 0) + 1 :
	    (long long)time(NULL) * 1000);
	json_set_bool(t, "deleted", 1);
	x->res->http_status = 200;
	x->res->body = t;
	return SD_OK;
}

/* A delete; Medusa's refusal (a category with children) is the action's. */
static enum sd_status
do_delete(struct mctx *x)
{
	char *path = obj_path(x, x->a->kind == KIND_CATEGORY ? "/admin/product-categories/" :
	    "/admin/products/", "");
	enum sd_status st;
	long http;

	st = call(x, "DELETE", path, NULL, &http, NULL);
	free(path);
	if (st == SD_OK || http == 404)
		return answer_gone(x);
	return answer_medusa(x, st, http);
}

/* --- promotions ------------------------------------------------------------------- */

static enum sd_status
do_promo_status(struct mctx *x)
{
	int activate = strcmp(x->a->action, "activate") == 0;
	cJSON *more = cJSON_CreateObject();
	char *path = obj_path(x, "/admin/promotions/", "");
	enum sd_status st;

	json_set_str(more, "status", activate ? "active" : "inactive");
	st = post_metadata(x, path, NULL, NULL, more);
	free(path);
	return answer_written(x, st, KIND_PROMOTION);
}

static enum sd_status
do_promo_create(struct mctx *x)
{
	const cJSON *b = x->a->body, *rules = arr(b, "rules"), *limits = arr(b, "limits"), *p;
	const char *kind = json_str(b, "kind"), *name = json_str(b, "name");
	cJSON *body, *am, *camp, *budget, *root = NULL;
	enum sd_status st;
	char *path, *esc, ident[64];
	long http;

	if (kind == NULL || name == NULL)
		return refuse(x, "a promotion needs a name and a kind");
	if (strcmp(kind, "percent_coupon") != 0 && strcmp(kind, "fixed_coupon") != 0 &&
	    strcmp(kind, "new_customer_coupon") != 0)
		return refuse(x, "%s promotions: not offered by this store (medusa): a Medusa "
		    "store takes percent_coupon and fixed_coupon", kind);
	if (strcmp(kind, "percent_coupon") == 0 && json_int(rules, "max_off", 0) > 0)
		return refuse(x, "a cap on a percentage (max_off): not offered by this store "
		    "(medusa)");
	/* A create leaves no object to re-read: the code is unique, look it up. */
	esc = curl_easy_escape(NULL, name, 0);
	path = xasprintf("/admin/promotions?code=%s&fields=id,code,metadata", esc);
	curl_free(esc);
	st = medusa_get(x->md, path, &root, x->cause);
	free(path);
	if (st != SD_OK) {
		x->res->http_status = 0;
		return st;
	}
	cJSON_ArrayForEach(p, arr(root, "promotions"))
		if (json_str(p, "code") != NULL && strcmp(json_str(p, "code"), name) == 0) {
			if (has_key(p, x->key)) {
				st = answer_object(x, KIND_PROMOTION, json_str(p, "id"), 201);
				cJSON_Delete(root);
				return st;
			}
			cJSON_Delete(root);
			return refuse(x, "a promotion with the code %s exists already", name);
		}
	cJSON_Delete(root);
	root = NULL;

	body = cJSON_CreateObject();
	json_set_str(body, "code", name);
	json_set_str(body, "type", "standard");
	json_set_str(body, "status", "draft");
	json_set_bool(body, "is_automatic", 0);
	am = cJSON_CreateObject();
	json_set_str(am, "target_type", "order");
	json_set_str(am, "allocation", "across");
	if (strcmp(kind, "percent_coupon") == 0) {
		json_set_str(am, "type", "percentage");
		json_set_int(am, "value", json_int(rules, "percent_off", 0));
	} else {
		json_set_str(am, "type", "fixed");
		json_set(am, "value", medusa_fen_json(json_int(rules, "off", 0)));
		json_set_str(am, "currency_code", medusa_currency_of(x->md) != NULL ?
		    medusa_currency_of(x->md) : "cny");
	}
	json_set(body, "application_method", am);
	camp = cJSON_CreateObject();
	json_set_str(camp, "name", name);
	snprintf(ident, sizeof ident, "shopdesk-%.50s", x->key);
	json_set_str(camp, "campaign_identifier", ident);
	if (json_str(b, "starts_at") != NULL)
		json_set_str(camp, "starts_at", json_str(b, "starts_at"));
	if (json_str(b, "ends_at") != NULL)
		json_set_str(camp, "ends_at", json_str(b, "ends_at"));
	if (json_int(limits, "budget", 0) > 0 || json_int(limits, "stock", 0) > 0) {
		budget = cJSON_CreateObject();
		if (json_int(limits, "budget", 0) > 0) {
			json_set_str(budget, "type", "spend");
			json_set(budget, "limit", medusa_fen_json(json_int(limits, "budget", 0)));
			json_set_str(budget, "currency_code", medusa_currency_of(x->md) != NULL ?
			    medusa_currency_of(x->md) : "cny");
		} else {
			json_set_str(budget, "type", "usage");
			json_set_int(budget, "limit", json_int(limits, "stock", 0));
		}
		json_set(camp, "budget", budget);
	}
	json_set(body, "campaign", camp);
	am = cJSON_CreateObject();
	json_set_str(am, KEY, x->key);
	json_set(body, "metadata", am);
	st = call(x, "POST", "/admin/promotions", body, &http, &root);
	cJSON_Delete(body);
	if (st != SD_OK) {
		cJSON_Delete(root);
		return answer_medusa(x, st, http);
	}
	p = arr(root, "promotion");
	if (json_str(p, "id") == NULL) {
		cJSON_Delete(root);
		return refuse(x, "Medusa made no promotion %s", name);
	}
	path = xstrdup(json_str(p, "id"));
	cJSON_Delete(root);
	st = answer_object(x, KIND_PROMOTION, path, 201);
	free(path);
	return st;
}

/* --- the table -------------------------------------------------------------------- */

static const struct medusa_act {
	enum sd_kind	 kind;
	const char	*action;	/* the v1 path action, NULL for a create */
	enum sd_status	(*run)(struct mctx *);
	const char	*method;	/* without an action: POST (NULL), PATCH or DELETE */
} medusa_acts[] = {
	{ KIND_ORDER, "ship", do_ship, NULL },
	{ KIND_ORDER, "deliver", do_deliver, NULL },
	{ KIND_ORDER, "complete", do_complete, NULL },
	{ KIND_ORDER, "cancel", do_cancel, NULL },
	{ KIND_ORDER, "address", do_order_update, NULL },
	{ KIND_ORDER, "note", do_order_update, NULL },
	{ KIND_ORDER, "flag", do_order_update, NULL },
	{ KIND_ORDER, "unflag", do_order_update, NULL },
	{ KIND_TICKET, NULL, do_ticket_create, NULL },
	{ KIND_TICKET, "receive", do_receive, NULL },
	{ KIND_TICKET, "refund", do_refund, NULL },
	{ KIND_SKU, "adjust", do_adjust, NULL },
	{ KIND_SKU, "threshold", do_threshold, NULL },
	{ KIND_SKU, "price", do_price, NULL },
	{ KIND_SKU, NULL, do_sku_create, NULL },
	{ KIND_SKU, NULL, do_sku_edit, "PATCH" },
	{ KIND_PRODUCT, NULL, do_product_edit, "PATCH" },
	{ KIND_PRODUCT, NULL, do_delete, "DELETE" },
	{ KIND_PRODUCT, NULL, do_product_create, NULL },
	{ KIND_PRODUCT, "shelf", do_shelf, NULL },
	{ KIND_PROMOTION, NULL, do_promo_create, NULL },
	{ KIND_PROMOTION, "activate", do_promo_status, NULL },
	{ KIND_PROMOTION, "end", do_promo_status, NULL },
	{ KIND_CATEGORY, NULL, do_category_create, NULL },
	{ KIND_CATEGORY, NULL, do_category_update, "PATCH" },
	{ KIND_CATEGORY, "move", do_category_update, NULL },
	{ KIND_CATEGORY, NULL, do_delete, "DELETE" },
};

/*
 * Whether an earlier attempt of this action left its key: then the object's
 * version moved because of it, and If-Match would refuse our own work.
 */
static int
traced(const struct mctx *x)
{
	const cJSON *f;

	if (has_key(x->raw, x->key) || has_key(ticket_return(x), x->key))
		return 1;
	if (x->a->kind == KIND_SKU && has_key(sku_variant(x), x->key))
		return 1;
	cJSON_ArrayForEach(f, arr(x->raw, "fulfillments"))
		if (has_key(f, x->key))
			return 1;
	return 0;
}

/* Applied already: the effect of the action, or its key where it left one. */
static int
already(const struct mctx *x)
{
	const char *act = x->a->action, *st = json_str(x->raw, "status");

	if (x->a->kind == KIND_ORDER) {
		if (strcmp(act, "ship") == 0)
			return shipped_fulfilment(x->raw, x->key);
		if (strcmp(act, "deliver") == 0)
			return delivered_all(x->raw);
		if (strcmp(act, "cancel") == 0)
			return st != NULL && strcmp(st, "canceled") == 0;
		if (strcmp(act, "complete") == 0)
			return st != NULL && strcmp(st, "completed") == 0;
		return has_key(x->raw, x->key);
	}
	if (x->a->kind == KIND_TICKET) {
		if (strcmp(act, "receive") == 0)
			return received(x);
		return 0;	/* do_refund finds its note */
	}
	if (x->a->kind == KIND_SKU && act != NULL && strcmp(act, "adjust") == 0)
		return 0;	/* do_adjust finishes or recognises it */
	if (x->a->kind == KIND_SKU && act != NULL && strcmp(act, "price") == 0)
		return has_key(sku_variant(x), x->key) ||
		    priced_at(x, json_int(x->a->body, "price", 0));
	if (x->a->kind == KIND_SKU && act == NULL)
		return has_key(sku_variant(x), x->key);	/* edit: the variant's metadata */
	if (x->a->kind == KIND_PROMOTION && st != NULL)
		return strcmp(act, "activate") == 0 ? strcmp(st, "active") == 0 :
		    strcmp(st, "inactive") == 0;
	return has_key(x->raw, x->key);
}

enum sd_status
medusa_action(struct medusa *md, const struct backend_action *a, struct backend_result *res,
    char **cause)
{
	const struct medusa_act *act = NULL;
	struct mctx x;
	enum sd_status st;
	size_t i;
	char *msg;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	x.md = md;
	x.a = a;
	x.res = res;
	x.cause = cause;
	x.key = a->idempotency_key != NULL ? a->idempotency_key : "";
	for (i = 0; i < sizeof medusa_acts / sizeof medusa_acts[0]; i++)
		if (medusa_acts[i].kind == a->kind && (a->action == NULL ?
		    medusa_acts[i].action == NULL && strcmp(medusa_acts[i].method != NULL ?
		    medusa_acts[i].method : "POST", a->method != NULL ? a->method : "POST") == 0 :
		    medusa_acts[i].action != NULL && strcmp(medusa_acts[i].action, a->action) == 0))
			act = &medusa_acts[i];
	if (act == NULL) {
		msg = xasprintf("%s %s: not offered by this store (medusa)", kind_info(a->kind)->path,
		    a->action != NULL ? a->action : a->method);
		answer_error(&x, 422, "not_offered", msg, NULL);
		free(msg);
		return SD_OK;
	}
	if (a->id != NULL) {
		st = fetch_raw(md, a->kind, a->id, &x.raw, cause);
		if (st == SD_ENOTFOUND && a->method != NULL && strcmp(a->method, "DELETE") == 0)
			return answer_gone(&x);	/* gone already: an earlier attempt's work */
		if (st == SD_ENOTFOUND)
			return answer_error(&x, 404, "not_found", *cause, NULL);
		if (st != SD_OK)
			return st;	/* no answer: transient, retried under the key */
		x.cur = map_raw(md, a->kind, a->id, x.raw);
		if (x.cur == NULL) {
			cJSON_Delete(x.raw);
			return answer_error(&x, 404, "not_found", "not a shopdesk object", NULL);
		}
		if (already(&x)) {
			st = answer_object(&x, a->kind, a->id, 200);
			goto out;
		}
		if (a->if_match >= 0 && json_int(x.cur, "version", -1) != a->if_match &&
		    !traced(&x)) {
			cJSON *details = cJSON_CreateObject();

			json_set(details, "current", x.cur);
			x.cur = NULL;
			msg = xasprintf("%s %s changed in Medusa since it was read",
			    kind_info(a->kind)->name, a->id);
			answer_error(&x, 409, "conflict", msg, details);
			free(msg);
			st = SD_OK;
			goto out;
		}
	}
	st = act->run(&x);
out:
	cJSON_Delete(x.raw);
	cJSON_Delete(x.cur);
	free(x.loc);
	return st;
}
