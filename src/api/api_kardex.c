/*
 * Kárdex de café tipo exportación: derived from the live LOPs (in) and
 * exit guides (out), never typed.  JSON and CSV, per client, with the
 * running balance in kilos and sacks.
 */
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/csvout.h"
#include "pergamino/jsonx.h"
#include "pergamino/parse.h"
#include "pergamino/process.h"

/* ?client_org_id= (optional: every client in sight when absent). */
static enum err
kardex_read(struct request *req, json_t **out)
{
	const char *v = request_query(req, "client_org_id");
	int64_t client = 0;
	enum err rc;

	*out = NULL;
	if (v != NULL && v[0] != '\0' && parse_id(v, &client) != ERR_OK)
		return request_field_error(req, "client_org_id", "invalid",
		    MSG("Debe ser un número entero positivo",
		        "Must be a positive integer"));
	rc = process_kardex_json(req->db, req->who.user_id, client, out);
	if (rc == ERR_TOO_LARGE)
		return request_fail(req, ERR_UNPROCESSABLE,
		    MSG("Demasiadas filas: indique el cliente",
		        "Too many rows: give the client"));
	return rc;
}

/* GET /api/v1/kardex */
static enum err
kardex_get(struct request *req)
{
	json_t *out;
	enum err rc;

	rc = kardex_read(req, &out);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, out);
}

static void
kardex_csv_row(struct csvout *c, json_t *client, json_t *row)
{
	json_t *lop = json_object_get(row, "process_settlement");
	json_t *exit = json_object_get(row, "exit");
	bool in = strcmp(jsonx_str(row, "movement"), "in") == 0;

	csvout_field(c, jsonx_str(client, "name"));
	csvout_field(c, jsonx_str(client, "ruc"));
	csvout_date(c, jsonx_str(row, "date"));
	csvout_field(c, in ? "Ingreso" : "Salida");
	csvout_field(c, jsonx_str(json_object_get(row, "plant"), "name"));
	csvout_field(c, jsonx_str(lop, "number_text"));
	csvout_field(c, jsonx_str(row, "lot_code"));
	csvout_field(c, jsonx_str(row, "characteristics"));
	csvout_field(c, jsonx_str(row, "contract"));
	csvout_field(c, jsonx_str(row, "kilos"));
	csvout_field(c, jsonx_str(row, "qq"));
	csvout_int(c, json_integer_value(json_object_get(row, "sacks")));
	csvout_field(c, jsonx_str(row, "organic_lot"));
	csvout_field(c, jsonx_str(row, "ico_mark"));
	csvout_date(c, in ? "" : jsonx_str(row, "date"));
	csvout_field(c, jsonx_str(exit, "destination"));
	csvout_field(
	    c, jsonx_str(json_object_get(exit, "guide"), "number_text"));
	csvout_field(c, jsonx_str(row, "balance_kg"));
	csvout_int(
	    c, json_integer_value(json_object_get(row, "balance_sacks")));
	csvout_end_row(c);
}

/* GET /api/v1/kardex.csv */
static enum err
kardex_csv(struct request *req)
{
	static const char *const header[] = { "Cliente", "RUC", "Fecha",
		"Movimiento", "Planta", "LOP n.º", "Lote de producto terminado",
		"Defectos / características", "Contrato", "Kilos netos", "QQ",
		"Sacos n.º", "Lote orgánico", "Marca ICO", "Fecha de salida",
		"Destino", "Guía de salida", "Saldo kg", "Saldo sacos", NULL };
	struct csvout c;
	json_t *doc, *entry, *client, *row;
	size_t i, j;
	enum err rc;

	rc = kardex_read(req, &doc);
	if (rc != ERR_OK)
		return rc;
	csvout_init(&c);
	csvout_header(&c, header);
	json_array_foreach(json_object_get(doc, "clients"), i, entry)
	{
		client = json_object_get(entry, "client");
		json_array_foreach(json_object_get(entry, "rows"), j, row)
		    kardex_csv_row(&c, client, row);
	}
	json_decref(doc);
	return csvout_reply(&c, req, "kardex-cafe-exportacion.csv");
}

/* clang-format off */
const struct route kardex_routes[] = {
	{ "GET", "/api/v1/kardex",     kardex_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/kardex.csv", kardex_csv, PERM_ORG_READ, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
