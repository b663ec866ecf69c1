/*
 * product-form.c -- the Inventory pane's form for a product and its SKUs
 * (new-product, edit-product; P and E in the pane), and delete-product (D)
 * behind a confirmation.
 *
 * The product's fields come first -- title, subtitle, brand, the category
 * (Tab completes it from the cached category tree), the description and
 * the shelf status -- then one row of fields per SKU: its specifications,
 * codes, original / current / cost price and weight. C-n adds a SKU row,
 * C-k removes the one under the cursor (a new one: the store has no SKU
 * delete). Each field is checked as it is left: specifications unique in
 * the product, prices of at least 0.01, a barcode of digits; a current
 * price below the cost is said, and a second C-x queues it all the same
 * (the CLI's cost rule, src/catalog-rules.c).
 *
 * A new product is queued as its create, then its SKUs' creates naming it
 * "@N" (the outbox sends them once the store has made it, under its id:
 * src/outbox-push.c), offline as well; it starts off the shelf, as its
 * SKUs have no stock yet. An edit queues only what changed: products edit,
 * stock edit per SKU, stock price for a new price (its history is kept),
 * stock create for a new row, products shelf for a new status.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "cache-category.h"
#include "catalog-rules.h"
#include "model.h"
#include "outbox.h"
#include "ui/app.h"
#include "ui/confirm.h"
#include "ui/form.h"
#include "ui/i18n.h"
#include "ui/list.h"
#include "ui/product-form.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define PF_SKUS_MAX	12	/* SKU rows in one form */

struct product_form {
	struct app	*app;
	char		*product_id;	/* editing this product, or NULL: a new one */
	char		*orig[FORM_FIELDS_MAX];	/* editing: each field's value as filled */
	char		*sku_ids[PF_SKUS_MAX + 1];	/* editing: row r's SKU id, NULL: new */
	char		*warned;	/* the below-cost warning a submit showed */
};

/* The product's fields (row 0), in order. */
static const struct {
	const char	*name;
	const char	*label;
	const char	*hint;
} product_fields[] = {
	{ "title", N_("Title 商品"), N_("the product's title, 1 to 60 characters") },
	{ "subtitle", N_("Subtitle"), N_("a line under the title, at most 80 characters") },
	{ "brand", N_("Brand"), N_("at most 40 characters") },
	{ "category", N_("Category 类目"), N_("Tab completes a path or a name from the "
	    "store's category tree") },
	{ "description", N_("Description"), N_("what buyers read, at most 2000 characters "
	    "(the end stays in sight as you type)") },
	{ "status", N_("Status"), N_("off (下架), on (上架), or a time to go on the shelf "
	    "(定时上架): tomorrow 10:00, +2h; it needs stock to sell") },
};
#define NPRODUCT_FIELDS	(sizeof product_fields / sizeof product_fields[0])

/* A SKU row's fields, named as the action's flags. */

/*
 * Whether the status field says code ("on", "off"): as typed in English, in
 * Chinese (上架, 下架) or in the interface's language, as the field shows it.
 */
static int
pf_status_is(const char *v, const char *code)
{
	return strcmp(v, code) == 0 || strcmp(v, i18n_status("shelf", code)) == 0 ||
	    strcmp(v, strcmp(code, "on") == 0 ? "上架" : "下架") == 0;
}
static const struct {
	const char	*name;
	const char	*label;
	const char	*hint;
} sku_fields[] = {
	{ "spec", N_("Specs 规格"), N_("NAME=VALUE, comma-separated, unique within the "
	    "product: colour=red,size=M") },
	{ "sku-code", N_("SKU code"), N_("the merchant's own code, at most 40 characters") },
	{ "barcode", N_("Barcode 条码"), N_("digits only, up to 32 (EAN-13: 13 digits)") },
	{ "original-price", N_("Original 原价"), N_("the list price in yuan; empty: none") },
	{ "price", N_("Price 现价"), N_("the current price in yuan, at least 0.01") },
	{ "cost", N_("Cost 成本价"), N_("the cost in yuan; a price below it is warned") },
	{ "weight", N_("Weight (g)"), N_("grams, a whole number; empty: unknown") },
};
#define NSKU_FIELDS	(sizeof sku_fields / sizeof sku_fields[0])

static int	pf_price_changed(const struct form *, int);
static int	pf_is_changed(const struct form *, int);

/* The number of SKU rows. */
static int
pf_rows(const struct form *f)
{
	return f->n > 0 ? f->fields[f->n - 1].row : 0;
}

/* Field name of row r (0: the product's), or -1. */
static int
pf_field(const struct form *f, int r, const char *name)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->fields[i].row == r && strcmp(f->fields[i].name, name) == 0)
			return i;
	return -1;
}

static const char *
pf_value(const struct form *f, int r, const char *name)
{
	int i = pf_field(f, r, name);

	return i < 0 ? "" : f->fields[i].value;
}

static char *
pf_row_title(struct form *f, int r)
{
	struct product_form *pf = f->arg;

	if (pf->sku_ids[r] != NULL)
		return xasprintf(_("SKU %d 规格 (%s)"), r, pf->sku_ids[r]);
	return xasprintf(_("SKU %d 规格 (new)"), r);
}

/* Append a SKU row with values (NULL: empty); its first field's index, or -1. */
static int
pf_add_row(struct form *f, const char *const *values)
{
	int r = pf_rows(f) + 1, first = f->n;
	size_t k;
	char *label;

	if (r > PF_SKUS_MAX || f->n + (int)NSKU_FIELDS > FORM_FIELDS_MAX)
		return -1;
	for (k = 0; k < NSKU_FIELDS; k++) {
		label = xstrdup(_(sku_fields[k].label));
		form_insert(f, f->n, sku_fields[k].name, label, _(sku_fields[k].hint),
		    values != NULL ? values[k] : NULL, r);
		free(label);
	}
	return first;
}

/* "colour=red,size=M" as a canonical text (names sorted, blanks trimmed), or NULL and *why. */
static char *
pf_specs_key(const char *s, char **why)
{
	char *copy = xstrdup(s), *tok, *save = NULL, *eq, *p, *names[6], *vals[6];
	int n = 0, i, j;
	struct buf b;

	*why = NULL;
	while ((p = strstr(copy, "\xef\xbc\x8c")) != NULL) {	/* a full-width comma */
		p[0] = ',';
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
	}
	for (tok = strtok_r(copy, ",", &save); tok != NULL && *why == NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " ");
		for (p = tok + strlen(tok); p > tok && p[-1] == ' ';)
			*--p = '\0';
		if ((eq = strchr(tok, '=')) == NULL || eq == tok || eq[1] == '\0') {
			*why = xasprintf(_("\"%s\" is not NAME=VALUE, as in colour=red"), tok);
			break;
		}
		if (n == 5) {
			*why = xstrdup(_("at most 5 specifications"));
			break;
		}
		*eq = '\0';
		for (p = eq; p > tok && p[-1] == ' ';)
			*--p = '\0';
		names[n] = tok;
		vals[n++] = eq + 1 + strspn(eq + 1, " ");
	}
	if (*why == NULL && n == 0)
		*why = xstrdup(_("required: a SKU is told apart by its specifications, as in "
		    "colour=red,size=M"));
	for (i = 1; *why == NULL && i < n; i++)		/* a few names: insertion sort */
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			p = names[j], names[j] = names[j - 1], names[j - 1] = p;
			p = vals[j], vals[j] = vals[j - 1], vals[j - 1] = p;
		}
	for (i = 1; *why == NULL && i < n; i++)
		if (strcmp(names[i], names[i - 1]) == 0)
			*why = xasprintf(_("%s is given twice"), names[i]);
	if (*why != NULL) {
		free(copy);
		return NULL;
	}
	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s=%s", i ? "," : "", names[i], vals[i]);
	free(copy);
	return buf_steal(&b);
}

/* The most a price may be: the action table's (a billion yuan). */
static long long
pf_money_max(void)
{
	const struct action_def *d = action_find("stock", "create");

	return d->args[action_arg_index(d, "price")].max;
}

/* Money in field i: 1 and *fen, 0 when empty (and not required), -1 with the error. */
static int
pf_money(struct form *f, int i, long long min, long long *fen)
{
	char *cause = NULL;

	*fen = 0;
	if (f->fields[i].value[0] == '\0')
		return 0;
	if (action_parse_money(f->fields[i].value, min, pf_money_max(), fen, &cause) != 0) {
		form_error(f, i, "%s", cause);
		free(cause);
		return -1;
	}
	return 1;
}

/* The category typed, resolved in the cached tree: its name in *name; 0, or -1 and *why. */
static int
pf_category(struct product_form *pf, const char *v, char **name, char **why)
{
	struct cache_categories t;
	long k;
	int rc = 0;

	*name = NULL;
	*why = NULL;
	memset(&t, 0, sizeof t);
	if (cache_categories_load(pf->app->cache, &t, why) != 0)
		return -1;
	if (t.n == 0)		/* the store has no tree: a name as typed */
		*name = xstrdup(v);
	else if ((k = cache_category_find(&t, v, why)) < 0)
		rc = -1;
	else
		*name = xstrdup(t.v[k].name);
	cache_categories_done(&t);
	return rc;
}

/* Row r's current price under its cost: the warning, or NULL. */
static char *
pf_below_cost(struct form *f, int r)
{
	long long price, cost;
	char *e1 = NULL, *e2 = NULL, *w = NULL;
	struct buf a, b;

	if (action_parse_money(pf_value(f, r, "price"), 1, pf_money_max(), &price, &e1) == 0 &&
	    action_parse_money(pf_value(f, r, "cost"), 0, pf_money_max(), &cost, &e2) == 0 &&
	    catalog_below_cost(price, cost)) {
		buf_init(&a);
		buf_init(&b);
		action_format_money(price, &a);
		action_format_money(cost, &b);
		w = xasprintf(_("SKU %d: the price %s is below its cost %s"), r, buf_str(&a),
		    buf_str(&b));
		buf_done(&a);
		buf_done(&b);
	}
	free(e1);
	free(e2);
	return w;
}

static void
pf_check(struct form *f, int i)
{
	struct product_form *pf = f->arg;
	struct form_field *ff = &f->fields[i];
	const char *n = ff->name, *v = ff->value;
	char *why = NULL, *key, *other, *name = NULL;
	long long x;
	time_t t;
	int r, j;

	form_error(f, i, NULL);
	if (ff->row == 0) {
		if (strcmp(n, "title") == 0) {
			if (*v == '\0')
				form_error(f, i, "%s", _("required"));
			else if (text_utf8_len(v) > 60)
				form_error(f, i, "%s", _("at most 60 characters"));
		} else if (strcmp(n, "subtitle") == 0 && text_utf8_len(v) > 80)
			form_error(f, i, "%s", _("at most 80 characters"));
		else if (strcmp(n, "brand") == 0 && text_utf8_len(v) > 40)
			form_error(f, i, "%s", _("at most 40 characters"));
		else if (strcmp(n, "description") == 0 && text_utf8_len(v) > 2000)
			form_error(f, i, "%s", _("at most 2000 characters"));
		else if (strcmp(n, "category") == 0) {
			if (*v == '\0')
				form_error(f, i, "%s", _("required: Tab lists the categories"));
			else if (!pf_is_changed(f, i))
				;	/* as the store has it */
			else if (pf_category(pf, v, &name, &why) != 0)
				form_error(f, i, "%s", why);
			else if (text_utf8_len(name) > 40)
				form_error(f, i, "%s", _("at most 40 characters"));
			free(name);
			free(why);
		} else if (strcmp(n, "status") == 0 && pf->product_id == NULL &&
		    !pf_status_is(v, "off")) {
			form_error(f, i, "%s", _("a new product starts off the shelf (下架): its "
			    "SKUs have no stock yet; add stock, then E puts it on the shelf"));
		} else if (strcmp(n, "status") == 0 && !pf_status_is(v, "on") &&
		    !pf_status_is(v, "off")) {
			if (action_parse_time(v, app_time(pf->app), &t, &why) != 0)
				form_error(f, i, _("on, off or a time: %s"), why);
			else if (t <= app_time(pf->app))
				form_error(f, i, "%s", _("the time has passed: give on, or a time "
				    "in the future"));
			free(why);
		}
		return;
	}
	r = ff->row;
	if (strcmp(n, "spec") == 0) {
		if ((key = pf_specs_key(v, &why)) == NULL) {
			form_error(f, i, "%s", why);
			free(why);
			return;
		}
		for (j = 1; j < r; j++) {	/* the first of two alike keeps it */
			if ((other = pf_specs_key(pf_value(f, j, "spec"), &why)) != NULL &&
			    strcmp(other, key) == 0)
				form_error(f, i, _("SKU %d has these specifications already: "
				    "specifications are unique within a product"), j);
			free(other);
			free(why);
			why = NULL;
		}
		free(key);
	} else if (strcmp(n, "sku-code") == 0 && text_utf8_len(v) > 40)
		form_error(f, i, "%s", _("at most 40 characters"));
	else if (strcmp(n, "barcode") == 0) {
		if (strspn(v, "0123456789") != strlen(v))
			form_error(f, i, "%s", _("digits only: a barcode (条码) is a number"));
		else if (strlen(v) > 32)
			form_error(f, i, "%s", _("at most 32 digits"));
	} else if (strcmp(n, "price") == 0) {
		if (*v == '\0')
			form_error(f, i, "%s", _("required: at least 0.01"));
		else
			(void)pf_money(f, i, 1, &x);
	} else if (strcmp(n, "original-price") == 0 || strcmp(n, "cost") == 0)
		(void)pf_money(f, i, 0, &x);
	else if (strcmp(n, "weight") == 0 && *v != '\0') {
		x = strtoll(v, &key, 10);
		if (key == v || *key != '\0' || x < 0 || x > 1000000)
			form_error(f, i, "%s", _("grams: a whole number from 0 to 1000000"));
	}
}

/* Leaving a field: check it, and say at once a price under cost. */
static void
pf_left(struct form *f, int i)
{
	char *w;

	pf_check(f, i);
	if (f->fields[i].row > 0 && (strcmp(f->fields[i].name, "price") == 0 ||
	    strcmp(f->fields[i].name, "cost") == 0) && pf_price_changed(f, f->fields[i].row) &&
	    (w = pf_below_cost(f, f->fields[i].row)) != NULL) {
		form_notice(f, 0, _("%s: C-x asks again before it is queued"), w);
		free(w);
	}
	/* A spec changed: the rows after it are compared with it again. */
	if (f->fields[i].row > 0 && strcmp(f->fields[i].name, "spec") == 0)
		for (int r = f->fields[i].row + 1; r <= pf_rows(f); r++)
			if (pf_field(f, r, "spec") >= 0 && pf_value(f, r, "spec")[0] != '\0')
				pf_check(f, pf_field(f, r, "spec"));
}

/* Tab in the category: the cached paths and names. */
static void
pf_complete(struct form *f, int i, void (*add)(void *, const char *), void *acc)
{
	struct product_form *pf = f->arg;
	struct cache_categories t;
	char *cause = NULL;
	size_t k;

	if (strcmp(f->fields[i].name, "status") == 0) {
		add(acc, i18n_status("shelf", "on"));
		add(acc, i18n_status("shelf", "off"));
		return;
	}
	if (strcmp(f->fields[i].name, "category") != 0)
		return;
	memset(&t, 0, sizeof t);
	if (cache_categories_load(pf->app->cache, &t, &cause) != 0) {
		free(cause);
		return;
	}
	for (k = 0; k < t.n; k++)
		add(acc, t.v[k].path);
	for (k = 0; k < t.n; k++)
		if (t.v[k].nchildren == 0)
			add(acc, t.v[k].name);
	cache_categories_done(&t);
}

static void
pf_changed(struct form *f, int i)
{
	struct product_form *pf = f->arg;

	(void)i;
	free(pf->warned);	/* as typed now, a warning is said again */
	pf->warned = NULL;
}

/* C-n: a SKU row more; C-k: remove the current one (a new one only). */
static int
pf_key(struct form *f, struct key k)
{
	struct product_form *pf = f->arg;
	int r = f->fields[f->cur].row, first, n, j;

	if (!(k.mods & KEYM_CTRL) || f->closing)
		return 0;
	if (k.code == 'n') {
		if ((first = pf_add_row(f, NULL)) < 0)
			form_notice(f, 1, _("at most %d SKUs in one form: add more later"),
			    PF_SKUS_MAX);
		else {
			f->cur = first;
			form_notice(f, 0, NULL);
		}
		return 1;
	}
	if (k.code != 'k')
		return 0;
	if (r == 0)
		form_notice(f, 1, "%s", _("C-k removes a SKU row: move into one first"));
	else if (pf->sku_ids[r] != NULL)
		form_notice(f, 1, _("SKU %s is in the store and has no delete: take the "
		    "product off the shelf instead"), pf->sku_ids[r]);
	else {
		first = pf_field(f, r, sku_fields[0].name);
		for (n = 0; first + n < f->n && f->fields[first + n].row == r; n++)
			;
		for (j = first; j < first + n; j++) {	/* the owner's copies go too */
			free(pf->orig[j]);
			pf->orig[j] = NULL;
		}
		memmove(&pf->orig[first], &pf->orig[first + n],
		    (size_t)(FORM_FIELDS_MAX - first - n) * sizeof pf->orig[0]);
		memset(&pf->orig[FORM_FIELDS_MAX - n], 0, (size_t)n * sizeof pf->orig[0]);
		form_remove(f, first, n);
		for (j = first; j < f->n; j++)
			f->fields[j].row--;
		for (j = r; j < PF_SKUS_MAX; j++)
			pf->sku_ids[j] = pf->sku_ids[j + 1];
		pf->sku_ids[PF_SKUS_MAX] = NULL;
		form_notice(f, 0, _("SKU row %d removed"), r);
		pf_changed(f, 0);
	}
	return 1;
}

/* Field i differs from what the form was filled with (always, for a new product). */
static int
pf_is_changed(const struct form *f, int i)
{
	const struct product_form *pf = f->arg;

	return pf->orig[i] == NULL || strcmp(pf->orig[i], f->fields[i].value) != 0;
}

/* values[] of d from the fields of row r (only the changed ones when only_changed). */
static void
pf_values(const struct form *f, const struct action_def *d, int r, int only_changed,
    const char **values, size_t n)
{
	int i, k;

	for (i = 0; i < f->n; i++)
		if (f->fields[i].row == r && f->fields[i].value[0] != '\0' &&
		    (!only_changed || pf_is_changed(f, i)) &&
		    (k = action_arg_index(d, f->fields[i].name)) >= 0 && (size_t)k < n)
			values[k] = f->fields[i].value;
}

/* The plans a submit queues, in order. */
struct pf_plans {
	struct action_plan v[2 + 2 * PF_SKUS_MAX + 1];
	size_t		 n;
	int		 product_at;	/* the product's create among them, or -1 */
};

static void
pf_plans_done(struct pf_plans *p)
{
	while (p->n > 0)
		action_plan_done(&p->v[--p->n]);
}

/* Prepare d on id with values into p; 0, or -1 with the form's notice. */
static int
pf_prepare(struct form *f, struct pf_plans *p, const char *noun, const char *name,
    const char *id, const char *const *values, const char *what)
{
	struct product_form *pf = f->arg;
	const struct action_def *d = action_find(noun, name);
	char *cause = NULL;

	if (action_prepare(pf->app->cache, d, id, values, app_time(pf->app), &p->v[p->n],
	    &cause) != SD_OK) {
		form_notice(f, 1, _("not queued: %s: %s"), what, cause);
		free(cause);
		return -1;
	}
	p->n++;
	return 0;
}

/* Queue plan into the outbox: its entry's number, or 0 with *cause. */
static int64_t
pf_queue(struct product_form *pf, struct action_plan *plan, char **cause)
{
	struct outbox_new n;
	struct outbox_entry e;
	int64_t id;

	memset(&n, 0, sizeof n);
	n.kind = plan->def->kind;
	n.object_id = plan->object_id;
	n.action = plan->def->name;
	n.method = plan->def->method;
	n.path_action = plan->def->path_action;
	n.body = plan->body;
	n.base_version = plan->base_version;
	n.patch = plan->patch;
	n.summary = plan->summary;
	if (outbox_enqueue(pf->app->cache, &n, &e, cause) != 0)
		return 0;
	id = e.id;
	outbox_entry_done(&e);
	return id;
}

/* The status field into a shelf action's values (shelf, at). */
static void
pf_shelf_values(const struct form *f, const struct action_def *d, const char **values)
{
	const char *v = pf_value(f, 0, "status");

	if (pf_status_is(v, "off"))
		values[action_arg_index(d, "shelf")] = "off";
	else if (pf_status_is(v, "on"))
		values[action_arg_index(d, "shelf")] = "on";
	else {
		values[action_arg_index(d, "shelf")] = "on";
		values[action_arg_index(d, "at")] = v;
	}
}

/*
 * A new product: its create, then the creates of its SKUs naming it "@N"
 * (it goes to the store off the shelf: new SKUs have no stock). The SKUs are prepared once
 * the product's entry is queued (they name it); if one cannot be, the
 * product's entry is dropped again, so that nothing is half queued.
 */
static int
pf_submit_new(struct form *f, const char *category)
{
	struct product_form *pf = f->arg;
	const struct action_def *pc = action_find("products", "create");
	const struct action_def *sc = action_find("stock", "create");
	const char *values[24];
	struct pf_plans p;
	char ref[24], *cause = NULL, *drop = NULL;
	int64_t pid, first = 0, id;
	int r, rc = 0;
	size_t k;

	memset(&p, 0, sizeof p);
	memset(values, 0, sizeof values);
	pf_values(f, pc, 0, 0, values, sizeof values / sizeof values[0]);
	values[action_arg_index(pc, "category")] = category;
	if (pf_prepare(f, &p, "products", "create", NULL, values, _("the product")) != 0)
		return 0;
	if ((pid = pf_queue(pf, &p.v[0], &cause)) == 0) {
		form_notice(f, 1, _("not queued: %s"), cause);
		free(cause);
		pf_plans_done(&p);
		return 0;
	}
	snprintf(ref, sizeof ref, "@%lld", (long long)pid);
	for (r = 1; r <= pf_rows(f) && rc == 0; r++) {
		memset(values, 0, sizeof values);
		pf_values(f, sc, r, 0, values, sizeof values / sizeof values[0]);
		values[action_arg_index(sc, "product")] = ref;
		drop = xasprintf(_("SKU %d"), r);
		rc = pf_prepare(f, &p, "stock", "create", NULL, values, drop);
		free(drop);
	}
	for (k = 1; rc == 0 && k < p.n; k++) {
		if ((id = pf_queue(pf, &p.v[k], &cause)) == 0)
			rc = -1;
		else if (first == 0)
			first = id;
	}
	if (rc != 0) {
		if (cause != NULL)
			form_notice(f, 1, _("not queued: %s"), cause);
		free(cause);
		cause = NULL;
		if (first == 0 && outbox_drop(pf->app->cache, pid, &cause) != 0)
			free(cause);
		pf_plans_done(&p);
		return 0;
	}
	app_message(pf->app, 0, _("queued #%lld: create product %s with %d SKUs (they follow it "
	    "to the store)"), (long long)pid, pf_value(f, 0, "title"), pf_rows(f));
	if (first != 0) {
		pf->app->created_entry = first;	/* its first SKU, selected once made */
		pf->app->created_pane = pf->app->cur;
	}
	pf_plans_done(&p);
	return 1;
}

/*
 * An edit: what changed only, each as its own action -- the product's
 * texts, each SKU's members, a SKU's new price (its own action, so the
 * store keeps its history), a new SKU row, the shelf status.
 */
static int
pf_submit_edit(struct form *f, const char *category)
{
	struct product_form *pf = f->arg;
	const struct action_def *pe = action_find("products", "edit");
	const struct action_def *se = action_find("stock", "edit");
	const struct action_def *sc = action_find("stock", "create");
	const struct action_def *sp = action_find("stock", "price");
	const struct action_def *sh = action_find("products", "shelf");
	const char *values[24];
	struct pf_plans p;
	char *what, *cause = NULL;
	int r, rc = 0, i, queued = 0;
	size_t k;

	memset(&p, 0, sizeof p);
	memset(values, 0, sizeof values);
	pf_values(f, pe, 0, 1, values, sizeof values / sizeof values[0]);
	if (values[action_arg_index(pe, "category")] != NULL)
		values[action_arg_index(pe, "category")] = category;
	for (k = 0; k < sizeof values / sizeof values[0] && values[k] == NULL; k++)
		;
	if (k < sizeof values / sizeof values[0])
		rc = pf_prepare(f, &p, "products", "edit", pf->product_id, values,
		    _("the product"));
	for (r = 1; r <= pf_rows(f) && rc == 0; r++) {
		what = xasprintf(_("SKU %d"), r);
		memset(values, 0, sizeof values);
		if (pf->sku_ids[r] == NULL) {
			pf_values(f, sc, r, 0, values, sizeof values / sizeof values[0]);
			values[action_arg_index(sc, "product")] = pf->product_id;
			rc = pf_prepare(f, &p, "stock", "create", NULL, values, what);
			free(what);
			continue;
		}
		pf_values(f, se, r, 1, values, sizeof values / sizeof values[0]);
		for (k = 0; k < sizeof values / sizeof values[0] && values[k] == NULL; k++)
			;
		if (k < sizeof values / sizeof values[0])
			rc = pf_prepare(f, &p, "stock", "edit", pf->sku_ids[r], values, what);
		i = pf_field(f, r, "price");
		if (rc == 0 && pf_is_changed(f, i)) {
			memset(values, 0, sizeof values);
			values[action_arg_index(sp, "price")] = f->fields[i].value;
			rc = pf_prepare(f, &p, "stock", "price", pf->sku_ids[r], values, what);
		}
		free(what);
	}
	i = pf_field(f, 0, "status");
	if (rc == 0 && pf_is_changed(f, i)) {
		memset(values, 0, sizeof values);
		pf_shelf_values(f, sh, values);
		rc = pf_prepare(f, &p, "products", "shelf", pf->product_id, values,
		    _("the status"));
	}
	if (rc == 0 && p.n == 0) {
		form_notice(f, 1, "%s", _("nothing changed: nothing to queue"));
		rc = -1;
	}
	for (k = 0; rc == 0 && k < p.n; k++) {
		if (pf_queue(pf, &p.v[k], &cause) == 0) {
			form_notice(f, 1, _("%d queued, then not: %s"), queued, cause);
			free(cause);
			rc = -1;
		} else
			queued++;
	}
	if (queued > 0)
		app_message(pf->app, 0, _("queued %d change(s) to product %s"), queued,
		    pf->product_id);
	pf_plans_done(&p);
	return rc == 0 || queued > 0;
}

/* Row r is new, or its price or cost was changed: a price under cost is said again. */
static int
pf_price_changed(const struct form *f, int r)
{
	return pf_is_changed(f, pf_field(f, r, "price")) ||
	    pf_is_changed(f, pf_field(f, r, "cost"));
}

static int
pf_submit(struct form *f)
{
	struct product_form *pf = f->arg;
	char *category = NULL, *why = NULL, *w = NULL;
	struct buf all;
	int i, r, rc;

	form_notice(f, 0, NULL);
	for (i = 0; i < f->n; i++)
		pf_check(f, i);
	if (pf_rows(f) == 0 && pf->product_id == NULL) {
		form_notice(f, 1, "%s", _("not queued: a product needs a SKU: C-n adds one"));
		return 0;
	}
	if (form_has_errors(f)) {
		form_notice(f, 1, "%s", _("not queued: correct the fields marked !"));
		for (i = 0; i < f->n; i++)
			if (!f->fields[i].hidden && f->fields[i].error != NULL) {
				f->cur = i;
				break;
			}
		return 0;
	}
	/* A price below cost: said once, and a second C-x queues it all the same. */
	buf_init(&all);
	for (r = 1; r <= pf_rows(f); r++)
		if (pf_price_changed(f, r) && (w = pf_below_cost(f, r)) != NULL) {
			buf_addf(&all, "%s%s", all.len ? "; " : "", w);
			free(w);
		}
	if (all.len > 0 && (pf->warned == NULL || strcmp(pf->warned, buf_str(&all)) != 0)) {
		free(pf->warned);
		pf->warned = xstrdup(buf_str(&all));
		form_notice(f, 0, _("%s -- selling under cost: C-x again queues it anyway"),
		    buf_str(&all));
		buf_done(&all);
		return 0;
	}
	buf_done(&all);
	if (!pf_is_changed(f, pf_field(f, 0, "category")))
		category = xstrdup(pf_value(f, 0, "category"));		/* not sent */
	else if (pf_category(pf, pf_value(f, 0, "category"), &category, &why) != 0) {
		form_notice(f, 1, _("not queued: %s"), why);
		free(why);
		return 0;
	}
	rc = pf->product_id == NULL ? pf_submit_new(f, category) : pf_submit_edit(f, category);
	free(category);
	if (rc) {
		app_reload(pf->app);
		if (pf->app->syncer != NULL)
			syncer_wake(pf->app->syncer);
	}
	return rc;
}

static void
pf_free(void *arg)
{
	struct product_form *pf = arg;
	int i;

	for (i = 0; i < FORM_FIELDS_MAX; i++)
		free(pf->orig[i]);
	for (i = 0; i <= PF_SKUS_MAX; i++)
		free(pf->sku_ids[i]);
	free(pf->product_id);
	free(pf->warned);
	free(pf);
}

static const struct form_ops pf_ops = {
	.check = pf_left,
	.complete = pf_complete,
	.submit = pf_submit,
	.changed = pf_changed,
	.key = pf_key,
	.row_title = pf_row_title,
	.free = pf_free,
};

/* Yuan as typed in a form ("59.00"), or "" for 0 when optional. */
static void
pf_yuan(long long fen, int optional, char *out, size_t n)
{
	if (fen == 0 && optional)
		out[0] = '\0';
	else
		snprintf(out, n, "%lld.%02lld", fen / 100, fen % 100);
}

/* Fill row r from the cached SKU sku. */
static void
pf_fill_sku(struct form *f, const cJSON *sku)
{
	const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(sku, "attributes"), *a;
	char orig[24], price[24], cost[24], weight[24];
	const char *values[NSKU_FIELDS];
	struct buf spec;
	int first;
	size_t k;

	buf_init(&spec);
	cJSON_ArrayForEach(a, attrs)
		if (cJSON_IsString(a))
			buf_addf(&spec, "%s%s=%s", spec.len ? "," : "", a->string, a->valuestring);
	pf_yuan(json_int(sku, "original_price", 0), 1, orig, sizeof orig);
	pf_yuan(json_int(sku, "price", 0), 0, price, sizeof price);
	pf_yuan(json_int(sku, "cost", 0), 1, cost, sizeof cost);
	if (cJSON_GetObjectItemCaseSensitive(sku, "weight") != NULL)
		snprintf(weight, sizeof weight, "%lld", json_int(sku, "weight", 0));
	else
		weight[0] = '\0';
	values[0] = buf_str(&spec);
	values[1] = json_str(sku, "sku_code");
	values[2] = json_str(sku, "barcode");
	values[3] = orig;
	values[4] = price;
	values[5] = cost;
	values[6] = weight;
	if ((first = pf_add_row(f, values)) >= 0) {
		struct product_form *pf = f->arg;

		for (k = 0; k < NSKU_FIELDS; k++)
			pf->orig[first + (int)k] = xstrdup(f->fields[first + (int)k].value);
		pf->sku_ids[f->fields[first].row] = xstrdup(json_str(sku, "id"));
	}
	buf_done(&spec);
}

/* The product of the selected SKU (caller frees), or NULL with *cause. */
static char *
pf_selected_product(struct app *app, char **cause)
{
	const struct list_row *r = list_selected(&app_pane(app)->list);
	cJSON *obj;
	char *pid = NULL;

	if (r == NULL) {
		*cause = xstrdup(_("select a SKU of the product first"));
		return NULL;
	}
	if ((obj = cJSON_Parse(r->json)) != NULL && json_str(obj, "product_id") != NULL)
		pid = xstrdup(json_str(obj, "product_id"));
	cJSON_Delete(obj);
	if (pid == NULL)
		*cause = xasprintf(_("SKU %s names no product"), r->id);
	return pid;
}

/* Open the form: a new product (edit 0) or the selected SKU's. 0, or -1 with *cause. */
static int
pf_open(struct app *app, int edit, char **cause)
{
	struct product_form *pf;
	struct form *f;
	cJSON *product = NULL, *sku;
	const cJSON *v;
	char *json, *title;
	size_t i;
	int fi;

	if (app_pane(app)->ops->kind != KIND_SKU) {
		*cause = xstrdup(edit ? _("edit-product: in the Inventory pane (5)") :
		    _("new-product: in the Inventory pane (5)"));
		return -1;
	}
	if (!commands_action_offered(app, action_find("products", edit ? "edit" : "create"),
	    cause))
		return -1;
	pf = xcalloc(1, sizeof *pf);
	pf->app = app;
	if (edit) {
		if ((pf->product_id = pf_selected_product(app, cause)) == NULL)
			goto fail;
		if ((json = cache_get_json(app->cache, KIND_PRODUCT, pf->product_id)) != NULL) {
			product = cJSON_Parse(json);
			free(json);
		}
		if (product == NULL) {
			*cause = xasprintf(_("product %s is not in the cache: sync, then try "
			    "again"), pf->product_id);
			goto fail;
		}
		title = xasprintf(_("Edit product 商品 %s -- C-n: add a SKU  C-x: queue what "
		    "changed"), pf->product_id);
	} else
		title = xstrdup(_("New product 商品, through the outbox -- C-n: add a SKU  "
		    "C-k: remove one"));
	app_form_close(app);
	f = form_new(title, &pf_ops, pf);
	free(title);
	for (i = 0; i < NPRODUCT_FIELDS; i++) {
		fi = form_add(f, product_fields[i].name, _(product_fields[i].label),
		    _(product_fields[i].hint), NULL);
		if (product != NULL) {
			if (strcmp(product_fields[i].name, "status") == 0)
				form_set_value(f, fi, i18n_status("shelf",
				    json_str(product, "shelf") != NULL &&
				    strcmp(json_str(product, "shelf"), "on") == 0 ? "on" : "off"));
			else if (json_str(product, product_fields[i].name) != NULL)
				form_set_value(f, fi, json_str(product, product_fields[i].name));
			pf->orig[fi] = xstrdup(f->fields[fi].value);
		} else if (strcmp(product_fields[i].name, "status") == 0)
			form_set_value(f, fi, i18n_status("shelf", "off"));
	}
	if (product != NULL) {
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(product, "sku_ids")) {
			if (!cJSON_IsString(v) || (json = cache_get_json(app->cache, KIND_SKU,
			    v->valuestring)) == NULL)
				continue;
			if ((sku = cJSON_Parse(json)) != NULL)
				pf_fill_sku(f, sku);
			cJSON_Delete(sku);
			free(json);
		}
		cJSON_Delete(product);
	} else
		pf_add_row(f, NULL);	/* a product needs one */
	app->form = f;
	free(app->message);
	app->message = NULL;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_MESSAGE;
	return 0;

fail:
	pf_free(pf);
	return -1;
}

/* new-product */
int
product_form_cmd_new(void *app, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	return pf_open(app, 0, cause);
}

/* edit-product */
int
product_form_cmd_edit(void *app, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	return pf_open(app, 1, cause);
}

/*
 * delete-product: the selected SKU's product, after a confirmation that
 * says what goes with it. The store refuses while open orders have it; the
 * refusal comes back to the status line and the outbox like any other.
 */
int
product_form_cmd_delete(void *arg, int argc, char **argv, char **cause)
{
	struct app *app = arg;
	const struct action_def *d = action_find("products", "delete");
	struct action_plan plan;
	const char *none[4] = { NULL };
	char *pid, *json;
	cJSON *product = NULL;

	(void)argc;
	(void)argv;
	if (app_pane(app)->ops->kind != KIND_SKU) {
		*cause = xstrdup(_("delete-product: in the Inventory pane (5)"));
		return -1;
	}
	if (!commands_action_offered(app, d, cause) ||
	    (pid = pf_selected_product(app, cause)) == NULL)
		return -1;
	if (action_prepare(app->cache, d, pid, none, app_time(app), &plan, cause) != SD_OK) {
		free(pid);
		return -1;
	}
	if ((json = cache_get_json(app->cache, KIND_PRODUCT, pid)) != NULL) {
		product = cJSON_Parse(json);
		free(json);
	}
	free(plan.confirm);
	plan.confirm = xasprintf(_("Delete product %s (%s) and its %d SKU(s)? The store "
	    "refuses while open orders have it. y: queue the delete  n: keep it"), pid,
	    product != NULL && json_str(product, "title") != NULL ? json_str(product, "title") :
	    "?", product != NULL ? cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(product,
	    "sku_ids")) : 0);
	cJSON_Delete(product);
	free(pid);
	confirm_open(app, &plan, 0);
	return 0;
}
