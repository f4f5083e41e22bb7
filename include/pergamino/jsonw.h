/*
 * Writing a JSON answer straight into text, for the large ones (traces):
 * no tree of allocated values to build and then dump, and JSON already
 * written by SQLite (json_object) is spliced in as it is.  The text is
 * what jsonx_dumps(doc, JSON_COMPACT) gives for the same tree: members
 * in the order written, "," and ":" without spaces, strings escaped as
 * Jansson escapes them.  Commas are placed by the writer.  Failures
 * (memory, size) stick in w->t.err.
 */
#ifndef PERGAMINO_JSONW_H
#define PERGAMINO_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pergamino/textbuf.h"

struct jsonw {
	struct textbuf t;
	bool comma; /* a value was written at this level: next needs ',' */
};

void jsonw_init(struct jsonw *w);
/* The text (caller frees) or the sticky failure; w is empty after. */
enum err jsonw_take(struct jsonw *w, char **out);
void jsonw_clear(struct jsonw *w);

void jsonw_object(struct jsonw *w); /* { */
void jsonw_end_object(struct jsonw *w);
void jsonw_array(struct jsonw *w); /* [ */
void jsonw_end_array(struct jsonw *w);
/* A member's key; its value follows. */
void jsonw_key(struct jsonw *w, const char *k);

void jsonw_str(struct jsonw *w, const char *s);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_null(struct jsonw *w);
void jsonw_bool(struct jsonw *w, bool v);
/* A scaled integer as a decimal string, as jsonx_decimal() writes it. */
void jsonw_decimal(struct jsonw *w, int64_t v, unsigned scale, unsigned shown);
/* A value of a tree, as jsonx_dumps() writes it; null when NULL. */
void jsonw_json(struct jsonw *w, const json_t *v);
/* n bytes of JSON text written elsewhere (one value); null when NULL. */
void jsonw_raw(struct jsonw *w, const char *json, size_t n);

#endif
