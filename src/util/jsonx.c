/* Jansson helpers: times, nullable columns, list pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pergamino/jsonx.h"
#include "pergamino/units.h"

void
jsonx_time_text(int64_t unix_s, char out[32])
{
	time_t t = (time_t)unix_s;
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

json_t *
jsonx_time(int64_t unix_s)
{
	char buf[32];

	jsonx_time_text(unix_s, buf);
	return json_string(buf);
}

json_t *
jsonx_column_text(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_stringn((const char *)sqlite3_column_text(st, col),
	    (size_t)sqlite3_column_bytes(st, col));
}

json_t *
jsonx_column_time(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return jsonx_time(sqlite3_column_int64(st, col));
}

json_t *
jsonx_page(json_t *items, int64_t next)
{
	char buf[24];

	if (items == NULL)
		return NULL;
	if (next > 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)next);
		return json_pack(
		    "{s:o, s:s}", "items", items, "next_cursor", buf);
	}
	return json_pack("{s:o, s:n}", "items", items, "next_cursor");
}

json_t *
jsonx_decimal(int64_t v, unsigned scale, unsigned shown)
{
	char buf[48];

	if (units_format_decimal(v, scale, shown, buf, sizeof(buf)) < 0)
		return NULL;
	return json_string(buf);
}

json_t *
jsonx_column_decimal(sqlite3_stmt *st, int col, unsigned scale, unsigned shown)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return jsonx_decimal(sqlite3_column_int64(st, col), scale, shown);
}

json_t *
jsonx_column_bool(sqlite3_stmt *st, int col)
{
	return json_boolean(sqlite3_column_int(st, col) != 0);
}

json_t *
jsonx_column_int(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(st, col));
}

const char *
jsonx_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/*
 * Jansson's allocator (jsonx_init): set when an allocation for Jansson
 * failed on this thread since the last jsonx_ call cleared it.  Jansson
 * 2.14 ignores some of its own failures and resets errno while parsing
 * numbers, so this flag is the only reliable witness.
 */
static _Thread_local bool jsonx_nomem;

static void *
jsonx_malloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL)
		jsonx_nomem = true;
	return p;
}

static void
jsonx_free(void *p)
{
	free(p);
}

void
jsonx_init(void)
{
	json_set_alloc_funcs(jsonx_malloc, jsonx_free);
}

bool
jsonx_out_of_memory(void)
{
	return jsonx_nomem;
}

char *
jsonx_dumps(const json_t *doc, size_t flags)
{
	char *text;

	jsonx_nomem = false;
	text = json_dumps(doc, flags);
	if (text != NULL && jsonx_nomem) {
		free(text);
		return NULL;
	}
	return text;
}

json_t *
jsonx_loadb(const char *buf, size_t len, size_t flags, json_error_t *error)
{
	json_t *doc;

	jsonx_nomem = false;
	doc = json_loadb(buf, len, flags, error);
	if (doc != NULL && jsonx_nomem) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

json_t *
jsonx_loads(const char *text, size_t flags, json_error_t *error)
{
	if (text == NULL)
		return json_loads(text, flags, error); /* its own refusal */
	return jsonx_loadb(text, strlen(text), flags, error);
}

bool
jsonx_column_json(sqlite3_stmt *st, int col, json_t **out)
{
	const char *text = (const char *)sqlite3_column_text(st, col);

	*out = NULL;
	if (text == NULL || text[0] == '\0')
		return sqlite3_column_type(st, col) == SQLITE_NULL ||
		    text != NULL;
	*out = jsonx_loads(text, 0, NULL);
	return *out != NULL;
}

json_t *
jsonx_copy(json_t *v)
{
	json_t *c = json_copy(v);

	if (c != NULL && json_is_object(v) &&
	    json_object_size(c) != json_object_size(v)) {
		json_decref(c);
		return NULL;
	}
	if (c != NULL && json_is_array(v) &&
	    json_array_size(c) != json_array_size(v)) {
		json_decref(c);
		return NULL;
	}
	return c;
}
