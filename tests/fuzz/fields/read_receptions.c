/* fuzz_fields: the readers of src/api/api_receptions.c (see fuzz_fields.h). */
#include "api/api_receptions.c"

#include "fuzz_fields.h"

void
fuzz_read_reception(struct request *req, json_t *body)
{
	struct reception_in in;

	(void)fields_read(req, body, reception_fields, &in);
}
