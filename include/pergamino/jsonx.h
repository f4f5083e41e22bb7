/* Small Jansson helpers shared by the stores and handlers. */
#ifndef PERGAMINO_JSONX_H
#define PERGAMINO_JSONX_H

#include <stdbool.h>
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

/*
 * Install Jansson's allocator (malloc and free, plus the witness below).
 * Call before threads use Jansson (server_start does).
 */
void jsonx_init(void);
/*
 * json_dumps() and json_loads()/json_loadb() (flags as theirs), except
 * that an allocation failure anywhere inside gives NULL, once jsonx_init()
 * ran.  Jansson 2.14 ignores some of its own allocation failures: the
 * dumper drops an object key it could not write (a 200 with broken JSON,
 * a stored document with a nameless field) and the lexer a byte it could
 * not save (a value that differs from the text).  The text returned is
 * freed with free().
 */
char *jsonx_dumps(const json_t *doc, size_t flags);
json_t *jsonx_loads(const char *text, size_t flags, json_error_t *error);
json_t *jsonx_loadb(
    const char *buf, size_t len, size_t flags, json_error_t *error);
/*
 * json_copy(), or NULL when the copy lacks a member: Jansson 2.14 skips
 * the members it cannot allocate.  New reference.
 */
json_t *jsonx_copy(json_t *v);
/* Did the last jsonx_dumps/loads/loadb on this thread run out of memory? */
bool jsonx_out_of_memory(void);

/*
 * The JSON text we stored in column col (programs, frozen parties),
 * parsed into *out (new reference; NULL when the column is NULL or
 * empty).  False when the text is there but could not be loaded: out of
 * memory, since we wrote it.  A row builder must then fail, not show an
 * empty list that would be frozen into an issued document.
 */
bool jsonx_column_json(sqlite3_stmt *st, int col, json_t **out);

/* {"items": items, "next_cursor": next or null}; steals items. */
json_t *jsonx_page(json_t *items, int64_t next);

#endif
