/* Shared handlers of the acopio documents (see api_acopio.h). */
#include <string.h>

#include "pergamino/acopio.h"
#include "pergamino/api.h"
#include "pergamino/api_acopio.h"
#include "pergamino/document.h"
#include "pergamino/dates.h"
#include "pergamino/jsonx.h"
#include "pergamino/parse.h"

#define ACOPIO_PAGE_DEFAULT 50
#define ACOPIO_PAGE_MAX 500
#define ACOPIO_EXPORT_MAX 200000 /* rows in one CSV register */

const struct field api_annul_fields[] = {
	{ "reason", FIELD_TEXT, FIELD_REQUIRED, DOCUMENT_REASON_MAX, 0, 0,
	    offsetof(struct api_annul_in, reason), 0 },
	FIELD_END,
};

static struct actor
api_acopio_actor(const struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };

	return a;
}

enum err
api_acopio_refused(struct request *req, enum err rc, const struct rule_error *e)
{
	if (e->field == NULL)
		return rc;
	request_field_error(req, e->field, e->code, e->why);
	req->detail = e->why;
	return rc;
}

enum err
api_acopio_get(struct request *req, enum acopio_doc doc)
{
	char *out;
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	rc = acopio_get_text(req->db, doc, req->who.user_id, id, &out);
	if (rc == ERR_NOT_FOUND)
		return request_fail(req, rc,
		    MSG("Documento no encontrado", "Document not found"));
	if (rc != ERR_OK)
		return rc;
	return request_reply_json_text(req, 200, out);
}

/* An optional id-like query argument; 0 when absent. */
static enum err
api_acopio_query_id(struct request *req, const char *name, int64_t *out)
{
	const char *v = request_query(req, name);

	*out = 0;
	if (v == NULL || v[0] == '\0')
		return ERR_OK;
	if (parse_id(v, out) != ERR_OK)
		return request_field_error(req, name, "invalid",
		    MSG("Debe ser un número entero positivo",
		        "Must be a positive integer"));
	return ERR_OK;
}

static enum err
api_acopio_query_flag(struct request *req, const char *name, int *out)
{
	const char *v = request_query(req, name);

	*out = -1;
	if (v == NULL || v[0] == '\0')
		return ERR_OK;
	if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		return request_field_error(req, name, "invalid",
		    MSG("Debe ser 0 o 1", "Must be 0 or 1"));
	*out = v[0] - '0';
	return ERR_OK;
}

static enum err
api_acopio_filter(struct request *req, struct acopio_filter *f)
{
	memset(f, 0, sizeof(*f));
	(void)api_acopio_query_id(req, "producer_id", &f->producer_id);
	(void)api_acopio_query_id(req, "campaign", &f->campaign);
	(void)api_acopio_query_id(req, "number", &f->number);
	(void)api_acopio_query_flag(req, "annulled", &f->annulled);
	(void)api_acopio_query_flag(req, "flagged", &f->flagged);
	f->from = request_query(req, "from");
	f->to = request_query(req, "to");
	f->status = request_query(req, "status");
	if (f->status != NULL && strcmp(f->status, "organic") != 0 &&
	    strcmp(f->status, "transition") != 0 &&
	    strcmp(f->status, "conventional") != 0)
		request_field_error(req, "status", "invalid",
		    MSG("Estatus debe ser organic, transition o conventional",
		        "status must be organic, transition or conventional"));
	if (request_query(req, "order") != NULL &&
	    strcmp(request_query(req, "order"), "asc") != 0 &&
	    strcmp(request_query(req, "order"), "desc") != 0)
		request_field_error(req, "order", "invalid",
		    MSG("order debe ser asc o desc",
		        "order must be asc or desc"));
	if (f->from != NULL && !date_valid(f->from))
		request_field_error(req, "from", "invalid_date",
		    MSG("Fecha no válida: use AAAA-MM-DD",
		        "Invalid date: use YYYY-MM-DD"));
	if (f->to != NULL && !date_valid(f->to))
		request_field_error(req, "to", "invalid_date",
		    MSG("Fecha no válida: use AAAA-MM-DD",
		        "Invalid date: use YYYY-MM-DD"));
	return req->errors != NULL ? ERR_INVALID : ERR_OK;
}

enum err
api_acopio_list(struct request *req, enum acopio_doc doc)
{
	struct acopio_filter f;
	int64_t limit, cursor;
	char *page;
	enum err rc;

	rc = request_page(
	    req, ACOPIO_PAGE_DEFAULT, ACOPIO_PAGE_MAX, &limit, &cursor);
	if (rc == ERR_OK)
		rc = api_acopio_filter(req, &f);
	if (rc != ERR_OK)
		return rc;
	/* Screens want today's documents first; ?order=asc reads in order. */
	f.newest_first = request_query(req, "order") == NULL ||
	    strcmp(request_query(req, "order"), "asc") != 0;
	rc = acopio_list_text(
	    req->db, doc, req->who.user_id, &f, cursor, limit, &page);
	if (rc != ERR_OK)
		return rc;
	return request_reply_json_text(req, 200, page);
}

enum err
api_acopio_all(struct request *req, enum acopio_doc doc, json_t **items)
{
	struct acopio_filter f;
	int64_t next;
	enum err rc;

	*items = NULL;
	rc = api_acopio_filter(req, &f);
	if (rc != ERR_OK)
		return rc;
	rc = acopio_list_json(req->db, doc, req->who.user_id, &f, 0,
	    ACOPIO_EXPORT_MAX, items, &next);
	if (rc == ERR_OK && next != 0) {
		json_decref(*items);
		*items = NULL;
		return request_fail(req, ERR_UNPROCESSABLE,
		    MSG("Demasiadas filas: acote el periodo",
		        "Too many rows: narrow the period"));
	}
	return rc;
}

enum err
api_acopio_annul(struct request *req, enum acopio_doc doc)
{
	struct rule_error e = { 0 };
	struct actor a = api_acopio_actor(req);
	struct api_annul_in in;
	json_t *body = NULL, *out = NULL;
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	/* The object first: an outsider gets 404, not a validation error. */
	rc = acopio_get_json(req->db, doc, req->who.user_id, id, &out);
	json_decref(out);
	if (rc == ERR_NOT_FOUND)
		return request_fail(req, rc,
		    MSG("Documento no encontrado", "Document not found"));
	if (rc != ERR_OK)
		return rc;
	rc = request_json(req, &body);
	if (rc == ERR_OK)
		rc = fields_read(req, body, api_annul_fields, &in);
	if (rc == ERR_OK) {
		rc = acopio_annul(req->db, &a, doc, id, in.reason, &e);
		if (rc != ERR_OK)
			rc = api_acopio_refused(req, rc, &e);
	}
	if (rc == ERR_OK)
		rc = acopio_get_json(req->db, doc, req->who.user_id, id, &out);
	if (rc == ERR_OK)
		rc = request_reply(req, 200, out);
	json_decref(body);
	return rc;
}

enum err
api_acopio_created(struct request *req, enum acopio_doc doc,
    const char *collection, int64_t id)
{
	char *out;
	enum err rc;

	rc = acopio_get_text(req->db, doc, req->who.user_id, id, &out);
	if (rc != ERR_OK)
		return rc;
	api_location(req, collection, id);
	return request_reply_json_text(req, 201, out);
}
