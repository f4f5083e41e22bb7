/* Shared handlers of the acopio documents (see api_acopio.h). */
#include <string.h>

#include "pergamino/acopio.h"
#include "pergamino/api.h"
#include "pergamino/api_acopio.h"
#include "pergamino/api_document.h"

/* How the shared handlers read and annul an acopio document. */
static enum err
acopio_stage_get_json(struct request *req, int doc, int64_t id, json_t **out)
{
	return acopio_get_json(
	    req->db, (enum acopio_doc)doc, req->who.user_id, id, out);
}

static enum err
acopio_stage_get_text(struct request *req, int doc, int64_t id, char **out)
{
	return acopio_get_text(
	    req->db, (enum acopio_doc)doc, req->who.user_id, id, out);
}

static enum err
acopio_stage_annul(struct request *req, int doc, int64_t id, const char *reason)
{
	struct rule_error e = { 0 };
	struct actor a = api_actor(req);
	enum err rc;

	rc = acopio_annul(req->db, &a, (enum acopio_doc)doc, id, reason, &e);
	if (rc != ERR_OK)
		rc = api_acopio_refused(req, rc, &e);
	return rc;
}

/* Acopio reads come as text from the database: get_text answers. */
static const struct api_stage acopio_stage = {
	acopio_stage_get_json,
	acopio_stage_get_text,
	acopio_stage_annul,
};

enum err
api_acopio_refused(struct request *req, enum err rc, const struct rule_error *e)
{
	if (e->field == NULL)
		return rc;
	request_field_error(req, e->field, e->code, e->why);
	req->detail = e->why;
	return rc;
}

enum err
api_acopio_get(struct request *req, enum acopio_doc doc)
{
	return api_document_get(req, &acopio_stage, (int)doc);
}

static enum err
api_acopio_filter(struct request *req, struct acopio_filter *f)
{
	memset(f, 0, sizeof(*f));
	api_query_id(req, "producer_id", &f->producer_id);
	api_query_id(req, "campaign", &f->campaign);
	api_query_id(req, "number", &f->number);
	api_query_flag(req, "annulled", &f->annulled);
	api_query_flag(req, "flagged", &f->flagged);
	api_query_status(req, &f->status);
	(void)api_query_order(req);
	/* The dates are checked last: their errors come after the others. */
	api_query_date(req, "from", &f->from);
	api_query_date(req, "to", &f->to);
	return req->errors != NULL ? ERR_INVALID : ERR_OK;
}

enum err
api_acopio_list(struct request *req, enum acopio_doc doc)
{
	struct acopio_filter f;
	int64_t limit, cursor;
	char *page;
	enum err rc;

	rc = request_page(req, API_DOCUMENT_PAGE_DEFAULT, API_DOCUMENT_PAGE_MAX,
	    &limit, &cursor);
	if (rc == ERR_OK)
		rc = api_acopio_filter(req, &f);
	if (rc != ERR_OK)
		return rc;
	/* Screens want today's documents first; ?order=asc reads in order. */
	f.newest_first = request_query(req, "order") == NULL ||
	    strcmp(request_query(req, "order"), "asc") != 0;
	rc = acopio_list_text(
	    req->db, doc, req->who.user_id, &f, cursor, limit, &page);
	if (rc != ERR_OK)
		return rc;
	return request_reply_json_text(req, 200, page);
}

enum err
api_acopio_all(struct request *req, enum acopio_doc doc, json_t **items)
{
	struct acopio_filter f;
	int64_t next;
	enum err rc;

	*items = NULL;
	rc = api_acopio_filter(req, &f);
	if (rc != ERR_OK)
		return rc;
	rc = acopio_list_json(req->db, doc, req->who.user_id, &f, 0,
	    API_DOCUMENT_REGISTER_MAX, items, &next);
	return api_document_register(req, rc, next, items);
}

enum err
api_acopio_annul(struct request *req, enum acopio_doc doc)
{
	return api_document_annul(req, &acopio_stage, (int)doc);
}

enum err
api_acopio_created(struct request *req, enum acopio_doc doc,
    const char *collection, int64_t id)
{
	return api_document_created(
	    req, &acopio_stage, (int)doc, collection, id);
}
