/*
 * Reading the paths of coffee for the trace: one query per starting kind
 * returns the paths through the document, each a delivery followed
 * forward through its note, guía, plant receipt, process order(s), LOP
 * and export lot(s) with the weights the allocation needs.  Downstream
 * of the guía, SQLite walks back from the document to its deliveries;
 * upstream of it, the few receptions come first (the "src" set).  The
 * documents a path visits come back as JSON nodes built by SQLite
 * (json_object), fetched once per document.  Scoping: the starting
 * document through user_scope (issuer or counterpart); each path through
 * the cooperative or the guía's plant; export lots only within the
 * exporter's scope (see trace.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/jsonx.h"
#include "pergamino/sql_json.h"
#include "pergamino/stores.h"
#include "pergamino/trace.h"

/* clang-format off */
#define TS_SCOPE " IN (SELECT organization_id FROM user_scope WHERE user_id"   \
	" = ?1)"

/* ---- nodes ---- */

#define TS_NODE_RECEPTION "json_object('id', r.id, 'number', r.number,"        \
	" 'number_text', " SQLJ_NUMBER_TEXT("r") ", 'issued_on', r.issued_on,"           \
	" 'campaign', r.campaign, 'sacks', r.sacks, 'gross_kg', " SQLJ_DEC3(       \
	"r.gross_g") ", 'net_kg', " SQLJ_DEC3("r.net_g") ", 'qq',"                 \
	" printf('%d.%02d', r.qq_centi / 100, r.qq_centi % 100),"              \
	" 'delivery_code', r.delivery_code, 'status', r.status, 'humidity',"   \
	" printf('%d.%d', r.humidity / 10, r.humidity % 10), 'yield_pct',"     \
	" printf('%d.%02d', r.exportable_pct / 100, r.exportable_pct %"        \
	" 100), 'producer_id', r.producer_id, 'plot_id', r.plot_id,"           \
	" 'organization_id', r.organization_id)"

#define TS_NODE_NOTE "CASE WHEN n.id IS NULL THEN NULL ELSE"                   \
	" json_object('id', n.id, 'number', n.number, 'number_text', "         \
	SQLJ_NUMBER_TEXT("n") ", 'issued_on', n.issued_on, 'price_per_qq',"              \
	" printf('%d.%02d', n.price_centimos / 100, n.price_centimos %"        \
	" 100), 'total', printf('%d.%02d', n.total_centimos / 100,"            \
	" n.total_centimos % 100), 'certification_program',"                   \
	" n.certification_program, 'certifier', n.certifier) END"

#define TS_NODE_SETTLEMENT "CASE WHEN s.id IS NULL THEN NULL ELSE"             \
	" json_object('id', s.id, 'number', s.number, 'number_text', "         \
	SQLJ_NUMBER_TEXT("s") ", 'issued_on', s.issued_on, 'quality', s.quality,"        \
	" 'qq', printf('%d.%02d', s.qq_centi / 100, s.qq_centi % 100),"        \
	" 'net_kg', " SQLJ_DEC3("s.net_g") ", 'total', printf('%d.%02d',"          \
	" s.total_centimos / 100, s.total_centimos % 100)) END"

#define TS_NODE_PRODUCER "json_object('id', p.id, 'dni', p.dni,"               \
	" 'first_names', p.first_names, 'last_names', p.last_names,"           \
	" 'full_name', p.first_names || ' ' || p.last_names, 'caserio',"       \
	" p.caserio, 'district', p.district, 'province', p.province,"          \
	" 'region', p.region, 'status', p.status, 'organization_id',"          \
	" p.organization_id)"

#define TS_NODE_PLOT "CASE WHEN pl.id IS NULL THEN NULL ELSE"                  \
	" json_object('id', pl.id, 'name', pl.name, 'area_ha',"                \
	" printf('%d.%04d', pl.area_m2 / 10000, pl.area_m2 % 10000),"          \
	" 'area_m2', pl.area_m2, 'altitude_m', pl.altitude_m, 'location',"     \
	" json(pl.geometry)) END"

/*
 * Where the deliveries come from when the trace starts upstream of the
 * guía (?2: id): the receptions themselves, few and found by key.
 */
#define TS_SRC_NOTE " SELECT reception_id FROM warehouse_notes WHERE id = ?2"
#define TS_SRC_RECEPTION " SELECT ?2"
#define TS_SRC_PRODUCER " SELECT r.id FROM producers p JOIN receptions r ON"   \
	" r.organization_id = p.organization_id AND r.producer_id = p.id"      \
	" WHERE p.id = ?2"
#define TS_SRC_PLOT " SELECT r.id FROM plots pl JOIN receptions r ON"          \
	" r.organization_id = pl.organization_id AND r.producer_id ="          \
	" pl.producer_id WHERE pl.id = ?2 AND r.plot_id = pl.id"

/*
 * Each delivery forward.  ?1 viewer, ?2 the starting id, ?3 the starting
 * shipment (0: none).  Column order: enum ts_col.
 */
#define TS_COLS " SELECT r.id, r.campaign, r.net_g, r.producer_id,"            \
	" coalesce(r.plot_id, 0), coalesce(n.id, 0), coalesce(s.id, 0),"       \
	" coalesce(d.id, 0), coalesce(d.notes_g, 0), coalesce(pr.id, 0),"      \
	" coalesce(pr.net_g, 0), coalesce(po.id, 0), coalesce(i.kilos_g,"      \
	" 0), coalesce(po.input_g, 0), coalesce(ls.id, 0), coalesce((SELECT"   \
	" sum(o.kilos_g)  FROM process_settlement_outputs o  WHERE"            \
	" o.process_settlement_id = ls.id  AND o.category IN ('export',"       \
	" 'export_mc')), 0), coalesce(es.id, 0), coalesce(es.kilos_g, 0),"     \
	" coalesce(el.id, 0), coalesce(el.kilos_g, 0),"                        \
	" coalesce(el.organization_id" TS_SCOPE ", 0), coalesce((SELECT"       \
	" x.kilos_g FROM shipment_lots x  WHERE x.shipment_id = ?3 AND"        \
	" x.export_lot_id = el.id  AND x.live = 1), 0),"                       \
	" coalesce(es.category, ''), " TS_NODE_RECEPTION ", " TS_NODE_NOTE     \
	", " TS_NODE_SETTLEMENT ", " TS_NODE_PRODUCER ", " TS_NODE_PLOT

/*
 * The hops of a path, each joined by j: " JOIN" up to the starting
 * document (the path must pass there), " LEFT JOIN" past it (the path
 * may stop anywhere).  Inner joins first and outer joins last, so that
 * SQLite may start from the document and walk back to the deliveries
 * (it never moves a table across an outer join): a lot's query then
 * reads only the lot's own paths, not every path of every delivery
 * upstream of it.
 */
#define TS_HOP_NOTE(j) j " warehouse_notes n ON n.reception_id = r.id"        \
	" AND n.annulled_at IS NULL"
#define TS_HOP_DISPATCH(j) j " dispatch_notes dn ON dn.note_id = n.id"        \
	" AND dn.live = 1" j " dispatches d ON d.id = dn.dispatch_id"
#define TS_HOP_RECEIPT(j) j " plant_receipts pr ON pr.dispatch_id = d.id"     \
	" AND pr.annulled_at IS NULL"
#define TS_HOP_ORDER(j) j " process_order_inputs i ON i.plant_receipt_id ="   \
	" pr.id AND i.live = 1" j " process_orders po ON po.id ="              \
	" i.process_order_id"
#define TS_HOP_LOP(j) j " process_settlements ls ON ls.process_order_id ="    \
	" po.id AND ls.annulled_at IS NULL"
#define TS_HOP_LOT(j) j " export_lot_sources es ON es.process_settlement_id"  \
	" = ls.id AND es.live = 1" j " export_lots el ON el.id ="              \
	" es.export_lot_id"
#define TS_J " JOIN"
#define TS_L " LEFT JOIN"

/*
 * The query of a kind: its joins (from the deliveries, "r" and "p",
 * to the export lot) and the condition for a path to pass through the
 * starting document (trace_store_load() checks it again).  Each path is
 * shown when the viewer is in scope of the receiving cooperative or of
 * the guía's plant.  Ordered by guía, the guía's order of notes, date.
 */
#define TS_PATHS(from, through) TS_COLS " FROM " from " LEFT JOIN plots pl"  \
	" ON pl.organization_id = r.organization_id  AND pl.id = r.plot_id"    \
	" LEFT JOIN purchase_settlements s ON s.note_id = n.id  AND"           \
	" s.annulled_at IS NULL WHERE r.annulled_at IS NULL AND " through      \
	" AND (r.organization_id" TS_SCOPE " OR d.recipient_org_id" TS_SCOPE   \
	") ORDER BY coalesce(d.id, 0), coalesce(dn.position, 0),"              \
	" r.issued_on, r.id, po.id, es.id"

#define TS_DELIVERY " receptions r JOIN producers p ON p.organization_id ="    \
	" r.organization_id  AND p.id = r.producer_id"
#define TS_UPSTREAM "src JOIN" TS_DELIVERY " AND r.id = src.id"
/* clang-format on */

enum ts_col {
	C_RECEPTION,
	C_CAMPAIGN,
	C_NET,
	C_PRODUCER,
	C_PLOT,
	C_NOTE,
	C_SETTLEMENT,
	C_DISPATCH,
	C_NOTES_G,
	C_RECEIPT,
	C_RECEIPT_NET,
	C_ORDER,
	C_INPUT,
	C_ORDER_INPUT,
	C_LOP,
	C_EXPORTABLE,
	C_SOURCE,
	C_SOURCE_G,
	C_LOT,
	C_LOT_G,
	C_LOT_VISIBLE,
	C_SHIP_G,
	C_CATEGORY,
	C_J_RECEPTION,
	C_J_NOTE,
	C_J_SETTLEMENT,
	C_J_PRODUCER,
	C_J_PLOT
};

/* clang-format off */
static const char paths_lot[] = TS_PATHS(TS_DELIVERY TS_HOP_NOTE(TS_J)
    TS_HOP_DISPATCH(TS_J) TS_HOP_RECEIPT(TS_J) TS_HOP_ORDER(TS_J)
    TS_HOP_LOP(TS_J) TS_HOP_LOT(TS_J), "es.export_lot_id = ?2");
/* Lots in the exporter's scope only, as the path's lot columns. */
static const char paths_shipment[] = TS_PATHS(TS_DELIVERY TS_HOP_NOTE(TS_J)
    TS_HOP_DISPATCH(TS_J) TS_HOP_RECEIPT(TS_J) TS_HOP_ORDER(TS_J)
    TS_HOP_LOP(TS_J) TS_HOP_LOT(TS_J), "el.id IN (SELECT export_lot_id"
    " FROM shipment_lots WHERE shipment_id = ?2 AND live = 1) AND"
    " el.organization_id" TS_SCOPE);
static const char paths_lop[] = TS_PATHS(TS_DELIVERY TS_HOP_NOTE(TS_J)
    TS_HOP_DISPATCH(TS_J) TS_HOP_RECEIPT(TS_J) TS_HOP_ORDER(TS_J)
    TS_HOP_LOP(TS_J) TS_HOP_LOT(TS_L), "ls.id = ?2");
static const char paths_order[] = TS_PATHS(TS_DELIVERY TS_HOP_NOTE(TS_J)
    TS_HOP_DISPATCH(TS_J) TS_HOP_RECEIPT(TS_J) TS_HOP_ORDER(TS_J)
    TS_HOP_LOP(TS_L) TS_HOP_LOT(TS_L), "po.id = ?2");
static const char paths_receipt[] = TS_PATHS(TS_DELIVERY TS_HOP_NOTE(TS_J)
    TS_HOP_DISPATCH(TS_J) TS_HOP_RECEIPT(TS_J) TS_HOP_ORDER(TS_L)
    TS_HOP_LOP(TS_L) TS_HOP_LOT(TS_L), "pr.id = ?2");
static const char paths_dispatch[] = TS_PATHS(TS_DELIVERY TS_HOP_NOTE(TS_J)
    TS_HOP_DISPATCH(TS_J) TS_HOP_RECEIPT(TS_L) TS_HOP_ORDER(TS_L)
    TS_HOP_LOP(TS_L) TS_HOP_LOT(TS_L), "d.id = ?2");
/* Upstream of the guía: from the few receptions, every hop outer. */
#define TS_UP(src, through) "WITH src(id) AS (" src ")" TS_PATHS(           \
    TS_UPSTREAM TS_HOP_NOTE(TS_L) TS_HOP_DISPATCH(TS_L)                    \
    TS_HOP_RECEIPT(TS_L) TS_HOP_ORDER(TS_L) TS_HOP_LOP(TS_L)               \
    TS_HOP_LOT(TS_L), through)
static const char paths_note[] = TS_UP(TS_SRC_NOTE, "n.id = ?2");
static const char paths_reception[] = TS_UP(TS_SRC_RECEPTION, "r.id = ?2");
static const char paths_producer[] =
    TS_UP(TS_SRC_PRODUCER, "r.producer_id = ?2");
static const char paths_plot[] = TS_UP(TS_SRC_PLOT, "r.plot_id = ?2");

/*
 * Is the starting document in the viewer's sight (issuer or counterpart)?
 * ?1 viewer, ?2 id.
 */
static const char seen_lot[] = "SELECT 1 FROM export_lots"
    " WHERE id = ?2 AND organization_id" TS_SCOPE;
static const char seen_shipment[] = "SELECT 1 FROM shipments"
    " WHERE id = ?2 AND organization_id" TS_SCOPE;
static const char seen_lop[] = "SELECT 1 FROM process_settlements"
    " WHERE id = ?2 AND (organization_id" TS_SCOPE
    " OR client_org_id" TS_SCOPE ")";
static const char seen_order[] = "SELECT 1 FROM process_orders"
    " WHERE id = ?2 AND (organization_id" TS_SCOPE
    " OR plant_org_id" TS_SCOPE ")";
static const char seen_receipt[] = "SELECT 1 FROM plant_receipts"
    " WHERE id = ?2 AND (organization_id" TS_SCOPE
    " OR client_org_id" TS_SCOPE ")";
static const char seen_dispatch[] = "SELECT 1 FROM dispatches"
    " WHERE id = ?2 AND (organization_id" TS_SCOPE
    " OR recipient_org_id" TS_SCOPE ")";
static const char seen_note[] = "SELECT 1 FROM warehouse_notes"
    " WHERE id = ?2 AND organization_id" TS_SCOPE;
static const char seen_reception[] = "SELECT 1 FROM receptions"
    " WHERE id = ?2 AND organization_id" TS_SCOPE;
static const char seen_producer[] = "SELECT 1 FROM producers"
    " WHERE id = ?2 AND organization_id" TS_SCOPE;
static const char seen_plot[] = "SELECT 1 FROM plots"
    " WHERE id = ?2 AND organization_id" TS_SCOPE;
/* clang-format on */

/* ---- nodes fetched by id (?1) once the paths name them ---- */

/* clang-format off */
static const char node_dispatch[] = "SELECT json_object('id', d.id, 'number',"
    " d.number, 'number_text', " SQLJ_NUMBER_TEXT("d") ", 'issued_on', d.issued_on,"
    " 'transfer_on', d.transfer_on, 'lot_code', d.lot_code, 'description',"
    " d.description, 'status', d.status, 'programs', json(d.programs),"
    " 'sacks', d.sacks, 'declared_kg', " SQLJ_DEC3("d.declared_g") ","
    " 'notes_sacks', d.notes_sacks, 'notes_kg', " SQLJ_DEC3("d.notes_g")
    ", 'carrier_name', d.carrier_name, 'carrier_plate', d.carrier_plate,"
    " 'organization', json_object('id', o.id, 'name', o.name, 'ruc', o.ruc),"
    " 'recipient', json_object('id', ro.id, 'name', ro.name, 'ruc', ro.ruc))"
    " FROM dispatches d JOIN organizations o ON o.id = d.organization_id JOIN"
    " organizations ro ON ro.id = d.recipient_org_id WHERE d.id = ?1";

static const char node_receipt[] = "SELECT json_object('id', pr.id, 'number',"
    " pr.number, 'number_text', " SQLJ_NUMBER_TEXT("pr") ", 'issued_on', pr.issued_on,"
    " 'dispatch_id', pr.dispatch_id, 'product', pr.product, 'status',"
    " pr.status, 'programs', json(pr.programs), 'sacks', pr.sacks,"
    " 'gross_kg', " SQLJ_DEC3("pr.gross_g") ", 'tare_kg', " SQLJ_DEC3("pr.tare_g")
    ", 'net_kg', " SQLJ_DEC3("pr.net_g") ", 'humidity', CASE WHEN pr.humidity IS"
    " NULL THEN NULL ELSE printf('%d.%d', pr.humidity / 10, pr.humidity % 10)"
    " END, 'cup_score', CASE WHEN pr.cup_score IS NULL THEN NULL ELSE"
    " printf('%d.%02d', pr.cup_score / 100, pr.cup_score % 100) END, 'plant',"
    " json_object('id', o.id, 'name', o.name, 'ruc', o.ruc), 'client_org_id',"
    " pr.client_org_id, 'consumed', json((SELECT"
    " json_group_array(json_object('process_order_id', i.process_order_id,"
    " 'kg', " SQLJ_DEC3("i.kilos_g") ")) FROM process_order_inputs i WHERE"
    " i.plant_receipt_id = pr.id AND i.live = 1))) FROM plant_receipts pr"
    " JOIN organizations o ON o.id = pr.organization_id WHERE pr.id = ?1";

static const char node_order[] = "SELECT json_object('id', po.id, 'number',"
    " po.number, 'number_text', " SQLJ_NUMBER_TEXT("po") ", 'issued_on', po.issued_on,"
    " 'contract', po.contract, 'process_type', po.process_type, 'quality',"
    " po.quality, 'status', po.status, 'input_kg', " SQLJ_DEC3("po.input_g")
    ", 'plant_org_id', po.plant_org_id, 'organization_id',"
    " po.organization_id, 'inputs', json((SELECT"
    " json_group_array(json_object('plant_receipt_id', i.plant_receipt_id,"
    " 'kg', " SQLJ_DEC3("i.kilos_g") ")) FROM process_order_inputs i WHERE"
    " i.process_order_id = po.id AND i.live = 1))) FROM process_orders po"
    " WHERE po.id = ?1";

static const char node_lop[] = "SELECT json_object('id', ls.id, 'number',"
    " ls.number, 'number_text', " SQLJ_NUMBER_TEXT("ls") ", 'issued_on', ls.issued_on,"
    " 'process_order_id', ls.process_order_id, 'lot_code', ls.lot_code,"
    " 'contract', ls.contract, 'process_type', ls.process_type,"
    " 'characteristics', ls.characteristics, 'status', ls.status, 'programs',"
    " json(ls.programs), 'input_kg', " SQLJ_DEC3("ls.input_g") ", 'plant',"
    " json_object('id', o.id, 'name', o.name, 'ruc', o.ruc), 'client_org_id',"
    " ls.client_org_id, 'outputs', json((SELECT"
    " json_group_array(json_object('category', x.category, 'kg', " SQLJ_DEC3(
    "x.kilos_g") ")) FROM process_settlement_outputs x WHERE"
    " x.process_settlement_id = ls.id)), 'exportable_kg', " SQLJ_DEC3("(SELECT"
    " coalesce(sum(x.kilos_g), 0) FROM process_settlement_outputs x WHERE"
    " x.process_settlement_id = ls.id AND x.category IN ('export',"
    " 'export_mc'))") ", 'exits', json((SELECT"
    " json_group_array(json_object('id', e.id, 'number', e.number,"
    " 'number_text', " SQLJ_NUMBER_TEXT("e") ", 'issued_on', e.issued_on, 'lot_code',"
    " e.lot_code, 'destination', e.destination, 'carrier_name',"
    " e.carrier_name, 'carrier_plate', e.carrier_plate, 'sacks', e.sacks,"
    " 'gross_kg', " SQLJ_DEC3("e.gross_g") ", 'net_kg', " SQLJ_DEC3("e.net_g")
    ")) FROM plant_exits e WHERE e.process_settlement_id = ls.id AND"
    " e.annulled_at IS NULL))) FROM process_settlements ls JOIN organizations"
    " o ON o.id = ls.organization_id WHERE ls.id = ?1";

static const char
    node_lot[] =
        "SELECT json_object('id', el.id, 'number', el.number, 'number_text', " SQLJ_NUMBER_TEXT("el") ", 'issued_on', el.issued_on, 'organic_lot', el.organic_lot, 'ico_mark', el.ico_mark, 'contract', el.contract, 'buyer', el.buyer, 'preparation', el.preparation, 'defects', el.defects, 'cup_score', CASE WHEN el.cup_score IS NULL THEN NULL ELSE printf('%d.%02d', el.cup_score / 100, el.cup_score % 100) END, 'status', el.status, 'programs', json(el.programs), 'sacks', el.sacks, 'kg', " SQLJ_DEC3("el.kilos_g") ", 'net_per_sack_kg', " SQLJ_DEC3(
                                           "el.net_per_sack_g") ", 'marks', el.marks, 'organization', json_object('id', o.id, 'name', o.name, 'ruc', o.ruc), 'sources', json((SELECT json_group_array(json_object('process_settlement_id', x.process_settlement_id, 'category', x.category, 'kg', " SQLJ_DEC3(
                                                    "x.kilos_g") ")) FROM export_lot_sources x WHERE x.export_lot_id = el.id AND x.live = 1)), 'shipments', json((SELECT json_group_array(json_object('shipment_id', sl.shipment_id, 'sacks', sl.sacks, 'kg', " SQLJ_DEC3(
                                                             "sl.kilos_g") ")) FROM shipment_lots sl WHERE sl.export_lot_id = el.id AND sl.live = 1))) FROM export_lots el JOIN organizations o ON o.id = el.organization_id WHERE el.id = ?1";

static const char node_shipment[] = "SELECT json_object('id', sh.id,"
    " 'number', sh.number, 'number_text', " SQLJ_NUMBER_TEXT("sh") ", 'issued_on',"
    " sh.issued_on, 'shipped_on', sh.shipped_on, 'contract', sh.contract,"
    " 'buyer_name', sh.buyer_name, 'buyer_country', sh.buyer_country,"
    " 'invoice_number', sh.invoice_number, 'invoice_lot_ref',"
    " sh.invoice_lot_ref, 'bl_number', sh.bl_number, 'bl_lot_ref',"
    " sh.bl_lot_ref, 'vessel', sh.vessel, 'booking', sh.booking, 'container',"
    " sh.container, 'seal', sh.seal, 'port_loading', sh.port_loading,"
    " 'port_destination', sh.port_destination, 'quality', sh.quality,"
    " 'status', sh.status, 'sacks', sh.sacks, 'kg', " SQLJ_DEC3("sh.kilos_g")
    ", 'organization', json_object('id', o.id, 'name', o.name, 'ruc', o.ruc),"
    " 'lots', json((SELECT json_group_array(json_object('export_lot_id',"
    " sl.export_lot_id, 'sacks', sl.sacks, 'kg', " SQLJ_DEC3("sl.kilos_g")
    ")) FROM shipment_lots sl WHERE sl.shipment_id = sh.id AND sl.live = 1)))"
    " FROM shipments sh JOIN organizations o ON o.id = sh.organization_id"
    " WHERE sh.id = ?1";

/* tenancy: the id was proven in the viewer's scope by ts_seen (seen_*)
 * before ts_root reads it. */
/* Roots that are not on the paths themselves (?1 id). */
static const char node_producer[] = "SELECT " TS_NODE_PRODUCER " FROM"
    " producers p WHERE p.id = ?1";
/* tenancy: as node_producer. */
static const char node_plot[] = "SELECT " TS_NODE_PLOT ", pl.producer_id FROM"
    " plots pl WHERE pl.id = ?1";
/* clang-format on */

struct ts_kind_sql {
	const char *name;
	const char *paths;
	const char *seen;
};

/* clang-format off */
static const struct ts_kind_sql ts_kinds[TRACE_KIND_COUNT] = {
	[TRACE_EXPORT_LOT] = { "export-lots", paths_lot, seen_lot },
	[TRACE_SHIPMENT] = { "shipments", paths_shipment, seen_shipment },
	[TRACE_PROCESS_SETTLEMENT] =
	    { "process-settlements", paths_lop, seen_lop },
	[TRACE_PROCESS_ORDER] = { "process-orders", paths_order, seen_order },
	[TRACE_PLANT_RECEIPT] =
	    { "plant-receipts", paths_receipt, seen_receipt },
	[TRACE_DISPATCH] = { "dispatches", paths_dispatch, seen_dispatch },
	[TRACE_NOTE] = { "warehouse-notes", paths_note, seen_note },
	[TRACE_RECEPTION] = { "receptions", paths_reception, seen_reception },
	[TRACE_PRODUCER] = { "producers", paths_producer, seen_producer },
	[TRACE_PLOT] = { "plots", paths_plot, seen_plot },
};

static const char *const ts_node_sql[TN_COUNT] = {
	[TN_DISPATCH] = node_dispatch,
	[TN_RECEIPT] = node_receipt,
	[TN_ORDER] = node_order,
	[TN_LOP] = node_lop,
	[TN_LOT] = node_lot,
	[TN_SHIPMENT] = node_shipment,
};
/* clang-format on */

const char *
trace_kind_name(enum trace_kind kind)
{
	if ((unsigned)kind >= TRACE_KIND_COUNT)
		return NULL;
	return ts_kinds[kind].name;
}

bool
trace_kind_parse(const char *s, enum trace_kind *out)
{
	int k;

	for (k = 0; s != NULL && k < TRACE_KIND_COUNT; k++) {
		if (strcmp(s, ts_kinds[k].name) == 0) {
			*out = (enum trace_kind)k;
			return true;
		}
	}
	return false;
}

const char *
trace_store_seen_sql(enum trace_kind kind)
{
	return (unsigned)kind < TRACE_KIND_COUNT ? ts_kinds[kind].seen : NULL;
}

const char *
trace_store_paths_sql(enum trace_kind kind)
{
	return (unsigned)kind < TRACE_KIND_COUNT ? ts_kinds[kind].paths : NULL;
}

const char *
trace_store_node_sql(enum trace_node k)
{
	return (unsigned)k < TN_COUNT ? ts_node_sql[k] : NULL;
}

void
trace_run_clear(struct trace_run *run)
{
	struct trace_nodes *set;
	size_t i, j;

	free(run->root);
	json_decref(run->root_json);
	for (i = 0; i < TN_COUNT; i++) {
		set = &run->nodes[i];
		for (j = 0; j < set->n; j++) {
			free(set->v[j].text);
			json_decref(set->v[j].json);
		}
		free(set->v);
		free(set->slot);
	}
	free(run->paths);
	memset(run, 0, sizeof(*run));
}

/* Where id's probe sequence starts in a table of nslot slots. */
static size_t
ts_slot_of(int64_t id, size_t nslot)
{
	return (size_t)(((uint64_t)id * UINT64_C(0x9E3779B97F4A7C15)) >> 32) &
	    (nslot - 1);
}

const struct trace_node_entry *
trace_run_entry(const struct trace_run *run, enum trace_node k, int64_t id)
{
	const struct trace_nodes *set;
	size_t i;

	if (id <= 0 || (unsigned)k >= TN_COUNT)
		return NULL;
	set = &run->nodes[k];
	if (set->nslot == 0)
		return NULL;
	for (i = ts_slot_of(id, set->nslot); set->slot[i] != 0;
	     i = (i + 1) & (set->nslot - 1))
		if (set->v[set->slot[i] - 1].id == id)
			return &set->v[set->slot[i] - 1];
	return NULL;
}

json_t *
trace_run_node(const struct trace_run *run, enum trace_node k, int64_t id)
{
	const struct trace_node_entry *e = trace_run_entry(run, k, id);

	return e != NULL ? e->json : NULL;
}

/* Room for one more entry in set, and an index at most half full. */
static enum err
ts_nodes_grow(struct trace_nodes *set)
{
	struct trace_node_entry *v;
	size_t nslot, *slot, i, j;

	if (set->n == set->cap) {
		set->cap = set->cap == 0 ? 16 : set->cap * 2;
		v = realloc(set->v, set->cap * sizeof(*v));
		if (v == NULL)
			return ERR_NOMEM;
		set->v = v;
	}
	if (2 * (set->n + 1) <= set->nslot)
		return ERR_OK;
	nslot = set->nslot == 0 ? 32 : set->nslot * 2;
	slot = calloc(nslot, sizeof(*slot));
	if (slot == NULL)
		return ERR_NOMEM;
	for (j = 0; j < set->n; j++) {
		for (i = ts_slot_of(set->v[j].id, nslot); slot[i] != 0;
		     i = (i + 1) & (nslot - 1))
			;
		slot[i] = j + 1;
	}
	free(set->slot);
	set->slot = slot;
	set->nslot = nslot;
	return ERR_OK;
}

/* A copy of n bytes of text, NUL-terminated. */
static char *
ts_strndup(const char *text, size_t n)
{
	char *copy = malloc(n + 1);

	if (copy != NULL) {
		memcpy(copy, text, n);
		copy[n] = '\0';
	}
	return copy;
}

/* Keep node (JSON text at column col of st) as kind k, id, if new. */
static enum err
ts_keep_text(struct trace_run *run, enum trace_node k, int64_t id,
    sqlite3_stmt *st, int col)
{
	struct trace_nodes *set = &run->nodes[k];
	struct trace_node_entry *e;
	const char *text;
	size_t len, i;

	if (id <= 0 || sqlite3_column_type(st, col) == SQLITE_NULL ||
	    trace_run_entry(run, k, id) != NULL)
		return ERR_OK;
	text = (const char *)sqlite3_column_text(st, col);
	len = (size_t)sqlite3_column_bytes(st, col);
	if (text == NULL || ts_nodes_grow(set) != ERR_OK)
		return ERR_NOMEM;
	e = &set->v[set->n];
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->len = len;
	e->text = ts_strndup(text, len);
	if (e->text == NULL)
		return ERR_NOMEM;
	/* A lot's shipments are read to fetch them (ts_fetch_nodes). */
	if (k == TN_LOT) {
		e->json = jsonx_loadb(text, len, 0, NULL);
		if (e->json == NULL) {
			free(e->text);
			return ERR_INTERNAL;
		}
	}
	for (i = ts_slot_of(id, set->nslot); set->slot[i] != 0;
	     i = (i + 1) & (set->nslot - 1))
		;
	set->slot[i] = ++set->n;
	return ERR_OK;
}

enum err
trace_run_parse(struct trace_run *run)
{
	struct trace_node_entry *e;
	size_t k, j;

	if (run->root != NULL && run->root_json == NULL) {
		run->root_json = jsonx_loadb(run->root, run->root_len, 0, NULL);
		if (run->root_json == NULL)
			return ERR_NOMEM; /* we wrote it: only memory fails */
	}
	for (k = 0; k < TN_COUNT; k++) {
		for (j = 0; j < run->nodes[k].n; j++) {
			e = &run->nodes[k].v[j];
			if (e->json != NULL)
				continue;
			e->json = jsonx_loadb(e->text, e->len, 0, NULL);
			if (e->json == NULL)
				return ERR_NOMEM;
		}
	}
	return ERR_OK;
}

/* Fetch node k of id (if not kept yet) with its node query. */
static enum err
ts_fetch(struct db *db, struct trace_run *run, enum trace_node k, int64_t id)
{
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	if (id <= 0 || trace_run_entry(run, k, id) != NULL)
		return ERR_OK;
	rc = db_prepare(db, ts_node_sql[k], &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, id)) {
		db_release(st);
		return db_fail(db, "ts_fetch: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		rc = ts_keep_text(run, k, id, st, 0);
	else if (step != SQLITE_DONE)
		rc = db_fail(db, "ts_fetch");
	db_release(st);
	return rc;
}

/*
 * Does path p go through the starting document?  The path query's
 * condition says the same; checked again so that no other path can
 * reach the allocation whatever the plan.
 */
static bool
ts_through(const struct trace_run *run, const struct trace_path *p)
{
	switch (run->kind) {
	case TRACE_EXPORT_LOT:
		return p->lot_id == run->id;
	case TRACE_SHIPMENT:
		return p->ship_g > 0;
	case TRACE_PROCESS_SETTLEMENT:
		return p->lop_id == run->id;
	case TRACE_PROCESS_ORDER:
		return p->order_id == run->id;
	case TRACE_PLANT_RECEIPT:
		return p->receipt_id == run->id;
	case TRACE_DISPATCH:
		return p->dispatch_id == run->id;
	case TRACE_NOTE:
		return p->note_id == run->id;
	case TRACE_RECEPTION:
		return p->reception_id == run->id;
	case TRACE_PRODUCER:
		return p->producer_id == run->id;
	case TRACE_PLOT:
		return p->plot_id == run->id;
	default:
		return false;
	}
}

static void
ts_path_read(sqlite3_stmt *st, struct trace_path *p)
{
	memset(p, 0, sizeof(*p));
	p->reception_id = sqlite3_column_int64(st, C_RECEPTION);
	p->campaign = sqlite3_column_int64(st, C_CAMPAIGN);
	p->net_g = sqlite3_column_int64(st, C_NET);
	p->producer_id = sqlite3_column_int64(st, C_PRODUCER);
	p->plot_id = sqlite3_column_int64(st, C_PLOT);
	p->note_id = sqlite3_column_int64(st, C_NOTE);
	p->settlement_id = sqlite3_column_int64(st, C_SETTLEMENT);
	p->dispatch_id = sqlite3_column_int64(st, C_DISPATCH);
	p->notes_g = sqlite3_column_int64(st, C_NOTES_G);
	p->receipt_id = sqlite3_column_int64(st, C_RECEIPT);
	p->receipt_net_g = sqlite3_column_int64(st, C_RECEIPT_NET);
	p->order_id = sqlite3_column_int64(st, C_ORDER);
	p->input_g = sqlite3_column_int64(st, C_INPUT);
	p->order_input_g = sqlite3_column_int64(st, C_ORDER_INPUT);
	p->lop_id = sqlite3_column_int64(st, C_LOP);
	p->exportable_g = sqlite3_column_int64(st, C_EXPORTABLE);
	if (sqlite3_column_int(st, C_LOT_VISIBLE) != 0) {
		p->source_id = sqlite3_column_int64(st, C_SOURCE);
		p->source_g = sqlite3_column_int64(st, C_SOURCE_G);
		p->lot_id = sqlite3_column_int64(st, C_LOT);
		p->lot_g = sqlite3_column_int64(st, C_LOT_G);
		p->ship_g = sqlite3_column_int64(st, C_SHIP_G);
		snprintf(p->category, sizeof(p->category), "%s",
		    db_column_text(st, C_CATEGORY));
	}
}

static enum err
ts_path_add(struct trace_run *run, const struct trace_path *p)
{
	struct trace_path *grown;
	size_t cap;

	if (run->n == run->cap) {
		cap = run->cap == 0 ? 64 : run->cap * 2;
		grown = realloc(run->paths, cap * sizeof(*grown));
		if (grown == NULL)
			return ERR_NOMEM;
		run->paths = grown;
		run->cap = cap;
	}
	run->paths[run->n++] = *p;
	return ERR_OK;
}

/* One path row: keep it if it goes through the start, and its nodes. */
static enum err
ts_row(struct trace_run *run, sqlite3_stmt *st)
{
	struct trace_path p;
	enum err rc;

	ts_path_read(st, &p);
	if (!ts_through(run, &p))
		return ERR_OK;
	rc = ts_path_add(run, &p);
	if (rc == ERR_OK)
		rc = ts_keep_text(
		    run, TN_RECEPTION, p.reception_id, st, C_J_RECEPTION);
	if (rc == ERR_OK)
		rc = ts_keep_text(run, TN_NOTE, p.note_id, st, C_J_NOTE);
	if (rc == ERR_OK)
		rc = ts_keep_text(
		    run, TN_SETTLEMENT, p.settlement_id, st, C_J_SETTLEMENT);
	if (rc == ERR_OK)
		rc = ts_keep_text(
		    run, TN_PRODUCER, p.producer_id, st, C_J_PRODUCER);
	if (rc == ERR_OK)
		rc = ts_keep_text(run, TN_PLOT, p.plot_id, st, C_J_PLOT);
	return rc;
}

/* Step the path query of run->kind. */
static enum err
ts_paths(struct db *db, int64_t viewer_id, struct trace_run *run)
{
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	rc = db_prepare(db, ts_kinds[run->kind].paths, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, run->id) ||
	    sqlite3_bind_int64(
	        st, 3, run->kind == TRACE_SHIPMENT ? run->id : 0)) {
		db_release(st);
		return db_fail(db, "ts_paths: bind");
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = ts_row(run, st);
		if (rc != ERR_OK)
			break;
	}
	if (rc == ERR_OK && step != SQLITE_DONE)
		rc = db_fail(db, "ts_paths");
	db_release(st);
	return rc;
}

/* The documents past the deliveries, once each. */
static enum err
ts_fetch_nodes(struct db *db, struct trace_run *run)
{
	const struct trace_path *p;
	json_t *lot, *sh;
	enum err rc = ERR_OK;
	size_t i, j;

	for (i = 0; rc == ERR_OK && i < run->n; i++) {
		p = &run->paths[i];
		rc = ts_fetch(db, run, TN_DISPATCH, p->dispatch_id);
		if (rc == ERR_OK)
			rc = ts_fetch(db, run, TN_RECEIPT, p->receipt_id);
		if (rc == ERR_OK)
			rc = ts_fetch(db, run, TN_ORDER, p->order_id);
		if (rc == ERR_OK)
			rc = ts_fetch(db, run, TN_LOP, p->lop_id);
		if (rc == ERR_OK &&
		    trace_run_entry(run, TN_LOT, p->lot_id) == NULL) {
			rc = ts_fetch(db, run, TN_LOT, p->lot_id);
			lot = trace_run_node(run, TN_LOT, p->lot_id);
			json_array_foreach(
			    json_object_get(lot, "shipments"), j, sh)
			{
				if (rc != ERR_OK)
					break;
				rc = ts_fetch(db, run, TN_SHIPMENT,
				    json_integer_value(
				        json_object_get(sh, "shipment_id")));
			}
		}
	}
	return rc;
}

/* Bind ?1 viewer ?2 id to a visibility query: does it return a row? */
static enum err
ts_seen(struct db *db, int64_t viewer_id, const char *sql, int64_t id)
{
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, id)) {
		db_release(st);
		return db_fail(db, "ts_seen: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		rc = ERR_OK;
	else if (step == SQLITE_DONE)
		rc = ERR_NOT_FOUND;
	else
		rc = db_fail(db, "ts_seen");
	db_release(st);
	return rc;
}

/* Make text (n bytes) the run's root. */
static enum err
ts_root_set(struct trace_run *run, const char *text, size_t n)
{
	run->root = ts_strndup(text, n);
	run->root_len = n;
	return run->root != NULL ? ERR_OK : ERR_NOMEM;
}

/* The node of a root that no path may carry (a producer, a plot). */
static enum err
ts_root_node(struct db *db, struct trace_run *run, const char *sql)
{
	sqlite3_stmt *st = NULL;
	const char *text;
	enum err rc;
	int step;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, run->id)) {
		db_release(st);
		return db_fail(db, "ts_root_node: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		text = (const char *)sqlite3_column_text(st, 0);
		rc = text != NULL ? ts_root_set(run, text,
		                        (size_t)sqlite3_column_bytes(st, 0))
		                  : ERR_NOMEM;
	} else {
		rc = step == SQLITE_DONE ? ERR_NOT_FOUND
		                         : db_fail(db, "ts_root_node");
	}
	db_release(st);
	return rc;
}

/* The starting document's node, once the paths are in. */
static enum err
ts_root(struct db *db, struct trace_run *run)
{
	static const enum trace_node tn[TRACE_KIND_COUNT] = {
		[TRACE_EXPORT_LOT] = TN_LOT,
		[TRACE_SHIPMENT] = TN_SHIPMENT,
		[TRACE_PROCESS_SETTLEMENT] = TN_LOP,
		[TRACE_PROCESS_ORDER] = TN_ORDER,
		[TRACE_PLANT_RECEIPT] = TN_RECEIPT,
		[TRACE_DISPATCH] = TN_DISPATCH,
		[TRACE_NOTE] = TN_NOTE,
		[TRACE_RECEPTION] = TN_RECEPTION,
	};
	const struct trace_node_entry *e;
	char bare[64];
	enum err rc;

	switch (run->kind) {
	case TRACE_PRODUCER:
		return ts_root_node(db, run, node_producer);
	case TRACE_PLOT:
		return ts_root_node(db, run, node_plot);
	case TRACE_NOTE:
	case TRACE_RECEPTION:
		break;
	default:
		rc = ts_fetch(db, run, tn[run->kind], run->id);
		if (rc != ERR_OK)
			return rc;
		break;
	}
	e = trace_run_entry(run, tn[run->kind], run->id);
	if (e != NULL)
		return ts_root_set(run, e->text, e->len);
	/* An annulled note or reception carries no path: a bare root. */
	return ts_root_set(run, bare,
	    (size_t)snprintf(bare, sizeof(bare),
	        "{\"id\":%lld,\"annulled\":true}", (long long)run->id));
}

enum err
trace_store_load(struct db *db, int64_t viewer_id, enum trace_kind kind,
    int64_t id, struct trace_run *run)
{
	enum err rc;

	memset(run, 0, sizeof(*run));
	if ((unsigned)kind >= TRACE_KIND_COUNT)
		return ERR_NOT_FOUND;
	run->kind = kind;
	run->id = id;
	rc = ts_seen(db, viewer_id, ts_kinds[kind].seen, id);
	if (rc == ERR_OK)
		rc = ts_paths(db, viewer_id, run);
	if (rc == ERR_OK)
		rc = ts_fetch_nodes(db, run);
	if (rc == ERR_OK)
		rc = ts_root(db, run);
	return rc;
}

enum err
trace_store_producer_by_dni(
    struct db *db, int64_t viewer_id, const char *dni, int64_t *id)
{
	static const char sql[] = "SELECT id FROM producers"
	                          " WHERE dni = ?2 AND organization_id" TS_SCOPE
	                          " ORDER BY id LIMIT 1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) || db_bind_text(st, 2, dni)) {
		db_release(st);
		return db_fail(db, "trace_store_producer_by_dni: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		rc = db_fail(db, "trace_store_producer_by_dni");
	db_release(st);
	return rc;
}

/*
 * The trace explorer's search: ?1 viewer, ?2 the text, ?3 the text as a
 * number (-1 if it is not one), ?4 the text folded (STORE_FOLD) to find
 * in names (NULL: no name search), ?5 limit.  Live documents only.
 */
/* clang-format off */
static const char search_sql[] = "SELECT kind, id, label, date FROM ( SELECT"
    " 'export-lots' AS kind, el.id AS id, 'Lote de exportación ' || "
    " el.organic_lot || ' · ICO ' || el.ico_mark || CASE WHEN el.contract  <>"
    " '' THEN ' · contrato ' || el.contract ELSE '' END AS label, "
    " el.issued_on AS date, 1 AS rank FROM export_lots el  WHERE"
    " el.organization_id" TS_SCOPE " AND el.annulled_at IS NULL  AND"
    " (el.organic_lot = ?2 OR el.ico_mark = ?2 OR el.contract = ?2  OR"
    " el.number = ?3) UNION ALL SELECT 'shipments', sh.id, 'Embarque ' || "
    SQLJ_NUMBER_TEXT("sh") " ||  ' · factura ' || sh.invoice_number || ' · BL ' ||"
    " sh.bl_number,  coalesce(sh.shipped_on, sh.issued_on), 2 FROM shipments"
    " sh  WHERE sh.organization_id" TS_SCOPE " AND sh.annulled_at IS NULL "
    " AND (sh.invoice_number = ?2 OR sh.bl_number = ?2 OR sh.contract = ?2 "
    " OR sh.container = ?2 OR sh.booking = ?2 OR sh.number = ?3) UNION ALL"
    " SELECT 'producers', p.id, p.first_names || ' ' || p.last_names ||  ' ·"
    " DNI ' || p.dni, NULL, 3 FROM producers p  WHERE p.organization_id"
    TS_SCOPE " AND (p.dni = ?2 OR (?4 IS NOT NULL AND instr(" STORE_FOLD(
    "p.first_names || ' ' || p.last_names") ", ?4) > 0)) UNION ALL SELECT"
    " 'process-settlements', ls.id, 'LOP ' || " SQLJ_NUMBER_TEXT("ls") " ||  ' · lote '"
    " || ls.lot_code, ls.issued_on, 4  FROM process_settlements ls WHERE"
    " (ls.organization_id" TS_SCOPE "  OR ls.client_org_id" TS_SCOPE
    ") AND ls.annulled_at IS NULL  AND (ls.number = ?3 OR ls.lot_code = ?2 OR"
    " ls.contract = ?2) UNION ALL SELECT 'process-settlements',"
    " e.process_settlement_id,  'Guía de salida ' || " SQLJ_NUMBER_TEXT("e") " || ' ·"
    " lote ' || e.lot_code,  e.issued_on, 5 FROM plant_exits e WHERE"
    " (e.organization_id" TS_SCOPE "  OR e.client_org_id" TS_SCOPE ") AND"
    " e.annulled_at IS NULL  AND (e.number = ?3 OR e.lot_code = ?2) UNION ALL"
    " SELECT 'process-orders', po.id, 'Orden de proceso ' || " SQLJ_NUMBER_TEXT(
    "po") " || CASE WHEN po.contract <> '' THEN ' · contrato ' || "
    " po.contract ELSE '' END, po.issued_on, 6 FROM process_orders po  WHERE"
    " (po.organization_id" TS_SCOPE " OR po.plant_org_id" TS_SCOPE "  ) AND"
    " po.annulled_at IS NULL AND (po.number = ?3 OR po.contract = ?2) UNION"
    " ALL SELECT 'plant-receipts', pr.id, 'Guía de ingreso ' || " SQLJ_NUMBER_TEXT(
    "pr") ", pr.issued_on, 7 FROM plant_receipts pr  WHERE (pr.organization_id"
    TS_SCOPE " OR pr.client_org_id" TS_SCOPE "  ) AND pr.annulled_at IS NULL"
    " AND pr.number = ?3 UNION ALL SELECT 'dispatches', d.id, 'Guía de"
    " remisión ' || " SQLJ_NUMBER_TEXT("d") " ||  ' · lote ' || d.lot_code,"
    " d.issued_on, 8 FROM dispatches d  WHERE (d.organization_id" TS_SCOPE
    " OR d.recipient_org_id" TS_SCOPE "  ) AND d.annulled_at IS NULL AND"
    " (d.number = ?3 OR d.lot_code = ?2) UNION ALL SELECT 'warehouse-notes',"
    " n.id, 'Nota de ingreso ' || " SQLJ_NUMBER_TEXT("n") ", n.issued_on, 9 FROM"
    " warehouse_notes n WHERE n.organization_id" TS_SCOPE " AND n.annulled_at"
    " IS NULL AND n.number = ?3 UNION ALL SELECT 'warehouse-notes',"
    " s.note_id, 'Liquidación de compra ' || " SQLJ_NUMBER_TEXT("s") ", s.issued_on, 10"
    " FROM purchase_settlements s  WHERE s.organization_id" TS_SCOPE
    " AND s.annulled_at IS NULL  AND s.number = ?3 UNION ALL SELECT"
    " 'receptions', r.id, 'Ticket de recepción ' || " SQLJ_NUMBER_TEXT("r") ","
    " r.issued_on, 11 FROM receptions r WHERE r.organization_id" TS_SCOPE
    "  AND r.annulled_at IS NULL AND r.number = ?3) ORDER BY rank, date DESC,"
    " id LIMIT ?5";
/* clang-format on */

/* q as a document number, or -1. */
static int64_t
ts_search_number(const char *q)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; q[i] != '\0'; i++) {
		if (q[i] < '0' || q[i] > '9' || i >= 15)
			return -1;
		v = v * 10 + (q[i] - '0');
	}
	return i > 0 ? v : -1;
}

/* The folded text to find in names; NULL for short or numeric q. */
static const char *
ts_search_names(const char *q, const char *fold)
{
	if (fold == NULL || strlen(fold) < 3 || ts_search_number(q) >= 0)
		return NULL;
	return fold;
}

enum err
trace_store_search(struct db *db, int64_t viewer_id, const char *q,
    const char *fold, int64_t limit, json_t **out)
{
	sqlite3_stmt *st = NULL;
	const char *names = ts_search_names(q, fold);
	json_t *arr, *row;
	enum err rc;
	int step;

	*out = NULL;
	arr = json_array();
	if (arr == NULL)
		return ERR_NOMEM;
	rc = db_prepare(db, search_sql, &st);
	if (rc != ERR_OK)
		goto out;
	if (sqlite3_bind_int64(st, 1, viewer_id) || db_bind_text(st, 2, q) ||
	    sqlite3_bind_int64(st, 3, ts_search_number(q)) ||
	    db_bind_text(st, 4, names) || sqlite3_bind_int64(st, 5, limit)) {
		rc = db_fail(db, "trace_store_search: bind");
		goto out;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		row = json_pack("{s:s, s:I, s:s, s:o}", "kind",
		    db_column_text(st, 0), "id",
		    (json_int_t)sqlite3_column_int64(st, 1), "label",
		    db_column_text(st, 2), "date",
		    sqlite3_column_type(st, 3) == SQLITE_NULL
		        ? json_null()
		        : json_string(db_column_text(st, 3)));
		if (row == NULL || json_array_append_new(arr, row) != 0) {
			rc = ERR_NOMEM;
			break;
		}
	}
	if (rc == ERR_OK && step != SQLITE_DONE)
		rc = db_fail(db, "trace_store_search");
out:
	db_release(st);
	if (rc != ERR_OK) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return ERR_OK;
}
