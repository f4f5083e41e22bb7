/*
 * The plant stage's arithmetic and rules, pure: the LOP's output rows as
 * the guide prints them (whole sacks of 69 kg plus the remainder, QQ of
 * 46 kg, percentage of the input), the exact mass balance, the yield, the
 * limit an exit guide has against its LOP's export output, the carrier's
 * identity document, and the printed codes of the plant-stage documents.
 * No I/O, no allocation, no clock.
 */
#ifndef PERGAMINO_PROCESS_RULES_H
#define PERGAMINO_PROCESS_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pergamino/acopio_rules.h"
#include "pergamino/err.h"

#define PROCESS_KG_MAX_G 10000000000LL /* 10 000 t in grams: one order */
#define PROCESS_INPUTS_MAX 50          /* plant receipts in one order */
#define PROCESS_SACKS_MAX 100000       /* sacks of one marking or exit */
#define PROCESS_NUMBER_TEXT_LEN 48     /* bytes, with the NUL */
#define PROCESS_DESCRIPTION_MAX 1500   /* bytes of a product description */

/* The LOP's output categories, in the order the guide prints them. */
enum process_output {
	PROCESS_OUT_EXPORT,
	PROCESS_OUT_EXPORT_MC,
	PROCESS_OUT_SECOND,
	PROCESS_OUT_MACHINE_DISCARD,
	PROCESS_OUT_SORTING_DISCARD,
	PROCESS_OUT_BOLA,
	PROCESS_OUT_CISCO,
	PROCESS_OUT_STONES,
	PROCESS_OUT_HUSK,
	PROCESS_OUT_SHRINKAGE,
	PROCESS_OUT_COUNT
};

/* export .. cisco are coffee, counted in sacks; the rest are not. */
#define PROCESS_OUT_COFFEE_COUNT 7

/* The API and database key ("export_mc"); NULL when out of range. */
const char *process_output_key(int o);
/* The product as printed ("Café exportación MC"); NULL when out of range. */
const char *process_output_name(int o);
/* The category of a key, or -1. */
int process_output_parse(const char *key);

/*
 * Mass balance: the outputs (every category, declared shrinkage included)
 * must add up to input_g exactly, to the gram.  *diff_g is sum - input
 * (positive: more out than in).  ERR_UNPROCESSABLE with *e naming
 * "outputs" (code mass_imbalance) otherwise; ERR_INVALID for a negative
 * output or one above PROCESS_KG_MAX_G.
 */
enum err process_mass_balance(const int64_t out_g[PROCESS_OUT_COUNT],
    int64_t input_g, int64_t *diff_g, struct rule_error *e);

enum process_row_kind {
	PROCESS_ROW_OUTPUT,       /* one category */
	PROCESS_ROW_COFFEE_TOTAL, /* TOTAL EN CAFÉ */
	PROCESS_ROW_TOTAL         /* TOTALES */
};

/* One printed line of the LOP's "Resultado de proceso". */
struct process_row {
	int item;   /* the printed item n.º; 0 for TOTALES */
	int output; /* enum process_output, -1 for the totals */
	enum process_row_kind kind;
	const char *product; /* literal, as printed */
	bool has_sacks;      /* coffee lines and TOTAL EN CAFÉ */
	int64_t sacks;       /* of UNITS_SACK_EXPORT_G */
	int64_t remainder_g; /* kilos beyond the whole sacks */
	int64_t kilos_g;
	bool has_qq;       /* the export line only, as the guide prints it */
	int64_t qq_centi;  /* of UNITS_QQ_ORO_G, hundredths, half up */
	int64_t pct_centi; /* of the input, hundredths, half up */
};

#define PROCESS_ROWS_MAX (PROCESS_OUT_COUNT + 2)

struct process_figures {
	struct process_row rows[PROCESS_ROWS_MAX];
	size_t row_count;
	int64_t coffee_g;     /* TOTAL EN CAFÉ */
	int64_t coffee_sacks; /* the sum of the coffee lines' whole sacks */
	int64_t total_g;      /* every output */
	int64_t export_g;
	int64_t export_sacks; /* whole sacks of the export output */
	int64_t yield_pct;    /* export / input, hundredths, half up */
};

/*
 * The rows of the LOP as the guide prints them: items 1-7 the coffee
 * outputs, 8 TOTAL EN CAFÉ (sacks = the sum of the lines' whole sacks),
 * 9 stones, 10 husk, 11 declared shrinkage (only when above zero), then
 * TOTALES.  Percentages are of input_g (0 when input_g <= 0).  Negative
 * outputs are not checked here: run process_mass_balance() first.
 */
void process_figures_compute(const int64_t out_g[PROCESS_OUT_COUNT],
    int64_t input_g, struct process_figures *out);

/*
 * Exits never take more of a lot than its LOP produced: after this exit,
 * the live exits' sacks stay within the whole 69 kg sacks of the export
 * output, and their net kilos within the export kilos.  ERR_UNPROCESSABLE
 * with *e (code exceeds_lot, field "sacks" or "gross_kg") otherwise.
 */
enum err process_exit_check(int64_t export_g, int64_t used_sacks,
    int64_t used_g, int64_t sacks, int64_t net_g, struct rule_error *e);

/*
 * A carrier's identity document: a RUC (11 digits, check digit verified)
 * or a DNI (8 digits).  ERR_INVALID with *why (literals) otherwise.
 */
enum err process_carrier_doc_check(const char *doc, struct msg *why);

/*
 * The printed number of a document: "5469", or with a series
 * "001-0064".  Marking orders print number and year as the guide's
 * "029-17" (with a series: "A-029-17").
 */
void process_number_text(
    int64_t number, const char *series, char out[PROCESS_NUMBER_TEXT_LEN]);
void process_marking_number_text(int64_t number, const char *series,
    const char *issued_on, char out[PROCESS_NUMBER_TEXT_LEN]);

/*
 * The receipt's sacks that kilos_g of it stand for: all of them when the
 * whole receipt is consumed, otherwise in proportion, rounded half up.
 * 0 when net_g <= 0.
 */
int64_t process_input_sacks(int64_t sacks, int64_t net_g, int64_t kilos_g);

/*
 * The exit guide's product as the guide prints it, built from the
 * certification status, the net weight per sack and the marks of the
 * marking order: "Café verde tipo exportación orgánico envasado en sacos
 * de yute de 69 kg c/u <marks>".  Line breaks in the marks become spaces.
 * Returns the bytes written, or -1 (buf "") when it does not fit.
 */
int process_exit_description(const char *status, int64_t net_per_sack_g,
    const char *marks, char *buf, size_t buf_len);

/* "orgánico", "en transición", "convencional"; NULL if unknown. */
const char *process_status_word(const char *status);

#endif
