/*
 * Login defence and session lifetimes: throttling per user name with
 * Retry-After, idle and absolute expiry, and the hashing bound.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static void
sleep_s(int s)
{
	struct timespec ts = { s, 0 };

	nanosleep(&ts, NULL);
}

static void
test_throttle_after_five_failures(void **state)
{
	static const char *const hdr[] = { "Content-Type: application/json",
		NULL };
	static const char good[] =
	    "{\"username\":\"a-export\",\"password\":\"" TEST_PASSWORD "\"}";
	struct fixture *f = *state;
	struct session s;
	struct response r;
	char ra[32];
	int i;

	for (i = 0; i < 5; i++)
		assert_int_equal(
		    session_login(f, "a-export", "mala-clave-xx", &s), 401);
	/* The sixth failure locks the name, even for the right password. */
	assert_int_equal(
	    session_login(f, "a-export", "mala-clave-xx", &s), 401);
	http_request(f, "POST", "/api/v1/session", hdr, good, strlen(good), &r);
	assert_int_equal(r.status, 429);
	assert_string_equal(response_code(&r), "too_many_requests");
	assert_non_null(response_header(&r, "Retry-After", ra, sizeof(ra)));
	assert_true(ra[0] >= '1' && ra[0] <= '9');
	response_free(&r);
	/* Other users are not affected. */
	assert_int_equal(session_login(f, "a-clerk", TEST_PASSWORD, &s), 200);
	/* After the wait, the right password works and clears the count. */
	sleep_s(3);
	assert_int_equal(session_login(f, "a-export", TEST_PASSWORD, &s), 200);
}

static void
test_idle_expiry(void **state)
{
	struct fixture *f = *state;
	struct session s;
	struct response r;

	f->cfg.session_idle_s = 1;
	assert_int_equal(harness_restart(f), 0);
	assert_int_equal(session_login(f, "b-admin", TEST_PASSWORD, &s), 200);
	session_call(f, &s, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	sleep_s(3);
	session_call(f, &s, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 401);
	response_free(&r);
	f->cfg.session_idle_s = 0;
	assert_int_equal(harness_restart(f), 0);
}

static void
test_absolute_expiry(void **state)
{
	struct fixture *f = *state;
	struct session s;
	struct response r;
	char cookie[256];

	f->cfg.session_absolute_s = 2;
	assert_int_equal(harness_restart(f), 0);
	assert_int_equal(session_login(f, "b-clerk", TEST_PASSWORD, &s), 200);
	session_call(f, &s, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	sleep_s(3);
	session_call(f, &s, "GET", "/api/v1/me", NULL, &r);
	assert_int_equal(r.status, 401);
	response_free(&r);
	f->cfg.session_absolute_s = 0;
	assert_int_equal(harness_restart(f), 0);
	(void)cookie;
}

static void
test_secure_cookie_when_configured(void **state)
{
	static const char *const hdr[] = { "Content-Type: application/json",
		NULL };
	static const char body[] =
	    "{\"username\":\"d-admin\",\"password\":\"" TEST_PASSWORD "\"}";
	struct fixture *f = *state;
	struct response r;
	char buf[256];

	f->cfg.secure_cookies = true;
	assert_int_equal(harness_restart(f), 0);
	http_request(f, "POST", "/api/v1/session", hdr, body, strlen(body), &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(
	    response_header(&r, "Set-Cookie", buf, sizeof(buf)), "; Secure"));
	response_free(&r);
	f->cfg.secure_cookies = false;
	assert_int_equal(harness_restart(f), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_throttle_after_five_failures),
		cmocka_unit_test(test_idle_expiry),
		cmocka_unit_test(test_absolute_expiry),
		cmocka_unit_test(test_secure_cookie_when_configured),
	};

	return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
