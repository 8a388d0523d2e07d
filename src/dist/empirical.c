/* Empirical law: resampling of observed values, each with probability
 * 1 / count; see points.c. */
#include "law.h"

fmc_status fmc_dist_set_empirical(fmc_dist *d, const double *data, size_t count,
                                  fmc_dist_problem *why)
{
    return fmc_law_set_points(d, FMC_DIST_EMPIRICAL, "data", data, NULL, count, why);
}

static fmc_status set(fmc_dist *d, int form, const fmc_dist_value *v, fmc_dist_problem *why)
{
    (void)form;
    return fmc_dist_set_empirical(d, v[0].list, v[0].length, why);
}

const fmc_dist_type fmc_dist_empirical = {
    .name = "empirical",
    .params = {{"data", 0, 1, 1, 0}},
    .set = set,
    .mean = fmc_law_points_mean,
    .variance = fmc_law_points_variance,
    .cdf = fmc_law_points_cdf,
    .quantile = fmc_law_points_quantile,
    .sampling = FMC_SAMPLING_SEARCH,
    .discrete = 1,
};
