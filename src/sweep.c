#include "funnelmc/sweep.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "carve.h"
#include "funnelmc/replicates.h"

/* The per-point arrays of a sweep result, carved from one block. */
enum { FMC_SWEEP_FIGURES = 13 };
/* The tag of the points that groups' leaders post to the team's rank 0. */
enum { POINT_TAG = 1601 };

/* A point a group's leader finished, as it posts it to rank 0; a point of
 * -1 says that the group stopped (a failure or a cancellation) before its
 * last point and posts no more. */
typedef struct point_record {
    int64_t point;
    int32_t group, best_lever, runner_up;
    double figures[FMC_SWEEP_FIGURES];
} point_record;

void fmc_sweep_result_clear(fmc_sweep_result *r)
{
    if (!r)
        return;
    free(r->mean);
    free(r->best_lever);
    memset(r, 0, sizeof *r);
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

/* A sweep under way in this process. */
typedef struct grid {
    const fmc_run_options *options;  /* the caller's */
    fmc_sweep_result *out;
    int group;       /* this process's group of the team */
    int poster;      /* 1: the leader of a group without the team's rank 0 */
    size_t posted;   /* on a poster: the points posted */
    int collector;   /* 1: rank 0 of a team of several, which takes every point */
    /* samples of the points finished (on the collector, of every group) and
     * of the whole grid */
    uint64_t finished, total;
    fmc_team_inbox inbox;  /* on the collector: the other groups' points to come */
} grid;

/* The figures of point P are at P of each array of OUT's block, in the
 * order fmc_sweep_run carves them. */
static void pack_point(const fmc_sweep_result *out, size_t p, int group, point_record *r)
{
    memset(r, 0, sizeof *r);
    r->point = (int64_t)p;
    r->group = group;
    for (size_t f = 0; f < FMC_SWEEP_FIGURES; f++)
        r->figures[f] = out->mean[f * out->points + p];
    r->best_lever = out->best_lever[p];
    r->runner_up = out->runner_up[p];
}

static void unpack_point(const point_record *r, fmc_sweep_result *out)
{
    size_t p = (size_t)r->point;
    for (size_t f = 0; f < FMC_SWEEP_FIGURES; f++)
        out->mean[f * out->points + p] = r->figures[f];
    out->best_lever[p] = r->best_lever;
    out->runner_up[p] = r->runner_up;
}

/* On the collector: takes the points the other groups posted, as they
 * come (with WAIT, until none is awaited). */
static void take_points(grid *g, int wait)
{
    point_record r;
    while (fmc_team_inbox_take(g->options->team, POINT_TAG, &g->inbox, wait, &r, sizeof r)) {
        fmc_team_inbox_count(&g->inbox, r.group, r.point < 0);
        if (r.point < 0)
            continue;
        unpack_point(&r, g->out);
        g->finished += g->out->samples;
    }
}

/* Progress over the grid: the points finished plus RUNNING samples of one
 * under way (taking, on the collector, what other groups finished); non-zero
 * cancels. */
static int report(grid *g, uint64_t running)
{
    if (g->collector)
        take_points(g, 0);
    const fmc_run_options *o = g->options;
    return o->progress ? o->progress(o->progress_context, g->finished + running, g->total) : 0;
}

static int point_progress(void *context, uint64_t done, uint64_t total)
{
    (void)total;
    return report(context, done);
}

/* Point P ran here with STATUS: a group's leader posts it to rank 0, and
 * progress is reported.  The status to go on with. */
static fmc_status point_done(grid *g, size_t p, fmc_status status)
{
    if (status)
        return status;
    g->finished += g->out->samples;
    if (g->poster) {
        point_record r;
        pack_point(g->out, p, g->group, &r);
        fmc_team_post(g->options->team, POINT_TAG, &r, sizeof r);
        g->posted++;
    }
    return report(g, 0) ? FMC_ECANCELLED : FMC_OK;
}

/* The points of group GROUP of GROUPS, in grid order, into *MINE (malloc'd)
 * and their number into *COUNT; with INBOX (the collector's), the points of
 * every other group.  The cost of a point is its horizon's periods, or 1. */
static fmc_status deal_points(const fmc_scenario *s, const fmc_sweep *sweep, const fmc_team *team,
                              int groups, int group, size_t **mine, size_t *count,
                              fmc_team_inbox *inbox)
{
    size_t points = fmc_sweep_points(sweep);
    double *costs = malloc(points * sizeof *costs);
    *mine = malloc(points * sizeof **mine);
    *count = 0;
    fmc_status status = costs && *mine ? FMC_OK : FMC_ENOMEM;
    for (size_t p = 0; p < points && !status; p++) {
        fmc_change changes[FMC_MAX_SWEEP_AXES];
        uint32_t periods;
        point_changes(sweep, p, changes, &periods);
        periods = fmc_run_periods(s, periods);
        costs[p] = periods ? periods : 1;
    }
    if (!status)
        status = fmc_team_deal(fmc_team_size(team), groups, group, costs, points, *mine, count,
                               inbox);
    free(costs);
    return status;
}

/* Runs the COUNT points MINE of the grid on this process's threads: one
 * work queue of the points served by OUTER workers, each running its
 * point's blocks on INNER threads, OUTER x INNER being the threads: many
 * small points keep every core busy (a point per thread), a few large ones
 * too (threads shared among them).  A run's results do not depend on its
 * thread count, so the sweep's do not.  In a group of several processes
 * the points run one after the other, each shared by the group's
 * processes, which must call fmc_simulate in the same order and so go on
 * to the next point, or stop, together: each point's status (progress
 * cancels in each process at its own moment) is agreed in the group. */
static fmc_status run_points(const fmc_scenario *s, const fmc_sweep *sweep, fmc_run_options o,
                             const size_t *mine, size_t count, int threads, grid *g)
{
    fmc_status status = FMC_OK;
    int outer = fmc_team_size(o.team) > 1 || count == 0 ? 1
                : count < (size_t)threads          ? (int)count
                                                   : threads;
    o.threads = threads / outer;
    if (outer == 1) {
        o.progress = point_progress;
        o.progress_context = g;
        for (size_t k = 0; k < count && !status; k++)
            status = fmc_team_agree(o.team, point_done(g, mine[k],
                                                       run_point(s, sweep, mine[k], o, g->out)));
        return status;
    }
    o.progress = NULL;
    int levels = omp_get_max_active_levels();
    omp_set_max_active_levels(2);
    #pragma omp parallel for num_threads(outer) schedule(dynamic, 1)
    for (size_t k = 0; k < count; k++) {
        fmc_status point_status;
        #pragma omp atomic read
        point_status = status;
        if (point_status)
            continue;
        point_status = run_point(s, sweep, mine[k], o, g->out);
        #pragma omp critical(sweep_progress)
        {
            fmc_status now = status;
            point_status = point_done(g, mine[k], point_status);
            if (point_status && !now)
                now = point_status;
            #pragma omp atomic write
            status = now;
        }
    }
    omp_set_max_active_levels(levels);
    return status;
}

fmc_status fmc_sweep_run(const fmc_scenario *s, const fmc_sweep *sweep,
                         const fmc_run_options *options, fmc_sweep_result *out)
{
    memset(out, 0, sizeof *out);
    size_t points = fmc_sweep_points(sweep);
    out->points = points;
    out->samples = options->samples ? options->samples : sweep->samples;
    /* a point runs R ceil(N / R) samples under R replicates (replicates.h) */
    if (fmc_run_design(s, options, out->samples, &out->design))
        return FMC_EINVAL;
    out->samples = out->design.points * out->design.replicates;
    out->mean = malloc(FMC_SWEEP_FIGURES * points * sizeof *out->mean);
    /* the best lever and the runner-up, one block too */
    out->best_lever = malloc(2 * points * sizeof *out->best_lever);
    int threads = options->threads > 0 ? options->threads : omp_get_max_threads();
    /* the grid's points in groups of the team's processes (sweep.h) */
    const fmc_team *team = options->team;
    int processes = fmc_team_size(team), collector = processes > 1 && fmc_team_rank(team) == 0;
    int groups = points < (size_t)processes ? (int)points : processes, group = 0;
    fmc_team *group_team = NULL;
    /* alike on every process: a failure leaves none in a collective */
    fmc_status status = fmc_team_split(team, groups, &group, &group_team);
    grid g = {.options = options, .out = out, .group = group, .collector = collector,
              .total = (uint64_t)points * out->samples};
    g.inbox.awaited = collector ? calloc((size_t)groups, sizeof *g.inbox.awaited) : NULL;
    fmc_sampler **samplers = NULL;
    size_t *mine = NULL, count = 0;
    if (!status && !(out->mean && out->best_lever && (g.inbox.awaited || !collector)))
        status = FMC_ENOMEM;
    if (!status)
        status = deal_points(s, sweep, team, groups, group, &mine, &count,
                             collector ? &g.inbox : NULL);
    if (!status)
        status = fmc_scenario_samplers_alloc(s, threads, &samplers);
    /* a process that cannot start must not leave the others waiting for it */
    status = fmc_team_agree(team, status);
    if (status) {
        fmc_team_free(group_team);
        fmc_scenario_samplers_free(samplers, s->input_count);
        free(mine);
        free(g.inbox.awaited);
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
    g.poster = processes > 1 && fmc_team_rank(group_team) == 0 && !collector;

    fmc_run_options o = *options;
    o.samples = out->samples;
    o.samplers = samplers;
    o.levers = s->lever_count > 0;
    o.equivalents = 0;  /* a grid reports the best lever, not its equivalents */
    o.drivers = 0;
    o.precision_mean = 0;
    o.sink = NULL;
    o.team = group_team;
    status = run_points(s, sweep, o, mine, count, threads, &g);
    /* the collector awaits this group's points not posted, and no more */
    if (status && g.poster && g.posted < count) {
        point_record stop = {.point = -1, .group = group};
        fmc_team_post(team, POINT_TAG, &stop, sizeof stop);
    }
    if (collector)
        take_points(&g, 1);
    fmc_team_free(group_team);
    status = fmc_team_agree(team, status);
    fmc_scenario_samplers_free(samplers, s->input_count);
    free(mine);
    free(g.inbox.awaited);
    if (status)
        fmc_sweep_result_clear(out);
    return status;
}
