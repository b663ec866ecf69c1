/*
 * jsonutil.h -- small accessors over cJSON objects.
 */
#ifndef SD_JSONUTIL_H
#define SD_JSONUTIL_H

#include <cjson/cJSON.h>

/* The string member key of obj, or NULL when absent or not a string. */
const char *json_str(const cJSON *obj, const char *key);
/* The integer member key of obj, or def when absent or not a number. */
long long json_int(const cJSON *obj, const char *key, long long def);
/* 1 if member key is true, 0 if false/absent/other. */
int	 json_bool(const cJSON *obj, const char *key);
/*
 * The value at a dotted path of obj, members joined by dots
 * ("shipment.tracking_no", "sla.resolve_due"); a component of digits
 * indexes an array ("items.0.title"). NULL when a step is absent or obj is
 * NULL. The one path getter: nothing else walks paths by hand.
 */
cJSON	*json_path(const cJSON *obj, const char *path);
/* The string at path, or NULL when absent or not a string. */
const char *json_path_str(const cJSON *obj, const char *path);
/* Set (replace or add) a member. */
void	 json_set_str(cJSON *obj, const char *key, const char *val);
void	 json_set_int(cJSON *obj, const char *key, long long val);
void	 json_set_bool(cJSON *obj, const char *key, int val);
void	 json_set_null(cJSON *obj, const char *key);
void	 json_set(cJSON *obj, const char *key, cJSON *val);
/*
 * Rewrite every \u0000 escape in the JSON text (len bytes, in place) as
 * \ufffd. A C string cannot hold a NUL, so cJSON would cut the value there
 * and lose what follows; the replacement character is what an invalid byte
 * becomes too. Same length, so offsets into the text stay valid. Returns
 * how many were rewritten.
 */
size_t	 json_nul_replace(char *text, size_t len);
/* cJSON_PrintUnformatted that aborts on allocation failure. */
char	*json_print(const cJSON *);



/*
 * A per-thread arena for cJSON: between json_arena_begin() and
 * json_arena_end() every cJSON allocation made on this thread comes from a
 * bump allocator and cJSON_Delete of it costs nothing; json_arena_end()
 * releases it all at once. Parsing a feed object this way avoids a malloc
 * and a free per node, the main cost of a sync. Nothing allocated inside
 * may be used after json_arena_end(). They nest: an inner end frees
 * nothing, the outermost frees all. json_hooks_install() must run once,
 * before any thread starts.
 */
void	 json_hooks_install(void);
void	 json_arena_begin(void);
void	 json_arena_end(void);
/*
 * A deep copy of v (NULL: NULL) on the heap, even between
 * json_arena_begin() and json_arena_end(): what must outlive the arena.
 */
cJSON	*json_heap_dup(const cJSON *v);

#endif
