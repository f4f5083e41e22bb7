/* fuzz_fields: the readers of src/api/api_process_settlements.c (see
 * fuzz_fields.h). */
#include "api/api_process_settlements.c"

#include "fuzz_fields.h"

/* lop_create(): the flat fields, then the outputs object. */
void
fuzz_read_process_settlement(struct request *req, json_t *body)
{
	struct field out_spec[PROCESS_OUT_COUNT + 1];
	struct lop_outputs_in outs;
	struct lop_in in;
	json_t *v;

	(void)fields_read_except(req, body, lop_nested, lop_fields, &in);
	lop_output_fields(out_spec);
	v = json_object_get(body, "outputs");
	if (v != NULL && !json_is_null(v))
		(void)fields_read_nested(req, v, "outputs", out_spec, &outs);
}
