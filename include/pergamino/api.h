/*
 * Shared machinery of the resource handlers in src/api/: declarative
 * field reading (unknown keys, types, lengths and ranges checked once,
 * each failure reported per field in Spanish and English), the audit
 * call every write makes, and the route tables of each resource.
 */
#ifndef PERGAMINO_API_H
#define PERGAMINO_API_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/http.h"

enum field_type {
	FIELD_TEXT,    /* const char * (borrowed from the JSON), NULL: absent */
	FIELD_INT,     /* int64_t, FIELD_ABSENT when absent */
	FIELD_BOOL,    /* int: -1 absent, 0, 1 */
	FIELD_DECIMAL, /* int64_t scaled by 10^scale, FIELD_ABSENT when absent
	                */
	FIELD_DATE     /* const char * "YYYY-MM-DD", NULL: absent */
};

#define FIELD_REQUIRED 0x1u
#define FIELD_NOT_EMPTY 0x2u /* text: if given, not "" */
#define FIELD_ABSENT INT64_MIN
#define FIELD_TEXT_MAX_DEFAULT 200 /* bytes */

struct field {
	const char *name;
	enum field_type type;
	unsigned flags;
	size_t max_len;   /* FIELD_TEXT: bytes; 0: FIELD_TEXT_MAX_DEFAULT */
	int64_t min, max; /* FIELD_INT, FIELD_DECIMAL (scaled): inclusive */
	size_t offset;    /* of the member in the output struct */
	unsigned scale;   /* FIELD_DECIMAL: decimals (3: kg -> grams) */
};

#define FIELD_END                                                              \
	{                                                                      \
		NULL, FIELD_TEXT, 0, 0, 0, 0, 0, 0                             \
	}

/*
 * Read in (an object) into out as spec describes.  Decimals (weights,
 * money) come as JSON strings such as "472.6" or as JSON numbers with at
 * most 15 significant digits; either way they are parsed exactly, never
 * used as floating point.  Unknown keys, missing
 * required fields, wrong types, text too long or with control characters,
 * integers out of range: each becomes a per-field error and the result is
 * ERR_INVALID.  Text values are borrowed from in.
 */
enum err fields_read(
    struct request *req, json_t *in, const struct field *spec, void *out);
/*
 * fields_read() of body except the keys named in nested (a NULL-terminated
 * list), which the caller reads itself.  Strings stay borrowed from body.
 */
enum err fields_read_except(struct request *req, json_t *body,
    const char *const *nested, const struct field *spec, void *out);
/*
 * Read the object v (the value of key prefix, e.g. "carrier" or
 * "inputs[2]") against spec; its field errors are named
 * "<prefix>.<field>".  v NULL: every field absent.
 */
enum err fields_read_nested(struct request *req, json_t *v, const char *prefix,
    const struct field *spec, void *out);
/*
 * Read arr, an array of 1 to max_count objects under key name, into
 * items (item_size bytes each, spec's offsets into one item); *n is the
 * count read.  A wrong count is one error on name saying count_why;
 * each object's errors are named "<name>[i].<field>".
 */
enum err fields_read_array(struct request *req, json_t *arr, const char *name,
    size_t max_count, struct msg count_why, const struct field *spec,
    void *items, size_t item_size, size_t *n);

/*
 * Append the audit event of this request's write (inside its
 * transaction).  before/after are borrowed, may be NULL.
 */
enum err api_audit(struct request *req, int64_t org_id, const char *action,
    const char *entity, int64_t entity_id, json_t *before, json_t *after);

/* "/api/v1/<collection>/<id>" into req's Location. */
void api_location(struct request *req, const char *collection, int64_t id);
/* Strong ETag for a row version: "<id>.<version>". */
void api_etag_text(int64_t id, int64_t version, char out[48]);
/*
 * Check If-Match against the row's current ETag: 428 when absent, 412
 * when stale.
 */
enum err api_if_match(struct request *req, int64_t id, int64_t version);

/* The organization scope a listing uses: 0 for the instance operator. */
int64_t api_viewer(const struct request *req);

/* Route tables, one per resource file. */
extern const struct route health_routes[];
extern const struct route session_routes[];
extern const struct route organization_routes[];
extern const struct route user_routes[];
extern const struct route grant_routes[];
extern const struct route token_routes[];
extern const struct route audit_routes[];
extern const struct route numbering_routes[];
extern const struct route reception_routes[];
extern const struct route note_routes[];
extern const struct route settlement_routes[];
extern const struct route dispatch_routes[];
extern const struct route plant_receipt_routes[];
extern const struct route producer_routes[];
extern const struct route plot_routes[];
extern const struct route certification_routes[];
extern const struct route lpa_routes[];
extern const struct route settings_routes[];
extern const struct route registry_csv_routes[];
extern const struct route process_order_routes[];
extern const struct route marking_order_routes[];
extern const struct route process_settlement_routes[];
extern const struct route plant_exit_routes[];
extern const struct route kardex_routes[];
extern const struct route export_lot_routes[];
extern const struct route shipment_routes[];
extern const struct route trace_routes[];
extern const struct route report_routes[];

#endif
