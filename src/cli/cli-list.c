/*
 * cli-list.c -- "shopdesk NOUN list" and "shopdesk NOUN show ID".
 *
 * Both read only the cache, so they answer with no network at all. Filters
 * map one to one onto struct query; a filter that does not apply to the
 * noun is a usage error rather than silently ignored, and so is a value a
 * filter over a closed set (a status, a queue, a kind, a carrier) cannot
 * take: an empty list is never the answer to a typo. A kind the store does
 * not have (caps.h: Medusa has no chats) is refused with SD_EREFUSED.
 */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "audit.h"
#include "cache-category.h"
#include "cache-query.h"
#include "caps.h"
#include "cli/cli-format.h"
#include "cli/cli.h"
#include "columns.h"
#include "outbox.h"
#include "sla.h"
#include "sync.h"
#include "ui/i18n.h"
#include "util/jscan.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/*
 * A search most rows match is counted up to this many (reading the list,
 * not the index): "more than 1000".
 */
#define CLI_COUNT_MAX	1000

#define PAGE 500

static void reveal_logged(struct cli *, enum sd_kind, const char *);

/* Which filters make sense for which kind (bit per kind). */
#define K(k)	(1u << (k))
static const struct {
	const char	*name;
	unsigned	 kinds;
} filter_kinds[] = {
	{ "status", K(KIND_ORDER) | K(KIND_TICKET) | K(KIND_CONVERSATION) | K(KIND_PROMOTION) },
	{ "since", K(KIND_ORDER) | K(KIND_TICKET) | K(KIND_CONVERSATION) },
	{ "until", K(KIND_ORDER) | K(KIND_TICKET) | K(KIND_CONVERSATION) },
	{ "customer", K(KIND_ORDER) | K(KIND_TICKET) | K(KIND_CONVERSATION) },
	{ "order", K(KIND_TICKET) | K(KIND_CONVERSATION) },
	{ "assignee", K(KIND_TICKET) | K(KIND_CONVERSATION) },
	{ "queue", K(KIND_CONVERSATION) },
	{ "kind", K(KIND_TICKET) | K(KIND_PROMOTION) },
	{ "carrier", K(KIND_ORDER) },
	{ "abnormal", K(KIND_ORDER) },
	{ "low", K(KIND_SKU) },
	{ "waiting", K(KIND_CONVERSATION) },
	{ "category", K(KIND_ORDER) | K(KIND_SKU) | K(KIND_PRODUCT) },
	{ NULL, 0 }
};

int
cli_noun_kind(const char *noun)
{
	int k;

	for (k = 0; k < KIND__COUNT; k++)
		if (kind_info((enum sd_kind)k)->cli != NULL &&
		    strcmp(kind_info((enum sd_kind)k)->cli, noun) == 0)
			return k;
	return -1;
}

static int
filter_applies(const char *name, enum sd_kind k, const char *noun)
{
	int i;

	for (i = 0; filter_kinds[i].name != NULL; i++)
		if (strcmp(filter_kinds[i].name, name) == 0) {
			if (filter_kinds[i].kinds & K(k))
				return 1;
			cli_error(noun, _("--%s does not apply to %s"), name, noun);
			return 0;
		}
	return 1;
}

/*
 * The set of codes a filter's value is one of (i18n_status_code()), or NULL
 * for a free-text filter (ids, users, dates, searches).
 */
static const char *
filter_set(const char *name, enum sd_kind k)
{
	if (strcmp(name, "status") == 0)
		return i18n_status_kind(k);
	if (strcmp(name, "queue") == 0)
		return "queue";
	if (strcmp(name, "kind") == 0)
		return k == KIND_TICKET ? "ticket_kind" : k == KIND_PROMOTION ? "promo_kind" : NULL;
	if (strcmp(name, "carrier") == 0)
		return "carrier";
	return NULL;
}

/*
 * The value of the filter name as codes (caller frees): "pre-sales" is
 * presales, "顺丰" is SF, and each item of --status's comma-separated list
 * is made a code alike. NULL, said on stderr with the values there are,
 * when one names none.
 */
static char *
filter_codes(const char *name, enum sd_kind k, const char *value)
{
	const char *set = filter_set(name, k), *code;
	char *copy, *tok, *save, *cause = NULL, opt[32];
	int list = strcmp(name, "status") == 0;
	struct buf b;

	if (set == NULL)
		return xstrdup(value);
	copy = xstrdup(value);
	buf_init(&b);
	for (tok = list ? strtok_r(copy, ",", &save) : copy; tok != NULL;
	    tok = list ? strtok_r(NULL, ",", &save) : NULL) {
		if (tok[strspn(tok, " \t")] == '\0')
			continue;
		if ((code = i18n_status_code(set, tok, &cause)) == NULL) {
			snprintf(opt, sizeof opt, "--%s", name);
			cli_error(opt, "%s", cause);
			break;
		}
		buf_addf(&b, "%s%s", b.len ? "," : "", code);
	}
	free(copy);
	if (cause != NULL) {
		free(cause);
		buf_done(&b);
		return NULL;
	}
	return buf_steal(&b);
}

struct list_state {
	struct listing	*listing;
	long		 left;		/* rows still wanted, -1 for all */
	struct cli	*reveal;	/* --reveal: record each row's id first */
	struct audit_trail *trail;	/* ... here, opened at the first row */
	enum sd_kind	 kind;
	int		 unrecorded;	/* a reveal could not be recorded: stopped */
};

/* The object's top-level "id", copied into out (empty when none). */
static void
row_id(const char *json, char *out, size_t len)
{
	const char *p = json, *end = json + strlen(json);
	struct jscan_member m;

	out[0] = '\0';
	while (jscan_member_next(&p, end, &m) == 1) {
		if (jscan_key_is(&m, "id") && m.vallen >= 2 && m.val[0] == '"' &&
		    m.vallen - 2 < len) {
			memcpy(out, m.val + 1, m.vallen - 2);
			out[m.vallen - 2] = '\0';
			return;
		}
	}
}

static int
on_row(void *arg, const char *json)
{
	struct list_state *ls = arg;
	char id[128], *cause = NULL;

	if (ls->left == 0)
		return 1;
	if (ls->reveal != NULL) {
		/* Recorded before it is shown: the trail names every row revealed. */
		row_id(json, id, sizeof id);
		if (ls->trail == NULL)
			ls->trail = audit_trail_open(ls->reveal->cache, ls->reveal->conf.profile,
			    &cause);
		if (ls->trail == NULL || audit_trail_record(ls->trail, ls->kind,
		    id[0] != '\0' ? id : "?", &cause) != 0) {
			cli_error("audit", _("%s; nothing more is shown unmasked"), cause);
			free(cause);
			ls->unrecorded = 1;
			return 1;
		}
	}
	listing_row(ls->listing, json);
	if (ls->left > 0)
		ls->left--;
	return 0;
}

/*
 * A kind the store behind the cache does not have (caps.h) is said so, on
 * one line, rather than listed as an empty table: SD_EREFUSED.
 */
static enum sd_status
check_offered(struct cli *cli, enum sd_kind k, const char *noun)
{
	char *why;

	if (caps_kind_offered(cli->cache, k))
		return SD_OK;
	why = caps_refusal(cli->cache, noun);
	cli_error(NULL, "%s", why);
	free(why);
	return SD_EREFUSED;
}

/*
 * Warn (once, on stderr) when the cache has never been synced, or when a
 * first sync is loading it: then what is listed is what it has loaded, and
 * a search tests each row loaded (cache-query.c), slower until the
 * full-text index is built.
 */
static void
note_freshness(struct cli *cli, const struct query *q)
{
	char *last = cache_state_get(cli->cache, SYNC_LAST_KEY);

	if (cli->quiet) {
		free(last);
		return;
	}
	if (cache_bulk_loading(cli->cache))
		fprintf(stderr, _("shopdesk: note: a first sync is loading the cache (%ld %ss so"
		    " far); %s\n"), cache_count(cli->cache, q->kind), _(kind_info(q->kind)->name),
		    q->text != NULL ? _("a search reads every one loaded, slower until it"
		    " ends and builds the full-text index") : _("what is listed is what it has"
		    " loaded"));
	else if (last == NULL)
		fprintf(stderr, _("shopdesk: note: the cache has never been synced; "
		    "run 'shopdesk sync'\n"));
	free(last);
}

enum { O_STATUS = 256, O_SINCE, O_UNTIL, O_CUSTOMER, O_ORDER, O_ASSIGNEE, O_QUEUE,
    O_KIND, O_CARRIER, O_ABNORMAL, O_LOW, O_WAITING, O_LIMIT, O_ALL, O_FORMAT,
    O_REVEAL, O_REVERSE, O_SORT, O_BOM, O_HEADER_LANG, O_CATEGORY };

/* The options of "NOUN list": the filters of filter_kinds[] apply per noun. */
const struct cli_option cli_opts_list[] = {
	{ "status", required_argument, O_STATUS, 0, "STATE[,STATE]", "status",
	  N_("only in these states (code, English or Chinese name)") },
	{ "since", required_argument, O_SINCE, 0, "DATE", NULL,
	  N_("created on or after DATE (YYYY-MM-DD, RFC 3339, today, yesterday, -Nd)") },
	{ "until", required_argument, O_UNTIL, 0, "DATE", NULL,
	  N_("created before DATE (a day given as YYYY-MM-DD included)") },
	{ "query", required_argument, 'q', 'q', "TEXT", NULL,
	  N_("full-text search (a bare word does the same)") },
	{ "customer", required_argument, O_CUSTOMER, 0, "ID", "customers", N_("of this customer") },
	{ "order", required_argument, O_ORDER, 0, "ID", "orders", N_("about this order") },
	{ "assignee", required_argument, O_ASSIGNEE, 0, "USER", "user",
	  N_("assigned to the user with this id (me: yourself)") },
	{ "queue", required_argument, O_QUEUE, 0, "QUEUE", "queue",
	  N_("in this queue (presales, aftersales, vip)") },
	{ "kind", required_argument, O_KIND, 0, "KIND", "kind", N_("of this kind") },
	{ "carrier", required_argument, O_CARRIER, 0, "CARRIER", "carrier",
	  N_("shipped with this carrier (code or name)") },
	{ "abnormal", no_argument, O_ABNORMAL, 0, NULL, NULL, N_("only orders flagged abnormal") },
	{ "low", no_argument, O_LOW, 0, NULL, NULL, N_("only SKUs at or below their safety stock") },
	{ "waiting", no_argument, O_WAITING, 0, NULL, NULL,
	  N_("only conversations waiting for an answer") },
	{ "category", required_argument, O_CATEGORY, 0, "ID|NAME|PATH", "category",
	  N_("in this category or one below it (id, name, or path such as 手机数码/手机); "
	  "orders: with an item of it") },
	{ "limit", required_argument, O_LIMIT, 0, "N", NULL, N_("at most N rows (default 50)") },
	{ "all", no_argument, O_ALL, 0, NULL, NULL, N_("every row, no limit") },
	{ "format", required_argument, O_FORMAT, 0, "table|json|csv", "|table|json|csv",
	  N_("output format (default table)") },
	{ "reveal", no_argument, O_REVEAL, 0, NULL, NULL,
	  N_("show phones and addresses unmasked (logged)") },
	{ "reverse", no_argument, O_REVERSE, 0, NULL, NULL, N_("the list's order reversed") },
	{ "sort", required_argument, O_SORT, 0, "ORDER", "sort", N_("a named order of the list") },
	{ "bom", no_argument, O_BOM, 0, NULL, NULL,
	  N_("CSV: begin with a UTF-8 byte order mark, for Excel (profile: csv-bom)") },
	{ "header-lang", required_argument, O_HEADER_LANG, 0, "names|en|zh|ui", "|names|en|zh|ui",
	  N_("CSV: the header line's language (profile: csv-header-lang)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

int
cli_list_applies(const struct cli_command *c, const char *option)
{
	int i, k;

	if (c->noun == NULL || (k = cli_noun_kind(c->noun)) == -1)
		return 1;
	for (i = 0; filter_kinds[i].name != NULL; i++)
		if (strcmp(filter_kinds[i].name, option) == 0)
			return (filter_kinds[i].kinds & K(k)) != 0;
	return 1;
}

enum sd_status
cli_cmd_list(struct cli *cli, int argc, char **argv)
{
	const struct option *longopts = cli_longopts(cli_opts_list);
	const char *noun = argv[-1];
	struct query q;
	struct {
		const char	 *name;
		const char	**value;
	} closed[] = {
		{ "status", &q.status }, { "queue", &q.queue }, { "kind", &q.subkind },
		{ "carrier", &q.carrier }
	};
	struct list_state ls;
	enum sd_status st;
	char *after = NULL, *next = NULL, *cause = NULL, *me = NULL, *end;
	char *codes[sizeof closed / sizeof closed[0]] = { NULL };
	int ch, k, format = FORMAT_TABLE, reveal = 0, bom = -1;
	const char *hlang = NULL, *csvopt = NULL;
	const char **headers = NULL;
	long limit = 50, n;
	size_t f;
	time_t now = time(NULL);
	const char *since_s = NULL, *until_s = NULL, *category = NULL;
	struct cache_categories cats = { NULL, 0 };
	long ci;

	if ((k = cli_noun_kind(noun)) == -1) {
		cli_error(NULL, _("unknown noun '%s'"), cli_clip(noun));
		return SD_EUSAGE;
	}
	memset(&q, 0, sizeof q);
	q.kind = (enum sd_kind)k;
	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "q:", longopts, NULL)) != -1) {
		const char *fname = NULL;
		int i;

		for (i = 0; longopts[i].name != NULL; i++)
			if (longopts[i].val == ch)
				fname = longopts[i].name;
		if (fname != NULL && !filter_applies(fname, q.kind, noun))
			return SD_EUSAGE;
		switch (ch) {
		case O_STATUS: q.status = optarg; break;
		case 'q': q.text = optarg; break;
		case O_CUSTOMER: q.customer_id = optarg; break;
		case O_ORDER: q.order_id = optarg; break;
		case O_QUEUE: q.queue = optarg; break;
		case O_KIND: q.subkind = optarg; break;
		case O_CARRIER: q.carrier = optarg; break;
		case O_ABNORMAL: q.abnormal = 1; break;
		case O_LOW: q.low_stock = 1; break;
		case O_WAITING: q.waiting = 1; break;
		case O_CATEGORY: category = optarg; break;
		case O_REVERSE: q.reverse = 1; break;
		case O_SORT:
			if ((cause = cache_query_sort_error(q.kind, optarg)) != NULL) {
				cli_error(noun, "%s", cause);
				free(cause);
				return SD_EUSAGE;
			}
			q.sort = optarg;
			break;
		case O_REVEAL: reveal = 1; break;
		case O_BOM: bom = 1; csvopt = "--bom"; break;
		case O_HEADER_LANG:
			if ((hlang = config_header_lang(optarg)) == NULL) {
				cli_error(noun, _("unknown --header-lang '%s' (names, en, zh or ui)"),
				    cli_clip(optarg));
				return SD_EUSAGE;
			}
			csvopt = "--header-lang";
			break;
		case O_ASSIGNEE: q.assignee = optarg; break;
		case O_SINCE:
		case O_UNTIL:
			if (time_parse_user(optarg, now, ch == O_SINCE ? &q.since : &q.until) != 0) {
				cli_error(noun, _("bad date '%s' for --%s (use YYYY-MM-DD, YYYY-MM-DD "
				    "HH:MM, an RFC 3339 time, today, yesterday, tomorrow, +Nd or -Nd)"),
				    cli_clip(optarg), fname);
				return SD_EUSAGE;
			}
			/* Read again once the cache has said the store's zone (clock.h). */
			*(ch == O_SINCE ? &since_s : &until_s) = optarg;
			break;
		case O_LIMIT:
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 1) {
				cli_error(noun, _("bad --limit '%s' (a whole number of rows, 1 or more)"),
				    cli_clip(optarg));
				return SD_EUSAGE;
			}
			limit = n;
			break;
		case O_ALL: limit = -1; break;
		case O_FORMAT:
			if ((format = cli_parse_format(optarg)) == -1) {
				cli_error(noun, _("unknown format '%s' (table, json or csv)"),
				    cli_clip(optarg));
				return SD_EUSAGE;
			}
			break;
		default:
			fprintf(stderr, _("usage: shopdesk %s list [filters] [--format table|json|csv]\n"),
			    noun);
			return SD_EUSAGE;
		}
	}
	if (csvopt != NULL && format != FORMAT_CSV) {
		cli_error(noun, _("%s is for --format csv"), csvopt);
		return SD_EUSAGE;
	}
	if (optind < argc) {
		/* A bare word is a search: "shopdesk orders list 张三". */
		if (q.text != NULL || optind + 1 < argc) {
			cli_error(noun, _("unexpected argument '%s'"), cli_clip(argv[optind]));
			return SD_EUSAGE;
		}
		q.text = argv[optind];
	}
	if (q.text != NULL && q.kind == KIND_PRODUCT) {
		/* Before anything is printed: a usage error, with where to look. */
		cli_error(noun, _("products are not searched by text; their SKUs are, by the "
		    "product's title too: shopdesk stock list '%s'"), cli_clip(q.text));
		return SD_EUSAGE;
	}
	/* Filters over a closed set: the codes they name, or a usage error. */
	for (f = 0; f < sizeof closed / sizeof closed[0]; f++) {
		if (*closed[f].value == NULL)
			continue;
		if ((codes[f] = filter_codes(closed[f].name, q.kind, *closed[f].value)) == NULL) {
			st = SD_EUSAGE;
			goto out;
		}
		*closed[f].value = codes[f];
	}
	if ((st = cli_need_cache(cli)) != SD_OK ||
	    (st = check_offered(cli, q.kind, noun)) != SD_OK)
		goto out;
	/* Days are the store's (the cache now knows its zone). */
	if (since_s != NULL)
		(void)time_parse_user(since_s, now, &q.since);
	if (until_s != NULL && time_parse_user(until_s, now, &q.until) == 0 &&
	    strlen(until_s) == 10)
		q.until = time_day_start(q.until, 1);	/* a day given as --until includes it */
	if (q.assignee != NULL && strcmp(q.assignee, "me") == 0) {
		if ((me = cache_state_get(cli->cache, "me.id")) == NULL) {
			cli_error(noun, _("--assignee me: who you are is not known yet; run "
			    "'shopdesk sync' once while online"));
			st = SD_ECONFIG;
			goto out;
		}
		q.assignee = me;
	}
	if (category != NULL) {
		/* A category is named as it is shown: the tree resolves it. */
		if ((ci = cli_category_arg(cli, category, &cats, &st)) < 0)
			goto out;
		q.category = cats.v[ci].id;
	}
	note_freshness(cli, &q);

	memset(&ls, 0, sizeof ls);
	/* The profile's, unless given (the profile is read with the cache). */
	if (bom == -1)
		bom = cli->conf.csv_bom;
	if (hlang == NULL)
		hlang = config_header_lang(cli->conf.csv_header_lang);
	if (format == FORMAT_CSV && strcmp(hlang, "names") != 0) {
		const struct column *cols = cli_columns_for(q.kind);
		size_t i, nc;

		for (nc = 0; cols[nc].header != NULL; nc++)
			;
		headers = xcalloc(nc + 1, sizeof *headers);
		for (i = 0; i < nc; i++)
			headers[i] = i18n_in_lang(hlang, cols[i].header);
	}
	ls.listing = listing_new_csv((enum cli_format)format, q.kind, stdout, reveal,
	    headers, bom);
	ls.left = limit;
	ls.reveal = reveal ? cli : NULL;
	ls.kind = q.kind;
	st = SD_OK;
	do {
		q.after = after;
		q.limit = limit > 0 && limit < PAGE ? (int)limit : PAGE;
		if (cache_query(cli->cache, &q, on_row, &ls, &next, &cause) != 0) {
			cli_error(noun, "%s", cause);
			free(cause);
			st = SD_ECACHE;
			break;
		}
		free(after);
		after = next;
		next = NULL;
	} while (after != NULL && ls.left != 0 && !ls.unrecorded);
	n = listing_end(ls.listing);
	audit_trail_close(ls.trail);
	if (ls.unrecorded)
		st = SD_EFAIL;
	if (st == SD_OK && after != NULL && format == FORMAT_TABLE && !cli->quiet) {
		long total = cache_query_count_max(cli->cache, &q, CLI_COUNT_MAX, NULL, NULL,
		    &cause);

		fflush(stdout);

		if (total > CLI_COUNT_MAX)
			fprintf(stderr, _("(%ld of more than %ld shown; --limit N or --all for more)\n"),
			    n, (long)CLI_COUNT_MAX);
		else if (total >= 0)
			fprintf(stderr, _("(%ld of %ld shown; --limit N or --all for more)\n"), n, total);
		free(cause);
	}
	free(after);
	fflush(stdout);
out:
	cache_categories_done(&cats);
	free(headers);
	free(me);
	for (f = 0; f < sizeof codes / sizeof codes[0]; f++)
		free(codes[f]);
	return st;
}

/* Record that personal data was shown unmasked (who, when, what). */
static void
reveal_logged(struct cli *cli, enum sd_kind k, const char *id)
{
	char *cause = NULL;

	if (audit_reveal(cli->cache, cli->conf.profile, k, id, &cause) != 0) {
		cli_error("audit", "%s", cause);
		free(cause);
	}
}

struct msg_state {
	FILE	*out;
	int	 format;
	int	 n;
};

static int
on_message(void *arg, const char *json)
{
	struct msg_state *ms = arg;
	cJSON *m = cJSON_Parse(json);
	struct buf b;
	time_t t;
	char tb[32];

	if (m == NULL)
		return 0;
	buf_init(&b);
	if (ms->format == FORMAT_JSON) {
		char *s = json_print(m);

		cli_json_safe(s, &b);
		free(s);
		fprintf(ms->out, "%s%s", ms->n++ ? ",\n" : "", buf_str(&b));
	} else {
		tb[0] = '\0';
		if (json_str(m, "created_at") != NULL &&
		    time_parse_rfc3339(json_str(m, "created_at"), &t) == 0) {
			time_format_brief(t, time(NULL), tb, sizeof tb);
		}
		text_sanitize_buf(json_str(m, "author_name") != NULL ? json_str(m, "author_name") :
		    "?", 0, &b);
		buf_adds(&b, ": ");
		text_sanitize_buf(json_str(m, "body") != NULL ? json_str(m, "body") : "",
		    TEXT_KEEP_NEWLINES, &b);
		fprintf(ms->out, "  %s  [%s] %s\n", tb,
		    json_str(m, "author") != NULL ? json_str(m, "author") : "?", buf_str(&b));
	}
	buf_done(&b);
	cJSON_Delete(m);
	return 0;
}

/* A money line of tickets show: "  paid: ¥238.00". */
static void
show_money(const char *label, long long fen)
{
	struct buf b;

	buf_init(&b);
	action_format_money(fen, &b);
	printf("  %s: %s\n", label, buf_str(&b));
	buf_done(&b);
}

/*
 * A ticket's money, after its members: what its order was paid, what is
 * refunded and still refundable, what the buyer asked for, and a refund
 * waiting for finance.
 */
static void
show_ticket_money(struct cli *cli, const cJSON *t)
{
	struct ticket_money m;

	action_ticket_money(cli->cache, t, &m);
	printf(_("money:\n"));
	if (m.order_known) {
		show_money(_("paid"), m.paid);
		show_money(_("refunded"), m.refunded);
		show_money(_("refundable"), m.refundable);
	} else
		printf(_("  paid: - (order %s not in the cache)\n"), json_str(t, "order_id") ?
		    json_str(t, "order_id") : "-");
	show_money(_("requested"), m.requested);
	if (m.request_status != NULL) {
		show_money(_("refund request"), m.request);
		printf(_("  refund request status: %s%s%s%s\n"), strcmp(m.request_status,
		    "awaiting_finance") == 0 ? _("awaiting finance") : m.request_status,
		    m.request_by != NULL ? _(" (asked by ") : "", m.request_by != NULL ?
		    m.request_by : "", m.request_by != NULL ? ")" : "");
	}
	action_ticket_money_done(&m);
}

/*
 * A ticket's SLA in the console's English words (sla.h): the clock that
 * matters now, then each clock with its due time.
 */
static void
print_sla(const cJSON *t, time_t now)
{
	struct sla_clock c[3];
	struct sla_now s;
	struct buf b, due;
	int i, n;

	sla_eval(t, now, &s);
	buf_init(&b);
	buf_init(&due);
	sla_describe(&s, &b);
	if (s.phase == SLA_PHASE_NONE && !cJSON_IsObject(cJSON_GetObjectItem(t, "sla")))
		printf(_("sla now: not offered by this store\n"));
	else if (s.phase == SLA_PHASE_NONE)
		printf(_("sla now: -\n"));
	else
		printf(_("sla now: %s (%s)\n"), buf_str(&b), sla_state_words(s.state));
	n = sla_clocks(t, c);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		buf_reset(&due);
		if (c[i].due == NULL || cli_format_time(c[i].due, &due) != 0)
			text_sanitize_buf(c[i].due != NULL ? c[i].due : "-", 0, &due);
		if (c[i].at != NULL) {
			buf_adds(&b, "done ");
			if (cli_format_time(c[i].at, &b) != 0)
				text_sanitize_buf(c[i].at, 0, &b);
			if (c[i].at_t > c[i].due_t)
				buf_adds(&b, ", late");
		}
		else if (s.running && s.phase == c[i].phase) {
			if (s.left < 0)
				buf_adds(&b, "overdue ");
			columns_format_duration(s.left < 0 ? -s.left : s.left, &b);
			if (s.left >= 0)
				buf_adds(&b, " left");
		}
		printf("  %-11s %s%s%s%s\n", sla_phase_name(c[i].phase), buf_str(&due),
		    b.len > 0 ? " (" : "", buf_str(&b), b.len > 0 ? ")" : "");
	}
	buf_done(&b);
	buf_done(&due);
}

/* Fetch one object from the store into the cache ("show --fresh"). */
static enum sd_status
show_refresh(struct cli *cli, enum sd_kind k, const char *id)
{
	enum sd_status st;
	char *cause = NULL;
	cJSON *obj = NULL;

	if ((st = cli_need_backend(cli)) != SD_OK)
		return st;
	st = cli->backend->ops->get(cli->backend, k, id, &obj, &cause);
	if (st == SD_OK && (cache_begin(cli->cache, &cause) != 0 ||
	    outbox_store(cli->cache, k, obj, &cause) != 0 || cache_commit(cli->cache, &cause) != 0)) {
		cache_rollback(cli->cache);
		st = SD_ECACHE;
	}
	if (st != SD_OK) {
		cli_error(kind_info(k)->cli, "%s", cause);
		free(cause);
	}
	cJSON_Delete(obj);
	return st;
}

/* The options of "NOUN show". */
const struct cli_option cli_opts_show[] = {
	{ "format", required_argument, 'f', 0, "text|json", "|text|json",
	  N_("output format (default text)") },
	{ "reveal", no_argument, 'r', 0, NULL, NULL, N_("show phones and addresses unmasked (logged)") },
	{ "fresh", no_argument, 'F', 0, NULL, NULL, N_("fetch it from the store first") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_show(struct cli *cli, int argc, char **argv)
{
	const struct option *longopts = cli_longopts(cli_opts_show);
	const char *noun = argv[-1];
	enum sd_status st;
	int ch, k, format = FORMAT_TABLE, reveal = 0, fresh = 0;
	char *json, *s, *last, *cause = NULL, *after = NULL, *ref;
	struct query q;
	struct msg_state ms;
	struct buf b;
	cJSON *obj;

	if ((k = cli_noun_kind(noun)) == -1)
		return SD_EUSAGE;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			format = cli_parse_format(optarg);
			if (format == -1 || format == FORMAT_CSV) {
				cli_error(noun, _("unknown format '%s' for show (text or json)"),
				    cli_clip(optarg));
				return SD_EUSAGE;
			}
			break;
		case 'r': reveal = 1; break;
		case 'F': fresh = 1; break;
		default:
			fprintf(stderr, _("usage: shopdesk %s show ID [--reveal] [--fresh] [--format text|json]\n"),
			    noun);
			return SD_EUSAGE;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, _("usage: shopdesk %s show ID [--reveal] [--format text|json]\n"), noun);
		return SD_EUSAGE;
	}
	if ((st = cli_need_cache(cli)) != SD_OK ||
	    (st = check_offered(cli, (enum sd_kind)k, noun)) != SD_OK)
		return st;
	if ((ref = cache_resolve_ref(cli->cache, (enum sd_kind)k, argv[optind], &cause)) == NULL) {
		cli_error(noun, "%s", cause);
		free(cause);
		return SD_ENOTFOUND;
	}
	argv[optind] = ref;	/* "#7" is the order numbered 7; freed at out */
	if (fresh && (st = show_refresh(cli, (enum sd_kind)k, argv[optind])) != SD_OK)
		goto out;
	if ((json = cache_get_json(cli->cache, (enum sd_kind)k, argv[optind])) == NULL) {
		last = cache_state_get(cli->cache, SYNC_LAST_KEY);
		buf_init(&b);
		if (last == NULL || cli_format_time(last, &b) != 0)
			buf_adds(&b, last != NULL ? last : _("never"));
		cli_error(noun, _("no %s '%s' in the cache (last synced %s); check the id or run "
		    "'shopdesk sync'"), kind_info((enum sd_kind)k)->name, cli_clip(argv[optind]),
		    buf_str(&b));
		buf_done(&b);
		free(last);
		st = SD_ENOTFOUND;
		goto out;
	}
	if ((obj = cJSON_Parse(json)) == NULL) {
		free(json);
		cli_error(noun, _("the cached %s is corrupt; run 'shopdesk sync --full'"), argv[optind]);
		st = SD_ECACHE;
		goto out;
	}
	free(json);
	if (reveal)
		reveal_logged(cli, (enum sd_kind)k, argv[optind]);
	else
		model_mask_object((enum sd_kind)k, obj);
	buf_init(&b);
	if (format == FORMAT_JSON) {
		s = json_print(obj);
		cli_json_safe(s, &b);
		free(s);
		printf("%s\n", buf_str(&b));
	} else {
		cli_print_object(stdout, (enum sd_kind)k, obj);
		if (k == KIND_TICKET) {
			print_sla(obj, time(NULL));
			show_ticket_money(cli, obj);
		}
	}
	buf_done(&b);

	if (k == KIND_CONVERSATION && format != FORMAT_JSON) {
		memset(&q, 0, sizeof q);
		q.kind = KIND_MESSAGE;
		q.conversation_id = json_str(obj, "id");
		memset(&ms, 0, sizeof ms);
		ms.out = stdout;
		ms.format = format;
		printf(_("messages:\n"));
		do {
			char *next = NULL;

			q.after = after;
			q.limit = PAGE;
			if (cache_query(cli->cache, &q, on_message, &ms, &next, &cause) != 0) {
				cli_error(noun, "%s", cause);
				free(cause);
				st = SD_ECACHE;
				next = NULL;
			}
			free(after);
			after = next;
		} while (after != NULL);
	}
	cJSON_Delete(obj);
out:
	free(ref);
	return st;
}

const struct cli_option cli_opts_find[] = {
	{ "limit", required_argument, 'l', 0, "N", NULL, N_("at most N hits of each kind (default 5)") },
	{ "format", required_argument, 'f', 0, "table|json", "|table|json",
	  N_("output format (default table)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

/*
 * find TEXT...: what an agent pastes (an order number, a phone number, a
 * tracking number, a name, a word from a chat) searched in every kind at
 * once, hits grouped by kind, exact matches first in each. Kinds the role
 * cannot read or the store does not have are left out.
 */
enum sd_status
cli_cmd_find(struct cli *cli, int argc, char **argv)
{
	const struct option *longopts = cli_longopts(cli_opts_find);
	static const enum sd_kind kinds[] = {
		KIND_ORDER, KIND_TICKET, KIND_CONVERSATION, KIND_CUSTOMER, KIND_SKU,
		KIND_PROMOTION
	};
	struct query q;
	struct list_state ls;
	struct buf text;
	enum sd_status st;
	char *next = NULL, *cause = NULL, *end;
	const char *noun;
	long limit = 5, total, found = 0;
	int ch, format = FORMAT_TABLE, i, groups = 0;

	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			limit = strtol(optarg, &end, 10);
			if (*end != '\0' || limit < 1 || limit > 1000) {
				cli_error("find", _("bad --limit '%s' (rows per kind, 1 to 1000)"),
				    cli_clip(optarg));
				return SD_EUSAGE;
			}
			break;
		case 'f':
			format = cli_parse_format(optarg);
			if (format != FORMAT_TABLE && format != FORMAT_JSON) {
				cli_error("find", _("unknown format '%s' (table or json)"),
				    cli_clip(optarg));
				return SD_EUSAGE;
			}
			break;
		default:
			fprintf(stderr, _("usage: shopdesk find TEXT... [--limit N]"
			    " [--format table|json]\n"));
			return SD_EUSAGE;
		}
	}
	if (optind >= argc) {
		cli_error("find", _("what to find? e.g. shopdesk find 13812341234"));
		return SD_EUSAGE;
	}
	buf_init(&text);
	for (i = optind; i < argc; i++) {
		if (i > optind)
			buf_addc(&text, ' ');
		buf_adds(&text, argv[i]);
	}
	if ((st = cli_need_cache(cli)) != SD_OK) {
		buf_done(&text);
		return st;
	}
	memset(&q, 0, sizeof q);
	q.text = buf_str(&text);
	note_freshness(cli, &q);
	if (format == FORMAT_JSON)
		fputs("{", stdout);
	for (i = 0; i < (int)(sizeof kinds / sizeof kinds[0]); i++) {
		if (!caps_kind_offered(cli->cache, kinds[i]))
			continue;
		q.kind = kinds[i];
		q.limit = (int)limit;
		q.after = NULL;
		noun = kind_info(kinds[i])->cli;
		if ((total = cache_query_count_max(cli->cache, &q, CLI_COUNT_MAX, NULL, NULL,
		    &cause)) < 0)
			break;
		found += total;
		if (total == 0 && format == FORMAT_TABLE)
			continue;
		if (format == FORMAT_JSON)
			printf("%s\n\"%s\": {\"total\": %ld,%s \"items\": ", groups ? "," : "",
			    noun, total > CLI_COUNT_MAX ? (long)CLI_COUNT_MAX : total,
			    total > CLI_COUNT_MAX ? " \"more\": true," : "");
		else
			printf("%s%s: %s%ld%s\n", groups ? "\n" : "", noun,
			    total > CLI_COUNT_MAX ? "more than " : "",
			    total > CLI_COUNT_MAX ? (long)CLI_COUNT_MAX : total,
			    total > limit ? " (the first shown; shopdesk NOUN list -q TEXT"
			    " for all)" : "");
		groups++;
		memset(&ls, 0, sizeof ls);
		ls.listing = listing_new((enum cli_format)format, q.kind, stdout, 0);
		ls.left = limit;
		if (cache_query(cli->cache, &q, on_row, &ls, &next, &cause) != 0) {
			listing_end(ls.listing);
			break;
		}
		free(next);
		next = NULL;
		listing_end(ls.listing);
		if (format == FORMAT_JSON)
			fputs("}", stdout);
	}
	if (format == FORMAT_JSON)
		fputs(groups ? "\n}\n" : "}\n", stdout);
	fflush(stdout);
	if (cause != NULL) {
		cli_error("find", "%s", cause);
		free(cause);
		buf_done(&text);
		return SD_ECACHE;
	}
	if (found == 0 && format == FORMAT_TABLE && !cli->quiet)
		fprintf(stderr, _("nothing found for '%s'\n"), cli_clip(buf_str(&text)));
	buf_done(&text);
	return found == 0 ? SD_ENOTFOUND : SD_OK;
}
