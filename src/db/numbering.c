/*
 * The numbering service: correlative document numbers per organization,
 * document type and series.  numbering_next() runs inside the document's
 * own BEGIN IMMEDIATE transaction, so a number is used exactly when the
 * document commits: never reused, never skipped.
 */
#include <string.h>

#include "pergamino/stores.h"

/* clang-format off */
static const char *const numbering_types[] = {
	"reception", "warehouse_note", "purchase_settlement", "dispatch",
	"plant_receipt", "process_order", "marking_order",
	"process_settlement", "plant_exit", "export_lot", "shipment",
	"ico-mark", NULL,
};
/* clang-format on */

bool
numbering_doc_type_valid(const char *doc_type)
{
	size_t i;

	for (i = 0; doc_type != NULL && numbering_types[i] != NULL; i++)
		if (strcmp(doc_type, numbering_types[i]) == 0)
			return true;
	return false;
}

enum err
numbering_next(struct db *db, int64_t org_id, const char *doc_type,
    const char *series, int64_t *out)
{
	static const char sql[] =
	    "INSERT INTO numbering (organization_id, doc_type, series,"
	    " next_number, issued) VALUES (?1, ?2, ?3, 2, 1)"
	    " ON CONFLICT DO UPDATE SET next_number = next_number + 1,"
	    " issued = issued + 1"
	    " RETURNING next_number - 1";
	sqlite3_stmt *st = NULL;
	enum err rc;
	int step;

	*out = 0;
	if (!numbering_doc_type_valid(doc_type))
		return ERR_INTERNAL;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    db_bind_text(st, 2, doc_type) ||
	    db_bind_text(st, 3, series != NULL ? series : "")) {
		db_release(st);
		return db_fail(db, "numbering_next: bind");
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		rc = db_fail(db, "numbering_next");
	/* Step to the end so the RETURNING statement completes. */
	while (step == SQLITE_ROW)
		step = sqlite3_step(st);
	db_release(st);
	return rc;
}

enum err
numbering_set_start(struct db *db, int64_t org_id, const char *doc_type,
    const char *series, int64_t next)
{
	static const char sql[] =
	    "INSERT INTO numbering (organization_id, doc_type, series,"
	    " next_number, issued) VALUES (?1, ?2, ?3, ?4, 0)"
	    " ON CONFLICT DO UPDATE SET next_number = ?4 WHERE issued = 0";
	sqlite3_stmt *st = NULL;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    db_bind_text(st, 2, doc_type) ||
	    db_bind_text(st, 3, series != NULL ? series : "") ||
	    sqlite3_bind_int64(st, 4, next)) {
		db_release(st);
		return db_fail(db, "numbering_set_start: bind");
	}
	rc = store_done(db, st, "numbering_set_start");
	if (rc == ERR_OK && sqlite3_changes(db_handle(db)) == 0)
		rc = ERR_CONFLICT;
	return rc;
}

static json_t *
numbering_row(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:s, s:I, s:I}", "doc_type",
	    db_column_text(st, 1), "series", db_column_text(st, 2),
	    "next_number", (json_int_t)sqlite3_column_int64(st, 3), "issued",
	    (json_int_t)sqlite3_column_int64(st, 4));
}

enum err
numbering_list_json(struct db *db, int64_t org_id, json_t **items)
{
	static const char sql[] =
	    "SELECT rowid, doc_type, series, next_number, issued"
	    " FROM (SELECT 0 AS rowid, doc_type, series, next_number, issued"
	    " FROM numbering WHERE organization_id = ?1)"
	    " ORDER BY doc_type, series LIMIT 1000";
	sqlite3_stmt *st = NULL;
	int64_t next;
	enum err rc;

	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id)) {
		db_release(st);
		return db_fail(db, "numbering_list_json: bind");
	}
	return store_page(db, st, 1000, numbering_row, items, &next);
}

enum err
numbering_take(struct db *db, int64_t org_id, const char *doc_type,
    const char *series, int64_t used)
{
	static const char sql[] =
	    "INSERT INTO numbering (organization_id, doc_type, series,"
	    " next_number, issued) VALUES (?1, ?2, ?3, ?4 + 1, 1)"
	    " ON CONFLICT DO UPDATE SET"
	    " next_number = max(next_number, excluded.next_number),"
	    " issued = issued + 1";
	sqlite3_stmt *st = NULL;
	enum err rc;

	if (!numbering_doc_type_valid(doc_type) || used < 1)
		return ERR_INTERNAL;
	rc = db_prepare(db, sql, &st);
	if (rc != ERR_OK)
		return rc;
	if (sqlite3_bind_int64(st, 1, org_id) ||
	    db_bind_text(st, 2, doc_type) ||
	    db_bind_text(st, 3, series != NULL ? series : "") ||
	    sqlite3_bind_int64(st, 4, used)) {
		db_release(st);
		return db_fail(db, "numbering_take: bind");
	}
	return store_done(db, st, "numbering_take");
}
