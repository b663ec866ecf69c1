/*
 * theme.c -- colours with NO_COLOR and a monochrome fallback.
 */
#include "config.h"

#include <stdlib.h>

#include "ui/theme.h"

static int theme_use_color;
static attr_t theme_attrs[TH__COUNT];

/* Item, colour (-1: the terminal's), attributes with and without colour. */
static const struct {
	enum theme_item	 item;
	short		 fg;
	short		 bg;
	attr_t		 color_attr;
	attr_t		 mono_attr;
} theme_table[] = {
	{ TH_NORMAL,	 -1, -1, A_NORMAL, A_NORMAL },
	{ TH_TAB,	 -1, -1, A_NORMAL, A_NORMAL },
	{ TH_TAB_ACTIVE, COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	{ TH_HEADER,	 COLOR_CYAN, -1, A_BOLD, A_UNDERLINE },
	{ TH_CURSOR,	 COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	{ TH_PENDING,	 COLOR_YELLOW, -1, A_NORMAL, A_BOLD },
	{ TH_STATUS,	 COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
	{ TH_ONLINE,	 COLOR_GREEN, COLOR_BLUE, A_BOLD, A_REVERSE },
	{ TH_OFFLINE,	 COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD | A_BLINK },
	{ TH_ALERT,	 COLOR_YELLOW, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	{ TH_ERROR,	 COLOR_RED, -1, A_BOLD, A_BOLD },
	{ TH_LABEL,	 COLOR_CYAN, -1, A_NORMAL, A_BOLD },
	{ TH_DIM,	 -1, -1, A_DIM, A_DIM },
	{ TH_TITLE,	 -1, -1, A_BOLD, A_BOLD },
	{ TH_MATCH,	 COLOR_YELLOW, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE },
};

void
theme_init(void)
{
	const char *nc = getenv("NO_COLOR");
	size_t i;
	short pair = 1;

	theme_use_color = has_colors() && (nc == NULL || *nc == '\0');
	if (theme_use_color && (start_color() == ERR || use_default_colors() == ERR))
		theme_use_color = 0;
	for (i = 0; i < sizeof theme_table / sizeof theme_table[0]; i++) {
		if (!theme_use_color) {
			theme_attrs[theme_table[i].item] = theme_table[i].mono_attr;
			continue;
		}
		theme_attrs[theme_table[i].item] = theme_table[i].color_attr;
		if (theme_table[i].fg != -1 || theme_table[i].bg != -1) {
			init_pair(pair, theme_table[i].fg, theme_table[i].bg);
			theme_attrs[theme_table[i].item] |= COLOR_PAIR(pair);
			pair++;
		}
	}
	/* The offline blink is for monochrome only; in colour red is enough. */
	theme_attrs[TH_OFFLINE] &= ~A_BLINK;
}

int
theme_color(void)
{
	return theme_use_color;
}

attr_t
theme_attr(enum theme_item item)
{
	return theme_attrs[item];
}
