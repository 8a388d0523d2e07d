#include "funnelmc/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dispatch.h"

const double fmc_quantile_levels[FMC_QUANTILE_COUNT] = {0.01, 0.05, 0.10, 0.25, 0.50,
                                                        0.75, 0.90, 0.95, 0.99};

void fmc_moments_init(fmc_moments *m)
{
    memset(m, 0, sizeof *m);
}

/* LANES interleaved partial sums in a fixed order: deterministic, and a
 * shape the compiler turns into vector operations.  Counts are kept in
 * doubles (exact far beyond a block's size) so that every lane is one
 * vector type.  One pass of shifted sums, d = x - shift with shift the
 * block's first defined value:
 *   mean = shift + S1 / n,  M2 = S2 - S1^2 / n,  S1 = sum d, S2 = sum d^2.
 * The shift lies within a few sd of the block's mean, so S2 and S1^2 / n do
 * not cancel badly; a block of equal values gives exactly that value and a
 * spread of exactly 0. */
#define LANES 8

typedef struct lane_sums {
    double sum[LANES], squares[LANES], defined[LANES], negative[LANES], positive[LANES];
} lane_sums;

static inline void lanes_add(lane_sums *a, int j, double v, double shift)
{
    int ok = v == v;
    double d = ok ? v - shift : 0.0;
    a->sum[j] += d;
    a->squares[j] += d * d;
    a->defined[j] += ok ? 1.0 : 0.0;
    a->negative[j] += v < 0 ? 1.0 : 0.0;
    a->positive[j] += v > 0 ? 1.0 : 0.0;
}

FMC_HOT_LOOP
void fmc_moments_of_block(fmc_moments *m, const double *restrict x, size_t n)
{
    fmc_moments_init(m);
    size_t first = 0;
    while (first < n && x[first] != x[first])
        first++;
    m->undefined = first;
    if (first == n)
        return;
    x += first;
    n -= first;
    const double shift = x[0];
    lane_sums a = {{0}, {0}, {0}, {0}, {0}};
    size_t whole = n - n % LANES;
    for (size_t i = 0; i < whole; i += LANES)
        for (int j = 0; j < LANES; j++)
            lanes_add(&a, j, x[i + j], shift);
    for (size_t i = whole; i < n; i++)
        lanes_add(&a, 0, x[i], shift);

    double s1 = 0, s2 = 0;
    for (int j = 0; j < LANES; j++) {
        s1 += a.sum[j];
        s2 += a.squares[j];
        m->count += (uint64_t)a.defined[j];
        m->negative += (uint64_t)a.negative[j];
        m->positive += (uint64_t)a.positive[j];
    }
    m->undefined += n - m->count;
    double count = (double)m->count;
    m->mean = shift + s1 / count;
    m->m2 = fmax(s2 - s1 * s1 / count, 0.0);
}

void fmc_moments_merge(fmc_moments *into, const fmc_moments *next)
{
    into->undefined += next->undefined;
    into->negative += next->negative;
    into->positive += next->positive;
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
    h->min = INFINITY;
    h->max = -INFINITY;
    h->counts = calloc(FMC_FINE_BINS + 2, sizeof *h->counts);
    return h->counts ? FMC_OK : FMC_ENOMEM;
}

void fmc_histogram_clear(fmc_histogram *h)
{
    free(h->counts);
    h->counts = NULL;
}

FMC_HOT_LOOP
void fmc_histogram_add(fmc_histogram *h, const double *restrict x, size_t n)
{
    double lo = h->min, hi = h->max;
    uint64_t *restrict counts = h->counts;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        if (v != v)
            continue;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        counts[fmc_histogram_slot(h, v)]++;
    }
    h->min = lo;
    h->max = hi;
}

void fmc_histogram_merge(fmc_histogram *into, const fmc_histogram *from)
{
    for (size_t i = 0; i < FMC_FINE_BINS + 2; i++)
        into->counts[i] += from->counts[i];
    into->min = from->min < into->min ? from->min : into->min;
    into->max = from->max > into->max ? from->max : into->max;
}

double fmc_histogram_resolution(const fmc_histogram *h)
{
    return (h->hi - h->lo) / FMC_FINE_BINS;
}

/* Left and right edge of histogram slot I, clipped to the data's extremes. */
static void slot_edges(const fmc_histogram *h, size_t i, double *left, double *right)
{
    double width = fmc_histogram_resolution(h);
    *left = i == 0 ? h->min : h->lo + (double)(i - 1) * width;
    *right = i == FMC_FINE_BINS + 1 ? h->max : i == FMC_FINE_BINS ? h->hi : h->lo + (double)i * width;
    *left = fmin(fmax(*left, h->min), h->max);
    *right = fmin(fmax(*right, h->min), h->max);
}

double fmc_histogram_value_at_rank(const fmc_histogram *h, double rank)
{
    if (h->min == h->max)
        return h->min;
    double below = 0;
    for (size_t i = 0; i < FMC_FINE_BINS + 2; i++) {
        double in_slot = (double)h->counts[i];
        if (in_slot == 0)
            continue;
        if (below + in_slot >= rank) {
            double left, right;
            slot_edges(h, i, &left, &right);
            double share = (rank - below) / in_slot;
            share = share < 0 ? 0 : share;
            return left + share * (right - left);
        }
        below += in_slot;
    }
    return h->max;
}

double fmc_t_of_confidence(double confidence, uint32_t replicates)
{
    return gsl_cdf_tdist_Pinv((1 + confidence) / 2, (double)replicates - 1);
}

double fmc_z_of_confidence(double confidence)
{
    return gsl_cdf_ugaussian_Pinv(0.5 + confidence / 2);
}

double fmc_mean_half_width(const fmc_moments *m, double z)
{
    return m->count > 1 ? z * sqrt(m->m2 / (double)(m->count - 1) / (double)m->count) : INFINITY;
}

double fmc_proportion_se(double p, double n)
{
    return sqrt(p * (1 - p) / n);
}

void fmc_summarize(const fmc_moments *m, const fmc_histogram *h, double confidence,
                   fmc_output_summary *out)
{
    memset(out, 0, sizeof *out);
    out->count = m->count;
    out->undefined = m->undefined;
    out->min = h->min;
    out->max = h->max;
    out->mean = m->mean;
    if (m->count == 0) {
        out->mean = out->sd = out->se = out->p_loss = out->p_loss_se = NAN;
        out->mean_ci[0] = out->mean_ci[1] = NAN;
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
    out->p_loss_se = fmc_proportion_se(out->p_loss, n);
    out->quantile_resolution = h->min == h->max ? 0.0 : fmc_histogram_resolution(h);

    double z = fmc_z_of_confidence(confidence);
    out->mean_ci[0] = out->mean - z * out->se;
    out->mean_ci[1] = out->mean + z * out->se;
    for (int k = 0; k < FMC_QUANTILE_COUNT; k++) {
        double p = fmc_quantile_levels[k];
        double rank = n * p, spread = z * sqrt(n * p * (1 - p));
        out->quantiles[k] = fmc_histogram_value_at_rank(h, rank);
        out->quantile_ci[k][0] = fmc_histogram_value_at_rank(h, fmax(rank - spread, 0));
        out->quantile_ci[k][1] = fmc_histogram_value_at_rank(h, fmin(rank + spread, n));
    }

    /* FMC_HIST_BINS equal bins over [lo, hi]; the first and last stretch out
     * to the extremes so that the counts add up to every sample. */
    const size_t group = FMC_FINE_BINS / FMC_HIST_BINS;
    double width = (h->hi - h->lo) / FMC_HIST_BINS;
    for (size_t b = 0; b <= FMC_HIST_BINS; b++)
        out->hist_edges[b] = h->lo + (double)b * width;
    out->hist_edges[0] = fmin(h->min, h->lo);
    out->hist_edges[FMC_HIST_BINS] = fmax(h->max, h->hi);
    for (size_t b = 0; b < FMC_HIST_BINS; b++)
        for (size_t i = 0; i < group; i++)
            out->hist_counts[b] += h->counts[1 + b * group + i];
    out->hist_counts[0] += h->counts[0];
    out->hist_counts[FMC_HIST_BINS - 1] += h->counts[FMC_FINE_BINS + 1];
}

void fmc_output_summary_errors(fmc_output_summary *s, fmc_error_visit visit, void *context)
{
    fmc_error_list(visit, context, &s->mean, &s->se, &s->mean_ci, 1, 0);
    fmc_error_list(visit, context, &s->p_loss, &s->p_loss_se, NULL, 1, 0);
    fmc_error_list(visit, context, s->quantiles, NULL, s->quantile_ci, FMC_QUANTILE_COUNT, 0);
}
