/*
 * seed.c -- deterministic seed data for the reference store: the order book.
 *
 * seed_store() fills an empty store with a shop's last 90 days: users,
 * customers, a catalogue, orders in every state, after-sales tickets,
 * conversations with messages, promotions and canned replies. Everything is
 * drawn from one splitmix64 stream, so the same seed gives the same data
 * byte for byte (only the users' tokens are random, on purpose).
 *
 * This file plans the catalogue, the promotions, the orders and their
 * tickets; seed-live.c writes the people (staff, customers, tickets, chats)
 * and runs the live activity; seed-data.h holds the tables both use.
 *
 * Orders are the bulk (up to millions), so each is planned as a plain struct
 * by living its life forward from its creation (payment, review, picking,
 * shipping, delivery, completion, with side exits) and written as JSON text
 * straight into a buffer, oldest first, in a few large transactions. A
 * ticket is planned together with its order because it changes the order
 * (refunds, a closed order). Customers, SKUs and promotions are written
 * after the orders because their counters (orders, reserved stock, usage)
 * come from them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "server/seed.h"
#include "server/seed-data.h"
#include "server/store.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define MINUTE		60
#define HOUR		3600
#define DAY		86400
#define HISTORY_DAYS	90
#define COMMIT_EVERY	200000		/* rows per transaction */
#define TZ_OFFSET	(8 * HOUR)	/* the shop works in Asia/Shanghai */
#define PICKUP_LAG	(2 * HOUR)	/* from shipping to the carrier's first scan */

#define LIT(b, s)	buf_add((b), "" s, sizeof (s) - 1)
#define PICK(r, a)	((a)[seed_rnd((r), SEED_NELEM(a))])

#define AGENT_FIRST	SEED_AGENT_FIRST
#define NAGENTS		SEED_NAGENTS
#define FINANCE_USER	7
#define WH_FIRST	8

static const char *const channels[] = { "app", "miniprogram", "wechat", "web" };
static const int channel_w[] = { 45, 20, 15, 20 };
static const char *const methods[] = { "alipay", "wechat_pay", "card", "cod" };
static const int method_w[] = { 45, 42, 10, 3 };
static const int carrier_w[] = { 25, 15, 20, 15, 15, 10 };	/* model.h order */
/* Orders per local hour of the day, relative. */
static const int hour_w[24] = {
	3, 2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 9, 8, 8, 8, 8, 8, 9, 11, 13, 14, 12, 7
};

/* --- the generator --------------------------------------------------------- */

struct sku {
	char		 id[24];
	int		 prod;
	char		 title[112];	/* "白色 / M" */
	char		 full[240];	/* "纯棉圆领T恤 白色 / M" */
	char		 attrs[192];	/* JSON object */
	char		 barcode[14];
	int		 price;
	int		 oos;		/* out of stock now: kept out of recent orders */
	long		 reserved;
	long		 lines;		/* order lines (a proxy for stock changes) */
};

struct prod {
	char		 id[24];
	int		 first, n;	/* its SKUs */
	int		 off;		/* off shelf */
	time_t		 created;
};

struct promo {
	const struct seed_promo	*def;
	char		 id[24];
	time_t		 starts, ends, created;
	int		 sku[2], nsku;
	long		 orders;
	long long	 discount;
};


/* Timeline of one order. */
struct event {
	time_t		 at;
	const char	*event;
	const char	*by;
	char		 detail[64];
};

struct order {
	long		 no;
	time_t		 created;
	long		 cust;
	struct seed_cust c;
	int		 n, sku[4], qty[4];
	long long	 subtotal, discount, shipfee, total, paid, refunded;
	int		 promo, channel, method, carrier;
	time_t		 paid_at, ship_at, deliver_at, complete_at, cancel_at, close_at;
	int		 failed, hold, abn;	/* abn: 0 none, else reason + 1 */
	char		 tracking[32];
	char		 txn[40];
	time_t		 abn_at;
	const char	*abn_note, *abn_by;
	const char	*note;
	struct event	 ev[16];
	int		 nev;
};

struct gen {
	struct store		*st;
	const struct seed_opts	*o;
	uint64_t		 r;
	time_t			 now;
	struct buf		 b;
	long			 rows;
	uint64_t		 t0;

	struct sku		*skus;
	int			 nskus;
	struct prod		 prods[SEED_NELEM(seed_products)];
	struct promo		 promos[SEED_NELEM(seed_promos)];

	long			 norders, ncust, nconv, tmax;
	struct seed_custstat		*cs;
	struct seed_tplan		*tp;
	long			 ntp, ptick_pre, ptick_post;	/* per million */
	unsigned char		 tcov[TK__COUNT][TS__COUNT];
	int			 uncovered;	/* (kind, state) pairs not seen yet */
	int			 warned;	/* a ticket placed in SLA warning */
	unsigned		 abncov;	/* reasons flagged on open orders */
	long			 npending;
	long			 status_n[8];
	char			 users[SEED_NELEM(seed_users)][8];
};

static const char *const abn_reasons[] = {
	"address", "buyer_cancel", "payment_failed", "out_of_stock", "fraud"
};
enum { AB_ADDRESS, AB_CANCEL, AB_PAYMENT, AB_STOCK, AB_FRAUD };

/* --- helpers ---------------------------------------------------------------- */

/* Insert the buffer (one whole object) as (kind, id); commit every COMMIT_EVERY rows. */
static void
put(struct gen *g, enum sd_kind kind, const char *id, long long version)
{
	store_put_raw(g->st, kind, id, version, g->b.data);
	if (++g->rows % COMMIT_EVERY == 0) {
		store_commit(g->st);
		store_begin(g->st);
	}
}

static void
seed_put_cb(void *arg, enum sd_kind kind, const char *id, long long version)
{
	put(arg, kind, id, version);
}

static void
progress(struct gen *g, const char *what, long n, long total)
{
	if (!g->o->quiet)
		fprintf(stderr, "seed: %s %ld/%ld (%.1f s)\n", what, n, total,
		    (double)(time_mono_us() - g->t0) / 1e6);
}

static const char *
agent_id(struct gen *g, int k)
{
	return g->users[AGENT_FIRST - 1 + k % NAGENTS];
}

/* --- catalogue -------------------------------------------------------------- */

/* The n-th "|"-separated value of list into out; -1 past the end. */
static int
nth_value(const char *list, int n, char *out, size_t len)
{
	const char *p = list, *e;

	for (;;) {
		e = p + strcspn(p, "|");
		if (n-- == 0) {
			snprintf(out, len, "%.*s", (int)(e - p), p);
			return 0;
		}
		if (*e == '\0')
			return -1;
		p = e + 1;
	}
}

static void
ean13(const char *twelve, char *out)
{
	int i, sum = 0;

	for (i = 0; i < 12; i++)
		sum += (twelve[i] - '0') * (i % 2 == 0 ? 1 : 3);
	snprintf(out, 14, "%s%d", twelve, (10 - sum % 10) % 10);
}

static void
catalog_plan(struct gen *g)
{
	const struct seed_pdef *d;
	struct buf ab;
	struct prod *p;
	struct sku *s;
	char v1[48], v2[48], twelve[13];
	size_t i;
	int a, c, cap = 8;

	buf_init(&ab);
	g->skus = xcalloc(SEED_NELEM(seed_products) * 6, sizeof *g->skus);
	for (i = 0; i < SEED_NELEM(seed_products); i++) {
		d = &seed_products[i];
		p = &g->prods[i];
		snprintf(p->id, sizeof p->id, "P%zu", 1001 + i);
		p->first = g->nskus;
		p->off = i % 17 == 9;
		p->created = g->now - (time_t)seed_range(&g->r, 95 * DAY, 400 * DAY);
		for (a = 0; nth_value(d->v1, a, v1, sizeof v1) == 0 && p->n < 6; a++) {
			for (c = 0; p->n < 6; c++) {
				if (d->a2 != NULL && nth_value(d->v2, c, v2, sizeof v2) != 0)
					break;
				if (d->a2 == NULL && c > 0)
					break;
				s = &g->skus[g->nskus];
				snprintf(s->id, sizeof s->id, "SK%d", 100001 + g->nskus);
				s->prod = (int)i;
				buf_reset(&ab);
				LIT(&ab, "{");
				seed_add_str(&ab, d->a1);
				buf_addc(&ab, ':');
				seed_add_str(&ab, v1);
				if (d->a2 != NULL) {
					buf_addc(&ab, ',');
					seed_add_str(&ab, d->a2);
					buf_addc(&ab, ':');
					seed_add_str(&ab, v2);
					snprintf(s->title, sizeof s->title, "%s / %s", v1, v2);
				} else
					snprintf(s->title, sizeof s->title, "%s", v1);
				buf_addc(&ab, '}');
				snprintf(s->attrs, sizeof s->attrs, "%s", buf_str(&ab));
				snprintf(s->full, sizeof s->full, "%s %s", d->title, s->title);
				s->price = d->price + a * d->step;
				snprintf(twelve, sizeof twelve, "69%05u%05u",
				    (unsigned)(10000 + i * 1301) % 100000u,
				    (unsigned)(10000 + g->nskus) % 100000u);
				ean13(twelve, s->barcode);
				s->oos = --cap == 0;
				if (cap == 0)
					cap = (int)seed_range(&g->r, 9, 15);
				g->nskus++;
				p->n++;
			}
		}
	}
	buf_done(&ab);
}

static void
catalog_put(struct gen *g)
{
	struct prod *p;
	struct sku *s;
	size_t i;
	int k, pos;
	long stock, thr;
	time_t t;
	char cid[24], pid[24];

	for (i = 0; i < SEED_NELEM(seed_categories); i++) {
		snprintf(cid, sizeof cid, "CG%zu", 101 + i);
		t = g->now - 420 * DAY + (time_t)i * HOUR;
		seed_obj_head(&g->b, cid, 1, t, t);
		seed_kv_str(&g->b, "name", seed_categories[i].name);
		if (seed_categories[i].parent >= 0)
			snprintf(pid, sizeof pid, "CG%d",
			    101 + seed_categories[i].parent);
		seed_kv_str(&g->b, "parent_id",
		    seed_categories[i].parent >= 0 ? pid : NULL);
		for (pos = 0, k = 0; k < (int)i; k++)
			pos += seed_categories[k].parent ==
			    seed_categories[i].parent;
		seed_kv_int(&g->b, "position", pos);
		buf_addc(&g->b, '}');
		put(g, KIND_CATEGORY, cid, 1);
	}
	for (i = 0; i < SEED_NELEM(seed_products); i++) {
		p = &g->prods[i];
		for (k = 0; k < (int)SEED_NELEM(seed_categories); k++)
			if (strcmp(seed_categories[k].name,
			    seed_products[i].category) == 0)
				break;
		if (k == (int)SEED_NELEM(seed_categories))
			fatal("seed: product %s has no category", p->id);
		snprintf(cid, sizeof cid, "CG%d", 101 + k);
		seed_obj_head(&g->b, p->id, p->off ? 3 : 1, p->created,
		    p->off ? g->now - (time_t)seed_range(&g->r, DAY, 9 * DAY) : p->created);
		seed_kv_str(&g->b, "title", seed_products[i].title);
		seed_kv_str(&g->b, "category", seed_products[i].category);
		seed_kv_str(&g->b, "category_id", cid);
		seed_kv_str(&g->b, "brand", seed_products[i].brand);
		seed_kv_str(&g->b, "shelf", p->off ? "off" : "on");
		LIT(&g->b, ",\"sku_ids\":[");
		for (k = 0; k < p->n; k++) {
			if (k > 0)
				buf_addc(&g->b, ',');
			seed_add_str(&g->b, g->skus[p->first + k].id);
		}
		LIT(&g->b, "]}");
		put(g, KIND_PRODUCT, p->id, p->off ? 3 : 1);
	}
	for (k = 0; k < g->nskus; k++) {
		s = &g->skus[k];
		p = &g->prods[s->prod];
		thr = seed_chance(&g->r, 70) ? 10 : seed_chance(&g->r, 50) ? 20 : 5;
		if (s->oos)
			stock = s->reserved;
		else if (seed_chance(&g->r, 12))
			stock = s->reserved + seed_range(&g->r, 1, thr - 1);
		else
			stock = s->reserved + seed_range(&g->r, thr + 5, 600);
		t = g->now - (time_t)seed_range(&g->r, 10 * MINUTE, 5 * DAY);
		seed_obj_head(&g->b, s->id, 1 + s->lines % 997, p->created, t);
		seed_kv_str(&g->b, "product_id", p->id);
		seed_kv_str(&g->b, "product_title", seed_products[s->prod].title);
		seed_kv_str(&g->b, "title", s->title);
		LIT(&g->b, ",\"attributes\":");
		buf_adds(&g->b, s->attrs);
		seed_kv_str(&g->b, "barcode", s->barcode);
		seed_kv_str(&g->b, "currency", "CNY");
		seed_kv_int(&g->b, "price", s->price);
		seed_kv_int(&g->b, "stock", stock);
		seed_kv_int(&g->b, "reserved", s->reserved);
		seed_kv_int(&g->b, "low_stock_threshold", thr);
		seed_kv_str(&g->b, "shelf", p->off ? "off" : "on");
		buf_addc(&g->b, '}');
		put(g, KIND_SKU, s->id, 1 + s->lines % 997);
	}
}

/* --- promotions -------------------------------------------------------------- */

static int
sku_of_title(struct gen *g, const char *title, size_t len, int k)
{
	size_t i;

	for (i = 0; i < SEED_NELEM(seed_products); i++)
		if (strlen(seed_products[i].title) == len &&
		    strncmp(seed_products[i].title, title, len) == 0)
			return g->prods[i].first + k % g->prods[i].n;
	fatal("seed: no product \"%.*s\"", (int)len, title);
}

static void
promo_plan(struct gen *g)
{
	struct promo *p;
	const char *h, *e;
	size_t i;

	for (i = 0; i < SEED_NELEM(seed_promos); i++) {
		p = &g->promos[i];
		p->def = &seed_promos[i];
		snprintf(p->id, sizeof p->id, "PR%zu", 1001 + i);
		/* Short sales start on the hour, longer ones at local midnight. */
		p->starts = g->now + (time_t)p->def->start_h * HOUR;
		if (p->def->len_h < 24)
			p->starts -= p->starts % HOUR;
		else
			p->starts -= (p->starts + TZ_OFFSET) % DAY;
		p->ends = p->starts + (time_t)p->def->len_h * HOUR;
		p->created = p->starts - (time_t)seed_range(&g->r, 2 * DAY, 12 * DAY);
		if (p->created > g->now)
			p->created = g->now - (time_t)seed_range(&g->r, HOUR, 5 * DAY);
		for (h = p->def->hint; h != NULL && *h != '\0' && p->nsku < 2; h = e) {
			e = h + strcspn(h, "|");
			p->sku[p->nsku] = sku_of_title(g, h, (size_t)(e - h), (int)i);
			p->nsku++;
			if (*e == '|')
				e++;
		}
	}
}

/* Whether promotion p could have applied to an order at t. */
static int
promo_live(const struct promo *p, time_t t)
{
	return (strcmp(p->def->status, "active") == 0 ||
	    strcmp(p->def->status, "ended") == 0) && t >= p->starts && t < p->ends;
}

static void
promo_put(struct gen *g)
{
	const struct seed_promo *d;
	struct promo *p;
	size_t i;
	int k, version, lvl;
	long long budget;
	struct buf rb;
	time_t upd;

	buf_init(&rb);
	for (i = 0; i < SEED_NELEM(seed_promos); i++) {
		p = &g->promos[i];
		d = p->def;
		version = strcmp(d->status, "draft") == 0 ? 1 :
		    strcmp(d->status, "scheduled") == 0 ? 2 :
		    strcmp(d->status, "active") == 0 ? 3 : 4;
		upd = version == 1 ? p->created : version == 2 ? p->created + HOUR :
		    version == 3 ? p->starts : p->ends;
		seed_obj_head(&g->b, p->id, version, p->created, upd);
		seed_kv_str(&g->b, "name", d->name);
		seed_kv_str(&g->b, "kind", d->kind);
		seed_kv_str(&g->b, "status", d->status);
		seed_kv_time(&g->b, "starts_at", p->starts);
		seed_kv_time(&g->b, "ends_at", p->ends);
		buf_reset(&rb);
		if (strcmp(d->kind, "threshold_coupon") == 0) {
			seed_kv_int(&rb, "threshold", d->p1);
			seed_kv_int(&rb, "off", d->p2);
		} else if (strcmp(d->kind, "percent_coupon") == 0) {
			seed_kv_int(&rb, "percent_off", d->p1);
			seed_kv_int(&rb, "max_off", d->p2);
		} else if (strcmp(d->kind, "fixed_coupon") == 0 ||
		    strcmp(d->kind, "new_customer_coupon") == 0)
			seed_kv_int(&rb, "off", d->p1);
		else if (strcmp(d->kind, "flash_sale") == 0) {
			seed_kv_int(&rb, "price", g->skus[p->sku[0]].price * d->p1 / 100);
			seed_kv_int(&rb, "quantity", d->p2);
		} else if (strcmp(d->kind, "tiered") == 0) {
			LIT(&rb, ",\"tiers\":[{\"threshold\":");
			seed_add_int(&rb, d->p1);
			LIT(&rb, ",\"off\":");
			seed_add_int(&rb, d->p2);
			LIT(&rb, "},{\"threshold\":");
			seed_add_int(&rb, d->p3);
			LIT(&rb, ",\"off\":");
			seed_add_int(&rb, d->p4);
			LIT(&rb, "}]");
		} else if (strcmp(d->kind, "n_items") == 0) {
			seed_kv_int(&rb, "n", d->p1);
			seed_kv_int(&rb, "percent_off", d->p2);
		} else if (strcmp(d->kind, "bundle") == 0)
			seed_kv_int(&rb, "price", (g->skus[p->sku[0]].price +
			    g->skus[p->sku[1]].price) * d->p1 / 100);
		else if (strcmp(d->kind, "member_price") == 0) {
			lvl = d->p1;
			seed_kv_str(&rb, "level", lvl == 2 ? "diamond" : "gold");
			seed_kv_int(&rb, "percent_off", d->p2);
		} else if (strcmp(d->kind, "group_buy") == 0) {
			seed_kv_int(&rb, "group_size", d->p1);
			seed_kv_int(&rb, "price", g->skus[p->sku[0]].price * d->p2 / 100);
		}
		/* kv_*() lead with a comma: skip it. */
		LIT(&g->b, ",\"rules\":{");
		if (rb.len > 0)
			buf_add(&g->b, rb.data + 1, rb.len - 1);
		budget = (1 + p->discount * 3 / 200000) * 100000;
		LIT(&g->b, "},\"limits\":{\"budget\":");
		seed_add_int(&g->b, budget < 500000 ? 500000 : budget);
		seed_kv_int(&g->b, "per_customer", strcmp(d->kind, "flash_sale") == 0 ||
		    strcmp(d->kind, "new_customer_coupon") == 0 ? 1 : 3);
		seed_kv_int(&g->b, "stock", strcmp(d->kind, "flash_sale") == 0 ? d->p2 +
		    p->orders : 5000 + p->orders * 2);
		LIT(&g->b, "},\"usage\":{\"redeemed\":");
		seed_add_int(&g->b, p->orders);
		seed_kv_int(&g->b, "orders", p->orders);
		seed_kv_int(&g->b, "discount_total", p->discount);
		LIT(&g->b, "},\"sku_ids\":[");
		for (k = 0; k < p->nsku; k++) {
			if (k > 0)
				buf_addc(&g->b, ',');
			seed_add_str(&g->b, g->skus[p->sku[k]].id);
		}
		LIT(&g->b, "]}");
		put(g, KIND_PROMOTION, p->id, version);
	}
	buf_done(&rb);
}

/* --- orders ------------------------------------------------------------------ */

static void
ev_add(struct order *o, time_t at, const char *event, const char *by,
    const char *detail)
{
	struct event *e;

	if (o->nev == (int)SEED_NELEM(o->ev))
		fatal("seed: order timeline too long");
	e = &o->ev[o->nev++];
	e->at = at;
	e->event = event;
	e->by = by;
	snprintf(e->detail, sizeof e->detail, "%s", detail != NULL ? detail : "");
}

static void
ev_amount(struct order *o, time_t at, const char *event, const char *by,
    long long amount)
{
	char s[24];

	snprintf(s, sizeof s, "%lld", amount);
	ev_add(o, at, event, by, s);
}

static int
level_rank(const char *level)
{
	return strcmp(level, "diamond") == 0 ? 2 : strcmp(level, "gold") == 0;
}

/* Pick a promotion live at the order's time, or -1. */
static int
order_pick_promo(struct gen *g, time_t t)
{
	int live[SEED_NELEM(seed_promos)], n = 0;
	size_t i;

	for (i = 0; i < SEED_NELEM(seed_promos); i++) {
		if (!promo_live(&g->promos[i], t))
			continue;
		if (strcmp(g->promos[i].def->kind, "flash_sale") == 0 &&
		    g->promos[i].orders >= g->promos[i].def->p2)
			continue;
		live[n++] = (int)i;
	}
	return n == 0 ? -1 : live[seed_rnd(&g->r, (uint64_t)n)];
}

static int
order_has(const struct order *o, int sku)
{
	int k;

	for (k = 0; k < o->n; k++)
		if (o->sku[k] == sku)
			return 1;
	return 0;
}

static void
order_items(struct gen *g, struct order *o)
{
	static const int nw[] = { 55, 28, 12, 5 }, qw[] = { 80, 14, 4, 2 };
	static const int qv[] = { 1, 2, 3, 5 };
	const int nprod = (int)SEED_NELEM(seed_products);
	int want, tries, p, s, k, recent;

	recent = o->created > g->now - 6 * DAY;
	want = seed_pick_w(&g->r, nw, 4) + 1;
	if (o->promo >= 0) {
		for (k = 0; k < g->promos[o->promo].nsku; k++) {
			o->sku[o->n] = g->promos[o->promo].sku[k];
			o->qty[o->n++] = 1;
		}
	}
	for (tries = 0; o->n < want && tries < 30; tries++) {
		/* Best sellers are spread over the table, not its first rows. */
		p = (int)(seed_skewed(&g->r, nprod) * 17 + 5) % nprod;
		if (recent && g->prods[p].off)
			continue;
		s = g->prods[p].first + (int)seed_rnd(&g->r, (uint64_t)g->prods[p].n);
		if ((recent && g->skus[s].oos) || order_has(o, s))
			continue;
		o->sku[o->n] = s;
		o->qty[o->n++] = qv[seed_pick_w(&g->r, qw, 4)];
	}
}

/* The discount of the order's promotion, 0 when it does not apply. */
static long long
order_discount(struct gen *g, struct order *o)
{
	const struct seed_promo *d = g->promos[o->promo].def;
	const struct promo *p = &g->promos[o->promo];
	long long off = 0, sub = o->subtotal;
	int k, n = 0;

	for (k = 0; k < o->n; k++)
		n += o->qty[k];
	if (strcmp(d->kind, "threshold_coupon") == 0)
		off = sub >= d->p1 ? d->p2 : 0;
	else if (strcmp(d->kind, "percent_coupon") == 0)
		off = sub * d->p1 / 100 < d->p2 ? sub * d->p1 / 100 : d->p2;
	else if (strcmp(d->kind, "fixed_coupon") == 0)
		off = sub > 2 * d->p1 ? d->p1 : 0;
	else if (strcmp(d->kind, "new_customer_coupon") == 0)
		off = g->cs[o->cust].orders == 0 && sub > 2 * d->p1 ? d->p1 : 0;
	else if (strcmp(d->kind, "tiered") == 0)
		off = sub >= d->p3 ? d->p4 : sub >= d->p1 ? d->p2 : 0;
	else if (strcmp(d->kind, "n_items") == 0)
		off = n >= d->p1 ? sub * d->p2 / 100 : 0;
	else if (strcmp(d->kind, "member_price") == 0)
		off = level_rank(o->c.level) >= d->p1 ? sub * d->p2 / 100 : 0;
	else if (strcmp(d->kind, "flash_sale") == 0)
		off = g->skus[p->sku[0]].price - g->skus[p->sku[0]].price * d->p1 / 100;
	else if (strcmp(d->kind, "group_buy") == 0)
		off = g->skus[p->sku[0]].price - g->skus[p->sku[0]].price * d->p2 / 100;
	else if (strcmp(d->kind, "bundle") == 0)
		off = (g->skus[p->sku[0]].price + g->skus[p->sku[1]].price) *
		    (100 - d->p1) / 100;
	return off < sub ? off : 0;
}

/* Move t into the warehouse's working hours (08:00-22:00 local). */
static time_t
work_hours(uint64_t *r, time_t t)
{
	long h = (long)((t + TZ_OFFSET) % DAY / HOUR);

	if (h < 8)
		return t + (8 - h) * HOUR + (time_t)seed_rnd(r, 2 * HOUR);
	if (h >= 22)
		return t + (32 - h) * HOUR + (time_t)seed_rnd(r, 2 * HOUR);
	return t;
}

/*
 * Plan a ticket created in [lo, hi]. Durations are drawn first; then if the
 * kind has a state no ticket has shown yet that this window can land in, the
 * creation time is placed so that the ticket is in that state now; otherwise
 * it is an ordinary draw. Returns the plan, or NULL.
 */
/*
 * Whether a ticket of kind created in [lo, hi] could be, now, in a state no
 * ticket of that kind has shown yet.
 */
static int
ticket_can_cover(const struct gen *g, int kind, time_t lo, time_t hi)
{
	const struct tstep *path;
	time_t slo[6], shi[6];
	int v, j, n;

	if (hi <= lo)
		return 0;
	for (v = 0; v < 2 && tpaths[kind][v][0].action != NULL; v++) {
		path = tpaths[kind][v];
		slo[0] = shi[0] = 0;
		for (n = 1; n < 6 && path[n].action != NULL; n++) {
			slo[n] = slo[n - 1] + path[n].lo * 60;
			shi[n] = shi[n - 1] + path[n].hi * 60 * (n == 1 ? 2 : 1);
		}
		for (j = 0; j < n; j++) {
			if (g->tcov[kind][path[j].state])
				continue;
			if (lo <= g->now - slo[j] && (j == n - 1 ||
			    hi > g->now - shi[j + 1]))
				return 1;
		}
	}
	return 0;
}

static struct seed_tplan *
ticket_plan(struct gen *g, struct order *o, int kind, time_t lo, time_t hi)
{
	const struct tstep *path;
	struct seed_tplan *t;
	time_t cum[2][6], a, b, c = 0;
	int v, j, n[2], nv, variant = -1, reached, tries;
	long long d;

	if (hi <= lo || g->ntp >= 40000 ||
	    (g->ntp >= g->tmax && !ticket_can_cover(g, kind, lo, hi)))
		return NULL;
	nv = tpaths[kind][1][0].action != NULL ? 2 : 1;
	tries = g->uncovered > 0 && ticket_can_cover(g, kind, lo, hi) ? 8 : 1;
	while (variant < 0 && tries-- > 0) {
		for (v = 0; v < nv; v++) {
			path = tpaths[kind][v];
			cum[v][0] = 0;
			for (j = 1; j < 6 && path[j].action != NULL; j++) {
				d = seed_range(&g->r, path[j].lo * 60LL, path[j].hi * 60LL);
				if (j == 1 && seed_chance(&g->r, 12))
					d = d * 2;	/* a slow review now and then */
				cum[v][j] = cum[v][j - 1] + (time_t)d;
			}
			n[v] = j;
		}
		/* One unassigned ticket with its first-action SLA nearly out. */
		a = g->now - (time_t)tsla[kind].first * HOUR * 85 / 100;
		if (!g->warned && kind != TK_COMPLAINT && lo <= a && a <= hi) {
			g->warned = 1;
			variant = 0;
			c = a;
			for (j = 1; j < n[0]; j++)
				cum[0][j] += g->now - c;
			break;
		}
		for (v = 0; v < nv && variant < 0; v++) {
			for (j = n[v] - 1; j >= 0 && variant < 0; j--) {
				if (g->tcov[kind][tpaths[kind][v][j].state])
					continue;
				/* In state j now: c + cum[j] <= now < c + cum[j + 1]. */
				b = g->now - cum[v][j];
				a = j == n[v] - 1 ? lo : g->now - cum[v][j + 1] + 1;
				a = a > lo ? a : lo;
				b = b < hi ? b : hi;
				if (a <= b) {
					variant = v;
					c = a + (time_t)seed_rnd(&g->r, (uint64_t)(b - a + 1));
				}
			}
		}
	}
	if (variant < 0) {
		variant = nv == 2 && seed_chance(&g->r, 12);
		c = lo + (time_t)seed_skewed(&g->r, (long)(hi - lo + 1));
	}
	if (g->ntp % 1024 == 0)
		g->tp = xrealloc(g->tp, (size_t)(g->ntp + 1024) * sizeof *g->tp);
	t = &g->tp[g->ntp++];
	memset(t, 0, sizeof *t);
	t->order_no = o->no;
	t->cust = o->cust;
	t->kind = (unsigned char)kind;
	t->variant = (unsigned char)variant;
	t->nsteps = (unsigned char)n[variant];
	for (reached = 0, j = 0; j < n[variant]; j++) {
		t->at[j] = c + cum[variant][j];
		if (t->at[j] <= g->now)
			reached = j;
	}
	t->reached = (unsigned char)reached;
	if (!g->tcov[kind][tpaths[kind][variant][reached].state]) {
		g->tcov[kind][tpaths[kind][variant][reached].state] = 1;
		g->uncovered--;
	}
	t->agent = (unsigned char)seed_rnd(&g->r, NAGENTS);
	t->prio = seed_chance(&g->r, 15);
	if (seed_chance(&g->r, kind == TK_COMPLAINT ? 25 : 4)) {
		t->esc_at = c + (time_t)seed_range(&g->r, 30 * MINUTE, 20 * HOUR);
		if (t->esc_at > g->now || (reached == n[variant] - 1 &&
		    t->esc_at >= t->at[reached]))
			t->esc_at = 0;
		t->esc = t->esc_at != 0;
	}
	if (reached == 0 && c != g->now - (time_t)tsla[kind].first * HOUR * 85 / 100 &&
	    seed_chance(&g->r, 40)) {
		t->assign_at = c + (time_t)seed_range(&g->r, 2 * MINUTE, 3 * HOUR);
		if (t->assign_at > g->now)
			t->assign_at = 0;
	}
	t->prod = g->skus[o->sku[seed_rnd(&g->r, (uint64_t)o->n)]].prod;
	t->tracking_seed = (time_t)seed_rand(&g->r);
	return t;
}

/* Time a ticket reached state s, or 0 when it has not (yet). */
static time_t
ticket_at(const struct seed_tplan *t, int s)
{
	int j;

	for (j = 1; j <= t->reached; j++)
		if (tpaths[t->kind][t->variant][j].state == s)
			return t->at[j];
	return 0;
}

/* The value of one order line after the order's discount, in fen. */
static long long
line_value(const struct gen *g, const struct order *o, int k)
{
	long long v = (long long)g->skus[o->sku[k]].price * o->qty[k];

	return o->subtotal == 0 ? 0 : v * (o->subtotal - o->discount) / o->subtotal;
}

/* Apply a planned ticket's refund to the order. */
static void
order_refund(struct gen *g, struct order *o, struct seed_tplan *t)
{
	time_t at = ticket_at(t, TS_REFUNDED);
	long long left = o->paid - o->refunded;

	if (at == 0 || t->requested <= 0)
		return;
	t->refund = t->requested < left ? t->requested : left;
	o->refunded += t->refund;
	ev_amount(o, at, "refunded", t->refund > 50000 ? g->users[FINANCE_USER - 1] :
	    agent_id(g, t->agent), t->refund);
}

/* After-sales on a paid order that went on normally. */
static void
order_ticket_after(struct gen *g, struct order *o)
{
	static const int wd[] = { 14, 30, 15, 6, 8, 12, 15 };
	static const int ws[] = { 0, 0, 0, 0, 15, 25, 60 };
	static const int wc[] = { 0, 0, 0, 0, 0, 1, 0 };
	const int *w;
	struct seed_tplan *t;
	time_t lo, hi;
	int kind, k;
	long long v;

	if (o->deliver_at != 0) {
		w = wd;
		lo = o->deliver_at + HOUR;
		hi = o->deliver_at + 10 * DAY;
	} else if (o->ship_at != 0) {
		w = ws;
		lo = o->ship_at + 30 * HOUR;
		hi = g->now;
	} else {
		w = wc;
		lo = o->paid_at + 2 * HOUR;
		hi = g->now;
	}
	hi = hi < g->now ? hi : g->now;
	kind = seed_pick_w(&g->r, w, TK__COUNT);
	/* Rather a kind that can show a state not seen yet. */
	for (k = 0; g->uncovered > 0 && k < TK__COUNT; k++) {
		if (w[(kind + k) % TK__COUNT] > 0 &&
		    ticket_can_cover(g, (kind + k) % TK__COUNT, lo, hi)) {
			kind = (kind + k) % TK__COUNT;
			break;
		}
	}
	hi = hi < g->now ? hi : g->now;
	if ((t = ticket_plan(g, o, kind, lo, hi)) == NULL)
		return;
	k = (int)seed_rnd(&g->r, (uint64_t)o->n);
	v = line_value(g, o, k);
	if (kind == TK_RETURN_REFUND)
		t->requested = v;
	else if (kind == TK_REFUND_ONLY)
		t->requested = (v * seed_range(&g->r, 10, 60) / 100 + 99) / 100 * 100;
	if (t->requested > o->paid - o->refunded)
		t->requested = o->paid - o->refunded;
	t->prod = g->skus[o->sku[k]].prod;
	order_refund(g, o, t);
}

/* Flag the order abnormal now (it stays open and on hold). */
static void
order_flag(struct gen *g, struct order *o, int reason, time_t at)
{
	static const char *const *notes[] = {
		seed_abnormal_address, seed_abnormal_cancel, seed_abnormal_payment,
		seed_abnormal_stock, seed_abnormal_fraud
	};
	static const size_t nnotes[] = {
		SEED_NELEM(seed_abnormal_address), SEED_NELEM(seed_abnormal_cancel),
		SEED_NELEM(seed_abnormal_payment), SEED_NELEM(seed_abnormal_stock),
		SEED_NELEM(seed_abnormal_fraud)
	};

	o->abn = reason + 1;
	o->abn_at = at;
	o->abn_note = notes[reason][seed_rnd(&g->r, nnotes[reason])];
	o->abn_by = reason == AB_PAYMENT || reason == AB_FRAUD ? "system" :
	    reason == AB_STOCK ? g->users[WH_FIRST - 1] : agent_id(g, (int)o->no);
	ev_add(o, at, "flagged", o->abn_by, abn_reasons[reason]);
	g->abncov |= 1u << reason;
}

/* Cancel a paid order (refunding it) at t. */
static void
order_cancel_paid(struct order *o, time_t t, const char *by, const char *why)
{
	o->cancel_at = t;
	ev_add(o, t, "cancelled", by, why);
	o->refunded = o->paid;
	ev_amount(o, t, "refunded", "system", o->paid);
}

/*
 * Live the order's life from its creation to now: payment (or not), an
 * occasional review problem or cancellation, picking, shipping, delivery,
 * completion, and perhaps an after-sales ticket. Only what happened by now
 * is recorded.
 */
static void
order_life(struct gen *g, struct order *o, long tail)
{
	uint64_t *r = &g->r;
	const time_t now = g->now, t = o->created;
	const char *cust = o->c.id;
	time_t start, ask, done, lag, at;
	struct seed_tplan *tp;
	char detail[64];
	unsigned want;
	int x, reason;

	ev_add(o, t, "created", "system", NULL);
	x = tail < 3 && !(g->abncov & (1u << AB_PAYMENT));
	if (seed_chance(r, 7) || (tail < 3 && g->npending < 2) || (tail == 0 && x)) {
		/* Never paid: failed attempts, then the 120-minute timeout. */
		if (x || seed_chance(r, 15)) {
			o->failed = 1;
			ev_add(o, t + (time_t)seed_range(r, 0, now - t < 90 ? now - t : 90),
			    "payment_failed", cust, PICK(r, seed_abnormal_payment));
		}
		if (now - t >= 2 * HOUR) {
			o->cancel_at = t + 2 * HOUR;
			ev_add(o, o->cancel_at, "cancelled", "system", "支付超时自动关闭");
			return;
		}
		g->npending++;
		if (o->failed && (seed_chance(r, 50) || !(g->abncov & (1u << AB_PAYMENT))))
			order_flag(g, o, AB_PAYMENT, o->ev[o->nev - 1].at + 5);
		else if (seed_chance(r, 3) && now - t > 60)
			order_flag(g, o, AB_FRAUD, t + 30);
		return;
	}
	x = (int)seed_rnd(r, 100);
	o->paid_at = t + (time_t)(x < 70 ? seed_range(r, 20, 180) : x < 95 ?
	    seed_range(r, 180, 20 * MINUTE) : seed_range(r, 20 * MINUTE, 100 * MINUTE));
	if (o->paid_at > now) {
		o->paid_at = 0;
		g->npending++;
		return;
	}
	o->paid = o->total;
	ev_add(o, o->paid_at, "paid", cust, methods[o->method]);
	start = o->paid_at;

	x = (int)seed_rnd(r, 1000);
	if (x < 6) {
		/* The buyer asks to cancel; someone does it a little later. */
		ask = o->paid_at + (time_t)seed_range(r, 5 * MINUTE, 8 * HOUR);
		done = ask + (time_t)seed_range(r, 10 * MINUTE, 6 * HOUR);
		if (done <= now) {
			ev_add(o, ask, "flagged", agent_id(g, (int)o->no), "buyer_cancel");
			ev_add(o, done - 1, "unflagged", agent_id(g, (int)o->no),
			    "buyer_cancel");
			order_cancel_paid(o, done, agent_id(g, (int)o->no),
			    PICK(r, seed_abnormal_cancel));
			return;
		}
		if (ask <= now) {
			order_flag(g, o, AB_CANCEL, ask);
			o->hold = 1;
			return;
		}
	} else if (x < 22) {
		/* Held at review: address, stock or risk control. */
		reason = (int)seed_rnd(r, 10);
		reason = reason < 4 ? AB_ADDRESS : reason < 7 ? AB_STOCK : AB_FRAUD;
		at = o->paid_at + (time_t)seed_range(r, MINUTE, 90 * MINUTE);
		done = at + (time_t)seed_range(r, HOUR, 30 * HOUR);
		if (at <= now) {
			if (done > now) {
				order_flag(g, o, reason, at);
				o->hold = 1;
				return;
			}
			ev_add(o, at, "flagged", reason == AB_FRAUD ? "system" :
			    agent_id(g, (int)o->no), abn_reasons[reason]);
			ev_add(o, done, "unflagged", agent_id(g, (int)o->no),
			    abn_reasons[reason]);
			if (seed_chance(r, reason == AB_FRAUD ? 40 : reason == AB_STOCK ? 35 : 5)) {
				order_cancel_paid(o, done + 60, agent_id(g, (int)o->no),
				    reason == AB_STOCK ? "缺货，与买家协商取消" :
				    reason == AB_FRAUD ? "风控拦截" : "地址无法配送");
				return;
			}
			start = done;
		}
	}

	x = (int)seed_rnd(r, 100);
	lag = (time_t)(x < 70 ? seed_range(r, HOUR, 12 * HOUR) : x < 95 ?
	    seed_range(r, 12 * HOUR, 30 * HOUR) : seed_range(r, 30 * HOUR, 60 * HOUR));
	o->ship_at = work_hours(r, start + lag);

	/* A refund asked before shipping; refunded in full, it closes the order. */
	if ((long)seed_rnd(r, 1000000) < g->ptick_pre) {
		at = o->paid_at + 10 * HOUR;
		at = at < o->ship_at - MINUTE ? at : o->ship_at - MINUTE;
		tp = ticket_plan(g, o, TK_REFUND_ONLY, o->paid_at + 5 * MINUTE,
		    at < now ? at : now);
		if (tp != NULL) {
			tp->requested = o->paid;
			if ((at = ticket_at(tp, TS_REFUNDED)) != 0) {
				order_refund(g, o, tp);
				o->close_at = at;
				ev_add(o, at, "closed", "system", NULL);
				o->ship_at = 0;
				return;
			}
			if ((at = ticket_at(tp, TS_REJECTED)) == 0) {
				o->hold = 1;
				o->ship_at = 0;
				return;
			}
			at += (time_t)seed_range(r, HOUR, 12 * HOUR);
			o->ship_at = work_hours(r, at > o->ship_at ? at : o->ship_at);
			tail = -1;	/* it has its ticket */
		}
	}
	if (o->ship_at > now) {
		o->ship_at = 0;
		/* Make sure every reason shows on some open order. */
		want = ~g->abncov & ((1u << AB_ADDRESS) | (1u << AB_CANCEL) |
		    (1u << AB_STOCK) | (1u << AB_FRAUD));
		if (want != 0 && now - start > 2 * MINUTE &&
		    ((tail >= 0 && tail < 40) || seed_chance(r, 20))) {
			for (reason = 0; !(want & (1u << reason)); reason++)
				;
			order_flag(g, o, reason, start +
			    (time_t)seed_range(r, MINUTE, now - start));
			o->hold = 1;
		} else if (tail >= 0 && ((long)seed_rnd(r, 1000000) < g->ptick_post / 5 ||
		    (g->uncovered > 0 && seed_chance(r, 30))))
			order_ticket_after(g, o);
		return;
	}
	o->carrier = seed_pick_w(r, carrier_w, (int)SEED_NELEM(carrier_w));
	seed_tracking_no(r, carriers[o->carrier].code, o->tracking);
	snprintf(detail, sizeof detail, "%s %s", carriers[o->carrier].code,
	    o->tracking);
	ev_add(o, o->ship_at, "shipped", g->users[WH_FIRST - 1 + seed_rnd(r, 2)],
	    detail);
	x = (int)seed_rnd(r, 100);
	o->deliver_at = o->ship_at + (time_t)(x < 70 ? seed_range(r, 16 * HOUR,
	    60 * HOUR) : x < 95 ? seed_range(r, 60 * HOUR, 5 * DAY) :
	    seed_range(r, 5 * DAY, 8 * DAY));
	if (o->deliver_at > now)
		o->deliver_at = 0;
	else {
		ev_add(o, o->deliver_at, "delivered", "system", NULL);
		x = seed_chance(r, 35);
		o->complete_at = o->deliver_at + (time_t)(x ? seed_range(r, 2 * HOUR,
		    6 * DAY) : 7 * DAY + seed_range(r, 0, 6 * HOUR));
		if (o->complete_at > now)
			o->complete_at = 0;
		else
			ev_add(o, o->complete_at, "completed", x ? cust : "system", NULL);
	}
	if (tail >= 0 && ((long)seed_rnd(r, 1000000) < g->ptick_post ||
	    (g->uncovered > 0 && now - o->ship_at < 12 * DAY && seed_chance(r, 30))))
		order_ticket_after(g, o);
}

static const char *const order_statuses[] = {
	"pending_payment", "awaiting_shipment", "shipped", "delivered",
	"completed", "cancelled", "closed"
};

static void
order_put(struct gen *g, struct order *o)
{
	struct buf *b = &g->b;
	const char *life, *pay, *ful, *status;
	struct event e;
	time_t pickup;
	char id[24];
	int i, j, si;

	for (i = 1; i < o->nev; i++) {
		e = o->ev[i];
		for (j = i; j > 0 && o->ev[j - 1].at > e.at; j--)
			o->ev[j] = o->ev[j - 1];
		o->ev[j] = e;
	}
	life = o->cancel_at ? "cancelled" : o->close_at ? "closed" :
	    o->complete_at ? "completed" : "open";
	if (o->paid_at == 0)
		pay = o->failed ? "failed" : "unpaid";
	else if (o->refunded == 0)
		pay = "paid";
	else
		pay = o->refunded >= o->paid ? "refunded" : "partially_refunded";
	if (o->deliver_at != 0)
		ful = "delivered";
	else if (o->ship_at != 0)
		ful = "shipped";
	else if (o->paid_at != 0 && strcmp(life, "open") == 0 && (o->hold || o->abn))
		ful = "on_hold";
	else if (o->paid_at != 0 && strcmp(life, "open") == 0 && o->no % 3 == 0)
		ful = "in_progress";
	else
		ful = "unfulfilled";
	/* The same derivation as actions-order.c's order_derive(). */
	if (strcmp(life, "open") != 0)
		status = life;
	else if (o->deliver_at != 0)
		status = "delivered";
	else if (o->ship_at != 0)
		status = "shipped";
	else if (o->paid_at == 0)
		status = "pending_payment";
	else
		status = "awaiting_shipment";
	for (si = 0; strcmp(order_statuses[si], status) != 0; si++)
		;
	g->status_n[si]++;

	snprintf(id, sizeof id, "SO%ld", o->no);
	seed_obj_head(b, id, o->nev, o->created, o->ev[o->nev - 1].at);
	seed_kv_str(b, "status", status);
	seed_kv_str(b, "payment_status", pay);
	seed_kv_str(b, "fulfillment_status", ful);
	seed_kv_str(b, "lifecycle", life);
	if (o->abn != 0) {
		LIT(b, ",\"abnormal\":{\"reason\":");
		seed_add_str(b, abn_reasons[o->abn - 1]);
		seed_kv_str(b, "note", o->abn_note);
		seed_kv_time(b, "at", o->abn_at);
		seed_kv_str(b, "by", o->abn_by);
		buf_addc(b, '}');
	} else
		LIT(b, ",\"abnormal\":null");
	seed_kv_str(b, "customer_id", o->c.id);
	seed_kv_str(b, "customer_name", o->c.name);
	seed_kv_str(b, "channel", channels[o->channel]);
	seed_kv_str(b, "currency", "CNY");
	seed_kv_int(b, "subtotal", o->subtotal);
	seed_kv_int(b, "discount", o->discount);
	seed_kv_int(b, "shipping_fee", o->shipfee);
	seed_kv_int(b, "total", o->total);
	seed_kv_int(b, "paid_amount", o->paid);
	seed_kv_int(b, "refunded_amount", o->refunded);
	LIT(b, ",\"items\":[");
	for (i = 0; i < o->n; i++) {
		LIT(b, "{\"sku_id\":");
		seed_add_str(b, g->skus[o->sku[i]].id);
		seed_kv_str(b, "title", g->skus[o->sku[i]].full);
		seed_kv_int(b, "quantity", o->qty[i]);
		seed_kv_int(b, "unit_price", g->skus[o->sku[i]].price);
		buf_adds(b, i == o->n - 1 ? "}]" : "},");
	}
	LIT(b, ",\"address\":{\"name\":");
	seed_add_str(b, o->c.name);
	seed_kv_str(b, "phone", o->c.phone);
	seed_kv_str(b, "province", o->c.province);
	seed_kv_str(b, "city", o->c.city);
	seed_kv_str(b, "district", o->c.district);
	seed_kv_str(b, "line", o->c.line);
	if (o->paid_at != 0) {
		LIT(b, "},\"payment\":{\"method\":");
		seed_add_str(b, methods[o->method]);
		seed_kv_time(b, "paid_at", o->paid_at);
		seed_kv_str(b, "transaction_id", o->txn);
		buf_addc(b, '}');
	} else
		LIT(b, "},\"payment\":null");
	if (o->ship_at != 0) {
		LIT(b, ",\"shipment\":{\"carrier\":");
		seed_add_str(b, carriers[o->carrier].code);
		seed_kv_str(b, "tracking_no", o->tracking);
		seed_kv_time(b, "shipped_at", o->ship_at);
		/*
		 * The carrier scans a parcel about two hours after it left;
		 * one shipped since is not picked up yet, and can still have
		 * its waybill corrected.
		 */
		pickup = o->ship_at + PICKUP_LAG;
		if (o->deliver_at != 0 && pickup > o->deliver_at)
			pickup = o->deliver_at;
		seed_kv_time(b, "picked_up_at", pickup <= g->now ? pickup : 0);
		seed_kv_time(b, "delivered_at", o->deliver_at);
		buf_addc(b, '}');
	} else
		LIT(b, ",\"shipment\":null");
	seed_kv_str(b, "promotion_id", o->promo >= 0 ? g->promos[o->promo].id : NULL);
	seed_kv_str(b, "note", o->note);
	LIT(b, ",\"timeline\":[");
	for (i = 0; i < o->nev; i++) {
		LIT(b, "{\"at\":");
		seed_add_time(b, o->ev[i].at);
		seed_kv_str(b, "event", o->ev[i].event);
		seed_kv_str(b, "by", o->ev[i].by);
		seed_kv_str(b, "detail", o->ev[i].detail);
		buf_adds(b, i == o->nev - 1 ? "}]}" : "},");
	}
	put(g, KIND_ORDER, id, o->nev);

	/* What the customer, SKU, promotion and live activity learn from it. */
	g->cs[o->cust].orders++;
	g->cs[o->cust].spent += o->paid - o->refunded;
	g->cs[o->cust].last_order = (int)(o->no - 10000000);
	if (g->cs[o->cust].first == 0)
		g->cs[o->cust].first = o->created;
	g->cs[o->cust].last = o->ev[o->nev - 1].at;
	for (i = 0; i < o->n; i++) {
		g->skus[o->sku[i]].lines++;
		if (si <= 1)
			g->skus[o->sku[i]].reserved += o->qty[i];
	}
	if (o->promo >= 0 && o->paid_at != 0) {
		g->promos[o->promo].orders++;
		g->promos[o->promo].discount += o->discount;
	}
	if (si == 0)
		seed_live_note(LIVE_PENDING, id);
	else if (si == 3)
		seed_live_note(LIVE_DELIVERED, id);
}

static void
order_make(struct gen *g, struct order *o, long idx, time_t t)
{
	uint64_t *r = &g->r;
	char d[32];
	int k;

	memset(o, 0, offsetof(struct order, ev));
	o->nev = 0;
	o->no = 10000001 + idx;
	o->created = t;
	o->cust = seed_chance(r, 40) ? (long)seed_rnd(r, (uint64_t)(g->ncust / 5 + 1)) :
	    (long)seed_rnd(r, (uint64_t)g->ncust);
	seed_cust_make(g->o->seed, o->cust, g->now, &o->c);
	o->promo = seed_chance(r, 30) ? order_pick_promo(g, t) : -1;
	order_items(g, o);
	for (k = 0; k < o->n; k++)
		o->subtotal += (long long)g->skus[o->sku[k]].price * o->qty[k];
	if (o->promo >= 0 && (o->discount = order_discount(g, o)) == 0)
		o->promo = -1;
	if (o->subtotal - o->discount >= 9900)
		o->shipfee = 0;
	else
		o->shipfee = strcmp(o->c.province, "新疆维吾尔自治区") == 0 ||
		    strcmp(o->c.province, "海南省") == 0 ? 1500 : 800;
	o->total = o->subtotal - o->discount + o->shipfee;
	o->channel = seed_pick_w(r, channel_w, (int)SEED_NELEM(channel_w));
	o->method = seed_pick_w(r, method_w, (int)SEED_NELEM(method_w));
	o->note = seed_chance(r, 10) ? PICK(r, seed_order_notes) : "";
	seed_digits(r, d, 24);
	switch (o->method) {
	case 0:
		snprintf(o->txn, sizeof o->txn, "2088%s", d);
		break;
	case 1:
		snprintf(o->txn, sizeof o->txn, "4200%s", d);
		break;
	case 2:
		snprintf(o->txn, sizeof o->txn, "CUP%.20s", d);
		break;
	default:
		snprintf(o->txn, sizeof o->txn, "COD%ld", o->no);
		break;
	}
	order_life(g, o, g->norders - 1 - idx);
}

static int
cmp_time(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Orders over the last 90 days: each day's share grows towards today, with a
 * weekly rhythm and a sale day; within a day the local hour follows hour_w.
 * The newest few fall within the last two hours, so some still await payment.
 */
static void
seed_orders(struct gen *g)
{
	double w[HISTORY_DAYS], sum = 0, acc = 0, x;
	long day, cnt, prev = 0, upto, i, idx = 0, wd;
	time_t *tm = NULL, lo, t;
	struct order *o;

	o = xmalloc(sizeof *o);
	for (day = 0; day < HISTORY_DAYS; day++) {
		x = 1.0 - (double)day / HISTORY_DAYS;
		w[day] = 1.0 + 3.0 * x * x;
		wd = ((g->now - (day + 1) * DAY + TZ_OFFSET) / DAY + 3) % 7;
		w[day] *= wd >= 5 ? 1.25 : wd == 4 ? 1.1 : 1.0;
		if (day == 20)
			w[day] *= 2.2;
		sum += w[day];
	}
	for (day = HISTORY_DAYS - 1; day >= 0; day--) {
		acc += w[day];
		upto = (long)((double)g->norders * acc / sum + 0.5);
		cnt = upto - prev;
		prev = upto;
		if (cnt <= 0)
			continue;
		tm = xrealloc(tm, (size_t)cnt * sizeof *tm);
		lo = g->now - (day + 1) * DAY;
		for (i = 0; i < cnt; i++) {
			do
				t = lo + (time_t)seed_rnd(&g->r, DAY);
			while ((int)seed_rnd(&g->r, 14) >=
			    hour_w[(t + TZ_OFFSET) % DAY / HOUR]);
			tm[i] = t;
		}
		qsort(tm, (size_t)cnt, sizeof *tm, cmp_time);
		for (i = cnt - 3 > 0 ? cnt - 3 : 0; day == 0 && i < cnt; i++)
			if (tm[i] < g->now - 2 * HOUR)
				tm[i] = g->now - 2 * HOUR + (time_t)seed_rnd(&g->r, HOUR);
		qsort(tm, (size_t)cnt, sizeof *tm, cmp_time);
		for (i = 0; i < cnt; i++, idx++) {
			order_make(g, o, idx, tm[i]);
			order_put(g, o);
			if ((idx + 1) % 100000 == 0)
				progress(g, "orders", idx + 1, g->norders);
		}
	}
	free(tm);
	free(o);
}

/* --- the whole data set ------------------------------------------------------- */

static long
clamp(long v, long lo, long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The counters of the data set, printed at the end. */
static void
seed_report(struct gen *g)
{
	size_t i;

	if (g->o->quiet)
		return;
	fprintf(stderr, "seed: %ld rows in %.1f s; orders:", g->rows,
	    (double)(time_mono_us() - g->t0) / 1e6);
	for (i = 0; i < SEED_NELEM(order_statuses); i++)
		fprintf(stderr, " %s %ld", order_statuses[i], g->status_n[i]);
	fprintf(stderr, "; %ld tickets, %ld customers, %ld conversations\n",
	    g->ntp, g->ncust, g->nconv);
}

int
seed_store(struct store *st, const struct seed_opts *o, char **cause)
{
	struct seed_ctx ctx;
	struct gen *g;
	long i, t;
	int v, j;

	if (o->orders < 0 || o->orders > 100000000) {
		*cause = xasprintf("cannot seed %ld orders (0 to 100000000)", o->orders);
		return -1;
	}
	if (store_head(st) != 0) {
		*cause = xstrdup("the store is not empty");
		return -1;
	}
	g = xcalloc(1, sizeof *g);
	g->st = st;
	g->o = o;
	g->r = o->seed ^ 0x6a09e667f3bcc909ULL;
	g->now = o->now != 0 ? o->now : time(NULL);
	g->norders = o->orders;
	g->ncust = clamp(o->orders / 5, 50, 200000);
	g->nconv = clamp(o->orders / 50, 120, 2000);
	t = clamp(o->orders / 25, 30, 40000);
	g->tmax = clamp(t + t / 10, 30, 40000);
	if (o->orders > 0) {
		g->ptick_pre = clamp((long)(0.2 * t / (0.9 * o->orders) * 1e6), 0, 900000);
		g->ptick_post = clamp((long)(0.8 * t / (0.75 * o->orders) * 1e6), 0, 900000);
	}
	for (i = 0; i < TK__COUNT; i++)
		for (v = 0; v < 2; v++)
			for (j = 0; j < 6 && tpaths[i][v][j].action != NULL; j++)
				if (!g->tcov[i][tpaths[i][v][j].state]) {
					g->tcov[i][tpaths[i][v][j].state] = 1;
					g->uncovered++;
				}
	memset(g->tcov, 0, sizeof g->tcov);
	g->cs = xcalloc((size_t)g->ncust, sizeof *g->cs);
	buf_init(&g->b);
	g->t0 = time_mono_us();

	memset(&ctx, 0, sizeof ctx);
	ctx.st = st;
	ctx.b = &g->b;
	ctx.r = &g->r;
	ctx.seed = o->seed;
	ctx.now = g->now;
	ctx.nconv = g->nconv;
	ctx.ncust = g->ncust;
	ctx.cs = g->cs;
	ctx.put = seed_put_cb;
	ctx.arg = g;
	for (i = 0; i < (long)SEED_NELEM(seed_users); i++)
		snprintf(g->users[i], sizeof g->users[i], "U%ld", i + 1);

	store_lock(st);
	store_begin(st);
	seed_staff(&ctx);
	catalog_plan(g);
	promo_plan(g);
	seed_orders(g);
	seed_customers(&ctx);
	progress(g, "customers", g->ncust, g->ncust);
	catalog_put(g);
	promo_put(g);
	seed_tickets(&ctx, g->tp, g->ntp);
	progress(g, "tickets", g->ntp, g->ntp);
	seed_chats(&ctx);
	store_commit(st);
	store_unlock(st);

	seed_live_setup(o->seed, g->ncust);
	seed_report(g);
	buf_done(&g->b);
	free(g->tp);
	free(g->cs);
	free(g->skus);
	free(g);
	return 0;
}
