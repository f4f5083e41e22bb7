/*
 * Unit tests for src/domain/csv.c.  Tables of inputs and expected results
 * for encoding, separator, reader, trimming and quoting; samples of what
 * Excel writes (Windows-1252 with ';', UTF-8 with a BOM, CRLF, quoted
 * separators and line ends); every limit at max and max + 1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/csv.h"
#include "pergamino/err.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define WANT_ROWS_MAX 4   /* rows a reader case may expect */
#define WANT_FIELDS_MAX 4 /* fields per expected row */
#define QUOTE_BUF_LEN 64

#define WHY_UNTERMINATED "A quoted field is not closed"
#define WHY_STRAY "A quote appears inside an unquoted field"
#define WHY_AFTER "A quoted field is followed by more text"
#define WHY_NUL "The file contains a NUL byte"
#define WHY_TOO_MANY "The row has more than 64 fields"
#define WHY_FIELD_LONG "A field is longer than 1024 bytes"
#define WHY_ROW_LONG "The row is longer than 16384 bytes"

/*
 * csv_to_utf8().  Byte escapes are split from the letters after them
 * ("\xD1" "aupari"): "\xD1a" would be one escape.
 */

struct utf8_case {
	const char *in;
	size_t in_len; /* 0: strlen(in) */
	enum err want;
	const char *out; /* when want is ERR_OK */
};

/* clang-format off */
static const struct utf8_case utf8_cases[] = {
	/* Excel "CSV (delimitado por comas)" in a Spanish locale: cp1252. */
	{ "P\xE9rez;\xD1" "aupari\r\n", 0, ERR_OK,
	  "P\xC3\xA9rez;\xC3\x91" "aupari\r\n" },
	/* Excel "CSV UTF-8": a BOM, which is dropped. */
	{ "\xEF\xBB\xBFnombre;dni\r\n", 0, ERR_OK, "nombre;dni\r\n" },
	{ "\xEF\xBB\xBF", 0, ERR_OK, "" },
	{ "\xEF\xBB\xBFP\xC3\xA9rez", 0, ERR_OK, "P\xC3\xA9rez" },
	/* UTF-8 without a BOM is copied as it is. */
	{ "P\xC3\xA9rez;\xC3\x91" "aupari", 0, ERR_OK,
	  "P\xC3\xA9rez;\xC3\x91" "aupari" },
	{ "plain ascii", 0, ERR_OK, "plain ascii" },
	{ "", 0, ERR_OK, "" },
	/* A BOM only counts at the start. */
	{ "a\xEF\xBB\xBF", 0, ERR_OK, "a\xEF\xBB\xBF" },
	/* Windows-1252 specials in 0x80..0x9F. */
	{ "\x80" "5", 0, ERR_OK, "\xE2\x82\xAC" "5" },
	{ "\x93hola\x94", 0, ERR_OK, "\xE2\x80\x9Chola\xE2\x80\x9D" },
	{ "\x91\x92\x96\x97\x85", 0, ERR_OK,
	  "\xE2\x80\x98\xE2\x80\x99\xE2\x80\x93\xE2\x80\x94\xE2\x80\xA6" },
	{ "\x8A\x9A\x8E\x9E\x9F\x83", 0, ERR_OK,
	  "\xC5\xA0\xC5\xA1\xC5\xBD\xC5\xBE\xC5\xB8\xC6\x92" },
	{ "\x99\x89\x95", 0, ERR_OK, "\xE2\x84\xA2\xE2\x80\xB0\xE2\x80\xA2" },
	/* Latin-1 proper: 0xA0..0xFF. */
	{ "\xA0\xB0\xF1\xFF", 0, ERR_OK, "\xC2\xA0\xC2\xB0\xC3\xB1\xC3\xBF" },
	{ "\xC1rea (ha)", 0, ERR_OK, "\xC3\x81rea (ha)" },
	/* Bytes Windows-1252 leaves undefined. */
	{ "a\x81", 0, ERR_INVALID, NULL },
	{ "a\x8D", 0, ERR_INVALID, NULL },
	{ "a\x8F", 0, ERR_INVALID, NULL },
	{ "a\x90", 0, ERR_INVALID, NULL },
	{ "a\x9D", 0, ERR_INVALID, NULL },
	/* NUL bytes: UTF-16 or binary, in either branch. */
	{ "a\0b", 3, ERR_INVALID, NULL },
	{ "\xE9\0", 2, ERR_INVALID, NULL },
	{ "\xFF\xFE" "a\0;\0b\0", 8, ERR_INVALID, NULL },
};
/* clang-format on */

static void
test_to_utf8_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(utf8_cases); i++) {
		const struct utf8_case *c = &utf8_cases[i];
		size_t len = c->in_len != 0 ? c->in_len : strlen(c->in);
		static char dummy;
		char *out = &dummy; /* not NULL: must be reset */
		size_t out_len = 99;
		enum err rc;

		rc = csv_to_utf8(c->in, len, &out, &out_len);
		if (rc != c->want)
			print_message("failing utf8 case %zu\n", i);
		assert_int_equal(rc, c->want);
		if (rc != ERR_OK) {
			assert_null(out);
			assert_int_equal(out_len, 0);
			continue;
		}
		assert_int_equal(out_len, strlen(c->out));
		assert_memory_equal(out, c->out, out_len + 1); /* and NUL */
		free(out);
	}
}

static void
test_to_utf8_null_empty(void **state)
{
	char *out = NULL;
	size_t out_len = 99;

	(void)state;
	assert_int_equal(csv_to_utf8(NULL, 0, &out, &out_len), ERR_OK);
	assert_string_equal(out, "");
	assert_int_equal(out_len, 0);
	free(out);
	assert_int_equal(csv_to_utf8(NULL, 1, &out, &out_len), ERR_INVALID);
	assert_null(out);
}

/* Every byte 0x80..0xFF but the five undefined: three bytes at most each. */
static void
test_to_utf8_all_bytes(void **state)
{
	char in[128];
	char *out = NULL;
	size_t n = 0, out_len = 0;
	unsigned b;

	(void)state;
	for (b = 0x80; b <= 0xFF; b++) {
		if (b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 ||
		    b == 0x9D)
			continue;
		in[n++] = (char)b;
	}
	assert_int_equal(csv_to_utf8(in, n, &out, &out_len), ERR_OK);
	assert_true(out_len > n && out_len <= 3 * n);
	free(out);
}

/*
 * csv_detect_separator().
 */

struct sep_case {
	const char *text;
	char want;
};

/* clang-format off */
static const struct sep_case sep_cases[] = {
	{ "nombre;dni;parcela\r\n",		';' },
	{ "nombre,dni,parcela\r\n",		',' },
	/* Decimal commas in a ';' file: the first line decides. */
	{ "area;precio\r\n1,5;2,5\r\n",		';' },
	{ "a,b;c,d;e\n",			';' },	/* 2 vs 2: tie */
	{ "a,b,c;d\n",				',' },
	{ "solo\n",				';' },	/* none: ';' */
	{ "",					';' },
	/* Only the first line counts. */
	{ "a;b\nc,d,e,f\n",			';' },
	{ "a\n;;;;;;\n",			';' },
	{ "a,b\r;;;\r",				',' },
	/* Separators inside quotes do not count. */
	{ "\"a,b,c\";d\n",			';' },
	{ "\"a;b;c\",d\n",			',' },
	{ "\"x \"\";\"\" y\",z\n",		',' },
	/* A quoted line end does not end the first line. */
	{ "\"a\nb;c;d\",e,f\n",			',' },
	/* Leading empty lines are skipped. */
	{ "\r\n\r\na,b\n",			',' },
};
/* clang-format on */

static void
test_detect_separator_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(sep_cases); i++) {
		char got = csv_detect_separator(
		    sep_cases[i].text, strlen(sep_cases[i].text));

		if (got != sep_cases[i].want)
			print_message("failing separator case %zu\n", i);
		assert_int_equal(got, sep_cases[i].want);
	}
	assert_int_equal(csv_detect_separator(NULL, 0), ';');
}

/*
 * Reader.
 */

struct want_row {
	size_t line;
	size_t count;
	const char *f[WANT_FIELDS_MAX];
};

struct read_case {
	const char *in;
	char sep;
	size_t rows; /* records read before `end` */
	struct want_row want[WANT_ROWS_MAX];
	enum err end;       /* ERR_NOT_FOUND or ERR_INVALID */
	size_t end_line;    /* row.line reported with ERR_INVALID */
	const char *why_en; /* with ERR_INVALID */
};

/* clang-format off */
static const struct read_case read_cases[] = {
	/* CRLF, LF, a lone CR, no line end at the end. */
	{ "a;b\r\nc;d\r\n", ';', 2, {
		{ 1, 2, { "a", "b" } },
		{ 2, 2, { "c", "d" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "a;b\nc;d\n", ';', 2, {
		{ 1, 2, { "a", "b" } },
		{ 2, 2, { "c", "d" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "a;b\rc;d", ';', 2, {
		{ 1, 2, { "a", "b" } },
		{ 2, 2, { "c", "d" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "a;b\r\nc;d", ';', 2, {
		{ 1, 2, { "a", "b" } },
		{ 2, 2, { "c", "d" } } }, ERR_NOT_FOUND, 0, NULL },
	/* Empty lines are skipped but counted. */
	{ "\r\n\r\na;b\r\n\r\nc\r\n\r\n", ';', 2, {
		{ 3, 2, { "a", "b" } },
		{ 5, 1, { "c" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "", ';', 0, { { 0 } }, ERR_NOT_FOUND, 0, NULL },
	/* A BOM the caller did not remove (csv_to_utf8() does). */
	{ "\xEF\xBB\xBF" "a;b\n", ';', 1, {
		{ 1, 2, { "a", "b" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "\xEF\xBB\xBF", ';', 0, { { 0 } }, ERR_NOT_FOUND, 0, NULL },
	{ "\r\n\n\r", ';', 0, { { 0 } }, ERR_NOT_FOUND, 0, NULL },
	/* Empty fields, a separator at the end, spaces kept. */
	{ ";;\n", ';', 1, {
		{ 1, 3, { "", "", "" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "a;b;\n", ';', 1, {
		{ 1, 3, { "a", "b", "" } } }, ERR_NOT_FOUND, 0, NULL },
	{ " a ; b \n", ';', 1, {
		{ 1, 2, { " a ", " b " } } }, ERR_NOT_FOUND, 0, NULL },
	{ "   \n", ';', 1, {
		{ 1, 1, { "   " } } }, ERR_NOT_FOUND, 0, NULL },
	/* The other separator is plain text. */
	{ "a,b;c\n", ',', 1, {
		{ 1, 2, { "a", "b;c" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "1,5;2,5\n", ';', 1, {
		{ 1, 2, { "1,5", "2,5" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "a\tb;c\n", '\t', 1, {
		{ 1, 2, { "a", "b;c" } } }, ERR_NOT_FOUND, 0, NULL },
	/* Quoted separators, quotes and empty quoted fields. */
	{ "\"P\xC3\xA9rez; Juan\";1\r\n", ';', 1, {
		{ 1, 2, { "P\xC3\xA9rez; Juan", "1" } } },
		ERR_NOT_FOUND, 0, NULL },
	{ "\"dijo \"\"hola\"\"\";x\n", ';', 1, {
		{ 1, 2, { "dijo \"hola\"", "x" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "\"\";\"\"\"\"\n", ';', 1, {
		{ 1, 2, { "", "\"" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "\"a\"", ';', 1, {
		{ 1, 1, { "a" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "\" a \"\n", ';', 1, {
		{ 1, 1, { " a " } } }, ERR_NOT_FOUND, 0, NULL },
	/* Line ends inside quotes are kept and counted. */
	{ "id;nota\r\n1;\"l\xC3\xADnea 1\r\nl\xC3\xADnea 2\"\r\n2;ok\r\n", ';',
	  3, {
		{ 1, 2, { "id", "nota" } },
		{ 2, 2, { "1", "l\xC3\xADnea 1\r\nl\xC3\xADnea 2" } },
		{ 4, 2, { "2", "ok" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "\"a\n\nb\"\nc\n", ';', 2, {
		{ 1, 1, { "a\n\nb" } },
		{ 4, 1, { "c" } } }, ERR_NOT_FOUND, 0, NULL },
	{ "\"a\rb\r\nc\"\n\nd", ';', 2, {
		{ 1, 1, { "a\rb\r\nc" } },
		{ 5, 1, { "d" } } }, ERR_NOT_FOUND, 0, NULL },
	/* Malformed: the error names the line where the record starts. */
	{ "a;\"bc\nd\n", ';', 0, { { 0 } },
		ERR_INVALID, 1, WHY_UNTERMINATED },
	{ "x\n\"abc", ';', 1, {
		{ 1, 1, { "x" } } }, ERR_INVALID, 2, WHY_UNTERMINATED },
	{ "\"", ';', 0, { { 0 } }, ERR_INVALID, 1, WHY_UNTERMINATED },
	{ "ab\"c;d\n", ';', 0, { { 0 } }, ERR_INVALID, 1, WHY_STRAY },
	{ "a;b\"\n", ';', 0, { { 0 } }, ERR_INVALID, 1, WHY_STRAY },
	{ "\"ab\"c;d\n", ';', 0, { { 0 } }, ERR_INVALID, 1, WHY_AFTER },
	{ "\"ab\" ;d\n", ';', 0, { { 0 } }, ERR_INVALID, 1, WHY_AFTER },
	{ "a\nb\n\n\"c\"x\n", ';', 2, {
		{ 1, 1, { "a" } },
		{ 2, 1, { "b" } } }, ERR_INVALID, 4, WHY_AFTER },
	{ "\"a\nb\"\nc\"d\n", ';', 1, {
		{ 1, 1, { "a\nb" } } }, ERR_INVALID, 3, WHY_STRAY },
};
/* clang-format on */

static void
check_row(const struct csv_row *row, const struct want_row *w, size_t i)
{
	size_t k;

	if (row->line != w->line || row->count != w->count)
		print_message("failing reader case %zu: line %zu, %zu fields\n",
		    i, row->line, row->count);
	assert_int_equal(row->line, w->line);
	assert_int_equal(row->count, w->count);
	for (k = 0; k < w->count; k++) {
		assert_int_equal(row->lens[k], strlen(w->f[k]));
		assert_string_equal(row->fields[k], w->f[k]);
	}
}

static void
test_reader_table(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < ROWS(read_cases); i++) {
		const struct read_case *c = &read_cases[i];
		struct csv_reader r;
		struct csv_row row;
		struct msg why;
		enum err rc;

		csv_reader_init(&r, c->in, strlen(c->in), c->sep);
		for (k = 0; k < c->rows; k++) {
			rc = csv_next_row(&r, &row, &why);
			if (rc != ERR_OK)
				print_message("failing reader case %zu, row "
				              "%zu\n",
				    i, k);
			assert_int_equal(rc, ERR_OK);
			assert_null(why.en);
			check_row(&row, &c->want[k], i);
		}
		rc = csv_next_row(&r, &row, &why);
		if (rc != c->end)
			print_message("failing reader case %zu: end\n", i);
		assert_int_equal(rc, c->end);
		assert_int_equal(row.count, 0);
		if (c->end == ERR_INVALID) {
			assert_int_equal(row.line, c->end_line);
			assert_string_equal(why.en, c->why_en);
			assert_non_null(why.es);
		} else {
			assert_null(why.en);
			assert_null(why.es);
		}
	}
}

/* Errors and the end are final: the same answer on every later call. */
static void
test_reader_final_states(void **state)
{
	static const char bad[] = "a\nb\"\nc\n";
	struct csv_reader r;
	struct csv_row row;
	struct msg why;
	int k;

	(void)state;
	csv_reader_init(&r, bad, strlen(bad), ';');
	assert_int_equal(csv_next_row(&r, &row, &why), ERR_OK);
	for (k = 0; k < 3; k++) {
		assert_int_equal(csv_next_row(&r, &row, &why), ERR_INVALID);
		assert_int_equal(row.line, 2);
		assert_string_equal(why.en, WHY_STRAY);
	}
	csv_reader_init(&r, "a", 1, ';');
	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_OK);
	for (k = 0; k < 3; k++)
		assert_int_equal(csv_next_row(&r, &row, &why), ERR_NOT_FOUND);
	csv_reader_init(&r, NULL, 0, ';');
	assert_int_equal(csv_next_row(&r, &row, &why), ERR_NOT_FOUND);
}

static void
test_reader_bad_separator(void **state)
{
	static const char seps[] = { '"', '\r', '\n', '\0' };
	struct csv_reader r;
	struct csv_row row;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(seps); i++) {
		csv_reader_init(&r, "a", 1, seps[i]);
		assert_int_equal(csv_next_row(&r, &row, NULL), ERR_INTERNAL);
	}
}

static void
test_reader_nul_byte(void **state)
{
	static const char in[] = "a;b\nc\0d;e\n";
	struct csv_reader r;
	struct csv_row row;
	struct msg why;

	(void)state;
	csv_reader_init(&r, in, sizeof(in) - 1, ';');
	assert_int_equal(csv_next_row(&r, &row, &why), ERR_OK);
	assert_int_equal(csv_next_row(&r, &row, &why), ERR_INVALID);
	assert_int_equal(row.line, 2);
	assert_string_equal(why.en, WHY_NUL);
}

/*
 * Limits.  Inputs are built in a heap buffer: count fields of field_len
 * bytes each ('x', or '"' doubled inside quotes when quoted), then a line
 * end and a second record "z".
 */

#define LIMIT_BUF_LEN (8 * CSV_ROW_BYTES) /* > 64 × 1024 + 63 + 5 */

static size_t
build(char *buf, size_t count, size_t field_len, bool quoted, bool trailing)
{
	size_t n = 0, i, k;

	for (i = 0; i < count; i++) {
		if (i > 0)
			buf[n++] = ';';
		if (quoted)
			buf[n++] = '"';
		for (k = 0; k < field_len; k++) {
			if (quoted) {
				buf[n++] = '"';
				buf[n++] = '"';
			} else {
				buf[n++] = 'x';
			}
		}
		if (quoted)
			buf[n++] = '"';
	}
	if (trailing)
		buf[n++] = ';';
	memcpy(buf + n, "\r\nz\r\n", 5);
	return n + 5;
}

struct limit_case {
	size_t count, field_len;
	bool quoted, trailing;
	enum err want;
	const char *why_en;
};

/* clang-format off */
static const struct limit_case limit_cases[] = {
	/* Fields per record. */
	{ CSV_FIELDS_MAX,	1,	false,	false,	ERR_OK,	NULL },
	{ CSV_FIELDS_MAX + 1,	1,	false,	false,	ERR_INVALID, WHY_TOO_MANY },
	{ CSV_FIELDS_MAX,	0,	false,	false,	ERR_OK,	NULL },
	{ CSV_FIELDS_MAX + 1,	0,	false,	false,	ERR_INVALID, WHY_TOO_MANY },
	{ CSV_FIELDS_MAX - 1,	1,	false,	true,	ERR_OK,	NULL },
	{ CSV_FIELDS_MAX,	1,	false,	true,	ERR_INVALID, WHY_TOO_MANY },
	{ CSV_FIELDS_MAX,	1,	true,	false,	ERR_OK,	NULL },
	{ CSV_FIELDS_MAX + 1,	1,	true,	false,	ERR_INVALID, WHY_TOO_MANY },
	/* Bytes per field, after unquoting. */
	{ 1,	CSV_FIELD_MAX,		false,	false,	ERR_OK,	NULL },
	{ 1,	CSV_FIELD_MAX + 1,	false,	false,	ERR_INVALID, WHY_FIELD_LONG },
	{ 1,	CSV_FIELD_MAX,		true,	false,	ERR_OK,	NULL },
	{ 1,	CSV_FIELD_MAX + 1,	true,	false,	ERR_INVALID, WHY_FIELD_LONG },
	{ 3,	CSV_FIELD_MAX,		false,	false,	ERR_OK,	NULL },
	{ 3,	CSV_FIELD_MAX + 1,	false,	false,	ERR_INVALID, WHY_FIELD_LONG },
	/* Bytes per record with NULs: 16 × (1023 + 1) = CSV_ROW_BYTES. */
	{ 16,	CSV_FIELD_MAX - 1,	false,	false,	ERR_OK,	NULL },
	{ 16,	CSV_FIELD_MAX - 1,	true,	false,	ERR_OK,	NULL },
	{ 17,	CSV_FIELD_MAX - 1,	false,	false,	ERR_INVALID, WHY_ROW_LONG },
	{ 16,	CSV_FIELD_MAX - 1,	false,	true,	ERR_INVALID, WHY_ROW_LONG },
	{ 16,	CSV_FIELD_MAX,		false,	false,	ERR_INVALID, WHY_ROW_LONG },
	{ CSV_FIELDS_MAX, CSV_FIELD_MAX, false,	false,	ERR_INVALID, WHY_ROW_LONG },
};
/* clang-format on */

static void
test_reader_limits(void **state)
{
	char *buf = malloc(LIMIT_BUF_LEN);
	size_t i, k;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < ROWS(limit_cases); i++) {
		const struct limit_case *c = &limit_cases[i];
		size_t want_count = c->count + (c->trailing ? 1 : 0);
		size_t len =
		    build(buf, c->count, c->field_len, c->quoted, c->trailing);
		struct csv_reader *r = malloc(sizeof(*r));
		struct csv_row row;
		struct msg why;
		enum err rc;

		assert_non_null(r);
		csv_reader_init(r, buf, len, ';');
		rc = csv_next_row(r, &row, &why);
		if (rc != c->want)
			print_message("failing limit case %zu\n", i);
		assert_int_equal(rc, c->want);
		if (rc == ERR_OK) {
			assert_int_equal(row.count, want_count);
			for (k = 0; k < c->count; k++) {
				assert_int_equal(row.lens[k], c->field_len);
				assert_int_equal(
				    strlen(row.fields[k]), c->field_len);
			}
			assert_int_equal(csv_next_row(r, &row, &why), ERR_OK);
			assert_int_equal(row.line, 2);
			assert_string_equal(row.fields[0], "z");
		} else {
			assert_int_equal(row.line, 1);
			assert_string_equal(why.en, c->why_en);
		}
		free(r);
	}
	free(buf);
}

/*
 * Whole files as Excel writes them.
 */

/* Spanish-locale Excel, "CSV (delimitado por comas)": cp1252, ';', CRLF. */
static void
test_excel_latin1_semicolon(void **state)
{
	static const char file[] = "Apellido;Nombre;DNI\r\n"
	                           "P\xE9rez;\xD1"
	                           "aupari;01234567\r\n"
	                           ";;\r\n"
	                           "\"Quispe; Mamani\";\"Mar\xED"
	                           "a\";\r\n";
	struct csv_reader r;
	struct csv_row row;
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(
	    csv_to_utf8(file, sizeof(file) - 1, &text, &len), ERR_OK);
	assert_int_equal(csv_detect_separator(text, len), ';');
	csv_reader_init(&r, text, len, ';');

	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_OK);
	assert_int_equal(row.count, 3);
	assert_string_equal(row.fields[2], "DNI");

	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_OK);
	assert_int_equal(row.line, 2);
	assert_int_equal(row.count, 3);
	assert_string_equal(row.fields[0], "P\xC3\xA9rez");
	assert_string_equal(row.fields[1],
	    "\xC3\x91"
	    "aupari");
	assert_string_equal(row.fields[2], "01234567");
	assert_false(csv_row_blank(&row));

	/* Excel's blank row inside the used range. */
	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_OK);
	assert_int_equal(row.count, 3);
	assert_true(csv_row_blank(&row));

	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_OK);
	assert_int_equal(row.line, 4);
	assert_string_equal(row.fields[0], "Quispe; Mamani");
	assert_string_equal(row.fields[1],
	    "Mar\xC3\xAD"
	    "a");
	assert_string_equal(row.fields[2], "");
	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_NOT_FOUND);
	free(text);
}

/* "CSV UTF-8": a BOM, ',' in an English locale, a multi-line note. */
static void
test_excel_utf8_bom_comma(void **state)
{
	static const char file[] =
	    "\xEF\xBB\xBF"
	    "codigo,nombre,area_ha,nota\r\n"
	    "P-001,\"Finca \"\"El Mirador\"\", Ja\xC3\xA9n\",1.5,\"Sombra:\r\n"
	    "guaba\r\n"
	    "pacay\"\r\n"
	    "P-002,Alto Ihuamaca,4.25,\r\n";
	struct csv_reader r;
	struct csv_row row;
	char *text = NULL;
	size_t len = 0;
	const char *s;
	size_t s_len;

	(void)state;
	assert_int_equal(
	    csv_to_utf8(file, sizeof(file) - 1, &text, &len), ERR_OK);
	assert_int_equal(len, sizeof(file) - 1 - 3);
	assert_int_equal(csv_detect_separator(text, len), ',');
	csv_reader_init(&r, text, len, ',');

	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_OK);
	assert_int_equal(row.line, 1);
	assert_string_equal(row.fields[0], "codigo"); /* no BOM */

	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_OK);
	assert_int_equal(row.line, 2);
	assert_int_equal(row.count, 4);
	assert_string_equal(row.fields[1], "Finca \"El Mirador\", Ja\xC3\xA9n");
	assert_string_equal(row.fields[3], "Sombra:\r\nguaba\r\npacay");

	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_OK);
	assert_int_equal(row.line, 5);
	assert_int_equal(row.count, 4);
	s = row.fields[1];
	s_len = row.lens[1];
	csv_trim(&s, &s_len);
	assert_int_equal(s_len, strlen("Alto Ihuamaca"));
	assert_string_equal(row.fields[3], "");
	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_NOT_FOUND);
	free(text);
}

/*
 * csv_trim() and csv_row_blank().
 */

struct trim_case {
	const char *in, *out;
};

/* clang-format off */
static const struct trim_case trim_cases[] = {
	{ "abc",		"abc" },
	{ "  a b \t",		"a b" },
	{ "\t\ta",		"a" },
	{ "a  ",		"a" },
	{ "",			"" },
	{ " \t ",		"" },
	{ "a\r",		"a\r" },		/* CR is not trimmed */
	{ "\xC2\xA0x",		"\xC2\xA0x" },		/* nor NBSP */
	{ " \xC3\x91 ",		"\xC3\x91" },
};
/* clang-format on */

static void
test_trim_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(trim_cases); i++) {
		const char *s = trim_cases[i].in;
		size_t len = strlen(s);

		csv_trim(&s, &len);
		assert_int_equal(len, strlen(trim_cases[i].out));
		assert_memory_equal(s, trim_cases[i].out, len);
	}
}

static void
test_row_blank(void **state)
{
	struct csv_row row = { 0 };

	(void)state;
	assert_true(csv_row_blank(&row)); /* no fields */
	row.count = 2;
	row.fields[0] = " \t";
	row.lens[0] = 2;
	row.fields[1] = "";
	row.lens[1] = 0;
	assert_true(csv_row_blank(&row));
	row.fields[1] = " x";
	row.lens[1] = 2;
	assert_false(csv_row_blank(&row));
}

/*
 * csv_quote().
 */

struct quote_case {
	const char *field;
	char sep;
	const char *out;
};

/* clang-format off */
static const struct quote_case quote_cases[] = {
	{ "abc",		';',	"abc" },
	{ "",			';',	"" },
	{ NULL,			';',	"" },
	{ "P\xC3\xA9rez",	';',	"P\xC3\xA9rez" },
	{ " a ",		';',	" a " },
	/* The separator, quotes and line ends. */
	{ "a;b",		';',	"\"a;b\"" },
	{ "a;b",		',',	"a;b" },
	{ "a,b",		',',	"\"a,b\"" },
	{ "1,5",		';',	"1,5" },
	{ "dijo \"hola\"",	';',	"\"dijo \"\"hola\"\"\"" },
	{ "\"",			';',	"\"\"\"\"" },
	{ "a\nb",		';',	"\"a\nb\"" },
	{ "a\r\nb",		';',	"\"a\r\nb\"" },
	/* Formula injection: quoted, with an apostrophe inside. */
	{ "=SUM(1)",		';',	"\"'=SUM(1)\"" },
	{ "=1+1",		',',	"\"'=1+1\"" },
	{ "+cmd|' /C calc'!A0",	';',	"\"'+cmd|' /C calc'!A0\"" },
	{ "-2+3",		';',	"\"'-2+3\"" },
	{ "@SUM(A1)",		';',	"\"'@SUM(A1)\"" },
	{ "\t=1",		';',	"\"'\t=1\"" },
	{ "\r=1",		';',	"\"'\r=1\"" },
	{ "=\"a;b\"",		';',	"\"'=\"\"a;b\"\"\"" },
	{ "-",			';',	"\"'-\"" },
	{ "+",			';',	"\"'+\"" },
	{ "-.5",		';',	"\"'-.5\"" },
	{ "-5.",		';',	"\"'-5.\"" },
	{ "+51 976 000 000",	';',	"\"'+51 976 000 000\"" },
	/* Plain numbers are not formulas. */
	{ "-5.703125",		';',	"-5.703125" },
	{ "-78.8123456",	',',	"-78.8123456" },
	{ "+51",		';',	"+51" },
	{ "-1,5",		';',	"-1,5" },
	{ "-1,5",		',',	"\"-1,5\"" },
	/* Only the first character matters. */
	{ "a=b",		';',	"a=b" },
	{ "P-001",		';',	"P-001" },
	{ " =1",		';',	" =1" },
};
/* clang-format on */

static void
test_quote_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(quote_cases); i++) {
		const struct quote_case *c = &quote_cases[i];
		char out[QUOTE_BUF_LEN];
		size_t n;

		n = csv_quote(c->field, out, sizeof(out), c->sep);
		if (strcmp(out, c->out) != 0)
			print_message("failing quote case %zu\n", i);
		assert_string_equal(out, c->out);
		assert_int_equal(n, strlen(c->out));
		assert_int_equal(csv_quote(c->field, NULL, 0, c->sep), n);
	}
}

/* "\"'=SUM(1)\"" is 10 bytes: 11 fit, 10 do not (and write ""). */
static void
test_quote_buffer_boundary(void **state)
{
	char out[QUOTE_BUF_LEN];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_int_equal(csv_quote("=SUM(1)", out, 11, ';'), 10);
	assert_string_equal(out, "\"'=SUM(1)\"");
	memset(out, 'x', sizeof(out));
	assert_int_equal(csv_quote("=SUM(1)", out, 10, ';'), 10);
	assert_string_equal(out, "");
	assert_int_equal(out[1], 'x'); /* nothing else written */
	assert_int_equal(csv_quote("abc", out, 4, ';'), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(csv_quote("abc", out, 3, ';'), 3);
	assert_string_equal(out, "");
	assert_int_equal(csv_quote("", out, 1, ';'), 0);
	assert_string_equal(out, "");
}

/* What csv_quote() writes, csv_next_row() reads back unchanged. */
static void
test_quote_round_trip(void **state)
{
	static const char *const fields[] = { "a;b", "dijo \"hola\"",
		"l\xC3\xADnea 1\r\nl\xC3\xADnea 2", "", " x ", "-5.703125" };
	char line[4 * QUOTE_BUF_LEN];
	struct csv_reader r;
	struct csv_row row;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < ROWS(fields); i++) {
		if (i > 0)
			line[n++] = ';';
		n += csv_quote(fields[i], line + n, sizeof(line) - n, ';');
	}
	csv_reader_init(&r, line, n, ';');
	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_OK);
	assert_int_equal(row.count, ROWS(fields));
	for (i = 0; i < ROWS(fields); i++)
		assert_string_equal(row.fields[i], fields[i]);
	assert_int_equal(csv_next_row(&r, &row, NULL), ERR_NOT_FOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_to_utf8_table),
		cmocka_unit_test(test_to_utf8_null_empty),
		cmocka_unit_test(test_to_utf8_all_bytes),
		cmocka_unit_test(test_detect_separator_table),
		cmocka_unit_test(test_reader_table),
		cmocka_unit_test(test_reader_final_states),
		cmocka_unit_test(test_reader_bad_separator),
		cmocka_unit_test(test_reader_nul_byte),
		cmocka_unit_test(test_reader_limits),
		cmocka_unit_test(test_excel_latin1_semicolon),
		cmocka_unit_test(test_excel_utf8_bom_comma),
		cmocka_unit_test(test_trim_table),
		cmocka_unit_test(test_row_blank),
		cmocka_unit_test(test_quote_table),
		cmocka_unit_test(test_quote_buffer_boundary),
		cmocka_unit_test(test_quote_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
