/*
 * Tenant isolation, seen from outside (docs/reliability.md, section 5):
 * unique marker strings are planted in cooperative A's data through the
 * API, then every GET route is read as principals who must not see them
 * (the outsider cooperative D, the ungranted auditor, plant B for A's
 * internal data), with A's ids in the path and with query strings that
 * would match the marker.  No body may contain it.  The granted auditor
 * must see both markers somewhere, or the test proves nothing.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/db.h"

/*
 * A's data upstream of its guía to plant B: the plant's trace shows it
 * by design (trace_store.c: each path through the cooperative or the
 * guía's plant), and the guía lists its producers.
 */
static char tn_private[32];
/* A's data B has no path to: a producer, plot and reception never
 * dispatched, and the export lot. */
static char tn_own[32];
/* What A shares with plant B: the guía, the process and marking order. */
static char tn_shared[32];

/* Letters only: names and free text both accept them. */
static void
tn_marker(char *out, size_t cap, const char *prefix)
{
	size_t n = (size_t)snprintf(out, cap, "%s", prefix);

	while (n + 1 < cap && n < strlen(prefix) + 10)
		out[n++] = (char)('A' + rand() % 26);
	out[n] = '\0';
}

static int64_t
tn_create(
    struct fixture *f, struct session *s, const char *path, const char *body)
{
	struct response r;
	int64_t id;

	session_call(f, s, "POST", path, body, &r);
	if (r.status != 201)
		fail_msg("POST %s: %ld %s", path, r.status, r.body);
	id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

/* The object ids a route's {id} may name, by the route's prefix. */
struct tn_ids {
	int64_t producer, plot, reception, note, settlement, dispatch, receipt;
	int64_t order, marking, lop, exit, export_lot, shipment;
};

static struct tn_ids tn;

static const struct {
	const char *prefix;
	size_t off;
} tn_prefix[] = {
	{ "/api/v1/producers/by-dni/", (size_t)-1 },
	{ "/api/v1/producers/", offsetof(struct tn_ids, producer) },
	{ "/api/v1/plots/", offsetof(struct tn_ids, plot) },
	{ "/api/v1/receptions/", offsetof(struct tn_ids, reception) },
	{ "/api/v1/warehouse-notes/", offsetof(struct tn_ids, note) },
	{ "/api/v1/purchase-settlements/",
	    offsetof(struct tn_ids, settlement) },
	{ "/api/v1/dispatches/", offsetof(struct tn_ids, dispatch) },
	{ "/api/v1/plant-receipts/", offsetof(struct tn_ids, receipt) },
	{ "/api/v1/process-orders/", offsetof(struct tn_ids, order) },
	{ "/api/v1/marking-orders/", offsetof(struct tn_ids, marking) },
	{ "/api/v1/process-settlements/", offsetof(struct tn_ids, lop) },
	{ "/api/v1/plant-exits/", offsetof(struct tn_ids, exit) },
	{ "/api/v1/export-lots/", offsetof(struct tn_ids, export_lot) },
	{ "/api/v1/shipments/", offsetof(struct tn_ids, shipment) },
	{ "/api/v1/trace/producers/", offsetof(struct tn_ids, producer) },
	{ "/api/v1/trace/plots/", offsetof(struct tn_ids, plot) },
	{ "/api/v1/trace/receptions/", offsetof(struct tn_ids, reception) },
	{ "/api/v1/trace/warehouse-notes/", offsetof(struct tn_ids, note) },
	{ "/api/v1/trace/dispatches/", offsetof(struct tn_ids, dispatch) },
	{ "/api/v1/trace/plant-receipts/", offsetof(struct tn_ids, receipt) },
	{ "/api/v1/trace/process-orders/", offsetof(struct tn_ids, order) },
	{ "/api/v1/trace/process-settlements/", offsetof(struct tn_ids, lop) },
	{ "/api/v1/trace/export-lots/", offsetof(struct tn_ids, export_lot) },
	{ "/api/v1/trace/shipments/", offsetof(struct tn_ids, shipment) },
	{ "/api/v1/reports/export-lots/", offsetof(struct tn_ids, export_lot) },
	{ NULL, 0 },
};

#define TN_DNI 45678912

/* A's object for the route's {id}; 0 for routes outside this list. */
static int64_t
tn_object(struct fixture *f, const char *pattern)
{
	if (strncmp(pattern, "/api/v1/organizations/", 22) == 0)
		return f->org_a;
	if (strncmp(pattern, "/api/v1/users/", 14) == 0)
		return f->users[TU_A_CLERK].id;
	if (strncmp(pattern, "/api/v1/auditor-grants/", 23) == 0)
		return f->grant_a_c;
	for (size_t i = 0; tn_prefix[i].prefix != NULL; i++)
		if (strncmp(pattern, tn_prefix[i].prefix,
		        strlen(tn_prefix[i].prefix)) == 0)
			return tn_prefix[i].off == (size_t)-1
			    ? TN_DNI
			    : *(const int64_t *)((const char *)&tn +
			          tn_prefix[i].off);
	return 0;
}

static void
tn_seed(struct fixture *f)
{
	struct session s, sb;
	struct response r;
	char big[1024];

	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	tn_marker(tn_private, sizeof(tn_private), "MARCASECRETAA");
	tn_marker(tn_shared, sizeof(tn_shared), "MARCACOMPARTIDA");
	tn_marker(tn_own, sizeof(tn_own), "MARCAPROPIAA");

	assert_int_equal(session_login(f, "a-admin", TEST_PASSWORD, &s), 200);
	assert_int_equal(session_login(f, "b-admin", TEST_PASSWORD, &sb), 200);
	snprintf(big, sizeof(big),
	    "{\"dni\":\"%d\",\"first_names\":\"%s\","
	    "\"last_names\":\"%s\",\"caserio\":\"%s\",\"sex\":\"F\","
	    "\"status\":\"organic\",\"programs\":[\"EU\"]}",
	    TN_DNI, tn_private, tn_private, tn_private);
	tn.producer = tn_create(f, &s, "/api/v1/producers", big);
	snprintf(big, sizeof(big),
	    "{\"producer_id\":%lld,\"name\":\"%s\",\"area_ha\":\"1.5\","
	    "\"risk_notes\":\"%s\"}",
	    (long long)tn.producer, tn_private, tn_private);
	tn.plot = tn_create(f, &s, "/api/v1/plots", big);
	snprintf(big, sizeof(big),
	    "{\"producer_id\":%lld,\"plot_id\":%lld,"
	    "\"issued_on\":\"2017-06-10\",\"status\":\"conventional\","
	    "\"sacks\":1,\"gross_kg\":\"50\",\"tare_kg\":\"0.2\","
	    "\"humidity\":\"12\",\"observations\":\"%s\"}",
	    (long long)tn.producer, (long long)tn.plot, tn_private);
	tn.reception = tn_create(f, &s, "/api/v1/receptions", big);
	snprintf(big, sizeof(big),
	    "{\"reception_id\":%lld,\"issued_on\":\"2017-06-10\","
	    "\"price_per_qq\":\"400\"}",
	    (long long)tn.reception);
	tn.note = tn_create(f, &s, "/api/v1/warehouse-notes", big);
	snprintf(big, sizeof(big),
	    "{\"note_id\":%lld,\"issued_on\":\"2017-06-10\"}",
	    (long long)tn.note);
	tn.settlement = tn_create(f, &s, "/api/v1/purchase-settlements", big);
	{
		int64_t producer, plot;

		snprintf(big, sizeof(big),
		    "{\"dni\":\"%d\",\"first_names\":\"%s\","
		    "\"last_names\":\"%s\",\"caserio\":\"%s\","
		    "\"sex\":\"M\",\"status\":\"conventional\"}",
		    TN_DNI + 1, tn_own, tn_own, tn_own);
		producer = tn_create(f, &s, "/api/v1/producers", big);
		snprintf(big, sizeof(big),
		    "{\"producer_id\":%lld,\"name\":\"%s\","
		    "\"area_ha\":\"2\"}",
		    (long long)producer, tn_own);
		plot = tn_create(f, &s, "/api/v1/plots", big);
		snprintf(big, sizeof(big),
		    "{\"producer_id\":%lld,\"plot_id\":%lld,"
		    "\"issued_on\":\"2017-06-10\","
		    "\"status\":\"conventional\",\"sacks\":1,"
		    "\"gross_kg\":\"40\",\"tare_kg\":\"0.2\","
		    "\"humidity\":\"12\",\"observations\":\"%s\"}",
		    (long long)producer, (long long)plot, tn_own);
		(void)tn_create(f, &s, "/api/v1/receptions", big);
	}

	/* What B is shown: the guía (carrier, observations). */
	snprintf(big, sizeof(big),
	    "{\"issued_on\":\"2017-06-10\",\"recipient_org_id\":%lld,"
	    "\"reason\":3,\"carrier\":{\"name\":\"%s\","
	    "\"doc\":\"10105634205\"},\"lot_code\":\"CO-1\",\"sacks\":1,"
	    "\"declared_kg\":\"49.8\",\"note_ids\":[%lld],"
	    "\"observations\":\"%s\"}",
	    (long long)f->org_b, tn_shared, (long long)tn.note, tn_shared);
	tn.dispatch = tn_create(f, &s, "/api/v1/dispatches", big);
	snprintf(big, sizeof(big),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-11\","
	    "\"sacks\":1,\"gross_kg\":\"50\",\"tare_kg\":\"0.2\"}",
	    (long long)tn.dispatch);
	tn.receipt = tn_create(f, &sb, "/api/v1/plant-receipts", big);

	/* 100 kg at B for a process order (as test_api_authz.c). */
	snprintf(big, sizeof(big),
	    "INSERT INTO dispatches (id, organization_id, number, issued_on,"
	    " transfer_on, recipient_org_id, reason, lot_code, description,"
	    " status, sacks, declared_g, notes_sacks, notes_g, created_by,"
	    " created_at) VALUES (9001, %lld, 9001, '2017-06-10',"
	    " '2017-06-10', %lld, 3, 'CO-P', 'Café pergamino', 'conventional',"
	    " 2, 100000, 2, 100000, %lld, 0);"
	    "INSERT INTO plant_receipts (id, organization_id, number,"
	    " issued_on, dispatch_id, client_org_id, product, status, sacks,"
	    " gross_g, tare_g, net_g, created_by, created_at) VALUES (9001,"
	    " %lld, 9001, '2017-06-11', 9001, %lld, 'Café pergamino',"
	    " 'conventional', 2, 100400, 400, 100000, %lld, 0);"
	    "INSERT INTO org_settings (organization_id, ico_exporter_code)"
	    " VALUES (%lld, '861')",
	    (long long)f->org_a, (long long)f->org_b,
	    (long long)f->users[TU_A_ADMIN].id, (long long)f->org_b,
	    (long long)f->org_a, (long long)f->users[TU_B_ADMIN].id,
	    (long long)f->org_a);
	assert_int_equal(harness_exec(f, big), 0);
	snprintf(big, sizeof(big),
	    "{\"issued_on\":\"2017-06-11\",\"plant_org_id\":%lld,"
	    "\"inputs\":[{\"plant_receipt_id\":9001,\"kilos\":\"100\"}],"
	    "\"observations\":\"%s\"}",
	    (long long)f->org_b, tn_shared);
	tn.order = tn_create(f, &s, "/api/v1/process-orders", big);
	snprintf(big, sizeof(big),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-11\","
	    "\"sacks\":1,\"marks\":\"LOT 1\",\"observation\":\"%s\"}",
	    (long long)tn.order, tn_shared);
	tn.marking = tn_create(f, &s, "/api/v1/marking-orders", big);
	snprintf(big, sizeof(big),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-12\","
	    "\"outputs\":{\"export\":\"69\",\"husk\":\"31\"}}",
	    (long long)tn.order);
	tn.lop = tn_create(f, &sb, "/api/v1/process-settlements", big);
	snprintf(big, sizeof(big),
	    "{\"process_settlement_id\":%lld,\"issued_on\":\"2017-06-12\","
	    "\"destination\":\"Unimar\",\"carrier\":{\"name\":\"Hugo\","
	    "\"doc\":\"10066109556\",\"plate\":\"BKI-080\"},\"sacks\":1,"
	    "\"gross_kg\":\"69.5\",\"tare_kg\":\"0.5\"}",
	    (long long)tn.lop);
	tn.exit = tn_create(f, &sb, "/api/v1/plant-exits", big);

	/* The export lot is A's alone: not shown to plant B. */
	snprintf(big, sizeof(big),
	    "{\"issued_on\":\"2017-06-12\",\"organic_lot\":\"X-1\","
	    "\"sources\":[{\"process_settlement_id\":%lld,"
	    "\"category\":\"export\",\"kilos\":\"69\"}],"
	    "\"observations\":\"%s\"}",
	    (long long)tn.lop, tn_own);
	tn.export_lot = tn_create(f, &s, "/api/v1/export-lots", big);
	snprintf(big, sizeof(big),
	    "{\"issued_on\":\"2017-06-13\",\"buyer_name\":\"B\","
	    "\"lots\":[{\"export_lot_id\":%lld,\"sacks\":1,"
	    "\"kilos\":\"69\"}]}",
	    (long long)tn.export_lot);
	tn.shipment = tn_create(f, &s, "/api/v1/shipments", big);
	/* The audit log records the bodies: a signed checkpoint too. */
	session_call(f, &s, "POST", "/api/v1/audit/checkpoints", "{}", &r);
	response_free(&r);
}

/* What each principal read: how many bodies held each marker. */
struct tn_seen {
	int requests;
	int private_hits, shared_hits, own_hits;
	char first_private[512], first_shared[512], first_own[512];
};

/* Where a marker was seen, for the failure's diagnosis. */
static void
tn_show(const char *url, const char *body, const char *marker)
{
	const char *at = strcasestr(body, marker);
	const char *from = at - body > 120 ? at - 120 : body;

	printf("  %s: ...%.200s...\n", url, from);
}

static void
tn_read_all(struct fixture *f, int who, struct tn_seen *out)
{
	bool report = who != TU_C_AUDITOR && who != TU_A_ADMIN;
	struct session s = { 0 };
	char path[320];
	char query[6][160];

	memset(out, 0, sizeof(*out));
	assert_int_equal(
	    session_login(f, f->users[who].username, TEST_PASSWORD, &s), 200);
	/* Query strings that would match the markers or name A. */
	snprintf(query[0], sizeof(query[0]), "%s", "");
	snprintf(query[1], sizeof(query[1]), "?q=%.13s", tn_private);
	snprintf(query[2], sizeof(query[2]), "?q=%s", tn_shared);
	snprintf(query[3], sizeof(query[3]),
	    "?organization_id=%lld&client_org_id=%lld&q=MARCA",
	    (long long)f->org_a, (long long)f->org_a);
	snprintf(query[4], sizeof(query[4]), "?dni=%d&lot_code=CO-1", TN_DNI);
	snprintf(query[5], sizeof(query[5]),
	    "?format=csv&from=2017-01-01&to=2017-12-31&limit=500");
	for (size_t t = 0; api_route_tables[t] != NULL; t++) {
		for (const struct route *rt = api_route_tables[t];
		     rt->method != NULL; rt++) {
			const char *brace;

			if (strcmp(rt->method, "GET") != 0)
				continue;
			brace = strchr(rt->pattern, '{');
			if (brace != NULL)
				snprintf(path, sizeof(path), "%.*s%lld%s",
				    (int)(brace - rt->pattern), rt->pattern,
				    (long long)tn_object(f, rt->pattern),
				    strchr(brace, '}') + 1);
			else
				snprintf(path, sizeof(path), "%s", rt->pattern);
			for (size_t q = 0; q < 6; q++) {
				char url[512];
				struct response r;

				snprintf(url, sizeof(url), "%.300s%.150s", path,
				    query[q]);
				assert_int_equal(
				    session_call(f, &s, "GET", url, NULL, &r),
				    0);
				out->requests++;
				if (r.body != NULL &&
				    strcasestr(r.body, tn_private) != NULL &&
				    out->private_hits++ == 0)
					snprintf(out->first_private,
					    sizeof(out->first_private),
					    "%.500s", url);
				if (r.body != NULL &&
				    strcasestr(r.body, tn_shared) != NULL &&
				    out->shared_hits++ == 0)
					snprintf(out->first_shared,
					    sizeof(out->first_shared), "%.500s",
					    url);
				if (r.body != NULL &&
				    strcasestr(r.body, tn_own) != NULL &&
				    out->own_hits++ == 0)
					snprintf(out->first_own,
					    sizeof(out->first_own), "%.500s",
					    url);
				if (report && r.body != NULL &&
				    strcasestr(r.body, tn_own) != NULL)
					tn_show(url, r.body, tn_own);
				response_free(&r);
			}
		}
	}
}

static void
test_markers_stay_in_their_organization(void **state)
{
	struct fixture *f = *state;
	struct tn_seen seen;
	static const int outsiders[] = { TU_D_ADMIN, TU_C_AUDITOR2 };

	tn_seed(f);

	/* The granted auditor sees both: the test can fail. */
	tn_read_all(f, TU_C_AUDITOR, &seen);
	printf("c-auditor (granted): %d requests; bodies with the upstream"
	       " marker %d, the shared one %d, A's own %d\n",
	    seen.requests, seen.private_hits, seen.shared_hits, seen.own_hits);
	assert_true(seen.requests >= 200);
	assert_true(seen.private_hits >= 5);
	assert_true(seen.shared_hits >= 3);
	assert_true(seen.own_hits >= 3);

	for (size_t i = 0; i < sizeof(outsiders) / sizeof(outsiders[0]); i++) {
		tn_read_all(f, outsiders[i], &seen);
		printf("%s: %d requests\n", f->users[outsiders[i]].username,
		    seen.requests);
		if (seen.private_hits != 0 || seen.shared_hits != 0 ||
		    seen.own_hits != 0)
			fail_msg("%s sees A's data: %d/%d/%d bodies, first at"
			         " %s %s %s",
			    f->users[outsiders[i]].username, seen.private_hits,
			    seen.shared_hits, seen.own_hits, seen.first_private,
			    seen.first_shared, seen.first_own);
	}

	/* Plant B sees the guía and the orders addressed to it, and the
	 * origin of that coffee; never A's other producers, plots and
	 * receptions, nor its export lots. */
	tn_read_all(f, TU_B_ADMIN, &seen);
	printf("b-admin: %d requests, %d bodies with the shared marker, %d"
	       " with the upstream one\n",
	    seen.requests, seen.shared_hits, seen.private_hits);
	if (seen.own_hits != 0)
		fail_msg("plant B sees A's own data: %d bodies, first at %s",
		    seen.own_hits, seen.first_own);
	assert_true(seen.shared_hits >= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markers_stay_in_their_organization),
	};

	return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
