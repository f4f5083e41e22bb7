/* fuzz_fields: the readers of src/api/api_organizations.c (see fuzz_fields.h).
 */
#include "api/api_organizations.c"

#include "fuzz_fields.h"

void
fuzz_read_organization(struct request *req, json_t *body)
{
	struct org_in in;
	struct msg why;

	/* org_validate() goes on to the database; its pure checks: */
	if (fields_read(req, body, org_fields, &in) != ERR_OK)
		return;
	if (ruc_check(in.ruc, &why) != ERR_OK)
		request_field_error(req, "ruc", "invalid", why);
	(void)policy_org_kind_parse(in.kind);
}
