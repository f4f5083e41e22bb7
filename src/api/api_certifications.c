/*
 * The organization's group certifications (certifier, program, code such
 * as CU835641 or PE-BIO-149, validity).  A producer delivers organic
 * only while one of them is valid; the acopio rules read this table.
 * Certifications are evidence: they are added, never edited or deleted.
 */
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/jsonx.h"
#include "pergamino/registry.h"

#define CERT_PAGE_DEFAULT 50
#define CERT_PAGE_MAX 500

struct certification_in {
	const char *certifier;
	const char *program;
	const char *code;
	const char *valid_from;
	const char *valid_to;
};

static const struct field certification_fields[] = {
	{ "certifier", FIELD_TEXT, FIELD_REQUIRED, REGISTRY_CERTIFIER_MAX, 0, 0,
	    offsetof(struct certification_in, certifier), 0 },
	{ "program", FIELD_TEXT, FIELD_REQUIRED, 10, 0, 0,
	    offsetof(struct certification_in, program), 0 },
	{ "code", FIELD_TEXT, FIELD_REQUIRED, REGISTRY_CODE_MAX, 0, 0,
	    offsetof(struct certification_in, code), 0 },
	{ "valid_from", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0,
	    offsetof(struct certification_in, valid_from), 0 },
	{ "valid_to", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0,
	    offsetof(struct certification_in, valid_to), 0 },
	FIELD_END,
};

static bool
certification_program_valid(const char *s)
{
	return strcmp(s, "EU") == 0 || strcmp(s, "NOP") == 0 ||
	    strcmp(s, "JAS") == 0 || strcmp(s, "OTHER") == 0;
}

static enum err
certification_list(struct request *req)
{
	int64_t limit, cursor, next;
	json_t *items;
	enum err rc;

	rc = request_page(
	    req, CERT_PAGE_DEFAULT, CERT_PAGE_MAX, &limit, &cursor);
	if (rc != ERR_OK)
		return rc;
	rc = certification_store_list_json(
	    req->db, req->who.user_id, cursor, limit, &items, &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

static enum err
certification_get(struct request *req)
{
	json_t *doc;
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	rc = certification_store_get_json(req->db, req->who.user_id, id, &doc);
	if (rc == ERR_NOT_FOUND)
		return request_fail(req, rc,
		    MSG("Certificación no encontrada",
		        "Certification not found"));
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, doc);
}

/* Rules beyond the field table: program, text, dates in order. */
static bool
certification_check(struct request *req, const struct certification_in *in)
{
	bool ok = true;

	if (!certification_program_valid(in->program)) {
		request_field_error(req, "program", "invalid",
		    MSG("Programa: EU, NOP, JAS u OTHER",
		        "Program: EU, NOP, JAS or OTHER"));
		ok = false;
	}
	if (!registry_text_check(in->certifier, "certifier",
	        REGISTRY_CERTIFIER_MAX, REGISTRY_TEXT_REQUIRED,
	        registry_report_request, req) ||
	    !registry_text_check(in->code, "code", REGISTRY_CODE_MAX,
	        REGISTRY_TEXT_REQUIRED, registry_report_request, req))
		ok = false;
	if (strcmp(in->valid_from, in->valid_to) > 0) {
		request_field_error(req, "valid_to", "before_valid_from",
		    MSG("La vigencia termina antes de empezar",
		        "The validity ends before it starts"));
		ok = false;
	}
	return ok;
}

static enum err
certification_create(struct request *req)
{
	struct certification_in in;
	struct certification c = { 0 };
	json_t *body = NULL, *after = NULL;
	enum err rc;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, certification_fields, &in);
	if (rc != ERR_OK)
		goto out;
	if (!certification_check(req, &in)) {
		rc = ERR_INVALID;
		goto out;
	}
	c.organization_id = req->who.org_id;
	c.certifier = in.certifier;
	c.program = in.program;
	c.code = in.code;
	c.valid_from = in.valid_from;
	c.valid_to = in.valid_to;
	c.created_at = req->now;
	rc = certification_store_insert(req->db, &c);
	if (rc == ERR_OK)
		rc = certification_store_get_json(
		    req->db, req->who.user_id, c.id, &after);
	if (rc == ERR_OK)
		rc = api_audit(req, req->who.org_id, "certification.create",
		    "certification", c.id, NULL, after);
	if (rc == ERR_OK) {
		api_location(req, "certifications", c.id);
		rc = request_reply(req, 201, json_incref(after));
	}
out:
	json_decref(after);
	json_decref(body);
	return rc;
}

/* clang-format off */
const struct route certification_routes[] = {
	{ "GET",  "/api/v1/certifications",      certification_list,   PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/certifications",      certification_create, PERM_COOP_WRITE, 0 },
	{ "GET",  "/api/v1/certifications/{id}", certification_get,    PERM_ORG_READ,     0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
