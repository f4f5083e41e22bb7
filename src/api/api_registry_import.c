/*
 * The registry as CSV: export of producers, plots and a campaign's LPA
 * (UTF-8 with BOM, ';', Spanish headers, see csvout.h), and the bulk
 * import of producers and plots from the files Excel saves (UTF-8 or
 * Latin-1, ';' or ',', the export's headers), so that export -> edit in
 * Excel -> import round-trips.
 *
 * An import is all or nothing: it runs in the request's one write
 * transaction (server_run_write()), upserts producers by DNI and plots by
 * producer DNI + plot name, audits each producer or plot it creates or
 * changes, and on any bad line answers 422 with every line checked (up to
 * IMPORT_ERRORS_MAX problems listed) and nothing written.  Each row goes
 * through the same checks as the JSON API (producer_check(),
 * plot_check(), plot_location_parse()).
 *
 * Tolerated Excel habits, each a documented guess: DNIs with fewer than 8
 * digits get their leading zeros back (Excel drops them from numbers); a
 * decimal comma ("1,5") is read as a point; a leading apostrophe before
 * '=', '+', '-' or '@' (what the export adds against formula injection)
 * is removed; headers compare without case or accents; blank ";;;" lines
 * are skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pergamino/api.h"
#include "pergamino/csv.h"
#include "pergamino/csvout.h"
#include "pergamino/dates.h"
#include "pergamino/ids.h"
#include "pergamino/jsonx.h"
#include "pergamino/parse.h"
#include "pergamino/registry.h"
#include "pergamino/units.h"

#define IMPORT_ERRORS_MAX 200 /* problems listed in a 422 */
#define IMPORT_COLS_MAX 16    /* columns of the widest import */
#define IMPORT_HEADER_MAX 64  /* bytes of a folded header */
#define EXPORT_PAGE 500       /* rows per store page while exporting */
#define EXPORT_LIST_MAX 1024  /* bytes of a joined list cell */
#define PLOT_HA_SCALE 4       /* 4 decimals of ha are m² */

/* ---- columns ---- */

#define COL_REQUIRED 0x1u /* must be in the header, cells not empty */
#define COL_READONLY 0x2u /* exported for people, ignored on import */

struct import_column {
	const char *header; /* as the export writes it */
	const char *field;  /* the API name, for errors */
	unsigned flags;
};

enum producer_col {
	PC_DNI,
	PC_LAST,
	PC_FIRST,
	PC_SEX,
	PC_CASERIO,
	PC_DISTRICT,
	PC_PROVINCE,
	PC_REGION,
	PC_ADDRESS,
	PC_PHONE,
	PC_STATUS,
	PC_PROGRAMS,
	PC_OTHERS,
	PC_ACTIVE,
	PC_COUNT
};

/* clang-format off */
static const struct import_column producer_columns[PC_COUNT] = {
	[PC_DNI]      = { "DNI",                   "dni",                  COL_REQUIRED },
	[PC_LAST]     = { "Apellidos",             "last_names",           COL_REQUIRED },
	[PC_FIRST]    = { "Nombres",               "first_names",          COL_REQUIRED },
	[PC_SEX]      = { "Sexo",                  "sex",                  COL_REQUIRED },
	[PC_CASERIO]  = { "Caserío",               "caserio",              0 },
	[PC_DISTRICT] = { "Distrito",              "district",             0 },
	[PC_PROVINCE] = { "Provincia",             "province",             0 },
	[PC_REGION]   = { "Región",                "region",               0 },
	[PC_ADDRESS]  = { "Dirección",             "address",              0 },
	[PC_PHONE]    = { "Teléfono",              "phone",                0 },
	[PC_STATUS]   = { "Estado",                "status",               COL_REQUIRED },
	[PC_PROGRAMS] = { "Programas",             "programs",             0 },
	[PC_OTHERS]   = { "Otras certificaciones", "other_certifications", 0 },
	[PC_ACTIVE]   = { "Activo",                "active",               0 },
};
/* clang-format on */

enum plot_col {
	LC_DNI,
	LC_PRODUCER,
	LC_NAME,
	LC_AREA,
	LC_CROP,
	LC_VARIETY,
	LC_ALTITUDE,
	LC_LAT,
	LC_LON,
	LC_GEOJSON,
	LC_NOTES,
	LC_ACTIVE,
	LC_COUNT
};

/* clang-format off */
static const struct import_column plot_columns[LC_COUNT] = {
	[LC_DNI]      = { "DNI productor",   "producer_dni",  COL_REQUIRED },
	[LC_PRODUCER] = { "Productor",       "producer_name", COL_READONLY },
	[LC_NAME]     = { "Parcela",         "name",          COL_REQUIRED },
	[LC_AREA]     = { "Área (ha)",       "area_ha",       COL_REQUIRED },
	[LC_CROP]     = { "Cultivo",         "crop",          0 },
	[LC_VARIETY]  = { "Variedad",        "variety",       0 },
	[LC_ALTITUDE] = { "Altitud (m)",     "altitude_m",    0 },
	[LC_LAT]      = { "Latitud",         "location",      0 },
	[LC_LON]      = { "Longitud",        "location",      0 },
	[LC_GEOJSON]  = { "GeoJSON",         "location",      0 },
	[LC_NOTES]    = { "Notas de riesgo", "risk_notes",    0 },
	[LC_ACTIVE]   = { "Activo",          "active",        0 },
};
/* clang-format on */

_Static_assert(PC_COUNT <= IMPORT_COLS_MAX && LC_COUNT <= IMPORT_COLS_MAX,
    "IMPORT_COLS_MAX covers every import");

/* ---- import state ---- */

struct import {
	struct request *req; /* borrowed */
	const struct import_column *cols;
	size_t ncols;
	int at[IMPORT_COLS_MAX];     /* our column -> file column; -1: absent */
	size_t file_cols;            /* fields in the header */
	size_t line;                 /* 1-based line of the record being read */
	int location_col;            /* file column location errors point to */
	char *cell[IMPORT_COLS_MAX]; /* this row, trimmed; NULL: absent */
	char buf[CSV_ROW_BYTES];     /* the cells' text */
	json_t *seen;                /* owned: keys already met in this file */
	size_t errors;  /* problems found, also past IMPORT_ERRORS_MAX */
	enum err fatal; /* a failure that is not the file's fault */
	int64_t created, updated, unchanged, rows;
};

/* Record a problem at the current line; column is 0-based, -1: none. */
static void
import_error(struct import *im, int column, const char *field, const char *code,
    struct msg why)
{
	struct request *req = im->req;
	json_t *e;

	im->errors++;
	if (im->errors > IMPORT_ERRORS_MAX)
		return;
	if (req->errors == NULL)
		req->errors = json_array();
	e = json_pack("{s:o, s:o, s:o, s:s, s:s, s:s}", "line",
	    im->line > 0 ? json_integer((json_int_t)im->line) : json_null(),
	    "column", column >= 0 ? json_integer(column + 1) : json_null(),
	    "field", field != NULL ? json_string(field) : json_null(), "code",
	    code, "detail", why.es, "detail_en", why.en);
	if (req->errors == NULL || e == NULL ||
	    json_array_append_new(req->errors, e) != 0)
		im->fatal = ERR_NOMEM;
}

/* The file column of an API field in this import, or -1. */
static int
import_column_of(struct import *im, const char *field)
{
	size_t c;

	if (strcmp(field, "location") == 0)
		return im->location_col;
	for (c = 0; c < im->ncols; c++)
		if (strcmp(im->cols[c].field, field) == 0)
			return im->at[c];
	return -1;
}

/* registry_report_fn for rows: the problem at the current line. */
static void
import_report(void *arg, const char *field, const char *code, struct msg why)
{
	struct import *im = arg;

	import_error(im, import_column_of(im, field), field, code, why);
}

/* Report under our column c. */
static void
import_report_col(struct import *im, size_t c, const char *code, struct msg why)
{
	import_error(im, im->at[c], im->cols[c].field, code, why);
}

/* ---- reading the file ---- */

static bool
import_is_csv(struct request *req)
{
	const char *ct = request_header(req, "Content-Type");

	return ct != NULL && strncasecmp(ct, "text/csv", 8) == 0 &&
	    (ct[8] == '\0' || ct[8] == ';' || ct[8] == ' ');
}

/* Trim spaces and tabs of s in place; returns the new start. */
static char *
import_trim(char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	return s;
}

/* Map the header row onto our columns. */
static void
import_header(struct import *im, const struct csv_row *row)
{
	char got[IMPORT_HEADER_MAX], want[IMPORT_HEADER_MAX], *name;
	size_t i, c;

	im->file_cols = row->count;
	for (i = 0; i < row->count; i++) {
		/* Folded, then trimmed (folding keeps spaces and tabs). */
		if (!registry_fold(row->fields[i], got, sizeof(got)))
			got[0] = '\0';
		name = import_trim(got);
		if (name[0] == '\0' && row->lens[i] < sizeof(got))
			continue; /* an unnamed column is ignored */
		for (c = 0; c < im->ncols; c++) {
			(void)registry_fold(
			    im->cols[c].header, want, sizeof(want));
			if (strcmp(name, want) == 0)
				break;
		}
		if (c == im->ncols)
			import_error(im, (int)i, NULL, "unknown_column",
			    MSG("Columna desconocida: use los encabezados "
			        "de la exportación",
			        "Unknown column: use the export's headers"));
		else if (im->at[c] >= 0)
			import_error(im, (int)i, im->cols[c].field,
			    "duplicate_column",
			    MSG("Columna repetida", "Repeated column"));
		else
			im->at[c] = (int)i;
	}
	for (c = 0; c < im->ncols; c++)
		if ((im->cols[c].flags & COL_REQUIRED) && im->at[c] < 0)
			import_error(im, -1, im->cols[c].field,
			    "missing_column",
			    MSG("Falta esta columna obligatoria",
			        "This required column is missing"));
}

/*
 * Copy the row's cells for our columns into im->buf, trimmed, without the
 * export's formula guard.  False (reported) when the row is longer than
 * the header.
 */
static bool
import_cells(struct import *im, const struct csv_row *row)
{
	char *w = im->buf;
	const char *s;
	size_t c, i, len;
	int fc;

	for (i = im->file_cols; i < row->count; i++) {
		s = row->fields[i];
		len = row->lens[i];
		csv_trim(&s, &len);
		if (len > 0) {
			import_error(im, (int)i, NULL, "extra_fields",
			    MSG("La fila tiene más campos que el encabezado",
			        "The row has more fields than the header"));
			return false;
		}
	}
	for (c = 0; c < im->ncols; c++) {
		fc = im->at[c];
		im->cell[c] = NULL;
		if (fc < 0 || (im->cols[c].flags & COL_READONLY))
			continue;
		s = "";
		len = 0;
		if ((size_t)fc < row->count) {
			s = row->fields[fc];
			len = row->lens[fc];
			csv_trim(&s, &len);
		}
		if (len >= 2 && s[0] == '\'' && strchr("=+-@", s[1]) != NULL) {
			s++;
			len--;
		}
		/* Fits: the row's fields with their NULs fit the same size. */
		memcpy(w, s, len);
		w[len] = '\0';
		im->cell[c] = w;
		w += len + 1;
	}
	return true;
}

/* False (and reported) if key was already met in this file. */
static bool
import_first_time(struct import *im, const char *key, size_t c)
{
	if (json_object_get(im->seen, key) != NULL) {
		import_report_col(im, c, "duplicate_in_file",
		    MSG("Este registro ya aparece en otra línea del archivo",
		        "This record already appears on another line of the "
		        "file"));
		return false;
	}
	if (json_object_set_new(im->seen, key, json_true()) != 0)
		im->fatal = ERR_NOMEM;
	return im->fatal == ERR_OK;
}

static bool
import_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * The DNI of column c into out.  Excel stores an all-digit column as a
 * number and drops leading zeros (08754611 -> 8754611): 1 to 7 digits
 * get them back, since a DNI always has 8.
 */
static bool
import_dni(struct import *im, size_t c, char out[IDS_DNI_LEN + 1])
{
	const char *s = im->cell[c];
	struct msg why;
	size_t len = s != NULL ? strlen(s) : 0, pad;

	out[0] = '\0';
	if (len == 0) {
		import_report_col(
		    im, c, "required", MSG("Es obligatorio", "Is required"));
		return false;
	}
	if (len > IDS_DNI_LEN || !import_digits(s)) {
		(void)dni_check(s, &why);
		import_report_col(im, c, "invalid", why);
		return false;
	}
	pad = IDS_DNI_LEN - len;
	memset(out, '0', pad);
	memcpy(out + pad, s, len + 1);
	if (dni_check(out, &why) != ERR_OK) {
		import_report_col(im, c, "invalid", why);
		return false;
	}
	return true;
}

/* The folded cell compared with a NULL-terminated list of words. */
static bool
import_word_in(const char *cell, const char *const *words)
{
	char f[IMPORT_HEADER_MAX];

	if (!registry_fold(cell, f, sizeof(f)))
		return false;
	for (; *words != NULL; words++)
		if (strcmp(f, *words) == 0)
			return true;
	return false;
}

/* Spanish or English words -> the stored value; else the cell as is. */
static const char *
import_sex(const char *cell)
{
	static const char *const f[] = { "f", "femenino", "mujer", NULL };
	static const char *const m[] = { "m", "masculino", "hombre", "varon",
		NULL };

	if (import_word_in(cell, f))
		return "F";
	if (import_word_in(cell, m))
		return "M";
	return cell;
}

static const char *
import_status(const char *cell)
{
	static const char *const organic[] = { "organico", "organic", NULL };
	static const char *const transition[] = { "transicion", "en transicion",
		"transition", NULL };
	static const char *const conventional[] = { "convencional",
		"conventional", NULL };

	if (import_word_in(cell, organic))
		return "organic";
	if (import_word_in(cell, transition))
		return "transition";
	if (import_word_in(cell, conventional))
		return "conventional";
	return cell;
}

/* "sí"/"no" (and 1/0, true/false); -1 when neither. */
static int
import_bool(const char *cell)
{
	static const char *const yes[] = { "si", "s", "1", "x", "true", "yes",
		NULL };
	static const char *const no[] = { "no", "n", "0", "false", NULL };

	if (import_word_in(cell, yes))
		return 1;
	if (import_word_in(cell, no))
		return 0;
	return -1;
}

static void
import_active(struct import *im, size_t c, int *active)
{
	int b;

	if (im->cell[c] == NULL || im->cell[c][0] == '\0')
		return; /* kept as it was (new records: active) */
	b = import_bool(im->cell[c]);
	if (b < 0)
		import_report_col(
		    im, c, "invalid", MSG("Use sí o no", "Use sí (yes) or no"));
	else
		*active = b;
}

/*
 * A list cell ("EU, NOP" or "EU|NOP") as a new array of trimmed items;
 * programs are upper-cased and "UE" (Unión Europea) read as EU.  Splits
 * the cell in place.
 */
static json_t *
import_list(char *cell, bool programs)
{
	json_t *a = json_array();
	const char *item;
	char *tok, *end;
	size_t i;

	while (a != NULL && cell != NULL) {
		end = cell + strcspn(cell, ",|");
		tok = cell;
		cell = *end != '\0' ? end + 1 : NULL;
		*end = '\0';
		tok = import_trim(tok);
		if (tok[0] == '\0')
			continue;
		for (i = 0; programs && tok[i] != '\0'; i++)
			if (tok[i] >= 'a' && tok[i] <= 'z')
				tok[i] = (char)(tok[i] - 'a' + 'A');
		item = programs && strcmp(tok, "UE") == 0 ? "EU" : tok;
		if (json_array_append_new(a, json_string(item)) != 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

/* A decimal comma ("1,5", one comma and no point) becomes a point. */
static void
import_decimal_point(char *cell)
{
	char *comma = strchr(cell, ',');

	if (comma != NULL && strchr(cell, '.') == NULL &&
	    strchr(comma + 1, ',') == NULL)
		*comma = '.';
}

/* A decimal cell, scaled by 10^scale, at most max. */
static bool
import_decimal(char *cell, unsigned scale, int64_t max, int64_t *out)
{
	import_decimal_point(cell);
	return units_parse_decimal(cell, scale, max, out) == ERR_OK;
}

/* ---- producers ---- */

static const char *
import_text_or(const char *cell, const char *old)
{
	return cell != NULL ? cell : old;
}

static bool
import_same_text(json_t *doc, const char *key, const char *s)
{
	const char *old = json_string_value(json_object_get(doc, key));

	return strcmp(old != NULL ? old : "", s != NULL ? s : "") == 0;
}

static bool
import_same_array(json_t *doc, const char *key, json_t *a)
{
	json_t *old = json_object_get(doc, key);

	if (a == NULL)
		return json_array_size(old) == 0;
	return json_equal(old, a);
}

/* Would writing p change the stored producer doc? */
static bool
producer_same(json_t *doc, const struct producer *p)
{
	return import_same_text(doc, "dni", p->dni) &&
	    import_same_text(doc, "first_names", p->first_names) &&
	    import_same_text(doc, "last_names", p->last_names) &&
	    import_same_text(doc, "sex", p->sex) &&
	    import_same_text(doc, "caserio", p->caserio) &&
	    import_same_text(doc, "district", p->district) &&
	    import_same_text(doc, "province", p->province) &&
	    import_same_text(doc, "region", p->region) &&
	    import_same_text(doc, "address", p->address) &&
	    import_same_text(doc, "phone", p->phone) &&
	    import_same_text(doc, "status", p->status) &&
	    import_same_array(doc, "programs", p->programs) &&
	    import_same_array(
	        doc, "other_certifications", p->other_certifications) &&
	    json_is_true(json_object_get(doc, "active")) == (p->active != 0);
}

/* Audit a producer or plot written by the import, with its state after. */
static enum err
import_audit(struct import *im, const char *action, const char *entity,
    int64_t id, json_t *before)
{
	struct request *req = im->req;
	json_t *after = NULL;
	int64_t version;
	enum err rc;

	rc = strcmp(entity, "producer") == 0
	    ? producer_store_get_json(req->db, req->who.user_id,
	          req->who.org_id, id, &after, &version)
	    : plot_store_get_json(req->db, req->who.user_id, req->who.org_id,
	          id, &after, &version);
	if (rc == ERR_OK)
		rc = api_audit(
		    req, req->who.org_id, action, entity, id, before, after);
	json_decref(after);
	return rc;
}

static void
import_producer_write(struct import *im, struct producer *p, int64_t id,
    int64_t version, json_t *before)
{
	struct request *req = im->req;
	enum err rc;

	if (id == 0) {
		p->organization_id = req->who.org_id;
		p->created_at = req->now;
		rc = producer_store_insert(req->db, p);
		if (rc == ERR_OK)
			rc = import_audit(
			    im, "producer.create", "producer", p->id, NULL);
		im->created++;
	} else if (producer_same(before, p)) {
		im->unchanged++;
		return;
	} else {
		rc = producer_store_update(
		    req->db, req->who.org_id, id, version, p);
		if (rc == ERR_OK)
			rc = import_audit(
			    im, "producer.update", "producer", id, before);
		im->updated++;
	}
	if (rc != ERR_OK)
		im->fatal = rc;
}

/* Fill p's text fields from the cells that are present. */
static void
import_producer_cells(struct import *im, struct producer *p)
{
	p->last_names = import_text_or(im->cell[PC_LAST], p->last_names);
	p->first_names = import_text_or(im->cell[PC_FIRST], p->first_names);
	if (im->cell[PC_SEX] != NULL)
		p->sex = import_sex(im->cell[PC_SEX]);
	p->caserio = import_text_or(im->cell[PC_CASERIO], p->caserio);
	p->district = import_text_or(im->cell[PC_DISTRICT], p->district);
	p->province = import_text_or(im->cell[PC_PROVINCE], p->province);
	p->region = import_text_or(im->cell[PC_REGION], p->region);
	p->address = import_text_or(im->cell[PC_ADDRESS], p->address);
	p->phone = import_text_or(im->cell[PC_PHONE], p->phone);
	if (im->cell[PC_STATUS] != NULL)
		p->status = import_status(im->cell[PC_STATUS]);
	import_active(im, PC_ACTIVE, &p->active);
}

static void
import_producer_row(struct import *im)
{
	struct request *req = im->req;
	char dni[IDS_DNI_LEN + 1];
	struct producer p = { .active = 1 };
	json_t *before = NULL, *programs = NULL, *others = NULL;
	int64_t id = 0, version = 0;
	size_t problems = im->errors;

	if (!import_dni(im, PC_DNI, dni) || !import_first_time(im, dni, PC_DNI))
		return;
	im->fatal = producer_store_find_dni(req->db, req->who.org_id, dni, &id);
	if (im->fatal == ERR_OK && id != 0) {
		im->fatal = producer_store_get_json(req->db, req->who.user_id,
		    req->who.org_id, id, &before, &version);
		producer_from_json(before, &p);
	}
	if (im->fatal != ERR_OK)
		goto out;
	p.dni = dni;
	import_producer_cells(im, &p);
	if (im->cell[PC_PROGRAMS] != NULL) {
		programs = import_list(im->cell[PC_PROGRAMS], true);
		p.programs = programs;
	}
	if (im->cell[PC_OTHERS] != NULL) {
		others = import_list(im->cell[PC_OTHERS], false);
		p.other_certifications = others;
	}
	/* Checked even after earlier problems: every line is reported. */
	if (!producer_check(&p, import_report, im) || im->errors > problems)
		goto out;
	if (im->errors == 0)
		import_producer_write(im, &p, id, version, before);
out:
	json_decref(others);
	json_decref(programs);
	json_decref(before);
}

/* ---- plots ---- */

/* A Point from the Latitud / Longitud cells; new reference. */
static json_t *
import_point(struct import *im)
{
	import_decimal_point(im->cell[LC_LAT]);
	import_decimal_point(im->cell[LC_LON]);
	return json_pack("{s:s, s:[s, s]}", "type", "Point", "coordinates",
	    im->cell[LC_LON], im->cell[LC_LAT]);
}

/*
 * The location of a plot row.  *set is false when the file has none of
 * the location columns (keep the stored one); otherwise *out is the new
 * location, or NULL for none (all empty) or after a reported problem.
 */
static void
import_location(struct import *im, bool *set, json_t **out)
{
	const char *lat = im->cell[LC_LAT], *lon = im->cell[LC_LON];
	const char *geo = im->cell[LC_GEOJSON];
	json_t *in = NULL;
	bool has_lat = lat != NULL && lat[0] != '\0';
	bool has_lon = lon != NULL && lon[0] != '\0';

	*out = NULL;
	*set = lat != NULL || lon != NULL || geo != NULL;
	im->location_col = im->at[LC_GEOJSON];
	if (geo != NULL && geo[0] != '\0') {
		in = jsonx_loads(geo, JSON_REJECT_DUPLICATES, NULL);
		if (in == NULL)
			import_report(im, "location", "invalid_geojson",
			    MSG("El GeoJSON no es JSON válido",
			        "The GeoJSON is not valid JSON"));
	} else if (has_lat || has_lon) {
		im->location_col = im->at[has_lat ? LC_LAT : LC_LON];
		if (!has_lat || !has_lon)
			import_report(im, "location", "incomplete",
			    MSG("Indique latitud y longitud",
			        "Give both latitude and longitude"));
		else
			in = import_point(im);
	}
	if (in != NULL)
		(void)plot_location_parse(
		    in, "location", out, import_report, im);
	json_decref(in);
}

static bool
plot_same(json_t *doc, const struct plot *p)
{
	json_t *alt = json_object_get(doc, "altitude_m");
	json_t *loc = json_object_get(doc, "location");
	int64_t old_alt =
	    json_is_integer(alt) ? json_integer_value(alt) : REGISTRY_NONE;

	return import_same_text(doc, "name", p->name) &&
	    json_integer_value(json_object_get(doc, "area_m2")) == p->area_m2 &&
	    import_same_text(doc, "crop", p->crop) &&
	    import_same_text(doc, "variety", p->variety) &&
	    old_alt == p->altitude_m &&
	    (p->location == NULL ? !json_is_object(loc)
	                         : json_equal(loc, p->location)) &&
	    import_same_text(doc, "risk_notes", p->risk_notes) &&
	    json_is_true(json_object_get(doc, "active")) == (p->active != 0);
}

static void
import_plot_write(struct import *im, struct plot *p, int64_t id,
    int64_t version, json_t *before)
{
	struct request *req = im->req;
	enum err rc;

	if (id == 0) {
		p->organization_id = req->who.org_id;
		p->created_at = req->now;
		rc = plot_store_insert(req->db, p);
		if (rc == ERR_OK)
			rc = import_audit(
			    im, "plot.create", "plot", p->id, NULL);
		im->created++;
	} else if (plot_same(before, p)) {
		im->unchanged++;
		return;
	} else {
		rc =
		    plot_store_update(req->db, req->who.org_id, id, version, p);
		if (rc == ERR_OK)
			rc =
			    import_audit(im, "plot.update", "plot", id, before);
		im->updated++;
	}
	if (rc != ERR_OK)
		im->fatal = rc;
}

/* Area, altitude and the plain text cells into p. */
static void
import_plot_cells(struct import *im, struct plot *p)
{
	uint64_t alt;

	if (im->cell[LC_AREA] != NULL) {
		p->area_m2 = 0; /* empty: plot_check() says it is required */
		if (im->cell[LC_AREA][0] != '\0' &&
		    !import_decimal(im->cell[LC_AREA], PLOT_HA_SCALE,
		        REGISTRY_AREA_M2_MAX, &p->area_m2))
			import_report_col(im, LC_AREA, "invalid_decimal",
			    MSG("Área no válida: hectáreas con hasta 4 "
			        "decimales",
			        "Invalid area: hectares with up to 4 "
			        "decimals"));
	}
	if (im->cell[LC_ALTITUDE] != NULL) {
		p->altitude_m = REGISTRY_NONE;
		if (im->cell[LC_ALTITUDE][0] != '\0') {
			if (parse_uint(im->cell[LC_ALTITUDE],
			        REGISTRY_ALTITUDE_MAX, &alt) == ERR_OK)
				p->altitude_m = (int64_t)alt;
			else
				import_report_col(im, LC_ALTITUDE,
				    "out_of_range",
				    MSG("Altitud: metros enteros entre 0 y "
				        "7000",
				        "Altitude: whole metres between 0 and "
				        "7000"));
		}
	}
	p->crop = import_text_or(im->cell[LC_CROP], p->crop);
	p->variety = import_text_or(im->cell[LC_VARIETY], p->variety);
	p->risk_notes = import_text_or(im->cell[LC_NOTES], p->risk_notes);
	import_active(im, LC_ACTIVE, &p->active);
}

/* The producer of the row's DNI in the caller's organization, or 0. */
static int64_t
import_plot_producer(struct import *im, const char *dni)
{
	int64_t id = 0;

	im->fatal =
	    producer_store_find_dni(im->req->db, im->req->who.org_id, dni, &id);
	if (im->fatal == ERR_OK && id == 0)
		import_report_col(im, LC_DNI, "not_found",
		    MSG("No hay un productor con ese DNI: impórtelo primero",
		        "No producer has that DNI: import it first"));
	return id;
}

static void
import_plot_row(struct import *im)
{
	struct request *req = im->req;
	char dni[IDS_DNI_LEN + 1], key[IDS_DNI_LEN + REGISTRY_NAME_MAX + 2];
	struct plot p = {
		.crop = "café", .altitude_m = REGISTRY_NONE, .active = 1
	};
	json_t *before = NULL, *loc = NULL;
	int64_t id = 0, version = 0, producer;
	size_t problems = im->errors;
	bool set;

	if (!import_dni(im, LC_DNI, dni) ||
	    !registry_text_check(im->cell[LC_NAME], "name", REGISTRY_NAME_MAX,
	        REGISTRY_TEXT_REQUIRED, import_report, im))
		return;
	producer = import_plot_producer(im, dni);
	snprintf(key, sizeof(key), "%s/%s", dni, im->cell[LC_NAME]);
	if (producer == 0 || !import_first_time(im, key, LC_NAME))
		return;
	im->fatal = plot_store_find_name(
	    req->db, req->who.org_id, producer, im->cell[LC_NAME], &id);
	if (im->fatal == ERR_OK && id != 0) {
		im->fatal = plot_store_get_json(req->db, req->who.user_id,
		    req->who.org_id, id, &before, &version);
		plot_from_json(before, &p);
	}
	if (im->fatal != ERR_OK)
		goto out;
	p.producer_id = producer;
	p.name = im->cell[LC_NAME];
	import_plot_cells(im, &p);
	import_location(im, &set, &loc);
	if (set)
		p.location = loc;
	if (!plot_check(&p, import_report, im) || im->errors > problems)
		goto out;
	if (im->errors == 0)
		import_plot_write(im, &p, id, version, before);
out:
	json_decref(loc);
	json_decref(before);
}

/* ---- the import request ---- */

/* Read every record after the header; rows checked, written if clean. */
static void
import_rows(
    struct import *im, struct csv_reader *rd, void (*row_fn)(struct import *im))
{
	struct csv_row row;
	struct msg why;
	enum err rc;

	while ((rc = csv_next_row(rd, &row, &why)) == ERR_OK) {
		if (csv_row_blank(&row))
			continue;
		im->line = row.line;
		im->rows++;
		if (import_cells(im, &row))
			row_fn(im);
		if (im->fatal != ERR_OK)
			return;
	}
	if (rc != ERR_NOT_FOUND) {
		im->line = row.line;
		import_error(im, -1, NULL, "malformed", why);
	}
}

/* Parse text as a CSV file of this kind of record. */
static void
import_text(struct import *im, const char *text, size_t len,
    void (*row_fn)(struct import *im))
{
	struct csv_reader rd;
	struct csv_row row;
	struct msg why;
	enum err rc;

	csv_reader_init(&rd, text, len, csv_detect_separator(text, len));
	rc = csv_next_row(&rd, &row, &why);
	im->line = rc == ERR_OK || rc == ERR_INVALID ? row.line : 1;
	if (rc == ERR_NOT_FOUND) {
		import_error(im, -1, NULL, "empty_file",
		    MSG("El archivo está vacío: falta la fila de encabezados",
		        "The file is empty: the header row is missing"));
		return;
	}
	if (rc != ERR_OK) {
		import_error(im, -1, NULL, "malformed", why);
		return;
	}
	import_header(im, &row);
	if (im->errors == 0)
		import_rows(im, &rd, row_fn);
}

static enum err
import_run(struct request *req, const struct import_column *cols, size_t ncols,
    void (*row_fn)(struct import *im))
{
	struct import *im = NULL;
	char *text = NULL;
	size_t len = 0, c;
	enum err rc;

	if (!import_is_csv(req))
		return request_fail(req, ERR_MEDIA_TYPE,
		    MSG("Envíe el archivo como text/csv",
		        "Send the file as text/csv"));
	im = calloc(1, sizeof(*im));
	if (im == NULL)
		return ERR_NOMEM;
	im->req = req;
	im->cols = cols;
	im->ncols = ncols;
	im->location_col = -1;
	for (c = 0; c < IMPORT_COLS_MAX; c++)
		im->at[c] = -1;
	im->seen = json_object();
	if (im->seen == NULL) {
		rc = ERR_NOMEM;
		goto out;
	}
	if (csv_to_utf8(req->body, req->body != NULL ? req->body_len : 0, &text,
	        &len) != ERR_OK)
		import_error(im, -1, NULL, "encoding",
		    MSG("El archivo no es texto CSV en UTF-8 ni en Latin-1 "
		        "(¿es un libro .xlsx? guárdelo como CSV)",
		        "The file is not CSV text in UTF-8 or Latin-1 (is it "
		        "an .xlsx workbook? save it as CSV)"));
	else
		import_text(im, text, len, row_fn);
	rc = im->fatal;
	if (rc == ERR_OK && im->errors > IMPORT_ERRORS_MAX)
		rc = request_fail(req, ERR_UNPROCESSABLE,
		    MSG("El archivo tiene más de 200 errores (se muestran "
		        "los primeros 200); no se importó nada",
		        "The file has more than 200 errors (the first 200 are "
		        "shown); nothing was imported"));
	else if (rc == ERR_OK && im->errors > 0)
		rc = request_fail(req, ERR_UNPROCESSABLE,
		    MSG("El archivo tiene errores; no se importó nada",
		        "The file has errors; nothing was imported"));
	else if (rc == ERR_OK)
		rc = request_reply(req, 200,
		    json_pack("{s:I, s:I, s:I, s:I}", "created",
		        (json_int_t)im->created, "updated",
		        (json_int_t)im->updated, "unchanged",
		        (json_int_t)im->unchanged, "rows",
		        (json_int_t)im->rows));
out:
	free(text);
	json_decref(im->seen);
	free(im);
	return rc;
}

static enum err
import_producers(struct request *req)
{
	return import_run(req, producer_columns, PC_COUNT, import_producer_row);
}

static enum err
import_plots(struct request *req)
{
	return import_run(req, plot_columns, LC_COUNT, import_plot_row);
}

/* ---- exports ---- */

static void
export_header(struct csvout *c, const struct import_column *cols, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		csvout_field(c, cols[i].header);
	csvout_end_row(c);
}

static const char *
export_text(json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s != NULL ? s : "";
}

/* The array at key joined with ", " into out. */
static const char *
export_list(json_t *doc, const char *key, char *out, size_t cap)
{
	json_t *a = json_object_get(doc, key), *v;
	size_t i, used = 0;
	int n;

	out[0] = '\0';
	json_array_foreach(a, i, v)
	{
		n = snprintf(out + used, cap - used, "%s%s", i > 0 ? ", " : "",
		    json_string_value(v) != NULL ? json_string_value(v) : "");
		if (n < 0 || (size_t)n >= cap - used)
			break;
		used += (size_t)n;
	}
	return out;
}

static const char *
export_status(json_t *doc)
{
	return csvout_status_word(export_text(doc, "status"));
}

static const char *
export_yes_no(json_t *doc, const char *key)
{
	return json_is_true(json_object_get(doc, key)) ? "sí" : "no";
}

static void
export_producer(struct csvout *c, json_t *p)
{
	char list[EXPORT_LIST_MAX];

	csvout_field(c, export_text(p, "dni"));
	csvout_field(c, export_text(p, "last_names"));
	csvout_field(c, export_text(p, "first_names"));
	csvout_field(c, export_text(p, "sex"));
	csvout_field(c, export_text(p, "caserio"));
	csvout_field(c, export_text(p, "district"));
	csvout_field(c, export_text(p, "province"));
	csvout_field(c, export_text(p, "region"));
	csvout_field(c, export_text(p, "address"));
	csvout_field(c, export_text(p, "phone"));
	csvout_field(c, export_status(p));
	csvout_field(c, export_list(p, "programs", list, sizeof(list)));
	csvout_field(
	    c, export_list(p, "other_certifications", list, sizeof(list)));
	csvout_field(c, export_yes_no(p, "active"));
	csvout_end_row(c);
}

/* GET /api/v1/producers.csv with the filters of GET /producers. */
static enum err
export_producers(struct request *req)
{
	char fold[256];
	struct producer_filter f;
	struct csvout c;
	json_t *items, *p;
	int64_t after = 0, next;
	enum err rc;
	size_t i;

	rc = producer_filter_read(req, &f, fold, sizeof(fold));
	if (rc != ERR_OK)
		return rc;
	csvout_init(&c);
	export_header(&c, producer_columns, PC_COUNT);
	do {
		rc = producer_store_list_json(req->db, req->who.user_id, &f,
		    after, EXPORT_PAGE, &items, &next);
		if (rc != ERR_OK)
			break;
		json_array_foreach(items, i, p) export_producer(&c, p);
		json_decref(items);
		after = next;
	} while (next != 0 && c.t.err == ERR_OK);
	if (rc != ERR_OK) {
		csvout_clear(&c);
		return rc;
	}
	return csvout_reply(&c, req, "productores.csv");
}

static void
export_plot_location(struct csvout *c, json_t *pl)
{
	json_t *loc = json_object_get(pl, "location");
	const char *type = json_string_value(json_object_get(loc, "type"));
	json_t *coords = json_object_get(loc, "coordinates");
	char *text;

	if (type != NULL && strcmp(type, "Point") == 0) {
		csvout_field(c, json_string_value(json_array_get(coords, 1)));
		csvout_field(c, json_string_value(json_array_get(coords, 0)));
		csvout_field(c, "");
		return;
	}
	csvout_field(c, "");
	csvout_field(c, "");
	text = json_is_object(loc) ? jsonx_dumps(loc, JSON_COMPACT) : NULL;
	if (json_is_object(loc) && text == NULL)
		c->t.err = ERR_NOMEM;
	csvout_field(c, text != NULL ? text : "");
	free(text);
}

static void
export_plot(struct csvout *c, json_t *pl)
{
	json_t *alt = json_object_get(pl, "altitude_m");

	csvout_field(c, export_text(pl, "producer_dni"));
	csvout_field(c, export_text(pl, "producer_name"));
	csvout_field(c, export_text(pl, "name"));
	csvout_field(c, export_text(pl, "area_ha"));
	csvout_field(c, export_text(pl, "crop"));
	csvout_field(c, export_text(pl, "variety"));
	if (json_is_integer(alt))
		csvout_int(c, json_integer_value(alt));
	else
		csvout_field(c, "");
	export_plot_location(c, pl);
	csvout_field(c, export_text(pl, "risk_notes"));
	csvout_field(c, export_yes_no(pl, "active"));
	csvout_end_row(c);
}

/* GET /api/v1/plots.csv[?producer_id=] */
static enum err
export_plots(struct request *req)
{
	struct csvout c;
	json_t *items, *pl;
	int64_t after = 0, next, producer;
	enum err rc;
	size_t i;

	rc = registry_query_int(req, "producer_id", 1, INT64_MAX, &producer);
	if (rc != ERR_OK)
		return rc;
	csvout_init(&c);
	export_header(&c, plot_columns, LC_COUNT);
	do {
		rc = plot_store_list_json(req->db, req->who.user_id,
		    producer == REGISTRY_NONE ? 0 : producer, after,
		    EXPORT_PAGE, &items, &next);
		if (rc != ERR_OK)
			break;
		json_array_foreach(items, i, pl) export_plot(&c, pl);
		json_decref(items);
		after = next;
	} while (next != 0 && c.t.err == ERR_OK);
	if (rc != ERR_OK) {
		csvout_clear(&c);
		return rc;
	}
	return csvout_reply(&c, req, "parcelas.csv");
}

/* A YYYY-MM-DD member as dd/mm/yyyy (what Excel in Peru reads). */
static const char *
export_date(json_t *doc, const char *key, char out[DATE_LEN + 1])
{
	date_print_pe(export_text(doc, key), out);
	return out;
}

static void
export_lpa_entry(struct csvout *c, json_t *e)
{
	char list[EXPORT_LIST_MAX], date[DATE_LEN + 1];

	csvout_int(c, json_integer_value(json_object_get(e, "campaign")));
	csvout_field(c, export_text(e, "dni"));
	csvout_field(c, export_text(e, "last_names"));
	csvout_field(c, export_text(e, "first_names"));
	csvout_field(c, export_text(e, "caserio"));
	csvout_field(c, export_status(e));
	csvout_field(c, export_list(e, "programs", list, sizeof(list)));
	csvout_field(c, export_date(e, "approved_on", date));
	csvout_field(c, export_text(e, "approved_by_username"));
	csvout_field(c, export_date(e, "withdrawn_on", date));
	csvout_field(c, export_text(e, "withdrawn_by_username"));
	csvout_field(c, export_text(e, "withdrawn_reason"));
	csvout_end_row(c);
}

/* GET /api/v1/lpa.csv?campaign=[&organization_id=] */
static enum err
export_lpa(struct request *req)
{
	static const char *const header[] = { "Campaña", "DNI", "Apellidos",
		"Nombres", "Caserío", "Estado", "Programas", "Aprobado el",
		"Aprobado por", "Retirado el", "Retirado por",
		"Motivo del retiro", NULL };
	struct csvout c;
	json_t *items, *e;
	int64_t after = 0, next, campaign, org;
	enum err rc;
	size_t i;

	rc = registry_query_int(req, "campaign", REGISTRY_CAMPAIGN_MIN,
	    REGISTRY_CAMPAIGN_MAX, &campaign);
	if (rc == ERR_OK && campaign == REGISTRY_NONE)
		rc = request_field_error(req, "campaign", "required",
		    MSG("Indique la campaña (?campaign=2017)",
		        "Give the campaign (?campaign=2017)"));
	if (rc == ERR_OK)
		rc = registry_query_int(
		    req, "organization_id", 1, INT64_MAX, &org);
	if (rc != ERR_OK)
		return rc;
	csvout_init(&c);
	csvout_header(&c, header);
	do {
		rc = lpa_store_list_json(req->db, req->who.user_id,
		    org == REGISTRY_NONE ? 0 : org, campaign, after,
		    EXPORT_PAGE, &items, &next);
		if (rc != ERR_OK)
			break;
		json_array_foreach(items, i, e) export_lpa_entry(&c, e);
		json_decref(items);
		after = next;
	} while (next != 0 && c.t.err == ERR_OK);
	if (rc != ERR_OK) {
		csvout_clear(&c);
		return rc;
	}
	return csvout_reply(&c, req, "lpa.csv");
}

/* clang-format off */
const struct route registry_csv_routes[] = {
	{ "GET",  "/api/v1/producers.csv",    export_producers, PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/producers/import", import_producers, PERM_COOP_WRITE, 0 },
	{ "GET",  "/api/v1/plots.csv",        export_plots,     PERM_ORG_READ,     0 },
	{ "POST", "/api/v1/plots/import",     import_plots,     PERM_COOP_WRITE, 0 },
	{ "GET",  "/api/v1/lpa.csv",          export_lpa,       PERM_ORG_READ,     0 },
	{ NULL, NULL, NULL, PERM_PUBLIC, 0 },
};
/* clang-format on */
