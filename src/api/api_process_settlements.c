/*
 * Liquidación de orden de proceso (LOP, issued by the plant): issue with
 * its outputs (mass balance to the gram), read, list, annul, and the
 * registro de café procesado as CSV.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/api_acopio.h"
#include "pergamino/csvout.h"
#include "pergamino/jsonx.h"
#include "pergamino/process.h"
#include "pergamino/stores.h"

struct lop_in {
	int64_t process_order_id;
	const char *issued_on;
	const char *series;
	const char *lot_code;
	const char *characteristics;
	const char *observations;
};

/* The outputs object, in the order of enum process_output. */
struct lop_outputs_in {
	int64_t g[PROCESS_OUT_COUNT];
};

#define LOP_OUTPUT(o)                                                          \
	{                                                                      \
		NULL, FIELD_DECIMAL, 0, 0, 0, PROCESS_KG_MAX_G,                \
		    offsetof(struct lop_outputs_in, g) +                       \
		    (o) * sizeof(int64_t),                                     \
		    3                                                          \
	}

/* clang-format off */
static const struct field lop_fields[] = {
	{ "process_order_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, offsetof(struct lop_in, process_order_id), 0 },
	{ "issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, offsetof(struct lop_in, issued_on), 0 },
	{ "series", FIELD_TEXT, 0, NUMBERING_SERIES_MAX, 0, 0, offsetof(struct lop_in, series), 0 },
	{ "lot_code", FIELD_TEXT, FIELD_NOT_EMPTY, PROCESS_CODE_LEN - 1, 0, 0, offsetof(struct lop_in, lot_code), 0 },
	{ "characteristics", FIELD_TEXT, 0, PROCESS_QUALITY_LEN - 1, 0, 0, offsetof(struct lop_in, characteristics), 0 },
	{ "observations", FIELD_TEXT, 0, 500, 0, 0, offsetof(struct lop_in, observations), 0 },
	FIELD_END,
};
/* clang-format on */

static const char *const lop_nested[] = { "outputs", NULL };

/*
 * The outputs spec, named from the categories' keys (process_rules.c) so
 * the API and the database say the same words.
 */
static void
lop_output_fields(struct field spec[PROCESS_OUT_COUNT + 1])
{
	static const struct field tmpl[PROCESS_OUT_COUNT] = {
		LOP_OUTPUT(0),
		LOP_OUTPUT(1),
		LOP_OUTPUT(2),
		LOP_OUTPUT(3),
		LOP_OUTPUT(4),
		LOP_OUTPUT(5),
		LOP_OUTPUT(6),
		LOP_OUTPUT(7),
		LOP_OUTPUT(8),
		LOP_OUTPUT(9),
	};
	static const struct field end = FIELD_END;
	int o;

	for (o = 0; o < PROCESS_OUT_COUNT; o++) {
		spec[o] = tmpl[o];
		spec[o].name = process_output_key(o);
	}
	spec[PROCESS_OUT_COUNT] = end;
}

/* POST /api/v1/process-settlements */
static enum err
lop_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct field out_spec[PROCESS_OUT_COUNT + 1];
	struct rule_error e = { 0 };
	struct process_settlement_new n = { 0 };
	struct lop_outputs_in outs;
	struct lop_in in;
	json_t *body = NULL, *v;
	int64_t id;
	enum err rc, rc2;
	int o;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read_except(req, body, lop_nested, lop_fields, &in);
	lop_output_fields(out_spec);
	v = json_object_get(body, "outputs");
	if (v == NULL || json_is_null(v))
		rc2 = request_field_error(req, "outputs", "required",
		    MSG("Indique las salidas del proceso en kilos",
		        "Give the process outputs in kilos"));
	else
		rc2 = fields_read_nested(req, v, "outputs", out_spec, &outs);
	if (rc == ERR_OK)
		rc = rc2;
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.process_order_id = in.process_order_id;
	n.lot_code = in.lot_code;
	n.characteristics = in.characteristics;
	n.observations = in.observations;
	/* outs is read: request_field_error never returns ERR_OK. */
	for (o = 0; o < PROCESS_OUT_COUNT; o++)
		// NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
		n.outputs_g[o] = outs.g[o] == FIELD_ABSENT ? 0 : outs.g[o];
	rc = process_settle(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = api_acopio_refused(req, rc, &e);
		goto out;
	}
	rc = api_process_created(
	    req, PROCESS_SETTLEMENT, "process-settlements", id);
out:
	json_decref(body);
	return rc;
}

static enum err
lop_get(struct request *req)
{
	return api_process_get(req, PROCESS_SETTLEMENT);
}

static enum err
lop_list(struct request *req)
{
	return api_process_list(req, PROCESS_SETTLEMENT);
}

static enum err
lop_annul(struct request *req)
{
	return api_process_annul(req, PROCESS_SETTLEMENT);
}

static const char *
lop_text_value(json_t *v)
{
	const char *s = json_string_value(v);

	return s != NULL ? s : "";
}

/* The "kilos" of the output row with this key, or "". */
static const char *
lop_output_kilos(json_t *lop, const char *key)
{
	json_t *row;
	size_t i;

	json_array_foreach(json_object_get(lop, "outputs"), i, row)
	{
		if (strcmp(jsonx_str(row, "key"), key) == 0)
			return jsonx_str(row, "kilos");
	}
	return "0.000";
}

/* "EU, NOP" from ["EU", "NOP"]. */
static void
lop_programs(json_t *arr, char out[PROCESS_PROGRAMS_LEN])
{
	json_t *v;
	size_t i, len = 0;
	int n;

	out[0] = '\0';
	json_array_foreach(arr, i, v)
	{
		n = snprintf(out + len, PROCESS_PROGRAMS_LEN - len, "%s%s",
		    i > 0 ? ", " : "", lop_text_value(v));
		if (n < 0 || (size_t)n >= PROCESS_PROGRAMS_LEN - len)
			return;
		len += (size_t)n;
	}
}

/* GET /api/v1/process-settlements.csv: the registro de café procesado. */
static enum err
lop_register_csv(struct request *req)
{
	static const char *const header[] = { "LOP n.º", "Fecha", "Cliente",
		"RUC cliente", "Contrato", "Tipo de proceso", "Características",
		"Lote de producto terminado", "Certificación", "Programas",
		"Orden de proceso", "Kilos ingresados", "Café exportación kg",
		"Sacos exportación (69 kg)", "QQ exportación",
		"Café exportación MC kg", "Café segunda kg",
		"Café descarte máquina kg", "Café descarte de escojo kg",
		"Café bola kg", "Café cisco kg", "Total en café kg",
		"Piedras y otros kg", "Cáscara y otros kg",
		"Merma declarada kg", "Rendimiento %", "Estado", NULL };
	static const char *const grades[] = { "export_mc", "second",
		"machine_discard", "sorting_discard", "bola", "cisco",
		"coffee_total", "stones", "husk", "shrinkage", NULL };
	struct csvout c;
	json_t *items, *r, *client, *exp;
	char programs[PROCESS_PROGRAMS_LEN];
	size_t i, g;
	enum err rc;

	rc = api_process_all(req, PROCESS_SETTLEMENT, &items);
	if (rc != ERR_OK)
		return rc;
	csvout_init(&c);
	csvout_header(&c, header);
	json_array_foreach(items, i, r)
	{
		client = json_object_get(r, "client");
		exp = json_object_get(r, "export");
		csvout_field(&c, jsonx_str(r, "number_text"));
		csvout_date(&c, jsonx_str(r, "issued_on"));
		csvout_field(&c, jsonx_str(client, "name"));
		csvout_field(&c, jsonx_str(client, "ruc"));
		csvout_field(&c, jsonx_str(r, "contract"));
		csvout_field(&c, jsonx_str(r, "process_type"));
		csvout_field(&c, jsonx_str(r, "characteristics"));
		csvout_field(&c, jsonx_str(r, "lot_code"));
		csvout_status(&c, jsonx_str(r, "status"));
		lop_programs(json_object_get(r, "programs"), programs);
		csvout_field(&c, programs);
		csvout_field(&c,
		    jsonx_str(
		        json_object_get(r, "process_order"), "number_text"));
		csvout_field(&c, jsonx_str(r, "input_kg"));
		csvout_field(&c, jsonx_str(exp, "kilos"));
		csvout_int(
		    &c, json_integer_value(json_object_get(exp, "sacks")));
		csvout_field(&c, jsonx_str(exp, "qq"));
		for (g = 0; grades[g] != NULL; g++)
			csvout_field(&c, lop_output_kilos(r, grades[g]));
		csvout_field(&c, jsonx_str(r, "yield_pct"));
		csvout_field(&c,
		    json_is_null(json_object_get(r, "annulled")) ? "Vigente"
		                                                 : "Anulado");
		csvout_end_row(&c);
	}
	json_decref(items);
	return csvout_reply(&c, req, "registro-de-cafe-procesado.csv");
}

/* clang-format off */
const struct route process_settlement_routes[] = {
	{ "GET",  "/api/v1/process-settlements",            lop_list,         PERM_ORG_READ,    0 },
	{ "GET",  "/api/v1/process-settlements.csv",        lop_register_csv, PERM_ORG_READ,    0 },
	{ "POST", "/api/v1/process-settlements",            lop_create,       PERM_PLANT_WRITE, 0 },
	{ "GET",  "/api/v1/process-settlements/{id}",       lop_get,          PERM_ORG_READ,    0 },
	{ "POST", "/api/v1/process-settlements/{id}/annul", lop_annul,        PERM_PLANT_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
