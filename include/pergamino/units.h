/*
 * Exact arithmetic for the coffee domain: weights are integer grams, money
 * is integer céntimos, quintals and percentages are integers in hundredths.
 * No floating point anywhere.  Rounding is always half up (on the
 * magnitude, for the few functions that accept negative values).  Pure
 * functions: no I/O, no allocation, no locale.
 */
#ifndef PERGAMINO_UNITS_H
#define PERGAMINO_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "pergamino/err.h"

/* One quintal (QQ) in grams: pergamino 55.2 kg, green (oro) 46 kg. */
#define UNITS_QQ_PERGAMINO_G 55200
#define UNITS_QQ_ORO_G 46000
/* Net grams in one green export sack. */
#define UNITS_SACK_EXPORT_G 69000

/* Common scales: kg with 3 decimals = grams; soles with 2 = céntimos. */
#define UNITS_SCALE_KG 3
#define UNITS_SCALE_SOLES 2
/* Largest scale (decimals) any function here accepts: 10^18 < 2^63. */
#define UNITS_SCALE_MAX 18
/* Most integer digits units_parse_decimal() accepts. */
#define UNITS_INT_DIGITS_MAX 15

/*
 * Parse a non-negative decimal such as "472.6" into an integer scaled by
 * 10^scale ("472.6", scale 3 -> 472600).  Accepted: 1 to
 * UNITS_INT_DIGITS_MAX digits (leading zeros count), then optionally '.'
 * and 1 to scale digits.  Refused: sign, exponent, spaces, a leading or
 * trailing '.', a second '.', more decimals than scale (even zeros), a
 * result above max, max < 0, scale > UNITS_SCALE_MAX, s == NULL.
 *
 * Returns ERR_OK and sets *out, or ERR_INVALID with *out untouched (both
 * for malformed text and for a value above max).
 */
enum err units_parse_decimal(
    const char *s, unsigned scale, int64_t max, int64_t *out);

/*
 * Format v (scaled by 10^scale) with `shown` decimals and a dot: 472600,
 * scale 3, shown 2 -> "472.60".  With shown < scale the value is rounded
 * half up on the magnitude (-0.005 -> "-0.01"); a value that rounds to zero
 * has no sign.  With shown > scale, zeros are appended.  shown 0 prints no
 * dot.  No grouping.
 *
 * Returns the bytes written, not counting the NUL, or -1 (buf set to "" if
 * buf_len > 0) when buf_len is too small or scale or shown exceeds
 * UNITS_SCALE_MAX.
 */
int units_format_decimal(
    int64_t v, unsigned scale, unsigned shown, char *buf, size_t buf_len);

/*
 * As units_format_decimal(), in the Peruvian print style: thousands grouped
 * with an ASCII space and a comma before the decimals: 23400000 g (scale
 * 3, shown 2) -> "23 400,00"; 352672 céntimos (scale 2) -> "3 526,72".
 */
int units_format_pe(
    int64_t v, unsigned scale, unsigned shown, char *buf, size_t buf_len);

/*
 * Quintals in hundredths, rounded half up: grams / grams_per_qq * 100.
 * 472600 g, UNITS_QQ_PERGAMINO_G -> 856 (8.56 QQ).  Exact for all inputs
 * (the product is computed in 128 bits).
 *
 * Returns -1 if grams < 0, grams_per_qq <= 0 or the result does not fit in
 * int64_t.
 */
int64_t units_qq_centi(int64_t grams, int64_t grams_per_qq);

/*
 * part / whole as a percentage in hundredths, rounded half up: 204 of 300
 * -> 6800 (68.00 %).  part may exceed whole.  Exact for all inputs.
 * Returns 0 if whole <= 0; -1 if part < 0 or the result does not fit in
 * int64_t.
 */
int64_t units_percent_centi(int64_t part, int64_t whole);

/*
 * Money for a liquidación: qq_centi (QQ in hundredths, already rounded) ×
 * price_centimos_per_qq, rounded half up to the céntimo: 856 × 41200 ->
 * 352672 (S/ 3 526.72).  Exact for all inputs (128-bit product, no
 * intermediate overflow).  Returns -1 if either argument is negative or
 * the result does not fit in int64_t (above S/ 92 233 720 368 547 758.07).
 */
int64_t units_money_centimos(int64_t qq_centi, int64_t price_centimos_per_qq);

/*
 * Split grams into whole sacks of sack_grams plus the remainder: 1088000,
 * UNITS_SACK_EXPORT_G -> 15 sacks + 53000 g.  If grams < 0 or sack_grams
 * <= 0 there are no sacks: *sacks = 0 and *remainder_grams = grams, so
 * *sacks × sack_grams + *remainder_grams == grams always holds.
 */
void units_sacks_split(int64_t grams, int64_t sack_grams, int64_t *sacks,
    int64_t *remainder_grams);

/*
 * The amount in words as printed on the liquidación de compra:
 * 352672 -> "Tres mil quinientos veintiseis y 72/100 soles".  Spanish
 * cardinals without accents ("veintiseis", "millon"), first letter
 * capitalised, "un" before mil/millon/billon ("Veintiun mil", "Un millon"),
 * plain "Mil" for 1000, "Cien"/"Ciento", "Cero" for 0; long scale (millon
 * 10^6, billon 10^12).  Céntimos always as two digits over 100.
 *
 * Returns the bytes written, not counting the NUL, or -1 (buf set to "" if
 * buf_len > 0) when centimos < 0 or buf_len is too small.  Any int64_t
 * amount fits in UNITS_WORDS_LEN bytes.
 */
int units_amount_words_es(int64_t centimos, char *buf, size_t buf_len);

/*
 * Buffer size (bytes, with the NUL) enough for any units_amount_words_es()
 * result: the longest, for some amount near INT64_MAX, is under 230 bytes.
 */
#define UNITS_WORDS_LEN 256

#endif
