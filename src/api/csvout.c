/* CSV answers (see csvout.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/csv.h"
#include "pergamino/csvout.h"
#include "pergamino/dates.h"
#include "pergamino/units.h"

static void
csvout_put(struct csvout *c, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (c->err != ERR_OK)
		return;
	if (n > CSVOUT_MAX - c->len) {
		c->err = ERR_TOO_LARGE;
		return;
	}
	if (c->len + n + 1 > c->cap) {
		cap = c->cap == 0 ? 4096 : c->cap;
		while (cap < c->len + n + 1)
			cap *= 2;
		p = realloc(c->buf, cap);
		if (p == NULL) {
			c->err = ERR_NOMEM;
			return;
		}
		c->buf = p;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->buf[c->len] = '\0';
}

void
csvout_init(struct csvout *c)
{
	memset(c, 0, sizeof(*c));
	c->first = true;
	c->err = ERR_OK;
	csvout_put(c, "\xEF\xBB\xBF", 3);
}

void
csvout_clear(struct csvout *c)
{
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

void
csvout_field(struct csvout *c, const char *text)
{
	char small[512], *big = NULL;
	const char *out = small;
	size_t need;

	if (!c->first)
		csvout_put(c, ";", 1);
	c->first = false;
	need = csv_quote(
	    text != NULL ? text : "", small, sizeof(small), CSVOUT_SEP);
	if (need >= sizeof(small)) {
		big = malloc(need + 1);
		if (big == NULL) {
			c->err = ERR_NOMEM;
			return;
		}
		csv_quote(text, big, need + 1, CSVOUT_SEP);
		out = big;
	}
	csvout_put(c, out, strlen(out));
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
	csvout_put(c, "\r\n", 2);
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
	enum err rc = c->err;

	if (rc == ERR_OK) {
		snprintf(
		    req->attachment, sizeof(req->attachment), "%s", filename);
		rc = request_reply_text(
		    req, 200, "text/csv; charset=utf-8", c->buf, c->len);
	}
	csvout_clear(c);
	return rc;
}
