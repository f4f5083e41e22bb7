/*
 * The approved producer list (Lista de Productores Aprobados) of each
 * campaign: list, approve, withdraw.  Only producers on it, with a valid
 * certification, may deliver organic coffee.  Conventional and inactive
 * producers are refused; a withdrawal keeps the entry with its date,
 * author and reason, and a withdrawn producer may be approved again.
 */
#include <string.h>
#include <time.h>

#include "pergamino/api.h"
#include "pergamino/dates.h"
#include "pergamino/jsonx.h"
#include "pergamino/registry.h"

#define LPA_PAGE_DEFAULT 100
#define LPA_PAGE_MAX 1000
/* Peru keeps UTC-5 all year (no daylight saving). */
#define LPA_LIMA_OFFSET_S (-5 * 3600)

struct lpa_in {
	int64_t campaign;
	int64_t producer_id;
	const char *approved_on;
	const char *withdrawn_on;
	const char *reason;
};

static const struct field lpa_approve_fields[] = {
	{ "campaign", FIELD_INT, FIELD_REQUIRED, 0, REGISTRY_CAMPAIGN_MIN,
	    REGISTRY_CAMPAIGN_MAX, offsetof(struct lpa_in, campaign), 0 },
	{ "producer_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX,
	    offsetof(struct lpa_in, producer_id), 0 },
	{ "approved_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0,
	    offsetof(struct lpa_in, approved_on), 0 },
	FIELD_END,
};

static const struct field lpa_withdraw_fields[] = {
	{ "campaign", FIELD_INT, FIELD_REQUIRED, 0, REGISTRY_CAMPAIGN_MIN,
	    REGISTRY_CAMPAIGN_MAX, offsetof(struct lpa_in, campaign), 0 },
	{ "producer_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX,
	    offsetof(struct lpa_in, producer_id), 0 },
	{ "reason", FIELD_TEXT, FIELD_REQUIRED, REGISTRY_REASON_MAX, 0, 0,
	    offsetof(struct lpa_in, reason), 0 },
	{ "withdrawn_on", FIELD_DATE, 0, 0, 0, 0,
	    offsetof(struct lpa_in, withdrawn_on), 0 },
	FIELD_END,
};

/* Today's date in Peru, "YYYY-MM-DD". */
static void
lpa_today(int64_t now, char out[DATE_LEN + 1])
{
	time_t t = (time_t)(now + LPA_LIMA_OFFSET_S);
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(out, DATE_LEN + 1, "%Y-%m-%d", &tm) == 0)
		out[0] = '\0';
}

static enum err
lpa_list(struct request *req)
{
	int64_t limit, cursor, next, campaign, org;
	json_t *items;
	enum err rc;

	rc = request_page(req, LPA_PAGE_DEFAULT, LPA_PAGE_MAX, &limit, &cursor);
	if (rc != ERR_OK)
		return rc;
	rc = registry_query_int(req, "campaign", REGISTRY_CAMPAIGN_MIN,
	    REGISTRY_CAMPAIGN_MAX, &campaign);
	if (rc == ERR_OK && campaign == REGISTRY_NONE)
		rc = request_field_error(req, "campaign", "required",
		    MSG("Indique la campaña (?campaign=2017)",
		        "Give the campaign (?campaign=2017)"));
	if (rc != ERR_OK)
		return rc;
	rc = registry_query_int(req, "organization_id", 1, INT64_MAX, &org);
	if (rc != ERR_OK)
		return rc;
	rc = lpa_store_list_json(req->db, req->who.user_id,
	    org == REGISTRY_NONE ? 0 : org, campaign, cursor, limit, &items,
	    &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

/* The producer named in the body, of the caller's organization. */
static enum err
lpa_producer(struct request *req, int64_t id, json_t **out)
{
	int64_t version;
	enum err rc;

	rc = producer_store_get_json(
	    req->db, req->who.user_id, req->who.org_id, id, out, &version);
	if (rc == ERR_NOT_FOUND)
		return request_field_error(req, "producer_id", "not_found",
		    MSG("El productor no existe", "No such producer"));
	return rc;
}

/* Only active producers that are organic or in transition qualify. */
static enum err
lpa_check_producer(struct request *req, json_t *producer)
{
	const char *status =
	    json_string_value(json_object_get(producer, "status"));

	if (!json_is_true(json_object_get(producer, "active"))) {
		request_field_error(req, "producer_id", "inactive",
		    MSG("El productor está inactivo",
		        "The producer is inactive"));
		return request_fail(req, ERR_UNPROCESSABLE,
		    MSG("Un productor inactivo no puede estar en la LPA",
		        "An inactive producer cannot be on the LPA"));
	}
	if (status == NULL || strcmp(status, "conventional") == 0) {
		request_field_error(req, "producer_id", "conventional",
		    MSG("El productor es convencional",
		        "The producer is conventional"));
		return request_fail(req, ERR_UNPROCESSABLE,
		    MSG("Un productor convencional no puede estar en la LPA",
		        "A conventional producer cannot be on the LPA"));
	}
	return ERR_OK;
}

/* The entry as it is now, or NULL (*out) when there is none. */
static enum err
lpa_entry(struct request *req, const struct lpa_in *in, json_t **out)
{
	enum err rc;

	rc = lpa_store_get_json(req->db, req->who.user_id, req->who.org_id,
	    in->campaign, in->producer_id, out);
	return rc == ERR_NOT_FOUND ? ERR_OK : rc;
}

/* Audit the change and answer with the entry after it. */
static enum err
lpa_finish(struct request *req, const struct lpa_in *in, const char *action,
    unsigned status, json_t *before)
{
	json_t *after = NULL;
	enum err rc;

	rc = lpa_entry(req, in, &after);
	if (rc == ERR_OK && after == NULL)
		rc = ERR_INTERNAL;
	if (rc == ERR_OK)
		rc = api_audit(req, req->who.org_id, action, "producer",
		    in->producer_id, before, after);
	if (rc == ERR_OK)
		return request_reply(req, status, after);
	json_decref(after);
	return rc;
}

/* POST /api/v1/lpa {campaign, producer_id, approved_on} */
static enum err
lpa_approve(struct request *req)
{
	struct lpa_in in;
	json_t *body = NULL, *producer = NULL, *before = NULL;
	enum err rc;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, lpa_approve_fields, &in);
	if (rc == ERR_OK)
		rc = lpa_producer(req, in.producer_id, &producer);
	if (rc == ERR_OK)
		rc = lpa_check_producer(req, producer);
	if (rc == ERR_OK)
		rc = lpa_entry(req, &in, &before);
	if (rc == ERR_OK)
		rc = lpa_store_approve(req->db, req->who.org_id, in.campaign,
		    in.producer_id, in.approved_on, req->who.user_id);
	if (rc == ERR_CONFLICT)
		rc = request_fail(req, rc,
		    MSG("El productor ya está aprobado en la LPA de esa "
		        "campaña",
		        "The producer is already approved on that campaign's "
		        "LPA"));
	if (rc == ERR_OK)
		rc = lpa_finish(req, &in, "lpa.approve", 201, before);
	json_decref(before);
	json_decref(producer);
	json_decref(body);
	return rc;
}

/* Is the entry there and not withdrawn yet? */
static enum err
lpa_check_withdrawable(struct request *req, json_t *entry)
{
	if (entry == NULL)
		return request_fail(req, ERR_CONFLICT,
		    MSG("El productor no está en la LPA de esa campaña",
		        "The producer is not on that campaign's LPA"));
	if (json_is_true(json_object_get(entry, "withdrawn")))
		return request_fail(req, ERR_CONFLICT,
		    MSG("El productor ya fue retirado de la LPA",
		        "The producer was already withdrawn from the LPA"));
	return ERR_OK;
}

/* POST /api/v1/lpa/withdraw {campaign, producer_id, reason[, withdrawn_on]} */
static enum err
lpa_withdraw(struct request *req)
{
	char today[DATE_LEN + 1];
	struct lpa_in in;
	json_t *body = NULL, *producer = NULL, *before = NULL;
	const char *approved_on;
	enum err rc;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read(req, body, lpa_withdraw_fields, &in);
	if (rc == ERR_OK)
		rc = lpa_producer(req, in.producer_id, &producer);
	if (rc == ERR_OK)
		rc = lpa_entry(req, &in, &before);
	if (rc == ERR_OK)
		rc = lpa_check_withdrawable(req, before);
	if (rc != ERR_OK)
		goto out;
	if (in.withdrawn_on == NULL) {
		lpa_today(req->now, today);
		in.withdrawn_on = today;
	}
	approved_on = json_string_value(json_object_get(before, "approved_on"));
	if (approved_on != NULL && strcmp(in.withdrawn_on, approved_on) < 0) {
		rc = request_field_error(req, "withdrawn_on", "before_approval",
		    MSG("La fecha de retiro es anterior a la aprobación",
		        "The withdrawal date is before the approval"));
		goto out;
	}
	if (!registry_text_check(in.reason, "reason", REGISTRY_REASON_MAX,
	        REGISTRY_TEXT_REQUIRED | REGISTRY_TEXT_MULTILINE,
	        registry_report_request, req)) {
		rc = ERR_INVALID;
		goto out;
	}
	rc = lpa_store_withdraw(req->db, req->who.org_id, in.campaign,
	    in.producer_id, in.withdrawn_on, req->who.user_id, in.reason);
	if (rc == ERR_OK)
		rc = lpa_finish(req, &in, "lpa.withdraw", 200, before);
out:
	json_decref(before);
	json_decref(producer);
	json_decref(body);
	return rc;
}

/* clang-format off */
const struct route lpa_routes[] = {
	{ "GET",  "/api/v1/lpa",          lpa_list,     PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/lpa",          lpa_approve,  PERM_COOP_WRITE, 0 },
	{ "POST", "/api/v1/lpa/withdraw", lpa_withdraw, PERM_COOP_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
