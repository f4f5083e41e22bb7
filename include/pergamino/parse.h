/* Strict number parsing for untrusted text: never atoi/strtol on input. */
#ifndef PERGAMINO_PARSE_H
#define PERGAMINO_PARSE_H

#include <stdint.h>

#include "pergamino/err.h"

/*
 * Parse s as decimal digits only (no sign, no spaces, no leading zeros
 * except "0"), value <= max.  *out untouched on failure (ERR_INVALID).
 */
enum err parse_uint(const char *s, uint64_t max, uint64_t *out);
/* The same for a database id: 1 .. INT64_MAX. */
enum err parse_id(const char *s, int64_t *out);

#endif
