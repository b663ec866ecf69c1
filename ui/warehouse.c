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

#include "cache-query.h"
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
