/*
 * Auditor grants: an organization's admin lets an auditor (a user of a
 * certifier) read the organization's records, and revokes it.  Auditors
 * list the grants they hold.
 */
#include "pergamino/api.h"
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"

#define GRANT_PAGE_DEFAULT 50
#define GRANT_PAGE_MAX 500

struct grant_in {
	const char *auditor_username;
};

static const struct field grant_fields[] = {
	{ "auditor_username", FIELD_TEXT, FIELD_REQUIRED, POLICY_USERNAME_MAX,
	    0, 0, offsetof(struct grant_in, auditor_username), 0 },
	FIELD_END,
};

static enum err
grant_list(struct request *req)
{
	int64_t limit, cursor, next;
	json_t *items;
	enum err rc;

	rc = request_page(
	    req, GRANT_PAGE_DEFAULT, GRANT_PAGE_MAX, &limit, &cursor);
	if (rc != ERR_OK)
		return rc;
	/* Admins see what their org granted; auditors what they hold. */
	rc = grant_store_list_json(req->db,
	    req->who.role == ROLE_ADMIN ? req->who.org_id : -1,
	    req->who.role == ROLE_AUDITOR ? req->who.user_id : -1, cursor,
	    limit, &items, &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

static enum err
grant_create(struct request *req)
{
	struct grant_in in;
	json_t *body = NULL, *after = NULL;
	int64_t auditor_id, id;
	enum err rc;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, grant_fields, &in);
	if (rc != ERR_OK)
		goto out;
	rc = user_store_find_auditor(req->db, in.auditor_username, &auditor_id);
	if (rc == ERR_NOT_FOUND) {
		rc = request_field_error(req, "auditor_username", "not_found",
		    MSG("No existe un auditor activo con ese usuario",
		        "No active auditor has that user name"));
		goto out;
	}
	if (rc != ERR_OK)
		goto out;
	rc = grant_store_insert(req->db, req->who.org_id, auditor_id,
	    req->who.user_id, req->now, &id);
	if (rc == ERR_CONFLICT) {
		request_field_error(req, "auditor_username", "duplicate",
		    MSG("Ese auditor ya tiene acceso",
		        "That auditor already has access"));
		goto out;
	}
	if (rc != ERR_OK)
		goto out;
	after = json_pack("{s:I, s:I}", "organization_id",
	    (json_int_t)req->who.org_id, "auditor_user_id",
	    (json_int_t)auditor_id);
	rc = api_audit(req, req->who.org_id, "auditor_grant.create",
	    "auditor_grant", id, NULL, after);
	if (rc != ERR_OK)
		goto out;
	rc = request_reply(req, 201,
	    json_pack("{s:I, s:I, s:I}", "id", (json_int_t)id,
	        "organization_id", (json_int_t)req->who.org_id,
	        "auditor_user_id", (json_int_t)auditor_id));
out:
	json_decref(after);
	json_decref(body);
	return rc;
}

static enum err
grant_delete(struct request *req)
{
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	rc = grant_store_revoke(
	    req->db, req->who.org_id, id, req->who.user_id, req->now);
	if (rc == ERR_NOT_FOUND)
		return request_fail(
		    req, rc, MSG("Acceso no encontrado", "Grant not found"));
	if (rc == ERR_OK)
		rc = api_audit(req, req->who.org_id, "auditor_grant.revoke",
		    "auditor_grant", id, NULL, NULL);
	if (rc != ERR_OK)
		return rc;
	return request_reply_empty(req, 204);
}

/* clang-format off */
const struct route grant_routes[] = {
	{ "GET",    "/api/v1/auditor-grants",      grant_list,   PERM_ORG_READ,  0 },
	{ "POST",   "/api/v1/auditor-grants",      grant_create, PERM_ORG_ADMIN, 0 },
	{ "DELETE", "/api/v1/auditor-grants/{id}", grant_delete, PERM_ORG_ADMIN, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
