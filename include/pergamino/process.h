/*
 * The process stage as a service: the cooperative's process order
 * (orden de proceso) and sack marking order (orden de marcado de sacos),
 * the plant's process settlement (LOP, liquidación de orden de proceso)
 * and exit guide (guía de salida de planta procesadora), and the kárdex
 * of export coffee derived from them.  Every rule of the stage is
 * enforced here (consumption of plant receipts up to their balance,
 * segregation, exact mass balance, exits within the lot, annul order), for
 * the API handlers and the demo loader alike.  Issue and annul functions
 * run inside the caller's write transaction and append the audit event
 * with the document's full JSON.
 *
 * The lower half declares the SQL this service uses (src/db/
 * process_store.c, process_views.c) and the handler helpers shared by the
 * process resources (src/api/api_process_orders.c); nothing else should
 * call them.
 */
#ifndef PERGAMINO_PROCESS_H
#define PERGAMINO_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/acopio.h"
#include "pergamino/dates.h"
#include "pergamino/db.h"
#include "pergamino/err.h"
#include "pergamino/process_rules.h"

#define PROCESS_STATUS_LEN 16   /* "conventional" and the NUL */
#define PROCESS_PROGRAMS_LEN 64 /* JSON array text: ["EU","JAS","NOP"] */
#define PROCESS_CODE_LEN 48     /* lot codes, organic lot, ICO mark */
#define PROCESS_MARKS_LEN 1001  /* marks text, with the NUL */
#define PROCESS_QUALITY_LEN 201 /* quality / characteristics, with the NUL */

/* The kilos of one plant receipt an order consumes. */
struct process_input {
	int64_t plant_receipt_id;
	int64_t kilos_g;
};

struct process_order_new {
	const char *series;    /* NULL or "": the default series */
	const char *issued_on; /* YYYY-MM-DD */
	int64_t plant_org_id;
	const char *contract;     /* P17446 */
	const char *process_type; /* ORG */
	const char *quality;      /* Preparación a 10 defectos */
	const char *observations;
	const struct process_input *inputs; /* borrowed */
	size_t input_count;
};

struct marking_order_new {
	const char *series;
	const char *issued_on;
	int64_t process_order_id;
	int64_t sacks;
	const char *marks;       /* the text printed on the sacks */
	const char *ico_mark;    /* 30/861/1544 */
	const char *organic_lot; /* 004-17 */
	const char *contract;    /* NULL: the process order's */
	int64_t net_per_sack_g;  /* 0: UNITS_SACK_EXPORT_G */
	const char *delivery_on; /* NULL: none */
	const char *delivery_place;
	const char *observation;
};

struct process_settlement_new {
	const char *series;
	const char *issued_on;
	int64_t process_order_id;
	const char *lot_code;        /* NULL: "LOP-<number>" */
	const char *characteristics; /* NULL: the order's quality */
	int64_t outputs_g[PROCESS_OUT_COUNT];
	const char *observations;
};

struct plant_carrier {
	const char *name;
	const char *doc; /* RUC or DNI */
	const char *plate;
	const char *licence;
	const char *brand;
	const char *mtc; /* constancia de inscripción MTC */
};

struct plant_exit_new {
	const char *series;
	const char *issued_on;
	int64_t process_settlement_id;
	const char *destination;
	const char *destination_address;
	struct plant_carrier carrier;
	const char *lot_code;            /* NULL: marking order's or LOP's */
	const char *product_description; /* NULL: built from the marks */
	int64_t sacks;
	int64_t gross_g;
	int64_t tare_g;
	const char *observations;
};

/* A refusal of a process order: the rule and the receipt it is about. */
struct process_error {
	struct rule_error rule;
	int64_t plant_receipt_id; /* the offending input; 0: none */
};

/*
 * A rule refused the document: ERR_INVALID (400) or ERR_UNPROCESSABLE
 * (422) for a business rule, ERR_CONFLICT (409) for a state conflict; *e
 * says which field and why.  On success *id is the new document.
 */
enum err process_order_issue(struct db *db, const struct actor *a,
    const struct process_order_new *in, int64_t *id, struct process_error *e);
enum err process_marking_issue(struct db *db, const struct actor *a,
    const struct marking_order_new *in, int64_t *id, struct rule_error *e);
enum err process_settle(struct db *db, const struct actor *a,
    const struct process_settlement_new *in, int64_t *id, struct rule_error *e);
enum err process_exit_issue(struct db *db, const struct actor *a,
    const struct plant_exit_new *in, int64_t *id, struct rule_error *e);

enum process_doc {
	PROCESS_ORDER,
	PROCESS_MARKING,
	PROCESS_SETTLEMENT,
	PROCESS_EXIT,
	PROCESS_DOC_COUNT
};

/*
 * Annul a document of the actor's organization with a reason, keeping its
 * number.  409 has_live_dependent: a process order with a live LOP or
 * marking order, a LOP with live exits.  Annulling a process order frees
 * the kilos it consumed from its plant receipts.
 */
enum err process_annul(struct db *db, const struct actor *a,
    enum process_doc doc, int64_t id, const char *reason, struct rule_error *e);

/*
 * The document as JSON with everything its printed form shows, if the
 * viewer (user id) may see it: the issuer's users and the counterpart's
 * (the plant of a process or marking order, the client of a LOP or exit
 * guide), and auditors either of them granted.  ERR_NOT_FOUND otherwise.
 */
enum err process_get_json(struct db *db, enum process_doc doc,
    int64_t viewer_id, int64_t id, json_t **out);

/* Filters of a document list (0 / NULL / -1: any). */
struct process_filter {
	const char *from; /* issue dates, YYYY-MM-DD */
	const char *to;
	const char *status;
	int annulled; /* -1 any, 0 live, 1 annulled */
	int64_t number;
	int64_t client_org_id; /* the cooperative whose coffee it is */
	int64_t plant_org_id;
	int64_t process_order_id;
	int64_t process_settlement_id;
	bool newest_first; /* lists: latest first; registers: in order */
};

enum err process_list_json(struct db *db, enum process_doc doc,
    int64_t viewer_id, const struct process_filter *f, int64_t after,
    int64_t limit, json_t **items, int64_t *next);

#define PROCESS_KARDEX_ROWS_MAX 100000

/*
 * The kárdex of export coffee, derived from the live LOPs (in: export
 * kilos, QQ, whole sacks) and exit guides (out) the viewer may see, per
 * client (client_org_id 0: every client in sight), in date order with the
 * running balance: {"clients": [{"client", "rows", "totals"}]}.
 * ERR_TOO_LARGE past PROCESS_KARDEX_ROWS_MAX rows.
 */
enum err process_kardex_json(
    struct db *db, int64_t viewer_id, int64_t client_org_id, json_t **out);

/*
 * A plant receipt's net weight and the kilos live process orders consume
 * of it (unscoped: the caller has scoped the receipt).  Its balance is
 * net_g - consumed_g.
 */
enum err process_receipt_balance(
    struct db *db, int64_t receipt_id, int64_t *net_g, int64_t *consumed_g);

/*
 * The demo's process stage (src/admin/demo_process.c), after the transfer
 * demo: process order for plant receipt 3052, marking order 029-17, LOP
 * 1204 with the guide's eight output lines, exit guide 4512; kárdex
 * balance 0.  One transaction.
 */
enum err demo_process_seed(struct db *db, int64_t coop_org, int64_t coop_user,
    int64_t plant_org, int64_t plant_user);

/* ---- store (src/db/process_store.c): writes limited to the actor ---- */

/* A plant receipt as a process order of client_org at plant_org sees it. */
struct process_receipt_facts {
	bool found;
	bool annulled;
	int64_t net_g;
	int64_t consumed_g; /* by live process orders */
	char status[PROCESS_STATUS_LEN];
	char programs[PROCESS_PROGRAMS_LEN];
	char issued_on[DATE_LEN + 1];
};

enum err process_store_receipt_facts(struct db *db, int64_t client_org,
    int64_t plant_org, int64_t receipt_id, struct process_receipt_facts *out);

struct process_order_row {
	int64_t org_id;
	int64_t number;
	const char *series;
	const char *issued_on;
	int64_t plant_org_id;
	const char *contract;
	const char *process_type;
	const char *quality;
	const char *status;
	const char *programs;
	int64_t input_g;
	const char *observations;
	int64_t created_by;
	int64_t created_at;
};

enum err process_store_insert_order(
    struct db *db, const struct process_order_row *r, int64_t *id);
enum err process_store_insert_input(
    struct db *db, int64_t order_id, int64_t receipt_id, int64_t kilos_g);

/* A process order as its cooperative (as_plant false) or plant sees it. */
struct process_order_facts {
	bool found;
	bool annulled;
	bool has_settlement; /* a live LOP */
	bool has_marking;    /* a live marking order */
	int64_t org_id;
	int64_t plant_org_id;
	int64_t number;
	int64_t input_g;
	char issued_on[DATE_LEN + 1];
	char status[PROCESS_STATUS_LEN];
	char programs[PROCESS_PROGRAMS_LEN];
	char contract[PROCESS_CODE_LEN];
	char process_type[PROCESS_CODE_LEN];
	char quality[PROCESS_QUALITY_LEN];
	char latest_input_on[DATE_LEN + 1]; /* newest receipt it consumes */
};

enum err process_store_order_facts(struct db *db, int64_t org_id, bool as_plant,
    int64_t id, struct process_order_facts *out);

struct marking_order_row {
	int64_t org_id;
	int64_t number;
	const char *series;
	const char *issued_on;
	int64_t process_order_id;
	int64_t sacks;
	const char *marks;
	const char *ico_mark;
	const char *organic_lot;
	const char *contract;
	int64_t net_per_sack_g;
	const char *delivery_on;
	const char *delivery_place;
	const char *observation;
	int64_t created_by;
	int64_t created_at;
};

enum err process_store_insert_marking(
    struct db *db, const struct marking_order_row *r, int64_t *id);

struct process_settlement_row {
	int64_t org_id;
	int64_t number;
	const char *series;
	const char *issued_on;
	int64_t process_order_id;
	int64_t client_org_id;
	const char *contract;
	const char *process_type;
	const char *characteristics;
	const char *status;
	const char *programs;
	int64_t input_g;
	const char *lot_code;
	const char *observations;
	const int64_t *outputs_g; /* PROCESS_OUT_COUNT */
	int64_t created_by;
	int64_t created_at;
};

/* Inserts the LOP and its PROCESS_OUT_COUNT output rows. */
enum err process_store_insert_settlement(
    struct db *db, const struct process_settlement_row *r, int64_t *id);

/* A LOP of plant_org as its exit guides need it. */
struct process_settlement_facts {
	bool found;
	bool annulled;
	int64_t number;
	int64_t client_org_id;
	int64_t export_g;
	int64_t exits_sacks; /* live exits */
	int64_t exits_g;
	bool has_marking; /* the order's live marking order */
	int64_t net_per_sack_g;
	char issued_on[DATE_LEN + 1];
	char status[PROCESS_STATUS_LEN];
	char programs[PROCESS_PROGRAMS_LEN];
	char lot_code[PROCESS_CODE_LEN];
	char organic_lot[PROCESS_CODE_LEN];
	char marks[PROCESS_MARKS_LEN];
};

enum err process_store_settlement_facts(struct db *db, int64_t plant_org,
    int64_t id, struct process_settlement_facts *out);

struct plant_exit_row {
	int64_t org_id;
	int64_t number;
	const char *series;
	const char *issued_on;
	int64_t process_settlement_id;
	int64_t client_org_id;
	const char *destination;
	const char *destination_address;
	const struct plant_carrier *carrier;
	const char *lot_code;
	const char *product_description;
	const char *status;
	const char *programs;
	int64_t sacks;
	int64_t gross_g;
	int64_t tare_g;
	const char *observations;
	int64_t created_by;
	int64_t created_at;
};

enum err process_store_insert_exit(
    struct db *db, const struct plant_exit_row *r, int64_t *id);

/*
 * Annul document id of org if it is live.  *state: 0 done, 1 not found,
 * 2 already annulled, 3 has a live dependent.
 */
enum err process_store_annul(struct db *db, enum process_doc doc,
    int64_t org_id, int64_t id, int64_t by, int64_t now, const char *reason,
    int *state);

/*
 * Freeze the parties (issuer and counterpart, JSON) of document id of org
 * as printed at issue; only once (the database refuses a second time).
 */
enum err process_store_set_parties(struct db *db, enum process_doc doc,
    int64_t org_id, int64_t id, const char *parties);

/* Net and live consumption of a plant receipt (unscoped). */
enum err process_store_receipt_balance(
    struct db *db, int64_t receipt_id, int64_t *net_g, int64_t *consumed_g);

/* The live plant receipt number of plant_org (demo); *id 0 if none. */
enum err process_store_find_receipt(
    struct db *db, int64_t plant_org, int64_t number, int64_t *id);

/* ---- views (src/db/process_views.c): reads scoped through user_scope */
enum err process_store_get_json(struct db *db, enum process_doc doc,
    int64_t viewer_id, int64_t id, json_t **out);
enum err process_store_list_json(struct db *db, enum process_doc doc,
    int64_t viewer_id, const struct process_filter *f, int64_t after,
    int64_t limit, json_t **items, int64_t *next);
enum err process_store_kardex_json(
    struct db *db, int64_t viewer_id, int64_t client_org_id, json_t **out);

/* ---- handler helpers (src/api/api_process_orders.c) ---- */
struct request;
struct field;

/* GET .../{id} */
enum err api_process_get(struct request *req, enum process_doc doc);
/*
 * GET ... with the filters from, to, status, annulled, number,
 * client_org_id, plant_org_id, process_order_id, process_settlement_id
 * and paging.
 */
enum err api_process_list(struct request *req, enum process_doc doc);
/* Every row matching the filters (CSV registers); *items new reference. */
enum err api_process_all(
    struct request *req, enum process_doc doc, json_t **items);
/* POST .../{id}/annul {"reason"}: the object first, then the body. */
enum err api_process_annul(struct request *req, enum process_doc doc);
/* 201 with the document and its Location. */
enum err api_process_created(struct request *req, enum process_doc doc,
    const char *collection, int64_t id);
#endif
