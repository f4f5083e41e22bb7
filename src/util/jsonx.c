/* Jansson helpers: times, nullable columns, list pages. */
#include <stdio.h>
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
