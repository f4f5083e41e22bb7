/* Small Jansson helpers shared by the stores and handlers. */
#ifndef PERGAMINO_JSONX_H
#define PERGAMINO_JSONX_H

#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

/* ISO 8601 UTC ("2017-06-10T14:03:00Z") for Unix seconds; new reference. */
json_t *jsonx_time(int64_t unix_s);
/* Format Unix seconds as ISO 8601 UTC into out. */
void jsonx_time_text(int64_t unix_s, char out[32]);
/* Column col as a JSON string, or null when NULL; new reference. */
json_t *jsonx_column_text(sqlite3_stmt *st, int col);
/* Column col (Unix seconds) as ISO time, or null; new reference. */
json_t *jsonx_column_time(sqlite3_stmt *st, int col);
/*
 * A scaled integer as an exact decimal string: jsonx_decimal(472600, 3, 3)
 * -> "472.600" (kg), (352672, 2, 2) -> "3526.72" (soles).  New reference.
 */
json_t *jsonx_decimal(int64_t v, unsigned scale, unsigned shown);
/* Column col as jsonx_decimal, or null when NULL. */
json_t *jsonx_column_decimal(
    sqlite3_stmt *st, int col, unsigned scale, unsigned shown);
/* Column col (0/1) as a JSON boolean. */
json_t *jsonx_column_bool(sqlite3_stmt *st, int col);
/* Column col as an integer, or null when NULL. */
json_t *jsonx_column_int(sqlite3_stmt *st, int col);

/* The string member k of o, or "" when absent or not a string. */
const char *jsonx_str(json_t *o, const char *k);

/* {"items": items, "next_cursor": next or null}; steals items. */
json_t *jsonx_page(json_t *items, int64_t next);

#endif
