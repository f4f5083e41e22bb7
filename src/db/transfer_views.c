/*
 * Reading the transfer documents as JSON: everything the guía de
 * remisión (with its producer list) and the guía de ingreso a planta
 * print, with the reconciliation of their weights.  Scoped through
 * user_scope to both sides of the transfer: a dispatch is visible to its
 * issuer and its recipient, a plant receipt to the plant and its client.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/jsonx.h"
#include "pergamino/stores.h"
#include "pergamino/transfer.h"

#define TV_SCOPE_OF(col)                                                       \
	" " col " IN (SELECT organization_id FROM user_scope WHERE user_id = " \
	"?1)"

/* Set key to v (stolen) in o; a failure is remembered in *ok. */
static void
tv_set(json_t *o, const char *key, json_t *v, bool *ok)
{
	if (o == NULL || v == NULL) {
		json_decref(v);
		*ok = false;
	} else if (json_object_set_new(o, key, v) != 0) {
		*ok = false; /* it released v: no second json_decref */
	}
}

/* o, or NULL (released) if building it failed. */
static json_t *
tv_done(json_t *o, bool ok)
{
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
tv_int(sqlite3_stmt *st, int col)
{
	return json_integer(sqlite3_column_int64(st, col));
}

static json_t *
tv_kg(sqlite3_stmt *st, int col)
{
	return jsonx_column_decimal(st, col, 3, 3);
}

/* "001-0064" with a series, "5469" without. */
static json_t *
tv_number_text(int64_t number, const char *series)
{
	char out[48];

	if (series != NULL && series[0] != '\0')
		snprintf(
		    out, sizeof(out), "%s-%04lld", series, (long long)number);
	else
		snprintf(out, sizeof(out), "%lld", (long long)number);
	return json_string(out);
}

/* {id, number, number_text} of a referenced document, or null. */
static json_t *
tv_ref(sqlite3_stmt *st, int id_col, int number_col, int series_col)
{
	if (sqlite3_column_type(st, id_col) == SQLITE_NULL)
		return json_null();
	return json_pack("{s:I, s:I, s:o}", "id",
	    (json_int_t)sqlite3_column_int64(st, id_col), "number",
	    (json_int_t)sqlite3_column_int64(st, number_col), "number_text",
	    tv_number_text(sqlite3_column_int64(st, number_col),
	        db_column_text(st, series_col)));
}

/* An organization's header: columns id, name, ruc, address, phone. */
static json_t *
tv_org(sqlite3_stmt *st, int col)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o}", "id",
	    (json_int_t)sqlite3_column_int64(st, col), "name",
	    jsonx_column_text(st, col + 1), "ruc",
	    jsonx_column_text(st, col + 2), "address",
	    jsonx_column_text(st, col + 3), "phone",
	    jsonx_column_text(st, col + 4));
}

/* The annulment: columns at, by, reason; null when live. */
static json_t *
tv_annulled(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_pack("{s:o, s:o, s:o}", "at", jsonx_column_time(st, col),
	    "by", jsonx_column_text(st, col + 1), "reason",
	    jsonx_column_text(st, col + 2));
}

static const char *
tv_status_label(const char *status)
{
	if (strcmp(status, "organic") == 0)
		return "Orgánico";
	if (strcmp(status, "transition") == 0)
		return "En transición";
	return "Convencional";
}

/*
 * The register's "tipo de café": ORG-EU (organic with its programs),
 * TRANS, CONV.  programs is borrowed.
 */
static json_t *
tv_coffee_type(const char *status, json_t *programs)
{
	char out[96];
	size_t i, n = 0;
	json_t *p;

	if (strcmp(status, "transition") == 0)
		return json_string("TRANS");
	if (strcmp(status, "organic") != 0)
		return json_string("CONV");
	n = (size_t)snprintf(out, sizeof(out), "ORG");
	json_array_foreach(programs, i, p)
	{
		if (n < sizeof(out))
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s",
			    i == 0 ? "-" : "/", json_string_value(p));
	}
	return json_string(out);
}

/* Status, its label, programs and the coffee type, set into doc. */
static void
tv_certification(
    json_t *doc, sqlite3_stmt *st, int status_col, int programs_col, bool *ok)
{
	const char *status = db_column_text(st, status_col);
	json_t *programs;

	if (!jsonx_column_json(st, programs_col, &programs))
		*ok = false;
	if (!json_is_array(programs)) {
		json_decref(programs);
		programs = json_array();
	}
	tv_set(doc, "status", json_string(status), ok);
	tv_set(doc, "status_label", json_string(tv_status_label(status)), ok);
	tv_set(doc, "coffee_type", tv_coffee_type(status, programs), ok);
	tv_set(doc, "programs", programs, ok);
}

/* Two weights of one lot compared, as JSON. */
static void
tv_balance(json_t *doc, int64_t reference_g, int64_t measured_g,
    const char *difference_key, const char *pct_key, bool *ok)
{
	struct transfer_balance b;

	transfer_balance(reference_g, measured_g, TRANSFER_TOLERANCE_BP, &b);
	tv_set(doc, difference_key, jsonx_decimal(b.difference_g, 3, 3), ok);
	tv_set(doc, pct_key, jsonx_decimal(b.difference_pct, 2, 2), ok);
	tv_set(doc, "tolerance_pct", jsonx_decimal(TRANSFER_TOLERANCE_BP, 2, 2),
	    ok);
	tv_set(doc, "flagged", json_boolean(b.flagged), ok);
}

/* ---- dispatches ---- */

enum {
	D_ID,
	D_NUMBER,
	D_SERIES,
	D_ISSUED,
	D_TRANSFER_ON,
	D_CREATED_AT,
	D_CREATED_BY,
	D_ANNULLED_AT, /* then by, reason */
	D_ANNULLED_BY,
	D_ANNUL_REASON,
	D_ORG, /* id, name, ruc, address, phone */
	D_RECIPIENT = D_ORG + 5,
	D_RECIPIENT_KIND = D_RECIPIENT + 5,
	D_DEPARTURE,
	D_ARRIVAL,
	D_REASON,
	D_REASON_OTHER,
	D_CARRIER_NAME,
	D_CARRIER_DOC,
	D_CARRIER_PLATE,
	D_CARRIER_LICENCE,
	D_CARRIER_BRAND,
	D_CARRIER_MTC,
	D_LOT_CODE,
	D_DESCRIPTION,
	D_UNIT,
	D_STATUS,
	D_PROGRAMS,
	D_SACKS,
	D_DECLARED_G,
	D_NOTES_SACKS,
	D_NOTES_G,
	D_OBSERVATIONS,
	D_RECEIPT_ID,
	D_RECEIPT_NUMBER,
	D_RECEIPT_SERIES,
	D_RECEIPT_ISSUED,
	D_RECEIPT_ORG
};

#define DISPATCH_COLUMNS                                                       \
	"d.id, d.number, d.series, d.issued_on, d.transfer_on,"                \
	" d.created_at, cu.username, d.annulled_at, au.username,"              \
	" d.annul_reason, o.id, o.name, o.ruc, o.address, o.phone,"            \
	" ro.id, ro.name, ro.ruc, ro.address, ro.phone, ro.kind,"              \
	" d.departure_address, d.arrival_address, d.reason,"                   \
	" d.reason_other, d.carrier_name, d.carrier_doc, d.carrier_plate,"     \
	" d.carrier_licence, d.carrier_brand, d.carrier_mtc, d.lot_code,"      \
	" d.description, d.unit, d.status, d.programs, d.sacks,"               \
	" d.declared_g, d.notes_sacks, d.notes_g, d.observations, pr.id,"      \
	" pr.number, pr.series, pr.issued_on, pr.organization_id"

/* At most one live receipt per dispatch (unique index): no duplicates. */
#define DISPATCH_FROM                                                          \
	" FROM dispatches d"                                                   \
	" JOIN organizations o ON o.id = d.organization_id"                    \
	" JOIN organizations ro ON ro.id = d.recipient_org_id"                 \
	" JOIN users cu ON cu.id = d.created_by"                               \
	" LEFT JOIN users au ON au.id = d.annulled_by"                         \
	" LEFT JOIN plant_receipts pr ON pr.dispatch_id = d.id"                \
	"  AND pr.annulled_at IS NULL"

#define DISPATCH_SCOPE                                                         \
	" (" TV_SCOPE_OF("d.organization_id") " OR" TV_SCOPE_OF(               \
	    "d.recipient_org_id") ")"

static json_t *
dispatch_carrier(sqlite3_stmt *st)
{
	const char *doc = db_column_text(st, D_CARRIER_DOC);
	size_t len = strlen(doc);

	return json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o}", "name",
	    jsonx_column_text(st, D_CARRIER_NAME), "doc",
	    jsonx_column_text(st, D_CARRIER_DOC), "doc_type",
	    len == 11      ? "ruc"
	        : len == 8 ? "dni"
	                   : "",
	    "plate", jsonx_column_text(st, D_CARRIER_PLATE), "licence",
	    jsonx_column_text(st, D_CARRIER_LICENCE), "brand",
	    jsonx_column_text(st, D_CARRIER_BRAND), "mtc",
	    jsonx_column_text(st, D_CARRIER_MTC));
}

/* The notes' sums against the declared sacks and weight. */
static json_t *
dispatch_reconciliation(sqlite3_stmt *st)
{
	int64_t notes_sacks = sqlite3_column_int64(st, D_NOTES_SACKS);
	int64_t sacks = sqlite3_column_int64(st, D_SACKS);
	json_t *o = json_object();
	bool ok = true;

	tv_set(o, "notes_sacks", json_integer(notes_sacks), &ok);
	tv_set(o, "declared_sacks", json_integer(sacks), &ok);
	tv_set(o, "sacks_difference", json_integer(notes_sacks - sacks), &ok);
	tv_set(o, "notes_kg", tv_kg(st, D_NOTES_G), &ok);
	tv_set(o, "declared_kg", tv_kg(st, D_DECLARED_G), &ok);
	tv_balance(o, sqlite3_column_int64(st, D_NOTES_G),
	    sqlite3_column_int64(st, D_DECLARED_G), "shrinkage_kg",
	    "shrinkage_pct", &ok);
	return tv_done(o, ok);
}

static json_t *
dispatch_receipt(sqlite3_stmt *st)
{
	json_t *ref =
	    tv_ref(st, D_RECEIPT_ID, D_RECEIPT_NUMBER, D_RECEIPT_SERIES);

	if (json_is_object(ref) &&
	    (json_object_set_new(ref, "issued_on",
	         jsonx_column_text(st, D_RECEIPT_ISSUED)) != 0 ||
	        json_object_set_new(
	            ref, "organization_id", tv_int(st, D_RECEIPT_ORG)) != 0)) {
		json_decref(ref);
		return NULL;
	}
	return ref;
}

static json_t *
dispatch_row(sqlite3_stmt *st)
{
	int64_t reason = sqlite3_column_int64(st, D_REASON);
	const char *reason_text = transfer_reason_text(reason);
	json_t *doc = json_object(), *recipient;
	bool ok = true;

	tv_set(doc, "id", tv_int(st, D_ID), &ok);
	tv_set(doc, "number", tv_int(st, D_NUMBER), &ok);
	tv_set(doc, "series", jsonx_column_text(st, D_SERIES), &ok);
	tv_set(doc, "number_text",
	    tv_number_text(sqlite3_column_int64(st, D_NUMBER),
	        db_column_text(st, D_SERIES)),
	    &ok);
	tv_set(doc, "issued_on", jsonx_column_text(st, D_ISSUED), &ok);
	tv_set(doc, "transfer_on", jsonx_column_text(st, D_TRANSFER_ON), &ok);
	tv_set(doc, "created_at", jsonx_column_time(st, D_CREATED_AT), &ok);
	tv_set(doc, "created_by", jsonx_column_text(st, D_CREATED_BY), &ok);
	tv_set(doc, "annulled", tv_annulled(st, D_ANNULLED_AT), &ok);
	tv_set(doc, "organization", tv_org(st, D_ORG), &ok);
	recipient = tv_org(st, D_RECIPIENT);
	if (recipient != NULL &&
	    json_object_set_new(recipient, "kind",
	        jsonx_column_text(st, D_RECIPIENT_KIND)) != 0)
		ok = false;
	tv_set(doc, "recipient", recipient, &ok);
	tv_set(
	    doc, "departure_address", jsonx_column_text(st, D_DEPARTURE), &ok);
	tv_set(doc, "arrival_address", jsonx_column_text(st, D_ARRIVAL), &ok);
	tv_set(doc, "reason", json_integer(reason), &ok);
	tv_set(doc, "reason_text",
	    json_string(reason_text != NULL ? reason_text : ""), &ok);
	tv_set(doc, "reason_other", jsonx_column_text(st, D_REASON_OTHER), &ok);
	tv_set(doc, "carrier", dispatch_carrier(st), &ok);
	tv_set(doc, "lot_code", jsonx_column_text(st, D_LOT_CODE), &ok);
	tv_set(doc, "description", jsonx_column_text(st, D_DESCRIPTION), &ok);
	tv_set(doc, "unit", jsonx_column_text(st, D_UNIT), &ok);
	tv_set(doc, "sacks", tv_int(st, D_SACKS), &ok);
	tv_set(doc, "declared_kg", tv_kg(st, D_DECLARED_G), &ok);
	/* The form's items table: one line, the lot. */
	tv_set(doc, "items",
	    json_pack("[{s:o, s:o, s:o, s:I, s:o}]", "code",
	        jsonx_column_text(st, D_LOT_CODE), "description",
	        jsonx_column_text(st, D_DESCRIPTION), "unit",
	        jsonx_column_text(st, D_UNIT), "quantity",
	        (json_int_t)sqlite3_column_int64(st, D_SACKS), "weight_kg",
	        tv_kg(st, D_DECLARED_G)),
	    &ok);
	tv_certification(doc, st, D_STATUS, D_PROGRAMS, &ok);
	tv_set(doc, "notes_sacks", tv_int(st, D_NOTES_SACKS), &ok);
	tv_set(doc, "notes_kg", tv_kg(st, D_NOTES_G), &ok);
	tv_set(doc, "reconciliation", dispatch_reconciliation(st), &ok);
	tv_set(doc, "observations", jsonx_column_text(st, D_OBSERVATIONS), &ok);
	tv_set(doc, "plant_receipt", dispatch_receipt(st), &ok);
	return tv_done(doc, ok);
}

/* ---- the producer list of a dispatch ---- */

enum {
	L_POSITION,
	L_NOTE_ID,
	L_NOTE_NUMBER,
	L_NOTE_SERIES,
	L_NOTE_ISSUED,
	L_NOTE_OBSERVATIONS,
	L_PRODUCER_ID,
	L_FIRST,
	L_LAST,
	L_DNI,
	L_TICKET_ID,
	L_TICKET_NUMBER,
	L_TICKET_SERIES,
	L_TICKET_ISSUED,
	L_DELIVERY_CODE,
	L_SACKS,
	L_NET_G,
	L_STATUS,
	L_PROGRAM,
	L_SETTLEMENT_ID,
	L_SETTLEMENT_NUMBER,
	L_SETTLEMENT_SERIES
};

static json_t *
dispatch_list_row(sqlite3_stmt *st)
{
	json_t *row = json_object();
	bool ok = true;

	tv_set(row, "n", tv_int(st, L_POSITION), &ok);
	tv_set(row, "note", tv_ref(st, L_NOTE_ID, L_NOTE_NUMBER, L_NOTE_SERIES),
	    &ok);
	tv_set(row, "producer",
	    json_pack("{s:I, s:s++, s:o}", "id",
	        (json_int_t)sqlite3_column_int64(st, L_PRODUCER_ID),
	        "full_name", db_column_text(st, L_FIRST), " ",
	        db_column_text(st, L_LAST), "dni",
	        jsonx_column_text(st, L_DNI)),
	    &ok);
	tv_set(row, "date", jsonx_column_text(st, L_NOTE_ISSUED), &ok);
	tv_set(row, "ticket",
	    tv_ref(st, L_TICKET_ID, L_TICKET_NUMBER, L_TICKET_SERIES), &ok);
	tv_set(row, "received_on", jsonx_column_text(st, L_TICKET_ISSUED), &ok);
	tv_set(
	    row, "delivery_code", jsonx_column_text(st, L_DELIVERY_CODE), &ok);
	tv_set(row, "sacks", tv_int(st, L_SACKS), &ok);
	tv_set(row, "net_kg", tv_kg(st, L_NET_G), &ok);
	tv_set(row, "status", jsonx_column_text(st, L_STATUS), &ok);
	tv_set(row, "program", jsonx_column_text(st, L_PROGRAM), &ok);
	tv_set(row, "settlement",
	    tv_ref(
	        st, L_SETTLEMENT_ID, L_SETTLEMENT_NUMBER, L_SETTLEMENT_SERIES),
	    &ok);
	tv_set(row, "observation", jsonx_column_text(st, L_NOTE_OBSERVATIONS),
	    &ok);
	return tv_done(row, ok);
}

/*
 * "Lista de productores que conforman el lote enviado": one row per note
 * in the order the clerk listed them, with the live liquidación of each
 * (shown, not required).  The producer is the one each note printed
 * (its frozen parties), whatever the registry says now.  Called after the
 * dispatch was read in scope.
 */
static enum err
dispatch_producer_list(struct db *db, int64_t dispatch_id, json_t *doc)
{
	static const char sql[] =
	    "SELECT dn.position, n.id, n.number, n.series, n.issued_on,"
	    " n.observations, p.id,"
	    " coalesce(json_extract(n.parties, '$.producer.first_names'),"
	    "  p.first_names),"
	    " coalesce(json_extract(n.parties, '$.producer.last_names'),"
	    "  p.last_names),"
	    " coalesce(json_extract(n.parties, '$.producer.dni'), p.dni), r.id,"
	    " r.number, r.series, r.issued_on, r.delivery_code, r.sacks,"
	    " r.net_g, r.status, n.certification_program, s.id, s.number,"
	    " s.series"
	    " FROM dispatch_notes dn"
	    " JOIN warehouse_notes n ON n.organization_id = dn.organization_id"
	    "  AND n.id = dn.note_id"
	    " JOIN receptions r ON r.organization_id = n.organization_id"
	    "  AND r.id = n.reception_id"
	    " JOIN producers p ON p.organization_id = r.organization_id"
	    "  AND p.id = r.producer_id"
	    " LEFT JOIN purchase_settlements s ON s.note_id = n.id"
	    "  AND s.annulled_at IS NULL"
	    " WHERE dn.dispatch_id = ?1 ORDER BY dn.position";
	sqlite3_stmt *st = NULL;
	json_t *rows = json_array(), *row, *list;
	enum err rc;
	int step;

	if (rows == NULL)
		return ERR_NOMEM;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK) {
		json_decref(rows);
		return rc;
	}
	if (sqlite3_bind_int64(st, 1, dispatch_id)) {
		db_release(st);
		json_decref(rows);
		return db_fail(db, "dispatch_producer_list: bind");
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		row = dispatch_list_row(st);
		if (row == NULL || json_array_append_new(rows, row) != 0) {
			rc = ERR_NOMEM;
			break;
		}
	}
	if (rc == ERR_OK && step != SQLITE_DONE)
		rc = db_fail(db, "dispatch_producer_list");
	db_release(st);
	if (rc != ERR_OK) {
		json_decref(rows);
		return rc;
	}
	list = json_pack("{s:O, s:O, s:o, s:O, s:O}", "number",
	    json_object_get(doc, "lot_code"), "issued_on",
	    json_object_get(doc, "issued_on"), "rows", rows, "total_sacks",
	    json_object_get(doc, "notes_sacks"), "total_kg",
	    json_object_get(doc, "notes_kg"));
	if (list == NULL || json_object_set_new(doc, "producer_list", list))
		return ERR_NOMEM;
	return ERR_OK;
}

/* ---- plant receipts ---- */

enum {
	P_ID,
	P_NUMBER,
	P_SERIES,
	P_ISSUED,
	P_CREATED_AT,
	P_CREATED_BY,
	P_ANNULLED_AT, /* then by, reason */
	P_ANNULLED_BY,
	P_ANNUL_REASON,
	P_ORG, /* id, name, ruc, address, phone */
	P_CLIENT = P_ORG + 5,
	P_DISPATCH_ID = P_CLIENT + 5,
	P_DISPATCH_NUMBER,
	P_DISPATCH_SERIES,
	P_DISPATCH_ISSUED,
	P_DISPATCH_TRANSFER_ON,
	P_DISPATCH_LOT,
	P_DISPATCH_SACKS,
	P_DISPATCH_DECLARED_G,
	P_DISPATCH_ANNULLED,
	P_CARRIER_NAME,
	P_VEHICLE_PLATE,
	P_PRODUCT,
	P_STATUS,
	P_PROGRAMS,
	P_SACKS,
	P_GROSS_G,
	P_TARE_G,
	P_NET_G,
	P_YIELD,
	P_HUMIDITY,
	P_SUBPRODUCT,
	P_HUSK,
	P_CUP_SCORE,
	P_OBSERVATIONS,
	P_CONSUMED_G
};

#define RECEIPT_COLUMNS                                                        \
	"d.id, d.number, d.series, d.issued_on, d.created_at, cu.username,"    \
	" d.annulled_at, au.username, d.annul_reason, o.id, o.name, o.ruc,"    \
	" o.address, o.phone, c.id, c.name, c.ruc, c.address, c.phone, x.id,"  \
	" x.number, x.series, x.issued_on, x.transfer_on, x.lot_code,"         \
	" x.sacks, x.declared_g, x.annulled_at IS NOT NULL, d.carrier_name,"   \
	" d.vehicle_plate, d.product, d.status, d.programs, d.sacks,"          \
	" d.gross_g, d.tare_g, d.net_g, d.yield_pct, d.humidity,"              \
	" d.subproduct_pct, d.husk_pct, d.cup_score, d.observations,"          \
	" (SELECT coalesce(sum(i.kilos_g), 0) FROM process_order_inputs i"     \
	"  WHERE i.plant_receipt_id = d.id AND i.live = 1)"

#define RECEIPT_FROM                                                           \
	" FROM plant_receipts d"                                               \
	" JOIN organizations o ON o.id = d.organization_id"                    \
	" JOIN organizations c ON c.id = d.client_org_id"                      \
	" JOIN dispatches x ON x.id = d.dispatch_id"                           \
	" JOIN users cu ON cu.id = d.created_by"                               \
	" LEFT JOIN users au ON au.id = d.annulled_by"

#define RECEIPT_SCOPE                                                          \
	" (" TV_SCOPE_OF("d.organization_id") " OR" TV_SCOPE_OF(               \
	    "d.client_org_id") ")"

/* The plant's net against the weight the client's guía declared. */
static json_t *
receipt_reconciliation(sqlite3_stmt *st)
{
	int64_t sacks = sqlite3_column_int64(st, P_SACKS);
	int64_t sent = sqlite3_column_int64(st, P_DISPATCH_SACKS);
	json_t *o = json_object();
	bool ok = true;

	tv_set(o, "dispatch_sacks", json_integer(sent), &ok);
	tv_set(o, "sacks", json_integer(sacks), &ok);
	tv_set(o, "sacks_difference", json_integer(sent - sacks), &ok);
	tv_set(o, "dispatch_kg", tv_kg(st, P_DISPATCH_DECLARED_G), &ok);
	tv_set(o, "net_kg", tv_kg(st, P_NET_G), &ok);
	tv_balance(o, sqlite3_column_int64(st, P_DISPATCH_DECLARED_G),
	    sqlite3_column_int64(st, P_NET_G), "difference_kg",
	    "difference_pct", &ok);
	return tv_done(o, ok);
}

static json_t *
receipt_dispatch(sqlite3_stmt *st)
{
	json_t *ref =
	    tv_ref(st, P_DISPATCH_ID, P_DISPATCH_NUMBER, P_DISPATCH_SERIES);
	bool ok = true;

	tv_set(ref, "issued_on", jsonx_column_text(st, P_DISPATCH_ISSUED), &ok);
	tv_set(ref, "transfer_on",
	    jsonx_column_text(st, P_DISPATCH_TRANSFER_ON), &ok);
	tv_set(ref, "lot_code", jsonx_column_text(st, P_DISPATCH_LOT), &ok);
	tv_set(ref, "sacks", tv_int(st, P_DISPATCH_SACKS), &ok);
	tv_set(ref, "declared_kg", tv_kg(st, P_DISPATCH_DECLARED_G), &ok);
	tv_set(
	    ref, "annulled", jsonx_column_bool(st, P_DISPATCH_ANNULLED), &ok);
	return tv_done(ref, ok);
}

static json_t *
receipt_row(sqlite3_stmt *st)
{
	int64_t net = sqlite3_column_int64(st, P_NET_G);
	int64_t consumed = sqlite3_column_int64(st, P_CONSUMED_G);
	json_t *doc = json_object();
	bool ok = true;

	tv_set(doc, "id", tv_int(st, P_ID), &ok);
	tv_set(doc, "number", tv_int(st, P_NUMBER), &ok);
	tv_set(doc, "series", jsonx_column_text(st, P_SERIES), &ok);
	tv_set(doc, "number_text",
	    tv_number_text(sqlite3_column_int64(st, P_NUMBER),
	        db_column_text(st, P_SERIES)),
	    &ok);
	tv_set(doc, "issued_on", jsonx_column_text(st, P_ISSUED), &ok);
	tv_set(doc, "created_at", jsonx_column_time(st, P_CREATED_AT), &ok);
	tv_set(doc, "created_by", jsonx_column_text(st, P_CREATED_BY), &ok);
	tv_set(doc, "annulled", tv_annulled(st, P_ANNULLED_AT), &ok);
	tv_set(doc, "organization", tv_org(st, P_ORG), &ok);
	tv_set(doc, "client", tv_org(st, P_CLIENT), &ok);
	tv_set(doc, "dispatch", receipt_dispatch(st), &ok);
	tv_set(doc, "carrier_name", jsonx_column_text(st, P_CARRIER_NAME), &ok);
	tv_set(
	    doc, "vehicle_plate", jsonx_column_text(st, P_VEHICLE_PLATE), &ok);
	tv_set(doc, "product", jsonx_column_text(st, P_PRODUCT), &ok);
	tv_certification(doc, st, P_STATUS, P_PROGRAMS, &ok);
	tv_set(doc, "sacks", tv_int(st, P_SACKS), &ok);
	tv_set(doc, "gross_kg", tv_kg(st, P_GROSS_G), &ok);
	tv_set(doc, "tare_kg", tv_kg(st, P_TARE_G), &ok);
	tv_set(doc, "net_kg", tv_kg(st, P_NET_G), &ok);
	tv_set(doc, "yield_pct", jsonx_column_decimal(st, P_YIELD, 2, 2), &ok);
	tv_set(
	    doc, "humidity", jsonx_column_decimal(st, P_HUMIDITY, 1, 1), &ok);
	tv_set(doc, "subproduct_pct",
	    jsonx_column_decimal(st, P_SUBPRODUCT, 2, 2), &ok);
	tv_set(doc, "husk_pct", jsonx_column_decimal(st, P_HUSK, 2, 2), &ok);
	tv_set(
	    doc, "cup_score", jsonx_column_decimal(st, P_CUP_SCORE, 2, 2), &ok);
	tv_set(doc, "observations", jsonx_column_text(st, P_OBSERVATIONS), &ok);
	tv_set(doc, "reconciliation", receipt_reconciliation(st), &ok);
	tv_set(doc, "consumed_kg", jsonx_decimal(consumed, 3, 3), &ok);
	tv_set(doc, "balance_kg", jsonx_decimal(net - consumed, 3, 3), &ok);
	return tv_done(doc, ok);
}

/*
 * Dispatch list filters: ?2 from, ?3 to, ?4 status, ?5 annulled,
 * ?6 received, ?7 incoming for org, ?8 recipient, ?9 lot code, ?10 number,
 * ?11 cursor, ?12 limit, ?13 newest first.
 */
#define DISPATCH_FILTERS(page)                                                 \
	" AND (?2 IS NULL OR d.issued_on >= ?2)"                               \
	" AND (?3 IS NULL OR d.issued_on <= ?3)"                               \
	" AND (?4 IS NULL OR d.status = ?4)"                                   \
	" AND (?5 < 0 OR (d.annulled_at IS NOT NULL) = ?5)"                    \
	" AND (?6 < 0 OR (pr.id IS NOT NULL) = ?6)"                            \
	" AND (?7 = 0 OR (d.recipient_org_id = ?7 AND d.annulled_at IS NULL"   \
	"  AND pr.id IS NULL))"                                                \
	" AND (?8 = 0 OR d.recipient_org_id = ?8)"                             \
	" AND (?9 IS NULL OR d.lot_code = ?9)"                                 \
	" AND (?10 = 0 OR d.number = ?10)" page

/*
 * Receipt list filters: ?2 from, ?3 to, ?4 status, ?5 annulled, ?6 client,
 * ?7 dispatch, ?8 lot code (the dispatch's), ?9 number, ?10 cursor,
 * ?11 limit, ?12 newest first.
 */
#define RECEIPT_FILTERS(page)                                                  \
	" AND (?2 IS NULL OR d.issued_on >= ?2)"                               \
	" AND (?3 IS NULL OR d.issued_on <= ?3)"                               \
	" AND (?4 IS NULL OR d.status = ?4)"                                   \
	" AND (?5 < 0 OR (d.annulled_at IS NOT NULL) = ?5)"                    \
	" AND (?6 = 0 OR d.client_org_id = ?6)"                                \
	" AND (?7 = 0 OR d.dispatch_id = ?7)"                                  \
	" AND (?8 IS NULL OR x.lot_code = ?8)"                                 \
	" AND (?9 = 0 OR d.number = ?9)" page

/* clang-format off */
static const char dispatch_get_sql[] = "SELECT " DISPATCH_COLUMNS
    DISPATCH_FROM " WHERE" DISPATCH_SCOPE " AND d.id = ?2";
static const char receipt_get_sql[] = "SELECT " RECEIPT_COLUMNS
    RECEIPT_FROM " WHERE" RECEIPT_SCOPE " AND d.id = ?2";
static const char dispatch_list_sql[] = STORE_LIST(DISPATCH_COLUMNS,
    DISPATCH_FROM, DISPATCH_SCOPE
    DISPATCH_FILTERS(STORE_PAGE_ASC("?11", "?12", "?13")), "");
static const char dispatch_list_desc_sql[] = STORE_LIST(DISPATCH_COLUMNS,
    DISPATCH_FROM, DISPATCH_SCOPE
    DISPATCH_FILTERS(STORE_PAGE_DESC("?11", "?12", "?13")), " DESC");
static const char receipt_list_sql[] = STORE_LIST(RECEIPT_COLUMNS,
    RECEIPT_FROM, RECEIPT_SCOPE
    RECEIPT_FILTERS(STORE_PAGE_ASC("?10", "?11", "?12")), "");
static const char receipt_list_desc_sql[] = STORE_LIST(RECEIPT_COLUMNS,
    RECEIPT_FROM, RECEIPT_SCOPE
    RECEIPT_FILTERS(STORE_PAGE_DESC("?10", "?11", "?12")), " DESC");
/* clang-format on */

enum err
transfer_store_get_json(struct db *db, enum transfer_doc doc, int64_t viewer_id,
    int64_t id, json_t **out)
{
	const char *sql =
	    doc == TRANSFER_DISPATCH ? dispatch_get_sql : receipt_get_sql;
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, id)) {
		db_release(st);
		return db_fail(db, "transfer_store_get_json: bind");
	}
	rc = store_one(
	    db, st, doc == TRANSFER_DISPATCH ? dispatch_row : receipt_row, out);
	if (rc == ERR_OK && doc == TRANSFER_DISPATCH)
		rc = dispatch_producer_list(db, id, *out);
	if (rc != ERR_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static enum err
transfer_bind_dispatch_filters(
    sqlite3_stmt *st, const struct transfer_filter *f)
{
	return sqlite3_bind_int(st, 5, f->annulled) ||
	        sqlite3_bind_int(st, 6, f->received) ||
	        sqlite3_bind_int64(st, 7, f->incoming_org) ||
	        sqlite3_bind_int64(st, 8, f->counterpart) ||
	        db_bind_text(st, 9, f->lot_code) ||
	        sqlite3_bind_int64(st, 10, f->number)
	    ? ERR_DB
	    : ERR_OK;
}

static enum err
transfer_bind_receipt_filters(sqlite3_stmt *st, const struct transfer_filter *f)
{
	return sqlite3_bind_int(st, 5, f->annulled) ||
	        sqlite3_bind_int64(st, 6, f->counterpart) ||
	        sqlite3_bind_int64(st, 7, f->dispatch_id) ||
	        db_bind_text(st, 8, f->lot_code) ||
	        sqlite3_bind_int64(st, 9, f->number)
	    ? ERR_DB
	    : ERR_OK;
}

enum err
transfer_store_list_json(struct db *db, enum transfer_doc doc,
    int64_t viewer_id, const struct transfer_filter *f, int64_t after,
    int64_t limit, json_t **items, int64_t *next)
{
	bool dispatch = doc == TRANSFER_DISPATCH;
	int page = dispatch ? 11 : 10; /* cursor, then limit, newest */
	sqlite3_stmt *st = NULL;
	enum err rc;

	*items = NULL;
	*next = 0;
	rc = db_prepare(db,
	    dispatch
	        ? (f->newest_first ? dispatch_list_desc_sql : dispatch_list_sql)
	        : (f->newest_first ? receipt_list_desc_sql : receipt_list_sql),
	    &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    db_bind_text(st, 2, f->from) || db_bind_text(st, 3, f->to) ||
	    db_bind_text(st, 4, f->status) ||
	    (dispatch ? transfer_bind_dispatch_filters(st, f)
	              : transfer_bind_receipt_filters(st, f)) != ERR_OK ||
	    sqlite3_bind_int64(st, page, after) ||
	    sqlite3_bind_int64(st, page + 1, limit + 1) ||
	    sqlite3_bind_int(st, page + 2, f->newest_first ? 1 : 0)) {
		db_release(st);
		return db_fail(db, "transfer_store_list_json: bind");
	}
	return store_page(
	    db, st, limit, dispatch ? dispatch_row : receipt_row, items, next);
}
