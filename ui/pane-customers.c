/*
 * pane-customers.c -- Customers 客户: who the buyer is before anyone asks
 * twice. The list (level, contact masked, orders, spend, city); the
 * detail adds the customer's recent orders, open after-sales tickets and
 * chats, read from the cache by customer id. Only ids, times, statuses and
 * amounts of those are shown, never their addresses: masking holds here as
 * everywhere.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache-query.h"
#include "model.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define CUSTOMERS_RECENT	5	/* orders, tickets and chats shown of each */

/* Tickets not yet settled: what an agent must not promise twice. */
#define CUSTOMERS_OPEN_TICKETS \
	"requested,approved,awaiting_return,received,in_progress,proposed"

/* The city whole ("深圳市", not "深…") at 80 columns; the level takes the rest. */
static const struct column customers_columns[] = {
	{ N_("ID"), "id", COL_STR, 9 },
	{ N_("NAME"), "name", COL_STR, 12 },
	{ N_("PHONE"), "phone", COL_STR, 11 },
	{ N_("CITY"), "city", COL_STR, 8 },
	{ N_("ORDERS"), "orders_count", COL_INT, 6 },
	{ N_("SPENT"), "total_spent", COL_MONEY, 10 },
	{ N_("LEVEL"), "level", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

struct customers_rows {
	cJSON		*v[CUSTOMERS_RECENT];
	int		 n;
};

static int
customers_add(void *arg, const char *json)
{
	struct customers_rows *r = arg;

	if (r->n >= CUSTOMERS_RECENT)
		return 1;
	if ((r->v[r->n] = cJSON_Parse(json)) != NULL)
		r->n++;
	return 0;
}

/* The first CUSTOMERS_RECENT rows of q, and how many there are in all. */
static long
customers_read(struct app *app, struct detail *d, struct query *q, struct customers_rows *r)
{
	char *next = NULL, *cause = NULL;
	long total;

	memset(r, 0, sizeof *r);
	q->limit = CUSTOMERS_RECENT;
	if (cache_query(app->cache, q, customers_add, r, &next, &cause) != 0 ||
	    (total = cache_query_count(app->cache, q, &cause)) < 0) {
		detail_text(d, theme_attr(TH_ERROR), cause);
		free(cause);
		free(next);
		return -1;
	}
	free(next);
	return total;
}

static void
customers_done(struct customers_rows *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		cJSON_Delete(r->v[i]);
}

/* "11-22 08:15" of an RFC 3339 time, local (time_format_brief()). */
static void
customers_when(const cJSON *o, const char *key, struct buf *b)
{
	time_t t;
	char tb[16];

	if (json_str(o, key) == NULL || time_parse_rfc3339(json_str(o, key), &t) != 0)
		return;
	time_format_brief(t, time(NULL), tb, sizeof tb);
	buf_adds(b, tb);
}

/* A section's title: "Recent orders (12)". */
static void
customers_section(struct detail *d, const char *title, long total)
{
	struct buf b;

	buf_init(&b);
	buf_addf(&b, "%s (%ld)", title, total);
	detail_blank(d);
	detail_title(d, buf_str(&b));
	buf_done(&b);
}

static void
customers_draw_detail(struct pane *p, struct app *app, struct detail *d, const cJSON *o)
{
	struct customers_rows r;
	struct query q;
	struct buf b;
	const char *id = json_str(o, "id");
	long total;
	int i;

	(void)p;
	buf_init(&b);
	buf_addf(&b, "%s  %s  %s", id, json_str(o, "name") ? json_str(o, "name") : "",
	    i18n_status("level", json_str(o, "level")));
	detail_title(d, buf_str(&b));
	detail_field(d, _("phone"), json_str(o, "phone") ? json_str(o, "phone") : "-");
	detail_field(d, _("e-mail"), json_str(o, "email") ? json_str(o, "email") : "-");
	detail_field(d, _("city"), json_str(o, "city") ? json_str(o, "city") : "-");
	buf_reset(&b);
	columns_format_money(json_int(o, "total_spent", 0), json_str(o, "currency"), &b);
	/* TRANSLATORS: a customer's orders and what they spent: "12 orders, ¥2,380.00". */
	detail_fieldf(d, _("orders"), _("%lld, %s spent"), json_int(o, "orders_count", 0),
	    buf_str(&b));
	if (id == NULL)
		goto done;

	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.customer_id = id;
	if ((total = customers_read(app, d, &q, &r)) >= 0) {
		customers_section(d, _("Recent orders"), total);
		for (i = 0; i < r.n; i++) {
			buf_reset(&b);
			buf_addf(&b, "%s  ", json_str(r.v[i], "id"));
			customers_when(r.v[i], "created_at", &b);
			buf_addf(&b, "  %s  ", i18n_status("order", json_str(r.v[i], "status")));
			columns_format_money(json_int(r.v[i], "total", 0),
			    json_str(r.v[i], "currency"), &b);
			detail_text(d, theme_attr(TH_NORMAL), buf_str(&b));
		}
		customers_done(&r);
	}

	memset(&q, 0, sizeof q);
	q.kind = KIND_TICKET;
	q.customer_id = id;
	q.status = CUSTOMERS_OPEN_TICKETS;
	if (app_offered(app, KIND_TICKET) && (total = customers_read(app, d, &q, &r)) >= 0) {
		customers_section(d, _("Open after-sales"), total);
		for (i = 0; i < r.n; i++) {
			buf_reset(&b);
			buf_addf(&b, "%s  %s  %s  %s", json_str(r.v[i], "id"),
			    i18n_status("ticket_kind", json_str(r.v[i], "kind")),
			    i18n_status("ticket", json_str(r.v[i], "status")),
			    json_str(r.v[i], "order_id") ? json_str(r.v[i], "order_id") : "");
			detail_text(d, theme_attr(TH_NORMAL), buf_str(&b));
		}
		customers_done(&r);
	}

	memset(&q, 0, sizeof q);
	q.kind = KIND_CONVERSATION;
	q.customer_id = id;
	if (app_offered(app, KIND_CONVERSATION) && (total = customers_read(app, d, &q, &r)) >= 0) {
		customers_section(d, _("Chats"), total);
		for (i = 0; i < r.n; i++) {
			buf_reset(&b);
			buf_addf(&b, "%s  ", json_str(r.v[i], "id"));
			customers_when(r.v[i], "last_message_at", &b);
			buf_addf(&b, "  %s  %s", i18n_status("chat", json_str(r.v[i], "status")),
			    json_str(r.v[i], "last_message_preview") ?
			    json_str(r.v[i], "last_message_preview") : "");
			detail_text(d, theme_attr(TH_NORMAL), buf_str(&b));
		}
		customers_done(&r);
	}
done:
	buf_done(&b);
}

const struct pane_ops pane_customers_ops = {
	.name = "customers",
	.title = N_("Customers"),
	.short_title = N_("Cust"),
	.keymap = KEYMAP_CUSTOMERS,
	.kind = KIND_CUSTOMER,
	.noun = "customers",
	.columns = customers_columns,
	.draw_detail = customers_draw_detail,
};
