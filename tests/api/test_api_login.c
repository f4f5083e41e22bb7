/*
 * Login defence and session lifetimes: throttling per user name with
 * Retry-After, idle and absolute expiry, and the hashing bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "pergamino/db.h"

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

/* Seconds in the Retry-After of a 429 for user's next attempt, or -1. */
static int
locked_for(struct fixture *f, const char *user)
{
	static const char *const hdr[] = { "Content-Type: application/json",
		NULL };
	struct response r;
	char body[256], ra[32];
	int s = -1;

	snprintf(body, sizeof(body),
	    "{\"username\":\"%s\",\"password\":\"" TEST_PASSWORD "\"}", user);
	http_request(f, "POST", "/api/v1/session", hdr, body, strlen(body), &r);
	if (r.status == 429 &&
	    response_header(&r, "Retry-After", ra, sizeof(ra)) != NULL)
		s = atoi(ra);
	response_free(&r);
	return s;
}

/*
 * The backoff doubles with each failure past the free ones (2 s, 4 s,
 * ...), attempts while locked are refused without being counted, and it
 * stops at a hard limit: one hour, for the right password too.
 */
static void
test_backoff_doubles_to_a_hard_stop(void **state)
{
	struct fixture *f = *state;
	struct session s;
	int i, w;

	assert_int_equal(harness_exec(f, "DELETE FROM login_failures"), 0);
	for (i = 0; i < 6; i++)
		assert_int_equal(
		    session_login(f, "c-auditor2", "mala-clave-xx", &s), 401);
	w = locked_for(f, "c-auditor2");
	assert_true(w >= 1 && w <= 2);
	/* Refused while locked, and the refusal does not lengthen it. */
	for (i = 0; i < 5; i++)
		assert_int_equal(
		    session_login(f, "c-auditor2", "mala-clave-xx", &s), 429);
	assert_true(locked_for(f, "c-auditor2") <= 2);
	sleep_s(3);
	/* The seventh failure locks for twice as long. */
	assert_int_equal(
	    session_login(f, "c-auditor2", "mala-clave-xx", &s), 401);
	w = locked_for(f, "c-auditor2");
	assert_true(w >= 3 && w <= 4);
	/*
	 * Forty failures in (set directly: waiting out the doublings would
	 * take hours): the next one locks for the hard limit, 3600 s, not
	 * 2^35 s.
	 */
	assert_int_equal(harness_exec(f,
	                     "UPDATE login_failures SET failures = 40,"
	                     " locked_until = 0, last_failure_at = unixepoch()"
	                     " WHERE subject = 'user:c-auditor2'"),
	    0);
	assert_int_equal(
	    session_login(f, "c-auditor2", "mala-clave-xx", &s), 401);
	w = locked_for(f, "c-auditor2");
	assert_true(w >= 3590 && w <= 3600);
	assert_int_equal(harness_exec(f, "DELETE FROM login_failures"), 0);
	assert_int_equal(
	    session_login(f, "c-auditor2", TEST_PASSWORD, &s), 200);
}

/*
 * Guessing across many user names from one address (credential stuffing)
 * locks the address after 20 failures, even for a real account with its
 * right password; another user name does not reset it.
 */
static void
test_address_locked_after_twenty_failures(void **state)
{
	struct fixture *f = *state;
	struct session s;
	char name[32];
	int i, w;

	assert_int_equal(harness_exec(f, "DELETE FROM login_failures"), 0);
	for (i = 0; i < 21; i++) {
		snprintf(name, sizeof(name), "nadie-%d", i);
		assert_int_equal(
		    session_login(f, name, "mala-clave-xx", &s), 401);
	}
	w = locked_for(f, "d-admin");
	assert_true(w >= 1 && w <= 2);
	assert_int_equal(harness_exec(f, "DELETE FROM login_failures"), 0);
	assert_int_equal(session_login(f, "d-admin", TEST_PASSWORD, &s), 200);
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
		cmocka_unit_test(test_backoff_doubles_to_a_hard_stop),
		cmocka_unit_test(test_address_locked_after_twenty_failures),
		cmocka_unit_test(test_idle_expiry),
		cmocka_unit_test(test_absolute_expiry),
		cmocka_unit_test(test_secure_cookie_when_configured),
	};

	return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
