/*
 * One error enum for the whole program, mapped to HTTP status and a stable
 * machine code exactly once (src/util/err.c).  Every fallible function
 * returns enum err; results travel through out-parameters.
 */
#ifndef PERGAMINO_ERR_H
#define PERGAMINO_ERR_H

/* clang-format off */
#define ERR_TABLE(X)							\
	X(ERR_OK,		200, "ok")				\
	X(ERR_INVALID,		400, "invalid_request")			\
	X(ERR_UNAUTHENTICATED,	401, "unauthenticated")			\
	X(ERR_BAD_CREDENTIALS,	401, "invalid_credentials")		\
	X(ERR_FORBIDDEN,	403, "forbidden")			\
	X(ERR_NOT_FOUND,	404, "not_found")			\
	X(ERR_METHOD,		405, "method_not_allowed")		\
	X(ERR_CONFLICT,		409, "conflict")			\
	X(ERR_PRECONDITION,	412, "precondition_failed")		\
	X(ERR_TOO_LARGE,	413, "payload_too_large")		\
	X(ERR_MEDIA_TYPE,	415, "unsupported_media_type")		\
	X(ERR_UNPROCESSABLE,	422, "unprocessable")			\
	X(ERR_PRECOND_REQUIRED,	428, "precondition_required")		\
	X(ERR_TOO_MANY,		429, "too_many_requests")		\
	X(ERR_NOMEM,		500, "internal")			\
	X(ERR_DB,		500, "internal")			\
	X(ERR_INTERNAL,		500, "internal")			\
	X(ERR_BUSY,		503, "busy")
/* clang-format on */

enum err {
#define X(name, status, code) name,
	ERR_TABLE(X)
#undef X
};

/* HTTP status for e (200 for ERR_OK). */
unsigned int err_http_status(enum err e);
/* Stable machine code, e.g. "invalid_request". */
const char *err_code(enum err e);
/* Short titles for problem+json, Spanish and English. */
const char *err_title_es(enum err e);
const char *err_title_en(enum err e);

/*
 * A human-readable reason in both languages.  Both members are string
 * literals: never formatted, never containing user input.
 */
struct msg {
	const char *es;
	const char *en;
};

#define MSG(es_, en_) ((struct msg){ (es_), (en_) })

#endif
