/* The rank correlations a run's draws really have, beside the ones the
 * scenario asked for (`correlations:`, copula.h).
 *
 * For each requested pair of quantities, with u and v the uniforms of their
 * words (sampler.h) -- their exact population ranks, the CDF values of the
 * draws --
 *   realised = 12 mean((u - 1/2)(v - 1/2)),
 * an unbiased estimate of the population Spearman correlation
 * 12 E[UV] - 3 of the draws' copula, which the Gaussian copula makes the
 * requested one.  Its standard error is that of a mean of independent
 * terms a = 12 (u - 1/2)(v - 1/2): sd(a) / sqrt(n).  (With the exact
 * population ranks the estimator is a plain mean, whose influence function
 * is a - rho: unlike the sample Spearman correlation, no term for estimated
 * ranks.)  z = (realised - requested) / se says whether the draws keep
 * what was asked: |z| beyond 4 or so means they do not.
 *
 * Over a horizon, the words of period 1.  A lever's uncertain number
 * (scenario.h, lever_copula) has its words drawn again for each block, per
 * thread, exactly as the levers draw them (fmc_lever_values_draw).  A pair
 * one of whose quantities has no words (a constant; the scenario reader
 * refuses those) has NaN figures. */
#ifndef FUNNELMC_CORRELATION_CHECK_H
#define FUNNELMC_CORRELATION_CHECK_H

#include <stddef.h>
#include "funnelmc/accumulator.h"
#include "funnelmc/errors.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef struct fmc_realised_correlation {
    size_t first, second;  /* the quantities, as the scenario's pair */
    double requested;      /* the rank correlation asked */
    double realised;       /* of the run's draws */
    double realised_se;    /* its standard error; NaN with fewer than 2 samples */
    double z;              /* (realised - requested) / realised_se */
} fmc_realised_correlation;

typedef struct fmc_correlation_check_result {
    size_t count;                    /* the scenario's pairs, in its order; 0 without */
    fmc_realised_correlation *pairs; /* [count] */
} fmc_correlation_check_result;

/* In every run whose scenario has correlations; fills the result's
 * correlations.  Sums per block are merged in block order: the same bits
 * for any thread and process count. */
extern const fmc_accumulator_type fmc_correlation_check_accumulator;

/* Releases what RESULT holds and empties it; RESULT may be NULL. */
void fmc_correlation_check_result_clear(fmc_correlation_check_result *result);

/* Lists RESULT's figures with an error (errors.h): each pair's realised
 * correlation.  Its z follows its se: fmc_correlation_check_rescore. */
void fmc_correlation_check_result_errors(fmc_correlation_check_result *result,
                                         fmc_error_visit visit, void *context);
/* Sets each pair's z from its realised correlation and se (after the se
 * was replaced, replicates.h). */
void fmc_correlation_check_rescore(fmc_correlation_check_result *result);

#pragma GCC visibility pop

#endif
