/*
 * The acopio documents' arithmetic and rules, pure: the reception control
 * figures (net weight, QQ, physical analysis percentages), the humidity
 * policy, the plausibility check against estimated production, and the
 * purchase settlement totals with the amount in words.  No I/O.
 */
#ifndef PERGAMINO_ACOPIO_RULES_H
#define PERGAMINO_ACOPIO_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "pergamino/err.h"

#define ACOPIO_SACKS_MAX 10000
#define ACOPIO_KG_MAX_G 100000000LL /* 100 t in grams: one delivery */
#define ACOPIO_SAMPLE_MAX_G 100000  /* 100 kg of sample, in grams */
#define ACOPIO_PRICE_MAX_C 10000000 /* S/ 100 000 per QQ, in céntimos */
#define ACOPIO_WORDS_MAX 256        /* bytes of the amount in words */

/* A problem with one field of a document: literals only. */
struct rule_error {
	const char *field;
	const char *code;
	struct msg why;
};

/* What the clerk types on the ticket (weights in grams). */
struct reception_input {
	int64_t sacks;
	int64_t gross_g;
	int64_t tare_g;
	int64_t sample_g; /* total of the analysed sample */
	int64_t exportable_g;
	int64_t discard_g; /* segunda y descarte */
	int64_t husk_g;    /* cáscara */
	int64_t humidity;  /* tenths of a percent */
};

/* What the ticket computes. */
struct reception_figures {
	int64_t net_g;
	int64_t qq_centi;       /* net / 55.2 kg, 2 decimals */
	int64_t exportable_pct; /* hundredths of a percent */
	int64_t discard_pct;
	int64_t husk_pct;
};

/*
 * Check the weighing and the analysis and compute the figures: sacks >= 1,
 * gross > tare >= 0, the sample's parts add up to the sample, humidity
 * 0-100 %.  ERR_INVALID with *e naming the field otherwise.
 */
enum err reception_compute(const struct reception_input *in,
    struct reception_figures *out, struct rule_error *e);

/* Is humidity (tenths) inside [min, max]? */
bool reception_humidity_ok(int64_t humidity, int64_t min, int64_t max);

/*
 * Plausibility: is a producer's campaign total (this delivery included)
 * beyond the estimated production plus tolerance_pct?  No estimate at all
 * (estimate_g == 0) counts as beyond: nothing vouches for the kilos.
 */
bool reception_over_estimate(
    int64_t campaign_total_g, int64_t estimate_g, int64_t tolerance_pct);

/* The liquidación's money. */
struct settlement_figures {
	int64_t subtotal_centimos;
	int64_t igv_centimos;
	int64_t total_centimos;
	char words[ACOPIO_WORDS_MAX]; /* "Tres mil ... y 72/100 soles" */
};

/*
 * total = QQ (2 decimals) x price per QQ, rounded to the céntimo; IGV at
 * igv_rate_bp basis points of the subtotal, rounded half up.
 */
enum err settlement_compute(int64_t qq_centi, int64_t price_centimos,
    int64_t igv_rate_bp, struct settlement_figures *out);

/* "Café pergamino orgánico" etc. for a status; NULL if unknown. */
const char *acopio_quality_text(const char *status);

#endif
