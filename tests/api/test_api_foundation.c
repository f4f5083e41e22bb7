/*
 * The foundation over real HTTP: sessions, CSRF, tokens, ETag/If-Match,
 * idempotency, body limits, JSON strictness, problem+json, organizations,
 * users, grants, numbering, static files and the audit chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>
#include <zlib.h>

#include "harness.h"
#include "pergamino/audit.h"
#include "pergamino/audit_checkpoint.h"
#include "pergamino/db.h"
#include "pergamino/stores.h"

static struct session
login_as(struct fixture *f, enum test_user u)
{
	struct session s;

	assert_int_equal(
	    session_login(f, f->users[u].username, TEST_PASSWORD, &s), 200);
	return s;
}

static void
test_health(void **state)
{
	struct fixture *f = *state;
	struct response r;

	assert_int_equal(
	    http_request(f, "GET", "/api/v1/health", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    json_string_value(json_object_get(r.json, "database")), "ok");
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "schema_version")),
	    json_integer_value(json_object_get(r.json, "schema_expected")));
	response_free(&r);
}

static void
test_login_me_logout(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_ADMIN);
	struct response r;
	json_t *nav;

	assert_non_null(strstr(s.cookie, "pergamino_session="));
	assert_int_equal(strlen(s.csrf), 64);
	session_call(f, &s, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(r.json, "user"), "username")),
	    "a-admin");
	nav = json_object_get(r.json, "nav");
	assert_string_equal(
	    json_string_value(json_array_get(nav, 0)), "acopio");
	assert_string_equal(
	    json_string_value(json_array_get(nav, json_array_size(nav) - 1)),
	    "administracion");
	response_free(&r);

	session_call(f, &s, "DELETE", "/api/v1/session", NULL, &r);
	assert_int_equal(r.status, 204);
	response_free(&r);
	session_call(f, &s, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(response_code(&r), "unauthenticated");
	response_free(&r);
}

static void
test_cookie_flags(void **state)
{
	static const char *const hdr[] = { "Content-Type: application/json",
		NULL };
	static const char body[] =
	    "{\"username\":\"a-clerk\",\"password\":\"" TEST_PASSWORD "\"}";
	struct fixture *f = *state;
	struct response r;
	char buf[256];

	http_request(f, "POST", "/api/v1/session", hdr, body, strlen(body), &r);
	assert_int_equal(r.status, 200);
	assert_non_null(response_header(&r, "Set-Cookie", buf, sizeof(buf)));
	assert_non_null(strstr(buf, "HttpOnly"));
	assert_non_null(strstr(buf, "SameSite=Strict"));
	assert_null(strstr(buf, "Secure"));
	assert_null(strstr(r.body, "password"));
	response_free(&r);
}

static void
test_wrong_password_and_unknown_user_alike(void **state)
{
	struct fixture *f = *state;
	struct session s;

	assert_int_equal(
	    session_login(f, "a-export", "no-es-la-clave", &s), 401);
	assert_int_equal(
	    session_login(f, "nadie-existe", "no-es-la-clave", &s), 401);
}

static void
test_bad_credentials_code(void **state)
{
	static const char *const hdr[] = { "Content-Type: application/json",
		NULL };
	static const char body[] =
	    "{\"username\":\"b-clerk\",\"password\":\"equivocada-123\"}";
	struct fixture *f = *state;
	struct response r;

	http_request(f, "POST", "/api/v1/session", hdr, body, strlen(body), &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(response_code(&r), "invalid_credentials");
	assert_string_equal(
	    json_string_value(json_object_get(r.json, "detail")),
	    "Usuario o contraseña incorrectos.");
	assert_non_null(json_object_get(r.json, "detail_en"));
	response_free(&r);
}

static void
test_csrf_required_for_cookie_writes(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_ADMIN);
	struct response r;

	s.csrf[0] = 'x'; /* a wrong token */
	session_call(f, &s, "POST", "/api/v1/tokens", "{\"name\":\"t\"}", &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(response_code(&r), "forbidden");
	response_free(&r);
	s.csrf[0] = '\0'; /* none at all */
	session_call(f, &s, "POST", "/api/v1/tokens", "{\"name\":\"t\"}", &r);
	assert_int_equal(r.status, 403);
	response_free(&r);
}

static void
test_api_token_lifecycle(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_B_CLERK), t = { 0 };
	struct response r;
	char path[64];
	json_int_t id;

	session_call(
	    f, &s, "POST", "/api/v1/tokens", "{\"name\":\"balanza\"}", &r);
	assert_int_equal(r.status, 201);
	snprintf(t.bearer, sizeof(t.bearer), "%s",
	    json_string_value(json_object_get(r.json, "token")));
	id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);

	/* Bearer tokens need no CSRF token and carry the user's rights. */
	session_call(f, &t, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(r.json, "user"), "username")),
	    "b-clerk");
	response_free(&r);
	session_call(f, &t, "GET", "/api/v1/users", NULL, &r);
	assert_int_equal(r.status, 403);
	response_free(&r);

	/* The list never shows the secret again. */
	session_call(f, &s, "GET", "/api/v1/tokens", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, t.bearer));
	response_free(&r);

	snprintf(path, sizeof(path), "/api/v1/tokens/%lld", (long long)id);
	session_call(f, &s, "DELETE", path, NULL, &r);
	assert_int_equal(r.status, 204);
	response_free(&r);
	session_call(f, &t, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 401);
	response_free(&r);
}

static void
test_token_cannot_mint_tokens_and_dies_with_reset(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_EXPORT), t = { 0 };
	struct session admin = login_as(f, TU_A_ADMIN);
	struct response r;
	char path[80];

	session_call(f, &s, "POST", "/api/v1/tokens", "{\"name\":\"s\"}", &r);
	assert_int_equal(r.status, 201);
	snprintf(t.bearer, sizeof(t.bearer), "%s",
	    json_string_value(json_object_get(r.json, "token")));
	response_free(&r);
	session_call(f, &t, "POST", "/api/v1/tokens", "{\"name\":\"x\"}", &r);
	assert_int_equal(r.status, 403);
	response_free(&r);

	/* An admin's password reset ends the user's tokens too. */
	snprintf(path, sizeof(path), "/api/v1/users/%lld/password",
	    (long long)f->users[TU_A_EXPORT].id);
	session_call(f, &admin, "POST", path,
	    "{\"password\":\"" TEST_PASSWORD "\"}", &r);
	assert_int_equal(r.status, 204);
	response_free(&r);
	session_call(f, &t, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 401);
	response_free(&r);
}

static void
test_login_while_logged_in(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_CLERK);
	struct response r;
	char body[160];

	snprintf(body, sizeof(body),
	    "{\"username\":\"a-clerk\",\"password\":\"%s\"}", TEST_PASSWORD);
	s.csrf[0] = '\0';
	session_call(f, &s, "POST", "/api/v1/session", body, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
}

static void
test_token_is_not_a_cookie(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_B_CLERK), t = { 0 };
	struct response r;

	session_call(f, &s, "POST", "/api/v1/tokens", "{\"name\":\"x\"}", &r);
	assert_int_equal(r.status, 201);
	snprintf(t.cookie, sizeof(t.cookie), "pergamino_session=%s",
	    json_string_value(json_object_get(r.json, "token")));
	response_free(&r);
	session_call(f, &t, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 401);
	response_free(&r);
}

static void
test_etag_if_match(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_ADMIN);
	struct response r;
	char path[64], etag[64], stale[96], fresh[96];

	snprintf(path, sizeof(path), "/api/v1/users/%lld",
	    (long long)f->users[TU_A_EXPORT].id);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(response_header(&r, "ETag", etag, sizeof(etag)));
	response_free(&r);

	session_call(f, &s, "PATCH", path, "{\"display_name\":\"Ana\"}", &r);
	assert_int_equal(r.status, 428);
	response_free(&r);

	snprintf(fresh, sizeof(fresh), "If-Match: %s", etag);
	session_call_h(
	    f, &s, "PATCH", path, "{\"display_name\":\"\"}", fresh, &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(r.json, "errors"), 0), "field")),
	    "display_name");
	response_free(&r);

	snprintf(fresh, sizeof(fresh), "If-Match: %s", etag);
	session_call_h(
	    f, &s, "PATCH", path, "{\"display_name\":\"Ana\"}", fresh, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    json_string_value(json_object_get(r.json, "display_name")), "Ana");
	response_free(&r);

	/* The first ETag is now stale: a second clerk's edit is refused. */
	snprintf(stale, sizeof(stale), "If-Match: %s", etag);
	session_call_h(
	    f, &s, "PATCH", path, "{\"display_name\":\"Eva\"}", stale, &r);
	assert_int_equal(r.status, 412);
	assert_string_equal(response_code(&r), "precondition_failed");
	response_free(&r);
	session_call(f, &s, "GET", path, NULL, &r);
	assert_string_equal(
	    json_string_value(json_object_get(r.json, "display_name")), "Ana");
	response_free(&r);
}

static size_t
count_users(struct fixture *f, struct session *s)
{
	struct response r;
	size_t n;

	session_call(f, s, "GET", "/api/v1/users?limit=500", NULL, &r);
	assert_int_equal(r.status, 200);
	n = json_array_size(json_object_get(r.json, "items"));
	response_free(&r);
	return n;
}

static void
test_idempotency_replay(void **state)
{
	static const char body[] =
	    "{\"username\":\"rosa\",\"display_name\":\"Rosa\",\"role\":"
	    "\"clerk\",\"password\":\"pergamino seco 2017\"}";
	static const char other[] =
	    "{\"username\":\"rosa2\",\"display_name\":\"Rosa\",\"role\":"
	    "\"clerk\",\"password\":\"pergamino seco 2017\"}";
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_ADMIN);
	struct response r1, r2, r3;
	size_t before = count_users(f, &s);
	char h[64];

	session_call_h(f, &s, "POST", "/api/v1/users", body,
	    "Idempotency-Key: alta-rosa-1", &r1);
	assert_int_equal(r1.status, 201);
	session_call_h(f, &s, "POST", "/api/v1/users", body,
	    "Idempotency-Key: alta-rosa-1", &r2);
	assert_int_equal(r2.status, 201);
	assert_string_equal(r1.body, r2.body);
	assert_non_null(
	    response_header(&r2, "Idempotent-Replayed", h, sizeof(h)));
	assert_int_equal(count_users(f, &s), before + 1);

	session_call_h(f, &s, "POST", "/api/v1/users", other,
	    "Idempotency-Key: alta-rosa-1", &r3);
	assert_int_equal(r3.status, 422);
	assert_int_equal(count_users(f, &s), before + 1);
	response_free(&r1);
	response_free(&r2);
	response_free(&r3);
}

static void
test_body_over_limit(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_ADMIN);
	size_t len = HTTP_BODY_MAX_DEFAULT + 1;
	char *big = malloc(len + 1);
	struct response r;

	assert_non_null(big);
	memset(big, ' ', len);
	big[0] = '{';
	big[len - 1] = '}';
	big[len] = '\0';
	session_call(f, &s, "POST", "/api/v1/tokens", big, &r);
	assert_int_equal(r.status, 413);
	assert_string_equal(response_code(&r), "payload_too_large");
	response_free(&r);
	/* Exactly at the limit it is read (and refused only as a token). */
	big[len - 2] = '}';
	big[len - 1] = '\0';
	session_call(f, &s, "POST", "/api/v1/tokens", big, &r);
	assert_int_equal(r.status, 400);
	response_free(&r);
	free(big);
}

static void
test_huge_content_length_refused_early(void **state)
{
	static const char *const hdr[] = { "Content-Type: application/json",
		"Content-Length: 1000000000000", NULL };
	struct fixture *f = *state;
	struct response r;

	http_request(f, "POST", "/api/v1/session", hdr, "{}", 2, &r);
	assert_int_equal(r.status, 413);
	response_free(&r);
}

static void
test_json_strictness(void **state)
{
	struct fixture *f = *state;
	struct session s = login_as(f, TU_A_ADMIN);
	struct response r;
	json_t *e;

	session_call(f, &s, "POST", "/api/v1/tokens", "{\"name\":", &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(response_code(&r), "invalid_request");
	response_free(&r);

	session_call(f, &s, "POST", "/api/v1/tokens",
	    "{\"name\":\"a\",\"name\":\"b\"}", &r);
	assert_int_equal(r.status, 400);
	response_free(&r);

	session_call(f, &s, "POST", "/api/v1/tokens",
	    "{\"name\":\"a\",\"owner\":2}", &r);
	assert_int_equal(r.status, 400);
	e = json_array_get(json_object_get(r.json, "errors"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(e, "field")), "owner");
	assert_string_equal(
	    json_string_value(json_object_get(e, "code")), "unknown_field");
	response_free(&r);

	session_call(f, &s, "POST", "/api/v1/tokens", "[1,2]", &r);
	assert_int_equal(r.status, 400);
	response_free(&r);

	session_call(f, &s, "POST", "/api/v1/tokens", "{\"name\":5}", &r);
	assert_int_equal(r.status, 400);
	e = json_array_get(json_object_get(r.json, "errors"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(e, "code")), "type");
	response_free(&r);
}

static void
test_wrong_content_type(void **state)
{
	static const char *const hdr[] = { "Content-Type: text/plain", NULL };
	struct fixture *f = *state;
	struct response r;

	http_request(f, "POST", "/api/v1/session", hdr, "{}", 2, &r);
	assert_int_equal(r.status, 415);
	response_free(&r);
}

static void
test_not_found_and_method(void **state)
{
	struct fixture *f = *state;
	struct response r;
	char allow[64], ct[64];

	http_request(f, "GET", "/api/v1/nada", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(response_header(&r, "Content-Type", ct, sizeof(ct)),
	    "application/problem+json");
	response_free(&r);

	http_request(f, "PUT", "/api/v1/users", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 405);
	assert_non_null(response_header(&r, "Allow", allow, sizeof(allow)));
	assert_non_null(strstr(allow, "GET"));
	assert_non_null(strstr(allow, "POST"));
	response_free(&r);

	http_request(f, "TRACE", "/api/v1/health", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 405);
	response_free(&r);
}

static void
test_request_id_and_security_headers(void **state)
{
	struct fixture *f = *state;
	struct response r;
	char buf[256];

	http_request(f, "GET", "/api/v1/health", NULL, NULL, 0, &r);
	assert_non_null(response_header(&r, "X-Request-Id", buf, sizeof(buf)));
	assert_int_equal(strlen(buf), 16);
	assert_string_equal(
	    response_header(&r, "X-Content-Type-Options", buf, sizeof(buf)),
	    "nosniff");
	assert_string_equal(
	    response_header(&r, "Cache-Control", buf, sizeof(buf)), "no-store");
	response_free(&r);
}

static void
test_static_files(void **state)
{
	struct fixture *f = *state;
	struct response r;
	char buf[512], inm[600];
	const char *hdr[2] = { inm, NULL };

	http_request(f, "GET", "/", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(
	    strstr(response_header(&r, "Content-Type", buf, sizeof(buf)),
	        "text/html"));
	assert_non_null(strstr(
	    response_header(&r, "Content-Security-Policy", buf, sizeof(buf)),
	    "frame-ancestors 'none'"));
	assert_non_null(response_header(&r, "ETag", buf, sizeof(buf)));
	snprintf(inm, sizeof(inm), "If-None-Match: %s", buf);
	response_free(&r);

	http_request(f, "GET", "/", hdr, NULL, 0, &r);
	assert_int_equal(r.status, 304);
	response_free(&r);

	/* SPA routes get index.html; missing assets are 404. */
	http_request(f, "GET", "/acopio/recepciones", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<html"));
	response_free(&r);
	http_request(f, "GET", "/no-existe.js", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);
}

static void
test_static_traversal(void **state)
{
	static const char *const bad[] = { "/../CMakeLists.txt",
		"/%2e%2e/CMakeLists.txt", "/%2E%2E/%2E%2E/etc/passwd",
		"/css/../../CMakeLists.txt", "//etc/passwd.txt", "/.git/config",
		"/..%2fCMakeLists.txt", "/%5c..%5cx.txt", NULL };
	struct fixture *f = *state;
	struct response r;
	size_t i;

	for (i = 0; bad[i] != NULL; i++) {
		http_request(f, "GET", bad[i], NULL, NULL, 0, &r);
		if (r.status != 404)
			fail_msg("%s answered %ld", bad[i], r.status);
		assert_null(strstr(r.body, "cmake_minimum_required"));
		response_free(&r);
	}
	http_request(f, "GET", "/index%00.html", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 400);
	response_free(&r);
	http_request(f, "GET", "/api/v1/health%00x", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 400);
	response_free(&r);
}

static void
vendor_write(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* A directory mounted at a URL prefix (how Leaflet is served). */
static void
test_static_mount(void **state)
{
	static const char *const bad[] = { "/vendor/lib/../index.html",
		"/vendor/lib/%2e%2e/test.db", "/vendor/lib/img/../../test.db",
		"/vendor/lib/.hidden.js", "/vendor/lib/lib.js.map",
		"/vendor/lib/outside.js", "/vendor/lib/missing.js",
		"/vendor/lib/img", "/vendor/lib/", "/vendor/lib//lib.js",
		NULL };
	static const char *const files[] = { "lib.js", "lib.js.map",
		".hidden.js", "img/dot.png", "outside.js", NULL };
	struct fixture *f = *state;
	struct response r;
	char dir[256], path[320], buf[512], inm[600];
	const char *hdr[2] = { inm, NULL };
	size_t i;

	snprintf(dir, sizeof(dir), "%s/vendor", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/img", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/lib.js", dir);
	vendor_write(path, "export const lib = 1;\n");
	snprintf(path, sizeof(path), "%s/lib.js.map", dir);
	vendor_write(path, "{}");
	snprintf(path, sizeof(path), "%s/.hidden.js", dir);
	vendor_write(path, "hidden");
	snprintf(path, sizeof(path), "%s/img/dot.png", dir);
	vendor_write(path, "PNG");
	snprintf(path, sizeof(path), "%s/outside.js", dir);
	assert_int_equal(symlink(f->db_path, path), 0);
	f->cfg.mounts[0].prefix = "/vendor/lib/";
	f->cfg.mounts[0].root = dir;
	assert_int_equal(harness_restart(f), 0);

	http_request(f, "GET", "/vendor/lib/lib.js", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "export const lib = 1;\n");
	assert_non_null(
	    strstr(response_header(&r, "Content-Type", buf, sizeof(buf)),
	        "text/javascript"));
	assert_non_null(response_header(&r, "ETag", buf, sizeof(buf)));
	snprintf(inm, sizeof(inm), "If-None-Match: %s", buf);
	response_free(&r);
	http_request(f, "GET", "/vendor/lib/lib.js", hdr, NULL, 0, &r);
	assert_int_equal(r.status, 304);
	response_free(&r);
	http_request(f, "GET", "/vendor/lib/img/dot.png", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    response_header(&r, "Content-Type", buf, sizeof(buf)), "image/png");
	response_free(&r);
	/* No SPA fallback, no escape, no symlinks, no unknown types. */
	for (i = 0; bad[i] != NULL; i++) {
		http_request(f, "GET", bad[i], NULL, NULL, 0, &r);
		if (r.status != 404)
			fail_msg("%s answered %ld", bad[i], r.status);
		assert_null(strstr(r.body, "<html"));
		assert_null(strstr(r.body, "SQLite"));
		response_free(&r);
	}
	/* The web root is still served beside the mount. */
	http_request(f, "GET", "/vendor", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<html"));
	response_free(&r);

	/* A missing directory: 404, the map page degrades. */
	f->cfg.mounts[0].root = "/nonexistent/leaflet";
	assert_int_equal(harness_restart(f), 0);
	http_request(f, "GET", "/vendor/lib/lib.js", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);

	f->cfg.mounts[0].prefix = NULL;
	f->cfg.mounts[0].root = NULL;
	assert_int_equal(harness_restart(f), 0);
	http_request(f, "GET", "/vendor/lib/lib.js", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);
	for (i = 0; files[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/img", dir);
	rmdir(path);
	rmdir(dir);
}

/* Inflate a gzip (RFC 1952) body into out (cap bytes); its length or -1. */
static long
gunzip(const char *in, size_t len, char *out, size_t cap)
{
	z_stream zs;
	long n = -1;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return -1;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)cap;
	if (inflate(&zs, Z_FINISH) == Z_STREAM_END)
		n = (long)zs.total_out;
	inflateEnd(&zs);
	return n;
}

/* A text of len bytes that compresses well but not trivially. */
static char *
gzip_sample(size_t len, unsigned seed)
{
	char *s = malloc(len + 1);
	size_t i;

	assert_non_null(s);
	for (i = 0; i < len; i++)
		s[i] = (char)('a' + (i * 7 + i / 13 + seed) % 26);
	for (i = 80; i < len; i += 81)
		s[i] = '\n';
	s[len] = '\0';
	return s;
}

/*
 * The server compresses text files itself: gzip when accepted, with its
 * own ETag (a 304 on it), Vary, and a body that inflates to the file;
 * identity otherwise; images never; an edited file is compressed anew; a
 * precompressed sibling "x.gz" is still served as it is.
 */
static void
test_static_gzip_compressed_by_server(void **state)
{
	static const char *const files[] = { "big.js", "pic.png", "pre.css",
		"pre.css.gz", NULL };
	struct fixture *f = *state;
	struct response r;
	char dir[256], path[320], buf[512], id_etag[128], gz_etag[128];
	char inm[600], *text, *text2, *out;
	const char *ae[2] = { "Accept-Encoding: gzip, deflate, br", NULL };
	const char *both[3] = { "Accept-Encoding: gzip", inm, NULL };
	const size_t len = 20000;
	size_t i;
	long n;

	out = malloc(4 * len);
	assert_non_null(out);
	text = gzip_sample(len, 1);
	snprintf(dir, sizeof(dir), "%s/gzroot", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/big.js", dir);
	vendor_write(path, text);
	snprintf(path, sizeof(path), "%s/pic.png", dir);
	vendor_write(path, text); /* compressible bytes, but an image type */
	snprintf(path, sizeof(path), "%s/pre.css", dir);
	vendor_write(path, "body { color: red; }\n");
	snprintf(path, sizeof(path), "%s/pre.css.gz", dir);
	vendor_write(path, "PRECOMPRESSED"); /* served as it is, unread */
	f->cfg.mounts[0].prefix = "/gz/";
	f->cfg.mounts[0].root = dir;
	assert_int_equal(harness_restart(f), 0);

	http_request(f, "GET", "/gz/big.js", ae, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    response_header(&r, "Content-Encoding", buf, sizeof(buf)), "gzip");
	assert_string_equal(
	    response_header(&r, "Vary", buf, sizeof(buf)), "Accept-Encoding");
	assert_non_null(
	    strstr(response_header(&r, "Content-Type", buf, sizeof(buf)),
	        "text/javascript"));
	assert_true(r.body_len < len / 4);
	n = gunzip(r.body, r.body_len, out, 4 * len);
	assert_int_equal(n, (long)len);
	assert_memory_equal(out, text, len);
	snprintf(gz_etag, sizeof(gz_etag), "%s",
	    response_header(&r, "ETag", buf, sizeof(buf)));
	response_free(&r);

	/* Without Accept-Encoding: the file itself, another ETag. */
	http_request(f, "GET", "/gz/big.js", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_null(response_header(&r, "Content-Encoding", buf, sizeof(buf)));
	assert_string_equal(
	    response_header(&r, "Vary", buf, sizeof(buf)), "Accept-Encoding");
	assert_int_equal(r.body_len, len);
	assert_memory_equal(r.body, text, len);
	snprintf(id_etag, sizeof(id_etag), "%s",
	    response_header(&r, "ETag", buf, sizeof(buf)));
	assert_string_not_equal(id_etag, gz_etag);
	response_free(&r);

	/* 304 on the gzip ETag; the identity ETag does not match gzip. */
	snprintf(inm, sizeof(inm), "If-None-Match: %s", gz_etag);
	http_request(f, "GET", "/gz/big.js", both, NULL, 0, &r);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.body_len, 0);
	response_free(&r);
	snprintf(inm, sizeof(inm), "If-None-Match: %s", id_etag);
	http_request(f, "GET", "/gz/big.js", both, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);

	/* Images are never compressed. */
	http_request(f, "GET", "/gz/pic.png", ae, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_null(response_header(&r, "Content-Encoding", buf, sizeof(buf)));
	assert_int_equal(r.body_len, len);
	response_free(&r);

	/* An edited file is a new cache entry. */
	text2 = gzip_sample(len + 100, 5);
	snprintf(path, sizeof(path), "%s/big.js", dir);
	vendor_write(path, text2);
	http_request(f, "GET", "/gz/big.js", ae, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	n = gunzip(r.body, r.body_len, out, 4 * len);
	assert_int_equal(n, (long)len + 100);
	assert_memory_equal(out, text2, len + 100);
	assert_string_not_equal(
	    response_header(&r, "ETag", buf, sizeof(buf)), gz_etag);
	response_free(&r);

	/* A precompressed sibling, newer than the file, wins. */
	http_request(f, "GET", "/gz/pre.css", ae, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    response_header(&r, "Content-Encoding", buf, sizeof(buf)), "gzip");
	assert_int_equal(r.body_len, strlen("PRECOMPRESSED"));
	assert_memory_equal(r.body, "PRECOMPRESSED", r.body_len);
	response_free(&r);

	f->cfg.mounts[0].prefix = NULL;
	f->cfg.mounts[0].root = NULL;
	assert_int_equal(harness_restart(f), 0);
	for (i = 0; files[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	free(text);
	free(text2);
	free(out);
}

/*
 * Fingerprinting: index.html names every asset with "?v=<version>" and
 * carries an import map (allowed by its hash in the CSP) so that relative
 * imports reach the same URLs; the current version is immutable, any
 * other URL of the file is revalidated.
 */
static void
test_static_versioned_assets(void **state)
{
	struct fixture *f = *state;
	struct response r;
	char buf[1024], url[256], csp[600], b64[64];
	unsigned char hash[crypto_hash_sha256_BYTES];
	const char *p, *map, *end;
	size_t n;

	http_request(f, "GET", "/acopio/recepcion", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    response_header(&r, "Cache-Control", buf, sizeof(buf)), "no-cache");
	p = strstr(r.body, "src=\"/js/app.js?v=");
	assert_non_null(p);
	p += strlen("src=\"");
	n = strcspn(p, "\"");
	assert_true(n < sizeof(url));
	memcpy(url, p, n);
	url[n] = '\0';
	assert_int_equal(strlen(strchr(url, '=') + 1), 16);
	assert_non_null(strstr(r.body, "href=\"/css/app.css?v="));

	/* The import map maps the module to the same versioned URL. */
	map = strstr(r.body, "<script type=\"importmap\">");
	assert_non_null(map);
	map += strlen("<script type=\"importmap\">");
	end = strstr(map, "</script>");
	assert_non_null(end);
	snprintf(buf, sizeof(buf), "\"/js/app.js\":\"%s\"", url);
	assert_non_null(strstr(map, buf));
	assert_true(map < strstr(r.body, "<link rel=\"modulepreload\""));
	crypto_hash_sha256(
	    hash, (const unsigned char *)map, (size_t)(end - map));
	sodium_bin2base64(b64, sizeof(b64), hash, sizeof(hash),
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(buf, sizeof(buf), "script-src 'self' 'sha256-%s';", b64);
	snprintf(csp, sizeof(csp), "%s",
	    response_header(&r, "Content-Security-Policy", buf + 200, 400));
	assert_non_null(strstr(csp, buf));
	response_free(&r);

	http_request(f, "GET", url, NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    response_header(&r, "Cache-Control", buf, sizeof(buf)),
	    "public, max-age=31536000, immutable");
	/* Assets do not get the page's script hash. */
	assert_null(strstr(
	    response_header(&r, "Content-Security-Policy", buf, sizeof(buf)),
	    "sha256-"));
	response_free(&r);
	/* Another version or none: the current file, revalidated. */
	http_request(
	    f, "GET", "/js/app.js?v=0123456789abcdef", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    response_header(&r, "Cache-Control", buf, sizeof(buf)), "no-cache");
	response_free(&r);
	http_request(f, "GET", "/js/app.js", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    response_header(&r, "Cache-Control", buf, sizeof(buf)), "no-cache");
	response_free(&r);
}

static void
test_org_create_validates_ruc(void **state)
{
	struct fixture *f = *state;
	struct session op = login_as(f, TU_OPERATOR);
	struct session admin = login_as(f, TU_A_ADMIN);
	struct response r;
	json_t *e;

	session_call(f, &op, "POST", "/api/v1/organizations",
	    "{\"name\":\"Procesadora\",\"ruc\":\"2051078079\","
	    "\"kind\":\"plant\"}",
	    &r);
	assert_int_equal(r.status, 400);
	e = json_array_get(json_object_get(r.json, "errors"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(e, "field")), "ruc");
	response_free(&r);

	session_call(f, &op, "POST", "/api/v1/organizations",
	    "{\"name\":\"Asoc\",\"ruc\":\"20427376985\","
	    "\"kind\":\"cooperative\"}",
	    &r);
	assert_int_equal(r.status, 400);
	response_free(&r);

	session_call(f, &admin, "POST", "/api/v1/organizations",
	    "{\"name\":\"Unimar\",\"ruc\":\"20100412447\","
	    "\"kind\":\"exporter\"}",
	    &r);
	assert_int_equal(r.status, 403);
	response_free(&r);

	session_call(f, &op, "POST", "/api/v1/organizations",
	    "{\"name\":\"Unimar S.A.\",\"ruc\":\"20100412447\","
	    "\"kind\":\"exporter\",\"address\":\"Paita\"}",
	    &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(
	    json_string_value(json_object_get(r.json, "ruc")), "20100412447");
	response_free(&r);

	session_call(f, &op, "POST", "/api/v1/organizations",
	    "{\"name\":\"Otra\",\"ruc\":\"20100412447\","
	    "\"kind\":\"exporter\"}",
	    &r);
	assert_int_equal(r.status, 409);
	response_free(&r);
}

static void
test_user_admin_rules(void **state)
{
	struct fixture *f = *state;
	struct session admin = login_as(f, TU_A_ADMIN);
	struct session op = login_as(f, TU_OPERATOR);
	struct response r;
	char body[512], path[64], etag[64], im[96];

	/* A cooperative cannot have auditors; passwords must be strong. */
	session_call(f, &admin, "POST", "/api/v1/users",
	    "{\"username\":\"insp\",\"display_name\":\"I\",\"role\":"
	    "\"auditor\",\"password\":\"pergamino seco 2017\"}",
	    &r);
	assert_int_equal(r.status, 400);
	response_free(&r);
	session_call(f, &admin, "POST", "/api/v1/users",
	    "{\"username\":\"debil\",\"display_name\":\"D\",\"role\":"
	    "\"clerk\",\"password\":\"1234567890\"}",
	    &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(r.json, "errors"), 0), "field")),
	    "password");
	response_free(&r);
	/* An admin cannot create users in another organization. */
	snprintf(body, sizeof(body),
	    "{\"username\":\"intrusa\",\"display_name\":\"X\",\"role\":"
	    "\"clerk\",\"password\":\"pergamino seco 2017\","
	    "\"organization_id\":%lld}",
	    (long long)f->org_d);
	session_call(f, &admin, "POST", "/api/v1/users", body, &r);
	assert_int_equal(r.status, 400);
	response_free(&r);
	/* The operator can, naming the organization. */
	session_call(f, &op, "POST", "/api/v1/users", body, &r);
	assert_int_equal(r.status, 201);
	response_free(&r);

	/* An admin cannot deactivate themself. */
	snprintf(path, sizeof(path), "/api/v1/users/%lld",
	    (long long)f->users[TU_A_ADMIN].id);
	session_call(f, &admin, "GET", path, NULL, &r);
	response_header(&r, "ETag", etag, sizeof(etag));
	response_free(&r);
	snprintf(im, sizeof(im), "If-Match: %s", etag);
	session_call_h(f, &admin, "PATCH", path, "{\"active\":false}", im, &r);
	assert_int_equal(r.status, 409);
	response_free(&r);
}

static void
test_password_reset_and_deactivation_revoke(void **state)
{
	struct fixture *f = *state;
	struct session admin = login_as(f, TU_B_ADMIN);
	struct session clerk = login_as(f, TU_B_CLERK);
	struct response r;
	char path[80], etag[64], im[96];

	snprintf(path, sizeof(path), "/api/v1/users/%lld/password",
	    (long long)f->users[TU_B_CLERK].id);
	session_call(f, &admin, "POST", path,
	    "{\"password\":\"nueva clave de planta\"}", &r);
	assert_int_equal(r.status, 204);
	response_free(&r);
	/* The clerk's session is gone; the new password works. */
	session_call(f, &clerk, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 401);
	response_free(&r);
	assert_int_equal(
	    session_login(f, "b-clerk", TEST_PASSWORD, &clerk), 401);
	assert_int_equal(
	    session_login(f, "b-clerk", "nueva clave de planta", &clerk), 200);
	/* The clerk changes it back themself. */
	session_call(f, &clerk, "POST", "/api/v1/me/password",
	    "{\"current_password\":\"nueva clave de planta\","
	    "\"new_password\":\"" TEST_PASSWORD "\"}",
	    &r);
	assert_int_equal(r.status, 204);
	response_free(&r);
	session_call(f, &clerk, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 200); /* own session kept */
	response_free(&r);

	/* Deactivating a user ends their sessions and logins. */
	snprintf(path, sizeof(path), "/api/v1/users/%lld",
	    (long long)f->users[TU_B_CLERK].id);
	session_call(f, &admin, "GET", path, NULL, &r);
	response_header(&r, "ETag", etag, sizeof(etag));
	response_free(&r);
	snprintf(im, sizeof(im), "If-Match: %s", etag);
	session_call_h(f, &admin, "PATCH", path, "{\"active\":false}", im, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	session_call(f, &clerk, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 401);
	response_free(&r);
	assert_int_equal(
	    session_login(f, "b-clerk", TEST_PASSWORD, &clerk), 401);
	/* Reactivate for the other tests. */
	session_call(f, &admin, "GET", path, NULL, &r);
	response_header(&r, "ETag", etag, sizeof(etag));
	response_free(&r);
	snprintf(im, sizeof(im), "If-Match: %s", etag);
	session_call_h(f, &admin, "PATCH", path, "{\"active\":true}", im, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
}

static void
test_grants_give_and_take_auditor_access(void **state)
{
	struct fixture *f = *state;
	struct session admin = login_as(f, TU_B_ADMIN);
	struct session aud = login_as(f, TU_C_AUDITOR2);
	struct response r;
	char path[64];
	json_int_t id;

	snprintf(path, sizeof(path), "/api/v1/organizations/%lld",
	    (long long)f->org_b);
	session_call(f, &aud, "GET", path, NULL, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);

	session_call(f, &admin, "POST", "/api/v1/auditor-grants",
	    "{\"auditor_username\":\"c-auditor2\"}", &r);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	session_call(f, &admin, "POST", "/api/v1/auditor-grants",
	    "{\"auditor_username\":\"b-clerk\"}", &r);
	assert_int_equal(r.status, 400); /* not an auditor */
	response_free(&r);

	session_call(f, &aud, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	/* Auditors read but never write. */
	session_call(f, &aud, "POST", "/api/v1/auditor-grants",
	    "{\"auditor_username\":\"c-auditor2\"}", &r);
	assert_int_equal(r.status, 403);
	response_free(&r);

	snprintf(
	    path, sizeof(path), "/api/v1/auditor-grants/%lld", (long long)id);
	session_call(f, &admin, "DELETE", path, NULL, &r);
	assert_int_equal(r.status, 204);
	response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/organizations/%lld",
	    (long long)f->org_b);
	session_call(f, &aud, "GET", path, NULL, &r);
	assert_int_equal(r.status, 404);
	response_free(&r);
}

/*
 * Signed checkpoints on demand: admins and auditors (who hand them to the
 * certifier) may ask for one; it signs the head, verifies with its own
 * public key, and the next one after a write moves forward.
 */
static void
test_audit_checkpoints_signed_on_demand(void **state)
{
	struct fixture *f = *state;
	struct session admin = login_as(f, TU_A_ADMIN);
	struct session aud = login_as(f, TU_C_AUDITOR);
	struct session clerk = login_as(f, TU_A_CLERK);
	struct audit_checkpoint cp, latest;
	struct response r;
	int64_t first;

	session_call(f, &clerk, "POST", "/api/v1/audit/checkpoints", "{}", &r);
	assert_int_equal(r.status, 403);
	response_free(&r);

	session_call(f, &aud, "POST", "/api/v1/audit/checkpoints", "{}", &r);
	assert_int_equal(r.status, 201);
	assert_int_equal(audit_checkpoint_from_json(r.json, &cp), ERR_OK);
	assert_true(audit_checkpoint_signature_ok(&cp));
	assert_true(cp.seq > 0);
	first = cp.seq;
	cp.seq++; /* any change breaks the signature */
	assert_false(audit_checkpoint_signature_ok(&cp));
	response_free(&r);

	session_call(f, &admin, "POST", "/api/v1/users",
	    "{\"username\":\"cp-user\",\"display_name\":\"C P\","
	    "\"role\":\"clerk\",\"password\":\"una clave larga y propia\"}",
	    &r);
	assert_int_equal(r.status, 201);
	response_free(&r);
	session_call(f, &admin, "POST", "/api/v1/audit/checkpoints", "{}", &r);
	assert_int_equal(r.status, 201);
	assert_int_equal(audit_checkpoint_from_json(r.json, &cp), ERR_OK);
	assert_true(cp.seq > first);
	response_free(&r);

	session_call(
	    f, &aud, "GET", "/api/v1/audit/checkpoints/latest", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(audit_checkpoint_from_json(r.json, &latest), ERR_OK);
	assert_int_equal(latest.seq, cp.seq);
	assert_memory_equal(latest.sig, cp.sig, AUDIT_SIG_LEN);
	response_free(&r);
	session_call(f, &aud, "GET", "/api/v1/audit/checkpoints", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(json_array_size(json_object_get(r.json, "items")) >= 2);
	response_free(&r);
}

static void
test_numbering_start_then_locked(void **state)
{
	struct fixture *f = *state;
	struct session admin = login_as(f, TU_A_ADMIN);
	struct response r;
	struct db *db = NULL;
	int64_t n = 0;

	session_call(f, &admin, "POST", "/api/v1/numbering",
	    "{\"doc_type\":\"reception\",\"next_number\":8727}", &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	session_call(f, &admin, "POST", "/api/v1/numbering",
	    "{\"doc_type\":\"recibo\",\"next_number\":1}", &r);
	assert_int_equal(r.status, 400);
	response_free(&r);

	/* Issue one number the way a document would, then try to move. */
	assert_int_equal(harness_db(f, &db), 0);
	assert_int_equal(db_begin(db), ERR_OK);
	assert_int_equal(
	    numbering_next(db, f->org_a, "reception", "", &n), ERR_OK);
	assert_int_equal(n, 8727);
	assert_int_equal(
	    numbering_next(db, f->org_a, "reception", "", &n), ERR_OK);
	assert_int_equal(n, 8728);
	assert_int_equal(db_commit(db), ERR_OK);
	db_close(db);

	session_call(f, &admin, "POST", "/api/v1/numbering",
	    "{\"doc_type\":\"reception\",\"next_number\":1}", &r);
	assert_int_equal(r.status, 409);
	response_free(&r);
	session_call(f, &admin, "GET", "/api/v1/numbering", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_array_get(json_object_get(r.json, "items"), 0),
	        "next_number")),
	    8729);
	response_free(&r);
}

static void
test_outsider_sees_nothing(void **state)
{
	struct fixture *f = *state;
	struct session d = login_as(f, TU_D_ADMIN);
	static const char *const paths[] = { "/api/v1/users?limit=500",
		"/api/v1/organizations", "/api/v1/audit?limit=1000",
		"/api/v1/auditor-grants", NULL };
	struct response r;
	size_t i;

	for (i = 0; paths[i] != NULL; i++) {
		session_call(f, &d, "GET", paths[i], NULL, &r);
		assert_int_equal(r.status, 200);
		assert_null(strstr(r.body, "a-admin"));
		assert_null(strstr(r.body, "a-clerk"));
		assert_null(strstr(r.body, "Cooperativa A"));
		assert_null(strstr(r.body, "Planta B"));
		response_free(&r);
	}
}

static void
test_audit_records_writes_and_detects_tampering(void **state)
{
	struct fixture *f = *state;
	struct session admin = login_as(f, TU_A_ADMIN);
	struct audit_verify_result v;
	struct response r;
	struct db *db = NULL;
	json_int_t events;

	session_call(f, &admin, "GET", "/api/v1/audit/verify", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(json_is_true(json_object_get(r.json, "ok")));
	events = json_integer_value(json_object_get(r.json, "events"));
	assert_true(events > 10);
	response_free(&r);

	session_call(f, &admin, "GET", "/api/v1/audit?limit=1000", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"user.create\""));
	response_free(&r);

	/* The log refuses edits; an attacker must drop the trigger. */
	assert_int_equal(harness_db(f, &db), 0);
	assert_int_not_equal(sqlite3_exec(db_handle(db),
	                         "UPDATE audit_events SET action = 'x'"
	                         " WHERE seq = 3",
	                         NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db_handle(db),
	                     "DROP TRIGGER audit_events_no_update;"
	                     "UPDATE audit_events SET after_json = '{}'"
	                     " WHERE seq = 3",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(audit_verify(db, &v), ERR_OK);
	assert_false(v.ok);
	assert_int_equal(v.first_broken_seq, 3);
	db_close(db);

	session_call(f, &admin, "GET", "/api/v1/audit/verify", NULL, &r);
	assert_false(json_is_true(json_object_get(r.json, "ok")));
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "first_broken_seq")), 3);
	response_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_login_me_logout),
		cmocka_unit_test(test_cookie_flags),
		cmocka_unit_test(test_wrong_password_and_unknown_user_alike),
		cmocka_unit_test(test_bad_credentials_code),
		cmocka_unit_test(test_csrf_required_for_cookie_writes),
		cmocka_unit_test(test_api_token_lifecycle),
		cmocka_unit_test(test_token_is_not_a_cookie),
		cmocka_unit_test(
		    test_token_cannot_mint_tokens_and_dies_with_reset),
		cmocka_unit_test(test_login_while_logged_in),
		cmocka_unit_test(test_etag_if_match),
		cmocka_unit_test(test_idempotency_replay),
		cmocka_unit_test(test_body_over_limit),
		cmocka_unit_test(test_huge_content_length_refused_early),
		cmocka_unit_test(test_json_strictness),
		cmocka_unit_test(test_wrong_content_type),
		cmocka_unit_test(test_not_found_and_method),
		cmocka_unit_test(test_request_id_and_security_headers),
		cmocka_unit_test(test_static_files),
		cmocka_unit_test(test_static_traversal),
		cmocka_unit_test(test_static_mount),
		cmocka_unit_test(test_static_gzip_compressed_by_server),
		cmocka_unit_test(test_static_versioned_assets),
		cmocka_unit_test(test_org_create_validates_ruc),
		cmocka_unit_test(test_user_admin_rules),
		cmocka_unit_test(test_password_reset_and_deactivation_revoke),
		cmocka_unit_test(test_grants_give_and_take_auditor_access),
		cmocka_unit_test(test_numbering_start_then_locked),
		cmocka_unit_test(test_audit_checkpoints_signed_on_demand),
		cmocka_unit_test(test_outsider_sees_nothing),
		/* Last: it breaks the chain on purpose. */
		cmocka_unit_test(
		    test_audit_records_writes_and_detects_tampering),
	};

	return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
