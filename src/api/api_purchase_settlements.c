/*
 * Liquidación de compra: issue, read, list, annul, and the registro de
 * ventas (per producer with ?producer_id=) as CSV.
 */
#include "pergamino/acopio.h"
#include "pergamino/api.h"
#include "pergamino/api_acopio.h"
#include "pergamino/csvout.h"
#include "pergamino/jsonx.h"

struct settlement_in {
	int64_t note_id;
	const char *issued_on;
	const char *series;
	const char *place_of_sale;
};

/* clang-format off */
static const struct field settlement_fields[] = {
	{ "note_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, offsetof(struct settlement_in, note_id), 0 },
	{ "issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, offsetof(struct settlement_in, issued_on), 0 },
	{ "series", FIELD_TEXT, 0, 16, 0, 0, offsetof(struct settlement_in, series), 0 },
	{ "place_of_sale", FIELD_TEXT, 0, 120, 0, 0, offsetof(struct settlement_in, place_of_sale), 0 },
	FIELD_END,
};
/* clang-format on */

/* POST /api/v1/purchase-settlements */
static enum err
settlement_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct rule_error e = { 0 };
	struct settlement_new n = { 0 };
	struct settlement_in in;
	json_t *body = NULL;
	int64_t id;
	enum err rc;

	rc = request_json(req, &body);
	if (rc == ERR_OK)
		rc = fields_read(req, body, settlement_fields, &in);
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.note_id = in.note_id;
	n.place_of_sale = in.place_of_sale;
	rc = acopio_settle(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = api_acopio_refused(req, rc, &e);
		goto out;
	}
	rc = api_acopio_created(
	    req, ACOPIO_SETTLEMENT, "purchase-settlements", id);
out:
	json_decref(body);
	return rc;
}

static enum err
settlement_get(struct request *req)
{
	return api_acopio_get(req, ACOPIO_SETTLEMENT);
}

static enum err
settlement_list(struct request *req)
{
	return api_acopio_list(req, ACOPIO_SETTLEMENT);
}

static enum err
settlement_annul(struct request *req)
{
	return api_acopio_annul(req, ACOPIO_SETTLEMENT);
}

/* GET /api/v1/purchase-settlements.csv: the registro de ventas. */
static enum err
settlement_register_csv(struct request *req)
{
	static const char *const header[] = { "Fecha", "Entrega n.º",
		"Cantidad (kg)", "QQ", "Tipo de café vendido",
		"Liquidación de compra n.º", "Precio por QQ S/", "Total S/",
		"DNI", "Socio", "Nota de ingreso", "Estado", NULL };
	struct csvout c;
	json_t *items, *s, *p;
	size_t i;
	enum err rc;

	rc = api_acopio_all(req, ACOPIO_SETTLEMENT, &items);
	if (rc != ERR_OK)
		return rc;
	csvout_init(&c);
	csvout_header(&c, header);
	json_array_foreach(items, i, s)
	{
		p = json_object_get(s, "producer");
		csvout_date(&c, jsonx_str(s, "issued_on"));
		csvout_field(&c,
		    jsonx_str(
		        json_object_get(s, "reception"), "delivery_code"));
		csvout_field(&c, jsonx_str(s, "net_kg"));
		csvout_field(&c, jsonx_str(s, "qq"));
		csvout_field(&c, jsonx_str(s, "quality"));
		csvout_field(&c, jsonx_str(s, "number_text"));
		csvout_field(&c, jsonx_str(s, "price_per_qq"));
		csvout_field(&c, jsonx_str(s, "total"));
		csvout_field(&c, jsonx_str(p, "dni"));
		csvout_field(&c, jsonx_str(p, "full_name"));
		csvout_int(&c,
		    json_integer_value(
		        json_object_get(json_object_get(s, "note"), "number")));
		csvout_field(&c,
		    json_is_null(json_object_get(s, "annulled")) ? "Vigente"
		                                                 : "Anulada");
		csvout_end_row(&c);
	}
	json_decref(items);
	return csvout_reply(&c, req, "registro-de-ventas.csv");
}

/* clang-format off */
const struct route settlement_routes[] = {
	{ "GET",  "/api/v1/purchase-settlements",            settlement_list,   PERM_ORG_READ,     0 },
	{ "GET",  "/api/v1/purchase-settlements.csv",        settlement_register_csv, PERM_ORG_READ, 0 },
	{ "POST", "/api/v1/purchase-settlements",            settlement_create, PERM_COOP_WRITE, 0 },
	{ "GET",  "/api/v1/purchase-settlements/{id}",       settlement_get,    PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/purchase-settlements/{id}/annul", settlement_annul,  PERM_COOP_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
