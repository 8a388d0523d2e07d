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
 * T when profit is linear in it and the audience does not grow). */
#ifndef FUNNELMC_SENSITIVITY_H
#define FUNNELMC_SENSITIVITY_H

#include <stdint.h>
#include "funnelmc/error.h"
#include "funnelmc/scenario.h"
#include "funnelmc/sobol.h"

#define FMC_GROUP_COUNT 4

/* Name of group G (0 .. FMC_GROUP_COUNT - 1): "conversion", ... */
const char *fmc_group_name(int group);
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
} fmc_sobol_plan;

/* Sobol indices of SCENARIO's profit as PLAN says.  Factors are the
 * scenario's inputs in order, groups in fmc_group_name order.  FMC_OK and
 * *OUT (the caller clears it with fmc_sobol_result_clear); or FMC_EINVAL
 * (fewer than 2 rows, or a confidence outside (0, 1)), FMC_ENOMEM or
 * FMC_ENUMERIC (a quantile table could not be built), *OUT then empty. */
fmc_status fmc_sensitivity_sobol(const fmc_scenario *scenario, const fmc_sobol_plan *plan,
                                 fmc_sobol_result *out);

#endif
