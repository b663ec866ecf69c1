/*
 * fuzz-cmdline.c -- libFuzzer target: the command language's tokenizer
 * (ui/cmdline.c), which the `:` line, key bindings and keymap files share.
 * What it parses must come back the same through cmdline_join(): quoting
 * and parsing are inverses.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cmdline.h"
#include "util/xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_same(const struct cmdline_cmd *a, const char *joined)
{
	struct cmdline *back = NULL;
	char *cause = NULL;
	int i, same;

	if (cmdline_parse(joined, &back, &cause) != 0) {
		fprintf(stderr, "fuzz-cmdline: \"%s\" does not parse: %s\n", joined, cause);
		abort();
	}
	same = back->n == 1 && back->cmds[0].argc == a->argc;
	for (i = 0; same && i < a->argc; i++)
		same = strcmp(back->cmds[0].argv[i], a->argv[i]) == 0;
	if (!same) {
		fprintf(stderr, "fuzz-cmdline: \"%s\" parses to other words\n", joined);
		abort();
	}
	cmdline_free(&back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmdline *cl = NULL;
	char *line, *cause = NULL, *joined;
	size_t i;

	line = xmalloc(size + 1);
	memcpy(line, data, size);
	line[size] = '\0';
	if (cmdline_parse(line, &cl, &cause) == 0) {
		for (i = 0; i < cl->n; i++) {
			if (cl->cmds[i].argc == 0 || memchr(line, '\0', size) != NULL)
				continue;
			joined = cmdline_join(cl->cmds[i].argc, cl->cmds[i].argv);
			fuzz_same(&cl->cmds[i], joined);
			free(joined);
		}
		cmdline_free(&cl);
	}
	free(cause);
	free(line);
	return 0;
}
