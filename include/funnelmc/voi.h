/* The value of information of a decision among K options, on Monte Carlo
 * draws of the options' values (Raiffa & Schlaifer 1961): with v_k the
 * value of option k in a sample,
 *   EVPI       = E[max_k v_k] - max_k E[v_k]
 *   EVPPI(X)   = E_X[max_k E(v_k | X)] - max_k E[v_k]
 * what knowing everything, or X alone, before choosing adds to the expected
 * value of the choice.
 *
 * E(v_k | X) is estimated by bins of X, as Strong & Oakley, "An efficient
 * method for computing single-parameter partial expected value of perfect
 * information", Med Decis Making 33(6):755-766 (2013) do, but with bins
 * fixed in advance (the caller's: equal-probability bins of X's CDF value)
 * instead of equal-count bins of the sorted samples, so that one pass with
 * no sorting does.  A "partition" is one way of binning the samples (an
 * input, a group of inputs, ...); each sample falls in one bin of each.
 *
 * The plain plug-in (the max of noisy bin means) is biased up: with no
 * information in X and tied options by about 0.57 sqrt(B) standard errors
 * for B bins.  So the estimate is cross-fitted: samples come in G folds;
 * for fold g the best option of each bin, and the best option overall,
 * are chosen on the other folds' sums, and evaluated on fold g's:
 *   EVPPI_g = (1/n_g) sum_b [S_g(b, choice_b) - S_g(b, choice)]
 * (EVPI_g likewise, with each sample's max for the bins' choice).  A
 * choice made on independent data can only be as good as the best one:
 * the estimate is biased down, never up, by what the noise of the other
 * folds costs the choice (small when the options' differences are clear,
 * 0 in expectation when X tells nothing).  Ties choose the lowest option
 * index, and a bin with no sample in the other folds takes the overall
 * choice.  The estimate is the sample-weighted mean of the folds'.
 *
 * Its standard error is a Bayesian bootstrap over folds (Rubin, "The
 * Bayesian bootstrap", Ann Stat 9(1):130-134, 1981): FMC_VOI_REPLICATES
 * times, the folds get independent Exp(1) weights w_g, the folds' sums are
 * weighted by them, and the whole estimate is made again, choices
 * included (for fold g on the other folds' weighted sums); the se is the
 * spread of these replicates.  A fold's data both evaluates its own
 * choices and trains the others', which correlates the folds' estimates
 * where options tie: the plain batch-means se of the folds' estimates
 * then understates the spread (by half at an exact tie with 32 folds), a
 * delete-one-fold jackknife overstates it about 3 times; the bootstrap
 * moves the choices smoothly.  Against the spread over seeds it is 0.93 of
 * it where the choices are clear (120 seeds, a = 0.3 below), and 1.04 for
 * EVPI and 1.02 for a worthless input at an exact tie (100 seeds, checked
 * by tests/unit/test_voi.c).  When every choice agrees in every
 * replicate, the estimate is exactly 0 and so is its se.
 *
 * Binning X loses what the bins hide: the estimate of a coarse partition
 * is a lower bound of the finer one's (knowing less is worth less).
 *
 * Sums are kept per slot of a round and merged in slot order
 * (accumulator.h), so the figures are a function of the samples alone. */
#ifndef FUNNELMC_VOI_H
#define FUNNELMC_VOI_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* The most bins of one partition (bins are uint16_t), and of folds. */
#define FMC_VOI_MAX_BINS 65535u
#define FMC_VOI_MAX_FOLDS 1024u
/* Replicates of the bootstrap of the standard errors. */
#define FMC_VOI_REPLICATES 200

typedef struct fmc_voi_layout {
    size_t options;        /* K >= 1, the columns of values, in the order ties favour */
    size_t partitions;     /* P >= 0 */
    const size_t *bins;    /* [P] bins of each partition, 1 .. FMC_VOI_MAX_BINS */
    size_t folds;          /* G, 2 .. FMC_VOI_MAX_FOLDS */
    size_t slots;          /* slots of a round >= 1 */
} fmc_voi_layout;

typedef struct fmc_voi fmc_voi;

/* The sums of LAYOUT (copied), empty.  FMC_OK and *OUT; FMC_EINVAL when
 * the layout breaks a bound above; FMC_ENOMEM; *OUT NULL on failure. */
fmc_status fmc_voi_alloc(const fmc_voi_layout *layout, fmc_voi **out);
/* V may be NULL. */
void fmc_voi_free(fmc_voi *v);

/* Bytes V holds: what memory figures quote. */
size_t fmc_voi_bytes(const fmc_voi *v);

/* Adds COUNT samples of fold FOLD (< folds) into slot SLOT (< slots):
 * values[k][i] is option k's value in sample i, bins[p][i] its bin of
 * partition p (< bins[p]).  Every call on one slot between two merges
 * names the same fold.  Distinct slots may be added to concurrently. */
void fmc_voi_add(fmc_voi *v, size_t slot, size_t fold, const double *const *values,
                 const uint16_t *const *bins, size_t count);

/* Adds slots 0 .. COUNT - 1, in that order, to their folds' sums, and
 * empties them. */
void fmc_voi_merge_round(fmc_voi *v, size_t count);
/* When processes share a run (accumulator.h): registers V's slots in
 * SHARES. */
struct fmc_run_shares;
void fmc_voi_share(fmc_voi *v, struct fmc_run_shares *shares);

typedef struct fmc_voi_estimate {
    uint64_t samples;      /* N, in all folds */
    size_t best;           /* the option of largest mean (ties: the lowest index) */
    double best_mean;      /* its mean value: the expected value of choosing now */
    double evpi, evpi_se;
    double *evppi, *evppi_se;  /* [partitions], the caller's arrays */
} fmc_voi_estimate;

/* The estimates from V's merged sums into OUT (whose evppi arrays the
 * caller provides), SEED keying the bootstrap's weights (stream purpose
 * FMC_PURPOSE_VOI, sample the replicate, slot the fold); V keeps its sums,
 * and holds the estimate's scratch.  Every figure is NaN with fewer than 2
 * folds holding samples (and best_mean with none). */
void fmc_voi_estimate_all(fmc_voi *v, uint64_t seed, fmc_voi_estimate *out);

#pragma GCC visibility pop

#endif
