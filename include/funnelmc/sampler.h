/* Fast inverse-CDF sampling from 32-bit random words.
 *
 * A word r stands for the uniform u = (r + 1/2) / 2^32, so u is never 0 or 1
 * and 1 - u = (~r + 1/2) / 2^32 is exact too.  A sampler maps words to values
 * of one distribution through its quantile function, in the way its law's
 * descriptor names (fmc_dist_type.sampling in dist.h):
 *   closed form   the law's own transform, exact (constant, uniform,
 *                 triangular);
 *   search        the exact quantile, a binary search of the cumulative
 *                 weights (discrete, empirical);
 *   table         a table of the exact quantile (GSL), built once, linear
 *                 between knots (pert, normal, lognormal, beta, gamma).
 * The table has knots at t = k 2^-6 2^e for the distance t = min(u, 1 - u)
 * of u from the nearer end (64 cells per binade e, 32 binades each side), so
 * the knots crowd into both tails where quantile functions bend most; a
 * value is found from t's exponent and top mantissa bits with no search.
 * tests/unit/test_sampler.c measures the table's error against the exact
 * quantile (docs/design.md gives the figures). */
#ifndef FUNNELMC_SAMPLER_H
#define FUNNELMC_SAMPLER_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/dist.h"
#include "funnelmc/error.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef struct fmc_sampler fmc_sampler;

/* The uniform in (0, 1) that a random word stands for. */
static inline double fmc_word_to_uniform(uint32_t word)
{
    return ((double)word + 0.5) * 0x1p-32;
}

/* Builds a sampler for DIST, a distribution set by a dist.h setter (which
 * it copies: DIST may be cleared after).  A table's knots are computed as
 * OpenMP tasks when called inside a parallel region.  Returns FMC_OK;
 * FMC_ENOMEM; or FMC_ENUMERIC when an exact quantile of a table's knot
 * could not be computed.  *OUT is set only on success (the caller owns the
 * sampler: release it with fmc_sampler_free); on failure it is untouched. */
fmc_status fmc_sampler_alloc(const fmc_dist *dist, fmc_sampler **out);
/* Releases SAMPLER and its copy of the distribution; NULL is harmless. */
void fmc_sampler_free(fmc_sampler *sampler);

/* The distribution the sampler draws from, owned by the sampler (valid
 * until fmc_sampler_free). */
const fmc_dist *fmc_sampler_dist(const fmc_sampler *sampler);

/* values[i] = the sampler's quantile at the uniform of words[i], i < COUNT;
 * WORDS and VALUES must not overlap.  Thread-safe: the sampler is only read. */
void fmc_sampler_transform(const fmc_sampler *sampler, const uint32_t *words, double *values,
                           size_t count);

/* The value for a single word (same result as fmc_sampler_transform). */
double fmc_sampler_value(const fmc_sampler *sampler, uint32_t word);

#pragma GCC visibility pop

#endif
