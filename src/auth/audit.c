/*
 * The hash-chained audit log.  The canonical encoding hashed for each
 * event is its fields as length-prefixed byte strings (8-byte big-endian
 * lengths), integers as 8-byte big-endian, NULL text as length 2^64-1:
 * unambiguous, so no two different events encode alike.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "pergamino/audit.h"

static void
audit_put_u64(crypto_hash_sha256_state *h, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	crypto_hash_sha256_update(h, b, sizeof(b));
}

static void
audit_put_text(crypto_hash_sha256_state *h, const char *s)
{
	if (s == NULL) {
		audit_put_u64(h, UINT64_MAX);
		return;
	}
	audit_put_u64(h, (uint64_t)strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
}

void
audit_hash(const unsigned char prev[AUDIT_HASH_LEN],
    const struct audit_event *ev, unsigned char out[AUDIT_HASH_LEN])
{
	crypto_hash_sha256_state h;

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, AUDIT_HASH_LEN);
	audit_put_u64(&h, (uint64_t)ev->seq);
	audit_put_u64(&h, (uint64_t)ev->at_ms);
	audit_put_u64(&h, (uint64_t)ev->user_id);
	audit_put_u64(&h, (uint64_t)ev->organization_id);
	audit_put_text(&h, ev->action);
	audit_put_text(&h, ev->entity);
	audit_put_u64(&h, (uint64_t)ev->entity_id);
	audit_put_text(&h, ev->before_json);
	audit_put_text(&h, ev->after_json);
	crypto_hash_sha256_final(&h, out);
}

static int
audit_bind_opt(sqlite3_stmt *st, int idx, int64_t v)
{
	return v == 0 ? sqlite3_bind_null(st, idx)
	              : sqlite3_bind_int64(st, idx, v);
}

enum err
audit_append(struct db *db, struct audit_event *ev)
{
	static const char head_sql[] =
	    "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1";
	static const char ins_sql[] =
	    "INSERT INTO audit_events (seq, at_ms, user_id, organization_id,"
	    " action, entity, entity_id, before_json, after_json, prev_hash,"
	    " hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
	unsigned char prev[AUDIT_HASH_LEN] = { 0 }, hash[AUDIT_HASH_LEN];
	sqlite3_stmt *st = NULL;
	struct timespec ts;
	enum err rc;
	int step;

	rc = db_prepare(db, head_sql, &st);
	if (rc != ERR_OK)
		return rc;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		ev->seq = sqlite3_column_int64(st, 0) + 1;
		if (sqlite3_column_bytes(st, 1) == AUDIT_HASH_LEN)
			memcpy(
			    prev, sqlite3_column_blob(st, 1), AUDIT_HASH_LEN);
	} else if (step == SQLITE_DONE) {
		ev->seq = 1;
	} else {
		rc = db_fail(db, "audit_append: head");
	}
	db_release(st);
	if (rc != ERR_OK)
		return rc;

	clock_gettime(CLOCK_REALTIME, &ts);
	ev->at_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	audit_hash(prev, ev, hash);

	rc = db_prepare(db, ins_sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, ev->seq) ||
	    sqlite3_bind_int64(st, 2, ev->at_ms) ||
	    audit_bind_opt(st, 3, ev->user_id) ||
	    audit_bind_opt(st, 4, ev->organization_id) ||
	    db_bind_text(st, 5, ev->action) ||
	    db_bind_text(st, 6, ev->entity) ||
	    audit_bind_opt(st, 7, ev->entity_id) ||
	    db_bind_text(st, 8, ev->before_json) ||
	    db_bind_text(st, 9, ev->after_json) ||
	    sqlite3_bind_blob(st, 10, prev, AUDIT_HASH_LEN, SQLITE_STATIC) ||
	    sqlite3_bind_blob(st, 11, hash, AUDIT_HASH_LEN, SQLITE_STATIC)) {
		rc = db_fail(db, "audit_append: bind");
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(db, "audit_append: insert");
out:
	db_release(st);
	return rc;
}

static const char *
audit_col_text_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL
	    ? NULL
	    : (const char *)sqlite3_column_text(st, col);
}

enum err
audit_verify(struct db *db, struct audit_verify_result *out)
{
	static const char sql[] =
	    "SELECT seq, at_ms, user_id, organization_id, action, entity,"
	    " entity_id, before_json, after_json, prev_hash, hash"
	    " FROM audit_events ORDER BY seq";
	unsigned char prev[AUDIT_HASH_LEN] = { 0 }, hash[AUDIT_HASH_LEN];
	struct audit_event ev;
	sqlite3_stmt *st = NULL;
	int64_t expect_seq = 1;
	enum err rc;
	int step;

	memset(out, 0, sizeof(*out));
	out->ok = true;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		ev.seq = sqlite3_column_int64(st, 0);
		ev.at_ms = sqlite3_column_int64(st, 1);
		ev.user_id = sqlite3_column_int64(st, 2);
		ev.organization_id = sqlite3_column_int64(st, 3);
		ev.action = audit_col_text_or_null(st, 4);
		ev.entity = audit_col_text_or_null(st, 5);
		ev.entity_id = sqlite3_column_int64(st, 6);
		ev.before_json = audit_col_text_or_null(st, 7);
		ev.after_json = audit_col_text_or_null(st, 8);
		audit_hash(prev, &ev, hash);
		if (out->ok &&
		    (ev.seq != expect_seq ||
		        sqlite3_column_bytes(st, 9) != AUDIT_HASH_LEN ||
		        sqlite3_column_bytes(st, 10) != AUDIT_HASH_LEN ||
		        memcmp(sqlite3_column_blob(st, 9), prev,
		            AUDIT_HASH_LEN) != 0 ||
		        memcmp(sqlite3_column_blob(st, 10), hash,
		            AUDIT_HASH_LEN) != 0)) {
			out->ok = false;
			out->first_broken_seq = ev.seq;
		}
		/* Continue from the recomputed hash: one edit, one break. */
		memcpy(prev, hash, AUDIT_HASH_LEN);
		expect_seq = ev.seq + 1;
		out->events++;
	}
	if (step != SQLITE_DONE)
		rc = db_fail(db, "audit_verify");
	db_release(st);
	sodium_bin2hex(
	    out->head_hash, sizeof(out->head_hash), prev, AUDIT_HASH_LEN);
	return rc;
}
