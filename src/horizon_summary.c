/* What a run reports of a horizon; see horizon_summary.h.
 *
 * The median payback period and its interval, from the counts n_1 .. n_P
 * of samples paying back in periods 1 .. P and n_never (n in all): with
 * the sorted paybacks v_(1) <= ... <= v_(n), "never" sorting last as +inf,
 *   median  v_(ceil(n / 2)): the smallest t with n_1 + ... + n_t >= n / 2
 *   CI      [v_(lo), v_(hi)], lo = max(1, floor(n/2 - z sqrt(n)/2)),
 *           hi = min(n, ceil(n/2 + z sqrt(n)/2)), z = fmc_z_of_confidence
 * The CI is the distribution-free interval of a median from order
 * statistics: the count below the true median is binomial(n, 1/2), whose
 * normal approximation has these ranks as its z-limits (Conover,
 * "Practical Nonparametric Statistics", 3rd ed., 1999, sec. 3.2). */
#include "funnelmc/horizon_summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/engine.h"
#include "funnelmc/horizon.h"
#include "funnelmc/series.h"

/* The payback period at 1-based RANK of the counts: INFINITY in "never". */
static double period_at_rank(const uint64_t *counts, uint32_t periods, uint64_t rank)
{
    uint64_t below = 0;
    for (uint32_t t = 1; t <= periods; t++) {
        below += counts[t - 1];
        if (below >= rank)
            return t;
    }
    return INFINITY;
}

fmc_status fmc_payback_summarize(const uint64_t *counts, uint32_t periods, double confidence,
                                 fmc_payback_summary *out)
{
    memset(out, 0, sizeof *out);
    out->counts = malloc(((size_t)periods + 1) * sizeof *out->counts);
    if (!out->counts)
        return FMC_ENOMEM;
    memcpy(out->counts, counts, ((size_t)periods + 1) * sizeof *counts);
    out->periods = periods;
    for (uint32_t t = 0; t <= periods; t++)
        out->total += counts[t];
    uint64_t n = out->total;
    if (n == 0) {
        out->median = out->median_ci[0] = out->median_ci[1] = NAN;
        out->p_never = out->p_never_se = NAN;
        return FMC_OK;
    }
    double half = (double)n / 2, spread = fmc_z_of_confidence(confidence) * sqrt((double)n) / 2;
    double lo = floor(half - spread), hi = ceil(half + spread);
    out->median = period_at_rank(counts, periods, (n + 1) / 2);
    out->median_ci[0] = period_at_rank(counts, periods, lo < 1 ? 1 : (uint64_t)lo);
    out->median_ci[1] = period_at_rank(counts, periods, hi > (double)n ? n : (uint64_t)hi);
    out->p_never = (double)counts[periods] / (double)n;
    out->p_never_se = fmc_proportion_se(out->p_never, (double)n);
    return FMC_OK;
}

void fmc_payback_summary_clear(fmc_payback_summary *s)
{
    if (!s)
        return;
    free(s->counts);
    memset(s, 0, sizeof *s);
}

void fmc_horizon_result_clear(fmc_horizon_result *r)
{
    if (!r)
        return;
    free(r->profit);
    fmc_payback_summary_clear(&r->payback);
    memset(r, 0, sizeof *r);
}

void fmc_payback_summary_errors(fmc_payback_summary *s, fmc_error_visit visit, void *context)
{
    fmc_error_list(visit, context, &s->median, NULL, &s->median_ci, 1, 0);
    fmc_error_list(visit, context, &s->p_never, &s->p_never_se, NULL, 1, 0);
}

void fmc_horizon_result_errors(fmc_horizon_result *r, fmc_error_visit visit, void *context)
{
    if (!r->periods)
        return;
    for (uint32_t t = 0; t < r->periods; t++)
        fmc_output_summary_errors(&r->profit[t], visit, context);
    fmc_payback_summary_errors(&r->payback, visit, context);
}

typedef struct horizon_state {
    uint32_t periods;
    int threads;
    double discount_rate, confidence;
    /* [periods] each period's profit; one histogram per period for all
     * threads, so that memory does not grow with the threads times periods */
    fmc_series_set *profit;
    uint32_t *payback;       /* [threads][FMC_BLOCK_SIZE] a block's payback periods */
    uint64_t *counts;        /* [threads][periods + 1] samples per payback period */
} horizon_state;

static void horizon_free(void *state)
{
    horizon_state *h = state;
    if (!h)
        return;
    fmc_series_set_free(h->profit);
    free(h->payback);
    free(h->counts);
    free(h);
}

static fmc_status horizon_alloc(const fmc_run_setup *setup, void **state)
{
    *state = NULL;
    if (setup->periods == 0)
        return FMC_OK;
    horizon_state *h = calloc(1, sizeof *h);
    if (!h)
        return FMC_ENOMEM;
    h->periods = setup->periods;
    h->threads = setup->threads;
    h->discount_rate = setup->scenario->horizon->discount_rate;
    h->confidence = setup->scenario->confidence;
    size_t threads = (size_t)setup->threads;
    h->payback = malloc(threads * FMC_BLOCK_SIZE * sizeof *h->payback);
    h->counts = calloc(threads * ((size_t)h->periods + 1), sizeof *h->counts);
    if (!h->payback || !h->counts ||
        fmc_series_set_alloc_shared(h->periods, setup->threads, setup->round_blocks,
                                    &h->profit)) {
        horizon_free(h);
        return FMC_ENOMEM;
    }
    *state = h;
    return FMC_OK;
}

static void horizon_pilot(void *state, int thread, const fmc_block *block)
{
    horizon_state *h = state;
    for (uint32_t t = 0; t < h->periods; t++)
        fmc_series_set_pilot(h->profit, thread, t, block->period_profit[t], block->count);
}

static fmc_status horizon_begin(void *state)
{
    return fmc_series_set_begin(((horizon_state *)state)->profit);
}

static void horizon_add(void *state, int thread, size_t slot, const fmc_block *block)
{
    horizon_state *h = state;
    /* each thread starts at another period: not all at one period's lock */
    for (uint32_t k = 0; k < h->periods; k++) {
        uint32_t t = (uint32_t)(((uint64_t)k + (uint64_t)thread) % h->periods);
        fmc_series_set_add(h->profit, thread, slot, t, block->period_profit[t], block->count);
    }
    uint32_t *payback = h->payback + (size_t)thread * FMC_BLOCK_SIZE;
    uint64_t *counts = h->counts + (size_t)thread * ((size_t)h->periods + 1);
    fmc_horizon_payback(h->discount_rate, h->periods, block->period_profit, block->count, payback);
    for (size_t i = 0; i < block->count; i++)
        counts[payback[i] - 1]++;
}

static void horizon_merge(void *state, size_t count)
{
    fmc_series_set_merge_round(((horizon_state *)state)->profit, count);
}

static void horizon_share(void *state, fmc_run_shares *shares)
{
    horizon_state *h = state;
    fmc_series_set_share(h->profit, shares);
    fmc_run_shares_sum_u64(shares, h->counts, (size_t)h->threads * ((size_t)h->periods + 1));
}

static fmc_status horizon_finish(void *state, fmc_run_result *out)
{
    horizon_state *h = state;
    fmc_horizon_result *r = &out->horizon;
    size_t columns = (size_t)h->periods + 1;
    for (int thread = 1; thread < h->threads; thread++)
        for (size_t t = 0; t < columns; t++)
            h->counts[t] += h->counts[(size_t)thread * columns + t];
    r->profit = malloc(h->periods * sizeof *r->profit);
    if (!r->profit ||
        fmc_payback_summarize(h->counts, h->periods, h->confidence, &r->payback)) {
        fmc_horizon_result_clear(r);
        return FMC_ENOMEM;
    }
    for (uint32_t t = 0; t < h->periods; t++)
        fmc_series_set_summarize(h->profit, t, h->confidence, &r->profit[t]);
    r->periods = h->periods;
    r->discount_rate = h->discount_rate;
    return FMC_OK;
}

const fmc_accumulator_type fmc_horizon_accumulator = {
    "horizon",     horizon_alloc, horizon_pilot,  horizon_begin, horizon_add,
    horizon_merge, NULL,          horizon_finish, horizon_free,  horizon_share,
};
