/* fuzz_fields: the readers of src/api/api_process_orders.c (see fuzz_fields.h).
 */
#include "api/api_process_orders.c"

#include "fuzz_fields.h"

/* order_create(): the flat fields, then inputs[]. */
void
fuzz_read_process_order(struct request *req, json_t *body)
{
	struct process_input inputs[PROCESS_INPUTS_MAX];
	struct order_in in;
	size_t n;

	(void)fields_read_except(req, body, order_nested, order_fields, &in);
	(void)order_read_inputs(
	    req, json_object_get(body, "inputs"), inputs, &n);
}
