/*
 * pane-canned.c -- Canned replies 快捷回复: the team's standard scripts by
 * shortcut, with their text. Not a tab: `:canned` opens it (agents live in
 * Chats and come here to tend the scripts), and add, edit and remove are
 * its actions on the ':' line like any pane's.
 */
#include "config.h"

#include "model.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "util/jsonutil.h"

static const struct column canned_columns[] = {
	{ N_("ID"), "id", COL_STR, 6 },
	{ N_("SHORTCUT"), "shortcut", COL_STR, 12 },
	{ N_("LANG"), "lang", COL_STR, 5 },
	{ N_("TITLE"), "title", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static void
canned_draw_detail(struct pane *p, struct app *app, struct detail *d, const cJSON *o)
{
	(void)p;
	(void)app;
	detail_title(d, json_str(o, "title") != NULL ? json_str(o, "title") : "");
	detail_fieldf(d, _("shortcut"), "/%s:%s", json_str(o, "shortcut") != NULL ?
	    json_str(o, "shortcut") : "", json_str(o, "lang") != NULL ? json_str(o, "lang") : "");
	detail_field(d, _("id"), json_str(o, "id"));
	if (json_bool(o, "_removing"))
		detail_text(d, theme_attr(TH_ERROR), _("being removed (waiting for the store)"));
	detail_blank(d);
	detail_text(d, theme_attr(TH_NORMAL), json_str(o, "body") != NULL ?
	    json_str(o, "body") : "");
	detail_blank(d);
	detail_text(d, theme_attr(TH_DIM), _(":add SHORTCUT LANG TITLE TEXT, :edit --title T "
	    "--body B, :remove"));
}

const struct pane_ops pane_canned_ops = {
	.name = "canned",
	.title = N_("Canned replies"),
	.short_title = N_("Canned"),
	.keymap = KEYMAP_GENERIC,
	.kind = KIND_CANNED_REPLY,
	.noun = "canned",
	.columns = canned_columns,
	.draw_detail = canned_draw_detail,
};
