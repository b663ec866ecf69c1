/*
 * console.c -- set up the terminal, the keymaps and the sync thread, run
 * the loop, and put everything back.
 *
 * Keymaps: the compiled-in default first, then the user's file
 * ($XDG_CONFIG_HOME/shopdesk/keys) when there is one; its errors are shown
 * with file and line on the message line and are not fatal.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/app.h"
#include "ui/catpick.h"
#include "ui/confirm.h"
#include "ui/promo-form.h"
#include "ui/scanner.h"
#include "ui/console.h"
#include "ui/i18n.h"
#include "ui/messages.h"
#include "ui/prompt.h"
#include "ui/theme.h"
#include "util/log.h"
#include "util/xmalloc.h"

static const struct pane_ops *const console_panes[PANE__COUNT] = {
	[PANE_DASHBOARD] = &pane_dashboard_ops,
	[PANE_ORDERS] = &pane_orders_ops,
	[PANE_TICKETS] = &pane_tickets_ops,
	[PANE_CHATS] = &pane_chats_ops,
	[PANE_STOCK] = &pane_stock_ops,
	[PANE_PROMOS] = &pane_promos_ops,
	[PANE_OUTBOX] = &pane_outbox_ops,
	[PANE_CUSTOMERS] = &pane_customers_ops,
	[PANE_CANNED] = &pane_canned_ops,
};

/* The first line of a multi-line error, with a count of the rest. */
static char *
console_first_error(const char *cause, int n)
{
	size_t len = strcspn(cause, "\n");

	if (n > 1)
		return xasprintf("%.*s (and %d more)", (int)len, cause, n - 1);
	return xasprintf("%.*s", (int)len, cause);
}

static void
console_keymaps(struct app *app)
{
	char *cause = NULL, *dir, *path, *first;
	int n;

	app->kms = keymaps_new();
	if ((n = keymap_load_default(app->kms, ui_command_check_fn, app->commands,
	    &cause)) != 0) {
		/* A broken default is a bug the tests catch; still, run. */
		first = console_first_error(cause, n);
		app_message(app, 1, "%s", first);
		free(first);
		free(cause);
		cause = NULL;
	}
	dir = config_xdg_dir("config");
	path = xasprintf("%s/shopdesk/keys", dir);
	free(dir);
	if (access(path, F_OK) == 0 && (n = keymap_load_file(app->kms, path,
	    ui_command_check_fn, app->commands, &cause)) != 0) {
		log_debug("keys: %s", cause);
		first = console_first_error(cause, n);
		app_message(app, 1, "%s", first);
		free(first);
		free(cause);
	}
	free(path);
}

int
console_main(struct config *conf, struct cache *cache)
{
	struct app app;
	SCREEN *scr;
	FILE *null_out = NULL, *null_in = NULL;
	char *cause = NULL;
	const char *script;
	int i, rc;

	i18n_init();
	memset(&app, 0, sizeof app);
	app.conf = conf;
	app.cache = cache;
	app.commands = commands_build();
	for (i = 0; i < PANE__COUNT; i++) {
		app.panes[i].ops = console_panes[i];
		list_init(&app.panes[i].list, console_panes[i]->kind >= 0 ?
		    (enum sd_kind)console_panes[i]->kind : KIND_USER,
		    console_panes[i]->columns != NULL ? console_panes[i]->columns :
		    columns_for(KIND_USER));
		if (console_panes[i]->kind < 0)
			app.panes[i].list.mask = 0;
		app.panes[i].list.row_theme = console_panes[i]->row_theme;
	}
	console_keymaps(&app);

	if (conf->url == NULL) {
		/* No store named anywhere: say how to name one, not a guessed URL. */
		app.sync_note = xstrdup("no sync: no store configured");
		app_message(&app, 1, "no store is configured for profile %s: add url = ... to"
		    " [%s] in %s (shopdesk.conf(5)), or try shopdesk --demo", conf->profile,
		    conf->profile, conf->file);
	} else if (config_load_token(conf, &cause) != 0) {
		app.sync_note = xasprintf(_("no sync: %s"), cause);
		app_message(&app, 1, "%s (showing the cache only)", cause);
		free(cause);
		cause = NULL;
	} else if ((app.syncer = syncer_start(conf, &cause)) == NULL) {
		app.sync_note = xasprintf(_("no sync: %s"), cause);
		app_message(&app, 1, "%s", cause);
		free(cause);
		cause = NULL;
	}

	/* Tests: keys from a script, the screen drawn to /dev/null (ui/script.c). */
	if ((script = getenv("SHOPDESK_SCRIPT")) != NULL && *script != '\0') {
		if ((app.script = script_open(script, &cause)) == NULL ||
		    (null_out = fopen("/dev/null", "w")) == NULL ||
		    (null_in = fopen("/dev/null", "r")) == NULL) {
			fprintf(stderr, "shopdesk: %s\n", cause != NULL ? cause : "/dev/null");
			free(cause);
			syncer_stop(&app.syncer);
			rc = 1;
			goto out;
		}
	}
	if ((scr = newterm(NULL, null_out != NULL ? null_out : stdout,
	    null_in != NULL ? null_in : stdin)) == NULL) {
		fprintf(stderr, "shopdesk: cannot use the terminal (TERM=%s)\n",
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		syncer_stop(&app.syncer);
		rc = 1;
		goto out;
	}
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	curs_set(0);
	theme_init();
	prompt_init(conf->history);
	if (app.message == NULL)
		app_message(&app, 0, "%s", _("? lists the keys, : runs a command, q quits"));
	rc = app_run(&app);

	/* The terminal first: the user gets the shell back at once. */
	layout_free(&app.lay);
	endwin();
	delscreen(scr);
	prompt_done();
	syncer_stop(&app.syncer);
	if (app.script_error != NULL) {
		fprintf(stderr, "shopdesk: %s\n", app.script_error);
		rc = 1;
	}
out:
	script_free(&app.script);
	free(app.script_error);
	free(app.dump_path);
	if (null_out != NULL)
		fclose(null_out);
	if (null_in != NULL)
		fclose(null_in);
	for (i = 0; i < PANE__COUNT; i++) {
		list_done(&app.panes[i].list);
		free(app.panes[i].search);
		free(app.panes[i].category);
		free(app.panes[i].category_label);
		app_drill_clear(&app.panes[i]);
	}
	keymaps_free(&app.kms);
	commands_free(&app.commands);
	confirm_free(&app);
	catpick_free(&app);
	app_form_close(&app);
	scan_free(&app);
	messages_free(&app);
	free(app.message);
	free(app.me_login);
	kpi_agent_done(&app.me_kpi);
	free(app.me_role);
	free(app.backend);
	free(app.sync_note);
	free(app.search_before);
	free(app.bell_mark);
	free(app.queues_text);
	app_places_free(&app);
	return rc;
}
