/*
 * pergamino bench-data: a synthetic national campaign (Peru-sized by
 * default: 300 cooperatives, 20 plants, 200 000 producers, 1 000 000
 * deliveries) written through the product's own schema, obeying its
 * rules (valid RUCs and DNIs, LPA and certifications, gap-free numbering,
 * segregation, exact mass balance, allocations within what each document
 * holds) and with a valid audit hash chain, so that the product's own
 * checks, reports and traces run on it.  Used by the benchmarks
 * (docs/performance.md).  Deterministic for a given seed, except the
 * accounts' password hashes (random salts).
 */
#ifndef PERGAMINO_BENCH_DATA_H
#define PERGAMINO_BENCH_DATA_H

#include <stdint.h>
#include <stdio.h>

#include "pergamino/db.h"
#include "pergamino/err.h"

/* The password of every generated account unless one is given. */
#define BENCH_DATA_PASSWORD_DEFAULT "pergamino-bench-data"

struct bench_data_options {
	int64_t producers;          /* 200 000 */
	int64_t deliveries;         /* 1 000 000 */
	int64_t cooperatives;       /* 300 */
	int64_t plants;             /* 20 */
	int64_t notes_per_dispatch; /* mean, 250 */
	int64_t campaign;           /* the year, e.g. 2025 */
	uint64_t seed;
	const char *password; /* of every account; checked by the policy */
};

/* Fill o with the national defaults (seed 1, campaign 2025). */
void bench_data_defaults(struct bench_data_options *o);

struct bench_data_counts {
	int64_t organizations, users, producers, plots;
	int64_t receptions, dispatches, dispatch_notes, plant_receipts;
	int64_t process_orders, process_settlements, plant_exits;
	int64_t export_lots, shipments, audit_events;
	double load_s, index_s, analyze_s, total_s; /* wall-clock seconds */
};

/*
 * Generate the dataset into db, which must hold no organizations, users
 * or audit events (ERR_CONFLICT otherwise) and be migrated.  One
 * transaction, with journal_mode=OFF and synchronous=OFF while it loads:
 * a failure (or a crash) leaves a database to delete, never a partial
 * one to use.  The secondary indexes are dropped before the load and
 * recreated from their own definitions after it (so are the two
 * segregation triggers on insert, whose rule the generator builds in);
 * the audit chain and the warehouse notes with their purchase
 * settlements are each written by their own thread into a side file
 * (<db>.bench-audit, <db>.bench-acopio, removed afterwards) and copied
 * in; then WAL is restored and ANALYZE runs.
 * Stages and percentages go to progress (may be NULL).  ERR_INVALID for
 * options out of range, with a reason in *why.
 */
enum err bench_data_generate(struct db *db, const struct bench_data_options *o,
    FILE *progress, struct bench_data_counts *out, const char **why);

#endif
