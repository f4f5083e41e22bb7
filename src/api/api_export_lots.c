/*
 * Lote de exportación (issued by the exporter, with its ICO mark, from
 * the export outputs of its LOPs): issue, read, list, annul, and the LOP
 * outputs still available for a new lot.  Also the handler machinery the
 * two export resources share (get, list with filters, annul, refusals),
 * declared at the end of export.h.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/api_acopio.h"
#include "pergamino/api_document.h"
#include "pergamino/export.h"
#include "pergamino/jsonx.h"
#include "pergamino/process.h"
#include "pergamino/stores.h"

#define EXPORT_FIELD_NAME_MAX 96 /* "sources[49].process_settlement_id" */
#define EXPORT_Q_MAX 100         /* bytes of a search text */

/* ---- shared machinery ---- */

enum err
api_export_refused(struct request *req, enum err rc,
    const struct export_error *e, const char *id_key)
{
	char name[EXPORT_FIELD_NAME_MAX];
	const char *field = e->rule.field;
	json_t *last;

	if (field == NULL)
		return rc;
	/* An item's own field: "sources[1].kilos"; the item: "sources[1]". */
	if (e->list != NULL && e->index >= 0 &&
	    strcmp(field, "issued_on") != 0) {
		if (strcmp(field, e->list) == 0)
			snprintf(
			    name, sizeof(name), "%s[%d]", e->list, e->index);
		else
			snprintf(name, sizeof(name), "%s[%d].%s", e->list,
			    e->index, field);
		field = name;
	}
	request_field_error(req, field, e->rule.code, e->rule.why);
	req->detail = e->rule.why;
	last = json_array_get(req->errors, json_array_size(req->errors) - 1);
	if (e->ref_id != 0 && id_key != NULL && json_is_object(last) &&
	    json_object_set_new(last, id_key, json_integer(e->ref_id)) != 0)
		return ERR_NOMEM;
	return rc;
}

/* How the shared handlers read and annul an export document. */
static enum err
export_stage_get_json(struct request *req, int doc, int64_t id, json_t **out)
{
	return export_get_json(
	    req->db, (enum export_doc)doc, req->who.user_id, id, out);
}

static enum err
export_stage_annul(struct request *req, int doc, int64_t id, const char *reason)
{
	struct actor a = api_actor(req);
	struct rule_error e = { 0 };
	struct export_error ee = { 0 };
	enum err rc;

	rc = export_annul(req->db, &a, (enum export_doc)doc, id, reason, &e);
	ee.rule = e;
	ee.index = -1;
	if (rc != ERR_OK)
		rc = api_export_refused(req, rc, &ee, NULL);
	return rc;
}

static const struct api_stage export_stage = {
	export_stage_get_json,
	NULL,
	export_stage_annul,
};

enum err
api_export_get(struct request *req, enum export_doc doc)
{
	return api_document_get(req, &export_stage, (int)doc);
}

static enum err
api_export_filter(struct request *req, struct export_filter *f)
{
	const char *v;

	memset(f, 0, sizeof(*f));
	api_query_date(req, "from", &f->from);
	api_query_date(req, "to", &f->to);
	f->q = request_query(req, "q");
	if (f->q != NULL && strlen(f->q) > EXPORT_Q_MAX)
		request_field_error(req, "q", "too_long",
		    MSG("Texto de búsqueda demasiado largo",
		        "Search text too long"));
	api_query_status(req, &f->status);
	v = api_query_order(req);
	f->newest_first = v == NULL || strcmp(v, "asc") != 0;
	api_query_flag(req, "annulled", &f->annulled);
	return req->errors != NULL ? ERR_INVALID : ERR_OK;
}

enum err
api_export_list(struct request *req, enum export_doc doc)
{
	struct export_filter f;
	int64_t limit, cursor, next;
	json_t *items;
	enum err rc;

	rc = request_page(req, API_DOCUMENT_PAGE_DEFAULT, API_DOCUMENT_PAGE_MAX,
	    &limit, &cursor);
	if (rc == ERR_OK)
		rc = api_export_filter(req, &f);
	if (rc != ERR_OK)
		return rc;
	rc = export_list_json(
	    req->db, doc, req->who.user_id, &f, cursor, limit, &items, &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

enum err
api_export_annul(struct request *req, enum export_doc doc)
{
	return api_document_annul(req, &export_stage, (int)doc);
}

enum err
api_export_created(struct request *req, enum export_doc doc,
    const char *collection, int64_t id)
{
	return api_document_created(
	    req, &export_stage, (int)doc, collection, id);
}

/* ---- export lots ---- */

struct lot_in {
	const char *issued_on;
	const char *series;
	const char *organic_lot;
	const char *ico_mark;
	const char *contract;
	const char *buyer;
	const char *preparation;
	int64_t defects;
	int64_t cup_score;
	const char *marks;
	int64_t net_per_sack_g;
	int64_t sacks;
	const char *observations;
};

#define LOT_FIELD(name, type, flags, len, min, max, member, scale)             \
	{                                                                      \
		name, type, flags, len, min, max,                              \
		    offsetof(struct lot_in, member), scale                     \
	}

/* clang-format off */
static const struct field lot_fields[] = {
	LOT_FIELD("issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, issued_on, 0),
	LOT_FIELD("series", FIELD_TEXT, 0, NUMBERING_SERIES_MAX, 0, 0, series, 0),
	LOT_FIELD("organic_lot", FIELD_TEXT, FIELD_REQUIRED | FIELD_NOT_EMPTY, EXPORT_CODE_MAX, 0, 0, organic_lot, 0),
	LOT_FIELD("ico_mark", FIELD_TEXT, FIELD_NOT_EMPTY, EXPORT_ICO_MARK_LEN - 1, 0, 0, ico_mark, 0),
	LOT_FIELD("contract", FIELD_TEXT, 0, EXPORT_CODE_MAX, 0, 0, contract, 0),
	LOT_FIELD("buyer", FIELD_TEXT, 0, EXPORT_TEXT_MAX, 0, 0, buyer, 0),
	LOT_FIELD("preparation", FIELD_TEXT, 0, EXPORT_TEXT_MAX, 0, 0, preparation, 0),
	LOT_FIELD("defects", FIELD_INT, 0, 0, 0, EXPORT_DEFECTS_MAX, defects, 0),
	LOT_FIELD("cup_score", FIELD_DECIMAL, 0, 0, 0, EXPORT_CUP_SCORE_MAX, cup_score, 2),
	LOT_FIELD("marks", FIELD_TEXT, 0, EXPORT_MARKS_MAX, 0, 0, marks, 0),
	LOT_FIELD("net_per_sack_kg", FIELD_DECIMAL, 0, 0, 1, 1000000, net_per_sack_g, 3),
	LOT_FIELD("sacks", FIELD_INT, 0, 0, 1, EXPORT_SACKS_MAX, sacks, 0),
	LOT_FIELD("observations", FIELD_TEXT, 0, EXPORT_NOTES_MAX, 0, 0, observations, 0),
	FIELD_END,
};

static const struct field lot_source_fields[] = {
	{ "process_settlement_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, offsetof(struct export_source_in, process_settlement_id), 0 },
	{ "category", FIELD_TEXT, FIELD_REQUIRED, 16, 0, 0, offsetof(struct export_source_in, category), 0 },
	{ "kilos", FIELD_DECIMAL, FIELD_REQUIRED, 0, 1, EXPORT_KG_MAX_G, offsetof(struct export_source_in, kilos_g), 3 },
	FIELD_END,
};
/* clang-format on */

static const char *const lot_nested[] = { "sources", NULL };

/* The sources array: 1 to EXPORT_SOURCES_MAX objects. */
static enum err
lot_read_sources(
    struct request *req, json_t *arr, struct export_source_in *out, size_t *n)
{
	return fields_read_array(req, arr, "sources", EXPORT_SOURCES_MAX,
	    MSG("Indique de 1 a 50 salidas de LOP con sus kilos",
	        "Give 1 to 50 LOP outputs with their kilos"),
	    lot_source_fields, out, sizeof(*out), n);
}

/* POST /api/v1/export-lots */
static enum err
lot_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct export_source_in sources[EXPORT_SOURCES_MAX];
	struct export_error e = { 0 };
	struct export_lot_new n = { 0 };
	struct lot_in in;
	json_t *body = NULL;
	int64_t id;
	enum err rc, rc2;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read_except(req, body, lot_nested, lot_fields, &in);
	rc2 = lot_read_sources(
	    req, json_object_get(body, "sources"), sources, &n.source_count);
	if (rc == ERR_OK)
		rc = rc2;
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.organic_lot = in.organic_lot;
	n.ico_mark = in.ico_mark;
	n.contract = in.contract;
	n.buyer = in.buyer;
	n.preparation = in.preparation;
	n.defects = in.defects == FIELD_ABSENT ? -1 : in.defects;
	n.cup_score = in.cup_score == FIELD_ABSENT ? -1 : in.cup_score;
	n.marks = in.marks;
	n.net_per_sack_g =
	    in.net_per_sack_g == FIELD_ABSENT ? 0 : in.net_per_sack_g;
	n.sacks = in.sacks == FIELD_ABSENT ? 0 : in.sacks;
	n.observations = in.observations;
	n.sources = sources;
	rc = export_lot_issue(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = api_export_refused(req, rc, &e, "process_settlement_id");
		goto out;
	}
	rc = api_export_created(req, EXPORT_LOT, "export-lots", id);
out:
	json_decref(body);
	return rc;
}

static enum err
lot_get(struct request *req)
{
	return api_export_get(req, EXPORT_LOT);
}

static enum err
lot_list(struct request *req)
{
	return api_export_list(req, EXPORT_LOT);
}

static enum err
lot_annul(struct request *req)
{
	return api_export_annul(req, EXPORT_LOT);
}

/* GET /api/v1/export-lots/available-sources */
static enum err
lot_sources(struct request *req)
{
	json_t *out;
	enum err rc;

	rc = export_sources_json(req->db, req->who.user_id, &out);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, out);
}

/* clang-format off */
const struct route export_lot_routes[] = {
	{ "GET",  "/api/v1/export-lots",                   lot_list,    PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/export-lots",                   lot_create,  PERM_EXPORT_WRITE, 0 },
	{ "GET",  "/api/v1/export-lots/available-sources", lot_sources, PERM_ORG_READ,     0 },
	{ "GET",  "/api/v1/export-lots/{id}",              lot_get,     PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/export-lots/{id}/annul",        lot_annul,   PERM_EXPORT_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
