/* fuzz_fields: the readers of src/api/api_marking_orders.c (see fuzz_fields.h).
 */
#include "api/api_marking_orders.c"

#include "fuzz_fields.h"

void
fuzz_read_marking_order(struct request *req, json_t *body)
{
	struct marking_in in;

	(void)fields_read(req, body, marking_fields, &in);
}
