/* fuzz_fields: the readers of src/api/api_plant_exits.c (see fuzz_fields.h). */
#include "api/api_plant_exits.c"

#include "fuzz_fields.h"

/* exit_create(): the flat fields, then the carrier object. */
void
fuzz_read_plant_exit(struct request *req, json_t *body)
{
	struct plant_carrier carrier;
	struct exit_in in;

	(void)fields_read_except(req, body, exit_nested, exit_fields, &in);
	(void)fields_read_nested(req, json_object_get(body, "carrier"),
	    "carrier", carrier_fields, &carrier);
}
