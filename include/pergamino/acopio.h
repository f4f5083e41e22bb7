/*
 * The acopio documents as a service: issue and annul reception controls,
 * warehouse notes and purchase settlements, enforcing every rule of the
 * stage (organic eligibility: LPA, certification, status; humidity policy;
 * plausibility against estimates; one note per reception and one
 * settlement per note; annul order).  Used by the API handlers and by the
 * demo loader, so both go through the same rules.  Every function runs
 * inside the caller's write transaction and appends the audit event.
 */
#ifndef PERGAMINO_ACOPIO_H
#define PERGAMINO_ACOPIO_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/acopio_rules.h"
#include "pergamino/db.h"
#include "pergamino/err.h"

/* Who acts: the user (0: system) and the organization issuing. */
struct actor {
	int64_t user_id;
	int64_t org_id;
};

struct reception_new {
	const char *series;    /* "" or NULL: the default series */
	const char *issued_on; /* YYYY-MM-DD */
	int64_t producer_id;
	int64_t plot_id; /* 0: none */
	const char *delivery_code;
	const char *status; /* organic | transition | conventional */
	struct reception_input w;
	const char *observations;
	const char *weighed_by;
	bool confirm_humidity; /* the clerk saw the warning */
};

struct note_new {
	const char *series;
	const char *issued_on;
	int64_t reception_id;
	int64_t price_centimos; /* per QQ pergamino */
	const char *observations;
};

struct settlement_new {
	const char *series;
	const char *issued_on;
	int64_t note_id;
	const char *place_of_sale; /* NULL: the organization's setting */
};

/* A rule refused the document: ERR_INVALID (400) or ERR_UNPROCESSABLE
 * (422) for a business rule, ERR_CONFLICT (409) for a state conflict,
 * ERR_NOT_FOUND for a missing referenced document; *e says which. */
enum err acopio_receive(struct db *db, const struct actor *a,
    const struct reception_new *in, int64_t *id, struct rule_error *e);
enum err acopio_issue_note(struct db *db, const struct actor *a,
    const struct note_new *in, int64_t *id, struct rule_error *e);
enum err acopio_settle(struct db *db, const struct actor *a,
    const struct settlement_new *in, int64_t *id, struct rule_error *e);

enum acopio_doc { ACOPIO_RECEPTION, ACOPIO_NOTE, ACOPIO_SETTLEMENT };

/* Annul a document with a reason, keeping its number. */
enum err acopio_annul(struct db *db, const struct actor *a, enum acopio_doc doc,
    int64_t id, const char *reason, struct rule_error *e);

/*
 * The document as JSON with everything its printed form shows, if the
 * viewer (a user id; scope through user_scope) may see it.
 */
enum err acopio_get_json(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    int64_t id, json_t **out);
/* The same document as its JSON text (a new string, free()). */
enum err acopio_get_text(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    int64_t id, char **out);

/* Filters of a document list. */
struct acopio_filter {
	int64_t producer_id; /* 0: any */
	const char *from;    /* YYYY-MM-DD or NULL */
	const char *to;
	const char *status; /* NULL: any */
	int annulled;       /* -1 any, 0 live only, 1 annulled only */
	int flagged;        /* receptions: -1 any, 1 over estimate/humidity */
	int64_t campaign;   /* 0: any */
	int64_t number;     /* 0: any */
	bool newest_first;  /* lists: latest first; registers: in order */
};

enum err acopio_list_json(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    const struct acopio_filter *f, int64_t after, int64_t limit, json_t **items,
    int64_t *next);
/* One page as the text of {"items": [...], "next_cursor": ...}. */
enum err acopio_list_text(struct db *db, enum acopio_doc doc, int64_t viewer_id,
    const struct acopio_filter *f, int64_t after, int64_t limit, char **out);

#endif
