/* Streaming statistics whose memory does not grow with the sample count and
 * whose results do not depend on how the samples were shared among threads.
 *
 * Moments: each block of samples is summarised in one pass of sums shifted
 * by the block's first value (stats.c says why that is accurate), and block
 * summaries are merged in block order with the pairwise update of Chan,
 * Golub & LeVeque (1979):
 *   n = na + nb, delta = mean_b - mean_a,
 *   mean = mean_a + delta nb / n,  M2 = M2a + M2b + delta^2 na nb / n.
 * A fixed merge order makes the floating-point result a function of the
 * samples alone.
 *
 * Quantiles: a histogram of many fine bins over a fixed range [lo, hi] (from
 * a pilot of the first samples), plus counts below and above it.  Counts are
 * integers, so merging in any order gives the same histogram.  The quantile
 * at rank r interpolates linearly inside the bin holding rank r; its error is
 * below one bin width (reported as the quantile resolution), and the
 * confidence interval of a p-quantile comes from the order statistics at
 * ranks n p -+ z sqrt(n p (1 - p)) (distribution-free, normal approximation
 * to the binomial). */
#ifndef FUNNELMC_STATS_H
#define FUNNELMC_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"
#include "funnelmc/errors.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* Moments of the defined (non-NaN) values of a stream. */
typedef struct fmc_moments {
    uint64_t count;      /* defined values */
    uint64_t undefined;  /* NaN values, skipped */
    uint64_t negative;   /* values < 0 */
    uint64_t positive;   /* values > 0 */
    double mean;
    double m2;           /* sum of squared deviations from the mean */
} fmc_moments;

void fmc_moments_init(fmc_moments *m);
/* Sets *M to the moments of X[0..N). */
void fmc_moments_of_block(fmc_moments *m, const double *x, size_t n);
/* Merges NEXT into *INTO (INTO's samples come first). */
void fmc_moments_merge(fmc_moments *into, const fmc_moments *next);

/* Histogram of FMC_FINE_BINS equal bins over [lo, hi], plus under/overflow,
 * and the extremes of the counted values (order-free, like the counts). */
#define FMC_FINE_BINS 16384
typedef struct fmc_histogram {
    double lo, hi;
    double inverse_width;
    double min, max;   /* +inf / -inf while nothing is counted */
    uint64_t *counts;  /* [FMC_FINE_BINS + 2]: below lo, the bins, above hi */
} fmc_histogram;

/* Allocates the counts (zeroed) for the range [LO, HI]; widens a range of
 * zero width.  FMC_OK or FMC_ENOMEM. */
fmc_status fmc_histogram_init(fmc_histogram *h, double lo, double hi);
void fmc_histogram_clear(fmc_histogram *h);
/* The slot of value V (not NaN): 0 below lo, 1 + bin, FMC_FINE_BINS + 1 above hi. */
static inline size_t fmc_histogram_slot(const fmc_histogram *h, double v)
{
    double position = (v - h->lo) * h->inverse_width;
    return position < 0 ? 0 : position >= FMC_FINE_BINS ? FMC_FINE_BINS + 1 : (size_t)position + 1;
}

/* Counts the non-NaN values of X[0..N). */
void fmc_histogram_add(fmc_histogram *h, const double *x, size_t n);
/* Adds the counts of FROM (same range) to INTO. */
void fmc_histogram_merge(fmc_histogram *into, const fmc_histogram *from);
/* The value at rank RANK (0 <= RANK <= total count) of the counted values. */
double fmc_histogram_value_at_rank(const fmc_histogram *h, double rank);
/* Width of one fine bin. */
double fmc_histogram_resolution(const fmc_histogram *h);

#define FMC_QUANTILE_COUNT 9
#define FMC_HIST_BINS 64

/* The quantile levels reported for every output. */
extern const double fmc_quantile_levels[FMC_QUANTILE_COUNT];

/* What users see of one output. */
typedef struct fmc_output_summary {
    uint64_t count;       /* samples where the output is defined */
    uint64_t undefined;   /* samples where it is not (ROI when cost <= 0) */
    double mean, sd, se;  /* se: standard error of the mean, sd / sqrt(count) */
    double mean_ci[2];    /* confidence interval of the mean, mean -+ z se */
    double min, max;
    double p_loss, p_loss_se;  /* P(value < 0) and its standard error */
    double quantiles[FMC_QUANTILE_COUNT];
    double quantile_ci[FMC_QUANTILE_COUNT][2];
    double quantile_resolution;
    double hist_edges[FMC_HIST_BINS + 1];
    uint64_t hist_counts[FMC_HIST_BINS];
} fmc_output_summary;

/* The normal quantile z with P(|Z| <= z) = CONFIDENCE (1.96 at 0.95): the
 * one place every interval of funnelmc takes its width from. */
double fmc_z_of_confidence(double confidence);

/* Student's t quantile with P(|T| <= t) = CONFIDENCE for the mean of
 * REPLICATES >= 2 independent estimates (REPLICATES - 1 degrees of
 * freedom): the width of every interval made from replicates (replicates.h,
 * sobol.h). */
double fmc_t_of_confidence(double confidence, uint32_t replicates);

/* Welford's update of a running MEAN and sum of squared deviations M2
 * with X, the COUNT-th value (COUNT >= 1): the spread of replicates'
 * estimates, in one pass and in a fixed order. */
static inline void fmc_running_add(double *mean, double *m2, double x, double count)
{
    double delta = x - *mean;
    *mean += delta / count;
    *m2 += delta * (x - *mean);
}

/* Half-width of the confidence interval of the mean of M at normal quantile
 * Z, z sd / sqrt(n); +inf with fewer than two values. */
double fmc_mean_half_width(const fmc_moments *m, double z);

/* The standard error of a share P of N samples, sqrt(p (1 - p) / n). */
double fmc_proportion_se(double p, double n);

/* Fills *OUT from the moments and histogram of one output; CONFIDENCE is the
 * level of the quantile confidence intervals (e.g. 0.95). */
void fmc_summarize(const fmc_moments *m, const fmc_histogram *h, double confidence,
                   fmc_output_summary *out);

/* Lists S's figures with an error (errors.h): the mean (se and interval),
 * P(loss) (se) and the quantiles (intervals). */
void fmc_output_summary_errors(fmc_output_summary *s, fmc_error_visit visit, void *context);

#pragma GCC visibility pop

#endif
