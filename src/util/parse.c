/* Strict parsing of numbers from untrusted text. */
#include <stddef.h>

#include "pergamino/parse.h"

#define PARSE_DIGITS_MAX 19 /* enough for INT64_MAX */

enum err
parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (s == NULL || s[0] == '\0')
		return ERR_INVALID;
	if (s[0] == '0' && s[1] != '\0')
		return ERR_INVALID;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned d;

		if (i >= PARSE_DIGITS_MAX || s[i] < '0' || s[i] > '9')
			return ERR_INVALID;
		d = (unsigned)(s[i] - '0');
		if (d > max || v > (max - d) / 10)
			return ERR_INVALID;
		v = v * 10 + d;
	}
	*out = v;
	return ERR_OK;
}

enum err
parse_id(const char *s, int64_t *out)
{
	uint64_t v;

	if (parse_uint(s, INT64_MAX, &v) != ERR_OK || v == 0)
		return ERR_INVALID;
	*out = (int64_t)v;
	return ERR_OK;
}
