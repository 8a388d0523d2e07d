/* The best set of levers for a budget; see portfolio.h.
 *
 * Screening (in begin, on the subsample the pilot kept): the subsets are
 * walked depth first, lever by lever in scenario order, keeping the inputs
 * each prefix of the walk changed: a subset costs one lever application
 * (and one evaluation of the model), not one per member.  The walk of one
 * block of the subsample under one first lever is a task; tasks run in
 * parallel and each writes its own subsets' figures, which are combined in
 * block order: the screening does not depend on the thread count.
 *
 * Re-evaluation (add and merge): each candidate's net profit is a series
 * (series.h: mean, se, quantiles with their intervals, P(> 0)), its extra
 * hours and money moments; the samples over the budget and the duels
 * between candidates are integer counts per thread (order-free), as the
 * lever comparison counts its duels. */
#include "funnelmc/portfolio.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_statistics_double.h>
#include "funnelmc/engine.h"
#include "funnelmc/horizon.h"
#include "funnelmc/levers.h"
#include "funnelmc/model.h"
#include "funnelmc/series.h"

/* The integer counts of a workspace (over, then beats), sized for the most
 * candidates: every pass over them (allocation, summing threads, sharing
 * among processes) covers all of them, whatever the candidates. */
#define COUNTS (FMC_PORTFOLIO_CANDIDATES * (1 + FMC_PORTFOLIO_CANDIDATES))

/* The inputs after the levers of a prefix of the walk, and the sums of
 * their cost hours and money. */
typedef struct level {
    double **scratch;          /* [input + 1] the values this level's lever changed */
    const double **columns;    /* [input] */
    double *hours, *money;     /* [block] */
} level;

typedef struct workspace {
    fmc_lever_values values;   /* the levers' uncertain numbers for the block */
    level *levels;             /* [levers + 1]; level 0: no lever */
    unsigned char *clamped;    /* [block] */
    double *net, *hours, *money;  /* [block] the figures of the set evaluated last */
    double *own_cost;          /* [block] over a horizon */
    double *select;            /* [block] scratch of the screening's quantile */
    double **nets;             /* [FMC_PORTFOLIO_CANDIDATES] each candidate's net profit */
    uint64_t *over, *beats;    /* [candidates], [candidates][candidates]: COUNTS in one allocation */
    fmc_path *path;            /* over a horizon */
    fmc_path_lever *path_levers;  /* [levers] */
} workspace;

/* A subset's sums over one block of the subsample. */
typedef struct screen_figures {
    double net, hours, money;  /* sums in sample order */
    double quantile;           /* the block's quantile of net profit (a percentile objective) */
    uint64_t positive;         /* samples with net profit > 0 */
} screen_figures;

typedef struct portfolio {
    const fmc_scenario *scenario;
    fmc_lever_budget budget;
    size_t levers, inputs, subsets;
    const fmc_draws *draws;  /* the run's (fmc_run_setup.draws) */
    uint32_t periods;
    int threads, own_threads;  /* fmc_run_setup's */
    size_t round_blocks;
    double confidence;
    fmc_sampler ***samplers;            /* [lever][quantity] */
    fmc_sampler *const *input_samplers; /* the run's, for paths */
    workspace *workspaces;              /* [threads] */
    size_t screen_count, screen_blocks;
    double **subsample;                 /* [input][screen_count] as drawn */
    double *subsample_profit;           /* [screen_count] the baseline's */
    screen_figures *screen;             /* [screen_blocks][subsets] */
    size_t candidates;
    uint32_t candidate[FMC_PORTFOLIO_CANDIDATES];
    fmc_series_set *nets;               /* [candidates] net profit */
    fmc_moment_set *costs;              /* [candidates][2] extra hours, extra money */
} portfolio;

static void free_arrays(double **arrays, size_t count)
{
    for (size_t k = 0; arrays && k < count; k++)
        free(arrays[k]);
    free(arrays);
}

/* COUNT arrays of N doubles, all allocated or NULL. */
static double **alloc_arrays(size_t count, size_t n)
{
    double **arrays = calloc(count, sizeof *arrays);
    for (size_t k = 0; arrays && k < count; k++)
        if (!(arrays[k] = malloc(n * sizeof **arrays))) {
            free_arrays(arrays, count);
            return NULL;
        }
    return arrays;
}

static void workspace_clear(workspace *w, const portfolio *p)
{
    fmc_lever_values_clear(&w->values);
    for (size_t n = 0; w->levels && n <= p->levers; n++) {
        free_arrays(w->levels[n].scratch, p->inputs + 1);
        free(w->levels[n].columns);
        free(w->levels[n].hours);
        free(w->levels[n].money);
    }
    free(w->levels);
    free(w->clamped);
    free(w->net);
    free(w->hours);
    free(w->money);
    free(w->own_cost);
    free(w->select);
    free_arrays(w->nets, FMC_PORTFOLIO_CANDIDATES);
    free(w->over);
    fmc_path_free(w->path);
    free(w->path_levers);
}

static fmc_status workspace_init(workspace *w, const portfolio *p)
{
    const size_t n = FMC_BLOCK_SIZE, bytes = n * sizeof(double);
    const size_t k = FMC_PORTFOLIO_CANDIDATES;
    w->levels = calloc(p->levers + 1, sizeof *w->levels);
    int ok = w->levels != NULL;
    for (size_t l = 0; ok && l <= p->levers; l++) {
        level *v = &w->levels[l];
        ok = (v->columns = calloc(p->inputs, sizeof *v->columns)) && (v->hours = malloc(bytes)) &&
             (v->money = malloc(bytes)) && (l == 0 || (v->scratch = alloc_arrays(p->inputs + 1, n)));
    }
    ok = ok && (w->clamped = malloc(n)) && (w->net = malloc(bytes)) &&
         (w->hours = malloc(bytes)) && (w->money = malloc(bytes)) &&
         (w->own_cost = malloc(bytes)) && (w->select = malloc(bytes)) &&
         (w->nets = alloc_arrays(k, n)) && (w->over = calloc(COUNTS, sizeof *w->over)) &&
         (w->path_levers = calloc(p->levers, sizeof *w->path_levers));
    if (!ok)
        return FMC_ENOMEM;
    w->beats = w->over + k;
    fmc_status status = fmc_lever_values_init(&w->values, p->scenario, n);
    if (!status && p->periods)
        status = fmc_path_alloc(p->scenario, n, p->levers, &w->path);
    return status;
}

static void portfolio_free(void *state)
{
    portfolio *p = state;
    if (!p)
        return;
    for (int t = 0; p->workspaces && t < p->threads; t++)
        workspace_clear(&p->workspaces[t], p);
    free(p->workspaces);
    free_arrays(p->subsample, p->inputs);
    free(p->subsample_profit);
    free(p->screen);
    fmc_lever_samplers_free(p->scenario, p->samplers);
    fmc_series_set_free(p->nets);
    fmc_moment_set_free(p->costs);
    free(p);
}

/* Screening draws: fewer over a horizon, whose paths cost a model
 * evaluation per period. */
static size_t screen_samples(uint64_t samples, uint32_t periods)
{
    uint64_t n = FMC_PORTFOLIO_SCREEN_SAMPLES;
    if (periods > 1)
        n = n / periods > FMC_PORTFOLIO_MIN_SCREEN_SAMPLES ? n / periods
                                                            : FMC_PORTFOLIO_MIN_SCREEN_SAMPLES;
    uint64_t pilot = samples < FMC_PILOT_SAMPLES ? samples : FMC_PILOT_SAMPLES;
    return (size_t)(pilot < n ? pilot : n);
}

_Static_assert(FMC_PORTFOLIO_SCREEN_SAMPLES <= FMC_PILOT_SAMPLES, "the pilot holds the subsample");
_Static_assert(FMC_MAX_BUDGET_LEVERS < 32, "a set is a bit mask of 32 bits");

static fmc_status portfolio_alloc(const fmc_run_setup *setup, void **state)
{
    *state = NULL;
    const fmc_scenario *s = setup->scenario;
    if (!setup->options->portfolio || !s->budget.given || s->lever_count == 0 ||
        s->lever_count > FMC_MAX_BUDGET_LEVERS || setup->options->change_count)
        return FMC_OK;
    portfolio *p = calloc(1, sizeof *p);
    if (!p)
        return FMC_ENOMEM;
    p->scenario = s;
    p->budget = s->budget;
    p->levers = s->lever_count;
    p->inputs = s->input_count;
    p->subsets = (size_t)1 << p->levers;
    p->draws = setup->draws;
    p->periods = setup->periods;
    p->threads = setup->threads;
    p->own_threads = setup->own_threads;
    p->round_blocks = setup->round_blocks;
    p->confidence = s->confidence;
    p->input_samplers = setup->samplers;
    p->screen_count = screen_samples(setup->samples, p->periods);
    p->screen_blocks = (p->screen_count + FMC_BLOCK_SIZE - 1) / FMC_BLOCK_SIZE;
    fmc_status status = fmc_lever_samplers_alloc(s, &p->samplers);
    p->workspaces = calloc((size_t)p->threads, sizeof *p->workspaces);
    p->subsample = alloc_arrays(p->inputs, p->screen_count ? p->screen_count : 1);
    p->subsample_profit = malloc((p->screen_count ? p->screen_count : 1) * sizeof(double));
    p->screen = calloc(p->screen_blocks * p->subsets, sizeof *p->screen);
    if (!status && (!p->workspaces || !p->subsample || !p->subsample_profit || !p->screen))
        status = FMC_ENOMEM;
    for (int t = 0; t < p->threads && !status; t++)
        status = workspace_init(&p->workspaces[t], p);
    if (status) {
        portfolio_free(p);
        return status;
    }
    *state = p;
    return FMC_OK;
}

/* The pilot keeps the subsample: the values as drawn and the baseline's
 * profit. */
static void portfolio_pilot(void *state, int thread, const fmc_block *block)
{
    (void)thread;
    portfolio *p = state;
    if (block->first >= p->screen_count)
        return;
    size_t count = block->count;
    if (block->first + count > p->screen_count)
        count = p->screen_count - (size_t)block->first;
    const double *const *values = block->drawn ? block->drawn : block->inputs;
    for (size_t j = 0; j < p->inputs; j++)
        memcpy(p->subsample[j] + block->first, values[j], count * sizeof(double));
    memcpy(p->subsample_profit + block->first, block->outputs[FMC_OUT_PROFIT],
           count * sizeof(double));
}

/* Samples the figures are evaluated on. */
typedef struct sample_run {
    const double *const *inputs;  /* [input] as drawn */
    const double *baseline;       /* the baseline's profit */
    uint64_t first;
    size_t count;
} sample_run;

/* Level 0 of the walk: RUN's inputs, no cost; the levers' numbers drawn. */
static void start_walk(const portfolio *p, workspace *w, const sample_run *run)
{
    level *root = &w->levels[0];
    memcpy(root->columns, run->inputs, p->inputs * sizeof *root->columns);
    memset(root->hours, 0, run->count * sizeof *root->hours);
    memset(root->money, 0, run->count * sizeof *root->money);
    fmc_lever_values_draw(&w->values, p->scenario, (fmc_sampler *const *const *)p->samplers,
                          p->draws, run->first, run->count, 0);
}

/* Level N + 1 of the walk: level N's inputs after lever L, its cost added. */
static void push_lever(const portfolio *p, workspace *w, size_t n, size_t l, size_t count)
{
    const fmc_lever *lever = &p->scenario->levers[l];
    const level *from = &w->levels[n];
    level *to = &w->levels[n + 1];
    fmc_lever_apply(p->scenario, lever, w->values.draws[l], from->columns, count, to->scratch,
                    to->columns, w->clamped);
    const double *hours = w->values.hours[l], *money = w->values.money[l];
    for (size_t i = 0; i < count; i++) {
        to->hours[i] = from->hours[i] + (hours ? hours[i] : lever->cost_hours);
        to->money[i] = from->money[i] + (money ? money[i] : lever->cost_money);
    }
}

/* Net profit, extra hours and extra money (portfolio.h) of the set of the
 * levers MEMBERS[0 .. N), whose walk is at level N, into W's arrays. */
static void evaluate_set(const portfolio *p, workspace *w, const sample_run *run,
                         const size_t *members, size_t n)
{
    const fmc_scenario *s = p->scenario;
    size_t count = run->count, lines = fmc_scenario_cost_lines(s);
    const level *top = &w->levels[n];
    const double *const *after = top->columns;
    if (n == 0) {
        memcpy(w->net, run->baseline, count * sizeof *w->net);
    } else if (!p->periods) {
        fmc_model_profit_block(after, lines, count, w->net);
        const double *rate = after[FMC_HOURLY_RATE];
        for (size_t i = 0; i < count; i++)
            w->net[i] -= top->money[i] + top->hours[i] * rate[i];
    } else {
        const fmc_lever_values *v = &w->values;
        for (size_t k = 0; k < n; k++) {
            size_t l = members[k];
            w->path_levers[k] = (fmc_path_lever){&s->levers[l],   v->draws[l],
                                                 v->hours[l],     v->money[l],
                                                 v->once_hours[l], v->once_money[l]};
        }
        double *totals[FMC_OUTPUT_COUNT] = {NULL};  /* profit alone */
        totals[FMC_OUT_PROFIT] = w->net;
        fmc_path_source source = {p->input_samplers, p->draws, NULL, run->first, NULL};
        fmc_path_outputs out = {totals, w->own_cost, NULL, NULL, NULL};
        fmc_path_eval(w->path, &source, p->periods, run->inputs, count, NULL, w->path_levers, n,
                      &out);
        for (size_t i = 0; i < count; i++)
            w->net[i] -= w->own_cost[i];
    }
    const double *hours_before = run->inputs[FMC_HOURS], *hours_after = after[FMC_HOURS];
    for (size_t i = 0; i < count; i++) {
        w->hours[i] = top->hours[i] + (hours_after[i] - hours_before[i]);
        w->money[i] = top->money[i];
    }
    for (size_t j = FMC_FUNNEL_INPUT_COUNT; j < FMC_FUNNEL_INPUT_COUNT + lines; j++)
        for (size_t i = 0; i < count; i++)
            w->money[i] += after[j][i] - run->inputs[j][i];
}

/* The set MEMBERS (a bit mask) evaluated on RUN from the start of a walk. */
static void evaluate_mask(const portfolio *p, workspace *w, const sample_run *run, uint32_t mask)
{
    size_t members[FMC_MAX_BUDGET_LEVERS], n = 0;
    start_walk(p, w, run);
    for (size_t l = 0; l < p->levers; l++)
        if (mask >> l & 1) {
            members[n] = l;
            push_lever(p, w, n, l, run->count);
            n++;
        }
    evaluate_set(p, w, run, members, n);
}

/* The screening figures of the set just evaluated in W into *F. */
static void record(const portfolio *p, workspace *w, size_t count, screen_figures *f)
{
    f->net = f->hours = f->money = 0;
    f->positive = 0;
    for (size_t i = 0; i < count; i++) {
        f->net += w->net[i];
        f->hours += w->hours[i];
        f->money += w->money[i];
        f->positive += w->net[i] > 0;
    }
    if (p->budget.objective == FMC_OBJECTIVE_PERCENTILE) {
        memcpy(w->select, w->net, count * sizeof *w->select);
        size_t rank = (size_t)(fmc_quantile_levels[p->budget.percentile] * (double)count);
        f->quantile = gsl_stats_select(w->select, 1, count, rank < count ? rank : count - 1);
    }
}

/* One screening task's walk: every subset that holds MASK's levers and
 * others after the last of them (MEMBERS[0 .. N)), at level N. */
static void walk(const portfolio *p, workspace *w, const sample_run *run, screen_figures *block,
                 size_t *members, size_t n, uint32_t mask)
{
    for (size_t l = n ? members[n - 1] + 1 : 0; l < p->levers; l++) {
        members[n] = l;
        push_lever(p, w, n, l, run->count);
        evaluate_set(p, w, run, members, n + 1);
        record(p, w, run->count, &block[mask | (uint32_t)1 << l]);
        walk(p, w, run, block, members, n + 1, mask | (uint32_t)1 << l);
    }
}

/* Block B of the subsample as a run of samples. */
static sample_run subsample_block(const portfolio *p, size_t b, const double **inputs)
{
    size_t first = b * FMC_BLOCK_SIZE;
    size_t count = p->screen_count - first < FMC_BLOCK_SIZE ? p->screen_count - first
                                                            : FMC_BLOCK_SIZE;
    for (size_t j = 0; j < p->inputs; j++)
        inputs[j] = p->subsample[j] + first;
    return (sample_run){inputs, p->subsample_profit + first, first, count};
}

/* Screening task T: block T % blocks of the subsample, the subsets whose
 * first lever is T / blocks (the levers' count: the empty set alone).
 * The largest subtrees come first, for the dynamic schedule. */
static void screen_task(const portfolio *p, workspace *w, size_t t)
{
    size_t b = t % p->screen_blocks, first_lever = t / p->screen_blocks;
    const double *inputs[FMC_MAX_INPUTS];
    sample_run run = subsample_block(p, b, inputs);
    screen_figures *block = p->screen + b * p->subsets;
    size_t members[FMC_MAX_BUDGET_LEVERS] = {first_lever};
    start_walk(p, w, &run);
    if (first_lever == p->levers) {
        evaluate_set(p, w, &run, members, 0);
        record(p, w, run.count, &block[0]);
        return;
    }
    push_lever(p, w, 0, first_lever, run.count);
    evaluate_set(p, w, &run, members, 1);
    uint32_t mask = (uint32_t)1 << first_lever;
    record(p, w, run.count, &block[mask]);
    walk(p, w, &run, block, members, 1, mask);
}

/* A subset as the screening ranks it. */
typedef struct ranked {
    uint32_t mask;
    double objective, mean;
} ranked;

/* Best first: the larger objective, then the larger mean net profit, then
 * the smaller mask (the set of earlier levers). */
static int by_objective(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->objective != y->objective)
        return x->objective > y->objective ? -1 : 1;
    if (x->mean != y->mean)
        return x->mean > y->mean ? -1 : 1;
    return x->mask < y->mask ? -1 : x->mask > y->mask;
}

static int fits(const fmc_lever_budget *b, double hours, double money)
{
    return hours <= b->hours && money <= b->money;
}

/* The candidates: the best FMC_PORTFOLIO_CANDIDATES subsets that fit the
 * budget on the subsample, the empty set always among them. */
static fmc_status choose_candidates(portfolio *p)
{
    ranked *order = malloc(p->subsets * sizeof *order);
    if (!order)
        return FMC_ENOMEM;
    double n = (double)p->screen_count;
    size_t feasible = 0;
    for (size_t m = 0; m < p->subsets; m++) {
        double net = 0, hours = 0, money = 0, quantile = 0;
        uint64_t positive = 0;
        for (size_t b = 0; b < p->screen_blocks; b++) {
            const screen_figures *f = &p->screen[b * p->subsets + m];
            size_t count = b + 1 < p->screen_blocks ? FMC_BLOCK_SIZE
                                                    : p->screen_count - b * FMC_BLOCK_SIZE;
            net += f->net;
            hours += f->hours;
            money += f->money;
            positive += f->positive;
            quantile += f->quantile * (double)count;  /* each block's, weighed by its samples */
        }
        if (!fits(&p->budget, hours / n, money / n))
            continue;
        double objective = p->budget.objective == FMC_OBJECTIVE_MEAN       ? net / n
                           : p->budget.objective == FMC_OBJECTIVE_P_PROFIT ? (double)positive / n
                                                                           : quantile / n;
        order[feasible++] = (ranked){(uint32_t)m, objective, net / n};
    }
    qsort(order, feasible, sizeof *order, by_objective);
    p->candidates = feasible < FMC_PORTFOLIO_CANDIDATES ? feasible : FMC_PORTFOLIO_CANDIDATES;
    int has_empty = 0;
    for (size_t k = 0; k < p->candidates; k++) {
        p->candidate[k] = order[k].mask;
        has_empty |= order[k].mask == 0;
    }
    if (!has_empty) {  /* "do nothing" is always among them */
        if (p->candidates == FMC_PORTFOLIO_CANDIDATES)
            p->candidates--;
        p->candidate[p->candidates++] = 0;
    }
    free(order);
    return FMC_OK;
}

static fmc_status portfolio_begin(void *state)
{
    portfolio *p = state;
    size_t tasks = p->screen_blocks * (p->levers + 1);
    #pragma omp parallel for num_threads(p->own_threads) schedule(dynamic, 1)
    for (size_t t = 0; t < tasks; t++)
        screen_task(p, &p->workspaces[omp_get_thread_num()], t);
    fmc_status status = choose_candidates(p);
    if (!status)
        status = fmc_series_set_alloc(p->candidates, p->threads, p->round_blocks, &p->nets);
    if (!status)
        status = fmc_moment_set_alloc(2 * p->candidates, p->round_blocks, &p->costs);
    if (status)
        return status;
    /* the histograms' ranges: the candidates' net profits on the subsample */
    workspace *w = &p->workspaces[0];
    for (size_t k = 0; k < p->candidates; k++)
        for (size_t b = 0; b < p->screen_blocks; b++) {
            const double *inputs[FMC_MAX_INPUTS];
            sample_run run = subsample_block(p, b, inputs);
            evaluate_mask(p, w, &run, p->candidate[k]);
            fmc_series_set_pilot(p->nets, 0, k, w->net, run.count);
        }
    return fmc_series_set_begin(p->nets);
}

/* Counts, for every pair of candidates, the samples where one's net profit
 * beats the other's. */
static void count_duels(const portfolio *p, workspace *w, size_t count)
{
    size_t k = p->candidates;
    for (size_t a = 0; a < k; a++)
        for (size_t b = a + 1; b < k; b++) {
            const double *x = w->nets[a], *y = w->nets[b];
            uint64_t above = 0, below = 0;
            for (size_t i = 0; i < count; i++) {
                above += x[i] > y[i];
                below += x[i] < y[i];
            }
            w->beats[a * k + b] += above;
            w->beats[b * k + a] += below;
        }
}

static void portfolio_add(void *state, int thread, size_t slot, const fmc_block *block)
{
    portfolio *p = state;
    workspace *w = &p->workspaces[thread];
    sample_run run = {block->drawn ? block->drawn : block->inputs,
                      block->outputs[FMC_OUT_PROFIT], block->first, block->count};
    for (size_t k = 0; k < p->candidates; k++) {
        evaluate_mask(p, w, &run, p->candidate[k]);
        memcpy(w->nets[k], w->net, run.count * sizeof *w->net);
        fmc_series_set_add(p->nets, thread, slot, k, w->net, run.count);
        fmc_moment_set_add(p->costs, slot, 2 * k, w->hours, run.count);
        fmc_moment_set_add(p->costs, slot, 2 * k + 1, w->money, run.count);
        uint64_t over = 0;
        for (size_t i = 0; i < run.count; i++)
            over += !fits(&p->budget, w->hours[i], w->money[i]);
        w->over[k] += over;
    }
    count_duels(p, w, run.count);
}

static void portfolio_merge(void *state, size_t count)
{
    portfolio *p = state;
    fmc_series_set_merge_round(p->nets, count);
    fmc_moment_set_merge_round(p->costs, count);
}

/* Candidate K's figures on every draw of the run. */
static fmc_portfolio_set candidate_figures(portfolio *p, size_t k, const workspace *total)
{
    fmc_output_summary net;
    fmc_series_set_summarize(p->nets, k, p->confidence, &net);
    double n = (double)net.count, z = fmc_z_of_confidence(p->confidence);
    fmc_portfolio_set set = {.members = p->candidate[k], .net_mean = net.mean, .net_se = net.se};
    set.extra_hours = fmc_moment_set_moments(p->costs, 2 * k)->mean;
    set.extra_money = fmc_moment_set_moments(p->costs, 2 * k + 1)->mean;
    set.p_over = (double)total->over[k] / n;
    set.p_over_se = fmc_proportion_se(set.p_over, n);
    switch (p->budget.objective) {
    case FMC_OBJECTIVE_MEAN:
        set.objective = net.mean;
        set.objective_se = net.se;
        break;
    case FMC_OBJECTIVE_P_PROFIT:
        set.objective = (double)fmc_series_set_moments(p->nets, k)->positive / n;
        set.objective_se = fmc_proportion_se(set.objective, n);
        break;
    case FMC_OBJECTIVE_PERCENTILE:
        set.objective = net.quantiles[p->budget.percentile];
        set.objective_ci[0] = net.quantile_ci[p->budget.percentile][0];
        set.objective_ci[1] = net.quantile_ci[p->budget.percentile][1];
        /* the interval's half-width in standard errors */
        set.objective_se = (set.objective_ci[1] - set.objective_ci[0]) / (2 * z);
        return set;
    }
    set.objective_ci[0] = set.objective - z * set.objective_se;
    set.objective_ci[1] = set.objective + z * set.objective_se;
    return set;
}

static void portfolio_share(void *state, fmc_run_shares *shares)
{
    portfolio *p = state;
    fmc_series_set_share(p->nets, shares);
    fmc_moment_set_share(p->costs, shares);
    for (int t = 0; t < p->threads; t++)
        fmc_run_shares_sum_u64(shares, p->workspaces[t].over, COUNTS);
}

static fmc_status portfolio_finish(void *state, fmc_run_result *result)
{
    portfolio *p = state;
    size_t k = p->candidates;
    workspace *total = &p->workspaces[0];
    for (int t = 1; t < p->threads; t++)  /* integers: order-free */
        for (size_t i = 0; i < COUNTS; i++)
            total->over[i] += p->workspaces[t].over[i];
    fmc_portfolio_set sets[FMC_PORTFOLIO_CANDIDATES];
    ranked order[FMC_PORTFOLIO_CANDIDATES];
    size_t feasible = 0;
    for (size_t c = 0; c < k; c++) {
        sets[c] = candidate_figures(p, c, total);
        if (fits(&p->budget, sets[c].extra_hours, sets[c].extra_money))
            order[feasible++] = (ranked){p->candidate[c], sets[c].objective, sets[c].net_mean};
    }
    qsort(order, feasible, sizeof *order, by_objective);
    fmc_portfolio_result *out = &result->portfolio;
    memset(out, 0, sizeof *out);
    out->levers = p->levers;
    out->budget_hours = p->budget.hours;
    out->budget_money = p->budget.money;
    out->objective = p->budget.objective;
    out->percentile = p->budget.percentile;
    out->screen_samples = p->screen_count;
    out->screened = p->subsets;
    out->candidates = k;
    out->count = feasible < FMC_PORTFOLIO_REPORTED ? feasible : FMC_PORTFOLIO_REPORTED;
    size_t best[FMC_PORTFOLIO_REPORTED] = {0};  /* the reported sets' candidates */
    for (size_t r = 0; r < out->count; r++)
        for (size_t c = 0; c < k; c++)
            if (p->candidate[c] == order[r].mask) {
                out->sets[r] = sets[c];
                best[r] = c;
            }
    out->p_best_beats_second = out->p_best_beats_second_se = NAN;
    if (out->count >= 2) {
        double n = (double)fmc_series_set_moments(p->nets, best[0])->count;
        out->p_best_beats_second = (double)total->beats[best[0] * k + best[1]] / n;
        out->p_best_beats_second_se = fmc_proportion_se(out->p_best_beats_second, n);
    }
    return FMC_OK;
}

const fmc_accumulator_type fmc_portfolio_accumulator = {
    "portfolio",     portfolio_alloc, portfolio_pilot,  portfolio_begin, portfolio_add,
    portfolio_merge, NULL,            portfolio_finish, portfolio_free,
    portfolio_share,
};

void fmc_portfolio_result_errors(fmc_portfolio_result *r, fmc_error_visit visit, void *context)
{
    for (size_t k = 0; k < r->count; k++) {
        fmc_portfolio_set *set = &r->sets[k];
        fmc_error_list(visit, context, &set->objective, &set->objective_se, &set->objective_ci, 1,
                       0);
        fmc_error_list(visit, context, &set->net_mean, &set->net_se, NULL, 1, 0);
        fmc_error_list(visit, context, &set->p_over, &set->p_over_se, NULL, 1, 0);
    }
    fmc_error_list(visit, context, &r->p_best_beats_second, &r->p_best_beats_second_se, NULL, 1,
                   0);
}

void fmc_portfolio_result_align(fmc_portfolio_result *r, const fmc_portfolio_result *like)
{
    fmc_portfolio_set sets[FMC_PORTFOLIO_REPORTED];
    for (size_t k = 0; k < like->count; k++) {
        sets[k] = (fmc_portfolio_set){.members = like->sets[k].members,
                                      .objective = NAN, .objective_se = NAN,
                                      .objective_ci = {NAN, NAN}, .net_mean = NAN,
                                      .net_se = NAN, .extra_hours = NAN, .extra_money = NAN,
                                      .p_over = NAN, .p_over_se = NAN};
        for (size_t j = 0; j < r->count; j++)
            if (r->sets[j].members == like->sets[k].members)
                sets[k] = r->sets[j];
    }
    int same_duel = like->count >= 2 && r->count >= 2 &&
                    r->sets[0].members == like->sets[0].members &&
                    r->sets[1].members == like->sets[1].members;
    if (!same_duel)
        r->p_best_beats_second = r->p_best_beats_second_se = NAN;
    memcpy(r->sets, sets, like->count * sizeof *sets);
    r->count = like->count;
}
