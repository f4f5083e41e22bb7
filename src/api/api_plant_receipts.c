/*
 * Guía de ingreso a planta procesadora (plant receipt) with the registro
 * de recepción's quality columns: issue against a dispatch addressed to
 * the plant, read, list, annul, and the registro de recepción as CSV.
 */
#include "pergamino/api.h"
#include "pergamino/csvout.h"
#include "pergamino/jsonx.h"
#include "pergamino/stores.h"
#include "pergamino/transfer.h"

struct receipt_in {
	const char *series;
	const char *issued_on;
	int64_t dispatch_id;
	const char *carrier_name;
	const char *vehicle_plate;
	const char *product;
	int64_t sacks;
	int64_t gross_g;
	int64_t tare_g;
	int64_t yield_pct;
	int64_t humidity;
	int64_t subproduct_pct;
	int64_t husk_pct;
	int64_t cup_score;
	const char *observations;
};

#define RECEIPT_FIELD(name, type, flags, len, min, max, member, scale)         \
	{                                                                      \
		name, type, flags, len, min, max,                              \
		    offsetof(struct receipt_in, member), scale                 \
	}

/* clang-format off */
static const struct field receipt_fields[] = {
	RECEIPT_FIELD("series", FIELD_TEXT, 0, NUMBERING_SERIES_MAX, 0, 0, series, 0),
	RECEIPT_FIELD("issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, issued_on, 0),
	RECEIPT_FIELD("dispatch_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, dispatch_id, 0),
	RECEIPT_FIELD("carrier_name", FIELD_TEXT, FIELD_NOT_EMPTY, TRANSFER_TEXT_MAX, 0, 0, carrier_name, 0),
	RECEIPT_FIELD("vehicle_plate", FIELD_TEXT, FIELD_NOT_EMPTY, 20, 0, 0, vehicle_plate, 0),
	RECEIPT_FIELD("product", FIELD_TEXT, FIELD_NOT_EMPTY, TRANSFER_TEXT_MAX, 0, 0, product, 0),
	RECEIPT_FIELD("sacks", FIELD_INT, FIELD_REQUIRED, 0, 1, TRANSFER_SACKS_MAX, sacks, 0),
	RECEIPT_FIELD("gross_kg", FIELD_DECIMAL, FIELD_REQUIRED, 0, 1, TRANSFER_KG_MAX_G, gross_g, 3),
	RECEIPT_FIELD("tare_kg", FIELD_DECIMAL, FIELD_REQUIRED, 0, 0, TRANSFER_KG_MAX_G, tare_g, 3),
	RECEIPT_FIELD("yield_pct", FIELD_DECIMAL, 0, 0, 0, TRANSFER_PCT_MAX, yield_pct, 2),
	RECEIPT_FIELD("humidity", FIELD_DECIMAL, 0, 0, 0, TRANSFER_HUMIDITY_MAX, humidity, 1),
	RECEIPT_FIELD("subproduct_pct", FIELD_DECIMAL, 0, 0, 0, TRANSFER_PCT_MAX, subproduct_pct, 2),
	RECEIPT_FIELD("husk_pct", FIELD_DECIMAL, 0, 0, 0, TRANSFER_PCT_MAX, husk_pct, 2),
	RECEIPT_FIELD("cup_score", FIELD_DECIMAL, 0, 0, 0, TRANSFER_SCORE_MAX, cup_score, 2),
	RECEIPT_FIELD("observations", FIELD_TEXT, 0, 500, 0, 0, observations, 0),
	FIELD_END,
};
/* clang-format on */

/* An optional figure as the service wants it. */
static int64_t
receipt_opt(int64_t v)
{
	return v == FIELD_ABSENT ? TRANSFER_UNSET : v;
}

/* POST /api/v1/plant-receipts */
static enum err
receipt_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct transfer_error e = { 0 };
	struct plant_receipt_new n = { 0 };
	struct receipt_in in;
	json_t *body = NULL;
	int64_t id;
	enum err rc;

	rc = request_json(req, &body);
	if (rc == ERR_OK)
		rc = fields_read(req, body, receipt_fields, &in);
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.dispatch_id = in.dispatch_id;
	n.carrier_name = in.carrier_name;
	n.vehicle_plate = in.vehicle_plate;
	n.product = in.product;
	n.w.sacks = in.sacks;
	n.w.gross_g = in.gross_g;
	n.w.tare_g = in.tare_g;
	n.w.yield_pct = receipt_opt(in.yield_pct);
	n.w.humidity = receipt_opt(in.humidity);
	n.w.subproduct_pct = receipt_opt(in.subproduct_pct);
	n.w.husk_pct = receipt_opt(in.husk_pct);
	n.w.cup_score = receipt_opt(in.cup_score);
	n.observations = in.observations;
	rc = transfer_receive(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = api_transfer_refused(req, rc, &e);
		goto out;
	}
	rc = api_transfer_created(
	    req, TRANSFER_PLANT_RECEIPT, "plant-receipts", id);
out:
	json_decref(body);
	return rc;
}

static enum err
receipt_get(struct request *req)
{
	return api_transfer_get(req, TRANSFER_PLANT_RECEIPT);
}

static enum err
receipt_list(struct request *req)
{
	return api_transfer_list(req, TRANSFER_PLANT_RECEIPT);
}

static enum err
receipt_annul(struct request *req)
{
	return api_transfer_annul(req, TRANSFER_PLANT_RECEIPT);
}

/*
 * One line of the registro de recepción: the organization's documents
 * (its guía de remisión), then the plant's reception data and quality.
 */
static void
receipt_csv_row(struct csvout *c, json_t *r)
{
	json_t *client = json_object_get(r, "client");
	json_t *d = json_object_get(r, "dispatch");

	csvout_field(c, jsonx_str(client, "name"));
	csvout_field(c, jsonx_str(client, "ruc"));
	csvout_date(c, jsonx_str(d, "issued_on"));
	csvout_field(c, jsonx_str(d, "number_text"));
	csvout_field(c, jsonx_str(r, "coffee_type"));
	csvout_int(c, json_integer_value(json_object_get(d, "sacks")));
	csvout_field(c, jsonx_str(d, "declared_kg"));
	csvout_date(c, jsonx_str(r, "issued_on"));
	csvout_field(c, jsonx_str(r, "number_text"));
	csvout_int(c, json_integer_value(json_object_get(r, "sacks")));
	csvout_field(c, jsonx_str(r, "gross_kg"));
	csvout_field(c, jsonx_str(r, "tare_kg"));
	csvout_field(c, jsonx_str(r, "net_kg"));
	csvout_field(c, jsonx_str(r, "yield_pct"));
	csvout_field(c, jsonx_str(r, "humidity"));
	csvout_field(c, jsonx_str(r, "subproduct_pct"));
	csvout_field(c, jsonx_str(r, "husk_pct"));
	csvout_field(c, jsonx_str(r, "cup_score"));
	csvout_field(c,
	    json_is_null(json_object_get(r, "annulled")) ? "Vigente"
	                                                 : "Anulado");
	csvout_end_row(c);
}

/* GET /api/v1/plant-receipts.csv: the registro de recepción. */
static enum err
receipt_register_csv(struct request *req)
{
	static const char *const header[] = { "Cliente", "RUC cliente", "Fecha",
		"Guía remisión n.º", "Tipo de café", "Sacos n.º", "Kilos kg",
		"Fecha de ingreso", "Guía de ingreso n.º", "Sacos recibidos",
		"Kilos brutos kg", "Tara kg", "Kilos netos kg", "Rendimiento %",
		"Humedad %", "Subproducto %", "Cáscara %", "Puntaje SCAA",
		"Estado", NULL };
	struct csvout c;
	json_t *items, *r;
	size_t i;
	enum err rc;

	rc = api_transfer_all(req, TRANSFER_PLANT_RECEIPT, &items);
	if (rc != ERR_OK)
		return rc;
	csvout_init(&c);
	csvout_header(&c, header);
	json_array_foreach(items, i, r)
	{
		receipt_csv_row(&c, r);
	}
	json_decref(items);
	return csvout_reply(&c, req, "registro-de-recepcion.csv");
}

/* clang-format off */
const struct route plant_receipt_routes[] = {
	{ "GET",  "/api/v1/plant-receipts",            receipt_list,         PERM_ORG_READ,    0 },
	{ "GET",  "/api/v1/plant-receipts.csv",        receipt_register_csv, PERM_ORG_READ,    0 },
	{ "POST", "/api/v1/plant-receipts",            receipt_create,       PERM_PLANT_WRITE, 0 },
	{ "GET",  "/api/v1/plant-receipts/{id}",       receipt_get,          PERM_ORG_READ,    0 },
	{ "POST", "/api/v1/plant-receipts/{id}/annul", receipt_annul,        PERM_PLANT_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
