/*
 * Registro de exportaciones: a shipment (contract, buyer, invoice, bill
 * of lading, vessel, container, ports, dates) of one or more export lots
 * of the exporter.  Issue, read (with its packing list and weight note),
 * list, annul, and the data of the certificate of transaction.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/export.h"
#include "pergamino/process.h"
#include "pergamino/stores.h"

struct shipment_in {
	const char *issued_on;
	const char *series;
	const char *contract;
	const char *buyer_name;
	const char *buyer_country;
	const char *invoice_number;
	const char *invoice_lot_ref;
	const char *bl_number;
	const char *bl_lot_ref;
	const char *vessel;
	const char *booking;
	const char *container;
	const char *seal;
	const char *port_loading;
	const char *port_destination;
	const char *shipped_on;
	const char *quality;
	int64_t gross_g;
	const char *observations;
};

#define SHIP_FIELD(name, type, flags, len, min, max, member, scale)            \
	{                                                                      \
		name, type, flags, len, min, max,                              \
		    offsetof(struct shipment_in, member), scale                \
	}
#define SHIP_TEXT(name, len, member)                                           \
	SHIP_FIELD(name, FIELD_TEXT, 0, len, 0, 0, member, 0)

/* clang-format off */
static const struct field shipment_fields[] = {
	SHIP_FIELD("issued_on", FIELD_DATE, FIELD_REQUIRED, 0, 0, 0, issued_on, 0),
	SHIP_TEXT("series", NUMBERING_SERIES_MAX, series),
	SHIP_TEXT("contract", EXPORT_CODE_MAX, contract),
	SHIP_FIELD("buyer_name", FIELD_TEXT, FIELD_REQUIRED | FIELD_NOT_EMPTY, EXPORT_TEXT_MAX, 0, 0, buyer_name, 0),
	SHIP_TEXT("buyer_country", 2, buyer_country),
	SHIP_TEXT("invoice_number", EXPORT_CODE_MAX, invoice_number),
	SHIP_TEXT("invoice_lot_ref", EXPORT_TEXT_MAX, invoice_lot_ref),
	SHIP_TEXT("bl_number", EXPORT_CODE_MAX, bl_number),
	SHIP_TEXT("bl_lot_ref", EXPORT_TEXT_MAX, bl_lot_ref),
	SHIP_TEXT("vessel", EXPORT_TEXT_MAX, vessel),
	SHIP_TEXT("booking", EXPORT_CODE_MAX, booking),
	SHIP_TEXT("container", EXPORT_CODE_MAX, container),
	SHIP_TEXT("seal", EXPORT_CODE_MAX, seal),
	SHIP_TEXT("port_loading", EXPORT_TEXT_MAX, port_loading),
	SHIP_TEXT("port_destination", EXPORT_TEXT_MAX, port_destination),
	SHIP_FIELD("shipped_on", FIELD_DATE, 0, 0, 0, 0, shipped_on, 0),
	SHIP_TEXT("quality", EXPORT_TEXT_MAX, quality),
	SHIP_FIELD("gross_kg", FIELD_DECIMAL, 0, 0, 1, EXPORT_KG_MAX_G, gross_g, 3),
	SHIP_TEXT("observations", EXPORT_NOTES_MAX, observations),
	FIELD_END,
};

static const struct field shipment_lot_fields[] = {
	{ "export_lot_id", FIELD_INT, FIELD_REQUIRED, 0, 1, INT64_MAX, offsetof(struct shipment_lot_in, export_lot_id), 0 },
	{ "sacks", FIELD_INT, FIELD_REQUIRED, 0, 1, EXPORT_SACKS_MAX, offsetof(struct shipment_lot_in, sacks), 0 },
	{ "kilos", FIELD_DECIMAL, FIELD_REQUIRED, 0, 1, EXPORT_KG_MAX_G, offsetof(struct shipment_lot_in, kilos_g), 3 },
	FIELD_END,
};
/* clang-format on */

static const char *const shipment_nested[] = { "lots", NULL };

/* The lots array: 1 to EXPORT_LOTS_MAX objects. */
static enum err
shipment_read_lots(
    struct request *req, json_t *arr, struct shipment_lot_in *out, size_t *n)
{
	return fields_read_array(req, arr, "lots", EXPORT_LOTS_MAX,
	    MSG("Indique de 1 a 50 lotes de exportación con sus sacos y "
	        "kilos",
	        "Give 1 to 50 export lots with their sacks and kilos"),
	    shipment_lot_fields, out, sizeof(*out), n);
}

/* POST /api/v1/shipments */
static enum err
shipment_create(struct request *req)
{
	struct actor a = { req->who.user_id, req->who.org_id };
	struct shipment_lot_in lots[EXPORT_LOTS_MAX];
	struct export_error e = { 0 };
	struct shipment_new n = { 0 };
	struct shipment_in in;
	json_t *body = NULL;
	int64_t id;
	enum err rc, rc2;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = fields_read_except(
	    req, body, shipment_nested, shipment_fields, &in);
	rc2 = shipment_read_lots(
	    req, json_object_get(body, "lots"), lots, &n.lot_count);
	if (rc == ERR_OK)
		rc = rc2;
	if (rc != ERR_OK)
		goto out;
	n.series = in.series;
	n.issued_on = in.issued_on;
	n.contract = in.contract;
	n.buyer_name = in.buyer_name;
	n.buyer_country = in.buyer_country;
	n.invoice_number = in.invoice_number;
	n.invoice_lot_ref = in.invoice_lot_ref;
	n.bl_number = in.bl_number;
	n.bl_lot_ref = in.bl_lot_ref;
	n.vessel = in.vessel;
	n.booking = in.booking;
	n.container = in.container;
	n.seal = in.seal;
	n.port_loading = in.port_loading;
	n.port_destination = in.port_destination;
	n.shipped_on = in.shipped_on;
	n.quality = in.quality;
	n.gross_g = in.gross_g == FIELD_ABSENT ? 0 : in.gross_g;
	n.observations = in.observations;
	n.lots = lots;
	rc = export_shipment_issue(req->db, &a, &n, &id, &e);
	if (rc != ERR_OK) {
		rc = api_export_refused(req, rc, &e, "export_lot_id");
		goto out;
	}
	rc = api_export_created(req, EXPORT_SHIPMENT, "shipments", id);
out:
	json_decref(body);
	return rc;
}

static enum err
shipment_get(struct request *req)
{
	return api_export_get(req, EXPORT_SHIPMENT);
}

static enum err
shipment_list(struct request *req)
{
	return api_export_list(req, EXPORT_SHIPMENT);
}

static enum err
shipment_annul(struct request *req)
{
	return api_export_annul(req, EXPORT_SHIPMENT);
}

/* GET /api/v1/shipments/{id}/transaction-certificate */
static enum err
shipment_certificate(struct request *req)
{
	json_t *out;
	int64_t id;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	rc = export_certificate_json(req->db, req->who.user_id, id, &out);
	if (rc == ERR_NOT_FOUND)
		return request_fail(req, rc,
		    MSG("Documento no encontrado", "Document not found"));
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, out);
}

/* clang-format off */
const struct route shipment_routes[] = {
	{ "GET",  "/api/v1/shipments",                               shipment_list,        PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/shipments",                               shipment_create,      PERM_EXPORT_WRITE, 0 },
	{ "GET",  "/api/v1/shipments/{id}",                          shipment_get,         PERM_ORG_READ,     0 },
	{ "GET",  "/api/v1/shipments/{id}/transaction-certificate", shipment_certificate, PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/shipments/{id}/annul",                    shipment_annul,       PERM_EXPORT_WRITE, 0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
