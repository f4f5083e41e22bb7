/* fuzz_fields: the readers of src/api/api_session.c (see fuzz_fields.h). */
#include "api/api_session.c"

#include "fuzz_fields.h"

void
fuzz_read_login(struct request *req, json_t *body)
{
	struct login_in in;

	(void)fields_read(req, body, login_fields, &in);
}

void
fuzz_read_password_change(struct request *req, json_t *body)
{
	struct password_change_in in;
	struct msg why;

	if (fields_read(req, body, password_change_fields, &in) != ERR_OK)
		return;
	if (password_policy_check(in.new_password, "fuzz-user", &why) != ERR_OK)
		request_field_error(req, "new_password", "weak", why);
}
