/* The first-order share of a lever's net-gain variance from the inputs;
 * see variance_split.h for the estimator and its source. */
#include "funnelmc/variance_split.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/accumulator.h"
#include "funnelmc/series.h"

void fmc_split_block(double shift, const double *g, const double *g2, size_t n,
                     fmc_split_sums *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        double u = g[i] - shift, v = g2[i] - shift;
        double up[5] = {1, u, u * u, u * u * u, u * u * u * u};
        double vp[5] = {1, v, v * v, v * v * v, v * v * v * v};
        for (int a = 0; a <= 4; a++)
            for (int b = 0; a + b <= 4; b++)
                out->sums[a][b] += up[a] * vp[b];
    }
}

void fmc_split_merge(fmc_split_sums *into, const fmc_split_sums *next)
{
    for (int a = 0; a <= 4; a++)
        for (int b = 0; a + b <= 4; b++)
            into->sums[a][b] += next->sums[a][b];
}

/* E[(g - m)^a (g' - m)^b] from the raw moments RAW[i][j] = E[g^i g'^j]. */
static double central(const double raw[5][5], double m, int a, int b)
{
    static const double choose[5][5] = {
        {1, 0, 0, 0, 0}, {1, 1, 0, 0, 0}, {1, 2, 1, 0, 0}, {1, 3, 3, 1, 0}, {1, 4, 6, 4, 1}};
    double total = 0;
    for (int i = 0; i <= a; i++)
        for (int j = 0; j <= b; j++)
            total += choose[a][i] * choose[b][j] * raw[i][j] * pow(-m, a - i + b - j);
    return total;
}

void fmc_split_estimate(const fmc_split_sums *total, double *share, double *se)
{
    double n = total->sums[0][0];
    *share = *se = NAN;
    if (!(n >= 2))
        return;
    double raw[5][5] = {{0}};
    for (int a = 0; a <= 4; a++)
        for (int b = 0; a + b <= 4; b++)
            raw[a][b] = total->sums[a][b] / n;
    double m = (raw[1][0] + raw[0][1]) / 2;
    double covariance = central(raw, m, 1, 1);
    double variance = (central(raw, m, 2, 0) + central(raw, m, 0, 2)) / 2;
    if (!(variance > 0))
        return;
    double s = covariance / variance;
    /* E[psi^2], psi = uv - S/2 (u^2 + v^2) */
    double psi2 = central(raw, m, 2, 2) - s * (central(raw, m, 3, 1) + central(raw, m, 1, 3)) +
                  s * s / 4 * (central(raw, m, 4, 0) + 2 * central(raw, m, 2, 2) + central(raw, m, 0, 4));
    *share = s;
    *se = sqrt(fmax(psi2, 0) / n) / variance;
}

struct fmc_split_set {
    size_t count;
    fmc_pilot_ranges pilot;
    double *shift;             /* [count] */
    fmc_split_sums *blocks;    /* [round_blocks][count] */
    unsigned char *added;      /* [round_blocks][count] 1 where a block was added */
    fmc_split_sums *totals;    /* [count] */
};

void fmc_split_set_free(fmc_split_set *set)
{
    if (!set)
        return;
    fmc_pilot_ranges_clear(&set->pilot);
    free(set->shift);
    free(set->blocks);
    free(set->added);
    free(set->totals);
    free(set);
}

fmc_status fmc_split_set_alloc(size_t count, int threads, size_t round_blocks,
                               fmc_split_set **out)
{
    *out = NULL;
    fmc_split_set *set = calloc(1, sizeof *set);
    if (!set)
        return FMC_ENOMEM;
    size_t k = count ? count : 1;
    set->count = count;
    set->shift = calloc(k, sizeof *set->shift);
    set->blocks = malloc(round_blocks * k * sizeof *set->blocks);
    set->added = calloc(round_blocks * k, 1);
    set->totals = calloc(k, sizeof *set->totals);
    if (!set->shift || !set->blocks || !set->added || !set->totals ||
        fmc_pilot_ranges_init(&set->pilot, count, threads)) {
        fmc_split_set_free(set);
        return FMC_ENOMEM;
    }
    *out = set;
    return FMC_OK;
}

void fmc_split_set_pilot(fmc_split_set *set, int thread, size_t k, const double *g, size_t n)
{
    fmc_pilot_ranges_add(&set->pilot, thread, k, g, n);
}

void fmc_split_set_begin(fmc_split_set *set)
{
    for (size_t k = 0; k < set->count; k++) {
        fmc_range range = fmc_pilot_ranges_merged(&set->pilot, k);
        set->shift[k] = range.lo <= range.hi ? range.lo / 2 + range.hi / 2 : 0;
    }
}

void fmc_split_set_add(fmc_split_set *set, size_t slot, size_t k, const double *g,
                       const double *g2, size_t n)
{
    fmc_split_block(set->shift[k], g, g2, n, &set->blocks[slot * set->count + k]);
    set->added[slot * set->count + k] = 1;
}

void fmc_split_set_merge_round(fmc_split_set *set, size_t count)
{
    for (size_t b = 0; b < count; b++)
        for (size_t k = 0; k < set->count; k++)
            if (set->added[b * set->count + k]) {
                fmc_split_merge(&set->totals[k], &set->blocks[b * set->count + k]);
                set->added[b * set->count + k] = 0;
            }
}

void fmc_split_set_share(fmc_split_set *set, fmc_run_shares *shares)
{
    size_t k = set->count ? set->count : 1;
    fmc_run_shares_slots(shares, set->blocks, k * sizeof *set->blocks, k * sizeof *set->blocks);
    fmc_run_shares_slots(shares, set->added, k, k);
}

void fmc_split_set_estimate(const fmc_split_set *set, size_t k, double *share, double *se)
{
    fmc_split_estimate(&set->totals[k], share, se);
}
