/* Lognormal law, log X ~ N(mu, sigma^2), optionally truncated to [min, max];
 * given by its median exp(mu) and sigma, or by the mean and sd of the
 * untruncated law.  Moments of the truncated law, with alpha, beta the
 * standardised log bounds and Z their probability:
 *   E[X^k] = exp(k mu + k^2 sigma^2 / 2) P(alpha - k sigma < Z < beta - k sigma) / Z. */
#include <math.h>

#include "law.h"

static fmc_status set_log(fmc_dist *d, double mu, double sigma, double lo, double hi,
                          fmc_dist_problem *why)
{
    if (fmc_law_check_bounds(lo, hi, why))
        return FMC_EINVAL;
    if (lo < 0)
        return fmc_law_fail(why, "min", "lognormal min must be >= 0 (got %g)", lo);
    fmc_law_reset(d, FMC_DIST_LOGNORMAL);
    d->mu = mu;
    d->sigma = sigma;
    d->min = lo;
    d->max = hi;
    if (fmc_law_set_gauss_window(d, log(lo), log(hi), why)) {
        fmc_law_reset(d, FMC_DIST_CONSTANT);
        return FMC_EINVAL;
    }
    return FMC_OK;
}

fmc_status fmc_dist_set_lognormal(fmc_dist *d, double median, double sigma, double lo, double hi,
                                  fmc_dist_problem *why)
{
    if (fmc_law_need_finite(why, "median", median) || fmc_law_need_finite(why, "sigma", sigma) ||
        fmc_law_need_positive(why, "median", "lognormal median", median) ||
        fmc_law_need_positive(why, "sigma", "lognormal sigma", sigma))
        return FMC_EINVAL;
    return set_log(d, log(median), sigma, lo, hi, why);
}

fmc_status fmc_dist_set_lognormal_mean_sd(fmc_dist *d, double mean, double sd, double lo,
                                          double hi, fmc_dist_problem *why)
{
    if (fmc_law_need_finite(why, "mean", mean) || fmc_law_need_finite(why, "sd", sd) ||
        fmc_law_need_positive(why, "mean", "lognormal mean", mean) ||
        fmc_law_need_positive(why, "sd", "lognormal sd", sd))
        return FMC_EINVAL;
    double cv = sd / mean;
    double sigma2 = log1p(cv * cv);
    return set_log(d, log(mean) - sigma2 / 2, sqrt(sigma2), lo, hi, why);
}

/* VALUES follow the keys: median, sigma, mean, sd, min, max. */
static fmc_status set(fmc_dist *d, int form, const fmc_dist_value *v, fmc_dist_problem *why)
{
    return form == 2 ? fmc_dist_set_lognormal_mean_sd(d, v[2].number, v[3].number, v[4].number,
                                                      v[5].number, why)
                     : fmc_dist_set_lognormal(d, v[0].number, v[1].number, v[4].number,
                                              v[5].number, why);
}

static double raw_moment(const fmc_dist *d, int k)
{
    double alpha = (log(d->min) - d->mu) / d->sigma, beta = (log(d->max) - d->mu) / d->sigma;
    double shift = k * d->sigma;
    return exp(k * d->mu + 0.5 * shift * shift) *
           fmc_law_gauss_interval(alpha - shift, beta - shift) / d->mass;
}

static double mean(const fmc_dist *d)
{
    return raw_moment(d, 1);
}

static double variance(const fmc_dist *d)
{
    double m1 = raw_moment(d, 1);
    return raw_moment(d, 2) - m1 * m1;
}

static double cdf(const fmc_dist *d, double x)
{
    if (x <= d->min)
        return 0;
    if (x >= d->max)
        return 1;
    return fmc_law_gauss_window_cdf(d, log(d->min), log(x));
}

static double quantile(const fmc_dist *d, double p, int upper)
{
    return fmc_law_clamp(exp(fmc_law_gauss_window_quantile(d, p, upper)), d->min, d->max);
}

const fmc_dist_type fmc_dist_lognormal = {
    .name = "lognormal",
    .params = {{"median", 1, 0, 1, 0}, {"sigma", 1, 0, 1, 0},
               {"mean", 2, 0, 1, 0}, {"sd", 2, 0, 1, 0},
               {"min", 0, 0, 0, 0}, {"max", 0, 0, 0, INFINITY}},
    .set = set,
    .mean = mean,
    .variance = variance,
    .cdf = cdf,
    .quantile = quantile,
    .sampling = FMC_SAMPLING_TABLE,
};
