/* Operator actions (CLI and demo), each one audited transaction. */
#include <string.h>
#include <time.h>

#include "pergamino/admin.h"
#include "pergamino/audit.h"
#include "pergamino/ids.h"
#include "pergamino/password.h"
#include "pergamino/password_policy.h"

static enum err
admin_audit(struct db *db, int64_t org_id, const char *action,
    const char *entity, int64_t id)
{
	struct audit_event ev = { 0 };

	ev.organization_id = org_id;
	ev.action = action;
	ev.entity = entity;
	ev.entity_id = id;
	return audit_append(db, &ev);
}

enum err
admin_org_add(struct db *db, struct org *o, struct msg *why)
{
	enum err rc;

	*why = MSG(NULL, NULL);
	if (o->name == NULL || o->name[0] == '\0') {
		*why = MSG("Falta el nombre", "The name is missing");
		return ERR_INVALID;
	}
	rc = ruc_check(o->ruc, why);
	if (rc != ERR_OK)
		return rc;
	if (o->kind == ORG_NONE) {
		*why = MSG("Tipo debe ser cooperative, plant, exporter o "
		           "certifier",
		    "kind must be cooperative, plant, exporter or certifier");
		return ERR_INVALID;
	}
	o->created_at = (int64_t)time(NULL);
	rc = db_begin(db);
	if (rc != ERR_OK)
		return rc;
	rc = org_store_insert(db, o);
	if (rc == ERR_CONFLICT)
		*why = MSG("Ya existe una organización con este RUC",
		    "An organization with this RUC already exists");
	if (rc == ERR_OK)
		rc = admin_audit(
		    db, o->id, "organization.create", "organization", o->id);
	if (rc == ERR_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

enum err
admin_user_add(
    struct db *db, struct user *u, const char *password, struct msg *why)
{
	char hash[PASSWORD_HASH_MAX];
	enum org_kind kind = ORG_NONE;
	enum err rc;

	*why = MSG(NULL, NULL);
	if (!policy_username_valid(u->username)) {
		*why = MSG("Use de 3 a 64 letras minúsculas, dígitos, '.', '_' "
		           "o '-'",
		    "Use 3 to 64 lower-case letters, digits, '.', '_' or '-'");
		return ERR_INVALID;
	}
	rc = password_policy_check(password, u->username, why);
	if (rc != ERR_OK)
		return rc;
	if (u->role != ROLE_SUPERADMIN) {
		rc = org_store_kind(db, u->organization_id, &kind);
		if (rc == ERR_NOT_FOUND)
			*why = MSG("La organización no existe",
			    "No such organization");
		if (rc != ERR_OK)
			return rc;
		if (!policy_role_assignable(kind, u->role)) {
			*why = MSG("Rol no válido para este tipo de "
			           "organización",
			    "Role not valid for this kind of organization");
			return ERR_INVALID;
		}
	}
	rc = password_hash(password, hash);
	if (rc != ERR_OK)
		return rc;
	u->password_hash = hash;
	u->created_at = (int64_t)time(NULL);
	u->active = true;
	rc = db_begin(db);
	if (rc != ERR_OK)
		return rc;
	rc = user_store_insert(db, u);
	if (rc == ERR_CONFLICT)
		*why = MSG("Ese nombre de usuario ya existe",
		    "That user name is taken");
	if (rc == ERR_OK)
		rc = admin_audit(
		    db, u->organization_id, "user.create", "user", u->id);
	u->password_hash = NULL;
	if (rc == ERR_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

enum err
admin_user_passwd(
    struct db *db, const char *username, const char *password, struct msg *why)
{
	char hash[PASSWORD_HASH_MAX];
	int64_t id, org_id, now = (int64_t)time(NULL);
	enum err rc;

	*why = MSG(NULL, NULL);
	rc = user_store_find(db, username, &id, &org_id);
	if (rc != ERR_OK)
		return rc;
	if (id == 0) {
		*why = MSG("El usuario no existe", "No such user");
		return ERR_NOT_FOUND;
	}
	rc = password_policy_check(password, username, why);
	if (rc != ERR_OK)
		return rc;
	rc = password_hash(password, hash);
	if (rc != ERR_OK)
		return rc;
	rc = db_begin(db);
	if (rc != ERR_OK)
		return rc;
	rc = user_store_set_password(db, id, hash, now);
	if (rc == ERR_OK)
		rc = credential_store_revoke_all(db, id, now);
	if (rc == ERR_OK)
		rc = admin_audit(db, org_id, "user.password_reset", "user", id);
	if (rc == ERR_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

enum err
admin_grant(struct db *db, int64_t org_id, int64_t auditor_id, int64_t by_user,
    int64_t *id)
{
	enum err rc;

	rc = db_begin(db);
	if (rc != ERR_OK)
		return rc;
	rc = grant_store_insert(
	    db, org_id, auditor_id, by_user, (int64_t)time(NULL), id);
	if (rc == ERR_OK)
		rc = admin_audit(
		    db, org_id, "auditor_grant.create", "auditor_grant", *id);
	if (rc == ERR_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
