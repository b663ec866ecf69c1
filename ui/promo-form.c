/*
 * promo-form.c -- the Promotions pane's form for a new promotion
 * (new-promo, + in the pane): the kind first, then only the fields that
 * kind has, each checked as it is left -- dates through the one parser of
 * user dates, in order and ahead; a flash price below the SKU's regular
 * price and its quantity within the stock not reserved, both from the
 * cache; percentages in range; tiers going up. On submit the whole
 * promotion is prepared as `:create` would (action_prepare: the same
 * checks as the CLI and the store), an overlap with another promotion on
 * the same SKUs is shown and asks for a second submit, and the create is
 * queued in the outbox; the new draft is selected once the store made it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "catalog-rules.h"
#include "model.h"
#include "ui/app.h"
#include "ui/form.h"
#include "ui/i18n.h"
#include "ui/promo-form.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

/* The slack the store allows for "now" (as action-check.c's). */
#define PROMO_FORM_PAST_SLACK	300

struct promo_form {
	struct app	*app;
	const struct action_def *def;	/* promos create */
	char		*overlap;	/* the warning a submit showed: submit again to queue */
};

/* Fields: the action's flags, in the order they are asked. */
static const struct {
	const char	*name;
	const char	*label;
	const char	*hint;
	const char	*kinds;		/* " a b " the kinds that have it; NULL: all */
	int		 optional;
} promo_fields[] = {
	{ "kind", N_("Kind"), N_("Tab completes: threshold_coupon percent_coupon fixed_coupon "
	    "new_customer_coupon flash_sale tiered n_items bundle member_price group_buy"), NULL, 0 },
	{ "name", N_("Name"), N_("what buyers see, 1 to 60 characters"), NULL, 0 },
	{ "starts", N_("Starts"), N_("now, today 20:00, tomorrow, +2h, +7d or 2026-12-12 20:00 "
	    "(the store's time)"), NULL, 0 },
	{ "ends", N_("Ends"), N_("after the start and in the future: +7d, 2026-12-20 or "
	    "tomorrow 23:59"), NULL, 0 },
	{ "skus", N_("SKUs"), N_("SKU ids, comma-separated, Tab completes from the cache "
	    "(a coupon: empty for the whole store)"), NULL, 1 },
	{ "threshold", N_("Threshold"), N_("order amount in yuan from which it applies: 199"),
	  " threshold_coupon ", 0 },
	{ "off", N_("Amount off"), N_("yuan taken off, below the threshold: 20"),
	  " threshold_coupon fixed_coupon new_customer_coupon ", 0 },
	{ "items", N_("Items to buy"), N_("how many items to buy, 2 to 100"), " n_items ", 0 },
	{ "level", N_("Member level"), N_("Tab: normal, gold or diamond"), " member_price ", 0 },
	{ "group-size", N_("Group size"), N_("buyers a group needs, 2 to 100"), " group_buy ", 0 },
	{ "percent-off", N_("Percent off"), N_("1 to 99: 10 takes a tenth off the price"),
	  " percent_coupon n_items member_price ", 0 },
	{ "max-off", N_("Cap"), N_("most yuan taken off per order; empty: no cap"),
	  " percent_coupon ", 1 },
	{ "price", N_("Price"), N_("the price in yuan, below each SKU's regular price"),
	  " flash_sale bundle group_buy ", 0 },
	{ "quantity", N_("Quantity cap"), N_("units sold at that price, within the stock not "
	    "reserved"), " flash_sale ", 0 },
	{ "tiers", N_("Tiers"), N_("threshold:off in yuan, going up: 199:20,299:40"), " tiered ", 0 },
	{ "budget", N_("Budget"), N_("most discount in total, yuan; empty: no limit"), NULL, 1 },
	{ "per-customer", N_("Per customer"), N_("uses per customer; empty: no limit"), NULL, 1 },
	{ "stock", N_("Total uses"), N_("uses in total; empty: no limit"), NULL, 1 },
};
#define NPROMO_FIELDS	(sizeof promo_fields / sizeof promo_fields[0])

static const struct action_arg *
promo_arg(const struct promo_form *pf, const char *flag)
{
	int i = action_arg_index(pf->def, flag);

	return i < 0 ? NULL : &pf->def->args[i];
}

/* Whether field i is shown for kind. */
static int
promo_field_shown(size_t i, const char *kind)
{
	char word[40];

	if (promo_fields[i].kinds == NULL)
		return 1;
	snprintf(word, sizeof word, " %s ", kind);
	return strstr(promo_fields[i].kinds, word) != NULL;
}

/* Whether kind is one of the store's kinds. */
static int
promo_kind_known(const struct promo_form *pf, const char *kind)
{
	const struct action_arg *a = promo_arg(pf, "kind");
	int i;

	for (i = 0; a != NULL && a->values[i] != NULL; i++)
		if (strcmp(a->values[i], kind) == 0)
			return 1;
	return 0;
}

static void
promo_form_changed(struct form *f, int i)
{
	struct promo_form *pf = f->arg;
	const char *kind = f->fields[form_find(f, "kind")].value;
	size_t k;

	if (pf->overlap != NULL)
		form_notice(f, 0, NULL);	/* as typed now, it is checked again */
	free(pf->overlap);
	pf->overlap = NULL;
	if (strcmp(f->fields[i].name, "kind") != 0)
		return;
	for (k = 1; k < NPROMO_FIELDS; k++)	/* the kind itself is always shown */
		f->fields[k].hidden = !promo_kind_known(pf, kind) || !promo_field_shown(k, kind);
}

/* The time typed in field name: 1 and *t, 0 when empty or bad. */
static int
promo_time(struct form *f, const char *name, time_t now, time_t *t)
{
	const char *v = form_value(f, name);
	char *cause = NULL;

	if (*v == '\0' || action_parse_time(v, now, t, &cause) != 0) {
		free(cause);
		return 0;
	}
	return 1;
}

/* Money in yuan in field i: 1 and *fen, or 0 with the field's error. */
static int
promo_money(struct form *f, int i, long long *fen)
{
	const struct action_arg *a = promo_arg(f->arg, f->fields[i].name);
	char *cause = NULL;

	if (action_parse_money(f->fields[i].value, a->min, a->max, fen, &cause) != 0) {
		form_error(f, i, "%s", cause);
		free(cause);
		return 0;
	}
	return 1;
}

/* A whole number in min..max in field i: 1 and *n, or 0 with the field's error. */
static int
promo_int(struct form *f, int i, long long *n)
{
	const struct action_arg *a = promo_arg(f->arg, f->fields[i].name);
	char *end;

	*n = strtoll(f->fields[i].value, &end, 10);
	if (end == f->fields[i].value || *end != '\0' || *n < a->min || *n > a->max) {
		form_error(f, i, _("a whole number from %lld to %lld"), a->min, a->max);
		return 0;
	}
	return 1;
}

/* The SKUs of the form, each cached: their JSON into fn; 0, or -1 with the field's error. */
static int
promo_skus_each(struct form *f, int (*fn)(struct form *, const char *id, const cJSON *sku,
    void *), void *arg)
{
	struct promo_form *pf = f->arg;
	int i = form_find(f, "skus"), rc = 0;
	char *list, *id, *save = NULL, *json;
	cJSON *sku;

	list = xstrdup(f->fields[i].value);
	for (id = strtok_r(list, ", ", &save); id != NULL && rc == 0;
	    id = strtok_r(NULL, ", ", &save)) {
		if ((json = cache_get_json(pf->app->cache, KIND_SKU, id)) == NULL) {
			char *clean = text_clip(id);

			form_error(f, i, _("SKU %s is not in the cache: sync, or check the id"), clean);
			free(clean);
			rc = -1;
			break;
		}
		sku = cJSON_Parse(json);
		free(json);
		if (sku != NULL && fn != NULL)
			rc = fn(f, id, sku, arg);
		cJSON_Delete(sku);
	}
	free(list);
	return rc;
}

/* A flash price at or above a SKU's regular price. */
static int
promo_check_price(struct form *f, const char *id, const cJSON *sku, void *arg)
{
	long long price = *(long long *)arg, regular = json_int(sku, "price", 0);
	struct buf a, b;

	if (regular <= 0 || price < regular)
		return 0;
	buf_init(&a);
	buf_init(&b);
	action_format_money(price, &a);
	action_format_money(regular, &b);
	form_error(f, form_find(f, "price"), _("%s is not below SKU %s's regular price %s"),
	    buf_str(&a), id, buf_str(&b));
	buf_done(&a);
	buf_done(&b);
	return -1;
}

/* A quantity cap above a SKU's stock not reserved. */
static int
promo_check_quantity(struct form *f, const char *id, const cJSON *sku, void *arg)
{
	long long q = *(long long *)arg;
	long long avail = json_int(sku, "stock", 0) - json_int(sku, "reserved", 0);

	if (q <= avail)
		return 0;
	form_error(f, form_find(f, "quantity"), _("%lld is more than SKU %s has in stock "
	    "(%lld not reserved)"), q, id, avail < 0 ? 0 : avail);
	return -1;
}

/* "199:20,299:40": each off below its threshold, thresholds going up. */
static void
promo_check_tiers(struct form *f, int i)
{
	char *list = xstrdup(f->fields[i].value), *t, *save = NULL, *colon, *cause = NULL;
	long long th, off, last = -1, max = promo_arg(f->arg, "threshold")->max;
	int n = 0;

	for (t = strtok_r(list, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		n++;
		if ((colon = strchr(t, ':')) == NULL) {
			form_error(f, i, _("tier %d: threshold:off, such as 199:20"), n);
			break;
		}
		*colon = '\0';
		if (action_parse_money(t, 1, max, &th, &cause) != 0 ||
		    action_parse_money(colon + 1, 1, max, &off, &cause) != 0) {
			form_error(f, i, _("tier %d: %s"), n, cause);
			free(cause);
			break;
		}
		if (off >= th) {
			form_error(f, i, _("tier %d: the amount off must be below its threshold"), n);
			break;
		}
		if (th <= last) {
			form_error(f, i, _("tier %d: thresholds must go up"), n);
			break;
		}
		last = th;
	}
	free(list);
}

/* Whether field i must be given (the SKUs of a flash sale, a bundle, a group buy). */
static int
promo_field_required(const struct form *f, int i)
{
	const char *kind = form_value(f, "kind");

	if (strcmp(f->fields[i].name, "skus") == 0)
		return strcmp(kind, "flash_sale") == 0 || strcmp(kind, "bundle") == 0 ||
		    strcmp(kind, "group_buy") == 0;
	return !promo_fields[i].optional;
}

static void
promo_form_check(struct form *f, int i)
{
	struct promo_form *pf = f->arg;
	struct form_field *ff = &f->fields[i];
	const char *name = ff->name, *v = ff->value, *kind = form_value(f, "kind");
	time_t now = app_time(pf->app), t, starts;
	long long n;
	char *cause = NULL;

	form_error(f, i, NULL);
	if (ff->hidden)
		return;
	if (*v == '\0') {
		if (promo_field_required(f, i))
			form_error(f, i, "%s", _("required"));
		return;
	}
	if (strcmp(name, "kind") == 0) {
		if (!promo_kind_known(pf, v))
			form_error(f, i, "%s", _("not a kind: Tab lists them"));
	} else if (strcmp(name, "name") == 0) {
		if (text_utf8_len(v) > 60)
			form_error(f, i, "%s", _("at most 60 characters"));
	} else if (strcmp(name, "starts") == 0 || strcmp(name, "ends") == 0) {
		if (action_parse_time(v, now, &t, &cause) != 0) {
			form_error(f, i, "%s", cause);
			free(cause);
		} else if (strcmp(name, "starts") == 0 && t < now - PROMO_FORM_PAST_SLACK)
			form_error(f, i, "%s", _("the start has passed: give now or a later time"));
		else if (strcmp(name, "ends") == 0 && !catalog_promo_ahead(t, now))
			form_error(f, i, "%s", _("the end has passed: give a time in the future"));
		else if (strcmp(name, "ends") == 0 && promo_time(f, "starts", now, &starts) &&
		    !catalog_promo_dates_ok(starts, t))
			form_error(f, i, "%s", _("the end must be after the start"));
		if (strcmp(name, "starts") == 0 && form_find(f, "ends") >= 0 &&
		    *form_value(f, "ends") != '\0')
			promo_form_check(f, form_find(f, "ends"));	/* still after it? */
	} else if (strcmp(name, "skus") == 0) {
		if (promo_skus_each(f, NULL, NULL) == 0 && strcmp(kind, "flash_sale") == 0) {
			if (*form_value(f, "price") != '\0')
				promo_form_check(f, form_find(f, "price"));
			if (*form_value(f, "quantity") != '\0')
				promo_form_check(f, form_find(f, "quantity"));
		}
	} else if (strcmp(name, "threshold") == 0 || strcmp(name, "off") == 0 ||
	    strcmp(name, "max-off") == 0) {
		if (promo_money(f, i, &n) && strcmp(name, "off") == 0 &&
		    strcmp(kind, "threshold_coupon") == 0) {
			long long th;
			char *e = NULL;

			if (action_parse_money(form_value(f, "threshold"), 1, promo_arg(pf, "threshold")->max, &th, &e) == 0 &&
			    n >= th)
				form_error(f, i, "%s", _("must be below the threshold"));
			free(e);
		}
	} else if (strcmp(name, "budget") == 0) {
		(void)promo_money(f, i, &n);
	} else if (strcmp(name, "price") == 0) {
		if (promo_money(f, i, &n) && strcmp(kind, "flash_sale") == 0)
			(void)promo_skus_each(f, promo_check_price, &n);
	} else if (strcmp(name, "quantity") == 0) {
		if (promo_int(f, i, &n))
			(void)promo_skus_each(f, promo_check_quantity, &n);
	} else if (strcmp(name, "percent-off") == 0) {
		(void)promo_int(f, i, &n);
	} else if (strcmp(name, "items") == 0 || strcmp(name, "group-size") == 0) {
		(void)promo_int(f, i, &n);
	} else if (strcmp(name, "per-customer") == 0 || strcmp(name, "stock") == 0) {
		(void)promo_int(f, i, &n);
	} else if (strcmp(name, "level") == 0) {
		if (strcmp(v, "normal") != 0 && strcmp(v, "gold") != 0 && strcmp(v, "diamond") != 0)
			form_error(f, i, "%s", _("normal, gold or diamond"));
	} else if (strcmp(name, "tiers") == 0)
		promo_check_tiers(f, i);
}

static void
promo_form_complete(struct form *f, int i, void (*add)(void *, const char *), void *acc)
{
	struct promo_form *pf = f->arg;
	const struct action_arg *a = promo_arg(pf, f->fields[i].name);

	if (a != NULL && (a->type == ARG_ENUM || a->type == ARG_LIST))
		commands_complete_arg(pf->app, pf->def, a, f->fields[i].value, add, acc);
}

/* The action's values[] (by its arguments) from the shown fields; n slots. */
static void
promo_form_values(const struct form *f, const char **values, size_t n)
{
	const struct promo_form *pf = f->arg;
	int i, k;

	for (i = 0; i < f->n; i++)
		if (!f->fields[i].hidden && f->fields[i].value[0] != '\0' &&
		    (k = action_arg_index(pf->def, f->fields[i].name)) >= 0 && (size_t)k < n)
			values[k] = f->fields[i].value;
}

/*
 * Leaving field i: check it, and once every field is good, prepare the
 * promotion to show an overlap with another one at once (not refused: C-x
 * queues it as it stands).
 */
static void
promo_form_left(struct form *f, int i)
{
	struct promo_form *pf = f->arg;
	const char *values[FORM_FIELDS_MAX + 8] = { NULL };
	struct action_plan plan;
	char *cause = NULL;
	int k;

	promo_form_check(f, i);
	for (k = 0; k < f->n; k++)
		if (!f->fields[k].hidden && (f->fields[k].error != NULL ||
		    (f->fields[k].value[0] == '\0' && promo_field_required(f, k))))
			return;		/* not yet whole */
	promo_form_values(f, values, sizeof values / sizeof values[0]);
	if (action_prepare(pf->app->cache, pf->def, NULL, values, app_time(pf->app), &plan,
	    &cause) != SD_OK) {
		free(cause);		/* said on submit, with the rest */
		return;
	}
	if (plan.note != NULL) {
		free(pf->overlap);
		pf->overlap = xstrdup(plan.note);
		form_notice(f, 0, _("C-x queues it all the same: %s"), plan.note);
	}
	action_plan_done(&plan);
}

static int
promo_form_submit(struct form *f)
{
	struct promo_form *pf = f->arg;
	const char *values[FORM_FIELDS_MAX + 8] = { NULL };
	struct action_plan plan;
	char *cause = NULL;
	int i;

	form_notice(f, 0, NULL);
	for (i = 0; i < f->n; i++)
		promo_form_check(f, i);		/* not promo_form_left: no preview */
	if (form_has_errors(f)) {
		form_notice(f, 1, "%s", _("not queued: correct the fields marked !"));
		for (i = 0; i < f->n; i++)
			if (!f->fields[i].hidden && f->fields[i].error != NULL) {
				f->cur = i;
				break;
			}
		return 0;
	}
	promo_form_values(f, values, sizeof values / sizeof values[0]);
	if (action_prepare(pf->app->cache, pf->def, NULL, values, app_time(pf->app), &plan,
	    &cause) != SD_OK) {
		form_notice(f, 1, _("not queued: %s"), cause);
		free(cause);
		return 0;
	}
	/* An overlap is a warning, not a refusal: shown, then a second submit queues. */
	if (plan.note != NULL && (pf->overlap == NULL || strcmp(pf->overlap, plan.note) != 0)) {
		free(pf->overlap);
		pf->overlap = xstrdup(plan.note);
		form_notice(f, 0, _("C-x again queues it anyway -- %s"), plan.note);
		action_plan_done(&plan);
		return 0;
	}
	if (commands_queue_plan(pf->app, &plan, 0, &cause) != 0) {
		form_notice(f, 1, _("not queued: %s"), cause);
		free(cause);
		return 0;
	}
	return 1;
}

static void
promo_form_free(void *arg)
{
	struct promo_form *pf = arg;

	free(pf->overlap);
	free(pf);
}

static const struct form_ops promo_form_ops = {
	.check = promo_form_left,
	.complete = promo_form_complete,
	.submit = promo_form_submit,
	.changed = promo_form_changed,
	.free = promo_form_free,
};

int
promo_form_open(struct app *app, const char *kind, char **cause)
{
	struct promo_form *pf;
	struct form *f;
	size_t i;

	if (app_pane(app)->ops->kind != KIND_PROMOTION) {
		*cause = xstrdup(_("new-promo: in the Promotions pane (6)"));
		return -1;
	}
	pf = xcalloc(1, sizeof *pf);
	pf->app = app;
	pf->def = action_find("promos", "create");
	if (pf->def == NULL || !commands_action_offered(app, pf->def, cause)) {
		free(pf);
		return -1;
	}
	app_form_close(app);
	f = form_new(_("New promotion (as a draft, through the outbox)"), &promo_form_ops, pf);
	for (i = 0; i < NPROMO_FIELDS; i++)
		form_add(f, promo_fields[i].name, _(promo_fields[i].label),
		    _(promo_fields[i].hint), NULL);
	if (kind != NULL)
		form_set_value(f, 0, kind);
	promo_form_changed(f, 0);
	if (kind != NULL && promo_kind_known(pf, kind))
		f->cur = 1;
	app->form = f;
	free(app->message);
	app->message = NULL;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_MESSAGE;
	return 0;
}

/* new-promo [KIND] */
int
promo_form_cmd(void *arg, int argc, char **argv, char **cause)
{
	return promo_form_open(arg, argc > 1 ? argv[1] : NULL, cause);
}
