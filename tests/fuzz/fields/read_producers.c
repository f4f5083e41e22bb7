/* fuzz_fields: the readers of src/api/api_producers.c (see fuzz_fields.h). */
#include "api/api_producers.c"

#include "fuzz_fields.h"

/* producer_create() / producer_patch() up to their first SQL. */
static void
fuzz_read_producer(struct request *req, json_t *body, const struct field *spec)
{
	struct producer_in in;
	struct producer p = { .active = 1 };
	json_t *programs, *others;

	if (producer_read(req, body, spec, &in, &programs, &others) != ERR_OK)
		return;
	producer_apply(&p, &in, programs, others);
	(void)producer_check(&p, registry_report_request, req);
}

void
fuzz_read_producer_create(struct request *req, json_t *body)
{
	fuzz_read_producer(req, body, producer_create_fields);
}

void
fuzz_read_producer_patch(struct request *req, json_t *body)
{
	fuzz_read_producer(req, body, producer_patch_fields);
}
