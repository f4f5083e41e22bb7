/* The one place where enum err becomes an HTTP status and a code. */
#include "pergamino/err.h"

/* clang-format off */
static const struct {
	unsigned int status;
	const char *code;
} err_table[] = {
#define X(name, status, code) { status, code },
	ERR_TABLE(X)
#undef X
};
/* clang-format on */

unsigned int
err_http_status(enum err e)
{
	if ((unsigned)e >= sizeof(err_table) / sizeof(err_table[0]))
		return 500;
	return err_table[e].status;
}

const char *
err_code(enum err e)
{
	if ((unsigned)e >= sizeof(err_table) / sizeof(err_table[0]))
		return "internal";
	return err_table[e].code;
}

const char *
err_title_es(enum err e)
{
	switch (err_http_status(e)) {
	case 400:
		return "Solicitud inválida";
	case 401:
		return "Se requiere iniciar sesión";
	case 403:
		return "Acceso denegado";
	case 404:
		return "No encontrado";
	case 405:
		return "Método no permitido";
	case 409:
		return "Conflicto";
	case 412:
		return "El registro cambió";
	case 413:
		return "Solicitud demasiado grande";
	case 415:
		return "Tipo de contenido no soportado";
	case 422:
		return "No se puede procesar";
	case 428:
		return "Falta la condición previa";
	case 429:
		return "Demasiados intentos";
	case 503:
		return "Servicio ocupado";
	case 200:
		return "Correcto";
	default:
		return "Error interno";
	}
}

const char *
err_title_en(enum err e)
{
	switch (err_http_status(e)) {
	case 400:
		return "Bad request";
	case 401:
		return "Authentication required";
	case 403:
		return "Forbidden";
	case 404:
		return "Not found";
	case 405:
		return "Method not allowed";
	case 409:
		return "Conflict";
	case 412:
		return "Precondition failed";
	case 413:
		return "Payload too large";
	case 415:
		return "Unsupported media type";
	case 422:
		return "Unprocessable content";
	case 428:
		return "Precondition required";
	case 429:
		return "Too many requests";
	case 503:
		return "Service unavailable";
	case 200:
		return "OK";
	default:
		return "Internal error";
	}
}
