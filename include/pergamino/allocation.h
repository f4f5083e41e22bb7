/*
 * Proportional allocation of kilos along the chain, in integers: the
 * traceability model of docs/trace.md.  Quantities are grams; exact
 * shares are carried in micrograms (grams × ALLOC_UG) so that several
 * proportional steps lose nothing a gram can see, and rounded to whole
 * grams once, at the end, by the largest-remainder method so that the
 * shares add up exactly to the total being divided.  Pure: no I/O.
 */
#ifndef PERGAMINO_ALLOCATION_H
#define PERGAMINO_ALLOCATION_H

#include <stddef.h>
#include <stdint.h>

#include "pergamino/err.h"

/* Micrograms per gram: the resolution of exact shares. */
#define ALLOC_UG 1000000

/*
 * floor(v × num / den), computed without overflow for v, num in
 * 0..INT64_MAX and den > 0 (128-bit intermediate).  Returns -1 when den
 * <= 0, an operand is negative or the result does not fit an int64_t.
 */
int64_t alloc_scale(int64_t v, int64_t num, int64_t den);

/* Round micrograms to grams, half up (v >= 0). */
int64_t alloc_ug_round(int64_t ug);

/*
 * Largest-remainder rounding: ug[i] are exact shares in micrograms (>= 0),
 * target_g the whole to divide.  Each out_g[i] is floor(ug[i] / ALLOC_UG)
 * plus one gram for the target_g - sum(floors) shares with the largest
 * remainders (ties: the lower index first, so callers order entries by a
 * stable key such as the producer id).  The outputs add up to target_g.
 * ERR_INVALID when a share is negative or the target cannot be reached
 * from the floors by adding at most one gram per share (the shares do
 * not describe target_g); ERR_NOMEM.  out_g is untouched on failure.
 */
enum err alloc_largest_remainder(
    const int64_t *ug, size_t n, int64_t target_g, int64_t *out_g);

#endif
