/* Sobol indices of a scenario's profit: every input (and cost line) as a
 * factor, and the four groups users ask about -- "grow followers or raise
 * conversion?":
 *   conversion      click_rate, optin_rate, purchase_rate
 *   audience        followers, and a horizon's growth and churn
 *   price_and_cost  revenue_per_sale, cost_of_goods and every cost line
 *   time            hourly_rate, hours
 * Fixed inputs have indices of exactly 0 and cost no model runs.
 *
 * Over a horizon (horizon.h) the output is the cumulative profit at the
 * horizon's end (discounted as the horizon says), each row followed over
 * the scenario's periods with no lever.  An input drawn each period is one factor for all its draws: its
 * draws of every period come from the matrix (A or B) its column comes
 * from, so switching it switches them all, and its index is the group index
 * of its draws over the whole horizon.  Independent draws average out over
 * the periods: with T periods such an input explains about T times less of
 * the cumulative profit's variance than the same input drawn once (exactly
 * T when profit is linear in it and the audience does not grow).
 *
 * Correlated inputs (the scenario's copula, copula.h): swapping one member
 * of a correlated set from B into A would break the set's dependence, so
 * each connected set of correlated inputs is one factor.  It gets a group
 * index of its own, after the four fixed groups, named by joining its
 * members' names with '+' ("followers+click_rate"); its members' single
 * indices are not defined, nor is a fixed group's that holds part of a set
 * (both reported NaN).  Under correlation a set's first-order index counts
 * what its members explain together, dependence included.
 *
 * Designs (design.h): the rows of A and B are the plan's design, A's and
 * B's points in distinct dimensions (draws.h).  With R > 1 replicates the
 * base rows are R replicates of n = N / R rows, n rounded up to whole
 * blocks of FMC_SOBOL_BLOCK (under qmc, to a power of two, where Sobol'
 * points are balanced), and every standard error is the spread of the
 * replicates' estimates (sobol.h).  The stopping rule with replicates, or
 * with lhs or qmc, cannot add rows to a design: it makes designs of
 * n = FMC_SOBOL_CHECK_ROWS / R rows per replicate (whole blocks), then
 * twice as many, ... afresh until met or max_base_samples is reached, so it
 * costs at most about twice the last design. */
#ifndef FUNNELMC_SENSITIVITY_H
#define FUNNELMC_SENSITIVITY_H

#include <stdint.h>
#include "funnelmc/error.h"
#include "funnelmc/scenario.h"
#include "funnelmc/sobol.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

#define FMC_GROUP_COUNT 4

/* Name of group G (0 .. FMC_GROUP_COUNT - 1): "conversion", ... */
const char *fmc_group_name(int group);

/* Groups of SCENARIO's Sobol indices: the FMC_GROUP_COUNT fixed ones, then
 * one per set of correlated inputs (copula group k is group
 * FMC_GROUP_COUNT + k). */
size_t fmc_sensitivity_group_count(const fmc_scenario *scenario);
/* The name of group G of SCENARIO into BUFFER (SIZE bytes, truncated). */
void fmc_sensitivity_group_label(const fmc_scenario *scenario, size_t group, char *buffer,
                                 size_t size);
/* The group index of the correlated set INPUT belongs to, or -1 when it is
 * correlated with nothing (its single indices are then defined). */
long fmc_sensitivity_input_set(const fmc_scenario *scenario, size_t input);
/* 1 when group G of SCENARIO is a fixed group holding part of a correlated
 * set (its indices are not defined). */
int fmc_sensitivity_group_splits_set(const fmc_scenario *scenario, size_t group);
/* The group (0 .. FMC_GROUP_COUNT - 1) of input INPUT of SCENARIO. */
int fmc_input_group(const fmc_scenario *scenario, size_t input);

/* Rows added between two checks of the Sobol stopping rule. */
#define FMC_SOBOL_CHECK_ROWS 16384

typedef struct fmc_sobol_plan {
    uint64_t base_samples;      /* rows N, when there is no stopping rule */
    uint64_t seed;
    int threads;                /* 0: OpenMP's default */
    double confidence;
    double precision;           /* > 0: add FMC_SOBOL_CHECK_ROWS rows at a time until
                                 * every interval's half-width is at most this */
    uint64_t max_base_samples;  /* ... or this many rows are reached */
    /* The processes that share the design (sobol.h), each calling with the
     * same plan; NULL: this process alone. */
    const fmc_team *team;
    fmc_design_method design;   /* of A's and B's rows (design.h) */
    uint32_t replicates;        /* R; 0 or 1: one */
} fmc_sobol_plan;

/* Sobol indices of SCENARIO's profit as PLAN says.  Factors are the
 * scenario's inputs in order, groups as fmc_sensitivity_group_label
 * names them.  FMC_OK and
 * *OUT (the caller clears it with fmc_sobol_result_clear); or FMC_EINVAL
 * (fewer than 2 rows, a confidence outside (0, 1), or lhs or qmc with
 * fewer than 2 replicates), FMC_ENOMEM or
 * FMC_ENUMERIC (a quantile table could not be built), *OUT then empty. */
fmc_status fmc_sensitivity_sobol(const fmc_scenario *scenario, const fmc_sobol_plan *plan,
                                 fmc_sobol_result *out);

#pragma GCC visibility pop

#endif
