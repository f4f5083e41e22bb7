/* The transfer stage's arithmetic and checks (see transfer_rules.h). */
#include <string.h>

#include "pergamino/ids.h"
#include "pergamino/transfer_rules.h"
#include "pergamino/units.h"

#define TRANSFER_BP_WHOLE 10000 /* basis points in 100 % */

void
transfer_balance(int64_t reference_g, int64_t measured_g, int64_t tolerance_bp,
    struct transfer_balance *out)
{
	int64_t diff = reference_g - measured_g;
	int64_t mag = diff < 0 ? -diff : diff;
	int64_t pct;

	memset(out, 0, sizeof(*out));
	out->reference_g = reference_g;
	out->measured_g = measured_g;
	out->difference_g = diff;
	pct = units_percent_centi(mag, reference_g);
	out->difference_pct = diff < 0 ? -pct : pct;
	/*
	 * |diff| / reference > tolerance_bp / 10 000, without division:
	 * weights are below 10^12 g and the tolerance below 10^4, so the
	 * products stay far below 2^63.
	 */
	out->flagged = mag * TRANSFER_BP_WHOLE > reference_g * tolerance_bp ||
	    (reference_g <= 0 && mag > 0);
}

/* clang-format off */
static const char *const transfer_reasons[] = {
	NULL,
	"Venta",
	"Compra",
	"Transformación",
	"Consignación",
	"Devolución",
	"Traslado entre establecimientos de una misma empresa",
	"Venta sujeta a confirmación",
	"Otros",
};
/* clang-format on */

const char *
transfer_reason_text(int64_t reason)
{
	if (reason < TRANSFER_REASON_MIN || reason > TRANSFER_REASON_MAX)
		return NULL;
	return transfer_reasons[reason];
}

enum err
transfer_carrier_doc_check(const char *doc, const char **kind, struct msg *why)
{
	size_t len = doc != NULL ? strlen(doc) : 0;
	enum err rc;

	*kind = NULL;
	if (len == IDS_DNI_LEN) {
		rc = dni_check(doc, why);
		if (rc == ERR_OK)
			*kind = "dni";
		return rc;
	}
	if (len == IDS_RUC_LEN) {
		rc = ruc_check(doc, why);
		if (rc == ERR_OK)
			*kind = "ruc";
		return rc;
	}
	*why = MSG("El documento del transportista debe ser un RUC (11 "
	           "dígitos) o un DNI (8 dígitos)",
	    "The carrier's document must be a RUC (11 digits) or a DNI (8 "
	    "digits)");
	return ERR_INVALID;
}

static enum err
transfer_fail(
    struct rule_error *e, const char *field, const char *code, struct msg why)
{
	e->field = field;
	e->code = code;
	e->why = why;
	return ERR_INVALID;
}

/* An optional figure: unset, or within 0..max. */
static bool
transfer_in_range(int64_t v, int64_t max)
{
	return v == TRANSFER_UNSET || (v >= 0 && v <= max);
}

enum err
plant_weighing_check(
    const struct plant_weighing *w, int64_t *net_g, struct rule_error *e)
{
	*net_g = 0;
	if (w->sacks < 1 || w->sacks > TRANSFER_SACKS_MAX)
		return transfer_fail(e, "sacks", "out_of_range",
		    MSG("Debe haber al menos un saco",
		        "There must be at least one sack"));
	if (w->gross_g <= 0 || w->gross_g > TRANSFER_KG_MAX_G)
		return transfer_fail(e, "gross_kg", "out_of_range",
		    MSG("El peso bruto debe ser mayor que cero",
		        "Gross weight must be above zero"));
	if (w->tare_g < 0 || w->tare_g >= w->gross_g)
		return transfer_fail(e, "tare_kg", "out_of_range",
		    MSG("La tara debe ser menor que el peso bruto",
		        "Tare must be less than the gross weight"));
	if (!transfer_in_range(w->yield_pct, TRANSFER_PCT_MAX))
		return transfer_fail(e, "yield_pct", "out_of_range",
		    MSG("El rendimiento debe estar entre 0 y 100 %",
		        "Yield must be between 0 and 100 %"));
	if (!transfer_in_range(w->humidity, TRANSFER_HUMIDITY_MAX))
		return transfer_fail(e, "humidity", "out_of_range",
		    MSG("La humedad debe estar entre 0 y 100 %",
		        "Humidity must be between 0 and 100 %"));
	if (!transfer_in_range(w->subproduct_pct, TRANSFER_PCT_MAX))
		return transfer_fail(e, "subproduct_pct", "out_of_range",
		    MSG("El subproducto debe estar entre 0 y 100 %",
		        "Sub-product must be between 0 and 100 %"));
	if (!transfer_in_range(w->husk_pct, TRANSFER_PCT_MAX))
		return transfer_fail(e, "husk_pct", "out_of_range",
		    MSG("La cáscara debe estar entre 0 y 100 %",
		        "Husk must be between 0 and 100 %"));
	if (!transfer_in_range(w->cup_score, TRANSFER_SCORE_MAX))
		return transfer_fail(e, "cup_score", "out_of_range",
		    MSG("El puntaje SCAA debe estar entre 0 y 100",
		        "The SCAA cup score must be between 0 and 100"));
	*net_g = w->gross_g - w->tare_g;
	return ERR_OK;
}
