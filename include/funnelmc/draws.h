/* The draw plan: the one place that turns a run's design (design.h), its
 * copula (copula.h) and its seed into the words of the uncertain inputs.
 *
 * Dimensions: with d inputs and P periods (1 without a horizon), input j
 * (0-based) of period t (1-based) takes design dimension (t - 1) d + j in
 * a run's samples and in the Sobol matrix A; the Sobol matrix B takes the
 * next P d dimensions, P d + (t - 1) d + j, so A's and B's points are
 * distinct columns of one design.  Every other purpose takes A's layout.
 *
 * Windows: a pass (engine.h) draws the samples FIRST .. of the design; its
 * blocks count samples from 0 within the pass (so accumulators index their
 * own arrays by them), and every word is drawn at the design's sample
 * FIRST + i.  Words are so a pure function of the absolute sample index,
 * whatever the window, thread or process.
 *
 * A fill draws the design's words of the slots it is given, then applies
 * the copula to every correlated group it holds.  Callers never pass part
 * of a group: a period's fill holds every input redrawn that period, and
 * the scenario refuses correlations between inputs drawn each period and
 * inputs drawn once; a Sobol row's fill per matrix holds whole groups,
 * since sensitivity.h keeps every correlated set in one factor. */
#ifndef FUNNELMC_DRAWS_H
#define FUNNELMC_DRAWS_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/copula.h"
#include "funnelmc/design.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef struct fmc_draws {
    fmc_design design;
    const fmc_copula *copula;  /* NULL: inputs drawn independently */
    uint64_t seed;
    uint64_t first;            /* the window's first sample in the design */
    size_t inputs;             /* d, the words of one period */
    uint32_t periods;          /* P >= 1 */
} fmc_draws;

/* Plain Monte Carlo from sample 0, inputs independent: today's words. */
fmc_draws fmc_draws_mc(uint64_t seed, size_t inputs, uint32_t periods);

/* The design dimension of input 0 of PERIOD (>= 1) under PURPOSE. */
uint32_t fmc_draws_dimension(const fmc_draws *draws, uint32_t purpose, uint32_t period);

/* Fills words[j][i] with input j's word of PERIOD (>= 1) under PURPOSE for
 * sample FIRST + i of the window, for every j < draws->inputs whose
 * words[j] is not NULL and every i < COUNT, correlated by the copula. */
void fmc_draws_fill(const fmc_draws *draws, uint32_t purpose, uint32_t period, uint64_t first,
                    size_t count, uint32_t *const *words);

#pragma GCC visibility pop

#endif
