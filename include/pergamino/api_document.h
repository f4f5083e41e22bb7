/*
 * The handler steps the four document stages (acopio, transfer, process,
 * export) share: read one document, answer a create, annul, and read the
 * query arguments of their list filters.  A stage describes how its
 * documents are read and annulled in a struct api_stage; what differs
 * between stages (which service call, how a refusal names its field, which
 * filters a list takes and in what order it checks them) stays in the
 * stage's own file.
 */
#ifndef PERGAMINO_API_DOCUMENT_H
#define PERGAMINO_API_DOCUMENT_H

#include <stdint.h>

#include <jansson.h>

#include "pergamino/acopio.h"
#include "pergamino/api.h"
#include "pergamino/http.h"

#define API_DOCUMENT_PAGE_DEFAULT 50
#define API_DOCUMENT_PAGE_MAX 500
#define API_DOCUMENT_REGISTER_MAX 200000 /* rows in one CSV register */

/* The body of every stage's POST .../{id}/annul: {"reason"}. */
struct api_annul_in {
	const char *reason;
};
extern const struct field api_annul_fields[];

/*
 * One stage's documents as the shared handlers see them; doc is the
 * stage's own enum (acopio_doc, transfer_doc, ...) passed through.
 */
struct api_stage {
	/* Document id as the caller sees it: *out a new reference, or
	 * ERR_NOT_FOUND outside the caller's scope. */
	enum err (*get_json)(
	    struct request *req, int doc, int64_t id, json_t **out);
	/* The same as JSON text (a new string), for stages whose reads the
	 * database writes as text; NULL: get_json answers. */
	enum err (*get_text)(
	    struct request *req, int doc, int64_t id, char **out);
	/* Annul: a refusal is already written into req (its field errors)
	 * when its code comes back. */
	enum err (*annul)(
	    struct request *req, int doc, int64_t id, const char *reason);
};

/* The acting user and organization of req. */
struct actor api_actor(const struct request *req);

/* GET .../{id}: 200 with the document, 404 outside the caller's scope. */
enum err api_document_get(
    struct request *req, const struct api_stage *s, int doc);
/* After a create (audited by the service): Location, 201 with the doc. */
enum err api_document_created(struct request *req, const struct api_stage *s,
    int doc, const char *collection, int64_t id);
/*
 * POST .../{id}/annul {"reason"}: the object first (an outsider gets 404,
 * not a validation error), then the body, then the annulment; 200 with
 * the annulled document.
 */
enum err api_document_annul(
    struct request *req, const struct api_stage *s, int doc);
/*
 * A whole register (CSV) is one answer: a list that stopped at
 * API_DOCUMENT_REGISTER_MAX (next != 0) is refused with 422 and *items
 * released.  rc is the list's own result, passed through otherwise.
 */
enum err api_document_register(
    struct request *req, enum err rc, int64_t next, json_t **items);

/*
 * Query arguments of the list filters.  Each reads one argument and, when
 * it is malformed, adds a field error to req (the caller answers
 * ERR_INVALID once every argument was read, so all errors come together).
 */
/* An optional positive id; 0 when absent or empty. */
void api_query_id(struct request *req, const char *name, int64_t *out);
/* An optional 0/1; -1 when absent or empty. */
void api_query_flag(struct request *req, const char *name, int *out);
/* An optional YYYY-MM-DD date; NULL when absent. */
void api_query_date(struct request *req, const char *name, const char **out);
/* ?status: organic, transition or conventional; NULL when absent. */
void api_query_status(struct request *req, const char **out);
/* ?order: asc or desc; the value as given, NULL when absent. */
const char *api_query_order(struct request *req);

#endif
