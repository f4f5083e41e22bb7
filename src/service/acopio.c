/*
 * The acopio stage's rules around its three documents (see acopio.h).
 * Runs inside the caller's transaction: a refusal returns before any
 * write, or the caller rolls back, so a refused request leaves no trace.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pergamino/acopio.h"
#include "pergamino/acopio_store.h"
#include "pergamino/audit.h"
#include "pergamino/document.h"
#include "pergamino/dates.h"
#include "pergamino/jsonx.h"
#include "pergamino/registry.h"
#include "pergamino/stores.h"
#include "pergamino/units.h"

/* The audit log's entity of each document. */
static const char *const acopio_entities[] = { "reception", "warehouse_note",
	"purchase_settlement" };

/* Audit a document's annulment with its stored state. */
static enum err
acopio_audit(struct db *db, const struct actor *a, enum acopio_doc doc,
    const char *action, int64_t id, const char *before)
{
	json_t *after = NULL;
	enum err rc;

	rc = acopio_store_get_json(db, doc, a->user_id, id, &after);
	if (rc == ERR_OK)
		rc = doc_audit(
		    db, a, action, acopio_entities[doc], id, before, after);
	json_decref(after);
	return rc;
}

/*
 * A document just issued: freeze its parties as they are now (a reprint
 * years later shows what was printed) and audit its issue, both from one
 * read of it: the organization, the producer and the plot.
 */
static enum err
acopio_issued(struct db *db, const struct actor *a, enum acopio_doc doc,
    const char *action, int64_t id)
{
	static const char *const keys[] = { "organization", "producer", "plot",
		NULL };
	json_t *cur = NULL;
	char *text = NULL;
	enum err rc;

	rc = acopio_store_get_json(db, doc, a->user_id, id, &cur);
	if (rc == ERR_OK)
		rc = doc_parties_text(cur, keys, &text);
	if (rc == ERR_OK)
		rc = acopio_store_set_parties(db, doc, a->org_id, id, text);
	if (rc == ERR_OK)
		rc = doc_audit(
		    db, a, action, acopio_entities[doc], id, NULL, cur);
	free(text);
	json_decref(cur);
	return rc;
}

/* May this producer deliver coffee declared as status on date? */
static enum err
acopio_check_status(const struct acopio_eligibility *el, const char *status,
    struct rule_error *e)
{
	if (!el->found)
		return doc_refuse(e, ERR_UNPROCESSABLE, "producer_id",
		    "not_found",
		    MSG("El productor no existe en su organización",
		        "No such producer in your organization"));
	if (!el->active)
		return doc_refuse(e, ERR_UNPROCESSABLE, "producer_id",
		    "inactive",
		    MSG("El productor está inactivo",
		        "The producer is inactive"));
	if (strcmp(status, "conventional") == 0)
		return ERR_OK;
	if (strcmp(status, "transition") == 0) {
		if (strcmp(el->status, "transition") != 0)
			return doc_refuse(e, ERR_UNPROCESSABLE, "status",
			    "status_mismatch",
			    MSG("Solo un productor en transición entrega café "
			        "en transición",
			        "Only a producer in transition delivers "
			        "transition coffee"));
		return ERR_OK;
	}
	if (strcmp(el->status, "transition") == 0)
		return doc_refuse(e, ERR_UNPROCESSABLE, "status",
		    "producer_in_transition",
		    MSG("El productor está en transición: no puede entregar "
		        "como orgánico; recíbalo como en transición o "
		        "convencional",
		        "The producer is in transition: cannot deliver as "
		        "organic; receive it as transition or conventional"));
	if (strcmp(el->status, "organic") != 0)
		return doc_refuse(e, ERR_UNPROCESSABLE, "status",
		    "producer_conventional",
		    MSG("El productor es convencional: reciba el café como "
		        "convencional",
		        "The producer is conventional: receive the coffee as "
		        "conventional"));
	if (!el->on_lpa)
		return doc_refuse(e, ERR_UNPROCESSABLE, "status", "not_on_lpa",
		    MSG("El productor no está en la Lista de Productores "
		        "Aprobados de la campaña: solo puede recibirse como "
		        "convencional",
		        "The producer is not on the campaign's approved list: "
		        "the coffee can only be received as conventional"));
	if (!el->certified)
		return doc_refuse(e, ERR_UNPROCESSABLE, "status",
		    "certification_invalid",
		    MSG("No hay una certificación vigente en la fecha para los "
		        "programas del productor",
		        "No certification covering the producer's programs is "
		        "valid on that date"));
	return ERR_OK;
}

static bool
acopio_status_valid(const char *s)
{
	return s != NULL &&
	    (strcmp(s, "organic") == 0 || strcmp(s, "transition") == 0 ||
	        strcmp(s, "conventional") == 0);
}

/* The humidity policy: refuse, or warn and require confirmation. */
static enum err
acopio_check_humidity(const struct org_settings *set,
    const struct reception_new *in, bool *warning, struct rule_error *e)
{
	*warning = false;
	if (reception_humidity_ok(
	        in->w.humidity, set->humidity_min, set->humidity_max))
		return ERR_OK;
	if (strcmp(set->humidity_policy, "refuse") == 0)
		return doc_refuse(e, ERR_UNPROCESSABLE, "humidity",
		    "humidity_refused",
		    MSG("La humedad está fuera del rango de compra de la "
		        "organización",
		        "Humidity is outside the organization's purchase "
		        "range"));
	if (!in->confirm_humidity)
		return doc_refuse(e, ERR_UNPROCESSABLE, "humidity",
		    "humidity_confirmation_required",
		    MSG("La humedad está fuera del rango de compra: confirme "
		        "para recibir igualmente",
		        "Humidity is outside the purchase range: confirm to "
		        "receive anyway"));
	*warning = true;
	return ERR_OK;
}

enum err
acopio_receive(struct db *db, const struct actor *a,
    const struct reception_new *in, int64_t *id, struct rule_error *e)
{
	struct acopio_eligibility el;
	struct org_settings set;
	struct reception_figures fig;
	struct reception_row row = { 0 };
	int64_t campaign, delivered, estimate;
	bool plot_ok, warning;
	enum err rc;

	*id = 0;
	if (!date_valid(in->issued_on))
		return doc_refuse(e, ERR_INVALID, "issued_on", "invalid_date",
		    MSG("Fecha no válida", "Invalid date"));
	if (!acopio_status_valid(in->status))
		return doc_refuse(e, ERR_INVALID, "status", "invalid",
		    MSG("Estatus debe ser organic, transition o conventional",
		        "status must be organic, transition or conventional"));
	rc = reception_compute(&in->w, &fig, e);
	if (rc != ERR_OK)
		return rc;
	campaign = date_year(in->issued_on);
	rc = acopio_store_eligibility(
	    db, a->org_id, in->producer_id, campaign, in->issued_on, &el);
	if (rc != ERR_OK)
		return rc;
	rc = acopio_check_status(&el, in->status, e);
	if (rc != ERR_OK)
		return rc;
	if (in->plot_id != 0) {
		rc = acopio_store_plot_of(
		    db, a->org_id, in->plot_id, in->producer_id, &plot_ok);
		if (rc != ERR_OK)
			return rc;
		if (!plot_ok)
			return doc_refuse(e, ERR_UNPROCESSABLE, "plot_id",
			    "not_producers_plot",
			    MSG("La parcela no es de este productor",
			        "The plot is not this producer's"));
	}
	rc = settings_store_get(db, a->org_id, &set);
	if (rc != ERR_OK)
		return rc;
	rc = acopio_check_humidity(&set, in, &warning, e);
	if (rc != ERR_OK)
		return rc;
	rc = acopio_store_campaign(
	    db, a->org_id, in->producer_id, campaign, &delivered, &estimate);
	if (rc != ERR_OK)
		return rc;

	row.org_id = a->org_id;
	row.series = in->series != NULL ? in->series : "";
	row.issued_on = in->issued_on;
	row.campaign = campaign;
	row.producer_id = in->producer_id;
	row.plot_id = in->plot_id;
	row.delivery_code = in->delivery_code != NULL ? in->delivery_code : "";
	row.status = in->status;
	row.w = &in->w;
	row.fig = &fig;
	row.humidity_warning = warning;
	/* Plausibility protects certified coffee: conventional is not. */
	row.over_estimate = strcmp(in->status, "conventional") != 0 &&
	    reception_over_estimate(
	        delivered + fig.net_g, estimate, set.estimate_tolerance_pct);
	row.observations = in->observations != NULL ? in->observations : "";
	row.weighed_by = in->weighed_by != NULL ? in->weighed_by : "";
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc =
	    numbering_next(db, a->org_id, "reception", row.series, &row.number);
	if (rc == ERR_OK)
		rc = acopio_store_insert_reception(db, &row, id);
	if (rc == ERR_OK)
		rc = acopio_issued(
		    db, a, ACOPIO_RECEPTION, "reception.create", *id);
	return rc;
}

enum err
acopio_issue_note(struct db *db, const struct actor *a,
    const struct note_new *in, int64_t *id, struct rule_error *e)
{
	struct reception_facts rf;
	struct acopio_eligibility el = { 0 };
	struct note_row row = { 0 };
	enum err rc;

	*id = 0;
	if (!date_valid(in->issued_on))
		return doc_refuse(e, ERR_INVALID, "issued_on", "invalid_date",
		    MSG("Fecha no válida", "Invalid date"));
	if (in->price_centimos <= 0 || in->price_centimos > ACOPIO_PRICE_MAX_C)
		return doc_refuse(e, ERR_INVALID, "price_per_qq",
		    "out_of_range",
		    MSG("El precio por QQ debe ser mayor que cero",
		        "The price per QQ must be above zero"));
	rc = acopio_store_reception_facts(db, a->org_id, in->reception_id, &rf);
	if (rc != ERR_OK)
		return rc;
	if (!rf.found)
		return doc_refuse(e, ERR_UNPROCESSABLE, "reception_id",
		    "not_found",
		    MSG("El control de recepción no existe",
		        "No such reception control"));
	if (rf.annulled)
		return doc_refuse(e, ERR_CONFLICT, "reception_id", "annulled",
		    MSG("El control de recepción está anulado",
		        "The reception control is annulled"));
	if (rf.has_note)
		return doc_refuse(e, ERR_CONFLICT, "reception_id",
		    "already_has_note",
		    MSG("Esta recepción ya tiene nota de ingreso",
		        "This reception already has a warehouse note"));
	if (strcmp(in->issued_on, rf.issued_on) < 0)
		return doc_refuse(e, ERR_UNPROCESSABLE, "issued_on",
		    "before_reception",
		    MSG("La nota no puede ser anterior a la recepción",
		        "The note cannot predate the reception"));
	if (strcmp(rf.status, "organic") == 0) {
		rc = acopio_store_eligibility(db, a->org_id, rf.producer_id,
		    rf.campaign, in->issued_on, &el);
		if (rc != ERR_OK)
			return rc;
	}
	row.org_id = a->org_id;
	row.series = in->series != NULL ? in->series : "";
	row.issued_on = in->issued_on;
	row.reception_id = in->reception_id;
	row.price_centimos = in->price_centimos;
	row.yield_pct = rf.exportable_pct;
	row.total_centimos =
	    units_money_centimos(rf.qq_centi, in->price_centimos);
	row.program = el.program;
	row.certifier = el.certifier;
	row.observations = in->observations != NULL ? in->observations : "";
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc = numbering_next(
	    db, a->org_id, "warehouse_note", row.series, &row.number);
	if (rc == ERR_OK)
		rc = acopio_store_insert_note(db, &row, id);
	if (rc == ERR_OK)
		rc = acopio_issued(
		    db, a, ACOPIO_NOTE, "warehouse_note.create", *id);
	return rc;
}

enum err
acopio_settle(struct db *db, const struct actor *a,
    const struct settlement_new *in, int64_t *id, struct rule_error *e)
{
	struct settlement_figures fig;
	struct settlement_row row = { 0 };
	struct org_settings set;
	struct note_facts nf;
	enum err rc;

	*id = 0;
	if (!date_valid(in->issued_on))
		return doc_refuse(e, ERR_INVALID, "issued_on", "invalid_date",
		    MSG("Fecha no válida", "Invalid date"));
	rc = acopio_store_note_facts(db, a->org_id, in->note_id, &nf);
	if (rc != ERR_OK)
		return rc;
	if (!nf.found)
		return doc_refuse(e, ERR_UNPROCESSABLE, "note_id", "not_found",
		    MSG("La nota de ingreso no existe",
		        "No such warehouse note"));
	if (nf.annulled)
		return doc_refuse(e, ERR_CONFLICT, "note_id", "annulled",
		    MSG("La nota de ingreso está anulada",
		        "The warehouse note is annulled"));
	if (nf.has_settlement)
		return doc_refuse(e, ERR_CONFLICT, "note_id", "already_settled",
		    MSG("Esta nota ya tiene liquidación de compra",
		        "This note already has a purchase settlement"));
	if (strcmp(in->issued_on, nf.issued_on) < 0)
		return doc_refuse(e, ERR_UNPROCESSABLE, "issued_on",
		    "before_note",
		    MSG("La liquidación no puede ser anterior a la nota",
		        "The settlement cannot predate the note"));
	rc = settings_store_get(db, a->org_id, &set);
	if (rc != ERR_OK)
		return rc;
	if (settlement_compute(nf.qq_centi, nf.price_centimos, set.igv_rate_bp,
	        &fig) != ERR_OK)
		return doc_refuse(e, ERR_UNPROCESSABLE, "note_id",
		    "amount_out_of_range",
		    MSG("El importe está fuera de rango",
		        "The amount is out of range"));
	row.org_id = a->org_id;
	row.series = in->series != NULL ? in->series : "";
	row.issued_on = in->issued_on;
	row.note_id = in->note_id;
	row.quality = acopio_quality_text(nf.status);
	row.place_of_sale =
	    in->place_of_sale != NULL ? in->place_of_sale : set.place_of_sale;
	row.qq_centi = nf.qq_centi;
	row.net_g = nf.net_g;
	row.humidity = nf.humidity;
	row.price_centimos = nf.price_centimos;
	row.igv_rate_bp = set.igv_rate_bp;
	row.fig = &fig;
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc = numbering_next(
	    db, a->org_id, "purchase_settlement", row.series, &row.number);
	if (rc == ERR_OK)
		rc = acopio_store_insert_settlement(db, &row, id);
	if (rc == ERR_OK)
		rc = acopio_issued(db, a, ACOPIO_SETTLEMENT,
		    "purchase_settlement.create", *id);
	return rc;
}

enum err
acopio_annul(struct db *db, const struct actor *a, enum acopio_doc doc,
    int64_t id, const char *reason, struct rule_error *e)
{
	static const char *const actions[] = { "reception.annul",
		"warehouse_note.annul", "purchase_settlement.annul" };
	struct msg dependent = doc == ACOPIO_RECEPTION
	    ? MSG("Anule primero la nota de ingreso de esta recepción",
	          "Annul this reception's warehouse note first")
	    : MSG("Anule primero la liquidación de esta nota (o la guía de "
	          "remisión que la lleva)",
	          "Annul this note's settlement (or the dispatch that carries "
	          "it) first");
	json_t *got = NULL;
	char *before = NULL;
	enum err rc;
	int state;

	rc = doc_check_reason(reason, e);
	if (rc != ERR_OK)
		return rc;
	rc = acopio_store_get_json(db, doc, a->user_id, id, &got);
	rc = doc_annul_before(a, rc, got, &before, e);
	if (rc != ERR_OK)
		return rc;
	rc = acopio_store_annul(db, doc, a->org_id, id, a->user_id,
	    (int64_t)time(NULL), reason, &state);
	if (rc == ERR_OK)
		rc = doc_annul_refusal(state, dependent, e);
	if (rc == ERR_OK)
		rc = acopio_audit(db, a, doc, actions[doc], id, before);
	free(before);
	return rc;
}

enum err
acopio_get_json(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    int64_t id, json_t **out)
{
	return acopio_store_get_json(db, doc, viewer_id, id, out);
}

enum err
acopio_list_json(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    const struct acopio_filter *f, int64_t after, int64_t limit, json_t **items,
    int64_t *next)
{
	return acopio_store_list_json(
	    db, doc, viewer_id, f, after, limit, items, next);
}

enum err
acopio_get_text(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    int64_t id, char **out)
{
	return acopio_store_get_text(db, doc, viewer_id, id, out);
}

enum err
acopio_list_text(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    const struct acopio_filter *f, int64_t after, int64_t limit, char **out)
{
	return acopio_store_list_text(db, doc, viewer_id, f, after, limit, out);
}
