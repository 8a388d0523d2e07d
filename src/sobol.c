/* Pick-freeze Sobol indices; see sobol.h for the estimators.
 *
 * Per row the design yields K "terms": q = (a^2 + b^2) / 2 and m = (a + b) / 2,
 * then for every factor and every group the first-order term b (c - a) and
 * the total-order term (a - c)^2 / 2.  A block of rows is summarised by the
 * means of the terms and the co-moments each index needs: every term with
 * itself, with q and with m.  Blocks merge in block order, into the pooled
 * summary and, with replicates, into their replicate's. */
#include "funnelmc/sobol.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/stats.h"
#include "funnelmc/stream.h"
#include "dispatch.h"

#define MIN_ROUND_BLOCKS 64
#define ROUND_BLOCKS_PER_THREAD 16
#define TERM_Q 0
#define TERM_M 1
#define FIRST_TERM 2  /* first numerator term */
#define FROM_A SIZE_MAX  /* an index whose A_B is A itself */

/* Summary of a set of rows: per term its mean and co-moments (sums of
 * products of deviations) with itself, with q and with m. */
typedef struct row_summary {
    uint64_t n;
    double *mean, *self, *with_q, *with_m;  /* [terms] each, in one allocation */
} row_summary;

typedef struct workspace {
    uint32_t **words_a, **words_b;  /* [columns], NULL for constants */
    double **a, **b;                /* [columns] the two samples */
    const double **mixed;           /* [columns] A with some columns of B */
    /* [columns] each the purposes of A's, B's and the mixture's columns */
    uint32_t *purposes_a, *purposes_b, *purposes_mixed;
    int thread;                     /* its index among the design's workspaces */
    double *out_a, *out_b;          /* [FMC_SOBOL_BLOCK] */
    double **out_c;                 /* [factors + groups] outputs of A_B, some shared */
    double *c_storage;              /* what out_c points into */
    double **terms;                 /* [terms][FMC_SOBOL_BLOCK] */
} workspace;

struct fmc_sobol {
    const fmc_sobol_problem *p;
    fmc_draws draws;          /* the problem's, or plain Monte Carlo */
    int threads;
    size_t terms;
    uint64_t rows;            /* rows evaluated */
    uint64_t complete_rows;   /* rows in whole blocks, merged into total */
    double shift;
    size_t *source;       /* [factors + groups]: whose f(A_B) an index uses (see find_sources) */
    size_t runs_per_row;
    row_summary total;    /* whole blocks, in block order */
    row_summary pending;  /* the last, partial block, if any; not in total */
    row_summary *replicate;  /* [replicates] whole blocks of each, when replicates > 1 */
    row_summary *blocks;  /* [round_blocks], pointing into block_sums */
    double *block_sums;   /* [round_blocks][4 * terms]: a round's summaries, to share */
    size_t round_blocks;
    workspace *workspaces;
};

static fmc_status summary_init(row_summary *s, size_t terms)
{
    s->n = 0;
    s->mean = calloc(4 * terms, sizeof *s->mean);
    s->self = s->mean + terms;
    s->with_q = s->mean + 2 * terms;
    s->with_m = s->mean + 3 * terms;
    return s->mean ? FMC_OK : FMC_ENOMEM;
}

static void summary_clear(row_summary *s)
{
    free(s->mean);
    s->mean = NULL;
}

static size_t index_count(const fmc_sobol_problem *p)
{
    return p->factor_count + p->group_count;
}

static void workspace_clear(workspace *w, const fmc_sobol_problem *p, size_t terms)
{
    for (size_t j = 0; j < p->column_count; j++) {
        if (w->words_a)
            free(w->words_a[j]);
        if (w->words_b)
            free(w->words_b[j]);
        if (w->a)
            free(w->a[j]);
        if (w->b && w->a && w->b[j] != w->a[j])  /* constants share A's column */
            free(w->b[j]);
    }
    for (size_t k = 0; w->terms && k < terms; k++)
        free(w->terms[k]);
    free(w->words_a);
    free(w->words_b);
    free(w->a);
    free(w->b);
    free(w->mixed);
    free(w->purposes_a);
    free(w->out_a);
    free(w->out_b);
    free(w->out_c);
    free(w->c_storage);
    free(w->terms);
    memset(w, 0, sizeof *w);
}

static fmc_status workspace_init(workspace *w, const fmc_sobol *s, int thread)
{
    const fmc_sobol_problem *p = s->p;
    size_t columns = p->column_count, indices = index_count(p);
    memset(w, 0, sizeof *w);
    w->thread = thread;
    w->purposes_a = malloc(3 * columns * sizeof *w->purposes_a);
    w->words_a = calloc(columns, sizeof *w->words_a);
    w->words_b = calloc(columns, sizeof *w->words_b);
    w->a = calloc(columns, sizeof *w->a);
    w->b = calloc(columns, sizeof *w->b);
    w->mixed = calloc(columns, sizeof *w->mixed);
    w->out_a = malloc(FMC_SOBOL_BLOCK * sizeof *w->out_a);
    w->out_b = malloc(FMC_SOBOL_BLOCK * sizeof *w->out_b);
    w->out_c = calloc(indices, sizeof *w->out_c);
    w->c_storage = malloc(indices * FMC_SOBOL_BLOCK * sizeof *w->c_storage);
    w->terms = calloc(s->terms, sizeof *w->terms);
    int ok = w->words_a && w->words_b && w->a && w->b && w->mixed && w->purposes_a && w->out_a &&
             w->out_b && w->out_c && w->c_storage && w->terms;
    if (ok) {
        w->purposes_b = w->purposes_a + columns;
        w->purposes_mixed = w->purposes_b + columns;
        for (size_t j = 0; j < columns; j++) {
            w->purposes_a[j] = FMC_PURPOSE_SOBOL_A;
            w->purposes_b[j] = FMC_PURPOSE_SOBOL_B;
        }
    }
    for (size_t j = 0; ok && j < columns; j++) {
        const fmc_dist *d = fmc_sampler_dist(p->samplers[j]);
        ok = (w->a[j] = malloc(FMC_SOBOL_BLOCK * sizeof **w->a)) != NULL;
        if (ok && d->kind == FMC_DIST_CONSTANT) {
            for (size_t r = 0; r < FMC_SOBOL_BLOCK; r++)
                w->a[j][r] = d->min;
            w->b[j] = w->a[j];
        } else if (ok) {
            ok = (w->b[j] = malloc(FMC_SOBOL_BLOCK * sizeof **w->b)) &&
                 (w->words_a[j] = malloc(FMC_SOBOL_BLOCK * sizeof **w->words_a)) &&
                 (w->words_b[j] = malloc(FMC_SOBOL_BLOCK * sizeof **w->words_b));
        }
    }
    for (size_t k = 0; ok && k < s->terms; k++)
        ok = (w->terms[k] = malloc(FMC_SOBOL_BLOCK * sizeof **w->terms)) != NULL;
    for (size_t i = 0; ok && i < indices; i++)
        w->out_c[i] = w->c_storage + i * FMC_SOBOL_BLOCK;
    if (!ok) {
        workspace_clear(w, p, s->terms);
        return FMC_ENOMEM;
    }
    return FMC_OK;
}

/* f(A) and f(B) of rows FIRST .. FIRST + N - 1, shifted. */
static void evaluate_samples(const fmc_sobol *s, workspace *w, uint64_t first, size_t n)
{
    const fmc_sobol_problem *p = s->p;
    fmc_draws_fill(&s->draws, FMC_PURPOSE_SOBOL_A, 1, first, n, w->words_a);
    fmc_draws_fill(&s->draws, FMC_PURPOSE_SOBOL_B, 1, first, n, w->words_b);
    for (size_t j = 0; j < p->column_count; j++)
        if (w->words_a[j]) {
            fmc_sampler_transform(p->samplers[j], w->words_a[j], w->a[j], n);
            fmc_sampler_transform(p->samplers[j], w->words_b[j], w->b[j], n);
        }
    fmc_sobol_origin rows_a = {first, w->purposes_a, w->thread};
    fmc_sobol_origin rows_b = {first, w->purposes_b, w->thread};
    p->model(p->model_context, (const double *const *)w->a, n, &rows_a, w->out_a);
    p->model(p->model_context, (const double *const *)w->b, n, &rows_b, w->out_b);
}

/* f(A_B) for every factor and group that needs its own, then every output
 * less the shift. */
static void evaluate_mixtures(const fmc_sobol *s, workspace *w, uint64_t first, size_t n)
{
    const fmc_sobol_problem *p = s->p;
    size_t columns = p->column_count, indices = index_count(p);
    fmc_sobol_origin rows = {first, w->purposes_mixed, w->thread};
    for (size_t i = 0; i < indices; i++) {
        if (s->source[i] != i)
            continue;
        memcpy(w->mixed, w->a, columns * sizeof *w->mixed);
        memcpy(w->purposes_mixed, w->purposes_a, columns * sizeof *w->purposes_mixed);
        const size_t *members = &p->factors[i], *end = members + 1;
        if (i >= p->factor_count) {
            size_t group = i - p->factor_count;
            members = p->group_members + p->group_starts[group];
            end = p->group_members + p->group_starts[group + 1];
        }
        for (; members < end; members++) {
            w->mixed[*members] = w->b[*members];
            w->purposes_mixed[*members] = FMC_PURPOSE_SOBOL_B;
        }
        p->model(p->model_context, w->mixed, n, &rows, w->c_storage + i * FMC_SOBOL_BLOCK);
    }
    const double shift = s->shift;
    for (size_t r = 0; r < n; r++) {
        w->out_a[r] -= shift;
        w->out_b[r] -= shift;
    }
    for (size_t i = 0; i < indices; i++) {
        if (s->source[i] == i)
            for (size_t r = 0; r < n; r++)
                w->c_storage[i * FMC_SOBOL_BLOCK + r] -= shift;
        w->out_c[i] = s->source[i] == FROM_A ? w->out_a : w->c_storage + s->source[i] * FMC_SOBOL_BLOCK;
    }
}

FMC_HOT_LOOP
static void compute_terms(const fmc_sobol *s, workspace *w, size_t n)
{
    const double *restrict a = w->out_a, *restrict b = w->out_b;
    double *restrict q = w->terms[TERM_Q], *restrict m = w->terms[TERM_M];
    for (size_t r = 0; r < n; r++) {
        q[r] = 0.5 * (a[r] * a[r] + b[r] * b[r]);
        m[r] = 0.5 * (a[r] + b[r]);
    }
    for (size_t i = 0; i < index_count(s->p); i++) {
        const double *restrict c = w->out_c[i];
        double *restrict first = w->terms[FIRST_TERM + 2 * i];
        double *restrict total = w->terms[FIRST_TERM + 2 * i + 1];
        for (size_t r = 0; r < n; r++) {
            double gap = a[r] - c[r];
            first[r] = b[r] * (c[r] - a[r]);
            total[r] = 0.5 * gap * gap;
        }
    }
}

/* Means and co-moments of the block's terms, from sums of deviations from
 * each term's first row (see stats.c for why a shift). */
FMC_HOT_LOOP
static void summarise_block(const fmc_sobol *s, const workspace *w, size_t n, row_summary *out)
{
    const double *dq = w->terms[TERM_Q], *dm = w->terms[TERM_M];
    const double q0 = dq[0], m0 = dm[0];
    double sum_q = 0, sum_m = 0;
    for (size_t r = 0; r < n; r++) {
        sum_q += dq[r] - q0;
        sum_m += dm[r] - m0;
    }
    out->n = n;
    for (size_t k = 0; k < s->terms; k++) {
        const double *restrict x = w->terms[k];
        const double x0 = x[0];
        double sum = 0, squares = 0, with_q = 0, with_m = 0;
        for (size_t r = 0; r < n; r++) {
            double d = x[r] - x0;
            sum += d;
            squares += d * d;
            with_q += d * (dq[r] - q0);
            with_m += d * (dm[r] - m0);
        }
        double rows = (double)n;
        out->mean[k] = x0 + sum / rows;
        out->self[k] = squares - sum * sum / rows;
        out->with_q[k] = with_q - sum * sum_q / rows;
        out->with_m[k] = with_m - sum * sum_m / rows;
    }
}

static void summary_merge(row_summary *into, const row_summary *next, size_t terms)
{
    if (next->n == 0)
        return;
    if (into->n == 0) {
        into->n = next->n;
        memcpy(into->mean, next->mean, 4 * terms * sizeof *into->mean);
        return;
    }
    double na = (double)into->n, nb = (double)next->n, n = na + nb, weight = na * nb / n;
    double delta_q = next->mean[TERM_Q] - into->mean[TERM_Q];
    double delta_m = next->mean[TERM_M] - into->mean[TERM_M];
    for (size_t k = 0; k < terms; k++) {
        double delta = next->mean[k] - into->mean[k];
        into->self[k] += next->self[k] + delta * delta * weight;
        into->with_q[k] += next->with_q[k] + delta * delta_q * weight;
        into->with_m[k] += next->with_m[k] + delta * delta_m * weight;
    }
    for (size_t k = 0; k < terms; k++)
        into->mean[k] += (next->mean[k] - into->mean[k]) * (nb / n);
    into->n += next->n;
}

void fmc_sobol_free(fmc_sobol *s)
{
    if (!s)
        return;
    for (int t = 0; s->workspaces && t < s->threads; t++)
        workspace_clear(&s->workspaces[t], s->p, s->terms);
    free(s->workspaces);
    free(s->blocks);
    free(s->block_sums);
    summary_clear(&s->total);
    summary_clear(&s->pending);
    for (uint32_t r = 0; s->replicate && r < s->draws.design.replicates; r++)
        summary_clear(&s->replicate[r]);
    free(s->replicate);
    free(s->source);
    free(s);
}

static int problem_is_valid(const fmc_sobol_problem *p)
{
    if (p->factor_count == 0 || !p->samplers || !p->model)
        return 0;
    if (p->draws && (p->draws->inputs != p->column_count ||
                     (p->draws->design.replicates > 1 &&
                      (p->draws->design.points == 0 || p->draws->design.points % FMC_SOBOL_BLOCK))))
        return 0;
    for (size_t i = 0; i < p->factor_count; i++)
        if (p->factors[i] >= p->column_count)
            return 0;
    for (size_t g = 0; g < p->group_count; g++)
        for (size_t k = p->group_starts[g]; k < p->group_starts[g + 1]; k++)
            if (p->group_members[k] >= p->column_count)
                return 0;
    return 1;
}

static int is_constant(const fmc_sobol_problem *p, size_t column)
{
    return fmc_sampler_dist(p->samplers[column])->kind == FMC_DIST_CONSTANT;
}

/* Where each index takes its f(A_B) from.  Swapping a constant column changes
 * nothing, so: FROM_A when every column it swaps is constant (A_B is A: the
 * index is 0); the factor's own source when exactly one swapped column is
 * uncertain and is a factor (a group that is, in effect, one input); else
 * its own runs (source = itself). */
static void find_sources(fmc_sobol *s)
{
    const fmc_sobol_problem *p = s->p;
    s->runs_per_row = 2;
    for (size_t i = 0; i < index_count(p); i++) {
        int is_group = i >= p->factor_count;
        const size_t *members = is_group ? p->group_members + p->group_starts[i - p->factor_count]
                                         : &p->factors[i];
        size_t count = is_group ? p->group_starts[i - p->factor_count + 1] -
                                      p->group_starts[i - p->factor_count]
                                : 1;
        size_t uncertain = 0, last = 0;
        for (size_t k = 0; k < count; k++)
            if (!is_constant(p, members[k])) {
                uncertain++;
                last = members[k];
            }
        s->source[i] = uncertain == 0 ? FROM_A : i;
        if (is_group && uncertain == 1)
            for (size_t f = 0; f < p->factor_count; f++)
                if (p->factors[f] == last)
                    s->source[i] = s->source[f];
        if (p->undefined && p->undefined[i])
            s->source[i] = FROM_A;
        s->runs_per_row += s->source[i] == i;
    }
}

fmc_status fmc_sobol_alloc(const fmc_sobol_problem *p, uint64_t seed, int threads, fmc_sobol **out)
{
    if (!problem_is_valid(p))
        return FMC_EINVAL;
    threads = threads > 0 ? threads : omp_get_max_threads();
    /* rounds of blocks for every core of every process, of one size on
     * every process (their thread counts may differ): agreed before
     * anything can fail */
    double most = threads;
    fmc_team_max(p->team, &most, 1);
    fmc_sobol *s = calloc(1, sizeof *s);
    if (!s)
        return FMC_ENOMEM;
    s->p = p;
    s->draws = p->draws ? *p->draws : fmc_draws_mc(seed, p->column_count, 1);
    s->threads = threads;
    s->terms = FIRST_TERM + 2 * index_count(p);
    s->round_blocks = (size_t)most * (size_t)fmc_team_size(p->team) * ROUND_BLOCKS_PER_THREAD;
    if (s->round_blocks < MIN_ROUND_BLOCKS)
        s->round_blocks = MIN_ROUND_BLOCKS;
    s->source = calloc(index_count(p), sizeof *s->source);
    s->workspaces = calloc((size_t)s->threads, sizeof *s->workspaces);
    s->blocks = calloc(s->round_blocks, sizeof *s->blocks);
    s->block_sums = calloc(s->round_blocks * 4 * s->terms, sizeof *s->block_sums);
    fmc_status status =
        s->source && s->workspaces && s->blocks && s->block_sums ? FMC_OK : FMC_ENOMEM;
    if (status == FMC_OK)
        status = summary_init(&s->total, s->terms);
    if (status == FMC_OK)
        status = summary_init(&s->pending, s->terms);
    uint32_t replicates = s->draws.design.replicates;
    if (status == FMC_OK && replicates > 1 &&
        !(s->replicate = calloc(replicates, sizeof *s->replicate)))
        status = FMC_ENOMEM;
    for (uint32_t r = 0; status == FMC_OK && replicates > 1 && r < replicates; r++)
        status = summary_init(&s->replicate[r], s->terms);
    for (size_t b = 0; status == FMC_OK && b < s->round_blocks; b++) {
        row_summary *block = &s->blocks[b];
        block->mean = s->block_sums + b * 4 * s->terms;
        block->self = block->mean + s->terms;
        block->with_q = block->mean + 2 * s->terms;
        block->with_m = block->mean + 3 * s->terms;
    }
    for (int t = 0; status == FMC_OK && t < s->threads; t++)
        status = workspace_init(&s->workspaces[t], s, t);
    if (status) {
        fmc_sobol_free(s);
        return status;
    }
    find_sources(s);
    /* The shift: the mean of f(A) over the first block, whatever N is, so
     * that it is the same for every way of reaching N. */
    workspace *w = &s->workspaces[0];
    evaluate_samples(s, w, 0, FMC_SOBOL_BLOCK);
    double sum = 0;
    for (size_t r = 0; r < FMC_SOBOL_BLOCK; r++)
        sum += w->out_a[r];
    s->shift = isfinite(sum) ? sum / FMC_SOBOL_BLOCK : 0.0;
    *out = s;
    return FMC_OK;
}

uint64_t fmc_sobol_rows(const fmc_sobol *s)
{
    return s->rows;
}

/* Rows of the block from row FIRST, in a design extended to row END. */
static size_t block_rows(uint64_t first, uint64_t end)
{
    return end - first < FMC_SOBOL_BLOCK ? (size_t)(end - first) : FMC_SOBOL_BLOCK;
}

fmc_status fmc_sobol_extend(fmc_sobol *s, uint64_t end)
{
    const fmc_design *design = &s->draws.design;
    if (s->replicate && (end % design->points || end / design->points > design->replicates))
        return FMC_EINVAL;
    /* Whole blocks are merged into the total in block order; a last partial
     * block is summarised apart and redone from its start when more rows come,
     * so that extending in steps gives the same bits as extending at once. */
    while (s->rows < end) {
        uint64_t first_block = s->complete_rows / FMC_SOBOL_BLOCK;
        uint64_t end_block = (end + FMC_SOBOL_BLOCK - 1) / FMC_SOBOL_BLOCK;
        size_t count = end_block - first_block < s->round_blocks ? (size_t)(end_block - first_block)
                                                                 : s->round_blocks;
        size_t mine, mine_end;
        fmc_team_share(s->p->team, count, &mine, &mine_end);
        #pragma omp parallel for num_threads(s->threads) schedule(dynamic, 1)
        for (size_t b = mine; b < mine_end; b++) {
            workspace *w = &s->workspaces[omp_get_thread_num()];
            uint64_t first = (first_block + b) * FMC_SOBOL_BLOCK;
            size_t n = block_rows(first, end);
            evaluate_samples(s, w, first, n);
            evaluate_mixtures(s, w, first, n);
            compute_terms(s, w, n);
            summarise_block(s, w, n, &s->blocks[b]);
        }
        /* every block's sums from the process that made it; its row count
         * follows from where it lies */
        fmc_team_allgather_slots(s->p->team, s->block_sums, 4 * s->terms * sizeof *s->block_sums,
                                 count);
        for (size_t b = 0; b < count; b++)
            s->blocks[b].n = block_rows((first_block + b) * FMC_SOBOL_BLOCK, end);
        s->pending.n = 0;
        for (size_t b = 0; b < count; b++) {
            if (s->blocks[b].n < FMC_SOBOL_BLOCK) {  /* only the last can be partial */
                summary_merge(&s->pending, &s->blocks[b], s->terms);
                continue;
            }
            summary_merge(&s->total, &s->blocks[b], s->terms);
            if (s->replicate)
                summary_merge(&s->replicate[s->complete_rows / s->draws.design.points],
                              &s->blocks[b], s->terms);
            s->complete_rows += FMC_SOBOL_BLOCK;
        }
        s->rows = s->complete_rows + s->pending.n;
    }
    return FMC_OK;
}

void fmc_sobol_result_clear(fmc_sobol_result *r)
{
    if (!r)
        return;
    free(r->first);
    memset(r, 0, sizeof *r);
}

/* Index = mean(term) / V with V = mean(q) - mean(m)^2; its variance by the
 * delta method from the covariances of (term, q, m) over rows. */
static fmc_sobol_estimate estimate(const row_summary *t, size_t k, double z)
{
    double n = (double)t->n, scale = 1 / (n - 1);
    double mq = t->mean[TERM_Q], mm = t->mean[TERM_M], mv = t->mean[k];
    double variance = mq - mm * mm;
    fmc_sobol_estimate e;
    e.value = mv / variance;
    double g[3] = {1 / variance, -e.value / variance, 2 * mm * e.value / variance};
    double c_vv = t->self[k] * scale, c_vq = t->with_q[k] * scale, c_vm = t->with_m[k] * scale;
    double c_qq = t->self[TERM_Q] * scale, c_mm = t->self[TERM_M] * scale;
    double c_qm = t->with_q[TERM_M] * scale;
    double spread = g[0] * g[0] * c_vv + g[1] * g[1] * c_qq + g[2] * g[2] * c_mm +
                    2 * (g[0] * g[1] * c_vq + g[0] * g[2] * c_vm + g[1] * g[2] * c_qm);
    e.se = sqrt(fmax(spread, 0) / n);
    e.ci[0] = e.value - z * e.se;
    e.ci[1] = e.value + z * e.se;
    return e;
}

/* E's standard error and interval from the spread of the estimates of term
 * K over the COUNT replicates (sobol.h), at T. */
static void replicate_error(const fmc_sobol *s, size_t k, size_t count, double t,
                            fmc_sobol_estimate *e)
{
    double mean = 0, squares = 0;
    for (size_t r = 0; r < count; r++)
        fmc_running_add(&mean, &squares, estimate(&s->replicate[r], k, 0).value, (double)(r + 1));
    e->se = sqrt(squares / (double)(count - 1) / (double)count);
    e->ci[0] = e->value - t * e->se;
    e->ci[1] = e->value + t * e->se;
}

static const fmc_sobol_estimate undefined_estimate = {NAN, NAN, {NAN, NAN}};

fmc_status fmc_sobol_estimate_all(const fmc_sobol *s, double confidence, fmc_sobol_result *out)
{
    memset(out, 0, sizeof *out);
    size_t replicates = s->replicate ? (size_t)(s->rows / s->draws.design.points) : 0;
    if (s->rows < 2 || (s->replicate && replicates < 2) || !(confidence > 0 && confidence < 1))
        return FMC_EINVAL;
    size_t indices = index_count(s->p);
    out->first = malloc(2 * indices * sizeof *out->first);
    if (!out->first)
        return FMC_ENOMEM;
    /* layout: [first of factors][first of groups][total of factors][total of groups] */
    out->group_first = out->first + s->p->factor_count;
    out->total = out->first + indices;
    out->group_total = out->total + s->p->factor_count;
    row_summary all;
    if (summary_init(&all, s->terms)) {
        fmc_sobol_result_clear(out);
        return FMC_ENOMEM;
    }
    summary_merge(&all, &s->total, s->terms);
    summary_merge(&all, &s->pending, s->terms);
    double z = fmc_z_of_confidence(confidence);
    double t = replicates ? fmc_t_of_confidence(confidence, (uint32_t)replicates) : z;
    for (size_t i = 0; i < indices; i++) {
        size_t k = FIRST_TERM + 2 * i;
        if (s->p->undefined && s->p->undefined[i]) {
            out->first[i] = out->total[i] = undefined_estimate;
            continue;
        }
        out->first[i] = estimate(&all, k, z);
        out->total[i] = estimate(&all, k + 1, z);
        if (replicates) {
            replicate_error(s, k, replicates, t, &out->first[i]);
            replicate_error(s, k + 1, replicates, t, &out->total[i]);
        }
        out->max_half_width = fmax(out->max_half_width, fmax(t * out->first[i].se, t * out->total[i].se));
    }
    out->rows = s->rows;
    out->design = s->draws.design;
    out->group_count = s->p->group_count;
    out->model_runs = s->rows * s->runs_per_row;
    out->mean = s->shift + all.mean[TERM_M];
    out->variance = all.mean[TERM_Q] - all.mean[TERM_M] * all.mean[TERM_M];
    summary_clear(&all);
    return FMC_OK;
}
