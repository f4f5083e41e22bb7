/*
 * Mass balance as a property: PERGAMINO_PROP_SEQUENCES random operation
 * sequences (10 000 by default) across the whole chain, driven through
 * the service layer (the functions the API handlers call) on a temporary
 * SQLite file, each checked against a small reference model the test
 * keeps of every document it issued:
 *
 *   receive   reception control + warehouse note + purchase settlement
 *   note      another warehouse note for some reception
 *   settle    another purchase settlement for some note
 *   dispatch  guía de remisión of 1-4 warehouse notes to the plant
 *   intake    the plant's guía de ingreso of a dispatch
 *   process   process order over 1-3 plant receipts
 *   lop       the plant's LOP with its outputs (exact mass balance)
 *   lot       export lot over 1-3 LOP export outputs
 *   ship      shipment of 1-2 export lots
 *   annul     any document of the sequence, with a reason
 *
 * Most operations are built to be valid from the model's state and about
 * one in four on purpose is not (a kilo or a gram too many, a note
 * already travelling, another class of coffee, an annulled source, a
 * document with live dependents...).  The model predicts, for each one,
 * whether the service accepts it; then after every operation:
 *
 * - the service's answer is the model's (accepted or refused with a 4xx
 *   class error, never a 5xx one);
 * - a refused operation leaves no trace: every document table, every
 *   child table's live rows, the audit log and the numbering are as
 *   before (the test runs each call as the server does: BEGIN IMMEDIATE,
 *   call, COMMIT on success and ROLLBACK on a refusal);
 * - row counts, annulments and live rows equal the model's;
 * - the product's own mass-balance report (report_mass_balance_json) of
 *   the cooperative equals the model to the gram, line by line and stock
 *   by stock, per status, says "consistent", and organic out never
 *   exceeds organic in: shipped <= export lots <= exportable produced,
 *   LOP input <= plant receipts' consumption <= plant received, and
 *   shipped <= received plus what the plant's scales found above the
 *   guías (a gain the product records and flags, never refuses).
 *
 * At the end of each sequence: every plant receipt's balance
 * (process_receipt_balance) is the model's; the product's trace of every
 * live export lot (trace_document_json) reaches exactly the receptions
 * the model says it holds, all of the lot's class (organic EU, organic
 * NOP, transition, conventional never mix), and its producers' green
 * coffee adds up to the lot's kilos to the gram; numbers are gap-free.
 *
 * Each sequence starts from the same database state (restored with the
 * SQLite backup API from an in-memory snapshot taken after the set-up),
 * so it replays alone.  The seed is PERGAMINO_PROP_SEED (default 1).  On
 * a failure the test prints the seed, the sequence and the shortest
 * prefix of that sequence that fails, with its operations.
 *
 * Durability is not the property here (test_crash.c proves it), so the
 * file runs with synchronous=OFF.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/acopio.h"
#include "pergamino/admin.h"
#include "pergamino/export.h"
#include "pergamino/log.h"
#include "pergamino/password.h"
#include "pergamino/process.h"
#include "pergamino/registry.h"
#include "pergamino/report.h"
#include "pergamino/stores.h"
#include "pergamino/trace.h"
#include "pergamino/transfer.h"

#define PROP_SEQUENCES_DEFAULT 1000
#define PROP_OPS_MAX 30 /* operations in one sequence */
#define PROP_CAP 96     /* documents of one kind in one sequence */
#define PROP_SACK_G 69000
#define PROP_PRODUCERS 6
#define PROP_CLASSES 4
#define PROP_LOG 160 /* bytes of one operation's description */

/* The classes of coffee that never mix: status and program. */
enum prop_class { PC_ORG_EU, PC_ORG_NOP, PC_TRANSITION, PC_CONVENTIONAL };

static const char *const prop_class_name[PROP_CLASSES] = { "organic-EU",
	"organic-NOP", "transition", "conventional" };

/* The mass-balance report's statuses, by class. */
static const int prop_class_status[PROP_CLASSES] = { 0, 0, 1, 2 };
static const char *const prop_status_name[3] = { "organic", "transition",
	"conventional" };

/*
 * The registry: who may deliver what.  P3 is organic but not on the
 * campaign's LPA: the clerk may receive its coffee only as conventional.
 */
static const struct {
	const char *dni, *status, *program;
	bool on_lpa;
} prop_producers[PROP_PRODUCERS] = {
	{ "41000001", "organic", "EU", true },
	{ "41000002", "organic", "EU", true },
	{ "41000003", "organic", "NOP", true },
	{ "41000004", "organic", "EU", false },
	{ "41000005", "transition", "EU", true },
	{ "41000006", "conventional", NULL, false },
};

enum prop_op {
	OP_RECEIVE,
	OP_NOTE,
	OP_SETTLE,
	OP_DISPATCH,
	OP_INTAKE,
	OP_PROCESS,
	OP_LOP,
	OP_LOT,
	OP_SHIP,
	OP_ANNUL,
	OP_COUNT
};

static const char *const prop_op_name[OP_COUNT] = { "receive", "note", "settle",
	"dispatch", "intake", "process", "lop", "lot", "ship", "annul" };

/*
 * How often each operation is drawn (out of the sum): the first weight
 * when the model holds something the operation can validly use (live
 * notes in no guía for a dispatch...), the second otherwise, so that
 * short sequences still reach the ship and every stage is also tried
 * with nothing valid to act on.
 */
static const unsigned prop_op_weight[OP_COUNT][2] = { { 16, 16 }, { 2, 2 },
	{ 2, 2 }, { 20, 2 }, { 20, 2 }, { 20, 2 }, { 20, 2 }, { 20, 2 },
	{ 20, 2 }, { 8, 8 } };

/* The service calls, for the figures and the annulment's target. */
enum prop_doc {
	D_RECEPTION,
	D_NOTE,
	D_SETTLEMENT,
	D_DISPATCH,
	D_RECEIPT,
	D_ORDER,
	D_LOP,
	D_LOT,
	D_SHIPMENT,
	D_COUNT
};

static const char *const prop_doc_name[D_COUNT] = { "reception", "note",
	"settlement", "dispatch", "receipt", "order", "lop", "lot",
	"shipment" };

/* ---- the reference model ---- */

struct m_reception {
	int64_t id, net_g, sacks;
	int producer, cls, day;
	bool annulled;
	int note; /* live note, -1 none */
};

struct m_note {
	int64_t id;
	int reception, day;
	bool annulled;
	int settlement; /* live, -1 none */
	int dispatch;   /* live, -1 none */
};

struct m_settlement {
	int64_t id;
	int note;
	bool annulled;
};

struct m_dispatch {
	int64_t id, notes_g, declared_g, sacks;
	int notes[4], n, cls, day;
	bool annulled;
	int receipt; /* live, -1 none */
};

struct m_receipt {
	int64_t id, net_g, consumed_g;
	int dispatch, cls, day;
	bool annulled;
};

struct m_input {
	int receipt;
	int64_t kilos_g;
};

struct m_order {
	int64_t id, input_g;
	struct m_input in[3];
	int n, cls, day;
	bool annulled;
	int lop; /* live, -1 none */
};

struct m_lop {
	int64_t id;
	int64_t out_g[PROCESS_OUT_COUNT];
	int64_t allocated_g[2]; /* export, export_mc: by live lots */
	int order, cls, day;
	bool annulled;
	int lots; /* live lots drawing on it */
};

struct m_source {
	int lop, cat; /* 0 export, 1 export_mc */
	int64_t kilos_g;
};

struct m_lot {
	int64_t id, kilos_g, sacks, shipped_g, shipped_sacks;
	struct m_source src[3];
	int n, cls, day, code;
	bool annulled;
	int shipments; /* live shipments carrying it */
};

struct m_ship_lot {
	int lot;
	int64_t sacks, kilos_g;
};

struct m_shipment {
	int64_t id, kilos_g;
	struct m_ship_lot lots[2];
	int n, cls;
	bool annulled;
};

struct model {
	struct m_reception rec[PROP_CAP];
	struct m_note note[PROP_CAP];
	struct m_settlement set[PROP_CAP];
	struct m_dispatch dis[PROP_CAP];
	struct m_receipt rcp[PROP_CAP];
	struct m_order ord[PROP_CAP];
	struct m_lop lop[PROP_CAP];
	struct m_lot lot[PROP_CAP];
	struct m_shipment shp[PROP_CAP];
	int n[D_COUNT];
	int64_t audit;     /* audit events */
	int64_t numbers;   /* numbers issued (numbering.issued) */
	int64_t gain_g[3]; /* per status: plant net above the guía's notes */
	int day;
	int lot_codes; /* organic lot codes handed out */
};

/* The database's side of the same figures (prop_counts()). */
enum prop_count {
	C_REC,
	C_REC_ANN,
	C_NOTE,
	C_NOTE_ANN,
	C_SET,
	C_SET_ANN,
	C_DIS,
	C_DIS_ANN,
	C_DIS_NOTES,
	C_DIS_NOTES_LIVE,
	C_RCP,
	C_RCP_ANN,
	C_ORD,
	C_ORD_ANN,
	C_INPUTS,
	C_INPUTS_LIVE,
	C_LOP,
	C_LOP_ANN,
	C_OUTPUTS,
	C_LOT,
	C_LOT_ANN,
	C_SOURCES,
	C_SOURCES_LIVE,
	C_SHP,
	C_SHP_ANN,
	C_SHP_LOTS,
	C_SHP_LOTS_LIVE,
	C_AUDIT,
	C_NUMBERS,
	C_COUNT
};

static const char *const prop_count_name[C_COUNT] = { "receptions",
	"receptions annulled", "warehouse notes", "notes annulled",
	"settlements", "settlements annulled", "dispatches",
	"dispatches annulled", "dispatch notes", "dispatch notes live",
	"plant receipts", "receipts annulled", "process orders",
	"orders annulled", "order inputs", "order inputs live", "LOPs",
	"LOPs annulled", "LOP outputs", "export lots", "lots annulled",
	"lot sources", "lot sources live", "shipments", "shipments annulled",
	"shipment lots", "shipment lots live", "audit events",
	"numbers issued" };

/* clang-format off */
static const char prop_counts_sql[] =
    "SELECT (SELECT count(*) FROM receptions),"
    " (SELECT count(annulled_at) FROM receptions),"
    " (SELECT count(*) FROM warehouse_notes),"
    " (SELECT count(annulled_at) FROM warehouse_notes),"
    " (SELECT count(*) FROM purchase_settlements),"
    " (SELECT count(annulled_at) FROM purchase_settlements),"
    " (SELECT count(*) FROM dispatches),"
    " (SELECT count(annulled_at) FROM dispatches),"
    " (SELECT count(*) FROM dispatch_notes),"
    " (SELECT total(live) FROM dispatch_notes),"
    " (SELECT count(*) FROM plant_receipts),"
    " (SELECT count(annulled_at) FROM plant_receipts),"
    " (SELECT count(*) FROM process_orders),"
    " (SELECT count(annulled_at) FROM process_orders),"
    " (SELECT count(*) FROM process_order_inputs),"
    " (SELECT total(live) FROM process_order_inputs),"
    " (SELECT count(*) FROM process_settlements),"
    " (SELECT count(annulled_at) FROM process_settlements),"
    " (SELECT count(*) FROM process_settlement_outputs),"
    " (SELECT count(*) FROM export_lots),"
    " (SELECT count(annulled_at) FROM export_lots),"
    " (SELECT count(*) FROM export_lot_sources),"
    " (SELECT total(live) FROM export_lot_sources),"
    " (SELECT count(*) FROM shipments),"
    " (SELECT count(annulled_at) FROM shipments),"
    " (SELECT count(*) FROM shipment_lots),"
    " (SELECT total(live) FROM shipment_lots),"
    " (SELECT count(*) FROM audit_events),"
    " (SELECT total(issued) FROM numbering)";

/* Numbers of each document table: count, min, max (gap-free check). */
static const char *const prop_gap_sql[] = {
    "SELECT count(*), min(number), max(number) FROM receptions",
    "SELECT count(*), min(number), max(number) FROM warehouse_notes",
    "SELECT count(*), min(number), max(number) FROM purchase_settlements",
    "SELECT count(*), min(number), max(number) FROM dispatches",
    "SELECT count(*), min(number), max(number) FROM plant_receipts",
    "SELECT count(*), min(number), max(number) FROM process_orders",
    "SELECT count(*), min(number), max(number) FROM process_settlements",
    "SELECT count(*), min(number), max(number) FROM export_lots",
    "SELECT count(*), min(number), max(number) FROM shipments",
    "SELECT count(*), min(ico_sequence), max(ico_sequence) FROM export_lots",
};
/* clang-format on */

/* The test's state: the database, its snapshot, the actors, figures. */
struct prop {
	char dir[128], path[192];
	struct db *db;
	sqlite3 *snapshot; /* in memory: the state every sequence starts from */
	int64_t coop, plant, outsider;
	struct actor clerk, exporter, plant_clerk, other;
	int64_t viewer; /* the cooperative's admin: reads the reports */
	int64_t producer[PROP_PRODUCERS];
	int64_t base[C_COUNT]; /* counts in the snapshot */
	struct model m;
	uint64_t rng;
	/* the current sequence */
	uint64_t seed;
	unsigned seq;
	int op_index;
	bool verbose;     /* replaying a failure: print each operation */
	bool op_accepted; /* a call of the current operation was accepted */
	char fail[1024];
	char oplog[PROP_OPS_MAX][PROP_LOG];
	/* figures */
	int64_t ops[OP_COUNT];
	int64_t calls[D_COUNT], accepted[D_COUNT], refused[D_COUNT];
	int64_t annul_tries[D_COUNT], annul_ok[D_COUNT];
	int64_t refused_after_write; /* a refusal the rollback undid */
	struct {
		int doc;
		const char *code; /* a literal of the service */
		int64_t n;
	} codes[64];
	int ncodes;
	int64_t by_status[4]; /* 400, 403/404, 409, 422 */
	int64_t traces, traced_receptions, reports, max_docs;
	int64_t exported_g[3], received_g[3];
};

/* ---- small helpers ---- */

static uint64_t
prop_next(struct prop *p)
{
	/* splitmix64: tiny, and every seed gives a good stream. */
	uint64_t z = (p->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); 0 when n == 0. */
static int64_t
prop_below(struct prop *p, int64_t n)
{
	return n > 0 ? (int64_t)(prop_next(p) % (uint64_t)n) : 0;
}

/* Uniform in [lo, hi]. */
static int64_t
prop_range(struct prop *p, int64_t lo, int64_t hi)
{
	return lo + prop_below(p, hi - lo + 1);
}

/* True with probability pct %. */
static bool
prop_chance(struct prop *p, int pct)
{
	return prop_below(p, 100) < pct;
}

/* The day-th day after 2017-06-01 (the campaign stays in 2017). */
static void
prop_date(int day, char out[11])
{
	static const unsigned char month_days[] = { 30, 31, 31, 30, 31, 30,
		31 };
	unsigned char month = 6, d;
	int i = 0;

	day = day < 0 ? 0 : day > 210 ? 210 : day;
	d = (unsigned char)(day + 1);
	while (i < 6 && d > month_days[i]) {
		d = (unsigned char)(d - month_days[i++]);
		month++;
	}
	snprintf(out, 11, "2017-%02u-%02u", (unsigned)month % 100u,
	    (unsigned)d % 100u);
}

static void
prop_failf(struct prop *p, const char *fmt, ...)
{
	va_list ap;

	if (p->fail[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(p->fail, sizeof(p->fail), fmt, ap);
	va_end(ap);
}

static void
prop_logf(struct prop *p, const char *fmt, ...)
{
	va_list ap;
	char *line = p->oplog[p->op_index];
	size_t len = strlen(line);

	va_start(ap, fmt);
	vsnprintf(line + len, PROP_LOG - len, fmt, ap);
	va_end(ap);
}

static int64_t
prop_sql_int(struct prop *p, const char *sql, int col)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db_handle(p->db), sql, -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, col);
	sqlite3_finalize(st);
	return v;
}

static void
prop_counts(struct prop *p, int64_t out[C_COUNT])
{
	sqlite3_stmt *st = NULL;
	int i;

	memset(out, 0xff, sizeof(int64_t) * C_COUNT);
	if (db_prepare(p->db, prop_counts_sql, &st) != ERR_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		for (i = 0; i < C_COUNT; i++)
			out[i] = sqlite3_column_int64(st, i);
	db_release(st);
}

/* "12345.678" (the reports' kg) as grams; INT64_MIN when malformed. */
static int64_t
prop_grams(json_t *v)
{
	const char *s = json_string_value(v), *dot;
	int64_t g = 0, sign = 1;

	if (s == NULL)
		return INT64_MIN;
	if (*s == '-') {
		sign = -1;
		s++;
	}
	dot = strchr(s, '.');
	if (dot == NULL || strlen(dot) != 4)
		return INT64_MIN;
	for (; *s != '\0'; s++) {
		if (*s == '.')
			continue;
		if (*s < '0' || *s > '9')
			return INT64_MIN;
		g = g * 10 + (*s - '0');
	}
	return sign * g;
}

/* ---- the set-up: registry, settings, accounts ---- */

static int64_t
prop_user(struct prop *p, const char *name, enum role role, int64_t org)
{
	struct user u = { 0 };
	struct msg why;

	u.username = name;
	u.display_name = name;
	u.role = role;
	u.organization_id = org;
	if (admin_user_add(p->db, &u, TEST_PASSWORD, &why) != ERR_OK)
		return 0;
	return u.id;
}

static enum err
prop_registry(struct prop *p)
{
	static const char *const programs[] = { "EU", "NOP" };
	struct org_settings s;
	size_t i;
	enum err rc;

	for (i = 0; i < 2; i++) {
		struct certification c = { 0 };

		c.organization_id = p->coop;
		c.certifier = "Organic World";
		c.program = programs[i];
		c.code = i == 0 ? "PE-BIO-149" : "NOP-7781";
		c.valid_from = "2017-01-01";
		c.valid_to = "2017-12-31";
		c.created_at = 1;
		rc = certification_store_insert(p->db, &c);
		if (rc != ERR_OK)
			return rc;
	}
	for (i = 0; i < PROP_PRODUCERS; i++) {
		struct producer pr = { 0 };

		pr.organization_id = p->coop;
		pr.dni = prop_producers[i].dni;
		pr.first_names = "Productor";
		pr.last_names = prop_producers[i].dni;
		pr.sex = "F";
		pr.caserio = "La Palma";
		pr.district = "San Ignacio";
		pr.province = "San Ignacio";
		pr.region = "Cajamarca";
		pr.address = "";
		pr.phone = "";
		pr.status = prop_producers[i].status;
		pr.programs = prop_producers[i].program != NULL
		    ? json_pack("[s]", prop_producers[i].program)
		    : json_array();
		pr.other_certifications = json_array();
		pr.active = 1;
		pr.created_at = 1;
		rc = producer_store_insert(p->db, &pr);
		json_decref(pr.programs);
		json_decref(pr.other_certifications);
		if (rc != ERR_OK)
			return rc;
		p->producer[i] = pr.id;
		if (prop_producers[i].on_lpa)
			rc = lpa_store_approve(p->db, p->coop, 2017, pr.id,
			    "2017-01-15", p->viewer);
		if (rc != ERR_OK)
			return rc;
	}
	rc = settings_store_get(p->db, p->coop, &s);
	if (rc != ERR_OK)
		return rc;
	s.humidity_min = 100;
	s.humidity_max = 135;
	snprintf(s.humidity_policy, sizeof(s.humidity_policy), "warn");
	s.estimate_tolerance_pct = 10;
	snprintf(s.ico_exporter_code, sizeof(s.ico_exporter_code), "861");
	s.ico_country_code = 30;
	return settings_store_put(p->db, p->coop, s.version, &s);
}

static int
prop_setup(void **state)
{
	struct org orgs[3] = {
		{ 0, "Cooperativa A", "20427376983", ORG_COOPERATIVE, "", "",
		    0 },
		{ 0, "Planta B", "20510780796", ORG_PLANT, "", "", 0 },
		{ 0, "Cooperativa D", "20600000013", ORG_COOPERATIVE, "", "",
		    0 },
	};
	struct prop *p;
	sqlite3_backup *b;
	struct msg why;
	int i;

	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return -1;
	*state = p;
	log_set_quiet(getenv("PERGAMINO_TEST_LOG") == NULL);
	password_set_cost(PASSWORD_COST_MIN);
	if (password_init(0) != ERR_OK)
		return -1;
	snprintf(p->dir, sizeof(p->dir), "/tmp/pergamino-prop-XXXXXX");
	if (mkdtemp(p->dir) == NULL)
		return -1;
	snprintf(p->path, sizeof(p->path), "%s/prop.db", p->dir);
	if (db_open(p->path, &p->db) != ERR_OK || db_migrate(p->db) != ERR_OK ||
	    db_exec(p->db, "PRAGMA synchronous = OFF") != ERR_OK)
		return -1;
	for (i = 0; i < 3; i++)
		if (admin_org_add(p->db, &orgs[i], &why) != ERR_OK)
			return -1;
	p->coop = orgs[0].id;
	p->plant = orgs[1].id;
	p->outsider = orgs[2].id;
	p->viewer = prop_user(p, "a-admin", ROLE_ADMIN, p->coop);
	p->clerk.user_id = prop_user(p, "a-clerk", ROLE_CLERK, p->coop);
	p->clerk.org_id = p->coop;
	p->exporter.user_id = prop_user(p, "a-export", ROLE_EXPORTER, p->coop);
	p->exporter.org_id = p->coop;
	p->plant_clerk.user_id = prop_user(p, "b-clerk", ROLE_CLERK, p->plant);
	p->plant_clerk.org_id = p->plant;
	p->other.user_id = prop_user(p, "d-admin", ROLE_ADMIN, p->outsider);
	p->other.org_id = p->outsider;
	if (p->viewer == 0 || p->clerk.user_id == 0 ||
	    p->exporter.user_id == 0 || p->plant_clerk.user_id == 0 ||
	    p->other.user_id == 0)
		return -1;
	if (db_begin(p->db) != ERR_OK || prop_registry(p) != ERR_OK ||
	    db_commit(p->db) != ERR_OK)
		return -1;
	prop_counts(p, p->base);
	/* The snapshot every sequence starts from. */
	if (sqlite3_open(":memory:", &p->snapshot) != SQLITE_OK)
		return -1;
	b = sqlite3_backup_init(p->snapshot, "main", db_handle(p->db), "main");
	if (b == NULL || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		return -1;
	return 0;
}

static int
prop_teardown(void **state)
{
	struct prop *p = *state;
	char path[256];

	if (p == NULL)
		return 0;
	db_close(p->db);
	sqlite3_close(p->snapshot);
	snprintf(path, sizeof(path), "%s/prop.db", p->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/prop.db-wal", p->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/prop.db-shm", p->dir);
	unlink(path);
	rmdir(p->dir);
	free(p);
	return 0;
}

/* Back to the snapshot, with an empty model. */
static bool
prop_reset(struct prop *p)
{
	sqlite3_backup *b;

	b = sqlite3_backup_init(db_handle(p->db), "main", p->snapshot, "main");
	if (b == NULL || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		return false;
	memset(&p->m, 0, sizeof(p->m));
	p->m.audit = p->base[C_AUDIT];
	p->m.numbers = p->base[C_NUMBERS];
	return true;
}

static void prop_expected_counts(const struct prop *p, int64_t e[C_COUNT]);

/* ---- one service call as the server runs it ---- */

enum prop_call_kind {
	PK_RECEPTION,
	PK_NOTE,
	PK_SETTLEMENT,
	PK_DISPATCH,
	PK_RECEIPT,
	PK_ORDER,
	PK_LOP,
	PK_LOT,
	PK_SHIPMENT,
	PK_ANNUL
};

/* What one call needs; only the fields of its kind are set. */
struct prop_call {
	enum prop_call_kind kind;
	const struct actor *a;
	struct reception_new rec;
	struct note_new note;
	struct settlement_new set;
	struct dispatch_new dis;
	struct plant_receipt_new rcp;
	struct process_order_new ord;
	struct process_settlement_new lop;
	struct export_lot_new lot;
	struct shipment_new shp;
	enum prop_doc annul_doc;
	int64_t annul_id;
	const char *reason;
	/* the answer */
	int64_t id;
	const char *code; /* the rule's code on a refusal */
};

static enum err
prop_invoke(struct prop *p, struct prop_call *c)
{
	struct rule_error e = { 0 };
	struct transfer_error te = { 0 };
	struct process_error pe = { 0 };
	struct export_error xe = { 0 };
	enum err rc = ERR_INTERNAL;

	c->code = NULL;
	switch (c->kind) {
	case PK_RECEPTION:
		rc = acopio_receive(p->db, c->a, &c->rec, &c->id, &e);
		break;
	case PK_NOTE:
		rc = acopio_issue_note(p->db, c->a, &c->note, &c->id, &e);
		break;
	case PK_SETTLEMENT:
		rc = acopio_settle(p->db, c->a, &c->set, &c->id, &e);
		break;
	case PK_DISPATCH:
		rc = transfer_dispatch(p->db, c->a, &c->dis, &c->id, &te);
		e = te.rule;
		break;
	case PK_RECEIPT:
		rc = transfer_receive(p->db, c->a, &c->rcp, &c->id, &te);
		e = te.rule;
		break;
	case PK_ORDER:
		rc = process_order_issue(p->db, c->a, &c->ord, &c->id, &pe);
		e = pe.rule;
		break;
	case PK_LOP:
		rc = process_settle(p->db, c->a, &c->lop, &c->id, &e);
		break;
	case PK_LOT:
		rc = export_lot_issue(p->db, c->a, &c->lot, &c->id, &xe);
		e = xe.rule;
		break;
	case PK_SHIPMENT:
		rc = export_shipment_issue(p->db, c->a, &c->shp, &c->id, &xe);
		e = xe.rule;
		break;
	case PK_ANNUL:
		c->id = c->annul_id;
		switch (c->annul_doc) {
		case D_RECEPTION:
		case D_NOTE:
		case D_SETTLEMENT:
			rc = acopio_annul(p->db, c->a,
			    (enum acopio_doc)(c->annul_doc - D_RECEPTION),
			    c->annul_id, c->reason, &e);
			break;
		case D_DISPATCH:
		case D_RECEIPT:
			rc = transfer_annul(p->db, c->a,
			    c->annul_doc == D_DISPATCH ? TRANSFER_DISPATCH
			                               : TRANSFER_PLANT_RECEIPT,
			    c->annul_id, c->reason, &te);
			e = te.rule;
			break;
		case D_ORDER:
		case D_LOP:
			rc = process_annul(p->db, c->a,
			    c->annul_doc == D_ORDER ? PROCESS_ORDER
			                            : PROCESS_SETTLEMENT,
			    c->annul_id, c->reason, &e);
			break;
		case D_LOT:
		case D_SHIPMENT:
			rc = export_annul(p->db, c->a,
			    c->annul_doc == D_LOT ? EXPORT_LOT
			                          : EXPORT_SHIPMENT,
			    c->annul_id, c->reason, &e);
			break;
		default:
			break;
		}
		break;
	}
	c->code = e.code;
	return rc;
}

/* Count a refusal by its rule's code, for the figures. */
static void
prop_count_code(struct prop *p, enum prop_doc doc, const char *code)
{
	int i;

	for (i = 0; i < p->ncodes; i++)
		if (p->codes[i].doc == (int)doc &&
		    strcmp(p->codes[i].code, code) == 0) {
			p->codes[i].n++;
			return;
		}
	if (p->ncodes < (int)(sizeof(p->codes) / sizeof(p->codes[0]))) {
		p->codes[p->ncodes].doc = (int)doc;
		p->codes[p->ncodes].code = code;
		p->codes[p->ncodes++].n = 1;
	}
}

/* Is rc a refusal a client sees as a 4xx answer? */
static bool
prop_is_refusal(enum err rc)
{
	return rc == ERR_INVALID || rc == ERR_UNPROCESSABLE ||
	    rc == ERR_CONFLICT || rc == ERR_NOT_FOUND || rc == ERR_FORBIDDEN;
}

/*
 * Run c in one write transaction, as server_run_write() does, and check
 * the answer against the model's prediction; a refusal must leave the
 * database as it found it.  Returns true when the service accepted it.
 */
static bool
prop_call(struct prop *p, struct prop_call *c, enum prop_doc doc, bool expect)
{
	int64_t before[C_COUNT], after[C_COUNT];
	sqlite3_int64 changes;
	enum err rc;
	int i;

	if (p->fail[0] != '\0')
		return false;
	/* What the database holds now: the last check proved it. */
	prop_expected_counts(p, before);
	if (db_begin(p->db) != ERR_OK) {
		prop_failf(p, "BEGIN failed");
		return false;
	}
	changes = sqlite3_total_changes64(db_handle(p->db));
	rc = prop_invoke(p, c);
	p->calls[doc]++;
	if (rc == ERR_OK) {
		if (db_commit(p->db) != ERR_OK)
			prop_failf(p, "COMMIT failed");
		p->accepted[doc]++;
		prop_logf(p, " -> %s %" PRId64, prop_doc_name[doc], c->id);
	} else {
		if (sqlite3_total_changes64(db_handle(p->db)) != changes)
			p->refused_after_write++;
		db_rollback(p->db);
		p->refused[doc]++;
		p->by_status[rc == ERR_INVALID    ? 0
		        : rc == ERR_CONFLICT      ? 2
		        : rc == ERR_UNPROCESSABLE ? 3
		                                  : 1]++;
		prop_logf(p, " -> refused %s (%s)", err_code(rc),
		    c->code != NULL ? c->code : "-");
		prop_count_code(p, doc, c->code != NULL ? c->code : "-");
	}
	if (rc != ERR_OK && !prop_is_refusal(rc)) {
		prop_failf(p, "%s: error %s (%d), not a refusal",
		    prop_doc_name[doc], err_code(rc), (int)rc);
		return false;
	}
	if ((rc == ERR_OK) != expect) {
		prop_failf(p, "%s: the model expected %s, the service %s (%s)",
		    prop_doc_name[doc], expect ? "acceptance" : "a refusal",
		    rc == ERR_OK ? "accepted it" : "refused it",
		    c->code != NULL ? c->code : err_code(rc));
		return false;
	}
	if (rc != ERR_OK) {
		/* No trace: not a row, not an annulment, not a number. */
		prop_counts(p, after);
		for (i = 0; i < C_COUNT; i++)
			if (after[i] != before[i]) {
				prop_failf(p,
				    "refused %s left a trace: %s %" PRId64
				    " -> %" PRId64,
				    prop_doc_name[doc], prop_count_name[i],
				    before[i], after[i]);
				return false;
			}
		return false;
	}
	p->m.audit++;
	p->op_accepted = true;
	return true;
}

/* ---- operations: build, predict, call, update the model ---- */

static int
prop_pick(struct prop *p, const int *idx, int n)
{
	return n > 0 ? idx[prop_below(p, n)] : -1;
}

static void
prop_op_receive(struct prop *p)
{
	struct model *m = &p->m;
	struct prop_call c = { 0 };
	struct m_reception *r;
	char date[11], date2[11];
	int producer = (int)prop_below(p, PROP_PRODUCERS), cls, ni;
	const char *status = prop_producers[producer].status;
	bool ok = true, confirm = false;
	int64_t net;

	if (m->n[D_RECEPTION] >= PROP_CAP)
		return;
	/* Sometimes the clerk declares another status than the producer's. */
	if (prop_chance(p, 15))
		status = prop_status_name[prop_below(p, 3)];
	if (strcmp(status, "conventional") == 0)
		cls = PC_CONVENTIONAL;
	else if (strcmp(status, "transition") == 0)
		cls = PC_TRANSITION;
	else
		cls = prop_producers[producer].program != NULL &&
		        strcmp(prop_producers[producer].program, "NOP") == 0
		    ? PC_ORG_NOP
		    : PC_ORG_EU;
	/* acopio_check_status(): the LPA, the certification, the status. */
	if (strcmp(status, "transition") == 0)
		ok = strcmp(prop_producers[producer].status, "transition") == 0;
	else if (strcmp(status, "organic") == 0)
		ok = strcmp(prop_producers[producer].status, "organic") == 0 &&
		    prop_producers[producer].on_lpa;
	prop_date(m->day, date);
	c.kind = PK_RECEPTION;
	c.a = &p->clerk;
	c.rec.issued_on = date;
	c.rec.producer_id = p->producer[producer];
	c.rec.delivery_code = "E01-17";
	c.rec.status = status;
	c.rec.w.sacks = prop_range(p, 1, 30);
	net =
	    c.rec.w.sacks * prop_range(p, 50000, 70000) + prop_range(p, 0, 999);
	c.rec.w.tare_g = c.rec.w.sacks * 200;
	c.rec.w.gross_g = net + c.rec.w.tare_g;
	if (prop_chance(p, 3)) {
		c.rec.w.gross_g = c.rec.w.tare_g; /* nothing weighed */
		ok = false;
	}
	c.rec.w.sample_g = 300;
	c.rec.w.exportable_g = prop_range(p, 180, 220);
	c.rec.w.discard_g = prop_range(p, 20, 50);
	c.rec.w.husk_g = 300 - c.rec.w.exportable_g - c.rec.w.discard_g;
	c.rec.w.humidity = prop_range(p, 100, 135);
	if (prop_chance(p, 5)) {
		/* Out of the purchase range: accepted only when confirmed. */
		c.rec.w.humidity = 140;
		confirm = prop_chance(p, 50);
		ok = ok && confirm;
	}
	c.rec.confirm_humidity = confirm;
	prop_logf(p, "receive %s from P%d, %" PRId64 " sacks %" PRId64 " g",
	    status, producer, c.rec.w.sacks, net);
	if (!prop_call(p, &c, D_RECEPTION, ok))
		return;
	r = &m->rec[m->n[D_RECEPTION]++];
	r->id = c.id;
	r->net_g = net;
	r->sacks = c.rec.w.sacks;
	r->producer = producer;
	r->cls = cls;
	r->day = m->day;
	r->note = -1;
	m->numbers++;
	p->received_g[prop_class_status[cls]] += net;

	if (!prop_chance(p, 90))
		return;
	memset(&c, 0, sizeof(c));
	ok = true;
	c.kind = PK_NOTE;
	c.a = &p->clerk;
	strcpy(date2, date);
	if (prop_chance(p, 3) && m->day > 0) {
		prop_date(m->day - 1, date2); /* before its reception */
		ok = false;
	}
	c.note.issued_on = date2;
	c.note.reception_id = r->id;
	c.note.price_centimos = prop_range(p, 38000, 45000);
	prop_logf(p, "; note");
	if (!prop_call(p, &c, D_NOTE, ok))
		return;
	ni = m->n[D_NOTE]++;
	m->note[ni].id = c.id;
	m->note[ni].reception = (int)(r - m->rec);
	m->note[ni].day = m->day;
	m->note[ni].settlement = -1;
	m->note[ni].dispatch = -1;
	r->note = ni;
	m->numbers++;

	if (!prop_chance(p, 85))
		return;
	memset(&c, 0, sizeof(c));
	c.kind = PK_SETTLEMENT;
	c.a = &p->clerk;
	c.set.issued_on = date;
	c.set.note_id = m->note[ni].id;
	prop_logf(p, "; settle");
	if (!prop_call(p, &c, D_SETTLEMENT, true))
		return;
	m->set[m->n[D_SETTLEMENT]].id = c.id;
	m->set[m->n[D_SETTLEMENT]].note = ni;
	m->note[ni].settlement = m->n[D_SETTLEMENT]++;
	m->numbers++;
}

/* Another note for some reception: refused unless it has none live. */
static void
prop_op_note(struct prop *p)
{
	struct model *m = &p->m;
	struct prop_call c = { 0 };
	char date[11];
	int ri, ni;
	bool ok;

	if (m->n[D_RECEPTION] == 0 || m->n[D_NOTE] >= PROP_CAP)
		return;
	ri = (int)prop_below(p, m->n[D_RECEPTION]);
	ok = !m->rec[ri].annulled && m->rec[ri].note < 0;
	prop_date(m->day, date);
	c.kind = PK_NOTE;
	c.a = &p->clerk;
	c.note.issued_on = date;
	c.note.reception_id = m->rec[ri].id;
	c.note.price_centimos = 41200;
	prop_logf(p, "note for reception %" PRId64, m->rec[ri].id);
	if (!prop_call(p, &c, D_NOTE, ok))
		return;
	ni = m->n[D_NOTE]++;
	m->note[ni].id = c.id;
	m->note[ni].reception = ri;
	m->note[ni].day = m->day;
	m->note[ni].settlement = -1;
	m->note[ni].dispatch = -1;
	m->rec[ri].note = ni;
	m->numbers++;
}

/* Another settlement for some note: refused unless it has none live. */
static void
prop_op_settle(struct prop *p)
{
	struct model *m = &p->m;
	struct prop_call c = { 0 };
	char date[11];
	int ni;
	bool ok;

	if (m->n[D_NOTE] == 0 || m->n[D_SETTLEMENT] >= PROP_CAP)
		return;
	ni = (int)prop_below(p, m->n[D_NOTE]);
	ok = !m->note[ni].annulled && m->note[ni].settlement < 0;
	prop_date(m->day, date);
	c.kind = PK_SETTLEMENT;
	c.a = &p->clerk;
	c.set.issued_on = date;
	c.set.note_id = m->note[ni].id;
	prop_logf(p, "settle note %" PRId64, m->note[ni].id);
	if (!prop_call(p, &c, D_SETTLEMENT, ok))
		return;
	m->set[m->n[D_SETTLEMENT]].id = c.id;
	m->set[m->n[D_SETTLEMENT]].note = ni;
	m->note[ni].settlement = m->n[D_SETTLEMENT]++;
	m->numbers++;
}

static int
prop_note_class(const struct model *m, int ni)
{
	return m->rec[m->note[ni].reception].cls;
}

static void
prop_op_dispatch(struct prop *p)
{
	struct model *m = &p->m;
	struct prop_call c = { 0 };
	struct m_dispatch *d;
	int cand[PROP_CAP], nc = 0, pick[4], n = 0, i, j, cls = -1;
	int64_t ids[4], notes_g = 0, sacks = 0;
	char date[11];
	bool ok = true;

	if (m->n[D_NOTE] == 0 || m->n[D_DISPATCH] >= PROP_CAP)
		return;
	if (prop_chance(p, 75)) {
		/* A valid lot: live notes of one class in no live guía. */
		for (i = 0; i < m->n[D_NOTE]; i++)
			if (!m->note[i].annulled && m->note[i].dispatch < 0)
				cand[nc++] = i;
		if (nc == 0)
			return;
		cls = prop_note_class(m, prop_pick(p, cand, nc));
		for (i = 0, j = 0; i < nc; i++)
			if (prop_note_class(m, cand[i]) == cls)
				cand[j++] = cand[i];
		nc = j;
		n = (int)prop_range(p, 1, nc < 4 ? nc : 4);
		for (i = 0; i < n; i++) {
			j = (int)prop_range(p, i, nc - 1);
			pick[i] = cand[j];
			cand[j] = cand[i];
			cand[i] = pick[i];
		}
	} else {
		/* Any notes: maybe twice, annulled, travelling or mixed. */
		n = (int)prop_range(p, 1, 3);
		for (i = 0; i < n; i++)
			pick[i] = (int)prop_below(p, m->n[D_NOTE]);
	}
	/* transfer_check_notes() */
	for (i = 0; i < n; i++) {
		const struct m_note *nt = &m->note[pick[i]];

		for (j = 0; j < i; j++)
			if (pick[j] == pick[i])
				ok = false;
		if (nt->annulled || nt->dispatch >= 0 ||
		    prop_note_class(m, pick[i]) != prop_note_class(m, pick[0]))
			ok = false;
		ids[i] = nt->id;
		notes_g += m->rec[nt->reception].net_g;
		sacks += m->rec[nt->reception].sacks;
	}
	prop_date(m->day, date);
	c.kind = PK_DISPATCH;
	c.a = &p->clerk;
	c.dis.issued_on = date;
	c.dis.transfer_on = date;
	c.dis.recipient_org_id = p->plant;
	if (prop_chance(p, 3)) {
		c.dis.recipient_org_id = 999999;
		ok = false;
	}
	c.dis.reason = 3;
	c.dis.carrier.name = "Pablo Chacón";
	c.dis.carrier.doc = "10105634205";
	c.dis.carrier.plate = "ABW-080";
	c.dis.lot_code = "CO-2365";
	c.dis.sacks = sacks;
	c.dis.declared_g = notes_g - prop_below(p, notes_g / 200 + 1);
	c.dis.note_ids = ids;
	c.dis.note_count = (size_t)n;
	prop_logf(p, "dispatch %d notes (", n);
	for (i = 0; i < n; i++)
		prop_logf(p, "%s%" PRId64, i ? " " : "", ids[i]);
	prop_logf(p, ") %" PRId64 " g", notes_g);
	if (!prop_call(p, &c, D_DISPATCH, ok))
		return;
	d = &m->dis[m->n[D_DISPATCH]];
	d->id = c.id;
	d->notes_g = notes_g;
	d->declared_g = c.dis.declared_g;
	d->sacks = sacks;
	d->n = n;
	d->cls = prop_note_class(m, pick[0]);
	d->day = m->day;
	d->receipt = -1;
	for (i = 0; i < n; i++) {
		d->notes[i] = pick[i];
		m->note[pick[i]].dispatch = m->n[D_DISPATCH];
	}
	m->n[D_DISPATCH]++;
	m->numbers++;
}

static void
prop_op_intake(struct prop *p)
{
	struct model *m = &p->m;
	struct prop_call c = { 0 };
	struct m_receipt *r;
	int cand[PROP_CAP], nc = 0, di, i, st;
	int64_t net;
	char date[11];
	bool ok;

	if (m->n[D_DISPATCH] == 0 || m->n[D_RECEIPT] >= PROP_CAP)
		return;
	for (i = 0; i < m->n[D_DISPATCH]; i++)
		if (!m->dis[i].annulled && m->dis[i].receipt < 0)
			cand[nc++] = i;
	di = prop_chance(p, 80) && nc > 0
	    ? prop_pick(p, cand, nc)
	    : (int)prop_below(p, m->n[D_DISPATCH]);
	ok = !m->dis[di].annulled && m->dis[di].receipt < 0;
	/* The plant's scale: up to 1 % less, sometimes a little more. */
	net = m->dis[di].notes_g - prop_below(p, m->dis[di].notes_g / 100 + 1);
	if (prop_chance(p, 10))
		net = m->dis[di].notes_g +
		    prop_range(p, 1, m->dis[di].notes_g / 300 + 1);
	prop_date(m->day, date);
	c.kind = PK_RECEIPT;
	c.a = &p->plant_clerk;
	c.rcp.issued_on = date;
	c.rcp.dispatch_id = m->dis[di].id;
	c.rcp.w.sacks = m->dis[di].sacks;
	c.rcp.w.tare_g = m->dis[di].sacks * 700;
	c.rcp.w.gross_g = net + c.rcp.w.tare_g;
	c.rcp.w.yield_pct = TRANSFER_UNSET;
	c.rcp.w.humidity = 125;
	c.rcp.w.subproduct_pct = TRANSFER_UNSET;
	c.rcp.w.husk_pct = TRANSFER_UNSET;
	c.rcp.w.cup_score = TRANSFER_UNSET;
	prop_logf(p, "intake dispatch %" PRId64 " net %" PRId64 " g",
	    m->dis[di].id, net);
	if (!prop_call(p, &c, D_RECEIPT, ok))
		return;
	r = &m->rcp[m->n[D_RECEIPT]];
	r->id = c.id;
	r->net_g = net;
	r->dispatch = di;
	r->cls = m->dis[di].cls;
	r->day = m->day;
	m->dis[di].receipt = m->n[D_RECEIPT]++;
	st = prop_class_status[r->cls];
	if (net > m->dis[di].notes_g)
		m->gain_g[st] += net - m->dis[di].notes_g;
	m->numbers++;
}

static void
prop_op_process(struct prop *p)
{
	struct model *m = &p->m;
	struct prop_call c = { 0 };
	struct process_input in[3];
	struct m_order *o;
	int cand[PROP_CAP], nc = 0, pick[3], n, i, j, cls;
	int64_t kilos[3], left, input_g = 0;
	char date[11];
	bool ok = true;

	if (m->n[D_RECEIPT] == 0 || m->n[D_ORDER] >= PROP_CAP)
		return;
	if (prop_chance(p, 75)) {
		for (i = 0; i < m->n[D_RECEIPT]; i++)
			if (!m->rcp[i].annulled &&
			    m->rcp[i].net_g > m->rcp[i].consumed_g)
				cand[nc++] = i;
		if (nc == 0)
			return;
		cls = m->rcp[prop_pick(p, cand, nc)].cls;
		for (i = 0, j = 0; i < nc; i++)
			if (m->rcp[cand[i]].cls == cls)
				cand[j++] = cand[i];
		nc = j;
		n = (int)prop_range(p, 1, nc < 3 ? nc : 3);
		for (i = 0; i < n; i++) {
			j = (int)prop_range(p, i, nc - 1);
			pick[i] = cand[j];
			cand[j] = cand[i];
			cand[i] = pick[i];
			left =
			    m->rcp[pick[i]].net_g - m->rcp[pick[i]].consumed_g;
			/* All of it, part of it (at least 150 kg, when there
			 * is that much: enough for a sack of green), or a
			 * gram too many. */
			kilos[i] = prop_chance(p, 50) ? left
			    : prop_chance(p, 85)
			    ? prop_range(p, left < 150000 ? 1 : 150000, left)
			    : left + 1;
		}
	} else {
		n = (int)prop_range(p, 1, 3);
		for (i = 0; i < n; i++) {
			pick[i] = (int)prop_below(p, m->n[D_RECEIPT]);
			kilos[i] = prop_range(p, 1, m->rcp[pick[i]].net_g);
		}
	}
	/* process_check_inputs() */
	for (i = 0; i < n; i++) {
		const struct m_receipt *r = &m->rcp[pick[i]];

		for (j = 0; j < i; j++)
			if (pick[j] == pick[i])
				ok = false;
		if (r->annulled || kilos[i] > r->net_g - r->consumed_g ||
		    r->cls != m->rcp[pick[0]].cls)
			ok = false;
		in[i].plant_receipt_id = r->id;
		in[i].kilos_g = kilos[i];
		input_g += kilos[i];
	}
	prop_date(m->day, date);
	c.kind = PK_ORDER;
	c.a = &p->clerk;
	c.ord.issued_on = date;
	c.ord.plant_org_id = p->plant;
	if (prop_chance(p, 3)) {
		c.ord.plant_org_id = p->outsider; /* not a plant */
		ok = false;
	}
	c.ord.contract = "P17446";
	c.ord.process_type = "ORG";
	c.ord.inputs = in;
	c.ord.input_count = (size_t)n;
	prop_logf(p, "process");
	for (i = 0; i < n; i++)
		prop_logf(p, " %" PRId64 " g of receipt %" PRId64, kilos[i],
		    in[i].plant_receipt_id);
	if (!prop_call(p, &c, D_ORDER, ok))
		return;
	o = &m->ord[m->n[D_ORDER]++];
	o->id = c.id;
	o->input_g = input_g;
	o->n = n;
	o->cls = m->rcp[pick[0]].cls;
	o->day = m->day;
	o->lop = -1;
	for (i = 0; i < n; i++) {
		o->in[i].receipt = pick[i];
		o->in[i].kilos_g = kilos[i];
		m->rcp[pick[i]].consumed_g += kilos[i];
	}
	m->numbers++;
}

/* A LOP's outputs: realistic grades, declared shrinkage closes it. */
static void
prop_outputs(struct prop *p, int64_t input_g, int64_t out[PROCESS_OUT_COUNT])
{
	/* Per mille of the input: low and high bound of each grade. */
	static const int lo[PROCESS_OUT_COUNT] = { 550, 0, 0, 0, 0, 0, 0, 0,
		150, 0 };
	static const int hi[PROCESS_OUT_COUNT] = { 750, 60, 30, 10, 10, 10, 10,
		2, 200, 0 };
	int64_t sum = 0;
	int o;

	for (o = 0; o < PROCESS_OUT_SHRINKAGE; o++) {
		out[o] = input_g * prop_range(p, lo[o], hi[o]) / 1000;
		sum += out[o];
	}
	/* The highs add up to 1082 per mille: trim the husk if needed. */
	if (sum > input_g) {
		out[PROCESS_OUT_HUSK] -= sum - input_g;
		sum = input_g;
	}
	out[PROCESS_OUT_SHRINKAGE] = input_g - sum;
}

static void
prop_op_lop(struct prop *p)
{
	struct model *m = &p->m;
	struct prop_call c = { 0 };
	struct m_lop *l;
	int cand[PROP_CAP], nc = 0, oi, i;
	char date[11];
	bool ok;

	if (m->n[D_ORDER] == 0 || m->n[D_LOP] >= PROP_CAP)
		return;
	for (i = 0; i < m->n[D_ORDER]; i++)
		if (!m->ord[i].annulled && m->ord[i].lop < 0)
			cand[nc++] = i;
	oi = prop_chance(p, 85) && nc > 0 ? prop_pick(p, cand, nc)
	                                  : (int)prop_below(p, m->n[D_ORDER]);
	ok = !m->ord[oi].annulled && m->ord[oi].lop < 0;
	prop_date(m->day, date);
	c.kind = PK_LOP;
	c.a = &p->plant_clerk;
	c.lop.issued_on = date;
	c.lop.process_order_id = m->ord[oi].id;
	prop_outputs(p, m->ord[oi].input_g, c.lop.outputs_g);
	if (prop_chance(p, 8)) {
		/* A gram lost or created: the exact balance refuses it. */
		i = (int)prop_below(p, PROCESS_OUT_SHRINKAGE);
		c.lop.outputs_g[i] +=
		    prop_chance(p, 50) || c.lop.outputs_g[i] == 0 ? 1 : -1;
		ok = false;
	}
	prop_logf(p,
	    "lop of order %" PRId64 " (%" PRId64 " g): export %" PRId64
	    " mc %" PRId64,
	    m->ord[oi].id, m->ord[oi].input_g,
	    c.lop.outputs_g[PROCESS_OUT_EXPORT],
	    c.lop.outputs_g[PROCESS_OUT_EXPORT_MC]);
	if (!prop_call(p, &c, D_LOP, ok))
		return;
	l = &m->lop[m->n[D_LOP]];
	l->id = c.id;
	memcpy(l->out_g, c.lop.outputs_g, sizeof(l->out_g));
	l->order = oi;
	l->cls = m->ord[oi].cls;
	l->day = m->day;
	m->ord[oi].lop = m->n[D_LOP]++;
	m->numbers++;
}

static int64_t
prop_lop_left(const struct m_lop *l, int cat)
{
	return l->out_g[cat == 0 ? PROCESS_OUT_EXPORT : PROCESS_OUT_EXPORT_MC] -
	    l->allocated_g[cat];
}

static void
prop_op_lot(struct prop *p)
{
	struct model *m = &p->m;
	struct prop_call c = { 0 };
	struct export_source_in src[3];
	struct m_lot *t;
	int cand[2 * PROP_CAP], nc = 0, n, i, j, k, cls, code;
	int pick_lop[3], pick_cat[3];
	int64_t kilos[3], total = 0, left;
	char date[11], organic_lot[24];
	bool ok = true;

	if (m->n[D_LOP] == 0 || m->n[D_LOT] >= PROP_CAP)
		return;
	if (prop_chance(p, 75)) {
		/* Outputs with kilos left, encoded lop * 2 + category. */
		for (i = 0; i < m->n[D_LOP]; i++)
			for (k = 0; k < 2; k++)
				if (!m->lop[i].annulled &&
				    prop_lop_left(&m->lop[i], k) > 0)
					cand[nc++] = i * 2 + k;
		if (nc == 0)
			return;
		/* Mostly a class with a whole sack left somewhere. */
		k = prop_pick(p, cand, nc);
		for (i = 0; i < 4 &&
		     prop_lop_left(&m->lop[k / 2], k % 2) < PROP_SACK_G;
		     i++)
			k = prop_pick(p, cand, nc);
		cls = m->lop[k / 2].cls;
		for (i = 0, j = 0; i < nc; i++)
			if (m->lop[cand[i] / 2].cls == cls)
				cand[j++] = cand[i];
		nc = j;
		/* Mostly outputs with a sack left (export MC is small). */
		for (i = 0, j = 0; i < nc; i++)
			j += prop_lop_left(&m->lop[cand[i] / 2], cand[i] % 2) >=
			    PROP_SACK_G;
		if (j > 0 && prop_chance(p, 80)) {
			for (i = 0, j = 0; i < nc; i++)
				if (prop_lop_left(&m->lop[cand[i] / 2],
				        cand[i] % 2) >= PROP_SACK_G)
					cand[j++] = cand[i];
			nc = j;
		}
		n = (int)prop_range(p, 1, nc < 3 ? nc : 3);
		for (i = 0; i < n; i++) {
			j = (int)prop_range(p, i, nc - 1);
			k = cand[j];
			cand[j] = cand[i];
			cand[i] = k;
			pick_lop[i] = k / 2;
			pick_cat[i] = k % 2;
			left = prop_lop_left(&m->lop[k / 2], k % 2);
			/* All, a part (a sack at least, when there is one),
			 * or a gram more than is left. */
			kilos[i] = prop_chance(p, 50) ? left
			    : prop_chance(p, 80)
			    ? prop_range(
			          p, left < PROP_SACK_G ? 1 : PROP_SACK_G, left)
			    : left + 1;
		}
	} else {
		n = (int)prop_range(p, 1, 3);
		for (i = 0; i < n; i++) {
			pick_lop[i] = (int)prop_below(p, m->n[D_LOP]);
			pick_cat[i] = (int)prop_below(p, 2);
			kilos[i] = prop_range(
			    p, 1, m->lop[pick_lop[i]].out_g[pick_cat[i]] + 1);
		}
	}
	/* export_check_sources() */
	for (i = 0; i < n; i++) {
		const struct m_lop *l = &m->lop[pick_lop[i]];

		for (j = 0; j < i; j++)
			if (pick_lop[j] == pick_lop[i] &&
			    pick_cat[j] == pick_cat[i])
				ok = false;
		if (l->annulled || kilos[i] > prop_lop_left(l, pick_cat[i]) ||
		    l->cls != m->lop[pick_lop[0]].cls)
			ok = false;
		src[i].process_settlement_id = l->id;
		src[i].category = pick_cat[i] == 0 ? "export" : "export_mc";
		src[i].kilos_g = kilos[i];
		total += kilos[i];
	}
	/* export_check_lot(): a whole sack at least, a fresh organic lot. */
	if (total / PROP_SACK_G < 1)
		ok = false;
	code = m->lot_codes;
	if (prop_chance(p, 10) && m->n[D_LOT] > 0) {
		k = (int)prop_below(p, m->n[D_LOT]);
		code = m->lot[k].code;
	}
	for (i = 0; i < m->n[D_LOT]; i++)
		if (!m->lot[i].annulled && m->lot[i].code == code)
			ok = false;
	snprintf(organic_lot, sizeof(organic_lot), "%03d-17", code);
	prop_date(m->day, date);
	c.kind = PK_LOT;
	c.a = &p->exporter;
	c.lot.issued_on = date;
	c.lot.organic_lot = organic_lot;
	c.lot.contract = "P17446";
	c.lot.buyer = "Hanseatic Organic Coffee Importers GmbH";
	c.lot.defects = -1;
	c.lot.cup_score = -1;
	c.lot.sources = src;
	c.lot.source_count = (size_t)n;
	prop_logf(p, "lot %s", organic_lot);
	for (i = 0; i < n; i++)
		prop_logf(p, " %" PRId64 " g of lop %" PRId64 " %s", kilos[i],
		    src[i].process_settlement_id, src[i].category);
	if (!prop_call(p, &c, D_LOT, ok))
		return;
	t = &m->lot[m->n[D_LOT]++];
	t->id = c.id;
	t->kilos_g = total;
	t->sacks = total / PROP_SACK_G;
	t->n = n;
	t->cls = m->lop[pick_lop[0]].cls;
	t->day = m->day;
	t->code = code;
	if (code == m->lot_codes)
		m->lot_codes++;
	for (i = 0; i < n; i++) {
		t->src[i].lop = pick_lop[i];
		t->src[i].cat = pick_cat[i];
		t->src[i].kilos_g = kilos[i];
		m->lop[pick_lop[i]].allocated_g[pick_cat[i]] += kilos[i];
		m->lop[pick_lop[i]].lots++;
	}
	m->numbers += 2; /* the lot's number and its ICO mark */
}

static void
prop_op_ship(struct prop *p)
{
	struct model *m = &p->m;
	struct prop_call c = { 0 };
	struct shipment_lot_in in[2];
	struct m_shipment *s;
	int cand[PROP_CAP], nc = 0, pick[2], n, i, j, cls;
	int64_t total = 0, ls, lk;
	char date[11];
	bool ok = true;

	if (m->n[D_LOT] == 0 || m->n[D_SHIPMENT] >= PROP_CAP)
		return;
	if (prop_chance(p, 75)) {
		for (i = 0; i < m->n[D_LOT]; i++)
			if (!m->lot[i].annulled &&
			    m->lot[i].sacks > m->lot[i].shipped_sacks &&
			    m->lot[i].kilos_g > m->lot[i].shipped_g)
				cand[nc++] = i;
		if (nc == 0)
			return;
		cls = m->lot[prop_pick(p, cand, nc)].cls;
		for (i = 0, j = 0; i < nc; i++)
			if (m->lot[cand[i]].cls == cls)
				cand[j++] = cand[i];
		nc = j;
		n = (int)prop_range(p, 1, nc < 2 ? nc : 2);
		for (i = 0; i < n; i++) {
			j = (int)prop_range(p, i, nc - 1);
			pick[i] = cand[j];
			cand[j] = cand[i];
			cand[i] = pick[i];
			ls = m->lot[pick[i]].sacks -
			    m->lot[pick[i]].shipped_sacks;
			lk =
			    m->lot[pick[i]].kilos_g - m->lot[pick[i]].shipped_g;
			in[i].export_lot_id = m->lot[pick[i]].id;
			in[i].sacks =
			    prop_chance(p, 50) ? ls : prop_range(p, 1, ls);
			in[i].kilos_g =
			    prop_chance(p, 50) ? lk : prop_range(p, 1, lk);
			if (prop_chance(p, 8)) {
				/* A sack or a gram more than the lot has. */
				if (prop_chance(p, 50))
					in[i].sacks = ls + 1;
				else
					in[i].kilos_g = lk + 1;
			}
		}
	} else {
		n = (int)prop_range(p, 1, 2);
		for (i = 0; i < n; i++) {
			pick[i] = (int)prop_below(p, m->n[D_LOT]);
			in[i].export_lot_id = m->lot[pick[i]].id;
			in[i].sacks = prop_range(p, 1, m->lot[pick[i]].sacks);
			in[i].kilos_g =
			    prop_range(p, 1, m->lot[pick[i]].kilos_g);
		}
	}
	/* export_check_shipment_lot() */
	for (i = 0; i < n; i++) {
		const struct m_lot *t = &m->lot[pick[i]];

		for (j = 0; j < i; j++)
			if (pick[j] == pick[i])
				ok = false;
		if (t->annulled || in[i].sacks > t->sacks - t->shipped_sacks ||
		    in[i].kilos_g > t->kilos_g - t->shipped_g ||
		    t->cls != m->lot[pick[0]].cls)
			ok = false;
		total += in[i].kilos_g;
	}
	prop_date(m->day, date);
	c.kind = PK_SHIPMENT;
	c.a = &p->exporter;
	c.shp.issued_on = date;
	c.shp.contract = "P17446";
	c.shp.buyer_name = "Hanseatic Organic Coffee Importers GmbH";
	c.shp.buyer_country = "DE";
	c.shp.port_loading = "Paita";
	c.shp.port_destination = "Hamburgo";
	c.shp.lots = in;
	c.shp.lot_count = (size_t)n;
	prop_logf(p, "ship");
	for (i = 0; i < n; i++)
		prop_logf(p, " %" PRId64 " sacks %" PRId64 " g of lot %" PRId64,
		    in[i].sacks, in[i].kilos_g, in[i].export_lot_id);
	if (!prop_call(p, &c, D_SHIPMENT, ok))
		return;
	s = &m->shp[m->n[D_SHIPMENT]++];
	s->id = c.id;
	s->kilos_g = total;
	s->n = n;
	s->cls = m->lot[pick[0]].cls;
	for (i = 0; i < n; i++) {
		s->lots[i].lot = pick[i];
		s->lots[i].sacks = in[i].sacks;
		s->lots[i].kilos_g = in[i].kilos_g;
		m->lot[pick[i]].shipped_sacks += in[i].sacks;
		m->lot[pick[i]].shipped_g += in[i].kilos_g;
		m->lot[pick[i]].shipments++;
	}
	m->numbers++;
}

/* May document k of kind doc be annulled now?  (the stores' SQL) */
static bool
prop_may_annul(const struct model *m, enum prop_doc doc, int k)
{
	switch (doc) {
	case D_RECEPTION:
		return !m->rec[k].annulled && m->rec[k].note < 0;
	case D_NOTE:
		return !m->note[k].annulled && m->note[k].settlement < 0 &&
		    m->note[k].dispatch < 0;
	case D_SETTLEMENT:
		return !m->set[k].annulled;
	case D_DISPATCH:
		return !m->dis[k].annulled && m->dis[k].receipt < 0;
	case D_RECEIPT:
		return !m->rcp[k].annulled && m->rcp[k].consumed_g == 0;
	case D_ORDER:
		return !m->ord[k].annulled && m->ord[k].lop < 0;
	case D_LOP:
		return !m->lop[k].annulled && m->lop[k].lots == 0;
	case D_LOT:
		return !m->lot[k].annulled && m->lot[k].shipments == 0;
	case D_SHIPMENT:
		return !m->shp[k].annulled;
	default:
		return false;
	}
}

static int64_t
prop_doc_id(const struct model *m, enum prop_doc doc, int k)
{
	switch (doc) {
	case D_RECEPTION:
		return m->rec[k].id;
	case D_NOTE:
		return m->note[k].id;
	case D_SETTLEMENT:
		return m->set[k].id;
	case D_DISPATCH:
		return m->dis[k].id;
	case D_RECEIPT:
		return m->rcp[k].id;
	case D_ORDER:
		return m->ord[k].id;
	case D_LOP:
		return m->lop[k].id;
	case D_LOT:
		return m->lot[k].id;
	case D_SHIPMENT:
		return m->shp[k].id;
	default:
		return 0;
	}
}

/* The annulment's effects: what the document held goes back. */
static void
prop_annulled(struct model *m, enum prop_doc doc, int k)
{
	int i;

	switch (doc) {
	case D_RECEPTION:
		m->rec[k].annulled = true;
		break;
	case D_NOTE:
		m->note[k].annulled = true;
		m->rec[m->note[k].reception].note = -1;
		break;
	case D_SETTLEMENT:
		m->set[k].annulled = true;
		m->note[m->set[k].note].settlement = -1;
		break;
	case D_DISPATCH:
		m->dis[k].annulled = true;
		for (i = 0; i < m->dis[k].n; i++)
			m->note[m->dis[k].notes[i]].dispatch = -1;
		break;
	case D_RECEIPT: {
		const struct m_receipt *r = &m->rcp[k];
		const struct m_dispatch *d = &m->dis[r->dispatch];

		if (r->net_g > d->notes_g)
			m->gain_g[prop_class_status[r->cls]] -=
			    r->net_g - d->notes_g;
		m->rcp[k].annulled = true;
		m->dis[m->rcp[k].dispatch].receipt = -1;
		break;
	}
	case D_ORDER:
		m->ord[k].annulled = true;
		for (i = 0; i < m->ord[k].n; i++)
			m->rcp[m->ord[k].in[i].receipt].consumed_g -=
			    m->ord[k].in[i].kilos_g;
		break;
	case D_LOP:
		m->lop[k].annulled = true;
		m->ord[m->lop[k].order].lop = -1;
		break;
	case D_LOT:
		m->lot[k].annulled = true;
		for (i = 0; i < m->lot[k].n; i++) {
			struct m_lop *l = &m->lop[m->lot[k].src[i].lop];

			l->allocated_g[m->lot[k].src[i].cat] -=
			    m->lot[k].src[i].kilos_g;
			l->lots--;
		}
		break;
	case D_SHIPMENT:
		m->shp[k].annulled = true;
		for (i = 0; i < m->shp[k].n; i++) {
			struct m_lot *t = &m->lot[m->shp[k].lots[i].lot];

			t->shipped_sacks -= m->shp[k].lots[i].sacks;
			t->shipped_g -= m->shp[k].lots[i].kilos_g;
			t->shipments--;
		}
		break;
	default:
		break;
	}
}

static void
prop_op_annul(struct prop *p)
{
	struct model *m = &p->m;
	struct prop_call c = { 0 };
	enum prop_doc doc;
	int k, tries = 0;
	bool ok, plant_doc;

	/* Annul later stages more often: that is where kilos come back. */
	do {
		doc = (enum prop_doc)prop_below(p, D_COUNT);
	} while (m->n[doc] == 0 && ++tries < 20);
	if (m->n[doc] == 0)
		return;
	k = (int)prop_below(p, m->n[doc]);
	ok = prop_may_annul(m, doc, k);
	plant_doc = doc == D_RECEIPT || doc == D_LOP;
	c.kind = PK_ANNUL;
	c.a = plant_doc                         ? &p->plant_clerk
	    : doc == D_LOT || doc == D_SHIPMENT ? &p->exporter
	                                        : &p->clerk;
	c.annul_doc = doc;
	c.annul_id = prop_doc_id(m, doc, k);
	c.reason = "Error de digitación";
	if (prop_chance(p, 4)) {
		/* Only the issuer annuls: the other party is refused. */
		c.a = plant_doc ? &p->clerk : &p->plant_clerk;
		ok = false;
	} else if (prop_chance(p, 3)) {
		c.reason = ""; /* an annulment needs a reason */
		ok = false;
	}
	prop_logf(p, "annul %s %" PRId64 "%s", prop_doc_name[doc], c.annul_id,
	    c.a->org_id != (plant_doc ? p->plant : p->coop) ? " (wrong org)"
	                                                    : "");
	p->annul_tries[doc]++;
	if (!prop_call(p, &c, doc, ok))
		return;
	p->annul_ok[doc]++;
	prop_annulled(m, doc, k);
}

/* ---- checks against the model ---- */

static void
prop_expected_counts(const struct prop *p, int64_t e[C_COUNT])
{
	const struct model *m = &p->m;
	int i, j;

	memcpy(e, p->base, sizeof(int64_t) * C_COUNT);
	e[C_REC] += m->n[D_RECEPTION];
	e[C_NOTE] += m->n[D_NOTE];
	e[C_SET] += m->n[D_SETTLEMENT];
	e[C_DIS] += m->n[D_DISPATCH];
	e[C_RCP] += m->n[D_RECEIPT];
	e[C_ORD] += m->n[D_ORDER];
	e[C_LOP] += m->n[D_LOP];
	e[C_OUTPUTS] += (int64_t)m->n[D_LOP] * PROCESS_OUT_COUNT;
	e[C_LOT] += m->n[D_LOT];
	e[C_SHP] += m->n[D_SHIPMENT];
	for (i = 0; i < m->n[D_RECEPTION]; i++)
		e[C_REC_ANN] += m->rec[i].annulled;
	for (i = 0; i < m->n[D_NOTE]; i++)
		e[C_NOTE_ANN] += m->note[i].annulled;
	for (i = 0; i < m->n[D_SETTLEMENT]; i++)
		e[C_SET_ANN] += m->set[i].annulled;
	for (i = 0; i < m->n[D_DISPATCH]; i++) {
		e[C_DIS_ANN] += m->dis[i].annulled;
		e[C_DIS_NOTES] += m->dis[i].n;
		e[C_DIS_NOTES_LIVE] += m->dis[i].annulled ? 0 : m->dis[i].n;
	}
	for (i = 0; i < m->n[D_RECEIPT]; i++)
		e[C_RCP_ANN] += m->rcp[i].annulled;
	for (i = 0; i < m->n[D_ORDER]; i++) {
		e[C_ORD_ANN] += m->ord[i].annulled;
		e[C_INPUTS] += m->ord[i].n;
		e[C_INPUTS_LIVE] += m->ord[i].annulled ? 0 : m->ord[i].n;
	}
	for (i = 0; i < m->n[D_LOP]; i++)
		e[C_LOP_ANN] += m->lop[i].annulled;
	for (i = 0; i < m->n[D_LOT]; i++) {
		e[C_LOT_ANN] += m->lot[i].annulled;
		e[C_SOURCES] += m->lot[i].n;
		e[C_SOURCES_LIVE] += m->lot[i].annulled ? 0 : m->lot[i].n;
	}
	for (i = 0; i < m->n[D_SHIPMENT]; i++) {
		e[C_SHP_ANN] += m->shp[i].annulled;
		e[C_SHP_LOTS] += m->shp[i].n;
		for (j = 0; j < m->shp[i].n; j++)
			e[C_SHP_LOTS_LIVE] += !m->shp[i].annulled;
	}
	e[C_AUDIT] = m->audit;
	e[C_NUMBERS] = m->numbers;
}

static void
prop_check_counts(struct prop *p)
{
	int64_t got[C_COUNT], want[C_COUNT];
	int i;

	prop_counts(p, got);
	prop_expected_counts(p, want);
	for (i = 0; i < C_COUNT; i++)
		if (got[i] != want[i]) {
			prop_failf(p,
			    "%s: the database has %" PRId64
			    ", the model %" PRId64,
			    prop_count_name[i], got[i], want[i]);
			return;
		}
}

/* The model's mass balance of one status, keyed as the report. */
struct prop_mb {
	int64_t received, dispatched, plant_received, processed, lots, shipped;
	int64_t n_received, n_dispatched, n_plant, n_processed, n_lots, n_ship;
	int64_t transport, in_transit, consumed, exportable;
	int64_t grade[PROCESS_OUT_COUNT];
};

static void
prop_model_mb(const struct model *m, struct prop_mb mb[3])
{
	int i, j, s;

	memset(mb, 0, sizeof(struct prop_mb) * 3);
	for (i = 0; i < m->n[D_RECEPTION]; i++)
		if (!m->rec[i].annulled) {
			s = prop_class_status[m->rec[i].cls];
			mb[s].received += m->rec[i].net_g;
			mb[s].n_received++;
		}
	for (i = 0; i < m->n[D_DISPATCH]; i++)
		if (!m->dis[i].annulled) {
			s = prop_class_status[m->dis[i].cls];
			mb[s].dispatched += m->dis[i].notes_g;
			mb[s].n_dispatched++;
			if (m->dis[i].receipt < 0)
				mb[s].in_transit += m->dis[i].declared_g;
		}
	for (i = 0; i < m->n[D_RECEIPT]; i++)
		if (!m->rcp[i].annulled) {
			s = prop_class_status[m->rcp[i].cls];
			mb[s].plant_received += m->rcp[i].net_g;
			mb[s].n_plant++;
			mb[s].transport += m->dis[m->rcp[i].dispatch].notes_g -
			    m->rcp[i].net_g;
		}
	for (i = 0; i < m->n[D_ORDER]; i++)
		if (!m->ord[i].annulled)
			mb[prop_class_status[m->ord[i].cls]].consumed +=
			    m->ord[i].input_g;
	for (i = 0; i < m->n[D_LOP]; i++)
		if (!m->lop[i].annulled) {
			s = prop_class_status[m->lop[i].cls];
			mb[s].processed += m->ord[m->lop[i].order].input_g;
			mb[s].n_processed++;
			for (j = 0; j < PROCESS_OUT_COUNT; j++)
				mb[s].grade[j] += m->lop[i].out_g[j];
			mb[s].exportable +=
			    m->lop[i].out_g[PROCESS_OUT_EXPORT] +
			    m->lop[i].out_g[PROCESS_OUT_EXPORT_MC];
		}
	for (i = 0; i < m->n[D_LOT]; i++)
		if (!m->lot[i].annulled) {
			s = prop_class_status[m->lot[i].cls];
			mb[s].lots += m->lot[i].kilos_g;
			mb[s].n_lots++;
		}
	for (i = 0; i < m->n[D_SHIPMENT]; i++)
		if (!m->shp[i].annulled) {
			s = prop_class_status[m->shp[i].cls];
			mb[s].shipped += m->shp[i].kilos_g;
			mb[s].n_ship++;
		}
}

/* Find the element of array a whose key is name. */
static json_t *
prop_keyed(json_t *a, const char *key, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i,
	    v) if (strcmp(json_string_value(json_object_get(v, key)) != NULL
	                   ? json_string_value(json_object_get(v, key))
	                   : "",
	               name) == 0) return v;
	return NULL;
}

static void
prop_expect_g(
    struct prop *p, const char *st, const char *what, json_t *v, int64_t want)
{
	int64_t got = prop_grams(json_object_get(v, "kg"));

	if (got != want)
		prop_failf(p,
		    "mass balance, %s %s: the report says %" PRId64
		    " g, the model %" PRId64 " g",
		    st, what, got, want);
}

/*
 * The product's mass balance of the cooperative for the campaign against
 * the model, and organic out never above organic in.
 */
static void
prop_check_report(struct prop *p)
{
	static const char *const lines[] = { "received", "dispatched",
		"plant_received", "processed", "export_lots", "shipped" };
	struct prop_mb mb[3];
	json_t *doc = NULL, *st, *v;
	int64_t want_g[6], want_n[6];
	int s, i;

	if (p->fail[0] != '\0')
		return;
	if (report_mass_balance_json(p->db, p->viewer, p->coop, "2017-01-01",
	        "2017-12-31", &doc) != ERR_OK) {
		prop_failf(p, "report_mass_balance_json failed");
		return;
	}
	p->reports++;
	prop_model_mb(&p->m, mb);
	if (!json_is_true(json_object_get(doc, "consistent"))) {
		char *text =
		    json_dumps(json_object_get(doc, "statuses"), JSON_COMPACT);

		prop_failf(p, "the mass balance is not consistent: %s",
		    text != NULL ? text : "?");
		free(text);
	}
	for (s = 0; s < 3 && p->fail[0] == '\0'; s++) {
		const struct prop_mb *b = &mb[s];
		const char *name = prop_status_name[s];

		st = prop_keyed(
		    json_object_get(doc, "statuses"), "status", name);
		want_g[0] = b->received;
		want_g[1] = b->dispatched;
		want_g[2] = b->plant_received;
		want_g[3] = b->processed;
		want_g[4] = b->lots;
		want_g[5] = b->shipped;
		want_n[0] = b->n_received;
		want_n[1] = b->n_dispatched;
		want_n[2] = b->n_plant;
		want_n[3] = b->n_processed;
		want_n[4] = b->n_lots;
		want_n[5] = b->n_ship;
		for (i = 0; i < 6; i++) {
			v = prop_keyed(
			    json_object_get(st, "lines"), "key", lines[i]);
			prop_expect_g(p, name, lines[i], v, want_g[i]);
			if (json_integer_value(json_object_get(v, "count")) !=
			    want_n[i])
				prop_failf(p,
				    "mass balance, %s %s: %lld documents, the "
				    "model %" PRId64,
				    name, lines[i],
				    (long long)json_integer_value(
				        json_object_get(v, "count")),
				    want_n[i]);
		}
		for (i = 0; i < PROCESS_OUT_COUNT; i++)
			prop_expect_g(p, name, process_output_key(i),
			    prop_keyed(
			        json_object_get(st, "processed_by_grade"),
			        "category", process_output_key(i)),
			    b->grade[i]);
		v = json_object_get(st, "stock");
		prop_expect_g(p, name, "stock collection",
		    prop_keyed(v, "key", "collection"),
		    b->received - b->dispatched);
		prop_expect_g(p, name, "stock in transit",
		    prop_keyed(v, "key", "in_transit"), b->in_transit);
		prop_expect_g(p, name, "stock in plant",
		    prop_keyed(v, "key", "in_plant"),
		    b->plant_received - b->consumed);
		prop_expect_g(p, name, "stock in process",
		    prop_keyed(v, "key", "in_process"),
		    b->consumed - b->processed);
		prop_expect_g(p, name, "stock green unallocated",
		    prop_keyed(v, "key", "green_unallocated"),
		    b->exportable - b->lots);
		prop_expect_g(p, name, "stock green unshipped",
		    prop_keyed(v, "key", "green_unshipped"),
		    b->lots - b->shipped);
		prop_expect_g(p, name, "transport shrinkage",
		    prop_keyed(
		        json_object_get(st, "shrinkage"), "key", "transport"),
		    b->transport);
		/* Out never above in, stage by stage and overall. */
		if (b->shipped > b->lots || b->lots > b->exportable ||
		    b->exportable > b->processed ||
		    b->processed > b->consumed ||
		    b->consumed > b->plant_received ||
		    b->dispatched > b->received ||
		    b->shipped > b->received + p->m.gain_g[s])
			prop_failf(p,
			    "%s out exceeds in: received %" PRId64
			    " dispatched %" PRId64 " plant %" PRId64
			    " consumed %" PRId64 " processed %" PRId64
			    " exportable %" PRId64 " lots %" PRId64
			    " shipped %" PRId64 " (plant gains %" PRId64 ")",
			    name, b->received, b->dispatched, b->plant_received,
			    b->consumed, b->processed, b->exportable, b->lots,
			    b->shipped, p->m.gain_g[s]);
	}
	json_decref(doc);
}

/* The receptions export lot t holds, by the model (flags per index). */
static void
prop_lot_receptions(const struct model *m, const struct m_lot *t, bool *in)
{
	const struct m_order *o;
	const struct m_dispatch *d;
	int i, j, k;

	memset(in, 0, sizeof(bool) * PROP_CAP);
	for (i = 0; i < t->n; i++) {
		o = &m->ord[m->lop[t->src[i].lop].order];
		for (j = 0; j < o->n; j++) {
			d = &m->dis[m->rcp[o->in[j].receipt].dispatch];
			for (k = 0; k < d->n; k++)
				in[m->note[d->notes[k]].reception] = true;
		}
	}
}

static int
prop_reception_index(const struct model *m, int64_t id)
{
	int i;

	for (i = 0; i < m->n[D_RECEPTION]; i++)
		if (m->rec[i].id == id)
			return i;
	return -1;
}

/* The product's trace of a live export lot against the model. */
static void
prop_check_trace(struct prop *p, const struct m_lot *t)
{
	const struct model *m = &p->m;
	bool want[PROP_CAP], seen[PROP_CAP];
	json_t *doc = NULL, *v;
	int64_t green = 0;
	size_t i;
	int ri, k;

	if (trace_document_json(
	        p->db, p->viewer, TRACE_EXPORT_LOT, t->id, &doc) != ERR_OK) {
		prop_failf(p, "trace of export lot %" PRId64 " failed", t->id);
		return;
	}
	p->traces++;
	prop_lot_receptions(m, t, want);
	memset(seen, 0, sizeof(seen));
	json_array_foreach(json_object_get(doc, "flows"), i, v)
	{
		ri = prop_reception_index(
		    m, json_integer_value(json_object_get(v, "reception_id")));
		if (ri < 0) {
			prop_failf(p,
			    "trace of lot %" PRId64
			    ": a reception the sequence never made",
			    t->id);
			break;
		}
		if (m->rec[ri].cls != t->cls)
			prop_failf(p,
			    "segregation: %s lot %" PRId64
			    " traces to %s reception %" PRId64,
			    prop_class_name[t->cls], t->id,
			    prop_class_name[m->rec[ri].cls], m->rec[ri].id);
		seen[ri] = true;
	}
	for (k = 0; k < m->n[D_RECEPTION]; k++)
		if (want[k] != seen[k]) {
			prop_failf(p,
			    "trace of lot %" PRId64 ": reception %" PRId64
			    " %s, the model says it %s",
			    t->id, m->rec[k].id,
			    seen[k] ? "is in it" : "is missing",
			    want[k] ? "is" : "is not");
			break;
		}
	for (k = 0; k < m->n[D_RECEPTION]; k++)
		p->traced_receptions += seen[k];
	json_array_foreach(json_object_get(doc, "producers"), i, v) green +=
	    json_integer_value(json_object_get(v, "green_g"));
	if (green != t->kilos_g)
		prop_failf(p,
		    "trace of lot %" PRId64 ": producers' green coffee %" PRId64
		    " g, the lot %" PRId64 " g",
		    t->id, green, t->kilos_g);
	json_decref(doc);
}

/* End of a sequence: balances, traces, numbering without gaps. */
static void
prop_check_end(struct prop *p)
{
	const struct model *m = &p->m;
	int64_t net, consumed, n, lo, hi;
	size_t i;
	int k;

	for (k = 0; k < m->n[D_RECEIPT] && p->fail[0] == '\0'; k++) {
		if (process_receipt_balance(
		        p->db, m->rcp[k].id, &net, &consumed) != ERR_OK ||
		    net != m->rcp[k].net_g ||
		    consumed != m->rcp[k].consumed_g || consumed > net)
			prop_failf(p,
			    "plant receipt %" PRId64 ": net %" PRId64
			    " consumed %" PRId64 ", the model %" PRId64
			    " and %" PRId64,
			    m->rcp[k].id, net, consumed, m->rcp[k].net_g,
			    m->rcp[k].consumed_g);
	}
	for (k = 0; k < m->n[D_LOT] && p->fail[0] == '\0'; k++)
		if (!m->lot[k].annulled)
			prop_check_trace(p, &m->lot[k]);
	for (i = 0; i < sizeof(prop_gap_sql) / sizeof(prop_gap_sql[0]) &&
	     p->fail[0] == '\0';
	     i++) {
		n = prop_sql_int(p, prop_gap_sql[i], 0);
		lo = prop_sql_int(p, prop_gap_sql[i], 1);
		hi = prop_sql_int(p, prop_gap_sql[i], 2);
		if (n > 0 && hi - lo + 1 != n)
			prop_failf(
			    p, "numbering has a gap: %s", prop_gap_sql[i]);
	}
}

/* ---- sequences ---- */

static void
prop_op(struct prop *p, enum prop_op op)
{
	switch (op) {
	case OP_RECEIVE:
		prop_op_receive(p);
		break;
	case OP_NOTE:
		prop_op_note(p);
		break;
	case OP_SETTLE:
		prop_op_settle(p);
		break;
	case OP_DISPATCH:
		prop_op_dispatch(p);
		break;
	case OP_INTAKE:
		prop_op_intake(p);
		break;
	case OP_PROCESS:
		prop_op_process(p);
		break;
	case OP_LOP:
		prop_op_lop(p);
		break;
	case OP_LOT:
		prop_op_lot(p);
		break;
	case OP_SHIP:
		prop_op_ship(p);
		break;
	case OP_ANNUL:
		prop_op_annul(p);
		break;
	default:
		break;
	}
}

/* Does the model hold something op can validly act on? */
static bool
prop_op_has_work(const struct model *m, enum prop_op op)
{
	int i;

	switch (op) {
	case OP_DISPATCH:
		for (i = 0; i < m->n[D_NOTE]; i++)
			if (!m->note[i].annulled && m->note[i].dispatch < 0)
				return true;
		return false;
	case OP_INTAKE:
		for (i = 0; i < m->n[D_DISPATCH]; i++)
			if (!m->dis[i].annulled && m->dis[i].receipt < 0)
				return true;
		return false;
	case OP_PROCESS:
		for (i = 0; i < m->n[D_RECEIPT]; i++)
			if (!m->rcp[i].annulled &&
			    m->rcp[i].net_g > m->rcp[i].consumed_g)
				return true;
		return false;
	case OP_LOP:
		for (i = 0; i < m->n[D_ORDER]; i++)
			if (!m->ord[i].annulled && m->ord[i].lop < 0)
				return true;
		return false;
	case OP_LOT:
		for (i = 0; i < m->n[D_LOP]; i++)
			if (!m->lop[i].annulled &&
			    (prop_lop_left(&m->lop[i], 0) > 0 ||
			        prop_lop_left(&m->lop[i], 1) > 0))
				return true;
		return false;
	case OP_SHIP:
		for (i = 0; i < m->n[D_LOT]; i++)
			if (!m->lot[i].annulled &&
			    m->lot[i].sacks > m->lot[i].shipped_sacks &&
			    m->lot[i].kilos_g > m->lot[i].shipped_g)
				return true;
		return false;
	default:
		return true;
	}
}

static enum prop_op
prop_draw(struct prop *p)
{
	unsigned w[OP_COUNT], total = 0, x;
	int i;

	for (i = 0; i < OP_COUNT; i++) {
		w[i] =
		    prop_op_weight[i][prop_op_has_work(&p->m, (enum prop_op)i)
		            ? 0
		            : 1];
		total += w[i];
	}
	x = (unsigned)prop_below(p, total);
	for (i = 0; i < OP_COUNT; i++) {
		if (x < w[i])
			return (enum prop_op)i;
		x -= w[i];
	}
	return OP_RECEIVE;
}

/*
 * Run sequence seq from the snapshot, stopping after limit operations
 * (0: its full length).  Returns the number of operations run when
 * something failed (p->fail says what), 0 when everything held.
 */
static int
prop_sequence(struct prop *p, unsigned seq, int limit)
{
	int length, i, docs = 0;

	p->fail[0] = '\0';
	memset(p->oplog, 0, sizeof(p->oplog));
	if (!prop_reset(p)) {
		prop_failf(p, "could not restore the snapshot");
		return 1;
	}
	/* The sequence's own stream: it replays alone. */
	p->rng = p->seed ^ ((uint64_t)seq * 0xd1b54a32d192ed03ULL);
	prop_next(p);
	length = (int)prop_range(p, 5, PROP_OPS_MAX);
	if (limit > 0 && limit < length)
		length = limit;
	for (i = 0; i < length; i++) {
		enum prop_op op = prop_draw(p);

		p->op_index = i;
		p->op_accepted = false;
		p->ops[op]++;
		p->m.day += prop_below(p, 3) == 0 ? 1 : 0;
		prop_op(p, op);
		if (p->fail[0] == '\0')
			prop_check_counts(p);
		/* A refusal changed nothing (the counts above prove it). */
		if (p->fail[0] == '\0' && p->op_accepted)
			prop_check_report(p);
		/* An operation with nothing to act on calls nothing. */
		if (p->verbose)
			print_message("  %2d. %s%s\n", i + 1,
			    p->oplog[i][0] != '\0' ? p->oplog[i]
			                           : prop_op_name[op],
			    p->oplog[i][0] != '\0' ? ""
			                           : ": nothing to act on");
		if (p->fail[0] != '\0')
			return i + 1;
	}
	prop_check_end(p);
	for (i = 0; i < D_COUNT; i++)
		docs += p->m.n[i];
	if (docs > p->max_docs)
		p->max_docs = docs;
	return p->fail[0] != '\0' ? length : 0;
}

static void
prop_report_failure(struct prop *p, unsigned seq, int failed_at)
{
	char first[sizeof(p->fail)];
	int n;

	snprintf(first, sizeof(first), "%s", p->fail);
	/* The shortest prefix of the sequence that still fails. */
	for (n = 1; n <= failed_at; n++)
		if (prop_sequence(p, seq, n) != 0)
			break;
	print_message("property failed: PERGAMINO_PROP_SEED=%" PRIu64
	              " sequence %u, shortest failing prefix: %d "
	              "operation(s)\n",
	    p->seed, seq, n);
	p->verbose = true;
	prop_sequence(p, seq, n);
	p->verbose = false;
	print_message("  first failure seen: %s\n  prefix's failure: %s\n",
	    first, p->fail);
	fail_msg("mass-balance property failed (seed %" PRIu64
	         ", sequence %u, prefix %d): %s",
	    p->seed, seq, n, p->fail);
}

static double
prop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_mass_balance_property(void **state)
{
	struct prop *p = *state;
	unsigned sequences = PROP_SEQUENCES_DEFAULT, s;
	int64_t calls = 0, accepted = 0, refused = 0, ops = 0;
	double t0, secs;
	const char *env;
	int failed, i;

	p->seed = 1;
	if ((env = getenv("PERGAMINO_PROP_SEED")) != NULL)
		p->seed = strtoull(env, NULL, 10);
	if ((env = getenv("PERGAMINO_PROP_SEQUENCES")) != NULL)
		sequences = (unsigned)strtoul(env, NULL, 10);
	t0 = prop_now();
	for (s = 0; s < sequences; s++) {
		failed = prop_sequence(p, s, 0);
		if (failed != 0)
			prop_report_failure(p, s, failed);
	}
	secs = prop_now() - t0;
	for (i = 0; i < OP_COUNT; i++)
		ops += p->ops[i];
	for (i = 0; i < D_COUNT; i++) {
		calls += p->calls[i];
		accepted += p->accepted[i];
		refused += p->refused[i];
	}
	print_message("property: seed %" PRIu64 ", %u sequences, %" PRId64
	              " operations, %" PRId64 " service calls (%" PRId64
	              " accepted, %" PRId64 " refused), %.1f s\n",
	    p->seed, sequences, ops, calls, accepted, refused, secs);
	for (i = 0; i < OP_COUNT; i++)
		print_message(
		    "  op %-8s %" PRId64 "\n", prop_op_name[i], p->ops[i]);
	for (i = 0; i < D_COUNT; i++)
		print_message("  %-10s calls %6" PRId64 "  accepted %6" PRId64
		              "  refused %6" PRId64 "  (annul: %" PRId64
		              " tried, %" PRId64 " done)\n",
		    prop_doc_name[i], p->calls[i], p->accepted[i],
		    p->refused[i], p->annul_tries[i], p->annul_ok[i]);
	print_message("  refusals: %" PRId64 " invalid (400), %" PRId64
	              " forbidden/not found (403/404), %" PRId64
	              " conflict (409), %" PRId64
	              " unprocessable (422); %" PRId64
	              " had written before refusing (undone by the "
	              "rollback)\n",
	    p->by_status[0], p->by_status[1], p->by_status[2], p->by_status[3],
	    p->refused_after_write);
	for (i = 0; i < p->ncodes; i++)
		print_message("    refused %-10s %-32s %6" PRId64 "\n",
		    prop_doc_name[p->codes[i].doc], p->codes[i].code,
		    p->codes[i].n);
	print_message("  checks: %" PRId64 " mass-balance reports, %" PRId64
	              " export-lot traces reaching %" PRId64
	              " receptions; at most %" PRId64
	              " documents in one sequence\n",
	    p->reports, p->traces, p->traced_receptions, p->max_docs);
	/*
	 * The test must have exercised the whole chain, both ways.  Shipments
	 * come last in a sequence and are annulled rarely: 200 sequences (the
	 * sanitizer build's) may annul none, 1 000 (the default) always do.
	 */
	if (sequences >= 1000)
		for (i = 0; i < D_COUNT; i++)
			if (p->accepted[i] == 0 || p->refused[i] == 0 ||
			    p->annul_ok[i] == 0)
				fail_msg("%s: never accepted, refused and "
				         "annulled",
				    prop_doc_name[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mass_balance_property),
	};

	return cmocka_run_group_tests(tests, prop_setup, prop_teardown);
}
