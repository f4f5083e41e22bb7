/*
 * Traceability: the paths coffee takes from each producer's delivery to
 * the ship, read once from the database (src/db/trace_store.c) and turned
 * into the trace, recall, lot report and EUDR geolocation answers
 * (src/service/trace.c).  The allocation model (how kilos divide where
 * lots split and merge) is in docs/trace.md and pergamino/allocation.h.
 *
 * Visibility: a trace starts from a document the viewer may read under
 * the documents' own rules (issuer or counterpart in user_scope; ERR_NOT
 * _FOUND otherwise).  Each path is then shown only when the viewer is in
 * the scope of the cooperative that received the coffee or of the plant
 * its guía was addressed to (the guía's producer list is what the chain
 * shares with the plant); export lots and shipments, the exporter's
 * commercial documents, only within the exporter's scope.
 */
#ifndef PERGAMINO_TRACE_H
#define PERGAMINO_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/db.h"
#include "pergamino/err.h"

/* Where a trace starts. */
enum trace_kind {
	TRACE_EXPORT_LOT,
	TRACE_SHIPMENT,
	TRACE_PROCESS_SETTLEMENT,
	TRACE_PROCESS_ORDER,
	TRACE_PLANT_RECEIPT,
	TRACE_DISPATCH,
	TRACE_NOTE,
	TRACE_RECEPTION,
	TRACE_PRODUCER,
	TRACE_PLOT,
	TRACE_KIND_COUNT
};

/* The documents a path visits, as JSON nodes kept by id. */
enum trace_node {
	TN_RECEPTION,
	TN_NOTE,
	TN_SETTLEMENT,
	TN_PRODUCER,
	TN_PLOT,
	TN_DISPATCH,
	TN_RECEIPT,
	TN_ORDER,
	TN_LOP,
	TN_LOT,
	TN_SHIPMENT,
	TN_COUNT
};

#define TRACE_CATEGORY_LEN 16

/*
 * One path of coffee: a delivery (reception and its live note) and how
 * far it went.  Ids are 0 where the path stops.  Weights in grams.
 */
struct trace_path {
	int64_t reception_id, producer_id, plot_id, note_id, settlement_id;
	int64_t dispatch_id, receipt_id, order_id, lop_id, source_id, lot_id;
	int64_t campaign;
	int64_t net_g;         /* the reception's net: what was delivered */
	int64_t notes_g;       /* the guía's notes, all together */
	int64_t receipt_net_g; /* the plant's net of the guía */
	int64_t input_g;       /* of the receipt, consumed by the order */
	int64_t order_input_g; /* the order's (= its LOP's) whole input */
	int64_t exportable_g;  /* the LOP's export + export MC outputs */
	int64_t source_g;      /* of that output, drawn by the export lot */
	int64_t lot_g;         /* the export lot's kilos */
	int64_t ship_g;        /* of the lot, in the root shipment */
	char category[TRACE_CATEGORY_LEN]; /* export / export_mc */
};

/*
 * One document a path visits: its JSON text as SQLite built it, spliced
 * into the answers as it is, and parsed only for the answers that read
 * inside it (recall, GeoJSON, a lot's shipments).
 */
struct trace_node_entry {
	int64_t id;
	char *text; /* owned, NUL-terminated */
	size_t len;
	json_t *json; /* parsed text, or NULL (see trace_run_parse()) */
};

/* The nodes of one kind in the order first met, and an index by id. */
struct trace_nodes {
	struct trace_node_entry *v;
	size_t n, cap;
	size_t *slot; /* open addressing: entry index + 1, 0 empty */
	size_t nslot; /* a power of two, at least twice n */
};

/* The paths through one document, and the documents they visit. */
struct trace_run {
	enum trace_kind kind;
	int64_t id;
	char *root; /* the starting document's node text (owned) */
	size_t root_len;
	json_t *root_json; /* parsed root, after trace_run_parse() */
	struct trace_nodes nodes[TN_COUNT];
	struct trace_path *paths;
	size_t n, cap;
};

/* "export-lots", "producers", ... (the URL segment); NULL if invalid. */
const char *trace_kind_name(enum trace_kind kind);
/* The kind for a URL segment; false when unknown. */
bool trace_kind_parse(const char *s, enum trace_kind *out);

/* ---- store (src/db/trace_store.c) ---- */

/*
 * Load the paths through document (kind, id) that viewer may see, and
 * every document they visit.  ERR_NOT_FOUND when the document is not in
 * the viewer's sight.  run is cleared first; trace_run_clear() it after.
 */
enum err trace_store_load(struct db *db, int64_t viewer_id,
    enum trace_kind kind, int64_t id, struct trace_run *run);
void trace_run_clear(struct trace_run *run);
/* The node of kind k with id (borrowed), or NULL. */
const struct trace_node_entry *trace_run_entry(
    const struct trace_run *run, enum trace_node k, int64_t id);
/*
 * The node of kind k with id, parsed (borrowed), or NULL: export lots
 * always, the others after trace_run_parse().
 */
json_t *trace_run_node(
    const struct trace_run *run, enum trace_node k, int64_t id);
/* Parse every node and the root, for the answers that read inside them. */
enum err trace_run_parse(struct trace_run *run);

/*
 * The static SQL text trace_store_load() runs, for the raw-SQL floor of
 * the benchmarks (tests/bench/ceiling.c): the visibility check of kind
 * (?1 viewer, ?2 id), its path query (?1 viewer, ?2 id, ?3 the starting
 * shipment or 0) and the node query of k (?1 id; NULL for the nodes the
 * path query itself returns).
 */
const char *trace_store_seen_sql(enum trace_kind kind);
const char *trace_store_paths_sql(enum trace_kind kind);
const char *trace_store_node_sql(enum trace_node k);

/* A producer in the viewer's sight by DNI; *id 0 when none. */
enum err trace_store_producer_by_dni(
    struct db *db, int64_t viewer_id, const char *dni, int64_t *id);

#define TRACE_SEARCH_MAX 50

/*
 * Documents matching q (lot, ICO mark, contract, DNI, name, document
 * numbers) in the viewer's sight: [{kind, id, label, date}], at most
 * limit.  fold is q folded by registry_fold() (accents and case), what
 * names are matched against.  *out is a new array.
 */
enum err trace_store_search(struct db *db, int64_t viewer_id, const char *q,
    const char *fold, int64_t limit, json_t **out);

/* ---- answers (src/service/trace.c) ---- */

/*
 * The trace through a document: producers and their shares, deliveries,
 * every document upstream and downstream, the flows between them; for a
 * producer, the forward trace (below).  As JSON text (*out, caller frees:
 * what the API sends) or as a tree.
 */
enum err trace_document_text(struct db *db, int64_t viewer_id,
    enum trace_kind kind, int64_t id, char **out);
enum err trace_document_json(struct db *db, int64_t viewer_id,
    enum trace_kind kind, int64_t id, json_t **out);
/* Forward trace of a producer, per campaign: the trace and "campaigns". */
enum err trace_producer_text(
    struct db *db, int64_t viewer_id, int64_t producer_id, char **out);
enum err trace_producer_json(
    struct db *db, int64_t viewer_id, int64_t producer_id, json_t **out);
/*
 * Recall from a producer, plot, reception or plant receipt: the export
 * lots and shipments that hold any of it and every producer mixed with
 * it.
 */
enum err trace_recall_json(struct db *db, int64_t viewer_id,
    enum trace_kind kind, int64_t id, json_t **out);
/*
 * EUDR geolocation of an export lot or shipment: a GeoJSON
 * FeatureCollection of the contributing plots, with "blocking" (plots or
 * deliveries that keep it from being ready) and "ready".
 */
enum err trace_geojson(struct db *db, int64_t viewer_id, enum trace_kind kind,
    int64_t id, json_t **out);

#endif
