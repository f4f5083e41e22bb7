/*
 * Traceability over real HTTP, on the guide's story as --demo loads it
 * (cooperative A = the association, plant B = Procesadora del Norte):
 * lot 004-17 traced back to the 15 producers of guía 5469 and Juan Pérez
 * Vargas forward to it; then a second story built through the API in
 * which a plant receipt is split over two process orders and each LOP
 * feeds two export lots, whose shares are checked to the gram (largest
 * remainder) with the recall; who may see what; reports, registers,
 * GeoJSON and the refusals of bad parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/admin.h"
#include "pergamino/db.h"
#include "pergamino/export.h"
#include "pergamino/process.h"
#include "pergamino/transfer.h"

static int64_t demo_lot;     /* export lot 004-17 */
static int64_t lot_x, lot_y; /* the split story's export lots */
static int64_t split_receipt, split_p[3];

static int
setup(void **state)
{
	struct fixture *f;

	if (harness_setup(state) != 0)
		return -1;
	f = *state;
	return harness_seed_story(f, HARNESS_STORY_EXPORT);
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

/* GET path as s, expecting status; the answer stays in *r. */
static void
get(struct fixture *f, struct session *s, const char *path, long status,
    struct response *r)
{
	assert_int_equal(session_call(f, s, "GET", path, NULL, r), 0);
	if (r->status != status)
		fail_msg("GET %s: %ld, want %ld: %.400s", path, r->status,
		    status, r->body);
}

/* A 400 naming field, in Spanish and English. */
static void
expect_field(
    struct fixture *f, struct session *s, const char *path, const char *field)
{
	struct response r;
	json_t *e;

	get(f, s, path, 400, &r);
	e = json_array_get(json_object_get(r.json, "errors"), 0);
	if (strcmp(str(e, "field"), field) != 0)
		fail_msg("GET %s: want field %s: %s", path, field, r.body);
	assert_true(strlen(str(e, "detail")) > 0);
	assert_true(strlen(str(e, "detail_en")) > 0);
	assert_non_null(strstr(r.headers, "application/problem+json"));
	response_free(&r);
}

/* POST body as s, expecting 201; the new id. */
static int64_t
post(struct fixture *f, struct session *s, const char *path, const char *body)
{
	struct response r;
	int64_t id;

	assert_int_equal(session_call(f, s, "POST", path, body, &r), 0);
	if (r.status != 201)
		fail_msg("POST %s: %ld %s", path, r.status, r.body);
	id = num(r.json, "id");
	response_free(&r);
	return id;
}

/* The first search hit of kind for q, as a-admin. */
static int64_t
search_id(struct fixture *f, struct session *s, const char *q, const char *kind)
{
	struct response r;
	char path[160];
	json_t *it;
	int64_t id = 0;
	size_t i;

	snprintf(path, sizeof(path), "/api/v1/trace/search?q=%s", q);
	get(f, s, path, 200, &r);
	json_array_foreach(json_object_get(r.json, "items"), i, it)
	{
		if (id == 0 && strcmp(str(it, "kind"), kind) == 0)
			id = num(it, "id");
	}
	response_free(&r);
	return id;
}

/* The entry of list whose member k (an object) has "number_text" v. */
static json_t *
find_number(json_t *list, const char *v)
{
	json_t *x;
	size_t i;

	json_array_foreach(list, i, x)
	{
		if (strcmp(str(x, "number_text"), v) == 0)
			return x;
	}
	return NULL;
}

/* The producers entry of producer id in a trace. */
static json_t *
share_of(json_t *trace, int64_t id)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(trace, "producers"), i, x)
	{
		if (num(json_object_get(x, "producer"), "id") == id)
			return x;
	}
	return NULL;
}

/* Sum of green_g over the producers of a trace. */
static int64_t
green_sum(json_t *trace)
{
	json_t *x;
	int64_t g = 0;
	size_t i;

	json_array_foreach(json_object_get(trace, "producers"), i, x) g +=
	    num(x, "green_g");
	return g;
}

/* ---- the guide's story ---- */

static void
test_lot_004_17_backward(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_ADMIN);
	struct response r;
	json_t *d, *lop, *juan = NULL, *x;
	char path[96], want[16];
	int notes[20] = { 0 };
	int64_t perez;
	size_t i, n;

	demo_lot = search_id(f, &s, "004-17", "export-lots");
	assert_true(demo_lot > 0);
	assert_int_equal(
	    search_id(f, &s, "30/861/1544", "export-lots"), demo_lot);
	/* Names are found however the clerk types the accents and case. */
	perez = search_id(f, &s, "P%C3%A9rez%20Vargas", "producers");
	assert_true(perez > 0);
	assert_int_equal(
	    search_id(f, &s, "perez%20vargas", "producers"), perez);
	assert_int_equal(search_id(f, &s, "P%C3%89REZ", "producers"), perez);
	assert_int_equal(search_id(f, &s, "rez%20var", "producers"), perez);
	assert_int_equal(search_id(f, &s, "perez%20vargaz", "producers"), 0);
	/* No wildcards: "%" and "_" are letters to find, not patterns. */
	assert_int_equal(search_id(f, &s, "p%25rez", "producers"), 0);
	assert_int_equal(search_id(f, &s, "p_rez", "producers"), 0);
	snprintf(path, sizeof(path), "/api/v1/trace/export-lots/%lld",
	    (long long)demo_lot);
	get(f, &s, path, 200, &r);
	d = json_object_get(json_object_get(r.json, "root"), "document");
	assert_string_equal(str(d, "organic_lot"), "004-17");
	assert_string_equal(str(d, "ico_mark"), "30/861/1544");

	/* The 15 producers of guía 5469, notes 10685-10700 but 10688. */
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "producers")), 15);
	n = json_array_size(json_object_get(r.json, "deliveries"));
	assert_int_equal(n, 15);
	json_array_foreach(json_object_get(r.json, "deliveries"), i, x)
	{
		long note = strtol(
		    str(json_object_get(x, "note"), "number_text"), NULL, 10);
		assert_true(note >= 10685 && note <= 10700 && note != 10688);
		notes[note - 10685]++;
		assert_true(json_is_object(json_object_get(x, "settlement")));
		if (note == 10685)
			juan = x;
	}
	for (i = 0; i <= 15; i++)
		assert_int_equal(notes[i], i == 3 ? 0 : 1);
	assert_non_null(juan);
	assert_string_equal(
	    str(json_object_get(juan, "reception"), "number_text"), "8727");
	assert_string_equal(
	    str(json_object_get(juan, "settlement"), "number_text"), "34795");
	assert_string_equal(str(juan, "delivered_kg"), "472.600");
	/* 17 250 × 472.6 / 23 417.95 and 472.6 × 17 250 / 18 338. */
	assert_string_equal(str(juan, "green_kg"), "348.124");
	assert_string_equal(str(juan, "pergamino_kg"), "444.560");

	assert_non_null(
	    find_number(json_object_get(r.json, "dispatches"), "5469"));
	assert_non_null(
	    find_number(json_object_get(r.json, "plant_receipts"), "3052"));
	lop =
	    find_number(json_object_get(r.json, "process_settlements"), "1204");
	assert_non_null(lop);
	assert_non_null(find_number(json_object_get(lop, "exits"), "4512"));
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "shipments")), 1);

	/* The shares add up exactly to the lot. */
	assert_int_equal(green_sum(r.json), 17250000);
	assert_string_equal(
	    str(json_object_get(r.json, "totals"), "green_kg"), "17250.000");
	snprintf(want, sizeof(want), "%s",
	    str(share_of(r.json,
	            num(json_object_get(juan, "reception"), "producer_id")),
	        "green_kg"));
	assert_string_equal(want, "348.124");
	response_free(&r);
}

static void
test_juan_forward(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_CLERK);
	struct response r;
	json_t *c, *rec, *flow;

	get(f, &s, "/api/v1/trace/producers?dni=08754611", 200, &r);
	assert_string_equal(
	    str(json_object_get(r.json, "producer"), "full_name"),
	    "Juan Pérez Vargas");
	c = json_array_get(json_object_get(r.json, "campaigns"), 0);
	assert_int_equal(num(c, "campaign"), 2017);
	rec = json_array_get(json_object_get(c, "receptions"), 0);
	assert_string_equal(
	    str(json_object_get(rec, "note"), "number_text"), "10685");
	flow = json_array_get(json_object_get(rec, "flows"), 0);
	assert_string_equal(
	    str(json_object_get(flow, "dispatch"), "number_text"), "5469");
	assert_string_equal(
	    str(json_object_get(flow, "plant_receipt"), "number_text"), "3052");
	assert_string_equal(
	    str(json_object_get(flow, "process_settlement"), "number_text"),
	    "1204");
	assert_string_equal(
	    str(json_object_get(flow, "export_lot"), "organic_lot"), "004-17");
	assert_int_equal(
	    json_array_size(json_object_get(flow, "shipments")), 1);
	assert_string_equal(str(flow, "green_kg"), "348.124");
	assert_string_equal(str(c, "exported_green_kg"), "348.124");
	response_free(&r);
}

/* ---- the split story, through the API ---- */

#define CARRIER                                                                \
	"\"carrier\":{\"name\":\"Pablo Chacón\",\"doc\":\"10105634205\","     \
	"\"plate\":\"ABW-080\"}"

/* A delivery of net kilos (text) by producer id, with its note. */
static int64_t
deliver(struct fixture *f, struct session *s, int64_t producer, const char *net)
{
	char body[512];
	int64_t reception;

	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-07-10\","
	    "\"status\":\"organic\",\"sacks\":5,\"gross_kg\":\"%s\","
	    "\"tare_kg\":\"0\",\"humidity\":\"12.0\"}",
	    (long long)producer, net);
	reception = post(f, s, "/api/v1/receptions", body);
	snprintf(body, sizeof(body),
	    "{\"reception_id\":%lld,\"issued_on\":\"2017-07-10\","
	    "\"price_per_qq\":\"400\"}",
	    (long long)reception);
	return post(f, s, "/api/v1/warehouse-notes", body);
}

/* An order of kilos of the split receipt and its LOP; the LOP id. */
static int64_t
order_and_lop(struct fixture *f, struct session *coop, struct session *plant,
    const char *kilos, const char *outputs)
{
	char body[512];
	int64_t order;

	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-07-12\",\"plant_org_id\":%lld,"
	    "\"contract\":\"P-SPLIT\",\"inputs\":[{\"plant_receipt_id\":%lld,"
	    "\"kilos\":\"%s\"}]}",
	    (long long)f->org_b, (long long)split_receipt, kilos);
	order = post(f, coop, "/api/v1/process-orders", body);
	snprintf(body, sizeof(body),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-07-13\","
	    "\"outputs\":{%s}}",
	    (long long)order, outputs);
	return post(f, plant, "/api/v1/process-settlements", body);
}

/*
 * Three producers deliver 300.040, 200.040 and 99.920 kg (600 kg) in one
 * guía; the plant receipt (600 kg) is split 360 / 240 over two process
 * orders; LOP 1 gives 276 kg of export coffee, LOP 2 138 kg; lot X takes
 * 207 + 69 kg, lot Y 69 + 69 kg.  Green in X = 276 × n / 600 = 0.46 n:
 * 138 018.4, 92 018.4 and 45 963.2 g, whose floors miss one gram; the
 * largest remainder gives it to the first of the tied .4 (in the guía's
 * order): 138 019 + 92 018 + 45 963 = 276 000 g.  In Y (0.23 n):
 * 69 009.2, 46 009.2, 22 981.6: the .6 takes the gram.
 */
static void
test_split_receipt_and_lop_shares(void **state)
{
	struct fixture *f = *state;
	struct session coop = as(f, TU_A_CLERK), plant = as(f, TU_B_CLERK);
	struct session exp = as(f, TU_A_EXPORT);
	struct response r;
	char body[1024], path[128];
	int64_t notes[3], dispatch, lop1, lop2;
	static const char *const nets[3] = { "300.040", "200.040", "99.920" };
	int i;

	/* Three of the demo's organic producers (not Juan). */
	snprintf(path, sizeof(path), "/api/v1/trace/export-lots/%lld",
	    (long long)demo_lot);
	get(f, &coop, path, 200, &r);
	for (i = 0; i < 3; i++)
		split_p[i] =
		    num(json_object_get(
		            json_array_get(json_object_get(r.json, "producers"),
		                (size_t)i + 1),
		            "producer"),
		        "id");
	response_free(&r);
	for (i = 0; i < 3; i++)
		notes[i] = deliver(f, &coop, split_p[i], nets[i]);
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-07-11\",\"recipient_org_id\":%lld,"
	    "\"reason\":3," CARRIER ",\"lot_code\":\"CO-SPLIT\",\"sacks\":15,"
	    "\"declared_kg\":\"600\",\"note_ids\":[%lld,%lld,%lld]}",
	    (long long)f->org_b, (long long)notes[0], (long long)notes[1],
	    (long long)notes[2]);
	dispatch = post(f, &coop, "/api/v1/dispatches", body);
	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-07-11\","
	    "\"sacks\":15,\"gross_kg\":\"602\",\"tare_kg\":\"2\"}",
	    (long long)dispatch);
	split_receipt = post(f, &plant, "/api/v1/plant-receipts", body);
	lop1 = order_and_lop(
	    f, &coop, &plant, "360", "\"export\":\"276\",\"husk\":\"84\"");
	lop2 = order_and_lop(
	    f, &coop, &plant, "240", "\"export\":\"138\",\"husk\":\"102\"");
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-07-14\",\"organic_lot\":\"X-17\","
	    "\"contract\":\"P-SPLIT\",\"net_per_sack_kg\":\"69\","
	    "\"sources\":[{\"process_settlement_id\":%lld,\"category\":"
	    "\"export\",\"kilos\":\"207\"},{\"process_settlement_id\":%lld,"
	    "\"category\":\"export\",\"kilos\":\"69\"}]}",
	    (long long)lop1, (long long)lop2);
	lot_x = post(f, &exp, "/api/v1/export-lots", body);
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-07-14\",\"organic_lot\":\"Y-17\","
	    "\"contract\":\"P-SPLIT\",\"net_per_sack_kg\":\"69\","
	    "\"sources\":[{\"process_settlement_id\":%lld,\"category\":"
	    "\"export\",\"kilos\":\"69\"},{\"process_settlement_id\":%lld,"
	    "\"category\":\"export\",\"kilos\":\"69\"}]}",
	    (long long)lop1, (long long)lop2);
	lot_y = post(f, &exp, "/api/v1/export-lots", body);

	snprintf(path, sizeof(path), "/api/v1/trace/export-lots/%lld",
	    (long long)lot_x);
	get(f, &coop, path, 200, &r);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "producers")), 3);
	assert_int_equal(num(share_of(r.json, split_p[0]), "green_g"), 138019);
	assert_int_equal(num(share_of(r.json, split_p[1]), "green_g"), 92018);
	assert_int_equal(num(share_of(r.json, split_p[2]), "green_g"), 45963);
	assert_int_equal(green_sum(r.json), 276000);
	/* Pergamino: n × (360/600 × 207/276 + 240/600 × 69/138) = 0.65 n. */
	assert_string_equal(
	    str(share_of(r.json, split_p[0]), "pergamino_kg"), "195.026");
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "process_settlements")), 2);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "process_orders")), 2);
	response_free(&r);

	snprintf(path, sizeof(path), "/api/v1/trace/export-lots/%lld",
	    (long long)lot_y);
	get(f, &coop, path, 200, &r);
	assert_int_equal(num(share_of(r.json, split_p[0]), "green_g"), 69009);
	assert_int_equal(num(share_of(r.json, split_p[1]), "green_g"), 46009);
	assert_int_equal(num(share_of(r.json, split_p[2]), "green_g"), 22982);
	assert_int_equal(green_sum(r.json), 138000);
	response_free(&r);

	/* The receipt's trace reaches both lots, the LOP's its own half. */
	snprintf(path, sizeof(path), "/api/v1/trace/plant-receipts/%lld",
	    (long long)split_receipt);
	get(f, &coop, path, 200, &r);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "export_lots")), 2);
	assert_string_equal(
	    str(json_object_get(r.json, "totals"), "pergamino_kg"), "600.000");
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/trace/process-settlements/%lld",
	    (long long)lop2);
	get(f, &coop, path, 200, &r);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "process_orders")), 1);
	/* 240 of the 600 kg went into this LOP. */
	assert_string_equal(
	    str(json_object_get(r.json, "totals"), "pergamino_kg"), "240.000");
	response_free(&r);
}

static void
test_recall(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_ADMIN);
	struct response r;
	json_t *p;
	char path[128];
	size_t i, mixed = 0, source = 0;

	snprintf(path, sizeof(path), "/api/v1/recall?producer_id=%lld",
	    (long long)split_p[2]);
	get(f, &s, path, 200, &r);
	/* Its demo delivery went into 004-17, the split one into X and Y. */
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "export_lots")), 3);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "shipments")), 1);
	json_array_foreach(json_object_get(r.json, "producers"), i, p)
	{
		if (json_is_true(json_object_get(p, "is_source")))
			source++;
		else
			mixed++;
	}
	assert_int_equal(source, 1);
	assert_int_equal(mixed, 14); /* the rest of guía 5469 */
	response_free(&r);

	snprintf(path, sizeof(path), "/api/v1/recall?plant_receipt_id=%lld",
	    (long long)split_receipt);
	get(f, &s, path, 200, &r);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "export_lots")), 2);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "producers")), 3);
	response_free(&r);

	snprintf(path, sizeof(path),
	    "/api/v1/recall?plant_receipt_id=%lld&format=csv",
	    (long long)split_receipt);
	get(f, &s, path, 200, &r);
	assert_non_null(strstr(r.headers, "text/csv"));
	assert_non_null(strstr(r.body, "X-17"));
	assert_non_null(strstr(r.body, "Y-17"));
	response_free(&r);
}

/* ---- who sees what ---- */

static void
test_visibility(void **state)
{
	struct fixture *f = *state;
	struct session plant = as(f, TU_B_ADMIN), d = as(f, TU_D_ADMIN);
	struct session aud = as(f, TU_C_AUDITOR), aud2 = as(f, TU_C_AUDITOR2);
	struct response r;
	char lot[96], geo[112], dispatch[96];
	int64_t dispatch_id;
	struct session a = as(f, TU_A_ADMIN);

	dispatch_id = search_id(f, &a, "5469", "dispatches");
	snprintf(lot, sizeof(lot), "/api/v1/trace/export-lots/%lld",
	    (long long)demo_lot);
	snprintf(geo, sizeof(geo), "%s/geojson", lot);
	snprintf(dispatch, sizeof(dispatch), "/api/v1/trace/dispatches/%lld",
	    (long long)dispatch_id);

	/* The plant sees the guía's producers, not the exporter's lot. */
	get(f, &plant, dispatch, 200, &r);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "producers")), 15);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "export_lots")), 0);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "shipments")), 0);
	response_free(&r);
	get(f, &plant, lot, 404, &r);
	response_free(&r);
	get(f, &plant, "/api/v1/trace/search?q=004-17", 200, &r);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "items")), 1); /* exit */
	response_free(&r);

	/* The outsider and the ungranted auditor: nothing. */
	get(f, &d, lot, 404, &r);
	response_free(&r);
	get(f, &d, dispatch, 404, &r);
	response_free(&r);
	get(f, &d, geo, 404, &r);
	response_free(&r);
	get(f, &d, "/api/v1/trace/producers?dni=08754611", 404, &r);
	response_free(&r);
	get(f, &d, "/api/v1/trace/search?q=004-17", 200, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	response_free(&r);
	snprintf(dispatch, sizeof(dispatch),
	    "/api/v1/reports/mass-balance?from=2017-06-01&to=2017-06-30"
	    "&organization_id=%lld",
	    (long long)f->org_a);
	get(f, &d, dispatch, 404, &r);
	response_free(&r);
	get(f, &aud2, lot, 404, &r);
	response_free(&r);
	get(f, &aud2, "/api/v1/reports/registers/receptions.csv", 200, &r);
	assert_null(strstr(r.body, "08754611"));
	response_free(&r);
	get(f, &d, "/api/v1/reports/registers/receptions.csv", 200, &r);
	assert_null(strstr(r.body, "08754611"));
	response_free(&r);

	/* The granted auditor reads everything of A. */
	get(f, &aud, lot, 200, &r);
	assert_int_equal(green_sum(r.json), 17250000);
	response_free(&r);
	get(f, &aud, dispatch, 200, &r);
	response_free(&r);
}

/* ---- reports and GeoJSON ---- */

static void
test_geojson(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_EXPORT);
	struct response r;
	json_t *feat, *c;
	char path[112];

	snprintf(path, sizeof(path), "/api/v1/trace/export-lots/%lld/geojson",
	    (long long)demo_lot);
	get(f, &s, path, 200, &r);
	assert_non_null(strstr(r.headers, "application/geo+json"));
	assert_string_equal(str(r.json, "type"), "FeatureCollection");
	assert_int_equal(json_array_size(json_object_get(r.json, "features")) +
	        json_array_size(json_object_get(r.json, "blocking")),
	    15);
	feat = json_array_get(json_object_get(r.json, "features"), 0);
	assert_non_null(feat);
	assert_string_equal(
	    str(json_object_get(feat, "properties"), "ProducerCountry"), "PE");
	c = json_object_get(json_object_get(feat, "geometry"), "coordinates");
	/* Numbers, not the stored strings. */
	assert_true(json_is_number(json_array_get(c, 0)) ||
	    json_is_array(json_array_get(c, 0)));
	assert_true(json_is_boolean(json_object_get(r.json, "ready")));
	response_free(&r);

	/* The split lot's producers' plots, with Y's reception plots. */
	snprintf(path, sizeof(path), "/api/v1/trace/export-lots/%lld/geojson",
	    (long long)lot_x);
	get(f, &s, path, 200, &r);
	/* Their receptions named no plot: blocking, not ready. */
	assert_false(json_is_true(json_object_get(r.json, "ready")));
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "blocking")), 3);
	assert_string_equal(
	    str(json_array_get(json_object_get(r.json, "blocking"), 0),
	        "reason"),
	    "no_plot");
	response_free(&r);
}

static void
test_mass_balance_and_reports(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_ADMIN);
	struct response r;
	json_t *org, *line;
	char path[160];
	static const char *const registers[] = { "receptions",
		"warehouse-notes", "purchase-settlements", "dispatches",
		"plant-receipts", "process-settlements", "plant-exits",
		"export-lots", "shipments" };
	size_t i;

	get(f, &s, "/api/v1/reports/mass-balance?from=2017-06-01&to=2017-06-30",
	    200, &r);
	org = json_array_get(json_object_get(r.json, "statuses"), 0);
	assert_string_equal(str(org, "status"), "organic");
	line = json_array_get(json_object_get(org, "lines"), 0);
	assert_string_equal(str(line, "key"), "received");
	assert_string_equal(str(line, "kg"), "23417.950");
	assert_int_equal(num(line, "count"), 15);
	assert_int_equal(json_array_size(json_object_get(line, "ids")), 15);
	assert_true(json_is_true(json_object_get(r.json, "consistent")));
	response_free(&r);
	get(f, &s,
	    "/api/v1/reports/mass-balance?from=2017-06-01&to=2017-07-31"
	    "&format=csv",
	    200, &r);
	assert_non_null(strstr(r.body, "Recibido en acopio"));
	response_free(&r);

	snprintf(path, sizeof(path), "/api/v1/reports/export-lots/%lld",
	    (long long)demo_lot);
	get(f, &s, path, 200, &r);
	assert_string_equal(str(r.json, "report"), "export-lot");
	assert_int_equal(green_sum(r.json), 17250000);
	response_free(&r);
	snprintf(path, sizeof(path),
	    "/api/v1/reports/export-lots/%lld?format=csv", (long long)demo_lot);
	get(f, &s, path, 200, &r);
	assert_non_null(strstr(r.body, "08754611"));
	assert_non_null(strstr(r.body, "348.124"));
	response_free(&r);

	for (i = 0; i < sizeof(registers) / sizeof(registers[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/reports/registers/%s.csv",
		    registers[i]);
		get(f, &s, path, 200, &r);
		assert_non_null(strstr(r.headers, "text/csv"));
		/* Header plus at least the demo's document. */
		assert_non_null(strstr(r.body, "\r\n"));
		assert_true(strchr(strstr(r.body, "\r\n") + 2, ';') != NULL);
		response_free(&r);
	}
	get(f, &s, "/api/v1/reports/registers/shipments.csv", 200, &r);
	assert_non_null(strstr(r.body, "004-17"));
	response_free(&r);
}

/* ---- refusals ---- */

static void
test_bad_parameters(void **state)
{
	struct fixture *f = *state;
	struct session s = as(f, TU_A_ADMIN);
	struct response r;

	expect_field(f, &s, "/api/v1/trace/producers", "dni");
	expect_field(f, &s, "/api/v1/trace/producers?dni=123", "dni");
	expect_field(f, &s, "/api/v1/trace/search", "q");
	expect_field(f, &s, "/api/v1/trace/search?q=x&limit=0", "limit");
	expect_field(f, &s, "/api/v1/recall", "producer_id");
	expect_field(f, &s, "/api/v1/recall?plot_id=abc", "plot_id");
	expect_field(
	    f, &s, "/api/v1/recall?producer_id=1&plot_id=1", "plot_id");
	expect_field(
	    f, &s, "/api/v1/recall?producer_id=1&format=xml", "format");
	expect_field(
	    f, &s, "/api/v1/reports/mass-balance?to=2017-06-30", "from");
	expect_field(f, &s,
	    "/api/v1/reports/mass-balance?from=2017-13-01&to=2017-06-30",
	    "from");
	expect_field(f, &s,
	    "/api/v1/reports/mass-balance?from=2017-07-01&to=2017-06-30", "to");
	expect_field(f, &s,
	    "/api/v1/reports/mass-balance?from=2017-06-01&to=2017-06-30"
	    "&organization_id=x",
	    "organization_id");
	expect_field(
	    f, &s, "/api/v1/reports/registers/receptions.csv?from=1", "from");
	get(f, &s, "/api/v1/trace/export-lots/abc", 404, &r);
	response_free(&r);
	get(f, &s, "/api/v1/trace/export-lots/999999", 404, &r);
	response_free(&r);
	get(f, &s, "/api/v1/trace/producers/0", 404, &r);
	response_free(&r);
	get(f, &s, "/api/v1/recall?producer_id=999999", 404, &r);
	response_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lot_004_17_backward),
		cmocka_unit_test(test_juan_forward),
		cmocka_unit_test(test_split_receipt_and_lop_shares),
		cmocka_unit_test(test_recall),
		cmocka_unit_test(test_visibility),
		cmocka_unit_test(test_geojson),
		cmocka_unit_test(test_mass_balance_and_reports),
		cmocka_unit_test(test_bad_parameters),
	};

	return cmocka_run_group_tests(tests, setup, harness_teardown);
}
