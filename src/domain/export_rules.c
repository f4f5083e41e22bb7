/* Export-stage rules (see export_rules.h).  Pure. */
#include <stdio.h>
#include <string.h>

#include "pergamino/export_rules.h"

static enum err
export_fail(struct rule_error *e, enum err rc, const char *field,
    const char *code, struct msg why)
{
	e->field = field;
	e->code = code;
	e->why = why;
	return rc;
}

static bool
export_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool
export_ico_exporter_valid(const char *code)
{
	size_t i;

	if (code == NULL || code[0] == '\0')
		return false;
	for (i = 0; code[i] != '\0'; i++)
		if (!export_digit(code[i]) || i >= EXPORT_ICO_EXPORTER_DIGITS)
			return false;
	return true;
}

/*
 * Read 1..max_digits digits from *s into *out, leaving *s after them.
 * False when there are none or too many.
 */
static bool
export_read_digits(const char **s, size_t max_digits, int64_t *out, char *text,
    size_t text_cap)
{
	const char *p = *s;
	int64_t v = 0;
	size_t n = 0;

	while (export_digit(p[n])) {
		if (n >= max_digits)
			return false;
		v = v * 10 + (p[n] - '0');
		if (text != NULL && n + 1 < text_cap) {
			text[n] = p[n];
			text[n + 1] = '\0';
		}
		n++;
	}
	if (n == 0)
		return false;
	*out = v;
	*s = p + n;
	return true;
}

enum err
export_ico_parse(const char *s, struct ico_mark *out, struct rule_error *e)
{
	int64_t country = 0, exporter = 0, seq = 0;
	const char *p = s;

	memset(out, 0, sizeof(*out));
	if (p == NULL || !export_read_digits(&p, 3, &country, NULL, 0) ||
	    *p++ != '/' ||
	    !export_read_digits(&p, EXPORT_ICO_EXPORTER_DIGITS, &exporter,
	        out->exporter, sizeof(out->exporter)) ||
	    *p++ != '/' || !export_read_digits(&p, 7, &seq, NULL, 0) ||
	    (p[0] == '/' && p[1] != '\0') || (p[0] != '/' && p[0] != '\0') ||
	    country < 1 || country > EXPORT_ICO_COUNTRY_MAX || seq < 1) {
		memset(out, 0, sizeof(*out));
		return export_fail(e, ERR_INVALID, "ico_mark",
		    "invalid_ico_mark",
		    MSG("La marca ICO se escribe país/exportador/lote, solo "
		        "con dígitos: 30/861/1544",
		        "An ICO mark is country/exporter/lot, digits only: "
		        "30/861/1544"));
	}
	out->country = (int)country;
	out->sequence = seq;
	return ERR_OK;
}

int
export_ico_compose(int country, const char *exporter, int64_t sequence,
    char out[EXPORT_ICO_MARK_LEN])
{
	int n;

	out[0] = '\0';
	if (country < 1 || country > EXPORT_ICO_COUNTRY_MAX ||
	    !export_ico_exporter_valid(exporter) || sequence < 1 ||
	    sequence > EXPORT_ICO_SEQUENCE_MAX)
		return -1;
	n = snprintf(out, EXPORT_ICO_MARK_LEN, "%d/%s/%lld", country, exporter,
	    (long long)sequence);
	if (n < 0 || n >= EXPORT_ICO_MARK_LEN) {
		out[0] = '\0';
		return -1;
	}
	return n;
}

enum err
export_ico_check_owner(const struct ico_mark *m, int country,
    const char *exporter, struct rule_error *e)
{
	if (m->country != country || exporter == NULL ||
	    strcmp(m->exporter, exporter) != 0)
		return export_fail(e, ERR_UNPROCESSABLE, "ico_mark",
		    "ico_mark_not_ours",
		    MSG("La marca ICO no lleva el código de país y de "
		        "exportador de su organización (vea la configuración)",
		        "The ICO mark does not carry your organization's "
		        "country and exporter codes (see the settings)"));
	return ERR_OK;
}

int64_t
export_sacks_of(int64_t kilos_g, int64_t net_per_sack_g)
{
	if (kilos_g <= 0 || net_per_sack_g <= 0)
		return 0;
	return kilos_g / net_per_sack_g;
}

enum err
export_sacks_check(int64_t sacks, int64_t kilos_g, int64_t net_per_sack_g,
    struct rule_error *e)
{
	if (sacks < 1)
		return export_fail(e, ERR_UNPROCESSABLE, "sacks",
		    "less_than_a_sack",
		    MSG("El lote debe tener al menos un saco",
		        "The lot must have at least one sack"));
	/* sacks <= 10^6 and net per sack <= 10^8: the product fits. */
	if (sacks > EXPORT_SACKS_MAX || net_per_sack_g <= 0 ||
	    sacks * net_per_sack_g > kilos_g)
		return export_fail(e, ERR_UNPROCESSABLE, "sacks",
		    "sacks_exceed_kilos",
		    MSG("Los sacos por su peso neto pesan más que los kilos "
		        "del lote",
		        "The sacks at their net weight weigh more than the "
		        "lot's kilos"));
	return ERR_OK;
}

enum err
export_segregate(struct export_segregation *s, const char *status,
    const char *programs, const char *field, struct rule_error *e)
{
	if (status == NULL || programs == NULL ||
	    (strcmp(status, "organic") != 0 &&
	        strcmp(status, "transition") != 0 &&
	        strcmp(status, "conventional") != 0) ||
	    strlen(programs) >= sizeof(s->programs))
		return export_fail(e, ERR_INVALID, field, "invalid_status",
		    MSG("Estado de certificación no válido",
		        "Invalid certification status"));
	if (!s->set) {
		s->set = true;
		snprintf(s->status, sizeof(s->status), "%s", status);
		snprintf(s->programs, sizeof(s->programs), "%s", programs);
		return ERR_OK;
	}
	if (strcmp(s->status, status) != 0)
		return export_fail(e, ERR_UNPROCESSABLE, field, "mixed_status",
		    MSG("No se mezcla café orgánico, en transición y "
		        "convencional en un lote de exportación ni en un "
		        "embarque",
		        "Organic, transition and conventional coffee never mix "
		        "in one export lot or shipment"));
	if (strcmp(s->programs, programs) != 0)
		return export_fail(e, ERR_UNPROCESSABLE, field,
		    "mixed_programs",
		    MSG("El café tiene programas de certificación distintos: "
		        "no se mezcla",
		        "The coffee has different certification programs: it "
		        "does not mix"));
	return ERR_OK;
}

enum err
export_allocation_check(int64_t output_g, int64_t allocated_g, int64_t kilos_g,
    struct rule_error *e)
{
	if (kilos_g < 1 || kilos_g > output_g - allocated_g)
		return export_fail(e, ERR_UNPROCESSABLE, "kilos",
		    "exceeds_available",
		    MSG("Los kilos exceden lo disponible de esa salida de la "
		        "LOP (su café de exportación menos lo que ya toman "
		        "otros lotes de exportación vigentes)",
		        "The kilos exceed what is available of that LOP output "
		        "(its export coffee less what other live export lots "
		        "already take)"));
	return ERR_OK;
}

enum err
export_shipment_check(int64_t lot_sacks, int64_t lot_g, int64_t shipped_sacks,
    int64_t shipped_g, int64_t sacks, int64_t kilos_g, struct rule_error *e)
{
	if (sacks < 1 || kilos_g < 1)
		return export_fail(e, ERR_INVALID,
		    sacks < 1 ? "sacks" : "kilos", "out_of_range",
		    MSG("Los sacos y los kilos deben ser mayores que cero",
		        "Sacks and kilos must be above zero"));
	if (sacks > lot_sacks - shipped_sacks)
		return export_fail(e, ERR_UNPROCESSABLE, "sacks", "exceeds_lot",
		    MSG("Los sacos exceden el saldo del lote de exportación: "
		        "los embarques no llevan más sacos que el lote",
		        "The sacks exceed the export lot's balance: shipments "
		        "never take more sacks than the lot has"));
	if (kilos_g > lot_g - shipped_g)
		return export_fail(e, ERR_UNPROCESSABLE, "kilos", "exceeds_lot",
		    MSG("Los kilos exceden el saldo del lote de exportación: "
		        "los embarques no llevan más kilos que el lote",
		        "The kilos exceed the export lot's balance: shipments "
		        "never take more kilos than the lot has"));
	return ERR_OK;
}

/* Part of a lot code: letters, digits and "-". */
static bool
export_word_char(char c)
{
	return export_digit(c) || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '-' || (unsigned char)c >= 0x80;
}

bool
export_lot_ref_names(const char *ref, const char *organic_lot)
{
	const char *p;
	size_t n;

	if (ref == NULL || organic_lot == NULL || organic_lot[0] == '\0')
		return false;
	n = strlen(organic_lot);
	for (p = strstr(ref, organic_lot); p != NULL;
	     p = strstr(p + 1, organic_lot)) {
		if ((p == ref || !export_word_char(p[-1])) &&
		    !export_word_char(p[n]))
			return true;
	}
	return false;
}

bool
export_valid_on(const char *valid_from, const char *valid_to, const char *date)
{
	if (valid_from == NULL || valid_to == NULL || date == NULL)
		return false;
	return strcmp(valid_from, date) <= 0 && strcmp(date, valid_to) <= 0;
}

bool
export_country_valid(const char *s)
{
	return s != NULL && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	    s[1] <= 'Z' && s[2] == '\0';
}
