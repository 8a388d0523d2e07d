/* Levers over a horizon, period by period; see lever_periods.h. */
#include "funnelmc/lever_periods.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/accumulator.h"
#include "funnelmc/horizon.h"
#include "funnelmc/series.h"
#include "carve.h"

struct fmc_lever_periods {
    size_t levers;
    uint32_t periods;
    double discount_rate;
    int threads;
    size_t block;
    fmc_moment_set *moments;  /* [lever][gain, net][period] */
    uint64_t *counts;         /* [thread][lever][periods + 1] payback periods */
    uint32_t *payback;        /* [thread][block] scratch */
};

static size_t series_of(const fmc_lever_periods *p, size_t lever, int net, uint32_t t)
{
    return (2 * lever + (size_t)net) * p->periods + t;
}

void fmc_lever_periods_free(fmc_lever_periods *p)
{
    if (!p)
        return;
    fmc_moment_set_free(p->moments);
    free(p->counts);
    free(p->payback);
    free(p);
}

fmc_status fmc_lever_periods_alloc(size_t levers, uint32_t periods, double discount_rate,
                                   int threads, size_t round_blocks, size_t block,
                                   fmc_lever_periods **out)
{
    *out = NULL;
    fmc_lever_periods *p = calloc(1, sizeof *p);
    if (!p)
        return FMC_ENOMEM;
    *p = (fmc_lever_periods){levers, periods, discount_rate, threads, block, NULL, NULL, NULL};
    p->counts = calloc((size_t)threads * levers * (periods + 1), sizeof *p->counts);
    p->payback = malloc((size_t)threads * block * sizeof *p->payback);
    if (!p->counts || !p->payback ||
        fmc_moment_set_alloc(2 * levers * periods, round_blocks, &p->moments)) {
        fmc_lever_periods_free(p);
        return FMC_ENOMEM;
    }
    *out = p;
    return FMC_OK;
}

void fmc_lever_periods_share(fmc_lever_periods *p, fmc_run_shares *shares)
{
    fmc_moment_set_share(p->moments, shares);
    fmc_run_shares_sum_u64(shares, p->counts, (size_t)p->threads * p->levers * (p->periods + 1));
}

void fmc_lever_periods_add(fmc_lever_periods *p, int thread, size_t slot, size_t lever,
                           const double *const *baseline, double *const *profit,
                           double *const *own_cost, size_t count)
{
    for (uint32_t t = 0; t < p->periods; t++) {
        double *gain = profit[t], *net = own_cost[t];
        for (size_t i = 0; i < count; i++) {
            gain[i] -= baseline[t][i];
            net[i] = gain[i] - net[i];
        }
        fmc_moment_set_add(p->moments, slot, series_of(p, lever, 0, t), gain, count);
        fmc_moment_set_add(p->moments, slot, series_of(p, lever, 1, t), net, count);
    }
    uint32_t *payback = p->payback + (size_t)thread * p->block;
    fmc_horizon_payback(p->discount_rate, p->periods, (const double *const *)own_cost, count,
                        payback);
    uint64_t *counts = p->counts + ((size_t)thread * p->levers + lever) * (p->periods + 1);
    for (size_t i = 0; i < count; i++)
        counts[payback[i] - 1]++;
}

void fmc_lever_periods_merge_round(fmc_lever_periods *p, size_t count)
{
    fmc_moment_set_merge_round(p->moments, count);
}

/* The mean of series K and its standard error. */
static void mean_and_se(const fmc_lever_periods *p, size_t k, double *mean, double *se)
{
    const fmc_moments *m = fmc_moment_set_moments(p->moments, k);
    *mean = m->count ? m->mean : NAN;
    *se = fmc_mean_half_width(m, 1);
}

fmc_status fmc_lever_periods_finish(const fmc_lever_periods *p, double confidence,
                                    fmc_lever_results *out)
{
    size_t n = p->levers * p->periods, width = p->periods + 1;
    const fmc_carving doubles[] = {{&out->period_gain, n}, {&out->period_gain_se, n},
                                   {&out->period_net, n},  {&out->period_net_se, n}};
    double *block = calloc(fmc_carving_total(doubles, 4), sizeof *block);
    uint64_t *counts = calloc(width, sizeof *counts);
    out->payback = calloc(p->levers, sizeof *out->payback);
    fmc_status status = block && counts && out->payback ? FMC_OK : FMC_ENOMEM;
    if (block)
        fmc_carve(block, doubles, 4);
    out->periods = p->periods;
    for (size_t l = 0; l < p->levers && !status; l++) {
        for (uint32_t t = 0; t < p->periods; t++) {
            size_t at = l * p->periods + t;
            mean_and_se(p, series_of(p, l, 0, t), &out->period_gain[at], &out->period_gain_se[at]);
            mean_and_se(p, series_of(p, l, 1, t), &out->period_net[at], &out->period_net_se[at]);
        }
        memset(counts, 0, width * sizeof *counts);
        for (int th = 0; th < p->threads; th++)
            for (size_t k = 0; k < width; k++)
                counts[k] += p->counts[((size_t)th * p->levers + l) * width + k];
        status = fmc_payback_summarize(counts, p->periods, confidence, &out->payback[l]);
    }
    free(counts);
    if (status) {
        for (size_t l = 0; out->payback && l < p->levers; l++)
            fmc_payback_summary_clear(&out->payback[l]);
        free(out->payback);
        free(block);
        out->payback = NULL;
        out->period_gain = out->period_gain_se = out->period_net = out->period_net_se = NULL;
        out->periods = 0;
    }
    return status;
}
