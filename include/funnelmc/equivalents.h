/* Equivalent changes: for each lever and each input, the `add` and the
 * `scale` of that input alone that give the lever's mean gain -- "doubling
 * followers is worth +0.25 points of click rate".
 *
 * The mean gain of a change is taken on a fixed subsample of the run's draws
 * (common random numbers: the lever and every candidate change see the same
 * samples), where it is a smooth, monotone function of the amount; its root
 * is found as mean_root.h says.
 * NaN where no amount reaches the gain: an input with no effect, or a gain
 * beyond what the input can give (cutting hours cannot gain more than the
 * whole time cost; a rate cannot pass 1).  Each amount comes with its
 * standard error, by the delta method (mean_root.h), the lever's profit as
 * the second reference.
 *
 * Over a horizon (horizon.h) the gain to match is the lever's mean gain of
 * cumulative profit, the lever starting and ramping up as it says; the
 * equivalent change of an input applies from period 1 at full size, in
 * every period ("starting better photos in month 3 is worth +0.2 points of
 * click rate from month 1").  Both follow each sample's path with its own
 * draws of the inputs drawn each period. */
#ifndef FUNNELMC_EQUIVALENTS_H
#define FUNNELMC_EQUIVALENTS_H

#include <stddef.h>
#include "funnelmc/error.h"
#include "funnelmc/levers.h"
#include "funnelmc/mean_root.h"
#include "funnelmc/sampler.h"
#include "funnelmc/scenario.h"
#include "funnelmc/team.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* Samples the equivalents are computed on (the first ones of the run). */
#define FMC_EQUIVALENT_SAMPLES 65536

/* Arrays [levers][inputs] the caller provides. */
typedef struct fmc_equivalents {
    double *add, *add_se;      /* the add to input j giving lever l's mean gain */
    double *scale, *scale_se;  /* the scale */
} fmc_equivalents;

/* What the equivalents need to follow paths over a horizon (mean_root.h);
 * the run has no changes of its own (a sweep asks for no equivalents). */
typedef fmc_mean_root_horizon fmc_equivalents_horizon;

/* For every lever l and input j of SCENARIO, element l * d + j of each
 * array of OUT (d = input count), from the COUNT samples inputs[j][i] and
 * the levers' uncertain numbers for those samples, VALUES (of at least
 * COUNT samples; NULL when no lever has any), over HORIZON (NULL without
 * one: one period), on THREADS threads (0: OpenMP's default) of each
 * process of TEAM (NULL: this one alone), which share the roots among them
 * and exchange them (team.h: every process calls with the same arguments,
 * and every one gets every figure); the figures are the same for any
 * THREADS and TEAM.  The caller owns every array.  FMC_OK, or FMC_ENOMEM
 * (on every process of TEAM alike), when the contents of OUT's arrays are
 * unspecified. */
fmc_status fmc_equivalents_compute(const fmc_scenario *scenario, const double *const *inputs,
                                   size_t count, const fmc_lever_values *values,
                                   const fmc_equivalents_horizon *horizon, int threads,
                                   const fmc_team *team, fmc_equivalents *out);

#pragma GCC visibility pop

#endif
