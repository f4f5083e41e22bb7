/* fuzz_fields: the readers of src/api/api_numbering.c (see fuzz_fields.h). */
#include "api/api_numbering.c"

#include "fuzz_fields.h"

void
fuzz_read_numbering(struct request *req, json_t *body)
{
	struct numbering_in in;

	(void)fields_read(req, body, numbering_fields, &in);
}
