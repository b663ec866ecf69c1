/*
 * action-price.c -- many SKUs repriced at once (action.h).
 *
 * A change (a percentage, an amount or a new price) is applied to each SKU
 * of a list, and each new price becomes an ordinary "stock price" action,
 * prepared exactly as one typed alone: the same under-cost refusal unless
 * confirmed, the same flag on a change over half, the same history at the
 * store. The result is an action_batch, so that the CLI and the console
 * preview and queue it as they do a CSV file of prices.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action-internal.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define PERCENT_MAX	100000LL	/* +1000.00 %, in hundredths of a percent */

/* "12.5" (at most two decimals) in hundredths into *out; -1 when not a number. */
static int
parse_hundredths(const char *s, long long *out)
{
	long long v = 0;
	int decimals = -1, digits = 0;

	for (; *s != '\0'; s++) {
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || decimals == 2 || v > PERCENT_MAX * 10)
			return -1;
		v = v * 10 + (*s - '0');
		digits++;
		if (decimals >= 0)
			decimals++;
	}
	if (digits == 0)
		return -1;
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 2; decimals++)
		v *= 10;
	*out = v;
	return 0;
}

int
action_price_change_parse(const char *by, const char *to, struct price_change *c,
    char **cause)
{
	const char *s;
	char *num, *clean, *why = NULL;
	size_t len;
	int sign, rc = -1;

	*cause = NULL;
	if ((by == NULL) == (to == NULL)) {
		*cause = xstrdup("give the change: --by PERCENT%|AMOUNT (-10%, +5.00) or --to "
		    "PRICE, one of them");
		return -1;
	}
	if (to != NULL) {
		c->kind = PRICE_TO;
		if (action_parse_money(to, 1, MONEY_MAX, &c->value, &why) != 0) {
			*cause = xasprintf("--to: %s", why);
			free(why);
			return -1;
		}
		return 0;
	}
	s = by;
	while (*s == ' ')
		s++;
	clean = text_clip(by);
	if (*s != '+' && *s != '-') {
		*cause = xasprintf("--by '%s': say which way with a sign: -10%% lowers, +5.00 "
		    "raises (--to PRICE sets a price)", clean);
		free(clean);
		return -1;
	}
	sign = *s == '-' ? -1 : 1;
	num = xstrdup(s + 1);
	len = strlen(num);
	while (len > 0 && num[len - 1] == ' ')
		num[--len] = '\0';
	if (len > 0 && num[len - 1] == '%') {
		num[--len] = '\0';
		c->kind = PRICE_BY_PERCENT;
		if (parse_hundredths(num, &c->value) != 0 || c->value == 0)
			*cause = xasprintf("--by '%s': a percentage like -10%% or +12.5%% (at most "
			    "two decimals, not zero)", clean);
		else if (sign < 0 && c->value >= 10000)
			*cause = xasprintf("--by '%s': a price cannot fall by 100%% or more", clean);
		else if (c->value > PERCENT_MAX)
			*cause = xasprintf("--by '%s': at most +1000%%", clean);
		else
			rc = 0;
	} else {
		c->kind = PRICE_BY_AMOUNT;
		if (action_parse_money(num, 1, MONEY_MAX, &c->value, &why) != 0)
			*cause = xasprintf("--by '%s': %s", clean, why);
		else
			rc = 0;
	}
	c->value *= sign;
	free(why);
	free(num);
	free(clean);
	return rc;
}

long long
action_price_change_apply(const struct price_change *c, long long old)
{
	long long v, n;

	switch (c->kind) {
	case PRICE_TO:
		v = c->value;
		break;
	case PRICE_BY_AMOUNT:
		v = old + c->value;
		break;
	default:
		/* old * (1 + p/10000), to the fen, half away from zero (prices are > 0). */
		n = old * (10000 + c->value);
		v = (n + 5000) / 10000;
		break;
	}
	return v > 0 && v <= MONEY_MAX ? v : -1;
}

void
action_price_change_text(const struct price_change *c, struct buf *out)
{
	long long a = c->value < 0 ? -c->value : c->value;

	switch (c->kind) {
	case PRICE_TO:
		buf_adds(out, "to ");
		action_format_money(c->value, out);
		break;
	case PRICE_BY_AMOUNT:
		buf_adds(out, c->value < 0 ? "-" : "+");
		action_format_money(a, out);
		break;
	default:
		buf_addf(out, "%s%lld", c->value < 0 ? "-" : "+", a / 100);
		if (a % 100 != 0)
			buf_addf(out, a % 10 != 0 ? ".%02lld" : ".%lld", a % 10 != 0 ? a % 100 :
			    a % 100 / 10);
		buf_adds(out, "%");
		break;
	}
}

/* A bad line: not prepared, error taken over. */
static void
price_bad(struct action_batch *b, long line, const char *id, char *error)
{
	struct action_batch_line *l;

	b->lines = xrealloc(b->lines, (b->n + 1) * sizeof *b->lines);
	l = &b->lines[b->n++];
	memset(l, 0, sizeof *l);
	l->line = line;
	l->id = xstrdup(id);
	l->status = SD_EUSAGE;
	l->error = error;
	b->bad++;
}

struct id_at {
	const char	*id;
	size_t		 at;
};

/* By id, then by position. */
static int
cmp_id_at(const void *a, const void *b)
{
	const struct id_at *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c != 0 ? c : (x->at > y->at) - (x->at < y->at);
}

/*
 * For each id, the index of its first occurrence in ids (itself when it is
 * the first): one sort, not a comparison of every pair. Caller frees.
 */
static size_t *
first_occurrences(const char *const *ids, size_t n)
{
	struct id_at *ord = xcalloc(n, sizeof *ord);
	size_t *first = xcalloc(n, sizeof *first), i, head = 0;

	for (i = 0; i < n; i++) {
		ord[i].id = ids[i];
		ord[i].at = i;
	}
	qsort(ord, n, sizeof *ord, cmp_id_at);
	for (i = 0; i < n; i++) {
		if (strcmp(ord[i].id, ord[head].id) != 0)
			head = i;
		first[ord[i].at] = ord[head].at;
	}
	free(ord);
	return first;
}

static enum sd_status
price_batch(struct cache *cache, const char *const *ids, size_t n,
    const struct price_change *c, time_t now, struct action_batch *b, size_t *unchanged,
    char **cause)
{
	const struct action_def *d = action_find("stock", "price");
	struct action_batch_line *l;
	struct action_ctx ctx;
	const char *values[2] = { NULL, NULL };
	char text[32], *why;
	long long old, price;
	enum sd_status st;
	struct buf m;
	cJSON *sku;
	size_t i, j, *first;

	action_ctx_init(&ctx, cache, d, NULL, values, now, cause);
	if ((st = action_refuse_unoffered(&ctx)) != SD_OK)
		goto out;
	if (!action_role_allows(d, ctx.role)) {
		why = action_roles_text(d->roles);
		st = action_fail(&ctx, SD_EAUTH, "your role (%s) may not %s %s: that needs %s",
		    role_name((enum sd_role)ctx.role), d->name, d->noun, why);
		free(why);
		goto out;
	}
	if (n == 0) {
		st = action_fail(&ctx, SD_EUSAGE, "no SKU to reprice: the list is empty");
		goto out;
	}
	buf_init(&m);
	first = first_occurrences(ids, n);
	for (i = 0; i < n; i++) {
		if ((j = first[i]) < i) {
			price_bad(b, (long)i + 1, ids[i], xasprintf("%s is already on line %zu",
			    ids[i], j + 1));
			continue;
		}
		ctx.id = ids[i];
		if ((sku = action_cached(&ctx, KIND_SKU, ids[i])) == NULL) {
			price_bad(b, (long)i + 1, ids[i], xasprintf("no SKU '%s' in the cache; "
			    "sync, or check the id", ids[i]));
			continue;
		}
		old = json_int(sku, "price", 0);
		cJSON_Delete(sku);
		if ((price = action_price_change_apply(c, old)) < 0) {
			buf_reset(&m);
			action_format_money(old, &m);
			price_bad(b, (long)i + 1, ids[i], xasprintf("%s at %s would fall to zero "
			    "or below", ids[i], buf_str(&m)));
			continue;
		}
		if (price == old) {
			(*unchanged)++;
			continue;
		}
		snprintf(text, sizeof text, "%lld.%02lld", price / 100, price % 100);
		values[0] = text;
		b->lines = xrealloc(b->lines, (b->n + 1) * sizeof *b->lines);
		l = &b->lines[b->n++];
		memset(l, 0, sizeof *l);
		l->line = (long)i + 1;
		l->id = xstrdup(ids[i]);
		ctx.id = l->id;
		ctx.strict = 0;
		if ((l->status = action_prepare_ctx(&ctx, &l->plan)) != SD_OK) {
			l->error = *cause;
			*cause = NULL;
			b->bad++;
		}
		action_ctx_reset(&ctx);
	}
	buf_done(&m);
	free(first);
	if (b->n == 0)
		st = action_fail(&ctx, SD_EUSAGE, "nothing to change: all %zu SKUs are already "
		    "at that price", *unchanged);
out:
	action_ctx_done(&ctx);
	return st;
}

enum sd_status
action_price_batch(struct cache *cache, const char *const *ids, size_t n,
    const struct price_change *c, time_t now, struct action_batch *b, size_t *unchanged,
    char **cause)
{
	enum sd_status st;
	int snap;

	memset(b, 0, sizeof *b);
	b->def = action_find("stock", "price");
	*unchanged = 0;
	*cause = NULL;
	/* Every SKU is read from one snapshot of the cache. */
	snap = cache_read_begin(cache) == 0;
	st = price_batch(cache, ids, n, c, now, b, unchanged, cause);
	if (snap)
		cache_read_end(cache);
	return st;
}

const char *
action_price_line_text(const struct action_batch_line *l)
{
	if (l->error != NULL)
		return l->error;
	if (l->plan.confirm != NULL)
		return l->plan.confirm;
	return l->plan.note != NULL ? l->plan.note : l->plan.summary;
}
