/* Equivalent changes; see equivalents.h.  Each is a root of a mean gain
 * on the subsample, found and given its standard error by mean_root.h. */
#include "funnelmc/equivalents.h"

#include <math.h>
#include <stdlib.h>
#include "funnelmc/mean_root.h"

_Static_assert(FMC_EQUIVALENT_SAMPLES <= FMC_MEAN_ROOT_MAX_SAMPLES, "a subsample's size");

/* What every root of the equivalents shares. */
typedef struct subsample {
    const fmc_scenario *scenario;
    const fmc_mean_root *roots;
    const double *baseline;  /* [samples] profit */
} subsample;

/* The equivalent add (OP add) or scale of input J for lever L of gain
 * TARGET and profit LEVER_PROFIT, and its standard error, into OUT. */
static void solve_one(const subsample *sub, size_t l, size_t j, fmc_change_op op, double target,
                      const double *lever_profit, fmc_equivalents *out)
{
    size_t d = sub->scenario->input_count, k = l * d + j;
    fmc_mean_equation e = {fmc_change_plain(j, op, 0), sub->baseline, target};
    if (op == FMC_CHANGE_SCALE) {
        /* from 0 upwards, until every value saturates or without bound */
        out->scale[k] = target == 0 ? 1 : fmc_mean_root_solve(sub->roots, &e, 0, 2, 1);
        out->scale_se[k] = fmc_mean_root_se(sub->roots, &e, lever_profit, out->scale[k]);
        return;
    }
    /* an input within bounds (a rate, the churn) moves by at most their
     * span either way; another from its largest value down (all at 0)
     * upwards without bound */
    const fmc_input *input = &sub->scenario->inputs[j];
    double span = input->highest - input->lowest, largest = fmc_mean_root_largest(sub->roots, j);
    out->add[k] = target == 0       ? 0
                  : isfinite(span) ? fmc_mean_root_solve(sub->roots, &e, -span, span, 0)
                                   : fmc_mean_root_solve(sub->roots, &e, -largest, largest + 1, 1);
    out->add_se[k] = fmc_mean_root_se(sub->roots, &e, lever_profit, out->add[k]);
}

/* Where root TASK (lever TASK / 2d, input (TASK % 2d) / 2, its add for an
 * even TASK, its scale for an odd one) keeps its figure and standard error
 * in OUT. */
static void task_figures(const fmc_equivalents *out, size_t d, size_t task, double **value,
                         double **se)
{
    size_t k = task / (2 * d) * d + task % (2 * d) / 2;
    *value = task % 2 ? &out->scale[k] : &out->add[k];
    *se = task % 2 ? &out->scale_se[k] : &out->add_se[k];
}

/* Gives every process of TEAM the roots FIRST .. END - 1 that each found
 * (its share of TASKS), through one exchange of (figure, se) pairs. */
static fmc_status exchange_roots(const fmc_team *team, fmc_equivalents *out, size_t d,
                                 size_t tasks, size_t first, size_t end)
{
    double *pairs = malloc(2 * tasks * sizeof *pairs);
    if (fmc_team_agree(team, pairs ? FMC_OK : FMC_ENOMEM)) {
        free(pairs);
        return FMC_ENOMEM;
    }
    double *value, *se;
    for (size_t t = first; t < end; t++) {
        task_figures(out, d, t, &value, &se);
        pairs[2 * t] = *value;
        pairs[2 * t + 1] = *se;
    }
    fmc_team_allgather_slots(team, pairs, 2 * sizeof *pairs, tasks);
    for (size_t t = 0; t < tasks; t++) {
        task_figures(out, d, t, &value, &se);
        *value = pairs[2 * t];
        *se = pairs[2 * t + 1];
    }
    free(pairs);
    return FMC_OK;
}

fmc_status fmc_equivalents_compute(const fmc_scenario *s, const double *const *inputs,
                                   size_t count, const fmc_lever_values *values,
                                   const fmc_equivalents_horizon *horizon, int threads,
                                   const fmc_team *team, fmc_equivalents *out)
{
    size_t d = s->input_count;
    /* the baseline's profit and, one lever at a time, the lever's */
    double *baseline = malloc(2 * (count ? count : 1) * sizeof *baseline);
    fmc_mean_root *roots = NULL;
    fmc_status status = baseline ? fmc_mean_root_alloc(s, inputs, count, horizon, threads, &roots)
                                 : FMC_ENOMEM;
    if ((status = fmc_team_agree(team, status))) {
        free(baseline);
        fmc_mean_root_free(roots);
        return status;
    }
    subsample sub = {s, roots, baseline};
    fmc_lever unchanged = {.change_count = 0};
    fmc_mean_root_mean(roots, &unchanged, NULL, NULL, baseline);
    /* The roots (tasks) are shared among the team's processes, this one
     * finding FIRST .. END - 1, then exchanged: each root is the same
     * whoever finds it. */
    size_t tasks = s->lever_count * 2 * d, first, end;
    fmc_team_share(team, tasks, &first, &end);
    /* Each root is found by one thread, its sums over the chunks in the same
     * order as a parallel sum would take them: the same figures, and one
     * parallel region per lever instead of one per evaluation of the gain
     * (thousands of short regions wait for every thread, however busy its
     * core). */
    for (size_t l = 0; l < s->lever_count; l++) {
        size_t lo = first > l * 2 * d ? first - l * 2 * d : 0;
        size_t hi = end < (l + 1) * 2 * d ? end - l * 2 * d : 2 * d;
        if (end <= l * 2 * d || lo >= hi)
            continue;
        double *lever_profit = baseline + count;
        double target = fmc_mean_root_mean(roots, &s->levers[l],
                                           values ? values->draws[l] : NULL, baseline, lever_profit);
        #pragma omp parallel for num_threads(fmc_mean_root_threads(roots)) schedule(dynamic, 1)
        for (size_t k = lo; k < hi; k++)
            solve_one(&sub, l, k / 2, k % 2 ? FMC_CHANGE_SCALE : FMC_CHANGE_ADD, target,
                      lever_profit, out);
    }
    status = fmc_mean_root_failed(roots) ? FMC_ENOMEM : FMC_OK;
    free(baseline);
    fmc_mean_root_free(roots);
    if (fmc_team_size(team) > 1 && (status = fmc_team_agree(team, status)) == FMC_OK)
        status = exchange_roots(team, out, d, tasks, first, end);
    return status;
}
