/* Acopio arithmetic and rules, and calendar dates, as tables of cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/acopio_rules.h"
#include "pergamino/dates.h"

static void
test_guide_ticket_8727(void **state)
{
	struct reception_input in = { 7, 474000, 1400, 300, 204, 36, 60, 125 };
	struct reception_figures f;
	struct rule_error e = { 0 };

	(void)state;
	assert_int_equal(reception_compute(&in, &f, &e), ERR_OK);
	assert_int_equal(f.net_g, 472600);
	assert_int_equal(f.qq_centi, 856);
	assert_int_equal(f.exportable_pct, 6800);
	assert_int_equal(f.discard_pct, 1200);
	assert_int_equal(f.husk_pct, 2000);
}

static void
test_reception_refusals(void **state)
{
	/* clang-format off */
	static const struct {
		struct reception_input in;
		const char *field;
	} cases[] = {
		{ { 0, 474000, 1400, 0, 0, 0, 0, 125 }, "sacks" },
		{ { 10001, 474000, 1400, 0, 0, 0, 0, 125 }, "sacks" },
		{ { 1, 0, 0, 0, 0, 0, 0, 125 }, "gross_kg" },
		{ { 1, 1000, 1000, 0, 0, 0, 0, 125 }, "tare_kg" },
		{ { 1, 1000, -1, 0, 0, 0, 0, 125 }, "tare_kg" },
		{ { 1, 1000, 0, 300, 204, 36, 59, 125 }, "sample_g" },
		{ { 1, 1000, 0, 100001, 100001, 0, 0, 125 }, "sample_g" },
		{ { 1, 1000, 0, 0, 0, 0, 0, 1001 }, "humidity" },
		{ { 1, 1000, 0, 0, 0, 0, 0, -1 }, "humidity" },
		{ { 1, 100000001, 0, 0, 0, 0, 0, 125 }, "gross_kg" },
	};
	/* clang-format on */
	struct reception_figures f;
	struct rule_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&e, 0, sizeof(e));
		if (reception_compute(&cases[i].in, &f, &e) != ERR_INVALID ||
		    e.field == NULL || strcmp(e.field, cases[i].field) != 0)
			fail_msg("case %zu", i);
		assert_non_null(e.why.es);
		assert_non_null(e.why.en);
	}
	/* Limits that pass: one sack, tare 0, gross at the maximum. */
	{
		struct reception_input ok = { 1, 100000000, 0, 0, 0, 0, 0,
			1000 };

		assert_int_equal(reception_compute(&ok, &f, &e), ERR_OK);
		assert_int_equal(f.net_g, 100000000);
	}
}

static void
test_humidity_and_plausibility(void **state)
{
	(void)state;
	assert_true(reception_humidity_ok(100, 100, 135));
	assert_true(reception_humidity_ok(135, 100, 135));
	assert_false(reception_humidity_ok(136, 100, 135));
	assert_false(reception_humidity_ok(99, 100, 135));

	/* 1 000 kg estimate, 10 % tolerance: 1 100 kg is still plausible. */
	assert_false(reception_over_estimate(1100000, 1000000, 10));
	assert_true(reception_over_estimate(1100001, 1000000, 10));
	assert_false(reception_over_estimate(1, 1000000, 0));
	assert_true(reception_over_estimate(1000001, 1000000, 0));
	assert_true(reception_over_estimate(1, 0, 10)); /* no estimate */
}

static void
test_settlement_34795(void **state)
{
	struct settlement_figures s;

	(void)state;
	assert_int_equal(settlement_compute(856, 41200, 0, &s), ERR_OK);
	assert_int_equal(s.subtotal_centimos, 352672);
	assert_int_equal(s.igv_centimos, 0);
	assert_int_equal(s.total_centimos, 352672);
	assert_string_equal(
	    s.words, "Tres mil quinientos veintiseis y 72/100 soles");
	/* IGV 18 %: 352 672 x 0.18 = 63 480.96 -> 63 481 céntimos. */
	assert_int_equal(settlement_compute(856, 41200, 1800, &s), ERR_OK);
	assert_int_equal(s.igv_centimos, 63481);
	assert_int_equal(s.total_centimos, 416153);
	assert_int_equal(settlement_compute(856, 0, 0, &s), ERR_INVALID);
	assert_int_equal(
	    settlement_compute(856, 41200, 10001, &s), ERR_INVALID);
	assert_string_equal(
	    acopio_quality_text("organic"), "Café pergamino orgánico");
	assert_null(acopio_quality_text("mixed"));
}

static void
test_dates(void **state)
{
	/* clang-format off */
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
		{ "2017-06-10", true }, { "2016-02-29", true },
		{ "2017-02-29", false }, { "2100-02-29", false },
		{ "2000-02-29", true }, { "2017-13-01", false },
		{ "2017-04-31", false }, { "2017-6-10", false },
		{ "10/06/2017", false }, { "1999-12-31", false },
		{ "2017-06-10 ", false }, { "", false },
	};
	/* clang-format on */
	char out[DATE_LEN + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (date_valid(cases[i].s) != cases[i].ok)
			fail_msg("%s", cases[i].s);
	assert_int_equal(date_year("2017-06-10"), 2017);
	date_print_pe("2017-06-10", out);
	assert_string_equal(out, "10/06/2017");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guide_ticket_8727),
		cmocka_unit_test(test_reception_refusals),
		cmocka_unit_test(test_humidity_and_plausibility),
		cmocka_unit_test(test_settlement_34795),
		cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
