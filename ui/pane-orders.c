/*
 * pane-orders.c -- Orders 订单: status tabs (abnormal included), the order
 * with its items, address (masked), payment, shipment and timeline.
 */
#include "config.h"

#include <string.h>

#include "model.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/jsonutil.h"

static const struct column orders_columns[] = {
	{ N_("ID"), "id", COL_STR, 11 },
	{ N_("CREATED"), "created_at", COL_TIME, 11 },
	{ N_("STATUS"), "status", COL_STR, 17 },
	{ N_("TOTAL"), "total", COL_MONEY, 10 },
	{ N_("CUSTOMER"), "customer_name", COL_STR, 12 },
	{ N_("FLAG"), "abnormal.reason", COL_STR, 8 },
	{ N_("TRACKING"), "shipment.tracking_no", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct pane_filter orders_filters[] = {
	{ N_("All"), NULL, 0, 0, 0 },
	{ N_("Unpaid"), "pending_payment", 0, 0, 0 },
	{ N_("To ship"), "awaiting_shipment", 0, 0, 0 },
	{ N_("Shipped"), "shipped", 0, 0, 0 },
	{ N_("Delivered"), "delivered", 0, 0, 0 },
	{ N_("Done"), "completed", 0, 0, 0 },
	{ N_("Cancelled"), "cancelled,closed", 0, 0, 0 },
	{ N_("Abnormal"), NULL, 1, 0, 0 },
	{ NULL, NULL, 0, 0, 0 }
};

static void
orders_money(struct detail *d, const char *label, const cJSON *o, const char *key)
{
	struct buf b;

	buf_init(&b);
	columns_format_money(json_int(o, key, 0), json_str(o, "currency"), &b);
	detail_field(d, label, buf_str(&b));
	buf_done(&b);
}

/* The string at path of o, "" when there is none. */
static const char *
orders_str(const cJSON *o, const char *path)
{
	const char *s = json_path_str(o, path);

	return s != NULL ? s : "";
}

static void
orders_draw_detail(struct pane *p, struct app *app, struct detail *d, const cJSON *o)
{
	const cJSON *a, *items, *it, *tl, *ev;
	struct buf b;

	(void)p;
	buf_init(&b);
	buf_addf(&b, "%s  %s", json_str(o, "id"), i18n_status("order", json_str(o, "status")));
	detail_title(d, buf_str(&b));
	detail_fieldf(d, _("payment"), "%s / %s / %s",
	    i18n_status("payment", json_str(o, "payment_status")),
	    i18n_status("fulfillment", json_str(o, "fulfillment_status")),
	    i18n_status("lifecycle", json_str(o, "lifecycle")));
	if (cJSON_IsObject(json_path(o, "abnormal")))
		detail_fieldf(d, _("ABNORMAL"), "%s %s",
		    i18n_status("abnormal", json_path_str(o, "abnormal.reason")),
		    orders_str(o, "abnormal.note"));
	detail_fieldf(d, _("customer"), "%s (%s)", json_str(o, "customer_name") ?
	    json_str(o, "customer_name") : "", json_str(o, "customer_id") ?
	    json_str(o, "customer_id") : "");
	if ((a = cJSON_GetObjectItem(o, "address")) != NULL && cJSON_IsObject(a)) {
		detail_fieldf(d, _("ship to"), "%s %s", json_str(a, "name") ? json_str(a, "name") :
		    "", json_str(a, "phone") ? json_str(a, "phone") : "");
		detail_fieldf(d, "", "%s%s%s %s", json_str(a, "province") ? json_str(a, "province") :
		    "", json_str(a, "city") ? json_str(a, "city") : "", json_str(a, "district") ?
		    json_str(a, "district") : "", json_str(a, "line") ? json_str(a, "line") : "");
	}
	orders_money(d, _("total"), o, "total");
	orders_money(d, _("paid"), o, "paid_amount");
	if (json_int(o, "refunded_amount", 0) > 0)
		orders_money(d, _("refunded"), o, "refunded_amount");
	if (cJSON_IsObject(json_path(o, "shipment")))
		detail_fieldf(d, _("shipment"), "%s %s", orders_str(o, "shipment.carrier"),
		    orders_str(o, "shipment.tracking_no"));
	if (json_str(o, "note") != NULL && *json_str(o, "note") != '\0')
		detail_field(d, _("note"), json_str(o, "note"));
	detail_blank(d);
	detail_title(d, _("Items"));
	items = cJSON_GetObjectItem(o, "items");
	cJSON_ArrayForEach(it, items) {
		buf_reset(&b);
		buf_addf(&b, "%lld x ", json_int(it, "quantity", 0));
		columns_format_money(json_int(it, "unit_price", 0), json_str(o, "currency"), &b);
		buf_addf(&b, "  %s", json_str(it, "title") ? json_str(it, "title") : "");
		detail_text(d, theme_attr(TH_NORMAL), buf_str(&b));
	}
	detail_blank(d);
	detail_title(d, _("Timeline"));
	tl = cJSON_GetObjectItem(o, "timeline");
	cJSON_ArrayForEach(ev, tl)
		detail_event(d, app, ev, "order_event", "event", "detail");
	buf_done(&b);
}

const struct pane_ops pane_orders_ops = {
	.name = "orders",
	.title = N_("Orders"),
	.short_title = N_("Orders"),
	.keymap = KEYMAP_ORDERS,
	.kind = KIND_ORDER,
	.noun = "orders",
	.columns = orders_columns,
	.filters = orders_filters,
	.fifo_status = "awaiting_shipment",	/* packed in the order it was paid */
	.draw_detail = orders_draw_detail,
};
