/*
 * Producers of a cooperative's registry: list with search and filters,
 * read (with plots and their estimates), lookup by DNI, create, and
 * PATCH with If-Match.  Also the checks the CSV import shares (text,
 * producer rules, search folding, list filters), so a producer is refused
 * for the same reasons whether it comes as JSON or in a file.
 */
#include <string.h>

#include "pergamino/api.h"
#include "pergamino/ids.h"
#include "pergamino/jsonx.h"
#include "pergamino/parse.h"
#include "pergamino/registry.h"

#define PRODUCER_PAGE_DEFAULT 50
#define PRODUCER_PAGE_MAX 500
#define PRODUCER_Q_MAX 100      /* bytes of the search text */
#define PRODUCER_PROGRAMS_MAX 4 /* EU, NOP, JAS, OTHER */
#define ASCII_DEL 0x7f

/* ---- shared checks ---- */

bool
registry_text_check(const char *s, const char *field, size_t max,
    unsigned flags, registry_report_fn report, void *arg)
{
	const unsigned char *p;

	if (s == NULL || s[0] == '\0') {
		if (!(flags & REGISTRY_TEXT_REQUIRED))
			return true;
		report(arg, field, "required",
		    MSG("Es obligatorio", "Is required"));
		return false;
	}
	if (strlen(s) > max) {
		report(arg, field, "too_long",
		    MSG("Es demasiado largo", "Is too long"));
		return false;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\t' || *p >= 0x20u) {
			if (*p != ASCII_DEL)
				continue;
		} else if ((*p == '\n' || *p == '\r') &&
		    (flags & REGISTRY_TEXT_MULTILINE)) {
			continue;
		}
		report(arg, field, "invalid_characters",
		    MSG("Contiene caracteres no permitidos",
		        "Contains characters that are not allowed"));
		return false;
	}
	return true;
}

void
registry_report_request(
    void *arg, const char *field, const char *code, struct msg why)
{
	(void)request_field_error(arg, field, code, why);
}

bool
registry_fold(const char *s, char *out, size_t cap)
{
	/* Two-byte UTF-8 sequences of the Spanish accented letters. */
	static const struct {
		const char *utf8;
		char plain;
	} fold_map[] = {
		{ "á", 'a' },
		{ "é", 'e' },
		{ "í", 'i' },
		{ "ó", 'o' },
		{ "ú", 'u' },
		{ "ü", 'u' },
		{ "ñ", 'n' },
		{ "Á", 'a' },
		{ "É", 'e' },
		{ "Í", 'i' },
		{ "Ó", 'o' },
		{ "Ú", 'u' },
		{ "Ü", 'u' },
		{ "Ñ", 'n' },
	};
	size_t n = 0, i, step;
	char c;

	if (cap == 0)
		return false;
	while (*s != '\0') {
		c = *s;
		step = 1;
		for (i = 0; i < sizeof(fold_map) / sizeof(fold_map[0]); i++) {
			if (strncmp(s, fold_map[i].utf8, 2) == 0) {
				c = fold_map[i].plain;
				step = 2;
				break;
			}
		}
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (n + 1 >= cap) {
			out[0] = '\0';
			return false;
		}
		out[n++] = c;
		s += step;
	}
	out[n] = '\0';
	return true;
}

static bool
producer_in_set(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static const char *const producer_statuses[] = { "organic", "transition",
	"conventional", NULL };
static const char *const producer_programs[] = { "EU", "NOP", "JAS", "OTHER",
	NULL };

/* Is s already among the first n strings of a? */
static bool
producer_array_has(json_t *a, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(json_string_value(json_array_get(a, i)), s) == 0)
			return true;
	return false;
}

static bool
producer_check_programs(
    const struct producer *p, registry_report_fn report, void *arg)
{
	size_t i, n = json_array_size(p->programs);
	const char *s;

	if (p->programs != NULL && !json_is_array(p->programs)) {
		report(arg, "programs", "type",
		    MSG("Debe ser una lista", "Must be a list"));
		return false;
	}
	for (i = 0; i < n; i++) {
		s = json_string_value(json_array_get(p->programs, i));
		if (!producer_in_set(s, producer_programs) ||
		    producer_array_has(p->programs, i, s) ||
		    i >= PRODUCER_PROGRAMS_MAX) {
			report(arg, "programs", "invalid",
			    MSG("Programas válidos: EU, NOP, JAS, OTHER, sin "
			        "repetir",
			        "Valid programs: EU, NOP, JAS, OTHER, without "
			        "repeats"));
			return false;
		}
	}
	if (p->status != NULL && strcmp(p->status, "organic") == 0 && n == 0) {
		report(arg, "programs", "required_for_organic",
		    MSG("Un productor orgánico necesita al menos un programa "
		        "de certificación",
		        "An organic producer needs at least one certification "
		        "program"));
		return false;
	}
	if (p->status != NULL && strcmp(p->status, "conventional") == 0 &&
	    n > 0) {
		report(arg, "programs", "not_for_conventional",
		    MSG("Un productor convencional no tiene programas "
		        "orgánicos",
		        "A conventional producer has no organic programs"));
		return false;
	}
	return true;
}

static bool
producer_check_others(
    const struct producer *p, registry_report_fn report, void *arg)
{
	size_t i, n = json_array_size(p->other_certifications);
	const char *s;

	if (p->other_certifications != NULL &&
	    !json_is_array(p->other_certifications)) {
		report(arg, "other_certifications", "type",
		    MSG("Debe ser una lista", "Must be a list"));
		return false;
	}
	if (n > REGISTRY_OTHER_CERTS_MAX) {
		report(arg, "other_certifications", "too_many",
		    MSG("Demasiadas certificaciones (máximo 10)",
		        "Too many certifications (at most 10)"));
		return false;
	}
	for (i = 0; i < n; i++) {
		s = json_string_value(
		    json_array_get(p->other_certifications, i));
		if (s == NULL) {
			report(arg, "other_certifications", "type",
			    MSG("Debe ser una lista de textos",
			        "Must be a list of strings"));
			return false;
		}
		if (!registry_text_check(s, "other_certifications",
		        REGISTRY_OTHER_CERT_MAX, REGISTRY_TEXT_REQUIRED, report,
		        arg))
			return false;
		if (producer_array_has(p->other_certifications, i, s)) {
			report(arg, "other_certifications", "duplicate",
			    MSG("Certificación repetida",
			        "Repeated certification"));
			return false;
		}
	}
	return true;
}

bool
producer_check(const struct producer *p, registry_report_fn report, void *arg)
{
	static const struct {
		const char *name;
		size_t offset;
		size_t max;
		unsigned flags;
	} texts[] = {
		{ "first_names", offsetof(struct producer, first_names),
		    REGISTRY_NAME_MAX, REGISTRY_TEXT_REQUIRED },
		{ "last_names", offsetof(struct producer, last_names),
		    REGISTRY_NAME_MAX, REGISTRY_TEXT_REQUIRED },
		{ "caserio", offsetof(struct producer, caserio),
		    REGISTRY_PLACE_MAX, 0 },
		{ "district", offsetof(struct producer, district),
		    REGISTRY_PLACE_MAX, 0 },
		{ "province", offsetof(struct producer, province),
		    REGISTRY_PLACE_MAX, 0 },
		{ "region", offsetof(struct producer, region),
		    REGISTRY_PLACE_MAX, 0 },
		{ "address", offsetof(struct producer, address),
		    REGISTRY_ADDRESS_MAX, 0 },
		{ "phone", offsetof(struct producer, phone), REGISTRY_PHONE_MAX,
		    0 },
	};
	struct msg why;
	const char *s;
	bool ok = true;
	size_t i;

	if (dni_check(p->dni, &why) != ERR_OK) {
		report(arg, "dni", "invalid", why);
		ok = false;
	}
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		memcpy(&s, (const char *)p + texts[i].offset, sizeof(s));
		if (!registry_text_check(s, texts[i].name, texts[i].max,
		        texts[i].flags, report, arg))
			ok = false;
	}
	if (p->sex == NULL ||
	    (strcmp(p->sex, "F") != 0 && strcmp(p->sex, "M") != 0)) {
		report(
		    arg, "sex", "invalid", MSG("Sexo: F o M", "Sex: F or M"));
		ok = false;
	}
	if (!producer_in_set(p->status, producer_statuses)) {
		report(arg, "status", "invalid",
		    MSG("Estado: organic, transition o conventional",
		        "Status: organic, transition or conventional"));
		ok = false;
	}
	if (!producer_check_programs(p, report, arg))
		ok = false;
	if (!producer_check_others(p, report, arg))
		ok = false;
	return ok;
}

void
producer_from_json(json_t *doc, struct producer *p)
{
	*p = (struct producer){ 0 };
	p->id = json_integer_value(json_object_get(doc, "id"));
	p->organization_id =
	    json_integer_value(json_object_get(doc, "organization_id"));
	p->dni = json_string_value(json_object_get(doc, "dni"));
	p->first_names = json_string_value(json_object_get(doc, "first_names"));
	p->last_names = json_string_value(json_object_get(doc, "last_names"));
	p->sex = json_string_value(json_object_get(doc, "sex"));
	p->caserio = json_string_value(json_object_get(doc, "caserio"));
	p->district = json_string_value(json_object_get(doc, "district"));
	p->province = json_string_value(json_object_get(doc, "province"));
	p->region = json_string_value(json_object_get(doc, "region"));
	p->address = json_string_value(json_object_get(doc, "address"));
	p->phone = json_string_value(json_object_get(doc, "phone"));
	p->status = json_string_value(json_object_get(doc, "status"));
	p->programs = json_object_get(doc, "programs");
	p->other_certifications = json_object_get(doc, "other_certifications");
	p->active = json_is_true(json_object_get(doc, "active")) ? 1 : 0;
}

enum err
registry_query_int(struct request *req, const char *name, int64_t min,
    int64_t max, int64_t *out)
{
	const char *s = request_query(req, name);
	uint64_t v;

	*out = REGISTRY_NONE;
	if (s == NULL || s[0] == '\0')
		return ERR_OK;
	if (parse_uint(s, (uint64_t)max, &v) != ERR_OK || (int64_t)v < min)
		return request_field_error(req, name, "out_of_range",
		    MSG("Número no válido o fuera de rango",
		        "Invalid or out of range number"));
	*out = (int64_t)v;
	return ERR_OK;
}

/* "1"/"true" -> 1, "0"/"false" -> 0, absent -> -1; else a field error. */
static enum err
producer_query_bool(struct request *req, const char *name, int *out)
{
	const char *s = request_query(req, name);

	*out = -1;
	if (s == NULL || s[0] == '\0')
		return ERR_OK;
	if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
		*out = 1;
	else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
		*out = 0;
	else
		return request_field_error(
		    req, name, "invalid", MSG("Use 1 o 0", "Use 1 or 0"));
	return ERR_OK;
}

static bool
producer_all_digits(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The search text q: a DNI prefix, or words folded for matching. */
static enum err
producer_filter_q(
    struct request *req, struct producer_filter *f, char *fold, size_t fold_cap)
{
	const char *q = request_query(req, "q");
	size_t len, start = 0;

	if (q == NULL || q[0] == '\0')
		return ERR_OK;
	len = strlen(q);
	if (len > PRODUCER_Q_MAX || !registry_fold(q, fold, fold_cap))
		return request_field_error(req, "q", "too_long",
		    MSG("Texto de búsqueda demasiado largo",
		        "Search text too long"));
	while (fold[start] == ' ')
		start++;
	len = strlen(fold);
	while (len > start && fold[len - 1] == ' ')
		fold[--len] = '\0';
	if (len == start)
		return ERR_OK;
	if (producer_all_digits(fold + start) && len - start <= IDS_DNI_LEN) {
		f->dni_prefix = fold + start;
		return ERR_OK;
	}
	f->text = fold + start;
	return ERR_OK;
}

enum err
producer_filter_read(
    struct request *req, struct producer_filter *f, char *fold, size_t fold_cap)
{
	int64_t n;

	*f = (struct producer_filter){ .active = -1, .lpa = -1 };
	(void)producer_filter_q(req, f, fold, fold_cap);
	f->status = request_query(req, "status");
	if (f->status != NULL && f->status[0] == '\0')
		f->status = NULL;
	if (f->status != NULL && !producer_in_set(f->status, producer_statuses))
		request_field_error(req, "status", "invalid",
		    MSG("Estado: organic, transition o conventional",
		        "Status: organic, transition or conventional"));
	(void)producer_query_bool(req, "active", &f->active);
	(void)producer_query_bool(req, "lpa", &f->lpa);
	if (registry_query_int(req, "campaign", REGISTRY_CAMPAIGN_MIN,
	        REGISTRY_CAMPAIGN_MAX, &n) == ERR_OK)
		f->campaign = n == REGISTRY_NONE ? 0 : n;
	if (f->lpa >= 0 && f->campaign == 0)
		request_field_error(req, "campaign", "required",
		    MSG("Indique la campaña para filtrar por LPA",
		        "Give the campaign to filter by LPA"));
	if (registry_query_int(req, "organization_id", 1, INT64_MAX, &n) ==
	    ERR_OK)
		f->organization_id = n == REGISTRY_NONE ? 0 : n;
	return req->errors != NULL ? ERR_INVALID : ERR_OK;
}

/* ---- the resource ---- */

struct producer_in {
	const char *dni;
	const char *first_names;
	const char *last_names;
	const char *sex;
	const char *caserio;
	const char *district;
	const char *province;
	const char *region;
	const char *address;
	const char *phone;
	const char *status;
	int active;
};

#define PRODUCER_FIELD(name, type, flags, len, member)                         \
	{                                                                      \
		name, type, flags, len, 0, 0,                                  \
		    offsetof(struct producer_in, member), 0                    \
	}

/*
 * Lengths here only bound the input; producer_check() explains the
 * rules (a 9-digit DNI gets the DNI message, not "too long").
 * "programs" and "other_certifications" are arrays, which the field
 * tables do not describe: producer_read() takes them out of the document
 * before fields_read() sees it.
 */
/* clang-format off */
static const struct field producer_create_fields[] = {
	PRODUCER_FIELD("dni", FIELD_TEXT, FIELD_REQUIRED, 20, dni),
	PRODUCER_FIELD("first_names", FIELD_TEXT, FIELD_REQUIRED, REGISTRY_NAME_MAX, first_names),
	PRODUCER_FIELD("last_names", FIELD_TEXT, FIELD_REQUIRED, REGISTRY_NAME_MAX, last_names),
	PRODUCER_FIELD("sex", FIELD_TEXT, FIELD_REQUIRED, 10, sex),
	PRODUCER_FIELD("caserio", FIELD_TEXT, 0, REGISTRY_PLACE_MAX, caserio),
	PRODUCER_FIELD("district", FIELD_TEXT, 0, REGISTRY_PLACE_MAX, district),
	PRODUCER_FIELD("province", FIELD_TEXT, 0, REGISTRY_PLACE_MAX, province),
	PRODUCER_FIELD("region", FIELD_TEXT, 0, REGISTRY_PLACE_MAX, region),
	PRODUCER_FIELD("address", FIELD_TEXT, 0, REGISTRY_ADDRESS_MAX, address),
	PRODUCER_FIELD("phone", FIELD_TEXT, 0, REGISTRY_PHONE_MAX, phone),
	PRODUCER_FIELD("status", FIELD_TEXT, FIELD_REQUIRED, 20, status),
	PRODUCER_FIELD("active", FIELD_BOOL, 0, 0, active),
	FIELD_END,
};

static const struct field producer_patch_fields[] = {
	PRODUCER_FIELD("dni", FIELD_TEXT, 0, 20, dni),
	PRODUCER_FIELD("first_names", FIELD_TEXT, 0, REGISTRY_NAME_MAX, first_names),
	PRODUCER_FIELD("last_names", FIELD_TEXT, 0, REGISTRY_NAME_MAX, last_names),
	PRODUCER_FIELD("sex", FIELD_TEXT, 0, 10, sex),
	PRODUCER_FIELD("caserio", FIELD_TEXT, 0, REGISTRY_PLACE_MAX, caserio),
	PRODUCER_FIELD("district", FIELD_TEXT, 0, REGISTRY_PLACE_MAX, district),
	PRODUCER_FIELD("province", FIELD_TEXT, 0, REGISTRY_PLACE_MAX, province),
	PRODUCER_FIELD("region", FIELD_TEXT, 0, REGISTRY_PLACE_MAX, region),
	PRODUCER_FIELD("address", FIELD_TEXT, 0, REGISTRY_ADDRESS_MAX, address),
	PRODUCER_FIELD("phone", FIELD_TEXT, 0, REGISTRY_PHONE_MAX, phone),
	PRODUCER_FIELD("status", FIELD_TEXT, 0, 20, status),
	PRODUCER_FIELD("active", FIELD_BOOL, 0, 0, active),
	FIELD_END,
};
/* clang-format on */

/*
 * Read body into in and the two arrays (borrowed from body, NULL when
 * absent or null).  Strings in in are borrowed from body.
 */
static enum err
producer_read(struct request *req, json_t *body, const struct field *spec,
    struct producer_in *in, json_t **programs, json_t **others)
{
	json_t *rest;
	enum err rc;

	*programs = json_object_get(body, "programs");
	*others = json_object_get(body, "other_certifications");
	if (json_is_null(*programs))
		*programs = NULL;
	if (json_is_null(*others))
		*others = NULL;
	/* A shallow copy: its values are body's, which outlives it. */
	rest = jsonx_copy(body);
	if (rest == NULL)
		return ERR_NOMEM;
	json_object_del(rest, "programs");
	json_object_del(rest, "other_certifications");
	rc = fields_read(req, rest, spec, in);
	json_decref(rest);
	if (*programs != NULL && !json_is_array(*programs))
		rc = request_field_error(req, "programs", "type",
		    MSG("Debe ser una lista", "Must be a list"));
	if (*others != NULL && !json_is_array(*others))
		rc = request_field_error(req, "other_certifications", "type",
		    MSG("Debe ser una lista", "Must be a list"));
	return rc;
}

/* Apply what in gives over p. */
static void
producer_apply(struct producer *p, const struct producer_in *in,
    json_t *programs, json_t *others)
{
	if (in->dni != NULL)
		p->dni = in->dni;
	if (in->first_names != NULL)
		p->first_names = in->first_names;
	if (in->last_names != NULL)
		p->last_names = in->last_names;
	if (in->sex != NULL)
		p->sex = in->sex;
	if (in->caserio != NULL)
		p->caserio = in->caserio;
	if (in->district != NULL)
		p->district = in->district;
	if (in->province != NULL)
		p->province = in->province;
	if (in->region != NULL)
		p->region = in->region;
	if (in->address != NULL)
		p->address = in->address;
	if (in->phone != NULL)
		p->phone = in->phone;
	if (in->status != NULL)
		p->status = in->status;
	if (in->active >= 0)
		p->active = in->active;
	if (programs != NULL)
		p->programs = programs;
	if (others != NULL)
		p->other_certifications = others;
}

static enum err
producer_not_found(struct request *req)
{
	return request_fail(req, ERR_NOT_FOUND,
	    MSG("Productor no encontrado", "Producer not found"));
}

/* Add the producer's plots (with estimates) to doc. */
static enum err
producer_add_plots(struct request *req, json_t *doc)
{
	json_t *plots;
	enum err rc;

	rc = plot_store_for_producer_json(req->db,
	    json_integer_value(json_object_get(doc, "organization_id")),
	    json_integer_value(json_object_get(doc, "id")), &plots);
	if (rc != ERR_OK)
		return rc;
	return json_object_set_new(doc, "plots", plots) == 0 ? ERR_OK
	                                                     : ERR_NOMEM;
}

/* Answer with doc (taken), its plots and its ETag. */
static enum err
producer_reply(
    struct request *req, unsigned status, json_t *doc, int64_t version)
{
	char etag[48];
	enum err rc;

	rc = producer_add_plots(req, doc);
	if (rc != ERR_OK) {
		json_decref(doc);
		return rc;
	}
	api_etag_text(
	    json_integer_value(json_object_get(doc, "id")), version, etag);
	request_set_etag(req, etag);
	return request_reply(req, status, doc);
}

static enum err
producer_list(struct request *req)
{
	char fold[PRODUCER_Q_MAX * 2 + 1];
	struct producer_filter f;
	int64_t limit, cursor, next;
	json_t *items;
	enum err rc;

	rc = request_page(
	    req, PRODUCER_PAGE_DEFAULT, PRODUCER_PAGE_MAX, &limit, &cursor);
	if (rc != ERR_OK)
		return rc;
	rc = producer_filter_read(req, &f, fold, sizeof(fold));
	if (rc != ERR_OK)
		return rc;
	rc = producer_store_list_json(
	    req->db, req->who.user_id, &f, cursor, limit, &items, &next);
	if (rc != ERR_OK)
		return rc;
	return request_reply(req, 200, jsonx_page(items, next));
}

static enum err
producer_get(struct request *req)
{
	json_t *doc;
	int64_t id, version;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	rc = producer_store_get_json(
	    req->db, req->who.user_id, 0, id, &doc, &version);
	if (rc == ERR_NOT_FOUND)
		return producer_not_found(req);
	if (rc != ERR_OK)
		return rc;
	return producer_reply(req, 200, doc, version);
}

/* GET /api/v1/producers/by-dni/{dni}[?organization_id=] */
static enum err
producer_by_dni(struct request *req)
{
	const char *dni = req->param_count > 0 ? req->params[0] : NULL;
	json_t *doc;
	int64_t org, version;
	enum err rc;

	if (dni_check(dni, NULL) != ERR_OK)
		return producer_not_found(req);
	rc = registry_query_int(req, "organization_id", 1, INT64_MAX, &org);
	if (rc != ERR_OK)
		return rc;
	rc = producer_store_by_dni_json(req->db, req->who.user_id,
	    org == REGISTRY_NONE ? 0 : org, dni, &doc, &version);
	if (rc == ERR_NOT_FOUND)
		return producer_not_found(req);
	if (rc != ERR_OK)
		return rc;
	return producer_reply(req, 200, doc, version);
}

/* Refuse a DNI another producer of the organization already has. */
static enum err
producer_check_unique(struct request *req, const char *dni, int64_t self)
{
	int64_t other;
	enum err rc;

	rc = producer_store_find_dni(req->db, req->who.org_id, dni, &other);
	if (rc != ERR_OK)
		return rc;
	if (other != 0 && other != self) {
		request_field_error(req, "dni", "duplicate",
		    MSG("Ya existe un productor con ese DNI",
		        "A producer with that DNI already exists"));
		return request_fail(req, ERR_CONFLICT,
		    MSG("Ya existe un productor con ese DNI",
		        "A producer with that DNI already exists"));
	}
	return ERR_OK;
}

/* Audit a change of producer id with its stored state after it. */
static enum err
producer_audit(
    struct request *req, const char *action, int64_t id, json_t *before)
{
	json_t *after = NULL;
	int64_t version;
	enum err rc;

	rc = producer_store_get_json(
	    req->db, req->who.user_id, req->who.org_id, id, &after, &version);
	if (rc == ERR_OK)
		rc = api_audit(req, req->who.org_id, action, "producer", id,
		    before, after);
	json_decref(after);
	return rc;
}

/* Reply with the stored producer id of the caller's organization. */
static enum err
producer_reply_stored(struct request *req, unsigned status, int64_t id)
{
	json_t *doc;
	int64_t version;
	enum err rc;

	rc = producer_store_get_json(
	    req->db, req->who.user_id, req->who.org_id, id, &doc, &version);
	if (rc != ERR_OK)
		return rc;
	return producer_reply(req, status, doc, version);
}

static enum err
producer_create(struct request *req)
{
	struct producer_in in;
	struct producer p = { .active = 1 };
	json_t *body = NULL, *programs, *others;
	enum err rc;

	rc = request_json(req, &body);
	if (rc != ERR_OK)
		return rc;
	rc = producer_read(
	    req, body, producer_create_fields, &in, &programs, &others);
	if (rc != ERR_OK)
		goto out;
	producer_apply(&p, &in, programs, others);
	if (!producer_check(&p, registry_report_request, req)) {
		rc = ERR_INVALID;
		goto out;
	}
	rc = producer_check_unique(req, p.dni, 0);
	if (rc != ERR_OK)
		goto out;
	p.organization_id = req->who.org_id;
	p.created_at = req->now;
	rc = producer_store_insert(req->db, &p);
	if (rc == ERR_OK)
		rc = producer_audit(req, "producer.create", p.id, NULL);
	if (rc == ERR_OK) {
		api_location(req, "producers", p.id);
		rc = producer_reply_stored(req, 201, p.id);
	}
out:
	json_decref(body);
	return rc;
}

/* PATCH /api/v1/producers/{id} with If-Match. */
static enum err
producer_patch(struct request *req)
{
	struct producer_in in;
	struct producer p;
	json_t *body = NULL, *before = NULL, *programs, *others;
	int64_t id, version;
	enum err rc;

	rc = request_param_id(req, 0, &id);
	if (rc != ERR_OK)
		return rc;
	/* The object first: an outsider learns nothing from validation. */
	rc = producer_store_get_json(
	    req->db, req->who.user_id, req->who.org_id, id, &before, &version);
	if (rc == ERR_NOT_FOUND)
		return producer_not_found(req);
	if (rc != ERR_OK)
		return rc;
	rc = api_if_match(req, id, version);
	if (rc != ERR_OK)
		goto out;
	rc = request_json(req, &body);
	if (rc != ERR_OK)
		goto out;
	rc = producer_read(
	    req, body, producer_patch_fields, &in, &programs, &others);
	if (rc != ERR_OK)
		goto out;
	producer_from_json(before, &p);
	producer_apply(&p, &in, programs, others);
	if (!producer_check(&p, registry_report_request, req)) {
		rc = ERR_INVALID;
		goto out;
	}
	rc = producer_check_unique(req, p.dni, id);
	if (rc == ERR_OK)
		rc = producer_store_update(
		    req->db, req->who.org_id, id, version, &p);
	if (rc == ERR_PRECONDITION)
		rc = request_fail(req, rc,
		    MSG("Otra persona modificó este registro; recárguelo",
		        "Someone else changed this record; reload it"));
	if (rc == ERR_OK)
		rc = producer_audit(req, "producer.update", id, before);
	if (rc == ERR_OK)
		rc = producer_reply_stored(req, 200, id);
out:
	json_decref(before);
	json_decref(body);
	return rc;
}

/* clang-format off */
const struct route producer_routes[] = {
	{ "GET",   "/api/v1/producers",               producer_list,   PERM_ORG_READ,     0 },
	{ "POST",  "/api/v1/producers",               producer_create, PERM_COOP_WRITE, 0 },
	{ "GET",   "/api/v1/producers/{id}",          producer_get,    PERM_ORG_READ,     0 },
	{ "PATCH", "/api/v1/producers/{id}",          producer_patch,  PERM_COOP_WRITE, 0 },
	{ "GET",   "/api/v1/producers/by-dni/{dni}",  producer_by_dni, PERM_ORG_READ,     0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
