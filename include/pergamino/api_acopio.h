/*
 * Handler machinery shared by the three acopio document resources
 * (receptions, warehouse notes, purchase settlements): get, list with
 * filters, annul, and turning a rule refusal into a problem answer.
 */
#ifndef PERGAMINO_API_ACOPIO_H
#define PERGAMINO_API_ACOPIO_H

#include "pergamino/acopio.h"
#include "pergamino/api.h"
#include "pergamino/api_document.h"
#include "pergamino/http.h"

/* Answer a refusal from the acopio service (field error + status). */
enum err api_acopio_refused(
    struct request *req, enum err rc, const struct rule_error *e);
/* GET .../{id} */
enum err api_acopio_get(struct request *req, enum acopio_doc doc);
/* GET ... (filters: producer_id, from, to, status, annulled, flagged,
 * campaign, number; paging) */
enum err api_acopio_list(struct request *req, enum acopio_doc doc);
/* Every row matching the filters (for CSV); *items new reference. */
enum err api_acopio_all(
    struct request *req, enum acopio_doc doc, json_t **items);
/* POST .../{id}/annul {"reason"} */
enum err api_acopio_annul(struct request *req, enum acopio_doc doc);
/* After a create: Location, audit done by the service, 201 with the doc. */
enum err api_acopio_created(struct request *req, enum acopio_doc doc,
    const char *collection, int64_t id);

#endif
