/*
 * Traceability routes: the trace through any document of the chain
 * (backward to the producers, forward to export lots and shipments), the
 * producer's forward trace (by id or DNI), the trace explorer's search,
 * the recall (JSON and CSV) and the EUDR geolocation of an export lot or
 * shipment.  The answers are built in src/service/trace.c; scoping is in
 * SQL (src/db/trace_store.c).
 */
#include <stdlib.h>
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/csvout.h"
#include "pergamino/ids.h"
#include "pergamino/jsonx.h"
#include "pergamino/parse.h"
#include "pergamino/registry.h"
#include "pergamino/trace.h"

#define TRACE_PREFIX "/api/v1/trace/"
#define TRACE_Q_MAX 100      /* bytes of a search */
#define GEOJSON_PRECISION 10 /* significant digits: 7 decimals of 3 */

/* The kind of the route's pattern "/api/v1/trace/<kind>/{id}...". */
static bool
trace_route_kind(const struct request *req, enum trace_kind *out)
{
	const char *p = req->route->pattern + strlen(TRACE_PREFIX);
	const char *end = strchr(p, '/');
	char seg[32];
	size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

	if (len >= sizeof(seg))
		return false;
	memcpy(seg, p, len);
	seg[len] = '\0';
	return trace_kind_parse(seg, out);
}

/* GET /api/v1/trace/<kind>/{id} */
static enum err
trace_get(struct request *req)
{
	enum trace_kind kind;
	int64_t id;
	char *out;
	enum err rc;

	if (!trace_route_kind(req, &kind))
		return ERR_INTERNAL;
	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	rc = trace_document_text(req->db, req->who.user_id, kind, id, &out);
	if (rc != ERR_OK)
		return rc;
	return request_reply_json_text(req, 200, out);
}

/* GET /api/v1/trace/producers?dni=08754611 */
static enum err
trace_producer_dni(struct request *req)
{
	const char *dni = request_query(req, "dni");
	struct msg why;
	int64_t id;
	char *out;
	enum err rc;

	if (dni == NULL || dni[0] == '\0')
		return request_field_error(req, "dni", "required",
		    MSG("Indique el DNI del productor",
		        "Give the producer's DNI"));
	if (dni_check(dni, &why) != ERR_OK)
		return request_field_error(req, "dni", "invalid", why);
	rc = trace_store_producer_by_dni(req->db, req->who.user_id, dni, &id);
	if (rc != ERR_OK)
		return rc;
	if (id == 0)
		return request_fail(req, ERR_NOT_FOUND,
		    MSG("No hay un productor con ese DNI a su alcance",
		        "No producer with that DNI in your scope"));
	rc = trace_producer_text(req->db, req->who.user_id, id, &out);
	if (rc != ERR_OK)
		return rc;
	return request_reply_json_text(req, 200, out);
}

/* GET /api/v1/trace/search?q=...&limit= */
static enum err
trace_search(struct request *req)
{
	const char *q = request_query(req, "q");
	const char *lim = request_query(req, "limit");
	char fold[TRACE_Q_MAX * 2 + 1];
	uint64_t limit = 20;
	json_t *items;
	enum err rc;

	if (q == NULL || q[0] == '\0')
		return request_field_error(req, "q", "required",
		    MSG("Escriba qué buscar: lote, marca ICO, contrato, DNI,"
		        " nombre o número de documento",
		        "Type what to search: lot, ICO mark, contract, DNI,"
		        " name or document number"));
	if (strlen(q) > TRACE_Q_MAX)
		return request_field_error(req, "q", "too_long",
		    MSG("La búsqueda es demasiado larga",
		        "The search is too long"));
	if (lim != NULL &&
	    (parse_uint(lim, TRACE_SEARCH_MAX, &limit) != ERR_OK || limit == 0))
		return request_field_error(req, "limit", "invalid",
		    MSG("Debe ser un entero entre 1 y 50",
		        "Must be an integer from 1 to 50"));
	/* Names are compared folded: "perez" finds "Pérez" (registry.h). */
	if (!registry_fold(q, fold, sizeof(fold)))
		fold[0] = '\0';
	rc = trace_store_search(
	    req->db, req->who.user_id, q, fold, (int64_t)limit, &items);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, json_pack("{s:o}", "items", items));
}

/* GeoJSON answer (application/geo+json), coordinates as numbers. */
static enum err
trace_geojson_get(struct request *req)
{
	enum trace_kind kind;
	int64_t id;
	json_t *out;
	char *text;
	enum err rc;

	if (!trace_route_kind(req, &kind))
		return ERR_INTERNAL;
	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	rc = trace_geojson(req->db, req->who.user_id, kind, id, &out);
	if (rc != ERR_OK)
		return rc;
	text = jsonx_dumps(
	    out, JSON_COMPACT | JSON_REAL_PRECISION(GEOJSON_PRECISION));
	json_decref(out);
	if (text == NULL)
		return ERR_NOMEM;
	rc = request_reply_text(
	    req, 200, "application/geo+json", text, strlen(text));
	free(text);
	return rc;
}

/* ---- recall ---- */

static const struct {
	const char *param;
	enum trace_kind kind;
} recall_sources[] = {
	{ "producer_id", TRACE_PRODUCER },
	{ "plot_id", TRACE_PLOT },
	{ "reception_id", TRACE_RECEPTION },
	{ "plant_receipt_id", TRACE_PLANT_RECEIPT },
};

#define RECALL_SOURCES (sizeof(recall_sources) / sizeof(recall_sources[0]))

/* Exactly one source parameter, as an id. */
static enum err
recall_source(struct request *req, enum trace_kind *kind, int64_t *id)
{
	const char *v, *which = NULL;
	size_t i;

	for (i = 0; i < RECALL_SOURCES; i++) {
		v = request_query(req, recall_sources[i].param);
		if (v == NULL)
			continue;
		if (which != NULL)
			return request_field_error(req, recall_sources[i].param,
			    "conflict",
			    MSG("Indique una sola fuente del retiro",
			        "Give only one source of the recall"));
		which = recall_sources[i].param;
		if (parse_id(v, id) != ERR_OK)
			return request_field_error(req, which, "invalid",
			    MSG("Debe ser un número entero positivo",
			        "Must be a positive integer"));
		*kind = recall_sources[i].kind;
	}
	if (which == NULL)
		return request_field_error(req, "producer_id", "required",
		    MSG("Indique producer_id, plot_id, reception_id o"
		        " plant_receipt_id",
		        "Give producer_id, plot_id, reception_id or"
		        " plant_receipt_id"));
	return ERR_OK;
}

static void
recall_csv_row(struct csvout *c, const char *type, json_t *doc,
    const char *number, const char *date, json_t *producer, const char *perg,
    const char *green, const char *detail)
{
	csvout_field(c, type);
	csvout_int(c, json_integer_value(json_object_get(doc, "id")));
	csvout_field(c, number);
	csvout_date(c, date);
	csvout_field(c, jsonx_str(producer, "full_name"));
	csvout_field(c, jsonx_str(producer, "dni"));
	csvout_field(c, perg);
	csvout_field(c, green);
	csvout_field(c, detail);
	csvout_end_row(c);
}

static void
recall_csv_producer(struct csvout *c, json_t *m)
{
	json_t *producer = json_object_get(m, "producer"), *e;
	char detail[64];
	size_t i;

	json_array_foreach(json_object_get(m, "dispatches"), i, e)
	{
		snprintf(detail, sizeof(detail), "guía id %lld",
		    (long long)json_integer_value(
		        json_object_get(e, "dispatch_id")));
		recall_csv_row(c,
		    json_is_true(json_object_get(m, "is_source"))
		        ? "Productor (fuente)"
		        : "Productor mezclado",
		    producer, "", "", producer, jsonx_str(e, "pergamino_kg"),
		    "", detail);
	}
	json_array_foreach(json_object_get(m, "export_lots"), i, e)
	{
		snprintf(detail, sizeof(detail), "lote de exportación id %lld",
		    (long long)json_integer_value(
		        json_object_get(e, "export_lot_id")));
		recall_csv_row(c,
		    json_is_true(json_object_get(m, "is_source"))
		        ? "Productor (fuente)"
		        : "Productor mezclado",
		    producer, "", "", producer, "", jsonx_str(e, "green_kg"),
		    detail);
	}
}

static enum err
recall_csv(struct request *req, json_t *doc)
{
	static const char *const header[] = { "Tipo", "Id", "Documento",
		"Fecha", "Productor", "DNI", "Kilos pergamino", "Kilos verde",
		"Detalle", NULL };
	struct csvout c;
	json_t *e, *lot;
	size_t i;

	csvout_init(&c);
	csvout_header(&c, header);
	json_array_foreach(json_object_get(doc, "export_lots"), i, e)
	{
		lot = json_object_get(e, "export_lot");
		recall_csv_row(&c, "Lote de exportación", lot,
		    jsonx_str(lot, "organic_lot"), jsonx_str(lot, "issued_on"),
		    NULL, jsonx_str(e, "source_pergamino_kg"),
		    jsonx_str(e, "source_green_kg"),
		    jsonx_str(lot, "ico_mark"));
	}
	json_array_foreach(json_object_get(doc, "shipments"), i, e)
	{
		recall_csv_row(&c, "Embarque", e, jsonx_str(e, "number_text"),
		    jsonx_str(e, "issued_on"), NULL, "", jsonx_str(e, "kg"),
		    jsonx_str(e, "bl_number"));
	}
	json_array_foreach(json_object_get(doc, "producers"), i, e)
	    recall_csv_producer(&c, e);
	json_decref(doc);
	return csvout_reply(&c, req, "retiro.csv");
}

/* GET /api/v1/recall?producer_id=|plot_id=|reception_id=|plant_receipt_id= */
static enum err
recall_get(struct request *req)
{
	const char *format = request_query(req, "format");
	enum trace_kind kind = TRACE_PRODUCER;
	int64_t id = 0;
	json_t *out;
	enum err rc;

	if (format != NULL && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0)
		return request_field_error(req, "format", "invalid",
		    MSG("Formato: json o csv", "Format: json or csv"));
	rc = recall_source(req, &kind, &id);
	if (rc != ERR_OK)
		return rc;
	rc = trace_recall_json(req->db, req->who.user_id, kind, id, &out);
	if (rc != ERR_OK)
		return rc;
	if (format != NULL && strcmp(format, "csv") == 0)
		return recall_csv(req, out);
	return request_reply(req, 200, out);
}

/* clang-format off */
const struct route trace_routes[] = {
	{ "GET", "/api/v1/trace/search", trace_search, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/producers", trace_producer_dni, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/producers/{id}", trace_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/plots/{id}", trace_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/receptions/{id}", trace_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/warehouse-notes/{id}", trace_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/dispatches/{id}", trace_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/plant-receipts/{id}", trace_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/process-orders/{id}", trace_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/process-settlements/{id}", trace_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/export-lots/{id}", trace_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/export-lots/{id}/geojson", trace_geojson_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/shipments/{id}", trace_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/trace/shipments/{id}/geojson", trace_geojson_get, PERM_ORG_READ, 0 },
	{ "GET", "/api/v1/recall", recall_get, PERM_ORG_READ, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
