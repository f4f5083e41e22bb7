/*
 * Unit tests for src/domain/geo.c: coordinate parsing, point precision,
 * ring shape, area and the 4 ha rule.  Plots near Jaén (Cajamarca, about
 * 5.70° S 78.80° W); reference areas are the exact WGS84 areas of the
 * same latitude/longitude rectangles (authalic-latitude formula), computed
 * once outside these tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/err.h"
#include "pergamino/geo.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define SENTINEL (-777)

#define WHY_EMPTY "The coordinate is empty"
#define WHY_FORMAT                                                             \
	"The coordinate must be in decimal degrees with a dot, for example "   \
	"-5.703125"
#define WHY_COMMA "Use a decimal point, not a comma, in the coordinate"
#define WHY_DECIMALS "The coordinate has more than 7 decimals"
#define WHY_LAT_RANGE "Latitude must be between -90 and 90"
#define WHY_LON_RANGE "Longitude must be between -180 and 180"
#define WHY_LAT_DEC "Latitude needs at least 6 decimals"
#define WHY_LON_DEC "Longitude needs at least 6 decimals"
#define WHY_ZERO "Coordinates (0, 0) are not a plot location"
#define WHY_FEW                                                                \
	"The polygon needs at least 4 points, the last equal to the first"
#define WHY_MANY "The polygon has more than 2000 points"
#define WHY_RANGE "A polygon point is out of range"
#define WHY_OPEN                                                               \
	"The polygon is not closed: the last point must equal the first"
#define WHY_REPEAT "The polygon repeats a point twice in a row"
#define WHY_DISTINCT "The polygon needs at least 3 distinct points"
#define WHY_FLAT "The polygon has no area: all its points lie on one line"
#define WHY_CROSS "The polygon's edges cross or touch each other"
#define WHY_NEGATIVE "The area cannot be negative"
#define WHY_POLYGON                                                            \
	"Plots of 4 ha or more must be described by a polygon, not a point"

/*
 * geo_parse_coord().
 */

struct coord_case {
	const char *s;
	bool is_lat;
	enum err want;
	int64_t e7;         /* when want is ERR_OK */
	unsigned decimals;  /* when want is ERR_OK */
	const char *why_en; /* when want is ERR_INVALID */
};

/* clang-format off */
static const struct coord_case coord_cases[] = {
	/* Jaén, as a GPS or the EU system writes it. */
	{ "-5.703125",		true,	ERR_OK,	-57031250,	6, NULL },
	{ "-78.8123456",	false,	ERR_OK,	-788123456,	7, NULL },
	{ "-5.7031250",		true,	ERR_OK,	-57031250,	7, NULL },
	{ "-5.70",		true,	ERR_OK,	-57000000,	2, NULL },
	{ "-78",		false,	ERR_OK,	-780000000,	0, NULL },
	{ "5.5",		true,	ERR_OK,	55000000,	1, NULL },
	{ "005.5",		true,	ERR_OK,	55000000,	1, NULL },
	/* Zero and "-0." forms. */
	{ "0",			true,	ERR_OK,	0,		0, NULL },
	{ "-0",			true,	ERR_OK,	0,		0, NULL },
	{ "-0.5",		true,	ERR_OK,	-5000000,	1, NULL },
	{ "-0.000001",		false,	ERR_OK,	-10,		6, NULL },
	{ "-0.0000001",		false,	ERR_OK,	-1,		7, NULL },
	{ "0.0000000",		true,	ERR_OK,	0,		7, NULL },
	/* 7 decimals pass, 8 do not, even zeros: nothing is rounded. */
	{ "-5.12345678",	true,	ERR_INVALID, 0, 0,	WHY_DECIMALS },
	{ "-5.70000000",	true,	ERR_INVALID, 0, 0,	WHY_DECIMALS },
	{ "-78.812345678901",	false,	ERR_INVALID, 0, 0,	WHY_DECIMALS },
	/* Range: at the limit and just past it. */
	{ "90",			true,	ERR_OK,	900000000,	0, NULL },
	{ "-90.0000000",	true,	ERR_OK,	-900000000,	7, NULL },
	{ "90.0000001",		true,	ERR_INVALID, 0, 0,	WHY_LAT_RANGE },
	{ "-90.0000001",	true,	ERR_INVALID, 0, 0,	WHY_LAT_RANGE },
	{ "91",			true,	ERR_INVALID, 0, 0,	WHY_LAT_RANGE },
	{ "-178.8",	true,	ERR_INVALID, 0, 0,	WHY_LAT_RANGE },
	{ "180",		false,	ERR_OK,	1800000000,	0, NULL },
	{ "-180.0000000",	false,	ERR_OK,	-1800000000,	7, NULL },
	{ "180.0000001",	false,	ERR_INVALID, 0, 0,	WHY_LON_RANGE },
	{ "-181",		false,	ERR_INVALID, 0, 0,	WHY_LON_RANGE },
	{ "1000",		false,	ERR_INVALID, 0, 0,	WHY_LON_RANGE },
	{ "99999999999999999999999", false, ERR_INVALID, 0, 0, WHY_LON_RANGE },
	/* Shape. */
	{ "",			true,	ERR_INVALID, 0, 0,	WHY_EMPTY },
	{ NULL,			false,	ERR_INVALID, 0, 0,	WHY_EMPTY },
	{ "+5.1",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ " -5.1",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "-5.1 ",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "- 5.1",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "-5.1e2",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "1e1",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "-5.1E-1",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ ".5",			true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "-.5",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "5.",			true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "-",			true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "--5",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "5..1",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "5.1.2",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "0x1A",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "NaN",		true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "5°",			true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "-5.703125\n",	true,	ERR_INVALID, 0, 0,	WHY_FORMAT },
	{ "-5,703125",		true,	ERR_INVALID, 0, 0,	WHY_COMMA },
	{ "-78,8",		false,	ERR_INVALID, 0, 0,	WHY_COMMA },
};
/* clang-format on */

static void
test_parse_coord_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(coord_cases); i++) {
		const struct coord_case *c = &coord_cases[i];
		int64_t e7 = SENTINEL;
		unsigned dec = 99;
		struct msg why;
		enum err rc;

		rc = geo_parse_coord(c->s, c->is_lat, &e7, &dec, &why);
		if (rc != c->want)
			print_message("failing coord case %zu: \"%s\"\n", i,
			    c->s != NULL ? c->s : "(null)");
		assert_int_equal(rc, c->want);
		if (rc == ERR_OK) {
			assert_true(e7 == c->e7);
			assert_int_equal(dec, c->decimals);
			assert_null(why.en);
			assert_null(why.es);
		} else {
			/* Out-parameters untouched on failure. */
			assert_true(e7 == SENTINEL);
			assert_int_equal(dec, 99);
			assert_string_equal(why.en, c->why_en);
			assert_non_null(why.es);
		}
	}
}

/*
 * geo_check_point().
 */

#define JAEN_LAT (-57000000)  /* -5.70° */
#define JAEN_LON (-788000000) /* -78.80° */

struct point_case {
	int64_t lat_e7, lon_e7;
	unsigned lat_dec, lon_dec;
	enum err want;
	const char *why_en;
};

/* clang-format off */
static const struct point_case point_cases[] = {
	{ JAEN_LAT,	JAEN_LON,	6, 6,	ERR_OK,		NULL },
	{ JAEN_LAT,	JAEN_LON,	7, 7,	ERR_OK,		NULL },
	/* 6 decimals pass, 5 do not. */
	{ JAEN_LAT,	JAEN_LON,	5, 6,	ERR_INVALID,	WHY_LAT_DEC },
	{ JAEN_LAT,	JAEN_LON,	6, 5,	ERR_INVALID,	WHY_LON_DEC },
	{ JAEN_LAT,	JAEN_LON,	0, 0,	ERR_INVALID,	WHY_LAT_DEC },
	/* Range. */
	{ 900000000,	1800000000,	6, 6,	ERR_OK,		NULL },
	{ -900000000,	-1800000000,	6, 6,	ERR_OK,		NULL },
	{ 900000001,	JAEN_LON,	6, 6,	ERR_INVALID,	WHY_LAT_RANGE },
	{ -900000001,	JAEN_LON,	6, 6,	ERR_INVALID,	WHY_LAT_RANGE },
	{ JAEN_LAT,	1800000001,	6, 6,	ERR_INVALID,	WHY_LON_RANGE },
	{ JAEN_LAT,	-1800000001,	6, 6,	ERR_INVALID,	WHY_LON_RANGE },
	{ INT64_MIN,	INT64_MAX,	6, 6,	ERR_INVALID,	WHY_LAT_RANGE },
	/* Empty cells read as zeros; the equator alone is fine. */
	{ 0,		0,		6, 6,	ERR_INVALID,	WHY_ZERO },
	{ 0,		JAEN_LON,	6, 6,	ERR_OK,		NULL },
	{ JAEN_LAT,	0,		6, 6,	ERR_OK,		NULL },
};
/* clang-format on */

static void
test_check_point_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(point_cases); i++) {
		const struct point_case *c = &point_cases[i];
		struct geo_point p = { c->lat_e7, c->lon_e7 };
		struct msg why;
		enum err rc;

		rc = geo_check_point(&p, c->lat_dec, c->lon_dec, &why);
		if (rc != c->want)
			print_message("failing point case %zu\n", i);
		assert_int_equal(rc, c->want);
		if (rc == ERR_OK)
			assert_null(why.en);
		else
			assert_string_equal(why.en, c->why_en);
	}
	assert_int_equal(geo_check_point(NULL, 6, 6, NULL), ERR_INVALID);
}

/* Text to check, as an importer chains them: 5 decimals are refused. */
static void
test_point_from_text(void **state)
{
	struct geo_point p;
	unsigned lat_dec = 0, lon_dec = 0;
	struct msg why;

	(void)state;
	assert_int_equal(
	    geo_parse_coord("-5.70312", true, &p.lat_e7, &lat_dec, &why),
	    ERR_OK);
	assert_int_equal(
	    geo_parse_coord("-78.812345", false, &p.lon_e7, &lon_dec, &why),
	    ERR_OK);
	assert_int_equal(
	    geo_check_point(&p, lat_dec, lon_dec, &why), ERR_INVALID);
	assert_string_equal(why.en, WHY_LAT_DEC);
	assert_int_equal(
	    geo_parse_coord("-5.703120", true, &p.lat_e7, &lat_dec, &why),
	    ERR_OK);
	assert_int_equal(geo_check_point(&p, lat_dec, lon_dec, &why), ERR_OK);
}

/*
 * Rings.  A square of about 100 m × 100 m (1 ha) with its south-west
 * corner at Jaén: 0.0009043° of latitude and 0.0009028° of longitude.
 */

#define D_LAT 9043
#define D_LON 9028
#define SQ_AREA_M2 10001 /* exact WGS84 rectangle: 10 000.79 m² */

#define SW                                                                     \
	{                                                                      \
		JAEN_LAT, JAEN_LON                                             \
	}
#define SE                                                                     \
	{                                                                      \
		JAEN_LAT, JAEN_LON + D_LON                                     \
	}
#define NE                                                                     \
	{                                                                      \
		JAEN_LAT + D_LAT, JAEN_LON + D_LON                             \
	}
#define NW                                                                     \
	{                                                                      \
		JAEN_LAT + D_LAT, JAEN_LON                                     \
	}
#define MID                                                                    \
	{                                                                      \
		JAEN_LAT + D_LAT / 2, JAEN_LON + D_LON / 2                     \
	}
#define S_MID                                                                  \
	{                                                                      \
		JAEN_LAT, JAEN_LON + D_LON / 2                                 \
	}
#define N_SPIKE                                                                \
	{                                                                      \
		JAEN_LAT + 2 * D_LAT, JAEN_LON + D_LON                         \
	}
#define N_BACK                                                                 \
	{                                                                      \
		JAEN_LAT + 3 * D_LAT / 2, JAEN_LON + D_LON                     \
	}
#define E_MID                                                                  \
	{                                                                      \
		JAEN_LAT + D_LAT / 2, JAEN_LON + D_LON                         \
	}
#define N_MID                                                                  \
	{                                                                      \
		JAEN_LAT + D_LAT, JAEN_LON + D_LON / 2                         \
	}

static const struct geo_point square_ccw[] = { SW, SE, NE, NW, SW };
static const struct geo_point square_cw[] = { SW, NW, NE, SE, SW };
static const struct geo_point square_from_ne[] = { NE, NW, SW, SE, NE };
static const struct geo_point triangle[] = { SW, SE, NW, SW };
static const struct geo_point square_open[] = { SW, SE, NE, NW };
static const struct geo_point square_open5[] = { SW, SE, NE, NW, S_MID };
static const struct geo_point bow_tie[] = { SW, NE, SE, NW, SW };
static const struct geo_point two_points[] = { SW, SE, SW };
static const struct geo_point repeat[] = { SW, SE, SE, NE, NW, SW };
static const struct geo_point back_forth[] = { SW, SE, SW, SE, SW };
static const struct geo_point collinear[] = { SW, S_MID, SE, SW };
static const struct geo_point collinear_long[] = { SW, S_MID, SE, S_MID, SW };
/* A spike north of NE that comes back down along itself. */
static const struct geo_point spike[] = { SW, SE, NE, N_SPIKE, N_BACK, NW, SW };
/* The same spike, folding back through the closing point. */
static const struct geo_point spike_at_start[] = { N_SPIKE, N_BACK, NW, SW, SE,
	NE, N_SPIKE };
/* Two triangles touching at the centre: a vertex visited twice. */
static const struct geo_point touching[] = { SW, NW, MID, NE, SE, MID, SW };
/* A vertex lying on a non-adjacent edge. */
static const struct geo_point vertex_on_edge[] = { SW, SE, NE, S_MID, NW, SW };
static const struct geo_point out_of_range[] = { SW, SE,
	{ 900000001, JAEN_LON }, SW };
/* Concave (an L: the square without its north-east quarter). */
static const struct geo_point l_shape[] = { SW, SE, E_MID, MID, N_MID, NW, SW };

struct ring_case {
	const char *name;
	const struct geo_point *pts;
	size_t n;
	enum err want;
	const char *why_en;
};

#define RING(a) #a, a, ROWS(a)

/* clang-format off */
static const struct ring_case ring_cases[] = {
	{ RING(square_ccw),	ERR_OK,		NULL },
	{ RING(square_cw),	ERR_OK,		NULL },
	{ RING(square_from_ne),	ERR_OK,		NULL },
	{ RING(triangle),	ERR_OK,		NULL },
	{ RING(l_shape),	ERR_OK,		NULL },
	{ RING(square_open),	ERR_INVALID,	WHY_OPEN },
	{ RING(square_open5),	ERR_INVALID,	WHY_OPEN },
	{ RING(bow_tie),	ERR_INVALID,	WHY_CROSS },
	{ RING(two_points),	ERR_INVALID,	WHY_FEW },
	{ RING(repeat),		ERR_INVALID,	WHY_REPEAT },
	{ RING(back_forth),	ERR_INVALID,	WHY_DISTINCT },
	{ RING(collinear),	ERR_INVALID,	WHY_FLAT },
	{ RING(collinear_long),	ERR_INVALID,	WHY_FLAT },
	{ RING(spike),		ERR_INVALID,	WHY_CROSS },
	{ RING(spike_at_start),	ERR_INVALID,	WHY_CROSS },
	{ RING(touching),	ERR_INVALID,	WHY_CROSS },
	{ RING(vertex_on_edge),	ERR_INVALID,	WHY_CROSS },
	{ RING(out_of_range),	ERR_INVALID,	WHY_RANGE },
	{ "null",	NULL,		0,	ERR_INVALID,	WHY_FEW },
	{ "3 points",	square_ccw,	3,	ERR_INVALID,	WHY_FEW },
};
/* clang-format on */

static void
test_check_ring_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(ring_cases); i++) {
		const struct ring_case *c = &ring_cases[i];
		struct msg why;
		enum err rc;

		rc = geo_check_ring(c->pts, c->n, &why);
		if (rc != c->want ||
		    (rc != ERR_OK && strcmp(why.en, c->why_en) != 0))
			print_message("failing ring case %s\n", c->name);
		assert_int_equal(rc, c->want);
		if (rc == ERR_OK) {
			assert_null(why.en);
			assert_null(why.es);
		} else {
			assert_string_equal(why.en, c->why_en);
			assert_non_null(why.es);
		}
	}
}

/*
 * n - 1 points on a parabola, a convex chain, closed by its chord: a
 * simple ring of n points for any n >= 4.
 */
static void
parabola_ring(struct geo_point *pts, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		int64_t k = (int64_t)i;

		pts[i].lat_e7 = JAEN_LAT + k * k;
		pts[i].lon_e7 = JAEN_LON + k * 100;
	}
	pts[n - 1] = pts[0];
}

/* GEO_RING_MAX points pass (exactly O(n²)), one more does not. */
static void
test_ring_max_points(void **state)
{
	static struct geo_point pts[GEO_RING_MAX + 1];
	struct msg why;

	(void)state;
	parabola_ring(pts, GEO_RING_MAX);
	assert_int_equal(geo_check_ring(pts, GEO_RING_MAX, &why), ERR_OK);
	assert_true(geo_ring_area_m2(pts, GEO_RING_MAX) > 0);
	parabola_ring(pts, GEO_RING_MAX + 1);
	assert_int_equal(
	    geo_check_ring(pts, GEO_RING_MAX + 1, &why), ERR_INVALID);
	assert_string_equal(why.en, WHY_MANY);
	assert_int_equal(geo_ring_area_m2(pts, GEO_RING_MAX + 1), 0);
	/* GEO_RING_MIN points pass, one fewer does not. */
	parabola_ring(pts, GEO_RING_MIN);
	assert_int_equal(geo_check_ring(pts, GEO_RING_MIN, &why), ERR_OK);
	assert_int_equal(
	    geo_check_ring(pts, GEO_RING_MIN - 1, &why), ERR_INVALID);
	assert_string_equal(why.en, WHY_FEW);
}

/* Rings spanning the whole range: the integer tests must not overflow. */
static void
test_ring_extremes(void **state)
{
	static const struct geo_point world[] = {
		{ -900000000, -1800000000 },
		{ -900000000, 1800000000 },
		{ 900000000, 1800000000 },
		{ 900000000, -1800000000 },
		{ -900000000, -1800000000 },
	};
	static const struct geo_point world_tie[] = {
		{ -900000000, -1800000000 },
		{ 900000000, 1800000000 },
		{ -900000000, 1800000000 },
		{ 900000000, -1800000000 },
		{ -900000000, -1800000000 },
	};
	struct msg why;

	(void)state;
	assert_int_equal(geo_check_ring(world, ROWS(world), &why), ERR_OK);
	assert_int_equal(
	    geo_check_ring(world_tie, ROWS(world_tie), &why), ERR_INVALID);
	assert_string_equal(why.en, WHY_CROSS);
	assert_true(geo_ring_area_m2(world, ROWS(world)) > 0);
}

/*
 * geo_ring_area_m2().
 */

struct area_case {
	int64_t lat_e7, lon_e7, d_lat, d_lon; /* south-west corner, size */
	int64_t want_m2;                      /* exact WGS84 area, rounded */
};

/* clang-format off */
static const struct area_case area_cases[] = {
	/* ~1 ha and ~4 ha near Jaén, and a 10 km × 10 km block. */
	{ JAEN_LAT,	JAEN_LON,	D_LAT,		D_LON,	SQ_AREA_M2 },
	{ JAEN_LAT,	JAEN_LON,	18086,		18056,	40003 },
	{ JAEN_LAT,	JAEN_LON,	904300,		902800,	100015478 },
	/* 0.01° × 0.01° elsewhere: the cosine and the radii matter. */
	{ 0,		0,		100000,		100000,	1230907 },
	{ -450000000,	100000000,	100000,		100000,	876314 },
	{ 600000000,	100000000,	100000,		100000,	621587 },
};
/* clang-format on */

static void
test_area_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(area_cases); i++) {
		const struct area_case *c = &area_cases[i];
		const struct geo_point ring[] = {
			{ c->lat_e7, c->lon_e7 },
			{ c->lat_e7, c->lon_e7 + c->d_lon },
			{ c->lat_e7 + c->d_lat, c->lon_e7 + c->d_lon },
			{ c->lat_e7 + c->d_lat, c->lon_e7 },
			{ c->lat_e7, c->lon_e7 },
		};
		int64_t got = geo_ring_area_m2(ring, ROWS(ring));
		int64_t diff =
		    got > c->want_m2 ? got - c->want_m2 : c->want_m2 - got;

		/* Within 1 %, as documented; in fact within 0.01 %. */
		if (diff * 10000 > c->want_m2)
			print_message("failing area case %zu: %lld m2\n", i,
			    (long long)got);
		assert_true(diff * 100 <= c->want_m2);
		assert_true(diff * 10000 <= c->want_m2);
	}
}

static void
test_area_shapes(void **state)
{
	int64_t sq = geo_ring_area_m2(square_ccw, ROWS(square_ccw));
	int64_t half = geo_ring_area_m2(triangle, ROWS(triangle));
	int64_t l = geo_ring_area_m2(l_shape, ROWS(l_shape));

	(void)state;
	/* 1 % of the expected 1 ha. */
	assert_true(sq >= SQ_AREA_M2 - SQ_AREA_M2 / 100);
	assert_true(sq <= SQ_AREA_M2 + SQ_AREA_M2 / 100);
	/* Orientation and starting point do not matter. */
	assert_true(geo_ring_area_m2(square_cw, ROWS(square_cw)) == sq);
	assert_true(
	    geo_ring_area_m2(square_from_ne, ROWS(square_from_ne)) == sq);
	/* Half and (about) three quarters of the square, to a m² or two. */
	assert_true(half >= sq / 2 - 1 && half <= sq / 2 + 1);
	assert_true(l >= sq * 3 / 4 - 2 && l <= sq * 3 / 4 + 2);
	/* Too few points or none. */
	assert_true(geo_ring_area_m2(square_ccw, 3) == 0);
	assert_true(geo_ring_area_m2(NULL, 5) == 0);
}

/*
 * geo_check_shape_for_area().
 */

struct shape_case {
	bool is_polygon;
	int64_t area_m2;
	enum err want;
	const char *why_en;
};

/* clang-format off */
static const struct shape_case shape_cases[] = {
	{ false,	0,				ERR_OK,	NULL },
	{ false,	SQ_AREA_M2,			ERR_OK,	NULL },
	{ false,	GEO_POLYGON_MIN_HA_M2 - 1,	ERR_OK,	NULL },
	{ false,	GEO_POLYGON_MIN_HA_M2,		ERR_INVALID, WHY_POLYGON },
	{ false,	GEO_POLYGON_MIN_HA_M2 + 1,	ERR_INVALID, WHY_POLYGON },
	{ false,	INT64_MAX,			ERR_INVALID, WHY_POLYGON },
	{ true,		0,				ERR_OK,	NULL },
	{ true,		GEO_POLYGON_MIN_HA_M2 - 1,	ERR_OK,	NULL },
	{ true,		GEO_POLYGON_MIN_HA_M2,		ERR_OK,	NULL },
	{ true,		INT64_MAX,			ERR_OK,	NULL },
	{ false,	-1,				ERR_INVALID, WHY_NEGATIVE },
	{ true,		-1,				ERR_INVALID, WHY_NEGATIVE },
};
/* clang-format on */

static void
test_shape_for_area_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(shape_cases); i++) {
		const struct shape_case *c = &shape_cases[i];
		struct msg why;
		enum err rc;

		rc = geo_check_shape_for_area(c->is_polygon, c->area_m2, &why);
		if (rc != c->want)
			print_message("failing shape case %zu\n", i);
		assert_int_equal(rc, c->want);
		if (rc == ERR_OK)
			assert_null(why.en);
		else
			assert_string_equal(why.en, c->why_en);
	}
}

/* A 200 m × 200 m plot near Jaén is over 4 ha: a point is not enough. */
static void
test_four_ha_plot(void **state)
{
	static const struct geo_point plot[] = {
		{ JAEN_LAT, JAEN_LON },
		{ JAEN_LAT, JAEN_LON + 18056 },
		{ JAEN_LAT + 18086, JAEN_LON + 18056 },
		{ JAEN_LAT + 18086, JAEN_LON },
		{ JAEN_LAT, JAEN_LON },
	};
	struct msg why;
	int64_t area;

	(void)state;
	assert_int_equal(geo_check_ring(plot, ROWS(plot), &why), ERR_OK);
	area = geo_ring_area_m2(plot, ROWS(plot));
	assert_true(area >= GEO_POLYGON_MIN_HA_M2);
	assert_int_equal(
	    geo_check_shape_for_area(false, area, &why), ERR_INVALID);
	assert_string_equal(why.en, WHY_POLYGON);
	assert_int_equal(geo_check_shape_for_area(true, area, &why), ERR_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_coord_table),
		cmocka_unit_test(test_check_point_table),
		cmocka_unit_test(test_point_from_text),
		cmocka_unit_test(test_check_ring_table),
		cmocka_unit_test(test_ring_max_points),
		cmocka_unit_test(test_ring_extremes),
		cmocka_unit_test(test_area_table),
		cmocka_unit_test(test_area_shapes),
		cmocka_unit_test(test_shape_for_area_table),
		cmocka_unit_test(test_four_ha_plot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
