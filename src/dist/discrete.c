/* Discrete law: values with non-negative weights (not all zero, need not
 * sum to 1); see points.c. */
#include "law.h"

fmc_status fmc_dist_set_discrete(fmc_dist *d, const double *values, const double *weights,
                                 size_t count, fmc_dist_problem *why)
{
    return fmc_law_set_points(d, FMC_DIST_DISCRETE, "values", values, weights, count, why);
}

static fmc_status set(fmc_dist *d, int form, const fmc_dist_value *v, fmc_dist_problem *why)
{
    (void)form;
    if (v[1].length != v[0].length)
        return fmc_law_fail(why, "weights", "%zu weights given for %zu values", v[1].length,
                            v[0].length);
    return fmc_dist_set_discrete(d, v[0].list, v[1].list, v[0].length, why);
}

const fmc_dist_type fmc_dist_discrete = {
    .name = "discrete",
    .params = {{"values", 0, 1, 1, 0}, {"weights", 0, 1, 1, 0}},
    .set = set,
    .mean = fmc_law_points_mean,
    .variance = fmc_law_points_variance,
    .cdf = fmc_law_points_cdf,
    .quantile = fmc_law_points_quantile,
    .sampling = FMC_SAMPLING_SEARCH,
    .discrete = 1,
};
