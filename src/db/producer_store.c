/*
 * producers: the registry's farmers.  Reads are scoped through user_scope
 * (the viewer's organization and the ones that granted it access as
 * auditor); writes filter on the writer's own organization.  Programs and
 * other certifications are stored as JSON array text.
 */
#include <stdlib.h>

#include "pergamino/jsonx.h"
#include "pergamino/registry.h"
#include "pergamino/stores.h"

#define PRODUCER_COLUMNS                                                       \
	"p.id, p.organization_id, p.dni, p.first_names, p.last_names, p.sex,"  \
	" p.caserio, p.district, p.province, p.region, p.address, p.phone,"    \
	" p.status, p.programs, p.other_certifications, p.active,"             \
	" p.created_at, p.version, p.first_names || ' ' || p.last_names"

#define PRODUCER_COL_VERSION 17

/* Rows the viewer (?1) may see, of organization ?2 unless it is 0. */
#define PRODUCER_SCOPE                                                         \
	" p.organization_id IN"                                                \
	" (SELECT organization_id FROM user_scope WHERE user_id = ?1)"         \
	" AND (?2 = 0 OR p.organization_id = ?2)"

/* What q searches: names and caserío, folded. */
#define PRODUCER_SEARCH                                                        \
	STORE_FOLD("p.first_names || ' ' || p.last_names || ' ' || p.caserio")

/* A JSON array column; an empty array if the text is not one. */
static json_t *
producer_column_array(sqlite3_stmt *st, int col)
{
	json_t *a = jsonx_loads(db_column_text(st, col), 0, NULL);

	if (json_is_array(a))
		return a;
	json_decref(a);
	return json_array();
}

static json_t *
producer_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
	                 " s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0), "organization_id",
	    (json_int_t)sqlite3_column_int64(st, 1), "dni",
	    jsonx_column_text(st, 2), "first_names", jsonx_column_text(st, 3),
	    "last_names", jsonx_column_text(st, 4), "full_name",
	    jsonx_column_text(st, 18), "sex", jsonx_column_text(st, 5),
	    "caserio", jsonx_column_text(st, 6), "district",
	    jsonx_column_text(st, 7), "province", jsonx_column_text(st, 8),
	    "region", jsonx_column_text(st, 9), "address",
	    jsonx_column_text(st, 10), "phone", jsonx_column_text(st, 11),
	    "status", jsonx_column_text(st, 12), "programs",
	    producer_column_array(st, 13), "other_certifications",
	    producer_column_array(st, 14), "active", sqlite3_column_int(st, 15),
	    "created_at", jsonx_column_time(st, 16));
}

/* One row with its version, or ERR_NOT_FOUND.  Releases st. */
static enum err
producer_one(struct db *db, sqlite3_stmt *st, json_t **out, int64_t *version)
{
	enum err rc = ERR_OK;
	int step;

	*out = NULL;
	*version = 0;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*version = sqlite3_column_int64(st, PRODUCER_COL_VERSION);
		*out = producer_row(st);
		if (*out == NULL)
			rc = ERR_NOMEM;
	} else {
		rc = step == SQLITE_DONE ? ERR_NOT_FOUND
		                         : db_fail(db, "producer_one");
	}
	db_release(st);
	return rc;
}

/* An array as compact JSON text (owned, free()), "[]" for NULL. */
static char *
producer_array_text(json_t *a)
{
	json_t *empty;
	char *text;

	if (a != NULL)
		return jsonx_dumps(a, JSON_COMPACT);
	empty = json_array();
	text = empty != NULL ? jsonx_dumps(empty, JSON_COMPACT) : NULL;
	json_decref(empty);
	return text;
}

/*
 * Bind ?1 (organization) and ?2..?15 (the fields) of an INSERT or
 * UPDATE.  programs and others are the arrays as text.
 */
static int
producer_bind(sqlite3_stmt *st, int64_t org_id, const struct producer *p,
    const char *programs, const char *others)
{
	return sqlite3_bind_int64(st, 1, org_id) ||
	    db_bind_text(st, 2, p->dni) ||
	    db_bind_text(st, 3, p->first_names) ||
	    db_bind_text(st, 4, p->last_names) || db_bind_text(st, 5, p->sex) ||
	    db_bind_text(st, 6, store_or_empty(p->caserio)) ||
	    db_bind_text(st, 7, store_or_empty(p->district)) ||
	    db_bind_text(st, 8, store_or_empty(p->province)) ||
	    db_bind_text(st, 9, store_or_empty(p->region)) ||
	    db_bind_text(st, 10, store_or_empty(p->address)) ||
	    db_bind_text(st, 11, store_or_empty(p->phone)) ||
	    db_bind_text(st, 12, p->status) || db_bind_text(st, 13, programs) ||
	    db_bind_text(st, 14, others) ||
	    sqlite3_bind_int(st, 15, p->active ? 1 : 0);
}

enum err
producer_store_insert(struct db *db, struct producer *p)
{
	static const char sql[] =
	    "INSERT INTO producers (organization_id, dni, first_names,"
	    " last_names, sex, caserio, district, province, region, address,"
	    " phone, status, programs, other_certifications, active,"
	    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13, ?14, ?15, ?16)";
	sqlite3_stmt *st = NULL;
	char *programs = NULL, *others = NULL;
	enum err rc;

	programs = producer_array_text(p->programs);
	others = producer_array_text(p->other_certifications);
	if (programs == NULL || others == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		goto out;
	if (producer_bind(st, p->organization_id, p, programs, others) ||
	    sqlite3_bind_int64(st, 16, p->created_at)) {
		db_release(st);
		rc = db_fail(db, "producer_store_insert: bind");
		goto out;
	}
	rc = store_insert(db, st, "producer_store_insert", &p->id);
out:
	free(others);
	free(programs);
	return rc;
}

enum err
producer_store_update(struct db *db, int64_t org_id, int64_t id,
    int64_t version, const struct producer *p)
{
	static const char sql[] =
	    "UPDATE producers SET dni = ?2, first_names = ?3, last_names = ?4,"
	    " sex = ?5, caserio = ?6, district = ?7, province = ?8,"
	    " region = ?9, address = ?10, phone = ?11, status = ?12,"
	    " programs = ?13, other_certifications = ?14, active = ?15,"
	    " version = version + 1"
	    " WHERE organization_id = ?1 AND id = ?16 AND version = ?17";
	sqlite3_stmt *st = NULL;
	char *programs = NULL, *others = NULL;
	enum err rc;

	programs = producer_array_text(p->programs);
	others = producer_array_text(p->other_certifications);
	if (programs == NULL || others == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		goto out;
	if (producer_bind(st, org_id, p, programs, others) ||
	    sqlite3_bind_int64(st, 16, id) ||
	    sqlite3_bind_int64(st, 17, version)) {
		db_release(st);
		rc = db_fail(db, "producer_store_update: bind");
		goto out;
	}
	rc = store_done(db, st, "producer_store_update");
	if (rc == ERR_OK && sqlite3_changes(db_handle(db)) == 0)
		rc = ERR_PRECONDITION;
out:
	free(others);
	free(programs);
	return rc;
}

enum err
producer_store_get_json(struct db *db, int64_t viewer, int64_t org_id,
    int64_t id, json_t **out, int64_t *version)
{
	static const char sql[] =
	    "SELECT " PRODUCER_COLUMNS " FROM producers p WHERE p.id = ?3"
	    " AND" PRODUCER_SCOPE;
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	*version = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer) ||
	    sqlite3_bind_int64(st, 2, org_id) ||
	    sqlite3_bind_int64(st, 3, id)) {
		db_release(st);
		return db_fail(db, "producer_store_get_json: bind");
	}
	return producer_one(db, st, out, version);
}

enum err
producer_store_by_dni_json(struct db *db, int64_t viewer, int64_t org_id,
    const char *dni, json_t **out, int64_t *version)
{
	static const char sql[] =
	    "SELECT " PRODUCER_COLUMNS " FROM producers p WHERE p.dni = ?3"
	    " AND" PRODUCER_SCOPE
	    " ORDER BY p.organization_id IS NOT (SELECT organization_id"
	    " FROM users WHERE id = ?1), p.organization_id LIMIT 1";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	*version = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer) ||
	    sqlite3_bind_int64(st, 2, org_id) || db_bind_text(st, 3, dni)) {
		db_release(st);
		return db_fail(db, "producer_store_by_dni_json: bind");
	}
	return producer_one(db, st, out, version);
}

enum err
producer_store_find_dni(
    struct db *db, int64_t org_id, const char *dni, int64_t *id)
{
	static const char sql[] = "SELECT id FROM producers"
	                          " WHERE organization_id = ?1 AND dni = ?2";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) || db_bind_text(st, 2, dni)) {
		db_release(st);
		return db_fail(db, "producer_store_find_dni: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		rc = db_fail(db, "producer_store_find_dni");
	db_release(st);
	return rc;
}

/*
 * A DNI prefix is a range on the (organization_id, dni) index: every DNI
 * from the prefix up to the prefix followed by ':' (the byte after '9').
 */
enum err
producer_store_list_json(struct db *db, int64_t viewer,
    const struct producer_filter *f, int64_t after, int64_t limit,
    json_t **items, int64_t *next)
{
	static const char sql[] =
	    "SELECT " PRODUCER_COLUMNS " FROM producers p WHERE" PRODUCER_SCOPE
	    " AND p.id > ?3"
	    " AND (?4 IS NULL OR (p.dni >= ?4 AND p.dni < ?4 || ':'))"
	    " AND (?5 IS NULL OR instr(" PRODUCER_SEARCH ", ?5) > 0)"
	    " AND (?6 IS NULL OR p.status = ?6)"
	    " AND (?7 < 0 OR p.active = ?7)"
	    " AND (?8 < 0 OR EXISTS (SELECT 1 FROM lpa_entries l"
	    " WHERE l.organization_id = p.organization_id"
	    " AND l.producer_id = p.id AND l.campaign = ?9"
	    " AND l.withdrawn_on IS NULL) = ?8)"
	    " ORDER BY p.id LIMIT ?10";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*items = NULL;
	*next = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer) ||
	    sqlite3_bind_int64(st, 2, f->organization_id) ||
	    sqlite3_bind_int64(st, 3, after) ||
	    db_bind_text(st, 4, f->dni_prefix) ||
	    db_bind_text(st, 5, f->text) || db_bind_text(st, 6, f->status) ||
	    sqlite3_bind_int(st, 7, f->active) ||
	    sqlite3_bind_int(st, 8, f->lpa) ||
	    sqlite3_bind_int64(st, 9, f->campaign) ||
	    sqlite3_bind_int64(st, 10, limit + 1)) {
		db_release(st);
		return db_fail(db, "producer_store_list_json: bind");
	}
	return store_page(db, st, limit, producer_row, items, next);
}
