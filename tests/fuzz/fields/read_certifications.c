/* fuzz_fields: the readers of src/api/api_certifications.c (see fuzz_fields.h).
 */
#include "api/api_certifications.c"

#include "fuzz_fields.h"

void
fuzz_read_certification(struct request *req, json_t *body)
{
	struct certification_in in;

	if (fields_read(req, body, certification_fields, &in) == ERR_OK)
		(void)certification_program_valid(in.program);
}
