/*
 * Declarative reading of JSON request bodies.  A resource describes its
 * fields once (name, type, limits, where to store) and this file does the
 * checking that would otherwise be copied into every handler.
 */
#include <string.h>

#include "pergamino/api.h"

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
	if ((f->flags & FIELD_REQUIRED) && s[0] == '\0') {
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

/* Mark every field absent before reading. */
static void
fields_clear(const struct field *spec, void *out)
{
	const char *null_text = NULL;
	int64_t absent = FIELD_ABSENT;
	int no = -1;

	for (; spec->name != NULL; spec++) {
		if (spec->type == FIELD_TEXT)
			memcpy((char *)out + spec->offset, &null_text,
			    sizeof(null_text));
		else if (spec->type == FIELD_INT)
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
		if (f->type == FIELD_TEXT)
			fields_read_text(req, f, v, out);
		else if (f->type == FIELD_INT)
			fields_read_int(req, f, v, out);
		else
			fields_read_bool(req, f, v, out);
	}
	return req->errors != NULL && json_array_size(req->errors) > 0
	    ? ERR_INVALID
	    : ERR_OK;
}
