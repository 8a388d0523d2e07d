/* Roots of mean profits on a subsample; see mean_root.h.  Over a horizon
 * each chunk is followed as a path (horizon.h), on the path of the
 * thread's scratch slot, allocated once for every evaluation. */
#include "funnelmc/mean_root.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/horizon.h"
#include "funnelmc/model.h"

#define CHUNK 4096
/* Root searches follow the same samples' paths thousands of times: the
 * draws of inputs drawn each period are made once, up to this size. */
#define MAX_TABLE_BYTES ((size_t)64 << 20)
#define MAX_ITERATIONS 100
#define MAX_DOUBLINGS 64

struct fmc_mean_root {
    const fmc_scenario *scenario;
    const double *const *inputs;
    size_t count;
    int threads;
    int out_of_memory;  /* set to 1 when an allocation failed: every figure is void */
    double *scratch;    /* [thread][input + 1][CHUNK] for fmc_lever_apply */
    const fmc_mean_root_horizon *horizon;  /* NULL: one period */
    fmc_mean_root_horizon horizon_copy;
    fmc_path **paths;                      /* [thread] over a horizon */
    /* the draws of inputs drawn each period, made once for every root
     * search (when they fit in MAX_TABLE_BYTES); else empty */
    fmc_period_table table;
};

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
static void changed_profit(const fmc_mean_root *m, const fmc_lever *lever,
                           const fmc_change_draws *draws, size_t first, size_t n, int slot,
                           double *profit)
{
    const fmc_scenario *s = m->scenario;
    double *scratch[FMC_MAX_INPUTS + 1];
    double *mine = m->scratch + (size_t)slot * (s->input_count + 1) * CHUNK;
    for (size_t j = 0; j <= s->input_count; j++)
        scratch[j] = mine + j * CHUNK;
    const double *inputs[FMC_MAX_INPUTS];
    fmc_change_draws shifted[FMC_MAX_INPUTS];
    for (size_t j = 0; j < s->input_count; j++)
        inputs[j] = m->inputs[j] + first;
    draws = shift_draws(lever, draws, first, shifted);
    if (m->horizon) {
        const fmc_mean_root_horizon *h = m->horizon;
        double *outputs[FMC_OUTPUT_COUNT] = {NULL};
        outputs[FMC_OUT_PROFIT] = profit;
        fmc_path_source source = {h->samplers, h->draws, NULL, first,
                                  m->table.values ? &m->table : NULL};
        fmc_path_lever path_lever = {.lever = lever, .draws = draws};
        fmc_path_outputs out = {.outputs = outputs};
        fmc_path_eval(m->paths[slot], &source, h->periods, inputs, n, NULL, &path_lever,
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
 * changed profit.  Spread over M's threads when PARALLEL, else on the
 * calling thread's scratch. */
static void difference_sums(const fmc_mean_root *m, const fmc_lever *lever,
                            const fmc_change_draws *draws, const double *reference, int parallel,
                            double sum[2], double *keep)
{
    size_t chunks = (m->count + CHUNK - 1) / CHUNK;
    double partial[FMC_MEAN_ROOT_MAX_SAMPLES / CHUNK + 1][2];
    int threads = parallel ? m->threads : 1, outer = omp_get_thread_num();
    #pragma omp parallel for num_threads(threads) schedule(dynamic, 1) if (threads > 1)
    for (size_t c = 0; c < chunks; c++) {
        size_t first = c * CHUNK, n = m->count - first < CHUNK ? m->count - first : CHUNK;
        double profit[CHUNK];
        /* a serial sum runs inside another thread's work: its scratch */
        changed_profit(m, lever, draws, first, n, threads > 1 ? omp_get_thread_num() : outer,
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

double fmc_mean_root_mean(const fmc_mean_root *m, const fmc_lever *lever,
                          const fmc_change_draws *draws, const double *reference, double *keep)
{
    double sum[2];
    difference_sums(m, lever, draws, reference, 1, sum, keep);
    return sum[0] / (double)m->count;
}

/* The lever of E's change by AMOUNT alone, into CHANGE: from period 1 of a
 * horizon, at full size. */
static fmc_lever equation_lever(const fmc_mean_equation *e, double amount, fmc_change *change)
{
    *change = e->change;
    change->amount = amount;
    return (fmc_lever){.changes = change, .change_count = 1, .start = 1, .ramp = 1};
}

double fmc_mean_root_gap(const fmc_mean_root *m, const fmc_mean_equation *e, double amount)
{
    fmc_change change;
    fmc_lever one = equation_lever(e, amount, &change);
    double sum[2];
    difference_sums(m, &one, NULL, e->reference, 0, sum, NULL);
    return sum[0] / (double)m->count - e->target;
}

typedef struct equation {
    fmc_mean_root *m;
    const fmc_mean_equation *e;
} equation;

static double gap(double amount, void *params)
{
    const equation *q = params;
    return fmc_mean_root_gap(q->m, q->e, amount);
}

double fmc_mean_root_largest(const fmc_mean_root *m, size_t j)
{
    double largest = 0;
    for (size_t i = 0; i < m->count; i++)
        largest = fmax(largest, fabs(m->inputs[j][i]));
    return largest;
}

double fmc_mean_root_solve(const fmc_mean_root *m, const fmc_mean_equation *e, double lo,
                           double hi, int may_grow)
{
    /* the flag of a failed allocation is the only state a search writes */
    equation q = {(fmc_mean_root *)m, e};
    double f_lo = gap(lo, &q), f_hi = gap(hi, &q);
    for (int k = 0; may_grow && k < MAX_DOUBLINGS && f_lo * f_hi > 0 && isfinite(f_hi); k++) {
        hi = hi * 2 + 1;
        f_hi = gap(hi, &q);
    }
    if (f_lo == 0)
        return lo;
    if (f_hi == 0 && isfinite(f_lo)) {
        /* The gap reaches 0 at HI and stays there (a clamped rate gains no
         * more): the smallest amount that reaches it, by bisection. */
        for (int i = 0; i < MAX_ITERATIONS && hi - lo > 1e-12 * fmax(fabs(hi), 1); i++) {
            double mid = 0.5 * (lo + hi);
            if ((gap(mid, &q) < 0) == (f_lo < 0))
                lo = mid;
            else
                hi = mid;
        }
        return hi;
    }
    if (!(f_lo * f_hi < 0))
        return NAN;
    gsl_function function = {gap, &q};
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!solver) {
        #pragma omp atomic write
        q.m->out_of_memory = 1;
    }
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

double fmc_mean_root_se(const fmc_mean_root *m, const fmc_mean_equation *e,
                        const double *se_reference, double amount)
{
    if (!isfinite(amount))
        return NAN;
    double h = 1e-4 * fmax(fabs(amount), 1e-3);
    double slope = (fmc_mean_root_gap(m, e, amount + h) - fmc_mean_root_gap(m, e, amount - h)) /
                   (2 * h);
    fmc_change change;
    fmc_lever one = equation_lever(e, amount, &change);
    double sum[2], n = (double)m->count;
    difference_sums(m, &one, NULL, se_reference, 0, sum, NULL);
    double variance = fmax(sum[1] - sum[0] * sum[0] / n, 0) / (n - 1);
    return slope != 0 && isfinite(slope) && n > 1 ? sqrt(variance / n) / fabs(slope) : NAN;
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

fmc_status fmc_mean_root_alloc(const fmc_scenario *s, const double *const *inputs, size_t count,
                               const fmc_mean_root_horizon *horizon, int threads,
                               fmc_mean_root **out)
{
    *out = NULL;
    if (count == 0 || count > FMC_MEAN_ROOT_MAX_SAMPLES)  /* the chunk sums' bound */
        return FMC_EINVAL;
    fmc_mean_root *m = calloc(1, sizeof *m);
    if (!m)
        return FMC_ENOMEM;
    threads = threads > 0 ? threads : omp_get_max_threads();
    *m = (fmc_mean_root){.scenario = s, .inputs = inputs, .count = count, .threads = threads};
    if (horizon) {
        m->horizon_copy = *horizon;
        m->horizon = &m->horizon_copy;
    }
    m->scratch = malloc((size_t)threads * (s->input_count + 1) * CHUNK * sizeof *m->scratch);
    m->paths = horizon ? alloc_paths(s, threads) : NULL;
    size_t table_bytes = horizon ? fmc_period_table_bytes(s, horizon->periods, count) : 0;
    if (!m->scratch || (horizon && !m->paths) ||
        (table_bytes > 0 && table_bytes <= MAX_TABLE_BYTES &&
         fmc_period_table_fill(&m->table, s, horizon->samplers, horizon->draws, horizon->periods,
                               count))) {
        fmc_mean_root_free(m);
        return FMC_ENOMEM;
    }
    *out = m;
    return FMC_OK;
}

void fmc_mean_root_free(fmc_mean_root *m)
{
    if (!m)
        return;
    free(m->scratch);
    free_paths(m->paths, m->threads);
    fmc_period_table_clear(&m->table);
    free(m);
}

int fmc_mean_root_threads(const fmc_mean_root *m)
{
    return m->threads;
}

int fmc_mean_root_failed(const fmc_mean_root *m)
{
    return m->out_of_memory;
}
