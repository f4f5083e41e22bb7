/*
 * Login defence figures (docs/reliability.md): an unknown user name and a
 * wrong password get the same answer, byte for byte and in time, and a
 * storm of concurrent logins is shed with fast 503s while a signed-in
 * clerk keeps being served.
 *
 * Environment (all optional):
 *   PERGAMINO_LOGIN_SAMPLES=200     timing samples per path
 *   PERGAMINO_LOGIN_REAL_COST=1     time both paths at the production
 *                                   argon2id cost (~100 ms, 64 MiB each)
 *   PERGAMINO_LOGIN_MISMATCH=1      the dummy hash at production cost and
 *                                   the account at test cost: proves the
 *                                   timing test fails when a path skips work
 *   PERGAMINO_STORM=64              concurrent logins in the storm
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "harness.h"
#include "pergamino/admin.h"
#include "pergamino/db.h"
#include "pergamino/password.h"

#define STORM_MAX 256
#define STORM_USER "storm-user"
#define TIMING_USER "timing-user"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static unsigned
env_uint(const char *name, unsigned def, unsigned max)
{
	const char *v = getenv(name);
	unsigned long n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtoul(v, NULL, 10);
	return n == 0 || n > max ? def : (unsigned)n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The p-th percentile (0..100) of v[0..n), which it sorts. */
static double
percentile(double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	i = (size_t)((p / 100.0) * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static void
sql(struct fixture *f, const char *stmt)
{
	struct db *db = NULL;

	assert_int_equal(harness_db(f, &db), 0);
	assert_int_equal(
	    sqlite3_exec(db_handle(db), stmt, NULL, NULL, NULL), SQLITE_OK);
	db_close(db);
}

static void
add_user(struct fixture *f, const char *name, enum password_cost cost)
{
	struct user u = { 0 };
	struct msg why;
	struct db *db = NULL;

	password_set_cost(cost);
	u.username = name;
	u.display_name = name;
	u.role = ROLE_CLERK;
	u.organization_id = f->org_a;
	assert_int_equal(harness_db(f, &db), 0);
	assert_int_equal(admin_user_add(db, &u, TEST_PASSWORD, &why), ERR_OK);
	db_close(db);
	password_set_cost(PASSWORD_COST_MIN);
}

/*
 * The group: the harness's server, plus an account for the timing test
 * and one for the storm.  The dummy hash that unknown users are checked
 * against is made by password_init() at the cost in force then, so the
 * real-cost and mismatch modes set it before the harness does.
 */
static int
group_setup(void **state)
{
	bool real = getenv("PERGAMINO_LOGIN_REAL_COST") != NULL;
	bool mismatch = getenv("PERGAMINO_LOGIN_MISMATCH") != NULL;
	struct fixture *f;

	/*
	 * Both paths commit a failure count (one fsync); on a shared disk
	 * its noise (1 to 15 ms here) swamps the comparison of the two code
	 * paths.  A tmpfs removes it; the disk's share is the same for both.
	 */
	if (getenv("PERGAMINO_TEST_TMPDIR") == NULL &&
	    access("/dev/shm", W_OK) == 0)
		setenv("PERGAMINO_TEST_TMPDIR", "/dev/shm", 1);
	if (real || mismatch) {
		password_set_cost(PASSWORD_COST_INTERACTIVE);
		if (password_init(0) != ERR_OK)
			return -1;
	}
	if (harness_setup(state) != 0)
		return -1;
	f = *state;
	add_user(f, TIMING_USER,
	    real ? PASSWORD_COST_INTERACTIVE : PASSWORD_COST_MIN);
	/* The storm is about production-cost hashing, always. */
	add_user(f, STORM_USER, PASSWORD_COST_INTERACTIVE);
	return 0;
}

/* One POST /api/v1/session on handle c (kept alive between calls). */
static long
login_on(CURL *c, unsigned port, const char *user, const char *pw, char **body,
    double *ms)
{
	struct curl_slist *hl = NULL;
	FILE *mem;
	char url[128], json[256], *buf = NULL;
	size_t len = 0;
	long status = 0;
	double t0;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/api/v1/session", port);
	snprintf(json, sizeof(json),
	    "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
	mem = open_memstream(&buf, &len);
	hl = curl_slist_append(hl, "Content-Type: application/json");
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, mem);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	t0 = now_ms();
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	*ms = now_ms() - t0;
	fclose(mem);
	curl_slist_free_all(hl);
	if (body != NULL)
		*body = buf;
	else
		free(buf);
	return status;
}

/* The body without its "request_id" value, which differs per request. */
static char *
without_request_id(const char *body)
{
	char *copy = strdup(body), *p, *end;

	assert_non_null(copy);
	p = strstr(copy, "\"request_id\":\"");
	assert_non_null(p);
	p += strlen("\"request_id\":\"");
	end = strchr(p, '"');
	assert_non_null(end);
	memmove(p, end, strlen(end) + 1);
	return copy;
}

/*
 * 200 unknown-user and 200 wrong-password logins, interleaved on one
 * kept-alive connection (the same path through the network stack for
 * both): identical bodies apart from the request id, and medians within
 * 10 %.  The throttle is reset before each attempt, so every answer is
 * the 401 of a full check, never a 429.
 */
static double
timing_round(struct fixture *f, unsigned n, unsigned round)
{
	unsigned i;
	double *unknown = calloc(n, sizeof(double));
	double *wrong = calloc(n, sizeof(double));
	double mu, mw, diff, t;
	char *first_u = NULL, *first_w = NULL, *b, *s, name[64];
	struct db *db = NULL;
	CURL *c = curl_easy_init();
	long st;

	assert_non_null(unknown);
	assert_non_null(wrong);
	assert_non_null(c);
	assert_int_equal(harness_db(f, &db), 0);
	for (i = 0; i < n; i++) {
		/* Alternate which path goes first, so drift hits both. */
		int k;

		for (k = 0; k < 2; k++) {
			bool do_unknown = (k == 0) == (i % 2 == 0);

			assert_int_equal(
			    sqlite3_exec(db_handle(db),
			        "DELETE FROM login_failures", NULL, NULL, NULL),
			    SQLITE_OK);
			snprintf(name, sizeof(name), "nadie-%u", i);
			st = login_on(c, f->port,
			    do_unknown ? name : TIMING_USER, "Mala-clave-2026",
			    &b, &t);
			assert_int_equal(st, 401);
			s = without_request_id(b);
			free(b);
			if (do_unknown) {
				unknown[i] = t;
				if (first_u == NULL)
					first_u = strdup(s);
				/* The user name is never echoed. */
				assert_null(strstr(s, name));
			} else {
				wrong[i] = t;
				if (first_w == NULL)
					first_w = strdup(s);
			}
			/* Every answer of a path is the same bytes. */
			assert_string_equal(s, do_unknown ? first_u : first_w);
			free(s);
		}
	}
	assert_int_equal(sqlite3_exec(db_handle(db),
	                     "DELETE FROM login_failures", NULL, NULL, NULL),
	    SQLITE_OK);
	db_close(db);
	curl_easy_cleanup(c);
	/* And the two paths give the same bytes. */
	assert_string_equal(first_u, first_w);
	mu = percentile(unknown, n, 50);
	mw = percentile(wrong, n, 50);
	diff = mu > mw ? (mu - mw) / mw : (mw - mu) / mu;
	printf("login timing, round %u: %u samples each; unknown user "
	       "median %.3f ms "
	       "(p10 %.3f, p90 %.3f), wrong password median %.3f ms (p10 "
	       "%.3f, p90 %.3f); difference %.1f %%\n",
	    round, n, mu, percentile(unknown, n, 10),
	    percentile(unknown, n, 90), mw, percentile(wrong, n, 10),
	    percentile(wrong, n, 90), diff * 100);
	if (round == 1)
		printf("login body: %s\n", first_u);
	free(first_u);
	free(first_w);
	free(unknown);
	free(wrong);
	return diff;
}

/*
 * Medians within 10 %.  On a machine shared with other jobs a burst of
 * scheduling noise can land on one path's samples (a round here once
 * measured 13.9 % with identical code paths), so up to three rounds are
 * measured and one must pass; a path that skips the hash differs by
 * 100x and fails every round (PERGAMINO_LOGIN_MISMATCH=1).
 */
static void
test_unknown_and_wrong_are_indistinguishable(void **state)
{
	struct fixture *f = *state;
	unsigned n = env_uint("PERGAMINO_LOGIN_SAMPLES", 200, 100000), round;
	double diff = 1;

	for (round = 1; round <= 3 && diff >= 0.10; round++)
		diff = timing_round(f, n, round);
	assert_true(diff < 0.10);
}

struct storm {
	struct fixture *f;
	pthread_barrier_t *go;
	long status;
	double ms;
	char retry_after[16];
	char code[32];
	char content_type[64];
};

static size_t
storm_header(char *p, size_t size, size_t n, void *arg)
{
	struct storm *s = arg;
	size_t len = size * n;

	if (len > 13 && strncasecmp(p, "Retry-After: ", 13) == 0)
		snprintf(s->retry_after, sizeof(s->retry_after), "%.*s",
		    (int)strcspn(p + 13, "\r\n"), p + 13);
	if (len > 14 && strncasecmp(p, "Content-Type: ", 14) == 0)
		snprintf(s->content_type, sizeof(s->content_type), "%.*s",
		    (int)strcspn(p + 14, "\r\n"), p + 14);
	return len;
}

static void *
storm_login(void *arg)
{
	struct storm *s = arg;
	CURL *c = curl_easy_init();
	char *body = NULL;
	json_t *doc;

	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, storm_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	pthread_barrier_wait(s->go);
	s->status =
	    login_on(c, s->f->port, STORM_USER, TEST_PASSWORD, &body, &s->ms);
	doc = body != NULL ? json_loads(body, 0, NULL) : NULL;
	snprintf(s->code, sizeof(s->code), "%s",
	    json_string_value(json_object_get(doc, "code")) != NULL
	        ? json_string_value(json_object_get(doc, "code"))
	        : "");
	json_decref(doc);
	free(body);
	curl_easy_cleanup(c);
	return NULL;
}

struct clerk {
	struct fixture *f;
	struct session s;
	volatile int stop;
	double ms[100000];
	size_t n;
	size_t failed;
};

/*
 * A signed-in clerk opening its receptions list every 10 ms, on one
 * kept-alive connection.  Latency counts from when the request was due,
 * not from when it could be sent: a stalled connection delays every
 * request due meanwhile, and each of them is counted late (a client that
 * only measures what it manages to send would hide the stall).
 */
static void *
clerk_reads(void *arg)
{
	struct clerk *k = arg;
	struct curl_slist *hl = NULL;
	char url[128], cookie[192];
	CURL *c = curl_easy_init();
	FILE *null = fopen("/dev/null", "w");
	long status;
	double start = now_ms(), due, wait;

	snprintf(url, sizeof(url),
	    "http://127.0.0.1:%u/api/v1/receptions?limit=50", k->f->port);
	snprintf(cookie, sizeof(cookie), "Cookie: %s", k->s.cookie);
	hl = curl_slist_append(hl, cookie);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, null);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	while (!k->stop && k->n < sizeof(k->ms) / sizeof(k->ms[0])) {
		due = start + 10.0 * (double)k->n;
		wait = due - now_ms();
		if (wait > 0) {
			struct timespec ts = { 0, (long)(wait * 1e6) };

			nanosleep(&ts, NULL);
		}
		status = 0;
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		k->ms[k->n++] = now_ms() - due;
		if (status != 200)
			k->failed++;
	}
	fclose(null);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	return NULL;
}

/*
 * 64 logins at once at production cost: hashing stays bounded, the excess
 * is refused at once with 503 problem+json and Retry-After, and a clerk
 * who signed in before keeps getting answers.  Then the refused clients
 * retry after the time they were told, and all get in.
 */
static void
test_login_storm(void **state)
{
	struct fixture *f = *state;
	unsigned n = env_uint("PERGAMINO_STORM", 64, STORM_MAX), i;
	static struct storm logins[STORM_MAX];
	static struct clerk clerk;
	pthread_t th[STORM_MAX], ct;
	pthread_barrier_t go;
	double ok_ms[STORM_MAX], busy_ms[STORM_MAX], base[200], t0, storm_ms;
	size_t ok = 0, busy = 0, other = 0, retried;
	struct session s;
	struct response r;

	memset(&clerk, 0, sizeof(clerk));
	clerk.f = f;
	assert_int_equal(
	    session_login(f, "a-clerk", TEST_PASSWORD, &clerk.s), 200);
	/* The clerk's latency with nothing else running, for comparison. */
	for (i = 0; i < 200; i++) {
		t0 = now_ms();
		session_call(f, &clerk.s, "GET", "/api/v1/receptions?limit=50",
		    NULL, &r);
		base[i] = now_ms() - t0;
		assert_int_equal(r.status, 200);
		response_free(&r);
	}
	assert_int_equal(pthread_barrier_init(&go, NULL, n + 1), 0);
	for (i = 0; i < n; i++) {
		memset(&logins[i], 0, sizeof(logins[i]));
		logins[i].f = f;
		logins[i].go = &go;
		assert_int_equal(
		    pthread_create(&th[i], NULL, storm_login, &logins[i]), 0);
	}
	assert_int_equal(pthread_create(&ct, NULL, clerk_reads, &clerk), 0);
	t0 = now_ms();
	pthread_barrier_wait(&go);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	storm_ms = now_ms() - t0;
	clerk.stop = 1;
	pthread_join(ct, NULL);
	pthread_barrier_destroy(&go);

	for (i = 0; i < n; i++) {
		if (logins[i].status == 200)
			ok_ms[ok++] = logins[i].ms;
		else if (logins[i].status == 503) {
			busy_ms[busy++] = logins[i].ms;
			assert_string_equal(logins[i].code, "busy");
			assert_string_equal(
			    logins[i].content_type, "application/problem+json");
			assert_true(atoi(logins[i].retry_after) >= 1);
		} else {
			printf("storm login %u: status %ld\n", i,
			    logins[i].status);
			other++;
		}
	}
	printf("storm: %u logins at once in %.0f ms: %zu signed in (p50 %.0f, "
	       "max %.0f ms), %zu refused 503 (p50 %.1f, max %.1f ms), %zu "
	       "other\n",
	    n, storm_ms, ok, percentile(ok_ms, ok, 50),
	    percentile(ok_ms, ok, 100), busy, percentile(busy_ms, busy, 50),
	    percentile(busy_ms, busy, 100), other);
	printf("storm: clerk list before: p50 %.1f, p99 %.1f ms; during: %zu "
	       "requests, p50 %.1f, p99 %.1f, max %.1f ms, %zu failed\n",
	    percentile(base, 200, 50), percentile(base, 200, 99), clerk.n,
	    percentile(clerk.ms, clerk.n, 50),
	    percentile(clerk.ms, clerk.n, 99),
	    percentile(clerk.ms, clerk.n, 100), clerk.failed);
	assert_int_equal(other, 0);
	assert_true(ok >= 1);
	assert_int_equal(clerk.failed, 0);
	assert_true(clerk.n >= 10);
	/* Refusals are immediate, not a wait for a slot that never comes. */
	if (busy > 0)
		assert_true(percentile(busy_ms, busy, 100) < 1000);
	/*
	 * The clerk is still served: p99 under 2 s even on a 2-core machine
	 * at load average 12 (measured 0.4-0.9 s there; before hashing moved
	 * off the worker threads one request waited 27 s:
	 * docs/reliability.md).
	 */
	assert_true(percentile(clerk.ms, clerk.n, 99) < 2000);

	/* The refused retry, as told, until every one has signed in. */
	t0 = now_ms();
	for (retried = 0; retried < busy && now_ms() - t0 < 240000;) {
		sleep(1);
		for (i = 0; i < n; i++) {
			if (logins[i].status != 503)
				continue;
			logins[i].status =
			    session_login(f, STORM_USER, TEST_PASSWORD, &s);
			if (logins[i].status == 200)
				retried++;
			else
				assert_int_equal(logins[i].status, 503);
		}
	}
	printf("storm: the %zu refused signed in on retries within %.0f s\n",
	    busy, (now_ms() - t0) / 1000);
	assert_int_equal(retried, busy);
	sql(f, "DELETE FROM login_failures");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_and_wrong_are_indistinguishable),
		cmocka_unit_test(test_login_storm),
	};

	return cmocka_run_group_tests(tests, group_setup, harness_teardown);
}
