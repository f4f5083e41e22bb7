/* fuzz_fields: the readers of src/api/api_purchase_settlements.c (see
 * fuzz_fields.h). */
#include "api/api_purchase_settlements.c"

#include "fuzz_fields.h"

void
fuzz_read_purchase_settlement(struct request *req, json_t *body)
{
	struct settlement_in in;

	(void)fields_read(req, body, settlement_fields, &in);
}
