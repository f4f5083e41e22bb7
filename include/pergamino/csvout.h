/*
 * Writing CSV answers (registers, exports) the way Excel in a Spanish
 * locale opens them: UTF-8 with a BOM, ';' between fields, CRLF line ends,
 * RFC 4180 quoting and formula-injection protection (csv_quote()).
 */
#ifndef PERGAMINO_CSVOUT_H
#define PERGAMINO_CSVOUT_H

#include <stddef.h>

#include "pergamino/err.h"
#include "pergamino/http.h"
#include "pergamino/textbuf.h"

#define CSVOUT_SEP ';'
#define CSVOUT_MAX (64 * 1024 * 1024) /* bytes of one answer */

struct csvout {
	struct textbuf t; /* err: sticky, the first failure */
	bool first;       /* no field written on this line yet */
};

/* Start with the BOM. */
void csvout_init(struct csvout *c);
void csvout_clear(struct csvout *c);
/* One field (text, quoted when needed). */
void csvout_field(struct csvout *c, const char *text);
/* One integer field. */
void csvout_int(struct csvout *c, int64_t v);
/* One decimal field, v scaled by 10^scale, shown decimals, dot decimal. */
void csvout_decimal(
    struct csvout *c, int64_t v, unsigned scale, unsigned shown);
/* A YYYY-MM-DD date as dd/mm/yyyy (what Excel in Peru reads). */
void csvout_date(struct csvout *c, const char *iso);
/* A certification status in Spanish: orgánico, en transición, ... */
void csvout_status(struct csvout *c, const char *status);
/* The Spanish word for a status (as csvout_status writes it). */
const char *csvout_status_word(const char *status);
void csvout_end_row(struct csvout *c);
/* A header row from a NULL-terminated list. */
void csvout_header(struct csvout *c, const char *const *names);
/*
 * Answer req with the CSV as an attachment named filename (a literal
 * without quotes).  Clears c.
 */
enum err csvout_reply(
    struct csvout *c, struct request *req, const char *filename);

#endif
