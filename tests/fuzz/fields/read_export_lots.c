/* fuzz_fields: the readers of src/api/api_export_lots.c (see fuzz_fields.h). */
#include "api/api_export_lots.c"

#include "fuzz_fields.h"

/* lot_create(): the flat fields, then sources[]. */
void
fuzz_read_export_lot(struct request *req, json_t *body)
{
	struct export_source_in sources[EXPORT_SOURCES_MAX];
	struct lot_in in;
	size_t n;

	(void)fields_read_except(req, body, lot_nested, lot_fields, &in);
	(void)lot_read_sources(
	    req, json_object_get(body, "sources"), sources, &n);
}
