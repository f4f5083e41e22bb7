/*
 * CSV as Excel saves it: encoding to UTF-8, separator guess, a streaming
 * record reader with fixed limits, trimming, and quoting for export with
 * a guard against formula injection.  Nothing here does I/O; the text is
 * already in memory and only csv_to_utf8() allocates.  Reasons are string
 * literals.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/csv.h"
#include "pergamino/err.h"
#include "pergamino/utf8.h"

/* The limits as string literals, for the reasons. */
#define STR_(x) #x
#define STR(x) STR_(x)

#define UTF8_BOM "\xEF\xBB\xBF"
#define UTF8_BOM_LEN 3        /* bytes */
#define UTF8_2BYTE_MIN 0x80u  /* first code point needing two bytes */
#define UTF8_3BYTE_MIN 0x800u /* first code point needing three bytes */
#define CP1252_C1_MIN 0x80u   /* bytes 0x80..0x9F differ from Latin-1 */
#define CP1252_C1_MAX 0x9Fu
#define UTF8_EXPANSION_MAX 3 /* output bytes per Windows-1252 byte */

/*
 * Unicode code points of Windows-1252 bytes 0x80..0x9F; 0 marks the five
 * bytes the code page leaves undefined.  Bytes 0xA0..0xFF are Latin-1:
 * their code point is the byte value.
 */
/* clang-format off */
static const uint16_t cp1252_c1[] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};
/* clang-format on */
_Static_assert(sizeof(cp1252_c1) / sizeof(cp1252_c1[0]) ==
        CP1252_C1_MAX - CP1252_C1_MIN + 1,
    "one code point per byte 0x80..0x9F");

static void
set_why(struct msg *why, struct msg m)
{
	if (why != NULL)
		*why = m;
}

static bool
is_eol(char c)
{
	return c == '\r' || c == '\n';
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Encoding.
 */

/*
 * Code point of the Windows-1252 byte b, or 0 for NUL and the undefined
 * bytes (neither may appear in a text file).
 */
static uint32_t
cp1252_code_point(unsigned char b)
{
	if (b >= CP1252_C1_MIN && b <= CP1252_C1_MAX)
		return cp1252_c1[b - CP1252_C1_MIN];
	return b;
}

static size_t
utf8_len_of(uint32_t cp)
{
	if (cp < UTF8_2BYTE_MIN)
		return 1;
	if (cp < UTF8_3BYTE_MIN)
		return 2;
	return 3; /* every Windows-1252 code point is below U+10000 */
}

/* Write cp (below U+10000) as UTF-8 at p; returns the bytes written. */
static size_t
utf8_put(char *p, uint32_t cp)
{
	if (cp < UTF8_2BYTE_MIN) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < UTF8_3BYTE_MIN) {
		p[0] = (char)(0xC0u | (cp >> 6));
		p[1] = (char)(0x80u | (cp & 0x3Fu));
		return 2;
	}
	p[0] = (char)(0xE0u | (cp >> 12));
	p[1] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
	p[2] = (char)(0x80u | (cp & 0x3Fu));
	return 3;
}

/* A malloc'd, NUL-terminated copy of the len bytes at s. */
static enum err
copy_text(const char *s, size_t len, char **out, size_t *out_len)
{
	char *p;

	if (len == SIZE_MAX)
		return ERR_NOMEM;
	p = malloc(len + 1);
	if (p == NULL)
		return ERR_NOMEM;
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	*out = p;
	*out_len = len;
	return ERR_OK;
}

static enum err
from_cp1252(const char *in, size_t in_len, char **out, size_t *out_len)
{
	const unsigned char *b = (const unsigned char *)in;
	size_t i, n = 0, k = 0;
	char *p;

	if (in_len > (SIZE_MAX - 1) / UTF8_EXPANSION_MAX)
		return ERR_NOMEM;
	for (i = 0; i < in_len; i++) {
		uint32_t cp = cp1252_code_point(b[i]);

		if (cp == 0)
			return ERR_INVALID;
		n += utf8_len_of(cp);
	}
	p = malloc(n + 1);
	if (p == NULL)
		return ERR_NOMEM;
	for (i = 0; i < in_len; i++)
		k += utf8_put(p + k, cp1252_code_point(b[i]));
	p[k] = '\0';
	*out = p;
	*out_len = k;
	return ERR_OK;
}

enum err
csv_to_utf8(const char *in, size_t in_len, char **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (in == NULL && in_len > 0)
		return ERR_INVALID;
	if (!utf8_valid(in, in_len))
		return from_cp1252(in, in_len, out, out_len);
	if (in_len >= UTF8_BOM_LEN && memcmp(in, UTF8_BOM, UTF8_BOM_LEN) == 0) {
		in += UTF8_BOM_LEN;
		in_len -= UTF8_BOM_LEN;
	}
	if (in_len > 0 && memchr(in, '\0', in_len) != NULL)
		return ERR_INVALID;
	return copy_text(in, in_len, out, out_len);
}

/*
 * Separator.
 */

char
csv_detect_separator(const char *text, size_t len)
{
	size_t i = 0, semicolons = 0, commas = 0;
	bool quoted = false;

	if (text == NULL)
		return ';';
	while (i < len && is_eol(text[i]))
		i++;
	for (; i < len; i++) {
		char c = text[i];

		/* "" inside quotes toggles twice: no harm done. */
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (is_eol(c))
			break;
		else if (c == ';')
			semicolons++;
		else if (c == ',')
			commas++;
	}
	return commas > semicolons ? ',' : ';';
}

/*
 * Reader.
 */

#define MSG_UNTERMINATED                                                       \
	MSG("Hay comillas sin cerrar", "A quoted field is not closed")
#define MSG_STRAY_QUOTE                                                        \
	MSG("Hay comillas dentro de un campo sin comillas",                    \
	    "A quote appears inside an unquoted field")
#define MSG_AFTER_QUOTE                                                        \
	MSG("Hay texto después de cerrar las comillas de un campo",            \
	    "A quoted field is followed by more text")
#define MSG_NUL                                                                \
	MSG("El archivo contiene un byte nulo", "The file contains a NUL byte")
#define MSG_TOO_MANY                                                           \
	MSG("La fila tiene más de " STR(CSV_FIELDS_MAX) " columnas",           \
	    "The row has more than " STR(CSV_FIELDS_MAX) " fields")
#define MSG_FIELD_LONG                                                         \
	MSG("Un campo tiene más de " STR(CSV_FIELD_MAX) " bytes",              \
	    "A field is longer than " STR(CSV_FIELD_MAX) " bytes")
#define MSG_ROW_LONG                                                           \
	MSG("La fila tiene más de " STR(CSV_ROW_BYTES) " bytes",               \
	    "The row is longer than " STR(CSV_ROW_BYTES) " bytes")

/* The field being copied into r->buf. */
struct field {
	size_t start; /* offset in r->buf */
	size_t len;   /* bytes so far */
};

void
csv_reader_init(struct csv_reader *r, const char *text, size_t len, char sep)
{
	r->text = text;
	r->len = text != NULL ? len : 0;
	r->pos = 0;
	r->line = 1;
	r->sep = sep;
	r->why = MSG(NULL, NULL);
	r->state = ERR_OK;
	/* A BOM left by a caller that skipped csv_to_utf8(). */
	if (r->len >= UTF8_BOM_LEN && memcmp(text, UTF8_BOM, UTF8_BOM_LEN) == 0)
		r->pos = UTF8_BOM_LEN;
	if (sep == '"' || is_eol(sep) || sep == '\0')
		r->state = ERR_INTERNAL;
}

/* Stop for good: every later call returns ERR_INVALID with m. */
static enum err
fail(struct csv_reader *r, struct msg m)
{
	r->state = ERR_INVALID;
	r->why = m;
	return ERR_INVALID;
}

static bool
at(const struct csv_reader *r, size_t pos, char c)
{
	return pos < r->len && r->text[pos] == c;
}

/* Consume the line end at r->pos (CRLF, LF or a lone CR): one line. */
static void
eat_eol(struct csv_reader *r)
{
	if (at(r, r->pos, '\r') && at(r, r->pos + 1, '\n'))
		r->pos++;
	r->pos++;
	r->line++;
}

/* Append c to the field f, keeping one byte of r->buf for its NUL. */
static enum err
put(struct csv_reader *r, struct field *f, char c)
{
	size_t used = f->start + f->len;

	if (c == '\0')
		return fail(r, MSG_NUL);
	if (f->len >= CSV_FIELD_MAX)
		return fail(r, MSG_FIELD_LONG);
	if (used + 1 >= CSV_ROW_BYTES)
		return fail(r, MSG_ROW_LONG);
	r->buf[used] = c;
	f->len++;
	return ERR_OK;
}

/* A field that does not start with a quote: up to sep, a line end or EOF. */
static enum err
read_plain(struct csv_reader *r, struct field *f)
{
	enum err rc;

	while (r->pos < r->len) {
		char c = r->text[r->pos];

		if (c == r->sep || is_eol(c))
			break;
		if (c == '"')
			return fail(r, MSG_STRAY_QUOTE);
		rc = put(r, f, c);
		if (rc != ERR_OK)
			return rc;
		r->pos++;
	}
	return ERR_OK;
}

/*
 * A field in quotes, r->pos at the opening quote.  Line ends inside are
 * kept and counted; after the closing quote only sep, a line end or EOF
 * may follow.
 */
static enum err
read_quoted(struct csv_reader *r, struct field *f)
{
	enum err rc;

	r->pos++;
	for (;;) {
		char c;

		if (r->pos >= r->len)
			return fail(r, MSG_UNTERMINATED);
		c = r->text[r->pos];
		if (c == '"' && !at(r, r->pos + 1, '"')) {
			r->pos++;
			break;
		}
		if (c == '\n' || (c == '\r' && !at(r, r->pos + 1, '\n')))
			r->line++;
		rc = put(r, f, c);
		if (rc != ERR_OK)
			return rc;
		r->pos += c == '"' ? 2 : 1; /* "" is one quote */
	}
	if (r->pos < r->len && r->text[r->pos] != r->sep &&
	    !is_eol(r->text[r->pos]))
		return fail(r, MSG_AFTER_QUOTE);
	return ERR_OK;
}

/* One record, r->pos at its first byte (not a line end). */
static enum err
read_record(struct csv_reader *r, struct csv_row *row)
{
	size_t used = 0; /* bytes of r->buf taken by earlier fields */
	enum err rc;

	for (;;) {
		struct field f = { used, 0 };

		if (row->count == CSV_FIELDS_MAX)
			return fail(r, MSG_TOO_MANY);
		if (at(r, r->pos, '"'))
			rc = read_quoted(r, &f);
		else
			rc = read_plain(r, &f);
		if (rc != ERR_OK)
			return rc;
		if (f.start + f.len >= CSV_ROW_BYTES)
			return fail(r, MSG_ROW_LONG); /* no room for the NUL */
		r->buf[f.start + f.len] = '\0';
		used = f.start + f.len + 1;
		row->fields[row->count] = r->buf + f.start;
		row->lens[row->count] = f.len;
		row->count++;
		if (r->pos >= r->len)
			return ERR_OK;
		if (r->text[r->pos] != r->sep) {
			eat_eol(r);
			return ERR_OK;
		}
		r->pos++;
	}
}

enum err
csv_next_row(struct csv_reader *r, struct csv_row *row, struct msg *why)
{
	size_t start_line;
	enum err rc;

	set_why(why, MSG(NULL, NULL));
	row->count = 0;
	if (r->state == ERR_OK) {
		while (r->pos < r->len && is_eol(r->text[r->pos]))
			eat_eol(r);
		if (r->pos >= r->len)
			r->state = ERR_NOT_FOUND;
	}
	row->line = r->line;
	if (r->state != ERR_OK) {
		if (r->state == ERR_INVALID)
			set_why(why, r->why);
		return r->state;
	}
	start_line = r->line;
	rc = read_record(r, row);
	if (rc != ERR_OK) {
		/* Later calls report the same record. */
		r->line = start_line;
		row->count = 0;
		set_why(why, r->why);
		return rc;
	}
	return ERR_OK;
}

bool
csv_row_blank(const struct csv_row *row)
{
	size_t i, k;

	for (i = 0; i < row->count; i++) {
		for (k = 0; k < row->lens[i]; k++) {
			if (!is_blank(row->fields[i][k]))
				return false;
		}
	}
	return true;
}

void
csv_trim(const char **s, size_t *len)
{
	while (*len > 0 && is_blank((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_blank((*s)[*len - 1]))
		(*len)--;
}

/*
 * Writer.
 */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A plain number: an optional sign, digits, and optionally one '.' or ','
 * followed by digits.  Spreadsheets read these as numbers, never as
 * formulas.
 */
static bool
is_plain_number(const char *s)
{
	const char *p = s;

	if (*p == '-' || *p == '+')
		p++;
	if (!is_digit(*p))
		return false;
	while (is_digit(*p))
		p++;
	if (*p == '.' || *p == ',') {
		p++;
		if (!is_digit(*p))
			return false;
		while (is_digit(*p))
			p++;
	}
	return *p == '\0';
}

/*
 * True if a spreadsheet could run s as a formula (the OWASP "CSV
 * injection" list of first characters).  That list has '-' and '+',
 * which would also turn every negative coordinate into text; plain numbers
 * are exempt because no spreadsheet evaluates them.
 */
static bool
needs_formula_guard(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL &&
	    !is_plain_number(s);
}

size_t
csv_quote(const char *field, char *out, size_t cap, char sep)
{
	const char *s = field != NULL ? field : "";
	bool guard = needs_formula_guard(s), quote = guard;
	size_t len = 0, quotes = 0, n, k = 0;
	const char *p;

	for (p = s; *p != '\0'; p++) {
		len++;
		if (*p == '"')
			quotes++;
		if (*p == sep || *p == '"' || is_eol(*p))
			quote = true;
	}
	n = len + quotes + (quote ? 2 : 0) + (guard ? 1 : 0);
	if (cap == 0)
		return n;
	if (n >= cap) {
		out[0] = '\0';
		return n;
	}
	if (quote)
		out[k++] = '"';
	if (guard)
		out[k++] = '\'';
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			out[k++] = '"';
		out[k++] = *p;
	}
	if (quote)
		out[k++] = '"';
	out[k] = '\0';
	return n;
}
