/*
 * Audit hashing: deterministic, sensitive to every field and to the
 * previous hash, unambiguous between fields; and the chain over an
 * in-memory database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "pergamino/audit.h"
#include "pergamino/db.h"

static struct audit_event
sample(void)
{
	struct audit_event ev = { 0 };

	ev.seq = 7;
	ev.at_ms = 1497052800000;
	ev.user_id = 3;
	ev.organization_id = 1;
	ev.action = "user.create";
	ev.entity = "user";
	ev.entity_id = 9;
	ev.before_json = NULL;
	ev.after_json = "{\"username\":\"maria\"}";
	return ev;
}

static void
test_hash_is_deterministic_and_field_sensitive(void **state)
{
	unsigned char prev[AUDIT_HASH_LEN] = { 0 }, a[AUDIT_HASH_LEN],
	              b[AUDIT_HASH_LEN];
	struct audit_event ev = sample(), alt;

	(void)state;
	audit_hash(prev, &ev, a);
	audit_hash(prev, &ev, b);
	assert_memory_equal(a, b, AUDIT_HASH_LEN);

	alt = ev;
	alt.entity_id = 10;
	audit_hash(prev, &alt, b);
	assert_memory_not_equal(a, b, AUDIT_HASH_LEN);

	alt = ev;
	alt.after_json = "{\"username\":\"marta\"}";
	audit_hash(prev, &alt, b);
	assert_memory_not_equal(a, b, AUDIT_HASH_LEN);

	/* NULL and "" are different values. */
	alt = ev;
	alt.before_json = "";
	audit_hash(prev, &alt, b);
	assert_memory_not_equal(a, b, AUDIT_HASH_LEN);

	/* Moving bytes between fields changes the hash. */
	alt = ev;
	alt.action = "user.creat";
	alt.entity = "euser";
	audit_hash(prev, &alt, b);
	assert_memory_not_equal(a, b, AUDIT_HASH_LEN);

	prev[0] = 1;
	audit_hash(prev, &ev, b);
	assert_memory_not_equal(a, b, AUDIT_HASH_LEN);
}

static void
test_chain_appends_and_verifies(void **state)
{
	struct audit_verify_result v;
	struct audit_event ev;
	struct db *db = NULL;
	int i;

	(void)state;
	assert_int_equal(db_open(":memory:", &db), ERR_OK);
	assert_int_equal(db_migrate(db), ERR_OK);
	assert_int_equal(audit_verify(db, &v), ERR_OK);
	assert_true(v.ok);
	assert_int_equal(v.events, 0);
	for (i = 0; i < 5; i++) {
		ev = sample();
		assert_int_equal(db_begin(db), ERR_OK);
		assert_int_equal(audit_append(db, &ev), ERR_OK);
		assert_int_equal(db_commit(db), ERR_OK);
		assert_int_equal(ev.seq, i + 1);
	}
	assert_int_equal(audit_verify(db, &v), ERR_OK);
	assert_true(v.ok);
	assert_int_equal(v.events, 5);
	assert_int_equal(strlen(v.head_hash), 64);

	/* Deleting the last event is refused by the trigger. */
	assert_int_not_equal(
	    sqlite3_exec(db_handle(db),
	        "DELETE FROM audit_events WHERE seq = 5", NULL, NULL, NULL),
	    SQLITE_OK);
	/* Removing a middle event (bypassing triggers) breaks the chain. */
	assert_int_equal(sqlite3_exec(db_handle(db),
	                     "DROP TRIGGER audit_events_no_delete;"
	                     "DELETE FROM audit_events WHERE seq = 3",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(audit_verify(db, &v), ERR_OK);
	assert_false(v.ok);
	assert_int_equal(v.first_broken_seq, 4);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_hash_is_deterministic_and_field_sensitive),
		cmocka_unit_test(test_chain_appends_and_verifies),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
