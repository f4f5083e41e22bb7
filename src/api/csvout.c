/* CSV answers (see csvout.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/csv.h"
#include "pergamino/csvout.h"
#include "pergamino/dates.h"
#include "pergamino/units.h"

void
csvout_init(struct csvout *c)
{
	memset(c, 0, sizeof(*c));
	c->first = true;
	c->t.err = ERR_OK;
	c->t.max = CSVOUT_MAX;
	textbuf_add(&c->t, "\xEF\xBB\xBF", 3);
}

void
csvout_clear(struct csvout *c)
{
	textbuf_clear(&c->t);
	c->first = true;
}

void
csvout_field(struct csvout *c, const char *text)
{
	char small[512], *big = NULL;
	const char *out = small;
	size_t need;

	if (!c->first)
		textbuf_add(&c->t, ";", 1);
	c->first = false;
	need = csv_quote(
	    text != NULL ? text : "", small, sizeof(small), CSVOUT_SEP);
	if (need >= sizeof(small)) {
		big = malloc(need + 1);
		if (big == NULL) {
			if (c->t.err == ERR_OK)
				c->t.err = ERR_NOMEM;
			return;
		}
		csv_quote(text, big, need + 1, CSVOUT_SEP);
		out = big;
	}
	textbuf_add(&c->t, out, strlen(out));
	free(big);
}

void
csvout_int(struct csvout *c, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	csvout_field(c, buf);
}

void
csvout_decimal(struct csvout *c, int64_t v, unsigned scale, unsigned shown)
{
	char buf[48];

	if (units_format_decimal(v, scale, shown, buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	csvout_field(c, buf);
}

void
csvout_date(struct csvout *c, const char *iso)
{
	char out[DATE_LEN + 1];

	date_print_pe(iso, out);
	csvout_field(c, out);
}

const char *
csvout_status_word(const char *s)
{
	if (s == NULL)
		return "";
	if (strcmp(s, "organic") == 0)
		return "orgánico";
	if (strcmp(s, "transition") == 0)
		return "en transición";
	if (strcmp(s, "conventional") == 0)
		return "convencional";
	return s;
}

void
csvout_status(struct csvout *c, const char *status)
{
	csvout_field(c, csvout_status_word(status));
}

void
csvout_end_row(struct csvout *c)
{
	textbuf_add(&c->t, "\r\n", 2);
	c->first = true;
}

void
csvout_header(struct csvout *c, const char *const *names)
{
	for (; *names != NULL; names++)
		csvout_field(c, *names);
	csvout_end_row(c);
}

enum err
csvout_reply(struct csvout *c, struct request *req, const char *filename)
{
	enum err rc = c->t.err;

	if (rc == ERR_OK) {
		snprintf(
		    req->attachment, sizeof(req->attachment), "%s", filename);
		rc = request_reply_text(
		    req, 200, "text/csv; charset=utf-8", c->t.s, c->t.len);
	}
	csvout_clear(c);
	return rc;
}
