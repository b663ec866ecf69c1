/*
 * pane-promos.c -- Promotions 促销: by start, newest first, with status tabs.
 */
#include "config.h"

#include "model.h"
#include "ui/app.h"

static const struct column promos_columns[] = {
	{ N_("ID"), "id", COL_STR, 7 },
	{ N_("KIND"), "kind", COL_STR, 13 },
	{ N_("STATUS"), "status", COL_STR, 9 },
	{ N_("STARTS"), "starts_at", COL_TIME, 11 },
	{ N_("ENDS"), "ends_at", COL_TIME, 11 },
	{ N_("USED"), "usage.redeemed", COL_INT, 5 },
	{ N_("SPENT"), "usage.discount_total", COL_MONEY, 9 },	/* the budget spent */
	{ N_("NAME"), "name", COL_STR, 0 },
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

static void
promos_draw_detail(struct pane *p, struct app *app, struct detail *d, const cJSON *o)
{
	(void)p;
	(void)app;
	detail_object(d, o);
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
