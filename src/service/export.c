/*
 * The export stage's rules around its two documents (see export.h).
 * Runs inside the caller's transaction: a refusal returns before any
 * write, or the caller rolls back, so a refused request leaves no trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pergamino/audit.h"
#include "pergamino/dates.h"
#include "pergamino/document.h"
#include "pergamino/export.h"
#include "pergamino/jsonx.h"
#include "pergamino/registry.h"
#include "pergamino/stores.h"
#include "pergamino/units.h"

static const char *const export_doc_types[EXPORT_DOC_COUNT] = {
	"export_lot",
	"shipment",
};

static const char *
export_or(const char *s, const char *def)
{
	return s != NULL ? s : def;
}

/* Audit a document's annulment with its full JSON. */
static enum err
export_audit(struct db *db, const struct actor *a, enum export_doc doc,
    const char *action, int64_t id, const char *before)
{
	json_t *after = NULL;
	enum err rc;

	rc = export_store_get_json(db, doc, a->user_id, id, &after);
	if (rc == ERR_OK)
		rc = doc_audit(
		    db, a, action, export_doc_types[doc], id, before, after);
	json_decref(after);
	return rc;
}

/*
 * A document just issued: freeze its parties as they are now (a reprint
 * years later shows what was printed) and audit its issue, both from one
 * read of it: the exporter.
 */
static enum err
export_issued(struct db *db, const struct actor *a, enum export_doc doc,
    const char *action, int64_t id)
{
	static const char *const keys[] = { "organization", NULL };
	json_t *cur = NULL;
	char *text = NULL;
	enum err rc;

	rc = export_store_get_json(db, doc, a->user_id, id, &cur);
	if (rc == ERR_OK)
		rc = doc_parties_text(cur, keys, &text);
	if (rc == ERR_OK)
		rc = export_store_set_parties(db, doc, a->org_id, id, text);
	if (rc == ERR_OK)
		rc = doc_audit(
		    db, a, action, export_doc_types[doc], id, NULL, cur);
	free(text);
	json_decref(cur);
	return rc;
}

static enum err
export_check_date(const char *date, const char *field, struct rule_error *e)
{
	if (!date_valid(date))
		return doc_refuse(e, ERR_INVALID, field, "invalid_date",
		    MSG("Fecha no válida", "Invalid date"));
	return ERR_OK;
}

/* Name the item of a list a refusal is about. */
static enum err
export_item_refused(
    struct export_error *e, enum err rc, const char *list, size_t i, int64_t id)
{
	e->list = list;
	e->index = (int)i;
	e->ref_id = id;
	return rc;
}

/* ---- export lots ---- */

/* One source: a live LOP output of the exporter's coffee, kilos left. */
static enum err
export_check_source(struct db *db, const struct actor *a,
    const struct export_lot_new *in, size_t i, struct export_segregation *seg,
    struct rule_error *e)
{
	const struct export_source_in *s = &in->sources[i];
	struct export_source_facts sf;
	size_t j;
	enum err rc;

	if (s->category == NULL ||
	    (strcmp(s->category, "export") != 0 &&
	        strcmp(s->category, "export_mc") != 0))
		return doc_refuse(e, ERR_INVALID, "category", "invalid",
		    MSG("La categoría es export (café exportación) o export_mc "
		        "(café exportación MC)",
		        "The category is export or export_mc"));
	for (j = 0; j < i; j++)
		if (in->sources[j].process_settlement_id ==
		        s->process_settlement_id &&
		    strcmp(in->sources[j].category, s->category) == 0)
			return doc_refuse(e, ERR_UNPROCESSABLE,
			    "process_settlement_id", "duplicate_source",
			    MSG("Una salida de LOP figura dos veces en el lote",
			        "A LOP output appears twice in the lot"));
	rc = export_store_source_facts(
	    db, a->org_id, s->process_settlement_id, s->category, &sf);
	if (rc != ERR_OK)
		return rc;
	if (!sf.found)
		return doc_refuse(e, ERR_UNPROCESSABLE, "process_settlement_id",
		    "source_not_found",
		    MSG("La liquidación (LOP) no existe o no es de café de su "
		        "organización",
		        "No such settlement (LOP) of your organization's "
		        "coffee"));
	if (sf.annulled)
		return doc_refuse(e, ERR_CONFLICT, "process_settlement_id",
		    "source_annulled",
		    MSG("La liquidación (LOP) está anulada",
		        "The settlement (LOP) is annulled"));
	if (strcmp(in->issued_on, sf.issued_on) < 0)
		return doc_refuse(e, ERR_UNPROCESSABLE, "issued_on",
		    "before_settlement",
		    MSG("El lote de exportación no puede ser anterior a la "
		        "liquidación (LOP)",
		        "The export lot cannot predate the settlement (LOP)"));
	rc =
	    export_allocation_check(sf.output_g, sf.allocated_g, s->kilos_g, e);
	if (rc != ERR_OK)
		return rc;
	return export_segregate(seg, sf.status, sf.programs, "sources", e);
}

/* Every source checked, with one status and one program set. */
static enum err
export_check_sources(struct db *db, const struct actor *a,
    const struct export_lot_new *in, struct export_segregation *seg,
    int64_t *kilos_g, struct export_error *pe)
{
	size_t i;
	enum err rc;

	*kilos_g = 0;
	memset(seg, 0, sizeof(*seg));
	if (in->source_count < 1 || in->source_count > EXPORT_SOURCES_MAX)
		return doc_refuse(&pe->rule, ERR_INVALID, "sources", "count",
		    MSG("Indique de 1 a 50 salidas de LOP con sus kilos",
		        "Give 1 to 50 LOP outputs with their kilos"));
	for (i = 0; i < in->source_count; i++) {
		rc = export_check_source(db, a, in, i, seg, &pe->rule);
		if (rc != ERR_OK)
			return export_item_refused(pe, rc, "sources", i,
			    in->sources[i].process_settlement_id);
		*kilos_g += in->sources[i].kilos_g;
	}
	return ERR_OK;
}

/*
 * The lot's ICO mark: the one given (printed by a marking order already),
 * which must be the exporter's and unused, or the next of the numbering.
 */
static enum err
export_ico_mark(struct db *db, const struct actor *a,
    const struct export_lot_new *in, const struct org_settings *set,
    struct ico_mark *m, char text[EXPORT_ICO_MARK_LEN], struct rule_error *e)
{
	bool used = false;
	enum err rc;

	if (in->ico_mark != NULL) {
		rc = export_ico_parse(in->ico_mark, m, e);
		if (rc == ERR_OK)
			rc = export_ico_check_owner(m,
			    (int)set->ico_country_code, set->ico_exporter_code,
			    e);
		if (rc != ERR_OK)
			return rc;
	} else {
		memset(m, 0, sizeof(*m));
		m->country = (int)set->ico_country_code;
		snprintf(m->exporter, sizeof(m->exporter), "%s",
		    set->ico_exporter_code);
		rc =
		    numbering_next(db, a->org_id, "ico-mark", "", &m->sequence);
		if (rc != ERR_OK)
			return rc;
	}
	if (export_ico_compose(m->country, m->exporter, m->sequence, text) < 0)
		return doc_refuse(e, ERR_CONFLICT, "ico_mark",
		    "ico_sequence_exhausted",
		    MSG("La numeración de marcas ICO se agotó",
		        "The ICO mark numbering is exhausted"));
	rc = export_store_ico_used(
	    db, m->country, m->exporter, m->sequence, &used);
	if (rc != ERR_OK)
		return rc;
	if (used)
		return doc_refuse(e, ERR_CONFLICT, "ico_mark", "ico_mark_used",
		    MSG("Esa marca ICO ya está en otro lote de exportación "
		        "(una marca no se reutiliza, ni tras anular el lote)",
		        "That ICO mark is on another export lot (a mark is "
		        "never reused, not even after annulling the lot)"));
	/* An adopted mark moves the numbering past it. */
	if (in->ico_mark != NULL)
		rc = numbering_take(db, a->org_id, "ico-mark", "", m->sequence);
	return rc;
}

/* Sacks (given, or from the kilos) and the lot's identity checks. */
static enum err
export_check_lot(struct db *db, const struct actor *a,
    const struct export_lot_new *in, int64_t kilos_g, int64_t per_sack,
    int64_t *sacks, struct rule_error *e)
{
	bool used = false;
	enum err rc;

	*sacks = in->sacks > 0 ? in->sacks : export_sacks_of(kilos_g, per_sack);
	rc = export_sacks_check(*sacks, kilos_g, per_sack, e);
	if (rc != ERR_OK)
		return rc;
	rc = export_store_organic_lot_used(
	    db, a->org_id, in->organic_lot, &used);
	if (rc != ERR_OK)
		return rc;
	if (used)
		return doc_refuse(e, ERR_CONFLICT, "organic_lot",
		    "organic_lot_used",
		    MSG("Ese lote orgánico ya está en otro lote de exportación "
		        "vigente",
		        "That organic lot is on another live export lot"));
	return ERR_OK;
}

enum err
export_lot_issue(struct db *db, const struct actor *a,
    const struct export_lot_new *in, int64_t *id, struct export_error *pe)
{
	struct rule_error *e = &pe->rule;
	struct export_segregation seg;
	struct export_lot_row row = { 0 };
	struct org_settings set;
	struct ico_mark m;
	char mark[EXPORT_ICO_MARK_LEN];
	int64_t kilos_g = 0, per_sack, sacks = 0;
	size_t i;
	enum err rc;

	*id = 0;
	pe->list = NULL;
	pe->index = -1;
	pe->ref_id = 0;
	rc = export_check_date(in->issued_on, "issued_on", e);
	if (rc != ERR_OK)
		return rc;
	if (in->organic_lot == NULL || in->organic_lot[0] == '\0')
		return doc_refuse(e, ERR_INVALID, "organic_lot", "required",
		    MSG("Indique el lote orgánico (004-17)",
		        "Give the organic lot (004-17)"));
	/* No ICO code, no export lots: say so before anything else. */
	rc = settings_store_get(db, a->org_id, &set);
	if (rc != ERR_OK)
		return rc;
	if (set.ico_exporter_code[0] == '\0')
		return doc_refuse(e, ERR_CONFLICT, "ico_exporter_code",
		    "ico_exporter_code_missing",
		    MSG("Su organización no tiene código de exportador ICO: "
		        "un administrador debe indicarlo en la configuración "
		        "(ico_exporter_code)",
		        "Your organization has no ICO exporter code: an admin "
		        "must set it in the settings (ico_exporter_code)"));
	per_sack =
	    in->net_per_sack_g > 0 ? in->net_per_sack_g : UNITS_SACK_EXPORT_G;
	rc = export_check_sources(db, a, in, &seg, &kilos_g, pe);
	if (rc == ERR_OK)
		rc = export_check_lot(db, a, in, kilos_g, per_sack, &sacks, e);
	if (rc == ERR_OK)
		rc = export_ico_mark(db, a, in, &set, &m, mark, e);
	if (rc != ERR_OK)
		return rc;
	row.org_id = a->org_id;
	row.series = export_or(in->series, "");
	row.issued_on = in->issued_on;
	row.organic_lot = in->organic_lot;
	row.ico_country = m.country;
	row.ico_exporter = m.exporter;
	row.ico_sequence = m.sequence;
	row.ico_mark = mark;
	row.contract = export_or(in->contract, "");
	row.buyer = export_or(in->buyer, "");
	row.preparation = export_or(in->preparation, "");
	row.defects = in->defects;
	row.cup_score = in->cup_score;
	row.status = seg.status;
	row.programs = seg.programs;
	row.sacks = sacks;
	row.kilos_g = kilos_g;
	row.net_per_sack_g = per_sack;
	row.marks = export_or(in->marks, "");
	row.observations = export_or(in->observations, "");
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc = numbering_next(
	    db, a->org_id, "export_lot", row.series, &row.number);
	if (rc == ERR_OK)
		rc = export_store_insert_lot(db, &row, id);
	for (i = 0; rc == ERR_OK && i < in->source_count; i++)
		rc = export_store_insert_source(db, *id, &in->sources[i]);
	if (rc == ERR_OK)
		rc = export_issued(db, a, EXPORT_LOT, "export_lot.create", *id);
	return rc;
}

/* ---- shipments ---- */

static enum err
export_check_shipment_lot(struct db *db, const struct actor *a,
    const struct shipment_new *in, size_t i, struct export_segregation *seg,
    struct rule_error *e)
{
	const struct shipment_lot_in *l = &in->lots[i];
	struct export_lot_facts lf;
	size_t j;
	enum err rc;

	for (j = 0; j < i; j++)
		if (in->lots[j].export_lot_id == l->export_lot_id)
			return doc_refuse(e, ERR_UNPROCESSABLE, "export_lot_id",
			    "duplicate_lot",
			    MSG("Un lote de exportación figura dos veces en el "
			        "embarque",
			        "An export lot appears twice in the shipment"));
	rc = export_store_lot_facts(db, a->org_id, l->export_lot_id, &lf);
	if (rc != ERR_OK)
		return rc;
	if (!lf.found)
		return doc_refuse(e, ERR_UNPROCESSABLE, "export_lot_id",
		    "lot_not_found",
		    MSG("El lote de exportación no existe en su organización",
		        "No such export lot in your organization"));
	if (lf.annulled)
		return doc_refuse(e, ERR_CONFLICT, "export_lot_id",
		    "lot_annulled",
		    MSG("El lote de exportación está anulado",
		        "The export lot is annulled"));
	if (strcmp(in->issued_on, lf.issued_on) < 0 ||
	    (in->shipped_on != NULL &&
	        strcmp(in->shipped_on, lf.issued_on) < 0))
		return doc_refuse(e, ERR_UNPROCESSABLE, "issued_on",
		    "before_lot",
		    MSG("El embarque no puede ser anterior al lote de "
		        "exportación",
		        "The shipment cannot predate the export lot"));
	rc = export_shipment_check(lf.sacks, lf.kilos_g, lf.shipped_sacks,
	    lf.shipped_g, l->sacks, l->kilos_g, e);
	if (rc != ERR_OK)
		return rc;
	return export_segregate(seg, lf.status, lf.programs, "lots", e);
}

static enum err
export_check_shipment(const struct shipment_new *in, struct rule_error *e)
{
	enum err rc;

	rc = export_check_date(in->issued_on, "issued_on", e);
	if (rc == ERR_OK && in->shipped_on != NULL)
		rc = export_check_date(in->shipped_on, "shipped_on", e);
	if (rc != ERR_OK)
		return rc;
	if (in->buyer_name == NULL || in->buyer_name[0] == '\0')
		return doc_refuse(e, ERR_INVALID, "buyer_name", "required",
		    MSG("Indique el comprador", "Give the buyer"));
	if (in->buyer_country != NULL && in->buyer_country[0] != '\0' &&
	    !export_country_valid(in->buyer_country))
		return doc_refuse(e, ERR_INVALID, "buyer_country", "invalid",
		    MSG("El país del comprador es un código ISO de dos letras "
		        "mayúsculas (DE)",
		        "The buyer's country is a two-letter ISO code (DE)"));
	if (in->lot_count < 1 || in->lot_count > EXPORT_LOTS_MAX)
		return doc_refuse(e, ERR_INVALID, "lots", "count",
		    MSG("Indique de 1 a 50 lotes de exportación",
		        "Give 1 to 50 export lots"));
	return ERR_OK;
}

enum err
export_shipment_issue(struct db *db, const struct actor *a,
    const struct shipment_new *in, int64_t *id, struct export_error *pe)
{
	struct rule_error *e = &pe->rule;
	struct export_segregation seg = { 0 };
	struct shipment_row row = { 0 };
	size_t i;
	enum err rc;

	*id = 0;
	pe->list = NULL;
	pe->index = -1;
	pe->ref_id = 0;
	rc = export_check_shipment(in, e);
	if (rc != ERR_OK)
		return rc;
	for (i = 0; i < in->lot_count; i++) {
		rc = export_check_shipment_lot(db, a, in, i, &seg, e);
		if (rc != ERR_OK)
			return export_item_refused(
			    pe, rc, "lots", i, in->lots[i].export_lot_id);
		row.sacks += in->lots[i].sacks;
		row.kilos_g += in->lots[i].kilos_g;
	}
	if (in->gross_g > 0 && in->gross_g < row.kilos_g)
		return doc_refuse(e, ERR_UNPROCESSABLE, "gross_kg",
		    "gross_below_net",
		    MSG("El peso bruto es menor que los kilos netos de los "
		        "lotes",
		        "The gross weight is below the lots' net kilos"));
	row.org_id = a->org_id;
	row.in = in;
	row.status = seg.status;
	row.programs = seg.programs;
	row.created_by = a->user_id;
	row.created_at = (int64_t)time(NULL);
	rc = numbering_next(
	    db, a->org_id, "shipment", export_or(in->series, ""), &row.number);
	if (rc == ERR_OK)
		rc = export_store_insert_shipment(db, &row, id);
	for (i = 0; rc == ERR_OK && i < in->lot_count; i++)
		rc = export_store_insert_shipment_lot(db, *id, &in->lots[i]);
	if (rc == ERR_OK)
		rc = export_issued(
		    db, a, EXPORT_SHIPMENT, "shipment.create", *id);
	return rc;
}

/* ---- annulment and reads ---- */

enum err
export_annul(struct db *db, const struct actor *a, enum export_doc doc,
    int64_t id, const char *reason, struct rule_error *e)
{
	static const char *const actions[EXPORT_DOC_COUNT] = {
		"export_lot.annul",
		"shipment.annul",
	};
	json_t *got = NULL;
	char *before = NULL;
	enum err rc;
	int state;

	rc = doc_check_reason(reason, e);
	if (rc != ERR_OK)
		return rc;
	rc = export_store_get_json(db, doc, a->user_id, id, &got);
	rc = doc_annul_before(a, rc, got, &before, e);
	if (rc != ERR_OK)
		return rc;
	rc = export_store_annul(db, doc, a->org_id, id, a->user_id,
	    (int64_t)time(NULL), reason, &state);
	if (rc == ERR_OK)
		rc = doc_annul_refusal(state,
		    MSG("Anule primero los embarques que llevan este lote",
		        "Annul the shipments that carry this lot first"),
		    e);
	if (rc == ERR_OK)
		rc = export_audit(db, a, doc, actions[doc], id, before);
	free(before);
	return rc;
}

enum err
export_get_json(struct db *db, enum export_doc doc, int64_t viewer_id,
    int64_t id, json_t **out)
{
	return export_store_get_json(db, doc, viewer_id, id, out);
}

enum err
export_list_json(struct db *db, enum export_doc doc, int64_t viewer_id,
    const struct export_filter *f, int64_t after, int64_t limit, json_t **items,
    int64_t *next)
{
	return export_store_list_json(
	    db, doc, viewer_id, f, after, limit, items, next);
}

enum err
export_sources_json(struct db *db, int64_t viewer_id, json_t **out)
{
	return export_store_sources_json(db, viewer_id, out);
}

enum err
export_certificate_json(
    struct db *db, int64_t viewer_id, int64_t id, json_t **out)
{
	return export_store_certificate_json(db, viewer_id, id, out);
}

enum err
export_kardex_annotate(struct db *db, int64_t viewer_id, json_t *doc)
{
	return export_store_kardex_annotate(db, viewer_id, doc);
}
