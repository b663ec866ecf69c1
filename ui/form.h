/*
 * form.h -- a small form over the pane: a list of named fields, each with
 * its label, a hint line, the value as typed and an error under it.
 *
 * Tab completes the field's value when its owner offers candidates (an
 * enumerated value, an id from the cache) and else moves on, as Down and
 * Enter do; Shift-Tab and Up move back. Enter on the last field or C-x
 * submits. Leaving a field asks the owner to check it (the error shows under
 * it at once). Esc asks first, so nothing typed is lost by a stray key: a
 * second Esc (or y) closes the form, any other key goes back to it.
 * Fields may come in rows (the SKUs of a product): the owner adds and
 * removes them (form_insert, form_remove) from keys of its own (ops->key),
 * and a line above each row's first field says which row it is.
 * The owners (ui/promo-form.c, ui/product-form.c) hold the rules; this file
 * only edits and draws.
 */
#ifndef SD_UI_FORM_H
#define SD_UI_FORM_H

#include <curses.h>

#include "ui/key.h"

#define FORM_FIELDS_MAX	96

struct form;

struct form_field {
	const char	*name;		/* the owner's key: "starts" */
	char		*label;		/* shown, translated: "Starts" (owned) */
	const char	*hint;		/* shown while on it, translated */
	char		*value;		/* as typed (owned) */
	char		*error;		/* under it, or NULL (owned) */
	int		 hidden;	/* not part of the form now */
	int		 row;		/* 0, or the repeated row (a SKU) it belongs to, from 1 */
};

struct form_ops {
	/* Check field i as it stands (set or clear its error with form_error()). */
	void	(*check)(struct form *, int i);
	/* Candidates for field i starting with its value: add each; may be NULL. */
	void	(*complete)(struct form *, int i, void (*add)(void *, const char *), void *acc);
	/* Submit (check every field first): 1 when done (the caller closes the form), 0 to stay. */
	int	(*submit)(struct form *);
	/* Field i changed (a kind chosen): the owner may hide or show others. */
	void	(*changed)(struct form *, int i);
	/* A key before the form's own: 1 taken (a row added); may be NULL. */
	int	(*key)(struct form *, struct key);
	/* The title of row r, shown above its first field; may be NULL. */
	char	*(*row_title)(struct form *, int r);
	/* Free the owner's arg when the form is freed; may be NULL. */
	void	(*free)(void *arg);
};

struct form {
	char		*title;		/* owned */
	struct form_field fields[FORM_FIELDS_MAX];
	int		 n;
	int		 cur;		/* the field being edited */
	int		 closing;	/* Esc pressed once: asking */
	char		*notice;	/* a warning or error for the whole form (owned) */
	int		 notice_error;	/* ... shown as an error */
	char		*candidates;	/* the completions shown on the hint line (owned) */
	int		 queued;	/* the owner queued what it was for */
	const struct form_ops *ops;
	void		*arg;		/* the owner's */
};

/* A form with no fields yet; title copied. */
struct form *form_new(const char *title, const struct form_ops *, void *arg);
void	 form_free(struct form **);
/* Add a field; returns its index. */
int	 form_add(struct form *, const char *name, const char *label, const char *hint,
	    const char *value);
/* Insert a field at index at (the ones from there move down); its index or -1. */
int	 form_insert(struct form *, int at, const char *name, const char *label,
	    const char *hint, const char *value, int row);
/* Remove n fields from index at. */
void	 form_remove(struct form *, int at, int n);
/* The field named name, or -1; its value ("" when hidden or empty). */
int	 form_find(const struct form *, const char *name);
const char *form_value(const struct form *, const char *name);
void	 form_set_value(struct form *, int i, const char *value);
/* Set (fmt not NULL) or clear field i's error / the form's notice. */
void	 form_error(struct form *, int i, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 form_notice(struct form *, int error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Whether any shown field has an error. */
int	 form_has_errors(const struct form *);
/* Check every shown field. */
void	 form_check_all(struct form *);
/* A key: 1 taken and still open, 0 to close it (cancelled or submitted). */
int	 form_key(struct form *, struct key);
void	 form_draw(struct form *, WINDOW *);

#endif
