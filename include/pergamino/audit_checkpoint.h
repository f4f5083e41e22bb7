/*
 * Signed audit checkpoints: the (sequence, head hash) of the audit chain
 * at a moment, signed with the instance's Ed25519 key (libsodium
 * crypto_sign).  Handed to a certifier, a checkpoint later proves that the
 * log only grew since: the event at that sequence must still carry that
 * hash, and the whole chain must still verify.
 *
 * The signed message is "pergamino-audit-checkpoint/1" followed by seq and
 * at_ms as 8-byte big-endian integers and the 32-byte head hash.
 */
#ifndef PERGAMINO_AUDIT_CHECKPOINT_H
#define PERGAMINO_AUDIT_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/audit.h"
#include "pergamino/db.h"
#include "pergamino/err.h"

#define AUDIT_PK_LEN 32  /* crypto_sign_PUBLICKEYBYTES */
#define AUDIT_SK_LEN 64  /* crypto_sign_SECRETKEYBYTES */
#define AUDIT_SIG_LEN 64 /* crypto_sign_BYTES */
#define AUDIT_CHECKPOINT_FORMAT "pergamino-audit-checkpoint/1"

struct audit_key {
	unsigned char pk[AUDIT_PK_LEN];
	unsigned char sk[AUDIT_SK_LEN];
};

struct audit_checkpoint {
	int64_t id;  /* its row once recorded; 0 in a document read back */
	int64_t seq; /* 0: the log was empty */
	int64_t at_ms;
	unsigned char head[AUDIT_HASH_LEN];
	unsigned char pk[AUDIT_PK_LEN];
	unsigned char sig[AUDIT_SIG_LEN];
};

/*
 * Load the signing key from path (one line: the hex of a 32-byte seed).
 * With create, a missing file is created with mode 0600 from a random
 * seed.  ERR_NOT_FOUND when missing and !create; ERR_INVALID when the
 * file is not a key.
 */
enum err audit_key_load(const char *path, bool create, struct audit_key *out);
/* The default key file of a database: "<db>.audit-key". */
void audit_key_default_path(const char *db_path, char *out, size_t cap);

/*
 * Sign the current head and record the checkpoint (in its own
 * transaction unless one is open).  created_by 0: the system.
 */
enum err audit_checkpoint_make(struct db *db, const struct audit_key *key,
    int64_t now_ms, int64_t created_by, struct audit_checkpoint *out);

/*
 * Whether a checkpoint is due: the head moved past the last checkpoint
 * and the last one is at least interval_ms old (or there is none).
 */
enum err audit_checkpoint_due(
    struct db *db, int64_t now_ms, int64_t interval_ms, bool *due);

/* The newest recorded checkpoint; *found false when there is none. */
enum err audit_checkpoint_latest(
    struct db *db, struct audit_checkpoint *out, bool *found);

/* Recorded checkpoints, newest first, as JSON documents. */
enum err audit_checkpoint_list_json(struct db *db, int64_t cursor,
    int64_t limit, json_t **items, int64_t *next);

/* Pure: the signature matches the checkpoint's own public key. */
bool audit_checkpoint_signature_ok(const struct audit_checkpoint *cp);

/*
 * The log still contains the checkpoint's head: the event at cp->seq has
 * hash cp->head (seq 0: always).  *grew_only false otherwise, including
 * when the log is now shorter than cp->seq.
 */
enum err audit_checkpoint_check(
    struct db *db, const struct audit_checkpoint *cp, bool *grew_only);

/* The exported document {format, seq, at, at_ms, head_hash, public_key,
 * signature} (hex).  NULL on allocation failure. */
json_t *audit_checkpoint_json(const struct audit_checkpoint *cp);
/* Parse an exported document; ERR_INVALID naming nothing more. */
enum err audit_checkpoint_from_json(
    const json_t *doc, struct audit_checkpoint *out);

#endif
