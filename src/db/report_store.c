/*
 * Chain-wide reports: the registers of every document type (one SQL per
 * register, columns described by a format string the CSV writer follows)
 * and the mass balance of one organization's coffee for a period.  Every
 * register is scoped like its documents: issuer or counterpart in the
 * viewer's user_scope.  The mass balance follows the coffee's owner: the
 * cooperative's receptions and guías, the plant receipts, process orders
 * and LOPs of which it is the client, and its export lots and shipments.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/jsonx.h"
#include "pergamino/report.h"

/* clang-format off */
#define RS_SCOPE " IN (SELECT organization_id FROM user_scope WHERE user_id"   \
	" = ?1)"
#define RS_NUM(t) "CASE WHEN " t ".series = '' THEN CAST(" t ".number AS"      \
	" TEXT) ELSE " t ".series || '-' || printf('%04d', " t ".number) END"
/* ?2 from, ?3 to: either may be NULL. */
#define RS_PERIOD(col) " AND (?2 IS NULL OR " col " >= ?2) AND (?3 IS NULL"    \
	" OR " col " <= ?3)"

/* ---- registers ---- */

static const char *const h_receptions[] = { "N.º ticket", "Fecha", "Campaña",
	"DNI", "Productor", "Caserío", "Parcela", "Código de entrega",
	"Certificación", "Sacos", "Kilos brutos", "Tara kg", "Kilos netos",
	"QQ", "Humedad %", "Rendimiento %", "Nota de ingreso", "Estado", NULL };
static const char sql_receptions[] = "SELECT " RS_NUM("r") ", r.issued_on,"
    " r.campaign, p.dni, p.first_names || ' ' || p.last_names, p.caserio,"
    " coalesce(pl.name, ''), r.delivery_code, r.status, r.sacks, r.gross_g,"
    " r.tare_g, r.net_g, r.qq_centi, r.humidity, r.exportable_pct,"
    " coalesce((SELECT " RS_NUM("n") " FROM warehouse_notes n  WHERE"
    " n.reception_id = r.id AND n.annulled_at IS NULL), ''), r.annulled_at IS"
    " NOT NULL FROM receptions r JOIN producers p ON p.organization_id ="
    " r.organization_id AND p.id = r.producer_id LEFT JOIN plots pl ON"
    " pl.organization_id = r.organization_id AND pl.id = r.plot_id WHERE"
    " r.organization_id" RS_SCOPE RS_PERIOD("r.issued_on") " ORDER BY"
    " r.issued_on, r.number";

static const char *const h_notes[] = { "N.º nota", "Fecha", "N.º ticket", "DNI",
	"Productor", "Kilos netos", "QQ", "Precio por QQ S/", "Rendimiento %",
	"Total S/", "Programa", "Certificadora", "Guía de remisión", "Estado",
	NULL };
static const char sql_notes[] = "SELECT " RS_NUM("n") ", n.issued_on, " RS_NUM(
    "r") ", p.dni, p.first_names || ' ' || p.last_names, r.net_g, r.qq_centi,"
    " n.price_centimos, n.yield_pct, n.total_centimos,"
    " n.certification_program, n.certifier, coalesce((SELECT " RS_NUM(
    "d") " FROM dispatch_notes dn  JOIN dispatches d ON d.id = dn.dispatch_id"
    "  WHERE dn.note_id = n.id AND dn.live = 1), ''), n.annulled_at IS NOT"
    " NULL FROM warehouse_notes n JOIN receptions r ON r.organization_id ="
    " n.organization_id AND r.id = n.reception_id JOIN producers p ON"
    " p.organization_id = r.organization_id AND p.id = r.producer_id WHERE"
    " n.organization_id" RS_SCOPE RS_PERIOD("n.issued_on") " ORDER BY"
    " n.issued_on, n.number";

static const char *const h_settlements[] = { "N.º liquidación", "Fecha",
	"N.º nota", "DNI", "Productor", "Calidad", "QQ", "Kilos netos",
	"Humedad %", "Precio por QQ S/", "Subtotal S/", "IGV S/", "Total S/",
	"Estado", NULL };
static const char sql_settlements[] = "SELECT " RS_NUM("s") ", s.issued_on, "
    RS_NUM("n") ", p.dni, p.first_names || ' ' || p.last_names, s.quality,"
    " s.qq_centi, s.net_g, s.humidity, s.price_centimos, s.subtotal_centimos,"
    " s.igv_centimos, s.total_centimos, s.annulled_at IS NOT NULL FROM"
    " purchase_settlements s JOIN warehouse_notes n ON n.organization_id ="
    " s.organization_id AND n.id = s.note_id JOIN receptions r ON"
    " r.organization_id = n.organization_id AND r.id = n.reception_id JOIN"
    " producers p ON p.organization_id = r.organization_id AND p.id ="
    " r.producer_id WHERE s.organization_id" RS_SCOPE RS_PERIOD("s.issued_on")
    " ORDER BY s.issued_on, s.number";

static const char *const h_dispatches[] = { "N.º guía", "Fecha",
	"Fecha de traslado", "Remitente", "Destinatario", "Lote",
	"Certificación", "Sacos", "Peso declarado kg", "Notas",
	"Kilos de las notas", "Transportista", "Placa", "Guía de ingreso",
	"Estado", NULL };
static const char sql_dispatches[] = "SELECT " RS_NUM("d") ", d.issued_on,"
    " d.transfer_on, o.name, ro.name, d.lot_code, d.status, d.sacks,"
    " d.declared_g, (SELECT count(*) FROM dispatch_notes dn WHERE"
    " dn.dispatch_id = d.id  AND dn.live = 1), d.notes_g, d.carrier_name,"
    " d.carrier_plate, coalesce((SELECT " RS_NUM("pr") " FROM plant_receipts"
    " pr  WHERE pr.dispatch_id = d.id AND pr.annulled_at IS NULL), ''),"
    " d.annulled_at IS NOT NULL FROM dispatches d JOIN organizations o ON"
    " o.id = d.organization_id JOIN organizations ro ON ro.id ="
    " d.recipient_org_id WHERE (d.organization_id" RS_SCOPE " OR"
    " d.recipient_org_id" RS_SCOPE ")" RS_PERIOD("d.issued_on") " ORDER BY"
    " d.issued_on, d.number";

static const char *const h_receipts[] = { "N.º guía de ingreso", "Fecha",
	"Planta", "Cliente", "Guía de remisión", "Lote", "Certificación",
	"Sacos", "Kilos brutos", "Tara kg", "Kilos netos", "Humedad %",
	"Puntaje SCAA", "Consumido kg", "Estado", NULL };
static const char sql_receipts[] = "SELECT " RS_NUM("pr") ", pr.issued_on,"
    " o.name, c.name, " RS_NUM("d") ", d.lot_code, pr.status, pr.sacks,"
    " pr.gross_g, pr.tare_g, pr.net_g, pr.humidity, pr.cup_score, (SELECT"
    " coalesce(sum(i.kilos_g), 0)  FROM process_order_inputs i WHERE"
    " i.plant_receipt_id = pr.id  AND i.live = 1), pr.annulled_at IS NOT NULL"
    " FROM plant_receipts pr JOIN organizations o ON o.id ="
    " pr.organization_id JOIN organizations c ON c.id = pr.client_org_id JOIN"
    " dispatches d ON d.id = pr.dispatch_id WHERE (pr.organization_id" RS_SCOPE
    " OR pr.client_org_id" RS_SCOPE ")" RS_PERIOD("pr.issued_on") " ORDER BY"
    " pr.issued_on, pr.number";

#define RS_OUTPUT(cat) "(SELECT coalesce(sum(x.kilos_g), 0) FROM"              \
	" process_settlement_outputs x WHERE x.process_settlement_id ="        \
	" ls.id AND x.category = '" cat "')"

static const char *const h_lops[] = { "N.º LOP", "Fecha", "Planta", "Cliente",
	"Orden de proceso", "Contrato", "Lote de producto terminado",
	"Certificación", "Entrada kg", "Exportación kg", "Exportación MC kg",
	"Segunda kg", "Descarte máquina kg", "Descarte selección kg", "Bola kg",
	"Cisco kg", "Piedras kg", "Cáscara kg", "Merma kg", "Estado", NULL };
static const char
    sql_lops[] =
        "SELECT " RS_NUM("ls") ", ls.issued_on, o.name, c.name, " RS_NUM("po") ", ls.contract, ls.lot_code, ls.status, ls.input_g, " RS_OUTPUT(
            "export") ", " RS_OUTPUT("export_mc") ", " RS_OUTPUT("second") ", " RS_OUTPUT("machine_discard") ", " RS_OUTPUT("sorting_discard") ", " RS_OUTPUT("bola") ", " RS_OUTPUT("cisco") ", " RS_OUTPUT("stones") ", " RS_OUTPUT("husk") ", " RS_OUTPUT("shrinkage") ", ls.annulled_at IS NOT NULL FROM process_settlements ls JOIN organizations o ON o.id = ls.organization_id JOIN organizations c ON c.id = ls.client_org_id JOIN process_orders po ON po.id = ls.process_order_id WHERE (ls.organization_id" RS_SCOPE
                                                                                                                                                                                                                                                                         " OR ls.client_org_id" RS_SCOPE
                                                                                                                                                                                                                                                                         ")" RS_PERIOD(
                                                                                                                                                                                                                                                                             "ls.issued_on") " ORDER BY ls.issued_on, ls.number";

static const char *const h_exits[] = { "N.º guía de salida", "Fecha", "Planta",
	"Cliente", "LOP", "Lote", "Destino", "Certificación", "Sacos",
	"Kilos brutos", "Tara kg", "Kilos netos", "Transportista", "Placa",
	"Estado", NULL };
static const char sql_exits[] = "SELECT " RS_NUM("e") ", e.issued_on, o.name,"
    " c.name, " RS_NUM("ls") ", e.lot_code, e.destination, e.status, e.sacks,"
    " e.gross_g, e.tare_g, e.net_g, e.carrier_name, e.carrier_plate,"
    " e.annulled_at IS NOT NULL FROM plant_exits e JOIN organizations o ON"
    " o.id = e.organization_id JOIN organizations c ON c.id = e.client_org_id"
    " JOIN process_settlements ls ON ls.id = e.process_settlement_id WHERE"
    " (e.organization_id" RS_SCOPE " OR e.client_org_id" RS_SCOPE ")"
    RS_PERIOD("e.issued_on") " ORDER BY e.issued_on, e.number";

static const char *const h_lots[] = { "N.º", "Fecha", "Lote orgánico",
	"Marca ICO", "Contrato", "Comprador", "Preparación", "Certificación",
	"Sacos", "Kilos", "LOP", "Embarcado kg", "Estado", NULL };
static const char sql_lots[] = "SELECT " RS_NUM("el") ", el.issued_on,"
    " el.organic_lot, el.ico_mark, el.contract, el.buyer, el.preparation,"
    " el.status, el.sacks, el.kilos_g, coalesce((SELECT group_concat(" RS_NUM(
    "ls") ", ' ')  FROM export_lot_sources x JOIN process_settlements ls  ON"
    " ls.id = x.process_settlement_id WHERE x.export_lot_id = el.id  AND"
    " x.live = 1), ''), (SELECT coalesce(sum(sl.kilos_g), 0)  FROM"
    " shipment_lots sl WHERE sl.export_lot_id = el.id  AND sl.live = 1),"
    " el.annulled_at IS NOT NULL FROM export_lots el WHERE el.organization_id"
    RS_SCOPE RS_PERIOD("el.issued_on") " ORDER BY el.issued_on, el.number";

static const char *const h_shipments[] = { "N.º", "Fecha", "Contrato",
	"Comprador", "País", "Factura", "Lote en factura", "BL", "Lote en BL",
	"Nave", "Contenedor", "Precinto", "Puerto de embarque",
	"Puerto de destino", "Fecha de embarque", "Calidad", "Certificación",
	"Sacos", "Kilos", "Lotes orgánicos", "Estado", NULL };
static const char sql_shipments[] = "SELECT " RS_NUM("sh") ", sh.issued_on,"
    " sh.contract, sh.buyer_name, sh.buyer_country, sh.invoice_number,"
    " sh.invoice_lot_ref, sh.bl_number, sh.bl_lot_ref, sh.vessel,"
    " sh.container, sh.seal, sh.port_loading, sh.port_destination,"
    " coalesce(sh.shipped_on, ''), sh.quality, sh.status, sh.sacks,"
    " sh.kilos_g, coalesce((SELECT group_concat(el.organic_lot, ' ')  FROM"
    " shipment_lots sl JOIN export_lots el ON el.id = sl.export_lot_id  WHERE"
    " sl.shipment_id = sh.id AND sl.live = 1), ''), sh.annulled_at IS NOT"
    " NULL FROM shipments sh WHERE sh.organization_id" RS_SCOPE RS_PERIOD(
    "sh.issued_on") " ORDER BY sh.issued_on, sh.number";
/* clang-format on */

/* clang-format off */
static const struct report_register rs_registers[] = {
	{ "receptions", "registro-recepciones.csv", h_receptions,
	  "tditttttsikkkmhpta", sql_receptions },
	{ "warehouse-notes", "registro-notas-de-ingreso.csv", h_notes,
	  "tdtttkmmpmttta", sql_notes },
	{ "purchase-settlements", "registro-liquidaciones-de-compra.csv",
	  h_settlements, "tdttttmkhmmmma", sql_settlements },
	{ "dispatches", "registro-guias-de-remision.csv", h_dispatches,
	  "tddtttsikikttta", sql_dispatches },
	{ "plant-receipts", "registro-guias-de-ingreso.csv", h_receipts,
	  "tdttttsikkkhpka", sql_receipts },
	{ "process-settlements", "registro-liquidaciones-de-proceso.csv",
	  h_lops, "tdtttttskkkkkkkkkkka", sql_lops },
	{ "plant-exits", "registro-guias-de-salida.csv", h_exits,
	  "tdtttttsikkktta", sql_exits },
	{ "export-lots", "registro-lotes-de-exportacion.csv", h_lots,
	  "tdtttttsiktka", sql_lots },
	{ "shipments", "registro-de-exportaciones.csv", h_shipments,
	  "tdttttttttttttdtsikta", sql_shipments },
	{ NULL, NULL, NULL, NULL, NULL },
};
/* clang-format on */

const struct report_register *
report_register_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && rs_registers[i].name != NULL; i++)
		if (strcmp(rs_registers[i].name, name) == 0)
			return &rs_registers[i];
	return NULL;
}

enum err
report_register_rows(struct db *db, int64_t viewer_id,
    const struct report_register *reg, const char *from, const char *to,
    report_row_fn row, void *arg)
{
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	rc = db_prepare(db, reg->sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) || db_bind_text(st, 2, from) ||
	    db_bind_text(st, 3, to)) {
		db_release(st);
		return db_fail(db, "report_register_rows: bind");
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		row(arg, st);
	if (step != SQLITE_DONE)
		rc = db_fail(db, "report_register_rows");
	db_release(st);
	return rc;
}

/* ---- mass balance ---- */

/*
 * One row per (measure, status[, category]): ?1 owner, ?2 from, ?3 to.
 * Period measures count documents issued from..to and list their ids;
 * cumulative ones (c_*) everything issued up to to, for the stocks.
 */
/* clang-format off */
#define RS_LIVE(t) " AND " t ".annulled_at IS NULL"
static const char mb_sql[] = "SELECT 'received', r.status, '', sum(r.net_g),"
    " count(*),  json_group_array(r.id) FROM receptions r WHERE"
    " r.organization_id = ?1" RS_LIVE("r") " AND r.issued_on BETWEEN ?2 AND"
    " ?3 GROUP BY r.status UNION ALL SELECT 'dispatched', d.status, '',"
    " sum(d.notes_g), count(*),  json_group_array(d.id) FROM dispatches d"
    " WHERE d.organization_id = ?1" RS_LIVE("d") " AND d.issued_on BETWEEN ?2"
    " AND ?3 GROUP BY d.status UNION ALL SELECT 'plant_received', pr.status,"
    " '', sum(pr.net_g),  count(*), json_group_array(pr.id) FROM"
    " plant_receipts pr  WHERE pr.client_org_id = ?1" RS_LIVE("pr")
    "  AND pr.issued_on BETWEEN ?2 AND ?3 GROUP BY pr.status UNION ALL SELECT"
    " 'transport_shrinkage', pr.status, '',  sum(d.notes_g - pr.net_g),"
    " count(*), json_group_array(pr.id)  FROM plant_receipts pr JOIN"
    " dispatches d ON d.id = pr.dispatch_id  WHERE pr.client_org_id = ?1"
    RS_LIVE("pr") "  AND pr.issued_on BETWEEN ?2 AND ?3 GROUP BY pr.status"
    " UNION ALL SELECT 'processed', ls.status, '', sum(ls.input_g), "
    " count(*), json_group_array(ls.id) FROM process_settlements ls  WHERE"
    " ls.client_org_id = ?1" RS_LIVE("ls") "  AND ls.issued_on BETWEEN ?2 AND"
    " ?3 GROUP BY ls.status UNION ALL SELECT 'output', ls.status, x.category,"
    " sum(x.kilos_g),  count(*), json_group_array(ls.id) FROM"
    " process_settlements ls  JOIN process_settlement_outputs x ON"
    " x.process_settlement_id = ls.id  WHERE ls.client_org_id = ?1" RS_LIVE(
    "ls") "  AND ls.issued_on BETWEEN ?2 AND ?3 GROUP BY ls.status,"
    " x.category UNION ALL SELECT 'export_lots', el.status, '',"
    " sum(el.kilos_g),  count(*), json_group_array(el.id) FROM export_lots el"
    "  WHERE el.organization_id = ?1" RS_LIVE("el") "  AND el.issued_on"
    " BETWEEN ?2 AND ?3 GROUP BY el.status UNION ALL SELECT 'shipped',"
    " sh.status, '', sum(sh.kilos_g), count(*),  json_group_array(sh.id) FROM"
    " shipments sh  WHERE sh.organization_id = ?1" RS_LIVE("sh") "  AND"
    " sh.issued_on BETWEEN ?2 AND ?3 GROUP BY sh.status UNION ALL SELECT"
    " 'c_received', r.status, '', sum(r.net_g), count(*),  NULL FROM"
    " receptions r WHERE r.organization_id = ?1" RS_LIVE("r") "  AND"
    " r.issued_on <= ?3 GROUP BY r.status UNION ALL SELECT 'c_dispatched',"
    " d.status, '', sum(d.notes_g),  count(*), NULL FROM dispatches d WHERE"
    " d.organization_id = ?1" RS_LIVE("d") " AND d.issued_on <= ?3 GROUP BY"
    " d.status UNION ALL SELECT 'c_in_transit', d.status, '',"
    " sum(d.declared_g),  count(*), NULL FROM dispatches d WHERE"
    " d.organization_id = ?1" RS_LIVE("d") " AND d.issued_on <= ?3 AND NOT"
    " EXISTS (SELECT 1  FROM plant_receipts pr WHERE pr.dispatch_id = d.id"
    RS_LIVE("pr") "  AND pr.issued_on <= ?3) GROUP BY d.status UNION ALL"
    " SELECT 'c_plant_received', pr.status, '', sum(pr.net_g),  count(*),"
    " NULL FROM plant_receipts pr WHERE pr.client_org_id = ?1" RS_LIVE(
    "pr") " AND pr.issued_on <= ?3 GROUP BY pr.status UNION ALL SELECT"
    " 'c_consumed', po.status, '', sum(i.kilos_g),  count(*), NULL FROM"
    " process_orders po JOIN process_order_inputs i  ON i.process_order_id ="
    " po.id AND i.live = 1  WHERE po.organization_id = ?1" RS_LIVE("po")
    "  AND po.issued_on <= ?3 GROUP BY po.status UNION ALL SELECT"
    " 'c_processed', ls.status, '', sum(ls.input_g),  count(*), NULL FROM"
    " process_settlements ls  WHERE ls.client_org_id = ?1" RS_LIVE("ls")
    "  AND ls.issued_on <= ?3 GROUP BY ls.status UNION ALL SELECT"
    " 'c_exportable', ls.status, '', sum(x.kilos_g),  count(*), NULL FROM"
    " process_settlements ls  JOIN process_settlement_outputs x ON"
    " x.process_settlement_id = ls.id  AND x.category IN ('export',"
    " 'export_mc')  WHERE ls.client_org_id = ?1" RS_LIVE("ls") "  AND"
    " ls.issued_on <= ?3 GROUP BY ls.status UNION ALL SELECT 'c_export_lots',"
    " el.status, '', sum(el.kilos_g),  count(*), NULL FROM export_lots el"
    " WHERE el.organization_id = ?1" RS_LIVE("el") " AND el.issued_on <= ?3"
    " GROUP BY el.status UNION ALL SELECT 'c_shipped', sh.status, '',"
    " sum(sh.kilos_g),  count(*), NULL FROM shipments sh WHERE"
    " sh.organization_id = ?1" RS_LIVE("sh") " AND sh.issued_on <= ?3 GROUP"
    " BY sh.status";

static const char mb_org_sql[] = "SELECT o.id, o.name, o.ruc, o.kind FROM"
    " organizations o WHERE o.id = ?2 AND o.id" RS_SCOPE;
/* clang-format on */

enum mb_key {
	MB_RECEIVED,
	MB_DISPATCHED,
	MB_PLANT_RECEIVED,
	MB_TRANSPORT_SHRINKAGE,
	MB_PROCESSED,
	MB_EXPORT_LOTS,
	MB_SHIPPED,
	MB_C_RECEIVED,
	MB_C_DISPATCHED,
	MB_C_IN_TRANSIT,
	MB_C_PLANT_RECEIVED,
	MB_C_CONSUMED,
	MB_C_PROCESSED,
	MB_C_EXPORTABLE,
	MB_C_EXPORT_LOTS,
	MB_C_SHIPPED,
	MB_KEY_COUNT
};

static const char *const mb_keys[MB_KEY_COUNT] = {
	"received",
	"dispatched",
	"plant_received",
	"transport_shrinkage",
	"processed",
	"export_lots",
	"shipped",
	"c_received",
	"c_dispatched",
	"c_in_transit",
	"c_plant_received",
	"c_consumed",
	"c_processed",
	"c_exportable",
	"c_export_lots",
	"c_shipped",
};

#define MB_STATUSES 3
static const char *const mb_statuses[MB_STATUSES] = { "organic", "transition",
	"conventional" };
static const char *const mb_status_labels[MB_STATUSES] = { "Orgánico",
	"En transición", "Convencional" };

#define MB_CATEGORIES 10
static const char *const mb_categories[MB_CATEGORIES] = { "export", "export_mc",
	"second", "machine_discard", "sorting_discard", "bola", "cisco",
	"stones", "husk", "shrinkage" };

struct mb_status {
	int64_t g[MB_KEY_COUNT];
	int64_t count[MB_KEY_COUNT];
	json_t *ids[MB_KEY_COUNT];      /* owned, may be NULL */
	int64_t out_g[MB_CATEGORIES];   /* LOP outputs by grade */
	json_t *out_ids[MB_CATEGORIES]; /* owned, may be NULL */
};

static int
mb_index(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static void
mb_row(struct mb_status *ms, sqlite3_stmt *st)
{
	int key = mb_index(mb_keys, MB_KEY_COUNT, db_column_text(st, 0));
	int s = mb_index(mb_statuses, MB_STATUSES, db_column_text(st, 1));
	int cat = mb_index(mb_categories, MB_CATEGORIES, db_column_text(st, 2));
	json_t *ids = NULL;

	if (s < 0 || (key < 0 && cat < 0))
		return;
	if (sqlite3_column_type(st, 5) != SQLITE_NULL)
		ids = jsonx_loads(db_column_text(st, 5), 0, NULL);
	if (key >= 0) {
		ms[s].g[key] = sqlite3_column_int64(st, 3);
		ms[s].count[key] = sqlite3_column_int64(st, 4);
		ms[s].ids[key] = ids;
	} else {
		ms[s].out_g[cat] = sqlite3_column_int64(st, 3);
		ms[s].out_ids[cat] = ids;
	}
}

/* ids (borrowed, may be NULL) as a new reference: [] when NULL. */
static json_t *
mb_ids(json_t *ids)
{
	return ids != NULL ? json_incref(ids) : json_array();
}

/* Signed grams as kg text. */
static json_t *
mb_kg(int64_t g)
{
	return jsonx_decimal(g, 3, 3);
}

struct mb_line_def {
	enum mb_key key;
	const char *es, *en;
	const char *kind; /* collection the ids are of */
};

static const struct mb_line_def mb_lines[] = {
	{ MB_RECEIVED, "Recibido en acopio (neto)",
	    "Received at collection (net)", "receptions" },
	{ MB_DISPATCHED, "Despachado a planta (notas)",
	    "Dispatched to the plant (notes)", "dispatches" },
	{ MB_PLANT_RECEIVED, "Recibido en planta (neto)",
	    "Received at the plant (net)", "plant-receipts" },
	{ MB_PROCESSED, "Procesado (entrada de las LOP)",
	    "Processed (LOP input)", "process-settlements" },
	{ MB_EXPORT_LOTS, "Lotes de exportación", "Export lots",
	    "export-lots" },
	{ MB_SHIPPED, "Exportado (embarcado)", "Exported (shipped)",
	    "shipments" },
};

static json_t *
mb_link(const char *kind, const char *from, const char *to, const char *status,
    int64_t org)
{
	char buf[256];

	snprintf(buf, sizeof(buf),
	    "/api/v1/%s?from=%s&to=%s&status=%s&organization_id=%lld", kind,
	    from, to, status, (long long)org);
	return json_string(buf);
}

static void
mb_set(json_t *o, const char *k, json_t *v, bool *ok)
{
	if (o == NULL || v == NULL) {
		json_decref(v);
		*ok = false;
	} else if (json_object_set_new(o, k, v) != 0) {
		*ok = false; /* it released v: no second json_decref */
	}
}

static void
mb_push(json_t *a, json_t *v, bool *ok)
{
	if (a == NULL || v == NULL || json_array_append_new(a, v) != 0) {
		json_decref(v);
		*ok = false;
	}
}

static json_t *
mb_value(const char *key, const char *es, const char *en, int64_t g)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "key", key, "label_es", es,
	    "label_en", en, "kg", mb_kg(g));
}

/* A warning when a stock turns negative: more left than came in. */
static void
mb_check(json_t *warnings, int64_t g, const char *code, const char *es,
    const char *en, bool *ok)
{
	if (g >= 0)
		return;
	mb_push(warnings,
	    json_pack("{s:s, s:s, s:s, s:o}", "code", code, "message_es", es,
	        "message_en", en, "excess_kg", mb_kg(-g)),
	    ok);
}

static json_t *
mb_stocks(const struct mb_status *m, bool *ok)
{
	json_t *a = json_array();

	mb_push(a,
	    mb_value("collection", "En almacén de acopio",
	        "In the collection warehouse",
	        m->g[MB_C_RECEIVED] - m->g[MB_C_DISPATCHED]),
	    ok);
	mb_push(a,
	    mb_value("in_transit", "En tránsito a planta",
	        "In transit to the plant", m->g[MB_C_IN_TRANSIT]),
	    ok);
	mb_push(a,
	    mb_value("in_plant", "En planta, sin procesar",
	        "At the plant, not processed",
	        m->g[MB_C_PLANT_RECEIVED] - m->g[MB_C_CONSUMED]),
	    ok);
	mb_push(a,
	    mb_value("in_process", "En proceso (orden sin LOP)",
	        "Being processed (order without LOP)",
	        m->g[MB_C_CONSUMED] - m->g[MB_C_PROCESSED]),
	    ok);
	mb_push(a,
	    mb_value("green_unallocated",
	        "Café exportable sin lote de exportación",
	        "Exportable coffee in no export lot",
	        m->g[MB_C_EXPORTABLE] - m->g[MB_C_EXPORT_LOTS]),
	    ok);
	mb_push(a,
	    mb_value("green_unshipped", "Lotes de exportación sin embarcar",
	        "Export lots not shipped",
	        m->g[MB_C_EXPORT_LOTS] - m->g[MB_C_SHIPPED]),
	    ok);
	return a;
}

static json_t *
mb_warnings(const struct mb_status *m, bool *ok)
{
	json_t *w = json_array();

	mb_check(w, m->g[MB_C_RECEIVED] - m->g[MB_C_DISPATCHED],
	    "dispatched_exceeds_received",
	    "Se despachó más de lo recibido en acopio",
	    "More was dispatched than received at collection", ok);
	mb_check(w, m->g[MB_C_PLANT_RECEIVED] - m->g[MB_C_CONSUMED],
	    "consumed_exceeds_plant_received",
	    "Las órdenes de proceso consumen más de lo recibido en planta",
	    "Process orders consume more than the plant received", ok);
	mb_check(w, m->g[MB_C_EXPORTABLE] - m->g[MB_C_EXPORT_LOTS],
	    "lots_exceed_exportable",
	    "Los lotes de exportación superan el café exportable producido",
	    "Export lots exceed the exportable coffee produced", ok);
	mb_check(w, m->g[MB_C_EXPORT_LOTS] - m->g[MB_C_SHIPPED],
	    "shipped_exceeds_lots",
	    "Se embarcó más de lo que tienen los lotes de exportación",
	    "More was shipped than the export lots hold", ok);
	mb_check(w, m->g[MB_C_RECEIVED] - m->g[MB_C_SHIPPED],
	    "sold_exceeds_bought", "Se vendió más café del que se compró",
	    "More coffee was sold than was bought", ok);
	return w;
}

static json_t *
mb_status_json(const struct mb_status *m, int s, const char *from,
    const char *to, int64_t org)
{
	json_t *o = json_object(), *lines = json_array(),
	       *grades = json_array();
	json_t *warnings, *l;
	bool ok = true;
	size_t i;

	for (i = 0; i < sizeof(mb_lines) / sizeof(mb_lines[0]); i++) {
		l = json_pack("{s:s, s:s, s:s, s:o, s:I, s:s, s:o, s:o}", "key",
		    mb_keys[mb_lines[i].key], "label_es", mb_lines[i].es,
		    "label_en", mb_lines[i].en, "kg",
		    mb_kg(m->g[mb_lines[i].key]), "count",
		    (json_int_t)m->count[mb_lines[i].key], "kind",
		    mb_lines[i].kind, "ids", mb_ids(m->ids[mb_lines[i].key]),
		    "link",
		    mb_link(mb_lines[i].kind, from, to, mb_statuses[s], org));
		mb_push(lines, l, &ok);
	}
	for (i = 0; i < MB_CATEGORIES; i++)
		mb_push(grades,
		    json_pack("{s:s, s:o, s:s, s:o}", "category",
		        mb_categories[i], "kg", mb_kg(m->out_g[i]), "kind",
		        "process-settlements", "ids", mb_ids(m->out_ids[i])),
		    &ok);
	warnings = mb_warnings(m, &ok);
	mb_set(o, "status", json_string(mb_statuses[s]), &ok);
	mb_set(o, "status_label", json_string(mb_status_labels[s]), &ok);
	mb_set(o, "lines", lines, &ok);
	mb_set(o, "processed_by_grade", grades, &ok);
	mb_set(o, "stock", mb_stocks(m, &ok), &ok);
	mb_set(o, "shrinkage",
	    json_pack("[{s:s, s:s, s:s, s:o, s:s, s:o}, {s:s, s:s, s:s, s:o,"
	              " s:s, s:o}]",
	        "key", "transport", "label_es", "Merma de transporte",
	        "label_en", "Transport shrinkage", "kg",
	        mb_kg(m->g[MB_TRANSPORT_SHRINKAGE]), "kind", "plant-receipts",
	        "ids", mb_ids(m->ids[MB_TRANSPORT_SHRINKAGE]), "key", "process",
	        "label_es", "Merma de proceso declarada", "label_en",
	        "Declared process shrinkage", "kg",
	        mb_kg(m->out_g[MB_CATEGORIES - 1]), "kind",
	        "process-settlements", "ids",
	        mb_ids(m->out_ids[MB_CATEGORIES - 1])),
	    &ok);
	mb_set(
	    o, "consistent", json_boolean(json_array_size(warnings) == 0), &ok);
	mb_set(o, "warnings", warnings, &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void
mb_clear(struct mb_status *ms)
{
	int s, k;

	for (s = 0; s < MB_STATUSES; s++) {
		for (k = 0; k < MB_KEY_COUNT; k++)
			json_decref(ms[s].ids[k]);
		for (k = 0; k < MB_CATEGORIES; k++)
			json_decref(ms[s].out_ids[k]);
	}
}

/* The owner organization's header, if in the viewer's scope. */
static enum err
mb_org(struct db *db, int64_t viewer_id, int64_t org_id, json_t **out)
{
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*out = NULL;
	rc = db_prepare(db, mb_org_sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, viewer_id) ||
	    sqlite3_bind_int64(st, 2, org_id)) {
		db_release(st);
		return db_fail(db, "mb_org: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*out = json_pack("{s:I, s:s, s:s, s:s}", "id",
		    (json_int_t)sqlite3_column_int64(st, 0), "name",
		    db_column_text(st, 1), "ruc", db_column_text(st, 2), "kind",
		    db_column_text(st, 3));
		rc = *out != NULL ? ERR_OK : ERR_NOMEM;
	} else {
		rc =
		    step == SQLITE_DONE ? ERR_NOT_FOUND : db_fail(db, "mb_org");
	}
	db_release(st);
	return rc;
}

enum err
report_mass_balance_json(struct db *db, int64_t viewer_id, int64_t org_id,
    const char *from, const char *to, json_t **out)
{
	struct mb_status ms[MB_STATUSES];
	sqlite3_stmt *st = NULL;
	json_t *org = NULL, *statuses = NULL;
	bool ok = true, consistent = true;
	enum err rc;
	int step, s;

	*out = NULL;
	memset(ms, 0, sizeof(ms));
	rc = mb_org(db, viewer_id, org_id, &org);
	if (rc != ERR_OK)
		return rc;
	rc = db_prepare(db, mb_sql, &st);
	if (rc != ERR_OK)
		goto out;
	if (sqlite3_bind_int64(st, 1, org_id) || db_bind_text(st, 2, from) ||
	    db_bind_text(st, 3, to)) {
		rc = db_fail(db, "report_mass_balance_json: bind");
		goto out;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		mb_row(ms, st);
	if (step != SQLITE_DONE) {
		rc = db_fail(db, "report_mass_balance_json");
		goto out;
	}
	statuses = json_array();
	for (s = 0; s < MB_STATUSES; s++) {
		json_t *j = mb_status_json(&ms[s], s, from, to, org_id);
		if (j != NULL &&
		    !json_is_true(json_object_get(j, "consistent")))
			consistent = false;
		mb_push(statuses, j, &ok);
	}
	*out =
	    json_pack("{s:O, s:s, s:s, s:O, s:b}", "organization", org, "from",
	        from, "to", to, "statuses", statuses, "consistent", consistent);
	if (*out == NULL || !ok) {
		json_decref(*out);
		*out = NULL;
		rc = ERR_NOMEM;
	}
out:
	db_release(st);
	json_decref(org);
	json_decref(statuses);
	mb_clear(ms);
	return rc;
}
