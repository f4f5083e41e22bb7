/*
 * The organization's purchase settings: the humidity range and what to
 * do outside it (warn or refuse), the tolerance over the producers'
 * estimates, the IGV rate of settlements and the place of sale printed on
 * them; and the exporter's ICO codes (country and exporter: the first two
 * parts of an ICO mark such as 30/861/1544).  Defaults apply until an
 * admin saves them (ETag "<org>.0").
 */
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/export_rules.h"
#include "pergamino/jsonx.h"
#include "pergamino/registry.h"
#include "pergamino/stores.h"

#define SETTINGS_HUMIDITY_SCALE 1 /* tenths of a percent */
#define SETTINGS_HUMIDITY_MAX 1000
#define SETTINGS_IGV_SCALE 2 /* hundredths of a percent */
#define SETTINGS_IGV_MAX 10000
#define SETTINGS_TOLERANCE_MAX 1000 /* percent */

struct settings_in {
	int64_t humidity_min;
	int64_t humidity_max;
	const char *humidity_policy;
	int64_t estimate_tolerance_pct;
	int64_t igv_rate_bp;
	const char *place_of_sale;
	const char *ico_exporter_code;
	int64_t ico_country_code;
};

static const struct field settings_fields[] = {
	{ "humidity_min", FIELD_DECIMAL, 0, 0, 0, SETTINGS_HUMIDITY_MAX,
	    offsetof(struct settings_in, humidity_min),
	    SETTINGS_HUMIDITY_SCALE },
	{ "humidity_max", FIELD_DECIMAL, 0, 0, 0, SETTINGS_HUMIDITY_MAX,
	    offsetof(struct settings_in, humidity_max),
	    SETTINGS_HUMIDITY_SCALE },
	{ "humidity_policy", FIELD_TEXT, 0, 10, 0, 0,
	    offsetof(struct settings_in, humidity_policy), 0 },
	{ "estimate_tolerance_pct", FIELD_INT, 0, 0, 0, SETTINGS_TOLERANCE_MAX,
	    offsetof(struct settings_in, estimate_tolerance_pct), 0 },
	{ "igv_rate_pct", FIELD_DECIMAL, 0, 0, 0, SETTINGS_IGV_MAX,
	    offsetof(struct settings_in, igv_rate_bp), SETTINGS_IGV_SCALE },
	{ "place_of_sale", FIELD_TEXT, 0, REGISTRY_PLACE_OF_SALE_MAX, 0, 0,
	    offsetof(struct settings_in, place_of_sale), 0 },
	{ "ico_exporter_code", FIELD_TEXT, 0, EXPORT_ICO_EXPORTER_DIGITS, 0, 0,
	    offsetof(struct settings_in, ico_exporter_code), 0 },
	{ "ico_country_code", FIELD_INT, 0, 0, 1, EXPORT_ICO_COUNTRY_MAX,
	    offsetof(struct settings_in, ico_country_code), 0 },
	FIELD_END,
};

static json_t *
settings_json(int64_t org_id, const struct org_settings *s)
{
	return json_pack("{s:I, s:o, s:o, s:s, s:I, s:o, s:s, s:s, s:I}",
	    "organization_id", (json_int_t)org_id, "humidity_min",
	    jsonx_decimal(s->humidity_min, SETTINGS_HUMIDITY_SCALE,
	        SETTINGS_HUMIDITY_SCALE),
	    "humidity_max",
	    jsonx_decimal(s->humidity_max, SETTINGS_HUMIDITY_SCALE,
	        SETTINGS_HUMIDITY_SCALE),
	    "humidity_policy", s->humidity_policy, "estimate_tolerance_pct",
	    (json_int_t)s->estimate_tolerance_pct, "igv_rate_pct",
	    jsonx_decimal(
	        s->igv_rate_bp, SETTINGS_IGV_SCALE, SETTINGS_IGV_SCALE),
	    "place_of_sale", s->place_of_sale, "ico_exporter_code",
	    s->ico_exporter_code, "ico_country_code",
	    (json_int_t)s->ico_country_code);
}

static enum err
settings_reply(struct request *req, int64_t org_id)
{
	struct org_settings s;
	char etag[48];
	enum err rc;

	rc = settings_store_get(req->db, org_id, &s);
	if (rc != ERR_OK)
		return rc;
	api_etag_text(org_id, s.version, etag);
	request_set_etag(req, etag);
	return request_reply(req, 200, settings_json(org_id, &s));
}

/*
 * GET /api/v1/settings[?organization_id=]: the caller's organization, or
 * one in the caller's scope (an auditor's granting organization).
 */
static enum err
settings_get(struct request *req)
{
	json_t *org = NULL;
	int64_t id;
	enum err rc;

	rc = registry_query_int(req, "organization_id", 1, INT64_MAX, &id);
	if (rc != ERR_OK)
		return rc;
	if (id == REGISTRY_NONE)
		return settings_reply(req, req->who.org_id);
	rc = org_store_get_json(req->db, req->who.user_id, id, &org);
	json_decref(org);
	if (rc == ERR_NOT_FOUND)
		return request_fail(req, rc,
		    MSG("Organización no encontrada",
		        "Organization not found"));
	if (rc != ERR_OK)
		return rc;
	return settings_reply(req, id);
}

/* Apply in over s and check the result. */
static bool
settings_apply(
    struct request *req, const struct settings_in *in, struct org_settings *s)
{
	if (in->humidity_min != FIELD_ABSENT)
		s->humidity_min = in->humidity_min;
	if (in->humidity_max != FIELD_ABSENT)
		s->humidity_max = in->humidity_max;
	if (in->estimate_tolerance_pct != FIELD_ABSENT)
		s->estimate_tolerance_pct = in->estimate_tolerance_pct;
	if (in->igv_rate_bp != FIELD_ABSENT)
		s->igv_rate_bp = in->igv_rate_bp;
	if (in->humidity_policy != NULL) {
		if (strcmp(in->humidity_policy, "warn") != 0 &&
		    strcmp(in->humidity_policy, "refuse") != 0) {
			request_field_error(req, "humidity_policy", "invalid",
			    MSG("Política: warn (advertir) o refuse "
			        "(rechazar)",
			        "Policy: warn or refuse"));
			return false;
		}
		memcpy(s->humidity_policy, in->humidity_policy,
		    strlen(in->humidity_policy) + 1);
	}
	if (in->place_of_sale != NULL)
		memcpy(s->place_of_sale, in->place_of_sale,
		    strlen(in->place_of_sale) + 1);
	if (in->ico_country_code != FIELD_ABSENT)
		s->ico_country_code = in->ico_country_code;
	if (in->ico_exporter_code != NULL) {
		/* "" clears it: no export lots until it is set again. */
		if (in->ico_exporter_code[0] != '\0' &&
		    !export_ico_exporter_valid(in->ico_exporter_code)) {
			request_field_error(req, "ico_exporter_code", "invalid",
			    MSG("El código de exportador ICO tiene de 1 a 6 "
			        "dígitos (861 en 30/861/1544)",
			        "The ICO exporter code has 1 to 6 digits (861 "
			        "in 30/861/1544)"));
			return false;
		}
		memcpy(s->ico_exporter_code, in->ico_exporter_code,
		    strlen(in->ico_exporter_code) + 1);
	}
	if (s->humidity_min > s->humidity_max) {
		request_field_error(req, "humidity_max", "below_min",
		    MSG("La humedad máxima es menor que la mínima",
		        "The maximum humidity is below the minimum"));
		return false;
	}
	return true;
}

/* PATCH /api/v1/settings with If-Match ("<org>.0" before the first save). */
static enum err
settings_patch(struct request *req)
{
	struct settings_in in;
	struct org_settings s;
	json_t *body = NULL, *before = NULL, *after = NULL;
	int64_t org = req->who.org_id;
	enum err rc;

	rc = settings_store_get(req->db, org, &s);
	if (rc != ERR_OK)
		return rc;
	rc = api_if_match(req, org, s.version);
	if (rc != ERR_OK)
		return rc;
	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, settings_fields, &in);
	if (rc != ERR_OK)
		goto out;
	before = settings_json(org, &s);
	if (before == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	if (!settings_apply(req, &in, &s)) {
		rc = ERR_INVALID;
		goto out;
	}
	rc = settings_store_put(req->db, org, s.version, &s);
	if (rc == ERR_OK) {
		after = settings_json(org, &s);
		rc = after != NULL ? ERR_OK : ERR_NOMEM;
	}
	if (rc == ERR_OK)
		rc = api_audit(req, org, "settings.update", "organization", org,
		    before, after);
	if (rc == ERR_OK)
		rc = settings_reply(req, org);
out:
	json_decref(after);
	json_decref(before);
	json_decref(body);
	return rc;
}

/* clang-format off */
const struct route settings_routes[] = {
	{ "GET",   "/api/v1/settings", settings_get,   PERM_ORG_READ,  0 },
	{ "PATCH", "/api/v1/settings", settings_patch, PERM_ORG_ADMIN, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
