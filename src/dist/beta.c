/* Beta law on [0, 1], by its shapes alpha and beta or by its mean m and sd s
 * (alpha = m k, beta = (1 - m) k, k = m (1 - m) / s^2 - 1).  Quantiles by
 * GSL's inversions, refined or rescued by fmc_dist_roots; pert uses the
 * same Beta, scaled to [min, max]. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "law.h"

fmc_status fmc_dist_set_beta(fmc_dist *d, double alpha, double beta, fmc_dist_problem *why)
{
    if (fmc_law_need_finite(why, "alpha", alpha) || fmc_law_need_finite(why, "beta", beta) ||
        fmc_law_need_positive(why, "alpha", "beta alpha", alpha) ||
        fmc_law_need_positive(why, "beta", "beta parameter beta", beta) ||
        fmc_law_need_beta_shape(why, "alpha", "beta alpha", alpha) ||
        fmc_law_need_beta_shape(why, "beta", "beta parameter beta", beta))
        return FMC_EINVAL;
    fmc_law_reset(d, FMC_DIST_BETA);
    d->shape1 = alpha;
    d->shape2 = beta;
    d->min = 0;
    d->max = 1;
    return FMC_OK;
}

fmc_status fmc_dist_set_beta_mean_sd(fmc_dist *d, double mean, double sd, fmc_dist_problem *why)
{
    if (fmc_law_need_finite(why, "mean", mean) || fmc_law_need_finite(why, "sd", sd))
        return FMC_EINVAL;
    if (!(mean > 0 && mean < 1))
        return fmc_law_fail(why, "mean", "beta mean %g is outside (0, 1)", mean);
    if (fmc_law_need_positive(why, "sd", "beta sd", sd))
        return FMC_EINVAL;
    double spread = mean * (1 - mean);
    if (!(sd * sd < spread))
        return fmc_law_fail(why, "sd",
                            "beta sd %g is not achievable for mean %g (it must be below %.6g)",
                            sd, mean, sqrt(spread));
    double k = spread / (sd * sd) - 1;
    if (fmax(mean, 1 - mean) * k > FMC_LAW_MAX_BETA_SHAPE)
        return fmc_law_fail(why, "sd", "beta sd %g is so small that the shapes pass %g, where "
                            "quantiles cannot be computed; so narrow a law is a constant", sd,
                            FMC_LAW_MAX_BETA_SHAPE);
    return fmc_dist_set_beta(d, mean * k, (1 - mean) * k, why);
}

/* VALUES follow the keys: alpha, beta, mean, sd. */
static fmc_status set(fmc_dist *d, int form, const fmc_dist_value *v, fmc_dist_problem *why)
{
    return form == 2 ? fmc_dist_set_beta_mean_sd(d, v[2].number, v[3].number, why)
                     : fmc_dist_set_beta(d, v[0].number, v[1].number, why);
}

double fmc_law_beta_variance(double a, double b)
{
    return a * b / ((a + b) * (a + b) * (a + b + 1));
}

double fmc_law_beta_quantile(const fmc_dist *d, double p, int upper)
{
    return upper ? gsl_cdf_beta_Qinv(p, d->shape1, d->shape2)
                 : gsl_cdf_beta_Pinv(p, d->shape1, d->shape2);
}

static double mean(const fmc_dist *d)
{
    return d->shape1 / (d->shape1 + d->shape2);
}

static double variance(const fmc_dist *d)
{
    return fmc_law_beta_variance(d->shape1, d->shape2);
}

static double cdf(const fmc_dist *d, double x)
{
    return x <= 0 ? 0 : x >= 1 ? 1 : gsl_cdf_beta_P(x, d->shape1, d->shape2);
}

static double tail(const fmc_dist *d, double y, int upper)
{
    return upper ? gsl_cdf_beta_Q(y, d->shape1, d->shape2)
                 : gsl_cdf_beta_P(y, d->shape1, d->shape2);
}

static double density(const fmc_dist *d, double y)
{
    return gsl_ran_beta_pdf(y, d->shape1, d->shape2);
}

static double bracket(const fmc_dist *d)
{
    (void)d;
    return 1;
}

static const fmc_dist_roots roots = {tail, density, bracket, 1, 0};
const fmc_dist_roots fmc_law_scaled_beta_roots = {tail, density, bracket, 1, 1};

const fmc_dist_type fmc_dist_beta = {
    .name = "beta",
    .params = {{"alpha", 1, 0, 1, 0}, {"beta", 1, 0, 1, 0},
               {"mean", 2, 0, 1, 0}, {"sd", 2, 0, 1, 0}},
    .set = set,
    .mean = mean,
    .variance = variance,
    .cdf = cdf,
    .quantile = fmc_law_beta_quantile,
    .sampling = FMC_SAMPLING_TABLE,
    .roots = &roots,
};
