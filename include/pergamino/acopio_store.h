/*
 * SQL of the acopio documents (receptions, warehouse notes, purchase
 * settlements) and the registry facts their rules need.  Used by the
 * acopio service only; handlers go through include/pergamino/acopio.h.
 */
#ifndef PERGAMINO_ACOPIO_STORE_H
#define PERGAMINO_ACOPIO_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/acopio.h"
#include "pergamino/db.h"

#define ACOPIO_PROGRAMS_MAX 64 /* bytes: "EU, NOP, JAS, OTHER" */
#define ACOPIO_CERTIFIER_MAX 121

/* What decides whether a producer may deliver organic on a date. */
struct acopio_eligibility {
	bool found;
	bool active;
	char status[16];                      /* the registry status */
	bool on_lpa;                          /* approved, not withdrawn */
	bool certified;                       /* a valid certification */
	char program[ACOPIO_PROGRAMS_MAX];    /* its program, e.g. "EU" */
	char certifier[ACOPIO_CERTIFIER_MAX]; /* e.g. "Organic World" */
};

enum err acopio_store_eligibility(struct db *db, int64_t org_id,
    int64_t producer_id, int64_t campaign, const char *date,
    struct acopio_eligibility *out);
/* Does plot_id belong to producer_id (and org)? */
enum err acopio_store_plot_of(struct db *db, int64_t org_id, int64_t plot_id,
    int64_t producer_id, bool *out);
/* Live deliveries (net grams) and estimates of a producer's campaign. */
enum err acopio_store_campaign(struct db *db, int64_t org_id,
    int64_t producer_id, int64_t campaign, int64_t *delivered_g,
    int64_t *estimate_g);

struct reception_row {
	int64_t org_id;
	int64_t number;
	const char *series;
	const char *issued_on;
	int64_t campaign;
	int64_t producer_id;
	int64_t plot_id;
	const char *delivery_code;
	const char *status;
	const struct reception_input *w;
	const struct reception_figures *fig;
	bool humidity_warning;
	bool over_estimate;
	const char *observations;
	const char *weighed_by;
	int64_t created_by;
	int64_t created_at;
};

enum err acopio_store_insert_reception(
    struct db *db, const struct reception_row *r, int64_t *id);

/* A live reception's facts for its note (own org only). */
struct reception_facts {
	bool found;
	bool annulled;
	bool has_note;
	int64_t producer_id;
	int64_t qq_centi;
	int64_t net_g;
	int64_t humidity;
	int64_t exportable_pct;
	int64_t campaign;
	char status[16];
	char issued_on[11];
};

enum err acopio_store_reception_facts(
    struct db *db, int64_t org_id, int64_t id, struct reception_facts *out);

struct note_row {
	int64_t org_id;
	int64_t number;
	const char *series;
	const char *issued_on;
	int64_t reception_id;
	int64_t price_centimos;
	int64_t yield_pct;
	int64_t total_centimos;
	const char *program;
	const char *certifier;
	const char *observations;
	int64_t created_by;
	int64_t created_at;
};

enum err acopio_store_insert_note(
    struct db *db, const struct note_row *n, int64_t *id);

/* A note's facts for its settlement (own org only). */
struct note_facts {
	bool found;
	bool annulled;
	bool has_settlement;
	int64_t qq_centi;
	int64_t net_g;
	int64_t humidity;
	int64_t price_centimos;
	char status[16];
	char issued_on[11];
};

enum err acopio_store_note_facts(
    struct db *db, int64_t org_id, int64_t id, struct note_facts *out);

struct settlement_row {
	int64_t org_id;
	int64_t number;
	const char *series;
	const char *issued_on;
	int64_t note_id;
	const char *quality;
	const char *place_of_sale;
	int64_t qq_centi;
	int64_t net_g;
	int64_t humidity;
	int64_t price_centimos;
	int64_t igv_rate_bp;
	const struct settlement_figures *fig;
	int64_t created_by;
	int64_t created_at;
};

enum err acopio_store_insert_settlement(
    struct db *db, const struct settlement_row *s, int64_t *id);

/*
 * Annul document id of org: sets the annulment columns if it is live.
 * *state: 0 done, 1 not found, 2 already annulled, 3 has a live
 * dependent (note of a reception, settlement of a note).
 */
enum err acopio_store_annul(struct db *db, enum acopio_doc doc, int64_t org_id,
    int64_t id, int64_t by, int64_t now, const char *reason, int *state);

/*
 * Freeze the parties (organization, producer, plot, as JSON text) of a
 * document just issued; refused by a trigger once set.
 */
enum err acopio_store_set_parties(struct db *db, enum acopio_doc doc,
    int64_t org_id, int64_t id, const char *parties);

enum err acopio_store_get_json(struct db *db, enum acopio_doc doc,
    int64_t viewer_id, int64_t id, json_t **out);
enum err acopio_store_list_json(struct db *db, enum acopio_doc doc,
    int64_t viewer_id, const struct acopio_filter *f, int64_t after,
    int64_t limit, json_t **items, int64_t *next);
/* The same as JSON text built by SQLite (new strings, free()). */
enum err acopio_store_get_text(struct db *db, enum acopio_doc doc,
    int64_t viewer_id, int64_t id, char **out);
enum err acopio_store_list_text(struct db *db, enum acopio_doc doc,
    int64_t viewer_id, const struct acopio_filter *f, int64_t after,
    int64_t limit, char **out);

#endif
