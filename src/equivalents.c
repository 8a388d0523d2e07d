/* Equivalent changes; see equivalents.h.  The mean gain of one change is a
 * sum over the subsample in fixed chunks, each summed in order and the
 * chunks added in order, so it is the same for any thread count.  Over a
 * horizon each chunk is followed as a path (horizon.h), on the path of the
 * thread's scratch slot, allocated once for every evaluation. */
#include "funnelmc/equivalents.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/horizon.h"
#include "funnelmc/levers.h"
#include "funnelmc/model.h"

#define CHUNK 4096
/* Root searches follow the same samples' paths thousands of times: the
 * draws of inputs drawn each period are made once, up to this size. */
#define MAX_TABLE_BYTES ((size_t)64 << 20)
#define MAX_ITERATIONS 100
#define MAX_DOUBLINGS 64


typedef struct subsample {
    const fmc_scenario *scenario;
    const double *const *inputs;
    size_t count;
    int threads;
    const double *baseline;  /* [count] profit */
    int *out_of_memory;      /* set to 1 when an allocation failed: every figure is void */
    double *scratch;         /* [thread][input + 1][CHUNK] for fmc_lever_apply */
    const fmc_equivalents_horizon *horizon;  /* NULL: one period */
    fmc_path **paths;                        /* [thread] over a horizon */
    /* the draws of inputs drawn each period, made once for every root
     * search (when they fit in MAX_TABLE_BYTES); else empty */
    fmc_period_table table;
} subsample;

/* A lever's values over the subsample (DRAWS, [change], or NULL for none)
 * from sample FIRST on, into SHIFTED. */
static const fmc_change_draws *shift_draws(const fmc_lever *lever, const fmc_change_draws *draws,
                                           size_t first, fmc_change_draws *shifted)
{
    if (!draws)
        return NULL;
    for (size_t c = 0; c < lever->change_count; c++)
        shifted[c] = (fmc_change_draws){draws[c].amount ? draws[c].amount + first : NULL,
                                        draws[c].effect ? draws[c].effect + first : NULL};
    return shifted;
}

/* Profit of samples FIRST .. FIRST + N - 1 (N <= CHUNK) with the inputs
 * changed by LEVER (its uncertain numbers DRAWS over the subsample, or
 * NULL), into PROFIT; on scratch SLOT, which no other thread uses now.
 * Over a horizon, the cumulative profit of their paths with the lever. */
static void changed_profit(const subsample *sub, const fmc_lever *lever,
                           const fmc_change_draws *draws, size_t first, size_t n, int slot,
                           double *profit)
{
    const fmc_scenario *s = sub->scenario;
    double *scratch[FMC_MAX_INPUTS + 1];
    double *mine = sub->scratch + (size_t)slot * (s->input_count + 1) * CHUNK;
    for (size_t j = 0; j <= s->input_count; j++)
        scratch[j] = mine + j * CHUNK;
    const double *inputs[FMC_MAX_INPUTS];
    fmc_change_draws shifted[FMC_MAX_INPUTS];
    for (size_t j = 0; j < s->input_count; j++)
        inputs[j] = sub->inputs[j] + first;
    draws = shift_draws(lever, draws, first, shifted);
    if (sub->horizon) {
        const fmc_equivalents_horizon *h = sub->horizon;
        double *outputs[FMC_OUTPUT_COUNT] = {NULL};
        outputs[FMC_OUT_PROFIT] = profit;
        fmc_path_source source = {h->samplers, h->seed, NULL, first,
                                  sub->table.values ? &sub->table : NULL};
        fmc_path_lever path_lever = {.lever = lever, .draws = draws};
        fmc_path_outputs out = {.outputs = outputs};
        fmc_path_eval(sub->paths[slot], &source, h->periods, inputs, n, NULL, &path_lever,
                      lever->change_count > 0, &out);
        return;
    }
    const double *columns[FMC_MAX_INPUTS];
    unsigned char clamped[CHUNK];
    fmc_lever_apply(s, lever, draws, inputs, n, scratch, columns, clamped);
    fmc_model_profit_block(columns, fmc_scenario_cost_lines(s), n, profit);
}

/* Sums over the subsample, in fixed order, of d and d^2 where d is the
 * profit with the inputs changed by LEVER less REFERENCE[i] (0 when
 * REFERENCE is NULL): SUM[0] and SUM[1].  KEEP, unless NULL, receives the
 * changed profit. */
static void difference_sums(const subsample *sub, const fmc_lever *lever,
                            const fmc_change_draws *draws, const double *reference, double sum[2],
                            double *keep)
{
    size_t chunks = (sub->count + CHUNK - 1) / CHUNK;
    double partial[FMC_EQUIVALENT_SAMPLES / CHUNK + 1][2];
    int outer = omp_get_thread_num();
    #pragma omp parallel for num_threads(sub->threads) schedule(dynamic, 1) if (sub->threads > 1)
    for (size_t c = 0; c < chunks; c++) {
        size_t first = c * CHUNK, n = sub->count - first < CHUNK ? sub->count - first : CHUNK;
        double profit[CHUNK];
        /* a serial sum runs inside another thread's work: its scratch */
        changed_profit(sub, lever, draws, first, n, sub->threads > 1 ? omp_get_thread_num() : outer,
                       profit);
        double d1 = 0, d2 = 0;
        for (size_t i = 0; i < n; i++) {
            double d = reference ? profit[i] - reference[first + i] : profit[i];
            d1 += d;
            d2 += d * d;
        }
        if (keep)
            memcpy(keep + first, profit, n * sizeof *profit);
        partial[c][0] = d1;
        partial[c][1] = d2;
    }
    sum[0] = sum[1] = 0;
    for (size_t c = 0; c < chunks; c++) {
        sum[0] += partial[c][0];
        sum[1] += partial[c][1];
    }
}

/* Mean over the subsample of profit with the inputs changed by LEVER, less
 * the baseline: the mean gain.  KEEP as in difference_sums. */
static double mean_gain(const subsample *sub, const fmc_lever *lever,
                        const fmc_change_draws *draws, double *keep)
{
    double sum[2];
    difference_sums(sub, lever, draws, sub->baseline, sum, keep);
    return sum[0] / (double)sub->count;
}

typedef struct equation {
    const subsample *sub;
    fmc_change change;  /* its amount is the unknown */
    double target;
} equation;

/* The lever of E's change by AMOUNT alone, into CHANGE: from period 1 of a
 * horizon, at full size. */
static fmc_lever equivalent_lever(const equation *e, double amount, fmc_change *change)
{
    *change = e->change;
    change->amount = amount;
    return (fmc_lever){.changes = change, .change_count = 1, .start = 1, .ramp = 1};
}

static double gap(double amount, void *params)
{
    equation *e = params;
    fmc_change change;
    fmc_lever one = equivalent_lever(e, amount, &change);
    return mean_gain(e->sub, &one, NULL, NULL) - e->target;
}

/* The amount in [LO, HI) solving the equation; the interval grows by
 * doubling HI while it does not bracket the root.  NaN when none does. */
static double solve(equation *e, double lo, double hi, int may_grow)
{
    double f_lo = gap(lo, e), f_hi = gap(hi, e);
    for (int k = 0; may_grow && k < MAX_DOUBLINGS && f_lo * f_hi > 0 && isfinite(f_hi); k++) {
        hi = hi * 2 + 1;
        f_hi = gap(hi, e);
    }
    if (f_lo == 0)
        return lo;
    if (f_hi == 0 && isfinite(f_lo)) {
        /* The gain reaches the target at HI and stays there (a clamped rate
         * gains no more): the smallest amount that reaches it, by bisection. */
        for (int i = 0; i < MAX_ITERATIONS && hi - lo > 1e-12 * fmax(fabs(hi), 1); i++) {
            double mid = 0.5 * (lo + hi);
            if ((gap(mid, e) < 0) == (f_lo < 0))
                lo = mid;
            else
                hi = mid;
        }
        return hi;
    }
    if (!(f_lo * f_hi < 0))
        return NAN;
    gsl_function function = {gap, e};
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!solver)
        *e->sub->out_of_memory = 1;
    double root = NAN;
    if (solver && gsl_root_fsolver_set(solver, &function, lo, hi) == GSL_SUCCESS) {
        for (int i = 0; i < MAX_ITERATIONS; i++) {
            if (gsl_root_fsolver_iterate(solver) != GSL_SUCCESS)
                break;
            double a = gsl_root_fsolver_x_lower(solver), b = gsl_root_fsolver_x_upper(solver);
            if (gsl_root_test_interval(a, b, 1e-12, 1e-10) == GSL_SUCCESS) {
                root = gsl_root_fsolver_root(solver);
                break;
            }
        }
    }
    gsl_root_fsolver_free(solver);
    return root;
}

/* The standard error of the equivalent AMOUNT of E's change for the lever
 * whose profit per sample is LEVER_PROFIT, by the delta method: with g(a)
 * the mean gain of the change by a, the root solves g(a) = mean gain of the
 * lever, so its error is that of the mean of the per-sample differences d
 * (the change at AMOUNT less the lever, on the same draws) over |g'(AMOUNT)|,
 * the slope from a central difference.  NaN where there is no root or the
 * gain is flat there (a clamp). */
static double amount_se(equation *e, const double *lever_profit, double amount)
{
    if (!isfinite(amount))
        return NAN;
    double h = 1e-4 * fmax(fabs(amount), 1e-3);
    double slope = (gap(amount + h, e) - gap(amount - h, e)) / (2 * h);
    fmc_change change;
    fmc_lever one = equivalent_lever(e, amount, &change);
    double sum[2], n = (double)e->sub->count;
    difference_sums(e->sub, &one, NULL, lever_profit, sum, NULL);
    double variance = fmax(sum[1] - sum[0] * sum[0] / n, 0) / (n - 1);
    return slope != 0 && isfinite(slope) && n > 1 ? sqrt(variance / n) / fabs(slope) : NAN;
}

/* The equivalent add (OP add) or scale of input J for lever L of gain
 * TARGET, and its standard error, into OUT. */
static void solve_one(const subsample *sub, size_t l, size_t j, fmc_change_op op, double target,
                      const double *lever_profit, fmc_equivalents *out)
{
    size_t d = sub->scenario->input_count, k = l * d + j;
    equation e = {sub, fmc_change_plain(j, op, 0), target};
    if (op == FMC_CHANGE_SCALE) {
        /* from 0 upwards, until every value saturates or without bound */
        out->scale[k] = target == 0 ? 1 : solve(&e, 0, 2, 1);
        out->scale_se[k] = amount_se(&e, lever_profit, out->scale[k]);
        return;
    }
    /* an input within bounds (a rate, the churn) moves by at most their
     * span either way; another from its largest value down (all at 0)
     * upwards without bound */
    const fmc_input *input = &sub->scenario->inputs[j];
    double span = input->highest - input->lowest, largest = 0;
    for (size_t i = 0; i < sub->count; i++)
        largest = fmax(largest, fabs(sub->inputs[j][i]));
    out->add[k] = target == 0       ? 0
                  : isfinite(span) ? solve(&e, -span, span, 0)
                                   : solve(&e, -largest, largest + 1, 1);
    out->add_se[k] = amount_se(&e, lever_profit, out->add[k]);
}

static void free_paths(fmc_path **paths, int threads)
{
    for (int t = 0; paths && t < threads; t++)
        fmc_path_free(paths[t]);
    free(paths);
}

/* A path of a chunk for each of THREADS threads, or NULL. */
static fmc_path **alloc_paths(const fmc_scenario *s, int threads)
{
    fmc_path **paths = calloc((size_t)threads, sizeof *paths);
    for (int t = 0; paths && t < threads; t++)
        if (fmc_path_alloc(s, CHUNK, 1, &paths[t])) {
            free_paths(paths, threads);
            return NULL;
        }
    return paths;
}

fmc_status fmc_equivalents_compute(const fmc_scenario *s, const double *const *inputs,
                                   size_t count, const fmc_lever_values *values,
                                   const fmc_equivalents_horizon *horizon, int threads,
                                   fmc_equivalents *out)
{
    size_t d = s->input_count;
    threads = threads > 0 ? threads : omp_get_max_threads();
    /* the baseline's profit and, one lever at a time, the lever's */
    double *baseline = malloc(2 * (count ? count : 1) * sizeof *baseline);
    double *scratch = malloc((size_t)threads * (d + 1) * CHUNK * sizeof *scratch);
    fmc_path **paths = horizon ? alloc_paths(s, threads) : NULL;
    if (!baseline || !scratch || (horizon && !paths)) {
        free(baseline);
        free(scratch);
        free_paths(paths, threads);
        return FMC_ENOMEM;
    }
    int out_of_memory = 0;
    subsample sub = {s, inputs, count, threads, baseline, &out_of_memory, scratch, horizon, paths,
                     {0}};
    size_t table_bytes = horizon ? fmc_period_table_bytes(s, horizon->periods, count) : 0;
    if (table_bytes > 0 && table_bytes <= MAX_TABLE_BYTES &&
        fmc_period_table_fill(&sub.table, s, horizon->samplers, horizon->seed, horizon->periods,
                              count)) {
        free(baseline);
        free(scratch);
        free_paths(paths, threads);
        return FMC_ENOMEM;
    }
    fmc_lever unchanged = {.change_count = 0};
    double sum[2];
    difference_sums(&sub, &unchanged, NULL, NULL, sum, baseline);
    /* Each root is found by one thread, its sums over the chunks in the same
     * order as a parallel sum would take them: the same figures, and one
     * parallel region per lever instead of one per evaluation of the gain
     * (thousands of short regions wait for every thread, however busy its
     * core). */
    subsample serial = sub;
    serial.threads = 1;
    for (size_t l = 0; l < s->lever_count; l++) {
        double *lever_profit = baseline + count;
        double target = mean_gain(&sub, &s->levers[l], values ? values->draws[l] : NULL,
                                  lever_profit);
        #pragma omp parallel for num_threads(sub.threads) schedule(dynamic, 1)
        for (size_t k = 0; k < 2 * d; k++)
            solve_one(&serial, l, k / 2, k % 2 ? FMC_CHANGE_SCALE : FMC_CHANGE_ADD, target,
                      lever_profit, out);
    }
    free(baseline);
    free(scratch);
    free_paths(paths, threads);
    fmc_period_table_clear(&sub.table);
    return out_of_memory ? FMC_ENOMEM : FMC_OK;
}
