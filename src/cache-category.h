/*
 * cache-category.h -- the store's category tree as the cache holds it.
 *
 * The tree is small (hundreds of categories at most), so it is read whole
 * and laid out depth first: what `shopdesk categories tree`, the completion
 * and the console's Inventory tree draw, and what a --category filter
 * resolves against (an id, a path "手机数码/手机" or a unique name).
 */
#ifndef SD_CACHE_CATEGORY_H
#define SD_CACHE_CATEGORY_H

#include <stddef.h>

#include "cache.h"

/*
 * SQL: the ids of the category bound as its one parameter and of every one
 * below it, for "category_id IN (" CACHE_CATEGORY_SUBTREE ")".
 */
#define CACHE_CATEGORY_SUBTREE	"WITH RECURSIVE sub(id) AS (SELECT ? UNION"	\
	" SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)"	\
	" SELECT id FROM sub"

struct cache_category {
	char	*id;
	char	*name;
	char	*parent_id;	/* NULL: top level */
	char	*path;		/* names from the top, joined with " / " */
	int	 position;	/* among its siblings */
	int	 depth;		/* 0: top level */
	int	 nchildren;
	int	 last;		/* the last of its siblings (for drawing) */
	long	 direct;	/* products in it */
	long	 products;	/* products in it and its descendants */
};

struct cache_categories {
	struct cache_category	*v;	/* depth first, siblings by position */
	size_t			 n;
};

/* Read the tree; 0, or -1 with *cause. */
int	 cache_categories_load(struct cache *, struct cache_categories *,
	     char **cause);
void	 cache_categories_done(struct cache_categories *);

/*
 * The category key names: its id, its path (names joined by "/", " / ",
 * ">" or " › "), or its name when only one category has it. The index in
 * t, or -1 with *cause saying why (none, or which paths share the name).
 */
long	 cache_category_find(const struct cache_categories *, const char *key,
	     char **cause);

#endif
