/*
 * What every stage's issued documents share in the service layer:
 * refusals, the annulment's reason and outcome, and the audit event that
 * records a document's issue or annulment with its full JSON.
 */
#ifndef PERGAMINO_DOCUMENT_H
#define PERGAMINO_DOCUMENT_H

#include <jansson.h>

#include "pergamino/acopio.h"
#include "pergamino/acopio_rules.h"
#include "pergamino/db.h"
#include "pergamino/err.h"

#define DOCUMENT_REASON_MAX 500 /* bytes of an annulment reason */

/* Fill e and return rc. */
enum err doc_refuse(struct rule_error *e, enum err rc, const char *field,
    const char *code, struct msg why);

/* An annulment needs a reason of 1 to DOCUMENT_REASON_MAX bytes. */
enum err doc_check_reason(const char *reason, struct rule_error *e);

/*
 * Before annulling: got/get_rc is the document as the caller sees it
 * (owned: freed here).  Absent or issued by another organization: 404.
 * Otherwise *before is its JSON text for the audit event (free() it).
 */
enum err doc_annul_before(const struct actor *a, enum err get_rc, json_t *got,
    char **before, struct rule_error *e);

/*
 * The refusal for a store_annul() that changed nothing (state 1 absent,
 * 2 already annulled, 3 dependent: why_dependent), or ERR_OK (state 0).
 */
enum err doc_annul_refusal(
    int state, struct msg why_dependent, struct rule_error *e);

/*
 * Append the audit event of action on (entity, id): before as given (or
 * NULL), after = the document now (borrowed; dumped here).
 */
enum err doc_audit(struct db *db, const struct actor *a, const char *action,
    const char *entity, int64_t id, const char *before, const json_t *after);
/*
 * The members keys (a NULL-terminated list) of doc, a document just issued,
 * as the JSON text frozen into its parties column (sorted keys; an absent
 * member is null): *out is a new string, free().
 */
enum err doc_parties_text(
    const json_t *doc, const char *const *keys, char **out);

#endif
