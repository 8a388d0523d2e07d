#include "funnelmc/engine.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/accumulator.h"
#include "funnelmc/draws.h"
#include "funnelmc/horizon.h"
#include "funnelmc/levers.h"
#include "funnelmc/sampler.h"
#include "funnelmc/stream.h"

/* Rounds of blocks: the serial merge runs after each round.  How many blocks
 * a round holds changes nothing in the results (merging is in block order
 * either way); it only trades barrier waits against progress updates and,
 * with a sample sink, against the buffer of raw draws.  A round holds so
 * many blocks per thread of every process sharing the run: with processes,
 * a round is also one exchange of slots (docs/design.md). */
#define MIN_ROUND_BLOCKS 256
#define ROUND_BLOCKS_PER_THREAD 16
#define SINK_ROUND_BLOCKS 16
/* Over a horizon a block is a path of many periods, and every per-period
 * figure keeps moments per slot of a round: fewer blocks per round balance
 * the load as well, and keep that memory small. */
#define HORIZON_ROUND_BLOCKS_PER_THREAD 4
#define MIN_HORIZON_ROUND_BLOCKS 16

/* A thread's buffers for one block. */
typedef struct workspace {
    uint32_t **words;  /* [input], NULL for constant inputs */
    double **inputs;   /* [input] the sampled values */
    const double **view;  /* [input] the inputs after the run's changes: what all else sees */
    double **changed;  /* [input + 1] the run's changes' scratch (fmc_lever_apply) */
    unsigned char *point_clamped;  /* [block] */
    double **effects;  /* [run change] values of an uncertain effect, NULL for a number */
    fmc_change_draws *draws;  /* [run change] */
    uint32_t *quantity_words;  /* [block] */
    double *outputs[FMC_OUTPUT_COUNT];
    /* with a horizon: */
    fmc_path *path;
    double **period_profit;  /* [periods] */
    fmc_path_changes changes;  /* the run's, pointing into effects and draws */
} workspace;

typedef struct plan {
    const fmc_scenario *scenario;
    fmc_sampler **samplers;
    size_t inputs;
    const fmc_change *changes;  /* the run's changes (a sweep point) */
    size_t change_count;
    fmc_sampler **effect_samplers;  /* [change] of its uncertain effect; NULL for a number */
    fmc_draws draws;  /* the pass's design, copula, seed and window */
    uint64_t samples;
    uint32_t periods;  /* of the horizon; 0 without one */
} plan;

void fmc_run_result_clear(fmc_run_result *r)
{
    if (!r)
        return;
    fmc_drivers_result_clear(&r->drivers);
    fmc_lever_results_clear(&r->levers);
    fmc_horizon_result_clear(&r->horizon);
    fmc_break_even_result_clear(&r->break_even);
    fmc_correlation_check_result_clear(&r->correlations);
}

fmc_run_options fmc_run_options_default(void)
{
    fmc_run_options options;
    memset(&options, 0, sizeof options);
    return options;
}

uint32_t fmc_run_periods(const fmc_scenario *s, uint32_t periods)
{
    return !s->horizon ? 0 : periods ? periods : s->horizon->periods;
}

fmc_status fmc_base_case(const fmc_scenario *s, uint32_t periods, double out[FMC_OUTPUT_COUNT])
{
    double values[FMC_MAX_INPUTS];
    for (size_t j = 0; j < s->input_count; j++)
        values[j] = s->inputs[j].base;
    if (!s->horizon) {
        fmc_model_eval(values, fmc_scenario_cost_lines(s), out);
        return FMC_OK;
    }
    fmc_path *path;
    fmc_status status = fmc_path_alloc(s, 1, 0, &path);
    if (status)
        return status;
    fmc_path_eval_fixed(path, fmc_run_periods(s, periods), values, out);
    fmc_path_free(path);
    return FMC_OK;
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
    for (size_t j = 0; j < p->inputs && w->words; j++)
        free(w->words[j]);
    for (size_t j = 0; j < p->inputs && w->inputs; j++)
        free(w->inputs[j]);
    free(w->words);
    free(w->inputs);
    free(w->view);
    for (size_t j = 0; w->changed && p->change_count && j <= p->inputs; j++)
        free(w->changed[j]);
    free(w->changed);
    free(w->point_clamped);
    for (size_t c = 0; w->effects && c < p->change_count; c++)
        free(w->effects[c]);
    free(w->effects);
    free(w->draws);
    free(w->quantity_words);
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        free(w->outputs[k]);
    fmc_path_free(w->path);
    for (uint32_t t = 0; w->period_profit && t < p->periods; t++)
        free(w->period_profit[t]);
    free(w->period_profit);
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
    w->words = calloc(p->inputs, sizeof *w->words);
    w->inputs = calloc(p->inputs, sizeof *w->inputs);
    w->view = calloc(p->inputs, sizeof *w->view);
    size_t changes = p->change_count ? p->change_count : 1;
    w->changed = calloc(p->change_count ? p->inputs + 1 : 1, sizeof *w->changed);
    w->point_clamped = malloc(FMC_BLOCK_SIZE);
    w->effects = calloc(changes, sizeof *w->effects);
    w->draws = calloc(changes, sizeof *w->draws);
    w->quantity_words = malloc(FMC_BLOCK_SIZE * sizeof *w->quantity_words);
    if (!w->words || !w->inputs || !w->view || !w->changed || !w->point_clamped || !w->effects ||
        !w->draws || !w->quantity_words)
        goto fail;
    for (size_t j = 0; j < p->inputs; j++) {
        if (!(w->inputs[j] = block_array()))
            goto fail;
        if (p->scenario->inputs[j].dist.kind == FMC_DIST_CONSTANT) {
            for (size_t i = 0; i < FMC_BLOCK_SIZE; i++)
                w->inputs[j][i] = p->scenario->inputs[j].dist.min;
        } else if (!(w->words[j] = malloc(FMC_BLOCK_SIZE * sizeof **w->words))) {
            goto fail;
        }
    }
    for (size_t j = 0; j < p->inputs; j++)
        w->view[j] = w->inputs[j];
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        if (!(w->outputs[k] = block_array()))
            goto fail;
    for (size_t j = 0; p->change_count && j <= p->inputs; j++)
        if (!(w->changed[j] = block_array()))
            goto fail;
    for (size_t c = 0; c < p->change_count; c++)
        if (p->effect_samplers[c] && !(w->effects[c] = block_array()))
            goto fail;
    if (p->periods) {
        if (fmc_path_alloc(p->scenario, FMC_BLOCK_SIZE, 0, &w->path) ||
            !(w->period_profit = calloc(p->periods, sizeof *w->period_profit)))
            goto fail;
        for (uint32_t t = 0; t < p->periods; t++)
            if (!(w->period_profit[t] = block_array()))
                goto fail;
        w->changes = (fmc_path_changes){p->changes, p->change_count, w->draws};
    }
    return FMC_OK;
fail:
    workspace_clear(w, p);
    return FMC_ENOMEM;
}

/* Draws and evaluates samples FIRST .. FIRST + COUNT - 1 into W, and
 * describes them in *BLOCK. */
static void draw_block(const plan *p, workspace *w, uint64_t first, size_t count, fmc_block *block)
{
    fmc_draws_fill(&p->draws, FMC_PURPOSE_SAMPLES, 1, first, count, w->words);
    for (size_t j = 0; j < p->inputs; j++)
        if (w->words[j])
            fmc_sampler_transform(p->samplers[j], w->words[j], w->inputs[j], count);
    /* The run's changes (a sweep point), as a lever of no cost; without
     * changes the view is the inputs themselves (set up once). */
    if (p->change_count) {
        for (size_t c = 0; c < p->change_count; c++) {
            if (p->effect_samplers[c])
                fmc_quantity_draw(p->changes[c].uncertain_effect, p->effect_samplers[c], &p->draws,
                                  first, count, 0, w->quantity_words, w->effects[c]);
            w->draws[c] = (fmc_change_draws){NULL, w->effects[c]};
        }
        fmc_lever point = {.changes = (fmc_change *)p->changes, .change_count = p->change_count};
        fmc_lever_apply(p->scenario, &point, w->draws, (const double *const *)w->inputs, count,
                        w->changed, w->view, w->point_clamped);
    }
    *block = (fmc_block){first, count, (const uint32_t *const *)w->words, w->view,
                         (const double *const *)w->outputs, NULL, NULL, NULL};
    if (!p->periods) {
        fmc_model_eval_block(w->view, fmc_scenario_cost_lines(p->scenario), count, w->outputs);
        return;
    }
    fmc_path_source source = {p->samplers, &p->draws, NULL, first, NULL};
    fmc_path_outputs out = {.outputs = w->outputs, .period_profit = w->period_profit};
    fmc_path_eval(w->path, &source, p->periods, (const double *const *)w->inputs, count,
                  &w->changes, NULL, 0, &out);
    block->drawn = (const double *const *)w->inputs;
    block->changes = &w->changes;
    block->period_profit = (const double *const *)w->period_profit;
}

static size_t block_length(uint64_t samples, uint64_t block)
{
    uint64_t left = samples - block * FMC_BLOCK_SIZE;
    return left < FMC_BLOCK_SIZE ? (size_t)left : FMC_BLOCK_SIZE;
}

/* Buffers of raw draws for the sample sink: ROUND samples of every input and
 * output. */
typedef struct sink_buffer {
    double **inputs;
    double *outputs[FMC_OUTPUT_COUNT];
} sink_buffer;

static void sink_buffer_clear(sink_buffer *b, size_t inputs)
{
    for (size_t j = 0; j < inputs && b->inputs; j++)
        free(b->inputs[j]);
    free(b->inputs);
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        free(b->outputs[k]);
    memset(b, 0, sizeof *b);
}

static fmc_status sink_buffer_init(sink_buffer *b, size_t inputs, size_t samples)
{
    memset(b, 0, sizeof *b);
    b->inputs = calloc(inputs, sizeof *b->inputs);
    int ok = b->inputs != NULL;
    for (size_t j = 0; ok && j < inputs; j++)
        ok = (b->inputs[j] = malloc(samples * sizeof **b->inputs)) != NULL;
    for (int k = 0; ok && k < FMC_OUTPUT_COUNT; k++)
        ok = (b->outputs[k] = malloc(samples * sizeof *b->outputs[k])) != NULL;
    if (!ok) {
        sink_buffer_clear(b, inputs);
        return FMC_ENOMEM;
    }
    return FMC_OK;
}

static void copy_to_sink_buffer(const sink_buffer *b, const fmc_block *block, size_t inputs,
                                size_t offset)
{
    for (size_t j = 0; j < inputs; j++)
        memcpy(b->inputs[j] + offset, block->inputs[j], block->count * sizeof(double));
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        memcpy(b->outputs[k] + offset, block->outputs[k], block->count * sizeof(double));
}

/* A region of state to exchange among processes (accumulator.h): slot s at
 * BASE + s * STRIDE, BYTES long; order-free state is BYTES at BASE. */
typedef struct region {
    char *base;
    size_t stride, bytes;
} region;

typedef struct region_list {
    region *at;
    size_t count, capacity;
    size_t bytes;  /* of all regions: a slot's, or all the order-free state's */
} region_list;

enum { SHARE_SLOTS, SHARE_SUM_U64, SHARE_SUM_I64, SHARE_MIN, SHARE_MAX, SHARE_KINDS };

struct fmc_run_shares {
    region_list lists[SHARE_KINDS];
    fmc_status status;  /* FMC_ENOMEM once a region could not be kept */
};

static void shares_add(fmc_run_shares *s, int kind, void *base, size_t stride, size_t bytes)
{
    region_list *l = &s->lists[kind];
    if (bytes == 0 || s->status)
        return;
    if (l->count == l->capacity) {
        size_t capacity = l->capacity ? 2 * l->capacity : 16;
        region *at = realloc(l->at, capacity * sizeof *at);
        if (!at) {
            s->status = FMC_ENOMEM;
            return;
        }
        l->at = at;
        l->capacity = capacity;
    }
    l->at[l->count++] = (region){base, stride, bytes};
    l->bytes += bytes;
}

void fmc_run_shares_slots(fmc_run_shares *s, void *slot0, size_t stride, size_t bytes)
{
    shares_add(s, SHARE_SLOTS, slot0, stride, bytes);
}

void fmc_run_shares_sum_u64(fmc_run_shares *s, uint64_t *values, size_t n)
{
    shares_add(s, SHARE_SUM_U64, values, 0, n * sizeof *values);
}

void fmc_run_shares_sum_i64(fmc_run_shares *s, int64_t *values, size_t n)
{
    shares_add(s, SHARE_SUM_I64, values, 0, n * sizeof *values);
}

void fmc_run_shares_min(fmc_run_shares *s, double *values, size_t n)
{
    shares_add(s, SHARE_MIN, values, 0, n * sizeof *values);
}

void fmc_run_shares_max(fmc_run_shares *s, double *values, size_t n)
{
    shares_add(s, SHARE_MAX, values, 0, n * sizeof *values);
}

static void shares_clear(fmc_run_shares *s)
{
    for (int k = 0; k < SHARE_KINDS; k++)
        free(s->lists[k].at);
    memset(s, 0, sizeof *s);
}

/* Copies slots [FIRST, END) of every region of L into STAGING, where slot b
 * is L->bytes at STAGING + b * L->bytes; or, with !TO_STAGING, back. */
static void copy_slots(const region_list *l, char *staging, size_t first, size_t end,
                       int to_staging)
{
    for (size_t b = first; b < end; b++) {
        char *at = staging + b * l->bytes;
        for (size_t i = 0; i < l->count; i++) {
            char *slot = l->at[i].base + b * l->at[i].stride;
            memcpy(to_staging ? at : slot, to_staging ? slot : at, l->at[i].bytes);
            at += l->at[i].bytes;
        }
    }
}

/* Collective: gives every process (TO_ALL), or rank 0 alone, the COUNT slots
 * of L that every process filled, its share of the round: one message. */
static void exchange_slots(const fmc_team *team, const region_list *l, char *staging,
                           size_t count, int to_all)
{
    size_t first, end;
    fmc_team_share(team, count, &first, &end);
    copy_slots(l, staging, first, end, 1);
    if (to_all)
        fmc_team_allgather_slots(team, staging, l->bytes, count);
    else
        fmc_team_gather_slots(team, staging, l->bytes, count);
    if (!to_all && fmc_team_rank(team) != 0)
        return;
    copy_slots(l, staging, 0, first, 0);
    copy_slots(l, staging, end, count, 0);
}

/* Collective: every order-free region of S becomes its sum, minimum or
 * maximum over the team, through BUFFER (the largest kind's bytes): one
 * message per kind. */
static void reduce_order_free(const fmc_team *team, const fmc_run_shares *s, char *buffer)
{
    for (int kind = SHARE_SUM_U64; kind < SHARE_KINDS; kind++) {
        const region_list *l = &s->lists[kind];
        if (l->bytes == 0)
            continue;
        char *at = buffer;
        for (size_t i = 0; i < l->count; at += l->at[i].bytes, i++)
            memcpy(at, l->at[i].base, l->at[i].bytes);
        size_t n = l->bytes / sizeof(uint64_t);
        if (kind == SHARE_SUM_U64)
            fmc_team_sum_u64(team, (uint64_t *)buffer, n);
        else if (kind == SHARE_SUM_I64)
            fmc_team_sum_i64(team, (int64_t *)buffer, n);
        else if (kind == SHARE_MIN)
            fmc_team_min(team, (double *)buffer, n);
        else
            fmc_team_max(team, (double *)buffer, n);
        at = buffer;
        for (size_t i = 0; i < l->count; at += l->at[i].bytes, i++)
            memcpy(l->at[i].base, at, l->at[i].bytes);
    }
}

typedef struct run_state {
    plan plan;
    int threads;
    workspace *workspaces;
    size_t round_blocks;
    sink_buffer sink;
    void **states;         /* [fmc_run_accumulator_count] NULL where not in this run */
    int owns_samplers;     /* 0 when the caller lent them */
    const volatile sig_atomic_t *cancel;
    /* With a team of more than one process (else all empty): */
    const fmc_team *team;
    int sharing;
    fmc_run_shares shares;       /* the accumulators' */
    fmc_run_shares sink_shares;  /* the sink buffer's slots */
    char *staging;               /* a round of the accumulators' slots, or their order-free state */
    char *sink_staging;          /* a round of the sink's slots */
} run_state;

static void run_state_clear(run_state *r)
{
    for (int t = 0; r->workspaces && t < r->threads; t++)
        workspace_clear(&r->workspaces[t], &r->plan);
    free(r->workspaces);
    sink_buffer_clear(&r->sink, r->plan.inputs);
    for (size_t a = 0; r->states && a < fmc_run_accumulator_count; a++)
        fmc_run_accumulators[a]->free(r->states[a]);
    free(r->states);
    if (r->owns_samplers)
        fmc_scenario_samplers_free(r->plan.samplers, r->plan.inputs);
    for (size_t c = 0; r->plan.effect_samplers && c < r->plan.change_count; c++)
        fmc_sampler_free(r->plan.effect_samplers[c]);
    free(r->plan.effect_samplers);
    shares_clear(&r->shares);
    shares_clear(&r->sink_shares);
    free(r->staging);
    free(r->sink_staging);
}

/* Samplers of the uncertain effects of the run's changes. */
static fmc_status effect_samplers_alloc(plan *p)
{
    p->effect_samplers = calloc(p->change_count ? p->change_count : 1, sizeof *p->effect_samplers);
    if (!p->effect_samplers)
        return FMC_ENOMEM;
    fmc_status status = FMC_OK;
    for (size_t c = 0; c < p->change_count && !status; c++)
        if (p->changes[c].uncertain_effect)
            status = fmc_sampler_alloc(&p->changes[c].uncertain_effect->dist,
                                       &p->effect_samplers[c]);
    return status;
}

/* The pilot: the first samples, before anything is counted, so that every
 * accumulator fixes its ranges (histograms) alike for every thread.  What
 * accumulators take from it is order-free, so blocks go to any thread. */
static void run_pilot(run_state *r)
{
    uint64_t pilot = r->plan.samples < FMC_PILOT_SAMPLES ? r->plan.samples : FMC_PILOT_SAMPLES;
    uint64_t blocks = (pilot + FMC_BLOCK_SIZE - 1) / FMC_BLOCK_SIZE;
    #pragma omp parallel for num_threads(r->threads) schedule(dynamic, 1)
    for (uint64_t b = 0; b < blocks; b++) {
        int t = omp_get_thread_num();
        fmc_block block;
        draw_block(&r->plan, &r->workspaces[t], b * FMC_BLOCK_SIZE, block_length(pilot, b), &block);
        for (size_t a = 0; a < fmc_run_accumulator_count; a++)
            if (r->states[a] && fmc_run_accumulators[a]->pilot)
                fmc_run_accumulators[a]->pilot(r->states[a], t, &block);
    }
}

/* What the processes sharing the run exchange: every accumulator's regions,
 * the sink buffer's slots, and the buffers to send them from. */
static fmc_status shares_init(run_state *r, int with_sink)
{
    for (size_t a = 0; a < fmc_run_accumulator_count; a++)
        if (r->states[a] && fmc_run_accumulators[a]->share)
            fmc_run_accumulators[a]->share(r->states[a], &r->shares);
    size_t order_free = 0;
    for (int kind = SHARE_SUM_U64; kind < SHARE_KINDS; kind++)
        if (r->shares.lists[kind].bytes > order_free)
            order_free = r->shares.lists[kind].bytes;
    size_t round = r->round_blocks * r->shares.lists[SHARE_SLOTS].bytes;
    r->staging = malloc(round > order_free ? round : order_free > 0 ? order_free : 1);
    if (with_sink) {
        size_t column = FMC_BLOCK_SIZE * sizeof(double);
        for (size_t j = 0; j < r->plan.inputs; j++)
            fmc_run_shares_slots(&r->sink_shares, r->sink.inputs[j], column, column);
        for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
            fmc_run_shares_slots(&r->sink_shares, r->sink.outputs[k], column, column);
        r->sink_staging = malloc(r->round_blocks * r->sink_shares.lists[SHARE_SLOTS].bytes);
    }
    if (r->shares.status || r->sink_shares.status || !r->staging ||
        (with_sink && !r->sink_staging))
        return FMC_ENOMEM;
    return FMC_OK;
}

static fmc_status run_state_init(run_state *r, const fmc_scenario *s, const fmc_run_options *o,
                                 const fmc_design *design, uint64_t first_sample)
{
    memset(r, 0, sizeof *r);
    r->threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    r->plan.scenario = s;
    r->plan.inputs = s->input_count;
    r->plan.changes = o->changes;
    r->plan.change_count = o->changes ? o->change_count : 0;
    r->plan.samples = o->samples ? o->samples : s->samples;
    r->plan.periods = fmc_run_periods(s, o->periods);
    r->plan.draws = (fmc_draws){*design, s->copula, o->seed_given ? o->seed : s->seed,
                                first_sample, s->input_count,
                                r->plan.periods ? r->plan.periods : 1};
    if (o->precision_mean > 0)
        r->plan.samples = o->max_samples ? o->max_samples : s->max_samples;
    r->cancel = o->cancel;
    /* a thread beyond the run's blocks would hold a workspace and get no work */
    uint64_t blocks = (r->plan.samples + FMC_BLOCK_SIZE - 1) / FMC_BLOCK_SIZE;
    if ((uint64_t)r->threads > blocks)
        r->threads = blocks > 0 ? (int)blocks : 1;
    /* Accumulators keep per-thread state for the most threads of any
     * process, so that it is combined copy by copy (accumulator.h); agreed
     * first, before anything can fail. */
    int setup_threads = r->threads;
    r->team = o->team;
    r->sharing = fmc_team_size(o->team) > 1;
    if (r->sharing) {
        double most = r->threads;
        fmc_team_max(r->team, &most, 1);
        setup_threads = (int)most;
    }
    size_t cores = (size_t)setup_threads * (size_t)fmc_team_size(o->team);
    fmc_status status = FMC_OK;
    if (o->samplers) {
        r->plan.samplers = (fmc_sampler **)o->samplers;
    } else {
        r->owns_samplers = 1;
        if ((status = fmc_scenario_samplers_alloc(s, r->threads, &r->plan.samplers)))
            return status;
    }
    r->round_blocks = o->sink ? SINK_ROUND_BLOCKS : cores * ROUND_BLOCKS_PER_THREAD;
    if (!o->sink && r->round_blocks < MIN_ROUND_BLOCKS)
        r->round_blocks = MIN_ROUND_BLOCKS;
    if (!o->sink && r->plan.periods > 1) {
        r->round_blocks = cores * HORIZON_ROUND_BLOCKS_PER_THREAD;
        if (r->round_blocks < MIN_HORIZON_ROUND_BLOCKS)
            r->round_blocks = MIN_HORIZON_ROUND_BLOCKS;
    }
    /* the stopping rule is checked after every round: rounds must then be
     * the same whatever the thread count */
    if (o->precision_mean > 0)
        r->round_blocks = FMC_CHECKPOINT_BLOCKS;
    if ((status = effect_samplers_alloc(&r->plan)))
        return status;
    r->workspaces = calloc((size_t)r->threads, sizeof *r->workspaces);
    r->states = calloc(fmc_run_accumulator_count, sizeof *r->states);
    if (!r->workspaces || !r->states)
        return FMC_ENOMEM;
    for (int t = 0; t < r->threads && !status; t++)
        status = workspace_init(&r->workspaces[t], &r->plan);
    if (!status && o->sink)
        status = sink_buffer_init(&r->sink, r->plan.inputs, r->round_blocks * FMC_BLOCK_SIZE);
    fmc_run_setup setup = {.scenario = s,
                           .options = o,
                           .samples = r->plan.samples,
                           .seed = r->plan.draws.seed,
                           .threads = setup_threads,
                           .own_threads = r->threads,
                           .round_blocks = r->round_blocks,
                           .samplers = r->plan.samplers,
                           .periods = r->plan.periods,
                           .draws = &r->plan.draws};
    for (size_t a = 0; a < fmc_run_accumulator_count && !status; a++)
        status = fmc_run_accumulators[a]->alloc(&setup, &r->states[a]);
    if (status)
        return status;
    run_pilot(r);
    for (size_t a = 0; a < fmc_run_accumulator_count && !status; a++)
        if (r->states[a] && fmc_run_accumulators[a]->begin)
            status = fmc_run_accumulators[a]->begin(r->states[a]);
    return status || !r->sharing ? status : shares_init(r, o->sink != NULL);
}

/* Samples this process's share of the round's COUNT blocks from
 * FIRST_BLOCK in parallel, block b of the round into slot b of every
 * accumulator (and of the sink buffer).  A cancellation skips the blocks
 * left: they then hold nothing, and the caller ends the run. */
static void run_round(run_state *r, uint64_t first_block, size_t count, int with_sink)
{
    size_t first, end;
    fmc_team_share(r->team, count, &first, &end);
    #pragma omp parallel for num_threads(r->threads) schedule(dynamic, 1)
    for (size_t b = first; b < end; b++) {
        if (r->cancel && *r->cancel)
            continue;
        int t = omp_get_thread_num();
        uint64_t block_index = first_block + b;
        fmc_block block;
        draw_block(&r->plan, &r->workspaces[t], block_index * FMC_BLOCK_SIZE,
                   block_length(r->plan.samples, block_index), &block);
        for (size_t a = 0; a < fmc_run_accumulator_count; a++)
            if (r->states[a])
                fmc_run_accumulators[a]->add(r->states[a], t, b, &block);
        if (with_sink)
            copy_to_sink_buffer(&r->sink, &block, r->plan.inputs, b * FMC_BLOCK_SIZE);
    }
}

/* Merges the round's COUNT slots in order (the one reduction order of
 * accumulator.h). */
static void merge_round(run_state *r, size_t count)
{
    for (size_t a = 0; a < fmc_run_accumulator_count; a++)
        if (r->states[a])
            fmc_run_accumulators[a]->merge(r->states[a], count);
}

/* 1 when every accumulator with a precision target has met it. */
static int precision_met(const run_state *r)
{
    int asked = 0;
    for (size_t a = 0; a < fmc_run_accumulator_count; a++)
        if (r->states[a] && fmc_run_accumulators[a]->done) {
            asked = 1;
            if (!fmc_run_accumulators[a]->done(r->states[a]))
                return 0;
        }
    return asked;
}

/* Across processes, every decision to go on or stop is agreed
 * (fmc_team_agree): a process that fails, is cancelled, or whose sink or
 * progress callback asks to stop tells the others at the next agreement,
 * and all leave the loop together, none waiting in a collective for one
 * that has gone.  A lone process agrees with itself at no cost. */
fmc_status fmc_simulate_pass(const fmc_scenario *s, const fmc_run_options *o,
                             const fmc_design *design, uint64_t first_sample, fmc_run_result *out)
{
    run_state r;
    double started = omp_get_wtime();
    memset(out, 0, sizeof *out);
    fmc_status status = run_state_init(&r, s, o, design, first_sample);
    if (r.sharing)
        status = fmc_team_agree(r.team, status);
    uint64_t blocks = (r.plan.samples + FMC_BLOCK_SIZE - 1) / FMC_BLOCK_SIZE, done = 0;
    int met = 0, rank0 = fmc_team_rank(r.team) == 0;
    /* this process's own reason to stop (its sink or progress callback),
     * told to the others with the next round's agreement */
    fmc_status pending = FMC_OK;
    for (uint64_t first = 0; status == FMC_OK && first < blocks && !met;
         first += r.round_blocks) {
        size_t count = blocks - first < r.round_blocks ? (size_t)(blocks - first) : r.round_blocks;
        if (pending == FMC_OK)
            run_round(&r, first, count, o->sink != NULL);
        status = pending ? pending : r.cancel && *r.cancel ? FMC_ECANCELLED : FMC_OK;
        if (r.sharing) {
            exchange_slots(r.team, &r.shares.lists[SHARE_SLOTS], r.staging, count, 1);
            if (o->sink)
                exchange_slots(r.team, &r.sink_shares.lists[SHARE_SLOTS], r.sink_staging, count, 0);
            status = fmc_team_agree(r.team, status);
        }
        if (status)
            break;
        merge_round(&r, count);
        done = (first + count) * FMC_BLOCK_SIZE;
        done = done < r.plan.samples ? done : r.plan.samples;
        met = o->precision_mean > 0 && precision_met(&r);
        if (o->sink && rank0) {
            uint64_t round_first = first * FMC_BLOCK_SIZE;
            pending = o->sink(o->sink_context, round_first, (size_t)(done - round_first),
                              (const double *const *)r.sink.inputs,
                              (const double *const *)r.sink.outputs);
        }
        if (pending == FMC_OK && o->progress && o->progress(o->progress_context, done, r.plan.samples))
            pending = FMC_ECANCELLED;
    }
    if (status == FMC_OK)
        status = pending;
    if (r.sharing) {
        status = fmc_team_agree(r.team, status);
        if (status == FMC_OK)
            reduce_order_free(r.team, &r.shares, r.staging);
    }
    if (status == FMC_OK) {
        out->samples = done;
        out->precision_met = met;
        out->precision_target = o->precision_mean > 0 ? o->precision_mean : 0;
        out->seed = r.plan.draws.seed;
        out->design = *design;
        out->threads = r.threads;
        status = fmc_base_case(s, o->periods, out->base);
        /* agreed after each: a finish may share its work among the
         * processes, which must all enter it or none */
        for (size_t a = 0; a < fmc_run_accumulator_count && !status; a++)
            if (r.states[a]) {
                status = fmc_run_accumulators[a]->finish(r.states[a], out);
                if (r.sharing)
                    status = fmc_team_agree(r.team, status);
            }
        if (status)
            fmc_run_result_clear(out);
        out->seconds = omp_get_wtime() - started;
    }
    run_state_clear(&r);
    return status;
}
