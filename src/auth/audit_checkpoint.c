/*
 * Signed audit checkpoints (see audit_checkpoint.h): the key file, signing
 * and recording the head, and checking a kept checkpoint against the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "pergamino/audit_checkpoint.h"
#include "pergamino/jsonx.h"
#include "pergamino/log.h"

#define CHECKPOINT_SEED_LEN 32 /* crypto_sign_SEEDBYTES */
#define CHECKPOINT_MSG_LEN                                                     \
	(sizeof(AUDIT_CHECKPOINT_FORMAT) - 1 + 8 + 8 + AUDIT_HASH_LEN)

void
audit_key_default_path(const char *db_path, char *out, size_t cap)
{
	snprintf(out, cap, "%s.audit-key", db_path);
}

static enum err
checkpoint_key_from_seed(const char *hex, size_t len, struct audit_key *out)
{
	unsigned char seed[CHECKPOINT_SEED_LEN];
	size_t bin_len = 0;
	enum err rc = ERR_OK;

	while (len > 0 && (hex[len - 1] == '\n' || hex[len - 1] == '\r'))
		len--;
	if (len != 2 * CHECKPOINT_SEED_LEN ||
	    sodium_hex2bin(
	        seed, sizeof(seed), hex, len, NULL, &bin_len, NULL) != 0 ||
	    bin_len != sizeof(seed) ||
	    crypto_sign_seed_keypair(out->pk, out->sk, seed) != 0)
		rc = ERR_INVALID;
	sodium_memzero(seed, sizeof(seed));
	return rc;
}

static enum err
checkpoint_key_create(const char *path, struct audit_key *out)
{
	unsigned char seed[CHECKPOINT_SEED_LEN];
	char hex[2 * CHECKPOINT_SEED_LEN + 2];
	size_t len;
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? ERR_CONFLICT : ERR_INTERNAL;
	randombytes_buf(seed, sizeof(seed));
	sodium_bin2hex(hex, sizeof(hex) - 1, seed, sizeof(seed));
	sodium_memzero(seed, sizeof(seed));
	len = strlen(hex);
	hex[len++] = '\n';
	n = write(fd, hex, len);
	if (n != (ssize_t)len || fsync(fd) != 0) {
		close(fd);
		sodium_memzero(hex, sizeof(hex));
		(void)unlink(path);
		return ERR_INTERNAL;
	}
	close(fd);
	log_info("audit", "created the audit signing key", path);
	{
		enum err rc = checkpoint_key_from_seed(hex, len, out);

		sodium_memzero(hex, sizeof(hex));
		return rc;
	}
}

enum err
audit_key_load(const char *path, bool create, struct audit_key *out)
{
	char buf[2 * CHECKPOINT_SEED_LEN + 8];
	ssize_t n;
	enum err rc;
	int fd;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			return ERR_INTERNAL;
		if (!create)
			return ERR_NOT_FOUND;
		rc = checkpoint_key_create(path, out);
		/* Another process created it first: read theirs. */
		if (rc != ERR_CONFLICT)
			return rc;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return ERR_INTERNAL;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return ERR_INTERNAL;
	rc = checkpoint_key_from_seed(buf, (size_t)n, out);
	sodium_memzero(buf, sizeof(buf));
	return rc;
}

static void
checkpoint_put_u64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static void
checkpoint_message(
    const struct audit_checkpoint *cp, unsigned char msg[CHECKPOINT_MSG_LEN])
{
	size_t off = sizeof(AUDIT_CHECKPOINT_FORMAT) - 1;

	memcpy(msg, AUDIT_CHECKPOINT_FORMAT, off);
	checkpoint_put_u64(msg + off, (uint64_t)cp->seq);
	checkpoint_put_u64(msg + off + 8, (uint64_t)cp->at_ms);
	memcpy(msg + off + 16, cp->head, AUDIT_HASH_LEN);
}

bool
audit_checkpoint_signature_ok(const struct audit_checkpoint *cp)
{
	unsigned char msg[CHECKPOINT_MSG_LEN];

	checkpoint_message(cp, msg);
	return crypto_sign_verify_detached(cp->sig, msg, sizeof(msg), cp->pk) ==
	    0;
}

/* The head of the chain: seq 0 and a zero hash when it is empty. */
static enum err
checkpoint_head(struct db *db, int64_t *seq, unsigned char head[32])
{
	static const char sql[] =
	    "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*seq = 0;
	memset(head, 0, AUDIT_HASH_LEN);
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == AUDIT_HASH_LEN)
			memcpy(
			    head, sqlite3_column_blob(st, 1), AUDIT_HASH_LEN);
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, "audit checkpoint: head");
	}
	db_release(st);
	return rc;
}

static enum err
checkpoint_insert(
    struct db *db, struct audit_checkpoint *cp, int64_t created_by)
{
	static const char sql[] =
	    "INSERT INTO audit_checkpoints (seq, head_hash, at_ms, public_key,"
	    " signature, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, cp->seq) ||
	    sqlite3_bind_blob(st, 2, cp->head, AUDIT_HASH_LEN, SQLITE_STATIC) ||
	    sqlite3_bind_int64(st, 3, cp->at_ms) ||
	    sqlite3_bind_blob(st, 4, cp->pk, AUDIT_PK_LEN, SQLITE_STATIC) ||
	    sqlite3_bind_blob(st, 5, cp->sig, AUDIT_SIG_LEN, SQLITE_STATIC) ||
	    (created_by > 0 ? sqlite3_bind_int64(st, 6, created_by)
	                    : sqlite3_bind_null(st, 6)))
		rc = db_fail(db, "audit checkpoint: bind");
	else if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(db, "audit checkpoint: insert");
	else
		cp->id = sqlite3_last_insert_rowid(db_handle(db));
	db_release(st);
	return rc;
}

enum err
audit_checkpoint_make(struct db *db, const struct audit_key *key,
    int64_t now_ms, int64_t created_by, struct audit_checkpoint *out)
{
	unsigned char msg[CHECKPOINT_MSG_LEN];
	bool own_tx = !db_in_transaction(db);
	enum err rc;

	memset(out, 0, sizeof(*out));
	if (own_tx && (rc = db_begin(db)) != ERR_OK)
		return rc;
	rc = checkpoint_head(db, &out->seq, out->head);
	if (rc == ERR_OK) {
		out->at_ms = now_ms;
		memcpy(out->pk, key->pk, AUDIT_PK_LEN);
		checkpoint_message(out, msg);
		if (crypto_sign_detached(
		        out->sig, NULL, msg, sizeof(msg), key->sk) != 0)
			rc = ERR_INTERNAL;
	}
	if (rc == ERR_OK)
		rc = checkpoint_insert(db, out, created_by);
	if (own_tx) {
		if (rc == ERR_OK)
			rc = db_commit(db);
		else
			db_rollback(db);
	}
	return rc;
}

static void
checkpoint_from_row(sqlite3_stmt *st, int col, struct audit_checkpoint *cp)
{
	memset(cp, 0, sizeof(*cp));
	cp->id = sqlite3_column_int64(st, col - 1);
	cp->seq = sqlite3_column_int64(st, col);
	if (sqlite3_column_bytes(st, col + 1) == AUDIT_HASH_LEN)
		memcpy(
		    cp->head, sqlite3_column_blob(st, col + 1), AUDIT_HASH_LEN);
	cp->at_ms = sqlite3_column_int64(st, col + 2);
	if (sqlite3_column_bytes(st, col + 3) == AUDIT_PK_LEN)
		memcpy(cp->pk, sqlite3_column_blob(st, col + 3), AUDIT_PK_LEN);
	if (sqlite3_column_bytes(st, col + 4) == AUDIT_SIG_LEN)
		memcpy(
		    cp->sig, sqlite3_column_blob(st, col + 4), AUDIT_SIG_LEN);
}

enum err
audit_checkpoint_latest(
    struct db *db, struct audit_checkpoint *out, bool *found)
{
	static const char sql[] =
	    "SELECT id, seq, head_hash, at_ms, public_key, signature"
	    " FROM audit_checkpoints ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*found = false;
	memset(out, 0, sizeof(*out));
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		checkpoint_from_row(st, 1, out);
		*found = true;
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, "audit checkpoint: latest");
	}
	db_release(st);
	return rc;
}

enum err
audit_checkpoint_due(
    struct db *db, int64_t now_ms, int64_t interval_ms, bool *due)
{
	unsigned char head[AUDIT_HASH_LEN];
	struct audit_checkpoint last;
	bool found;
	int64_t seq;
	enum err rc;

	*due = false;
	rc = checkpoint_head(db, &seq, head);
	if (rc == ERR_OK)
		rc = audit_checkpoint_latest(db, &last, &found);
	if (rc != ERR_OK)
		return rc;
	if (seq == 0)
		return ERR_OK; /* nothing to vouch for yet */
	*due = !found || (seq > last.seq && now_ms - last.at_ms >= interval_ms);
	return ERR_OK;
}

enum err
audit_checkpoint_check(
    struct db *db, const struct audit_checkpoint *cp, bool *grew_only)
{
	static const char sql[] =
	    "SELECT hash FROM audit_events WHERE seq = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*grew_only = false;
	if (cp->seq == 0) {
		unsigned char zero[AUDIT_HASH_LEN] = { 0 };

		*grew_only = memcmp(cp->head, zero, AUDIT_HASH_LEN) == 0;
		return ERR_OK;
	}
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	sqlite3_bind_int64(st, 1, cp->seq);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*grew_only = sqlite3_column_bytes(st, 0) == AUDIT_HASH_LEN &&
		    memcmp(sqlite3_column_blob(st, 0), cp->head,
		        AUDIT_HASH_LEN) == 0;
	else if (step != SQLITE_DONE)
		rc = db_fail(db, "audit checkpoint: check");
	db_release(st);
	return rc;
}

json_t *
audit_checkpoint_json(const struct audit_checkpoint *cp)
{
	char head[2 * AUDIT_HASH_LEN + 1], pk[2 * AUDIT_PK_LEN + 1];
	char sig[2 * AUDIT_SIG_LEN + 1];

	sodium_bin2hex(head, sizeof(head), cp->head, AUDIT_HASH_LEN);
	sodium_bin2hex(pk, sizeof(pk), cp->pk, AUDIT_PK_LEN);
	sodium_bin2hex(sig, sizeof(sig), cp->sig, AUDIT_SIG_LEN);
	return json_pack("{s:o, s:s, s:I, s:o, s:I, s:s, s:s, s:s, s:s}", "id",
	    cp->id > 0 ? json_integer(cp->id) : json_null(), "format",
	    AUDIT_CHECKPOINT_FORMAT, "seq", (json_int_t)cp->seq, "at",
	    jsonx_time(cp->at_ms / 1000), "at_ms", (json_int_t)cp->at_ms,
	    "head_hash", head, "public_key", pk, "signature", sig, "algorithm",
	    "Ed25519");
}

static bool
checkpoint_hex(
    const json_t *doc, const char *key, unsigned char *out, size_t len)
{
	const char *hex = json_string_value(json_object_get(doc, key));
	size_t bin_len = 0;

	return hex != NULL && strlen(hex) == 2 * len &&
	    sodium_hex2bin(out, len, hex, 2 * len, NULL, &bin_len, NULL) == 0 &&
	    bin_len == len;
}

enum err
audit_checkpoint_from_json(const json_t *doc, struct audit_checkpoint *out)
{
	const char *format;
	json_t *seq, *at;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(doc))
		return ERR_INVALID;
	format = json_string_value(json_object_get(doc, "format"));
	seq = json_object_get(doc, "seq");
	at = json_object_get(doc, "at_ms");
	if (format == NULL || strcmp(format, AUDIT_CHECKPOINT_FORMAT) != 0 ||
	    !json_is_integer(seq) || json_integer_value(seq) < 0 ||
	    !json_is_integer(at) ||
	    !checkpoint_hex(doc, "head_hash", out->head, AUDIT_HASH_LEN) ||
	    !checkpoint_hex(doc, "public_key", out->pk, AUDIT_PK_LEN) ||
	    !checkpoint_hex(doc, "signature", out->sig, AUDIT_SIG_LEN))
		return ERR_INVALID;
	out->seq = json_integer_value(seq);
	out->at_ms = json_integer_value(at);
	return ERR_OK;
}

enum err
audit_checkpoint_list_json(
    struct db *db, int64_t cursor, int64_t limit, json_t **items, int64_t *next)
{
	static const char sql[] =
	    "SELECT id, seq, head_hash, at_ms, public_key, signature, "
	    "created_by"
	    " FROM audit_checkpoints WHERE ?1 = 0 OR id < ?1"
	    " ORDER BY id DESC LIMIT ?2";
	struct audit_checkpoint cp;
	sqlite3_stmt *st = NULL;
	int64_t n = 0, last = 0;
	json_t *doc;
	enum err rc;
	int step;

	*next = 0;
	*items = json_array();
	if (*items == NULL)
		return ERR_NOMEM;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		goto out;
	sqlite3_bind_int64(st, 1, cursor);
	sqlite3_bind_int64(st, 2, limit + 1);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == limit) {
			*next = last;
			break;
		}
		last = sqlite3_column_int64(st, 0);
		checkpoint_from_row(st, 1, &cp);
		doc = audit_checkpoint_json(&cp);
		if (doc == NULL) {
			rc = ERR_NOMEM;
			break;
		}
		json_object_set_new(doc, "created_by", jsonx_column_int(st, 6));
		if (json_array_append_new(*items, doc) != 0) {
			rc = ERR_NOMEM;
			break;
		}
		n++;
	}
	if (rc == ERR_OK && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(db, "audit checkpoint: list");
	db_release(st);
out:
	if (rc != ERR_OK) {
		json_decref(*items);
		*items = NULL;
	}
	return rc;
}
