/*
 * cli-canned.c -- "shopdesk canned list|import|export": the team's canned
 * replies (快捷回复) from the cache, and CSV files of them.
 *
 * add, edit and remove are rows of the action table (cli-action.c). An
 * import is a batch like --from-csv: the whole file is read and checked
 * first, every bad line is reported with its number and all its problems,
 * nothing is queued while a line is bad (unless --skip-bad), and the good
 * lines are queued in one durable transaction. A line whose shortcut and
 * language name a cached reply edits it, so that importing an export
 * queues nothing (action_canned_import).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "caps.h"
#include "cli/cli-format.h"
#include "cli/cli.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

/*
 * The store must have canned replies (else SD_EREFUSED) and the role read
 * them (else SD_EAUTH): an empty list would not say why it is empty.
 */
static enum sd_status
canned_offered(struct cli *cli, const char *what)
{
	char *why, *role;
	int r;

	if (!caps_kind_offered(cli->cache, KIND_CANNED_REPLY)) {
		why = caps_refusal(cli->cache, "canned replies");
		cli_error(what, "%s", why);
		free(why);
		return SD_EREFUSED;
	}
	role = cache_state_get(cli->cache, "me.role");
	r = role != NULL ? role_from_name(role) : -1;
	free(role);
	if (r >= 0 && !role_can_read((enum sd_role)r, KIND_CANNED_REPLY)) {
		cli_error(what, _("your role (%s) cannot read canned replies: admin, ops and agent "
		    "can"), role_name((enum sd_role)r));
		return SD_EAUTH;
	}
	return SD_OK;
}

/* A language as given to --lang: zh_CN or en, or -1 with the error printed. */
static int
canned_lang_ok(const char *what, const char *lang)
{
	int i;

	for (i = 0; canned_langs[i] != NULL; i++)
		if (strcmp(canned_langs[i], lang) == 0)
			return 0;
	cli_error(what, _("no language is called '%s' (zh_CN or en)"), lang);
	return -1;
}

static int
canned_list_row(void *arg, const cJSON *reply)
{
	char *json = json_print(reply);

	listing_row(arg, json);
	cJSON_free(json);
	return 0;
}

const struct cli_option cli_opts_canned_list[] = {
	{ "lang", required_argument, 'l', 0, "zh_CN|en", "|zh_CN|en",
	  N_("only replies in this language") },
	{ "format", required_argument, 'f', 0, "table|json|csv", "|table|json|csv",
	  N_("output format (default table)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_canned_list(struct cli *cli, int argc, char **argv)
{
	const struct option *opts = cli_longopts(cli_opts_canned_list);
	const char *lang = NULL;
	struct listing *l;
	enum sd_status st;
	int ch, format = FORMAT_TABLE;
	long n;

	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (canned_lang_ok("canned list", optarg) != 0)
				return SD_EUSAGE;
			lang = optarg;
			break;
		case 'f':
			if ((format = cli_parse_format(optarg)) < 0) {
				cli_error("canned list", _("unknown format '%s' (table, json or csv)"),
				    optarg);
				return SD_EUSAGE;
			}
			break;
		default:
			fprintf(stderr, _("usage: shopdesk canned list %s\n"),
			    cli_command_usage(cli->cmd));
			return SD_EUSAGE;
		}
	}
	if (optind < argc) {
		cli_error("canned list", _("unexpected argument '%s'"), argv[optind]);
		return SD_EUSAGE;
	}
	if ((st = cli_need_cache(cli)) != SD_OK || (st = canned_offered(cli, "canned list")) !=
	    SD_OK)
		return st;
	l = listing_new((enum cli_format)format, KIND_CANNED_REPLY, stdout, 1);
	if (action_canned_each(cli->cache, lang, canned_list_row, l) < 0) {
		listing_end(l);
		cli_error("canned list", _("cannot read the cache"));
		return SD_ECACHE;
	}
	n = listing_end(l);
	if (n == 0 && format == FORMAT_TABLE && !cli->quiet)
		fprintf(stderr, _("shopdesk: no canned replies%s%s in the cache (run 'shopdesk "
		    "sync', or add one with 'shopdesk canned add')\n"), lang ? " in " : "",
		    lang ? lang : "");
	return SD_OK;
}

static int
canned_export_row(void *arg, const cJSON *reply)
{
	action_canned_csv_line(reply, arg);
	return 0;
}

const struct cli_option cli_opts_canned_export[] = {
	{ "lang", required_argument, 'l', 0, "zh_CN|en", "|zh_CN|en",
	  N_("only replies in this language") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_canned_export(struct cli *cli, int argc, char **argv)
{
	const struct option *opts = cli_longopts(cli_opts_canned_export);
	const char *lang = NULL, *file = NULL;
	enum sd_status st;
	struct buf b;
	char *tmp = NULL;
	FILE *f;
	int ch, rc;

	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'l') {
			fprintf(stderr, _("usage: shopdesk canned export %s\n"),
			    cli_command_usage(cli->cmd));
			return SD_EUSAGE;
		}
		if (canned_lang_ok("canned export", optarg) != 0)
			return SD_EUSAGE;
		lang = optarg;
	}
	if (optind < argc)
		file = argv[optind++];
	if (optind < argc) {
		cli_error("canned export", _("unexpected argument '%s'"), argv[optind]);
		return SD_EUSAGE;
	}
	if ((st = cli_need_cache(cli)) != SD_OK || (st = canned_offered(cli, "canned export")) !=
	    SD_OK)
		return st;
	/*
	 * The file holds the replies as they are (line breaks in quoted fields,
	 * no sanitising: it is data for a spreadsheet or an import). Written
	 * whole to a temporary file and renamed, so a failure leaves no half.
	 */
	buf_init(&b);
	action_canned_csv_header(&b);
	if (action_canned_each(cli->cache, lang, canned_export_row, &b) < 0) {
		buf_done(&b);
		cli_error("canned export", _("cannot read the cache"));
		return SD_ECACHE;
	}
	if (file == NULL || strcmp(file, "-") == 0) {
		/* Data for a pipe; a terminal gets it sanitised, as every listing. */
		if (isatty(STDOUT_FILENO)) {
			tmp = text_sanitize(buf_str(&b), TEXT_KEEP_NEWLINES);
			rc = fputs(tmp, stdout) >= 0 && fflush(stdout) == 0 ? 0 : -1;
		} else
			rc = fwrite(b.data, 1, b.len, stdout) == b.len && fflush(stdout) == 0 ?
			    0 : -1;
		file = "standard output";
	} else {
		tmp = xasprintf("%s.tmp", file);
		if ((f = fopen(tmp, "wb")) == NULL)
			rc = -1;
		else {
			rc = fwrite(b.data, 1, b.len, f) == b.len ? 0 : -1;
			if (fclose(f) != 0)
				rc = -1;
			if (rc == 0 && rename(tmp, file) != 0)
				rc = -1;
			if (rc != 0)
				remove(tmp);
		}
	}
	buf_done(&b);
	free(tmp);
	if (rc != 0) {
		cli_error("canned export", _("cannot write %s: %s"), file, strerror(errno));
		return SD_EUSAGE;
	}
	return SD_OK;
}

const struct cli_option cli_opts_canned_import[] = {
	{ "skip-bad", no_argument, 's', 0, NULL, NULL,
	  N_("queue the good lines of a file that has bad ones") },
	{ "dry-run", no_argument, 'd', 0, NULL, NULL,
	  N_("check the file and show what would be queued, queue nothing") },
	{ "wait", optional_argument, 'w', 0, "SECONDS", NULL,
	  N_("send them now and wait for the store's answer (30 s)") },
	{ "format", required_argument, 'f', 0, "text|json", "|text|json",
	  N_("output format (default text)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_canned_import(struct cli *cli, int argc, char **argv)
{
	const struct option *opts = cli_longopts(cli_opts_canned_import);
	struct cli_batch_opts o;
	char *end;
	long n;
	int ch;

	memset(&o, 0, sizeof o);
	o.format = FORMAT_TABLE;
	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's': o.skip_bad = 1; break;
		case 'd': o.dry_run = 1; break;
		case 'w':
			o.wait = 30;
			if (optarg != NULL && ((n = strtol(optarg, &end, 10)) < 1 || n > 3600 ||
			    *end != '\0')) {
				cli_error("canned import", _("bad --wait value '%s' (whole seconds, "
				    "1 to 3600)"), optarg);
				return SD_EUSAGE;
			}
			if (optarg != NULL)
				o.wait = (int)n;
			break;
		case 'f':
			if ((o.format = cli_parse_format(optarg)) < 0 || o.format == FORMAT_CSV) {
				cli_error("canned import", _("unknown format '%s' (text or json)"),
				    optarg);
				return SD_EUSAGE;
			}
			break;
		default:
			fprintf(stderr, _("usage: shopdesk canned import %s\n"),
			    cli_command_usage(cli->cmd));
			return SD_EUSAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, _("usage: shopdesk canned import %s\n"), cli_command_usage(cli->cmd));
		return SD_EUSAGE;
	}
	return cli_action_batch(cli, NULL, argv[optind], &o);
}
