/*
 * cli-format.c -- tables, JSON and CSV for the CLI.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli-format.h"
#include "export.h"
#include "ui/i18n.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

struct listing {
	enum cli_format	 format;
	enum sd_kind	 kind;
	const struct column *cols;
	FILE		*out;
	int		 reveal;
	int		 width;		/* terminal width for the table */
	long		 rows;
	long		 pending;	/* rows marked as pending */
	struct csv_writer *csv;		/* FORMAT_CSV */
	struct buf	 line;
};

void
cli_format_money(long long minor, const char *currency, struct buf *out)
{
	columns_format_money(minor, currency, out);
}

void
cli_print_header(FILE *f, const char *sep, const int *widths, const char *const *names,
    size_t n)
{
	struct buf line;
	const char *t;
	size_t i;
	int w, pad;

	buf_init(&line);
	for (i = 0; i < n; i++) {
		t = _(names[i]);
		w = widths[i] < 0 ? -widths[i] : widths[i];
		pad = w - text_width(t);
		if (i > 0)
			buf_adds(&line, sep);
		while (widths[i] > 0 && pad-- > 0)
			buf_addc(&line, ' ');
		buf_adds(&line, t);
		while (widths[i] < 0 && pad-- > 0)
			buf_addc(&line, ' ');
	}
	fprintf(f, "%s\n", buf_str(&line));
	buf_done(&line);
}

/* The text of one cell for a person (table); CSV goes through export.h. */
static void
cell_text(const cJSON *obj, const struct column *c, int human, struct buf *out)
{
	column_text(obj, c, human, time(NULL), out);
}

static int
terminal_width(FILE *f)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (cols != NULL && atoi(cols) > 20)
		return atoi(cols);
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return 0;		/* not a terminal: do not cut the last column */
}

static int
is_numeric(enum col_type t)
{
	return t == COL_INT || t == COL_MONEY || t == COL_COUNT;
}

static void
table_cell(struct listing *l, const struct column *c, const char *text, int last)
{
	int w = c->width, fixed = 0;
	const struct column *p;

	if (w == 0) {
		if (l->width == 0) {
			buf_adds(&l->line, text);
			return;
		}
		for (p = l->cols; p->header != NULL; p++)
			fixed += p->width + (p->width != 0 ? 2 : 0);
		w = l->width - fixed;
		if (w < 8)
			w = 8;
	}
	if (is_numeric(c->type)) {
		int pad = w - text_width(text);

		while (pad-- > 0)
			buf_addc(&l->line, ' ');
		text_fit(text, w, 0, &l->line);
	} else
		text_fit(text, w, !last, &l->line);
	if (!last)
		buf_adds(&l->line, "  ");
}

struct listing *
listing_new(enum cli_format format, enum sd_kind k, FILE *out, int reveal)
{
	return listing_new_csv(format, k, out, reveal, NULL, 0);
}

struct listing *
listing_new_csv(enum cli_format format, enum sd_kind k, FILE *out, int reveal,
    const char *const *headers, int bom)
{
	struct listing *l = xcalloc(1, sizeof *l);
	const struct column *c;

	l->format = format;
	l->kind = k;
	l->cols = cli_columns_for(k);
	l->out = out;
	l->reveal = reveal;
	l->width = terminal_width(out);
	buf_init(&l->line);
	if (format == FORMAT_TABLE) {
		for (c = l->cols; c->header != NULL; c++)
			table_cell(l, c, _(c->header), c[1].header == NULL);
		fprintf(out, "%s\n", buf_str(&l->line));
	} else if (format == FORMAT_CSV)
		l->csv = csv_writer_new(out, k, l->cols, headers, bom, !reveal);
	return l;
}

void
cli_json_safe(const char *json, struct buf *out)
{
	size_t n = strlen(json), i = 0;
	uint32_t cp;
	int len;

	while (i < n) {
		len = text_utf8_decode(json + i, n - i, &cp);
		if (cp == 0xfffd && len == 1)
			buf_adds(out, "\\ufffd");	/* an invalid byte: JSON is UTF-8 */
		else if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
		    cp == 0x061c || cp == 0x2028 || cp == 0x2029 || cp == 0x7f)
			buf_addf(out, "\\u%04x", cp);
		else
			buf_add(out, json + i, (size_t)len);
		i += (size_t)len;
	}
}

void
listing_row(struct listing *l, const char *json)
{
	const struct column *c;
	cJSON *obj;
	struct buf cell;
	char *s;

	if (l->format == FORMAT_CSV) {
		/* For people: yuan, the store's local times (export.h). */
		csv_writer_row(l->csv, json);
		l->rows = csv_writer_rows(l->csv);
		return;
	}
	if ((obj = cJSON_Parse(json)) == NULL)
		return;
	if (!l->reveal)
		model_mask_object(l->kind, obj);
	buf_reset(&l->line);
	buf_init(&cell);
	switch (l->format) {
	case FORMAT_JSON:
		s = json_print(obj);
		cli_json_safe(s, &l->line);
		free(s);
		fprintf(l->out, "%s%s", l->rows == 0 ? "[\n" : ",\n", buf_str(&l->line));
		break;
	case FORMAT_CSV:
		break;
	case FORMAT_TABLE:
		for (c = l->cols; c->header != NULL; c++) {
			buf_reset(&cell);
			cell_text(obj, c, 1, &cell);
			/* An action of ours is pending on this object: mark its id. */
			if (c == l->cols && json_int(obj, "_pending", 0) > 0) {
				buf_addc(&cell, '*');
				l->pending++;
			}
			table_cell(l, c, buf_str(&cell), c[1].header == NULL);
		}
		fprintf(l->out, "%s\n", buf_str(&l->line));
		break;
	}
	buf_done(&cell);
	cJSON_Delete(obj);
	l->rows++;
}

long
listing_end(struct listing *l)
{
	long rows = l->rows;

	if (l->format == FORMAT_JSON)
		fputs(rows == 0 ? "[]\n" : "\n]\n", l->out);
	if (l->pending > 0) {
		fflush(l->out);
		fprintf(stderr, _("(* = an action of yours is pending: not yet applied by the store; "
		    "see 'shopdesk outbox list')\n"));
	}
	csv_writer_free(&l->csv);
	buf_done(&l->line);
	free(l);
	return rows;
}

/*
 * The members the contract gives in the currency's minor unit: "show" in
 * text prints them as money ("¥238.00"), as the lists do.
 */
static const char *const money_members[] = {
	"subtotal", "discount", "shipping_fee", "total", "paid_amount", "refunded_amount",
	"unit_price", "price", "original_price", "cost", "requested_amount", "amount",
	"refund_amount", "refund_limit", "total_spent", "budget", "discount_total",
	"threshold", "off", "max_off", "gmv", "net_sales", "aov", NULL
};

static int
is_money_member(const char *key)
{
	size_t i;

	for (i = 0; key != NULL && money_members[i] != NULL; i++)
		if (strcmp(key, money_members[i]) == 0)
			return 1;
	return 0;
}

/*
 * A time as the contract sends it (RFC 3339 in UTC, "…Z") in the store's
 * zone with its offset, "2026-11-22 16:15:00 +08:00"; 0, or -1 when s is
 * not such a time.
 */
int
cli_format_time(const char *s, struct buf *out)
{
	size_t n = strlen(s);
	time_t t;
	long off, a;
	char b[32];

	if (n < 20 || n > 30 || s[n - 1] != 'Z' || s[4] != '-' || s[10] != 'T' ||
	    time_parse_rfc3339(s, &t) != 0)
		return -1;
	off = time_utc_offset(t);
	a = off < 0 ? -off : off;
	time_format_local(t, "%Y-%m-%d %H:%M:%S", b, sizeof b);
	buf_addf(out, "%s %c%02ld:%02ld", b, off < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
	return 0;
}

static void
print_value(FILE *f, const cJSON *v, int depth, struct buf *tmp, const char *currency)
{
	const cJSON *c;
	int i = 0;

	if (cJSON_IsObject(v)) {
		fputc('\n', f);
		cJSON_ArrayForEach(c, v) {
			buf_reset(tmp);
			text_sanitize_buf(c->string, 0, tmp);
			fprintf(f, "%*s%s:", depth * 2, "", buf_str(tmp));
			print_value(f, c, depth + 1, tmp, currency);
		}
	} else if (cJSON_IsArray(v)) {
		if (cJSON_GetArraySize(v) == 0) {
			fputs(" []\n", f);
			return;
		}
		fputc('\n', f);
		cJSON_ArrayForEach(c, v) {
			fprintf(f, "%*s[%d]", depth * 2, "", i++);
			print_value(f, c, depth + 1, tmp, currency);
		}
	} else if (cJSON_IsString(v)) {
		buf_reset(tmp);
		if (cli_format_time(v->valuestring, tmp) != 0)
			text_sanitize_buf(v->valuestring, 0, tmp);
		fprintf(f, " %s\n", buf_str(tmp));
	} else if (cJSON_IsNumber(v) && is_money_member(v->string)) {
		buf_reset(tmp);
		columns_format_money((long long)v->valuedouble, currency, tmp);
		fprintf(f, " %s\n", buf_str(tmp));
	} else if (cJSON_IsNumber(v))
		fprintf(f, " %lld\n", (long long)v->valuedouble);
	else if (cJSON_IsBool(v))
		fprintf(f, " %s\n", cJSON_IsTrue(v) ? "true" : "false");
	else
		fputs(" -\n", f);
}

void
cli_print_object(FILE *f, enum sd_kind k, const cJSON *obj)
{
	const cJSON *c;
	const char *currency = json_str(obj, "currency");
	struct buf tmp;

	buf_init(&tmp);
	cJSON_ArrayForEach(c, obj) {
		buf_reset(&tmp);
		text_sanitize_buf(c->string, 0, &tmp);
		fprintf(f, "%s:", buf_str(&tmp));
		print_value(f, c, 1, &tmp, currency != NULL ? currency : "CNY");
	}
	buf_done(&tmp);
}
