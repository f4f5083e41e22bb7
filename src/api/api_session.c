/*
 * Signing in and out, the caller's own account, and password changes.
 *
 * Login runs its own transactions (ROUTE_OWN_TX): the argon2id check
 * (~100 ms) happens before any write lock is taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pergamino/api.h"
#include "pergamino/audit.h"
#include "pergamino/ids.h"
#include "pergamino/password.h"
#include "pergamino/password_policy.h"
#include "pergamino/session.h"
#include "pergamino/stores.h"

#define SESSION_NAV_MAX 8

struct login_in {
	const char *username;
	const char *password;
};

static const struct field login_fields[] = {
	{ "username", FIELD_TEXT, FIELD_REQUIRED, POLICY_USERNAME_MAX, 0, 0,
	    offsetof(struct login_in, username), 0 },
	{ "password", FIELD_TEXT, FIELD_REQUIRED, PASSWORD_MAX_LEN, 0, 0,
	    offsetof(struct login_in, password), 0 },
	FIELD_END,
};

/* The caller's account as GET /me shows it: new reference or NULL. */
static json_t *
session_me_json(struct request *req, const char *csrf)
{
	const char *nav[SESSION_NAV_MAX];
	json_t *user = NULL, *org = NULL, *navs, *doc;
	int64_t version;
	size_t i, n;

	if (user_store_get_json(
	        req->db, 0, req->who.user_id, &user, &version) != ERR_OK)
		return NULL;
	if (req->who.org_id != 0 &&
	    org_store_get_json(req->db, -1, req->who.org_id, &org) != ERR_OK) {
		json_decref(user);
		return NULL;
	}
	/* An answer that lacks a part is no answer: NULL (500) instead. */
	if (json_object_set_new(
	        user, "organization", org != NULL ? org : json_null()) != 0) {
		json_decref(user);
		return NULL;
	}
	navs = json_array();
	n = policy_nav(&req->who, nav, SESSION_NAV_MAX);
	for (i = 0; navs != NULL && i < n; i++) {
		if (json_array_append_new(navs, json_string(nav[i])) != 0) {
			json_decref(navs);
			navs = NULL;
		}
	}
	if (navs == NULL) {
		json_decref(user);
		return NULL;
	}
	doc = json_pack("{s:o, s:o, s:s}", "user", user, "nav", navs,
	    "csrf_token", csrf != NULL ? csrf : "");
	return doc;
}

static void
session_subject(char *out, size_t cap, const char *prefix, const char *v)
{
	size_t i, n;

	n = (size_t)snprintf(out, cap, "%s:", prefix);
	for (i = 0; v[i] != '\0' && n + 1 < cap; i++, n++)
		out[n] =
		    (v[i] >= 'A' && v[i] <= 'Z') ? (char)(v[i] + 32) : v[i];
	out[n < cap ? n : cap - 1] = '\0';
}

static bool
session_secure(struct request *req)
{
	const char *proto;

	if (server_config(req->srv)->secure_cookies)
		return true;
	proto = request_header(req, "X-Forwarded-Proto");
	return server_config(req->srv)->trust_proxy && proto != NULL &&
	    strcmp(proto, "https") == 0;
}

static enum err
session_set_cookie(struct request *req, const char *token, unsigned max_age)
{
	char buf[256];
	int n;

	n = snprintf(buf, sizeof(buf),
	    "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%u%s",
	    SESSION_COOKIE, token, max_age,
	    session_secure(req) ? "; Secure" : "");
	if (n < 0 || (size_t)n >= sizeof(buf))
		return ERR_INTERNAL;
	free(req->set_cookie);
	req->set_cookie = strdup(buf);
	return req->set_cookie != NULL ? ERR_OK : ERR_NOMEM;
}

/* Count a failed attempt against the user name and the client address. */
static enum err
session_count_failure(
    struct request *req, const char *user_subject, const char *ip_subject)
{
	enum err rc;

	rc = db_begin(req->db);
	if (rc != ERR_OK)
		return rc;
	rc = throttle_store_fail(
	    req->db, user_subject, THROTTLE_USER_FREE, req->now);
	if (rc == ERR_OK)
		rc = throttle_store_fail(
		    req->db, ip_subject, THROTTLE_IP_FREE, req->now);
	if (rc == ERR_OK)
		rc = db_commit(req->db);
	else
		db_rollback(req->db);
	return rc;
}

/* Refuse with 429 while either subject is locked. */
static enum err
session_check_throttle(
    struct request *req, const char *user_subject, const char *ip_subject)
{
	int64_t wait_user, wait_ip, wait;
	enum err rc;

	rc = throttle_store_wait(req->db, user_subject, req->now, &wait_user);
	if (rc == ERR_OK)
		rc = throttle_store_wait(
		    req->db, ip_subject, req->now, &wait_ip);
	if (rc != ERR_OK)
		return rc;
	wait = wait_user > wait_ip ? wait_user : wait_ip;
	if (wait <= 0)
		return ERR_OK;
	req->retry_after = (unsigned)wait;
	return request_fail(req, ERR_TOO_MANY,
	    MSG("Demasiados intentos fallidos; espere antes de volver a "
	        "intentar",
	        "Too many failed attempts; wait before trying again"));
}

/*
 * Create the session row and its audit event in a transaction that is
 * left open on success: the caller commits once the answer is ready.
 */
static enum err
session_open(struct request *req, int64_t user_id, int64_t org_id,
    const char *user_subject, const char *ip_subject,
    const unsigned char hash[SESSION_HASH_LEN])
{
	unsigned absolute = server_config(req->srv)->session_absolute_s;
	int64_t cred_id;
	enum err rc;

	rc = db_begin(req->db);
	if (rc != ERR_OK)
		return rc;
	rc = throttle_store_clear(req->db, user_subject);
	if (rc == ERR_OK)
		rc = throttle_store_clear(req->db, ip_subject);
	if (rc == ERR_OK)
		rc = credential_store_insert(req->db, "session", hash, user_id,
		    "", req->now, req->now + absolute, &cred_id);
	if (rc == ERR_OK) {
		req->who.user_id = user_id;
		rc = api_audit(
		    req, org_id, "session.create", "user", user_id, NULL, NULL);
	}
	if (rc != ERR_OK)
		db_rollback(req->db);
	return rc;
}

/*
 * A login's password check, carried from session_create() through an
 * offload thread (session_check_password) to session_create_finish().
 */
struct login_check {
	char username[POLICY_USERNAME_MAX + 1];
	char password[PASSWORD_MAX_LEN + 1]; /* wiped once checked */
	char hash[PASSWORD_HASH_MAX];
	char user_subject[96], ip_subject[96];
	bool found, active, ok;
	enum err rc;
};

/* Offload thread: the argon2id check, off the worker thread. */
static void
session_check_password(struct request *req)
{
	struct login_check *c = req->offload_arg;

	/* Unknown users cost the same hash check: timing tells nothing. */
	c->rc = password_verify(c->found ? c->hash : NULL, c->password, &c->ok);
	sodium_memzero(c->password, sizeof(c->password));
}

static enum err session_create_finish(struct request *req);

/* A sign-in refused because too many are being checked: 503, retry in 1 s. */
static enum err
session_busy(struct request *req)
{
	req->retry_after = 1;
	return request_fail(req, ERR_BUSY,
	    MSG("Muchas personas están ingresando a la vez: vuelva a "
	        "intentar en unos segundos.",
	        "Many people are signing in at once: try again in a few "
	        "seconds."));
}

/*
 * POST /api/v1/session {"username", "password"}.  The password check runs
 * on an offload thread (server_offload): a worker thread never waits for
 * argon2id, so a storm of logins neither stalls the other requests on its
 * connections nor queues without bound (503 with Retry-After instead).
 */
static enum err
session_create(struct request *req)
{
	struct login_in in;
	struct login_check *c;
	json_t *body = NULL;
	int64_t user_id;
	enum err rc;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, login_fields, &in);
	if (rc != ERR_OK)
		goto out;
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	req->offload_arg = c;
	snprintf(c->username, sizeof(c->username), "%s", in.username);
	snprintf(c->password, sizeof(c->password), "%s", in.password);
	session_subject(
	    c->user_subject, sizeof(c->user_subject), "user", in.username);
	session_subject(
	    c->ip_subject, sizeof(c->ip_subject), "ip", req->client_ip);
	rc = session_check_throttle(req, c->user_subject, c->ip_subject);
	if (rc == ERR_OK)
		rc = user_store_credentials(req->db, in.username, &user_id,
		    c->hash, sizeof(c->hash), &c->active, &c->found);
	if (rc == ERR_OK)
		rc = server_offload(
		    req, session_check_password, session_create_finish);
	if (rc == ERR_BUSY)
		rc = session_busy(req);
	if (rc != ERR_OK)
		sodium_memzero(c->password, sizeof(c->password));
out:
	json_decref(body);
	return rc;
}

/* Back on the worker thread: count the failure or open the session. */
static enum err
session_create_finish(struct request *req)
{
	struct login_check *c = req->offload_arg;
	char token[SESSION_TOKEN_TEXT], csrf[65];
	unsigned char token_hash[SESSION_HASH_LEN];
	const char *user_subject = c->user_subject, *ip_subject = c->ip_subject;
	json_t *me;
	int64_t user_id, org_id;
	enum err rc;

	if (c->rc == ERR_BUSY)
		return session_busy(req);
	if (c->rc != ERR_OK)
		return c->rc;
	if (!c->ok || !c->active) {
		rc = session_count_failure(req, user_subject, ip_subject);
		if (rc == ERR_OK)
			rc = request_fail(req, ERR_BAD_CREDENTIALS,
			    MSG("Usuario o contraseña incorrectos.",
			        "Wrong user name or password."));
		return rc;
	}
	rc = user_store_find(req->db, c->username, &user_id, &org_id);
	if (rc != ERR_OK)
		return rc;
	session_token_new(token, token_hash);
	rc = session_open(
	    req, user_id, org_id, user_subject, ip_subject, token_hash);
	if (rc != ERR_OK)
		return rc;
	rc = session_authenticate(req->db, token, true, req->now,
	    server_config(req->srv)->session_idle_s, &req->who);
	if (rc == ERR_OK) {
		session_csrf(token, csrf);
		rc = session_set_cookie(
		    req, token, server_config(req->srv)->session_absolute_s);
	}
	if (rc == ERR_OK) {
		me = session_me_json(req, csrf);
		rc = request_reply(req, 200, me);
	}
	/*
	 * Commit only with the answer ready: a login answered 500 must not
	 * leave a session (and its audit event) that nobody received.
	 */
	if (rc == ERR_OK)
		rc = db_commit(req->db);
	else
		db_rollback(req->db);
	if (rc != ERR_OK) {
		free(req->set_cookie);
		req->set_cookie = NULL;
	}
	return rc;
}

/* DELETE /api/v1/session: revoke the credential used for this request. */
static enum err
session_delete(struct request *req)
{
	enum err rc;

	rc = credential_store_revoke(req->db, req->who.user_id,
	    req->who.credential_id, req->who.via_cookie ? "session" : "token",
	    req->now);
	if (rc == ERR_OK)
		rc = api_audit(req, req->who.org_id, "session.delete", "user",
		    req->who.user_id, NULL, NULL);
	if (rc == ERR_OK)
		rc = session_set_cookie(req, "", 0);
	if (rc != ERR_OK)
		return rc;
	return request_reply_empty(req, 204);
}

/* GET /api/v1/me */
static enum err
session_me(struct request *req)
{
	return request_reply(req, 200,
	    session_me_json(req, req->who.via_cookie ? req->who.csrf : NULL));
}

struct password_change_in {
	const char *current_password;
	const char *new_password;
};

static const struct field password_change_fields[] = {
	{ "current_password", FIELD_TEXT, FIELD_REQUIRED, PASSWORD_MAX_LEN, 0,
	    0, offsetof(struct password_change_in, current_password), 0 },
	{ "new_password", FIELD_TEXT, FIELD_REQUIRED, PASSWORD_MAX_LEN, 0, 0,
	    offsetof(struct password_change_in, new_password), 0 },
	FIELD_END,
};

/* Store a new password, revoke the user's other sessions, audit it. */
static enum err
session_store_password(struct request *req, const char *hash)
{
	enum err rc;

	rc = db_begin(req->db);
	if (rc != ERR_OK)
		return rc;
	rc = user_store_set_password(req->db, req->who.user_id, hash, req->now);
	if (rc == ERR_OK)
		rc = credential_store_revoke_sessions(req->db, req->who.user_id,
		    req->who.via_cookie ? req->who.credential_id : 0, req->now);
	if (rc == ERR_OK)
		rc = api_audit(req, req->who.org_id, "user.password_change",
		    "user", req->who.user_id, NULL, NULL);
	if (rc == ERR_OK)
		rc = db_commit(req->db);
	else
		db_rollback(req->db);
	return rc;
}

/* POST /api/v1/me/password {"current_password", "new_password"} */
static enum err
session_change_password(struct request *req)
{
	char hash[PASSWORD_HASH_MAX];
	struct password_change_in in;
	struct msg why;
	json_t *body = NULL;
	bool ok;
	enum err rc;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, password_change_fields, &in);
	if (rc != ERR_OK)
		goto out;
	rc = user_store_hash(req->db, req->who.user_id, hash, sizeof(hash));
	if (rc == ERR_OK)
		rc = password_verify(hash, in.current_password, &ok);
	if (rc != ERR_OK)
		goto out;
	if (!ok) {
		rc = request_field_error(req, "current_password", "wrong",
		    MSG("La contraseña actual no es correcta",
		        "The current password is wrong"));
		goto out;
	}
	if (password_policy_check(in.new_password, req->who.username, &why) !=
	    ERR_OK) {
		rc = request_field_error(req, "new_password", "weak", why);
		goto out;
	}
	rc = password_hash(in.new_password, hash);
	if (rc == ERR_OK)
		rc = session_store_password(req, hash);
	if (rc == ERR_OK)
		rc = request_reply_empty(req, 204);
out:
	json_decref(body);
	return rc;
}

/* clang-format off */
const struct route session_routes[] = {
	{ "POST",   "/api/v1/session",     session_create, PERM_PUBLIC,    ROUTE_OWN_TX },
	{ "DELETE", "/api/v1/session",     session_delete, PERM_SIGNED_IN, 0 },
	{ "GET",    "/api/v1/me",          session_me,     PERM_SIGNED_IN, 0 },
	{ "POST",   "/api/v1/me/password", session_change_password, PERM_SIGNED_IN, ROUTE_OWN_TX },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
