/*
 * Power loss: nothing acknowledged is lost when the power goes, however
 * the disk leaves the writes it had not yet flushed.  The database is
 * opened the product's way (db_open: WAL, synchronous=FULL) on faultvfs
 * (faultvfs.h), receptions are issued through the service layer
 * (acopio_receive inside db_begin/db_commit, as the API does), and the
 * machine "crashes" after a random number of file writes and syncs.
 * Power comes back with each file as its durable image plus a random
 * subset of its unsynced writes, some torn sector by sector; the -shm
 * index is gone.  After every crash: each reception whose commit
 * returned OK is there with its number, data and frozen parties;
 * integrity_check is ok, foreign_key_check empty, numbers gap-free and
 * the counter agrees, one audit event per reception, the chain verifies.
 *
 * PERGAMINO_POWERLOSS_CRASHES (default 1000) and PERGAMINO_POWERLOSS_SEED
 * rerun it.  The same harness with synchronous=OFF must find lost
 * acknowledged writes: proof that it can fail (docs/reliability.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "faultvfs.h"
#include "harness.h"
#include "pergamino/acopio.h"
#include "pergamino/admin.h"
#include "pergamino/audit.h"
#include "pergamino/db.h"
#include "pergamino/log.h"
#include "pergamino/password.h"

#define PL_CRASHES_DEFAULT 1000
#define PL_EVENTS_MAX 200 /* a crash comes within this many writes/syncs */
#define PL_WRITES_MAX 64  /* receptions per power cycle, at most */
#define PL_OFF_CRASHES 50 /* synchronous=OFF: give up after this many */

struct pl_acked {
	int64_t id, number;
	char marker[32];
};

struct pl_findings {
	unsigned lost, changed, corrupt, gaps, audit;
};

static struct {
	char dir[64], db[96];
	struct actor clerk;
	int64_t producer;
	struct pl_acked *acked;
	size_t n_acked, cap_acked;
	unsigned unexpected; /* write failures with the machine running */
	uint64_t seed;
} pl;

static int64_t
pl_int(struct db *db, const char *sql, int64_t arg, bool *bad)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) !=
	        SQLITE_OK ||
	    (arg != 0 && sqlite3_bind_int64(st, 1, arg) != SQLITE_OK) ||
	    sqlite3_step(st) != SQLITE_ROW)
		*bad = true;
	else
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
pl_by_id(const void *a, const void *b)
{
	const struct pl_acked *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Every acknowledged reception is there, whole.  Rows are read in one
 * scan and looked up by id, so a thousand checks stay cheap.
 */
static void
pl_check_acked(struct db *db, struct pl_findings *out)
{
	static const char sql[] =
	    "SELECT id, number, observations, parties <> '{}'"
	    " FROM receptions WHERE observations LIKE 'pl-%' ORDER BY id";
	struct pl_acked *rows = NULL, *hit, key;
	bool *whole = NULL;
	size_t n = 0, cap = pl.n_acked + 64, i;
	sqlite3_stmt *st = NULL;
	int step;

	rows = calloc(cap, sizeof(*rows));
	whole = calloc(cap, sizeof(*whole));
	if (rows == NULL || whole == NULL ||
	    sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) !=
	        SQLITE_OK) {
		out->corrupt++;
		out->lost += (unsigned)pl.n_acked;
		goto done;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW && n < cap) {
		rows[n].id = sqlite3_column_int64(st, 0);
		rows[n].number = sqlite3_column_int64(st, 1);
		snprintf(rows[n].marker, sizeof(rows[n].marker), "%s",
		    (const char *)sqlite3_column_text(st, 2));
		whole[n] = sqlite3_column_int(st, 3) != 0;
		n++;
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		out->corrupt++;
	for (i = 0; i < pl.n_acked; i++) {
		key.id = pl.acked[i].id;
		hit = bsearch(&key, rows, n, sizeof(*rows), pl_by_id);
		if (hit == NULL)
			out->lost++;
		else if (hit->number != pl.acked[i].number ||
		    strcmp(hit->marker, pl.acked[i].marker) != 0 ||
		    !whole[hit - rows])
			out->changed++;
	}
done:
	sqlite3_finalize(st);
	free(rows);
	free(whole);
}

/* The file, the numbering and the audit chain are sound. */
static void
pl_check_sound(struct db *db, struct pl_findings *out)
{
	struct audit_verify_result vr;
	sqlite3_stmt *st = NULL;
	int64_t n, lo, hi, next;
	bool bad = false;
	int org = (int)pl.clerk.org_id;

	if (sqlite3_prepare_v2(db_handle(db), "PRAGMA integrity_check", -1, &st,
	        NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		out->corrupt++;
	sqlite3_finalize(st);
	if (pl_int(db, "SELECT count(*) FROM pragma_foreign_key_check", 0,
	        &bad) != 0)
		out->corrupt++;
	n = pl_int(db,
	    "SELECT count(*) FROM receptions WHERE organization_id"
	    " = ?1",
	    org, &bad);
	lo = pl_int(db,
	    "SELECT min(number) FROM receptions WHERE"
	    " organization_id = ?1",
	    org, &bad);
	hi = pl_int(db,
	    "SELECT max(number) FROM receptions WHERE"
	    " organization_id = ?1",
	    org, &bad);
	next = pl_int(db,
	    "SELECT next_number FROM numbering WHERE"
	    " organization_id = ?1 AND doc_type = 'reception'"
	    " AND series = ''",
	    org, &bad);
	if (n != hi - lo + 1 || next != hi + 1)
		out->gaps++;
	/* Exactly one audit event per reception, and no orphan event. */
	if (pl_int(db,
	        "SELECT count(*) FROM receptions r LEFT JOIN"
	        " (SELECT entity_id, count(*) AS c FROM audit_events"
	        "  WHERE action = 'reception.create' GROUP BY entity_id) a"
	        " ON a.entity_id = r.id WHERE a.c IS NOT 1",
	        0, &bad) != 0 ||
	    pl_int(db,
	        "SELECT count(*) FROM audit_events"
	        " WHERE action = 'reception.create'",
	        0,
	        &bad) != pl_int(db, "SELECT count(*) FROM receptions", 0, &bad))
		out->audit++;
	if (audit_verify(db, &vr) != ERR_OK || !vr.ok)
		out->audit++;
	if (bad)
		out->corrupt++;
}

static void
pl_check(struct db *db, struct pl_findings *out)
{
	memset(out, 0, sizeof(*out));
	if (db == NULL) {
		out->corrupt++;
		out->lost = (unsigned)pl.n_acked;
		return;
	}
	pl_check_acked(db, out);
	pl_check_sound(db, out);
}

static bool
pl_found(const struct pl_findings *f)
{
	return f->lost + f->changed + f->corrupt + f->gaps + f->audit > 0;
}

/* One reception through the service layer; true when committed. */
static bool
pl_receive(struct db *db, unsigned cycle, unsigned i)
{
	struct reception_new in = { 0 };
	struct rule_error e = { 0 };
	struct pl_acked *a;
	char marker[32];
	int64_t id = 0, number = 0;
	enum err rc;

	snprintf(marker, sizeof(marker), "pl-%u-%u", cycle, i);
	in.issued_on = "2017-06-30";
	in.producer_id = pl.producer;
	in.status = "conventional";
	in.w.sacks = 1 + (int64_t)(i % 5);
	in.w.gross_g = 50500 + (int64_t)i;
	in.w.tare_g = 500;
	in.w.humidity = 120;
	in.observations = marker;
	in.weighed_by = "Prueba";
	rc = db_begin(db);
	if (rc == ERR_OK)
		rc = acopio_receive(db, &pl.clerk, &in, &id, &e);
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc != ERR_OK) {
		db_rollback(db);
		return false;
	}
	/* Acknowledged: the commit returned OK.  Read what it stored. */
	{
		sqlite3_stmt *st = NULL;

		if (sqlite3_prepare_v2(db_handle(db),
		        "SELECT number FROM receptions WHERE id = ?1", -1, &st,
		        NULL) == SQLITE_OK &&
		    sqlite3_bind_int64(st, 1, id) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			number = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (pl.n_acked == pl.cap_acked) {
		size_t cap = pl.cap_acked != 0 ? pl.cap_acked * 2 : 1024;
		struct pl_acked *p = realloc(pl.acked, cap * sizeof(*p));

		assert_non_null(p);
		pl.acked = p;
		pl.cap_acked = cap;
	}
	a = &pl.acked[pl.n_acked++];
	a->id = id;
	a->number = number;
	snprintf(a->marker, sizeof(a->marker), "%s", marker);
	return true;
}

/* Open as the server does; synchronous OFF when asked. */
static struct db *
pl_open(bool sync_off)
{
	struct db *db = NULL;

	if (db_open(pl.db, &db) != ERR_OK)
		return NULL;
	if (sync_off && db_exec(db, "PRAGMA synchronous = OFF") != ERR_OK) {
		db_close(db);
		return NULL;
	}
	return db;
}

struct pl_run {
	unsigned crashes, cycles_with_loss;
	unsigned in_checkpoint; /* crashes with database-file writes unsynced */
	uint64_t pending, kept, torn, dropped;
	struct pl_findings worst; /* summed over every check */
};

/*
 * Power cycles until max crashes, or the first finding when stop_early.
 * Each cycle: open, check everything acknowledged so far, write until
 * the crash, close, power back.
 */
static void
pl_cycles(unsigned max, bool sync_off, bool stop_early, struct pl_run *run)
{
	struct faultvfs_reboot_stats rs;
	struct pl_findings f;
	struct db *db;
	unsigned cycle, i;

	memset(run, 0, sizeof(*run));
	for (cycle = 1; cycle <= max + 1; cycle++) {
		db = pl_open(sync_off);
		pl_check(db, &f);
		run->worst.lost += f.lost;
		run->worst.changed += f.changed;
		run->worst.corrupt += f.corrupt;
		run->worst.gaps += f.gaps;
		run->worst.audit += f.audit;
		if (pl_found(&f)) {
			run->cycles_with_loss++;
			if (!stop_early)
				print_message("powerloss: after crash %u: %u "
				              "lost, %u changed, %u corrupt, "
				              "%u gaps, %u audit (seed %llu)\n",
				    cycle - 1, f.lost, f.changed, f.corrupt,
				    f.gaps, f.audit,
				    (unsigned long long)pl.seed);
		}
		if (cycle > max || db == NULL || (stop_early && pl_found(&f))) {
			db_close(db);
			break;
		}
		faultvfs_crash_after(
		    1 + (uint64_t)rand() % (uint64_t)PL_EVENTS_MAX);
		for (i = 0; i < PL_WRITES_MAX; i++) {
			if (pl_receive(db, cycle, i))
				continue;
			if (!faultvfs_crashed())
				pl.unexpected++;
			break;
		}
		/* Closing a crashed connection writes nothing more. */
		db_close(db);
		assert_int_equal(faultvfs_reboot(&rs), 0);
		run->crashes++;
		run->pending += rs.pending;
		run->kept += rs.kept;
		run->torn += rs.torn;
		run->dropped += rs.dropped;
		if (rs.pending_db > 0)
			run->in_checkpoint++;
	}
}

static int
pl_setup(void **state)
{
	struct org o = { 0, "Cooperativa A", "20427376983", ORG_COOPERATIVE, "",
		"", 0 };
	struct user admin = { 0 }, clerk = { 0 };
	struct msg why;
	struct db *db = NULL;
	bool bad = false;
	int rc = -1;

	(void)state;
	log_set_quiet(getenv("PERGAMINO_TEST_LOG") == NULL);
	/* Every crash logs the failed commit: expected, and a lot of noise. */
	if (getenv("PERGAMINO_TEST_LOG") == NULL)
		(void)!freopen("/dev/null", "w", stderr);
	password_set_cost(PASSWORD_COST_MIN);
	if (password_init(0) != ERR_OK || faultvfs_register() != SQLITE_OK)
		return -1;
	memset(&pl, 0, sizeof(pl));
	snprintf(pl.dir, sizeof(pl.dir), "/tmp/pergamino-powerloss-XXXXXX");
	if (mkdtemp(pl.dir) == NULL)
		return -1;
	snprintf(pl.db, sizeof(pl.db), "%s/pl.db", pl.dir);
	if (db_open(pl.db, &db) != ERR_OK || db_migrate(db) != ERR_OK ||
	    admin_org_add(db, &o, &why) != ERR_OK)
		goto out;
	admin.username = "a-admin";
	admin.display_name = "a-admin";
	admin.role = ROLE_ADMIN;
	admin.organization_id = o.id;
	clerk = admin;
	clerk.username = clerk.display_name = "a-clerk";
	clerk.role = ROLE_CLERK;
	if (admin_user_add(db, &admin, TEST_PASSWORD, &why) != ERR_OK ||
	    admin_user_add(db, &clerk, TEST_PASSWORD, &why) != ERR_OK ||
	    demo_acopio_seed(db, o.id, admin.id, clerk.id) != ERR_OK)
		goto out;
	pl.clerk.user_id = clerk.id;
	pl.clerk.org_id = o.id;
	pl.producer = pl_int(
	    db, "SELECT id FROM producers WHERE dni = '08754611'", 0, &bad);
	rc = bad ? -1 : 0;
out:
	/* A clean close: the WAL is checkpointed, the files are durable. */
	db_close(db);
	return rc;
}

static int
pl_teardown(void **state)
{
	char cmd[128];

	(void)state;
	faultvfs_powerloss_stop();
	free(pl.acked);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", pl.dir);
	return system(cmd) == 0 ? 0 : -1;
}

static unsigned
pl_env(const char *name, unsigned dflt)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? (unsigned)strtoul(v, NULL, 10)
	                                 : dflt;
}

static void
pl_seed(void)
{
	const char *v = getenv("PERGAMINO_POWERLOSS_SEED");

	pl.seed = v != NULL && v[0] != '\0' ? strtoull(v, NULL, 10)
	                                    : (uint64_t)time(NULL);
	srand((unsigned)pl.seed);
	faultvfs_powerloss_start(pl.seed);
}

static void
test_power_loss_loses_nothing_acknowledged(void **state)
{
	unsigned crashes =
	    pl_env("PERGAMINO_POWERLOSS_CRASHES", PL_CRASHES_DEFAULT);
	struct pl_run run;

	(void)state;
	pl_seed();
	print_message("powerloss: %u crashes, seed %llu\n", crashes,
	    (unsigned long long)pl.seed);
	pl_cycles(crashes, false, false, &run);
	print_message("powerloss: %u crashes, %zu acknowledged writes, "
	              "%u lost, %u changed, %u corrupt, %u gap, %u audit; "
	              "unsynced writes at the crashes: %llu (%llu kept, %llu "
	              "torn, %llu dropped); %u crashes inside a checkpoint\n",
	    run.crashes, pl.n_acked, run.worst.lost, run.worst.changed,
	    run.worst.corrupt, run.worst.gaps, run.worst.audit,
	    (unsigned long long)run.pending, (unsigned long long)run.kept,
	    (unsigned long long)run.torn, (unsigned long long)run.dropped,
	    run.in_checkpoint);
	assert_int_equal(run.crashes, crashes);
	assert_int_equal(run.cycles_with_loss, 0);
	assert_int_equal(pl.unexpected, 0);
	/* The crashes did hit live writes, and every shape of loss. */
	assert_true(pl.n_acked > crashes);
	assert_true(run.torn > 0 && run.dropped > 0 && run.kept > 0);
}

/*
 * The harness can fail: with synchronous=OFF nothing is ever made
 * durable, and the first crashes must show lost acknowledged writes.
 */
static void
test_power_loss_detected_without_sync(void **state)
{
	struct pl_run run;

	(void)state;
	pl_seed();
	pl_cycles(PL_OFF_CRASHES, true, true, &run);
	print_message("powerloss, synchronous=OFF: detected after %u "
	              "crashes: %u of %zu acknowledged writes lost, %u "
	              "changed, %u corrupt (seed %llu)\n",
	    run.crashes, run.worst.lost, pl.n_acked, run.worst.changed,
	    run.worst.corrupt, (unsigned long long)pl.seed);
	assert_true(run.worst.lost > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_power_loss_loses_nothing_acknowledged, pl_setup,
		    pl_teardown),
		cmocka_unit_test_setup_teardown(
		    test_power_loss_detected_without_sync, pl_setup,
		    pl_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
