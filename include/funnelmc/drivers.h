/* What drives profit, measured on the main Monte Carlo sample as it streams:
 *
 * - Monte Carlo tornado, "change in output mean" (as @RISK): per input, the
 *   samples fall into 10 equal-count bins by the input's value, and the mean
 *   profit of each bin is kept; the bar runs from the lowest to the highest
 *   bin mean.  Bins come from the random word itself -- bin k holds
 *   u in [k/10, (k+1)/10), i.e. the input between its exact k-th and
 *   (k+1)-th decile -- so nothing needs sorting.
 * - Spearman rank correlation of each input with profit,
 *   rho = 12 mean((u - 1/2)(v - 1/2)).  An input's rank is its uniform u (its
 *   exact CDF value, the population rank); profit's rank v is the mid-rank of
 *   its bin in the run's fine histogram.  A mid-rank is off by at most half
 *   the bin's share of the samples and |u - 1/2| <= 1/2, so rho is within 3
 *   times the largest bin share of the same formula with profit's exact
 *   sample ranks (reported as spearman_resolution).  Sums of u - 1/2 per
 *   profit bin are kept as integers: exact, order-free.  Its standard error
 *   is that of the estimator's influence function (Hoeffding's projection):
 *   psi = 12 ((u - 1/2)(G(y) - 1/2) + h(y)) - 2 rho, h(y) = E[(U - 1/2) 1{Y > y}],
 *   with G profit's CDF; the second term is the noise of profit's ranks,
 *   which the textbook formulas for Spearman (made for sample ranks of both)
 *   leave out and which dominates for a strong driver.  E[psi^2] needs sums
 *   of (u - 1/2)^2 per profit bin too, kept as integers on bins 16 times
 *   coarser (12 bits of u: a second-order quantity needs no more).
 * - Crystal Ball's contribution to variance: rho_i^2 / sum_j rho_j^2.
 * - Standardized regression coefficients SRC_i = beta_i sd_i / sd_profit of
 *   the least-squares fit of profit on the inputs, with R^2 and standard
 *   errors from the fit, from co-moments merged in block order.
 * Fixed inputs get 0 (Spearman, SRC, contribution) and NaN bins. */
#ifndef FUNNELMC_DRIVERS_H
#define FUNNELMC_DRIVERS_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/accumulator.h"
#include "funnelmc/error.h"
#include "funnelmc/errors.h"
#include "funnelmc/stats.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

#define FMC_TORNADO_BINS 10

typedef struct fmc_drivers_result {
    size_t count;              /* inputs */
    double *spearman;          /* [count] */
    double *spearman_se;       /* [count] its standard error; 0 for fixed inputs */
    double *contribution;      /* [count] share of variance, sums to 1 over uncertain inputs */
    double *src, *src_se;      /* [count] */
    double r_squared;
    double spearman_resolution;
    double *bin_edges;         /* [count][FMC_TORNADO_BINS + 1] the input's exact deciles
                                * (its 0 % .. 100 % quantiles): the bins' edges */
    double *bin_mean;          /* [count][FMC_TORNADO_BINS] mean profit per decile bin */
    double *bin_mean_se;       /* [count][FMC_TORNADO_BINS] */
    double *mean_low, *mean_high;  /* [count] lowest and highest bin mean */
    double *mean_range;        /* [count] mean_high - mean_low: the Monte Carlo tornado's bar */
    double *mean_range_se;     /* [count] its standard error (the two bins are independent) */
    size_t *mean_order;        /* [count] inputs by mean_range, widest first (ties in
                                * scenario order, fixed inputs last) */
} fmc_drivers_result;

/* In a run only with options.drivers; fills the result's drivers.  Profit's
 * ranks use a fine histogram over profit's range in the pilot, binned as the
 * run's summary of profit bins it. */
extern const fmc_accumulator_type fmc_drivers_accumulator;

/* Sets RESULT's mean_order from its mean_range (a results file read back
 * orders its bars as the run did). */
void fmc_drivers_order(fmc_drivers_result *result);

/* Releases what RESULT holds and empties it; RESULT may be NULL. */
void fmc_drivers_result_clear(fmc_drivers_result *result);

/* Lists RESULT's figures with an error (errors.h): Spearman, SRC, the bin
 * means and the bars (mean_range). */
void fmc_drivers_result_errors(fmc_drivers_result *result, fmc_error_visit visit, void *context);

#pragma GCC visibility pop

#endif
