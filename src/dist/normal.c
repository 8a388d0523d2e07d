/* Normal law, optionally truncated to [min, max]; its moments are those of
 * the truncated Gaussian (gauss.c). */
#include <math.h>

#include "law.h"

fmc_status fmc_dist_set_normal(fmc_dist *d, double mean, double sd, double lo, double hi,
                               fmc_dist_problem *why)
{
    if (fmc_law_need_finite(why, "mean", mean) || fmc_law_need_finite(why, "sd", sd) ||
        fmc_law_check_bounds(lo, hi, why) || fmc_law_need_positive(why, "sd", "normal sd", sd))
        return FMC_EINVAL;
    fmc_law_reset(d, FMC_DIST_NORMAL);
    d->mu = mean;
    d->sigma = sd;
    d->min = lo;
    d->max = hi;
    if (fmc_law_set_gauss_window(d, lo, hi, why)) {
        fmc_law_reset(d, FMC_DIST_CONSTANT);
        return FMC_EINVAL;
    }
    return FMC_OK;
}

static fmc_status set(fmc_dist *d, int form, const fmc_dist_value *v, fmc_dist_problem *why)
{
    (void)form;
    return fmc_dist_set_normal(d, v[0].number, v[1].number, v[2].number, v[3].number, why);
}

static double mean(const fmc_dist *d)
{
    double alpha = (d->min - d->mu) / d->sigma, beta = (d->max - d->mu) / d->sigma;
    return d->mu + d->sigma * (fmc_law_density_at(alpha) - fmc_law_density_at(beta)) / d->mass;
}

static double variance(const fmc_dist *d)
{
    double alpha = (d->min - d->mu) / d->sigma, beta = (d->max - d->mu) / d->sigma;
    double shift = (fmc_law_density_at(alpha) - fmc_law_density_at(beta)) / d->mass;
    double tilt = (fmc_law_z_density_at(alpha) - fmc_law_z_density_at(beta)) / d->mass;
    return d->sigma * d->sigma * (1 + tilt - shift * shift);
}

static double cdf(const fmc_dist *d, double x)
{
    if (x <= d->min)
        return 0;
    if (x >= d->max)
        return 1;
    return fmc_law_gauss_window_cdf(d, d->min, x);
}

static double quantile(const fmc_dist *d, double p, int upper)
{
    return fmc_law_clamp(fmc_law_gauss_window_quantile(d, p, upper), d->min, d->max);
}

const fmc_dist_type fmc_dist_normal = {
    .name = "normal",
    .params = {{"mean", 0, 0, 1, 0}, {"sd", 0, 0, 1, 0},
               {"min", 0, 0, 0, -INFINITY}, {"max", 0, 0, 0, INFINITY}},
    .set = set,
    .mean = mean,
    .variance = variance,
    .cdf = cdf,
    .quantile = quantile,
    .sampling = FMC_SAMPLING_TABLE,
};
