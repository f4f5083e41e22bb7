/*
 * Reads check the session as fully as writes.  A read no longer derives
 * the CSRF token (only writes and GET /api/v1/me need it), and nothing
 * about a session is cached between requests: a logout, a revoked token
 * or an idle session is refused on the very next read of a document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

/* A document read: 404 when signed in (no such reception), 401 when not. */
#define READ_PATH "/api/v1/receptions/999999"

static long
read_status(struct fixture *f, struct session *s)
{
	struct response r;
	long status;

	assert_int_equal(session_call(f, s, "GET", READ_PATH, NULL, &r), 0);
	status = r.status;
	response_free(&r);
	return status;
}

static struct session
login(struct fixture *f, enum test_user u)
{
	struct session s;

	assert_int_equal(
	    session_login(f, f->users[u].username, TEST_PASSWORD, &s), 200);
	return s;
}

static void
test_me_shows_the_csrf_token(void **state)
{
	struct fixture *f = *state;
	struct session s = login(f, TU_A_ADMIN);
	struct response r;

	assert_int_equal(read_status(f, &s), 404);
	assert_int_equal(session_call(f, &s, "GET", "/api/v1/me", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    json_string_value(json_object_get(r.json, "csrf_token")), s.csrf);
	response_free(&r);
	/* A write after reads still checks the token. */
	s.csrf[0] ^= 1;
	assert_int_equal(session_call(f, &s, "POST", "/api/v1/tokens",
	                     "{\"name\":\"x\"}", &r),
	    0);
	assert_int_equal(r.status, 403);
	response_free(&r);
}

static void
test_logout_refuses_the_next_read(void **state)
{
	struct fixture *f = *state;
	struct session s = login(f, TU_A_CLERK);
	struct response r;

	assert_int_equal(read_status(f, &s), 404);
	assert_int_equal(
	    session_call(f, &s, "DELETE", "/api/v1/session", NULL, &r), 0);
	assert_int_equal(r.status, 204);
	response_free(&r);
	assert_int_equal(read_status(f, &s), 401);
}

static void
test_revoked_token_refuses_the_next_read(void **state)
{
	struct fixture *f = *state;
	struct session s = login(f, TU_A_ADMIN), t;
	struct response r;
	char path[64];
	json_int_t id;

	assert_int_equal(session_call(f, &s, "POST", "/api/v1/tokens",
	                     "{\"name\":\"lector\"}", &r),
	    0);
	assert_int_equal(r.status, 201);
	memset(&t, 0, sizeof(t));
	snprintf(t.bearer, sizeof(t.bearer), "%s",
	    json_string_value(json_object_get(r.json, "token")));
	id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	assert_int_equal(read_status(f, &t), 404);
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld", (long long)id);
	assert_int_equal(session_call(f, &s, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 204);
	response_free(&r);
	assert_int_equal(read_status(f, &t), 401);
}

static void
test_idle_session_refuses_the_next_read(void **state)
{
	struct fixture *f = *state;
	struct timespec gap = { 3, 0 };
	struct session s;

	f->cfg.session_idle_s = 1;
	assert_int_equal(harness_restart(f), 0);
	s = login(f, TU_B_ADMIN);
	assert_int_equal(read_status(f, &s), 404);
	nanosleep(&gap, NULL);
	assert_int_equal(read_status(f, &s), 401);
	f->cfg.session_idle_s = 0;
	assert_int_equal(harness_restart(f), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_me_shows_the_csrf_token),
		cmocka_unit_test(test_logout_refuses_the_next_read),
		cmocka_unit_test(test_revoked_token_refuses_the_next_read),
		cmocka_unit_test(test_idle_session_refuses_the_next_read),
	};

	return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
