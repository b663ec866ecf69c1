/*
 * jsonutil.c -- small accessors over cJSON objects.
 */
#include "config.h"

#include <stdlib.h>

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

char *
json_print(const cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);

	if (s == NULL)
		fatal("json_print: out of memory");
	return s;
}
