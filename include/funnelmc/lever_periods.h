/* Levers over a horizon, period by period, as the lever comparison
 * (lever_comparison.h) gathers them: each lever's mean gain and net gain of
 * every period (moments of each block in its slot, merged in slot order),
 * and the payback period of its cumulative discounted net gain (integer
 * counts per thread, order-free).  Memory: 2 x levers x periods moments per
 * slot of a round, levers x (periods + 1) counts per thread. */
#ifndef FUNNELMC_LEVER_PERIODS_H
#define FUNNELMC_LEVER_PERIODS_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"
#include "funnelmc/lever_comparison.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef struct fmc_lever_periods fmc_lever_periods;

/* For LEVERS levers over PERIODS periods discounted at DISCOUNT_RATE, THREADS
 * threads and rounds of ROUND_BLOCKS blocks of at most BLOCK samples.  FMC_OK
 * and *OUT, or FMC_ENOMEM and *OUT NULL. */
fmc_status fmc_lever_periods_alloc(size_t levers, uint32_t periods, double discount_rate,
                                   int threads, size_t round_blocks, size_t block,
                                   fmc_lever_periods **out);
/* P may be NULL. */
void fmc_lever_periods_free(fmc_lever_periods *p);

/* Lever L's block of COUNT samples into slot SLOT, from THREAD: PROFIT[t][i]
 * its profit in period t + 1 (its own cost not counted), OWN_COST[t][i] that
 * cost, BASELINE[t][i] the profit without it.  PROFIT and OWN_COST are used
 * as scratch (overwritten). */
void fmc_lever_periods_add(fmc_lever_periods *p, int thread, size_t slot, size_t lever,
                           const double *const *baseline, double *const *profit,
                           double *const *own_cost, size_t count);
/* Merges slots 0 .. COUNT - 1 of the round in slot order. */
void fmc_lever_periods_merge_round(fmc_lever_periods *p, size_t count);
/* When processes share a run (accumulator.h): registers P's slots and
 * payback counts in SHARES. */
struct fmc_run_shares;
void fmc_lever_periods_share(fmc_lever_periods *p, struct fmc_run_shares *shares);

/* Fills OUT's periods, period_gain(_se), period_net(_se) and payback, at
 * CONFIDENCE.  FMC_OK, or FMC_ENOMEM with those fields empty. */
fmc_status fmc_lever_periods_finish(const fmc_lever_periods *p, double confidence,
                                    fmc_lever_results *out);

#pragma GCC visibility pop

#endif
