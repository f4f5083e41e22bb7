/*
 * The store: one SQLite connection per thread, pragmas, cached prepared
 * statements, transactions, forward-only migrations.
 *
 * Statements are prepared once per connection and reused (measured 2-3x
 * on hot paths), so the STYLE.md pattern "prepare, step, finalize in one
 * function" becomes "db_prepare, step, db_release in one function":
 * db_release() resets the statement so it never pins a read snapshot.
 */
#ifndef PERGAMINO_DB_H
#define PERGAMINO_DB_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "pergamino/err.h"

struct db;

struct db_migration {
	const char *name; /* "0001_foundation.sql" */
	const char *sql;
};

/* Generated from migrations/ at build time; ends with { NULL, NULL }. */
extern const struct db_migration db_migrations[];

/* Number of migrations compiled in: the schema version this binary wants. */
int db_schema_target(void);

/*
 * Open (creating if needed) the database at path with our pragmas.
 * *out is NULL on failure.
 */
enum err db_open(const char *path, struct db **out);
/* Finalizes cached statements and closes; db_close(NULL) is a no-op. */
void db_close(struct db *db);
sqlite3 *db_handle(struct db *db);
const char *db_path(const struct db *db);

/*
 * The calling thread's own connection to path, opened on first use and
 * closed when the thread exits.  Never shared between threads.
 */
enum err db_thread(const char *path, struct db **out);

/*
 * Apply every pending migration, each with its user_version bump in one
 * transaction.  ERR_CONFLICT if the database is newer than this binary.
 */
enum err db_migrate(struct db *db);
/* Current PRAGMA user_version. */
enum err db_schema_version(struct db *db, int *out);

/*
 * A cached statement for sql, which must be a string with static storage
 * (its address is the cache key).  Hand it back with db_release().
 */
enum err db_prepare(struct db *db, const char *sql, sqlite3_stmt **out);
/* Reset and clear bindings; db_release(NULL) is a no-op. */
void db_release(sqlite3_stmt *st);

/*
 * Log sqlite3_errmsg() with where, and map the result code:
 * constraint -> ERR_CONFLICT, nomem -> ERR_NOMEM, busy -> ERR_BUSY,
 * anything else -> ERR_DB.
 */
enum err db_fail(struct db *db, const char *where);

/* BEGIN IMMEDIATE, retried on SQLITE_BUSY a bounded number of times. */
enum err db_begin(struct db *db);
enum err db_commit(struct db *db);
/* Roll back if a transaction is open; safe to call when none is. */
void db_rollback(struct db *db);
bool db_in_transaction(struct db *db);

/* Run a statement that returns no rows and takes no parameters. */
enum err db_exec(struct db *db, const char *sql);

/* Bind text or NULL when s is NULL; returns the SQLite result code. */
int db_bind_text(sqlite3_stmt *st, int idx, const char *s);
/* Column as a NUL-terminated string; "" for NULL. Borrowed until next step. */
const char *db_column_text(sqlite3_stmt *st, int col);

#endif
