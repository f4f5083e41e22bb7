/*
 * Organizations: the instance operator creates them; everyone else sees
 * their own and those that granted them (as auditors) access.
 */
#include "pergamino/api.h"
#include "pergamino/ids.h"
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"

#define ORG_PAGE_DEFAULT 50
#define ORG_PAGE_MAX 500

struct org_in {
	const char *name;
	const char *ruc;
	const char *kind;
	const char *address;
	const char *phone;
};

static const struct field org_fields[] = {
	{ "name", FIELD_TEXT, FIELD_REQUIRED, 200, 0, 0,
	    offsetof(struct org_in, name), 0 },
	{ "ruc", FIELD_TEXT, FIELD_REQUIRED, 11, 0, 0,
	    offsetof(struct org_in, ruc), 0 },
	{ "kind", FIELD_TEXT, FIELD_REQUIRED, 20, 0, 0,
	    offsetof(struct org_in, kind), 0 },
	{ "address", FIELD_TEXT, 0, 300, 0, 0, offsetof(struct org_in, address),
	    0 },
	{ "phone", FIELD_TEXT, 0, 40, 0, 0, offsetof(struct org_in, phone), 0 },
	FIELD_END,
};

/* Viewer for organization queries: -1 lets the operator see all. */
static int64_t
org_viewer(const struct request *req)
{
	return req->who.role == ROLE_SUPERADMIN ? -1 : req->who.user_id;
}

static enum err
org_list(struct request *req)
{
	int64_t limit, cursor, next;
	json_t *items;
	enum err rc;

	rc = request_page(req, ORG_PAGE_DEFAULT, ORG_PAGE_MAX, &limit, &cursor);
	if (rc != ERR_OK)
		return rc;
	rc = org_store_list_json(
	    req->db, org_viewer(req), cursor, limit, &items, &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

static enum err
org_get(struct request *req)
{
	json_t *doc;
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	rc = org_store_get_json(req->db, org_viewer(req), id, &doc);
	if (rc == ERR_NOT_FOUND)
		return request_fail(req, rc,
		    MSG("Organización no encontrada",
		        "Organization not found"));
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, doc);
}

/* Check the body of a new organization; field errors on req. */
static enum err
org_validate(struct request *req, const struct org_in *in, struct org *o)
{
	struct msg why;
	int64_t existing;
	enum err rc;

	o->name = in->name;
	o->ruc = in->ruc;
	o->address = in->address;
	o->phone = in->phone;
	o->kind = policy_org_kind_parse(in->kind);
	o->created_at = req->now;
	if (ruc_check(in->ruc, &why) != ERR_OK)
		request_field_error(req, "ruc", "invalid", why);
	if (o->kind == ORG_NONE)
		request_field_error(req, "kind", "invalid",
		    MSG("Tipo debe ser cooperative, plant, exporter o "
		        "certifier",
		        "kind must be cooperative, plant, exporter or "
		        "certifier"));
	if (req->errors != NULL)
		return ERR_INVALID;
	rc = org_store_find_ruc(req->db, in->ruc, &existing);
	if (rc != ERR_OK)
		return rc;
	if (existing != 0) {
		request_field_error(req, "ruc", "duplicate",
		    MSG("Ya existe una organización con este RUC",
		        "An organization with this RUC already exists"));
		return ERR_CONFLICT;
	}
	return ERR_OK;
}

static enum err
org_create(struct request *req)
{
	struct org_in in;
	struct org o = { 0 };
	json_t *body = NULL, *doc = NULL;
	enum err rc;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, org_fields, &in);
	if (rc == ERR_OK)
		rc = org_validate(req, &in, &o);
	if (rc == ERR_OK)
		rc = org_store_insert(req->db, &o);
	if (rc == ERR_OK)
		rc = org_store_get_json(req->db, -1, o.id, &doc);
	if (rc == ERR_OK)
		rc = api_audit(req, o.id, "organization.create", "organization",
		    o.id, NULL, doc);
	if (rc == ERR_OK) {
		api_location(req, "organizations", o.id);
		rc = request_reply(req, 201, doc);
		doc = NULL;
	}
	json_decref(doc);
	json_decref(body);
	return rc;
}

/* clang-format off */
const struct route organization_routes[] = {
	{ "GET",  "/api/v1/organizations",      org_list,   PERM_SIGNED_IN, 0 },
	{ "GET",  "/api/v1/organizations/{id}", org_get,    PERM_SIGNED_IN, 0 },
	{ "POST", "/api/v1/organizations",      org_create, PERM_INSTANCE,  0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
