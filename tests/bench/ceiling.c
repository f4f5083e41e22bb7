/*
 * The ceiling Pergamino is measured against (docs/performance.md): the
 * same libraries and nothing else.  libmicrohttpd in the server's mode
 * (internal polling thread, epoll thread pool, keep-alive, the answer
 * queued on a later call of the access handler), one SQLite connection
 * per worker thread with the server's pragmas, prepared statements kept
 * per connection, and Jansson answers.  No router, sessions, policy,
 * audit, idempotency or logging.
 *
 *   ceiling serve DB [PORT [THREADS]]
 *	GET  /pk/{id}                      one reception by primary key
 *	GET  /page/{limit}                 the newest receptions, one page
 *	GET  /trace/{kind}/{id}/{viewer}   the product's trace SQL, raw
 *	GET  /tracesql/{kind}/{id}/{viewer} the same SQL only, no JSON
 *	POST /write                        one-row BEGIN IMMEDIATE..COMMIT
 *   ceiling commits DIR SECONDS CLIENTS
 *	the raw durable commit rate: CLIENTS threads, each its own
 *	connection, one-row BEGIN IMMEDIATE; INSERT; COMMIT in a loop on
 *	DIR/commits.db (WAL, synchronous FULL) for SECONDS.
 *
 * The trace endpoint runs the statements of src/db/trace_store.c (their
 * text comes from trace_store_*_sql(); nothing else of the product
 * runs): the visibility check, the path query, and each document's node
 * query once; it answers {"paths": [[columns...]], "nodes": {...}} with
 * the nodes parsed from SQLite's JSON text, as the product must.  That is
 * the floor under any trace answer built from this SQL with Jansson.
 * /tracesql runs the same statements (each document's node query once
 * per distinct id, every column of every row read) and answers only
 * {"rows": n}: the floor of the SQL alone, whatever builds the answer.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sqlite3.h>

#include "pergamino/parse.h"
#include "pergamino/trace.h"

#define CEIL_PAGE_MAX 200
#define CEIL_BUSY_MS 5000
#define CEIL_PATH_INT_COLS 22 /* integer columns of the path query */
#define CEIL_PATH_CATEGORY 22 /* its category column */
#define CEIL_PATH_JSON 23     /* its first JSON node column */

static const char *ceil_db_path;

static const char *const ceil_pragmas[] = {
	"PRAGMA journal_mode = WAL",
	"PRAGMA synchronous = FULL",
	"PRAGMA foreign_keys = ON",
	"PRAGMA temp_store = MEMORY",
	"PRAGMA mmap_size = 4294967296",
	"PRAGMA cache_size = -16384",
	NULL,
};

/* clang-format off */
static const char sql_pk[] = "SELECT id, organization_id, number, series,"
    " issued_on, campaign, producer_id, plot_id, sacks, gross_g, net_g,"
    " humidity, status, delivery_code FROM receptions WHERE id = ?1";
static const char sql_page[] = "SELECT id, organization_id, number, series,"
    " issued_on, campaign, producer_id, plot_id, sacks, gross_g, net_g,"
    " humidity, status, delivery_code FROM receptions ORDER BY id DESC"
    " LIMIT ?1";
static const char sql_write[] = "INSERT INTO ceiling_writes (at, body)"
    " VALUES (?1, ?2)";
/* clang-format on */

/* One worker thread's connection and its statements, made on first use. */
struct ceil_conn {
	sqlite3 *h;
	sqlite3_stmt *pk, *page, *write, *begin, *commit;
	sqlite3_stmt *seen[TRACE_KIND_COUNT], *paths[TRACE_KIND_COUNT];
	sqlite3_stmt *node[TN_COUNT];
};

static _Thread_local struct ceil_conn *ceil_tl;

static sqlite3 *
ceil_open(const char *path)
{
	sqlite3 *h = NULL;
	size_t i;

	if (sqlite3_open_v2(path, &h,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	            SQLITE_OPEN_NOMUTEX,
	        NULL) != SQLITE_OK) {
		fprintf(stderr, "ceiling: open %s: %s\n", path,
		    h != NULL ? sqlite3_errmsg(h) : "no memory");
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, CEIL_BUSY_MS);
	for (i = 0; ceil_pragmas[i] != NULL; i++) {
		if (sqlite3_exec(h, ceil_pragmas[i], NULL, NULL, NULL) !=
		    SQLITE_OK) {
			fprintf(stderr, "ceiling: %s: %s\n", ceil_pragmas[i],
			    sqlite3_errmsg(h));
			sqlite3_close(h);
			return NULL;
		}
	}
	return h;
}

static int
ceil_prepare(sqlite3 *h, const char *sql, sqlite3_stmt **out)
{
	if (sql == NULL) {
		*out = NULL;
		return 0;
	}
	if (sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, out,
	        NULL) != SQLITE_OK) {
		fprintf(stderr, "ceiling: prepare: %s\n", sqlite3_errmsg(h));
		return -1;
	}
	return 0;
}

/* The calling thread's connection; NULL on failure (logged). */
static struct ceil_conn *
ceil_conn(void)
{
	struct ceil_conn *c = ceil_tl;
	int k, bad = 0;

	if (c != NULL)
		return c;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->h = ceil_open(ceil_db_path);
	if (c->h == NULL) {
		free(c);
		return NULL;
	}
	bad |= ceil_prepare(c->h, sql_pk, &c->pk);
	bad |= ceil_prepare(c->h, sql_page, &c->page);
	bad |= ceil_prepare(c->h, sql_write, &c->write);
	bad |= ceil_prepare(c->h, "BEGIN IMMEDIATE", &c->begin);
	bad |= ceil_prepare(c->h, "COMMIT", &c->commit);
	for (k = 0; k < TRACE_KIND_COUNT; k++) {
		bad |= ceil_prepare(c->h,
		    trace_store_seen_sql((enum trace_kind)k), &c->seen[k]);
		bad |= ceil_prepare(c->h,
		    trace_store_paths_sql((enum trace_kind)k), &c->paths[k]);
	}
	for (k = 0; k < TN_COUNT; k++)
		bad |= ceil_prepare(c->h,
		    trace_store_node_sql((enum trace_node)k), &c->node[k]);
	if (bad) {
		/* The worker threads live as long as the process. */
		sqlite3_close_v2(c->h);
		free(c);
		return NULL;
	}
	ceil_tl = c;
	return c;
}

/* One row of the reception columns of sql_pk / sql_page: new object. */
static json_t *
ceil_reception(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I,"
	                 " s:I, s:I, s:s, s:s}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0), "organization_id",
	    (json_int_t)sqlite3_column_int64(st, 1), "number",
	    (json_int_t)sqlite3_column_int64(st, 2), "series",
	    (const char *)sqlite3_column_text(st, 3), "issued_on",
	    (const char *)sqlite3_column_text(st, 4), "campaign",
	    (json_int_t)sqlite3_column_int64(st, 5), "producer_id",
	    (json_int_t)sqlite3_column_int64(st, 6), "plot_id",
	    (json_int_t)sqlite3_column_int64(st, 7), "sacks",
	    (json_int_t)sqlite3_column_int64(st, 8), "gross_g",
	    (json_int_t)sqlite3_column_int64(st, 9), "net_g",
	    (json_int_t)sqlite3_column_int64(st, 10), "humidity",
	    (json_int_t)sqlite3_column_int64(st, 11), "status",
	    (const char *)sqlite3_column_text(st, 12), "delivery_code",
	    (const char *)sqlite3_column_text(st, 13));
}

static unsigned
ceil_pk(struct ceil_conn *c, int64_t id, json_t **out)
{
	unsigned status = 404;

	sqlite3_bind_int64(c->pk, 1, id);
	if (sqlite3_step(c->pk) == SQLITE_ROW) {
		*out = ceil_reception(c->pk);
		status = 200;
	}
	sqlite3_reset(c->pk);
	return status;
}

static unsigned
ceil_page(struct ceil_conn *c, int64_t limit, json_t **out)
{
	json_t *items = json_array();

	sqlite3_bind_int64(c->page, 1, limit);
	while (sqlite3_step(c->page) == SQLITE_ROW)
		json_array_append_new(items, ceil_reception(c->page));
	sqlite3_reset(c->page);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 200;
}

/* Keep the JSON text of column col as nodes[key] unless already there. */
static int
ceil_keep(json_t *nodes, int64_t id, sqlite3_stmt *st, int col)
{
	char key[24];
	json_t *node;

	if (id <= 0 || sqlite3_column_type(st, col) == SQLITE_NULL)
		return 0;
	snprintf(key, sizeof(key), "%lld", (long long)id);
	if (json_object_get(nodes, key) != NULL)
		return 0;
	node = json_loadb((const char *)sqlite3_column_text(st, col),
	    (size_t)sqlite3_column_bytes(st, col), 0, NULL);
	if (node == NULL)
		return -1;
	return json_object_set_new(nodes, key, node);
}

/* Run node query k for id unless nodes[k] has it. */
static int
ceil_fetch(struct ceil_conn *c, json_t *nodes, enum trace_node k, int64_t id)
{
	char key[24];
	int rc = 0;

	if (id <= 0 || c->node[k] == NULL)
		return 0;
	snprintf(key, sizeof(key), "%lld", (long long)id);
	if (json_object_get(nodes, key) != NULL)
		return 0;
	sqlite3_bind_int64(c->node[k], 1, id);
	if (sqlite3_step(c->node[k]) == SQLITE_ROW)
		rc = ceil_keep(nodes, id, c->node[k], 0);
	sqlite3_reset(c->node[k]);
	return rc;
}

/* Path-query columns that name each node kind (enum ts_col's order). */
static const int ceil_node_col[TN_COUNT] = {
	[TN_RECEPTION] = 0,
	[TN_NOTE] = 5,
	[TN_SETTLEMENT] = 6,
	[TN_PRODUCER] = 3,
	[TN_PLOT] = 4,
	[TN_DISPATCH] = 7,
	[TN_RECEIPT] = 9,
	[TN_ORDER] = 11,
	[TN_LOP] = 14,
	[TN_LOT] = 18,
	[TN_SHIPMENT] = -1,
};

/* One path row: its columns, and the nodes it names. */
static int
ceil_path_row(struct ceil_conn *c, sqlite3_stmt *st, json_t *paths,
    json_t *const nodes[TN_COUNT])
{
	json_t *row = json_array(), *lot, *sh;
	char key[24];
	int64_t id;
	size_t i;
	int k, rc = 0;

	if (row == NULL || json_array_append_new(paths, row) != 0)
		return -1;
	for (i = 0; i < CEIL_PATH_INT_COLS; i++)
		json_array_append_new(
		    row, json_integer(sqlite3_column_int64(st, (int)i)));
	json_array_append_new(row,
	    json_string(
	        (const char *)sqlite3_column_text(st, CEIL_PATH_CATEGORY)));
	for (k = 0; rc == 0 && k <= TN_PLOT; k++)
		rc = ceil_keep(nodes[k],
		    sqlite3_column_int64(st, ceil_node_col[k]), st,
		    CEIL_PATH_JSON + k);
	for (k = TN_DISPATCH; rc == 0 && k <= TN_LOT; k++)
		rc = ceil_fetch(c, nodes[k], (enum trace_node)k,
		    sqlite3_column_int64(st, ceil_node_col[k]));
	id = sqlite3_column_int64(st, ceil_node_col[TN_LOT]);
	if (rc != 0 || id <= 0)
		return rc;
	snprintf(key, sizeof(key), "%lld", (long long)id);
	lot = json_object_get(nodes[TN_LOT], key);
	json_array_foreach(json_object_get(lot, "shipments"), i, sh)
	{
		rc = ceil_fetch(c, nodes[TN_SHIPMENT], TN_SHIPMENT,
		    json_integer_value(json_object_get(sh, "shipment_id")));
		if (rc != 0)
			break;
	}
	return rc;
}

/*
 * The visibility check of kind for viewer; when the document is in
 * sight, the path statement bound and ready to step.
 */
static bool
ceil_trace_start(
    struct ceil_conn *c, enum trace_kind kind, int64_t id, int64_t viewer)
{
	sqlite3_stmt *seen = c->seen[kind], *st = c->paths[kind];
	int step;

	sqlite3_bind_int64(seen, 1, viewer);
	sqlite3_bind_int64(seen, 2, id);
	step = sqlite3_step(seen);
	sqlite3_reset(seen);
	if (step != SQLITE_ROW)
		return false;
	sqlite3_bind_int64(st, 1, viewer);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, kind == TRACE_SHIPMENT ? id : 0);
	return true;
}

static unsigned
ceil_trace(struct ceil_conn *c, enum trace_kind kind, int64_t id,
    int64_t viewer, json_t **out)
{
	static const char *const names[TN_COUNT] = { "receptions", "notes",
		"settlements", "producers", "plots", "dispatches", "receipts",
		"orders", "lops", "lots", "shipments" };
	sqlite3_stmt *st = c->paths[kind];
	json_t *doc, *paths, *all, *nodes[TN_COUNT];
	int k, step, rc = 0;

	if (!ceil_trace_start(c, kind, id, viewer))
		return 404;
	paths = json_array();
	all = json_object();
	doc = json_pack("{s:o, s:o}", "paths", paths, "nodes", all);
	for (k = 0; k < TN_COUNT; k++) {
		nodes[k] = json_object();
		json_object_set_new(all, names[k], nodes[k]);
	}
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = ceil_path_row(c, st, paths, nodes);
	sqlite3_reset(st);
	if (rc == 0 && kind == TRACE_EXPORT_LOT)
		rc = ceil_fetch(c, nodes[TN_LOT], TN_LOT, id);
	if (rc != 0 || step != SQLITE_DONE) {
		json_decref(doc);
		return 500;
	}
	*out = doc;
	return 200;
}

/* Has ids[0..*n) id?  If not, add it (up to max; past it, refetch). */
static bool
ceil_seen_id(int64_t *ids, size_t *n, size_t max, int64_t id)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (ids[i] == id)
			return true;
	if (*n < max)
		ids[(*n)++] = id;
	return false;
}

/* The SQL of ceil_trace() alone: every column read, no JSON built. */
static unsigned
ceil_trace_sql(struct ceil_conn *c, enum trace_kind kind, int64_t id,
    int64_t viewer, json_t **out)
{
	enum { CEIL_IDS = 256 };
	static __thread int64_t ids[TN_COUNT][CEIL_IDS];
	static __thread size_t nids[TN_COUNT];
	sqlite3_stmt *st = c->paths[kind], *node;
	int64_t rows = 0, nid;
	size_t bytes = 0;
	int k, col, step;

	if (!ceil_trace_start(c, kind, id, viewer))
		return 404;
	memset(nids, 0, sizeof(nids));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		for (col = 0; col < sqlite3_column_count(st); col++)
			bytes += (size_t)sqlite3_column_bytes(st, col);
		for (k = TN_DISPATCH; k <= TN_LOT; k++) {
			nid = sqlite3_column_int64(st, ceil_node_col[k]);
			node = c->node[k];
			if (nid <= 0 ||
			    ceil_seen_id(ids[k], &nids[k], CEIL_IDS, nid))
				continue;
			sqlite3_bind_int64(node, 1, nid);
			if (sqlite3_step(node) == SQLITE_ROW)
				bytes += (size_t)sqlite3_column_bytes(node, 0);
			sqlite3_reset(node);
		}
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return 500;
	*out = json_pack(
	    "{s:I, s:I}", "rows", (json_int_t)rows, "bytes", (json_int_t)bytes);
	return *out != NULL ? 200 : 500;
}

static unsigned
ceil_write(struct ceil_conn *c, const char *body, size_t len)
{
	int ok;

	if (sqlite3_step(c->begin) != SQLITE_DONE) {
		sqlite3_reset(c->begin);
		return 503;
	}
	sqlite3_reset(c->begin);
	sqlite3_bind_int64(c->write, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(c->write, 2, body, (int)len, SQLITE_STATIC);
	ok = sqlite3_step(c->write) == SQLITE_DONE;
	sqlite3_reset(c->write);
	sqlite3_clear_bindings(c->write);
	if (!ok) {
		sqlite3_exec(c->h, "ROLLBACK", NULL, NULL, NULL);
		return 500;
	}
	ok = sqlite3_step(c->commit) == SQLITE_DONE;
	sqlite3_reset(c->commit);
	if (!ok) {
		sqlite3_exec(c->h, "ROLLBACK", NULL, NULL, NULL);
		return 500;
	}
	return 201;
}

/* A decimal id in [1, max] ending at '/' or the end; -1 if not one. */
static int64_t
ceil_num(const char **p, int64_t max)
{
	int64_t v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		if (v > (max - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	if (*s != '\0' && *s != '/')
		return -1;
	*p = *s == '/' ? s + 1 : s;
	return v;
}

static unsigned
ceil_route(const char *method, const char *url, const char *body,
    size_t body_len, json_t **out)
{
	struct ceil_conn *c = ceil_conn();
	enum trace_kind kind;
	char seg[32];
	const char *p;
	int64_t id, viewer;
	size_t n;

	if (c == NULL)
		return 500;
	if (strcmp(method, "POST") == 0)
		return strcmp(url, "/write") == 0
		    ? ceil_write(c, body, body_len)
		    : 404;
	if (strncmp(url, "/pk/", 4) == 0) {
		p = url + 4;
		id = ceil_num(&p, INT64_MAX);
		return id > 0 ? ceil_pk(c, id, out) : 404;
	}
	if (strncmp(url, "/page/", 6) == 0) {
		p = url + 6;
		id = ceil_num(&p, CEIL_PAGE_MAX);
		return id > 0 ? ceil_page(c, id, out) : 404;
	}
	if (strncmp(url, "/trace/", 7) == 0)
		p = url + 7;
	else if (strncmp(url, "/tracesql/", 10) == 0)
		p = url + 10;
	else
		return 404;
	n = strcspn(p, "/");
	if (n >= sizeof(seg) || p[n] != '/')
		return 404;
	memcpy(seg, p, n);
	seg[n] = '\0';
	p += n + 1;
	if (!trace_kind_parse(seg, &kind))
		return 404;
	id = ceil_num(&p, INT64_MAX);
	viewer = id > 0 ? ceil_num(&p, INT64_MAX) : -1;
	if (viewer <= 0)
		return 404;
	if (url[6] == 's')
		return ceil_trace_sql(c, kind, id, viewer, out);
	return ceil_trace(c, kind, id, viewer, out);
}

/* Per request: the body (capped) until the last call. */
struct ceil_req {
	char body[4096];
	size_t len;
};

static enum MHD_Result
ceil_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct ceil_req *r = *con_cls;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	json_t *doc = NULL;
	unsigned status;
	size_t n;
	char *text;

	(void)cls;
	(void)version;
	if (r == NULL) {
		/* Answering on this first call would drop keep-alive. */
		r = calloc(1, sizeof(*r));
		*con_cls = r;
		return r != NULL ? MHD_YES : MHD_NO;
	}
	if (*upload_data_size != 0) {
		n = *upload_data_size;
		if (n > sizeof(r->body) - r->len)
			n = sizeof(r->body) - r->len;
		memcpy(r->body + r->len, upload_data, n);
		r->len += n;
		*upload_data_size = 0;
		return MHD_YES;
	}
	status = ceil_route(method, url, r->body, r->len, &doc);
	text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	resp = MHD_create_response_from_buffer(text != NULL ? strlen(text) : 0,
	    text != NULL ? text : (char *)"",
	    text != NULL ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(
	    resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
ceil_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static int
ceil_serve(const char *db, unsigned port, unsigned threads)
{
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sqlite3 *h;
	sigset_t set;
	int sig;

	ceil_db_path = db;
	/* As the server does (src/db/db.c): no global allocation mutex. */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	h = ceil_open(db);
	if (h == NULL)
		return 1;
	if (sqlite3_exec(h,
	        "CREATE TABLE IF NOT EXISTS ceiling_writes (id INTEGER PRIMARY"
	        " KEY, at INTEGER NOT NULL, body TEXT NOT NULL)",
	        NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "ceiling: %s\n", sqlite3_errmsg(h));
		sqlite3_close(h);
		return 1;
	}
	sqlite3_close(h);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	json_object_seed(0);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	        MHD_USE_ITC | MHD_USE_ERROR_LOG,
	    (uint16_t)port, NULL, NULL, ceil_access, NULL,
	    MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
	    1000u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_NOTIFY_COMPLETED, ceil_completed, NULL, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "ceiling: cannot listen on %u\n", port);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening http://127.0.0.1:%u\n",
	    info != NULL ? info->port : port);
	fflush(stdout);
	do
		sig = 0, sigwait(&set, &sig);
	while (sig != SIGINT && sig != SIGTERM);
	MHD_stop_daemon(d);
	return 0;
}

/* ---- raw commits ---- */

struct ceil_commits {
	const char *path;
	double deadline; /* CLOCK_MONOTONIC seconds */
	long count;      /* this thread's commits */
	int failed;
};

static double
ceil_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
ceil_committer(void *arg)
{
	struct ceil_commits *w = arg;
	sqlite3_stmt *begin = NULL, *ins = NULL, *commit = NULL;
	sqlite3 *h = ceil_open(w->path);

	if (h == NULL || ceil_prepare(h, "BEGIN IMMEDIATE", &begin) ||
	    ceil_prepare(h, sql_write, &ins) ||
	    ceil_prepare(h, "COMMIT", &commit)) {
		w->failed = 1;
		goto out;
	}
	while (ceil_now() < w->deadline) {
		if (sqlite3_step(begin) != SQLITE_DONE) {
			sqlite3_reset(begin);
			continue; /* busy beyond the timeout: try again */
		}
		sqlite3_reset(begin);
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)w->count);
		sqlite3_bind_text(ins, 2,
		    "{\"producer_id\":101,\"sacks\":1,\"gross_kg\":\"50.5\"}",
		    -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE ||
		    sqlite3_step(commit) != SQLITE_DONE) {
			fprintf(
			    stderr, "ceiling: commit: %s\n", sqlite3_errmsg(h));
			w->failed = 1;
			break;
		}
		sqlite3_reset(ins);
		sqlite3_reset(commit);
		w->count++;
	}
out:
	sqlite3_finalize(begin);
	sqlite3_finalize(ins);
	sqlite3_finalize(commit);
	sqlite3_close(h);
	return NULL;
}

static int
ceil_commit_rate(const char *dir, unsigned seconds, unsigned clients)
{
	struct ceil_commits *w;
	pthread_t *tid;
	char path[4096];
	double t0, t1;
	long total = 0;
	unsigned i;
	sqlite3 *h;
	int failed = 0;

	snprintf(path, sizeof(path), "%s/commits.db", dir);
	h = ceil_open(path);
	if (h == NULL ||
	    sqlite3_exec(h,
	        "CREATE TABLE IF NOT EXISTS ceiling_writes (id INTEGER PRIMARY"
	        " KEY, at INTEGER NOT NULL, body TEXT NOT NULL)",
	        NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "ceiling: cannot create %s\n", path);
		sqlite3_close(h);
		return 1;
	}
	w = calloc(clients, sizeof(*w));
	tid = calloc(clients, sizeof(*tid));
	if (w == NULL || tid == NULL) {
		sqlite3_close(h);
		return 1;
	}
	t0 = ceil_now();
	for (i = 0; i < clients; i++) {
		w[i].path = path;
		w[i].deadline = t0 + seconds;
		if (pthread_create(&tid[i], NULL, ceil_committer, &w[i]) != 0)
			return 1;
	}
	for (i = 0; i < clients; i++) {
		pthread_join(tid[i], NULL);
		total += w[i].count;
		failed |= w[i].failed;
	}
	t1 = ceil_now();
	printf("RESULT commits=%ld seconds=%.2f rate=%.1f clients=%u\n", total,
	    t1 - t0, (double)total / (t1 - t0), clients);
	sqlite3_close(h);
	free(w);
	free(tid);
	return failed;
}

static unsigned
ceil_arg(const char *s, unsigned dflt)
{
	uint64_t v;

	if (s == NULL)
		return dflt;
	if (parse_uint(s, 65535, &v) != ERR_OK) {
		fprintf(stderr, "ceiling: bad number %s\n", s);
		exit(2);
	}
	return (unsigned)v;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "serve") == 0)
		return ceil_serve(argv[2],
		    ceil_arg(argc > 3 ? argv[3] : NULL, 0),
		    ceil_arg(argc > 4 ? argv[4] : NULL, 2));
	if (argc == 5 && strcmp(argv[1], "commits") == 0)
		return ceil_commit_rate(
		    argv[2], ceil_arg(argv[3], 10), ceil_arg(argv[4], 1));
	fprintf(stderr,
	    "usage: ceiling serve DB [PORT [THREADS]]\n"
	    "       ceiling commits DIR SECONDS CLIENTS\n");
	return 2;
}
