/*
 * Writes of the acopio documents and the registry facts their rules read.
 * Every statement is limited to the acting organization (?1).
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/acopio_store.h"
#include "pergamino/stores.h"

enum err
acopio_store_eligibility(struct db *db, int64_t org_id, int64_t producer_id,
    int64_t campaign, const char *date, struct acopio_eligibility *out)
{
	/*
	 * A certification is valid for the producer when it covers one of
	 * the producer's programs on the date.
	 */
	static const char sql[] =
	    "SELECT p.status, p.active,"
	    " EXISTS (SELECT 1 FROM lpa_entries l"
	    "  WHERE l.organization_id = ?1 AND l.producer_id = p.id"
	    "  AND l.campaign = ?3 AND l.withdrawn_on IS NULL),"
	    " (SELECT c.program FROM certifications c, json_each(p.programs) j"
	    "  WHERE c.organization_id = ?1 AND c.program = j.value"
	    "  AND c.valid_from <= ?4 AND c.valid_to >= ?4"
	    "  ORDER BY c.valid_to DESC, c.id LIMIT 1),"
	    " (SELECT c.certifier FROM certifications c, json_each(p.programs) "
	    "j"
	    "  WHERE c.organization_id = ?1 AND c.program = j.value"
	    "  AND c.valid_from <= ?4 AND c.valid_to >= ?4"
	    "  ORDER BY c.valid_to DESC, c.id LIMIT 1)"
	    " FROM producers p WHERE p.organization_id = ?1 AND p.id = ?2";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, producer_id) ||
	    sqlite3_bind_int64(st, 3, campaign) || db_bind_text(st, 4, date)) {
		db_release(st);
		return db_fail(db, "acopio_store_eligibility: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->found = true;
		store_copy_text(out->status, sizeof(out->status), st, 0);
		out->active = sqlite3_column_int(st, 1) == 1;
		out->on_lpa = sqlite3_column_int(st, 2) == 1;
		out->certified = sqlite3_column_type(st, 3) != SQLITE_NULL;
		store_copy_text(out->program, sizeof(out->program), st, 3);
		store_copy_text(out->certifier, sizeof(out->certifier), st, 4);
	} else if (step != SQLITE_DONE) {
		rc = db_fail(db, "acopio_store_eligibility");
	}
	db_release(st);
	return rc;
}

enum err
acopio_store_plot_of(struct db *db, int64_t org_id, int64_t plot_id,
    int64_t producer_id, bool *out)
{
	static const char sql[] =
	    "SELECT 1 FROM plots WHERE organization_id = ?1 AND id = ?2"
	    " AND producer_id = ?3";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*out = false;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, plot_id) ||
	    sqlite3_bind_int64(st, 3, producer_id)) {
		db_release(st);
		return db_fail(db, "acopio_store_plot_of: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = true;
	else if (step != SQLITE_DONE)
		rc = db_fail(db, "acopio_store_plot_of");
	db_release(st);
	return rc;
}

enum err
acopio_store_campaign(struct db *db, int64_t org_id, int64_t producer_id,
    int64_t campaign, int64_t *delivered_g, int64_t *estimate_g)
{
	static const char sql[] =
	    "SELECT (SELECT coalesce(sum(net_g), 0) FROM receptions"
	    "  WHERE organization_id = ?1 AND producer_id = ?2"
	    "  AND campaign = ?3 AND annulled_at IS NULL),"
	    " (SELECT coalesce(sum(e.estimated_g), 0) FROM plot_estimates e"
	    "  JOIN plots pl ON pl.organization_id = e.organization_id"
	    "  AND pl.id = e.plot_id"
	    "  WHERE e.organization_id = ?1 AND pl.producer_id = ?2"
	    "  AND pl.active = 1 AND e.campaign = ?3)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*delivered_g = *estimate_g = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    sqlite3_bind_int64(st, 2, producer_id) ||
	    sqlite3_bind_int64(st, 3, campaign)) {
		db_release(st);
		return db_fail(db, "acopio_store_campaign: bind");
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		*delivered_g = sqlite3_column_int64(st, 0);
		*estimate_g = sqlite3_column_int64(st, 1);
	} else {
		rc = db_fail(db, "acopio_store_campaign");
	}
	db_release(st);
	return rc;
}

enum err
acopio_store_insert_reception(
    struct db *db, const struct reception_row *r, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO receptions (organization_id, series, number,"
	    " issued_on, campaign, producer_id, plot_id, delivery_code, status,"
	    " sacks, gross_g, tare_g, net_g, qq_centi, sample_g, exportable_g,"
	    " discard_g, husk_g, exportable_pct, discard_pct, husk_pct,"
	    " humidity, humidity_warning, over_estimate, observations,"
	    " weighed_by, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
	    " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)";
	const struct reception_input *w = r->w;
	const struct reception_figures *f = r->fig;
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
	    sqlite3_bind_int64(st, 5, r->campaign) ||
	    sqlite3_bind_int64(st, 6, r->producer_id) ||
	    (r->plot_id == 0 ? sqlite3_bind_null(st, 7)
	                     : sqlite3_bind_int64(st, 7, r->plot_id)) ||
	    db_bind_text(st, 8, r->delivery_code) ||
	    db_bind_text(st, 9, r->status) ||
	    sqlite3_bind_int64(st, 10, w->sacks) ||
	    sqlite3_bind_int64(st, 11, w->gross_g) ||
	    sqlite3_bind_int64(st, 12, w->tare_g) ||
	    sqlite3_bind_int64(st, 13, f->net_g) ||
	    sqlite3_bind_int64(st, 14, f->qq_centi) ||
	    sqlite3_bind_int64(st, 15, w->sample_g) ||
	    sqlite3_bind_int64(st, 16, w->exportable_g) ||
	    sqlite3_bind_int64(st, 17, w->discard_g) ||
	    sqlite3_bind_int64(st, 18, w->husk_g) ||
	    sqlite3_bind_int64(st, 19, f->exportable_pct) ||
	    sqlite3_bind_int64(st, 20, f->discard_pct) ||
	    sqlite3_bind_int64(st, 21, f->husk_pct) ||
	    sqlite3_bind_int64(st, 22, w->humidity) ||
	    sqlite3_bind_int(st, 23, r->humidity_warning) ||
	    sqlite3_bind_int(st, 24, r->over_estimate) ||
	    db_bind_text(st, 25, r->observations) ||
	    db_bind_text(st, 26, r->weighed_by) ||
	    sqlite3_bind_int64(st, 27, r->created_by) ||
	    sqlite3_bind_int64(st, 28, r->created_at)) {
		db_release(st);
		return db_fail(db, "acopio_store_insert_reception: bind");
	}
	return store_insert(db, st, "acopio_store_insert_reception", id);
}

enum err
acopio_store_reception_facts(
    struct db *db, int64_t org_id, int64_t id, struct reception_facts *out)
{
	static const char sql[] =
	    "SELECT r.producer_id, r.qq_centi, r.net_g, r.humidity,"
	    " r.exportable_pct, r.campaign, r.status, r.issued_on,"
	    " r.annulled_at IS NOT NULL,"
	    " EXISTS (SELECT 1 FROM warehouse_notes n WHERE n.reception_id = "
	    "r.id"
	    "  AND n.annulled_at IS NULL)"
	    " FROM receptions r WHERE r.organization_id = ?1 AND r.id = ?2";
	sqlite3_stmt *st;
	enum err rc;

	memset(out, 0, sizeof(*out));
	rc = store_first_row(
	    db, sql, org_id, id, "acopio_store_reception_facts", &st);
	if (rc != ERR_OK || st == NULL)
		return rc;
	out->found = true;
	out->producer_id = sqlite3_column_int64(st, 0);
	out->qq_centi = sqlite3_column_int64(st, 1);
	out->net_g = sqlite3_column_int64(st, 2);
	out->humidity = sqlite3_column_int64(st, 3);
	out->exportable_pct = sqlite3_column_int64(st, 4);
	out->campaign = sqlite3_column_int64(st, 5);
	store_copy_text(out->status, sizeof(out->status), st, 6);
	store_copy_text(out->issued_on, sizeof(out->issued_on), st, 7);
	out->annulled = sqlite3_column_int(st, 8) == 1;
	out->has_note = sqlite3_column_int(st, 9) == 1;
	db_release(st);
	return rc;
}

enum err
acopio_store_insert_note(struct db *db, const struct note_row *n, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO warehouse_notes (organization_id, series, number,"
	    " issued_on, reception_id, price_centimos, yield_pct,"
	    " total_centimos, certification_program, certifier, observations,"
	    " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	    " ?9, ?10, ?11, ?12, ?13)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, n->org_id) ||
	    db_bind_text(st, 2, n->series) ||
	    sqlite3_bind_int64(st, 3, n->number) ||
	    db_bind_text(st, 4, n->issued_on) ||
	    sqlite3_bind_int64(st, 5, n->reception_id) ||
	    sqlite3_bind_int64(st, 6, n->price_centimos) ||
	    sqlite3_bind_int64(st, 7, n->yield_pct) ||
	    sqlite3_bind_int64(st, 8, n->total_centimos) ||
	    db_bind_text(st, 9, n->program) ||
	    db_bind_text(st, 10, n->certifier) ||
	    db_bind_text(st, 11, n->observations) ||
	    sqlite3_bind_int64(st, 12, n->created_by) ||
	    sqlite3_bind_int64(st, 13, n->created_at)) {
		db_release(st);
		return db_fail(db, "acopio_store_insert_note: bind");
	}
	return store_insert(db, st, "acopio_store_insert_note", id);
}

enum err
acopio_store_note_facts(
    struct db *db, int64_t org_id, int64_t id, struct note_facts *out)
{
	static const char sql[] =
	    "SELECT r.qq_centi, r.net_g, r.humidity, n.price_centimos,"
	    " r.status, n.issued_on, n.annulled_at IS NOT NULL,"
	    " EXISTS (SELECT 1 FROM purchase_settlements s"
	    "  WHERE s.note_id = n.id AND s.annulled_at IS NULL)"
	    " FROM warehouse_notes n JOIN receptions r"
	    " ON r.organization_id = n.organization_id AND r.id = "
	    "n.reception_id"
	    " WHERE n.organization_id = ?1 AND n.id = ?2";
	sqlite3_stmt *st;
	enum err rc;

	memset(out, 0, sizeof(*out));
	rc = store_first_row(
	    db, sql, org_id, id, "acopio_store_note_facts", &st);
	if (rc != ERR_OK || st == NULL)
		return rc;
	out->found = true;
	out->qq_centi = sqlite3_column_int64(st, 0);
	out->net_g = sqlite3_column_int64(st, 1);
	out->humidity = sqlite3_column_int64(st, 2);
	out->price_centimos = sqlite3_column_int64(st, 3);
	store_copy_text(out->status, sizeof(out->status), st, 4);
	store_copy_text(out->issued_on, sizeof(out->issued_on), st, 5);
	out->annulled = sqlite3_column_int(st, 6) == 1;
	out->has_settlement = sqlite3_column_int(st, 7) == 1;
	db_release(st);
	return rc;
}

enum err
acopio_store_insert_settlement(
    struct db *db, const struct settlement_row *s, int64_t *id)
{
	static const char sql[] =
	    "INSERT INTO purchase_settlements (organization_id, series, number,"
	    " issued_on, note_id, quality, place_of_sale, qq_centi, net_g,"
	    " humidity, price_centimos, subtotal_centimos, igv_rate_bp,"
	    " igv_centimos, total_centimos, amount_words, created_by,"
	    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
	sqlite3_stmt *st = NULL;
	enum err rc;

	*id = 0;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, s->org_id) ||
	    db_bind_text(st, 2, s->series) ||
	    sqlite3_bind_int64(st, 3, s->number) ||
	    db_bind_text(st, 4, s->issued_on) ||
	    sqlite3_bind_int64(st, 5, s->note_id) ||
	    db_bind_text(st, 6, s->quality) ||
	    db_bind_text(st, 7, s->place_of_sale) ||
	    sqlite3_bind_int64(st, 8, s->qq_centi) ||
	    sqlite3_bind_int64(st, 9, s->net_g) ||
	    sqlite3_bind_int64(st, 10, s->humidity) ||
	    sqlite3_bind_int64(st, 11, s->price_centimos) ||
	    sqlite3_bind_int64(st, 12, s->fig->subtotal_centimos) ||
	    sqlite3_bind_int64(st, 13, s->igv_rate_bp) ||
	    sqlite3_bind_int64(st, 14, s->fig->igv_centimos) ||
	    sqlite3_bind_int64(st, 15, s->fig->total_centimos) ||
	    db_bind_text(st, 16, s->fig->words) ||
	    sqlite3_bind_int64(st, 17, s->created_by) ||
	    sqlite3_bind_int64(st, 18, s->created_at)) {
		db_release(st);
		return db_fail(db, "acopio_store_insert_settlement: bind");
	}
	return store_insert(db, st, "acopio_store_insert_settlement", id);
}

/* clang-format off */
static const char acopio_annul_reception[] =
    "UPDATE receptions SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL AND NOT EXISTS (SELECT 1 FROM warehouse_notes n"
    " WHERE n.reception_id = ?2 AND n.annulled_at IS NULL)";
static const char acopio_annul_note[] =
    "UPDATE warehouse_notes SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL AND NOT EXISTS (SELECT 1 FROM"
    " purchase_settlements s WHERE s.note_id = ?2 AND s.annulled_at IS NULL)"
    " AND NOT EXISTS (SELECT 1 FROM dispatch_notes dn WHERE dn.note_id = ?2"
    " AND dn.live = 1)";
static const char acopio_annul_settlement[] =
    "UPDATE purchase_settlements SET annulled_at = ?3, annulled_by = ?4,"
    " annul_reason = ?5 WHERE organization_id = ?1 AND id = ?2"
    " AND annulled_at IS NULL";
static const char acopio_state_reception[] =
    "SELECT annulled_at IS NOT NULL FROM receptions"
    " WHERE organization_id = ?1 AND id = ?2";
static const char acopio_state_note[] =
    "SELECT annulled_at IS NOT NULL FROM warehouse_notes"
    " WHERE organization_id = ?1 AND id = ?2";
static const char acopio_state_settlement[] =
    "SELECT annulled_at IS NOT NULL FROM purchase_settlements"
    " WHERE organization_id = ?1 AND id = ?2";
/* clang-format on */

/* Nothing an acopio document holds is released: no release_sql. */
static const struct store_annulment acopio_annulment[] = {
	[ACOPIO_RECEPTION] = { acopio_annul_reception, acopio_state_reception,
	    NULL },
	[ACOPIO_NOTE] = { acopio_annul_note, acopio_state_note, NULL },
	[ACOPIO_SETTLEMENT] = { acopio_annul_settlement,
	    acopio_state_settlement, NULL },
};

enum err
acopio_store_annul(struct db *db, enum acopio_doc doc, int64_t org_id,
    int64_t id, int64_t by, int64_t now, const char *reason, int *state)
{
	/* Any other value reads as a settlement, as it always has. */
	enum acopio_doc k = doc == ACOPIO_RECEPTION || doc == ACOPIO_NOTE
	    ? doc
	    : ACOPIO_SETTLEMENT;

	return store_annul(
	    db, &acopio_annulment[k], org_id, id, by, now, reason, state);
}

enum err
acopio_store_set_parties(struct db *db, enum acopio_doc doc, int64_t org_id,
    int64_t id, const char *parties)
{
	static const char reception_sql[] =
	    "UPDATE receptions SET parties = ?3"
	    " WHERE organization_id = ?1 AND id = ?2";
	static const char note_sql[] =
	    "UPDATE warehouse_notes SET parties = ?3"
	    " WHERE organization_id = ?1 AND id = ?2";
	static const char settlement_sql[] =
	    "UPDATE purchase_settlements SET parties = ?3"
	    " WHERE organization_id = ?1 AND id = ?2";
	const char *sql = doc == ACOPIO_RECEPTION ? reception_sql
	    : doc == ACOPIO_NOTE                  ? note_sql
	                                          : settlement_sql;

	return store_set_text(db, sql, org_id, id, parties);
}
