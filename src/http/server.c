/*
 * libmicrohttpd glue: the request lifecycle, body limits, authentication,
 * authorization, the write transaction around handlers, idempotent replay,
 * and turning enum err into problem+json.  The only file that creates MHD
 * responses.
 *
 * Lifecycle of one request (MHD calls server_access several times):
 *   1st call  allocate struct request, check headers (413/400 early);
 *   nth call  append body bytes to a capped buffer;
 *   last call route, authenticate, authorize, run the handler, answer.
 * Answering on a later call than the first keeps keep-alive working on
 * libmicrohttpd 0.9.75 (measured 17 k vs 87 k req/s).
 */
/* gettid(): a thread's own nice value (Linux); glibc asks for the macro. */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "pergamino/http.h"
#include "pergamino/jsonx.h"
#include "pergamino/log.h"
#include "pergamino/parse.h"
#include "pergamino/session.h"
#include "pergamino/stores.h"

#define SERVER_DRAIN_MS 5000     /* wait for in-flight requests at shutdown */
#define SERVER_OFFLOAD_WAITING 4 /* queued requests per offload thread */
#define SERVER_OFFLOAD_THREADS_MAX 64
#define SERVER_OFFLOAD_NICE 10 /* offload threads yield to the workers */

/* The one read whose answer shows the session's CSRF token. */
#define SERVER_CSRF_READ_PATTERN "/api/v1/me"

/* Random bytes a worker thread draws at once for request ids. */
#define SERVER_RID_POOL 512

/* Bodies up to this many times body_max are read before their 413. */
#define SERVER_DISCARD_FACTOR 4

struct server {
	struct server_config cfg;
	struct MHD_Daemon *daemon;
	unsigned port;
	time_t started;

	/*
	 * Offload threads and their bounded queue of suspended requests
	 * (server_offload).  reserved: places promised to handlers whose
	 * connection is not suspended yet.
	 */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t pool[SERVER_OFFLOAD_THREADS_MAX];
	unsigned pool_count;
	struct request **queue; /* ring of queue_cap */
	unsigned queue_cap, queue_head, queue_len, reserved;
	bool stopping;
};

/*
 * The policy is split around script-src so that an answer may allow one
 * inline script by hash (index.html's import map: req->script_hash).
 */
#define SERVER_CSP_HEAD                                                        \
	"default-src 'self'; img-src 'self' data:; style-src 'self';"          \
	" script-src 'self'"
#define SERVER_CSP_TAIL                                                        \
	"; connect-src 'self'; object-src 'none';"                             \
	" base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
static const char server_csp[] = SERVER_CSP_HEAD SERVER_CSP_TAIL;

static bool
server_is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static void
server_client_ip(struct request *req)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	const char *fwd, *last;
	size_t n;

	snprintf(req->client_ip, sizeof(req->client_ip), "unknown");
	if (req->srv->cfg.trust_proxy) {
		fwd = MHD_lookup_connection_value(
		    req->conn, MHD_HEADER_KIND, "X-Forwarded-For");
		if (fwd != NULL && fwd[0] != '\0') {
			/*
			 * The last address is the one our proxy saw; earlier
			 * ones are whatever the client claimed.
			 */
			last = strrchr(fwd, ',');
			fwd = last != NULL ? last + 1 : fwd;
			fwd += strspn(fwd, " ");
			n = strcspn(fwd, " ");
			if (n >= sizeof(req->client_ip))
				n = sizeof(req->client_ip) - 1;
			memcpy(req->client_ip, fwd, n);
			req->client_ip[n] = '\0';
			return;
		}
	}
	ci = MHD_get_connection_info(
	    req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return;
	sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET,
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    req->client_ip, sizeof(req->client_ip));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    req->client_ip, sizeof(req->client_ip));
}

/*
 * A new request id: 8 random bytes as hex.  Taken from a per-thread pool
 * refilled from libsodium's randombytes_buf every SERVER_RID_POOL / 8
 * requests, instead of one getrandom() system call per request.  The
 * bytes are as unpredictable as before; ids are not secrets (they are
 * sent in X-Request-Id), only meant not to repeat.
 */
static void
server_request_id(char out[REQUEST_ID_LEN + 1])
{
	static _Thread_local unsigned char pool[SERVER_RID_POOL];
	static _Thread_local size_t used = SERVER_RID_POOL;

	if (used + REQUEST_ID_LEN / 2 > sizeof(pool)) {
		randombytes_buf(pool, sizeof(pool));
		used = 0;
	}
	sodium_bin2hex(
	    out, REQUEST_ID_LEN + 1, pool + used, REQUEST_ID_LEN / 2);
	used += REQUEST_ID_LEN / 2;
}

static struct request *
server_request_new(struct server *srv, struct MHD_Connection *conn,
    const char *url, const char *method)
{
	struct request *req;

	req = calloc(1, sizeof(*req));
	if (req == NULL)
		return NULL;
	req->srv = srv;
	req->conn = conn;
	req->path = url;
	req->method = method;
	req->resp_fd = -1;
	req->early = ERR_OK;
	clock_gettime(CLOCK_MONOTONIC, &req->started);
	req->now = (int64_t)time(NULL);
	server_request_id(req->request_id);
	server_client_ip(req);
	return req;
}

static void
server_request_free(struct request *req)
{
	if (req == NULL)
		return;
	free(req->body);
	free(req->param_buf);
	free(req->resp_body);
	free(req->set_cookie);
	json_decref(req->errors);
	free(req->offload_arg);
	if (req->resp_fd >= 0)
		close(req->resp_fd);
	free(req);
}

/* Refusals that the headers alone decide, before any body is read. */
static void
server_check_headers(struct request *req)
{
	const char *cl, *te;
	uint64_t len;

	if (strstr(req->path, "%00") != NULL || req->path[0] != '/') {
		req->early = request_fail(req, ERR_INVALID,
		    MSG("La ruta de la solicitud no es válida",
		        "Invalid request path"));
		return;
	}
	cl = request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	te = request_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	if (cl != NULL && te != NULL) {
		req->early = request_fail(req, ERR_INVALID,
		    MSG("No se admiten Content-Length y Transfer-Encoding "
		        "juntos",
		        "Content-Length together with Transfer-Encoding is "
		        "not allowed"));
		return;
	}
	if (cl != NULL && parse_uint(cl, UINT64_MAX, &len) != ERR_OK) {
		req->early = request_fail(req, ERR_INVALID,
		    MSG("Content-Length no es válido",
		        "Invalid Content-Length"));
		return;
	}
	/*
	 * Refused at once only when far over the limit.  A body up to
	 * SERVER_DISCARD_FACTOR times the limit is read, thrown away and then
	 * refused (server_append_body): a client that sends its body without
	 * waiting (browsers; curl without Expect) otherwise had its upload
	 * reset by our close and never saw the 413 (test_body_over_limit, 1
	 * run in 10 under load).
	 */
	if (cl != NULL &&
	    len / SERVER_DISCARD_FACTOR > req->srv->cfg.body_max) {
		req->early = request_fail(req, ERR_TOO_LARGE,
		    MSG("El cuerpo de la solicitud excede el límite",
		        "Request body exceeds the limit"));
	}
}

/* Append one chunk of the body, never beyond body_max. */
static void
server_append_body(struct request *req, const char *data, size_t len)
{
	size_t cap;
	char *p;

	if (req->body_too_large || req->early != ERR_OK)
		return;
	if (len > req->srv->cfg.body_max - req->body_len) {
		req->body_too_large = true;
		return;
	}
	if (req->body_len + len + 1 > req->body_cap) {
		cap = req->body_cap == 0 ? 1024 : req->body_cap;
		while (cap < req->body_len + len + 1)
			cap *= 2;
		if (cap > req->srv->cfg.body_max + 1)
			cap = req->srv->cfg.body_max + 1;
		p = realloc(req->body, cap);
		if (p == NULL) {
			req->early = ERR_NOMEM;
			return;
		}
		req->body = p;
		req->body_cap = cap;
	}
	memcpy(req->body + req->body_len, data, len);
	req->body_len += len;
	req->body[req->body_len] = '\0';
}

/* Resolve the session cookie or bearer token, if any, to req->who. */
static enum err
server_authenticate(struct request *req)
{
	const char *auth, *cookie, *token = NULL;
	bool via_cookie = false;
	enum err rc;

	auth = request_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	cookie = request_cookie(req, SESSION_COOKIE);
	if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0) {
		token = auth + 7;
	} else if (cookie != NULL && cookie[0] != '\0') {
		token = cookie;
		via_cookie = true;
	}
	if (token == NULL)
		return ERR_OK; /* anonymous */
	/*
	 * The CSRF token is derived (a SHA-256) only where it is used: writes
	 * check it (server_check_csrf) and GET /api/v1/me shows it.  Other
	 * reads leave who.csrf empty.  The session itself is checked in full
	 * on every request either way.
	 */
	if (server_is_write(req->method) ||
	    strcmp(req->route->pattern, SERVER_CSRF_READ_PATTERN) == 0)
		rc = session_authenticate(req->db, token, via_cookie, req->now,
		    req->srv->cfg.session_idle_s, &req->who);
	else
		rc = session_authenticate_read(req->db, token, via_cookie,
		    req->now, req->srv->cfg.session_idle_s, &req->who);
	if (rc == ERR_UNAUTHENTICATED) {
		memset(&req->who, 0, sizeof(req->who));
		if (req->route->perm == PERM_PUBLIC)
			return ERR_OK;
		return request_fail(req, ERR_UNAUTHENTICATED,
		    MSG("La sesión no es válida o expiró; inicie sesión "
		        "nuevamente",
		        "The session is invalid or expired; sign in again"));
	}
	return rc;
}

/* Cookie-authenticated writes must echo the session's CSRF token. */
static enum err
server_check_csrf(struct request *req)
{
	const char *sent;

	/* Public routes (signing in) act on no session: nothing to forge. */
	if (!req->who.via_cookie || !server_is_write(req->method) ||
	    req->route->perm == PERM_PUBLIC)
		return ERR_OK;
	sent = request_header(req, "X-CSRF-Token");
	if (sent != NULL && session_equal(sent, req->who.csrf))
		return ERR_OK;
	return request_fail(req, ERR_FORBIDDEN,
	    MSG("Falta el token CSRF o no es válido; recargue la página",
	        "Missing or invalid CSRF token; reload the page"));
}

/* SHA-256 over method, path and body: what a replay must repeat. */
static void
server_request_hash(struct request *req, unsigned char out[32])
{
	crypto_hash_sha256_state h;

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(
	    &h, (const unsigned char *)req->method, strlen(req->method) + 1);
	crypto_hash_sha256_update(
	    &h, (const unsigned char *)req->path, strlen(req->path) + 1);
	if (req->body != NULL)
		crypto_hash_sha256_update(
		    &h, (const unsigned char *)req->body, req->body_len);
	crypto_hash_sha256_final(&h, out);
}

static enum err
server_idempotency_key(struct request *req, const char **out)
{
	const char *key = request_header(req, "Idempotency-Key");
	size_t i, len;

	*out = NULL;
	if (key == NULL || strcmp(req->method, "POST") != 0 ||
	    req->who.user_id == 0)
		return ERR_OK;
	len = strlen(key);
	for (i = 0; i < len; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			break;
	if (len == 0 || len > IDEMPOTENCY_KEY_MAX || i != len)
		return request_fail(req, ERR_INVALID,
		    MSG("Idempotency-Key debe tener de 1 a 128 caracteres "
		        "ASCII visibles",
		        "Idempotency-Key must be 1 to 128 visible ASCII "
		        "characters"));
	*out = key;
	return ERR_OK;
}

/* Answer from a stored first response. */
static enum err
server_replay(struct request *req, struct idempotency_hit *hit)
{
	req->status = hit->status;
	req->resp_body = hit->body;
	hit->body = NULL;
	req->resp_len = req->resp_body != NULL ? strlen(req->resp_body) : 0;
	req->content_type = req->resp_len == 0 ? NULL
	    : hit->status >= 400               ? "application/problem+json"
	                                       : "application/json";
	if (hit->location != NULL)
		request_set_location(req, hit->location);
	if (hit->etag != NULL)
		request_set_etag(req, hit->etag);
	req->replayed = true;
	return ERR_OK;
}

/*
 * Store the answer for replays of key.  An answer that shows a secret
 * once (an API token) is not stored: its replay says so with a 409.
 */
static enum err
server_remember(
    struct request *req, const char *key, const unsigned char hash[32])
{
	json_t *doc;
	char *text;
	enum err rc;

	if (!(req->route->flags & ROUTE_SECRET))
		return idempotency_store_put(req->db, req->who.user_id, key,
		    hash, req->status,
		    req->resp_body != NULL ? req->resp_body : "",
		    req->location[0] != '\0' ? req->location : NULL,
		    req->etag[0] != '\0' ? req->etag : NULL, req->now);
	doc = problem_new(ERR_CONFLICT,
	    MSG("Esta solicitud ya se procesó; el secreto se muestra una "
	        "sola vez",
	        "This request was already processed; the secret is shown "
	        "only once"),
	    NULL, req->request_id);
	text = doc != NULL ? jsonx_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (text == NULL)
		return ERR_NOMEM;
	rc = idempotency_store_put(req->db, req->who.user_id, key, hash, 409,
	    text, NULL, NULL, req->now);
	free(text);
	return rc;
}

/*
 * Run a write handler inside one BEGIN IMMEDIATE transaction together with
 * its idempotency record: the data, its number, its audit event and the
 * stored answer commit together or not at all.
 */
static enum err
server_run_write(struct request *req)
{
	struct idempotency_hit hit = { 0 };
	unsigned char hash[32];
	const char *key;
	enum err rc;

	rc = server_idempotency_key(req, &key);
	if (rc != ERR_OK)
		return rc;
	rc = db_begin(req->db);
	if (rc != ERR_OK)
		return rc;
	if (key != NULL) {
		server_request_hash(req, hash);
		rc = idempotency_store_find(
		    req->db, req->who.user_id, key, hash, &hit);
		if (rc != ERR_OK)
			goto fail;
		if (hit.found && !hit.same_request) {
			rc = request_fail(req, ERR_UNPROCESSABLE,
			    MSG("Esta Idempotency-Key ya se usó con otra "
			        "solicitud",
			        "This Idempotency-Key was used with a "
			        "different request"));
			goto fail;
		}
		if (hit.found) {
			db_rollback(req->db);
			rc = server_replay(req, &hit);
			idempotency_hit_clear(&hit);
			return rc;
		}
	}
	rc = req->route->handler(req);
	if (rc != ERR_OK)
		goto fail;
	if (key != NULL && req->status >= 200 && req->status < 300) {
		rc = server_remember(req, key, hash);
		if (rc != ERR_OK)
			goto fail;
	}
#ifdef PERGAMINO_FAULT_ACK_BEFORE_COMMIT
	/*
	 * Deliberately broken build (APP_FAULT_ACK_BEFORE_COMMIT) that
	 * proves the crash test can fail: the answer goes out first and the
	 * commit happens in server_completed(), after it was sent.
	 */
	req->commit_later = true;
	idempotency_hit_clear(&hit);
	return ERR_OK;
#endif
	rc = db_commit(req->db);
	if (rc != ERR_OK)
		goto drop;
	return ERR_OK;
fail:
	db_rollback(req->db);
drop:
	idempotency_hit_clear(&hit);
	/* Nothing prepared for a success may leak into the error answer. */
	free(req->resp_body);
	req->resp_body = NULL;
	req->resp_len = 0;
	free(req->set_cookie);
	req->set_cookie = NULL;
	req->etag[0] = req->location[0] = '\0';
	return rc;
}

static enum err
server_dispatch_api(struct request *req)
{
	enum err rc;

	req->route = router_match(
	    req, req->method, req->path, req->allow, sizeof(req->allow), &rc);
	if (req->route == NULL)
		return request_fail(req, rc,
		    rc == ERR_METHOD ? MSG("Método no permitido para esta ruta",
		                           "Method not allowed for this path")
		                     : MSG("No existe esta ruta de la API",
		                           "No such API path"));
	rc = db_thread(req->srv->cfg.db_path, &req->db);
	if (rc != ERR_OK)
		return rc;
	rc = server_authenticate(req);
	if (rc != ERR_OK)
		return rc;
	if (!policy_allows(&req->who, req->route->perm)) {
		if (req->who.user_id == 0)
			return request_fail(req, ERR_UNAUTHENTICATED,
			    MSG("Inicie sesión para continuar",
			        "Sign in to continue"));
		return request_fail(req, ERR_FORBIDDEN,
		    MSG("Su rol no permite esta acción",
		        "Your role does not allow this action"));
	}
	rc = server_check_csrf(req);
	if (rc != ERR_OK)
		return rc;
	if (server_is_write(req->method) && !(req->route->flags & ROUTE_OWN_TX))
		return server_run_write(req);
	return req->route->handler(req);
}

/* Turn e into the problem+json answer. */
static void
server_error(struct request *req, enum err e)
{
	json_t *doc;
	char *text;

	if (err_http_status(e) >= 500)
		log_error("http", req->path, err_code(e));
	free(req->resp_body);
	req->resp_body = NULL;
	req->resp_len = 0;
	if (req->resp_fd >= 0) {
		close(req->resp_fd);
		req->resp_fd = -1;
	}
	req->status = err_http_status(e);
	doc = problem_new(e, req->detail, req->errors, req->request_id);
	text = doc != NULL ? jsonx_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (text == NULL) {
		req->status = 500;
		return;
	}
	req->resp_body = text;
	req->resp_len = strlen(text);
	req->content_type = "application/problem+json";
}

static void
server_process(struct request *req)
{
	enum err rc = req->early;

	if (rc == ERR_OK && req->body_too_large)
		rc = request_fail(req, ERR_TOO_LARGE,
		    MSG("El cuerpo de la solicitud excede el límite",
		        "Request body exceeds the limit"));
	if (rc == ERR_OK) {
		if (strncmp(req->path, "/api/", 5) == 0 ||
		    strcmp(req->path, "/api") == 0)
			rc = server_dispatch_api(req);
		else if (server_is_write(req->method)) {
			snprintf(req->allow, sizeof(req->allow), "GET, HEAD");
			rc = request_fail(req, ERR_METHOD,
			    MSG("Método no permitido", "Method not allowed"));
		} else if (req->srv->cfg.web_root == NULL)
			rc = request_fail(req, ERR_NOT_FOUND,
			    MSG("No encontrado", "Not found"));
		else
			rc = static_serve(req, req->srv->cfg.web_root);
	}
	if (rc != ERR_OK)
		server_error(req, rc);
	if (req->status == 0 && req->offload == NULL)
		req->status = 204;
}

enum err
server_offload(struct request *req, offload_fn work, handler_fn next)
{
	struct server *srv = req->srv;
	bool room;

	pthread_mutex_lock(&srv->mu);
	room =
	    !srv->stopping && srv->queue_len + srv->reserved < srv->queue_cap;
	if (room)
		srv->reserved++;
	pthread_mutex_unlock(&srv->mu);
	if (!room) {
		req->retry_after = 1; /* server_error() logs the 503 */
		return ERR_BUSY;
	}
	req->offload = work;
	req->resume = next;
	return ERR_OK;
}

/* Queue req, whose connection is now suspended, in its reserved place. */
static void
server_offload_queue(struct request *req)
{
	struct server *srv = req->srv;

	pthread_mutex_lock(&srv->mu);
	srv->reserved--;
	srv->queue[(srv->queue_head + srv->queue_len) % srv->queue_cap] = req;
	srv->queue_len++;
	pthread_cond_signal(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
}

/* An offload thread: run queued work, resume its connection. */
static void *
server_offload_run(void *arg)
{
	struct server *srv = arg;
	struct request *req;

	/*
	 * Below the worker threads: during a login storm the CPUs go to the
	 * requests of people already signed in first (on Linux, nice is per
	 * thread).  Best effort: nothing depends on it.
	 */
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), SERVER_OFFLOAD_NICE);
	for (;;) {
		pthread_mutex_lock(&srv->mu);
		while (srv->queue_len == 0 && !srv->stopping)
			pthread_cond_wait(&srv->cv, &srv->mu);
		if (srv->queue_len == 0) {
			pthread_mutex_unlock(&srv->mu);
			return NULL;
		}
		req = srv->queue[srv->queue_head];
		srv->queue_head = (srv->queue_head + 1) % srv->queue_cap;
		srv->queue_len--;
		pthread_mutex_unlock(&srv->mu);
		req->offload(req);
		req->offload = NULL;
		/* req belongs to the worker thread again from here on. */
		MHD_resume_connection(req->conn);
	}
}

static void
server_add_headers(struct request *req, struct MHD_Response *resp)
{
	bool api = strncmp(req->path, "/api/", 5) == 0;
	char buf[32];

	MHD_add_response_header(resp, "X-Request-Id", req->request_id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (req->script_hash[0] != '\0') {
		char csp[sizeof(server_csp) + sizeof(req->script_hash) + 1];

		snprintf(csp, sizeof(csp), "%s %s%s", SERVER_CSP_HEAD,
		    req->script_hash, SERVER_CSP_TAIL);
		MHD_add_response_header(resp, "Content-Security-Policy", csp);
	} else
		MHD_add_response_header(
		    resp, "Content-Security-Policy", server_csp);
	if (req->content_type != NULL)
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_CONTENT_TYPE, req->content_type);
	if (api || req->status >= 400)
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	else if (req->immutable)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
		    "public, max-age=31536000, immutable");
	else
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	if (req->etag[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, req->etag);
	if (req->location[0] != '\0')
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_LOCATION, req->location);
	if (req->allow[0] != '\0')
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_ALLOW, req->allow);
	if (req->set_cookie != NULL)
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_SET_COOKIE, req->set_cookie);
	if (req->retry_after > 0) {
		snprintf(buf, sizeof(buf), "%u", req->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, buf);
	}
	if (req->attachment[0] != '\0') {
		char disp[160];

		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
		    req->attachment);
		MHD_add_response_header(resp, "Content-Disposition", disp);
	}
	if (req->gzip)
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	if (!api)
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	if (req->replayed)
		MHD_add_response_header(resp, "Idempotent-Replayed", "true");
}

static enum MHD_Result
server_send(struct request *req)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (req->resp_fd >= 0) {
		resp = MHD_create_response_from_fd64(
		    req->resp_fd_len, req->resp_fd);
		if (resp != NULL)
			req->resp_fd = -1; /* MHD closes it now */
	} else {
		resp = MHD_create_response_from_buffer(req->resp_len,
		    req->resp_body != NULL ? req->resp_body : (char *)"",
		    req->resp_body != NULL ? MHD_RESPMEM_MUST_FREE
		                           : MHD_RESPMEM_PERSISTENT);
		if (resp != NULL)
			req->resp_body = NULL; /* MHD frees it now */
	}
	if (resp == NULL)
		return MHD_NO;
	server_add_headers(req, resp);
	ret = MHD_queue_response(req->conn, req->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
server_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct request *req = *con_cls;

	(void)version;
	if (req == NULL) {
		req = server_request_new(cls, conn, url, method);
		if (req == NULL)
			return MHD_NO;
		*con_cls = req;
		server_check_headers(req);
		if (req->early != ERR_OK) {
			/* Answer now, without reading a body we refuse. */
			server_error(req, req->early);
			return server_send(req);
		}
		return MHD_YES;
	}
	if (req->status != 0)
		return MHD_YES; /* already answered early; drain */
	if (*upload_data_size != 0) {
		server_append_body(req, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->resume != NULL) {
		/* Back from an offload thread: finish and answer. */
		handler_fn next = req->resume;
		enum err rc;

		req->resume = NULL;
		rc = next(req);
		if (rc != ERR_OK)
			server_error(req, rc);
		if (req->status == 0)
			req->status = 204;
		return server_send(req);
	}
	server_process(req);
	if (req->offload != NULL) {
		/* Suspend first: the offload thread resumes it. */
		MHD_suspend_connection(conn);
		server_offload_queue(req);
		return MHD_YES;
	}
	return server_send(req);
}

/*
 * What the access log names: the route's pattern for API requests
 * ("/api/v1/producers/by-dni/{dni}"), never the path itself, which can
 * carry personal data (a DNI); static files by their path.
 */
static const char *
server_log_path(const struct request *req)
{
	if (req->route != NULL)
		return req->route->pattern;
	if (strncmp(req->path, "/api", 4) == 0)
		return "/api/(no route)";
	return req->path;
}

static void
server_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct request *req = *con_cls;
	struct timespec end;
	double ms;

	(void)cls;
	(void)conn;
	(void)toe;
	if (req == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &end);
	ms = (double)(end.tv_sec - req->started.tv_sec) * 1e3 +
	    (double)(end.tv_nsec - req->started.tv_nsec) / 1e6;
	log_access(req->request_id, req->method, server_log_path(req),
	    req->status, ms, req->who.user_id);
	if (req->commit_later) {
		struct timespec gap = { 0, 20 * 1000 * 1000 };

		nanosleep(&gap, NULL); /* widen the window a crash can hit */
		if (db_commit(req->db) != ERR_OK)
			db_rollback(req->db);
	}
	server_request_free(req);
	*con_cls = NULL;
}

static int
server_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode uri in place, except "%00", which stays encoded so that
 * the request is refused instead of being cut at a NUL.
 */
static size_t
server_unescape(void *cls, struct MHD_Connection *c, char *uri)
{
	char *r = uri, *w = uri;
	int hi, lo;

	(void)cls;
	(void)c;
	while (*r != '\0') {
		hi = r[0] == '%' ? server_hex(r[1]) : -1;
		lo = hi >= 0 ? server_hex(r[2]) : -1;
		if (lo >= 0 && (hi | lo) != 0) {
			*w++ = (char)((hi << 4) | lo);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - uri);
}

static void
server_defaults(struct server_config *c)
{
	long cpus;

	if (c->threads == 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		c->threads = cpus > 0 ? (unsigned)cpus : 1;
	}
	if (c->body_max == 0)
		c->body_max = HTTP_BODY_MAX_DEFAULT;
	if (c->conn_limit == 0)
		c->conn_limit = 1000;
	if (c->per_ip_limit == 0)
		c->per_ip_limit = 100;
	if (c->timeout_s == 0)
		c->timeout_s = 30;
	if (c->conn_memory == 0)
		c->conn_memory = 64 * 1024;
	if (c->session_idle_s == 0)
		c->session_idle_s = 2 * 3600;
	if (c->session_absolute_s == 0)
		c->session_absolute_s = 12 * 3600;
}

/* Let the offload threads finish what is queued, join them. */
static void
server_offload_stop(struct server *srv)
{
	unsigned i;

	pthread_mutex_lock(&srv->mu);
	srv->stopping = true;
	pthread_cond_broadcast(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
	for (i = 0; i < srv->pool_count; i++)
		pthread_join(srv->pool[i], NULL);
	srv->pool_count = 0;
	pthread_cond_destroy(&srv->cv);
	pthread_mutex_destroy(&srv->mu);
	free(srv->queue);
	srv->queue = NULL;
}

static enum err
server_offload_start(struct server *srv)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned i, n;

	n = cpus > 0 ? (unsigned)cpus : 1;
	if (n > SERVER_OFFLOAD_THREADS_MAX)
		n = SERVER_OFFLOAD_THREADS_MAX;
	srv->queue_cap = n * SERVER_OFFLOAD_WAITING;
	srv->queue = calloc(srv->queue_cap, sizeof(struct request *));
	if (srv->queue == NULL || pthread_mutex_init(&srv->mu, NULL) != 0 ||
	    pthread_cond_init(&srv->cv, NULL) != 0) {
		free(srv->queue);
		return ERR_NOMEM;
	}
	for (i = 0; i < n; i++) {
		if (pthread_create(
		        &srv->pool[i], NULL, server_offload_run, srv) != 0)
			break;
		srv->pool_count++;
	}
	if (srv->pool_count == 0) {
		server_offload_stop(srv);
		return ERR_INTERNAL;
	}
	return ERR_OK;
}

enum err
server_start(const struct server_config *cfg, struct server **out)
{
	struct sockaddr_in addr;
	const union MHD_DaemonInfo *info;
	struct server *srv;

	*out = NULL;
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL)
		return ERR_NOMEM;
	srv->cfg = *cfg;
	server_defaults(&srv->cfg);
	srv->started = time(NULL);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->bind != NULL ? cfg->bind : "127.0.0.1",
	        &addr.sin_addr) != 1) {
		log_error("http", "server_start", "bad bind address");
		free(srv);
		return ERR_INVALID;
	}
	/* Jansson's hash seed and allocator, before threads use it. */
	json_object_seed(0);
	jsonx_init();
	if (server_offload_start(srv) != ERR_OK) {
		free(srv);
		return ERR_INTERNAL;
	}
	srv->daemon =
	    MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	            MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
	        (uint16_t)cfg->port, NULL, NULL, server_access, srv,
	        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
	        MHD_OPTION_THREAD_POOL_SIZE, srv->cfg.threads,
	        MHD_OPTION_CONNECTION_LIMIT, srv->cfg.conn_limit,
	        MHD_OPTION_PER_IP_CONNECTION_LIMIT, srv->cfg.per_ip_limit,
	        MHD_OPTION_CONNECTION_TIMEOUT, srv->cfg.timeout_s,
	        MHD_OPTION_CONNECTION_MEMORY_LIMIT, srv->cfg.conn_memory,
	        MHD_OPTION_NOTIFY_COMPLETED, server_completed, srv,
	        MHD_OPTION_UNESCAPE_CALLBACK, server_unescape, NULL,
	        MHD_OPTION_END);
	if (srv->daemon == NULL) {
		log_error("http", "server_start", "cannot listen");
		server_offload_stop(srv);
		free(srv);
		return ERR_INTERNAL;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info != NULL ? info->port : cfg->port;
	*out = srv;
	return ERR_OK;
}

void
server_stop(struct server *srv)
{
	const union MHD_DaemonInfo *info;
	int waited = 0;

	if (srv == NULL)
		return;
	MHD_quiesce_daemon(srv->daemon);
	/* Let requests in flight finish, for a bounded time. */
	while (waited < SERVER_DRAIN_MS) {
		info = MHD_get_daemon_info(
		    srv->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (info == NULL || info->num_connections == 0)
			break;
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
		waited += 10;
	}
	/* Queued work finishes and resumes its connection before the stop. */
	server_offload_stop(srv);
	MHD_stop_daemon(srv->daemon);
	free(srv);
}

unsigned
server_port(const struct server *srv)
{
	return srv->port;
}

const struct server_config *
server_config(const struct server *srv)
{
	return &srv->cfg;
}

int64_t
server_uptime(const struct server *srv)
{
	return (int64_t)(time(NULL) - srv->started);
}
