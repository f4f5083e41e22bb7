/* Plant-stage arithmetic and rules (see process_rules.h).  Pure. */
#include <stdio.h>
#include <string.h>

#include "pergamino/dates.h"
#include "pergamino/ids.h"
#include "pergamino/process_rules.h"
#include "pergamino/units.h"

/* clang-format off */
static const struct {
	const char *key;
	const char *name;
} process_outputs[PROCESS_OUT_COUNT] = {
	[PROCESS_OUT_EXPORT]          = { "export", "Café exportación" },
	[PROCESS_OUT_EXPORT_MC]       = { "export_mc", "Café exportación MC" },
	[PROCESS_OUT_SECOND]          = { "second", "Café segunda" },
	[PROCESS_OUT_MACHINE_DISCARD] = { "machine_discard", "Café descarte máquina" },
	[PROCESS_OUT_SORTING_DISCARD] = { "sorting_discard", "Café descarte de escojo" },
	[PROCESS_OUT_BOLA]            = { "bola", "Café bola" },
	[PROCESS_OUT_CISCO]           = { "cisco", "Café cisco" },
	[PROCESS_OUT_STONES]          = { "stones", "Piedras y otros" },
	[PROCESS_OUT_HUSK]            = { "husk", "Cáscara y otros" },
	[PROCESS_OUT_SHRINKAGE]       = { "shrinkage", "Merma declarada" },
};
/* clang-format on */

const char *
process_output_key(int o)
{
	return o >= 0 && o < PROCESS_OUT_COUNT ? process_outputs[o].key : NULL;
}

const char *
process_output_name(int o)
{
	return o >= 0 && o < PROCESS_OUT_COUNT ? process_outputs[o].name : NULL;
}

int
process_output_parse(const char *key)
{
	int o;

	for (o = 0; key != NULL && o < PROCESS_OUT_COUNT; o++)
		if (strcmp(process_outputs[o].key, key) == 0)
			return o;
	return -1;
}

static enum err
process_fail(struct rule_error *e, enum err rc, const char *field,
    const char *code, struct msg why)
{
	e->field = field;
	e->code = code;
	e->why = why;
	return rc;
}

enum err
process_mass_balance(const int64_t out_g[PROCESS_OUT_COUNT], int64_t input_g,
    int64_t *diff_g, struct rule_error *e)
{
	int64_t sum = 0;
	int o;

	*diff_g = 0;
	for (o = 0; o < PROCESS_OUT_COUNT; o++) {
		if (out_g[o] < 0 || out_g[o] > PROCESS_KG_MAX_G)
			return process_fail(e, ERR_INVALID, "outputs",
			    "out_of_range",
			    MSG("Cada salida debe estar entre 0 y 10 000 t",
			        "Each output must be between 0 and 10 000 t"));
		sum += out_g[o]; /* at most 10 x 10^13: no overflow */
	}
	*diff_g = sum - input_g;
	if (*diff_g != 0)
		return process_fail(e, ERR_UNPROCESSABLE, "outputs",
		    "mass_imbalance",
		    MSG("Las salidas (café, piedras, cáscara y merma "
		        "declarada) "
		        "deben sumar exactamente los kilos que ingresaron al "
		        "proceso",
		        "The outputs (coffee, stones, husk and declared "
		        "shrinkage) must add up exactly to the kilos that "
		        "entered the process"));
	return ERR_OK;
}

static struct process_row *
process_add_row(struct process_figures *f, int item, int output,
    enum process_row_kind kind, const char *product, int64_t kilos_g,
    int64_t input_g)
{
	struct process_row *r = &f->rows[f->row_count++];

	memset(r, 0, sizeof(*r));
	r->item = item;
	r->output = output;
	r->kind = kind;
	r->product = product;
	r->kilos_g = kilos_g;
	r->pct_centi = units_percent_centi(kilos_g, input_g);
	return r;
}

void
process_figures_compute(const int64_t out_g[PROCESS_OUT_COUNT], int64_t input_g,
    struct process_figures *out)
{
	struct process_row *r;
	int o, item = 1;

	memset(out, 0, sizeof(*out));
	for (o = 0; o < PROCESS_OUT_COFFEE_COUNT; o++) {
		r = process_add_row(out, item++, o, PROCESS_ROW_OUTPUT,
		    process_outputs[o].name, out_g[o], input_g);
		r->has_sacks = true;
		units_sacks_split(
		    out_g[o], UNITS_SACK_EXPORT_G, &r->sacks, &r->remainder_g);
		if (o == PROCESS_OUT_EXPORT) {
			r->has_qq = true;
			r->qq_centi = units_qq_centi(out_g[o], UNITS_QQ_ORO_G);
		}
		out->coffee_g += out_g[o];
		out->coffee_sacks += r->sacks;
	}
	r = process_add_row(out, item++, -1, PROCESS_ROW_COFFEE_TOTAL,
	    "TOTAL EN CAFÉ", out->coffee_g, input_g);
	r->has_sacks = true;
	r->sacks = out->coffee_sacks;
	r->remainder_g =
	    out->coffee_g - out->coffee_sacks * UNITS_SACK_EXPORT_G;
	out->total_g = out->coffee_g;
	for (o = PROCESS_OUT_COFFEE_COUNT; o < PROCESS_OUT_COUNT; o++) {
		out->total_g += out_g[o];
		/* Declared shrinkage is printed only when there is some. */
		if (o == PROCESS_OUT_SHRINKAGE && out_g[o] == 0)
			continue;
		process_add_row(out, item++, o, PROCESS_ROW_OUTPUT,
		    process_outputs[o].name, out_g[o], input_g);
	}
	process_add_row(
	    out, 0, -1, PROCESS_ROW_TOTAL, "TOTALES", out->total_g, input_g);
	out->export_g = out_g[PROCESS_OUT_EXPORT];
	out->export_sacks = out->rows[0].sacks;
	out->yield_pct = units_percent_centi(out->export_g, input_g);
}

enum err
process_exit_check(int64_t export_g, int64_t used_sacks, int64_t used_g,
    int64_t sacks, int64_t net_g, struct rule_error *e)
{
	int64_t lot_sacks, rest_g;

	units_sacks_split(export_g, UNITS_SACK_EXPORT_G, &lot_sacks, &rest_g);
	if (sacks < 1 || sacks > lot_sacks - used_sacks)
		return process_fail(e, ERR_UNPROCESSABLE, "sacks",
		    "exceeds_lot",
		    MSG("Los sacos exceden el saldo del lote: las guías de "
		        "salida no pueden llevar más sacos de exportación que "
		        "los que produjo la LOP",
		        "The sacks exceed the lot's balance: exit guides "
		        "cannot "
		        "take more export sacks than the LOP produced"));
	if (net_g < 1 || net_g > export_g - used_g)
		return process_fail(e, ERR_UNPROCESSABLE, "gross_kg",
		    "exceeds_lot",
		    MSG("Los kilos netos exceden el saldo del lote: las guías "
		        "de salida no pueden llevar más kilos que el café de "
		        "exportación de la LOP",
		        "The net kilos exceed the lot's balance: exit guides "
		        "cannot take more kilos than the LOP's export coffee"));
	return ERR_OK;
}

static bool
process_all_digits(const char *s, size_t *len)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	*len = i;
	return true;
}

enum err
process_carrier_doc_check(const char *doc, struct msg *why)
{
	size_t len = 0;

	*why = MSG(NULL, NULL);
	if (doc != NULL && process_all_digits(doc, &len)) {
		if (len == IDS_RUC_LEN)
			return ruc_check(doc, why);
		if (len == IDS_DNI_LEN)
			return dni_check(doc, why);
	}
	*why = MSG("El documento del transportista debe ser un RUC (11 "
	           "dígitos) o un DNI (8 dígitos), sin espacios ni guiones",
	    "The carrier's document must be a RUC (11 digits) or a DNI (8 "
	    "digits), without spaces or dashes");
	return ERR_INVALID;
}

void
process_number_text(
    int64_t number, const char *series, char out[PROCESS_NUMBER_TEXT_LEN])
{
	if (series != NULL && series[0] != '\0')
		snprintf(out, PROCESS_NUMBER_TEXT_LEN, "%s-%04lld", series,
		    (long long)number);
	else
		snprintf(
		    out, PROCESS_NUMBER_TEXT_LEN, "%lld", (long long)number);
}

void
process_marking_number_text(int64_t number, const char *series,
    const char *issued_on, char out[PROCESS_NUMBER_TEXT_LEN])
{
	int yy = date_valid(issued_on) ? date_year(issued_on) % 100 : 0;

	if (series != NULL && series[0] != '\0')
		snprintf(out, PROCESS_NUMBER_TEXT_LEN, "%s-%03lld-%02d", series,
		    (long long)number, yy);
	else
		snprintf(out, PROCESS_NUMBER_TEXT_LEN, "%03lld-%02d",
		    (long long)number, yy);
}

int64_t
process_input_sacks(int64_t sacks, int64_t net_g, int64_t kilos_g)
{
	if (net_g <= 0 || sacks <= 0 || kilos_g <= 0)
		return 0;
	if (kilos_g >= net_g)
		return sacks;
	/* sacks <= 10^5 and kilos < net <= 10^13: the product fits. */
	return (sacks * kilos_g * 2 + net_g) / (net_g * 2);
}

const char *
process_status_word(const char *status)
{
	if (status == NULL)
		return NULL;
	if (strcmp(status, "organic") == 0)
		return "orgánico";
	if (strcmp(status, "transition") == 0)
		return "en transición";
	if (strcmp(status, "conventional") == 0)
		return "convencional";
	return NULL;
}

int
process_exit_description(const char *status, int64_t net_per_sack_g,
    const char *marks, char *buf, size_t buf_len)
{
	const char *word = process_status_word(status);
	char kg[48];
	size_t len, i;
	int n;

	if (buf_len == 0)
		return -1;
	buf[0] = '\0';
	if (word == NULL || net_per_sack_g <= 0)
		return -1;
	/* Kilos per sack without trailing zeros: "69", "69.5". */
	if (units_format_decimal(net_per_sack_g, 3, 3, kg, sizeof(kg)) < 0)
		return -1;
	len = strlen(kg);
	while (len > 0 && kg[len - 1] == '0')
		kg[--len] = '\0';
	if (len > 0 && kg[len - 1] == '.')
		kg[--len] = '\0';
	n = snprintf(buf, buf_len,
	    "Café verde tipo exportación %s envasado en sacos de yute de %s kg "
	    "c/u%s%s",
	    word, kg, marks != NULL && marks[0] != '\0' ? " " : "",
	    marks != NULL ? marks : "");
	if (n < 0 || (size_t)n >= buf_len) {
		buf[0] = '\0';
		return -1;
	}
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')
			buf[i] = ' ';
	return n;
}
