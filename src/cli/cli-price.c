/*
 * cli-price.c -- "shopdesk stock reprice": many SKUs' prices changed at
 * once, by a percentage (--by -10%), an amount (--by +5.00) or to a price
 * (--to 99.00), on the SKUs named or those a filter finds.
 *
 * Every old -> new price is printed first, those under cost and those
 * changed by more than half marked with '!'; nothing is queued until the
 * person at the terminal says yes, or a script gives --yes. Each SKU is
 * then an ordinary stock price action in the outbox (action-price.c), all
 * queued in one durable transaction.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "cache-category.h"
#include "cache-query.h"
#include "cli/cli.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define REPRICE_MAX	10000	/* SKUs in one change */

enum { O_BY = 256, O_TO, O_QUERY, O_LOW, O_ALL, O_YES, O_DRY_RUN, O_WAIT, O_FORMAT, O_SKIP_BAD,
    O_CATEGORY };

const struct cli_option cli_opts_reprice[] = {
	{ "by", required_argument, O_BY, 0, "CHANGE", NULL,
	  N_("a percentage (-10%, +12.5%) or an amount in yuan (+5.00, -3)") },
	{ "to", required_argument, O_TO, 0, "YUAN", NULL, N_("one new price for them all") },
	{ "query", required_argument, O_QUERY, 'q', "TEXT", NULL,
	  N_("the SKUs a full-text search finds") },
	{ "low", no_argument, O_LOW, 0, NULL, NULL, N_("the SKUs at or below their safety stock") },
	{ "category", required_argument, O_CATEGORY, 0, "ID|NAME|PATH", "category",
	  N_("the SKUs in this category or one below it (id, name, or path such as 手机数码/手机)") },
	{ "all", no_argument, O_ALL, 0, NULL, NULL, N_("every cached SKU") },
	{ "yes", no_argument, O_YES, 0, NULL, NULL, N_("queue without asking, after the preview") },
	{ "skip-bad", no_argument, O_SKIP_BAD, 0, NULL, NULL,
	  N_("change the others when some SKUs cannot be (not cached, price to zero)") },
	{ "dry-run", no_argument, O_DRY_RUN, 0, NULL, NULL, N_("the preview only, queue nothing") },
	{ "wait", optional_argument, O_WAIT, 0, "SECONDS", NULL,
	  N_("send them now and wait for the store's answer (30 s)") },
	{ "format", required_argument, O_FORMAT, 0, "text|json", "|text|json",
	  N_("how queued entries are printed") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

struct id_list {
	char	**v;
	size_t	 n;
};

static int
collect_id(void *arg, const char *json)
{
	struct id_list *l = arg;
	cJSON *o = cJSON_Parse(json);
	const cJSON *id = o != NULL ? cJSON_GetObjectItemCaseSensitive(o, "id") : NULL;

	if (cJSON_IsString(id)) {
		l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n++] = xstrdup(id->valuestring);
	}
	cJSON_Delete(o);
	return l->n > REPRICE_MAX;
}

/* The SKUs of a filter, in the list's order; -1 with *cause. */
static int
collect_filter(struct cli *cli, const char *text, int low, const char *category,
    struct id_list *l, char **cause)
{
	struct query q;
	char *after = NULL, *next = NULL;

	memset(&q, 0, sizeof q);
	q.kind = KIND_SKU;
	q.text = text;
	q.low_stock = low;
	q.category = category;
	q.limit = 500;
	do {
		q.after = after;
		if (cache_query(cli->cache, &q, collect_id, l, &next, cause) != 0) {
			free(after);
			return -1;
		}
		free(after);
		after = next;
		next = NULL;
	} while (after != NULL && l->n <= REPRICE_MAX);
	free(after);
	if (l->n > REPRICE_MAX) {
		*cause = xasprintf(_("the filter finds more than %d SKUs: narrow it"), REPRICE_MAX);
		return -1;
	}
	return 0;
}

enum sd_status
cli_cmd_stock_reprice(struct cli *cli, int argc, char **argv)
{
	const struct option *opts = cli_longopts(cli_opts_reprice);
	const char *by = NULL, *to = NULL, *text = NULL, *what = "stock reprice", *category = NULL;
	struct cache_categories cats = { NULL, 0 };
	long ci;
	struct cli_batch_opts o;
	struct price_change pc;
	struct action_batch b;
	struct id_list l;
	enum sd_status st = SD_EUSAGE;
	char *cause = NULL, *end;
	int ch, low = 0, all = 0;
	size_t i, unchanged = 0;
	struct buf t;
	long n;

	memset(&o, 0, sizeof o);
	memset(&l, 0, sizeof l);
	o.format = FORMAT_TABLE;
	o.preview = 1;
	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "q:", opts, NULL)) != -1) {
		switch (ch) {
		case O_BY: by = optarg; break;
		case O_TO: to = optarg; break;
		case 'q':
		case O_QUERY: text = optarg; break;
		case O_LOW: low = 1; break;
		case O_CATEGORY: category = optarg; break;
		case O_ALL: all = 1; break;
		case O_YES: o.yes = 1; break;
		case O_DRY_RUN: o.dry_run = 1; break;
		case O_SKIP_BAD: o.skip_bad = 1; break;
		case O_WAIT:
			o.wait = 30;
			if (optarg != NULL && ((n = strtol(optarg, &end, 10)) < 1 || n > 3600 ||
			    *end != '\0')) {
				cli_error(what, _("bad --wait value '%s' (whole seconds, 1 to 3600)"),
				    cli_clip(optarg));
				return SD_EUSAGE;
			}
			if (optarg != NULL)
				o.wait = (int)n;
			break;
		case O_FORMAT:
			if ((o.format = cli_parse_format(optarg)) < 0 || o.format == FORMAT_CSV) {
				cli_error(what, _("unknown format '%s' (text or json)"), cli_clip(optarg));
				return SD_EUSAGE;
			}
			break;
		default:
			fprintf(stderr, _("usage: shopdesk %s %s\n"), what, cli_command_usage(cli->cmd));
			return SD_EUSAGE;
		}
	}
	if (action_price_change_parse(by, to, &pc, &cause) != 0) {
		cli_error(what, "%s", cause);
		free(cause);
		return SD_EUSAGE;
	}
	if ((optind < argc) + (text != NULL || low || category != NULL) + all != 1) {
		cli_error(what, _("say which SKUs: their ids, a filter (--query TEXT, --low, "
		    "--category C) or --all, one of these"));
		return SD_EUSAGE;
	}
	if ((st = cli_need_cache(cli)) != SD_OK)
		return st;
	if (category != NULL) {
		/* Named as the tree shows it; the SKUs below it count too. */
		if ((ci = cli_category_arg(cli, category, &cats, &st)) < 0) {
			cache_categories_done(&cats);
			return st;
		}
		category = cats.v[ci].id;
	}
	for (; optind < argc; optind++) {
		l.v = xrealloc(l.v, (l.n + 1) * sizeof *l.v);
		l.v[l.n++] = cache_resolve_ref(cli->cache, KIND_SKU, argv[optind], &cause);
		if (l.v[l.n - 1] == NULL) {
			cli_error(what, "%s", cause);
			free(cause);
			st = SD_ENOTFOUND;
			goto out;
		}
	}
	if (l.n == 0 && collect_filter(cli, text, low, category, &l, &cause) != 0) {
		cli_error(what, "%s", cause);
		free(cause);
		st = SD_EUSAGE;
		goto out;
	}
	if (l.n == 0) {
		cli_error(what, _("no cached SKU matches; nothing was queued"));
		st = SD_ENOTFOUND;
		goto out;
	}
	st = action_price_batch(cli->cache, (const char *const *)l.v, l.n, &pc, time(NULL), &b,
	    &unchanged, &cause);
	if (st != SD_OK) {
		cli_error(what, "%s", cause);
		free(cause);
		action_batch_done(&b);
		goto out;
	}
	buf_init(&t);
	action_price_change_text(&pc, &t);
	if (o.format != FORMAT_JSON && !cli->quiet)
		fprintf(stderr, _("%s %s: %zu SKU%s, prices rounded to the fen (half up)\n"), what,
		    buf_str(&t), l.n, l.n == 1 ? "" : "s");
	buf_done(&t);
	st = cli_batch_queue(cli, b.def, what, &b, unchanged, &o);
out:
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	cache_categories_done(&cats);
	return st;
}
