/*
 * Session and token secrets.  The client holds 32 random bytes as
 * base64url; the database holds only their SHA-256, so a stolen database
 * opens no session.  The CSRF token of a cookie session is a hash of the
 * secret under a fixed label: the browser gets it from the API (never
 * from the HttpOnly cookie) and sends it back in X-CSRF-Token.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "pergamino/db.h"
#include "pergamino/session.h"

void
session_token_new(
    char text[SESSION_TOKEN_TEXT], unsigned char hash[SESSION_HASH_LEN])
{
	unsigned char raw[SESSION_TOKEN_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(text, SESSION_TOKEN_TEXT, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	session_token_hash(text, hash);
}

void
session_token_hash(const char *text, unsigned char hash[SESSION_HASH_LEN])
{
	crypto_hash_sha256(hash, (const unsigned char *)text, strlen(text));
}

void
session_csrf(const char *text, char out[65])
{
	static const char label[] = "pergamino-csrf:";
	crypto_hash_sha256_state h;
	unsigned char d[32];

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(
	    &h, (const unsigned char *)label, sizeof(label) - 1);
	crypto_hash_sha256_update(
	    &h, (const unsigned char *)text, strlen(text));
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

bool
session_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

static enum err
session_touch(struct db *db, int64_t id, int64_t now)
{
	static const char sql[] =
	    "UPDATE credentials SET last_seen_at = ?2 WHERE id = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id) || sqlite3_bind_int64(st, 2, now) ||
	    sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(db, "session_touch");
	db_release(st);
	return rc;
}

static enum err
session_resolve(struct db *db, const char *text, bool cookie, bool with_csrf,
    int64_t now, unsigned idle_s, struct principal *out)
{
	static const char sql[] =
	    "SELECT c.id, c.kind, c.last_seen_at, c.expires_at, u.id,"
	    " u.username, u.role, coalesce(u.organization_id, 0),"
	    " coalesce(o.kind, '')"
	    " FROM credentials c JOIN users u ON u.id = c.user_id"
	    " LEFT JOIN organizations o ON o.id = u.organization_id"
	    " WHERE c.token_hash = ?1 AND c.revoked_at IS NULL"
	    " AND u.active = 1";
	unsigned char hash[SESSION_HASH_LEN];
	sqlite3_stmt *st = NULL;
	int64_t cred_id = 0, last_seen = 0;
	bool is_session, touch = false;
	enum err rc;
	int step;

	memset(out, 0, sizeof(*out));
	if (strlen(text) >= SESSION_TOKEN_TEXT)
		return ERR_UNAUTHENTICATED;
	session_token_hash(text, hash);
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC)) {
		rc = db_fail(db, "session_authenticate: bind");
		goto out;
	}
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = ERR_UNAUTHENTICATED;
		goto out;
	}
	if (step != SQLITE_ROW) {
		rc = db_fail(db, "session_authenticate: step");
		goto out;
	}
	cred_id = sqlite3_column_int64(st, 0);
	is_session = strcmp(db_column_text(st, 1), "session") == 0;
	last_seen = sqlite3_column_int64(st, 2);
	/* A token is not a cookie; a cookie must be a session. */
	if (is_session != cookie ||
	    (sqlite3_column_type(st, 3) != SQLITE_NULL &&
	        sqlite3_column_int64(st, 3) <= now) ||
	    (is_session && now - last_seen > (int64_t)idle_s)) {
		rc = ERR_UNAUTHENTICATED;
		goto out;
	}
	out->credential_id = cred_id;
	out->user_id = sqlite3_column_int64(st, 4);
	snprintf(
	    out->username, sizeof(out->username), "%s", db_column_text(st, 5));
	out->role = policy_role_parse(db_column_text(st, 6));
	out->org_id = sqlite3_column_int64(st, 7);
	out->org_kind = policy_org_kind_parse(db_column_text(st, 8));
	out->via_cookie = cookie;
	if (cookie && with_csrf)
		session_csrf(text, out->csrf);
	touch = now - last_seen >= SESSION_TOUCH_S;
out:
	db_release(st);
	/*
	 * The refresh is a write: when it fails (disk full, I/O error,
	 * locked too long) the request is still answered, logged by
	 * db_fail().  A read must not fail because the disk refuses writes,
	 * and a write meets the same fault in its own transaction.  The
	 * session just keeps its older last use.
	 */
	if (rc == ERR_OK && touch)
		(void)session_touch(db, cred_id, now);
	if (rc != ERR_OK && rc != ERR_UNAUTHENTICATED)
		memset(out, 0, sizeof(*out));
	return rc;
}

enum err
session_authenticate(struct db *db, const char *text, bool cookie, int64_t now,
    unsigned idle_s, struct principal *out)
{
	return session_resolve(db, text, cookie, true, now, idle_s, out);
}

enum err
session_authenticate_read(struct db *db, const char *text, bool cookie,
    int64_t now, unsigned idle_s, struct principal *out)
{
	return session_resolve(db, text, cookie, false, now, idle_s, out);
}
