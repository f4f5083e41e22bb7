/*
 * The producer registry over real HTTP: producers (the guide's Juan Pérez
 * Vargas, DNI 08754611), search, lookup by DNI, PATCH with If-Match,
 * plots and their geometry, estimates, certifications, the LPA, purchase
 * settings, CSV export and the all-or-nothing CSV import, and who may see
 * and write what.  Tests run in order on one server: later ones use the
 * producer the first one creates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/db.h"

#define JUAN_DNI "08754611"

static int64_t juan_id;      /* Juan Pérez Vargas, organic EU */
static int64_t juan_plot_id; /* his plot La Perla, 1 ha */

static struct session
login_as(struct fixture *f, enum test_user u)
{
	struct session s;

	assert_int_equal(
	    session_login(f, f->users[u].username, TEST_PASSWORD, &s), 200);
	return s;
}

/* POST a CSV file (bytes as Excel saves them) as s. */
static void
post_csv(struct fixture *f, struct session *s, const char *path,
    const char *bytes, size_t len, struct response *r)
{
	char cookie[192], csrf[128];
	const char *hdr[4];

	snprintf(cookie, sizeof(cookie), "Cookie: %s", s->cookie);
	snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %s", s->csrf);
	hdr[0] = cookie;
	hdr[1] = csrf;
	hdr[2] = "Content-Type: text/csv; charset=utf-8";
	hdr[3] = NULL;
	assert_int_equal(http_request(f, "POST", path, hdr, bytes, len, r), 0);
}

/* POST json and expect 201; the new object's id. */
static int64_t
create(struct fixture *f, struct session *s, const char *path, const char *json)
{
	struct response r;
	int64_t id;

	session_call(f, s, "POST", path, json, &r);
	if (r.status != 201)
		fail_msg("POST %s: %ld %s", path, r.status, r.body);
	id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

/* Is there an error for field (and line, unless 0) in a problem doc? */
static bool
has_error(struct response *r, long line, const char *field, const char *code)
{
	json_t *errors = json_object_get(r->json, "errors"), *e;
	const char *fv, *cv;
	size_t i;

	json_array_foreach(errors, i, e)
	{
		fv = json_string_value(json_object_get(e, "field"));
		cv = json_string_value(json_object_get(e, "code"));
		if (line != 0 &&
		    json_integer_value(json_object_get(e, "line")) != line)
			continue;
		if (field != NULL && (fv == NULL || strcmp(fv, field) != 0))
			continue;
		if (code != NULL && (cv == NULL || strcmp(cv, code) != 0))
			continue;
		return true;
	}
	return false;
}

static const char *
str(struct response *r, const char *key)
{
	const char *s = json_string_value(json_object_get(r->json, key));

	return s != NULL ? s : "";
}

static size_t
count_items(struct fixture *f, struct session *s, const char *path)
{
	struct response r;
	size_t n;

	session_call(f, s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	n = json_array_size(json_object_get(r.json, "items"));
	response_free(&r);
	return n;
}

/* Does a list answer hold an item whose key is value? */
static bool
list_has(struct response *r, const char *key, const char *value)
{
	json_t *items = json_object_get(r->json, "items"), *it;
	const char *v;
	size_t i;

	json_array_foreach(items, i, it)
	{
		v = json_string_value(json_object_get(it, key));
		if (v != NULL && strcmp(v, value) == 0)
			return true;
	}
	return false;
}

/*
 * The last audit event with this action, read from the database: its
 * before and after JSON joined by '|' into out, and how many there are.
 */
static int
audit_last(struct fixture *f, const char *action, char *out, size_t cap)
{
	static const char sql[] =
	    "SELECT coalesce(before_json, '') || '|' ||"
	    " coalesce(after_json, ''), (SELECT count(*) FROM audit_events"
	    " WHERE action = ?1) FROM audit_events WHERE action = ?1"
	    " ORDER BY seq DESC LIMIT 1";
	struct db *db = NULL;
	sqlite3_stmt *st = NULL;
	int n = 0;

	out[0] = '\0';
	assert_int_equal(harness_db(f, &db), 0);
	assert_int_equal(
	    sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(
		    out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		n = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	db_close(db);
	return n;
}

static bool
search_finds(struct fixture *f, struct session *s, const char *query)
{
	char path[256];
	struct response r;
	bool found;

	snprintf(path, sizeof(path), "/api/v1/producers?%s", query);
	session_call(f, s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	found = list_has(&r, "dni", JUAN_DNI);
	response_free(&r);
	return found;
}

static void
test_producer_create_get_search(void **state)
{
	static const char juan[] =
	    "{\"dni\":\"" JUAN_DNI "\",\"first_names\":\"Juan\","
	    "\"last_names\":\"Pérez Vargas\",\"sex\":\"M\","
	    "\"caserio\":\"La Palma\",\"district\":\"San Ignacio\","
	    "\"province\":\"San Ignacio\",\"region\":\"Cajamarca\","
	    "\"address\":\"Caserío Laurel Mz N - San Ignacio\","
	    "\"phone\":\"976000111\",\"status\":\"organic\","
	    "\"programs\":[\"EU\"],\"other_certifications\":[\"Fairtrade\"]}";
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct response r;
	char path[128], buf[128], body[512];
	json_t *plots;

	session_call(f, &s, "POST", "/api/v1/producers", juan, &r);
	assert_int_equal(r.status, 201);
	juan_id = json_integer_value(json_object_get(r.json, "id"));
	assert_true(juan_id > 0);
	assert_string_equal(str(&r, "dni"), JUAN_DNI);
	assert_string_equal(str(&r, "full_name"), "Juan Pérez Vargas");
	assert_string_equal(
	    str(&r, "address"), "Caserío Laurel Mz N - San Ignacio");
	assert_string_equal(str(&r, "caserio"), "La Palma");
	assert_string_equal(str(&r, "status"), "organic");
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(r.json, "programs"), 0)),
	    "EU");
	assert_string_equal(
	    json_string_value(json_array_get(
	        json_object_get(r.json, "other_certifications"), 0)),
	    "Fairtrade");
	assert_true(json_is_true(json_object_get(r.json, "active")));
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "organization_id")),
	    f->org_a);
	assert_int_equal(json_array_size(json_object_get(r.json, "plots")), 0);
	snprintf(
	    path, sizeof(path), "/api/v1/producers/%lld", (long long)juan_id);
	assert_string_equal(
	    response_header(&r, "Location", buf, sizeof(buf)), path);
	assert_non_null(response_header(&r, "ETag", buf, sizeof(buf)));
	response_free(&r);

	/* His plot La Perla, 1 ha, as a point with 6 decimals. */
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"name\":\"La Perla\",\"area_ha\":\"1\","
	    "\"variety\":\"Caturra\",\"altitude_m\":1650,"
	    "\"location\":{\"type\":\"Point\",\"coordinates\":"
	    "[\"-78.812345\",\"-5.703125\"]}}",
	    (long long)juan_id);
	juan_plot_id = create(f, &s, "/api/v1/plots", body);

	session_call(f, &s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "last_names"), "Pérez Vargas");
	plots = json_object_get(r.json, "plots");
	assert_int_equal(json_array_size(plots), 1);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(plots, 0), "name")),
	    "La Perla");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(plots, 0), "area_ha")),
	    "1.0000");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_array_get(plots, 0), "area_m2")),
	    10000);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(plots, 0), "crop")),
	    "café");
	response_free(&r);

	/* Search: DNI prefix, names and caserío without case or accents. */
	assert_true(search_finds(f, &s, "q=0875"));
	assert_true(search_finds(f, &s, "q=" JUAN_DNI));
	assert_false(search_finds(f, &s, "q=0876"));
	assert_true(search_finds(f, &s, "q=perez"));
	assert_true(search_finds(f, &s, "q=P%C3%89REZ%20VARGAS"));
	assert_true(search_finds(f, &s, "q=juan%20p%C3%A9rez"));
	assert_true(search_finds(f, &s, "q=la%20palma"));
	assert_false(search_finds(f, &s, "q=tabaconas"));
	assert_true(search_finds(f, &s, "status=organic&active=1"));
	assert_false(search_finds(f, &s, "status=conventional"));
	session_call(
	    f, &s, "GET", "/api/v1/producers?status=organico", NULL, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "status", "invalid"));
	response_free(&r);

	/* By DNI, leading zero and all. */
	session_call(
	    f, &s, "GET", "/api/v1/producers/by-dni/" JUAN_DNI, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "id")), juan_id);
	assert_int_equal(json_array_size(json_object_get(r.json, "plots")), 1);
	response_free(&r);
	session_call(
	    f, &s, "GET", "/api/v1/producers/by-dni/8754611", NULL, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);
	session_call(
	    f, &s, "GET", "/api/v1/producers/by-dni/08754612", NULL, &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(response_code(&r), "not_found");
	response_free(&r);
}

static void
test_producer_patch_if_match(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_ADMIN);
	struct session d = login_as(f, TU_D_ADMIN);
	struct response r;
	char path[128], etag[64], h[96];

	snprintf(
	    path, sizeof(path), "/api/v1/producers/%lld", (long long)juan_id);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_non_null(response_header(&r, "ETag", etag, sizeof(etag)));
	response_free(&r);

	session_call(f, &s, "PATCH", path, "{\"phone\":\"976123456\"}", &r);
	assert_int_equal(r.status, 428);
	assert_string_equal(response_code(&r), "precondition_required");
	response_free(&r);

	snprintf(h, sizeof(h), "If-Match: %s", etag);
	session_call_h(
	    f, &s, "PATCH", path, "{\"phone\":\"976123456\"}", h, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "phone"), "976123456");
	assert_string_equal(str(&r, "dni"), JUAN_DNI); /* untouched */
	assert_string_equal(str(&r, "caserio"), "La Palma");
	response_free(&r);

	/* The first ETag is stale now. */
	session_call_h(f, &s, "PATCH", path, "{\"phone\":\"000\"}", h, &r);
	assert_int_equal(r.status, 412);
	assert_string_equal(response_code(&r), "precondition_failed");
	response_free(&r);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_string_equal(str(&r, "phone"), "976123456");
	assert_non_null(response_header(&r, "ETag", etag, sizeof(etag)));
	response_free(&r);

	/* Rules hold on PATCH too: organic without a program. */
	snprintf(h, sizeof(h), "If-Match: %s", etag);
	session_call_h(f, &s, "PATCH", path, "{\"programs\":[]}", h, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "programs", "required_for_organic"));
	response_free(&r);

	/* An outsider cannot even learn that the producer exists. */
	session_call_h(f, &d, "PATCH", path, "{\"phone\":\"1\"}", h, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);
}

static void
test_producer_validation_and_duplicates(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct session d = login_as(f, TU_D_ADMIN);
	struct response r;
	static const char dup[] =
	    "{\"dni\":\"" JUAN_DNI "\",\"first_names\":\"Otro\","
	    "\"last_names\":\"Pérez\",\"sex\":\"M\",\"status\":"
	    "\"conventional\"}";
	static const char short_dni[] =
	    "{\"dni\":\"8754611\",\"first_names\":\"Juan\","
	    "\"last_names\":\"Pérez\",\"sex\":\"M\",\"status\":"
	    "\"conventional\"}";
	static const char letters[] =
	    "{\"dni\":\"0875461X\",\"first_names\":\"Juan\","
	    "\"last_names\":\"Pérez\",\"sex\":\"X\",\"status\":\"organic\"}";
	static const char other_org[] =
	    "{\"dni\":\"41111111\",\"first_names\":\"Ana\","
	    "\"last_names\":\"Torres\",\"sex\":\"F\",\"status\":"
	    "\"conventional\"}";

	session_call(f, &s, "POST", "/api/v1/producers", dup, &r);
	assert_int_equal(r.status, 409);
	assert_string_equal(response_code(&r), "conflict");
	assert_true(has_error(&r, 0, "dni", "duplicate"));
	response_free(&r);

	session_call(f, &s, "POST", "/api/v1/producers", short_dni, &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(response_code(&r), "invalid_request");
	assert_true(has_error(&r, 0, "dni", "invalid"));
	response_free(&r);

	session_call(f, &s, "POST", "/api/v1/producers", letters, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "dni", "invalid"));
	assert_true(has_error(&r, 0, "sex", "invalid"));
	assert_true(has_error(&r, 0, "programs", "required_for_organic"));
	response_free(&r);

	session_call(f, &s, "POST", "/api/v1/producers",
	    "{\"dni\":\"41111112\",\"first_names\":\"A\",\"last_names\":"
	    "\"B\",\"sex\":\"F\",\"status\":\"organic\",\"programs\":"
	    "[\"EU\",\"EU\"],\"color\":\"red\"}",
	    &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "color", "unknown_field"));
	response_free(&r);

	/* Unique per organization: another cooperative may register it. */
	assert_true(create(f, &s, "/api/v1/producers", other_org) > 0);
	assert_true(create(f, &d, "/api/v1/producers", other_org) > 0);
}

static void
test_plot_geometry(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct response r;
	char body[1024], path[96], etag[64], h[96];
	json_t *coords;
	int64_t big;

	/* A point needs 6 decimals. */
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"name\":\"Cinco\",\"area_ha\":\"0.5\","
	    "\"location\":{\"type\":\"Point\",\"coordinates\":"
	    "[\"-78.81234\",\"-5.70312\"]}}",
	    (long long)juan_id);
	session_call(f, &s, "POST", "/api/v1/plots", body, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "location", "too_few_decimals"));
	response_free(&r);

	/* 4.5 ha must be a polygon. */
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"name\":\"Grande\",\"area_ha\":\"4.5\","
	    "\"location\":{\"type\":\"Point\",\"coordinates\":"
	    "[\"-78.812345\",\"-5.703125\"]}}",
	    (long long)juan_id);
	session_call(f, &s, "POST", "/api/v1/plots", body, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "location", "polygon_required"));
	response_free(&r);

	/* An open ring is refused. */
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"name\":\"Grande\",\"area_ha\":\"4.5\","
	    "\"location\":{\"type\":\"Polygon\",\"coordinates\":[["
	    "[\"-78.812000\",\"-5.703000\"],[\"-78.810078\",\"-5.703000\"],"
	    "[\"-78.810078\",\"-5.701083\"],[\"-78.812000\",\"-5.701083\"]"
	    "]]}}",
	    (long long)juan_id);
	session_call(f, &s, "POST", "/api/v1/plots", body, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "location", "invalid_ring"));
	response_free(&r);

	/* The closed polygon is accepted and stored normalized. */
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"name\":\"Grande\",\"area_ha\":\"4.5\","
	    "\"location\":{\"type\":\"Polygon\",\"coordinates\":[["
	    "[\"-78.812000\",\"-5.703000\"],[\"-78.810078\",\"-5.703000\"],"
	    "[\"-78.810078\",\"-5.701083\"],[\"-78.812000\",\"-5.701083\"],"
	    "[\"-78.812000\",\"-5.703000\"]]]}}",
	    (long long)juan_id);
	session_call(f, &s, "POST", "/api/v1/plots", body, &r);
	assert_int_equal(r.status, 201);
	big = json_integer_value(json_object_get(r.json, "id"));
	assert_string_equal(str(&r, "area_ha"), "4.5000");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(r.json, "location"), "type")),
	    "Polygon");
	coords = json_array_get(
	    json_object_get(json_object_get(r.json, "location"), "coordinates"),
	    0);
	assert_int_equal(json_array_size(coords), 5);
	assert_string_equal(
	    json_string_value(json_array_get(json_array_get(coords, 1), 0)),
	    "-78.810078");
	assert_non_null(response_header(&r, "ETag", etag, sizeof(etag)));
	response_free(&r);

	/* Numbers are accepted too; a plot name is unique per producer. */
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"name\":\"Grande\",\"area_ha\":0.25,"
	    "\"location\":{\"type\":\"Point\",\"coordinates\":"
	    "[-78.812345,-5.703125]}}",
	    (long long)juan_id);
	session_call(f, &s, "POST", "/api/v1/plots", body, &r);
	assert_int_equal(r.status, 409);
	assert_true(has_error(&r, 0, "name", "duplicate"));
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"name\":\"Chacra\",\"area_ha\":0.25,"
	    "\"location\":{\"type\":\"Point\",\"coordinates\":"
	    "[-78.812345,-5.703125]}}",
	    (long long)juan_id);
	session_call(f, &s, "POST", "/api/v1/plots", body, &r);
	assert_int_equal(r.status, 201);
	coords =
	    json_object_get(json_object_get(r.json, "location"), "coordinates");
	assert_string_equal(
	    json_string_value(json_array_get(coords, 0)), "-78.812345");
	assert_string_equal(
	    json_string_value(json_array_get(coords, 1)), "-5.703125");
	response_free(&r);

	/* PATCH: the shape rule holds against the new area; null clears. */
	snprintf(
	    path, sizeof(path), "/api/v1/plots/%lld", (long long)juan_plot_id);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_non_null(response_header(&r, "ETag", etag, sizeof(etag)));
	response_free(&r);
	snprintf(h, sizeof(h), "If-Match: %s", etag);
	session_call_h(f, &s, "PATCH", path, "{\"area_ha\":\"4\"}", h, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "location", "polygon_required"));
	response_free(&r);
	session_call_h(f, &s, "PATCH", path,
	    "{\"risk_notes\":\"Colinda con "
	    "parcela convencional al norte\"}",
	    h, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    str(&r, "risk_notes"), "Colinda con parcela convencional al norte");
	assert_string_equal(str(&r, "area_ha"), "1.0000");
	assert_true(json_is_object(json_object_get(r.json, "location")));
	response_free(&r);
	(void)big;
}

static void
test_plot_estimates(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct session d = login_as(f, TU_D_ADMIN);
	struct session a = login_as(f, TU_A_ADMIN);
	struct response r;
	char path[96], get[96], audit[512];
	json_t *est;

	snprintf(path, sizeof(path), "/api/v1/plots/%lld/estimates",
	    (long long)juan_plot_id);
	session_call(f, &s, "POST", path,
	    "{\"campaign\":2017,\"estimated_kg\":\"2363.5\"}", &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(str(&r, "estimated_kg"), "2363.500");
	response_free(&r);
	session_call(f, &s, "POST", path,
	    "{\"campaign\":2017,\"estimated_kg\":2500}", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "estimated_kg"), "2500.000");
	response_free(&r);
	session_call(f, &s, "POST", path,
	    "{\"campaign\":1999,\"estimated_kg\":\"1\"}", &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "campaign", "out_of_range"));
	response_free(&r);

	snprintf(
	    get, sizeof(get), "/api/v1/plots/%lld", (long long)juan_plot_id);
	session_call(f, &s, "GET", get, NULL, &r);
	est = json_object_get(r.json, "estimates");
	assert_int_equal(json_array_size(est), 1);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_array_get(est, 0), "campaign")),
	    2017);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(est, 0), "estimated_kg")),
	    "2500.000");
	response_free(&r);

	/* Audited with before and after. */
	session_call(f, &a, "GET", "/api/v1/audit?limit=1000", NULL, &r);
	assert_non_null(strstr(r.body, "\"plot.estimate\""));
	response_free(&r);
	assert_int_equal(
	    audit_last(f, "plot.estimate", audit, sizeof(audit)), 2);
	assert_non_null(strstr(audit, "\"2363.500\"}|{"));
	assert_non_null(strstr(audit, "\"2500.000\""));

	session_call(f, &d, "POST", path,
	    "{\"campaign\":2017,\"estimated_kg\":\"1\"}", &r);
	assert_int_equal(r.status, 404);
	response_free(&r);
}

static void
test_certifications(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_ADMIN);
	struct response r;

	session_call(f, &s, "POST", "/api/v1/certifications",
	    "{\"certifier\":\"Organic World\",\"program\":\"EU\","
	    "\"code\":\"PE-BIO-149\",\"valid_from\":\"2017-12-31\","
	    "\"valid_to\":\"2017-01-01\"}",
	    &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "valid_to", "before_valid_from"));
	response_free(&r);
	session_call(f, &s, "POST", "/api/v1/certifications",
	    "{\"certifier\":\"Organic World\",\"program\":\"EUROPA\","
	    "\"code\":\"PE-BIO-149\",\"valid_from\":\"2017-02-30\","
	    "\"valid_to\":\"2017-12-31\"}",
	    &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "valid_from", "invalid_date"));
	response_free(&r);

	session_call(f, &s, "POST", "/api/v1/certifications",
	    "{\"certifier\":\"Organic World\",\"program\":\"EU\","
	    "\"code\":\"PE-BIO-149\",\"valid_from\":\"2017-01-01\","
	    "\"valid_to\":\"2017-12-31\"}",
	    &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(str(&r, "code"), "PE-BIO-149");
	assert_string_equal(str(&r, "valid_to"), "2017-12-31");
	response_free(&r);

	session_call(f, &s, "GET", "/api/v1/certifications", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(list_has(&r, "code", "PE-BIO-149"));
	response_free(&r);
}

static void
test_lpa(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_ADMIN);
	struct response r;
	char body[256];
	int64_t conv;
	json_t *e;

	snprintf(body, sizeof(body),
	    "{\"campaign\":2017,\"producer_id\":%lld,"
	    "\"approved_on\":\"2017-03-01\"}",
	    (long long)juan_id);
	session_call(f, &s, "POST", "/api/v1/lpa", body, &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(str(&r, "dni"), JUAN_DNI);
	assert_string_equal(str(&r, "approved_on"), "2017-03-01");
	assert_string_equal(str(&r, "approved_by_username"), "a-admin");
	assert_false(json_is_true(json_object_get(r.json, "withdrawn")));
	response_free(&r);
	session_call(f, &s, "POST", "/api/v1/lpa", body, &r);
	assert_int_equal(r.status, 409);
	assert_string_equal(response_code(&r), "conflict");
	response_free(&r);

	session_call(f, &s, "GET", "/api/v1/lpa?campaign=2017", NULL, &r);
	assert_int_equal(r.status, 200);
	e = json_array_get(json_object_get(r.json, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "full_name")),
	    "Juan Pérez Vargas");
	assert_string_equal(
	    json_string_value(json_object_get(e, "caserio")), "La Palma");
	assert_string_equal(
	    json_string_value(json_object_get(e, "status")), "organic");
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(e, "programs"), 0)),
	    "EU");
	response_free(&r);
	session_call(f, &s, "GET", "/api/v1/lpa", NULL, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "campaign", "required"));
	response_free(&r);

	assert_true(search_finds(f, &s, "campaign=2017&lpa=1"));
	assert_false(search_finds(f, &s, "campaign=2017&lpa=0"));
	assert_false(search_finds(f, &s, "campaign=2018&lpa=1"));

	/* A conventional producer is refused. */
	conv = create(f, &s, "/api/v1/producers",
	    "{\"dni\":\"40000001\",\"first_names\":\"Pedro\","
	    "\"last_names\":\"Campos\",\"sex\":\"M\",\"status\":"
	    "\"conventional\"}");
	snprintf(body, sizeof(body),
	    "{\"campaign\":2017,\"producer_id\":%lld,"
	    "\"approved_on\":\"2017-03-01\"}",
	    (long long)conv);
	session_call(f, &s, "POST", "/api/v1/lpa", body, &r);
	assert_int_equal(r.status, 422);
	assert_string_equal(response_code(&r), "unprocessable");
	assert_true(has_error(&r, 0, "producer_id", "conventional"));
	response_free(&r);

	/* Withdraw with a reason; the entry stays, marked. */
	snprintf(body, sizeof(body),
	    "{\"campaign\":2017,\"producer_id\":%lld,\"reason\":\"Uso de "
	    "fertilizante sintético\",\"withdrawn_on\":\"2017-07-01\"}",
	    (long long)juan_id);
	session_call(f, &s, "POST", "/api/v1/lpa/withdraw", body, &r);
	assert_int_equal(r.status, 200);
	assert_true(json_is_true(json_object_get(r.json, "withdrawn")));
	assert_string_equal(str(&r, "withdrawn_on"), "2017-07-01");
	assert_string_equal(
	    str(&r, "withdrawn_reason"), "Uso de fertilizante sintético");
	response_free(&r);
	session_call(f, &s, "POST", "/api/v1/lpa/withdraw", body, &r);
	assert_int_equal(r.status, 409);
	response_free(&r);
	assert_false(search_finds(f, &s, "campaign=2017&lpa=1"));
	session_call(f, &s, "GET", "/api/v1/lpa?campaign=2017", NULL, &r);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(r.json, "items"), 0),
	        "withdrawn_on")),
	    "2017-07-01");
	response_free(&r);

	/* Approved again (the guide's example needs him on the list). */
	snprintf(body, sizeof(body),
	    "{\"campaign\":2017,\"producer_id\":%lld,"
	    "\"approved_on\":\"2017-07-15\"}",
	    (long long)juan_id);
	session_call(f, &s, "POST", "/api/v1/lpa", body, &r);
	assert_int_equal(r.status, 201);
	assert_true(json_is_null(json_object_get(r.json, "withdrawn_on")));
	response_free(&r);

	/* The printable list. */
	session_call(f, &s, "GET", "/api/v1/lpa.csv?campaign=2017", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Campaña;DNI;Apellidos;Nombres"));
	assert_non_null(strstr(r.body,
	    "2017;" JUAN_DNI ";Pérez Vargas;Juan;"
	    "La Palma;orgánico;EU;15/07/2017"));
	response_free(&r);
}

static void
test_settings(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_ADMIN);
	struct session clerk = login_as(f, TU_A_CLERK);
	struct session aud = login_as(f, TU_C_AUDITOR);
	struct session aud2 = login_as(f, TU_C_AUDITOR2);
	struct response r;
	char etag[64], want[64], h[96], path[96];

	session_call(f, &s, "GET", "/api/v1/settings", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "humidity_min"), "10.0");
	assert_string_equal(str(&r, "humidity_max"), "13.5");
	assert_string_equal(str(&r, "humidity_policy"), "warn");
	assert_int_equal(json_integer_value(
	                     json_object_get(r.json, "estimate_tolerance_pct")),
	    10);
	assert_string_equal(str(&r, "igv_rate_pct"), "0.00");
	assert_string_equal(str(&r, "place_of_sale"), "");
	assert_non_null(response_header(&r, "ETag", etag, sizeof(etag)));
	snprintf(want, sizeof(want), "\"%lld.0\"", (long long)f->org_a);
	assert_string_equal(etag, want);
	response_free(&r);

	session_call(f, &s, "PATCH", "/api/v1/settings",
	    "{\"humidity_max\":\"14.0\"}", &r);
	assert_int_equal(r.status, 428);
	response_free(&r);
	snprintf(h, sizeof(h), "If-Match: %s", etag);
	session_call_h(f, &clerk, "PATCH", "/api/v1/settings",
	    "{\"humidity_max\":\"14.0\"}", h, &r);
	assert_int_equal(r.status, 403);
	response_free(&r);
	session_call_h(f, &s, "PATCH", "/api/v1/settings",
	    "{\"humidity_min\":\"15.0\"}", h, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "humidity_max", "below_min"));
	response_free(&r);
	session_call_h(f, &s, "PATCH", "/api/v1/settings",
	    "{\"humidity_max\":\"14.0\",\"humidity_policy\":\"refuse\","
	    "\"igv_rate_pct\":\"18\",\"place_of_sale\":\"San Ignacio - "
	    "Cajamarca\"}",
	    h, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "humidity_min"), "10.0");
	assert_string_equal(str(&r, "humidity_max"), "14.0");
	assert_string_equal(str(&r, "humidity_policy"), "refuse");
	assert_string_equal(str(&r, "igv_rate_pct"), "18.00");
	assert_string_equal(
	    str(&r, "place_of_sale"), "San Ignacio - Cajamarca");
	response_free(&r);
	session_call_h(f, &s, "PATCH", "/api/v1/settings",
	    "{\"humidity_max\":\"13.5\"}", h, &r);
	assert_int_equal(r.status, 412);
	response_free(&r);

	/* The granted auditor reads A's settings; the other one cannot. */
	snprintf(path, sizeof(path), "/api/v1/settings?organization_id=%lld",
	    (long long)f->org_a);
	session_call(f, &aud, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "humidity_policy"), "refuse");
	response_free(&r);
	session_call(f, &aud2, "GET", path, NULL, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);
}

static void
test_csv_export(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct response r;
	char buf[256];

	create(f, &s, "/api/v1/producers",
	    "{\"dni\":\"40000002\",\"first_names\":\"Rosa\","
	    "\"last_names\":\"Quispe; Mamani\",\"sex\":\"F\","
	    "\"address\":\"Jr. \\\"Las Flores\\\" 12\","
	    "\"status\":\"transition\",\"programs\":[\"EU\",\"NOP\"]}");
	create(f, &s, "/api/v1/producers",
	    "{\"dni\":\"40000003\",\"first_names\":\"=1+1\","
	    "\"last_names\":\"@SUM(A1)\",\"sex\":\"M\","
	    "\"status\":\"conventional\"}");

	session_call(f, &s, "GET", "/api/v1/producers.csv", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(response_header(&r, "Content-Type", buf, sizeof(buf)));
	assert_non_null(strstr(buf, "text/csv"));
	assert_non_null(
	    response_header(&r, "Content-Disposition", buf, sizeof(buf)));
	assert_non_null(strstr(buf, "attachment"));
	assert_non_null(strstr(buf, "productores.csv"));
	assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
	assert_memory_equal(r.body + 3,
	    "DNI;Apellidos;Nombres;Sexo;Caserío;Distrito;Provincia;Región;"
	    "Dirección;Teléfono;Estado;Programas;Otras certificaciones;"
	    "Activo\r\n",
	    strlen("DNI;Apellidos;Nombres;Sexo;Caserío;Distrito;Provincia;"
	           "Región;Dirección;Teléfono;Estado;Programas;Otras "
	           "certificaciones;Activo\r\n"));
	assert_non_null(strstr(r.body,
	    "\r\n" JUAN_DNI ";Pérez Vargas;Juan;M;La Palma;San Ignacio;"
	    "San Ignacio;Cajamarca;Caserío Laurel Mz N - San Ignacio;"
	    "976123456;orgánico;EU;Fairtrade;sí\r\n"));
	/* A ';' in a name is quoted; quotes are doubled. */
	assert_non_null(strstr(r.body,
	    "40000002;\"Quispe; Mamani\";Rosa;F;;;;;\"Jr. \"\"Las Flores\"\" "
	    "12\";;en transición;EU, NOP;;sí\r\n"));
	/* Formulas are neutralised. */
	assert_non_null(strstr(r.body, "40000003;\"'@SUM(A1)\";\"'=1+1\";M;"));
	assert_null(strstr(r.body, ";=1+1"));
	response_free(&r);

	/* Same filters as the list. */
	session_call(
	    f, &s, "GET", "/api/v1/producers.csv?status=transition", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "40000002"));
	assert_null(strstr(r.body, JUAN_DNI));
	response_free(&r);
}

/* A Latin-1 file as Excel saves it on Windows in a Spanish locale. */
static void
test_csv_import_latin1(void **state)
{
	static const char file[] =
	    "DNI;Apellidos;Nombres;Sexo;Caser\xEDo;Estado;Programas\r\n"
	    "42345678;\xD1"
	    "aupari Huam\xE1n;Mar\xED"
	    "a;F;El Para\xEDso;"
	    "org\xE1nico;EU\r\n"
	    "7654321;Castillo;Jos\xE9;M;Laurel;convencional;\r\n"
	    ";;;;;;\r\n";
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct response r;

	post_csv(f, &s, "/api/v1/producers/import", file, strlen(file), &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "created")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "updated")), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "rows")), 2);
	response_free(&r);

	session_call(
	    f, &s, "GET", "/api/v1/producers/by-dni/42345678", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "last_names"), "Ñaupari Huamán");
	assert_string_equal(str(&r, "first_names"), "María");
	assert_string_equal(str(&r, "caserio"), "El Paraíso");
	assert_string_equal(str(&r, "status"), "organic");
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(r.json, "programs"), 0)),
	    "EU");
	response_free(&r);
	/* Excel dropped the leading zero; the DNI gets it back. */
	session_call(
	    f, &s, "GET", "/api/v1/producers/by-dni/07654321", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(&r, "first_names"), "José");
	response_free(&r);
	/* Found by name without the Ñ. */
	session_call(f, &s, "GET", "/api/v1/producers?q=naupari", NULL, &r);
	assert_true(list_has(&r, "dni", "42345678"));
	response_free(&r);
}

static void
test_csv_import_bad_lines_write_nothing(void **state)
{
	static const char file[] =
	    "DNI,Apellidos,Nombres,Sexo,Estado,Programas\n"
	    "43000001,Rojas,Luis,M,organico,EU\n"
	    "4300000X,Rojas,Ana,F,organico,EU\n"
	    "43000003,Rojas,Eva,F,conventional,\n"
	    "43000004,Rojas,Leo,X,organico,\n"
	    "43000001,Rojas,Luis,M,organico,EU\n";
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct response r;
	size_t before = count_items(f, &s, "/api/v1/producers?limit=500");

	post_csv(f, &s, "/api/v1/producers/import", file, strlen(file), &r);
	assert_int_equal(r.status, 422);
	assert_string_equal(response_code(&r), "unprocessable");
	assert_true(has_error(&r, 3, "dni", "invalid"));
	assert_true(has_error(&r, 5, "sex", "invalid"));
	assert_true(has_error(&r, 5, "programs", "required_for_organic"));
	assert_true(has_error(&r, 6, "dni", "duplicate_in_file"));
	assert_false(has_error(&r, 2, NULL, NULL));
	assert_false(has_error(&r, 4, NULL, NULL));
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_array_get(json_object_get(r.json, "errors"), 0),
	        "column")),
	    1);
	response_free(&r);

	assert_int_equal(
	    count_items(f, &s, "/api/v1/producers?limit=500"), before);
	session_call(
	    f, &s, "GET", "/api/v1/producers/by-dni/43000001", NULL, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);

	/* The header is checked before any row. */
	post_csv(f, &s, "/api/v1/producers/import",
	    "DNI;Apellido;Nombres\r\n1;2;3\r\n", 29, &r);
	assert_int_equal(r.status, 422);
	assert_true(has_error(&r, 1, NULL, "unknown_column"));
	assert_true(has_error(&r, 1, "last_names", "missing_column"));
	assert_true(has_error(&r, 1, "status", "missing_column"));
	response_free(&r);

	/* Only CSV. */
	session_call(f, &s, "POST", "/api/v1/producers/import", "{}", &r);
	assert_int_equal(r.status, 415);
	response_free(&r);
}

static void
test_csv_import_file_problems(void **state)
{
	static const char header[] = "DNI;Apellidos;Nombres;Sexo;Estado\r\n";
	static const char bad_row[] = "X;A;B;F;convencional\r\n";
	static const char utf16[] = "\xFF\xFE"
	                            "D\0N\0I\0";
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct response r;
	char *file;
	size_t i, len = 0;

	post_csv(f, &s, "/api/v1/producers/import", "", 0, &r);
	assert_int_equal(r.status, 422);
	assert_true(has_error(&r, 1, NULL, "empty_file"));
	response_free(&r);

	post_csv(
	    f, &s, "/api/v1/producers/import", utf16, sizeof(utf16) - 1, &r);
	assert_int_equal(r.status, 422);
	assert_true(has_error(&r, 0, NULL, "encoding"));
	response_free(&r);

	post_csv(f, &s, "/api/v1/producers/import",
	    "DNI;Apellidos;Nombres;Sexo;Estado\r\n"
	    "44000001;\"Sin cerrar;Ana;F;convencional\r\n",
	    strlen("DNI;Apellidos;Nombres;Sexo;Estado\r\n"
	           "44000001;\"Sin cerrar;Ana;F;convencional\r\n"),
	    &r);
	assert_int_equal(r.status, 422);
	assert_true(has_error(&r, 2, NULL, "malformed"));
	response_free(&r);

	/* Every line is checked; the first 200 problems are listed. */
	file = malloc(sizeof(header) + 250 * sizeof(bad_row));
	assert_non_null(file);
	memcpy(file, header, sizeof(header) - 1);
	len = sizeof(header) - 1;
	for (i = 0; i < 250; i++) {
		memcpy(file + len, bad_row, sizeof(bad_row) - 1);
		len += sizeof(bad_row) - 1;
	}
	post_csv(f, &s, "/api/v1/producers/import", file, len, &r);
	free(file);
	assert_int_equal(r.status, 422);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "errors")), 200);
	assert_true(has_error(&r, 201, "dni", "invalid"));
	assert_false(has_error(&r, 202, NULL, NULL));
	response_free(&r);
}

static void
test_csv_round_trip_and_reimport(void **state)
{
	static const char change[] =
	    "DNI;Apellidos;Nombres;Sexo;Estado;Programas;Tel\xE9"
	    "fono\r\n"
	    "8754611;P\xE9rez Vargas;Juan;M;org\xE1nico;EU;976999888\r\n";
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct session a = login_as(f, TU_A_ADMIN);
	struct response r, exp;
	size_t before = count_items(f, &s, "/api/v1/producers?limit=500");
	char audit[4096];
	json_int_t total;
	size_t creates;
	int updates = audit_last(f, "producer.update", audit, sizeof(audit));
	const char *p;

	/* Export, then import the very same file: nothing changes. */
	session_call(f, &s, "GET", "/api/v1/producers.csv", NULL, &exp);
	assert_int_equal(exp.status, 200);
	post_csv(f, &s, "/api/v1/producers/import", exp.body, exp.body_len, &r);
	assert_int_equal(r.status, 200);
	total = json_integer_value(json_object_get(r.json, "rows"));
	assert_int_equal(total, (json_int_t)before);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "unchanged")), total);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "created")), 0);
	response_free(&r);
	response_free(&exp);

	/* An edited file updates instead of duplicating. */
	post_csv(f, &s, "/api/v1/producers/import", change, strlen(change), &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "created")), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "updated")), 1);
	response_free(&r);
	assert_int_equal(
	    count_items(f, &s, "/api/v1/producers?limit=500"), before);
	session_call(
	    f, &s, "GET", "/api/v1/producers/by-dni/" JUAN_DNI, NULL, &r);
	assert_string_equal(str(&r, "phone"), "976999888");
	assert_string_equal(str(&r, "caserio"), "La Palma"); /* not a column */
	response_free(&r);

	/* One audit event per producer created or changed, none for the
	 * unchanged ones. */
	session_call(f, &a, "GET", "/api/v1/audit?limit=1000", NULL, &r);
	for (creates = 0, p = r.body; (p = strstr(p, "\"producer.create\""));
	     p++)
		creates++;
	assert_int_equal(creates, before);
	response_free(&r);
	assert_int_equal(audit_last(f, "producer.update", audit, sizeof(audit)),
	    updates + 1);
	assert_non_null(strstr(audit, "976123456"));
	assert_non_null(strstr(audit, "976999888"));
}

static void
test_plots_import_and_export(void **state)
{
	static const char file[] =
	    "DNI productor;Parcela;\xC1rea (ha);Variedad;Latitud;Longitud\r\n"
	    "08754611;La Perla;1;Caturra;-5.703125;-78.812345\r\n"
	    "08754611;El Naranjo;2,5;Bourbon;-5,710001;-78,820002\r\n";
	static const char bad[] =
	    "DNI productor;Parcela;\xC1rea (ha);Latitud;Longitud\r\n"
	    "49999999;Sin Due\xF1o;1;-5.703125;-78.812345\r\n"
	    "08754611;Norte;6;-5.703125;-78.812345\r\n"
	    "08754611;Sur;1;-5.7031;\r\n";
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct response r, exp;
	char path[96];
	size_t before;

	post_csv(f, &s, "/api/v1/plots/import", file, strlen(file), &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "created")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "updated")) +
	        json_integer_value(json_object_get(r.json, "unchanged")),
	    1);
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/plots?producer_id=%lld",
	    (long long)juan_id);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_true(list_has(&r, "name", "El Naranjo"));
	assert_true(list_has(&r, "area_ha", "2.5000"));
	response_free(&r);

	before = count_items(f, &s, "/api/v1/plots?limit=500");
	post_csv(f, &s, "/api/v1/plots/import", bad, strlen(bad), &r);
	assert_int_equal(r.status, 422);
	assert_true(has_error(&r, 2, "producer_dni", "not_found"));
	assert_true(has_error(&r, 3, "location", "polygon_required"));
	assert_true(has_error(&r, 4, "location", "incomplete"));
	response_free(&r);
	assert_int_equal(count_items(f, &s, "/api/v1/plots?limit=500"), before);

	/* The export imports back unchanged, polygons included. */
	session_call(f, &s, "GET", "/api/v1/plots.csv", NULL, &exp);
	assert_int_equal(exp.status, 200);
	assert_non_null(strstr(exp.body,
	    "DNI productor;Productor;Parcela;Área (ha);Cultivo;Variedad;"
	    "Altitud (m);Latitud;Longitud;GeoJSON;Notas de riesgo;Activo\r\n"));
	assert_non_null(strstr(exp.body, "\"{\"\"type\"\":\"\"Polygon\"\""));
	post_csv(f, &s, "/api/v1/plots/import", exp.body, exp.body_len, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "created")), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "updated")), 0);
	assert_int_equal(json_integer_value(json_object_get(r.json, "rows")),
	    (json_int_t)before);
	response_free(&r);
	response_free(&exp);
}

static void
test_auditor_reads_but_cannot_write(void **state)
{
	struct fixture *f = *state;
	struct session aud = login_as(f, TU_C_AUDITOR);
	struct session aud2 = login_as(f, TU_C_AUDITOR2);
	struct response r;
	char path[96], h[64];

	session_call(f, &aud, "GET", "/api/v1/producers", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(list_has(&r, "dni", JUAN_DNI));
	response_free(&r);
	snprintf(
	    path, sizeof(path), "/api/v1/producers/%lld", (long long)juan_id);
	session_call(f, &aud, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	session_call(f, &aud, "GET", "/api/v1/lpa?campaign=2017", NULL, &r);
	assert_true(list_has(&r, "dni", JUAN_DNI));
	response_free(&r);

	snprintf(h, sizeof(h), "If-Match: \"%lld.1\"", (long long)juan_id);
	session_call_h(f, &aud, "PATCH", path, "{\"phone\":\"1\"}", h, &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(response_code(&r), "forbidden");
	response_free(&r);
	session_call(f, &aud, "POST", "/api/v1/producers", "{}", &r);
	assert_int_equal(r.status, 403);
	response_free(&r);
	post_csv(f, &aud, "/api/v1/producers/import", "DNI\r\n", 5, &r);
	assert_int_equal(r.status, 403);
	response_free(&r);

	/* Without a grant: nothing. */
	session_call(f, &aud2, "GET", "/api/v1/producers", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, JUAN_DNI));
	response_free(&r);
	session_call(f, &aud2, "GET", path, NULL, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);
}

static void
test_outsider_sees_nothing(void **state)
{
	static const char *const paths[] = { "/api/v1/producers?limit=500",
		"/api/v1/producers?q=0875", "/api/v1/producers?q=perez",
		"/api/v1/producers.csv", "/api/v1/plots?limit=500",
		"/api/v1/plots.csv", "/api/v1/lpa?campaign=2017",
		"/api/v1/lpa.csv?campaign=2017", "/api/v1/certifications",
		NULL };
	struct fixture *f = *state;
	struct session d = login_as(f, TU_D_ADMIN);
	struct response r;
	char path[96], body[160];
	size_t i;

	for (i = 0; paths[i] != NULL; i++) {
		session_call(f, &d, "GET", paths[i], NULL, &r);
		assert_int_equal(r.status, 200);
		assert_null(strstr(r.body, JUAN_DNI));
		assert_null(strstr(r.body, "La Perla"));
		assert_null(strstr(r.body, "PE-BIO-149"));
		response_free(&r);
	}
	snprintf(
	    path, sizeof(path), "/api/v1/producers/%lld", (long long)juan_id);
	session_call(f, &d, "GET", path, NULL, &r);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, JUAN_DNI));
	response_free(&r);
	snprintf(
	    path, sizeof(path), "/api/v1/plots/%lld", (long long)juan_plot_id);
	session_call(f, &d, "GET", path, NULL, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);
	session_call(
	    f, &d, "GET", "/api/v1/producers/by-dni/" JUAN_DNI, NULL, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);

	/* Naming A's producer in a body gets nowhere either. */
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"name\":\"Robada\",\"area_ha\":\"1\"}",
	    (long long)juan_id);
	session_call(f, &d, "POST", "/api/v1/plots", body, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "producer_id", "not_found"));
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"campaign\":2017,\"producer_id\":%lld,"
	    "\"approved_on\":\"2017-03-01\"}",
	    (long long)juan_id);
	session_call(f, &d, "POST", "/api/v1/lpa", body, &r);
	assert_int_equal(r.status, 400);
	assert_true(has_error(&r, 0, "producer_id", "not_found"));
	response_free(&r);

	/* Nor can D attach plots to A's producer through its DNI. */
	post_csv(f, &d, "/api/v1/plots/import",
	    "DNI productor;Parcela;\xC1rea (ha)\r\n08754611;La Perla;1\r\n",
	    strlen("DNI productor;Parcela;\xC1rea (ha)\r\n"
	           "08754611;La Perla;1\r\n"),
	    &r);
	assert_int_equal(r.status, 422);
	assert_true(has_error(&r, 2, "producer_dni", "not_found"));
	response_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_producer_create_get_search),
		cmocka_unit_test(test_producer_patch_if_match),
		cmocka_unit_test(test_producer_validation_and_duplicates),
		cmocka_unit_test(test_plot_geometry),
		cmocka_unit_test(test_plot_estimates),
		cmocka_unit_test(test_certifications),
		cmocka_unit_test(test_lpa),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_csv_export),
		cmocka_unit_test(test_csv_import_latin1),
		cmocka_unit_test(test_csv_import_bad_lines_write_nothing),
		cmocka_unit_test(test_csv_import_file_problems),
		cmocka_unit_test(test_csv_round_trip_and_reimport),
		cmocka_unit_test(test_plots_import_and_export),
		cmocka_unit_test(test_auditor_reads_but_cannot_write),
		cmocka_unit_test(test_outsider_sees_nothing),
	};

	return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
