/*
 * libFuzzer target: every request-body reader of the API.
 *
 * Input: byte 0 picks the reader (modulo the table below), the rest is
 * the request body.  The body goes through what request_json() does
 * (JSON_REJECT_DUPLICATES, object only) and then through the resource's
 * own reader (fields/read_*.c): unknown keys, types, lengths, decimals,
 * dates, nested objects and arrays (inputs[], sources[], lots[], carrier,
 * outputs, location), and the pure checks the handler runs before SQL.
 * The last entry reads the body as the CSV of a registry import instead.
 *
 * The oracle is the sanitizers (ASan, UBSan, leaks) plus what problem.c
 * relies on when it answers: every per-field error is an object with a
 * field, a code and a detail.  For CSV: every row has 1..CSV_FIELDS_MAX
 * fields and no field holds a NUL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_fields.h"
#include "pergamino/csv.h"
#include "pergamino/log.h"

/* clang-format off */
static const struct {
	const char *name;
	fuzz_reader_fn read;
} fuzz_readers[] = {
	{ "login", fuzz_read_login },
	{ "password_change", fuzz_read_password_change },
	{ "user_create", fuzz_read_user_create },
	{ "user_patch", fuzz_read_user_patch },
	{ "user_password", fuzz_read_user_password },
	{ "organization", fuzz_read_organization },
	{ "grant", fuzz_read_grant },
	{ "token", fuzz_read_token },
	{ "numbering", fuzz_read_numbering },
	{ "settings", fuzz_read_settings },
	{ "reception", fuzz_read_reception },
	{ "warehouse_note", fuzz_read_warehouse_note },
	{ "purchase_settlement", fuzz_read_purchase_settlement },
	{ "annul", fuzz_read_annul },
	{ "dispatch", fuzz_read_dispatch },
	{ "plant_receipt", fuzz_read_plant_receipt },
	{ "producer_create", fuzz_read_producer_create },
	{ "producer_patch", fuzz_read_producer_patch },
	{ "plot_create", fuzz_read_plot_create },
	{ "plot_patch", fuzz_read_plot_patch },
	{ "plot_estimate", fuzz_read_plot_estimate },
	{ "certification", fuzz_read_certification },
	{ "lpa_approve", fuzz_read_lpa_approve },
	{ "lpa_withdraw", fuzz_read_lpa_withdraw },
	{ "process_order", fuzz_read_process_order },
	{ "marking_order", fuzz_read_marking_order },
	{ "process_settlement", fuzz_read_process_settlement },
	{ "plant_exit", fuzz_read_plant_exit },
	{ "export_lot", fuzz_read_export_lot },
	{ "shipment", fuzz_read_shipment },
};
/* clang-format on */

#define FUZZ_READERS (sizeof(fuzz_readers) / sizeof(fuzz_readers[0]))

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	return 0;
}

/* What the import handlers do with a CSV body before any row is used. */
static void
fuzz_csv(const char *body, size_t len)
{
	struct csv_reader r;
	struct csv_row row;
	struct msg why;
	char *text = NULL;
	size_t text_len = 0, i;
	const char *cell;
	size_t cell_len;

	if (csv_to_utf8(body, len, &text, &text_len) != ERR_OK)
		return;
	csv_reader_init(
	    &r, text, text_len, csv_detect_separator(text, text_len));
	while (csv_next_row(&r, &row, &why) == ERR_OK) {
		if (row.count == 0 || row.count > CSV_FIELDS_MAX)
			abort();
		(void)csv_row_blank(&row);
		for (i = 0; i < row.count; i++) {
			cell = row.fields[i];
			cell_len = row.lens[i];
			if (strlen(cell) != cell_len)
				abort(); /* a NUL inside a field */
			csv_trim(&cell, &cell_len);
		}
	}
	free(text);
}

/* The per-field error list must be well-formed whenever it exists. */
static void
fuzz_check_errors(const struct request *req, const char *reader)
{
	json_t *e;
	size_t i;

	(void)reader;
	if (req->errors == NULL)
		return;
	json_array_foreach(req->errors, i, e)
	{
		if (!json_is_string(json_object_get(e, "field")) ||
		    !json_is_string(json_object_get(e, "code")) ||
		    !json_is_string(json_object_get(e, "detail")))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request req;
	json_error_t jerr;
	json_t *body;
	size_t pick;

	if (size < 1)
		return 0;
	pick = data[0] % (FUZZ_READERS + 1);
	data++;
	size--;
	if (pick == FUZZ_READERS) {
		fuzz_csv((const char *)data, size);
		return 0;
	}
	body =
	    json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (body == NULL)
		return 0;
	if (!json_is_object(body)) {
		json_decref(body);
		return 0;
	}
	memset(&req, 0, sizeof(req));
	req.resp_fd = -1;
	fuzz_readers[pick].read(&req, body);
	fuzz_check_errors(&req, fuzz_readers[pick].name);
	json_decref(req.errors);
	json_decref(body);
	return 0;
}
