/* problem+json building and the error table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/http.h"

static void
test_problem_fields(void **state)
{
	json_t *errors =
	    json_pack("[{s:s, s:s}]", "field", "ruc", "code", "invalid");
	json_t *doc;

	(void)state;
	doc = problem_new(ERR_INVALID,
	    MSG("El RUC no es válido", "The RUC is invalid"), errors, "abc");
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "type")),
	    "/problems/invalid_request");
	assert_int_equal(
	    json_integer_value(json_object_get(doc, "status")), 400);
	assert_string_equal(
	    json_string_value(json_object_get(doc, "code")), "invalid_request");
	assert_string_equal(json_string_value(json_object_get(doc, "detail")),
	    "El RUC no es válido");
	assert_string_equal(
	    json_string_value(json_object_get(doc, "detail_en")),
	    "The RUC is invalid");
	assert_string_equal(
	    json_string_value(json_object_get(doc, "request_id")), "abc");
	assert_int_equal(json_array_size(json_object_get(doc, "errors")), 1);
	assert_string_equal(json_string_value(json_object_get(doc, "title")),
	    "Solicitud inválida");
	json_decref(doc);
	json_decref(errors);
}

static void
test_5xx_never_carries_details(void **state)
{
	json_t *errors = json_pack("[{s:s}]", "field", "secret");
	json_t *doc;

	(void)state;
	doc = problem_new(ERR_DB, MSG("SQL detail", "SQL detail"), errors, "r");
	assert_int_equal(
	    json_integer_value(json_object_get(doc, "status")), 500);
	assert_string_equal(
	    json_string_value(json_object_get(doc, "detail")), "Error interno");
	assert_null(json_object_get(doc, "errors"));
	json_decref(doc);
	json_decref(errors);
}

static void
test_error_table(void **state)
{
	/* clang-format off */
	static const struct {
		enum err e;
		unsigned status;
		const char *code;
	} cases[] = {
		{ ERR_OK, 200, "ok" },
		{ ERR_INVALID, 400, "invalid_request" },
		{ ERR_UNAUTHENTICATED, 401, "unauthenticated" },
		{ ERR_BAD_CREDENTIALS, 401, "invalid_credentials" },
		{ ERR_FORBIDDEN, 403, "forbidden" },
		{ ERR_NOT_FOUND, 404, "not_found" },
		{ ERR_METHOD, 405, "method_not_allowed" },
		{ ERR_CONFLICT, 409, "conflict" },
		{ ERR_PRECONDITION, 412, "precondition_failed" },
		{ ERR_TOO_LARGE, 413, "payload_too_large" },
		{ ERR_MEDIA_TYPE, 415, "unsupported_media_type" },
		{ ERR_UNPROCESSABLE, 422, "unprocessable" },
		{ ERR_PRECOND_REQUIRED, 428, "precondition_required" },
		{ ERR_TOO_MANY, 429, "too_many_requests" },
		{ ERR_DB, 500, "internal" },
		{ ERR_BUSY, 503, "busy" },
	};
	/* clang-format on */
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(err_http_status(cases[i].e), cases[i].status);
		assert_string_equal(err_code(cases[i].e), cases[i].code);
		assert_non_null(err_title_es(cases[i].e));
		assert_non_null(err_title_en(cases[i].e));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_problem_fields),
		cmocka_unit_test(test_5xx_never_carries_details),
		cmocka_unit_test(test_error_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
