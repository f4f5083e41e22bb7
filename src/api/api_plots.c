/*
 * Plots (fundos, parcelas) of the registry's producers: list, read with
 * estimates, create, PATCH with If-Match, and the estimated production
 * per campaign (an upsert).  Also the plot checks the CSV import shares,
 * including the location: a GeoJSON Point or Polygon whose coordinates
 * are decimal strings, so that their precision (at least 6 decimals) can
 * be checked, validated with geo.h and stored normalized.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/geo.h"
#include "pergamino/jsonx.h"
#include "pergamino/registry.h"
#include "pergamino/units.h"

#define PLOT_PAGE_DEFAULT 50
#define PLOT_PAGE_MAX 500
#define PLOT_HA_SCALE 4    /* 1 ha = 10 000 m²: 4 decimals of ha are m² */
#define PLOT_COORD_TEXT 40 /* bytes of a number printed as text */

/* ---- location ---- */

/* A coordinate's text: a string as given, a number as printed. */
static const char *
plot_coord_text(json_t *v, char *buf, size_t cap)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		/* 15 digits give back the decimal that was written. */
		snprintf(buf, cap, "%.15g", json_real_value(v));
		return buf;
	}
	return NULL;
}

/* One GeoJSON position [longitude, latitude], parsed and checked. */
static bool
plot_position(json_t *pos, struct geo_point *pt, unsigned dec[2],
    const char **code, struct msg *why)
{
	char lon_buf[PLOT_COORD_TEXT], lat_buf[PLOT_COORD_TEXT];
	const char *lon, *lat;

	*code = "invalid_coordinates";
	if (!json_is_array(pos) || json_array_size(pos) != 2) {
		*why = MSG("Cada posición es [longitud, latitud]",
		    "Each position is [longitude, latitude]");
		return false;
	}
	lon = plot_coord_text(json_array_get(pos, 0), lon_buf, sizeof(lon_buf));
	lat = plot_coord_text(json_array_get(pos, 1), lat_buf, sizeof(lat_buf));
	if (lon == NULL || lat == NULL) {
		*why = MSG("Las coordenadas son números decimales, de "
		           "preferencia como texto (\"-78.812345\")",
		    "Coordinates are decimal numbers, preferably as strings "
		    "(\"-78.812345\")");
		return false;
	}
	if (geo_parse_coord(lon, false, &pt->lon_e7, &dec[0], why) != ERR_OK ||
	    geo_parse_coord(lat, true, &pt->lat_e7, &dec[1], why) != ERR_OK)
		return false;
	if (geo_check_point(pt, dec[1], dec[0], why) != ERR_OK) {
		*code = dec[0] < GEO_MIN_DECIMALS || dec[1] < GEO_MIN_DECIMALS
		    ? "too_few_decimals"
		    : "invalid_point";
		return false;
	}
	return true;
}

/* The normalized position: canonical decimal strings. New reference. */
static json_t *
plot_position_json(const struct geo_point *pt, const unsigned dec[2])
{
	return json_pack("[o, o]",
	    jsonx_decimal(pt->lon_e7, GEO_MAX_DECIMALS, dec[0]),
	    jsonx_decimal(pt->lat_e7, GEO_MAX_DECIMALS, dec[1]));
}

static json_t *
plot_parse_point(
    json_t *coords, const char *field, registry_report_fn report, void *arg)
{
	struct geo_point pt;
	unsigned dec[2];
	const char *code;
	struct msg why;

	if (!plot_position(coords, &pt, dec, &code, &why)) {
		report(arg, field, code, why);
		return NULL;
	}
	return json_pack("{s:s, s:o}", "type", "Point", "coordinates",
	    plot_position_json(&pt, dec));
}

/* The exterior ring's positions, checked one by one and as a ring. */
static json_t *
plot_parse_ring(
    json_t *ring, const char *field, registry_report_fn report, void *arg)
{
	size_t n = json_array_size(ring), i;
	struct geo_point *pts = NULL;
	unsigned(*dec)[2] = NULL;
	json_t *out = NULL, *pos;
	const char *code;
	struct msg why;

	if (n > GEO_RING_MAX) {
		report(arg, field, "too_many_points",
		    MSG("El polígono tiene demasiados puntos (máximo 2000)",
		        "The polygon has too many points (at most 2000)"));
		return NULL;
	}
	pts = calloc(n + 1, sizeof(*pts));
	dec = calloc(n + 1, sizeof(*dec));
	if (pts == NULL || dec == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if (!plot_position(json_array_get(ring, i), &pts[i], dec[i],
		        &code, &why)) {
			report(arg, field, code, why);
			goto out;
		}
	}
	if (geo_check_ring(pts, n, &why) != ERR_OK) {
		report(arg, field, "invalid_ring", why);
		goto out;
	}
	out = json_array();
	for (i = 0; out != NULL && i < n; i++) {
		pos = plot_position_json(&pts[i], dec[i]);
		if (pos == NULL || json_array_append_new(out, pos) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
out:
	free(dec);
	free(pts);
	return out;
}

static json_t *
plot_parse_polygon(
    json_t *coords, const char *field, registry_report_fn report, void *arg)
{
	json_t *ring;

	if (!json_is_array(coords) || json_array_size(coords) == 0 ||
	    !json_is_array(json_array_get(coords, 0))) {
		report(arg, field, "invalid_geojson",
		    MSG("Un polígono es una lista de anillos de posiciones",
		        "A polygon is a list of rings of positions"));
		return NULL;
	}
	if (json_array_size(coords) > 1) {
		report(arg, field, "holes_not_supported",
		    MSG("Solo se admite el contorno exterior del polígono, "
		        "sin huecos",
		        "Only the polygon's exterior ring is accepted, without "
		        "holes"));
		return NULL;
	}
	ring = plot_parse_ring(json_array_get(coords, 0), field, report, arg);
	if (ring == NULL)
		return NULL;
	return json_pack(
	    "{s:s, s:[o]}", "type", "Polygon", "coordinates", ring);
}

bool
plot_location_parse(json_t *in, const char *field, json_t **out,
    registry_report_fn report, void *arg)
{
	const char *type = json_string_value(json_object_get(in, "type"));
	json_t *coords = json_object_get(in, "coordinates");

	*out = NULL;
	if (!json_is_object(in) || type == NULL || coords == NULL ||
	    json_object_size(in) != 2 ||
	    (strcmp(type, "Point") != 0 && strcmp(type, "Polygon") != 0)) {
		report(arg, field, "invalid_geojson",
		    MSG("La ubicación es un objeto GeoJSON {\"type\": "
		        "\"Point\" o \"Polygon\", \"coordinates\": ...}",
		        "The location is a GeoJSON object {\"type\": \"Point\" "
		        "or \"Polygon\", \"coordinates\": ...}"));
		return false;
	}
	if (strcmp(type, "Point") == 0)
		*out = plot_parse_point(coords, field, report, arg);
	else
		*out = plot_parse_polygon(coords, field, report, arg);
	return *out != NULL;
}

/* ---- plot rules ---- */

static bool
plot_is_polygon(json_t *location)
{
	const char *type = json_string_value(json_object_get(location, "type"));

	return type != NULL && strcmp(type, "Polygon") == 0;
}

bool
plot_check(const struct plot *p, registry_report_fn report, void *arg)
{
	struct msg why;
	bool ok = true;

	if (!registry_text_check(p->name, "name", REGISTRY_NAME_MAX,
	        REGISTRY_TEXT_REQUIRED, report, arg))
		ok = false;
	if (p->area_m2 <= 0 || p->area_m2 > REGISTRY_AREA_M2_MAX) {
		report(arg, "area_ha",
		    p->area_m2 <= 0 ? "required" : "out_of_range",
		    MSG("Indique el área en hectáreas (hasta 4 decimales), "
		        "mayor que cero",
		        "Give the area in hectares (up to 4 decimals), above "
		        "zero"));
		ok = false;
	}
	if (!registry_text_check(
	        p->crop, "crop", REGISTRY_CROP_MAX, 0, report, arg))
		ok = false;
	if (!registry_text_check(
	        p->variety, "variety", REGISTRY_NAME_MAX, 0, report, arg))
		ok = false;
	if (!registry_text_check(p->risk_notes, "risk_notes",
	        REGISTRY_NOTES_MAX, REGISTRY_TEXT_MULTILINE, report, arg))
		ok = false;
	if (p->altitude_m != REGISTRY_NONE &&
	    (p->altitude_m < 0 || p->altitude_m > REGISTRY_ALTITUDE_MAX)) {
		report(arg, "altitude_m", "out_of_range",
		    MSG("Altitud entre 0 y 7000 m",
		        "Altitude between 0 and 7000 m"));
		ok = false;
	}
	if (ok && p->location != NULL &&
	    geo_check_shape_for_area(
	        plot_is_polygon(p->location), p->area_m2, &why) != ERR_OK) {
		report(arg, "location", "polygon_required", why);
		ok = false;
	}
	return ok;
}

void
plot_from_json(json_t *doc, struct plot *p)
{
	json_t *alt = json_object_get(doc, "altitude_m");
	json_t *loc = json_object_get(doc, "location");

	*p = (struct plot){ 0 };
	p->id = json_integer_value(json_object_get(doc, "id"));
	p->organization_id =
	    json_integer_value(json_object_get(doc, "organization_id"));
	p->producer_id =
	    json_integer_value(json_object_get(doc, "producer_id"));
	p->name = json_string_value(json_object_get(doc, "name"));
	p->area_m2 = json_integer_value(json_object_get(doc, "area_m2"));
	p->crop = json_string_value(json_object_get(doc, "crop"));
	p->variety = json_string_value(json_object_get(doc, "variety"));
	p->altitude_m =
	    json_is_integer(alt) ? json_integer_value(alt) : REGISTRY_NONE;
	p->location = json_is_object(loc) ? loc : NULL;
	p->risk_notes = json_string_value(json_object_get(doc, "risk_notes"));
	p->active = json_is_true(json_object_get(doc, "active")) ? 1 : 0;
}

/* ---- the resource ---- */

struct plot_in {
	int64_t producer_id;
	const char *name;
	int64_t area_m2;
	const char *crop;
	const char *variety;
	int64_t altitude_m;
	const char *risk_notes;
	int active;
};

/* "location" is an object: plot_read() takes it out beforehand. */
static const struct field plot_create_fields[] = {
	{ "producer_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX,
	    offsetof(struct plot_in, producer_id), 0 },
	{ "name", FIELD_TEXT, FIELD_REQUIRED, REGISTRY_NAME_MAX, 0, 0,
	    offsetof(struct plot_in, name), 0 },
	{ "area_ha", FIELD_DECIMAL, FIELD_REQUIRED, 0, 1, REGISTRY_AREA_M2_MAX,
	    offsetof(struct plot_in, area_m2), PLOT_HA_SCALE },
	{ "crop", FIELD_TEXT, 0, REGISTRY_CROP_MAX, 0, 0,
	    offsetof(struct plot_in, crop), 0 },
	{ "variety", FIELD_TEXT, 0, REGISTRY_NAME_MAX, 0, 0,
	    offsetof(struct plot_in, variety), 0 },
	{ "altitude_m", FIELD_INT, 0, 0, 0, REGISTRY_ALTITUDE_MAX,
	    offsetof(struct plot_in, altitude_m), 0 },
	{ "risk_notes", FIELD_TEXT, 0, REGISTRY_NOTES_MAX, 0, 0,
	    offsetof(struct plot_in, risk_notes), 0 },
	{ "active", FIELD_BOOL, 0, 0, 0, 0, offsetof(struct plot_in, active),
	    0 },
	FIELD_END,
};

static const struct field plot_patch_fields[] = {
	{ "name", FIELD_TEXT, 0, REGISTRY_NAME_MAX, 0, 0,
	    offsetof(struct plot_in, name), 0 },
	{ "area_ha", FIELD_DECIMAL, 0, 0, 1, REGISTRY_AREA_M2_MAX,
	    offsetof(struct plot_in, area_m2), PLOT_HA_SCALE },
	{ "crop", FIELD_TEXT, 0, REGISTRY_CROP_MAX, 0, 0,
	    offsetof(struct plot_in, crop), 0 },
	{ "variety", FIELD_TEXT, 0, REGISTRY_NAME_MAX, 0, 0,
	    offsetof(struct plot_in, variety), 0 },
	{ "altitude_m", FIELD_INT, 0, 0, 0, REGISTRY_ALTITUDE_MAX,
	    offsetof(struct plot_in, altitude_m), 0 },
	{ "risk_notes", FIELD_TEXT, 0, REGISTRY_NOTES_MAX, 0, 0,
	    offsetof(struct plot_in, risk_notes), 0 },
	{ "active", FIELD_BOOL, 0, 0, 0, 0, offsetof(struct plot_in, active),
	    0 },
	FIELD_END,
};

struct estimate_in {
	int64_t campaign;
	int64_t grams;
};

static const struct field estimate_fields[] = {
	{ "campaign", FIELD_INT, FIELD_REQUIRED, 0, REGISTRY_CAMPAIGN_MIN,
	    REGISTRY_CAMPAIGN_MAX, offsetof(struct estimate_in, campaign), 0 },
	{ "estimated_kg", FIELD_DECIMAL, FIELD_REQUIRED, 0, 0,
	    REGISTRY_ESTIMATE_G_MAX, offsetof(struct estimate_in, grams),
	    UNITS_SCALE_KG },
	FIELD_END,
};

/*
 * Read body into in; *location is the "location" member (borrowed from
 * body; NULL when absent) and *clear true when it is an explicit null.
 */
static enum err
plot_read(struct request *req, json_t *body, const struct field *spec,
    struct plot_in *in, json_t **location, bool *clear)
{
	json_t *rest;
	enum err rc;

	*location = json_object_get(body, "location");
	*clear = json_is_null(*location);
	if (*clear)
		*location = NULL;
	/* A shallow copy: its values are body's, which outlives it. */
	rest = jsonx_copy(body);
	if (rest == NULL)
		return ERR_NOMEM;
	json_object_del(rest, "location");
	rc = fields_read(req, rest, spec, in);
	json_decref(rest);
	return rc;
}

static void
plot_apply(struct plot *p, const struct plot_in *in)
{
	if (in->name != NULL)
		p->name = in->name;
	if (in->area_m2 != FIELD_ABSENT)
		p->area_m2 = in->area_m2;
	if (in->crop != NULL)
		p->crop = in->crop;
	if (in->variety != NULL)
		p->variety = in->variety;
	if (in->altitude_m != FIELD_ABSENT)
		p->altitude_m = in->altitude_m;
	if (in->risk_notes != NULL)
		p->risk_notes = in->risk_notes;
	if (in->active >= 0)
		p->active = in->active;
}

static enum err
plot_not_found(struct request *req)
{
	return request_fail(
	    req, ERR_NOT_FOUND, MSG("Parcela no encontrada", "Plot not found"));
}

/*
 * Answer with plot id (with its estimates and ETag), as the caller sees
 * it (org_id 0) or of the caller's organization.
 */
static enum err
plot_reply(struct request *req, unsigned status, int64_t org_id, int64_t id)
{
	char etag[48];
	json_t *doc;
	int64_t version;
	enum err rc;

	rc = plot_store_get_json(
	    req->db, req->who.user_id, org_id, id, &doc, &version);
	if (rc == ERR_NOT_FOUND)
		return plot_not_found(req);
	if (rc != ERR_OK)
		return rc;
	api_etag_text(id, version, etag);
	request_set_etag(req, etag);
	return request_reply(req, status, doc);
}

static enum err
plot_audit(struct request *req, const char *action, int64_t id, json_t *before)
{
	json_t *after = NULL;
	int64_t version;
	enum err rc;

	rc = plot_store_get_json(
	    req->db, req->who.user_id, req->who.org_id, id, &after, &version);
	if (rc == ERR_OK)
		rc = api_audit(
		    req, req->who.org_id, action, "plot", id, before, after);
	json_decref(after);
	return rc;
}

/* Refuse a name another plot of the same producer already has. */
static enum err
plot_check_unique(
    struct request *req, int64_t producer_id, const char *name, int64_t self)
{
	int64_t other;
	enum err rc;

	rc = plot_store_find_name(
	    req->db, req->who.org_id, producer_id, name, &other);
	if (rc != ERR_OK)
		return rc;
	if (other != 0 && other != self) {
		request_field_error(req, "name", "duplicate",
		    MSG("El productor ya tiene una parcela con ese nombre",
		        "The producer already has a plot with that name"));
		return request_fail(req, ERR_CONFLICT,
		    MSG("El productor ya tiene una parcela con ese nombre",
		        "The producer already has a plot with that name"));
	}
	return ERR_OK;
}

static enum err
plot_list(struct request *req)
{
	int64_t limit, cursor, next, producer;
	json_t *items;
	enum err rc;

	rc = request_page(
	    req, PLOT_PAGE_DEFAULT, PLOT_PAGE_MAX, &limit, &cursor);
	if (rc != ERR_OK)
		return rc;
	rc = registry_query_int(req, "producer_id", 1, INT64_MAX, &producer);
	if (rc != ERR_OK)
		return rc;
	rc = plot_store_list_json(req->db, req->who.user_id,
	    producer == REGISTRY_NONE ? 0 : producer, cursor, limit, &items,
	    &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

static enum err
plot_get(struct request *req)
{
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	return plot_reply(req, 200, 0, id);
}

/* The location in the body, parsed: *out new, or NULL when absent. */
static enum err
plot_location_in(struct request *req, json_t *location, json_t **out)
{
	*out = NULL;
	if (location == NULL)
		return ERR_OK;
	if (!plot_location_parse(
	        location, "location", out, registry_report_request, req))
		return ERR_INVALID;
	return ERR_OK;
}

static enum err
plot_create(struct request *req)
{
	struct plot_in in;
	struct plot p = {
		.crop = "café", .altitude_m = REGISTRY_NONE, .active = 1
	};
	json_t *body = NULL, *producer = NULL, *loc_in, *loc = NULL;
	int64_t version;
	enum err rc;
	bool clear;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = plot_read(req, body, plot_create_fields, &in, &loc_in, &clear);
	if (rc != ERR_OK)
		goto out;
	rc = producer_store_get_json(req->db, req->who.user_id, req->who.org_id,
	    in.producer_id, &producer, &version);
	if (rc == ERR_NOT_FOUND)
		rc = request_field_error(req, "producer_id", "not_found",
		    MSG("El productor no existe", "No such producer"));
	if (rc != ERR_OK)
		goto out;
	rc = plot_location_in(req, loc_in, &loc);
	if (rc != ERR_OK)
		goto out;
	p.producer_id = in.producer_id;
	p.location = loc;
	plot_apply(&p, &in);
	if (!plot_check(&p, registry_report_request, req)) {
		rc = ERR_INVALID;
		goto out;
	}
	rc = plot_check_unique(req, p.producer_id, p.name, 0);
	if (rc != ERR_OK)
		goto out;
	p.organization_id = req->who.org_id;
	p.created_at = req->now;
	rc = plot_store_insert(req->db, &p);
	if (rc == ERR_OK)
		rc = plot_audit(req, "plot.create", p.id, NULL);
	if (rc == ERR_OK) {
		api_location(req, "plots", p.id);
		rc = plot_reply(req, 201, req->who.org_id, p.id);
	}
out:
	json_decref(loc);
	json_decref(producer);
	json_decref(body);
	return rc;
}

/* PATCH /api/v1/plots/{id} with If-Match; "location": null clears it. */
static enum err
plot_patch(struct request *req)
{
	struct plot_in in;
	struct plot p;
	json_t *body = NULL, *before = NULL, *loc_in, *loc = NULL;
	int64_t id, version;
	enum err rc;
	bool clear;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	/* The object first: an outsider learns nothing from validation. */
	rc = plot_store_get_json(
	    req->db, req->who.user_id, req->who.org_id, id, &before, &version);
	if (rc == ERR_NOT_FOUND)
		return plot_not_found(req);
	if (rc != ERR_OK)
		return rc;
	rc = api_if_match(req, id, version);
	if (rc != ERR_OK)
		goto out;
	rc = request_json(req, &body);
	if (rc != ERR_OK)
		goto out;
	rc = plot_read(req, body, plot_patch_fields, &in, &loc_in, &clear);
	if (rc != ERR_OK)
		goto out;
	rc = plot_location_in(req, loc_in, &loc);
	if (rc != ERR_OK)
		goto out;
	plot_from_json(before, &p);
	plot_apply(&p, &in);
	if (loc != NULL || clear)
		p.location = loc;
	if (!plot_check(&p, registry_report_request, req)) {
		rc = ERR_INVALID;
		goto out;
	}
	rc = plot_check_unique(req, p.producer_id, p.name, id);
	if (rc == ERR_OK)
		rc = plot_store_update(
		    req->db, req->who.org_id, id, version, &p);
	if (rc == ERR_PRECONDITION)
		rc = request_fail(req, rc,
		    MSG("Otra persona modificó este registro; recárguelo",
		        "Someone else changed this record; reload it"));
	if (rc == ERR_OK)
		rc = plot_audit(req, "plot.update", id, before);
	if (rc == ERR_OK)
		rc = plot_reply(req, 200, req->who.org_id, id);
out:
	json_decref(loc);
	json_decref(before);
	json_decref(body);
	return rc;
}

/*
 * POST /api/v1/plots/{id}/estimates {campaign, estimated_kg}: set the
 * estimate of a campaign (201 when new, 200 when replaced).
 */
static enum err
plot_estimate_put(struct request *req)
{
	struct estimate_in in;
	json_t *body = NULL, *plot = NULL, *before = NULL, *after = NULL;
	int64_t id, version;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	/* The object first: an outsider learns nothing from validation. */
	rc = plot_store_get_json(
	    req->db, req->who.user_id, req->who.org_id, id, &plot, &version);
	if (rc == ERR_NOT_FOUND)
		return plot_not_found(req);
	if (rc != ERR_OK)
		return rc;
	rc = request_json(req, &body);
	if (rc != ERR_OK)
		goto out;
	rc = fields_read(req, body, estimate_fields, &in);
	if (rc != ERR_OK)
		goto out;
	rc = plot_store_estimate_get_json(
	    req->db, req->who.org_id, id, in.campaign, &before);
	if (rc != ERR_OK && rc != ERR_NOT_FOUND)
		goto out;
	rc = plot_store_estimate_put(
	    req->db, req->who.org_id, id, in.campaign, in.grams);
	if (rc == ERR_OK)
		rc = plot_store_estimate_get_json(
		    req->db, req->who.org_id, id, in.campaign, &after);
	if (rc == ERR_OK)
		rc =
		    json_object_set_new(after, "plot_id", json_integer(id)) == 0
		    ? ERR_OK
		    : ERR_NOMEM;
	if (rc == ERR_OK)
		rc = api_audit(req, req->who.org_id, "plot.estimate", "plot",
		    id, before, after);
	if (rc == ERR_OK) {
		rc = request_reply(
		    req, before == NULL ? 201 : 200, json_incref(after));
	}
out:
	json_decref(after);
	json_decref(before);
	json_decref(plot);
	json_decref(body);
	return rc;
}

/* clang-format off */
const struct route plot_routes[] = {
	{ "GET",   "/api/v1/plots",                plot_list,         PERM_ORG_READ,     0 },
	{ "POST",  "/api/v1/plots",                plot_create,       PERM_COOP_WRITE, 0 },
	{ "GET",   "/api/v1/plots/{id}",           plot_get,          PERM_ORG_READ,     0 },
	{ "PATCH", "/api/v1/plots/{id}",           plot_patch,        PERM_COOP_WRITE, 0 },
	{ "POST",  "/api/v1/plots/{id}/estimates", plot_estimate_put, PERM_COOP_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
