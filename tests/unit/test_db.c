/*
 * The store: migrations apply once and in order, a newer database is
 * refused, the numbering service is gap-free and transactional.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "pergamino/db.h"
#include "pergamino/stores.h"

static void
test_migrate_is_idempotent_and_refuses_newer(void **state)
{
	struct db *db = NULL;
	char sql[64];
	int v = 0;

	(void)state;
	assert_int_equal(db_open(":memory:", &db), ERR_OK);
	assert_int_equal(db_migrate(db), ERR_OK);
	assert_int_equal(db_schema_version(db, &v), ERR_OK);
	assert_int_equal(v, db_schema_target());
	assert_true(v >= 3);
	assert_int_equal(db_migrate(db), ERR_OK); /* nothing left to do */
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    db_schema_target() + 1);
	assert_int_equal(db_exec(db, sql), ERR_OK);
	assert_int_equal(db_migrate(db), ERR_CONFLICT);
	db_close(db);
}

static void
test_numbering_rolls_back_with_its_document(void **state)
{
	struct db *db = NULL;
	int64_t n = 0;

	(void)state;
	assert_int_equal(db_open(":memory:", &db), ERR_OK);
	assert_int_equal(db_migrate(db), ERR_OK);
	assert_int_equal(db_exec(db,
	                     "INSERT INTO organizations (name, ruc, kind,"
	                     " created_at) VALUES ('A', '20427376983',"
	                     " 'cooperative', 0)"),
	    ERR_OK);
	assert_int_equal(
	    numbering_set_start(db, 1, "reception", "", 8727), ERR_OK);
	/* A number taken by a transaction that rolls back is not used. */
	assert_int_equal(db_begin(db), ERR_OK);
	assert_int_equal(numbering_next(db, 1, "reception", "", &n), ERR_OK);
	assert_int_equal(n, 8727);
	db_rollback(db);
	assert_int_equal(db_begin(db), ERR_OK);
	assert_int_equal(numbering_next(db, 1, "reception", "", &n), ERR_OK);
	assert_int_equal(n, 8727);
	assert_int_equal(numbering_next(db, 1, "reception", "", &n), ERR_OK);
	assert_int_equal(n, 8728);
	/* Series are independent. */
	assert_int_equal(numbering_next(db, 1, "reception", "002", &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_commit(db), ERR_OK);
	/* Once issued, the start cannot move; unknown types are refused. */
	assert_int_equal(
	    numbering_set_start(db, 1, "reception", "", 1), ERR_CONFLICT);
	assert_false(numbering_doc_type_valid("recibo"));
	assert_int_equal(numbering_next(db, 1, "recibo", "", &n), ERR_INTERNAL);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_is_idempotent_and_refuses_newer),
		cmocka_unit_test(test_numbering_rolls_back_with_its_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
