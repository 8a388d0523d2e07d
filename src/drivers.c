/* Sample-based sensitivity; see drivers.h for the measures and their
 * accuracy.  Blocks are summarised on their own (co-moments of inputs and
 * profit, profit moments per decile bin) and merged in block order; rank sums
 * are integers in per-thread arrays, summed at the end. */
#include "funnelmc/drivers.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/engine.h"
#include "funnelmc/model.h"
#include "funnelmc/series.h"
#include "dispatch.h"

#define SLOTS (FMC_FINE_BINS + 2)
/* u - 1/2 in units of 2^-24, from the top 24 bits of the word */
#define RANK_SHIFT 8
#define RANK_CENTRE (INT64_C(1) << 23)
/* (u - 1/2)^2 per coarse bin, u - 1/2 in units of 2^-13 from 12 bits of the
 * word (odd numbers -4095 .. 4095); squares below 2^24 let a bin take 2^40
 * samples of one thread */
#define COARSE_SHIFT 4
#define COARSE_SLOTS ((SLOTS >> COARSE_SHIFT) + 1)
#define SQUARE_SHIFT 20

typedef struct bin_moments {
    double count, mean, m2;
} bin_moments;

/* Summary of a set of samples: co-moments of (inputs, profit) and, per input
 * and decile bin, the moments of profit. */
typedef struct summary {
    double n;
    double *mean;     /* [vars] */
    double *comoment; /* [vars][vars] */
    bin_moments *bins;  /* [inputs][FMC_TORNADO_BINS] */
} summary;

/* Profit's ranks come from the run's fine histogram of profit: the same
 * bins over the pilot's range, counted here per thread. */
typedef struct fmc_drivers {
    const fmc_scenario *scenario;
    size_t inputs, vars;  /* vars = inputs + 1, profit last */
    int *fixed;
    int threads;
    size_t round_blocks;
    summary total;
    summary *blocks;      /* [round_blocks], pointing into block_means and block_bins */
    double *block_means;  /* [round_blocks][vars * (vars + 1)] one allocation, to share */
    bin_moments *block_bins;  /* [round_blocks][inputs * FMC_TORNADO_BINS] */
    int64_t *rank_sums;   /* [threads][inputs][SLOTS] */
    uint64_t *rank_squares;  /* [threads][inputs][COARSE_SLOTS] */
    fmc_pilot_ranges pilot;     /* profit's range in the pilot */
    fmc_histogram *profit_bins; /* [threads] */
} fmc_drivers;

static fmc_status summary_init(summary *s, size_t inputs, size_t vars)
{
    s->n = 0;
    s->mean = calloc(vars * (vars + 1), sizeof *s->mean);
    s->comoment = s->mean ? s->mean + vars : NULL;
    s->bins = calloc(inputs * FMC_TORNADO_BINS, sizeof *s->bins);
    return s->mean && s->bins ? FMC_OK : FMC_ENOMEM;
}

static void summary_clear(summary *s)
{
    free(s->mean);
    free(s->bins);
}

static void drivers_free(void *state)
{
    fmc_drivers *d = state;
    if (!d)
        return;
    for (int t = 0; d->profit_bins && t < d->threads; t++)
        fmc_histogram_clear(&d->profit_bins[t]);
    free(d->profit_bins);
    fmc_pilot_ranges_clear(&d->pilot);
    free(d->blocks);
    free(d->block_means);
    free(d->block_bins);
    summary_clear(&d->total);
    free(d->rank_sums);
    free(d->rank_squares);
    free(d->fixed);
    free(d);
}

static fmc_status drivers_alloc(const fmc_run_setup *setup, void **out)
{
    *out = NULL;
    if (!setup->options->drivers)
        return FMC_OK;
    const fmc_scenario *s = setup->scenario;
    size_t inputs = s->input_count, round_blocks = setup->round_blocks;
    int threads = setup->threads;
    fmc_drivers *d = calloc(1, sizeof *d);
    if (!d)
        return FMC_ENOMEM;
    d->scenario = s;
    d->inputs = inputs;
    d->vars = inputs + 1;
    d->threads = threads;
    d->round_blocks = round_blocks;
    d->fixed = malloc(inputs * sizeof *d->fixed);
    d->blocks = calloc(round_blocks, sizeof *d->blocks);
    d->block_means = calloc(round_blocks * d->vars * (d->vars + 1), sizeof *d->block_means);
    d->block_bins = calloc(round_blocks * inputs * FMC_TORNADO_BINS, sizeof *d->block_bins);
    d->rank_sums = calloc((size_t)threads * inputs * SLOTS, sizeof *d->rank_sums);
    d->rank_squares = calloc((size_t)threads * inputs * COARSE_SLOTS, sizeof *d->rank_squares);
    d->profit_bins = calloc((size_t)threads, sizeof *d->profit_bins);
    fmc_status status = d->fixed && d->blocks && d->block_means && d->block_bins &&
                                d->rank_sums && d->rank_squares && d->profit_bins
                            ? fmc_pilot_ranges_init(&d->pilot, 1, threads)
                            : FMC_ENOMEM;
    if (status == FMC_OK) {
        for (size_t j = 0; j < inputs; j++)
            d->fixed[j] = s->inputs[j].dist.kind == FMC_DIST_CONSTANT;
        status = summary_init(&d->total, inputs, d->vars);
    }
    for (size_t b = 0; status == FMC_OK && b < round_blocks; b++) {
        summary *block = &d->blocks[b];
        block->mean = d->block_means + b * d->vars * (d->vars + 1);
        block->comoment = block->mean + d->vars;
        block->bins = d->block_bins + b * inputs * FMC_TORNADO_BINS;
    }
    if (status) {
        drivers_free(d);
        return status;
    }
    *out = d;
    return FMC_OK;
}

/* Column V of the block: input V, or profit for the last. */
static const double *column(const fmc_drivers *d, const double *const *values,
                            const double *profit, size_t v)
{
    return v < d->inputs ? values[v] : profit;
}

/* Sum of (x - mx)(y - my) over N rows in LANES interleaved partial sums: a
 * fixed order (deterministic) that the compiler turns into vector adds, where
 * one running sum would be a chain of dependent adds. */
#define LANES 8

FMC_HOT_LOOP
static double centred_sum(const double *restrict x, double mx, size_t n)
{
    double lane[LANES] = {0};
    size_t whole = n - n % LANES;
    for (size_t i = 0; i < whole; i += LANES)
        for (int l = 0; l < LANES; l++)
            lane[l] += x[i + l] - mx;
    for (size_t i = whole; i < n; i++)
        lane[0] += x[i] - mx;
    double sum = 0;
    for (int l = 0; l < LANES; l++)
        sum += lane[l];
    return sum;
}

FMC_HOT_LOOP
static double centred_products(const double *restrict x, double mx, const double *restrict y,
                               double my, size_t n)
{
    double lane[LANES] = {0};
    size_t whole = n - n % LANES;
    for (size_t i = 0; i < whole; i += LANES)
        for (int l = 0; l < LANES; l++)
            lane[l] += (x[i + l] - mx) * (y[i + l] - my);
    for (size_t i = whole; i < n; i++)
        lane[0] += (x[i] - mx) * (y[i] - my);
    double sum = 0;
    for (int l = 0; l < LANES; l++)
        sum += lane[l];
    return sum;
}

static void block_comoments(const fmc_drivers *d, const double *const *values,
                            const double *profit, size_t n, summary *out)
{
    size_t vars = d->vars;
    double rows = (double)n;
    for (size_t v = 0; v < vars; v++) {
        const double *x = column(d, values, profit, v);
        out->mean[v] = x[0] + centred_sum(x, x[0], n) / rows;
    }
    /* Deviations from the block mean directly: two passes per pair keep the
     * digits. */
    for (size_t v = 0; v < vars; v++) {
        const double *x = column(d, values, profit, v);
        for (size_t w = v; w < vars; w++) {
            const double *y = column(d, values, profit, w);
            int fixed = (v < d->inputs && d->fixed[v]) || (w < d->inputs && d->fixed[w]);
            double sum = fixed ? 0 : centred_products(x, out->mean[v], y, out->mean[w], n);
            out->comoment[v * vars + w] = out->comoment[w * vars + v] = sum;
        }
    }
}

FMC_HOT_LOOP
static void block_bins(const fmc_drivers *d, const uint32_t *const *words, const double *profit,
                       size_t n, summary *out)
{
    const double y0 = profit[0];
    for (size_t j = 0; j < d->inputs; j++) {
        bin_moments *bins = out->bins + j * FMC_TORNADO_BINS;
        if (d->fixed[j]) {
            memset(bins, 0, FMC_TORNADO_BINS * sizeof *bins);
            continue;
        }
        double count[FMC_TORNADO_BINS] = {0}, sum[FMC_TORNADO_BINS] = {0},
               squares[FMC_TORNADO_BINS] = {0};
        for (size_t i = 0; i < n; i++) {
            size_t k = (size_t)(((uint64_t)words[j][i] * FMC_TORNADO_BINS) >> 32);
            double dy = profit[i] - y0;
            count[k] += 1;
            sum[k] += dy;
            squares[k] += dy * dy;
        }
        for (int k = 0; k < FMC_TORNADO_BINS; k++) {
            bins[k].count = count[k];
            bins[k].mean = count[k] > 0 ? y0 + sum[k] / count[k] : 0;
            bins[k].m2 = count[k] > 0 ? squares[k] - sum[k] * sum[k] / count[k] : 0;
        }
    }
}

static void drivers_pilot(void *state, int thread, const fmc_block *block)
{
    fmc_drivers *d = state;
    fmc_pilot_ranges_add(&d->pilot, thread, 0, block->outputs[FMC_OUT_PROFIT], block->count);
}

static fmc_status drivers_begin(void *state)
{
    fmc_drivers *d = state;
    fmc_range range = fmc_pilot_ranges_merged(&d->pilot, 0);
    for (int t = 0; t < d->threads; t++)
        if (fmc_histogram_init_from_pilot(&d->profit_bins[t], &range))
            return FMC_ENOMEM;
    return FMC_OK;
}

FMC_HOT_LOOP
static void drivers_add(void *state, int thread, size_t slot, const fmc_block *block)
{
    fmc_drivers *d = state;
    const uint32_t *const *words = block->words;
    const double *const *values = block->inputs;
    const double *profit = block->outputs[FMC_OUT_PROFIT];
    size_t n = block->count;
    fmc_histogram *profit_bins = &d->profit_bins[thread];
    summary *out = &d->blocks[slot];
    out->n = (double)n;
    block_comoments(d, values, profit, n, out);
    block_bins(d, words, profit, n, out);
    /* profit's slots once per chunk, then one input's rank sums at a time:
     * each input's slot array stays in cache while it is scattered into */
    enum { CHUNK = 1024 };
    uint32_t slots[CHUNK];
    int64_t *sums = d->rank_sums + (size_t)thread * d->inputs * SLOTS;
    uint64_t *squares = d->rank_squares + (size_t)thread * d->inputs * COARSE_SLOTS;
    for (size_t start = 0; start < n; start += CHUNK) {
        size_t count = n - start < CHUNK ? n - start : CHUNK;
        for (size_t i = 0; i < count; i++) {
            slots[i] = (uint32_t)fmc_histogram_slot(profit_bins, profit[start + i]);
            profit_bins->counts[slots[i]]++;
        }
        for (size_t j = 0; j < d->inputs; j++) {
            if (d->fixed[j])
                continue;
            int64_t *restrict input_sums = sums + j * SLOTS;
            uint64_t *restrict input_squares = squares + j * COARSE_SLOTS;
            const uint32_t *restrict w = words[j] + start;
            for (size_t i = 0; i < count; i++) {
                input_sums[slots[i]] += (int64_t)(w[i] >> RANK_SHIFT) - RANK_CENTRE;
                int64_t c = 2 * (int64_t)(w[i] >> SQUARE_SHIFT) + 1 - 4096;
                input_squares[slots[i] >> COARSE_SHIFT] += (uint64_t)(c * c);
            }
        }
    }
}

/* Chan, Golub & LeVeque's pairwise update of means and co-moments. */
static void summary_merge(summary *into, const summary *next, const fmc_drivers *d)
{
    size_t vars = d->vars;
    if (into->n == 0) {
        into->n = next->n;
        memcpy(into->mean, next->mean, vars * (vars + 1) * sizeof *into->mean);
        memcpy(into->bins, next->bins, d->inputs * FMC_TORNADO_BINS * sizeof *into->bins);
        return;
    }
    double na = into->n, nb = next->n, n = na + nb, weight = na * nb / n;
    for (size_t v = 0; v < vars; v++)
        for (size_t w = 0; w < vars; w++)
            into->comoment[v * vars + w] += next->comoment[v * vars + w] +
                                            (next->mean[v] - into->mean[v]) *
                                                (next->mean[w] - into->mean[w]) * weight;
    for (size_t v = 0; v < vars; v++)
        into->mean[v] += (next->mean[v] - into->mean[v]) * (nb / n);
    into->n = n;
    for (size_t b = 0; b < d->inputs * FMC_TORNADO_BINS; b++) {
        bin_moments *x = &into->bins[b];
        const bin_moments *y = &next->bins[b];
        if (y->count == 0)
            continue;
        if (x->count == 0) {
            *x = *y;
            continue;
        }
        double total = x->count + y->count, delta = y->mean - x->mean;
        x->m2 += y->m2 + delta * delta * x->count * y->count / total;
        x->mean += delta * (y->count / total);
        x->count = total;
    }
}

static void drivers_merge(void *state, size_t count)
{
    fmc_drivers *d = state;
    for (size_t b = 0; b < count; b++)
        summary_merge(&d->total, &d->blocks[b], d);
}

static void drivers_share(void *state, fmc_run_shares *shares)
{
    fmc_drivers *d = state;
    size_t means = d->vars * (d->vars + 1) * sizeof *d->block_means;
    size_t bins = d->inputs * FMC_TORNADO_BINS * sizeof *d->block_bins;
    fmc_run_shares_slots(shares, &d->blocks[0].n, sizeof *d->blocks, sizeof d->blocks[0].n);
    fmc_run_shares_slots(shares, d->block_means, means, means);
    fmc_run_shares_slots(shares, d->block_bins, bins, bins);
    fmc_run_shares_sum_i64(shares, d->rank_sums, (size_t)d->threads * d->inputs * SLOTS);
    fmc_run_shares_sum_u64(shares, d->rank_squares, (size_t)d->threads * d->inputs * COARSE_SLOTS);
    for (int t = 0; t < d->threads; t++)
        fmc_histogram_share(&d->profit_bins[t], shares);
}

void fmc_drivers_result_clear(fmc_drivers_result *r)
{
    if (!r)
        return;
    free(r->spearman);
    free(r->mean_order);
    memset(r, 0, sizeof *r);
}

void fmc_drivers_result_errors(fmc_drivers_result *r, fmc_error_visit visit, void *context)
{
    fmc_error_list(visit, context, r->spearman, r->spearman_se, NULL, r->count, 0);
    fmc_error_list(visit, context, r->src, r->src_se, NULL, r->count, 0);
    fmc_error_list(visit, context, r->bin_mean, r->bin_mean_se, NULL,
                   r->count * FMC_TORNADO_BINS, 0);
    fmc_error_list(visit, context, r->mean_range, r->mean_range_se, NULL, r->count, 0);
}

/* Sums over the threads of input J's sums of u - 1/2 per slot (SUM) and of
 * (u - 1/2)^2 per coarse slot (SQUARES). */
static void rank_totals(const fmc_drivers *d, size_t j, double *sum, double *squares)
{
    for (size_t b = 0; b < SLOTS; b++) {
        int64_t total = 0;
        for (int t = 0; t < d->threads; t++)
            total += d->rank_sums[((size_t)t * d->inputs + j) * SLOTS + b];
        sum[b] = (double)total * 0x1p-24;
    }
    for (size_t b = 0; b < COARSE_SLOTS; b++) {
        uint64_t total = 0;
        for (int t = 0; t < d->threads; t++)
            total += d->rank_squares[((size_t)t * d->inputs + j) * COARSE_SLOTS + b];
        squares[b] = (double)total * 0x1p-26;
    }
}

/* The standard error of rho (see drivers.h): E[psi^2] / n from SUM and
 * SQUARES of one input, profit's COUNTS and MID_RANK per slot and, per coarse
 * slot, the count-weighted mean of mid_rank^2 (COARSE_MID2). */
static double spearman_se(double rho, double n, const double *sum, const double *squares,
                          const uint64_t *counts, const double *mid_rank, const double *coarse_mid2)
{
    double above = 0, a_h = 0, h_h = 0, a_a = 0;
    for (size_t b = SLOTS; b-- > 0;) {
        double h = (above + sum[b] / 2) / n;  /* E[(U - 1/2) 1{Y > y}] at this slot */
        a_h += mid_rank[b] * h * sum[b];
        h_h += (double)counts[b] * h * h;
        above += sum[b];
    }
    for (size_t b = 0; b < COARSE_SLOTS; b++)
        a_a += squares[b] * coarse_mid2[b];
    double psi2 = 144 * (a_a + 2 * a_h + h_h) / n - 4 * rho * rho;
    return sqrt(fmax(psi2, 0) / n);
}

/* Spearman and its standard error from the integer rank sums and profit's
 * mid-ranks per slot. */
static fmc_status spearman(const fmc_drivers *d, const fmc_histogram *profit,
                           fmc_drivers_result *r)
{
    double n = d->total.n, below = 0, largest = 0;
    double *mid_rank = calloc(2 * SLOTS + 3 * COARSE_SLOTS, sizeof *mid_rank);
    if (!mid_rank)
        return FMC_ENOMEM;
    double *sum = mid_rank + SLOTS, *squares = sum + SLOTS, *coarse_mid2 = squares + COARSE_SLOTS;
    double *coarse_count = coarse_mid2 + COARSE_SLOTS;
    for (size_t b = 0; b < SLOTS; b++) {
        double c = (double)profit->counts[b];
        mid_rank[b] = (below + c / 2) / n - 0.5;
        below += c;
        largest = fmax(largest, c / n);
        coarse_mid2[b >> COARSE_SHIFT] += c * mid_rank[b] * mid_rank[b];
        coarse_count[b >> COARSE_SHIFT] += c;
    }
    for (size_t b = 0; b < COARSE_SLOTS; b++)
        coarse_mid2[b] = coarse_count[b] > 0 ? coarse_mid2[b] / coarse_count[b] : 0;
    r->spearman_resolution = 3 * largest;
    double sum_of_squares = 0;
    for (size_t j = 0; j < d->inputs; j++) {
        r->spearman[j] = r->spearman_se[j] = 0;
        if (d->fixed[j])
            continue;
        rank_totals(d, j, sum, squares);
        double total = 0;
        for (size_t b = 0; b < SLOTS; b++)
            total += sum[b] * mid_rank[b];
        r->spearman[j] = 12 * total / n;
        r->spearman_se[j] = spearman_se(r->spearman[j], n, sum, squares, profit->counts, mid_rank,
                                        coarse_mid2);
        sum_of_squares += r->spearman[j] * r->spearman[j];
    }
    for (size_t j = 0; j < d->inputs; j++)
        r->contribution[j] =
            sum_of_squares > 0 ? r->spearman[j] * r->spearman[j] / sum_of_squares : 0;
    free(mid_rank);
    return FMC_OK;
}

/* Least squares of profit on the uncertain inputs from the co-moments. */
static void regression(const fmc_drivers *d, fmc_drivers_result *r)
{
    size_t vars = d->vars, m = 0, y = d->inputs;
    const double *c = d->total.comoment;
    double n = d->total.n;
    size_t *used = malloc(d->inputs * sizeof *used);
    for (size_t j = 0; used && j < d->inputs; j++)
        if (!d->fixed[j] && c[j * vars + j] > 0)
            used[m++] = j;
    for (size_t j = 0; j < d->inputs; j++)
        r->src[j] = r->src_se[j] = 0;
    r->r_squared = NAN;
    if (!used || m == 0 || n <= m + 1 || !(c[y * vars + y] > 0)) {
        free(used);
        return;
    }
    gsl_matrix *xx = gsl_matrix_alloc(m, m);
    gsl_vector *xy = gsl_vector_alloc(m), *beta = gsl_vector_alloc(m);
    if (xx && xy && beta) {
        for (size_t a = 0; a < m; a++) {
            gsl_vector_set(xy, a, c[used[a] * vars + y]);
            for (size_t b = 0; b < m; b++)
                gsl_matrix_set(xx, a, b, c[used[a] * vars + used[b]]);
        }
        if (gsl_linalg_cholesky_decomp1(xx) == GSL_SUCCESS &&
            gsl_linalg_cholesky_solve(xx, xy, beta) == GSL_SUCCESS &&
            gsl_linalg_cholesky_invert(xx) == GSL_SUCCESS) {
            double explained = 0, syy = c[y * vars + y];
            for (size_t a = 0; a < m; a++)
                explained += gsl_vector_get(beta, a) * gsl_vector_get(xy, a);
            r->r_squared = explained / syy;
            /* residual variance per sample, and Var(beta) = s^2 (X'X)^-1 */
            double residual = fmax(syy - explained, 0) / (n - (double)m - 1);
            for (size_t a = 0; a < m; a++) {
                size_t j = used[a];
                double scale = sqrt(c[j * vars + j] / syy);
                r->src[j] = gsl_vector_get(beta, a) * scale;
                r->src_se[j] = sqrt(residual * gsl_matrix_get(xx, a, a)) * scale;
            }
        } else {
            for (size_t a = 0; a < m; a++)
                r->src[used[a]] = r->src_se[used[a]] = NAN;
        }
    }
    gsl_matrix_free(xx);
    gsl_vector_free(xy);
    gsl_vector_free(beta);
    free(used);
}

/* Input J's decile bin means, and the bar of the Monte Carlo tornado from
 * the lowest to the highest of them. */
static void decile_bars(const fmc_drivers *d, size_t j, fmc_drivers_result *r)
{
    int low = -1, high = -1;
    for (int k = 0; k < FMC_TORNADO_BINS; k++) {
        const bin_moments *b = &d->total.bins[j * FMC_TORNADO_BINS + k];
        double mean = b->count > 0 && !d->fixed[j] ? b->mean : NAN;
        r->bin_mean[j * FMC_TORNADO_BINS + k] = mean;
        r->bin_mean_se[j * FMC_TORNADO_BINS + k] =
            b->count > 1 ? sqrt(b->m2 / (b->count - 1) / b->count) : NAN;
        if (isnan(mean))
            continue;
        if (low < 0 || mean < r->bin_mean[j * FMC_TORNADO_BINS + low])
            low = k;
        if (high < 0 || mean > r->bin_mean[j * FMC_TORNADO_BINS + high])
            high = k;
    }
    r->mean_low[j] = low < 0 ? NAN : r->bin_mean[j * FMC_TORNADO_BINS + low];
    r->mean_high[j] = high < 0 ? NAN : r->bin_mean[j * FMC_TORNADO_BINS + high];
    r->mean_range[j] = r->mean_high[j] - r->mean_low[j];
    r->mean_range_se[j] = low < 0 ? NAN : hypot(r->bin_mean_se[j * FMC_TORNADO_BINS + low],
                                                r->bin_mean_se[j * FMC_TORNADO_BINS + high]);
}

/* Insertion sort: stable, and the input count is small. */
void fmc_drivers_order(fmc_drivers_result *r)
{
    for (size_t j = 0; j < r->count; j++)
        r->mean_order[j] = j;
    for (size_t a = 1; a < r->count; a++)
        for (size_t b = a; b > 0; b--) {
            double wider = r->mean_range[r->mean_order[b]], narrower = r->mean_range[r->mean_order[b - 1]];
            wider = isnan(wider) ? -1 : wider;  /* fixed inputs: no bins, last */
            narrower = isnan(narrower) ? -1 : narrower;
            if (!(wider > narrower))
                break;
            size_t t = r->mean_order[b];
            r->mean_order[b] = r->mean_order[b - 1];
            r->mean_order[b - 1] = t;
        }
}

static fmc_status drivers_finish(void *state, fmc_run_result *result)
{
    fmc_drivers *d = state;
    fmc_drivers_result *r = &result->drivers;
    fmc_histogram *profit = &d->profit_bins[0];
    for (int t = 1; t < d->threads; t++)
        fmc_histogram_merge(profit, &d->profit_bins[t]);
    memset(r, 0, sizeof *r);
    size_t inputs = d->inputs, bins = inputs * FMC_TORNADO_BINS;
    r->count = inputs;
    r->spearman = malloc((9 * inputs + 3 * bins + inputs) * sizeof *r->spearman);
    r->mean_order = malloc((inputs ? inputs : 1) * sizeof *r->mean_order);
    if (!r->spearman || !r->mean_order) {
        fmc_drivers_result_clear(r);
        return FMC_ENOMEM;
    }
    r->contribution = r->spearman + inputs;
    r->src = r->spearman + 2 * inputs;
    r->src_se = r->spearman + 3 * inputs;
    r->mean_low = r->spearman + 4 * inputs;
    r->mean_high = r->spearman + 5 * inputs;
    r->spearman_se = r->spearman + 6 * inputs;
    r->mean_range = r->spearman + 7 * inputs;
    r->mean_range_se = r->spearman + 8 * inputs;
    r->bin_mean = r->spearman + 9 * inputs;
    r->bin_mean_se = r->bin_mean + bins;
    r->bin_edges = r->bin_mean_se + bins;
    for (size_t j = 0; j < inputs; j++)
        for (int k = 0; k <= FMC_TORNADO_BINS; k++)
            r->bin_edges[j * (FMC_TORNADO_BINS + 1) + k] =
                fmc_dist_quantile(&d->scenario->inputs[j].dist, (double)k / FMC_TORNADO_BINS);
    if (spearman(d, profit, r) != FMC_OK) {
        fmc_drivers_result_clear(r);
        return FMC_ENOMEM;
    }
    regression(d, r);
    for (size_t j = 0; j < inputs; j++)
        decile_bars(d, j, r);
    fmc_drivers_order(r);
    return FMC_OK;
}

const fmc_accumulator_type fmc_drivers_accumulator = {
    "drivers",     drivers_alloc, drivers_pilot,  drivers_begin, drivers_add,
    drivers_merge, NULL,          drivers_finish, drivers_free,  drivers_share,
};
