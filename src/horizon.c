/* The horizon model; horizon.h states it.  A path is followed for a whole
 * block of samples at once, period by period, with the one-period model
 * (model.h) evaluating each period: what changes from one period to the
 * next is only the state the model does not know (the audience's growth
 * multiplier, the budgets' carried money) and the inputs drawn anew. */
#include "funnelmc/horizon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/stream.h"

_Static_assert(FMC_MAX_INPUTS <= FMC_PERIOD_SLOTS, "a period's draws fit its slots");

/* Lever slots of a path: a lever, the two of a pair, or a set for a budget. */
#define MAX_PATH_LEVERS FMC_MAX_BUDGET_LEVERS

struct fmc_path {
    const fmc_scenario *s;
    uint32_t **words;      /* [input] for inputs drawn anew each period; else NULL */
    double **fresh;        /* [input] their values in the current period */
    double **run_scratch;  /* [input + 1] the run's changes (fmc_lever_apply) */
    double **lever_scratch[MAX_PATH_LEVERS];  /* [input + 1] each lever's */
    const double **raw, **view;               /* [input] */
    const double **lever_view[MAX_PATH_LEVERS];
    const double **model_view;                /* [input] what the model reads */
    double *followers, *growth_factor;        /* F_t and G_t */
    double **spend, **carry;                  /* [budget] */
    double *period[FMC_OUTPUT_COUNT];         /* a period's outputs */
    double *own_cost;                         /* a period's own cost of the levers */
    unsigned char *clamped;
};

double fmc_horizon_discount(double rate, uint32_t t)
{
    return rate == 0 ? 1 : pow(1 + rate, -(double)(t - 1));
}

void fmc_horizon_payback(double rate, uint32_t periods, const double *const *flows, size_t count,
                         uint32_t *payback)
{
    double discount[FMC_MAX_PERIODS + 1];
    for (uint32_t t = 2; t <= periods; t++)
        discount[t] = fmc_horizon_discount(rate, t);
    for (size_t i = 0; i < count; i++) {
        /* payback follows the last period whose cumulative flow is <= 0 */
        double cumulative = flows[0][i];
        uint32_t last_not_positive = cumulative > 0 ? 0 : 1;
        for (uint32_t t = 2; t <= periods; t++) {
            cumulative += discount[t] * flows[t - 1][i];
            if (!(cumulative > 0))
                last_not_positive = t;
        }
        payback[i] = last_not_positive + 1;
    }
}

/* The weight of LEVER's changes in period T. */
static double lever_weight(const fmc_lever *lever, uint32_t t)
{
    if (t < lever->start)
        return 0;
    double w = (double)(t - lever->start + 1) / lever->ramp;
    return w < 1 ? w : 1;
}

/* Whether input J is drawn anew each period (a constant never changes). */
static int redrawn(const fmc_scenario *s, size_t j)
{
    return s->inputs[j].each_period && s->inputs[j].dist.kind != FMC_DIST_CONSTANT;
}

static void free_arrays(double **arrays, size_t count)
{
    for (size_t k = 0; arrays && k < count; k++)
        free(arrays[k]);
    free(arrays);
}

void fmc_path_free(fmc_path *p)
{
    if (!p)
        return;
    size_t d = p->s->input_count;
    for (size_t j = 0; p->words && j < d; j++)
        free(p->words[j]);
    free(p->words);
    free_arrays(p->fresh, d);
    free_arrays(p->run_scratch, d + 1);
    for (size_t k = 0; k < MAX_PATH_LEVERS; k++) {
        free_arrays(p->lever_scratch[k], d + 1);
        free(p->lever_view[k]);
    }
    free(p->raw);
    free(p->view);
    free(p->model_view);
    free(p->followers);
    free(p->growth_factor);
    free_arrays(p->spend, p->s->horizon->budget_count);
    free_arrays(p->carry, p->s->horizon->budget_count);
    for (size_t k = 0; k < FMC_OUTPUT_COUNT; k++)
        free(p->period[k]);
    free(p->own_cost);
    free(p->clamped);
    free(p);
}

/* COUNT arrays of N doubles, all allocated or NULL. */
static double **alloc_arrays(size_t count, size_t n)
{
    double **arrays = calloc(count ? count : 1, sizeof *arrays);
    for (size_t k = 0; arrays && k < count; k++)
        if (!(arrays[k] = malloc(n * sizeof **arrays))) {
            free_arrays(arrays, count);
            return NULL;
        }
    return arrays;
}

fmc_status fmc_path_alloc(const fmc_scenario *s, size_t capacity, size_t max_levers,
                          fmc_path **out)
{
    *out = NULL;
    fmc_path *p = calloc(1, sizeof *p);
    if (!p)
        return FMC_ENOMEM;
    size_t d = s->input_count, n = capacity ? capacity : 1;
    size_t budgets = s->horizon->budget_count;
    p->s = s;
    p->words = calloc(d, sizeof *p->words);
    p->fresh = calloc(d, sizeof *p->fresh);
    int ok = p->words && p->fresh;
    for (size_t j = 0; ok && j < d; j++)
        if (redrawn(s, j))
            ok = (p->words[j] = malloc(n * sizeof **p->words)) &&
                 (p->fresh[j] = malloc(n * sizeof **p->fresh));
    ok = ok && (p->run_scratch = alloc_arrays(d + 1, n));
    for (size_t k = 0; ok && k < max_levers; k++)
        ok = (p->lever_scratch[k] = alloc_arrays(d + 1, n)) &&
             (p->lever_view[k] = calloc(d, sizeof *p->lever_view[k]));
    ok = ok && (p->raw = calloc(d, sizeof *p->raw)) && (p->view = calloc(d, sizeof *p->view)) &&
         (p->model_view = calloc(d, sizeof *p->model_view)) &&
         (p->followers = malloc(n * sizeof *p->followers)) &&
         (p->growth_factor = malloc(n * sizeof *p->growth_factor)) &&
         (p->spend = alloc_arrays(budgets, n)) && (p->carry = alloc_arrays(budgets, n)) &&
         (p->own_cost = malloc(n * sizeof *p->own_cost)) && (p->clamped = malloc(n));
    for (size_t k = 0; ok && k < FMC_OUTPUT_COUNT; k++)
        ok = (p->period[k] = malloc(n * sizeof *p->period[k])) != NULL;
    if (!ok) {
        fmc_path_free(p);
        return FMC_ENOMEM;
    }
    *out = p;
    return FMC_OK;
}

/* Period T's values of the inputs drawn anew each period, from SRC's
 * draws (one fill per purpose: a pick-freeze row mixes two, each holding
 * whole correlated groups, see draws.h). */
static void draw_period(fmc_path *p, const fmc_path_source *src, uint32_t t, size_t count)
{
    const fmc_scenario *s = p->s;
    size_t d = s->input_count;
    uint32_t *words[FMC_MAX_INPUTS];
    unsigned char done[FMC_MAX_INPUTS] = {0};
    for (size_t j = 0; j < d; j++) {
        if (!p->words[j] || done[j])
            continue;
        uint32_t purpose = src->purposes ? src->purposes[j] : FMC_PURPOSE_SAMPLES;
        for (size_t k = 0; k < d; k++) {
            int same = p->words[k] && !done[k] &&
                       (src->purposes ? src->purposes[k] : FMC_PURPOSE_SAMPLES) == purpose;
            words[k] = same ? p->words[k] : NULL;
            done[k] |= (unsigned char)same;
        }
        fmc_draws_fill(src->draws, purpose, t, src->first, count, words);
    }
    for (size_t j = 0; j < d; j++)
        if (p->words[j])
            fmc_sampler_transform(src->samplers[j], p->words[j], p->fresh[j], count);
}

size_t fmc_period_table_bytes(const fmc_scenario *s, uint32_t periods, size_t count)
{
    size_t redrawn_inputs = 0;
    for (size_t j = 0; j < s->input_count; j++)
        redrawn_inputs += (size_t)redrawn(s, j);
    return periods > 1 ? (size_t)(periods - 1) * redrawn_inputs * count * sizeof(double) : 0;
}

void fmc_period_table_clear(fmc_period_table *table)
{
    free(table->values);
    free(table->storage);
    memset(table, 0, sizeof *table);
}

/* Samples of the table filled at once: every redrawn input of a period
 * in one fill keeps correlated groups whole, in memory that does not grow
 * with the table. */
#define TABLE_CHUNK 4096

fmc_status fmc_period_table_fill(fmc_period_table *table, const fmc_scenario *s,
                                 fmc_sampler *const *samplers, const fmc_draws *draws,
                                 uint32_t periods, size_t count)
{
    size_t d = s->input_count, later = periods > 1 ? periods - 1 : 0;
    memset(table, 0, sizeof *table);
    table->periods = periods;
    table->count = count;
    table->values = calloc(later * d + 1, sizeof *table->values);
    table->storage = malloc(fmc_period_table_bytes(s, periods, count) + sizeof(double));
    uint32_t *storage = malloc(d * TABLE_CHUNK * sizeof *storage);
    if (!table->values || !table->storage || !storage) {
        free(storage);
        fmc_period_table_clear(table);
        return FMC_ENOMEM;
    }
    uint32_t *words[FMC_MAX_INPUTS] = {NULL};
    for (size_t j = 0; j < d; j++)
        words[j] = redrawn(s, j) ? storage + j * TABLE_CHUNK : NULL;
    double *next = table->storage;
    for (uint32_t t = 2; t <= periods; t++) {
        double *column[FMC_MAX_INPUTS];
        for (size_t j = 0; j < d; j++)
            if (words[j]) {
                table->values[(t - 2) * d + j] = column[j] = next;
                next += count;
            }
        for (size_t first = 0; first < count; first += TABLE_CHUNK) {
            size_t n = count - first < TABLE_CHUNK ? count - first : TABLE_CHUNK;
            fmc_draws_fill(draws, FMC_PURPOSE_SAMPLES, t, first, n, words);
            for (size_t j = 0; j < d; j++)
                if (words[j])
                    fmc_sampler_transform(samplers[j], words[j], column[j] + first, n);
        }
    }
    free(storage);
    return FMC_OK;
}

/* Applies LEVER with weight W on top of COLUMNS, into slot K's view:
 * fmc_lever_apply, then every changed column drawn back towards the
 * unchanged one.  Returns the view. */
static const double **apply_weighted(fmc_path *p, size_t k, const fmc_path_lever *lever, double w,
                                     const double **columns, size_t count, unsigned char *clamped)
{
    const fmc_scenario *s = p->s;
    const double **view = p->lever_view[k];
    fmc_lever_apply(s, lever->lever, lever->draws, columns, count, p->lever_scratch[k], view,
                    p->clamped);
    for (size_t i = 0; clamped && i < count; i++)
        clamped[i] |= p->clamped[i];
    if (w < 1)
        for (size_t j = 0; j < s->input_count; j++) {
            if (view[j] == columns[j])
                continue;
            double *x = p->lever_scratch[k][j];
            for (size_t i = 0; i < count; i++)
                x[i] = columns[j][i] + w * (x[i] - columns[j][i]);
        }
    return view;
}

/* The levers' own cost of period T into p->own_cost; H is the period's
 * hourly rate as the levers see it. */
static void own_cost(fmc_path *p, const fmc_path_lever *levers, size_t lever_count, uint32_t t,
                    const double *h, size_t count)
{
    for (size_t i = 0; i < count; i++)
        p->own_cost[i] = 0;
    for (size_t k = 0; k < lever_count; k++) {
        const fmc_path_lever *l = &levers[k];
        const fmc_lever *lever = l->lever;
        if (t < lever->start)
            continue;
        for (size_t i = 0; i < count; i++) {
            double c = (l->money ? l->money[i] : lever->cost_money) +
                       (l->hours ? l->hours[i] : lever->cost_hours) * h[i];
            if (t == lever->start)
                c += (l->once_money ? l->once_money[i] : lever->once_money) +
                     (l->once_hours ? l->once_hours[i] : lever->once_hours) * h[i];
            p->own_cost[i] += c;
        }
    }
}

/* The audience and the budgets of the period: MODEL_VIEW is VIEW with the
 * followers F G_t and each budgeted line's spend. */
static void period_state(fmc_path *p, uint32_t t, const double **view, size_t count)
{
    const fmc_scenario *s = p->s;
    const fmc_horizon *h = s->horizon;
    memcpy(p->model_view, view, s->input_count * sizeof *view);
    const double *f = view[FMC_FOLLOWERS];
    for (size_t i = 0; i < count; i++) {
        double x = f[i] * p->growth_factor[i];
        p->followers[i] = x < FMC_MAX_MAGNITUDE ? x : FMC_MAX_MAGNITUDE;
    }
    p->model_view[FMC_FOLLOWERS] = p->followers;
    for (size_t b = 0; b < h->budget_count; b++) {
        const fmc_budget *budget = &h->budgets[b];
        double plan = budget->plan[(t - 1) % budget->plan_count];
        const double *wanted = view[budget->line];
        double *spend = p->spend[b], *carry = p->carry[b];
        for (size_t i = 0; i < count; i++) {
            double available = plan + carry[i];
            spend[i] = wanted[i] < available ? wanted[i] : available;
            carry[i] = budget->rollover ? available - spend[i] : 0;
        }
        p->model_view[budget->line] = spend;
    }
}

/* G_{t+1} from G_t and the period's growth and churn. */
static void grow(fmc_path *p, const double **view, size_t count)
{
    const fmc_horizon *h = p->s->horizon;
    const double *g = view[h->growth], *c = view[h->churn];
    for (size_t i = 0; i < count; i++) {
        double factor = 1 + g[i] - c[i];
        double next = p->growth_factor[i] * (factor > 0 ? factor : 0);
        p->growth_factor[i] = next < FMC_MAX_MAGNITUDE ? next : FMC_MAX_MAGNITUDE;
    }
}

void fmc_path_eval(fmc_path *p, const fmc_path_source *src, uint32_t periods,
                   const double *const *drawn, size_t count, const fmc_path_changes *changes,
                   const fmc_path_lever *levers, size_t lever_count, const fmc_path_outputs *out)
{
    const fmc_scenario *s = p->s;
    size_t d = s->input_count, lines = fmc_scenario_cost_lines(s);
    double rate = s->horizon->discount_rate;
    double *const *total = out->outputs;
    int profit_only = !total[FMC_OUT_ROI];
    for (size_t i = 0; i < count; i++)
        p->growth_factor[i] = 1;
    for (size_t b = 0; b < s->horizon->budget_count; b++)
        memset(p->carry[b], 0, count * sizeof *p->carry[b]);
    if (out->clamped)
        memset(out->clamped, 0, count);
    fmc_lever run = {.changes = changes ? (fmc_change *)changes->changes : NULL,
                     .change_count = changes ? changes->count : 0};
    for (uint32_t t = 1; t <= periods; t++) {
        const double *const *table =
            src && src->table && t > 1 ? src->table->values + (size_t)(t - 2) * d : NULL;
        if (src && t > 1 && !table)
            draw_period(p, src, t, count);
        for (size_t j = 0; j < d; j++)
            p->raw[j] = !(src && t > 1 && p->words[j]) ? drawn[j]
                        : table                         ? table[j] + src->first
                                                        : p->fresh[j];
        const double **view = p->view;
        if (run.change_count)
            fmc_lever_apply(s, &run, changes->draws, p->raw, count, p->run_scratch, view,
                            p->clamped);
        else
            memcpy(view, p->raw, d * sizeof *view);
        for (size_t k = 0; k < lever_count; k++) {
            double w = lever_weight(levers[k].lever, t);
            if (w > 0)
                view = apply_weighted(p, k, &levers[k], w, view, count, out->clamped);
        }
        period_state(p, t, view, count);
        /* period 1 goes straight into the totals: with one period they are
         * the one-period model's outputs, bit for bit */
        double *const *period = t == 1 ? total : p->period;
        if (profit_only)
            fmc_model_profit_block(p->model_view, lines, count, period[FMC_OUT_PROFIT]);
        else
            fmc_model_eval_block(p->model_view, lines, count, period);
        if (t > 1) {
            double discount = fmc_horizon_discount(rate, t);
            for (size_t i = 0; i < count; i++)
                total[FMC_OUT_PROFIT][i] += discount * period[FMC_OUT_PROFIT][i];
            for (size_t i = 0; !profit_only && i < count; i++) {
                total[FMC_OUT_MARGIN][i] += discount * period[FMC_OUT_MARGIN][i];
                total[FMC_OUT_COST][i] += discount * period[FMC_OUT_COST][i];
                total[FMC_OUT_SALES][i] += period[FMC_OUT_SALES][i];
            }
        }
        if (out->period_profit)
            memcpy(out->period_profit[t - 1], period[FMC_OUT_PROFIT], count * sizeof(double));
        if (lever_count && (out->own_cost || out->period_own_cost)) {
            own_cost(p, levers, lever_count, t, view[FMC_HOURLY_RATE], count);
            if (out->period_own_cost)
                memcpy(out->period_own_cost[t - 1], p->own_cost, count * sizeof(double));
            if (out->own_cost) {
                double discount = fmc_horizon_discount(rate, t);
                for (size_t i = 0; i < count; i++)
                    out->own_cost[i] =
                        t == 1 ? p->own_cost[i] : out->own_cost[i] + discount * p->own_cost[i];
            }
        }
        grow(p, view, count);
    }
    if (out->own_cost && !lever_count)
        memset(out->own_cost, 0, count * sizeof *out->own_cost);
    for (size_t i = 0; !profit_only && i < count; i++)
        total[FMC_OUT_ROI][i] = total[FMC_OUT_COST][i] > 0
                                    ? total[FMC_OUT_PROFIT][i] / total[FMC_OUT_COST][i]
                                    : NAN;
}

void fmc_path_eval_fixed(fmc_path *p, uint32_t periods, const double *values,
                         double out[FMC_OUTPUT_COUNT])
{
    const double *drawn[FMC_MAX_INPUTS];
    double *outputs[FMC_OUTPUT_COUNT];
    for (size_t j = 0; j < p->s->input_count; j++)
        drawn[j] = &values[j];
    for (size_t k = 0; k < FMC_OUTPUT_COUNT; k++)
        outputs[k] = &out[k];
    fmc_path_outputs o = {.outputs = outputs};
    fmc_path_eval(p, NULL, periods, drawn, 1, NULL, NULL, 0, &o);
}
