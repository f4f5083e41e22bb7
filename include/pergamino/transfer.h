/*
 * The transfer stage as a service: the cooperative's guía de remisión
 * (dispatch) with the warehouse notes that make up its lot, and the
 * plant's guía de ingreso (plant receipt) against a dispatch addressed to
 * it.  Enforces the stage's rules: a note in at most one live dispatch,
 * segregation (one status and one program set per lot), the reconciliation
 * of weights with its shrinkage, one live receipt per dispatch, annulment
 * order.  Used by the API handlers and by the demo loader.  Every function
 * that writes runs inside the caller's write transaction and appends the
 * audit event with the document's full state.
 *
 * Below the service: the SQL it uses (src/db/transfer_store.c,
 * transfer_views.c) and the handler helpers the two resources share
 * (src/api/api_dispatches.c); one header, as the stage is one module.
 */
#ifndef PERGAMINO_TRANSFER_H
#define PERGAMINO_TRANSFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/acopio.h"
#include "pergamino/db.h"
#include "pergamino/err.h"
#include "pergamino/transfer_rules.h"

#define TRANSFER_NOTES_MAX 500 /* warehouse notes in one dispatch */
#define TRANSFER_TEXT_MAX 200  /* bytes of names, addresses, codes */

enum transfer_doc { TRANSFER_DISPATCH, TRANSFER_PLANT_RECEIPT };

/* A refusal: the rule (field, code, reason) and the note it is about. */
struct transfer_error {
	struct rule_error rule;
	int64_t note_id; /* the offending warehouse note; 0: none */
};

struct dispatch_carrier {
	const char *name;
	const char *doc; /* RUC (11 digits) or DNI (8) */
	const char *plate;
	const char *licence;
	const char *brand;
	const char *mtc; /* constancia de inscripción MTC */
};

/* What the cooperative's clerk types on the guía de remisión. */
struct dispatch_new {
	const char *series; /* NULL or "": the default series */
	const char *issued_on;
	const char *transfer_on; /* start of the transfer */
	int64_t recipient_org_id;
	const char *departure_address; /* NULL: the issuer's address */
	const char *arrival_address;   /* NULL: the recipient's address */
	int64_t reason;                /* 1..8 */
	const char *reason_other;      /* required with reason 8 only */
	struct dispatch_carrier carrier;
	const char *lot_code;    /* CO-2365 */
	const char *description; /* NULL: "Café pergamino - <status>" */
	const char *unit;        /* NULL: "Sacos" */
	int64_t sacks;
	int64_t declared_g;
	const int64_t *note_ids; /* borrowed, note_count of them */
	size_t note_count;
	const char *observations;
};

/* What the plant's clerk types on the guía de ingreso. */
struct plant_receipt_new {
	const char *series;
	const char *issued_on;
	int64_t dispatch_id;
	const char *carrier_name;  /* NULL: the dispatch's carrier */
	const char *vehicle_plate; /* NULL: the dispatch's plate */
	const char *product;       /* NULL: the dispatch's description */
	struct plant_weighing w;
	const char *observations;
};

/* Issue a guía de remisión; *id is the new dispatch. */
enum err transfer_dispatch(struct db *db, const struct actor *a,
    const struct dispatch_new *in, int64_t *id, struct transfer_error *e);
/* Register the plant's intake of a dispatch addressed to a's org. */
enum err transfer_receive(struct db *db, const struct actor *a,
    const struct plant_receipt_new *in, int64_t *id, struct transfer_error *e);
/*
 * Annul a document of a's organization with a reason, keeping its number.
 * A dispatch frees its notes; it is refused (409) while a live plant
 * receipt exists, and a receipt while live process-order inputs use it.
 */
enum err transfer_annul(struct db *db, const struct actor *a,
    enum transfer_doc doc, int64_t id, const char *reason,
    struct transfer_error *e);

/*
 * The document as JSON with everything its printed form shows, if the
 * viewer may see it: a dispatch to its issuer and its recipient, a plant
 * receipt to the plant and its client (and auditors granted by either).
 * ERR_NOT_FOUND otherwise.  *out is a new reference.
 */
enum err transfer_get_json(struct db *db, enum transfer_doc doc,
    int64_t viewer_id, int64_t id, json_t **out);

struct transfer_filter {
	const char *from; /* issue dates, YYYY-MM-DD or NULL */
	const char *to;
	const char *status;   /* NULL: any */
	int annulled;         /* -1 any, 0 live, 1 annulled */
	int received;         /* dispatches: -1 any, 0/1 live receipt */
	int64_t incoming_org; /* dispatches: addressed to this org, live
	                         and not received yet; 0: no filter */
	int64_t counterpart;  /* recipient (dispatch) or client (receipt);
	                         0: any */
	int64_t dispatch_id;  /* receipts: 0 any */
	const char *lot_code; /* dispatches: NULL any */
	int64_t number;       /* 0: any */
	bool newest_first;    /* lists: latest first; registers: in order */
};

/* One page; the list rows omit a dispatch's producer list. */
enum err transfer_list_json(struct db *db, enum transfer_doc doc,
    int64_t viewer_id, const struct transfer_filter *f, int64_t after,
    int64_t limit, json_t **items, int64_t *next);

/*
 * The demo's transfer (src/admin/demo_transfer.c): guía de remisión 5469
 * of the association's lot CO-2365 (the 15 live notes of
 * demo_acopio_seed()) to the plant, and the plant's guía de ingreso 3052.
 * One transaction; run after demo_acopio_seed().
 */
enum err demo_transfer_seed(struct db *db, int64_t coop_org, int64_t coop_clerk,
    int64_t plant_org, int64_t plant_clerk);

/* ---- SQL (src/db/transfer_store.c, transfer_views.c) ---- */

#define TRANSFER_PROGRAM_MAX 64 /* bytes of a note's program text */

/* A warehouse note as a dispatch needs it (own organization only). */
struct transfer_note_facts {
	bool found;
	bool annulled;
	bool dispatched; /* in a live dispatch */
	int64_t sacks;   /* of its reception */
	int64_t net_g;
	char status[16];                    /* of its reception */
	char program[TRANSFER_PROGRAM_MAX]; /* certification_program */
	char issued_on[11];
};

enum err transfer_store_note_facts(struct db *db, int64_t org_id,
    int64_t note_id, struct transfer_note_facts *out);
/* Id of org's live note number (default series); 0 when absent. */
enum err transfer_store_note_by_number(
    struct db *db, int64_t org_id, int64_t number, int64_t *id);
/* Does organization id exist? */
enum err transfer_store_org_exists(struct db *db, int64_t id, bool *out);

struct dispatch_row {
	int64_t org_id;
	const char *series;
	int64_t number;
	const struct dispatch_new *in;
	const char *carrier_doc; /* checked */
	const char *description;
	const char *unit;
	const char *status;
	const char *programs; /* JSON array text */
	int64_t notes_sacks;
	int64_t notes_g;
	int64_t created_by;
	int64_t created_at;
};

enum err transfer_store_insert_dispatch(
    struct db *db, const struct dispatch_row *r, int64_t *id);
enum err transfer_store_insert_dispatch_note(struct db *db, int64_t dispatch_id,
    int64_t org_id, int64_t note_id, int64_t position);

/* A dispatch as its recipient's receipt needs it. */
struct transfer_dispatch_facts {
	bool found; /* exists and is addressed to the asking org */
	bool annulled;
	bool received; /* has a live plant receipt */
	int64_t issuer_org_id;
	int64_t sacks;
	int64_t declared_g;
	char status[16];
	char transfer_on[11];
	char *programs;      /* owned: JSON array text */
	char *description;   /* owned */
	char *carrier_name;  /* owned */
	char *carrier_plate; /* owned */
};

enum err transfer_store_dispatch_facts(struct db *db, int64_t recipient_org,
    int64_t dispatch_id, struct transfer_dispatch_facts *out);
void transfer_dispatch_facts_clear(struct transfer_dispatch_facts *f);

struct plant_receipt_row {
	int64_t org_id;
	const char *series;
	int64_t number;
	const char *issued_on;
	int64_t dispatch_id;
	int64_t client_org_id;
	const char *carrier_name;
	const char *vehicle_plate;
	const char *product;
	const char *status;
	const char *programs;
	const struct plant_weighing *w;
	int64_t net_g;
	const char *observations;
	int64_t created_by;
	int64_t created_at;
};

enum err transfer_store_insert_receipt(
    struct db *db, const struct plant_receipt_row *r, int64_t *id);

/*
 * Annul document id of org if it is live and nothing live depends on it
 * (a dispatch: its plant receipt; a receipt: process-order inputs); a
 * dispatch's notes are freed in the same step.  *state: 0 done, 1 not
 * found, 2 already annulled, 3 has a live dependent.
 */
enum err transfer_store_annul(struct db *db, enum transfer_doc doc,
    int64_t org_id, int64_t id, int64_t by, int64_t now, const char *reason,
    int *state);

enum err transfer_store_get_json(struct db *db, enum transfer_doc doc,
    int64_t viewer_id, int64_t id, json_t **out);
enum err transfer_store_list_json(struct db *db, enum transfer_doc doc,
    int64_t viewer_id, const struct transfer_filter *f, int64_t after,
    int64_t limit, json_t **items, int64_t *next);

/* ---- Handlers shared by the two resources (src/api/api_dispatches.c) */

struct request;

/* Answer a refusal (field error, and the note it names, + status). */
enum err api_transfer_refused(
    struct request *req, enum err rc, const struct transfer_error *e);
/* GET .../{id} */
enum err api_transfer_get(struct request *req, enum transfer_doc doc);
/* GET ... with filters and paging. */
enum err api_transfer_list(struct request *req, enum transfer_doc doc);
/* Every row matching the filters, in order (registers); new reference. */
enum err api_transfer_all(
    struct request *req, enum transfer_doc doc, json_t **items);
/* POST .../{id}/annul {"reason"} */
enum err api_transfer_annul(struct request *req, enum transfer_doc doc);
/* 201 with the new document and its Location. */
enum err api_transfer_created(struct request *req, enum transfer_doc doc,
    const char *collection, int64_t id);

#endif
