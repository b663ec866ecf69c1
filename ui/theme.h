/*
 * theme.h -- what each part of the screen looks like.
 *
 * Colours only when the terminal has them and NO_COLOR is not set; the
 * terminal's own foreground and background are kept (use_default_colors).
 * Without colour every item still differs by attribute (bold, reverse,
 * underline), so a monochrome terminal shows everything that matters.
 */
#ifndef SD_UI_THEME_H
#define SD_UI_THEME_H

#include <curses.h>

enum theme_item {
	TH_NORMAL,
	TH_TAB,			/* a tab of the tab bar */
	TH_TAB_ACTIVE,		/* the current pane's tab */
	TH_HEADER,		/* a list's column headers */
	TH_CURSOR,		/* the selected row */
	TH_PENDING,		/* a row with an action of ours pending */
	TH_STATUS,		/* the status line */
	TH_ONLINE,
	TH_OFFLINE,
	TH_ALERT,		/* a chat waiting, an SLA near breach */
	TH_ERROR,		/* the message line, for an error */
	TH_LABEL,		/* a field name in a detail view */
	TH_DIM,			/* secondary text */
	TH_TITLE,		/* a pane's or section's title */
	TH_MATCH,		/* text a search matched */
	TH__COUNT
};

/* After initscr(): decide colour or attributes. */
void	 theme_init(void);
/* Whether colours are used. */
int	 theme_color(void);
/* The attributes (and colour pair) for item. */
attr_t	 theme_attr(enum theme_item);

#endif
