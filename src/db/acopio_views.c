/*
 * Reading the acopio documents as JSON: everything each printed form
 * shows (organization header, producer, figures, annulment), scoped to
 * the viewer's organizations through user_scope.  Lists use the same
 * row builders as the single reads.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/acopio_store.h"
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"
#include "pergamino/units.h"

/*
 * Columns shared by the three documents' queries, in this order.  The
 * live organization, producer and plot are read for a document being
 * issued; afterwards its frozen copy (d.parties) replaces them.
 */
#define ACOPIO_HEAD_COLUMNS                                                    \
	"d.id, d.number, d.series, d.issued_on, d.created_at,"                 \
	" cu.username, d.annulled_at, au.username, d.annul_reason,"            \
	" o.id, o.name, o.ruc, o.address, o.phone,"                            \
	" p.id, p.dni, p.first_names, p.last_names, p.caserio,"                \
	" p.district, p.province, p.address, p.status, p.programs,"            \
	" pl.id, pl.name, d.parties"
#define ACOPIO_HEAD_N 27

enum {
	H_ID,
	H_NUMBER,
	H_SERIES,
	H_ISSUED,
	H_CREATED_AT,
	H_CREATED_BY,
	H_ANNULLED_AT,
	H_ANNULLED_BY,
	H_ANNUL_REASON,
	H_ORG_ID,
	H_ORG_NAME,
	H_ORG_RUC,
	H_ORG_ADDRESS,
	H_ORG_PHONE,
	H_P_ID,
	H_P_DNI,
	H_P_FIRST,
	H_P_LAST,
	H_P_CASERIO,
	H_P_DISTRICT,
	H_P_PROVINCE,
	H_P_ADDRESS,
	H_P_STATUS,
	H_P_PROGRAMS,
	H_PLOT_ID,
	H_PLOT_NAME,
	H_PARTIES
};

/* Joins every document query shares; d is the document, r its reception. */
#define ACOPIO_HEAD_JOINS                                                      \
	" JOIN organizations o ON o.id = d.organization_id"                    \
	" JOIN producers p ON p.organization_id = r.organization_id"           \
	"  AND p.id = r.producer_id"                                           \
	" LEFT JOIN plots pl ON pl.organization_id = r.organization_id"        \
	"  AND pl.id = r.plot_id"                                              \
	" JOIN users cu ON cu.id = d.created_by"                               \
	" LEFT JOIN users au ON au.id = d.annulled_by"

#define ACOPIO_SCOPE                                                           \
	" d.organization_id IN (SELECT organization_id FROM user_scope"        \
	" WHERE user_id = ?1)"

static void
acopio_number_text(int64_t number, const char *series, char out[48])
{
	if (series != NULL && series[0] != '\0')
		snprintf(out, 48, "%s-%04lld", series, (long long)number);
	else
		snprintf(out, 48, "%lld", (long long)number);
}

/* The fields every document has: number, dates, header, producer. */
static json_t *
acopio_head(sqlite3_stmt *st)
{
	char number[48];
	json_t *programs, *doc, *annul, *parties;
	const char *series = db_column_text(st, H_SERIES);

	acopio_number_text(sqlite3_column_int64(st, H_NUMBER), series, number);
	if (!jsonx_column_json(st, H_P_PROGRAMS, &programs) ||
	    !jsonx_column_json(st, H_PARTIES, &parties)) {
		json_decref(programs);
		return NULL;
	}
	annul = sqlite3_column_type(st, H_ANNULLED_AT) == SQLITE_NULL
	    ? json_null()
	    : json_pack("{s:o, s:o, s:o}", "at",
	          jsonx_column_time(st, H_ANNULLED_AT), "by",
	          jsonx_column_text(st, H_ANNULLED_BY), "reason",
	          jsonx_column_text(st, H_ANNUL_REASON));
	doc = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:o,"
	                " s:{s:I, s:o, s:o, s:o, s:o},"
	                " s:{s:I, s:o, s:o, s:o, s:s++, s:o, s:o, s:o, s:o,"
	                " s:o, s:o},"
	                " s:o}",
	    "id", (json_int_t)sqlite3_column_int64(st, H_ID), "number",
	    (json_int_t)sqlite3_column_int64(st, H_NUMBER), "series", series,
	    "number_text", number, "issued_on", jsonx_column_text(st, H_ISSUED),
	    "created_at", jsonx_column_time(st, H_CREATED_AT), "created_by",
	    jsonx_column_text(st, H_CREATED_BY), "annulled", annul,
	    "organization", "id",
	    (json_int_t)sqlite3_column_int64(st, H_ORG_ID), "name",
	    jsonx_column_text(st, H_ORG_NAME), "ruc",
	    jsonx_column_text(st, H_ORG_RUC), "address",
	    jsonx_column_text(st, H_ORG_ADDRESS), "phone",
	    jsonx_column_text(st, H_ORG_PHONE), "producer", "id",
	    (json_int_t)sqlite3_column_int64(st, H_P_ID), "dni",
	    jsonx_column_text(st, H_P_DNI), "first_names",
	    jsonx_column_text(st, H_P_FIRST), "last_names",
	    jsonx_column_text(st, H_P_LAST), "full_name",
	    db_column_text(st, H_P_FIRST), " ", db_column_text(st, H_P_LAST),
	    "caserio", jsonx_column_text(st, H_P_CASERIO), "district",
	    jsonx_column_text(st, H_P_DISTRICT), "province",
	    jsonx_column_text(st, H_P_PROVINCE), "address",
	    jsonx_column_text(st, H_P_ADDRESS), "status",
	    jsonx_column_text(st, H_P_STATUS), "programs",
	    programs != NULL ? programs : json_array(), "plot",
	    sqlite3_column_type(st, H_PLOT_ID) == SQLITE_NULL
	        ? json_null()
	        : json_pack("{s:I, s:o}", "id",
	              (json_int_t)sqlite3_column_int64(st, H_PLOT_ID), "name",
	              jsonx_column_text(st, H_PLOT_NAME)));
	/* Issued documents show their parties as frozen at issue. */
	if (doc != NULL && json_is_object(parties) &&
	    json_object_size(parties) > 0 &&
	    json_object_update(doc, parties) != 0) {
		json_decref(doc);
		doc = NULL;
	}
	json_decref(parties);
	return doc;
}

/* Add src's members to dst (steals src). */
static json_t *
acopio_merge(json_t *dst, json_t *src)
{
	if (dst == NULL || src == NULL || json_object_update(dst, src) != 0) {
		json_decref(dst);
		json_decref(src);
		return NULL;
	}
	json_decref(src);
	return dst;
}

/* ---- receptions ---- */

#define RECEPTION_COLUMNS                                                      \
	ACOPIO_HEAD_COLUMNS                                                    \
	", r.campaign, r.delivery_code, r.status,"                             \
	" r.sacks, r.gross_g, r.tare_g, r.net_g, r.qq_centi, r.sample_g,"      \
	" r.exportable_g, r.discard_g, r.husk_g, r.exportable_pct,"            \
	" r.discard_pct, r.husk_pct, r.humidity, r.humidity_warning,"          \
	" r.over_estimate, r.observations, r.weighed_by, n.id, n.number"

#define RECEPTION_FROM                                                         \
	" FROM receptions d JOIN receptions r ON r.id = "                      \
	"d.id" ACOPIO_HEAD_JOINS                                               \
	" LEFT JOIN warehouse_notes n ON n.reception_id = d.id"                \
	"  AND n.annulled_at IS NULL"

static json_t *
reception_row(sqlite3_stmt *st)
{
	int c = ACOPIO_HEAD_N;

	return acopio_merge(acopio_head(st),
	    json_pack("{s:I, s:o, s:o, s:I, s:o, s:o, s:o, s:o,"
	              " s:{s:I, s:I, s:I, s:I, s:o, s:o, s:o},"
	              " s:o, s:o, s:o, s:o, s:o, s:o}",
	        "campaign", (json_int_t)sqlite3_column_int64(st, c),
	        "delivery_code", jsonx_column_text(st, c + 1), "status",
	        jsonx_column_text(st, c + 2), "sacks",
	        (json_int_t)sqlite3_column_int64(st, c + 3), "gross_kg",
	        jsonx_column_decimal(st, c + 4, 3, 3), "tare_kg",
	        jsonx_column_decimal(st, c + 5, 3, 3), "net_kg",
	        jsonx_column_decimal(st, c + 6, 3, 3), "qq",
	        jsonx_column_decimal(st, c + 7, 2, 2), "sample", "total_g",
	        (json_int_t)sqlite3_column_int64(st, c + 8), "exportable_g",
	        (json_int_t)sqlite3_column_int64(st, c + 9), "discard_g",
	        (json_int_t)sqlite3_column_int64(st, c + 10), "husk_g",
	        (json_int_t)sqlite3_column_int64(st, c + 11), "exportable_pct",
	        jsonx_column_decimal(st, c + 12, 2, 2), "discard_pct",
	        jsonx_column_decimal(st, c + 13, 2, 2), "husk_pct",
	        jsonx_column_decimal(st, c + 14, 2, 2), "humidity",
	        jsonx_column_decimal(st, c + 15, 1, 1), "humidity_warning",
	        jsonx_column_bool(st, c + 16), "over_estimate",
	        jsonx_column_bool(st, c + 17), "observations",
	        jsonx_column_text(st, c + 18), "weighed_by",
	        jsonx_column_text(st, c + 19), "note",
	        sqlite3_column_type(st, c + 20) == SQLITE_NULL
	            ? json_null()
	            : json_pack("{s:I, s:I}", "id",
	                  (json_int_t)sqlite3_column_int64(st, c + 20),
	                  "number",
	                  (json_int_t)sqlite3_column_int64(st, c + 21))));
}

/* ---- warehouse notes ---- */

#define NOTE_COLUMNS                                                           \
	ACOPIO_HEAD_COLUMNS                                                    \
	", r.id, r.number, r.issued_on, r.status,"                             \
	" r.delivery_code, r.sacks, r.gross_g, r.tare_g, r.net_g,"             \
	" r.qq_centi, r.sample_g, r.exportable_g, r.discard_g, r.husk_g,"      \
	" r.exportable_pct, r.discard_pct, r.husk_pct, r.humidity,"            \
	" d.price_centimos, d.yield_pct, d.total_centimos,"                    \
	" d.certification_program, d.certifier, d.observations, s.id,"         \
	" s.number"

#define NOTE_FROM                                                              \
	" FROM warehouse_notes d JOIN receptions r"                            \
	" ON r.organization_id = d.organization_id AND r.id = "                \
	"d.reception_id" ACOPIO_HEAD_JOINS                                     \
	" LEFT JOIN purchase_settlements s ON s.note_id = d.id"                \
	"  AND s.annulled_at IS NULL"

static json_t *
note_row(sqlite3_stmt *st)
{
	int c = ACOPIO_HEAD_N;
	bool settled = sqlite3_column_type(st, c + 24) != SQLITE_NULL;

	return acopio_merge(acopio_head(st),
	    json_pack("{s:{s:I, s:I, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o,"
	              " s:{s:I, s:I, s:I, s:I, s:o, s:o, s:o}, s:o},"
	              " s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o}",
	        "reception", "id", (json_int_t)sqlite3_column_int64(st, c),
	        "number", (json_int_t)sqlite3_column_int64(st, c + 1),
	        "issued_on", jsonx_column_text(st, c + 2), "status",
	        jsonx_column_text(st, c + 3), "delivery_code",
	        jsonx_column_text(st, c + 4), "sacks",
	        (json_int_t)sqlite3_column_int64(st, c + 5), "gross_kg",
	        jsonx_column_decimal(st, c + 6, 3, 3), "tare_kg",
	        jsonx_column_decimal(st, c + 7, 3, 3), "net_kg",
	        jsonx_column_decimal(st, c + 8, 3, 3), "qq",
	        jsonx_column_decimal(st, c + 9, 2, 2), "sample", "total_g",
	        (json_int_t)sqlite3_column_int64(st, c + 10), "exportable_g",
	        (json_int_t)sqlite3_column_int64(st, c + 11), "discard_g",
	        (json_int_t)sqlite3_column_int64(st, c + 12), "husk_g",
	        (json_int_t)sqlite3_column_int64(st, c + 13), "exportable_pct",
	        jsonx_column_decimal(st, c + 14, 2, 2), "discard_pct",
	        jsonx_column_decimal(st, c + 15, 2, 2), "husk_pct",
	        jsonx_column_decimal(st, c + 16, 2, 2), "humidity",
	        jsonx_column_decimal(st, c + 17, 1, 1), "price_per_qq",
	        jsonx_column_decimal(st, c + 18, 2, 2), "yield_pct",
	        jsonx_column_decimal(st, c + 19, 2, 2), "total",
	        jsonx_column_decimal(st, c + 20, 2, 2), "certification_program",
	        jsonx_column_text(st, c + 21), "certifier",
	        jsonx_column_text(st, c + 22), "observations",
	        jsonx_column_text(st, c + 23), "with_settlement", settled,
	        "settlement",
	        settled ? json_pack("{s:I, s:I}", "id",
	                      (json_int_t)sqlite3_column_int64(st, c + 24),
	                      "number",
	                      (json_int_t)sqlite3_column_int64(st, c + 25))
	                : json_null()));
}

/* ---- purchase settlements ---- */

#define SETTLEMENT_COLUMNS                                                     \
	ACOPIO_HEAD_COLUMNS                                                    \
	", n.id, n.number, r.id, r.number,"                                    \
	" r.delivery_code, d.quality, d.place_of_sale, d.qq_centi,"            \
	" d.net_g, d.humidity, d.price_centimos, d.subtotal_centimos,"         \
	" d.igv_rate_bp, d.igv_centimos, d.total_centimos,"                    \
	" d.amount_words, n.yield_pct"

#define SETTLEMENT_FROM                                                        \
	" FROM purchase_settlements d JOIN warehouse_notes n"                  \
	" ON n.organization_id = d.organization_id AND n.id = d.note_id"       \
	" JOIN receptions r ON r.organization_id = n.organization_id"          \
	"  AND r.id = n.reception_id" ACOPIO_HEAD_JOINS

static json_t *
settlement_row(sqlite3_stmt *st)
{
	int c = ACOPIO_HEAD_N;

	return acopio_merge(acopio_head(st),
	    json_pack("{s:{s:I, s:I}, s:{s:I, s:I, s:o}, s:o, s:o, s:o, s:o,"
	              " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	        "note", "id", (json_int_t)sqlite3_column_int64(st, c), "number",
	        (json_int_t)sqlite3_column_int64(st, c + 1), "reception", "id",
	        (json_int_t)sqlite3_column_int64(st, c + 2), "number",
	        (json_int_t)sqlite3_column_int64(st, c + 3), "delivery_code",
	        jsonx_column_text(st, c + 4), "quality",
	        jsonx_column_text(st, c + 5), "place_of_sale",
	        jsonx_column_text(st, c + 6), "qq",
	        jsonx_column_decimal(st, c + 7, 2, 2), "net_kg",
	        jsonx_column_decimal(st, c + 8, 3, 3), "humidity",
	        jsonx_column_decimal(st, c + 9, 1, 1), "price_per_qq",
	        jsonx_column_decimal(st, c + 10, 2, 2), "subtotal",
	        jsonx_column_decimal(st, c + 11, 2, 2), "igv_rate_pct",
	        jsonx_column_decimal(st, c + 12, 2, 2), "igv",
	        jsonx_column_decimal(st, c + 13, 2, 2), "total",
	        jsonx_column_decimal(st, c + 14, 2, 2), "amount_words",
	        jsonx_column_text(st, c + 15), "yield_pct",
	        jsonx_column_decimal(st, c + 16, 2, 2)));
}

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
    RECEPTION_FROM " WHERE" ACOPIO_SCOPE " AND d.id = ?2";
static const char note_get_sql[] = "SELECT " NOTE_COLUMNS NOTE_FROM
    " WHERE" ACOPIO_SCOPE " AND d.id = ?2";
static const char settlement_get_sql[] = "SELECT " SETTLEMENT_COLUMNS
    SETTLEMENT_FROM " WHERE" ACOPIO_SCOPE " AND d.id = ?2";
#define ACOPIO_LIST(cols, from, page, dir)                                     \
	STORE_LIST(cols, from, ACOPIO_SCOPE ACOPIO_FILTERS(page), dir)
static const char reception_list_sql[] =
    ACOPIO_LIST(RECEPTION_COLUMNS, RECEPTION_FROM, ACOPIO_ASC, "");
static const char note_list_sql[] =
    ACOPIO_LIST(NOTE_COLUMNS, NOTE_FROM, ACOPIO_ASC, "");
static const char settlement_list_sql[] =
    ACOPIO_LIST(SETTLEMENT_COLUMNS, SETTLEMENT_FROM, ACOPIO_ASC, "");
static const char reception_list_desc_sql[] =
    ACOPIO_LIST(RECEPTION_COLUMNS, RECEPTION_FROM, ACOPIO_DESC, " DESC");
static const char note_list_desc_sql[] =
    ACOPIO_LIST(NOTE_COLUMNS, NOTE_FROM, ACOPIO_DESC, " DESC");
static const char settlement_list_desc_sql[] =
    ACOPIO_LIST(SETTLEMENT_COLUMNS, SETTLEMENT_FROM, ACOPIO_DESC, " DESC");
/* clang-format on */

static store_row_fn
acopio_row_fn(enum acopio_doc doc)
{
	return doc == ACOPIO_RECEPTION ? reception_row
	    : doc == ACOPIO_NOTE       ? note_row
	                               : settlement_row;
}

enum err
acopio_store_get_json(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    int64_t id, json_t **out)
{
	const char *sql = doc == ACOPIO_RECEPTION ? reception_get_sql
	    : doc == ACOPIO_NOTE                  ? note_get_sql
	                                          : settlement_get_sql;
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, id)) {
		db_release(st);
		return db_fail(db, "acopio_store_get_json: bind");
	}
	return store_one(db, st, acopio_row_fn(doc), out);
}

enum err
acopio_store_list_json(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    const struct acopio_filter *f, int64_t after, int64_t limit, json_t **items,
    int64_t *next)
{
	const char *asc = doc == ACOPIO_RECEPTION ? reception_list_sql
	    : doc == ACOPIO_NOTE                  ? note_list_sql
	                                          : settlement_list_sql;
	const char *desc = doc == ACOPIO_RECEPTION ? reception_list_desc_sql
	    : doc == ACOPIO_NOTE                   ? note_list_desc_sql
	                                           : settlement_list_desc_sql;
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, f->newest_first ? desc : asc, &st);
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
		return db_fail(db, "acopio_store_list_json: bind");
	}
	return store_page(db, st, limit, acopio_row_fn(doc), items, next);
}
