/* The audit log, for admins, auditors and the operator: list and verify. */
#include "pergamino/api.h"
#include "pergamino/audit.h"
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"

#define AUDIT_PAGE_DEFAULT 100
#define AUDIT_PAGE_MAX 1000

static enum err
audit_list(struct request *req)
{
	int64_t limit, cursor, next;
	json_t *items;
	enum err rc;

	rc = request_page(
	    req, AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, &limit, &cursor);
	if (rc != ERR_OK)
		return rc;
	rc = audit_store_list_json(req->db,
	    req->who.role == ROLE_SUPERADMIN ? -1 : req->who.user_id, cursor,
	    limit, &items, &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

static enum err
audit_verify_get(struct request *req)
{
	struct audit_verify_result r;
	enum err rc;

	rc = audit_verify(req->db, &r);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200,
	    json_pack("{s:b, s:I, s:s, s:o}", "ok", r.ok, "events",
	        (json_int_t)r.events, "head_hash", r.head_hash,
	        "first_broken_seq",
	        r.first_broken_seq != 0 ? json_integer(r.first_broken_seq)
	                                : json_null()));
}

/* clang-format off */
const struct route audit_routes[] = {
	{ "GET", "/api/v1/audit",        audit_list,       PERM_AUDIT_READ, 0 },
	{ "GET", "/api/v1/audit/verify", audit_verify_get, PERM_AUDIT_READ, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
