/*
 * Plant-stage arithmetic and rules: the guide's LOP 1204 row by row, the
 * exact mass balance (exact, one gram over, one gram under), the yield,
 * exits within the lot, the carrier's document, printed numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/process_rules.h"
#include "pergamino/units.h"

#define KG(n) ((int64_t)(n)*1000)

/* LOP 1204: input 23 400 kg. */
static const int64_t guide_outputs[PROCESS_OUT_COUNT] = {
	[PROCESS_OUT_EXPORT] = KG(17250),
	[PROCESS_OUT_EXPORT_MC] = KG(1088),
	[PROCESS_OUT_SECOND] = KG(381),
	[PROCESS_OUT_MACHINE_DISCARD] = KG(151),
	[PROCESS_OUT_SORTING_DISCARD] = KG(177),
	[PROCESS_OUT_BOLA] = KG(148),
	[PROCESS_OUT_CISCO] = KG(150),
	[PROCESS_OUT_STONES] = 0,
	[PROCESS_OUT_HUSK] = KG(4055),
	[PROCESS_OUT_SHRINKAGE] = 0,
};
#define GUIDE_INPUT_G KG(23400)

static void
test_guide_lop_1204_rows(void **state)
{
	/* clang-format off */
	static const struct {
		int item;
		const char *product;
		int has_sacks;
		int64_t sacks, remainder_g, kilos_g;
		int has_qq;
		int64_t qq_centi, pct_centi;
	} want[] = {
		{ 1, "Café exportación", 1, 250, 0, KG(17250), 1, 37500, 7372 },
		{ 2, "Café exportación MC", 1, 15, KG(53), KG(1088), 0, 0, 465 },
		{ 3, "Café segunda", 1, 5, KG(36), KG(381), 0, 0, 163 },
		{ 4, "Café descarte máquina", 1, 2, KG(13), KG(151), 0, 0, 65 },
		{ 5, "Café descarte de escojo", 1, 2, KG(39), KG(177), 0, 0, 76 },
		{ 6, "Café bola", 1, 2, KG(10), KG(148), 0, 0, 63 },
		{ 7, "Café cisco", 1, 2, KG(12), KG(150), 0, 0, 64 },
		{ 8, "TOTAL EN CAFÉ", 1, 278, KG(163), KG(19345), 0, 0, 8267 },
		{ 9, "Piedras y otros", 0, 0, 0, 0, 0, 0, 0 },
		{ 10, "Cáscara y otros", 0, 0, 0, KG(4055), 0, 0, 1733 },
		{ 0, "TOTALES", 0, 0, 0, KG(23400), 0, 0, 10000 },
	};
	/* clang-format on */
	struct process_figures f;
	size_t i;

	(void)state;
	process_figures_compute(guide_outputs, GUIDE_INPUT_G, &f);
	/* No declared shrinkage: no line for it. */
	assert_int_equal(f.row_count, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < f.row_count; i++) {
		const struct process_row *r = &f.rows[i];

		if (r->item != want[i].item ||
		    strcmp(r->product, want[i].product) != 0 ||
		    r->has_sacks != (want[i].has_sacks == 1) ||
		    (r->has_sacks &&
		        (r->sacks != want[i].sacks ||
		            r->remainder_g != want[i].remainder_g)) ||
		    r->kilos_g != want[i].kilos_g ||
		    r->has_qq != (want[i].has_qq == 1) ||
		    (r->has_qq && r->qq_centi != want[i].qq_centi) ||
		    r->pct_centi != want[i].pct_centi)
			fail_msg("row %zu (%s): item %d sacks %lld + %lld g, "
			         "%lld g, qq %lld, pct %lld",
			    i, r->product, r->item, (long long)r->sacks,
			    (long long)r->remainder_g, (long long)r->kilos_g,
			    (long long)r->qq_centi, (long long)r->pct_centi);
	}
	assert_int_equal(f.coffee_g, KG(19345));
	assert_int_equal(f.coffee_sacks, 278);
	assert_int_equal(f.total_g, GUIDE_INPUT_G);
	assert_int_equal(f.export_g, KG(17250));
	assert_int_equal(f.export_sacks, 250);
	assert_int_equal(f.yield_pct, 7372); /* 17 250 / 23 400 */
}

static void
test_shrinkage_line_only_when_declared(void **state)
{
	int64_t out[PROCESS_OUT_COUNT];
	struct process_figures f;

	(void)state;
	memcpy(out, guide_outputs, sizeof(out));
	out[PROCESS_OUT_HUSK] -= 5000;
	out[PROCESS_OUT_SHRINKAGE] = 5000;
	process_figures_compute(out, GUIDE_INPUT_G, &f);
	assert_int_equal(f.row_count, 12);
	assert_int_equal(f.rows[10].item, 11);
	assert_string_equal(f.rows[10].product, "Merma declarada");
	assert_int_equal(f.rows[10].kilos_g, 5000);
	assert_int_equal(f.rows[10].pct_centi, 2); /* 5 / 23 400 = 0.02 % */
	assert_int_equal(f.total_g, GUIDE_INPUT_G);
}

static void
test_mass_balance_exact_over_under(void **state)
{
	int64_t out[PROCESS_OUT_COUNT];
	struct rule_error e;
	int64_t diff;

	(void)state;
	memcpy(out, guide_outputs, sizeof(out));
	memset(&e, 0, sizeof(e));
	assert_int_equal(
	    process_mass_balance(out, GUIDE_INPUT_G, &diff, &e), ERR_OK);
	assert_int_equal(diff, 0);

	out[PROCESS_OUT_HUSK] += 1; /* one gram over */
	assert_int_equal(process_mass_balance(out, GUIDE_INPUT_G, &diff, &e),
	    ERR_UNPROCESSABLE);
	assert_int_equal(diff, 1);
	assert_string_equal(e.field, "outputs");
	assert_string_equal(e.code, "mass_imbalance");
	assert_non_null(e.why.es);
	assert_non_null(e.why.en);

	out[PROCESS_OUT_HUSK] -= 2; /* one gram under */
	assert_int_equal(process_mass_balance(out, GUIDE_INPUT_G, &diff, &e),
	    ERR_UNPROCESSABLE);
	assert_int_equal(diff, -1);

	out[PROCESS_OUT_HUSK] += 1;
	out[PROCESS_OUT_STONES] = -1;
	out[PROCESS_OUT_SHRINKAGE] = 1;
	assert_int_equal(
	    process_mass_balance(out, GUIDE_INPUT_G, &diff, &e), ERR_INVALID);
}

static void
test_output_keys_round_trip(void **state)
{
	int o;

	(void)state;
	for (o = 0; o < PROCESS_OUT_COUNT; o++)
		assert_int_equal(
		    process_output_parse(process_output_key(o)), o);
	assert_int_equal(process_output_parse("café"), -1);
	assert_int_equal(process_output_parse(NULL), -1);
	assert_null(process_output_key(PROCESS_OUT_COUNT));
	assert_null(process_output_name(-1));
	assert_string_equal(
	    process_output_key(PROCESS_OUT_EXPORT_MC), "export_mc");
}

static void
test_exit_within_the_lot(void **state)
{
	struct rule_error e;

	(void)state;
	memset(&e, 0, sizeof(e));
	/* 17 250 kg = 250 sacks: exactly all of it. */
	assert_int_equal(
	    process_exit_check(KG(17250), 0, 0, 250, KG(17250), &e), ERR_OK);
	/* One sack more than the lot. */
	assert_int_equal(
	    process_exit_check(KG(17250), 0, 0, 251, KG(17250), &e),
	    ERR_UNPROCESSABLE);
	assert_string_equal(e.code, "exceeds_lot");
	assert_string_equal(e.field, "sacks");
	/* One gram more than the lot. */
	assert_int_equal(
	    process_exit_check(KG(17250), 0, 0, 250, KG(17250) + 1, &e),
	    ERR_UNPROCESSABLE);
	assert_string_equal(e.field, "gross_kg");
	/* What earlier exits took counts. */
	assert_int_equal(
	    process_exit_check(KG(17250), 200, KG(13800), 50, KG(3450), &e),
	    ERR_OK);
	assert_int_equal(
	    process_exit_check(KG(17250), 200, KG(13800), 51, KG(3450), &e),
	    ERR_UNPROCESSABLE);
	/* 1 088 kg of export is 15 whole sacks: a 16th is refused. */
	assert_int_equal(
	    process_exit_check(KG(1088), 0, 0, 15, KG(1035), &e), ERR_OK);
	assert_int_equal(process_exit_check(KG(1088), 0, 0, 16, KG(1088), &e),
	    ERR_UNPROCESSABLE);
}

static void
test_carrier_document(void **state)
{
	/* clang-format off */
	static const struct {
		const char *doc;
		enum err want;
	} cases[] = {
		{ "10066109556", ERR_OK },      /* Hugo Callupe, corrected */
		{ "10066109559", ERR_INVALID }, /* the guide's: bad check digit */
		{ "20100412447", ERR_OK },      /* Unimar, valid in the guide */
		{ "08754611", ERR_OK },         /* a DNI */
		{ "00000000", ERR_INVALID },
		{ "2051078079", ERR_INVALID },  /* 10 digits */
		{ "1006610955-6", ERR_INVALID },
		{ "", ERR_INVALID },
		{ NULL, ERR_INVALID },
	};
	/* clang-format on */
	struct msg why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (process_carrier_doc_check(cases[i].doc, &why) !=
		    cases[i].want)
			fail_msg("case %zu (%s)", i,
			    cases[i].doc != NULL ? cases[i].doc : "NULL");
		if (cases[i].want != ERR_OK &&
		    (why.es == NULL || why.en == NULL))
			fail_msg("case %zu has no reason", i);
	}
}

static void
test_printed_numbers(void **state)
{
	char buf[PROCESS_NUMBER_TEXT_LEN];

	(void)state;
	process_marking_number_text(29, "", "2017-06-23", buf);
	assert_string_equal(buf, "029-17");
	process_marking_number_text(1029, NULL, "2017-06-23", buf);
	assert_string_equal(buf, "1029-17");
	process_marking_number_text(5, "A", "2020-01-02", buf);
	assert_string_equal(buf, "A-005-20");
	process_number_text(1204, "", buf);
	assert_string_equal(buf, "1204");
	process_number_text(64, "001", buf);
	assert_string_equal(buf, "001-0064");
}

static void
test_input_sacks_in_proportion(void **state)
{
	(void)state;
	assert_int_equal(process_input_sacks(300, KG(23400), KG(23400)), 300);
	assert_int_equal(process_input_sacks(300, KG(23400), KG(11700)), 150);
	/* 300 x 100 / 23 400 = 1.28 -> 1; x 117 = 1.5 -> 2 (half up). */
	assert_int_equal(process_input_sacks(300, KG(23400), KG(100)), 1);
	assert_int_equal(process_input_sacks(300, KG(23400), KG(117)), 2);
	assert_int_equal(process_input_sacks(300, 0, KG(1)), 0);
}

static void
test_exit_description_from_marks(void **state)
{
	char buf[PROCESS_DESCRIPTION_MAX + 1], small[32];

	(void)state;
	assert_true(process_exit_description("organic", 69000,
	                "\"Organic Green Coffee of Peru\"\nLOT No 004-17", buf,
	                sizeof(buf)) > 0);
	assert_string_equal(buf,
	    "Café verde tipo exportación orgánico envasado en sacos de yute "
	    "de 69 kg c/u \"Organic Green Coffee of Peru\" LOT No 004-17");
	assert_true(process_exit_description(
	                "transition", 69500, "", buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
	    "Café verde tipo exportación en transición envasado en sacos de "
	    "yute de 69.5 kg c/u");
	assert_int_equal(process_exit_description(
	                     "organic", 69000, "x", small, sizeof(small)),
	    -1);
	assert_string_equal(small, "");
	assert_int_equal(
	    process_exit_description("mixed", 69000, "", buf, sizeof(buf)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guide_lop_1204_rows),
		cmocka_unit_test(test_shrinkage_line_only_when_declared),
		cmocka_unit_test(test_mass_balance_exact_over_under),
		cmocka_unit_test(test_output_keys_round_trip),
		cmocka_unit_test(test_exit_within_the_lot),
		cmocka_unit_test(test_carrier_document),
		cmocka_unit_test(test_printed_numbers),
		cmocka_unit_test(test_input_sacks_in_proportion),
		cmocka_unit_test(test_exit_description_from_marks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
