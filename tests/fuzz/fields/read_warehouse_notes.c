/* fuzz_fields: the readers of src/api/api_warehouse_notes.c (see
 * fuzz_fields.h). */
#include "api/api_warehouse_notes.c"

#include "fuzz_fields.h"

void
fuzz_read_warehouse_note(struct request *req, json_t *body)
{
	struct note_in in;

	(void)fields_read(req, body, note_fields, &in);
}

void
fuzz_read_annul(struct request *req, json_t *body)
{
	struct api_annul_in in;

	(void)fields_read(req, body, api_annul_fields, &in);
}
