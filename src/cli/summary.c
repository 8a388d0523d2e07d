#include <math.h>
#include <stdio.h>
#include "cli.h"
#include "funnelmc/sensitivity.h"

/* Quantile levels shown in the terminal (indices into fmc_quantile_levels). */
static const int shown_quantiles[] = {1, 4, 7};  /* P5, P50, P95 */

static void print_output(FILE *out, const char *label, const fmc_output_summary *o,
                         double confidence)
{
    /* ROI divides by the cost, which may be tiny: say so rather than print NaN */
    if (!isfinite(o->mean) || !isfinite(o->sd)) {
        fprintf(out, "%-8s not finite: its values overflow double precision (min %.6g, max %.6g)\n",
                label, o->min, o->max);
        return;
    }
    char mean[64];
    fprintf(out, "%-8s mean %s (se)   sd %.6g   min %.6g   max %.6g\n", label,
            format_estimate(mean, sizeof mean, o->mean, o->se), o->sd, o->min, o->max);
    fprintf(out, "%-8s", "");
    for (size_t i = 0; i < sizeof shown_quantiles / sizeof *shown_quantiles; i++) {
        int k = shown_quantiles[i];
        fprintf(out, " P%-2.0f %.6g [%.6g, %.6g] ", 100 * fmc_quantile_levels[k], o->quantiles[k],
                o->quantile_ci[k][0], o->quantile_ci[k][1]);
    }
    fprintf(out, " (%.0f%% CI)\n", 100 * confidence);
}

/* Which scenario, how it was run, and what the figures cover. */
static void print_header(FILE *out, const fmc_scenario *s, const fmc_run_result *r)
{
    fprintf(out, "%s", s->name);
    if (s->description[0])
        fprintf(out, ": %s", s->description);
    fprintf(out, "\n%llu samples, seed %llu", (unsigned long long)r->samples,
            (unsigned long long)r->seed);
    /* a run read back from its file (results_read.h) knows neither */
    if (r->threads > 0)
        fprintf(out, ", %d thread%s, %.2f s", r->threads, r->threads == 1 ? "" : "s", r->seconds);
    fprintf(out, "; ");
    if (r->horizon.periods)
        fprintf(out, "figures over %u %ss\n", r->horizon.periods, s->period);
    else
        fprintf(out, "figures per %s\n", s->period);
    if (r->precision_target > 0)
        fprintf(out, "stopping rule: CI half-width of the mean profit %.4g %s %.4g after %llu "
                     "samples%s\n", r->mean_half_width, r->precision_met ? "<=" : ">",
                r->precision_target, (unsigned long long)r->samples,
                r->precision_met ? "" : " (the max_samples limit)");
}

void print_summary(FILE *out, const fmc_scenario *s, const fmc_run_result *r)
{
    const fmc_output_summary *profit = &r->outputs[FMC_OUT_PROFIT];
    const fmc_output_summary *roi = &r->outputs[FMC_OUT_ROI];
    fprintf(out, "\n");
    for (size_t j = 0; j < s->input_count; j++)
        if (s->inputs[j].observed)
            fprintf(out, "%s from your counts: %llu of %llu, sampled from the Beta(%.6g, %.6g) "
                         "posterior (prior %.6g, %.6g)\n",
                    s->inputs[j].name, (unsigned long long)s->inputs[j].observed_events,
                    (unsigned long long)s->inputs[j].observed_of, s->inputs[j].dist.shape1,
                    s->inputs[j].dist.shape2, s->inputs[j].prior_alpha, s->inputs[j].prior_beta);
    if (r->horizon.periods)
        print_horizon_scope(out, s, &r->horizon);
    print_output(out, "profit", profit, s->confidence);
    fprintf(out, "%-8s P(profit < 0) %.4g%% ± %.2g%%\n", "", 100 * profit->p_loss,
            100 * profit->p_loss_se);
    if (roi->count > 0) {
        print_output(out, "ROI", roi, s->confidence);
        if (roi->undefined > 0)
            fprintf(out, "%-8s undefined in %llu samples where cost is 0\n", "",
                    (unsigned long long)roi->undefined);
    } else {
        fprintf(out, "ROI      undefined: the cost is 0 in every sample\n");
    }
    print_output(out, "sales", &r->outputs[FMC_OUT_SALES], s->confidence);
    if (r->horizon.periods)
        print_horizon(out, s, &r->horizon);

    fprintf(out, "\nbase case (every input at its base): profit %.6g, ", r->base[FMC_OUT_PROFIT]);
    if (isnan(r->base[FMC_OUT_ROI]))
        fprintf(out, "ROI undefined (cost 0), ");
    else
        fprintf(out, "ROI %.6g, ", r->base[FMC_OUT_ROI]);
    fprintf(out, "sales %.6g\n", r->base[FMC_OUT_SALES]);
}

#define BAR_WIDTH 40

/* Column of VALUE on an axis from LO to HI drawn BAR_WIDTH wide. */
static int column_of(double value, double lo, double hi)
{
    int c = hi > lo ? (int)((value - lo) / (hi - lo) * BAR_WIDTH + 0.5) : 0;
    return c < 0 ? 0 : c > BAR_WIDTH ? BAR_WIDTH : c;
}

/* One chart of bars: bar b spans LOW[b] .. HIGH[b] (either may be the larger),
 * WIDTH[b] wide, on a common axis that includes BASE, marked |; rows in the
 * order given, bars of no width (or NaN, for fixed inputs) skipped.
 * WIDTH_SE[b] is the standard error of the width, NULL when it is exact. */
static void print_bars(FILE *out, const char *const *names, const double *low,
                       const double *high, const double *width, const double *width_se,
                       size_t count, double base)
{
    double lo = base, hi = base;
    size_t shown = 0;
    for (size_t b = 0; b < count; b++) {
        if (!(width[b] > 0))  /* no swing, or NaN */
            continue;
        shown++;
        lo = fmin(lo, fmin(low[b], high[b]));
        hi = fmax(hi, fmax(low[b], high[b]));
    }
    if (shown == 0) {
        fprintf(out, "  no input moves profit: nothing swings\n");
        return;
    }
    int base_column = column_of(base, lo, hi);
    for (size_t b = 0; b < count; b++) {
        if (!(width[b] > 0))
            continue;
        int from = column_of(fmin(low[b], high[b]), lo, hi);
        int to = column_of(fmax(low[b], high[b]), lo, hi);
        fprintf(out, "  %-18s %11.6g ", names[b], low[b]);
        for (int c = 0; c <= BAR_WIDTH; c++)
            fputs(c == base_column ? "|" : c >= from && c < to ? "\u2588" : " ", out);
        char text[64];
        fprintf(out, " %-11.6g %s", high[b],
                width_se ? format_estimate(text, sizeof text, width[b], width_se[b])
                         : format_rounded(text, sizeof text, width[b], 0));
        fputc('\n', out);
    }
    if (shown < count)
        fprintf(out, "  (%zu fixed input%s not shown)\n", count - shown, count - shown == 1 ? "" : "s");
}

void print_tornado(FILE *out, const fmc_scenario *s, const fmc_tornado *t)
{
    fprintf(out, "\ntornado: profit with one input at its P%.0f or P%.0f, the others at base "
                 "(base profit %.6g, marked |)\n",
            t->low_percentile, t->high_percentile, t->base_profit);
    if (s->copula)
        fprintf(out, "  correlated partners stay at base too: each bar is one input off alone "
                     "(the Monte Carlo\n  tornado below moves them together)\n");
    fprintf(out, "  %-18s %11s %-*s %-11s %s\n", "input", "at low", BAR_WIDTH + 1, "", "at high",
            "swing");
    const char *names[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    for (size_t b = 0; b < t->count; b++)
        names[b] = s->inputs[t->order[b]].name;
    print_bars(out, names, t->low_profit, t->high_profit, t->swing, NULL, t->count, t->base_profit);
}

/* The Monte Carlo tornado: bars from the lowest to the highest decile mean,
 * in the library's order (widest first). */
static void print_mean_change(FILE *out, const fmc_scenario *s, const fmc_drivers_result *r,
                              double mean_profit)
{
    size_t n = s->input_count;
    const char *names[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    double low[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES], high[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    double width[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    double width_se[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    for (size_t b = 0; b < n; b++) {
        size_t j = r->mean_order[b];
        names[b] = s->inputs[j].name;
        low[b] = r->mean_low[j];
        high[b] = r->mean_high[j];
        width[b] = r->mean_range[j];
        width_se[b] = r->mean_range_se[j];
    }
    fprintf(out, "\nchange in mean profit (Monte Carlo tornado): lowest .. highest mean over the\n"
                 "deciles of each input (mean profit %.6g, marked |)\n", mean_profit);
    fprintf(out, "  %-18s %11s %-*s %-11s %s\n", "input", "lowest", BAR_WIDTH + 1, "", "highest",
            "range ± se");
    print_bars(out, names, low, high, width, width_se, n, mean_profit);
}

size_t by_importance(const double *weight, size_t n, size_t *order)
{
    size_t shown = 0;
    for (size_t j = 0; j < n; j++) {
        if (isnan(weight[j]))
            continue;
        size_t k = shown++;
        for (; k > 0 && weight[order[k - 1]] < weight[j]; k--)
            order[k] = order[k - 1];
        order[k] = j;
    }
    return shown;
}

static void print_index_row(FILE *out, const char *name, const fmc_sobol_estimate *first,
                            const fmc_sobol_estimate *total)
{
    fprintf(out, "  %-18s %7.4f [%7.4f, %7.4f]   %7.4f [%7.4f, %7.4f]\n", name, first->value,
            first->ci[0], first->ci[1], total->value, total->ci[0], total->ci[1]);
}

/* What the Sobol design was, when not plain Monte Carlo of one replicate,
 * and how correlated inputs were grouped. */
static void print_sobol_design(FILE *out, const fmc_sobol_result *r)
{
    if (r->design.method != FMC_DESIGN_MC || r->design.replicates > 1)
        fprintf(out, "  design %s, %u replicates of %llu rows; intervals from their spread (t, %u "
                     "degrees of freedom)\n",
                fmc_design_name(r->design.method), r->design.replicates,
                (unsigned long long)r->design.points, r->design.replicates - 1);
    if (r->group_count > FMC_GROUP_COUNT)
        fprintf(out, "  correlated inputs are grouped: each set is one factor (its group below); its "
                     "members' own\n  indices are undefined\n");
}

void print_sobol(FILE *out, const fmc_scenario *s, const fmc_sobol_result *r, double confidence)
{
    if (!(r->variance > 0)) {
        fprintf(out, "\nSobol indices of profit: undefined, profit does not vary (variance 0)\n");
        return;
    }
    fprintf(out, "\nSobol indices of profit (%llu base rows, %llu model runs, %.0f%% CI, "
                 "widest half-width %.2g):\n",
            (unsigned long long)r->rows, (unsigned long long)r->model_runs, 100 * confidence,
            r->max_half_width);
    print_sobol_design(out, r);
    fprintf(out, "  %-18s %-28s %s\n", "input", "first order", "total order");
    double total[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    size_t order[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES], correlated = 0;
    for (size_t j = 0; j < s->input_count; j++) {
        int in_set = fmc_sensitivity_input_set(s, j) >= 0;
        correlated += (size_t)in_set;
        total[j] = s->inputs[j].dist.kind == FMC_DIST_CONSTANT || in_set ? NAN : r->total[j].value;
    }
    size_t shown = by_importance(total, s->input_count, order);
    for (size_t k = 0; k < shown; k++)
        print_index_row(out, s->inputs[order[k]].name, &r->first[order[k]], &r->total[order[k]]);
    char label[256];
    for (size_t j = 0; j < s->input_count; j++) {
        long set = fmc_sensitivity_input_set(s, j);
        if (set < 0)
            continue;
        fmc_sensitivity_group_label(s, (size_t)set, label, sizeof label);
        fprintf(out, "  %-18s undefined: correlated, one factor with its set (%s)\n",
                s->inputs[j].name, label);
    }
    size_t fixed = s->input_count - shown - correlated;
    if (fixed > 0)
        fprintf(out, "  (%zu fixed input%s: indices 0)\n", fixed, fixed == 1 ? "" : "s");
    fprintf(out, "  groups:\n");
    double group_total[FMC_GROUP_COUNT + FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    size_t group_order[FMC_GROUP_COUNT + FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    for (size_t g = 0; g < r->group_count; g++)
        group_total[g] = fmc_sensitivity_group_splits_set(s, g) ? NAN
                         : isnan(r->group_total[g].value) ? -INFINITY
                                                          : r->group_total[g].value;
    shown = by_importance(group_total, r->group_count, group_order);
    for (size_t k = 0; k < shown; k++) {
        fmc_sensitivity_group_label(s, group_order[k], label, sizeof label);
        print_index_row(out, label, &r->group_first[group_order[k]],
                        &r->group_total[group_order[k]]);
    }
    for (size_t g = 0; g < r->group_count; g++)
        if (fmc_sensitivity_group_splits_set(s, g))
            fprintf(out, "  %-18s undefined: holds part of a correlated set\n",
                    fmc_group_name((int)g));
}

void print_drivers(FILE *out, const fmc_scenario *s, const fmc_drivers_result *r, double mean_profit)
{
    print_mean_change(out, s, r, mean_profit);
    if (isnan(r->r_squared)) {
        fprintf(out, "\nwhat drives profit: undefined, profit does not vary\n");
        return;
    }
    fprintf(out, "\nwhat drives profit (rank correlation, its share of variance, and the\n"
                 "standardized coefficients of a linear fit):\n");
    fprintf(out, "  %-18s %19s %13s %20s\n", "input", "Spearman ± se", "contribution", "SRC ± se");
    double share[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    size_t order[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    for (size_t j = 0; j < s->input_count; j++)
        share[j] = s->inputs[j].dist.kind == FMC_DIST_CONSTANT ? NAN : r->contribution[j];
    size_t shown = by_importance(share, s->input_count, order);
    for (size_t k = 0; k < shown; k++) {
        size_t j = order[k];
        char spearman[64], src[64];
        fprintf(out, "  %-18s %19s %12.1f%% %20s\n", s->inputs[j].name,
                format_estimate(spearman, sizeof spearman, r->spearman[j], r->spearman_se[j]),
                100 * r->contribution[j], format_estimate(src, sizeof src, r->src[j], r->src_se[j]));
    }
    fprintf(out, "  R² of the linear fit %.4f; Spearman within %.2g of its value with exact profit ranks\n",
            r->r_squared, r->spearman_resolution);
}

/* Where each lever's uncertainty comes from, and what its figures assume. */
static void print_lever_uncertainty(FILE *out, const fmc_scenario *s, const fmc_lever_results *r)
{
    size_t uncertain = 0;
    for (size_t l = 0; l < r->count; l++)
        uncertain += r->uncertain_numbers[l] > 0;
    if (uncertain)
        fprintf(out, "  variance of the net gain: the share the scenario's inputs explain alone ± se;"
                     " the rest\n  involves the lever's own uncertain effect:\n");
    for (size_t rank = 0; rank < r->count && uncertain; rank++) {
        size_t l = r->rank[rank];
        if (r->uncertain_numbers[l] == 0)
            continue;
        if (isnan(r->inputs_share[l]))
            fprintf(out, "  - %s: undefined, its net gain does not vary\n", s->levers[l].name);
        else {
            char share[64];
            format_estimate(share, sizeof share, 100 * r->inputs_share[l],
                            100 * r->inputs_share_se[l]);
            fprintf(out, "  - %s: %s%% from the inputs, %.1f%% with its %zu uncertain number%s\n",
                    s->levers[l].name, share, 100 * (1 - r->inputs_share[l]),
                    r->uncertain_numbers[l], r->uncertain_numbers[l] == 1 ? "" : "s");
        }
    }
    for (size_t rank = 0; rank < r->count; rank++) {
        size_t l = r->rank[rank];
        if (r->reach_assumed[l])
            fprintf(out, "  note: %s changes the hours with no response: its figures assume that "
                         "reach does not\n  depend on the time spent (give hours: {..., response: R}"
                         " to say how it does)\n", s->levers[l].name);
    }
}

void print_levers(FILE *out, const fmc_scenario *s, const fmc_lever_results *r, double confidence)
{
    size_t n = r->count;
    const size_t *order = r->rank;
    if (n == 0)
        return;
    fprintf(out, "\nlevers, on the same draws as the baseline (gain: profit from the changes; "
                 "net: after the\nlever's own cost, its hours at the sampled hourly rate; "
                 "%.0f%% CI):\n", 100 * confidence);
    fprintf(out, "  %-4s %-24s %-23s %9s   %-28s %8s  %-17s %8s\n", "rank", "lever",
            "mean gain ± se", "cost", "net gain [CI]", "ROI", "P(net>0) ± se", "clamped");
    for (size_t rank = 0; rank < n; rank++) {
        size_t l = order[rank];
        const fmc_output_summary *g = &r->gain[l], *net = &r->net[l];
        char gain[64], net_text[160], improve[40], mean[48], low[48], high[48];
        format_estimate(gain, sizeof gain, g->mean, g->se);
        snprintf(net_text, sizeof net_text, "%s [%s, %s]",
                 format_rounded(mean, sizeof mean, net->mean, net->se / 10),
                 format_rounded(low, sizeof low, net->mean_ci[0], net->se / 10),
                 format_rounded(high, sizeof high, net->mean_ci[1], net->se / 10));
        snprintf(improve, sizeof improve, "%.2f%% ± %.2g%%", 100 * r->p_improve[l],
                 100 * r->p_improve_se[l]);
        char roi[16] = "-";  /* a lever that costs nothing has no return ratio */
        if (!isnan(r->roi[l]))
            snprintf(roi, sizeof roi, "%.3g", r->roi[l]);
        fprintf(out, "  %-4zu %-24s %-23s %9.6g   %-28s %8s  %-17s %7.2f%%\n", rank + 1,
                s->levers[l].name, gain, r->mean_cost[l], net_text, roi, improve,
                100 * r->clamped_share[l]);
    }
    if (r->periods)
        print_lever_paybacks(out, s, r, confidence);
    print_lever_uncertainty(out, s, r);
    fprintf(out, "  equivalent changes (one input alone giving the same mean gain, ± se):\n");
    for (size_t rank = 0; rank < n; rank++) {
        size_t l = order[rank], shown = 0;
        fprintf(out, "  - %s:", s->levers[l].name);
        for (size_t j = 0; j < r->inputs; j++) {
            size_t k = l * r->inputs + j;
            double add = r->equivalent_add[k], scale = r->equivalent_scale[k];
            if (isnan(add) && isnan(scale))
                continue;
            char text[64];
            fprintf(out, "%s %s", shown++ ? ";" : "", s->inputs[j].name);
            if (!isnan(add))
                fprintf(out, " %s%s", add > r->equivalent_add_se[k] ? "+" : "",
                        format_estimate(text, sizeof text, add, r->equivalent_add_se[k]));
            if (!isnan(scale))
                fprintf(out, "%s x%s", isnan(add) ? "" : " or",
                        format_estimate(text, sizeof text, scale, r->equivalent_scale_se[k]));
        }
        fprintf(out, "%s\n", shown ? "" : " none");
    }
    if (r->pairs)
        fprintf(out, "  pairs applied together (net: after both levers' costs; interaction: "
                     "combined gain\n  minus the two gains):\n");
    for (size_t q = 0; q < r->pairs; q++) {
        char combined[64], net_text[64], interaction[64];
        fprintf(out, "  - %s + %s: combined gain %s, net %s, interaction %s\n",
                s->levers[r->pair_first[q]].name, s->levers[r->pair_second[q]].name,
                format_estimate(combined, sizeof combined, r->combined[q].mean, r->combined[q].se),
                format_estimate(net_text, sizeof net_text, r->pair_net[q].mean, r->pair_net[q].se),
                format_estimate(interaction, sizeof interaction, r->interaction[q].mean,
                                r->interaction[q].se));
    }
    if (n < 2)
        return;
    fprintf(out, "  verdicts (share of outcomes in which one lever's net profit is higher):\n");
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            size_t i = order[a], j = order[b];
            if (r->p_beats[i * n + j] < r->p_beats[j * n + i]) {
                size_t t = i;
                i = j;
                j = t;
            }
            double wins = r->p_beats[i * n + j], loses = r->p_beats[j * n + i];
            double ties = r->p_tie[i * n + j];
            char net_i[64], net_j[64];
            format_estimate(net_i, sizeof net_i, r->net[i].mean, r->net[i].se);
            format_estimate(net_j, sizeof net_j, r->net[j].mean, r->net[j].se);
            if (wins == loses)
                fprintf(out, "  - %s and %s tie: equal in %.1f%% of outcomes, each ahead in "
                             "%.1f%%; mean net gains %s and %s\n",
                        s->levers[i].name, s->levers[j].name, 100 * ties, 100 * wins, net_i, net_j);
            else
                fprintf(out, "  - %s beats %s in %.1f%% ± %.1g%% of outcomes (loses in %.1f%%, ties in "
                             "%.1f%%); mean net gains %s vs %s\n",
                        s->levers[i].name, s->levers[j].name, 100 * wins,
                        100 * r->p_beats_se[i * n + j], 100 * loses, 100 * ties, net_i, net_j);
        }
}

void print_analysis(FILE *out, const fmc_scenario *s, const fmc_analysis *a, const char *output_path,
                    int detail)
{
    print_header(out, s, &a->result);
    print_sampling(out, s, &a->result);
    print_bottom_line(out, s, a);
    if (detail) {
        print_summary(out, s, &a->result);
        if (!a->summary_only) {
            print_tornado(out, s, &a->tornado);
            print_drivers(out, s, &a->result.drivers, a->result.outputs[FMC_OUT_PROFIT].mean);
        }
        if (a->result.break_even.inputs > 0)
            print_break_even(out, s, &a->result.break_even,
                             isnan(a->result.drivers.r_squared) ? NULL
                                                                : a->result.drivers.contribution);
        if (a->has_sobol)
            print_sobol(out, s, &a->sobol, s->confidence);
        if (a->has_levers)
            print_levers(out, s, &a->result.levers, s->confidence);
        if (a->has_levers)
            print_value_of_information(out, s, &a->result.levers);
    }
    print_portfolio(out, s, &a->result.portfolio);
    if (output_path)
        fprintf(out, "\nresults: %s%s\n", output_path, detail ? "" : "; every table: --detail");
}
