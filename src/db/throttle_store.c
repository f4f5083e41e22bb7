/*
 * login_failures: failed logins per subject ("user:<name>", "ip:<addr>").
 * After its free failures each further one locks the subject
 * for twice as long (2 s, 4 s, ... up to THROTTLE_LOCK_MAX_S).  A subject
 * with no failure for THROTTLE_FORGET_S starts counting again.
 */
#include "pergamino/stores.h"

enum err
throttle_store_wait(
    struct db *db, const char *subject, int64_t now, int64_t *wait_s)
{
	static const char sql[] =
	    "SELECT locked_until FROM login_failures WHERE subject = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*wait_s = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (db_bind_text(st, 1, subject)) {
		db_release(st);
		return db_fail(db, "throttle_store_wait: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_int64(st, 0) > now)
		*wait_s = sqlite3_column_int64(st, 0) - now;
	else if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(db, "throttle_store_wait");
	db_release(st);
	return rc;
}

enum err
throttle_store_fail(
    struct db *db, const char *subject, int free_failures, int64_t now)
{
	/*
	 * The lock doubles per failure past the free ones:
	 * min(2^(failures - free), max) seconds.
	 */
	static const char sql[] =
	    "INSERT INTO login_failures (subject, failures, last_failure_at,"
	    " locked_until) VALUES (?1, 1, ?2, 0)"
	    " ON CONFLICT (subject) DO UPDATE SET"
	    " failures = CASE WHEN last_failure_at < ?2 - ?5 THEN 1"
	    " ELSE failures + 1 END, last_failure_at = ?2,"
	    " locked_until = CASE WHEN last_failure_at >= ?2 - ?5"
	    " AND failures + 1 > ?3"
	    " THEN ?2 + min(1 << min(failures + 1 - ?3, 12), ?4)"
	    " ELSE 0 END";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (db_bind_text(st, 1, subject) || sqlite3_bind_int64(st, 2, now) ||
	    sqlite3_bind_int(st, 3, free_failures) ||
	    sqlite3_bind_int(st, 4, THROTTLE_LOCK_MAX_S) ||
	    sqlite3_bind_int(st, 5, THROTTLE_FORGET_S)) {
		db_release(st);
		return db_fail(db, "throttle_store_fail: bind");
	}
	return store_done(db, st, "throttle_store_fail");
}

enum err
throttle_store_clear(struct db *db, const char *subject)
{
	static const char sql[] =
	    "DELETE FROM login_failures WHERE subject = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (db_bind_text(st, 1, subject)) {
		db_release(st);
		return db_fail(db, "throttle_store_clear: bind");
	}
	return store_done(db, st, "throttle_store_clear");
}
