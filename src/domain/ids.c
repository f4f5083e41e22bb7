/*
 * RUC and DNI checks.  Nothing here does I/O; reasons are string literals.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "pergamino/err.h"
#include "pergamino/ids.h"

#define RUC_CHECK_MOD 11

/* Weights of the first ten RUC digits for the modulus-11 check digit. */
static const unsigned ruc_weights[] = { 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 };
_Static_assert(sizeof(ruc_weights) / sizeof(ruc_weights[0]) == IDS_RUC_LEN - 1,
    "one weight per RUC digit before the check digit");

/* The two-digit prefixes SUNAT assigns (10 persons, 20 companies...). */
static const char *const ruc_prefixes[] = { "10", "15", "16", "17", "20" };

static void
set_why(struct msg *why, struct msg m)
{
	if (why != NULL)
		*why = m;
}

static bool
all_digits(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

static bool
ruc_prefix_ok(const char *ruc)
{
	size_t i;

	for (i = 0; i < sizeof(ruc_prefixes) / sizeof(ruc_prefixes[0]); i++) {
		if (strncmp(ruc, ruc_prefixes[i], 2) == 0)
			return true;
	}
	return false;
}

/* Check digit of the first ten digits of ruc (which are all digits). */
static unsigned
ruc_check_digit(const char *ruc)
{
	unsigned sum = 0, r;
	size_t i;

	for (i = 0; i < IDS_RUC_LEN - 1; i++)
		sum += (unsigned)(ruc[i] - '0') * ruc_weights[i];
	r = RUC_CHECK_MOD - sum % RUC_CHECK_MOD;
	if (r == 10)
		return 0;
	if (r == 11)
		return 1;
	return r;
}

enum err
ruc_check(const char *ruc, struct msg *why)
{
	set_why(why, MSG(NULL, NULL));
	if (ruc == NULL || ruc[0] == '\0') {
		set_why(why, MSG("El RUC es obligatorio", "RUC is required"));
		return ERR_INVALID;
	}
	if (!all_digits(ruc)) {
		set_why(why,
		    MSG("El RUC solo puede contener dígitos",
		        "RUC must contain only digits"));
		return ERR_INVALID;
	}
	if (strlen(ruc) != IDS_RUC_LEN) {
		set_why(why,
		    MSG("El RUC debe tener 11 dígitos",
		        "RUC must have 11 digits"));
		return ERR_INVALID;
	}
	if (!ruc_prefix_ok(ruc)) {
		set_why(why,
		    MSG("El RUC debe empezar por 10, 15, 16, 17 o 20",
		        "RUC must start with 10, 15, 16, 17 or 20"));
		return ERR_INVALID;
	}
	if (ruc_check_digit(ruc) != (unsigned)(ruc[IDS_RUC_LEN - 1] - '0')) {
		set_why(why,
		    MSG("El dígito verificador del RUC no es válido",
		        "RUC check digit is not valid"));
		return ERR_INVALID;
	}
	return ERR_OK;
}

enum err
dni_check(const char *dni, struct msg *why)
{
	set_why(why, MSG(NULL, NULL));
	if (dni == NULL || dni[0] == '\0') {
		set_why(why, MSG("El DNI es obligatorio", "DNI is required"));
		return ERR_INVALID;
	}
	if (!all_digits(dni)) {
		set_why(why,
		    MSG("El DNI solo puede contener dígitos",
		        "DNI must contain only digits"));
		return ERR_INVALID;
	}
	if (strlen(dni) != IDS_DNI_LEN) {
		set_why(why,
		    MSG("El DNI debe tener 8 dígitos",
		        "DNI must have 8 digits"));
		return ERR_INVALID;
	}
	if (strcmp(dni, "00000000") == 0) {
		set_why(why,
		    MSG("El DNI no puede ser 00000000",
		        "DNI cannot be 00000000"));
		return ERR_INVALID;
	}
	return ERR_OK;
}
