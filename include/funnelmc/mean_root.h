/* Roots of mean profits on a fixed subsample of a run's draws: the amount
 * of one change of one input at which the mean over the subsample of
 * (profit with the change - a reference) equals a target, with its
 * standard error.  The equivalents (equivalents.h: the change matching a
 * lever's mean gain) and the break-even values (break_even.h: the value
 * that makes the mean profit 0) are both such roots.
 *
 * On common random numbers the mean is a smooth, monotone function of the
 * amount (profit is linear in every input of one period); its root is found
 * with GSL's Brent solver (gsl_root_fsolver_brent) after bracketing.  Its
 * standard error is by the delta method: with g(a) the mean of the
 * per-sample differences d(a) = profit with the change by a - reference,
 * the root a* solves g(a*) = target, so
 *   se(a*) = sd(d'(a*)) / sqrt(n) / |g'(a*)|
 * where d'(a*) is profit with the change by a* less a second reference (the
 * one whose randomness the root carries: the lever for an equivalent,
 * nothing for a break-even) and g' is a central difference.
 *
 * Means are sums over the subsample in fixed chunks, each summed in order
 * and the chunks added in order, so they are the same for any thread
 * count.  Over a horizon (horizon.h) the profit is the cumulative one of
 * each sample's path, with its own draws of the inputs drawn each period;
 * a change applies from period 1 at full size, in every period. */
#ifndef FUNNELMC_MEAN_ROOT_H
#define FUNNELMC_MEAN_ROOT_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"
#include "funnelmc/levers.h"
#include "funnelmc/sampler.h"
#include "funnelmc/scenario.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* The most samples a subsample holds. */
#define FMC_MEAN_ROOT_MAX_SAMPLES 65536

/* What the paths of a horizon need: the run's draws, for the inputs
 * drawn each period.  The subsample's inputs are then the values as drawn
 * (fmc_block.drawn), sample i of the subsample is sample i of the run's
 * window, and the run has no changes of its own. */
typedef struct fmc_mean_root_horizon {
    fmc_sampler *const *samplers;  /* [input] the run's samplers */
    const fmc_draws *draws;        /* the run's (fmc_run_setup.draws) */
    uint32_t periods;              /* the run's periods (fmc_run_periods) */
} fmc_mean_root_horizon;

/* A subsample and the workspace to evaluate profits on it. */
typedef struct fmc_mean_root fmc_mean_root;

/* The subsample of SCENARIO's COUNT (<= FMC_MEAN_ROOT_MAX_SAMPLES) samples inputs[j][i], over
 * HORIZON (NULL without one: one period), evaluated on THREADS threads (0:
 * OpenMP's default).  INPUTS and HORIZON's samplers must outlive *OUT.
 * FMC_OK and *OUT; FMC_EINVAL (COUNT 0 or above the bound) or FMC_ENOMEM
 * with *OUT NULL. */
fmc_status fmc_mean_root_alloc(const fmc_scenario *scenario, const double *const *inputs,
                               size_t count, const fmc_mean_root_horizon *horizon, int threads,
                               fmc_mean_root **out);
/* M may be NULL. */
void fmc_mean_root_free(fmc_mean_root *m);
/* The threads M evaluates on (THREADS of fmc_mean_root_alloc, resolved). */
int fmc_mean_root_threads(const fmc_mean_root *m);
/* 1 when an allocation failed in a root search since M was made: every
 * root and standard error since is void. */
int fmc_mean_root_failed(const fmc_mean_root *m);

/* The mean over the subsample of the profit with LEVER (DRAWS the values
 * of its uncertain numbers over the subsample, or NULL for none) less
 * REFERENCE[i] (none when NULL), spread over M's threads: call it outside
 * any parallel region.  KEEP, unless NULL, receives each sample's profit
 * ([count]). */
double fmc_mean_root_mean(const fmc_mean_root *m, const fmc_lever *lever,
                          const fmc_change_draws *draws, const double *reference, double *keep);

/* The amount of CHANGE (its amount ignored; no uncertain numbers) at which
 * the mean of profit with the change less REFERENCE (none when NULL)
 * equals TARGET. */
typedef struct fmc_mean_equation {
    fmc_change change;
    const double *reference;  /* [count] or NULL */
    double target;
} fmc_mean_equation;

/* The root of E in [LO, HI]; with MAY_GROW, HI doubles (hi -> 2 hi + 1, at
 * most 64 times) while the interval does not bracket it.  Where the gap
 * reaches 0 at HI and stays there (a clamp), the smallest amount reaching
 * it, by bisection.  NaN when no root is bracketed.  Runs on the calling
 * thread alone, on its own workspace: call it from inside a parallel loop
 * of at most M's threads (one root per iteration), or outside one. */
double fmc_mean_root_solve(const fmc_mean_root *m, const fmc_mean_equation *e, double lo,
                           double hi, int may_grow);

/* The largest |value| of input J in M's subsample: where a search upwards
 * without bound starts. */
double fmc_mean_root_largest(const fmc_mean_root *m, size_t j);

/* The mean of profit with E's change by AMOUNT less E's reference, less
 * E's target (0 at a root); on the calling thread as fmc_mean_root_solve. */
double fmc_mean_root_gap(const fmc_mean_root *m, const fmc_mean_equation *e, double amount);

/* The delta-method standard error of the root AMOUNT of E (see the top),
 * with SE_REFERENCE (none when NULL) the second reference; NaN when AMOUNT
 * is not finite, or the gap is flat there (a clamp).  On the calling
 * thread as fmc_mean_root_solve. */
double fmc_mean_root_se(const fmc_mean_root *m, const fmc_mean_equation *e,
                        const double *se_reference, double amount);

#pragma GCC visibility pop

#endif
