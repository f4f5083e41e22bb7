/*
 * Declarative reading of JSON request bodies.  A resource describes its
 * fields once (name, type, limits, where to store) and this file does the
 * checking that would otherwise be copied into every handler.
 */
#include <stdio.h>
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/dates.h"
#include "pergamino/jsonx.h"
#include "pergamino/units.h"

#define FIELD_NAME_MAX 96 /* bytes of "inputs[49].plant_receipt_id" */

static bool
fields_known(const struct field *spec, const char *key)
{
	for (; spec->name != NULL; spec++)
		if (strcmp(spec->name, key) == 0)
			return true;
	return false;
}

static bool
fields_has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
			return true;
	return false;
}

static void
fields_read_text(
    struct request *req, const struct field *f, json_t *v, void *out)
{
	size_t max = f->max_len != 0 ? f->max_len : FIELD_TEXT_MAX_DEFAULT;
	const char *s;

	if (!json_is_string(v)) {
		request_field_error(req, f->name, "type",
		    MSG("Debe ser un texto", "Must be a string"));
		return;
	}
	s = json_string_value(v);
	if (json_string_length(v) != strlen(s) || fields_has_control(s)) {
		request_field_error(req, f->name, "invalid_characters",
		    MSG("Contiene caracteres no permitidos",
		        "Contains characters that are not allowed"));
		return;
	}
	if (json_string_length(v) > max) {
		request_field_error(req, f->name, "too_long",
		    MSG("Es demasiado largo", "Is too long"));
		return;
	}
	if ((f->flags & (FIELD_REQUIRED | FIELD_NOT_EMPTY)) && s[0] == '\0') {
		request_field_error(req, f->name, "required",
		    MSG("Es obligatorio", "Is required"));
		return;
	}
	memcpy((char *)out + f->offset, &s, sizeof(s));
}

static void
fields_read_int(
    struct request *req, const struct field *f, json_t *v, void *out)
{
	int64_t n;

	if (!json_is_integer(v)) {
		request_field_error(req, f->name, "type",
		    MSG("Debe ser un número entero", "Must be an integer"));
		return;
	}
	n = (int64_t)json_integer_value(v);
	if (n < f->min || n > f->max) {
		request_field_error(req, f->name, "out_of_range",
		    MSG("Está fuera del rango permitido",
		        "Is out of the allowed range"));
		return;
	}
	memcpy((char *)out + f->offset, &n, sizeof(n));
}

static void
fields_read_bool(
    struct request *req, const struct field *f, json_t *v, void *out)
{
	int b;

	if (!json_is_boolean(v)) {
		request_field_error(req, f->name, "type",
		    MSG("Debe ser verdadero o falso", "Must be true or false"));
		return;
	}
	b = json_is_true(v) ? 1 : 0;
	memcpy((char *)out + f->offset, &b, sizeof(b));
}

/*
 * A decimal as text.  A JSON real is printed with 15 significant digits,
 * which gives back exactly the decimal that was sent for any value of up
 * to 15 digits ("472.6", not 472.600000000000023).
 */
static void
fields_read_decimal(
    struct request *req, const struct field *f, json_t *v, void *out)
{
	char buf[64];
	const char *text = buf;
	int64_t n;

	if (json_is_string(v))
		text = json_string_value(v);
	else if (json_is_integer(v))
		snprintf(
		    buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, sizeof(buf), "%.15g", json_real_value(v));
	else {
		request_field_error(req, f->name, "type",
		    MSG("Debe ser un número decimal, como \"472.6\"",
		        "Must be a decimal number, such as \"472.6\""));
		return;
	}
	if (units_parse_decimal(text, f->scale, f->max, &n) != ERR_OK) {
		request_field_error(req, f->name, "invalid_decimal",
		    MSG("Número no válido: use punto decimal y no más "
		        "decimales de los permitidos, dentro del rango",
		        "Invalid number: use a decimal point, no more "
		        "decimals than allowed, within range"));
		return;
	}
	if (n < f->min) {
		request_field_error(req, f->name, "out_of_range",
		    MSG("Está fuera del rango permitido",
		        "Is out of the allowed range"));
		return;
	}
	memcpy((char *)out + f->offset, &n, sizeof(n));
}

static void
fields_read_date(
    struct request *req, const struct field *f, json_t *v, void *out)
{
	const char *s = json_string_value(v);

	if (s == NULL || !date_valid(s)) {
		request_field_error(req, f->name, "invalid_date",
		    MSG("Fecha no válida: use AAAA-MM-DD",
		        "Invalid date: use YYYY-MM-DD"));
		return;
	}
	memcpy((char *)out + f->offset, &s, sizeof(s));
}

/* Mark every field absent before reading. */
static void
fields_clear(const struct field *spec, void *out)
{
	const char *null_text = NULL;
	int64_t absent = FIELD_ABSENT;
	int no = -1;

	for (; spec->name != NULL; spec++) {
		if (spec->type == FIELD_TEXT || spec->type == FIELD_DATE)
			memcpy((char *)out + spec->offset, &null_text,
			    sizeof(null_text));
		else if (spec->type == FIELD_INT || spec->type == FIELD_DECIMAL)
			memcpy((char *)out + spec->offset, &absent,
			    sizeof(absent));
		else
			memcpy((char *)out + spec->offset, &no, sizeof(no));
	}
}

enum err
fields_read(
    struct request *req, json_t *in, const struct field *spec, void *out)
{
	const struct field *f;
	const char *key;
	json_t *v;

	fields_clear(spec, out);
	json_object_foreach(in, key, v)
	{
		if (!fields_known(spec, key))
			request_field_error(req, key, "unknown_field",
			    MSG("Campo desconocido", "Unknown field"));
	}
	for (f = spec; f->name != NULL; f++) {
		v = json_object_get(in, f->name);
		if (v == NULL || json_is_null(v)) {
			if (f->flags & FIELD_REQUIRED)
				request_field_error(req, f->name, "required",
				    MSG("Es obligatorio", "Is required"));
			continue;
		}
		switch (f->type) {
		case FIELD_TEXT:
			fields_read_text(req, f, v, out);
			break;
		case FIELD_INT:
			fields_read_int(req, f, v, out);
			break;
		case FIELD_BOOL:
			fields_read_bool(req, f, v, out);
			break;
		case FIELD_DECIMAL:
			fields_read_decimal(req, f, v, out);
			break;
		case FIELD_DATE:
			fields_read_date(req, f, v, out);
			break;
		}
	}
	return req->errors != NULL && json_array_size(req->errors) > 0
	    ? ERR_INVALID
	    : ERR_OK;
}

enum err
fields_read_except(struct request *req, json_t *body, const char *const *nested,
    const struct field *spec, void *out)
{
	json_t *flat;
	enum err rc;

	/*
	 * A shallow copy without the nested keys: its values are body's, so
	 * the strings read stay valid while body lives.
	 */
	flat = jsonx_copy(body);
	if (flat == NULL)
		return ERR_NOMEM;
	for (; nested != NULL && *nested != NULL; nested++)
		json_object_del(flat, *nested);
	rc = fields_read(req, flat, spec, out);
	json_decref(flat);
	return rc;
}

enum err
fields_read_nested(struct request *req, json_t *v, const char *prefix,
    const struct field *spec, void *out)
{
	char name[FIELD_NAME_MAX];
	json_t *empty = NULL, *e;
	size_t before, i;

	if (v == NULL || json_is_null(v))
		v = empty = json_object();
	if (v == NULL)
		return ERR_NOMEM;
	if (!json_is_object(v))
		return request_field_error(req, prefix, "type",
		    MSG("Debe ser un objeto", "Must be an object"));
	before = req->errors != NULL ? json_array_size(req->errors) : 0;
	(void)fields_read(req, v, spec, out);
	json_decref(empty);
	for (i = before;
	     req->errors != NULL && i < json_array_size(req->errors); i++) {
		e = json_array_get(req->errors, i);
		snprintf(name, sizeof(name), "%s.%s", prefix,
		    json_string_value(json_object_get(e, "field")));
		if (json_object_set_new(e, "field", json_string(name)) != 0)
			return ERR_NOMEM;
	}
	return req->errors != NULL && json_array_size(req->errors) > 0
	    ? ERR_INVALID
	    : ERR_OK;
}

enum err
fields_read_array(struct request *req, json_t *arr, const char *name,
    size_t max_count, struct msg count_why, const struct field *spec,
    void *items, size_t item_size, size_t *n)
{
	char prefix[FIELD_NAME_MAX];
	json_t *v;
	size_t i;

	*n = 0;
	if (!json_is_array(arr) || json_array_size(arr) < 1 ||
	    json_array_size(arr) > max_count)
		return request_field_error(req, name, "count", count_why);
	json_array_foreach(arr, i, v)
	{
		snprintf(prefix, sizeof(prefix), "%s[%zu]", name, i);
		(void)fields_read_nested(
		    req, v, prefix, spec, (char *)items + i * item_size);
	}
	*n = json_array_size(arr);
	return req->errors != NULL ? ERR_INVALID : ERR_OK;
}
