/* The report of one run (and of each scenario of a batch): the answer in
 * plain words, then every chart and table the analysis has data for, in
 * the order the terminal prints them -- profit, over a horizon its months,
 * what drives it, the levers.  Every number with its error (format_estimate,
 * format_rounded), every bar chart sorted by importance as the terminal's
 * tables are (by_importance); docs/report.md says how to read each chart. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/chart.h"
#include "funnelmc/levers.h"
#include "funnelmc/replicates.h"
#include "funnelmc/sensitivity.h"
#include "report.h"

/* Quantile indices in fmc_quantile_levels. */
enum { P5 = 1, P25 = 3, P50 = 4, P75 = 5, P95 = 7 };

/* What the charts of one run share. */
typedef struct run_context {
    report_page *page;
    const fmc_scenario *s;
    const fmc_analysis *a;
    const fmc_run_result *r;
    double z;           /* the interval factor of the run's design */
    char money[96];     /* the unit of profit: "money per month" */
} run_context;

/* ---- small pieces of HTML ---- */

static void paragraph(void *context, const char *sentence)
{
    report_page *page = context;
    page_printf(page, "<p>");
    page_text(page, sentence);
    page_printf(page, "</p>\n");
}

static void table_begin(report_page *page, const char *const *headers, size_t n)
{
    page_printf(page, "<div class=\"table-wrap\"><table>\n<thead><tr>");
    for (size_t k = 0; k < n; k++) {
        page_printf(page, "<th>");
        page_text(page, headers[k]);
        page_printf(page, "</th>");
    }
    page_printf(page, "</tr></thead>\n<tbody>\n");
}

static void table_end(report_page *page)
{
    page_printf(page, "</tbody></table></div>\n");
}

/* One cell of TEXT (escaped); the first of a row opens it. */
static void cell(report_page *page, int first, const char *text)
{
    page_printf(page, first ? "<tr><td>" : "<td>");
    page_text(page, text);
    page_printf(page, "</td>");
}

static void row_end(report_page *page)
{
    page_printf(page, "</tr>\n");
}

void keyed_estimate(report_page *page, const char *name, double value, double se)
{
    char text[96];
    format_estimate(text, sizeof text, value, se);
    char *plus_minus = strstr(text, " \xc2\xb1 ");
    if (plus_minus)
        *plus_minus = '\0';
    page_printf(page, "<span data-key=\"%s\">%s</span>", name, text);
    if (plus_minus)
        page_printf(page, " \xc2\xb1 <span data-key=\"%s_se\">%s</span>", name, plus_minus + 4);
}

/* ---- the answer ---- */

static void key_figures(const run_context *c)
{
    report_page *page = c->page;
    const fmc_output_summary *p = &c->r->outputs[FMC_OUT_PROFIT];
    char text[64];
    page_printf(page, "<ul class=\"keys\">\n<li>expected profit: ");
    keyed_estimate(page, "profit_mean", p->mean, p->se);
    page_printf(page, " (");
    page_text(page, c->money);
    page_printf(page, ")</li>\n<li>chance of a loss: <span data-key=\"p_loss\">%s</span>%%</li>\n",
                format_rounded(text, sizeof text, 100 * p->p_loss, 100 * p->p_loss_se));
    page_printf(page, "<li>P5: <span data-key=\"profit_p5\">%s</span>; ",
                format_rounded(text, sizeof text, p->quantiles[P5], quantile_error(p, P5, c->z)));
    page_printf(page, "P95: <span data-key=\"profit_p95\">%s</span></li>\n",
                format_rounded(text, sizeof text, p->quantiles[P95], quantile_error(p, P95, c->z)));
    const fmc_lever_results *l = &c->r->levers;
    if (c->a->has_levers && l->count > 0) {
        size_t best = l->rank[0];
        page_printf(page, "<li>the lever with the largest mean net gain: <span "
                          "data-key=\"best_lever\">");
        page_text(page, c->s->levers[best].name);
        page_printf(page, "</span>, ");
        keyed_estimate(page, "best_lever_net", l->net[best].mean, l->net[best].se);
        page_printf(page, "</li>\n");
    }
    page_printf(page, "</ul>\n");
}

static void answer(const run_context *c)
{
    page_section(c->page, "answer", "The answer");
    page_printf(c->page, "<div class=\"answer\">\n");
    bottom_line_sentences(c->s, c->a, paragraph, c->page);
    page_printf(c->page, "</div>\n");
    key_figures(c);
}

/* ---- profit ---- */

/* The histogram of profit O with the loss shaded and its mean and
 * quantiles marked. */
static void distribution(const run_context *c, const char *title, const fmc_output_summary *o)
{
    if (o->count == 0 || !isfinite(o->mean) || !(o->hist_edges[FMC_HIST_BINS] > o->hist_edges[0]))
        return;
    double heights[FMC_HIST_BINS];
    for (size_t k = 0; k < FMC_HIST_BINS; k++)
        heights[k] = (double)o->hist_counts[k];
    char loss[96], share[48], desc[512], x_label[160];
    format_rounded(share, sizeof share, 100 * o->p_loss, 100 * o->p_loss_se);
    snprintf(loss, sizeof loss, "loss: %s%% of outcomes", share);
    char mean[64], low[48], high[48];
    format_estimate(mean, sizeof mean, o->mean, o->se);
    format_rounded(low, sizeof low, o->quantiles[P5], quantile_error(o, P5, c->z));
    format_rounded(high, sizeof high, o->quantiles[P95], quantile_error(o, P95, c->z));
    int losses = o->min < 0;
    char tail[96] = "no sample made a loss.";
    if (losses)
        snprintf(tail, sizeof tail, "a loss (left of 0, shaded) in %s%% of them.", share);
    snprintf(desc, sizeof desc,
             "How often each profit came out in %llu samples. The mean is %s; 90%% of outcomes "
             "lie between %s (P5) and %s (P95); %s",
             (unsigned long long)o->count, mean, low, high, tail);
    snprintf(x_label, sizeof x_label, "profit (%s)", c->money);
    fmc_chart_marker markers[] = {
        {"mean", o->mean, o->mean_ci[0], o->mean_ci[1]},
        {"P5", o->quantiles[P5], o->quantile_ci[P5][0], o->quantile_ci[P5][1]},
        {"P50", o->quantiles[P50], o->quantile_ci[P50][0], o->quantile_ci[P50][1]},
        {"P95", o->quantiles[P95], o->quantile_ci[P95][0], o->quantile_ci[P95][1]},
    };
    fmc_histogram_chart chart = {
        .text = {title, desc, x_label, "samples"},
        .bins = FMC_HIST_BINS, .edges = o->hist_edges, .heights = heights,
        .shade_below = losses ? 0 : NAN, .shade_label = loss,
        .marker_count = sizeof markers / sizeof *markers, .markers = markers};
    page_chart(c->page, "profit", fmc_chart_histogram(&chart));
}

static void profit(const run_context *c)
{
    char title[160];
    uint32_t T = c->r->horizon.periods;
    page_section(c->page, "profit", T ? "Cumulative profit" : "Profit");
    if (T)
        snprintf(title, sizeof title, "Cumulative profit over %u %ss", T, c->s->period);
    else
        snprintf(title, sizeof title, "Profit per %s", c->s->period);
    distribution(c, title, &c->r->outputs[FMC_OUT_PROFIT]);
}

/* ---- over a horizon ---- */

static void fan(const run_context *c)
{
    const fmc_horizon_result *h = &c->r->horizon;
    uint32_t T = h->periods;
    double *v = malloc(6 * (size_t)T * sizeof *v);
    if (!v) {
        c->page->failed = 1;
        return;
    }
    double *x = v, *median = v + T, *q25 = v + 2 * T, *q75 = v + 3 * T, *q5 = v + 4 * T,
           *q95 = v + 5 * T;
    for (uint32_t t = 0; t < T; t++) {
        const fmc_output_summary *o = &h->profit[t];
        x[t] = t + 1;
        median[t] = o->quantiles[P50];
        q25[t] = o->quantiles[P25];
        q75[t] = o->quantiles[P75];
        q5[t] = o->quantiles[P5];
        q95[t] = o->quantiles[P95];
    }
    char title[160], desc[400], x_label[64], y_label[160];
    snprintf(title, sizeof title, "Profit %s by %s", c->s->period, c->s->period);
    snprintf(desc, sizeof desc,
             "Each %s's profit (undiscounted): the line is the median, the dark band holds the "
             "middle half of outcomes (P25-P75), the light band 90%% of them (P5-P95).",
             c->s->period);
    snprintf(x_label, sizeof x_label, "%s", c->s->period);
    snprintf(y_label, sizeof y_label, "profit (money per %s)", c->s->period);
    fmc_chart_series series = {"median", T, x, median, q25, q75, q5, q95, 0, T <= 36};
    fmc_line_chart chart = {.text = {title, desc, x_label, y_label}, .series_count = 1,
                            .series = &series, .reference = 0};
    page_chart(c->page, "fan", fmc_chart_lines(&chart));
    free(v);
}

static void payback(const run_context *c)
{
    const fmc_payback_summary *p = &c->r->horizon.payback;
    uint32_t T = p->periods;
    if (!p->counts || p->total == 0)
        return;
    double *v = malloc((2 * (size_t)T + 1) * sizeof *v);
    if (!v) {
        c->page->failed = 1;
        return;
    }
    double *edges = v, *heights = v + T + 1;
    for (uint32_t t = 0; t <= T; t++)
        edges[t] = t + 0.5;
    for (uint32_t t = 0; t < T; t++)
        heights[t] = (double)p->counts[t];
    char title[160], desc[512], x_label[64], median[64];
    snprintf(title, sizeof title, "When profit pays back");
    if (isnan(p->median))
        snprintf(median, sizeof median, "unknown");
    else if (isinf(p->median))
        snprintf(median, sizeof median, "beyond the horizon");
    else
        snprintf(median, sizeof median, "%s %.0f", c->s->period, p->median);
    snprintf(desc, sizeof desc,
             "The %s in which the cumulative profit turns and stays above 0, over %llu samples; "
             "median %s. Never within the %u %ss: %.1f%% \xc2\xb1 %.2g%% of outcomes (not drawn).",
             c->s->period, (unsigned long long)p->total, median, T, c->s->period,
             100 * p->p_never, 100 * p->p_never_se);
    snprintf(x_label, sizeof x_label, "payback %s", c->s->period);
    fmc_histogram_chart chart = {.text = {title, desc, x_label, "samples"}, .bins = T,
                                 .edges = edges, .heights = heights, .shade_below = NAN};
    page_chart(c->page, "payback", fmc_chart_histogram(&chart));
    free(v);
}

/* A period of a payback summary: "7", "never" past the horizon, or
 * "unknown" (NaN: no sample to tell). */
static const char *payback_period(char *buffer, size_t size, double period)
{
    if (isnan(period))
        snprintf(buffer, size, "unknown");
    else if (isinf(period))
        snprintf(buffer, size, "never");
    else
        snprintf(buffer, size, "%.0f", period);
    return buffer;
}

/* Each lever's mean net gain period by period, and when it pays for itself. */
static void lever_periods(const run_context *c)
{
    const fmc_lever_results *l = &c->r->levers;
    uint32_t T = l->periods;
    size_t n = l->count;
    if (!c->a->has_levers || n == 0 || T == 0 || !l->period_net)
        return;
    double *v = malloc((1 + 2 * n) * T * sizeof *v);
    fmc_chart_series *series = malloc(n * sizeof *series);
    if (!v || !series) {
        c->page->failed = 1;
        free(v);
        free(series);
        return;
    }
    double *x = v;
    for (uint32_t t = 0; t < T; t++)
        x[t] = t + 1;
    for (size_t k = 0; k < n; k++) {
        size_t i = l->rank[k];
        const double *net = l->period_net + i * T, *se = l->period_net_se + i * T;
        double *low = v + (1 + 2 * k) * T, *high = low + T;
        for (uint32_t t = 0; t < T; t++) {
            low[t] = net[t] - c->z * se[t];
            high[t] = net[t] + c->z * se[t];
        }
        series[k] = (fmc_chart_series){c->s->levers[i].name, T, x, net, low, high,
                                       NULL, NULL, 0, T <= 36};
    }
    char title[160], desc[400], y_label[160];
    snprintf(title, sizeof title, "Levers: net gain %s by %s", c->s->period, c->s->period);
    snprintf(desc, sizeof desc,
             "Each lever's mean net gain in each %s (undiscounted, its own cost counted), with "
             "the band of its %g%% interval; a lever starts and ramps up as the scenario says.",
             c->s->period, 100 * c->s->confidence);
    snprintf(y_label, sizeof y_label, "net gain (money per %s)", c->s->period);
    fmc_line_chart chart = {.text = {title, desc, c->s->period, y_label}, .series_count = n,
                            .series = series, .reference = 0};
    page_chart(c->page, "lever-periods", fmc_chart_lines(&chart));
    free(v);
    free(series);

    if (!l->payback)
        return;
    char ci[64], never[96];
    snprintf(ci, sizeof ci, "%g%% interval", 100 * c->s->confidence);
    snprintf(never, sizeof never, "not within %u %ss (%%)", T, c->s->period);
    const char *headers[] = {"lever: pays for itself in", c->s->period, ci, never};
    table_begin(c->page, headers, 4);
    for (size_t k = 0; k < n; k++) {
        const fmc_payback_summary *p = &l->payback[l->rank[k]];
        char text[64], low[24], high[24];
        cell(c->page, 1, c->s->levers[l->rank[k]].name);
        cell(c->page, 0, payback_period(text, sizeof text, p->median));
        snprintf(text, sizeof text, "%s-%s", payback_period(low, sizeof low, p->median_ci[0]),
                 payback_period(high, sizeof high, p->median_ci[1]));
        cell(c->page, 0, text);
        cell(c->page, 0, format_estimate(text, sizeof text, 100 * p->p_never,
                                         100 * p->p_never_se));
        row_end(c->page);
    }
    table_end(c->page);
}

static void horizon(const run_context *c)
{
    if (!c->r->horizon.periods)
        return;
    page_section(c->page, "horizon", "Over the horizon");
    fan(c);
    payback(c);
    lever_periods(c);
}

/* ---- what drives profit ---- */

static void one_at_a_time(const run_context *c)
{
    const fmc_tornado *t = &c->a->tornado;
    const char *rows[FMC_MAX_INPUTS];
    fmc_chart_bar b[2 * FMC_MAX_INPUTS];
    size_t n = 0;
    for (size_t k = 0; k < t->count; k++) {
        if (!(t->swing[k] > 0))
            continue;
        rows[n] = c->s->inputs[t->order[k]].name;
        b[2 * n] = (fmc_chart_bar){n, 0, t->base_profit, t->low_profit[k], NAN, NAN, NULL};
        b[2 * n + 1] = (fmc_chart_bar){n, 1, t->base_profit, t->high_profit[k], NAN, NAN, NULL};
        n++;
    }
    if (!n)
        return;
    char low[32], high[32], desc[400], x_label[160];
    snprintf(low, sizeof low, "input at P%g", t->low_percentile);
    snprintf(high, sizeof high, "input at P%g", t->high_percentile);
    const char *series[] = {low, high};
    snprintf(desc, sizeof desc,
             "Profit with one input at its P%g or P%g and every other at its base; the line is "
             "the base case's profit (%.6g). The widest bars matter most.",
             t->low_percentile, t->high_percentile, t->base_profit);
    snprintf(x_label, sizeof x_label, "profit (%s)", c->money);
    fmc_bar_chart chart = {.text = {"Tornado: one input at a time", desc, x_label, NULL},
                           .row_count = n, .rows = rows, .series_count = 2, .series = series,
                           .bar_count = 2 * n, .bars = b, .reference = t->base_profit,
                           .reference_label = "base"};
    page_chart(c->page, "tornado", fmc_chart_bars(&chart));

    /* the spider: profit against the percentile of each input */
    fmc_chart_series lines[FMC_MAX_INPUTS];
    double x[FMC_SPIDER_LEVELS];
    for (size_t k = 0; k < FMC_SPIDER_LEVELS; k++)
        x[k] = 100 * t->spider_levels[k];
    size_t m = 0;
    for (size_t k = 0; k < t->count; k++) {
        if (!(t->swing[k] > 0))
            continue;
        size_t j = t->order[k];
        lines[m++] = (fmc_chart_series){c->s->inputs[j].name, FMC_SPIDER_LEVELS, x,
                                        t->spider_profit + j * FMC_SPIDER_LEVELS,
                                        NULL, NULL, NULL, NULL, 0, 1};
    }
    snprintf(desc, sizeof desc,
             "Profit as each input moves from its P5 to its P95, the others at their base: "
             "the steeper the line, the more profit depends on that input.");
    fmc_line_chart spider = {.text = {"Spider: profit against each input's percentile", desc,
                                      "percentile of the input", x_label},
                             .series_count = m, .series = lines, .reference = NAN};
    page_chart(c->page, "spider", fmc_chart_lines(&spider));
}

/* The uncertain inputs by WEIGHT (NaN for a fixed input), largest first. */
static size_t uncertain_by(const run_context *c, const double *weight, size_t *order)
{
    double w[FMC_MAX_INPUTS];
    for (size_t j = 0; j < c->s->input_count; j++)
        w[j] = c->s->inputs[j].dist.kind == FMC_DIST_CONSTANT ? NAN : weight[j];
    return by_importance(w, c->s->input_count, order);
}

static void monte_carlo_drivers(const run_context *c)
{
    const fmc_drivers_result *d = &c->r->drivers;
    const char *rows[FMC_MAX_INPUTS];
    fmc_chart_bar b[FMC_MAX_INPUTS];
    size_t n = 0, order[FMC_MAX_INPUTS];
    char desc[400], x_label[160];
    for (size_t k = 0; k < d->count; k++) {
        size_t j = d->mean_order[k];
        if (c->s->inputs[j].dist.kind == FMC_DIST_CONSTANT || !isfinite(d->mean_range[j]))
            continue;
        rows[n] = c->s->inputs[j].name;
        b[n] = (fmc_chart_bar){n, 0, d->mean_low[j], d->mean_high[j], NAN, NAN, NULL};
        n++;
    }
    const fmc_output_summary *p = &c->r->outputs[FMC_OUT_PROFIT];
    snprintf(x_label, sizeof x_label, "mean profit (%s)", c->money);
    if (n) {
        const char *series[] = {"lowest to highest tenth"};
        snprintf(desc, sizeof desc,
                 "Mean profit over the samples where each input fell in its lowest and its "
                 "highest tenth, all inputs drawn together (correlations included); the line is "
                 "the mean profit.");
        fmc_bar_chart chart = {.text = {"Monte Carlo tornado", desc, x_label, NULL},
                               .row_count = n, .rows = rows, .series_count = 1,
                               .series = series, .bar_count = n, .bars = b,
                               .reference = p->mean, .reference_label = "mean"};
        page_chart(c->page, "mc-tornado", fmc_chart_bars(&chart));
    }

    /* rank correlations, largest in size first */
    double size[FMC_MAX_INPUTS];
    for (size_t j = 0; j < c->s->input_count; j++)
        size[j] = fabs(d->spearman[j]);
    n = uncertain_by(c, size, order);
    for (size_t k = 0; k < n; k++) {
        size_t j = order[k];
        rows[k] = c->s->inputs[j].name;
        b[k] = (fmc_chart_bar){k, 0, 0, d->spearman[j], d->spearman[j] - c->z * d->spearman_se[j],
                               d->spearman[j] + c->z * d->spearman_se[j], NULL};
    }
    if (!n)
        return;
    const char *series[] = {"rank correlation"};
    snprintf(desc, sizeof desc,
             "Spearman rank correlation of each input with profit, with its %g%% interval: "
             "near +1 or -1, profit rises or falls with the input almost step for step.",
             100 * c->s->confidence);
    fmc_bar_chart chart = {.text = {"Rank correlation with profit", desc,
                                    "rank correlation (no unit)", NULL},
                           .row_count = n, .rows = rows, .series_count = 1, .series = series,
                           .bar_count = n, .bars = b, .reference = 0, .reference_label = NULL};
    page_chart(c->page, "rank-correlations", fmc_chart_bars(&chart));
}

/* Grouped first- and total-order bars of N FACTORS named ROWS with
 * indices FIRST[k], TOTAL[k] (k < N), as chart NAME. */
static void sobol_chart(const run_context *c, const char *name, const char *title,
                        const char *factors, const char *const *rows,
                        const fmc_sobol_estimate *const *first,
                        const fmc_sobol_estimate *const *total, size_t n)
{
    fmc_chart_bar *b = malloc(2 * (n ? n : 1) * sizeof *b);
    if (!b) {
        c->page->failed = 1;
        return;
    }
    for (size_t k = 0; k < n; k++) {
        b[2 * k] = (fmc_chart_bar){k, 0, 0, first[k]->value, first[k]->ci[0], first[k]->ci[1],
                                   NULL};
        b[2 * k + 1] = (fmc_chart_bar){k, 1, 0, total[k]->value, total[k]->ci[0], total[k]->ci[1],
                                       NULL};
    }
    const char *series[] = {"first order (alone)", "total order (with interactions)"};
    char desc[400];
    snprintf(desc, sizeof desc,
             "The share of the variance of profit each of the %s explains alone (first order) "
             "and with its interactions (total order), with %g%% intervals; %llu base rows.",
             factors, 100 * c->s->confidence, (unsigned long long)c->a->sobol.rows);
    fmc_bar_chart chart = {.text = {title, desc, "share of the variance of profit", NULL},
                           .row_count = n, .rows = rows, .series_count = 2, .series = series,
                           .bar_count = 2 * n, .bars = b, .grouped = 1, .reference = NAN};
    page_chart(c->page, name, fmc_chart_bars(&chart));
    free(b);
}

static void sobol(const run_context *c)
{
    const fmc_sobol_result *r = &c->a->sobol;
    if (!(r->variance > 0))
        return;
    const fmc_scenario *s = c->s;
    double total[FMC_MAX_INPUTS];
    size_t order[FMC_MAX_INPUTS];
    for (size_t j = 0; j < s->input_count; j++)
        total[j] = fmc_sensitivity_input_set(s, j) >= 0 ? NAN : r->total[j].value;
    size_t n = uncertain_by(c, total, order);
    const char *rows[FMC_MAX_INPUTS + FMC_GROUP_COUNT];
    const fmc_sobol_estimate *first[FMC_MAX_INPUTS + FMC_GROUP_COUNT];
    const fmc_sobol_estimate *last[FMC_MAX_INPUTS + FMC_GROUP_COUNT];
    for (size_t k = 0; k < n; k++) {
        rows[k] = s->inputs[order[k]].name;
        first[k] = &r->first[order[k]];
        last[k] = &r->total[order[k]];
    }
    if (n)
        sobol_chart(c, "sobol", "Sobol indices of profit", "inputs", rows, first, last, n);

    double group_total[FMC_MAX_INPUTS + FMC_GROUP_COUNT];
    size_t group_order[FMC_MAX_INPUTS + FMC_GROUP_COUNT];
    char labels[FMC_MAX_INPUTS + FMC_GROUP_COUNT][96];
    for (size_t g = 0; g < r->group_count; g++)
        group_total[g] = fmc_sensitivity_group_splits_set(s, g) ? NAN : r->group_total[g].value;
    n = by_importance(group_total, r->group_count, group_order);
    for (size_t k = 0; k < n; k++) {
        size_t g = group_order[k];
        fmc_sensitivity_group_label(s, g, labels[k], sizeof labels[k]);
        rows[k] = labels[k];
        first[k] = &r->group_first[g];
        last[k] = &r->group_total[g];
    }
    if (n)
        sobol_chart(c, "sobol-groups", "Sobol indices of groups of inputs", "groups of inputs",
                    rows, first, last, n);
}

static void drivers(const run_context *c)
{
    int has_drivers = !isnan(c->r->drivers.r_squared) && c->r->drivers.count > 0;
    if (c->a->summary_only || (!c->a->tornado.count && !has_drivers && !c->a->has_sobol))
        return;
    page_section(c->page, "drivers", "What drives profit");
    if (c->a->tornado.count)
        one_at_a_time(c);
    if (has_drivers)
        monte_carlo_drivers(c);
    if (c->a->has_sobol)
        sobol(c);
}

/* ---- levers ---- */

static void lever_gains(const run_context *c, const char **names)
{
    const fmc_lever_results *l = &c->r->levers;
    size_t n = l->count;
    fmc_chart_bar *b = malloc(n * sizeof *b);
    char (*notes)[128] = malloc(n * sizeof *notes);
    if (!b || !notes) {
        c->page->failed = 1;
        free(b);
        free(notes);
        return;
    }
    for (size_t k = 0; k < n; k++) {
        size_t i = l->rank[k];
        char cost[48], share[48];
        /* the cost is known about as well as the net gain it is part of */
        format_rounded(cost, sizeof cost, l->mean_cost[i], l->net[i].se);
        format_rounded(share, sizeof share, 100 * l->p_improve[i], 100 * l->p_improve_se[i]);
        snprintf(notes[k], sizeof notes[k], "cost %s; P(net gain > 0) %s%%", cost, share);
        b[k] = (fmc_chart_bar){k, 0, 0, l->net[i].mean, l->net[i].mean_ci[0], l->net[i].mean_ci[1],
                               notes[k]};
    }
    const char *series[] = {"mean net gain"};
    char desc[400], x_label[160];
    snprintf(desc, sizeof desc,
             "Each lever's mean net gain (its gain in profit less its own cost) with its %g%% "
             "interval, best first; the note gives its mean cost and how often it pays.",
             100 * c->s->confidence);
    snprintf(x_label, sizeof x_label, "net gain (%s)", c->money);
    fmc_bar_chart chart = {.text = {"Levers: net gain", desc, x_label, NULL}, .row_count = n,
                           .rows = names, .series_count = 1, .series = series, .bar_count = n,
                           .bars = b, .reference = 0, .reference_label = "0"};
    page_chart(c->page, "levers", fmc_chart_bars(&chart));
    free(b);
    free(notes);
}

static void lever_beats(const run_context *c, const char **names)
{
    const fmc_lever_results *l = &c->r->levers;
    size_t n = l->count;
    double *v = malloc(n * n * sizeof *v);
    char (*text)[16] = malloc(n * n * sizeof *text);
    const char **cell_text = malloc(n * n * sizeof *cell_text);
    if (!v || !text || !cell_text) {
        c->page->failed = 1;
    } else {
        double largest_se = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                size_t k = i * n + j, at = l->rank[i] * n + l->rank[j];
                v[k] = i == j ? NAN : l->p_beats[at];
                if (isnan(v[k]))
                    snprintf(text[k], sizeof text[k], "unknown");
                else
                    snprintf(text[k], sizeof text[k], "%.2f", v[k]);
                cell_text[k] = i == j ? NULL : text[k];
                if (i != j && l->p_beats_se[at] > largest_se)
                    largest_se = l->p_beats_se[at];
            }
        char desc[400];
        snprintf(desc, sizeof desc,
                 "The share of outcomes in which the lever of the row ends with a larger net "
                 "profit than the lever of the column; levers in rank order. Each share's "
                 "standard error is at most %.2g.", largest_se);
        fmc_heatmap_chart chart = {
            .text = {"How often each lever beats another", desc, "the other lever", "the lever"},
            .rows = n, .columns = n, .row_labels = names, .column_labels = names, .values = v,
            .value_label = "P(row beats column)", .min = 0, .max = 1, .cell_text = cell_text};
        page_chart(c->page, "p-beats", fmc_chart_heatmap(&chart));
    }
    free(v);
    free(text);
    free(cell_text);
}

static void lever_equivalents(const run_context *c, const char **names)
{
    const fmc_lever_results *l = &c->r->levers;
    size_t d = l->inputs, columns[FMC_MAX_INPUTS], m = 0;
    if (!l->equivalent_add)
        return;
    for (size_t j = 0; j < d; j++)
        for (size_t i = 0; i < l->count; i++)
            if (!isnan(l->equivalent_add[i * d + j]) || !isnan(l->equivalent_scale[i * d + j])) {
                columns[m++] = j;
                break;
            }
    if (!m)
        return;
    const char *headers[FMC_MAX_INPUTS + 1] = {"lever"};
    for (size_t k = 0; k < m; k++)
        headers[k + 1] = c->s->inputs[columns[k]].name;
    page_printf(c->page, "<p>Equivalent changes: what each lever is worth, as the change of one "
                         "input alone that gives the same mean gain (add to it, or multiply it "
                         "by); none: no change of that input gains as much.</p>\n");
    table_begin(c->page, headers, m + 1);
    for (size_t k = 0; k < l->count; k++) {
        size_t i = l->rank[k];
        cell(c->page, 1, names[k]);
        for (size_t q = 0; q < m; q++) {
            size_t at = i * d + columns[q];
            char add[64], scale[64], text[160];
            format_estimate(add, sizeof add, l->equivalent_add[at], l->equivalent_add_se[at]);
            format_estimate(scale, sizeof scale, l->equivalent_scale[at],
                            l->equivalent_scale_se[at]);
            if (isnan(l->equivalent_add[at]) && isnan(l->equivalent_scale[at]))
                snprintf(text, sizeof text, "none");
            else if (isnan(l->equivalent_scale[at]))
                snprintf(text, sizeof text, "%s%s", add[0] == '-' ? "" : "+", add);
            else if (isnan(l->equivalent_add[at]))
                snprintf(text, sizeof text, "\xc3\x97%s", scale);
            else
                snprintf(text, sizeof text, "%s%s or \xc3\x97%s", add[0] == '-' ? "" : "+", add,
                         scale);
            cell(c->page, 0, text);
        }
        row_end(c->page);
    }
    table_end(c->page);
}

static void lever_pairs(const run_context *c)
{
    const fmc_lever_results *l = &c->r->levers;
    if (!l->pairs)
        return;
    static const char *const headers[] = {"pair applied together", "gain", "interaction",
                                          "net gain (after both costs)"};
    table_begin(c->page, headers, 4);
    for (size_t q = 0; q < l->pairs; q++) {
        char name[256], text[3][64];
        snprintf(name, sizeof name, "%s + %s", c->s->levers[l->pair_first[q]].name,
                 c->s->levers[l->pair_second[q]].name);
        cell(c->page, 1, name);
        const fmc_output_summary *figures[] = {&l->combined[q], &l->interaction[q],
                                               &l->pair_net[q]};
        for (size_t k = 0; k < 3; k++)
            cell(c->page, 0, format_estimate(text[k], sizeof text[k], figures[k]->mean,
                                             figures[k]->se));
        row_end(c->page);
    }
    table_end(c->page);
}

static void value_of_information(const run_context *c)
{
    const fmc_lever_results *l = &c->r->levers;
    if (isnan(l->voi.evpi))
        return;
    size_t count = l->inputs + l->voi.numbers;
    double *value = malloc(count * sizeof *value);
    size_t *order = malloc(count * sizeof *order);
    fmc_chart_bar *b = malloc(count * sizeof *b);
    char (*names)[160] = malloc(count * sizeof *names);
    const char **rows = malloc(count * sizeof *rows);
    if (!value || !order || !b || !names || !rows) {
        c->page->failed = 1;
        goto done;
    }
    for (size_t k = 0; k < count; k++) {
        double x = voi_candidate(l, k, 0);
        value[k] = x > 0 ? x : NAN;  /* worth nothing: not drawn */
    }
    size_t n = by_importance(value, count, order);
    for (size_t k = 0; k < n; k++) {
        double x = voi_candidate(l, order[k], 0), se = voi_candidate(l, order[k], 1);
        voi_candidate_name(c->s, l, order[k], names[k], sizeof names[k]);
        rows[k] = names[k];
        b[k] = (fmc_chart_bar){k, 0, 0, x, x - c->z * se, x + c->z * se, NULL};
    }
    if (n) {
        const char *series[] = {"worth of knowing it"};
        char desc[400], x_label[160], all[48];
        snprintf(desc, sizeof desc,
                 "How much more the lever chosen would earn, on average, if this quantity were "
                 "known before choosing, with its %g%% interval; knowing everything is worth %s.",
                 100 * c->s->confidence,
                 format_rounded(all, sizeof all, l->voi.evpi, l->voi.evpi_se));
        snprintf(x_label, sizeof x_label, "value of information (%s)", c->money);
        fmc_bar_chart chart = {.text = {"Value of information", desc, x_label, NULL},
                               .row_count = n, .rows = rows, .series_count = 1,
                               .series = series, .bar_count = n, .bars = b, .reference = NAN};
        page_chart(c->page, "voi", fmc_chart_bars(&chart));
    }
done:
    free(value);
    free(order);
    free(b);
    free(names);
    free(rows);
}

static void portfolio(const run_context *c)
{
    const fmc_portfolio_result *p = &c->r->portfolio;
    if (p->levers == 0 || p->count == 0)
        return;
    page_printf(c->page, "<p>The best sets of levers for the budget, best first (every subset "
                         "screened on %llu draws).</p>\n",
                (unsigned long long)p->screen_samples);
    static const char *const headers[] = {"set of levers", "mean net profit", "objective",
                                          "extra hours", "extra money", "P(over budget) (%)"};
    table_begin(c->page, headers, 6);
    for (size_t k = 0; k < p->count; k++) {
        const fmc_portfolio_set *set = &p->sets[k];
        char text[64];
        page_printf(c->page, "<tr><td>");
        if (!set->members)
            page_printf(c->page, "no lever");
        for (size_t i = 0, named = 0; i < c->s->lever_count && i < 32; i++)
            if (set->members >> i & 1u) {
                page_printf(c->page, "%s", named++ ? " + " : "");
                page_text(c->page, c->s->levers[i].name);
            }
        page_printf(c->page, "</td>");
        cell(c->page, 0, format_estimate(text, sizeof text, set->net_mean, set->net_se));
        cell(c->page, 0, format_estimate(text, sizeof text, set->objective, set->objective_se));
        snprintf(text, sizeof text, "%.3g", set->extra_hours);
        cell(c->page, 0, text);
        snprintf(text, sizeof text, "%.6g", set->extra_money);
        cell(c->page, 0, text);
        cell(c->page, 0, format_estimate(text, sizeof text, 100 * set->p_over,
                                         100 * set->p_over_se));
        row_end(c->page);
    }
    table_end(c->page);
}

static void levers(const run_context *c)
{
    const fmc_lever_results *l = &c->r->levers;
    if (!c->a->has_levers || l->count == 0)
        return;
    page_section(c->page, "levers", "Levers");
    const char **names = malloc(l->count * sizeof *names);
    if (!names) {
        c->page->failed = 1;
        return;
    }
    for (size_t k = 0; k < l->count; k++)
        names[k] = c->s->levers[l->rank[k]].name;
    lever_gains(c, names);
    if (l->count >= 2)
        lever_beats(c, names);
    lever_equivalents(c, names);
    lever_pairs(c);
    value_of_information(c);
    portfolio(c);
    free(names);
}

/* ---- tables of what was asked ---- */

static void break_even(const run_context *c)
{
    const fmc_break_even_result *b = &c->r->break_even;
    if (b->inputs == 0)
        return;
    page_section(c->page, "break-even", "Break-even points");
    page_printf(c->page, "<p>The value of each input alone at which mean profit is 0, the "
                         "others as drawn; the inputs that drive profit most first.</p>\n");
    /* by contribution to the variance, as the terminal orders them; without
     * the drivers, in scenario order */
    const fmc_drivers_result *d = &c->r->drivers;
    int ranked = !c->a->summary_only && !isnan(d->r_squared) && d->count == c->s->input_count;
    double weight[FMC_MAX_INPUTS];
    size_t order[FMC_MAX_INPUTS];
    for (size_t j = 0; j < c->s->input_count; j++)
        weight[j] = ranked ? d->contribution[j] : 1;
    size_t n = uncertain_by(c, weight, order);
    static const char *const headers[] = {"input", "break-even value", "base"};
    table_begin(c->page, headers, 3);
    for (size_t k = 0; k < n; k++) {
        size_t j = order[k];
        char text[64];
        cell(c->page, 1, c->s->inputs[j].name);
        cell(c->page, 0, b->kind[j] == FMC_BREAK_EVEN_FOUND
                             ? format_estimate(text, sizeof text, b->value[j], b->se[j])
                         : b->kind[j] == FMC_BREAK_EVEN_ALWAYS_PROFIT ? "none: always a profit"
                                                                      : "none: always a loss");
        snprintf(text, sizeof text, "%g", c->s->inputs[j].base);
        cell(c->page, 0, text);
        row_end(c->page);
    }
    table_end(c->page);
    if (b->periods && b->period_kind == FMC_BREAK_EVEN_FOUND) {
        char text[64];
        page_printf(c->page, "<p>The mean cumulative profit reaches 0 after ");
        page_text(c->page, format_estimate(text, sizeof text, b->period, b->period_se));
        page_printf(c->page, " ");
        page_text(c->page, c->s->period);
        page_printf(c->page, "s.</p>\n");
    }
}

static void correlations(const run_context *c)
{
    const fmc_correlation_check_result *k = &c->r->correlations;
    if (!k->count)
        return;
    page_section(c->page, "correlations", "Correlations asked and drawn");
    static const char *const headers[] = {"pair", "asked", "drawn"};
    table_begin(c->page, headers, 3);
    for (size_t q = 0; q < k->count; q++) {
        const fmc_realised_correlation *pair = &k->pairs[q];
        char first[256], second[256], name[520], text[64];
        fmc_correlated_name(c->s, pair->first, first, sizeof first);
        fmc_correlated_name(c->s, pair->second, second, sizeof second);
        snprintf(name, sizeof name, "%s ~ %s", first, second);
        cell(c->page, 1, name);
        snprintf(text, sizeof text, "%g", pair->requested);
        cell(c->page, 0, text);
        cell(c->page, 0, format_estimate(text, sizeof text, pair->realised, pair->realised_se));
        row_end(c->page);
    }
    table_end(c->page);
}

void report_run(report_page *page, const fmc_results_view *view)
{
    run_context c = {.page = page, .s = view->scenario, .a = view->analysis,
                     .r = &view->analysis->result};
    c.z = fmc_interval_factor(&c.r->design, c.s->confidence);
    if (c.r->horizon.periods)
        snprintf(c.money, sizeof c.money, "money over %u %ss", c.r->horizon.periods,
                 c.s->period);
    else
        snprintf(c.money, sizeof c.money, "money per %s", c.s->period);
    answer(&c);
    profit(&c);
    horizon(&c);
    drivers(&c);
    levers(&c);
    break_even(&c);
    correlations(&c);
}
