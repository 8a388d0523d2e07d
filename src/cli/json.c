/* `--json`: the summary of a run, sweep or batch as one JSON document on
 * standard output, schema in docs/json.md.  It formats only: every figure
 * comes from the structures the text summary prints (a results view,
 * results_read.h), so a file read back by `show --json` prints what the
 * command that wrote it printed, the run-time figures (threads, seconds)
 * aside.  Every figure with an uncertainty carries it ("se", "ci"); NaN and
 * infinities are null; every number is written as text that reads back as
 * the same double, and counts and seeds as exact integers, which a double
 * would round beyond 2^53. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "funnelmc/break_even.h"
#include "funnelmc/levers.h"
#include "funnelmc/results_read.h"
#include "funnelmc/sensitivity.h"
#include "funnelmc/version.h"

/* Bumped on every change a script written for the previous one would
 * trip on (a key removed, renamed or of another type); additions keep it. */
#define JSON_SCHEMA 1

/* A document under construction: a failed allocation anywhere marks it,
 * and the child of a parent that failed fails in turn, so one check at the
 * end catches them all. */
typedef struct builder {
    int failed;
} builder;

/* ITEM into PARENT under KEY (KEY NULL: PARENT is an array); ITEM or NULL. */
static cJSON *put(builder *b, cJSON *parent, const char *key, cJSON *item)
{
    int added = item && parent &&
                (key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item));
    if (!added) {
        cJSON_Delete(item);
        b->failed = 1;
        return NULL;
    }
    return item;
}

static cJSON *object(builder *b, cJSON *parent, const char *key)
{
    return put(b, parent, key, cJSON_CreateObject());
}

static cJSON *array(builder *b, cJSON *parent, const char *key)
{
    return put(b, parent, key, cJSON_CreateArray());
}

/* X in the fewest digits (15 to 17) that read back as X (cJSON's own printer
 * settles for 15 digits within an epsilon: not always the same double);
 * null when X is NaN or infinite, which JSON cannot hold. */
static void number(builder *b, cJSON *parent, const char *key, double x)
{
    if (!isfinite(x)) {
        put(b, parent, key, cJSON_CreateNull());
        return;
    }
    char text[32];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, x);
        if (strtod(text, NULL) == x)
            break;
    }
    put(b, parent, key, cJSON_CreateRaw(text));
}

static void count(builder *b, cJSON *parent, const char *key, unsigned long long n)
{
    char text[24];
    snprintf(text, sizeof text, "%llu", n);
    put(b, parent, key, cJSON_CreateRaw(text));
}

/* TEXT, or null when it is NULL. */
static void string(builder *b, cJSON *parent, const char *key, const char *text)
{
    put(b, parent, key, text ? cJSON_CreateString(text) : cJSON_CreateNull());
}

static void interval(builder *b, cJSON *parent, const char *key, const double ci[2])
{
    cJSON *pair = array(b, parent, key);
    number(b, pair, NULL, ci[0]);
    number(b, pair, NULL, ci[1]);
}

/* {"value", "se"}: an estimate and its standard error. */
static cJSON *estimate(builder *b, cJSON *parent, const char *key, double value, double se)
{
    cJSON *e = object(b, parent, key);
    number(b, e, "value", value);
    number(b, e, "se", se);
    return e;
}

/* A mean with its standard error and its confidence interval. */
static void mean(builder *b, cJSON *parent, const char *key, const fmc_output_summary *o,
                 double confidence)
{
    cJSON *m = estimate(b, parent, key, o->mean, o->se);
    interval(b, m, "ci", o->mean_ci);
    number(b, m, "confidence", confidence);
}

/* The quantiles of O, each with its confidence interval. */
static void quantiles(builder *b, cJSON *parent, const fmc_output_summary *o)
{
    cJSON *list = array(b, parent, "quantiles");
    for (int k = 0; k < FMC_QUANTILE_COUNT; k++) {
        cJSON *q = object(b, list, NULL);
        number(b, q, "level", fmc_quantile_levels[k]);
        number(b, q, "value", o->quantiles[k]);
        interval(b, q, "ci", o->quantile_ci[k]);
    }
}

/* An output's summary over the samples. */
static cJSON *summary(builder *b, cJSON *parent, const char *key, const fmc_output_summary *o,
                      double confidence)
{
    cJSON *s = object(b, parent, key);
    mean(b, s, "mean", o, confidence);
    number(b, s, "sd", o->sd);
    number(b, s, "min", o->min);
    number(b, s, "max", o->max);
    count(b, s, "count", o->count);
    count(b, s, "undefined", o->undefined);
    estimate(b, s, "p_loss", o->p_loss, o->p_loss_se);
    quantiles(b, s, o);
    return s;
}

static void payback(builder *b, cJSON *parent, const fmc_payback_summary *p)
{
    cJSON *j = object(b, parent, "payback");
    number(b, j, "median", p->median);
    interval(b, j, "median_ci", p->median_ci);
    estimate(b, j, "p_never", p->p_never, p->p_never_se);
}

static void horizon(builder *b, cJSON *parent, const fmc_scenario *s, const fmc_horizon_result *h)
{
    cJSON *j = object(b, parent, "horizon");
    count(b, j, "periods", h->periods);
    string(b, j, "period", s->period);
    number(b, j, "discount_rate", h->discount_rate);
    cJSON *periods = array(b, j, "profit");
    for (uint32_t t = 0; t < h->periods; t++) {
        cJSON *p = object(b, periods, NULL);
        count(b, p, "period", t + 1);
        const fmc_output_summary *o = &h->profit[t];
        mean(b, p, "mean", o, s->confidence);
        number(b, p, "sd", o->sd);
        estimate(b, p, "p_loss", o->p_loss, o->p_loss_se);
        quantiles(b, p, o);
    }
    payback(b, j, &h->payback);
}

static void tornado(builder *b, cJSON *parent, const fmc_scenario *s, const fmc_tornado *t)
{
    cJSON *j = object(b, parent, "tornado");
    number(b, j, "low_percentile", t->low_percentile);
    number(b, j, "high_percentile", t->high_percentile);
    number(b, j, "base_profit", t->base_profit);
    cJSON *bars = array(b, j, "bars");
    for (size_t k = 0; k < t->count; k++) {
        cJSON *bar = object(b, bars, NULL);
        string(b, bar, "input", s->inputs[t->order[k]].name);
        number(b, bar, "low_value", t->low_value[k]);
        number(b, bar, "high_value", t->high_value[k]);
        number(b, bar, "low_profit", t->low_profit[k]);
        number(b, bar, "high_profit", t->high_profit[k]);
        number(b, bar, "swing", t->swing[k]);
    }
}

static void sobol_index(builder *b, cJSON *parent, const char *key, const fmc_sobol_estimate *e)
{
    interval(b, estimate(b, parent, key, e->value, e->se), "ci", e->ci);
}

/* What drives profit, input by input in scenario order: the drivers of
 * every full run, and the Sobol indices when they were asked for. */
static void sensitivity(builder *b, cJSON *parent, const fmc_scenario *s, const fmc_analysis *a)
{
    const fmc_drivers_result *d = &a->result.drivers;
    cJSON *j = object(b, parent, "sensitivity");
    number(b, j, "r_squared", d->r_squared);
    cJSON *inputs = array(b, j, "inputs");
    for (size_t i = 0; i < s->input_count; i++) {
        cJSON *input = object(b, inputs, NULL);
        string(b, input, "input", s->inputs[i].name);
        estimate(b, input, "spearman", d->spearman[i], d->spearman_se[i]);
        number(b, input, "contribution", d->contribution[i]);
        estimate(b, input, "src", d->src[i], d->src_se[i]);
        cJSON *range = estimate(b, input, "mean_range", d->mean_range[i], d->mean_range_se[i]);
        number(b, range, "low", d->mean_low[i]);
        number(b, range, "high", d->mean_high[i]);
        if (a->has_sobol) {
            sobol_index(b, input, "sobol_first", &a->sobol.first[i]);
            sobol_index(b, input, "sobol_total", &a->sobol.total[i]);
        }
    }
    if (!a->has_sobol)
        return;
    cJSON *groups = array(b, j, "groups");
    char label[256];
    for (size_t g = 0; g < a->sobol.group_count; g++) {
        cJSON *group = object(b, groups, NULL);
        fmc_sensitivity_group_label(s, g, label, sizeof label);
        string(b, group, "group", label);
        sobol_index(b, group, "sobol_first", &a->sobol.group_first[g]);
        sobol_index(b, group, "sobol_total", &a->sobol.group_total[g]);
    }
}

static void break_even(builder *b, cJSON *parent, const fmc_scenario *s,
                       const fmc_break_even_result *r)
{
    cJSON *j = object(b, parent, "break_even");
    cJSON *inputs = array(b, j, "inputs");
    for (size_t i = 0; i < r->inputs; i++) {
        cJSON *input = estimate(b, inputs, NULL, r->value[i], r->se[i]);
        string(b, input, "input", s->inputs[i].name);
        string(b, input, "kind", fmc_break_even_kind_name(r->kind[i]));
    }
    if (r->periods) {
        cJSON *period = estimate(b, j, "period", r->period, r->period_se);
        string(b, period, "kind", fmc_break_even_kind_name(r->period_kind));
    }
}

/* The levers in rank order, each with its standing against every other. */
static void levers(builder *b, cJSON *parent, const fmc_scenario *s, const fmc_lever_results *r)
{
    cJSON *list = array(b, parent, "levers");
    size_t n = r->count;
    for (size_t rank = 0; rank < n; rank++) {
        size_t l = r->rank[rank];
        cJSON *lever = object(b, list, NULL);
        string(b, lever, "name", s->levers[l].name);
        count(b, lever, "rank", rank + 1);
        cJSON *gain = object(b, lever, "gain");
        mean(b, gain, "mean", &r->gain[l], s->confidence);
        quantiles(b, gain, &r->gain[l]);
        mean(b, lever, "net_gain", &r->net[l], s->confidence);
        number(b, lever, "cost", r->mean_cost[l]);
        number(b, lever, "roi", r->roi[l]);
        estimate(b, lever, "p_improve", r->p_improve[l], r->p_improve_se[l]);
        number(b, lever, "clamped_share", r->clamped_share[l]);
        estimate(b, lever, "inputs_share", r->inputs_share[l], r->inputs_share_se[l]);
        put(b, lever, "reach_assumed", cJSON_CreateBool(r->reach_assumed[l] != 0));
        if (r->periods) {
            payback(b, lever, &r->payback[l]);
            cJSON *periods = array(b, lever, "periods");
            for (uint32_t t = 0; t < r->periods; t++) {
                size_t k = l * r->periods + t;
                cJSON *p = object(b, periods, NULL);
                count(b, p, "period", t + 1);
                estimate(b, p, "gain", r->period_gain[k], r->period_gain_se[k]);
                estimate(b, p, "net_gain", r->period_net[k], r->period_net_se[k]);
            }
        }
        cJSON *versus = array(b, lever, "versus");
        for (size_t other = 0; other < n; other++) {
            if (other == l)
                continue;
            cJSON *v = object(b, versus, NULL);
            string(b, v, "lever", s->levers[other].name);
            estimate(b, v, "p_beats", r->p_beats[l * n + other], r->p_beats_se[l * n + other]);
            number(b, v, "p_tie", r->p_tie[l * n + other]);
        }
        cJSON *equivalents = array(b, lever, "equivalents");
        for (size_t i = 0; i < r->inputs; i++) {
            size_t k = l * r->inputs + i;
            if (isnan(r->equivalent_add[k]) && isnan(r->equivalent_scale[k]))
                continue;
            cJSON *e = object(b, equivalents, NULL);
            string(b, e, "input", s->inputs[i].name);
            estimate(b, e, "add", r->equivalent_add[k], r->equivalent_add_se[k]);
            estimate(b, e, "scale", r->equivalent_scale[k], r->equivalent_scale_se[k]);
        }
    }
    if (!r->pairs)
        return;
    cJSON *pairs = array(b, parent, "pairs");
    for (size_t q = 0; q < r->pairs; q++) {
        cJSON *pair = object(b, pairs, NULL);
        cJSON *names = array(b, pair, "levers");
        string(b, names, NULL, s->levers[r->pair_first[q]].name);
        string(b, names, NULL, s->levers[r->pair_second[q]].name);
        mean(b, pair, "combined_gain", &r->combined[q], s->confidence);
        mean(b, pair, "net_gain", &r->pair_net[q], s->confidence);
        mean(b, pair, "interaction", &r->interaction[q], s->confidence);
    }
}

/* The value of information of the choice among the levers. */
static void voi(builder *b, cJSON *parent, const fmc_scenario *s, const fmc_lever_results *r)
{
    const fmc_lever_voi *v = &r->voi;
    cJSON *j = object(b, parent, "voi");
    string(b, j, "choice", v->best ? s->levers[v->best - 1].name : NULL);
    number(b, j, "choice_net_gain", v->best_net);
    estimate(b, j, "evpi", v->evpi, v->evpi_se);
    cJSON *known = array(b, j, "evppi");
    char name[600];
    for (size_t k = 0; k < r->inputs + v->numbers; k++) {
        cJSON *e = estimate(b, known, NULL, voi_candidate(r, k, 0), voi_candidate(r, k, 1));
        voi_candidate_name(s, r, k, name, sizeof name);
        string(b, e, "name", name);
        string(b, e, "kind", k < r->inputs ? "input" : "lever_number");
    }
    cJSON *groups = array(b, j, "groups");
    for (int g = 0; g < FMC_GROUP_COUNT; g++)
        string(b, estimate(b, groups, NULL, v->group[g], v->group_se[g]), "group",
               fmc_group_name(g));
}

static void portfolio(builder *b, cJSON *parent, const fmc_scenario *s,
                      const fmc_portfolio_result *p)
{
    cJSON *j = object(b, parent, "portfolio");
    number(b, j, "budget_hours", p->budget_hours);
    number(b, j, "budget_money", p->budget_money);
    cJSON *sets = array(b, j, "sets");
    for (size_t k = 0; k < p->count; k++) {
        const fmc_portfolio_set *set = &p->sets[k];
        cJSON *js = object(b, sets, NULL);
        cJSON *members = array(b, js, "levers");
        for (size_t l = 0; l < s->lever_count; l++)
            if (set->members >> l & 1u)
                string(b, members, NULL, s->levers[l].name);
        interval(b, estimate(b, js, "objective", set->objective, set->objective_se), "ci",
                 set->objective_ci);
        estimate(b, js, "net_profit", set->net_mean, set->net_se);
        number(b, js, "extra_hours", set->extra_hours);
        number(b, js, "extra_money", set->extra_money);
        estimate(b, js, "p_over_budget", set->p_over, set->p_over_se);
    }
    estimate(b, j, "p_best_beats_second", p->p_best_beats_second, p->p_best_beats_second_se);
}

/* Where the bottom line's sentences go. */
typedef struct sentences {
    builder *b;
    cJSON *list;
} sentences;

static void say(void *context, const char *sentence)
{
    sentences *to = context;
    string(to->b, to->list, NULL, sentence);
}

/* The fields of a run (or a batch's part) into J. */
static void analysis(builder *b, cJSON *j, const fmc_scenario *s, const fmc_analysis *a)
{
    const fmc_run_result *r = &a->result;
    string(b, j, "scenario", s->name);
    string(b, j, "description", s->description);
    string(b, j, "period", s->period);
    count(b, j, "seed", r->seed);
    count(b, j, "samples", r->samples);
    /* a run read back knows neither (threads 0, seconds NaN): null */
    number(b, j, "threads", r->threads > 0 ? r->threads : NAN);
    number(b, j, "seconds", r->seconds);
    number(b, j, "confidence", s->confidence);
    cJSON *design = object(b, j, "design");
    string(b, design, "sampling", fmc_design_name(r->design.method));
    count(b, design, "replicates", r->design.replicates);
    if (r->precision_target > 0) {
        cJSON *rule = object(b, j, "stopping_rule");
        number(b, rule, "target", r->precision_target);
        number(b, rule, "half_width", r->mean_half_width);
        put(b, rule, "met", cJSON_CreateBool(r->precision_met != 0));
    }
    static const char *const names[FMC_SUMMARY_COUNT] = {"profit", "roi", "sales"};
    for (int k = 0; k < FMC_SUMMARY_COUNT; k++) {
        /* ROI is undefined in every sample when the cost is always 0 */
        if (k == FMC_OUT_ROI && r->outputs[k].count == 0) {
            put(b, j, names[k], cJSON_CreateNull());
            continue;
        }
        number(b, summary(b, j, names[k], &r->outputs[k], s->confidence), "base", r->base[k]);
    }
    if (r->horizon.periods)
        horizon(b, j, s, &r->horizon);
    if (!a->summary_only) {
        tornado(b, j, s, &a->tornado);
        sensitivity(b, j, s, a);
    }
    if (r->break_even.inputs > 0)
        break_even(b, j, s, &r->break_even);
    if (a->has_levers) {
        levers(b, j, s, &r->levers);
        if (!isnan(r->levers.voi.evpi))
            voi(b, j, s, &r->levers);
    }
    if (r->portfolio.levers > 0)
        portfolio(b, j, s, &r->portfolio);
    sentences to = {b, array(b, j, "bottom_line")};
    bottom_line_sentences(s, a, say, &to);
}

/* A sweep: its axes, and per point (C order, the last axis fastest) the
 * axes' values and the statistics there. */
static void sweep(builder *b, cJSON *parent, const fmc_scenario *s, const fmc_sweep *sw,
                  const fmc_sweep_result *r)
{
    cJSON *j = object(b, parent, NULL);
    string(b, j, "name", sw->name);
    count(b, j, "samples", r->samples);
    cJSON *design = object(b, j, "design");
    string(b, design, "sampling", fmc_design_name(r->design.method));
    count(b, design, "replicates", r->design.replicates);
    cJSON *axes = array(b, j, "axes");
    for (size_t a = 0; a < sw->axis_count; a++) {
        cJSON *axis = object(b, axes, NULL);
        string(b, axis, "name", fmc_axis_name(s, &sw->axes[a]));
        string(b, axis, "op", fmc_change_op_name(sw->axes[a].op));
        cJSON *values = array(b, axis, "values");
        for (size_t v = 0; v < sw->axes[a].value_count; v++)
            number(b, values, NULL, sw->axes[a].values[v]);
    }
    cJSON *points = array(b, j, "points");
    size_t index[FMC_MAX_SWEEP_AXES];
    for (size_t p = 0; p < r->points; p++) {
        cJSON *point = object(b, points, NULL);
        cJSON *at = object(b, point, "at");
        fmc_sweep_point_indices(sw, p, index);
        for (size_t a = 0; a < sw->axis_count; a++)
            number(b, at, fmc_axis_name(s, &sw->axes[a]), sw->axes[a].values[index[a]]);
        cJSON *profit = object(b, point, "profit");
        estimate(b, profit, "mean", r->mean[p], r->se[p]);
        number(b, profit, "sd", r->sd[p]);
        estimate(b, profit, "p_loss", r->p_loss[p], r->p_loss_se[p]);
        number(b, profit, "p05", r->p05[p]);
        number(b, profit, "p50", r->p50[p]);
        number(b, profit, "p95", r->p95[p]);
        if (r->best_lever[p] < 0)
            continue;
        string(b, point, "best_lever", s->levers[r->best_lever[p]].name);
        estimate(b, point, "best_net_gain", r->best_gain[p], r->best_gain_se[p]);
        string(b, point, "runner_up", r->runner_up[p] >= 0 ? s->levers[r->runner_up[p]].name
                                                           : NULL);
        estimate(b, point, "p_beats_runner_up", r->p_beats_runner_up[p],
                 r->p_beats_runner_up_se[p]);
        number(b, point, "p_ties_runner_up", r->p_ties_runner_up[p]);
    }
}

static void sweeps(builder *b, cJSON *j, const fmc_results_view *v)
{
    cJSON *list = array(b, j, "sweeps");
    for (size_t k = 0; k < v->sweep_count; k++)
        sweep(b, list, v->scenario, v->sweeps[k], &v->sweep_results[k]);
}

static void batch_rows(builder *b, cJSON *j, const fmc_results_view *v)
{
    cJSON *rows = array(b, j, "rows");
    for (size_t i = 0; i < v->part_count; i++) {
        const fmc_batch_row *row = &v->rows[i];
        cJSON *jr = object(b, rows, NULL);
        string(b, jr, "scenario", row->name);
        string(b, jr, "file", row->file);
        string(b, jr, "period", row->period);
        cJSON *profit = object(b, jr, "profit");
        estimate(b, profit, "mean", row->mean, row->se);
        number(b, profit, "sd", row->sd);
        estimate(b, profit, "p_loss", row->p_loss, row->p_loss_se);
        string(b, jr, "best_lever", row->best_lever[0] ? row->best_lever : NULL);
        cJSON *names = array(b, jr, "sweeps");
        for (size_t k = 0; k < v->parts[i].sweep_count; k++)
            string(b, names, NULL, v->parts[i].sweeps[k]->name);
    }
}

int print_json(FILE *out, const fmc_results_view *view, const fmc_results_view *part)
{
    static const char *const commands[] = {"run", "sweep", "batch", "bench"};
    builder b = {0};
    cJSON *root = cJSON_CreateObject();
    cJSON *program = object(&b, root, "funnelmc");
    string(&b, program, "version", fmc_version());
    number(&b, program, "schema", JSON_SCHEMA);
    /* a batch's part is a run, with its sweeps when the batch ran them */
    fmc_results_kind kind = part != view ? FMC_RESULTS_RUN : view->kind;
    string(&b, root, "command", commands[kind]);
    string(&b, root, "results", view->path);
    switch (kind) {
    case FMC_RESULTS_RUN:
        analysis(&b, root, part->scenario, part->analysis);
        if (part->sweep_count)
            sweeps(&b, root, part);
        break;
    case FMC_RESULTS_SWEEPS:
        string(&b, root, "scenario", view->scenario->name);
        sweeps(&b, root, view);
        break;
    case FMC_RESULTS_BATCH:
        batch_rows(&b, root, view);
        break;
    case FMC_RESULTS_BENCH:
        print_error("option '--json': '%s' is a bench file, which has no JSON summary", view->path);
        cJSON_Delete(root);
        return EXIT_USAGE;
    }
    char *text = b.failed ? NULL : cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        print_local_error("out of memory");
        return EXIT_RUN_FAILED;
    }
    int written = fputs(text, out) >= 0 && fputc('\n', out) != EOF && fflush(out) == 0;
    free(text);
    if (!written) {
        print_error("cannot write the JSON summary: %s", strerror(errno));
        return EXIT_RUN_FAILED;
    }
    return 0;
}
