/* What the run layout holds of a horizon: /horizon, /horizon/payback, and
 * the per-period figures of /levers (docs/hdf5-layout.md).  Every
 * per-period dataset has the group's `period` dataset attached as the
 * dimension scale of its period axis, so xarray shows periods as a
 * coordinate. */
#include <hdf5_hl.h>
#include <stdlib.h>
#include "funnelmc/stats.h"
#include "results_internal.h"

herr_t fmc_h5_periods(hid_t group, uint32_t periods)
{
    uint64_t *numbers = malloc(periods * sizeof *numbers);
    for (uint32_t t = 0; numbers && t < periods; t++)
        numbers[t] = t + 1;
    herr_t status = numbers && fmc_h5_u64s(group, "period", periods, numbers) >= 0
                        ? fmc_h5_scale(group, "period")
                        : -1;
    free(numbers);
    return status;
}

/* /horizon/payback: the distribution of the payback period P. */
static herr_t write_payback(hid_t horizon, const fmc_payback_summary *p)
{
    hid_t group = fmc_h5_make_group(horizon, "payback");
    if (group < 0)
        return -1;
    const fmc_h5_attribute attributes[] = {
        FMC_H5_ATTR_U64("never", p->counts[p->periods]),
        FMC_H5_ATTR_DOUBLE("median", p->median),
        FMC_H5_ATTR_DOUBLE("p_never", p->p_never),
        FMC_H5_ATTR_DOUBLE("p_never_se", p->p_never_se)};
    herr_t status = -1;
    if (fmc_h5_periods(group, p->periods) >= 0 &&
        fmc_h5_u64s(group, "counts", p->periods, p->counts) >= 0 &&
        fmc_h5_attach(group, "counts", (const char *const[]){"period"}) >= 0 &&
        fmc_h5_attributes(group, attributes, FMC_COUNT_OF(attributes)) >= 0 &&
        H5LTset_attribute_double(group, ".", "median_ci", p->median_ci, 2) >= 0)
        status = 0;
    H5Gclose(group);
    return status;
}

herr_t fmc_h5_horizon(hid_t file, const fmc_horizon_result *h, double confidence)
{
    size_t T = h->periods, k = FMC_QUANTILE_COUNT;
    herr_t status = -1;
    double *columns = malloc(T * (7 + 3 * k) * sizeof *columns);
    hid_t group = fmc_h5_make_group(file, "horizon");
    if (!columns || group < 0 || fmc_h5_periods(group, h->periods) < 0)
        goto done;
    double *mean = columns, *se = columns + T, *sd = columns + 2 * T, *ci = columns + 3 * T;
    double *p_loss = columns + 5 * T, *p_loss_se = columns + 6 * T;
    double *quantiles = columns + 7 * T, *quantiles_ci = quantiles + T * k;
    for (size_t t = 0; t < T; t++) {
        const fmc_output_summary *o = &h->profit[t];
        mean[t] = o->mean;
        se[t] = o->se;
        sd[t] = o->sd;
        ci[2 * t] = o->mean_ci[0];
        ci[2 * t + 1] = o->mean_ci[1];
        p_loss[t] = o->p_loss;
        p_loss_se[t] = o->p_loss_se;
        for (size_t q = 0; q < k; q++) {
            quantiles[t * k + q] = o->quantiles[q];
            quantiles_ci[(t * k + q) * 2] = o->quantile_ci[q][0];
            quantiles_ci[(t * k + q) * 2 + 1] = o->quantile_ci[q][1];
        }
    }
    const fmc_h5_attribute attributes[] = {
        FMC_H5_ATTR_U64("periods", h->periods),
        FMC_H5_ATTR_DOUBLE("discount_rate", h->discount_rate),
        FMC_H5_ATTR_DOUBLE("confidence", confidence)};
    /* the probability levels of an interval's two ends: every dimension of a
     * dataset has a scale, as netCDF readers (h5netcdf, xarray) require */
    const double bound[2] = {(1 - confidence) / 2, (1 + confidence) / 2};
    const fmc_h5_dataset sets[] = {
        {"profit_mean", mean, 1, {T}, {"period"}},
        {"profit_se", se, 1, {T}, {"period"}},
        {"profit_sd", sd, 1, {T}, {"period"}},
        {"profit_mean_ci", ci, 2, {T, 2}, {"period", "bound"}},
        {"profit_quantiles", quantiles, 2, {T, k}, {"period", "profit_quantile_levels"}},
        {"profit_quantiles_ci", quantiles_ci, 3, {T, k, 2},
         {"period", "profit_quantile_levels", "bound"}},
        {"p_loss", p_loss, 1, {T}, {"period"}},
        {"p_loss_se", p_loss_se, 1, {T}, {"period"}}};
    if (fmc_h5_attributes(group, attributes, FMC_COUNT_OF(attributes)) < 0 ||
        fmc_h5_coordinate_doubles(group, "profit_quantile_levels", k, fmc_quantile_levels) < 0 ||
        fmc_h5_coordinate_doubles(group, "bound", 2, bound) < 0 ||
        fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets)) < 0 ||
        write_payback(group, &h->payback) < 0)
        goto done;
    status = 0;
done:
    if (group >= 0)
        H5Gclose(group);
    free(columns);
    return status;
}

herr_t fmc_h5_lever_periods(hid_t levers, const fmc_lever_results *r)
{
    size_t L = r->count, T = r->periods;
    herr_t status = -1;
    double *columns = malloc((L ? L : 1) * 5 * sizeof *columns);
    uint64_t *counts = malloc((L ? L : 1) * (T + 1) * sizeof *counts);
    if (!columns || !counts || fmc_h5_periods(levers, r->periods) < 0)
        goto done;
    double *median = columns, *median_ci = columns + L, *p_never = columns + 3 * L;
    double *p_never_se = columns + 4 * L;
    for (size_t l = 0; l < L; l++) {
        const fmc_payback_summary *p = &r->payback[l];
        median[l] = p->median;
        median_ci[2 * l] = p->median_ci[0];
        median_ci[2 * l + 1] = p->median_ci[1];
        p_never[l] = p->p_never;
        p_never_se[l] = p->p_never_se;
        for (size_t t = 0; t <= T; t++)
            counts[l * (T + 1) + t] = p->counts[t];
    }
    const fmc_h5_dataset periodic[] = {
        {"period_gain", r->period_gain, 2, {L, T}, {"lever", "period"}},
        {"period_gain_se", r->period_gain_se, 2, {L, T}, {"lever", "period"}},
        {"period_net", r->period_net, 2, {L, T}, {"lever", "period"}},
        {"period_net_se", r->period_net_se, 2, {L, T}, {"lever", "period"}}};
    const fmc_h5_dataset payback[] = {
        {"payback_median", median, 1, {L}, {"lever"}},
        {"payback_median_ci", median_ci, 2, {L, 2}, {"lever", "bound"}},
        {"payback_p_never", p_never, 1, {L}, {"lever"}},
        {"payback_p_never_se", p_never_se, 1, {L}, {"lever"}}};
    const hsize_t count_dims[2] = {L, T + 1};
    /* payback_counts' second axis: periods 1 .. T, then "never" */
    if (fmc_h5_datasets(levers, periodic, FMC_COUNT_OF(periodic)) < 0 ||
        fmc_h5_datasets(levers, payback, FMC_COUNT_OF(payback)) < 0 ||
        H5LTmake_dataset(levers, "payback_counts", 2, count_dims, H5T_NATIVE_UINT64, counts) < 0 ||
        fmc_h5_dimension(levers, "payback_period", T + 1) < 0 ||
        fmc_h5_attach(levers, "payback_counts", (const char *const[]){"lever", "payback_period"}) < 0)
        goto done;
    status = 0;
done:
    free(columns);
    free(counts);
    return status;
}
