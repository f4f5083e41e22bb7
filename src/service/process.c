/*
 * The process stage's rules around its four documents (see process.h).
 * Runs inside the caller's transaction: a refusal returns before any
 * write, or the caller rolls back, so a refused request leaves no trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pergamino/audit.h"
#include "pergamino/document.h"
#include "pergamino/dates.h"
#include "pergamino/export.h"
#include "pergamino/jsonx.h"
#include "pergamino/process.h"
#include "pergamino/stores.h"
#include "pergamino/units.h"

static const char *const process_doc_types[PROCESS_DOC_COUNT] = {
	"process_order",
	"marking_order",
	"process_settlement",
	"plant_exit",
};

static const char *
process_or(const char *s, const char *def)
{
	return s != NULL ? s : def;
}

/* Audit a document's annulment with its full JSON. */
static enum err
process_audit(struct db *db, const struct actor *a, enum process_doc doc,
    const char *action, int64_t id, const char *before)
{
	json_t *after = NULL;
	enum err rc;

	rc = process_store_get_json(db, doc, a->user_id, id, &after);
	if (rc == ERR_OK)
		rc = doc_audit(
		    db, a, action, process_doc_types[doc], id, before, after);
	json_decref(after);
	return rc;
}

/*
 * A document just issued: freeze its parties as they are now (a reprint
 * years later shows what was printed) and audit its issue, both from one
 * read of it: the issuer and the counterpart (the plant of an order, the client
 * of a LOP or exit guide).
 */
static enum err
process_issued(struct db *db, const struct actor *a, enum process_doc doc,
    const char *action, int64_t id)
{
	static const char *const order_keys[] = { "organization", "plant",
		NULL };
	static const char *const lop_keys[] = { "organization", "client",
		NULL };
	const char *const *keys = doc == PROCESS_ORDER || doc == PROCESS_MARKING
	    ? order_keys
	    : lop_keys;
	json_t *cur = NULL;
	char *text = NULL;
	enum err rc;

	rc = process_store_get_json(db, doc, a->user_id, id, &cur);
	if (rc == ERR_OK)
		rc = doc_parties_text(cur, keys, &text);
	if (rc == ERR_OK)
		rc = process_store_set_parties(db, doc, a->org_id, id, text);
	if (rc == ERR_OK)
		rc = doc_audit(
		    db, a, action, process_doc_types[doc], id, NULL, cur);
	free(text);
	json_decref(cur);
	return rc;
}

static enum err
process_check_date(const char *date, struct rule_error *e)
{
	if (!date_valid(date))
		return doc_refuse(e, ERR_INVALID, "issued_on", "invalid_date",
		    MSG("Fecha no válida", "Invalid date"));
	return ERR_OK;
}

/* ---- process orders ---- */

/* Each input: the cooperative's own live coffee at that plant. */
static enum err
process_check_input(struct db *db, const struct actor *a,
    const struct process_order_new *in, size_t i,
    struct process_receipt_facts *rf, struct rule_error *e)
{
	/* The caller names the receipt (process_error) on a refusal. */
	const struct process_input *p = &in->inputs[i];
	size_t j;
	enum err rc;

	for (j = 0; j < i; j++)
		if (in->inputs[j].plant_receipt_id == p->plant_receipt_id)
			return doc_refuse(e, ERR_UNPROCESSABLE, "inputs",
			    "duplicate_input",
			    MSG("Una guía de ingreso figura dos veces en la "
			        "orden",
			        "A plant receipt appears twice in the order"));
	if (p->kilos_g <= 0 || p->kilos_g > PROCESS_KG_MAX_G)
		return doc_refuse(e, ERR_INVALID, "inputs", "out_of_range",
		    MSG("Los kilos de cada guía de ingreso deben ser mayores "
		        "que cero",
		        "The kilos of each plant receipt must be above zero"));
	rc = process_store_receipt_facts(
	    db, a->org_id, in->plant_org_id, p->plant_receipt_id, rf);
	if (rc != ERR_OK)
		return rc;
	if (!rf->found)
		return doc_refuse(e, ERR_UNPROCESSABLE, "inputs",
		    "receipt_not_found",
		    MSG("La guía de ingreso no existe o no es de café de su "
		        "organización en esa planta",
		        "No such plant receipt of your organization's coffee "
		        "at that plant"));
	if (rf->annulled)
		return doc_refuse(e, ERR_CONFLICT, "inputs", "receipt_annulled",
		    MSG("La guía de ingreso está anulada",
		        "The plant receipt is annulled"));
	if (p->kilos_g > rf->net_g - rf->consumed_g)
		return doc_refuse(e, ERR_UNPROCESSABLE, "inputs",
		    "insufficient_balance",
		    MSG("Los kilos exceden el saldo de la guía de ingreso (sus "
		        "kilos netos menos lo que ya consumen otras órdenes de "
		        "proceso vigentes)",
		        "The kilos exceed the plant receipt's balance (its net "
		        "kilos less what other live process orders already "
		        "consume)"));
	if (strcmp(in->issued_on, rf->issued_on) < 0)
		return doc_refuse(e, ERR_UNPROCESSABLE, "issued_on",
		    "before_receipt",
		    MSG("La orden de proceso no puede ser anterior a la guía "
		        "de "
		        "ingreso",
		        "The process order cannot predate the plant receipt"));
	return ERR_OK;
}

/* Every input checked, with one status and one program set. */
static enum err
process_check_inputs(struct db *db, const struct actor *a,
    const struct process_order_new *in, struct process_receipt_facts *first,
    int64_t *input_g, struct process_error *pe)
{
	struct process_receipt_facts rf;
	struct rule_error *e = &pe->rule;
	size_t i;
	enum err rc = ERR_OK;

	*input_g = 0;
	memset(first, 0, sizeof(*first));
	for (i = 0; rc == ERR_OK && i < in->input_count; i++) {
		pe->plant_receipt_id = in->inputs[i].plant_receipt_id;
		rc = process_check_input(db, a, in, i, &rf, e);
		if (rc != ERR_OK)
			break;
		/* Segregation: one status and one program set. */
		if (i == 0)
			*first = rf;
		else if (strcmp(rf.status, first->status) != 0)
			rc = doc_refuse(e, ERR_UNPROCESSABLE, "inputs",
			    "mixed_status",
			    MSG("No se mezcla café orgánico, en transición y "
			        "convencional en una orden de proceso",
			        "Organic, transition and conventional coffee "
			        "never mix in one process order"));
		else if (strcmp(rf.programs, first->programs) != 0)
			rc = doc_refuse(e, ERR_UNPROCESSABLE, "inputs",
			    "mixed_programs",
			    MSG("Las guías de ingreso tienen programas de "
			        "certificación distintos: no se mezclan",
			        "The plant receipts have different "
			        "certification programs: they do not mix"));
		*input_g += in->inputs[i].kilos_g;
	}
	if (rc == ERR_OK)
		pe->plant_receipt_id = 0;
	return rc;
}

enum err
process_order_issue(struct db *db, const struct actor *a,
    const struct process_order_new *in, int64_t *id, struct process_error *pe)
{
	struct rule_error *e = &pe->rule;
	struct process_receipt_facts first;
	struct process_order_row row = { 0 };
	enum org_kind kind;
	int64_t input_g = 0;
	size_t i;
	enum err rc;

	*id = 0;
	pe->plant_receipt_id = 0;
	rc = process_check_date(in->issued_on, e);
	if (rc != ERR_OK)
		return rc;
	if (in->input_count < 1 || in->input_count > PROCESS_INPUTS_MAX)
		return doc_refuse(e, ERR_INVALID, "inputs", "count",
		    MSG("Indique de 1 a 50 guías de ingreso",
		        "Give 1 to 50 plant receipts"));
	rc = org_store_kind(db, in->plant_org_id, &kind);
	if (rc == ERR_NOT_FOUND || (rc == ERR_OK && kind != ORG_PLANT))
		return doc_refuse(e, ERR_UNPROCESSABLE, "plant_org_id",
		    "not_a_plant",
		    MSG("La organización indicada no es una planta procesadora",
		        "That organization is not a processing plant"));
	if (rc != ERR_OK)
		return rc;
	rc = process_check_inputs(db, a, in, &first, &input_g, pe);
	if (rc != ERR_OK)
		return rc;
	row.org_id = a->org_id;
	row.series = process_or(in->series, "");
	row.issued_on = in->issued_on;
	row.plant_org_id = in->plant_org_id;
	row.contract = process_or(in->contract, "");
	row.process_type = process_or(in->process_type, "");
	row.quality = process_or(in->quality, "");
	row.status = first.status;
	row.programs = first.programs;
	row.input_g = input_g;
	row.observations = process_or(in->observations, "");
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc = numbering_next(
	    db, a->org_id, "process_order", row.series, &row.number);
	if (rc == ERR_OK)
		rc = process_store_insert_order(db, &row, id);
	for (i = 0; rc == ERR_OK && i < in->input_count; i++)
		rc = process_store_insert_input(db, *id,
		    in->inputs[i].plant_receipt_id, in->inputs[i].kilos_g);
	if (rc == ERR_OK)
		rc = process_issued(
		    db, a, PROCESS_ORDER, "process_order.create", *id);
	return rc;
}

/* ---- marking orders ---- */

enum err
process_marking_issue(struct db *db, const struct actor *a,
    const struct marking_order_new *in, int64_t *id, struct rule_error *e)
{
	struct process_order_facts of;
	struct marking_order_row row = { 0 };
	int64_t per_sack;
	enum err rc;

	*id = 0;
	rc = process_check_date(in->issued_on, e);
	if (rc != ERR_OK)
		return rc;
	per_sack =
	    in->net_per_sack_g > 0 ? in->net_per_sack_g : UNITS_SACK_EXPORT_G;
	if (in->sacks < 1 || in->sacks > PROCESS_SACKS_MAX)
		return doc_refuse(e, ERR_INVALID, "sacks", "out_of_range",
		    MSG("Debe haber al menos un saco",
		        "There must be at least one sack"));
	if (in->marks == NULL || in->marks[0] == '\0')
		return doc_refuse(e, ERR_INVALID, "marks", "required",
		    MSG("Indique las marcas de los sacos",
		        "Give the marks of the sacks"));
	if (in->delivery_on != NULL &&
	    (!date_valid(in->delivery_on) ||
	        strcmp(in->delivery_on, in->issued_on) < 0))
		return doc_refuse(e, ERR_UNPROCESSABLE, "delivery_on",
		    "before_issue",
		    MSG("La fecha de entrega no puede ser anterior a la orden",
		        "The delivery date cannot predate the order"));
	rc = process_store_order_facts(
	    db, a->org_id, false, in->process_order_id, &of);
	if (rc != ERR_OK)
		return rc;
	if (!of.found)
		return doc_refuse(e, ERR_UNPROCESSABLE, "process_order_id",
		    "not_found",
		    MSG("La orden de proceso no existe en su organización",
		        "No such process order in your organization"));
	if (of.annulled)
		return doc_refuse(e, ERR_CONFLICT, "process_order_id",
		    "annulled",
		    MSG("La orden de proceso está anulada",
		        "The process order is annulled"));
	if (of.has_marking)
		return doc_refuse(e, ERR_CONFLICT, "process_order_id",
		    "already_has_marking_order",
		    MSG("Esta orden de proceso ya tiene orden de marcado: "
		        "anúlela para emitir otra",
		        "This process order already has a marking order: annul "
		        "it to issue another"));
	/* sacks <= 10^5 and per_sack <= 10^8: the product fits. */
	if (in->sacks * per_sack > of.input_g)
		return doc_refuse(e, ERR_UNPROCESSABLE, "sacks",
		    "exceeds_order",
		    MSG("Los sacos a marcar pesan más que el café de la orden "
		        "de proceso",
		        "The sacks to mark weigh more than the process order's "
		        "coffee"));
	row.org_id = a->org_id;
	row.series = process_or(in->series, "");
	row.issued_on = in->issued_on;
	row.process_order_id = in->process_order_id;
	row.sacks = in->sacks;
	row.marks = in->marks;
	row.ico_mark = process_or(in->ico_mark, "");
	row.organic_lot = process_or(in->organic_lot, "");
	row.contract = process_or(in->contract, of.contract);
	row.net_per_sack_g = per_sack;
	row.delivery_on = in->delivery_on;
	row.delivery_place = process_or(in->delivery_place, "");
	row.observation = process_or(in->observation, "");
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc = numbering_next(
	    db, a->org_id, "marking_order", row.series, &row.number);
	if (rc == ERR_OK)
		rc = process_store_insert_marking(db, &row, id);
	if (rc == ERR_OK)
		rc = process_issued(
		    db, a, PROCESS_MARKING, "marking_order.create", *id);
	return rc;
}

/* ---- process settlements (LOP) ---- */

/* The process order the plant settles: addressed to it, live, unsettled. */
static enum err
process_check_order_for_lop(const struct process_order_facts *of,
    const struct process_settlement_new *in, struct rule_error *e)
{
	if (!of->found)
		return doc_refuse(e, ERR_UNPROCESSABLE, "process_order_id",
		    "not_found",
		    MSG("No hay tal orden de proceso dirigida a su planta",
		        "No such process order addressed to your plant"));
	if (of->annulled)
		return doc_refuse(e, ERR_CONFLICT, "process_order_id",
		    "annulled",
		    MSG("La orden de proceso está anulada",
		        "The process order is annulled"));
	if (of->has_settlement)
		return doc_refuse(e, ERR_CONFLICT, "process_order_id",
		    "already_settled",
		    MSG("Esta orden de proceso ya tiene liquidación (LOP) "
		        "vigente",
		        "This process order already has a live settlement "
		        "(LOP)"));
	if (strcmp(in->issued_on, of->issued_on) < 0)
		return doc_refuse(e, ERR_UNPROCESSABLE, "issued_on",
		    "before_order",
		    MSG("La liquidación no puede ser anterior a la orden de "
		        "proceso",
		        "The settlement cannot predate the process order"));
	return ERR_OK;
}

enum err
process_settle(struct db *db, const struct actor *a,
    const struct process_settlement_new *in, int64_t *id, struct rule_error *e)
{
	struct process_order_facts of;
	struct process_settlement_row row = { 0 };
	char lot[PROCESS_CODE_LEN];
	int64_t diff;
	enum err rc;

	*id = 0;
	rc = process_check_date(in->issued_on, e);
	if (rc != ERR_OK)
		return rc;
	rc = process_store_order_facts(
	    db, a->org_id, true, in->process_order_id, &of);
	if (rc != ERR_OK)
		return rc;
	rc = process_check_order_for_lop(&of, in, e);
	if (rc != ERR_OK)
		return rc;
	rc = process_mass_balance(in->outputs_g, of.input_g, &diff, e);
	if (rc != ERR_OK)
		return rc;
	row.org_id = a->org_id;
	row.series = process_or(in->series, "");
	row.issued_on = in->issued_on;
	row.process_order_id = in->process_order_id;
	row.client_org_id = of.org_id;
	row.contract = of.contract;
	row.process_type = of.process_type;
	row.characteristics = process_or(in->characteristics, of.quality);
	row.status = of.status;
	row.programs = of.programs;
	row.input_g = of.input_g;
	row.observations = process_or(in->observations, "");
	row.outputs_g = in->outputs_g;
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc = numbering_next(
	    db, a->org_id, "process_settlement", row.series, &row.number);
	if (rc != ERR_OK)
		return rc;
	/* The plant's finished-product lot: by default the LOP's number. */
	if (in->lot_code != NULL) {
		row.lot_code = in->lot_code;
	} else {
		snprintf(lot, sizeof(lot), "LOP-%lld", (long long)row.number);
		row.lot_code = lot;
	}
	rc = process_store_insert_settlement(db, &row, id);
	if (rc == ERR_OK)
		rc = process_issued(db, a, PROCESS_SETTLEMENT,
		    "process_settlement.create", *id);
	return rc;
}

/* ---- exit guides ---- */

static enum err
process_check_carrier(const struct plant_carrier *c, struct rule_error *e)
{
	struct msg why;

	if (c->name == NULL || c->name[0] == '\0')
		return doc_refuse(e, ERR_INVALID, "carrier.name", "required",
		    MSG("Indique el transportista", "Give the carrier"));
	if (c->plate == NULL || c->plate[0] == '\0')
		return doc_refuse(e, ERR_INVALID, "carrier.plate", "required",
		    MSG("Indique la placa del vehículo",
		        "Give the vehicle's plate"));
	if (process_carrier_doc_check(c->doc, &why) != ERR_OK)
		return doc_refuse(
		    e, ERR_INVALID, "carrier.doc", "invalid_document", why);
	return ERR_OK;
}

static enum err
process_check_lop_for_exit(const struct process_settlement_facts *sf,
    const struct plant_exit_new *in, struct rule_error *e)
{
	if (!sf->found)
		return doc_refuse(e, ERR_UNPROCESSABLE, "process_settlement_id",
		    "not_found",
		    MSG("La liquidación (LOP) no existe en su planta",
		        "No such settlement (LOP) at your plant"));
	if (sf->annulled)
		return doc_refuse(e, ERR_CONFLICT, "process_settlement_id",
		    "annulled",
		    MSG("La liquidación (LOP) está anulada",
		        "The settlement (LOP) is annulled"));
	if (strcmp(in->issued_on, sf->issued_on) < 0)
		return doc_refuse(e, ERR_UNPROCESSABLE, "issued_on",
		    "before_settlement",
		    MSG("La guía de salida no puede ser anterior a la "
		        "liquidación",
		        "The exit guide cannot predate the settlement"));
	if (in->gross_g <= 0 || in->tare_g < 0 || in->tare_g >= in->gross_g)
		return doc_refuse(e, ERR_INVALID, "tare_kg", "out_of_range",
		    MSG("La tara debe ser menor que el peso bruto",
		        "Tare must be less than the gross weight"));
	return process_exit_check(sf->export_g, sf->exits_sacks, sf->exits_g,
	    in->sacks, in->gross_g - in->tare_g, e);
}

enum err
process_exit_issue(struct db *db, const struct actor *a,
    const struct plant_exit_new *in, int64_t *id, struct rule_error *e)
{
	struct process_settlement_facts sf;
	struct plant_exit_row row = { 0 };
	struct plant_carrier carrier;
	char desc[PROCESS_DESCRIPTION_MAX + 1];
	enum err rc;

	*id = 0;
	rc = process_check_date(in->issued_on, e);
	if (rc != ERR_OK)
		return rc;
	if (in->destination == NULL || in->destination[0] == '\0')
		return doc_refuse(e, ERR_INVALID, "destination", "required",
		    MSG("Indique el destino", "Give the destination"));
	rc = process_check_carrier(&in->carrier, e);
	if (rc != ERR_OK)
		return rc;
	rc = process_store_settlement_facts(
	    db, a->org_id, in->process_settlement_id, &sf);
	if (rc != ERR_OK)
		return rc;
	rc = process_check_lop_for_exit(&sf, in, e);
	if (rc != ERR_OK)
		return rc;
	row.product_description = in->product_description;
	if (row.product_description == NULL) {
		if (process_exit_description(sf.status,
		        sf.has_marking ? sf.net_per_sack_g
		                       : UNITS_SACK_EXPORT_G,
		        sf.has_marking ? sf.marks : "", desc, sizeof(desc)) < 0)
			return doc_refuse(e, ERR_UNPROCESSABLE,
			    "product_description", "too_long",
			    MSG("Las marcas son demasiado largas: escriba la "
			        "descripción del producto",
			        "The marks are too long: write the product "
			        "description"));
		row.product_description = desc;
	}
	row.lot_code = in->lot_code != NULL               ? in->lot_code
	    : sf.has_marking && sf.organic_lot[0] != '\0' ? sf.organic_lot
	                                                  : sf.lot_code;
	row.org_id = a->org_id;
	row.series = process_or(in->series, "");
	row.issued_on = in->issued_on;
	row.process_settlement_id = in->process_settlement_id;
	row.client_org_id = sf.client_org_id;
	row.destination = in->destination;
	row.destination_address = process_or(in->destination_address, "");
	carrier.name = in->carrier.name;
	carrier.doc = in->carrier.doc;
	carrier.plate = in->carrier.plate;
	carrier.licence = process_or(in->carrier.licence, "");
	carrier.brand = process_or(in->carrier.brand, "");
	carrier.mtc = process_or(in->carrier.mtc, "");
	row.carrier = &carrier;
	row.status = sf.status;
	row.programs = sf.programs;
	row.sacks = in->sacks;
	row.gross_g = in->gross_g;
	row.tare_g = in->tare_g;
	row.observations = process_or(in->observations, "");
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc = numbering_next(
	    db, a->org_id, "plant_exit", row.series, &row.number);
	if (rc == ERR_OK)
		rc = process_store_insert_exit(db, &row, id);
	if (rc == ERR_OK)
		rc = process_issued(
		    db, a, PROCESS_EXIT, "plant_exit.create", *id);
	return rc;
}

/* ---- annulment and reads ---- */

static struct msg
process_dependent_msg(enum process_doc doc)
{
	if (doc == PROCESS_ORDER)
		return MSG("Anule primero la liquidación (LOP) y la orden de "
		           "marcado de esta orden de proceso",
		    "Annul this process order's settlement (LOP) and marking "
		    "order first");
	return MSG("Anule primero las guías de salida de esta liquidación y "
	           "los lotes de exportación que toman su café",
	    "Annul this settlement's exit guides and the export lots that "
	    "take its coffee first");
}

enum err
process_annul(struct db *db, const struct actor *a, enum process_doc doc,
    int64_t id, const char *reason, struct rule_error *e)
{
	static const char *const actions[PROCESS_DOC_COUNT] = {
		"process_order.annul",
		"marking_order.annul",
		"process_settlement.annul",
		"plant_exit.annul",
	};
	json_t *got = NULL;
	char *before = NULL;
	enum err rc;
	int state;

	rc = doc_check_reason(reason, e);
	if (rc != ERR_OK)
		return rc;
	rc = process_store_get_json(db, doc, a->user_id, id, &got);
	rc = doc_annul_before(a, rc, got, &before, e);
	if (rc != ERR_OK)
		return rc;
	rc = process_store_annul(db, doc, a->org_id, id, a->user_id,
	    (int64_t)time(NULL), reason, &state);
	if (rc == ERR_OK)
		rc = doc_annul_refusal(state, process_dependent_msg(doc), e);
	if (rc == ERR_OK)
		rc = process_audit(db, a, doc, actions[doc], id, before);
	free(before);
	return rc;
}

enum err
process_get_json(struct db *db, enum process_doc doc, int64_t viewer_id,
    int64_t id, json_t **out)
{
	return process_store_get_json(db, doc, viewer_id, id, out);
}

enum err
process_list_json(struct db *db, enum process_doc doc, int64_t viewer_id,
    const struct process_filter *f, int64_t after, int64_t limit,
    json_t **items, int64_t *next)
{
	return process_store_list_json(
	    db, doc, viewer_id, f, after, limit, items, next);
}

enum err
process_kardex_json(
    struct db *db, int64_t viewer_id, int64_t client_org_id, json_t **out)
{
	enum err rc;

	rc = process_store_kardex_json(db, viewer_id, client_org_id, out);
	/* The kárdex closes against the exporter's lots and shipments. */
	if (rc == ERR_OK)
		rc = export_kardex_annotate(db, viewer_id, *out);
	if (rc != ERR_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

enum err
process_receipt_balance(
    struct db *db, int64_t receipt_id, int64_t *net_g, int64_t *consumed_g)
{
	return process_store_receipt_balance(db, receipt_id, net_g, consumed_g);
}
