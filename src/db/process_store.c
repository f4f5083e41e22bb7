/*
 * Writes of the process-stage documents (process and marking orders,
 * LOPs with their outputs, exit guides) and the facts their rules read.
 * Every write is limited to the acting organization; every fact is read
 * as the acting organization sees it (its own documents, or the plant
 * receipts of its own coffee, or the orders addressed to its plant).
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/process.h"
#include "pergamino/stores.h"

enum err
process_store_receipt_facts(struct db *db, int64_t client_org,
    int64_t plant_org, int64_t receipt_id, struct process_receipt_facts *out)
{
	static const char sql[] =
	    "SELECT pr.net_g, pr.status, pr.programs, pr.issued_on,"
	    " pr.annulled_at IS NOT NULL,"
	    " (SELECT coalesce(sum(i.kilos_g), 0) FROM process_order_inputs i"
	    "  WHERE i.plant_receipt_id = pr.id AND i.live = 1)"
	    " FROM plant_receipts pr"
	    " WHERE pr.id = ?3 AND pr.client_org_id = ?1"
	    " AND pr.organization_id = ?2";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, client_org) ||
	    sqlite3_bind_int64(st, 2, plant_org) ||
	    sqlite3_bind_int64(st, 3, receipt_id)) {
		db_release(st);
		return db_fail(db, "process_store_receipt_facts: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->found = true;
		out->net_g = sqlite3_column_int64(st, 0);
		store_copy_text(out->status, sizeof(out->status), st, 1);
		store_copy_text(out->programs, sizeof(out->programs), st, 2);
		store_copy_text(out->issued_on, sizeof(out->issued_on), st, 3);
		out->annulled = sqlite3_column_int(st, 4) == 1;
		out->consumed_g = sqlite3_column_int64(st, 5);
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, "process_store_receipt_facts");
	}
	db_release(st);
	return rc;
}

enum err
process_store_receipt_balance(
    struct db *db, int64_t receipt_id, int64_t *net_g, int64_t *consumed_g)
{
	/* tenancy: the property test's oracle (test_property.c), not
	 * reachable from HTTP; the caller names the receipt. */
	static const char sql[] =
	    "SELECT pr.net_g, (SELECT coalesce(sum(i.kilos_g), 0)"
	    "  FROM process_order_inputs i"
	    "  WHERE i.plant_receipt_id = pr.id AND i.live = 1)"
	    " FROM plant_receipts pr WHERE pr.id = ?1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*net_g = *consumed_g = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, receipt_id)) {
		db_release(st);
		return db_fail(db, "process_store_receipt_balance: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*net_g = sqlite3_column_int64(st, 0);
		*consumed_g = sqlite3_column_int64(st, 1);
	} else if (step == SQLITE_DONE) {
		rc = ERR_NOT_FOUND;
	} else {
		rc = db_fail(db, "process_store_receipt_balance");
	}
	db_release(st);
	return rc;
}

enum err
process_store_insert_order(
    struct db *db, const struct process_order_row *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO process_orders (organization_id, series, number,"
	    " issued_on, plant_org_id, contract, process_type, quality, status,"
	    " programs, input_g, observations, created_by, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, r->org_id) ||
	    db_bind_text(st, 2, r->series) ||
	    sqlite3_bind_int64(st, 3, r->number) ||
	    db_bind_text(st, 4, r->issued_on) ||
	    sqlite3_bind_int64(st, 5, r->plant_org_id) ||
	    db_bind_text(st, 6, r->contract) ||
	    db_bind_text(st, 7, r->process_type) ||
	    db_bind_text(st, 8, r->quality) || db_bind_text(st, 9, r->status) ||
	    db_bind_text(st, 10, r->programs) ||
	    sqlite3_bind_int64(st, 11, r->input_g) ||
	    db_bind_text(st, 12, r->observations) ||
	    sqlite3_bind_int64(st, 13, r->created_by) ||
	    sqlite3_bind_int64(st, 14, r->created_at)) {
		db_release(st);
		return db_fail(db, "process_store_insert_order: bind");
	}
	return store_insert(db, st, "process_store_insert_order", id);
}

enum err
process_store_insert_input(
    struct db *db, int64_t order_id, int64_t receipt_id, int64_t kilos_g)
{
	static const char sql[] =
	    "INSERT INTO process_order_inputs (process_order_id,"
	    " plant_receipt_id, kilos_g) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, order_id) ||
	    sqlite3_bind_int64(st, 2, receipt_id) ||
	    sqlite3_bind_int64(st, 3, kilos_g)) {
		db_release(st);
		return db_fail(db, "process_store_insert_input: bind");
	}
	return store_done(db, st, "process_store_insert_input");
}

#define PROCESS_ORDER_FACTS                                                    \
	"SELECT o.organization_id, o.plant_org_id, o.number, o.input_g,"       \
	" o.issued_on, o.status, o.programs, o.contract, o.process_type,"      \
	" o.quality, o.annulled_at IS NOT NULL,"                               \
	" EXISTS (SELECT 1 FROM process_settlements s"                         \
	"  WHERE s.process_order_id = o.id AND s.annulled_at IS NULL),"        \
	" EXISTS (SELECT 1 FROM marking_orders m"                              \
	"  WHERE m.process_order_id = o.id AND m.annulled_at IS NULL),"        \
	" (SELECT max(pr.issued_on) FROM process_order_inputs i"               \
	"  JOIN plant_receipts pr ON pr.id = i.plant_receipt_id"               \
	"  WHERE i.process_order_id = o.id)"                                   \
	" FROM process_orders o WHERE o.id = ?2"

enum err
process_store_order_facts(struct db *db, int64_t org_id, bool as_plant,
    int64_t id, struct process_order_facts *out)
{
	static const char sql_coop[] =
	    PROCESS_ORDER_FACTS " AND o.organization_id = ?1";
	static const char sql_plant[] =
	    PROCESS_ORDER_FACTS " AND o.plant_org_id = ?1";
	sqlite3_stmt *st;
	enum err rc;

	memset(out, 0, sizeof(*out));
	rc = store_first_row(db, as_plant ? sql_plant : sql_coop, org_id, id,
	    "process_store_order_facts", &st);
	if (rc != ERR_OK || st == NULL)
		return rc;
	out->found = true;
	out->org_id = sqlite3_column_int64(st, 0);
	out->plant_org_id = sqlite3_column_int64(st, 1);
	out->number = sqlite3_column_int64(st, 2);
	out->input_g = sqlite3_column_int64(st, 3);
	store_copy_text(out->issued_on, sizeof(out->issued_on), st, 4);
	store_copy_text(out->status, sizeof(out->status), st, 5);
	store_copy_text(out->programs, sizeof(out->programs), st, 6);
	store_copy_text(out->contract, sizeof(out->contract), st, 7);
	store_copy_text(out->process_type, sizeof(out->process_type), st, 8);
	store_copy_text(out->quality, sizeof(out->quality), st, 9);
	out->annulled = sqlite3_column_int(st, 10) == 1;
	out->has_settlement = sqlite3_column_int(st, 11) == 1;
	out->has_marking = sqlite3_column_int(st, 12) == 1;
	store_copy_text(
	    out->latest_input_on, sizeof(out->latest_input_on), st, 13);
	db_release(st);
	return rc;
}

enum err
process_store_insert_marking(
    struct db *db, const struct marking_order_row *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO marking_orders (organization_id, series, number,"
	    " issued_on, process_order_id, sacks, marks, ico_mark, organic_lot,"
	    " contract, net_per_sack_g, delivery_on, delivery_place,"
	    " observation, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, r->org_id) ||
	    db_bind_text(st, 2, r->series) ||
	    sqlite3_bind_int64(st, 3, r->number) ||
	    db_bind_text(st, 4, r->issued_on) ||
	    sqlite3_bind_int64(st, 5, r->process_order_id) ||
	    sqlite3_bind_int64(st, 6, r->sacks) ||
	    db_bind_text(st, 7, r->marks) || db_bind_text(st, 8, r->ico_mark) ||
	    db_bind_text(st, 9, r->organic_lot) ||
	    db_bind_text(st, 10, r->contract) ||
	    sqlite3_bind_int64(st, 11, r->net_per_sack_g) ||
	    db_bind_text(st, 12, r->delivery_on) ||
	    db_bind_text(st, 13, r->delivery_place) ||
	    db_bind_text(st, 14, r->observation) ||
	    sqlite3_bind_int64(st, 15, r->created_by) ||
	    sqlite3_bind_int64(st, 16, r->created_at)) {
		db_release(st);
		return db_fail(db, "process_store_insert_marking: bind");
	}
	return store_insert(db, st, "process_store_insert_marking", id);
}

static enum err
process_store_insert_output(
    struct db *db, int64_t settlement_id, const char *category, int64_t g)
{
	static const char sql[] =
	    "INSERT INTO process_settlement_outputs (process_settlement_id,"
	    " category, kilos_g) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, settlement_id) ||
	    db_bind_text(st, 2, category) || sqlite3_bind_int64(st, 3, g)) {
		db_release(st);
		return db_fail(db, "process_store_insert_output: bind");
	}
	return store_done(db, st, "process_store_insert_output");
}

enum err
process_store_insert_settlement(
    struct db *db, const struct process_settlement_row *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO process_settlements (organization_id, series, number,"
	    " issued_on, process_order_id, client_org_id, contract,"
	    " process_type, characteristics, status, programs, input_g,"
	    " lot_code, observations, created_by, created_at) VALUES (?1, ?2,"
	    " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int o;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, r->org_id) ||
	    db_bind_text(st, 2, r->series) ||
	    sqlite3_bind_int64(st, 3, r->number) ||
	    db_bind_text(st, 4, r->issued_on) ||
	    sqlite3_bind_int64(st, 5, r->process_order_id) ||
	    sqlite3_bind_int64(st, 6, r->client_org_id) ||
	    db_bind_text(st, 7, r->contract) ||
	    db_bind_text(st, 8, r->process_type) ||
	    db_bind_text(st, 9, r->characteristics) ||
	    db_bind_text(st, 10, r->status) ||
	    db_bind_text(st, 11, r->programs) ||
	    sqlite3_bind_int64(st, 12, r->input_g) ||
	    db_bind_text(st, 13, r->lot_code) ||
	    db_bind_text(st, 14, r->observations) ||
	    sqlite3_bind_int64(st, 15, r->created_by) ||
	    sqlite3_bind_int64(st, 16, r->created_at)) {
		db_release(st);
		return db_fail(db, "process_store_insert_settlement: bind");
	}
	rc = store_insert(db, st, "process_store_insert_settlement", id);
	if (rc != ERR_OK)
		return rc;
	/* Every category, zeros included: the record is complete. */
	for (o = 0; rc == ERR_OK && o < PROCESS_OUT_COUNT; o++)
		rc = process_store_insert_output(
		    db, *id, process_output_key(o), r->outputs_g[o]);
	return rc;
}

enum err
process_store_settlement_facts(struct db *db, int64_t plant_org, int64_t id,
    struct process_settlement_facts *out)
{
	static const char sql[] =
	    "SELECT s.number, s.client_org_id, s.issued_on, s.status,"
	    " s.programs, s.lot_code, s.annulled_at IS NOT NULL,"
	    " (SELECT o.kilos_g FROM process_settlement_outputs o"
	    "  WHERE o.process_settlement_id = s.id AND o.category = 'export'),"
	    " (SELECT coalesce(sum(e.sacks), 0) FROM plant_exits e"
	    "  WHERE e.process_settlement_id = s.id AND e.annulled_at IS NULL),"
	    " (SELECT coalesce(sum(e.net_g), 0) FROM plant_exits e"
	    "  WHERE e.process_settlement_id = s.id AND e.annulled_at IS NULL),"
	    " m.id, m.organic_lot, m.marks, m.net_per_sack_g"
	    " FROM process_settlements s LEFT JOIN marking_orders m"
	    " ON m.process_order_id = s.process_order_id"
	    "  AND m.annulled_at IS NULL"
	    " WHERE s.organization_id = ?1 AND s.id = ?2";
	sqlite3_stmt *st;
	enum err rc;

	memset(out, 0, sizeof(*out));
	rc = store_first_row(
	    db, sql, plant_org, id, "process_store_settlement_facts", &st);
	if (rc != ERR_OK || st == NULL)
		return rc;
	out->found = true;
	out->number = sqlite3_column_int64(st, 0);
	out->client_org_id = sqlite3_column_int64(st, 1);
	store_copy_text(out->issued_on, sizeof(out->issued_on), st, 2);
	store_copy_text(out->status, sizeof(out->status), st, 3);
	store_copy_text(out->programs, sizeof(out->programs), st, 4);
	store_copy_text(out->lot_code, sizeof(out->lot_code), st, 5);
	out->annulled = sqlite3_column_int(st, 6) == 1;
	out->export_g = sqlite3_column_int64(st, 7);
	out->exits_sacks = sqlite3_column_int64(st, 8);
	out->exits_g = sqlite3_column_int64(st, 9);
	out->has_marking = sqlite3_column_type(st, 10) != SQLITE_NULL;
	store_copy_text(out->organic_lot, sizeof(out->organic_lot), st, 11);
	store_copy_text(out->marks, sizeof(out->marks), st, 12);
	out->net_per_sack_g = sqlite3_column_int64(st, 13);
	db_release(st);
	return rc;
}

enum err
process_store_insert_exit(
    struct db *db, const struct plant_exit_row *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO plant_exits (organization_id, series, number,"
	    " issued_on, process_settlement_id, client_org_id, destination,"
	    " destination_address, carrier_name, carrier_doc, carrier_plate,"
	    " carrier_licence, carrier_brand, carrier_mtc, lot_code,"
	    " product_description, status, programs, sacks, gross_g, tare_g,"
	    " net_g, observations, created_by, created_at) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	    " ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)";
	const struct plant_carrier *c = r->carrier;
	sqlite3_stmt *st = NULL;
	enum err rc;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, r->org_id) ||
	    db_bind_text(st, 2, r->series) ||
	    sqlite3_bind_int64(st, 3, r->number) ||
	    db_bind_text(st, 4, r->issued_on) ||
	    sqlite3_bind_int64(st, 5, r->process_settlement_id) ||
	    sqlite3_bind_int64(st, 6, r->client_org_id) ||
	    db_bind_text(st, 7, r->destination) ||
	    db_bind_text(st, 8, r->destination_address) ||
	    db_bind_text(st, 9, c->name) || db_bind_text(st, 10, c->doc) ||
	    db_bind_text(st, 11, c->plate) ||
	    db_bind_text(st, 12, c->licence) ||
	    db_bind_text(st, 13, c->brand) || db_bind_text(st, 14, c->mtc) ||
	    db_bind_text(st, 15, r->lot_code) ||
	    db_bind_text(st, 16, r->product_description) ||
	    db_bind_text(st, 17, r->status) ||
	    db_bind_text(st, 18, r->programs) ||
	    sqlite3_bind_int64(st, 19, r->sacks) ||
	    sqlite3_bind_int64(st, 20, r->gross_g) ||
	    sqlite3_bind_int64(st, 21, r->tare_g) ||
	    sqlite3_bind_int64(st, 22, r->gross_g - r->tare_g) ||
	    db_bind_text(st, 23, r->observations) ||
	    sqlite3_bind_int64(st, 24, r->created_by) ||
	    sqlite3_bind_int64(st, 25, r->created_at)) {
		db_release(st);
		return db_fail(db, "process_store_insert_exit: bind");
	}
	return store_insert(db, st, "process_store_insert_exit", id);
}

/* clang-format off */
static const char process_annul_order[] =
    "UPDATE process_orders SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM process_settlements s"
    "  WHERE s.process_order_id = ?2 AND s.annulled_at IS NULL)"
    " AND NOT EXISTS (SELECT 1 FROM marking_orders m"
    "  WHERE m.process_order_id = ?2 AND m.annulled_at IS NULL)";
static const char process_annul_marking[] =
    "UPDATE marking_orders SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL";
static const char process_annul_settlement[] =
    "UPDATE process_settlements SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL AND NOT EXISTS (SELECT 1 FROM plant_exits e"
    "  WHERE e.process_settlement_id = ?2 AND e.annulled_at IS NULL)"
    " AND NOT EXISTS (SELECT 1 FROM export_lot_sources x"
    "  WHERE x.process_settlement_id = ?2 AND x.live = 1)";
static const char process_annul_exit[] =
    "UPDATE plant_exits SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL";
static const char process_state_order[] =
    "SELECT annulled_at IS NOT NULL FROM process_orders"
    " WHERE organization_id = ?1 AND id = ?2";
static const char process_state_marking[] =
    "SELECT annulled_at IS NOT NULL FROM marking_orders"
    " WHERE organization_id = ?1 AND id = ?2";
static const char process_state_settlement[] =
    "SELECT annulled_at IS NOT NULL FROM process_settlements"
    " WHERE organization_id = ?1 AND id = ?2";
static const char process_state_exit[] =
    "SELECT annulled_at IS NOT NULL FROM plant_exits"
    " WHERE organization_id = ?1 AND id = ?2";
/* tenancy: by the id of an order just annulled under its organization,
 * in the same transaction. */
/* The order's kilos go back to its receipts' balance. */
static const char process_free_inputs[] =
    "UPDATE process_order_inputs SET live = 0"
    " WHERE process_order_id = ?1 AND live = 1";
/* clang-format on */

static const struct store_annulment process_annulment[PROCESS_DOC_COUNT] = {
	[PROCESS_ORDER] = { process_annul_order, process_state_order,
	    process_free_inputs },
	[PROCESS_MARKING] = { process_annul_marking, process_state_marking,
	    NULL },
	[PROCESS_SETTLEMENT] = { process_annul_settlement,
	    process_state_settlement, NULL },
	[PROCESS_EXIT] = { process_annul_exit, process_state_exit, NULL },
};

enum err
process_store_annul(struct db *db, enum process_doc doc, int64_t org_id,
    int64_t id, int64_t by, int64_t now, const char *reason, int *state)
{
	*state = 0;
	if (doc >= PROCESS_DOC_COUNT)
		return ERR_INTERNAL;
	return store_annul(
	    db, &process_annulment[doc], org_id, id, by, now, reason, state);
}

enum err
process_store_find_receipt(
    struct db *db, int64_t plant_org, int64_t number, int64_t *id)
{
	static const char sql[] =
	    "SELECT id FROM plant_receipts WHERE organization_id = ?1"
	    " AND number = ?2 AND annulled_at IS NULL ORDER BY id LIMIT 1";

	return store_find_id(
	    db, sql, plant_org, number, "process_store_find_receipt", id);
}

enum err
process_store_set_parties(struct db *db, enum process_doc doc, int64_t org_id,
    int64_t id, const char *parties)
{
	static const char order_sql[] =
	    "UPDATE process_orders SET parties = ?3"
	    " WHERE organization_id = ?1 AND id = ?2";
	static const char marking_sql[] =
	    "UPDATE marking_orders SET parties = ?3"
	    " WHERE organization_id = ?1 AND id = ?2";
	static const char settlement_sql[] =
	    "UPDATE process_settlements SET parties = ?3"
	    " WHERE organization_id = ?1 AND id = ?2";
	static const char exit_sql[] =
	    "UPDATE plant_exits SET parties = ?3"
	    " WHERE organization_id = ?1 AND id = ?2";
	static const char *const sqls[PROCESS_DOC_COUNT] = { order_sql,
		marking_sql, settlement_sql, exit_sql };

	if (doc >= PROCESS_DOC_COUNT)
		return ERR_INTERNAL;
	return store_set_text(db, sqls[doc], org_id, id, parties);
}
