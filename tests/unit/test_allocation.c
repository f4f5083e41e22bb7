/* Integer proportional allocation: scaling and largest remainder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "pergamino/allocation.h"

static void
test_scale_exact_and_large(void **state)
{
	(void)state;
	assert_int_equal(alloc_scale(472600, 17250000, 18338000), 444560);
	/* 10^18 × 10^9 / 10^9 does not overflow the intermediate. */
	assert_int_equal(
	    alloc_scale(INT64_C(1000000000000000000), 1000000000, 1000000000),
	    INT64_C(1000000000000000000));
	assert_int_equal(alloc_scale(INT64_MAX, 2, 1), -1);
	assert_int_equal(alloc_scale(1, 1, 0), -1);
	assert_int_equal(alloc_scale(-1, 1, 1), -1);
}

static void
test_round_half_up(void **state)
{
	(void)state;
	assert_int_equal(alloc_ug_round(1499999), 1);
	assert_int_equal(alloc_ug_round(1500000), 2);
	assert_int_equal(alloc_ug_round(0), 0);
}

/* 1000 g in three equal parts: 334 + 333 + 333, the first wins the tie. */
static void
test_thirds_add_up(void **state)
{
	int64_t ug[3] = { 333333333, 333333333, 333333333 };
	int64_t out[3];

	(void)state;
	assert_int_equal(alloc_largest_remainder(ug, 3, 1000, out), ERR_OK);
	assert_int_equal(out[0], 334);
	assert_int_equal(out[1], 333);
	assert_int_equal(out[2], 333);
}

/* The largest remainders get the missing grams, not the largest shares. */
static void
test_largest_remainder_wins(void **state)
{
	int64_t ug[3] = { 5100000, 2900000, 2000000 }; /* 5.1 2.9 2.0 g */
	int64_t out[3];

	(void)state;
	assert_int_equal(alloc_largest_remainder(ug, 3, 10, out), ERR_OK);
	assert_int_equal(out[0], 5);
	assert_int_equal(out[1], 3);
	assert_int_equal(out[2], 2);
}

static void
test_unreachable_target_refused(void **state)
{
	int64_t ug[2] = { 1000000, 1000000 };
	int64_t out[2] = { 7, 7 };

	(void)state;
	assert_int_equal(alloc_largest_remainder(ug, 2, 5, out), ERR_INVALID);
	assert_int_equal(alloc_largest_remainder(ug, 2, 1, out), ERR_INVALID);
	assert_int_equal(out[0], 7);
	assert_int_equal(alloc_largest_remainder(ug, 2, 4, out), ERR_OK);
	assert_int_equal(out[0] + out[1], 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_exact_and_large),
		cmocka_unit_test(test_round_half_up),
		cmocka_unit_test(test_thirds_add_up),
		cmocka_unit_test(test_largest_remainder_wins),
		cmocka_unit_test(test_unreachable_target_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
