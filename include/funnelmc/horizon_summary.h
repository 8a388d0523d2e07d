/* What a run reports of a horizon (horizon.h), as an accumulator
 * (accumulator.h): each period's profit summarised as an output is (moments,
 * quantiles with their intervals, P(loss)), and the payback period of the
 * cumulative profit.  Profit over the whole horizon is the run's profit
 * output itself.
 *
 * Memory grows with the periods P, not with the samples: per period, one
 * fine histogram that every thread counts into under a lock
 * ((FMC_FINE_BINS + 2) x 8 bytes, 131 kB), a payback count per thread (8
 * bytes) and a block's moments per slot of a round (48 bytes); so about
 * P x 131 kB whatever the thread count (1.6 MB for 12 months, 79 MB at
 * FMC_MAX_PERIODS). */
#ifndef FUNNELMC_HORIZON_SUMMARY_H
#define FUNNELMC_HORIZON_SUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/accumulator.h"
#include "funnelmc/errors.h"
#include "funnelmc/stats.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* The distribution of a payback period (fmc_horizon_payback): 1 ..
 * periods, or "not within the horizon". */
typedef struct fmc_payback_summary {
    uint32_t periods;
    uint64_t *counts;      /* [periods + 1]: counts[t - 1] samples pay back in period t,
                            * counts[periods] not within the horizon */
    uint64_t total;        /* their sum */
    /* With the n = total paybacks sorted, "never" last: */
    double median;         /* the period at rank ceil(n/2); INFINITY when that rank is "never" */
    double median_ci[2];   /* its distribution-free confidence interval: the periods at
                            * ranks max(1, floor(n/2 - z sqrt(n)/2)) and
                            * min(n, ceil(n/2 + z sqrt(n)/2)), z = fmc_z_of_confidence;
                            * INFINITY where a rank is "never" */
    double p_never, p_never_se;  /* share not within the horizon, with its standard error
                                  * (fmc_proportion_se); with n = 0, these and the
                                  * median are NaN */
} fmc_payback_summary;

/* Summarises COUNTS[0 .. PERIODS] (as fmc_payback_summary.counts) at
 * CONFIDENCE into *OUT, which gets its own copy of the counts.  FMC_OK or
 * FMC_ENOMEM (*OUT then empty). */
fmc_status fmc_payback_summarize(const uint64_t *counts, uint32_t periods, double confidence,
                                 fmc_payback_summary *out);
/* Releases what S holds and empties it; S may be NULL. */
void fmc_payback_summary_clear(fmc_payback_summary *s);
/* Lists S's figures with an error (errors.h): the median (interval) and
 * p_never (se). */
void fmc_payback_summary_errors(fmc_payback_summary *s, fmc_error_visit visit, void *context);

typedef struct fmc_horizon_result {
    uint32_t periods;              /* 0 without a horizon (then nothing else is set) */
    double discount_rate;
    fmc_output_summary *profit;    /* [periods] each period's profit, undiscounted */
    fmc_payback_summary payback;   /* of the cumulative (discounted) profit */
} fmc_horizon_result;

/* Releases what R holds and empties it; R may be NULL. */
void fmc_horizon_result_clear(fmc_horizon_result *r);
/* Lists R's figures with an error (errors.h): each period's profit, then
 * the payback. */
void fmc_horizon_result_errors(fmc_horizon_result *r, fmc_error_visit visit, void *context);

/* In every run of a scenario with a horizon; fills the result's horizon. */
extern const fmc_accumulator_type fmc_horizon_accumulator;

#pragma GCC visibility pop

#endif
