/* fuzz_fields: the readers of src/api/api_lpa.c (see fuzz_fields.h). */
#include "api/api_lpa.c"

#include "fuzz_fields.h"

void
fuzz_read_lpa_approve(struct request *req, json_t *body)
{
	struct lpa_in in;

	(void)fields_read(req, body, lpa_approve_fields, &in);
}

void
fuzz_read_lpa_withdraw(struct request *req, json_t *body)
{
	struct lpa_in in;

	(void)fields_read(req, body, lpa_withdraw_fields, &in);
}
