/*
 * Which passwords users may choose.  A pure check: it sees the candidate
 * password and the username, never a hash, and does no I/O.
 */
#ifndef PERGAMINO_PASSWORD_POLICY_H
#define PERGAMINO_PASSWORD_POLICY_H

#include <stddef.h>

#include "pergamino/err.h"

#define PASSWORD_MIN_LEN 10  /* code points */
#define PASSWORD_MAX_LEN 256 /* bytes, inclusive */

/*
 * Check a new password (a NUL-terminated string).  Refused, in this order:
 * longer than PASSWORD_MAX_LEN bytes; not valid UTF-8; fewer than
 * PASSWORD_MIN_LEN code points (NULL and "" included); equal to username
 * (ASCII case-insensitive) or, when username has at least 4 bytes,
 * containing it; one character repeated throughout; on the built-in list of
 * common passwords.  The last two compare case-insensitively (ASCII and the
 * Latin-1 letters such as Ñ/ñ, Á/á).  Nothing is trimmed or normalised.
 *
 * Returns ERR_OK, or ERR_INVALID with a reason in *why (string literals in
 * Spanish and English, one per rule; never the password).  On ERR_OK both
 * members of *why are NULL.  username may be NULL (no username rule);
 * why may be NULL.
 */
enum err password_policy_check(
    const char *password, const char *username, struct msg *why);

/*
 * The built-in list of common passwords: lower-case, sorted by byte value
 * (strcmp order), each at least PASSWORD_MIN_LEN code points.  Returns the
 * array (a static table) and sets *out to its element count.  For tests and
 * documentation; password_policy_check() already consults it.
 */
const char *const *password_policy_common_list(size_t *out);

#endif
