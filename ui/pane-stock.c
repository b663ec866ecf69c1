/*
 * pane-stock.c -- Inventory 库存: SKUs, the lowest margin over the warning
 * threshold first; the "Low" tab keeps those at or under it.
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "columns.h"
#include "kpi.h"
#include "model.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

/*
 * The SKU's name (product and variant) right after its code: "SK100036" and
 * "酒红" alone say nothing to a packer. It takes what the figures leave.
 */
static const struct column stock_columns[] = {
	{ N_("SKU"), "id", COL_STR, 9 },
	{ N_("PRODUCT"), "product_title", COL_SKU_NAME, 0 },
	{ N_("STOCK"), "stock", COL_INT, 6 },
	{ N_("RSVD"), "reserved", COL_INT, 5 },
	{ N_("AVAIL"), "available", COL_AVAILABLE, 5 },
	{ N_("WARN"), "low_stock_threshold", COL_INT, 5 },
	{ N_("PRICE"), "price", COL_MONEY, 9 },
	{ N_("SHELF"), "shelf", COL_STR, 5 },
	{ N_("NEXT"), "scheduled_shelf.at", COL_DUE, 6 },	/* a scheduled shelf change */
	{ NULL, NULL, 0, 0 }
};

/*
 * All SKUs first (ordered lowest margin first), so that a search or a scan
 * reaches every SKU; "Low" is the filter it is: at or under the threshold.
 */
static const struct pane_filter stock_filters[] = {
	{ N_("All"), NULL, 0, 0, 0 },
	{ N_("Low"), NULL, 0, 1, 0 },
	{ NULL, NULL, 0, 0, 0 }
};

/* What a merchant edits: cost, the scheduled shelf change, the last prices. */
static void
stock_draw_catalog(struct detail *d, const cJSON *o, struct buf *b)
{
	static const struct column at = { "", "scheduled_shelf.at", COL_TIME, 11 };
	static const struct column when = { "", "at", COL_TIME, 11 };
	const cJSON *sched = cJSON_GetObjectItemCaseSensitive(o, "scheduled_shelf");
	const cJSON *hist = cJSON_GetObjectItemCaseSensitive(o, "price_history"), *e;
	long long price = json_int(o, "price", 0), cost = json_int(o, "cost", 0);
	int n, i;

	if (cost > 0) {
		buf_reset(b);
		columns_format_money(cost, json_str(o, "currency"), b);
		if (price > 0)
			buf_addf(b, _("  margin %lld%%"), (price - cost) * 100 / price);
		detail_field(d, _("cost"), buf_str(b));
	}
	if (cJSON_IsObject(sched) && json_str(sched, "shelf") != NULL) {
		buf_reset(b);
		buf_addf(b, "%s, ", i18n_status("shelf", json_str(sched, "shelf")));
		column_text(o, &at, 1, time(NULL), b);
		detail_field(d, _("scheduled"), buf_str(b));
	}
	n = cJSON_GetArraySize(hist);
	for (i = n > 3 ? n - 3 : 0; i < n; i++) {
		e = cJSON_GetArrayItem(hist, i);
		buf_reset(b);
		column_text(e, &when, 1, time(NULL), b);
		buf_adds(b, "  ");
		columns_format_money(json_int(e, "from", 0), json_str(o, "currency"), b);
		buf_adds(b, " -> ");
		columns_format_money(json_int(e, "to", 0), json_str(o, "currency"), b);
		detail_field(d, i == (n > 3 ? n - 3 : 0) ? _("price was") : "", buf_str(b));
	}
}

static void
stock_draw_detail(struct pane *p, struct app *app, struct detail *d, const cJSON *o)
{
	long long stock = json_int(o, "stock", 0), rsvd = json_int(o, "reserved", 0);
	long long warn = json_int(o, "low_stock_threshold", 0);
	static const struct column moved_at = { "", "at", COL_TIME, 11 };
	const cJSON *mv, *m;
	struct buf b;

	(void)p;
	buf_init(&b);
	buf_addf(&b, "%s  %s", json_str(o, "id") != NULL ? json_str(o, "id") : "",
	    json_str(o, "product_title") != NULL ? json_str(o, "product_title") : "");
	if (json_str(o, "title") != NULL && *json_str(o, "title") != '\0')
		buf_addf(&b, " / %s", json_str(o, "title"));
	detail_title(d, buf_str(&b));
	detail_fieldf(d, _("stock"), _("%lld (reserved %lld, available %lld)"), stock, rsvd,
	    stock - rsvd);
	detail_fieldf(d, _("warn at"), "%lld%s", warn, stock - rsvd <= warn ? _("  LOW") : "");
	buf_reset(&b);
	columns_format_money(json_int(o, "price", 0), json_str(o, "currency"), &b);
	detail_field(d, _("price"), buf_str(&b));
	detail_field(d, _("barcode"), json_str(o, "barcode"));
	detail_field(d, _("shelf"), i18n_status("shelf", json_str(o, "shelf")));
	stock_draw_catalog(d, o, &b);
	detail_fieldf(d, _("product"), "%s", json_str(o, "product_id"));
	/* The store's stock history, newest first (shopdesk-storeapi(7)). */
	detail_blank(d);
	detail_title(d, _("Movements"));
	mv = cJSON_GetObjectItemCaseSensitive(o, "movements");
	if (cJSON_GetArraySize(mv) == 0)
		detail_text(d, theme_attr(TH_DIM), _("(none recorded by the store)"));
	cJSON_ArrayForEach(m, mv) {
		const char *by = json_str(m, "by"), *ref = json_str(m, "ref");
		/* Who moved it by name, as the orders' timelines say it. */
		char *who = by != NULL && *by != '\0' ? app_user_label(app, by) : NULL;

		buf_reset(&b);
		column_text(m, &moved_at, COLUMN_HUMAN, time(NULL), &b);
		buf_addf(&b, "  %+lld %s -> %lld  %s%s%s", json_int(m, "delta", 0),
		    i18n_status("stock_reason", json_str(m, "reason") ? json_str(m, "reason") : ""),
		    json_int(m, "stock", 0), who != NULL ? who : "", ref != NULL ? " " : "",
		    ref != NULL ? ref : "");
		free(who);
		detail_text(d, theme_attr(TH_NORMAL), buf_str(&b));
	}
	buf_done(&b);
}

/* "12 low · 3 out of stock" for the title: what needs stock, in sight. */
static char *
stock_summary(struct pane *p, struct app *app)
{
	long low, out;
	char *cause = NULL;

	/* Of the SKUs the list is filtered to by :category, if it is. */
	if (kpi_stock(app->cache, p->list.filter.category, &low, &out, &cause) != 0) {
		free(cause);
		return NULL;
	}
	return xasprintf(_("%ld low · %ld out of stock"), low, out);
}

const struct pane_ops pane_stock_ops = {
	.name = "stock",
	.title = N_("Inventory"),
	.short_title = N_("Stock"),
	.keymap = KEYMAP_STOCK,
	.kind = KIND_SKU,
	.noun = "stock",
	.columns = stock_columns,
	.filters = stock_filters,
	.sort = "low",			/* the SKUs about to run out first */
	.summary = stock_summary,
	.draw_detail = stock_draw_detail,
};
