/*
 * Users of an organization, managed by its admins (and by the instance
 * operator for any organization).  Passwords are hashed here, inside the
 * write transaction: user administration is rare, unlike logins.
 */
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/password.h"
#include "pergamino/password_policy.h"
#include "pergamino/jsonx.h"
#include "pergamino/session.h"
#include "pergamino/stores.h"

#define USER_PAGE_DEFAULT 50
#define USER_PAGE_MAX 500

struct user_in {
	const char *username;
	const char *display_name;
	const char *role;
	const char *password;
	int64_t organization_id;
};

static const struct field user_create_fields[] = {
	{ "username", FIELD_TEXT, FIELD_REQUIRED, POLICY_USERNAME_MAX, 0, 0,
	    offsetof(struct user_in, username), 0 },
	{ "display_name", FIELD_TEXT, FIELD_REQUIRED, 120, 0, 0,
	    offsetof(struct user_in, display_name), 0 },
	{ "role", FIELD_TEXT, FIELD_REQUIRED, 20, 0, 0,
	    offsetof(struct user_in, role), 0 },
	{ "password", FIELD_TEXT, FIELD_REQUIRED, PASSWORD_MAX_LEN, 0, 0,
	    offsetof(struct user_in, password), 0 },
	{ "organization_id", FIELD_INT, 0, 0, 1, INT64_MAX,
	    offsetof(struct user_in, organization_id), 0 },
	FIELD_END,
};

struct user_patch_in {
	const char *display_name;
	const char *role;
	int active;
};

static const struct field user_patch_fields[] = {
	{ "display_name", FIELD_TEXT, FIELD_NOT_EMPTY, 120, 0, 0,
	    offsetof(struct user_patch_in, display_name), 0 },
	{ "role", FIELD_TEXT, 0, 20, 0, 0, offsetof(struct user_patch_in, role),
	    0 },
	{ "active", FIELD_BOOL, 0, 0, 0, 0,
	    offsetof(struct user_patch_in, active), 0 },
	FIELD_END,
};

struct user_password_in {
	const char *password;
};

static const struct field user_password_fields[] = {
	{ "password", FIELD_TEXT, FIELD_REQUIRED, PASSWORD_MAX_LEN, 0, 0,
	    offsetof(struct user_password_in, password), 0 },
	FIELD_END,
};

static enum err
user_reply_doc(struct request *req, unsigned status, int64_t id)
{
	char etag[48];
	json_t *doc;
	int64_t version;
	enum err rc;

	rc = user_store_get_json(req->db, api_viewer(req), id, &doc, &version);
	if (rc == ERR_NOT_FOUND)
		return request_fail(
		    req, rc, MSG("Usuario no encontrado", "User not found"));
	if (rc != ERR_OK)
		return rc;
	api_etag_text(id, version, etag);
	request_set_etag(req, etag);
	return request_reply(req, status, doc);
}

static enum err
user_list(struct request *req)
{
	int64_t limit, cursor, next;
	json_t *items;
	enum err rc;

	rc = request_page(
	    req, USER_PAGE_DEFAULT, USER_PAGE_MAX, &limit, &cursor);
	if (rc != ERR_OK)
		return rc;
	rc = user_store_list_json(
	    req->db, api_viewer(req), cursor, limit, &items, &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

static enum err
user_get(struct request *req)
{
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	return user_reply_doc(req, 200, id);
}

/* Which organization the new user joins, and may it hold the role? */
static enum err
user_check_org_role(
    struct request *req, const struct user_in *in, struct user *u)
{
	enum org_kind kind = req->who.org_kind;
	enum err rc;

	u->organization_id = req->who.org_id;
	if (req->who.role == ROLE_SUPERADMIN) {
		if (in->organization_id == FIELD_ABSENT)
			return request_field_error(req, "organization_id",
			    "required",
			    MSG("Indique la organización del usuario",
			        "Give the user's organization"));
		u->organization_id = in->organization_id;
		rc = org_store_kind(req->db, u->organization_id, &kind);
		if (rc == ERR_NOT_FOUND)
			return request_field_error(req, "organization_id",
			    "not_found",
			    MSG("La organización no existe",
			        "No such organization"));
		if (rc != ERR_OK)
			return rc;
	} else if (in->organization_id != FIELD_ABSENT &&
	    in->organization_id != req->who.org_id) {
		return request_field_error(req, "organization_id", "forbidden",
		    MSG("Solo puede crear usuarios de su organización",
		        "You can only create users of your organization"));
	}
	if (!policy_role_assignable(kind, u->role))
		return request_field_error(req, "role", "invalid",
		    MSG("Rol no válido para este tipo de organización",
		        "Role not valid for this kind of organization"));
	return ERR_OK;
}

/* Audit a change of user id, with its stored state after the change. */
static enum err
user_audit(struct request *req, int64_t org_id, const char *action, int64_t id,
    json_t *before)
{
	json_t *after = NULL;
	int64_t version;
	enum err rc;

	rc = user_store_get_json(req->db, 0, id, &after, &version);
	if (rc == ERR_OK)
		rc = api_audit(req, org_id, action, "user", id, before, after);
	json_decref(after);
	return rc;
}

static enum err
user_create(struct request *req)
{
	char hash[PASSWORD_HASH_MAX];
	struct user_in in;
	struct user u = { 0 };
	struct msg why;
	json_t *body = NULL;
	int64_t existing, existing_org;
	enum err rc;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, user_create_fields, &in);
	if (rc != ERR_OK)
		goto out;
	if (!policy_username_valid(in.username))
		request_field_error(req, "username", "invalid",
		    MSG("Use de 3 a 64 letras minúsculas, dígitos, '.', '_' "
		        "o '-'",
		        "Use 3 to 64 lower-case letters, digits, '.', '_' or "
		        "'-'"));
	u.role = policy_role_parse(in.role);
	if (password_policy_check(in.password, in.username, &why) != ERR_OK)
		request_field_error(req, "password", "weak", why);
	rc = user_check_org_role(req, &in, &u);
	if (rc != ERR_OK || req->errors != NULL) {
		rc = rc != ERR_OK ? rc : ERR_INVALID;
		goto out;
	}
	rc = user_store_find(req->db, in.username, &existing, &existing_org);
	if (rc != ERR_OK)
		goto out;
	if (existing != 0) {
		request_field_error(req, "username", "duplicate",
		    MSG("Ese nombre de usuario ya existe",
		        "That user name is taken"));
		rc = ERR_CONFLICT;
		goto out;
	}
	rc = password_hash(in.password, hash);
	if (rc != ERR_OK)
		goto out;
	u.username = in.username;
	u.display_name = in.display_name;
	u.password_hash = hash;
	u.active = true;
	u.created_at = req->now;
	rc = user_store_insert(req->db, &u);
	if (rc == ERR_OK)
		rc = user_audit(
		    req, u.organization_id, "user.create", u.id, NULL);
	if (rc == ERR_OK) {
		api_location(req, "users", u.id);
		rc = user_reply_doc(req, 201, u.id);
	}
out:
	json_decref(body);
	return rc;
}

/* An admin may not lock themself out (deactivate or demote themself). */
static enum err
user_check_self(struct request *req, int64_t id, const struct user_patch_in *in)
{
	if (id != req->who.user_id)
		return ERR_OK;
	if (in->active == 0 ||
	    (in->role != NULL && policy_role_parse(in->role) != req->who.role))
		return request_fail(req, ERR_CONFLICT,
		    MSG("No puede desactivarse ni quitarse el rol a sí mismo",
		        "You cannot deactivate yourself or change your own "
		        "role"));
	return ERR_OK;
}

/* PATCH /api/v1/users/{id} with If-Match. */
static enum err
user_patch(struct request *req)
{
	struct user_patch_in in;
	json_t *body = NULL, *before = NULL;
	enum org_kind kind;
	enum role role = ROLE_NONE;
	int64_t id, version;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	/* The object first: an outsider learns nothing from validation. */
	rc = user_store_get_json(
	    req->db, api_viewer(req), id, &before, &version);
	if (rc == ERR_NOT_FOUND)
		return request_fail(
		    req, rc, MSG("Usuario no encontrado", "User not found"));
	if (rc != ERR_OK)
		return rc;
	rc = api_if_match(req, id, version);
	if (rc != ERR_OK)
		goto out;
	rc = request_json(req, &body);
	if (rc != ERR_OK)
		goto out;
	rc = fields_read(req, body, user_patch_fields, &in);
	if (rc != ERR_OK)
		goto out;
	if (in.role != NULL) {
		role = policy_role_parse(in.role);
		rc = org_store_kind(req->db,
		    json_integer_value(
		        json_object_get(before, "organization_id")),
		    &kind);
		if (rc != ERR_OK)
			goto out;
		if (!policy_role_assignable(kind, role)) {
			rc = request_field_error(req, "role", "invalid",
			    MSG("Rol no válido para este tipo de organización",
			        "Role not valid for this kind of "
			        "organization"));
			goto out;
		}
	}
	rc = user_check_self(req, id, &in);
	if (rc == ERR_OK)
		rc = user_store_update(req->db, api_viewer(req), id, version,
		    in.display_name, role, in.active);
	if (rc == ERR_OK && in.active == 0)
		rc = credential_store_revoke_all(req->db, id, req->now);
	if (rc == ERR_OK)
		rc = user_audit(req,
		    json_integer_value(
		        json_object_get(before, "organization_id")),
		    "user.update", id, before);
	if (rc == ERR_OK)
		rc = user_reply_doc(req, 200, id);
out:
	json_decref(before);
	json_decref(body);
	return rc;
}

/* POST /api/v1/users/{id}/password: an admin sets a new password. */
static enum err
user_reset_password(struct request *req)
{
	char hash[PASSWORD_HASH_MAX];
	struct user_password_in in;
	struct msg why;
	json_t *body = NULL, *user = NULL;
	int64_t id, version;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	/* The object first: an outsider learns nothing from validation. */
	rc = user_store_get_json(req->db, api_viewer(req), id, &user, &version);
	if (rc == ERR_NOT_FOUND)
		return request_fail(
		    req, rc, MSG("Usuario no encontrado", "User not found"));
	if (rc != ERR_OK)
		return rc;
	rc = request_json(req, &body);
	if (rc != ERR_OK)
		goto out;
	rc = fields_read(req, body, user_password_fields, &in);
	if (rc != ERR_OK)
		goto out;
	if (password_policy_check(in.password,
	        json_string_value(json_object_get(user, "username")),
	        &why) != ERR_OK) {
		rc = request_field_error(req, "password", "weak", why);
		goto out;
	}
	rc = password_hash(in.password, hash);
	if (rc == ERR_OK)
		rc = user_store_set_password(req->db, id, hash, req->now);
	if (rc == ERR_OK)
		rc = credential_store_revoke_all(req->db, id, req->now);
	if (rc == ERR_OK)
		rc = api_audit(req,
		    json_integer_value(
		        json_object_get(user, "organization_id")),
		    "user.password_reset", "user", id, NULL, NULL);
	if (rc == ERR_OK)
		rc = request_reply_empty(req, 204);
out:
	json_decref(user);
	json_decref(body);
	return rc;
}

/* clang-format off */
const struct route user_routes[] = {
	{ "GET",   "/api/v1/users",               user_list,   PERM_USER_ADMIN, 0 },
	{ "POST",  "/api/v1/users",               user_create, PERM_USER_ADMIN, 0 },
	{ "GET",   "/api/v1/users/{id}",          user_get,    PERM_USER_ADMIN, 0 },
	{ "PATCH", "/api/v1/users/{id}",          user_patch,  PERM_USER_ADMIN, 0 },
	{ "POST",  "/api/v1/users/{id}/password", user_reset_password, PERM_USER_ADMIN, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
