/*
 * Password hashing with libsodium argon2id.  Hashing is expensive by
 * design (~100 ms, 64 MiB), so at most password_slots() run at once; a
 * caller that cannot get a slot in time gets ERR_BUSY (a 503), so a login
 * storm cannot stall or exhaust the server.
 */
#ifndef PERGAMINO_PASSWORD_H
#define PERGAMINO_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "pergamino/err.h"

#define PASSWORD_HASH_MAX 128 /* bytes, >= crypto_pwhash_STRBYTES */

enum password_cost {
	PASSWORD_COST_INTERACTIVE, /* production */
	PASSWORD_COST_MIN          /* test suites only: fast, weak */
};

/* Initialise libsodium and the slot semaphore (slots 0: CPU count). */
enum err password_init(unsigned slots);
void password_set_cost(enum password_cost cost);

/* Hash pw into out (NUL-terminated). */
enum err password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/*
 * Check pw against hash; *ok false on mismatch.  hash NULL: run a dummy
 * verification of the same cost, so unknown users take as long.
 */
enum err password_verify(const char *hash, const char *pw, bool *ok);

#endif
