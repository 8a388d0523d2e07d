/* A resumable batch: parts written one scenario at a time, resume keeping
 * the complete ones, assembly into the batch file. */
#define _POSIX_C_SOURCE 200809L
#include "funnelmc/batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "funnelmc/h5file.h"
#include "funnelmc/sweep.h"

fmc_batch_options fmc_batch_options_default(void)
{
    fmc_batch_options o;
    memset(&o, 0, sizeof o);
    o.analysis = fmc_analysis_options_default();
    return o;
}

void fmc_batch_row_of(const fmc_scenario *s, const char *file_name, const fmc_analysis *a,
                      fmc_batch_row *row)
{
    memset(row, 0, sizeof *row);
    snprintf(row->name, sizeof row->name, "%s", s->name);
    snprintf(row->file, sizeof row->file, "%s", file_name);
    const fmc_output_summary *profit = &a->result.outputs[FMC_OUT_PROFIT];
    row->mean = profit->mean;
    row->se = profit->se;
    row->sd = profit->sd;
    row->p_loss = profit->p_loss;
    row->p_loss_se = profit->p_loss_se;
    const fmc_lever_results *l = &a->result.levers;
    if (a->has_levers && l->count)
        snprintf(row->best_lever, sizeof row->best_lever, "%s", s->levers[l->rank[0]].name);
    if (s->horizon)
        snprintf(row->period, sizeof row->period, "%u %ss", s->horizon->periods, s->period);
    else
        snprintf(row->period, sizeof row->period, "%s", s->period);
}

char *fmc_batch_parts_dir(const char *target)
{
    size_t n = strlen(target) + sizeof ".parts";
    char *dir = malloc(n);
    if (dir)
        snprintf(dir, n, "%s.parts", target);
    return dir;
}

/* The samples of every point of SWEEP in a batch with OPTIONS. */
static uint64_t sweep_samples(const fmc_batch_options *o, const fmc_sweep *sweep)
{
    return o->analysis.run.samples ? o->analysis.run.samples : sweep->samples;
}

/* The samples of scenario S in a batch with OPTIONS: its run's, and with
 * the sweeps every point of each. */
static uint64_t samples_of(const fmc_batch_options *o, const fmc_scenario *s)
{
    uint64_t samples = o->analysis.run.samples ? o->analysis.run.samples : s->samples;
    for (size_t k = 0; o->sweeps && k < s->sweep_count; k++)
        samples += fmc_sweep_points(&s->sweeps[k]) * sweep_samples(o, &s->sweeps[k]);
    return samples;
}

/* The tag of the scenarios that groups' leaders post to the team's rank 0. */
enum { SCENARIO_TAG = 1602 };

/* A scenario a group's leader finished, as it posts it to rank 0: a
 * failure (STATUS, with its errno ERROR) is the group's last. */
typedef struct scenario_record {
    uint64_t index;
    int32_t group, status, error;
    fmc_batch_row row;
} scenario_record;

/* A batch under way in this process. */
typedef struct batch_state {
    const fmc_batch_scenario *scenarios;
    size_t count;
    const fmc_batch_options *options;
    const fmc_team *team;       /* options->analysis.run.team */
    fmc_batch_outcome *out;
    char **parts;               /* [scenario] its part file */
    fmc_batch_row *rows;        /* [scenario] on rank 0, once known */
    unsigned char *resumed;     /* [scenario] kept from an earlier batch */
    int reporter;               /* 1 on the team's rank 0: reports every scenario */
    /* on the reporter: each scenario's end once known (a status and its
     * errno), the scenarios reported so far in order, and 1 once a failure
     * is; the results still to come from the other groups */
    unsigned char *known;
    fmc_status *statuses;
    int *errors;
    size_t reported;
    int stopped;
    fmc_team_inbox inbox;
    /* samples of the scenarios finished or kept (on the reporter, by every
     * group), of the current one's steps done (its analysis before its
     * sweeps), and of the whole batch */
    uint64_t finished, within, total;
} batch_state;

/* On the reporter: reports the scenarios known, in order, up to the first
 * one not known yet or the first failure (where the batch stops). */
static void report_in_order(batch_state *b)
{
    while (!b->stopped && b->reported < b->count && b->known[b->reported]) {
        size_t i = b->reported;
        fmc_status status = b->statuses[i];
        if (b->options->scenario_done) {
            int saved = errno;
            errno = b->errors[i];
            b->options->scenario_done(b->options->scenario_context, i, b->parts[i], status,
                                      status ? NULL : &b->rows[i], b->resumed[i]);
            errno = saved;
        }
        if (status) {
            b->stopped = 1;
            b->out->index = i;
            return;
        }
        b->out->completed++;
        b->out->resumed += b->resumed[i];
        b->reported++;
    }
}

/* On the reporter: scenario I ended with STATUS (ERROR: its errno) and, on
 * success, ROW. */
static void scenario_known(batch_state *b, size_t i, fmc_status status, int error,
                           const fmc_batch_row *row)
{
    b->known[i] = 1;
    b->statuses[i] = status;
    b->errors[i] = status ? error : 0;
    if (!status) {
        b->rows[i] = *row;
        b->finished += samples_of(b->options, b->scenarios[i].scenario);
    }
    report_in_order(b);
}

/* On the reporter: takes the scenarios the other groups posted, as they
 * come (with WAIT, until none is awaited). */
static void take_scenarios(batch_state *b, int wait)
{
    scenario_record r;
    while (fmc_team_inbox_take(b->team, SCENARIO_TAG, &b->inbox, wait, &r, sizeof r)) {
        /* a failure ends its group's list */
        fmc_team_inbox_count(&b->inbox, r.group, r.status != FMC_OK);
        scenario_known(b, (size_t)r.index, (fmc_status)r.status, r.error, &r.row);
    }
}

/* Progress over the whole batch (on the reporter, taking what other
 * groups finished); non-zero cancels. */
static int scenario_progress(void *context, uint64_t done, uint64_t total)
{
    (void)total;
    batch_state *b = context;
    if (b->reporter)
        take_scenarios(b, 0);
    const fmc_batch_options *o = b->options;
    return o->progress ? o->progress(o->progress_context, b->finished + b->within + done, b->total)
                       : 0;
}

/* A scenario's sweeps in a batch with options->sweeps, held until its part
 * is written. */
typedef struct scenario_sweeps {
    size_t count;
    const fmc_sweep **sweeps;
    fmc_sweep_result *results;
} scenario_sweeps;

static void scenario_sweeps_clear(scenario_sweeps *g)
{
    for (size_t k = 0; g->results && k < g->count; k++)
        fmc_sweep_result_clear(&g->results[k]);
    free(g->results);
    free(g->sweeps);
    memset(g, 0, sizeof *g);
}

/* Runs the sweeps of S (with options->sweeps) into *OUT, as `funnelmc
 * sweep` would with the batch's samples, threads, cancellation and team
 * (RUN: the analysis's run options), the progress going on from where the
 * analysis left it. */
static fmc_status run_sweeps(const fmc_scenario *s, const fmc_run_options *run, batch_state *b,
                             scenario_sweeps *out)
{
    memset(out, 0, sizeof *out);
    size_t count = b->options->sweeps ? s->sweep_count : 0;
    if (count == 0)
        return FMC_OK;
    out->count = count;
    out->results = calloc(count, sizeof *out->results);
    out->sweeps = calloc(count, sizeof *out->sweeps);
    fmc_status status = out->results && out->sweeps ? FMC_OK : FMC_ENOMEM;
    fmc_run_options o = fmc_run_options_default();
    o.samples = run->samples;
    o.seed_given = run->seed_given;
    o.seed = run->seed;
    o.threads = run->threads;
    o.cancel = run->cancel;
    o.progress = run->progress;
    o.progress_context = run->progress_context;
    o.team = run->team;
    b->within = run->samples ? run->samples : s->samples;
    for (size_t k = 0; k < count && !status; k++) {
        out->sweeps[k] = &s->sweeps[k];
        status = fmc_sweep_run(s, out->sweeps[k], &o, &out->results[k]);
        b->within += fmc_sweep_points(out->sweeps[k]) * sweep_samples(b->options, out->sweeps[k]);
    }
    return status;
}

/* Writes scenario I's part file (atomically): its ANALYSIS, ROW and
 * SWEEPS. */
static fmc_status write_part(const batch_state *b, size_t i, const fmc_analysis *analysis,
                             const fmc_batch_row *row, const scenario_sweeps *sweeps)
{
    const fmc_scenario *s = b->scenarios[i].scenario;
    fmc_h5file *file = NULL;
    fmc_status status = fmc_h5file_create(b->parts[i], &file);
    if (status == FMC_OK && !(status = fmc_results_write_analysis(file, s, analysis)) &&
        !(status = fmc_results_write_batch_row(file, row)) &&
        !(status = sweeps->count ? fmc_results_write_sweep_grids(file, s, sweeps->sweeps,
                                                                 sweeps->results, sweeps->count)
                                 : FMC_OK)) {
        status = fmc_h5file_commit(file);
        file = NULL;
    }
    int saved = errno;  /* the failure's, for the caller's message */
    fmc_h5file_abort(file);
    errno = saved;
    return status;
}

/* Analyses scenario I (and with options->sweeps runs its sweeps) with the
 * processes of GROUP, whose leader writes it into its part and fills
 * ROW.  Every process of GROUP gets the same status. */
static fmc_status run_one(batch_state *b, size_t i, const fmc_team *group, fmc_batch_row *row)
{
    const fmc_scenario *s = b->scenarios[i].scenario;
    fmc_analysis analysis = {0};
    scenario_sweeps sweeps = {0};
    fmc_analysis_options o = b->options->analysis;
    o.run.progress = scenario_progress;
    o.run.progress_context = b;
    o.run.sink = NULL;
    o.run.team = group;
    fmc_status status = fmc_analyse(s, &o, &analysis);
    if (status == FMC_OK)
        status = run_sweeps(s, &o.run, b, &sweeps);
    if (status == FMC_OK && fmc_team_rank(group) == 0) {
        fmc_batch_row_of(s, b->scenarios[i].file, &analysis, row);
        status = write_part(b, i, &analysis, row, &sweeps);
    }
    int saved = errno;  /* the failure's, for the caller's message */
    b->within = 0;
    scenario_sweeps_clear(&sweeps);
    fmc_analysis_clear(&analysis);
    /* the leader's writing may fail alone: the group goes on or stops together */
    status = fmc_team_agree(group, status);
    errno = saved;
    return status;
}

/* PARTS_DIR/NAME.h5, or NULL when out of memory. */
static char *part_path(const char *parts_dir, const char *name)
{
    size_t n = strlen(parts_dir) + strlen(name) + sizeof "/.h5";
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s.h5", parts_dir, name);
    return path;
}

/* Whether two scenarios of SCENARIOS share a name; the later one in *INDEX. */
static int has_duplicate(const fmc_batch_scenario *scenarios, size_t count, size_t *index)
{
    for (size_t i = 1; i < count; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(scenarios[i].scenario->name, scenarios[k].scenario->name) == 0) {
                *index = i;
                return 1;
            }
    return 0;
}

/* fmc_team_agree, keeping errno for the caller's message. */
static fmc_status agreed(const fmc_team *team, fmc_status status)
{
    int saved = errno;
    status = fmc_team_agree(team, status);
    errno = saved;
    return status;
}

/* The scenarios' part files, the parts directory, and on the reporter the
 * rows of the complete parts to keep (with options->resume). */
static fmc_status batch_begin(batch_state *b, const char *parts_dir)
{
    size_t n = b->count ? b->count : 1;
    b->parts = calloc(n, sizeof *b->parts);
    b->rows = calloc(n, sizeof *b->rows);
    b->resumed = calloc(n, sizeof *b->resumed);
    b->known = calloc(n, sizeof *b->known);
    b->statuses = calloc(n, sizeof *b->statuses);
    b->errors = calloc(n, sizeof *b->errors);
    b->inbox.awaited = calloc((size_t)fmc_team_size(b->team), sizeof *b->inbox.awaited);
    if (!b->parts || !b->rows || !b->resumed || !b->known || !b->statuses || !b->errors ||
        !b->inbox.awaited)
        return FMC_ENOMEM;
    for (size_t i = 0; i < b->count; i++)
        if (!(b->parts[i] = part_path(parts_dir, b->scenarios[i].scenario->name)))
            return FMC_ENOMEM;
    if (!b->reporter)
        return FMC_OK;
    if (mkdir(parts_dir, 0777) != 0 && errno != EEXIST)
        return FMC_EIO;
    const fmc_batch_options *o = b->options;
    for (size_t i = 0; o->resume && i < b->count; i++) {
        const fmc_scenario *s = b->scenarios[i].scenario;
        /* a part made without the sweeps now asked for is made again */
        b->resumed[i] = fmc_results_read_batch_row(b->parts[i], &b->rows[i]) == FMC_OK &&
                        strcmp(b->rows[i].file, b->scenarios[i].file) == 0 &&
                        (!o->sweeps || s->sweep_count == 0 || b->rows[i].has_sweeps);
    }
    return FMC_OK;
}

/* The scenarios to do (not kept) dealt among GROUPS groups by their
 * samples (times their horizon's periods): this process's GROUP's, in
 * order, into MINE and their number into *COUNT; on the reporter, how many
 * each other group does into b->inbox. */
static fmc_status deal_scenarios(batch_state *b, int groups, int group, size_t *mine,
                                 size_t *count)
{
    double *costs = malloc((b->count ? b->count : 1) * sizeof *costs);
    size_t *todo = malloc((b->count ? b->count : 1) * sizeof *todo), n = 0;
    *count = 0;
    fmc_status status = costs && todo ? FMC_OK : FMC_ENOMEM;
    for (size_t i = 0; i < b->count && !status; i++) {
        const fmc_scenario *s = b->scenarios[i].scenario;
        if (b->resumed[i])
            continue;
        uint32_t periods = fmc_run_periods(s, 0);
        costs[n] = (double)samples_of(b->options, s) * (periods ? periods : 1);
        todo[n++] = i;
    }
    if (!status)
        status = fmc_team_deal(fmc_team_size(b->team), groups, group, costs, n, mine, count,
                               b->reporter ? &b->inbox : NULL);
    /* from indices among the scenarios to do to indices of the batch */
    for (size_t k = 0; k < *count; k++)
        mine[k] = todo[mine[k]];
    free(costs);
    free(todo);
    return status;
}

/* Runs this process's COUNT scenarios MINE with its GROUP: the leader of a
 * group without the reporter posts each to it; the reporter takes them and
 * reports every scenario in order.  A group stops at its first failure. */
static void run_scenarios(batch_state *b, const size_t *mine, size_t count, int group,
                          const fmc_team *group_team)
{
    int leader = fmc_team_rank(group_team) == 0;
    for (size_t k = 0; k < count; k++) {
        size_t i = mine[k];
        fmc_batch_row row;
        memset(&row, 0, sizeof row);
        fmc_status status = run_one(b, i, group_team, &row);
        if (b->reporter) {
            scenario_known(b, i, status, errno, &row);
        } else if (leader) {
            scenario_record r = {.index = i, .group = group, .status = (int32_t)status,
                                 .error = status ? errno : 0, .row = row};
            fmc_team_post(b->team, SCENARIO_TAG, &r, sizeof r);
        }
        if (status)
            return;
        if (!b->reporter)
            b->finished += samples_of(b->options, b->scenarios[i].scenario);
    }
}

/* On the reporter, once every scenario is known: the failure where the
 * batch stopped (errno its own), or TARGET assembled from the parts, which
 * are then removed. */
static fmc_status batch_end(batch_state *b, const char *target, const char *parts_dir)
{
    if (b->stopped) {
        errno = b->errors[b->out->index];
        return b->statuses[b->out->index];
    }
    b->out->failed = FMC_BATCH_ASSEMBLY;
    fmc_status status =
        fmc_results_assemble_batch(target, (const char *const *)b->parts, b->rows, b->count);
    if (status)
        return status;
    for (size_t i = 0; i < b->count; i++)
        unlink(b->parts[i]);
    fmc_h5file_remove_stale_temporaries(parts_dir);
    rmdir(parts_dir);
    return FMC_OK;
}

/* What the batch returns on every process: the reporter's STATUS, errno
 * and outcome. */
static fmc_status batch_shared_end(const fmc_team *team, fmc_status status,
                                   fmc_batch_outcome *out)
{
    struct {
        int32_t status, error;
        fmc_batch_outcome outcome;
    } end;
    memset(&end, 0, sizeof end);
    end.status = (int32_t)status;
    end.error = errno;
    end.outcome = *out;
    fmc_team_broadcast(team, &end, sizeof end);
    *out = end.outcome;
    errno = end.error;
    return (fmc_status)end.status;
}

fmc_status fmc_batch_run(const char *target, const fmc_batch_scenario *scenarios, size_t count,
                         const fmc_batch_options *options, fmc_batch_outcome *out)
{
    fmc_batch_outcome ignored;
    if (!out)
        out = &ignored;
    memset(out, 0, sizeof *out);
    out->failed = FMC_BATCH_SCENARIO;
    if (has_duplicate(scenarios, count, &out->index))
        return FMC_EINVAL;
    const fmc_team *team = options->analysis.run.team;
    int reporter = fmc_team_rank(team) == 0;
    /* Hours of work must not end in an output that cannot be written. */
    out->failed = FMC_BATCH_TARGET;
    fmc_status status = agreed(team, reporter ? fmc_h5file_check_target(target) : FMC_OK);
    if (status)
        return status;
    out->failed = FMC_BATCH_PARTS;
    batch_state b = {.scenarios = scenarios, .count = count, .options = options, .team = team,
                     .out = out, .reporter = reporter};
    for (size_t i = 0; i < count; i++)
        b.total += samples_of(options, scenarios[i].scenario);
    char *parts_dir = fmc_batch_parts_dir(target);
    size_t *mine = malloc((count ? count : 1) * sizeof *mine), mine_count = 0;
    fmc_team *group_team = NULL;
    status = agreed(team, parts_dir && mine ? batch_begin(&b, parts_dir) : FMC_ENOMEM);
    if (status)
        goto done;
    /* the scenarios to do, in groups of the team's processes (batch.h) */
    fmc_team_broadcast(team, b.resumed, count);
    size_t todo = 0;
    for (size_t i = 0; i < count; i++)
        todo += !b.resumed[i];
    int processes = fmc_team_size(team);
    int groups = todo == 0 ? 1 : todo < (size_t)processes ? (int)todo : processes, group = 0;
    /* GROUPS is in range: the split fails only for a lone process */
    status = fmc_team_split(team, groups, &group, &group_team);
    if (!status)
        status = agreed(team, deal_scenarios(&b, groups, group, mine, &mine_count));
    if (status)
        goto done;
    out->failed = FMC_BATCH_SCENARIO;
    for (size_t i = 0; reporter && i < count; i++)
        if (b.resumed[i])
            scenario_known(&b, i, FMC_OK, 0, &b.rows[i]);
    run_scenarios(&b, mine, mine_count, group, group_team);
    if (reporter) {
        take_scenarios(&b, 1);
        status = batch_end(&b, target, parts_dir);
    }
    status = batch_shared_end(team, status, out);
done:;
    int saved = errno;
    fmc_team_free(group_team);
    for (size_t i = 0; b.parts && i < count; i++)
        free(b.parts[i]);
    free(b.parts);
    free(b.rows);
    free(b.resumed);
    free(b.known);
    free(b.statuses);
    free(b.errors);
    free(b.inbox.awaited);
    free(mine);
    free(parts_dir);
    errno = saved;
    return status;
}
