/*
 * The producer registry of a cooperative: producers, their plots and the
 * plots' estimated production per campaign, the organization's group
 * certifications, the approved producer list (LPA) per campaign and the
 * organization's purchase settings.
 *
 * Two parts: the stores (src/db/producer_store.c, plot_store.c,
 * registry_store.c: static SQL, every statement scoped by organization)
 * and the checks the JSON API and the CSV import share (src/api/
 * api_producers.c, api_plots.c), so that a producer or plot is refused
 * for the same reasons whichever way it arrives.
 *
 * Scoping.  Reads take the caller's user id (viewer) and filter through
 * the user_scope view: the caller's organization plus, for auditors, the
 * organizations that granted them access.  Writes take the caller's own
 * organization (org_id) and filter on it.  Functions that take both
 * apply both: a write handler looks its object up with (viewer, org_id)
 * so that another organization's object is "not found".
 *
 * Strings in the structs below are borrowed (from a JSON document or a
 * CSV row) unless noted; json_t members are borrowed references.
 */
#ifndef PERGAMINO_REGISTRY_H
#define PERGAMINO_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/db.h"
#include "pergamino/err.h"

/* Limits of the registry's text fields, in bytes (inclusive). */
#define REGISTRY_NAME_MAX 120
#define REGISTRY_PLACE_MAX 120 /* caserío, district, province, region */
#define REGISTRY_ADDRESS_MAX 300
#define REGISTRY_PHONE_MAX 40
#define REGISTRY_OTHER_CERT_MAX 60  /* one "other certification" */
#define REGISTRY_OTHER_CERTS_MAX 10 /* how many */
#define REGISTRY_CROP_MAX 60
#define REGISTRY_NOTES_MAX 2000
#define REGISTRY_CERTIFIER_MAX 120
#define REGISTRY_CODE_MAX 60
#define REGISTRY_REASON_MAX 500
#define REGISTRY_PLACE_OF_SALE_MAX 120
/* Plot area: at most 100 000 ha, in m². */
#define REGISTRY_AREA_M2_MAX 1000000000LL
#define REGISTRY_ALTITUDE_MAX 7000 /* m */
#define REGISTRY_CAMPAIGN_MIN 2000
#define REGISTRY_CAMPAIGN_MAX 2100
/* Estimated production of one plot in one campaign: 10 000 t, in grams. */
#define REGISTRY_ESTIMATE_G_MAX 10000000000LL
/* No value for an optional integer (altitude). */
#define REGISTRY_NONE INT64_MIN

/* ---- checks shared by the JSON API and the CSV import ---- */

/*
 * Receives each problem a check finds.  field is the API name of the
 * field (a literal), code a stable machine code, why a bilingual literal.
 */
typedef void (*registry_report_fn)(
    void *arg, const char *field, const char *code, struct msg why);

/* Flags of registry_text_check(). */
#define REGISTRY_TEXT_REQUIRED 0x1u  /* NULL or "" is a problem */
#define REGISTRY_TEXT_MULTILINE 0x2u /* line ends allowed (notes) */

/*
 * Check one text value: required, at most max bytes, no control
 * characters (tabs allowed; line ends only with REGISTRY_TEXT_MULTILINE).
 * s is valid UTF-8 (JSON strings and csv_to_utf8() text are).  Reports
 * under field and returns false on a problem.
 */
bool registry_text_check(const char *s, const char *field, size_t max,
    unsigned flags, registry_report_fn report, void *arg);

/* A registry_report_fn whose arg is a struct request *: field errors. */
void registry_report_request(
    void *arg, const char *field, const char *code, struct msg why);

/*
 * Fold s for searching: ASCII lower case, and the Spanish accented
 * letters (á é í ó ú ü ñ, either case) to their plain letter, so that
 * "ÑAUPARI" and "naupari" compare equal.  Writes at most cap bytes with
 * the NUL; returns false (out "") when s does not fit.
 */
bool registry_fold(const char *s, char *out, size_t cap);

/* ---- producers (db/producer_store.c) ---- */
struct producer {
	int64_t id;
	int64_t organization_id;
	const char *dni; /* 8 digits */
	const char *first_names;
	const char *last_names;
	const char *sex; /* "F" | "M" */
	const char *caserio;
	const char *district;
	const char *province;
	const char *region;
	const char *address;
	const char *phone;
	const char *status;           /* organic | transition | conventional */
	json_t *programs;             /* array of "EU" "NOP" "JAS" "OTHER" */
	json_t *other_certifications; /* array of names ("Fairtrade") */
	int active;                   /* 0 | 1 */
	int64_t created_at;
};

/*
 * Check every rule of a producer (DNI, names, sex, lengths, status,
 * programs: organic needs one, conventional holds none), reporting each
 * problem.  Returns true when there was none.  (api/api_producers.c)
 */
bool producer_check(
    const struct producer *p, registry_report_fn report, void *arg);
/*
 * Fill p from a stored producer document (as producer_store_get_json()
 * returns it); p borrows from doc.
 */
void producer_from_json(json_t *doc, struct producer *p);

struct producer_filter {
	const char *dni_prefix;  /* digits, or NULL */
	const char *text;        /* folded (registry_fold), or NULL */
	const char *status;      /* or NULL */
	int active;              /* -1: any */
	int64_t campaign;        /* with lpa: LPA of this campaign */
	int lpa;                 /* -1: any; 1: on the LPA; 0: not on it */
	int64_t organization_id; /* 0: every organization in scope */
};

struct request;

/*
 * An integer query argument within [min, max]: *out REGISTRY_NONE when
 * absent; a field error (ERR_INVALID) when malformed or out of range.
 */
enum err registry_query_int(struct request *req, const char *name, int64_t min,
    int64_t max, int64_t *out);
/*
 * The producer filters of a list or export from the query string (q,
 * status, active, campaign, lpa, organization_id).  The folded search
 * text is written to fold (fold_cap bytes), which f->text points into.
 * Field errors on req.  (api/api_producers.c)
 */
enum err producer_filter_read(struct request *req, struct producer_filter *f,
    char *fold, size_t fold_cap);

/* Insert; sets p->id.  ERR_CONFLICT on a duplicate DNI in the org. */
enum err producer_store_insert(struct db *db, struct producer *p);
/*
 * Replace every field of producer id of org_id if its version is
 * version: ERR_PRECONDITION otherwise, ERR_CONFLICT on a duplicate DNI.
 */
enum err producer_store_update(struct db *db, int64_t org_id, int64_t id,
    int64_t version, const struct producer *p);
/*
 * Producer id as JSON, if in viewer's scope (and of org_id unless 0),
 * with its version for the ETag.  ERR_NOT_FOUND.  *out is new.
 */
enum err producer_store_get_json(struct db *db, int64_t viewer, int64_t org_id,
    int64_t id, json_t **out, int64_t *version);
/*
 * The producer with this DNI, as above.  With org_id 0 and several
 * organizations in scope, the viewer's own comes first, then the lowest
 * organization id.
 */
enum err producer_store_by_dni_json(struct db *db, int64_t viewer,
    int64_t org_id, const char *dni, json_t **out, int64_t *version);
/* Id of the producer with dni in org_id; *id 0 when there is none. */
enum err producer_store_find_dni(
    struct db *db, int64_t org_id, const char *dni, int64_t *id);
/* One page of producers in viewer's scope matching f, by id. */
enum err producer_store_list_json(struct db *db, int64_t viewer,
    const struct producer_filter *f, int64_t after, int64_t limit,
    json_t **items, int64_t *next);

/* ---- plots (db/plot_store.c) ---- */
struct plot {
	int64_t id;
	int64_t organization_id;
	int64_t producer_id;
	const char *name;
	int64_t area_m2;
	const char *crop;
	const char *variety;
	int64_t altitude_m; /* REGISTRY_NONE: unknown */
	json_t *location;   /* normalized GeoJSON object, NULL: none */
	const char *risk_notes;
	int active; /* 0 | 1 */
	int64_t created_at;
};

/*
 * Check a plot's own fields (name, area, crop, variety, altitude, notes)
 * and the shape rule against its area (a plot of 4 ha or more needs a
 * polygon).  The location itself is checked by plot_location_parse().
 * Returns true when there was no problem.  (api/api_plots.c)
 */
bool plot_check(const struct plot *p, registry_report_fn report, void *arg);
/*
 * Read a GeoJSON Point or Polygon (one exterior ring) whose coordinates
 * are decimal strings (numbers are accepted too) with at least
 * GEO_MIN_DECIMALS decimals, and check it with geo.h.  On success *out
 * is a new, normalized object (coordinates as canonical decimal strings,
 * [longitude, latitude] as GeoJSON orders them); otherwise *out is NULL
 * and the problems were reported under field.
 */
bool plot_location_parse(json_t *in, const char *field, json_t **out,
    registry_report_fn report, void *arg);
/* Fill p from a stored plot document; p borrows from doc. */
void plot_from_json(json_t *doc, struct plot *p);

enum err plot_store_insert(struct db *db, struct plot *p);
/* As producer_store_update(); the producer of a plot never changes. */
enum err plot_store_update(struct db *db, int64_t org_id, int64_t id,
    int64_t version, const struct plot *p);
/*
 * Plot id as JSON with its estimates, scoped as producer_store_get_json().
 */
enum err plot_store_get_json(struct db *db, int64_t viewer, int64_t org_id,
    int64_t id, json_t **out, int64_t *version);
/* One page of plots in scope; producer_id 0: every producer. */
enum err plot_store_list_json(struct db *db, int64_t viewer,
    int64_t producer_id, int64_t after, int64_t limit, json_t **items,
    int64_t *next);
/* Every plot of a producer of org_id, each with its estimates. */
enum err plot_store_for_producer_json(
    struct db *db, int64_t org_id, int64_t producer_id, json_t **items);
/* Id of the producer's plot called name; *id 0 when there is none. */
enum err plot_store_find_name(struct db *db, int64_t org_id,
    int64_t producer_id, const char *name, int64_t *id);
/* The estimate of a campaign as {campaign, estimated_kg}; ERR_NOT_FOUND. */
enum err plot_store_estimate_get_json(struct db *db, int64_t org_id,
    int64_t plot_id, int64_t campaign, json_t **out);
/* Insert or replace the estimate (grams) of a plot for a campaign. */
enum err plot_store_estimate_put(struct db *db, int64_t org_id, int64_t plot_id,
    int64_t campaign, int64_t grams);

/* ---- certifications, LPA, settings (db/registry_store.c) ---- */
struct certification {
	int64_t id;
	int64_t organization_id;
	const char *certifier;
	const char *program; /* EU | NOP | JAS | OTHER */
	const char *code;
	const char *valid_from; /* YYYY-MM-DD */
	const char *valid_to;
	int64_t created_at;
};

enum err certification_store_insert(struct db *db, struct certification *c);
enum err certification_store_get_json(
    struct db *db, int64_t viewer, int64_t id, json_t **out);
enum err certification_store_list_json(struct db *db, int64_t viewer,
    int64_t after, int64_t limit, json_t **items, int64_t *next);

/*
 * The LPA entry of a producer for a campaign as JSON (with the producer's
 * DNI, name, caserío, status and programs), in viewer's scope and of
 * org_id unless 0.  ERR_NOT_FOUND.
 */
enum err lpa_store_get_json(struct db *db, int64_t viewer, int64_t org_id,
    int64_t campaign, int64_t producer_id, json_t **out);
/*
 * Approve a producer of org_id for a campaign, or approve again one that
 * was withdrawn (clearing the withdrawal).  ERR_CONFLICT when the
 * producer is already approved and not withdrawn.
 */
enum err lpa_store_approve(struct db *db, int64_t org_id, int64_t campaign,
    int64_t producer_id, const char *approved_on, int64_t by);
/* Withdraw an approved producer; ERR_NOT_FOUND when not approved. */
enum err lpa_store_withdraw(struct db *db, int64_t org_id, int64_t campaign,
    int64_t producer_id, const char *on, int64_t by, const char *reason);
/*
 * One page of a campaign's LPA in viewer's scope (org_id 0: every
 * organization in it), by producer id, withdrawn entries included.
 */
enum err lpa_store_list_json(struct db *db, int64_t viewer, int64_t org_id,
    int64_t campaign, int64_t after, int64_t limit, json_t **items,
    int64_t *next);

/* Purchase settings of an organization (table org_settings). */
#define SETTINGS_ICO_EXPORTER_LEN 7     /* up to 6 digits and the NUL */
#define SETTINGS_ICO_COUNTRY_DEFAULT 30 /* Peru */
#define SETTINGS_POLICY_LEN 8
struct org_settings {
	int64_t humidity_min; /* tenths of a percent: 100 = 10.0 % */
	int64_t humidity_max; /* tenths of a percent */
	char humidity_policy[SETTINGS_POLICY_LEN]; /* "warn" | "refuse" */
	int64_t estimate_tolerance_pct;            /* whole percent */
	int64_t igv_rate_bp;                       /* hundredths of a percent */
	char place_of_sale[REGISTRY_PLACE_OF_SALE_MAX + 1];
	char ico_exporter_code[SETTINGS_ICO_EXPORTER_LEN]; /* "861"; "" none */
	int64_t ico_country_code; /* ICO country, 30: Peru; 0: the default */
	int64_t version;          /* 0: never saved, the defaults */
};

/* The settings of org_id, or the defaults (version 0) when never saved. */
enum err settings_store_get(
    struct db *db, int64_t org_id, struct org_settings *out);
/*
 * Save the settings of org_id if their stored version is version (0:
 * never saved): ERR_PRECONDITION otherwise.
 */
enum err settings_store_put(struct db *db, int64_t org_id, int64_t version,
    const struct org_settings *s);

#endif
