/*
 * fuzz_fields: the request-body readers of src/api/, each run on one JSON
 * document.  The readers and their field tables are static in their
 * resource files, so each fields/read_<resource>.c includes that file
 * whole and adds one non-static entry point below; the harness links
 * those objects instead of appcore's copies (an archive member is only
 * pulled for a symbol nobody else defines).  Nothing here reimplements a
 * reader: each entry point is the handler's own reading sequence
 * (request_json() aside) and the pure checks it runs before any SQL.
 */
#ifndef PERGAMINO_FUZZ_FIELDS_H
#define PERGAMINO_FUZZ_FIELDS_H

#include <jansson.h>

#include "pergamino/http.h"

/* body: a JSON object (new references stay the caller's). */
typedef void (*fuzz_reader_fn)(struct request *req, json_t *body);

void fuzz_read_login(struct request *req, json_t *body);
void fuzz_read_password_change(struct request *req, json_t *body);
void fuzz_read_user_create(struct request *req, json_t *body);
void fuzz_read_user_patch(struct request *req, json_t *body);
void fuzz_read_user_password(struct request *req, json_t *body);
void fuzz_read_organization(struct request *req, json_t *body);
void fuzz_read_grant(struct request *req, json_t *body);
void fuzz_read_token(struct request *req, json_t *body);
void fuzz_read_numbering(struct request *req, json_t *body);
void fuzz_read_settings(struct request *req, json_t *body);
void fuzz_read_reception(struct request *req, json_t *body);
void fuzz_read_warehouse_note(struct request *req, json_t *body);
void fuzz_read_purchase_settlement(struct request *req, json_t *body);
void fuzz_read_annul(struct request *req, json_t *body);
void fuzz_read_dispatch(struct request *req, json_t *body);
void fuzz_read_plant_receipt(struct request *req, json_t *body);
void fuzz_read_producer_create(struct request *req, json_t *body);
void fuzz_read_producer_patch(struct request *req, json_t *body);
void fuzz_read_plot_create(struct request *req, json_t *body);
void fuzz_read_plot_patch(struct request *req, json_t *body);
void fuzz_read_plot_estimate(struct request *req, json_t *body);
void fuzz_read_certification(struct request *req, json_t *body);
void fuzz_read_lpa_approve(struct request *req, json_t *body);
void fuzz_read_lpa_withdraw(struct request *req, json_t *body);
void fuzz_read_process_order(struct request *req, json_t *body);
void fuzz_read_marking_order(struct request *req, json_t *body);
void fuzz_read_process_settlement(struct request *req, json_t *body);
void fuzz_read_plant_exit(struct request *req, json_t *body);
void fuzz_read_export_lot(struct request *req, json_t *body);
void fuzz_read_shipment(struct request *req, json_t *body);

#endif
