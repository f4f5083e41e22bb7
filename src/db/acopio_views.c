/*
 * Reading the acopio documents as JSON: everything each printed form
 * shows (organization header, producer, figures, annulment), scoped to
 * the viewer's organizations through user_scope.  Lists use the same
 * row builders as the single reads.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/acopio_store.h"
#include "pergamino/sql_json.h"
#include "pergamino/stores.h"

/* clang-format off */
/*
 * Each document is built by SQLite as one JSON text (json_object; see
 * sql_json.h): column 0 the id, column 1 the document.  The members every
 * document has come first, in this order; the organization, producer and
 * plot are the live rows while a document is being issued, and their
 * frozen copy (d.parties) once it is.  rec is the alias of the document's
 * reception: "d" for a reception itself, "r" for the others.
 *
 * The live rows are read by correlated subqueries that run only when the
 * frozen copy is missing, not joined: an issued document (all of them
 * once committed) then costs no lookup of its organization, producer and
 * plot, and a reception is read once instead of joined to itself (10 k of
 * the ~115 k instructions of a read by id, callgrind).  The rows they read
 * always exist (foreign keys), so a join never removed a document.
 */
#define ACOPIO_PARTY(key, live)                                                \
	" '" key "', coalesce(d.parties -> '$." key "', " live ")"
#define ACOPIO_HEAD(rec)                                                       \
	"'id', d.id, 'number', d.number, 'series', d.series,"                  \
	" 'number_text', " SQLJ_NUMBER_TEXT("d") ","                           \
	" 'issued_on', d.issued_on,"                                           \
	" 'created_at', " SQLJ_TIME("d.created_at") ","                        \
	" 'created_by', cu.username,"                                          \
	" 'annulled', CASE WHEN d.annulled_at IS NULL THEN NULL ELSE"          \
	" json_object('at', " SQLJ_TIME("d.annulled_at") ","                   \
	" 'by', (SELECT au.username FROM users au"                             \
	" WHERE au.id = d.annulled_by), 'reason', d.annul_reason) END,"        \
	ACOPIO_PARTY("organization", "(SELECT json_object('id', o.id,"         \
	" 'name', o.name, 'ruc', o.ruc, 'address', o.address,"                 \
	" 'phone', o.phone) FROM organizations o"                              \
	" WHERE o.id = d.organization_id)") ","                                \
	ACOPIO_PARTY("producer", "(SELECT json_object('id', p.id,"             \
	" 'dni', p.dni, 'first_names', p.first_names,"                         \
	" 'last_names', p.last_names,"                                         \
	" 'full_name', coalesce(p.first_names, '') || ' ' ||"                  \
	" coalesce(p.last_names, ''), 'caserio', p.caserio,"                   \
	" 'district', p.district, 'province', p.province,"                     \
	" 'address', p.address, 'status', p.status,"                           \
	" 'programs', " SQLJ_JSON("p.programs") ") FROM producers p"           \
	" WHERE p.organization_id = " rec ".organization_id"                   \
	" AND p.id = " rec ".producer_id)") ","                                \
	ACOPIO_PARTY("plot", "(SELECT json_object('id', pl.id,"                \
	" 'name', pl.name) FROM plots pl"                                      \
	" WHERE pl.organization_id = " rec ".organization_id"                  \
	" AND pl.id = " rec ".plot_id)")

/* Joins every document query shares; d is the document. */
#define ACOPIO_HEAD_JOINS " JOIN users cu ON cu.id = d.created_by"

#define ACOPIO_SCOPE                                                           \
	" d.organization_id IN (SELECT organization_id FROM user_scope"        \
	" WHERE user_id = ?1)"
/* One document: see STORE_SCOPED_ONE. */
#define ACOPIO_SCOPE_ONE STORE_SCOPED_ONE("d.organization_id", "?1")

/* The sample's weights of reception rec, shared by receptions and notes. */
#define ACOPIO_SAMPLE(rec)                                                     \
	" 'sample', json_object('total_g', " rec ".sample_g,"                  \
	" 'exportable_g', " rec ".exportable_g,"                               \
	" 'discard_g', " rec ".discard_g, 'husk_g', " rec ".husk_g,"           \
	" 'exportable_pct', " SQLJ_DEC2(rec ".exportable_pct") ","             \
	" 'discard_pct', " SQLJ_DEC2(rec ".discard_pct") ","                   \
	" 'husk_pct', " SQLJ_DEC2(rec ".husk_pct") ")"

/* ---- receptions ---- */

#define RECEPTION_COLUMNS                                                      \
	"d.id, json_object(" ACOPIO_HEAD("d") ", 'campaign', d.campaign,"      \
	" 'delivery_code', d.delivery_code, 'status', d.status,"               \
	" 'sacks', d.sacks,"                                                   \
	" 'gross_kg', " SQLJ_DEC3("d.gross_g") ","                             \
	" 'tare_kg', " SQLJ_DEC3("d.tare_g") ","                               \
	" 'net_kg', " SQLJ_DEC3("d.net_g") ","                                 \
	" 'qq', " SQLJ_DEC2("d.qq_centi") "," ACOPIO_SAMPLE("d") ","            \
	" 'humidity', " SQLJ_DEC1("d.humidity") ","                            \
	" 'humidity_warning', " SQLJ_BOOL("d.humidity_warning") ","            \
	" 'over_estimate', " SQLJ_BOOL("d.over_estimate") ","                  \
	" 'observations', d.observations, 'weighed_by', d.weighed_by,"         \
	" 'note', CASE WHEN n.id IS NULL THEN NULL ELSE"                       \
	" json_object('id', n.id, 'number', n.number) END)"

#define RECEPTION_FROM                                                         \
	" FROM receptions d" ACOPIO_HEAD_JOINS                                 \
	" LEFT JOIN warehouse_notes n ON n.reception_id = d.id"                \
	"  AND n.annulled_at IS NULL"

/* ---- warehouse notes ---- */

#define NOTE_COLUMNS                                                           \
	"d.id, json_object(" ACOPIO_HEAD("r") ","                                   \
	" 'reception', json_object('id', r.id, 'number', r.number,"            \
	" 'issued_on', r.issued_on, 'status', r.status,"                       \
	" 'delivery_code', r.delivery_code, 'sacks', r.sacks,"                 \
	" 'gross_kg', " SQLJ_DEC3("r.gross_g") ","                             \
	" 'tare_kg', " SQLJ_DEC3("r.tare_g") ","                               \
	" 'net_kg', " SQLJ_DEC3("r.net_g") ","                                 \
	" 'qq', " SQLJ_DEC2("r.qq_centi") "," ACOPIO_SAMPLE("r") ","                \
	" 'humidity', " SQLJ_DEC1("r.humidity") "),"                           \
	" 'price_per_qq', " SQLJ_DEC2("d.price_centimos") ","                  \
	" 'yield_pct', " SQLJ_DEC2("d.yield_pct") ","                          \
	" 'total', " SQLJ_DEC2("d.total_centimos") ","                         \
	" 'certification_program', d.certification_program,"                  \
	" 'certifier', d.certifier, 'observations', d.observations,"           \
	" 'with_settlement', " SQLJ_BOOL("s.id IS NOT NULL") ","               \
	" 'settlement', CASE WHEN s.id IS NULL THEN NULL ELSE"                 \
	" json_object('id', s.id, 'number', s.number) END)"

#define NOTE_FROM                                                              \
	" FROM warehouse_notes d JOIN receptions r"                            \
	" ON r.organization_id = d.organization_id"                            \
	" AND r.id = d.reception_id" ACOPIO_HEAD_JOINS                         \
	" LEFT JOIN purchase_settlements s ON s.note_id = d.id"                \
	"  AND s.annulled_at IS NULL"

/* ---- purchase settlements ---- */

#define SETTLEMENT_COLUMNS                                                     \
	"d.id, json_object(" ACOPIO_HEAD("r") ","                                   \
	" 'note', json_object('id', n.id, 'number', n.number),"                \
	" 'reception', json_object('id', r.id, 'number', r.number,"            \
	" 'delivery_code', r.delivery_code),"                                  \
	" 'quality', d.quality, 'place_of_sale', d.place_of_sale,"             \
	" 'qq', " SQLJ_DEC2("d.qq_centi") ","                                  \
	" 'net_kg', " SQLJ_DEC3("d.net_g") ","                                 \
	" 'humidity', " SQLJ_DEC1("d.humidity") ","                            \
	" 'price_per_qq', " SQLJ_DEC2("d.price_centimos") ","                  \
	" 'subtotal', " SQLJ_DEC2("d.subtotal_centimos") ","                   \
	" 'igv_rate_pct', " SQLJ_DEC2("d.igv_rate_bp") ","                     \
	" 'igv', " SQLJ_DEC2("d.igv_centimos") ","                             \
	" 'total', " SQLJ_DEC2("d.total_centimos") ","                         \
	" 'amount_words', d.amount_words,"                                     \
	" 'yield_pct', " SQLJ_DEC2("n.yield_pct") ")"

#define SETTLEMENT_FROM                                                        \
	" FROM purchase_settlements d JOIN warehouse_notes n"                  \
	" ON n.organization_id = d.organization_id AND n.id = d.note_id"       \
	" JOIN receptions r ON r.organization_id = n.organization_id"          \
	"  AND r.id = n.reception_id" ACOPIO_HEAD_JOINS

/*
 * What a list's filters need, and nothing else (see STORE_LIST_IDS): a
 * reception is its own r.
 */
#define RECEPTION_IDS " FROM receptions d JOIN receptions r ON r.id = d.id"
#define NOTE_IDS                                                               \
	" FROM warehouse_notes d JOIN receptions r"                            \
	" ON r.organization_id = d.organization_id AND r.id = d.reception_id"
#define SETTLEMENT_IDS                                                         \
	" FROM purchase_settlements d JOIN warehouse_notes n"                  \
	" ON n.organization_id = d.organization_id AND n.id = d.note_id"       \
	" JOIN receptions r ON r.organization_id = n.organization_id"          \
	"  AND r.id = n.reception_id"
/* clang-format on */

/*
 * The list filters, shared by the three document kinds: ?2 producer,
 * ?3 from, ?4 to, ?5 status (the reception's), ?6 annulled, ?7 flagged,
 * ?8 campaign, ?9 number, ?10 cursor, ?11 limit, ?12 newest first.
 */
#define ACOPIO_FILTERS(page)                                                   \
	" AND (?2 = 0 OR r.producer_id = ?2)"                                  \
	" AND (?3 IS NULL OR d.issued_on >= ?3)"                               \
	" AND (?4 IS NULL OR d.issued_on <= ?4)"                               \
	" AND (?5 IS NULL OR r.status = ?5)"                                   \
	" AND (?6 < 0 OR (d.annulled_at IS NOT NULL) = ?6)"                    \
	" AND (?7 < 0 OR (r.over_estimate = 1 OR r.humidity_warning = 1) = "   \
	"?7)"                                                                  \
	" AND (?8 = 0 OR r.campaign = ?8)"                                     \
	" AND (?9 = 0 OR d.number = ?9)" page
#define ACOPIO_ASC STORE_PAGE_ASC("?10", "?11", "?12")
#define ACOPIO_DESC STORE_PAGE_DESC("?10", "?11", "?12")

/* clang-format off */
static const char reception_get_sql[] = "SELECT " RECEPTION_COLUMNS
    RECEPTION_FROM " WHERE" ACOPIO_SCOPE_ONE " AND d.id = ?2";
static const char note_get_sql[] = "SELECT " NOTE_COLUMNS NOTE_FROM
    " WHERE" ACOPIO_SCOPE_ONE " AND d.id = ?2";
static const char settlement_get_sql[] = "SELECT " SETTLEMENT_COLUMNS
    SETTLEMENT_FROM " WHERE" ACOPIO_SCOPE_ONE " AND d.id = ?2";
#define ACOPIO_LIST(cols, from, idfrom, page, dir)                             \
	STORE_LIST_IDS(cols, from, idfrom, ACOPIO_SCOPE ACOPIO_FILTERS(page), dir)
/*
 * [document][filtered][newest first].  A list without filters (the
 * screens' default) chooses its page from the document table alone: a
 * covering index scan of the organizations' ids (~1 ms for 25 000 rows in
 * scope), where the filtered statement must read every row in scope.
 */
#define ACOPIO_PLAIN(doc) " FROM " doc " d"
#define ACOPIO_LISTS(cols, from, table, ids)                                   \
	{ { STORE_LIST_IDS(cols, from, ACOPIO_PLAIN(table),                    \
	        ACOPIO_SCOPE ACOPIO_ASC, ""),                                  \
	    STORE_LIST_IDS(cols, from, ACOPIO_PLAIN(table),                    \
	        ACOPIO_SCOPE ACOPIO_DESC, " DESC") },                          \
	  { ACOPIO_LIST(cols, from, ids, ACOPIO_ASC, ""),                      \
	    ACOPIO_LIST(cols, from, ids, ACOPIO_DESC, " DESC") } }
static const char *const acopio_list_sql[3][2][2] = {
	ACOPIO_LISTS(RECEPTION_COLUMNS, RECEPTION_FROM, "receptions",
	    RECEPTION_IDS),
	ACOPIO_LISTS(NOTE_COLUMNS, NOTE_FROM, "warehouse_notes", NOTE_IDS),
	ACOPIO_LISTS(SETTLEMENT_COLUMNS, SETTLEMENT_FROM,
	    "purchase_settlements", SETTLEMENT_IDS),
};
/* clang-format on */

/* The bound statement reading document id for viewer_id. */
static enum err
acopio_get_stmt(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    int64_t id, sqlite3_stmt **out)
{
	const char *sql = doc == ACOPIO_RECEPTION ? reception_get_sql
	    : doc == ACOPIO_NOTE                  ? note_get_sql
	                                          : settlement_get_sql;
	enum err rc;

	rc = db_prepare(db, sql, out);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(*out, 1, viewer_id) ||
	    sqlite3_bind_int64(*out, 2, id)) {
		db_release(*out);
		*out = NULL;
		return db_fail(db, "acopio_get_stmt: bind");
	}
	return ERR_OK;
}

enum err
acopio_store_get_json(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    int64_t id, json_t **out)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	rc = acopio_get_stmt(db, doc, viewer_id, id, &st);
	return rc != ERR_OK ? rc : store_one(db, st, store_row_json, out);
}

enum err
acopio_store_get_text(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    int64_t id, char **out)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	rc = acopio_get_stmt(db, doc, viewer_id, id, &st);
	return rc != ERR_OK ? rc : store_one_text(db, st, out);
}

/* The bound statement of one page of a list (limit + 1 rows). */
static enum err
acopio_list_stmt(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    const struct acopio_filter *f, int64_t after, int64_t limit,
    sqlite3_stmt **out)
{
	bool filtered = f->producer_id != 0 || f->from != NULL ||
	    f->to != NULL || f->status != NULL || f->annulled >= 0 ||
	    f->flagged >= 0 || f->campaign != 0 || f->number != 0;
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	rc = db_prepare(db,
	    acopio_list_sql[doc][filtered ? 1 : 0][f->newest_first ? 1 : 0],
	    &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, f->producer_id) ||
	    db_bind_text(st, 3, f->from) || db_bind_text(st, 4, f->to) ||
	    db_bind_text(st, 5, f->status) ||
	    sqlite3_bind_int(st, 6, f->annulled) ||
	    sqlite3_bind_int(st, 7, f->flagged) ||
	    sqlite3_bind_int64(st, 8, f->campaign) ||
	    sqlite3_bind_int64(st, 9, f->number) ||
	    sqlite3_bind_int64(st, 10, after) ||
	    sqlite3_bind_int64(st, 11, limit + 1) ||
	    sqlite3_bind_int(st, 12, f->newest_first ? 1 : 0)) {
		db_release(st);
		return db_fail(db, "acopio_list_stmt: bind");
	}
	*out = st;
	return ERR_OK;
}

enum err
acopio_store_list_json(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    const struct acopio_filter *f, int64_t after, int64_t limit, json_t **items,
    int64_t *next)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	*items = NULL;
	*next = 0;
	rc = acopio_list_stmt(db, doc, viewer_id, f, after, limit, &st);
	return rc != ERR_OK
	    ? rc
	    : store_page(db, st, limit, store_row_json, items, next);
}

enum err
acopio_store_list_text(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    const struct acopio_filter *f, int64_t after, int64_t limit, char **out)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	rc = acopio_list_stmt(db, doc, viewer_id, f, after, limit, &st);
	return rc != ERR_OK ? rc : store_page_text(db, st, limit, out);
}
