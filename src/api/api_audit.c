/*
 * The audit log, for admins, auditors and the operator: list, verify, and
 * signed checkpoints of its head (made on demand here, daily by the
 * server) that a certifier keeps to prove later that the log only grew.
 */
#include <limits.h>
#include <stdio.h>

#include <sodium.h>

#include "pergamino/api.h"
#include "pergamino/audit.h"
#include "pergamino/audit_checkpoint.h"
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

static enum err
audit_checkpoint_list(struct request *req)
{
	int64_t limit, cursor, next;
	json_t *items;
	enum err rc;

	rc = request_page(
	    req, AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, &limit, &cursor);
	if (rc != ERR_OK)
		return rc;
	rc = audit_checkpoint_list_json(req->db, cursor, limit, &items, &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

/* The newest checkpoint, as the document to hand to a certifier. */
static enum err
audit_checkpoint_latest_get(struct request *req)
{
	struct audit_checkpoint cp;
	bool found;
	enum err rc;

	rc = audit_checkpoint_latest(req->db, &cp, &found);
	if (rc != ERR_OK)
		return rc;
	if (!found)
		return request_fail(req, ERR_NOT_FOUND,
		    MSG("Aún no hay ningún punto de control firmado.",
		        "There is no signed checkpoint yet."));
	return request_reply(req, 200, audit_checkpoint_json(&cp));
}

static enum err
audit_checkpoint_create(struct request *req)
{
	const struct server_config *cfg = server_config(req->srv);
	char path[PATH_MAX];
	struct audit_checkpoint cp;
	struct audit_key key;
	enum err rc;

	if (cfg->audit_key != NULL)
		snprintf(path, sizeof(path), "%s", cfg->audit_key);
	else
		audit_key_default_path(cfg->db_path, path, sizeof(path));
	rc = audit_key_load(path, true, &key);
	if (rc != ERR_OK)
		return request_fail(req, ERR_INTERNAL,
		    MSG("No se pudo leer la clave de firma de la auditoría.",
		        "The audit signing key could not be read."));
	rc = audit_checkpoint_make(
	    req->db, &key, req->now * 1000, req->who.user_id, &cp);
	sodium_memzero(&key, sizeof(key));
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 201, audit_checkpoint_json(&cp));
}

/* clang-format off */
const struct route audit_routes[] = {
	{ "GET", "/api/v1/audit",        audit_list,       PERM_AUDIT_READ, 0 },
	{ "GET", "/api/v1/audit/verify", audit_verify_get, PERM_AUDIT_READ, 0 },
	{ "GET", "/api/v1/audit/checkpoints", audit_checkpoint_list, PERM_AUDIT_READ, 0 },
	{ "GET", "/api/v1/audit/checkpoints/latest", audit_checkpoint_latest_get, PERM_AUDIT_READ, 0 },
	{ "POST", "/api/v1/audit/checkpoints", audit_checkpoint_create, PERM_AUDIT_READ, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
