/*
 * The foundation's tables: organizations, users, credentials, auditor
 * grants, login throttling, numbering and idempotency.  All SQL lives in
 * src/db/; every read of organization data is scoped through user_scope.
 * Strings in the structs filled here are copies owned by the struct
 * (free with the matching _clear) unless noted.
 */
#ifndef PERGAMINO_STORES_H
#define PERGAMINO_STORES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/db.h"
#include "pergamino/err.h"
#include "pergamino/policy.h"

/*
 * The scope condition of a query for ONE row by id: is org (an SQL
 * expression) among the organizations viewer (a parameter) may see?
 * Lists say "org IN (SELECT organization_id FROM user_scope WHERE ...)",
 * which SQLite evaluates once into a temporary index, a good trade over
 * many rows; for one row that index costs more than the read itself
 * (page allocations on every call), so a single read asks EXISTS: two
 * index lookups, nothing built.
 */
#define STORE_SCOPED_ONE(org, viewer)                                          \
	" EXISTS (SELECT 1 FROM user_scope s_ WHERE s_.user_id = " viewer      \
	" AND s_.organization_id = " org ")"

/*
 * x folded the way registry_fold() folds a search text: the Spanish
 * accented letters to plain ones, then lower() (ASCII only in SQLite).
 * "Nuñez" and "NUNEZ" both find "Núñez".
 */
#define STORE_FOLD(x)                                                               \
	"lower(replace(replace(replace(replace(replace(replace(replace("            \
	"replace(replace(replace(replace(replace(replace(replace(" x                \
	", 'á', 'a'), 'é', 'e'), 'í', 'i'), 'ó', 'o'), 'ú', 'u'), 'ü', 'u')," \
	" 'ñ', 'n'), 'Á', 'a'), 'É', 'e'), 'Í', 'i'), 'Ó', 'o'), 'Ú', 'u'),"  \
	" 'Ü', 'u'), 'Ñ', 'n'))"

/* ---- shared paging (db/store_page.c) ---- */
typedef json_t *(*store_row_fn)(sqlite3_stmt *st);

/*
 * Step st (already bound; column 0 is the row id, rows ordered by id and
 * limited to limit + 1) and build up to limit items with row_fn.  *next is
 * the id to continue after, or 0 when this was the last page.  Releases
 * st.  *items is a new reference on success.
 */
enum err store_page(struct db *db, sqlite3_stmt *st, int64_t limit,
    store_row_fn row_fn, json_t **items, int64_t *next);
/* Step st for one row built by row_fn; ERR_NOT_FOUND. Releases st. */
enum err store_one(
    struct db *db, sqlite3_stmt *st, store_row_fn row_fn, json_t **out);
/*
 * Statements whose column 1 is the row as JSON text built by SQLite
 * (sql_json.h), column 0 its id: the row parsed (a store_row_fn), one
 * row's text (a new string, free()), or one page as the text of
 * jsonx_page(items, next): {"items":[...],"next_cursor":"id"|null}.
 */
json_t *store_row_json(sqlite3_stmt *st);
enum err store_one_text(struct db *db, sqlite3_stmt *st, char **out);
enum err store_page_text(
    struct db *db, sqlite3_stmt *st, int64_t limit, char **out);
/* Step a bound statement that returns no rows. Releases st. */
enum err store_done(struct db *db, sqlite3_stmt *st, const char *where);
/* store_done() of a bound INSERT; on success *id is the new row's id. */
enum err store_insert(
    struct db *db, sqlite3_stmt *st, const char *where, int64_t *id);
/*
 * Prepare sql, bind ?1 = a and ?2 = b and step to its first row: *st is
 * that row, which the caller reads and then db_release()s, or NULL when
 * there is none.  where names the caller in the log.
 */
enum err store_first_row(struct db *db, const char *sql, int64_t a, int64_t b,
    const char *where, sqlite3_stmt **st);
/*
 * Run sql with ?1 = a and ?2 = b; *id is column 0 of its first row, 0
 * when there is none (a lookup by number, say).
 */
enum err store_find_id(struct db *db, const char *sql, int64_t a, int64_t b,
    const char *where, int64_t *id);
/* Copy column col's text into dst (cap bytes, cut to fit; NULL is ""). */
void store_copy_text(char *dst, size_t cap, sqlite3_stmt *st, int col);
/* Optional text as stored in NOT NULL DEFAULT '' columns: NULL is "". */
const char *store_or_empty(const char *s);

/* ---- what every document stage's store shares (db/store_document.c) */

/*
 * How one kind of document is annulled.  annul_sql: UPDATE ... SET
 * annulled_at = ?3, annulled_by = ?4, annul_reason = ?5 WHERE
 * organization_id = ?1 AND id = ?2 AND <nothing depends on it>;
 * state_sql: SELECT annulled_at IS NOT NULL ... WHERE organization_id = ?1
 * AND id = ?2 (each stage writes its statements out in full, so the
 * tenancy scan of src/db sees their scope); release_sql, when not NULL, "UPDATE
 * ... SET live = 0 WHERE <doc> = ?1 AND live = 1": what the document held goes
 * back once it is annulled (a dispatch's notes, an order's kilos, a lot's LOP
 * outputs).
 */
struct store_annulment {
	const char *annul_sql;
	const char *state_sql;
	const char *release_sql;
};

/*
 * Annul document id of org_id as how says, releasing what it held, in
 * the caller's transaction.  *state is 0 when it was annulled; when
 * nothing changed it says why: 1 absent, 2 already annulled, 3 something
 * depends on it.
 */
enum err store_annul(struct db *db, const struct store_annulment *how,
    int64_t org_id, int64_t id, int64_t by, int64_t now, const char *reason,
    int *state);
/* Run "UPDATE ... SET x = ?3 WHERE organization_id = ?1 AND id = ?2". */
enum err store_set_text(struct db *db, const char *sql, int64_t org_id,
    int64_t id, const char *text);

/* ---- organizations (db/org_store.c) ---- */
struct org {
	int64_t id;
	const char *name;
	const char *ruc;
	enum org_kind kind;
	const char *address;
	const char *phone;
	int64_t created_at;
};

/* Insert; sets o->id.  ERR_CONFLICT on a duplicate RUC. */
enum err org_store_insert(struct db *db, struct org *o);
/*
 * Organization id as JSON, if the viewer may see it: its own, granted
 * ones, or any for the instance operator (viewer_id < 0).  ERR_NOT_FOUND
 * otherwise.
 */
enum err org_store_get_json(
    struct db *db, int64_t viewer_id, int64_t id, json_t **out);
/* One page of organizations visible to viewer (viewer_id < 0: all). */
enum err org_store_list_json(struct db *db, int64_t viewer_id, int64_t after,
    int64_t limit, json_t **items, int64_t *next);
/* Kind of organization id; ERR_NOT_FOUND. */
enum err org_store_kind(struct db *db, int64_t id, enum org_kind *out);
/* Find by RUC; *id 0 when absent. */
enum err org_store_find_ruc(struct db *db, const char *ruc, int64_t *id);

/* ---- users (db/user_store.c) ---- */
struct user {
	int64_t id;
	int64_t organization_id; /* 0: superadmin */
	const char *username;
	const char *display_name;
	enum role role;
	const char *password_hash;
	bool active;
	int64_t created_at;
	int64_t version;
};

enum err user_store_insert(struct db *db, struct user *u);
/*
 * User id as JSON (without the hash), if within org_id (0: any org, for
 * the instance operator).  Also its version for the ETag.
 */
enum err user_store_get_json(
    struct db *db, int64_t org_id, int64_t id, json_t **out, int64_t *version);
enum err user_store_list_json(struct db *db, int64_t org_id, int64_t after,
    int64_t limit, json_t **items, int64_t *next);
/*
 * For login: id, hash, active of username.  *found false when absent.
 * hash is written to a PASSWORD_HASH_MAX buffer.
 */
enum err user_store_credentials(struct db *db, const char *username,
    int64_t *id, char *hash, size_t hash_cap, bool *active, bool *found);
/* The user's password hash (for a self-service change). */
enum err user_store_hash(
    struct db *db, int64_t id, char *hash, size_t hash_cap);
/* Apply the non-NULL changes if version matches: ERR_PRECONDITION. */
enum err user_store_update(struct db *db, int64_t org_id, int64_t id,
    int64_t version, const char *display_name, enum role role, int active);
enum err user_store_set_password(
    struct db *db, int64_t id, const char *hash, int64_t now);
/* Id of an active auditor by username; ERR_NOT_FOUND. */
enum err user_store_find_auditor(
    struct db *db, const char *username, int64_t *id);
/* Id of username (any role); *id 0 when absent. */
enum err user_store_find(
    struct db *db, const char *username, int64_t *id, int64_t *org_id);

/* ---- credentials (db/credential_store.c) ---- */
enum err credential_store_insert(struct db *db, const char *kind,
    const unsigned char *hash, int64_t user_id, const char *name, int64_t now,
    int64_t expires_at, int64_t *id);
/* Revoke one credential of user_id (any kind). ERR_NOT_FOUND. */
enum err credential_store_revoke(
    struct db *db, int64_t user_id, int64_t id, const char *kind, int64_t now);
/* Revoke every session and API token of user_id. */
enum err credential_store_revoke_all(
    struct db *db, int64_t user_id, int64_t now);
/* Revoke every session of user_id except keep_id (0: all). */
enum err credential_store_revoke_sessions(
    struct db *db, int64_t user_id, int64_t keep_id, int64_t now);
enum err credential_store_list_tokens_json(
    struct db *db, int64_t user_id, json_t **items);

/* ---- auditor grants (db/grant_store.c) ---- */
enum err grant_store_insert(struct db *db, int64_t org_id, int64_t auditor_id,
    int64_t by, int64_t now, int64_t *id);
enum err grant_store_revoke(
    struct db *db, int64_t org_id, int64_t id, int64_t by, int64_t now);
/* Active grants given by org_id (for its admins) or held by auditor. */
enum err grant_store_list_json(struct db *db, int64_t org_id,
    int64_t auditor_id, int64_t after, int64_t limit, json_t **items,
    int64_t *next);

/* ---- login throttling (db/throttle_store.c) ---- */
#define THROTTLE_USER_FREE 5 /* failures per user name before locking */
#define THROTTLE_IP_FREE 20  /* per address: offices share one NAT */
#define THROTTLE_LOCK_MAX_S 3600
#define THROTTLE_FORGET_S 3600 /* quiet time after which failures reset */

/* Seconds until subject may try again (0: now). */
enum err throttle_store_wait(
    struct db *db, const char *subject, int64_t now, int64_t *wait_s);
/* Count a failure; past free_failures, lock for a doubling time. */
enum err throttle_store_fail(
    struct db *db, const char *subject, int free_failures, int64_t now);
enum err throttle_store_clear(struct db *db, const char *subject);

/* ---- numbering (db/numbering.c) ---- */
#define NUMBERING_SERIES_MAX 16 /* bytes */

/* Is doc_type one of the document types that take numbers? */
bool numbering_doc_type_valid(const char *doc_type);
/*
 * Assign the next correlative number of (org, doc_type, series) and bump
 * it.  Call inside the document's write transaction.
 */
enum err numbering_next(struct db *db, int64_t org_id, const char *doc_type,
    const char *series, int64_t *out);
/*
 * Set where numbering starts (to continue paper numbering).  Refused with
 * ERR_CONFLICT once a number of that series has been issued.
 */
enum err numbering_set_start(struct db *db, int64_t org_id,
    const char *doc_type, const char *series, int64_t next);
/*
 * Record that number used was taken outside numbering_next() (an ICO mark
 * already printed on the sacks): the next number is then past it, if it
 * was not already.  Call inside the document's write transaction.
 */
enum err numbering_take(struct db *db, int64_t org_id, const char *doc_type,
    const char *series, int64_t used);
enum err numbering_list_json(struct db *db, int64_t org_id, json_t **items);

/* ---- audit log reading (db/audit_store.c) ---- */
/* One page of audit events in viewer's scope (viewer_id < 0: all). */
enum err audit_store_list_json(struct db *db, int64_t viewer_id, int64_t after,
    int64_t limit, json_t **items, int64_t *next);

/* ---- idempotency (db/idempotency_store.c) ---- */
#define IDEMPOTENCY_KEY_MAX 128 /* bytes */

struct idempotency_hit {
	bool found;
	bool same_request;
	unsigned status;
	char *body;     /* owned */
	char *location; /* owned, may be NULL */
	char *etag;     /* owned, may be NULL */
};

enum err idempotency_store_find(struct db *db, int64_t user_id, const char *key,
    const unsigned char hash[32], struct idempotency_hit *out);
void idempotency_hit_clear(struct idempotency_hit *hit);
enum err idempotency_store_put(struct db *db, int64_t user_id, const char *key,
    const unsigned char hash[32], unsigned status, const char *body,
    const char *location, const char *etag, int64_t now);

/*
 * The tail of a paged list query on documents aliased d, one statement
 * per direction so SQLite walks d.id in order and stops at the limit (a
 * CASE in ORDER BY made it sort every row in scope: ~0.9 s a page at
 * national scale).  cur, lim, newest: the parameters, e.g. "?11"; the
 * statement for the other direction matches nothing.
 */
#define STORE_PAGE_ASC(cur, lim, newest)                                       \
	" AND (" cur " = 0 OR d.id > " cur ") AND NOT " newest                 \
	" ORDER BY d.id LIMIT " lim
#define STORE_PAGE_DESC(cur, lim, newest)                                      \
	" AND (" cur " = 0 OR d.id < " cur ") AND " newest                     \
	" ORDER BY d.id DESC LIMIT " lim
/*
 * A whole list statement: the page's ids are chosen first (only ids are
 * sorted), then its rows are built; where ends with a STORE_PAGE_* whose
 * direction dir ("" or " DESC") repeats.
 */
#define STORE_LIST(cols, from, where, dir)                                     \
	STORE_LIST_IDS(cols, from, from, where, dir)
/*
 * The same, the page's ids chosen from idfrom: only the tables the
 * filters need (the document and what it is filtered by), so choosing
 * reads an index of ids, not every row in scope joined to its producer,
 * plot and users.
 */
#define STORE_LIST_IDS(cols, from, idfrom, where, dir)                         \
	"SELECT " cols from " WHERE d.id IN (SELECT d.id" idfrom               \
	" WHERE" where ") ORDER BY d.id" dir

/* ---- housekeeping (db/housekeeping_store.c) ---- */
#define IDEMPOTENCY_KEEP_S (7 * 86400) /* a retry older than this is new */

struct housekeeping_counts {
	int64_t idempotency, sessions, login_failures; /* rows deleted */
};

/*
 * Delete what only served a while: idempotency records older than
 * keep_idempotency_s, browser sessions expired or revoked over an hour
 * ago (API tokens stay listed), and login failures that no longer lock
 * or count.  One transaction; evidence (documents, audit) is untouched.
 */
enum err housekeeping_purge(struct db *db, int64_t now,
    int64_t keep_idempotency_s, struct housekeeping_counts *out);

#endif
