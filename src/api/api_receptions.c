/*
 * Control de recepción de materia prima (ticket de pesado): issue, read,
 * list, annul, and the registro de acopio as CSV.
 */
#include "pergamino/acopio.h"
#include "pergamino/api.h"
#include "pergamino/api_acopio.h"
#include "pergamino/csvout.h"
#include "pergamino/jsonx.h"

struct reception_in {
	int64_t producer_id;
	int64_t plot_id;
	const char *issued_on;
	const char *series;
	const char *delivery_code;
	const char *status;
	int64_t sacks;
	int64_t gross_g;
	int64_t tare_g;
	int64_t sample_g;
	int64_t exportable_g;
	int64_t discard_g;
	int64_t husk_g;
	int64_t humidity;
	const char *observations;
	const char *weighed_by;
	int confirm_humidity;
};

#define RECEPTION_FIELD(name, type, flags, len, min, max, member, scale)       \
	{                                                                      \
		name, type, flags, len, min, max,                              \
		    offsetof(struct reception_in, member), scale               \
	}

/* clang-format off */
static const struct field reception_fields[] = {
	RECEPTION_FIELD("producer_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, producer_id, 0),
	RECEPTION_FIELD("plot_id", FIELD_INT, 0, 0, 1, INT64_MAX, plot_id, 0),
	RECEPTION_FIELD("issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, issued_on, 0),
	RECEPTION_FIELD("series", FIELD_TEXT, 0, 16, 0, 0, series, 0),
	RECEPTION_FIELD("delivery_code", FIELD_TEXT, 0, 40, 0, 0, delivery_code, 0),
	RECEPTION_FIELD("status", FIELD_TEXT, FIELD_REQUIRED, 20, 0, 0, status, 0),
	RECEPTION_FIELD("sacks", FIELD_INT, FIELD_REQUIRED, 0, 1, ACOPIO_SACKS_MAX, sacks, 0),
	RECEPTION_FIELD("gross_kg", FIELD_DECIMAL, FIELD_REQUIRED, 0, 1, ACOPIO_KG_MAX_G, gross_g, 3),
	RECEPTION_FIELD("tare_kg", FIELD_DECIMAL, FIELD_REQUIRED, 0, 0, ACOPIO_KG_MAX_G, tare_g, 3),
	RECEPTION_FIELD("sample_g", FIELD_INT, 0, 0, 0, ACOPIO_SAMPLE_MAX_G, sample_g, 0),
	RECEPTION_FIELD("exportable_g", FIELD_INT, 0, 0, 0, ACOPIO_SAMPLE_MAX_G, exportable_g, 0),
	RECEPTION_FIELD("discard_g", FIELD_INT, 0, 0, 0, ACOPIO_SAMPLE_MAX_G, discard_g, 0),
	RECEPTION_FIELD("husk_g", FIELD_INT, 0, 0, 0, ACOPIO_SAMPLE_MAX_G, husk_g, 0),
	RECEPTION_FIELD("humidity", FIELD_DECIMAL, FIELD_REQUIRED, 0, 0, 1000, humidity, 1),
	RECEPTION_FIELD("observations", FIELD_TEXT, 0, 500, 0, 0, observations, 0),
	RECEPTION_FIELD("weighed_by", FIELD_TEXT, 0, 120, 0, 0, weighed_by, 0),
	RECEPTION_FIELD("confirm_humidity", FIELD_BOOL, 0, 0, 0, 0, confirm_humidity, 0),
	FIELD_END,
};
/* clang-format on */

static int64_t
reception_or_zero(int64_t v)
{
	return v == FIELD_ABSENT ? 0 : v;
}

/* POST /api/v1/receptions */
static enum err
reception_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct rule_error e = { 0 };
	struct reception_new n = { 0 };
	struct reception_in in;
	json_t *body = NULL;
	int64_t id;
	enum err rc;

	rc = request_json(req, &body);
	if (rc == ERR_OK)
		rc = fields_read(req, body, reception_fields, &in);
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.producer_id = in.producer_id;
	n.plot_id = reception_or_zero(in.plot_id);
	n.delivery_code = in.delivery_code;
	n.status = in.status;
	n.w.sacks = in.sacks;
	n.w.gross_g = in.gross_g;
	n.w.tare_g = in.tare_g;
	n.w.sample_g = reception_or_zero(in.sample_g);
	n.w.exportable_g = reception_or_zero(in.exportable_g);
	n.w.discard_g = reception_or_zero(in.discard_g);
	n.w.husk_g = reception_or_zero(in.husk_g);
	n.w.humidity = in.humidity;
	n.observations = in.observations;
	n.weighed_by = in.weighed_by;
	n.confirm_humidity = in.confirm_humidity == 1;
	rc = acopio_receive(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = api_acopio_refused(req, rc, &e);
		goto out;
	}
	rc = api_acopio_created(req, ACOPIO_RECEPTION, "receptions", id);
out:
	json_decref(body);
	return rc;
}

static enum err
reception_get(struct request *req)
{
	return api_acopio_get(req, ACOPIO_RECEPTION);
}

static enum err
reception_list(struct request *req)
{
	return api_acopio_list(req, ACOPIO_RECEPTION);
}

static enum err
reception_annul(struct request *req)
{
	return api_acopio_annul(req, ACOPIO_RECEPTION);
}

/* GET /api/v1/receptions.csv: the registro de acopio. */
static enum err
reception_register_csv(struct request *req)
{
	static const char *const header[] = { "N.º ticket", "Fecha", "Campaña",
		"DNI", "Productor", "Caserío", "Código de entrega",
		"Certificación", "Sacos", "Kilos brutos", "Tara kg",
		"Kilos netos", "QQ", "Humedad %", "Rendimiento %",
		"Nota de ingreso", "Estado", NULL };
	struct csvout c;
	json_t *items, *r, *p, *note;
	size_t i;
	enum err rc;

	rc = api_acopio_all(req, ACOPIO_RECEPTION, &items);
	if (rc != ERR_OK)
		return rc;
	csvout_init(&c);
	csvout_header(&c, header);
	json_array_foreach(items, i, r)
	{
		p = json_object_get(r, "producer");
		note = json_object_get(r, "note");
		csvout_field(&c, jsonx_str(r, "number_text"));
		csvout_date(&c, jsonx_str(r, "issued_on"));
		csvout_int(
		    &c, json_integer_value(json_object_get(r, "campaign")));
		csvout_field(&c, jsonx_str(p, "dni"));
		csvout_field(&c, jsonx_str(p, "full_name"));
		csvout_field(&c, jsonx_str(p, "caserio"));
		csvout_field(&c, jsonx_str(r, "delivery_code"));
		csvout_status(&c, jsonx_str(r, "status"));
		csvout_int(&c, json_integer_value(json_object_get(r, "sacks")));
		csvout_field(&c, jsonx_str(r, "gross_kg"));
		csvout_field(&c, jsonx_str(r, "tare_kg"));
		csvout_field(&c, jsonx_str(r, "net_kg"));
		csvout_field(&c, jsonx_str(r, "qq"));
		csvout_field(&c, jsonx_str(r, "humidity"));
		csvout_field(&c,
		    jsonx_str(json_object_get(r, "sample"), "exportable_pct"));
		if (json_is_object(note))
			csvout_int(&c,
			    json_integer_value(
			        json_object_get(note, "number")));
		else
			csvout_field(&c, "");
		csvout_field(&c,
		    json_is_null(json_object_get(r, "annulled")) ? "Vigente"
		                                                 : "Anulado");
		csvout_end_row(&c);
	}
	json_decref(items);
	return csvout_reply(&c, req, "registro-de-acopio.csv");
}

/* clang-format off */
const struct route reception_routes[] = {
	{ "GET",  "/api/v1/receptions",            reception_list,   PERM_ORG_READ,     0 },
	{ "GET",  "/api/v1/receptions.csv",        reception_register_csv, PERM_ORG_READ, 0 },
	{ "POST", "/api/v1/receptions",            reception_create, PERM_COOP_WRITE, 0 },
	{ "GET",  "/api/v1/receptions/{id}",       reception_get,    PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/receptions/{id}/annul", reception_annul,  PERM_COOP_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
