/* idempotency: the first answer to each (user, Idempotency-Key). */
#include <stdlib.h>
#include <string.h>

#include "pergamino/stores.h"

static char *
idempotency_dup_col(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	return strdup(db_column_text(st, col));
}

void
idempotency_hit_clear(struct idempotency_hit *hit)
{
	free(hit->body);
	free(hit->location);
	free(hit->etag);
	memset(hit, 0, sizeof(*hit));
}

enum err
idempotency_store_find(struct db *db, int64_t user_id, const char *key,
    const unsigned char hash[32], struct idempotency_hit *out)
{
	static const char sql[] =
	    "SELECT request_hash, status, body, location, etag"
	    " FROM idempotency WHERE user_id = ?1 AND key = ?2";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, user_id) || db_bind_text(st, 2, key)) {
		db_release(st);
		return db_fail(db, "idempotency_store_find: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->found = true;
		out->same_request = sqlite3_column_bytes(st, 0) == 32 &&
		    memcmp(sqlite3_column_blob(st, 0), hash, 32) == 0;
		out->status = (unsigned)sqlite3_column_int(st, 1);
		out->body = strdup(db_column_text(st, 2));
		out->location = idempotency_dup_col(st, 3);
		out->etag = idempotency_dup_col(st, 4);
		if (out->body == NULL)
			rc = ERR_NOMEM;
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, "idempotency_store_find");
	}
	db_release(st);
	if (rc != ERR_OK)
		idempotency_hit_clear(out);
	return rc;
}

enum err
idempotency_store_put(struct db *db, int64_t user_id, const char *key,
    const unsigned char hash[32], unsigned status, const char *body,
    const char *location, const char *etag, int64_t now)
{
	static const char sql[] =
	    "INSERT INTO idempotency (user_id, key, request_hash, status, body,"
	    " location, etag, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	    " ?8)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, user_id) || db_bind_text(st, 2, key) ||
	    sqlite3_bind_blob(st, 3, hash, 32, SQLITE_STATIC) ||
	    sqlite3_bind_int(st, 4, (int)status) || db_bind_text(st, 5, body) ||
	    db_bind_text(st, 6, location) || db_bind_text(st, 7, etag) ||
	    sqlite3_bind_int64(st, 8, now)) {
		db_release(st);
		return db_fail(db, "idempotency_store_put: bind");
	}
	return store_done(db, st, "idempotency_store_put");
}
