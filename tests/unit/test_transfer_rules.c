/* Transfer arithmetic and checks, as tables of cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/transfer_rules.h"

/* Guía 5469: 15 notes of 23 417.95 kg, 23 400.00 kg declared. */
static void
test_guide_dispatch_shrinkage(void **state)
{
	struct transfer_balance b;

	(void)state;
	transfer_balance(23417950, 23400000, TRANSFER_TOLERANCE_BP, &b);
	assert_int_equal(b.difference_g, 17950);
	assert_int_equal(b.difference_pct, 8); /* 0.0766 % -> 0.08 % */
	assert_false(b.flagged);
	/* Guía de ingreso 3052: 23 610 - 210 = 23 400, as declared. */
	transfer_balance(23400000, 23400000, TRANSFER_TOLERANCE_BP, &b);
	assert_int_equal(b.difference_g, 0);
	assert_int_equal(b.difference_pct, 0);
	assert_false(b.flagged);
}

static void
test_balance_tolerance_boundary(void **state)
{
	/* clang-format off */
	static const struct {
		int64_t reference, measured;
		int64_t difference, pct;
		bool flagged;
	} cases[] = {
		{ 1000000, 995000, 5000, 50, false },   /* exactly 0.50 % */
		{ 1000000, 994999, 5001, 50, true },    /* one gram past */
		{ 1000000, 1005000, -5000, -50, false }, /* a gain, at the limit */
		{ 1000000, 1005001, -5001, -50, true },  /* a gain past it */
		{ 1000000, 990000, 10000, 100, true },
		{ 3000, 2999, 1, 3, false },  /* 0.0333 % -> 0.03 % */
		{ 0, 0, 0, 0, false },
		{ 0, 1, -1, 0, true },        /* nothing sent, coffee appears */
	};
	/* clang-format on */
	struct transfer_balance b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		transfer_balance(cases[i].reference, cases[i].measured,
		    TRANSFER_TOLERANCE_BP, &b);
		if (b.difference_g != cases[i].difference ||
		    b.difference_pct != cases[i].pct ||
		    b.flagged != cases[i].flagged)
			fail_msg("case %zu: %lld %lld %d", i,
			    (long long)b.difference_g,
			    (long long)b.difference_pct, b.flagged);
	}
}

static void
test_reasons(void **state)
{
	(void)state;
	assert_null(transfer_reason_text(0));
	assert_string_equal(transfer_reason_text(1), "Venta");
	assert_string_equal(transfer_reason_text(3), "Transformación");
	assert_string_equal(transfer_reason_text(8), "Otros");
	assert_null(transfer_reason_text(9));
}

static void
test_carrier_doc(void **state)
{
	/* clang-format off */
	static const struct {
		const char *doc;
		const char *kind; /* NULL: refused */
	} cases[] = {
		{ "10105634205", "ruc" }, /* the demo's corrected RUC */
		{ "20510780796", "ruc" },
		{ "08754611", "dni" },
		{ "101056342", NULL },    /* as printed in the guide */
		{ "10105634204", NULL },  /* check digit */
		{ "20427376985", NULL },  /* the guide's association */
		{ "00000000", NULL },
		{ "0875461A", NULL },
		{ "", NULL },
		{ NULL, NULL },
	};
	/* clang-format on */
	const char *kind;
	struct msg why;
	size_t i;
	enum err rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = transfer_carrier_doc_check(cases[i].doc, &kind, &why);
		if (cases[i].kind == NULL) {
			if (rc != ERR_INVALID || kind != NULL || why.es == NULL)
				fail_msg("case %zu accepted", i);
		} else if (rc != ERR_OK || kind == NULL ||
		    strcmp(kind, cases[i].kind) != 0) {
			fail_msg("case %zu refused", i);
		}
	}
}

static void
test_plant_weighing(void **state)
{
	/* clang-format off */
	static const struct {
		struct plant_weighing w;
		const char *field; /* NULL: accepted */
	} cases[] = {
		{ { 300, 23610000, 210000, 6500, 125, 1350, 2150, 8300 }, NULL },
		{ { 300, 23610000, 0, -1, -1, -1, -1, -1 }, NULL },
		{ { 0, 23610000, 210000, -1, -1, -1, -1, -1 }, "sacks" },
		{ { 300, 0, 0, -1, -1, -1, -1, -1 }, "gross_kg" },
		{ { 300, 1000, 1000, -1, -1, -1, -1, -1 }, "tare_kg" },
		{ { 300, 1000, -2, -1, -1, -1, -1, -1 }, "tare_kg" },
		{ { 300, 1000, 1, 10001, -1, -1, -1, -1 }, "yield_pct" },
		{ { 300, 1000, 1, 10000, 1001, -1, -1, -1 }, "humidity" },
		{ { 300, 1000, 1, -1, 1000, 10001, -1, -1 }, "subproduct_pct" },
		{ { 300, 1000, 1, -1, -1, -1, -2, -1 }, "husk_pct" },
		{ { 300, 1000, 1, -1, -1, -1, -1, 10001 }, "cup_score" },
	};
	/* clang-format on */
	struct rule_error e;
	int64_t net;
	size_t i;
	enum err rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&e, 0, sizeof(e));
		rc = plant_weighing_check(&cases[i].w, &net, &e);
		if (cases[i].field == NULL) {
			if (rc != ERR_OK ||
			    net != cases[i].w.gross_g - cases[i].w.tare_g)
				fail_msg("case %zu refused: %s", i, e.field);
		} else if (rc != ERR_INVALID || e.field == NULL ||
		    strcmp(e.field, cases[i].field) != 0) {
			fail_msg("case %zu: %s", i,
			    e.field != NULL ? e.field : "accepted");
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guide_dispatch_shrinkage),
		cmocka_unit_test(test_balance_tolerance_boundary),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_carrier_doc),
		cmocka_unit_test(test_plant_weighing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
