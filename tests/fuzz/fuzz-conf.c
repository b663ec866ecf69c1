/*
 * fuzz-conf.c -- libFuzzer target: a configuration file (src/conf.c, every
 * profile's options and their values) and a keymap file (ui/keymap.c: the
 * statements, key names, bindings) from the same bytes, then the bindings
 * described back, as "shopdesk keys" would.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "ui/keymap.h"
#include "util/xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char fuzz_path[] = "/tmp/fuzz-conf.XXXXXX";
static int fuzz_fd = -1;

static void
fuzz_describe(void *arg, const char *keys, const char *command, const char *keymap)
{
	(void)arg;
	(void)keys;
	(void)command;
	(void)keymap;
}

static void
fuzz_unlink(void)
{
	unlink(fuzz_path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config conf;
	struct keymaps *km;
	char *text, *cause = NULL;

	if (fuzz_fd == -1) {
		if ((fuzz_fd = mkstemp(fuzz_path)) == -1)
			abort();
		atexit(fuzz_unlink);
	}
	/* The configuration is read from a file: this one, rewritten each time. */
	if (ftruncate(fuzz_fd, 0) != 0 || pwrite(fuzz_fd, data, size, 0) != (ssize_t)size)
		abort();
	memset(&conf, 0, sizeof conf);
	if (config_load(&conf, fuzz_path, NULL, &cause) != 0) {
		free(cause);
		cause = NULL;
	}
	config_done(&conf);

	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	km = keymaps_new();
	(void)keymap_load_string(km, "fuzz.keys", text, NULL, NULL, &cause);
	free(cause);
	(void)keymap_describe(km, "orders", fuzz_describe, NULL);
	keymaps_free(&km);
	free(text);
	return 0;
}
