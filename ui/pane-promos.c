/*
 * pane-promos.c -- Promotions 促销: by start, newest first, with status tabs.
 */
#include "config.h"

#include <time.h>

#include "columns.h"
#include "model.h"
#include "ui/app.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"

/* The name next to the id: at 80 columns it was the column left out. */
static const struct column promos_columns[] = {
	{ N_("ID"), "id", COL_STR, 7 },
	{ N_("NAME"), "name", COL_STR, 0 },
	{ N_("KIND"), "kind", COL_STR, 10 },
	{ N_("STATUS"), "status", COL_STR, 9 },
	{ N_("STARTS"), "starts_at", COL_TIME, 11 },
	{ N_("ENDS"), "ends_at", COL_TIME, 11 },
	{ N_("USED"), "usage.redeemed", COL_INT, 5 },
	{ N_("SPENT"), "usage.discount_total", COL_MONEY, 9 },	/* the budget spent */
	{ NULL, NULL, 0, 0 }
};

static const struct pane_filter promos_filters[] = {
	{ N_("All"), NULL, 0, 0, 0 },
	{ N_("Active"), "active", 0, 0, 0 },
	{ N_("Scheduled"), "scheduled", 0, 0, 0 },
	{ N_("Draft"), "draft", 0, 0, 0 },
	{ N_("Ended"), "ended", 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0 }
};

/* The integer at path of obj, or def. */
static long long
promos_int(const cJSON *obj, const char *path, long long def)
{
	const cJSON *v = json_path(obj, path);

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : def;
}

/* A money member of obj at path, in the promotion's currency; 0 when absent. */
static int
promos_money(const cJSON *o, const cJSON *obj, const char *path, struct buf *b)
{
	const cJSON *v = json_path(obj, path);

	if (!cJSON_IsNumber(v))
		return 0;
	columns_format_money((long long)v->valuedouble, json_str(o, "currency"), b);
	return 1;
}

/* A time of the window in the store's zone, with its year: "2027-02-15 00:00". */
static void
promos_when(const char *s, struct buf *b)
{
	time_t t;
	char tb[32];

	if (s == NULL || time_parse_rfc3339(s, &t) != 0) {
		buf_adds(b, "?");
		return;
	}
	time_format_local(t, "%Y-%m-%d %H:%M", tb, sizeof tb);
	buf_adds(b, tb);
}

/* The rules as a merchant reads them, one field per rule. */
static void
promos_rules(struct detail *d, const cJSON *o)
{
	const cJSON *r = json_path(o, "rules"), *t;
	struct buf b, x, y;
	long long n;

	if (!cJSON_IsObject(r))
		return;
	buf_init(&b);
	buf_init(&x);
	buf_init(&y);
	if (promos_money(o, r, "threshold", &b))
		detail_field(d, _("spend"), buf_str(&b));
	buf_reset(&b);
	if (promos_money(o, r, "off", &b))
		detail_field(d, _("off"), buf_str(&b));
	if ((n = json_int(r, "percent_off", 0)) > 0)
		detail_fieldf(d, _("discount"), _("%lld%% off"), n);
	buf_reset(&b);
	if (promos_money(o, r, "max_off", &b))
		detail_field(d, _("max off"), buf_str(&b));
	buf_reset(&b);
	if (promos_money(o, r, "price", &b))
		detail_field(d, _("price"), buf_str(&b));
	if ((n = json_int(r, "quantity", 0)) > 0)
		detail_fieldf(d, _("quantity"), "%lld", n);
	if ((n = json_int(r, "n", 0)) > 0)
		detail_fieldf(d, _("buy"), _("%lld items"), n);
	if ((n = json_int(r, "group_size", 0)) > 0)
		detail_fieldf(d, _("group"), _("%lld people"), n);
	if (json_str(r, "level") != NULL)
		detail_field(d, _("level"), i18n_status("level", json_str(r, "level")));
	buf_reset(&b);
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(r, "tiers")) {
		buf_reset(&x);
		buf_reset(&y);
		promos_money(o, t, "threshold", &x);
		promos_money(o, t, "off", &y);
		if (b.len > 0)
			buf_adds(&b, _("; "));
		buf_addf(&b, _("spend %s, %s off"), buf_str(&x), buf_str(&y));
	}
	if (b.len > 0)
		detail_field(d, _("tiers"), buf_str(&b));
	buf_done(&b);
	buf_done(&x);
	buf_done(&y);
}

/*
 * A promotion as a merchant reads it: kind and status named, the window in
 * the store's zone, each rule, the limits against what has been used.
 */
static void
promos_draw_detail(struct pane *p, struct app *app, struct detail *d, const cJSON *o)
{
	const cJSON *skus, *sku;
	long long budget = promos_int(o, "limits.budget", 0);
	long long spent = promos_int(o, "usage.discount_total", 0);
	struct buf b;
	int n;

	(void)p;
	(void)app;
	buf_init(&b);
	buf_addf(&b, "%s  %s  %s", json_str(o, "id"), i18n_status("promo_kind", json_str(o, "kind")),
	    i18n_status("promo", json_str(o, "status")));
	detail_title(d, buf_str(&b));
	detail_field(d, _("name"), json_str(o, "name"));
	buf_reset(&b);
	promos_when(json_str(o, "starts_at"), &b);
	buf_adds(&b, " - ");
	promos_when(json_str(o, "ends_at"), &b);
	detail_field(d, _("window"), buf_str(&b));
	promos_rules(d, o);
	buf_reset(&b);
	if (budget > 0) {
		columns_format_money(spent, json_str(o, "currency"), &b);
		buf_adds(&b, " / ");
		columns_format_money(budget, json_str(o, "currency"), &b);
		buf_addf(&b, " (%lld%%)", spent * 100 / budget);
		detail_field(d, _("budget"), buf_str(&b));
	} else {
		columns_format_money(spent, json_str(o, "currency"), &b);
		detail_field(d, _("given"), buf_str(&b));
	}
	detail_fieldf(d, _("used"), _("%lld times, in %lld orders"),
	    promos_int(o, "usage.redeemed", 0), promos_int(o, "usage.orders", 0));
	if ((n = (int)promos_int(o, "limits.per_customer", 0)) > 0)
		detail_fieldf(d, _("per buyer"), "%d", n);
	if ((n = (int)promos_int(o, "limits.stock", 0)) > 0)
		detail_fieldf(d, _("limit"), _("%d redemptions"), n);
	skus = cJSON_GetObjectItemCaseSensitive(o, "sku_ids");
	buf_reset(&b);
	cJSON_ArrayForEach(sku, skus) {
		if (cJSON_IsString(sku))
			buf_addf(&b, "%s%s", b.len > 0 ? " " : "", sku->valuestring);
	}
	detail_field(d, _("SKUs"), b.len > 0 ? buf_str(&b) : _("the whole order"));
	buf_done(&b);
}

const struct pane_ops pane_promos_ops = {
	.name = "promos",
	.title = N_("Promotions"),
	.short_title = N_("Promo"),
	.keymap = KEYMAP_PROMOS,
	.kind = KIND_PROMOTION,
	.noun = "promos",
	.columns = promos_columns,
	.filters = promos_filters,
	.draw_detail = promos_draw_detail,
};
