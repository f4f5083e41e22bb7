/*
 * Numbering settings of an organization: where each document type's
 * correlative numbers start, so paper numbering can continue (guide:
 * ticket 8727, nota 10685, ...).  A start can be set only before the
 * first number of that series is issued: numbers are never reused.
 */
#include "pergamino/api.h"
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"

#define NUMBERING_MAX 999999999

struct numbering_in {
	const char *doc_type;
	const char *series;
	int64_t next_number;
};

static const struct field numbering_fields[] = {
	{ "doc_type", FIELD_TEXT, FIELD_REQUIRED, 40, 0, 0,
	    offsetof(struct numbering_in, doc_type), 0 },
	{ "series", FIELD_TEXT, 0, NUMBERING_SERIES_MAX, 0, 0,
	    offsetof(struct numbering_in, series), 0 },
	{ "next_number", FIELD_INT, FIELD_REQUIRED, 0, 1, NUMBERING_MAX,
	    offsetof(struct numbering_in, next_number), 0 },
	FIELD_END,
};

static enum err
numbering_list(struct request *req)
{
	json_t *items;
	enum err rc;

	rc = numbering_list_json(req->db, req->who.org_id, &items);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, 0));
}

static enum err
numbering_set(struct request *req)
{
	struct numbering_in in;
	json_t *body = NULL, *after = NULL;
	enum err rc;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, numbering_fields, &in);
	if (rc != ERR_OK)
		goto out;
	if (!numbering_doc_type_valid(in.doc_type)) {
		rc = request_field_error(req, "doc_type", "invalid",
		    MSG("Tipo de documento desconocido",
		        "Unknown document type"));
		goto out;
	}
	rc = numbering_set_start(
	    req->db, req->who.org_id, in.doc_type, in.series, in.next_number);
	if (rc == ERR_CONFLICT) {
		rc = request_fail(req, rc,
		    MSG("Ya se emitieron números de esta serie; no se puede "
		        "cambiar su inicio",
		        "Numbers of this series were already issued; its start "
		        "cannot change"));
		goto out;
	}
	if (rc != ERR_OK)
		goto out;
	after = json_pack("{s:s, s:s, s:I}", "doc_type", in.doc_type, "series",
	    in.series != NULL ? in.series : "", "next_number",
	    (json_int_t)in.next_number);
	rc = api_audit(
	    req, req->who.org_id, "numbering.set", "numbering", 0, NULL, after);
	if (rc == ERR_OK)
		rc = numbering_list(req);
out:
	json_decref(after);
	json_decref(body);
	return rc;
}

/* clang-format off */
const struct route numbering_routes[] = {
	{ "GET",  "/api/v1/numbering", numbering_list, PERM_ORG_ADMIN, 0 },
	{ "POST", "/api/v1/numbering", numbering_set,  PERM_ORG_ADMIN, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
