/*
 * columns.h -- the list columns of each kind and the text of one cell.
 *
 * Shared by the CLI's tables (src/cli/cli-format.c) and the console's list
 * widget (ui/list.c): one table per kind says which member is shown, how it
 * is formatted for a person and how wide it is, so that both show the same
 * thing. Cell text is sanitised: it never carries a control character.
 */
#ifndef SD_COLUMNS_H
#define SD_COLUMNS_H

#include <time.h>

#include <cjson/cJSON.h>

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
	COL_ID,		/* the id; for people "#N" when the object has a display_id N */
	COL_SLA,	/* a ticket's SLA clock (sla.h): "review", "pickup", "met"... */
	COL_SLA_DUE,	/* ... its time left ("1h20m", "-15m" overdue); CSV: the due time */
	COL_AVAILABLE,	/* a SKU's stock less its reserved units (its path names it in CSV) */
	COL_SKU_NAME,	/* a SKU as people name it: its product's title, then its variant */
};

struct column {
	const char	*header;	/* table header and CSV name */
	const char	*path;		/* "address.city": members joined by dots (COL_SLA*: a name) */
	enum col_type	 type;
	int		 width;		/* table width in columns; 0 = takes the rest */
};

/* The list columns of a kind (NULL-header terminated). */
const struct column *columns_for(enum sd_kind);
/* Whether a column holds a number (right-aligned in tables). */
int	 column_numeric(const struct column *);
/* How column_text() writes a cell. */
#define COLUMN_RAW	0	/* raw values: money in minor units, times RFC 3339 UTC */
#define COLUMN_HUMAN	1	/* for a screen: "¥238.00", "11-22 16:15", "4m" */
#define COLUMN_EXPORT	2	/* for a spreadsheet: "238.00", "2026-11-22 16:15:00 +08:00" */

/*
 * Append the text of c for obj to out, as human says (COLUMN_*): for a
 * person (money "¥238.00", local times, durations), raw values, or for a
 * file people open (money in yuan with two decimals, times where the store
 * is with their offset; durations as the time they count to). now is used
 * by COL_AGO/COL_DUE.
 */
void	 column_text(const cJSON *obj, const struct column *c, int human, time_t now,
	    struct buf *out);
/* An amount in minor units: "¥238.00" / "CNY 238.00" / "USD 1.00". */
void	 columns_format_money(long long minor, const char *currency, struct buf *out);
/* An amount in minor units as a spreadsheet reads it: "238.00", "-0.50". */
void	 column_export_money(long long minor, struct buf *out);
/* A duration for people: "45s", "4m", "2h05m", "3d"; negative with "-". */
void	 columns_format_duration(long long secs, struct buf *out);

#endif
