/*
 * app.h -- the console's state and its event loop.
 *
 * One thread, one poll(): the terminal, a self-pipe for signals, the sync
 * thread's pipe and a one-second tick. Key bindings and the `:` line run
 * commands (ui/commands.c) that change this state and mark what is dirty;
 * the loop repaints the dirty parts once per pass (wnoutrefresh, then one
 * doupdate), so a keystroke costs the lines it changed.
 */
#ifndef SD_UI_APP_H
#define SD_UI_APP_H

#include <stdint.h>
#include <time.h>

#include "cache.h"
#include "conf.h"
#include "kpi.h"
#include "outbox.h"
#include "ui/cmdline.h"
#include "ui/keymap.h"
#include "ui/pane.h"
#include "ui/script.h"
#include "ui/syncer.h"

enum {
	PANE_DASHBOARD,
	PANE_ORDERS,
	PANE_TICKETS,
	PANE_CHATS,
	PANE_STOCK,
	PANE_PROMOS,
	PANE_OUTBOX,
	PANE_CUSTOMERS,
	PANE_CANNED,		/* not a tab: `:canned` opens it */
	PANE__COUNT
};
#define PANE__TABS	PANE_CANNED	/* the panes of the tab bar and the number keys */

#define DIRTY_TABS	0x01u
#define DIRTY_PANE	0x02u	/* the list (or the pane's own drawing) */
#define DIRTY_DETAIL	0x04u
#define DIRTY_STATUS	0x08u
#define DIRTY_MESSAGE	0x10u
#define DIRTY_TITLE	0x20u	/* the pane's title line: filters, search, position */
#define DIRTY_LAYOUT	0x40u	/* sizes changed: windows made again */
#define DIRTY_CLEAR	0x80u	/* clearok: the terminal may be garbled */
#define DIRTY_ALL	0x3fu
/*
 * The selection moved: the detail beside the list follows once it settles
 * (APP_DETAIL_SETTLE_MS without another key), so a held key scrolls the
 * list without drawing every object it passes.
 */
#define DIRTY_DETAIL_SOON 0x100u
#define APP_DETAIL_SETTLE_MS 40
/* A list the sync changed is counted again once no key came for this long. */
#define APP_RECOUNT_QUIET_MS 300
/* Rows read at most to find where go-back left the selection. */
#define APP_SEEK_MAX	5000

/* The windows, made again on every resize (ui/layout.c). NULL when no room. */
struct layout {
	int		 rows;
	int		 cols;
	WINDOW		*tabs;		/* top line */
	WINDOW		*title;		/* the pane's title and filter tabs */
	WINDOW		*list;		/* list, or the whole pane area */
	WINDOW		*detail;	/* beside the list (wide) or instead of it */
	WINDOW		*status;
	WINDOW		*preview;	/* the line above the status: a canned reply's text */
	WINDOW		*message;	/* messages and the prompt */
	int		 split;		/* detail beside the list */
	int		 narrow;	/* short labels */
};

/* Where the agent was: go-back returns there (a stack, like a browser's back). */
struct action_def;

struct app_place {
	int		 pane;
	int		 filter;
	char		*search;	/* the pane's search then, or NULL */
	char		*sel_id;	/* the selected row's id, or NULL */
	int		 detail_open;
};
#define APP_PLACES_MAX	32

struct app {
	struct config	*conf;
	struct cache	*cache;
	struct syncer	*syncer;
	struct syncer_state sync;
	char		*sync_note;	/* why there is no syncer, or NULL */
	struct script	*script;	/* keys from SHOPDESK_SCRIPT instead of the terminal */
	char		*script_error;	/* why the script stopped, for after the screen */
	char		*dump_path;	/* dump-screen: write the screen here when drawn */

	struct keymaps	*kms;
	struct keymap_input kin;
	uint64_t	 key_deadline;	/* ms (monotonic) when a pending sequence times out */
	uint64_t	 detail_at;	/* ms (monotonic) when to draw the settled detail */
	int		 candidates_shown;	/* the status line shows completions */
	int		 preview_shown;		/* the preview line covers the pane's last line */
	uint64_t	 last_key_ms;	/* ms (monotonic) of the last key */
	struct ui_command *commands;

	struct pane	 panes[PANE__COUNT];
	int		 cur;
	int		 detail_open;	/* focus in the detail (narrow: it fills the pane) */
	int		 detail_hidden;	/* toggle-detail on a wide terminal */
	int		 help_open;
	int		 help_scroll;
	int		 help_total;	/* lines of the help view when last drawn */
	int		 help_height;	/* lines it had room for */
	int		 tab_end[PANE__TABS];	/* the column after each tab, when drawn */
	struct find_view *find;		/* go-to-anything hits shown (find.c) */
	struct confirm	*confirm;	/* a money action awaiting y or n (confirm.c) */
	struct messages	*messages;	/* the recent messages, and their view (messages.c) */
	struct scan	*scan;		/* scan mode: packing by barcode (scan.c), or NULL */
	struct form	*form;		/* a form over the pane (promo-form.c, product-form.c), or NULL */
	struct catpick	*catpick;	/* the category tree over the pane (catpick.c), or NULL */

	struct layout	 lay;
	unsigned	 dirty;
	char		*message;
	int		 message_error;

	long		 outbox[OUTBOX__COUNT];
	char		*me_login;
	char		*me_role;
	char		*backend;	/* the store's backend (caps.h) */
	unsigned	 not_offered;	/* bit (1 << kind) per kind the store does not have */
	int		 no_sla;	/* its tickets have no SLA timers */
	struct kpi	 kpi;
	struct kpi_agent me_kpi;	/* the user's own figures today (me_kpi.id NULL: none) */
	time_t		 now;
	time_t		 clock_fixed;	/* `clock TIME` (tests): the time it is, 0: the system's */
	int		 quit;

	char		*bell_mark;	/* the agent's chats as last seen (agent.c) */
	char		*queues_text;	/* the Chats title's waiting counts, as of queues_at */
	time_t		 queues_at;
	struct app_place places[APP_PLACES_MAX];	/* go-back: oldest first */
	int		 nplaces;

	int64_t		 created_entry;	/* a create queued here: select what it makes, or 0 */
	int		 created_pane;	/* ... in this pane */
	char		*search_before;	/* the search when `/` opened (restored on Esc) */
	int		 search_pane;
	int		 search_due;	/* the search line changed, its list not read yet */
	int		 search_dir;	/* n/N direction */
};

/* Run the console until quit. 0, or an exit status. */
int	 app_run(struct app *);

/* A message on the bottom line (error: highlighted). */
void	 app_message(struct app *, int error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
struct pane *app_pane(struct app *);
/* Show pane i; one the user's role may not use is refused on the message line. */
void	 app_set_pane(struct app *, int);
/* The user's role (enum sd_role) from the cache's GET /v1/me, or -1 when not known. */
int	 app_role(const struct app *);
/* The roles (1 << enum sd_role) that may use pane i: the readers of its kind. */
unsigned app_pane_roles(const struct app *, int i);
/* Whether the user's role may use pane i (an unknown role: yes). */
int	 app_pane_allowed(const struct app *, int i);
/* "Chats: not for your role (warehouse); admin, ops or agent may use it"; caller frees. */
char	*app_pane_refusal(const struct app *, int i);
/* Apply the pane's filter tab, search and sort to its list (reads again). */
void	 app_apply_filter(struct app *, struct pane *);
/*
 * Show pane i's list on drill's day, paid, item... (list_filter's
 * Dashboard fields), its tabs and search cleared, label in its title: a
 * Dashboard figure opened. 0, or -1 (*cause) when the role may not see it.
 */
int	 app_drill(struct app *, int i, const struct list_filter *drill, const char *label,
	    char **cause);
/* Forget what the Dashboard opened pane p on. */
void	 app_drill_clear(struct pane *);
/* The pane's tab that shows every row (all statuses, not only low stock...). */
/*
 * The order p's list is read in: its `sort`, else oldest first on the
 * pane's FIFO tab (*fifo set), else the pane's own (NULL: the kind's).
 */
const char *app_pane_sort(const struct pane *, int *fifo);
int	 app_filter_all(const struct pane *);
/* The key chain changed (pane, detail): start reading keys along the new one. */
void	 app_keys_reset(struct app *);
/* Close the form over the pane (ui/form.h), if one is open; nothing is queued. */
void	 app_form_close(struct app *);
/* Re-read what the cache holds for the current pane and the counts. */
void	 app_reload(struct app *);
/*
 * Once the store has made the object of the create queued as outbox entry
 * app->created_entry, select it in app->created_pane (the draft a merchant
 * just created is where the next key acts).
 */
void	 app_select_created(struct app *);
/* Outbox counts, who we are and what the store offers, from the cache. */
void	 app_read_state(struct app *);
/* Read the dashboard's figures (the user's own included) as of app_time(). */
int	 app_read_kpi(struct app *, char **cause);
/* The time it is for the console: the system's, or the one `clock` set. */
time_t	 app_time(const struct app *);
/* Set the console's clock (0: the system's) and redraw what depends on it. */
void	 app_set_clock(struct app *, time_t);
/* "李客服 (U3)" for a user id, the id when the cache does not know it, "-" for NULL; caller frees. */
char	*app_user_label(struct app *, const char *id);
/* Whether the store has objects of kind (an enum sd_kind; -1, no kind: yes). */
int	 app_offered(struct app *, int kind);
/*
 * "Chats: not offered by this store (medusa)" in the user's language, what
 * being the thing refused (a pane's title, "chats accept"); caller frees.
 */
char	*app_not_offered(struct app *, const char *what);
/*
 * Go to the object id in pane (it is searched for, listed first, its detail
 * opened with open_detail), remembering where we were for app_go_back().
 */
void	 app_go_to(struct app *, int pane, const char *id, int open_detail);
/* Back where the last app_go_to() left: 0, or -1 when there is nowhere. */
int	 app_go_back(struct app *);
void	 app_places_free(struct app *);
/* Open the prompt: ':' with initial text, or '/' for a search. */
void	 app_prompt_command(struct app *, const char *initial);
void	 app_prompt_search(struct app *);

/*
 * ui/commands.c: queue a prepared action (replace: an outbox entry to edit
 * into it, else 0) and say so on the message line; plan is done after.
 * 0, or -1 with *cause.
 */
struct action_plan;
int	 commands_queue_plan(struct app *, struct action_plan *, long long replace,
	    char **cause);
/*
 * ui/commands.c: whether the user's role may run command (a binding's text,
 * "ship SF" or "command 'refund '"): not a pane or an action of the current
 * pane it may not use; if not, why not in *cause (may be NULL).
 */
int	 commands_role_allows(struct app *, const char *command, char **cause);
#define commands_allowed(a, command)	commands_role_allows((a), (command), NULL)
/* ui/commands.c: the console's command table (generic commands + every action). */
struct ui_command *commands_build(void);
void	 commands_free(struct ui_command **);
/* Whether the store performs d; if not, why not in *cause ("chats accept: not offered..."). */
int	 commands_action_offered(struct app *, const struct action_def *, char **cause);
/* Queue action d on id (NULL: a create) with no arguments, as its key would. */
int	 commands_queue_action(struct app *, const struct action_def *, const char *id,
	    char **cause);
/* Run action d as typed (argv[1..] its arguments) on the selection, or create. */
int	 commands_action_argv(struct app *, const struct action_def *, int argc, char **argv,
	    char **cause);
/*
 * Values for argument arg of d starting with prefix (not filtered): an
 * enum's values, ids from the cache (for a list, after the last comma).
 */
struct action_arg;
void	 commands_complete_arg(struct app *, const struct action_def *,
	    const struct action_arg *, const char *prefix,
	    void (*add)(void *acc, const char *candidate), void *acc);
/* Completion candidates for the prompt. */
void	 commands_complete(void *app, const char *line, int argi, const char *prefix,
	    void (*add)(void *acc, const char *candidate), void *acc);

/* ui/layout.c */
void	 layout_make(struct app *);
void	 layout_free(struct layout *);
void	 layout_draw_tabs(struct app *);
void	 layout_draw_title(struct app *);
void	 layout_draw_status(struct app *);
/* The candidates of a Tab with several, over the status line while the prompt is open. */
void	 layout_draw_candidates(struct app *, const char *candidates);
/* What `send /shortcut` will say, on the line above the status line. */
void	 layout_draw_preview(struct app *, const char *which, const char *text);
/* The text of a canned reply `send /...` on the prompt would send, or NULL (commands.c). */
char	*commands_preview(struct app *, const char *line, char **which);
void	 layout_draw_message(struct app *);
/* Light query's matches in text, written on win's row y from column x. */
void	 layout_light(WINDOW *, int y, int x, const char *text, const char *query, attr_t);
/* The pane area of a pane whose kind the store does not have: one centred line. */
void	 layout_draw_not_offered(struct app *, WINDOW *);

#endif
