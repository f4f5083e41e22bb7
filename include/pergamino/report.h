/*
 * Reports over the whole chain (src/db/report_store.c): the mass balance
 * of an organization's coffee for a period, per certification status,
 * and the registers (one CSV row per document) of every document type.
 * Registers are scoped like the documents (issuer or counterpart in the
 * viewer's user_scope); the mass balance is of one coffee owner whose
 * records the viewer may read.
 */
#ifndef PERGAMINO_REPORT_H
#define PERGAMINO_REPORT_H

#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "pergamino/db.h"
#include "pergamino/err.h"

/*
 * Mass balance of org_id's coffee issued from..to (YYYY-MM-DD,
 * inclusive) with stocks at the end of to.  ERR_NOT_FOUND when org_id is
 * not in the viewer's scope.  *out is a new reference.
 */
enum err report_mass_balance_json(struct db *db, int64_t viewer_id,
    int64_t org_id, const char *from, const char *to, json_t **out);

/*
 * Formats of a register's columns, one letter each: t text, d date,
 * k kg (grams), i integer, m money (céntimos), s status, h humidity
 * (tenths), p percentage (hundredths), a annulled flag.
 */
struct report_register {
	const char *name;     /* "receptions" */
	const char *filename; /* "registro-recepciones.csv" */
	const char *const *header;
	const char *formats; /* one letter per column */
	const char *sql;
};

/* The register called name, or NULL. */
const struct report_register *report_register_find(const char *name);

typedef void (*report_row_fn)(void *arg, sqlite3_stmt *st);

/*
 * Step register reg for viewer (from/to may be NULL), calling row for
 * each row (columns as reg->formats says).
 */
enum err report_register_rows(struct db *db, int64_t viewer_id,
    const struct report_register *reg, const char *from, const char *to,
    report_row_fn row, void *arg);

#endif
