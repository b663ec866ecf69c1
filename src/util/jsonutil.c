/*
 * jsonutil.c -- small accessors over cJSON objects.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "xmalloc.h"

const char *
json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

long long
json_int(const cJSON *obj, const char *key, long long def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsNumber(v))
		return def;
	return (long long)v->valuedouble;
}

int
json_bool(const cJSON *obj, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* The member of obj named by the n bytes at key, or its element at index key. */
static cJSON *
json_path_step(const cJSON *obj, const char *key, size_t n)
{
	cJSON *c;
	size_t i;
	long idx = 0;

	if (cJSON_IsObject(obj)) {
		for (c = obj->child; c != NULL; c = c->next)
			if (c->string != NULL && strncmp(c->string, key, n) == 0 &&
			    c->string[n] == '\0')
				return c;
		return NULL;
	}
	if (!cJSON_IsArray(obj) || n == 0 || n > 9)
		return NULL;
	for (i = 0; i < n; i++) {
		if (key[i] < '0' || key[i] > '9')
			return NULL;
		idx = idx * 10 + (key[i] - '0');
	}
	for (c = obj->child; c != NULL && idx > 0; c = c->next)
		idx--;
	return c;
}

cJSON *
json_path(const cJSON *obj, const char *path)
{
	const char *dot;
	cJSON *v = (cJSON *)obj;

	while (v != NULL) {
		dot = strchr(path, '.');
		v = json_path_step(v, path, dot != NULL ? (size_t)(dot - path) : strlen(path));
		if (dot == NULL)
			return v;
		path = dot + 1;
	}
	return NULL;
}

const char *
json_path_str(const cJSON *obj, const char *path)
{
	const cJSON *v = json_path(obj, path);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void
json_set(cJSON *obj, const char *key, cJSON *val)
{
	if (val == NULL)
		fatal("json_set: out of memory");
	if (cJSON_GetObjectItemCaseSensitive(obj, key) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, val);
	else
		cJSON_AddItemToObject(obj, key, val);
}

void
json_set_str(cJSON *obj, const char *key, const char *val)
{
	json_set(obj, key, val != NULL ? cJSON_CreateString(val) : cJSON_CreateNull());
}

void
json_set_int(cJSON *obj, const char *key, long long val)
{
	json_set(obj, key, cJSON_CreateNumber((double)val));
}

void
json_set_bool(cJSON *obj, const char *key, int val)
{
	json_set(obj, key, cJSON_CreateBool(val));
}

void
json_set_null(cJSON *obj, const char *key)
{
	json_set(obj, key, cJSON_CreateNull());
}

size_t
json_nul_replace(char *text, size_t len)
{
	size_t i, n = 0;

	if (text == NULL)
		return 0;
	/*
	 * A backslash only ever starts an escape pair: skip pairs whole. Most
	 * texts have few backslashes: memchr() finds each.
	 */
	for (i = 0; i + 1 < len; i += 2) {
		const char *b = memchr(text + i, '\\', len - 1 - i);

		if (b == NULL)
			break;
		i = (size_t)(b - text);
		if (text[i + 1] == 'u' && i + 5 < len && memcmp(text + i + 2, "0000", 4) == 0) {
			memcpy(text + i + 2, "fffd", 4);
			n++;
		}
	}
	return n;
}

char *
json_print(const cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);

	if (s == NULL)
		fatal("json_print: out of memory");
	return s;
}

#define ARENA_CHUNK	(64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t		 used;
	size_t		 size;
	char		 data[];
};

struct arena {
	struct arena_chunk *chunks;	/* newest first */
	struct arena_chunk *spare;	/* an ARENA_CHUNK one kept for the next arena */
	int		 active;	/* json_arena_begin() calls not yet ended */
};

static __thread struct arena json_arena;

/*
 * A thread's spare chunk is freed when the thread ends (a sync's or a
 * push's thread): the key holds it while it is kept.
 */
static pthread_key_t json_spare_key;
static pthread_once_t json_spare_once = PTHREAD_ONCE_INIT;

static void
json_spare_key_make(void)
{
	(void)pthread_key_create(&json_spare_key, free);
}

static void
json_spare_set(struct arena_chunk *c)
{
	json_arena.spare = c;
	(void)pthread_once(&json_spare_once, json_spare_key_make);
	(void)pthread_setspecific(json_spare_key, c);
}

static int
arena_owns(const struct arena *a, const void *p)
{
	const struct arena_chunk *c;

	for (c = a->chunks; c != NULL; c = c->next)
		if ((const char *)p >= c->data && (const char *)p < c->data + c->size)
			return 1;
	return 0;
}

static void *
json_hook_malloc(size_t n)
{
	struct arena *a = &json_arena;
	struct arena_chunk *c;
	size_t size;

	if (!a->active)
		return malloc(n);
	n = (n + 15) & ~(size_t)15;
	c = a->chunks;
	if (c == NULL || c->size - c->used < n) {
		size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		if (size == ARENA_CHUNK && a->spare != NULL) {
			c = a->spare;
			json_spare_set(NULL);
		} else if ((c = malloc(sizeof *c + size)) == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->chunks;
		a->chunks = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static void
json_hook_free(void *p)
{
	if (json_arena.active && arena_owns(&json_arena, p))
		return;
	free(p);
}

void
json_hooks_install(void)
{
	static int done;
	cJSON_Hooks hooks = { json_hook_malloc, json_hook_free };

	if (!done)
		cJSON_InitHooks(&hooks);
	done = 1;
}

void
json_arena_begin(void)
{
	json_arena.active++;
}

void
json_arena_end(void)
{
	struct arena_chunk *c, *next;

	if (json_arena.active > 1) {
		json_arena.active--;	/* an inner one: the outer one frees it all */
		return;
	}
	/*
	 * One chunk is kept: an arena per object (the outbox's overlays, a
	 * replay's answers) would otherwise take 64 kB from the heap and give
	 * it back each time, and past the trim threshold a give-back shrinks
	 * the heap (brk), which in a process with threads costs every CPU a
	 * TLB flush.
	 */
	for (c = json_arena.chunks; c != NULL; c = next) {
		next = c->next;
		if (json_arena.spare == NULL && c->size == ARENA_CHUNK)
			json_spare_set(c);
		else
			free(c);
	}
	json_arena.chunks = NULL;
	json_arena.active = 0;
}

cJSON *
json_heap_dup(const cJSON *v)
{
	int active = json_arena.active;
	cJSON *d;

	if (v == NULL)
		return NULL;
	json_arena.active = 0;	/* nothing is freed meanwhile: the arena stays whole */
	d = cJSON_Duplicate(v, 1);
	json_arena.active = active;
	if (d == NULL)
		fatal("json_heap_dup: out of memory");
	return d;
}
