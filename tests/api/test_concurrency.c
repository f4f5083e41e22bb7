/*
 * Concurrency on one database: 8 writers x PERGAMINO_CONC_WRITES
 * receptions (200 each by default; docs/reliability.md records a run
 * of 1000 each) while 8 readers list and open the same
 * documents, then the racy cases: two clerks dispatching the same
 * warehouse note at the same instant, and two clerks ordering the
 * processing of the last kilos of one plant receipt at the same instant
 * (each order fits the balance alone, both together do not).  No client
 * ever sees a busy or
 * internal error, nothing is consumed twice, and the numbers and counts
 * equal what a serial run would give.  Threads only record results; the
 * assertions run on the main thread.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "pergamino/admin.h"
#include "pergamino/db.h"

#define CONC_WRITERS 8
#define CONC_READERS 8
#define CONC_RACES 12

struct conc_ctx {
	struct fixture *f;
	struct session s;
	int64_t producer;
	unsigned writes;
	unsigned who;
	/* results */
	unsigned ok, refused, failed; /* 2xx, 4xx, 5xx or transport */
	long worst_status;
	_Atomic int *stop;
	int64_t race_note;
	int64_t race_receipt; /* the process-order race's plant receipt */
	long race_status;
	pthread_barrier_t *barrier;
};

static double
conc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
setup(void **state)
{
	struct fixture *f;

	if (harness_setup(state) != 0)
		return -1;
	f = *state;
	return harness_seed_story(f, HARNESS_STORY_ACOPIO);
}

static void
conc_count(struct conc_ctx *c, int rc, long status)
{
	if (rc != 0 || status >= 500) {
		c->failed++;
		if (status > c->worst_status)
			c->worst_status = status;
	} else if (status >= 400) {
		c->refused++;
	} else {
		c->ok++;
	}
}

static void *
conc_writer(void *arg)
{
	struct conc_ctx *c = arg;
	struct response r;
	char body[512];
	unsigned i;
	int rc;

	for (i = 0; i < c->writes; i++) {
		snprintf(body, sizeof(body),
		    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-30\","
		    "\"status\":\"conventional\",\"sacks\":1,"
		    "\"gross_kg\":\"50.5\",\"tare_kg\":\"0.5\","
		    "\"humidity\":\"12.0\",\"observations\":\"w%u-%u\"}",
		    (long long)c->producer, c->who, i);
		rc = session_call(
		    c->f, &c->s, "POST", "/api/v1/receptions", body, &r);
		conc_count(c, rc, r.status);
		response_free(&r);
	}
	return NULL;
}

static void *
conc_reader(void *arg)
{
	struct conc_ctx *c = arg;
	struct response r;
	json_t *items;
	char path[96];
	int rc;

	while (!*c->stop) {
		rc = session_call(c->f, &c->s, "GET",
		    "/api/v1/receptions?limit=50", NULL, &r);
		conc_count(c, rc, r.status);
		items = json_object_get(r.json, "items");
		if (json_array_size(items) > 0) {
			snprintf(path, sizeof(path), "/api/v1/receptions/%lld",
			    (long long)json_integer_value(json_object_get(
			        json_array_get(items, 0), "id")));
			response_free(&r);
			rc = session_call(c->f, &c->s, "GET", path, NULL, &r);
			conc_count(c, rc, r.status);
		}
		response_free(&r);
	}
	return NULL;
}

static int64_t
conc_producer(struct fixture *f, struct session *s, const char *dni)
{
	struct response r;
	char path[96];
	int64_t id;

	snprintf(path, sizeof(path), "/api/v1/producers/by-dni/%s", dni);
	session_call(f, s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

static void
test_writers_and_readers(void **state)
{
	struct fixture *f = *state;
	struct conc_ctx w[CONC_WRITERS], rd[CONC_READERS];
	pthread_t tw[CONC_WRITERS], tr[CONC_READERS];
	_Atomic int stop = 0;
	unsigned writes = 200, i, ok = 0, reads = 0;
	int64_t before, after, lo, hi, producer;
	struct session admin;
	double t0, secs;

	if (getenv("PERGAMINO_CONC_WRITES") != NULL)
		writes = (unsigned)atoi(getenv("PERGAMINO_CONC_WRITES"));
	assert_int_equal(
	    session_login(f, "a-admin", TEST_PASSWORD, &admin), 200);
	producer = conc_producer(f, &admin, "40876543");
	before = harness_fixture_int(f, "SELECT count(*) FROM receptions");
	for (i = 0; i < CONC_WRITERS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].f = f;
		w[i].who = i;
		w[i].writes = writes;
		w[i].producer = producer;
		assert_int_equal(session_login(f, i % 2 ? "a-clerk" : "a-admin",
		                     TEST_PASSWORD, &w[i].s),
		    200);
	}
	for (i = 0; i < CONC_READERS; i++) {
		memset(&rd[i], 0, sizeof(rd[i]));
		rd[i].f = f;
		rd[i].stop = &stop;
		assert_int_equal(
		    session_login(f, i % 2 ? "c-auditor" : "a-export",
		        TEST_PASSWORD, &rd[i].s),
		    200);
	}
	for (i = 0; i < CONC_READERS; i++)
		assert_int_equal(
		    pthread_create(&tr[i], NULL, conc_reader, &rd[i]), 0);
	t0 = conc_now();
	for (i = 0; i < CONC_WRITERS; i++)
		assert_int_equal(
		    pthread_create(&tw[i], NULL, conc_writer, &w[i]), 0);
	for (i = 0; i < CONC_WRITERS; i++)
		pthread_join(tw[i], NULL);
	secs = conc_now() - t0;
	stop = 1;
	for (i = 0; i < CONC_READERS; i++)
		pthread_join(tr[i], NULL);

	for (i = 0; i < CONC_WRITERS; i++) {
		if (w[i].failed != 0 || w[i].refused != 0)
			fail_msg("writer %u: %u failed (worst %ld), %u refused",
			    i, w[i].failed, w[i].worst_status, w[i].refused);
		ok += w[i].ok;
	}
	for (i = 0; i < CONC_READERS; i++)
		reads += rd[i].ok;
	for (i = 0; i < CONC_READERS; i++)
		if (rd[i].failed != 0 || rd[i].refused != 0 || rd[i].ok == 0)
			fail_msg("reader %u: %u ok, %u failed (worst %ld), %u "
			         "refused",
			    i, rd[i].ok, rd[i].failed, rd[i].worst_status,
			    rd[i].refused);
	print_message("concurrency: %u receptions by %d writers while %d "
	              "readers read (%u answered reads) in %.1f s: %.0f "
	              "writes/s, %.0f reads/s\n",
	    ok, CONC_WRITERS, CONC_READERS, reads, secs,
	    secs > 0 ? ok / secs : 0.0, secs > 0 ? reads / secs : 0.0);
	assert_int_equal(ok, CONC_WRITERS * writes);
	/* What a serial run gives: every write once, numbers without gaps. */
	after = harness_fixture_int(f, "SELECT count(*) FROM receptions");
	assert_int_equal(after - before, (int64_t)ok);
	lo = harness_fixture_int(f, "SELECT min(number) FROM receptions");
	hi = harness_fixture_int(f, "SELECT max(number) FROM receptions");
	assert_int_equal(hi - lo + 1, after);
	assert_int_equal(harness_fixture_int(f,
	                     "SELECT count(*) FROM audit_events"
	                     " WHERE action = 'reception.create'"),
	    after);
}

/* A note for the races: reception + warehouse note of gross_kg - 0.4. */
static int64_t
conc_note_kg(struct fixture *f, struct session *s, int64_t producer,
    const char *gross_kg)
{
	struct response r;
	char body[512];
	int64_t id;

	snprintf(body, sizeof(body),
	    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-20\","
	    "\"status\":\"conventional\",\"sacks\":1,\"gross_kg\":\"%s\","
	    "\"tare_kg\":\"0.4\",\"humidity\":\"12.0\"}",
	    (long long)producer, gross_kg);
	session_call(f, s, "POST", "/api/v1/receptions", body, &r);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"reception_id\":%lld,\"issued_on\":\"2017-06-20\","
	    "\"price_per_qq\":\"380\"}",
	    (long long)id);
	session_call(f, s, "POST", "/api/v1/warehouse-notes", body, &r);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	return id;
}

/* 60 kg: the note the dispatch race fights over. */
static int64_t
conc_note(struct fixture *f, struct session *s, int64_t producer)
{
	return conc_note_kg(f, s, producer, "60.4");
}

static void *
conc_dispatcher(void *arg)
{
	struct conc_ctx *c = arg;
	struct response r;
	char body[1024];

	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-21\",\"recipient_org_id\":%lld,"
	    "\"reason\":3,\"carrier\":{\"name\":\"Pablo Chacón\","
	    "\"doc\":\"10105634205\",\"plate\":\"ABW-080\"},"
	    "\"lot_code\":\"CO-R\",\"sacks\":1,\"declared_kg\":\"60\","
	    "\"note_ids\":[%lld]}",
	    (long long)c->f->org_b, (long long)c->race_note);
	pthread_barrier_wait(c->barrier);
	if (session_call(c->f, &c->s, "POST", "/api/v1/dispatches", body, &r) !=
	    0)
		c->race_status = -1;
	else
		c->race_status = r.status;
	response_free(&r);
	return NULL;
}

/*
 * Run fn in two threads at once, a as a-admin and b as a-clerk (their
 * race fields set by the caller), released together by a barrier:
 * exactly one must win (201), the other be refused (4xx, never a 5xx).
 */
static void
conc_race(struct fixture *f, struct conc_ctx *a, struct conc_ctx *b,
    void *(*fn)(void *), const char *what, unsigned k)
{
	pthread_barrier_t barrier;
	pthread_t ta, tb;

	pthread_barrier_init(&barrier, NULL, 2);
	a->f = b->f = f;
	a->barrier = b->barrier = &barrier;
	assert_int_equal(
	    session_login(f, "a-admin", TEST_PASSWORD, &a->s), 200);
	assert_int_equal(
	    session_login(f, "a-clerk", TEST_PASSWORD, &b->s), 200);
	pthread_create(&ta, NULL, fn, a);
	pthread_create(&tb, NULL, fn, b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&barrier);
	if (!((a->race_status == 201 && b->race_status >= 400 &&
	          b->race_status < 500) ||
	        (b->race_status == 201 && a->race_status >= 400 &&
	            a->race_status < 500)))
		fail_msg("%s %u: answers %ld and %ld", what, k, a->race_status,
		    b->race_status);
}

static void
test_two_clerks_dispatch_the_same_note(void **state)
{
	struct fixture *f = *state;
	struct conc_ctx a, b;
	struct session admin;
	int64_t producer, note;
	unsigned k;
	char sql[256];

	assert_int_equal(
	    session_login(f, "a-admin", TEST_PASSWORD, &admin), 200);
	producer = conc_producer(f, &admin, "40876543");
	for (k = 0; k < CONC_RACES; k++) {
		note = conc_note(f, &admin, producer);
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		a.race_note = b.race_note = note;
		conc_race(f, &a, &b, conc_dispatcher, "race", k);
		snprintf(sql, sizeof(sql),
		    "SELECT count(*) FROM dispatch_notes dn JOIN dispatches d"
		    " ON d.id = dn.dispatch_id WHERE dn.note_id = %lld"
		    " AND d.annulled_at IS NULL",
		    (long long)note);
		assert_int_equal(harness_fixture_int(f, sql), 1);
	}
}

/*
 * A plant receipt of 100 kg for the process-order race: reception and
 * note (coop), guía de remisión to plant B (coop), guía de ingreso
 * (plant), then a first order of 40 kg, so 60 kg remain.
 */
static int64_t
conc_receipt(struct fixture *f, struct session *coop, struct session *plant,
    int64_t producer, unsigned k)
{
	struct response r;
	char body[1024];
	int64_t note, dispatch, receipt;

	note = conc_note_kg(f, coop, producer, "100.4");
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-21\",\"recipient_org_id\":%lld,"
	    "\"reason\":3,\"carrier\":{\"name\":\"Pablo Chacón\","
	    "\"doc\":\"10105634205\",\"plate\":\"ABW-080\"},"
	    "\"lot_code\":\"CO-P%u\",\"sacks\":1,\"declared_kg\":\"100\","
	    "\"note_ids\":[%lld]}",
	    (long long)f->org_b, k, (long long)note);
	session_call(f, coop, "POST", "/api/v1/dispatches", body, &r);
	assert_int_equal(r.status, 201);
	dispatch = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"dispatch_id\":%lld,\"issued_on\":\"2017-06-22\","
	    "\"sacks\":1,\"gross_kg\":\"100.7\",\"tare_kg\":\"0.7\","
	    "\"humidity\":\"12.5\"}",
	    (long long)dispatch);
	session_call(f, plant, "POST", "/api/v1/plant-receipts", body, &r);
	assert_int_equal(r.status, 201);
	receipt = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-23\",\"plant_org_id\":%lld,"
	    "\"contract\":\"P-%u\",\"process_type\":\"CONV\","
	    "\"quality\":\"Estándar\",\"inputs\":[{\"plant_receipt_id\":%lld,"
	    "\"kilos\":\"40\"}]}",
	    (long long)f->org_b, k, (long long)receipt);
	session_call(f, coop, "POST", "/api/v1/process-orders", body, &r);
	assert_int_equal(r.status, 201);
	response_free(&r);
	return receipt;
}

/* One clerk's process order of 35 kg of the race's receipt. */
static void *
conc_orderer(void *arg)
{
	struct conc_ctx *c = arg;
	struct response r;
	char body[1024];

	snprintf(body, sizeof(body),
	    "{\"issued_on\":\"2017-06-23\",\"plant_org_id\":%lld,"
	    "\"contract\":\"P-R%u\",\"process_type\":\"CONV\","
	    "\"quality\":\"Estándar\",\"inputs\":[{\"plant_receipt_id\":%lld,"
	    "\"kilos\":\"35\"}]}",
	    (long long)c->f->org_b, c->who, (long long)c->race_receipt);
	pthread_barrier_wait(c->barrier);
	if (session_call(
	        c->f, &c->s, "POST", "/api/v1/process-orders", body, &r) != 0)
		c->race_status = -1;
	else
		c->race_status = r.status;
	response_free(&r);
	return NULL;
}

/* The receipt's consumed and balance kilos as the API shows them. */
static void
conc_receipt_kg(struct fixture *f, struct session *s, int64_t receipt,
    char consumed[32], char balance[32])
{
	struct response r;
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/plant-receipts/%lld",
	    (long long)receipt);
	session_call(f, s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	snprintf(consumed, 32, "%s",
	    json_string_value(json_object_get(r.json, "consumed_kg")) != NULL
	        ? json_string_value(json_object_get(r.json, "consumed_kg"))
	        : "?");
	snprintf(balance, 32, "%s",
	    json_string_value(json_object_get(r.json, "balance_kg")) != NULL
	        ? json_string_value(json_object_get(r.json, "balance_kg"))
	        : "?");
	response_free(&r);
}

/*
 * The race for a receipt's last kilos: 60 kg remain, two clerks order
 * 35 kg each at the same instant.  A serial run accepts the first and
 * refuses the second (35 > 25 left): exactly one 201 and one 4xx, and
 * the receipt ends with 75 kg consumed and 25 kg of balance, never more
 * consumed than received.
 */
static void
test_two_clerks_order_the_last_kilos(void **state)
{
	struct fixture *f = *state;
	struct conc_ctx a, b;
	struct session admin, plant;
	char consumed[32], balance[32], sql[256];
	int64_t producer, receipt;
	unsigned k, won_a = 0;

	assert_int_equal(
	    session_login(f, "a-admin", TEST_PASSWORD, &admin), 200);
	assert_int_equal(
	    session_login(f, "b-clerk", TEST_PASSWORD, &plant), 200);
	producer = conc_producer(f, &admin, "40876543");
	for (k = 0; k < CONC_RACES; k++) {
		receipt = conc_receipt(f, &admin, &plant, producer, k);
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		a.race_receipt = b.race_receipt = receipt;
		a.who = 2 * k;
		b.who = 2 * k + 1;
		conc_race(f, &a, &b, conc_orderer, "receipt race", k);
		won_a += a.race_status == 201;
		/* The serial model: 40 + 35 consumed, 25 left. */
		conc_receipt_kg(f, &admin, receipt, consumed, balance);
		if (strcmp(consumed, "75.000") != 0 ||
		    strcmp(balance, "25.000") != 0)
			fail_msg("receipt race %u: consumed %s kg, balance %s "
			         "kg; a serial run gives 75.000 and 25.000",
			    k, consumed, balance);
		snprintf(sql, sizeof(sql),
		    "SELECT (SELECT net_g FROM plant_receipts WHERE id = %lld)"
		    " - (SELECT coalesce(sum(i.kilos_g), 0) FROM"
		    " process_order_inputs i JOIN process_orders o ON o.id ="
		    " i.process_order_id WHERE i.plant_receipt_id = %lld AND"
		    " i.live = 1 AND o.annulled_at IS NULL)",
		    (long long)receipt, (long long)receipt);
		assert_int_equal(harness_fixture_int(f, sql), 25000);
	}
	print_message("receipt race: %d rounds, one winner each (admin won "
	              "%u, clerk %u), 75 kg consumed of 100 every time\n",
	    CONC_RACES, won_a, CONC_RACES - won_a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writers_and_readers),
		cmocka_unit_test(test_two_clerks_dispatch_the_same_note),
		cmocka_unit_test(test_two_clerks_order_the_last_kilos),
	};

	return cmocka_run_group_tests(tests, setup, harness_teardown);
}
