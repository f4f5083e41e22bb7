/*
 * Plot geolocation for EUDR (Regulation (EU) 2023/1115) and organic
 * records: coordinates parsed from decimal text with their precision, a
 * point's precision rule, a polygon's exterior ring checked for shape, its
 * approximate area, and the rule that large plots need a polygon.
 * Coordinates are integers in degrees × 10^7 (WGS84, latitude y,
 * longitude x).  Pure functions: no I/O, no allocation, no locale, no
 * libm.  Parsing JSON or GeoJSON is the caller's business.
 */
#ifndef PERGAMINO_GEO_H
#define PERGAMINO_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pergamino/err.h"

/* Decimals a coordinate needs: the EU information system asks for 6. */
#define GEO_MIN_DECIMALS 6
/* Most decimals a coordinate may have: 10^-7 degrees is about 1 cm. */
#define GEO_MAX_DECIMALS 7
/* Coordinates are stored as degrees × GEO_E7. */
#define GEO_E7 10000000
#define GEO_LAT_MAX_E7 (90LL * GEO_E7)  /* inclusive, either sign */
#define GEO_LON_MAX_E7 (180LL * GEO_E7) /* inclusive, either sign */
/*
 * Plots of this area or more (m², 4 ha) must be described by a polygon.
 * The regulation says "more than four hectares"; we also ask for one at
 * exactly 4 ha, which is never less than what it requires.
 */
#define GEO_POLYGON_MIN_HA_M2 40000
/* Most points an exterior ring may have, the closing one included. */
#define GEO_RING_MAX 2000
/* Fewest points of a ring: a triangle and its closing point. */
#define GEO_RING_MIN 4

struct geo_point {
	int64_t lat_e7; /* degrees × 10^7, -90..90 */
	int64_t lon_e7; /* degrees × 10^7, -180..180 */
};

/*
 * Parse one coordinate in decimal degrees: an optional '-', 1 to 3 digits,
 * and optionally '.' and 1 to GEO_MAX_DECIMALS digits ("-5.7031254",
 * "-0.5", "78").  Refused: empty text, '+', spaces, exponents, a leading or
 * trailing '.', a decimal comma, more than GEO_MAX_DECIMALS decimals (even
 * zeros: nothing is rounded away), and values outside [-90, 90] for a
 * latitude (is_lat) or [-180, 180] for a longitude.
 *
 * Returns ERR_OK with *out_e7 the value in degrees × 10^7 and *decimals
 * the number of decimals written (0..GEO_MAX_DECIMALS), or ERR_INVALID
 * with *out_e7 and *decimals untouched and a reason in *why.  On ERR_OK
 * both members of *why are NULL.  s may be NULL (treated as empty); why
 * may be NULL.
 */
enum err geo_parse_coord(const char *s, bool is_lat, int64_t *out_e7,
    unsigned *decimals, struct msg *why);

/*
 * Check a plot given as one point: both coordinates in range, each written
 * with at least GEO_MIN_DECIMALS decimals (as geo_parse_coord() reported),
 * and not (0, 0), which is what empty spreadsheet cells turn into.
 * Returns ERR_OK or ERR_INVALID with a reason in *why; same contract for
 * *why as geo_parse_coord().
 */
enum err geo_check_point(const struct geo_point *p, unsigned lat_decimals,
    unsigned lon_decimals, struct msg *why);

/*
 * Check the exterior ring of a plot's polygon, n points at pts:
 * GEO_RING_MIN to GEO_RING_MAX points, every one in range, closed (first
 * == last), no two consecutive points equal, at least 3 distinct points,
 * not all on one line (non-zero area), and simple: no edge crosses or
 * touches another except consecutive edges at their shared point (so no
 * bow-ties, no spikes folding back on an edge, no vertex visited twice).
 * The test is exact (integer orientation tests), O(n²).  Either
 * orientation is accepted.  Rings crossing the antimeridian (±180°) are
 * read the long way round; plots there are not expected.
 *
 * Returns ERR_OK or ERR_INVALID with a reason in *why; same contract for
 * *why as geo_parse_coord().  pts may be NULL only when n is 0.
 */
enum err geo_check_ring(const struct geo_point *pts, size_t n, struct msg *why);

/*
 * Approximate area in m² of a ring that passed geo_check_ring(), rounded
 * to the nearest m².  The ring is projected on the plane tangent to the
 * WGS84 ellipsoid at the mean latitude φ0 of its vertices (east: N(φ0)
 * cos φ0 per radian of longitude, north: M(φ0) per radian of latitude,
 * with N and M the ellipsoid's radii of curvature) and measured with the
 * shoelace formula.  For plots a few km across, away from the poles, the
 * error is far below 0.5 % (about 0.01 % for a 10 km plot at 6° S); it
 * grows with the plot's north-south extent.  Returns 0 when pts is NULL
 * or n is outside GEO_RING_MIN..GEO_RING_MAX; the result is meaningless
 * for other rings that fail geo_check_ring().
 */
int64_t geo_ring_area_m2(const struct geo_point *pts, size_t n);

/*
 * The rule on shape: a plot whose area (m², declared or computed) is
 * GEO_POLYGON_MIN_HA_M2 or more must be a polygon; a smaller one may be a
 * point or a polygon.  Returns ERR_OK, or ERR_INVALID with a reason in
 * *why when a large plot is a point or area_m2 is negative; same contract
 * for *why as geo_parse_coord().
 */
enum err geo_check_shape_for_area(
    bool is_polygon, int64_t area_m2, struct msg *why);

#endif
