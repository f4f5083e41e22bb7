/*
 * SQL expressions that build a document's JSON inside SQLite
 * (json_object), for stores that answer with SQL-built text instead of a
 * Jansson tree: one pass from the row to the bytes sent, no tree, no
 * re-parse of stored JSON text.  Each formats exactly as its Jansson
 * counterpart in util/jsonx.c does (same digits, same nulls).  x is an
 * SQL expression; it is evaluated more than once, so keep it a column.
 */
#ifndef PERGAMINO_SQL_JSON_H
#define PERGAMINO_SQL_JSON_H

/* clang-format off */

/*
 * An integer scaled by 10^digits as an exact decimal string, as
 * units_format_decimal(v, digits, digits): 472600 -> "472.600",
 * -5 -> "-0.005"; NULL stays null.  div is 10^digits.
 */
#define SQLJ_DEC(x, div, digits) "CASE WHEN (" x ") IS NULL THEN NULL"      \
	" ELSE (CASE WHEN (" x ") < 0 THEN '-' ELSE '' END) || printf('%d.%0" \
	digits "d', abs(" x ") / " div ", abs(" x ") % " div ") END"
#define SQLJ_DEC1(x) SQLJ_DEC(x, "10", "1")
#define SQLJ_DEC2(x) SQLJ_DEC(x, "100", "2")
#define SQLJ_DEC3(x) SQLJ_DEC(x, "1000", "3")

/* Unix seconds as "2026-11-23T15:02:00Z" (jsonx_time); NULL stays null. */
#define SQLJ_TIME(x) "strftime('%Y-%m-%dT%H:%M:%SZ', " x ", 'unixepoch')"

/* 0/NULL false, anything else true (jsonx_column_bool). */
#define SQLJ_BOOL(x) "CASE WHEN " x " THEN json('true') ELSE json('false') END"

/* A document's printed number: "5469", or "001-0064" with a series. */
#define SQLJ_NUMBER_TEXT(t) "CASE WHEN " t ".series = '' THEN CAST("       \
	t ".number AS TEXT) ELSE " t ".series || '-' || printf('%04d', "       \
	t ".number) END"

/*
 * JSON text we stored (a producer's programs) embedded as JSON.  Text that
 * does not parse fails the statement instead of showing a default: json()
 * cannot tell malformed text from running out of memory (json_valid()
 * says 0 for both), and an empty list shown for a moment would be frozen
 * into the parties of a document issued at that moment.
 */
#define SQLJ_JSON(x) "json(" x ")"

/* clang-format on */

#endif
