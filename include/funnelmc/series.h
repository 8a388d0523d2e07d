/* Series summarised as a run streams: the building block of accumulators
 * whose figures are reported as fmc_output_summary (the model's outputs, the
 * levers' gains).
 *
 * For each series of a set: the moments of every block (stats.h), kept in
 * the block's slot of the round and merged in slot order (accumulator.h);
 * and a fine histogram per thread (or one shared, under a lock) over the
 * range the pilot saw, integer counts merged across threads when the series
 * is summarised.  Both are independent of the thread count, so the summary
 * is too. */
#ifndef FUNNELMC_SERIES_H
#define FUNNELMC_SERIES_H

#include <stddef.h>
#include "funnelmc/error.h"
#include "funnelmc/stats.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* The extremes of the defined (non-NaN) values seen; order-free. */
typedef struct fmc_range {
    double lo, hi;  /* +inf and -inf while nothing is seen */
} fmc_range;

void fmc_range_init(fmc_range *r);
/* Widens *R to the non-NaN values of X[0..N). */
void fmc_range_add(fmc_range *r, const double *x, size_t n);
/* Widens *INTO to cover FROM. */
void fmc_range_merge(fmc_range *into, const fmc_range *from);
/* A histogram over the pilot's range (fmc_histogram_init): a range that saw
 * nothing becomes the nominal [0, 1], so values, if any, land in the outer
 * bins.  FMC_OK or FMC_ENOMEM (H->counts then NULL). */
fmc_status fmc_histogram_init_from_pilot(fmc_histogram *h, const fmc_range *pilot);

/* When processes share a run (accumulator.h): registers H's counts and
 * extremes in SHARES, to be combined over the processes. */
struct fmc_run_shares;
void fmc_histogram_share(fmc_histogram *h, struct fmc_run_shares *shares);

/* The range each thread saw of COUNT series in the pilot: merged (order-
 * free) once the pilot is over. */
typedef struct fmc_pilot_ranges {
    size_t count;
    int threads;
    fmc_range *ranges;  /* [threads][count] */
} fmc_pilot_ranges;

/* Empty ranges.  FMC_OK, or FMC_ENOMEM with P->ranges NULL. */
fmc_status fmc_pilot_ranges_init(fmc_pilot_ranges *p, size_t count, int threads);
/* P may be cleared already. */
void fmc_pilot_ranges_clear(fmc_pilot_ranges *p);
/* Widens THREAD's range of series K by X[0..N). */
void fmc_pilot_ranges_add(fmc_pilot_ranges *p, int thread, size_t k, const double *x, size_t n);
/* Series K's range over every thread. */
fmc_range fmc_pilot_ranges_merged(const fmc_pilot_ranges *p, size_t k);

/* Moments alone of COUNT series, for series whose mean and spread are all
 * that is reported: each block's moments in its slot of the round, merged
 * in slot order (accumulator.h). */
typedef struct fmc_moment_set fmc_moment_set;

/* FMC_OK and *OUT, or FMC_ENOMEM and *OUT NULL. */
fmc_status fmc_moment_set_alloc(size_t count, size_t round_blocks, fmc_moment_set **out);
/* SET may be NULL. */
void fmc_moment_set_free(fmc_moment_set *set);
/* Adds X[0..N), a block of series K, as slot SLOT of the round. */
void fmc_moment_set_add(fmc_moment_set *set, size_t slot, size_t k, const double *x, size_t n);
/* Merges slots 0 .. COUNT - 1 of every series in slot order. */
void fmc_moment_set_merge_round(fmc_moment_set *set, size_t count);
/* The merged moments of series K so far. */
const fmc_moments *fmc_moment_set_moments(const fmc_moment_set *set, size_t k);
/* When processes share a run: registers SET's slots in SHARES. */
void fmc_moment_set_share(fmc_moment_set *set, struct fmc_run_shares *shares);

/* Moments and histograms: a moment set, and a fine histogram per thread. */
typedef struct fmc_series_set fmc_series_set;

/* COUNT series (COUNT may be 0) for THREADS threads and rounds of up to
 * ROUND_BLOCKS blocks.  FMC_OK and *OUT, or FMC_ENOMEM and *OUT NULL. */
fmc_status fmc_series_set_alloc(size_t count, int threads, size_t round_blocks,
                                fmc_series_set **out);
/* The same with one histogram per series that every thread adds to under a
 * lock: memory independent of the thread count, for sets of many series
 * (a horizon's periods).  Counts are integers, so the order threads take
 * the lock in changes nothing; a thread holds it for one block's counting. */
fmc_status fmc_series_set_alloc_shared(size_t count, int threads, size_t round_blocks,
                                       fmc_series_set **out);
/* SET may be NULL. */
void fmc_series_set_free(fmc_series_set *set);

/* Pilot: widens THREAD's range of series K by X[0..N). */
void fmc_series_set_pilot(fmc_series_set *set, int thread, size_t k, const double *x, size_t n);
/* After the pilot: every thread's histograms over the pilot's ranges.
 * FMC_OK or FMC_ENOMEM. */
fmc_status fmc_series_set_begin(fmc_series_set *set);
/* Adds X[0..N), a block of series K, as slot SLOT of the round, from THREAD.
 * In a shared set, threads adding many series at once should take them in
 * different orders, so as not to queue at one lock after another. */
void fmc_series_set_add(fmc_series_set *set, int thread, size_t slot, size_t k, const double *x,
                        size_t n);
/* Merges slots 0 .. COUNT - 1 of every series in slot order. */
void fmc_series_set_merge_round(fmc_series_set *set, size_t count);
/* The merged moments of series K so far. */
const fmc_moments *fmc_series_set_moments(const fmc_series_set *set, size_t k);
/* When processes share a run: registers SET's slots and histograms in
 * SHARES (after fmc_series_set_begin). */
void fmc_series_set_share(fmc_series_set *set, struct fmc_run_shares *shares);
/* Summarises series K (moments so far, histograms of every thread) at
 * CONFIDENCE into *OUT.  Call once the run is over: it folds the threads'
 * histograms of K into thread 0's. */
void fmc_series_set_summarize(fmc_series_set *set, size_t k, double confidence,
                              fmc_output_summary *out);

#pragma GCC visibility pop

#endif
