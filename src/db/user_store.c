/*
 * users.  Reads take the organization of the caller (org_id; 0 only for
 * the instance operator) and filter on it in SQL.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/jsonx.h"
#include "pergamino/stores.h"

#define USER_COLUMNS                                                           \
	"u.id, u.username, u.display_name, u.role, u.organization_id,"         \
	" u.active, u.created_at, u.version, coalesce(o.name, '')"

static json_t *
user_row(sqlite3_stmt *st)
{
	json_t *org = sqlite3_column_type(st, 4) == SQLITE_NULL
	    ? json_null()
	    : json_integer(sqlite3_column_int64(st, 4));

	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:s, s:b, s:o}", "id",
	    (json_int_t)sqlite3_column_int64(st, 0), "username",
	    jsonx_column_text(st, 1), "display_name", jsonx_column_text(st, 2),
	    "role", jsonx_column_text(st, 3), "organization_id", org,
	    "organization_name", db_column_text(st, 8), "active",
	    sqlite3_column_int(st, 5), "created_at", jsonx_column_time(st, 6));
}

enum err
user_store_insert(struct db *db, struct user *u)
{
	static const char sql[] =
	    "INSERT INTO users (organization_id, username, display_name, role,"
	    " password_hash, active, created_at, password_changed_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if ((u->organization_id == 0
	            ? sqlite3_bind_null(st, 1)
	            : sqlite3_bind_int64(st, 1, u->organization_id)) ||
	    db_bind_text(st, 2, u->username) ||
	    db_bind_text(st, 3, u->display_name) ||
	    db_bind_text(st, 4, policy_role_name(u->role)) ||
	    db_bind_text(st, 5, u->password_hash) ||
	    sqlite3_bind_int(st, 6, u->active ? 1 : 0) ||
	    sqlite3_bind_int64(st, 7, u->created_at)) {
		db_release(st);
		return db_fail(db, "user_store_insert: bind");
	}
	return store_insert(db, st, "user_store_insert", &u->id);
}

enum err
user_store_get_json(
    struct db *db, int64_t org_id, int64_t id, json_t **out, int64_t *version)
{
	static const char sql[] =
	    "SELECT " USER_COLUMNS " FROM users u"
	    " LEFT JOIN organizations o ON o.id = u.organization_id"
	    " WHERE u.id = ?2 AND (?1 = 0 OR u.organization_id = ?1)";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*out = NULL;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, id)) {
		db_release(st);
		return db_fail(db, "user_store_get_json: bind");
	}
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? ERR_NOT_FOUND
		                         : db_fail(db, "user_store_get_json");
		db_release(st);
		return rc;
	}
	*version = sqlite3_column_int64(st, 7);
	*out = user_row(st);
	db_release(st);
	return *out != NULL ? ERR_OK : ERR_NOMEM;
}

enum err
user_store_list_json(struct db *db, int64_t org_id, int64_t after,
    int64_t limit, json_t **items, int64_t *next)
{
	static const char sql[] =
	    "SELECT " USER_COLUMNS " FROM users u"
	    " LEFT JOIN organizations o ON o.id = u.organization_id"
	    " WHERE u.id > ?2 AND (?1 = 0 OR u.organization_id = ?1)"
	    " ORDER BY u.id LIMIT ?3";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, after) ||
	    sqlite3_bind_int64(st, 3, limit + 1)) {
		db_release(st);
		return db_fail(db, "user_store_list_json: bind");
	}
	return store_page(db, st, limit, user_row, items, next);
}

enum err
user_store_credentials(struct db *db, const char *username, int64_t *id,
    char *hash, size_t hash_cap, bool *active, bool *found)
{
	/* tenancy: login, before any session: usernames are unique across
	 * organizations. */
	static const char sql[] =
	    "SELECT id, password_hash, active FROM users WHERE username = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*id = 0;
	*found = false;
	*active = false;
	hash[0] = '\0';
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (db_bind_text(st, 1, username)) {
		db_release(st);
		return db_fail(db, "user_store_credentials: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(hash, hash_cap, "%s", db_column_text(st, 1));
		*active = sqlite3_column_int(st, 2) == 1;
		*found = true;
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, "user_store_credentials");
	}
	db_release(st);
	return rc;
}

enum err
user_store_hash(struct db *db, int64_t id, char *hash, size_t hash_cap)
{
	/* tenancy: the session's own user (password change, step-up). */
	static const char sql[] =
	    "SELECT password_hash FROM users WHERE id = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	hash[0] = '\0';
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id)) {
		db_release(st);
		return db_fail(db, "user_store_hash: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		snprintf(hash, hash_cap, "%s", db_column_text(st, 0));
	else
		rc = step == SQLITE_DONE ? ERR_NOT_FOUND
		                         : db_fail(db, "user_store_hash");
	db_release(st);
	return rc;
}

enum err
user_store_update(struct db *db, int64_t org_id, int64_t id, int64_t version,
    const char *display_name, enum role role, int active)
{
	static const char sql[] =
	    "UPDATE users SET display_name = coalesce(?4, display_name),"
	    " role = coalesce(?5, role),"
	    " active = coalesce(?6, active), version = version + 1"
	    " WHERE id = ?2 AND version = ?3"
	    " AND (?1 = 0 OR organization_id = ?1)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, id) ||
	    sqlite3_bind_int64(st, 3, version) ||
	    db_bind_text(st, 4, display_name) ||
	    db_bind_text(
	        st, 5, role == ROLE_NONE ? NULL : policy_role_name(role)) ||
	    (active < 0 ? sqlite3_bind_null(st, 6)
	                : sqlite3_bind_int(st, 6, active))) {
		db_release(st);
		return db_fail(db, "user_store_update: bind");
	}
	rc = store_done(db, st, "user_store_update");
	if (rc == ERR_OK && sqlite3_changes(db_handle(db)) == 0)
		rc = ERR_PRECONDITION;
	return rc;
}

enum err
user_store_set_password(
    struct db *db, int64_t id, const char *hash, int64_t now)
{
	/* tenancy: the session's own user, a user an admin has just read
	 * through user_store_get_json (scoped), or the operator's CLI. */
	static const char sql[] =
	    "UPDATE users SET password_hash = ?2, password_changed_at = ?3,"
	    " version = version + 1 WHERE id = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id) || db_bind_text(st, 2, hash) ||
	    sqlite3_bind_int64(st, 3, now)) {
		db_release(st);
		return db_fail(db, "user_store_set_password: bind");
	}
	rc = store_done(db, st, "user_store_set_password");
	if (rc == ERR_OK && sqlite3_changes(db_handle(db)) == 0)
		rc = ERR_NOT_FOUND;
	return rc;
}

enum err
user_store_find(
    struct db *db, const char *username, int64_t *id, int64_t *org_id)
{
	static const char sql[] =
	    "SELECT id, coalesce(organization_id, 0) FROM users"
	    " WHERE username = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*id = 0;
	*org_id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (db_bind_text(st, 1, username)) {
		db_release(st);
		return db_fail(db, "user_store_find: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*org_id = sqlite3_column_int64(st, 1);
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, "user_store_find");
	}
	db_release(st);
	return rc;
}

enum err
user_store_find_auditor(struct db *db, const char *username, int64_t *id)
{
	/* tenancy: an admin grants an auditor of another organization by
	 * username; only the id comes back. */
	static const char sql[] =
	    "SELECT id FROM users WHERE username = ?1 AND role = 'auditor'"
	    " AND active = 1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (db_bind_text(st, 1, username)) {
		db_release(st);
		return db_fail(db, "user_store_find_auditor: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		rc = step == SQLITE_DONE
		    ? ERR_NOT_FOUND
		    : db_fail(db, "user_store_find_auditor");
	db_release(st);
	return rc;
}
