/* fuzz_fields: the readers of src/api/api_settings.c (see fuzz_fields.h). */
#include "api/api_settings.c"

#include "fuzz_fields.h"

void
fuzz_read_settings(struct request *req, json_t *body)
{
	struct settings_in in;
	struct org_settings s = { 0 };

	if (fields_read(req, body, settings_fields, &in) == ERR_OK)
		(void)settings_apply(req, &in, &s);
}
