/* One-at-a-time sensitivity (Crystal Ball's Tornado tool): each input in turn
 * at a low and a high percentile of its distribution (exact quantiles) while
 * every other input stays at its base; and spider data, each input at the 5th,
 * 10th, ..., 95th percentile.  Deterministic: no sampling. */
#ifndef FUNNELMC_TORNADO_H
#define FUNNELMC_TORNADO_H

#include <stddef.h>
#include "funnelmc/error.h"
#include "funnelmc/scenario.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

#define FMC_SPIDER_LEVELS 19  /* 0.05, 0.10, ..., 0.95 */

typedef struct fmc_tornado {
    size_t count;              /* inputs (funnel inputs and cost lines) */
    double low_percentile;     /* e.g. 10 */
    double high_percentile;    /* e.g. 90 */
    double base_profit;        /* every input at its base */
    /* Bars, sorted by swing, largest first (ties keep the scenario order): */
    size_t *order;             /* [count] input index of each bar */
    double *low_value;         /* [count] the input at the low percentile */
    double *high_value;        /* [count] the input at the high percentile */
    double *low_profit;        /* [count] profit with the input at low_value */
    double *high_profit;       /* [count] profit with the input at high_value */
    double *swing;             /* [count] |high_profit - low_profit| */
    /* Spider data, in scenario input order: */
    double spider_levels[FMC_SPIDER_LEVELS];
    double *spider_value;      /* [count][FMC_SPIDER_LEVELS] input at each level */
    double *spider_profit;     /* [count][FMC_SPIDER_LEVELS] profit, others at base */
} fmc_tornado;

/* Computes the tornado of SCENARIO at its tornado percentiles.  FMC_OK and
 * *OUT filled (the caller clears it with fmc_tornado_clear); or FMC_ENOMEM,
 * or FMC_ENUMERIC when a quantile cannot be computed, *OUT then empty. */
fmc_status fmc_tornado_compute(const fmc_scenario *scenario, fmc_tornado *out);

/* Releases what fmc_tornado_compute allocated and empties *T; T may be NULL. */
void fmc_tornado_clear(fmc_tornado *t);

#pragma GCC visibility pop

#endif
