/*
 * cli-report.c -- "shopdesk report daily|weekly|monthly": the Dashboard's
 * figures per period from the cache (report.h), in the store's zone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli-format.h"
#include "clock.h"
#include "columns.h"
#include "conf.h"
#include "report.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define REPORT_USAGE	"usage: shopdesk report daily|weekly|monthly [--from DATE] [--to DATE]" \
			" [--format table|csv|json] [--bom] [--header-lang names|en|zh|ui]\n"

/* A rate in basis points as "12.34%". */
static void
report_pct(long bp, char *out, size_t n)
{
	snprintf(out, n, "%ld.%02ld%%", bp / 100, bp % 100);
}

/* Append s right-aligned (w > 0) or left (w < 0) in |w| columns of display width. */
static void
report_cell(struct buf *line, const char *s, int w)
{
	int pad = (w < 0 ? -w : w) - text_width(s);

	if (line->len > 0)
		buf_addc(line, ' ');
	while (w > 0 && pad-- > 0)
		buf_addc(line, ' ');
	buf_adds(line, s);
	while (w < 0 && pad-- > 0)
		buf_addc(line, ' ');
}

/*
 * The table, padded by display width (text_width): "¥" is two bytes but one
 * column, and a currency code or a Chinese header may be wider still.
 */
static void
report_print_table(const struct report_row *v, size_t n, const char *cur)
{
	static const int w[] = { -10, 7, 7, 14, 12, 14, 10, 8, 8 };
	static const char *const h[] = { N_("PERIOD"), N_("ORDERS"), N_("PAID"), N_("GMV"),
		N_("REFUNDS"), N_("NET"), N_("AOV"), N_("REFUND"), N_("REPEAT") };
	long long money[4];
	struct buf line, m;
	char num[48];
	size_t i;
	int k;

	cli_print_header(stdout, " ", w, h, 9);
	buf_init(&line);
	buf_init(&m);
	for (i = 0; i < n; i++) {
		buf_reset(&line);
		report_cell(&line, v[i].label, w[0]);
		snprintf(num, sizeof num, "%ld", v[i].orders);
		report_cell(&line, num, w[1]);
		snprintf(num, sizeof num, "%ld", v[i].paid);
		report_cell(&line, num, w[2]);
		money[0] = v[i].gmv;
		money[1] = v[i].refunds;
		money[2] = report_net(&v[i]);
		money[3] = report_aov(&v[i]);
		for (k = 0; k < 4; k++) {
			buf_reset(&m);
			columns_format_money(money[k], cur, &m);
			report_cell(&line, buf_str(&m), w[3 + k]);
		}
		report_pct(report_refund_bp(&v[i]), num, sizeof num);
		report_cell(&line, num, w[7]);
		report_pct(report_repeat_bp(&v[i]), num, sizeof num);
		report_cell(&line, num, w[8]);
		printf("%s\n", buf_str(&line));
	}
	buf_done(&line);
	buf_done(&m);
}

/* One JSON document, its members named as the store's GET /v1/reports/daily names them. */
static void
report_print_json(const struct report_row *v, size_t n, const char *cur, const char *period)
{
	char a[RFC3339_LEN], b[RFC3339_LEN];
	struct buf o;
	size_t i;

	buf_init(&o);
	buf_adds(&o, "{\"timezone\":");
	buf_add_json_string(&o, time_zone_name());
	buf_adds(&o, ",\"currency\":");
	buf_add_json_string(&o, cur);
	buf_addf(&o, ",\"period\":\"%s\",\"days\":[", period);
	for (i = 0; i < n; i++) {
		time_format_rfc3339(v[i].from, a);
		time_format_rfc3339(v[i].to, b);
		buf_addf(&o, "%s{\"date\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"orders\":%ld,"
		    "\"paid_orders\":%ld,\"gmv\":%lld,\"refunds\":%lld,\"net_sales\":%lld,"
		    "\"refunded_orders\":%ld,\"aov\":%lld,\"refund_rate_bp\":%ld,"
		    "\"customers\":%ld,\"repeat_customers\":%ld,\"repeat_rate_bp\":%ld}",
		    i > 0 ? "," : "", v[i].label, a, b, v[i].orders, v[i].paid, v[i].gmv,
		    v[i].refunds, report_net(&v[i]), v[i].refunded, report_aov(&v[i]),
		    report_refund_bp(&v[i]), v[i].customers, v[i].repeat,
		    report_repeat_bp(&v[i]));
	}
	buf_adds(&o, "]}\n");
	fputs(buf_str(&o), stdout);
	buf_done(&o);
}

const struct cli_option cli_opts_report[] = {
	{ "from", required_argument, 'F', 0, "DATE", NULL,
	  N_("the first day (today, yesterday, -30d, YYYY-MM-DD; default: 7 days or 4 weeks or months back)") },
	{ "to", required_argument, 'T', 0, "DATE", NULL, N_("the last day (default: today)") },
	{ "format", required_argument, 'f', 0, "table|csv|json", "|table|csv|json",
	  N_("output format (default table)") },
	{ "bom", no_argument, 'B', 0, NULL, NULL,
	  N_("CSV: begin with a UTF-8 byte order mark, for Excel (profile: csv-bom)") },
	{ "header-lang", required_argument, 'H', 0, "names|en|zh|ui", "|names|en|zh|ui",
	  N_("CSV: the header line's language (profile: csv-header-lang)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_report(struct cli *cli, int argc, char **argv)
{
	static const char *const periods[] = { "daily", "weekly", "monthly" };
	const char *fs = NULL, *ts = NULL, *period = cli->cmd->verb, *hlang = NULL;
	const char *headers[REPORT_CSV_COLS], *csvopt = NULL;
	struct report_row *v = NULL;
	enum report_period p;
	enum sd_status st;
	time_t now = time(NULL), from, to;
	char *cause = NULL, *cur;
	int i, c, format = FORMAT_TABLE, bom = -1;
	size_t n;

	for (p = REPORT_DAY; p < 3 && strcmp(periods[p], period) != 0; p++)
		;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if ((format = cli_parse_format(argv[++i])) < 0) {
				cli_error("report", _("unknown format '%s' (table, csv or json)"),
				    cli_clip(argv[i]));
				return SD_EUSAGE;
			}
		} else if (strcmp(argv[i], "--bom") == 0) {
			bom = 1;
			csvopt = "--bom";
		} else if (strcmp(argv[i], "--header-lang") == 0 && i + 1 < argc) {
			if ((hlang = config_header_lang(argv[++i])) == NULL) {
				cli_error("report", _("unknown --header-lang '%s' (names, en, zh or ui)"),
				    cli_clip(argv[i]));
				return SD_EUSAGE;
			}
			csvopt = "--header-lang";
		} else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			fs = argv[++i];
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			ts = argv[++i];
		else {
			fputs(REPORT_USAGE, stderr);
			return SD_EUSAGE;
		}
	}
	if (csvopt != NULL && format != FORMAT_CSV) {
		cli_error("report", _("%s is for --format csv"), csvopt);
		return SD_EUSAGE;
	}
	/* The zone comes with the cache (clock.h): dates are read after opening it. */
	if ((st = cli_need_cache(cli)) != SD_OK)
		return st;
	if (ts == NULL)
		to = now;
	else if (time_parse_user(ts, now, &to) != 0) {
		cli_error("report", _("--to: bad date '%s' (today, yesterday, tomorrow, -30d,"
		    " 2026-12-12 or 2026-12-12 20:00)"), cli_clip(ts));
		return SD_EUSAGE;
	}
	if (fs == NULL)
		report_period_of(p, to, p == REPORT_DAY ? -6 : -3, &from, &(time_t){ 0 });
	else if (time_parse_user(fs, now, &from) != 0) {
		cli_error("report", _("--from: bad date '%s' (today, yesterday, tomorrow, -30d,"
		    " 2026-12-12 or 2026-12-12 20:00)"), cli_clip(fs));
		return SD_EUSAGE;
	}
	if (to < from) {
		cli_error("report", _("--to (%s) is before --from (%s)"), cli_clip(ts != NULL ?
		    ts : "now"), cli_clip(fs));
		return SD_EUSAGE;
	}
	if (report_range(cli->cache, p, from, to, &v, &n, &cause) != 0) {
		cli_error("report", "%s", cause);
		free(cause);
		return SD_ECACHE;
	}
	cur = clock_currency(cli->cache);
	if (format == FORMAT_JSON)
		report_print_json(v, n, cur, period);
	else if (format == FORMAT_CSV) {
		/* The profile's, unless given (the profile is read with the cache). */
		if (bom == -1)
			bom = cli->conf.csv_bom;
		if (hlang == NULL)
			hlang = config_header_lang(cli->conf.csv_header_lang);
		for (c = 0; c < REPORT_CSV_COLS; c++)
			headers[c] = i18n_in_lang(hlang, report_csv_headers[c]);
		if (report_write_csv(stdout, v, n, cur, strcmp(hlang, "names") != 0 ? headers :
		    NULL, bom) != 0) {
			cli_error("report", "%s", _("the report could not be written"));
			st = SD_EFAIL;
		}
	}
	else
		report_print_table(v, n, cur);
	free(cur);
	free(v);
	return st;
}
