/* The horizon model: a scenario followed period by period (scenario.h's
 * fmc_horizon), for blocks of samples.
 *
 * Period t = 1 .. P of one sample:
 *   inputs    an input drawn once keeps its value all along; one drawn each
 *             period takes period t's word of its stream (stream.h,
 *             fmc_stream_fill_period): period 1's is its usual word, so
 *             period 1 sees exactly what a one-period run sees
 *   changes   the run's changes (a sweep point) apply in full, then each
 *             lever with weight w_t = 0 before its start and
 *             min(1, (t - start + 1) / ramp) from it: every input the
 *             lever changes (directly or by an effect) takes x + w_t (x' - x),
 *             a straight line from its value without the lever to its value
 *             with it.  A change of hours with a response also multiplies a
 *             positive growth by (T' / T)^response: effort brings new
 *             followers as it brings reach; it does not speed a decline.
 *   audience  F_t = F G_t, F the followers input of period t, G_1 = 1 and
 *             G_{t+1} = G_t max(0, 1 + g_t - c_t) with g_t, c_t the growth
 *             and churn of period t; F_t at most FMC_MAX_MAGNITUDE.  So
 *             period 1 has F itself, and with all fixed F_t = F (1 + g - c)^(t-1).
 *   budgets   a budgeted cost line spends s_t = min(x_t, a_t) of its value
 *             x_t, with a_t = plan_t + (rollover ? a_{t-1} - s_{t-1} : 0)
 *             and nothing carried into period 1
 *   profit    the one-period model (model.h) of those values
 *   own cost  of the levers, from their start: money + hours h_t every
 *             period, and in the start period the one-off money + one-off
 *             hours h_t (h_t the period's hourly rate as the lever sees it)
 * Over the horizon, with discount factors d_t = (1 + r)^-(t - 1) (period 1
 * counts in today's money, as its followers do):
 *   profit, margin, cost, own cost   sum of d_t x_t
 *   sales                            sum of sales_t (people are not discounted)
 *   roi                              cumulative profit / cumulative cost, where that cost > 0
 * The sums run in period order from period 1's value, so with one period
 * every output is the one-period model's, bit for bit. */
#ifndef FUNNELMC_HORIZON_H
#define FUNNELMC_HORIZON_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/draws.h"
#include "funnelmc/error.h"
#include "funnelmc/levers.h"
#include "funnelmc/model.h"
#include "funnelmc/sampler.h"
#include "funnelmc/scenario.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* d_t, the discount factor of period T (1-based) at RATE. */
double fmc_horizon_discount(double rate, uint32_t t);

/* The payback period of COUNT samples from their undiscounted flows
 * FLOWS[t - 1][i] over PERIODS periods, discounted at RATE: the first period
 * from which the cumulative discounted flow stays > 0 to the end, or
 * PERIODS + 1 ("not within the horizon") when it is <= 0 at the end.  The
 * sum runs as fmc_path_eval's does, so a path's payback is within the
 * horizon exactly when its cumulative profit is > 0. */
void fmc_horizon_payback(double rate, uint32_t periods, const double *const *flows, size_t count,
                         uint32_t *payback);

/* The values of periods 2 .. PERIODS of every input drawn each period, for
 * samples 0 .. COUNT - 1 of a pass's window (draws.h), drawn once for paths that are
 * followed again and again on the same samples (the equivalents' root
 * searches): values[(t - 2) d + j] is input j's array in period t, NULL for
 * an input drawn once. */
typedef struct fmc_period_table {
    uint32_t periods;
    size_t count;
    const double **values;
    double *storage;
} fmc_period_table;

/* The bytes a table of SCENARIO over PERIODS periods and COUNT samples
 * holds (0 when no input is drawn each period). */
size_t fmc_period_table_bytes(const fmc_scenario *scenario, uint32_t periods, size_t count);
/* Fills *TABLE with the draws fmc_path_eval would make from DRAWS
 * (purpose FMC_PURPOSE_SAMPLES) with SAMPLERS.  FMC_OK, or FMC_ENOMEM
 * with *TABLE cleared. */
fmc_status fmc_period_table_fill(fmc_period_table *table, const fmc_scenario *scenario,
                                 fmc_sampler *const *samplers, const fmc_draws *draws,
                                 uint32_t periods, size_t count);
/* TABLE may be cleared already. */
void fmc_period_table_clear(fmc_period_table *table);

/* Where a block's draws come from, for the inputs drawn each period. */
typedef struct fmc_path_source {
    fmc_sampler *const *samplers;  /* [input] the scenario's samplers */
    const fmc_draws *draws;        /* the pass's design, copula, seed and window */
    /* [input] the purpose of each input's stream: FMC_PURPOSE_SAMPLES for a
     * run's samples; a pick-freeze design mixes its two matrices' */
    const uint32_t *purposes;
    uint64_t first;  /* the sample (row) index of the block's first sample,
                      * within the window of DRAWS (and of TABLE) */
    /* the same draws made beforehand (the block lies within its samples), or
     * NULL: drawn from the streams now */
    const fmc_period_table *table;
} fmc_path_source;

/* A lever as a path applies it: the lever, and the block's values of its
 * uncertain numbers (NULL where the lever's own number holds). */
typedef struct fmc_path_lever {
    const fmc_lever *lever;
    const fmc_change_draws *draws;  /* [change]; NULL when none is uncertain */
    const double *hours, *money, *once_hours, *once_money;  /* [count] */
} fmc_path_lever;

/* What a path evaluation writes; every pointer but OUTPUTS may be NULL.
 * With OUTPUTS[k] NULL for every k but FMC_OUT_PROFIT, profit alone is
 * evaluated (fmc_model_profit_block, the same bits): about half the work,
 * for the analyses that want nothing else (Sobol indices, equivalents). */
typedef struct fmc_path_outputs {
    double *const *outputs;           /* [FMC_OUTPUT_COUNT][count] over the horizon */
    double *own_cost;                 /* [count] the levers' discounted own cost */
    double *const *period_profit;     /* [periods][count] each period's profit, the
                                       * levers' own cost not counted, undiscounted */
    double *const *period_own_cost;   /* [periods][count] the levers' own cost, undiscounted */
    unsigned char *clamped;           /* [count] 1 where a change of a lever was
                                       * clamped in some period, else 0 */
} fmc_path_outputs;

/* The changes every path of a run applies in full (a sweep point), with
 * the block's values of their uncertain effects (DRAWS[c].effect, or NULL);
 * count 0 for none. */
typedef struct fmc_path_changes {
    const fmc_change *changes;
    size_t count;
    const fmc_change_draws *draws;
} fmc_path_changes;

/* A thread's buffers for evaluating paths of one scenario. */
typedef struct fmc_path fmc_path;

/* Buffers for blocks of up to CAPACITY samples and up to MAX_LEVERS (0 ..
 * FMC_MAX_BUDGET_LEVERS: a set of levers for a budget) levers at once.
 * FMC_OK and *OUT, or FMC_ENOMEM with *OUT NULL.  SCENARIO must have a
 * horizon and outlive the buffers. */
fmc_status fmc_path_alloc(const fmc_scenario *scenario, size_t capacity, size_t max_levers,
                          fmc_path **out);
/* PATH may be NULL. */
void fmc_path_free(fmc_path *path);

/* Follows COUNT (<= the path's capacity) samples over PERIODS periods (1 ..
 * FMC_MAX_PERIODS; the scenario's unless a sweep says otherwise), DRAWN[j]
 * being input j's values as drawn for period 1, before any change.  The
 * run's CHANGES apply to every period, then LEVERS[0 .. LEVER_COUNT) in
 * order (a pair is two), each with its weight.  SOURCE gives the draws of
 * inputs drawn each period; with SOURCE NULL they keep their DRAWN value
 * in every period (a deterministic path: the base case, the tornado). */
void fmc_path_eval(fmc_path *path, const fmc_path_source *source, uint32_t periods,
                   const double *const *drawn, size_t count, const fmc_path_changes *changes,
                   const fmc_path_lever *levers, size_t lever_count, const fmc_path_outputs *out);

/* The outputs of one deterministic path with every input at VALUES[j] in
 * every period and no lever (the base case, the tornado's bars). */
void fmc_path_eval_fixed(fmc_path *path, uint32_t periods, const double *values,
                         double out[FMC_OUTPUT_COUNT]);

#pragma GCC visibility pop

#endif
