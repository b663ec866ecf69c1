/*
 * cache-query.c -- list and search queries over the cache.
 *
 * A list is one SELECT built from two tables: qsorts (a kind's order: its
 * key columns, then id, all in one direction) and qkinds (which column or
 * condition serves each filter of struct query). Every filter column has a
 * composite index ending in the sort columns (cache.c), so a page is an index
 * range read in order. Orders list by rowid (cache.h), which every index
 * ends in: orders_status is (status), a date range a rowid range too:
 *
 *	SELECT json, rowid, id FROM orders WHERE status = ? AND rowid < ?
 *	 ORDER BY rowid DESC LIMIT ?
 *
 * The cursor is the last row's sort values and id; the next page starts
 * strictly after it (keyset pagination; never OFFSET). A list of statuses
 * becomes one arm per status merged with UNION ALL, which SQLite merges in
 * order from the arms' indexes instead of sorting every matching row.
 *
 * Text search keeps the order and adds rowid IN (SELECT rowid FROM <t>_fts
 * WHERE <t>_fts MATCH ?), with the expression from cache_fts_match(). How
 * that runs best depends on how common the term is, which SQLite cannot
 * know: for a rare term, fetch the few matching rows and sort them; for a
 * common one (张 in a quarter of all orders), sorting every match costs
 * ~80 ms per 100,000 rows, while walking the list's own index and testing
 * membership in the (materialised) match set stops after one page, ~3 ms.
 * So a probe counts matches up to QUERY_FTS_COMMON, and a common term is
 * written "+rowid IN (...)": the unary plus keeps SQLite from driving the
 * query from it. A phrase is asked as its terms (qb_index()).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cache-category.h"
#include "cache-fts.h"
#include "cache-query.h"
#include "sla.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define QUERY_DEFAULT_LIMIT	100
#define QUERY_MAX_LIMIT		10000
#define QUERY_MAX_STATUS	16
#define QUERY_MAX_KEYS		2
#define QUERY_FTS_COMMON	1000	/* matches from which to walk the index */
#define QUERY_ROWSET_MAX	262144	/* matches held in memory to walk the index with */
#define QUERY_EXACT_MAX		20	/* exact matches put first */
/*
 * Walking the list's index for the matches of a common text finds the first
 * page at once when they are spread through the list, but reads nearly all
 * of it when they are old (an order number from last year: "SO100" is the
 * oldest 100,000 of a million orders: seconds). So the walk may read
 * QUERY_WALK_PER_MATCH rows per match before finding its first row; past
 * that, the matches are fetched and sorted instead (a few microseconds
 * each, where a row walked costs a fraction of one).
 */
#define QUERY_WALK_PER_MATCH	8
#define QUERY_EXACT_SCAN	64	/* rows holding a key compared (a SKU code is in thousands) */
/*
 * A text search first reads the list in its own order, filtering rows by
 * their search document (cache_fts_matcher()): up to QUERY_WALK_BUDGET
 * rows, giving up after QUERY_WALK_SAMPLE of them if fewer than
 * QUERY_WALK_SAMPLE_MIN matched (each row costs a memmem() or two of its
 * folded search document, about a microsecond). A text most rows match ("S", "SO1", "1",
 * 张) is answered so in a few hundred rows, where the index would merge the
 * lists of every term with that prefix (a million of them for "1"); a rare
 * one costs the sample, then the index answers.
 */
#define QUERY_WALK_BUDGET	8000
#define QUERY_WALK_SAMPLE	256
#define QUERY_WALK_SAMPLE_MIN	3
#define QUERY_WALK_MAX_LIMIT	500	/* pages up to this many rows */
/*
 * A count up to a cap asks the index, which stops at the cap, unless it
 * would merge the lists of many terms (a prefix query, "1"*) or give many
 * rows that do not match (a narrowed text: "SF" for SF3), and
 * QUERY_COUNT_DENSE_MIN or more of the list's first QUERY_WALK_SAMPLE rows
 * match (a tenth or more): then it reads the list's rows in order,
 * testing each. Read so, a row costs 5 to 7 us at 1M orders, where the
 * index's matches cost nothing to count and 10 to 20 us each to look up
 * and test (a phrase): 张, in a quarter of the orders, took 27 ms read in
 * order to 1,001 rows, 0.1 ms through the index; 和平区, in one in sixty,
 * 64 ms and 20 ms.
 */
#define QUERY_COUNT_DENSE_MIN	26
/* Matches qb_ordered() reads before it leaves a page to the other ways. */
#define QUERY_ORDERED_BUDGET	4000

/* The segments of a list that has exact matches: those, then the rest. */
#define QSEG_EXACT	1
#define QSEG_REST	2

/* An order: key columns then id, all ascending or all descending. */
struct qsort {
	const char	*name;			/* tags cursors */
	struct {
		const char	*col;
		int		 integer;	/* INTEGER column, else TEXT */
	} keys[QUERY_MAX_KEYS];
	int		 nkeys;
	int		 desc;
	int		 unique;		/* the keys alone order the rows: no id */
};

static const struct qsort qs_id = { "id", { { NULL, 0 } }, 0, 0, 0 };
static const struct qsort qs_created_desc =
    { "new", { { "created_at", 0 } }, 1, 1, 0 };
static const struct qsort qs_created_asc =
    { "old", { { "created_at", 0 } }, 1, 0, 0 };
/* Orders: their rowids, in list order (cache.h); unique, so no id after. */
static const struct qsort qs_order_new = { "new", { { "rowid", 1 } }, 1, 1, 1 };
static const struct qsort qs_order_old = { "old", { { "rowid", 1 } }, 1, 0, 1 };
static const struct qsort qs_sort_key = { "key", { { "sort_key", 1 } }, 1, 0, 0 };
static const struct qsort qs_margin = { "margin", { { "margin", 1 } }, 1, 0, 0 };
static const struct qsort qs_start = { "start", { { "starts_at", 0 } }, 1, 1, 0 };
static const struct qsort qs_queue =
    { "queue", { { "queue", 0 }, { "sort_key", 1 } }, 2, 0, 0 };

/* The orders a kind's list can be read in, by name, each served by an index. */
struct qsort_name {
	const char		*name;
	const struct qsort	*sort;
};

/* The filters of struct query. */
enum qfield {
	QF_STATUS,
	QF_CUSTOMER,
	QF_ORDER,
	QF_CONVERSATION,
	QF_ASSIGNEE,
	QF_QUEUE,
	QF_SUBKIND,
	QF_CARRIER,
	QF_CREATED,
	QF_ABNORMAL,
	QF_LOW_STOCK,
	QF_WAITING,
	QF_PAID,
	QF_REFUNDED,
	QF_REPEAT,
	QF_ITEM,
	QF_REASON,
	QF_CATEGORY,
	QF_SLA,
	QF__COUNT
};

static const char *qfield_names[QF__COUNT] = {
	"status", "customer", "order", "conversation", "assignee", "queue",
	"kind", "carrier", "date", "abnormal", "low stock", "waiting", "paid",
	"refunded", "repeat customers", "item", "refund reason", "category", "SLA"
};

/* The ids of a category (bound to the one ?) and its descendants. */
#define QB_SUBTREE	CACHE_CATEGORY_SUBTREE

/*
 * Per kind: the default order, the order with low_stock, and for each filter
 * the column compared with the value or, for flags, the whole condition.
 */
static const struct qkind {
	const struct qsort	*sort;
	const struct qsort	*low_stock_sort;
	const char		*col[QF__COUNT];
	struct qsort_name	 sorts[3];	/* named orders, the default first */
} qkinds[KIND__COUNT] = {
	[KIND_ORDER] = { &qs_order_new, NULL, {
		[QF_STATUS] = "status",
		[QF_CUSTOMER] = "customer_id",
		[QF_CARRIER] = "carrier",
		[QF_CREATED] = "created_at",
		/* orders_abnormal's key (a constant: rowid order) and its condition. */
		[QF_ABNORMAL] = "(abnormal IS NOT NULL) = 1 AND abnormal IS NOT NULL",
		[QF_PAID] = "coalesce(payment_status NOT IN ('unpaid', 'failed'), 0)",
		[QF_REFUNDED] = "coalesce(refunded, 0) > 0",
		/*
		 * Paid before the day (?, the rowid bound of since; ?, since):
		 * one probe of orders_customer, (customer_id, rowid).
		 */
		[QF_REPEAT] = "EXISTS (SELECT 1 FROM orders AS p WHERE p.customer_id ="
		    " orders.customer_id AND p.rowid < ? AND p.created_at < ? AND"
		    " coalesce(p.payment_status NOT IN ('unpaid', 'failed'), 0))",
		/* The row's own items: meant with a day (the orders of a date range). */
		[QF_ITEM] = "EXISTS (SELECT 1 FROM json_each(sd_json(0, orders.json), '$.items')"
		    " WHERE json_extract(value, '$.title')",
		/*
		 * An item of a product in the subtree: each order's items are
		 * read (no index holds them), each SKU found by its id.
		 */
		[QF_CATEGORY] = "EXISTS (SELECT 1 FROM json_each(sd_json(0, orders.json),"
		    " '$.items') AS i JOIN skus AS s ON s.id = json_extract(i.value, '$.sku_id')"
		    " JOIN products AS p ON p.id = s.product_id WHERE p.category_id IN ("
		    QB_SUBTREE "))" },
	    { { "new", &qs_order_new }, { "old", &qs_order_old } } },
	[KIND_TICKET] = { &qs_sort_key, NULL, {
		[QF_STATUS] = "status",
		[QF_CUSTOMER] = "customer_id",
		[QF_ORDER] = "order_id",
		[QF_ASSIGNEE] = "assignee",
		[QF_SUBKIND] = "kind",
		[QF_CREATED] = "created_at",
		[QF_REASON] = "kind IN ('refund_only', 'return_refund') AND reason",
		[QF_SLA] = SLA_SQL_RUNNING },
	    { { "urgency", &qs_sort_key }, { "new", &qs_created_desc } } },
	[KIND_CONVERSATION] = { &qs_sort_key, NULL, {
		[QF_STATUS] = "status",
		[QF_CUSTOMER] = "customer_id",
		[QF_ORDER] = "order_id",
		[QF_ASSIGNEE] = "assignee",
		[QF_QUEUE] = "queue",
		[QF_CREATED] = "created_at",
		[QF_WAITING] = "waiting_since IS NOT NULL" },
	    { { "wait", &qs_sort_key }, { "queue", &qs_queue } } },
	[KIND_MESSAGE] = { &qs_created_asc, NULL, {
		[QF_CONVERSATION] = "conversation_id",
		[QF_CREATED] = "created_at" } },
	[KIND_PRODUCT] = { &qs_id, NULL, {
		[QF_CATEGORY] = "category_id IN (" QB_SUBTREE ")" } },
	[KIND_SKU] = { &qs_id, &qs_margin, {
		[QF_LOW_STOCK] = "margin <= 0",
		[QF_CATEGORY] = "product_id IN (SELECT id FROM products WHERE"
		    " category_id IN (" QB_SUBTREE "))" },
	    { { "id", &qs_id }, { "low", &qs_margin } } },
	[KIND_PROMOTION] = { &qs_start, NULL, {
		[QF_STATUS] = "status",
		[QF_SUBKIND] = "kind" },
	    { { "start", &qs_start } } },
	[KIND_CUSTOMER] = { &qs_id, NULL, { NULL } },
	[KIND_CANNED_REPLY] = { &qs_id, NULL, { NULL } },
	[KIND_USER] = { &qs_id, NULL, { NULL } },
	[KIND_CATEGORY] = { &qs_id, NULL, { NULL } },
};

/* A value to bind, in the order its ? appears in the SQL. */
struct qbind {
	const char	*text;		/* NULL: integer (or ptr) */
	long long	 i;
	const void	*ptr;		/* a struct cache_rowset */
};

/* A query being built. */
struct qb {
	const struct query	*q;
	const struct qkind	*qk;
	const struct qsort	*sort;
	const char		*table;
	const char		*fts;
	int			 desc;

	char			*status[QUERY_MAX_STATUS];
	int			 nstatus;
	char			*match;		/* NULL: no text filter */
	char			*imatch;	/* what the index is asked, then match filters */
	int			 narrowed;	/* imatch leaves out broad parts of match */
	int			 nomatch;	/* text with nothing searchable */
	int			 scan;		/* no full-text index yet: rows tested */
	int			 common;	/* match is common: walk the index */
	int			 ordered;	/* the index in list order (qb_ordered()) */
	struct cache_rowset	 rowset;	/* its matches, when common (v NULL: too many) */
	int			 filtered;	/* a filter other than text is set */
	int			 rowid_ranges;	/* orders' dates as rowid ranges too */
	char			 since[RFC3339_LEN];
	char			 until[RFC3339_LEN];
	char			 sla_now[RFC3339_LEN];	/* the SLA filter's now */
	char			 sla_near[RFC3339_LEN];	/* ... and the hour after */

	char			*exact;		/* "1,5,9": rowids of exact matches */
	int			 segment;	/* 0: all; QSEG_EXACT or QSEG_REST */
	int			 walk;		/* the page query also selects search */
	int			 xafter;	/* the cursor is in the exact segment */

	int			 after;		/* cursor values follow */
	char			*after_text[QUERY_MAX_KEYS + 1];
	long long		 after_int[QUERY_MAX_KEYS + 1];

	struct buf		 sql;
	struct qbind		*binds;
	int			 nbinds;
};

static void
qb_done(struct qb *qb)
{
	int i;

	for (i = 0; i < qb->nstatus; i++)
		free(qb->status[i]);
	for (i = 0; i <= QUERY_MAX_KEYS; i++)
		free(qb->after_text[i]);
	free(qb->match);
	free(qb->imatch);
	free(qb->exact);
	free((long long *)qb->rowset.v);
	free(qb->binds);
	buf_done(&qb->sql);
}

static void
qb_bind_text(struct qb *qb, const char *s)
{
	qb->binds = xrealloc(qb->binds, (qb->nbinds + 1) * sizeof *qb->binds);
	qb->binds[qb->nbinds].text = s;
	qb->binds[qb->nbinds].ptr = NULL;
	qb->binds[qb->nbinds++].i = 0;
}

static void
qb_bind_rowset(struct qb *qb)
{
	qb->binds = xrealloc(qb->binds, (qb->nbinds + 1) * sizeof *qb->binds);
	qb->binds[qb->nbinds].text = NULL;
	qb->binds[qb->nbinds].ptr = &qb->rowset;
	qb->binds[qb->nbinds++].i = 0;
}

static void
qb_bind_int(struct qb *qb, long long i)
{
	qb->binds = xrealloc(qb->binds, (qb->nbinds + 1) * sizeof *qb->binds);
	qb->binds[qb->nbinds].text = NULL;
	qb->binds[qb->nbinds].ptr = NULL;
	qb->binds[qb->nbinds++].i = i;
}

/* Split a comma-separated status list, trimming spaces and duplicates. */
static int
qb_statuses(struct qb *qb, const char *list, char **cause)
{
	const char *p = list, *end;
	char *s;
	size_t n;
	int i;

	while (*p != '\0') {
		p += strspn(p, " ,");
		n = strcspn(p, ",");
		end = p + n;
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == 0) {
			p = end;
			continue;
		}
		s = xstrndup(p, n);
		for (i = 0; i < qb->nstatus; i++)
			if (strcmp(qb->status[i], s) == 0)
				break;
		if (i < qb->nstatus)
			free(s);
		else if (qb->nstatus == QUERY_MAX_STATUS) {
			free(s);
			*cause = xasprintf("too many statuses (at most %d)",
			    QUERY_MAX_STATUS);
			return -1;
		} else
			qb->status[qb->nstatus++] = s;
		p = end;
	}
	return 0;
}

/* Cursor fields are separated by ',' and %-escaped. */
static void
qb_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '%' || *p == ',') {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		} else
			buf_addc(b, (char)*p);
	}
}

static int
qb_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Unescape s[0..n) into a new string; NULL if malformed. */
static char *
qb_unescape(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			*o++ = s[i];
			continue;
		}
		if (i + 2 >= n) {
			free(out);
			return NULL;
		}
		hi = qb_hexval(s[i + 1]);
		lo = qb_hexval(s[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			free(out);
			return NULL;
		}
		*o++ = (char)(hi << 4 | lo);
		i += 2;
	}
	*o = '\0';
	return out;
}

/* The cursor's tag: the order's name and direction. */
static void
qb_cursor_tag(const struct qb *qb, struct buf *b)
{
	buf_addf(b, "%s/%c:", qb->sort->name, qb->desc ? 'd' : 'a');
}

char *
cache_cursor_reverse(const char *cursor)
{
	char *s = xstrdup(cursor), *p = strchr(s, '/');

	if (p != NULL && (p[1] == 'd' || p[1] == 'a') && p[2] == ':')
		p[1] = p[1] == 'd' ? 'a' : 'd';
	return s;
}

/* Parse a cursor made by qb_cursor() for the same order. */
static int
qb_parse_after(struct qb *qb, const char *after, char **cause)
{
	struct buf tag;
	const char *p, *end;
	char *v, *ep;
	size_t n;
	int i, nf = qb->sort->nkeys + !qb->sort->unique, bad = 0;

	buf_init(&tag);
	qb_cursor_tag(qb, &tag);
	if (strncmp(after, buf_str(&tag), tag.len) != 0)
		bad = 1;
	p = bad ? after : after + tag.len;
	buf_done(&tag);
	for (i = 0; !bad && i < nf; i++) {
		n = strcspn(p, ",");
		end = p + n;
		if ((*end == ',') != (i < nf - 1) || (v = qb_unescape(p, n)) == NULL) {
			bad = 1;
			break;
		}
		if (i < qb->sort->nkeys && qb->sort->keys[i].integer) {
			errno = 0;
			qb->after_int[i] = strtoll(v, &ep, 10);
			if (*v == '\0' || *ep != '\0' || errno != 0)
				bad = 1;
			free(v);
		} else
			qb->after_text[i] = v;
		p = *end == ',' ? end + 1 : end;
	}
	if (bad) {
		*cause = xstrdup("invalid cursor for this list;"
		    " start again from the first page");
		return -1;
	}
	qb->after = 1;
	return 0;
}

/* Whether a string field of struct query is set. */
static int
qb_set(const char *s)
{
	return s != NULL && *s != '\0';
}

static int
qb_blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/* Check q against the kind's filters and prepare its values. */
static const struct qsort *
qb_sort_named(const struct qkind *qk, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof qk->sorts / sizeof qk->sorts[0]; i++)
		if (qk->sorts[i].name != NULL && strcmp(qk->sorts[i].name, name) == 0)
			return qk->sorts[i].sort;
	return NULL;
}

char *
cache_query_sort_error(enum sd_kind k, const char *name)
{
	const char *const *names = cache_query_sorts(k);
	struct buf b;
	char *s;
	int i;

	if ((int)k >= 0 && k < KIND__COUNT && qb_sort_named(&qkinds[k], name) != NULL)
		return NULL;
	buf_init(&b);
	for (i = 0; names[i] != NULL; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", names[i]);
	s = xasprintf("%s cannot be sorted by '%s' (they sort by %s)", kind_info(k)->path,
	    name, i == 0 ? "id only" : buf_str(&b));
	buf_done(&b);
	return s;
}

const char *const *
cache_query_sorts(enum sd_kind k)
{
	static const char *names[KIND__COUNT][4];
	static const char *none[1];
	const struct qkind *qk;
	size_t i;

	if ((int)k < 0 || k >= KIND__COUNT)
		return none;
	qk = &qkinds[k];
	for (i = 0; i < sizeof qk->sorts / sizeof qk->sorts[0]; i++)
		names[k][i] = qk->sorts[i].name;
	return names[k];
}

/*
 * What the index is asked for expr, which the rows it gives are then
 * tested against (sd_match() on their search documents, as the narrowed
 * and scanning ways do): expr, or its phrases as their terms' AND
 * (cache_fts_index(): the index holds which rows have a term, not where,
 * detail=none), in qb->imatch. Takes expr.
 */
static char *
qb_index(char *expr)
{
	char *idx;

	if (expr == NULL || (idx = cache_fts_index(expr)) == NULL)
		return expr;
	free(expr);
	return idx;
}

static int
qb_init(struct cache *c, struct qb *qb, const struct query *q, char **cause)
{
	const char *kname;
	int set[QF__COUNT], f;

	memset(qb, 0, sizeof *qb);
	buf_init(&qb->sql);
	qb->q = q;
	if ((int)q->kind < 0 || q->kind >= KIND__COUNT) {
		*cause = xstrdup("unknown kind of object");
		return -1;
	}
	kname = kind_info(q->kind)->path;
	qb->qk = &qkinds[q->kind];
	qb->table = kind_info(q->kind)->table;
	qb->fts = cache_fts_table(q->kind);

	set[QF_STATUS] = qb_set(q->status);
	set[QF_CUSTOMER] = qb_set(q->customer_id);
	set[QF_ORDER] = qb_set(q->order_id);
	set[QF_CONVERSATION] = qb_set(q->conversation_id);
	set[QF_ASSIGNEE] = qb_set(q->assignee);
	set[QF_QUEUE] = qb_set(q->queue);
	set[QF_SUBKIND] = qb_set(q->subkind);
	set[QF_CARRIER] = qb_set(q->carrier);
	set[QF_CREATED] = q->since != 0 || q->until != 0;
	set[QF_ABNORMAL] = q->abnormal;
	set[QF_LOW_STOCK] = q->low_stock;
	set[QF_WAITING] = q->waiting;
	set[QF_PAID] = q->paid;
	set[QF_REFUNDED] = q->refunded;
	set[QF_REPEAT] = q->repeat;
	set[QF_ITEM] = qb_set(q->item);
	set[QF_REASON] = qb_set(q->reason);
	set[QF_CATEGORY] = qb_set(q->category);
	set[QF_SLA] = q->sla != QUERY_SLA_ANY;
	if (q->sla < QUERY_SLA_ANY || q->sla > QUERY_SLA_BREACHED) {
		*cause = xstrdup("unknown SLA filter");
		return -1;
	}
	for (f = 0; f < QF__COUNT; f++) {
		qb->filtered |= set[f];
		if (set[f] && qb->qk->col[f] == NULL) {
			*cause = xasprintf("%s cannot be filtered by %s", kname,
			    qfield_names[f]);
			return -1;
		}
	}
	if (!qb_blank(q->text)) {
		if (qb->fts == NULL) {
			*cause = xasprintf("%s cannot be searched by text", kname);
			return -1;
		}
		if ((qb->match = cache_fts_match(q->text)) == NULL)
			qb->nomatch = 1;
		else if (q->kind != KIND_CONVERSATION &&
		    (qb->imatch = cache_fts_match_narrow(q->text)) != NULL) {
			qb->narrowed = 1;
			qb->imatch = qb_index(qb->imatch);
		} else
			/* A phrase: the index gives rows with its terms. */
			qb->imatch = cache_fts_index(qb->match);
		/*
		 * A first sync builds the full-text indexes at its end: until
		 * then each row loaded is tested against its search document,
		 * the table read in the list's order (slower: every row, for a
		 * text few rows have), so that a search finds what is loaded.
		 */
		qb->scan = qb->match != NULL && cache_bulk_loading(c);
	}
	if (set[QF_STATUS] && qb_statuses(qb, q->status, cause) != 0)
		return -1;
	/*
	 * An order's date is a range of rowids but in a cache where some
	 * second had more than 256 orders (cache.h): theirs are below zero.
	 */
	qb->rowid_ranges = q->kind == KIND_ORDER && (q->since != 0 || q->until != 0 ||
	    q->repeat) && cache_orders_ordered(c);
	if (q->since != 0)
		time_format_rfc3339(q->since, qb->since);
	if (q->until != 0)
		time_format_rfc3339(q->until, qb->until);
	if (q->sla != QUERY_SLA_ANY) {
		time_t now = q->sla_now != 0 ? q->sla_now : time(NULL);

		time_format_rfc3339(now, qb->sla_now);
		time_format_rfc3339(now + SLA_NEAR_SECS, qb->sla_near);
	}

	qb->sort = qb->qk->sort;
	if (q->low_stock && qb->qk->low_stock_sort != NULL)
		qb->sort = qb->qk->low_stock_sort;
	if (q->sort != NULL && (qb->sort = qb_sort_named(qb->qk, q->sort)) == NULL) {
		*cause = cache_query_sort_error(q->kind, q->sort);
		return -1;
	}
	qb->desc = qb->sort->desc ^ (q->reverse != 0);
	if (q->after != NULL) {
		qb->xafter = q->after[0] == 'x';
		if (qb_parse_after(qb, q->after + qb->xafter, cause) != 0)
			return -1;
	}
	return 0;
}

/*
 * The first rowid an order created at t or later can have, and the first
 * one past every order created at t or earlier (cache.h): a range of the
 * table and of every index, in which created_at is then compared.
 */
static long long
qb_rowid_from(const char *t)
{
	return cache_order_second(t) << CACHE_ORDER_SLOT_BITS;
}

static long long
qb_rowid_after(const char *t)
{
	return (cache_order_second(t) + 1) << CACHE_ORDER_SLOT_BITS;
}

/* Add the filter conditions (one status: status, or NULL for all/IN). */
static void
qb_where(struct qb *qb, const char *status, int in_list, int keyset)
{
	const struct query *q = qb->q;
	const char *const *col = qb->qk->col;
	struct buf *b = &qb->sql;
	const char *and = " WHERE ";
	int i;

#define QB_AND() do { buf_adds(b, and); and = " AND "; } while (0)
#define QB_EQ(f, v) do {						\
	if (qb_set(v)) {						\
		QB_AND();						\
		buf_addf(b, "%s = ?", col[f]);				\
		qb_bind_text(qb, v);					\
	}								\
} while (0)
	if (status != NULL) {
		QB_AND();
		buf_addf(b, "%s = ?", col[QF_STATUS]);
		qb_bind_text(qb, status);
	} else if (in_list && qb->nstatus != 0) {
		QB_AND();
		buf_addf(b, "%s IN (", col[QF_STATUS]);
		for (i = 0; i < qb->nstatus; i++) {
			buf_adds(b, i ? ", ?" : "?");
			qb_bind_text(qb, qb->status[i]);
		}
		buf_addc(b, ')');
	}
	QB_EQ(QF_CUSTOMER, q->customer_id);
	QB_EQ(QF_ORDER, q->order_id);
	QB_EQ(QF_CONVERSATION, q->conversation_id);
	QB_EQ(QF_ASSIGNEE, q->assignee);
	QB_EQ(QF_QUEUE, q->queue);
	QB_EQ(QF_SUBKIND, q->subkind);
	QB_EQ(QF_CARRIER, q->carrier);
	/*
	 * Orders: a range of rowids, which follow created_at's second
	 * (cache.h): the rows of the seconds of since to until, those of the
	 * first and last second then compared (a text of another zone, with
	 * a fraction). A row between them is in the range (cache_order_second()
	 * never decreases as the text increases) and its created_at is not
	 * read: an index keyed on a filter counts it without the table's row.
	 */
	if (q->since != 0) {
		QB_AND();
		if (qb->rowid_ranges) {
			buf_addf(b, "rowid >= ? AND (rowid >= ? OR %s >= ?)", col[QF_CREATED]);
			qb_bind_int(qb, qb_rowid_from(qb->since));
			qb_bind_int(qb, qb_rowid_after(qb->since));
		} else
			buf_addf(b, "%s >= ?", col[QF_CREATED]);
		qb_bind_text(qb, qb->since);
	}
	if (q->until != 0) {
		QB_AND();
		if (qb->rowid_ranges) {
			buf_addf(b, "rowid < ? AND (rowid < ? OR %s < ?)", col[QF_CREATED]);
			qb_bind_int(qb, qb_rowid_after(qb->until));
			qb_bind_int(qb, qb_rowid_from(qb->until));
		} else
			buf_addf(b, "%s < ?", col[QF_CREATED]);
		qb_bind_text(qb, qb->until);
	}
	if (q->abnormal) {
		QB_AND();
		buf_adds(b, col[QF_ABNORMAL]);
	}
	if (q->low_stock) {
		QB_AND();
		buf_adds(b, col[QF_LOW_STOCK]);
	}
	if (q->waiting) {
		QB_AND();
		buf_adds(b, col[QF_WAITING]);
	}
	if (q->paid) {
		QB_AND();
		buf_adds(b, col[QF_PAID]);
	}
	if (q->refunded) {
		QB_AND();
		buf_adds(b, col[QF_REFUNDED]);
	}
	if (q->repeat) {
		QB_AND();
		buf_adds(b, col[QF_REPEAT]);
		/*
		 * Without since: nobody before ("", and below every rowid);
		 * any rowid where some are out of order.
		 */
		qb_bind_int(qb, !qb->rowid_ranges ? LLONG_MAX : q->since != 0 ?
		    qb_rowid_after(qb->since) : LLONG_MIN);
		qb_bind_text(qb, qb->since);
	}
	if (qb_set(q->item)) {
		QB_AND();
		buf_addf(b, "%s = ?)", col[QF_ITEM]);
		qb_bind_text(qb, q->item);
	}
	QB_EQ(QF_REASON, q->reason);
	if (qb_set(q->category)) {
		QB_AND();
		buf_adds(b, col[QF_CATEGORY]);
		qb_bind_text(qb, q->category);
	}
	if (q->sla != QUERY_SLA_ANY) {
		QB_AND();
		if (q->sla == QUERY_SLA_RUNNING)
			buf_adds(b, SLA_SQL_RUNNING);
		else if (q->sla == QUERY_SLA_NEAR) {
			buf_adds(b, SLA_SQL_NEAR);
			qb_bind_text(qb, qb->sla_now);
			qb_bind_text(qb, qb->sla_near);
		} else {
			buf_adds(b, SLA_SQL_BREACHED);
			qb_bind_text(qb, qb->sla_now);
		}
	}
	if (qb->segment != 0 && qb->exact != NULL) {
		QB_AND();
		buf_addf(b, "rowid %sIN (%s)", qb->segment == QSEG_REST ? "NOT " :
		    "", qb->exact);
	}
	if (qb->nomatch) {
		QB_AND();
		buf_adds(b, "0");
	} else if (qb->match != NULL && qb->scan) {
		QB_AND();
		if (q->kind == KIND_CONVERSATION) {
			buf_adds(b, "(sd_match(search, ?) OR id IN (SELECT conversation_id FROM"
			    " messages WHERE sd_match(search, ?)))");
			qb_bind_text(qb, qb->match);
		} else
			buf_adds(b, "sd_match(search, ?)");
		qb_bind_text(qb, qb->match);
	} else if (qb->match != NULL && qb->ordered && qb->segment == QSEG_EXACT &&
	    qb->exact != NULL) {
		/* A few rows by rowid, each tested: no list of matches to read. */
		QB_AND();
		buf_adds(b, "sd_match(search, ?)");
		qb_bind_text(qb, qb->match);
	} else if (qb->match != NULL && q->kind == KIND_CONVERSATION) {
		/* A chat is found by its messages too (search: each row's own). */
		const char *test = qb->imatch != NULL ? " AND sd_match(search, ?)" : "";

		QB_AND();
		buf_addf(b, "((%srowid IN (SELECT rowid FROM %s WHERE %s MATCH ?)%s)"
		    " OR id IN (SELECT conversation_id FROM messages WHERE rowid IN"
		    " (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)%s))",
		    qb->common ? "+" : "", qb->fts, qb->fts, test, test);
		for (i = 0; i < 2; i++) {
			qb_bind_text(qb, qb->imatch != NULL ? qb->imatch : qb->match);
			if (qb->imatch != NULL)
				qb_bind_text(qb, qb->match);
		}
	} else if (qb->match != NULL && qb->common && qb->rowset.v != NULL) {
		/* The matches, read once by qb_probe(), as the list's index is walked. */
		QB_AND();
		buf_adds(b, "sd_inset(?, rowid)");
		qb_bind_rowset(qb);
		if (qb->imatch != NULL) {
			buf_adds(b, " AND sd_match(search, ?)");
			qb_bind_text(qb, qb->match);
		}
	} else if (qb->match != NULL && qb->imatch != NULL) {
		/* The index without "8" of 花园街8, the rows then filtered by it all. */
		QB_AND();
		buf_addf(b, "%srowid IN (SELECT rowid FROM %s WHERE %s MATCH ?)"
		    " AND sd_match(search, ?)", qb->common ? "+" : "", qb->fts, qb->fts);
		qb_bind_text(qb, qb->imatch);
		qb_bind_text(qb, qb->match);
	} else if (qb->match != NULL) {
		QB_AND();
		buf_addf(b, "%srowid IN (SELECT rowid FROM %s WHERE %s MATCH ?)",
		    qb->common ? "+" : "", qb->fts, qb->fts);
		qb_bind_text(qb, qb->match);
	}
	if (keyset && qb->after) {
		/* Row values: one index range, seeking straight to the cursor. */
		QB_AND();
		buf_addc(b, '(');
		for (i = 0; i < qb->sort->nkeys; i++)
			buf_addf(b, "%s%s", i ? ", " : "", qb->sort->keys[i].col);
		buf_addf(b, "%s) %c (", qb->sort->unique ? "" : i ? ", id" : "id",
		    qb->desc ? '<' : '>');
		for (i = 0; i < qb->sort->nkeys + !qb->sort->unique; i++) {
			buf_adds(b, i ? ", ?" : "?");
			if (i < qb->sort->nkeys && qb->sort->keys[i].integer)
				qb_bind_int(qb, qb->after_int[i]);
			else
				qb_bind_text(qb, qb->after_text[i]);
		}
		buf_addc(b, ')');
	}
#undef QB_EQ
#undef QB_AND
}

/* The page query: SELECT json, keys..., id, one arm per status if several. */
static void
qb_list_sql(struct qb *qb, int limit)
{
	struct buf *b = &qb->sql;
	const char *dir = qb->desc ? " DESC" : "";
	int i, arm, narms = qb->nstatus > 1 ? qb->nstatus : 1;

	for (arm = 0; arm < narms; arm++) {
		if (arm != 0)
			buf_adds(b, " UNION ALL ");
		buf_adds(b, qb->walk ? "SELECT rowid" : "SELECT json");
		for (i = 0; i < qb->sort->nkeys; i++)
			buf_addf(b, ", %s", qb->sort->keys[i].col);
		buf_addf(b, ", id%s FROM %s", qb->walk ? ", search" : "", qb->table);
		qb_where(qb, narms > 1 ? qb->status[arm] : NULL, 1, 1);
	}
	buf_adds(b, " ORDER BY ");
	for (i = 0; i < qb->sort->nkeys; i++) {
		if (narms > 1)
			buf_addf(b, "%s%d%s", i ? ", " : "", i + 2, dir);
		else
			buf_addf(b, "%s%s%s", i ? ", " : "", qb->sort->keys[i].col, dir);
	}
	if (qb->sort->unique)
		;	/* the keys are the order: id would only be compared */
	else if (narms > 1)
		buf_addf(b, "%s%d%s", i ? ", " : "", qb->sort->nkeys + 2, dir);
	else
		buf_addf(b, "%sid%s", i ? ", " : "", dir);
	buf_adds(b, " LIMIT ?");
	qb_bind_int(qb, limit);
}

/*
 * Besides the id (as typed, or with the kind's prefix), what an exact match
 * of a key is, by kind: ?2 is the key upper-cased (a tracking number, a
 * barcode), ?4 the same (a phone number's digits).
 */
static const char *const qb_exact_cond[KIND__COUNT] = {
	[KIND_ORDER] = "phone = ?4 OR tracking_no = ?2 OR"
	    " tracking_no = carrier || ?2",
	[KIND_CUSTOMER] = "phone = ?4",
	[KIND_SKU] = "barcode = ?2",
};

/*
 * The rows that match what was typed exactly -- an id, a phone number, a
 * tracking number, a barcode -- which a list puts first: qb->exact, or
 * NULL. Phones, tracking numbers and barcodes are looked up among the rows
 * holding a key word that ends in the key (cache_fts_key_term(): a prefix
 * query of the few key words reversed that start so), then compared; a
 * key of four characters is none of them (it would have read up to
 * QUERY_EXACT_SCAN rows holding it as a word, an address's number).
 */
static int
qb_exact(struct cache *c, struct qb *qb, char **cause)
{
	sqlite3 *db = cache_db(c);
	sqlite3_stmt *stmt;
	struct buf sql, ids;
	char key[64], *prefixed, *exact = NULL;
	const char *cond = qb_exact_cond[qb->q->kind];
	int rc, n = 0;

	if (qb->match == NULL || !cache_fts_key(qb->q->text, key, sizeof key))
		return 0;
	/* The rows with a key word ending so: a short list, whatever the key. */
	if (qb->scan || (exact = cache_fts_key_term(key)) == NULL)
		cond = NULL;
	buf_init(&sql);
	buf_addf(&sql, "SELECT rowid FROM %s WHERE id IN (?1, ?2, ?3)", qb->table);
	if (cond != NULL)
		buf_addf(&sql, " UNION SELECT rowid FROM %s WHERE rowid IN"
		    " (SELECT rowid FROM %s WHERE %s MATCH ?5 LIMIT %d) AND (%s)",
		    qb->table, qb->fts, qb->fts, QUERY_EXACT_SCAN, cond);
	buf_addf(&sql, " LIMIT %d", QUERY_EXACT_MAX);
	rc = sqlite3_prepare_v2(db, buf_str(&sql), -1, &stmt, NULL);
	buf_done(&sql);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(db));
		return -1;
	}
	prefixed = xasprintf("%s%s", kind_info(qb->q->kind)->prefix, key);
	sqlite3_bind_text(stmt, 1, qb->q->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, prefixed, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, key, -1, SQLITE_STATIC);
	if (cond != NULL)
		sqlite3_bind_text(stmt, 5, exact, -1, SQLITE_STATIC);
	buf_init(&ids);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		buf_addf(&ids, "%s%lld", n++ ? "," : "",
		    (long long)sqlite3_column_int64(stmt, 0));
	free(prefixed);
	free(exact);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		buf_done(&ids);
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (n > 0)
		qb->exact = buf_steal(&ids);
	else
		buf_done(&ids);
	return 0;
}

static int
qb_rowid_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Whether the text matches at least QUERY_FTS_COMMON rows; if it does (and
 * not more than QUERY_ROWSET_MAX), its matches in qb->rowset. The index
 * builds a prefix's whole list of matches whatever the LIMIT ("c178"*
 * merges a thousand terms: 15 ms), so they are read here once, and the page
 * query tests the list's rows against them instead of asking again.
 */
static int
qb_probe(struct cache *c, struct qb *qb, char **cause)
{
	sqlite3 *db = cache_db(c);
	sqlite3_stmt *stmt;
	long long *v = NULL, id;
	size_t n = 0, alloc = 0;
	char *sql;
	int rc, sorted = 1;

	if (qb->match == NULL)
		return 0;
	sql = xasprintf("SELECT rowid FROM %s WHERE %s MATCH ? LIMIT %d", qb->fts, qb->fts,
	    QUERY_ROWSET_MAX + 1);
	rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(stmt, 1, qb->imatch != NULL ? qb->imatch : qb->match, -1,
	    SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		id = sqlite3_column_int64(stmt, 0);
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			v = xrealloc(v, alloc * sizeof *v);
		}
		if (n > 0 && id <= v[n - 1])
			sorted = 0;
		v[n++] = id;
	}
	if (rc != SQLITE_DONE) {
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(db));
		free(v);
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	qb->common = n >= QUERY_FTS_COMMON;
	if (!qb->common || n > QUERY_ROWSET_MAX || qb->q->kind == KIND_CONVERSATION) {
		free(v);
		return 0;
	}
	if (!sorted)
		qsort(v, n, sizeof *v, qb_rowid_cmp);
	qb->rowset.v = v;
	qb->rowset.n = n;
	return 0;
}

static int
qb_prepare(struct cache *c, struct qb *qb, sqlite3_stmt **stmt, char **cause)
{
	sqlite3 *db = cache_db(c);
	const struct qbind *v;
	int i;

	if (sqlite3_prepare_v2(db, buf_str(&qb->sql), -1, stmt, NULL) != SQLITE_OK) {
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(db));
		return -1;
	}
	for (i = 0; i < qb->nbinds; i++) {
		v = &qb->binds[i];
		if (v->ptr != NULL)
			sqlite3_bind_pointer(*stmt, i + 1, (void *)v->ptr, CACHE_ROWSET, NULL);
		else if (v->text != NULL)
			sqlite3_bind_text(*stmt, i + 1, v->text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(*stmt, i + 1, v->i);
	}
	return 0;
}

/* The cursor of the current row: tag, then its keys and id, escaped. */
static void
qb_cursor(const struct qb *qb, sqlite3_stmt *stmt, struct buf *b)
{
	const char *s;
	int i;

	buf_reset(b);
	if (qb->segment == QSEG_EXACT)
		buf_addc(b, 'x');
	qb_cursor_tag(qb, b);
	for (i = 0; i < qb->sort->nkeys + !qb->sort->unique; i++) {
		if (i != 0)
			buf_addc(b, ',');
		if (i < qb->sort->nkeys && qb->sort->keys[i].integer)
			buf_addf(b, "%lld",
			    (long long)sqlite3_column_int64(stmt, i + 1));
		else {
			s = (const char *)sqlite3_column_text(stmt, i + 1);
			qb_escape(b, s != NULL ? s : "");
		}
	}
}

static int
qb_limit(const struct query *q, char **cause)
{
	if (q->limit == 0)
		return QUERY_DEFAULT_LIMIT;
	if (q->limit < 0 || q->limit > QUERY_MAX_LIMIT) {
		*cause = xasprintf("a page has 1 to %d rows", QUERY_MAX_LIMIT);
		return -1;
	}
	return q->limit;
}

/* A walk of the list's index over a set of matches: whether it is to stop. */
struct qb_budget {
	const struct cache_rowset *set;
	size_t		 max;		/* rows it may test before its first match */
	const int	*n;		/* rows passed... */
	int		 n0;		/* ...when it began */
	int		 over;
};

static int
qb_over(void *arg)
{
	struct qb_budget *b = arg;

	if (*b->n == b->n0 && b->set->probes > b->max)
		b->over = 1;
	return b->over;
}

/*
 * Pass the rows of one segment of the list (or of all of it) to cb, after
 * *n rows already passed; the cursor of the last row in cursor. 1 when the
 * page is full and a row follows (that row is not passed), 0 when the
 * segment ran out, 2 when walking the list's index for a set of matches
 * found none within its budget (nothing passed: ask again without the set),
 * -1 on error.
 */
static int
qb_run(struct cache *c, struct qb *qb, int limit, int *n, int *stop, query_row_fn cb,
    void *arg, struct buf *cursor, char **cause)
{
	const struct query *q = qb->q;
	sqlite3_stmt *stmt;
	struct qb_budget budget;
	const char *json;
	size_t len;
	int rc, full = 0, said = 0;

	buf_reset(&qb->sql);
	qb->nbinds = 0;
	qb_list_sql(qb, limit + 1 - *n);	/* one more tells if a next page exists */
	if (qb_prepare(c, qb, &stmt, cause) != 0)
		return -1;
	budget.set = &qb->rowset;
	budget.max = qb->rowset.n * QUERY_WALK_PER_MATCH;
	budget.n = n;
	budget.n0 = *n;
	budget.over = 0;
	if (qb->common && qb->rowset.v != NULL && qb->imatch == NULL) {
		/* (Rows narrowed by sd_match() cost as much either way.) */
		qb->rowset.probes = 0;
		sqlite3_progress_handler(cache_db(c), 1000, qb_over, &budget);
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == limit || *stop) {
			full = 1;
			rc = SQLITE_DONE;
			break;
		}
		(*n)++;
		if ((json = cache_column_json(c, q->kind, stmt, 0, &len)) == NULL) {
			*cause = xasprintf("cache: a stored %s cannot be read; run 'shopdesk sync"
			    " --full'", kind_info(q->kind)->name);
			rc = SQLITE_ERROR;
			said = 1;
			break;
		}
		*stop = cb(arg, json);
		qb_cursor(qb, stmt, cursor);
	}
	if (qb->common && qb->rowset.v != NULL && qb->imatch == NULL)
		sqlite3_progress_handler(cache_db(c), 0, NULL, NULL);
	if (budget.over) {
		sqlite3_finalize(stmt);
		return 2;
	}
	if (rc != SQLITE_DONE && !said)	/* *cause is not read: it may hold anything */
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(cache_db(c)));
	sqlite3_finalize(stmt);
	return rc != SQLITE_DONE ? -1 : full;
}

/* A row qb_ordered() found. */
struct qrow {
	char		*json;
	long long	 rowid;
};

/*
 * Orders by text in their list's order (their rowids) straight from the
 * full-text index, whose rowids are the table's: its matches read from
 * the cursor on, newest first (or oldest), each row looked up and tested
 * against the other filters, until a page is found. A term in 100,000
 * orders costs a page, not 100,000 rows sorted. Returns as qb_run() does; 2 when
 * QUERY_ORDERED_BUDGET matches did not fill the page (other filters keep
 * few of them): nothing passed.
 */
static int
qb_ordered(struct cache *c, struct qb *qb, int limit, int *n, int *stop, query_row_fn cb,
    void *arg, struct buf *cursor, char **cause)
{
	sqlite3 *db = cache_db(c);
	sqlite3_stmt *idx = NULL, *row = NULL;
	struct qrow *rows = NULL;
	struct fts_matcher *m;
	const char *json, *ask = qb->narrowed ? qb->imatch : NULL;
	char *match = qb->match, *sql, *scan = NULL;
	size_t len;
	long long lo = LLONG_MIN, hi = LLONG_MAX, rid;
	int need = limit + 1 - *n, nrows = 0, scanned = 0, ridx, rc, i, full = 0;
	char *err = NULL;	/* *cause is the caller's, unread: it may hold anything */

	/* The index asked something broader but quicker: the rows filtered. */
	if (ask == NULL && (scan = qb_index(cache_fts_match_scan(qb->q->text))) != NULL &&
	    (m = cache_fts_matcher(qb->match)) != NULL) {
		cache_fts_matcher_free(m);
		ask = scan;
	}
	if (ask == NULL)
		ask = qb->imatch;	/* a phrase's terms, or NULL */

	/* One row by rowid, with every filter but the text's index. */
	buf_reset(&qb->sql);
	qb->nbinds = 0;
	qb->match = NULL;
	buf_addf(&qb->sql, "SELECT json FROM %s", qb->table);
	qb_where(qb, NULL, 1, 1);
	qb->match = match;
	buf_adds(&qb->sql, strstr(buf_str(&qb->sql), " WHERE ") != NULL ? " AND " : " WHERE ");
	if (ask != NULL) {
		buf_adds(&qb->sql, "sd_match(search, ?) AND ");
		qb_bind_text(qb, qb->match);
	}
	buf_adds(&qb->sql, "rowid = ?");
	ridx = qb->nbinds + 1;
	if (qb_prepare(c, qb, &row, cause) != 0) {
		free(scan);
		return -1;
	}
	if (qb->after && qb->desc)
		hi = qb->after_int[0] - 1;	/* (the cursor's rowid: never LLONG_MIN) */
	else if (qb->after)
		lo = qb->after_int[0] + 1;
	sql = xasprintf("SELECT rowid FROM %s WHERE %s MATCH ?1 AND rowid >= ?2 AND"
	    " rowid <= ?3 ORDER BY rowid%s", qb->fts, qb->fts, qb->desc ? " DESC" : "");
	rc = sqlite3_prepare_v2(db, sql, -1, &idx, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(db));
		sqlite3_finalize(row);
		free(scan);
		return -1;
	}
	sqlite3_bind_text(idx, 1, ask != NULL ? ask : qb->match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(idx, 2, lo);
	sqlite3_bind_int64(idx, 3, hi);
	while ((rc = sqlite3_step(idx)) == SQLITE_ROW) {
		rid = sqlite3_column_int64(idx, 0);
		if (nrows >= need)
			break;
		if (++scanned > QUERY_ORDERED_BUDGET) {
			full = 2;
			break;
		}
		sqlite3_reset(row);
		sqlite3_bind_int64(row, ridx, rid);
		if ((rc = sqlite3_step(row)) == SQLITE_DONE)
			continue;
		if (rc != SQLITE_ROW)
			break;
		if ((json = cache_column_json(c, qb->q->kind, row, 0, &len)) == NULL) {
			err = xasprintf("cache: a stored %s cannot be read; run 'shopdesk sync"
			    " --full'", kind_info(qb->q->kind)->name);
			break;
		}
		rows = xrealloc(rows, (size_t)(nrows + 1) * sizeof *rows);
		rows[nrows].json = xstrndup(json, len);
		rows[nrows++].rowid = rid;
	}
	if (full != 2 && err == NULL && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = xasprintf("cache query: %s", sqlite3_errmsg(db));
	sqlite3_finalize(idx);
	sqlite3_finalize(row);
	if (full != 2 && err == NULL) {
		/* In list order already: the index's, by rowid. */
		for (i = 0; i < nrows; i++) {
			if (*n == limit || *stop) {
				full = 1;
				break;
			}
			(*n)++;
			*stop = cb(arg, rows[i].json);
			buf_reset(cursor);
			qb_cursor_tag(qb, cursor);
			buf_addf(cursor, "%lld", rows[i].rowid);
		}
	}
	for (i = 0; i < nrows; i++)
		free(rows[i].json);
	free(rows);
	free(scan);
	if (err != NULL) {
		*cause = err;
		return -1;
	}
	return full;
}

/*
 * Whether qb_ordered() will ask the index for whole terms only (no prefix
 * query, "x"*): then it reads a page of their rows newest first at once,
 * however many match ("^D56": every number starting 56), and reading the
 * list first to filter its rows (qb_walk()) only costs more.
 */
static int
qb_ordered_quick(const struct qb *qb)
{
	char *scan = NULL;
	const char *ask = qb->narrowed ? qb->imatch : NULL;
	int quick;

	if (qb->q->kind != KIND_ORDER || qb->match == NULL ||
	    (qb->sort != &qs_order_new && qb->sort != &qs_order_old))
		return 0;
	if (ask == NULL && (ask = scan = cache_fts_match_scan(qb->q->text)) == NULL)
		ask = qb->imatch != NULL ? qb->imatch : qb->match;
	quick = strstr(ask, "\"*") == NULL;
	free(scan);
	return quick;
}

/* Rows a walk found, held until it is known to have answered. */
struct walk {
	char	**json;
	char	**cursor;
	int	  n;
	int	  ended;	/* the list ended */
};

static void
walk_free(struct walk *w)
{
	int i;

	for (i = 0; i < w->n; i++) {
		free(w->json[i]);
		free(w->cursor[i]);
	}
	free(w->json);
	free(w->cursor);
	memset(w, 0, sizeof *w);
}

/*
 * Read the list (qb's segment, from its cursor) in order, up to budget
 * rows, and keep the rows whose search document m matches, up to want of
 * them. 1 when that answers the page (want rows, or the end of the list),
 * 0 when the walk gave up (too few matches: the index will answer), -1 on
 * error.
 */
static int
qb_walk(struct cache *c, struct qb *qb, struct fts_matcher *m, int want, int budget,
    struct walk *w, char **cause)
{
	sqlite3_stmt *stmt, *get;
	struct buf cursor;
	const char *json, *doc;
	char *match = qb->match, *sql;
	size_t len;
	int rc, scanned = 0, col = qb->sort->nkeys + 2, answered = -1;

	buf_reset(&qb->sql);
	qb->nbinds = 0;
	qb->match = NULL;	/* the list without the text... */
	qb->walk = 1;		/* ...with each row's search document */
	qb_list_sql(qb, budget);
	qb->match = match;
	qb->walk = 0;
	if (qb_prepare(c, qb, &stmt, cause) != 0)
		return -1;
	sql = xasprintf("SELECT json FROM %s WHERE rowid = ?", qb->table);
	rc = sqlite3_prepare_v2(cache_db(c), sql, -1, &get, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(cache_db(c)));
		sqlite3_finalize(stmt);
		return -1;
	}
	buf_init(&cursor);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		scanned++;
		doc = (const char *)sqlite3_column_text(stmt, col);
		if (cache_fts_matches(m, doc, sqlite3_column_bytes(stmt, col))) {
			/* The object only of a row that matches. */
			sqlite3_reset(get);
			sqlite3_bind_int64(get, 1, sqlite3_column_int64(stmt, 0));
			if (sqlite3_step(get) != SQLITE_ROW ||
			    (json = cache_column_json(c, qb->q->kind, get, 0, &len)) == NULL) {
				*cause = xasprintf("cache: a stored %s cannot be read; run "
				    "'shopdesk sync --full'", kind_info(qb->q->kind)->name);
				answered = -1;
				break;
			}
			w->json = xrealloc(w->json, (size_t)(w->n + 1) * sizeof *w->json);
			w->cursor = xrealloc(w->cursor, (size_t)(w->n + 1) * sizeof *w->cursor);
			w->json[w->n] = xstrndup(json, len);
			qb_cursor(qb, stmt, &cursor);
			w->cursor[w->n++] = xstrdup(buf_str(&cursor));
			if (w->n == want) {
				answered = 1;
				break;
			}
		}
		if (scanned == QUERY_WALK_SAMPLE && w->n < QUERY_WALK_SAMPLE_MIN) {
			answered = 0;
			break;
		}
		/*
		 * At the rate found so far the budget would run out before
		 * want rows: the index answers, without reading the rest.
		 */
		if (scanned % QUERY_WALK_SAMPLE == 0 &&
		    (long)w->n * budget < (long)want * scanned) {
			answered = 0;
			break;
		}
	}
	if (rc == SQLITE_DONE) {
		w->ended = scanned < budget;
		answered = w->ended;
	} else if (rc != SQLITE_ROW && answered != -1) {
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(cache_db(c)));
		answered = -1;
	}
	sqlite3_finalize(stmt);
	sqlite3_finalize(get);
	buf_done(&cursor);
	return answered;
}

/* Pass a walk's rows on as qb_run() passes a segment's. */
static int
walk_run(struct walk *w, int limit, int *n, int *stop, query_row_fn cb, void *arg,
    struct buf *cursor)
{
	int i;

	for (i = 0; i < w->n; i++) {
		if (*n == limit || *stop)
			return 1;
		(*n)++;
		*stop = cb(arg, w->json[i]);
		buf_reset(cursor);
		buf_adds(cursor, w->cursor[i]);
	}
	return w->ended ? 0 : (*n == limit || *stop);
}

/*
 * A list with exact matches of what was typed is two segments: those, then
 * the rest, each in the list's order (read backward: the rest, then those).
 * A cursor in the first carries an 'x'.
 */
int
cache_query(struct cache *c, const struct query *q, query_row_fn cb, void *arg,
    char **next_after, char **cause)
{
	struct qb qb;
	struct buf cursor;
	struct walk w;
	struct fts_matcher *m;
	int limit, rc = 0, n = 0, stop = 0, seg[2], i, first, walked = 0, probed, inorder;

	*next_after = NULL;
	memset(&w, 0, sizeof w);
	if ((limit = qb_limit(q, cause)) < 0)
		return -1;
	if (qb_init(c, &qb, q, cause) != 0 || qb_exact(c, &qb, cause) != 0) {
		qb_done(&qb);
		return -1;
	}
	/* Orders by text: the list is in their rowids' order (cache.h). */
	inorder = q->kind == KIND_ORDER && qb.match != NULL;
	/*
	 * A text most rows match: the list read in order, filtered. Not chats,
	 * found by their messages too, which their search documents lack.
	 */
	if (qb.match != NULL && !qb.scan && !qb.xafter && limit <= QUERY_WALK_MAX_LIMIT &&
	    q->kind != KIND_CONVERSATION &&
	    !(inorder && qb_ordered_quick(&qb)) && (m = cache_fts_matcher(qb.match)) != NULL) {
		qb.segment = qb.exact != NULL ? QSEG_REST : 0;
		rc = qb_walk(c, &qb, m, limit + 1, QUERY_WALK_BUDGET, &w, cause);
		cache_fts_matcher_free(m);
		if (rc < 0) {
			walk_free(&w);
			qb_done(&qb);
			return -1;
		}
		walked = rc == 1;
		if (!walked)
			walk_free(&w);
	}
	/* Orders by text alone (or little else), newest first: from the index. */
	qb.ordered = !walked && inorder && !qb.scan &&
	    (qb.sort == &qs_order_new || qb.sort == &qs_order_old) &&
	    (qb.exact == NULL || (m = cache_fts_matcher(qb.match)) != NULL);
	if (qb.ordered && qb.exact != NULL)
		cache_fts_matcher_free(m);
	/* Neither way answers: the index's matches, read once (not again below). */
	probed = !walked && !qb.ordered;
	if (probed && !qb.scan && qb_probe(c, &qb, cause) != 0) {
		qb_done(&qb);
		return -1;
	}
	rc = 0;
	seg[0] = q->reverse ? QSEG_REST : QSEG_EXACT;
	seg[1] = q->reverse ? QSEG_EXACT : QSEG_REST;
	if (qb.exact == NULL)
		first = 1, seg[1] = 0;		/* one segment: everything */
	else if (!qb.after)
		first = 0;
	else
		first = (qb.xafter ? QSEG_EXACT : QSEG_REST) == seg[0] ? 0 : 1;

	buf_init(&cursor);
	for (i = first; i < 2 && rc == 0; i++) {
		qb.segment = seg[i];
		if (i != first)
			qb.after = 0;	/* the next segment from its start */
		rc = 2;
		if (walked && qb.segment != QSEG_EXACT)
			rc = walk_run(&w, limit, &n, &stop, cb, arg, &cursor);
		else if (qb.ordered && qb.segment != QSEG_EXACT)
			rc = qb_ordered(c, &qb, limit, &n, &stop, cb, arg, &cursor, cause);
		if (rc == 2 && !probed && !(qb.ordered && qb.segment == QSEG_EXACT)) {
			/* The index could not fill the page soon: as before. */
			probed = 1;
			if (qb_probe(c, &qb, cause) != 0) {
				rc = -1;
				break;
			}
		}
		if (rc == 2)
			rc = qb_run(c, &qb, limit, &n, &stop, cb, arg, &cursor, cause);
		if (rc == 2) {
			/* The matches are far down the list: fetch and sort them. */
			free((long long *)qb.rowset.v);
			memset(&qb.rowset, 0, sizeof qb.rowset);
			qb.common = 0;
			rc = qb_run(c, &qb, limit, &n, &stop, cb, arg, &cursor, cause);
		}
	}
	if (rc == 1)
		*next_after = buf_steal(&cursor);
	walk_free(&w);
	buf_done(&cursor);
	qb_done(&qb);
	return rc < 0 ? -1 : 0;
}

struct qstop {
	int	(*fn)(void *);
	void	*arg;
	int	 stopped;
};

static int
qb_progress(void *arg)
{
	struct qstop *s = arg;

	if (!s->stopped && s->fn(s->arg))
		s->stopped = 1;
	return s->stopped;
}

/*
 * Whether many rows of the list match qb's text: of its first
 * QUERY_WALK_SAMPLE rows in order, QUERY_COUNT_DENSE_MIN or more do (and
 * the list has more).
 */
static int
qb_dense(struct cache *c, struct qb *qb, struct fts_matcher *m)
{
	struct walk w;
	int rc, ended;
	char *cause = NULL;

	memset(&w, 0, sizeof w);
	rc = qb_walk(c, qb, m, QUERY_COUNT_DENSE_MIN, QUERY_WALK_SAMPLE, &w, &cause);
	ended = w.ended;
	walk_free(&w);
	free(cause);
	buf_reset(&qb->sql);
	qb->nbinds = 0;
	qb->after = 0;
	return rc == 1 && !ended;
}

/* Close a count's inner SELECT: LIMIT max + 1, none for LONG_MAX. */
static void
qb_count_limit(struct qb *qb, long max)
{
	if (max < LONG_MAX) {
		buf_adds(&qb->sql, " LIMIT ?)");
		qb_bind_int(qb, max + 1);
	} else
		buf_addc(&qb->sql, ')');
}

long
cache_query_count_max(struct cache *c, const struct query *q, long max, int (*stop)(void *),
    void *arg, char **cause)
{
	sqlite3 *db = cache_db(c);
	sqlite3_stmt *stmt;
	struct qb qb;
	struct qstop qs = { stop, arg, 0 };
	struct fts_matcher *m = NULL;
	char *match;
	long n = -1;
	int rc;

	if (qb_init(c, &qb, q, cause) != 0) {
		qb_done(&qb);
		return -1;
	}
	qb.after = 0;
	if (qb.match != NULL && max < LONG_MAX && q->kind != KIND_CONVERSATION &&
	    (qb.narrowed || strstr(qb.imatch != NULL ? qb.imatch : qb.match, "\"*") != NULL) &&
	    (m = cache_fts_matcher(qb.match)) != NULL &&
	    qb_dense(c, &qb, m)) {
		/*
		 * Most rows match: counting through the index would merge the
		 * lists of every term of a short prefix. Count rows by their
		 * search documents instead, up to max + 1.
		 */
		match = qb.match;
		qb.match = NULL;
		buf_adds(&qb.sql, "SELECT count(*) FROM (SELECT 1 FROM ");
		buf_adds(&qb.sql, qb.table);
		qb_where(&qb, NULL, 1, 0);
		qb.match = match;
		buf_adds(&qb.sql, strstr(buf_str(&qb.sql), " WHERE ") != NULL ? " AND" : " WHERE");
		buf_adds(&qb.sql, " sd_match(search, ?) LIMIT ?)");
		qb_bind_text(&qb, qb.match);
		qb_bind_int(&qb, max + 1);
	} else if (qb.match != NULL && qb.imatch == NULL && !qb.filtered && !qb.scan &&
	    q->kind != KIND_CONVERSATION) {
		/*
		 * Text alone: count the full-text index's matches (its rows are
		 * the table's, kept by trigger) instead of looking up every
		 * matching row: 3 ms rather than 70 ms for a term in 62,000 of
		 * 1,000,000 orders.
		 */
		buf_addf(&qb.sql, "SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s MATCH ?",
		    qb.fts, qb.fts);
		qb_bind_text(&qb, qb.match);
		qb_count_limit(&qb, max);
	} else {
		/*
		 * Up to max + 1 rows, each looked up and (a phrase, a narrowed
		 * text) tested: 沈阳市 in 1,000,000 orders is 1,001 rows
		 * tested rather than the 30,000 with both its bigrams (460 ms).
		 */
		buf_addf(&qb.sql, "SELECT count(*) FROM (SELECT 1 FROM %s", qb.table);
		qb_where(&qb, NULL, 1, 0);
		qb_count_limit(&qb, max);
	}
	cache_fts_matcher_free(m);
	if (qb_prepare(c, &qb, &stmt, cause) != 0) {
		qb_done(&qb);
		return -1;
	}
	/* Every 10,000 virtual machine steps, about every 50 us. */
	if (stop != NULL)
		sqlite3_progress_handler(db, 10000, qb_progress, &qs);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(stmt, 0);
	else if (qs.stopped)
		n = -2;
	else
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(db));
	if (stop != NULL)
		sqlite3_progress_handler(db, 0, NULL, NULL);
	sqlite3_finalize(stmt);
	qb_done(&qb);
	return n > max ? max + 1 : n;
}

long
cache_query_count_until(struct cache *c, const struct query *q, int (*stop)(void *),
    void *arg, char **cause)
{
	return cache_query_count_max(c, q, LONG_MAX, stop, arg, cause);
}

long
cache_query_count(struct cache *c, const struct query *q, char **cause)
{
	return cache_query_count_until(c, q, NULL, NULL, cause);
}

char *
cache_query_explain(struct cache *c, const struct query *q, char **cause)
{
	sqlite3_stmt *stmt;
	struct qb qb;
	struct buf out;
	const char *s;
	int limit, rc;

	if ((limit = qb_limit(q, cause)) < 0)
		return NULL;
	if (qb_init(c, &qb, q, cause) != 0 || qb_probe(c, &qb, cause) != 0) {
		qb_done(&qb);
		return NULL;
	}
	buf_adds(&qb.sql, "EXPLAIN QUERY PLAN ");
	qb_list_sql(&qb, limit + 1);
	if (qb_prepare(c, &qb, &stmt, cause) != 0) {
		qb_done(&qb);
		return NULL;
	}
	buf_init(&out);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(stmt, 3);
		buf_addf(&out, "%s\n", s != NULL ? s : "");
	}
	sqlite3_finalize(stmt);
	qb_done(&qb);
	if (rc != SQLITE_DONE) {
		*cause = xasprintf("cache query: %s", sqlite3_errmsg(cache_db(c)));
		buf_done(&out);
		return NULL;
	}
	return buf_steal(&out);
}

/*
 * The prefix is a range on the column's index (col >= 'SO1' AND col < 'SO2'),
 * so completing an order id is as quick on a million orders as on ten: LIKE
 * 'SO1%' would scan them all.
 */
int
cache_prefix_values(struct cache *c, enum sd_kind k, const char *col, const char *prefix,
    int limit, int (*cb)(void *, const char *), void *arg)
{
	sqlite3_stmt *stmt;
	char *next = xstrdup(prefix);
	size_t n = strlen(next);
	struct buf sql;
	int rc = -1;

	if ((int)k < 0 || k >= KIND__COUNT || (strcmp(col, "id") != 0 &&
	    !(k == KIND_CANNED_REPLY && strcmp(col, "shortcut") == 0))) {
		free(next);
		return -1;
	}
	/* The first string above all those that start with prefix: "SO2" for "SO1". */
	while (n > 0 && (unsigned char)next[n - 1] == 0xff)
		next[--n] = '\0';
	buf_init(&sql);
	buf_addf(&sql, "SELECT DISTINCT %s FROM %s WHERE %s >= ?1", col, kind_info(k)->table,
	    col);
	if (n > 0) {
		next[n - 1]++;
		buf_addf(&sql, " AND %s < ?2", col);
	}
	buf_addf(&sql, " ORDER BY %s LIMIT %d", col, limit);
	if (sqlite3_prepare_v2(cache_db(c), buf_str(&sql), -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, prefix, -1, SQLITE_STATIC);
		if (n > 0)
			sqlite3_bind_text(stmt, 2, next, -1, SQLITE_STATIC);
		while (sqlite3_step(stmt) == SQLITE_ROW &&
		    cb(arg, (const char *)sqlite3_column_text(stmt, 0)) == 0)
			;
		sqlite3_finalize(stmt);
		rc = 0;
	}
	buf_done(&sql);
	free(next);
	return rc;
}
