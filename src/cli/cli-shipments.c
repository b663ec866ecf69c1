/*
 * cli-shipments.c -- the warehouse's CLI: `shopdesk orders shipments`, a
 * day's shipments for the carrier's pickup and the evening's
 * reconciliation (对账), and `shopdesk orders slip`, packing slips as PDF.
 *
 * One line per shipped order, oldest shipment first: carrier, tracking
 * number, order, when it was shipped, items. CSV (RFC 4180, CRLF, the
 * times RFC 3339 UTC), a table for a person (local times) or JSON lines.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "audit.h"
#include "cli/cli.h"
#include "cli/cli-format.h"
#include "kpi.h"
#include "model.h"
#include "slip.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

struct ship_out {
	enum cli_format	 format;
	struct buf	 b;
	long		 n;
};

/* A CSV field: controls out, quoted when needed, a leading formula character defused. */
static void
ship_csv_field(struct buf *out, const char *s)
{
	char *t = text_sanitize(s != NULL ? s : "", 0), *p;

	if (strchr("=+-@", t[0]) != NULL && t[0] != '\0')
		buf_addc(out, '\'');
	if (strpbrk(t, ",\"\r\n") == NULL)
		buf_adds(out, t);
	else {
		buf_addc(out, '"');
		for (p = t; *p != '\0'; p++) {
			if (*p == '"')
				buf_addc(out, '"');
			buf_addc(out, *p);
		}
		buf_addc(out, '"');
	}
	free(t);
}

/* "SK100001x2 SK100007x1": the items with their SKU codes and quantities. */
static void
ship_items(const cJSON *o, struct buf *out)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "items")) {
		if (out->len > 0)
			buf_addc(out, ' ');
		buf_addf(out, "%sx%lld", json_str(it, "sku_id") ? json_str(it, "sku_id") : "?",
		    json_int(it, "quantity", 0));
	}
}

static int
ship_row(void *arg, const cJSON *o)
{
	struct ship_out *s = arg;
	const cJSON *sh = cJSON_GetObjectItemCaseSensitive(o, "shipment");
	const char *at = json_str(sh, "shipped_at");
	struct buf items;
	char local[32], *safe;
	struct tm tm;
	time_t t;

	buf_init(&items);
	ship_items(o, &items);
	buf_reset(&s->b);
	switch (s->format) {
	case FORMAT_CSV:
		ship_csv_field(&s->b, json_str(sh, "carrier"));
		buf_addc(&s->b, ',');
		ship_csv_field(&s->b, json_str(sh, "tracking_no"));
		buf_addc(&s->b, ',');
		ship_csv_field(&s->b, json_str(o, "id"));
		buf_addc(&s->b, ',');
		ship_csv_field(&s->b, at);
		buf_addc(&s->b, ',');
		ship_csv_field(&s->b, buf_str(&items));
		buf_adds(&s->b, "\r\n");
		break;
	case FORMAT_JSON: {
		cJSON *j = cJSON_CreateObject();
		char *text;

		json_set_str(j, "carrier", json_str(sh, "carrier") ? json_str(sh, "carrier") : "");
		json_set_str(j, "tracking_no", json_str(sh, "tracking_no") ?
		    json_str(sh, "tracking_no") : "");
		json_set_str(j, "order_id", json_str(o, "id"));
		json_set_str(j, "shipped_at", at != NULL ? at : "");
		json_set_str(j, "items", buf_str(&items));
		text = cJSON_PrintUnformatted(j);
		safe = text_sanitize(text, 0);
		buf_addf(&s->b, "%s\n", safe);
		free(safe);
		free(text);
		cJSON_Delete(j);
		break;
	}
	case FORMAT_TABLE:
		local[0] = '\0';
		if (at != NULL && time_parse_rfc3339(at, &t) == 0) {
			localtime_r(&t, &tm);
			strftime(local, sizeof local, "%H:%M", &tm);
		}
		safe = text_sanitize(buf_str(&items), 0);
		buf_addf(&s->b, "%-6s  %-20.20s  %-11s  %-5s  %s\n",
		    json_str(sh, "carrier") ? json_str(sh, "carrier") : "",
		    json_str(sh, "tracking_no") ? json_str(sh, "tracking_no") : "",
		    json_str(o, "id"), local, safe);
		free(safe);
		break;
	}
	buf_done(&items);
	s->n++;
	return fwrite(s->b.data, 1, s->b.len, stdout) == s->b.len ? 0 : 1;
}

/* "today", "yesterday" or a local day "2026-12-06": its midnight into *since. */
static int
ship_day(const char *s, time_t *since, char **cause)
{
	struct tm tm;
	time_t now = time(NULL);
	int back = -1;

	if (strcmp(s, "today") == 0)
		back = 0;
	else if (strcmp(s, "yesterday") == 0)
		back = 1;
	if (back >= 0) {
		localtime_r(&now, &tm);
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_mday -= back;
		tm.tm_isdst = -1;
		*since = mktime(&tm);
		return 0;
	}
	if (strlen(s) != 10 || action_parse_time(s, now, since, cause) != 0) {
		free(*cause);
		*cause = xasprintf("bad date '%s': today, yesterday or YYYY-MM-DD", s);
		return -1;
	}
	return 0;
}

const struct cli_option cli_opts_shipments[] = {
	{ "date", required_argument, 'd', 0, "DAY", NULL,
	  N_("the day: today (the default), yesterday or YYYY-MM-DD") },
	{ "format", required_argument, 'f', 0, "table|json|csv", "|table|json|csv",
	  N_("output format (default table)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_shipments(struct cli *cli, int argc, char **argv)
{
	struct ship_out s;
	const char *date = "today";
	char *cause = NULL;
	time_t since, until;
	struct tm tm;
	enum sd_status st;
	int i, f;

	memset(&s, 0, sizeof s);
	s.format = FORMAT_TABLE;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--date") == 0 && i + 1 < argc)
			date = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if ((f = cli_parse_format(argv[++i])) < 0) {
				cli_error("orders shipments", _("unknown format '%s' (table, json "
				    "or csv)"), argv[i]);
				return SD_EUSAGE;
			}
			s.format = (enum cli_format)f;
		} else {
			fprintf(stderr, _("usage: shopdesk orders shipments %s\n"),
			    cli_command_usage(cli->cmd));
			return SD_EUSAGE;
		}
	}
	if (ship_day(date, &since, &cause) != 0) {
		cli_error("orders shipments", "%s", cause);
		free(cause);
		return SD_EUSAGE;
	}
	localtime_r(&since, &tm);
	tm.tm_mday++;
	tm.tm_isdst = -1;
	until = mktime(&tm);
	if ((st = cli_need_cache(cli)) != SD_OK)
		return st;
	buf_init(&s.b);
	if (s.format == FORMAT_CSV)
		fputs("carrier,tracking_no,order_id,shipped_at,items\r\n", stdout);
	else if (s.format == FORMAT_TABLE) {
		static const int w[] = { -6, -20, -11, -5, 0 };
		static const char *const h[] = { N_("CARRIER"), N_("TRACKING"), N_("ORDER"),
			N_("TIME"), N_("ITEMS") };

		cli_print_header(stdout, "  ", w, h, 5);
	}
	if (kpi_shipments(cli->cache, since, until, ship_row, &s, &cause) != 0) {
		cli_error("orders shipments", "%s", cause);
		free(cause);
		buf_done(&s.b);
		return SD_ECACHE;
	}
	buf_done(&s.b);
	if (fflush(stdout) != 0) {
		cli_error("orders shipments", _("cannot write the output"));
		return SD_ECACHE;
	}
	if (s.format == FORMAT_TABLE && !cli->quiet)
		fprintf(stderr, _("%ld shipments\n"), s.n);
	return SD_OK;
}

/* Write the PDF to path ("-": standard output), or pipe it to the profile's print-command. */
static enum sd_status
slip_write(struct cli *cli, const struct buf *pdf, const char *path, int print)
{
	char *tmp = NULL, *cause = NULL;
	FILE *f;
	int rc;

	if (print) {
		if (cli->conf.print_command == NULL) {
			cli_error("orders slip", _("no print-command in profile %s (shopdesk.conf(5): "
			    "print-command = lp -d label); or give --output FILE"),
			    cli->conf.profile);
			return SD_EUSAGE;
		}
		fflush(stdout);
		if (slip_print(cli->conf.print_command, pdf, &cause) != 0) {
			cli_error("orders slip", "%s", cause);
			free(cause);
			return SD_EUSAGE;
		}
		return SD_OK;
	}
	if (strcmp(path, "-") == 0)
		return fwrite(pdf->data, 1, pdf->len, stdout) == pdf->len && fflush(stdout) == 0 ?
		    SD_OK : SD_ECACHE;
	/* Whole or not at all: a temporary file renamed. */
	tmp = xasprintf("%s.tmp", path);
	rc = -1;
	if ((f = fopen(tmp, "wb")) != NULL) {
		rc = fwrite(pdf->data, 1, pdf->len, f) == pdf->len ? 0 : -1;
		if (fclose(f) != 0)
			rc = -1;
		if (rc == 0 && rename(tmp, path) != 0)
			rc = -1;
		if (rc != 0)
			remove(tmp);
	}
	free(tmp);
	if (rc != 0) {
		cli_error("orders slip", _("cannot write %s"), path);
		return SD_ECACHE;
	}
	return SD_OK;
}

const struct cli_option cli_opts_slip[] = {
	{ "output", required_argument, 'o', 0, "FILE", "file",
	  N_("write the PDF to FILE (- for standard output)") },
	{ "print", no_argument, 'p', 0, NULL, NULL,
	  N_("pipe the PDF to the profile's print-command") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_slip(struct cli *cli, int argc, char **argv)
{
	const char *output = NULL;
	struct audit_trail *trail = NULL;
	cJSON **orders = NULL;
	struct buf pdf;
	char *cause = NULL, *json, *ref;
	enum sd_status st = SD_EUSAGE;
	size_t n = 0, i;
	int a, print = 0;

	orders = xcalloc((size_t)argc + 1, sizeof *orders);
	buf_init(&pdf);
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--output") == 0 && a + 1 < argc)
			output = argv[++a];
		else if (strcmp(argv[a], "--print") == 0)
			print = 1;
		else if (argv[a][0] == '-' && argv[a][1] != '\0') {
			fprintf(stderr, _("usage: shopdesk orders slip %s\n"),
			    cli_command_usage(cli->cmd));
			goto out;
		}
	}
	if ((output == NULL) == !print) {
		cli_error("orders slip", _("give --output FILE (- for standard output) or --print"));
		goto out;
	}
	if ((st = cli_need_cache(cli)) != SD_OK)
		goto out;
	if (!slip_allowed(cli->cache, &cause)) {
		cli_error("orders slip", "%s", cause);
		st = SD_EAUTH;
		goto out;
	}
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--output") == 0) {
			a++;
			continue;
		}
		if (argv[a][0] == '-' && argv[a][1] != '\0')
			continue;
		if ((ref = cache_resolve_ref(cli->cache, KIND_ORDER, argv[a], &cause)) == NULL ||
		    (json = cache_get_json(cli->cache, KIND_ORDER, ref)) == NULL) {
			cli_error("orders slip", "%s", cause != NULL ? cause :
			    "no such order in the cache; check the id or run 'shopdesk sync'");
			free(ref);
			st = SD_ENOTFOUND;
			goto out;
		}
		orders[n] = cJSON_Parse(json);
		free(json);
		free(ref);
		if (orders[n] == NULL) {
			cli_error("orders slip", _("the cached %s is corrupt; run 'shopdesk sync "
			    "--full'"), argv[a]);
			st = SD_ECACHE;
			goto out;
		}
		n++;
	}
	if (n == 0) {
		cli_error("orders slip", _("name the orders to print a slip for"));
		st = SD_EUSAGE;
		goto out;
	}
	if (slip_pdf((const cJSON *const *)orders, n, &pdf, &cause) != 0) {
		cli_error("orders slip", "%s", cause);
		st = SD_EUSAGE;
		goto out;
	}
	/* The addresses leave the screen's masking: recorded as any reveal. */
	if ((trail = audit_trail_open(cli->cache, cli->conf.profile, &cause)) == NULL) {
		cli_error("orders slip", _("%s: nothing printed"), cause);
		st = SD_ECACHE;
		goto out;
	}
	for (i = 0; i < n; i++)
		if (audit_trail_record(trail, KIND_ORDER, json_str(orders[i], "id"),
		    &cause) != 0) {
			cli_error("orders slip", _("%s: nothing printed"), cause);
			st = SD_ECACHE;
			goto out;
		}
	if ((st = slip_write(cli, &pdf, output, print)) == SD_OK && !cli->quiet &&
	    (output == NULL || strcmp(output, "-") != 0))
		fprintf(stderr, _("%zu packing slip%s %s\n"), n, n == 1 ? "" : "s",
		    print ? _("sent to the printer") : _("written"));
out:
	audit_trail_close(trail);
	for (i = 0; i < n; i++)
		cJSON_Delete(orders[i]);
	free(orders);
	free(cause);
	buf_done(&pdf);
	return st;
}
