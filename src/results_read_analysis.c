/* Reading a run's analyses back (results_read_internal.h): the inverse of
 * fmc_results_write_tornado, _drivers, _sobol, _levers (with its pairs,
 * per-period figures and value of information), _break_even and
 * _portfolio (docs/hdf5-layout.md).
 *
 * Every count is the scenario's (inputs d, levers L, groups, the levers'
 * uncertain numbers V, the horizon's periods T) or is checked against it
 * (pairs L (L - 1) / 2, the portfolio's sets at most
 * FMC_PORTFOLIO_REPORTED) before anything is allocated, so a damaged file
 * cannot size an allocation or an index; the names a file gives are matched
 * with the scenario's, which turns those the file keeps as names (the
 * tornado's order, the pairs, the break-even statuses) into indices.
 *
 * A lever's gain is read back as the file has it: the mean, its standard
 * error and interval, and the quantiles with their intervals; its net gain
 * and the pairs' summaries as their mean, its standard error and interval.
 * Every other figure of those summaries is not in the file: NaN, and their
 * counts 0. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carve.h"
#include "funnelmc/levers.h"
#include "funnelmc/sensitivity.h"
#include "results_internal.h"
#include "results_read_internal.h"

_Static_assert(sizeof(size_t) == sizeof(uint64_t), "counts and indices are stored as uint64");

/* Room for one name of the file: an input, a lever, a group, a lever's number. */
#define NAME_BYTES 512

/* ----- problems ----- */

/* Reports problem FORMAT about object NAME of LOC ("@x": its attribute x;
 * NULL: LOC itself).  fmc_read_fail names objects below the reader's
 * prefix, the run group's own path: LOC's path from the file's root
 * (HDF5's) is cut to what lies below it. */
__attribute__((format(printf, 4, 5))) static int fail_at(fmc_reader *r, hid_t loc, const char *name,
                                                         const char *format, ...)
{
    char path[256], object[600], message[512];
    ssize_t n = H5Iget_name(loc, path, sizeof path);
    size_t prefix = strlen(r->prefix);
    const char *below = path;
    if (n <= 0 || (size_t)n >= sizeof path)
        path[0] = 0;
    else if (strncmp(path, r->prefix, prefix) == 0)
        below += prefix;
    while (*below == '/')
        below++;
    snprintf(object, sizeof object, "%s%s%s", below, below[0] && name && name[0] != '@' ? "/" : "",
             name ? name : "");
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    return fmc_read_fail(r, FMC_EHDF5, object[0] ? object : NULL, "%s", message);
}

/* ----- names and orders ----- */

/* Writes the name of choice I of S into BUFFER. */
typedef void (*name_fn)(const fmc_scenario *s, size_t i, char *buffer, size_t size);

static void input_name(const fmc_scenario *s, size_t j, char *buffer, size_t size)
{
    snprintf(buffer, size, "%s", s->inputs[j].name);
}

static void lever_name(const fmc_scenario *s, size_t l, char *buffer, size_t size)
{
    snprintf(buffer, size, "%s", s->levers[l].name);
}

static void group_label(const fmc_scenario *s, size_t g, char *buffer, size_t size)
{
    fmc_sensitivity_group_label(s, g, buffer, size);
}

static void fixed_group_name(const fmc_scenario *s, size_t g, char *buffer, size_t size)
{
    (void)s;
    snprintf(buffer, size, "%s", fmc_group_name((int)g));
}

static void number_name(const fmc_scenario *s, size_t k, char *buffer, size_t size)
{
    size_t l = 0, q = 0;
    fmc_lever_number_at(s, k, &l, &q);
    fmc_lever_number_name(s, &s->levers[l], q, buffer, size);
}

static void kind_name(const fmc_scenario *s, size_t k, char *buffer, size_t size)
{
    (void)s;
    snprintf(buffer, size, "%s", fmc_break_even_kind_name((fmc_break_even_kind)k));
}

/* The index of TEXT among the CHOICES names NAME gives, or CHOICES. */
static size_t choice_of(const fmc_scenario *s, const char *text, size_t choices, name_fn name)
{
    char expected[NAME_BYTES];
    size_t c = 0;
    for (; c < choices; c++) {
        name(s, c, expected, sizeof expected);
        if (strcmp(text, expected) == 0)
            break;
    }
    return c;
}

/* The N strings of dataset DATASET of LOC, each one of the CHOICES names
 * NAME gives: their indices into OUT; with OUT NULL, row i must be name i
 * (a list in the scenario's order). */
static int read_named(fmc_reader *r, hid_t loc, const char *dataset, size_t n,
                      const fmc_scenario *s, size_t choices, name_fn name, size_t *out)
{
    char *names = fmc_read_calloc(r, n, NAME_BYTES);
    int ok = names && fmc_read_strings(r, loc, dataset, n, names, NAME_BYTES);
    for (size_t i = 0; ok && i < n; i++) {
        const char *found = names + i * NAME_BYTES;
        if (out && (out[i] = choice_of(s, found, choices, name)) == choices) {
            ok = fail_at(r, loc, dataset, "row %zu: '%s' is not in the scenario", i, found);
        } else if (!out) {
            char expected[NAME_BYTES];
            name(s, i, expected, sizeof expected);
            if (strcmp(found, expected) != 0)
                ok = fail_at(r, loc, dataset, "row %zu: '%s', the scenario has '%s'", i, found,
                             expected);
        }
    }
    free(names);
    return ok;
}

/* ----- tables of datasets and attributes ----- */

typedef struct column {
    const char *name;
    double *values;
} column;

/* The float64 dataset NAME of RANK dimensions DIMS into VALUES; all NaN
 * when it is one of the standard errors version 1 gained for reading runs
 * back and the file, of an earlier build, lacks it. */
static int read_doubles(fmc_reader *r, hid_t loc, const char *name, int rank, const size_t *dims,
                        double *values)
{
    static const char *const added[] = {"mean_range_se", "net_gain_se", "p_beats_se",
                                        "combined_gain_se"};
    for (size_t k = 0; k < sizeof added / sizeof *added; k++)
        if (strcmp(name, added[k]) == 0 && !fmc_read_has(loc, name)) {
            size_t n = 1;
            for (int i = 0; i < rank; i++)
                n *= dims[i];
            for (size_t i = 0; i < n; i++)
                values[i] = NAN;
            return 1;
        }
    return fmc_read_doubles(r, loc, name, rank, dims, values);
}

/* The COUNT float64 datasets of TABLE, each of RANK dimensions DIMS. */
static int read_columns(fmc_reader *r, hid_t loc, const column *table, size_t count, int rank,
                        const size_t *dims)
{
    for (size_t k = 0; k < count; k++)
        if (!read_doubles(r, loc, table[k].name, rank, dims, table[k].values))
            return 0;
    return 1;
}

/* The COUNT float64 attributes of TABLE (as columns of one value). */
static int read_attributes(fmc_reader *r, hid_t loc, const column *table, size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (!fmc_read_attr_double(r, loc, table[k].name, table[k].values))
            return 0;
    return 1;
}

/* A uint64 attribute that must be at most MOST. */
static int read_count(fmc_reader *r, hid_t loc, const char *name, uint64_t most, uint64_t *out)
{
    if (!fmc_read_attr_u64(r, loc, name, out))
        return 0;
    char attribute[64];
    snprintf(attribute, sizeof attribute, "@%s", name);
    if (*out > most)
        return fail_at(r, loc, attribute, "%llu is more than %llu", (unsigned long long)*out,
                       (unsigned long long)most);
    return 1;
}

/* NAME, NAME_se and NAME_ci of N estimates ([n], [n], [n][2]) into
 * COLUMNS: the values, then the standard errors, then the intervals. */
static int read_estimates(fmc_reader *r, hid_t loc, const char *name, size_t n, double *columns)
{
    char se[64], ci[64];
    snprintf(se, sizeof se, "%s_se", name);
    snprintf(ci, sizeof ci, "%s_ci", name);
    const size_t dims[2] = {n, 2};
    return fmc_read_doubles(r, loc, name, 1, dims, columns) &&
           read_doubles(r, loc, se, 1, dims, columns + n) &&
           fmc_read_doubles(r, loc, ci, 2, dims, columns + 2 * n);
}

/* N summaries of which the file holds the mean, its standard error and
 * interval (NAME as read_estimates), the rest unknown. */
static int read_summaries(fmc_reader *r, hid_t loc, const char *name, size_t n,
                          fmc_output_summary *out)
{
    double *columns = fmc_read_calloc(r, 4 * n, sizeof *columns);
    int ok = columns && read_estimates(r, loc, name, n, columns);
    for (size_t i = 0; ok && i < n; i++) {
        fmc_output_summary *o = &out[i];
        fmc_read_output_unknown(o);
        o->mean = columns[i];
        o->se = columns[n + i];
        o->mean_ci[0] = columns[2 * n + 2 * i];
        o->mean_ci[1] = columns[2 * n + 2 * i + 1];
    }
    free(columns);
    return ok;
}

/* N Sobol estimates NAME (as read_estimates). */
static int read_sobol_estimates(fmc_reader *r, hid_t loc, const char *name, size_t n,
                                fmc_sobol_estimate *out)
{
    double *columns = fmc_read_calloc(r, 4 * n, sizeof *columns);
    int ok = columns && read_estimates(r, loc, name, n, columns);
    for (size_t i = 0; ok && i < n; i++)
        out[i] = (fmc_sobol_estimate){
            columns[i], columns[n + i], {columns[2 * n + 2 * i], columns[2 * n + 2 * i + 1]}};
    free(columns);
    return ok;
}

/* ----- the one-at-a-time tornado and the drivers ----- */

static int read_tornado(fmc_reader *r, hid_t tornado, const fmc_scenario *s, fmc_tornado *t)
{
    size_t d = s->input_count;
    t->count = d;
    double **arrays[] = {&t->low_value, &t->high_value,   &t->low_profit,   &t->high_profit,
                         &t->swing,     &t->spider_value, &t->spider_profit};
    for (size_t k = 0; k < 7; k++)
        if (!(*arrays[k] = fmc_read_calloc(r, k < 5 ? d : d * FMC_SPIDER_LEVELS, sizeof(double))))
            return 0;
    if (!(t->order = fmc_read_calloc(r, d, sizeof *t->order)))
        return 0;
    const column bars[] = {{"low_value", t->low_value},
                           {"high_value", t->high_value},
                           {"low_profit", t->low_profit},
                           {"high_profit", t->high_profit},
                           {"swing", t->swing}};
    const column spider[] = {{"spider_value", t->spider_value},
                             {"spider_profit", t->spider_profit}};
    const column attributes[] = {{"low_percentile", &t->low_percentile},
                                 {"high_percentile", &t->high_percentile},
                                 {"base_profit", &t->base_profit}};
    const size_t dims[2] = {d, FMC_SPIDER_LEVELS}, levels = FMC_SPIDER_LEVELS;
    int ok = read_named(r, tornado, "input", d, s, d, input_name, t->order);
    /* equal names would repeat an input: the bars must order the inputs */
    unsigned char seen[FMC_MAX_INPUTS] = {0};
    for (size_t b = 0; ok && b < d; b++)
        if (seen[t->order[b]]++)
            ok = fail_at(r, tornado, "input", "row %zu repeats '%s'", b,
                         s->inputs[t->order[b]].name);
    return ok && read_columns(r, tornado, bars, FMC_COUNT_OF(bars), 1, dims) &&
           read_columns(r, tornado, spider, FMC_COUNT_OF(spider), 2, dims) &&
           fmc_read_doubles(r, tornado, "spider_levels", 1, &levels, t->spider_levels) &&
           read_attributes(r, tornado, attributes, FMC_COUNT_OF(attributes));
}

static int read_drivers(fmc_reader *r, hid_t sensitivity, hid_t tornado, const fmc_scenario *s,
                        fmc_drivers_result *out)
{
    size_t d = s->input_count, bins = d * FMC_TORNADO_BINS;
    out->count = d;
    const fmc_carving doubles[] = {
        {&out->spearman, d},    {&out->spearman_se, d},    {&out->contribution, d},
        {&out->src, d},         {&out->src_se, d},         {&out->mean_low, d},
        {&out->mean_high, d},   {&out->mean_range, d},     {&out->mean_range_se, d},
        {&out->bin_mean, bins}, {&out->bin_mean_se, bins}, {&out->bin_edges, bins + d}};
    double *block =
        fmc_read_calloc(r, fmc_carving_total(doubles, FMC_COUNT_OF(doubles)), sizeof *block);
    if (!block || !(out->mean_order = fmc_read_calloc(r, d, sizeof *out->mean_order))) {
        free(block);
        return 0;
    }
    fmc_carve(block, doubles, FMC_COUNT_OF(doubles));
    const column measures[] = {{"spearman", out->spearman},
                               {"spearman_se", out->spearman_se},
                               {"contribution_to_variance", out->contribution},
                               {"src", out->src},
                               {"src_se", out->src_se}};
    const column fit[] = {{"r_squared", &out->r_squared},
                          {"spearman_resolution", &out->spearman_resolution}};
    const column bars[] = {{"mean_low", out->mean_low},
                           {"mean_high", out->mean_high},
                           {"mean_range_se", out->mean_range_se}};
    const column deciles[] = {{"bin_mean", out->bin_mean}, {"bin_mean_se", out->bin_mean_se}};
    const size_t dims[2] = {d, FMC_TORNADO_BINS}, edges[2] = {d, FMC_TORNADO_BINS + 1};
    hid_t monte_carlo = fmc_read_group(r, tornado, "monte_carlo");
    int ok = monte_carlo >= 0 && read_named(r, sensitivity, "input", d, s, d, input_name, NULL) &&
             read_columns(r, sensitivity, measures, FMC_COUNT_OF(measures), 1, dims) &&
             read_attributes(r, sensitivity, fit, FMC_COUNT_OF(fit)) &&
             read_named(r, monte_carlo, "input", d, s, d, input_name, NULL) &&
             read_columns(r, monte_carlo, bars, FMC_COUNT_OF(bars), 1, dims) &&
             read_columns(r, monte_carlo, deciles, FMC_COUNT_OF(deciles), 2, dims) &&
             fmc_read_doubles(r, monte_carlo, "bin_edges", 2, edges, out->bin_edges);
    for (size_t j = 0; ok && j < d; j++) /* drivers.h's definition of the bar */
        out->mean_range[j] = out->mean_high[j] - out->mean_low[j];
    if (ok)
        fmc_drivers_order(out);
    if (monte_carlo >= 0)
        H5Gclose(monte_carlo);
    return ok;
}

/* ----- the Sobol indices ----- */

static int read_sobol(fmc_reader *r, hid_t sensitivity, const fmc_scenario *s,
                      fmc_sobol_result *out)
{
    size_t d = s->input_count, groups = fmc_sensitivity_group_count(s);
    uint64_t sets = 0, replicates = 0, met = 0;
    char design[16];
    const column attributes[] = {{"sobol_mean", &out->mean},
                                 {"sobol_variance", &out->variance},
                                 {"max_half_width", &out->max_half_width}};
    if (!fmc_read_attr_u64(r, sensitivity, "base_samples", &out->rows) ||
        !fmc_read_attr_u64(r, sensitivity, "model_runs", &out->model_runs) ||
        !read_count(r, sensitivity, "precision_met", 1, &met) ||
        !read_count(r, sensitivity, "replicates", UINT32_MAX, &replicates) ||
        !fmc_read_attr_u64(r, sensitivity, "correlated_sets", &sets) ||
        !fmc_read_attr_text(r, sensitivity, "design", design, sizeof design) ||
        !read_attributes(r, sensitivity, attributes, FMC_COUNT_OF(attributes)))
        return 0;
    int method = fmc_design_find(design);
    if (method < 0)
        return fail_at(r, sensitivity, "@design", "unknown design '%s'", design);
    if (sets != groups - FMC_GROUP_COUNT)
        return fail_at(r, sensitivity, "@correlated_sets", "%llu, the scenario has %zu",
                       (unsigned long long)sets, groups - FMC_GROUP_COUNT);
    if (replicates == 0 || out->rows % replicates)
        return fail_at(r, sensitivity, "@replicates", "%llu do not divide base_samples %llu",
                       (unsigned long long)replicates, (unsigned long long)out->rows);
    /* a design of replicates has points of its own; one plain Monte Carlo
     * sample grows row by row and has none (sensitivity.c) */
    out->design = (fmc_design){(fmc_design_method)method, (uint32_t)replicates,
                               replicates > 1 ? out->rows / replicates : 0};
    out->precision_met = (int)met;
    out->group_count = groups;
    if (!(out->first = fmc_read_calloc(r, 2 * (d + groups), sizeof *out->first)))
        return 0;
    out->group_first = out->first + d;
    out->total = out->group_first + groups;
    out->group_total = out->total + d;
    return read_named(r, sensitivity, "group", groups, s, groups, group_label, NULL) &&
           read_sobol_estimates(r, sensitivity, "sobol_first", d, out->first) &&
           read_sobol_estimates(r, sensitivity, "sobol_total", d, out->total) &&
           read_sobol_estimates(r, sensitivity, "group_first", groups, out->group_first) &&
           read_sobol_estimates(r, sensitivity, "group_total", groups, out->group_total);
}

/* ----- the levers ----- */

/* The gains' quantiles and their intervals, and the levels they are at. */
static int read_gain_quantiles(fmc_reader *r, hid_t levers, fmc_lever_results *out)
{
    size_t L = out->count, k = FMC_QUANTILE_COUNT;
    const size_t dims[3] = {L, k, 2};
    double levels[FMC_QUANTILE_COUNT];
    double *values = fmc_read_calloc(r, 3 * L * k, sizeof *values);
    int ok = values && fmc_read_doubles(r, levers, "gain_quantile_levels", 1, &k, levels) &&
             fmc_read_doubles(r, levers, "gain_quantiles", 2, dims, values) &&
             fmc_read_doubles(r, levers, "gain_quantiles_ci", 3, dims, values + L * k);
    if (ok && memcmp(levels, fmc_quantile_levels, sizeof levels) != 0)
        ok = fail_at(r, levers, "gain_quantile_levels",
                     "not the levels of /outputs/profit/quantile_levels");
    for (size_t l = 0; ok && l < L; l++)
        for (size_t q = 0; q < k; q++) {
            out->gain[l].quantiles[q] = values[l * k + q];
            out->gain[l].quantile_ci[q][0] = values[L * k + 2 * (l * k + q)];
            out->gain[l].quantile_ci[q][1] = values[L * k + 2 * (l * k + q) + 1];
        }
    free(values);
    return ok;
}

/* /levers/pairs: P pairs in the order the comparison makes them. */
static int read_pairs(fmc_reader *r, hid_t pairs, const fmc_scenario *s, fmc_lever_results *out)
{
    size_t P = out->pairs, L = out->count;
    if (!read_named(r, pairs, "first", P, s, L, lever_name, out->pair_first) ||
        !read_named(r, pairs, "second", P, s, L, lever_name, out->pair_second))
        return 0;
    size_t q = 0;
    for (size_t a = 0; a < L; a++)
        for (size_t b = a + 1; b < L; b++, q++)
            if (out->pair_first[q] != a || out->pair_second[q] != b)
                return fail_at(r, pairs, "second", "row %zu: not the pair %s + %s", q,
                               s->levers[a].name, s->levers[b].name);
    return read_summaries(r, pairs, "combined_gain", P, out->combined) &&
           read_summaries(r, pairs, "interaction", P, out->interaction) &&
           read_summaries(r, pairs, "net_gain", P, out->pair_net);
}

/* The per-period figures and paybacks of the levers over T periods. */
static int read_lever_periods(fmc_reader *r, hid_t levers, uint32_t T, uint64_t samples,
                              fmc_lever_results *out)
{
    size_t L = out->count, n = L * T, width = (size_t)T + 1;
    const fmc_carving doubles[] = {{&out->period_gain, n},
                                   {&out->period_gain_se, n},
                                   {&out->period_net, n},
                                   {&out->period_net_se, n}};
    double *block = fmc_read_calloc(r, 4 * n, sizeof *block);
    if (!block)
        return 0;
    fmc_carve(block, doubles, FMC_COUNT_OF(doubles));
    out->periods = T;
    if (!(out->payback = fmc_read_calloc(r, L, sizeof *out->payback)))
        return 0;
    for (size_t l = 0; l < L; l++)
        if (!(out->payback[l].counts = fmc_read_calloc(r, width, sizeof(uint64_t))))
            return 0;
    double *columns = fmc_read_calloc(r, 5 * L, sizeof *columns);
    uint64_t *counts = fmc_read_calloc(r, L * width, sizeof *counts);
    const column periodic[] = {{"period_gain", out->period_gain},
                               {"period_gain_se", out->period_gain_se},
                               {"period_net", out->period_net},
                               {"period_net_se", out->period_net_se}};
    const column payback[] = {{"payback_median", columns},
                              {"payback_p_never", columns + 3 * L},
                              {"payback_p_never_se", columns + 4 * L}};
    const size_t dims[2] = {L, T}, ci[2] = {L, 2}, count_dims[2] = {L, width};
    int ok = columns && counts &&
             read_columns(r, levers, periodic, FMC_COUNT_OF(periodic), 2, dims) &&
             read_columns(r, levers, payback, FMC_COUNT_OF(payback), 1, ci) &&
             fmc_read_doubles(r, levers, "payback_median_ci", 2, ci, columns + L) &&
             fmc_read_u64s(r, levers, "payback_counts", 2, count_dims, counts);
    for (size_t l = 0; ok && l < L; l++) {
        fmc_payback_summary *p = &out->payback[l];
        p->periods = T;
        for (size_t t = 0; ok && t < width; t++) {
            if (counts[l * width + t] > samples - p->total)
                ok = fail_at(r, levers, "payback_counts", "row %zu: more paybacks than %llu "
                             "samples", l, (unsigned long long)samples);
            else
                p->total += p->counts[t] = counts[l * width + t];
        }
        p->median = columns[l];
        p->median_ci[0] = columns[L + 2 * l];
        p->median_ci[1] = columns[L + 2 * l + 1];
        p->p_never = columns[3 * L + l];
        p->p_never_se = columns[4 * L + l];
    }
    free(columns);
    free(counts);
    return ok;
}

/* /levers/value_of_information. */
static int read_voi(fmc_reader *r, hid_t levers, const fmc_scenario *s, fmc_lever_voi *v)
{
    size_t d = s->input_count, V = fmc_lever_number_count(s), G = FMC_GROUP_COUNT;
    uint64_t folds = 0, bins = 0;
    char best[NAME_BYTES];
    v->numbers = V;
    if (!(v->input = fmc_read_calloc(r, 2 * d + 2 * V + 1, sizeof *v->input)) ||
        !(v->number_lever = fmc_read_calloc(r, 2 * V + 1, sizeof *v->number_lever)))
        return 0;
    v->input_se = v->input + d;
    v->number = v->input_se + d;
    v->number_se = v->number + V;
    v->number_quantity = v->number_lever + V;
    for (size_t k = 0; k < V; k++)
        fmc_lever_number_at(s, k, &v->number_lever[k], &v->number_quantity[k]);
    hid_t group = fmc_read_group(r, levers, "value_of_information");
    const column attributes[] = {
        {"best_now_net_gain", &v->best_net}, {"evpi", &v->evpi}, {"evpi_se", &v->evpi_se}};
    const column inputs[] = {{"input_evppi", v->input}, {"input_evppi_se", v->input_se}};
    const column groups[] = {{"group_evppi", v->group}, {"group_evppi_se", v->group_se}};
    const column numbers[] = {{"number_evppi", v->number}, {"number_evppi_se", v->number_se}};
    int ok = group >= 0 && fmc_read_attr_u64(r, group, "folds", &folds) &&
             fmc_read_attr_u64(r, group, "bins", &bins) &&
             fmc_read_attr_text(r, group, "best_now", best, sizeof best) &&
             read_attributes(r, group, attributes, FMC_COUNT_OF(attributes)) &&
             read_columns(r, group, inputs, FMC_COUNT_OF(inputs), 1, &d) &&
             read_columns(r, group, groups, FMC_COUNT_OF(groups), 1, &G) &&
             read_columns(r, group, numbers, FMC_COUNT_OF(numbers), 1, &V) &&
             read_named(r, group, "group", G, s, G, fixed_group_name, NULL) &&
             fmc_read_u64s(r, group, "group_inputs", 1, &G, (uint64_t *)v->group_inputs) &&
             fmc_read_u64s(r, group, "group_bins", 1, &G, (uint64_t *)v->group_bins) &&
             fmc_read_u64s(r, group, "group_cells", 1, &G, (uint64_t *)v->group_cells) &&
             read_named(r, group, "number", V, s, V, number_name, NULL);
    v->folds = folds;
    v->bins = bins;
    /* doing nothing is best only with no lever's mean net gain above 0, so
     * a lever called "none" is not mistaken for it */
    if (ok && strcmp(best, "none") == 0 && !(v->best_net > 0))
        v->best = 0;
    else if (ok && (v->best = choice_of(s, best, s->lever_count, lever_name)) == s->lever_count)
        ok = fail_at(r, group, "@best_now", "'%s' is not a lever of the scenario", best);
    else if (ok)
        v->best++;
    if (group >= 0)
        H5Gclose(group);
    return ok;
}

static int read_levers(fmc_reader *r, hid_t levers, const fmc_scenario *s, uint32_t periods,
                       uint64_t samples,
                       fmc_lever_results *out)
{
    size_t L = s->lever_count, d = s->input_count, P = 0;
    hid_t pairs = H5I_INVALID_HID;
    int ok = 1;
    if (fmc_read_has(levers, "pairs")) {
        ok = (pairs = fmc_read_group(r, levers, "pairs")) >= 0 &&
             fmc_read_length(r, pairs, "first", &P);
        if (ok && P != L * (L - 1) / 2)
            ok = fail_at(r, levers, "pairs", "%zu pairs of %zu levers, not %zu", P, L,
                         L * (L - 1) / 2);
    }
    if (ok && fmc_lever_results_alloc(L, P, d, out) != FMC_OK)
        ok = fmc_read_fail(r, FMC_ENOMEM, NULL, "out of memory for %zu levers", L);
    const column per_lever[] = {{"cost", out->mean_cost},
                                {"roi", out->roi},
                                {"p_improve", out->p_improve},
                                {"p_improve_se", out->p_improve_se},
                                {"clamped_share", out->clamped_share},
                                {"inputs_share", out->inputs_share},
                                {"inputs_share_se", out->inputs_share_se}};
    const column matrices[] = {
        {"p_beats", out->p_beats}, {"p_beats_se", out->p_beats_se}, {"p_tie", out->p_tie}};
    const column equivalents[] = {{"equivalent_add", out->equivalent_add},
                                  {"equivalent_scale", out->equivalent_scale},
                                  {"equivalent_add_se", out->equivalent_add_se},
                                  {"equivalent_scale_se", out->equivalent_scale_se}};
    const size_t square[2] = {L, L}, by_input[2] = {L, d};
    ok = ok && read_named(r, levers, "name", L, s, L, lever_name, NULL) &&
         read_summaries(r, levers, "mean_gain", L, out->gain) &&
         read_gain_quantiles(r, levers, out) &&
         read_summaries(r, levers, "net_gain", L, out->net) &&
         read_columns(r, levers, per_lever, FMC_COUNT_OF(per_lever), 1, &L) &&
         read_columns(r, levers, matrices, FMC_COUNT_OF(matrices), 2, square) &&
         read_columns(r, levers, equivalents, FMC_COUNT_OF(equivalents), 2, by_input) &&
         fmc_read_u64s(r, levers, "uncertain_numbers", 1, &L, (uint64_t *)out->uncertain_numbers) &&
         fmc_read_u64s(r, levers, "reach_assumed", 1, &L, (uint64_t *)out->reach_assumed);
    if (ok)
        fmc_lever_results_rank(out);
    for (size_t l = 0; ok && l < L; l++)
        if (out->uncertain_numbers[l] != s->levers[l].quantity_count)
            ok = fail_at(r, levers, "uncertain_numbers", "row %zu: %zu, the scenario has %zu", l,
                         out->uncertain_numbers[l], s->levers[l].quantity_count);
    ok = ok && (P == 0 || read_pairs(r, pairs, s, out)) &&
         (periods == 0 || read_lever_periods(r, levers, periods, samples, out)) &&
         read_voi(r, levers, s, &out->voi);
    if (pairs >= 0)
        H5Gclose(pairs);
    return ok;
}

/* ----- break-even values and the best set for a budget ----- */

static int read_break_even(fmc_reader *r, hid_t group, const fmc_scenario *s, uint32_t periods,
                           fmc_break_even_result *out)
{
    size_t d = s->input_count, kinds = FMC_BREAK_EVEN_ALWAYS_LOSS + 1;
    out->period = out->period_se = NAN;
    size_t *status = fmc_read_calloc(r, d, sizeof *status);
    out->inputs = d;
    out->value = fmc_read_calloc(r, 2 * d, sizeof *out->value);
    out->kind = fmc_read_calloc(r, d, sizeof *out->kind);
    if (!status || !out->value || !out->kind) {
        free(status);
        return 0;
    }
    out->se = out->value + d;
    const column values[] = {{"value", out->value}, {"se", out->se}};
    int ok = fmc_read_attr_u64(r, group, "samples", &out->samples) &&
             read_columns(r, group, values, FMC_COUNT_OF(values), 1, &d) &&
             read_named(r, group, "status", d, s, kinds, kind_name, status);
    for (size_t j = 0; ok && j < d; j++)
        out->kind[j] = (fmc_break_even_kind)status[j];
    free(status);
    if (!ok || periods == 0)
        return ok;
    size_t T = periods, kind = 0;
    char text[32];
    if (!(out->cumulative_mean = fmc_read_calloc(r, 2 * T, sizeof *out->cumulative_mean)))
        return 0;
    out->periods = periods;
    out->cumulative_se = out->cumulative_mean + T;
    const column cumulative[] = {{"cumulative_mean", out->cumulative_mean},
                                 {"cumulative_se", out->cumulative_se}};
    const column attributes[] = {{"period", &out->period}, {"period_se", &out->period_se}};
    ok = read_columns(r, group, cumulative, FMC_COUNT_OF(cumulative), 1, &T) &&
         read_attributes(r, group, attributes, FMC_COUNT_OF(attributes)) &&
         fmc_read_attr_text(r, group, "period_status", text, sizeof text);
    if (ok && (kind = choice_of(s, text, kinds, kind_name)) == kinds)
        return fail_at(r, group, "@period_status", "unknown status '%s'", text);
    out->period_kind = (fmc_break_even_kind)kind;
    return ok;
}

static int read_portfolio(fmc_reader *r, hid_t group, const fmc_scenario *s,
                          fmc_portfolio_result *out)
{
    enum { MOST = FMC_PORTFOLIO_REPORTED };
    size_t L = s->lever_count, S = 0;
    char objective[16], expected[16];
    uint64_t screened = 0, candidates = 0, in_set[MOST * FMC_MAX_BUDGET_LEVERS];
    if (!s->budget.given || L == 0 || L > FMC_MAX_BUDGET_LEVERS)
        return fail_at(r, group, NULL,
                       "the scenario has no budget search of its %zu "
                       "levers",
                       L);
    if (!fmc_read_length(r, group, "objective_value", &S))
        return 0;
    if (S == 0 || S > MOST)
        return fail_at(r, group, "objective_value", "%zu sets, not 1 to %d", S, MOST);
    out->levers = L;
    out->count = S;
    out->objective = s->budget.objective;
    out->percentile = s->budget.percentile;
    fmc_h5_objective_name(out->objective, out->percentile, expected, sizeof expected);
    double columns[10 * MOST];
    const column sets[] = {
        {"objective_value", columns},          {"objective_se", columns + MOST},
        {"net_profit", columns + 2 * MOST},    {"net_profit_se", columns + 3 * MOST},
        {"extra_hours", columns + 4 * MOST},   {"extra_money", columns + 5 * MOST},
        {"p_over_budget", columns + 6 * MOST}, {"p_over_budget_se", columns + 7 * MOST}};
    const column attributes[] = {{"budget_hours", &out->budget_hours},
                                 {"budget_money", &out->budget_money},
                                 {"p_best_beats_second", &out->p_best_beats_second},
                                 {"p_best_beats_second_se", &out->p_best_beats_second_se}};
    const size_t dims[2] = {S, 2}, cells[2] = {S, L};
    if (!fmc_read_attr_text(r, group, "objective", objective, sizeof objective))
        return 0;
    if (strcmp(objective, expected) != 0)
        return fail_at(r, group, "@objective", "'%s', the scenario's is '%s'", objective, expected);
    int ok = read_attributes(r, group, attributes, FMC_COUNT_OF(attributes)) &&
             fmc_read_attr_u64(r, group, "screen_samples", &out->screen_samples) &&
             read_count(r, group, "screened_sets", (uint64_t)1 << L, &screened) &&
             read_count(r, group, "candidates", (uint64_t)1 << L, &candidates) &&
             read_named(r, group, "lever", L, s, L, lever_name, NULL) &&
             read_columns(r, group, sets, FMC_COUNT_OF(sets), 1, dims) &&
             fmc_read_doubles(r, group, "objective_ci", 2, dims, columns + 8 * MOST) &&
             fmc_read_u64s(r, group, "in_set", 2, cells, in_set);
    out->screened = screened;
    out->candidates = candidates;
    for (size_t k = 0; ok && k < S; k++) {
        fmc_portfolio_set *set = &out->sets[k];
        *set = (fmc_portfolio_set){0,
                                   columns[k],
                                   columns[MOST + k],
                                   {columns[8 * MOST + 2 * k], columns[8 * MOST + 2 * k + 1]},
                                   columns[2 * MOST + k],
                                   columns[3 * MOST + k],
                                   columns[4 * MOST + k],
                                   columns[5 * MOST + k],
                                   columns[6 * MOST + k],
                                   columns[7 * MOST + k]};
        for (size_t l = 0; ok && l < L; l++) {
            if (in_set[k * L + l] > 1)
                ok = fail_at(r, group, "in_set", "row %zu: %llu is neither 0 nor 1", k,
                             (unsigned long long)in_set[k * L + l]);
            set->members |= (uint32_t)in_set[k * L + l] << l;
        }
    }
    return ok;
}

/* ----- the whole ----- */

/* The parts of a full analysis from its groups TORNADO and SENSITIVITY. */
static int read_full(fmc_reader *r, hid_t loc, hid_t tornado, hid_t sensitivity,
                     const fmc_scenario *s, fmc_analysis *a)
{
    uint32_t periods = a->result.horizon.periods;
    fmc_run_result *result = &a->result;
    if (!read_tornado(r, tornado, s, &a->tornado) ||
        !read_drivers(r, sensitivity, tornado, s, &result->drivers) ||
        (a->has_sobol && !read_sobol(r, sensitivity, s, &a->sobol)))
        return 0;
    const struct {
        const char *name;
        int present;
    } parts[] = {{"levers", a->has_levers},
                 {"break_even", 1},
                 {"portfolio", fmc_read_has(loc, "portfolio")}};
    for (size_t k = 0; k < FMC_COUNT_OF(parts); k++) {
        if (!parts[k].present)
            continue;
        hid_t group = fmc_read_group(r, loc, parts[k].name);
        int ok =
            group >= 0 && (k == 0   ? read_levers(r, group, s, periods, result->samples,
                                                &result->levers)
                           : k == 1 ? read_break_even(r, group, s, periods, &result->break_even)
                                    : read_portfolio(r, group, s, &result->portfolio));
        if (group >= 0)
            H5Gclose(group);
        if (!ok)
            return 0;
    }
    return 1;
}

int fmc_read_analysis_parts(fmc_reader *r, hid_t loc, const fmc_scenario *s, fmc_analysis *a)
{
    /* a full analysis writes the parts its scenario asks for: those
     * missing are problems, those the scenario does not ask for too */
    a->summary_only = !fmc_read_has(loc, "tornado");
    a->has_levers = !a->summary_only && (s->lever_count > 0 || fmc_read_has(loc, "levers"));
    a->has_sobol = 0;
    if (a->summary_only) {
        /* what a full analysis writes without its tornado: the file is damaged */
        static const char *const full[] = {"sensitivity", "levers", "break_even", "portfolio"};
        for (size_t k = 0; k < FMC_COUNT_OF(full); k++)
            if (fmc_read_has(loc, full[k]))
                return fmc_read_group(r, loc, "tornado") >= 0;
        return 1;
    }
    if (a->has_levers && s->lever_count == 0)
        return fail_at(r, loc, "levers", "the scenario has no levers");
    hid_t tornado = fmc_read_group(r, loc, "tornado"), sensitivity = H5I_INVALID_HID;
    int ok = tornado >= 0 && (sensitivity = fmc_read_group(r, loc, "sensitivity")) >= 0;
    a->has_sobol = ok && (s->sobol || fmc_read_has(sensitivity, "sobol_first"));
    ok = ok && read_full(r, loc, tornado, sensitivity, s, a);
    if (sensitivity >= 0)
        H5Gclose(sensitivity);
    if (tornado >= 0)
        H5Gclose(tornado);
    return ok;
}
