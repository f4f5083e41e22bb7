/*
 * Orden de proceso (cooperative -> plant): issue, read, list, annul.
 * Also the handler machinery the four process-stage resources share (get,
 * list with filters, annul), declared at the end of process.h.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/api_acopio.h"
#include "pergamino/api_document.h"
#include "pergamino/jsonx.h"
#include "pergamino/process.h"
#include "pergamino/stores.h"

/* ---- shared machinery ---- */

/* How the shared handlers read and annul a process-stage document. */
static enum err
process_stage_get_json(struct request *req, int doc, int64_t id, json_t **out)
{
	return process_get_json(
	    req->db, (enum process_doc)doc, req->who.user_id, id, out);
}

static enum err
process_stage_annul(
    struct request *req, int doc, int64_t id, const char *reason)
{
	struct actor a = api_actor(req);
	struct rule_error e = { 0 };
	enum err rc;

	rc = process_annul(req->db, &a, (enum process_doc)doc, id, reason, &e);
	if (rc != ERR_OK)
		rc = api_acopio_refused(req, rc, &e);
	return rc;
}

static const struct api_stage process_stage = {
	process_stage_get_json,
	NULL,
	process_stage_annul,
};

enum err
api_process_get(struct request *req, enum process_doc doc)
{
	return api_document_get(req, &process_stage, (int)doc);
}

static enum err
api_process_filter(struct request *req, struct process_filter *f)
{
	const char *v;

	memset(f, 0, sizeof(*f));
	api_query_date(req, "from", &f->from);
	api_query_date(req, "to", &f->to);
	api_query_status(req, &f->status);
	v = api_query_order(req);
	/* Screens want the latest documents first; ?order=asc reads on. */
	f->newest_first = v == NULL || strcmp(v, "asc") != 0;
	api_query_flag(req, "annulled", &f->annulled);
	api_query_id(req, "number", &f->number);
	api_query_id(req, "client_org_id", &f->client_org_id);
	api_query_id(req, "plant_org_id", &f->plant_org_id);
	api_query_id(req, "process_order_id", &f->process_order_id);
	api_query_id(req, "process_settlement_id", &f->process_settlement_id);
	return req->errors != NULL ? ERR_INVALID : ERR_OK;
}

enum err
api_process_list(struct request *req, enum process_doc doc)
{
	struct process_filter f;
	int64_t limit, cursor, next;
	json_t *items;
	enum err rc;

	rc = request_page(req, API_DOCUMENT_PAGE_DEFAULT, API_DOCUMENT_PAGE_MAX,
	    &limit, &cursor);
	if (rc == ERR_OK)
		rc = api_process_filter(req, &f);
	if (rc != ERR_OK)
		return rc;
	rc = process_list_json(
	    req->db, doc, req->who.user_id, &f, cursor, limit, &items, &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

enum err
api_process_all(struct request *req, enum process_doc doc, json_t **items)
{
	struct process_filter f;
	int64_t next;
	enum err rc;

	*items = NULL;
	rc = api_process_filter(req, &f);
	if (rc != ERR_OK)
		return rc;
	/* A register reads in order unless ?order=desc asks otherwise. */
	f.newest_first = request_query(req, "order") != NULL &&
	    strcmp(request_query(req, "order"), "desc") == 0;
	rc = process_list_json(req->db, doc, req->who.user_id, &f, 0,
	    API_DOCUMENT_REGISTER_MAX, items, &next);
	return api_document_register(req, rc, next, items);
}

enum err
api_process_annul(struct request *req, enum process_doc doc)
{
	return api_document_annul(req, &process_stage, (int)doc);
}

enum err
api_process_created(struct request *req, enum process_doc doc,
    const char *collection, int64_t id)
{
	return api_document_created(
	    req, &process_stage, (int)doc, collection, id);
}

/* ---- process orders ---- */

struct order_in {
	const char *issued_on;
	const char *series;
	int64_t plant_org_id;
	const char *contract;
	const char *process_type;
	const char *quality;
	const char *observations;
};

/* clang-format off */
static const struct field order_fields[] = {
	{ "issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, offsetof(struct order_in, issued_on), 0 },
	{ "series", FIELD_TEXT, 0, NUMBERING_SERIES_MAX, 0, 0, offsetof(struct order_in, series), 0 },
	{ "plant_org_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, offsetof(struct order_in, plant_org_id), 0 },
	{ "contract", FIELD_TEXT, 0, PROCESS_CODE_LEN - 1, 0, 0, offsetof(struct order_in, contract), 0 },
	{ "process_type", FIELD_TEXT, 0, PROCESS_CODE_LEN - 1, 0, 0, offsetof(struct order_in, process_type), 0 },
	{ "quality", FIELD_TEXT, 0, PROCESS_QUALITY_LEN - 1, 0, 0, offsetof(struct order_in, quality), 0 },
	{ "observations", FIELD_TEXT, 0, 500, 0, 0, offsetof(struct order_in, observations), 0 },
	FIELD_END,
};

static const struct field order_input_fields[] = {
	{ "plant_receipt_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, offsetof(struct process_input, plant_receipt_id), 0 },
	{ "kilos", FIELD_DECIMAL, FIELD_REQUIRED, 0, 1, PROCESS_KG_MAX_G, offsetof(struct process_input, kilos_g), 3 },
	FIELD_END,
};
/* clang-format on */

static const char *const order_nested[] = { "inputs", NULL };

/* The inputs array: 1 to PROCESS_INPUTS_MAX objects. */
static enum err
order_read_inputs(
    struct request *req, json_t *arr, struct process_input *out, size_t *n)
{
	return fields_read_array(req, arr, "inputs", PROCESS_INPUTS_MAX,
	    MSG("Indique de 1 a 50 guías de ingreso con sus kilos",
	        "Give 1 to 50 plant receipts with their kilos"),
	    order_input_fields, out, sizeof(*out), n);
}

/* A refusal; the error names the receipt it is about, never the text. */
static enum err
order_refused(struct request *req, enum err rc, const struct process_error *e)
{
	json_t *last;

	rc = api_acopio_refused(req, rc, &e->rule);
	last = json_array_get(req->errors, json_array_size(req->errors) - 1);
	if (e->plant_receipt_id != 0 && json_is_object(last) &&
	    json_object_set_new(last, "plant_receipt_id",
	        json_integer(e->plant_receipt_id)) != 0)
		return ERR_NOMEM;
	return rc;
}

/* POST /api/v1/process-orders */
static enum err
order_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct process_input inputs[PROCESS_INPUTS_MAX];
	struct process_error e = { 0 };
	struct process_order_new n = { 0 };
	struct order_in in;
	json_t *body = NULL;
	int64_t id;
	enum err rc, rc2;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read_except(req, body, order_nested, order_fields, &in);
	rc2 = order_read_inputs(
	    req, json_object_get(body, "inputs"), inputs, &n.input_count);
	if (rc == ERR_OK)
		rc = rc2;
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.plant_org_id = in.plant_org_id;
	n.contract = in.contract;
	n.process_type = in.process_type;
	n.quality = in.quality;
	n.observations = in.observations;
	n.inputs = inputs;
	rc = process_order_issue(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = order_refused(req, rc, &e);
		goto out;
	}
	rc = api_process_created(req, PROCESS_ORDER, "process-orders", id);
out:
	json_decref(body);
	return rc;
}

static enum err
order_get(struct request *req)
{
	return api_process_get(req, PROCESS_ORDER);
}

static enum err
order_list(struct request *req)
{
	return api_process_list(req, PROCESS_ORDER);
}

static enum err
order_annul(struct request *req)
{
	return api_process_annul(req, PROCESS_ORDER);
}

/* clang-format off */
const struct route process_order_routes[] = {
	{ "GET",  "/api/v1/process-orders",            order_list,   PERM_ORG_READ,   0 },
	{ "POST", "/api/v1/process-orders",            order_create, PERM_COOP_WRITE, 0 },
	{ "GET",  "/api/v1/process-orders/{id}",       order_get,    PERM_ORG_READ,   0 },
	{ "POST", "/api/v1/process-orders/{id}/annul", order_annul,  PERM_COOP_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
