/*
 * Unit tests for src/domain/units.c.  Tables of inputs and expected results,
 * with the guide's worked example (ticket 8727, liquidación 34795, LOP 1204)
 * as golden figures and every limit tested at max and max + 1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/err.h"
#include "pergamino/units.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define KG_MAX_TEST 1000000 /* 1 000 kg in grams, a sample limit */
#define SENTINEL (-777)

struct parse_case {
	const char *s;
	unsigned scale;
	int64_t max;
	enum err want;
	int64_t value; /* when want is ERR_OK */
};

/* clang-format off */
static const struct parse_case parse_cases[] = {
	/* Guide figures: kg to grams, soles to céntimos. */
	{ "472.6",	3, INT64_MAX,	ERR_OK,	472600 },
	{ "474",	3, INT64_MAX,	ERR_OK,	474000 },
	{ "1.4",	3, INT64_MAX,	ERR_OK,	1400 },
	{ "23400",	3, INT64_MAX,	ERR_OK,	23400000 },
	{ "412.00",	2, INT64_MAX,	ERR_OK,	41200 },
	{ "3526.72",	2, INT64_MAX,	ERR_OK,	352672 },
	{ "0",		3, INT64_MAX,	ERR_OK,	0 },
	{ "0.001",	3, INT64_MAX,	ERR_OK,	1 },
	{ "007.5",	3, INT64_MAX,	ERR_OK,	7500 },
	{ "5",		0, INT64_MAX,	ERR_OK,	5 },
	/* Decimals: at most scale, even when they are zeros. */
	{ "472.6001",	3, INT64_MAX,	ERR_INVALID, 0 },
	{ "412.000",	2, INT64_MAX,	ERR_INVALID, 0 },
	{ "5.0",	0, INT64_MAX,	ERR_INVALID, 0 },
	/* Shape. */
	{ "",		3, INT64_MAX,	ERR_INVALID, 0 },
	{ ".5",		3, INT64_MAX,	ERR_INVALID, 0 },
	{ "472.",	3, INT64_MAX,	ERR_INVALID, 0 },
	{ ".",		3, INT64_MAX,	ERR_INVALID, 0 },
	{ "1.2.3",	3, INT64_MAX,	ERR_INVALID, 0 },
	{ "1..2",	3, INT64_MAX,	ERR_INVALID, 0 },
	{ "-1",		3, INT64_MAX,	ERR_INVALID, 0 },
	{ "+1",		3, INT64_MAX,	ERR_INVALID, 0 },
	{ "1e3",	3, INT64_MAX,	ERR_INVALID, 0 },
	{ " 1",		3, INT64_MAX,	ERR_INVALID, 0 },
	{ "1 ",		3, INT64_MAX,	ERR_INVALID, 0 },
	{ "1,5",	3, INT64_MAX,	ERR_INVALID, 0 },
	{ "1 000",	3, INT64_MAX,	ERR_INVALID, 0 },
	{ "0x10",	3, INT64_MAX,	ERR_INVALID, 0 },
	{ "١",		3, INT64_MAX,	ERR_INVALID, 0 },	/* Arabic 1 */
	/* 15 integer digits pass, 16 do not (leading zeros count). */
	{ "999999999999999.999", 3, INT64_MAX, ERR_OK, 999999999999999999 },
	{ "123456789012345", 3, INT64_MAX, ERR_OK, 123456789012345000 },
	{ "1234567890123456", 3, INT64_MAX, ERR_INVALID, 0 },
	{ "0000000000000001", 3, INT64_MAX, ERR_INVALID, 0 },
	/* The result at max and at max + 1. */
	{ "1000",	3, KG_MAX_TEST,	ERR_OK,	KG_MAX_TEST },
	{ "1000.000",	3, KG_MAX_TEST,	ERR_OK,	KG_MAX_TEST },
	{ "1000.001",	3, KG_MAX_TEST,	ERR_INVALID, 0 },
	{ "1001",	3, KG_MAX_TEST,	ERR_INVALID, 0 },
	{ "0",		3, 0,		ERR_OK,	0 },
	{ "0.000",	3, 0,		ERR_OK,	0 },
	{ "0.001",	3, 0,		ERR_INVALID, 0 },
	{ "9",		0, 9,		ERR_OK,	9 },
	{ "10",		0, 9,		ERR_INVALID, 0 },
	{ "9.223372036854775807", 18, INT64_MAX, ERR_OK, INT64_MAX },
	{ "9.223372036854775808", 18, INT64_MAX, ERR_INVALID, 0 },
	{ "9.3",	18, INT64_MAX,	ERR_INVALID, 0 },
	/* Bad arguments. */
	{ "1",		3, -1,		ERR_INVALID, 0 },
	{ "1",		19, INT64_MAX,	ERR_INVALID, 0 },
	{ NULL,		3, INT64_MAX,	ERR_INVALID, 0 },
};
/* clang-format on */

static void
test_parse_decimal_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		int64_t out = SENTINEL;
		enum err rc;

		rc = units_parse_decimal(c->s, c->scale, c->max, &out);
		if (rc != c->want ||
		    (rc == ERR_OK ? out != c->value : out != SENTINEL))
			print_message("failing parse case %zu: \"%s\"\n", i,
			    c->s != NULL ? c->s : "(null)");
		assert_int_equal(rc, c->want);
		/* On failure out is untouched. */
		assert_true(out == (c->want == ERR_OK ? c->value : SENTINEL));
	}
}

struct format_case {
	int64_t v;
	unsigned scale, shown;
	const char *dot; /* units_format_decimal() */
	const char *pe;  /* units_format_pe() */
};

/* clang-format off */
static const struct format_case format_cases[] = {
	/* Guide figures. */
	{ 23400000,	3, 2, "23400.00",	"23 400,00" },
	{ 352672,	2, 2, "3526.72",	"3 526,72" },
	{ 472600,	3, 2, "472.60",		"472,60" },
	{ 1400,		3, 2, "1.40",		"1,40" },
	{ 1088000,	3, 2, "1088.00",	"1 088,00" },
	{ 17250000,	3, 2, "17250.00",	"17 250,00" },
	{ 856,		2, 2, "8.56",		"8,56" },
	{ 7372,		2, 2, "73.72",		"73,72" },
	{ 41200,	2, 2, "412.00",		"412,00" },
	{ 0,		3, 2, "0.00",		"0,00" },
	/* Grouping at each boundary. */
	{ 999,		0, 0, "999",		"999" },
	{ 1000,		0, 0, "1000",		"1 000" },
	{ 999999,	2, 2, "9999.99",	"9 999,99" },
	{ 100000000,	2, 2, "1000000.00",	"1 000 000,00" },
	/* Rounding half up when fewer decimals are shown. */
	{ 472604,	3, 2, "472.60",		"472,60" },
	{ 472605,	3, 2, "472.61",		"472,61" },
	{ 999995,	3, 2, "1000.00",	"1 000,00" },
	{ 499,		3, 0, "0",		"0" },
	{ 500,		3, 0, "1",		"1" },
	/* Negative values round on the magnitude; -0 prints as 0. */
	{ -472605,	3, 2, "-472.61",	"-472,61" },
	{ -23400000,	3, 2, "-23400.00",	"-23 400,00" },
	{ -4,		3, 2, "0.00",		"0,00" },
	{ -5,		3, 2, "-0.01",		"-0,01" },
	/* More decimals shown than stored. */
	{ 1234,		0, 2, "1234.00",	"1 234,00" },
	{ 125,		1, 3, "12.500",		"12,500" },
	/* Extremes. */
	{ INT64_MAX,	0, 0, "9223372036854775807", "9 223 372 036 854 775 807" },
	{ INT64_MIN,	0, 0, "-9223372036854775808",
	    "-9 223 372 036 854 775 808" },
	{ INT64_MAX,	18, 18, "9.223372036854775807", "9,223372036854775807" },
	{ INT64_MIN,	18, 0, "-9",		"-9" },
	{ INT64_MAX,	0, 18, "9223372036854775807.000000000000000000",
	    "9 223 372 036 854 775 807,000000000000000000" },
};
/* clang-format on */

static void
test_format_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(format_cases); i++) {
		const struct format_case *c = &format_cases[i];
		char dot[64], pe[64];
		int n_dot, n_pe;

		n_dot = units_format_decimal(
		    c->v, c->scale, c->shown, dot, sizeof(dot));
		n_pe =
		    units_format_pe(c->v, c->scale, c->shown, pe, sizeof(pe));
		if (strcmp(dot, c->dot) != 0 || strcmp(pe, c->pe) != 0)
			print_message("failing format case %zu\n", i);
		assert_string_equal(dot, c->dot);
		assert_int_equal(n_dot, strlen(c->dot));
		assert_string_equal(pe, c->pe);
		assert_int_equal(n_pe, strlen(c->pe));
	}
}

/* "472.60" needs 7 bytes with the NUL: 7 fits, 6 does not. */
static void
test_format_buffer_boundary(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(units_format_decimal(472600, 3, 2, buf, 7), 6);
	assert_string_equal(buf, "472.60");
	assert_int_equal(units_format_decimal(472600, 3, 2, buf, 6), -1);
	assert_string_equal(buf, "");
	assert_int_equal(units_format_pe(23400000, 3, 2, buf, 10), 9);
	assert_string_equal(buf, "23 400,00");
	assert_int_equal(units_format_pe(23400000, 3, 2, buf, 9), -1);
	assert_string_equal(buf, "");
	assert_int_equal(units_format_decimal(1, 0, 0, buf, 0), -1);
	assert_int_equal(units_format_decimal(1, 0, 0, NULL, 8), -1);
}

static void
test_format_scale_limits(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(units_format_decimal(1, UNITS_SCALE_MAX,
	                     UNITS_SCALE_MAX, buf, sizeof(buf)),
	    20);
	assert_string_equal(buf, "0.000000000000000001");
	assert_int_equal(
	    units_format_decimal(1, UNITS_SCALE_MAX + 1, 2, buf, sizeof(buf)),
	    -1);
	assert_int_equal(
	    units_format_pe(1, 2, UNITS_SCALE_MAX + 1, buf, sizeof(buf)), -1);
}

/* Rows of (a, b, expected) for the two-argument functions. */
struct pair_case {
	int64_t a, b, want;
};

/* clang-format off */
static const struct pair_case qq_cases[] = {
	/* Ticket 8727: 472.6 kg pergamino = 8.56 QQ. */
	{ 472600,	UNITS_QQ_PERGAMINO_G,	856 },
	/* LOP 1204: 17 250 kg export = 375 QQ oro. */
	{ 17250000,	UNITS_QQ_ORO_G,		37500 },
	{ 23400000,	UNITS_QQ_PERGAMINO_G,	42391 },
	{ 55200,	UNITS_QQ_PERGAMINO_G,	100 },
	{ 0,		UNITS_QQ_PERGAMINO_G,	0 },
	/* 276 g is exactly 0.005 QQ: half up. */
	{ 276,		UNITS_QQ_PERGAMINO_G,	1 },
	{ 275,		UNITS_QQ_PERGAMINO_G,	0 },
	/* Limits. */
	{ INT64_MAX,	100,			INT64_MAX },
	{ INT64_MAX,	99,			-1 },
	{ INT64_MAX,	3037000499,		303700050095 },
	{ INT64_MAX,	INT64_MAX,		100 },
	{ 27,		INT64_MAX,		0 },
	{ -1,		UNITS_QQ_PERGAMINO_G,	-1 },
	{ 1,		0,			-1 },
	{ 1,		-46000,			-1 },
};

static const struct pair_case percent_cases[] = {
	/* Ticket 8727: sample 300 g. */
	{ 204,		300,		6800 },
	{ 36,		300,		1200 },
	{ 60,		300,		2000 },
	/* LOP 1204 over 23 400 kg (kg or grams alike). */
	{ 17250,	23400,		7372 },
	{ 17250000,	23400000,	7372 },
	{ 4055,		23400,		1733 },
	{ 1088,		23400,		465 },
	{ 381,		23400,		163 },
	{ 0,		23400,		0 },
	{ 23400,	23400,		10000 },
	{ 46800,	23400,		20000 },
	/* 1 of 20 000 is exactly 0.005 %: half up. */
	{ 1,		20000,		1 },
	{ 1,		20001,		0 },
	/* whole <= 0 gives 0; bad part and overflow give -1. */
	{ 1,		0,		0 },
	{ 1,		-300,		0 },
	{ -1,		300,		-1 },
	{ INT64_MAX,	10000,		INT64_MAX },
	{ INT64_MAX,	9999,		-1 },
	/* Any whole, even one above 3 037 t in grams. */
	{ 3037000500,	6074001000,	5000 },
	{ INT64_MAX,	INT64_MAX,	10000 },
	{ 4611686018427387904, INT64_MAX, 5000 },
	{ 1,		INT64_MAX,	0 },
};

static const struct pair_case money_cases[] = {
	/* Liquidación 34795: 8.56 QQ × S/ 412.00 = S/ 3 526.72. */
	{ 856,		41200,		352672 },
	{ 0,		41200,		0 },
	{ 856,		0,		0 },
	{ 100,		41200,		41200 },
	/* 0.01 QQ × S/ 0.50 = half a céntimo: half up. */
	{ 1,		50,		1 },
	{ 1,		49,		0 },
	{ 1,		150,		2 },
	/* Limits. */
	{ INT64_MAX,	100,		INT64_MAX },
	{ INT64_MAX,	101,		-1 },
	{ INT64_MAX,	INT64_MAX,	-1 },
	{ 100,		INT64_MAX,	INT64_MAX },
	{ -1,		41200,		-1 },
	{ 856,		-1,		-1 },
};
/* clang-format on */

static void
run_pair_cases(
    int64_t (*fn)(int64_t, int64_t), const struct pair_case *c, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		int64_t got = fn(c[i].a, c[i].b);

		if (got != c[i].want)
			print_message("failing case %zu: %lld, %lld -> %lld\n",
			    i, (long long)c[i].a, (long long)c[i].b,
			    (long long)got);
		assert_true(got == c[i].want);
	}
}

static void
test_qq_centi_table(void **state)
{
	(void)state;
	run_pair_cases(units_qq_centi, qq_cases, ROWS(qq_cases));
}

static void
test_percent_centi_table(void **state)
{
	(void)state;
	run_pair_cases(units_percent_centi, percent_cases, ROWS(percent_cases));
}

static void
test_money_centimos_table(void **state)
{
	(void)state;
	run_pair_cases(units_money_centimos, money_cases, ROWS(money_cases));
}

/* The whole chain of ticket 8727 → liquidación 34795, as the forms print it. */
static void
test_liquidacion_golden(void **state)
{
	char buf[UNITS_WORDS_LEN];
	int64_t grams = 0, qq, total;

	(void)state;
	assert_int_equal(
	    units_parse_decimal("472.6", UNITS_SCALE_KG, INT64_MAX, &grams),
	    ERR_OK);
	qq = units_qq_centi(grams, UNITS_QQ_PERGAMINO_G);
	total = units_money_centimos(qq, 41200);
	assert_true(units_format_pe(qq, 2, 2, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "8,56");
	assert_true(
	    units_format_pe(total, UNITS_SCALE_SOLES, 2, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "3 526,72");
	assert_true(units_amount_words_es(total, buf, sizeof(buf)) > 0);
	assert_string_equal(
	    buf, "Tres mil quinientos veintiseis y 72/100 soles");
}

struct sacks_case {
	int64_t grams, sack_grams, sacks, remainder;
};

/* clang-format off */
static const struct sacks_case sacks_cases[] = {
	/* LOP 1204 outputs, 69 kg export sacks. */
	{ 17250000,	UNITS_SACK_EXPORT_G,	250,	0 },
	{ 1088000,	UNITS_SACK_EXPORT_G,	15,	53000 },
	{ 381000,	UNITS_SACK_EXPORT_G,	5,	36000 },
	{ 151000,	UNITS_SACK_EXPORT_G,	2,	13000 },
	{ 177000,	UNITS_SACK_EXPORT_G,	2,	39000 },
	{ 148000,	UNITS_SACK_EXPORT_G,	2,	10000 },
	{ 150000,	UNITS_SACK_EXPORT_G,	2,	12000 },
	/* Around one sack. */
	{ 0,		UNITS_SACK_EXPORT_G,	0,	0 },
	{ 68999,	UNITS_SACK_EXPORT_G,	0,	68999 },
	{ 69000,	UNITS_SACK_EXPORT_G,	1,	0 },
	{ 69001,	UNITS_SACK_EXPORT_G,	1,	1 },
	{ INT64_MAX,	1,			INT64_MAX, 0 },
	/* Invalid input: no sacks, everything is remainder. */
	{ -5,		UNITS_SACK_EXPORT_G,	0,	-5 },
	{ 1000,		0,			0,	1000 },
	{ 1000,		-69000,			0,	1000 },
};
/* clang-format on */

static void
test_sacks_split_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(sacks_cases); i++) {
		const struct sacks_case *c = &sacks_cases[i];
		int64_t sacks = SENTINEL, rem = SENTINEL;

		units_sacks_split(c->grams, c->sack_grams, &sacks, &rem);
		if (sacks != c->sacks || rem != c->remainder)
			print_message("failing sacks case %zu\n", i);
		assert_true(sacks == c->sacks);
		assert_true(rem == c->remainder);
	}
}

struct words_case {
	int64_t centimos;
	const char *words;
};

/* clang-format off */
static const struct words_case words_cases[] = {
	/* Liquidación 34795. */
	{ 352672,		"Tres mil quinientos veintiseis y 72/100 soles" },
	{ 0,			"Cero y 00/100 soles" },
	{ 100,			"Uno y 00/100 soles" },
	{ 2100,			"Veintiuno y 00/100 soles" },
	{ 10000,		"Cien y 00/100 soles" },
	{ 10100,		"Ciento uno y 00/100 soles" },
	{ 100000,		"Mil y 00/100 soles" },
	{ 100100,		"Mil uno y 00/100 soles" },
	{ 2100000,		"Veintiun mil y 00/100 soles" },
	{ 10000000,		"Cien mil y 00/100 soles" },
	{ 100000000,		"Un millon y 00/100 soles" },
	{ 200000000,		"Dos millones y 00/100 soles" },
	/* Céntimos. */
	{ 1,			"Cero y 01/100 soles" },
	{ 99,			"Cero y 99/100 soles" },
	{ 101,			"Uno y 01/100 soles" },
	{ 12345,		"Ciento veintitres y 45/100 soles" },
	{ 41250,		"Cuatrocientos doce y 50/100 soles" },
	/* Teens, tens and "y". */
	{ 1000,			"Diez y 00/100 soles" },
	{ 1600,			"Dieciseis y 00/100 soles" },
	{ 2000,			"Veinte y 00/100 soles" },
	{ 2200,			"Veintidos y 00/100 soles" },
	{ 3000,			"Treinta y 00/100 soles" },
	{ 3100,			"Treinta y uno y 00/100 soles" },
	{ 9999,			"Noventa y nueve y 99/100 soles" },
	{ 50000,		"Quinientos y 00/100 soles" },
	{ 70700,		"Setecientos siete y 00/100 soles" },
	{ 99900,		"Novecientos noventa y nueve y 00/100 soles" },
	/* "un" before mil, millon, billon. */
	{ 3100000,		"Treinta y un mil y 00/100 soles" },
	{ 10100000,		"Ciento un mil y 00/100 soles" },
	{ 2000000,		"Veinte mil y 00/100 soles" },
	{ 2100100,		"Veintiun mil uno y 00/100 soles" },
	{ 101000000,		"Un millon diez mil y 00/100 soles" },
	{ 100000100,		"Un millon uno y 00/100 soles" },
	{ 2100000000,		"Veintiun millones y 00/100 soles" },
	{ 100000000000,		"Mil millones y 00/100 soles" },
	{ 100100000000,		"Mil un millones y 00/100 soles" },
	{ 100000000000000,	"Un billon y 00/100 soles" },
	{ 200000000000000,	"Dos billones y 00/100 soles" },
	{ 100000100000100,	"Un billon un millon uno y 00/100 soles" },
	{ INT64_MAX,		"Noventa y dos mil doscientos treinta y tres "
				"billones setecientos veinte mil trescientos "
				"sesenta y ocho millones quinientos cuarenta y "
				"siete mil setecientos cincuenta y ocho y "
				"07/100 soles" },
};
/* clang-format on */

static void
test_amount_words_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(words_cases); i++) {
		char buf[UNITS_WORDS_LEN];
		int n;

		n = units_amount_words_es(
		    words_cases[i].centimos, buf, sizeof(buf));
		if (strcmp(buf, words_cases[i].words) != 0)
			print_message("failing words case %zu\n", i);
		assert_string_equal(buf, words_cases[i].words);
		assert_int_equal(n, strlen(words_cases[i].words));
	}
}

/* "Cero y 00/100 soles" is 19 bytes: a 20-byte buffer fits, 19 does not. */
static void
test_amount_words_buffer_boundary(void **state)
{
	char buf[UNITS_WORDS_LEN];

	(void)state;
	assert_int_equal(units_amount_words_es(0, buf, 20), 19);
	assert_string_equal(buf, "Cero y 00/100 soles");
	assert_int_equal(units_amount_words_es(0, buf, 19), -1);
	assert_string_equal(buf, "");
	assert_int_equal(units_amount_words_es(352672, buf, 10), -1);
	assert_string_equal(buf, "");
	assert_int_equal(units_amount_words_es(0, buf, 0), -1);
	assert_int_equal(units_amount_words_es(0, NULL, 20), -1);
	assert_int_equal(units_amount_words_es(-1, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
	assert_int_equal(
	    units_amount_words_es(INT64_MIN, buf, sizeof(buf)), -1);
}

/*
 * UNITS_WORDS_LEN is enough for every amount: try the longest group
 * wording (777 and 777 777) at each scale, and the largest amounts.
 */
static void
test_amount_words_len_enough(void **state)
{
	/* clang-format off */
	static const int64_t amounts[] = {
		INT64_MAX,
		INT64_MAX - 1,
		7777777777777777700,
		7877777877777877700,
		8877877877877877700,
		7777777777777777777,
		9177777777777777777,
	};
	/* clang-format on */
	char buf[UNITS_WORDS_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(amounts); i++)
		assert_true(
		    units_amount_words_es(amounts[i], buf, sizeof(buf)) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_decimal_table),
		cmocka_unit_test(test_format_table),
		cmocka_unit_test(test_format_buffer_boundary),
		cmocka_unit_test(test_format_scale_limits),
		cmocka_unit_test(test_qq_centi_table),
		cmocka_unit_test(test_percent_centi_table),
		cmocka_unit_test(test_money_centimos_table),
		cmocka_unit_test(test_liquidacion_golden),
		cmocka_unit_test(test_sacks_split_table),
		cmocka_unit_test(test_amount_words_table),
		cmocka_unit_test(test_amount_words_buffer_boundary),
		cmocka_unit_test(test_amount_words_len_enough),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
