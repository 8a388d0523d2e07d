/* The realised rank correlations of correlation_check.h.
 *
 * Population Spearman correlation of a pair with copula C:
 * rho_S = 12 E[(U - 1/2)(V - 1/2)] = 12 E[UV] - 3 (Nelsen, "An Introduction
 * to Copulas", 2nd ed. 2006, Theorem 5.1.6), estimated by the mean of
 * a = 12 (u - 1/2)(v - 1/2) over the samples, its standard error by
 * sd(a) / sqrt(n).  Per block and pair, the moments of a (stats.h) go into
 * the block's slot; merge takes the slots in block order. */
#include "funnelmc/correlation_check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/engine.h"
#include "funnelmc/levers.h"
#include "funnelmc/stats.h"

typedef struct check_state {
    const fmc_scenario *scenario;
    const fmc_rank_correlation *pairs;  /* the scenario's */
    size_t count;
    /* With pairs naming a lever's number (scenario->lever_copula), else
     * NULL: the numbers drawn again per block as the levers draw them */
    const fmc_draws *draws;
    int threads;
    fmc_sampler ***samplers;
    fmc_lever_values *numbers;  /* [threads] */
    int *measured;         /* [count] 1 when both quantities have words */
    size_t round_blocks;
    fmc_moments *slots;    /* [round_blocks][count] */
    fmc_moments *total;    /* [count] */
} check_state;

static void check_free(void *state)
{
    check_state *c = state;
    if (!c)
        return;
    for (int t = 0; c->numbers && t < c->threads; t++)
        fmc_lever_values_clear(&c->numbers[t]);
    free(c->numbers);
    fmc_lever_samplers_free(c->scenario, c->samplers);
    free(c->measured);
    free(c->slots);
    free(c->total);
    free(c);
}

/* Per-thread buffers and samplers for the levers' numbers. */
static fmc_status numbers_alloc(check_state *c, const fmc_run_setup *setup)
{
    c->draws = setup->draws;
    c->numbers = calloc((size_t)setup->threads, sizeof *c->numbers);
    if (!c->numbers)
        return FMC_ENOMEM;
    c->threads = setup->threads;
    fmc_status status = fmc_lever_samplers_alloc(c->scenario, &c->samplers);
    for (int t = 0; !status && t < c->threads; t++)
        status = fmc_lever_values_init(&c->numbers[t], c->scenario, FMC_BLOCK_SIZE);
    return status;
}

/* The words of quantity Q (an input, or a lever's number after them) in
 * BLOCK, correlated. */
static const uint32_t *words_of(const check_state *c, int thread, const fmc_block *block,
                                size_t q)
{
    size_t d = c->scenario->input_count;
    return q < d ? block->words[q] : c->numbers[thread].number_words[q - d];
}

static fmc_status check_alloc(const fmc_run_setup *setup, void **out)
{
    *out = NULL;
    const fmc_scenario *s = setup->scenario;
    if (s->correlation_count == 0)
        return FMC_OK;
    check_state *c = calloc(1, sizeof *c);
    if (!c)
        return FMC_ENOMEM;
    c->scenario = s;
    c->pairs = s->correlations;
    c->count = s->correlation_count;
    c->round_blocks = setup->round_blocks;
    c->measured = malloc(c->count * sizeof *c->measured);
    c->slots = calloc(c->round_blocks * c->count, sizeof *c->slots);
    c->total = calloc(c->count, sizeof *c->total);
    fmc_status status = c->measured && c->slots && c->total ? FMC_OK : FMC_ENOMEM;
    if (!status && s->lever_copula)
        status = numbers_alloc(c, setup);
    if (status) {
        check_free(c);
        return status;
    }
    size_t d = s->input_count, numbers = s->lever_copula ? fmc_lever_number_count(s) : 0;
    for (size_t p = 0; p < c->count; p++) {
        size_t q[2] = {c->pairs[p].first, c->pairs[p].second};
        c->measured[p] = 1;
        for (int k = 0; k < 2; k++)
            c->measured[p] &= q[k] < d ? s->inputs[q[k]].dist.kind != FMC_DIST_CONSTANT
                                       : q[k] - d < numbers;
    }
    *out = c;
    return FMC_OK;
}

/* u - 1/2 of a word, exactly. */
static double centred(uint32_t word)
{
    return ((double)word - 2147483647.5) * 0x1p-32;
}

static void check_add(void *state, int thread, size_t slot, const fmc_block *block)
{
    check_state *c = state;
    fmc_moments *out = c->slots + slot * c->count;
    double terms[FMC_BLOCK_SIZE];
    if (c->numbers)
        fmc_lever_values_draw(&c->numbers[thread], c->scenario,
                              (fmc_sampler *const *const *)c->samplers, c->draws, block->first,
                              block->count, 0);
    for (size_t p = 0; p < c->count; p++) {
        if (!c->measured[p]) {
            fmc_moments_init(&out[p]);
            continue;
        }
        const uint32_t *u = words_of(c, thread, block, c->pairs[p].first);
        const uint32_t *v = words_of(c, thread, block, c->pairs[p].second);
        for (size_t i = 0; i < block->count; i++)
            terms[i] = 12 * centred(u[i]) * centred(v[i]);
        fmc_moments_of_block(&out[p], terms, block->count);
    }
}

static void check_merge(void *state, size_t count)
{
    check_state *c = state;
    for (size_t b = 0; b < count; b++)
        for (size_t p = 0; p < c->count; p++)
            fmc_moments_merge(&c->total[p], &c->slots[b * c->count + p]);
}

static void check_share(void *state, fmc_run_shares *shares)
{
    check_state *c = state;
    size_t bytes = c->count * sizeof *c->slots;
    fmc_run_shares_slots(shares, c->slots, bytes, bytes);
}

static fmc_status check_finish(void *state, fmc_run_result *out)
{
    check_state *c = state;
    fmc_correlation_check_result *r = &out->correlations;
    r->pairs = calloc(c->count, sizeof *r->pairs);
    if (!r->pairs)
        return FMC_ENOMEM;
    r->count = c->count;
    for (size_t p = 0; p < c->count; p++) {
        const fmc_moments *m = &c->total[p];
        fmc_realised_correlation *x = &r->pairs[p];
        double n = (double)m->count;
        x->first = c->pairs[p].first;
        x->second = c->pairs[p].second;
        x->requested = c->pairs[p].rank;
        x->realised = c->measured[p] ? m->mean : NAN;
        x->realised_se = c->measured[p] && n > 1 ? sqrt(m->m2 / (n - 1) / n) : NAN;
        x->z = (x->realised - x->requested) / x->realised_se;
    }
    return FMC_OK;
}

void fmc_correlation_check_result_clear(fmc_correlation_check_result *result)
{
    if (!result)
        return;
    free(result->pairs);
    memset(result, 0, sizeof *result);
}

void fmc_correlation_check_result_errors(fmc_correlation_check_result *result,
                                         fmc_error_visit visit, void *context)
{
    for (size_t k = 0; k < result->count; k++)
        fmc_error_list(visit, context, &result->pairs[k].realised, &result->pairs[k].realised_se,
                       NULL, 1, 0);
}

void fmc_correlation_check_rescore(fmc_correlation_check_result *result)
{
    for (size_t k = 0; k < result->count; k++) {
        fmc_realised_correlation *p = &result->pairs[k];
        p->z = (p->realised - p->requested) / p->realised_se;
    }
}

const fmc_accumulator_type fmc_correlation_check_accumulator = {
    "correlation_check", check_alloc,  NULL,       NULL,       check_add,
    check_merge,         NULL,         check_finish, check_free, check_share,
};
