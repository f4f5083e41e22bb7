/* auditor_grants: an organization lets an auditor read its records. */
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"

static json_t *
grant_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	    (json_int_t)sqlite3_column_int64(st, 0), "organization_id",
	    (json_int_t)sqlite3_column_int64(st, 1), "auditor_user_id",
	    (json_int_t)sqlite3_column_int64(st, 2), "auditor_username",
	    jsonx_column_text(st, 3), "auditor_display_name",
	    jsonx_column_text(st, 4), "auditor_organization_name",
	    jsonx_column_text(st, 5), "organization_name",
	    jsonx_column_text(st, 6), "granted_at", jsonx_column_time(st, 7),
	    "granted_by_username", jsonx_column_text(st, 8));
}

enum err
grant_store_insert(struct db *db, int64_t org_id, int64_t auditor_id,
    int64_t by, int64_t now, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO auditor_grants (organization_id, auditor_user_id,"
	    " granted_by, granted_at) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, auditor_id) ||
	    sqlite3_bind_int64(st, 3, by) || sqlite3_bind_int64(st, 4, now)) {
		db_release(st);
		return db_fail(db, "grant_store_insert: bind");
	}
	return store_insert(db, st, "grant_store_insert", id);
}

enum err
grant_store_revoke(
    struct db *db, int64_t org_id, int64_t id, int64_t by, int64_t now)
{
	static const char sql[] =
	    "UPDATE auditor_grants SET revoked_at = ?4, revoked_by = ?3"
	    " WHERE id = ?2 AND organization_id = ?1 AND revoked_at IS NULL";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, id) || sqlite3_bind_int64(st, 3, by) ||
	    sqlite3_bind_int64(st, 4, now)) {
		db_release(st);
		return db_fail(db, "grant_store_revoke: bind");
	}
	rc = store_done(db, st, "grant_store_revoke");
	if (rc == ERR_OK && sqlite3_changes(db_handle(db)) == 0)
		rc = ERR_NOT_FOUND;
	return rc;
}

enum err
grant_store_list_json(struct db *db, int64_t org_id, int64_t auditor_id,
    int64_t after, int64_t limit, json_t **items, int64_t *next)
{
	static const char sql[] =
	    "SELECT g.id, g.organization_id, g.auditor_user_id, a.username,"
	    " a.display_name, ao.name, o.name, g.granted_at, b.username"
	    " FROM auditor_grants g"
	    " JOIN users a ON a.id = g.auditor_user_id"
	    " JOIN organizations ao ON ao.id = a.organization_id"
	    " JOIN organizations o ON o.id = g.organization_id"
	    " JOIN users b ON b.id = g.granted_by"
	    " WHERE g.revoked_at IS NULL AND g.id > ?3"
	    " AND (g.organization_id = ?1 OR g.auditor_user_id = ?2)"
	    " ORDER BY g.id LIMIT ?4";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, auditor_id) ||
	    sqlite3_bind_int64(st, 3, after) ||
	    sqlite3_bind_int64(st, 4, limit + 1)) {
		db_release(st);
		return db_fail(db, "grant_store_list_json: bind");
	}
	return store_page(db, st, limit, grant_row, items, next);
}
