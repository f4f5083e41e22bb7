/*
 * Guía de salida de planta procesadora (issued by the plant for a LOP's
 * export coffee): issue, read (with the carrier's guide, "guía de
 * remisión - transportista", printable from it), list, annul.
 */
#include "pergamino/api.h"
#include "pergamino/api_acopio.h"
#include "pergamino/process.h"
#include "pergamino/stores.h"

struct exit_in {
	int64_t process_settlement_id;
	const char *issued_on;
	const char *series;
	const char *destination;
	const char *destination_address;
	const char *lot_code;
	const char *product_description;
	int64_t sacks;
	int64_t gross_g;
	int64_t tare_g;
	const char *observations;
};

#define EXIT_FIELD(name, type, flags, len, min, max, member, scale)            \
	{                                                                      \
		name, type, flags, len, min, max,                              \
		    offsetof(struct exit_in, member), scale                    \
	}

/* clang-format off */
static const struct field exit_fields[] = {
	EXIT_FIELD("process_settlement_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, process_settlement_id, 0),
	EXIT_FIELD("issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, issued_on, 0),
	EXIT_FIELD("series", FIELD_TEXT, 0, NUMBERING_SERIES_MAX, 0, 0, series, 0),
	EXIT_FIELD("destination", FIELD_TEXT, FIELD_REQUIRED, 200, 0, 0, destination, 0),
	EXIT_FIELD("destination_address", FIELD_TEXT, 0, 300, 0, 0, destination_address, 0),
	EXIT_FIELD("lot_code", FIELD_TEXT, FIELD_NOT_EMPTY, PROCESS_CODE_LEN - 1, 0, 0, lot_code, 0),
	EXIT_FIELD("product_description", FIELD_TEXT, FIELD_NOT_EMPTY, PROCESS_DESCRIPTION_MAX, 0, 0, product_description, 0),
	EXIT_FIELD("sacks", FIELD_INT, FIELD_REQUIRED, 0, 1, PROCESS_SACKS_MAX, sacks, 0),
	EXIT_FIELD("gross_kg", FIELD_DECIMAL, FIELD_REQUIRED, 0, 1, PROCESS_KG_MAX_G, gross_g, 3),
	EXIT_FIELD("tare_kg", FIELD_DECIMAL, FIELD_REQUIRED, 0, 0, PROCESS_KG_MAX_G, tare_g, 3),
	EXIT_FIELD("observations", FIELD_TEXT, 0, 500, 0, 0, observations, 0),
	FIELD_END,
};

static const struct field carrier_fields[] = {
	{ "name", FIELD_TEXT, FIELD_REQUIRED, 120, 0, 0, offsetof(struct plant_carrier, name), 0 },
	{ "doc", FIELD_TEXT, FIELD_REQUIRED, 20, 0, 0, offsetof(struct plant_carrier, doc), 0 },
	{ "plate", FIELD_TEXT, FIELD_REQUIRED, 20, 0, 0, offsetof(struct plant_carrier, plate), 0 },
	{ "licence", FIELD_TEXT, 0, 20, 0, 0, offsetof(struct plant_carrier, licence), 0 },
	{ "brand", FIELD_TEXT, 0, 60, 0, 0, offsetof(struct plant_carrier, brand), 0 },
	{ "mtc", FIELD_TEXT, 0, 40, 0, 0, offsetof(struct plant_carrier, mtc), 0 },
	FIELD_END,
};
/* clang-format on */

static const char *const exit_nested[] = { "carrier", NULL };

/* POST /api/v1/plant-exits */
static enum err
exit_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct rule_error e = { 0 };
	struct plant_exit_new n = { 0 };
	struct exit_in in;
	json_t *body = NULL;
	int64_t id;
	enum err rc, rc2;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read_except(req, body, exit_nested, exit_fields, &in);
	rc2 = fields_read_nested(req, json_object_get(body, "carrier"),
	    "carrier", carrier_fields, &n.carrier);
	if (rc == ERR_OK)
		rc = rc2;
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.process_settlement_id = in.process_settlement_id;
	n.destination = in.destination;
	n.destination_address = in.destination_address;
	n.lot_code = in.lot_code;
	n.product_description = in.product_description;
	n.sacks = in.sacks;
	n.gross_g = in.gross_g;
	n.tare_g = in.tare_g;
	n.observations = in.observations;
	rc = process_exit_issue(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = api_acopio_refused(req, rc, &e);
		goto out;
	}
	rc = api_process_created(req, PROCESS_EXIT, "plant-exits", id);
out:
	json_decref(body);
	return rc;
}

static enum err
exit_get(struct request *req)
{
	return api_process_get(req, PROCESS_EXIT);
}

static enum err
exit_list(struct request *req)
{
	return api_process_list(req, PROCESS_EXIT);
}

static enum err
exit_annul(struct request *req)
{
	return api_process_annul(req, PROCESS_EXIT);
}

/* clang-format off */
const struct route plant_exit_routes[] = {
	{ "GET",  "/api/v1/plant-exits",            exit_list,   PERM_ORG_READ,    0 },
	{ "POST", "/api/v1/plant-exits",            exit_create, PERM_PLANT_WRITE, 0 },
	{ "GET",  "/api/v1/plant-exits/{id}",       exit_get,    PERM_ORG_READ,    0 },
	{ "POST", "/api/v1/plant-exits/{id}/annul", exit_annul,  PERM_PLANT_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
