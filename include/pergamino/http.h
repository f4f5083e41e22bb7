/*
 * The HTTP layer: server lifecycle, the per-request struct handlers work
 * on, the route entry, and the helpers handlers use to read input and
 * answer.  Only src/http/ touches libmicrohttpd; handlers never write
 * HTTP themselves.
 */
#ifndef PERGAMINO_HTTP_H
#define PERGAMINO_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "pergamino/db.h"
#include "pergamino/err.h"
#include "pergamino/policy.h"

#define HTTP_BODY_MAX_DEFAULT (1024 * 1024) /* bytes */
#define REQUEST_PARAMS_MAX 4
#define REQUEST_ID_LEN 16 /* hex chars */

struct server;
struct request;

typedef enum err (*handler_fn)(struct request *req);
/* Work run on an offload thread: must not touch req->db or MHD. */
typedef void (*offload_fn)(struct request *req);

/* Route flags. */
#define ROUTE_OWN_TX 0x1u /* a write that manages its own transactions */
#define ROUTE_SECRET 0x2u /* answer shows a secret once: never replayed */

struct route {
	const char *method;  /* "GET", "POST", "PATCH", "DELETE" */
	const char *pattern; /* "/api/v1/users/{id}" */
	handler_fn handler;
	enum perm perm; /* who may call it: checked before the handler */
	unsigned flags;
};

/*
 * A directory served read-only under a URL prefix, beside the web root:
 * Debian's Leaflet at /vendor/leaflet/.  Same path checks, MIME map and
 * ETags as the web root; no SPA fallback.
 */
struct static_mount {
	const char *prefix; /* "/vendor/leaflet/": starts and ends with '/' */
	const char *root;   /* directory; NULL: the mount answers 404 */
};

#define SERVER_MOUNTS_MAX 4

struct server_config {
	const char *bind;        /* address; NULL: 127.0.0.1 */
	unsigned port;           /* 0: the kernel picks */
	const char *db_path;     /* SQLite file */
	const char *web_root;    /* static files; NULL: none */
	unsigned threads;        /* 0: number of CPUs */
	size_t body_max;         /* bytes; 0: HTTP_BODY_MAX_DEFAULT */
	unsigned conn_limit;     /* 0: 1000 */
	unsigned per_ip_limit;   /* 0: 100 */
	unsigned timeout_s;      /* idle connection timeout; 0: 30 */
	size_t conn_memory;      /* per-connection memory; 0: 64 KiB */
	bool trust_proxy;        /* honour X-Forwarded-For / -Proto */
	bool secure_cookies;     /* always mark cookies Secure (TLS in front) */
	unsigned session_idle_s; /* 0: 2 hours */
	unsigned session_absolute_s; /* 0: 12 hours */
	const char *audit_key; /* signing key file; NULL: <db>.audit-key */
	/* more static directories; unused entries have a NULL prefix */
	struct static_mount mounts[SERVER_MOUNTS_MAX];
};

/*
 * Start listening.  The database at cfg->db_path must be migrated.
 * *out is NULL on failure.  cfg strings must outlive the server.
 */
enum err server_start(const struct server_config *cfg, struct server **out);
/* Stop accepting, let in-flight requests finish (bounded), stop. */
void server_stop(struct server *srv);
unsigned server_port(const struct server *srv);
const struct server_config *server_config(const struct server *srv);
/* Seconds since start. */
int64_t server_uptime(const struct server *srv);
/*
 * Run work(req) on one of the server's offload threads (one per CPU) and
 * then next(req) on the request's worker thread, which answers.  For work
 * that would otherwise hold a worker thread and every connection it
 * serves (argon2id: ~100 ms and 64 MiB a login).  Only from a GET or
 * ROUTE_OWN_TX handler, outside any transaction; on ERR_OK the handler
 * returns ERR_OK at once without answering.  ERR_BUSY (503, Retry-After:
 * 1) when SERVER_OFFLOAD_WAITING per thread are already waiting: a storm
 * is refused at once instead of queueing.
 */
enum err server_offload(struct request *req, offload_fn work, handler_fn next);

/* The request as handlers see it.  Owned by the server; never freed by
 * handlers. */
struct request {
	struct server *srv; /* borrowed */
	struct db *db;      /* borrowed: this worker thread's connection */
	void *conn;         /* borrowed: struct MHD_Connection */
	const char *method; /* borrowed from MHD */
	const char *path;   /* borrowed from MHD, unescaped, no query */
	const struct route *route;
	const char *params[REQUEST_PARAMS_MAX]; /* into param_buf */
	size_t param_count;
	char *param_buf; /* owned */

	char *body; /* owned, NUL-terminated; NULL when there is none */
	size_t body_len;
	size_t body_cap;
	bool body_too_large;
	enum err early; /* refusal decided from the headers alone */

	struct principal who;
	char client_ip[64];
	char request_id[REQUEST_ID_LEN + 1];
	struct timespec started;
	int64_t now; /* Unix seconds when the request arrived */

	/* The answer. */
	unsigned status;
	char *resp_body; /* owned */
	size_t resp_len;
	const char *content_type; /* string literal */
	int resp_fd;              /* static file; -1: none */
	uint64_t resp_fd_len;
	bool immutable;       /* static asset: long cache lifetime */
	bool commit_later;    /* fault build only: commit after answering */
	bool gzip;            /* body is gzip-encoded */
	char script_hash[64]; /* "'sha256-...'": an inline script the CSP
	                         allows (index.html's import map); "" none */
	struct msg detail;    /* reason for an error answer */
	json_t *errors;       /* owned: per-field errors, or NULL */
	char etag[96];
	char location[160];
	char *set_cookie;     /* owned */
	unsigned retry_after; /* seconds; 0: none */
	char allow[64];
	char attachment[96]; /* download file name (a literal); "" none */
	bool replayed;       /* answered from the idempotency store */

	/* Set by server_offload(): run offload elsewhere, then resume. */
	offload_fn offload;
	handler_fn resume;
	void *offload_arg; /* owned: free()d with the request */
};

/* ---- Reading the request (src/http/request.c) ---- */

/* A request header, or NULL. Borrowed from MHD. */
const char *request_header(struct request *req, const char *name);
/* A query-string argument, or NULL. Borrowed from MHD. */
const char *request_query(struct request *req, const char *name);
/* A cookie, or NULL. Borrowed from MHD. */
const char *request_cookie(struct request *req, const char *name);
/*
 * The body as a JSON object.  Checks Content-Type, rejects duplicate
 * keys and non-objects.  *out is a new reference the caller releases.
 */
enum err request_json(struct request *req, json_t **out);
/* Path parameter i as an id; ERR_NOT_FOUND (with detail) for junk. */
enum err request_param_id(struct request *req, size_t i, int64_t *out);
/*
 * Paging arguments: ?limit= (1..max, default def) and ?cursor= (an id
 * after which to continue, 0 when absent).
 */
enum err request_page(struct request *req, int64_t def, int64_t max,
    int64_t *limit, int64_t *cursor);

/* ---- Answering (src/http/request.c) ---- */

/*
 * Answer with doc as JSON.  Takes ownership of doc even on failure;
 * doc == NULL is ERR_NOMEM.
 */
enum err request_reply(struct request *req, unsigned status, json_t *doc);
/*
 * Answer with JSON text already built (by SQLite, see sql_json.h).  Takes
 * ownership of text (malloc'd) even on failure; NULL is ERR_NOMEM.
 */
enum err request_reply_json_text(
    struct request *req, unsigned status, char *text);
/* Answer with no body (204 and the like). */
enum err request_reply_empty(struct request *req, unsigned status);
/* Answer with text (CSV and the like); copies text. */
enum err request_reply_text(struct request *req, unsigned status,
    const char *content_type, const char *text, size_t len);
/* Set the reason of an error answer and return e. */
enum err request_fail(struct request *req, enum err e, struct msg why);
/*
 * Record a per-field error (field is a literal or borrowed until the
 * answer is built: it is copied).  Returns ERR_INVALID.
 */
enum err request_field_error(
    struct request *req, const char *field, const char *code, struct msg why);
/* Copy an ETag value (with quotes) / a Location into the answer. */
void request_set_etag(struct request *req, const char *etag);
void request_set_location(struct request *req, const char *location);

/* ---- Routing (src/http/router.c) ---- */

/* Every route of the application, NULL-terminated list of tables. */
extern const struct route *const api_route_tables[];

/*
 * Find the route for method + path.  On a match returns it and fills
 * req->params.  Otherwise NULL with *why ERR_NOT_FOUND, or ERR_METHOD
 * with the allowed methods written to allow.
 */
const struct route *router_match(struct request *req, const char *method,
    const char *path, char *allow, size_t allow_len, enum err *why);
/* Does pattern match path? Pure, for tests. */
bool router_pattern_match(const char *pattern, const char *path);

/* ---- Static files (src/http/static.c) ---- */

/*
 * Serve req->path into req: from the first of the server's mounts whose
 * prefix it starts with (file or ERR_NOT_FOUND), else from root (file,
 * SPA index, or ERR_NOT_FOUND).
 */
enum err static_serve(struct request *req, const char *root);

/* ---- Problem documents (src/http/problem.c) ---- */

/*
 * The RFC 9457 body for e with reason why (why.es NULL: the title),
 * per-field errors (borrowed) and request id.  New reference or NULL.
 * 5xx never carry details.
 */
json_t *problem_new(
    enum err e, struct msg why, json_t *errors, const char *request_id);

#endif
