/* fuzz_fields: the readers of src/api/api_shipments.c (see fuzz_fields.h). */
#include "api/api_shipments.c"

#include "fuzz_fields.h"

/* shipment_create(): the flat fields, then lots[]. */
void
fuzz_read_shipment(struct request *req, json_t *body)
{
	struct shipment_lot_in lots[EXPORT_LOTS_MAX];
	struct shipment_in in;
	size_t n;

	(void)fields_read_except(
	    req, body, shipment_nested, shipment_fields, &in);
	(void)shipment_read_lots(req, json_object_get(body, "lots"), lots, &n);
}
