/*
 * Writes of the transfer documents (dispatches with their notes, plant
 * receipts) and the facts their rules read.  Every statement is limited
 * to the acting organization; reads as JSON are in transfer_views.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/stores.h"
#include "pergamino/transfer.h"

/* Optional figure: NULL when not measured. */
static int
transfer_bind_opt(sqlite3_stmt *st, int idx, int64_t v)
{
	return v == TRANSFER_UNSET ? sqlite3_bind_null(st, idx)
	                           : sqlite3_bind_int64(st, idx, v);
}

enum err
transfer_store_note_facts(struct db *db, int64_t org_id, int64_t note_id,
    struct transfer_note_facts *out)
{
	static const char sql[] =
	    "SELECT r.sacks, r.net_g, r.status, n.certification_program,"
	    " n.issued_on, n.annulled_at IS NOT NULL,"
	    " EXISTS (SELECT 1 FROM dispatch_notes dn WHERE dn.note_id = n.id"
	    "  AND dn.live = 1)"
	    " FROM warehouse_notes n JOIN receptions r"
	    " ON r.organization_id = n.organization_id AND r.id = "
	    "n.reception_id"
	    " WHERE n.organization_id = ?1 AND n.id = ?2";
	sqlite3_stmt *st;
	enum err rc;

	memset(out, 0, sizeof(*out));
	rc = store_first_row(
	    db, sql, org_id, note_id, "transfer_store_note_facts", &st);
	if (rc != ERR_OK || st == NULL)
		return rc;
	out->found = true;
	out->sacks = sqlite3_column_int64(st, 0);
	out->net_g = sqlite3_column_int64(st, 1);
	store_copy_text(out->status, sizeof(out->status), st, 2);
	store_copy_text(out->program, sizeof(out->program), st, 3);
	store_copy_text(out->issued_on, sizeof(out->issued_on), st, 4);
	out->annulled = sqlite3_column_int(st, 5) == 1;
	out->dispatched = sqlite3_column_int(st, 6) == 1;
	db_release(st);
	return rc;
}

enum err
transfer_store_note_by_number(
    struct db *db, int64_t org_id, int64_t number, int64_t *id)
{
	static const char sql[] =
	    "SELECT id FROM warehouse_notes WHERE organization_id = ?1"
	    " AND series = '' AND number = ?2 AND annulled_at IS NULL";

	return store_find_id(
	    db, sql, org_id, number, "transfer_store_note_by_number", id);
}

enum err
transfer_store_org_exists(struct db *db, int64_t id, bool *out)
{
	static const char sql[] = "SELECT 1 FROM organizations WHERE id = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*out = false;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id)) {
		db_release(st);
		return db_fail(db, "transfer_store_org_exists: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = true;
	else if (step != SQLITE_DONE)
		rc = db_fail(db, "transfer_store_org_exists");
	db_release(st);
	return rc;
}

enum err
transfer_store_insert_dispatch(
    struct db *db, const struct dispatch_row *r, int64_t *id)
{
	/* Addresses not typed are the organizations' own. */
	static const char sql[] =
	    "INSERT INTO dispatches (organization_id, series, number,"
	    " issued_on, transfer_on, recipient_org_id, departure_address,"
	    " arrival_address, reason, reason_other, carrier_name,"
	    " carrier_doc, carrier_plate, carrier_licence, carrier_brand,"
	    " carrier_mtc, lot_code, description, unit, status, programs,"
	    " sacks, declared_g, notes_sacks, notes_g, observations,"
	    " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " coalesce(?7, (SELECT address FROM organizations WHERE id = ?1)),"
	    " coalesce(?8, (SELECT address FROM organizations WHERE id = ?6)),"
	    " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
	    " ?22, ?23, ?24, ?25, ?26, ?27, ?28)";
	const struct dispatch_new *in = r->in;
	sqlite3_stmt *st = NULL;
	enum err rc;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, r->org_id) ||
	    db_bind_text(st, 2, r->series) ||
	    sqlite3_bind_int64(st, 3, r->number) ||
	    db_bind_text(st, 4, in->issued_on) ||
	    db_bind_text(st, 5, in->transfer_on) ||
	    sqlite3_bind_int64(st, 6, in->recipient_org_id) ||
	    db_bind_text(st, 7, in->departure_address) ||
	    db_bind_text(st, 8, in->arrival_address) ||
	    sqlite3_bind_int64(st, 9, in->reason) ||
	    db_bind_text(st, 10, store_or_empty(in->reason_other)) ||
	    db_bind_text(st, 11, store_or_empty(in->carrier.name)) ||
	    db_bind_text(st, 12, store_or_empty(r->carrier_doc)) ||
	    db_bind_text(st, 13, store_or_empty(in->carrier.plate)) ||
	    db_bind_text(st, 14, store_or_empty(in->carrier.licence)) ||
	    db_bind_text(st, 15, store_or_empty(in->carrier.brand)) ||
	    db_bind_text(st, 16, store_or_empty(in->carrier.mtc)) ||
	    db_bind_text(st, 17, in->lot_code) ||
	    db_bind_text(st, 18, r->description) ||
	    db_bind_text(st, 19, r->unit) || db_bind_text(st, 20, r->status) ||
	    db_bind_text(st, 21, r->programs) ||
	    sqlite3_bind_int64(st, 22, in->sacks) ||
	    sqlite3_bind_int64(st, 23, in->declared_g) ||
	    sqlite3_bind_int64(st, 24, r->notes_sacks) ||
	    sqlite3_bind_int64(st, 25, r->notes_g) ||
	    db_bind_text(st, 26, store_or_empty(in->observations)) ||
	    sqlite3_bind_int64(st, 27, r->created_by) ||
	    sqlite3_bind_int64(st, 28, r->created_at)) {
		db_release(st);
		return db_fail(db, "transfer_store_insert_dispatch: bind");
	}
	return store_insert(db, st, "transfer_store_insert_dispatch", id);
}

enum err
transfer_store_insert_dispatch_note(struct db *db, int64_t dispatch_id,
    int64_t org_id, int64_t note_id, int64_t position)
{
	static const char sql[] =
	    "INSERT INTO dispatch_notes (dispatch_id, organization_id,"
	    " note_id, position) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, dispatch_id) ||
	    sqlite3_bind_int64(st, 2, org_id) ||
	    sqlite3_bind_int64(st, 3, note_id) ||
	    sqlite3_bind_int64(st, 4, position)) {
		db_release(st);
		return db_fail(db, "transfer_store_insert_dispatch_note: bind");
	}
	return store_done(db, st, "transfer_store_insert_dispatch_note");
}

/* A copy of column col (never NULL on success). */
static char *
transfer_dup(sqlite3_stmt *st, int col)
{
	return strdup(db_column_text(st, col));
}

enum err
transfer_store_dispatch_facts(struct db *db, int64_t recipient_org,
    int64_t dispatch_id, struct transfer_dispatch_facts *out)
{
	static const char sql[] =
	    "SELECT d.organization_id, d.sacks, d.declared_g, d.status,"
	    " d.transfer_on, d.programs, d.description, d.carrier_name,"
	    " d.carrier_plate, d.annulled_at IS NOT NULL,"
	    " EXISTS (SELECT 1 FROM plant_receipts p WHERE p.dispatch_id = d.id"
	    "  AND p.annulled_at IS NULL)"
	    " FROM dispatches d WHERE d.id = ?2 AND d.recipient_org_id = ?1";
	sqlite3_stmt *st;
	enum err rc;

	memset(out, 0, sizeof(*out));
	rc = store_first_row(db, sql, recipient_org, dispatch_id,
	    "transfer_store_dispatch_facts", &st);
	if (rc != ERR_OK || st == NULL)
		return rc;
	out->found = true;
	out->issuer_org_id = sqlite3_column_int64(st, 0);
	out->sacks = sqlite3_column_int64(st, 1);
	out->declared_g = sqlite3_column_int64(st, 2);
	store_copy_text(out->status, sizeof(out->status), st, 3);
	store_copy_text(out->transfer_on, sizeof(out->transfer_on), st, 4);
	out->programs = transfer_dup(st, 5);
	out->description = transfer_dup(st, 6);
	out->carrier_name = transfer_dup(st, 7);
	out->carrier_plate = transfer_dup(st, 8);
	out->annulled = sqlite3_column_int(st, 9) == 1;
	out->received = sqlite3_column_int(st, 10) == 1;
	if (out->programs == NULL || out->description == NULL ||
	    out->carrier_name == NULL || out->carrier_plate == NULL)
		rc = ERR_NOMEM;
	db_release(st);
	if (rc != ERR_OK)
		transfer_dispatch_facts_clear(out);
	return rc;
}

void
transfer_dispatch_facts_clear(struct transfer_dispatch_facts *f)
{
	free(f->programs);
	free(f->description);
	free(f->carrier_name);
	free(f->carrier_plate);
	f->programs = f->description = NULL;
	f->carrier_name = f->carrier_plate = NULL;
}

enum err
transfer_store_insert_receipt(
    struct db *db, const struct plant_receipt_row *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO plant_receipts (organization_id, series, number,"
	    " issued_on, dispatch_id, client_org_id, carrier_name,"
	    " vehicle_plate, product, status, programs, sacks, gross_g,"
	    " tare_g, net_g, yield_pct, humidity, subproduct_pct, husk_pct,"
	    " cup_score, observations, created_by, created_at) VALUES (?1,"
	    " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
	    " ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)";
	const struct plant_weighing *w = r->w;
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
	    sqlite3_bind_int64(st, 5, r->dispatch_id) ||
	    sqlite3_bind_int64(st, 6, r->client_org_id) ||
	    db_bind_text(st, 7, store_or_empty(r->carrier_name)) ||
	    db_bind_text(st, 8, store_or_empty(r->vehicle_plate)) ||
	    db_bind_text(st, 9, r->product) ||
	    db_bind_text(st, 10, r->status) ||
	    db_bind_text(st, 11, r->programs) ||
	    sqlite3_bind_int64(st, 12, w->sacks) ||
	    sqlite3_bind_int64(st, 13, w->gross_g) ||
	    sqlite3_bind_int64(st, 14, w->tare_g) ||
	    sqlite3_bind_int64(st, 15, r->net_g) ||
	    transfer_bind_opt(st, 16, w->yield_pct) ||
	    transfer_bind_opt(st, 17, w->humidity) ||
	    transfer_bind_opt(st, 18, w->subproduct_pct) ||
	    transfer_bind_opt(st, 19, w->husk_pct) ||
	    transfer_bind_opt(st, 20, w->cup_score) ||
	    db_bind_text(st, 21, store_or_empty(r->observations)) ||
	    sqlite3_bind_int64(st, 22, r->created_by) ||
	    sqlite3_bind_int64(st, 23, r->created_at)) {
		db_release(st);
		return db_fail(db, "transfer_store_insert_receipt: bind");
	}
	return store_insert(db, st, "transfer_store_insert_receipt", id);
}

/* clang-format off */
static const char transfer_annul_dispatch[] =
    "UPDATE dispatches SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL AND NOT EXISTS (SELECT 1 FROM plant_receipts p"
    " WHERE p.dispatch_id = ?2 AND p.annulled_at IS NULL)";
static const char transfer_annul_receipt[] =
    "UPDATE plant_receipts SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL AND NOT EXISTS (SELECT 1 FROM"
    " process_order_inputs i WHERE i.plant_receipt_id = ?2 AND i.live = 1)";
static const char transfer_state_dispatch[] =
    "SELECT annulled_at IS NOT NULL FROM dispatches"
    " WHERE organization_id = ?1 AND id = ?2";
static const char transfer_state_receipt[] =
    "SELECT annulled_at IS NOT NULL FROM plant_receipts"
    " WHERE organization_id = ?1 AND id = ?2";
/* tenancy: by the id of a dispatch just annulled under its organization,
 * in the same transaction. */
/* The notes of an annulled dispatch may travel in another one. */
static const char transfer_free_notes[] = "UPDATE dispatch_notes SET live = 0"
                                          " WHERE dispatch_id = ?1 AND live = 1";
/* clang-format on */

static const struct store_annulment transfer_annulment[] = {
	[TRANSFER_DISPATCH] = { transfer_annul_dispatch,
	    transfer_state_dispatch, transfer_free_notes },
	[TRANSFER_PLANT_RECEIPT] = { transfer_annul_receipt,
	    transfer_state_receipt, NULL },
};

enum err
transfer_store_annul(struct db *db, enum transfer_doc doc, int64_t org_id,
    int64_t id, int64_t by, int64_t now, const char *reason, int *state)
{
	/* Any other value reads as a plant receipt, as it always has. */
	enum transfer_doc k = doc == TRANSFER_DISPATCH ? TRANSFER_DISPATCH
	                                               : TRANSFER_PLANT_RECEIPT;

	return store_annul(
	    db, &transfer_annulment[k], org_id, id, by, now, reason, state);
}
