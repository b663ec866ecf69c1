/*
 * main.c -- shopdesk's entry point: global options and the command table.
 *
 * With a subcommand shopdesk is a scriptable CLI over the core; every
 * command is a row of cli_command_table() -- cli_fixed[] and the actions
 * of action_table[] -- from which usage, dispatch and the man-page check
 * are derived. With no subcommand on a terminal it opens
 * the full-screen console (ui/console.h); otherwise it prints the status.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "action.h"
#include "cache-fts.h"
#include "clock.h"
#include "cli/cli.h"
#include "ui/console.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/crash.h"
#include "util/log.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define CLI_ERROR_MAX	600	/* characters of one error message */

/*
 * The commands other than the write actions, in the order --help lists
 * them. Each action of action_table[] (src/action.c) is a command too,
 * "NOUN NAME", listed after the last row of its noun (cli_command_table());
 * its usage and help come from the table. "ship" is orders ship's short
 * name.
 */
static const struct cli_command cli_fixed[] = {
	{ NULL, "help", cli_cmd_help, "[COMMAND...]",
	  N_("list the commands, or print a command's usage and every option"), NULL, NULL },
	{ NULL, "sync", cli_cmd_sync, "[--full] [--follow] [--quiet] [--format text|json]",
	  N_("push queued actions, then pull the store's changes into the cache"), cli_opts_sync, NULL },
	{ NULL, "status", cli_cmd_status, "[--format text|json]",
	  N_("what the cache holds and when it was last synced"), cli_opts_status, NULL },
	{ NULL, "find", cli_cmd_find, "TEXT... [--limit N] [--format table|json]",
	  N_("search orders, tickets, chats, customers, SKUs and promotions at once"), cli_opts_find, NULL },
	{ "orders", "list", cli_cmd_list, "[filters] [--format table|json|csv]",
	  N_("list cached orders, newest first"), cli_opts_list, cli_list_applies },
	{ "orders", "shipments", cli_cmd_shipments,
	  "[--date today|yesterday|YYYY-MM-DD] [--format table|json|csv]",
	  N_("a day's shipments, oldest first: carrier, tracking number, order, time, items"),
	  cli_opts_shipments, NULL },
	{ "orders", "slip", cli_cmd_slip, "ID... --output FILE|--print",
	  N_("packing slips as PDF: a Code 128 barcode of the order number, the recipient, "
	  "the items (admin, warehouse; logged as a reveal)"), cli_opts_slip, NULL },
	{ "orders", "show", cli_cmd_show, "ID [--reveal] [--fresh] [--format text|json]",
	  N_("show one order"), cli_opts_show, NULL },
	{ "tickets", "list", cli_cmd_list, "[filters] [--format table|json|csv]",
	  N_("list after-sales tickets, most urgent SLA first"), cli_opts_list, cli_list_applies },
	{ "tickets", "show", cli_cmd_show, "ID [--reveal] [--fresh] [--format text|json]",
	  N_("show one ticket"), cli_opts_show, NULL },
	{ "chats", "list", cli_cmd_list, "[filters] [--format table|json|csv]",
	  N_("list conversations, longest waiting first"), cli_opts_list, cli_list_applies },
	{ "chats", "show", cli_cmd_show, "ID [--reveal] [--fresh] [--format text|json]",
	  N_("show one conversation with its messages"), cli_opts_show, NULL },
	{ "stock", "list", cli_cmd_list, "[filters] [--format table|json|csv]",
	  N_("list SKUs with stock"), cli_opts_list, cli_list_applies },
	{ "stock", "show", cli_cmd_show, "ID [--fresh] [--format text|json]", N_("show one SKU"), cli_opts_show, NULL },
	{ "stock", "reprice", cli_cmd_stock_reprice,
	  "[ID...] [--query TEXT] [--low] [--all] --by CHANGE|--to YUAN [--yes] [--dry-run] "
	  "[--skip-bad] [--wait[=SECONDS]] [--format text|json]",
	  N_("change many SKUs' prices by a percentage or an amount, after a preview of every "
	  "old -> new"), cli_opts_reprice, NULL },
	{ "products", "list", cli_cmd_list, "[filters] [--format table|json|csv]",
	  N_("list products by id, with their shelf state and SKUs"), cli_opts_list,
	  cli_list_applies },
	{ "products", "show", cli_cmd_show, "ID [--fresh] [--format text|json]",
	  N_("show one product with its scheduled shelf change"), cli_opts_show, NULL },
	{ "categories", "list", cli_cmd_categories, "[--format table|json]",
	  N_("the store's categories by path, with the products in each and below it"),
	  cli_opts_categories, NULL },
	{ "categories", "tree", cli_cmd_categories, "[--ascii] [--format table|json]",
	  N_("the category tree drawn with its products counts"), cli_opts_categories, NULL },
	{ "promos", "list", cli_cmd_list, "[filters] [--format table|json|csv]",
	  N_("list promotions"), cli_opts_list, cli_list_applies },
	{ "promos", "show", cli_cmd_show, "ID [--fresh] [--format text|json]", N_("show one promotion"), cli_opts_show, NULL },
	{ NULL, "ship", cli_cmd_action, NULL, NULL, NULL, NULL },
	{ "canned", "list", cli_cmd_canned_list, "[--lang zh_CN|en] [--format table|json|csv]",
	  N_("list the canned replies (快捷回复) by shortcut"), cli_opts_canned_list, NULL },
	{ "canned", "import", cli_cmd_canned_import,
	  "FILE [--skip-bad] [--wait[=SECONDS]] [--dry-run] [--format text|json]",
	  N_("add or update canned replies from a CSV file (shortcut,lang,title,body)"), cli_opts_canned_import, NULL },
	{ "canned", "export", cli_cmd_canned_export, "[FILE] [--lang zh_CN|en]",
	  N_("write the canned replies as CSV (shortcut,lang,title,body)"), cli_opts_canned_export, NULL },
	{ "outbox", "list", cli_cmd_outbox_list,
	  "[--state queued|sending|conflict|failed] [--format table|json]",
	  N_("actions saved but not applied yet, with their state and reason"), cli_opts_outbox_list, NULL },
	{ "outbox", "show", cli_cmd_outbox_show, "ID [--format text|json]",
	  N_("one outbox entry: request, patch, both sides of a conflict"), cli_opts_outbox_show, NULL },
	{ "outbox", "retry", cli_cmd_outbox_retry, "ID",
	  N_("send a refused or conflicting action again as it is"), NULL, NULL },
	{ "outbox", "drop", cli_cmd_outbox_drop, "ID",
	  N_("give up an action; its change is no longer shown"), NULL, NULL },
	{ "outbox", "resolve", cli_cmd_outbox_resolve, "ID --mine|--theirs",
	  N_("settle a conflict: yours again, or the store's"), cli_opts_outbox_resolve, NULL },
	{ "customers", "list", cli_cmd_list, "[filters] [--format table|json|csv]",
	  N_("list customers"), cli_opts_list, cli_list_applies },
	{ "customers", "show", cli_cmd_show, "ID [--reveal] [--fresh] [--format text|json]",
	  N_("show one customer"), cli_opts_show, NULL },
	{ "token", "set", cli_cmd_token_set, "",
	  N_("read a token from standard input into the profile's token file (mode 0600)"), NULL, NULL },
	{ "config", "show", cli_cmd_config_show, "", N_("print the effective configuration"), NULL, NULL },
	{ NULL, "whoami", cli_cmd_whoami, "", N_("ask the store who the token belongs to"), NULL, NULL },
	{ "agent", "stats", cli_cmd_agent_stats, "[LOGIN] [--format text|json]",
	  N_("an agent's figures today: chats handled, first responses, SLA breaches"), cli_opts_agent_stats, NULL },
	{ "report", "daily", cli_cmd_report, "[--from DATE] [--to DATE] [--format table|csv|json]",
	  N_("the Dashboard's figures per day of the store's zone, from the cache"), cli_opts_report, NULL },
	{ "report", "weekly", cli_cmd_report, "[--from DATE] [--to DATE] [--format table|csv|json]",
	  N_("the same per week (Monday to Sunday)"), cli_opts_report, NULL },
	{ "report", "monthly", cli_cmd_report, "[--from DATE] [--to DATE] [--format table|csv|json]",
	  N_("the same per calendar month"), cli_opts_report, NULL },
	{ "cache", "digest", cli_cmd_cache_digest, "",
	  N_("print a digest of the cached objects (compare with the store's)"), NULL, NULL },
	{ NULL, "audit", cli_cmd_audit, "[--since DATE] [--actions|--reveals] [--format table|json]",
	  N_("what was done and shown unmasked through this profile, oldest first"), cli_opts_audit, NULL },
	{ NULL, "purge", cli_cmd_purge, "[--yes] [--force]",
	  N_("remove this profile's cached personal data (cache and history); says what"),
	  cli_opts_purge, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL }
};

/* Add the actions of noun to v (at n), and those of nouns with no row in cli_fixed[] that follow them in action_table[]; the new n. */
static size_t
cli_add_actions(struct cli_command *v, size_t n, const char *noun, unsigned char *added)
{
	const struct action_def *d, *after = NULL;
	size_t i;

	for (d = action_table; d->name != NULL; d++) {
		if (strcmp(d->noun, noun) != 0 || added[d - action_table])
			continue;
		added[d - action_table] = 1;
		v[n].noun = d->noun;
		v[n].verb = d->name;
		v[n].fn = cli_cmd_action;
		n++;
		after = d + 1;
	}
	if (after == NULL || after->name == NULL || strcmp(after->noun, noun) == 0)
		return n;
	for (i = 0; cli_fixed[i].verb != NULL; i++)
		if (cli_fixed[i].noun != NULL && strcmp(cli_fixed[i].noun, after->noun) == 0)
			return n;
	return cli_add_actions(v, n, after->noun, added);
}

const struct cli_command *
cli_command_table(void)
{
	static struct cli_command *v;
	const struct cli_command *f;
	unsigned char *added;
	size_t nf, na, n = 0, i;

	if (v != NULL)
		return v;
	for (nf = 0; cli_fixed[nf].verb != NULL; nf++)
		;
	for (na = 0; action_table[na].name != NULL; na++)
		;
	v = xcalloc(nf + na + 1, sizeof *v);
	added = xcalloc(na + 1, 1);
	for (i = 0; i < nf; i++) {
		f = &cli_fixed[i];
		v[n++] = *f;
		if (f->noun != NULL && (f[1].verb == NULL || f[1].noun == NULL ||
		    strcmp(f[1].noun, f->noun) != 0))
			n = cli_add_actions(v, n, f->noun, added);
	}
	for (i = 0; i < na; i++)	/* a noun of actions only, before none of ours */
		if (!added[i])
			n = cli_add_actions(v, n, action_table[i].noun, added);
	free(added);
	return v;
}

void
cli_error(const char *what, const char *fmt, ...)
{
	va_list ap;
	struct buf b;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	/*
	 * The last line of defence: whatever a message echoes (input of any
	 * length, text from the store), it is one clean line of bounded length.
	 * The echoes themselves are cut to TEXT_CLIP_CHARS where they are made.
	 */
	buf_init(&b);
	text_clip_max(msg, CLI_ERROR_MAX, TEXT_KEEP_NEWLINES, &b);
	buf_adds(&b, "");
	fprintf(stderr, "shopdesk: %s%s%s\n", what != NULL ? what : "", what != NULL ? ": " : "",
	    buf_str(&b));
	buf_done(&b);
	free(msg);
}

const char *
cli_clip(const char *s)
{
	/* Four at a time: enough for one message's echoes. */
	static char ring[4][TEXT_CLIP_CHARS * 4 + 32];
	static int next;
	struct buf b;
	char *r = ring[next];

	next = (next + 1) % 4;
	buf_init(&b);
	text_clip_buf(s, &b);
	snprintf(r, sizeof ring[0], "%s", buf_str(&b));
	buf_done(&b);
	return r;
}

void
cli_usage(FILE *f)
{
	const struct cli_command *cmds = cli_command_table();
	int i;

	cli_action_check_table();
	fprintf(f, _("usage: shopdesk [--profile NAME] [--config FILE] [--cache FILE] COMMAND ...\n"
	    "       shopdesk --demo [COMMAND ...]\n\ncommands:\n"));
	for (i = 0; cmds[i].verb != NULL; i++) {
		char *name = cmds[i].noun != NULL ? xasprintf("%s %s", cmds[i].noun, cmds[i].verb) :
		    xstrdup(cmds[i].verb);
		fprintf(f, "  %-18s %s\n", name, cli_command_help(&cmds[i]));
		free(name);
	}
	fprintf(f, _("\nSee shopdesk(1) for filters, formats and exit codes.\n"));
}

int
cli_parse_format(const char *s)
{
	if (strcmp(s, "table") == 0 || strcmp(s, "text") == 0)
		return FORMAT_TABLE;
	if (strcmp(s, "json") == 0)
		return FORMAT_JSON;
	if (strcmp(s, "csv") == 0)
		return FORMAT_CSV;
	return -1;
}

enum sd_status
cli_need_config(struct cli *cli)
{
	char *cause = NULL;

	if (cli->conf_loaded)
		return SD_OK;
	if (config_load(&cli->conf, cli->config_file, cli->profile, &cause) != 0) {
		cli_error("config", "%s", cause);
		free(cause);
		return SD_ECONFIG;
	}
	if (cli->cache_path != NULL) {
		free(cli->conf.cache);
		cli->conf.cache = xstrdup(cli->cache_path);
	}
	if (cli->conf.cache == NULL) {
		cli_error("config", _("profile %s in %s: cache must not be empty"), cli->conf.profile,
		    cli->conf.file);
		config_done(&cli->conf);
		return SD_ECONFIG;
	}
	cli->conf_loaded = 1;
	return SD_OK;
}

/*
 * The cache's directory dir: the default one ($XDG_DATA_HOME/shopdesk) is
 * made silently, mode 0700. Any other that does not exist is an error: a
 * typo in "cache = PATH" would otherwise build a tree of directories where
 * the user did not mean, holding customers' phones and addresses.
 */
static enum sd_status
cache_dir_ready(struct cli *cli, const char *dir)
{
	struct stat st;
	char *data = config_xdg_dir("data"), *def = xasprintf("%s/shopdesk", data);
	enum sd_status rc = SD_OK;

	free(data);
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			cli_error("cache", _("%s: %s is not a directory"), cli->conf.cache, dir);
			rc = SD_ECONFIG;
		}
	} else if (strcmp(dir, def) == 0)
		config_mkdirs(dir);
	else if (cli->cache_path != NULL) {
		cli_error("cache", _("--cache %s: directory %s does not exist (create it with "
		    "'mkdir -m 700 %s', or correct the path)"), cli->cache_path, dir, dir);
		rc = SD_ECONFIG;
	} else {
		cli_error("config", _("%s:%u: cache = %s: directory %s does not exist (create "
		    "it with 'mkdir -m 700 %s', or correct the path)"), cli->conf.file,
		    cli->conf.cache_line, cli->conf.cache, dir, dir);
		rc = SD_ECONFIG;
	}
	free(def);
	return rc;
}

enum sd_status
cli_need_cache(struct cli *cli)
{
	enum sd_status st;
	char *cause = NULL, *dir, *slash;

	if (cli->cache != NULL)
		return SD_OK;
	if ((st = cli_need_config(cli)) != SD_OK)
		return st;
	dir = xstrdup(cli->conf.cache);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if ((st = cache_dir_ready(cli, dir)) != SD_OK) {
			free(dir);
			return st;
		}
	}
	free(dir);
	if ((cli->cache = cache_open(cli->conf.cache, &cause)) == NULL) {
		cli_error("cache", "%s", cause);
		free(cause);
		return SD_ECACHE;
	}
	/* One clock: the profile's zone, else the store's (clock.h). */
	if (clock_apply(cli->cache, cli->conf.timezone, &cause) != 0) {
		cli_error("config", "%s", cause);
		free(cause);
		return SD_EUSAGE;
	}
	return SD_OK;
}

enum sd_status
cli_need_backend(struct cli *cli)
{
	enum sd_status st;
	char *cause = NULL;

	if (cli->backend != NULL)
		return SD_OK;
	if ((st = cli_need_config(cli)) != SD_OK)
		return st;
	/* No store named anywhere: say how to name one rather than guess. */
	if (cli->conf.url == NULL) {
		cli_error("config", _("no store is configured for profile %s: add to %s\n"
		    "  [%s]\n  url = https://your-store.example\n"
		    "then 'shopdesk token set' (see shopdesk.conf(5)); or try shopdesk on its"
		    " demo store: shopdesk --demo"), cli->conf.profile, cli->conf.file,
		    cli->conf.profile);
		return SD_ECONFIG;
	}
	if (config_load_token(&cli->conf, &cause) != 0) {
		cli_error("token", "%s", cause);
		free(cause);
		return SD_ECONFIG;
	}
	if ((cli->backend = backend_open(&cli->conf, &cause)) == NULL) {
		cli_error("store", "%s", cause);
		free(cause);
		return SD_ECONFIG;
	}
	return SD_OK;
}

void
cli_done(struct cli *cli)
{
	backend_free(&cli->backend);
	cache_close(&cli->cache);
	if (cli->conf_loaded)
		config_done(&cli->conf);
	cli->conf_loaded = 0;
}

enum sd_status
cli_dispatch(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmds = cli_command_table();
	int i, noun_known = 0;

	if (argc < 1) {
		cli_usage(stderr);
		return SD_EUSAGE;
	}
	/* Hidden: for the tests and the shell completion scripts. */
	if (strcmp(argv[0], "__dump") == 0)
		return cli_cmd_dump(cli, argc, argv);
	if (strcmp(argv[0], "__complete") == 0)
		return cli_cmd_complete(cli, argc, argv);
	for (i = 0; cmds[i].verb != NULL; i++) {
		const struct cli_command *c = &cmds[i];

		if (c->noun == NULL && strcmp(c->verb, argv[0]) == 0) {
			cli->cmd = c;
			if (cli_help_asked(c, argc, argv)) {
				cli_command_print_help(stdout, c);
				return SD_OK;
			}
			return c->fn(cli, argc, argv);
		}
		if (c->noun != NULL && strcmp(c->noun, argv[0]) == 0) {
			noun_known = 1;
			if (argc >= 2 && strcmp(c->verb, argv[1]) == 0) {
				cli->cmd = c;
				if (cli_help_asked(c, argc - 1, argv + 1)) {
					cli_command_print_help(stdout, c);
					return SD_OK;
				}
				return c->fn(cli, argc - 1, argv + 1);
			}
		}
	}
	if (noun_known && argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		cli_noun_help(stdout, argv[0]);
		return SD_OK;
	}
	if (noun_known) {
		struct buf verbs;

		buf_init(&verbs);
		for (i = 0; cmds[i].verb != NULL; i++)
			if (cmds[i].noun != NULL && strcmp(cmds[i].noun, argv[0]) == 0)
				buf_addf(&verbs, "%s%s", verbs.len ? ", " : "", cmds[i].verb);
		cli_error(NULL, _("%s: unknown or missing verb%s%s (%s has: %s)"), argv[0],
		    argc >= 2 ? " " : "", argc >= 2 ? argv[1] : "", argv[0], buf_str(&verbs));
		buf_done(&verbs);
	} else
		cli_error(NULL, _("unknown command '%s' (run 'shopdesk --help')"), cli_clip(argv[0]));
	return SD_EUSAGE;
}

static void
on_signal(int sig)
{
	backend_interrupt();
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "config", required_argument, NULL, 'c' },
		{ "cache", required_argument, NULL, 'C' },
		{ "log", required_argument, NULL, 'L' },
		{ "demo", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli cli;
	struct sigaction sa;
	enum sd_status st;
	char *why = NULL;
	int ch;

	/*
	 * Everything shopdesk writes is private: the cache (with its -wal, -shm
	 * and -journal) holds customers' phones and addresses, the history,
	 * audit and log files what was done. SQLite and readline create files
	 * with 0644 less the umask, so the umask is what makes them 0600.
	 */
	umask(077);
#ifdef M_MMAP_THRESHOLD
	/*
	 * Large buffers (a page of the change feed, SQLite's sorter while a
	 * first sync builds its indexes) are mapped and unmapped as they come
	 * and go, and freed memory past 128 kB at the top of the heap goes
	 * back: glibc would otherwise raise its mapping threshold after the
	 * first large free and keep such buffers in a heap that does not
	 * shrink, and a first sync's peak RSS with them.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
#endif
	/* The locale and the "shopdesk" catalogue, as the console's: messages follow LANG. */
	i18n_init();
	cache_fts_set_alias(i18n_search_alias);
	memset(&cli, 0, sizeof cli);
	cli.argv0 = argv[0];
	if (getenv("SHOPDESK_LOG") != NULL)
		log_open(getenv("SHOPDESK_LOG"));
	if (crash_check_env(&why) != 0) {
		fprintf(stderr, "shopdesk: %s\n", why);
		free(why);
		return status_exit_code(SD_EUSAGE);
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Options up to the first command word; the rest belongs to the command. */
	while ((ch = getopt_long(argc, argv, "+p:c:C:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': cli.profile = optarg; break;
		case 'c': cli.config_file = optarg; break;
		case 'C': cli.cache_path = optarg; break;
		case 'L': log_open(optarg); break;
		case 'D': cli.demo = 1; break;
		case 'h':
			cli_usage(stdout);
			return 0;
		case 'V':
			printf("shopdesk %s\n", PACKAGE_VERSION);
			return 0;
		default:
			cli_usage(stderr);
			return status_exit_code(SD_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (cli.demo)
		return cli_demo(&cli, argc, argv);
	if (argc == 0 && ((isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) ||
	    getenv("SHOPDESK_SCRIPT") != NULL)) {
		/* No command on a terminal (or a test's script): the full-screen console. */
		if ((st = cli_need_cache(&cli)) == SD_OK)
			st = console_main(&cli.conf, cli.cache) == 0 ? SD_OK : SD_EFAIL;
	} else if (argc == 0) {
		/* No command and no terminal: show what the cache holds. */
		char *args[] = { "status", NULL };
		st = cli_dispatch(&cli, 1, args);
	} else
		st = cli_dispatch(&cli, argc, argv);
	cli_done(&cli);
	log_close();
	return status_exit_code(st);
}
