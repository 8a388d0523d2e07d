/* Levers compared on common random numbers; see lever_comparison.h.
 *
 * Per block, every lever's changes are applied to the block's own inputs
 * and the model evaluated again: its gain is the difference of the two
 * profits sample by sample, so the baseline's noise cancels from every
 * comparison.  Gains, net gains, pairs, their interactions and net gains are series
 * (series.h); the duels between levers are integer counts per thread.  The
 * value of information (voi.h) bins each sample by the random words of
 * its inputs and of the levers' numbers: samplers are inverse-CDF, so a
 * word's top bits are an equal-probability bin of the value's CDF; block b
 * is in fold b mod FMC_VOI_FOLDS. */
#include "funnelmc/lever_comparison.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/engine.h"
#include "funnelmc/equivalents.h"
#include "funnelmc/horizon.h"
#include "funnelmc/lever_periods.h"
#include "funnelmc/levers.h"
#include "funnelmc/model.h"
#include "funnelmc/series.h"
#include "funnelmc/variance_split.h"
#include "funnelmc/voi.h"
#include "carve.h"

/* A thread's buffers. */
typedef struct lever_workspace {
    double **series;           /* [series] one block of each */
    double **scratch;          /* [input + 1] changed inputs (fmc_lever_apply) */
    double **scratch_after;    /* the same, for the second lever of a pair */
    fmc_lever_values values;   /* the levers' uncertain numbers for the block */
    fmc_lever_values replica;  /* an independent second draw of them */
    double *replica_net;       /* [block] a lever's net gain with the second draw */
    const double **columns;    /* [input] inputs as a lever sees them */
    const double **columns_after;  /* [input] after a pair's second lever */
    unsigned char *clamped;    /* [block] */
    double *cost;              /* [block] */
    /* the thread's counts, one allocation (clamped_total's) */
    uint64_t *clamped_total;   /* [levers] samples a lever's changes clamped */
    uint64_t *beats, *ties;    /* [levers][levers] net profit of i > j, == j */
    /* over a horizon: */
    fmc_path *path;
    double **period_profit, **period_cost;  /* [periods] a lever's, period by period */
    /* the value of information's: */
    uint16_t **bins;           /* [partition] the block's bins */
    const double **options;    /* [levers + 1] doing nothing, then each lever's net gain */
    double *nothing;           /* [block] zeros */
} lever_workspace;

typedef struct comparison {
    const fmc_scenario *scenario;
    size_t levers, pairs, series, inputs;
    uint64_t seed;
    const fmc_draws *draws;      /* the run's (fmc_run_setup.draws) */
    fmc_sampler ***samplers;     /* [lever][quantity] of its uncertain numbers */
    int threads, own_threads;  /* fmc_run_setup's */
    const fmc_team *team;  /* the run's: its processes share the equivalents */
    double confidence;
    /* gains [levers], nets [levers], combined [pairs], interactions [pairs],
     * pairs' net gains [pairs] */
    fmc_series_set *stats;
    fmc_split_set *splits;       /* [levers] the variance split of each net gain */
    lever_workspace *workspaces; /* [threads] */
    double **subsample;          /* [input][FMC_EQUIVALENT_SAMPLES] with options.equivalents */
    size_t subsample_count;
    fmc_lever_values subsample_values;  /* the levers' numbers for those samples */
    uint32_t periods;              /* of the run's horizon; 0 without one */
    fmc_sampler *const *input_samplers;  /* the run's, for inputs drawn each period */
    fmc_lever_periods *by_period;  /* with a horizon */
    /* The value of information's partitions: the uncertain inputs that
     * stay, the groups that have some, then every lever's numbers. */
    fmc_voi *voi;
    size_t partitions;
    size_t *input_partition;       /* [inputs] SIZE_MAX: none */
    size_t group_partition[FMC_GROUP_COUNT];  /* SIZE_MAX: none */
    size_t group_members[FMC_GROUP_COUNT][FMC_VOI_GROUP_MEMBERS];
    size_t group_inputs[FMC_GROUP_COUNT], group_bins[FMC_GROUP_COUNT];
    int group_each_period[FMC_GROUP_COUNT];  /* 1: it has inputs drawn each period */
    size_t first_number, numbers;  /* the levers' numbers' partitions */
} comparison;

static size_t gain_series(size_t lever) { return lever; }
static size_t net_series(const comparison *c, size_t lever) { return c->levers + lever; }
static size_t combined_series(const comparison *c, size_t pair) { return 2 * c->levers + pair; }
static size_t interaction_series(const comparison *c, size_t pair)
{
    return 2 * c->levers + c->pairs + pair;
}
static size_t pair_net_series(const comparison *c, size_t pair)
{
    return 2 * c->levers + 2 * c->pairs + pair;
}

static void workspace_clear(lever_workspace *w, const comparison *c)
{
    for (size_t k = 0; w->series && k < c->series; k++)
        free(w->series[k]);
    for (size_t k = 0; w->scratch && k <= c->inputs; k++)
        free(w->scratch[k]);
    for (size_t k = 0; w->scratch_after && k <= c->inputs; k++)
        free(w->scratch_after[k]);
    fmc_lever_values_clear(&w->values);
    fmc_lever_values_clear(&w->replica);
    free(w->replica_net);
    free(w->series);
    free(w->scratch);
    free(w->scratch_after);
    free(w->columns);
    free(w->columns_after);
    free(w->clamped);
    free(w->cost);
    free(w->clamped_total);
    fmc_path_free(w->path);
    for (uint32_t t = 0; w->period_profit && t < c->periods; t++) {
        free(w->period_profit[t]);
        free(w->period_cost[t]);
    }
    free(w->period_profit);
    free(w->period_cost);
    for (size_t p = 0; w->bins && p < c->partitions; p++)
        free(w->bins[p]);
    free(w->bins);
    free(w->options);
    free(w->nothing);
}

/* COUNT arrays of a block of doubles each, into ARRAYS[0..COUNT). */
static int alloc_blocks(double **arrays, size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (!(arrays[k] = malloc(FMC_BLOCK_SIZE * sizeof **arrays)))
            return 0;
    return 1;
}

static fmc_status workspace_init(lever_workspace *w, const comparison *c)
{
    size_t levers = c->levers;
    w->series = calloc(c->series, sizeof *w->series);
    w->scratch = calloc(c->inputs + 1, sizeof *w->scratch);
    w->scratch_after = calloc(c->inputs + 1, sizeof *w->scratch_after);
    w->columns = calloc(c->inputs, sizeof *w->columns);
    w->columns_after = calloc(c->inputs, sizeof *w->columns_after);
    w->clamped = malloc(FMC_BLOCK_SIZE);
    w->cost = malloc(FMC_BLOCK_SIZE * sizeof *w->cost);
    w->clamped_total = calloc(levers + 2 * levers * levers, sizeof *w->clamped_total);
    w->beats = w->clamped_total ? w->clamped_total + levers : NULL;
    w->ties = w->beats ? w->beats + levers * levers : NULL;
    int ok = w->series && w->scratch && w->scratch_after && w->columns && w->columns_after &&
             w->clamped && w->cost && w->clamped_total &&
             alloc_blocks(w->series, c->series) && alloc_blocks(w->scratch, c->inputs + 1) &&
             alloc_blocks(w->scratch_after, c->inputs + 1);
    fmc_status status = ok ? fmc_lever_values_init(&w->values, c->scenario, FMC_BLOCK_SIZE)
                           : FMC_ENOMEM;
    if (!status)
        status = fmc_lever_values_init(&w->replica, c->scenario, FMC_BLOCK_SIZE);
    if (!status && !(w->replica_net = malloc(FMC_BLOCK_SIZE * sizeof *w->replica_net)))
        status = FMC_ENOMEM;
    w->bins = calloc(c->partitions ? c->partitions : 1, sizeof *w->bins);
    w->options = calloc(levers + 1, sizeof *w->options);
    w->nothing = calloc(FMC_BLOCK_SIZE, sizeof *w->nothing);
    for (size_t p = 0; w->bins && p < c->partitions && !status; p++)
        if (!(w->bins[p] = malloc(FMC_BLOCK_SIZE * sizeof **w->bins)))
            status = FMC_ENOMEM;
    if (!status && (!w->bins || !w->options || !w->nothing))
        status = FMC_ENOMEM;
    if (!status) {
        w->options[0] = w->nothing;
        for (size_t l = 0; l < levers; l++)
            w->options[l + 1] = w->series[net_series(c, l)];
    }
    if (!status && c->periods) {
        status = fmc_path_alloc(c->scenario, FMC_BLOCK_SIZE, 2, &w->path);
        w->period_profit = calloc(c->periods, sizeof *w->period_profit);
        w->period_cost = calloc(c->periods, sizeof *w->period_cost);
        if (!status && (!w->period_profit || !w->period_cost ||
                        !alloc_blocks(w->period_profit, c->periods) ||
                        !alloc_blocks(w->period_cost, c->periods)))
            status = FMC_ENOMEM;
    }
    return status;
}

/* The equivalents are computed on the pilot's samples. */
_Static_assert(FMC_EQUIVALENT_SAMPLES <= FMC_PILOT_SAMPLES, "the pilot holds the subsample");

static int alloc_subsample(comparison *c)
{
    for (size_t j = 0; j < c->inputs; j++)
        if (!(c->subsample[j] = malloc(FMC_EQUIVALENT_SAMPLES * sizeof **c->subsample)))
            return 0;
    return 1;
}

static void comparison_free(void *state)
{
    comparison *c = state;
    if (!c)
        return;
    for (int t = 0; c->workspaces && t < c->threads; t++)
        workspace_clear(&c->workspaces[t], c);
    free(c->workspaces);
    for (size_t j = 0; c->subsample && j < c->inputs; j++)
        free(c->subsample[j]);
    free(c->subsample);
    fmc_lever_values_clear(&c->subsample_values);
    fmc_lever_samplers_free(c->scenario, c->samplers);
    fmc_series_set_free(c->stats);
    fmc_split_set_free(c->splits);
    fmc_lever_periods_free(c->by_period);
    fmc_voi_free(c->voi);
    free(c->input_partition);
    free(c);
}

/* The value of information's partitions of C (whose numbers are
 * counted), and the bins of each into BINS ([inputs + FMC_GROUP_COUNT +
 * numbers]). */
static void plan_partitions(comparison *c, size_t *bins)
{
    const fmc_scenario *s = c->scenario;
    size_t p = 0;
    for (size_t j = 0; j < c->inputs; j++) {
        const fmc_input *input = &s->inputs[j];
        int uncertain = input->dist.kind != FMC_DIST_CONSTANT;
        c->input_partition[j] = uncertain && !input->each_period ? p : SIZE_MAX;
        if (c->input_partition[j] != SIZE_MAX)
            bins[p++] = FMC_VOI_BINS;
        int g = fmc_input_group(s, j);
        c->group_each_period[g] |= uncertain && input->each_period;
        if (c->input_partition[j] != SIZE_MAX && c->group_inputs[g] < FMC_VOI_GROUP_MEMBERS)
            c->group_members[g][c->group_inputs[g]++] = j;
    }
    for (int g = 0; g < FMC_GROUP_COUNT; g++) {
        c->group_partition[g] = SIZE_MAX;
        size_t n = c->group_inputs[g], m = FMC_VOI_BINS, cells = 1;
        if (n == 0)
            continue;
        if (n == 1) {  /* a lone input's group bins as the input does: its partition serves */
            c->group_bins[g] = FMC_VOI_BINS;
            c->group_partition[g] = c->input_partition[c->group_members[g][0]];
            continue;
        }
        /* the most bins per input with m^n <= FMC_VOI_GROUP_CELLS */
        for (;; m--) {
            cells = 1;
            for (size_t k = 0; k < n; k++)
                cells *= m;
            if (cells <= FMC_VOI_GROUP_CELLS)
                break;
        }
        c->group_bins[g] = m;
        c->group_partition[g] = p;
        bins[p++] = cells;
    }
    c->first_number = p;
    for (size_t k = 0; k < c->numbers; k++)
        bins[p++] = FMC_VOI_BINS;
    c->partitions = p;
}

static fmc_status voi_alloc(comparison *c, size_t round_blocks)
{
    for (size_t l = 0; l < c->levers; l++)
        c->numbers += c->scenario->levers[l].quantity_count;
    size_t *bins = malloc((c->inputs + FMC_GROUP_COUNT + c->numbers) * sizeof *bins);
    c->input_partition = malloc(c->inputs * sizeof *c->input_partition);
    fmc_status status = bins && c->input_partition ? FMC_OK : FMC_ENOMEM;
    if (!status) {
        plan_partitions(c, bins);
        fmc_voi_layout layout = {c->levers + 1, c->partitions, bins, FMC_VOI_FOLDS, round_blocks};
        status = fmc_voi_alloc(&layout, &c->voi);
    }
    free(bins);
    return status;
}

static fmc_status comparison_alloc(const fmc_run_setup *setup, void **state)
{
    *state = NULL;
    const fmc_scenario *s = setup->scenario;
    if (!setup->options->levers || s->lever_count == 0)
        return FMC_OK;
    comparison *c = calloc(1, sizeof *c);
    if (!c)
        return FMC_ENOMEM;
    c->scenario = s;
    c->levers = s->lever_count;
    c->pairs = setup->options->combine ? c->levers * (c->levers - 1) / 2 : 0;
    c->series = 2 * c->levers + 3 * c->pairs;
    c->inputs = s->input_count;
    c->threads = setup->threads;
    c->own_threads = setup->own_threads;
    c->team = setup->options->team;
    c->confidence = s->confidence;
    c->seed = setup->seed;
    c->draws = setup->draws;
    c->periods = setup->periods;
    c->input_samplers = setup->samplers;
    fmc_status status = voi_alloc(c, setup->round_blocks);
    if (!status)
        status = fmc_lever_samplers_alloc(s, &c->samplers);
    if (!status && c->periods)
        status = fmc_lever_periods_alloc(c->levers, c->periods, s->horizon->discount_rate,
                                         c->threads, setup->round_blocks, FMC_BLOCK_SIZE,
                                         &c->by_period);
    if (!status)
        status = fmc_series_set_alloc(c->series, c->threads, setup->round_blocks, &c->stats);
    if (!status)
        status = fmc_split_set_alloc(c->levers, c->threads, setup->round_blocks, &c->splits);
    c->workspaces = calloc((size_t)c->threads, sizeof *c->workspaces);
    if (!c->workspaces)
        status = FMC_ENOMEM;
    for (int t = 0; t < c->threads && !status; t++)
        status = workspace_init(&c->workspaces[t], c);
    if (!status && setup->options->equivalents) {
        uint64_t pilot = setup->samples < FMC_PILOT_SAMPLES ? setup->samples : FMC_PILOT_SAMPLES;
        c->subsample_count =
            (size_t)(pilot < FMC_EQUIVALENT_SAMPLES ? pilot : FMC_EQUIVALENT_SAMPLES);
        c->subsample = calloc(c->inputs, sizeof *c->subsample);
        if (!c->subsample || !alloc_subsample(c))
            status = FMC_ENOMEM;
        if (!status)
            status = fmc_lever_values_init(&c->subsample_values, s, c->subsample_count);
        /* counter-based: the first samples' numbers need no pilot */
        if (!status)
            fmc_lever_values_draw(&c->subsample_values, s, (fmc_sampler *const *const *)c->samplers,
                                  c->draws, 0, c->subsample_count, 0);
    }
    if (status) {
        comparison_free(c);
        return status;
    }
    *state = c;
    return FMC_OK;
}

/* Profit with the levers WHICH[0 .. N) (one, or the two of a pair applied
 * in order) on the block's draws into PROFIT, with their numbers VALUES;
 * with COST, a lever's own cost too (N 1); with BY_PERIOD, its profit and
 * own cost of every period into W's period arrays (over a horizon).
 * Returns the samples where a change was clamped. */
static size_t lever_profit(const comparison *c, lever_workspace *w, const fmc_block *block,
                           const size_t *which, size_t n, const fmc_lever_values *values,
                           double *profit, double *cost, int by_period)
{
    const fmc_scenario *s = c->scenario;
    size_t count = block->count;
    if (!c->periods) {
        const fmc_lever *first = &s->levers[which[0]];
        size_t clamped = fmc_lever_apply(s, first, values->draws[which[0]], block->inputs, count,
                                         w->scratch, w->columns, w->clamped);
        const double **columns = w->columns;
        if (n == 2) {
            fmc_lever_apply(s, &s->levers[which[1]], values->draws[which[1]], w->columns, count,
                            w->scratch_after, w->columns_after, w->clamped);
            columns = w->columns_after;
        }
        fmc_model_profit_block(columns, fmc_scenario_cost_lines(s), count, profit);
        if (cost)
            fmc_lever_cost(first, values->hours[which[0]], values->money[which[0]],
                           columns[FMC_HOURLY_RATE], count, cost);
        return clamped;
    }
    fmc_path_lever levers[2];
    for (size_t k = 0; k < n; k++) {
        size_t l = which[k];
        levers[k] = (fmc_path_lever){&s->levers[l],       values->draws[l],
                                     values->hours[l],    values->money[l],
                                     values->once_hours[l], values->once_money[l]};
    }
    double *totals[FMC_OUTPUT_COUNT] = {NULL};  /* profit alone */
    totals[FMC_OUT_PROFIT] = profit;
    fmc_path_source source = {c->input_samplers, c->draws, NULL, block->first, NULL};
    fmc_path_outputs out = {totals, cost, by_period ? w->period_profit : NULL,
                            by_period ? w->period_cost : NULL, w->clamped};
    fmc_path_eval(w->path, &source, c->periods, block->drawn, count, block->changes, levers, n,
                  &out);
    size_t clamped = 0;
    for (size_t i = 0; i < count; i++)
        clamped += w->clamped[i];
    return clamped;
}

/* Gain and net gain of every lever, and with pairs their combined gain and
 * interaction, on the block's draws into W's series.  In a round (SLOT not
 * SIZE_MAX), also counts the samples a lever's changes clamped and, over a
 * horizon, adds each period's gains; the pilot's samples are drawn again by
 * the run, so they count for nothing. */
static void evaluate_levers(const comparison *c, lever_workspace *w, const fmc_block *block,
                            int thread, size_t slot)
{
    const fmc_scenario *s = c->scenario;
    int in_round = slot != SIZE_MAX;
    fmc_lever_values_draw(&w->values, s, (fmc_sampler *const *const *)c->samplers, c->draws,
                          block->first, block->count, 0);
    const double *profit = block->outputs[FMC_OUT_PROFIT];
    size_t count = block->count;
    for (size_t l = 0; l < c->levers; l++) {
        double *gain = w->series[gain_series(l)], *net = w->series[net_series(c, l)];
        size_t clamped = lever_profit(c, w, block, &l, 1, &w->values, gain, w->cost,
                                      in_round && c->periods);
        if (in_round)
            w->clamped_total[l] += clamped;
        for (size_t i = 0; i < count; i++) {
            gain[i] -= profit[i];
            net[i] = gain[i] - w->cost[i];
        }
        if (in_round && c->periods)
            fmc_lever_periods_add(c->by_period, thread, slot, l, block->period_profit,
                                  w->period_profit, w->period_cost, count);
    }
    size_t q = 0;
    for (size_t a = 0; a < c->levers && c->pairs; a++)
        for (size_t b = a + 1; b < c->levers; b++, q++) {
            double *combined = w->series[combined_series(c, q)];
            double *interaction = w->series[interaction_series(c, q)];
            double *pair_net = w->series[pair_net_series(c, q)];
            size_t pair[2] = {a, b};
            lever_profit(c, w, block, pair, 2, &w->values, combined, NULL, 0);
            const double *gain_a = w->series[gain_series(a)], *gain_b = w->series[gain_series(b)];
            const double *net_a = w->series[net_series(c, a)], *net_b = w->series[net_series(c, b)];
            for (size_t i = 0; i < count; i++) {
                combined[i] -= profit[i];
                interaction[i] = combined[i] - gain_a[i] - gain_b[i];
                /* both levers' costs, as their own net gains count them */
                pair_net[i] = combined[i] - (gain_a[i] - net_a[i]) - (gain_b[i] - net_b[i]);
            }
        }
}

/* Counts, for every pair of levers, the samples where one's net profit beats
 * the other's (net gains compared: the baseline cancels) and the ties. */
static void count_duels(const comparison *c, lever_workspace *w, size_t count)
{
    size_t levers = c->levers;
    for (size_t a = 0; a < levers; a++)
        for (size_t b = a + 1; b < levers; b++) {
            const double *x = w->series[net_series(c, a)], *y = w->series[net_series(c, b)];
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
}

static void comparison_pilot(void *state, int thread, const fmc_block *block)
{
    comparison *c = state;
    lever_workspace *w = &c->workspaces[thread];
    evaluate_levers(c, w, block, thread, SIZE_MAX);
    for (size_t k = 0; k < c->series; k++)
        fmc_series_set_pilot(c->stats, thread, k, w->series[k], block->count);
    for (size_t l = 0; l < c->levers; l++)
        fmc_split_set_pilot(c->splits, thread, l, w->series[net_series(c, l)], block->count);
    /* over a horizon the equivalents follow paths from the values as drawn */
    const double *const *values = block->drawn ? block->drawn : block->inputs;
    for (size_t j = 0; c->subsample && j < c->inputs && block->first < FMC_EQUIVALENT_SAMPLES; j++)
        memcpy(c->subsample[j] + block->first, values[j], block->count * sizeof(double));
}

static fmc_status comparison_begin(void *state)
{
    comparison *c = state;
    fmc_split_set_begin(c->splits);
    return fmc_series_set_begin(c->stats);
}

/* The net gain of every lever with uncertain numbers once more, with a
 * second, independent draw of them on the same inputs, into the variance
 * split of slot SLOT. */
static void split_levers(const comparison *c, lever_workspace *w, const fmc_block *block,
                         size_t slot)
{
    const fmc_scenario *s = c->scenario;
    const double *profit = block->outputs[FMC_OUT_PROFIT];
    size_t count = block->count;
    fmc_lever_values_draw(&w->replica, s, (fmc_sampler *const *const *)c->samplers, c->draws,
                          block->first, count, 1);
    for (size_t l = 0; l < c->levers; l++) {
        if (s->levers[l].quantity_count == 0)
            continue;
        double *net = w->replica_net;
        lever_profit(c, w, block, &l, 1, &w->replica, net, w->cost, 0);
        for (size_t i = 0; i < count; i++)
            net[i] = (net[i] - profit[i]) - w->cost[i];
        fmc_split_set_add(c->splits, slot, l, w->series[net_series(c, l)], net, count);
    }
}

/* The bin of WORD among BINS equal-probability bins of its uniform. */
static uint16_t bin_of(uint32_t word, size_t bins)
{
    return (uint16_t)(((uint64_t)word * bins) >> 32);
}

/* Every partition's bin of the block's samples, and the block's options'
 * net gains, into the value of information's slot SLOT. */
static void add_information(const comparison *c, lever_workspace *w, const fmc_block *block,
                            size_t slot)
{
    size_t count = block->count;
    for (size_t j = 0; j < c->inputs; j++)
        if (c->input_partition[j] != SIZE_MAX) {
            uint16_t *bin = w->bins[c->input_partition[j]];
            for (size_t i = 0; i < count; i++)
                bin[i] = bin_of(block->words[j][i], FMC_VOI_BINS);
        }
    for (int g = 0; g < FMC_GROUP_COUNT; g++) {
        if (c->group_partition[g] == SIZE_MAX || c->group_inputs[g] == 1)
            continue;  /* none, or the lone input's own bins */
        uint16_t *cell = w->bins[c->group_partition[g]];
        size_t m = c->group_bins[g];
        for (size_t i = 0; i < count; i++) {
            size_t index = 0;
            for (size_t k = 0; k < c->group_inputs[g]; k++)
                index = index * m + bin_of(block->words[c->group_members[g][k]][i], m);
            cell[i] = (uint16_t)index;
        }
    }
    size_t p = c->first_number;
    for (size_t l = 0; l < c->levers; l++)
        for (size_t q = 0; q < c->scenario->levers[l].quantity_count; q++, p++)
            for (size_t i = 0; i < count; i++)
                w->bins[p][i] = bin_of(w->values.words[l][q][i], FMC_VOI_BINS);
    size_t fold = (size_t)(block->first / FMC_BLOCK_SIZE % FMC_VOI_FOLDS);
    fmc_voi_add(c->voi, slot, fold, w->options, (const uint16_t *const *)w->bins, count);
}

static void comparison_add(void *state, int thread, size_t slot, const fmc_block *block)
{
    comparison *c = state;
    lever_workspace *w = &c->workspaces[thread];
    evaluate_levers(c, w, block, thread, slot);
    for (size_t k = 0; k < c->series; k++)
        fmc_series_set_add(c->stats, thread, slot, k, w->series[k], block->count);
    count_duels(c, w, block->count);
    add_information(c, w, block, slot);
    split_levers(c, w, block, slot);
}

static void comparison_merge(void *state, size_t count)
{
    comparison *c = state;
    fmc_series_set_merge_round(c->stats, count);
    fmc_split_set_merge_round(c->splits, count);
    fmc_voi_merge_round(c->voi, count);
    if (c->by_period)
        fmc_lever_periods_merge_round(c->by_period, count);
}

static void comparison_share(void *state, fmc_run_shares *shares)
{
    comparison *c = state;
    fmc_series_set_share(c->stats, shares);
    fmc_split_set_share(c->splits, shares);
    fmc_voi_share(c->voi, shares);
    if (c->by_period)
        fmc_lever_periods_share(c->by_period, shares);
    for (int t = 0; t < c->threads; t++)  /* clamped_total, beats and ties */
        fmc_run_shares_sum_u64(shares, c->workspaces[t].clamped_total,
                               c->levers + 2 * c->levers * c->levers);
}

void fmc_lever_results_clear(fmc_lever_results *r)
{
    if (!r)
        return;
    free(r->gain);
    free(r->mean_cost);
    free(r->pair_first);
    free(r->period_gain);
    for (size_t l = 0; r->payback && l < r->count; l++)
        fmc_payback_summary_clear(&r->payback[l]);
    free(r->payback);
    free(r->voi.input);
    free(r->voi.number_lever);
    memset(r, 0, sizeof *r);
}

static void lever_voi_errors(fmc_lever_voi *v, size_t inputs, fmc_error_visit visit, void *context)
{
    fmc_error_list(visit, context, &v->evpi, &v->evpi_se, NULL, 1, 0);
    fmc_error_list(visit, context, v->input, v->input_se, NULL, v->input ? inputs : 0, 0);
    fmc_error_list(visit, context, v->group, v->group_se, NULL, FMC_GROUP_COUNT, 0);
    fmc_error_list(visit, context, v->number, v->number_se, NULL, v->numbers, 0);
}

void fmc_lever_results_errors(fmc_lever_results *r, fmc_error_visit visit, void *context)
{
    size_t n = r->count, summaries = 2 * n + 3 * r->pairs;  /* gain, net, the pairs' */
    for (size_t k = 0; k < summaries; k++)
        fmc_output_summary_errors(&r->gain[k], visit, context);
    fmc_error_list(visit, context, r->inputs_share, r->inputs_share_se, NULL, n, 0);
    fmc_error_list(visit, context, r->p_improve, r->p_improve_se, NULL, n, 0);
    fmc_error_list(visit, context, r->p_beats, r->p_beats_se, NULL, n * n, 0);
    fmc_error_list(visit, context, r->equivalent_add, r->equivalent_add_se, NULL, n * r->inputs,
                   FMC_EQUIVALENT_SAMPLES);
    fmc_error_list(visit, context, r->equivalent_scale, r->equivalent_scale_se, NULL,
                   n * r->inputs, FMC_EQUIVALENT_SAMPLES);
    fmc_error_list(visit, context, r->period_gain, r->period_gain_se, NULL, n * r->periods, 0);
    fmc_error_list(visit, context, r->period_net, r->period_net_se, NULL, n * r->periods, 0);
    for (size_t l = 0; r->payback && l < n; l++)
        fmc_payback_summary_errors(&r->payback[l], visit, context);
    lever_voi_errors(&r->voi, r->inputs, visit, context);
}

fmc_status fmc_lever_results_alloc(size_t levers, size_t pairs, size_t d, fmc_lever_results *out)
{
    memset(out, 0, sizeof *out);
    out->count = levers;
    out->pairs = pairs;
    out->inputs = d;
    const fmc_carving doubles[] = {
        {&out->mean_cost, levers},           {&out->roi, levers},
        {&out->p_improve, levers},           {&out->p_improve_se, levers},
        {&out->clamped_share, levers},       {&out->p_beats, levers * levers},
        {&out->p_beats_se, levers * levers}, {&out->p_tie, levers * levers},
        {&out->equivalent_add, levers * d},  {&out->equivalent_scale, levers * d},
        {&out->equivalent_add_se, levers * d}, {&out->equivalent_scale_se, levers * d},
        {&out->inputs_share, levers},        {&out->inputs_share_se, levers},
    };
    size_t n = sizeof doubles / sizeof *doubles;
    double *block = calloc(fmc_carving_total(doubles, n), sizeof *block);
    out->gain = calloc(2 * levers + 3 * pairs, sizeof *out->gain);
    out->pair_first = calloc(2 * pairs + 3 * levers + 1, sizeof *out->pair_first);
    if (!block || !out->gain || !out->pair_first) {
        free(block);
        fmc_lever_results_clear(out);
        return FMC_ENOMEM;
    }
    fmc_carve(block, doubles, n);
    out->net = out->gain + levers;
    out->combined = out->net + levers;
    out->interaction = out->combined + pairs;
    out->pair_net = out->interaction + pairs;
    out->pair_second = out->pair_first + pairs;
    out->rank = out->pair_second + pairs;
    out->uncertain_numbers = out->rank + levers;
    out->reach_assumed = out->uncertain_numbers + levers;
    return FMC_OK;
}

/* Adds every thread's counters into thread 0's (integers: order-free). */
static void fold_thread_counters(comparison *c)
{
    lever_workspace *total = &c->workspaces[0];
    size_t levers = c->levers;
    for (int t = 1; t < c->threads; t++) {
        const lever_workspace *w = &c->workspaces[t];
        for (size_t l = 0; l < levers; l++)
            total->clamped_total[l] += w->clamped_total[l];
        for (size_t i = 0; i < levers * levers; i++) {
            total->beats[i] += w->beats[i];
            total->ties[i] += w->ties[i];
        }
    }
}

/* Lever L's variance split and what its figures assume. */
static void split_figures(const comparison *c, size_t l, fmc_lever_results *out)
{
    const fmc_lever *lever = &c->scenario->levers[l];
    out->uncertain_numbers[l] = lever->quantity_count;
    if (lever->quantity_count) {
        fmc_split_set_estimate(c->splits, l, &out->inputs_share[l], &out->inputs_share_se[l]);
    } else if (out->net[l].sd > 0) {
        out->inputs_share[l] = 1;  /* the net gain is a function of the inputs alone */
        out->inputs_share_se[l] = 0;
    } else {
        out->inputs_share[l] = out->inputs_share_se[l] = NAN;
    }
    out->reach_assumed[l] = (size_t)fmc_lever_assumes_fixed_reach(lever);
}

/* Insertion sort: stable, and the lever count is small. */
static void rank_by_net_gain(fmc_lever_results *r)
{
    for (size_t l = 0; l < r->count; l++)
        r->rank[l] = l;
    for (size_t a = 1; a < r->count; a++)
        for (size_t b = a; b > 0 && r->net[r->rank[b]].mean > r->net[r->rank[b - 1]].mean; b--) {
            size_t t = r->rank[b];
            r->rank[b] = r->rank[b - 1];
            r->rank[b - 1] = t;
        }
}

/* The value of information's figures from C's sums into V. */
static fmc_status voi_finish(const comparison *c, fmc_lever_voi *v)
{
    size_t d = c->inputs, numbers = c->numbers, P = c->partitions;
    v->folds = FMC_VOI_FOLDS;
    v->bins = FMC_VOI_BINS;
    v->numbers = numbers;
    v->input = malloc((2 * d + 2 * numbers + 2 * P + 1) * sizeof *v->input);
    v->number_lever = malloc((2 * numbers + 1) * sizeof *v->number_lever);
    if (!v->input || !v->number_lever)
        return FMC_ENOMEM;
    v->input_se = v->input + d;
    v->number = v->input_se + d;
    v->number_se = v->number + numbers;
    double *evppi = v->number_se + numbers, *evppi_se = evppi + P;
    v->number_quantity = v->number_lever + numbers;
    fmc_voi_estimate e = {.evppi = evppi, .evppi_se = evppi_se};
    fmc_voi_estimate_all(c->voi, c->seed, &e);
    v->best = e.best;
    v->best_net = e.best_mean;
    v->evpi = e.evpi;
    v->evpi_se = e.evpi_se;
    for (size_t j = 0; j < d; j++) {
        size_t p = c->input_partition[j];
        int each_period = c->scenario->inputs[j].each_period &&
                          c->scenario->inputs[j].dist.kind != FMC_DIST_CONSTANT;
        v->input[j] = p != SIZE_MAX ? evppi[p] : each_period ? NAN : 0;
        v->input_se[j] = p != SIZE_MAX ? evppi_se[p] : each_period ? NAN : 0;
    }
    for (int g = 0; g < FMC_GROUP_COUNT; g++) {
        size_t p = c->group_partition[g], cells = 1;
        for (size_t k = 0; k < c->group_inputs[g]; k++)
            cells *= c->group_bins[g];
        v->group_inputs[g] = c->group_inputs[g];
        v->group_bins[g] = c->group_inputs[g] ? c->group_bins[g] : 1;
        v->group_cells[g] = cells;
        v->group[g] = p != SIZE_MAX ? evppi[p] : c->group_each_period[g] ? NAN : 0;
        v->group_se[g] = p != SIZE_MAX ? evppi_se[p] : c->group_each_period[g] ? NAN : 0;
    }
    size_t k = 0;
    for (size_t l = 0; l < c->levers; l++)
        for (size_t q = 0; q < c->scenario->levers[l].quantity_count; q++, k++) {
            v->number_lever[k] = l;
            v->number_quantity[k] = q;
            v->number[k] = evppi[c->first_number + k];
            v->number_se[k] = evppi_se[c->first_number + k];
        }
    return FMC_OK;
}

static fmc_status comparison_finish(void *state, fmc_run_result *result)
{
    comparison *c = state;
    size_t levers = c->levers, d = c->inputs;
    fmc_lever_results *out = &result->levers;
    if (fmc_lever_results_alloc(levers, c->pairs, d, out))
        return FMC_ENOMEM;
    fold_thread_counters(c);
    const lever_workspace *total = &c->workspaces[0];
    size_t q = 0;
    for (size_t a = 0; a < levers && c->pairs; a++)
        for (size_t b = a + 1; b < levers; b++, q++) {
            out->pair_first[q] = a;
            out->pair_second[q] = b;
            fmc_series_set_summarize(c->stats, combined_series(c, q), c->confidence,
                                     &out->combined[q]);
            fmc_series_set_summarize(c->stats, interaction_series(c, q), c->confidence,
                                     &out->interaction[q]);
            fmc_series_set_summarize(c->stats, pair_net_series(c, q), c->confidence,
                                     &out->pair_net[q]);
        }
    for (size_t l = 0; l < levers; l++) {
        fmc_series_set_summarize(c->stats, gain_series(l), c->confidence, &out->gain[l]);
        fmc_series_set_summarize(c->stats, net_series(c, l), c->confidence, &out->net[l]);
        const fmc_moments *net = fmc_series_set_moments(c->stats, net_series(c, l));
        double count = (double)net->count;
        out->mean_cost[l] = out->gain[l].mean - out->net[l].mean;
        out->roi[l] = out->mean_cost[l] > 0 ? out->net[l].mean / out->mean_cost[l] : NAN;
        split_figures(c, l, out);
        out->p_improve[l] = (double)net->positive / count;
        out->p_improve_se[l] = fmc_proportion_se(out->p_improve[l], count);
        out->clamped_share[l] = (double)total->clamped_total[l] / count;
        for (size_t m = 0; m < levers; m++) {
            size_t i = l * levers + m;
            out->p_beats[i] = l == m ? 0 : (double)total->beats[i] / count;
            out->p_beats_se[i] = fmc_proportion_se(out->p_beats[i], count);
            out->p_tie[i] = l == m ? 1 : (double)total->ties[i] / count;
        }
    }
    rank_by_net_gain(out);
    fmc_status status = voi_finish(c, &out->voi);
    if (!status && c->by_period)
        status = fmc_lever_periods_finish(c->by_period, c->confidence, out);
    fmc_equivalents equivalents = {out->equivalent_add, out->equivalent_add_se,
                                   out->equivalent_scale, out->equivalent_scale_se};
    fmc_equivalents_horizon horizon = {c->input_samplers, c->draws, c->periods};
    /* every process enters the equivalents' exchanges, or none */
    status = fmc_team_agree(c->team, status);
    if (status == FMC_OK && c->subsample)
        status = fmc_equivalents_compute(c->scenario, (const double *const *)c->subsample,
                                         c->subsample_count, &c->subsample_values,
                                         c->periods ? &horizon : NULL, c->own_threads, c->team,
                                         &equivalents);
    else
        for (size_t k = 0; k < 4 * levers * d; k++)
            out->equivalent_add[k] = NAN;
    if (status)
        fmc_lever_results_clear(out);
    return status;
}

const fmc_accumulator_type fmc_lever_comparison_accumulator = {
    "lever comparison", comparison_alloc, comparison_pilot,  comparison_begin,  comparison_add,
    comparison_merge,   NULL,             comparison_finish, comparison_free,
    comparison_share,
};
