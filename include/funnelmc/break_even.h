/* Break-even values, as an accumulator (accumulator.h): for every input,
 * the value at which the mean profit is 0 ("444 followers"), and over a
 * horizon the period at which the mean cumulative discounted profit
 * reaches 0.
 *
 * The break-even value v* of input j solves m(v) = 0, m(v) the mean profit
 * over the run's first FMC_EQUIVALENT_SAMPLES draws (the equivalents'
 * subsample) with input j set to v in every sample, the other inputs
 * keeping their draws (over a horizon: in every period, the cumulative
 * discounted profit of each sample's path).  With everything fixed this is
 * the textbook break-even: 2000 / (90 x 0.25 x 0.4 x 0.5) = 444.4
 * followers in the worked example.  The root and its standard error
 * se(v*) = se of the mean profit at v* / |m'(v*)| (the delta method) are
 * mean_root.h's.  The root is sought in the input's allowed range
 * [lowest, highest] (fmc_input); where the mean profit has no root there,
 * the value is NaN and the kind says which way the range lies: always a
 * profit or always a loss (an unbounded range is searched up to 2^64 times
 * beyond the largest drawn value).  Where the mean profit is 0 at the
 * lowest value it is that value, even if it stays 0 all along (nothing
 * moves it); its se is then NaN, the slope being 0.
 *
 * The break-even period: with M_t the mean over the subsample of the
 * cumulative discounted profit of periods 1 .. t (M_0 = 0) and k the last
 * period with M_k <= 0, the mean cumulative profit is taken to grow
 * linearly within period k + 1 (its profit accruing evenly), so it
 * reaches 0 after
 *   tau = k + M_k / (M_k - M_{k+1})   periods
 * (k <= tau < k + 1): "3.4" means four tenths into period 4.  Its standard error is by the
 * delta method from the variances of M_k and M_{k+1} and their covariance
 * (the same samples' paths): with a = M_k, b = M_{k+1},
 *   var(tau) = (b^2 var(a) - 2 a b cov(a, b) + a^2 var(b)) / (b - a)^4.
 * None when M_P <= 0 (always a loss within the horizon: NaN), or when
 * every M_t > 0 (always a profit, from period 1: NaN). */
#ifndef FUNNELMC_BREAK_EVEN_H
#define FUNNELMC_BREAK_EVEN_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/accumulator.h"
#include "funnelmc/errors.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* Whether a break-even exists, and which way the range lies when not. */
typedef enum fmc_break_even_kind {
    FMC_BREAK_EVEN_FOUND,         /* a value (a period) in range gives mean profit 0 */
    FMC_BREAK_EVEN_ALWAYS_PROFIT, /* none: the mean profit is > 0 all over the range */
    FMC_BREAK_EVEN_ALWAYS_LOSS    /* none: it is < 0 all over (for a period: <= 0 at the end) */
} fmc_break_even_kind;

/* "found", "always profit", "always loss"; static storage. */
const char *fmc_break_even_kind_name(fmc_break_even_kind kind);

typedef struct fmc_break_even_result {
    size_t inputs;               /* the scenario's inputs; 0 when not asked for (then
                                  * nothing else is set) */
    uint64_t samples;            /* the subsample's size */
    double *value, *se;          /* [inputs] the break-even value and its standard
                                  * error; NaN where none (one allocation, se
                                  * following value) */
    fmc_break_even_kind *kind;   /* [inputs] */
    /* Over a horizon (periods 0 and the rest NULL or NaN without one): */
    uint32_t periods;
    double *cumulative_mean;     /* [periods] M_t */
    double *cumulative_se;       /* [periods] its standard error (following
                                  * cumulative_mean in one allocation) */
    double period, period_se;    /* tau and its standard error; NaN where none */
    fmc_break_even_kind period_kind;
} fmc_break_even_result;

/* Releases what R holds and empties it; R may be NULL. */
void fmc_break_even_result_clear(fmc_break_even_result *r);

/* Lists R's figures with an error (errors.h), all on the subsample: the
 * values, the mean cumulative profits and the period. */
void fmc_break_even_result_errors(fmc_break_even_result *r, fmc_error_visit visit, void *context);

/* The break-even period tau (see the top) of the mean cumulative profits
 * MEAN[t - 1], t = 1 .. PERIODS (>= 1), with VARIANCE[t - 1] the variance
 * of MEAN[t - 1] and COVARIANCE[t - 1] its covariance with MEAN[t] (the
 * last one unused), into *PERIOD and *SE (NaN where none).  Returns the
 * kind. */
fmc_break_even_kind fmc_break_even_period(uint32_t periods, const double *mean,
                                          const double *variance, const double *covariance,
                                          double *period, double *se);

/* In a run only with options.break_even; fills the result's break_even. */
extern const fmc_accumulator_type fmc_break_even_accumulator;

#pragma GCC visibility pop

#endif
