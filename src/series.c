/* Series of a run: block moments merged in slot order, histograms per
 * thread; see series.h. */
#include "funnelmc/series.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include "funnelmc/accumulator.h"

struct fmc_moment_set {
    size_t count;
    fmc_moments *block_moments;  /* [round_blocks][count] */
    fmc_moments *totals;         /* [count] */
};

struct fmc_series_set {
    size_t count;
    int threads;
    int owners;                  /* histograms per series: threads, or 1 when shared */
    fmc_moment_set *moments;
    fmc_pilot_ranges pilot;
    fmc_histogram *histograms;   /* [owners][count] */
    omp_lock_t *locks;           /* [count] when shared; else NULL */
};

void fmc_moment_set_free(fmc_moment_set *set)
{
    if (!set)
        return;
    free(set->totals);
    free(set->block_moments);
    free(set);
}

fmc_status fmc_moment_set_alloc(size_t count, size_t round_blocks, fmc_moment_set **out)
{
    *out = NULL;
    fmc_moment_set *set = calloc(1, sizeof *set);
    if (!set)
        return FMC_ENOMEM;
    set->count = count;
    size_t per_round = round_blocks * count;
    set->block_moments = malloc((per_round ? per_round : 1) * sizeof *set->block_moments);
    set->totals = malloc((count ? count : 1) * sizeof *set->totals);
    if (!set->block_moments || !set->totals) {
        fmc_moment_set_free(set);
        return FMC_ENOMEM;
    }
    for (size_t k = 0; k < count; k++)
        fmc_moments_init(&set->totals[k]);
    *out = set;
    return FMC_OK;
}

void fmc_moment_set_add(fmc_moment_set *set, size_t slot, size_t k, const double *x, size_t n)
{
    fmc_moments_of_block(&set->block_moments[slot * set->count + k], x, n);
}

void fmc_moment_set_merge_round(fmc_moment_set *set, size_t count)
{
    for (size_t b = 0; b < count; b++)
        for (size_t k = 0; k < set->count; k++)
            fmc_moments_merge(&set->totals[k], &set->block_moments[b * set->count + k]);
}

const fmc_moments *fmc_moment_set_moments(const fmc_moment_set *set, size_t k)
{
    return &set->totals[k];
}

void fmc_moment_set_share(fmc_moment_set *set, fmc_run_shares *shares)
{
    size_t slot = set->count * sizeof *set->block_moments;
    fmc_run_shares_slots(shares, set->block_moments, slot, slot);
}

void fmc_range_init(fmc_range *r)
{
    r->lo = INFINITY;
    r->hi = -INFINITY;
}

void fmc_range_add(fmc_range *r, const double *x, size_t n)
{
    double lo = r->lo, hi = r->hi;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];  /* NaN compares false: skipped */
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    r->lo = lo;
    r->hi = hi;
}

void fmc_range_merge(fmc_range *into, const fmc_range *from)
{
    into->lo = from->lo < into->lo ? from->lo : into->lo;
    into->hi = from->hi > into->hi ? from->hi : into->hi;
}

fmc_status fmc_pilot_ranges_init(fmc_pilot_ranges *p, size_t count, int threads)
{
    size_t n = (size_t)threads * count;
    p->count = count;
    p->threads = threads;
    p->ranges = malloc((n ? n : 1) * sizeof *p->ranges);
    for (size_t i = 0; p->ranges && i < n; i++)
        fmc_range_init(&p->ranges[i]);
    return p->ranges ? FMC_OK : FMC_ENOMEM;
}

void fmc_pilot_ranges_clear(fmc_pilot_ranges *p)
{
    free(p->ranges);
    p->ranges = NULL;
}

void fmc_pilot_ranges_add(fmc_pilot_ranges *p, int thread, size_t k, const double *x, size_t n)
{
    fmc_range_add(&p->ranges[(size_t)thread * p->count + k], x, n);
}

fmc_range fmc_pilot_ranges_merged(const fmc_pilot_ranges *p, size_t k)
{
    fmc_range range = p->ranges[k];
    for (int t = 1; t < p->threads; t++)
        fmc_range_merge(&range, &p->ranges[(size_t)t * p->count + k]);
    return range;
}

fmc_status fmc_histogram_init_from_pilot(fmc_histogram *h, const fmc_range *pilot)
{
    if (pilot->lo > pilot->hi)
        return fmc_histogram_init(h, 0.0, 1.0);
    return fmc_histogram_init(h, pilot->lo, pilot->hi);
}

void fmc_histogram_share(fmc_histogram *h, fmc_run_shares *shares)
{
    fmc_run_shares_sum_u64(shares, h->counts, FMC_FINE_BINS + 2);
    fmc_run_shares_min(shares, &h->min, 1);
    fmc_run_shares_max(shares, &h->max, 1);
}

void fmc_series_set_free(fmc_series_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; set->histograms && i < (size_t)set->owners * set->count; i++)
        fmc_histogram_clear(&set->histograms[i]);
    free(set->histograms);
    for (size_t k = 0; set->locks && k < set->count; k++)
        omp_destroy_lock(&set->locks[k]);
    free(set->locks);
    fmc_pilot_ranges_clear(&set->pilot);
    fmc_moment_set_free(set->moments);
    free(set);
}

static fmc_status series_set_alloc(size_t count, int threads, size_t round_blocks, int shared,
                                   fmc_series_set **out)
{
    *out = NULL;
    fmc_series_set *set = calloc(1, sizeof *set);
    if (!set)
        return FMC_ENOMEM;
    set->count = count;
    set->threads = threads;
    set->owners = shared ? 1 : threads;
    size_t histograms = (size_t)set->owners * count;
    set->histograms = calloc(histograms ? histograms : 1, sizeof *set->histograms);
    if (shared && (set->locks = malloc((count ? count : 1) * sizeof *set->locks)))
        for (size_t k = 0; k < count; k++)
            omp_init_lock(&set->locks[k]);
    if (!set->histograms || (shared && !set->locks) ||
        fmc_moment_set_alloc(count, round_blocks, &set->moments) ||
        fmc_pilot_ranges_init(&set->pilot, count, threads)) {
        fmc_series_set_free(set);
        return FMC_ENOMEM;
    }
    *out = set;
    return FMC_OK;
}

fmc_status fmc_series_set_alloc(size_t count, int threads, size_t round_blocks,
                                fmc_series_set **out)
{
    return series_set_alloc(count, threads, round_blocks, 0, out);
}

fmc_status fmc_series_set_alloc_shared(size_t count, int threads, size_t round_blocks,
                                       fmc_series_set **out)
{
    return series_set_alloc(count, threads, round_blocks, 1, out);
}

void fmc_series_set_pilot(fmc_series_set *set, int thread, size_t k, const double *x, size_t n)
{
    fmc_pilot_ranges_add(&set->pilot, thread, k, x, n);
}

fmc_status fmc_series_set_begin(fmc_series_set *set)
{
    for (size_t k = 0; k < set->count; k++) {
        fmc_range range = fmc_pilot_ranges_merged(&set->pilot, k);
        for (int t = 0; t < set->owners; t++)
            if (fmc_histogram_init_from_pilot(&set->histograms[(size_t)t * set->count + k],
                                              &range))
                return FMC_ENOMEM;
    }
    return FMC_OK;
}

void fmc_series_set_add(fmc_series_set *set, int thread, size_t slot, size_t k, const double *x,
                        size_t n)
{
    fmc_moment_set_add(set->moments, slot, k, x, n);
    if (!set->locks) {
        fmc_histogram_add(&set->histograms[(size_t)thread * set->count + k], x, n);
        return;
    }
    omp_set_lock(&set->locks[k]);
    fmc_histogram_add(&set->histograms[k], x, n);
    omp_unset_lock(&set->locks[k]);
}

void fmc_series_set_merge_round(fmc_series_set *set, size_t count)
{
    fmc_moment_set_merge_round(set->moments, count);
}

void fmc_series_set_share(fmc_series_set *set, fmc_run_shares *shares)
{
    fmc_moment_set_share(set->moments, shares);
    for (size_t i = 0; i < (size_t)set->owners * set->count; i++)
        fmc_histogram_share(&set->histograms[i], shares);
}

const fmc_moments *fmc_series_set_moments(const fmc_series_set *set, size_t k)
{
    return fmc_moment_set_moments(set->moments, k);
}

void fmc_series_set_summarize(fmc_series_set *set, size_t k, double confidence,
                              fmc_output_summary *out)
{
    fmc_histogram *total = &set->histograms[k];
    for (int t = 1; t < set->owners; t++)
        fmc_histogram_merge(total, &set->histograms[(size_t)t * set->count + k]);
    fmc_summarize(fmc_moment_set_moments(set->moments, k), total, confidence, out);
}
