/*
 * Unit tests for src/domain/ids.c: RUC and DNI checks, one table each.
 * A row is an input, the expected result and, on failure, the expected
 * English reason (each rule has its own).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/err.h"
#include "pergamino/ids.h"

#define RUC_EMPTY "RUC is required"
#define RUC_DIGITS "RUC must contain only digits"
#define RUC_LENGTH "RUC must have 11 digits"
#define RUC_PREFIX "RUC must start with 10, 15, 16, 17 or 20"
#define RUC_CHECK "RUC check digit is not valid"

#define DNI_EMPTY "DNI is required"
#define DNI_DIGITS "DNI must contain only digits"
#define DNI_LENGTH "DNI must have 8 digits"
#define DNI_ZEROS "DNI cannot be 00000000"

struct id_case {
	const char *input;
	enum err want;
	const char *why_en; /* NULL when want is ERR_OK */
};

typedef enum err check_fn(const char *, struct msg *);

/* clang-format off */
static const struct id_case ruc_cases[] = {
	/* The guide's RUCs: only the first is valid as printed. */
	{ "20100412447",	ERR_OK,		NULL },
	{ "20427376985",	ERR_INVALID,	RUC_CHECK },
	{ "10066109559",	ERR_INVALID,	RUC_CHECK },
	{ "2051078079",		ERR_INVALID,	RUC_LENGTH },
	/* The association's corrected RUC used by the demo data. */
	{ "20427376983",	ERR_OK,		NULL },
	/* Every allowed prefix. */
	{ "10066109556",	ERR_OK,		NULL },
	{ "15123456782",	ERR_OK,		NULL },
	{ "16123456789",	ERR_OK,		NULL },
	{ "17123456785",	ERR_OK,		NULL },
	/* r == 10 gives check digit 0, r == 11 gives 1. */
	{ "20000000010",	ERR_OK,		NULL },
	{ "20000000061",	ERR_OK,		NULL },
	{ "20000000011",	ERR_INVALID,	RUC_CHECK },
	{ "20000000060",	ERR_INVALID,	RUC_CHECK },
	/* Prefix. */
	{ "30427376983",	ERR_INVALID,	RUC_PREFIX },
	{ "11427376983",	ERR_INVALID,	RUC_PREFIX },
	{ "00000000000",	ERR_INVALID,	RUC_PREFIX },
	/* Length: 10 and 12 digits around the 11 required. */
	{ "2042737698",		ERR_INVALID,	RUC_LENGTH },
	{ "204273769830",	ERR_INVALID,	RUC_LENGTH },
	{ "2",			ERR_INVALID,	RUC_LENGTH },
	/* Nothing is trimmed or stripped. */
	{ "2042737698a",	ERR_INVALID,	RUC_DIGITS },
	{ " 20427376983",	ERR_INVALID,	RUC_DIGITS },
	{ "20427376983 ",	ERR_INVALID,	RUC_DIGITS },
	{ "20-42737698-3",	ERR_INVALID,	RUC_DIGITS },
	{ "-20427376983",	ERR_INVALID,	RUC_DIGITS },
	{ "2042737698\xd9\xa3", ERR_INVALID,	RUC_DIGITS }, /* Arabic 3 */
	{ "",			ERR_INVALID,	RUC_EMPTY },
	{ NULL,			ERR_INVALID,	RUC_EMPTY },
};

static const struct id_case dni_cases[] = {
	{ "08754611",	ERR_OK,		NULL },	/* Juan Pérez Vargas */
	{ "00000001",	ERR_OK,		NULL },
	{ "99999999",	ERR_OK,		NULL },
	{ "00000000",	ERR_INVALID,	DNI_ZEROS },
	{ "0875461",	ERR_INVALID,	DNI_LENGTH },
	{ "087546110",	ERR_INVALID,	DNI_LENGTH },
	{ "0875461a",	ERR_INVALID,	DNI_DIGITS },
	{ "0875 4611",	ERR_INVALID,	DNI_DIGITS },
	{ " 08754611",	ERR_INVALID,	DNI_DIGITS },
	{ "+8754611",	ERR_INVALID,	DNI_DIGITS },
	{ "",		ERR_INVALID,	DNI_EMPTY },
	{ NULL,		ERR_INVALID,	DNI_EMPTY },
};
/* clang-format on */

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
run_cases(check_fn *check, const struct id_case *cases, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		const struct id_case *c = &cases[i];
		struct msg why = MSG("stale", "stale");
		enum err rc = check(c->input, &why);

		if (rc != c->want || !same_str(why.en, c->why_en))
			print_message("failing case %zu: \"%s\"\n", i,
			    c->input != NULL ? c->input : "(null)");
		assert_int_equal(rc, c->want);
		if (c->want == ERR_OK) {
			assert_null(why.es);
			assert_null(why.en);
			continue;
		}
		assert_non_null(why.es);
		assert_string_equal(why.en, c->why_en);
		assert_string_not_equal(why.es, why.en);
	}
}

static void
test_ruc_table(void **state)
{
	(void)state;
	run_cases(
	    ruc_check, ruc_cases, sizeof(ruc_cases) / sizeof(ruc_cases[0]));
}

static void
test_dni_table(void **state)
{
	(void)state;
	run_cases(
	    dni_check, dni_cases, sizeof(dni_cases) / sizeof(dni_cases[0]));
}

static void
test_why_may_be_null(void **state)
{
	(void)state;
	assert_int_equal(ruc_check("20427376983", NULL), ERR_OK);
	assert_int_equal(ruc_check("20427376985", NULL), ERR_INVALID);
	assert_int_equal(dni_check("08754611", NULL), ERR_OK);
	assert_int_equal(dni_check("", NULL), ERR_INVALID);
}

/* Changing any single digit of a valid RUC must break it. */
static void
test_ruc_single_digit_change_detected(void **state)
{
	char ruc[IDS_RUC_LEN + 1];
	size_t i;
	char d;

	(void)state;
	for (i = 2; i < IDS_RUC_LEN; i++) {
		for (d = '0'; d <= '9'; d++) {
			memcpy(ruc, "20427376983", sizeof(ruc));
			if (ruc[i] == d)
				continue;
			ruc[i] = d;
			assert_int_equal(ruc_check(ruc, NULL), ERR_INVALID);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ruc_table),
		cmocka_unit_test(test_dni_table),
		cmocka_unit_test(test_why_may_be_null),
		cmocka_unit_test(test_ruc_single_digit_change_detected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
