#include "funnelmc/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const double fmc_quantile_levels[FMC_QUANTILE_COUNT] = {0.01, 0.05, 0.10, 0.25, 0.50,
                                                        0.75, 0.90, 0.95, 0.99};

void fmc_moments_init(fmc_moments *m)
{
    memset(m, 0, sizeof *m);
    m->min = INFINITY;
    m->max = -INFINITY;
}

/* Four interleaved partial sums in a fixed order: deterministic, and a shape
 * the compiler can turn into one vector add per step. */
#define LANES 4

void fmc_moments_of_block(fmc_moments *m, const double *x, size_t n)
{
    double sum[LANES] = {0}, lo[LANES], hi[LANES];
    uint64_t defined[LANES] = {0}, negative[LANES] = {0};
    for (int j = 0; j < LANES; j++) {
        lo[j] = INFINITY;
        hi[j] = -INFINITY;
    }
    size_t whole = n - n % LANES;
    for (size_t i = 0; i < whole; i += LANES)
        for (int j = 0; j < LANES; j++) {
            double v = x[i + j];
            int ok = v == v;
            sum[j] += ok ? v : 0.0;
            defined[j] += (uint64_t)ok;
            negative[j] += (uint64_t)(v < 0);
            lo[j] = v < lo[j] ? v : lo[j];
            hi[j] = v > hi[j] ? v : hi[j];
        }
    for (size_t i = whole; i < n; i++) {
        double v = x[i];
        int ok = v == v;
        sum[0] += ok ? v : 0.0;
        defined[0] += (uint64_t)ok;
        negative[0] += (uint64_t)(v < 0);
        lo[0] = v < lo[0] ? v : lo[0];
        hi[0] = v > hi[0] ? v : hi[0];
    }
    fmc_moments_init(m);
    for (int j = 0; j < LANES; j++) {
        m->count += defined[j];
        m->negative += negative[j];
        m->min = lo[j] < m->min ? lo[j] : m->min;
        m->max = hi[j] > m->max ? hi[j] : m->max;
    }
    m->undefined = n - m->count;
    if (m->count == 0)
        return;
    double total = (sum[0] + sum[1]) + (sum[2] + sum[3]);
    double mean = total / (double)m->count;
    /* A block of equal values must give exactly that value and zero spread. */
    if (m->min == m->max)
        mean = m->min;
    double sq[LANES] = {0};
    for (size_t i = 0; i < whole; i += LANES)
        for (int j = 0; j < LANES; j++) {
            double v = x[i + j], d = v - mean;
            sq[j] += v == v ? d * d : 0.0;
        }
    for (size_t i = whole; i < n; i++) {
        double v = x[i], d = v - mean;
        sq[0] += v == v ? d * d : 0.0;
    }
    m->mean = mean;
    m->m2 = (sq[0] + sq[1]) + (sq[2] + sq[3]);
}

void fmc_moments_merge(fmc_moments *into, const fmc_moments *next)
{
    into->undefined += next->undefined;
    into->negative += next->negative;
    into->min = next->min < into->min ? next->min : into->min;
    into->max = next->max > into->max ? next->max : into->max;
    if (next->count == 0)
        return;
    if (into->count == 0) {
        into->count = next->count;
        into->mean = next->mean;
        into->m2 = next->m2;
        return;
    }
    double na = (double)into->count, nb = (double)next->count, n = na + nb;
    double delta = next->mean - into->mean;
    into->mean += delta * (nb / n);
    into->m2 += next->m2 + delta * delta * (na * nb / n);
    into->count += next->count;
}

fmc_status fmc_histogram_init(fmc_histogram *h, double lo, double hi)
{
    if (!(hi > lo)) {
        double pad = fmax(fabs(lo), 1.0) * 1e-9;
        lo -= pad;
        hi += pad;
    }
    h->lo = lo;
    h->hi = hi;
    h->inverse_width = FMC_FINE_BINS / (hi - lo);
    h->counts = calloc(FMC_FINE_BINS + 2, sizeof *h->counts);
    return h->counts ? FMC_OK : FMC_ENOMEM;
}

void fmc_histogram_clear(fmc_histogram *h)
{
    free(h->counts);
    h->counts = NULL;
}

void fmc_histogram_reset(fmc_histogram *h)
{
    memset(h->counts, 0, (FMC_FINE_BINS + 2) * sizeof *h->counts);
}

void fmc_histogram_add(fmc_histogram *h, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        if (v != v)
            continue;
        /* Slot 0 is below lo, slot FMC_FINE_BINS + 1 above hi. */
        double position = (v - h->lo) * h->inverse_width;
        size_t slot = position < 0                ? 0
                      : position >= FMC_FINE_BINS ? FMC_FINE_BINS + 1
                                                  : (size_t)position + 1;
        h->counts[slot]++;
    }
}

void fmc_histogram_merge(fmc_histogram *into, const fmc_histogram *from)
{
    for (size_t i = 0; i < FMC_FINE_BINS + 2; i++)
        into->counts[i] += from->counts[i];
}

double fmc_histogram_resolution(const fmc_histogram *h)
{
    return (h->hi - h->lo) / FMC_FINE_BINS;
}

/* Left and right edge of histogram slot I, clipped to the data's extremes. */
static void slot_edges(const fmc_histogram *h, size_t i, double min, double max, double *left,
                       double *right)
{
    double width = fmc_histogram_resolution(h);
    *left = i == 0 ? min : h->lo + (double)(i - 1) * width;
    *right = i == FMC_FINE_BINS + 1 ? max : i == FMC_FINE_BINS ? h->hi : h->lo + (double)i * width;
    *left = fmin(fmax(*left, min), max);
    *right = fmin(fmax(*right, min), max);
}

double fmc_histogram_value_at_rank(const fmc_histogram *h, double rank, double min, double max)
{
    if (min == max)
        return min;
    double below = 0;
    for (size_t i = 0; i < FMC_FINE_BINS + 2; i++) {
        double in_slot = (double)h->counts[i];
        if (in_slot == 0)
            continue;
        if (below + in_slot >= rank) {
            double left, right;
            slot_edges(h, i, min, max, &left, &right);
            double share = (rank - below) / in_slot;
            share = share < 0 ? 0 : share;
            return left + share * (right - left);
        }
        below += in_slot;
    }
    return max;
}

void fmc_summarize(const fmc_moments *m, const fmc_histogram *h, double confidence,
                   fmc_output_summary *out)
{
    memset(out, 0, sizeof *out);
    out->count = m->count;
    out->undefined = m->undefined;
    out->min = m->min;
    out->max = m->max;
    out->mean = m->mean;
    if (m->count == 0) {
        out->mean = out->sd = out->se = out->p_loss = out->p_loss_se = NAN;
        out->min = out->max = NAN;
        for (int k = 0; k < FMC_QUANTILE_COUNT; k++)
            out->quantiles[k] = out->quantile_ci[k][0] = out->quantile_ci[k][1] = NAN;
        for (int b = 0; b <= FMC_HIST_BINS; b++)
            out->hist_edges[b] = NAN;
        out->quantile_resolution = NAN;
        return;
    }
    double n = (double)m->count;
    out->sd = m->count > 1 ? sqrt(m->m2 / (n - 1)) : 0.0;
    out->se = out->sd / sqrt(n);
    out->p_loss = (double)m->negative / n;
    out->p_loss_se = sqrt(out->p_loss * (1 - out->p_loss) / n);
    out->quantile_resolution = m->min == m->max ? 0.0 : fmc_histogram_resolution(h);

    double z = gsl_cdf_ugaussian_Pinv(0.5 + confidence / 2);
    for (int k = 0; k < FMC_QUANTILE_COUNT; k++) {
        double p = fmc_quantile_levels[k];
        double rank = n * p, spread = z * sqrt(n * p * (1 - p));
        out->quantiles[k] = fmc_histogram_value_at_rank(h, rank, m->min, m->max);
        out->quantile_ci[k][0] = fmc_histogram_value_at_rank(h, fmax(rank - spread, 0), m->min,
                                                             m->max);
        out->quantile_ci[k][1] = fmc_histogram_value_at_rank(h, fmin(rank + spread, n), m->min,
                                                             m->max);
    }

    /* FMC_HIST_BINS equal bins over [lo, hi]; the first and last stretch out
     * to the extremes so that the counts add up to every sample. */
    const size_t group = FMC_FINE_BINS / FMC_HIST_BINS;
    double width = (h->hi - h->lo) / FMC_HIST_BINS;
    for (size_t b = 0; b <= FMC_HIST_BINS; b++)
        out->hist_edges[b] = h->lo + (double)b * width;
    out->hist_edges[0] = fmin(m->min, h->lo);
    out->hist_edges[FMC_HIST_BINS] = fmax(m->max, h->hi);
    for (size_t b = 0; b < FMC_HIST_BINS; b++)
        for (size_t i = 0; i < group; i++)
            out->hist_counts[b] += h->counts[1 + b * group + i];
    out->hist_counts[0] += h->counts[0];
    out->hist_counts[FMC_HIST_BINS - 1] += h->counts[FMC_FINE_BINS + 1];
}
