/*
 * cli-format.h -- printing objects as a table, JSON lines or CSV.
 *
 * Each kind's columns are one table (cli_columns_for); a listing streams
 * rows as they come from the cache, so memory does not grow with the list.
 * Text from the store is sanitised for the terminal in every format: the
 * table strips controls and escape sequences and fits CJK by width; JSON
 * escapes C1 controls and bidi overrides as \uXXXX; CSV strips controls and
 * defuses leading formula characters.
 */
#ifndef SD_CLI_FORMAT_H
#define SD_CLI_FORMAT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "model.h"
#include "util/buf.h"

enum col_type {
	COL_STR,	/* string as is */
	COL_INT,	/* integer */
	COL_MONEY,	/* minor units + "currency" of the object */
	COL_TIME,	/* RFC 3339, shown as local "MM-DD HH:MM" */
	COL_AGO,	/* RFC 3339, shown as time since ("4m", "2h05m") */
	COL_DUE,	/* RFC 3339, shown as time left ("1h20m", "-15m" when past) */
	COL_COUNT,	/* number of elements of an array */
	COL_BOOL,	/* true/false, shown as "yes" or "" */
};

struct column {
	const char	*header;	/* table header and CSV name */
	const char	*path;		/* "address.city": members joined by dots */
	enum col_type	 type;
	int		 width;		/* table width in columns; 0 = takes the rest */
};

/* The list columns of a kind (NULL-header terminated). */
const struct column *cli_columns_for(enum sd_kind);

struct listing;
struct listing *listing_new(enum cli_format, enum sd_kind, FILE *out, int reveal);
void	 listing_row(struct listing *, const char *json);
/* Finish; returns the number of rows printed. */
long	 listing_end(struct listing *);

/* Print one object for a person (key: value lines, nested indented). */
void	 cli_print_object(FILE *, enum sd_kind, const cJSON *obj);
/* cJSON_PrintUnformatted made safe for a terminal (C1, bidi as \uXXXX). */
void	 cli_json_safe(const char *json, struct buf *out);
/* Format an amount in minor units: "¥238.00" / "CNY 238.00". */
void	 cli_format_money(long long minor, const char *currency, struct buf *out);

#endif
