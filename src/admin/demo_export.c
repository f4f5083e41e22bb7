/*
 * Demo data for the export stage: the guide's example (section 3.3.1.4)
 * after LOP 1204 and exit guide 4512, issued by the association's
 * exporter through the same rules as the API (export service): the
 * association's ICO exporter code 861 and its ICO mark numbering from
 * 1544, export lot 004-17 of LOP 1204's 17 250 kg of export coffee (250
 * sacks of 69 kg, contract P17446) adopting the mark 30/861/1544 that
 * marking order 029-17 printed on the sacks, and its shipment (registro
 * de exportaciones) from Paita.
 *
 * The guide gives no invoice, bill of lading, buyer, vessel or container:
 * those of the shipment are illustrative, invented for the demo (the
 * organic lot 004-17 is on both the invoice and the BL, as the guide
 * requires for the certificate of transaction).  Shipped 05/07/2017,
 * after exit guide 4512 of 30/06/2017; gross 17 425 kg as the exit guide.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/audit.h"
#include "pergamino/export.h"
#include "pergamino/registry.h"
#include "pergamino/stores.h"

#define DEMO_LOP_NUMBER 1204
#define DEMO_ICO_START 1544

static const char demo_marks[] =
    "Asociación San Ignacio Tabaconas \"Organic Green Coffee of Peru\" "
    "Certified Organic by Control Union CU835641 PE-BIO 149 30/861/1544/ "
    "LOT No 004-17 Ref.: Ctrc P17446";

static enum err
demo_export_refused(const char *what, enum err rc, const struct rule_error *e)
{
	fprintf(stderr, "demo: %s refused: %s (%s)\n", what,
	    e->why.en != NULL ? e->why.en : "error",
	    e->field != NULL ? e->field : "");
	return rc;
}

/* ICO exporter code 861 (country 30) and the mark numbering from 1544. */
static enum err
demo_export_setup(struct db *db, int64_t org, int64_t user)
{
	struct audit_event ev = { 0 };
	struct org_settings s;
	enum err rc;

	rc = settings_store_get(db, org, &s);
	if (rc != ERR_OK)
		return rc;
	snprintf(s.ico_exporter_code, sizeof(s.ico_exporter_code), "861");
	s.ico_country_code = SETTINGS_ICO_COUNTRY_DEFAULT;
	rc = settings_store_put(db, org, s.version, &s);
	if (rc == ERR_OK)
		rc = numbering_set_start(
		    db, org, "ico-mark", "", DEMO_ICO_START);
	if (rc != ERR_OK)
		return rc;
	ev.user_id = user;
	ev.organization_id = org;
	ev.action = "settings.update";
	ev.entity = "settings";
	ev.entity_id = org;
	rc = audit_append(db, &ev);
	if (rc != ERR_OK)
		return rc;
	memset(&ev, 0, sizeof(ev));
	ev.user_id = user;
	ev.organization_id = org;
	ev.action = "numbering.set";
	ev.entity = "numbering";
	return audit_append(db, &ev);
}

/* Export lot 004-17: all of LOP 1204's export coffee. */
static enum err
demo_export_lot(
    struct db *db, const struct actor *a, int64_t lop_id, int64_t *lot_id)
{
	struct export_source_in src = { lop_id, "export", 17250000 };
	struct export_lot_new n = { 0 };
	struct export_error e = { 0 };
	enum err rc;

	n.issued_on = "2017-06-26";
	n.organic_lot = "004-17";
	n.ico_mark = "30/861/1544";
	n.contract = "P17446";
	n.buyer = "Hanseatic Organic Coffee Importers GmbH";
	n.preparation = "Preparación a 10 defectos";
	n.defects = 10;
	n.cup_score = 8300;
	n.marks = demo_marks;
	n.net_per_sack_g = 69000;
	n.sacks = 250;
	n.observations = "Marcas según orden de marcado 029-17";
	n.sources = &src;
	n.source_count = 1;
	rc = export_lot_issue(db, a, &n, lot_id, &e);
	if (rc != ERR_OK)
		return demo_export_refused("export lot", rc, &e.rule);
	return ERR_OK;
}

/* The shipment of lot 004-17 (illustrative documents, see above). */
static enum err
demo_export_shipment(struct db *db, const struct actor *a, int64_t lot_id)
{
	struct shipment_lot_in lot = { lot_id, 250, 17250000 };
	struct shipment_new n = { 0 };
	struct export_error e = { 0 };
	int64_t id;
	enum err rc;

	n.issued_on = "2017-07-05";
	n.contract = "P17446";
	n.buyer_name = "Hanseatic Organic Coffee Importers GmbH";
	n.buyer_country = "DE";
	n.invoice_number = "001-000245";
	n.invoice_lot_ref = "004-17";
	n.bl_number = "HLCUPAI170712345";
	n.bl_lot_ref = "LOT No 004-17";
	n.vessel = "Santa Catalina";
	n.booking = "PAI1707051";
	n.container = "HLXU1234567";
	n.seal = "PE0415263";
	n.port_loading = "Paita";
	n.port_destination = "Hamburgo";
	n.shipped_on = "2017-07-05";
	n.quality = "Café verde orgánico, preparación a 10 defectos, 83 puntos";
	n.gross_g = 17425000;
	n.observations = "Datos de factura, BL, comprador, nave y contenedor "
	                 "ilustrativos (la guía no los da)";
	n.lots = &lot;
	n.lot_count = 1;
	rc = export_shipment_issue(db, a, &n, &id, &e);
	if (rc != ERR_OK)
		return demo_export_refused("shipment", rc, &e.rule);
	return ERR_OK;
}

enum err
demo_export_seed(struct db *db, int64_t coop_org, int64_t export_user)
{
	struct actor a = { export_user, coop_org };
	int64_t lop_id = 0, lot_id = 0;
	enum err rc;

	rc = db_begin(db);
	if (rc != ERR_OK)
		return rc;
	rc = export_store_find_lop(db, coop_org, DEMO_LOP_NUMBER, &lop_id);
	if (rc == ERR_OK && lop_id == 0) {
		fprintf(stderr, "demo: LOP 1204 not found\n");
		rc = ERR_NOT_FOUND;
	}
	if (rc == ERR_OK)
		rc = demo_export_setup(db, coop_org, export_user);
	if (rc == ERR_OK)
		rc = demo_export_lot(db, &a, lop_id, &lot_id);
	if (rc == ERR_OK)
		rc = demo_export_shipment(db, &a, lot_id);
	if (rc == ERR_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
