/* Probability distributions of uncertain inputs.
 *
 * A distribution is a plain value (fmc_dist) set up by one of the
 * fmc_dist_set_* functions, which check the parameters and, when they are
 * not valid, say which parameter is wrong and why.  Every distribution offers
 * its exact quantile function (from GSL's inverse CDFs or closed forms), CDF,
 * mean and variance.  Fast sampling lives in sampler.h, built from these
 * exact quantiles. */
#ifndef FUNNELMC_DIST_H
#define FUNNELMC_DIST_H

#include <stddef.h>
#include "funnelmc/error.h"

typedef enum fmc_dist_kind {
    FMC_DIST_CONSTANT,
    FMC_DIST_UNIFORM,
    FMC_DIST_TRIANGULAR,
    FMC_DIST_PERT,
    FMC_DIST_NORMAL,
    FMC_DIST_LOGNORMAL,
    FMC_DIST_BETA,
    FMC_DIST_GAMMA,
    FMC_DIST_DISCRETE,
    FMC_DIST_EMPIRICAL
} fmc_dist_kind;

#define FMC_DIST_KIND_COUNT 10

/* Canonical parameters; which fields are used depends on the kind:
 *   constant    min = max = the value
 *   uniform     min, max
 *   triangular  min, mode, max
 *   pert        min, mode, max; shape1, shape2 of the Beta on [min, max]
 *   normal      mu, sigma of the untruncated law; min, max truncation (+-inf if none)
 *   lognormal   mu, sigma of log X; min, max truncation (0 and +inf if none)
 *   beta        shape1 (alpha), shape2 (beta); min = 0, max = 1
 *   gamma       shape1 (shape), scale; min = 0, max = +inf
 *   discrete,   points: the distinct values in ascending order, cumulative:
 *   empirical   P(X <= points[i]), count of them; min, max the extreme points
 * Normal and lognormal keep the probabilities of their truncation points
 * under the untruncated standard normal (lower and upper tails, for accuracy). */
typedef struct fmc_dist {
    fmc_dist_kind kind;
    double min, max, mode;
    double mu, sigma;
    double shape1, shape2, scale;
    double z_lo_p, z_lo_q, z_hi_p, z_hi_q;  /* Phi and 1-Phi at the standardised bounds */
    double mass;                             /* untruncated probability inside the bounds */
    double *points;
    double *cumulative;
    size_t count;
} fmc_dist;

/* What is wrong with a parameter: PARAM names the scenario key ("sd", ...). */
typedef struct fmc_dist_problem {
    const char *param;
    char message[200];
} fmc_dist_problem;

/* Each setter fills *D and returns FMC_OK, or returns FMC_EINVAL and fills
 * *WHY (which may be NULL) and leaves *D without allocations.  Discrete and
 * empirical distributions allocate: release them with fmc_dist_clear.
 * Bounds: pass -INFINITY / INFINITY when a normal has no truncation, and
 * 0 / INFINITY when a lognormal has none. */
fmc_status fmc_dist_set_constant(fmc_dist *d, double value, fmc_dist_problem *why);
fmc_status fmc_dist_set_uniform(fmc_dist *d, double min, double max, fmc_dist_problem *why);
fmc_status fmc_dist_set_triangular(fmc_dist *d, double min, double mode, double max,
                                   fmc_dist_problem *why);
/* Beta-PERT: a Beta on [min, max] with shapes 1 + lambda (mode - min) / (max - min)
 * and 1 + lambda (max - mode) / (max - min); lambda = 4 is the classic PERT. */
fmc_status fmc_dist_set_pert(fmc_dist *d, double min, double mode, double max, double lambda,
                             fmc_dist_problem *why);
fmc_status fmc_dist_set_normal(fmc_dist *d, double mean, double sd, double lo, double hi,
                               fmc_dist_problem *why);
/* Lognormal by the median exp(mu) and sigma of log X. */
fmc_status fmc_dist_set_lognormal(fmc_dist *d, double median, double sigma, double lo, double hi,
                                  fmc_dist_problem *why);
/* Lognormal by the mean and sd of the untruncated law:
 * sigma^2 = log(1 + sd^2 / mean^2), mu = log(mean) - sigma^2 / 2. */
fmc_status fmc_dist_set_lognormal_mean_sd(fmc_dist *d, double mean, double sd, double lo,
                                          double hi, fmc_dist_problem *why);
fmc_status fmc_dist_set_beta(fmc_dist *d, double alpha, double beta, fmc_dist_problem *why);
/* Beta by mean m and sd s: alpha = m k, beta = (1 - m) k with k = m (1 - m) / s^2 - 1,
 * which needs s^2 < m (1 - m). */
fmc_status fmc_dist_set_beta_mean_sd(fmc_dist *d, double mean, double sd, fmc_dist_problem *why);
fmc_status fmc_dist_set_gamma(fmc_dist *d, double shape, double scale, fmc_dist_problem *why);
/* COUNT values with non-negative weights (not all zero, need not sum to 1). */
fmc_status fmc_dist_set_discrete(fmc_dist *d, const double *values, const double *weights,
                                 size_t count, fmc_dist_problem *why);
/* Resampling of COUNT observed values, each with probability 1 / COUNT. */
fmc_status fmc_dist_set_empirical(fmc_dist *d, const double *data, size_t count,
                                  fmc_dist_problem *why);

/* Releases what a setter allocated; D may be NULL.  D is left a constant 0. */
void fmc_dist_clear(fmc_dist *d);
/* Deep copy: FMC_OK or FMC_ENOMEM. */
fmc_status fmc_dist_copy(fmc_dist *dst, const fmc_dist *src);

/* The lower-case scenario name of KIND ("beta", ...). */
const char *fmc_dist_kind_name(fmc_dist_kind kind);

double fmc_dist_mean(const fmc_dist *d);
double fmc_dist_variance(const fmc_dist *d);
/* P(X <= x). */
double fmc_dist_cdf(const fmc_dist *d, double x);
/* Lower quantile: the x with P(X <= x) = p, for p in [0, 1] (for discrete
 * laws the smallest such point).  NaN if GSL's inverse fails. */
double fmc_dist_quantile(const fmc_dist *d, double p);
/* Upper quantile: the x with P(X > x) = q.  Accurate for tiny q, where
 * fmc_dist_quantile(d, 1 - q) would lose the digits of q. */
double fmc_dist_quantile_upper(const fmc_dist *d, double q);
/* The quantile fmc_dist_quantile (UPPER 0) or fmc_dist_quantile_upper
 * (UPPER 1) would give for P, found from a nearby value GUESS: for the laws
 * whose GSL inversion is slow (beta, pert, gamma) by Newton's method on the
 * CDF with GSL's root solver, falling back to the full inversion whenever
 * Newton leaves the support or does not settle; the other laws ignore GUESS.
 * It agrees with the full inversion to a few units in the last place and is
 * about four times faster when GUESS is close: it builds quantile tables. */
double fmc_dist_quantile_near(const fmc_dist *d, double p, int upper, double guess);

/* True when the law is a finite set of points (constant, discrete, empirical). */
int fmc_dist_is_discrete(const fmc_dist *d);

#endif
