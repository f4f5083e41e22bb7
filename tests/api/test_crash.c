/*
 * Crash safety: nothing acknowledged is ever lost.  The real binary
 * (PERGAMINO_BIN) serves the demo database while eight clients post
 * receptions (numbering + audit event + idempotency record in one
 * transaction) and the server is killed with SIGKILL at random moments,
 * PERGAMINO_CRASH_KILLS times (default 100), then restarted.  After every
 * kill: each reception that got a 201 is present with its number and
 * data, integrity_check and foreign_key_check pass, numbers have no gaps,
 * every reception has exactly one audit event and the chain verifies.
 *
 * A build with -DAPP_FAULT_ACK_BEFORE_COMMIT=ON answers before it commits
 * and must make this test fail (docs/reliability.md).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "harness.h"
#include "pergamino/audit.h"
#include "pergamino/db.h"

#define CRASH_CLIENTS 8
#define CRASH_ACKED_MAX 200000

struct crash_acked {
	int64_t id, number;
	char marker[48];
};

static struct {
	char dir[64], db[96];
	pid_t pid;
	unsigned port;
	char password[128];
	char token[128];
	int64_t producer_id;
	unsigned kill_round;

	pthread_mutex_t lock;
	struct crash_acked *acked;
	size_t n_acked;
	unsigned unexpected; /* answers other than 201 */
	_Atomic int stop;
} crash;

struct crash_buf {
	char *data;
	size_t len;
};

static size_t
crash_write(char *p, size_t size, size_t n, void *ud)
{
	struct crash_buf *b = ud;
	char *grown = realloc(b->data, b->len + size * n + 1);

	if (grown == NULL)
		return 0;
	b->data = grown;
	memcpy(b->data + b->len, p, size * n);
	b->len += size * n;
	b->data[b->len] = '\0';
	return size * n;
}

/* One request; the status (0: transport failure), body in *out. */
static long
crash_http(CURL *c, const char *method, const char *path,
    struct curl_slist *hdr, const char *body, char **out)
{
	struct crash_buf b = { 0 };
	char url[256];
	long status = 0;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", crash.port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	if (body == NULL)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, crash_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (out != NULL)
		*out = b.data;
	else
		free(b.data);
	return status;
}

/* Start the server; with demo, remember coop-admin's password. */
static void
crash_start(bool demo)
{
	char line[512], *p;
	int fds[2];
	FILE *in;

	assert_int_equal(pipe(fds), 0);
	crash.pid = fork();
	assert_true(crash.pid >= 0);
	if (crash.pid == 0) {
		const char *bin = getenv("PERGAMINO_BIN");

		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		(void)!freopen("/dev/null", "w", stderr);
		execl(bin != NULL ? bin : "./pergamino", "pergamino", "serve",
		    "--db", crash.db, "--port", "0", "--threads", "2",
		    demo ? "--demo" : NULL, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	assert_non_null(in);
	crash.port = 0;
	while (fgets(line, sizeof(line), in) != NULL) {
		if (strncmp(line, "demo-account ", 13) == 0 &&
		    strstr(line, "username=coop-admin ") != NULL &&
		    (p = strstr(line, "password=")) != NULL) {
			snprintf(crash.password, sizeof(crash.password), "%s",
			    p + 9);
			crash.password[strcspn(crash.password, " \n")] = '\0';
		}
		if ((p = strstr(line, "listening http://127.0.0.1:")) != NULL) {
			crash.port = (unsigned)atoi(p + 27);
			break;
		}
	}
	fclose(in);
	assert_true(crash.port > 0);
}

/* A bearer token for coop-admin and the demo producer 08754611. */
static void
crash_login(void)
{
	struct curl_slist *hdr = NULL;
	char body[512], hbuf[160], *out = NULL;
	json_t *doc;
	CURL *c = curl_easy_init();

	curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	snprintf(body, sizeof(body),
	    "{\"username\":\"coop-admin\",\"password\":\"%s\"}",
	    crash.password);
	assert_int_equal(
	    crash_http(c, "POST", "/api/v1/session", hdr, body, &out), 200);
	doc = json_loads(out, 0, NULL);
	free(out);
	snprintf(hbuf, sizeof(hbuf), "X-CSRF-Token: %s",
	    json_string_value(json_object_get(doc, "csrf_token")));
	json_decref(doc);
	hdr = curl_slist_append(hdr, hbuf);
	assert_int_equal(crash_http(c, "POST", "/api/v1/tokens", hdr,
	                     "{\"name\":\"crash\"}", &out),
	    201);
	doc = json_loads(out, 0, NULL);
	free(out);
	snprintf(crash.token, sizeof(crash.token), "%s",
	    json_string_value(json_object_get(doc, "token")));
	json_decref(doc);
	assert_int_equal(
	    crash_http(
	        c, "GET", "/api/v1/producers/by-dni/08754611", hdr, NULL, &out),
	    200);
	doc = json_loads(out, 0, NULL);
	free(out);
	crash.producer_id = json_integer_value(json_object_get(doc, "id"));
	json_decref(doc);
	assert_true(crash.producer_id > 0);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
}

static void *
crash_client(void *arg)
{
	unsigned who = (unsigned)(uintptr_t)arg, i;
	char auth[192], key[96], body[512], marker[48], *out;
	CURL *c = curl_easy_init();
	json_t *doc;
	long st;

	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", crash.token);
	for (i = 0; !crash.stop; i++) {
		struct curl_slist *h;

		snprintf(marker, sizeof(marker), "crash-%u-%u-%u",
		    crash.kill_round, who, i);
		snprintf(key, sizeof(key), "Idempotency-Key: %s", marker);
		h = curl_slist_append(curl_slist_append(NULL, auth), key);
		h = curl_slist_append(h, "Content-Type: application/json");
		snprintf(body, sizeof(body),
		    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-30\","
		    "\"status\":\"conventional\",\"sacks\":1,"
		    "\"gross_kg\":\"50.5\",\"tare_kg\":\"0.5\","
		    "\"humidity\":\"12.0\",\"weighed_by\":\"Prueba\","
		    "\"observations\":\"%s\"}",
		    (long long)crash.producer_id, marker);
		out = NULL;
		st = crash_http(c, "POST", "/api/v1/receptions", h, body, &out);
		curl_slist_free_all(h);
		if (st == 0) {
			free(out);
			break; /* the server is gone */
		}
		pthread_mutex_lock(&crash.lock);
		if (st == 201 && crash.n_acked < CRASH_ACKED_MAX) {
			struct crash_acked *a = &crash.acked[crash.n_acked++];

			doc = json_loads(out, 0, NULL);
			a->id = json_integer_value(json_object_get(doc, "id"));
			a->number =
			    json_integer_value(json_object_get(doc, "number"));
			snprintf(a->marker, sizeof(a->marker), "%s", marker);
			json_decref(doc);
		} else if (st != 201) {
			crash.unexpected++;
		}
		pthread_mutex_unlock(&crash.lock);
		free(out);
	}
	curl_easy_cleanup(c);
	return NULL;
}

/* Everything acknowledged is there, whole; the file and chain are sound. */
static void
crash_check(unsigned round)
{
	struct audit_verify_result vr;
	struct db *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t i;
	int64_t n, lo, hi;

	assert_int_equal(db_open(crash.db, &db), ERR_OK);
	assert_int_equal(sqlite3_prepare_v2(db_handle(db),
	                     "SELECT number, observations FROM receptions"
	                     " WHERE id = ?1 AND annulled_at IS NULL",
	                     -1, &st, NULL),
	    SQLITE_OK);
	for (i = 0; i < crash.n_acked; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, crash.acked[i].id);
		if (sqlite3_step(st) != SQLITE_ROW)
			fail_msg("kill %u: acknowledged reception %lld (%s) "
			         "is LOST",
			    round, (long long)crash.acked[i].id,
			    crash.acked[i].marker);
		if (sqlite3_column_int64(st, 0) != crash.acked[i].number ||
		    strcmp((const char *)sqlite3_column_text(st, 1),
		        crash.acked[i].marker) != 0)
			fail_msg("kill %u: reception %lld changed", round,
			    (long long)crash.acked[i].id);
	}
	sqlite3_finalize(st);

	{
		sqlite3_stmt *ic = NULL;

		assert_int_equal(sqlite3_prepare_v2(db_handle(db),
		                     "PRAGMA integrity_check", -1, &ic, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(ic), SQLITE_ROW);
		assert_string_equal(sqlite3_column_text(ic, 0), "ok");
		sqlite3_finalize(ic);
	}
	assert_int_equal(
	    harness_int(db, "SELECT count(*) FROM pragma_foreign_key_check"),
	    0);
	/* Correlative numbers without gaps. */
	n = harness_int(db, "SELECT count(*) FROM receptions");
	lo = harness_int(db, "SELECT min(number) FROM receptions");
	hi = harness_int(db, "SELECT max(number) FROM receptions");
	if (n != hi - lo + 1)
		fail_msg("kill %u: %lld receptions numbered %lld..%lld: a gap",
		    round, (long long)n, (long long)lo, (long long)hi);
	assert_int_equal(harness_int(db,
	                     "SELECT max(issued) FROM numbering"
	                     " WHERE doc_type = 'reception'") >= 0,
	    1);
	/* Exactly one audit event per reception, and no orphan event. */
	assert_int_equal(harness_int(db,
	                     "SELECT count(*) FROM receptions r LEFT JOIN"
	                     " (SELECT entity_id, count(*) AS c FROM"
	                     "  audit_events WHERE action = 'reception.create'"
	                     "  GROUP BY entity_id) a ON a.entity_id = r.id"
	                     " WHERE a.c IS NOT 1"),
	    0);
	assert_int_equal(harness_int(db,
	                     "SELECT count(*) FROM audit_events WHERE"
	                     " action = 'reception.create'"),
	    n);
	assert_int_equal(audit_verify(db, &vr), ERR_OK);
	if (!vr.ok)
		fail_msg("kill %u: audit chain broken at %lld", round,
		    (long long)vr.first_broken_seq);
	db_close(db);
}

static void
test_sigkill_loses_nothing_acknowledged(void **state)
{
	pthread_t th[CRASH_CLIENTS];
	unsigned kills = 100, seed = (unsigned)time(NULL), k, t;
	struct timespec pause;
	int wst;

	(void)state;
	if (getenv("PERGAMINO_CRASH_KILLS") != NULL)
		kills = (unsigned)atoi(getenv("PERGAMINO_CRASH_KILLS"));
	if (getenv("PERGAMINO_CRASH_SEED") != NULL)
		seed = (unsigned)atoi(getenv("PERGAMINO_CRASH_SEED"));
	print_message("crash test: %u kills, seed %u\n", kills, seed);
	srand(seed);
	crash_start(true);
	crash_login();
	for (k = 1; k <= kills; k++) {
		crash.kill_round = k;
		crash.stop = 0;
		for (t = 0; t < CRASH_CLIENTS; t++)
			assert_int_equal(
			    pthread_create(&th[t], NULL, crash_client,
			        (void *)(uintptr_t)t),
			    0);
		/* Kill at a random moment: 20-320 ms into the writes. */
		pause.tv_sec = 0;
		pause.tv_nsec = (20 + rand() % 300) * 1000000L;
		nanosleep(&pause, NULL);
		kill(crash.pid, SIGKILL);
		waitpid(crash.pid, &wst, 0);
		crash.stop = 1;
		for (t = 0; t < CRASH_CLIENTS; t++)
			pthread_join(th[t], NULL);
		crash_check(k);
		crash_start(false);
	}
	print_message("crash test: %zu acknowledged writes, all present after "
	              "%u kills\n",
	    crash.n_acked, kills);
	assert_int_equal(crash.unexpected, 0);
	assert_true(crash.n_acked > kills); /* the kills did hit live writes */
	kill(crash.pid, SIGTERM);
	waitpid(crash.pid, &wst, 0);
}

static int
crash_setup(void **state)
{
	(void)state;
	snprintf(crash.dir, sizeof(crash.dir), "/tmp/pergamino-crash-XXXXXX");
	if (mkdtemp(crash.dir) == NULL)
		return -1;
	snprintf(crash.db, sizeof(crash.db), "%s/crash.db", crash.dir);
	crash.acked = calloc(CRASH_ACKED_MAX, sizeof(*crash.acked));
	pthread_mutex_init(&crash.lock, NULL);
	signal(SIGPIPE, SIG_IGN);
	return crash.acked != NULL && curl_global_init(CURL_GLOBAL_DEFAULT) == 0
	    ? 0
	    : -1;
}

static int
crash_teardown(void **state)
{
	char cmd[128];

	(void)state;
	free(crash.acked);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", crash.dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_loses_nothing_acknowledged),
	};

	return cmocka_run_group_tests(tests, crash_setup, crash_teardown);
}
