/* What the run layout holds of the best set of levers for a budget:
 * /portfolio (docs/hdf5-layout.md), the best sets in rank order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "funnelmc/results.h"
#include "funnelmc/stats.h"
#include "results_internal.h"

void fmc_h5_objective_name(fmc_objective objective, size_t percentile, char *out, size_t size)
{
    if (objective == FMC_OBJECTIVE_MEAN)
        snprintf(out, size, "mean");
    else if (objective == FMC_OBJECTIVE_P_PROFIT)
        snprintf(out, size, "p_profit");
    else
        snprintf(out, size, "p%.0f", 100 * fmc_quantile_levels[percentile]);
}

/* `in_set`, SETS x LEVERS bytes: 1 where the set holds the lever. */
static herr_t write_in_set(hid_t group, const fmc_portfolio_result *p)
{
    unsigned char cells[FMC_PORTFOLIO_REPORTED * FMC_MAX_BUDGET_LEVERS];
    for (size_t r = 0; r < p->count; r++)
        for (size_t l = 0; l < p->levers; l++)
            cells[r * p->levers + l] = (unsigned char)(p->sets[r].members >> l & 1);
    hsize_t dims[2] = {p->count, p->levers};
    hid_t space = H5Screate_simple(2, dims, NULL);
    hid_t set = space < 0 ? H5I_INVALID_HID
                          : H5Dcreate2(group, "in_set", H5T_STD_U8LE, space, H5P_DEFAULT,
                                       H5P_DEFAULT, H5P_DEFAULT);
    herr_t status = set < 0 ? -1 : H5Dwrite(set, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                             cells);
    if (set >= 0)
        H5Dclose(set);
    if (space >= 0)
        H5Sclose(space);
    return status;
}

fmc_status fmc_results_write_portfolio(fmc_h5file *f, const fmc_scenario *s,
                                       const fmc_portfolio_result *p)
{
    enum { N = FMC_PORTFOLIO_REPORTED };
    size_t S = p->count, L = p->levers;
    double objective[N], objective_se[N], objective_ci[2 * N], net[N], net_se[N];
    double hours[N], money[N], over[N], over_se[N];
    for (size_t r = 0; r < S; r++) {
        const fmc_portfolio_set *set = &p->sets[r];
        objective[r] = set->objective;
        objective_se[r] = set->objective_se;
        objective_ci[2 * r] = set->objective_ci[0];
        objective_ci[2 * r + 1] = set->objective_ci[1];
        net[r] = set->net_mean;
        net_se[r] = set->net_se;
        hours[r] = set->extra_hours;
        money[r] = set->extra_money;
        over[r] = set->p_over;
        over_se[r] = set->p_over_se;
    }
    const char *names[FMC_MAX_BUDGET_LEVERS];
    for (size_t l = 0; l < L; l++)
        names[l] = s->levers[l].name;
    char objective_text[16];
    fmc_h5_objective_name(p->objective, p->percentile, objective_text, sizeof objective_text);
    const fmc_h5_attribute attributes[] = {
        FMC_H5_ATTR_TEXT("objective", objective_text),
        FMC_H5_ATTR_DOUBLE("budget_hours", p->budget_hours),
        FMC_H5_ATTR_DOUBLE("budget_money", p->budget_money),
        FMC_H5_ATTR_U64("screen_samples", p->screen_samples),
        FMC_H5_ATTR_U64("screened_sets", p->screened),
        FMC_H5_ATTR_U64("candidates", p->candidates),
        FMC_H5_ATTR_DOUBLE("p_best_beats_second", p->p_best_beats_second),
        FMC_H5_ATTR_DOUBLE("p_best_beats_second_se", p->p_best_beats_second_se),
    };
    /* `rank`: the sets in rank order, best first */
    const fmc_h5_dataset sets[] = {
        {"objective_value", objective, 1, {S}, {"rank"}},
        {"objective_se", objective_se, 1, {S}, {"rank"}},
        {"objective_ci", objective_ci, 2, {S, 2}, {"rank", "bound"}},
        {"net_profit", net, 1, {S}, {"rank"}},
        {"net_profit_se", net_se, 1, {S}, {"rank"}},
        {"extra_hours", hours, 1, {S}, {"rank"}},
        {"extra_money", money, 1, {S}, {"rank"}},
        {"p_over_budget", over, 1, {S}, {"rank"}},
        {"p_over_budget_se", over_se, 1, {S}, {"rank"}},
    };
    hid_t group = fmc_h5_make_group(fmc_h5file_handle(f), "portfolio");
    herr_t status = group < 0 ? -1 : fmc_h5_attributes(group, attributes, FMC_COUNT_OF(attributes));
    if (status >= 0)
        status = fmc_h5_coordinate_strings(group, "lever", names, L);
    if (status >= 0)
        status = fmc_h5_dimension(group, "rank", S);
    if (status >= 0)
        status = fmc_h5_bounds(group);
    if (status >= 0)
        status = write_in_set(group, p);
    if (status >= 0)
        status = fmc_h5_attach(group, "in_set", (const char *const[]){"rank", "lever"});
    if (status >= 0)
        status = fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets));
    if (group >= 0)
        H5Gclose(group);
    return status < 0 ? FMC_EHDF5 : FMC_OK;
}
