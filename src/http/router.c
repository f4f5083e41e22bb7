/*
 * Route matching: method + path pattern ("/api/v1/users/{id}").  A
 * "{name}" segment matches one non-empty path segment; everything else
 * matches literally.  The route tables themselves live with their
 * resources in src/api/ and are listed in api_route_tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/http.h"

/*
 * Match one pattern against path.  When params is not NULL, captured
 * segments are copied into buf (at least strlen(path) + 1 bytes) and
 * pointed to from params.  Every route of every table is tried against
 * each request, so a literal segment is compared byte by byte and a miss
 * ends at its first differing byte (strcspn on both sides of every
 * segment of 37 patterns was 13 k instructions a request, callgrind).
 */
static bool
router_match_one(const char *pattern, const char *path, char *buf,
    const char **params, size_t *count)
{
	const char *p = pattern, *s = path, *seg;
	size_t n = 0, len;

	while (*p == '/' && *s == '/') {
		p++;
		s++;
		if (*p == '{') {
			for (seg = s; *s != '/' && *s != '\0'; s++)
				;
			len = (size_t)(s - seg);
			if (len == 0 || n >= REQUEST_PARAMS_MAX)
				return false;
			if (params != NULL) {
				memcpy(buf, seg, len);
				buf[len] = '\0';
				params[n] = buf;
				buf += len + 1;
			}
			n++;
			while (*p != '/' && *p != '\0')
				p++;
		} else {
			while (*p != '/' && *p != '\0' && *p == *s) {
				p++;
				s++;
			}
			/* Both segments must end here. */
			if ((*p != '/' && *p != '\0') ||
			    (*s != '/' && *s != '\0'))
				return false;
		}
	}
	if (*p != '\0' || *s != '\0')
		return false;
	if (count != NULL)
		*count = n;
	return true;
}

bool
router_pattern_match(const char *pattern, const char *path)
{
	return router_match_one(pattern, path, NULL, NULL, NULL);
}

static bool
router_method_is(const struct route *r, const char *method)
{
	if (strcmp(r->method, method) == 0)
		return true;
	return strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0;
}

static void
router_allow_add(char *allow, size_t allow_len, const char *method)
{
	size_t used = strlen(allow);

	if (strstr(allow, method) != NULL)
		return;
	snprintf(
	    allow + used, allow_len - used, "%s%s", used ? ", " : "", method);
}

const struct route *
router_match(struct request *req, const char *method, const char *path,
    char *allow, size_t allow_len, enum err *why)
{
	const struct route *r;
	size_t t;
	bool path_seen = false;

	allow[0] = '\0';
	for (t = 0; api_route_tables[t] != NULL; t++) {
		for (r = api_route_tables[t]; r->method != NULL; r++) {
			if (!router_pattern_match(r->pattern, path))
				continue;
			if (!router_method_is(r, method)) {
				path_seen = true;
				router_allow_add(allow, allow_len, r->method);
				continue;
			}
			free(req->param_buf);
			req->param_buf = malloc(strlen(path) + 1);
			if (req->param_buf == NULL) {
				*why = ERR_NOMEM;
				return NULL;
			}
			(void)router_match_one(r->pattern, path, req->param_buf,
			    req->params, &req->param_count);
			allow[0] = '\0'; /* only a 405 names other methods */
			*why = ERR_OK;
			return r;
		}
	}
	*why = path_seen ? ERR_METHOD : ERR_NOT_FOUND;
	return NULL;
}
