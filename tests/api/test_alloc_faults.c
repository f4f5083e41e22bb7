/*
 * Allocation failure injection (issue 7): through each write endpoint,
 * make the N-th allocation of the request fail, for N = 1, 2, ... until
 * a request makes fewer than N allocations and succeeds, and after every
 * attempt check what a client and an auditor rely on:
 *
 *   - the server does not crash (the next attempt is answered) and, in
 *     the sanitizer build, leaks nothing (LeakSanitizer at exit);
 *   - a failed request is answered 5xx with a problem+json body, or its
 *     connection is closed when not even the request's own state could be
 *     allocated (libmicrohttpd then drops the connection: MHD_NO);
 *   - a failed request changed nothing: the row count of every table, the
 *     count of annulled documents and the numbering are as before;
 *   - a request that succeeds although an allocation failed in it (SQLite
 *     and our code may survive some) wrote exactly one document and one
 *     audit event, and its answer has the shape of an unfaulted answer;
 *   - once faults stop, the next request succeeds.
 * At the end the database passes integrity_check and foreign_key_check
 * and the audit chain verifies.
 *
 * Allocators covered, counted together as one sequence:
 *   - our own code's malloc, calloc, realloc, strdup and strndup: this
 *     program is linked with -Wl,--wrap=... (tests/CMakeLists.txt), which
 *     sends every such call from the statically linked appcore objects to
 *     the __wrap_ functions below (calls made inside shared libraries are
 *     not affected);
 *   - Jansson's: server_start() installs src/util/jsonx.c's allocator,
 *     whose malloc() is ours, so they are wrapped too;
 *   - SQLite's, through SQLITE_CONFIG_MALLOC around its default methods,
 *     installed before SQLite's first use.
 * Not covered: libmicrohttpd's, libsodium's, libcurl's and libc's own
 * internal allocations.  Only allocations made by threads other than the
 * test's main thread count, so the libcurl client, the harness and the
 * checks below (which use Jansson and SQLite too) are never faulted.
 *
 * Each endpoint is driven twice: a first pass from whatever statements
 * the worker's connection has prepared so far (so prepare failures are
 * met), then a second pass from a warm connection, where every attempt
 * makes the same allocations and each one is failed in turn.  The server
 * runs one worker thread, so runs are repeatable.
 *
 * PERGAMINO_ALLOC_STRIDE=k tries N = 1, 1 + k, 1 + 2k, ... (default 5,
 * which keeps ctest near half a minute; 1 fails every allocation in turn,
 * docs/reliability.md records such a run);
 * PERGAMINO_ALLOC_MAX caps N (default 20000); PERGAMINO_ALLOC_FROM starts
 * there instead of 1; PERGAMINO_ALLOC_TRACE=1 prints a backtrace of each
 * failed allocation (to find the code that mishandled it).
 */
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "harness.h"
#include "pergamino/admin.h"
#include "pergamino/audit.h"
#include "pergamino/db.h"
#include "pergamino/export.h"
#include "pergamino/parse.h"
#include "pergamino/process.h"
#include "pergamino/transfer.h"

/* ---- the fault switch ---- */

static struct {
	pthread_t main; /* the test's thread: never faulted */
	atomic_bool armed;
	atomic_long at;       /* fail the at-th counted allocation */
	atomic_long seen;     /* allocations counted since armed */
	atomic_long injected; /* failures injected since armed */
	bool trace;           /* PERGAMINO_ALLOC_TRACE: print a backtrace */
} fault;

/* Should this allocation fail?  Counts it when armed. */
static bool
fault_fail(void)
{
	if (!atomic_load(&fault.armed) ||
	    pthread_equal(pthread_self(), fault.main))
		return false;
	if (atomic_fetch_add(&fault.seen, 1) + 1 != atomic_load(&fault.at))
		return false;
	atomic_fetch_add(&fault.injected, 1);
	if (fault.trace) {
		void *frames[32];

		/* Where the failed allocation was asked for (-rdynamic). */
		backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
		fputs("----\n", stderr);
	}
	return true;
}

static void
fault_arm(long at)
{
	atomic_store(&fault.seen, 0);
	atomic_store(&fault.injected, 0);
	atomic_store(&fault.at, at);
	atomic_store(&fault.armed, true);
}

static void
fault_disarm(void)
{
	atomic_store(&fault.armed, false);
}

/*
 * The linker's --wrap targets: our code's calls arrive here, and
 * __real_x is the C library's x.
 */
void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t count, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

void *
__wrap_malloc(size_t n)
{
	if (fault_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_malloc(n);
}

void *
__wrap_calloc(size_t count, size_t n)
{
	if (fault_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_calloc(count, n);
}

/* A failed realloc leaves p allocated and unchanged, as the real one. */
void *
__wrap_realloc(void *p, size_t n)
{
	if (fault_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	if (fault_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	if (fault_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_strndup(s, n);
}

/* SQLite: its default methods, behind the switch. */
static sqlite3_mem_methods fault_sqlite_default;

static void *
fault_sqlite_malloc(int n)
{
	return fault_fail() ? NULL : fault_sqlite_default.xMalloc(n);
}

static void *
fault_sqlite_realloc(void *p, int n)
{
	return fault_fail() ? NULL : fault_sqlite_default.xRealloc(p, n);
}

/* Before any use of SQLite; 0 on success. */
static int
fault_install(void)
{
	sqlite3_mem_methods m;

	fault.main = pthread_self();
	fault.trace = getenv("PERGAMINO_ALLOC_TRACE") != NULL;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &fault_sqlite_default) !=
	    SQLITE_OK)
		return -1;
	m = fault_sqlite_default;
	m.xMalloc = fault_sqlite_malloc;
	m.xRealloc = fault_sqlite_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		return -1;
	return 0;
}

/* ---- what the database looks like ---- */

#define SNAP_MAX 96 /* values in a snapshot */

/*
 * Queries whose results must not move when a request fails: the rows of
 * every table, annulled documents, and the numbering.  Filled in setup.
 */
static char *snap_sql[SNAP_MAX];
static size_t snap_count;
static struct db *probe; /* the test's own connection */

struct snapshot {
	int64_t v[SNAP_MAX];
};

static int64_t
probe_int(const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db_handle(probe), sql, -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		fail_msg("probe %s: %s", sql, sqlite3_errmsg(db_handle(probe)));
	sqlite3_finalize(st);
	return v;
}

/* Watch one more query; sql is copied. */
static void
snap_add(const char *sql)
{
	assert_true(snap_count < SNAP_MAX);
	snap_sql[snap_count] = strdup(sql);
	assert_non_null(snap_sql[snap_count]);
	snap_count++;
}

static void
snap_init(void)
{
	static const char tables[] =
	    "SELECT name FROM sqlite_schema WHERE type = 'table'"
	    " AND name NOT LIKE 'sqlite_%' ORDER BY name";
	sqlite3_stmt *st = NULL, *cols = NULL;
	const char *name;
	char sql[256];

	assert_int_equal(
	    sqlite3_prepare_v2(db_handle(probe), tables, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db_handle(probe),
	                     "SELECT count(*) FROM pragma_table_info(?1)"
	                     " WHERE name = 'annulled_at'",
	                     -1, &cols, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 0);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", name);
		snap_add(sql);
		sqlite3_bind_text(cols, 1, name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(cols) == SQLITE_ROW &&
		    sqlite3_column_int(cols, 0) == 1) {
			snprintf(sql, sizeof(sql),
			    "SELECT count(annulled_at) FROM \"%s\"", name);
			snap_add(sql);
		}
		sqlite3_reset(cols);
	}
	sqlite3_finalize(cols);
	sqlite3_finalize(st);
	snap_add("SELECT total(next_number) + total(issued) FROM numbering");
	/* Last: check_success() reads the audit head here. */
	snap_add("SELECT coalesce(max(seq), 0) FROM audit_events");
}

static void
snap_take(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < snap_count; i++)
		s->v[i] = probe_int(snap_sql[i]);
}

/* The first query whose value differs, or NULL. */
static const char *
snap_diff(const struct snapshot *a, const struct snapshot *b)
{
	size_t i;

	for (i = 0; i < snap_count; i++)
		if (a->v[i] != b->v[i])
			return snap_sql[i];
	return NULL;
}

static int64_t
count_of(const char *table)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", table);
	return probe_int(sql);
}

/* ---- the endpoints ---- */

#define JUAN_DNI "08754611" /* organic, EU, on the 2017 LPA (demo) */
#define CARRIER                                                                \
	"\"carrier\":{\"name\":\"Pablo Chacón\",\"doc\":\"10105634205\","     \
	"\"plate\":\"ABW-080\",\"licence\":\"A225639\",\"brand\":\"Volvo\","   \
	"\"mtc\":\"5690\"}"

static struct session s_clerk, s_plant, s_export;
static int64_t juan;         /* producer id */
static unsigned attempt_seq; /* makes every Idempotency-Key distinct */
static unsigned lot_seq;     /* organic lot codes AF-1, AF-2, ... */

/* The document each endpoint consumes, made without faults. */
struct inputs {
	int64_t reception, note, dispatch, receipt, order, lop, lot, shipment;
};
static struct inputs in;

struct endpoint;
typedef void prepare_fn(struct fixture *f, struct endpoint *e);

struct endpoint {
	const char *name;
	struct session *as;  /* NULL: anonymous (login) */
	const char *table;   /* gains one row on success; NULL: none */
	prepare_fn *prepare; /* fill path and body from fresh inputs */
	char path[128];
	char body[1024];
	/* figures */
	long attempts, injected, closed, empty_5xx, problem_5xx;
	long benign, status_5xx[2]; /* 500, 503 */
	long cold_allocs, warm_allocs;
	double seconds;
};

/* One unfaulted write that must succeed; returns the new id. */
static int64_t
make(struct fixture *f, struct session *s, const char *path, const char *body)
{
	struct response r;
	int64_t id;

	session_call(f, s, "POST", path, body, &r);
	if (r.status != 201)
		fail_msg("prepare %s: %ld %s", path, r.status, r.body);
	id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	assert_true(id > 0);
	return id;
}

static void
body_reception(char *out, size_t cap)
{
	snprintf(out, cap,
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-20\","
	    "\"status\":\"organic\",\"sacks\":2,\"gross_kg\":\"120.4\","
	    "\"tare_kg\":\"0.4\",\"humidity\":\"12.0\"}",
	    (long long)juan);
}

static void
body_note(char *out, size_t cap)
{
	snprintf(out, cap,
	    "{\"reception_id\":%lld,\"issued_on\":\"2017-06-20\","
	    "\"price_per_qq\":\"380\"}",
	    (long long)in.reception);
}

static void
body_settlement(char *out, size_t cap)
{
	snprintf(out, cap,
	    "{\"note_id\":%lld,\"issued_on\":\"2017-06-20\","
	    "\"place_of_sale\":\"San Ignacio - Cajamarca\"}",
	    (long long)in.note);
}

static void
body_dispatch(struct fixture *f, char *out, size_t cap)
{
	snprintf(out, cap,
	    "{\"issued_on\":\"2017-06-21\",\"recipient_org_id\":%lld,"
	    "\"reason\":3," CARRIER ",\"lot_code\":\"CO-AF\",\"sacks\":2,"
	    "\"declared_kg\":\"120\",\"note_ids\":[%lld]}",
	    (long long)f->org_b, (long long)in.note);
}

static void
body_receipt(char *out, size_t cap)
{
	snprintf(out, cap,
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-22\","
	    "\"sacks\":2,\"gross_kg\":\"120.5\",\"tare_kg\":\"0.5\","
	    "\"humidity\":\"12.5\"}",
	    (long long)in.dispatch);
}

static void
body_order(struct fixture *f, char *out, size_t cap)
{
	snprintf(out, cap,
	    "{\"issued_on\":\"2017-06-27\",\"plant_org_id\":%lld,"
	    "\"contract\":\"P17500\",\"inputs\":[{\"plant_receipt_id\":%lld,"
	    "\"kilos\":\"120\"}]}",
	    (long long)f->org_b, (long long)in.receipt);
}

static void
body_lop(char *out, size_t cap)
{
	snprintf(out, cap,
	    "{\"process_order_id\":%lld,\"issued_on\":\"2017-06-28\","
	    "\"outputs\":{\"export\":\"100\",\"husk\":\"20\"}}",
	    (long long)in.order);
}

static void
body_lot(char *out, size_t cap)
{
	snprintf(out, cap,
	    "{\"issued_on\":\"2017-06-29\",\"contract\":\"P17500\","
	    "\"organic_lot\":\"AF-%u\",\"sources\":[{"
	    "\"process_settlement_id\":%lld,\"category\":\"export\","
	    "\"kilos\":\"100\"}]}",
	    ++lot_seq, (long long)in.lop);
}

static void
body_shipment(char *out, size_t cap)
{
	snprintf(out, cap,
	    "{\"issued_on\":\"2017-07-10\",\"buyer_name\":\"Importer\","
	    "\"lots\":[{\"export_lot_id\":%lld,\"sacks\":1,"
	    "\"kilos\":\"100\"}]}",
	    (long long)in.lot);
}

/*
 * Fresh inputs, made without faults: each step makes what the next one
 * consumes (a reception for a note, a note for a settlement...).
 */
static void
new_reception(struct fixture *f)
{
	char body[512];

	body_reception(body, sizeof(body));
	in.reception = make(f, &s_clerk, "/api/v1/receptions", body);
}

static void
new_note(struct fixture *f)
{
	char body[512];

	new_reception(f);
	body_note(body, sizeof(body));
	in.note = make(f, &s_clerk, "/api/v1/warehouse-notes", body);
}

static void
new_dispatch(struct fixture *f)
{
	char body[1024];

	new_note(f);
	body_dispatch(f, body, sizeof(body));
	in.dispatch = make(f, &s_clerk, "/api/v1/dispatches", body);
}

static void
new_receipt(struct fixture *f)
{
	char body[512];

	new_dispatch(f);
	body_receipt(body, sizeof(body));
	in.receipt = make(f, &s_plant, "/api/v1/plant-receipts", body);
}

static void
new_order(struct fixture *f)
{
	char body[512];

	new_receipt(f);
	body_order(f, body, sizeof(body));
	in.order = make(f, &s_clerk, "/api/v1/process-orders", body);
}

static void
new_lop(struct fixture *f)
{
	char body[512];

	new_order(f);
	body_lop(body, sizeof(body));
	in.lop = make(f, &s_plant, "/api/v1/process-settlements", body);
}

static void
new_lot(struct fixture *f)
{
	char body[512];

	new_lop(f);
	body_lot(body, sizeof(body));
	in.lot = make(f, &s_export, "/api/v1/export-lots", body);
}

static void
new_shipment(struct fixture *f)
{
	char body[512];

	new_lot(f);
	body_shipment(body, sizeof(body));
	in.shipment = make(f, &s_export, "/api/v1/shipments", body);
}

static void
prep_login(struct fixture *f, struct endpoint *e)
{
	(void)f;
	snprintf(e->path, sizeof(e->path), "/api/v1/session");
	snprintf(e->body, sizeof(e->body),
	    "{\"username\":\"a-clerk\",\"password\":\"%s\"}", TEST_PASSWORD);
}

static void
prep_reception(struct fixture *f, struct endpoint *e)
{
	(void)f;
	snprintf(e->path, sizeof(e->path), "/api/v1/receptions");
	body_reception(e->body, sizeof(e->body));
}

static void
prep_note(struct fixture *f, struct endpoint *e)
{
	new_reception(f);
	snprintf(e->path, sizeof(e->path), "/api/v1/warehouse-notes");
	body_note(e->body, sizeof(e->body));
}

static void
prep_settlement(struct fixture *f, struct endpoint *e)
{
	new_note(f);
	snprintf(e->path, sizeof(e->path), "/api/v1/purchase-settlements");
	body_settlement(e->body, sizeof(e->body));
}

static void
prep_dispatch(struct fixture *f, struct endpoint *e)
{
	new_note(f);
	snprintf(e->path, sizeof(e->path), "/api/v1/dispatches");
	body_dispatch(f, e->body, sizeof(e->body));
}

static void
prep_receipt(struct fixture *f, struct endpoint *e)
{
	new_dispatch(f);
	snprintf(e->path, sizeof(e->path), "/api/v1/plant-receipts");
	body_receipt(e->body, sizeof(e->body));
}

static void
prep_order(struct fixture *f, struct endpoint *e)
{
	new_receipt(f);
	snprintf(e->path, sizeof(e->path), "/api/v1/process-orders");
	body_order(f, e->body, sizeof(e->body));
}

static void
prep_lop(struct fixture *f, struct endpoint *e)
{
	new_order(f);
	snprintf(e->path, sizeof(e->path), "/api/v1/process-settlements");
	body_lop(e->body, sizeof(e->body));
}

static void
prep_lot(struct fixture *f, struct endpoint *e)
{
	new_lop(f);
	snprintf(e->path, sizeof(e->path), "/api/v1/export-lots");
	body_lot(e->body, sizeof(e->body));
}

static void
prep_shipment(struct fixture *f, struct endpoint *e)
{
	new_lot(f);
	snprintf(e->path, sizeof(e->path), "/api/v1/shipments");
	body_shipment(e->body, sizeof(e->body));
}

static void
prep_annul_reception(struct fixture *f, struct endpoint *e)
{
	new_reception(f);
	snprintf(e->path, sizeof(e->path), "/api/v1/receptions/%lld/annul",
	    (long long)in.reception);
	snprintf(e->body, sizeof(e->body), "{\"reason\":\"Error de pesado\"}");
}

static void
prep_annul_shipment(struct fixture *f, struct endpoint *e)
{
	new_shipment(f);
	snprintf(e->path, sizeof(e->path), "/api/v1/shipments/%lld/annul",
	    (long long)in.shipment);
	snprintf(e->body, sizeof(e->body), "{\"reason\":\"BL errado\"}");
}

#define EP(n, who, t, prep)                                                    \
	{                                                                      \
		.name = (n), .as = (who), .table = (t), .prepare = (prep)      \
	}
static struct endpoint endpoints[] = {
	EP("POST /session (login)", NULL, "credentials", prep_login),
	EP("POST /receptions", &s_clerk, "receptions", prep_reception),
	EP("POST /warehouse-notes", &s_clerk, "warehouse_notes", prep_note),
	EP("POST /purchase-settlements", &s_clerk, "purchase_settlements",
	    prep_settlement),
	EP("POST /dispatches", &s_clerk, "dispatches", prep_dispatch),
	EP("POST /plant-receipts", &s_plant, "plant_receipts", prep_receipt),
	EP("POST /process-orders", &s_clerk, "process_orders", prep_order),
	EP("POST /process-settlements", &s_plant, "process_settlements",
	    prep_lop),
	EP("POST /export-lots", &s_export, "export_lots", prep_lot),
	EP("POST /shipments", &s_export, "shipments", prep_shipment),
	EP("POST /receptions/{id}/annul", &s_clerk, NULL, prep_annul_reception),
	EP("POST /shipments/{id}/annul", &s_export, NULL, prep_annul_shipment),
};
#undef EP
#define ENDPOINT_COUNT (sizeof(endpoints) / sizeof(endpoints[0]))

/* ---- the attempt loop ---- */

static long
env_long(const char *name, long def)
{
	const char *v = getenv(name);
	uint64_t n;

	if (v == NULL || parse_uint(v, 1000000, &n) != ERR_OK || n == 0)
		return def;
	return (long)n;
}

/*
 * Same structure, values aside: object keys, array lengths, types (a
 * string where an unfaulted answer has a string), and no text empty on
 * one side only.  An answer built while an allocation failed must not
 * silently lack a part.
 */
static bool
same_shape(json_t *a, json_t *b)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_typeof(a) != json_typeof(b)) {
		/* true and false are one type here */
		return json_is_boolean(a) && json_is_boolean(b);
	}
	/* Text that came out empty (a column or a copy that failed). */
	if (json_is_string(a) &&
	    (json_string_length(a) == 0) != (json_string_length(b) == 0))
		return false;
	if (json_is_object(a)) {
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_foreach(a, key, v)
		{
			if (json_object_get(b, key) == NULL ||
			    !same_shape(v, json_object_get(b, key)))
				return false;
		}
	}
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return false;
		json_array_foreach(a, i, v)
		{
			if (!same_shape(v, json_array_get(b, i)))
				return false;
		}
	}
	return true;
}

/* A failed attempt: its answer, and nothing written. */
static void
check_failure(struct endpoint *e, int rc, struct response *r,
    const struct snapshot *before, long n)
{
	struct snapshot after;
	const char *moved;
	char ct[96];

	snap_take(&after);
	moved = snap_diff(before, &after);
	if (moved != NULL)
		fail_msg("%s, allocation %ld failed: answered %ld but the "
		         "database changed (%s)",
		    e->name, n, r->status, moved);
	if (rc != 0 && r->status == 0) {
		e->closed++; /* connection closed without an answer */
		return;
	}
	if (r->status < 500 || r->status > 599)
		fail_msg("%s, allocation %ld failed: want 5xx, got %ld %s",
		    e->name, n, r->status, r->body);
	if (r->status == 500)
		e->status_5xx[0]++;
	else if (r->status == 503)
		e->status_5xx[1]++;
	if (r->body_len == 0) {
		e->empty_5xx++;
		return;
	}
	response_header(r, "Content-Type", ct, sizeof(ct));
	if (strcmp(ct, "application/problem+json") != 0 || r->json == NULL ||
	    json_integer_value(json_object_get(r->json, "status")) !=
	        r->status ||
	    strcmp(response_code(r), "internal") != 0)
		fail_msg("%s, allocation %ld failed: not a problem+json 5xx: "
		         "%s %s",
		    e->name, n, ct, r->body);
	e->problem_5xx++;
}

/* A successful attempt wrote one document and one audit event. */
static void
check_success(struct endpoint *e, struct response *r,
    const struct snapshot *before, long n)
{
	struct snapshot after;

	if (r->status < 200 || r->status > 299 || r->json == NULL)
		fail_msg("%s, attempt %ld (%s): want 2xx with JSON, got %ld "
		         "%s",
		    e->name, n,
		    atomic_load(&fault.injected) ? "survived a failure"
		                                 : "no failure",
		    r->status, r->body);
	snap_take(&after);
	/* The last snapshot value is the audit head (snap_init). */
	if (after.v[snap_count - 1] != before->v[snap_count - 1] + 1)
		fail_msg("%s: want one audit event, got %lld", e->name,
		    (long long)(after.v[snap_count - 1] -
		        before->v[snap_count - 1]));
}

/*
 * One pass: N = 1, 1 + stride, ... until an attempt makes fewer than N
 * allocations; returns the allocations of that last, unfaulted attempt.
 * *ref receives its answer (a new reference) for the shape checks.
 */
static long
run_pass(struct fixture *f, struct endpoint *e, json_t *benign, json_t **ref)
{
	long stride = env_long("PERGAMINO_ALLOC_STRIDE", 5);
	long cap = env_long("PERGAMINO_ALLOC_MAX", 20000);
	struct snapshot before;
	struct response r;
	char key[64];
	int64_t rows = 0;
	long n, seen;
	int rc;

	for (n = env_long("PERGAMINO_ALLOC_FROM", 1); n <= cap; n += stride) {
		snap_take(&before);
		if (e->table != NULL)
			rows = count_of(e->table);
		snprintf(
		    key, sizeof(key), "Idempotency-Key: af-%u", ++attempt_seq);
		fault_arm(n);
		rc =
		    session_call_h(f, e->as, "POST", e->path, e->body, key, &r);
		fault_disarm();
		seen = atomic_load(&fault.seen);
		e->attempts++;
		if (atomic_load(&fault.injected) == 0) {
			/* Fewer than n allocations: faults stopped. */
			check_success(e, &r, &before, n);
			if (e->table != NULL)
				assert_int_equal(count_of(e->table), rows + 1);
			*ref = json_incref(r.json);
			response_free(&r);
			return seen;
		}
		e->injected++;
		if (r.status >= 200 && r.status <= 299) {
			/*
			 * It survived the failure: it must be a whole write
			 * with a whole answer, and it used up its input.
			 */
			check_success(e, &r, &before, n);
			if (e->table != NULL)
				assert_int_equal(count_of(e->table), rows + 1);
			json_array_append(benign, r.json);
			e->benign++;
			response_free(&r);
			e->prepare(f, e);
			continue;
		}
		check_failure(e, rc, &r, &before, n);
		response_free(&r);
	}
	fail_msg("%s: still failing at allocation %ld (PERGAMINO_ALLOC_MAX)",
	    e->name, cap);
	return 0;
}

static void
run_endpoint(struct fixture *f, struct endpoint *e)
{
	struct timespec t0, t1;
	json_t *benign = json_array(), *ref = NULL, *v;
	size_t i;

	assert_non_null(benign);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	e->prepare(f, e);
	e->cold_allocs = run_pass(f, e, benign, &ref);
	json_decref(ref);
	/* Warm: every statement this endpoint needs is prepared now. */
	e->prepare(f, e);
	e->warm_allocs = run_pass(f, e, benign, &ref);
	json_array_foreach(benign, i, v)
	{
		if (!same_shape(v, ref))
			fail_msg("%s: an answer that survived an allocation "
			         "failure lacks parts: %s",
			    e->name, json_dumps(v, JSON_COMPACT));
	}
	json_decref(ref);
	json_decref(benign);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	e->seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%-30s %5ld attempts %5ld faults: %5ld problem+json 5xx, "
	       "%ld empty 5xx, %ld closed, %ld survived; allocations per "
	       "request %ld cold, %ld warm; %.1f s\n",
	    e->name, e->attempts, e->injected, e->problem_5xx, e->empty_5xx,
	    e->closed, e->benign, e->cold_allocs, e->warm_allocs, e->seconds);
	fflush(stdout);
}

/* ---- fixture and tests ---- */

static int
setup(void **state)
{
	struct fixture *f;

	if (harness_setup(state) != 0)
		return -1;
	f = *state;
	/* The guide's whole story: registry, LPA, ICO numbering, lots. */
	if (harness_seed_story(f, HARNESS_STORY_EXPORT) != 0)
		return -1;
	/* One worker thread: every run makes the same allocations. */
	f->cfg.threads = 1;
	if (harness_restart(f) != 0 || harness_db(f, &probe) != 0)
		return -1;
	snap_init();
	juan = probe_int("SELECT id FROM producers WHERE dni = '" JUAN_DNI "'");
	if (session_login(f, "a-clerk", TEST_PASSWORD, &s_clerk) != 200 ||
	    session_login(f, "b-clerk", TEST_PASSWORD, &s_plant) != 200 ||
	    session_login(f, "a-export", TEST_PASSWORD, &s_export) != 200)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	db_close(probe);
	probe = NULL;
	for (i = 0; i < snap_count; i++)
		free(snap_sql[i]);
	snap_count = 0;
	return harness_teardown(state);
}

static void
test_each_write_endpoint_survives_every_allocation_failure(void **state)
{
	struct fixture *f = *state;
	long faults = 0;
	size_t i;

	for (i = 0; i < ENDPOINT_COUNT; i++) {
		run_endpoint(f, &endpoints[i]);
		faults += endpoints[i].injected;
	}
	printf("%zu endpoints, %ld injected allocation failures\n",
	    ENDPOINT_COUNT, faults);
	assert_true(faults > 0);
}

/* Whatever failed, the file and the audit chain are whole. */
static void
test_database_and_audit_chain_whole(void **state)
{
	struct audit_verify_result v;
	sqlite3_stmt *st = NULL;

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(db_handle(probe),
	                     "PRAGMA integrity_check", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db_handle(probe),
	                     "PRAGMA foreign_key_check", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(audit_verify(probe, &v), ERR_OK);
	assert_true(v.ok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_each_write_endpoint_survives_every_allocation_failure),
		cmocka_unit_test(test_database_and_audit_chain_whole),
	};

	if (fault_install() != 0) {
		fprintf(stderr, "cannot install the allocation hooks\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
