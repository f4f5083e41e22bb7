/*
 * Demo data for the transfer stage: the guide's guía de remisión 5469
 * (section 3.3.1.2) from the Asociación San Ignacio-Tabaconas to
 * Procesadora del Norte with the 15 producers of lot CO-2365, and the
 * plant's guía de ingreso 3052 (section 3.3.1.3), issued through the same
 * rules as the API (transfer service).
 *
 * From the guide: numbers, dates, reason 3 (transformación), the carrier
 * Pablo Chacón with plate ABW-080, licence A225639, a Volvo, MTC 5690,
 * lot CO-2365, "Café pergamino - orgánico", 300 sacks, 23 400.00 kg; at
 * the plant 300 sacks, gross 23 610, tare 210, net 23 400, humidity 12.5,
 * SCAA score 83, sub-product 13.50 % and husk 21.50 % (registro de
 * recepción).  The guide's producer list totals 23 400,00 kg, but its own
 * 15 lines add up to 23 417.95 kg: the demo keeps the lines (they are the
 * notes of demo_acopio.c) and the declared weight, so the guía shows a
 * shrinkage of 17.95 kg (0.08 %), within tolerance.
 *
 * Corrected or invented: the carrier's RUC is printed "101056342" (nine
 * digits: neither a RUC nor a DNI); the demo uses 10105634205, the 11-digit
 * RUC of a person (prefix 10) whose check digit is valid.  The register
 * prints "Rendimiento 350", which is not a percentage: the demo records
 * 65.00 %, what is left of the sample after sub-product and husk.
 */
#include <stdio.h>

#include "pergamino/admin.h"
#include "pergamino/audit.h"
#include "pergamino/stores.h"
#include "pergamino/transfer.h"

/* The notes of lot CO-2365: 10685 to 10700 without the annulled 10688. */
#define DEMO_NOTE_FIRST 10685
#define DEMO_NOTE_LAST 10700
#define DEMO_NOTE_ANNULLED 10688
#define DEMO_NOTES (DEMO_NOTE_LAST - DEMO_NOTE_FIRST)
#define DEMO_RECEIPT_START 3052

static enum err
demo_transfer_refused(
    const char *what, enum err rc, const struct transfer_error *e)
{
	fprintf(stderr, "demo: %s refused: %s (%s)\n", what,
	    e->rule.why.en != NULL ? e->rule.why.en : "error",
	    e->rule.field != NULL ? e->rule.field : "");
	return rc;
}

/* The ids of the lot's live notes, in the guide's order. */
static enum err
demo_transfer_notes(struct db *db, int64_t org, int64_t ids[DEMO_NOTES])
{
	int64_t number;
	size_t n = 0;
	enum err rc = ERR_OK;

	for (number = DEMO_NOTE_FIRST; rc == ERR_OK && number <= DEMO_NOTE_LAST;
	     number++) {
		if (number == DEMO_NOTE_ANNULLED)
			continue;
		rc = transfer_store_note_by_number(db, org, number, &ids[n]);
		if (rc == ERR_OK && ids[n] == 0) {
			fprintf(stderr, "demo: nota %lld not found\n",
			    (long long)number);
			rc = ERR_NOT_FOUND;
		}
		n++;
	}
	return rc;
}

/* Guía de remisión 5469 (numbering set by demo_acopio_seed()). */
static enum err
demo_transfer_dispatch(struct db *db, const struct actor *coop,
    int64_t plant_org, const int64_t ids[DEMO_NOTES], int64_t *id)
{
	struct dispatch_new d = { 0 };
	struct transfer_error e = { 0 };
	enum err rc;

	d.issued_on = "2017-06-23";
	d.transfer_on = "2017-06-23";
	d.recipient_org_id = plant_org;
	d.departure_address = "Jr. Jaén n.º 874, San Ignacio, Cajamarca";
	d.arrival_address = "Jr. Huáscar n.º 563, Jaén, Cajamarca";
	d.reason = 3; /* transformación */
	d.carrier.name = "Pablo Chacón";
	d.carrier.doc = "10105634205"; /* the guide's "101056342", corrected */
	d.carrier.plate = "ABW-080";
	d.carrier.licence = "A225639";
	d.carrier.brand = "Volvo";
	d.carrier.mtc = "5690";
	d.lot_code = "CO-2365";
	d.description = "Café pergamino - orgánico";
	d.unit = "Sacos";
	d.sacks = 300;
	d.declared_g = 23400000;
	d.note_ids = ids;
	d.note_count = DEMO_NOTES;
	d.observations = "";
	rc = transfer_dispatch(db, coop, &d, id, &e);
	if (rc != ERR_OK)
		return demo_transfer_refused("guía de remisión 5469", rc, &e);
	return ERR_OK;
}

/* Guía de ingreso 3052 with the registro de recepción's quality. */
static enum err
demo_transfer_receipt(
    struct db *db, const struct actor *plant, int64_t dispatch_id)
{
	struct plant_receipt_new r = { 0 };
	struct transfer_error e = { 0 };
	int64_t id;
	enum err rc;

	r.issued_on = "2017-06-24";
	r.dispatch_id = dispatch_id;
	r.carrier_name = "Pablo Chacón";
	r.vehicle_plate = "ABW-080";
	r.product = "Café pergamino - orgánico";
	r.w.sacks = 300;
	r.w.gross_g = 23610000;
	r.w.tare_g = 210000;
	r.w.yield_pct = 6500;
	r.w.humidity = 125;
	r.w.subproduct_pct = 1350;
	r.w.husk_pct = 2150;
	r.w.cup_score = 8300;
	r.observations = "";
	rc = transfer_receive(db, plant, &r, &id, &e);
	if (rc != ERR_OK)
		return demo_transfer_refused("guía de ingreso 3052", rc, &e);
	return ERR_OK;
}

enum err
demo_transfer_seed(struct db *db, int64_t coop_org, int64_t coop_clerk,
    int64_t plant_org, int64_t plant_clerk)
{
	struct actor coop = { coop_clerk, coop_org };
	struct actor plant = { plant_clerk, plant_org };
	struct audit_event ev = { 0 };
	int64_t ids[DEMO_NOTES], dispatch_id = 0;
	enum err rc;

	rc = db_begin(db);
	if (rc != ERR_OK)
		return rc;
	/* The plant's paper numbering continues at 3052. */
	rc = numbering_set_start(
	    db, plant_org, "plant_receipt", "", DEMO_RECEIPT_START);
	ev.user_id = plant_clerk;
	ev.organization_id = plant_org;
	ev.action = "numbering.set";
	ev.entity = "numbering";
	if (rc == ERR_OK)
		rc = audit_append(db, &ev);
	if (rc == ERR_OK)
		rc = demo_transfer_notes(db, coop_org, ids);
	if (rc == ERR_OK)
		rc = demo_transfer_dispatch(
		    db, &coop, plant_org, ids, &dispatch_id);
	if (rc == ERR_OK)
		rc = demo_transfer_receipt(db, &plant, dispatch_id);
	if (rc == ERR_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
