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
#include "funnelmc/error.h"
#include "funnelmc/stats.h"

#define FMC_TORNADO_BINS 10

typedef struct fmc_drivers fmc_drivers;

typedef struct fmc_drivers_result {
    size_t count;              /* inputs */
    double *spearman;          /* [count] */
    double *spearman_se;       /* [count] its standard error; 0 for fixed inputs */
    double *contribution;      /* [count] share of variance, sums to 1 over uncertain inputs */
    double *src, *src_se;      /* [count] */
    double r_squared;
    double spearman_resolution;
    double *bin_mean;          /* [count][FMC_TORNADO_BINS] mean profit per decile bin */
    double *bin_mean_se;       /* [count][FMC_TORNADO_BINS] */
    double *mean_low, *mean_high;  /* [count] lowest and highest bin mean */
} fmc_drivers_result;

/* Accumulators for INPUTS inputs (FIXED[j] non-zero for constants), THREADS
 * threads and rounds of up to ROUND_BLOCKS blocks.  FMC_OK or FMC_ENOMEM. */
fmc_status fmc_drivers_alloc(size_t inputs, const int *fixed, int threads, size_t round_blocks,
                             fmc_drivers **out);
void fmc_drivers_free(fmc_drivers *drivers);

/* Adds one block (from any thread; THREAD its number, SLOT its place in the
 * round): words[j], values[j] of input j (words NULL for fixed inputs),
 * profit, N samples; PROFIT_BINS maps profit to the run's fine histogram. */
void fmc_drivers_add_block(fmc_drivers *drivers, int thread, size_t slot,
                           const uint32_t *const *words, const double *const *values,
                           const double *profit, size_t n, const fmc_histogram *profit_bins);

/* Merges the first COUNT slots of the round in slot (block) order. */
void fmc_drivers_merge_round(fmc_drivers *drivers, size_t count);

/* The measures, with PROFIT the run's final profit histogram.  FMC_OK and
 * *OUT (free with fmc_drivers_result_clear), or FMC_ENOMEM. */
fmc_status fmc_drivers_finish(const fmc_drivers *drivers, const fmc_histogram *profit,
                              fmc_drivers_result *out);
void fmc_drivers_result_clear(fmc_drivers_result *result);

#endif
