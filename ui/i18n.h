/*
 * i18n.h -- the console's messages in the user's language (gettext).
 *
 * _("Orders") translates at run time, N_("Orders") only marks a string for
 * xgettext (tables of labels translated where they are shown). The text
 * domain is "shopdesk"; ui/po/zh_CN.po holds the Chinese, English is the
 * msgid itself.
 *
 * The Store API's status codes ("awaiting_shipment", "return_refund") are
 * never shown raw: i18n_status() names them in the user's language from one
 * table of every code (see i18n.c), so the panes, the status line and the
 * filters all say 待发货 for the same code.
 */
#ifndef SD_UI_I18N_H
#define SD_UI_I18N_H

#include <stddef.h>
#include <libintl.h>

#include "model.h"

#define _(s)		gettext(s)
#define N_(s)		(s)
/* A label with a context (the kind of code), for xgettext's --keyword=NC_:1c,2. */
#define NC_(c, s)	(s)

#define I18N_DOMAIN	"shopdesk"

/*
 * Once at start, before any _(): sets the locale from the environment (unless
 * the program already did) and binds the "shopdesk" domain to the first of
 * $SHOPDESK_LOCALEDIR, the "locale" directory beside the running binary (an
 * uninstalled build tree) and the configured LOCALEDIR; messages in UTF-8.
 */
void	 i18n_init(void);
/* The directory i18n_init() bound the domain to (borrowed). */
const char *i18n_localedir(void);
/* What a step of a first sync's indexing (enum cache_bulk_step) is doing. */
const char *i18n_bulk_step(int step);

/*
 * The display name of a status code of the given kind, in the user's
 * language: ("order", "awaiting_shipment") is 待发货 in zh_CN, "awaiting
 * shipment" otherwise. An unknown kind or code is returned as the code
 * itself (sanitise it before drawing: it came from the store). Borrowed.
 *
 * Kinds: order payment fulfillment lifecycle abnormal channel payment_method
 * ticket_kind ticket priority sla chat queue chat_tag author shelf
 * promo_kind promo level role stock_reason outbox.
 */
const char *i18n_status(const char *kind, const char *code);

/* The table behind i18n_status(), for tests and filter menus. */
struct i18n_label {
	const char	*kind;		/* "order" */
	const char	*code;		/* "awaiting_shipment", as the store sends it */
	const char	*label;		/* "awaiting shipment": the msgid, context kind */
};
const struct i18n_label *i18n_status_table(size_t *n);

/*
 * The other way: the code of the given kind that s names, for filters and
 * options typed by people. s may be the code, its English label or its
 * Chinese one (as the zh_CN console shows it, read from the zh_CN catalogue
 * whatever the locale), with ASCII case, '-', '_' and blanks aside: for
 * "order", "Awaiting-Shipment", "awaiting shipment" and "待发货" are all
 * awaiting_shipment; "queue" takes "pre-sales" and "售前". The kind
 * "carrier" takes what carrier_resolve() does and gives the code ("SF").
 *
 * The code returned is static. NULL for a value of no code, with *cause
 * (caller frees) naming the valid ones: "unknown order status 'shiped'
 * (did you mean 'shipped'?); one of: pending_payment, ...". Not thread-safe
 * the first time (it reads the catalogue).
 */
const char *i18n_status_code(const char *kind, const char *s, char **cause);
/* The kind of label of the status of objects of kind k ("order", "chat"), or NULL. */
const char *i18n_status_kind(enum sd_kind k);

/*
 * msgid in a language whatever the locale: "zh" (the zh_CN catalogue, as
 * i18n_status_code() reads it), "en" (msgid itself) or "ui" (the user's,
 * gettext). A msgid with no translation is itself. Borrowed.
 */
const char *i18n_in_lang(const char *lang, const char *msgid);

/* The code a search term names in either language, or NULL (cache-fts.h). */
const char *i18n_search_alias(const char *term);

#endif
