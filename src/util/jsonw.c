/* Writing JSON text directly (see jsonw.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/jsonw.h"
#include "pergamino/jsonx.h"
#include "pergamino/units.h"

void
jsonw_init(struct jsonw *w)
{
	memset(w, 0, sizeof(*w));
	w->t.err = ERR_OK;
}

enum err
jsonw_take(struct jsonw *w, char **out)
{
	w->comma = false;
	return textbuf_take(&w->t, out);
}

void
jsonw_clear(struct jsonw *w)
{
	textbuf_clear(&w->t);
	w->comma = false;
}

/* Before a value or a key: the comma after the previous one. */
static void
jsonw_sep(struct jsonw *w)
{
	if (w->comma)
		textbuf_add(&w->t, ",", 1);
}

void
jsonw_object(struct jsonw *w)
{
	jsonw_sep(w);
	textbuf_add(&w->t, "{", 1);
	w->comma = false;
}

void
jsonw_end_object(struct jsonw *w)
{
	textbuf_add(&w->t, "}", 1);
	w->comma = true;
}

void
jsonw_array(struct jsonw *w)
{
	jsonw_sep(w);
	textbuf_add(&w->t, "[", 1);
	w->comma = false;
}

void
jsonw_end_array(struct jsonw *w)
{
	textbuf_add(&w->t, "]", 1);
	w->comma = true;
}

/* s as a JSON string, escaped as Jansson's dumper does (no flags). */
static void
jsonw_quote(struct jsonw *w, const char *s)
{
	const char *run = s, *esc;
	char u[8];

	textbuf_add(&w->t, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		textbuf_add(&w->t, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			snprintf(u, sizeof(u), "\\u%04X", c);
			esc = u;
			break;
		}
		textbuf_puts(&w->t, esc);
	}
	textbuf_add(&w->t, run, (size_t)(s - run));
	textbuf_add(&w->t, "\"", 1);
}

void
jsonw_key(struct jsonw *w, const char *k)
{
	jsonw_sep(w);
	jsonw_quote(w, k);
	textbuf_add(&w->t, ":", 1);
	w->comma = false;
}

void
jsonw_str(struct jsonw *w, const char *s)
{
	jsonw_sep(w);
	jsonw_quote(w, s);
	w->comma = true;
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
	char buf[24];

	jsonw_sep(w);
	textbuf_add(
	    &w->t, buf, (size_t)snprintf(buf, sizeof(buf), "%" PRId64, v));
	w->comma = true;
}

void
jsonw_null(struct jsonw *w)
{
	jsonw_raw(w, "null", 4);
}

void
jsonw_bool(struct jsonw *w, bool v)
{
	jsonw_raw(w, v ? "true" : "false", v ? 4 : 5);
}

void
jsonw_decimal(struct jsonw *w, int64_t v, unsigned scale, unsigned shown)
{
	char buf[48];

	if (units_format_decimal(v, scale, shown, buf, sizeof(buf)) < 0) {
		/* As jsonx_decimal(): no text for it is a failed answer. */
		if (w->t.err == ERR_OK)
			w->t.err = ERR_INTERNAL;
		return;
	}
	jsonw_str(w, buf);
}

void
jsonw_raw(struct jsonw *w, const char *json, size_t n)
{
	if (json == NULL) {
		json = "null";
		n = 4;
	}
	jsonw_sep(w);
	textbuf_add(&w->t, json, n);
	w->comma = true;
}

void
jsonw_json(struct jsonw *w, const json_t *v)
{
	char *text;

	if (v == NULL) {
		jsonw_null(w);
		return;
	}
	text = jsonx_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (text == NULL) {
		if (w->t.err == ERR_OK)
			w->t.err = ERR_NOMEM;
		return;
	}
	jsonw_raw(w, text, strlen(text));
	free(text);
}
