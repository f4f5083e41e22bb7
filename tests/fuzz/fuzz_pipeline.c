/*
 * libFuzzer target: the whole request pipeline of the real server (router,
 * authentication, CSRF, authorization, body limits, the write transaction
 * and idempotent replay, handlers, SQLite) over a persistent loopback
 * connection.  The server runs in this process (fuzz_server.c) on the demo
 * data with every role signed in, so inputs reach handlers, not only the
 * 401 in front of them.
 *
 * Input layout (docs/reliability.md describes it too):
 *   byte 0  route: index into every route of api_route_tables (modulo)
 *   byte 1  low 3 bits: who (enum fuzz_who; 0 anonymous);
 *           bit 7: replace the method by fuzz_methods[(b >> 4) & 7]
 *   byte 2  path parameter: < 200 an id 1..40 (the demo documents),
 *           else one of fuzz_junk; users/{id}: one of two users that are
 *           no principal; {dni}: a demo producer's DNI
 *   byte 3  flags (FUZZ_NO_CSRF ...), bits 5-7: If-Match version
 *   rest    the body; with FUZZ_QUERY its first line is the query string
 *
 * Oracles, beyond the sanitizers: every request gets a complete answer
 * (on a fresh connection if the old one was closed), no answer is a 5xx
 * (the server says "internal error" only for faults, never for input;
 * PERGAMINO_FUZZ_ALLOW_5XX=1 turns this off), and every JSON answer
 * parses.  The database grows from input to input; nothing is reset but
 * the principals' sessions, restored when an input ended one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_server.h"
#include "pergamino/api.h"
#include "pergamino/http.h"

#define FUZZ_ROUTES_MAX 256
#define FUZZ_REQ_MAX (HTTP_BODY_MAX_DEFAULT + 8192) /* bytes */
#define FUZZ_QUERY_MAX 512                          /* bytes, encoded */
#define FUZZ_TIMEOUT_MS 8000

#define FUZZ_NO_CSRF 0x1u
#define FUZZ_IDEMPOTENCY 0x2u
#define FUZZ_NO_CTYPE 0x4u
#define FUZZ_QUERY 0x8u
#define FUZZ_IF_MATCH 0x10u

static const char *const fuzz_methods[8] = { "GET", "POST", "PATCH", "DELETE",
	"HEAD", "PUT", "OPTIONS", "TRACE" };

/* Path parameters that are not ids of anything. */
static const char *const fuzz_junk[] = { "0", "-1", "abc", "1e3", "01",
	"9223372036854775807", "9223372036854775808", "99999999999999999999999",
	"%41", "..", "%2e%2e", "1%2f2", "+1", " 1", "0x10", "%00" };

static const struct route *fuzz_routes[FUZZ_ROUTES_MAX];
static size_t fuzz_route_count;
static int fuzz_fd = -1;
static char *fuzz_req; /* FUZZ_REQ_MAX bytes, reused */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct route *const *t;
	const struct route *r;

	(void)argc;
	(void)argv;
	for (t = api_route_tables; *t != NULL; t++)
		for (r = *t; r->method != NULL; r++)
			if (fuzz_route_count < FUZZ_ROUTES_MAX)
				fuzz_routes[fuzz_route_count++] = r;
	fuzz_req = malloc(FUZZ_REQ_MAX);
	if (fuzz_req == NULL)
		abort();
	fuzz_server_init(2);
	return 0;
}

/* The path parameter byte b stands for, in a route whose pattern is p. */
static void
fuzz_param(const char *p, const char *name, uint8_t b, char *out, size_t cap)
{
	const char *dnis[8];
	size_t n;

	if (b >= 200) {
		snprintf(out, cap, "%s",
		    fuzz_junk[(b - 200) %
		        (sizeof(fuzz_junk) / sizeof(*fuzz_junk))]);
	} else if (strncmp(name, "{dni}", 5) == 0) {
		n = fuzz_dnis(dnis, 8);
		snprintf(out, cap, "%s", n > 0 ? dnis[b % n] : "12345678");
	} else if (strncmp(p, "/api/v1/users/", 14) == 0) {
		/* Never a principal: they must stay signed in. */
		snprintf(out, cap, "%lld", (long long)fuzz_victim_user(b));
	} else {
		snprintf(out, cap, "%u", (unsigned)(b % 40) + 1);
	}
}

/* The route's pattern with its parameters filled in. */
static void
fuzz_path(const struct route *r, uint8_t b, char *out, size_t cap, char *param,
    size_t param_cap)
{
	const char *p = r->pattern, *close;
	size_t len = 0, n;

	param[0] = '\0';
	while (*p != '\0' && len + 1 < cap) {
		if (*p == '{' && (close = strchr(p, '}')) != NULL) {
			fuzz_param(r->pattern, p, b, param, param_cap);
			n = strlen(param);
			if (len + n >= cap)
				break;
			memcpy(out + len, param, n);
			len += n;
			p = close + 1;
		} else {
			out[len++] = *p++;
		}
	}
	out[len] = '\0';
}

/* Percent-encode what may not appear raw in a request line. */
static size_t
fuzz_query(const uint8_t *s, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, len = 0;

	for (i = 0; i < n && len + 4 < cap; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr("-._~=&%+,:", s[i]))
			out[len++] = (char)s[i];
		else {
			out[len++] = '%';
			out[len++] = hex[s[i] >> 4];
			out[len++] = hex[s[i] & 15];
		}
	}
	out[len] = '\0';
	return len;
}

static void
fuzz_fail(const char *why, const char *method, const char *path,
    const struct fuzz_reply *r)
{
	fprintf(stderr, "fuzz_pipeline: %s: %s %s -> %d %.*s\n", why, method,
	    path, r->status, (int)(r->body_len > 2000 ? 2000 : r->body_len),
	    r->body != NULL ? r->body : "");
	abort();
}

/* Send the request and read its answer, reconnecting once if needed. */
static void
fuzz_exchange(const char *req, size_t len, bool head, struct fuzz_reply *r)
{
	int attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (fuzz_fd < 0)
			fuzz_fd = fuzz_connect();
		if (fuzz_fd >= 0 &&
		    fuzz_write_all(fuzz_fd, req, len, FUZZ_TIMEOUT_MS) == 0 &&
		    fuzz_read_reply(fuzz_fd, head, FUZZ_TIMEOUT_MS, r) == 0) {
			if (r->close) {
				fuzz_close_now(fuzz_fd);
				fuzz_fd = -1;
			}
			return;
		}
		fuzz_reply_free(r);
		fuzz_close_now(fuzz_fd);
		fuzz_fd = -1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256], param[64], query[FUZZ_QUERY_MAX], line[600];
	const struct route *route;
	struct fuzz_principal *p;
	struct fuzz_reply r;
	const uint8_t *body, *nl;
	const char *method, *ctype;
	enum fuzz_who who;
	size_t body_len, len, qlen = 0;
	unsigned flags;
	json_t *doc;

	if (size < 4 || fuzz_route_count == 0)
		return 0;
	route = fuzz_routes[data[0] % fuzz_route_count];
	who = (enum fuzz_who)((data[1] & 7u) % FUZZ_WHO_COUNT);
	method = (data[1] & 0x80u) ? fuzz_methods[(data[1] >> 4) & 7u]
	                           : route->method;
	flags = data[3];
	body = data + 4;
	body_len = size - 4;
	if (body_len > HTTP_BODY_MAX_DEFAULT)
		return 0; /* over the limit: fuzz_http covers 413 */
	fuzz_path(route, data[2], path, sizeof(path), param, sizeof(param));
	if (flags & FUZZ_QUERY) {
		nl = memchr(body, '\n', body_len);
		len = nl != NULL ? (size_t)(nl - body) : body_len;
		qlen = fuzz_query(body, len, query, sizeof(query));
		body += nl != NULL ? len + 1 : len;
		body_len -= nl != NULL ? len + 1 : len;
	}
	p = fuzz_principal(who);
	ctype = strstr(route->pattern, "/import") != NULL
	    ? "text/csv; charset=utf-8"
	    : "application/json";

	len = (size_t)snprintf(fuzz_req, FUZZ_REQ_MAX,
	    "%s %s%s%s HTTP/1.1\r\nHost: fuzz\r\n", method, path,
	    qlen > 0 ? "?" : "", qlen > 0 ? query : "");
#define FUZZ_ADD(...)                                                          \
	len += (size_t)snprintf(fuzz_req + len, FUZZ_REQ_MAX - len, __VA_ARGS__)
	if (who != FUZZ_ANONYMOUS) {
		FUZZ_ADD("Cookie: %s\r\n", p->cookie);
		if (!(flags & FUZZ_NO_CSRF))
			FUZZ_ADD("X-CSRF-Token: %s\r\n", p->csrf);
	}
	if (!(flags & FUZZ_NO_CTYPE))
		FUZZ_ADD("Content-Type: %s\r\n", ctype);
	if (flags & FUZZ_IDEMPOTENCY)
		FUZZ_ADD("Idempotency-Key: fz-%u\r\n", (unsigned)data[2]);
	if (flags & FUZZ_IF_MATCH)
		FUZZ_ADD("If-Match: \"%s.%u\"\r\n",
		    param[0] != '\0' ? param : "1", (flags >> 5) & 7u);
	if (body_len > 0 || strcmp(method, "POST") == 0 ||
	    strcmp(method, "PATCH") == 0)
		FUZZ_ADD("Content-Length: %zu\r\n", body_len);
	FUZZ_ADD("\r\n");
#undef FUZZ_ADD
	if (len + body_len > FUZZ_REQ_MAX)
		return 0;
	memcpy(fuzz_req + len, body, body_len);
	len += body_len;

	fuzz_exchange(fuzz_req, len, strcmp(method, "HEAD") == 0, &r);
	snprintf(line, sizeof(line), "%s%s%s", path, qlen > 0 ? "?" : "",
	    qlen > 0 ? query : "");
	if (r.status == 0)
		fuzz_fail("no answer", method, line, &r);
	if (r.status >= 500 && getenv("PERGAMINO_FUZZ_ALLOW_5XX") == NULL)
		fuzz_fail("server error", method, line, &r);
	if (r.body_len > 0 && strstr(r.content_type, "json") != NULL) {
		doc = json_loadb(r.body, r.body_len, 0, NULL);
		if (doc == NULL)
			fuzz_fail("answer is not JSON", method, line, &r);
		json_decref(doc);
	}
	/* Repair what an input may have done to its principal's session. */
	if (who != FUZZ_ANONYMOUS &&
	    (r.status == 401 ||
	        (r.status < 300 &&
	            ((strcmp(method, "DELETE") == 0 &&
	                 strcmp(path, "/api/v1/session") == 0) ||
	                strcmp(path, "/api/v1/me/password") == 0))))
		fuzz_relogin(who);
	fuzz_reply_free(&r);
	return 0;
}
