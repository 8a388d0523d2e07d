/* Reading a results file back (results_read.h): the root's identity, the
 * kind of file, and each kind's layout (docs/hdf5-layout.md) into the
 * structures the run made; the analyses of a run beyond its summary are
 * src/results_read_analysis.c's.
 *
 * Every count that sizes an allocation comes from the stored scenario (its
 * inputs, levers, correlations, horizon and sweep axes), or is checked
 * against another count of the file before use (a batch's rows against its
 * root's count, a bench's thread counts against their maxima), so a flipped
 * bit cannot make the reader allocate 2^60 of anything.  Every index a
 * printer will follow (a sweep's best lever) is checked to be in range. */
#define _POSIX_C_SOURCE 200809L
#include "funnelmc/results_read.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carve.h"
#include "funnelmc/h5file.h"
#include "funnelmc/levers.h"
#include "results_internal.h"
#include "results_read_internal.h"

/* One scenario's results: the root of a run or sweeps file, or a part of
 * a batch file. */
typedef struct part {
    fmc_scenario *scenario;
    fmc_analysis analysis;
    size_t sweep_count;
    const fmc_sweep **sweeps;
    fmc_sweep_result *sweep_results;
} part;

struct fmc_results_file {
    fmc_results_view view;
    char *path;
    char funnelmc_version[64], created[64];
    part main;  /* RUN and SWEEPS */
    size_t part_count;  /* BATCH */
    fmc_batch_row *rows;
    part *parts;
    fmc_results_view *part_views;
    fmc_benchmark_result *bench;  /* BENCH */
};

static void part_clear(part *p)
{
    fmc_analysis_clear(&p->analysis);
    for (size_t k = 0; k < p->sweep_count; k++)
        fmc_sweep_result_clear(&p->sweep_results[k]);
    free(p->sweep_results);
    free(p->sweeps);
    fmc_scenario_free(p->scenario);
    memset(p, 0, sizeof *p);
}

/* Reports problem FORMAT of object NAME of the group WHERE (a path below
 * the part being read, "" for its root; NAME "@x" is WHERE's attribute). */
__attribute__((format(printf, 4, 5))) static int fail_in(fmc_reader *r, const char *where,
                                                         const char *name, const char *format,
                                                         ...)
{
    char object[256], message[512];
    snprintf(object, sizeof object, "%s%s%s", where,
             where[0] && name[0] != '@' ? "/" : "", name);
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    return fmc_read_fail(r, FMC_EHDF5, object, "%s", message);
}

void fmc_read_output_unknown(fmc_output_summary *o)
{
    double *figures[] = {&o->mean, &o->sd, &o->se, &o->mean_ci[0], &o->mean_ci[1], &o->min,
                         &o->max, &o->p_loss, &o->p_loss_se, &o->quantile_resolution};
    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < sizeof figures / sizeof *figures; i++)
        *figures[i] = NAN;
    for (int q = 0; q < FMC_QUANTILE_COUNT; q++)
        o->quantiles[q] = o->quantile_ci[q][0] = o->quantile_ci[q][1] = NAN;
    for (int b = 0; b <= FMC_HIST_BINS; b++)
        o->hist_edges[b] = NAN;
}

/* ----- the scenario and the design ----- */

/* The scenario of the part LOC: its scenario_yaml loaded again, named as
 * its scenario_file. */
static int read_scenario(fmc_reader *r, hid_t loc, fmc_scenario **out)
{
    char *text = NULL, *file = NULL;
    int ok = fmc_read_attr_text_alloc(r, loc, "scenario_yaml", &text) &&
             fmc_read_attr_text_alloc(r, loc, "scenario_file", &file);
    if (ok) {
        fmc_diagnostics diags;
        fmc_diagnostics_init(&diags);
        fmc_status status = fmc_scenario_load_text(text, strlen(text), file, out, &diags);
        if (status) {
            char first[512] = "the stored scenario does not load";
            if (diags.count)
                fmc_diagnostic_format(&diags.items[0], first, sizeof first);
            ok = fmc_read_fail(r, status == FMC_ENOMEM ? FMC_ENOMEM : FMC_ESCENARIO,
                               "@scenario_yaml", "%s", first);
        }
        fmc_diagnostics_clear(&diags);
    }
    free(text);
    free(file);
    return ok;
}

/* The design attributes of LOC (the group WHERE), as fmc_h5_design wrote them. */
static int read_design(fmc_reader *r, hid_t loc, const char *where, fmc_design *d)
{
    char method[16];
    uint64_t replicates, points;
    if (!fmc_read_attr_text(r, loc, "sampling", method, sizeof method) ||
        !fmc_read_attr_u64(r, loc, "replicates", &replicates) ||
        !fmc_read_attr_u64(r, loc, "replicate_points", &points))
        return 0;
    int found = fmc_design_find(method);
    if (found < 0)
        return fail_in(r, where, "@sampling", "unknown sampling design '%s'", method);
    if (replicates < 1 || replicates > FMC_MAX_DESIGN_REPLICATES)
        return fail_in(r, where, "@replicates", "%llu replicates: not 1 to %u",
                       (unsigned long long)replicates, FMC_MAX_DESIGN_REPLICATES);
    *d = (fmc_design){(fmc_design_method)found, (uint32_t)replicates, points};
    return 1;
}

/* ----- a run: /outputs, /horizon, /correlations ----- */

static const struct {
    const char *name;
    size_t offset;
} output_figures[] = {{"mean", offsetof(fmc_output_summary, mean)},
                      {"sd", offsetof(fmc_output_summary, sd)},
                      {"se", offsetof(fmc_output_summary, se)},
                      {"min", offsetof(fmc_output_summary, min)},
                      {"max", offsetof(fmc_output_summary, max)},
                      {"p_loss", offsetof(fmc_output_summary, p_loss)},
                      {"p_loss_se", offsetof(fmc_output_summary, p_loss_se)},
                      {"quantile_resolution", offsetof(fmc_output_summary, quantile_resolution)}};

/* /outputs/NAME of a run of SAMPLES samples into *O and its base case
 * into *BASE. */
static int read_output(fmc_reader *r, hid_t outputs, const char *name, uint64_t samples,
                       fmc_output_summary *o, double *base)
{
    char where[64];
    snprintf(where, sizeof where, "outputs/%s", name);
    hid_t group = fmc_read_group(r, outputs, name);
    if (group < 0)
        return 0;
    fmc_read_output_unknown(o);
    int ok = 1;
    for (size_t i = 0; ok && i < sizeof output_figures / sizeof *output_figures; i++) {
        double value;
        ok = fmc_read_attr_double(r, group, output_figures[i].name, &value);
        memcpy((char *)o + output_figures[i].offset, &value, sizeof value);
    }
    size_t k[1] = {FMC_QUANTILE_COUNT}, ci[2] = {FMC_QUANTILE_COUNT, 2};
    size_t edges[1] = {FMC_HIST_BINS + 1}, bins[1] = {FMC_HIST_BINS};
    double levels[FMC_QUANTILE_COUNT];
    ok = ok && fmc_read_attr_double(r, group, "base", base) &&
         fmc_read_attr_u64(r, group, "count", &o->count) &&
         fmc_read_attr_u64(r, group, "undefined", &o->undefined) &&
         fmc_read_doubles(r, group, "quantile_levels", 1, k, levels) &&
         fmc_read_doubles(r, group, "quantiles", 1, k, o->quantiles) &&
         fmc_read_doubles(r, group, "quantiles_ci", 2, ci, &o->quantile_ci[0][0]) &&
         fmc_read_doubles(r, group, "hist_edges", 1, edges, o->hist_edges) &&
         fmc_read_u64s(r, group, "hist_counts", 1, bins, o->hist_counts);
    /* files written before mean_ci was stored read back without it */
    if (ok && fmc_read_has_attr(group, "mean_ci"))
        ok = fmc_read_attr_doubles(r, group, "mean_ci", 2, o->mean_ci);
    H5Gclose(group);
    if (ok && memcmp(levels, fmc_quantile_levels, sizeof levels) != 0)
        return fail_in(r, where, "quantile_levels", "not the levels of format version %d",
                       FMC_FORMAT_VERSION);
    for (int b = 0; ok && b < FMC_HIST_BINS; b++)
        if (!(isfinite(o->hist_edges[b]) && o->hist_edges[b] <= o->hist_edges[b + 1] &&
              isfinite(o->hist_edges[b + 1])))
            return fail_in(r, where, "hist_edges", "not finite and increasing at edge %d", b);
    if (ok && (o->count > samples || o->undefined != samples - o->count))
        return fail_in(r, where, "@count", "%llu defined and %llu undefined of %llu samples",
                       (unsigned long long)o->count, (unsigned long long)o->undefined,
                       (unsigned long long)samples);
    return ok;
}

static int read_outputs(fmc_reader *r, hid_t loc, fmc_run_result *result)
{
    hid_t outputs = fmc_read_group(r, loc, "outputs");
    if (outputs < 0)
        return 0;
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        result->base[k] = NAN;
    int ok = 1;
    for (int k = 0; ok && k < FMC_SUMMARY_COUNT; k++) {
        const char *name = fmc_output_name((fmc_output_id)k);
        /* ROI's group is there only when the cost was ever > 0 */
        if (k == FMC_OUT_ROI && !fmc_read_has(outputs, name))
            fmc_read_output_unknown(&result->outputs[k]);
        else
            ok = read_output(r, outputs, name, result->samples, &result->outputs[k],
                             &result->base[k]);
    }
    H5Gclose(outputs);
    return ok;
}

/* /horizon/payback of T periods of a run of SAMPLES samples. */
static int read_payback(fmc_reader *r, hid_t horizon, uint32_t T, uint64_t samples,
                        fmc_payback_summary *p)
{
    hid_t group = fmc_read_group(r, horizon, "payback");
    if (group < 0)
        return 0;
    size_t dims[1] = {T};
    p->counts = fmc_read_calloc(r, (size_t)T + 1, sizeof *p->counts);
    int ok = p->counts && fmc_read_u64s(r, group, "counts", 1, dims, p->counts) &&
             fmc_read_attr_u64(r, group, "never", &p->counts[T]) &&
             fmc_read_attr_double(r, group, "median", &p->median) &&
             fmc_read_attr_doubles(r, group, "median_ci", 2, p->median_ci) &&
             fmc_read_attr_double(r, group, "p_never", &p->p_never) &&
             fmc_read_attr_double(r, group, "p_never_se", &p->p_never_se);
    H5Gclose(group);
    p->periods = T;
    p->total = 0;
    for (uint32_t t = 0; ok && t <= T; t++) {
        if (p->counts[t] > samples - p->total)
            return fail_in(r, "horizon/payback", "counts", "more paybacks than %llu samples",
                           (unsigned long long)samples);
        p->total += p->counts[t];
    }
    return ok;
}

/* /horizon of a run of SCENARIO, whose horizon has T periods. */
static int read_horizon(fmc_reader *r, hid_t loc, uint32_t T, uint64_t samples,
                        fmc_horizon_result *h)
{
    uint64_t periods = 0;
    size_t k = FMC_QUANTILE_COUNT, one[1] = {T}, ci[2] = {T, 2}, quantiles[2] = {T, k};
    size_t quantiles_ci[3] = {T, k, 2};
    hid_t group = fmc_read_group(r, loc, "horizon");
    if (group < 0)
        return 0;
    double *columns = fmc_read_calloc(r, (size_t)T * (7 + 3 * k), sizeof *columns);
    h->profit = fmc_read_calloc(r, T, sizeof *h->profit);
    h->periods = T;
    if (!columns || !h->profit) {
        free(columns);
        H5Gclose(group);
        return 0;
    }
    int ok = fmc_read_attr_u64(r, group, "periods", &periods) &&
             (periods == T || fail_in(r, "horizon", "@periods", "%llu periods, the stored "
                                      "scenario's horizon has %u", (unsigned long long)periods,
                                      (unsigned)T)) &&
             fmc_read_attr_double(r, group, "discount_rate", &h->discount_rate);
    double *mean = columns, *se = mean + T, *sd = se + T, *mean_ci = sd + T;
    double *p_loss = mean_ci + 2 * T, *p_loss_se = p_loss + T, *q = p_loss_se + T;
    double *q_ci = q + T * k;
    ok = ok && fmc_read_doubles(r, group, "profit_mean", 1, one, mean) &&
         fmc_read_doubles(r, group, "profit_se", 1, one, se) &&
         fmc_read_doubles(r, group, "profit_sd", 1, one, sd) &&
         fmc_read_doubles(r, group, "profit_mean_ci", 2, ci, mean_ci) &&
         fmc_read_doubles(r, group, "profit_quantiles", 2, quantiles, q) &&
         fmc_read_doubles(r, group, "profit_quantiles_ci", 3, quantiles_ci, q_ci) &&
         fmc_read_doubles(r, group, "p_loss", 1, one, p_loss) &&
         fmc_read_doubles(r, group, "p_loss_se", 1, one, p_loss_se) &&
         read_payback(r, group, T, samples, &h->payback);
    for (size_t t = 0; ok && t < T; t++) {
        fmc_output_summary *o = &h->profit[t];
        fmc_read_output_unknown(o);
        o->mean = mean[t];
        o->se = se[t];
        o->sd = sd[t];
        o->mean_ci[0] = mean_ci[2 * t];
        o->mean_ci[1] = mean_ci[2 * t + 1];
        o->p_loss = p_loss[t];
        o->p_loss_se = p_loss_se[t];
        memcpy(o->quantiles, q + t * k, k * sizeof *q);
        memcpy(o->quantile_ci, q_ci + 2 * t * k, 2 * k * sizeof *q_ci);
    }
    free(columns);
    H5Gclose(group);
    return ok;
}

/* /correlations: the pairs of SCENARIO's `correlations:`, named as it
 * names them. */
static int read_correlations(fmc_reader *r, hid_t loc, const fmc_scenario *s,
                             fmc_correlation_check_result *c)
{
    enum { NAME_SIZE = 256 };
    size_t n = s->correlation_count, dims[1] = {n};
    hid_t group = fmc_read_group(r, loc, "correlations");
    if (group < 0)
        return 0;
    char *names = fmc_read_calloc(r, 2 * n, NAME_SIZE);
    double *columns = fmc_read_calloc(r, 4 * n, sizeof *columns);
    c->pairs = fmc_read_calloc(r, n, sizeof *c->pairs);
    c->count = n;
    if (!names || !columns || !c->pairs) {
        free(names);
        free(columns);
        H5Gclose(group);
        return 0;
    }
    double *requested = columns, *realised = requested + n, *se = realised + n, *z = se + n;
    int ok = fmc_read_strings(r, group, "first", n, names, NAME_SIZE) &&
             fmc_read_strings(r, group, "second", n, names + n * NAME_SIZE, NAME_SIZE) &&
             fmc_read_doubles(r, group, "requested", 1, dims, requested) &&
             fmc_read_doubles(r, group, "realised", 1, dims, realised) &&
             fmc_read_doubles(r, group, "realised_se", 1, dims, se) &&
             fmc_read_doubles(r, group, "z", 1, dims, z);
    for (size_t k = 0; ok && k < n; k++) {
        const fmc_rank_correlation *asked = &s->correlations[k];
        char first[NAME_SIZE], second[NAME_SIZE];
        fmc_correlated_name(s, asked->first, first, sizeof first);
        fmc_correlated_name(s, asked->second, second, sizeof second);
        if (strcmp(first, names + k * NAME_SIZE) != 0 ||
            strcmp(second, names + (n + k) * NAME_SIZE) != 0)
            ok = fail_in(r, "correlations", "first", "pair %zu is not the stored scenario's "
                         "(%s, %s)", k, first, second);
        c->pairs[k] = (fmc_realised_correlation){asked->first, asked->second, requested[k],
                                                 realised[k], se[k], z[k]};
    }
    free(names);
    free(columns);
    H5Gclose(group);
    return ok;
}

/* Whether the part has the optional group NAME exactly when its scenario
 * says it must (WANTED), so that the reader neither misses it nor ignores
 * a stray one. */
static int expect_group(fmc_reader *r, hid_t loc, const char *name, int wanted, const char *why)
{
    int has = fmc_read_has(loc, name);
    if (has == wanted)
        return 1;
    return fail_in(r, "", name, has ? "present, but the stored scenario has no %s"
                                    : "missing: the stored scenario has a %s", why);
}

/* A run file's root, or a batch part: LOC into P. */
static int read_run(fmc_reader *r, hid_t loc, part *p)
{
    fmc_run_result *result = &p->analysis.result;
    if (!read_scenario(r, loc, &p->scenario))
        return 0;
    const fmc_scenario *s = p->scenario;
    uint64_t met = 0;
    result->threads = 0;
    result->seconds = NAN;
    int ok = fmc_read_attr_u64(r, loc, "samples", &result->samples) &&
             fmc_read_attr_u64(r, loc, "seed", &result->seed) &&
             fmc_read_attr_double(r, loc, "profit_mean_half_width", &result->mean_half_width) &&
             fmc_read_attr_double(r, loc, "precision_mean", &result->precision_target) &&
             fmc_read_attr_u64(r, loc, "precision_mean_met", &met) &&
             (met <= 1 || fail_in(r, "", "@precision_mean_met", "%llu: not 0 or 1",
                                  (unsigned long long)met)) &&
             read_design(r, loc, "", &result->design) && read_outputs(r, loc, result) &&
             expect_group(r, loc, "horizon", s->horizon != NULL, "horizon") &&
             expect_group(r, loc, "correlations", s->correlation_count > 0, "correlations");
    result->precision_met = (int)met;
    if (ok && s->horizon)
        ok = read_horizon(r, loc, s->horizon->periods, result->samples, &result->horizon);
    if (ok && s->correlation_count)
        ok = read_correlations(r, loc, s, &result->correlations);
    return ok && fmc_read_analysis_parts(r, loc, s, &p->analysis);
}

/* ----- sweeps ----- */

/* The axes of SWEEP in its group, which must be the stored scenario's. */
static int read_axes(fmc_reader *r, hid_t group, const char *where, const fmc_scenario *s,
                     const fmc_sweep *sweep)
{
    int ok = 1;
    for (size_t a = 0; ok && a < sweep->axis_count; a++) {
        const fmc_axis *axis = &sweep->axes[a];
        const char *name = fmc_axis_name(s, axis);
        double *values = fmc_read_calloc(r, axis->value_count, sizeof *values);
        ok = values && fmc_read_doubles(r, group, name, 1, &axis->value_count, values);
        if (ok && memcmp(values, axis->values, axis->value_count * sizeof *values) != 0)
            ok = fail_in(r, where, name, "not the values of the stored scenario's axis");
        free(values);
    }
    return ok;
}

/* The lever figures of a sweep's grid of POINTS points with L levers:
 * the lever names must be the scenario's and every index in range. */
static int read_sweep_levers(fmc_reader *r, hid_t group, const char *where,
                             const fmc_scenario *s, int rank, const size_t *dims,
                             fmc_sweep_result *out)
{
    enum { NAME_SIZE = 256 };
    size_t L = s->lever_count, points = out->points;
    char *names = fmc_read_calloc(r, L, NAME_SIZE);
    int ok = names && fmc_read_strings(r, group, "lever", L, names, NAME_SIZE) &&
             fmc_read_ints(r, group, "best_lever", rank, dims, out->best_lever) &&
             fmc_read_ints(r, group, "runner_up_lever", rank, dims, out->runner_up);
    for (size_t l = 0; ok && l < L; l++)
        if (strcmp(names + l * NAME_SIZE, s->levers[l].name) != 0)
            ok = fail_in(r, where, "lever", "lever %zu is '%s', the stored scenario's is '%s'",
                         l, names + l * NAME_SIZE, s->levers[l].name);
    for (size_t p = 0; ok && p < points; p++)
        if (out->best_lever[p] < 0 || (size_t)out->best_lever[p] >= L ||
            out->runner_up[p] < -1 || out->runner_up[p] >= (int)L)
            ok = fail_in(r, where, "best_lever", "point %zu names lever %d or %d of %zu", p,
                         out->best_lever[p], out->runner_up[p], L);
    free(names);
    return ok;
}

/* /sweeps/NAME of SWEEP, one of the stored scenario S's, into *OUT
 * (cleared on failure). */
static int read_sweep(fmc_reader *r, hid_t sweeps, const fmc_scenario *s,
                      const fmc_sweep *sweep, fmc_sweep_result *out)
{
    char where[192];
    snprintf(where, sizeof where, "sweeps/%s", sweep->name);
    hid_t group = fmc_read_group(r, sweeps, sweep->name);
    if (group < 0)
        return 0;
    size_t points = fmc_sweep_points(sweep), dims[FMC_MAX_SWEEP_AXES];
    int rank = (int)sweep->axis_count;
    for (int a = 0; a < rank; a++)
        dims[a] = sweep->axes[a].value_count;
    out->points = points;
    /* one block of doubles and one of ints, as fmc_sweep_result_clear frees them */
    const fmc_carving grids[] = {
        {&out->mean, points},      {&out->sd, points},           {&out->se, points},
        {&out->p_loss, points},    {&out->p_loss_se, points},    {&out->p05, points},
        {&out->p50, points},       {&out->p95, points},          {&out->best_gain, points},
        {&out->best_gain_se, points}, {&out->p_beats_runner_up, points},
        {&out->p_beats_runner_up_se, points}, {&out->p_ties_runner_up, points}};
    static const char *const grid_names[] = {
        "mean", "sd", "se", "p_loss", "p_loss_se", "p05", "p50", "p95", "best_net_gain",
        "best_net_gain_se", "p_best_beats_runner_up", "p_best_beats_runner_up_se",
        "p_best_ties_runner_up"};
    enum { PROFIT_GRIDS = 8, GRIDS = sizeof grid_names / sizeof *grid_names };
    _Static_assert(GRIDS == sizeof grids / sizeof *grids, "a name for every grid");
    double *block = fmc_read_calloc(r, fmc_carving_total(grids, GRIDS), sizeof *block);
    out->best_lever = fmc_read_calloc(r, 2 * points, sizeof *out->best_lever);
    if (block)
        fmc_carve(block, grids, GRIDS);
    int ok = block && out->best_lever && fmc_read_attr_u64(r, group, "samples", &out->samples) &&
             read_design(r, group, where, &out->design) && read_axes(r, group, where, s, sweep);
    if (ok)
        out->runner_up = out->best_lever + points;
    size_t with_levers = s->lever_count ? GRIDS : PROFIT_GRIDS;
    for (size_t k = 0; ok && k < with_levers; k++)
        ok = fmc_read_doubles(r, group, grid_names[k], rank, dims, *grids[k].array);
    if (ok && s->lever_count)
        ok = read_sweep_levers(r, group, where, s, rank, dims, out);
    else if (ok)
        for (size_t p = 0; p < points; p++) {
            /* as a sweep without levers leaves them (sweep.c) */
            out->best_lever[p] = out->runner_up[p] = -1;
            for (size_t k = PROFIT_GRIDS; k < GRIDS; k++)
                (*grids[k].array)[p] = NAN;
        }
    H5Gclose(group);
    if (!ok)
        fmc_sweep_result_clear(out);
    return ok;
}

/* /sweeps of the part LOC: each sweep of its scenario that the file holds,
 * in the scenario's order; a sweep the scenario does not have is a
 * problem. */
static int read_sweeps(fmc_reader *r, hid_t loc, part *p)
{
    const fmc_scenario *s = p->scenario;
    hid_t sweeps = fmc_read_group(r, loc, "sweeps");
    if (sweeps < 0)
        return 0;
    p->sweeps = fmc_read_calloc(r, s->sweep_count, sizeof *p->sweeps);
    p->sweep_results = fmc_read_calloc(r, s->sweep_count, sizeof *p->sweep_results);
    int ok = p->sweeps && p->sweep_results;
    for (size_t k = 0; ok && k < s->sweep_count; k++) {
        const fmc_sweep *sweep = &s->sweeps[k];
        if (!fmc_read_has(sweeps, sweep->name))
            continue;
        ok = read_sweep(r, sweeps, s, sweep, &p->sweep_results[p->sweep_count]);
        if (ok)
            p->sweeps[p->sweep_count++] = sweep;
    }
    H5G_info_t info;
    if (ok && H5Gget_info(sweeps, &info) < 0)
        ok = fail_in(r, "", "sweeps", "unreadable (truncated or damaged file)");
    for (hsize_t i = 0; ok && i < info.nlinks && info.nlinks != p->sweep_count; i++) {
        char name[256];
        ssize_t n = H5Lget_name_by_idx(sweeps, ".", H5_INDEX_NAME, H5_ITER_INC, i, name,
                                       sizeof name, H5P_DEFAULT);
        if (n < 0 || (size_t)n >= sizeof name)
            ok = fail_in(r, "", "sweeps", "unreadable (truncated or damaged file)");
        size_t k = 0;
        while (ok && k < s->sweep_count && strcmp(s->sweeps[k].name, name) != 0)
            k++;
        if (ok && k == s->sweep_count)
            ok = fail_in(r, "sweeps", name, "not a sweep of the stored scenario");
    }
    H5Gclose(sweeps);
    return ok;
}

/* ----- batch ----- */

/* The /batch table of N rows into ROWS. */
static int read_batch_table(fmc_reader *r, hid_t table, size_t n, fmc_batch_row *rows)
{
    static const struct {
        const char *column;
        size_t offset, size;
    } texts[] = {{"name", offsetof(fmc_batch_row, name), sizeof rows->name},
                 {"file", offsetof(fmc_batch_row, file), sizeof rows->file},
                 {"best_lever", offsetof(fmc_batch_row, best_lever), sizeof rows->best_lever},
                 {"period", offsetof(fmc_batch_row, period), sizeof rows->period}};
    static const struct {
        const char *column;
        size_t offset;
    } numbers[] = {{"mean", offsetof(fmc_batch_row, mean)},
                   {"se", offsetof(fmc_batch_row, se)},
                   {"sd", offsetof(fmc_batch_row, sd)},
                   {"p_loss", offsetof(fmc_batch_row, p_loss)},
                   {"p_loss_se", offsetof(fmc_batch_row, p_loss_se)}};
    char *column = fmc_read_calloc(r, n, sizeof rows->file);
    int ok = column != NULL;
    for (size_t c = 0; ok && c < sizeof texts / sizeof *texts; c++) {
        ok = fmc_read_strings(r, table, texts[c].column, n, column, texts[c].size);
        for (size_t i = 0; ok && i < n; i++)
            memcpy((char *)&rows[i] + texts[c].offset, column + i * texts[c].size,
                   texts[c].size);
    }
    for (size_t c = 0; ok && c < sizeof numbers / sizeof *numbers; c++) {
        ok = fmc_read_doubles(r, table, numbers[c].column, 1, &n, (double *)column);
        for (size_t i = 0; ok && i < n; i++)
            memcpy((char *)&rows[i] + numbers[c].offset, column + i * sizeof(double),
                   sizeof(double));
    }
    free(column);
    return ok;
}

static int read_batch(fmc_reader *r, hid_t file, fmc_results_file *f)
{
    uint64_t scenarios = 0;
    size_t n = 0;
    H5G_info_t root;
    hid_t table = fmc_read_group(r, file, "batch");
    int ok = table >= 0 && fmc_read_attr_u64(r, file, "scenarios", &scenarios) &&
             fmc_read_length(r, table, "name", &n);
    if (ok && n != scenarios)
        ok = fail_in(r, "batch", "name", "%zu rows, the root says %llu scenarios", n,
                     (unsigned long long)scenarios);
    /* a group per row besides /batch: the root's links bound the rows */
    if (ok && (H5Gget_info(file, &root) < 0 || root.nlinks <= n))
        ok = fail_in(r, "", "batch", "%zu rows, but not a group for each", n);
    if (ok) {
        f->rows = fmc_read_calloc(r, n, sizeof *f->rows);
        f->parts = fmc_read_calloc(r, n, sizeof *f->parts);
        f->part_views = fmc_read_calloc(r, n, sizeof *f->part_views);
        ok = f->rows && f->parts && f->part_views;
        f->part_count = ok ? n : 0;
    }
    ok = ok && read_batch_table(r, table, n, f->rows);
    for (size_t i = 0; ok && i < n; i++) {
        fmc_batch_row *row = &f->rows[i];
        part *p = &f->parts[i];
        hid_t group = fmc_read_group(r, file, row->name);
        if (group < 0)
            break;
        snprintf(r->prefix, sizeof r->prefix, "/%s", row->name);
        row->has_sweeps = fmc_read_has(group, "sweeps");
        ok = read_run(r, group, p) && (!row->has_sweeps || read_sweeps(r, group, p));
        /* the group's name becomes ids and file names of a report: it must
         * be the scenario's, whose characters the scenario reader limits */
        if (ok && strcmp(row->name, p->scenario->name) != 0)
            ok = fail_in(r, "batch", "name", "row %zu: '%s', but its group holds scenario '%s'",
                         i, row->name, p->scenario->name);
        r->prefix[0] = '\0';
        H5Gclose(group);
        f->part_views[i] = (fmc_results_view){
            .kind = FMC_RESULTS_RUN, .path = f->path, .funnelmc_version = f->funnelmc_version,
            .created = f->created, .scenario = p->scenario, .analysis = &p->analysis,
            .sweep_count = p->sweep_count, .sweeps = p->sweeps,
            .sweep_results = p->sweep_results};
    }
    if (table >= 0)
        H5Gclose(table);
    return ok && !r->failed;
}

/* ----- bench ----- */

/* One scaling table of workload GROUP: PREFIX + each column, of the K
 * thread counts (P 0: 1-D, into row 0) or of P process counts x K. */
static int read_scaling(fmc_reader *r, hid_t group, const char *prefix, size_t p, size_t k,
                        fmc_scaling (*rows)[FMC_WORKLOAD_COUNT][FMC_MAX_BENCH_THREADS], int w)
{
    static const struct {
        const char *name;
        size_t offset;
    } columns[] = {{"median_seconds", offsetof(fmc_scaling, median)},
                   {"min_seconds", offsetof(fmc_scaling, min)},
                   {"max_seconds", offsetof(fmc_scaling, max)},
                   {"samples_per_second", offsetof(fmc_scaling, samples_per_second)},
                   {"speedup", offsetof(fmc_scaling, speedup)},
                   {"efficiency", offsetof(fmc_scaling, efficiency)}};
    double values[FMC_MAX_BENCH_PROCESSES * FMC_MAX_BENCH_THREADS];
    size_t dims[2] = {p ? p : k, k};
    for (size_t c = 0; c < sizeof columns / sizeof *columns; c++) {
        char name[64];
        snprintf(name, sizeof name, "%s%s", prefix, columns[c].name);
        if (!fmc_read_doubles(r, group, name, p ? 2 : 1, dims, values))
            return 0;
        for (size_t i = 0; i < (p ? p : 1); i++)
            for (size_t j = 0; j < k; j++)
                memcpy((char *)&rows[i][w][j] + columns[c].offset, &values[i * k + j],
                       sizeof(double));
    }
    return 1;
}

/* A count stored as a float64 (a bench's thread and process counts): a
 * whole number from 1 to INT_MAX. */
static int whole_counts(fmc_reader *r, const char *name, const double *values, size_t n,
                        int *out)
{
    for (size_t i = 0; i < n; i++) {
        if (!(values[i] >= 1 && values[i] <= INT_MAX && values[i] == floor(values[i])))
            return fail_in(r, "bench", name, "value %zu, %g, is not a count", i, values[i]);
        out[i] = (int)values[i];
    }
    return 1;
}

/* The length of the bench's 1-D dataset NAME, from 1 to MAX. */
static int bench_length(fmc_reader *r, hid_t bench, const char *name, size_t max, size_t *n)
{
    if (!fmc_read_length(r, bench, name, n))
        return 0;
    if (*n < 1 || *n > max)
        return fail_in(r, "bench", name, "%zu values: not 1 to %zu", *n, max);
    return 1;
}

static int read_bench(fmc_reader *r, hid_t file, fmc_benchmark_result *b)
{
    hid_t bench = fmc_read_group(r, file, "bench");
    if (bench < 0)
        return 0;
    size_t k = 0, p = 0;
    uint64_t cores = 0, repeats = 0;
    double threads[FMC_MAX_BENCH_THREADS], processes[FMC_MAX_BENCH_PROCESSES];
    int ok = bench_length(r, bench, "threads", FMC_MAX_BENCH_THREADS, &k) &&
             fmc_read_doubles(r, bench, "threads", 1, &k, threads) &&
             whole_counts(r, "threads", threads, k, b->threads) &&
             fmc_read_attr_text(r, bench, "cpu", b->cpu, sizeof b->cpu) &&
             fmc_read_attr_u64(r, bench, "cores", &cores) &&
             fmc_read_attr_text(r, bench, "omp_proc_bind", b->proc_bind, sizeof b->proc_bind) &&
             fmc_read_attr_text(r, bench, "omp_places", b->places, sizeof b->places) &&
             fmc_read_attr_u64(r, bench, "samples", &b->samples) &&
             fmc_read_attr_u64(r, bench, "repeats", &repeats);
    if (ok && (cores > INT_MAX || repeats > INT_MAX))
        ok = fail_in(r, "bench", cores > INT_MAX ? "@cores" : "@repeats", "too large");
    b->thread_count = k;
    b->cores = (int)cores;
    b->repeats = (int)repeats;
    /* a lone process's file has no process tables: one process */
    b->process_count = 1;
    b->processes[0] = 1;
    if (ok && fmc_read_has(bench, "processes")) {
        ok = bench_length(r, bench, "processes", FMC_MAX_BENCH_PROCESSES, &p) &&
             fmc_read_doubles(r, bench, "processes", 1, &p, processes) &&
             whole_counts(r, "processes", processes, p, b->processes);
        b->process_count = ok ? p : 1;
    }
    for (int w = 0; ok && w < FMC_WORKLOAD_COUNT; w++) {
        hid_t group = fmc_read_group(r, bench, fmc_workload_name(w));
        ok = group >= 0 && read_scaling(r, group, "", 0, k, b->process_strong, w) &&
             read_scaling(r, group, "weak_", 0, k, b->process_weak, w) &&
             (!p || (read_scaling(r, group, "processes_", p, k, b->process_strong, w) &&
                     read_scaling(r, group, "processes_weak_", p, k, b->process_weak, w)));
        if (group >= 0)
            H5Gclose(group);
    }
    H5Gclose(bench);
    return ok;
}

/* ----- the file ----- */

/* The identity of the open FILE: a funnelmc results file of the version
 * this program reads. */
static int read_identity(fmc_reader *r, hid_t file, fmc_results_file *f)
{
    char format[64];
    int version = 0;
    if (!fmc_read_has_attr(file, "format"))
        return fmc_read_fail(r, FMC_EFOREIGN, NULL, "not a funnelmc results file");
    if (!fmc_read_attr_text(r, file, "format", format, sizeof format))
        return 0;
    if (strcmp(format, FMC_FORMAT_NAME) != 0)
        return fmc_read_fail(r, FMC_EFOREIGN, NULL, "not a funnelmc results file (format "
                             "'%s')", format);
    if (!fmc_read_attr_int(r, file, "format_version", &version))
        return 0;
    if (version != FMC_FORMAT_VERSION)
        return fmc_read_fail(r, FMC_EFOREIGN, "@format_version",
                             "format_version %d: this program reads version %d", version,
                             FMC_FORMAT_VERSION);
    return fmc_read_attr_text(r, file, "funnelmc_version", f->funnelmc_version,
                              sizeof f->funnelmc_version) &&
           fmc_read_attr_text(r, file, "created", f->created, sizeof f->created);
}

static int read_file(fmc_reader *r, hid_t file, fmc_results_file *f)
{
    if (!read_identity(r, file, f))
        return 0;
    fmc_results_view *v = &f->view;
    *v = (fmc_results_view){.path = f->path, .funnelmc_version = f->funnelmc_version,
                            .created = f->created};
    /* what marks each kind (docs/hdf5-layout.md): a sweeps file has
     * /sweeps and no /outputs, a batch part (with /outputs) may have
     * /sweeps too */
    if (fmc_read_has(file, "bench")) {
        v->kind = FMC_RESULTS_BENCH;
        v->bench = f->bench = fmc_read_calloc(r, 1, sizeof *f->bench);
        return f->bench && read_bench(r, file, f->bench);
    }
    if (fmc_read_has(file, "batch")) {
        v->kind = FMC_RESULTS_BATCH;
        int ok = read_batch(r, file, f);
        v->part_count = f->part_count;
        v->rows = f->rows;
        v->parts = f->part_views;
        return ok;
    }
    int run = fmc_read_has(file, "outputs");
    if (!run && !fmc_read_has(file, "sweeps"))
        return fmc_read_fail(r, FMC_EHDF5, NULL, "holds none of /outputs, /sweeps, /batch, "
                             "/bench: not a kind of results file this program reads");
    v->kind = run ? FMC_RESULTS_RUN : FMC_RESULTS_SWEEPS;
    int ok = run ? read_run(r, file, &f->main)
                 : read_scenario(r, file, &f->main.scenario) && read_sweeps(r, file, &f->main);
    v->scenario = f->main.scenario;
    v->analysis = run ? &f->main.analysis : NULL;
    v->sweep_count = f->main.sweep_count;
    v->sweeps = f->main.sweeps;
    v->sweep_results = f->main.sweep_results;
    return ok;
}

/* What can be said of PATH before HDF5 opens it: that it can be read, is
 * an HDF5 file, and has global heap collections HDF5 can read without
 * crashing.  1, or 0 with the problem reported. */
static int probe(fmc_reader *r, const char *path)
{
    FILE *stream = fopen(path, "rb");
    int first = stream ? fgetc(stream) : EOF, error = errno;
    int unreadable = !stream || (first == EOF && ferror(stream));
    if (stream)
        fclose(stream);
    if (unreadable) {
        fmc_read_fail(r, FMC_EIO, NULL, "%s", strerror(error));
        errno = error;
        return 0;
    }
    if (first == EOF)
        return fmc_read_fail(r, FMC_EFOREIGN, NULL, "empty file: not a funnelmc results file");
    if (H5Fis_hdf5(path) <= 0)
        return fmc_read_fail(r, FMC_EFOREIGN, NULL, "not an HDF5 file");
    return fmc_read_check_heaps(r, path);
}

fmc_status fmc_results_file_read(const char *path, fmc_results_file **out,
                                 fmc_read_problem *problem)
{
    memset(problem, 0, sizeof *problem);
    *out = NULL;
    fmc_reader r = {problem, 0, FMC_OK, ""};
    fmc_h5_prepare();
    if (!probe(&r, path))
        return r.status;
    fmc_results_file *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(path))) {
        free(f);
        fmc_read_fail(&r, FMC_ENOMEM, NULL, "out of memory");
        return FMC_ENOMEM;
    }
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        fmc_read_fail(&r, FMC_EHDF5, NULL, "unreadable (truncated or damaged file)");
    else {
        /* a part's primitives fail silently on a stray problem; the first one counts */
        if (!read_file(&r, file, f) && !r.failed)
            fmc_read_fail(&r, FMC_EHDF5, NULL, "unreadable (truncated or damaged file)");
        H5Fclose(file);
    }
    if (r.failed) {
        fmc_results_file_free(f);
        return r.status;
    }
    *out = f;
    return FMC_OK;
}

const fmc_results_view *fmc_results_file_view(const fmc_results_file *file)
{
    return &file->view;
}

void fmc_results_file_free(fmc_results_file *f)
{
    if (!f)
        return;
    part_clear(&f->main);
    for (size_t i = 0; i < f->part_count; i++)
        part_clear(&f->parts[i]);
    free(f->parts);
    free(f->part_views);
    free(f->rows);
    free(f->bench);
    free(f->path);
    free(f);
}
