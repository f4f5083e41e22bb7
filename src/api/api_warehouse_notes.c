/* Nota de ingreso a almacén de acopio: issue, read, list, annul. */
#include "pergamino/acopio.h"
#include "pergamino/api.h"
#include "pergamino/api_acopio.h"

struct note_in {
	int64_t reception_id;
	const char *issued_on;
	const char *series;
	int64_t price_centimos;
	const char *observations;
};

/* clang-format off */
static const struct field note_fields[] = {
	{ "reception_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, offsetof(struct note_in, reception_id), 0 },
	{ "issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, offsetof(struct note_in, issued_on), 0 },
	{ "series", FIELD_TEXT, 0, 16, 0, 0, offsetof(struct note_in, series), 0 },
	{ "price_per_qq", FIELD_DECIMAL, FIELD_REQUIRED, 0, 1, ACOPIO_PRICE_MAX_C, offsetof(struct note_in, price_centimos), 2 },
	{ "observations", FIELD_TEXT, 0, 500, 0, 0, offsetof(struct note_in, observations), 0 },
	FIELD_END,
};
/* clang-format on */

/* POST /api/v1/warehouse-notes */
static enum err
note_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct rule_error e = { 0 };
	struct note_new n = { 0 };
	struct note_in in;
	json_t *body = NULL;
	int64_t id;
	enum err rc;

	rc = request_json(req, &body);
	if (rc == ERR_OK)
		rc = fields_read(req, body, note_fields, &in);
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.reception_id = in.reception_id;
	n.price_centimos = in.price_centimos;
	n.observations = in.observations;
	rc = acopio_issue_note(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = api_acopio_refused(req, rc, &e);
		goto out;
	}
	rc = api_acopio_created(req, ACOPIO_NOTE, "warehouse-notes", id);
out:
	json_decref(body);
	return rc;
}

static enum err
note_get(struct request *req)
{
	return api_acopio_get(req, ACOPIO_NOTE);
}

static enum err
note_list(struct request *req)
{
	return api_acopio_list(req, ACOPIO_NOTE);
}

static enum err
note_annul(struct request *req)
{
	return api_acopio_annul(req, ACOPIO_NOTE);
}

/* clang-format off */
const struct route note_routes[] = {
	{ "GET",  "/api/v1/warehouse-notes",            note_list,   PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/warehouse-notes",            note_create, PERM_COOP_WRITE, 0 },
	{ "GET",  "/api/v1/warehouse-notes/{id}",       note_get,    PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/warehouse-notes/{id}/annul", note_annul,  PERM_COOP_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
