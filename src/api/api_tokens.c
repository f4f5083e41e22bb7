/*
 * API tokens for scripts: created by a user, carrying that user's rights,
 * shown once, revocable.  Sent as "Authorization: Bearer <token>".
 */
#include "pergamino/api.h"
#include "pergamino/jsonx.h"
#include "pergamino/session.h"
#include "pergamino/stores.h"

struct token_in {
	const char *name;
};

static const struct field token_fields[] = {
	{ "name", FIELD_TEXT, FIELD_REQUIRED, 80, 0, 0,
	    offsetof(struct token_in, name), 0 },
	FIELD_END,
};

static enum err
token_list(struct request *req)
{
	json_t *items;
	enum err rc;

	rc = credential_store_list_tokens_json(
	    req->db, req->who.user_id, &items);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, 0));
}

static enum err
token_create(struct request *req)
{
	char token[SESSION_TOKEN_TEXT];
	unsigned char hash[SESSION_HASH_LEN];
	struct token_in in;
	json_t *body = NULL;
	int64_t id;
	enum err rc;

	/* A leaked token must not be able to mint more tokens. */
	if (!req->who.via_cookie)
		return request_fail(req, ERR_FORBIDDEN,
		    MSG("Los tokens se crean desde una sesión del navegador",
		        "Tokens are created from a browser session"));
	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, token_fields, &in);
	if (rc != ERR_OK)
		goto out;
	session_token_new(token, hash);
	rc = credential_store_insert(req->db, "token", hash, req->who.user_id,
	    in.name, req->now, 0, &id);
	if (rc == ERR_OK)
		rc = api_audit(req, req->who.org_id, "token.create", "token",
		    id, NULL, NULL);
	if (rc != ERR_OK)
		goto out;
	rc = request_reply(req, 201,
	    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", in.name,
	        "token", token));
out:
	json_decref(body);
	return rc;
}

static enum err
token_delete(struct request *req)
{
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	rc = credential_store_revoke(
	    req->db, req->who.user_id, id, "token", req->now);
	if (rc == ERR_NOT_FOUND)
		return request_fail(
		    req, rc, MSG("Token no encontrado", "Token not found"));
	if (rc == ERR_OK)
		rc = api_audit(req, req->who.org_id, "token.revoke", "token",
		    id, NULL, NULL);
	if (rc != ERR_OK)
		return rc;
	return request_reply_empty(req, 204);
}

/* clang-format off */
const struct route token_routes[] = {
	{ "GET",    "/api/v1/tokens",      token_list,   PERM_SIGNED_IN, 0 },
	{ "POST",   "/api/v1/tokens",      token_create, PERM_SIGNED_IN, ROUTE_SECRET },
	{ "DELETE", "/api/v1/tokens/{id}", token_delete, PERM_SIGNED_IN, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
