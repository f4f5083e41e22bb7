/*
 * I/O faults under every write endpoint: the in-process server runs on
 * faultvfs (faultvfs.h), and for N = 1, 2, ... the N-th file write (or
 * sync) of a request and every later one fail with SQLITE_IOERR_WRITE,
 * SQLITE_IOERR_FSYNC or SQLITE_FULL, until the request gets through.
 * Whenever it failed: the server is still up, the answer is a 5xx
 * application/problem+json, no table gained or lost a row and the audit
 * chain did not grow; and once the fault clears, the next write on the
 * same connection succeeds.  The documents form one chain per kind of
 * fault (reception, note, settlement, dispatch, plant receipt, process
 * order, process settlement, export lot, shipment, and annulments), each
 * request's success feeding the next one.
 *
 * One worker thread: the connection that met the fault is the one that
 * must serve the next request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "faultvfs.h"
#include "harness.h"
#include "pergamino/admin.h"
#include "pergamino/audit.h"
#include "pergamino/db.h"

#define IO_N_MAX 400 /* a request does fewer file writes than this */
#define IO_TABLES_MAX 96

#define CARRIER                                                                \
	"\"carrier\":{\"name\":\"Pablo Chacón\",\"doc\":\"10105634205\","     \
	"\"plate\":\"ABW-080\",\"licence\":\"A225639\",\"brand\":\"Volvo\","   \
	"\"mtc\":\"5690\"}"

struct io_mode {
	const char *name;
	enum faultvfs_op op;
	int code;
};

static const struct io_mode io_modes[] = {
	{ "SQLITE_IOERR_WRITE", FAULTVFS_WRITE, SQLITE_IOERR_WRITE },
	{ "SQLITE_IOERR_FSYNC", FAULTVFS_SYNC, SQLITE_IOERR_FSYNC },
	{ "SQLITE_FULL", FAULTVFS_WRITE, SQLITE_FULL },
};

/* Row count of every table, and the audit chain's length. */
struct io_snapshot {
	char table[IO_TABLES_MAX][64];
	int64_t rows[IO_TABLES_MAX];
	size_t n;
	int64_t audit_seq;
};

static struct {
	struct db *db; /* the test's own reading connection */
	struct session a_clerk, b_clerk, a_export;
	int64_t producer;
	unsigned failed, absorbed; /* requests failed; faults after commit */
} io;

static void
io_snap(struct io_snapshot *s)
{
	sqlite3_stmt *st = NULL, *c = NULL;
	char sql[128];

	memset(s, 0, sizeof(*s));
	assert_int_equal(sqlite3_prepare_v2(db_handle(io.db),
	                     "SELECT name FROM sqlite_schema WHERE type ="
	                     " 'table' AND name NOT LIKE 'sqlite_%'"
	                     " ORDER BY name",
	                     -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && s->n < IO_TABLES_MAX) {
		snprintf(s->table[s->n], sizeof(s->table[s->n]), "%s",
		    (const char *)sqlite3_column_text(st, 0));
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"",
		    s->table[s->n]);
		assert_int_equal(
		    sqlite3_prepare_v2(db_handle(io.db), sql, -1, &c, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(c), SQLITE_ROW);
		s->rows[s->n++] = sqlite3_column_int64(c, 0);
		sqlite3_finalize(c);
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db_handle(io.db),
	                     "SELECT coalesce(max(seq), 0) FROM audit_events",
	                     -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	s->audit_seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
}

static void
io_same(const struct io_snapshot *a, const struct io_snapshot *b,
    const char *what, unsigned n)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++)
		if (a->rows[i] != b->rows[i])
			fail_msg("%s, fault at %u: table %s went from %lld to "
			         "%lld rows",
			    what, n, a->table[i], (long long)a->rows[i],
			    (long long)b->rows[i]);
	if (a->audit_seq != b->audit_seq)
		fail_msg("%s, fault at %u: audit chain grew", what, n);
}

/* A reception of 10 sacks, 690 kg net, by A's clerk; the response. */
static void
io_reception(struct fixture *f, struct response *r)
{
	char body[512];

	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-30\","
	    "\"status\":\"conventional\",\"sacks\":10,"
	    "\"gross_kg\":\"690.4\",\"tare_kg\":\"0.4\","
	    "\"humidity\":\"12.0\",\"weighed_by\":\"Prueba\"}",
	    (long long)io.producer);
	session_call(f, &io.a_clerk, "POST", "/api/v1/receptions", body, r);
}

/*
 * POST body to path as s under each fault in turn, until it succeeds
 * with want; the id it created (or 0 when the answer has none).
 */
static int64_t
io_step(struct fixture *f, const struct io_mode *m, struct session *s,
    const char *what, const char *path, const char *body, long want)
{
	struct io_snapshot before, after;
	struct response r, probe;
	char ctype[64];
	unsigned n, fired;
	int64_t id;

	for (n = 1; n <= IO_N_MAX; n++) {
		io_snap(&before);
		faultvfs_fail_from(m->op, n, m->code);
		session_call(f, s, "POST", path, body, &r);
		fired = faultvfs_fail_clear();
		if (r.status == want) {
			/* Through: a fault after the commit is harmless. */
			if (fired > 0)
				io.absorbed++;
			id = json_integer_value(json_object_get(r.json, "id"));
			response_free(&r);
			io_snap(&after);
			if (after.audit_seq <= before.audit_seq)
				fail_msg("%s: answered %ld but not audited",
				    what, want);
			print_message("io faults: %-20s %-19s failed at "
			              "N = 1..%u, succeeded at N = %u\n",
			    m->name, what, n - 1, n);
			return id;
		}
		if (r.status < 500 || fired == 0)
			fail_msg("%s, %s at %u: answered %ld (%u faults) %s",
			    what, m->name, n, r.status, fired, r.body);
		response_header(&r, "Content-Type", ctype, sizeof(ctype));
		assert_string_equal(ctype, "application/problem+json");
		response_free(&r);
		io.failed++;
		io_snap(&after);
		io_same(&before, &after, what, n);
		/* The fault is gone: the next write must get through. */
		io_reception(f, &probe);
		if (probe.status != 201)
			fail_msg("%s, %s at %u: the next request got %ld %s",
			    what, m->name, n, probe.status, probe.body);
		response_free(&probe);
	}
	fail_msg("%s: still failing after %u faults", what, IO_N_MAX);
	return 0;
}

/* Every write endpoint, in the order the coffee travels. */
static void
io_chain(struct fixture *f, const struct io_mode *m, unsigned k)
{
	char body[1024], path[96];
	struct response r;
	int64_t rec, note, dispatch, receipt, order, lop, lot, shipment;

	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-30\","
	    "\"status\":\"conventional\",\"sacks\":10,"
	    "\"gross_kg\":\"690.4\",\"tare_kg\":\"0.4\","
	    "\"humidity\":\"12.0\",\"weighed_by\":\"Prueba\"}",
	    (long long)io.producer);
	rec = io_step(
	    f, m, &io.a_clerk, "reception", "/api/v1/receptions", body, 201);
	snprintf(body, sizeof(body),
	    "{\"reception_id\":%lld,\"issued_on\":\"2017-06-30\","
	    "\"price_per_qq\":\"380\"}",
	    (long long)rec);
	note = io_step(f, m, &io.a_clerk, "warehouse note",
	    "/api/v1/warehouse-notes", body, 201);
	snprintf(body, sizeof(body),
	    "{\"note_id\":%lld,\"issued_on\":\"2017-06-30\"}", (long long)note);
	(void)io_step(f, m, &io.a_clerk, "purchase settlement",
	    "/api/v1/purchase-settlements", body, 201);
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-30\",\"recipient_org_id\":%lld,"
	    "\"reason\":3," CARRIER ",\"lot_code\":\"CO-F%u\",\"sacks\":10,"
	    "\"declared_kg\":\"690\",\"note_ids\":[%lld]}",
	    (long long)f->org_b, k, (long long)note);
	dispatch = io_step(
	    f, m, &io.a_clerk, "dispatch", "/api/v1/dispatches", body, 201);
	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-30\","
	    "\"sacks\":10,\"gross_kg\":\"691\",\"tare_kg\":\"1\"}",
	    (long long)dispatch);
	receipt = io_step(f, m, &io.b_clerk, "plant receipt",
	    "/api/v1/plant-receipts", body, 201);
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-30\",\"plant_org_id\":%lld,"
	    "\"contract\":\"P17500\",\"inputs\":[{\"plant_receipt_id\":%lld,"
	    "\"kilos\":\"690\"}]}",
	    (long long)f->org_b, (long long)receipt);
	order = io_step(f, m, &io.a_clerk, "process order",
	    "/api/v1/process-orders", body, 201);
	snprintf(body, sizeof(body),
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-30\","
	    "\"outputs\":{\"export\":\"621\",\"husk\":\"69\"}}",
	    (long long)order);
	lop = io_step(f, m, &io.b_clerk, "process settlement",
	    "/api/v1/process-settlements", body, 201);
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-30\",\"contract\":\"P17500\","
	    "\"organic_lot\":\"F-%u\",\"sources\":[{\"process_settlement_id\":"
	    "%lld,\"category\":\"export\",\"kilos\":\"621\"}]}",
	    k, (long long)lop);
	lot = io_step(
	    f, m, &io.a_export, "export lot", "/api/v1/export-lots", body, 201);
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-07-01\",\"buyer_name\":\"Importer\","
	    "\"lots\":[{\"export_lot_id\":%lld,\"sacks\":9,"
	    "\"kilos\":\"621\"}]}",
	    (long long)lot);
	shipment = io_step(
	    f, m, &io.a_export, "shipment", "/api/v1/shipments", body, 201);
	snprintf(path, sizeof(path), "/api/v1/shipments/%lld/annul",
	    (long long)shipment);
	(void)io_step(f, m, &io.a_export, "shipment annulment", path,
	    "{\"reason\":\"Error de prueba\"}", 200);
	/* A reception with no note yet may be annulled. */
	io_reception(f, &r);
	assert_int_equal(r.status, 201);
	rec = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/receptions/%lld/annul",
	    (long long)rec);
	(void)io_step(f, m, &io.a_clerk, "reception annulment", path,
	    "{\"reason\":\"Error de pesado\"}", 200);
}

static void
test_io_faults_fail_cleanly_everywhere(void **state)
{
	struct fixture *f = *state;
	struct audit_verify_result vr;
	struct response r;
	unsigned k;

	for (k = 0; k < sizeof(io_modes) / sizeof(io_modes[0]); k++)
		io_chain(f, &io_modes[k], k);
	print_message("io faults: %u requests failed cleanly, %u faults met "
	              "after the commit (absorbed)\n",
	    io.failed, io.absorbed);
	assert_true(io.failed > 0);
	/* The server still serves, and the chain is whole. */
	session_call(f, &io.a_clerk, "GET", "/api/v1/receptions", NULL, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	assert_int_equal(audit_verify(io.db, &vr), ERR_OK);
	assert_true(vr.ok);
}

/*
 * A full disk must not stop an auditor or a clerk from reading: the
 * once-a-minute refresh of a session's last use is a write, and when it
 * fails the read is still answered (and the session stays valid).
 */
static void
test_io_faults_reads_survive_a_refused_refresh(void **state)
{
	struct fixture *f = *state;
	struct response r;
	unsigned k, fired;
	char *err = NULL;

	for (k = 0; k < sizeof(io_modes) / sizeof(io_modes[0]); k++) {
		/* The session was last seen two minutes ago: refresh due. */
		assert_int_equal(
		    sqlite3_exec(db_handle(io.db),
		        "UPDATE credentials SET last_seen_at ="
		        " last_seen_at - 120 WHERE kind = 'session'",
		        NULL, NULL, &err),
		    SQLITE_OK);
		faultvfs_fail_from(io_modes[k].op, 1, io_modes[k].code);
		session_call(
		    f, &io.a_clerk, "GET", "/api/v1/receptions", NULL, &r);
		fired = faultvfs_fail_clear();
		if (r.status != 200 || fired == 0)
			fail_msg("%s: GET answered %ld with %u faults: %s",
			    io_modes[k].name, r.status, fired, r.body);
		response_free(&r);
		/* Disk back: the same session still reads and writes. */
		io_reception(f, &r);
		assert_int_equal(r.status, 201);
		response_free(&r);
	}
}

static int
io_setup(void **state)
{
	struct fixture *f;
	struct session admin;
	struct response r;
	char etag[64], hdr[96];
	int rc;

	/* Before the first connection: every open goes through faultvfs. */
	if (faultvfs_register() != SQLITE_OK || harness_setup(state) != 0)
		return -1;
	f = *state;
	if (harness_seed_story(f, HARNESS_STORY_ACOPIO) != 0)
		return -1;
	io.producer = harness_fixture_int(
	    f, "SELECT id FROM producers WHERE dni = '08754611'");
	if (io.producer <= 0)
		return -1;
	f->cfg.threads = 1;
	if (harness_restart(f) != 0 || harness_db(f, &io.db) != 0)
		return -1;
	if (session_login(f, "a-admin", TEST_PASSWORD, &admin) != 200)
		return -1;
	/* Export lots are numbered with the exporter's ICO code. */
	session_call(f, &admin, "GET", "/api/v1/settings", NULL, &r);
	response_header(&r, "ETag", etag, sizeof(etag));
	response_free(&r);
	snprintf(hdr, sizeof(hdr), "If-Match: %s", etag);
	session_call_h(f, &admin, "PATCH", "/api/v1/settings",
	    "{\"ico_exporter_code\":\"861\",\"ico_country_code\":30}", hdr, &r);
	rc = r.status == 200 ? 0 : -1;
	response_free(&r);
	if (rc != 0 ||
	    session_login(f, "a-clerk", TEST_PASSWORD, &io.a_clerk) != 200 ||
	    session_login(f, "b-clerk", TEST_PASSWORD, &io.b_clerk) != 200 ||
	    session_login(f, "a-export", TEST_PASSWORD, &io.a_export) != 200)
		return -1;
	return 0;
}

static int
io_teardown(void **state)
{
	faultvfs_fail_clear();
	db_close(io.db);
	return harness_teardown(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io_faults_fail_cleanly_everywhere),
		cmocka_unit_test(
		    test_io_faults_reads_survive_a_refused_refresh),
	};

	return cmocka_run_group_tests(tests, io_setup, io_teardown);
}
