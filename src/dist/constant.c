/* A constant: every draw is the value. */
#include <math.h>

#include "funnelmc/sampler.h"
#include "law.h"

fmc_status fmc_dist_set_constant(fmc_dist *d, double value, fmc_dist_problem *why)
{
    if (fmc_law_need_finite(why, "value", value))
        return FMC_EINVAL;
    fmc_law_reset(d, FMC_DIST_CONSTANT);
    d->min = d->max = d->mode = value;
    return FMC_OK;
}

static fmc_status set(fmc_dist *d, int form, const fmc_dist_value *v, fmc_dist_problem *why)
{
    (void)form;
    return fmc_dist_set_constant(d, v[0].number, why);
}

static double mean(const fmc_dist *d)
{
    return d->min;
}

static double variance(const fmc_dist *d)
{
    (void)d;
    return 0;
}

static double cdf(const fmc_dist *d, double x)
{
    return x >= d->min ? 1 : 0;
}

static double quantile(const fmc_dist *d, double p, int upper)
{
    (void)p;
    (void)upper;
    return d->min;
}

static void transform(const fmc_dist *d, const uint32_t *words, double *values, size_t count)
{
    (void)words;
    const double value = d->min;
    for (size_t i = 0; i < count; i++)
        values[i] = value;
}

const fmc_dist_type fmc_dist_constant = {
    .name = "constant",
    .params = {{"value", 0, 0, 1, 0}},
    .set = set,
    .mean = mean,
    .variance = variance,
    .cdf = cdf,
    .quantile = quantile,
    .sampling = FMC_SAMPLING_CLOSED_FORM,
    .transform = transform,
    .discrete = 1,
};
