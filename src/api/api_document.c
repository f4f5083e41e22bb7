/* Handler steps every document stage shares (see api_document.h). */
#include <string.h>

#include "pergamino/api_document.h"
#include "pergamino/dates.h"
#include "pergamino/document.h"
#include "pergamino/parse.h"

const struct field api_annul_fields[] = {
	{ "reason", FIELD_TEXT, FIELD_REQUIRED, DOCUMENT_REASON_MAX, 0, 0,
	    offsetof(struct api_annul_in, reason), 0 },
	FIELD_END,
};

struct actor
api_actor(const struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };

	return a;
}

/*
 * Answer document id: 200, or 201 with its Location when collection is
 * given (a create).  As text where the stage reads text.
 */
static enum err
api_document_reply(struct request *req, const struct api_stage *s, int doc,
    int64_t id, const char *collection)
{
	unsigned status = collection != NULL ? 201 : 200;
	json_t *out = NULL;
	char *text = NULL;
	enum err rc;

	if (s->get_text != NULL)
		rc = s->get_text(req, doc, id, &text);
	else
		rc = s->get_json(req, doc, id, &out);
	if (rc == ERR_NOT_FOUND && collection == NULL)
		return request_fail(req, rc,
		    MSG("Documento no encontrado", "Document not found"));
	if (rc != ERR_OK)
		return rc;
	if (collection != NULL)
		api_location(req, collection, id);
	if (s->get_text != NULL)
		return request_reply_json_text(req, status, text);
	return request_reply(req, status, out);
}

enum err
api_document_get(struct request *req, const struct api_stage *s, int doc)
{
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	return api_document_reply(req, s, doc, id, NULL);
}

enum err
api_document_created(struct request *req, const struct api_stage *s, int doc,
    const char *collection, int64_t id)
{
	return api_document_reply(req, s, doc, id, collection);
}

enum err
api_document_annul(struct request *req, const struct api_stage *s, int doc)
{
	struct api_annul_in in;
	json_t *body = NULL, *out = NULL;
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	/* The object first: an outsider gets 404, not a validation error. */
	rc = s->get_json(req, doc, id, &out);
	json_decref(out);
	out = NULL;
	if (rc == ERR_NOT_FOUND)
		return request_fail(req, rc,
		    MSG("Documento no encontrado", "Document not found"));
	if (rc != ERR_OK)
		return rc;
	rc = request_json(req, &body);
	if (rc == ERR_OK)
		rc = fields_read(req, body, api_annul_fields, &in);
	if (rc == ERR_OK)
		rc = s->annul(req, doc, id, in.reason);
	if (rc == ERR_OK)
		rc = s->get_json(req, doc, id, &out);
	if (rc == ERR_OK)
		rc = request_reply(req, 200, out);
	json_decref(body);
	return rc;
}

enum err
api_document_register(
    struct request *req, enum err rc, int64_t next, json_t **items)
{
	if (rc == ERR_OK && next != 0) {
		json_decref(*items);
		*items = NULL;
		return request_fail(req, ERR_UNPROCESSABLE,
		    MSG("Demasiadas filas: acote el periodo",
		        "Too many rows: narrow the period"));
	}
	return rc;
}

void
api_query_id(struct request *req, const char *name, int64_t *out)
{
	const char *v = request_query(req, name);

	*out = 0;
	if (v != NULL && v[0] != '\0' && parse_id(v, out) != ERR_OK)
		request_field_error(req, name, "invalid",
		    MSG("Debe ser un número entero positivo",
		        "Must be a positive integer"));
}

void
api_query_flag(struct request *req, const char *name, int *out)
{
	const char *v = request_query(req, name);

	*out = -1;
	if (v == NULL || v[0] == '\0')
		return;
	if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		request_field_error(req, name, "invalid",
		    MSG("Debe ser 0 o 1", "Must be 0 or 1"));
	else
		*out = v[0] - '0';
}

void
api_query_date(struct request *req, const char *name, const char **out)
{
	*out = request_query(req, name);
	if (*out != NULL && !date_valid(*out))
		request_field_error(req, name, "invalid_date",
		    MSG("Fecha no válida: use AAAA-MM-DD",
		        "Invalid date: use YYYY-MM-DD"));
}

void
api_query_status(struct request *req, const char **out)
{
	*out = request_query(req, "status");
	if (*out != NULL && strcmp(*out, "organic") != 0 &&
	    strcmp(*out, "transition") != 0 &&
	    strcmp(*out, "conventional") != 0)
		request_field_error(req, "status", "invalid",
		    MSG("Estatus debe ser organic, transition o conventional",
		        "status must be organic, transition or conventional"));
}

const char *
api_query_order(struct request *req)
{
	const char *v = request_query(req, "order");

	if (v != NULL && strcmp(v, "asc") != 0 && strcmp(v, "desc") != 0)
		request_field_error(req, "order", "invalid",
		    MSG("order debe ser asc o desc",
		        "order must be asc or desc"));
	return v;
}
