/*
 * The rest of the registry: the organization's group certifications, the
 * approved producer list (LPA) per campaign, and the organization's
 * purchase settings.  Reads are scoped through user_scope, writes by the
 * writer's organization.  LPA entries are never deleted: a withdrawal
 * keeps the row with its date, author and reason.
 */
#include <stdio.h>

#include "pergamino/jsonx.h"
#include "pergamino/registry.h"
#include "pergamino/stores.h"

/* ---- certifications ---- */

#define CERT_COLUMNS                                                           \
	"c.id, c.organization_id, c.certifier, c.program, c.code,"             \
	" c.valid_from, c.valid_to, c.created_at"

#define CERT_SCOPE                                                             \
	" c.organization_id IN"                                                \
	" (SELECT organization_id FROM user_scope WHERE user_id = ?1)"

static json_t *
certification_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	    (json_int_t)sqlite3_column_int64(st, 0), "organization_id",
	    (json_int_t)sqlite3_column_int64(st, 1), "certifier",
	    jsonx_column_text(st, 2), "program", jsonx_column_text(st, 3),
	    "code", jsonx_column_text(st, 4), "valid_from",
	    jsonx_column_text(st, 5), "valid_to", jsonx_column_text(st, 6),
	    "created_at", jsonx_column_time(st, 7));
}

enum err
certification_store_insert(struct db *db, struct certification *c)
{
	static const char sql[] =
	    "INSERT INTO certifications (organization_id, certifier, program,"
	    " code, valid_from, valid_to, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, c->organization_id) ||
	    db_bind_text(st, 2, c->certifier) ||
	    db_bind_text(st, 3, c->program) || db_bind_text(st, 4, c->code) ||
	    db_bind_text(st, 5, c->valid_from) ||
	    db_bind_text(st, 6, c->valid_to) ||
	    sqlite3_bind_int64(st, 7, c->created_at)) {
		db_release(st);
		return db_fail(db, "certification_store_insert: bind");
	}
	return store_insert(db, st, "certification_store_insert", &c->id);
}

enum err
certification_store_get_json(
    struct db *db, int64_t viewer, int64_t id, json_t **out)
{
	static const char sql[] =
	    "SELECT " CERT_COLUMNS " FROM certifications c"
	    " WHERE c.id = ?2 AND" CERT_SCOPE;
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer) ||
	    sqlite3_bind_int64(st, 2, id)) {
		db_release(st);
		return db_fail(db, "certification_store_get_json: bind");
	}
	return store_one(db, st, certification_row, out);
}

enum err
certification_store_list_json(struct db *db, int64_t viewer, int64_t after,
    int64_t limit, json_t **items, int64_t *next)
{
	static const char sql[] =
	    "SELECT " CERT_COLUMNS " FROM certifications c WHERE" CERT_SCOPE
	    " AND c.id > ?2 ORDER BY c.id LIMIT ?3";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*items = NULL;
	*next = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer) ||
	    sqlite3_bind_int64(st, 2, after) ||
	    sqlite3_bind_int64(st, 3, limit + 1)) {
		db_release(st);
		return db_fail(db, "certification_store_list_json: bind");
	}
	return store_page(db, st, limit, certification_row, items, next);
}

/* ---- approved producer list (LPA) ---- */

#define LPA_COLUMNS                                                            \
	"l.producer_id, l.organization_id, l.campaign, p.dni,"                 \
	" p.first_names || ' ' || p.last_names, p.first_names, p.last_names,"  \
	" p.caserio, p.status, p.programs, l.approved_on, ua.username,"        \
	" l.withdrawn_on, uw.username, l.withdrawn_reason"

#define LPA_FROM                                                               \
	" FROM lpa_entries l JOIN producers p"                                 \
	" ON p.organization_id = l.organization_id AND p.id = l.producer_id"   \
	" LEFT JOIN users ua ON ua.id = l.approved_by"                         \
	" LEFT JOIN users uw ON uw.id = l.withdrawn_by"

#define LPA_SCOPE                                                              \
	" l.organization_id IN"                                                \
	" (SELECT organization_id FROM user_scope WHERE user_id = ?1)"         \
	" AND (?2 = 0 OR l.organization_id = ?2)"

static json_t *
lpa_row(sqlite3_stmt *st)
{
	json_t *programs = jsonx_loads(db_column_text(st, 9), 0, NULL);

	if (!json_is_array(programs)) {
		json_decref(programs);
		programs = json_array();
	}
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
	                 " s:o, s:o, s:o, s:o, s:o, s:b}",
	    "producer_id", (json_int_t)sqlite3_column_int64(st, 0),
	    "organization_id", (json_int_t)sqlite3_column_int64(st, 1),
	    "campaign", (json_int_t)sqlite3_column_int64(st, 2), "dni",
	    jsonx_column_text(st, 3), "full_name", jsonx_column_text(st, 4),
	    "first_names", jsonx_column_text(st, 5), "last_names",
	    jsonx_column_text(st, 6), "caserio", jsonx_column_text(st, 7),
	    "status", jsonx_column_text(st, 8), "programs", programs,
	    "approved_on", jsonx_column_text(st, 10), "approved_by_username",
	    jsonx_column_text(st, 11), "withdrawn_on",
	    jsonx_column_text(st, 12), "withdrawn_by_username",
	    jsonx_column_text(st, 13), "withdrawn_reason",
	    jsonx_column_text(st, 14), "withdrawn",
	    sqlite3_column_type(st, 12) != SQLITE_NULL);
}

enum err
lpa_store_get_json(struct db *db, int64_t viewer, int64_t org_id,
    int64_t campaign, int64_t producer_id, json_t **out)
{
	static const char sql[] =
	    "SELECT " LPA_COLUMNS LPA_FROM " WHERE l.campaign = ?3"
	    " AND l.producer_id = ?4 AND" LPA_SCOPE;
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer) ||
	    sqlite3_bind_int64(st, 2, org_id) ||
	    sqlite3_bind_int64(st, 3, campaign) ||
	    sqlite3_bind_int64(st, 4, producer_id)) {
		db_release(st);
		return db_fail(db, "lpa_store_get_json: bind");
	}
	return store_one(db, st, lpa_row, out);
}

enum err
lpa_store_approve(struct db *db, int64_t org_id, int64_t campaign,
    int64_t producer_id, const char *approved_on, int64_t by)
{
	static const char sql[] =
	    "INSERT INTO lpa_entries (organization_id, campaign, producer_id,"
	    " approved_on, approved_by) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (organization_id, campaign, producer_id) DO UPDATE"
	    " SET approved_on = excluded.approved_on,"
	    " approved_by = excluded.approved_by, withdrawn_on = NULL,"
	    " withdrawn_by = NULL, withdrawn_reason = NULL"
	    " WHERE lpa_entries.withdrawn_on IS NOT NULL";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, campaign) ||
	    sqlite3_bind_int64(st, 3, producer_id) ||
	    db_bind_text(st, 4, approved_on) || sqlite3_bind_int64(st, 5, by)) {
		db_release(st);
		return db_fail(db, "lpa_store_approve: bind");
	}
	rc = store_done(db, st, "lpa_store_approve");
	if (rc == ERR_OK && sqlite3_changes(db_handle(db)) == 0)
		rc = ERR_CONFLICT; /* approved and not withdrawn */
	return rc;
}

enum err
lpa_store_withdraw(struct db *db, int64_t org_id, int64_t campaign,
    int64_t producer_id, const char *on, int64_t by, const char *reason)
{
	static const char sql[] =
	    "UPDATE lpa_entries SET withdrawn_on = ?4, withdrawn_by = ?5,"
	    " withdrawn_reason = ?6 WHERE organization_id = ?1"
	    " AND campaign = ?2 AND producer_id = ?3 AND withdrawn_on IS NULL";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, campaign) ||
	    sqlite3_bind_int64(st, 3, producer_id) || db_bind_text(st, 4, on) ||
	    sqlite3_bind_int64(st, 5, by) || db_bind_text(st, 6, reason)) {
		db_release(st);
		return db_fail(db, "lpa_store_withdraw: bind");
	}
	rc = store_done(db, st, "lpa_store_withdraw");
	if (rc == ERR_OK && sqlite3_changes(db_handle(db)) == 0)
		rc = ERR_NOT_FOUND;
	return rc;
}

enum err
lpa_store_list_json(struct db *db, int64_t viewer, int64_t org_id,
    int64_t campaign, int64_t after, int64_t limit, json_t **items,
    int64_t *next)
{
	static const char sql[] =
	    "SELECT " LPA_COLUMNS LPA_FROM " WHERE l.campaign = ?3"
	    " AND l.producer_id > ?4 AND" LPA_SCOPE
	    " ORDER BY l.producer_id LIMIT ?5";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*items = NULL;
	*next = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer) ||
	    sqlite3_bind_int64(st, 2, org_id) ||
	    sqlite3_bind_int64(st, 3, campaign) ||
	    sqlite3_bind_int64(st, 4, after) ||
	    sqlite3_bind_int64(st, 5, limit + 1)) {
		db_release(st);
		return db_fail(db, "lpa_store_list_json: bind");
	}
	return store_page(db, st, limit, lpa_row, items, next);
}

/* ---- purchase settings ---- */

/* The column defaults of org_settings (migrations/0002_acopio.sql). */
#define SETTINGS_HUMIDITY_MIN 100 /* 10.0 % */
#define SETTINGS_HUMIDITY_MAX 135 /* 13.5 % */
#define SETTINGS_TOLERANCE_PCT 10

enum err
settings_store_get(struct db *db, int64_t org_id, struct org_settings *out)
{
	static const char sql[] =
	    "SELECT humidity_min, humidity_max, humidity_policy,"
	    " estimate_tolerance_pct, igv_rate_bp, place_of_sale, version,"
	    " ico_exporter_code, ico_country_code"
	    " FROM org_settings WHERE organization_id = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*out = (struct org_settings){ 0 };
	out->humidity_min = SETTINGS_HUMIDITY_MIN;
	out->humidity_max = SETTINGS_HUMIDITY_MAX;
	snprintf(out->humidity_policy, sizeof(out->humidity_policy), "warn");
	out->estimate_tolerance_pct = SETTINGS_TOLERANCE_PCT;
	out->ico_country_code = SETTINGS_ICO_COUNTRY_DEFAULT;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id)) {
		db_release(st);
		return db_fail(db, "settings_store_get: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->humidity_min = sqlite3_column_int64(st, 0);
		out->humidity_max = sqlite3_column_int64(st, 1);
		snprintf(out->humidity_policy, sizeof(out->humidity_policy),
		    "%s", db_column_text(st, 2));
		out->estimate_tolerance_pct = sqlite3_column_int64(st, 3);
		out->igv_rate_bp = sqlite3_column_int64(st, 4);
		snprintf(out->place_of_sale, sizeof(out->place_of_sale), "%s",
		    db_column_text(st, 5));
		out->version = sqlite3_column_int64(st, 6);
		snprintf(out->ico_exporter_code, sizeof(out->ico_exporter_code),
		    "%s", db_column_text(st, 7));
		out->ico_country_code = sqlite3_column_int64(st, 8);
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, "settings_store_get");
	}
	db_release(st);
	return rc;
}

/* Bind ?1..?7, ?9, ?10 of the INSERT or UPDATE. */
static int
settings_bind(sqlite3_stmt *st, int64_t org_id, const struct org_settings *s)
{
	return sqlite3_bind_int64(st, 1, org_id) ||
	    db_bind_text(st, 9, s->ico_exporter_code) ||
	    sqlite3_bind_int64(st, 10,
	        s->ico_country_code > 0 ? s->ico_country_code
	                                : SETTINGS_ICO_COUNTRY_DEFAULT) ||
	    sqlite3_bind_int64(st, 2, s->humidity_min) ||
	    sqlite3_bind_int64(st, 3, s->humidity_max) ||
	    db_bind_text(st, 4, s->humidity_policy) ||
	    sqlite3_bind_int64(st, 5, s->estimate_tolerance_pct) ||
	    sqlite3_bind_int64(st, 6, s->igv_rate_bp) ||
	    db_bind_text(st, 7, s->place_of_sale);
}

enum err
settings_store_put(struct db *db, int64_t org_id, int64_t version,
    const struct org_settings *s)
{
	static const char insert_sql[] =
	    "INSERT INTO org_settings (organization_id, humidity_min,"
	    " humidity_max, humidity_policy, estimate_tolerance_pct,"
	    " igv_rate_bp, place_of_sale, ico_exporter_code,"
	    " ico_country_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?10)"
	    " ON CONFLICT (organization_id) DO NOTHING";
	static const char update_sql[] =
	    "UPDATE org_settings SET humidity_min = ?2, humidity_max = ?3,"
	    " humidity_policy = ?4, estimate_tolerance_pct = ?5,"
	    " igv_rate_bp = ?6, place_of_sale = ?7, ico_exporter_code = ?9,"
	    " ico_country_code = ?10, version = version + 1"
	    " WHERE organization_id = ?1 AND version = ?8";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, version == 0 ? insert_sql : update_sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (settings_bind(st, org_id, s) ||
	    (version != 0 && sqlite3_bind_int64(st, 8, version))) {
		db_release(st);
		return db_fail(db, "settings_store_put: bind");
	}
	rc = store_done(db, st, "settings_store_put");
	if (rc == ERR_OK && sqlite3_changes(db_handle(db)) == 0)
		rc = ERR_PRECONDITION;
	return rc;
}
