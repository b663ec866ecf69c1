/*
 * pane-outbox.c -- Outbox: actions saved here and not yet applied by the
 * store, with their state and reason; retry, drop, resolve and edit act on
 * the selected entry. Its rows are the outbox's entries, not a cache query.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "outbox.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

static const struct column outbox_columns[] = {
	{ "#", "id", COL_STR, 5 },
	{ N_("STATE"), "state", COL_STR, 8 },
	{ N_("TRIES"), "attempts", COL_INT, 5 },
	{ N_("SUMMARY"), "summary", COL_STR, 34 },
	{ N_("REASON"), "reason", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

struct outbox_rows {
	char		**v;
	long		 n;
};

static int
outbox_row(void *arg, const struct outbox_entry *e)
{
	struct outbox_rows *r = arg;
	cJSON *o = cJSON_CreateObject();
	char num[32];

	snprintf(num, sizeof num, "%lld", (long long)e->id);
	json_set_str(o, "id", num);
	json_set_str(o, "state", outbox_state_name(e->state));
	json_set_int(o, "attempts", e->attempts);
	json_set_str(o, "action", e->action);
	json_set_str(o, "object_id", e->object_id != NULL ? e->object_id : "");
	json_set_str(o, "summary", e->summary != NULL ? e->summary : "");
	json_set_str(o, "reason", e->reason != NULL ? e->reason : "");
	json_set_str(o, "created_at", e->created_at != NULL ? e->created_at : "");
	json_set_int(o, "http_status", e->http_status);
	if (e->theirs != NULL)
		json_set_str(o, "theirs", e->theirs);
	if (e->patch != NULL)
		json_set_str(o, "patch", e->patch);
	r->v = xrealloc(r->v, (size_t)(r->n + 1) * sizeof *r->v);
	r->v[r->n++] = json_print(o);
	cJSON_Delete(o);
	return 0;
}

static void
outbox_load(struct pane *p, struct app *app)
{
	struct outbox_rows r = { NULL, 0 };
	char *cause = NULL;
	long i;

	if (outbox_list(app->cache, 0, outbox_row, &r, &cause) != 0) {
		free(p->list.error);
		p->list.error = cause;
	}
	list_set_rows(&p->list, (const char *const *)r.v, r.n);
	for (i = 0; i < r.n; i++)
		free(r.v[i]);
	free(r.v);
}

static void
outbox_draw_detail(struct pane *p, struct app *app, struct detail *d, const cJSON *o)
{
	const char *state = json_str(o, "state");

	(void)p;
	(void)app;
	detail_title(d, json_str(o, "summary"));
	detail_fieldf(d, _("entry"), "#%s %s", json_str(o, "id"), i18n_status("outbox", state));
	detail_field(d, _("object"), json_str(o, "object_id"));
	detail_field(d, _("queued"), json_str(o, "created_at"));
	detail_fieldf(d, _("tries"), _("%lld (last HTTP %lld)"), json_int(o, "attempts", 0),
	    json_int(o, "http_status", 0));
	if (json_str(o, "reason") != NULL && *json_str(o, "reason") != '\0')
		detail_field(d, _("reason"), json_str(o, "reason"));
	/* What can be done, before the objects: theirs is long. */
	if (state != NULL && strcmp(state, "conflict") == 0)
		detail_text(d, theme_attr(TH_ALERT), _("m: resolve mine (send again on their version)"
		    "   t: resolve theirs (keep the store's)   e: edit   d: drop"));
	else if (state != NULL && strcmp(state, "failed") == 0)
		detail_text(d, theme_attr(TH_ALERT), _("r: retry as it is   e: edit   d: drop"));
	else
		detail_text(d, theme_attr(TH_DIM), _("waiting to be sent; r: send now"));
	detail_blank(d);
	if (json_str(o, "patch") != NULL)
		detail_field(d, _("yours"), json_str(o, "patch"));
	if (json_str(o, "theirs") != NULL)
		detail_field(d, _("theirs"), json_str(o, "theirs"));
}

const struct pane_ops pane_outbox_ops = {
	.name = "outbox",
	.title = N_("Outbox"),
	.short_title = N_("Outbox"),
	.keymap = KEYMAP_OUTBOX,
	.kind = -1,
	.noun = NULL,
	.columns = outbox_columns,
	.filters = NULL,
	.load = outbox_load,
	.draw_detail = outbox_draw_detail,
};
