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
/*
 * Append the text of c for obj to out. human: formatted for a person
 * (money "¥238.00", local times, durations); otherwise raw values for CSV
 * (money in minor units, times as RFC 3339). now is used by COL_AGO/COL_DUE.
 */
void	 column_text(const cJSON *obj, const struct column *c, int human, time_t now,
	    struct buf *out);
/* An amount in minor units: "¥238.00" / "CNY 238.00" / "USD 1.00". */
void	 columns_format_money(long long minor, const char *currency, struct buf *out);
/* A duration for people: "45s", "4m", "2h05m", "3d"; negative with "-". */
void	 columns_format_duration(long long secs, struct buf *out);

#endif
