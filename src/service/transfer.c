/*
 * The transfer stage's rules around its two documents (see transfer.h).
 * Runs inside the caller's transaction: a refusal returns before any
 * write, or the caller rolls back, so a refused request leaves no trace.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pergamino/audit.h"
#include "pergamino/dates.h"
#include "pergamino/document.h"
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"
#include "pergamino/transfer.h"

static enum err
transfer_refuse(struct transfer_error *e, enum err rc, const char *field,
    const char *code, struct msg why)
{
	return doc_refuse(&e->rule, rc, field, code, why);
}

/* Refuse because of one note. */
static enum err
transfer_refuse_note(struct transfer_error *e, int64_t note_id, enum err rc,
    const char *code, struct msg why)
{
	e->note_id = note_id;
	return transfer_refuse(e, rc, "note_ids", code, why);
}

/* Audit a document's issue or annulment with its stored state. */
static enum err
transfer_audit(struct db *db, const struct actor *a, enum transfer_doc doc,
    const char *action, int64_t id, const char *before)
{
	json_t *after = NULL;
	enum err rc;

	rc = transfer_store_get_json(db, doc, a->user_id, id, &after);
	if (rc == ERR_OK)
		rc = doc_audit(db, a, action,
		    doc == TRANSFER_DISPATCH ? "dispatch" : "plant_receipt", id,
		    before, after);
	json_decref(after);
	return rc;
}

/* The guía's header: dates, reason, carrier, item. */
static enum err
transfer_check_dispatch(const struct dispatch_new *in, const char **doc_kind,
    struct transfer_error *e)
{
	struct msg why;

	if (!date_valid(in->issued_on))
		return transfer_refuse(e, ERR_INVALID, "issued_on",
		    "invalid_date", MSG("Fecha no válida", "Invalid date"));
	if (!date_valid(in->transfer_on))
		return transfer_refuse(e, ERR_INVALID, "transfer_on",
		    "invalid_date", MSG("Fecha no válida", "Invalid date"));
	if (strcmp(in->transfer_on, in->issued_on) < 0)
		return transfer_refuse(e, ERR_UNPROCESSABLE, "transfer_on",
		    "before_issue",
		    MSG("El traslado no puede empezar antes de la emisión de "
		        "la guía",
		        "The transfer cannot start before the guide is "
		        "issued"));
	if (transfer_reason_text(in->reason) == NULL)
		return transfer_refuse(e, ERR_INVALID, "reason", "out_of_range",
		    MSG("El motivo del traslado va de 1 a 8",
		        "The reason for transfer is 1 to 8"));
	if (in->reason == TRANSFER_REASON_OTHER &&
	    (in->reason_other == NULL || in->reason_other[0] == '\0'))
		return transfer_refuse(e, ERR_INVALID, "reason_other",
		    "required",
		    MSG("Con el motivo 8 (otros) indique cuál",
		        "With reason 8 (others) say which"));
	if (in->reason != TRANSFER_REASON_OTHER && in->reason_other != NULL &&
	    in->reason_other[0] != '\0')
		return transfer_refuse(e, ERR_INVALID, "reason_other",
		    "only_with_other",
		    MSG("El texto del motivo solo va con el motivo 8 (otros)",
		        "The reason text goes only with reason 8 (others)"));
	if (in->carrier.name == NULL || in->carrier.name[0] == '\0')
		return transfer_refuse(e, ERR_INVALID, "carrier.name",
		    "required",
		    MSG("Indique el transportista", "Name the carrier"));
	if (transfer_carrier_doc_check(in->carrier.doc, doc_kind, &why) !=
	    ERR_OK)
		return transfer_refuse(
		    e, ERR_INVALID, "carrier.doc", "invalid", why);
	if (in->lot_code == NULL || in->lot_code[0] == '\0')
		return transfer_refuse(e, ERR_INVALID, "lot_code", "required",
		    MSG("Indique el código del lote", "Give the lot code"));
	if (in->sacks < 1 || in->sacks > TRANSFER_SACKS_MAX)
		return transfer_refuse(e, ERR_INVALID, "sacks", "out_of_range",
		    MSG("Debe haber al menos un saco",
		        "There must be at least one sack"));
	if (in->declared_g <= 0 || in->declared_g > TRANSFER_KG_MAX_G)
		return transfer_refuse(e, ERR_INVALID, "declared_kg",
		    "out_of_range",
		    MSG("El peso declarado debe ser mayor que cero",
		        "The declared weight must be above zero"));
	if (in->note_count == 0 || in->note_count > TRANSFER_NOTES_MAX)
		return transfer_refuse(e, ERR_INVALID, "note_ids", "required",
		    MSG("Indique las notas de ingreso del lote (hasta 500)",
		        "List the lot's warehouse notes (up to 500)"));
	return ERR_OK;
}

/* A note's program text as a sorted JSON array ("EU" -> ["EU"]). */
static char *
transfer_programs_of(const char *program)
{
	json_t *arr = json_array();
	char *text;

	if (arr == NULL)
		return NULL;
	if (program[0] != '\0' &&
	    json_array_append_new(arr, json_string(program)) != 0) {
		json_decref(arr);
		return NULL;
	}
	text = jsonx_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return text;
}

/* What the notes of a dispatch add up to, and their one status. */
struct transfer_lot {
	char status[16];
	char program[TRANSFER_PROGRAM_MAX];
	int64_t sacks;
	int64_t net_g;
};

/*
 * Every note exists in a's org, is live, in no live dispatch, not dated
 * after the guía, listed once, and all share one status and program:
 * organic, in-transition and conventional coffee never travel together.
 */
static enum err
transfer_check_notes(struct db *db, const struct actor *a,
    const struct dispatch_new *in, struct transfer_lot *lot,
    struct transfer_error *e)
{
	struct transfer_note_facts nf;
	size_t i, j;
	enum err rc;

	memset(lot, 0, sizeof(*lot));
	for (i = 0; i < in->note_count; i++) {
		for (j = 0; j < i; j++)
			if (in->note_ids[j] == in->note_ids[i])
				return transfer_refuse_note(e, in->note_ids[i],
				    ERR_INVALID, "duplicate",
				    MSG("Una nota aparece dos veces",
				        "A note is listed twice"));
		rc = transfer_store_note_facts(
		    db, a->org_id, in->note_ids[i], &nf);
		if (rc != ERR_OK)
			return rc;
		if (!nf.found)
			return transfer_refuse_note(e, in->note_ids[i],
			    ERR_UNPROCESSABLE, "not_found",
			    MSG("La nota de ingreso no existe en su "
			        "organización",
			        "No such warehouse note in your "
			        "organization"));
		if (nf.annulled)
			return transfer_refuse_note(e, in->note_ids[i],
			    ERR_CONFLICT, "note_annulled",
			    MSG("La nota de ingreso está anulada",
			        "The warehouse note is annulled"));
		if (nf.dispatched)
			return transfer_refuse_note(e, in->note_ids[i],
			    ERR_CONFLICT, "note_already_dispatched",
			    MSG("La nota ya va en otra guía de remisión "
			        "vigente",
			        "The note already travels in another live "
			        "dispatch"));
		if (strcmp(nf.issued_on, in->issued_on) > 0)
			return transfer_refuse_note(e, in->note_ids[i],
			    ERR_UNPROCESSABLE, "note_after_dispatch",
			    MSG("La nota es posterior a la guía de remisión",
			        "The note is dated after the dispatch"));
		if (i == 0) {
			memcpy(lot->status, nf.status, sizeof(lot->status));
			memcpy(lot->program, nf.program, sizeof(lot->program));
		} else if (strcmp(lot->status, nf.status) != 0 ||
		    strcmp(lot->program, nf.program) != 0) {
			return transfer_refuse_note(e, in->note_ids[i],
			    ERR_UNPROCESSABLE, "segregation",
			    MSG("No se mezcla café orgánico, en transición y "
			        "convencional (ni programas distintos) en un "
			        "mismo lote",
			        "Organic, in-transition and conventional "
			        "coffee "
			        "(or different programs) never share a lot"));
		}
		lot->sacks += nf.sacks;
		lot->net_g += nf.net_g;
	}
	return ERR_OK;
}

static const char *
transfer_default_description(const char *status)
{
	if (strcmp(status, "organic") == 0)
		return "Café pergamino - orgánico";
	if (strcmp(status, "transition") == 0)
		return "Café pergamino - en transición";
	return "Café pergamino - convencional";
}

/* Write the guía and its notes, numbered, and audit it. */
static enum err
transfer_write_dispatch(struct db *db, const struct actor *a,
    struct dispatch_row *row, int64_t *id, struct transfer_error *e)
{
	const struct dispatch_new *in = row->in;
	size_t i;
	enum err rc;

	rc = numbering_next(
	    db, a->org_id, "dispatch", row->series, &row->number);
	if (rc == ERR_OK)
		rc = transfer_store_insert_dispatch(db, row, id);
	for (i = 0; rc == ERR_OK && i < in->note_count; i++) {
		rc = transfer_store_insert_dispatch_note(
		    db, *id, a->org_id, in->note_ids[i], (int64_t)i + 1);
		/* The partial unique index backs the check above. */
		if (rc == ERR_CONFLICT)
			return transfer_refuse_note(e, in->note_ids[i],
			    ERR_CONFLICT, "note_already_dispatched",
			    MSG("La nota ya va en otra guía de remisión "
			        "vigente",
			        "The note already travels in another live "
			        "dispatch"));
	}
	if (rc == ERR_OK)
		rc = transfer_audit(
		    db, a, TRANSFER_DISPATCH, "dispatch.create", *id, NULL);
	return rc;
}

enum err
transfer_dispatch(struct db *db, const struct actor *a,
    const struct dispatch_new *in, int64_t *id, struct transfer_error *e)
{
	struct dispatch_row row = { 0 };
	struct transfer_lot lot;
	const char *doc_kind = NULL;
	char *programs = NULL;
	bool exists;
	enum err rc;

	*id = 0;
	rc = transfer_check_dispatch(in, &doc_kind, e);
	if (rc != ERR_OK)
		return rc;
	rc = transfer_store_org_exists(db, in->recipient_org_id, &exists);
	if (rc != ERR_OK)
		return rc;
	if (!exists)
		return transfer_refuse(e, ERR_UNPROCESSABLE, "recipient_org_id",
		    "not_found",
		    MSG("La organización destinataria no existe",
		        "No such recipient organization"));
	rc = transfer_check_notes(db, a, in, &lot, e);
	if (rc != ERR_OK)
		return rc;
	programs = transfer_programs_of(lot.program);
	if (programs == NULL)
		return ERR_NOMEM;
	row.org_id = a->org_id;
	row.series = in->series != NULL ? in->series : "";
	row.in = in;
	row.carrier_doc = in->carrier.doc;
	row.description = in->description != NULL && in->description[0] != '\0'
	    ? in->description
	    : transfer_default_description(lot.status);
	row.unit = in->unit != NULL && in->unit[0] != '\0' ? in->unit : "Sacos";
	row.status = lot.status;
	row.programs = programs;
	row.notes_sacks = lot.sacks;
	row.notes_g = lot.net_g;
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc = transfer_write_dispatch(db, a, &row, id, e);
	free(programs);
	return rc;
}

/* The dispatch a receipt is for: addressed to a's org, live, unreceived. */
static enum err
transfer_check_dispatch_facts(const struct transfer_dispatch_facts *df,
    const struct plant_receipt_new *in, struct transfer_error *e)
{
	if (!df->found)
		return transfer_refuse(e, ERR_UNPROCESSABLE, "dispatch_id",
		    "not_found",
		    MSG("No hay una guía de remisión con ese número dirigida "
		        "a su organización",
		        "No such dispatch addressed to your organization"));
	if (df->annulled)
		return transfer_refuse(e, ERR_CONFLICT, "dispatch_id",
		    "dispatch_annulled",
		    MSG("La guía de remisión está anulada",
		        "The dispatch is annulled"));
	if (df->received)
		return transfer_refuse(e, ERR_CONFLICT, "dispatch_id",
		    "already_received",
		    MSG("Esta guía de remisión ya tiene guía de ingreso "
		        "vigente",
		        "This dispatch already has a live plant receipt"));
	if (strcmp(in->issued_on, df->transfer_on) < 0)
		return transfer_refuse(e, ERR_UNPROCESSABLE, "issued_on",
		    "before_dispatch",
		    MSG("El ingreso no puede ser anterior al traslado",
		        "The receipt cannot predate the transfer"));
	return ERR_OK;
}

/* Text given, or the dispatch's. */
static const char *
transfer_or(const char *given, const char *fallback)
{
	return given != NULL && given[0] != '\0' ? given : fallback;
}

enum err
transfer_receive(struct db *db, const struct actor *a,
    const struct plant_receipt_new *in, int64_t *id, struct transfer_error *e)
{
	struct transfer_dispatch_facts df;
	struct plant_receipt_row row = { 0 };
	enum err rc;

	*id = 0;
	if (!date_valid(in->issued_on))
		return transfer_refuse(e, ERR_INVALID, "issued_on",
		    "invalid_date", MSG("Fecha no válida", "Invalid date"));
	rc = plant_weighing_check(&in->w, &row.net_g, &e->rule);
	if (rc != ERR_OK)
		return rc;
	rc = transfer_store_dispatch_facts(db, a->org_id, in->dispatch_id, &df);
	if (rc != ERR_OK)
		return rc;
	rc = transfer_check_dispatch_facts(&df, in, e);
	if (rc != ERR_OK)
		goto out;
	row.org_id = a->org_id;
	row.series = in->series != NULL ? in->series : "";
	row.issued_on = in->issued_on;
	row.dispatch_id = in->dispatch_id;
	row.client_org_id = df.issuer_org_id;
	row.carrier_name = transfer_or(in->carrier_name, df.carrier_name);
	row.vehicle_plate = transfer_or(in->vehicle_plate, df.carrier_plate);
	row.product = transfer_or(in->product, df.description);
	/* Segregation: the lot keeps the status and programs it left with. */
	row.status = df.status;
	row.programs = df.programs;
	row.w = &in->w;
	row.observations = in->observations;
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc = numbering_next(
	    db, a->org_id, "plant_receipt", row.series, &row.number);
	if (rc == ERR_OK)
		rc = transfer_store_insert_receipt(db, &row, id);
	/* The partial unique index backs the check above. */
	if (rc == ERR_CONFLICT)
		rc = transfer_refuse(e, ERR_CONFLICT, "dispatch_id",
		    "already_received",
		    MSG("Esta guía de remisión ya tiene guía de ingreso "
		        "vigente",
		        "This dispatch already has a live plant receipt"));
	if (rc == ERR_OK)
		rc = transfer_audit(db, a, TRANSFER_PLANT_RECEIPT,
		    "plant_receipt.create", *id, NULL);
out:
	transfer_dispatch_facts_clear(&df);
	return rc;
}

/* The document as its issuer sees it, before the annulment. */
static enum err
transfer_annul_before(struct db *db, const struct actor *a,
    enum transfer_doc doc, int64_t id, char **before, struct transfer_error *e)
{
	json_t *doc_json = NULL;
	int64_t issuer;
	enum err rc;

	*before = NULL;
	rc = transfer_store_get_json(db, doc, a->user_id, id, &doc_json);
	if (rc == ERR_NOT_FOUND)
		return transfer_refuse(e, ERR_NOT_FOUND, "id", "not_found",
		    MSG("Documento no encontrado", "Document not found"));
	if (rc != ERR_OK)
		return rc;
	issuer = json_integer_value(
	    json_object_get(json_object_get(doc_json, "organization"), "id"));
	if (issuer != a->org_id) {
		json_decref(doc_json);
		return transfer_refuse(e, ERR_FORBIDDEN, "id", "not_issuer",
		    MSG("Solo la organización que emitió el documento puede "
		        "anularlo",
		        "Only the organization that issued the document may "
		        "annul it"));
	}
	*before = jsonx_dumps(doc_json, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc_json);
	return *before != NULL ? ERR_OK : ERR_NOMEM;
}

enum err
transfer_annul(struct db *db, const struct actor *a, enum transfer_doc doc,
    int64_t id, const char *reason, struct transfer_error *e)
{
	char *before = NULL;
	enum err rc;
	int state;

	rc = doc_check_reason(reason, &e->rule);
	if (rc != ERR_OK)
		return rc;
	rc = transfer_annul_before(db, a, doc, id, &before, e);
	if (rc != ERR_OK)
		return rc;
	rc = transfer_store_annul(db, doc, a->org_id, id, a->user_id,
	    (int64_t)time(NULL), reason, &state);
	if (rc == ERR_OK)
		rc = doc_annul_refusal(state,
		    doc == TRANSFER_DISPATCH
		        ? MSG("La planta ya registró el ingreso de esta guía: "
		              "debe anular primero su guía de ingreso",
		              "The plant has registered this dispatch's "
		              "receipt: its receipt must be annulled first")
		        : MSG("Hay órdenes de proceso vigentes que usan este "
		              "ingreso: anúlelas primero",
		              "Live process orders use this receipt: annul "
		              "them first"),
		    &e->rule);
	if (rc == ERR_OK)
		rc = transfer_audit(db, a, doc,
		    doc == TRANSFER_DISPATCH ? "dispatch.annul"
		                             : "plant_receipt.annul",
		    id, before);
	free(before);
	return rc;
}

enum err
transfer_get_json(struct db *db, enum transfer_doc doc, int64_t viewer_id,
    int64_t id, json_t **out)
{
	return transfer_store_get_json(db, doc, viewer_id, id, out);
}

enum err
transfer_list_json(struct db *db, enum transfer_doc doc, int64_t viewer_id,
    const struct transfer_filter *f, int64_t after, int64_t limit,
    json_t **items, int64_t *next)
{
	return transfer_store_list_json(
	    db, doc, viewer_id, f, after, limit, items, next);
}
