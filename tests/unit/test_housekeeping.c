/*
 * Housekeeping deletes only what has served its time: idempotency
 * records past the retention, sessions expired or revoked over an hour
 * ago, login failures that no longer lock or count.  Live sessions, API
 * tokens (even revoked ones), recent records and the audit log stay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "pergamino/db.h"
#include "pergamino/stores.h"

#define NOW 1800000000LL

static int64_t
hk_count(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A migrated in-memory database with cooperative 1 and its user 1. */
static struct db *
hk_db(void)
{
	struct db *db = NULL;

	assert_int_equal(db_open(":memory:", &db), ERR_OK);
	assert_int_equal(db_migrate(db), ERR_OK);
	assert_int_equal(
	    db_exec(db,
	        "INSERT INTO organizations (id, name, ruc, kind, created_at)"
	        " VALUES (1, 'A', '20427376983', 'cooperative', 0);"
	        "INSERT INTO users (id, organization_id, username,"
	        " display_name, role, password_hash, created_at,"
	        " password_changed_at)"
	        " VALUES (1, 1, 'ana', 'Ana', 'admin', 'x', 0, 0)"),
	    ERR_OK);
	return db;
}

static void
test_purge_keeps_what_still_serves(void **state)
{
	struct housekeeping_counts n;
	struct db *db;
	char sql[2048];

	(void)state;
	db = hk_db();
	snprintf(sql, sizeof(sql),
	    /* idempotency: 8 days old (gone), 6 days old (kept) */
	    "INSERT INTO idempotency VALUES (1, 'old', x'00', 201, NULL, NULL,"
	    " '{}', %lld), (1, 'recent', x'00', 201, NULL, NULL, '{}', %lld);"
	    /* sessions: expired 2 h ago (gone), expired 10 min ago (kept),
	     * revoked 2 h ago (gone), live (kept); tokens: revoked (kept) */
	    "INSERT INTO credentials (kind, token_hash, user_id, created_at,"
	    " last_seen_at, expires_at, revoked_at) VALUES"
	    " ('session', randomblob(32), 1, 0, 0, %lld, NULL),"
	    " ('session', randomblob(32), 1, 0, 0, %lld, NULL),"
	    " ('session', randomblob(32), 1, 0, 0, %lld, %lld),"
	    " ('session', randomblob(32), 1, 0, %lld, %lld, NULL),"
	    " ('token', randomblob(32), 1, 0, 0, NULL, %lld);"
	    /* login failures: stale (gone), still locked (kept), recent */
	    "INSERT INTO login_failures VALUES ('user:a', 3, %lld, 0),"
	    " ('user:b', 9, %lld, %lld), ('ip:1', 2, %lld, 0)",
	    NOW - 8 * 86400, NOW - 6 * 86400, NOW - 7200, NOW - 600, NOW + 3600,
	    NOW - 7200, NOW, NOW + 3600, NOW - 7200, NOW - 7200, NOW - 60,
	    NOW + 600, NOW - 60);
	assert_int_equal(db_exec(db, sql), ERR_OK);

	assert_int_equal(
	    housekeeping_purge(db, NOW, IDEMPOTENCY_KEEP_S, &n), ERR_OK);
	assert_int_equal(n.idempotency, 1);
	assert_int_equal(n.sessions, 2);
	assert_int_equal(n.login_failures, 1);
	assert_int_equal(hk_count(db,
	                     "SELECT count(*) FROM idempotency"
	                     " WHERE key = 'recent'"),
	    1);
	assert_int_equal(hk_count(db,
	                     "SELECT count(*) FROM credentials"
	                     " WHERE kind = 'session'"),
	    2);
	assert_int_equal(hk_count(db,
	                     "SELECT count(*) FROM credentials"
	                     " WHERE kind = 'token'"),
	    1);
	assert_int_equal(
	    hk_count(db, "SELECT count(*) FROM login_failures"), 2);
	/* Running again finds nothing more. */
	assert_int_equal(
	    housekeeping_purge(db, NOW, IDEMPOTENCY_KEEP_S, &n), ERR_OK);
	assert_int_equal(n.idempotency + n.sessions + n.login_failures, 0);
	db_close(db);
}

/* Counts SQLite's virtual machine steps, in thousands. */
static int
hk_progress(void *arg)
{
	(*(int64_t *)arg)++;
	return 0;
}

/*
 * The hourly purge runs inside BEGIN IMMEDIATE: every clerk's write waits
 * for it.  Its work must follow what expired, not what is kept: with
 * 20 000 live idempotency records (a week of a large cooperative) and
 * one expired, it must not read them all (migration 0009's index).
 */
static void
test_purge_reads_only_what_expired(void **state)
{
	struct housekeeping_counts n;
	struct db *db;
	int64_t kilo_steps = 0;
	char sql[1024];

	(void)state;
	db = hk_db();
	snprintf(sql, sizeof(sql),
	    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k"
	    " WHERE i < 20000) INSERT INTO idempotency SELECT 1, 'k' || i,"
	    " x'00', 201, NULL, NULL, '{}', %lld + i FROM k;"
	    "INSERT INTO idempotency VALUES (1, 'old', x'00', 201, NULL, NULL,"
	    " '{}', %lld)",
	    NOW - 86400, NOW - 8 * 86400);
	assert_int_equal(db_exec(db, sql), ERR_OK);
	sqlite3_progress_handler(db_handle(db), 1000, hk_progress, &kilo_steps);
	assert_int_equal(
	    housekeeping_purge(db, NOW, IDEMPOTENCY_KEEP_S, &n), ERR_OK);
	sqlite3_progress_handler(db_handle(db), 0, NULL, NULL);
	assert_int_equal(n.idempotency, 1);
	assert_int_equal(
	    hk_count(db, "SELECT count(*) FROM idempotency"), 20000);
	/* A scan of the 20 000 records takes well over 100 000 steps. */
	assert_true(kilo_steps < 20);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_purge_keeps_what_still_serves),
		cmocka_unit_test(test_purge_reads_only_what_expired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
