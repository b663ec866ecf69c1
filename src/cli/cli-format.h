/*
 * cli-format.h -- printing objects as a table, JSON lines or CSV.
 *
 * Each kind's columns are one table (cli_columns_for); a listing streams
 * rows as they come from the cache, so memory does not grow with the list.
 * Text from the store is sanitised for the terminal in every format: the
 * table strips controls and escape sequences and fits CJK by width; JSON
 * escapes C1 controls and bidi overrides as \uXXXX; CSV (export.h) strips
 * controls and defuses leading formula characters.
 */
#ifndef SD_CLI_FORMAT_H
#define SD_CLI_FORMAT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "columns.h"
#include "model.h"
#include "util/buf.h"

/* The column tables and cell text live in src/columns.h, shared with the console. */
#define cli_columns_for(k)	columns_for(k)

struct listing;
struct listing *listing_new(enum cli_format, enum sd_kind, FILE *out, int reveal);
/*
 * The same; a CSV listing is for people (export.h) with headers (one per
 * column, NULL: the member names) and bom (a UTF-8 byte order mark first).
 */
struct listing *listing_new_csv(enum cli_format, enum sd_kind, FILE *out, int reveal,
	    const char *const *headers, int bom);
void	 listing_row(struct listing *, const char *json);
/* Finish; returns the number of rows printed. */
long	 listing_end(struct listing *);

/* Print one object for a person (key: value lines, nested indented). */
/*
 * A time as the contract sends it ("2026-11-22T08:15:00Z") in the store's
 * zone with its offset, "2026-11-22 16:15:00 +08:00", appended to out; 0, or
 * -1 (out unchanged) when s is not such a time.
 */
int	 cli_format_time(const char *s, struct buf *out);
void	 cli_print_object(FILE *, enum sd_kind, const cJSON *obj);
/*
 * cJSON_PrintUnformatted made safe for a terminal (C1, bidi as \uXXXX) and
 * valid UTF-8: a byte that is not UTF-8 becomes \ufffd (cJSON copies bytes).
 */
void	 cli_json_safe(const char *json, struct buf *out);
/*
 * A table's header line for people, in the user's language: names[i] (msgids)
 * translated and padded by display width to widths[i] columns, to the left
 * when negative (as %-6s), to the right when positive (%7s), not at all when
 * 0 (the last); sep between them, a newline after.
 */
void	 cli_print_header(FILE *, const char *sep, const int *widths,
	    const char *const *names, size_t n);
/* Format an amount in minor units: "¥238.00" / "CNY 238.00". */
void	 cli_format_money(long long minor, const char *currency, struct buf *out);

#endif
