/* Router pattern matching, as a table of cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "pergamino/http.h"

static void
test_pattern_table(void **state)
{
	/* clang-format off */
	static const struct {
		const char *pattern, *path;
		bool match;
	} cases[] = {
		{ "/api/v1/users", "/api/v1/users", true },
		{ "/api/v1/users", "/api/v1/users/", false },
		{ "/api/v1/users", "/api/v1/user", false },
		{ "/api/v1/users", "/api/v1/usersx", false },
		{ "/api/v1/users", "/api/v1", false },
		{ "/api/v1/users/{id}", "/api/v1/users/12", true },
		{ "/api/v1/users/{id}", "/api/v1/users/abc", true },
		{ "/api/v1/users/{id}", "/api/v1/users/", false },
		{ "/api/v1/users/{id}", "/api/v1/users/1/2", false },
		{ "/api/v1/users/{id}/password", "/api/v1/users/7/password", true },
		{ "/api/v1/users/{id}/password", "/api/v1/users//password", false },
		{ "/api/v1/users/{id}/password", "/api/v1/users/7/passwd", false },
		{ "/api/v1/me", "//api/v1/me", false },
		{ "/api/v1/me", "api/v1/me", false },
		{ "/api/v1/me", "/api/v1/m", false },
		{ "/api/v1/me", "/api/v1/me/", false },
		{ "/api/v1/me/password", "/api/v1/me", false },
		{ "/api/v1/users/{id}", "/api/v1/users/7/", false },
		{ "/api/v1/{kind}/{id}", "/api/v1/lots/7", true },
		{ "/api/v1/{kind}/{id}", "/api/v1//7", false },
		{ "/", "/", true },
		{ "/", "/x", false },
		{ "", "", true },
		{ "", "/", false },
	};
	/* clang-format on */
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (router_pattern_match(cases[i].pattern, cases[i].path) !=
		    cases[i].match)
			fail_msg("%s vs %s", cases[i].pattern, cases[i].path);
}

static void
test_match_captures_params_and_405(void **state)
{
	struct request req;
	const struct route *r;
	char allow[64];
	enum err why;

	(void)state;
	memset(&req, 0, sizeof(req));
	r = router_match(
	    &req, "GET", "/api/v1/users/42", allow, sizeof(allow), &why);
	assert_non_null(r);
	assert_int_equal(why, ERR_OK);
	assert_int_equal(req.param_count, 1);
	assert_string_equal(req.params[0], "42");
	assert_string_equal(allow, "");
	free(req.param_buf);

	memset(&req, 0, sizeof(req));
	r = router_match(
	    &req, "PUT", "/api/v1/users/42", allow, sizeof(allow), &why);
	assert_null(r);
	assert_int_equal(why, ERR_METHOD);
	assert_non_null(strstr(allow, "GET"));
	assert_non_null(strstr(allow, "PATCH"));

	r = router_match(
	    &req, "GET", "/api/v1/nothing", allow, sizeof(allow), &why);
	assert_null(r);
	assert_int_equal(why, ERR_NOT_FOUND);

	/* HEAD is served by GET routes. */
	memset(&req, 0, sizeof(req));
	r = router_match(
	    &req, "HEAD", "/api/v1/health", allow, sizeof(allow), &why);
	assert_non_null(r);
	free(req.param_buf);
}

static void
test_every_route_declares_a_permission(void **state)
{
	const struct route *r;
	size_t t;

	(void)state;
	for (t = 0; api_route_tables[t] != NULL; t++) {
		for (r = api_route_tables[t]; r->method != NULL; r++) {
			assert_non_null(r->handler);
			assert_true(r->perm < PERM_COUNT);
			/* Only login, logout-free health are public. */
			if (r->perm == PERM_PUBLIC &&
			    strcmp(r->pattern, "/api/v1/health") != 0 &&
			    strcmp(r->pattern, "/api/v1/openapi.json") != 0 &&
			    strcmp(r->pattern, "/api/v1/session") != 0)
				fail_msg(
				    "unexpected public route %s", r->pattern);
		}
	}
}

extern const unsigned char openapi_json[];
extern const size_t openapi_json_len;

/* Every route is documented in docs/openapi.json, with its method. */
static void
test_every_route_is_in_openapi(void **state)
{
	const struct route *r;
	json_t *doc, *paths, *item;
	char method[16];
	size_t t, i;

	(void)state;
	doc = json_loadb((const char *)openapi_json, openapi_json_len, 0, NULL);
	assert_non_null(doc);
	paths = json_object_get(doc, "paths");
	assert_non_null(paths);
	for (t = 0; api_route_tables[t] != NULL; t++) {
		for (r = api_route_tables[t]; r->method != NULL; r++) {
			for (i = 0;
			     r->method[i] != '\0' && i + 1 < sizeof(method);
			     i++)
				method[i] = (char)(r->method[i] | 0x20);
			method[i] = '\0';
			item = json_object_get(paths, r->pattern);
			if (item == NULL ||
			    json_object_get(item, method) == NULL)
				fail_msg("%s %s is not in docs/openapi.json",
				    r->method, r->pattern);
		}
	}
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_table),
		cmocka_unit_test(test_match_captures_params_and_405),
		cmocka_unit_test(test_every_route_declares_a_permission),
		cmocka_unit_test(test_every_route_is_in_openapi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
