/* What the files of src/dist/ share, and nothing outside them uses: the
 * helpers every law's checks are written with, and the pieces one family of
 * laws has in common (the truncated Gaussian of normal and lognormal, the
 * Beta of beta and pert, the points of discrete and empirical). */
#ifndef FUNNELMC_DIST_LAW_H
#define FUNNELMC_DIST_LAW_H

#include "funnelmc/dist.h"

/* Below this untruncated probability a truncation window is refused: the
 * quantiles of so thin a slice are not computable to useful accuracy. */
#define FMC_LAW_MIN_TRUNCATED_MASS 1e-12

/* Fills *WHY (if not NULL) with PARAM and the formatted message; returns
 * FMC_EINVAL. */
/* Largest shape of a beta (and pert's lambda): GSL's beta inversion does
 * not return for shapes near 1e180, and a law narrower than this is a
 * constant to every digit a profit has. */
#define FMC_LAW_MAX_BETA_SHAPE 1e15

/* FMC_EINVAL with a message naming PARAM when X exceeds
 * FMC_LAW_MAX_BETA_SHAPE; FMC_OK otherwise. */
fmc_status fmc_law_need_beta_shape(fmc_dist_problem *why, const char *param, const char *label,
                                   double x);

fmc_status fmc_law_fail(fmc_dist_problem *why, const char *param, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* FMC_OK, or FMC_EINVAL with "PARAM must be a finite number". */
fmc_status fmc_law_need_finite(fmc_dist_problem *why, const char *param, double x);
/* FMC_OK, or FMC_EINVAL with "LABEL must be > 0 (got X)" for key PARAM. */
fmc_status fmc_law_need_positive(fmc_dist_problem *why, const char *param, const char *label,
                                 double x);
/* Zeroes *D and makes it of law KIND. */
void fmc_law_reset(fmc_dist *d, const fmc_dist_type *kind);

static inline double fmc_law_clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* The checks triangular and pert share: finite, min < max, mode inside. */
fmc_status fmc_law_check_min_mode_max(const char *name, double min, double mode, double max,
                                      fmc_dist_problem *why);

/* Truncated Gaussian (gauss.c): normal in x, lognormal in log x. */
/* P(a < Z < b) for a standard normal Z, from whichever tail keeps the digits. */
double fmc_law_gauss_interval(double a, double b);
/* Sets D's window fields for the truncation of N(mu, sigma^2) to [lo, hi]. */
fmc_status fmc_law_set_gauss_window(fmc_dist *d, double lo, double hi, fmc_dist_problem *why);
/* The truncation bounds' checks (infinite bounds are allowed). */
fmc_status fmc_law_check_bounds(double lo, double hi, fmc_dist_problem *why);
/* mu + sigma z for the standardised truncated quantile at P (lower tail, or
 * upper when UPPER). */
double fmc_law_gauss_window_quantile(const fmc_dist *d, double p, int upper);
/* phi(z), and z phi(z); both 0 at infinite z. */
double fmc_law_density_at(double z);
double fmc_law_z_density_at(double z);
/* The CDF in the Gaussian's own variable T (x or log x) of the law on [lo, hi] there. */
double fmc_law_gauss_window_cdf(const fmc_dist *d, double lo, double t);

/* Beta (beta.c), shared with pert, which is a Beta on [min, max]. */
double fmc_law_beta_variance(double a, double b);
double fmc_law_beta_quantile(const fmc_dist *d, double p, int upper);
/* The roots of the Beta behind a law on [min, max] (X = min + (max - min) Y). */
extern const fmc_dist_roots fmc_law_scaled_beta_roots;

/* Points (points.c): discrete and empirical differ only in how they are set. */
/* Sorts the points, merges equal values, forms cumulative probabilities;
 * VALUE_KEY names the values in messages, WEIGHTS may be NULL (all 1). */
fmc_status fmc_law_set_points(fmc_dist *d, const fmc_dist_type *kind, const char *value_key,
                              const double *values, const double *weights, size_t count,
                              fmc_dist_problem *why);
double fmc_law_points_mean(const fmc_dist *d);
double fmc_law_points_variance(const fmc_dist *d);
double fmc_law_points_cdf(const fmc_dist *d, double x);
double fmc_law_points_quantile(const fmc_dist *d, double p, int upper);

#endif
