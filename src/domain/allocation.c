/*
 * Integer proportional allocation (see allocation.h).  The 128-bit
 * products are a GCC/Clang extension, declared with __extension__ so the
 * ISO C build stays warning-free.
 */
#include <stdlib.h>

#include "pergamino/allocation.h"

__extension__ typedef __int128 alloc_i128;

int64_t
alloc_scale(int64_t v, int64_t num, int64_t den)
{
	alloc_i128 r;

	if (v < 0 || num < 0 || den <= 0)
		return -1;
	r = (alloc_i128)v * (alloc_i128)num / (alloc_i128)den;
	if (r > (alloc_i128)INT64_MAX)
		return -1;
	return (int64_t)r;
}

int64_t
alloc_ug_round(int64_t ug)
{
	if (ug <= 0)
		return 0;
	return (ug + ALLOC_UG / 2) / ALLOC_UG;
}

struct alloc_rem {
	int64_t rem;
	size_t idx;
};

/* Larger remainder first; equal remainders: lower index first. */
static int
alloc_rem_cmp(const void *a, const void *b)
{
	const struct alloc_rem *x = a, *y = b;

	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return 0;
}

enum err
alloc_largest_remainder(
    const int64_t *ug, size_t n, int64_t target_g, int64_t *out_g)
{
	struct alloc_rem *rems;
	int64_t sum = 0, deficit;
	size_t i;

	for (i = 0; i < n; i++) {
		if (ug[i] < 0 || ug[i] / ALLOC_UG > INT64_MAX - sum)
			return ERR_INVALID;
		sum += ug[i] / ALLOC_UG;
	}
	deficit = target_g - sum;
	if (deficit < 0 || (uint64_t)deficit > n)
		return ERR_INVALID;
	if (n == 0)
		return ERR_OK;
	rems = calloc(n, sizeof(*rems));
	if (rems == NULL)
		return ERR_NOMEM;
	for (i = 0; i < n; i++) {
		rems[i].rem = ug[i] % ALLOC_UG;
		rems[i].idx = i;
	}
	qsort(rems, n, sizeof(*rems), alloc_rem_cmp);
	for (i = 0; i < n; i++)
		out_g[i] = ug[i] / ALLOC_UG;
	for (i = 0; i < (size_t)deficit; i++)
		out_g[rems[i].idx]++;
	free(rems);
	return ERR_OK;
}
