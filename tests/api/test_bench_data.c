/*
 * pergamino bench-data as the benchmarks use it: the real binary (from
 * PERGAMINO_BIN) fills a new database with a small campaign (2 000
 * producers, 10 000 deliveries, 4 cooperatives, 2 plants), and the
 * product's own checks pass on it: counts, gap-free numbering against
 * the numbering table, the audit chain (pergamino audit verify),
 * integrity and foreign keys, every LOP's outputs adding up to its
 * inputs, allocations within what each document holds, segregation at
 * every step, the acopio rules (LPA, certification, one note and one
 * settlement a ticket); then the real server answers a trace of an export
 * lot with the producers SQL finds upstream of it, and a consistent mass
 * balance.  A second run refuses the filled database; the same seed gives
 * the same audit chain.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/ids.h"

#define BD_ARGS                                                                \
	"--producers 2000 --deliveries 10000 --cooperatives 4 --plants 2"
#define BD_PASSWORD "pergamino-bench-data" /* the documented default */

struct bd_state {
	char dir[128];
	char db[192];
	int gen_status;
	char gen_out[4096];
	char head[128]; /* of the audit chain right after generation */
	sqlite3 *h;
};

static struct bd_state st;

static const char *
bd_bin(void)
{
	const char *b = getenv("PERGAMINO_BIN");

	return b != NULL ? b : "./pergamino";
}

/* Run "bin args" (stderr dropped); exit status, stdout into out. */
static int
bd_run(const char *args, char *out, size_t cap)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int status;

	snprintf(
	    cmd, sizeof(cmd), "%s %s 2>/dev/null </dev/null", bd_bin(), args);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* One integer from a query; -1 on an error. */
static int64_t
q_int(const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(st.h, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	else
		fprintf(stderr, "query failed: %s: %s\n", sql,
		    sqlite3_errmsg(st.h));
	sqlite3_finalize(s);
	return v;
}

/* The query must count no offending rows. */
static void
expect_none(const char *what, const char *sql)
{
	int64_t n = q_int(sql);

	if (n != 0)
		fprintf(stderr, "%s: %lld rows\n", what, (long long)n);
	assert_int_equal(n, 0);
}

/* "head <hex>" of the audit chain of db, or "" when it does not verify. */
static void
bd_head(const char *db, char *out, size_t cap)
{
	char args[256], text[1024];
	const char *h;

	out[0] = '\0';
	snprintf(args, sizeof(args), "audit verify --db %s", db);
	if (bd_run(args, text, sizeof(text)) == 0 &&
	    (h = strstr(text, "head ")) != NULL)
		snprintf(out, cap, "%.69s", h);
}

static int
setup(void **state)
{
	char args[512];

	(void)state;
	snprintf(st.dir, sizeof(st.dir), "/tmp/pergamino-bench-XXXXXX");
	if (mkdtemp(st.dir) == NULL)
		return -1;
	snprintf(st.db, sizeof(st.db), "%s/bench.db", st.dir);
	snprintf(args, sizeof(args), "bench-data --db %s " BD_ARGS " --seed 11",
	    st.db);
	st.gen_status = bd_run(args, st.gen_out, sizeof(st.gen_out));
	if (st.gen_status != 0)
		fprintf(stderr, "bench-data exited %d\n", st.gen_status);
	bd_head(st.db, st.head, sizeof(st.head));
	if (sqlite3_open_v2(st.db, &st.h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	sqlite3_close(st.h);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", st.dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_generates_the_campaign(void **state)
{
	(void)state;
	assert_int_equal(st.gen_status, 0);
	assert_non_null(strstr(st.gen_out, "log in as coop001-admin"));
	assert_int_equal(
	    q_int("SELECT count(*) FROM organizations"), 4 + 2 + 3);
	assert_int_equal(q_int("SELECT count(*) FROM producers"), 2000);
	assert_int_equal(q_int("SELECT count(*) FROM receptions"), 10000);
	assert_int_equal(q_int("SELECT count(*) FROM warehouse_notes"), 10000);
	assert_int_equal(
	    q_int("SELECT count(*) FROM purchase_settlements"), 10000);
	assert_true(q_int("SELECT count(*) FROM plots") >= 2000);
	assert_true(q_int("SELECT count(*) FROM dispatches") >= 30);
	assert_true(q_int("SELECT count(*) FROM dispatch_notes") >= 9000);
	assert_int_equal(q_int("SELECT count(*) FROM plant_receipts"),
	    q_int("SELECT count(*) FROM dispatches"));
	assert_true(q_int("SELECT count(*) FROM process_settlements") >= 20);
	assert_true(q_int("SELECT count(*) FROM export_lots") >= 15);
	assert_true(q_int("SELECT count(*) FROM shipments") >= 10);
	assert_true(q_int("SELECT count(*) FROM lpa_entries") > 1000);
	/* Every status occurs, so segregation is exercised. */
	assert_int_equal(
	    q_int("SELECT count(DISTINCT status) FROM export_lots"), 3);
	/* Some receipt feeds two orders; some LOP feeds two lots. */
	assert_true(q_int("SELECT count(*) FROM (SELECT plant_receipt_id FROM"
	                  " process_order_inputs GROUP BY 1"
	                  " HAVING count(*) > 1)") > 0);
	assert_true(q_int("SELECT count(*) FROM (SELECT process_settlement_id"
	                  " FROM export_lot_sources WHERE category = 'export'"
	                  " GROUP BY 1 HAVING count(*) > 1)") > 0);
	assert_true(
	    q_int("SELECT max(n) FROM (SELECT count(*) n FROM"
	          " process_order_inputs GROUP BY process_order_id)") >= 2);
}

static const char *const bd_docs[][2] = {
	{ "receptions", "reception" },
	{ "warehouse_notes", "warehouse_note" },
	{ "purchase_settlements", "purchase_settlement" },
	{ "dispatches", "dispatch" },
	{ "plant_receipts", "plant_receipt" },
	{ "process_orders", "process_order" },
	{ "marking_orders", "marking_order" },
	{ "process_settlements", "process_settlement" },
	{ "plant_exits", "plant_exit" },
	{ "export_lots", "export_lot" },
	{ "shipments", "shipment" },
};

static void
test_numbering_is_gap_free(void **state)
{
	char sql[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bd_docs) / sizeof(bd_docs[0]); i++) {
		/* Numbers a..b without a hole; the table says b + 1, n. */
		snprintf(sql, sizeof(sql),
		    "SELECT count(*) FROM (SELECT organization_id o,"
		    " min(number) a, max(number) b, count(*) n FROM %s"
		    " GROUP BY 1) t LEFT JOIN numbering u"
		    " ON u.organization_id = t.o AND u.doc_type = '%s'"
		    " AND u.series = '' WHERE t.b - t.a + 1 <> t.n"
		    " OR u.next_number IS NOT t.b + 1 OR u.issued IS NOT t.n",
		    bd_docs[i][0], bd_docs[i][1]);
		expect_none(bd_docs[i][0], sql);
		snprintf(sql, sizeof(sql),
		    "SELECT count(*) FROM numbering u WHERE doc_type = '%s'"
		    " AND NOT EXISTS (SELECT 1 FROM %s d"
		    " WHERE d.organization_id = u.organization_id)",
		    bd_docs[i][1], bd_docs[i][0]);
		expect_none(bd_docs[i][1], sql);
	}
	expect_none("ico-mark",
	    "SELECT count(*) FROM (SELECT organization_id o,"
	    " min(ico_sequence) a, max(ico_sequence) b, count(*) n"
	    " FROM export_lots GROUP BY 1) t LEFT JOIN numbering u"
	    " ON u.organization_id = t.o AND u.doc_type = 'ico-mark'"
	    " WHERE t.b - t.a + 1 <> t.n OR u.next_number IS NOT t.b + 1"
	    " OR u.issued IS NOT t.n");
	expect_none("numbering rows without documents",
	    "SELECT count(*) FROM numbering WHERE issued = 0");
}

static void
test_audit_chain_integrity_and_keys(void **state)
{
	char args[256], out[1024], expect[128];

	(void)state;
	snprintf(args, sizeof(args), "audit verify --db %s", st.db);
	assert_int_equal(bd_run(args, out, sizeof(out)), 0);
	snprintf(expect, sizeof(expect), "audit chain ok: %lld events",
	    (long long)q_int("SELECT count(*) FROM audit_events"));
	assert_non_null(strstr(out, expect));
	/* One event per document (and per registry record). */
	expect_none("receptions without their one event",
	    "SELECT (SELECT count(*) FROM receptions) - (SELECT"
	    " count(DISTINCT e.entity_id) FROM audit_events e JOIN receptions r"
	    " ON r.id = e.entity_id WHERE e.action = 'reception.create')");
	assert_int_equal(q_int("SELECT count(*) FROM audit_events"
	                       " WHERE entity = 'shipment'"),
	    q_int("SELECT count(*) FROM shipments"));
	assert_int_equal(q_int("SELECT count(*) FROM pragma_integrity_check"
	                       " WHERE integrity_check <> 'ok'"),
	    0);
	assert_int_equal(
	    q_int("SELECT count(*) FROM pragma_foreign_key_check"), 0);
	/* The indexes of the migrations are all there again. */
	assert_int_equal(
	    q_int("SELECT count(*) FROM sqlite_master WHERE name IN"
	          " ('receptions_producer', 'audit_events_org',"
	          " 'dispatch_notes_live', 'export_lots_ico',"
	          " 'process_order_inputs_receipt')"),
	    5);
	assert_int_equal(
	    q_int("SELECT count(*) FROM sqlite_master WHERE name IN"
	          " ('audit_events_no_update',"
	          " 'audit_events_no_delete',"
	          " 'dispatch_notes_segregated')"),
	    3);
}

static void
test_mass_balance_is_exact(void **state)
{
	(void)state;
	expect_none("LOP outputs vs input",
	    "SELECT count(*) FROM process_settlements s WHERE s.input_g <>"
	    " (SELECT sum(kilos_g) FROM process_settlement_outputs o"
	    "  WHERE o.process_settlement_id = s.id)"
	    " OR (SELECT count(*) FROM process_settlement_outputs o"
	    "  WHERE o.process_settlement_id = s.id) <> 10");
	expect_none("order input vs its inputs",
	    "SELECT count(*) FROM process_orders p WHERE p.input_g <>"
	    " (SELECT sum(kilos_g) FROM process_order_inputs i"
	    "  WHERE i.process_order_id = p.id)");
	expect_none("LOP vs its order",
	    "SELECT count(*) FROM process_settlements s JOIN process_orders p"
	    " ON p.id = s.process_order_id WHERE s.input_g <> p.input_g"
	    " OR s.client_org_id <> p.organization_id"
	    " OR s.organization_id <> p.plant_org_id");
	expect_none("receipts consumed past their weight",
	    "SELECT count(*) FROM plant_receipts r WHERE (SELECT"
	    " coalesce(sum(kilos_g), 0) FROM process_order_inputs i"
	    " WHERE i.plant_receipt_id = r.id AND i.live = 1) > r.net_g");
	expect_none("guía figures vs its notes",
	    "SELECT count(*) FROM dispatches d WHERE d.notes_g <> (SELECT"
	    " sum(r.net_g) FROM dispatch_notes dn JOIN warehouse_notes n"
	    " ON n.id = dn.note_id JOIN receptions r ON r.id = n.reception_id"
	    " WHERE dn.dispatch_id = d.id) OR d.notes_sacks <> (SELECT"
	    " sum(r.sacks) FROM dispatch_notes dn JOIN warehouse_notes n"
	    " ON n.id = dn.note_id JOIN receptions r ON r.id = n.reception_id"
	    " WHERE dn.dispatch_id = d.id) OR d.declared_g > d.notes_g");
	expect_none("a note in two guías",
	    "SELECT count(*) FROM (SELECT note_id FROM dispatch_notes"
	    " GROUP BY 1 HAVING count(*) > 1)");
	expect_none("export lot over its LOP output",
	    "SELECT count(*) FROM (SELECT process_settlement_id p, category c,"
	    " sum(kilos_g) k FROM export_lot_sources WHERE live = 1"
	    " GROUP BY 1, 2) a JOIN process_settlement_outputs o"
	    " ON o.process_settlement_id = a.p AND o.category = a.c"
	    " WHERE a.k > o.kilos_g");
	expect_none("export lot vs its sources",
	    "SELECT count(*) FROM export_lots l WHERE l.kilos_g <> (SELECT"
	    " sum(kilos_g) FROM export_lot_sources s WHERE s.export_lot_id ="
	    " l.id) OR l.sacks * l.net_per_sack_g > l.kilos_g"
	    " OR l.sacks < 1");
	expect_none("shipped past the lot",
	    "SELECT count(*) FROM export_lots l WHERE (SELECT"
	    " coalesce(sum(sacks), 0) FROM shipment_lots x WHERE"
	    " x.export_lot_id = l.id AND x.live = 1) > l.sacks OR (SELECT"
	    " coalesce(sum(kilos_g), 0) FROM shipment_lots x WHERE"
	    " x.export_lot_id = l.id AND x.live = 1) > l.kilos_g");
	expect_none("shipment vs its lines",
	    "SELECT count(*) FROM shipments s WHERE s.sacks <> (SELECT"
	    " sum(sacks) FROM shipment_lots x WHERE x.shipment_id = s.id)"
	    " OR s.kilos_g <> (SELECT sum(kilos_g) FROM shipment_lots x"
	    " WHERE x.shipment_id = s.id) OR s.gross_g < s.kilos_g");
	expect_none("exits past the LOP's export",
	    "SELECT count(*) FROM process_settlements s WHERE (SELECT"
	    " coalesce(sum(net_g), 0) FROM plant_exits e WHERE"
	    " e.process_settlement_id = s.id) > (SELECT kilos_g FROM"
	    " process_settlement_outputs o WHERE o.process_settlement_id ="
	    " s.id AND o.category = 'export')");
}

static void
test_segregation_holds(void **state)
{
	(void)state;
	expect_none("guía",
	    "SELECT count(*) FROM dispatch_notes dn JOIN dispatches d"
	    " ON d.id = dn.dispatch_id JOIN warehouse_notes n"
	    " ON n.id = dn.note_id JOIN receptions r ON r.id = n.reception_id"
	    " WHERE r.status <> d.status OR n.organization_id <>"
	    " d.organization_id OR d.programs <> CASE n.certification_program"
	    " WHEN '' THEN '[]' ELSE json_array(n.certification_program) END");
	expect_none("plant receipt",
	    "SELECT count(*) FROM plant_receipts pr JOIN dispatches d"
	    " ON d.id = pr.dispatch_id WHERE pr.status <> d.status"
	    " OR pr.programs <> d.programs OR pr.organization_id <>"
	    " d.recipient_org_id OR pr.client_org_id <> d.organization_id");
	expect_none("process order",
	    "SELECT count(*) FROM process_order_inputs i JOIN process_orders p"
	    " ON p.id = i.process_order_id JOIN plant_receipts pr"
	    " ON pr.id = i.plant_receipt_id WHERE pr.status <> p.status"
	    " OR pr.programs <> p.programs OR pr.client_org_id <>"
	    " p.organization_id OR pr.organization_id <> p.plant_org_id");
	expect_none("LOP",
	    "SELECT count(*) FROM process_settlements s JOIN process_orders p"
	    " ON p.id = s.process_order_id WHERE s.status <> p.status"
	    " OR s.programs <> p.programs");
	expect_none("exit",
	    "SELECT count(*) FROM plant_exits e JOIN process_settlements s"
	    " ON s.id = e.process_settlement_id WHERE e.status <> s.status"
	    " OR e.programs <> s.programs");
	expect_none("export lot",
	    "SELECT count(*) FROM export_lot_sources x JOIN export_lots l"
	    " ON l.id = x.export_lot_id JOIN process_settlements s"
	    " ON s.id = x.process_settlement_id WHERE s.status <> l.status"
	    " OR s.programs <> l.programs OR s.client_org_id <>"
	    " l.organization_id");
	expect_none("shipment",
	    "SELECT count(*) FROM shipment_lots x JOIN shipments sh"
	    " ON sh.id = x.shipment_id JOIN export_lots l"
	    " ON l.id = x.export_lot_id WHERE l.status <> sh.status"
	    " OR l.programs <> sh.programs OR l.organization_id <>"
	    " sh.organization_id");
	/* Organic only from organic producers on the LPA, certified. */
	expect_none("organic delivery",
	    "SELECT count(*) FROM receptions r JOIN producers p"
	    " ON p.id = r.producer_id WHERE r.status = 'organic'"
	    " AND (p.status <> 'organic' OR NOT EXISTS (SELECT 1 FROM"
	    " lpa_entries l WHERE l.organization_id = r.organization_id"
	    " AND l.producer_id = r.producer_id AND l.campaign = r.campaign)"
	    " OR NOT EXISTS (SELECT 1 FROM certifications c,"
	    " json_each(p.programs) j WHERE c.organization_id ="
	    " r.organization_id AND c.program = j.value AND c.valid_from <="
	    " r.issued_on AND c.valid_to >= r.issued_on))");
	expect_none("transition delivery",
	    "SELECT count(*) FROM receptions r JOIN producers p"
	    " ON p.id = r.producer_id WHERE r.status = 'transition'"
	    " AND p.status <> 'transition'");
}

static void
test_documents_follow_the_rules(void **state)
{
	sqlite3_stmt *s = NULL;
	int64_t n = 0;

	(void)state;
	expect_none("a ticket without one note",
	    "SELECT count(*) FROM (SELECT r.id FROM receptions r LEFT JOIN"
	    " warehouse_notes n ON n.reception_id = r.id AND n.annulled_at IS"
	    " NULL GROUP BY r.id HAVING count(n.id) <> 1)");
	expect_none("a note without one settlement",
	    "SELECT count(*) FROM (SELECT n.id FROM warehouse_notes n LEFT JOIN"
	    " purchase_settlements s ON s.note_id = n.id AND s.annulled_at IS"
	    " NULL GROUP BY n.id HAVING count(s.id) <> 1)");
	expect_none("dates out of order",
	    "SELECT (SELECT count(*) FROM warehouse_notes n JOIN receptions r"
	    " ON r.id = n.reception_id WHERE n.issued_on < r.issued_on) +"
	    " (SELECT count(*) FROM dispatch_notes dn JOIN dispatches d"
	    " ON d.id = dn.dispatch_id JOIN warehouse_notes n"
	    " ON n.id = dn.note_id WHERE n.issued_on > d.issued_on) +"
	    " (SELECT count(*) FROM plant_receipts pr JOIN dispatches d"
	    " ON d.id = pr.dispatch_id WHERE pr.issued_on < d.transfer_on) +"
	    " (SELECT count(*) FROM process_order_inputs i JOIN"
	    " process_orders p ON p.id = i.process_order_id JOIN"
	    " plant_receipts pr ON pr.id = i.plant_receipt_id WHERE"
	    " p.issued_on < pr.issued_on) + (SELECT count(*) FROM"
	    " export_lot_sources x JOIN export_lots l ON l.id ="
	    " x.export_lot_id JOIN process_settlements s ON s.id ="
	    " x.process_settlement_id WHERE l.issued_on < s.issued_on) +"
	    " (SELECT count(*) FROM shipment_lots x JOIN shipments sh"
	    " ON sh.id = x.shipment_id JOIN export_lots l ON l.id ="
	    " x.export_lot_id WHERE sh.issued_on < l.issued_on)");
	expect_none("a producer's DNI twice in an organization",
	    "SELECT count(*) FROM (SELECT organization_id, dni FROM producers"
	    " GROUP BY 1, 2 HAVING count(*) > 1)");
	expect_none("a plot of 4 ha or more without a polygon",
	    "SELECT count(*) FROM plots WHERE geometry IS NULL OR"
	    " (area_m2 >= 40000 AND geometry NOT LIKE"
	    " '{\"type\":\"Polygon\",%')");
	expect_none("parties not frozen",
	    "SELECT (SELECT count(*) FROM receptions WHERE parties = '{}') +"
	    " (SELECT count(*) FROM warehouse_notes WHERE parties = '{}') +"
	    " (SELECT count(*) FROM purchase_settlements WHERE parties = '{}')"
	    " + (SELECT count(*) FROM process_orders WHERE parties = '{}') +"
	    " (SELECT count(*) FROM process_settlements WHERE parties = '{}')"
	    " + (SELECT count(*) FROM export_lots WHERE parties = '{}') +"
	    " (SELECT count(*) FROM shipments WHERE parties = '{}')");
	expect_none("settlement amounts",
	    "SELECT count(*) FROM purchase_settlements WHERE total_centimos <>"
	    " (qq_centi * price_centimos + 50) / 100 OR amount_words = ''");
	/* Every RUC and DNI passes the product's own checks. */
	assert_int_equal(sqlite3_prepare_v2(st.h,
	                     "SELECT ruc FROM organizations UNION ALL"
	                     " SELECT dni FROM producers UNION ALL"
	                     " SELECT carrier_doc FROM dispatches",
	                     -1, &s, NULL),
	    SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);

		if (strlen(id) == IDS_RUC_LEN)
			assert_int_equal(ruc_check(id, NULL), ERR_OK);
		else
			assert_int_equal(dni_check(id, NULL), ERR_OK);
		n++;
	}
	sqlite3_finalize(s);
	assert_true(n > 2000);
}

/* Start the real server on the database; its port, and pid in *pid. */
static unsigned
bd_serve(pid_t *pid)
{
	char line[256];
	unsigned port = 0;
	int fds[2];
	FILE *in;

	if (pipe(fds) != 0)
		return 0;
	*pid = fork();
	if (*pid < 0)
		return 0;
	if (*pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl(bd_bin(), bd_bin(), "serve", "--db", st.db, "--port", "0",
		    "--threads", "2", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (in != NULL && fgets(line, sizeof(line), in) != NULL)
		if (sscanf(line, "listening http://127.0.0.1:%u", &port) == 1)
			break;
	if (in != NULL)
		fclose(in);
	return port;
}

static void
bd_stop(pid_t pid)
{
	int status, i;

	kill(pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

static void
test_server_traces_a_lot_and_balances(void **state)
{
	struct fixture f = { 0 };
	struct session s;
	struct response r;
	char user[64], path[160], sql[1024];
	int64_t org, lot;
	size_t i;
	pid_t pid = 0;

	(void)state;
	lot = q_int("SELECT min(id) FROM export_lots");
	org = q_int("SELECT organization_id FROM export_lots WHERE id ="
	            " (SELECT min(id) FROM export_lots)");
	f.port = bd_serve(&pid);
	assert_true(f.port > 0);
	/* Cooperatives are organizations 1..N, accounts coop001-admin... */
	snprintf(user, sizeof(user), "coop%03lld-admin", (long long)org);
	assert_int_equal(session_login(&f, user, BD_PASSWORD, &s), 200);
	snprintf(path, sizeof(path), "/api/v1/trace/export-lots/%lld",
	    (long long)lot);
	assert_int_equal(session_call(&f, &s, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(sql, sizeof(sql),
	    "SELECT count(DISTINCT r.producer_id) FROM export_lot_sources es"
	    " JOIN process_settlements ls ON ls.id = es.process_settlement_id"
	    " JOIN process_order_inputs i ON i.process_order_id ="
	    " ls.process_order_id AND i.live = 1 JOIN plant_receipts pr"
	    " ON pr.id = i.plant_receipt_id JOIN dispatch_notes dn"
	    " ON dn.dispatch_id = pr.dispatch_id AND dn.live = 1"
	    " JOIN warehouse_notes n ON n.id = dn.note_id JOIN receptions r"
	    " ON r.id = n.reception_id WHERE es.export_lot_id = %lld",
	    (long long)lot);
	assert_true(q_int(sql) > 10);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "producers")), q_int(sql));
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(r.json, "totals"), "producers")),
	    q_int(sql));
	response_free(&r);

	/* The cooperative's mass balance of the campaign: consistent. */
	assert_int_equal(session_call(&f, &s, "GET",
	                     "/api/v1/reports/mass-balance?from=2025-01-01"
	                     "&to=2025-12-31",
	                     NULL, &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "statuses")), 3);
	for (i = 0; i < 3; i++) {
		json_t *one =
		    json_array_get(json_object_get(r.json, "statuses"), i);

		assert_true(json_is_true(json_object_get(one, "consistent")));
	}
	response_free(&r);

	/* The certifier's auditor reads the cooperative it certifies. */
	assert_int_equal(
	    session_login(&f, "cert1-auditor", BD_PASSWORD, &s), 200);
	bd_stop(pid);
}

static void
test_refuses_a_filled_database_and_repeats_itself(void **state)
{
	char args[512], out[4096], head[128], db2[256];
	int64_t events = q_int("SELECT count(*) FROM audit_events");

	(void)state;
	snprintf(args, sizeof(args), "bench-data --db %s " BD_ARGS " --seed 11",
	    st.db);
	assert_int_equal(bd_run(args, out, sizeof(out)), 1);
	assert_int_equal(q_int("SELECT count(*) FROM audit_events"), events);
	snprintf(args, sizeof(args), "bench-data --db %s --producers 0", st.db);
	assert_int_equal(bd_run(args, out, sizeof(out)), 2);

	/*
	 * The same seed: the same campaign, so the same audit chain (the
	 * first database's head as generated: logins added events since).
	 */
	snprintf(db2, sizeof(db2), "%s/again.db", st.dir);
	snprintf(args, sizeof(args), "bench-data --db %s " BD_ARGS " --seed 11",
	    db2);
	assert_int_equal(bd_run(args, out, sizeof(out)), 0);
	bd_head(db2, head, sizeof(head));
	assert_non_null(strstr(st.head, "head "));
	assert_string_equal(head, st.head);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generates_the_campaign),
		cmocka_unit_test(test_numbering_is_gap_free),
		cmocka_unit_test(test_audit_chain_integrity_and_keys),
		cmocka_unit_test(test_mass_balance_is_exact),
		cmocka_unit_test(test_segregation_holds),
		cmocka_unit_test(test_documents_follow_the_rules),
		cmocka_unit_test(test_server_traces_a_lot_and_balances),
		cmocka_unit_test(
		    test_refuses_a_filled_database_and_repeats_itself),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
