/* Helpers every resource handler shares: audit, Location, ETag. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/audit.h"
#include "pergamino/jsonx.h"

enum err
api_audit(struct request *req, int64_t org_id, const char *action,
    const char *entity, int64_t entity_id, json_t *before, json_t *after)
{
	struct audit_event ev = { 0 };
	char *b = NULL, *a = NULL;
	enum err rc;

	if (before != NULL &&
	    (b = jsonx_dumps(before, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return ERR_NOMEM;
	if (after != NULL &&
	    (a = jsonx_dumps(after, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		free(b);
		return ERR_NOMEM;
	}
	ev.user_id = req->who.user_id;
	ev.organization_id = org_id;
	ev.action = action;
	ev.entity = entity;
	ev.entity_id = entity_id;
	ev.before_json = b;
	ev.after_json = a;
	rc = audit_append(req->db, &ev);
	free(b);
	free(a);
	return rc;
}

void
api_location(struct request *req, const char *collection, int64_t id)
{
	char buf[160];

	snprintf(
	    buf, sizeof(buf), "/api/v1/%s/%lld", collection, (long long)id);
	request_set_location(req, buf);
}

void
api_etag_text(int64_t id, int64_t version, char out[48])
{
	snprintf(out, 48, "\"%lld.%lld\"", (long long)id, (long long)version);
}

enum err
api_if_match(struct request *req, int64_t id, int64_t version)
{
	const char *im = request_header(req, "If-Match");
	char etag[48];

	if (im == NULL)
		return request_fail(req, ERR_PRECOND_REQUIRED,
		    MSG("Falta If-Match: lea el registro y envíe su ETag",
		        "If-Match is required: read the record and send its "
		        "ETag"));
	api_etag_text(id, version, etag);
	/* Strong comparison (RFC 9110 section 13.1.1). */
	if (strcmp(im, etag) != 0)
		return request_fail(req, ERR_PRECONDITION,
		    MSG("Otra persona modificó este registro; recárguelo",
		        "Someone else changed this record; reload it"));
	return ERR_OK;
}

int64_t
api_viewer(const struct request *req)
{
	return req->who.role == ROLE_SUPERADMIN ? 0 : req->who.org_id;
}
