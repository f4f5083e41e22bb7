/*
 * Service routes: GET /api/v1/health (database reachable, schema
 * version, uptime) and GET /api/v1/openapi.json (the API description,
 * docs/openapi.json compiled into the binary).
 */
#include "pergamino/api.h"

/* Generated from docs/openapi.json by CMakeLists.txt (openapi_data.c). */
extern const unsigned char openapi_json[];
extern const size_t openapi_json_len;

static enum err
health_get(struct request *req)
{
	int version = 0;
	bool db_ok;

	db_ok = db_schema_version(req->db, &version) == ERR_OK;
	return request_reply(req, db_ok ? 200 : 503,
	    json_pack("{s:s, s:s, s:i, s:i, s:I, s:s}", "status",
	        db_ok ? "ok" : "degraded", "database",
	        db_ok ? "ok" : "unreachable", "schema_version", version,
	        "schema_expected", db_schema_target(), "uptime_s",
	        (json_int_t)server_uptime(req->srv), "version",
	        PERGAMINO_VERSION));
}

static enum err
health_openapi(struct request *req)
{
	return request_reply_text(req, 200, "application/json",
	    (const char *)openapi_json, openapi_json_len);
}

/* clang-format off */
const struct route health_routes[] = {
	{ "GET", "/api/v1/health", health_get, PERM_PUBLIC, 0 },
	{ "GET", "/api/v1/openapi.json", health_openapi, PERM_PUBLIC, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
