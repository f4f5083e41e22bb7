/*
 * Plot geolocation checks: coordinate text to degrees × 10^7, precision,
 * ring shape (closed, simple, non-degenerate), approximate area and the
 * 4 ha polygon rule.  Ring checks use exact integer arithmetic; only the
 * area uses floating point.  Nothing here does I/O, and nothing needs
 * libm: the one cosine and square root are computed here.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pergamino/err.h"
#include "pergamino/geo.h"

/* The limits as string literals, for the reasons. */
#define STR_(x) #x
#define STR(x) STR_(x)

/* Integer degrees above which no coordinate can be in range. */
#define GEO_DEGREES_MAX 180

/* WGS84 ellipsoid. */
#define WGS84_A 6378137.0             /* semi-major axis, m */
#define WGS84_F (1.0 / 298.257223563) /* flattening */
#define PI 3.14159265358979323846
#define RAD_PER_E7 (PI / 180.0 / GEO_E7) /* radians per 10^-7 degree */
#define COS_TERMS 12   /* Taylor terms: error < 1e-16 for |x| <= pi/2 */
#define NEWTON_STEPS 6 /* 1/sqrt(w) for w in [0.993, 1]: exact to 1 ulp */

/*
 * Orientation tests multiply a longitude difference by a latitude
 * difference; for coordinates in range the product fits in int64_t.
 */
_Static_assert(INT64_MAX / (2 * GEO_LAT_MAX_E7) >= 2 * GEO_LON_MAX_E7,
    "orientation products fit in int64_t");

#define MSG_EMPTY MSG("La coordenada está vacía", "The coordinate is empty")
#define MSG_FORMAT                                                             \
	MSG("La coordenada debe estar en grados decimales con punto, "         \
	    "por ejemplo -5.703125",                                           \
	    "The coordinate must be in decimal degrees with a dot, "           \
	    "for example -5.703125")
#define MSG_COMMA                                                              \
	MSG("Use punto decimal, no coma, en la coordenada",                    \
	    "Use a decimal point, not a comma, in the coordinate")
#define MSG_DECIMALS_MAX                                                       \
	MSG("La coordenada tiene más de " STR(GEO_MAX_DECIMALS) " decimales",  \
	    "The coordinate has more than " STR(GEO_MAX_DECIMALS) " decimals")
#define MSG_LAT_RANGE                                                          \
	MSG("La latitud debe estar entre -90 y 90",                            \
	    "Latitude must be between -90 and 90")
#define MSG_LON_RANGE                                                          \
	MSG("La longitud debe estar entre -180 y 180",                         \
	    "Longitude must be between -180 and 180")
#define MSG_LAT_DECIMALS                                                       \
	MSG("La latitud necesita al menos " STR(                               \
	        GEO_MIN_DECIMALS) " decimales",                                \
	    "Latitude needs at least " STR(GEO_MIN_DECIMALS) " decimals")
#define MSG_LON_DECIMALS                                                       \
	MSG("La longitud necesita al menos " STR(                              \
	        GEO_MIN_DECIMALS) " decimales",                                \
	    "Longitude needs at least " STR(GEO_MIN_DECIMALS) " decimals")
#define MSG_NULL_ISLAND                                                        \
	MSG("Las coordenadas (0, 0) no son la ubicación de una parcela",       \
	    "Coordinates (0, 0) are not a plot location")
#define MSG_POINT_MISSING                                                      \
	MSG("Faltan las coordenadas", "The coordinates are missing")
#define MSG_RING_FEW                                                           \
	MSG("El polígono necesita al menos " STR(                              \
	        GEO_RING_MIN) " puntos, el último igual al primero",           \
	    "The polygon needs at least " STR(                                 \
	        GEO_RING_MIN) " points, the last equal to the first")
#define MSG_RING_MANY                                                          \
	MSG("El polígono tiene más de " STR(GEO_RING_MAX) " puntos",           \
	    "The polygon has more than " STR(GEO_RING_MAX) " points")
#define MSG_RING_RANGE                                                         \
	MSG("Un punto del polígono está fuera de rango",                       \
	    "A polygon point is out of range")
#define MSG_RING_OPEN                                                            \
	MSG("El polígono no está cerrado: el último punto debe ser igual al " \
	    "primero",                                                           \
	    "The polygon is not closed: the last point must equal the first")
#define MSG_RING_REPEAT                                                        \
	MSG("El polígono repite un punto dos veces seguidas",                  \
	    "The polygon repeats a point twice in a row")
#define MSG_RING_DISTINCT                                                      \
	MSG("El polígono necesita al menos 3 puntos distintos",                \
	    "The polygon needs at least 3 distinct points")
#define MSG_RING_FLAT                                                          \
	MSG("El polígono no tiene área: todos sus puntos están en una línea",  \
	    "The polygon has no area: all its points lie on one line")
#define MSG_RING_CROSS                                                         \
	MSG("Los lados del polígono se cruzan o se tocan",                     \
	    "The polygon's edges cross or touch each other")
#define MSG_AREA_NEGATIVE                                                      \
	MSG("El área no puede ser negativa", "The area cannot be negative")
#define MSG_NEEDS_POLYGON                                                      \
	MSG("Las parcelas de 4 ha o más deben describirse con un polígono, " \
	    "no con un punto",                                                 \
	    "Plots of 4 ha or more must be described by a polygon, not a "     \
	    "point")

static void
set_why(struct msg *why, struct msg m)
{
	if (why != NULL)
		*why = m;
}

/* Fail with m. */
static enum err
invalid(struct msg *why, struct msg m)
{
	set_why(why, m);
	return ERR_INVALID;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Coordinates.
 */

enum err
geo_parse_coord(const char *s, bool is_lat, int64_t *out_e7, unsigned *decimals,
    struct msg *why)
{
	const int64_t max = is_lat ? GEO_LAT_MAX_E7 : GEO_LON_MAX_E7;
	const struct msg range = is_lat ? MSG_LAT_RANGE : MSG_LON_RANGE;
	const char *p = s;
	int64_t v = 0; /* integer degrees, then degrees × 10^7 */
	unsigned int_digits = 0, dec = 0, k;
	bool neg = false;

	set_why(why, MSG(NULL, NULL));
	if (s == NULL || s[0] == '\0')
		return invalid(why, MSG_EMPTY);
	if (*p == '-') {
		neg = true;
		p++;
	}
	for (; is_digit(*p); p++, int_digits++) {
		v = v * 10 + (*p - '0');
		if (v > GEO_DEGREES_MAX)
			return invalid(
			    why, range); /* and stop before overflow */
	}
	if (int_digits == 0)
		return invalid(why, MSG_FORMAT);
	if (*p == ',')
		return invalid(why, MSG_COMMA);
	if (*p == '.') {
		for (p++; is_digit(*p); p++) {
			if (++dec > GEO_MAX_DECIMALS)
				return invalid(why, MSG_DECIMALS_MAX);
			v = v * 10 + (*p - '0');
		}
		if (dec == 0)
			return invalid(why, MSG_FORMAT);
	}
	if (*p != '\0')
		return invalid(why, MSG_FORMAT);
	for (k = dec; k < GEO_MAX_DECIMALS; k++)
		v *= 10;
	if (v > max)
		return invalid(why, range);
	*out_e7 = neg ? -v : v;
	*decimals = dec;
	return ERR_OK;
}

static bool
lat_ok(int64_t lat_e7)
{
	return lat_e7 >= -GEO_LAT_MAX_E7 && lat_e7 <= GEO_LAT_MAX_E7;
}

static bool
lon_ok(int64_t lon_e7)
{
	return lon_e7 >= -GEO_LON_MAX_E7 && lon_e7 <= GEO_LON_MAX_E7;
}

enum err
geo_check_point(const struct geo_point *p, unsigned lat_decimals,
    unsigned lon_decimals, struct msg *why)
{
	set_why(why, MSG(NULL, NULL));
	if (p == NULL)
		return invalid(why, MSG_POINT_MISSING);
	if (!lat_ok(p->lat_e7))
		return invalid(why, MSG_LAT_RANGE);
	if (!lon_ok(p->lon_e7))
		return invalid(why, MSG_LON_RANGE);
	if (lat_decimals < GEO_MIN_DECIMALS)
		return invalid(why, MSG_LAT_DECIMALS);
	if (lon_decimals < GEO_MIN_DECIMALS)
		return invalid(why, MSG_LON_DECIMALS);
	if (p->lat_e7 == 0 && p->lon_e7 == 0)
		return invalid(why, MSG_NULL_ISLAND);
	return ERR_OK;
}

/*
 * Rings.  x is longitude, y latitude; all points are in range before any
 * of the helpers below runs, so their products cannot overflow.
 */

static bool
same_point(const struct geo_point *a, const struct geo_point *b)
{
	return a->lat_e7 == b->lat_e7 && a->lon_e7 == b->lon_e7;
}

static int
sign64(int64_t v)
{
	return (v > 0) - (v < 0);
}

/*
 * Sign of the cross product (b - a) × (c - a): 1 if a, b, c turn left
 * (counter-clockwise), -1 if right, 0 if collinear.  Exact: the two
 * products are compared instead of subtracted.
 */
static int
orient(const struct geo_point *a, const struct geo_point *b,
    const struct geo_point *c)
{
	int64_t l = (b->lon_e7 - a->lon_e7) * (c->lat_e7 - a->lat_e7);
	int64_t r = (b->lat_e7 - a->lat_e7) * (c->lon_e7 - a->lon_e7);

	return (l > r) - (l < r);
}

static int64_t
min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* c, collinear with segment ab, lies on it (ends included). */
static bool
in_box(const struct geo_point *a, const struct geo_point *b,
    const struct geo_point *c)
{
	return c->lon_e7 >= min64(a->lon_e7, b->lon_e7) &&
	    c->lon_e7 <= max64(a->lon_e7, b->lon_e7) &&
	    c->lat_e7 >= min64(a->lat_e7, b->lat_e7) &&
	    c->lat_e7 <= max64(a->lat_e7, b->lat_e7);
}

/* Closed segments ab and cd have at least one point in common. */
static bool
segments_meet(const struct geo_point *a, const struct geo_point *b,
    const struct geo_point *c, const struct geo_point *d)
{
	int d1 = orient(a, b, c), d2 = orient(a, b, d);
	int d3 = orient(c, d, a), d4 = orient(c, d, b);

	if (d1 * d2 < 0 && d3 * d4 < 0)
		return true;
	return (d1 == 0 && in_box(a, b, c)) || (d2 == 0 && in_box(a, b, d)) ||
	    (d3 == 0 && in_box(c, d, a)) || (d4 == 0 && in_box(c, d, b));
}

/*
 * Consecutive edges ab and bc overlap beyond b: c lies on the line ab and
 * on the same side of b as a (the ring folds back on itself).  For
 * collinear vectors, same direction means same sign in each coordinate.
 * In a ring of more than three edges such a fold also makes two
 * non-consecutive edges meet, so this is a second line of defence that
 * keeps the exemption for consecutive edges exact on its own.
 */
static bool
edges_fold(const struct geo_point *a, const struct geo_point *b,
    const struct geo_point *c)
{
	return orient(a, b, c) == 0 &&
	    sign64(a->lon_e7 - b->lon_e7) == sign64(c->lon_e7 - b->lon_e7) &&
	    sign64(a->lat_e7 - b->lat_e7) == sign64(c->lat_e7 - b->lat_e7);
}

/*
 * True if the ring's m = n - 1 edges (pts[i], pts[i + 1]) meet anywhere
 * except consecutive edges at their shared point.  Edges 0 and m - 1 are
 * consecutive too, through the closing point.
 */
static bool
ring_self_meets(const struct geo_point *pts, size_t n)
{
	size_t m = n - 1, i, j;

	for (i = 0; i < m; i++) {
		for (j = i + 1; j < m; j++) {
			bool meet;

			if (j == i + 1)
				meet =
				    edges_fold(&pts[i], &pts[j], &pts[j + 1]);
			else if (i == 0 && j == m - 1)
				meet = edges_fold(&pts[j], &pts[0], &pts[1]);
			else
				meet = segments_meet(
				    &pts[i], &pts[i + 1], &pts[j], &pts[j + 1]);
			if (meet)
				return true;
		}
	}
	return false;
}

/* Some point other than pts[0] and pts[1] (which differ). */
static bool
has_third_point(const struct geo_point *pts, size_t n)
{
	size_t k;

	for (k = 2; k < n; k++) {
		if (!same_point(&pts[k], &pts[0]) &&
		    !same_point(&pts[k], &pts[1]))
			return true;
	}
	return false;
}

/* Some point off the line through pts[0] and pts[1] (which differ). */
static bool
has_point_off_line(const struct geo_point *pts, size_t n)
{
	size_t k;

	for (k = 2; k < n; k++) {
		if (orient(&pts[0], &pts[1], &pts[k]) != 0)
			return true;
	}
	return false;
}

enum err
geo_check_ring(const struct geo_point *pts, size_t n, struct msg *why)
{
	size_t i;

	set_why(why, MSG(NULL, NULL));
	if (pts == NULL || n < GEO_RING_MIN)
		return invalid(why, MSG_RING_FEW);
	if (n > GEO_RING_MAX)
		return invalid(why, MSG_RING_MANY);
	for (i = 0; i < n; i++) {
		if (!lat_ok(pts[i].lat_e7) || !lon_ok(pts[i].lon_e7))
			return invalid(why, MSG_RING_RANGE);
	}
	if (!same_point(&pts[0], &pts[n - 1]))
		return invalid(why, MSG_RING_OPEN);
	for (i = 1; i < n; i++) {
		if (same_point(&pts[i - 1], &pts[i]))
			return invalid(why, MSG_RING_REPEAT);
	}
	if (!has_third_point(pts, n))
		return invalid(why, MSG_RING_DISTINCT);
	/*
	 * A simple ring with a point off the line has positive area, so
	 * "non-zero area" is checked exactly, without computing it.
	 */
	if (!has_point_off_line(pts, n))
		return invalid(why, MSG_RING_FLAT);
	if (ring_self_meets(pts, n))
		return invalid(why, MSG_RING_CROSS);
	return ERR_OK;
}

/*
 * Area.
 */

/* cos x for |x| <= pi/2, by its Taylor series. */
static double
cos_small(double x)
{
	double x2 = x * x, term = 1.0, sum = 1.0;
	unsigned k;

	for (k = 1; k <= COS_TERMS; k++) {
		term *= -x2 / ((double)(2 * k - 1) * (double)(2 * k));
		sum += term;
	}
	return sum;
}

/* 1 / sqrt(w) for w in [1 - e², 1], by Newton's method from 1. */
static double
inv_sqrt_near_one(double w)
{
	double y = 1.0;
	unsigned k;

	for (k = 0; k < NEWTON_STEPS; k++)
		y = y * (1.5 - 0.5 * w * y * y);
	return y;
}

int64_t
geo_ring_area_m2(const struct geo_point *pts, size_t n)
{
	const double e2 = WGS84_F * (2.0 - WGS84_F);
	int64_t lat_sum = 0; /* at most GEO_RING_MAX × 9e8: no overflow */
	double phi0, c, w, inv, m_radius, n_radius, twice = 0.0, area;
	size_t i;

	if (pts == NULL || n < GEO_RING_MIN || n > GEO_RING_MAX)
		return 0;
	/* Mean latitude of the vertices, the closing point counted once. */
	for (i = 0; i + 1 < n; i++)
		lat_sum += pts[i].lat_e7;
	phi0 = (double)lat_sum / (double)(n - 1) * RAD_PER_E7;
	c = cos_small(phi0);
	w = 1.0 - e2 * (1.0 - c * c); /* 1 - e² sin² φ0 */
	inv = inv_sqrt_near_one(w);
	n_radius = WGS84_A * inv;                          /* prime vertical */
	m_radius = WGS84_A * (1.0 - e2) * inv * inv * inv; /* meridian */

	/* Shoelace on offsets from the first point, in 10^-7 degrees. */
	for (i = 0; i + 1 < n; i++) {
		double x0 = (double)(pts[i].lon_e7 - pts[0].lon_e7);
		double y0 = (double)(pts[i].lat_e7 - pts[0].lat_e7);
		double x1 = (double)(pts[i + 1].lon_e7 - pts[0].lon_e7);
		double y1 = (double)(pts[i + 1].lat_e7 - pts[0].lat_e7);

		twice += x0 * y1 - x1 * y0;
	}
	if (twice < 0)
		twice = -twice;
	area =
	    twice / 2.0 * (n_radius * c * RAD_PER_E7) * (m_radius * RAD_PER_E7);
	return (int64_t)(area + 0.5);
}

enum err
geo_check_shape_for_area(bool is_polygon, int64_t area_m2, struct msg *why)
{
	set_why(why, MSG(NULL, NULL));
	if (area_m2 < 0)
		return invalid(why, MSG_AREA_NEGATIVE);
	if (!is_polygon && area_m2 >= GEO_POLYGON_MIN_HA_M2)
		return invalid(why, MSG_NEEDS_POLYGON);
	return ERR_OK;
}
