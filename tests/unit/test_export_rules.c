/*
 * Export-stage rules: the guide's ICO mark 30/861/1544 (parse, compose,
 * owner), the lot's 250 sacks of 69 kg from 17 250 kg, segregation of
 * sources and lots, allocation of LOP outputs and shipments at their
 * limit and one past it, the organic lot on invoices and bills of lading.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/export_rules.h"

#define KG(n) ((int64_t)(n)*1000)

static void
test_ico_mark_parse_table(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in;
		int ok;
		int country;
		const char *exporter;
		int64_t sequence;
	} cases[] = {
		{ "30/861/1544", 1, 30, "861", 1544 },
		{ "30/861/1544/", 1, 30, "861", 1544 }, /* as the sacks print it */
		{ "1/1/1", 1, 1, "1", 1 },
		{ "999/999999/9999999", 1, 999, "999999", 9999999 },
		{ "030/0861/1544", 1, 30, "0861", 1544 },
		{ "30/861/0", 0, 0, "", 0 },
		{ "0/861/1544", 0, 0, "", 0 },
		{ "1000/861/1544", 0, 0, "", 0 },
		{ "30/1234567/1544", 0, 0, "", 0 },
		{ "30/861/12345678", 0, 0, "", 0 },
		{ "30/861/1544//", 0, 0, "", 0 },
		{ "30/861", 0, 0, "", 0 },
		{ "30//1544", 0, 0, "", 0 },
		{ "30/86a/1544", 0, 0, "", 0 },
		{ " 30/861/1544", 0, 0, "", 0 },
		{ "30/861/1544 ", 0, 0, "", 0 },
		{ "30-861-1544", 0, 0, "", 0 },
		{ "", 0, 0, "", 0 },
	};
	/* clang-format on */
	struct rule_error e = { 0 };
	struct ico_mark m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum err rc = export_ico_parse(cases[i].in, &m, &e);

		if ((rc == ERR_OK) != cases[i].ok)
			fail_msg("%s: rc %d", cases[i].in, rc);
		if (!cases[i].ok) {
			assert_string_equal(e.code, "invalid_ico_mark");
			assert_string_equal(e.field, "ico_mark");
			assert_int_equal(m.sequence, 0);
			continue;
		}
		assert_int_equal(m.country, cases[i].country);
		assert_string_equal(m.exporter, cases[i].exporter);
		assert_int_equal(m.sequence, cases[i].sequence);
	}
	assert_int_equal(export_ico_parse(NULL, &m, &e), ERR_INVALID);
}

static void
test_ico_mark_compose_and_owner(void **state)
{
	char out[EXPORT_ICO_MARK_LEN];
	struct rule_error e = { 0 };
	struct ico_mark m;

	(void)state;
	assert_int_equal(export_ico_compose(30, "861", 1544, out), 11);
	assert_string_equal(out, "30/861/1544");
	assert_int_equal(export_ico_compose(999, "999999", 9999999, out), 18);
	assert_int_equal(export_ico_compose(30, "861", 10000000, out), -1);
	assert_string_equal(out, "");
	assert_int_equal(export_ico_compose(30, "", 1, out), -1);
	assert_int_equal(export_ico_compose(0, "861", 1, out), -1);
	assert_int_equal(export_ico_compose(30, "86a", 1, out), -1);

	assert_true(export_ico_exporter_valid("861"));
	assert_true(export_ico_exporter_valid("123456"));
	assert_false(export_ico_exporter_valid("1234567"));
	assert_false(export_ico_exporter_valid(""));
	assert_false(export_ico_exporter_valid(NULL));
	assert_false(export_ico_exporter_valid("8 1"));

	assert_int_equal(export_ico_parse("30/861/1544", &m, &e), ERR_OK);
	assert_int_equal(export_ico_check_owner(&m, 30, "861", &e), ERR_OK);
	assert_int_equal(
	    export_ico_check_owner(&m, 31, "861", &e), ERR_UNPROCESSABLE);
	assert_string_equal(e.code, "ico_mark_not_ours");
	assert_int_equal(
	    export_ico_check_owner(&m, 30, "862", &e), ERR_UNPROCESSABLE);
	assert_int_equal(
	    export_ico_check_owner(&m, 30, "", &e), ERR_UNPROCESSABLE);
}

static void
test_sacks_from_kilos(void **state)
{
	struct rule_error e = { 0 };

	(void)state;
	/* The guide: 17 250 kg of 69 kg sacks are 250 sacks exactly. */
	assert_int_equal(export_sacks_of(KG(17250), KG(69)), 250);
	assert_int_equal(export_sacks_of(KG(17250) - 1, KG(69)), 249);
	assert_int_equal(export_sacks_of(KG(1088), KG(69)), 15);
	assert_int_equal(export_sacks_of(KG(68), KG(69)), 0);
	assert_int_equal(export_sacks_of(KG(68), 0), 0);
	assert_int_equal(export_sacks_of(-1, KG(69)), 0);

	assert_int_equal(
	    export_sacks_check(250, KG(17250), KG(69), &e), ERR_OK);
	assert_int_equal(
	    export_sacks_check(251, KG(17250), KG(69), &e), ERR_UNPROCESSABLE);
	assert_string_equal(e.code, "sacks_exceed_kilos");
	assert_string_equal(e.field, "sacks");
	assert_int_equal(
	    export_sacks_check(0, KG(17250), KG(69), &e), ERR_UNPROCESSABLE);
	assert_string_equal(e.code, "less_than_a_sack");
	/* Sacks need not fill the lot: 15 sacks of 1 088 kg. */
	assert_int_equal(export_sacks_check(15, KG(1088), KG(69), &e), ERR_OK);
	assert_int_equal(
	    export_sacks_check(EXPORT_SACKS_MAX + 1, EXPORT_KG_MAX_G, 1, &e),
	    ERR_UNPROCESSABLE);
}

static void
test_segregation(void **state)
{
	struct export_segregation s = { 0 };
	struct rule_error e = { 0 };

	(void)state;
	assert_int_equal(
	    export_segregate(&s, "organic", "[\"EU\"]", "sources", &e), ERR_OK);
	assert_string_equal(s.status, "organic");
	assert_int_equal(
	    export_segregate(&s, "organic", "[\"EU\"]", "sources", &e), ERR_OK);
	assert_int_equal(
	    export_segregate(&s, "conventional", "[]", "sources", &e),
	    ERR_UNPROCESSABLE);
	assert_string_equal(e.code, "mixed_status");
	assert_string_equal(e.field, "sources");
	assert_int_equal(
	    export_segregate(&s, "transition", "[\"EU\"]", "lots", &e),
	    ERR_UNPROCESSABLE);
	assert_string_equal(e.code, "mixed_status");
	assert_string_equal(e.field, "lots");
	assert_int_equal(
	    export_segregate(&s, "organic", "[\"EU\",\"NOP\"]", "sources", &e),
	    ERR_UNPROCESSABLE);
	assert_string_equal(e.code, "mixed_programs");
	assert_int_equal(
	    export_segregate(&s, "mixed", "[]", "sources", &e), ERR_INVALID);
	/* The first part decides: transition stays transition. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(
	    export_segregate(&s, "transition", "[\"EU\"]", "sources", &e),
	    ERR_OK);
	assert_string_equal(s.status, "transition");
}

static void
test_allocation_limit(void **state)
{
	struct rule_error e = { 0 };

	(void)state;
	/* All of the export output, then nothing more. */
	assert_int_equal(
	    export_allocation_check(KG(17250), 0, KG(17250), &e), ERR_OK);
	assert_int_equal(
	    export_allocation_check(KG(17250), 0, KG(17250) + 1, &e),
	    ERR_UNPROCESSABLE);
	assert_string_equal(e.code, "exceeds_available");
	assert_string_equal(e.field, "kilos");
	assert_int_equal(
	    export_allocation_check(KG(17250), KG(17000), KG(250), &e), ERR_OK);
	assert_int_equal(
	    export_allocation_check(KG(17250), KG(17000), KG(250) + 1, &e),
	    ERR_UNPROCESSABLE);
	assert_int_equal(
	    export_allocation_check(KG(17250), 0, 0, &e), ERR_UNPROCESSABLE);
}

static void
test_shipment_limit(void **state)
{
	struct rule_error e = { 0 };

	(void)state;
	assert_int_equal(
	    export_shipment_check(250, KG(17250), 0, 0, 250, KG(17250), &e),
	    ERR_OK);
	assert_int_equal(
	    export_shipment_check(250, KG(17250), 0, 0, 251, KG(17250), &e),
	    ERR_UNPROCESSABLE);
	assert_string_equal(e.field, "sacks");
	assert_string_equal(e.code, "exceeds_lot");
	assert_int_equal(
	    export_shipment_check(250, KG(17250), 0, 0, 250, KG(17250) + 1, &e),
	    ERR_UNPROCESSABLE);
	assert_string_equal(e.field, "kilos");
	/* 200 shipped: 50 sacks and 3 450 kg are left. */
	assert_int_equal(export_shipment_check(
	                     250, KG(17250), 200, KG(13800), 50, KG(3450), &e),
	    ERR_OK);
	assert_int_equal(export_shipment_check(
	                     250, KG(17250), 200, KG(13800), 51, KG(3450), &e),
	    ERR_UNPROCESSABLE);
	assert_int_equal(
	    export_shipment_check(250, KG(17250), 0, 0, 0, KG(1), &e),
	    ERR_INVALID);
	assert_string_equal(e.code, "out_of_range");
}

static void
test_lot_on_invoice_and_bl(void **state)
{
	(void)state;
	assert_true(export_lot_ref_names("004-17", "004-17"));
	assert_true(export_lot_ref_names("LOT No 004-17", "004-17"));
	assert_true(export_lot_ref_names("004-17 / 005-17", "005-17"));
	assert_true(export_lot_ref_names("Lotes: 003-17,004-17", "004-17"));
	assert_false(export_lot_ref_names("004-170", "004-17"));
	assert_false(export_lot_ref_names("1004-17", "004-17"));
	assert_false(export_lot_ref_names("004 17", "004-17"));
	assert_false(export_lot_ref_names("", "004-17"));
	assert_false(export_lot_ref_names("004-17", ""));
	assert_false(export_lot_ref_names(NULL, "004-17"));
}

static void
test_dates_and_countries(void **state)
{
	(void)state;
	assert_true(export_valid_on("2017-01-01", "2017-12-31", "2017-07-05"));
	assert_true(export_valid_on("2017-01-01", "2017-12-31", "2017-12-31"));
	assert_false(export_valid_on("2017-01-01", "2017-12-31", "2018-01-01"));
	assert_false(export_valid_on("2017-01-01", "2017-12-31", NULL));
	assert_true(export_country_valid("DE"));
	assert_false(export_country_valid("de"));
	assert_false(export_country_valid("DEU"));
	assert_false(export_country_valid(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ico_mark_parse_table),
		cmocka_unit_test(test_ico_mark_compose_and_owner),
		cmocka_unit_test(test_sacks_from_kilos),
		cmocka_unit_test(test_segregation),
		cmocka_unit_test(test_allocation_limit),
		cmocka_unit_test(test_shipment_limit),
		cmocka_unit_test(test_lot_on_invoice_and_bl),
		cmocka_unit_test(test_dates_and_countries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
