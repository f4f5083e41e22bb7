/* Stepping helpers shared by every store: pages, single rows, writes. */
#include "pergamino/stores.h"

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

enum err
store_done(struct db *db, sqlite3_stmt *st, const char *where)
{
	enum err rc = ERR_OK;

	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(db, where);
	db_release(st);
	return rc;
}
