/*
 * The process stage over real HTTP: the guide's story from guía de
 * ingreso 3052 (the demo loader: orden de marcado 029-17, LOP 1204, guía
 * de salida 4512, kárdex at 0), the LOP's figures field by field through
 * the API, the exact mass balance, consumption of plant receipts up to
 * their balance, segregation, exits within the lot, annulment order,
 * registers, visibility and write permissions.  The dispatches and plant
 * receipts the orders consume are seeded in SQL, so these tests depend
 * only on the process documents' API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/db.h"
#include "pergamino/process.h"

/* Plant receipts of plant B (ids fixed by the seed). */
#define R_3052 601  /* the guide's: 300 sacks, 23 400 kg, used by the demo */
#define R_FULL 602  /* another 23 400 kg organic EU: the API's LOP */
#define R_7800 603  /* 7 800 kg organic EU: consumption */
#define R_TRANS 604 /* 780 kg in transition */
#define R_NOP 605   /* 780 kg organic EU + NOP */
#define R_OF_D 606  /* 780 kg of cooperative D's coffee */
#define R_EU 607    /* 780 kg organic EU */

/*
 * ?A, ?B, ?D: organizations; ?U a-admin, ?P b-admin, ?Q d-admin.  Weights
 * in grams, humidity in tenths, yield and cup score in hundredths.
 */
static const char seed_sql[] =
    "INSERT INTO dispatches (id, organization_id, number, issued_on,"
    " transfer_on, recipient_org_id, reason, lot_code, description, status,"
    " programs, sacks, declared_g, notes_sacks, notes_g, created_by,"
    " created_at) VALUES"
    " (501, ?A, 5469, '2017-06-23', '2017-06-23', ?B, 3, 'CO-2365',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 300, 23400000,"
    "  300, 23417950, ?U, 0),"
    " (502, ?A, 5470, '2017-06-26', '2017-06-26', ?B, 3, 'CO-2366',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 300, 23400000,"
    "  300, 23400000, ?U, 0),"
    " (503, ?A, 5471, '2017-06-26', '2017-06-26', ?B, 3, 'CO-2367',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 100, 7800000,"
    "  100, 7800000, ?U, 0),"
    " (504, ?A, 5472, '2017-06-26', '2017-06-26', ?B, 3, 'CO-2368',"
    "  'Café pergamino - en transición', 'transition', '[\"EU\"]', 10,"
    "  780000, 10, 780000, ?U, 0),"
    " (505, ?A, 5473, '2017-06-26', '2017-06-26', ?B, 3, 'CO-2369',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\",\"NOP\"]', 10,"
    "  780000, 10, 780000, ?U, 0),"
    " (506, ?D, 1, '2017-06-26', '2017-06-26', ?B, 3, 'D-1',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 10, 780000, 10,"
    "  780000, ?Q, 0),"
    " (507, ?A, 5474, '2017-06-26', '2017-06-26', ?B, 3, 'CO-2370',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 10, 780000, 10,"
    "  780000, ?U, 0);"
    "INSERT INTO plant_receipts (id, organization_id, number, issued_on,"
    " dispatch_id, client_org_id, carrier_name, vehicle_plate, product,"
    " status, programs, sacks, gross_g, tare_g, net_g, yield_pct, humidity,"
    " cup_score, created_by, created_at) VALUES"
    " (601, ?B, 3052, '2017-06-24', 501, ?A, 'Pablo Chacón', 'ABW-080',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 300, 23610000,"
    "  210000, 23400000, 7400, 125, 8300, ?P, 0),"
    " (602, ?B, 3057, '2017-06-27', 502, ?A, '', '',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 300, 23610000,"
    "  210000, 23400000, 7400, 125, 8300, ?P, 0),"
    " (603, ?B, 3058, '2017-06-27', 503, ?A, '', '',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 100, 7870000,"
    "  70000, 7800000, NULL, NULL, NULL, ?P, 0),"
    " (604, ?B, 3059, '2017-06-27', 504, ?A, '', '',"
    "  'Café pergamino - en transición', 'transition', '[\"EU\"]', 10,"
    "  787000, 7000, 780000, NULL, NULL, NULL, ?P, 0),"
    " (605, ?B, 3060, '2017-06-27', 505, ?A, '', '',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\",\"NOP\"]', 10,"
    "  787000, 7000, 780000, NULL, NULL, NULL, ?P, 0),"
    " (606, ?B, 3061, '2017-06-27', 506, ?D, '', '',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 10, 787000, 7000,"
    "  780000, NULL, NULL, NULL, ?P, 0),"
    " (607, ?B, 3062, '2017-06-27', 507, ?A, '', '',"
    "  'Café pergamino - orgánico', 'organic', '[\"EU\"]', 10, 787000, 7000,"
    "  780000, NULL, NULL, NULL, ?P, 0);";

/* The LOP 1204 outputs as the API takes them. */
#define GUIDE_OUTPUTS                                                          \
	"\"export\":\"17250\",\"export_mc\":\"1088\",\"second\":\"381\","      \
	"\"machine_discard\":\"151\",\"sorting_discard\":\"177\","             \
	"\"bola\":\"148\",\"cisco\":\"150\",\"stones\":\"0\""

/* Ids the tests pass on. */
static int64_t api_order, api_lop;

static void
seed_substitute(struct fixture *f, char *out, size_t cap)
{
	char v[24];
	const char *s;
	size_t n = 0;
	int64_t x;

	for (s = seed_sql; *s != '\0' && n + 24 < cap; s++) {
		x = -1;
		if (s[0] == '?') {
			switch (s[1]) {
			case 'A':
				x = f->org_a;
				break;
			case 'B':
				x = f->org_b;
				break;
			case 'D':
				x = f->org_d;
				break;
			case 'U':
				x = f->users[TU_A_ADMIN].id;
				break;
			case 'P':
				x = f->users[TU_B_ADMIN].id;
				break;
			case 'Q':
				x = f->users[TU_D_ADMIN].id;
				break;
			default:
				break;
			}
		}
		if (x >= 0) {
			snprintf(v, sizeof(v), "%lld", (long long)x);
			n += (size_t)snprintf(out + n, cap - n, "%s", v);
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
	/* The guide's story from receipt 3052 on, as --demo loads it. */
	rc = demo_process_seed(db, f->org_a, f->users[TU_A_CLERK].id, f->org_b,
	    f->users[TU_B_CLERK].id);
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

/* The only item of a list answer (fails unless exactly one). */
static json_t *
only_item(struct response *r)
{
	json_t *items = json_object_get(r->json, "items");

	if (json_array_size(items) != 1)
		fail_msg("want one item: %s", r->body);
	return json_array_get(items, 0);
}

/* The output row with this key. */
static json_t *
output_row(json_t *lop, const char *key)
{
	json_t *row;
	size_t i;

	json_array_foreach(json_object_get(lop, "outputs"), i, row)
	{
		if (strcmp(str(row, "key"), key) == 0)
			return row;
	}
	fail_msg("no output row %s", key);
	return NULL;
}

static void
check_row(json_t *lop, const char *key, json_int_t item, const char *product,
    json_int_t sacks, const char *remainder, const char *kilos, const char *qq,
    const char *pct)
{
	json_t *row = output_row(lop, key);

	if (num(row, "item") != item || strcmp(str(row, "product"), product) ||
	    (sacks >= 0 && num(row, "sacks") != sacks) ||
	    (sacks < 0 && !json_is_null(json_object_get(row, "sacks"))) ||
	    strcmp(str(row, "remainder_kg"), remainder) ||
	    strcmp(str(row, "kilos"), kilos) || strcmp(str(row, "qq"), qq) ||
	    strcmp(str(row, "pct"), pct))
		fail_msg("row %s: %s", key,
		    json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS));
}

/* Every figure of the guide's LOP 1204, whoever issued it. */
static void
check_guide_lop(json_t *lop)
{
	json_t *in, *totals, *exp;

	assert_string_equal(str(lop, "process_type"), "ORG");
	assert_string_equal(
	    str(lop, "characteristics"), "Preparación a 10 defectos");
	assert_string_equal(str(lop, "status"), "organic");
	assert_string_equal(
	    str(json_object_get(lop, "client"), "name"), "Cooperativa A");
	assert_string_equal(
	    str(json_object_get(lop, "organization"), "name"), "Planta B");
	assert_string_equal(str(lop, "input_kg"), "23400.000");
	in = json_array_get(json_object_get(lop, "inputs"), 0);
	assert_int_equal(json_array_size(json_object_get(lop, "inputs")), 1);
	assert_int_equal(num(in, "sacks"), 300);
	assert_string_equal(str(in, "net_kg"), "23400.000");
	assert_string_equal(str(in, "humidity"), "12.5");
	assert_string_equal(str(in, "yield_pct"), "74.00");
	assert_string_equal(
	    str(in, "description"), "Café pergamino - orgánico");
	assert_int_equal(
	    num(json_object_get(lop, "inputs_total"), "sacks"), 300);
	/* item, product, sacks (-1: none), remainder, kilos, QQ, % */
	check_row(lop, "export", 1, "Café exportación", 250, "0.000",
	    "17250.000", "375.00", "73.72");
	check_row(lop, "export_mc", 2, "Café exportación MC", 15, "53.000",
	    "1088.000", "(null)", "4.65");
	check_row(lop, "second", 3, "Café segunda", 5, "36.000", "381.000",
	    "(null)", "1.63");
	check_row(lop, "machine_discard", 4, "Café descarte máquina", 2,
	    "13.000", "151.000", "(null)", "0.65");
	check_row(lop, "sorting_discard", 5, "Café descarte de escojo", 2,
	    "39.000", "177.000", "(null)", "0.76");
	check_row(lop, "bola", 6, "Café bola", 2, "10.000", "148.000", "(null)",
	    "0.63");
	check_row(lop, "cisco", 7, "Café cisco", 2, "12.000", "150.000",
	    "(null)", "0.64");
	check_row(lop, "coffee_total", 8, "TOTAL EN CAFÉ", 278, "163.000",
	    "19345.000", "(null)", "82.67");
	check_row(lop, "stones", 9, "Piedras y otros", -1, "(null)", "0.000",
	    "(null)", "0.00");
	check_row(lop, "husk", 10, "Cáscara y otros", -1, "(null)", "4055.000",
	    "(null)", "17.33");
	check_row(lop, "total", 0, "TOTALES", -1, "(null)", "23400.000",
	    "(null)", "100.00");
	/* Eight product lines, the two totals, stones and husk: no merma. */
	assert_int_equal(json_array_size(json_object_get(lop, "outputs")), 11);
	assert_true(json_is_null(json_object_get(
	    json_array_get(json_object_get(lop, "outputs"), 10), "item")));
	totals = json_object_get(lop, "totals");
	assert_string_equal(str(totals, "kilos"), "23400.000");
	assert_string_equal(str(totals, "pct"), "100.00");
	assert_int_equal(num(totals, "coffee_sacks"), 278);
	assert_string_equal(str(lop, "yield_pct"), "73.72");
	exp = json_object_get(lop, "export");
	assert_int_equal(num(exp, "sacks"), 250);
	assert_string_equal(str(exp, "qq"), "375.00");
}

static void
test_demo_guide_story(void **state)
{
	struct fixture *f = *state;
	struct session a = as(f, TU_A_CLERK), b = as(f, TU_B_CLERK);
	struct response r;
	json_t *lop, *m, *x, *in, *guide, *k, *rows, *row;

	session_call(
	    f, &b, "GET", "/api/v1/process-settlements?number=1204", NULL, &r);
	assert_int_equal(r.status, 200);
	lop = only_item(&r);
	check_guide_lop(lop);
	assert_string_equal(str(lop, "number_text"), "1204");
	assert_string_equal(str(lop, "issued_on"), "2017-06-25");
	assert_string_equal(str(lop, "lot_code"), "LOP-1204");
	assert_string_equal(str(lop, "contract"), "P17446");
	in = json_array_get(json_object_get(lop, "inputs"), 0);
	assert_string_equal(
	    str(json_object_get(in, "dispatch"), "number_text"), "5469");
	assert_int_equal(
	    num(json_object_get(in, "plant_receipt"), "number"), 3052);
	assert_string_equal(str(in, "balance_kg"), "0.000");
	m = json_object_get(lop, "marking_order");
	assert_string_equal(str(m, "number_text"), "029-17");
	assert_string_equal(str(m, "organic_lot"), "004-17");
	assert_string_equal(str(m, "ico_mark"), "30/861/1544");
	assert_int_equal(num(json_object_get(lop, "available"), "sacks"), 0);
	response_free(&r);

	session_call(f, &a, "GET", "/api/v1/marking-orders", NULL, &r);
	assert_int_equal(r.status, 200);
	m = only_item(&r);
	assert_int_equal(num(m, "number"), 29);
	assert_string_equal(str(m, "number_text"), "029-17");
	assert_int_equal(num(m, "sacks"), 250);
	assert_string_equal(str(m, "net_per_sack_kg"), "69.000");
	assert_string_equal(str(m, "delivery_on"), "2017-06-25");
	assert_string_equal(str(m, "observation"), "Marcado a 01 color");
	assert_string_equal(str(m, "contract"), "P17446");
	assert_string_equal(
	    str(json_object_get(m, "plant"), "name"), "Planta B");
	response_free(&r);

	session_call(f, &a, "GET", "/api/v1/plant-exits?number=4512", NULL, &r);
	assert_int_equal(r.status, 200);
	x = only_item(&r);
	assert_string_equal(str(x, "issued_on"), "2017-06-30");
	assert_string_equal(str(x, "lot_code"), "004-17");
	assert_int_equal(num(x, "sacks"), 250);
	assert_string_equal(str(x, "gross_kg"), "17425.000");
	assert_string_equal(str(x, "tare_kg"), "175.000");
	assert_string_equal(str(x, "net_kg"), "17250.000");
	assert_string_equal(str(x, "destination"), "Unimar");
	assert_string_equal(
	    str(json_object_get(x, "carrier"), "doc"), "10066109556");
	assert_string_equal(
	    str(json_object_get(x, "carrier"), "plate"), "BKI-080");
	assert_non_null(strstr(str(x, "product_description"),
	    "Café verde tipo exportación orgánico envasado en sacos de yute "
	    "de 69 kg c/u Asociación San Ignacio Tabaconas"));
	assert_string_equal(
	    str(json_object_get(x, "certification"), "label"), "Orgánico");
	assert_int_equal(
	    num(json_object_get(x, "process_settlement"), "number"), 1204);
	guide = json_object_get(x, "carrier_guide");
	assert_string_equal(
	    str(guide, "title"), "Guía de remisión - transportista");
	assert_string_equal(
	    str(json_object_get(guide, "sender"), "name"), "Cooperativa A");
	assert_string_equal(
	    str(json_object_get(guide, "driver"), "licence"), "N2721364");
	assert_int_equal(
	    num(json_array_get(json_object_get(guide, "items"), 0), "quantity"),
	    250);
	response_free(&r);

	/* The kárdex: LOP 1204 in, guía 4512 out, balance 0. */
	{
		char path[96];

		snprintf(path, sizeof(path),
		    "/api/v1/kardex?client_org_id=%lld", (long long)f->org_a);
		session_call(f, &a, "GET", path, NULL, &r);
	}
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "clients")), 1);
	k = json_array_get(json_object_get(r.json, "clients"), 0);
	rows = json_object_get(k, "rows");
	assert_int_equal(json_array_size(rows), 2);
	row = json_array_get(rows, 0);
	assert_string_equal(str(row, "movement"), "in");
	assert_string_equal(str(row, "kilos"), "17250.000");
	assert_string_equal(str(row, "qq"), "375.00");
	assert_int_equal(num(row, "sacks"), 250);
	assert_string_equal(str(row, "organic_lot"), "004-17");
	assert_string_equal(str(row, "ico_mark"), "30/861/1544");
	assert_string_equal(str(row, "contract"), "P17446");
	assert_string_equal(
	    str(row, "characteristics"), "Preparación a 10 defectos");
	assert_string_equal(str(row, "balance_kg"), "17250.000");
	row = json_array_get(rows, 1);
	assert_string_equal(str(row, "movement"), "out");
	assert_string_equal(str(row, "date"), "2017-06-30");
	assert_string_equal(
	    str(json_object_get(row, "exit"), "destination"), "Unimar");
	assert_string_equal(
	    str(json_object_get(json_object_get(row, "exit"), "guide"),
	        "number_text"),
	    "4512");
	assert_int_equal(num(row, "sacks"), 250);
	assert_string_equal(str(row, "balance_kg"), "0.000");
	assert_int_equal(num(row, "balance_sacks"), 0);
	assert_string_equal(
	    str(json_object_get(k, "totals"), "balance_kg"), "0.000");
	response_free(&r);

	session_call(f, &b, "GET", "/api/v1/kardex.csv", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body,
	    "Cooperativa A;20427376983;25/06/2017;Ingreso;Planta B;1204;"
	    "LOP-1204;Preparación a 10 defectos;P17446;17250.000;375.00;250;"
	    "004-17;30/861/1544;;;;17250.000;250\r\n"));
	assert_non_null(strstr(r.body,
	    "30/06/2017;Salida;Planta B;1204;LOP-1204;Preparación a 10 "
	    "defectos;P17446;17250.000;375.00;250;004-17;30/861/1544;"
	    "30/06/2017;Unimar;4512;0.000;0\r\n"));
	response_free(&r);
}

/* Plant, cooperative and the granted auditor read; nobody else. */
static void
test_visibility(void **state)
{
	struct fixture *f = *state;
	static const char *const lists[] = { "/api/v1/process-orders",
		"/api/v1/marking-orders", "/api/v1/process-settlements",
		"/api/v1/plant-exits", "/api/v1/kardex",
		"/api/v1/process-settlements.csv", "/api/v1/kardex.csv", NULL };
	static const enum test_user readers[] = { TU_A_CLERK, TU_A_EXPORT,
		TU_B_ADMIN, TU_B_CLERK, TU_C_AUDITOR };
	static const enum test_user outsiders[] = { TU_D_ADMIN, TU_C_AUDITOR2 };
	struct session s;
	struct response r;
	char path[96];
	json_int_t lop_id, exit_id;
	size_t i, j;

	s = as(f, TU_B_CLERK);
	session_call(f, &s, "GET", "/api/v1/plant-exits?number=4512", NULL, &r);
	exit_id = num(only_item(&r), "id");
	lop_id =
	    num(json_object_get(only_item(&r), "process_settlement"), "id");
	response_free(&r);

	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		s = as(f, readers[i]);
		snprintf(path, sizeof(path), "/api/v1/process-settlements/%lld",
		    (long long)lop_id);
		session_call(f, &s, "GET", path, NULL, &r);
		if (r.status != 200)
			fail_msg(
			    "%s: %ld", f->users[readers[i]].username, r.status);
		response_free(&r);
		snprintf(path, sizeof(path), "/api/v1/plant-exits/%lld",
		    (long long)exit_id);
		session_call(f, &s, "GET", path, NULL, &r);
		assert_int_equal(r.status, 200);
		response_free(&r);
		session_call(f, &s, "GET", "/api/v1/kardex", NULL, &r);
		assert_non_null(strstr(r.body, "\"4512\""));
		response_free(&r);
	}
	for (i = 0; i < sizeof(outsiders) / sizeof(outsiders[0]); i++) {
		s = as(f, outsiders[i]);
		snprintf(path, sizeof(path), "/api/v1/process-settlements/%lld",
		    (long long)lop_id);
		session_call(f, &s, "GET", path, NULL, &r);
		expect(&r, 404, NULL);
		response_free(&r);
		snprintf(path, sizeof(path), "/api/v1/plant-exits/%lld",
		    (long long)exit_id);
		session_call(f, &s, "GET", path, NULL, &r);
		expect(&r, 404, NULL);
		response_free(&r);
		for (j = 0; lists[j] != NULL; j++) {
			session_call(f, &s, "GET", lists[j], NULL, &r);
			assert_int_equal(r.status, 200);
			if (strstr(r.body, "P17446") != NULL ||
			    strstr(r.body, "Cooperativa A") != NULL)
				fail_msg("%s sees %s: %s",
				    f->users[outsiders[i]].username, lists[j],
				    r.body);
			response_free(&r);
		}
		/* Naming the client does not help. */
		snprintf(path, sizeof(path),
		    "/api/v1/kardex?client_org_id=%lld", (long long)f->org_a);
		session_call(f, &s, "GET", path, NULL, &r);
		assert_int_equal(r.status, 200);
		assert_int_equal(
		    json_array_size(json_object_get(r.json, "clients")), 0);
		response_free(&r);
	}
}

/* The cooperative orders; the plant settles and ships; nobody else. */
static void
test_write_permissions(void **state)
{
	struct fixture *f = *state;
	struct session a = as(f, TU_A_ADMIN), b = as(f, TU_B_ADMIN);
	struct session aud = as(f, TU_C_AUDITOR), exp = as(f, TU_A_EXPORT);
	struct response r;
	char body[512];

	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-27\",\"plant_org_id\":%lld,"
	    "\"inputs\":[{\"plant_receipt_id\":%d,\"kilos\":\"1\"}]}",
	    (long long)f->org_b, R_EU);
	session_call(f, &b, "POST", "/api/v1/process-orders", body, &r);
	expect(&r, 403, NULL);
	response_free(&r);
	session_call(f, &aud, "POST", "/api/v1/process-orders", body, &r);
	expect(&r, 403, NULL);
	response_free(&r);
	session_call(f, &exp, "POST", "/api/v1/process-orders", body, &r);
	expect(&r, 403, NULL);
	response_free(&r);
	session_call(f, &b, "POST", "/api/v1/marking-orders", "{}", &r);
	expect(&r, 403, NULL);
	response_free(&r);

	session_call(f, &a, "POST", "/api/v1/process-settlements",
	    "{\"process_order_id\":1,\"issued_on\":\"2017-06-27\","
	    "\"outputs\":{}}",
	    &r);
	expect(&r, 403, NULL);
	response_free(&r);
	session_call(f, &a, "POST", "/api/v1/plant-exits", "{}", &r);
	expect(&r, 403, NULL);
	response_free(&r);
	session_call(f, &aud, "POST", "/api/v1/plant-exits", "{}", &r);
	expect(&r, 403, NULL);
	response_free(&r);
}

/* Issue a process order of kilos from receipt; returns the answer. */
static void
order(struct fixture *f, struct session *s, const char *inputs,
    struct response *r)
{
	char body[1024];

	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-27\",\"plant_org_id\":%lld,"
	    "\"contract\":\"P17500\",\"process_type\":\"ORG\","
	    "\"quality\":\"Preparación a 10 defectos\",\"inputs\":[%s]}",
	    (long long)f->org_b, inputs);
	session_call(f, s, "POST", "/api/v1/process-orders", body, r);
}

static void
lop_post(struct fixture *f, struct session *s, int64_t order_id,
    const char *outputs, struct response *r)
{
	char body[1024];

	snprintf(body, sizeof(body),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-28\","
	    "\"outputs\":{%s}}",
	    (long long)order_id, outputs);
	session_call(f, s, "POST", "/api/v1/process-settlements", body, r);
}

static void
test_guide_lop_through_the_api(void **state)
{
	struct fixture *f = *state;
	struct session a = as(f, TU_A_CLERK), b = as(f, TU_B_CLERK);
	struct response r;
	char inputs[128];

	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"23400\"}", R_FULL);
	order(f, &a, inputs, &r);
	expect(&r, 201, NULL);
	api_order = num(r.json, "id");
	assert_string_equal(str(r.json, "input_kg"), "23400.000");
	assert_string_equal(str(r.json, "status"), "organic");
	assert_string_equal(
	    str(json_array_get(json_object_get(r.json, "inputs"), 0),
	        "balance_kg"),
	    "0.000");
	response_free(&r);

	/* One gram over, one gram under: refused; exact: accepted. */
	lop_post(f, &b, api_order, GUIDE_OUTPUTS ",\"husk\":\"4055.001\"", &r);
	expect(&r, 422, "mass_imbalance");
	assert_string_equal(str(first_error(&r), "field"), "outputs");
	response_free(&r);
	lop_post(f, &b, api_order, GUIDE_OUTPUTS ",\"husk\":\"4054.999\"", &r);
	expect(&r, 422, "mass_imbalance");
	response_free(&r);
	/* Outputs are a closed list. */
	lop_post(f, &b, api_order,
	    GUIDE_OUTPUTS ",\"husk\":\"4055\",\"bogus\":\"1\"", &r);
	expect(&r, 400, "unknown_field");
	assert_string_equal(str(first_error(&r), "field"), "outputs.bogus");
	response_free(&r);
	lop_post(f, &b, api_order, GUIDE_OUTPUTS ",\"husk\":\"4055\"", &r);
	expect(&r, 201, NULL);
	check_guide_lop(r.json);
	api_lop = num(r.json, "id");
	assert_int_equal(num(r.json, "number"), 1205);
	assert_string_equal(str(r.json, "lot_code"), "LOP-1205");
	assert_string_equal(str(r.json, "contract"), "P17500");
	assert_true(json_is_null(json_object_get(r.json, "marking_order")));
	response_free(&r);

	/* One live LOP per order. */
	lop_post(f, &b, api_order, GUIDE_OUTPUTS ",\"husk\":\"4055\"", &r);
	expect(&r, 409, "already_settled");
	response_free(&r);
}

static void
test_declared_shrinkage_balances(void **state)
{
	struct fixture *f = *state;
	struct session a = as(f, TU_A_CLERK), b = as(f, TU_B_CLERK);
	struct response r;
	char inputs[128];
	int64_t id;

	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"100\"}", R_EU);
	order(f, &a, inputs, &r);
	expect(&r, 201, NULL);
	id = num(r.json, "id");
	response_free(&r);
	lop_post(f, &b, id,
	    "\"export\":\"70\",\"husk\":\"29.5\",\"shrinkage\":\"0.5\"", &r);
	expect(&r, 201, NULL);
	assert_string_equal(
	    str(output_row(r.json, "shrinkage"), "product"), "Merma declarada");
	assert_int_equal(num(output_row(r.json, "shrinkage"), "item"), 11);
	assert_string_equal(
	    str(output_row(r.json, "shrinkage"), "pct"), "0.50");
	assert_int_equal(num(json_object_get(r.json, "export"), "sacks"), 1);
	response_free(&r);
}

static void
test_consumption_up_to_the_balance(void **state)
{
	struct fixture *f = *state;
	struct session a = as(f, TU_A_CLERK);
	struct response r;
	char inputs[128], path[96];
	int64_t second;

	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"5000\"}", R_7800);
	order(f, &a, inputs, &r);
	expect(&r, 201, NULL);
	assert_string_equal(
	    str(json_array_get(json_object_get(r.json, "inputs"), 0),
	        "balance_kg"),
	    "2800.000");
	response_free(&r);

	/* 2 800.001 kg is past the balance; 2 800 is all of it. */
	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"2800.001\"}", R_7800);
	order(f, &a, inputs, &r);
	expect(&r, 422, "insufficient_balance");
	assert_int_equal(num(first_error(&r), "plant_receipt_id"), R_7800);
	response_free(&r);
	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"2800\"}", R_7800);
	order(f, &a, inputs, &r);
	expect(&r, 201, NULL);
	second = num(r.json, "id");
	response_free(&r);
	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"0.001\"}", R_7800);
	order(f, &a, inputs, &r);
	expect(&r, 422, "insufficient_balance");
	response_free(&r);

	/* Annulling an order gives its kilos back to the receipt. */
	snprintf(path, sizeof(path), "/api/v1/process-orders/%lld/annul",
	    (long long)second);
	session_call(f, &a, "POST", path, "{\"reason\":\"Kilos errados\"}", &r);
	expect(&r, 200, NULL);
	assert_string_equal(str(json_object_get(r.json, "annulled"), "reason"),
	    "Kilos errados");
	assert_false(json_is_true(json_object_get(
	    json_array_get(json_object_get(r.json, "inputs"), 0), "live")));
	response_free(&r);
	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"2800\"}", R_7800);
	order(f, &a, inputs, &r);
	expect(&r, 201, NULL);
	response_free(&r);
	session_call(f, &a, "POST", path, "{\"reason\":\"otra vez\"}", &r);
	expect(&r, 409, "already_annulled");
	response_free(&r);
}

static void
test_order_rules(void **state)
{
	struct fixture *f = *state;
	struct session a = as(f, TU_A_CLERK);
	struct response r;
	char inputs[256], body[512];

	/* Segregation: one status, one program set. */
	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"10\"},"
	    "{\"plant_receipt_id\":%d,\"kilos\":\"10\"}",
	    R_EU, R_TRANS);
	order(f, &a, inputs, &r);
	expect(&r, 422, "mixed_status");
	assert_int_equal(num(first_error(&r), "plant_receipt_id"), R_TRANS);
	response_free(&r);
	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"10\"},"
	    "{\"plant_receipt_id\":%d,\"kilos\":\"10\"}",
	    R_EU, R_NOP);
	order(f, &a, inputs, &r);
	expect(&r, 422, "mixed_programs");
	response_free(&r);
	/* Transition coffee alone is fine, and stays transition. */
	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"780\"}", R_TRANS);
	order(f, &a, inputs, &r);
	expect(&r, 201, NULL);
	assert_string_equal(str(r.json, "status"), "transition");
	response_free(&r);

	/* Someone else's coffee, twice the same receipt, no inputs. */
	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"10\"}", R_OF_D);
	order(f, &a, inputs, &r);
	expect(&r, 422, "receipt_not_found");
	response_free(&r);
	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"10\"},"
	    "{\"plant_receipt_id\":%d,\"kilos\":\"10\"}",
	    R_EU, R_EU);
	order(f, &a, inputs, &r);
	expect(&r, 422, "duplicate_input");
	response_free(&r);
	order(f, &a, "", &r);
	expect(&r, 400, "count");
	response_free(&r);
	snprintf(inputs, sizeof(inputs),
	    "{\"plant_receipt_id\":%d,\"kilos\":\"0\"}", R_EU);
	order(f, &a, inputs, &r);
	expect(&r, 400, NULL);
	assert_string_equal(str(first_error(&r), "field"), "inputs[0].kilos");
	response_free(&r);

	/* The plant must be a plant; the order cannot predate the intake. */
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-27\",\"plant_org_id\":%lld,"
	    "\"inputs\":[{\"plant_receipt_id\":%d,\"kilos\":\"1\"}]}",
	    (long long)f->org_a, R_EU);
	session_call(f, &a, "POST", "/api/v1/process-orders", body, &r);
	expect(&r, 422, "not_a_plant");
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-20\",\"plant_org_id\":%lld,"
	    "\"inputs\":[{\"plant_receipt_id\":%d,\"kilos\":\"1\"}]}",
	    (long long)f->org_b, R_EU);
	session_call(f, &a, "POST", "/api/v1/process-orders", body, &r);
	expect(&r, 422, "before_receipt");
	response_free(&r);
}

/* Issue an exit of the API's LOP. */
static void
exit_post(struct fixture *f, struct session *s, const char *date,
    const char *doc, int sacks, const char *gross, const char *tare,
    struct response *r)
{
	char body[1024];

	snprintf(body, sizeof(body),
	    "{\"process_settlement_id\":%lld,\"issued_on\":\"%s\","
	    "\"destination\":\"Unimar\",\"destination_address\":\"Paita\","
	    "\"carrier\":{\"name\":\"Hugo Callupe\",\"doc\":\"%s\","
	    "\"plate\":\"BKI-080\",\"licence\":\"N2721364\","
	    "\"brand\":\"Volvo\",\"mtc\":\"151110617\"},"
	    "\"sacks\":%d,\"gross_kg\":\"%s\",\"tare_kg\":\"%s\"}",
	    (long long)api_lop, date, doc, sacks, gross, tare);
	session_call(f, s, "POST", "/api/v1/plant-exits", body, r);
}

static void
test_exits_never_exceed_the_lot(void **state)
{
	struct fixture *f = *state;
	struct session b = as(f, TU_B_CLERK);
	struct response r;
	char path[96];
	int64_t first;

	/* The guide's carrier RUC fails its check digit. */
	exit_post(f, &b, "2017-06-30", "10066109559", 200, "13940", "140", &r);
	expect(&r, 400, "invalid_document");
	assert_string_equal(str(first_error(&r), "field"), "carrier.doc");
	response_free(&r);
	exit_post(f, &b, "2017-06-27", "10066109556", 200, "13940", "140", &r);
	expect(&r, 422, "before_settlement");
	response_free(&r);
	exit_post(f, &b, "2017-06-30", "10066109556", 251, "17425", "175", &r);
	expect(&r, 422, "exceeds_lot");
	response_free(&r);

	exit_post(f, &b, "2017-06-30", "10066109556", 200, "13940", "140", &r);
	expect(&r, 201, NULL);
	first = num(r.json, "id");
	assert_string_equal(str(r.json, "net_kg"), "13800.000");
	/* No marking order: the LOP's lot and a plain description. */
	assert_string_equal(str(r.json, "lot_code"), "LOP-1205");
	assert_string_equal(str(r.json, "product_description"),
	    "Café verde tipo exportación orgánico envasado en sacos de yute "
	    "de 69 kg c/u");
	response_free(&r);

	/* 50 sacks are left, and 3 450 kg: one more of either is refused. */
	exit_post(f, &b, "2017-07-01", "08754611", 51, "3485", "35", &r);
	expect(&r, 422, "exceeds_lot");
	assert_string_equal(str(first_error(&r), "field"), "sacks");
	response_free(&r);
	exit_post(f, &b, "2017-07-01", "08754611", 50, "3485.001", "35", &r);
	expect(&r, 422, "exceeds_lot");
	assert_string_equal(str(first_error(&r), "field"), "gross_kg");
	response_free(&r);

	/* A LOP with live exits cannot be annulled. */
	snprintf(path, sizeof(path), "/api/v1/process-settlements/%lld/annul",
	    (long long)api_lop);
	session_call(f, &b, "POST", path, "{\"reason\":\"Error\"}", &r);
	expect(&r, 409, "has_live_dependent");
	response_free(&r);

	exit_post(f, &b, "2017-07-01", "08754611", 50, "3485", "35", &r);
	expect(&r, 201, NULL);
	response_free(&r);
	{
		char get[96];

		snprintf(get, sizeof(get), "/api/v1/process-settlements/%lld",
		    (long long)api_lop);
		session_call(f, &b, "GET", get, NULL, &r);
		assert_int_equal(
		    num(json_object_get(r.json, "available"), "sacks"), 0);
		assert_string_equal(
		    str(json_object_get(r.json, "available"), "kilos"),
		    "0.000");
		response_free(&r);
	}
	/* Annulling an exit frees its sacks again. */
	snprintf(path, sizeof(path), "/api/v1/plant-exits/%lld/annul",
	    (long long)first);
	session_call(f, &b, "POST", path, "{\"reason\":\"Placa errada\"}", &r);
	expect(&r, 200, NULL);
	response_free(&r);
	/* Only the carrier's name, document and plate are required. */
	{
		char body[512];

		snprintf(body, sizeof(body),
		    "{\"process_settlement_id\":%lld,\"issued_on\":"
		    "\"2017-07-02\",\"destination\":\"Unimar\",\"carrier\":"
		    "{\"name\":\"Hugo Callupe\",\"doc\":\"10066109556\","
		    "\"plate\":\"BKI-080\"},\"sacks\":200,\"gross_kg\":"
		    "\"13940\",\"tare_kg\":\"140\"}",
		    (long long)api_lop);
		session_call(f, &b, "POST", "/api/v1/plant-exits", body, &r);
	}
	expect(&r, 201, NULL);
	assert_string_equal(
	    str(json_object_get(r.json, "carrier"), "licence"), "");
	response_free(&r);
	exit_post(f, &b, "2017-07-02", "10066109556", 1, "69.5", "0.5", &r);
	expect(&r, 422, "exceeds_lot");
	response_free(&r);
}

static void
test_marking_order_rules(void **state)
{
	struct fixture *f = *state;
	struct session a = as(f, TU_A_CLERK);
	struct response r;
	char body[768], path[96];
	int64_t id;

	snprintf(body, sizeof(body),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-27\","
	    "\"sacks\":340,\"marks\":\"LOT No 005-17\"}",
	    (long long)api_order);
	/* 340 x 69 kg = 23 460 kg: more than the order's 23 400. */
	session_call(f, &a, "POST", "/api/v1/marking-orders", body, &r);
	expect(&r, 422, "exceeds_order");
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-27\","
	    "\"sacks\":250,\"marks\":\"LOT No 005-17\",\"ico_mark\":"
	    "\"30/861/1545\",\"organic_lot\":\"005-17\","
	    "\"delivery_on\":\"2017-06-26\"}",
	    (long long)api_order);
	session_call(f, &a, "POST", "/api/v1/marking-orders", body, &r);
	expect(&r, 422, "before_issue");
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-27\","
	    "\"sacks\":250,\"marks\":\"LOT No 005-17\",\"ico_mark\":"
	    "\"30/861/1545\",\"organic_lot\":\"005-17\"}",
	    (long long)api_order);
	session_call(f, &a, "POST", "/api/v1/marking-orders", body, &r);
	expect(&r, 201, NULL);
	id = num(r.json, "id");
	assert_string_equal(str(r.json, "number_text"), "030-17");
	assert_string_equal(str(r.json, "contract"), "P17500");
	assert_string_equal(str(r.json, "net_per_sack_kg"), "69.000");
	assert_string_equal(str(r.json, "total_kg"), "17250.000");
	response_free(&r);
	session_call(f, &a, "POST", "/api/v1/marking-orders", body, &r);
	expect(&r, 409, "already_has_marking_order");
	response_free(&r);

	/* The order has a LOP and a marking order: it stays. */
	snprintf(path, sizeof(path), "/api/v1/process-orders/%lld/annul",
	    (long long)api_order);
	session_call(f, &a, "POST", path, "{\"reason\":\"Error\"}", &r);
	expect(&r, 409, "has_live_dependent");
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/marking-orders/%lld/annul",
	    (long long)id);
	session_call(f, &a, "POST", path, "{\"reason\":\"Marcas\"}", &r);
	expect(&r, 200, NULL);
	response_free(&r);
}

static void
test_processed_coffee_register(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_C_AUDITOR);
	struct response r;
	char buf[128];

	session_call(f, &s, "GET", "/api/v1/process-settlements.csv", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(r.body, "LOP n.º;Fecha;Cliente;RUC cliente"));
	assert_non_null(strstr(r.body,
	    "1204;25/06/2017;Cooperativa A;20427376983;P17446;ORG;"
	    "Preparación a 10 defectos;LOP-1204;orgánico;EU;"));
	assert_non_null(strstr(r.body,
	    ";23400.000;17250.000;250;375.00;1088.000;381.000;151.000;"
	    "177.000;148.000;150.000;19345.000;0.000;4055.000;0.000;73.72;"
	    "Vigente\r\n"));
	/* In order: 1204 before 1205. */
	assert_true(strstr(r.body, "\r\n1204;") < strstr(r.body, "\r\n1205;"));
	assert_non_null(
	    strstr(response_header(&r, "Content-Disposition", buf, sizeof(buf)),
	        "registro-de-cafe-procesado.csv"));
	response_free(&r);

	/* Lists: the latest first. */
	session_call(f, &s, "GET", "/api/v1/process-settlements", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(num(json_array_get(json_object_get(r.json, "items"), 0),
	                "number") > 1204);
	response_free(&r);
	session_call(
	    f, &s, "GET", "/api/v1/process-settlements?status=mixed", NULL, &r);
	expect(&r, 400, "invalid");
	response_free(&r);
}

/* Issued documents are evidence: the database refuses edits. */
static void
test_documents_are_immutable(void **state)
{
	struct fixture *f = *state;
	struct db *db = NULL;
	char *err = NULL;
	int rc;

	assert_int_equal(harness_db(f, &db), 0);
	rc = sqlite3_exec(db_handle(db),
	    "UPDATE process_settlements SET lot_code = 'X' WHERE number = 1204",
	    NULL, NULL, &err);
	assert_int_not_equal(rc, SQLITE_OK);
	sqlite3_free(err);
	rc = sqlite3_exec(db_handle(db),
	    "UPDATE process_order_inputs SET live = 0", NULL, NULL, &err);
	assert_int_not_equal(rc, SQLITE_OK);
	sqlite3_free(err);
	rc = sqlite3_exec(db_handle(db),
	    "DELETE FROM process_settlement_outputs", NULL, NULL, &err);
	assert_int_not_equal(rc, SQLITE_OK);
	sqlite3_free(err);
	rc = sqlite3_exec(db_handle(db),
	    "UPDATE plant_exits SET sacks = 1 WHERE number = 4512", NULL, NULL,
	    &err);
	assert_int_not_equal(rc, SQLITE_OK);
	sqlite3_free(err);
	rc = sqlite3_exec(db_handle(db),
	    "UPDATE process_settlements SET parties = '{}'", NULL, NULL, &err);
	assert_int_not_equal(rc, SQLITE_OK);
	sqlite3_free(err);
	db_close(db);
}

/* A reprint shows the parties as printed, whatever the registry says. */
static void
test_parties_frozen_at_issue(void **state)
{
	struct fixture *f = *state;
	struct session b = as(f, TU_B_CLERK);
	struct response r;
	struct db *db = NULL;
	json_t *x;

	assert_int_equal(harness_db(f, &db), 0);
	assert_int_equal(sqlite3_exec(db_handle(db),
	                     "UPDATE organizations SET name = 'Otro nombre',"
	                     " address = 'Otra dirección'",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	db_close(db);
	session_call(f, &b, "GET", "/api/v1/plant-exits?number=4512", NULL, &r);
	x = only_item(&r);
	assert_string_equal(
	    str(json_object_get(x, "client"), "name"), "Cooperativa A");
	assert_string_equal(
	    str(json_object_get(x, "organization"), "name"), "Planta B");
	assert_string_equal(
	    str(json_object_get(json_object_get(x, "carrier_guide"), "sender"),
	        "name"),
	    "Cooperativa A");
	response_free(&r);
	session_call(f, &b, "GET", "/api/v1/process-orders?number=1", NULL, &r);
	assert_string_equal(
	    str(json_object_get(
	            json_array_get(json_object_get(r.json, "items"), 0),
	            "plant"),
	        "name"),
	    "Planta B");
	response_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: the kárdex holds only the demo's LOP 1204. */
		cmocka_unit_test(test_demo_guide_story),
		cmocka_unit_test(test_visibility),
		cmocka_unit_test(test_write_permissions),
		cmocka_unit_test(test_guide_lop_through_the_api),
		cmocka_unit_test(test_declared_shrinkage_balances),
		cmocka_unit_test(test_consumption_up_to_the_balance),
		cmocka_unit_test(test_order_rules),
		cmocka_unit_test(test_exits_never_exceed_the_lot),
		cmocka_unit_test(test_marking_order_rules),
		cmocka_unit_test(test_processed_coffee_register),
		cmocka_unit_test(test_documents_are_immutable),
		/* Last: it renames every organization. */
		cmocka_unit_test(test_parties_frozen_at_issue),
	};

	return cmocka_run_group_tests(tests, setup, harness_teardown);
}
