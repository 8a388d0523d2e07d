/* Improvement levers: what a lever does to the sampled inputs.
 *
 * A lever changes one or more inputs by scale (multiply), add or set; after
 * an add or a scale, rates are clamped to [0, 1] and every other quantity to
 * >= 0, and the samples where that happened are counted.  It applies to each
 * sampled value, so the lever and the baseline see the same draws (common
 * random numbers).
 *
 * Words used throughout funnelmc:
 *   gain      profit with the lever's changes - baseline profit (the lever's
 *             own cost not counted: "doubling followers adds 4500")
 *   cost      the lever's own cost: money + hours x the sampled hourly rate
 *   net gain  gain - cost; P(improve) and P(beats) compare net profits. */
#ifndef FUNNELMC_LEVERS_H
#define FUNNELMC_LEVERS_H

#include <stddef.h>
#include "funnelmc/scenario.h"

/* The value CHANGE makes of X, a value of the input change->input, clamped
 * to that input's range ([0, 1] for a rate, >= 0 otherwise); *CLAMPED is
 * set to 1 when clamping changed it, else 0. */
double fmc_change_apply(const fmc_change *change, double x, int *clamped);

/* Applies LEVER to COUNT samples: columns[j] is inputs[j], or for an input
 * the lever changes, scratch[c] (c the change's position in the lever) filled
 * with the changed values.  CLAMPED[i] is set to 1 where any change of
 * sample i was clamped, else 0.  Returns the number of such samples. */
size_t fmc_lever_apply(const fmc_scenario *scenario, const fmc_lever *lever,
                       const double *const *inputs, size_t count, double *const *scratch,
                       const double **columns, unsigned char *clamped);

/* cost[i] = the lever's money + its hours x hourly_rate[i]. */
void fmc_lever_cost(const fmc_lever *lever, const double *hourly_rate, size_t count, double *cost);

#endif
