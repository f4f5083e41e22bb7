/*
 * Orden de marcado de sacos (cooperative -> plant, for a process order):
 * issue, read, list, annul.  Its number prints as the guide's "029-17".
 */
#include "pergamino/api.h"
#include "pergamino/api_acopio.h"
#include "pergamino/process.h"
#include "pergamino/stores.h"

#define MARKING_PER_SACK_MAX_G 1000000 /* 1 000 kg: no sack weighs more */

struct marking_in {
	int64_t process_order_id;
	const char *issued_on;
	const char *series;
	int64_t sacks;
	const char *marks;
	const char *ico_mark;
	const char *organic_lot;
	const char *contract;
	int64_t net_per_sack_g;
	const char *delivery_on;
	const char *delivery_place;
	const char *observation;
};

#define MARKING_FIELD(name, type, flags, len, min, max, member, scale)         \
	{                                                                      \
		name, type, flags, len, min, max,                              \
		    offsetof(struct marking_in, member), scale                 \
	}

/* clang-format off */
static const struct field marking_fields[] = {
	MARKING_FIELD("process_order_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, process_order_id, 0),
	MARKING_FIELD("issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, issued_on, 0),
	MARKING_FIELD("series", FIELD_TEXT, 0, NUMBERING_SERIES_MAX, 0, 0, series, 0),
	MARKING_FIELD("sacks", FIELD_INT, FIELD_REQUIRED, 0, 1, PROCESS_SACKS_MAX, sacks, 0),
	MARKING_FIELD("marks", FIELD_TEXT, FIELD_REQUIRED, PROCESS_MARKS_LEN - 1, 0, 0, marks, 0),
	MARKING_FIELD("ico_mark", FIELD_TEXT, 0, PROCESS_CODE_LEN - 1, 0, 0, ico_mark, 0),
	MARKING_FIELD("organic_lot", FIELD_TEXT, 0, PROCESS_CODE_LEN - 1, 0, 0, organic_lot, 0),
	MARKING_FIELD("contract", FIELD_TEXT, 0, PROCESS_CODE_LEN - 1, 0, 0, contract, 0),
	MARKING_FIELD("net_per_sack_kg", FIELD_DECIMAL, 0, 0, 1, MARKING_PER_SACK_MAX_G, net_per_sack_g, 3),
	MARKING_FIELD("delivery_on", FIELD_DATE, 0, 0, 0, 0, delivery_on, 0),
	MARKING_FIELD("delivery_place", FIELD_TEXT, 0, 200, 0, 0, delivery_place, 0),
	MARKING_FIELD("observation", FIELD_TEXT, 0, 500, 0, 0, observation, 0),
	FIELD_END,
};
/* clang-format on */

/* POST /api/v1/marking-orders */
static enum err
marking_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct rule_error e = { 0 };
	struct marking_order_new n = { 0 };
	struct marking_in in;
	json_t *body = NULL;
	int64_t id;
	enum err rc;

	rc = request_json(req, &body);
	if (rc == ERR_OK)
		rc = fields_read(req, body, marking_fields, &in);
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.process_order_id = in.process_order_id;
	n.sacks = in.sacks;
	n.marks = in.marks;
	n.ico_mark = in.ico_mark;
	n.organic_lot = in.organic_lot;
	n.contract = in.contract;
	n.net_per_sack_g =
	    in.net_per_sack_g == FIELD_ABSENT ? 0 : in.net_per_sack_g;
	n.delivery_on = in.delivery_on;
	n.delivery_place = in.delivery_place;
	n.observation = in.observation;
	rc = process_marking_issue(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = api_acopio_refused(req, rc, &e);
		goto out;
	}
	rc = api_process_created(req, PROCESS_MARKING, "marking-orders", id);
out:
	json_decref(body);
	return rc;
}

static enum err
marking_get(struct request *req)
{
	return api_process_get(req, PROCESS_MARKING);
}

static enum err
marking_list(struct request *req)
{
	return api_process_list(req, PROCESS_MARKING);
}

static enum err
marking_annul(struct request *req)
{
	return api_process_annul(req, PROCESS_MARKING);
}

/* clang-format off */
const struct route marking_order_routes[] = {
	{ "GET",  "/api/v1/marking-orders",            marking_list,   PERM_ORG_READ,   0 },
	{ "POST", "/api/v1/marking-orders",            marking_create, PERM_COOP_WRITE, 0 },
	{ "GET",  "/api/v1/marking-orders/{id}",       marking_get,    PERM_ORG_READ,   0 },
	{ "POST", "/api/v1/marking-orders/{id}/annul", marking_annul,  PERM_COOP_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
