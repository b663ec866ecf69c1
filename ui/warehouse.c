/*
 * warehouse.c -- the packing station's commands (warehouse.h).
 *
 * A USB scanner types the code and Enter like a keyboard: `b` in the
 * Inventory opens ":barcode " and the scan runs it. The row is looked up
 * through the search index (a barcode or id is an exact match there), then
 * selected in the pane's All tab, so that no tab or search hides it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "cache-query.h"
#include "slip.h"
#include "ui/app.h"
#include "ui/warehouse.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

struct scan_hit {
	const char	*code;
	enum sd_kind	 kind;
	char		*id;
};

static int
scan_row(void *arg, const char *json)
{
	struct scan_hit *h = arg;
	cJSON *o = cJSON_Parse(json);
	const char *id = json_str(o, "id"), *bc = json_str(o, "barcode"),
	    *tn = json_path_str(o, "shipment.tracking_no");

	if (id != NULL && (strcasecmp(id, h->code) == 0 ||
	    (h->kind == KIND_SKU && bc != NULL && strcmp(bc, h->code) == 0) ||
	    (h->kind == KIND_ORDER && tn != NULL && strcasecmp(tn, h->code) == 0)))
		h->id = xstrdup(id);
	cJSON_Delete(o);
	return h->id != NULL;
}

int
warehouse_cmd_scan(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct pane *p = app_pane(a);
	struct scan_hit h;
	struct query q;
	char *code, *next = NULL;
	size_t n;
	int rc = -1;

	(void)argc;
	if (p->ops->kind != KIND_SKU && p->ops->kind != KIND_ORDER) {
		*cause = xstrdup(_("scan finds a SKU in the Inventory (5) or an order in Orders (2)"));
		return -1;
	}
	/* What a scanner adds around the code. */
	code = xstrdup(argv[1] + strspn(argv[1], " \t"));
	for (n = strlen(code); n > 0 && strchr(" \t\r\n", code[n - 1]) != NULL; n--)
		code[n - 1] = '\0';
	memset(&h, 0, sizeof h);
	h.code = code;
	h.kind = (enum sd_kind)p->ops->kind;
	memset(&q, 0, sizeof q);
	q.kind = h.kind;
	q.text = code;
	q.limit = 20;
	if (*code == '\0' || cache_query(a->cache, &q, scan_row, &h, &next, cause) != 0 ||
	    h.id == NULL) {
		if (*cause == NULL)
			*cause = xasprintf(h.kind == KIND_SKU ?
			    _("no SKU has the barcode or id '%s' in the cache") :
			    _("no order has the number or tracking number '%s' in the cache"), code);
		goto out;
	}
	p->filter = app_filter_all(p);
	p->kind = 0;
	free(p->search);
	p->search = NULL;
	app_apply_filter(a, p);
	if (!list_seek_id(&p->list, a->cache, h.id, 1000000)) {
		p->search = xstrdup(h.id);	/* past the list's reach: show it alone */
		app_apply_filter(a, p);
	}
	a->detail_open = 1;
	app_keys_reset(a);
	app_message(a, 0, _("%s: %s"), code, h.id);
	a->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
	rc = 0;
out:
	free(next);
	free(h.id);
	free(code);
	return rc;
}

/*
 * Packing slips of the marked orders, else of the selected one: to FILE,
 * else to the profile's print-command. The slips carry the real address,
 * so the role is checked and each is recorded as a reveal (audit.h).
 */
int
warehouse_cmd_slip(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct pane *p = app_pane(a);
	const struct list_row *r;
	struct audit_trail *trail = NULL;
	cJSON **orders = NULL;
	struct buf pdf;
	char *json, *cmd = NULL;
	size_t n = 0, want, i;
	FILE *f;
	int rc = -1;

	buf_init(&pdf);
	if (p->ops->kind != KIND_ORDER) {
		*cause = xstrdup(_("slips are printed from Orders (2): the selected or marked orders"));
		goto out;
	}
	if (argc < 2 && a->conf->print_command == NULL) {
		*cause = xstrdup(_("slip FILE writes the PDF; or set print-command in the profile "
		    "(shopdesk.conf(5))"));
		goto out;
	}
	if (!slip_allowed(a->cache, cause))
		goto out;
	r = list_selected(&p->list);
	want = p->list.nmarks > 0 ? p->list.nmarks : r != NULL ? 1 : 0;
	if (want == 0) {
		*cause = xstrdup(_("slip: select or mark an order first"));
		goto out;
	}
	orders = xcalloc(want, sizeof *orders);
	for (i = 0; i < want; i++) {
		const char *id = p->list.nmarks > 0 ? p->list.marks[i] : r->id;

		if ((json = cache_get_json(a->cache, KIND_ORDER, id)) == NULL ||
		    (orders[n] = cJSON_Parse(json)) == NULL) {
			free(json);
			*cause = xasprintf(_("order %s is not in the cache"), id);
			goto out;
		}
		free(json);
		n++;
	}
	if (slip_pdf((const cJSON *const *)orders, n, &pdf, cause) != 0)
		goto out;
	if ((trail = audit_trail_open(a->cache, a->conf->profile, cause)) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (audit_trail_record(trail, KIND_ORDER, json_str(orders[i], "id"), cause) != 0)
			goto out;
	if (argc >= 2) {
		if ((f = fopen(argv[1], "wb")) == NULL) {
			*cause = xasprintf(_("cannot write %s"), argv[1]);
			goto out;
		}
		rc = fwrite(pdf.data, 1, pdf.len, f) == pdf.len ? 0 : -1;
		if (fclose(f) != 0 || rc != 0) {
			rc = -1;
			*cause = xasprintf(_("cannot write %s"), argv[1]);
			goto out;
		}
		app_message(a, 0, _("%zu packing slips written to %s (the addresses are logged "
		    "as shown)"), n, argv[1]);
	} else {
		/* Nothing of the command may reach the screen curses owns. */
		cmd = xasprintf("(%s) >/dev/null 2>&1", a->conf->print_command);
		if (slip_print(cmd, &pdf, cause) != 0)
			goto out;
		app_message(a, 0, _("%zu packing slips sent to the printer (%s)"), n,
		    a->conf->print_command);
	}
	rc = 0;
out:
	audit_trail_close(trail);
	for (i = 0; i < n; i++)
		cJSON_Delete(orders[i]);
	free(orders);
	free(cmd);
	buf_done(&pdf);
	return rc;
}
