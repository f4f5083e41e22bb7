/*
 * The export stage over real HTTP: the guide's lot 004-17 with ICO mark
 * 30/861/1544 and its shipment as the demo loader issues them (golden
 * figures, packing list, weight note, certificate of transaction, the
 * kárdex closing against the shipment), allocation of LOP outputs up to
 * what is left, shipments within their lots, segregation, ICO marks
 * adopted or numbered and never reused, annulment order, the
 * certificate's missing items, visibility (the exporter and its auditor
 * only) and write permissions, and unhappy input that writes nothing.
 * The plant receipts the LOPs consume are seeded in SQL; orders and LOPs
 * go through the API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/db.h"
#include "pergamino/export.h"
#include "pergamino/process.h"

#define R_FULL 602 /* 23 400 kg organic EU: LOP 1205 */
#define R_CONV 608 /* 780 kg conventional */

/*
 * ?A, ?B: organizations; ?U a-admin, ?P b-admin.  The guide's receipt
 * 3052 (601) for the demo, another full one, a conventional one, and A's
 * EU certification of 2017.
 */
static const char seed_sql[] =
    "INSERT INTO dispatches (id, organization_id, number, issued_on,"
    " transfer_on, recipient_org_id, reason, lot_code, description, status,"
    " programs, sacks, declared_g, notes_sacks, notes_g, created_by,"
    " created_at) VALUES"
    " (501, ?A, 5469, '2017-06-23', '2017-06-23', ?B, 3, 'CO-2365',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 300, 23400000,"
    "  300, 23400000, ?U, 0),"
    " (502, ?A, 5470, '2017-06-26', '2017-06-26', ?B, 3, 'CO-2366',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 300, 23400000,"
    "  300, 23400000, ?U, 0),"
    " (508, ?A, 5475, '2017-06-26', '2017-06-26', ?B, 3, 'CO-2371',"
    "  'Café pergamino - convencional', 'conventional', '[]', 10, 780000,"
    "  10, 780000, ?U, 0);"
    "INSERT INTO plant_receipts (id, organization_id, number, issued_on,"
    " dispatch_id, client_org_id, product, status, programs, sacks,"
    " gross_g, tare_g, net_g, created_by, created_at) VALUES"
    " (601, ?B, 3052, '2017-06-24', 501, ?A, 'Café pergamino - orgánico',"
    "  'organic', '[\"EU\"]', 300, 23610000, 210000, 23400000, ?P, 0),"
    " (602, ?B, 3057, '2017-06-27', 502, ?A, 'Café pergamino - orgánico',"
    "  'organic', '[\"EU\"]', 300, 23610000, 210000, 23400000, ?P, 0),"
    " (608, ?B, 3063, '2017-06-27', 508, ?A,"
    "  'Café pergamino - convencional', 'conventional', '[]', 10, 787000,"
    "  7000, 780000, ?P, 0);"
    "INSERT INTO certifications (organization_id, certifier, program,"
    " code, valid_from, valid_to, created_at) VALUES (?A, 'Organic World',"
    " 'EU', 'CU835641', '2017-01-01', '2017-12-31', 0);";

/* Ids the tests pass on. */
static int64_t lop_1205, lop_conv, lot_x;

static void
seed_substitute(struct fixture *f, char *out, size_t cap)
{
	const char *s;
	size_t n = 0;
	int64_t x;

	for (s = seed_sql; *s != '\0' && n + 24 < cap; s++) {
		x = -1;
		if (s[0] == '?' && s[1] == 'A')
			x = f->org_a;
		else if (s[0] == '?' && s[1] == 'B')
			x = f->org_b;
		else if (s[0] == '?' && s[1] == 'U')
			x = f->users[TU_A_ADMIN].id;
		else if (s[0] == '?' && s[1] == 'P')
			x = f->users[TU_B_ADMIN].id;
		if (x >= 0) {
			n += (size_t)snprintf(
			    out + n, cap - n, "%lld", (long long)x);
			s++;
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
}

static int
setup(void **state)
{
	struct fixture *f;
	struct db *db = NULL;
	char sql[sizeof(seed_sql) + 512];
	enum err rc;

	if (harness_setup(state) != 0)
		return -1;
	f = *state;
	seed_substitute(f, sql, sizeof(sql));
	if (harness_db(f, &db) != 0)
		return -1;
	if (sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "seed: %s\n", sqlite3_errmsg(db_handle(db)));
		db_close(db);
		return -1;
	}
	/* The guide's story, as --demo loads it, to the shipment. */
	rc = demo_process_seed(db, f->org_a, f->users[TU_A_CLERK].id, f->org_b,
	    f->users[TU_B_CLERK].id);
	if (rc == ERR_OK)
		rc = demo_export_seed(db, f->org_a, f->users[TU_A_EXPORT].id);
	db_close(db);
	return rc == ERR_OK ? 0 : -1;
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

static json_int_t
num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static json_t *
first_error(struct response *r)
{
	return json_array_get(json_object_get(r->json, "errors"), 0);
}

static void
expect(struct response *r, long status, const char *code)
{
	if (r->status != status ||
	    (code != NULL && strcmp(str(first_error(r), "code"), code) != 0))
		fail_msg("want %ld %s, got %ld %s", status,
		    code != NULL ? code : "", r->status, r->body);
}

static void
expect_field(struct response *r, const char *field)
{
	if (strcmp(str(first_error(r), "field"), field) != 0)
		fail_msg("want field %s: %s", field, r->body);
}

static json_t *
only_item(struct response *r)
{
	json_t *items = json_object_get(r->json, "items");

	if (json_array_size(items) != 1)
		fail_msg("want one item: %s", r->body);
	return json_array_get(items, 0);
}

/* How many export lots and shipments exist (nothing-written checks). */
static int
count_rows(struct fixture *f, const char *table)
{
	struct db *db = NULL;
	sqlite3_stmt *st = NULL;
	char sql[96];
	int n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	assert_int_equal(harness_db(f, &db), 0);
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	db_close(db);
	return n;
}

static void
lot_post(struct fixture *f, struct session *s, const char *extra,
    const char *sources, struct response *r)
{
	char body[2048];

	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-29\",\"contract\":\"P17500\"%s%s,"
	    "\"sources\":[%s]}",
	    extra[0] != '\0' ? "," : "", extra, sources);
	session_call(f, s, "POST", "/api/v1/export-lots", body, r);
}

static void
shipment_post(struct fixture *f, struct session *s, const char *extra,
    const char *lots, struct response *r)
{
	char body[2048];

	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-07-10\",\"buyer_name\":\"Importer\"%s%s,"
	    "\"lots\":[%s]}",
	    extra[0] != '\0' ? "," : "", extra, lots);
	session_call(f, s, "POST", "/api/v1/shipments", body, r);
}

static void
check_demo_lot(json_t *lot)
{
	json_t *src = json_array_get(json_object_get(lot, "sources"), 0);
	json_t *sh = json_array_get(json_object_get(lot, "shipments"), 0);

	assert_string_equal(str(lot, "organic_lot"), "004-17");
	assert_string_equal(str(lot, "ico_mark"), "30/861/1544");
	assert_int_equal(num(json_object_get(lot, "ico"), "sequence"), 1544);
	assert_string_equal(str(lot, "contract"), "P17446");
	assert_string_equal(str(lot, "issued_on"), "2017-06-26");
	assert_string_equal(
	    str(lot, "preparation"), "Preparación a 10 defectos");
	assert_int_equal(num(lot, "defects"), 10);
	assert_string_equal(str(lot, "cup_score"), "83.00");
	assert_string_equal(str(lot, "status"), "organic");
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(lot, "programs"), 0)),
	    "EU");
	assert_int_equal(num(lot, "sacks"), 250);
	assert_string_equal(str(lot, "kilos"), "17250.000");
	assert_string_equal(str(lot, "qq"), "375.00");
	assert_string_equal(str(lot, "net_per_sack_kg"), "69.000");
	assert_non_null(strstr(str(lot, "marks"), "LOT No 004-17"));
	assert_string_equal(
	    str(json_object_get(lot, "organization"), "name"), "Cooperativa A");
	assert_int_equal(json_array_size(json_object_get(lot, "sources")), 1);
	assert_int_equal(num(src, "number"), 1204);
	assert_string_equal(str(src, "lot_code"), "LOP-1204");
	assert_string_equal(str(src, "issued_on"), "2017-06-25");
	assert_string_equal(str(src, "plant_name"), "Planta B");
	assert_string_equal(str(src, "category"), "export");
	assert_string_equal(str(src, "kilos"), "17250.000");
	assert_string_equal(str(sh, "invoice"), "001-000245");
	assert_string_equal(str(sh, "bl"), "HLCUPAI170712345");
	assert_string_equal(str(sh, "shipped_on"), "2017-07-05");
	assert_int_equal(num(json_object_get(lot, "shipped"), "sacks"), 250);
	assert_int_equal(num(json_object_get(lot, "available"), "sacks"), 0);
	assert_string_equal(
	    str(json_object_get(lot, "available"), "kilos"), "0.000");
	assert_true(json_is_null(json_object_get(lot, "annulled")));
}

static void
test_demo_lot_and_shipment(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_EXPORT);
	struct response r;
	json_t *sh, *x, *pl, *wn;
	char path[96];
	json_int_t id;

	session_call(f, &s, "GET", "/api/v1/export-lots?q=004-17", NULL, &r);
	assert_int_equal(r.status, 200);
	check_demo_lot(only_item(&r));
	id = num(only_item(&r), "id");
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/export-lots/%lld", (long long)id);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	check_demo_lot(r.json);
	response_free(&r);

	session_call(f, &s, "GET", "/api/v1/shipments?q=HLCUPAI", NULL, &r);
	assert_int_equal(r.status, 200);
	sh = only_item(&r);
	assert_string_equal(str(sh, "contract"), "P17446");
	assert_string_equal(str(sh, "buyer_country"), "DE");
	assert_string_equal(str(sh, "invoice_lot_ref"), "004-17");
	assert_string_equal(str(sh, "port_loading"), "Paita");
	assert_string_equal(str(sh, "port_destination"), "Hamburgo");
	assert_string_equal(str(sh, "shipped_on"), "2017-07-05");
	assert_int_equal(num(sh, "sacks"), 250);
	assert_string_equal(str(sh, "kilos"), "17250.000");
	assert_string_equal(str(sh, "gross_kg"), "17425.000");
	x = json_array_get(json_object_get(sh, "lots"), 0);
	assert_string_equal(str(x, "organic_lot"), "004-17");
	assert_string_equal(str(x, "ico_mark"), "30/861/1544");
	assert_int_equal(num(x, "sacks"), 250);
	pl = json_object_get(sh, "packing_list");
	x = json_array_get(json_object_get(pl, "lines"), 0);
	assert_int_equal(num(x, "sacks"), 250);
	assert_string_equal(str(x, "net_kg"), "17250.000");
	assert_string_equal(str(x, "gross_kg"), "17425.000");
	assert_non_null(strstr(str(x, "marks"), "30/861/1544"));
	wn = json_object_get(sh, "weight_note");
	assert_int_equal(num(wn, "sacks"), 250);
	assert_string_equal(str(wn, "gross_kg"), "17425.000");
	assert_string_equal(str(wn, "tare_kg"), "175.000");
	assert_string_equal(str(wn, "net_kg"), "17250.000");
	id = num(sh, "id");
	response_free(&r);

	/* Everything the certifier needs is there. */
	snprintf(path, sizeof(path),
	    "/api/v1/shipments/%lld/transaction-certificate", (long long)id);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	if (!json_is_true(json_object_get(r.json, "ready")))
		fail_msg("not ready: %s", r.body);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "missing")), 0);
	assert_string_equal(str(r.json, "invoice_number"), "001-000245");
	assert_string_equal(str(r.json, "bl_number"), "HLCUPAI170712345");
	assert_string_equal(
	    str(json_object_get(r.json, "exporter"), "ruc"), "20427376983");
	assert_string_equal(
	    str(json_array_get(json_object_get(r.json, "lots"), 0),
	        "organic_lot"),
	    "004-17");
	assert_true(json_is_true(json_object_get(
	    json_array_get(json_object_get(r.json, "certifications"), 0),
	    "valid_at_shipment")));
	response_free(&r);
}

/* The kárdex closes against the shipment; the plant sees no export data. */
static void
test_kardex_closes_against_shipments(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_EXPORT), b = as(f, TU_B_CLERK);
	struct response r;
	json_t *k, *row, *lot, *stock;
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/kardex?client_org_id=%lld",
	    (long long)f->org_a);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	k = json_array_get(json_object_get(r.json, "clients"), 0);
	row = json_array_get(json_object_get(k, "rows"), 0);
	assert_string_equal(str(row, "movement"), "in");
	assert_string_equal(str(row, "balance_kg"), "17250.000");
	lot = json_array_get(json_object_get(row, "export_lots"), 0);
	assert_string_equal(str(lot, "organic_lot"), "004-17");
	assert_string_equal(str(lot, "kilos"), "17250.000");
	assert_string_equal(
	    str(json_array_get(json_object_get(row, "shipments"), 0), "bl"),
	    "HLCUPAI170712345");
	assert_string_equal(
	    str(json_array_get(json_object_get(lot, "shipments"), 0),
	        "invoice"),
	    "001-000245");
	row = json_array_get(json_object_get(k, "rows"), 1);
	assert_string_equal(str(row, "movement"), "out");
	assert_string_equal(str(row, "balance_kg"), "0.000");
	assert_int_equal(json_array_size(json_object_get(row, "shipments")), 0);
	stock = json_object_get(k, "export_stock");
	assert_string_equal(str(stock, "allocated_kg"), "17250.000");
	assert_string_equal(str(stock, "shipped_kg"), "17250.000");
	assert_string_equal(str(stock, "balance_kg"), "0.000");
	assert_int_equal(num(stock, "balance_sacks"), 0);
	response_free(&r);

	session_call(f, &b, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	k = json_array_get(json_object_get(r.json, "clients"), 0);
	assert_true(json_is_null(json_object_get(k, "export_stock")));
	row = json_array_get(json_object_get(k, "rows"), 0);
	assert_int_equal(
	    json_array_size(json_object_get(row, "export_lots")), 0);
	assert_null(strstr(r.body, "HLCUPAI"));
	response_free(&r);
}

/* The exporter and its granted auditor read; nobody else. */
static void
test_visibility(void **state)
{
	struct fixture *f = *state;
	static const enum test_user readers[] = { TU_A_ADMIN, TU_A_CLERK,
		TU_A_EXPORT, TU_C_AUDITOR };
	static const enum test_user outsiders[] = { TU_B_ADMIN, TU_B_CLERK,
		TU_D_ADMIN, TU_C_AUDITOR2 };
	static const char *const lists[] = { "/api/v1/export-lots",
		"/api/v1/shipments", "/api/v1/export-lots/available-sources",
		NULL };
	struct session s;
	struct response r;
	char lot_path[64], sh_path[64], cert_path[96];
	size_t i, j;

	s = as(f, TU_A_EXPORT);
	session_call(f, &s, "GET", "/api/v1/shipments?q=HLCUPAI", NULL, &r);
	snprintf(sh_path, sizeof(sh_path), "/api/v1/shipments/%lld",
	    (long long)num(only_item(&r), "id"));
	snprintf(lot_path, sizeof(lot_path), "/api/v1/export-lots/%lld",
	    (long long)num(
	        json_array_get(json_object_get(only_item(&r), "lots"), 0),
	        "export_lot_id"));
	snprintf(cert_path, sizeof(cert_path), "%s/transaction-certificate",
	    sh_path);
	response_free(&r);

	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		s = as(f, readers[i]);
		session_call(f, &s, "GET", lot_path, NULL, &r);
		assert_int_equal(r.status, 200);
		response_free(&r);
		session_call(f, &s, "GET", sh_path, NULL, &r);
		assert_int_equal(r.status, 200);
		response_free(&r);
		session_call(f, &s, "GET", cert_path, NULL, &r);
		assert_int_equal(r.status, 200);
		response_free(&r);
	}
	for (i = 0; i < sizeof(outsiders) / sizeof(outsiders[0]); i++) {
		s = as(f, outsiders[i]);
		session_call(f, &s, "GET", lot_path, NULL, &r);
		expect(&r, 404, NULL);
		response_free(&r);
		session_call(f, &s, "GET", sh_path, NULL, &r);
		expect(&r, 404, NULL);
		response_free(&r);
		session_call(f, &s, "GET", cert_path, NULL, &r);
		expect(&r, 404, NULL);
		response_free(&r);
		for (j = 0; lists[j] != NULL; j++) {
			session_call(f, &s, "GET", lists[j], NULL, &r);
			assert_int_equal(r.status, 200);
			if (json_array_size(json_object_get(r.json, "items")) !=
			    0)
				fail_msg("%s sees %s: %s",
				    f->users[outsiders[i]].username, lists[j],
				    r.body);
			response_free(&r);
		}
	}
}

/* Exporters and admins write; clerks, plants and auditors do not. */
static void
test_write_permissions(void **state)
{
	struct fixture *f = *state;
	static const enum test_user refused[] = { TU_A_CLERK, TU_B_ADMIN,
		TU_B_CLERK, TU_C_AUDITOR };
	struct session s;
	struct response r;
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		s = as(f, refused[i]);
		session_call(f, &s, "POST", "/api/v1/export-lots", "{}", &r);
		expect(&r, 403, NULL);
		response_free(&r);
		session_call(f, &s, "POST", "/api/v1/shipments", "{}", &r);
		expect(&r, 403, NULL);
		response_free(&r);
		session_call(
		    f, &s, "POST", "/api/v1/export-lots/1/annul", "{}", &r);
		expect(&r, 403, NULL);
		response_free(&r);
	}
	/* The exporter writes no acopio or plant documents. */
	s = as(f, TU_A_EXPORT);
	session_call(f, &s, "POST", "/api/v1/receptions", "{}", &r);
	expect(&r, 403, NULL);
	response_free(&r);
	session_call(f, &s, "POST", "/api/v1/process-orders", "{}", &r);
	expect(&r, 403, NULL);
	response_free(&r);
	session_call(f, &s, "POST", "/api/v1/plant-exits", "{}", &r);
	expect(&r, 403, NULL);
	response_free(&r);
}

/* Orders and LOPs for the tests below, through the API. */
static int64_t
make_lop(struct fixture *f, int receipt, const char *kilos, const char *outputs)
{
	struct session a = as(f, TU_A_CLERK), b = as(f, TU_B_CLERK);
	struct response r;
	char body[1024];
	int64_t order, lop;

	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-27\",\"plant_org_id\":%lld,"
	    "\"contract\":\"P17500\",\"inputs\":[{\"plant_receipt_id\":%d,"
	    "\"kilos\":\"%s\"}]}",
	    (long long)f->org_b, receipt, kilos);
	session_call(f, &a, "POST", "/api/v1/process-orders", body, &r);
	expect(&r, 201, NULL);
	order = num(r.json, "id");
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-28\","
	    "\"outputs\":{%s}}",
	    (long long)order, outputs);
	session_call(f, &b, "POST", "/api/v1/process-settlements", body, &r);
	expect(&r, 201, NULL);
	lop = num(r.json, "id");
	response_free(&r);
	return lop;
}

static void
test_allocation_and_ico_marks(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_EXPORT);
	struct response r;
	char src[256];
	int before = count_rows(f, "export_lots");

	lop_1205 = make_lop(f, R_FULL, "23400",
	    "\"export\":\"17250\",\"export_mc\":\"1088\",\"husk\":\"5062\"");
	lop_conv =
	    make_lop(f, R_CONV, "780", "\"export\":\"500\",\"husk\":\"280\"");

	/*
	 * The entry form's list: LOP 1204's export MC (its export output is
	 * lot 004-17), LOP 1205's two outputs, the conventional one.
	 */
	session_call(
	    f, &s, "GET", "/api/v1/export-lots/available-sources", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 4);
	assert_non_null(strstr(r.body, "\"available_kg\":\"1088.000\""));
	response_free(&r);

	/* 17 000 of 17 250 kg: numbered 30/861/1545, after the adopted 1544. */
	snprintf(src, sizeof(src),
	    "{\"process_settlement_id\":%lld,\"category\":\"export\","
	    "\"kilos\":\"17000\"}",
	    (long long)lop_1205);
	lot_post(f, &s, "\"organic_lot\":\"005-17\"", src, &r);
	expect(&r, 201, NULL);
	lot_x = num(r.json, "id");
	assert_string_equal(str(r.json, "ico_mark"), "30/861/1545");
	assert_int_equal(num(r.json, "sacks"), 246); /* 17 000 / 69 */
	assert_string_equal(str(r.json, "kilos"), "17000.000");
	assert_string_equal(str(r.json, "status"), "organic");
	response_free(&r);

	/* 250 kg are left of that output: 250.001 is refused. */
	snprintf(src, sizeof(src),
	    "{\"process_settlement_id\":%lld,\"category\":\"export\","
	    "\"kilos\":\"250.001\"}",
	    (long long)lop_1205);
	lot_post(f, &s, "\"organic_lot\":\"006-17\"", src, &r);
	expect(&r, 422, "exceeds_available");
	expect_field(&r, "sources[0].kilos");
	assert_int_equal(
	    num(first_error(&r), "process_settlement_id"), lop_1205);
	response_free(&r);

	/* A mark already used, someone else's, malformed. */
	snprintf(src, sizeof(src),
	    "{\"process_settlement_id\":%lld,\"category\":\"export_mc\","
	    "\"kilos\":\"1088\"}",
	    (long long)lop_1205);
	lot_post(f, &s,
	    "\"organic_lot\":\"006-17\",\"ico_mark\":\"30/861/1544\"", src, &r);
	expect(&r, 409, "ico_mark_used");
	expect_field(&r, "ico_mark");
	response_free(&r);
	lot_post(f, &s,
	    "\"organic_lot\":\"006-17\",\"ico_mark\":\"30/862/1600\"", src, &r);
	expect(&r, 422, "ico_mark_not_ours");
	response_free(&r);
	lot_post(f, &s,
	    "\"organic_lot\":\"006-17\",\"ico_mark\":\"30-861-1600\"", src, &r);
	expect(&r, 400, "invalid_ico_mark");
	response_free(&r);
	/* The organic lot of a live lot. */
	lot_post(f, &s, "\"organic_lot\":\"004-17\"", src, &r);
	expect(&r, 409, "organic_lot_used");
	expect_field(&r, "organic_lot");
	response_free(&r);
	assert_int_equal(count_rows(f, "export_lots"), before + 1);

	/* A mark printed ahead is adopted; numbering continues past it. */
	lot_post(f, &s,
	    "\"organic_lot\":\"006-17\",\"ico_mark\":\"30/861/1600/\"", src,
	    &r);
	expect(&r, 201, NULL);
	assert_string_equal(str(r.json, "ico_mark"), "30/861/1600");
	assert_int_equal(num(r.json, "sacks"), 15);
	response_free(&r);
	snprintf(src, sizeof(src),
	    "{\"process_settlement_id\":%lld,\"category\":\"export\","
	    "\"kilos\":\"250\"}",
	    (long long)lop_1205);
	lot_post(f, &s, "\"organic_lot\":\"007-17\",\"sacks\":3", src, &r);
	expect(&r, 201, NULL);
	assert_string_equal(str(r.json, "ico_mark"), "30/861/1601");
	assert_int_equal(num(r.json, "sacks"), 3);
	response_free(&r);

	/* LOP 1205 is all taken: gone from the available sources. */
	session_call(
	    f, &s, "GET", "/api/v1/export-lots/available-sources", NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
	response_free(&r);
}

static void
test_segregation(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_EXPORT);
	struct response r;
	char src[512], lots[256];
	int64_t conv_lot;

	/* Conventional coffee into an organic lot (via a freed output). */
	snprintf(src, sizeof(src),
	    "{\"process_settlement_id\":%lld,\"category\":\"export\","
	    "\"kilos\":\"100\"},{\"process_settlement_id\":%lld,"
	    "\"category\":\"export\",\"kilos\":\"100\"}",
	    (long long)lop_conv, (long long)lop_1205);
	lot_post(f, &s, "\"organic_lot\":\"C-2\"", src, &r);
	/* LOP 1205 is fully allocated: that refusal comes first. */
	expect(&r, 422, "exceeds_available");
	response_free(&r);
	snprintf(src, sizeof(src),
	    "{\"process_settlement_id\":%lld,\"category\":\"export\","
	    "\"kilos\":\"100\"}",
	    (long long)lop_conv);
	lot_post(f, &s, "\"organic_lot\":\"C-1\"", src, &r);
	expect(&r, 201, NULL);
	conv_lot = num(r.json, "id");
	assert_string_equal(str(r.json, "status"), "conventional");
	response_free(&r);

	/* A shipment never mixes conventional and organic lots. */
	snprintf(lots, sizeof(lots),
	    "{\"export_lot_id\":%lld,\"sacks\":1,\"kilos\":\"69\"},"
	    "{\"export_lot_id\":%lld,\"sacks\":1,\"kilos\":\"69\"}",
	    (long long)lot_x, (long long)conv_lot);
	shipment_post(f, &s, "", lots, &r);
	expect(&r, 422, "mixed_status");
	expect_field(&r, "lots[1]");
	assert_int_equal(num(first_error(&r), "export_lot_id"), conv_lot);
	response_free(&r);
}

static void
test_segregation_in_a_lot(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_EXPORT);
	struct response r;
	char src[512];

	/* Annul the 3-sack lot to free 250 kg of organic LOP 1205. */
	session_call(f, &s, "GET", "/api/v1/export-lots?q=007-17", NULL, &r);
	{
		char path[96];
		json_int_t id = num(only_item(&r), "id");

		response_free(&r);
		snprintf(path, sizeof(path), "/api/v1/export-lots/%lld/annul",
		    (long long)id);
		session_call(f, &s, "POST", path, "{\"reason\":\"Sacos\"}", &r);
		expect(&r, 200, NULL);
		assert_false(json_is_true(json_object_get(
		    json_array_get(json_object_get(r.json, "sources"), 0),
		    "live")));
		response_free(&r);
	}
	snprintf(src, sizeof(src),
	    "{\"process_settlement_id\":%lld,\"category\":\"export\","
	    "\"kilos\":\"100\"},{\"process_settlement_id\":%lld,"
	    "\"category\":\"export\",\"kilos\":\"100\"}",
	    (long long)lop_1205, (long long)lop_conv);
	lot_post(f, &s, "\"organic_lot\":\"M-1\"", src, &r);
	expect(&r, 422, "mixed_status");
	expect_field(&r, "sources[1]");
	assert_int_equal(
	    num(first_error(&r), "process_settlement_id"), lop_conv);
	response_free(&r);
	/* The organic lot of an annulled lot is free again. */
	snprintf(src, sizeof(src),
	    "{\"process_settlement_id\":%lld,\"category\":\"export\","
	    "\"kilos\":\"250\"}",
	    (long long)lop_1205);
	lot_post(f, &s, "\"organic_lot\":\"007-17\"", src, &r);
	expect(&r, 201, NULL);
	/* Annulled marks are never reused: 1601 stays taken (1602: C-1). */
	assert_string_equal(str(r.json, "ico_mark"), "30/861/1603");
	response_free(&r);
}

static void
test_shipments_within_the_lot_and_annul_order(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_EXPORT), b = as(f, TU_B_CLERK);
	struct response r;
	char lots[256], path[96];
	int64_t first;

	/* Lot 005-17: 246 sacks, 17 000 kg. */
	snprintf(lots, sizeof(lots),
	    "{\"export_lot_id\":%lld,\"sacks\":200,\"kilos\":\"13800\"}",
	    (long long)lot_x);
	shipment_post(f, &s, "\"gross_kg\":\"13799\"", lots, &r);
	expect(&r, 422, "gross_below_net");
	response_free(&r);
	shipment_post(f, &s, "\"gross_kg\":\"13940\"", lots, &r);
	expect(&r, 201, NULL);
	first = num(r.json, "id");
	assert_string_equal(
	    str(json_object_get(r.json, "weight_note"), "tare_kg"), "140.000");
	response_free(&r);
	/* 46 sacks and 3 200 kg are left. */
	snprintf(lots, sizeof(lots),
	    "{\"export_lot_id\":%lld,\"sacks\":47,\"kilos\":\"3200\"}",
	    (long long)lot_x);
	shipment_post(f, &s, "", lots, &r);
	expect(&r, 422, "exceeds_lot");
	expect_field(&r, "lots[0].sacks");
	response_free(&r);
	snprintf(lots, sizeof(lots),
	    "{\"export_lot_id\":%lld,\"sacks\":46,\"kilos\":\"3200.001\"}",
	    (long long)lot_x);
	shipment_post(f, &s, "", lots, &r);
	expect(&r, 422, "exceeds_lot");
	expect_field(&r, "lots[0].kilos");
	response_free(&r);
	snprintf(lots, sizeof(lots),
	    "{\"export_lot_id\":%lld,\"sacks\":46,\"kilos\":\"3200\"}",
	    (long long)lot_x);
	shipment_post(f, &s, "\"issued_on\":\"2017-06-01\"", lots, &r);
	expect(&r, 400, NULL); /* duplicate key: issued_on twice */
	response_free(&r);

	/* A lot in a live shipment stays; a LOP with a live lot stays. */
	snprintf(path, sizeof(path), "/api/v1/export-lots/%lld/annul",
	    (long long)lot_x);
	session_call(f, &s, "POST", path, "{\"reason\":\"Error\"}", &r);
	expect(&r, 409, "has_live_dependent");
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/process-settlements/%lld/annul",
	    (long long)lop_1205);
	session_call(f, &b, "POST", path, "{\"reason\":\"Error\"}", &r);
	expect(&r, 409, "has_live_dependent");
	response_free(&r);

	snprintf(path, sizeof(path), "/api/v1/shipments/%lld/annul",
	    (long long)first);
	session_call(f, &s, "POST", path, "{\"reason\":\"BL errado\"}", &r);
	expect(&r, 200, NULL);
	assert_string_equal(
	    str(json_object_get(r.json, "annulled"), "reason"), "BL errado");
	response_free(&r);
	session_call(f, &s, "POST", path, "{\"reason\":\"otra vez\"}", &r);
	expect(&r, 409, "already_annulled");
	response_free(&r);
	/* Its sacks are back: the whole lot ships now. */
	snprintf(lots, sizeof(lots),
	    "{\"export_lot_id\":%lld,\"sacks\":246,\"kilos\":\"17000\"}",
	    (long long)lot_x);
	shipment_post(f, &s,
	    "\"invoice_number\":\"F-2\",\"invoice_lot_ref\":\"005-17\","
	    "\"bl_number\":\"BL-2\",\"bl_lot_ref\":\"005-17\","
	    "\"shipped_on\":\"2017-07-12\",\"port_loading\":\"Paita\","
	    "\"port_destination\":\"Hamburgo\",\"buyer_country\":\"DE\"",
	    lots, &r);
	expect(&r, 201, NULL);
	response_free(&r);
	snprintf(
	    path, sizeof(path), "/api/v1/export-lots/%lld", (long long)lot_x);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_int_equal(num(json_object_get(r.json, "available"), "sacks"), 0);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "shipments")), 1);
	response_free(&r);
}

/* What the certificate still lacks, item by item. */
static void
test_certificate_missing_items(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_EXPORT);
	struct response r;
	char lots[256], path[128];
	const char *body;
	int64_t id;

	session_call(f, &s, "GET", "/api/v1/export-lots?q=006-17", NULL, &r);
	snprintf(lots, sizeof(lots),
	    "{\"export_lot_id\":%lld,\"sacks\":1,\"kilos\":\"69\"}",
	    (long long)num(only_item(&r), "id"));
	response_free(&r);
	shipment_post(f, &s,
	    "\"invoice_lot_ref\":\"006-170\",\"bl_lot_ref\":\"005-17\","
	    "\"shipped_on\":\"2018-02-01\"",
	    lots, &r);
	expect(&r, 201, NULL);
	id = num(r.json, "id");
	response_free(&r);
	snprintf(path, sizeof(path),
	    "/api/v1/shipments/%lld/transaction-certificate", (long long)id);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_false(json_is_true(json_object_get(r.json, "ready")));
	body = r.body;
	assert_non_null(strstr(body, "\"no_invoice_number\""));
	assert_non_null(strstr(body, "\"no_bl_number\""));
	assert_non_null(strstr(body, "\"invoice_lot_ref_missing\""));
	assert_non_null(strstr(body, "\"bl_lot_ref_missing\""));
	assert_non_null(strstr(body, "\"no_port_loading\""));
	assert_non_null(strstr(body, "\"certification_expired\""));
	assert_null(strstr(body, "\"no_shipped_on\""));
	assert_string_equal(
	    str(json_array_get(json_object_get(r.json, "missing"), 0),
	        "detail_en"),
	    "The commercial invoice number is missing");
	response_free(&r);

	/* Conventional coffee has no organic certificate. */
	session_call(f, &s, "GET", "/api/v1/export-lots?q=C-1", NULL, &r);
	snprintf(lots, sizeof(lots),
	    "{\"export_lot_id\":%lld,\"sacks\":1,\"kilos\":\"69\"}",
	    (long long)num(only_item(&r), "id"));
	response_free(&r);
	shipment_post(f, &s, "", lots, &r);
	expect(&r, 201, NULL);
	id = num(r.json, "id");
	response_free(&r);
	snprintf(path, sizeof(path),
	    "/api/v1/shipments/%lld/transaction-certificate", (long long)id);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_non_null(strstr(r.body, "\"lot_not_organic\""));
	assert_non_null(strstr(r.body, "\"no_shipped_on\""));
	response_free(&r);
}

/* 4xx problem+json naming the field; nothing written. */
static void
test_unhappy_input_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_EXPORT), d = as(f, TU_D_ADMIN);
	struct response r;
	char src[256], ct[64];
	int lots = count_rows(f, "export_lots");
	int ships = count_rows(f, "shipments");
	int events = count_rows(f, "audit_events");

	snprintf(src, sizeof(src),
	    "{\"process_settlement_id\":%lld,\"category\":\"export\","
	    "\"kilos\":\"1\"}",
	    (long long)lop_conv);
	lot_post(f, &s, "\"bogus\":1", src, &r);
	expect(&r, 400, "unknown_field");
	assert_non_null(
	    strstr(response_header(&r, "Content-Type", ct, sizeof(ct)),
	        "application/problem+json"));
	response_free(&r);
	lot_post(f, &s, "\"organic_lot\":\"\"", src, &r);
	expect(&r, 400, NULL);
	expect_field(&r, "organic_lot");
	response_free(&r);
	lot_post(f, &s, "\"organic_lot\":\"Z-1\"",
	    "{\"process_settlement_id\":1,\"category\":\"second\","
	    "\"kilos\":\"1\"}",
	    &r);
	expect(&r, 400, "invalid");
	expect_field(&r, "sources[0].category");
	response_free(&r);
	lot_post(f, &s, "\"organic_lot\":\"Z-1\"",
	    "{\"process_settlement_id\":1,\"category\":\"export\","
	    "\"kilos\":\"abc\"}",
	    &r);
	expect(&r, 400, NULL);
	expect_field(&r, "sources[0].kilos");
	response_free(&r);
	lot_post(f, &s, "\"organic_lot\":\"Z-1\"", "", &r);
	expect(&r, 400, "count");
	expect_field(&r, "sources");
	response_free(&r);
	/* Less than a sack. */
	lot_post(f, &s, "\"organic_lot\":\"Z-1\"", src, &r);
	expect(&r, 422, "less_than_a_sack");
	response_free(&r);
	/* Before its LOP. */
	session_call(f, &s, "POST", "/api/v1/export-lots",
	    "{\"issued_on\":\"2017-06-01\",\"organic_lot\":\"Z-1\","
	    "\"sources\":[{\"process_settlement_id\":1,\"category\":"
	    "\"export\",\"kilos\":\"69\"}]}",
	    &r);
	expect(&r, 422, NULL);
	response_free(&r);
	/* Someone else's LOP: D has no ICO code, and no such LOP. */
	lot_post(f, &d, "\"organic_lot\":\"D-1\"", src, &r);
	expect(&r, 409, "ico_exporter_code_missing");
	expect_field(&r, "ico_exporter_code");
	response_free(&r);
	shipment_post(f, &s, "\"buyer_country\":\"Germany\"",
	    "{\"export_lot_id\":1,\"sacks\":1,\"kilos\":\"1\"}", &r);
	expect(&r, 400, NULL);
	expect_field(&r, "buyer_country");
	response_free(&r);
	shipment_post(f, &s, "",
	    "{\"export_lot_id\":999999,\"sacks\":1,\"kilos\":\"1\"}", &r);
	expect(&r, 422, "lot_not_found");
	expect_field(&r, "lots[0].export_lot_id");
	response_free(&r);
	shipment_post(
	    f, &s, "", "{\"export_lot_id\":1,\"sacks\":0,\"kilos\":\"1\"}", &r);
	expect(&r, 400, NULL);
	expect_field(&r, "lots[0].sacks");
	response_free(&r);
	assert_int_equal(count_rows(f, "export_lots"), lots);
	assert_int_equal(count_rows(f, "shipments"), ships);
	assert_int_equal(count_rows(f, "audit_events"), events);
}

static void
test_settings_ico_codes(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_ADMIN);
	struct response r;
	char etag[64], hdr[96];

	session_call(f, &s, "GET", "/api/v1/settings", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "ico_exporter_code"), "861");
	assert_int_equal(num(r.json, "ico_country_code"), 30);
	response_header(&r, "ETag", etag, sizeof(etag));
	response_free(&r);
	snprintf(hdr, sizeof(hdr), "If-Match: %s", etag);
	session_call_h(f, &s, "PATCH", "/api/v1/settings",
	    "{\"ico_exporter_code\":\"86a\"}", hdr, &r);
	expect(&r, 400, "invalid");
	expect_field(&r, "ico_exporter_code");
	response_free(&r);
	session_call_h(f, &s, "PATCH", "/api/v1/settings",
	    "{\"ico_country_code\":1000}", hdr, &r);
	expect(&r, 400, NULL);
	expect_field(&r, "ico_country_code");
	response_free(&r);
	session_call_h(f, &s, "PATCH", "/api/v1/settings",
	    "{\"ico_exporter_code\":\"861\",\"ico_country_code\":30}", hdr, &r);
	expect(&r, 200, NULL);
	response_free(&r);
}

/* Issued documents are evidence: the database refuses edits. */
static void
test_documents_are_immutable(void **state)
{
	struct fixture *f = *state;
	static const char *const edits[] = {
		"UPDATE export_lots SET kilos_g = 1",
		"UPDATE export_lots SET ico_mark = 'x'",
		"UPDATE shipments SET bl_number = 'x'",
		"UPDATE export_lot_sources SET live = 0",
		"UPDATE shipment_lots SET kilos_g = 1",
		"DELETE FROM shipments",
		"DELETE FROM export_lot_sources",
		NULL,
	};
	struct db *db = NULL;
	char *err = NULL;
	size_t i;

	assert_int_equal(harness_db(f, &db), 0);
	for (i = 0; edits[i] != NULL; i++) {
		if (sqlite3_exec(db_handle(db), edits[i], NULL, NULL, &err) ==
		    SQLITE_OK)
			fail_msg("allowed: %s", edits[i]);
		sqlite3_free(err);
		err = NULL;
	}
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_lot_and_shipment),
		cmocka_unit_test(test_kardex_closes_against_shipments),
		cmocka_unit_test(test_visibility),
		cmocka_unit_test(test_write_permissions),
		cmocka_unit_test(test_allocation_and_ico_marks),
		cmocka_unit_test(test_segregation),
		cmocka_unit_test(test_segregation_in_a_lot),
		cmocka_unit_test(test_shipments_within_the_lot_and_annul_order),
		cmocka_unit_test(test_certificate_missing_items),
		cmocka_unit_test(test_unhappy_input_writes_nothing),
		cmocka_unit_test(test_settings_ico_codes),
		cmocka_unit_test(test_documents_are_immutable),
	};

	return cmocka_run_group_tests(tests, setup, harness_teardown);
}
