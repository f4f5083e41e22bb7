/* fuzz_fields: the readers of src/api/api_grants.c (see fuzz_fields.h). */
#include "api/api_grants.c"

#include "fuzz_fields.h"

void
fuzz_read_grant(struct request *req, json_t *body)
{
	struct grant_in in;

	(void)fields_read(req, body, grant_fields, &in);
}
