/* A growing text buffer (see textbuf.h). */
#include <stdlib.h>
#include <string.h>

#include "pergamino/textbuf.h"

void
textbuf_add(struct textbuf *t, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (t->err != ERR_OK)
		return;
	if (t->max > 0 && n > t->max - t->len) {
		t->err = ERR_TOO_LARGE;
		return;
	}
	if (t->s == NULL || t->cap - t->len < n + 1) {
		cap = t->cap > 0 ? t->cap : 4096;
		while (cap - t->len < n + 1)
			cap *= 2;
		p = realloc(t->s, cap);
		if (p == NULL) {
			t->err = ERR_NOMEM;
			return;
		}
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

void
textbuf_puts(struct textbuf *t, const char *s)
{
	textbuf_add(t, s, strlen(s));
}

enum err
textbuf_take(struct textbuf *t, char **out)
{
	enum err rc = t->err;

	*out = NULL;
	if (rc == ERR_OK && t->s == NULL)
		textbuf_add(t, "", 0);
	rc = t->err;
	if (rc == ERR_OK) {
		*out = t->s;
		t->s = NULL;
	}
	textbuf_clear(t);
	return rc;
}

void
textbuf_clear(struct textbuf *t)
{
	size_t max = t->max;

	free(t->s);
	memset(t, 0, sizeof(*t));
	t->max = max;
	t->err = ERR_OK;
}
