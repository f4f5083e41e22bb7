/* fuzz_fields: the readers of src/api/api_users.c (see fuzz_fields.h). */
#include "api/api_users.c"

#include "fuzz_fields.h"

void
fuzz_read_user_create(struct request *req, json_t *body)
{
	struct user_in in;
	struct msg why;

	if (fields_read(req, body, user_create_fields, &in) != ERR_OK)
		return;
	if (!policy_username_valid(in.username))
		request_field_error(
		    req, "username", "invalid", MSG("invalid", "invalid"));
	(void)policy_role_parse(in.role);
	if (password_policy_check(in.password, in.username, &why) != ERR_OK)
		request_field_error(req, "password", "weak", why);
}

void
fuzz_read_user_patch(struct request *req, json_t *body)
{
	struct user_patch_in in;

	if (fields_read(req, body, user_patch_fields, &in) == ERR_OK &&
	    in.role != NULL)
		(void)policy_role_parse(in.role);
}

void
fuzz_read_user_password(struct request *req, json_t *body)
{
	struct user_password_in in;
	struct msg why;

	if (fields_read(req, body, user_password_fields, &in) == ERR_OK &&
	    password_policy_check(in.password, "fuzz-user", &why) != ERR_OK)
		request_field_error(req, "password", "weak", why);
}
