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

/* Progress over the whole batch: samples of the scenarios before this one
 * plus this one's, out of all. */
typedef struct batch_progress {
    const fmc_batch_options *options;
    uint64_t before, total;
} batch_progress;

static int scenario_progress(void *context, uint64_t done, uint64_t total)
{
    (void)total;
    const batch_progress *b = context;
    return b->options->progress(b->options->progress_context, b->before + done, b->total);
}

/* The samples of every point of SWEEP in a batch with OPTIONS. */
static uint64_t sweep_samples(const fmc_batch_options *o, const fmc_sweep *sweep)
{
    return o->analysis.run.samples ? o->analysis.run.samples : sweep->samples;
}

/* Runs the sweeps of S (with options->sweeps) into FILE's /sweeps, as
 * `funnelmc sweep` would with the batch's samples, threads and
 * cancellation (RUN: the analysis's run options), the progress going on
 * from where the analysis left it. */
static fmc_status run_sweeps(const fmc_scenario *s, fmc_h5file *file, const fmc_run_options *run,
                             batch_progress *progress)
{
    size_t count = progress->options->sweeps ? s->sweep_count : 0;
    if (count == 0)
        return FMC_OK;
    fmc_sweep_result *results = calloc(count, sizeof *results);
    const fmc_sweep **sweeps = calloc(count, sizeof *sweeps);
    fmc_status status = results && sweeps ? FMC_OK : FMC_ENOMEM;
    fmc_run_options o = fmc_run_options_default();
    o.samples = run->samples;
    o.seed_given = run->seed_given;
    o.seed = run->seed;
    o.threads = run->threads;
    o.cancel = run->cancel;
    o.progress = run->progress;
    o.progress_context = run->progress_context;
    progress->before += run->samples ? run->samples : s->samples;
    for (size_t k = 0; k < count && !status; k++) {
        sweeps[k] = &s->sweeps[k];
        status = fmc_sweep_run(s, sweeps[k], &o, &results[k]);
        progress->before += fmc_sweep_points(sweeps[k]) * sweep_samples(progress->options, sweeps[k]);
    }
    if (!status)
        status = fmc_results_write_sweep_grids(file, s, sweeps, results, count);
    for (size_t k = 0; results && k < count; k++)
        fmc_sweep_result_clear(&results[k]);
    free(results);
    free(sweeps);
    return status;
}

/* Analyses SCENARIO (and with options->sweeps runs its sweeps) into the
 * part file PART (atomically); fills ROW.  PROGRESS->before is left as it
 * was. */
static fmc_status run_one(const fmc_batch_scenario *scenario, const char *part,
                          batch_progress *progress, fmc_batch_row *row)
{
    const fmc_scenario *s = scenario->scenario;
    fmc_analysis analysis = {0};
    fmc_h5file *file = NULL;
    fmc_analysis_options o = progress->options->analysis;
    o.run.progress = progress->options->progress ? scenario_progress : NULL;
    o.run.progress_context = progress;
    o.run.sink = NULL;
    uint64_t before = progress->before;
    fmc_status status = fmc_analyse(s, &o, &analysis);
    if (status == FMC_OK) {
        fmc_batch_row_of(s, scenario->file, &analysis, row);
        status = fmc_h5file_create(part, &file);
    }
    if (status == FMC_OK && !(status = fmc_results_write_analysis(file, s, &analysis)) &&
        !(status = fmc_results_write_batch_row(file, row)) &&
        !(status = run_sweeps(s, file, &o.run, progress))) {
        status = fmc_h5file_commit(file);
        file = NULL;
    }
    int saved = errno;  /* the failure's, for the caller's message */
    progress->before = before;
    fmc_h5file_abort(file);
    fmc_analysis_clear(&analysis);
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

/* The samples of scenario S in a batch with OPTIONS: its run's, and with
 * the sweeps every point of each. */
static uint64_t samples_of(const fmc_batch_options *o, const fmc_scenario *s)
{
    uint64_t samples = o->analysis.run.samples ? o->analysis.run.samples : s->samples;
    for (size_t k = 0; o->sweeps && k < s->sweep_count; k++)
        samples += fmc_sweep_points(&s->sweeps[k]) * sweep_samples(o, &s->sweeps[k]);
    return samples;
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
    /* Hours of work must not end in an output that cannot be written. */
    out->failed = FMC_BATCH_TARGET;
    fmc_status status = fmc_h5file_check_target(target);
    if (status)
        return status;
    out->failed = FMC_BATCH_PARTS;
    char *parts_dir = fmc_batch_parts_dir(target);
    char **parts = calloc(count ? count : 1, sizeof *parts);
    fmc_batch_row *rows = calloc(count ? count : 1, sizeof *rows);
    if (!parts_dir || !parts || !rows) {
        status = FMC_ENOMEM;
        goto done;
    }
    if (mkdir(parts_dir, 0777) != 0 && errno != EEXIST) {
        status = FMC_EIO;
        goto done;
    }
    batch_progress progress = {options, 0, 0};
    for (size_t i = 0; i < count; i++)
        progress.total += samples_of(options, scenarios[i].scenario);
    out->failed = FMC_BATCH_SCENARIO;
    for (size_t i = 0; i < count; i++) {
        out->index = i;
        const char *file = scenarios[i].file;
        if (!(parts[i] = part_path(parts_dir, scenarios[i].scenario->name))) {
            status = FMC_ENOMEM;
            goto done;
        }
        /* a part made without the sweeps now asked for is made again */
        int resumed = options->resume && fmc_results_read_batch_row(parts[i], &rows[i]) == FMC_OK &&
                      strcmp(rows[i].file, file) == 0 &&
                      (!options->sweeps || scenarios[i].scenario->sweep_count == 0 ||
                       rows[i].has_sweeps);
        status = resumed ? FMC_OK : run_one(&scenarios[i], parts[i], &progress, &rows[i]);
        progress.before += samples_of(options, scenarios[i].scenario);
        if (options->scenario_done) {
            int saved = errno;
            options->scenario_done(options->scenario_context, i, parts[i], status,
                                   status ? NULL : &rows[i], resumed);
            errno = saved;
        }
        if (status)
            goto done;
        out->completed++;
        out->resumed += resumed;
    }
    out->failed = FMC_BATCH_ASSEMBLY;
    status = fmc_results_assemble_batch(target, (const char *const *)parts, rows, count);
    if (status)
        goto done;
    for (size_t i = 0; i < count; i++)
        unlink(parts[i]);
    fmc_h5file_remove_stale_temporaries(parts_dir);
    rmdir(parts_dir);
done:;
    int saved = errno;
    for (size_t i = 0; parts && i < count; i++)
        free(parts[i]);
    free(parts);
    free(rows);
    free(parts_dir);
    errno = saved;
    return status;
}
