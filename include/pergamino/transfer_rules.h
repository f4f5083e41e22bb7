/*
 * The transfer stage's arithmetic and checks, pure: the reconciliation
 * of two weights of one lot (a dispatch's declared weight against the sum
 * of its warehouse notes, a plant's net against the dispatch) with its
 * shrinkage (merma) and tolerance flag, the reasons for transfer printed
 * on the guía de remisión, the carrier's RUC or DNI, and the plant's
 * weighing and quality figures.  No I/O.
 */
#ifndef PERGAMINO_TRANSFER_RULES_H
#define PERGAMINO_TRANSFER_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "pergamino/acopio_rules.h"
#include "pergamino/err.h"

/*
 * Shrinkage past this share of the reference weight is flagged, in basis
 * points (50 = 0.50 %).  Pergamino loses some moisture between the
 * warehouse and the plant; more than half a percent is worth a look.
 * The same for every organization: not yet a setting in org_settings.
 */
#define TRANSFER_TOLERANCE_BP 50

#define TRANSFER_REASON_MIN 1
#define TRANSFER_REASON_MAX 8   /* 8: otros, with a text */
#define TRANSFER_REASON_OTHER 8 /* the reason that needs reason_other */

#define TRANSFER_SACKS_MAX (ACOPIO_SACKS_MAX * 10) /* one lot, generously */
#define TRANSFER_KG_MAX_G (ACOPIO_KG_MAX_G * 10)   /* 1 000 t in grams */
#define TRANSFER_PCT_MAX 10000                     /* 100.00 %, in hundredths */
#define TRANSFER_SCORE_MAX 10000   /* SCAA cup score 100.00, in hundredths */
#define TRANSFER_HUMIDITY_MAX 1000 /* 100.0 %, in tenths */

/* Two weights of one lot compared. */
struct transfer_balance {
	int64_t reference_g;    /* what was sent or recorded before */
	int64_t measured_g;     /* what this document states */
	int64_t difference_g;   /* reference - measured: shrinkage (> 0) */
	int64_t difference_pct; /* hundredths of % of reference, signed */
	bool flagged; /* |difference| beyond tolerance_bp of reference */
};

/*
 * Compare measured_g with reference_g (both >= 0).  The percentage is
 * rounded half up on the magnitude and carries the difference's sign; a
 * gain (measured above reference) is flagged like a loss: coffee is never
 * created silently either.  A reference of 0 gives 0 % and flags any
 * difference.
 */
void transfer_balance(int64_t reference_g, int64_t measured_g,
    int64_t tolerance_bp, struct transfer_balance *out);

/* "Transformación" for 3, ...; NULL outside 1..8. */
const char *transfer_reason_text(int64_t reason);

/*
 * The carrier's document: a RUC (11 digits, check digit) or a DNI (8
 * digits).  On ERR_OK *kind is "ruc" or "dni"; on ERR_INVALID *why says
 * what is wrong (literals).
 */
enum err transfer_carrier_doc_check(
    const char *doc, const char **kind, struct msg *why);

/* Optional quality figures use this for "not measured". */
#define TRANSFER_UNSET (-1)

/* The plant's weighing and quality, as typed on the guía de ingreso. */
struct plant_weighing {
	int64_t sacks;
	int64_t gross_g;
	int64_t tare_g;
	int64_t yield_pct;      /* hundredths of %, or TRANSFER_UNSET */
	int64_t humidity;       /* tenths of %, or TRANSFER_UNSET */
	int64_t subproduct_pct; /* hundredths of %, or TRANSFER_UNSET */
	int64_t husk_pct;       /* hundredths of %, or TRANSFER_UNSET */
	int64_t cup_score;      /* SCAA, hundredths, or TRANSFER_UNSET */
};

/*
 * Check the weighing (sacks 1..TRANSFER_SACKS_MAX, gross > tare >= 0)
 * and the figures' ranges (percentages 0-100 %, humidity 0-100 %, cup
 * score 0-100) and compute the net weight.  ERR_INVALID with *e naming
 * the field otherwise.
 */
enum err plant_weighing_check(
    const struct plant_weighing *w, int64_t *net_g, struct rule_error *e);

#endif
