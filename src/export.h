/*
 * export.h -- lists written as CSV for people: the console's :export and
 * the CLI's --format csv.
 *
 * A spreadsheet is read by a person, so a cell is as they would write it:
 * money in yuan with two decimals ("238.00"), times where the store is with
 * their offset ("2026-11-22 16:15:00 +08:00"), ids raw; --format json keeps
 * the store's units. Text is sanitised (no control characters) and a
 * leading = + - @ is defused so that a cell is never a formula. The header
 * is the member names ("created_at"), or the columns' names in a language
 * the caller gives. An optional UTF-8 byte order mark makes Excel read the
 * Chinese right.
 *
 * export_open() refuses to replace a file unless told to (vi's :w!), and a
 * replaced file is written beside it and renamed, so a failed export never
 * leaves half a file where a good one was.
 */
#ifndef SD_EXPORT_H
#define SD_EXPORT_H

#include <stdio.h>

#include "cache-query.h"
#include "columns.h"
#include "model.h"

struct csv_writer;

/*
 * A writer of rows of kind k in cols to out. headers: one name per column
 * (NULL: the member paths). bom: begin with a UTF-8 byte order mark. mask:
 * mask personal data (model_mask_object).
 */
struct csv_writer *csv_writer_new(FILE *out, enum sd_kind k, const struct column *cols,
	    const char *const *headers, int bom, int mask);
/* One row from the cache's JSON; a row that is not JSON is skipped. */
void	 csv_writer_row(struct csv_writer *, const char *json);
/* Rows written so far. */
long	 csv_writer_rows(const struct csv_writer *);
/* Free (accepts NULL); returns the rows written. */
long	 csv_writer_free(struct csv_writer **);

/* A CSV field: quoted when needed; a leading = + - @ of text is defused. */
void	 csv_field(struct buf *line, const char *s, int numeric);

struct export_file {
	char	*path;		/* where the export goes */
	char	*tmp;		/* written here and renamed, when replacing; or NULL */
	FILE	*f;
};

/*
 * Open path for an export: a new file, or with force one that exists
 * (written beside it, renamed by export_close). 0, or -1 with *cause:
 * "FILE exists (export! FILE replaces it)".
 */
int	 export_open(struct export_file *, const char *path, int force, char **cause);
/*
 * Finish: ok says whether everything was written. The file is flushed,
 * synced and put in place; on failure (or !ok) nothing is left behind
 * and a replaced file is kept as it was. 0, or -1 with *cause.
 */
int	 export_close(struct export_file *, int ok, char **cause);

/*
 * Every row of q (its filters and order, not a page) through w. 0, or -1
 * with *cause.
 */
int	 export_query(struct cache *, const struct query *q, struct csv_writer *w,
	    char **cause);

#endif
