/*
 * What handlers use to read a request and prepare its answer.  Nothing
 * here sends anything: http/server.c builds the MHD response.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "pergamino/http.h"
#include "pergamino/jsonx.h"
#include "pergamino/parse.h"

const char *
request_header(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
request_query(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(
	    req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
request_cookie(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

enum err
request_fail(struct request *req, enum err e, struct msg why)
{
	req->detail = why;
	return e;
}

enum err
request_field_error(
    struct request *req, const char *field, const char *code, struct msg why)
{
	json_t *e;

	if (req->errors == NULL)
		req->errors = json_array();
	e = json_pack("{s:s, s:s, s:s, s:s}", "field", field, "code", code,
	    "detail", why.es, "detail_en", why.en);
	if (req->errors == NULL || e == NULL ||
	    json_array_append_new(req->errors, e) != 0)
		return ERR_NOMEM;
	if (req->detail.es == NULL)
		req->detail = MSG("Hay campos con errores; revíselos",
		    "Some fields are invalid; check them");
	return ERR_INVALID;
}

enum err
request_json(struct request *req, json_t **out)
{
	const char *ct = request_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	json_error_t jerr;
	json_t *doc;

	*out = NULL;
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';'))
		return request_fail(req, ERR_MEDIA_TYPE,
		    MSG("El cuerpo debe ser JSON (Content-Type: "
		        "application/json)",
		        "The body must be JSON (Content-Type: "
		        "application/json)"));
	if (req->body == NULL || req->body_len == 0)
		return request_fail(req, ERR_INVALID,
		    MSG("Falta el cuerpo JSON", "Missing JSON body"));
	doc = jsonx_loadb(
	    req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	/*
	 * Out of memory is our failure, not a malformed body: 500, not 400
	 * (Jansson reports most of its allocation failures as syntax errors).
	 */
	if (doc == NULL && jsonx_out_of_memory())
		return ERR_NOMEM;
	if (doc == NULL)
		return request_fail(req, ERR_INVALID,
		    MSG("El cuerpo no es JSON válido (o repite una clave)",
		        "The body is not valid JSON (or repeats a key)"));
	if (!json_is_object(doc)) {
		json_decref(doc);
		return request_fail(req, ERR_INVALID,
		    MSG("El cuerpo debe ser un objeto JSON",
		        "The body must be a JSON object"));
	}
	*out = doc;
	return ERR_OK;
}

enum err
request_param_id(struct request *req, size_t i, int64_t *out)
{
	*out = 0;
	if (i >= req->param_count || parse_id(req->params[i], out) != ERR_OK)
		return request_fail(
		    req, ERR_NOT_FOUND, MSG("No encontrado", "Not found"));
	return ERR_OK;
}

enum err
request_page(struct request *req, int64_t def, int64_t max, int64_t *limit,
    int64_t *cursor)
{
	const char *l = request_query(req, "limit");
	const char *c = request_query(req, "cursor");
	uint64_t v;

	*limit = def;
	*cursor = 0;
	if (l != NULL) {
		if (parse_uint(l, (uint64_t)max, &v) != ERR_OK || v == 0)
			return request_field_error(req, "limit", "out_of_range",
			    MSG("limit debe ser un entero entre 1 y el máximo "
			        "permitido",
			        "limit must be an integer between 1 and the "
			        "allowed maximum"));
		*limit = (int64_t)v;
	}
	if (c != NULL && c[0] != '\0') {
		if (parse_id(c, cursor) != ERR_OK)
			return request_field_error(req, "cursor", "invalid",
			    MSG("cursor no es válido", "cursor is invalid"));
	}
	return ERR_OK;
}

enum err
request_reply(struct request *req, unsigned status, json_t *doc)
{
	char *text;

	if (doc == NULL)
		return ERR_NOMEM;
	text = jsonx_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return request_reply_json_text(req, status, text);
}

enum err
request_reply_json_text(struct request *req, unsigned status, char *text)
{
	if (text == NULL)
		return ERR_NOMEM;
	free(req->resp_body);
	req->resp_body = text;
	req->resp_len = strlen(text);
	req->status = status;
	req->content_type = "application/json";
	return ERR_OK;
}

enum err
request_reply_empty(struct request *req, unsigned status)
{
	free(req->resp_body);
	req->resp_body = NULL;
	req->resp_len = 0;
	req->status = status;
	req->content_type = NULL;
	return ERR_OK;
}

enum err
request_reply_text(struct request *req, unsigned status,
    const char *content_type, const char *text, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy == NULL)
		return ERR_NOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	free(req->resp_body);
	req->resp_body = copy;
	req->resp_len = len;
	req->status = status;
	req->content_type = content_type;
	return ERR_OK;
}

void
request_set_etag(struct request *req, const char *etag)
{
	snprintf(req->etag, sizeof(req->etag), "%s", etag);
}

void
request_set_location(struct request *req, const char *location)
{
	snprintf(req->location, sizeof(req->location), "%s", location);
}
