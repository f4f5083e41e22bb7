/*
 * Reports: the mass balance of an organization's coffee for a period
 * (JSON and CSV), the lot report of an export lot (its backward trace in
 * report form, JSON and CSV) and the registers of every document of the
 * chain as CSV, each scoped to the caller.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/csvout.h"
#include "pergamino/dates.h"
#include "pergamino/jsonx.h"
#include "pergamino/parse.h"
#include "pergamino/report.h"
#include "pergamino/trace.h"
#include "pergamino/units.h"

#define REGISTERS_PREFIX "/api/v1/reports/registers/"

/* ?format=json|csv: true for CSV. */
static enum err
report_format(struct request *req, bool *csv)
{
	const char *f = request_query(req, "format");

	*csv = false;
	if (f == NULL || strcmp(f, "json") == 0)
		return ERR_OK;
	if (strcmp(f, "csv") == 0) {
		*csv = true;
		return ERR_OK;
	}
	return request_field_error(req, "format", "invalid",
	    MSG("Formato: json o csv", "Format: json or csv"));
}

/* An optional (or required) ?name=YYYY-MM-DD. */
static enum err
report_date(
    struct request *req, const char *name, bool required, const char **out)
{
	const char *v = request_query(req, name);

	*out = NULL;
	if (v == NULL || v[0] == '\0') {
		if (!required)
			return ERR_OK;
		return request_field_error(req, name, "required",
		    MSG("Indique la fecha (AAAA-MM-DD)",
		        "Give the date (YYYY-MM-DD)"));
	}
	if (!date_valid(v))
		return request_field_error(req, name, "invalid",
		    MSG("Fecha no válida: use AAAA-MM-DD",
		        "Invalid date: use YYYY-MM-DD"));
	*out = v;
	return ERR_OK;
}

/* ---- mass balance ---- */

static void
mass_balance_csv_row(struct csvout *c, json_t *status, const char *section,
    json_t *line, const char *label_key)
{
	csvout_field(c, jsonx_str(status, "status_label"));
	csvout_field(c, section);
	csvout_field(c, jsonx_str(line, label_key));
	csvout_field(c, jsonx_str(line, "kg"));
	if (json_object_get(line, "count") != NULL)
		csvout_int(
		    c, json_integer_value(json_object_get(line, "count")));
	else
		csvout_field(c, "");
	csvout_end_row(c);
}

static enum err
mass_balance_csv(struct request *req, json_t *doc)
{
	static const char *const header[] = { "Certificación", "Sección",
		"Concepto", "Kilos", "Documentos", NULL };
	struct csvout c;
	json_t *st, *l;
	size_t i, j;

	csvout_init(&c);
	csvout_header(&c, header);
	json_array_foreach(json_object_get(doc, "statuses"), i, st)
	{
		json_array_foreach(json_object_get(st, "lines"), j, l)
		    mass_balance_csv_row(&c, st, "Movimiento", l, "label_es");
		json_array_foreach(json_object_get(st, "processed_by_grade"), j,
		    l) mass_balance_csv_row(&c, st, "Salida de proceso", l,
		    "category");
		json_array_foreach(json_object_get(st, "stock"), j, l)
		    mass_balance_csv_row(&c, st, "Existencias", l, "label_es");
		json_array_foreach(json_object_get(st, "shrinkage"), j, l)
		    mass_balance_csv_row(&c, st, "Merma", l, "label_es");
		json_array_foreach(json_object_get(st, "warnings"), j, l)
		{
			csvout_field(&c, jsonx_str(st, "status_label"));
			csvout_field(&c, "Advertencia");
			csvout_field(&c, jsonx_str(l, "message_es"));
			csvout_field(&c, jsonx_str(l, "excess_kg"));
			csvout_field(&c, "");
			csvout_end_row(&c);
		}
	}
	json_decref(doc);
	return csvout_reply(&c, req, "balance-de-masas.csv");
}

/* GET /api/v1/reports/mass-balance?from=&to=[&organization_id=][&format=] */
static enum err
mass_balance_get(struct request *req)
{
	const char *from, *to, *org_text;
	int64_t org = req->who.org_id;
	json_t *out;
	bool csv;
	enum err rc;

	rc = report_format(req, &csv);
	if (rc == ERR_OK)
		rc = report_date(req, "from", true, &from);
	if (rc == ERR_OK)
		rc = report_date(req, "to", true, &to);
	if (rc != ERR_OK)
		return rc;
	/*
	 * Both set: report_date fails for a missing required date, as
	 * request_field_error never returns ERR_OK (not seen from this file).
	 */
	// NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
	if (strcmp(from, to) > 0)
		return request_field_error(req, "to", "before_from",
		    MSG("La fecha final es anterior a la inicial",
		        "The end date is before the start date"));
	org_text = request_query(req, "organization_id");
	if (org_text != NULL && parse_id(org_text, &org) != ERR_OK)
		return request_field_error(req, "organization_id", "invalid",
		    MSG("Debe ser un número entero positivo",
		        "Must be a positive integer"));
	if (org <= 0)
		return request_field_error(req, "organization_id", "required",
		    MSG("Indique la organización", "Give the organization"));
	rc = report_mass_balance_json(
	    req->db, req->who.user_id, org, from, to, &out);
	if (rc == ERR_NOT_FOUND)
		return request_fail(req, rc,
		    MSG("Organización fuera de su alcance",
		        "Organization not in your scope"));
	if (rc != ERR_OK)
		return rc;
	if (csv)
		return mass_balance_csv(req, out);
	return request_reply(req, 200, out);
}

/* ---- lot report ---- */

/* A node's member as CSV text (numbers as text too). */
static void
lot_csv_member(struct csvout *c, json_t *node, const char *k)
{
	json_t *v = json_object_get(node, k);

	if (json_is_integer(v))
		csvout_int(c, json_integer_value(v));
	else
		csvout_field(c, json_string_value(v));
}

/* The node of kind (list key) with id in doc's list, or NULL. */
static json_t *
lot_find(json_t *doc, const char *list, json_t *id)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(doc, list), i, v)
	{
		if (json_equal(json_object_get(v, "id"), id))
			return v;
	}
	return NULL;
}

static void
lot_csv_flow(struct csvout *c, json_t *doc, json_t *lot, json_t *f)
{
	json_t *del = NULL, *prod = NULL, *v;
	size_t i;

	json_array_foreach(json_object_get(doc, "deliveries"), i, v)
	{
		if (json_equal(
		        json_object_get(json_object_get(v, "reception"), "id"),
		        json_object_get(f, "reception_id")))
			del = v;
	}
	json_array_foreach(json_object_get(doc, "producers"), i, v)
	{
		if (json_equal(
		        json_object_get(json_object_get(v, "producer"), "id"),
		        json_object_get(f, "producer_id")))
			prod = json_object_get(v, "producer");
	}
	lot_csv_member(c, lot, "organic_lot");
	lot_csv_member(c, lot, "ico_mark");
	lot_csv_member(c, prod, "dni");
	lot_csv_member(c, prod, "full_name");
	lot_csv_member(c, json_object_get(del, "plot"), "name");
	lot_csv_member(c, json_object_get(del, "reception"), "number_text");
	csvout_date(
	    c, jsonx_str(json_object_get(del, "reception"), "issued_on"));
	lot_csv_member(c, json_object_get(del, "note"), "number_text");
	lot_csv_member(c, json_object_get(del, "settlement"), "number_text");
	lot_csv_member(c,
	    lot_find(doc, "dispatches", json_object_get(f, "dispatch_id")),
	    "number_text");
	lot_csv_member(c,
	    lot_find(
	        doc, "plant_receipts", json_object_get(f, "plant_receipt_id")),
	    "number_text");
	lot_csv_member(c,
	    lot_find(
	        doc, "process_orders", json_object_get(f, "process_order_id")),
	    "number_text");
	lot_csv_member(c,
	    lot_find(doc, "process_settlements",
	        json_object_get(f, "process_settlement_id")),
	    "number_text");
	lot_csv_member(c, f, "category");
	lot_csv_member(c, f, "delivered_kg");
	lot_csv_member(c, f, "pergamino_kg");
	lot_csv_member(c, f, "green_kg");
	csvout_end_row(c);
}

static enum err
lot_report_csv(struct request *req, json_t *doc)
{
	static const char *const header[] = { "Lote orgánico", "Marca ICO",
		"DNI", "Productor", "Parcela", "Ticket", "Fecha de recepción",
		"Nota de ingreso", "Liquidación de compra", "Guía de remisión",
		"Guía de ingreso", "Orden de proceso", "LOP",
		"Salida de la LOP", "Kilos entregados",
		"Kilos pergamino en el lote", "Kilos verde en el lote", NULL };
	json_t *lot = json_object_get(json_object_get(doc, "root"), "document");
	struct csvout c;
	json_t *f;
	size_t i;

	csvout_init(&c);
	csvout_header(&c, header);
	json_array_foreach(json_object_get(doc, "flows"), i, f)
	    lot_csv_flow(&c, doc, lot, f);
	json_decref(doc);
	return csvout_reply(&c, req, "reporte-de-lote.csv");
}

/* GET /api/v1/reports/export-lots/{id}[?format=csv] */
static enum err
lot_report_get(struct request *req)
{
	int64_t id;
	json_t *out;
	bool csv;
	enum err rc;

	rc = report_format(req, &csv);
	if (rc == ERR_OK)
		rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	rc = trace_document_json(
	    req->db, req->who.user_id, TRACE_EXPORT_LOT, id, &out);
	if (rc != ERR_OK)
		return rc;
	if (csv)
		return lot_report_csv(req, out);
	if (json_object_set_new(out, "report", json_string("export-lot")) ||
	    json_object_set_new(out, "generated_at", jsonx_time(req->now))) {
		json_decref(out);
		return ERR_NOMEM;
	}
	return request_reply(req, 200, out);
}

/* ---- registers ---- */

struct register_ctx {
	struct csvout *c;
	const char *formats;
};

static void
register_cell(struct csvout *c, sqlite3_stmt *st, int col, char format)
{
	int64_t v = sqlite3_column_int64(st, col);

	if (sqlite3_column_type(st, col) == SQLITE_NULL && format != 'a') {
		csvout_field(c, "");
		return;
	}
	switch (format) {
	case 'd':
		csvout_date(c, db_column_text(st, col));
		break;
	case 'k':
		csvout_decimal(c, v, 3, 2);
		break;
	case 'i':
		csvout_int(c, v);
		break;
	case 'm':
	case 'p':
		csvout_decimal(c, v, 2, 2);
		break;
	case 'h':
		csvout_decimal(c, v, 1, 1);
		break;
	case 's':
		csvout_status(c, db_column_text(st, col));
		break;
	case 'a':
		csvout_field(c, v != 0 ? "Anulado" : "Vigente");
		break;
	default:
		csvout_field(c, db_column_text(st, col));
		break;
	}
}

static void
register_row(void *arg, sqlite3_stmt *st)
{
	struct register_ctx *ctx = arg;
	size_t i, n = strlen(ctx->formats);

	for (i = 0; i < n; i++)
		register_cell(ctx->c, st, (int)i, ctx->formats[i]);
	csvout_end_row(ctx->c);
}

/* GET /api/v1/reports/registers/<name>.csv[?from=&to=] */
static enum err
register_get(struct request *req)
{
	const char *p = req->route->pattern + strlen(REGISTERS_PREFIX);
	const struct report_register *reg;
	struct register_ctx ctx;
	struct csvout c;
	const char *from, *to;
	char name[48];
	size_t len = strcspn(p, ".");
	enum err rc;

	if (len >= sizeof(name))
		return ERR_INTERNAL;
	memcpy(name, p, len);
	name[len] = '\0';
	reg = report_register_find(name);
	if (reg == NULL)
		return ERR_INTERNAL;
	rc = report_date(req, "from", false, &from);
	if (rc == ERR_OK)
		rc = report_date(req, "to", false, &to);
	if (rc != ERR_OK)
		return rc;
	csvout_init(&c);
	csvout_header(&c, reg->header);
	ctx.c = &c;
	ctx.formats = reg->formats;
	rc = report_register_rows(
	    req->db, req->who.user_id, reg, from, to, register_row, &ctx);
	if (rc != ERR_OK) {
		csvout_clear(&c);
		return rc;
	}
	return csvout_reply(&c, req, reg->filename);
}

/* clang-format off */
const struct route report_routes[] = {
	{ "GET", "/api/v1/reports/mass-balance", mass_balance_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/reports/export-lots/{id}", lot_report_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/reports/registers/receptions.csv", register_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/reports/registers/warehouse-notes.csv", register_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/reports/registers/purchase-settlements.csv", register_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/reports/registers/dispatches.csv", register_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/reports/registers/plant-receipts.csv", register_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/reports/registers/process-settlements.csv", register_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/reports/registers/plant-exits.csv", register_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/reports/registers/export-lots.csv", register_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/reports/registers/shipments.csv", register_get, PERM_ORG_READ, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
