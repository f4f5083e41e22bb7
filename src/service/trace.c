/*
 * The trace answers built from the paths of src/db/trace_store.c: shares
 * of each producer (the allocation model of docs/trace.md, in integer
 * micrograms rounded once by largest remainder), deliveries, the
 * documents upstream and downstream, the producer's forward trace per
 * campaign, the recall and the EUDR geolocation export.  No SQL here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/allocation.h"
#include "pergamino/geo.h"
#include "pergamino/jsonw.h"
#include "pergamino/jsonx.h"
#include "pergamino/trace.h"

/* ---- small JSON helpers: one failure spoils the whole answer ---- */

static void
tr_set(json_t *o, const char *k, json_t *v, bool *ok)
{
	if (o == NULL || v == NULL) {
		json_decref(v);
		*ok = false;
	} else if (json_object_set_new(o, k, v) != 0) {
		*ok = false; /* it released v: no second json_decref */
	}
}

static void
tr_push(json_t *a, json_t *v, bool *ok)
{
	if (a == NULL || v == NULL) {
		json_decref(v);
		*ok = false;
	} else if (json_array_append_new(a, v) != 0) {
		*ok = false; /* it released v: no second json_decref */
	}
}

/* A borrowed node, or null, as a new reference. */
static json_t *
tr_ref(json_t *node)
{
	return node != NULL ? json_incref(node) : json_null();
}

static json_t *
tr_kg(int64_t g)
{
	return jsonx_decimal(g, 3, 3);
}

/* Grams from micrograms, half up, as kg. */
static json_t *
tr_kg_ug(int64_t ug)
{
	return tr_kg(alloc_ug_round(ug));
}

/*
 * Every node of kind k, in the order first met, as a new array (after
 * trace_run_parse()).
 */
static json_t *
tr_nodes(const struct trace_run *run, enum trace_node k)
{
	json_t *arr = json_array();
	bool ok = true;
	size_t i;

	for (i = 0; i < run->nodes[k].n; i++)
		tr_push(arr, tr_ref(run->nodes[k].v[i].json), &ok);
	if (!ok) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* ---- the allocation (docs/trace.md) ---- */

/*
 * Pergamino of the delivery that reached the deepest document of path p
 * (µg): the net delivered × the part of the plant receipt its process
 * order consumed × the part of the LOP's exportable output the export
 * lot drew.
 */
static int64_t
tr_deep_ug(const struct trace_path *p)
{
	int64_t v = p->net_g * ALLOC_UG;

	if (p->order_id > 0)
		v = alloc_scale(v, p->input_g, p->receipt_net_g);
	if (p->lot_id > 0)
		v = alloc_scale(v, p->source_g, p->exportable_g);
	return v < 0 ? 0 : v;
}

/*
 * Green coffee of the delivery in the export lot of path p (µg): the
 * kilos the lot drew from the LOP × the delivery's part of its guía (by
 * weight of the notes) × the receipt's part of the order's input.
 */
static int64_t
tr_green_ug(const struct trace_path *p)
{
	int64_t v;

	if (p->lot_id <= 0)
		return 0;
	v = p->source_g * ALLOC_UG;
	v = alloc_scale(v, p->net_g, p->notes_g);
	v = alloc_scale(v, p->input_g, p->order_input_g);
	return v < 0 ? 0 : v;
}

/* Does the starting kind count flows (not deliveries) at the root? */
static bool
tr_root_is_lot(enum trace_kind k)
{
	return k == TRACE_EXPORT_LOT || k == TRACE_SHIPMENT;
}

/*
 * What of path p reached the starting document, in µg of pergamino and
 * of green.  first: p is the first row of its delivery (or of its
 * delivery and order): rows past the start are branches, counted once.
 */
static void
tr_root_ug(const struct trace_run *run, const struct trace_path *p, bool first,
    int64_t *perg, int64_t *green)
{
	*perg = 0;
	*green = 0;
	switch (run->kind) {
	case TRACE_EXPORT_LOT:
		*perg = tr_deep_ug(p);
		*green = tr_green_ug(p);
		break;
	case TRACE_SHIPMENT:
		*perg = alloc_scale(tr_deep_ug(p), p->ship_g, p->lot_g);
		*green = alloc_scale(tr_green_ug(p), p->ship_g, p->lot_g);
		break;
	case TRACE_PROCESS_SETTLEMENT:
	case TRACE_PROCESS_ORDER:
		if (first)
			*perg = alloc_scale(
			    p->net_g * ALLOC_UG, p->input_g, p->receipt_net_g);
		break;
	default:
		if (first)
			*perg = p->net_g * ALLOC_UG;
		break;
	}
	if (*perg < 0)
		*perg = 0;
	if (*green < 0)
		*green = 0;
}

struct tr_producer {
	int64_t id;
	int64_t deliveries;
	int64_t delivered_g;
	int64_t perg_ug;
	int64_t green_ug;
	int64_t green_g; /* after largest remainder */
};

struct tr_delivery {
	size_t first; /* index of its first path */
	int64_t perg_ug;
	int64_t green_ug;
};

struct tr_acc {
	struct tr_producer *prod;
	size_t np;
	struct tr_delivery *del;
	size_t nd;
	int64_t green_target_g;
};

static void
tr_acc_clear(struct tr_acc *a)
{
	free(a->prod);
	free(a->del);
	memset(a, 0, sizeof(*a));
}

static struct tr_producer *
tr_producer_of(struct tr_acc *a, int64_t id)
{
	size_t i;

	for (i = a->np; i > 0; i--)
		if (a->prod[i - 1].id == id)
			return &a->prod[i - 1];
	return NULL;
}

/* Sum the paths per delivery and per producer, then round the shares. */
static enum err
tr_accumulate(const struct trace_run *run, struct tr_acc *a)
{
	const struct trace_path *p, *prev = NULL;
	struct tr_producer *pp;
	struct tr_delivery *d = NULL;
	int64_t perg, green, total_green = 0, *ug = NULL, *out = NULL;
	bool new_delivery, first;
	size_t i;
	enum err rc = ERR_OK;

	memset(a, 0, sizeof(*a));
	a->prod = calloc(run->n + 1, sizeof(*a->prod));
	a->del = calloc(run->n + 1, sizeof(*a->del));
	if (a->prod == NULL || a->del == NULL)
		return ERR_NOMEM;
	for (i = 0; i < run->n; i++) {
		p = &run->paths[i];
		new_delivery =
		    prev == NULL || prev->reception_id != p->reception_id;
		first = new_delivery ||
		    ((run->kind == TRACE_PROCESS_ORDER ||
		         run->kind == TRACE_PROCESS_SETTLEMENT) &&
		        prev->order_id != p->order_id);
		tr_root_ug(run, p, first, &perg, &green);
		pp = tr_producer_of(a, p->producer_id);
		if (pp == NULL) {
			pp = &a->prod[a->np++];
			pp->id = p->producer_id;
		}
		if (new_delivery) {
			d = &a->del[a->nd++];
			d->first = i;
			pp->deliveries++;
			pp->delivered_g += p->net_g;
		}
		d->perg_ug += perg;
		d->green_ug += green;
		pp->perg_ug += perg;
		pp->green_ug += green;
		total_green += green;
		prev = p;
	}
	if (!tr_root_is_lot(run->kind) || a->np == 0)
		return ERR_OK;
	a->green_target_g = alloc_ug_round(total_green);
	ug = calloc(a->np, sizeof(*ug));
	out = calloc(a->np, sizeof(*out));
	if (ug == NULL || out == NULL) {
		rc = ERR_NOMEM;
		goto done;
	}
	for (i = 0; i < a->np; i++)
		ug[i] = a->prod[i].green_ug;
	rc = alloc_largest_remainder(ug, a->np, a->green_target_g, out);
	for (i = 0; rc == ERR_OK && i < a->np; i++)
		a->prod[i].green_g = out[i];
done:
	free(ug);
	free(out);
	return rc;
}

/* ---- the trace as JSON text (spliced nodes, no tree) ---- */

static void
tw_null(struct jsonw *w, const char *k)
{
	jsonw_key(w, k);
	jsonw_null(w);
}

static void
tw_id(struct jsonw *w, const char *k, int64_t id)
{
	jsonw_key(w, k);
	if (id > 0)
		jsonw_int(w, id);
	else
		jsonw_null(w);
}

static void
tw_kg(struct jsonw *w, const char *k, int64_t g)
{
	jsonw_key(w, k);
	jsonw_decimal(w, g, 3, 3);
}

/* Grams from micrograms, half up, as kg. */
static void
tw_kg_ug(struct jsonw *w, const char *k, int64_t ug)
{
	tw_kg(w, k, alloc_ug_round(ug));
}

/* part / whole as a percentage with 2 decimals, half up; null if no whole. */
static void
tw_pct(struct jsonw *w, const char *k, int64_t part, int64_t whole)
{
	jsonw_key(w, k);
	if (whole <= 0)
		jsonw_null(w);
	else
		jsonw_decimal(
		    w, (alloc_scale(part, 20000, whole) + 1) / 2, 2, 2);
}

/* The node of kind n with id as member k, or null. */
static void
tw_node(struct jsonw *w, const char *k, const struct trace_run *run,
    enum trace_node n, int64_t id)
{
	const struct trace_node_entry *e = trace_run_entry(run, n, id);

	jsonw_key(w, k);
	jsonw_raw(w, e != NULL ? e->text : NULL, e != NULL ? e->len : 0);
}

/* The members of a flow (one path), in an object the caller opened. */
static void
tw_flow_members(struct jsonw *w, const struct trace_path *p)
{
	bool lot = p->lot_id > 0;

	tw_id(w, "reception_id", p->reception_id);
	tw_id(w, "producer_id", p->producer_id);
	tw_id(w, "note_id", p->note_id);
	tw_id(w, "dispatch_id", p->dispatch_id);
	tw_id(w, "plant_receipt_id", p->receipt_id);
	tw_id(w, "process_order_id", p->order_id);
	tw_id(w, "process_settlement_id", p->lop_id);
	tw_id(w, "export_lot_id", p->lot_id);
	jsonw_key(w, "category");
	if (lot)
		jsonw_str(w, p->category);
	else
		jsonw_null(w);
	tw_kg(w, "delivered_kg", p->net_g);
	if (p->order_id > 0)
		tw_kg(w, "consumed_kg", p->input_g);
	else
		tw_null(w, "consumed_kg");
	if (lot)
		tw_kg(w, "drawn_kg", p->source_g);
	else
		tw_null(w, "drawn_kg");
	tw_kg_ug(w, "pergamino_kg", tr_deep_ug(p));
	if (lot)
		tw_kg_ug(w, "green_kg", tr_green_ug(p));
	else
		tw_null(w, "green_kg");
}

/* The members of a delivery, in an object the caller opened. */
static void
tw_delivery_members(
    struct jsonw *w, const struct trace_run *run, const struct tr_delivery *d)
{
	const struct trace_path *p = &run->paths[d->first];

	tw_node(w, "reception", run, TN_RECEPTION, p->reception_id);
	tw_node(w, "note", run, TN_NOTE, p->note_id);
	tw_node(w, "settlement", run, TN_SETTLEMENT, p->settlement_id);
	jsonw_key(w, "producer_id");
	jsonw_int(w, p->producer_id);
	tw_node(w, "plot", run, TN_PLOT, p->plot_id);
	tw_id(w, "dispatch_id", p->dispatch_id);
	tw_id(w, "plant_receipt_id", p->receipt_id);
	tw_kg(w, "delivered_kg", p->net_g);
	tw_kg_ug(w, "pergamino_kg", d->perg_ug);
	if (tr_root_is_lot(run->kind))
		tw_kg_ug(w, "green_kg", d->green_ug);
	else
		tw_null(w, "green_kg");
}

static void
tw_producer(struct jsonw *w, const struct trace_run *run,
    const struct tr_acc *a, const struct tr_producer *pp, int64_t perg_total_g)
{
	bool lot = tr_root_is_lot(run->kind);

	jsonw_object(w);
	tw_node(w, "producer", run, TN_PRODUCER, pp->id);
	jsonw_key(w, "deliveries");
	jsonw_int(w, pp->deliveries);
	tw_kg(w, "delivered_kg", pp->delivered_g);
	tw_kg_ug(w, "pergamino_kg", pp->perg_ug);
	if (lot) {
		tw_kg(w, "green_kg", pp->green_g);
		jsonw_key(w, "green_g");
		jsonw_int(w, pp->green_g);
		tw_pct(w, "share_pct", pp->green_g, a->green_target_g);
	} else {
		tw_null(w, "green_kg");
		tw_null(w, "green_g");
		tw_pct(
		    w, "share_pct", alloc_ug_round(pp->perg_ug), perg_total_g);
	}
	jsonw_end_object(w);
}

static const char *const tr_list_keys[] = {
	[TN_DISPATCH] = "dispatches",
	[TN_RECEIPT] = "plant_receipts",
	[TN_ORDER] = "process_orders",
	[TN_LOP] = "process_settlements",
	[TN_LOT] = "export_lots",
	[TN_SHIPMENT] = "shipments",
};

/* The members of the whole trace answer of a loaded run. */
static void
tw_trace_members(
    struct jsonw *w, const struct trace_run *run, const struct tr_acc *a)
{
	const struct trace_nodes *set;
	int64_t perg_ug = 0, delivered = 0;
	size_t i;
	int k;

	for (i = 0; i < a->np; i++) {
		perg_ug += a->prod[i].perg_ug;
		delivered += a->prod[i].delivered_g;
	}
	jsonw_key(w, "root");
	jsonw_object(w);
	jsonw_key(w, "kind");
	jsonw_str(w, trace_kind_name(run->kind));
	jsonw_key(w, "id");
	jsonw_int(w, run->id);
	jsonw_key(w, "document");
	jsonw_raw(w, run->root, run->root_len);
	jsonw_end_object(w);
	jsonw_key(w, "producers");
	jsonw_array(w);
	for (i = 0; i < a->np; i++)
		tw_producer(w, run, a, &a->prod[i], alloc_ug_round(perg_ug));
	jsonw_end_array(w);
	jsonw_key(w, "deliveries");
	jsonw_array(w);
	for (i = 0; i < a->nd; i++) {
		jsonw_object(w);
		tw_delivery_members(w, run, &a->del[i]);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	for (k = TN_DISPATCH; k < TN_COUNT; k++) {
		set = &run->nodes[k];
		jsonw_key(w, tr_list_keys[k]);
		jsonw_array(w);
		for (i = 0; i < set->n; i++)
			jsonw_raw(w, set->v[i].text, set->v[i].len);
		jsonw_end_array(w);
	}
	jsonw_key(w, "flows");
	jsonw_array(w);
	for (i = 0; i < run->n; i++) {
		jsonw_object(w);
		tw_flow_members(w, &run->paths[i]);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_key(w, "totals");
	jsonw_object(w);
	jsonw_key(w, "producers");
	jsonw_int(w, (int64_t)a->np);
	jsonw_key(w, "deliveries");
	jsonw_int(w, (int64_t)a->nd);
	tw_kg(w, "delivered_kg", delivered);
	tw_kg_ug(w, "pergamino_kg", perg_ug);
	if (tr_root_is_lot(run->kind))
		tw_kg(w, "green_kg", a->green_target_g);
	else
		tw_null(w, "green_kg");
	jsonw_end_object(w);
	jsonw_key(w, "allocation");
	jsonw_object(w);
	jsonw_key(w, "model");
	jsonw_str(w, "proportional");
	jsonw_key(w, "rounding");
	jsonw_str(w, "largest_remainder");
	jsonw_key(w, "unit");
	jsonw_str(w, "g");
	jsonw_end_object(w);
}

/* Text to tree, for the callers that read the answer (reports, tests). */
static enum err
tr_text_tree(enum err rc, char *text, json_t **out)
{
	*out = NULL;
	if (rc == ERR_OK) {
		*out = jsonx_loadb(text, strlen(text), 0, NULL);
		if (*out == NULL)
			rc = ERR_NOMEM; /* we wrote it: only memory fails */
	}
	free(text);
	return rc;
}

/*
 * The trace answer of (kind, id) as text; a producer's forward trace adds
 * its campaigns and the producer (tw_campaigns is defined below).
 */
static void tw_campaigns(
    struct jsonw *w, const struct trace_run *run, const struct tr_acc *a);

static enum err
tr_text(struct db *db, int64_t viewer_id, enum trace_kind kind, int64_t id,
    char **out)
{
	struct trace_run run;
	struct tr_acc a = { 0 };
	struct jsonw w;
	enum err rc;

	*out = NULL;
	jsonw_init(&w);
	rc = trace_store_load(db, viewer_id, kind, id, &run);
	if (rc == ERR_OK)
		rc = tr_accumulate(&run, &a);
	if (rc == ERR_OK) {
		jsonw_object(&w);
		tw_trace_members(&w, &run, &a);
		if (kind == TRACE_PRODUCER) {
			tw_campaigns(&w, &run, &a);
			jsonw_key(&w, "producer");
			jsonw_raw(&w, run.root, run.root_len);
		}
		jsonw_end_object(&w);
		rc = jsonw_take(&w, out);
	}
	jsonw_clear(&w);
	tr_acc_clear(&a);
	trace_run_clear(&run);
	return rc;
}

enum err
trace_document_text(struct db *db, int64_t viewer_id, enum trace_kind kind,
    int64_t id, char **out)
{
	return tr_text(db, viewer_id, kind, id, out);
}

enum err
trace_document_json(struct db *db, int64_t viewer_id, enum trace_kind kind,
    int64_t id, json_t **out)
{
	char *text = NULL;
	enum err rc = trace_document_text(db, viewer_id, kind, id, &text);

	return tr_text_tree(rc, text, out);
}

/* ---- forward trace of a producer, per campaign ---- */

/* The shipments of a lot node, each with the lot's kilos in it. */
static void
tw_lot_shipments(struct jsonw *w, const struct trace_run *run, json_t *lot)
{
	json_t *sl;
	size_t i;

	jsonw_key(w, "shipments");
	jsonw_array(w);
	json_array_foreach(json_object_get(lot, "shipments"), i, sl)
	{
		jsonw_object(w);
		tw_node(w, "shipment", run, TN_SHIPMENT,
		    json_integer_value(json_object_get(sl, "shipment_id")));
		jsonw_key(w, "sacks");
		jsonw_json(w, json_object_get(sl, "sacks"));
		jsonw_key(w, "lot_kg");
		jsonw_json(w, json_object_get(sl, "kg"));
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

/* One flow with its documents inline (the forward trace reads so). */
static void
tw_flow_inline(
    struct jsonw *w, const struct trace_run *run, const struct trace_path *p)
{
	jsonw_object(w);
	tw_flow_members(w, p);
	tw_node(w, "dispatch", run, TN_DISPATCH, p->dispatch_id);
	tw_node(w, "plant_receipt", run, TN_RECEIPT, p->receipt_id);
	tw_node(w, "process_order", run, TN_ORDER, p->order_id);
	tw_node(w, "process_settlement", run, TN_LOP, p->lop_id);
	tw_node(w, "export_lot", run, TN_LOT, p->lot_id);
	tw_lot_shipments(w, run, trace_run_node(run, TN_LOT, p->lot_id));
	jsonw_end_object(w);
}

/* The paths of delivery i: [*from, *to). */
static void
tr_delivery_paths(const struct trace_run *run, const struct tr_acc *a, size_t i,
    size_t *from, size_t *to)
{
	*from = a->del[i].first;
	*to = i + 1 < a->nd ? a->del[i + 1].first : run->n;
}

/* One campaign: each reception of it and the flows it took. */
static void
tw_campaign(struct jsonw *w, const struct trace_run *run,
    const struct tr_acc *a, int64_t campaign)
{
	const struct trace_path *p;
	int64_t delivered = 0, exported = 0, green;
	size_t i, j, from, to;

	jsonw_object(w);
	jsonw_key(w, "campaign");
	jsonw_int(w, campaign);
	jsonw_key(w, "receptions");
	jsonw_array(w);
	for (i = 0; i < a->nd; i++) {
		p = &run->paths[a->del[i].first];
		if (p->campaign != campaign)
			continue;
		delivered += p->net_g;
		jsonw_object(w);
		tw_delivery_members(w, run, &a->del[i]);
		jsonw_key(w, "flows");
		jsonw_array(w);
		tr_delivery_paths(run, a, i, &from, &to);
		for (j = from; j < to; j++) {
			if (run->paths[j].dispatch_id > 0)
				tw_flow_inline(w, run, &run->paths[j]);
			green = alloc_ug_round(tr_green_ug(&run->paths[j]));
			if (green > 0)
				exported += green;
		}
		jsonw_end_array(w);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	tw_kg(w, "delivered_kg", delivered);
	tw_kg(w, "exported_green_kg", exported);
	jsonw_end_object(w);
}

/* Per campaign, in the order first met. */
static void
tw_campaigns(
    struct jsonw *w, const struct trace_run *run, const struct tr_acc *a)
{
	int64_t campaign;
	size_t i, k;
	bool seen;

	jsonw_key(w, "campaigns");
	jsonw_array(w);
	for (i = 0; i < a->nd; i++) {
		campaign = run->paths[a->del[i].first].campaign;
		seen = false;
		for (k = 0; k < i && !seen; k++)
			seen = run->paths[a->del[k].first].campaign == campaign;
		if (!seen)
			tw_campaign(w, run, a, campaign);
	}
	jsonw_end_array(w);
}

enum err
trace_producer_text(
    struct db *db, int64_t viewer_id, int64_t producer_id, char **out)
{
	return tr_text(db, viewer_id, TRACE_PRODUCER, producer_id, out);
}

enum err
trace_producer_json(
    struct db *db, int64_t viewer_id, int64_t producer_id, json_t **out)
{
	char *text = NULL;
	enum err rc = trace_producer_text(db, viewer_id, producer_id, &text);

	return tr_text_tree(rc, text, out);
}

/* ---- recall ---- */

/* The mixed-producer entry of id in producers (object by id), or new. */
static json_t *
tr_mixed(json_t *producers, const struct trace_run *run, int64_t id, bool *ok)
{
	char key[24];
	json_t *m;

	snprintf(key, sizeof(key), "%lld", (long long)id);
	m = json_object_get(producers, key);
	if (m != NULL)
		return m;
	m = json_pack("{s:O, s:b, s:[], s:[]}", "producer",
	    trace_run_node(run, TN_PRODUCER, id), "is_source", 0, "dispatches",
	    "export_lots");
	if (m == NULL || json_object_set_new(producers, key, m) != 0) {
		*ok = false;
		return NULL;
	}
	return m;
}

/* Who else is in container (a guía or an export lot) and how much. */
static enum err
tr_recall_container(struct db *db, int64_t viewer_id, enum trace_kind kind,
    int64_t id, json_t *producers)
{
	struct trace_run run;
	struct tr_acc a = { 0 };
	json_t *m, *entry;
	bool ok = true, lot = kind == TRACE_EXPORT_LOT;
	enum err rc;
	size_t i;

	rc = trace_store_load(db, viewer_id, kind, id, &run);
	if (rc == ERR_OK)
		rc = trace_run_parse(&run);
	if (rc == ERR_OK)
		rc = tr_accumulate(&run, &a);
	for (i = 0; rc == ERR_OK && ok && i < a.np; i++) {
		m = tr_mixed(producers, &run, a.prod[i].id, &ok);
		if (m == NULL)
			break;
		entry = lot
		    ? json_pack("{s:I, s:o}", "export_lot_id", (json_int_t)id,
		          "green_kg", tr_kg(a.prod[i].green_g))
		    : json_pack("{s:I, s:o}", "dispatch_id", (json_int_t)id,
		          "pergamino_kg", tr_kg_ug(a.prod[i].perg_ug));
		tr_push(json_object_get(m, lot ? "export_lots" : "dispatches"),
		    entry, &ok);
	}
	if (rc == ERR_OK && !ok)
		rc = ERR_NOMEM;
	tr_acc_clear(&a);
	trace_run_clear(&run);
	return rc;
}

/* The source's own kilos in each export lot it reached. */
static json_t *
tr_recall_lots(const struct trace_run *run)
{
	const struct trace_nodes *set = &run->nodes[TN_LOT];
	json_t *lots = json_array(), *o;
	int64_t perg, green;
	bool ok = true;
	size_t i, k;

	for (k = 0; k < set->n; k++) {
		perg = 0;
		green = 0;
		for (i = 0; i < run->n; i++) {
			if (run->paths[i].lot_id != set->v[k].id)
				continue;
			perg += tr_deep_ug(&run->paths[i]);
			green += tr_green_ug(&run->paths[i]);
		}
		o = json_pack("{s:O, s:o, s:o}", "export_lot", set->v[k].json,
		    "source_pergamino_kg", tr_kg_ug(perg), "source_green_kg",
		    tr_kg_ug(green));
		tr_push(lots, o, &ok);
	}
	if (!ok) {
		json_decref(lots);
		return NULL;
	}
	return lots;
}

static enum err
tr_recall_mixing(struct db *db, int64_t viewer_id, const struct trace_run *run,
    json_t *producers)
{
	const struct trace_nodes *guias = &run->nodes[TN_DISPATCH];
	const struct trace_nodes *lots = &run->nodes[TN_LOT];
	json_t *v;
	enum err rc = ERR_OK;
	size_t i;

	for (i = 0; rc == ERR_OK && i < guias->n; i++)
		rc = tr_recall_container(
		    db, viewer_id, TRACE_DISPATCH, guias->v[i].id, producers);
	for (i = 0; rc == ERR_OK && i < lots->n; i++)
		rc = tr_recall_container(
		    db, viewer_id, TRACE_EXPORT_LOT, lots->v[i].id, producers);
	/* The source's own producers. */
	for (i = 0; rc == ERR_OK && i < run->n; i++) {
		bool ok = true;
		v = tr_mixed(producers, run, run->paths[i].producer_id, &ok);
		if (v == NULL ||
		    json_object_set_new(v, "is_source", json_true()) != 0)
			rc = ERR_NOMEM;
	}
	return rc;
}

enum err
trace_recall_json(struct db *db, int64_t viewer_id, enum trace_kind kind,
    int64_t id, json_t **out)
{
	struct trace_run run;
	json_t *producers = json_object(), *list = json_array(), *v;
	const char *key;
	bool ok = true;
	enum err rc;

	*out = NULL;
	rc = trace_store_load(db, viewer_id, kind, id, &run);
	if (rc == ERR_OK)
		rc = trace_run_parse(&run);
	if (rc == ERR_OK && (producers == NULL || list == NULL))
		rc = ERR_NOMEM;
	if (rc == ERR_OK)
		rc = tr_recall_mixing(db, viewer_id, &run, producers);
	if (rc == ERR_OK) {
		json_object_foreach(producers, key, v)
		{
			tr_push(list, json_incref(v), &ok);
		}
		*out = json_object();
		tr_set(*out, "source",
		    json_pack("{s:s, s:I, s:O}", "kind", trace_kind_name(kind),
		        "id", (json_int_t)id, "document", run.root_json),
		    &ok);
		tr_set(*out, "export_lots", tr_recall_lots(&run), &ok);
		tr_set(*out, "shipments", tr_nodes(&run, TN_SHIPMENT), &ok);
		tr_set(
		    *out, "process_settlements", tr_nodes(&run, TN_LOP), &ok);
		tr_set(*out, "plant_receipts", tr_nodes(&run, TN_RECEIPT), &ok);
		tr_set(*out, "dispatches", tr_nodes(&run, TN_DISPATCH), &ok);
		tr_set(*out, "producers", list, &ok);
		list = NULL;
		if (!ok) {
			json_decref(*out);
			*out = NULL;
			rc = ERR_NOMEM;
		}
	}
	json_decref(list);
	json_decref(producers);
	trace_run_clear(&run);
	return rc;
}

/* ---- EUDR geolocation ---- */

/*
 * A copy of a stored location with every coordinate as a JSON number
 * (stored as exact decimal text); NULL when a coordinate is not one.
 */
static json_t *
tr_coords(json_t *v)
{
	json_t *arr, *item;
	int64_t e7;
	unsigned decimals;
	size_t i;

	if (json_is_string(v)) {
		if (geo_parse_coord(json_string_value(v), false, &e7, &decimals,
		        NULL) != ERR_OK)
			return NULL;
		return json_real((double)e7 / GEO_E7);
	}
	if (json_is_number(v))
		return jsonx_copy(v);
	if (!json_is_array(v))
		return NULL;
	arr = json_array();
	json_array_foreach(v, i, item)
	{
		if (json_array_append_new(arr, tr_coords(item)) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* Why a plot cannot go into the due-diligence statement, or NULL. */
static const char *
tr_plot_blocker(json_t *plot, const char **type)
{
	json_t *loc = json_object_get(plot, "location");
	int64_t area = json_integer_value(json_object_get(plot, "area_m2"));

	*type = json_string_value(json_object_get(loc, "type"));
	if (*type == NULL)
		return "no_geolocation";
	if (strcmp(*type, "Point") == 0 && area >= GEO_POLYGON_MIN_HA_M2)
		return "polygon_required";
	if (strcmp(*type, "Point") != 0 && strcmp(*type, "Polygon") != 0)
		return "unsupported_geometry";
	return NULL;
}

static json_t *
tr_blocking(
    const char *reason, json_t *producer, json_t *plot, json_t *reception)
{
	return json_pack("{s:s, s:O, s:O, s:O}", "reason", reason, "producer",
	    producer, "plot", plot != NULL ? plot : json_null(), "reception",
	    reception != NULL ? reception : json_null());
}

/* "Fundo La Perla, La Palma, San Ignacio" */
static json_t *
tr_place(json_t *plot, json_t *producer)
{
	char buf[512];
	const char *caserio = jsonx_str(producer, "caserio");
	const char *district = jsonx_str(producer, "district");

	snprintf(buf, sizeof(buf), "%s%s%s%s%s", jsonx_str(plot, "name"),
	    caserio[0] != '\0' ? ", " : "", caserio,
	    district[0] != '\0' ? ", " : "", district);
	return json_string(buf);
}

static json_t *
tr_feature(json_t *plot, json_t *producer)
{
	json_t *loc = json_object_get(plot, "location");
	json_t *coords = tr_coords(json_object_get(loc, "coordinates"));
	int64_t area = json_integer_value(json_object_get(plot, "area_m2"));

	if (coords == NULL)
		return NULL;
	return json_pack("{s:s, s:{s:O, s:o}, s:{s:O, s:s, s:f, s:o, s:O,"
	                 " s:O}}",
	    "type", "Feature", "geometry", "type", json_object_get(loc, "type"),
	    "coordinates", coords, "properties", "ProducerName",
	    json_object_get(producer, "full_name"), "ProducerCountry", "PE",
	    "Area", (double)area / 10000.0, "ProductionPlace",
	    tr_place(plot, producer), "PlotId", json_object_get(plot, "id"),
	    "ProducerId", json_object_get(producer, "id"));
}

enum err
trace_geojson(struct db *db, int64_t viewer_id, enum trace_kind kind,
    int64_t id, json_t **out)
{
	struct trace_run run;
	const struct trace_path *p;
	json_t *features = json_array(), *blocking = json_array();
	json_t *seen = json_object(), *plot, *producer, *f;
	const char *type, *why;
	char key[24];
	bool ok = true;
	enum err rc;
	size_t i;

	*out = NULL;
	rc = trace_store_load(db, viewer_id, kind, id, &run);
	if (rc == ERR_OK)
		rc = trace_run_parse(&run);
	for (i = 0; rc == ERR_OK && ok && i < run.n; i++) {
		p = &run.paths[i];
		producer = trace_run_node(&run, TN_PRODUCER, p->producer_id);
		plot = trace_run_node(&run, TN_PLOT, p->plot_id);
		snprintf(key, sizeof(key), "%lld",
		    (long long)(plot != NULL ? p->plot_id : -p->reception_id));
		if (json_object_get(seen, key) != NULL)
			continue;
		json_object_set_new(seen, key, json_true());
		if (plot == NULL) {
			tr_push(blocking,
			    tr_blocking("no_plot", producer, NULL,
			        trace_run_node(
			            &run, TN_RECEPTION, p->reception_id)),
			    &ok);
			continue;
		}
		why = tr_plot_blocker(plot, &type);
		f = why == NULL ? tr_feature(plot, producer) : NULL;
		if (why == NULL && f == NULL)
			why = "invalid_geolocation";
		if (why != NULL)
			tr_push(blocking,
			    tr_blocking(why, producer, plot, NULL), &ok);
		else
			tr_push(features, f, &ok);
	}
	if (rc == ERR_OK) {
		*out = json_pack("{s:s, s:O, s:{s:s, s:I, s:O}, s:b, s:O}",
		    "type", "FeatureCollection", "features", features,
		    "pergamino", "kind", trace_kind_name(kind), "id",
		    (json_int_t)id, "document", run.root_json, "ready",
		    json_array_size(blocking) == 0 && run.n > 0, "blocking",
		    blocking);
		if (*out == NULL || !ok) {
			json_decref(*out);
			*out = NULL;
			rc = ERR_NOMEM;
		}
	}
	json_decref(features);
	json_decref(blocking);
	json_decref(seen);
	trace_run_clear(&run);
	return rc;
}
