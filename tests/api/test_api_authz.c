/*
 * The authorization matrix, generated from the route tables: every route
 * x every principal (anonymous, each role, own and other organization).
 * Expected answers come from the policy table and from a per-route rule
 * of whose object the path names.  A route that has no rule here fails
 * this test, so no route can be added without deciding who may call it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/db.h"

/* Who can see the object a route's {id} names (seeded in harness.c). */
enum owner {
	OWN_NONE,    /* no {id}: only the permission matters */
	OWN_ORG_A,   /* organization A: its users, operator, granted auditor */
	OWN_USER_A,  /* a user of A: A's user admins and the operator */
	OWN_GRANT_A, /* A's auditor grant: A's admins */
	OWN_TOKEN_A, /* a token of a-admin: a-admin only */
	OWN_PRODUCER_A,     /* a producer of A: A's users, granted auditor */
	OWN_PRODUCER_DNI_A, /* the same producer named by its DNI */
	OWN_PLOT_A,         /* a plot of A's producer: as the producer */
	OWN_CERT_A,         /* a certification of A: as the producer */
	OWN_RECEPTION_A,    /* A's acopio documents: as the producer */
	OWN_NOTE_A,
	OWN_SETTLEMENT_A,
	OWN_DISPATCH_A,      /* A's guía to plant B: A, B, A's auditor */
	OWN_PLANT_RECEIPT_B, /* B's receipt of it: as the guía */
	OWN_PROCESS_ORDER_A, /* A's process order to plant B: as the guía */
	OWN_MARKING_ORDER_A,
	OWN_PROCESS_SETTLEMENT_B, /* B's LOP of A's coffee: as the guía */
	OWN_PLANT_EXIT_B,
	OWN_EXPORT_LOT_A, /* A's export lot: A and A's auditor, not plant B */
	OWN_SHIPMENT_A,
};

/* clang-format off */
static const struct {
	const char *pattern;
	enum owner owner;
} authz_rules[] = {
	{ "/api/v1/health", OWN_NONE },
	{ "/api/v1/openapi.json", OWN_NONE },
	{ "/api/v1/session", OWN_NONE },
	{ "/api/v1/me", OWN_NONE },
	{ "/api/v1/me/password", OWN_NONE },
	{ "/api/v1/organizations", OWN_NONE },
	{ "/api/v1/organizations/{id}", OWN_ORG_A },
	{ "/api/v1/users", OWN_NONE },
	{ "/api/v1/users/{id}", OWN_USER_A },
	{ "/api/v1/users/{id}/password", OWN_USER_A },
	{ "/api/v1/auditor-grants", OWN_NONE },
	{ "/api/v1/auditor-grants/{id}", OWN_GRANT_A },
	{ "/api/v1/tokens", OWN_NONE },
	{ "/api/v1/tokens/{id}", OWN_TOKEN_A },
	{ "/api/v1/audit", OWN_NONE },
	{ "/api/v1/audit/verify", OWN_NONE },
	{ "/api/v1/audit/checkpoints", OWN_NONE },
	{ "/api/v1/audit/checkpoints/latest", OWN_NONE },
	{ "/api/v1/numbering", OWN_NONE },
	{ "/api/v1/producers", OWN_NONE },
	{ "/api/v1/producers/{id}", OWN_PRODUCER_A },
	{ "/api/v1/producers/by-dni/{dni}", OWN_PRODUCER_DNI_A },
	{ "/api/v1/producers.csv", OWN_NONE },
	{ "/api/v1/producers/import", OWN_NONE },
	{ "/api/v1/plots", OWN_NONE },
	{ "/api/v1/plots/{id}", OWN_PLOT_A },
	{ "/api/v1/plots/{id}/estimates", OWN_PLOT_A },
	{ "/api/v1/plots.csv", OWN_NONE },
	{ "/api/v1/plots/import", OWN_NONE },
	{ "/api/v1/certifications", OWN_NONE },
	{ "/api/v1/certifications/{id}", OWN_CERT_A },
	{ "/api/v1/lpa", OWN_NONE },
	{ "/api/v1/lpa/withdraw", OWN_NONE },
	{ "/api/v1/lpa.csv", OWN_NONE },
	{ "/api/v1/settings", OWN_NONE },
	{ "/api/v1/receptions", OWN_NONE },
	{ "/api/v1/receptions.csv", OWN_NONE },
	{ "/api/v1/receptions/{id}", OWN_RECEPTION_A },
	{ "/api/v1/receptions/{id}/annul", OWN_RECEPTION_A },
	{ "/api/v1/warehouse-notes", OWN_NONE },
	{ "/api/v1/warehouse-notes/{id}", OWN_NOTE_A },
	{ "/api/v1/warehouse-notes/{id}/annul", OWN_NOTE_A },
	{ "/api/v1/purchase-settlements", OWN_NONE },
	{ "/api/v1/purchase-settlements.csv", OWN_NONE },
	{ "/api/v1/purchase-settlements/{id}", OWN_SETTLEMENT_A },
	{ "/api/v1/purchase-settlements/{id}/annul", OWN_SETTLEMENT_A },
	{ "/api/v1/dispatches", OWN_NONE },
	{ "/api/v1/dispatches.csv", OWN_NONE },
	{ "/api/v1/dispatches/{id}", OWN_DISPATCH_A },
	{ "/api/v1/dispatches/{id}/annul", OWN_DISPATCH_A },
	{ "/api/v1/plant-receipts", OWN_NONE },
	{ "/api/v1/plant-receipts.csv", OWN_NONE },
	{ "/api/v1/plant-receipts/{id}", OWN_PLANT_RECEIPT_B },
	{ "/api/v1/plant-receipts/{id}/annul", OWN_PLANT_RECEIPT_B },
	{ "/api/v1/process-orders", OWN_NONE },
	{ "/api/v1/process-orders/{id}", OWN_PROCESS_ORDER_A },
	{ "/api/v1/process-orders/{id}/annul", OWN_PROCESS_ORDER_A },
	{ "/api/v1/marking-orders", OWN_NONE },
	{ "/api/v1/marking-orders/{id}", OWN_MARKING_ORDER_A },
	{ "/api/v1/marking-orders/{id}/annul", OWN_MARKING_ORDER_A },
	{ "/api/v1/process-settlements", OWN_NONE },
	{ "/api/v1/process-settlements.csv", OWN_NONE },
	{ "/api/v1/process-settlements/{id}", OWN_PROCESS_SETTLEMENT_B },
	{ "/api/v1/process-settlements/{id}/annul", OWN_PROCESS_SETTLEMENT_B },
	{ "/api/v1/plant-exits", OWN_NONE },
	{ "/api/v1/plant-exits/{id}", OWN_PLANT_EXIT_B },
	{ "/api/v1/plant-exits/{id}/annul", OWN_PLANT_EXIT_B },
	{ "/api/v1/kardex", OWN_NONE },
	{ "/api/v1/kardex.csv", OWN_NONE },
	{ "/api/v1/trace/search", OWN_NONE },
	{ "/api/v1/trace/producers", OWN_NONE },
	{ "/api/v1/trace/producers/{id}", OWN_PRODUCER_A },
	{ "/api/v1/trace/plots/{id}", OWN_PLOT_A },
	{ "/api/v1/trace/receptions/{id}", OWN_RECEPTION_A },
	{ "/api/v1/trace/warehouse-notes/{id}", OWN_NOTE_A },
	{ "/api/v1/trace/dispatches/{id}", OWN_DISPATCH_A },
	{ "/api/v1/trace/plant-receipts/{id}", OWN_PLANT_RECEIPT_B },
	{ "/api/v1/trace/process-orders/{id}", OWN_PROCESS_ORDER_A },
	{ "/api/v1/trace/process-settlements/{id}", OWN_PROCESS_SETTLEMENT_B },
	{ "/api/v1/trace/export-lots/{id}", OWN_EXPORT_LOT_A },
	{ "/api/v1/trace/export-lots/{id}/geojson", OWN_EXPORT_LOT_A },
	{ "/api/v1/trace/shipments/{id}", OWN_SHIPMENT_A },
	{ "/api/v1/trace/shipments/{id}/geojson", OWN_SHIPMENT_A },
	{ "/api/v1/recall", OWN_NONE },
	{ "/api/v1/reports/mass-balance", OWN_NONE },
	{ "/api/v1/reports/export-lots/{id}", OWN_EXPORT_LOT_A },
	{ "/api/v1/reports/registers/receptions.csv", OWN_NONE },
	{ "/api/v1/reports/registers/warehouse-notes.csv", OWN_NONE },
	{ "/api/v1/reports/registers/purchase-settlements.csv", OWN_NONE },
	{ "/api/v1/reports/registers/dispatches.csv", OWN_NONE },
	{ "/api/v1/reports/registers/plant-receipts.csv", OWN_NONE },
	{ "/api/v1/reports/registers/process-settlements.csv", OWN_NONE },
	{ "/api/v1/reports/registers/plant-exits.csv", OWN_NONE },
	{ "/api/v1/reports/registers/export-lots.csv", OWN_NONE },
	{ "/api/v1/reports/registers/shipments.csv", OWN_NONE },
	{ "/api/v1/export-lots", OWN_NONE },
	{ "/api/v1/export-lots/available-sources", OWN_NONE },
	{ "/api/v1/export-lots/{id}", OWN_EXPORT_LOT_A },
	{ "/api/v1/export-lots/{id}/annul", OWN_EXPORT_LOT_A },
	{ "/api/v1/shipments", OWN_NONE },
	{ "/api/v1/shipments/{id}", OWN_SHIPMENT_A },
	{ "/api/v1/shipments/{id}/transaction-certificate", OWN_SHIPMENT_A },
	{ "/api/v1/shipments/{id}/annul", OWN_SHIPMENT_A },
	{ NULL, OWN_NONE },
};

/* Principals in order; the owner side (a-admin) goes last because some
 * of its allowed calls (revoking a grant or a token) change the data. */
static const int authz_principals[] = {
	-1, TU_OPERATOR, TU_D_ADMIN, TU_B_ADMIN, TU_B_CLERK, TU_C_AUDITOR,
	TU_C_AUDITOR2, TU_A_CLERK, TU_A_EXPORT, TU_A_ADMIN,
};
/* clang-format on */

#define AUTHZ_PRINCIPALS                                                       \
	(sizeof(authz_principals) / sizeof(authz_principals[0]))

static int64_t authz_token_a;
static int64_t authz_producer_a, authz_plot_a, authz_cert_a;
static int64_t authz_reception_a, authz_note_a, authz_settlement_a;
static int64_t authz_dispatch_a, authz_receipt_b;
static int64_t authz_order_a, authz_marking_a, authz_lop_b, authz_exit_b;
static int64_t authz_export_lot_a, authz_shipment_a;

/* A producer of A whose DNI has no leading zero: it is a path number. */
#define AUTHZ_PRODUCER_DNI 45678912

static bool
authz_rule(const char *pattern, enum owner *out)
{
	size_t i;

	for (i = 0; authz_rules[i].pattern != NULL; i++) {
		if (strcmp(authz_rules[i].pattern, pattern) == 0) {
			*out = authz_rules[i].owner;
			return true;
		}
	}
	return false;
}

static int64_t
authz_object(struct fixture *f, enum owner o)
{
	switch (o) {
	case OWN_ORG_A:
		return f->org_a;
	case OWN_USER_A:
		return f->users[TU_A_CLERK].id;
	case OWN_GRANT_A:
		return f->grant_a_c;
	case OWN_TOKEN_A:
		return authz_token_a;
	case OWN_PRODUCER_A:
		return authz_producer_a;
	case OWN_PRODUCER_DNI_A:
		return AUTHZ_PRODUCER_DNI;
	case OWN_PLOT_A:
		return authz_plot_a;
	case OWN_CERT_A:
		return authz_cert_a;
	case OWN_RECEPTION_A:
		return authz_reception_a;
	case OWN_NOTE_A:
		return authz_note_a;
	case OWN_SETTLEMENT_A:
		return authz_settlement_a;
	case OWN_DISPATCH_A:
		return authz_dispatch_a;
	case OWN_PLANT_RECEIPT_B:
		return authz_receipt_b;
	case OWN_PROCESS_ORDER_A:
		return authz_order_a;
	case OWN_MARKING_ORDER_A:
		return authz_marking_a;
	case OWN_PROCESS_SETTLEMENT_B:
		return authz_lop_b;
	case OWN_PLANT_EXIT_B:
		return authz_exit_b;
	case OWN_EXPORT_LOT_A:
		return authz_export_lot_a;
	case OWN_SHIPMENT_A:
		return authz_shipment_a;
	default:
		return 0;
	}
}

static bool
authz_sees(struct fixture *f, int who, enum owner o)
{
	const struct test_user_info *u = &f->users[who];

	switch (o) {
	case OWN_ORG_A:
		return u->org_id == f->org_a || u->role == ROLE_SUPERADMIN ||
		    who == TU_C_AUDITOR;
	case OWN_USER_A:
		return u->org_id == f->org_a || u->role == ROLE_SUPERADMIN;
	case OWN_GRANT_A:
		return u->org_id == f->org_a;
	case OWN_TOKEN_A:
		return who == TU_A_ADMIN;
	case OWN_PRODUCER_A:
	case OWN_PRODUCER_DNI_A:
	case OWN_PLOT_A:
	case OWN_CERT_A:
	case OWN_RECEPTION_A:
	case OWN_NOTE_A:
	case OWN_SETTLEMENT_A:
	case OWN_EXPORT_LOT_A:
	case OWN_SHIPMENT_A:
		return u->org_id == f->org_a || who == TU_C_AUDITOR;
	case OWN_DISPATCH_A:
	case OWN_PLANT_RECEIPT_B:
	case OWN_PROCESS_ORDER_A:
	case OWN_MARKING_ORDER_A:
	case OWN_PROCESS_SETTLEMENT_B:
	case OWN_PLANT_EXIT_B:
		return u->org_id == f->org_a || u->org_id == f->org_b ||
		    who == TU_C_AUDITOR;
	default:
		return true;
	}
}

/* Replace the "{...}" parameter in pattern with id. */
static void
authz_path(const char *pattern, int64_t id, char *out, size_t cap)
{
	const char *p = strchr(pattern, '{');
	const char *end = p != NULL ? strchr(p, '}') : NULL;

	if (end == NULL) {
		snprintf(out, cap, "%s", pattern);
		return;
	}
	snprintf(out, cap, "%.*s%lld%s", (int)(p - pattern), pattern,
	    (long long)id, end + 1);
}

/* POST body as a-admin; the new object's id. */
static int64_t
authz_create(
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

static void
authz_check(struct fixture *f, const struct route *rt, int who)
{
	struct principal p = { 0 };
	struct session s = { 0 };
	struct response r;
	enum owner owner = OWN_NONE;
	char path[256];
	bool body =
	    strcmp(rt->method, "GET") != 0 && strcmp(rt->method, "DELETE") != 0;

	if (!authz_rule(rt->pattern, &owner))
		fail_msg("route %s %s has no rule in test_api_authz.c",
		    rt->method, rt->pattern);
	if (who >= 0) {
		assert_int_equal(
		    session_login(f, f->users[who].username, TEST_PASSWORD, &s),
		    200);
		p.user_id = f->users[who].id;
		p.role = f->users[who].role;
		p.org_kind = f->users[who].org_kind;
	}
	authz_path(rt->pattern, authz_object(f, owner), path, sizeof(path));
	assert_int_equal(session_call(f, who >= 0 ? &s : NULL, rt->method, path,
	                     body ? "{}" : NULL, &r),
	    0);
	if (rt->perm != PERM_PUBLIC && who < 0) {
		if (r.status != 401)
			fail_msg("%s %s anonymous: %ld, want 401", rt->method,
			    path, r.status);
	} else if (!policy_allows(&p, rt->perm)) {
		if (r.status != 403)
			fail_msg("%s %s as %s: %ld, want 403", rt->method, path,
			    f->users[who].username, r.status);
	} else if (owner != OWN_NONE && !authz_sees(f, who, owner)) {
		if (r.status != 404)
			fail_msg("%s %s as %s: %ld, want 404", rt->method, path,
			    f->users[who].username, r.status);
	} else if (r.status == 401 || r.status == 403 || r.status == 404 ||
	    r.status >= 500) {
		fail_msg("%s %s as %s: %ld, want access", rt->method, path,
		    who >= 0 ? f->users[who].username : "anonymous", r.status);
	}
	response_free(&r);
}

/*
 * A guía and guía de ingreso of 100 kg (ids 9001) in SQL: an exit needs a
 * whole 69 kg sack of export coffee, more than the 49.8 kg above.
 */
static void
authz_process_seed(struct fixture *f)
{
	struct db *db = NULL;
	char sql[1024];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO dispatches (id, organization_id, number, issued_on,"
	    " transfer_on, recipient_org_id, reason, lot_code, description,"
	    " status, sacks, declared_g, notes_sacks, notes_g, created_by,"
	    " created_at) VALUES (9001, %lld, 9001, '2017-06-10',"
	    " '2017-06-10', %lld, 3, 'CO-P', 'Café pergamino', 'conventional',"
	    " 2, 100000, 2, 100000, %lld, 0);"
	    "INSERT INTO plant_receipts (id, organization_id, number,"
	    " issued_on, dispatch_id, client_org_id, product, status, sacks,"
	    " gross_g, tare_g, net_g, created_by, created_at) VALUES (9001,"
	    " %lld, 9001,"
	    " '2017-06-11', 9001, %lld, 'Café pergamino', 'conventional', 2,"
	    " 100400, 400, 100000, %lld, 0)",
	    (long long)f->org_a, (long long)f->org_b,
	    (long long)f->users[TU_A_ADMIN].id, (long long)f->org_b,
	    (long long)f->org_a, (long long)f->users[TU_B_ADMIN].id);
	assert_int_equal(harness_db(f, &db), 0);
	assert_int_equal(
	    sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL), SQLITE_OK);
	db_close(db);
}

/* A's ICO exporter code, so that it can issue export lots. */
static void
authz_export_seed(struct fixture *f)
{
	struct db *db = NULL;
	char sql[256];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO org_settings (organization_id, ico_exporter_code)"
	    " VALUES (%lld, '861')",
	    (long long)f->org_a);
	assert_int_equal(harness_db(f, &db), 0);
	assert_int_equal(
	    sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL), SQLITE_OK);
	db_close(db);
}

static void
test_every_route_every_principal(void **state)
{
	struct fixture *f = *state;
	const struct route *rt;
	struct session s;
	struct session sb; /* b-admin: the plant's documents */
	struct response r;
	static const char *const order[] = { "GET", "POST", "PATCH", "DELETE" };
	char body[256];
	char big[512]; /* the transfer documents' bodies */
	size_t t, i, m, routes = 0;

	/* A token of a-admin for the token routes. */
	assert_int_equal(session_login(f, "a-admin", TEST_PASSWORD, &s), 200);
	session_call(f, &s, "POST", "/api/v1/tokens", "{\"name\":\"m\"}", &r);
	assert_int_equal(r.status, 201);
	authz_token_a = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);

	/* Registry objects of A for the registry routes. */
	authz_producer_a = authz_create(f, &s, "/api/v1/producers",
	    "{\"dni\":\"45678912\",\"first_names\":\"Rosa\","
	    "\"last_names\":\"Quispe\",\"sex\":\"F\","
	    "\"status\":\"organic\",\"programs\":[\"EU\"]}");
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"name\":\"El Mirador\","
	    "\"area_ha\":\"1.5\"}",
	    (long long)authz_producer_a);
	authz_plot_a = authz_create(f, &s, "/api/v1/plots", body);
	authz_cert_a = authz_create(f, &s, "/api/v1/certifications",
	    "{\"certifier\":\"Organic World\",\"program\":\"EU\","
	    "\"code\":\"CU835641\",\"valid_from\":\"2017-01-01\","
	    "\"valid_to\":\"2017-12-31\"}");

	/* Acopio documents of A (conventional: no LPA needed). */
	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-10\","
	    "\"status\":\"conventional\",\"sacks\":1,\"gross_kg\":\"50\","
	    "\"tare_kg\":\"0.2\",\"humidity\":\"12\"}",
	    (long long)authz_producer_a);
	authz_reception_a = authz_create(f, &s, "/api/v1/receptions", body);
	snprintf(body, sizeof(body),
	    "{\"reception_id\":%lld,\"issued_on\":\"2017-06-10\","
	    "\"price_per_qq\":\"400\"}",
	    (long long)authz_reception_a);
	authz_note_a = authz_create(f, &s, "/api/v1/warehouse-notes", body);
	snprintf(body, sizeof(body),
	    "{\"note_id\":%lld,\"issued_on\":\"2017-06-10\"}",
	    (long long)authz_note_a);
	authz_settlement_a =
	    authz_create(f, &s, "/api/v1/purchase-settlements", body);

	/* A's guía de remisión of that note to plant B, and B's receipt. */
	snprintf(big, sizeof(big),
	    "{\"issued_on\":\"2017-06-10\",\"recipient_org_id\":%lld,"
	    "\"reason\":3,\"carrier\":{\"name\":\"Pablo Chacón\","
	    "\"doc\":\"10105634205\"},\"lot_code\":\"CO-1\",\"sacks\":1,"
	    "\"declared_kg\":\"49.8\",\"note_ids\":[%lld]}",
	    (long long)f->org_b, (long long)authz_note_a);
	authz_dispatch_a = authz_create(f, &s, "/api/v1/dispatches", big);
	assert_int_equal(session_login(f, "b-admin", TEST_PASSWORD, &sb), 200);
	snprintf(big, sizeof(big),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-11\","
	    "\"sacks\":1,\"gross_kg\":\"50\",\"tare_kg\":\"0.2\"}",
	    (long long)authz_dispatch_a);
	authz_receipt_b = authz_create(f, &sb, "/api/v1/plant-receipts", big);

	/* Process documents of 100 kg of A's coffee at B (receipt 9001). */
	authz_process_seed(f);
	snprintf(big, sizeof(big),
	    "{\"issued_on\":\"2017-06-11\",\"plant_org_id\":%lld,"
	    "\"inputs\":[{\"plant_receipt_id\":9001,\"kilos\":\"100\"}]}",
	    (long long)f->org_b);
	authz_order_a = authz_create(f, &s, "/api/v1/process-orders", big);
	snprintf(big, sizeof(big),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-11\","
	    "\"sacks\":1,\"marks\":\"LOT 1\"}",
	    (long long)authz_order_a);
	authz_marking_a = authz_create(f, &s, "/api/v1/marking-orders", big);
	snprintf(big, sizeof(big),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-12\","
	    "\"outputs\":{\"export\":\"69\",\"husk\":\"31\"}}",
	    (long long)authz_order_a);
	authz_lop_b = authz_create(f, &sb, "/api/v1/process-settlements", big);
	snprintf(big, sizeof(big),
	    "{\"process_settlement_id\":%lld,\"issued_on\":\"2017-06-12\","
	    "\"destination\":\"Unimar\",\"carrier\":{\"name\":\"Hugo\","
	    "\"doc\":\"10066109556\",\"plate\":\"BKI-080\"},\"sacks\":1,"
	    "\"gross_kg\":\"69.5\",\"tare_kg\":\"0.5\"}",
	    (long long)authz_lop_b);
	authz_exit_b = authz_create(f, &sb, "/api/v1/plant-exits", big);

	/* A's export lot of that LOP's 69 kg, and its shipment. */
	authz_export_seed(f);
	snprintf(big, sizeof(big),
	    "{\"issued_on\":\"2017-06-12\",\"organic_lot\":\"X-1\","
	    "\"sources\":[{\"process_settlement_id\":%lld,"
	    "\"category\":\"export\",\"kilos\":\"69\"}]}",
	    (long long)authz_lop_b);
	authz_export_lot_a = authz_create(f, &s, "/api/v1/export-lots", big);
	snprintf(big, sizeof(big),
	    "{\"issued_on\":\"2017-06-13\",\"buyer_name\":\"B\","
	    "\"lots\":[{\"export_lot_id\":%lld,\"sacks\":1,"
	    "\"kilos\":\"69\"}]}",
	    (long long)authz_export_lot_a);
	authz_shipment_a = authz_create(f, &s, "/api/v1/shipments", big);

	/* A signed audit checkpoint, so that .../latest has one to show. */
	(void)authz_create(f, &s, "/api/v1/audit/checkpoints", "{}");

	/* Reads first, then writes, DELETEs last: revocations change data. */
	for (m = 0; m < 4; m++) {
		for (t = 0; api_route_tables[t] != NULL; t++) {
			for (rt = api_route_tables[t]; rt->method != NULL;
			     rt++) {
				if (strcmp(rt->method, order[m]) != 0)
					continue;
				routes++;
				for (i = 0; i < AUTHZ_PRINCIPALS; i++)
					authz_check(f, rt, authz_principals[i]);
			}
		}
	}
	assert_true(routes >= 20);
}

static void
test_every_rule_names_a_route(void **state)
{
	const struct route *rt;
	size_t i, t;
	bool found;

	(void)state;
	for (i = 0; authz_rules[i].pattern != NULL; i++) {
		found = false;
		for (t = 0; api_route_tables[t] != NULL && !found; t++)
			for (rt = api_route_tables[t]; rt->method != NULL; rt++)
				if (strcmp(rt->pattern,
				        authz_rules[i].pattern) == 0)
					found = true;
		if (!found)
			fail_msg("stale rule %s", authz_rules[i].pattern);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rule_names_a_route),
		cmocka_unit_test(test_every_route_every_principal),
	};

	return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
