/*
 * Peruvian identity numbers: RUC (taxpayer number of organizations and
 * carriers) and DNI (national identity document of producers).  Pure
 * checks: no I/O, no allocation.
 */
#ifndef PERGAMINO_IDS_H
#define PERGAMINO_IDS_H

#include "pergamino/err.h"

#define IDS_RUC_LEN 11 /* bytes (ASCII digits) */
#define IDS_DNI_LEN 8  /* bytes (ASCII digits) */

/*
 * Check a RUC: exactly IDS_RUC_LEN ASCII digits, starting with 10, 15, 16,
 * 17 or 20, whose last digit is the modulus-11 check digit of the first ten
 * (weights 5,4,3,2,7,6,5,4,3,2; r = 11 - sum % 11, 10 -> 0, 11 -> 1).
 * Nothing is trimmed: spaces and dashes are refused.
 *
 * Returns ERR_OK, or ERR_INVALID with a reason in *why (string literals in
 * Spanish and English; distinct for empty, non-digit, wrong length, bad
 * prefix and bad check digit).  On ERR_OK both members of *why are NULL.
 * ruc may be NULL (treated as empty); why may be NULL.
 */
enum err ruc_check(const char *ruc, struct msg *why);

/*
 * Check a DNI: exactly IDS_DNI_LEN ASCII digits, leading zeros allowed,
 * "00000000" refused.  Same contract for the return value and *why as
 * ruc_check().
 */
enum err dni_check(const char *dni, struct msg *why);

#endif
