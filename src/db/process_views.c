/*
 * Reading the process-stage documents as JSON: everything each printed
 * form shows (issuer header, counterpart, inputs, output rows, carrier's
 * guide), and the kárdex of export coffee derived from the LOPs and exit
 * guides.  Every query is scoped through user_scope: a document is seen
 * by its issuer and by its counterpart (the plant of an order, the client
 * of a LOP or exit guide), and by the auditors either of them granted.
 * Lists use the same row builders as the single reads.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/jsonx.h"
#include "pergamino/process.h"
#include "pergamino/stores.h"
#include "pergamino/units.h"

/* ---- building objects: one failure makes the whole row NULL ---- */

struct jb {
	json_t *o; /* owned until jb_done */
	bool failed;
};

static void
jb_init(struct jb *b)
{
	b->o = json_object();
	b->failed = b->o == NULL;
}

/* Set k to v (stolen, may be NULL: that is a failure). */
static void
jb_set(struct jb *b, const char *k, json_t *v)
{
	if (json_object_set_new(b->o, k, v) != 0)
		b->failed = true;
}

static json_t *
jb_done(struct jb *b)
{
	if (b->failed) {
		json_decref(b->o);
		return NULL;
	}
	return b->o;
}

static json_t *
col_int(sqlite3_stmt *st, int col)
{
	return json_integer(sqlite3_column_int64(st, col));
}

static json_t *
col_kg(sqlite3_stmt *st, int col)
{
	return jsonx_column_decimal(st, col, 3, 3);
}

static json_t *
kg(int64_t g)
{
	return jsonx_decimal(g, 3, 3);
}

static json_t *
centi(int64_t v)
{
	return jsonx_decimal(v, 2, 2);
}

static bool
col_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

/* ---- the parts every document shares ---- */

/* Columns of the head, in this order; d is the document, o its issuer. */
#define PROC_HEAD                                                              \
	"d.id, d.number, d.series, d.issued_on, d.created_at,"                 \
	" cu.username, d.annulled_at, au.username, d.annul_reason,"            \
	" o.id, o.name, o.ruc, o.address, o.phone, d.parties"
#define PROC_HEAD_N 15
#define PROC_HEAD_JOINS                                                        \
	" JOIN organizations o ON o.id = d.organization_id"                    \
	" JOIN users cu ON cu.id = d.created_by"                               \
	" LEFT JOIN users au ON au.id = d.annulled_by"
#define PROC_ORG_COLUMNS(t)                                                    \
	t ".id, " t ".name, " t ".ruc, " t ".address, " t ".phone"

#define PROC_IN_SCOPE(col)                                                     \
	" " col " IN (SELECT organization_id FROM user_scope"                  \
	" WHERE user_id = ?1)"

enum {
	H_ID,
	H_NUMBER,
	H_SERIES,
	H_ISSUED,
	H_CREATED_AT,
	H_CREATED_BY,
	H_ANNULLED_AT,
	H_ANNULLED_BY,
	H_ANNUL_REASON,
	H_ORG,
	H_PARTIES = H_ORG + 5
};

/*
 * Issued documents show their parties (issuer, counterpart) as frozen at
 * issue; the live registry only while the document is being issued.
 */
static void
jb_parties(struct jb *b, sqlite3_stmt *st)
{
	json_t *parties;

	if (!jsonx_column_json(st, H_PARTIES, &parties))
		b->failed = true;
	if (json_is_object(parties) && json_object_size(parties) > 0 &&
	    json_object_update(b->o, parties) != 0)
		b->failed = true;
	json_decref(parties);
}

/* An organization from 5 columns: id, name, ruc, address, phone. */
static json_t *
proc_org(sqlite3_stmt *st, int c)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o}", "id",
	    (json_int_t)sqlite3_column_int64(st, c), "name",
	    jsonx_column_text(st, c + 1), "ruc", jsonx_column_text(st, c + 2),
	    "address", jsonx_column_text(st, c + 3), "phone",
	    jsonx_column_text(st, c + 4));
}

/* {"id", "number", "number_text"} of a referenced document, or null. */
static json_t *
proc_ref(sqlite3_stmt *st, int c_id, int c_number, int c_series)
{
	char text[PROCESS_NUMBER_TEXT_LEN];

	if (col_null(st, c_id))
		return json_null();
	process_number_text(sqlite3_column_int64(st, c_number),
	    db_column_text(st, c_series), text);
	return json_pack("{s:I, s:I, s:s}", "id",
	    (json_int_t)sqlite3_column_int64(st, c_id), "number",
	    (json_int_t)sqlite3_column_int64(st, c_number), "number_text",
	    text);
}

/* The same for a marking order, whose number prints as "029-17". */
static json_t *
proc_marking_ref(
    sqlite3_stmt *st, int c_id, int c_number, int c_series, int c_issued)
{
	char text[PROCESS_NUMBER_TEXT_LEN];

	if (col_null(st, c_id))
		return json_null();
	process_marking_number_text(sqlite3_column_int64(st, c_number),
	    db_column_text(st, c_series), db_column_text(st, c_issued), text);
	return json_pack("{s:I, s:I, s:s}", "id",
	    (json_int_t)sqlite3_column_int64(st, c_id), "number",
	    (json_int_t)sqlite3_column_int64(st, c_number), "number_text",
	    text);
}

/* Number, dates, annulment and issuer: the head of every document. */
static void
proc_head(struct jb *b, sqlite3_stmt *st, bool marking)
{
	char number[PROCESS_NUMBER_TEXT_LEN];
	const char *series = db_column_text(st, H_SERIES);

	if (marking)
		process_marking_number_text(sqlite3_column_int64(st, H_NUMBER),
		    series, db_column_text(st, H_ISSUED), number);
	else
		process_number_text(
		    sqlite3_column_int64(st, H_NUMBER), series, number);
	jb_set(b, "id", col_int(st, H_ID));
	jb_set(b, "number", col_int(st, H_NUMBER));
	jb_set(b, "series", json_string(series));
	jb_set(b, "number_text", json_string(number));
	jb_set(b, "issued_on", jsonx_column_text(st, H_ISSUED));
	jb_set(b, "created_at", jsonx_column_time(st, H_CREATED_AT));
	jb_set(b, "created_by", jsonx_column_text(st, H_CREATED_BY));
	jb_set(b, "annulled",
	    col_null(st, H_ANNULLED_AT)
	        ? json_null()
	        : json_pack("{s:o, s:o, s:o}", "at",
	              jsonx_column_time(st, H_ANNULLED_AT), "by",
	              jsonx_column_text(st, H_ANNULLED_BY), "reason",
	              jsonx_column_text(st, H_ANNUL_REASON)));
	jb_set(b, "organization", proc_org(st, H_ORG));
}

/* Status and programs (columns c, c + 1), with the printed label. */
static void
proc_certification(struct jb *b, sqlite3_stmt *st, int c)
{
	const char *status = db_column_text(st, c);
	const char *label = strcmp(status, "organic") == 0 ? "Orgánico"
	    : strcmp(status, "transition") == 0            ? "En transición"
	                                                   : "Convencional";
	json_t *programs;

	if (!jsonx_column_json(st, c + 1, &programs))
		b->failed = true;
	if (!json_is_array(programs)) {
		json_decref(programs);
		programs = json_array();
	}
	jb_set(b, "status", json_string(status));
	jb_set(b, "programs", json_incref(programs));
	jb_set(b, "certification",
	    json_pack("{s:s, s:s, s:o}", "status", status, "label", label,
	        "programs", programs));
}

/*
 * The inputs of process order `order` as one JSON text (SQLite builds it;
 * C formats the figures in proc_inputs()), in receipt order.
 */
#define PROC_INPUTS(order)                                                     \
	"(SELECT json_group_array(json_object('rid', x.rid, 'rnum', x.rnum,"   \
	" 'rser', x.rser, 'ron', x.ron, 'did', x.did, 'dnum', x.dnum,"         \
	" 'dser', x.dser, 'product', x.product, 'sacks', x.sacks,"             \
	" 'net', x.net, 'kilos', x.kilos, 'humidity', x.humidity,"             \
	" 'yield', x.yield, 'live', x.live, 'consumed', x.consumed))"          \
	" FROM (SELECT pr.id AS rid, pr.number AS rnum, pr.series AS rser,"    \
	" pr.issued_on AS ron, dp.id AS did, dp.number AS dnum,"               \
	" dp.series AS dser, pr.product AS product, pr.sacks AS sacks,"        \
	" pr.net_g AS net, i.kilos_g AS kilos, pr.humidity AS humidity,"       \
	" pr.yield_pct AS yield, i.live AS live,"                              \
	" (SELECT coalesce(sum(c.kilos_g), 0) FROM process_order_inputs c"     \
	"  WHERE c.plant_receipt_id = pr.id AND c.live = 1) AS consumed"       \
	" FROM process_order_inputs i"                                         \
	" JOIN plant_receipts pr ON pr.id = i.plant_receipt_id"                \
	" LEFT JOIN dispatches dp ON dp.id = pr.dispatch_id"                   \
	" WHERE i.process_order_id = " order                                   \
	" ORDER BY pr.issued_on, pr.id) x)"

static int64_t
proc_member(json_t *o, const char *k)
{
	return (int64_t)json_integer_value(json_object_get(o, k));
}

/* A scaled member, or null when it is null (humidity, rendimiento). */
static json_t *
proc_member_decimal(json_t *o, const char *k, unsigned scale)
{
	json_t *v = json_object_get(o, k);

	if (!json_is_integer(v))
		return json_null();
	return jsonx_decimal((int64_t)json_integer_value(v), scale, scale);
}

static json_t *
proc_input(json_t *x, int64_t *sacks)
{
	char rtext[PROCESS_NUMBER_TEXT_LEN], dtext[PROCESS_NUMBER_TEXT_LEN];
	int64_t net = proc_member(x, "net"), kilos = proc_member(x, "kilos");
	struct jb b;

	*sacks = process_input_sacks(proc_member(x, "sacks"), net, kilos);
	process_number_text(proc_member(x, "rnum"),
	    json_string_value(json_object_get(x, "rser")), rtext);
	process_number_text(proc_member(x, "dnum"),
	    json_string_value(json_object_get(x, "dser")), dtext);
	jb_init(&b);
	jb_set(&b, "plant_receipt",
	    json_pack("{s:I, s:I, s:s, s:O}", "id",
	        (json_int_t)proc_member(x, "rid"), "number",
	        (json_int_t)proc_member(x, "rnum"), "number_text", rtext,
	        "issued_on", json_object_get(x, "ron")));
	jb_set(&b, "dispatch",
	    json_is_integer(json_object_get(x, "did"))
	        ? json_pack("{s:I, s:I, s:s}", "id",
	              (json_int_t)proc_member(x, "did"), "number",
	              (json_int_t)proc_member(x, "dnum"), "number_text", dtext)
	        : json_null());
	jb_set(&b, "description", json_incref(json_object_get(x, "product")));
	jb_set(&b, "sacks", json_integer(*sacks));
	jb_set(&b, "net_kg", kg(kilos));
	jb_set(&b, "receipt_sacks", json_integer(proc_member(x, "sacks")));
	jb_set(&b, "receipt_net_kg", kg(net));
	jb_set(&b, "balance_kg", kg(net - proc_member(x, "consumed")));
	jb_set(&b, "humidity", proc_member_decimal(x, "humidity", 1));
	jb_set(&b, "yield_pct", proc_member_decimal(x, "yield", 2));
	jb_set(&b, "live", json_boolean(proc_member(x, "live") == 1));
	return jb_done(&b);
}

/* "inputs" and "inputs_total" from the PROC_INPUTS column. */
static void
proc_inputs(struct jb *b, sqlite3_stmt *st, int col)
{
	json_t *raw = jsonx_loads(db_column_text(st, col), 0, NULL);
	json_t *items = json_array(), *x;
	int64_t sacks, total_sacks = 0, total_g = 0;
	size_t i;

	if (!json_is_array(raw))
		b->failed = true;
	json_array_foreach(raw, i, x)
	{
		if (json_array_append_new(items, proc_input(x, &sacks)) != 0)
			b->failed = true;
		total_sacks += sacks;
		total_g += proc_member(x, "kilos");
	}
	json_decref(raw);
	jb_set(b, "inputs", items);
	jb_set(b, "inputs_total",
	    json_pack("{s:I, s:o}", "sacks", (json_int_t)total_sacks, "net_kg",
	        kg(total_g)));
}

/* ---- process orders ---- */

/* clang-format off */
#define ORDER_COLUMNS							       \
	PROC_HEAD ", d.status, d.programs, " PROC_ORG_COLUMNS("pl") ","	       \
	" d.contract, d.process_type, d.quality, d.input_g, d.observations, "  \
	PROC_INPUTS("d.id") ", s.id, s.number, s.series, m.id, m.number,"      \
	" m.series, m.issued_on"
/* clang-format on */

#define ORDER_FROM                                                             \
	" FROM process_orders d" PROC_HEAD_JOINS                               \
	" JOIN organizations pl ON pl.id = d.plant_org_id"                     \
	" LEFT JOIN process_settlements s ON s.process_order_id = d.id"        \
	"  AND s.annulled_at IS NULL"                                          \
	" LEFT JOIN marking_orders m ON m.process_order_id = d.id"             \
	"  AND m.annulled_at IS NULL"

#define ORDER_SCOPE                                                            \
	" (" PROC_IN_SCOPE("d.organization_id") " OR" PROC_IN_SCOPE(           \
	    "d.plant_org_id") ")"

static json_t *
order_row(sqlite3_stmt *st)
{
	int c = PROC_HEAD_N;
	struct jb b;

	jb_init(&b);
	proc_head(&b, st, false);
	proc_certification(&b, st, c);
	jb_set(&b, "plant", proc_org(st, c + 2));
	jb_set(&b, "contract", jsonx_column_text(st, c + 7));
	jb_set(&b, "process_type", jsonx_column_text(st, c + 8));
	jb_set(&b, "quality", jsonx_column_text(st, c + 9));
	jb_set(&b, "input_kg", col_kg(st, c + 10));
	jb_set(&b, "observations", jsonx_column_text(st, c + 11));
	proc_inputs(&b, st, c + 12);
	jb_set(&b, "settlement", proc_ref(st, c + 13, c + 14, c + 15));
	jb_set(&b, "marking_order",
	    proc_marking_ref(st, c + 16, c + 17, c + 18, c + 19));
	jb_parties(&b, st);
	return jb_done(&b);
}

/* ---- marking orders ---- */

/* clang-format off */
#define MARKING_COLUMNS						       \
	PROC_HEAD ", po.status, po.programs, " PROC_ORG_COLUMNS("pl") ","      \
	" po.id, po.number, po.series, d.sacks, d.marks, d.ico_mark,"	       \
	" d.organic_lot, d.contract, d.net_per_sack_g, d.delivery_on,"	       \
	" d.delivery_place, d.observation"
/* clang-format on */

#define MARKING_FROM                                                           \
	" FROM marking_orders d" PROC_HEAD_JOINS                               \
	" JOIN process_orders po ON po.id = d.process_order_id"                \
	" JOIN organizations pl ON pl.id = po.plant_org_id"

#define MARKING_SCOPE                                                          \
	" (" PROC_IN_SCOPE("d.organization_id") " OR" PROC_IN_SCOPE(           \
	    "po.plant_org_id") ")"

static json_t *
marking_row(sqlite3_stmt *st)
{
	int c = PROC_HEAD_N;
	struct jb b;

	jb_init(&b);
	proc_head(&b, st, true);
	proc_certification(&b, st, c);
	jb_set(&b, "plant", proc_org(st, c + 2));
	jb_set(&b, "process_order", proc_ref(st, c + 7, c + 8, c + 9));
	jb_set(&b, "sacks", col_int(st, c + 10));
	jb_set(&b, "marks", jsonx_column_text(st, c + 11));
	jb_set(&b, "ico_mark", jsonx_column_text(st, c + 12));
	jb_set(&b, "organic_lot", jsonx_column_text(st, c + 13));
	jb_set(&b, "contract", jsonx_column_text(st, c + 14));
	jb_set(&b, "net_per_sack_kg", col_kg(st, c + 15));
	jb_set(&b, "total_kg",
	    kg(sqlite3_column_int64(st, c + 10) *
	        sqlite3_column_int64(st, c + 15)));
	jb_set(&b, "delivery_on", jsonx_column_text(st, c + 16));
	jb_set(&b, "delivery_place", jsonx_column_text(st, c + 17));
	jb_set(&b, "observation", jsonx_column_text(st, c + 18));
	jb_parties(&b, st);
	return jb_done(&b);
}

/* ---- process settlements (LOP) ---- */

/* The LOP's outputs as {"category": grams}, and its live exits. */
#define SETTLEMENT_OUTPUTS                                                     \
	"(SELECT json_group_object(x.category, x.kilos_g)"                     \
	" FROM process_settlement_outputs x"                                   \
	" WHERE x.process_settlement_id = d.id)"
#define SETTLEMENT_EXITS(what)                                                 \
	"(SELECT coalesce(sum(e." what "), 0) FROM plant_exits e"              \
	" WHERE e.process_settlement_id = d.id AND e.annulled_at IS NULL)"

/* clang-format off */
#define SETTLEMENT_COLUMNS						       \
	PROC_HEAD ", d.status, d.programs, " PROC_ORG_COLUMNS("c") ","	       \
	" po.id, po.number, po.series, po.issued_on, d.contract,"	       \
	" d.process_type, d.characteristics, d.lot_code, d.input_g,"	       \
	" d.observations, " PROC_INPUTS("d.process_order_id") ", "	       \
	SETTLEMENT_OUTPUTS ", m.id, m.number, m.series, m.issued_on,"	       \
	" m.organic_lot, m.ico_mark, m.marks, m.sacks, "		       \
	SETTLEMENT_EXITS("sacks") ", " SETTLEMENT_EXITS("net_g")
/* clang-format on */

#define SETTLEMENT_FROM                                                        \
	" FROM process_settlements d" PROC_HEAD_JOINS                          \
	" JOIN organizations c ON c.id = d.client_org_id"                      \
	" JOIN process_orders po ON po.id = d.process_order_id"                \
	" LEFT JOIN marking_orders m"                                          \
	" ON m.process_order_id = d.process_order_id"                          \
	"  AND m.annulled_at IS NULL"

#define CLIENT_SCOPE                                                           \
	" (" PROC_IN_SCOPE("d.organization_id") " OR" PROC_IN_SCOPE(           \
	    "d.client_org_id") ")"

/* One row of "Resultado de proceso". */
static json_t *
settlement_output_row(const struct process_row *r)
{
	const char *key = r->kind == PROCESS_ROW_TOTAL ? "total"
	    : r->kind == PROCESS_ROW_COFFEE_TOTAL
	    ? "coffee_total"
	    : process_output_key(r->output);
	struct jb b;

	jb_init(&b);
	jb_set(&b, "item", r->item > 0 ? json_integer(r->item) : json_null());
	jb_set(&b, "key", json_string(key));
	jb_set(&b, "product", json_string(r->product));
	jb_set(
	    &b, "sacks", r->has_sacks ? json_integer(r->sacks) : json_null());
	jb_set(&b, "remainder_kg",
	    r->has_sacks ? kg(r->remainder_g) : json_null());
	jb_set(&b, "kilos", kg(r->kilos_g));
	jb_set(&b, "qq", r->has_qq ? centi(r->qq_centi) : json_null());
	jb_set(&b, "pct", centi(r->pct_centi));
	return jb_done(&b);
}

/* Outputs from {"export": grams, ...}; absent categories are zero. */
static void
settlement_outputs(struct jb *b, sqlite3_stmt *st, int col, int64_t input_g,
    struct process_figures *fig)
{
	int64_t out_g[PROCESS_OUT_COUNT];
	json_t *raw, *rows = json_array(), *by_key = json_object();
	size_t i;
	int o;

	/* Outputs that do not load are out of memory, not zero kilos. */
	if (!jsonx_column_json(st, col, &raw))
		b->failed = true;
	for (o = 0; o < PROCESS_OUT_COUNT; o++) {
		out_g[o] = proc_member(raw, process_output_key(o));
		if (json_object_set_new(
		        by_key, process_output_key(o), kg(out_g[o])) != 0)
			b->failed = true;
	}
	json_decref(raw);
	process_figures_compute(out_g, input_g, fig);
	for (i = 0; i < fig->row_count; i++)
		if (json_array_append_new(
		        rows, settlement_output_row(&fig->rows[i])) != 0)
			b->failed = true;
	jb_set(b, "outputs", rows);
	jb_set(b, "outputs_kg", by_key);
}

static json_t *
settlement_marking(sqlite3_stmt *st, int c)
{
	json_t *ref = proc_marking_ref(st, c, c + 1, c + 2, c + 3);

	if (!json_is_object(ref))
		return ref;
	if (json_object_set_new(
	        ref, "organic_lot", jsonx_column_text(st, c + 4)) != 0 ||
	    json_object_set_new(
	        ref, "ico_mark", jsonx_column_text(st, c + 5)) != 0 ||
	    json_object_set_new(ref, "marks", jsonx_column_text(st, c + 6)) !=
	        0 ||
	    json_object_set_new(ref, "sacks", col_int(st, c + 7)) != 0) {
		json_decref(ref);
		return NULL;
	}
	return ref;
}

static json_t *
settlement_row(sqlite3_stmt *st)
{
	int c = PROC_HEAD_N;
	struct process_figures fig;
	int64_t input_g = sqlite3_column_int64(st, c + 15);
	int64_t exit_sacks = sqlite3_column_int64(st, c + 27);
	int64_t exit_g = sqlite3_column_int64(st, c + 28);
	struct jb b;

	jb_init(&b);
	proc_head(&b, st, false);
	proc_certification(&b, st, c);
	jb_set(&b, "client", proc_org(st, c + 2));
	jb_set(&b, "process_order", proc_ref(st, c + 7, c + 8, c + 9));
	jb_set(&b, "process_order_issued_on", jsonx_column_text(st, c + 10));
	jb_set(&b, "contract", jsonx_column_text(st, c + 11));
	jb_set(&b, "process_type", jsonx_column_text(st, c + 12));
	jb_set(&b, "characteristics", jsonx_column_text(st, c + 13));
	jb_set(&b, "lot_code", jsonx_column_text(st, c + 14));
	jb_set(&b, "input_kg", kg(input_g));
	jb_set(&b, "observations", jsonx_column_text(st, c + 16));
	proc_inputs(&b, st, c + 17);
	settlement_outputs(&b, st, c + 18, input_g, &fig);
	jb_set(&b, "totals",
	    json_pack("{s:o, s:o, s:I, s:o}", "kilos", kg(fig.total_g), "pct",
	        centi(units_percent_centi(fig.total_g, input_g)),
	        "coffee_sacks", (json_int_t)fig.coffee_sacks, "coffee_kilos",
	        kg(fig.coffee_g)));
	jb_set(&b, "yield_pct", centi(fig.yield_pct));
	jb_set(&b, "export",
	    json_pack("{s:o, s:I, s:o, s:o}", "kilos", kg(fig.export_g),
	        "sacks", (json_int_t)fig.export_sacks, "qq",
	        centi(units_qq_centi(fig.export_g, UNITS_QQ_ORO_G)), "pct",
	        centi(fig.yield_pct)));
	jb_set(&b, "exits",
	    json_pack("{s:I, s:o}", "sacks", (json_int_t)exit_sacks, "kilos",
	        kg(exit_g)));
	jb_set(&b, "available",
	    json_pack("{s:I, s:o}", "sacks",
	        (json_int_t)(fig.export_sacks - exit_sacks), "kilos",
	        kg(fig.export_g - exit_g)));
	jb_set(&b, "marking_order", settlement_marking(st, c + 19));
	jb_parties(&b, st);
	return jb_done(&b);
}

/* ---- exit guides ---- */

/* clang-format off */
#define EXIT_COLUMNS							       \
	PROC_HEAD ", d.status, d.programs, " PROC_ORG_COLUMNS("c") ","	       \
	" s.id, s.number, s.series, s.issued_on, s.lot_code, d.destination,"   \
	" d.destination_address, d.carrier_name, d.carrier_doc,"	       \
	" d.carrier_plate, d.carrier_licence, d.carrier_brand, d.carrier_mtc," \
	" d.lot_code, d.product_description, d.sacks, d.gross_g, d.tare_g,"    \
	" d.net_g, d.observations, s.contract, m.ico_mark, m.organic_lot"
/* clang-format on */

#define EXIT_FROM                                                              \
	" FROM plant_exits d" PROC_HEAD_JOINS                                  \
	" JOIN organizations c ON c.id = d.client_org_id"                      \
	" JOIN process_settlements s ON s.id = d.process_settlement_id"        \
	" LEFT JOIN marking_orders m"                                          \
	" ON m.process_order_id = s.process_order_id"                          \
	"  AND m.annulled_at IS NULL"

/*
 * The carrier's guide (guía de remisión - transportista) printed from the
 * exit guide: the client's coffee from the plant to the destination.
 */
static json_t *
exit_carrier_guide(json_t *doc, sqlite3_stmt *st, int c)
{
	json_t *plant = json_object_get(doc, "organization");
	json_t *client = json_object_get(doc, "client");
	struct jb b;

	jb_init(&b);
	jb_set(&b, "title", json_string("Guía de remisión - transportista"));
	jb_set(&b, "issued_on", jsonx_column_text(st, H_ISSUED));
	jb_set(&b, "transfer_on", jsonx_column_text(st, H_ISSUED));
	jb_set(&b, "departure_address",
	    json_incref(json_object_get(plant, "address")));
	jb_set(&b, "arrival_address", jsonx_column_text(st, c + 13));
	jb_set(&b, "sender",
	    json_pack("{s:O, s:O}", "name", json_object_get(client, "name"),
	        "ruc", json_object_get(client, "ruc")));
	jb_set(&b, "recipient",
	    json_pack("{s:o}", "name", jsonx_column_text(st, c + 12)));
	jb_set(&b, "items",
	    json_pack("[{s:o, s:o, s:I, s:o, s:s}]", "code",
	        jsonx_column_text(st, c + 20), "description",
	        jsonx_column_text(st, c + 21), "quantity",
	        (json_int_t)sqlite3_column_int64(st, c + 22), "weight_kg",
	        col_kg(st, c + 25), "unit", "kg"));
	jb_set(&b, "vehicle",
	    json_pack("{s:o, s:o, s:o}", "plate", jsonx_column_text(st, c + 16),
	        "brand", jsonx_column_text(st, c + 18), "mtc",
	        jsonx_column_text(st, c + 19)));
	jb_set(&b, "driver",
	    json_pack("{s:o, s:o}", "name", jsonx_column_text(st, c + 14),
	        "licence", jsonx_column_text(st, c + 17)));
	jb_set(&b, "carrier",
	    json_pack("{s:o, s:o}", "name", jsonx_column_text(st, c + 14),
	        "doc", jsonx_column_text(st, c + 15)));
	return jb_done(&b);
}

static json_t *
exit_row(sqlite3_stmt *st)
{
	int c = PROC_HEAD_N;
	json_t *lop;
	struct jb b;

	jb_init(&b);
	proc_head(&b, st, false);
	proc_certification(&b, st, c);
	jb_set(&b, "client", proc_org(st, c + 2));
	lop = proc_ref(st, c + 7, c + 8, c + 9);
	if (json_object_set_new(
	        lop, "issued_on", jsonx_column_text(st, c + 10)) != 0 ||
	    json_object_set_new(
	        lop, "lot_code", jsonx_column_text(st, c + 11)) != 0)
		b.failed = true;
	jb_set(&b, "process_settlement", lop);
	jb_set(&b, "destination", jsonx_column_text(st, c + 12));
	jb_set(&b, "destination_address", jsonx_column_text(st, c + 13));
	jb_set(&b, "carrier",
	    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "name",
	        jsonx_column_text(st, c + 14), "doc",
	        jsonx_column_text(st, c + 15), "plate",
	        jsonx_column_text(st, c + 16), "licence",
	        jsonx_column_text(st, c + 17), "brand",
	        jsonx_column_text(st, c + 18), "mtc",
	        jsonx_column_text(st, c + 19)));
	jb_set(&b, "lot_code", jsonx_column_text(st, c + 20));
	jb_set(&b, "product_description", jsonx_column_text(st, c + 21));
	jb_set(&b, "sacks", col_int(st, c + 22));
	jb_set(&b, "gross_kg", col_kg(st, c + 23));
	jb_set(&b, "tare_kg", col_kg(st, c + 24));
	jb_set(&b, "net_kg", col_kg(st, c + 25));
	jb_set(&b, "qq",
	    centi(units_qq_centi(
	        sqlite3_column_int64(st, c + 25), UNITS_QQ_ORO_G)));
	jb_set(&b, "observations", jsonx_column_text(st, c + 26));
	jb_set(&b, "contract", jsonx_column_text(st, c + 27));
	jb_set(&b, "ico_mark", jsonx_column_text(st, c + 28));
	jb_set(&b, "organic_lot", jsonx_column_text(st, c + 29));
	jb_parties(&b, st);
	jb_set(&b, "carrier_guide", exit_carrier_guide(b.o, st, c));
	return jb_done(&b);
}

/* ---- one document, and lists ---- */

/*
 * ?2 from, ?3 to, ?4 status, ?5 annulled, ?6 number, ?7 client, ?8 plant,
 * ?9 process order, ?10 LOP, ?11 cursor, ?12 limit, ?13 newest first.  A
 * filter that does not apply to a document compares its parameter with
 * itself.
 */
#define PROC_FILTERS(status, client, plant, order, lop, page)                  \
	" AND (?2 IS NULL OR d.issued_on >= ?2)"                               \
	" AND (?3 IS NULL OR d.issued_on <= ?3)"                               \
	" AND (?4 IS NULL OR " status " = ?4)"                                 \
	" AND (?5 < 0 OR (d.annulled_at IS NOT NULL) = ?5)"                    \
	" AND (?6 = 0 OR d.number = ?6)"                                       \
	" AND (?7 = 0 OR " client " = ?7)"                                     \
	" AND (?8 = 0 OR " plant " = ?8)"                                      \
	" AND (?9 = 0 OR " order " = ?9)"                                      \
	" AND (?10 = 0 OR " lop " = ?10)" page

/* clang-format off */
static const char order_get_sql[] = "SELECT " ORDER_COLUMNS ORDER_FROM
    " WHERE" ORDER_SCOPE " AND d.id = ?2";
static const char marking_get_sql[] = "SELECT " MARKING_COLUMNS MARKING_FROM
    " WHERE" MARKING_SCOPE " AND d.id = ?2";
static const char settlement_get_sql[] = "SELECT " SETTLEMENT_COLUMNS
    SETTLEMENT_FROM " WHERE" CLIENT_SCOPE " AND d.id = ?2";
static const char exit_get_sql[] = "SELECT " EXIT_COLUMNS EXIT_FROM
    " WHERE" CLIENT_SCOPE " AND d.id = ?2";
#define PROC_ASC STORE_PAGE_ASC("?11", "?12", "?13")
#define PROC_DESC STORE_PAGE_DESC("?11", "?12", "?13")
#define ORDER_LIST(page, dir) STORE_LIST(ORDER_COLUMNS, ORDER_FROM, \
    ORDER_SCOPE PROC_FILTERS("d.status", "d.organization_id", \
    "d.plant_org_id", "d.id", "?10", page), dir)
#define MARKING_LIST(page, dir) STORE_LIST(MARKING_COLUMNS, MARKING_FROM, \
    MARKING_SCOPE PROC_FILTERS("po.status", "d.organization_id", \
    "po.plant_org_id", "d.process_order_id", "?10", page), dir)
#define SETTLEMENT_LIST(page, dir) STORE_LIST(SETTLEMENT_COLUMNS, \
    SETTLEMENT_FROM, CLIENT_SCOPE PROC_FILTERS("d.status", \
    "d.client_org_id", "d.organization_id", "d.process_order_id", "d.id", \
    page), dir)
#define EXIT_LIST(page, dir) STORE_LIST(EXIT_COLUMNS, EXIT_FROM, \
    CLIENT_SCOPE PROC_FILTERS("d.status", "d.client_org_id", \
    "d.organization_id", "s.process_order_id", \
    "d.process_settlement_id", page), dir)
static const char order_list_sql[] = ORDER_LIST(PROC_ASC, "");
static const char marking_list_sql[] = MARKING_LIST(PROC_ASC, "");
static const char settlement_list_sql[] = SETTLEMENT_LIST(PROC_ASC, "");
static const char exit_list_sql[] = EXIT_LIST(PROC_ASC, "");
static const char order_list_desc_sql[] = ORDER_LIST(PROC_DESC, " DESC");
static const char marking_list_desc_sql[] = MARKING_LIST(PROC_DESC, " DESC");
static const char settlement_list_desc_sql[] =
    SETTLEMENT_LIST(PROC_DESC, " DESC");
static const char exit_list_desc_sql[] = EXIT_LIST(PROC_DESC, " DESC");
/* clang-format on */

static const char *const proc_get_sql[PROCESS_DOC_COUNT] = {
	order_get_sql,
	marking_get_sql,
	settlement_get_sql,
	exit_get_sql,
};
static const char *const proc_list_sql[2][PROCESS_DOC_COUNT] = {
	{ order_list_sql, marking_list_sql, settlement_list_sql,
	    exit_list_sql },
	{ order_list_desc_sql, marking_list_desc_sql, settlement_list_desc_sql,
	    exit_list_desc_sql },
};
static const store_row_fn proc_row_fn[PROCESS_DOC_COUNT] = {
	order_row,
	marking_row,
	settlement_row,
	exit_row,
};

enum err
process_store_get_json(struct db *db, enum process_doc doc, int64_t viewer_id,
    int64_t id, json_t **out)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	*out = NULL;
	if (doc >= PROCESS_DOC_COUNT)
		return ERR_INTERNAL;
	rc = db_prepare(db, proc_get_sql[doc], &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, id)) {
		db_release(st);
		return db_fail(db, "process_store_get_json: bind");
	}
	return store_one(db, st, proc_row_fn[doc], out);
}

enum err
process_store_list_json(struct db *db, enum process_doc doc, int64_t viewer_id,
    const struct process_filter *f, int64_t after, int64_t limit,
    json_t **items, int64_t *next)
{
	sqlite3_stmt *st = NULL;
	enum err rc;

	*items = NULL;
	*next = 0;
	if (doc >= PROCESS_DOC_COUNT)
		return ERR_INTERNAL;
	rc = db_prepare(db, proc_list_sql[f->newest_first ? 1 : 0][doc], &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    db_bind_text(st, 2, f->from) || db_bind_text(st, 3, f->to) ||
	    db_bind_text(st, 4, f->status) ||
	    sqlite3_bind_int(st, 5, f->annulled) ||
	    sqlite3_bind_int64(st, 6, f->number) ||
	    sqlite3_bind_int64(st, 7, f->client_org_id) ||
	    sqlite3_bind_int64(st, 8, f->plant_org_id) ||
	    sqlite3_bind_int64(st, 9, f->process_order_id) ||
	    sqlite3_bind_int64(st, 10, f->process_settlement_id) ||
	    sqlite3_bind_int64(st, 11, after) ||
	    sqlite3_bind_int64(st, 12, limit + 1) ||
	    sqlite3_bind_int(st, 13, f->newest_first ? 1 : 0)) {
		db_release(st);
		return db_fail(db, "process_store_list_json: bind");
	}
	return store_page(db, st, limit, proc_row_fn[doc], items, next);
}

/* ---- kárdex of export coffee ---- */

/*
 * Movements in: each live LOP's export output; out: each live exit
 * guide.  Ordered per client by date, LOPs before exits on the same day.
 */
static const char kardex_sql[] =
    "SELECT k.kind, k.issued_on, k.id, k.number, k.series, k.client_id,"
    " c.name, c.ruc, c.address, s.id, s.number, s.series, s.issued_on,"
    " s.lot_code, s.characteristics, s.contract, k.kilos_g, k.sacks,"
    " k.destination, m.organic_lot, m.ico_mark, p.id, p.name"
    " FROM ("
    "  SELECT 0 AS kind, d.issued_on, d.id, d.number, d.series,"
    "  d.client_org_id AS client_id, d.id AS lop_id,"
    "  (SELECT x.kilos_g FROM process_settlement_outputs x"
    "   WHERE x.process_settlement_id = d.id AND x.category = 'export')"
    "   AS kilos_g, NULL AS sacks, NULL AS destination"
    "  FROM process_settlements d WHERE d.annulled_at IS NULL"
    "  AND" CLIENT_SCOPE " AND (?2 = 0 OR d.client_org_id = ?2)"
    "  UNION ALL"
    "  SELECT 1, d.issued_on, d.id, d.number, d.series, d.client_org_id,"
    "  d.process_settlement_id, d.net_g, d.sacks, d.destination"
    "  FROM plant_exits d WHERE d.annulled_at IS NULL"
    "  AND" CLIENT_SCOPE " AND (?2 = 0 OR d.client_org_id = ?2)"
    " ) k"
    " JOIN process_settlements s ON s.id = k.lop_id"
    " JOIN organizations c ON c.id = k.client_id"
    " JOIN organizations p ON p.id = s.organization_id"
    " LEFT JOIN marking_orders m ON m.process_order_id = s.process_order_id"
    "  AND m.annulled_at IS NULL"
    " ORDER BY k.client_id, k.issued_on, k.kind, k.id LIMIT ?3";

enum {
	K_KIND,
	K_ISSUED,
	K_ID,
	K_NUMBER,
	K_SERIES,
	K_CLIENT,
	K_CLIENT_NAME,
	K_CLIENT_RUC,
	K_CLIENT_ADDRESS,
	K_LOP_ID,
	K_LOP_NUMBER,
	K_LOP_SERIES,
	K_LOP_ISSUED,
	K_LOT_CODE,
	K_CHARACTERISTICS,
	K_CONTRACT,
	K_KILOS,
	K_SACKS,
	K_DESTINATION,
	K_ORGANIC_LOT,
	K_ICO_MARK,
	K_PLANT_ID,
	K_PLANT_NAME
};

/* One client's running totals. */
struct kardex_client {
	json_t *rows; /* borrowed from the client object */
	int64_t in_g, out_g, in_sacks, out_sacks;
};

static json_t *
kardex_totals(const struct kardex_client *k)
{
	return json_pack("{s:o, s:o, s:o, s:I, s:I, s:I}", "in_kg", kg(k->in_g),
	    "out_kg", kg(k->out_g), "balance_kg", kg(k->in_g - k->out_g),
	    "in_sacks", (json_int_t)k->in_sacks, "out_sacks",
	    (json_int_t)k->out_sacks, "balance_sacks",
	    (json_int_t)(k->in_sacks - k->out_sacks));
}

/* A movement; updates the running balance of k. */
static json_t *
kardex_row(sqlite3_stmt *st, struct kardex_client *k)
{
	bool in = sqlite3_column_int(st, K_KIND) == 0;
	int64_t g = sqlite3_column_int64(st, K_KILOS), sacks, rest;
	struct jb b;

	if (in) {
		units_sacks_split(g, UNITS_SACK_EXPORT_G, &sacks, &rest);
		k->in_g += g;
		k->in_sacks += sacks;
	} else {
		sacks = sqlite3_column_int64(st, K_SACKS);
		k->out_g += g;
		k->out_sacks += sacks;
	}
	jb_init(&b);
	jb_set(&b, "movement", json_string(in ? "in" : "out"));
	jb_set(&b, "date", jsonx_column_text(st, K_ISSUED));
	jb_set(&b, "plant",
	    json_pack("{s:I, s:o}", "id",
	        (json_int_t)sqlite3_column_int64(st, K_PLANT_ID), "name",
	        jsonx_column_text(st, K_PLANT_NAME)));
	jb_set(&b, "process_settlement",
	    proc_ref(st, K_LOP_ID, K_LOP_NUMBER, K_LOP_SERIES));
	jb_set(&b, "lot_code", jsonx_column_text(st, K_LOT_CODE));
	jb_set(&b, "characteristics", jsonx_column_text(st, K_CHARACTERISTICS));
	jb_set(&b, "contract", jsonx_column_text(st, K_CONTRACT));
	jb_set(&b, "organic_lot", jsonx_column_text(st, K_ORGANIC_LOT));
	jb_set(&b, "ico_mark", jsonx_column_text(st, K_ICO_MARK));
	jb_set(&b, "kilos", kg(g));
	jb_set(&b, "qq", centi(units_qq_centi(g, UNITS_QQ_ORO_G)));
	jb_set(&b, "sacks", json_integer(sacks));
	jb_set(&b, "exit",
	    in ? json_null()
	       : json_pack("{s:o, s:o}", "destination",
	             jsonx_column_text(st, K_DESTINATION), "guide",
	             proc_ref(st, K_ID, K_NUMBER, K_SERIES)));
	jb_set(&b, "balance_kg", kg(k->in_g - k->out_g));
	jb_set(&b, "balance_sacks", json_integer(k->in_sacks - k->out_sacks));
	return jb_done(&b);
}

/* Start the next client's section in clients; its rows go to k->rows. */
static enum err
kardex_client_start(json_t *clients, sqlite3_stmt *st, struct kardex_client *k)
{
	json_t *c;

	memset(k, 0, sizeof(*k));
	k->rows = json_array();
	c = json_pack("{s:{s:I, s:o, s:o, s:o}, s:o}", "client", "id",
	    (json_int_t)sqlite3_column_int64(st, K_CLIENT), "name",
	    jsonx_column_text(st, K_CLIENT_NAME), "ruc",
	    jsonx_column_text(st, K_CLIENT_RUC), "address",
	    jsonx_column_text(st, K_CLIENT_ADDRESS), "rows", k->rows);
	if (c == NULL || json_array_append_new(clients, c) != 0)
		return ERR_NOMEM;
	return ERR_OK;
}

static enum err
kardex_client_end(json_t *clients, struct kardex_client *k)
{
	json_t *last = json_array_get(clients, json_array_size(clients) - 1);

	if (last == NULL)
		return ERR_OK;
	if (json_object_set_new(last, "totals", kardex_totals(k)) != 0)
		return ERR_NOMEM;
	return ERR_OK;
}

enum err
process_store_kardex_json(
    struct db *db, int64_t viewer_id, int64_t client_org_id, json_t **out)
{
	struct kardex_client k = { 0 };
	json_t *clients = json_array(), *row;
	int64_t client = 0, count = 0;
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step = SQLITE_DONE;

	*out = NULL;
	if (clients == NULL)
		return ERR_NOMEM;
	rc = db_prepare(db, kardex_sql, &st);
	if (rc != ERR_OK) {
		json_decref(clients);
		return rc;
	}
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, client_org_id) ||
	    sqlite3_bind_int64(st, 3, PROCESS_KARDEX_ROWS_MAX + 1)) {
		db_release(st);
		json_decref(clients);
		return db_fail(db, "process_store_kardex_json: bind");
	}
	while (rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (++count > PROCESS_KARDEX_ROWS_MAX) {
			rc = ERR_TOO_LARGE;
			break;
		}
		if (sqlite3_column_int64(st, K_CLIENT) != client) {
			rc = kardex_client_end(clients, &k);
			if (rc == ERR_OK)
				rc = kardex_client_start(clients, st, &k);
			client = sqlite3_column_int64(st, K_CLIENT);
		}
		row = rc == ERR_OK ? kardex_row(st, &k) : NULL;
		if (rc == ERR_OK &&
		    (row == NULL || json_array_append_new(k.rows, row) != 0))
			rc = ERR_NOMEM;
	}
	if (rc == ERR_OK && step != SQLITE_DONE)
		rc = db_fail(db, "process_store_kardex_json");
	db_release(st);
	if (rc == ERR_OK)
		rc = kardex_client_end(clients, &k);
	if (rc == ERR_OK) {
		*out = json_pack("{s:o}", "clients", clients);
		return *out != NULL ? ERR_OK : ERR_NOMEM;
	}
	json_decref(clients);
	return rc;
}
