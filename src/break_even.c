/* Break-even values; see break_even.h.  The pilot keeps the subsample's
 * inputs, and over a horizon each block's moments of the cumulative
 * discounted profit of every period (and the co-moment of consecutive
 * periods), merged in block order in finish (Chan, Golub and LeVeque's
 * pairwise update), so the figures are the same for any thread count. */
#include "funnelmc/break_even.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/engine.h"
#include "funnelmc/equivalents.h"
#include "funnelmc/horizon.h"
#include "funnelmc/mean_root.h"
#include "funnelmc/stats.h"

_Static_assert(FMC_EQUIVALENT_SAMPLES <= FMC_PILOT_SAMPLES, "the pilot holds the subsample");
_Static_assert(FMC_EQUIVALENT_SAMPLES % FMC_BLOCK_SIZE == 0, "whole blocks");

#define SUBSAMPLE_BLOCKS (FMC_EQUIVALENT_SAMPLES / FMC_BLOCK_SIZE)

const char *fmc_break_even_kind_name(fmc_break_even_kind kind)
{
    switch (kind) {
    case FMC_BREAK_EVEN_FOUND:
        return "found";
    case FMC_BREAK_EVEN_ALWAYS_PROFIT:
        return "always profit";
    case FMC_BREAK_EVEN_ALWAYS_LOSS:
        return "always loss";
    }
    return "?";
}

void fmc_break_even_result_clear(fmc_break_even_result *r)
{
    if (!r)
        return;
    free(r->value);  /* and se */
    free(r->kind);
    free(r->cumulative_mean);  /* and cumulative_se */
    memset(r, 0, sizeof *r);
}

void fmc_break_even_result_errors(fmc_break_even_result *r, fmc_error_visit visit, void *context)
{
    if (!r->inputs)
        return;
    fmc_error_list(visit, context, r->value, r->se, NULL, r->inputs, FMC_EQUIVALENT_SAMPLES);
    fmc_error_list(visit, context, r->cumulative_mean, r->cumulative_se, NULL, r->periods,
                   FMC_EQUIVALENT_SAMPLES);
    fmc_error_list(visit, context, &r->period, &r->period_se, NULL, 1, FMC_EQUIVALENT_SAMPLES);
}

fmc_break_even_kind fmc_break_even_period(uint32_t periods, const double *mean,
                                          const double *variance, const double *covariance,
                                          double *period, double *se)
{
    *period = *se = NAN;
    if (!(mean[periods - 1] > 0))
        return FMC_BREAK_EVEN_ALWAYS_LOSS;
    uint32_t k = periods - 1;  /* the last period (1-based) with M_k <= 0, or 0 */
    while (k > 0 && mean[k - 1] > 0)
        k--;
    if (k == 0)
        return FMC_BREAK_EVEN_ALWAYS_PROFIT;
    double a = mean[k - 1], b = mean[k], rise = b - a;
    *period = k - a / rise;
    double v = b * b * variance[k - 1] - 2 * a * b * covariance[k - 1] + a * a * variance[k];
    *se = sqrt(fmax(v, 0)) / (rise * rise);
    return FMC_BREAK_EVEN_FOUND;
}

/* A block's moments of the cumulative profit of one period, and its
 * co-moment with the next period's: sum of (C_t - mean)(C_{t+1} - mean). */
typedef struct period_moments {
    fmc_moments moments;
    double next;
} period_moments;

typedef struct break_even_state {
    const fmc_scenario *scenario;
    size_t inputs;
    int threads, own_threads;  /* fmc_run_setup's */
    const fmc_draws *draws;  /* the run's (fmc_run_setup.draws) */
    fmc_sampler *const *samplers;
    uint32_t periods;
    double discount_rate;
    size_t count;            /* the subsample's samples */
    double **subsample;      /* [input][count] the values as drawn */
    period_moments *blocks;  /* [block][periods] over a horizon */
    double *cumulative;      /* [thread][2][FMC_BLOCK_SIZE] two periods' cumulative profit */
} break_even_state;

static void break_even_free(void *state)
{
    break_even_state *b = state;
    if (!b)
        return;
    for (size_t j = 0; b->subsample && j < b->inputs; j++)
        free(b->subsample[j]);
    free(b->subsample);
    free(b->blocks);
    free(b->cumulative);
    free(b);
}

static fmc_status break_even_alloc(const fmc_run_setup *setup, void **state)
{
    *state = NULL;
    if (!setup->options->break_even)
        return FMC_OK;
    break_even_state *b = calloc(1, sizeof *b);
    if (!b)
        return FMC_ENOMEM;
    const fmc_scenario *s = setup->scenario;
    *b = (break_even_state){
        .scenario = s,
        .inputs = s->input_count,
        .threads = setup->threads,
        .own_threads = setup->own_threads,
        .draws = setup->draws,
        .samplers = setup->samplers,
        .periods = setup->periods,
        .discount_rate = s->horizon ? s->horizon->discount_rate : 0,
        .count = (size_t)(setup->samples < FMC_EQUIVALENT_SAMPLES ? setup->samples
                                                                  : FMC_EQUIVALENT_SAMPLES)};
    int failed = !(b->subsample = calloc(b->inputs, sizeof *b->subsample));
    for (size_t j = 0; !failed && j < b->inputs; j++)
        failed = !(b->subsample[j] = malloc((b->count ? b->count : 1) * sizeof(double)));
    if (!failed && b->periods) {
        b->blocks = calloc((size_t)SUBSAMPLE_BLOCKS * b->periods, sizeof *b->blocks);
        b->cumulative = malloc((size_t)b->threads * 2 * FMC_BLOCK_SIZE * sizeof *b->cumulative);
        failed = !b->blocks || !b->cumulative;
    }
    if (failed) {
        break_even_free(b);
        return FMC_ENOMEM;
    }
    *state = b;
    return FMC_OK;
}

/* The moments of block B's cumulative discounted profit, period by period,
 * on the thread's two arrays (period t's and t - 1's). */
static void period_moments_of_block(break_even_state *b, int thread, const fmc_block *block,
                                    size_t n)
{
    double *now = b->cumulative + (size_t)thread * 2 * FMC_BLOCK_SIZE, *before = now + FMC_BLOCK_SIZE;
    period_moments *moments = b->blocks + (block->first / FMC_BLOCK_SIZE) * b->periods;
    memset(now, 0, n * sizeof *now);
    for (uint32_t t = 1; t <= b->periods; t++) {
        double *swap = before;
        before = now;
        now = swap;
        double discount = fmc_horizon_discount(b->discount_rate, t);
        for (size_t i = 0; i < n; i++)
            now[i] = before[i] + discount * block->period_profit[t - 1][i];
        fmc_moments_of_block(&moments[t - 1].moments, now, n);
        if (t == 1)
            continue;
        double mean_before = moments[t - 2].moments.mean, mean_now = moments[t - 1].moments.mean;
        double co = 0;
        for (size_t i = 0; i < n; i++)
            co += (before[i] - mean_before) * (now[i] - mean_now);
        moments[t - 2].next = co;
    }
}

static void break_even_pilot(void *state, int thread, const fmc_block *block)
{
    break_even_state *b = state;
    if (block->first >= b->count)
        return;
    size_t n = b->count - block->first < block->count ? b->count - block->first : block->count;
    /* over a horizon the paths start from the values as drawn */
    const double *const *values = block->drawn ? block->drawn : block->inputs;
    for (size_t j = 0; j < b->inputs; j++)
        memcpy(b->subsample[j] + block->first, values[j], n * sizeof(double));
    if (b->periods)
        period_moments_of_block(b, thread, block, n);
}

/* Nothing is added after the pilot: the subsample is the pilot's. */
static void break_even_add(void *state, int thread, size_t slot, const fmc_block *block)
{
    (void)state, (void)thread, (void)slot, (void)block;
}

static void break_even_merge(void *state, size_t count)
{
    (void)state, (void)count;
}

/* The break-even value of input J into OUT, on ROOTS. */
static void solve_input(const break_even_state *b, const fmc_mean_root *roots, size_t j,
                        fmc_break_even_result *out)
{
    const fmc_input *input = &b->scenario->inputs[j];
    fmc_mean_equation e = {fmc_change_plain(j, FMC_CHANGE_SET, 0), NULL, 0};
    double value;
    if (isfinite(input->highest)) {
        value = fmc_mean_root_solve(roots, &e, input->lowest, input->highest, 0);
    } else {
        /* unbounded above: from the largest value drawn upwards */
        double largest = fmc_mean_root_largest(roots, j);
        value = fmc_mean_root_solve(roots, &e, input->lowest, fmax(largest, input->lowest) + 1, 1);
    }
    out->value[j] = value;
    out->se[j] = fmc_mean_root_se(roots, &e, NULL, value);
    out->kind[j] = isfinite(value)                                  ? FMC_BREAK_EVEN_FOUND
                   : fmc_mean_root_gap(roots, &e, input->lowest) > 0 ? FMC_BREAK_EVEN_ALWAYS_PROFIT
                                                                     : FMC_BREAK_EVEN_ALWAYS_LOSS;
}

/* The period's figures of OUT (periods > 0) from the blocks' moments. */
static fmc_status finish_periods(const break_even_state *b, fmc_break_even_result *out)
{
    uint32_t p = b->periods;
    fmc_moments *merged = calloc(p, sizeof *merged);
    double *variance = malloc(p * sizeof *variance), *covariance = calloc(p, sizeof *covariance);
    out->cumulative_mean = malloc(2 * (size_t)p * sizeof *out->cumulative_mean);
    if (!merged || !variance || !covariance || !out->cumulative_mean) {
        free(merged);
        free(variance);
        free(covariance);
        return FMC_ENOMEM;
    }
    out->periods = p;
    out->cumulative_se = out->cumulative_mean + p;
    size_t blocks = (b->count + FMC_BLOCK_SIZE - 1) / FMC_BLOCK_SIZE;
    for (uint32_t t = 0; t < p; t++)
        fmc_moments_init(&merged[t]);
    for (size_t k = 0; k < blocks; k++) {
        const period_moments *block = b->blocks + k * p;
        for (uint32_t t = 0; t < p; t++) {
            /* the co-moment's pairwise update needs the means before the merge */
            if (t + 1 < p) {
                double n_a = (double)merged[t].count, n_b = (double)block[t].moments.count;
                double n = n_a + n_b;
                if (n_a > 0)
                    covariance[t] += (block[t].moments.mean - merged[t].mean) *
                                     (block[t + 1].moments.mean - merged[t + 1].mean) * n_a * n_b /
                                     n;
                covariance[t] += block[t].next;
            }
            fmc_moments_merge(&merged[t], &block[t].moments);
        }
    }
    double n = (double)b->count;
    for (uint32_t t = 0; t < p; t++) {
        /* the variances and covariance of the means */
        variance[t] = n > 1 ? merged[t].m2 / (n - 1) / n : NAN;
        covariance[t] = n > 1 ? covariance[t] / (n - 1) / n : NAN;
        out->cumulative_mean[t] = merged[t].mean;
        out->cumulative_se[t] = sqrt(variance[t]);
    }
    out->period_kind = fmc_break_even_period(p, out->cumulative_mean, variance, covariance,
                                             &out->period, &out->period_se);
    free(merged);
    free(variance);
    free(covariance);
    return FMC_OK;
}

static fmc_status break_even_finish(void *state, struct fmc_run_result *result)
{
    break_even_state *b = state;
    fmc_break_even_result *out = &result->break_even;
    memset(out, 0, sizeof *out);
    out->period = out->period_se = NAN;
    size_t d = b->inputs;
    out->value = malloc(2 * (d ? d : 1) * sizeof *out->value);
    out->se = out->value ? out->value + d : NULL;
    out->kind = malloc((d ? d : 1) * sizeof *out->kind);
    fmc_mean_root_horizon horizon = {b->samplers, b->draws, b->periods};
    fmc_mean_root *roots = NULL;
    fmc_status status = out->value && out->kind
                            ? fmc_mean_root_alloc(b->scenario, (const double *const *)b->subsample,
                                                  b->count, b->periods ? &horizon : NULL,
                                                  b->own_threads, &roots)
                            : FMC_ENOMEM;
    if (status == FMC_OK) {
        out->inputs = d;
        out->samples = b->count;
        #pragma omp parallel for num_threads(fmc_mean_root_threads(roots)) schedule(dynamic, 1)
        for (size_t j = 0; j < d; j++)
            solve_input(b, roots, j, out);
        if (fmc_mean_root_failed(roots))
            status = FMC_ENOMEM;
    }
    if (status == FMC_OK && b->periods)
        status = finish_periods(b, out);
    fmc_mean_root_free(roots);
    if (status)
        fmc_break_even_result_clear(out);
    return status;
}

const fmc_accumulator_type fmc_break_even_accumulator = {
    "break-even", break_even_alloc, break_even_pilot, NULL, break_even_add, break_even_merge,
    NULL,         break_even_finish, break_even_free,
    NULL,  /* nothing to share: what it keeps is the pilot's, which every process makes */
};
