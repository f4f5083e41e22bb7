/*
 * A growing text buffer, NUL-terminated, whose first failure sticks: the
 * writers (JSON, CSV, list pages) append without checking each call and
 * look at err once at the end.
 */
#ifndef PERGAMINO_TEXTBUF_H
#define PERGAMINO_TEXTBUF_H

#include <stddef.h>

#include "pergamino/err.h"

struct textbuf {
	char *s; /* owned; NULL until the first byte */
	size_t len, cap;
	size_t max;   /* bytes allowed; 0: no limit but memory */
	enum err err; /* ERR_NOMEM, ERR_TOO_LARGE: nothing more is added */
};

/* Append n bytes of s. */
void textbuf_add(struct textbuf *t, const char *s, size_t n);
/* Append a NUL-terminated string. */
void textbuf_puts(struct textbuf *t, const char *s);
/*
 * The text (caller frees; "" when nothing was added) and ERR_OK, or the
 * sticky failure with *out NULL.  t is empty afterwards either way.
 */
enum err textbuf_take(struct textbuf *t, char **out);
void textbuf_clear(struct textbuf *t);

#endif
