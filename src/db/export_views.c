/*
 * Reading the export-stage documents as JSON: the export lot with its
 * sources and the shipments that took it, the shipment with its lots,
 * packing list and weight note, the certificate-of-transaction data, the
 * LOP outputs still available for lots, and what the kárdex shows of the
 * export stage.  Every query is scoped through user_scope on the
 * exporter: its users and the auditors it granted see these documents,
 * nobody else.  Lists use the same row builders as the single reads.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/export.h"
#include "pergamino/jsonx.h"
#include "pergamino/process_rules.h"
#include "pergamino/stores.h"
#include "pergamino/units.h"

/* ---- building objects: one failure makes the whole row NULL ---- */

struct jb {
	json_t *o; /* owned until jb_done */
	bool failed;
};

static void
jb_init(struct jb *b)
{
	b->o = json_object();
	b->failed = b->o == NULL;
}

/* Set k to v (stolen, may be NULL: that is a failure). */
static void
jb_set(struct jb *b, const char *k, json_t *v)
{
	if (json_object_set_new(b->o, k, v) != 0)
		b->failed = true;
}

static json_t *
jb_done(struct jb *b)
{
	if (b->failed) {
		json_decref(b->o);
		return NULL;
	}
	return b->o;
}

static json_t *
kg(int64_t g)
{
	return jsonx_decimal(g, 3, 3);
}

static int64_t
member(json_t *o, const char *k)
{
	return (int64_t)json_integer_value(json_object_get(o, k));
}

static const char *
member_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static bool
col_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

/* "1204" or "001-0064" of a number and series in o. */
static json_t *
number_text(json_t *o, const char *num, const char *ser)
{
	char text[PROCESS_NUMBER_TEXT_LEN];

	process_number_text(member(o, num), member_str(o, ser), text);
	return json_string(text);
}

/* {"sacks", "kilos"} */
static json_t *
sacks_kilos(int64_t sacks, int64_t g)
{
	return json_pack(
	    "{s:I, s:o}", "sacks", (json_int_t)sacks, "kilos", kg(g));
}

/* ---- the head every document shares ---- */

#define EXP_HEAD                                                               \
	"d.id, d.number, d.series, d.issued_on, d.created_at,"                 \
	" cu.username, d.annulled_at, au.username, d.annul_reason,"            \
	" o.id, o.name, o.ruc, o.address, o.phone, d.parties, d.status,"       \
	" d.programs"
#define EXP_HEAD_N 17
#define EXP_HEAD_JOINS                                                         \
	" JOIN organizations o ON o.id = d.organization_id"                    \
	" JOIN users cu ON cu.id = d.created_by"                               \
	" LEFT JOIN users au ON au.id = d.annulled_by"
#define EXP_SCOPE                                                              \
	" d.organization_id IN (SELECT organization_id FROM user_scope"        \
	" WHERE user_id = ?1)"

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
	H_ORG,
	H_PARTIES = H_ORG + 5,
	H_STATUS,
	H_PROGRAMS
};

static json_t *
exp_org(sqlite3_stmt *st, int c)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o}", "id",
	    (json_int_t)sqlite3_column_int64(st, c), "name",
	    jsonx_column_text(st, c + 1), "ruc", jsonx_column_text(st, c + 2),
	    "address", jsonx_column_text(st, c + 3), "phone",
	    jsonx_column_text(st, c + 4));
}

/* Number, dates, annulment, issuer, certification. */
static void
exp_head(struct jb *b, sqlite3_stmt *st)
{
	char number[PROCESS_NUMBER_TEXT_LEN];
	const char *status = db_column_text(st, H_STATUS);
	const char *label = strcmp(status, "organic") == 0 ? "Orgánico"
	    : strcmp(status, "transition") == 0            ? "En transición"
	                                                   : "Convencional";
	json_t *programs, *parties;

	process_number_text(sqlite3_column_int64(st, H_NUMBER),
	    db_column_text(st, H_SERIES), number);
	jb_set(b, "id", jsonx_column_int(st, H_ID));
	jb_set(b, "number", jsonx_column_int(st, H_NUMBER));
	jb_set(b, "series", jsonx_column_text(st, H_SERIES));
	jb_set(b, "number_text", json_string(number));
	jb_set(b, "issued_on", jsonx_column_text(st, H_ISSUED));
	jb_set(b, "created_at", jsonx_column_time(st, H_CREATED_AT));
	jb_set(b, "created_by", jsonx_column_text(st, H_CREATED_BY));
	jb_set(b, "annulled",
	    col_null(st, H_ANNULLED_AT)
	        ? json_null()
	        : json_pack("{s:o, s:o, s:o}", "at",
	              jsonx_column_time(st, H_ANNULLED_AT), "by",
	              jsonx_column_text(st, H_ANNULLED_BY), "reason",
	              jsonx_column_text(st, H_ANNUL_REASON)));
	jb_set(b, "organization", exp_org(st, H_ORG));
	/* Stored text that does not load: out of memory, not "no programs". */
	if (!jsonx_column_json(st, H_PROGRAMS, &programs))
		b->failed = true;
	if (!json_is_array(programs)) {
		json_decref(programs);
		programs = json_array();
	}
	jb_set(b, "status", json_string(status));
	jb_set(b, "programs", json_incref(programs));
	jb_set(b, "certification",
	    json_pack("{s:s, s:s, s:o}", "status", status, "label", label,
	        "programs", programs));
	/* Issued documents show their exporter as frozen at issue. */
	if (!jsonx_column_json(st, H_PARTIES, &parties))
		b->failed = true;
	if (json_is_object(parties) && json_object_size(parties) > 0 &&
	    json_object_update(b->o, parties) != 0)
		b->failed = true;
	json_decref(parties);
}

/* ---- export lots ---- */

/* clang-format off */
#define LOT_COLUMNS							       \
	EXP_HEAD ", d.organic_lot, d.ico_mark, d.ico_country, d.ico_exporter," \
	" d.ico_sequence, d.contract, d.buyer, d.preparation, d.defects,"      \
	" d.cup_score, d.sacks, d.kilos_g, d.net_per_sack_g, d.marks,"	       \
	" d.observations,"						       \
	" (SELECT json_group_array(json_object('lop', s.id, 'num', s.number,"  \
	"  'ser', s.series, 'lot', s.lot_code, 'on', s.issued_on,"	       \
	"  'contract', s.contract, 'pid', p.id, 'pname', p.name,"	       \
	"  'cat', x.category, 'g', x.kilos_g, 'live', x.live))"		       \
	"  FROM export_lot_sources x"					       \
	"  JOIN process_settlements s ON s.id = x.process_settlement_id"       \
	"  JOIN organizations p ON p.id = s.organization_id"		       \
	"  WHERE x.export_lot_id = d.id),"				       \
	" (SELECT json_group_array(json_object('id', sh.id, 'num', sh.number," \
	"  'ser', sh.series, 'inv', sh.invoice_number, 'bl', sh.bl_number,"    \
	"  'on', sh.shipped_on, 'issued', sh.issued_on, 'sacks', sl.sacks,"    \
	"  'g', sl.kilos_g))"						       \
	"  FROM shipment_lots sl JOIN shipments sh ON sh.id = sl.shipment_id"  \
	"  WHERE sl.export_lot_id = d.id AND sl.live = 1)"
/* clang-format on */

#define LOT_FROM " FROM export_lots d" EXP_HEAD_JOINS

static json_t *
lot_source(json_t *x)
{
	struct jb b;

	jb_init(&b);
	jb_set(&b, "process_settlement_id", json_integer(member(x, "lop")));
	jb_set(&b, "number", json_integer(member(x, "num")));
	jb_set(&b, "number_text", number_text(x, "num", "ser"));
	jb_set(&b, "lot_code", json_string(member_str(x, "lot")));
	jb_set(&b, "issued_on", json_string(member_str(x, "on")));
	jb_set(&b, "contract", json_string(member_str(x, "contract")));
	jb_set(&b, "plant",
	    json_pack("{s:I, s:s}", "id", (json_int_t)member(x, "pid"), "name",
	        member_str(x, "pname")));
	jb_set(&b, "plant_name", json_string(member_str(x, "pname")));
	jb_set(&b, "category", json_string(member_str(x, "cat")));
	jb_set(&b, "kilos", kg(member(x, "g")));
	jb_set(&b, "live", json_boolean(member(x, "live") == 1));
	return jb_done(&b);
}

static json_t *
lot_shipment(json_t *x)
{
	json_t *on = json_object_get(x, "on");

	return json_pack("{s:I, s:I, s:o, s:s, s:s, s:O, s:s, s:I, s:o}", "id",
	    (json_int_t)member(x, "id"), "number", (json_int_t)member(x, "num"),
	    "number_text", number_text(x, "num", "ser"), "invoice",
	    member_str(x, "inv"), "bl", member_str(x, "bl"), "shipped_on",
	    on != NULL ? on : json_null(), "issued_on", member_str(x, "issued"),
	    "sacks", (json_int_t)member(x, "sacks"), "kilos",
	    kg(member(x, "g")));
}

/* Each element of the JSON text in column col through fn, as an array. */
static json_t *
exp_items(struct jb *b, sqlite3_stmt *st, int col, json_t *(*fn)(json_t *),
    int64_t *sacks, int64_t *g)
{
	json_t *raw = jsonx_loads(db_column_text(st, col), 0, NULL);
	json_t *items = json_array(), *x;
	size_t i;

	if (!json_is_array(raw))
		b->failed = true;
	json_array_foreach(raw, i, x)
	{
		if (json_array_append_new(items, fn(x)) != 0)
			b->failed = true;
		if (sacks != NULL)
			*sacks += member(x, "sacks");
		if (g != NULL)
			*g += member(x, "g");
	}
	json_decref(raw);
	return items;
}

static json_t *
lot_row(sqlite3_stmt *st)
{
	int c = EXP_HEAD_N;
	int64_t sacks = sqlite3_column_int64(st, c + 10);
	int64_t g = sqlite3_column_int64(st, c + 11);
	int64_t shipped_sacks = 0, shipped_g = 0;
	struct jb b;

	jb_init(&b);
	exp_head(&b, st);
	jb_set(&b, "organic_lot", jsonx_column_text(st, c));
	jb_set(&b, "ico_mark", jsonx_column_text(st, c + 1));
	jb_set(&b, "ico",
	    json_pack("{s:I, s:o, s:I}", "country",
	        (json_int_t)sqlite3_column_int64(st, c + 2), "exporter",
	        jsonx_column_text(st, c + 3), "sequence",
	        (json_int_t)sqlite3_column_int64(st, c + 4)));
	jb_set(&b, "contract", jsonx_column_text(st, c + 5));
	jb_set(&b, "buyer", jsonx_column_text(st, c + 6));
	jb_set(&b, "preparation", jsonx_column_text(st, c + 7));
	jb_set(&b, "defects",
	    col_null(st, c + 8) ? json_null() : jsonx_column_int(st, c + 8));
	jb_set(&b, "cup_score",
	    col_null(st, c + 9) ? json_null()
	                        : jsonx_column_decimal(st, c + 9, 2, 2));
	jb_set(&b, "sacks", json_integer(sacks));
	jb_set(&b, "kilos", kg(g));
	jb_set(
	    &b, "qq", jsonx_decimal(units_qq_centi(g, UNITS_QQ_ORO_G), 2, 2));
	jb_set(&b, "net_per_sack_kg", jsonx_column_decimal(st, c + 12, 3, 3));
	jb_set(&b, "marks", jsonx_column_text(st, c + 13));
	jb_set(&b, "observations", jsonx_column_text(st, c + 14));
	jb_set(
	    &b, "sources", exp_items(&b, st, c + 15, lot_source, NULL, NULL));
	jb_set(&b, "shipments",
	    exp_items(
	        &b, st, c + 16, lot_shipment, &shipped_sacks, &shipped_g));
	jb_set(&b, "shipped", sacks_kilos(shipped_sacks, shipped_g));
	jb_set(
	    &b, "available", sacks_kilos(sacks - shipped_sacks, g - shipped_g));
	return jb_done(&b);
}

/* ---- shipments ---- */

/* clang-format off */
#define SHIPMENT_COLUMNS						       \
	EXP_HEAD ", d.contract, d.buyer_name, d.buyer_country,"		       \
	" d.invoice_number, d.invoice_lot_ref, d.bl_number, d.bl_lot_ref,"     \
	" d.vessel, d.booking, d.container, d.seal, d.port_loading,"	       \
	" d.port_destination, d.shipped_on, d.quality, d.sacks, d.kilos_g,"    \
	" d.gross_g, d.observations,"					       \
	" (SELECT json_group_array(json_object('id', l.id, 'num', l.number,"   \
	"  'ser', l.series, 'lot', l.organic_lot, 'ico', l.ico_mark,"	       \
	"  'marks', l.marks, 'nps', l.net_per_sack_g, 'contract', l.contract," \
	"  'status', l.status, 'sacks', sl.sacks, 'g', sl.kilos_g,"	       \
	"  'live', sl.live))"						       \
	"  FROM shipment_lots sl JOIN export_lots l ON l.id = sl.export_lot_id" \
	"  WHERE sl.shipment_id = d.id)"
/* clang-format on */

#define SHIPMENT_FROM " FROM shipments d" EXP_HEAD_JOINS

static json_t *
shipment_lot(json_t *x)
{
	struct jb b;

	jb_init(&b);
	jb_set(&b, "export_lot_id", json_integer(member(x, "id")));
	jb_set(&b, "number", json_integer(member(x, "num")));
	jb_set(&b, "number_text", number_text(x, "num", "ser"));
	jb_set(&b, "organic_lot", json_string(member_str(x, "lot")));
	jb_set(&b, "ico_mark", json_string(member_str(x, "ico")));
	jb_set(&b, "marks", json_string(member_str(x, "marks")));
	jb_set(&b, "contract", json_string(member_str(x, "contract")));
	jb_set(&b, "status", json_string(member_str(x, "status")));
	jb_set(&b, "net_per_sack_kg", kg(member(x, "nps")));
	jb_set(&b, "sacks", json_integer(member(x, "sacks")));
	jb_set(&b, "kilos", kg(member(x, "g")));
	jb_set(&b, "live", json_boolean(member(x, "live") == 1));
	return jb_done(&b);
}

/*
 * The packing list: per lot its marks, sacks and net kilos; the gross is
 * known per lot only when the shipment carries one lot (the shipment's
 * gross is weighed as a whole).
 */
static json_t *
shipment_packing_list(json_t *lots, int64_t sacks, int64_t g, int64_t gross)
{
	json_t *lines = json_array(), *x;
	size_t i;
	bool one = json_array_size(lots) == 1;

	json_array_foreach(lots, i, x)
	{
		if (json_array_append_new(lines,
		        json_pack("{s:I, s:O, s:O, s:O, s:O, s:O, s:o}", "item",
		            (json_int_t)i + 1, "organic_lot",
		            json_object_get(x, "organic_lot"), "ico_mark",
		            json_object_get(x, "ico_mark"), "marks",
		            json_object_get(x, "marks"), "sacks",
		            json_object_get(x, "sacks"), "net_kg",
		            json_object_get(x, "kilos"), "gross_kg",
		            one && gross > 0 ? kg(gross) : json_null())) != 0) {
			json_decref(lines);
			return NULL;
		}
	}
	return json_pack("{s:o, s:{s:I, s:o, s:o}}", "lines", lines, "totals",
	    "sacks", (json_int_t)sacks, "net_kg", kg(g), "gross_kg",
	    gross > 0 ? kg(gross) : json_null());
}

static json_t *
shipment_row(sqlite3_stmt *st)
{
	int c = EXP_HEAD_N;
	int64_t sacks = sqlite3_column_int64(st, c + 15);
	int64_t g = sqlite3_column_int64(st, c + 16);
	int64_t gross =
	    col_null(st, c + 17) ? 0 : sqlite3_column_int64(st, c + 17);
	json_t *lots;
	struct jb b;

	jb_init(&b);
	exp_head(&b, st);
	jb_set(&b, "contract", jsonx_column_text(st, c));
	jb_set(&b, "buyer_name", jsonx_column_text(st, c + 1));
	jb_set(&b, "buyer_country", jsonx_column_text(st, c + 2));
	jb_set(&b, "invoice_number", jsonx_column_text(st, c + 3));
	jb_set(&b, "invoice_lot_ref", jsonx_column_text(st, c + 4));
	jb_set(&b, "bl_number", jsonx_column_text(st, c + 5));
	jb_set(&b, "bl_lot_ref", jsonx_column_text(st, c + 6));
	jb_set(&b, "vessel", jsonx_column_text(st, c + 7));
	jb_set(&b, "booking", jsonx_column_text(st, c + 8));
	jb_set(&b, "container", jsonx_column_text(st, c + 9));
	jb_set(&b, "seal", jsonx_column_text(st, c + 10));
	jb_set(&b, "port_loading", jsonx_column_text(st, c + 11));
	jb_set(&b, "port_destination", jsonx_column_text(st, c + 12));
	jb_set(&b, "shipped_on",
	    col_null(st, c + 13) ? json_null() : jsonx_column_text(st, c + 13));
	jb_set(&b, "quality", jsonx_column_text(st, c + 14));
	jb_set(&b, "sacks", json_integer(sacks));
	jb_set(&b, "kilos", kg(g));
	jb_set(&b, "gross_kg", gross > 0 ? kg(gross) : json_null());
	jb_set(&b, "observations", jsonx_column_text(st, c + 18));
	lots = exp_items(&b, st, c + 19, shipment_lot, NULL, NULL);
	jb_set(&b, "lots", lots);
	jb_set(&b, "totals",
	    json_pack("{s:I, s:o, s:o, s:o}", "sacks", (json_int_t)sacks,
	        "kilos", kg(g), "qq",
	        jsonx_decimal(units_qq_centi(g, UNITS_QQ_ORO_G), 2, 2),
	        "gross_kg", gross > 0 ? kg(gross) : json_null()));
	jb_set(
	    &b, "packing_list", shipment_packing_list(lots, sacks, g, gross));
	jb_set(&b, "weight_note",
	    json_pack("{s:I, s:o, s:o, s:o}", "sacks", (json_int_t)sacks,
	        "gross_kg", gross > 0 ? kg(gross) : json_null(), "tare_kg",
	        gross > 0 ? kg(gross - g) : json_null(), "net_kg", kg(g)));
	return jb_done(&b);
}

/* ---- one document, and lists ---- */

/*
 * ?2 q, ?3 status, ?4 annulled, ?5 from, ?6 to, ?7 cursor, ?8 limit,
 * ?9 newest first.
 */
#define EXP_FILTERS(q, page)                                                   \
	" AND (?2 IS NULL OR " q ")"                                           \
	" AND (?3 IS NULL OR d.status = ?3)"                                   \
	" AND (?4 < 0 OR (d.annulled_at IS NOT NULL) = ?4)"                    \
	" AND (?5 IS NULL OR d.issued_on >= ?5)"                               \
	" AND (?6 IS NULL OR d.issued_on <= ?6)" page
#define EXP_LIKE(col) "instr(lower(" col "), lower(?2)) > 0"

/* clang-format off */
static const char lot_get_sql[] = "SELECT " LOT_COLUMNS LOT_FROM
    " WHERE" EXP_SCOPE " AND d.id = ?2";
static const char shipment_get_sql[] = "SELECT " SHIPMENT_COLUMNS
    SHIPMENT_FROM " WHERE" EXP_SCOPE " AND d.id = ?2";
#define EXP_LOT_Q EXP_LIKE("d.organic_lot") " OR " EXP_LIKE("d.ico_mark") \
    " OR " EXP_LIKE("d.contract")
#define EXP_SHIPMENT_Q EXP_LIKE("d.contract") " OR " \
    EXP_LIKE("d.invoice_number") " OR " EXP_LIKE("d.bl_number") " OR " \
    EXP_LIKE("d.container") " OR " EXP_LIKE("d.buyer_name")
#define EXP_ASC STORE_PAGE_ASC("?7", "?8", "?9")
#define EXP_DESC STORE_PAGE_DESC("?7", "?8", "?9")
static const char lot_list_sql[] = STORE_LIST(LOT_COLUMNS, LOT_FROM,
    EXP_SCOPE EXP_FILTERS(EXP_LOT_Q, EXP_ASC), "");
static const char shipment_list_sql[] = STORE_LIST(SHIPMENT_COLUMNS,
    SHIPMENT_FROM, EXP_SCOPE EXP_FILTERS(EXP_SHIPMENT_Q, EXP_ASC), "");
static const char lot_list_desc_sql[] = STORE_LIST(LOT_COLUMNS, LOT_FROM,
    EXP_SCOPE EXP_FILTERS(EXP_LOT_Q, EXP_DESC), " DESC");
static const char shipment_list_desc_sql[] = STORE_LIST(SHIPMENT_COLUMNS,
    SHIPMENT_FROM, EXP_SCOPE EXP_FILTERS(EXP_SHIPMENT_Q, EXP_DESC), " DESC");
/* clang-format on */

static const char *const exp_get_sql[EXPORT_DOC_COUNT] = {
	lot_get_sql,
	shipment_get_sql,
};
static const char *const exp_list_sql[2][EXPORT_DOC_COUNT] = {
	{ lot_list_sql, shipment_list_sql },
	{ lot_list_desc_sql, shipment_list_desc_sql },
};
static const store_row_fn exp_row_fn[EXPORT_DOC_COUNT] = {
	lot_row,
	shipment_row,
};

enum err
export_store_get_json(struct db *db, enum export_doc doc, int64_t viewer_id,
    int64_t id, json_t **out)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	if (doc >= EXPORT_DOC_COUNT)
		return ERR_INTERNAL;
	rc = db_prepare(db, exp_get_sql[doc], &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, id)) {
		db_release(st);
		return db_fail(db, "export_store_get_json: bind");
	}
	return store_one(db, st, exp_row_fn[doc], out);
}

enum err
export_store_list_json(struct db *db, enum export_doc doc, int64_t viewer_id,
    const struct export_filter *f, int64_t after, int64_t limit, json_t **items,
    int64_t *next)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	*items = NULL;
	*next = 0;
	if (doc >= EXPORT_DOC_COUNT)
		return ERR_INTERNAL;
	rc = db_prepare(db, exp_list_sql[f->newest_first ? 1 : 0][doc], &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    db_bind_text(
	        st, 2, f->q != NULL && f->q[0] != '\0' ? f->q : NULL) ||
	    db_bind_text(st, 3, f->status) ||
	    sqlite3_bind_int(st, 4, f->annulled) ||
	    db_bind_text(st, 5, f->from) || db_bind_text(st, 6, f->to) ||
	    sqlite3_bind_int64(st, 7, after) ||
	    sqlite3_bind_int64(st, 8, limit + 1) ||
	    sqlite3_bind_int(st, 9, f->newest_first ? 1 : 0)) {
		db_release(st);
		return db_fail(db, "export_store_list_json: bind");
	}
	return store_page(db, st, limit, exp_row_fn[doc], items, next);
}

/* ---- LOP outputs still available for export lots ---- */

static const char sources_sql[] =
    "SELECT s.id, s.number, s.series, s.issued_on, s.lot_code, s.contract,"
    " s.status, s.programs, p.id, p.name, c.id, c.name, x.category,"
    " x.kilos_g, x.allocated, m.id, m.organic_lot, m.ico_mark, m.marks,"
    " m.net_per_sack_g, m.sacks, s.characteristics"
    " FROM (SELECT o.process_settlement_id AS lop, o.category, o.kilos_g,"
    "  (SELECT coalesce(sum(e.kilos_g), 0) FROM export_lot_sources e"
    "   WHERE e.process_settlement_id = o.process_settlement_id"
    "   AND e.category = o.category AND e.live = 1) AS allocated"
    "  FROM process_settlement_outputs o"
    "  WHERE o.category IN ('export', 'export_mc') AND o.kilos_g > 0) x"
    " JOIN process_settlements s ON s.id = x.lop"
    " JOIN organizations p ON p.id = s.organization_id"
    " JOIN organizations c ON c.id = s.client_org_id"
    " LEFT JOIN marking_orders m ON m.process_order_id = s.process_order_id"
    "  AND m.annulled_at IS NULL"
    " WHERE s.annulled_at IS NULL AND x.kilos_g > x.allocated"
    " AND s.client_org_id IN (SELECT organization_id FROM user_scope"
    "  WHERE user_id = ?1)"
    " ORDER BY s.issued_on, s.id, x.category LIMIT ?2";

static json_t *
source_row(sqlite3_stmt *st)
{
	char number[PROCESS_NUMBER_TEXT_LEN];
	int64_t out_g = sqlite3_column_int64(st, 13);
	int64_t alloc_g = sqlite3_column_int64(st, 14);
	json_t *programs;
	struct jb b;

	process_number_text(
	    sqlite3_column_int64(st, 1), db_column_text(st, 2), number);
	jb_init(&b);
	if (!jsonx_column_json(st, 7, &programs))
		b.failed = true;
	jb_set(&b, "process_settlement_id", jsonx_column_int(st, 0));
	jb_set(&b, "number", jsonx_column_int(st, 1));
	jb_set(&b, "number_text", json_string(number));
	jb_set(&b, "issued_on", jsonx_column_text(st, 3));
	jb_set(&b, "lot_code", jsonx_column_text(st, 4));
	jb_set(&b, "contract", jsonx_column_text(st, 5));
	jb_set(&b, "characteristics", jsonx_column_text(st, 21));
	jb_set(&b, "status", jsonx_column_text(st, 6));
	jb_set(
	    &b, "programs", json_is_array(programs) ? programs : json_array());
	if (!json_is_array(programs))
		json_decref(programs);
	jb_set(&b, "plant",
	    json_pack("{s:o, s:o}", "id", jsonx_column_int(st, 8), "name",
	        jsonx_column_text(st, 9)));
	jb_set(&b, "client",
	    json_pack("{s:o, s:o}", "id", jsonx_column_int(st, 10), "name",
	        jsonx_column_text(st, 11)));
	jb_set(&b, "category", jsonx_column_text(st, 12));
	jb_set(&b, "output_kg", kg(out_g));
	jb_set(&b, "allocated_kg", kg(alloc_g));
	jb_set(&b, "available_kg", kg(out_g - alloc_g));
	jb_set(&b, "available_sacks",
	    json_integer(
	        export_sacks_of(out_g - alloc_g, UNITS_SACK_EXPORT_G)));
	jb_set(&b, "marking_order",
	    col_null(st, 15)
	        ? json_null()
	        : json_pack("{s:o, s:o, s:o, s:o, s:o}", "organic_lot",
	              jsonx_column_text(st, 16), "ico_mark",
	              jsonx_column_text(st, 17), "marks",
	              jsonx_column_text(st, 18), "net_per_sack_kg",
	              jsonx_column_decimal(st, 19, 3, 3), "sacks",
	              jsonx_column_int(st, 20)));
	return jb_done(&b);
}

enum err
export_store_sources_json(struct db *db, int64_t viewer_id, json_t **out)
{
	sqlite3_stmt *st = NULL;
	json_t *items = NULL;
	int64_t next = 0;
	enum err rc;

	*out = NULL;
	rc = db_prepare(db, sources_sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, EXPORT_SOURCES_LIST_MAX + 1)) {
		db_release(st);
		return db_fail(db, "export_store_sources_json: bind");
	}
	rc = store_page(
	    db, st, EXPORT_SOURCES_LIST_MAX, source_row, &items, &next);
	if (rc != ERR_OK)
		return rc;
	*out = json_pack("{s:o, s:b}", "items", items, "truncated", next != 0);
	return *out != NULL ? ERR_OK : ERR_NOMEM;
}

/* ---- certificate of transaction ---- */

/* One missing item: {code, field, detail_es, detail_en}. */
static void
cert_missing(struct jb *b, json_t *missing, const char *code, const char *field,
    struct msg why)
{
	if (json_array_append_new(missing,
	        json_pack("{s:s, s:s, s:s, s:s}", "code", code, "field", field,
	            "detail_es", why.es, "detail_en", why.en)) != 0)
		b->failed = true;
}

static const char cert_sql[] =
    "SELECT certifier, program, code, valid_from, valid_to"
    " FROM certifications WHERE organization_id = ?1"
    " ORDER BY program, valid_from, id";

/*
 * The exporter's certifications, each with valid_at_shipment; *valid set
 * for every program of the shipment that has one valid on date, and
 * *any_of for those that have one at all.
 */
static enum err
cert_certifications(struct db *db, int64_t org, const char *date,
    json_t *programs, json_t **out, bool *all_valid, bool *all_known)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array(), *p;
	bool valid[EXPORT_LOTS_MAX] = { false },
	     known[EXPORT_LOTS_MAX] = { false };
	size_t i, n = json_array_size(programs);
	enum err rc;
	int step;

	*out = NULL;
	if (arr == NULL)
		return ERR_NOMEM;
	rc = db_prepare(db, cert_sql, &st);
	if (rc != ERR_OK) {
		json_decref(arr);
		return rc;
	}
	if (sqlite3_bind_int64(st, 1, org)) {
		db_release(st);
		json_decref(arr);
		return db_fail(db, "cert_certifications: bind");
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		bool ok = export_valid_on(
		    db_column_text(st, 3), db_column_text(st, 4), date);

		json_array_foreach(programs, i, p)
		{
			if (i < EXPORT_LOTS_MAX &&
			    strcmp(json_string_value(p) != NULL
			            ? json_string_value(p)
			            : "",
			        db_column_text(st, 1)) == 0) {
				known[i] = true;
				valid[i] = valid[i] || ok;
			}
		}
		if (json_array_append_new(arr,
		        json_pack("{s:o, s:o, s:o, s:o, s:o, s:b}", "certifier",
		            jsonx_column_text(st, 0), "program",
		            jsonx_column_text(st, 1), "code",
		            jsonx_column_text(st, 2), "valid_from",
		            jsonx_column_text(st, 3), "valid_to",
		            jsonx_column_text(st, 4), "valid_at_shipment",
		            ok)) != 0)
			rc = ERR_NOMEM;
	}
	if (rc == ERR_OK && step != SQLITE_DONE)
		rc = db_fail(db, "cert_certifications");
	db_release(st);
	if (rc != ERR_OK) {
		json_decref(arr);
		return rc;
	}
	*all_valid = *all_known = true;
	for (i = 0; i < n && i < EXPORT_LOTS_MAX; i++) {
		*all_valid = *all_valid && valid[i];
		*all_known = *all_known && known[i];
	}
	*out = arr;
	return ERR_OK;
}

/* What the shipment's documents lack for the certificate. */
static void
cert_check_documents(struct jb *b, json_t *sh, json_t *missing)
{
	json_t *lot;
	size_t i;

	if (!json_is_null(json_object_get(sh, "annulled")))
		cert_missing(b, missing, "annulled", "id",
		    MSG("El embarque está anulado",
		        "The shipment is annulled"));
	if (member_str(sh, "invoice_number")[0] == '\0')
		cert_missing(b, missing, "no_invoice_number", "invoice_number",
		    MSG("Falta el número de la factura comercial",
		        "The commercial invoice number is missing"));
	if (member_str(sh, "bl_number")[0] == '\0')
		cert_missing(b, missing, "no_bl_number", "bl_number",
		    MSG("Falta el número del conocimiento de embarque (BL)",
		        "The bill of lading (BL) number is missing"));
	if (!json_is_string(json_object_get(sh, "shipped_on")))
		cert_missing(b, missing, "no_shipped_on", "shipped_on",
		    MSG("Falta la fecha de embarque",
		        "The shipment date is missing"));
	if (member_str(sh, "port_loading")[0] == '\0')
		cert_missing(b, missing, "no_port_loading", "port_loading",
		    MSG("Falta el puerto de embarque",
		        "The port of loading is missing"));
	if (member_str(sh, "port_destination")[0] == '\0')
		cert_missing(b, missing, "no_port_destination",
		    "port_destination",
		    MSG("Falta el puerto de destino",
		        "The port of destination is missing"));
	if (strcmp(member_str(sh, "status"), "organic") != 0)
		cert_missing(b, missing, "lot_not_organic", "lots",
		    MSG("El café no es orgánico: no hay certificado de "
		        "transacción orgánico",
		        "The coffee is not organic: there is no organic "
		        "certificate of transaction"));
	json_array_foreach(json_object_get(sh, "lots"), i, lot)
	{
		if (!json_is_true(json_object_get(lot, "live")))
			continue;
		if (!export_lot_ref_names(member_str(sh, "invoice_lot_ref"),
		        member_str(lot, "organic_lot")))
			cert_missing(b, missing, "invoice_lot_ref_missing",
			    "invoice_lot_ref",
			    MSG("La factura no indica el n.º de lote orgánico "
			        "del lote de exportación",
			        "The invoice does not give the export lot's "
			        "organic lot number"));
		if (!export_lot_ref_names(member_str(sh, "bl_lot_ref"),
		        member_str(lot, "organic_lot")))
			cert_missing(b, missing, "bl_lot_ref_missing",
			    "bl_lot_ref",
			    MSG("El conocimiento de embarque (BL) no indica el "
			        "n.º de lote orgánico del lote de exportación",
			        "The bill of lading (BL) does not give the "
			        "export lot's organic lot number"));
	}
}

static json_t *
cert_lot(json_t *lot)
{
	return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "export_lot_id",
	    json_object_get(lot, "export_lot_id"), "organic_lot",
	    json_object_get(lot, "organic_lot"), "ico_mark",
	    json_object_get(lot, "ico_mark"), "marks",
	    json_object_get(lot, "marks"), "sacks",
	    json_object_get(lot, "sacks"), "kilos",
	    json_object_get(lot, "kilos"));
}

static json_t *
cert_build(json_t *sh, json_t *certs, bool valid, bool known)
{
	json_t *missing = json_array(), *lots = json_array(), *lot, *on;
	struct jb b;
	size_t i;

	jb_init(&b);
	if (missing == NULL || lots == NULL)
		b.failed = true;
	cert_check_documents(&b, sh, missing);
	if (!known)
		cert_missing(&b, missing, "no_certification", "certifications",
		    MSG("El exportador no tiene certificación registrada del "
		        "programa del café",
		        "The exporter has no registered certification of the "
		        "coffee's program"));
	else if (!valid)
		cert_missing(&b, missing, "certification_expired",
		    "certifications",
		    MSG("La certificación del exportador no está vigente en la "
		        "fecha de embarque",
		        "The exporter's certification is not valid on the "
		        "shipment date"));
	json_array_foreach(json_object_get(sh, "lots"), i, lot)
	{
		if (json_is_true(json_object_get(lot, "live")) &&
		    json_array_append_new(lots, cert_lot(lot)) != 0)
			b.failed = true;
	}
	on = json_object_get(sh, "shipped_on");
	jb_set(&b, "shipment",
	    json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(sh, "id"),
	        "number_text", json_object_get(sh, "number_text"), "issued_on",
	        json_object_get(sh, "issued_on"), "shipped_on",
	        on != NULL ? on : json_null()));
	jb_set(
	    &b, "exporter", json_incref(json_object_get(sh, "organization")));
	jb_set(&b, "buyer",
	    json_pack("{s:O, s:O}", "name", json_object_get(sh, "buyer_name"),
	        "country", json_object_get(sh, "buyer_country")));
	jb_set(&b, "contract", json_incref(json_object_get(sh, "contract")));
	jb_set(&b, "invoice_number",
	    json_incref(json_object_get(sh, "invoice_number")));
	jb_set(&b, "invoice_lot_ref",
	    json_incref(json_object_get(sh, "invoice_lot_ref")));
	jb_set(&b, "bl_number", json_incref(json_object_get(sh, "bl_number")));
	jb_set(
	    &b, "bl_lot_ref", json_incref(json_object_get(sh, "bl_lot_ref")));
	jb_set(&b, "vessel", json_incref(json_object_get(sh, "vessel")));
	jb_set(&b, "container", json_incref(json_object_get(sh, "container")));
	jb_set(&b, "port_loading",
	    json_incref(json_object_get(sh, "port_loading")));
	jb_set(&b, "port_destination",
	    json_incref(json_object_get(sh, "port_destination")));
	jb_set(&b, "shipped_on", on != NULL ? json_incref(on) : json_null());
	jb_set(&b, "quality", json_incref(json_object_get(sh, "quality")));
	jb_set(&b, "certification",
	    json_incref(json_object_get(sh, "certification")));
	jb_set(&b, "lots", lots);
	jb_set(&b, "totals", json_incref(json_object_get(sh, "totals")));
	jb_set(&b, "certifications", json_incref(certs));
	jb_set(&b, "ready", json_boolean(json_array_size(missing) == 0));
	jb_set(&b, "missing", missing);
	return jb_done(&b);
}

enum err
export_store_certificate_json(
    struct db *db, int64_t viewer_id, int64_t id, json_t **out)
{
	json_t *sh = NULL, *certs = NULL, *org;
	const char *date;
	bool valid = false, known = false;
	enum err rc;

	*out = NULL;
	rc = export_store_get_json(db, EXPORT_SHIPMENT, viewer_id, id, &sh);
	if (rc != ERR_OK)
		return rc;
	/* The certifications as the registry has them now. */
	org = json_object_get(sh, "organization");
	date = json_string_value(json_object_get(sh, "shipped_on"));
	if (date == NULL)
		date = member_str(sh, "issued_on");
	rc = cert_certifications(db, member(org, "id"), date,
	    json_object_get(sh, "programs"), &certs, &valid, &known);
	if (rc == ERR_OK) {
		*out = cert_build(sh, certs, valid, known);
		rc = *out != NULL ? ERR_OK : ERR_NOMEM;
	}
	json_decref(certs);
	json_decref(sh);
	return rc;
}

/* ---- what the kárdex shows of the export stage ---- */

static const char kardex_lots_sql[] =
    "SELECT l.id, l.number, l.series, l.organic_lot, l.ico_mark,"
    " x.category, x.kilos_g,"
    " (SELECT json_group_array(json_object('id', sh.id, 'num', sh.number,"
    "  'ser', sh.series, 'inv', sh.invoice_number, 'bl', sh.bl_number,"
    "  'on', sh.shipped_on, 'issued', sh.issued_on, 'sacks', sl.sacks,"
    "  'g', sl.kilos_g))"
    "  FROM shipment_lots sl JOIN shipments sh ON sh.id = sl.shipment_id"
    "  WHERE sl.export_lot_id = l.id AND sl.live = 1)"
    " FROM export_lot_sources x JOIN export_lots l ON l.id = x.export_lot_id"
    " WHERE x.process_settlement_id = ?2 AND x.live = 1"
    " AND l.organization_id IN (SELECT organization_id FROM user_scope"
    "  WHERE user_id = ?1)"
    " ORDER BY l.id, x.category";

static const char kardex_stock_sql[] =
    "SELECT l.id, l.number, l.series, l.organic_lot, l.ico_mark, l.sacks,"
    " l.kilos_g,"
    " (SELECT coalesce(sum(sl.sacks), 0) FROM shipment_lots sl"
    "  WHERE sl.export_lot_id = l.id AND sl.live = 1),"
    " (SELECT coalesce(sum(sl.kilos_g), 0) FROM shipment_lots sl"
    "  WHERE sl.export_lot_id = l.id AND sl.live = 1),"
    " ?2 IN (SELECT organization_id FROM user_scope WHERE user_id = ?1)"
    " FROM (SELECT 1) LEFT JOIN export_lots l ON l.organization_id = ?2"
    "  AND l.annulled_at IS NULL"
    "  AND ?2 IN (SELECT organization_id FROM user_scope WHERE user_id = ?1)"
    " ORDER BY l.issued_on, l.id";

/* The export lots drawing on one LOP, and their shipments, into row. */
static enum err
kardex_row_lots(struct db *db, int64_t viewer_id, json_t *row)
{
	json_t *lots = json_array(), *ships = json_array(), *raw, *x, *lot;
	int64_t lop = member(json_object_get(row, "process_settlement"), "id");
	char number[PROCESS_NUMBER_TEXT_LEN];
	sqlite3_stmt *st = NULL;
	enum err rc = ERR_OK;
	size_t i;
	int step = SQLITE_DONE;

	if (lots == NULL || ships == NULL)
		rc = ERR_NOMEM;
	if (rc == ERR_OK && strcmp(member_str(row, "movement"), "in") == 0 &&
	    lop > 0) {
		rc = db_prepare(db, kardex_lots_sql, &st);
		if (rc == ERR_OK &&
		    (sqlite3_bind_int64(st, 1, viewer_id) ||
		        sqlite3_bind_int64(st, 2, lop)))
			rc = db_fail(db, "kardex_row_lots: bind");
		while (
		    rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
			struct jb b;

			if (!jsonx_column_json(st, 7, &raw))
				rc = ERR_NOMEM;
			process_number_text(sqlite3_column_int64(st, 1),
			    db_column_text(st, 2), number);
			jb_init(&b);
			jb_set(&b, "id", jsonx_column_int(st, 0));
			jb_set(&b, "number_text", json_string(number));
			jb_set(&b, "organic_lot", jsonx_column_text(st, 3));
			jb_set(&b, "ico_mark", jsonx_column_text(st, 4));
			jb_set(&b, "category", jsonx_column_text(st, 5));
			jb_set(&b, "kilos", jsonx_column_decimal(st, 6, 3, 3));
			jb_set(
			    &b, "shipments", json_array()); /* filled below */
			lot = jb_done(&b);
			json_array_foreach(raw, i, x)
			{
				json_t *sh = lot_shipment(x);

				if (sh == NULL || lot == NULL) {
					json_decref(sh);
					rc = ERR_NOMEM;
					continue;
				}
				/* One object in both lists: the lot's, the
				 * row's. */
				if (json_object_set_new(sh, "organic_lot",
				        jsonx_column_text(st, 3)) != 0 ||
				    json_array_append(
				        json_object_get(lot, "shipments"),
				        sh) != 0)
					rc = ERR_NOMEM;
				if (json_array_append_new(ships, sh) != 0)
					rc = ERR_NOMEM;
			}
			json_decref(raw);
			if (lot == NULL ||
			    json_array_append_new(lots, lot) != 0)
				rc = ERR_NOMEM;
		}
		if (rc == ERR_OK && step != SQLITE_DONE)
			rc = db_fail(db, "kardex_row_lots");
		if (st != NULL)
			db_release(st);
	}
	if (rc == ERR_OK &&
	    (json_object_set(row, "export_lots", lots) != 0 ||
	        json_object_set(row, "shipments", ships) != 0))
		rc = ERR_NOMEM;
	json_decref(lots);
	json_decref(ships);
	return rc;
}

/* The client's export coffee in lots: allocated, shipped, balance. */
static enum err
kardex_stock(struct db *db, int64_t viewer_id, json_t *entry)
{
	int64_t client = member(json_object_get(entry, "client"), "id");
	int64_t in_s = 0, in_g = 0, out_s = 0, out_g = 0;
	json_t *lots = json_array(), *stock;
	char number[PROCESS_NUMBER_TEXT_LEN];
	sqlite3_stmt *st = NULL;
	bool visible = false;
	enum err rc;
	int step;

	if (lots == NULL)
		return ERR_NOMEM;
	rc = db_prepare(db, kardex_stock_sql, &st);
	if (rc == ERR_OK &&
	    (sqlite3_bind_int64(st, 1, viewer_id) ||
	        sqlite3_bind_int64(st, 2, client)))
		rc = db_fail(db, "kardex_stock: bind");
	while (rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t s = sqlite3_column_int64(st, 5);
		int64_t g = sqlite3_column_int64(st, 6);
		int64_t ss = sqlite3_column_int64(st, 7);
		int64_t sg = sqlite3_column_int64(st, 8);

		visible = sqlite3_column_int(st, 9) == 1;
		if (col_null(st, 0))
			continue;
		in_s += s;
		in_g += g;
		out_s += ss;
		out_g += sg;
		process_number_text(
		    sqlite3_column_int64(st, 1), db_column_text(st, 2), number);
		if (json_array_append_new(lots,
		        json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
		            jsonx_column_int(st, 0), "number_text", number,
		            "organic_lot", jsonx_column_text(st, 3), "ico_mark",
		            jsonx_column_text(st, 4), "in", sacks_kilos(s, g),
		            "shipped", sacks_kilos(ss, sg), "balance",
		            sacks_kilos(s - ss, g - sg))) != 0)
			rc = ERR_NOMEM;
	}
	if (rc == ERR_OK && step != SQLITE_DONE)
		rc = db_fail(db, "kardex_stock");
	if (st != NULL)
		db_release(st);
	if (rc != ERR_OK) {
		json_decref(lots);
		return rc;
	}
	if (!visible) {
		json_decref(lots);
		stock = json_null();
	} else {
		stock = json_pack("{s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, "
		                  "s:o}",
		    "allocated_kg", kg(in_g), "shipped_kg", kg(out_g),
		    "balance_kg", kg(in_g - out_g), "allocated_qq",
		    jsonx_decimal(units_qq_centi(in_g, UNITS_QQ_ORO_G), 2, 2),
		    "balance_qq",
		    jsonx_decimal(
		        units_qq_centi(in_g - out_g, UNITS_QQ_ORO_G), 2, 2),
		    "allocated_sacks", (json_int_t)in_s, "shipped_sacks",
		    (json_int_t)out_s, "balance_sacks",
		    (json_int_t)(in_s - out_s), "lots", lots);
	}
	if (stock == NULL || json_object_set_new(entry, "export_stock", stock))
		return ERR_NOMEM;
	return ERR_OK;
}

enum err
export_store_kardex_annotate(struct db *db, int64_t viewer_id, json_t *doc)
{
	json_t *entry, *row;
	size_t i, j;
	enum err rc = ERR_OK;

	json_array_foreach(json_object_get(doc, "clients"), i, entry)
	{
		json_array_foreach(json_object_get(entry, "rows"), j, row)
		{
			rc = kardex_row_lots(db, viewer_id, row);
			if (rc != ERR_OK)
				return rc;
		}
		rc = kardex_stock(db, viewer_id, entry);
		if (rc != ERR_OK)
			return rc;
	}
	return rc;
}
