/* Triangular law on [min, max] with its peak at mode.  With F(mode) =
 * (mode - min) / (max - min), the quantile is min + sqrt(u (max - min)
 * (mode - min)) below F(mode) and max - sqrt((1 - u) (max - min)
 * (max - mode)) above. */
#include <math.h>

#include "funnelmc/sampler.h"
#include "law.h"
#include "../dispatch.h"

fmc_status fmc_law_check_min_mode_max(const char *name, double min, double mode, double max,
                                      fmc_dist_problem *why)
{
    if (fmc_law_need_finite(why, "min", min) || fmc_law_need_finite(why, "mode", mode) ||
        fmc_law_need_finite(why, "max", max))
        return FMC_EINVAL;
    if (!(min < max))
        return fmc_law_fail(why, "max", "%s needs min < max (min %g, max %g)", name, min, max);
    if (!(min <= mode && mode <= max))
        return fmc_law_fail(why, "mode",
                            "%s needs min <= mode <= max (mode %g outside [%g, %g])", name, mode,
                            min, max);
    return FMC_OK;
}

fmc_status fmc_dist_set_triangular(fmc_dist *d, double min, double mode, double max,
                                   fmc_dist_problem *why)
{
    if (fmc_law_check_min_mode_max("triangular", min, mode, max, why))
        return FMC_EINVAL;
    fmc_law_reset(d, FMC_DIST_TRIANGULAR);
    d->min = min;
    d->mode = mode;
    d->max = max;
    return FMC_OK;
}

static fmc_status set(fmc_dist *d, int form, const fmc_dist_value *v, fmc_dist_problem *why)
{
    (void)form;
    return fmc_dist_set_triangular(d, v[0].number, v[1].number, v[2].number, why);
}

static double mean(const fmc_dist *d)
{
    return (d->min + d->mode + d->max) / 3;
}

static double variance(const fmc_dist *d)
{
    double a = d->min, b = d->max, c = d->mode;
    return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
}

static double cdf(const fmc_dist *d, double x)
{
    double a = d->min, b = d->max, c = d->mode;
    if (x <= a)
        return 0;
    if (x >= b)
        return 1;
    if (x < c)
        return (x - a) * (x - a) / ((b - a) * (c - a));
    return 1 - (b - x) * (b - x) / ((b - a) * (b - c));
}

static double quantile(const fmc_dist *d, double p, int upper)
{
    double a = d->min, b = d->max, c = d->mode;
    double below_mode = (c - a) / (b - a);
    double lower_p = upper ? 1 - p : p, upper_p = upper ? p : 1 - p;
    if (lower_p < below_mode)
        return a + sqrt(lower_p * (b - a) * (c - a));
    return b - sqrt(upper_p * (b - a) * (b - c));
}

/* Branch-free, one square root: the side of the mode is a coin flip per
 * sample, which a branch would mispredict half the time.  The upper side
 * takes 1 - u from the complemented word, which is exact. */
FMC_HOT_LOOP
static void transform(const fmc_dist *d, const uint32_t *restrict words, double *restrict values,
                      size_t count)
{
    const double min = d->min, max = d->max;
    const double split = (d->mode - d->min) / (d->max - d->min);
    const double left_scale = (d->max - d->min) * (d->mode - d->min);
    const double right_scale = (d->max - d->min) * (d->max - d->mode);
    for (size_t i = 0; i < count; i++) {
        double u = fmc_word_to_uniform(words[i]), v = fmc_word_to_uniform(~words[i]);
        int left = u < split;
        double root = sqrt(left ? u * left_scale : v * right_scale);
        values[i] = left ? min + root : max - root;
    }
}

const fmc_dist_type fmc_dist_triangular = {
    .name = "triangular",
    .params = {{"min", 0, 0, 1, 0}, {"mode", 0, 0, 1, 0}, {"max", 0, 0, 1, 0}},
    .set = set,
    .mean = mean,
    .variance = variance,
    .cdf = cdf,
    .quantile = quantile,
    .sampling = FMC_SAMPLING_CLOSED_FORM,
    .transform = transform,
};
