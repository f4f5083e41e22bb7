/*
 * The audit chain: every write appends an event whose SHA-256 hash covers
 * the previous event's hash and the event's own fields, so editing or
 * removing any past event breaks every later link.  audit_append() must
 * run inside the write's transaction.
 */
#ifndef PERGAMINO_AUDIT_H
#define PERGAMINO_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "pergamino/db.h"
#include "pergamino/err.h"
#include "pergamino/policy.h"

#define AUDIT_HASH_LEN 32 /* bytes */

struct audit_event {
	int64_t seq;
	int64_t at_ms;
	int64_t user_id;         /* 0: the system / CLI */
	int64_t organization_id; /* 0: none */
	const char *action;      /* "user.create" */
	const char *entity;      /* "user" */
	int64_t entity_id;       /* 0: none */
	const char *before_json; /* NULL: none */
	const char *after_json;  /* NULL: none */
};

/* hash = SHA-256(prev || canonical encoding of ev).  Pure. */
void audit_hash(const unsigned char prev[AUDIT_HASH_LEN],
    const struct audit_event *ev, unsigned char out[AUDIT_HASH_LEN]);

/*
 * Append ev (seq and at_ms are assigned here) after the current head.
 * Call inside a transaction.
 */
enum err audit_append(struct db *db, struct audit_event *ev);

struct audit_verify_result {
	bool ok;
	int64_t events;
	int64_t first_broken_seq; /* 0: none */
	char head_hash[2 * AUDIT_HASH_LEN + 1];
};

/* Recompute the whole chain. */
enum err audit_verify(struct db *db, struct audit_verify_result *out);

#endif
