#include "funnelmc/sensitivity.h"

#include <stdlib.h>
#include <string.h>
#include "funnelmc/engine.h"
#include "funnelmc/model.h"

static const char *const group_names[FMC_GROUP_COUNT] = {"conversion", "audience",
                                                         "price_and_cost", "time"};

const char *fmc_group_name(int group)
{
    return group >= 0 && group < FMC_GROUP_COUNT ? group_names[group] : "unknown";
}

/* The group of input J. */
static int group_of(size_t j)
{
    switch (j) {
    case FMC_CLICK_RATE:
    case FMC_OPTIN_RATE:
    case FMC_PURCHASE_RATE:
        return 0;
    case FMC_FOLLOWERS:
        return 1;
    case FMC_HOURLY_RATE:
    case FMC_HOURS:
        return 3;
    default:  /* revenue, cost of goods, cost lines */
        return 2;
    }
}

static void profit_model(void *context, const double *const *inputs, size_t count, double *out)
{
    fmc_model_profit_block(inputs, *(const size_t *)context, count, out);
}

/* Extends the design in checks of FMC_SOBOL_CHECK_ROWS rows until the
 * widest interval meets the target: the checks fall at the same rows for
 * any thread count, so the stopping point does too. */
static fmc_status extend_to_precision(fmc_sobol *sobol, const fmc_sobol_plan *plan,
                                      fmc_sobol_result *out)
{
    for (uint64_t rows = FMC_SOBOL_CHECK_ROWS;; rows += FMC_SOBOL_CHECK_ROWS) {
        if (rows > plan->max_base_samples)
            rows = plan->max_base_samples;
        fmc_status status = fmc_sobol_extend(sobol, rows);
        if (status == FMC_OK)
            status = fmc_sobol_estimate_all(sobol, plan->confidence, out);
        if (status)
            return status;
        out->precision_met = out->max_half_width <= plan->precision;
        if (out->precision_met || rows >= plan->max_base_samples)
            return FMC_OK;
        fmc_sobol_result_clear(out);
    }
}

fmc_status fmc_sensitivity_sobol(const fmc_scenario *s, const fmc_sobol_plan *plan,
                                 fmc_sobol_result *out)
{
    memset(out, 0, sizeof *out);
    size_t d = s->input_count, cost_lines = fmc_scenario_cost_lines(s);
    size_t *factors = malloc(d * sizeof *factors), *members = malloc(d * sizeof *members);
    size_t starts[FMC_GROUP_COUNT + 1] = {0};
    fmc_sampler **samplers = NULL;
    fmc_sobol *sobol = NULL;
    fmc_sobol_problem problem;  /* the design refers to it until freed */
    fmc_status status = factors && members ? FMC_OK : FMC_ENOMEM;
    if (status == FMC_OK)
        status = fmc_scenario_samplers_alloc(s, plan->threads, &samplers);
    if (status == FMC_OK) {
        size_t k = 0;
        for (int g = 0; g < FMC_GROUP_COUNT; g++) {
            starts[g] = k;
            for (size_t j = 0; j < d; j++)
                if (group_of(j) == g)
                    members[k++] = j;
        }
        starts[FMC_GROUP_COUNT] = k;
        for (size_t j = 0; j < d; j++)
            factors[j] = j;
        problem = (fmc_sobol_problem){d, samplers, factors, d, starts, members, FMC_GROUP_COUNT,
                                      profit_model, &cost_lines};
        status = fmc_sobol_alloc(&problem, plan->seed, plan->threads, &sobol);
        if (status == FMC_OK && plan->precision > 0)
            status = extend_to_precision(sobol, plan, out);
        else if (status == FMC_OK && (status = fmc_sobol_extend(sobol, plan->base_samples)) == FMC_OK)
            status = fmc_sobol_estimate_all(sobol, plan->confidence, out);
    }
    fmc_sobol_free(sobol);
    fmc_scenario_samplers_free(samplers, d);
    free(factors);
    free(members);
    return status;
}
