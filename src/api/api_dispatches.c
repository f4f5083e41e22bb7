/*
 * Guía de remisión (dispatch) with its "Lista de productores que
 * conforman el lote enviado": issue, read, list (the plant's incoming
 * dispatches among them), annul, and the register as CSV.  Also the
 * handler helpers the plant receipts share (declared in transfer.h).
 */
#include <stdlib.h>
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/api_acopio.h"
#include "pergamino/api_document.h"
#include "pergamino/csvout.h"
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"
#include "pergamino/transfer.h"

/* ---- shared by dispatches and plant receipts ---- */

enum err
api_transfer_refused(
    struct request *req, enum err rc, const struct transfer_error *e)
{
	json_t *last;

	rc = api_acopio_refused(req, rc, &e->rule);
	/* Which note: the message never names it, the error says it. */
	last = json_array_get(req->errors, json_array_size(req->errors) - 1);
	if (e->note_id != 0 && json_is_object(last) &&
	    json_object_set_new(last, "note_id", json_integer(e->note_id)) != 0)
		return ERR_NOMEM;
	return rc;
}

/* How the shared handlers read and annul a transfer document. */
static enum err
transfer_stage_get_json(struct request *req, int doc, int64_t id, json_t **out)
{
	return transfer_get_json(
	    req->db, (enum transfer_doc)doc, req->who.user_id, id, out);
}

static enum err
transfer_stage_annul(
    struct request *req, int doc, int64_t id, const char *reason)
{
	struct transfer_error e = { 0 };
	struct actor a = api_actor(req);
	enum err rc;

	rc =
	    transfer_annul(req->db, &a, (enum transfer_doc)doc, id, reason, &e);
	if (rc != ERR_OK)
		rc = api_transfer_refused(req, rc, &e);
	return rc;
}

static const struct api_stage transfer_stage = {
	transfer_stage_get_json,
	NULL,
	transfer_stage_annul,
};

enum err
api_transfer_get(struct request *req, enum transfer_doc doc)
{
	return api_document_get(req, &transfer_stage, (int)doc);
}

static enum err
transfer_filter_read(
    struct request *req, enum transfer_doc doc, struct transfer_filter *f)
{
	int incoming;

	memset(f, 0, sizeof(*f));
	api_query_date(req, "from", &f->from);
	api_query_date(req, "to", &f->to);
	api_query_status(req, &f->status);
	(void)api_query_order(req);
	api_query_flag(req, "annulled", &f->annulled);
	api_query_id(req, "number", &f->number);
	f->lot_code = request_query(req, "lot_code");
	f->received = -1;
	if (doc == TRANSFER_DISPATCH) {
		api_query_flag(req, "received", &f->received);
		api_query_flag(req, "incoming", &incoming);
		/* Addressed to the caller's own organization (-1: none). */
		if (incoming == 1)
			f->incoming_org =
			    req->who.org_id != 0 ? req->who.org_id : -1;
		api_query_id(req, "recipient_org_id", &f->counterpart);
	} else {
		api_query_id(req, "client_org_id", &f->counterpart);
		api_query_id(req, "dispatch_id", &f->dispatch_id);
	}
	return req->errors != NULL ? ERR_INVALID : ERR_OK;
}

enum err
api_transfer_list(struct request *req, enum transfer_doc doc)
{
	struct transfer_filter f;
	const char *order;
	int64_t limit, cursor, next;
	json_t *items;
	enum err rc;

	rc = request_page(req, API_DOCUMENT_PAGE_DEFAULT, API_DOCUMENT_PAGE_MAX,
	    &limit, &cursor);
	if (rc == ERR_OK)
		rc = transfer_filter_read(req, doc, &f);
	if (rc != ERR_OK)
		return rc;
	/* Screens want today's documents first; ?order=asc reads in order. */
	order = request_query(req, "order");
	f.newest_first = order == NULL || strcmp(order, "asc") != 0;
	rc = transfer_list_json(
	    req->db, doc, req->who.user_id, &f, cursor, limit, &items, &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

enum err
api_transfer_all(struct request *req, enum transfer_doc doc, json_t **items)
{
	struct transfer_filter f;
	int64_t next;
	enum err rc;

	*items = NULL;
	rc = transfer_filter_read(req, doc, &f);
	if (rc != ERR_OK)
		return rc;
	rc = transfer_list_json(req->db, doc, req->who.user_id, &f, 0,
	    API_DOCUMENT_REGISTER_MAX, items, &next);
	return api_document_register(req, rc, next, items);
}

enum err
api_transfer_annul(struct request *req, enum transfer_doc doc)
{
	return api_document_annul(req, &transfer_stage, (int)doc);
}

enum err
api_transfer_created(struct request *req, enum transfer_doc doc,
    const char *collection, int64_t id)
{
	return api_document_created(
	    req, &transfer_stage, (int)doc, collection, id);
}

/* ---- dispatches ---- */

struct dispatch_in {
	const char *series;
	const char *issued_on;
	const char *transfer_on;
	int64_t recipient_org_id;
	const char *departure_address;
	const char *arrival_address;
	int64_t reason;
	const char *reason_other;
	const char *lot_code;
	const char *description;
	const char *unit;
	int64_t sacks;
	int64_t declared_g;
	const char *observations;
};

#define DISPATCH_FIELD(name, type, flags, len, min, max, member, scale)        \
	{                                                                      \
		name, type, flags, len, min, max,                              \
		    offsetof(struct dispatch_in, member), scale                \
	}

/*
 * "carrier" (an object) and "note_ids" (a list) are not described by the
 * field table: dispatch_read() takes them out before fields_read().
 */
/* clang-format off */
static const struct field dispatch_fields[] = {
	DISPATCH_FIELD("series", FIELD_TEXT, 0, NUMBERING_SERIES_MAX, 0, 0, series, 0),
	DISPATCH_FIELD("issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, issued_on, 0),
	DISPATCH_FIELD("transfer_on", FIELD_DATE, 0, 0, 0, 0, transfer_on, 0),
	DISPATCH_FIELD("recipient_org_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, recipient_org_id, 0),
	DISPATCH_FIELD("departure_address", FIELD_TEXT, 0, TRANSFER_TEXT_MAX, 0, 0, departure_address, 0),
	DISPATCH_FIELD("arrival_address", FIELD_TEXT, 0, TRANSFER_TEXT_MAX, 0, 0, arrival_address, 0),
	DISPATCH_FIELD("reason", FIELD_INT, FIELD_REQUIRED, 0, TRANSFER_REASON_MIN, TRANSFER_REASON_MAX, reason, 0),
	DISPATCH_FIELD("reason_other", FIELD_TEXT, 0, TRANSFER_TEXT_MAX, 0, 0, reason_other, 0),
	DISPATCH_FIELD("lot_code", FIELD_TEXT, FIELD_REQUIRED, 40, 0, 0, lot_code, 0),
	DISPATCH_FIELD("description", FIELD_TEXT, FIELD_NOT_EMPTY, TRANSFER_TEXT_MAX, 0, 0, description, 0),
	DISPATCH_FIELD("unit", FIELD_TEXT, FIELD_NOT_EMPTY, 40, 0, 0, unit, 0),
	DISPATCH_FIELD("sacks", FIELD_INT, FIELD_REQUIRED, 0, 1, TRANSFER_SACKS_MAX, sacks, 0),
	DISPATCH_FIELD("declared_kg", FIELD_DECIMAL, FIELD_REQUIRED, 0, 1, TRANSFER_KG_MAX_G, declared_g, 3),
	DISPATCH_FIELD("observations", FIELD_TEXT, 0, 500, 0, 0, observations, 0),
	FIELD_END,
};

static const struct field carrier_fields[] = {
	{ "name", FIELD_TEXT, FIELD_REQUIRED, TRANSFER_TEXT_MAX, 0, 0, offsetof(struct dispatch_carrier, name), 0 },
	{ "doc", FIELD_TEXT, FIELD_REQUIRED, 20, 0, 0, offsetof(struct dispatch_carrier, doc), 0 },
	{ "plate", FIELD_TEXT, 0, 20, 0, 0, offsetof(struct dispatch_carrier, plate), 0 },
	{ "licence", FIELD_TEXT, 0, 20, 0, 0, offsetof(struct dispatch_carrier, licence), 0 },
	{ "brand", FIELD_TEXT, 0, 60, 0, 0, offsetof(struct dispatch_carrier, brand), 0 },
	{ "mtc", FIELD_TEXT, 0, 40, 0, 0, offsetof(struct dispatch_carrier, mtc), 0 },
	FIELD_END,
};
/* clang-format on */

/* Errors from index `from` on are about the carrier: "carrier.<field>". */
static enum err
dispatch_prefix_errors(struct request *req, size_t from)
{
	char name[64];
	const char *field;
	json_t *err;
	size_t i;

	for (i = from; i < json_array_size(req->errors); i++) {
		err = json_array_get(req->errors, i);
		field = json_string_value(json_object_get(err, "field"));
		snprintf(name, sizeof(name), "carrier.%s",
		    field != NULL ? field : "");
		if (json_object_set_new(err, "field", json_string(name)) != 0)
			return ERR_NOMEM;
	}
	return ERR_OK;
}

static enum err
dispatch_read_carrier(
    struct request *req, json_t *carrier, struct dispatch_carrier *out)
{
	size_t before = json_array_size(req->errors);

	memset(out, 0, sizeof(*out));
	if (carrier == NULL || json_is_null(carrier))
		return request_field_error(req, "carrier", "required",
		    MSG("Es obligatorio", "Is required"));
	if (!json_is_object(carrier))
		return request_field_error(req, "carrier", "type",
		    MSG("Debe ser un objeto: name, doc, plate, licence, brand, "
		        "mtc",
		        "Must be an object: name, doc, plate, licence, brand, "
		        "mtc"));
	if (fields_read(req, carrier, carrier_fields, out) == ERR_OK)
		return ERR_OK;
	if (dispatch_prefix_errors(req, before) != ERR_OK)
		return ERR_NOMEM;
	return ERR_INVALID;
}

/* note_ids: 1..TRANSFER_NOTES_MAX positive integers; *ids owned. */
static enum err
dispatch_read_notes(
    struct request *req, json_t *list, int64_t **ids, size_t *count)
{
	json_t *v;
	size_t i, n;

	*ids = NULL;
	*count = 0;
	if (list == NULL || json_is_null(list))
		return request_field_error(req, "note_ids", "required",
		    MSG("Es obligatorio", "Is required"));
	n = json_array_size(list);
	if (!json_is_array(list) || n == 0 || n > TRANSFER_NOTES_MAX)
		return request_field_error(req, "note_ids", "type",
		    MSG("Debe ser una lista de 1 a 500 notas de ingreso",
		        "Must be a list of 1 to 500 warehouse notes"));
	*ids = calloc(n, sizeof(**ids));
	if (*ids == NULL)
		return ERR_NOMEM;
	json_array_foreach(list, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			free(*ids);
			*ids = NULL;
			return request_field_error(req, "note_ids", "type",
			    MSG("Cada nota es un id entero positivo",
			        "Each note is a positive integer id"));
		}
		(*ids)[i] = (int64_t)json_integer_value(v);
	}
	*count = n;
	return ERR_OK;
}

/*
 * Read body into in, the carrier and the note ids (*ids owned by the
 * caller).  Strings are borrowed from body.
 */
static enum err
dispatch_read(struct request *req, json_t *body, struct dispatch_in *in,
    struct dispatch_carrier *carrier, int64_t **ids, size_t *count)
{
	json_t *rest;
	enum err rc, rc_c, rc_n;

	/* A shallow copy: its values are body's, which outlives it. */
	rest = jsonx_copy(body);
	if (rest == NULL)
		return ERR_NOMEM;
	json_object_del(rest, "carrier");
	json_object_del(rest, "note_ids");
	rc = fields_read(req, rest, dispatch_fields, in);
	json_decref(rest);
	rc_c = dispatch_read_carrier(
	    req, json_object_get(body, "carrier"), carrier);
	rc_n = dispatch_read_notes(
	    req, json_object_get(body, "note_ids"), ids, count);
	if (rc == ERR_NOMEM || rc_c == ERR_NOMEM || rc_n == ERR_NOMEM)
		return ERR_NOMEM;
	if (rc == ERR_OK && rc_c == ERR_OK && rc_n == ERR_OK)
		return ERR_OK;
	free(*ids);
	*ids = NULL;
	return ERR_INVALID;
}

/* POST /api/v1/dispatches */
static enum err
dispatch_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct transfer_error e = { 0 };
	struct dispatch_new n = { 0 };
	struct dispatch_in in;
	json_t *body = NULL;
	int64_t *ids = NULL, id;
	enum err rc;

	rc = request_json(req, &body);
	if (rc == ERR_OK)
		rc = dispatch_read(
		    req, body, &in, &n.carrier, &ids, &n.note_count);
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.transfer_on = in.transfer_on != NULL ? in.transfer_on : in.issued_on;
	n.recipient_org_id = in.recipient_org_id;
	n.departure_address = in.departure_address;
	n.arrival_address = in.arrival_address;
	n.reason = in.reason;
	n.reason_other = in.reason_other;
	n.lot_code = in.lot_code;
	n.description = in.description;
	n.unit = in.unit;
	n.sacks = in.sacks;
	n.declared_g = in.declared_g;
	n.note_ids = ids;
	n.observations = in.observations;
	rc = transfer_dispatch(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = api_transfer_refused(req, rc, &e);
		goto out;
	}
	rc = api_transfer_created(req, TRANSFER_DISPATCH, "dispatches", id);
out:
	free(ids);
	json_decref(body);
	return rc;
}

static enum err
dispatch_get(struct request *req)
{
	return api_transfer_get(req, TRANSFER_DISPATCH);
}

static enum err
dispatch_list(struct request *req)
{
	return api_transfer_list(req, TRANSFER_DISPATCH);
}

static enum err
dispatch_annul(struct request *req)
{
	return api_transfer_annul(req, TRANSFER_DISPATCH);
}

static void
dispatch_csv_row(struct csvout *c, json_t *d)
{
	json_t *recipient = json_object_get(d, "recipient");
	json_t *carrier = json_object_get(d, "carrier");
	json_t *rec = json_object_get(d, "reconciliation");
	json_t *receipt = json_object_get(d, "plant_receipt");

	csvout_field(c, jsonx_str(d, "number_text"));
	csvout_date(c, jsonx_str(d, "issued_on"));
	csvout_date(c, jsonx_str(d, "transfer_on"));
	csvout_field(c, jsonx_str(recipient, "name"));
	csvout_field(c, jsonx_str(recipient, "ruc"));
	csvout_int(c, json_integer_value(json_object_get(d, "reason")));
	csvout_field(c, jsonx_str(d, "reason_text"));
	csvout_field(c, jsonx_str(d, "lot_code"));
	csvout_field(c, jsonx_str(d, "description"));
	csvout_field(c, jsonx_str(d, "coffee_type"));
	csvout_int(c, json_integer_value(json_object_get(d, "sacks")));
	csvout_field(c, jsonx_str(d, "declared_kg"));
	csvout_int(c, json_integer_value(json_object_get(rec, "notes_sacks")));
	csvout_field(c, jsonx_str(rec, "notes_kg"));
	csvout_field(c, jsonx_str(rec, "shrinkage_kg"));
	csvout_field(c, jsonx_str(rec, "shrinkage_pct"));
	csvout_field(
	    c, json_is_true(json_object_get(rec, "flagged")) ? "Sí" : "No");
	csvout_field(c, jsonx_str(carrier, "name"));
	csvout_field(c, jsonx_str(carrier, "doc"));
	csvout_field(c, jsonx_str(carrier, "plate"));
	csvout_field(c, jsonx_str(receipt, "number_text"));
	csvout_field(c,
	    json_is_null(json_object_get(d, "annulled")) ? "Vigente"
	                                                 : "Anulado");
	csvout_end_row(c);
}

/* GET /api/v1/dispatches.csv: the register of guías de remisión. */
static enum err
dispatch_register_csv(struct request *req)
{
	static const char *const header[] = { "Guía de remisión", "Fecha",
		"Inicio de traslado", "Destinatario", "RUC destinatario",
		"Motivo", "Motivo (texto)", "Lote", "Descripción",
		"Tipo de café", "Sacos", "Peso declarado kg", "Sacos notas",
		"Kilos notas", "Merma kg", "Merma %",
		"Merma fuera de tolerancia", "Transportista",
		"RUC/DNI transportista", "Placa", "Guía de ingreso", "Estado",
		NULL };
	struct csvout c;
	json_t *items, *d;
	size_t i;
	enum err rc;

	rc = api_transfer_all(req, TRANSFER_DISPATCH, &items);
	if (rc != ERR_OK)
		return rc;
	csvout_init(&c);
	csvout_header(&c, header);
	json_array_foreach(items, i, d)
	{
		dispatch_csv_row(&c, d);
	}
	json_decref(items);
	return csvout_reply(&c, req, "guias-de-remision.csv");
}

/* clang-format off */
const struct route dispatch_routes[] = {
	{ "GET",  "/api/v1/dispatches",            dispatch_list,         PERM_ORG_READ,   0 },
	{ "GET",  "/api/v1/dispatches.csv",        dispatch_register_csv, PERM_ORG_READ,   0 },
	{ "POST", "/api/v1/dispatches",            dispatch_create,       PERM_COOP_WRITE, 0 },
	{ "GET",  "/api/v1/dispatches/{id}",       dispatch_get,          PERM_ORG_READ,   0 },
	{ "POST", "/api/v1/dispatches/{id}/annul", dispatch_annul,        PERM_COOP_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
