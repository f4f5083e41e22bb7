/* RFC 9457 problem documents, in Spanish with English alongside. */
#include <stdio.h>

#include <jansson.h>

#include "pergamino/http.h"

json_t *
problem_new(enum err e, struct msg why, json_t *errors, const char *request_id)
{
	unsigned status = err_http_status(e);
	char type[96];
	json_t *doc;

	if (status >= 500 || why.es == NULL || why.en == NULL) {
		why.es = err_title_es(e);
		why.en = err_title_en(e);
		if (status >= 500)
			errors = NULL; /* never details on 5xx */
	}
	snprintf(type, sizeof(type), "/problems/%s", err_code(e));
	doc = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "type",
	    type, "title", err_title_es(e), "title_en", err_title_en(e),
	    "status", (json_int_t)status, "code", err_code(e), "detail", why.es,
	    "detail_en", why.en, "request_id",
	    request_id != NULL ? request_id : "");
	if (doc != NULL && errors != NULL && json_array_size(errors) > 0 &&
	    json_object_set(doc, "errors", errors) != 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
