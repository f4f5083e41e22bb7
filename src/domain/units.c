/*
 * Exact arithmetic for weights (grams), money (céntimos), quintals and
 * percentages (hundredths): parsing and formatting of decimals, rounding
 * half up, and the amount in Spanish words for the liquidación.  Integers
 * only; no I/O, no locale, no floating point.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pergamino/err.h"
#include "pergamino/units.h"

#define CENTI 100u           /* hundredths */
#define PERCENT_CENTI 10000u /* 100 % in hundredths */
#define FMT_TMP_LEN 64 /* sign, 19 digits, 6 separators, dot, 18 decimals */

/* 10^n for n <= UNITS_SCALE_MAX. */
static uint64_t
pow10u(unsigned n)
{
	uint64_t p = 1;

	while (n-- > 0)
		p *= 10u;
	return p;
}

/* |v| without overflow, also for INT64_MIN. */
static uint64_t
magnitude(int64_t v)
{
	return v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
}

/* The full 128-bit product a × b as *hi:*lo, from 32-bit halves. */
static void
mul_wide(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	const uint64_t mask = 0xFFFFFFFFu;
	uint64_t p0 = (a & mask) * (b & mask);
	uint64_t p1 = (a & mask) * (b >> 32);
	uint64_t p2 = (a >> 32) * (b & mask);
	uint64_t p3 = (a >> 32) * (b >> 32);
	uint64_t mid = (p0 >> 32) + (p1 & mask) + (p2 & mask);

	*lo = (p0 & mask) | (mid << 32);
	*hi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

/*
 * round_half_up(a × b / c) for any a, b and c >= 1, exactly: the product
 * is kept in 128 bits and divided by shift-and-subtract long division.
 * False if the result does not fit in int64_t.  Portable C: no __int128.
 */
static bool
mul_div_round(uint64_t a, uint64_t b, uint64_t c, int64_t *out)
{
	uint64_t hi, lo, q = 0, r;
	int bit;

	mul_wide(a, b, &hi, &lo);
	if (hi >= c)
		return false; /* the quotient needs more than 64 bits */
	r = hi;
	for (bit = 63; bit >= 0; bit--) {
		uint64_t carry = r >> 63;

		r = (r << 1) | ((lo >> bit) & 1u);
		q <<= 1;
		/* With carry the true remainder is r + 2^64, above c. */
		if (carry != 0 || r >= c) {
			r -= c;
			q |= 1u;
		}
	}
	if (q > (uint64_t)INT64_MAX)
		return false;
	if (r >= c - r)
		q++; /* half up; cannot wrap, q <= INT64_MAX before */
	if (q > (uint64_t)INT64_MAX)
		return false;
	*out = (int64_t)q;
	return true;
}

enum err
units_parse_decimal(const char *s, unsigned scale, int64_t max, int64_t *out)
{
	int64_t v = 0;
	unsigned int_digits = 0, decimals = 0;
	bool dot = false;
	const char *p;

	if (s == NULL || max < 0 || scale > UNITS_SCALE_MAX)
		return ERR_INVALID;
	for (p = s; *p != '\0'; p++) {
		int64_t d;

		if (*p == '.') {
			if (dot || int_digits == 0 || scale == 0)
				return ERR_INVALID;
			dot = true;
			continue;
		}
		if (*p < '0' || *p > '9')
			return ERR_INVALID;
		if (dot)
			decimals++;
		else
			int_digits++;
		if (decimals > scale || int_digits > UNITS_INT_DIGITS_MAX)
			return ERR_INVALID;
		d = *p - '0';
		if (d > max || v > (max - d) / 10)
			return ERR_INVALID;
		v = v * 10 + d;
	}
	if (int_digits == 0 || (dot && decimals == 0))
		return ERR_INVALID;
	for (; decimals < scale; decimals++) {
		if (v > max / 10)
			return ERR_INVALID;
		v *= 10;
	}
	*out = v;
	return ERR_OK;
}

/*
 * Shared by units_format_decimal() and units_format_pe(): group (or '\0'
 * for none) separates thousands, point goes before the decimals.  The text
 * is built backwards in a local buffer, then copied.
 */
static int
format_fixed(int64_t v, unsigned scale, unsigned shown, char group, char point,
    char *buf, size_t buf_len)
{
	char tmp[FMT_TMP_LEN];
	char *p = tmp + sizeof(tmp);
	uint64_t mag = magnitude(v), ip, fp;
	unsigned s = scale, i, n;

	if (buf != NULL && buf_len > 0)
		buf[0] = '\0';
	if (buf == NULL || scale > UNITS_SCALE_MAX || shown > UNITS_SCALE_MAX)
		return -1;
	if (shown < scale) {
		uint64_t div = pow10u(scale - shown), r = mag % div;

		mag = mag / div + (r >= div - r ? 1u : 0u);
		s = shown;
	}
	ip = mag / pow10u(s);
	fp = mag % pow10u(s);
	for (i = s; i < shown; i++)
		*--p = '0';
	for (i = 0; i < s; i++, fp /= 10u)
		*--p = (char)('0' + fp % 10u);
	if (shown > 0)
		*--p = point;
	n = 0;
	do {
		if (group != '\0' && n > 0 && n % 3 == 0)
			*--p = group;
		*--p = (char)('0' + ip % 10u);
		ip /= 10u;
		n++;
	} while (ip > 0);
	if (v < 0 && mag != 0)
		*--p = '-';
	n = (unsigned)(tmp + sizeof(tmp) - p);
	if (n >= buf_len)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return (int)n;
}

int
units_format_decimal(
    int64_t v, unsigned scale, unsigned shown, char *buf, size_t buf_len)
{
	return format_fixed(v, scale, shown, '\0', '.', buf, buf_len);
}

int
units_format_pe(
    int64_t v, unsigned scale, unsigned shown, char *buf, size_t buf_len)
{
	return format_fixed(v, scale, shown, ' ', ',', buf, buf_len);
}

int64_t
units_qq_centi(int64_t grams, int64_t grams_per_qq)
{
	int64_t r;

	if (grams < 0 || grams_per_qq <= 0)
		return -1;
	if (!mul_div_round((uint64_t)grams, CENTI, (uint64_t)grams_per_qq, &r))
		return -1;
	return r;
}

int64_t
units_percent_centi(int64_t part, int64_t whole)
{
	int64_t r;

	if (whole <= 0)
		return 0;
	if (part < 0)
		return -1;
	if (!mul_div_round((uint64_t)part, PERCENT_CENTI, (uint64_t)whole, &r))
		return -1;
	return r;
}

int64_t
units_money_centimos(int64_t qq_centi, int64_t price_centimos_per_qq)
{
	int64_t r;

	if (qq_centi < 0 || price_centimos_per_qq < 0)
		return -1;
	if (!mul_div_round(
	        (uint64_t)qq_centi, (uint64_t)price_centimos_per_qq, CENTI, &r))
		return -1;
	return r;
}

void
units_sacks_split(
    int64_t grams, int64_t sack_grams, int64_t *sacks, int64_t *remainder_grams)
{
	if (grams < 0 || sack_grams <= 0) {
		*sacks = 0;
		*remainder_grams = grams;
		return;
	}
	*sacks = grams / sack_grams;
	*remainder_grams = grams % sack_grams;
}

/*
 * Amount in words.
 */

#define WORDS_THOUSAND 1000u
#define WORDS_MILLION 1000000u
#define WORDS_BILLION 1000000000000u /* long scale: billón = 10^12 */

/* Text written so far; full once something did not fit. */
struct words {
	char *buf;      /* borrowed from the caller */
	size_t buf_len; /* bytes, with room for the NUL */
	size_t len;     /* bytes written, without the NUL */
	bool full;
};

/* 0..29; index 0 is never printed. */
static const char *const words_small[] = { "", "uno", "dos", "tres", "cuatro",
	"cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce",
	"trece", "catorce", "quince", "dieciseis", "diecisiete", "dieciocho",
	"diecinueve", "veinte", "veintiuno", "veintidos", "veintitres",
	"veinticuatro", "veinticinco", "veintiseis", "veintisiete",
	"veintiocho", "veintinueve" };

/* Tens from 30; indexes 0..2 are covered by words_small. */
static const char *const words_tens[] = { "", "", "", "treinta", "cuarenta",
	"cincuenta", "sesenta", "setenta", "ochenta", "noventa" };

/* Hundreds; exactly 100 is "cien". */
static const char *const words_hundreds[] = { "", "ciento", "doscientos",
	"trescientos", "cuatrocientos", "quinientos", "seiscientos",
	"setecientos", "ochocientos", "novecientos" };

static void
words_put(struct words *w, const char *s)
{
	size_t n = strlen(s);

	if (w->full || n >= w->buf_len - w->len) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/* Append a word, with a space before it unless it is the first. */
static void
words_word(struct words *w, const char *word)
{
	if (w->len > 0)
		words_put(w, " ");
	words_put(w, word);
}

/*
 * 1..29, or the units digit after "y".  apocope: "un"/"veintiun" instead
 * of "uno"/"veintiuno", used before mil, millon(es) and billon(es).
 */
static void
words_units(struct words *w, unsigned n, bool apocope)
{
	if (apocope && n == 1)
		words_word(w, "un");
	else if (apocope && n == 21)
		words_word(w, "veintiun");
	else
		words_word(w, words_small[n]);
}

/* 1..999. */
static void
words_below_thousand(struct words *w, unsigned n, bool apocope)
{
	unsigned h = n / 100, r = n % 100;

	if (n == 100) {
		words_word(w, "cien");
		return;
	}
	if (h > 0)
		words_word(w, words_hundreds[h]);
	if (r == 0)
		return;
	if (r < 30) {
		words_units(w, r, apocope);
		return;
	}
	words_word(w, words_tens[r / 10]);
	if (r % 10 != 0) {
		words_word(w, "y");
		words_units(w, r % 10, apocope);
	}
}

/* 1..999999: "mil" alone for one thousand, "veintiun mil" for 21000. */
static void
words_below_million(struct words *w, unsigned n, bool apocope)
{
	unsigned th = n / WORDS_THOUSAND, r = n % WORDS_THOUSAND;

	if (th > 1)
		words_below_thousand(w, th, true);
	if (th > 0)
		words_word(w, "mil");
	if (r > 0)
		words_below_thousand(w, r, apocope);
}

/* A count (1..999999) of millions or billions: "un millon", "dos millones". */
static void
words_scale(struct words *w, unsigned n, const char *one, const char *many)
{
	if (n == 1) {
		words_word(w, "un");
		words_word(w, one);
		return;
	}
	words_below_million(w, n, true);
	words_word(w, many);
}

int
units_amount_words_es(int64_t centimos, char *buf, size_t buf_len)
{
	struct words w = { buf, buf_len, 0, false };
	uint64_t soles;
	unsigned cents, bill, mill, rest;
	char tail[sizeof(" y 00/100 soles")];

	if (buf != NULL && buf_len > 0)
		buf[0] = '\0';
	if (buf == NULL || buf_len == 0 || centimos < 0)
		return -1;
	soles = (uint64_t)centimos / CENTI;
	cents = (unsigned)((uint64_t)centimos % CENTI);
	/* INT64_MAX / 100 / 10^12 < 10^5, so each count fits in unsigned. */
	bill = (unsigned)(soles / WORDS_BILLION);
	mill = (unsigned)(soles / WORDS_MILLION % WORDS_MILLION);
	rest = (unsigned)(soles % WORDS_MILLION);

	if (soles == 0)
		words_word(&w, "cero");
	if (bill > 0)
		words_scale(&w, bill, "billon", "billones");
	if (mill > 0)
		words_scale(&w, mill, "millon", "millones");
	if (rest > 0)
		words_below_million(&w, rest, false);

	memcpy(tail, " y 00/100 soles", sizeof(tail));
	tail[3] = (char)('0' + cents / 10);
	tail[4] = (char)('0' + cents % 10);
	words_put(&w, tail);
	if (w.full) {
		buf[0] = '\0';
		return -1;
	}
	/* Every word is lower-case ASCII; capitalise the first letter. */
	buf[0] = (char)(buf[0] - 'a' + 'A');
	return (int)w.len;
}
