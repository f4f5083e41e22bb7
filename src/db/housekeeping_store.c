/*
 * Housekeeping: rows that only serve for a while (idempotency records,
 * dead browser sessions, stale login failures) are deleted so the file
 * does not grow without bound.  Documents and the audit log are never
 * touched here.
 */
#include "pergamino/stores.h"

#define HOUSEKEEPING_GRACE_S 3600

static enum err
housekeeping_delete(
    struct db *db, const char *sql, int64_t a, int64_t b, int64_t *deleted)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	*deleted = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, a) || sqlite3_bind_int64(st, 2, b)) {
		db_release(st);
		return db_fail(db, "housekeeping: bind");
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(db, "housekeeping: delete");
	else
		*deleted = sqlite3_changes(db_handle(db));
	db_release(st);
	return rc;
}

enum err
housekeeping_purge(struct db *db, int64_t now, int64_t keep_idempotency_s,
    struct housekeeping_counts *out)
{
	static const char idem_sql[] =
	    "DELETE FROM idempotency WHERE created_at < ?1 - ?2";
	static const char session_sql[] =
	    "DELETE FROM credentials WHERE kind = 'session'"
	    " AND (expires_at < ?1 - ?2 OR revoked_at < ?1 - ?2)";
	static const char failures_sql[] =
	    "DELETE FROM login_failures WHERE locked_until < ?1"
	    " AND last_failure_at < ?1 - ?2";
	enum err rc;

	*out = (struct housekeeping_counts){ 0 };
	rc = db_begin(db);
	if (rc != ERR_OK)
		return rc;
	rc = housekeeping_delete(
	    db, idem_sql, now, keep_idempotency_s, &out->idempotency);
	if (rc == ERR_OK)
		rc = housekeeping_delete(
		    db, session_sql, now, HOUSEKEEPING_GRACE_S, &out->sessions);
	if (rc == ERR_OK)
		rc = housekeeping_delete(db, failures_sql, now,
		    THROTTLE_FORGET_S, &out->login_failures);
	if (rc == ERR_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
