/*
 * CSV files as Excel saves them: RFC 4180 plus Excel's habits (';' as the
 * separator in Spanish locales, Windows-1252 text without a BOM or UTF-8
 * with one, CRLF line ends, quoted fields with "" escapes and embedded
 * newlines).  A streaming reader over a text already in memory, a writer
 * helper that quotes one field and defuses formulas, and the encoding and
 * separator guesses an importer needs.  Pure functions: no I/O, no locale;
 * only csv_to_utf8() allocates.
 */
#ifndef PERGAMINO_CSV_H
#define PERGAMINO_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "pergamino/err.h"

#define CSV_FIELDS_MAX 64   /* fields per record, inclusive */
#define CSV_FIELD_MAX 1024  /* bytes per field (after unquoting), inclusive */
#define CSV_ROW_BYTES 16384 /* bytes per record: its fields and their NULs */

/*
 * Convert a whole file to UTF-8.  If the in_len bytes at in are valid
 * UTF-8 they are copied, without a leading UTF-8 BOM (EF BB BF) if there
 * is one.  Otherwise they are read as Windows-1252 (Latin-1 with 0x80..0x9F
 * mapped as Windows does: 0x80 '€', 0x93 '“' ...) and converted.  A text
 * that is both valid UTF-8 and meant as Windows-1252 ("Ã©") cannot be told
 * apart and is taken as UTF-8.
 *
 * Returns ERR_OK with *out a malloc'd, NUL-terminated copy owned by the
 * caller (free() it) and *out_len its length without the NUL; ERR_INVALID
 * if the text holds a NUL byte (a UTF-16 file, say, or binary data) or one
 * of the bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90,
 * 0x9D); ERR_NOMEM.  On failure *out is NULL and *out_len 0.  in may be
 * NULL only when in_len is 0.
 */
enum err csv_to_utf8(
    const char *in, size_t in_len, char **out, size_t *out_len);

/*
 * Guess the separator: count ';' and ',' outside quotes on the first
 * non-empty line (up to the first CR or LF outside quotes) and return the
 * more frequent one.  Ties, including none of either, return ';' (what
 * Excel writes in Spanish locales).  text may be NULL only when len is 0.
 */
char csv_detect_separator(const char *text, size_t len);

/*
 * One record.  fields[i] points to a NUL-terminated copy of the i-th field,
 * unquoted and with "" turned into ", owned by the reader that filled the
 * row and valid until its next csv_next_row() call; lens[i] is its length
 * in bytes.  Nothing is trimmed: see csv_trim().
 */
struct csv_row {
	size_t count;                       /* fields, 1..CSV_FIELDS_MAX */
	const char *fields[CSV_FIELDS_MAX]; /* borrowed from the reader */
	size_t lens[CSV_FIELDS_MAX];        /* bytes */
	size_t line; /* 1-based physical line where the record starts */
};

/*
 * Reader state.  Treat the members as private; the struct is public only
 * so that it can live on the stack (it embeds the row buffer).
 */
struct csv_reader {
	const char *text; /* borrowed: must outlive the reader */
	size_t len;       /* bytes of text */
	size_t pos;       /* next byte to read */
	size_t line;      /* 1-based physical line of text[pos] */
	char sep;
	enum err state; /* ERR_OK; else what every later call returns */
	struct msg why; /* reason for state == ERR_INVALID */
	char buf[CSV_ROW_BYTES]; /* the current row's fields */
};

/*
 * Start reading the len bytes at text (UTF-8, see csv_to_utf8()) with the
 * separator sep (see csv_detect_separator()); a leading UTF-8 BOM is
 * skipped.  The reader borrows text.
 * sep must not be '"', CR, LF or NUL; csv_next_row() refuses such a reader
 * with ERR_INTERNAL.
 */
void csv_reader_init(
    struct csv_reader *r, const char *text, size_t len, char sep);

/*
 * Read the next record into *row.  Line ends are LF, CRLF or a lone CR
 * (old Mac Excel); empty lines are skipped, a last line without a line end
 * is read, and a separator at the end of a line makes a last, empty field.
 * Quoted fields may hold separators, "" (one quote) and line ends, which
 * are kept as they are and counted in row->line of later records.
 *
 * Returns
 *   ERR_OK         *row filled (count >= 1);
 *   ERR_NOT_FOUND  no more records;
 *   ERR_INVALID    malformed input, with a reason in *why: an unterminated
 *                  quote, a quote inside an unquoted field, text after a
 *                  closing quote, a NUL byte, more than CSV_FIELDS_MAX
 *                  fields, a field longer than CSV_FIELD_MAX bytes or a
 *                  record longer than CSV_ROW_BYTES.  row->line is the line
 *                  where the bad record starts, row->count is 0;
 *   ERR_INTERNAL   the separator given to csv_reader_init() is unusable.
 *
 * Errors are final: the reader does not guess where the next record
 * starts, and every later call returns the same error (and reason).  On
 * ERR_OK and ERR_NOT_FOUND both members of *why are NULL.  why may be NULL.
 */
enum err csv_next_row(
    struct csv_reader *r, struct csv_row *row, struct msg *why);

/*
 * True if every field of row is empty or only spaces and tabs: the
 * ";;;;" lines Excel writes for blank rows inside a used range.
 */
bool csv_row_blank(const struct csv_row *row);

/*
 * Narrow *s / *len to exclude leading and trailing ASCII spaces and tabs
 * (nothing else: no NBSP, no CR).  *s may be NULL only when *len is 0.
 */
void csv_trim(const char **s, size_t *len);

/*
 * Write field (NUL-terminated; NULL counts as "") as one CSV field for a
 * file with separator sep.  It is quoted, with quotes doubled, when it
 * contains sep, '"', CR or LF, or when a spreadsheet would run it as a
 * formula: it starts with '=', '+', '-', '@', a tab or a CR.  Such fields
 * also get a ' (apostrophe) inside the quotes, so that Excel shows them as
 * text: "=SUM(1)" is written "'=SUM(1)" with its quotes.  Plain numbers
 * such as "-78.812345" or "+51" are not formulas and stay as they are, so
 * negative coordinates and amounts still open as numbers.
 *
 * Returns the length of the whole result without its NUL, like snprintf.
 * It was written only if that is below cap; otherwise out is set to "" (if
 * cap > 0) so that no half-quoted field can end up in a file.  out may be
 * NULL when cap is 0, to ask for the size.
 */
size_t csv_quote(const char *field, char *out, size_t cap, char sep);

#endif
