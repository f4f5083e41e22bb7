/* fuzz_fields: the readers of src/api/api_plant_receipts.c (see fuzz_fields.h).
 */
#include "api/api_plant_receipts.c"

#include "fuzz_fields.h"

void
fuzz_read_plant_receipt(struct request *req, json_t *body)
{
	struct receipt_in in;

	(void)fields_read(req, body, receipt_fields, &in);
}
