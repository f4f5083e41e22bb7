/* Reading the audit log, scoped to the viewer's organizations. */
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"

static json_t *
audit_row(sqlite3_stmt *st)
{
	char at[32];

	jsonx_time_text(sqlite3_column_int64(st, 1) / 1000, at);
	return json_pack("{s:I, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "seq",
	    (json_int_t)sqlite3_column_int64(st, 0), "at", at, "at_ms",
	    (json_int_t)sqlite3_column_int64(st, 1), "user_id",
	    sqlite3_column_type(st, 2) == SQLITE_NULL
	        ? json_null()
	        : json_integer(sqlite3_column_int64(st, 2)),
	    "username", jsonx_column_text(st, 3), "organization_id",
	    sqlite3_column_type(st, 4) == SQLITE_NULL
	        ? json_null()
	        : json_integer(sqlite3_column_int64(st, 4)),
	    "action", jsonx_column_text(st, 5), "entity",
	    jsonx_column_text(st, 6), "entity_id",
	    sqlite3_column_type(st, 7) == SQLITE_NULL
	        ? json_null()
	        : json_integer(sqlite3_column_int64(st, 7)));
}

enum err
audit_store_list_json(struct db *db, int64_t viewer_id, int64_t after,
    int64_t limit, json_t **items, int64_t *next)
{
	static const char sql[] =
	    "SELECT e.seq, e.at_ms, e.user_id, u.username, e.organization_id,"
	    " e.action, e.entity, e.entity_id FROM audit_events e"
	    " LEFT JOIN users u ON u.id = e.user_id"
	    " WHERE e.seq > ?2 AND (?1 < 0 OR e.organization_id IN"
	    " (SELECT organization_id FROM user_scope WHERE user_id = ?1))"
	    " ORDER BY e.seq LIMIT ?3";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, after) ||
	    sqlite3_bind_int64(st, 3, limit + 1)) {
		db_release(st);
		return db_fail(db, "audit_store_list_json: bind");
	}
	return store_page(db, st, limit, audit_row, items, next);
}
