/*
 * The transfer documents over real HTTP: the guide's guía de remisión
 * 5469 with its 15-producer list and guía de ingreso 3052 to the digit,
 * and every rule of the stage with its refusal (segregation, one live
 * dispatch per note, one live receipt per dispatch, annulment order,
 * who may receive, who may see).  Cooperative A's acopio data is the
 * demo's (demo_acopio_seed(): the guide's 15 deliveries of lot CO-2365,
 * notes 10685-10700 with 10688 annulled); further deliveries go through
 * the acopio API.  A second plant, E, is added for the access rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/admin.h"
#include "pergamino/audit.h"
#include "pergamino/db.h"
#include "pergamino/transfer.h"

/* Plant E: a plant no dispatch is addressed to. */
static int64_t org_e;
static const char *const e_clerk = "e-clerk";
/* Guía 5469 and guía de ingreso 3052, once issued. */
static int64_t g_dispatch, g_receipt;

static int
setup(void **state)
{
	struct fixture *f;
	struct db *db = NULL;
	struct org e = { 0, "Planta E", "20600000021", ORG_PLANT,
		"Jr. Amazonas 100, Jaén", "", 0 };
	struct user u = { 0 };
	struct msg why;
	int rc = 0;

	if (harness_setup(state) != 0)
		return -1;
	f = *state;
	if (harness_db(f, &db) != 0)
		return -1;
	if (demo_acopio_seed(db, f->org_a, f->users[TU_A_ADMIN].id,
	        f->users[TU_A_CLERK].id) != ERR_OK ||
	    admin_org_add(db, &e, &why) != ERR_OK)
		rc = -1;
	org_e = e.id;
	u.username = e_clerk;
	u.display_name = e_clerk;
	u.role = ROLE_CLERK;
	u.organization_id = org_e;
	if (rc == 0 && admin_user_add(db, &u, TEST_PASSWORD, &why) != ERR_OK)
		rc = -1;
	db_close(db);
	return rc;
}

static struct session
as(struct fixture *f, enum test_user u)
{
	struct session s;

	assert_int_equal(
	    session_login(f, f->users[u].username, TEST_PASSWORD, &s), 200);
	return s;
}

static struct session
as_e(struct fixture *f)
{
	struct session s;

	assert_int_equal(session_login(f, e_clerk, TEST_PASSWORD, &s), 200);
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

/* Expect status and the first error's field and code. */
static void
expect_refusal(
    struct response *r, long status, const char *field, const char *code)
{
	json_t *e = first_error(r);

	if (r->status != status || strcmp(str(e, "field"), field) != 0 ||
	    strcmp(str(e, "code"), code) != 0)
		fail_msg("want %ld %s %s, got %ld %s", status, field, code,
		    r->status, r->body);
}

/* The id of A's live warehouse note number. */
static int64_t
note_id(struct fixture *f, struct session *s, int number)
{
	struct response r;
	char path[96];
	int64_t id;

	snprintf(path, sizeof(path),
	    "/api/v1/warehouse-notes?number=%d&annulled=0", number);
	session_call(f, s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	id = num(json_array_get(json_object_get(r.json, "items"), 0), "id");
	response_free(&r);
	assert_true(id > 0);
	return id;
}

/* A new delivery of the producer with dni, with its note; the note id. */
static int64_t
deliver(struct fixture *f, struct session *s, const char *dni,
    const char *status, const char *date)
{
	struct response r;
	char path[96], body[512];
	int64_t producer, reception, note;

	snprintf(path, sizeof(path), "/api/v1/producers/by-dni/%s", dni);
	session_call(f, s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	producer = num(r.json, "id");
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"%s\",\"status\":\"%s\","
	    "\"sacks\":2,\"gross_kg\":\"120.4\",\"tare_kg\":\"0.4\","
	    "\"humidity\":\"12.0\"}",
	    (long long)producer, date, status);
	session_call(f, s, "POST", "/api/v1/receptions", body, &r);
	if (r.status != 201)
		fail_msg("reception: %ld %s", r.status, r.body);
	reception = num(r.json, "id");
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"reception_id\":%lld,\"issued_on\":\"%s\","
	    "\"price_per_qq\":\"380\"}",
	    (long long)reception, date);
	session_call(f, s, "POST", "/api/v1/warehouse-notes", body, &r);
	assert_int_equal(r.status, 201);
	note = num(r.json, "id");
	response_free(&r);
	return note;
}

#define JUAN "08754611"    /* organic, EU, on the 2017 LPA */
#define ROSA "43567812"    /* in transition */
#define TEODORO "40876543" /* conventional */
#define CARRIER                                                                \
	"\"carrier\":{\"name\":\"Pablo Chacón\",\"doc\":\"10105634205\","     \
	"\"plate\":\"ABW-080\",\"licence\":\"A225639\",\"brand\":\"Volvo\","   \
	"\"mtc\":\"5690\"}"

/* POST a small dispatch of notes (a JSON list) to org; *r answered. */
static void
dispatch_to(struct fixture *f, struct session *s, int64_t org, const char *date,
    const char *notes, struct response *r)
{
	char body[1024];

	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"%s\",\"recipient_org_id\":%lld,\"reason\":"
	    "3," CARRIER ",\"lot_code\":\"CO-T\",\"sacks\":2,"
	    "\"declared_kg\":\"120\",\"note_ids\":%s}",
	    date, (long long)org, notes);
	session_call(f, s, "POST", "/api/v1/dispatches", body, r);
}

/* A dispatch's id from a 201, or a failure. */
static int64_t
created(struct response *r)
{
	int64_t id;

	if (r->status != 201)
		fail_msg("want 201, got %ld %s", r->status, r->body);
	id = num(r->json, "id");
	response_free(r);
	return id;
}

/* Does the page in r list document id? */
static bool
list_has(struct response *r, int64_t id)
{
	json_t *item;
	size_t i;

	json_array_foreach(json_object_get(r->json, "items"), i, item)
	{
		if (num(item, "id") == id)
			return true;
	}
	return false;
}

static void
check_list_row(json_t *row, int n, int note, const char *name, const char *date,
    int ticket, int sacks, const char *net, int settlement)
{
	if (num(row, "n") != n ||
	    num(json_object_get(row, "note"), "number") != note ||
	    strcmp(str(json_object_get(row, "producer"), "full_name"), name) !=
	        0 ||
	    strcmp(str(row, "date"), date) != 0 ||
	    num(json_object_get(row, "ticket"), "number") != ticket ||
	    num(row, "sacks") != sacks ||
	    strcmp(str(row, "net_kg"), net) != 0 ||
	    num(json_object_get(row, "settlement"), "number") != settlement)
		fail_msg("row %d: %s", n, json_dumps(row, JSON_COMPACT));
}

static void
test_guide_guia_5469_with_its_producer_list(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	static const int numbers[] = { 10685, 10686, 10687, 10689, 10690, 10691,
		10692, 10693, 10694, 10695, 10696, 10697, 10698, 10699, 10700 };
	struct response r;
	char body[2048], ids[256], path[96];
	json_t *rec, *list, *rows, *row;
	size_t i, n = 0;
	int64_t sacks = 0;

	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		n += (size_t)snprintf(ids + n, sizeof(ids) - n, "%s%lld",
		    i == 0 ? "[" : ",", (long long)note_id(f, &s, numbers[i]));
	snprintf(ids + n, sizeof(ids) - n, "]");
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-23\",\"transfer_on\":\"2017-06-23\","
	    "\"recipient_org_id\":%lld,\"departure_address\":\"Jr. Jaén n.º "
	    "874, San Ignacio, Cajamarca\",\"arrival_address\":\"Jr. Huáscar "
	    "n.º 563, Jaén, Cajamarca\",\"reason\":3," CARRIER
	    ",\"lot_code\":\"CO-2365\",\"description\":\"Café pergamino - "
	    "orgánico\",\"unit\":\"Sacos\",\"sacks\":300,"
	    "\"declared_kg\":\"23400.00\",\"note_ids\":%s}",
	    (long long)f->org_b, ids);
	session_call(f, &s, "POST", "/api/v1/dispatches", body, &r);
	assert_int_equal(r.status, 201);
	assert_int_equal(num(r.json, "number"), 5469);
	assert_string_equal(str(r.json, "number_text"), "5469");
	assert_string_equal(str(r.json, "status"), "organic");
	assert_string_equal(str(r.json, "coffee_type"), "ORG-EU");
	assert_string_equal(str(r.json, "reason_text"), "Transformación");
	assert_string_equal(
	    str(json_object_get(r.json, "recipient"), "name"), "Planta B");
	assert_string_equal(
	    str(json_object_get(r.json, "recipient"), "ruc"), "20510780796");
	assert_string_equal(
	    str(json_object_get(r.json, "carrier"), "doc_type"), "ruc");
	assert_string_equal(
	    str(json_object_get(r.json, "carrier"), "plate"), "ABW-080");
	assert_int_equal(
	    num(json_array_get(json_object_get(r.json, "items"), 0),
	        "quantity"),
	    300);
	assert_string_equal(str(r.json, "declared_kg"), "23400.000");
	assert_int_equal(num(r.json, "notes_sacks"), 300);
	assert_string_equal(str(r.json, "notes_kg"), "23417.950");
	/* The guide's notes weigh 17.95 kg more than the guía declares. */
	rec = json_object_get(r.json, "reconciliation");
	assert_string_equal(str(rec, "shrinkage_kg"), "17.950");
	assert_string_equal(str(rec, "shrinkage_pct"), "0.08");
	assert_string_equal(str(rec, "tolerance_pct"), "0.50");
	assert_false(json_is_true(json_object_get(rec, "flagged")));
	assert_int_equal(num(rec, "sacks_difference"), 0);
	assert_true(json_is_null(json_object_get(r.json, "plant_receipt")));

	list = json_object_get(r.json, "producer_list");
	assert_string_equal(str(list, "number"), "CO-2365");
	assert_int_equal(num(list, "total_sacks"), 300);
	assert_string_equal(str(list, "total_kg"), "23417.950");
	rows = json_object_get(list, "rows");
	assert_int_equal(json_array_size(rows), 15);
	check_list_row(json_array_get(rows, 0), 1, 10685, "Juan Pérez Vargas",
	    "2017-06-10", 8727, 7, "472.600", 34795);
	assert_string_equal(
	    str(json_object_get(json_array_get(rows, 0), "producer"), "dni"),
	    "08754611");
	check_list_row(json_array_get(rows, 3), 4, 10689, "Marian Ninamango",
	    "2017-06-11", 8730, 18, "1404.000", 34798);
	/* Liquidación 34804 was annulled: the list shows the live 34805. */
	check_list_row(json_array_get(rows, 9), 10, 10695, "María Requejo",
	    "2017-06-17", 8736, 12, "936.000", 34805);
	check_list_row(json_array_get(rows, 14), 15, 10700, "Jenny Obregón",
	    "2017-06-22", 8741, 12, "977.350", 34810);
	json_array_foreach(rows, i, row)
	{
		sacks += num(row, "sacks");
	}
	assert_int_equal(sacks, 300);
	g_dispatch = num(r.json, "id");
	response_free(&r);

	/* The same document when read again. */
	snprintf(path, sizeof(path), "/api/v1/dispatches/%lld",
	    (long long)g_dispatch);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "producer_list"), "total_kg"),
	    "23417.950");
	response_free(&r);
}

static void
test_plant_receives_3052(void **state)
{
	struct fixture *f = *state;
	struct session admin = as(f, TU_B_ADMIN), s = as(f, TU_B_CLERK);
	struct response r;
	char body[512], path[96];
	json_t *rec;

	session_call(f, &admin, "POST", "/api/v1/numbering",
	    "{\"doc_type\":\"plant_receipt\",\"next_number\":3052}", &r);
	assert_int_equal(r.status, 200);
	response_free(&r);

	/* The plant sees the dispatch addressed to it, with its list. */
	session_call(f, &s, "GET", "/api/v1/dispatches?incoming=1", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	assert_int_equal(
	    num(json_array_get(json_object_get(r.json, "items"), 0), "number"),
	    5469);
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/dispatches/%lld",
	    (long long)g_dispatch);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(
	                     json_object_get(r.json, "producer_list"), "rows")),
	    15);
	response_free(&r);

	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-24\","
	    "\"sacks\":300,\"gross_kg\":\"23610\",\"tare_kg\":\"210\","
	    "\"humidity\":\"12.5\",\"subproduct_pct\":\"13.50\","
	    "\"husk_pct\":\"21.50\",\"cup_score\":\"83\"}",
	    (long long)g_dispatch);
	session_call(f, &s, "POST", "/api/v1/plant-receipts", body, &r);
	assert_int_equal(r.status, 201);
	assert_int_equal(num(r.json, "number"), 3052);
	assert_string_equal(str(r.json, "gross_kg"), "23610.000");
	assert_string_equal(str(r.json, "tare_kg"), "210.000");
	assert_string_equal(str(r.json, "net_kg"), "23400.000");
	assert_string_equal(str(r.json, "humidity"), "12.5");
	assert_string_equal(str(r.json, "cup_score"), "83.00");
	assert_true(json_is_null(json_object_get(r.json, "yield_pct")));
	/* What the form copies from the client's guía. */
	assert_string_equal(
	    str(json_object_get(r.json, "client"), "name"), "Cooperativa A");
	assert_string_equal(
	    str(json_object_get(r.json, "dispatch"), "number_text"), "5469");
	assert_string_equal(
	    str(r.json, "product"), "Café pergamino - orgánico");
	assert_string_equal(str(r.json, "carrier_name"), "Pablo Chacón");
	assert_string_equal(str(r.json, "vehicle_plate"), "ABW-080");
	assert_string_equal(str(r.json, "status"), "organic");
	assert_string_equal(str(r.json, "status_label"), "Orgánico");
	assert_string_equal(str(r.json, "coffee_type"), "ORG-EU");
	rec = json_object_get(r.json, "reconciliation");
	assert_string_equal(str(rec, "dispatch_kg"), "23400.000");
	assert_string_equal(str(rec, "difference_kg"), "0.000");
	assert_string_equal(str(rec, "difference_pct"), "0.00");
	assert_false(json_is_true(json_object_get(rec, "flagged")));
	assert_string_equal(str(r.json, "consumed_kg"), "0.000");
	assert_string_equal(str(r.json, "balance_kg"), "23400.000");
	g_receipt = num(r.json, "id");
	response_free(&r);

	/* One live receipt per dispatch; no longer incoming. */
	session_call(f, &s, "POST", "/api/v1/plant-receipts", body, &r);
	expect_refusal(&r, 409, "dispatch_id", "already_received");
	response_free(&r);
	session_call(f, &s, "GET", "/api/v1/dispatches?incoming=1", NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	response_free(&r);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_int_equal(
	    num(json_object_get(r.json, "plant_receipt"), "number"), 3052);
	response_free(&r);
}

/* Both sides and A's auditor read; nobody else sees anything. */
static void
test_who_sees_what(void **state)
{
	struct fixture *f = *state;
	struct session coop = as(f, TU_A_EXPORT), aud = as(f, TU_C_AUDITOR);
	struct session aud2 = as(f, TU_C_AUDITOR2), out = as(f, TU_D_ADMIN);
	struct session plant_e = as_e(f);
	struct session *blind[] = { &aud2, &out, &plant_e };
	static const char *const lists[] = { "/api/v1/dispatches",
		"/api/v1/dispatches.csv", "/api/v1/plant-receipts",
		"/api/v1/plant-receipts.csv" };
	struct response r;
	char dpath[96], rpath[96];
	size_t i, j;

	snprintf(dpath, sizeof(dpath), "/api/v1/dispatches/%lld",
	    (long long)g_dispatch);
	snprintf(rpath, sizeof(rpath), "/api/v1/plant-receipts/%lld",
	    (long long)g_receipt);
	/* The cooperative sees the receipt of its coffee. */
	session_call(f, &coop, "GET", rpath, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "balance_kg"), "23400.000");
	response_free(&r);
	session_call(f, &coop, "GET", "/api/v1/plant-receipts", NULL, &r);
	assert_non_null(strstr(r.body, "\"number\":3052"));
	response_free(&r);
	/* The auditor A granted reads both, and cannot write. */
	session_call(f, &aud, "GET", dpath, NULL, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	session_call(f, &aud, "GET", rpath, NULL, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	session_call(
	    f, &aud, "GET", "/api/v1/dispatches?lot_code=CO-2365", NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	response_free(&r);
	session_call(f, &aud, "POST", "/api/v1/dispatches/1/annul", "{}", &r);
	assert_int_equal(r.status, 403);
	response_free(&r);

	for (i = 0; i < sizeof(blind) / sizeof(blind[0]); i++) {
		session_call(f, blind[i], "GET", dpath, NULL, &r);
		assert_int_equal(r.status, 404);
		response_free(&r);
		session_call(f, blind[i], "GET", rpath, NULL, &r);
		assert_int_equal(r.status, 404);
		response_free(&r);
		for (j = 0; j < sizeof(lists) / sizeof(lists[0]); j++) {
			session_call(f, blind[i], "GET", lists[j], NULL, &r);
			assert_int_equal(r.status, 200);
			assert_null(strstr(r.body, "5469"));
			assert_null(strstr(r.body, "08754611"));
			response_free(&r);
		}
	}
	/* An outsider cannot annul what it cannot see. */
	snprintf(dpath, sizeof(dpath), "/api/v1/dispatches/%lld/annul",
	    (long long)g_dispatch);
	session_call(f, &out, "POST", dpath, "{\"reason\":\"x\"}", &r);
	assert_int_equal(r.status, 404);
	response_free(&r);
}

/* Organic never travels with conventional or transition coffee. */
static void
test_segregation(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct response r;
	int64_t organic, conventional, transition;
	char notes[96];

	organic = deliver(f, &s, JUAN, "organic", "2017-06-25");
	conventional = deliver(f, &s, TEODORO, "conventional", "2017-06-25");
	transition = deliver(f, &s, ROSA, "transition", "2017-06-25");
	snprintf(notes, sizeof(notes), "[%lld,%lld]", (long long)organic,
	    (long long)conventional);
	dispatch_to(f, &s, f->org_b, "2017-06-26", notes, &r);
	expect_refusal(&r, 422, "note_ids", "segregation");
	assert_int_equal(num(first_error(&r), "note_id"), conventional);
	response_free(&r);
	snprintf(notes, sizeof(notes), "[%lld,%lld]", (long long)transition,
	    (long long)organic);
	dispatch_to(f, &s, f->org_b, "2017-06-26", notes, &r);
	expect_refusal(&r, 422, "note_ids", "segregation");
	assert_int_equal(num(first_error(&r), "note_id"), organic);
	response_free(&r);

	/* Alone, each goes, with its own status. */
	snprintf(notes, sizeof(notes), "[%lld]", (long long)transition);
	dispatch_to(f, &s, f->org_b, "2017-06-26", notes, &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(str(r.json, "status"), "transition");
	assert_string_equal(str(r.json, "coffee_type"), "TRANS");
	assert_string_equal(
	    str(r.json, "description"), "Café pergamino - en transición");
	response_free(&r);
}

static void
test_note_rules_and_annul_frees_notes(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK), plant = as(f, TU_B_CLERK);
	struct response r;
	int64_t n1, n2, d, annulled_note;
	char notes[96], path[96];

	/* A note of guía 5469 cannot travel twice. */
	snprintf(
	    notes, sizeof(notes), "[%lld]", (long long)note_id(f, &s, 10690));
	dispatch_to(f, &s, f->org_b, "2017-06-26", notes, &r);
	expect_refusal(&r, 409, "note_ids", "note_already_dispatched");
	response_free(&r);
	/* Nota 10688 was annulled by the demo. */
	session_call(
	    f, &s, "GET", "/api/v1/warehouse-notes?number=10688", NULL, &r);
	annulled_note =
	    num(json_array_get(json_object_get(r.json, "items"), 0), "id");
	response_free(&r);
	snprintf(notes, sizeof(notes), "[%lld]", (long long)annulled_note);
	dispatch_to(f, &s, f->org_b, "2017-06-26", notes, &r);
	expect_refusal(&r, 409, "note_ids", "note_annulled");
	response_free(&r);

	n1 = deliver(f, &s, TEODORO, "conventional", "2017-06-27");
	n2 = deliver(f, &s, TEODORO, "conventional", "2017-06-27");
	snprintf(
	    notes, sizeof(notes), "[%lld,%lld]", (long long)n1, (long long)n1);
	dispatch_to(f, &s, f->org_b, "2017-06-27", notes, &r);
	expect_refusal(&r, 400, "note_ids", "duplicate");
	response_free(&r);
	dispatch_to(f, &s, f->org_b, "2017-06-27", "[999999]", &r);
	expect_refusal(&r, 422, "note_ids", "not_found");
	response_free(&r);
	snprintf(notes, sizeof(notes), "[%lld]", (long long)n1);
	dispatch_to(f, &s, f->org_b, "2017-06-26", notes, &r);
	expect_refusal(&r, 422, "note_ids", "note_after_dispatch");
	response_free(&r);

	snprintf(
	    notes, sizeof(notes), "[%lld,%lld]", (long long)n1, (long long)n2);
	dispatch_to(f, &s, f->org_b, "2017-06-27", notes, &r);
	d = created(&r);
	/* A note in a live dispatch cannot be annulled. */
	snprintf(path, sizeof(path), "/api/v1/warehouse-notes/%lld/annul",
	    (long long)n1);
	session_call(f, &s, "POST", path, "{\"reason\":\"Error\"}", &r);
	assert_int_equal(r.status, 409);
	response_free(&r);
	dispatch_to(f, &s, f->org_b, "2017-06-27", notes, &r);
	expect_refusal(&r, 409, "note_ids", "note_already_dispatched");
	assert_int_equal(num(first_error(&r), "note_id"), n1);
	response_free(&r);

	/* Only the issuer annuls; then the notes are free again. */
	snprintf(
	    path, sizeof(path), "/api/v1/dispatches/%lld/annul", (long long)d);
	session_call(f, &plant, "POST", path, "{\"reason\":\"x\"}", &r);
	assert_int_equal(r.status, 403);
	response_free(&r);
	session_call(f, &s, "POST", path, "{}", &r);
	expect_refusal(&r, 400, "reason", "required");
	response_free(&r);
	session_call(
	    f, &s, "POST", path, "{\"reason\":\"Placa equivocada\"}", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(json_object_get(r.json, "annulled"), "reason"),
	    "Placa equivocada");
	/* The annulled guía keeps its list, for the record. */
	assert_int_equal(json_array_size(json_object_get(
	                     json_object_get(r.json, "producer_list"), "rows")),
	    2);
	response_free(&r);
	session_call(f, &s, "POST", path, "{\"reason\":\"otra vez\"}", &r);
	expect_refusal(&r, 409, "id", "already_annulled");
	response_free(&r);
	dispatch_to(f, &s, f->org_b, "2017-06-27", notes, &r);
	assert_int_equal(r.status, 201);
	assert_int_equal(num(r.json, "notes_sacks"), 4);
	assert_string_equal(str(r.json, "notes_kg"), "240.000");
	/* 120 kg declared for 240 kg of notes: flagged. */
	assert_true(json_is_true(json_object_get(
	    json_object_get(r.json, "reconciliation"), "flagged")));
	response_free(&r);
	/* The plant never sees the annulled one as incoming. */
	session_call(
	    f, &plant, "GET", "/api/v1/dispatches?incoming=1", NULL, &r);
	assert_null(strstr(r.body, "Placa equivocada"));
	response_free(&r);
}

static void
test_dispatch_validation(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct response r;
	char body[1024];
	int64_t n;
	/* clang-format off */
	static const struct {
		const char *reason, *carrier, *extra;
		long status;
		const char *field, *code;
	} cases[] = {
		{ "9", CARRIER, "", 400, "reason", "out_of_range" },
		{ "8", CARRIER, "", 400, "reason_other", "required" },
		{ "3", CARRIER, ",\"reason_other\":\"x\"", 400, "reason_other",
		  "only_with_other" },
		{ "3", "\"carrier\":{\"name\":\"Pablo Chacón\",\"doc\":"
		  "\"101056342\"}", "", 400, "carrier.doc", "invalid" },
		{ "3", "\"carrier\":{\"name\":\"Pablo Chacón\",\"doc\":"
		  "\"10105634204\"}", "", 400, "carrier.doc", "invalid" },
		{ "3", "\"carrier\":{\"doc\":\"08754611\"}", "", 400,
		  "carrier.name", "required" },
		{ "3", "\"carrier\":{\"name\":\"P\",\"doc\":\"08754611\","
		  "\"ruc\":\"1\"}", "", 400, "carrier.ruc", "unknown_field" },
		{ "3", "\"carrier\":\"Pablo\"", "", 400, "carrier", "type" },
		{ "3", "\"observations\":\"-\"", "", 400, "carrier",
		  "required" },
		{ "3", CARRIER, ",\"transfer_on\":\"2017-06-27\"", 422,
		  "transfer_on", "before_issue" },
		{ "3", CARRIER, ",\"owner\":1", 400, "owner", "unknown_field" },
	};
	/* clang-format on */
	size_t i;

	n = deliver(f, &s, TEODORO, "conventional", "2017-06-28");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(body, sizeof(body),
		    "{\"issued_on\":\"2017-06-28\",\"recipient_org_id\":%lld,"
		    "\"reason\":%s,%s,\"lot_code\":\"CO-V\",\"sacks\":2,"
		    "\"declared_kg\":\"120\",\"note_ids\":[%lld]%s}",
		    (long long)f->org_b, cases[i].reason, cases[i].carrier,
		    (long long)n, cases[i].extra);
		session_call(f, &s, "POST", "/api/v1/dispatches", body, &r);
		if (r.status != cases[i].status)
			fail_msg("case %zu: %ld %s", i, r.status, r.body);
		expect_refusal(
		    &r, cases[i].status, cases[i].field, cases[i].code);
		response_free(&r);
	}
	dispatch_to(f, &s, 999999, "2017-06-28", "[1]", &r);
	expect_refusal(&r, 422, "recipient_org_id", "not_found");
	response_free(&r);
	dispatch_to(f, &s, f->org_b, "2017-06-28", "[]", &r);
	expect_refusal(&r, 400, "note_ids", "type");
	response_free(&r);
	dispatch_to(f, &s, f->org_b, "2017-06-28", "[\"10685\"]", &r);
	expect_refusal(&r, 400, "note_ids", "type");
	response_free(&r);
	/* Nothing was issued: the note is still free. */
	session_call(
	    f, &s, "GET", "/api/v1/dispatches?lot_code=CO-V", NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	response_free(&r);
}

/* Only the plant a dispatch is addressed to receives it. */
static void
test_receipt_only_by_recipient(void **state)
{
	struct fixture *f = *state;
	struct session coop = as(f, TU_A_CLERK), plant = as(f, TU_B_CLERK);
	struct session out = as(f, TU_D_ADMIN), other = as_e(f);
	struct response r;
	char notes[64], body[256];
	int64_t to_b, to_d;

	snprintf(notes, sizeof(notes), "[%lld]",
	    (long long)deliver(
	        f, &coop, TEODORO, "conventional", "2017-06-29"));
	dispatch_to(f, &coop, f->org_b, "2017-06-29", notes, &r);
	to_b = created(&r);
	snprintf(notes, sizeof(notes), "[%lld]",
	    (long long)deliver(
	        f, &coop, TEODORO, "conventional", "2017-06-29"));
	dispatch_to(f, &coop, f->org_d, "2017-06-29", notes, &r);
	to_d = created(&r);

	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-30\","
	    "\"sacks\":2,\"gross_kg\":\"121\",\"tare_kg\":\"1\"}",
	    (long long)to_b);
	session_call(f, &coop, "POST", "/api/v1/plant-receipts", body, &r);
	assert_int_equal(r.status, 403);
	response_free(&r);
	session_call(f, &out, "POST", "/api/v1/plant-receipts", body, &r);
	assert_int_equal(r.status, 403);
	response_free(&r);
	session_call(f, &other, "POST", "/api/v1/plant-receipts", body, &r);
	expect_refusal(&r, 422, "dispatch_id", "not_found");
	response_free(&r);
	/* Addressed to cooperative D: not the plant's to receive. */
	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-30\","
	    "\"sacks\":2,\"gross_kg\":\"121\",\"tare_kg\":\"1\"}",
	    (long long)to_d);
	session_call(f, &plant, "POST", "/api/v1/plant-receipts", body, &r);
	expect_refusal(&r, 422, "dispatch_id", "not_found");
	response_free(&r);
	/* D sees what was addressed to it. */
	session_call(f, &out, "GET", "/api/v1/dispatches", NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	response_free(&r);

	/* Dates and weighing. */
	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-28\","
	    "\"sacks\":2,\"gross_kg\":\"121\",\"tare_kg\":\"1\"}",
	    (long long)to_b);
	session_call(f, &plant, "POST", "/api/v1/plant-receipts", body, &r);
	expect_refusal(&r, 422, "issued_on", "before_dispatch");
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-30\","
	    "\"sacks\":2,\"gross_kg\":\"121\",\"tare_kg\":\"121\"}",
	    (long long)to_b);
	session_call(f, &plant, "POST", "/api/v1/plant-receipts", body, &r);
	expect_refusal(&r, 400, "tare_kg", "out_of_range");
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-30\","
	    "\"sacks\":2,\"gross_kg\":\"121\",\"tare_kg\":\"1\","
	    "\"cup_score\":\"100.01\"}",
	    (long long)to_b);
	session_call(f, &plant, "POST", "/api/v1/plant-receipts", body, &r);
	assert_int_equal(r.status, 400);
	response_free(&r);
	/* 120 kg received of 120 kg declared. */
	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-30\","
	    "\"sacks\":2,\"gross_kg\":\"121\",\"tare_kg\":\"1\"}",
	    (long long)to_b);
	session_call(f, &plant, "POST", "/api/v1/plant-receipts", body, &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(str(r.json, "status"), "conventional");
	assert_string_equal(str(r.json, "coffee_type"), "CONV");
	response_free(&r);
}

/* Annulment order: process inputs, then the receipt, then the guía. */
static void
test_annul_order_and_balance(void **state)
{
	struct fixture *f = *state;
	struct session coop = as(f, TU_A_CLERK), plant = as(f, TU_B_CLERK);
	struct response r;
	struct db *db = NULL;
	char notes[64], body[256], path[96], sql[512];
	int64_t d, receipt;

	/* Guía 5469 has its receipt 3052: the guía cannot be annulled. */
	snprintf(path, sizeof(path), "/api/v1/dispatches/%lld/annul",
	    (long long)g_dispatch);
	session_call(f, &coop, "POST", path, "{\"reason\":\"x\"}", &r);
	expect_refusal(&r, 409, "id", "has_live_dependent");
	response_free(&r);

	snprintf(notes, sizeof(notes), "[%lld]",
	    (long long)deliver(
	        f, &coop, TEODORO, "conventional", "2017-07-01"));
	dispatch_to(f, &coop, f->org_b, "2017-07-01", notes, &r);
	d = created(&r);
	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-07-01\","
	    "\"sacks\":2,\"gross_kg\":\"118.5\",\"tare_kg\":\"0.5\"}",
	    (long long)d);
	session_call(f, &plant, "POST", "/api/v1/plant-receipts", body, &r);
	assert_int_equal(r.status, 201);
	/* 118 kg received of 120 declared: 2 kg, 1.67 %, flagged. */
	assert_string_equal(
	    str(json_object_get(r.json, "reconciliation"), "difference_kg"),
	    "2.000");
	assert_string_equal(
	    str(json_object_get(r.json, "reconciliation"), "difference_pct"),
	    "1.67");
	assert_true(json_is_true(json_object_get(
	    json_object_get(r.json, "reconciliation"), "flagged")));
	receipt = num(r.json, "id");
	response_free(&r);

	/* A process order consumes 100 kg of it (seeded in SQL). */
	assert_int_equal(harness_db(f, &db), 0);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO process_orders (id, organization_id, number,"
	    " issued_on, plant_org_id, status, input_g, created_by,"
	    " created_at) VALUES (9001, %lld, 1, '2017-07-02', %lld,"
	    " 'conventional', 100000, %lld, 0);"
	    "INSERT INTO process_order_inputs (process_order_id,"
	    " plant_receipt_id, kilos_g) VALUES (9001, %lld, 100000);",
	    (long long)f->org_a, (long long)f->org_b,
	    (long long)f->users[TU_A_CLERK].id, (long long)receipt);
	assert_int_equal(
	    sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL), SQLITE_OK);
	snprintf(path, sizeof(path), "/api/v1/plant-receipts/%lld",
	    (long long)receipt);
	session_call(f, &coop, "GET", path, NULL, &r);
	assert_string_equal(str(r.json, "consumed_kg"), "100.000");
	assert_string_equal(str(r.json, "balance_kg"), "18.000");
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/plant-receipts/%lld/annul",
	    (long long)receipt);
	session_call(f, &coop, "POST", path, "{\"reason\":\"x\"}", &r);
	assert_int_equal(r.status, 403); /* the client is not the plant */
	response_free(&r);
	session_call(f, &plant, "POST", path, "{\"reason\":\"Tara\"}", &r);
	expect_refusal(&r, 409, "id", "has_live_dependent");
	response_free(&r);
	/* Annulling the order frees its inputs (0004's trigger says so). */
	snprintf(sql, sizeof(sql),
	    "UPDATE process_orders SET annulled_at = 1, annulled_by = %lld,"
	    " annul_reason = 'x' WHERE id = 9001;"
	    "UPDATE process_order_inputs SET live = 0"
	    " WHERE process_order_id = 9001",
	    (long long)f->users[TU_A_CLERK].id);
	assert_int_equal(
	    sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL), SQLITE_OK);
	db_close(db);
	session_call(f, &plant, "POST", path, "{\"reason\":\"Tara\"}", &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	/* Incoming again; then the cooperative annuls its guía. */
	session_call(
	    f, &plant, "GET", "/api/v1/dispatches?incoming=1", NULL, &r);
	assert_true(list_has(&r, d));
	response_free(&r);
	snprintf(
	    path, sizeof(path), "/api/v1/dispatches/%lld/annul", (long long)d);
	session_call(f, &coop, "POST", path, "{\"reason\":\"Devuelto\"}", &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-07-03\","
	    "\"sacks\":2,\"gross_kg\":\"118.5\",\"tare_kg\":\"0.5\"}",
	    (long long)d);
	session_call(f, &plant, "POST", "/api/v1/plant-receipts", body, &r);
	expect_refusal(&r, 409, "dispatch_id", "dispatch_annulled");
	response_free(&r);
}

static void
test_registers_and_filters(void **state)
{
	struct fixture *f = *state;
	struct session plant = as(f, TU_B_ADMIN), coop = as(f, TU_A_ADMIN);
	struct response r;
	char buf[128];

	session_call(f, &plant, "GET", "/api/v1/plant-receipts.csv", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(r.body,
	    "Cliente;RUC cliente;Fecha;"
	    "Guía remisión n.º;Tipo de café"));
	assert_non_null(strstr(r.body,
	    "Cooperativa A;20427376983;23/06/2017;5469;ORG-EU;300;23400.000;"
	    "24/06/2017;3052;300;23610.000;210.000;23400.000;;12.5;13.50;"
	    "21.50;83.00;Vigente\r\n"));
	assert_non_null(
	    strstr(response_header(&r, "Content-Disposition", buf, sizeof(buf)),
	        "registro-de-recepcion.csv"));
	response_free(&r);

	session_call(f, &coop, "GET", "/api/v1/dispatches.csv?lot_code=CO-2365",
	    NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body,
	    "5469;23/06/2017;23/06/2017;Planta B;20510780796;3;"
	    "Transformación;CO-2365;Café pergamino - orgánico;ORG-EU;300;"
	    "23400.000;300;23417.950;17.950;0.08;No;Pablo Chacón;"
	    "10105634205;ABW-080;3052;Vigente\r\n"));
	response_free(&r);

	session_call(f, &coop, "GET",
	    "/api/v1/dispatches?status=organic&received=1", NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	response_free(&r);
	session_call(
	    f, &coop, "GET", "/api/v1/dispatches?annulled=1", NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
	response_free(&r);
	/* Latest first by default; ?order=asc reads in order. */
	session_call(
	    f, &coop, "GET", "/api/v1/dispatches?limit=1&order=asc", NULL, &r);
	assert_int_equal(
	    num(json_array_get(json_object_get(r.json, "items"), 0), "number"),
	    5469);
	assert_false(json_is_null(json_object_get(r.json, "next_cursor")));
	/* Lists leave the producer list to the single read. */
	assert_null(
	    json_object_get(json_array_get(json_object_get(r.json, "items"), 0),
	        "producer_list"));
	response_free(&r);
	session_call(f, &coop, "GET", "/api/v1/dispatches?limit=1", NULL, &r);
	assert_true(num(json_array_get(json_object_get(r.json, "items"), 0),
	                "number") > 5469);
	response_free(&r);
	session_call(
	    f, &coop, "GET", "/api/v1/plant-receipts?dispatch_id=1", NULL, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	session_call(
	    f, &coop, "GET", "/api/v1/dispatches?status=bio", NULL, &r);
	expect_refusal(&r, 400, "status", "invalid");
	response_free(&r);
	session_call(
	    f, &coop, "GET", "/api/v1/dispatches?from=2017-13-01", NULL, &r);
	expect_refusal(&r, 400, "from", "invalid_date");
	response_free(&r);
	session_call(
	    f, &coop, "GET", "/api/v1/dispatches?incoming=2", NULL, &r);
	expect_refusal(&r, 400, "incoming", "invalid");
	response_free(&r);
}

/* The database refuses what the service would (0005's triggers). */
static void
test_issued_documents_are_immutable(void **state)
{
	struct fixture *f = *state;
	struct db *db = NULL;
	size_t i;
#define GUIA_5469 "(SELECT id FROM dispatches WHERE number = 5469)"
	static const char *const tamper[] = {
		"UPDATE dispatches SET declared_g = 23417950"
		" WHERE id = " GUIA_5469,
		"UPDATE dispatch_notes SET live = 0 WHERE dispatch_id "
		"= " GUIA_5469,
		"DELETE FROM dispatch_notes WHERE dispatch_id = " GUIA_5469,
		"UPDATE plant_receipts SET net_g = 1 WHERE dispatch_id "
		"= " GUIA_5469,
		"DELETE FROM dispatches WHERE id = " GUIA_5469,
	};
#undef GUIA_5469

	assert_int_equal(harness_db(f, &db), 0);
	/* Extended result codes: SQLITE_CONSTRAINT_TRIGGER. */
	for (i = 0; i < sizeof(tamper) / sizeof(tamper[0]); i++)
		if ((sqlite3_exec(db_handle(db), tamper[i], NULL, NULL, NULL) &
		        0xff) != SQLITE_CONSTRAINT)
			fail_msg("accepted: %s", tamper[i]);
	db_close(db);
}

/* The demo loads guía 5469 and guía de ingreso 3052 through the rules. */
static void
test_demo_seed(void **state)
{
	struct fixture *f = *state;
	struct org orgs[2] = {
		{ 0, "Asociación San Ignacio-Tabaconas", "20427376983",
		    ORG_COOPERATIVE, "Jr. Jaén n.º 874, San Ignacio, Cajamarca",
		    "", 0 },
		{ 0, "Procesadora del Norte", "20510780796", ORG_PLANT,
		    "Jr. Huáscar n.º 563, Jaén, Cajamarca", "", 0 },
	};
	static const char *const names[] = { "coop-admin", "coop-clerk",
		"plant-clerk" };
	struct user u[3];
	struct transfer_filter filter = { 0 };
	struct audit_verify_result v;
	struct db *db = NULL;
	struct msg why;
	char path[256];
	json_t *items = NULL, *doc = NULL;
	int64_t next;
	size_t i;

	snprintf(path, sizeof(path), "%s/demo.db", f->dir);
	assert_int_equal(db_open(path, &db), ERR_OK);
	assert_int_equal(db_migrate(db), ERR_OK);
	for (i = 0; i < 2; i++)
		assert_int_equal(admin_org_add(db, &orgs[i], &why), ERR_OK);
	for (i = 0; i < 3; i++) {
		memset(&u[i], 0, sizeof(u[i]));
		u[i].username = names[i];
		u[i].display_name = names[i];
		u[i].role = i == 0 ? ROLE_ADMIN : ROLE_CLERK;
		u[i].organization_id = i < 2 ? orgs[0].id : orgs[1].id;
		assert_int_equal(
		    admin_user_add(db, &u[i], TEST_PASSWORD, &why), ERR_OK);
	}
	assert_int_equal(
	    demo_acopio_seed(db, orgs[0].id, u[0].id, u[1].id), ERR_OK);
	assert_int_equal(
	    demo_transfer_seed(db, orgs[0].id, u[1].id, orgs[1].id, u[2].id),
	    ERR_OK);

	filter.annulled = -1;
	filter.received = -1;
	assert_int_equal(transfer_list_json(db, TRANSFER_DISPATCH, u[2].id,
	                     &filter, 0, 10, &items, &next),
	    ERR_OK);
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(transfer_get_json(db, TRANSFER_DISPATCH, u[2].id,
	                     num(json_array_get(items, 0), "id"), &doc),
	    ERR_OK);
	json_decref(items);
	assert_int_equal(num(doc, "number"), 5469);
	assert_string_equal(
	    str(json_object_get(doc, "carrier"), "doc"), "10105634205");
	assert_string_equal(
	    str(json_object_get(doc, "reconciliation"), "shrinkage_kg"),
	    "17.950");
	assert_int_equal(json_array_size(json_object_get(
	                     json_object_get(doc, "producer_list"), "rows")),
	    15);
	assert_int_equal(
	    num(json_object_get(doc, "plant_receipt"), "number"), 3052);
	assert_int_equal(
	    transfer_get_json(db, TRANSFER_PLANT_RECEIPT, u[1].id,
	        num(json_object_get(doc, "plant_receipt"), "id"), &items),
	    ERR_OK);
	json_decref(doc);
	assert_string_equal(str(items, "net_kg"), "23400.000");
	assert_string_equal(str(items, "cup_score"), "83.00");
	assert_string_equal(str(items, "husk_pct"), "21.50");
	assert_string_equal(str(json_object_get(items, "client"), "name"),
	    "Asociación San Ignacio-Tabaconas");
	json_decref(items);
	assert_int_equal(audit_verify(db, &v), ERR_OK);
	assert_true(v.ok);
	db_close(db);
	unlink(path);
	snprintf(path, sizeof(path), "%s/demo.db-wal", f->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/demo.db-shm", f->dir);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guide_guia_5469_with_its_producer_list),
		cmocka_unit_test(test_plant_receives_3052),
		cmocka_unit_test(test_who_sees_what),
		cmocka_unit_test(test_segregation),
		cmocka_unit_test(test_note_rules_and_annul_frees_notes),
		cmocka_unit_test(test_dispatch_validation),
		cmocka_unit_test(test_receipt_only_by_recipient),
		cmocka_unit_test(test_annul_order_and_balance),
		cmocka_unit_test(test_registers_and_filters),
		cmocka_unit_test(test_issued_documents_are_immutable),
		cmocka_unit_test(test_demo_seed),
	};

	return cmocka_run_group_tests(tests, setup, harness_teardown);
}
