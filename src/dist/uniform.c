/* Uniform law on [min, max]: x = min + (max - min) u. */
#include <math.h>

#include "funnelmc/sampler.h"
#include "law.h"
#include "../dispatch.h"

fmc_status fmc_dist_set_uniform(fmc_dist *d, double min, double max, fmc_dist_problem *why)
{
    if (fmc_law_need_finite(why, "min", min) || fmc_law_need_finite(why, "max", max))
        return FMC_EINVAL;
    if (!(min < max))
        return fmc_law_fail(why, "max", "uniform needs min < max (min %g, max %g)", min, max);
    fmc_law_reset(d, FMC_DIST_UNIFORM);
    d->min = min;
    d->max = max;
    return FMC_OK;
}

static fmc_status set(fmc_dist *d, int form, const fmc_dist_value *v, fmc_dist_problem *why)
{
    (void)form;
    return fmc_dist_set_uniform(d, v[0].number, v[1].number, why);
}

static double mean(const fmc_dist *d)
{
    return 0.5 * (d->min + d->max);
}

static double variance(const fmc_dist *d)
{
    return (d->max - d->min) * (d->max - d->min) / 12;
}

static double cdf(const fmc_dist *d, double x)
{
    double a = d->min, b = d->max;
    return x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a);
}

static double quantile(const fmc_dist *d, double p, int upper)
{
    double a = d->min, b = d->max;
    return upper ? b - p * (b - a) : a + p * (b - a);
}

FMC_HOT_LOOP
static void transform(const fmc_dist *d, const uint32_t *restrict words, double *restrict values,
                      size_t count)
{
    const double a = d->min, width = d->max - d->min;
    for (size_t i = 0; i < count; i++)
        values[i] = a + width * fmc_word_to_uniform(words[i]);
}

const fmc_dist_type fmc_dist_uniform = {
    .name = "uniform",
    .params = {{"min", 0, 0, 1, 0}, {"max", 0, 0, 1, 0}},
    .set = set,
    .mean = mean,
    .variance = variance,
    .cdf = cdf,
    .quantile = quantile,
    .sampling = FMC_SAMPLING_CLOSED_FORM,
    .transform = transform,
};
