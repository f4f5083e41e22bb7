/* Refusals, annulments and audit events shared by every stage's service. */
#include <stdlib.h>
#include <string.h>

#include "pergamino/audit.h"
#include "pergamino/document.h"
#include "pergamino/jsonx.h"

enum err
doc_refuse(struct rule_error *e, enum err rc, const char *field,
    const char *code, struct msg why)
{
	e->field = field;
	e->code = code;
	e->why = why;
	return rc;
}

enum err
doc_check_reason(const char *reason, struct rule_error *e)
{
	if (reason == NULL || reason[0] == '\0' ||
	    strlen(reason) > DOCUMENT_REASON_MAX)
		return doc_refuse(e, ERR_INVALID, "reason", "required",
		    MSG("Indique el motivo de la anulación (hasta 500 "
		        "caracteres)",
		        "Give the reason for the annulment (up to 500 bytes)"));
	return ERR_OK;
}

static enum err
doc_not_found(struct rule_error *e)
{
	return doc_refuse(e, ERR_NOT_FOUND, "id", "not_found",
	    MSG("Documento no encontrado", "Document not found"));
}

enum err
doc_annul_before(const struct actor *a, enum err get_rc, json_t *got,
    char **before, struct rule_error *e)
{
	*before = NULL;
	if (get_rc == ERR_NOT_FOUND ||
	    (get_rc == ERR_OK &&
	        json_integer_value(json_object_get(
	            json_object_get(got, "organization"), "id")) !=
	            a->org_id)) {
		json_decref(got);
		return doc_not_found(e);
	}
	if (get_rc != ERR_OK) {
		json_decref(got);
		return get_rc;
	}
	*before = jsonx_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(got);
	return *before != NULL ? ERR_OK : ERR_NOMEM;
}

enum err
doc_annul_refusal(int state, struct msg why_dependent, struct rule_error *e)
{
	switch (state) {
	case 1:
		return doc_not_found(e);
	case 2:
		return doc_refuse(e, ERR_CONFLICT, "id", "already_annulled",
		    MSG("El documento ya está anulado",
		        "The document is already annulled"));
	case 3:
		return doc_refuse(
		    e, ERR_CONFLICT, "id", "has_live_dependent", why_dependent);
	default:
		return ERR_OK;
	}
}

enum err
doc_audit(struct db *db, const struct actor *a, const char *action,
    const char *entity, int64_t id, const char *before, const json_t *after)
{
	struct audit_event ev = { 0 };
	char *text;
	enum err rc;

	text = jsonx_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL)
		return ERR_NOMEM;
	ev.user_id = a->user_id;
	ev.organization_id = a->org_id;
	ev.action = action;
	ev.entity = entity;
	ev.entity_id = id;
	ev.before_json = before;
	ev.after_json = text;
	rc = audit_append(db, &ev);
	free(text);
	return rc;
}

enum err
doc_parties_text(const json_t *doc, const char *const *keys, char **out)
{
	json_t *parties = json_object(), *v;

	*out = NULL;
	for (; parties != NULL && *keys != NULL; keys++) {
		v = json_object_get(doc, *keys);
		if (json_object_set(
		        parties, *keys, v != NULL ? v : json_null()))
			break;
	}
	if (parties != NULL && *keys == NULL)
		*out = jsonx_dumps(parties, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(parties);
	return *out != NULL ? ERR_OK : ERR_NOMEM;
}
