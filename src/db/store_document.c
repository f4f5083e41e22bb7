/*
 * Writes every document stage's store shares: annulment (with what the
 * document held going back) and the parties frozen at issue.
 */
#include "pergamino/stores.h"

/* Why an annulment changed nothing: 1 absent, 2 annulled, 3 dependent. */
static enum err
store_annul_state(
    struct db *db, const char *sql, int64_t org_id, int64_t id, int *state)
{
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, id)) {
		db_release(st);
		return db_fail(db, "store_annul_state: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		*state = 1;
	else if (step == SQLITE_ROW)
		*state = sqlite3_column_int(st, 0) == 1 ? 2 : 3;
	else
		rc = db_fail(db, "store_annul_state");
	db_release(st);
	return rc;
}

/* What an annulled document held goes back (release_sql, ?1 = id). */
static enum err
store_annul_release(struct db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id)) {
		db_release(st);
		return db_fail(db, "store_annul_release: bind");
	}
	return store_done(db, st, "store_annul_release");
}

enum err
store_annul(struct db *db, const struct store_annulment *how, int64_t org_id,
    int64_t id, int64_t by, int64_t now, const char *reason, int *state)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	*state = 0;
	rc = db_prepare(db, how->annul_sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, id) || sqlite3_bind_int64(st, 3, now) ||
	    sqlite3_bind_int64(st, 4, by) || db_bind_text(st, 5, reason)) {
		db_release(st);
		return db_fail(db, "store_annul: bind");
	}
	rc = store_done(db, st, "store_annul");
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_changes(db_handle(db)) != 1)
		return store_annul_state(db, how->state_sql, org_id, id, state);
	if (how->release_sql == NULL)
		return ERR_OK;
	return store_annul_release(db, how->release_sql, id);
}

enum err
store_set_text(struct db *db, const char *sql, int64_t org_id, int64_t id,
    const char *text)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, id) || db_bind_text(st, 3, text)) {
		db_release(st);
		return db_fail(db, "store_set_text: bind");
	}
	return store_done(db, st, "store_set_text");
}
