/*
 * cli-category.c -- "shopdesk categories list|tree": the store's category
 * tree from the cache (so it answers offline), as a table of paths with
 * product counts, as JSON, or drawn as a tree with box characters (ASCII
 * where the locale is not UTF-8). Names come from the network: sanitised.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cache-category.h"
#include "cli/cli-format.h"
#include "cli/cli.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

enum { O_FORMAT = 256, O_ASCII };

const struct cli_option cli_opts_categories[] = {
	{ "format", required_argument, O_FORMAT, 0, "table|json", "|table|json",
	  "output format (default table)" },
	{ "ascii", no_argument, O_ASCII, 0, NULL, NULL,
	  "tree: draw with ASCII characters, not box drawing" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static void
categories_json(const struct cache_categories *t)
{
	cJSON *a = cJSON_CreateArray(), *o;
	char *s;
	size_t i;

	for (i = 0; i < t->n; i++) {
		o = cJSON_CreateObject();
		json_set_str(o, "id", t->v[i].id);
		json_set_str(o, "name", t->v[i].name);
		if (t->v[i].parent_id != NULL)
			json_set_str(o, "parent_id", t->v[i].parent_id);
		else
			cJSON_AddNullToObject(o, "parent_id");
		json_set_int(o, "position", t->v[i].position);
		json_set_str(o, "path", t->v[i].path);
		json_set_int(o, "depth", t->v[i].depth);
		json_set_int(o, "products", t->v[i].products);
		cJSON_AddItemToArray(a, o);
	}
	s = cJSON_Print(a);
	printf("%s\n", s);
	free(s);
	cJSON_Delete(a);
}

/* Pad the sanitised s to width columns (wide characters counted twice). */
static void
put_padded(const char *s, int width)
{
	char *clean = text_sanitize(s, 0);
	int w = text_width(clean);

	fputs(clean, stdout);
	for (; w < width; w++)
		putchar(' ');
	free(clean);
}

static void
categories_table(const struct cache_categories *t)
{
	size_t i;
	int w = 4;
	char *clean;

	for (i = 0; i < t->n; i++) {
		clean = text_sanitize(t->v[i].path, 0);
		if (text_width(clean) > w)
			w = text_width(clean);
		free(clean);
	}
	if (text_width(_("PATH")) > w)
		w = text_width(_("PATH"));
	put_padded(_("ID"), 8);
	putchar(' ');
	put_padded(_("PATH"), w);
	/* The counts are right-aligned: so is their heading. */
	for (i = (size_t)text_width(_("PRODUCTS")); i < 9; i++)
		putchar(' ');
	printf("%s\n", _("PRODUCTS"));
	for (i = 0; i < t->n; i++) {
		clean = text_sanitize(t->v[i].id, 0);
		printf("%-8s ", clean);
		free(clean);
		put_padded(t->v[i].path, w);
		printf(" %8ld\n", t->v[i].products);
	}
}

/*
 * One line per category under its parent: for each ancestor a rule or a
 * space (did it have siblings after it?), then the branch.
 */
static void
categories_tree(const struct cache_categories *t, int ascii)
{
	const char *pipe = ascii ? "|   " : "\xe2\x94\x82   ";		/* │ */
	const char *tee = ascii ? "|-- " : "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80 ";	/* ├── */
	const char *elbow = ascii ? "`-- " : "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 ";	/* └── */
	int open[16] = { 0 }, d;
	size_t i;
	char *clean;

	for (i = 0; i < t->n; i++) {
		const struct cache_category *c = &t->v[i];

		for (d = 1; d < c->depth && d < 16; d++)
			fputs(open[d] ? pipe : "    ", stdout);
		if (c->depth > 0)
			fputs(c->last ? elbow : tee, stdout);
		if (c->depth < 16)
			open[c->depth] = !c->last;
		clean = text_sanitize(c->name, 0);
		printf("%s  %s  (%ld)\n", clean, c->id, c->products);
		free(clean);
	}
}

enum sd_status
cli_cmd_categories(struct cli *cli, int argc, char **argv)
{
	const struct option *longopts = cli_longopts(cli_opts_categories);
	const char *verb = argv[0];
	struct cache_categories t = { NULL, 0 };
	enum sd_status st;
	char *cause = NULL;
	int ch, format = FORMAT_TABLE, ascii = !text_locale_utf8();

	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case O_FORMAT:
			if ((format = cli_parse_format(optarg)) == -1 ||
			    format == FORMAT_CSV) {
				cli_error("categories", _("unknown format '%s' (table or json)"),
				    cli_clip(optarg));
				return SD_EUSAGE;
			}
			break;
		case O_ASCII:
			ascii = 1;
			break;
		default:
			fprintf(stderr, _("usage: shopdesk categories %s [--format table|json]%s\n"), verb,
			    strcmp(verb, "tree") == 0 ? " [--ascii]" : "");
			return SD_EUSAGE;
		}
	}
	if (optind < argc) {
		cli_error("categories", _("unexpected argument '%s'"),
		    cli_clip(argv[optind]));
		return SD_EUSAGE;
	}
	if ((st = cli_need_cache(cli)) != SD_OK)
		return st;
	if (cache_categories_load(cli->cache, &t, &cause) != 0) {
		cli_error("categories", "%s", cause);
		free(cause);
		return SD_ECACHE;
	}
	if (format == FORMAT_JSON)
		categories_json(&t);
	else if (t.n == 0)
		fprintf(stderr, _("shopdesk: no categories in the cache (the store has none, or run "
		    "'shopdesk sync')\n"));
	else if (strcmp(verb, "tree") == 0)
		categories_tree(&t, ascii);
	else
		categories_table(&t);
	fflush(stdout);
	cache_categories_done(&t);
	return SD_OK;
}

long
cli_category_arg(struct cli *cli, const char *arg, struct cache_categories *cats,
    enum sd_status *st)
{
	char *cause = NULL;
	long ci;

	if (cache_categories_load(cli->cache, cats, &cause) != 0 ||
	    (ci = cache_category_find(cats, arg, &cause)) < 0) {
		cli_error("--category", "%s", cause);
		free(cause);
		*st = cats->v != NULL ? SD_EUSAGE : SD_ECACHE;
		return -1;
	}
	return ci;
}
