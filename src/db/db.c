/*
 * SQLite connection handling: pragmas, per-thread connections, a cache of
 * prepared statements keyed by the address of their static SQL text,
 * transactions and migrations.  No HTTP, no JSON here.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "pergamino/db.h"
#include "pergamino/log.h"

#define DB_STMT_CACHE_SIZE 256 /* slots; power of two */
#define DB_BUSY_TIMEOUT_MS 5000
#define DB_BEGIN_RETRIES 3
#define DB_MMAP_SIZE 4294967296LL /* bytes; >= the national database */

struct db_stmt_slot {
	const char *sql; /* borrowed static text: the key */
	sqlite3_stmt *st;
};

struct db {
	sqlite3 *h;
	char *path; /* owned */
	struct db_stmt_slot cache[DB_STMT_CACHE_SIZE];
};

static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

static const char *const db_pragmas[] = {
	"PRAGMA journal_mode = WAL",
	/*
	 * FULL: in WAL mode, every commit is fsynced before it returns, so
	 * an acknowledged write survives a power cut (docs/operations.md).
	 */
	"PRAGMA synchronous = FULL",
	"PRAGMA foreign_keys = ON",
	"PRAGMA temp_store = MEMORY",
	"PRAGMA mmap_size = 4294967296",
	"PRAGMA cache_size = -16384",
	NULL,
};

enum err
db_fail(struct db *db, const char *where)
{
	int code = db != NULL && db->h != NULL ? sqlite3_errcode(db->h) : 0;

	log_error("sqlite", where,
	    db != NULL && db->h != NULL ? sqlite3_errmsg(db->h) : "no handle");
	switch (code & 0xff) {
	case SQLITE_CONSTRAINT:
		return ERR_CONFLICT;
	case SQLITE_NOMEM:
		return ERR_NOMEM;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ERR_BUSY;
	default:
		return ERR_DB;
	}
}

enum err
db_exec(struct db *db, const char *sql)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, sql);
	return ERR_OK;
}

/*
 * Process-wide SQLite settings, before its first use.  MEMSTATUS off:
 * the allocation statistics take one global mutex on every sqlite3_malloc
 * and sqlite3_free, which every worker thread contends for
 * (docs/performance.md).  SQLITE_MISUSE, if SQLite was already in use,
 * only means the default stays.
 */
static void
db_configure(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum err
db_open(const char *path, struct db **out)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct db *db;
	size_t i;

	*out = NULL;
	(void)pthread_once(&once, db_configure);
	db = calloc(1, sizeof(*db));
	if (db == NULL)
		return ERR_NOMEM;
	db->path = strdup(path);
	if (db->path == NULL) {
		free(db);
		return ERR_NOMEM;
	}
	if (sqlite3_open_v2(path, &db->h,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	            SQLITE_OPEN_NOMUTEX,
	        NULL) != SQLITE_OK) {
		db_fail(db, "db_open");
		db_close(db);
		return ERR_DB;
	}
	/* Before anything else: a lock met while opening must be waited on. */
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->h, 1);
	for (i = 0; db_pragmas[i] != NULL; i++) {
		if (db_exec(db, db_pragmas[i]) != ERR_OK) {
			db_close(db);
			return ERR_DB;
		}
	}
	*out = db;
	return ERR_OK;
}

void
db_close(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < DB_STMT_CACHE_SIZE; i++)
		sqlite3_finalize(db->cache[i].st);
	if (db->h != NULL)
		sqlite3_close(db->h);
	free(db->path);
	free(db);
}

sqlite3 *
db_handle(struct db *db)
{
	return db->h;
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

static void
db_thread_destroy(void *p)
{
	db_close(p);
}

static void
db_key_create(void)
{
	(void)pthread_key_create(&db_key, db_thread_destroy);
}

enum err
db_thread(const char *path, struct db **out)
{
	struct db *db;
	enum err rc;

	(void)pthread_once(&db_key_once, db_key_create);
	db = pthread_getspecific(db_key);
	if (db != NULL && strcmp(db->path, path) == 0) {
		*out = db;
		return ERR_OK;
	}
	if (db != NULL) {
		db_close(db);
		(void)pthread_setspecific(db_key, NULL);
	}
	rc = db_open(path, &db);
	if (rc != ERR_OK) {
		*out = NULL;
		return rc;
	}
	if (pthread_setspecific(db_key, db) != 0) {
		db_close(db);
		*out = NULL;
		return ERR_NOMEM;
	}
	*out = db;
	return ERR_OK;
}

enum err
db_prepare(struct db *db, const char *sql, sqlite3_stmt **out)
{
	size_t h = ((size_t)(uintptr_t)sql >> 4) & (DB_STMT_CACHE_SIZE - 1);
	size_t i, slot;

	*out = NULL;
	for (i = 0; i < DB_STMT_CACHE_SIZE; i++) {
		slot = (h + i) & (DB_STMT_CACHE_SIZE - 1);
		if (db->cache[slot].sql == sql) {
			*out = db->cache[slot].st;
			return ERR_OK;
		}
		if (db->cache[slot].sql == NULL)
			break;
	}
	if (i == DB_STMT_CACHE_SIZE) {
		log_error("db", "db_prepare", "statement cache full");
		return ERR_INTERNAL;
	}
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
	        &db->cache[slot].st, NULL) != SQLITE_OK) {
		db->cache[slot].st = NULL;
		return db_fail(db, sql);
	}
	db->cache[slot].sql = sql;
	*out = db->cache[slot].st;
	return ERR_OK;
}

void
db_release(sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

bool
db_in_transaction(struct db *db)
{
	return sqlite3_get_autocommit(db->h) == 0;
}

enum err
db_begin(struct db *db)
{
	static const char sql[] = "BEGIN IMMEDIATE";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int attempt, step = SQLITE_BUSY;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	/* busy_timeout already waited; a few more tries, then 503. */
	for (attempt = 0; attempt < DB_BEGIN_RETRIES; attempt++) {
		step = sqlite3_step(st);
		sqlite3_reset(st);
		if ((step & 0xff) != SQLITE_BUSY)
			break;
	}
	if (step == SQLITE_DONE)
		return ERR_OK;
	return db_fail(db, "db_begin");
}

enum err
db_commit(struct db *db)
{
	static const char sql[] = "COMMIT";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		rc = db_fail(db, "db_commit");
		db_rollback(db);
		return rc;
	}
	return ERR_OK;
}

void
db_rollback(struct db *db)
{
	if (db == NULL || db->h == NULL || sqlite3_get_autocommit(db->h))
		return;
	if (sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		(void)db_fail(db, "db_rollback");
}

int
db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

const char *
db_column_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t != NULL ? (const char *)t : "";
}

int
db_schema_target(void)
{
	int n = 0;

	while (db_migrations[n].name != NULL)
		n++;
	return n;
}

enum err
db_schema_version(struct db *db, int *out)
{
	sqlite3_stmt *st = NULL;
	enum err rc = ERR_OK;

	*out = 0;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, "db_schema_version");
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	else
		rc = db_fail(db, "db_schema_version: step");
	sqlite3_finalize(st);
	return rc;
}

/* Apply migration number n (1-based) and bump user_version, atomically. */
static enum err
db_apply(struct db *db, int n)
{
	char bump[64];
	enum err rc;

	rc = db_begin(db);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_exec(db->h, db_migrations[n - 1].sql, NULL, NULL, NULL) !=
	    SQLITE_OK) {
		rc = db_fail(db, db_migrations[n - 1].name);
		goto fail;
	}
	/* n is our own integer, not input. */
	(void)snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", n);
	rc = db_exec(db, bump);
	if (rc != ERR_OK)
		goto fail;
	rc = db_commit(db);
	if (rc == ERR_OK)
		log_info("db", "applied migration", db_migrations[n - 1].name);
	return rc;
fail:
	db_rollback(db);
	return rc;
}

enum err
db_migrate(struct db *db)
{
	int have, want = db_schema_target(), n;
	enum err rc;

	rc = db_schema_version(db, &have);
	if (rc != ERR_OK)
		return rc;
	if (have > want) {
		log_error("db", "db_migrate",
		    "database schema is newer than this binary; refusing");
		return ERR_CONFLICT;
	}
	for (n = have + 1; n <= want; n++) {
		rc = db_apply(db, n);
		if (rc != ERR_OK)
			return rc;
	}
	return ERR_OK;
}
