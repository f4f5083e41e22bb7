/* GET /api/v1/health: database reachable, schema version, uptime. */
#include "pergamino/api.h"

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

/* clang-format off */
const struct route health_routes[] = {
	{ "GET", "/api/v1/health", health_get, PERM_PUBLIC, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
