/* organizations: insert, scoped reads, lookups. */
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"

#define ORG_COLUMNS                                                            \
	"o.id, o.name, o.ruc, o.kind, o.address, o.phone, o.created_at"

static json_t *
org_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	    (json_int_t)sqlite3_column_int64(st, 0), "name",
	    jsonx_column_text(st, 1), "ruc", jsonx_column_text(st, 2), "kind",
	    jsonx_column_text(st, 3), "address", jsonx_column_text(st, 4),
	    "phone", jsonx_column_text(st, 5), "created_at",
	    jsonx_column_time(st, 6));
}

enum err
org_store_insert(struct db *db, struct org *o)
{
	static const char sql[] =
	    "INSERT INTO organizations (name, ruc, kind, address, phone,"
	    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (db_bind_text(st, 1, o->name) || db_bind_text(st, 2, o->ruc) ||
	    db_bind_text(st, 3, policy_org_kind_name(o->kind)) ||
	    db_bind_text(st, 4, o->address != NULL ? o->address : "") ||
	    db_bind_text(st, 5, o->phone != NULL ? o->phone : "") ||
	    sqlite3_bind_int64(st, 6, o->created_at)) {
		db_release(st);
		return db_fail(db, "org_store_insert: bind");
	}
	return store_insert(db, st, "org_store_insert", &o->id);
}

enum err
org_store_get_json(struct db *db, int64_t viewer_id, int64_t id, json_t **out)
{
	static const char sql[] =
	    "SELECT " ORG_COLUMNS " FROM organizations o WHERE o.id = ?2"
	    " AND (?1 < 0 OR o.id IN"
	    " (SELECT organization_id FROM user_scope WHERE user_id = ?1))";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, id)) {
		db_release(st);
		return db_fail(db, "org_store_get_json: bind");
	}
	return store_one(db, st, org_row, out);
}

enum err
org_store_list_json(struct db *db, int64_t viewer_id, int64_t after,
    int64_t limit, json_t **items, int64_t *next)
{
	static const char sql[] =
	    "SELECT " ORG_COLUMNS " FROM organizations o WHERE o.id > ?2"
	    " AND (?1 < 0 OR o.id IN"
	    " (SELECT organization_id FROM user_scope WHERE user_id = ?1))"
	    " ORDER BY o.id LIMIT ?3";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, after) ||
	    sqlite3_bind_int64(st, 3, limit + 1)) {
		db_release(st);
		return db_fail(db, "org_store_list_json: bind");
	}
	return store_page(db, st, limit, org_row, items, next);
}

enum err
org_store_kind(struct db *db, int64_t id, enum org_kind *out)
{
	static const char sql[] =
	    "SELECT kind FROM organizations WHERE id = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*out = ORG_NONE;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id)) {
		db_release(st);
		return db_fail(db, "org_store_kind: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = policy_org_kind_parse(db_column_text(st, 0));
	else
		rc = step == SQLITE_DONE ? ERR_NOT_FOUND
		                         : db_fail(db, "org_store_kind");
	db_release(st);
	return rc;
}

enum err
org_store_find_ruc(struct db *db, const char *ruc, int64_t *id)
{
	static const char sql[] = "SELECT id FROM organizations WHERE ruc = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (db_bind_text(st, 1, ruc)) {
		db_release(st);
		return db_fail(db, "org_store_find_ruc: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		rc = db_fail(db, "org_store_find_ruc");
	db_release(st);
	return rc;
}
