/*
 * Stepping helpers shared by every store: pages, single rows, writes,
 * lookups of one id, and the column and binding helpers they use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/jsonx.h"
#include "pergamino/stores.h"
#include "pergamino/textbuf.h"

enum err
store_page(struct db *db, sqlite3_stmt *st, int64_t limit, store_row_fn row_fn,
    json_t **items, int64_t *next)
{
	json_t *arr = json_array(), *row;
	int64_t count = 0, last_id = 0;
	enum err rc = ERR_OK;
	int step;

	*items = NULL;
	*next = 0;
	if (arr == NULL) {
		db_release(st);
		return ERR_NOMEM;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == limit) {
			*next = last_id;
			break;
		}
		row = row_fn(st);
		if (row == NULL || json_array_append_new(arr, row) != 0) {
			rc = ERR_NOMEM;
			break;
		}
		last_id = sqlite3_column_int64(st, 0);
		count++;
	}
	if (rc == ERR_OK && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(db, "store_page");
	db_release(st);
	if (rc != ERR_OK) {
		json_decref(arr);
		*next = 0;
		return rc;
	}
	*items = arr;
	return ERR_OK;
}

enum err
store_one(struct db *db, sqlite3_stmt *st, store_row_fn row_fn, json_t **out)
{
	enum err rc = ERR_OK;
	int step;

	*out = NULL;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*out = row_fn(st);
		if (*out == NULL)
			rc = ERR_NOMEM;
	} else if (step == SQLITE_DONE) {
		rc = ERR_NOT_FOUND;
	} else {
		rc = db_fail(db, "store_one");
	}
	db_release(st);
	return rc;
}

json_t *
store_row_json(sqlite3_stmt *st)
{
	return jsonx_loadb((const char *)sqlite3_column_text(st, 1),
	    (size_t)sqlite3_column_bytes(st, 1), 0, NULL);
}

enum err
store_one_text(struct db *db, sqlite3_stmt *st, char **out)
{
	enum err rc = ERR_OK;
	size_t len;
	int step;

	*out = NULL;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		len = (size_t)sqlite3_column_bytes(st, 1);
		*out = malloc(len + 1);
		if (*out == NULL || sqlite3_column_text(st, 1) == NULL)
			rc = ERR_NOMEM;
		else
			memcpy(*out, sqlite3_column_text(st, 1), len + 1);
	} else if (step == SQLITE_DONE) {
		rc = ERR_NOT_FOUND;
	} else {
		rc = db_fail(db, "store_one_text");
	}
	db_release(st);
	if (rc != ERR_OK) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

enum err
store_page_text(struct db *db, sqlite3_stmt *st, int64_t limit, char **out)
{
	struct textbuf t = { 0 };
	int64_t count = 0, last_id = 0, next = 0;
	char tail[64];
	enum err rc = ERR_OK;
	int step;

	*out = NULL;
	textbuf_add(&t, "{\"items\":[", 10);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == limit) {
			next = last_id;
			break;
		}
		if (count > 0)
			textbuf_add(&t, ",", 1);
		textbuf_add(&t, (const char *)sqlite3_column_text(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1));
		last_id = sqlite3_column_int64(st, 0);
		count++;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(db, "store_page_text");
	db_release(st);
	/* As jsonx_page(): the cursor is a string, or null on the last page. */
	if (next > 0)
		snprintf(tail, sizeof(tail), "],\"next_cursor\":\"%lld\"}",
		    (long long)next);
	else
		snprintf(tail, sizeof(tail), "],\"next_cursor\":null}");
	textbuf_add(&t, tail, strlen(tail));
	if (rc != ERR_OK) {
		textbuf_clear(&t);
		return rc;
	}
	return textbuf_take(&t, out);
}

enum err
store_done(struct db *db, sqlite3_stmt *st, const char *where)
{
	enum err rc = ERR_OK;

	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(db, where);
	db_release(st);
	return rc;
}

enum err
store_insert(struct db *db, sqlite3_stmt *st, const char *where, int64_t *id)
{
	enum err rc = store_done(db, st, where);

	if (rc == ERR_OK)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return rc;
}

enum err
store_first_row(struct db *db, const char *sql, int64_t a, int64_t b,
    const char *where, sqlite3_stmt **st)
{
	enum err rc;
	int step;

	*st = NULL;
	rc = db_prepare(db, sql, st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(*st, 1, a) || sqlite3_bind_int64(*st, 2, b)) {
		db_release(*st);
		*st = NULL;
		return db_fail(db, where);
	}
	step = sqlite3_step(*st);
	if (step == SQLITE_ROW)
		return ERR_OK;
	rc = step == SQLITE_DONE ? ERR_OK : db_fail(db, where);
	db_release(*st);
	*st = NULL;
	return rc;
}

enum err
store_find_id(struct db *db, const char *sql, int64_t a, int64_t b,
    const char *where, int64_t *id)
{
	sqlite3_stmt *st;
	enum err rc;

	*id = 0;
	rc = store_first_row(db, sql, a, b, where, &st);
	if (rc != ERR_OK || st == NULL)
		return rc;
	*id = sqlite3_column_int64(st, 0);
	db_release(st);
	return ERR_OK;
}

void
store_copy_text(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
	snprintf(dst, cap, "%s", db_column_text(st, col));
}

const char *
store_or_empty(const char *s)
{
	return s != NULL ? s : "";
}
