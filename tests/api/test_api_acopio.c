/*
 * The acopio documents over real HTTP: the guide's worked example to the
 * digit (ticket 8727, nota 10685, liquidación 34795), and every rule of
 * the stage with its refusal.  The registry rows the rules read are seeded
 * directly in SQL so these tests depend only on the documents' API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/db.h"
#include "pergamino/log.h"

static int64_t p_juan, p_pedro, p_marco, p_nolpa, plot_perla;

/* Cooperative A's registry: the guide's producer and three others. */
static const char seed_sql[] =
    "INSERT INTO producers (id, organization_id, dni, first_names,"
    " last_names, sex, caserio, district, province, region, address,"
    " status, programs, created_at) VALUES"
    " (101, ?A, '08754611', 'Juan', 'Pérez Vargas', 'M', 'La Palma',"
    "  'San Ignacio', 'San Ignacio', 'Cajamarca',"
    "  'Caserío Laurel Mz N - San Ignacio', 'organic', '[\"EU\"]', 0),"
    " (102, ?A, '40112233', 'Pedro', 'Suárez', 'M', 'Laurel', '', '', '',"
    "  '', 'transition', '[\"EU\"]', 0),"
    " (103, ?A, '40112234', 'Marco', 'Suárez', 'M', 'Laurel', '', '', '',"
    "  '', 'conventional', '[]', 0),"
    " (104, ?A, '40112235', 'Olivia', 'Duarte', 'F', 'Laurel', '', '', '',"
    "  '', 'organic', '[\"EU\"]', 0);"
    "INSERT INTO plots (id, organization_id, producer_id, name, area_m2,"
    " created_at) VALUES (201, ?A, 101, 'La Perla', 10000, 0);"
    "INSERT INTO plot_estimates VALUES (?A, 201, 2017, 1000000);"
    "INSERT INTO certifications (organization_id, certifier, program, code,"
    " valid_from, valid_to, created_at) VALUES (?A, 'Organic World', 'EU',"
    " 'CU835641', '2017-01-01', '2017-12-31', 0);"
    "INSERT INTO lpa_entries (organization_id, campaign, producer_id,"
    " approved_on, approved_by) VALUES (?A, 2017, 101, '2017-01-15', ?U),"
    " (?A, 2018, 101, '2018-01-15', ?U), (?A, 2017, 102, '2017-01-15', ?U);";

static int
setup(void **state)
{
	struct fixture *f;
	struct db *db = NULL;
	char sql[sizeof(seed_sql) + 256], a[24], u[24];
	const char *s;
	size_t n = 0;

	if (harness_setup(state) != 0)
		return -1;
	f = *state;
	snprintf(a, sizeof(a), "%lld", (long long)f->org_a);
	snprintf(u, sizeof(u), "%lld", (long long)f->users[TU_A_ADMIN].id);
	/* Substitute ?A and ?U (our own integers) into the seed. */
	for (s = seed_sql; *s != '\0' && n + 24 < sizeof(sql); s++) {
		if (s[0] == '?' && (s[1] == 'A' || s[1] == 'U')) {
			n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s",
			    s[1] == 'A' ? a : u);
			s++;
		} else {
			sql[n++] = *s;
		}
	}
	sql[n] = '\0';
	if (harness_db(f, &db) != 0)
		return -1;
	if (sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "seed: %s\n", sqlite3_errmsg(db_handle(db)));
		db_close(db);
		return -1;
	}
	db_close(db);
	p_juan = 101;
	p_pedro = 102;
	p_marco = 103;
	p_nolpa = 104;
	plot_perla = 201;
	return 0;
}

static struct session
as(struct fixture *f, enum test_user u)
{
	struct session s;

	assert_int_equal(
	    session_login(f, f->users[u].username, TEST_PASSWORD, &s), 200);
	return s;
}

static const char *
str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v != NULL ? v : "(null)";
}

static const char *
first_error_code(struct response *r)
{
	return str(
	    json_array_get(json_object_get(r->json, "errors"), 0), "code");
}

/* POST a reception; body printf-style with the producer id first. */
static void
receive(
    struct fixture *f, struct session *s, const char *body, struct response *r)
{
	session_call(f, s, "POST", "/api/v1/receptions", body, r);
}

static void
test_numbering_continues_paper(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_ADMIN);
	static const char *const starts[] = {
		"{\"doc_type\":\"reception\",\"next_number\":8727}",
		"{\"doc_type\":\"warehouse_note\",\"next_number\":10685}",
		"{\"doc_type\":\"purchase_settlement\",\"next_number\":34795}",
		NULL
	};
	struct response r;
	size_t i;

	for (i = 0; starts[i] != NULL; i++) {
		session_call(f, &s, "POST", "/api/v1/numbering", starts[i], &r);
		assert_int_equal(r.status, 200);
		response_free(&r);
	}
}

static void
test_guide_example_to_the_digit(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct response r;
	char body[1024];
	json_t *sample;
	json_int_t rid, nid;

	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"plot_id\":%lld,\"issued_on\":"
	    "\"2017-06-10\",\"delivery_code\":\"E01-17\",\"status\":"
	    "\"organic\",\"sacks\":7,\"gross_kg\":\"474\",\"tare_kg\":1.4,"
	    "\"sample_g\":300,\"exportable_g\":204,\"discard_g\":36,"
	    "\"husk_g\":60,\"humidity\":\"12.5\",\"observations\":"
	    "\"Ninguna\",\"weighed_by\":\"Responsable de pesado\"}",
	    (long long)p_juan, (long long)plot_perla);
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 201);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "number")), 8727);
	assert_string_equal(str(r.json, "net_kg"), "472.600");
	assert_string_equal(str(r.json, "gross_kg"), "474.000");
	assert_string_equal(str(r.json, "tare_kg"), "1.400");
	assert_string_equal(str(r.json, "qq"), "8.56");
	assert_string_equal(str(r.json, "humidity"), "12.5");
	sample = json_object_get(r.json, "sample");
	assert_string_equal(str(sample, "exportable_pct"), "68.00");
	assert_string_equal(str(sample, "discard_pct"), "12.00");
	assert_string_equal(str(sample, "husk_pct"), "20.00");
	assert_string_equal(
	    str(json_object_get(r.json, "producer"), "full_name"),
	    "Juan Pérez Vargas");
	assert_string_equal(
	    str(json_object_get(r.json, "organization"), "name"),
	    "Cooperativa A");
	assert_false(json_is_true(json_object_get(r.json, "over_estimate")));
	rid = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);

	snprintf(body, sizeof(body),
	    "{\"reception_id\":%lld,\"issued_on\":\"2017-06-10\","
	    "\"price_per_qq\":\"412.00\",\"observations\":\"Ninguna\"}",
	    (long long)rid);
	session_call(f, &s, "POST", "/api/v1/warehouse-notes", body, &r);
	assert_int_equal(r.status, 201);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "number")), 10685);
	assert_string_equal(str(r.json, "total"), "3526.72");
	assert_string_equal(str(r.json, "yield_pct"), "68.00");
	assert_string_equal(str(r.json, "price_per_qq"), "412.00");
	assert_string_equal(str(r.json, "certifier"), "Organic World");
	assert_string_equal(str(r.json, "certification_program"), "EU");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(r.json, "reception"), "number")),
	    8727);
	assert_false(json_is_true(json_object_get(r.json, "with_settlement")));
	nid = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);

	snprintf(body, sizeof(body),
	    "{\"note_id\":%lld,\"issued_on\":\"2017-06-10\","
	    "\"place_of_sale\":\"San Ignacio - Cajamarca\"}",
	    (long long)nid);
	session_call(f, &s, "POST", "/api/v1/purchase-settlements", body, &r);
	assert_int_equal(r.status, 201);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "number")), 34795);
	assert_string_equal(str(r.json, "qq"), "8.56");
	assert_string_equal(str(r.json, "net_kg"), "472.600");
	assert_string_equal(str(r.json, "humidity"), "12.5");
	assert_string_equal(str(r.json, "price_per_qq"), "412.00");
	assert_string_equal(str(r.json, "subtotal"), "3526.72");
	assert_string_equal(str(r.json, "igv"), "0.00");
	assert_string_equal(str(r.json, "total"), "3526.72");
	assert_string_equal(str(r.json, "quality"), "Café pergamino orgánico");
	assert_string_equal(str(r.json, "amount_words"),
	    "Tres mil quinientos veintiseis y 72/100 soles");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(r.json, "note"), "number")),
	    10685);
	assert_string_equal(
	    str(json_object_get(r.json, "producer"), "dni"), "08754611");
	response_free(&r);

	/* A later change in the registry does not rewrite what was issued. */
	{
		struct db *db = NULL;

		assert_int_equal(harness_db(f, &db), 0);
		assert_int_equal(sqlite3_exec(db_handle(db),
		                     "UPDATE producers SET last_names = 'Otro'"
		                     " WHERE id = 101;"
		                     "UPDATE organizations SET phone = '000'"
		                     " WHERE ruc = '20427376983'",
		                     NULL, NULL, NULL),
		    SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(db_handle(db),
		                         "UPDATE receptions SET parties = '{}'"
		                         " WHERE number = 8727",
		                         NULL, NULL, NULL),
		    SQLITE_OK);
		db_close(db);
	}
	session_call(f, &s, "GET", "/api/v1/receptions?number=8727", NULL, &r);
	assert_string_equal(
	    str(json_object_get(
	            json_array_get(json_object_get(r.json, "items"), 0),
	            "producer"),
	        "full_name"),
	    "Juan Pérez Vargas");
	response_free(&r);
	{
		struct db *db = NULL;

		assert_int_equal(harness_db(f, &db), 0);
		assert_int_equal(sqlite3_exec(db_handle(db),
		                     "UPDATE producers SET last_names = "
		                     "'Pérez Vargas' WHERE id = 101",
		                     NULL, NULL, NULL),
		    SQLITE_OK);
		db_close(db);
	}

	/* The note now shows "café con liquidación". */
	snprintf(
	    body, sizeof(body), "/api/v1/warehouse-notes/%lld", (long long)nid);
	session_call(f, &s, "GET", body, NULL, &r);
	assert_true(json_is_true(json_object_get(r.json, "with_settlement")));
	response_free(&r);
}

static void
test_organic_eligibility_rules(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct response r;
	char body[600];
	static const char tmpl[] =
	    "{\"producer_id\":%lld,\"issued_on\":\"%s\",\"status\":\"%s\","
	    "\"sacks\":2,\"gross_kg\":\"100\",\"tare_kg\":\"0.4\","
	    "\"humidity\":\"12.0\"}";

	/* Not on the LPA: refused as organic, accepted as conventional. */
	snprintf(body, sizeof(body), tmpl, (long long)p_nolpa, "2017-06-11",
	    "organic");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 422);
	assert_string_equal(first_error_code(&r), "not_on_lpa");
	response_free(&r);
	snprintf(body, sizeof(body), tmpl, (long long)p_nolpa, "2017-06-11",
	    "conventional");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(str(r.json, "status"), "conventional");
	response_free(&r);

	/* In transition: never organic; transition is accepted. */
	snprintf(body, sizeof(body), tmpl, (long long)p_pedro, "2017-06-11",
	    "organic");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 422);
	assert_string_equal(first_error_code(&r), "producer_in_transition");
	response_free(&r);
	snprintf(body, sizeof(body), tmpl, (long long)p_pedro, "2017-06-11",
	    "transition");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 201);
	response_free(&r);

	/* A conventional producer cannot deliver organic. */
	snprintf(body, sizeof(body), tmpl, (long long)p_marco, "2017-06-11",
	    "organic");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 422);
	assert_string_equal(first_error_code(&r), "producer_conventional");
	response_free(&r);

	/* On the 2018 LPA, but the certificate expired at the end of 2017. */
	snprintf(body, sizeof(body), tmpl, (long long)p_juan, "2018-06-10",
	    "organic");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 422);
	assert_string_equal(first_error_code(&r), "certification_invalid");
	response_free(&r);

	/* Another organization's producer does not exist for A. */
	snprintf(body, sizeof(body), tmpl, (long long)99999, "2017-06-11",
	    "conventional");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 422);
	response_free(&r);
}

static void
test_weighing_and_sample_validation(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct response r;
	char body[600];
	static const struct {
		const char *extra;
		long status;
		const char *field;
	} cases[] = {
		{ "\"sacks\":0,\"gross_kg\":\"10\",\"tare_kg\":\"1\"", 400,
		    "sacks" },
		{ "\"sacks\":1,\"gross_kg\":\"10\",\"tare_kg\":\"10\"", 400,
		    "tare_kg" },
		{ "\"sacks\":1,\"gross_kg\":\"10\",\"tare_kg\":\"11\"", 400,
		    "tare_kg" },
		{ "\"sacks\":1,\"gross_kg\":\"10.1234\",\"tare_kg\":\"1\"", 400,
		    "gross_kg" },
		{ "\"sacks\":1,\"gross_kg\":\"-10\",\"tare_kg\":\"1\"", 400,
		    "gross_kg" },
		{ "\"sacks\":1,\"gross_kg\":\"1e3\",\"tare_kg\":\"1\"", 400,
		    "gross_kg" },
		{ "\"sacks\":1,\"gross_kg\":\"10\",\"tare_kg\":\"1\","
		  "\"sample_g\":300,\"exportable_g\":204,\"discard_g\":36,"
		  "\"husk_g\":59",
		    400, "sample_g" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(body, sizeof(body),
		    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-12\","
		    "\"status\":\"conventional\",\"humidity\":\"12\",%s}",
		    (long long)p_marco, cases[i].extra);
		receive(f, &s, body, &r);
		if (r.status != cases[i].status ||
		    strcmp(str(json_array_get(
		                   json_object_get(r.json, "errors"), 0),
		               "field"),
		        cases[i].field) != 0)
			fail_msg("case %zu: %ld %s", i, r.status, r.body);
		response_free(&r);
	}
}

static void
test_humidity_policy(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct session admin = as(f, TU_A_ADMIN);
	struct response r;
	char body[600];
	static const char tmpl[] =
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-13\",\"status\":"
	    "\"conventional\",\"sacks\":1,\"gross_kg\":\"50\",\"tare_kg\":"
	    "\"0.2\",\"humidity\":\"%s\"%s}";

	snprintf(body, sizeof(body), tmpl, (long long)p_marco, "14.0", "");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 422);
	assert_string_equal(
	    first_error_code(&r), "humidity_confirmation_required");
	response_free(&r);
	snprintf(body, sizeof(body), tmpl, (long long)p_marco, "14.0",
	    ",\"confirm_humidity\":true");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 201);
	assert_true(json_is_true(json_object_get(r.json, "humidity_warning")));
	response_free(&r);
	snprintf(body, sizeof(body), tmpl, (long long)p_marco, "100.1", "");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 400);
	response_free(&r);

	/* With the refuse policy, confirming does not help. */
	{
		struct db *db = NULL;
		char sql[160];

		assert_int_equal(harness_db(f, &db), 0);
		snprintf(sql, sizeof(sql),
		    "INSERT INTO org_settings (organization_id,"
		    " humidity_policy) VALUES (%lld, 'refuse')",
		    (long long)f->org_a);
		assert_int_equal(
		    sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL),
		    SQLITE_OK);
		db_close(db);
	}
	snprintf(body, sizeof(body), tmpl, (long long)p_marco, "14.0",
	    ",\"confirm_humidity\":true");
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 422);
	assert_string_equal(first_error_code(&r), "humidity_refused");
	response_free(&r);
	(void)admin;
}

static void
test_plausibility_flag(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct response r;
	char body[600];

	/* Estimate 1 000 kg, tolerance 10 %: 472.6 + 700 > 1 100. */
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-07-01\",\"status\":"
	    "\"organic\",\"sacks\":9,\"gross_kg\":\"701\",\"tare_kg\":"
	    "\"1\",\"humidity\":\"12\"}",
	    (long long)p_juan);
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 201);
	assert_true(json_is_true(json_object_get(r.json, "over_estimate")));
	response_free(&r);
	session_call(f, &s, "GET", "/api/v1/receptions?flagged=1", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"over_estimate\":true"));
	assert_null(strstr(r.body, "\"number\":8727"));
	response_free(&r);
}

static void
test_one_note_one_settlement_and_annul_order(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct response r;
	char body[600], path[96];
	json_int_t rid, nid, sid, rnum;

	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-14\",\"status\":"
	    "\"conventional\",\"sacks\":3,\"gross_kg\":\"200\",\"tare_kg\":"
	    "\"0.6\",\"humidity\":\"12\"}",
	    (long long)p_marco);
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 201);
	rid = json_integer_value(json_object_get(r.json, "id"));
	rnum = json_integer_value(json_object_get(r.json, "number"));
	response_free(&r);

	snprintf(body, sizeof(body),
	    "{\"reception_id\":%lld,\"issued_on\":\"2017-06-14\","
	    "\"price_per_qq\":\"380\"}",
	    (long long)rid);
	session_call(f, &s, "POST", "/api/v1/warehouse-notes", body, &r);
	assert_int_equal(r.status, 201);
	nid = json_integer_value(json_object_get(r.json, "id"));
	assert_string_equal(str(r.json, "certifier"), "");
	response_free(&r);
	session_call(f, &s, "POST", "/api/v1/warehouse-notes", body, &r);
	assert_int_equal(r.status, 409);
	assert_string_equal(first_error_code(&r), "already_has_note");
	response_free(&r);

	snprintf(body, sizeof(body),
	    "{\"note_id\":%lld,\"issued_on\":\"2017-06-13\"}", (long long)nid);
	session_call(f, &s, "POST", "/api/v1/purchase-settlements", body, &r);
	assert_int_equal(r.status, 422); /* before the note */
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"note_id\":%lld,\"issued_on\":\"2017-06-14\"}", (long long)nid);
	session_call(f, &s, "POST", "/api/v1/purchase-settlements", body, &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(
	    str(r.json, "quality"), "Café pergamino convencional");
	sid = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	session_call(f, &s, "POST", "/api/v1/purchase-settlements", body, &r);
	assert_int_equal(r.status, 409);
	response_free(&r);

	/* Annul order: settlement, then note, then reception. */
	snprintf(path, sizeof(path), "/api/v1/receptions/%lld/annul",
	    (long long)rid);
	session_call(
	    f, &s, "POST", path, "{\"reason\":\"Error de pesado\"}", &r);
	assert_int_equal(r.status, 409);
	assert_string_equal(first_error_code(&r), "has_live_dependent");
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/warehouse-notes/%lld/annul",
	    (long long)nid);
	session_call(f, &s, "POST", path, "{\"reason\":\"Precio errado\"}", &r);
	assert_int_equal(r.status, 409);
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/purchase-settlements/%lld/annul",
	    (long long)sid);
	session_call(f, &s, "POST", path, "{}", &r);
	assert_int_equal(r.status, 400); /* a reason is required */
	response_free(&r);
	session_call(f, &s, "POST", path, "{\"reason\":\"Precio errado\"}", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(json_object_get(r.json, "annulled"), "reason"),
	    "Precio errado");
	response_free(&r);
	session_call(f, &s, "POST", path, "{\"reason\":\"otra vez\"}", &r);
	assert_int_equal(r.status, 409);
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/warehouse-notes/%lld/annul",
	    (long long)nid);
	session_call(f, &s, "POST", path, "{\"reason\":\"Precio errado\"}", &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	/* The reception can have a new note now; then it is annulled. */
	snprintf(path, sizeof(path), "/api/v1/receptions/%lld/annul",
	    (long long)rid);
	session_call(
	    f, &s, "POST", path, "{\"reason\":\"Error de pesado\"}", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "number")), rnum);
	response_free(&r);

	/* An annulled reception takes no note; numbers are never reused. */
	snprintf(body, sizeof(body),
	    "{\"reception_id\":%lld,\"issued_on\":\"2017-06-14\","
	    "\"price_per_qq\":\"380\"}",
	    (long long)rid);
	session_call(f, &s, "POST", "/api/v1/warehouse-notes", body, &r);
	assert_int_equal(r.status, 409);
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-15\",\"status\":"
	    "\"conventional\",\"sacks\":3,\"gross_kg\":\"200\",\"tare_kg\":"
	    "\"0.6\",\"humidity\":\"12\"}",
	    (long long)p_marco);
	receive(f, &s, body, &r);
	assert_int_equal(r.status, 201);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "number")), rnum + 1);
	response_free(&r);
	session_call(f, &s, "GET", "/api/v1/receptions?annulled=1", NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	response_free(&r);
}

static void
test_idempotent_reception(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct response r1, r2;
	char body[600];

	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-16\",\"status\":"
	    "\"conventional\",\"sacks\":1,\"gross_kg\":\"60\",\"tare_kg\":"
	    "\"0.2\",\"humidity\":\"12\"}",
	    (long long)p_marco);
	session_call_h(f, &s, "POST", "/api/v1/receptions", body,
	    "Idempotency-Key: ticket-tablet-7-0042", &r1);
	session_call_h(f, &s, "POST", "/api/v1/receptions", body,
	    "Idempotency-Key: ticket-tablet-7-0042", &r2);
	assert_int_equal(r1.status, 201);
	assert_int_equal(r2.status, 201);
	assert_int_equal(json_integer_value(json_object_get(r1.json, "number")),
	    json_integer_value(json_object_get(r2.json, "number")));
	response_free(&r1);
	response_free(&r2);
}

static void
test_register_csv(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_ADMIN);
	struct response r;
	char buf[128];

	session_call(
	    f, &s, "GET", "/api/v1/receptions.csv?campaign=2017", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(r.body, "N.º ticket;Fecha;Campaña;DNI"));
	assert_non_null(strstr(r.body,
	    "8727;10/06/2017;2017;08754611;"
	    "Juan Pérez Vargas;La Palma;E01-17;"
	    "orgánico;7;474.000;1.400;472.600;"
	    "8.56;12.5;68.00;10685;Vigente\r\n"));
	assert_non_null(
	    strstr(response_header(&r, "Content-Disposition", buf, sizeof(buf)),
	        "registro-de-acopio.csv"));
	response_free(&r);

	session_call(f, &s, "GET",
	    "/api/v1/purchase-settlements.csv?producer_id=101", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body,
	    "10/06/2017;E01-17;472.600;8.56;"
	    "Café pergamino orgánico;34795;412.00;"
	    "3526.72;08754611"));
	response_free(&r);
}

static void
test_access(void **state)
{
	struct fixture *f = *state;
	struct session aud = as(f, TU_C_AUDITOR), out = as(f, TU_D_ADMIN);
	struct session plant = as(f, TU_B_CLERK), exp = as(f, TU_A_EXPORT);
	struct response r;
	char body[400];

	session_call(
	    f, &aud, "GET", "/api/v1/receptions?number=8727", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "08754611"));
	response_free(&r);
	session_call(f, &out, "GET", "/api/v1/receptions", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "08754611"));
	response_free(&r);
	session_call(
	    f, &out, "GET", "/api/v1/purchase-settlements.csv", NULL, &r);
	assert_null(strstr(r.body, "08754611"));
	response_free(&r);

	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-16\",\"status\":"
	    "\"conventional\",\"sacks\":1,\"gross_kg\":\"60\",\"tare_kg\":"
	    "\"0.2\",\"humidity\":\"12\"}",
	    (long long)p_marco);
	receive(f, &aud, body, &r);
	assert_int_equal(r.status, 403);
	response_free(&r);
	receive(f, &plant, body, &r);
	assert_int_equal(r.status, 403);
	response_free(&r);
	receive(f, &exp, body, &r);
	assert_int_equal(r.status, 403);
	response_free(&r);
	/* D's clerk-equivalent writes in D only: A's producer is unknown. */
	receive(f, &out, body, &r);
	assert_int_equal(r.status, 422);
	response_free(&r);
}

/* Lists show the latest documents first; ?order=asc reads in order. */
static void
test_list_order_and_paging(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_ADMIN);
	struct response r;
	char path[96];
	json_int_t first, second, last;

	session_call(f, &s, "GET", "/api/v1/receptions?limit=1", NULL, &r);
	assert_int_equal(r.status, 200);
	first = json_integer_value(json_object_get(
	    json_array_get(json_object_get(r.json, "items"), 0), "number"));
	snprintf(path, sizeof(path), "/api/v1/receptions?limit=1&cursor=%s",
	    str(r.json, "next_cursor"));
	response_free(&r);
	session_call(f, &s, "GET", path, NULL, &r);
	second = json_integer_value(json_object_get(
	    json_array_get(json_object_get(r.json, "items"), 0), "number"));
	response_free(&r);
	assert_true(first > second);
	session_call(
	    f, &s, "GET", "/api/v1/receptions?limit=1&order=asc", NULL, &r);
	last = json_integer_value(json_object_get(
	    json_array_get(json_object_get(r.json, "items"), 0), "number"));
	response_free(&r);
	assert_int_equal(last, 8727);
}

/* The access log names routes, never paths that carry a DNI. */
static void
test_access_log_has_no_dni(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct response r;
	char path[160], buf[8192];
	int saved, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/access.log", f->dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	log_set_quiet(0);
	session_call(
	    f, &s, "GET", "/api/v1/producers/by-dni/08754611", NULL, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	session_call(
	    f, &s, "GET", "/api/v1/receptions?producer_id=101", NULL, &r);
	response_free(&r);
	/*
	 * The access line is written when MHD reports the request complete,
	 * which can be just after the client has its answer: wait for both
	 * (the two requests may be on two workers, logged in either order).
	 */
	for (n = 0; n < 100; n++) {
		char peek[8192];
		int pfd = open(path, O_RDONLY);
		ssize_t got = pfd >= 0 ? read(pfd, peek, sizeof(peek) - 1) : 0;
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		if (pfd >= 0)
			close(pfd);
		if (got > 0) {
			peek[got] = '\0';
			if (strstr(peek, "\"/api/v1/receptions\"") != NULL &&
			    strstr(peek, "/by-dni/") != NULL)
				break;
		}
		nanosleep(&ts, NULL);
	}
	log_set_quiet(1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "/api/v1/producers/by-dni/{dni}"));
	assert_null(strstr(buf, "08754611"));
	assert_null(strstr(buf, "producer_id=101"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbering_continues_paper),
		cmocka_unit_test(test_guide_example_to_the_digit),
		cmocka_unit_test(test_organic_eligibility_rules),
		cmocka_unit_test(test_weighing_and_sample_validation),
		cmocka_unit_test(test_plausibility_flag),
		cmocka_unit_test(test_one_note_one_settlement_and_annul_order),
		cmocka_unit_test(test_idempotent_reception),
		cmocka_unit_test(test_register_csv),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_access_log_has_no_dni),
		cmocka_unit_test(test_list_order_and_paging),
		/* Last: it switches the humidity policy to refuse. */
		cmocka_unit_test(test_humidity_policy),
	};

	return cmocka_run_group_tests(tests, setup, harness_teardown);
}
