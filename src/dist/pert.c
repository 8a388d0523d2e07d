/* Beta-PERT: a Beta on [min, max] with shapes 1 + lambda (mode - min) / (max - min)
 * and 1 + lambda (max - mode) / (max - min); lambda = 4 is the classic PERT
 * (Malcolm et al. 1959; Vose, "Risk Analysis", 3rd ed., 2008). */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "law.h"

fmc_status fmc_dist_set_pert(fmc_dist *d, double min, double mode, double max, double lambda,
                             fmc_dist_problem *why)
{
    if (fmc_law_check_min_mode_max("pert", min, mode, max, why) ||
        fmc_law_need_finite(why, "lambda", lambda) ||
        fmc_law_need_positive(why, "lambda", "pert lambda", lambda) ||
        fmc_law_need_beta_shape(why, "lambda", "pert lambda", lambda))
        return FMC_EINVAL;
    fmc_law_reset(d, FMC_DIST_PERT);
    d->min = min;
    d->mode = mode;
    d->max = max;
    d->shape1 = 1 + lambda * (mode - min) / (max - min);
    d->shape2 = 1 + lambda * (max - mode) / (max - min);
    return FMC_OK;
}

static fmc_status set(fmc_dist *d, int form, const fmc_dist_value *v, fmc_dist_problem *why)
{
    (void)form;
    return fmc_dist_set_pert(d, v[0].number, v[1].number, v[2].number, v[3].number, why);
}

static double mean(const fmc_dist *d)
{
    return d->min + (d->max - d->min) * d->shape1 / (d->shape1 + d->shape2);
}

static double variance(const fmc_dist *d)
{
    return (d->max - d->min) * (d->max - d->min) * fmc_law_beta_variance(d->shape1, d->shape2);
}

static double cdf(const fmc_dist *d, double x)
{
    double a = d->min, b = d->max;
    return x <= a ? 0 : x >= b ? 1 : gsl_cdf_beta_P((x - a) / (b - a), d->shape1, d->shape2);
}

static double quantile(const fmc_dist *d, double p, int upper)
{
    double a = d->min, b = d->max;
    return fmc_law_clamp(a + (b - a) * fmc_law_beta_quantile(d, p, upper), a, b);
}

const fmc_dist_type fmc_dist_pert = {
    .name = "pert",
    .params = {{"min", 0, 0, 1, 0}, {"mode", 0, 0, 1, 0}, {"max", 0, 0, 1, 0},
               {"lambda", 0, 0, 0, 4}},
    .set = set,
    .mean = mean,
    .variance = variance,
    .cdf = cdf,
    .quantile = quantile,
    .sampling = FMC_SAMPLING_TABLE,
    .roots = &fmc_law_scaled_beta_roots,
};
