/*
 * UTF-8 validation and counting (RFC 3629).  Nothing here does I/O or
 * depends on the locale.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pergamino/utf8.h"

#define UTF8_CP_MAX 0x10FFFFu
#define UTF8_SURROGATE_MIN 0xD800u
#define UTF8_SURROGATE_MAX 0xDFFFu

/* True if b is a continuation byte (10xxxxxx). */
static bool
is_cont(unsigned char b)
{
	return (b & 0xC0u) == 0x80u;
}

/*
 * Decode the lead byte c: on success set *extra to the number of
 * continuation bytes that follow, *cp to the payload bits of c and *min to
 * the smallest code point that needs this many bytes (anything below it is
 * an overlong encoding).  False for continuation bytes and bytes that never
 * start a sequence (0xC0, 0xC1, 0xF5..0xFF).
 */
static bool
lead_byte(unsigned char c, size_t *extra, uint32_t *cp, uint32_t *min)
{
	if (c >= 0xC2u && c <= 0xDFu) {
		*extra = 1;
		*cp = c & 0x1Fu;
		*min = 0x80u;
	} else if (c >= 0xE0u && c <= 0xEFu) {
		*extra = 2;
		*cp = c & 0x0Fu;
		*min = 0x800u;
	} else if (c >= 0xF0u && c <= 0xF4u) {
		*extra = 3;
		*cp = c & 0x07u;
		*min = 0x10000u;
	} else {
		return false;
	}
	return true;
}

bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		size_t extra, k;
		uint32_t cp, min;

		if (p[i] < 0x80u) {
			i++;
			continue;
		}
		if (!lead_byte(p[i], &extra, &cp, &min))
			return false;
		if (len - i - 1 < extra)
			return false; /* truncated */
		for (k = 1; k <= extra; k++) {
			if (!is_cont(p[i + k]))
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3Fu);
		}
		if (cp < min || cp > UTF8_CP_MAX ||
		    (cp >= UTF8_SURROGATE_MIN && cp <= UTF8_SURROGATE_MAX))
			return false;
		i += extra + 1;
	}
	return true;
}

size_t
utf8_count(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	if (s == NULL)
		return 0;
	for (; *p != '\0'; p++) {
		if (!is_cont(*p))
			n++;
	}
	return n;
}
