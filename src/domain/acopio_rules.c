/* Acopio arithmetic and rules (see acopio_rules.h).  Pure. */
#include <string.h>

#include "pergamino/acopio_rules.h"
#include "pergamino/units.h"

#define ACOPIO_HUMIDITY_MAX 1000 /* tenths: 100.0 % */

static enum err
acopio_fail(
    struct rule_error *e, const char *field, const char *code, struct msg why)
{
	e->field = field;
	e->code = code;
	e->why = why;
	return ERR_INVALID;
}

enum err
reception_compute(const struct reception_input *in,
    struct reception_figures *out, struct rule_error *e)
{
	memset(out, 0, sizeof(*out));
	if (in->sacks < 1 || in->sacks > ACOPIO_SACKS_MAX)
		return acopio_fail(e, "sacks", "out_of_range",
		    MSG("Debe haber al menos un saco",
		        "There must be at least one sack"));
	if (in->gross_g <= 0 || in->gross_g > ACOPIO_KG_MAX_G)
		return acopio_fail(e, "gross_kg", "out_of_range",
		    MSG("El peso bruto debe ser mayor que cero",
		        "Gross weight must be above zero"));
	if (in->tare_g < 0 || in->tare_g >= in->gross_g)
		return acopio_fail(e, "tare_kg", "out_of_range",
		    MSG("La tara debe ser menor que el peso bruto",
		        "Tare must be less than the gross weight"));
	if (in->sample_g < 0 || in->sample_g > ACOPIO_SAMPLE_MAX_G ||
	    in->exportable_g < 0 || in->discard_g < 0 || in->husk_g < 0)
		return acopio_fail(e, "sample_g", "out_of_range",
		    MSG("Los gramos de la muestra están fuera de rango",
		        "Sample grams are out of range"));
	if (in->exportable_g + in->discard_g + in->husk_g != in->sample_g)
		return acopio_fail(e, "sample_g", "sample_mismatch",
		    MSG("Exportable, descarte y cáscara deben sumar el total "
		        "de la muestra",
		        "Exportable, discard and husk must add up to the "
		        "sample total"));
	if (in->humidity < 0 || in->humidity > ACOPIO_HUMIDITY_MAX)
		return acopio_fail(e, "humidity", "out_of_range",
		    MSG("La humedad debe estar entre 0 y 100 %",
		        "Humidity must be between 0 and 100 %"));
	out->net_g = in->gross_g - in->tare_g;
	out->qq_centi = units_qq_centi(out->net_g, UNITS_QQ_PERGAMINO_G);
	out->exportable_pct =
	    units_percent_centi(in->exportable_g, in->sample_g);
	out->discard_pct = units_percent_centi(in->discard_g, in->sample_g);
	out->husk_pct = units_percent_centi(in->husk_g, in->sample_g);
	return ERR_OK;
}

bool
reception_humidity_ok(int64_t humidity, int64_t min, int64_t max)
{
	return humidity >= min && humidity <= max;
}

bool
reception_over_estimate(
    int64_t campaign_total_g, int64_t estimate_g, int64_t tolerance_pct)
{
	if (estimate_g <= 0)
		return true;
	/* total > estimate * (100 + tol) / 100, without division. */
	return campaign_total_g * 100 > estimate_g * (100 + tolerance_pct);
}

enum err
settlement_compute(int64_t qq_centi, int64_t price_centimos,
    int64_t igv_rate_bp, struct settlement_figures *out)
{
	memset(out, 0, sizeof(*out));
	if (qq_centi < 0 || price_centimos <= 0 ||
	    price_centimos > ACOPIO_PRICE_MAX_C || igv_rate_bp < 0 ||
	    igv_rate_bp > 10000)
		return ERR_INVALID;
	out->subtotal_centimos = units_money_centimos(qq_centi, price_centimos);
	if (out->subtotal_centimos < 0)
		return ERR_INVALID;
	/* IGV: subtotal * rate / 10000, half up. */
	out->igv_centimos =
	    (out->subtotal_centimos * igv_rate_bp + 5000) / 10000;
	out->total_centimos = out->subtotal_centimos + out->igv_centimos;
	if (units_amount_words_es(
	        out->total_centimos, out->words, sizeof(out->words)) < 0)
		return ERR_INVALID;
	return ERR_OK;
}

const char *
acopio_quality_text(const char *status)
{
	if (status == NULL)
		return NULL;
	if (strcmp(status, "organic") == 0)
		return "Café pergamino orgánico";
	if (strcmp(status, "transition") == 0)
		return "Café pergamino en transición";
	if (strcmp(status, "conventional") == 0)
		return "Café pergamino convencional";
	return NULL;
}
