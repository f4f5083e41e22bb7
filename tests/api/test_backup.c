/*
 * Backup drill (docs/operations.md §6, docs/reliability.md): clients
 * write receptions without pause while `pergamino backup` copies the
 * database; the copy is restored the way the operations guide says
 * (a copy of the file, `pergamino migrate`, the checks, start), and
 * must hold every reception acknowledged before the backup started,
 * pass integrity_check, foreign_key_check and `pergamino audit verify`,
 * and be consistent: one audit event per reception, numbers without
 * gaps.  Then a server started on it answers.
 *
 *   PERGAMINO_BACKUP_WRITERS=4   concurrent writers
 *   PERGAMINO_BACKUP_CP=1        copy with cp instead (must fail)
 *   PERGAMINO_BIN                the binary (set by ctest)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "pergamino/admin.h"
#include "pergamino/db.h"

#define BACKUP_WRITERS_MAX 16
#define BACKUP_ACKS_MAX 20000

struct ack {
	int64_t id, number;
	double at_ms; /* when the 201 arrived */
};

struct writer {
	struct fixture *f;
	struct session s;
	int64_t producer;
	unsigned who;
	atomic_int *stop;
	struct ack *acks;
	size_t n;
	unsigned failed;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static const char *
bin(void)
{
	const char *b = getenv("PERGAMINO_BIN");

	return b != NULL ? b : "./pergamino";
}

/* Run a shell command; its exit status (-1 when it did not exit). */
static int
run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
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

static void *
writer_run(void *arg)
{
	struct writer *w = arg;
	struct response r;
	char body[512];
	unsigned i;

	for (i = 0; !atomic_load(w->stop) && w->n < BACKUP_ACKS_MAX; i++) {
		snprintf(body, sizeof(body),
		    "{\"producer_id\":%lld,\"issued_on\":\"2017-06-30\","
		    "\"status\":\"conventional\",\"sacks\":1,"
		    "\"gross_kg\":\"50.5\",\"tare_kg\":\"0.5\","
		    "\"humidity\":\"12.0\",\"observations\":\"b%u-%u\"}",
		    (long long)w->producer, w->who, i);
		if (session_call(w->f, &w->s, "POST", "/api/v1/receptions",
		        body, &r) == 0 &&
		    r.status == 201) {
			w->acks[w->n].at_ms = now_ms();
			w->acks[w->n].id =
			    json_integer_value(json_object_get(r.json, "id"));
			w->acks[w->n].number = json_integer_value(
			    json_object_get(r.json, "number"));
			w->n++;
		} else {
			w->failed++;
		}
		response_free(&r);
	}
	return NULL;
}

static void
test_backup_while_writing_restores_whole(void **state)
{
	struct fixture *f = *state;
	unsigned nw = 4, i;
	struct writer w[BACKUP_WRITERS_MAX];
	pthread_t th[BACKUP_WRITERS_MAX];
	atomic_int stop = 0;
	char cmd[1024], restored[256], backup[256], path[96];
	double t_start, t_backup, t_restore;
	size_t before = 0, total = 0, j;
	int64_t n, lo, hi, live, producer;
	struct db *db = NULL;
	struct server_config cfg;
	struct fixture g;
	struct session s;
	struct response r;
	const char *e = getenv("PERGAMINO_BACKUP_WRITERS");

	if (e != NULL && atoi(e) > 0 && atoi(e) <= BACKUP_WRITERS_MAX)
		nw = (unsigned)atoi(e);
	assert_int_equal(session_login(f, "a-admin", TEST_PASSWORD, &s), 200);
	session_call(
	    f, &s, "GET", "/api/v1/producers/by-dni/40876543", NULL, &r);
	assert_int_equal(r.status, 200);
	producer = json_integer_value(json_object_get(r.json, "id"));
	response_free(&r);
	for (i = 0; i < nw; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].f = f;
		w[i].producer = producer;
		w[i].who = i;
		w[i].stop = &stop;
		w[i].acks = calloc(BACKUP_ACKS_MAX, sizeof(struct ack));
		assert_non_null(w[i].acks);
		assert_int_equal(
		    session_login(f, i % 2 == 0 ? "a-admin" : "a-clerk",
		        TEST_PASSWORD, &w[i].s),
		    200);
		assert_int_equal(
		    pthread_create(&th[i], NULL, writer_run, &w[i]), 0);
	}
	/* Writes before, during and after the backup. */
	pause_ms(1000);
	snprintf(backup, sizeof(backup), "%s/backup.db", f->dir);
	/*
	 * PERGAMINO_BACKUP_CP=1 copies the live file with cp instead, as the
	 * operations guide says never to: the recent commits are still in
	 * the -wal file, and the test reports them lost.
	 */
	if (getenv("PERGAMINO_BACKUP_CP") != NULL)
		snprintf(cmd, sizeof(cmd), "cp %s %s", f->db_path, backup);
	else
		snprintf(cmd, sizeof(cmd), "%s backup %s --db %s >/dev/null",
		    bin(), backup, f->db_path);
	t_start = now_ms();
	assert_int_equal(run(cmd), 0);
	t_backup = now_ms() - t_start;
	pause_ms(500);
	atomic_store(&stop, 1);
	for (i = 0; i < nw; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failed, 0);
		total += w[i].n;
		for (j = 0; j < w[i].n; j++)
			before += w[i].acks[j].at_ms < t_start;
	}

	/* Restore: a copy of the backup file, then migrate and the checks. */
	snprintf(restored, sizeof(restored), "%s/restored.db", f->dir);
	t_restore = now_ms();
	snprintf(cmd, sizeof(cmd),
	    "install -m 0600 %s %s && %s migrate --db %s >/dev/null 2>&1",
	    backup, restored, bin(), restored);
	assert_int_equal(run(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s audit verify --db %s >/dev/null", bin(),
	    restored);
	assert_int_equal(run(cmd), 0);
	assert_int_equal(db_open(restored, &db), ERR_OK);
	{
		sqlite3_stmt *ic = NULL;

		assert_int_equal(sqlite3_prepare_v2(db_handle(db),
		                     "PRAGMA integrity_check", -1, &ic, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(ic), SQLITE_ROW);
		assert_string_equal(sqlite3_column_text(ic, 0), "ok");
		sqlite3_finalize(ic);
	}
	t_restore = now_ms() - t_restore;
	assert_int_equal(
	    harness_int(db, "SELECT count(*) FROM pragma_foreign_key_check"),
	    0);

	/* Every reception acknowledged before the backup began is in it. */
	for (i = 0; i < nw; i++) {
		sqlite3_stmt *st = NULL;

		assert_int_equal(sqlite3_prepare_v2(db_handle(db),
		                     "SELECT number FROM receptions"
		                     " WHERE id = ?1 AND annulled_at IS NULL",
		                     -1, &st, NULL),
		    SQLITE_OK);
		for (j = 0; j < w[i].n; j++) {
			if (w[i].acks[j].at_ms >= t_start)
				continue;
			sqlite3_bind_int64(st, 1, w[i].acks[j].id);
			if (sqlite3_step(st) != SQLITE_ROW ||
			    sqlite3_column_int64(st, 0) != w[i].acks[j].number)
				fail_msg("reception %lld (number %lld), "
				         "acknowledged %.0f ms before the "
				         "backup, is not in it",
				    (long long)w[i].acks[j].id,
				    (long long)w[i].acks[j].number,
				    t_start - w[i].acks[j].at_ms);
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	}
	/* A snapshot: no more than the live file holds, numbers gap-free,
	 * one audit event per reception. */
	n = harness_int(db, "SELECT count(*) FROM receptions");
	lo = harness_int(db, "SELECT min(number) FROM receptions");
	hi = harness_int(db, "SELECT max(number) FROM receptions");
	assert_int_equal(n, hi - lo + 1);
	assert_int_equal(harness_int(db,
	                     "SELECT count(*) FROM audit_events WHERE"
	                     " action = 'reception.create'"),
	    n);
	assert_int_equal(harness_int(db,
	                     "SELECT count(*) FROM receptions r LEFT JOIN"
	                     " (SELECT entity_id, count(*) AS c FROM"
	                     "  audit_events WHERE action = 'reception.create'"
	                     "  GROUP BY entity_id) a ON a.entity_id = r.id"
	                     " WHERE a.c IS NOT 1"),
	    0);
	db_close(db);
	assert_int_equal(harness_db(f, &db), 0);
	live = harness_int(db, "SELECT count(*) FROM receptions");
	db_close(db);
	assert_true(n <= live);
	assert_true((size_t)n >= before);
	printf("backup drill: %u writers, %zu receptions acknowledged (%zu "
	       "before the backup started); backup %.0f ms; restored copy "
	       "holds %lld of the live file's %lld, all %zu acknowledged "
	       "before; restore (copy, migrate, audit verify, "
	       "integrity_check) %.0f ms\n",
	    nw, total, before, t_backup, (long long)n, (long long)live, before,
	    t_restore);

	/* The restored file serves: sign in and open a reception. */
	cfg = f->cfg;
	cfg.db_path = restored;
	g = *f;
	assert_int_equal(server_start(&cfg, &g.srv), ERR_OK);
	g.port = server_port(g.srv);
	assert_int_equal(session_login(&g, "a-clerk", TEST_PASSWORD, &s), 200);
	snprintf(path, sizeof(path), "/api/v1/receptions/%lld",
	    (long long)w[0].acks[0].id);
	session_call(&g, &s, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	response_free(&r);
	server_stop(g.srv);
	for (i = 0; i < nw; i++)
		free(w[i].acks);
	snprintf(cmd, sizeof(cmd), "rm -f %s* %s*", backup, restored);
	assert_int_equal(run(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_while_writing_restores_whole),
	};

	return cmocka_run_group_tests(tests, setup, harness_teardown);
}
