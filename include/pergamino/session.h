/*
 * Session and API-token secrets: 32 random bytes, sent to the client as
 * base64url text, stored only as SHA-256.  Also the CSRF token of a
 * cookie session, derived from its secret so nothing more is stored.
 */
#ifndef PERGAMINO_SESSION_H
#define PERGAMINO_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "pergamino/db.h"
#include "pergamino/err.h"
#include "pergamino/policy.h"

#define SESSION_TOKEN_BYTES 32
#define SESSION_TOKEN_TEXT 48 /* buffer for the base64url text + NUL */
#define SESSION_HASH_LEN 32
#define SESSION_COOKIE "pergamino_session"
#define SESSION_TOUCH_S 60 /* update last_seen_at at most this often */

/* A new random secret, its text for the client and its hash to store. */
void session_token_new(
    char text[SESSION_TOKEN_TEXT], unsigned char hash[SESSION_HASH_LEN]);
/* SHA-256 of the token text. */
void session_token_hash(const char *text, unsigned char hash[SESSION_HASH_LEN]);
/* The CSRF token (64 hex chars) that goes with a session token. */
void session_csrf(const char *text, char out[65]);
/* Constant-time comparison of two NUL-terminated strings. */
bool session_equal(const char *a, const char *b);

/*
 * Resolve a presented secret to its user.  ERR_UNAUTHENTICATED when it is
 * unknown, revoked, expired (absolute, or idle past idle_s for sessions),
 * or its user is inactive.  Refreshes last_seen_at now and then.
 */
enum err session_authenticate(struct db *db, const char *text, bool cookie,
    int64_t now, unsigned idle_s, struct principal *out);
/*
 * The same checks, but out->csrf is left empty: for requests that neither
 * check the CSRF token (reads) nor show it.  Deriving it is a SHA-256,
 * 8 k of the ~280 k instructions of a GET by id.
 */
enum err session_authenticate_read(struct db *db, const char *text, bool cookie,
    int64_t now, unsigned idle_s, struct principal *out);

#endif
