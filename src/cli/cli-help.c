/*
 * cli-help.c -- what the command line says about itself: --help and -h on
 * every command, "shopdesk help [COMMAND...]", "shopdesk NOUN --help", and
 * the hidden "__dump" behind the test that walks them all. The shell
 * completion (cli-complete.c) reads the same tables.
 *
 * Everything here is read from the tables the parser uses: the commands of
 * cli_command_table(), each with its cli_option table (the handler builds
 * its getopt_long() table from the same rows with cli_longopts()), and the
 * actions' options built from action_table[]. A new option is in the help
 * and the dump as soon as the parser takes it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ui/i18n.h"
#include "util/xmalloc.h"

/* A table built once from another (by its address), kept to the end. */
struct built {
	const void	*from;
	void		*table;
	struct built	*next;
};

static void *
built_find(struct built *b, const void *from)
{
	for (; b != NULL; b = b->next)
		if (b->from == from)
			return b->table;
	return NULL;
}

static void
built_add(struct built **head, const void *from, void *table)
{
	struct built *b = xcalloc(1, sizeof *b);

	b->from = from;
	b->table = table;
	b->next = *head;
	*head = b;
}

const struct option *
cli_longopts(const struct cli_option *opts)
{
	static struct built *made;
	struct option *v;
	size_t n, i;

	if ((v = built_find(made, opts)) != NULL)
		return v;
	for (n = 0; opts[n].name != NULL; n++)
		;
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		v[i].name = opts[i].name;
		v[i].has_arg = opts[i].has_arg;
		v[i].val = opts[i].val;
	}
	built_add(&made, opts, v);
	return v;
}

const struct cli_option *
cli_command_options(const struct cli_command *c)
{
	static const struct cli_option none[] = { { NULL, 0, 0, 0, NULL, NULL, NULL } };
	static struct built *made;
	struct cli_option *v;
	size_t n = 0, i;

	if (c->fn == cli_cmd_action)
		return cli_action_options(c);
	if (c->opts == NULL)
		return none;
	if (c->applies == NULL)
		return c->opts;
	if ((v = built_find(made, c)) != NULL)
		return v;
	for (i = 0; c->opts[i].name != NULL; i++)
		;
	v = xcalloc(i + 1, sizeof *v);
	for (i = 0; c->opts[i].name != NULL; i++)
		if (c->applies(c, c->opts[i].name))
			v[n++] = c->opts[i];
	built_add(&made, c, v);
	return v;
}

/* "orders list", or "sync": the command's name (caller frees). */
static char *
command_name(const struct cli_command *c)
{
	return c->noun != NULL ? xasprintf("%s %s", c->noun, c->verb) : xstrdup(c->verb);
}

void
cli_command_print_help(FILE *f, const struct cli_command *c)
{
	const struct cli_option *o = cli_command_options(c);
	const char *usage = cli_command_usage(c);
	char *name, *opt;

	if (c->fn == cli_cmd_action) {
		cli_action_help(f, c);
		return;
	}
	name = command_name(c);
	fprintf(f, _("usage: shopdesk %s%s%s\n\n%s\n"), name, *usage ? " " : "", usage,
	    cli_command_help(c));
	fprintf(f, _("\noptions:\n"));
	for (; o->name != NULL; o++) {
		/* A row without a short form: its long one where those of the others are. */
		opt = xasprintf("%c%c%s--%s%s%s%s", o->letter ? '-' : ' ', o->letter ? o->letter : ' ',
		    o->letter ? ", " : "  ", o->name,
		    o->has_arg == optional_argument ? "[=" : o->has_arg == required_argument ? " " : "",
		    o->arg != NULL ? o->arg : "", o->has_arg == optional_argument ? "]" : "");
		fprintf(f, "  %-26s %s\n", opt, _(o->help));
		free(opt);
	}
	fprintf(f, "  %-26s %s\n", "-h, --help", _("print this help"));
	fprintf(f, _("\nSee shopdesk(1) for filters, formats and exit codes.\n"));
	free(name);
}

const struct cli_option *
cli_option_of_word(const struct cli_command *c, const char *w)
{
	const struct cli_option *o = cli_command_options(c);

	for (; o->name != NULL; o++)
		if ((w[0] == '-' && w[1] == '-' && strcmp(w + 2, o->name) == 0) ||
		    (o->letter && w[0] == '-' && w[1] == o->letter && w[2] == '\0'))
			return o;
	return NULL;
}

int
cli_help_asked(const struct cli_command *c, int argc, char **argv)
{
	const struct cli_option *o;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
		/* The value of an option is not an option: --note -h is a note. */
		if ((o = cli_option_of_word(c, argv[i])) != NULL && o->has_arg == required_argument)
			i++;
	}
	return 0;
}

int
cli_noun_help(FILE *f, const char *noun)
{
	const struct cli_command *cmds = cli_command_table();
	int i, n = 0;

	for (i = 0; cmds[i].verb != NULL; i++) {
		if (cmds[i].noun == NULL || strcmp(cmds[i].noun, noun) != 0)
			continue;
		if (n++ == 0)
			fprintf(f, _("usage: shopdesk %s VERB [OPTIONS]\n\nverbs:\n"), noun);
		fprintf(f, "  %-10s %s\n", cmds[i].verb, cli_command_help(&cmds[i]));
	}
	if (n == 0)
		return -1;
	fprintf(f, _("\n'shopdesk %s VERB --help' lists a verb's options.\n"), noun);
	return 0;
}

const struct cli_command *
cli_command_find(int argc, char **argv, int *used)
{
	const struct cli_command *cmds = cli_command_table();
	int i;

	*used = 0;
	if (argc < 1)
		return NULL;
	for (i = 0; cmds[i].verb != NULL; i++) {
		if (cmds[i].noun == NULL && strcmp(cmds[i].verb, argv[0]) == 0) {
			*used = 1;
			return &cmds[i];
		}
		if (cmds[i].noun != NULL && argc >= 2 && strcmp(cmds[i].noun, argv[0]) == 0 &&
		    strcmp(cmds[i].verb, argv[1]) == 0) {
			*used = 2;
			return &cmds[i];
		}
	}
	return NULL;
}

int
cli_is_noun(const char *w)
{
	const struct cli_command *cmds = cli_command_table();
	int i;

	for (i = 0; cmds[i].verb != NULL; i++)
		if (cmds[i].noun != NULL && strcmp(cmds[i].noun, w) == 0)
			return 1;
	return 0;
}

enum sd_status
cli_cmd_help(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *c;
	int i = 1, used;

	(void)cli;
	if (argc == 1) {
		cli_usage(stdout);
		return SD_OK;
	}
	/* Several commands may be asked at once: "help sync orders list". */
	while (i < argc) {
		if (i > 1)
			fputc('\n', stdout);
		if ((c = cli_command_find(argc - i, argv + i, &used)) != NULL) {
			cli_command_print_help(stdout, c);
			i += used;
		} else if (cli_is_noun(argv[i])) {
			if (i + 1 < argc && !cli_is_noun(argv[i + 1]) &&
			    cli_command_find(argc - i - 1, argv + i + 1, &used) == NULL) {
				cli_error("help", _("%s has no verb '%s' ('shopdesk help %s' lists them)"),
				    argv[i], cli_clip(argv[i + 1]), argv[i]);
				return SD_EUSAGE;
			}
			cli_noun_help(stdout, argv[i]);
			i++;
		} else {
			cli_error("help", _("no command '%s' ('shopdesk help' lists them)"),
			    cli_clip(argv[i]));
			return SD_EUSAGE;
		}
	}
	return SD_OK;
}

enum sd_status
cli_cmd_dump(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmds = cli_command_table();
	const struct cli_option *o;
	const char *arity;
	char *name;
	int i;

	(void)cli;
	(void)argc;
	(void)argv;
	/*
	 * One line a command: its name, a tab, every option its parser takes,
	 * "--status=" when it takes a value, "--wait[=]" when it may.
	 */
	for (i = 0; cmds[i].verb != NULL; i++) {
		name = command_name(&cmds[i]);
		printf("%s\t", name);
		for (o = cli_command_options(&cmds[i]); o->name != NULL; o++) {
			arity = o->has_arg == required_argument ? "=" :
			    o->has_arg == optional_argument ? "[=]" : "";
			if (o->letter)
				printf("-%c%s ", o->letter, arity);
			printf("--%s%s ", o->name, arity);
		}
		printf("-h --help\n");
		free(name);
	}
	return SD_OK;
}
