/* Inverse-CDF samplers; see sampler.h for the scheme.
 *
 * Table layout: for the distance t = (w + 1/2) 2^-32 of u from its nearer end
 * (w = r on the lower half, w = ~r on the upper half, so w < 2^31), the
 * double d = w + 1/2 lies in [2^-1, 2^31).  Its bit pattern shifted right by
 * 52 - SUB_BITS is the exponent followed by the top SUB_BITS mantissa bits: a
 * cell index that grows with d and splits every binade into 2^SUB_BITS equal
 * cells.  Each cell stores the quantile at its left end and the slope to its
 * right end; clearing d's low mantissa bits recovers the left end exactly. */
#include "funnelmc/sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dispatch.h"

#define SUB_BITS 6
#define BINADES 32  /* d in [2^-1, 2^31) */
#define CELLS_PER_SIDE (BINADES << SUB_BITS)
#define CELL_SHIFT (52 - SUB_BITS)

typedef struct table_cell {
    double left_value;
    double slope;  /* per unit of d */
} table_cell;

struct fmc_sampler {
    fmc_dist dist;
    table_cell *cells;  /* [2][CELLS_PER_SIDE]: lower side, then upper side; NULL
                           unless the law samples from a table */
};

static uint64_t bits_of(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static double double_of(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

static uint64_t first_cell_bits(void)
{
    return bits_of(0.5) >> CELL_SHIFT;
}

/* Left end (in d) of cell K; cell CELLS_PER_SIDE starts at 2^31. */
static double cell_left(size_t k)
{
    return double_of((first_cell_bits() + k) << CELL_SHIFT);
}

/* Knots are computed in fixed chunks of cells, as OpenMP tasks when a
 * parallel region is active: a beta table needs thousands of inversions. */
#define CHUNKS_PER_SIDE 8
#define CELLS_PER_CHUNK (CELLS_PER_SIDE / CHUNKS_PER_SIDE)

/* Exact quantiles at the cell ends FIRST .. LAST (inclusive) of one side.
 * The first two come from the full inversion, each later one from the
 * linear extrapolation of the two before it (fmc_dist_quantile_near; knots
 * are close, so Newton needs a step or two).  A knot's value depends only on
 * its place in its chunk, never on which thread computes it. */
static fmc_status knots_of_chunk(const fmc_dist *d, int upper, size_t first, size_t last,
                                 double *knots)
{
    for (size_t k = first; k <= last; k++) {
        double at = cell_left(k);
        if (k < first + 2) {
            knots[k] = upper ? fmc_dist_quantile_upper(d, at * 0x1p-32)
                             : fmc_dist_quantile(d, at * 0x1p-32);
        } else {
            double before = cell_left(k - 1), earlier = cell_left(k - 2);
            double guess = knots[k - 1] + (knots[k - 1] - knots[k - 2]) * (at - before) /
                                              (before - earlier);
            knots[k] = fmc_dist_quantile_near(d, at * 0x1p-32, upper, guess);
        }
        if (!isfinite(knots[k]))
            return FMC_ENUMERIC;
    }
    return FMC_OK;
}

static fmc_status build_table(fmc_sampler *s)
{
    /* knots[side][k] for k = 0 .. CELLS_PER_SIDE */
    double *knots = malloc(2 * (CELLS_PER_SIDE + 1) * sizeof *knots);
    s->cells = malloc(2 * CELLS_PER_SIDE * sizeof *s->cells);
    if (!knots || !s->cells) {
        free(knots);
        return FMC_ENOMEM;
    }
    fmc_status status[2 * CHUNKS_PER_SIDE];
    #pragma omp taskloop grainsize(1) shared(status, knots, s)
    for (int chunk = 0; chunk < 2 * CHUNKS_PER_SIDE; chunk++) {
        int side = chunk / CHUNKS_PER_SIDE;
        size_t first = (size_t)(chunk % CHUNKS_PER_SIDE) * CELLS_PER_CHUNK;
        /* chunks own [first, first + CELLS_PER_CHUNK); the last also owns the end */
        size_t last = first + CELLS_PER_CHUNK - (first + CELLS_PER_CHUNK < CELLS_PER_SIDE);
        status[chunk] = knots_of_chunk(&s->dist, side, first, last,
                                       knots + (size_t)side * (CELLS_PER_SIDE + 1));
    }
    fmc_status result = FMC_OK;
    for (int chunk = 0; chunk < 2 * CHUNKS_PER_SIDE && result == FMC_OK; chunk++)
        result = status[chunk];
    for (int side = 0; side < 2 && result == FMC_OK; side++) {
        const double *side_knots = knots + (size_t)side * (CELLS_PER_SIDE + 1);
        table_cell *cells = s->cells + side * CELLS_PER_SIDE;
        for (size_t k = 0; k < CELLS_PER_SIDE; k++) {
            cells[k].left_value = side_knots[k];
            cells[k].slope = (side_knots[k + 1] - side_knots[k]) / (cell_left(k + 1) - cell_left(k));
        }
    }
    free(knots);
    return result;
}

fmc_status fmc_sampler_alloc(const fmc_dist *dist, fmc_sampler **out)
{
    fmc_sampler *s = calloc(1, sizeof *s);
    if (!s)
        return FMC_ENOMEM;
    fmc_status status = fmc_dist_copy(&s->dist, dist);
    if (status) {
        free(s);
        return status;
    }
    if (s->dist.kind->sampling == FMC_SAMPLING_TABLE)
        status = build_table(s);
    if (status) {
        fmc_sampler_free(s);
        return status;
    }
    *out = s;
    return FMC_OK;
}

void fmc_sampler_free(fmc_sampler *sampler)
{
    if (!sampler)
        return;
    fmc_dist_clear(&sampler->dist);
    free(sampler->cells);
    free(sampler);
}

const fmc_dist *fmc_sampler_dist(const fmc_sampler *sampler)
{
    return &sampler->dist;
}

static inline double table_value(const table_cell *cells, uint32_t word)
{
    uint32_t upper = word >> 31;
    uint32_t w = word ^ (0u - upper);  /* distance from the nearer end, in words */
    double d = (double)w + 0.5;
    uint64_t b = bits_of(d);
    size_t k = (size_t)((b >> CELL_SHIFT) - first_cell_bits()) + upper * CELLS_PER_SIDE;
    double left = double_of(b & ~((UINT64_C(1) << CELL_SHIFT) - 1));
    return cells[k].left_value + cells[k].slope * (d - left);
}

FMC_HOT_LOOP
void fmc_sampler_transform(const fmc_sampler *s, const uint32_t *restrict words,
                           double *restrict values, size_t count)
{
    /* One loop per sampling kind (a closed form's is its law's own), with
     * the parameters in locals, so that each inner loop is free of branches
     * and reloads and can be vectorised. */
    const fmc_dist *d = &s->dist;
    switch (d->kind->sampling) {
    case FMC_SAMPLING_CLOSED_FORM:
        d->kind->transform(d, words, values, count);
        break;
    case FMC_SAMPLING_SEARCH:
        for (size_t i = 0; i < count; i++)
            values[i] = fmc_dist_quantile(d, fmc_word_to_uniform(words[i]));
        break;
    case FMC_SAMPLING_TABLE: {
        const table_cell *cells = s->cells;
        for (size_t i = 0; i < count; i++)
            values[i] = table_value(cells, words[i]);
        break;
    }
    }
}

double fmc_sampler_value(const fmc_sampler *s, uint32_t word)
{
    double value = NAN;
    fmc_sampler_transform(s, &word, &value, 1);
    return value;
}
