/*
 * Writes of the export-stage documents (export lots with their sources,
 * shipments with their lots) and the facts their rules read.  Every write
 * is limited to the acting organization; every fact is read as the
 * exporter sees it (the LOPs of its own coffee, its own export lots).
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/export.h"
#include "pergamino/stores.h"

enum err
export_store_source_facts(struct db *db, int64_t client_org, int64_t lop_id,
    const char *category, struct export_source_facts *out)
{
	/* tenancy: scoped by client_org_id: the exporter reads the plant's
	 * LOP of its own coffee, across organizations by design. */
	static const char sql[] =
	    "SELECT s.issued_on, s.status, s.programs,"
	    " s.annulled_at IS NOT NULL, o.kilos_g,"
	    " (SELECT coalesce(sum(x.kilos_g), 0) FROM export_lot_sources x"
	    "  WHERE x.process_settlement_id = s.id AND x.category = ?3"
	    "  AND x.live = 1)"
	    " FROM process_settlements s JOIN process_settlement_outputs o"
	    " ON o.process_settlement_id = s.id AND o.category = ?3"
	    " WHERE s.id = ?2 AND s.client_org_id = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, client_org) ||
	    sqlite3_bind_int64(st, 2, lop_id) ||
	    db_bind_text(st, 3, category)) {
		db_release(st);
		return db_fail(db, "export_store_source_facts: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->found = true;
		store_copy_text(out->issued_on, sizeof(out->issued_on), st, 0);
		store_copy_text(out->status, sizeof(out->status), st, 1);
		store_copy_text(out->programs, sizeof(out->programs), st, 2);
		out->annulled = sqlite3_column_int(st, 3) == 1;
		out->output_g = sqlite3_column_int64(st, 4);
		out->allocated_g = sqlite3_column_int64(st, 5);
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, "export_store_source_facts");
	}
	db_release(st);
	return rc;
}

/* Run a bound "SELECT EXISTS (...)" into *yes; releases st. */
static enum err
export_exists(struct db *db, sqlite3_stmt *st, const char *where, bool *yes)
{
	enum err rc = ERR_OK;

	if (sqlite3_step(st) == SQLITE_ROW)
		*yes = sqlite3_column_int(st, 0) == 1;
	else
		rc = db_fail(db, where);
	db_release(st);
	return rc;
}

enum err
export_store_ico_used(struct db *db, int country, const char *exporter,
    int64_t sequence, bool *used)
{
	/* tenancy: an ICO mark is unique across every exporter (index
	 * export_lots_ico); only a yes or no comes back. */
	static const char sql[] =
	    "SELECT EXISTS (SELECT 1 FROM export_lots WHERE ico_country = ?1"
	    " AND ico_exporter = ?2 AND ico_sequence = ?3)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*used = false;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int(st, 1, country) || db_bind_text(st, 2, exporter) ||
	    sqlite3_bind_int64(st, 3, sequence)) {
		db_release(st);
		return db_fail(db, "export_store_ico_used: bind");
	}
	return export_exists(db, st, "export_store_ico_used", used);
}

enum err
export_store_organic_lot_used(
    struct db *db, int64_t org, const char *organic_lot, bool *used)
{
	static const char sql[] =
	    "SELECT EXISTS (SELECT 1 FROM export_lots WHERE"
	    " organization_id = ?1 AND organic_lot = ?2"
	    " AND annulled_at IS NULL)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*used = false;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org) ||
	    db_bind_text(st, 2, organic_lot)) {
		db_release(st);
		return db_fail(db, "export_store_organic_lot_used: bind");
	}
	return export_exists(db, st, "export_store_organic_lot_used", used);
}

/* Bind v as an integer, or NULL when v < 0. */
static int
export_bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
	return v < 0 ? sqlite3_bind_null(st, i) : sqlite3_bind_int64(st, i, v);
}

enum err
export_store_insert_lot(
    struct db *db, const struct export_lot_row *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO export_lots (organization_id, series, number,"
	    " issued_on, organic_lot, ico_country, ico_exporter, ico_sequence,"
	    " ico_mark, contract, buyer, preparation, defects, cup_score,"
	    " status, programs, sacks, kilos_g, net_per_sack_g, marks,"
	    " observations, created_by, created_at) VALUES (?1, ?2, ?3, ?4,"
	    " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
	    " ?19, ?20, ?21, ?22, ?23)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, r->org_id) ||
	    db_bind_text(st, 2, r->series) ||
	    sqlite3_bind_int64(st, 3, r->number) ||
	    db_bind_text(st, 4, r->issued_on) ||
	    db_bind_text(st, 5, r->organic_lot) ||
	    sqlite3_bind_int(st, 6, r->ico_country) ||
	    db_bind_text(st, 7, r->ico_exporter) ||
	    sqlite3_bind_int64(st, 8, r->ico_sequence) ||
	    db_bind_text(st, 9, r->ico_mark) ||
	    db_bind_text(st, 10, r->contract) ||
	    db_bind_text(st, 11, r->buyer) ||
	    db_bind_text(st, 12, r->preparation) ||
	    export_bind_opt(st, 13, r->defects) ||
	    export_bind_opt(st, 14, r->cup_score) ||
	    db_bind_text(st, 15, r->status) ||
	    db_bind_text(st, 16, r->programs) ||
	    sqlite3_bind_int64(st, 17, r->sacks) ||
	    sqlite3_bind_int64(st, 18, r->kilos_g) ||
	    sqlite3_bind_int64(st, 19, r->net_per_sack_g) ||
	    db_bind_text(st, 20, r->marks) ||
	    db_bind_text(st, 21, r->observations) ||
	    sqlite3_bind_int64(st, 22, r->created_by) ||
	    sqlite3_bind_int64(st, 23, r->created_at)) {
		db_release(st);
		return db_fail(db, "export_store_insert_lot: bind");
	}
	return store_insert(db, st, "export_store_insert_lot", id);
}

enum err
export_store_insert_source(
    struct db *db, int64_t lot_id, const struct export_source_in *s)
{
	static const char sql[] =
	    "INSERT INTO export_lot_sources (export_lot_id,"
	    " process_settlement_id, category, kilos_g) VALUES (?1, ?2, ?3, "
	    "?4)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, lot_id) ||
	    sqlite3_bind_int64(st, 2, s->process_settlement_id) ||
	    db_bind_text(st, 3, s->category) ||
	    sqlite3_bind_int64(st, 4, s->kilos_g)) {
		db_release(st);
		return db_fail(db, "export_store_insert_source: bind");
	}
	return store_done(db, st, "export_store_insert_source");
}

enum err
export_store_lot_facts(
    struct db *db, int64_t org, int64_t id, struct export_lot_facts *out)
{
	static const char sql[] =
	    "SELECT l.issued_on, l.status, l.programs,"
	    " l.annulled_at IS NOT NULL, l.sacks, l.kilos_g,"
	    " (SELECT coalesce(sum(sl.sacks), 0) FROM shipment_lots sl"
	    "  WHERE sl.export_lot_id = l.id AND sl.live = 1),"
	    " (SELECT coalesce(sum(sl.kilos_g), 0) FROM shipment_lots sl"
	    "  WHERE sl.export_lot_id = l.id AND sl.live = 1)"
	    " FROM export_lots l WHERE l.organization_id = ?1 AND l.id = ?2";
	sqlite3_stmt *st;
	enum err rc;

	memset(out, 0, sizeof(*out));
	rc = store_first_row(db, sql, org, id, "export_store_lot_facts", &st);
	if (rc != ERR_OK || st == NULL)
		return rc;
	out->found = true;
	store_copy_text(out->issued_on, sizeof(out->issued_on), st, 0);
	store_copy_text(out->status, sizeof(out->status), st, 1);
	store_copy_text(out->programs, sizeof(out->programs), st, 2);
	out->annulled = sqlite3_column_int(st, 3) == 1;
	out->sacks = sqlite3_column_int64(st, 4);
	out->kilos_g = sqlite3_column_int64(st, 5);
	out->shipped_sacks = sqlite3_column_int64(st, 6);
	out->shipped_g = sqlite3_column_int64(st, 7);
	db_release(st);
	return rc;
}

enum err
export_store_insert_shipment(
    struct db *db, const struct shipment_row *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO shipments (organization_id, series, number, issued_on,"
	    " contract, buyer_name, buyer_country, invoice_number,"
	    " invoice_lot_ref, bl_number, bl_lot_ref, vessel, booking,"
	    " container, seal, port_loading, port_destination, shipped_on,"
	    " quality, status, programs, sacks, kilos_g, gross_g, observations,"
	    " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	    " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
	    " ?22, ?23, ?24, ?25, ?26, ?27)";
	const struct shipment_new *in = r->in;
	sqlite3_stmt *st = NULL;
	enum err rc;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, r->org_id) ||
	    db_bind_text(st, 2, store_or_empty(in->series)) ||
	    sqlite3_bind_int64(st, 3, r->number) ||
	    db_bind_text(st, 4, in->issued_on) ||
	    db_bind_text(st, 5, store_or_empty(in->contract)) ||
	    db_bind_text(st, 6, in->buyer_name) ||
	    db_bind_text(st, 7, store_or_empty(in->buyer_country)) ||
	    db_bind_text(st, 8, store_or_empty(in->invoice_number)) ||
	    db_bind_text(st, 9, store_or_empty(in->invoice_lot_ref)) ||
	    db_bind_text(st, 10, store_or_empty(in->bl_number)) ||
	    db_bind_text(st, 11, store_or_empty(in->bl_lot_ref)) ||
	    db_bind_text(st, 12, store_or_empty(in->vessel)) ||
	    db_bind_text(st, 13, store_or_empty(in->booking)) ||
	    db_bind_text(st, 14, store_or_empty(in->container)) ||
	    db_bind_text(st, 15, store_or_empty(in->seal)) ||
	    db_bind_text(st, 16, store_or_empty(in->port_loading)) ||
	    db_bind_text(st, 17, store_or_empty(in->port_destination)) ||
	    db_bind_text(st, 18, in->shipped_on) ||
	    db_bind_text(st, 19, store_or_empty(in->quality)) ||
	    db_bind_text(st, 20, r->status) ||
	    db_bind_text(st, 21, r->programs) ||
	    sqlite3_bind_int64(st, 22, r->sacks) ||
	    sqlite3_bind_int64(st, 23, r->kilos_g) ||
	    export_bind_opt(st, 24, in->gross_g > 0 ? in->gross_g : -1) ||
	    db_bind_text(st, 25, store_or_empty(in->observations)) ||
	    sqlite3_bind_int64(st, 26, r->created_by) ||
	    sqlite3_bind_int64(st, 27, r->created_at)) {
		db_release(st);
		return db_fail(db, "export_store_insert_shipment: bind");
	}
	return store_insert(db, st, "export_store_insert_shipment", id);
}

enum err
export_store_insert_shipment_lot(
    struct db *db, int64_t shipment_id, const struct shipment_lot_in *l)
{
	static const char sql[] =
	    "INSERT INTO shipment_lots (shipment_id, export_lot_id, sacks,"
	    " kilos_g) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, shipment_id) ||
	    sqlite3_bind_int64(st, 2, l->export_lot_id) ||
	    sqlite3_bind_int64(st, 3, l->sacks) ||
	    sqlite3_bind_int64(st, 4, l->kilos_g)) {
		db_release(st);
		return db_fail(db, "export_store_insert_shipment_lot: bind");
	}
	return store_done(db, st, "export_store_insert_shipment_lot");
}

/* clang-format off */
static const char export_annul_lot[] =
    "UPDATE export_lots SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL AND NOT EXISTS (SELECT 1 FROM shipment_lots sl"
    "  WHERE sl.export_lot_id = ?2 AND sl.live = 1)";
static const char export_annul_shipment[] =
    "UPDATE shipments SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL";
static const char export_state_lot[] =
    "SELECT annulled_at IS NOT NULL FROM export_lots"
    " WHERE organization_id = ?1 AND id = ?2";
static const char export_state_shipment[] =
    "SELECT annulled_at IS NOT NULL FROM shipments"
    " WHERE organization_id = ?1 AND id = ?2";
/* tenancy: by the id of a lot or shipment just annulled under its
 * organization, in the same transaction. */
/* The lot's kilos go back to its LOPs; the shipment's sacks to its lots. */
static const char export_free_sources[] =
    "UPDATE export_lot_sources SET live = 0"
    " WHERE export_lot_id = ?1 AND live = 1";
/* tenancy: as export_free_sources. */
static const char export_free_lots[] =
    "UPDATE shipment_lots SET live = 0 WHERE shipment_id = ?1 AND live = 1";
/* clang-format on */

static const struct store_annulment export_annulment[EXPORT_DOC_COUNT] = {
	[EXPORT_LOT] = { export_annul_lot, export_state_lot,
	    export_free_sources },
	[EXPORT_SHIPMENT] = { export_annul_shipment, export_state_shipment,
	    export_free_lots },
};

enum err
export_store_annul(struct db *db, enum export_doc doc, int64_t org_id,
    int64_t id, int64_t by, int64_t now, const char *reason, int *state)
{
	*state = 0;
	if (doc >= EXPORT_DOC_COUNT)
		return ERR_INTERNAL;
	return store_annul(
	    db, &export_annulment[doc], org_id, id, by, now, reason, state);
}

enum err
export_store_set_parties(struct db *db, enum export_doc doc, int64_t org_id,
    int64_t id, const char *parties)
{
	static const char lot_sql[] = "UPDATE export_lots SET parties = ?3"
	                              " WHERE organization_id = ?1 AND id = ?2";
	static const char shipment_sql[] =
	    "UPDATE shipments SET parties = ?3"
	    " WHERE organization_id = ?1 AND id = ?2";

	if (doc >= EXPORT_DOC_COUNT)
		return ERR_INTERNAL;
	return store_set_text(db, doc == EXPORT_LOT ? lot_sql : shipment_sql,
	    org_id, id, parties);
}

enum err
export_store_find_lop(
    struct db *db, int64_t client_org, int64_t number, int64_t *id)
{
	/* tenancy: the demo-data generator's lookup (admin CLI), scoped by
	 * client_org_id. */
	static const char sql[] =
	    "SELECT id FROM process_settlements WHERE client_org_id = ?1"
	    " AND number = ?2 AND annulled_at IS NULL ORDER BY id LIMIT 1";

	return store_find_id(
	    db, sql, client_org, number, "export_store_find_lop", id);
}
