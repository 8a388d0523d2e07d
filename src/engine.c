#include "funnelmc/engine.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/sampler.h"
#include "funnelmc/stream.h"

/* Rounds of blocks: the serial merge runs after each round.  How many blocks
 * a round holds changes nothing in the results (merging is in block order
 * either way); it only trades barrier waits against progress updates and,
 * with a sample sink, against the buffer of raw draws. */
#define MIN_ROUND_BLOCKS 256
#define ROUND_BLOCKS_PER_THREAD 16
#define SINK_ROUND_BLOCKS 16

typedef struct workspace {
    uint32_t **words;  /* [slot], NULL for constant inputs */
    double **inputs;   /* [slot] */
    double *outputs[FMC_OUTPUT_COUNT];
    fmc_histogram histograms[FMC_SUMMARY_COUNT];
} workspace;

typedef struct plan {
    const fmc_scenario *scenario;
    fmc_sampler **samplers;
    size_t slots;
    uint64_t seed;
    uint64_t samples;
} plan;

void fmc_run_result_clear(fmc_run_result *r)
{
    if (r)
        fmc_drivers_result_clear(&r->drivers);
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

static void workspace_clear(workspace *w, size_t slots)
{
    for (size_t j = 0; j < slots && w->words; j++)
        free(w->words[j]);
    for (size_t j = 0; j < slots && w->inputs; j++)
        free(w->inputs[j]);
    free(w->words);
    free(w->inputs);
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        free(w->outputs[k]);
    for (int k = 0; k < FMC_SUMMARY_COUNT; k++)
        fmc_histogram_clear(&w->histograms[k]);
    memset(w, 0, sizeof *w);
}

/* Allocates a thread's buffers; constant inputs are filled once here. */
static fmc_status workspace_init(workspace *w, const plan *p)
{
    memset(w, 0, sizeof *w);
    w->words = calloc(p->slots, sizeof *w->words);
    w->inputs = calloc(p->slots, sizeof *w->inputs);
    if (!w->words || !w->inputs)
        goto fail;
    for (size_t j = 0; j < p->slots; j++) {
        w->inputs[j] = malloc(FMC_BLOCK_SIZE * sizeof **w->inputs);
        if (!w->inputs[j])
            goto fail;
        if (p->scenario->inputs[j].dist.kind == FMC_DIST_CONSTANT) {
            for (size_t i = 0; i < FMC_BLOCK_SIZE; i++)
                w->inputs[j][i] = p->scenario->inputs[j].dist.min;
        } else if (!(w->words[j] = malloc(FMC_BLOCK_SIZE * sizeof **w->words))) {
            goto fail;
        }
    }
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        if (!(w->outputs[k] = malloc(FMC_BLOCK_SIZE * sizeof *w->outputs[k])))
            goto fail;
    return FMC_OK;
fail:
    workspace_clear(w, p->slots);
    return FMC_ENOMEM;
}

/* Draws and evaluates samples FIRST .. FIRST + COUNT - 1 into W. */
static void evaluate_block(const plan *p, workspace *w, uint64_t first, size_t count)
{
    fmc_stream_fill(p->seed, FMC_PURPOSE_SAMPLES, first, count, p->slots, w->words);
    for (size_t j = 0; j < p->slots; j++)
        if (w->words[j])
            fmc_sampler_transform(p->samplers[j], w->words[j], w->inputs[j], count);
    fmc_model_eval_block((const double *const *)w->inputs, fmc_scenario_cost_lines(p->scenario),
                         count, w->outputs);
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
static void run_pilot(const plan *p, workspace *workspaces, int threads, double lo[],
                      double hi[])
{
    uint64_t pilot = p->samples < FMC_PILOT_SAMPLES ? p->samples : FMC_PILOT_SAMPLES;
    uint64_t blocks = (pilot + FMC_BLOCK_SIZE - 1) / FMC_BLOCK_SIZE;
    for (int k = 0; k < FMC_SUMMARY_COUNT; k++) {
        lo[k] = INFINITY;
        hi[k] = -INFINITY;
    }
    #pragma omp parallel for num_threads(threads) schedule(dynamic, 1) \
        reduction(min : lo[:FMC_SUMMARY_COUNT]) reduction(max : hi[:FMC_SUMMARY_COUNT])
    for (uint64_t b = 0; b < blocks; b++) {
        workspace *w = &workspaces[omp_get_thread_num()];
        uint64_t first = b * FMC_BLOCK_SIZE;
        size_t count = pilot - first < FMC_BLOCK_SIZE ? (size_t)(pilot - first) : FMC_BLOCK_SIZE;
        evaluate_block(p, w, first, count);
        for (int k = 0; k < FMC_SUMMARY_COUNT; k++)
            for (size_t i = 0; i < count; i++) {
                double v = w->outputs[k][i];  /* NaN compares false: skipped */
                lo[k] = v < lo[k] ? v : lo[k];
                hi[k] = v > hi[k] ? v : hi[k];
            }
    }
    for (int k = 0; k < FMC_SUMMARY_COUNT; k++)
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
        memcpy(b->inputs[j] + offset, w->inputs[j], count * sizeof(double));
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        memcpy(b->outputs[k] + offset, w->outputs[k], count * sizeof(double));
}

typedef struct run_state {
    plan plan;
    int threads;
    workspace *workspaces;
    fmc_moments *block_moments;  /* [round_blocks][FMC_SUMMARY_COUNT] */
    fmc_moments totals[FMC_SUMMARY_COUNT];
    size_t round_blocks;
    sink_buffer sink;
    fmc_drivers *drivers;  /* NULL unless asked for */
    const volatile sig_atomic_t *cancel;
} run_state;

static void run_state_clear(run_state *r)
{
    for (int t = 0; r->workspaces && t < r->threads; t++)
        workspace_clear(&r->workspaces[t], r->plan.slots);
    free(r->workspaces);
    free(r->block_moments);
    sink_buffer_clear(&r->sink, r->plan.slots);
    fmc_drivers_free(r->drivers);
    fmc_scenario_samplers_free(r->plan.samplers, r->plan.slots);
}

static fmc_status run_state_init(run_state *r, const fmc_scenario *s, const fmc_run_options *o)
{
    memset(r, 0, sizeof *r);
    r->threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    r->plan.scenario = s;
    r->plan.slots = s->input_count;
    r->plan.seed = o->seed_given ? o->seed : s->seed;
    r->plan.samples = o->samples ? o->samples : s->samples;
    if (o->precision_mean > 0)
        r->plan.samples = o->max_samples ? o->max_samples : s->max_samples;
    r->cancel = o->cancel;
    fmc_status status = fmc_scenario_samplers_alloc(s, r->threads, &r->plan.samplers);
    if (status)
        return status;
    r->round_blocks = o->sink ? SINK_ROUND_BLOCKS
                              : (size_t)(r->threads * ROUND_BLOCKS_PER_THREAD);
    if (!o->sink && r->round_blocks < MIN_ROUND_BLOCKS)
        r->round_blocks = MIN_ROUND_BLOCKS;
    /* the stopping rule is checked after every round: rounds must then be
     * the same whatever the thread count */
    if (o->precision_mean > 0)
        r->round_blocks = FMC_CHECKPOINT_BLOCKS;
    r->workspaces = calloc((size_t)r->threads, sizeof *r->workspaces);
    r->block_moments = malloc(r->round_blocks * FMC_SUMMARY_COUNT * sizeof *r->block_moments);
    if (!r->workspaces || !r->block_moments)
        return FMC_ENOMEM;
    for (int t = 0; t < r->threads; t++)
        if ((status = workspace_init(&r->workspaces[t], &r->plan)))
            return status;
    if (o->sink &&
        (status = sink_buffer_init(&r->sink, r->plan.slots, r->round_blocks * FMC_BLOCK_SIZE)))
        return status;
    double lo[FMC_SUMMARY_COUNT], hi[FMC_SUMMARY_COUNT];
    run_pilot(&r->plan, r->workspaces, r->threads, lo, hi);
    for (int t = 0; t < r->threads; t++)
        for (int k = 0; k < FMC_SUMMARY_COUNT; k++)
            if ((status = fmc_histogram_init(&r->workspaces[t].histograms[k], lo[k], hi[k])))
                return status;
    for (int k = 0; k < FMC_SUMMARY_COUNT; k++)
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
        for (int k = 0; k < FMC_SUMMARY_COUNT; k++) {
            fmc_moments_of_block(&r->block_moments[b * FMC_SUMMARY_COUNT + k], w->outputs[k], n);
            fmc_histogram_add(&w->histograms[k], w->outputs[k], n);
        }
        if (with_sink)
            copy_to_sink_buffer(&r->sink, w, r->plan.slots, b * FMC_BLOCK_SIZE, n);
        if (r->drivers)
            fmc_drivers_add_block(r->drivers, omp_get_thread_num(), b,
                                  (const uint32_t *const *)w->words,
                                  (const double *const *)w->inputs, w->outputs[FMC_OUT_PROFIT], n,
                                  &w->histograms[FMC_OUT_PROFIT]);
    }
    for (size_t b = 0; b < count; b++)
        for (int k = 0; k < FMC_SUMMARY_COUNT; k++)
            fmc_moments_merge(&r->totals[k], &r->block_moments[b * FMC_SUMMARY_COUNT + k]);
    if (r->drivers)
        fmc_drivers_merge_round(r->drivers, count);
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
        for (int k = 0; k < FMC_SUMMARY_COUNT; k++) {
            fmc_histogram *total = &r.workspaces[0].histograms[k];
            for (int t = 1; t < r.threads; t++)
                fmc_histogram_merge(total, &r.workspaces[t].histograms[k]);
            fmc_summarize(&r.totals[k], total, s->confidence, &out->outputs[k]);
        }
        if (r.drivers)
            status = fmc_drivers_finish(r.drivers, &r.workspaces[0].histograms[FMC_OUT_PROFIT],
                                        &out->drivers);
        out->seconds = omp_get_wtime() - started;
    }
    run_state_clear(&r);
    return status;
}
