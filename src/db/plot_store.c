/*
 * plots (fundos, parcelas) and their estimated production per campaign.
 * Scoped like producers: reads through user_scope, writes by the
 * writer's organization.  The location is stored as the normalized
 * GeoJSON text that plot_location_parse() produced; areas are m².
 */
#include <stdlib.h>

#include "pergamino/jsonx.h"
#include "pergamino/registry.h"
#include "pergamino/stores.h"
#include "pergamino/units.h"

#define PLOT_COLUMNS                                                           \
	"pl.id, pl.organization_id, pl.producer_id, pr.dni,"                   \
	" pr.first_names || ' ' || pr.last_names, pl.name, pl.area_m2,"        \
	" pl.crop, pl.variety, pl.altitude_m, pl.geometry, pl.risk_notes,"     \
	" pl.active, pl.created_at, pl.version"

#define PLOT_COL_VERSION 14

#define PLOT_FROM                                                              \
	" FROM plots pl JOIN producers pr"                                     \
	" ON pr.organization_id = pl.organization_id AND pr.id = "             \
	"pl.producer_id"

#define PLOT_SCOPE                                                             \
	" pl.organization_id IN"                                               \
	" (SELECT organization_id FROM user_scope WHERE user_id = ?1)"         \
	" AND (?2 = 0 OR pl.organization_id = ?2)"

/* 1 ha = 10 000 m², so hectares with 4 decimals are exactly m². */
#define PLOT_HA_SCALE 4

static json_t *
plot_column_location(sqlite3_stmt *st, int col)
{
	json_t *loc;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	loc = jsonx_loads(db_column_text(st, col), 0, NULL);
	return loc != NULL ? loc : json_null();
}

static json_t *
plot_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:o, s:o,"
	                 " s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0), "organization_id",
	    (json_int_t)sqlite3_column_int64(st, 1), "producer_id",
	    (json_int_t)sqlite3_column_int64(st, 2), "producer_dni",
	    jsonx_column_text(st, 3), "producer_name", jsonx_column_text(st, 4),
	    "name", jsonx_column_text(st, 5), "area_ha",
	    jsonx_column_decimal(st, 6, PLOT_HA_SCALE, PLOT_HA_SCALE),
	    "area_m2", (json_int_t)sqlite3_column_int64(st, 6), "crop",
	    jsonx_column_text(st, 7), "variety", jsonx_column_text(st, 8),
	    "altitude_m", jsonx_column_int(st, 9), "location",
	    plot_column_location(st, 10), "risk_notes",
	    jsonx_column_text(st, 11), "active", jsonx_column_bool(st, 12),
	    "created_at", jsonx_column_time(st, 13));
}

static json_t *
plot_estimate_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:o}", "campaign",
	    (json_int_t)sqlite3_column_int64(st, 0), "estimated_kg",
	    jsonx_column_decimal(st, 1, UNITS_SCALE_KG, UNITS_SCALE_KG));
}

/* The estimates of a plot, by campaign; *out is a new array. */
static enum err
plot_estimates_json(
    struct db *db, int64_t org_id, int64_t plot_id, json_t **out)
{
	static const char sql[] =
	    "SELECT campaign, estimated_g FROM plot_estimates"
	    " WHERE organization_id = ?1 AND plot_id = ?2 ORDER BY campaign";
	sqlite3_stmt *st = NULL;
	json_t *arr, *row;
	enum err rc = ERR_OK;
	int step;

	*out = NULL;
	arr = json_array();
	if (arr == NULL)
		return ERR_NOMEM;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK) {
		json_decref(arr);
		return rc;
	}
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, plot_id)) {
		db_release(st);
		json_decref(arr);
		return db_fail(db, "plot_estimates_json: bind");
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		row = plot_estimate_row(st);
		if (row == NULL || json_array_append_new(arr, row) != 0) {
			rc = ERR_NOMEM;
			break;
		}
	}
	if (rc == ERR_OK && step != SQLITE_DONE)
		rc = db_fail(db, "plot_estimates_json");
	db_release(st);
	if (rc != ERR_OK) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return ERR_OK;
}

/* Add "estimates" to a plot document. */
static enum err
plot_add_estimates(struct db *db, json_t *plot)
{
	json_t *est;
	enum err rc;

	rc = plot_estimates_json(db,
	    json_integer_value(json_object_get(plot, "organization_id")),
	    json_integer_value(json_object_get(plot, "id")), &est);
	if (rc != ERR_OK)
		return rc;
	return json_object_set_new(plot, "estimates", est) == 0 ? ERR_OK
	                                                        : ERR_NOMEM;
}

/* Location as compact text (owned, free()), or NULL with *ok true. */
static char *
plot_location_text(json_t *loc, bool *ok)
{
	char *text;

	*ok = true;
	if (loc == NULL || json_is_null(loc))
		return NULL;
	text = jsonx_dumps(loc, JSON_COMPACT);
	*ok = text != NULL;
	return text;
}

/* Bind ?1..?10 of an INSERT or UPDATE. */
static int
plot_bind(sqlite3_stmt *st, int64_t org_id, const struct plot *p,
    const char *geometry)
{
	return sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, p->producer_id) ||
	    db_bind_text(st, 3, p->name) ||
	    sqlite3_bind_int64(st, 4, p->area_m2) ||
	    db_bind_text(st, 5, p->crop != NULL ? p->crop : "") ||
	    db_bind_text(st, 6, p->variety != NULL ? p->variety : "") ||
	    (p->altitude_m == REGISTRY_NONE
	            ? sqlite3_bind_null(st, 7)
	            : sqlite3_bind_int64(st, 7, p->altitude_m)) ||
	    db_bind_text(st, 8, geometry) ||
	    db_bind_text(st, 9, p->risk_notes != NULL ? p->risk_notes : "") ||
	    sqlite3_bind_int(st, 10, p->active ? 1 : 0);
}

enum err
plot_store_insert(struct db *db, struct plot *p)
{
	static const char sql[] =
	    "INSERT INTO plots (organization_id, producer_id, name, area_m2,"
	    " crop, variety, altitude_m, geometry, risk_notes, active,"
	    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11)";
	sqlite3_stmt *st = NULL;
	char *geometry;
	enum err rc;
	bool ok;

	geometry = plot_location_text(p->location, &ok);
	if (!ok)
		return ERR_NOMEM;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		goto out;
	if (plot_bind(st, p->organization_id, p, geometry) ||
	    sqlite3_bind_int64(st, 11, p->created_at)) {
		db_release(st);
		rc = db_fail(db, "plot_store_insert: bind");
		goto out;
	}
	rc = store_insert(db, st, "plot_store_insert", &p->id);
out:
	free(geometry);
	return rc;
}

enum err
plot_store_update(struct db *db, int64_t org_id, int64_t id, int64_t version,
    const struct plot *p)
{
	static const char sql[] =
	    "UPDATE plots SET name = ?3, area_m2 = ?4, crop = ?5,"
	    " variety = ?6, altitude_m = ?7, geometry = ?8, risk_notes = ?9,"
	    " active = ?10, version = version + 1"
	    " WHERE organization_id = ?1 AND producer_id = ?2 AND id = ?11"
	    " AND version = ?12";
	sqlite3_stmt *st = NULL;
	char *geometry;
	enum err rc;
	bool ok;

	geometry = plot_location_text(p->location, &ok);
	if (!ok)
		return ERR_NOMEM;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		goto out;
	if (plot_bind(st, org_id, p, geometry) ||
	    sqlite3_bind_int64(st, 11, id) ||
	    sqlite3_bind_int64(st, 12, version)) {
		db_release(st);
		rc = db_fail(db, "plot_store_update: bind");
		goto out;
	}
	rc = store_done(db, st, "plot_store_update");
	if (rc == ERR_OK && sqlite3_changes(db_handle(db)) == 0)
		rc = ERR_PRECONDITION;
out:
	free(geometry);
	return rc;
}

enum err
plot_store_get_json(struct db *db, int64_t viewer, int64_t org_id, int64_t id,
    json_t **out, int64_t *version)
{
	static const char sql[] =
	    "SELECT " PLOT_COLUMNS PLOT_FROM " WHERE pl.id = ?3 AND" PLOT_SCOPE;
	sqlite3_stmt *st = NULL;
	enum err rc = ERR_OK;
	int step;

	*out = NULL;
	*version = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer) ||
	    sqlite3_bind_int64(st, 2, org_id) ||
	    sqlite3_bind_int64(st, 3, id)) {
		db_release(st);
		return db_fail(db, "plot_store_get_json: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*version = sqlite3_column_int64(st, PLOT_COL_VERSION);
		*out = plot_row(st);
		if (*out == NULL)
			rc = ERR_NOMEM;
	} else {
		rc = step == SQLITE_DONE ? ERR_NOT_FOUND
		                         : db_fail(db, "plot_store_get_json");
	}
	db_release(st);
	if (rc == ERR_OK)
		rc = plot_add_estimates(db, *out);
	if (rc != ERR_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

enum err
plot_store_list_json(struct db *db, int64_t viewer, int64_t producer_id,
    int64_t after, int64_t limit, json_t **items, int64_t *next)
{
	static const char sql[] = "SELECT " PLOT_COLUMNS PLOT_FROM
	                          " WHERE" PLOT_SCOPE " AND pl.id > ?3"
	                          " AND (?4 = 0 OR pl.producer_id = ?4)"
	                          " ORDER BY pl.id LIMIT ?5";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*items = NULL;
	*next = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer) || sqlite3_bind_int64(st, 2, 0) ||
	    sqlite3_bind_int64(st, 3, after) ||
	    sqlite3_bind_int64(st, 4, producer_id) ||
	    sqlite3_bind_int64(st, 5, limit + 1)) {
		db_release(st);
		return db_fail(db, "plot_store_list_json: bind");
	}
	return store_page(db, st, limit, plot_row, items, next);
}

enum err
plot_store_for_producer_json(
    struct db *db, int64_t org_id, int64_t producer_id, json_t **items)
{
	static const char sql[] =
	    "SELECT " PLOT_COLUMNS PLOT_FROM " WHERE pl.organization_id = ?1"
	    " AND pl.producer_id = ?2 ORDER BY pl.id";
	sqlite3_stmt *st = NULL;
	json_t *arr, *row;
	enum err rc = ERR_OK;
	size_t i;
	int step;

	*items = NULL;
	arr = json_array();
	if (arr == NULL)
		return ERR_NOMEM;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK) {
		json_decref(arr);
		return rc;
	}
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, producer_id)) {
		db_release(st);
		json_decref(arr);
		return db_fail(db, "plot_store_for_producer_json: bind");
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		row = plot_row(st);
		if (row == NULL || json_array_append_new(arr, row) != 0) {
			rc = ERR_NOMEM;
			break;
		}
	}
	if (rc == ERR_OK && step != SQLITE_DONE)
		rc = db_fail(db, "plot_store_for_producer_json");
	db_release(st);
	/* Estimates after the plots: one statement at a time. */
	json_array_foreach(arr, i, row)
	{
		if (rc != ERR_OK)
			break;
		rc = plot_add_estimates(db, row);
	}
	if (rc != ERR_OK) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return ERR_OK;
}

enum err
plot_store_find_name(struct db *db, int64_t org_id, int64_t producer_id,
    const char *name, int64_t *id)
{
	static const char sql[] =
	    "SELECT id FROM plots WHERE organization_id = ?1"
	    " AND producer_id = ?2 AND name = ?3 ORDER BY id LIMIT 1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, producer_id) ||
	    db_bind_text(st, 3, name)) {
		db_release(st);
		return db_fail(db, "plot_store_find_name: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		rc = db_fail(db, "plot_store_find_name");
	db_release(st);
	return rc;
}

enum err
plot_store_estimate_get_json(struct db *db, int64_t org_id, int64_t plot_id,
    int64_t campaign, json_t **out)
{
	static const char sql[] =
	    "SELECT campaign, estimated_g FROM plot_estimates"
	    " WHERE organization_id = ?1 AND plot_id = ?2 AND campaign = ?3";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, plot_id) ||
	    sqlite3_bind_int64(st, 3, campaign)) {
		db_release(st);
		return db_fail(db, "plot_store_estimate_get_json: bind");
	}
	return store_one(db, st, plot_estimate_row, out);
}

enum err
plot_store_estimate_put(struct db *db, int64_t org_id, int64_t plot_id,
    int64_t campaign, int64_t grams)
{
	static const char sql[] =
	    "INSERT INTO plot_estimates (organization_id, plot_id, campaign,"
	    " estimated_g) VALUES (?1, ?2, ?3, ?4)"
	    " ON CONFLICT (organization_id, plot_id, campaign)"
	    " DO UPDATE SET estimated_g = excluded.estimated_g";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, plot_id) ||
	    sqlite3_bind_int64(st, 3, campaign) ||
	    sqlite3_bind_int64(st, 4, grams)) {
		db_release(st);
		return db_fail(db, "plot_store_estimate_put: bind");
	}
	return store_done(db, st, "plot_store_estimate_put");
}
