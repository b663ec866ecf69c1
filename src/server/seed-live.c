/*
 * seed-live.c -- the seed's people, and the live activity.
 *
 * The writers for the people side of the seeded shop: staff (users with
 * their tokens, canned replies), customers (derived from the seed and an
 * index, so an order can name one without storing it), their after-sales
 * tickets as seed.c planned them, and conversations with messages in every
 * state: a queue of customers waiting right now (some for over half an
 * hour), open, pending and snoozed chats, resolved ones with tags and
 * ratings. A few messages carry hostile text (escape sequences, a bidi
 * override, a very long line) that a terminal must neutralise: the store
 * keeps it as data. The small RNG and JSON writers both files use live here.
 *
 * seed_live_step() is one simulated customer event through store_put(), so
 * it gets a sequence number and shows in the change feed. The ids it starts
 * from (orders awaiting payment, recent deliveries, open chats) are kept in
 * small rings, filled by the seed and by the live steps themselves, so a step
 * never scans a table. The rings are only touched with the store locked.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "model.h"
#include "server/seed.h"
#include "server/seed-data.h"
#include "server/store.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/sign.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define MINUTE		60
#define HOUR		3600
#define DAY		86400
#define MAX_MSGS	12
#define PREVIEW_CHARS	60
#define RING		64

#define LIT(b, s)	buf_add((b), "" s, sizeof (s) - 1)
#define PICK(r, a)	((a)[seed_rnd((r), SEED_NELEM(a))])

enum { CV_NEW, CV_OPEN, CV_PENDING, CV_SNOOZED, CV_RESOLVED };
static const char *const cv_status[] = {
	"new", "open", "pending", "snoozed", "resolved"
};
static const char *const cv_channels[] = { "web", "app", "wechat", "email", "phone" };
static const int cv_channel_w[] = { 30, 30, 25, 8, 7 };

/* One planned message: author 'c', 'a' or 'b' and its text (template). */
struct pmsg {
	char		 author;
	const char	*text;
	time_t		 at;
};

struct cplan {
	long		 cust;
	int		 status, dlg, queue, agent, channel, waiting, nmsg;
	time_t		 wait_from, done_at;
	struct pmsg	 m[MAX_MSGS];
};

/* The live activity's memory of ids to act on. */
static struct {
	char		 ids[LIVE__COUNT][RING][24];
	int		 n[LIVE__COUNT];	/* filled slots */
	int		 next[LIVE__COUNT];	/* next slot to write */
	uint64_t	 seed;
	long		 ncust, nsku;
} live;

/* --- shared helpers: RNG and JSON writers ---------------------------------- */

uint64_t
seed_rand(uint64_t *s)
{
	uint64_t z;

	z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t
seed_rnd(uint64_t *s, uint64_t n)
{
	return seed_rand(s) % n;
}

long long
seed_range(uint64_t *s, long long lo, long long hi)
{
	if (hi <= lo)
		return lo;
	return lo + (long long)seed_rnd(s, (uint64_t)(hi - lo + 1));
}

/* True with probability pct percent. */
int
seed_chance(uint64_t *r, int pct)
{
	return (int)seed_rnd(r, 100) < pct;
}

/* Index chosen by integer weights. */
int
seed_pick_w(uint64_t *r, const int *w, int n)
{
	int i, sum = 0, x;

	for (i = 0; i < n; i++)
		sum += w[i];
	x = (int)seed_rnd(r, (uint64_t)sum);
	for (i = 0; i < n - 1; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* Index in [0, n) skewed to the front (the smaller of two draws). */
long
seed_skewed(uint64_t *r, long n)
{
	long a = (long)seed_rnd(r, (uint64_t)n), b = (long)seed_rnd(r, (uint64_t)n);

	return a < b ? a : b;
}

void
seed_add_int(struct buf *b, long long v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* Two digits at p. */
static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* RFC 3339 without strftime: civil_from_days (H. Hinnant) for speed. */
void
seed_add_time(struct buf *b, time_t t)
{
	long long z, era, doe, yoe, y, doy, mp, d, m, secs;
	char s[22];

	z = (long long)t / DAY;
	secs = (long long)t % DAY;
	if (secs < 0) {
		secs += DAY;
		z--;
	}
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	memcpy(s, "\"0000-00-00T00:00:00Z\"", 22);
	put2(s + 1, (int)(y / 100 % 100));
	put2(s + 3, (int)(y % 100));
	put2(s + 6, (int)m);
	put2(s + 9, (int)d);
	put2(s + 12, (int)(secs / HOUR));
	put2(s + 15, (int)(secs / MINUTE % 60));
	put2(s + 18, (int)(secs % 60));
	buf_add(b, s, sizeof s);
}

void
seed_add_str(struct buf *b, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == '"' || *p == '\\') {
			buf_add_json_string(b, s);
			return;
		}
	}
	buf_addc(b, '"');
	buf_add(b, s, (size_t)((const char *)p - s));
	buf_addc(b, '"');
}

void
seed_kv_str(struct buf *b, const char *key, const char *v)
{
	buf_addc(b, ',');
	seed_add_str(b, key);
	buf_addc(b, ':');
	if (v == NULL)
		LIT(b, "null");
	else
		seed_add_str(b, v);
}

void
seed_kv_int(struct buf *b, const char *key, long long v)
{
	buf_addc(b, ',');
	seed_add_str(b, key);
	buf_addc(b, ':');
	seed_add_int(b, v);
}

void
seed_kv_time(struct buf *b, const char *key, time_t t)
{
	buf_addc(b, ',');
	seed_add_str(b, key);
	buf_addc(b, ':');
	if (t == 0)
		LIT(b, "null");
	else
		seed_add_time(b, t);
}

void
seed_obj_head(struct buf *b, const char *id, long long version, time_t created,
    time_t updated)
{
	buf_reset(b);
	LIT(b, "{\"id\":");
	seed_add_str(b, id);
	seed_kv_int(b, "version", version);
	seed_kv_time(b, "created_at", created);
	seed_kv_time(b, "updated_at", updated > created ? updated : created);
}

void
seed_digits(uint64_t *r, char *out, int n)
{
	int i;

	for (i = 0; i < n; i++)
		out[i] = (char)('0' + seed_rnd(r, 10));
	out[n] = '\0';
}

void
seed_tracking_no(uint64_t *r, const char *carrier, char *out)
{
	char d[16];

	if (strcmp(carrier, "SF") == 0 || strcmp(carrier, "JD") == 0) {
		seed_digits(r, d, 13);
		snprintf(out, 32, "%s%s", carrier, d);
	} else if (strcmp(carrier, "YTO") == 0) {
		seed_digits(r, d, 13);
		snprintf(out, 32, "YT%s", d);
	} else if (strcmp(carrier, "ZTO") == 0) {
		seed_digits(r, d, 12);
		snprintf(out, 32, "75%s", d);
	} else if (strcmp(carrier, "YUNDA") == 0) {
		seed_digits(r, d, 11);
		snprintf(out, 32, "43%s", d);
	} else {
		seed_digits(r, d, 12);
		snprintf(out, 32, "1%s", d);
	}
}

void
seed_preview(const char *s, size_t n, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used = 0, len;

	while (*p != '\0' && n > 0) {
		len = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		if (used + len + 1 > outlen)
			break;
		memcpy(out + used, p, len);
		used += len;
		p += len;
		n--;
	}
	out[used] = '\0';
}

void
seed_cust_make(uint64_t seed, long i, time_t now, struct seed_cust *c)
{
	uint64_t r = seed ^ ((uint64_t)(i + 1) * 0xd1b54a32d192ed03ULL);
	const char *fam, *giv, *dom;
	char d[12], local[48];
	long s, g, geo;
	int x;

	seed_rand(&r);
	snprintf(c->id, sizeof c->id, "C%ld", 100001 + i);
	dom = PICK(&r, seed_email_domains);
	if (seed_chance(&r, 15)) {
		giv = PICK(&r, seed_en_given);
		fam = PICK(&r, seed_en_family);
		snprintf(c->name, sizeof c->name, "%s %s", giv, fam);
		snprintf(local, sizeof local, "%s.%s%d", giv, fam, (int)seed_rnd(&r, 100));
		for (x = 0; local[x] != '\0'; x++)
			if (local[x] >= 'A' && local[x] <= 'Z')
				local[x] = (char)(local[x] - 'A' + 'a');
	} else {
		s = seed_skewed(&r, (long)SEED_NELEM(seed_surnames));
		g = (long)seed_rnd(&r, SEED_NELEM(seed_given));
		snprintf(c->name, sizeof c->name, "%s%s", seed_surnames[s].zh,
		    seed_given[g].zh);
		if (seed_chance(&r, 25)) {
			seed_digits(&r, d, 9);
			snprintf(local, sizeof local, "%c%s", '1' + (int)seed_rnd(&r, 9), d);
		} else
			snprintf(local, sizeof local, "%s%s%d", seed_surnames[s].py,
			    seed_given[g].py, (int)seed_rnd(&r, 1000));
	}
	snprintf(c->email, sizeof c->email, "%s@%s", local, dom);
	seed_digits(&r, d, 8);
	snprintf(c->phone, sizeof c->phone, "%s%s", PICK(&r, seed_phone_prefix), d);
	x = (int)seed_rnd(&r, 100);
	c->level = x < 70 ? "normal" : x < 92 ? "gold" : "diamond";
	geo = seed_skewed(&r, (long)SEED_NELEM(seed_geo));
	c->province = seed_geo[geo].province;
	c->city = seed_geo[geo].city;
	c->district = seed_geo[geo].district[seed_rnd(&r, 4)];
	if (seed_chance(&r, 50))
		snprintf(c->line, sizeof c->line, "%s%d号%s%d栋%d单元%d%02d室",
		    PICK(&r, seed_streets), (int)seed_range(&r, 1, 999),
		    PICK(&r, seed_estates), (int)seed_range(&r, 1, 30),
		    (int)seed_range(&r, 1, 4), (int)seed_range(&r, 1, 33),
		    (int)seed_range(&r, 1, 4));
	else
		snprintf(c->line, sizeof c->line, "%s%d号%d单元%d%02d",
		    PICK(&r, seed_streets), (int)seed_range(&r, 1, 999),
		    (int)seed_range(&r, 1, 6), (int)seed_range(&r, 1, 25),
		    (int)seed_range(&r, 1, 4));
	c->signup = now - (time_t)seed_range(&r, 10 * DAY, 700 * DAY);
}

/* --- staff and customers ------------------------------------------------------ */

static void
seed_users_put(struct seed_ctx *g)
{
	struct store_user u;
	const char *q, *e;
	size_t i;
	time_t created = g->now - 200 * DAY;

	for (i = 0; i < SEED_NELEM(seed_users); i++) {
		memset(&u, 0, sizeof u);
		snprintf(u.id, sizeof u.id, "U%zu", i + 1);
		snprintf(u.login, sizeof u.login, "%s", seed_users[i].login);
		snprintf(u.name, sizeof u.name, "%s", seed_users[i].name);
		u.role = seed_users[i].role;
		memcpy(u.token, "sd_", 3);
		sign_random_token(u.token + 3, 40);
		store_add_user(g->st, &u);

		seed_obj_head(g->b, u.id, 1, created + (time_t)i * HOUR, created + (time_t)i * HOUR);
		seed_kv_str(g->b, "login", u.login);
		seed_kv_str(g->b, "name", u.name);
		seed_kv_str(g->b, "role", role_name(u.role));
		LIT(g->b, ",\"online\":");
		if (seed_users[i].online)
			LIT(g->b, "true");
		else
			LIT(g->b, "false");
		LIT(g->b, ",\"queues\":[");
		for (q = seed_users[i].queues; q != NULL && *q != '\0'; q = e) {
			if (q != seed_users[i].queues)
				buf_addc(g->b, ',');
			e = q + strcspn(q, "|");
			buf_addc(g->b, '"');
			buf_add(g->b, q, (size_t)(e - q));
			buf_addc(g->b, '"');
			if (*e == '|')
				e++;
		}
		LIT(g->b, "]}");
		g->put(g->arg, KIND_USER, u.id, 1);
	}
}

static void
seed_canned_put(struct seed_ctx *g)
{
	char id[24];
	size_t i;
	time_t t;

	for (i = 0; i < SEED_NELEM(seed_canned); i++) {
		snprintf(id, sizeof id, "CR%zu", 101 + i);
		t = g->now - 150 * DAY + (time_t)seed_rnd(g->r, 100 * DAY);
		seed_obj_head(g->b, id, 1, t, t);
		seed_kv_str(g->b, "shortcut", seed_canned[i].shortcut);
		seed_kv_str(g->b, "title", seed_canned[i].title);
		seed_kv_str(g->b, "lang", seed_canned[i].lang);
		seed_kv_str(g->b, "body", seed_canned[i].body);
		buf_addc(g->b, '}');
		g->put(g->arg, KIND_CANNED_REPLY, id, 1);
	}
}

void
seed_customers(struct seed_ctx *g)
{
	const struct seed_custstat *cs;
	struct seed_cust c;
	time_t created;
	long i;

	for (i = 0; i < g->ncust; i++) {
		cs = &g->cs[i];
		seed_cust_make(g->seed, i, g->now, &c);
		created = c.signup;
		if (cs->first != 0 && created > cs->first - HOUR)
			created = cs->first - (time_t)seed_range(g->r, HOUR, 30 * DAY);
		seed_obj_head(g->b, c.id, 1 + cs->orders, created, cs->last);
		seed_kv_str(g->b, "name", c.name);
		seed_kv_str(g->b, "phone", c.phone);
		seed_kv_str(g->b, "email", c.email);
		seed_kv_str(g->b, "level", c.level);
		seed_kv_str(g->b, "city", c.city);
		seed_kv_int(g->b, "orders_count", cs->orders);
		seed_kv_int(g->b, "total_spent", cs->spent);
		seed_kv_str(g->b, "currency", "CNY");
		buf_addc(g->b, '}');
		g->put(g->arg, KIND_CUSTOMER, c.id, 1 + cs->orders);
	}
}

void
seed_staff(struct seed_ctx *c)
{
	seed_users_put(c);
	seed_canned_put(c);
}

/* --- after-sales tickets -------------------------------------------------------- */

static const char *const *const treasons[TK__COUNT] = {
	seed_reasons_refund, seed_reasons_return, seed_reasons_exchange,
	seed_reasons_repair, seed_reasons_reship, seed_reasons_complaint,
	seed_reasons_logistics
};
static const size_t ntreasons[TK__COUNT] = {
	SEED_NELEM(seed_reasons_refund), SEED_NELEM(seed_reasons_return),
	SEED_NELEM(seed_reasons_exchange), SEED_NELEM(seed_reasons_repair),
	SEED_NELEM(seed_reasons_reship), SEED_NELEM(seed_reasons_complaint),
	SEED_NELEM(seed_reasons_logistics)
};

struct hist {
	time_t		 at;
	const char	*by, *action;
	char		 note[64];
};

/* sla.state as actions-ticket.c computes it, at the ticket's last change. */
static const char *
ticket_sla(const struct seed_tplan *t, time_t fa_at, time_t fa_due, time_t rs_due,
    time_t done_at, time_t now)
{
	long long window;
	time_t at = done_at != 0 ? done_at : now, deadline;

	if ((fa_at != 0 && fa_at > fa_due) || (fa_at == 0 && at > fa_due) ||
	    at > rs_due)
		return "breached";
	if (done_at != 0)
		return "met";
	if (fa_at == 0) {
		deadline = fa_due;
		window = tsla[t->kind].first * 3600LL;
	} else {
		deadline = rs_due;
		window = (tsla[t->kind].approved > 0 && t->reached > 0 ?
		    tsla[t->kind].approved : tsla[t->kind].resolve) * 3600LL;
	}
	return (long long)(deadline - now) * 4 < window ? "warning" : "active";
}

static void
ticket_put(struct seed_ctx *g, const struct seed_tplan *t, long idx)
{
	const struct tstep *path = tpaths[t->kind][t->variant];
	const char *p;
	struct buf *b = g->b;
	struct seed_cust c;
	struct hist h[10], x;
	char id[24], desc[256], trk[32], agent[8];
	time_t fa_at, fa_due, rs_due, done_at = 0;
	int i, j, n = 0, st;

	snprintf(id, sizeof id, "AS%ld", 1000001 + idx);
	snprintf(agent, sizeof agent, "U%d", SEED_AGENT_FIRST + t->agent);
	seed_cust_make(g->seed, t->cust, g->now, &c);
	memset(h, 0, sizeof h);
	h[n].at = t->at[0];
	h[n].by = c.id;
	h[n].action = "create";
	snprintf(h[n++].note, sizeof h[0].note, "%s",
	    treasons[t->kind][seed_rnd(g->r, ntreasons[t->kind])]);
	if (t->assign_at != 0) {
		h[n].at = t->assign_at;
		h[n].by = agent;
		h[n].action = "assign";
		snprintf(h[n++].note, sizeof h[0].note, "%s", agent);
	}
	if (t->esc_at != 0) {
		h[n].at = t->esc_at;
		h[n].by = agent;
		h[n].action = "escalate";
		snprintf(h[n++].note, sizeof h[0].note, "%s", PICK(g->r, escalate_notes));
	}
	for (j = 1; j <= t->reached; j++) {
		st = path[j].state;
		h[n].at = t->at[j];
		h[n].action = path[j].action;
		h[n].by = path[j].who == 'w' ? (j % 2 ? "U8" : "U9") :
		    path[j].who == 'f' && t->refund > 50000 ? "U7" : agent;
		if (st == TS_APPROVED || st == TS_AWAITING_RETURN)
			p = PICK(g->r, approve_notes);
		else if (st == TS_REJECTED)
			p = PICK(g->r, reject_notes);
		else if (st == TS_PROPOSED)
			p = PICK(g->r, propose_notes);
		else if (st == TS_RESOLVED)
			p = PICK(g->r, resolve_notes);
		else if (st == TS_RECEIVED)
			p = seed_chance(g->r, 85) ? "ok" : "damaged";
		else
			p = "";
		snprintf(h[n].note, sizeof h[0].note, "%s", p);
		if (st == TS_REFUNDED)
			snprintf(h[n].note, sizeof h[0].note, "%lld", t->refund);
		if (st == TS_EXCHANGED || st == TS_RESHIPPED) {
			seed_tracking_no(g->r, "SF", trk);
			snprintf(h[n].note, sizeof h[0].note, "SF %s", trk);
		}
		if (done_at == 0 && (st == TS_REJECTED || st == TS_REFUNDED ||
		    st == TS_EXCHANGED || st == TS_RESHIPPED || st == TS_RESOLVED))
			done_at = t->at[j];
		n++;
	}
	for (i = 1; i < n; i++) {
		x = h[i];
		for (j = i; j > 0 && h[j - 1].at > x.at; j--)
			h[j] = h[j - 1];
		h[j] = x;
	}

	fa_at = t->reached > 0 ? t->at[1] : 0;
	if (t->assign_at != 0 && (fa_at == 0 || t->assign_at < fa_at))
		fa_at = t->assign_at;
	fa_due = t->at[0] + (time_t)tsla[t->kind].first * HOUR;
	rs_due = t->at[0] + (time_t)tsla[t->kind].resolve * HOUR;
	if (tsla[t->kind].approved > 0 && t->variant == 0 && t->reached > 0)
		rs_due = t->at[1] + (time_t)tsla[t->kind].approved * HOUR;

	/* The description mentions the item: replace "{item}". */
	p = PICK(g->r, seed_descriptions);
	if ((i = (int)(strstr(p, "{item}") != NULL ? strstr(p, "{item}") - p : -1)) >= 0)
		snprintf(desc, sizeof desc, "%.*s%s%s", i, p,
		    seed_products[t->prod].title, p + i + 6);
	else
		snprintf(desc, sizeof desc, "%s", p);

	seed_obj_head(b, id, n, t->at[0], h[n - 1].at);
	snprintf(trk, sizeof trk, "SO%ld", t->order_no);
	seed_kv_str(b, "order_id", trk);
	seed_kv_str(b, "customer_id", c.id);
	seed_kv_str(b, "customer_name", c.name);
	seed_kv_str(b, "kind", tkind_names[t->kind]);
	seed_kv_str(b, "status", tstate_names[path[t->reached].state]);
	seed_kv_str(b, "priority", t->esc ? "urgent" : t->prio ? "high" : "normal");
	buf_adds(b, t->esc ? ",\"escalated\":true" : ",\"escalated\":false");
	seed_kv_str(b, "assignee", t->reached > 0 || t->assign_at != 0 ? agent : NULL);
	seed_kv_str(b, "reason", h[0].note);
	seed_kv_str(b, "description", desc);
	LIT(b, ",\"evidence\":[");
	for (i = 0, j = t->kind <= TK_RESHIP ? (int)seed_rnd(g->r, 4) : 0; i < j; i++) {
		buf_addf(b, "%s\"https://img.example.com/as/%s/%d.jpg\"",
		    i == 0 ? "" : ",", id, i + 1);
	}
	buf_addc(b, ']');
	seed_kv_str(b, "currency", "CNY");
	seed_kv_int(b, "requested_amount", t->requested);
	seed_kv_int(b, "refund_amount", t->refund);
	LIT(b, ",\"sla\":{\"first_action_due\":");
	seed_add_time(b, fa_due);
	seed_kv_time(b, "resolve_due", rs_due);
	seed_kv_time(b, "first_action_at", fa_at);
	/* An approved return's pickup (actions-ticket.c: approve, receive). */
	if (t->reached > 0 && path[1].state == TS_AWAITING_RETURN &&
	    tsla[t->kind].approved > 0) {
		seed_kv_time(b, "pickup_due", t->at[1] + (time_t)tsla[t->kind].approved * HOUR);
		seed_kv_time(b, "pickup_at", t->reached > 1 ? t->at[2] : 0);
	}
	seed_kv_str(b, "state", ticket_sla(t, fa_at, fa_due, rs_due, done_at, g->now));
	LIT(b, "},\"history\":[");
	for (i = 0; i < n; i++) {
		LIT(b, "{\"at\":");
		seed_add_time(b, h[i].at);
		seed_kv_str(b, "by", h[i].by);
		seed_kv_str(b, "action", h[i].action);
		seed_kv_str(b, "note", h[i].note);
		buf_adds(b, i == n - 1 ? "}]}" : "},");
	}
	g->put(g->arg, KIND_TICKET, id, n);
}

void
seed_tickets(struct seed_ctx *c, const struct seed_tplan *t, long n)
{
	long i;

	for (i = 0; i < n; i++)
		ticket_put(c, &t[i], i);
}

/* --- seeded conversations ----------------------------------------------------- */

/* Expand {order_id} {customer_name} {agent_name} {tracking_no} into out. */
static void
expand(const char *tpl, const char *const vars[4], char *out, size_t len)
{
	static const char *const names[4] = {
		"{order_id}", "{customer_name}", "{agent_name}", "{tracking_no}"
	};
	size_t used = 0, n;
	int i;

	while (*tpl != '\0' && used + 1 < len) {
		for (i = 0; i < 4; i++) {
			n = strlen(names[i]);
			if (strncmp(tpl, names[i], n) == 0)
				break;
		}
		if (i < 4) {
			used += (size_t)snprintf(out + used, len - used, "%s", vars[i]);
			if (used >= len)
				used = len - 1;
			tpl += n;
		} else
			out[used++] = *tpl++;
	}
	out[used] = '\0';
}

static int
dlg_len(int d)
{
	int n = 0;

	while (n < MAX_MSGS && seed_dialogues[d].lines[n] != NULL)
		n++;
	return n;
}

/*
 * A random line of dialogue d by author (past the first answer), the
 * earliest such when first is set.
 */
static int
dlg_end(uint64_t *r, int d, char author, int first)
{
	int cand[MAX_MSGS], n = 0, i, len = dlg_len(d);

	for (i = 2; i < len; i++)
		if (seed_dialogues[d].lines[i][0] == author)
			cand[n++] = i;
	if (author == 'a' && seed_dialogues[d].lines[1][0] == 'a')
		cand[n++] = 1;
	if (n == 0)
		return 1;
	return first ? cand[0] : cand[seed_rnd(r, (uint64_t)n)];
}

/* Add a message to the plan, keeping room (MAX_MSGS). */
static void
cv_add(struct cplan *p, char author, const char *text)
{
	if (p->nmsg < MAX_MSGS) {
		p->m[p->nmsg].author = author;
		p->m[p->nmsg++].text = text;
	}
}

/*
 * Choose the messages of a conversation in state p->status from its
 * dialogue: a new one has only the customer and the bot; an open one may
 * end with the customer waiting; pending and snoozed ones end with the agent.
 */
static void
cv_messages(uint64_t *r, struct cplan *p, int *hostile)
{
	const struct seed_dialogue *d = &seed_dialogues[p->dlg];
	int len = dlg_len(p->dlg), end, i;

	switch (p->status) {
	case CV_NEW:
		cv_add(p, 'c', d->lines[0] + 1);
		cv_add(p, 'b', PICK(r, seed_bot_lines));
		if (*hostile < 2)
			cv_add(p, 'c', seed_hostile[(*hostile)++]);
		else if (seed_rnd(r, 2))
			cv_add(p, 'c', PICK(r, seed_customer_lines));
		p->waiting = 1;
		return;
	case CV_OPEN:
		/* Waiting: end on a customer line after an answer; else on the agent. */
		end = dlg_end(r, p->dlg, p->waiting ? 'c' : 'a',
		    p->waiting && *hostile == 2);
		break;
	case CV_PENDING:
	case CV_SNOOZED:
		end = dlg_end(r, p->dlg, 'a', 0);
		break;
	default:
		end = len - 1;
		break;
	}
	for (i = 0; i <= end; i++) {
		cv_add(p, d->lines[i][0], d->lines[i] + 1);
		if (i == 0 && end < MAX_MSGS - 2 && seed_rnd(r, 3) == 0)
			cv_add(p, 'b', PICK(r, seed_bot_lines));
	}
	if (p->waiting && *hostile == 2) {
		cv_add(p, 'c', seed_hostile[2]);
		cv_add(p, 'c', NULL);	/* the very long line */
		(*hostile)++;
	}
}

/*
 * Place the messages in time: anchored on the first unanswered customer
 * message (waiting) or on the last one, spaced 20 s to 3 min apart, the
 * bot a few seconds after the customer.
 */
static void
cv_times(uint64_t *r, struct cplan *p, time_t anchor, int ai, time_t now)
{
	int i, left;
	time_t gap;

	p->m[ai].at = anchor;
	for (i = ai - 1; i >= 0; i--)
		p->m[i].at = p->m[i + 1].at - (time_t)(p->m[i + 1].author == 'b' ?
		    seed_range(r, 2, 6) : seed_range(r, 20, 180));
	for (i = ai + 1; i < p->nmsg; i++) {
		left = p->nmsg - i;
		gap = p->m[i].author == 'b' ? (time_t)seed_range(r, 2, 6) :
		    (time_t)seed_range(r, 5, 90);
		if (gap > (now - p->m[i - 1].at) / (left + 1))
			gap = (now - p->m[i - 1].at) / (left + 1);
		p->m[i].at = p->m[i - 1].at + (gap > 0 ? gap : 0);
	}
}

/* How long ago a resolved chat ended: up to 30 days, recent ones denser. */
static long long
cv_recent(uint64_t *r)
{
	long long a = seed_range(r, HOUR, 30 * DAY), b = seed_range(r, HOUR, 30 * DAY);

	return a < b ? a : b;
}

/* How long the w-th waiting customer has waited: a spread around 30 s and 30 min. */
static time_t
cv_wait(uint64_t *r, int w)
{
	if (w == 0)
		return (time_t)seed_range(r, 31 * MINUTE, 40 * MINUTE);
	if (w == 1)
		return (time_t)seed_range(r, 30 * MINUTE + 20, 36 * MINUTE);
	switch (w % 3) {
	case 0:
		return (time_t)seed_range(r, 3, 29);
	case 1:
		return (time_t)seed_range(r, 31, 5 * MINUTE);
	default:
		return (time_t)seed_range(r, 5 * MINUTE, 25 * MINUTE);
	}
}

static void
cv_plan(struct seed_ctx *c, struct cplan *p, long i, int *nwait, int *hostile)
{
	static const int agents_by_queue[3][3] = {
		{ 0, 1, 0 }, { 0, 2, 3 }, { 1, 3, 1 }	/* presales, aftersales, vip */
	};
	uint64_t *r = c->r;
	struct seed_cust cu;
	long pct = i * 100 / c->nconv;
	int k, ai = 0;
	time_t anchor;

	memset(p, 0, sizeof *p);
	p->status = pct < 12 ? CV_NEW : pct < 27 ? CV_OPEN : pct < 35 ? CV_PENDING :
	    pct < 40 ? CV_SNOOZED : CV_RESOLVED;
	p->dlg = (int)seed_rnd(r, SEED_NELEM(seed_dialogues));
	p->channel = seed_pick_w(r, cv_channel_w, (int)SEED_NELEM(cv_channel_w));
	for (k = 0; k < 8; k++) {
		p->cust = (long)seed_rnd(r, (uint64_t)c->ncust);
		if (c->cs[p->cust].orders > 0)
			break;
	}
	seed_cust_make(c->seed, p->cust, c->now, &cu);
	p->queue = strcmp(seed_dialogues[p->dlg].queue, "presales") == 0 ? 0 : 1;
	if ((strcmp(cu.level, "diamond") == 0 && seed_rnd(r, 10) < 7) ||
	    (strcmp(cu.level, "gold") == 0 && seed_rnd(r, 10) < 2))
		p->queue = 2;
	p->agent = agents_by_queue[p->queue][seed_rnd(r, 3)];
	p->waiting = p->status == CV_OPEN && seed_rnd(r, 2) == 0;
	cv_messages(r, p, hostile);

	if (p->waiting) {
		for (ai = p->nmsg - 1; ai > 0 && p->m[ai - 1].author != 'a'; ai--)
			;
		while (ai < p->nmsg - 1 && p->m[ai].author != 'c')
			ai++;
		anchor = c->now - cv_wait(r, (*nwait)++);
		p->wait_from = anchor;
	} else {
		ai = p->nmsg - 1;
		anchor = c->now - (time_t)(p->status == CV_OPEN ?
		    seed_range(r, MINUTE, 20 * MINUTE) : p->status == CV_PENDING ?
		    seed_range(r, 10 * MINUTE, 5 * HOUR) : p->status == CV_SNOOZED ?
		    seed_range(r, 30 * MINUTE, DAY) : cv_recent(r));
	}
	cv_times(r, p, anchor, ai, c->now);
	if (p->status == CV_RESOLVED)
		p->done_at = p->m[p->nmsg - 1].at + (time_t)seed_range(r, 5 * MINUTE, 2 * HOUR);
	else if (p->status == CV_PENDING || p->status == CV_SNOOZED)
		p->done_at = p->m[p->nmsg - 1].at + (time_t)seed_range(r, 10, 5 * MINUTE);
	if (p->done_at > c->now)
		p->done_at = c->now;
}

static int
cv_cmp(const void *a, const void *b)
{
	const struct cplan *x = a, *y = b;

	return x->m[0].at < y->m[0].at ? -1 : x->m[0].at > y->m[0].at;
}

/* A very long line without a break: 1,500 characters. */
static const char *
long_line(void)
{
	static char s[1501];
	int i;

	if (s[0] == '\0') {
		for (i = 0; i < 1500; i++)
			s[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[i % 36];
	}
	return s;
}

static void
cv_put(struct seed_ctx *c, struct cplan *p, long idx, long *msgno)
{
	static const char *const queues[] = { "presales", "aftersales", "vip" };
	static const int csat_w[] = { 5, 5, 10, 25, 55 };
	const struct seed_user *agent = &seed_users[SEED_AGENT_FIRST - 1 + p->agent];
	struct buf *b = c->b;
	struct seed_cust cu;
	const char *vars[4], *tag = NULL;
	char id[24], mid[24], aid[16], order[24], trk[32], body[1600], preview[256];
	int i, unread = 0, version, csat = 0, assigned;
	time_t upd;

	snprintf(id, sizeof id, "CV%ld", 100001 + idx);
	snprintf(aid, sizeof aid, "U%d", SEED_AGENT_FIRST + p->agent);
	seed_cust_make(c->seed, p->cust, c->now, &cu);
	order[0] = '\0';
	if (c->cs[p->cust].last_order != 0 && (p->queue != 0 || seed_rnd(c->r, 5) == 0))
		snprintf(order, sizeof order, "SO%d", 10000000 + c->cs[p->cust].last_order);
	seed_tracking_no(c->r, "SF", trk);
	vars[0] = order[0] != '\0' ? order : "SO10000001";
	vars[1] = cu.name;
	vars[2] = agent->name;
	vars[3] = trk;
	assigned = p->status != CV_NEW;

	for (i = 0; i < p->nmsg; i++) {
		snprintf(mid, sizeof mid, "MS%ld", (*msgno)++);
		if (p->m[i].text == NULL)
			snprintf(body, sizeof body, "%s", long_line());
		else
			expand(p->m[i].text, vars, body, sizeof body);
		seed_obj_head(b, mid, 1, p->m[i].at, p->m[i].at);
		seed_kv_str(b, "conversation_id", id);
		if (p->m[i].author == 'c') {
			seed_kv_str(b, "author", "customer");
			seed_kv_str(b, "author_id", cu.id);
			seed_kv_str(b, "author_name", cu.name);
			unread++;
		} else if (p->m[i].author == 'a') {
			seed_kv_str(b, "author", "agent");
			seed_kv_str(b, "author_id", aid);
			seed_kv_str(b, "author_name", agent->name);
			unread = 0;
		} else {
			seed_kv_str(b, "author", "bot");
			seed_kv_str(b, "author_id", "bot");
			seed_kv_str(b, "author_name", "智能助手");
		}
		seed_kv_str(b, "body", body);
		LIT(b, "}");
		c->put(c->arg, KIND_MESSAGE, mid, 1);
	}
	seed_preview(body, PREVIEW_CHARS, preview, sizeof preview);
	if (!p->waiting && p->status != CV_NEW)
		unread = 0;

	version = p->nmsg + assigned + (p->status >= CV_PENDING);
	if (p->status == CV_RESOLVED) {
		tag = seed_rnd(c->r, 20) == 0 ? "spam" : seed_rnd(c->r, 12) == 0 ?
		    "transferred" : seed_dialogues[p->dlg].tag;
		if (seed_rnd(c->r, 10) < 7) {
			csat = 1 + seed_pick_w(c->r, csat_w, 5);
			version++;
		}
	}
	upd = p->done_at > p->m[p->nmsg - 1].at ? p->done_at : p->m[p->nmsg - 1].at;
	seed_obj_head(b, id, version, p->m[0].at, upd);
	seed_kv_str(b, "customer_id", cu.id);
	seed_kv_str(b, "customer_name", cu.name);
	seed_kv_str(b, "customer_level", cu.level);
	seed_kv_str(b, "channel", cv_channels[p->channel]);
	seed_kv_str(b, "queue", queues[p->queue]);
	seed_kv_str(b, "status", cv_status[p->status]);
	seed_kv_str(b, "priority", p->queue == 2 ? "high" : seed_rnd(c->r, 20) == 0 ?
	    "urgent" : "normal");
	seed_kv_str(b, "assignee", assigned ? aid : NULL);
	seed_kv_time(b, "waiting_since", p->status == CV_NEW || p->waiting ?
	    p->wait_from != 0 ? p->wait_from : p->m[0].at : 0);
	seed_kv_time(b, "last_message_at", p->m[p->nmsg - 1].at);
	seed_kv_str(b, "last_message_preview", preview);
	seed_kv_int(b, "unread", unread);
	seed_kv_str(b, "tag", tag);
	if (csat != 0)
		seed_kv_int(b, "csat", csat);
	else
		LIT(b, ",\"csat\":null");
	seed_kv_time(b, "snoozed_until", p->status == CV_SNOOZED ?
	    c->now + (time_t)seed_range(c->r, HOUR, 2 * DAY) : 0);
	seed_kv_str(b, "order_id", order[0] != '\0' ? order : NULL);
	LIT(b, "}");
	c->put(c->arg, KIND_CONVERSATION, id, version);
	if (p->status != CV_RESOLVED || seed_rnd(c->r, 8) == 0)
		seed_live_note(LIVE_CONV, id);
}

void
seed_chats(struct seed_ctx *c)
{
	struct cplan *plans;
	long i, msgno = 1000001;
	int nwait = 0, hostile = 0;

	plans = xcalloc((size_t)c->nconv, sizeof *plans);
	for (i = 0; i < c->nconv; i++)
		cv_plan(c, &plans[i], i, &nwait, &hostile);
	qsort(plans, (size_t)c->nconv, sizeof *plans, cv_cmp);
	for (i = 0; i < c->nconv; i++)
		cv_put(c, &plans[i], i, &msgno);
	free(plans);
}

/* --- live activity -------------------------------------------------------------- */

void
seed_live_note(enum seed_live_list l, const char *id)
{
	snprintf(live.ids[l][live.next[l]], sizeof live.ids[l][0], "%s", id);
	live.next[l] = (live.next[l] + 1) % RING;
	if (live.n[l] < RING)
		live.n[l]++;
}

void
seed_live_setup(uint64_t seed, long ncust)
{
	live.seed = seed;
	live.ncust = ncust;
}

/* Take the newest id off a ring into out; 0 when it is empty. */
static int
live_take(enum seed_live_list l, char *out)
{
	if (live.n[l] == 0)
		return 0;
	live.next[l] = (live.next[l] + RING - 1) % RING;
	live.n[l]--;
	snprintf(out, 24, "%s", live.ids[l][live.next[l]]);
	return 1;
}

/* A random id of a ring, left in place; 0 when it is empty. */
static int
live_peek(uint64_t *r, enum seed_live_list l, char *out)
{
	int i;

	if (live.n[l] == 0)
		return 0;
	i = (live.next[l] + RING - 1 - (int)seed_rnd(r, (uint64_t)live.n[l])) % RING;
	snprintf(out, 24, "%s", live.ids[l][i]);
	return 1;
}

static long
live_count(struct store *st, enum sd_kind kind)
{
	sqlite3_stmt *q;
	long n = 0;

	if (sqlite3_prepare_v2(store_db(st), "SELECT COUNT(*) FROM objects"
	    " WHERE kind = ?", -1, &q, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(q, 1, kind);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* A random existing object of a kind numbered from base; NULL if none. */
static cJSON *
live_random(struct store *st, uint64_t *r, enum sd_kind kind, long base, long n)
{
	char id[24];

	if (n <= 0)
		return NULL;
	snprintf(id, sizeof id, "%s%ld", kind_info(kind)->prefix,
	    base + (long)seed_rnd(r, (uint64_t)n));
	return store_get(st, kind, id);
}

static void
live_log(cJSON *obj, const char *list, const char *now, const char *by,
    const char *vkey, const char *verb, const char *nkey, const char *note)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, list), *e;

	if (!cJSON_IsArray(a)) {
		a = cJSON_CreateArray();
		json_set(obj, list, a);
	}
	e = cJSON_CreateObject();
	json_set_str(e, "at", now);
	json_set_str(e, vkey, verb);
	json_set_str(e, "by", by);
	json_set_str(e, nkey, note);
	cJSON_AddItemToArray(a, e);
}

/* A customer places an order: pending payment, its stock reserved. */
static int
live_order(struct store *st, uint64_t *r, const char *now)
{
	static const char *const chans[] = { "app", "miniprogram", "wechat", "web" };
	cJSON *cust, *sku[3], *o, *items, *it, *addr;
	struct seed_cust c;
	long long sub = 0, ship;
	long idx;
	int n = 0, k, tries, qty[3];
	char id[24], title[200];
	size_t g;

	idx = (long)seed_rnd(r, (uint64_t)live.ncust);
	snprintf(id, sizeof id, "C%ld", 100001 + idx);
	if ((cust = store_get(st, KIND_CUSTOMER, id)) == NULL)
		return 0;
	for (tries = 0, k = 1 + (int)seed_rnd(r, 3); n < k && tries < 8; tries++) {
		sku[n] = live_random(st, r, KIND_SKU, 100001, live.nsku);
		if (sku[n] == NULL)
			continue;
		qty[n] = seed_rnd(r, 5) == 0 ? 2 : 1;
		if (strcmp(json_str(sku[n], "shelf") != NULL ? json_str(sku[n],
		    "shelf") : "", "on") != 0 || json_int(sku[n], "stock", 0) -
		    json_int(sku[n], "reserved", 0) < qty[n]) {
			cJSON_Delete(sku[n]);
			continue;
		}
		sub += json_int(sku[n], "price", 0) * qty[n];
		n++;
	}
	if (n == 0) {
		cJSON_Delete(cust);
		return 0;
	}
	seed_cust_make(live.seed, idx, time(NULL), &c);
	for (g = 0; g < SEED_NELEM(seed_geo); g++) {
		if (json_str(cust, "city") != NULL &&
		    strcmp(seed_geo[g].city, json_str(cust, "city")) == 0) {
			c.province = seed_geo[g].province;
			c.city = seed_geo[g].city;
			c.district = seed_geo[g].district[seed_rnd(r, 4)];
		}
	}

	o = cJSON_CreateObject();
	store_next_id(st, KIND_ORDER, id);
	json_set_str(o, "id", id);
	json_set_str(o, "created_at", now);
	json_set_str(o, "status", "pending_payment");
	json_set_str(o, "payment_status", "unpaid");
	json_set_str(o, "fulfillment_status", "unfulfilled");
	json_set_str(o, "lifecycle", "open");
	json_set_null(o, "abnormal");
	json_set_str(o, "customer_id", json_str(cust, "id"));
	json_set_str(o, "customer_name", json_str(cust, "name"));
	json_set_str(o, "channel", PICK(r, chans));
	json_set_str(o, "currency", "CNY");
	ship = sub >= 9900 ? 0 : 800;
	json_set_int(o, "subtotal", sub);
	json_set_int(o, "discount", 0);
	json_set_int(o, "shipping_fee", ship);
	json_set_int(o, "total", sub + ship);
	json_set_int(o, "paid_amount", 0);
	json_set_int(o, "refunded_amount", 0);
	items = cJSON_CreateArray();
	for (k = 0; k < n; k++) {
		it = cJSON_CreateObject();
		json_set_str(it, "sku_id", json_str(sku[k], "id"));
		snprintf(title, sizeof title, "%s %s", json_str(sku[k], "product_title"),
		    json_str(sku[k], "title"));
		json_set_str(it, "title", title);
		json_set_int(it, "quantity", qty[k]);
		json_set_int(it, "unit_price", json_int(sku[k], "price", 0));
		cJSON_AddItemToArray(items, it);
	}
	json_set(o, "items", items);
	addr = cJSON_CreateObject();
	json_set_str(addr, "name", json_str(cust, "name"));
	json_set_str(addr, "phone", json_str(cust, "phone"));
	json_set_str(addr, "province", c.province);
	json_set_str(addr, "city", c.city);
	json_set_str(addr, "district", c.district);
	json_set_str(addr, "line", c.line);
	json_set(o, "address", addr);
	json_set_null(o, "payment");
	json_set_null(o, "shipment");
	json_set_null(o, "promotion_id");
	json_set_str(o, "note", "");
	live_log(o, "timeline", now, "system", "event", "created", "detail", "");
	store_put(st, KIND_ORDER, id, o);
	seed_live_note(LIVE_PENDING, id);

	for (k = 0; k < n; k++) {
		json_set_int(sku[k], "reserved", json_int(sku[k], "reserved", 0) + qty[k]);
		store_put(st, KIND_SKU, json_str(sku[k], "id"), sku[k]);
		cJSON_Delete(sku[k]);
	}
	json_set_int(cust, "orders_count", json_int(cust, "orders_count", 0) + 1);
	store_put(st, KIND_CUSTOMER, json_str(cust, "id"), cust);
	cJSON_Delete(cust);
	cJSON_Delete(o);
	return 1;
}

/* A pending order gets paid. */
static int
live_pay(struct store *st, uint64_t *r, const char *now)
{
	static const char *const methods[] = { "alipay", "wechat_pay", "alipay", "card" };
	cJSON *o, *pay, *cust;
	const char *method = PICK(r, methods);
	char id[24], txn[48];

	while (live_take(LIVE_PENDING, id)) {
		if ((o = store_get(st, KIND_ORDER, id)) == NULL)
			continue;
		if (strcmp(json_str(o, "status") != NULL ? json_str(o, "status") : "",
		    "pending_payment") != 0 || cJSON_IsObject(
		    cJSON_GetObjectItemCaseSensitive(o, "abnormal"))) {
			cJSON_Delete(o);
			continue;
		}
		pay = cJSON_CreateObject();
		json_set_str(pay, "method", method);
		json_set_str(pay, "paid_at", now);
		snprintf(txn, sizeof txn, "4200%llu%s", (unsigned long long)
		    (seed_rand(r) % 1000000000000ULL), id + 2);
		json_set_str(pay, "transaction_id", txn);
		json_set(o, "payment", pay);
		json_set_int(o, "paid_amount", json_int(o, "total", 0));
		json_set_str(o, "payment_status", "paid");
		json_set_str(o, "status", "awaiting_shipment");
		live_log(o, "timeline", now, json_str(o, "customer_id"), "event",
		    "paid", "detail", method);
		store_put(st, KIND_ORDER, id, o);
		if ((cust = store_get(st, KIND_CUSTOMER, json_str(o, "customer_id"))) != NULL) {
			json_set_int(cust, "total_spent", json_int(cust, "total_spent", 0) +
			    json_int(o, "total", 0));
			store_put(st, KIND_CUSTOMER, json_str(cust, "id"), cust);
			cJSON_Delete(cust);
		}
		cJSON_Delete(o);
		return 1;
	}
	return 0;
}

/* Append a customer message to conversation cv and update it. */
static void
live_say(struct store *st, cJSON *cv, const char *body, const char *now)
{
	const char *status = json_str(cv, "status"), *assignee;
	char mid[24], preview[256];
	cJSON *m;

	store_next_id(st, KIND_MESSAGE, mid);
	m = cJSON_CreateObject();
	json_set_str(m, "id", mid);
	json_set_str(m, "created_at", now);
	json_set_str(m, "conversation_id", json_str(cv, "id"));
	json_set_str(m, "author", "customer");
	json_set_str(m, "author_id", json_str(cv, "customer_id"));
	json_set_str(m, "author_name", json_str(cv, "customer_name"));
	json_set_str(m, "body", body);
	store_put(st, KIND_MESSAGE, mid, m);
	cJSON_Delete(m);

	assignee = json_str(cv, "assignee");
	if (status != NULL && strcmp(status, "new") != 0 && strcmp(status, "open") != 0) {
		/* A customer's message reopens a resolved, pending or snoozed chat. */
		int was_resolved = strcmp(status, "resolved") == 0;

		/* (status points into cv: read it before replacing it.) */
		json_set_str(cv, "status", assignee != NULL ? "open" : "new");
		json_set_null(cv, "snoozed_until");
		if (was_resolved) {
			json_set_null(cv, "tag");
			json_set_null(cv, "csat");
		}
	}
	if (json_str(cv, "waiting_since") == NULL)
		json_set_str(cv, "waiting_since", now);
	json_set_int(cv, "unread", json_int(cv, "unread", 0) + 1);
	json_set_str(cv, "last_message_at", now);
	seed_preview(body, PREVIEW_CHARS, preview, sizeof preview);
	json_set_str(cv, "last_message_preview", preview);
	store_put(st, KIND_CONVERSATION, json_str(cv, "id"), cv);
}

/* A customer writes in a chat the shop has going. */
static int
live_message(struct store *st, uint64_t *r, const char *now)
{
	char id[24];
	cJSON *cv;

	if (!live_peek(r, LIVE_CONV, id) ||
	    (cv = store_get(st, KIND_CONVERSATION, id)) == NULL)
		return 0;
	live_say(st, cv, PICK(r, seed_customer_lines), now);
	cJSON_Delete(cv);
	return 1;
}

/* A customer opens a new chat. */
static int
live_chat(struct store *st, uint64_t *r, const char *now)
{
	static const char *const chans[] = { "web", "app", "wechat", "app", "web" };
	cJSON *cust, *cv;
	const char *level;
	char id[24];

	if ((cust = live_random(st, r, KIND_CUSTOMER, 100001, live.ncust)) == NULL)
		return 0;
	level = json_str(cust, "level") != NULL ? json_str(cust, "level") : "normal";
	store_next_id(st, KIND_CONVERSATION, id);
	cv = cJSON_CreateObject();
	json_set_str(cv, "id", id);
	json_set_str(cv, "created_at", now);
	json_set_str(cv, "customer_id", json_str(cust, "id"));
	json_set_str(cv, "customer_name", json_str(cust, "name"));
	json_set_str(cv, "customer_level", level);
	json_set_str(cv, "channel", PICK(r, chans));
	json_set_str(cv, "queue", strcmp(level, "diamond") == 0 ? "vip" :
	    seed_rnd(r, 2) ? "presales" : "aftersales");
	json_set_str(cv, "status", "new");
	json_set_str(cv, "priority", strcmp(level, "diamond") == 0 ? "high" : "normal");
	json_set_null(cv, "assignee");
	json_set_null(cv, "waiting_since");
	json_set_str(cv, "last_message_at", now);
	json_set_str(cv, "last_message_preview", "");
	json_set_int(cv, "unread", 0);
	json_set_null(cv, "tag");
	json_set_null(cv, "csat");
	json_set_null(cv, "snoozed_until");
	json_set_null(cv, "order_id");
	live_say(st, cv, PICK(r, seed_customer_lines), now);
	seed_live_note(LIVE_CONV, id);
	cJSON_Delete(cv);
	cJSON_Delete(cust);
	return 1;
}

/* A customer asks for after-sales on a recently delivered order. */
static int
live_ticket(struct store *st, uint64_t *r, const char *now)
{
	static const char *const kinds[] = {
		"return_refund", "exchange", "refund_only", "logistics", "complaint",
		"repair", "reship", "return_refund"
	};
	static const int first_h[] = { 4, 4, 4, 2, 1, 4, 4, 4 };
	static const int resolve_h[] = { 72, 72, 72, 24, 48, 72, 72, 72 };
	cJSON *o, *t, *sla, *item;
	const char *status, *reason;
	char id[24], due[RFC3339_LEN];
	long long amount = 0, left;
	int k = (int)seed_rnd(r, SEED_NELEM(kinds));
	time_t tnow = store_now(st);

	if (!live_take(LIVE_DELIVERED, id) || (o = store_get(st, KIND_ORDER, id)) == NULL)
		return 0;
	status = json_str(o, "status");
	left = json_int(o, "paid_amount", 0) - json_int(o, "refunded_amount", 0);
	if (status == NULL || (strcmp(status, "delivered") != 0 &&
	    strcmp(status, "completed") != 0) || left <= 0) {
		cJSON_Delete(o);
		return 0;
	}
	item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "items"), 0);
	if (k == 0 || k == 7 || k == 2)
		amount = json_int(item, "unit_price", 0) * json_int(item, "quantity", 1);
	if (k == 2)
		amount /= 3;
	amount = amount < left ? amount : left;
	reason = k == 3 ? PICK(r, seed_reasons_logistics) : k == 4 ?
	    PICK(r, seed_reasons_complaint) : k == 1 ? PICK(r, seed_reasons_exchange) :
	    k == 5 ? PICK(r, seed_reasons_repair) : k == 6 ? PICK(r, seed_reasons_reship) :
	    k == 2 ? PICK(r, seed_reasons_refund) : PICK(r, seed_reasons_return);

	store_next_id(st, KIND_TICKET, id);
	t = cJSON_CreateObject();
	json_set_str(t, "id", id);
	json_set_str(t, "created_at", now);
	json_set_str(t, "order_id", json_str(o, "id"));
	json_set_str(t, "customer_id", json_str(o, "customer_id"));
	json_set_str(t, "customer_name", json_str(o, "customer_name"));
	json_set_str(t, "kind", kinds[k]);
	json_set_str(t, "status", "requested");
	json_set_str(t, "priority", "normal");
	json_set_bool(t, "escalated", 0);
	json_set_null(t, "assignee");
	json_set_str(t, "reason", reason);
	json_set_str(t, "description", "");
	json_set(t, "evidence", cJSON_CreateArray());
	json_set_str(t, "currency", "CNY");
	json_set_int(t, "requested_amount", amount);
	json_set_int(t, "refund_amount", 0);
	sla = cJSON_CreateObject();
	time_format_rfc3339(tnow + first_h[k] * HOUR, due);
	json_set_str(sla, "first_action_due", due);
	time_format_rfc3339(tnow + resolve_h[k] * HOUR, due);
	json_set_str(sla, "resolve_due", due);
	json_set_null(sla, "first_action_at");
	json_set_str(sla, "state", "active");
	json_set(t, "sla", sla);
	live_log(t, "history", now, json_str(o, "customer_id"), "action", "create",
	    "note", reason);
	store_put(st, KIND_TICKET, id, t);
	cJSON_Delete(t);
	cJSON_Delete(o);
	return 1;
}

/* Stock moves: a sale off the shelf, or an inbound delivery when low. */
static int
live_stock(struct store *st, uint64_t *r)
{
	long long stock, avail, thr;
	cJSON *s;

	if ((s = live_random(st, r, KIND_SKU, 100001, live.nsku)) == NULL)
		return 0;
	stock = json_int(s, "stock", 0);
	avail = stock - json_int(s, "reserved", 0);
	thr = json_int(s, "low_stock_threshold", 10);
	if (avail > 0 && (avail > thr || seed_rnd(r, 3) != 0))
		stock -= 1 + (long long)seed_rnd(r, (uint64_t)(avail < 3 ? avail : 3));
	else
		stock += 50 + (long long)seed_rnd(r, 150);
	json_set_int(s, "stock", stock);
	store_put(st, KIND_SKU, json_str(s, "id"), s);
	cJSON_Delete(s);
	return 1;
}

void
seed_live_step(struct store *st, uint64_t *rng)
{
	static const int w[] = { 28, 18, 30, 8, 6, 10 };
	char now[RFC3339_LEN];
	int x, i, done = 0;

	store_lock(st);
	if (live.ncust == 0)
		live.ncust = live_count(st, KIND_CUSTOMER);
	if (live.nsku == 0)
		live.nsku = live_count(st, KIND_SKU);
	time_format_rfc3339(store_now(st), now);
	x = (int)seed_rnd(rng, 100);
	for (i = 0; x >= w[i]; i++)
		x -= w[i];
	store_begin(st);
	switch (i) {
	case 1:
		done = live_pay(st, rng, now);
		break;
	case 2:
		done = live_message(st, rng, now);
		break;
	case 3:
		done = live_chat(st, rng, now);
		break;
	case 4:
		done = live_ticket(st, rng, now);
		break;
	case 5:
		done = live_stock(st, rng);
		break;
	}
	if (!done && live.ncust > 0)
		live_order(st, rng, now);
	store_commit(st);
	store_unlock(st);
}
