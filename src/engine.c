#include "funnelmc/engine.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/equivalents.h"
#include "funnelmc/levers.h"
#include "funnelmc/sampler.h"
#include "funnelmc/stream.h"

/* Rounds of blocks: the serial merge runs after each round.  How many blocks
 * a round holds changes nothing in the results (merging is in block order
 * either way); it only trades barrier waits against progress updates and,
 * with a sample sink, against the buffer of raw draws. */
#define MIN_ROUND_BLOCKS 256
#define ROUND_BLOCKS_PER_THREAD 16
#define SINK_ROUND_BLOCKS 16

/* The series a run summarises: profit, ROI and sales, then for each lever
 * (when asked for) its gain and its net gain. */
#define LEVER_SERIES(p, l) (FMC_SUMMARY_COUNT + (l))
#define NET_SERIES(p, l) (FMC_SUMMARY_COUNT + (p)->levers + (l))
#define PAIR_SERIES(p, q) (FMC_SUMMARY_COUNT + 2 * (p)->levers + (q))
#define INTERACTION_SERIES(p, q) (FMC_SUMMARY_COUNT + 2 * (p)->levers + (p)->pairs + (q))

typedef struct workspace {
    uint32_t **words;  /* [slot], NULL for constant inputs */
    double **inputs;   /* [slot] the sampled values */
    const double **view;  /* [slot] the inputs after the run's changes: what all else sees */
    double **changed;  /* [run changes] the changed inputs */
    unsigned char *point_clamped;  /* [block] */
    double *outputs[FMC_OUTPUT_COUNT];
    double **series;   /* [series]: the first FMC_SUMMARY_COUNT point into outputs */
    fmc_histogram *histograms;  /* [series] */
    /* levers */
    double **scratch;          /* [most changes of a lever] changed inputs */
    double **scratch_after;    /* the same, for the second lever of a pair */
    const double **columns;    /* [slot] inputs as a lever sees them */
    const double **columns_after;  /* [slot] after a pair's second lever */
    unsigned char *clamped;    /* [block] */
    double *cost;              /* [block] */
    size_t *block_clamped;     /* [levers] samples clamped in the last block */
    uint64_t *clamped_total;   /* [levers] over the thread's blocks */
    uint64_t *beats, *ties;    /* [levers][levers] net profit of i > j, == j */
} workspace;

typedef struct plan {
    const fmc_scenario *scenario;
    fmc_sampler **samplers;
    size_t slots;
    const fmc_change *changes;  /* the run's changes (a sweep point) */
    size_t change_count;
    uint64_t seed;
    uint64_t samples;
    size_t levers;   /* levers evaluated (0 unless asked for) */
    size_t pairs;    /* pairs of levers evaluated together */
    size_t series;   /* FMC_SUMMARY_COUNT + 2 levers + 2 pairs */
} plan;

/* The most changes any evaluated lever makes (scratch arrays per thread). */
static size_t most_changes(const plan *p)
{
    size_t most = 0;
    for (size_t l = 0; l < p->levers; l++)
        if (p->scenario->levers[l].change_count > most)
            most = p->scenario->levers[l].change_count;
    return most;
}

static void lever_results_clear(fmc_lever_results *l);

void fmc_run_result_clear(fmc_run_result *r)
{
    if (!r)
        return;
    fmc_drivers_result_clear(&r->drivers);
    lever_results_clear(&r->levers);
}

fmc_run_options fmc_run_options_default(void)
{
    fmc_run_options options;
    memset(&options, 0, sizeof options);
    return options;
}

void fmc_base_case(const fmc_scenario *s, double out[FMC_OUTPUT_COUNT])
{
    double values[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    for (size_t j = 0; j < s->input_count; j++)
        values[j] = s->inputs[j].base;
    fmc_model_eval(values, fmc_scenario_cost_lines(s), out);
}

void fmc_scenario_samplers_free(fmc_sampler **samplers, size_t count)
{
    if (!samplers)
        return;
    for (size_t j = 0; j < count; j++)
        fmc_sampler_free(samplers[j]);
    free(samplers);
}

/* Builds every input's sampler, one OpenMP task each (and the tables split
 * into further tasks, see sampler.c): the quantile table of a beta input
 * takes thousands of inversions. */
fmc_status fmc_scenario_samplers_alloc(const fmc_scenario *s, int threads, fmc_sampler ***out)
{
    threads = threads > 0 ? threads : omp_get_max_threads();
    fmc_sampler **samplers = calloc(s->input_count, sizeof *samplers);
    fmc_status *status = calloc(s->input_count, sizeof *status);
    if (!samplers || !status) {
        free(samplers);
        free(status);
        return FMC_ENOMEM;
    }
    #pragma omp parallel num_threads(threads)
    #pragma omp single
    for (size_t j = 0; j < s->input_count; j++) {
        #pragma omp task firstprivate(j) shared(status, samplers)
        status[j] = fmc_sampler_alloc(&s->inputs[j].dist, &samplers[j]);
    }
    fmc_status result = FMC_OK;
    for (size_t j = 0; j < s->input_count && !result; j++)
        result = status[j];
    free(status);
    if (result) {
        fmc_scenario_samplers_free(samplers, s->input_count);
        return result;
    }
    *out = samplers;
    return FMC_OK;
}

static void workspace_clear(workspace *w, const plan *p)
{
    for (size_t j = 0; j < p->slots && w->words; j++)
        free(w->words[j]);
    for (size_t j = 0; j < p->slots && w->inputs; j++)
        free(w->inputs[j]);
    free(w->words);
    free(w->inputs);
    free(w->view);
    for (size_t c = 0; w->changed && c < p->change_count; c++)
        free(w->changed[c]);
    free(w->changed);
    free(w->point_clamped);
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        free(w->outputs[k]);
    for (size_t k = FMC_SUMMARY_COUNT; w->series && k < p->series; k++)
        free(w->series[k]);
    free(w->series);
    for (size_t k = 0; w->histograms && k < p->series; k++)
        fmc_histogram_clear(&w->histograms[k]);
    free(w->histograms);
    for (size_t c = 0; w->scratch && c < most_changes(p); c++)
        free(w->scratch[c]);
    for (size_t c = 0; w->scratch_after && c < most_changes(p); c++)
        free(w->scratch_after[c]);
    free(w->scratch);
    free(w->scratch_after);
    free(w->columns);
    free(w->columns_after);
    free(w->clamped);
    free(w->cost);
    free(w->block_clamped);
    free(w->clamped_total);
    free(w->beats);
    free(w->ties);
    memset(w, 0, sizeof *w);
}

static double *block_array(void)
{
    return malloc(FMC_BLOCK_SIZE * sizeof(double));
}

/* Allocates a thread's buffers; constant inputs are filled once here. */
static fmc_status workspace_init(workspace *w, const plan *p)
{
    memset(w, 0, sizeof *w);
    size_t levers = p->levers, changes = most_changes(p);
    w->words = calloc(p->slots, sizeof *w->words);
    w->inputs = calloc(p->slots, sizeof *w->inputs);
    w->view = calloc(p->slots, sizeof *w->view);
    w->changed = calloc(p->change_count ? p->change_count : 1, sizeof *w->changed);
    w->point_clamped = malloc(FMC_BLOCK_SIZE);
    w->series = calloc(p->series, sizeof *w->series);
    w->histograms = calloc(p->series, sizeof *w->histograms);
    w->scratch = calloc(changes ? changes : 1, sizeof *w->scratch);
    w->scratch_after = calloc(changes ? changes : 1, sizeof *w->scratch_after);
    w->columns = calloc(p->slots, sizeof *w->columns);
    w->columns_after = calloc(p->slots, sizeof *w->columns_after);
    w->clamped = malloc(FMC_BLOCK_SIZE);
    w->cost = block_array();
    w->block_clamped = calloc(levers ? levers : 1, sizeof *w->block_clamped);
    w->clamped_total = calloc(levers ? levers : 1, sizeof *w->clamped_total);
    w->beats = calloc(levers ? levers * levers : 1, sizeof *w->beats);
    w->ties = calloc(levers ? levers * levers : 1, sizeof *w->ties);
    if (!w->words || !w->inputs || !w->view || !w->changed || !w->point_clamped || !w->series ||
        !w->histograms || !w->scratch ||
        !w->scratch_after || !w->columns || !w->columns_after ||
        !w->clamped || !w->cost || !w->block_clamped || !w->clamped_total || !w->beats || !w->ties)
        goto fail;
    for (size_t j = 0; j < p->slots; j++) {
        if (!(w->inputs[j] = block_array()))
            goto fail;
        if (p->scenario->inputs[j].dist.kind == FMC_DIST_CONSTANT) {
            for (size_t i = 0; i < FMC_BLOCK_SIZE; i++)
                w->inputs[j][i] = p->scenario->inputs[j].dist.min;
        } else if (!(w->words[j] = malloc(FMC_BLOCK_SIZE * sizeof **w->words))) {
            goto fail;
        }
    }
    for (size_t j = 0; j < p->slots; j++)
        w->view[j] = w->inputs[j];
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        if (!(w->outputs[k] = block_array()))
            goto fail;
    for (size_t k = 0; k < p->series; k++)
        if (!(w->series[k] = k < FMC_SUMMARY_COUNT ? w->outputs[k] : block_array()))
            goto fail;
    for (size_t c = 0; c < changes; c++)
        if (!(w->scratch[c] = block_array()) || !(w->scratch_after[c] = block_array()))
            goto fail;
    for (size_t c = 0; c < p->change_count; c++)
        if (!(w->changed[c] = block_array()))
            goto fail;
    return FMC_OK;
fail:
    workspace_clear(w, p);
    return FMC_ENOMEM;
}

/* Gain and net gain of every lever on the block's draws (common random
 * numbers): the lever's changes applied to the same inputs. */
static void evaluate_levers(const plan *p, workspace *w, size_t count)
{
    const fmc_scenario *s = p->scenario;
    const double *profit = w->outputs[FMC_OUT_PROFIT];
    for (size_t l = 0; l < p->levers; l++) {
        const fmc_lever *lever = &s->levers[l];
        double *gain = w->series[LEVER_SERIES(p, l)], *net = w->series[NET_SERIES(p, l)];
        w->block_clamped[l] = fmc_lever_apply(s, lever, w->view, count,
                                              w->scratch, w->columns, w->clamped);
        fmc_model_profit_block(w->columns, fmc_scenario_cost_lines(s), count, gain);
        fmc_lever_cost(lever, w->columns[FMC_HOURLY_RATE], count, w->cost);
        for (size_t i = 0; i < count; i++) {
            gain[i] -= profit[i];
            net[i] = gain[i] - w->cost[i];
        }
    }
    /* pairs: the first lever's changes, then the second's on top of them */
    size_t q = 0;
    for (size_t a = 0; a < p->levers && p->pairs; a++)
        for (size_t b = a + 1; b < p->levers; b++, q++) {
            double *combined = w->series[PAIR_SERIES(p, q)];
            double *interaction = w->series[INTERACTION_SERIES(p, q)];
            fmc_lever_apply(s, &s->levers[a], w->view, count, w->scratch,
                            w->columns, w->clamped);
            fmc_lever_apply(s, &s->levers[b], w->columns, count, w->scratch_after, w->columns_after,
                            w->clamped);
            fmc_model_profit_block(w->columns_after, fmc_scenario_cost_lines(s), count, combined);
            const double *gain_a = w->series[LEVER_SERIES(p, a)], *gain_b = w->series[LEVER_SERIES(p, b)];
            for (size_t i = 0; i < count; i++) {
                combined[i] -= profit[i];
                interaction[i] = combined[i] - gain_a[i] - gain_b[i];
            }
        }
}

/* Draws and evaluates samples FIRST .. FIRST + COUNT - 1 into W. */
static void evaluate_block(const plan *p, workspace *w, uint64_t first, size_t count)
{
    fmc_stream_fill(p->seed, FMC_PURPOSE_SAMPLES, first, count, p->slots, w->words);
    for (size_t j = 0; j < p->slots; j++)
        if (w->words[j])
            fmc_sampler_transform(p->samplers[j], w->words[j], w->inputs[j], count);
    /* The run's changes (a sweep point), as a lever of no cost; without
     * changes the view is the inputs themselves (set up once). */
    if (p->change_count) {
        fmc_lever point = {NULL, (fmc_change *)p->changes, p->change_count, 0, 0};
        fmc_lever_apply(p->scenario, &point, (const double *const *)w->inputs, count, w->changed,
                        w->view, w->point_clamped);
    }
    fmc_model_eval_block(w->view, fmc_scenario_cost_lines(p->scenario), count, w->outputs);
    evaluate_levers(p, w, count);
}

/* Counts, for every pair of levers, the samples where one's net profit beats
 * the other's (net gains compared: the baseline cancels) and the ties. */
static void count_duels(const plan *p, workspace *w, size_t count)
{
    size_t levers = p->levers;
    for (size_t a = 0; a < levers; a++)
        for (size_t b = a + 1; b < levers; b++) {
            const double *x = w->series[NET_SERIES(p, a)], *y = w->series[NET_SERIES(p, b)];
            uint64_t above = 0, below = 0;
            for (size_t i = 0; i < count; i++) {
                above += x[i] > y[i];
                below += x[i] < y[i];
            }
            w->beats[a * levers + b] += above;
            w->beats[b * levers + a] += below;
            w->ties[a * levers + b] += count - above - below;
            w->ties[b * levers + a] += count - above - below;
        }
    for (size_t l = 0; l < levers; l++)
        w->clamped_total[l] += w->block_clamped[l];
}

static size_t block_length(const plan *p, uint64_t block)
{
    uint64_t first = block * FMC_BLOCK_SIZE;
    uint64_t left = p->samples - first;
    return left < FMC_BLOCK_SIZE ? (size_t)left : FMC_BLOCK_SIZE;
}

/* The range of each output over the first samples: it fixes the histogram
 * ranges, so that every thread bins alike from the start.  Extremes are
 * order-free, so the blocks can go to any thread. */
/* The equivalents are computed on the pilot's samples. */
_Static_assert(FMC_EQUIVALENT_SAMPLES <= FMC_PILOT_SAMPLES, "the pilot keeps the subsample");

static void run_pilot(const plan *p, workspace *workspaces, int threads, double *lo, double *hi,
                      double **subsample)
{
    uint64_t pilot = p->samples < FMC_PILOT_SAMPLES ? p->samples : FMC_PILOT_SAMPLES;
    uint64_t blocks = (pilot + FMC_BLOCK_SIZE - 1) / FMC_BLOCK_SIZE;
    size_t series = p->series;
    for (size_t k = 0; k < series; k++) {
        lo[k] = INFINITY;
        hi[k] = -INFINITY;
    }
    #pragma omp parallel for num_threads(threads) schedule(dynamic, 1) \
        reduction(min : lo[:series]) reduction(max : hi[:series])
    for (uint64_t b = 0; b < blocks; b++) {
        workspace *w = &workspaces[omp_get_thread_num()];
        uint64_t first = b * FMC_BLOCK_SIZE;
        size_t count = pilot - first < FMC_BLOCK_SIZE ? (size_t)(pilot - first) : FMC_BLOCK_SIZE;
        evaluate_block(p, w, first, count);
        for (size_t j = 0; subsample && j < p->slots && first < FMC_EQUIVALENT_SAMPLES; j++)
            memcpy(subsample[j] + first, w->view[j], count * sizeof(double));
        for (size_t k = 0; k < series; k++)
            for (size_t i = 0; i < count; i++) {
                double v = w->series[k][i];  /* NaN compares false: skipped */
                lo[k] = v < lo[k] ? v : lo[k];
                hi[k] = v > hi[k] ? v : hi[k];
            }
    }
    for (size_t k = 0; k < series; k++)
        if (lo[k] > hi[k]) {
            /* Never defined in the pilot (ROI without cost): a nominal range;
             * values, if any, land in the outer bins. */
            lo[k] = 0.0;
            hi[k] = 1.0;
        }
}

/* Buffers of raw draws for the sample sink: ROUND samples of every input and
 * output. */
typedef struct sink_buffer {
    double **inputs;
    double *outputs[FMC_OUTPUT_COUNT];
} sink_buffer;

static void sink_buffer_clear(sink_buffer *b, size_t slots)
{
    for (size_t j = 0; j < slots && b->inputs; j++)
        free(b->inputs[j]);
    free(b->inputs);
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        free(b->outputs[k]);
    memset(b, 0, sizeof *b);
}

static fmc_status sink_buffer_init(sink_buffer *b, size_t slots, size_t samples)
{
    memset(b, 0, sizeof *b);
    b->inputs = calloc(slots, sizeof *b->inputs);
    int ok = b->inputs != NULL;
    for (size_t j = 0; ok && j < slots; j++)
        ok = (b->inputs[j] = malloc(samples * sizeof **b->inputs)) != NULL;
    for (int k = 0; ok && k < FMC_OUTPUT_COUNT; k++)
        ok = (b->outputs[k] = malloc(samples * sizeof *b->outputs[k])) != NULL;
    if (!ok) {
        sink_buffer_clear(b, slots);
        return FMC_ENOMEM;
    }
    return FMC_OK;
}

static void copy_to_sink_buffer(const sink_buffer *b, const workspace *w, size_t slots,
                                size_t offset, size_t count)
{
    for (size_t j = 0; j < slots; j++)
        memcpy(b->inputs[j] + offset, w->view[j], count * sizeof(double));
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        memcpy(b->outputs[k] + offset, w->outputs[k], count * sizeof(double));
}

typedef struct run_state {
    plan plan;
    int threads;
    workspace *workspaces;
    fmc_moments *block_moments;  /* [round_blocks][series] */
    fmc_moments *totals;         /* [series] */
    size_t round_blocks;
    sink_buffer sink;
    fmc_drivers *drivers;  /* NULL unless asked for */
    int owns_samplers;     /* 0 when the caller lent them */
    double **subsample;    /* [slot][FMC_EQUIVALENT_SAMPLES] inputs of the first samples, with levers */
    size_t subsample_count;
    const volatile sig_atomic_t *cancel;
} run_state;

static void run_state_clear(run_state *r)
{
    for (int t = 0; r->workspaces && t < r->threads; t++)
        workspace_clear(&r->workspaces[t], &r->plan);
    free(r->workspaces);
    free(r->block_moments);
    free(r->totals);
    for (size_t j = 0; r->subsample && j < r->plan.slots; j++)
        free(r->subsample[j]);
    free(r->subsample);
    sink_buffer_clear(&r->sink, r->plan.slots);
    fmc_drivers_free(r->drivers);
    if (r->owns_samplers)
        fmc_scenario_samplers_free(r->plan.samplers, r->plan.slots);
}

static fmc_status run_state_init(run_state *r, const fmc_scenario *s, const fmc_run_options *o)
{
    memset(r, 0, sizeof *r);
    r->threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    r->plan.scenario = s;
    r->plan.slots = s->input_count;
    r->plan.changes = o->changes;
    r->plan.change_count = o->changes ? o->change_count : 0;
    r->plan.seed = o->seed_given ? o->seed : s->seed;
    r->plan.samples = o->samples ? o->samples : s->samples;
    if (o->precision_mean > 0)
        r->plan.samples = o->max_samples ? o->max_samples : s->max_samples;
    r->cancel = o->cancel;
    r->plan.levers = o->levers ? s->lever_count : 0;
    r->plan.pairs = o->levers && o->combine ? r->plan.levers * (r->plan.levers - (r->plan.levers > 0)) / 2 : 0;
    r->plan.series = FMC_SUMMARY_COUNT + 2 * r->plan.levers + 2 * r->plan.pairs;
    fmc_status status = FMC_OK;
    if (o->samplers) {
        r->plan.samplers = (fmc_sampler **)o->samplers;
    } else {
        r->owns_samplers = 1;
        if ((status = fmc_scenario_samplers_alloc(s, r->threads, &r->plan.samplers)))
            return status;
    }
    r->round_blocks = o->sink ? SINK_ROUND_BLOCKS
                              : (size_t)(r->threads * ROUND_BLOCKS_PER_THREAD);
    if (!o->sink && r->round_blocks < MIN_ROUND_BLOCKS)
        r->round_blocks = MIN_ROUND_BLOCKS;
    /* the stopping rule is checked after every round: rounds must then be
     * the same whatever the thread count */
    if (o->precision_mean > 0)
        r->round_blocks = FMC_CHECKPOINT_BLOCKS;
    r->workspaces = calloc((size_t)r->threads, sizeof *r->workspaces);
    size_t series = r->plan.series;
    r->block_moments = malloc(r->round_blocks * series * sizeof *r->block_moments);
    r->totals = malloc(series * sizeof *r->totals);
    double *lo = malloc(2 * series * sizeof *lo), *hi = lo + series;
    if (!r->workspaces || !r->block_moments || !r->totals || !lo) {
        free(lo);
        return FMC_ENOMEM;
    }
    for (int t = 0; t < r->threads && !status; t++)
        status = workspace_init(&r->workspaces[t], &r->plan);
    if (!status && o->sink)
        status = sink_buffer_init(&r->sink, r->plan.slots, r->round_blocks * FMC_BLOCK_SIZE);
    if (!status && r->plan.levers && o->equivalents) {
        uint64_t pilot = r->plan.samples < FMC_PILOT_SAMPLES ? r->plan.samples : FMC_PILOT_SAMPLES;
        r->subsample_count = (size_t)(pilot < FMC_EQUIVALENT_SAMPLES ? pilot : FMC_EQUIVALENT_SAMPLES);
        r->subsample = calloc(r->plan.slots, sizeof *r->subsample);
        for (size_t j = 0; r->subsample && j < r->plan.slots && !status; j++)
            if (!(r->subsample[j] = malloc(FMC_PILOT_SAMPLES * sizeof(double))))
                status = FMC_ENOMEM;
        if (!r->subsample)
            status = FMC_ENOMEM;
    }
    if (!status)
        run_pilot(&r->plan, r->workspaces, r->threads, lo, hi, r->subsample);
    for (int t = 0; t < r->threads && !status; t++)
        for (size_t k = 0; k < series && !status; k++)
            status = fmc_histogram_init(&r->workspaces[t].histograms[k], lo[k], hi[k]);
    free(lo);
    if (status)
        return status;
    for (size_t k = 0; k < series; k++)
        fmc_moments_init(&r->totals[k]);
    if (o->drivers) {
        int fixed[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
        for (size_t j = 0; j < s->input_count; j++)
            fixed[j] = s->inputs[j].dist.kind == FMC_DIST_CONSTANT;
        status = fmc_drivers_alloc(s->input_count, fixed, r->threads, r->round_blocks, &r->drivers);
    }
    return status;
}

/* Samples blocks FIRST_BLOCK .. FIRST_BLOCK + COUNT - 1 in parallel and
 * merges their moments in block order. */
static void run_round(run_state *r, uint64_t first_block, size_t count, int with_sink)
{
    #pragma omp parallel for num_threads(r->threads) schedule(dynamic, 1)
    for (size_t b = 0; b < count; b++) {
        if (r->cancel && *r->cancel)
            continue;
        workspace *w = &r->workspaces[omp_get_thread_num()];
        uint64_t block = first_block + b;
        size_t n = block_length(&r->plan, block);
        evaluate_block(&r->plan, w, block * FMC_BLOCK_SIZE, n);
        size_t series = r->plan.series;
        for (size_t k = 0; k < series; k++) {
            fmc_moments_of_block(&r->block_moments[b * series + k], w->series[k], n);
            fmc_histogram_add(&w->histograms[k], w->series[k], n);
        }
        count_duels(&r->plan, w, n);
        if (with_sink)
            copy_to_sink_buffer(&r->sink, w, r->plan.slots, b * FMC_BLOCK_SIZE, n);
        if (r->drivers)
            fmc_drivers_add_block(r->drivers, omp_get_thread_num(), b,
                                  (const uint32_t *const *)w->words,
                                  w->view, w->outputs[FMC_OUT_PROFIT], n,
                                  &w->histograms[FMC_OUT_PROFIT]);
    }
    /* Blocks skipped after a cancellation hold no moments; the flag never
     * falls again, so the caller ends the run as cancelled. */
    if (r->cancel && *r->cancel)
        return;
    for (size_t b = 0; b < count; b++)
        for (size_t k = 0; k < r->plan.series; k++)
            fmc_moments_merge(&r->totals[k], &r->block_moments[b * r->plan.series + k]);
    if (r->drivers)
        fmc_drivers_merge_round(r->drivers, count);
}

static void lever_results_clear(fmc_lever_results *l)
{
    free(l->gain);
    free(l->mean_cost);
    free(l->pair_first);
    memset(l, 0, sizeof *l);
}

/* Lever summaries from the merged series and the threads' counters. */
static fmc_status finish_levers(const run_state *r, double confidence, fmc_lever_results *out)
{
    size_t levers = r->plan.levers;
    memset(out, 0, sizeof *out);
    out->count = levers;
    size_t pairs = r->plan.pairs;
    out->pairs = pairs;
    out->gain = calloc(2 * levers + 2 * pairs, sizeof *out->gain);
    out->pair_first = calloc(2 * pairs + 1, sizeof *out->pair_first);
    size_t d = r->plan.slots;
    out->inputs = d;
    out->mean_cost = calloc(4 * levers + 2 * levers * levers + 4 * levers * d, sizeof *out->mean_cost);
    if (!out->gain || !out->mean_cost || !out->pair_first) {
        lever_results_clear(out);
        return FMC_ENOMEM;
    }
    out->net = out->gain + levers;
    out->combined = out->net + levers;
    out->interaction = out->combined + pairs;
    out->pair_second = out->pair_first + pairs;
    size_t q = 0;
    for (size_t a = 0; a < levers && pairs; a++)
        for (size_t b = a + 1; b < levers; b++, q++) {
            out->pair_first[q] = a;
            out->pair_second[q] = b;
            size_t c = PAIR_SERIES(&r->plan, q), i = INTERACTION_SERIES(&r->plan, q);
            fmc_summarize(&r->totals[c], &r->workspaces[0].histograms[c], confidence, &out->combined[q]);
            fmc_summarize(&r->totals[i], &r->workspaces[0].histograms[i], confidence,
                          &out->interaction[q]);
        }
    out->p_improve = out->mean_cost + levers;
    out->p_improve_se = out->p_improve + levers;
    out->clamped_share = out->p_improve_se + levers;
    out->p_beats = out->clamped_share + levers;
    out->p_tie = out->p_beats + levers * levers;
    out->equivalent_add = out->p_tie + levers * levers;
    out->equivalent_scale = out->equivalent_add + levers * d;
    out->equivalent_add_se = out->equivalent_scale + levers * d;
    out->equivalent_scale_se = out->equivalent_add_se + levers * d;
    for (size_t l = 0; l < levers; l++) {
        size_t g = LEVER_SERIES(&r->plan, l), n = NET_SERIES(&r->plan, l);
        fmc_summarize(&r->totals[g], &r->workspaces[0].histograms[g], confidence, &out->gain[l]);
        fmc_summarize(&r->totals[n], &r->workspaces[0].histograms[n], confidence, &out->net[l]);
        double count = (double)r->totals[n].count;
        out->mean_cost[l] = out->gain[l].mean - out->net[l].mean;
        out->p_improve[l] = (double)r->totals[n].positive / count;
        out->p_improve_se[l] = fmc_proportion_se(out->p_improve[l], count);
        uint64_t clamped = 0;
        for (int t = 0; t < r->threads; t++)
            clamped += r->workspaces[t].clamped_total[l];
        out->clamped_share[l] = (double)clamped / count;
        for (size_t m = 0; m < levers; m++) {
            uint64_t beats = 0, ties = 0;
            for (int t = 0; t < r->threads; t++) {
                beats += r->workspaces[t].beats[l * levers + m];
                ties += r->workspaces[t].ties[l * levers + m];
            }
            out->p_beats[l * levers + m] = l == m ? 0 : (double)beats / count;
            out->p_tie[l * levers + m] = l == m ? 1 : (double)ties / count;
        }
    }
    fmc_status status = FMC_OK;
    fmc_equivalents equivalents = {out->equivalent_add, out->equivalent_add_se,
                                   out->equivalent_scale, out->equivalent_scale_se};
    if (r->subsample)
        status = fmc_equivalents_compute(r->plan.scenario, (const double *const *)r->subsample,
                                         r->subsample_count, r->threads, &equivalents);
    else
        for (size_t k = 0; k < 4 * levers * d; k++)
            out->equivalent_add[k] = NAN;
    if (status)
        lever_results_clear(out);
    return status;
}

/* Half-width of the confidence interval of a mean, z sd / sqrt(n). */
static double half_width(const fmc_moments *m, double z)
{
    return m->count > 1 ? z * sqrt(m->m2 / (double)(m->count - 1) / (double)m->count) : INFINITY;
}

fmc_status fmc_simulate(const fmc_scenario *s, const fmc_run_options *o, fmc_run_result *out)
{
    run_state r;
    double started = omp_get_wtime();
    fmc_status status = run_state_init(&r, s, o);
    double z = gsl_cdf_ugaussian_Pinv(0.5 + s->confidence / 2);
    uint64_t blocks = (r.plan.samples + FMC_BLOCK_SIZE - 1) / FMC_BLOCK_SIZE, done = 0;
    int precision_met = 0;
    for (uint64_t first = 0; status == FMC_OK && first < blocks && !precision_met;
         first += r.round_blocks) {
        size_t count = blocks - first < r.round_blocks ? (size_t)(blocks - first) : r.round_blocks;
        run_round(&r, first, count, o->sink != NULL);
        if (r.cancel && *r.cancel) {
            status = FMC_ECANCELLED;
            break;
        }
        done = (first + count) * FMC_BLOCK_SIZE;
        done = done < r.plan.samples ? done : r.plan.samples;
        precision_met = o->precision_mean > 0 &&
                        half_width(&r.totals[FMC_OUT_PROFIT], z) <= o->precision_mean;
        if (o->sink) {
            uint64_t first_sample = first * FMC_BLOCK_SIZE;
            status = o->sink(o->sink_context, first_sample, (size_t)(done - first_sample),
                             (const double *const *)r.sink.inputs,
                             (const double *const *)r.sink.outputs);
        }
        if (status == FMC_OK && o->progress && o->progress(o->progress_context, done, r.plan.samples))
            status = FMC_ECANCELLED;
    }
    if (status == FMC_OK) {
        memset(out, 0, sizeof *out);
        out->samples = done;
        out->precision_met = precision_met;
        out->precision_target = o->precision_mean > 0 ? o->precision_mean : 0;
        out->mean_half_width = half_width(&r.totals[FMC_OUT_PROFIT], z);
        out->seed = r.plan.seed;
        out->threads = r.threads;
        fmc_base_case(s, out->base);
        for (size_t k = 0; k < r.plan.series; k++) {
            fmc_histogram *total = &r.workspaces[0].histograms[k];
            for (int t = 1; t < r.threads; t++)
                fmc_histogram_merge(total, &r.workspaces[t].histograms[k]);
            if (k < FMC_SUMMARY_COUNT)
                fmc_summarize(&r.totals[k], total, s->confidence, &out->outputs[k]);
        }
        if (r.plan.levers)
            status = finish_levers(&r, s->confidence, &out->levers);
        if (r.drivers)
            status = fmc_drivers_finish(r.drivers, &r.workspaces[0].histograms[FMC_OUT_PROFIT],
                                        &out->drivers);
        out->seconds = omp_get_wtime() - started;
    }
    run_state_clear(&r);
    return status;
}
