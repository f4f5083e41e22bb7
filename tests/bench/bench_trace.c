/*
 * Benchmark of the trace (not a test: ctest does not run it).  Builds a
 * database file with LOTS export lots, each made of PRODUCERS producers'
 * deliveries (reception, note, settlement, one guía of all the lot's
 * notes, its plant receipt, a process order, a LOP, an exit guide, the
 * export lot and a shipment), written with SQL matching migrations/ (the
 * triggers check it), then times through the same code the API uses:
 * the backward trace of an export lot, the forward trace of a producer,
 * the recall from a producer and the EUDR GeoJSON of a lot.  Prints the
 * median and the 95th percentile of each.
 *
 * usage: bench_trace [DIR [LOTS [PRODUCERS [ITERATIONS]]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "pergamino/db.h"
#include "pergamino/parse.h"
#include "pergamino/trace.h"

#define DEFAULT_LOTS 40
#define DEFAULT_PRODUCERS 250
#define DEFAULT_ITERATIONS 200
#define DELIVERY_G 80000 /* 80 kg each */

static const char base_sql[] =
    "INSERT INTO organizations (id, name, ruc, kind, created_at) VALUES"
    " (1, 'Cooperativa', '20427376983', 'cooperative', 0),"
    " (2, 'Planta', '20510780796', 'plant', 0);"
    "INSERT INTO users (id, organization_id, username, display_name, role,"
    " password_hash, created_at, password_changed_at) VALUES"
    " (1, 1, 'coop', 'Coop', 'admin', 'x', 0, 0),"
    " (2, 2, 'plant', 'Plant', 'admin', 'x', 0, 0);";

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
exec(sqlite3 *h, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "bench: %s\n", err != NULL ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* One lot: producers' deliveries through to a shipment (ids from lot). */
static int
build_lot(sqlite3 *h, int lot, int producers)
{
	char sql[2048];
	long long base = (long long)lot * producers, id, total, exportable;
	int i;

	for (i = 0; i < producers; i++) {
		id = base + i + 1;
		snprintf(sql, sizeof(sql),
		    "INSERT INTO producers (id, organization_id, dni,"
		    " first_names, last_names, sex, caserio, district, status,"
		    " programs, created_at) VALUES (%lld, 1, '%08lld',"
		    " 'Productor', 'N %lld', 'M', 'Caserío', 'San Ignacio',"
		    " 'organic', '[\"EU\"]', 0);"
		    "INSERT INTO plots (id, organization_id, producer_id, name,"
		    " area_m2, geometry, created_at) VALUES (%lld, 1, %lld,"
		    " 'Fundo', 15000, '{\"type\":\"Point\",\"coordinates\":"
		    "[\"-78.996512\",\"-5.141873\"]}', 0);"
		    "INSERT INTO receptions (id, organization_id, number,"
		    " issued_on, campaign, producer_id, plot_id, status, sacks,"
		    " gross_g, tare_g, net_g, qq_centi, sample_g, exportable_g,"
		    " discard_g, husk_g, exportable_pct, discard_pct, husk_pct,"
		    " humidity, created_by, created_at) VALUES (%lld, 1, %lld,"
		    " '2017-06-10', 2017, %lld, %lld, 'organic', 1, %d, 0, %d,"
		    " 145, 300, 204, 36, 60, 6800, 1200, 2000, 125, 1, 0);"
		    "INSERT INTO warehouse_notes (id, organization_id, number,"
		    " issued_on, reception_id, price_centimos, yield_pct,"
		    " total_centimos, certification_program, created_by,"
		    " created_at) VALUES (%lld, 1, %lld, '2017-06-10', %lld,"
		    " 41200, 6800, 59740, 'EU', 1, 0);"
		    "INSERT INTO purchase_settlements (id, organization_id,"
		    " number, issued_on, note_id, quality, qq_centi, net_g,"
		    " humidity, price_centimos, subtotal_centimos, igv_rate_bp,"
		    " igv_centimos, total_centimos, amount_words, created_by,"
		    " created_at) VALUES (%lld, 1, %lld, '2017-06-10', %lld,"
		    " 'Café pergamino orgánico', 145, %d, 125, 41200, 59740, 0,"
		    " 0, 59740, '', 1, 0);",
		    id, id, id, id, id, id, id, id, id, DELIVERY_G, DELIVERY_G,
		    id, id, id, id, id, id, DELIVERY_G);
		if (exec(h, sql) != 0)
			return -1;
	}
	total = (long long)producers * DELIVERY_G;
	exportable = total * 3 / 4 / 69000 * 69000;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO dispatches (id, organization_id, number, issued_on,"
	    " transfer_on, recipient_org_id, reason, lot_code, description,"
	    " status, programs, sacks, declared_g, notes_sacks, notes_g,"
	    " created_by, created_at) VALUES (%d, 1, %d, '2017-06-23',"
	    " '2017-06-23', 2, 3, 'CO-%d', 'Café pergamino', 'organic',"
	    " '[\"EU\"]', %d, %lld, %d, %lld, 1, 0);",
	    lot + 1, lot + 1, lot + 1, producers, total, producers, total);
	if (exec(h, sql) != 0)
		return -1;
	for (i = 0; i < producers; i++) {
		snprintf(sql, sizeof(sql),
		    "INSERT INTO dispatch_notes (dispatch_id, organization_id,"
		    " note_id, position) VALUES (%d, 1, %lld, %d);",
		    lot + 1, base + i + 1, i + 1);
		if (exec(h, sql) != 0)
			return -1;
	}
	snprintf(sql, sizeof(sql),
	    "INSERT INTO plant_receipts (id, organization_id, number,"
	    " issued_on, dispatch_id, client_org_id, product, status, programs,"
	    " sacks, gross_g, tare_g, net_g, created_by, created_at) VALUES"
	    " (%d, 2, %d, '2017-06-24', %d, 1, 'Café pergamino', 'organic',"
	    " '[\"EU\"]', %d, %lld, 0, %lld, 2, 0);"
	    "INSERT INTO process_orders (id, organization_id, number, "
	    "issued_on,"
	    " plant_org_id, status, programs, input_g, created_by, created_at)"
	    " VALUES (%d, 1, %d, '2017-06-24', 2, 'organic', '[\"EU\"]', %lld,"
	    " 1, 0);"
	    "INSERT INTO process_order_inputs (process_order_id,"
	    " plant_receipt_id, kilos_g) VALUES (%d, %d, %lld);"
	    "INSERT INTO process_settlements (id, organization_id, number,"
	    " issued_on, process_order_id, client_org_id, status, programs,"
	    " input_g, lot_code, created_by, created_at) VALUES (%d, 2, %d,"
	    " '2017-06-25', %d, 1, 'organic', '[\"EU\"]', %lld, 'L-%d', 2, 0);"
	    "INSERT INTO process_settlement_outputs VALUES (%d, 'export', "
	    "%lld),"
	    " (%d, 'husk', %lld);"
	    "INSERT INTO plant_exits (id, organization_id, number, issued_on,"
	    " process_settlement_id, client_org_id, destination, lot_code,"
	    " product_description, status, programs, sacks, gross_g, tare_g,"
	    " net_g, created_by, created_at) VALUES (%d, 2, %d, '2017-06-30',"
	    " %d, 1, 'Unimar', '%03d-17', 'Café verde', 'organic', '[\"EU\"]',"
	    " %lld, %lld, 0, %lld, 2, 0);",
	    lot + 1, lot + 1, lot + 1, producers, total, total, lot + 1,
	    lot + 1, total, lot + 1, lot + 1, total, lot + 1, lot + 1, lot + 1,
	    total, lot + 1, lot + 1, exportable, lot + 1, total - exportable,
	    lot + 1, lot + 1, lot + 1, lot + 1, exportable / 69000, exportable,
	    exportable);
	if (exec(h, sql) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO export_lots (id, organization_id, number, issued_on,"
	    " organic_lot, ico_country, ico_exporter, ico_sequence, ico_mark,"
	    " status, programs, sacks, kilos_g, created_by, created_at) VALUES"
	    " (%d, 1, %d, '2017-06-26', '%03d-17', 30, '861', %d,"
	    " '30/861/%d', 'organic', '[\"EU\"]', %lld, %lld, 1, 0);"
	    "INSERT INTO export_lot_sources (export_lot_id,"
	    " process_settlement_id, category, kilos_g) VALUES (%d, %d,"
	    " 'export', %lld);"
	    "INSERT INTO shipments (id, organization_id, number, issued_on,"
	    " buyer_name, status, programs, sacks, kilos_g, created_by,"
	    " created_at) VALUES (%d, 1, %d, '2017-07-05', 'Buyer', 'organic',"
	    " '[\"EU\"]', %lld, %lld, 1, 0);"
	    "INSERT INTO shipment_lots (shipment_id, export_lot_id, sacks,"
	    " kilos_g) VALUES (%d, %d, %lld, %lld);",
	    lot + 1, lot + 1, lot + 1, 1544 + lot, 1544 + lot,
	    exportable / 69000, exportable, lot + 1, lot + 1, exportable,
	    lot + 1, lot + 1, exportable / 69000, exportable, lot + 1, lot + 1,
	    exportable / 69000, exportable);
	return exec(h, sql);
}

enum bench_op { OP_LOT, OP_PRODUCER, OP_RECALL, OP_GEOJSON, OP_COUNT };

static const char *const op_names[OP_COUNT] = {
	"backward trace of an export lot",
	"forward trace of a producer",
	"recall from a producer",
	"EUDR GeoJSON of an export lot",
};

static enum err
run_op(struct db *db, enum bench_op op, int64_t lot, int64_t producer)
{
	json_t *out = NULL;
	enum err rc;

	switch (op) {
	case OP_LOT:
		rc = trace_document_json(db, 1, TRACE_EXPORT_LOT, lot, &out);
		break;
	case OP_PRODUCER:
		rc = trace_producer_json(db, 1, producer, &out);
		break;
	case OP_RECALL:
		rc = trace_recall_json(db, 1, TRACE_PRODUCER, producer, &out);
		break;
	default:
		rc = trace_geojson(db, 1, TRACE_EXPORT_LOT, lot, &out);
		break;
	}
	json_decref(out);
	return rc;
}

/* Argument i as a count (1..100000), def when absent, 0 when junk. */
static int
arg(int argc, char **argv, int i, int def)
{
	uint64_t v;

	if (argc <= i)
		return def;
	if (parse_uint(argv[i], 100000, &v) != ERR_OK)
		return 0;
	return (int)v;
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	int lots = arg(argc, argv, 2, DEFAULT_LOTS);
	int producers = arg(argc, argv, 3, DEFAULT_PRODUCERS);
	int iterations = arg(argc, argv, 4, DEFAULT_ITERATIONS);
	char path[512];
	struct db *db = NULL;
	double t0, *ms;
	int lot, i, op;
	int64_t target_lot, target_producer;

	if (lots < 1 || producers < 1 || iterations < 1)
		return 2;
	snprintf(
	    path, sizeof(path), "%s/bench_trace_%ld.db", dir, (long)getpid());
	if (db_open(path, &db) != ERR_OK || db_migrate(db) != ERR_OK)
		return 1;
	t0 = now_ms();
	if (exec(db_handle(db), "BEGIN") != 0 ||
	    exec(db_handle(db), base_sql) != 0)
		return 1;
	for (lot = 0; lot < lots; lot++)
		if (build_lot(db_handle(db), lot, producers) != 0)
			return 1;
	if (exec(db_handle(db), "COMMIT; ANALYZE") != 0)
		return 1;
	printf("built %d export lots x %d producers (%d deliveries) in %.0f"
	       " ms\n",
	    lots, producers, lots * producers, now_ms() - t0);
	ms = calloc((size_t)iterations, sizeof(*ms));
	if (ms == NULL)
		return 1;
	target_lot = lots / 2 + 1;
	target_producer = (int64_t)(lots / 2) * producers + producers / 2 + 1;
	for (op = 0; op < OP_COUNT; op++) {
		/* Warm the statement cache and the page cache once. */
		if (run_op(db, (enum bench_op)op, target_lot,
		        target_producer) != ERR_OK)
			return 1;
		for (i = 0; i < iterations; i++) {
			t0 = now_ms();
			run_op(
			    db, (enum bench_op)op, target_lot, target_producer);
			ms[i] = now_ms() - t0;
		}
		qsort(ms, (size_t)iterations, sizeof(*ms), cmp_double);
		printf("%-34s median %7.3f ms  p95 %7.3f ms  (%d runs)\n",
		    op_names[op], ms[iterations / 2],
		    ms[(iterations * 95) / 100 < iterations
		            ? (iterations * 95) / 100
		            : iterations - 1],
		    iterations);
	}
	free(ms);
	db_close(db);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bench_trace_%ld.db-wal", dir,
	    (long)getpid());
	unlink(path);
	snprintf(path, sizeof(path), "%s/bench_trace_%ld.db-shm", dir,
	    (long)getpid());
	unlink(path);
	return 0;
}
