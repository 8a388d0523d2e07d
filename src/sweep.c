#include "funnelmc/sweep.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "carve.h"

/* The per-point arrays of a sweep result, carved from one block. */
enum { FMC_SWEEP_FIGURES = 13 };

void fmc_sweep_result_clear(fmc_sweep_result *r)
{
    if (!r)
        return;
    free(r->mean);
    free(r->best_lever);
    memset(r, 0, sizeof *r);
}

/* Progress over the grid: a point's samples offset by the points before it. */
typedef struct grid_progress {
    const fmc_run_options *outer;
    uint64_t before, total;
} grid_progress;

static int point_progress(void *context, uint64_t done, uint64_t total)
{
    (void)total;
    grid_progress *g = context;
    return g->outer->progress(g->outer->progress_context, g->before + done, g->total);
}

const char *fmc_axis_name(const fmc_scenario *s, const fmc_axis *axis)
{
    return axis->input == FMC_AXIS_PERIODS ? "periods" : s->inputs[axis->input].name;
}

size_t fmc_sweep_points(const fmc_sweep *sweep)
{
    size_t points = 1;
    for (size_t a = 0; a < sweep->axis_count; a++)
        points *= sweep->axes[a].value_count;
    return points;
}

void fmc_sweep_point_indices(const fmc_sweep *sweep, size_t point, size_t *index)
{
    size_t stride = 1;
    for (size_t a = sweep->axis_count; a-- > 0;) {
        index[a] = (point / stride) % sweep->axes[a].value_count;
        stride *= sweep->axes[a].value_count;
    }
}

/* The changes of point P into CHANGES, and their number; *PERIODS is the
 * point's horizon when an axis sweeps it, else 0 (the scenario's). */
static size_t point_changes(const fmc_sweep *sweep, size_t point, fmc_change *changes,
                            uint32_t *periods)
{
    size_t index[FMC_MAX_SWEEP_AXES], n = 0;
    fmc_sweep_point_indices(sweep, point, index);
    *periods = 0;
    for (size_t a = 0; a < sweep->axis_count; a++) {
        const fmc_axis *axis = &sweep->axes[a];
        if (axis->input == FMC_AXIS_PERIODS) {
            *periods = (uint32_t)axis->values[index[a]];
            continue;
        }
        changes[n] = fmc_change_plain(axis->input, axis->op, axis->values[index[a]]);
        changes[n].effect = axis->effect;
        changes[n].uncertain_effect = axis->uncertain_effect;
        n++;
    }
    return n;
}

static void record_levers(const fmc_lever_results *l, size_t point, fmc_sweep_result *out)
{
    size_t best = l->rank[0];
    out->best_lever[point] = (int)best;
    out->best_gain[point] = l->net[best].mean;
    out->best_gain_se[point] = l->net[best].se;
    size_t runner_up = l->count > 1 ? best * l->count + l->rank[1] : 0;
    out->p_beats_runner_up[point] = l->count > 1 ? l->p_beats[runner_up] : NAN;
    out->p_beats_runner_up_se[point] = l->count > 1 ? l->p_beats_se[runner_up] : NAN;
    out->runner_up[point] = l->count > 1 ? (int)l->rank[1] : -1;
    out->p_ties_runner_up[point] = l->count > 1 ? l->p_tie[runner_up] : NAN;
}

/* Runs point P of the grid into OUT; O's changes point to CHANGES. */
static fmc_status run_point(const fmc_scenario *s, const fmc_sweep *sweep, size_t p,
                            fmc_run_options o, fmc_sweep_result *out)
{
    fmc_change changes[FMC_MAX_SWEEP_AXES];
    o.change_count = point_changes(sweep, p, changes, &o.periods);
    o.changes = changes;
    fmc_run_result r = {0};
    fmc_status status = fmc_simulate(s, &o, &r);
    if (status)
        return status;
    const fmc_output_summary *profit = &r.outputs[FMC_OUT_PROFIT];
    out->mean[p] = profit->mean;
    out->sd[p] = profit->sd;
    out->se[p] = profit->se;
    out->p_loss[p] = profit->p_loss;
    out->p_loss_se[p] = profit->p_loss_se;
    out->p05[p] = profit->quantiles[1];
    out->p50[p] = profit->quantiles[4];
    out->p95[p] = profit->quantiles[7];
    out->best_lever[p] = out->runner_up[p] = -1;
    out->best_gain[p] = out->best_gain_se[p] = NAN;
    out->p_beats_runner_up[p] = out->p_beats_runner_up_se[p] = out->p_ties_runner_up[p] = NAN;
    if (r.levers.count)
        record_levers(&r.levers, p, out);
    fmc_run_result_clear(&r);
    return FMC_OK;
}

fmc_status fmc_sweep_run(const fmc_scenario *s, const fmc_sweep *sweep,
                         const fmc_run_options *options, fmc_sweep_result *out)
{
    memset(out, 0, sizeof *out);
    size_t points = fmc_sweep_points(sweep);
    out->points = points;
    out->samples = options->samples ? options->samples : sweep->samples;
    out->mean = malloc(FMC_SWEEP_FIGURES * points * sizeof *out->mean);
    /* the best lever and the runner-up, one block too */
    out->best_lever = malloc(2 * points * sizeof *out->best_lever);
    int threads = options->threads > 0 ? options->threads : omp_get_max_threads();
    fmc_sampler **samplers = NULL;
    fmc_status status = out->mean && out->best_lever ? fmc_scenario_samplers_alloc(s, threads, &samplers)
                                                     : FMC_ENOMEM;
    if (status) {
        fmc_sweep_result_clear(out);
        return status;
    }
    const fmc_carving per_point[] = {
        {&out->mean, points},      {&out->sd, points},           {&out->se, points},
        {&out->p_loss, points},    {&out->p_loss_se, points},    {&out->p05, points},
        {&out->p50, points},       {&out->p95, points},          {&out->best_gain, points},
        {&out->best_gain_se, points}, {&out->p_beats_runner_up, points},
        {&out->p_beats_runner_up_se, points}, {&out->p_ties_runner_up, points},
    };
    _Static_assert(sizeof per_point / sizeof *per_point == FMC_SWEEP_FIGURES, "one block holds them");
    fmc_carve(out->mean, per_point, FMC_SWEEP_FIGURES);
    out->runner_up = out->best_lever + points;

    fmc_run_options o = *options;
    o.samples = out->samples;
    o.samplers = samplers;
    o.levers = s->lever_count > 0;
    o.equivalents = 0;  /* a grid reports the best lever, not its equivalents */
    o.drivers = 0;
    o.precision_mean = 0;
    o.sink = NULL;
    grid_progress progress = {options, 0, (uint64_t)points * out->samples};
    /* Load balance: the points form one work queue served by OUTER workers,
     * each running its point's blocks on INNER threads, OUTER x INNER being
     * the threads: many small points keep every core busy (a point per
     * thread), a few large ones too (threads shared among them).  A run's
     * results do not depend on its thread count, so the sweep's do not. */
    int outer = points < (size_t)threads ? (int)points : threads;
    int inner = threads / outer;
    o.threads = inner;
    if (outer == 1 && options->progress) {
        o.progress = point_progress;
        o.progress_context = &progress;
        for (size_t p = 0; p < points && status == FMC_OK; p++) {
            progress.before = (uint64_t)p * out->samples;
            status = run_point(s, sweep, p, o, out);
        }
    } else {
        o.progress = NULL;
        uint64_t finished = 0;
        int levels = omp_get_max_active_levels();
        omp_set_max_active_levels(2);
        #pragma omp parallel for num_threads(outer) schedule(dynamic, 1)
        for (size_t p = 0; p < points; p++) {
            fmc_status point_status;
            #pragma omp atomic read
            point_status = status;
            if (point_status)
                continue;
            point_status = run_point(s, sweep, p, o, out);
            #pragma omp critical(sweep_progress)
            {
                fmc_status now = status;
                if (point_status && !now)
                    now = point_status;
                finished += out->samples;
                if (!now && options->progress &&
                    options->progress(options->progress_context, finished, progress.total))
                    now = FMC_ECANCELLED;
                #pragma omp atomic write
                status = now;
            }
        }
        omp_set_max_active_levels(levels);
    }
    fmc_scenario_samplers_free(samplers, s->input_count);
    if (status)
        fmc_sweep_result_clear(out);
    return status;
}
