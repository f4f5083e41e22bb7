/* fuzz_fields: the readers of src/api/api_tokens.c (see fuzz_fields.h). */
#include "api/api_tokens.c"

#include "fuzz_fields.h"

void
fuzz_read_token(struct request *req, json_t *body)
{
	struct token_in in;

	(void)fields_read(req, body, token_fields, &in);
}
