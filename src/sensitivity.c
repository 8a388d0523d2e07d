#include "funnelmc/sensitivity.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/engine.h"
#include "funnelmc/horizon.h"
#include "funnelmc/model.h"

static const char *const group_names[FMC_GROUP_COUNT] = {"conversion", "audience",
                                                         "price_and_cost", "time"};

const char *fmc_group_name(int group)
{
    return group >= 0 && group < FMC_GROUP_COUNT ? group_names[group] : "unknown";
}

int fmc_input_group(const fmc_scenario *s, size_t j)
{
    if (s->horizon && (j == s->horizon->growth || j == s->horizon->churn))
        return 1;
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

static void profit_model(void *context, const double *const *inputs, size_t count,
                         const fmc_sobol_origin *origin, double *out)
{
    (void)origin;
    fmc_model_profit_block(inputs, *(const size_t *)context, count, out);
}

/* What the model over a horizon needs: per thread of the design, a path. */
typedef struct horizon_model {
    const fmc_scenario *scenario;
    fmc_sampler *const *samplers;
    fmc_draws draws;
    int threads;
    fmc_path **paths;     /* [threads] */
} horizon_model;

static void horizon_model_clear(horizon_model *m)
{
    for (int t = 0; m->paths && t < m->threads; t++)
        fmc_path_free(m->paths[t]);
    free(m->paths);
}

static fmc_status horizon_model_init(horizon_model *m, const fmc_scenario *s,
                                     fmc_sampler *const *samplers, uint64_t seed, int threads)
{
    *m = (horizon_model){s, samplers, fmc_draws_mc(seed, s->input_count, s->horizon->periods),
                         threads, NULL};
    m->paths = calloc((size_t)threads, sizeof *m->paths);
    fmc_status status = m->paths ? FMC_OK : FMC_ENOMEM;
    for (int t = 0; status == FMC_OK && t < threads; t++)
        status = fmc_path_alloc(s, FMC_SOBOL_BLOCK, 0, &m->paths[t]);
    return status;
}

/* Cumulative profit of each row over the horizon: the path's draws of later
 * periods come from the purposes the row's columns came from. */
static void horizon_profit_model(void *context, const double *const *inputs, size_t count,
                                 const fmc_sobol_origin *origin, double *out)
{
    const horizon_model *m = context;
    double *outputs[FMC_OUTPUT_COUNT] = {NULL};
    outputs[FMC_OUT_PROFIT] = out;
    fmc_path_source source = {m->samplers, &m->draws, origin->purposes, origin->first, NULL};
    fmc_path_outputs o = {.outputs = outputs};
    fmc_path_eval(m->paths[origin->thread], &source, m->scenario->horizon->periods, inputs, count,
                  NULL, NULL, 0, &o);
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
        /* an estimate failing on one process must not leave the others
         * extending the shared design alone */
        if (status == FMC_OK)
            status = fmc_team_agree(plan->team, fmc_sobol_estimate_all(sobol, plan->confidence, out));
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
    horizon_model path_model = {0};
    int threads = plan->threads > 0 ? plan->threads : omp_get_max_threads();
    fmc_status status = factors && members ? FMC_OK : FMC_ENOMEM;
    if (status == FMC_OK)
        status = fmc_scenario_samplers_alloc(s, threads, &samplers);
    if (status == FMC_OK && s->horizon)
        status = horizon_model_init(&path_model, s, samplers, plan->seed, threads);
    /* from here on the processes of a team call collectives together */
    status = fmc_team_agree(plan->team, status);
    if (status == FMC_OK) {
        size_t k = 0;
        for (int g = 0; g < FMC_GROUP_COUNT; g++) {
            starts[g] = k;
            for (size_t j = 0; j < d; j++)
                if (fmc_input_group(s, j) == g)
                    members[k++] = j;
        }
        starts[FMC_GROUP_COUNT] = k;
        for (size_t j = 0; j < d; j++)
            factors[j] = j;
        problem = (fmc_sobol_problem){d, samplers, factors, d, starts, members, FMC_GROUP_COUNT,
                                      profit_model, &cost_lines, plan->team};
        if (s->horizon) {
            problem.model = horizon_profit_model;
            problem.model_context = &path_model;
        }
        status = fmc_sobol_alloc(&problem, plan->seed, threads, &sobol);
        status = fmc_team_agree(plan->team, status);
        if (status == FMC_OK && plan->precision > 0)
            status = extend_to_precision(sobol, plan, out);
        else if (status == FMC_OK && (status = fmc_sobol_extend(sobol, plan->base_samples)) == FMC_OK)
            status = fmc_sobol_estimate_all(sobol, plan->confidence, out);
    }
    fmc_sobol_free(sobol);
    horizon_model_clear(&path_model);
    fmc_scenario_samplers_free(samplers, d);
    free(factors);
    free(members);
    return status;
}
