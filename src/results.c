/* The run layout: root attributes, /inputs, /outputs, /tornado,
 * /sensitivity and /levers (docs/hdf5-layout.md); /horizon and the levers'
 * per-period figures in src/results_horizon.c. */
#include "funnelmc/results.h"

#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include "funnelmc/sensitivity.h"

#include "results_internal.h"

static herr_t write_root(hid_t file, const fmc_scenario *s, const fmc_run_result *r)
{
    const fmc_h5_attribute stopping[] = {
        FMC_H5_ATTR_DOUBLE("profit_mean_half_width", r->mean_half_width),
        FMC_H5_ATTR_DOUBLE("precision_mean", r->precision_target),
        FMC_H5_ATTR_U64("precision_mean_met", r->precision_met)};
    if (fmc_h5_identity(file, s, r->seed, r->samples) < 0 ||
        fmc_h5_attributes(file, stopping, FMC_COUNT_OF(stopping)) < 0 ||
        fmc_h5_design(file, &r->design) < 0)
        return -1;
    return 0;
}

static herr_t write_output(hid_t parent, const char *name, const fmc_output_summary *o,
                           double base)
{
    herr_t status = -1;
    hid_t group = fmc_h5_make_group(parent, name);
    if (group < 0)
        return -1;
    const fmc_h5_attribute attributes[] = {
        FMC_H5_ATTR_DOUBLE("mean", o->mean),
        FMC_H5_ATTR_DOUBLE("sd", o->sd),
        FMC_H5_ATTR_DOUBLE("se", o->se),
        FMC_H5_ATTR_DOUBLE("min", o->min),
        FMC_H5_ATTR_DOUBLE("max", o->max),
        FMC_H5_ATTR_DOUBLE("p_loss", o->p_loss),
        FMC_H5_ATTR_DOUBLE("p_loss_se", o->p_loss_se),
        FMC_H5_ATTR_DOUBLE("base", base),
        FMC_H5_ATTR_U64("count", o->count),
        FMC_H5_ATTR_U64("undefined", o->undefined),
        FMC_H5_ATTR_DOUBLE("quantile_resolution", o->quantile_resolution)};
    const fmc_h5_dataset sets[] = {
        {"quantiles", o->quantiles, 1, {FMC_QUANTILE_COUNT}, {"quantile_levels"}},
        {"quantiles_ci", &o->quantile_ci[0][0], 2, {FMC_QUANTILE_COUNT, 2},
         {"quantile_levels", "bound"}}};
    if (fmc_h5_attributes(group, attributes, FMC_COUNT_OF(attributes)) < 0 ||
        fmc_h5_bounds(group) < 0 || fmc_h5_dimension(group, "bin", FMC_HIST_BINS) < 0 ||
        fmc_h5_coordinate_doubles(group, "quantile_levels", FMC_QUANTILE_COUNT,
                                  fmc_quantile_levels) < 0 ||
        fmc_h5_coordinate_doubles(group, "hist_edges", FMC_HIST_BINS + 1, o->hist_edges) < 0 ||
        fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets)) < 0 ||
        fmc_h5_u64s(group, "hist_counts", FMC_HIST_BINS, o->hist_counts) < 0 ||
        fmc_h5_attach(group, "hist_counts", (const char *const[]){"bin"}) < 0 ||
        H5LTset_attribute_double(group, ".", "mean_ci", o->mean_ci, 2) < 0)
        goto done;
    status = 0;
done:
    H5Gclose(group);
    return status;
}

static herr_t write_outputs(hid_t file, const fmc_run_result *r)
{
    hid_t group = fmc_h5_make_group(file, "outputs");
    if (group < 0)
        return -1;
    herr_t status = 0;
    for (int k = 0; k < FMC_SUMMARY_COUNT && status >= 0; k++) {
        /* ROI exists only where cost > 0: no group when it never is. */
        if (r->outputs[k].count == 0)
            continue;
        status = write_output(group, fmc_output_name((fmc_output_id)k), &r->outputs[k],
                              r->base[k]);
    }
    H5Gclose(group);
    return status;
}

fmc_status fmc_results_write_run(fmc_h5file *f, const fmc_scenario *s, const fmc_run_result *r)
{
    hid_t file = fmc_h5file_handle(f);
    if (write_root(file, s, r) < 0 || fmc_h5_inputs(file, s) < 0 || write_outputs(file, r) < 0 ||
        (r->horizon.periods && fmc_h5_horizon(file, &r->horizon, s->confidence) < 0) ||
        (r->correlations.count && fmc_h5_correlations(file, s, &r->correlations) < 0))
        return FMC_EHDF5;
    return FMC_OK;
}

/* The names of the inputs of SCENARIO in scenario order (ORDER NULL) or in
 * ORDER's; free the array (not the names).  NULL when out of memory. */
static const char **input_names(const fmc_scenario *s, const size_t *order, size_t count)
{
    const char **names = malloc((count ? count : 1) * sizeof *names);
    for (size_t j = 0; names && j < count; j++)
        names[j] = s->inputs[order ? order[j] : j].name;
    return names;
}

fmc_status fmc_results_write_tornado(fmc_h5file *f, const fmc_scenario *s, const fmc_tornado *t)
{
    fmc_status status = FMC_EHDF5;
    const char **names = input_names(s, t->order, t->count);
    hid_t group = fmc_h5_open_group(fmc_h5file_handle(f), "tornado");
    if (!names || group < 0)
        goto done;
    size_t n = t->count;
    const fmc_h5_dataset sets[] = {
        {"low_value", t->low_value, 1, {n}, {"input"}},
        {"high_value", t->high_value, 1, {n}, {"input"}},
        {"low_profit", t->low_profit, 1, {n}, {"input"}},
        {"high_profit", t->high_profit, 1, {n}, {"input"}},
        {"swing", t->swing, 1, {n}, {"input"}},
        {"spider_value", t->spider_value, 2, {n, FMC_SPIDER_LEVELS}, {"input", "spider_levels"}},
        {"spider_profit", t->spider_profit, 2, {n, FMC_SPIDER_LEVELS},
         {"input", "spider_levels"}}};
    const fmc_h5_attribute attributes[] = {
        FMC_H5_ATTR_DOUBLE("low_percentile", t->low_percentile),
        FMC_H5_ATTR_DOUBLE("high_percentile", t->high_percentile),
        FMC_H5_ATTR_DOUBLE("base_profit", t->base_profit)};
    if (fmc_h5_coordinate_strings(group, "input", names, n) < 0 ||
        fmc_h5_coordinate_doubles(group, "spider_levels", FMC_SPIDER_LEVELS, t->spider_levels) < 0 ||
        fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets)) < 0 ||
        fmc_h5_attributes(group, attributes, FMC_COUNT_OF(attributes)) < 0)
        goto done;
    status = FMC_OK;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    return status;
}

/* /sensitivity/input, the coordinate of its per-input arrays, and its
 * `bound`, unless another writer of the group made them. */
static herr_t sensitivity_inputs(hid_t group, const char *const *names, size_t d)
{
    if (H5Lexists(group, "input", H5P_DEFAULT) > 0)
        return 0;
    return fmc_h5_coordinate_strings(group, "input", names, d) < 0 ? -1 : fmc_h5_bounds(group);
}

fmc_status fmc_results_write_drivers(fmc_h5file *f, const fmc_scenario *s,
                                     const fmc_drivers_result *r)
{
    fmc_status status = FMC_EHDF5;
    size_t d = s->input_count;
    const char **names = input_names(s, NULL, d);
    hid_t file = fmc_h5file_handle(f);
    hid_t sensitivity = fmc_h5_open_group(file, "sensitivity"), tornado = H5I_INVALID_HID;
    hid_t monte_carlo = H5I_INVALID_HID;
    if (!names || sensitivity < 0 || (tornado = fmc_h5_open_group(file, "tornado")) < 0 ||
        (monte_carlo = fmc_h5_make_group(tornado, "monte_carlo")) < 0)
        goto done;
    const fmc_h5_dataset measures[] = {
        {"spearman", r->spearman, 1, {d}, {"input"}},
        {"spearman_se", r->spearman_se, 1, {d}, {"input"}},
        {"contribution_to_variance", r->contribution, 1, {d}, {"input"}},
        {"src", r->src, 1, {d}, {"input"}},
        {"src_se", r->src_se, 1, {d}, {"input"}}};
    const fmc_h5_attribute fit[] = {
        FMC_H5_ATTR_DOUBLE("r_squared", r->r_squared),
        FMC_H5_ATTR_DOUBLE("spearman_resolution", r->spearman_resolution)};
    const fmc_h5_dataset bins[] = {
        {"bin_edges", r->bin_edges, 2, {d, FMC_TORNADO_BINS + 1}, {"input", "edge"}},
        {"bin_mean", r->bin_mean, 2, {d, FMC_TORNADO_BINS}, {"input", "bin"}},
        {"bin_mean_se", r->bin_mean_se, 2, {d, FMC_TORNADO_BINS}, {"input", "bin"}},
        {"mean_low", r->mean_low, 1, {d}, {"input"}},
        {"mean_high", r->mean_high, 1, {d}, {"input"}},
        {"mean_range_se", r->mean_range_se, 1, {d}, {"input"}}};
    if (sensitivity_inputs(sensitivity, names, d) < 0 ||
        fmc_h5_datasets(sensitivity, measures, FMC_COUNT_OF(measures)) < 0 ||
        fmc_h5_attributes(sensitivity, fit, FMC_COUNT_OF(fit)) < 0 ||
        fmc_h5_coordinate_strings(monte_carlo, "input", names, d) < 0 ||
        fmc_h5_dimension(monte_carlo, "edge", FMC_TORNADO_BINS + 1) < 0 ||
        fmc_h5_dimension(monte_carlo, "bin", FMC_TORNADO_BINS) < 0 ||
        fmc_h5_datasets(monte_carlo, bins, FMC_COUNT_OF(bins)) < 0)
        goto done;
    status = FMC_OK;
done:
    if (monte_carlo >= 0)
        H5Gclose(monte_carlo);
    if (tornado >= 0)
        H5Gclose(tornado);
    if (sensitivity >= 0)
        H5Gclose(sensitivity);
    free(names);
    return status;
}

/* /levers/pairs: each pair of levers applied together. */
static herr_t write_lever_pairs(hid_t levers, const fmc_scenario *s, const fmc_lever_results *r)
{
    size_t P = r->pairs;
    herr_t status = -1;
    const char **names = malloc(2 * P * sizeof *names);
    double *columns = malloc(12 * P * sizeof *columns);
    hid_t group = fmc_h5_make_group(levers, "pairs");
    if (!names || !columns || group < 0)
        goto done;
    double *combined = columns, *combined_ci = columns + P, *interaction = columns + 3 * P;
    double *interaction_se = columns + 4 * P, *interaction_ci = columns + 5 * P;
    double *net = columns + 7 * P, *net_se = columns + 8 * P, *net_ci = columns + 9 * P;
    double *combined_se = columns + 11 * P;
    for (size_t q = 0; q < P; q++) {
        names[q] = s->levers[r->pair_first[q]].name;
        names[P + q] = s->levers[r->pair_second[q]].name;
        combined[q] = r->combined[q].mean;
        combined_se[q] = r->combined[q].se;
        combined_ci[2 * q] = r->combined[q].mean_ci[0];
        combined_ci[2 * q + 1] = r->combined[q].mean_ci[1];
        interaction[q] = r->interaction[q].mean;
        interaction_se[q] = r->interaction[q].se;
        interaction_ci[2 * q] = r->interaction[q].mean_ci[0];
        interaction_ci[2 * q + 1] = r->interaction[q].mean_ci[1];
        net[q] = r->pair_net[q].mean;
        net_se[q] = r->pair_net[q].se;
        net_ci[2 * q] = r->pair_net[q].mean_ci[0];
        net_ci[2 * q + 1] = r->pair_net[q].mean_ci[1];
    }
    const fmc_h5_dataset sets[] = {
        {"combined_gain", combined, 1, {P}, {"pair"}},
        {"combined_gain_se", combined_se, 1, {P}, {"pair"}},
        {"combined_gain_ci", combined_ci, 2, {P, 2}, {"pair", "bound"}},
        {"interaction", interaction, 1, {P}, {"pair"}},
        {"interaction_se", interaction_se, 1, {P}, {"pair"}},
        {"interaction_ci", interaction_ci, 2, {P, 2}, {"pair", "bound"}},
        {"net_gain", net, 1, {P}, {"pair"}},
        {"net_gain_se", net_se, 1, {P}, {"pair"}},
        {"net_gain_ci", net_ci, 2, {P, 2}, {"pair", "bound"}}};
    const char *const pair[] = {"pair"};
    if (fmc_h5_dimension(group, "pair", P) < 0 || fmc_h5_bounds(group) < 0 ||
        fmc_h5_strings(group, "first", names, P) < 0 ||
        fmc_h5_attach(group, "first", pair) < 0 ||
        fmc_h5_strings(group, "second", names + P, P) < 0 ||
        fmc_h5_attach(group, "second", pair) < 0 ||
        fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets)) < 0)
        goto done;
    status = 0;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    free(columns);
    return status;
}

fmc_status fmc_results_write_levers(fmc_h5file *f, const fmc_scenario *s,
                                    const fmc_lever_results *r, double confidence)
{
    size_t L = r->count, k = FMC_QUANTILE_COUNT;
    fmc_status status = FMC_EHDF5;
    const char **names = malloc((L ? L : 1) * sizeof *names);
    double *columns = malloc((L ? L : 1) * (8 + 3 * k) * sizeof *columns);
    hid_t group = fmc_h5_make_group(fmc_h5file_handle(f), "levers");
    if (!names || !columns || group < 0)
        goto done;
    double *mean = columns, *se = columns + L, *ci = columns + 2 * L, *net = columns + 4 * L;
    double *net_ci = columns + 5 * L, *quantiles = columns + 7 * L;
    double *quantiles_ci = quantiles + L * k, *net_se = quantiles_ci + 2 * L * k;
    for (size_t l = 0; l < L; l++) {
        const fmc_output_summary *g = &r->gain[l], *n = &r->net[l];
        names[l] = s->levers[l].name;
        mean[l] = g->mean;
        se[l] = g->se;
        net[l] = n->mean;
        net_se[l] = n->se;
        ci[2 * l] = g->mean_ci[0];
        ci[2 * l + 1] = g->mean_ci[1];
        net_ci[2 * l] = n->mean_ci[0];
        net_ci[2 * l + 1] = n->mean_ci[1];
        for (size_t q = 0; q < k; q++) {
            quantiles[l * k + q] = g->quantiles[q];
            quantiles_ci[(l * k + q) * 2] = g->quantile_ci[q][0];
            quantiles_ci[(l * k + q) * 2 + 1] = g->quantile_ci[q][1];
        }
    }
    size_t d = r->inputs;
    const fmc_h5_dataset sets[] = {
        {"mean_gain", mean, 1, {L}, {"lever"}},
        {"mean_gain_se", se, 1, {L}, {"lever"}},
        {"mean_gain_ci", ci, 2, {L, 2}, {"lever", "bound"}},
                {"gain_quantiles", quantiles, 2, {L, k}, {"lever", "gain_quantile_levels"}},
        {"gain_quantiles_ci", quantiles_ci, 3, {L, k, 2},
         {"lever", "gain_quantile_levels", "bound"}},
        {"cost", r->mean_cost, 1, {L}, {"lever"}},
        {"net_gain", net, 1, {L}, {"lever"}},
        {"net_gain_se", net_se, 1, {L}, {"lever"}},
        {"net_gain_ci", net_ci, 2, {L, 2}, {"lever", "bound"}},
        {"roi", r->roi, 1, {L}, {"lever"}},
        {"p_improve", r->p_improve, 1, {L}, {"lever"}},
        {"p_improve_se", r->p_improve_se, 1, {L}, {"lever"}},
        {"clamped_share", r->clamped_share, 1, {L}, {"lever"}},
        {"p_beats", r->p_beats, 2, {L, L}, {"lever", "other_lever"}},
        {"p_beats_se", r->p_beats_se, 2, {L, L}, {"lever", "other_lever"}},
        {"p_tie", r->p_tie, 2, {L, L}, {"lever", "other_lever"}},
        {"equivalent_add", r->equivalent_add, 2, {L, d}, {"lever", "input"}},
        {"equivalent_scale", r->equivalent_scale, 2, {L, d}, {"lever", "input"}},
        {"equivalent_add_se", r->equivalent_add_se, 2, {L, d}, {"lever", "input"}},
        {"equivalent_scale_se", r->equivalent_scale_se, 2, {L, d}, {"lever", "input"}},
        {"inputs_share", r->inputs_share, 1, {L}, {"lever"}},
        {"inputs_share_se", r->inputs_share_se, 1, {L}, {"lever"}}};
    _Static_assert(sizeof(size_t) == sizeof(uint64_t), "lever counts are stored as uint64");
    const char *const lever[] = {"lever"};
    int ok = fmc_h5_coordinate_strings(group, "lever", names, L) >= 0 &&
             fmc_h5_coordinate_strings(group, "other_lever", names, L) >= 0 &&
             fmc_h5_input_coordinate(group, s) >= 0 &&
             fmc_h5_bounds(group) >= 0 &&
             fmc_h5_coordinate_doubles(group, "gain_quantile_levels", k, fmc_quantile_levels) >= 0;
    if (!ok || fmc_h5_strings(group, "name", names, L) < 0 ||
        fmc_h5_attach(group, "name", lever) < 0 ||
        fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets)) < 0 ||
        fmc_h5_u64s(group, "uncertain_numbers", L, (const uint64_t *)r->uncertain_numbers) < 0 ||
        fmc_h5_attach(group, "uncertain_numbers", lever) < 0 ||
        fmc_h5_u64s(group, "reach_assumed", L, (const uint64_t *)r->reach_assumed) < 0 ||
        fmc_h5_attach(group, "reach_assumed", lever) < 0 ||
        fmc_h5_attr_double(group, "confidence", confidence) < 0)
        goto done;
    if ((r->pairs && write_lever_pairs(group, s, r) < 0) ||
        (r->periods && fmc_h5_lever_periods(group, r) < 0) || fmc_h5_lever_voi(group, s, r) < 0)
        goto done;
    status = FMC_OK;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    free(columns);
    return status;
}

/* NAME (value), NAME_se and NAME_ci of COUNT estimates along the
 * dimension AXIS. */
static herr_t write_estimates(hid_t group, const char *name, const fmc_sobol_estimate *e,
                              size_t count, const char *axis)
{
    double *columns = malloc(4 * (count ? count : 1) * sizeof *columns);
    if (!columns)
        return -1;
    double *value = columns, *se = columns + count, *ci = columns + 2 * count;
    for (size_t i = 0; i < count; i++) {
        value[i] = e[i].value;
        se[i] = e[i].se;
        ci[2 * i] = e[i].ci[0];
        ci[2 * i + 1] = e[i].ci[1];
    }
    char se_name[64], ci_name[64];
    snprintf(se_name, sizeof se_name, "%s_se", name);
    snprintf(ci_name, sizeof ci_name, "%s_ci", name);
    const fmc_h5_dataset sets[] = {
        {name, value, 1, {count}, {axis}},
        {se_name, se, 1, {count}, {axis}},
        {ci_name, ci, 2, {count, 2}, {axis, "bound"}}};
    herr_t status = fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets));
    free(columns);
    return status;
}

/* Room for a group's name: the members of a correlated set joined. */
#define GROUP_LABEL_BYTES 512

fmc_status fmc_results_write_sobol(fmc_h5file *f, const fmc_scenario *s,
                                   const fmc_sobol_result *r, double confidence)
{
    fmc_status status = FMC_EHDF5;
    size_t groups = r->group_count, d = s->input_count;
    const char **names = input_names(s, NULL, d);
    char *labels = malloc(groups * GROUP_LABEL_BYTES);
    const char **group_names = malloc(groups * sizeof *group_names);
    const char **input_sets = malloc(d * sizeof *input_sets);
    hid_t group = fmc_h5_open_group(fmc_h5file_handle(f), "sensitivity");
    if (!names || !labels || !group_names || !input_sets || group < 0)
        goto done;
    for (size_t g = 0; g < groups; g++) {
        group_names[g] = labels + g * GROUP_LABEL_BYTES;
        fmc_sensitivity_group_label(s, g, labels + g * GROUP_LABEL_BYTES, GROUP_LABEL_BYTES);
    }
    for (size_t j = 0; j < d; j++) {
        long set = fmc_sensitivity_input_set(s, j);
        input_sets[j] = set < 0 ? "" : group_names[set];
    }
    const fmc_h5_attribute attributes[] = {
        FMC_H5_ATTR_U64("base_samples", r->rows),
        FMC_H5_ATTR_U64("model_runs", r->model_runs),
        FMC_H5_ATTR_DOUBLE("confidence", confidence),
        FMC_H5_ATTR_DOUBLE("sobol_mean", r->mean),
        FMC_H5_ATTR_DOUBLE("sobol_variance", r->variance),
        FMC_H5_ATTR_DOUBLE("max_half_width", r->max_half_width),
        FMC_H5_ATTR_U64("precision_met", r->precision_met),
        FMC_H5_ATTR_TEXT("design", fmc_design_name(r->design.method)),
        FMC_H5_ATTR_U64("replicates", r->design.replicates),
        FMC_H5_ATTR_U64("correlated_sets", groups - FMC_GROUP_COUNT)};
    if (sensitivity_inputs(group, names, d) < 0 ||
        write_estimates(group, "sobol_first", r->first, d, "input") < 0 ||
        write_estimates(group, "sobol_total", r->total, d, "input") < 0 ||
        fmc_h5_coordinate_strings(group, "group", group_names, groups) < 0 ||
        write_estimates(group, "group_first", r->group_first, groups, "group") < 0 ||
        write_estimates(group, "group_total", r->group_total, groups, "group") < 0 ||
        (groups > FMC_GROUP_COUNT &&
         (fmc_h5_strings(group, "input_set", input_sets, d) < 0 ||
          fmc_h5_attach(group, "input_set", (const char *const[]){"input"}) < 0)) ||
        fmc_h5_attributes(group, attributes, FMC_COUNT_OF(attributes)) < 0)
        goto done;
    status = FMC_OK;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    free(labels);
    free(group_names);
    free(input_sets);
    return status;
}

fmc_status fmc_results_write_analysis(fmc_h5file *f, const fmc_scenario *s,
                                      const fmc_analysis *a)
{
    fmc_status status = fmc_results_write_run(f, s, &a->result);
    if (status || a->summary_only)
        return status;
    if ((status = fmc_results_write_drivers(f, s, &a->result.drivers)))
        return status;
    if (a->has_levers &&
        (status = fmc_results_write_levers(f, s, &a->result.levers, s->confidence)))
        return status;
    if (a->result.portfolio.levers &&
        (status = fmc_results_write_portfolio(f, s, &a->result.portfolio)))
        return status;
    if (a->result.break_even.inputs > 0 &&
        (status = fmc_results_write_break_even(f, s, &a->result.break_even)))
        return status;
    if ((status = fmc_results_write_tornado(f, s, &a->tornado)))
        return status;
    if (a->has_sobol)
        status = fmc_results_write_sobol(f, s, &a->sobol, s->confidence);
    return status;
}
