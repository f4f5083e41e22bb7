/*
 * UTF-8 validation and counting.  Pure functions: no allocation, no I/O,
 * no locale.
 */
#ifndef PERGAMINO_UTF8_H
#define PERGAMINO_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True if the len bytes at s are well-formed UTF-8 (RFC 3629): overlong
 * encodings, UTF-16 surrogates (U+D800..U+DFFF), code points above
 * U+10FFFF and truncated sequences are refused.  A NUL byte (U+0000) is
 * valid UTF-8; callers that treat s as a C string check for it themselves.
 * s may be NULL only when len is 0.
 */
bool utf8_valid(const char *s, size_t len);

/*
 * Number of code points in the NUL-terminated string s, which must already
 * be valid UTF-8 (it counts the bytes that are not continuation bytes).
 * NULL counts as 0.
 */
size_t utf8_count(const char *s);

#endif
