/* fuzz_fields: the readers of src/api/api_dispatches.c (see fuzz_fields.h). */
#include "api/api_dispatches.c"

#include "fuzz_fields.h"

void
fuzz_read_dispatch(struct request *req, json_t *body)
{
	struct dispatch_in in;
	struct dispatch_carrier carrier;
	int64_t *ids = NULL;
	size_t count = 0;

	(void)dispatch_read(req, body, &in, &carrier, &ids, &count);
	free(ids);
}
