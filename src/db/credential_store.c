/* credentials: browser sessions and API tokens (hashes only). */
#include <string.h>

#include "pergamino/jsonx.h"
#include "pergamino/session.h"
#include "pergamino/stores.h"

enum err
credential_store_insert(struct db *db, const char *kind,
    const unsigned char *hash, int64_t user_id, const char *name, int64_t now,
    int64_t expires_at, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO credentials (kind, token_hash, user_id, name,"
	    " created_at, last_seen_at, expires_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (db_bind_text(st, 1, kind) ||
	    sqlite3_bind_blob(st, 2, hash, SESSION_HASH_LEN, SQLITE_STATIC) ||
	    sqlite3_bind_int64(st, 3, user_id) ||
	    db_bind_text(st, 4, name != NULL ? name : "") ||
	    sqlite3_bind_int64(st, 5, now) ||
	    (expires_at == 0 ? sqlite3_bind_null(st, 6)
	                     : sqlite3_bind_int64(st, 6, expires_at))) {
		db_release(st);
		return db_fail(db, "credential_store_insert: bind");
	}
	return store_insert(db, st, "credential_store_insert", id);
}

enum err
credential_store_revoke(
    struct db *db, int64_t user_id, int64_t id, const char *kind, int64_t now)
{
	static const char sql[] =
	    "UPDATE credentials SET revoked_at = ?4 WHERE id = ?2"
	    " AND user_id = ?1 AND kind = ?3 AND revoked_at IS NULL";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, user_id) ||
	    sqlite3_bind_int64(st, 2, id) || db_bind_text(st, 3, kind) ||
	    sqlite3_bind_int64(st, 4, now)) {
		db_release(st);
		return db_fail(db, "credential_store_revoke: bind");
	}
	rc = store_done(db, st, "credential_store_revoke");
	if (rc == ERR_OK && sqlite3_changes(db_handle(db)) == 0)
		rc = ERR_NOT_FOUND;
	return rc;
}

enum err
credential_store_revoke_sessions(
    struct db *db, int64_t user_id, int64_t keep_id, int64_t now)
{
	static const char sql[] =
	    "UPDATE credentials SET revoked_at = ?3 WHERE user_id = ?1"
	    " AND kind = 'session' AND id <> ?2 AND revoked_at IS NULL";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, user_id) ||
	    sqlite3_bind_int64(st, 2, keep_id) ||
	    sqlite3_bind_int64(st, 3, now)) {
		db_release(st);
		return db_fail(db, "credential_store_revoke_sessions: bind");
	}
	return store_done(db, st, "credential_store_revoke_sessions");
}

enum err
credential_store_revoke_all(struct db *db, int64_t user_id, int64_t now)
{
	static const char sql[] =
	    "UPDATE credentials SET revoked_at = ?2 WHERE user_id = ?1"
	    " AND revoked_at IS NULL";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, user_id) ||
	    sqlite3_bind_int64(st, 2, now)) {
		db_release(st);
		return db_fail(db, "credential_store_revoke_all: bind");
	}
	return store_done(db, st, "credential_store_revoke_all");
}

static json_t *
credential_token_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o}", "id",
	    (json_int_t)sqlite3_column_int64(st, 0), "name",
	    jsonx_column_text(st, 1), "created_at", jsonx_column_time(st, 2),
	    "last_used_at", jsonx_column_time(st, 3));
}

enum err
credential_store_list_tokens_json(
    struct db *db, int64_t user_id, json_t **items)
{
	static const char sql[] =
	    /* last_seen_at starts at created_at: unused until it moves. */
	    "SELECT id, name, created_at, CASE WHEN last_seen_at > created_at"
	    " THEN last_seen_at END FROM credentials"
	    " WHERE user_id = ?1 AND kind = 'token' AND revoked_at IS NULL"
	    " ORDER BY id LIMIT 1000";
	sqlite3_stmt *st = NULL;
	int64_t next;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, user_id)) {
		db_release(st);
		return db_fail(db, "credential_store_list_tokens: bind");
	}
	return store_page(db, st, 1000, credential_token_row, items, &next);
}
