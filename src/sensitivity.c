#include "funnelmc/sensitivity.h"

#include <omp.h>
#include <stdio.h>
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

size_t fmc_sensitivity_group_count(const fmc_scenario *s)
{
    return FMC_GROUP_COUNT + (s->copula ? fmc_copula_group_count(s->copula) : 0);
}

void fmc_sensitivity_group_label(const fmc_scenario *s, size_t g, char *buffer, size_t size)
{
    if (g < FMC_GROUP_COUNT) {
        snprintf(buffer, size, "%s", fmc_group_name((int)g));
        return;
    }
    size_t count, used = 0;
    const size_t *members = fmc_copula_group_members(s->copula, g - FMC_GROUP_COUNT, &count);
    buffer[0] = '\0';
    for (size_t k = 0; k < count && used < size; k++) {
        int n = snprintf(buffer + used, size - used, "%s%s", k ? "+" : "",
                         s->inputs[members[k]].name);
        used += n > 0 ? (size_t)n : 0;
    }
}

long fmc_sensitivity_input_set(const fmc_scenario *s, size_t j)
{
    long set = s->copula ? fmc_copula_group_of(s->copula, j) : -1;
    return set < 0 ? -1 : FMC_GROUP_COUNT + set;
}

int fmc_sensitivity_group_splits_set(const fmc_scenario *s, size_t g)
{
    size_t sets = fmc_sensitivity_group_count(s) - FMC_GROUP_COUNT;
    for (size_t set = 0; g < FMC_GROUP_COUNT && set < sets; set++) {
        size_t count, inside = 0;
        const size_t *members = fmc_copula_group_members(s->copula, set, &count);
        for (size_t k = 0; k < count; k++)
            inside += fmc_input_group(s, members[k]) == (int)g;
        if (inside > 0 && inside < count)
            return 1;
    }
    return 0;
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
    const fmc_draws *draws;  /* the design's */
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
                                     fmc_sampler *const *samplers, const fmc_draws *draws,
                                     int threads)
{
    *m = (horizon_model){s, samplers, draws, threads, NULL};
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
    fmc_path_source source = {m->samplers, m->draws, origin->purposes, origin->first, NULL};
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

/* Points of each of R replicates for about ROWS rows in all: whole blocks
 * (sobol.h), and under qmc a power of two, where Sobol' points are
 * balanced; all ROWS with one replicate. */
static uint64_t replicate_points(uint64_t rows, const fmc_design *design)
{
    if (design->replicates <= 1)
        return rows;
    uint64_t blocks = (rows / design->replicates + FMC_SOBOL_BLOCK - 1) / FMC_SOBOL_BLOCK;
    uint64_t points = (blocks ? blocks : 1) * FMC_SOBOL_BLOCK;
    if (design->method == FMC_DESIGN_QMC)
        while (points & (points - 1))
            points += points & -points;
    return points;
}

/* The estimates of one whole design of DRAWS's points (the problem refers
 * to DRAWS). */
static fmc_status whole_design(const fmc_sobol_problem *problem, fmc_draws *draws, uint64_t points,
                               const fmc_sobol_plan *plan, int threads, fmc_sobol_result *out)
{
    fmc_sobol *sobol = NULL;
    draws->design.points = points;
    fmc_status status = fmc_team_agree(plan->team, fmc_sobol_alloc(problem, plan->seed, threads, &sobol));
    if (status == FMC_OK && (status = fmc_sobol_extend(sobol, points * draws->design.replicates)) == FMC_OK)
        status = fmc_team_agree(plan->team, fmc_sobol_estimate_all(sobol, plan->confidence, out));
    fmc_sobol_free(sobol);
    return status;
}

/* The stopping rule for designs that cannot grow by rows (sensitivity.h):
 * whole designs of twice the points each time until the target is met or
 * the most rows are reached. */
static fmc_status designs_to_precision(const fmc_sobol_problem *problem, fmc_draws *draws,
                                       const fmc_sobol_plan *plan, int threads,
                                       fmc_sobol_result *out)
{
    uint64_t last = replicate_points(plan->max_base_samples, &draws->design);
    for (uint64_t points = replicate_points(FMC_SOBOL_CHECK_ROWS, &draws->design);; points *= 2) {
        points = points < last ? points : last;
        fmc_status status = whole_design(problem, draws, points, plan, threads, out);
        if (status)
            return status;
        out->precision_met = out->max_half_width <= plan->precision;
        if (out->precision_met || points >= last)
            return FMC_OK;
        fmc_sobol_result_clear(out);
    }
}

/* The groups of S into STARTS and MEMBERS, and the indices whose swap would
 * split a correlated set into UNDEFINED (factors, then groups). */
static void make_groups(const fmc_scenario *s, size_t *starts, size_t *members,
                        unsigned char *undefined)
{
    size_t d = s->input_count, groups = fmc_sensitivity_group_count(s), k = 0;
    for (size_t g = 0; g < groups; g++) {
        starts[g] = k;
        if (g < FMC_GROUP_COUNT) {
            for (size_t j = 0; j < d; j++)
                if (fmc_input_group(s, j) == (int)g)
                    members[k++] = j;
        } else {
            size_t count;
            const size_t *set = fmc_copula_group_members(s->copula, g - FMC_GROUP_COUNT, &count);
            memcpy(members + k, set, count * sizeof *members);
            k += count;
        }
        undefined[d + g] = (unsigned char)fmc_sensitivity_group_splits_set(s, g);
    }
    starts[groups] = k;
    for (size_t j = 0; j < d; j++)
        undefined[j] = fmc_sensitivity_input_set(s, j) >= 0;
}

fmc_status fmc_sensitivity_sobol(const fmc_scenario *s, const fmc_sobol_plan *plan,
                                 fmc_sobol_result *out)
{
    memset(out, 0, sizeof *out);
    /* one randomisation of lhs or qmc has no honest error (replicates.h) */
    if (plan->design != FMC_DESIGN_MC &&
        (plan->replicates < 2 || plan->base_samples / plan->replicates >= FMC_MAX_DESIGN_POINTS))
        return FMC_EINVAL;
    size_t d = s->input_count, cost_lines = fmc_scenario_cost_lines(s);
    size_t groups = fmc_sensitivity_group_count(s);
    /* a set's members are in a fixed group and in their set's: 2 d at most */
    size_t *factors = malloc(d * sizeof *factors), *members = malloc(2 * d * sizeof *members);
    size_t *starts = malloc((groups + 1) * sizeof *starts);
    unsigned char *undefined = malloc(d + groups);
    fmc_sampler **samplers = NULL;
    fmc_sobol *sobol = NULL;
    fmc_sobol_problem problem;  /* the design refers to it until freed */
    uint32_t replicates = plan->replicates > 1 ? plan->replicates : 1;
    fmc_draws draws = {{plan->design, replicates, 0}, s->copula, plan->seed, 0, d,
                       s->horizon ? s->horizon->periods : 1};
    horizon_model path_model = {0};
    int threads = plan->threads > 0 ? plan->threads : omp_get_max_threads();
    fmc_status status = factors && members && starts && undefined ? FMC_OK : FMC_ENOMEM;
    if (status == FMC_OK)
        status = fmc_scenario_samplers_alloc(s, threads, &samplers);
    if (status == FMC_OK && s->horizon)
        status = horizon_model_init(&path_model, s, samplers, &draws, threads);
    /* from here on the processes of a team call collectives together */
    status = fmc_team_agree(plan->team, status);
    if (status == FMC_OK) {
        make_groups(s, starts, members, undefined);
        for (size_t j = 0; j < d; j++)
            factors[j] = j;
        problem = (fmc_sobol_problem){d, samplers, factors, d, starts, members, groups,
                                      profit_model, &cost_lines, plan->team, &draws, undefined};
        if (s->horizon) {
            problem.model = horizon_profit_model;
            problem.model_context = &path_model;
        }
        /* plain Monte Carlo of one replicate grows row by row, as ever */
        int grows = plan->design == FMC_DESIGN_MC && replicates == 1;
        if (plan->precision > 0 && !grows)
            status = designs_to_precision(&problem, &draws, plan, threads, out);
        else if (!grows)
            status = whole_design(&problem, &draws, replicate_points(plan->base_samples, &draws.design),
                                  plan, threads, out);
        else if ((status = fmc_team_agree(plan->team, fmc_sobol_alloc(&problem, plan->seed, threads,
                                                                      &sobol))) == FMC_OK) {
            if (plan->precision > 0)
                status = extend_to_precision(sobol, plan, out);
            else if ((status = fmc_sobol_extend(sobol, plan->base_samples)) == FMC_OK)
                status = fmc_sobol_estimate_all(sobol, plan->confidence, out);
        }
    }
    fmc_sobol_free(sobol);
    horizon_model_clear(&path_model);
    fmc_scenario_samplers_free(samplers, d);
    free(factors);
    free(members);
    free(starts);
    free(undefined);
    return status;
}
