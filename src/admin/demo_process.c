/*
 * Demo data for the process stage: the guide's example (section 3.3.1.3)
 * after guía de remisión 5469 and guía de ingreso 3052, issued through the
 * same rules as the API (process service): the association's process
 * order for receipt 3052 and its sack marking order 029-17, the plant's
 * LOP 1204 with the guide's eight output lines, and exit guide 4512 to
 * Unimar (Paita), which leaves the kárdex at 0.
 *
 * Departures from the guide, each because the guide's figure is
 * impossible or missing:
 * - Exit 4512 prints gross 17 420, tare 175, net 17 250, but 17 420 - 175
 *   is 17 245.  Every other document (LOP, kárdex, the guías de remisión)
 *   says 17 250 net, so the gross is taken as 17 425.
 * - The carrier Hugo Callupe's RUC 10066109559 fails its check digit; the
 *   demo uses 10066109556 (the same first ten digits, valid check digit).
 * - The guide dates no process order; it is dated 24/06/17, the day of the
 *   intake.  The marking order keeps the guide's 23/06/17: the association
 *   sends it ahead of the intake, so it is not checked against its order's
 *   date.
 */
#include <stdio.h>
#include <time.h>

#include "pergamino/audit.h"
#include "pergamino/process.h"
#include "pergamino/stores.h"

#define DEMO_RECEIPT_NUMBER 3052
#define DEMO_INPUT_G 23400000 /* 23 400 kg: all of receipt 3052 */

static const char demo_marks[] =
    "Asociación San Ignacio Tabaconas \"Organic Green Coffee of Peru\" "
    "Certified Organic by Control Union CU835641 PE-BIO 149 30/861/1544/ "
    "LOT No 004-17 Ref.: Ctrc P17446";

static enum err
demo_process_refused(const char *what, enum err rc, const struct rule_error *e)
{
	fprintf(stderr, "demo: %s refused: %s (%s)\n", what,
	    e->why.en != NULL ? e->why.en : "error",
	    e->field != NULL ? e->field : "");
	return rc;
}

/* Paper numbering continues: LOP 1204, guía de salida 4512, orden 029. */
static enum err
demo_process_numbering(struct db *db, int64_t coop_org, int64_t coop_user,
    int64_t plant_org, int64_t plant_user)
{
	struct audit_event ev = { 0 };
	enum err rc;

	rc = numbering_set_start(db, plant_org, "process_settlement", "", 1204);
	if (rc == ERR_OK)
		rc = numbering_set_start(db, plant_org, "plant_exit", "", 4512);
	if (rc == ERR_OK)
		rc = numbering_set_start(db, coop_org, "marking_order", "", 29);
	if (rc != ERR_OK)
		return rc;
	ev.user_id = plant_user;
	ev.organization_id = plant_org;
	ev.action = "numbering.set";
	ev.entity = "numbering";
	rc = audit_append(db, &ev);
	if (rc != ERR_OK)
		return rc;
	ev.seq = 0;
	ev.user_id = coop_user;
	ev.organization_id = coop_org;
	return audit_append(db, &ev);
}

/* The association's process order and marking order 029-17. */
static enum err
demo_process_orders(struct db *db, const struct actor *coop, int64_t plant_org,
    int64_t receipt_id, int64_t *order_id)
{
	struct process_input input = { receipt_id, DEMO_INPUT_G };
	struct process_order_new o = { 0 };
	struct marking_order_new m = { 0 };
	struct process_error pe = { 0 };
	struct rule_error e = { 0 };
	int64_t marking_id;
	enum err rc;

	o.issued_on = "2017-06-24";
	o.plant_org_id = plant_org;
	o.contract = "P17446";
	o.process_type = "ORG";
	o.quality = "Preparación a 10 defectos";
	o.inputs = &input;
	o.input_count = 1;
	rc = process_order_issue(db, coop, &o, order_id, &pe);
	if (rc != ERR_OK)
		return demo_process_refused("process order", rc, &pe.rule);

	m.issued_on = "2017-06-23";
	m.process_order_id = *order_id;
	m.sacks = 250;
	m.marks = demo_marks;
	m.ico_mark = "30/861/1544";
	m.organic_lot = "004-17";
	m.contract = "P17446";
	m.net_per_sack_g = 69000;
	m.delivery_on = "2017-06-25";
	m.delivery_place = "Planta Procesadora del Norte";
	m.observation = "Marcado a 01 color";
	rc = process_marking_issue(db, coop, &m, &marking_id, &e);
	if (rc != ERR_OK)
		return demo_process_refused("marking order", rc, &e);
	return ERR_OK;
}

/* The plant's LOP 1204 and exit guide 4512. */
static enum err
demo_process_plant(struct db *db, const struct actor *plant, int64_t order_id)
{
	struct process_settlement_new s = { 0 };
	struct plant_exit_new x = { 0 };
	struct rule_error e = { 0 };
	int64_t lop_id, exit_id;
	enum err rc;

	s.issued_on = "2017-06-25";
	s.process_order_id = order_id;
	s.lot_code = "LOP-1204";
	s.outputs_g[PROCESS_OUT_EXPORT] = 17250000;
	s.outputs_g[PROCESS_OUT_EXPORT_MC] = 1088000;
	s.outputs_g[PROCESS_OUT_SECOND] = 381000;
	s.outputs_g[PROCESS_OUT_MACHINE_DISCARD] = 151000;
	s.outputs_g[PROCESS_OUT_SORTING_DISCARD] = 177000;
	s.outputs_g[PROCESS_OUT_BOLA] = 148000;
	s.outputs_g[PROCESS_OUT_CISCO] = 150000;
	s.outputs_g[PROCESS_OUT_HUSK] = 4055000;
	rc = process_settle(db, plant, &s, &lop_id, &e);
	if (rc != ERR_OK)
		return demo_process_refused("LOP", rc, &e);

	x.issued_on = "2017-06-30";
	x.process_settlement_id = lop_id;
	x.destination = "Unimar";
	x.destination_address =
	    "Mz. A - Lote 10, 11, 12 y 13, Etapa II - Paita - Paita - Piura";
	x.carrier.name = "Hugo Callupe";
	x.carrier.doc = "10066109556";
	x.carrier.plate = "BKI-080";
	x.carrier.licence = "N2721364";
	x.carrier.brand = "Volvo";
	x.carrier.mtc = "151110617";
	x.sacks = 250;
	x.gross_g = 17425000;
	x.tare_g = 175000;
	x.observations = "LOP N.º 1204";
	rc = process_exit_issue(db, plant, &x, &exit_id, &e);
	if (rc != ERR_OK)
		return demo_process_refused("exit guide", rc, &e);
	return ERR_OK;
}

enum err
demo_process_seed(struct db *db, int64_t coop_org, int64_t coop_user,
    int64_t plant_org, int64_t plant_user)
{
	struct actor coop = { coop_user, coop_org };
	struct actor plant = { plant_user, plant_org };
	int64_t receipt_id = 0, order_id = 0;
	enum err rc;

	rc = db_begin(db);
	if (rc != ERR_OK)
		return rc;
	rc = process_store_find_receipt(
	    db, plant_org, DEMO_RECEIPT_NUMBER, &receipt_id);
	if (rc == ERR_OK && receipt_id == 0) {
		fprintf(stderr, "demo: plant receipt 3052 not found\n");
		rc = ERR_NOT_FOUND;
	}
	if (rc == ERR_OK)
		rc = demo_process_numbering(
		    db, coop_org, coop_user, plant_org, plant_user);
	if (rc == ERR_OK)
		rc = demo_process_orders(
		    db, &coop, plant_org, receipt_id, &order_id);
	if (rc == ERR_OK)
		rc = demo_process_plant(db, &plant, order_id);
	if (rc == ERR_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
