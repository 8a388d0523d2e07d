/* Gamma law by its shape k and scale theta: mean k theta, variance
 * k theta^2.  Quantiles by GSL's inversions, refined or rescued by
 * fmc_dist_roots. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "law.h"

fmc_status fmc_dist_set_gamma(fmc_dist *d, double shape, double scale, fmc_dist_problem *why)
{
    if (fmc_law_need_finite(why, "shape", shape) || fmc_law_need_finite(why, "scale", scale) ||
        fmc_law_need_positive(why, "shape", "gamma shape", shape) ||
        fmc_law_need_positive(why, "scale", "gamma scale", scale))
        return FMC_EINVAL;
    fmc_law_reset(d, FMC_DIST_GAMMA);
    d->shape1 = shape;
    d->scale = scale;
    d->min = 0;
    d->max = INFINITY;
    return FMC_OK;
}

static fmc_status set(fmc_dist *d, int form, const fmc_dist_value *v, fmc_dist_problem *why)
{
    (void)form;
    return fmc_dist_set_gamma(d, v[0].number, v[1].number, why);
}

static double mean(const fmc_dist *d)
{
    return d->shape1 * d->scale;
}

static double variance(const fmc_dist *d)
{
    return d->shape1 * d->scale * d->scale;
}

static double cdf(const fmc_dist *d, double x)
{
    return x <= 0 ? 0 : gsl_cdf_gamma_P(x, d->shape1, d->scale);
}

static double quantile(const fmc_dist *d, double p, int upper)
{
    return upper ? gsl_cdf_gamma_Qinv(p, d->shape1, d->scale)
                 : gsl_cdf_gamma_Pinv(p, d->shape1, d->scale);
}

static double tail(const fmc_dist *d, double y, int upper)
{
    return upper ? gsl_cdf_gamma_Q(y, d->shape1, d->scale) : gsl_cdf_gamma_P(y, d->shape1, d->scale);
}

static double density(const fmc_dist *d, double y)
{
    return gsl_ran_gamma_pdf(y, d->shape1, d->scale);
}

/* Ten standard deviations above the mean. */
static double bracket(const fmc_dist *d)
{
    return d->shape1 * d->scale + 10 * sqrt(d->shape1) * d->scale;
}

static const fmc_dist_roots roots = {tail, density, bracket, INFINITY, 0};

const fmc_dist_type fmc_dist_gamma = {
    .name = "gamma",
    .params = {{"shape", 0, 0, 1, 0}, {"scale", 0, 0, 1, 0}},
    .set = set,
    .mean = mean,
    .variance = variance,
    .cdf = cdf,
    .quantile = quantile,
    .sampling = FMC_SAMPLING_TABLE,
    .roots = &roots,
};
