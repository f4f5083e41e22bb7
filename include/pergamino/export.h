/*
 * The export stage as a service: the exporter's export lot (lote de
 * exportación with its ICO mark, drawn from the export outputs of its
 * LOPs) and shipment (registro de exportaciones: contract, buyer,
 * invoice, bill of lading, ports, dates), the data the certifier needs
 * for the certificate of transaction, and what the kárdex of export
 * coffee shows of them.  Every rule of the stage is enforced here
 * (allocation of LOP outputs up to what is left, segregation, ICO marks
 * never reused, shipments within their lots, annul order), for the API
 * handlers and the demo loader alike.  Issue and annul functions run
 * inside the caller's write transaction and append the audit event with
 * the document's full JSON.
 *
 * Export documents are the exporter's alone: visible to its users and to
 * the auditors it granted, to nobody else (not even the plant).
 *
 * The lower half declares the SQL this service uses (src/db/
 * export_store.c, export_views.c); nothing else should call it.
 */
#ifndef PERGAMINO_EXPORT_H
#define PERGAMINO_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/acopio.h"
#include "pergamino/dates.h"
#include "pergamino/db.h"
#include "pergamino/err.h"
#include "pergamino/export_rules.h"

#define EXPORT_CODE_MAX 40    /* bytes of organic lot, contract, refs */
#define EXPORT_TEXT_MAX 200   /* bytes of names, ports, vessel */
#define EXPORT_MARKS_MAX 1000 /* bytes of the marks text */
#define EXPORT_NOTES_MAX 500  /* bytes of observations */
#define EXPORT_DEFECTS_MAX 1000
#define EXPORT_CUP_SCORE_MAX 10000 /* hundredths: 100.00 */

/* kilos_g of one LOP output ("export" or "export_mc") for a lot. */
struct export_source_in {
	int64_t process_settlement_id;
	const char *category;
	int64_t kilos_g;
};

struct export_lot_new {
	const char *series;      /* NULL or "": the default series */
	const char *issued_on;   /* YYYY-MM-DD */
	const char *organic_lot; /* 004-17 */
	const char *ico_mark;    /* NULL: the next of the numbering */
	const char *contract;
	const char *buyer;
	const char *preparation;
	int64_t defects;   /* -1: none */
	int64_t cup_score; /* hundredths; -1: none */
	const char *marks;
	int64_t net_per_sack_g; /* 0: UNITS_SACK_EXPORT_G */
	int64_t sacks;          /* 0: kilos / net per sack, rounded down */
	const char *observations;
	const struct export_source_in *sources; /* borrowed */
	size_t source_count;
};

/* sacks and kilos_g of one export lot in a shipment. */
struct shipment_lot_in {
	int64_t export_lot_id;
	int64_t sacks;
	int64_t kilos_g;
};

struct shipment_new {
	const char *series;
	const char *issued_on;
	const char *contract;
	const char *buyer_name;
	const char *buyer_country; /* ISO 3166-1 alpha-2 or NULL */
	const char *invoice_number;
	const char *invoice_lot_ref;
	const char *bl_number;
	const char *bl_lot_ref;
	const char *vessel;
	const char *booking;
	const char *container;
	const char *seal;
	const char *port_loading;
	const char *port_destination;
	const char *shipped_on; /* NULL: not shipped yet */
	const char *quality;
	int64_t gross_g; /* 0: unknown */
	const char *observations;
	const struct shipment_lot_in *lots; /* borrowed */
	size_t lot_count;
};

/*
 * A refusal: the rule, and the item of the list it is about ("sources" or
 * "lots", index from 0; index -1 and list NULL when none) with the id of
 * what it names (the LOP or the export lot).
 */
struct export_error {
	struct rule_error rule;
	const char *list;
	int index;
	int64_t ref_id;
};

/*
 * Issue a document: ERR_INVALID (400) or ERR_UNPROCESSABLE (422) for a
 * rule, ERR_CONFLICT (409) for a state conflict (annulled source, ICO
 * mark or organic lot in use, no ICO exporter code configured); *e says
 * which field and why.  On success *id is the new document.
 */
enum err export_lot_issue(struct db *db, const struct actor *a,
    const struct export_lot_new *in, int64_t *id, struct export_error *e);
enum err export_shipment_issue(struct db *db, const struct actor *a,
    const struct shipment_new *in, int64_t *id, struct export_error *e);

enum export_doc { EXPORT_LOT, EXPORT_SHIPMENT, EXPORT_DOC_COUNT };

/*
 * Annul a document of the actor's organization with a reason, keeping its
 * number.  409 has_live_dependent: an export lot in a live shipment.
 * Annulling a lot frees its LOP kilos; a shipment, its lots' sacks.
 */
enum err export_annul(struct db *db, const struct actor *a, enum export_doc doc,
    int64_t id, const char *reason, struct rule_error *e);

/* The document as JSON, if the viewer may see it; ERR_NOT_FOUND. */
enum err export_get_json(struct db *db, enum export_doc doc, int64_t viewer_id,
    int64_t id, json_t **out);

struct export_filter {
	const char *q; /* lots: organic lot, ICO mark, contract; shipments:
	                  contract, invoice, BL, container, buyer */
	const char *status;
	const char *from; /* issue dates */
	const char *to;
	int annulled; /* -1 any, 0 live, 1 annulled */
	bool newest_first;
};

enum err export_list_json(struct db *db, enum export_doc doc, int64_t viewer_id,
    const struct export_filter *f, int64_t after, int64_t limit, json_t **items,
    int64_t *next);

#define EXPORT_SOURCES_LIST_MAX 1000

/*
 * The export and export MC outputs of live LOPs of the viewer's coffee
 * (client in scope) that still have kilos no live export lot takes:
 * {"items": [...]}, oldest first, at most EXPORT_SOURCES_LIST_MAX.
 */
enum err export_sources_json(struct db *db, int64_t viewer_id, json_t **out);

/*
 * What the certifier needs for the certificate of transaction of
 * shipment id, with "ready" and the "missing" items.  ERR_NOT_FOUND.
 */
enum err export_certificate_json(
    struct db *db, int64_t viewer_id, int64_t id, json_t **out);

/*
 * Add to a kárdex document (process_kardex_json()) what the viewer may
 * see of the export stage: on each row, the export lots drawing on its
 * LOP and their live shipments; on each client, its stock of export
 * coffee in lots ("export_stock", null when the viewer does not see the
 * client's export lots).
 */
enum err export_kardex_annotate(struct db *db, int64_t viewer_id, json_t *doc);

/*
 * The demo's export stage (src/admin/demo_export.c), after the process
 * demo: ICO exporter code 861, ICO sequence from 1544, export lot 004-17
 * of LOP 1204's export output with mark 30/861/1544, and its shipment.
 * One transaction.
 */
enum err demo_export_seed(struct db *db, int64_t coop_org, int64_t export_user);

/* ---- store (src/db/export_store.c): writes limited to the actor ---- */

/* A LOP output as the export lots of client_org see it. */
struct export_source_facts {
	bool found;
	bool annulled;
	int64_t output_g;    /* the output's kilos */
	int64_t allocated_g; /* taken by live export lots */
	char issued_on[DATE_LEN + 1];
	char status[EXPORT_STATUS_LEN];
	char programs[EXPORT_PROGRAMS_LEN];
};

enum err export_store_source_facts(struct db *db, int64_t client_org,
    int64_t lop_id, const char *category, struct export_source_facts *out);

/* Is the ICO mark (country, exporter, sequence) on any lot, annulled too? */
enum err export_store_ico_used(struct db *db, int country, const char *exporter,
    int64_t sequence, bool *used);
/* Is organic_lot on a live lot of org? */
enum err export_store_organic_lot_used(
    struct db *db, int64_t org, const char *organic_lot, bool *used);

struct export_lot_row {
	int64_t org_id;
	int64_t number;
	const char *series;
	const char *issued_on;
	const char *organic_lot;
	int ico_country;
	const char *ico_exporter;
	int64_t ico_sequence;
	const char *ico_mark;
	const char *contract;
	const char *buyer;
	const char *preparation;
	int64_t defects;   /* -1: NULL */
	int64_t cup_score; /* -1: NULL */
	const char *status;
	const char *programs;
	int64_t sacks;
	int64_t kilos_g;
	int64_t net_per_sack_g;
	const char *marks;
	const char *observations;
	int64_t created_by;
	int64_t created_at;
};

enum err export_store_insert_lot(
    struct db *db, const struct export_lot_row *r, int64_t *id);
enum err export_store_insert_source(
    struct db *db, int64_t lot_id, const struct export_source_in *s);

/* An export lot of org as a shipment needs it. */
struct export_lot_facts {
	bool found;
	bool annulled;
	int64_t sacks;
	int64_t kilos_g;
	int64_t shipped_sacks; /* live shipments */
	int64_t shipped_g;
	char issued_on[DATE_LEN + 1];
	char status[EXPORT_STATUS_LEN];
	char programs[EXPORT_PROGRAMS_LEN];
};

enum err export_store_lot_facts(
    struct db *db, int64_t org, int64_t id, struct export_lot_facts *out);

struct shipment_row {
	int64_t org_id;
	int64_t number;
	const struct shipment_new *in; /* the typed fields, defaults applied */
	const char *status;
	const char *programs;
	int64_t sacks;
	int64_t kilos_g;
	int64_t created_by;
	int64_t created_at;
};

enum err export_store_insert_shipment(
    struct db *db, const struct shipment_row *r, int64_t *id);
enum err export_store_insert_shipment_lot(
    struct db *db, int64_t shipment_id, const struct shipment_lot_in *l);

/*
 * Annul document id of org if it is live, and stop its rows counting.
 * *state: 0 done, 1 not found, 2 already annulled, 3 has a live dependent.
 */
enum err export_store_annul(struct db *db, enum export_doc doc, int64_t org_id,
    int64_t id, int64_t by, int64_t now, const char *reason, int *state);

/* Freeze the parties (JSON) of document id of org as printed at issue. */
enum err export_store_set_parties(struct db *db, enum export_doc doc,
    int64_t org_id, int64_t id, const char *parties);

/* The live LOP of client_org's coffee with this number (demo); *id 0. */
enum err export_store_find_lop(
    struct db *db, int64_t client_org, int64_t number, int64_t *id);

/* ---- views (src/db/export_views.c): reads scoped through user_scope */
enum err export_store_get_json(struct db *db, enum export_doc doc,
    int64_t viewer_id, int64_t id, json_t **out);
enum err export_store_list_json(struct db *db, enum export_doc doc,
    int64_t viewer_id, const struct export_filter *f, int64_t after,
    int64_t limit, json_t **items, int64_t *next);
enum err export_store_sources_json(
    struct db *db, int64_t viewer_id, json_t **out);
enum err export_store_certificate_json(
    struct db *db, int64_t viewer_id, int64_t id, json_t **out);
enum err export_store_kardex_annotate(
    struct db *db, int64_t viewer_id, json_t *doc);

/* ---- handler helpers (src/api/api_export_lots.c) ---- */
struct request;

/* GET .../{id} */
enum err api_export_get(struct request *req, enum export_doc doc);
/* GET ... with q, status, from, to, annulled, order and paging. */
enum err api_export_list(struct request *req, enum export_doc doc);
/* POST .../{id}/annul {"reason"}: the object first, then the body. */
enum err api_export_annul(struct request *req, enum export_doc doc);
/* 201 with the document and its Location. */
enum err api_export_created(struct request *req, enum export_doc doc,
    const char *collection, int64_t id);
/*
 * Answer a refusal: the field is named within its list ("sources[1].kilos",
 * "lots[0]") and the error carries the id of what it names under id_key.
 */
enum err api_export_refused(struct request *req, enum err rc,
    const struct export_error *e, const char *id_key);

#endif
