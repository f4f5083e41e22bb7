/*
 * The export stage's rules, pure: the ICO mark (country/exporter/lot, as
 * "30/861/1544"), sacks from kilos and the net weight per sack,
 * segregation of an export lot's sources and a shipment's lots (one
 * status, one program set), the limits an export lot has against its
 * LOPs' export outputs and a shipment against its export lots, and the
 * organic lot as the invoice and the bill of lading print it.
 * No I/O, no allocation, no clock.
 */
#ifndef PERGAMINO_EXPORT_RULES_H
#define PERGAMINO_EXPORT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pergamino/acopio_rules.h"
#include "pergamino/err.h"

#define EXPORT_KG_MAX_G 10000000000LL     /* 10 000 t in grams */
#define EXPORT_SACKS_MAX 1000000          /* sacks of one lot or shipment */
#define EXPORT_SOURCES_MAX 50             /* LOP outputs in one export lot */
#define EXPORT_LOTS_MAX 50                /* export lots in one shipment */
#define EXPORT_ICO_COUNTRY_MAX 999        /* ICO country codes: 1..999 */
#define EXPORT_ICO_EXPORTER_DIGITS 6      /* digits of the exporter's code */
#define EXPORT_ICO_SEQUENCE_MAX 9999999LL /* the lot part: up to 7 digits */
#define EXPORT_ICO_MARK_LEN 24 /* bytes with the NUL: "999/999999/9999999" */
#define EXPORT_STATUS_LEN 16   /* "conventional" and the NUL */
#define EXPORT_PROGRAMS_LEN 64 /* JSON array text: ["EU","JAS","NOP"] */

/* An ICO mark, parsed. */
struct ico_mark {
	int country;                                   /* 30: Peru */
	char exporter[EXPORT_ICO_EXPORTER_DIGITS + 1]; /* "861" */
	int64_t sequence;                              /* 1544 */
};

/* An exporter's ICO code: 1 to 6 digits. */
bool export_ico_exporter_valid(const char *code);

/*
 * Parse "30/861/1544" (a trailing "/", as the sacks print it, is
 * accepted): country 1-999 (1 to 3 digits), exporter code 1 to 6 digits,
 * sequence 1 to 9 999 999 (1 to 7 digits), digits only.  ERR_INVALID with
 * *e (field "ico_mark", code invalid_ico_mark) otherwise; *out is then
 * zeroed.
 */
enum err export_ico_parse(
    const char *s, struct ico_mark *out, struct rule_error *e);

/*
 * The printed mark "<country>/<exporter>/<sequence>".  Returns the bytes
 * written, or -1 (out "") when a part is out of range.
 */
int export_ico_compose(int country, const char *exporter, int64_t sequence,
    char out[EXPORT_ICO_MARK_LEN]);

/*
 * A mark the exporter gives must be its own: its country and exporter
 * code.  ERR_UNPROCESSABLE with *e (field "ico_mark", code
 * ico_mark_not_ours) otherwise.
 */
enum err export_ico_check_owner(const struct ico_mark *m, int country,
    const char *exporter, struct rule_error *e);

/* Whole sacks of net_per_sack_g in kilos_g, rounded down; 0 if <= 0. */
int64_t export_sacks_of(int64_t kilos_g, int64_t net_per_sack_g);

/*
 * A lot's sacks: at least one, and no more than its kilos fill (sacks x
 * net per sack <= kilos).  ERR_UNPROCESSABLE with *e (field "sacks", code
 * less_than_a_sack or sacks_exceed_kilos) otherwise.
 */
enum err export_sacks_check(int64_t sacks, int64_t kilos_g,
    int64_t net_per_sack_g, struct rule_error *e);

/* The status and program set a lot or shipment takes from its parts. */
struct export_segregation {
	bool set;
	char status[EXPORT_STATUS_LEN];
	char programs[EXPORT_PROGRAMS_LEN];
};

/*
 * Add one part (a source LOP, or an export lot of a shipment): the first
 * sets the status and programs, each other must share them.
 * ERR_UNPROCESSABLE with *e (field as given, a literal; code mixed_status
 * or mixed_programs) otherwise.  ERR_INVALID (code invalid_status) for a
 * status that is none of organic, transition, conventional, or text too
 * long.
 */
enum err export_segregate(struct export_segregation *s, const char *status,
    const char *programs, const char *field, struct rule_error *e);

/*
 * A lot's source: kilos_g of a LOP output of output_g kilos of which
 * other live export lots already take allocated_g.  ERR_UNPROCESSABLE
 * with *e (field "kilos", code exceeds_available) when kilos_g is not
 * within 1 .. output_g - allocated_g.
 */
enum err export_allocation_check(int64_t output_g, int64_t allocated_g,
    int64_t kilos_g, struct rule_error *e);

/*
 * A shipment's part of an export lot: live shipments never take more than
 * the lot's sacks and kilos.  ERR_UNPROCESSABLE with *e (field "sacks" or
 * "kilos", code exceeds_lot) when sacks or kilos_g go past what is left
 * after shipped_sacks / shipped_g; ERR_INVALID (code out_of_range) when
 * either is below 1.
 */
enum err export_shipment_check(int64_t lot_sacks, int64_t lot_g,
    int64_t shipped_sacks, int64_t shipped_g, int64_t sacks, int64_t kilos_g,
    struct rule_error *e);

/*
 * Does ref (the lot reference as an invoice or a bill of lading prints
 * it: "004-17", "LOT No 004-17", "004-17 / 005-17") name organic_lot as a
 * whole word?  A match must not be preceded or followed by a letter, a
 * digit or "-": "004-170" does not name "004-17".  False for an empty lot.
 */
bool export_lot_ref_names(const char *ref, const char *organic_lot);

/* Is date (YYYY-MM-DD) within [valid_from, valid_to]? */
bool export_valid_on(
    const char *valid_from, const char *valid_to, const char *date);

/*
 * Is s a country code as ISO 3166-1 alpha-2 writes it: two upper-case
 * letters ("DE")?
 */
bool export_country_valid(const char *s);

#endif
