/*
 * i18n.c -- binding the "shopdesk" text domain, and the one table of the
 * Store API's status codes with their display names.
 *
 * Where the catalogue is looked for, in order:
 *   1. $SHOPDESK_LOCALEDIR (tests point it at the build tree);
 *   2. DIR/locale, DIR being the directory of the running binary, when it
 *      exists: the build writes locale/zh_CN/LC_MESSAGES/shopdesk.mo beside
 *      ./shopdesk, so an uninstalled build speaks Chinese too;
 *   3. LOCALEDIR from configure ($(localedir), where make install puts it).
 *
 * The status labels carry a gettext context (the kind) because the same
 * English word is not the same Chinese one everywhere: a "closed" order is
 * 已关闭, a "pending" chat waits on the customer (待客户回复) while
 * "pending" in the status line counts actions not yet synced (待同步).
 */
#include "config.h"

#include <sys/stat.h>

#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xmalloc.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static char i18n_dir[PATH_MAX];

/*
 * Every status code the store sends, by kind, with its English label; the
 * labels are translated with the kind as msgctxt (ui/po/zh_CN.po).
 */
static const struct i18n_label i18n_labels[] = {
	/* orders: the derived display status, then its three dimensions */
	{ "order", "pending_payment", NC_("order", "pending payment") },
	{ "order", "awaiting_shipment", NC_("order", "awaiting shipment") },
	{ "order", "shipped", NC_("order", "shipped") },
	{ "order", "delivered", NC_("order", "delivered") },
	{ "order", "completed", NC_("order", "completed") },
	{ "order", "cancelled", NC_("order", "cancelled") },
	{ "order", "closed", NC_("order", "closed") },
	{ "payment", "unpaid", NC_("payment", "unpaid") },
	{ "payment", "paid", NC_("payment", "paid") },
	{ "payment", "partially_refunded", NC_("payment", "partially refunded") },
	{ "payment", "refunded", NC_("payment", "refunded") },
	{ "payment", "failed", NC_("payment", "payment failed") },
	{ "fulfillment", "unfulfilled", NC_("fulfillment", "unfulfilled") },
	{ "fulfillment", "on_hold", NC_("fulfillment", "on hold") },
	{ "fulfillment", "in_progress", NC_("fulfillment", "being packed") },
	{ "fulfillment", "partially_shipped", NC_("fulfillment", "partially shipped") },
	{ "fulfillment", "shipped", NC_("fulfillment", "shipped") },
	{ "fulfillment", "delivered", NC_("fulfillment", "delivered") },
	{ "lifecycle", "open", NC_("lifecycle", "open") },
	{ "lifecycle", "completed", NC_("lifecycle", "completed") },
	{ "lifecycle", "cancelled", NC_("lifecycle", "cancelled") },
	{ "lifecycle", "closed", NC_("lifecycle", "closed") },
	{ "abnormal", "address", NC_("abnormal", "wrong address") },
	{ "abnormal", "buyer_cancel", NC_("abnormal", "buyer asked to cancel") },
	{ "abnormal", "payment_failed", NC_("abnormal", "payment failed") },
	{ "abnormal", "out_of_stock", NC_("abnormal", "out of stock") },
	{ "abnormal", "fraud", NC_("abnormal", "suspected fraud") },
	/* where an order or a chat came from */
	{ "channel", "web", NC_("channel", "web") },
	{ "channel", "app", NC_("channel", "app") },
	{ "channel", "wechat", NC_("channel", "WeChat") },
	{ "channel", "miniprogram", NC_("channel", "mini program") },
	{ "channel", "email", NC_("channel", "e-mail") },
	{ "channel", "phone", NC_("channel", "phone") },
	{ "payment_method", "alipay", NC_("payment_method", "Alipay") },
	{ "payment_method", "wechat_pay", NC_("payment_method", "WeChat Pay") },
	{ "payment_method", "card", NC_("payment_method", "bank card") },
	{ "payment_method", "cod", NC_("payment_method", "cash on delivery") },
	/* after-sales tickets */
	{ "ticket_kind", "refund_only", NC_("ticket_kind", "refund only") },
	{ "ticket_kind", "return_refund", NC_("ticket_kind", "return and refund") },
	{ "ticket_kind", "exchange", NC_("ticket_kind", "exchange") },
	{ "ticket_kind", "repair", NC_("ticket_kind", "repair") },
	{ "ticket_kind", "reship", NC_("ticket_kind", "reship") },
	{ "ticket_kind", "complaint", NC_("ticket_kind", "complaint") },
	{ "ticket_kind", "logistics", NC_("ticket_kind", "logistics problem") },
	{ "ticket", "requested", NC_("ticket", "requested") },
	{ "ticket", "approved", NC_("ticket", "approved") },
	{ "ticket", "rejected", NC_("ticket", "rejected") },
	{ "ticket", "awaiting_return", NC_("ticket", "awaiting return") },
	{ "ticket", "received", NC_("ticket", "received") },
	{ "ticket", "refunded", NC_("ticket", "refunded") },
	{ "ticket", "exchanged", NC_("ticket", "exchanged") },
	{ "ticket", "reshipped", NC_("ticket", "reshipped") },
	{ "ticket", "in_progress", NC_("ticket", "in progress") },
	{ "ticket", "proposed", NC_("ticket", "solution proposed") },
	{ "ticket", "resolved", NC_("ticket", "resolved") },
	{ "ticket", "closed", NC_("ticket", "closed") },
	{ "priority", "normal", NC_("priority", "normal") },
	{ "priority", "high", NC_("priority", "high") },
	{ "priority", "urgent", NC_("priority", "urgent") },
	{ "sla", "active", NC_("sla", "on time") },
	{ "sla", "warning", NC_("sla", "due soon") },
	{ "sla", "breached", NC_("sla", "overdue") },
	{ "sla", "met", NC_("sla", "met") },
	/* The SLA clock that runs (src/sla.h), or how the clocks ended. */
	{ "sla_phase", "review", NC_("sla_phase", "review") },
	{ "sla_phase", "response", NC_("sla_phase", "response") },
	{ "sla_phase", "pickup", NC_("sla_phase", "pickup") },
	{ "sla_phase", "resolution", NC_("sla_phase", "resolution") },
	{ "sla_phase", "met", NC_("sla_phase", "met") },
	{ "sla_phase", "breached", NC_("sla_phase", "breached") },
	/* chats */
	{ "chat", "new", NC_("chat", "new") },
	{ "chat", "open", NC_("chat", "open") },
	{ "chat", "pending", NC_("chat", "waiting for customer") },
	{ "chat", "snoozed", NC_("chat", "snoozed") },
	{ "chat", "resolved", NC_("chat", "resolved") },
	{ "sort", "new", NC_("sort", "newest first") },
	{ "sort", "old", NC_("sort", "oldest first") },
	{ "sort", "urgency", NC_("sort", "most urgent SLA first") },
	{ "sort", "wait", NC_("sort", "longest wait first") },
	{ "sort", "queue", NC_("sort", "by queue, then wait") },
	{ "sort", "id", NC_("sort", "by SKU") },
	{ "sort", "low", NC_("sort", "lowest stock first") },
	{ "sort", "start", NC_("sort", "latest start first") },
	{ "queue", "presales", NC_("queue", "pre-sales") },
	{ "queue", "aftersales", NC_("queue", "after-sales") },
	{ "queue", "vip", NC_("queue", "VIP") },
	{ "chat_tag", "resolved", NC_("chat_tag", "resolved") },
	{ "chat_tag", "no_reply", NC_("chat_tag", "no reply") },
	{ "chat_tag", "spam", NC_("chat_tag", "spam") },
	{ "chat_tag", "transferred", NC_("chat_tag", "transferred") },
	{ "chat_tag", "order_issue", NC_("chat_tag", "order issue") },
	{ "chat_tag", "presales_question", NC_("chat_tag", "pre-sales question") },
	{ "author", "customer", NC_("author", "customer") },
	{ "author", "agent", NC_("author", "agent") },
	{ "author", "bot", NC_("author", "bot") },
	{ "author", "system", NC_("author", "system") },
	/* catalogue, stock and promotions */
	{ "shelf", "on", NC_("shelf", "on shelf") },
	{ "shelf", "off", NC_("shelf", "off shelf") },
	/* the Inventory list's SHELF column, 5 wide: "on shelf" showed as "on s…" */
	{ "shelf_short", "on", NC_("shelf_short", "on") },
	{ "shelf_short", "off", NC_("shelf_short", "off") },
	{ "stock_reason", "inbound", NC_("stock_reason", "inbound") },
	{ "stock_reason", "sale", NC_("stock_reason", "sale") },
	{ "stock_reason", "return", NC_("stock_reason", "return") },
	{ "stock_reason", "damage", NC_("stock_reason", "damage") },
	{ "stock_reason", "count", NC_("stock_reason", "stock count") },
	{ "promo_kind", "threshold_coupon", NC_("promo_kind", "spend-and-save coupon") },
	{ "promo_kind", "percent_coupon", NC_("promo_kind", "percentage coupon") },
	{ "promo_kind", "fixed_coupon", NC_("promo_kind", "fixed discount coupon") },
	{ "promo_kind", "new_customer_coupon", NC_("promo_kind", "new customer coupon") },
	{ "promo_kind", "flash_sale", NC_("promo_kind", "flash sale") },
	{ "promo_kind", "tiered", NC_("promo_kind", "tiered discount") },
	{ "promo_kind", "n_items", NC_("promo_kind", "N-item discount") },
	{ "promo_kind", "bundle", NC_("promo_kind", "bundle") },
	{ "promo_kind", "member_price", NC_("promo_kind", "member price") },
	{ "promo_kind", "group_buy", NC_("promo_kind", "group buy") },
	{ "promo", "draft", NC_("promo", "draft") },
	{ "promo", "scheduled", NC_("promo", "scheduled") },
	{ "promo", "active", NC_("promo", "active") },
	{ "promo", "ended", NC_("promo", "ended") },
	/* people */
	{ "level", "normal", NC_("level", "normal") },
	{ "level", "gold", NC_("level", "gold") },
	{ "level", "diamond", NC_("level", "diamond") },
	{ "role", "admin", NC_("role", "administrator") },
	{ "role", "ops", NC_("role", "operations") },
	{ "role", "finance", NC_("role", "finance") },
	{ "role", "agent", NC_("role", "customer service") },
	{ "role", "warehouse", NC_("role", "warehouse") },
	/* what an order's timeline and a ticket's history record (the store's words) */
	{ "order_event", "created", NC_("order_event", "created") },
	{ "order_event", "paid", NC_("order_event", "paid") },
	{ "order_event", "payment_failed", NC_("order_event", "payment failed") },
	{ "order_event", "shipped", NC_("order_event", "shipped") },
	{ "order_event", "shipment_corrected", NC_("order_event", "shipment corrected") },
	{ "order_event", "delivered", NC_("order_event", "delivered") },
	{ "order_event", "completed", NC_("order_event", "completed") },
	{ "order_event", "cancelled", NC_("order_event", "cancelled") },
	{ "order_event", "closed", NC_("order_event", "closed") },
	{ "order_event", "flagged", NC_("order_event", "flagged abnormal") },
	{ "order_event", "unflagged", NC_("order_event", "abnormal cleared") },
	{ "order_event", "note", NC_("order_event", "note") },
	{ "order_event", "address_changed", NC_("order_event", "address changed") },
	{ "order_event", "refunded", NC_("order_event", "refunded") },
	{ "ticket_event", "create", NC_("ticket_event", "requested") },
	{ "ticket_event", "assign", NC_("ticket_event", "assigned") },
	{ "ticket_event", "approve", NC_("ticket_event", "approved") },
	{ "ticket_event", "reject", NC_("ticket_event", "rejected") },
	{ "ticket_event", "receive", NC_("ticket_event", "return received") },
	{ "ticket_event", "refund", NC_("ticket_event", "refunded") },
	{ "ticket_event", "refund_request", NC_("ticket_event", "refund sent to finance") },
	{ "ticket_event", "decline", NC_("ticket_event", "refund declined") },
	{ "ticket_event", "escalate", NC_("ticket_event", "escalated") },
	{ "ticket_event", "start", NC_("ticket_event", "work started") },
	{ "ticket_event", "propose", NC_("ticket_event", "solution proposed") },
	{ "ticket_event", "resolve", NC_("ticket_event", "resolved") },
	{ "ticket_event", "close", NC_("ticket_event", "closed") },
	{ "ticket_event", "exchange", NC_("ticket_event", "exchanged") },
	{ "ticket_event", "reship", NC_("ticket_event", "reshipped") },
	{ "actor", "system", NC_("actor", "system") },
	/* the local outbox of actions not yet applied by the store */
	{ "outbox", "queued", NC_("outbox", "queued") },
	{ "outbox", "sending", NC_("outbox", "sending") },
	{ "outbox", "conflict", NC_("outbox", "conflict") },
	{ "outbox", "failed", NC_("outbox", "failed") },
	{ "outbox", "applied", NC_("outbox", "applied") },
	{ "outbox", "dropped", NC_("outbox", "dropped") },
};

/* What a kind of code is called in a message: "unknown order status 'x'". */
static const struct {
	const char	*kind;
	const char	*what;
} i18n_kinds[] = {
	{ "order", N_("order status") },
	{ "payment", N_("payment status") },
	{ "fulfillment", N_("fulfillment status") },
	{ "lifecycle", N_("order lifecycle state") },
	{ "abnormal", N_("abnormal order reason") },
	{ "channel", N_("channel") },
	{ "payment_method", N_("payment method") },
	{ "ticket_kind", N_("ticket kind") },
	{ "ticket", N_("ticket status") },
	{ "priority", N_("priority") },
	{ "sla", N_("SLA state") },
	{ "sla_phase", N_("SLA clock") },
	{ "chat", N_("conversation status") },
	{ "queue", N_("queue") },
	{ "chat_tag", N_("closing tag") },
	{ "author", N_("message author") },
	{ "shelf", N_("shelf state") },
	{ "stock_reason", N_("stock change reason") },
	{ "promo_kind", N_("promotion kind") },
	{ "promo", N_("promotion status") },
	{ "level", N_("member level") },
	{ "role", N_("role") },
	{ "outbox", N_("outbox state") },
	{ "carrier", N_("carrier") },
	{ "order_event", N_("order event") },
	{ "ticket_event", N_("ticket event") },
	{ "actor", N_("actor") },
};

/* Whether path is a directory. */
static int
i18n_is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* DIR/locale beside the running binary into out, or 0 when there is none. */
static int
i18n_exe_localedir(char *out, size_t size)
{
	char exe[PATH_MAX], *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0 || (size_t)n >= sizeof exe - 1)
		return 0;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return 0;
	*slash = '\0';
	if ((size_t)snprintf(out, size, "%s/locale", exe) >= size)
		return 0;
	return i18n_is_dir(out);
}

/*
 * LANG=zh_CN.UTF-8 on a machine where that locale was never generated:
 * setlocale() refuses it and everything would be English and ASCII. Take
 * glibc's built-in C.UTF-8 instead (CJK widths stay right) and ask for the
 * language through LANGUAGE, which glibc's gettext honours in any locale but
 * plain "C". A LANGUAGE the user set is left alone.
 */
static void
i18n_locale_fallback(void)
{
	const char *want = NULL, *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	char lang[64];
	size_t i, n;

	for (i = 0; i < sizeof names / sizeof names[0] && want == NULL; i++) {
		want = getenv(names[i]);
		if (want != NULL && *want == '\0')
			want = NULL;
	}
	if (setlocale(LC_ALL, "C.UTF-8") == NULL || want == NULL)
		return;
	n = strcspn(want, ".@");
	if (n == 0 || n >= sizeof lang || strncmp(want, "C", n) == 0 ||
	    strncmp(want, "POSIX", n) == 0)
		return;
	memcpy(lang, want, n);
	lang[n] = '\0';
	setenv("LANGUAGE", lang, 0);
}

/* Where the catalogues are, into i18n_dir (see the top of the file). */
static void
i18n_find_dir(void)
{
	const char *env = getenv("SHOPDESK_LOCALEDIR");

	if (env != NULL && *env != '\0' && strlen(env) < sizeof i18n_dir)
		strcpy(i18n_dir, env);
	else if (!i18n_exe_localedir(i18n_dir, sizeof i18n_dir))
		snprintf(i18n_dir, sizeof i18n_dir, "%s", LOCALEDIR);
}

void
i18n_init(void)
{
	const char *cur;

	/* A program that chose its locale already keeps it. */
	cur = setlocale(LC_ALL, NULL);
	if ((cur == NULL || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0) &&
	    setlocale(LC_ALL, "") == NULL)
		i18n_locale_fallback();
	/* Numbers are read and written the C way (JSON, amounts, config). */
	setlocale(LC_NUMERIC, "C");

	i18n_find_dir();
	bindtextdomain(I18N_DOMAIN, i18n_dir);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	textdomain(I18N_DOMAIN);
}

const char *
i18n_localedir(void)
{
	return i18n_dir[0] != '\0' ? i18n_dir : LOCALEDIR;
}

const char *
i18n_bulk_step(int step)
{
	/* In the order of enum cache_bulk_step (cache.h), from 1. */
	static const char *const names[] = {
		N_("day figures"), N_("list indexes"), N_("full-text search"),
		N_("saving")
	};

	if (step < 1 || step > (int)(sizeof names / sizeof names[0]))
		return "";
	return _(names[step - 1]);
}

/* gettext with a context: msgctxt and msgid joined by EOT, as xgettext writes them. */
static const char *
i18n_pgettext(const char *ctx, const char *msgid)
{
	char key[256];
	const char *t;

	if ((size_t)snprintf(key, sizeof key, "%s\004%s", ctx, msgid) >= sizeof key)
		return msgid;
	t = dgettext(I18N_DOMAIN, key);
	return t == key ? msgid : t;
}

const char *
i18n_status(const char *kind, const char *code)
{
	size_t i;

	if (code == NULL)
		return "";
	if (kind == NULL)
		return code;
	for (i = 0; i < sizeof i18n_labels / sizeof i18n_labels[0]; i++) {
		if (strcmp(i18n_labels[i].kind, kind) == 0 &&
		    strcmp(i18n_labels[i].code, code) == 0)
			return i18n_pgettext(kind, i18n_labels[i].label);
	}
	return code;
}

const struct i18n_label *
i18n_status_table(size_t *n)
{
	*n = sizeof i18n_labels / sizeof i18n_labels[0];
	return i18n_labels;
}

/*
 * The zh_CN catalogue read whole, so that a value typed in Chinese is
 * understood in any locale: gettext only translates into the locale's
 * language, and a script run from cron has none. The file is the one
 * gettext reads (a GNU .mo: a header of 32-bit words in the writer's byte
 * order, then tables of (length, offset) for the msgids and the msgstrs).
 */
#define MO_MAGIC	0x950412deU
#define MO_MAX		(16 * 1024 * 1024)

static struct {
	int		 tried;
	unsigned char	*data;
	size_t		 size;
	int		 swap;		/* written in the other byte order */
} i18n_zh_mo;

static uint32_t
i18n_mo_word(size_t off)
{
	const unsigned char *p = i18n_zh_mo.data + off;

	if (i18n_zh_mo.swap)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void
i18n_zh_load(void)
{
	char path[PATH_MAX];
	unsigned char *data = NULL;
	struct stat sb;
	FILE *f;

	i18n_zh_mo.tried = 1;
	if (i18n_dir[0] == '\0')
		i18n_find_dir();
	if ((size_t)snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/%s.mo", i18n_dir,
	    I18N_DOMAIN) >= sizeof path || (f = fopen(path, "rb")) == NULL)
		return;
	if (fstat(fileno(f), &sb) != 0 || sb.st_size < 28 || sb.st_size > MO_MAX)
		goto out;
	data = xmalloc((size_t)sb.st_size);
	if (fread(data, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size)
		goto out;
	i18n_zh_mo.data = data;
	i18n_zh_mo.size = (size_t)sb.st_size;
	if (i18n_mo_word(0) != MO_MAGIC) {
		i18n_zh_mo.swap = 1;
		if (i18n_mo_word(0) != MO_MAGIC)
			i18n_zh_mo.data = NULL;
	}
out:
	if (i18n_zh_mo.data == NULL)
		free(data);
	fclose(f);
}

/* The string of the (length, offset) pair at off, when it lies in the file. */
static const char *
i18n_mo_string(size_t off, size_t *len)
{
	size_t size = i18n_zh_mo.size;
	uint32_t n, at;

	if (off > size - 8)
		return NULL;
	n = i18n_mo_word(off);
	at = i18n_mo_word(off + 4);
	if (at >= size || n >= size - at || i18n_zh_mo.data[at + n] != '\0')
		return NULL;
	*len = n;
	return (const char *)i18n_zh_mo.data + at;
}

/* The zh_CN translation of msgid in context ctx (NULL: none), or NULL. */
static const char *
i18n_zh(const char *ctx, const char *msgid)
{
	size_t i, n, orig, trans, len, clen = ctx != NULL ? strlen(ctx) : 0;
	size_t mlen = strlen(msgid);
	const char *k, *t;

	if (!i18n_zh_mo.tried)
		i18n_zh_load();
	if (i18n_zh_mo.data == NULL)
		return NULL;
	n = i18n_mo_word(8);
	orig = i18n_mo_word(12);
	trans = i18n_mo_word(16);
	for (i = 0; i < n; i++) {
		if ((k = i18n_mo_string(orig + i * 8, &len)) == NULL)
			return NULL;
		if (ctx == NULL) {
			if (len != mlen || memcmp(k, msgid, mlen) != 0)
				continue;
		} else if (len != clen + 1 + mlen || memcmp(k, ctx, clen) != 0 ||
		    k[clen] != '\004' || memcmp(k + clen + 1, msgid, mlen) != 0)
			continue;
		if ((t = i18n_mo_string(trans + i * 8, &len)) == NULL || len == 0)
			return NULL;
		return t;
	}
	return NULL;
}

/* Edit distance between a and b (bytes), at most max + 1. */
static int
i18n_distance(const char *a, const char *b, int max)
{
	int row[64], i, j, prev, cur, best;
	size_t na = strlen(a), nb = strlen(b);

	if (nb >= sizeof row / sizeof row[0] || (na > nb ? na - nb : nb - na) > (size_t)max)
		return max + 1;
	for (j = 0; j <= (int)nb; j++)
		row[j] = j;
	for (i = 1; i <= (int)na; i++) {
		prev = row[0];
		row[0] = best = i;
		for (j = 1; j <= (int)nb; j++) {
			cur = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j] > cur + 1)
				row[j] = cur + 1;
			if (row[j] > row[j - 1] + 1)
				row[j] = row[j - 1] + 1;
			prev = cur;
			if (row[j] < best)
				best = row[j];
		}
		if (best > max)
			return max + 1;
	}
	return row[nb] > max ? max + 1 : row[nb];
}

/* What someone who typed a value that is no code may have meant. */
struct i18n_guess {
	const char	*typed;		/* folded */
	const char	*code;		/* the nearest so far */
	int		 distance;
	const char	*prefix_of;	/* the one code typed begins, or NULL */
	int		 prefixes;
};

/* Weigh name, one of the names of code, as what g->typed meant. */
static void
i18n_guess_add(struct i18n_guess *g, const char *code, const char *name)
{
	char f[128];
	size_t n = strlen(g->typed);
	int d;

	if (name == NULL || text_fold_name(name, f, sizeof f) != 0)
		return;
	d = i18n_distance(g->typed, f, 2);
	if (d < g->distance && (size_t)d < n) {
		g->distance = d;
		g->code = code;
	}
	if (n >= 3 && strncmp(f, g->typed, n) == 0 && g->prefix_of != code) {
		g->prefix_of = code;
		g->prefixes++;
	}
}

/* The code of kind that s names, or NULL. */
static const char *
i18n_code_of(const char *kind, const char *s)
{
	const struct carrier_info *ci;
	const char *name;
	size_t i, n = sizeof i18n_labels / sizeof i18n_labels[0];
	int pass;

	if (strcmp(kind, "carrier") == 0)
		return (ci = carrier_resolve(s)) != NULL ? ci->code : NULL;
	/* The codes first, then the English labels, then the Chinese ones. */
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < n; i++) {
			if (strcmp(i18n_labels[i].kind, kind) != 0)
				continue;
			name = pass == 0 ? i18n_labels[i].code : pass == 1 ? i18n_labels[i].label :
			    i18n_zh(kind, i18n_labels[i].label);
			if (name != NULL && text_name_eq(name, s))
				return i18n_labels[i].code;
		}
	}
	return NULL;
}

/* Why s is no code of kind: the codes there are, and a guess (caller frees). */
static char *
i18n_refusal(const char *kind, const char *s)
{
	const struct carrier_info *ci;
	const char *what = kind;
	struct i18n_guess g;
	struct buf b;
	char typed[128], *clean, *cause;
	size_t i, j;

	for (i = 0; i < sizeof i18n_kinds / sizeof i18n_kinds[0]; i++)
		if (strcmp(i18n_kinds[i].kind, kind) == 0)
			what = _(i18n_kinds[i].what);
	memset(&g, 0, sizeof g);
	g.distance = 3;
	if (text_fold_name(s, typed, sizeof typed) != 0)
		typed[0] = '\0';
	g.typed = typed;
	buf_init(&b);
	if (strcmp(kind, "carrier") == 0) {
		for (ci = carriers; ci->code != NULL; ci++) {
			buf_addf(&b, "%s%s", b.len ? ", " : "", ci->code);
			i18n_guess_add(&g, ci->code, ci->code);
			i18n_guess_add(&g, ci->code, ci->name_en);
			for (j = 0; j < sizeof ci->aliases / sizeof ci->aliases[0] &&
			    ci->aliases[j] != NULL; j++)
				i18n_guess_add(&g, ci->code, ci->aliases[j]);
		}
	}
	for (i = 0; i < sizeof i18n_labels / sizeof i18n_labels[0]; i++) {
		if (strcmp(i18n_labels[i].kind, kind) != 0)
			continue;
		buf_addf(&b, "%s%s", b.len ? ", " : "", i18n_labels[i].code);
		i18n_guess_add(&g, i18n_labels[i].code, i18n_labels[i].code);
		i18n_guess_add(&g, i18n_labels[i].code, i18n_labels[i].label);
	}
	if (g.code == NULL && g.prefixes == 1)
		g.code = g.prefix_of;
	clean = text_clip(s);
	if (b.len == 0)
		cause = xasprintf(_("no values of the kind '%s'"), kind);
	else {
		/* The guess first: a status line cuts the end of a long list. */
		if (g.code != NULL)
			cause = xasprintf(_("unknown %s '%s' (did you mean '%s'?); one of: %s"),
			    what, clean, g.code, buf_str(&b));
		else
			cause = xasprintf(_("unknown %s '%s'; one of: %s"), what, clean,
			    buf_str(&b));
	}
	free(clean);
	buf_done(&b);
	return cause;
}

const char *
i18n_status_code(const char *kind, const char *s, char **cause)
{
	const char *code;

	if ((code = i18n_code_of(kind, s)) == NULL)
		*cause = i18n_refusal(kind, s);
	return code;
}

const char *
i18n_status_kind(enum sd_kind k)
{
	switch (k) {
	case KIND_ORDER:
		return "order";
	case KIND_TICKET:
		return "ticket";
	case KIND_CONVERSATION:
		return "chat";
	case KIND_PROMOTION:
		return "promo";
	default:
		return NULL;
	}
}

/*
 * The code a search term names (cache_fts_set_alias()): a ticket kind, a
 * carrier, a queue, a member level, a promotion kind or a channel by its
 * name in either language ("退货退款", "顺丰", "售前", "金卡"), so that
 * searching for it finds what holds the code. NULL when the term is no
 * name, or the code itself (that finds itself).
 */
const char *
i18n_search_alias(const char *term)
{
	static const char *const kinds[] = {
		"ticket_kind", "carrier", "queue", "level", "promo_kind", "channel"
	};
	const char *code;
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if ((code = i18n_code_of(kinds[i], term)) != NULL)
			return text_name_eq(code, term) ? NULL : code;
	}
	return NULL;
}

/*
 * Column names the CLI's lists have and no pane shows, marked here so
 * that they are translated (the panes' own are marked in their tables).
 */
static const char *const i18n_cli_headers[] = {
	N_("FLAG"), N_("WARN"), N_("VARIANT"), N_("PRODUCT"), N_("SPENT"), N_("LAST MESSAGE"),
	N_("AMOUNT"), N_("DUE"), N_("SHORTCUT"), N_("TEXT"), N_("LANG"), N_("ITEMS"),
};

const char *
i18n_in_lang(const char *lang, const char *msgid)
{
	const char *t;

	(void)i18n_cli_headers;
	if (strcmp(lang, "zh") == 0 && (t = i18n_zh(NULL, msgid)) != NULL)
		return t;
	if (strcmp(lang, "ui") == 0)
		return _(msgid);
	return msgid;
}
