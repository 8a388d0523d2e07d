#include "funnelmc/tornado.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/engine.h"
#include "funnelmc/horizon.h"
#include "funnelmc/model.h"

void fmc_tornado_clear(fmc_tornado *t)
{
    if (!t)
        return;
    free(t->order);
    free(t->low_value);
    free(t->high_value);
    free(t->low_profit);
    free(t->high_profit);
    free(t->swing);
    free(t->spider_value);
    free(t->spider_profit);
    memset(t, 0, sizeof *t);
}

/* Profit with input J at VALUE and every other input at its base; over a
 * horizon (PATH not NULL) in every period, profit over the horizon. */
static double profit_with(const fmc_scenario *s, fmc_path *path, size_t j, double value)
{
    double values[FMC_MAX_INPUTS], out[FMC_OUTPUT_COUNT];
    for (size_t i = 0; i < s->input_count; i++)
        values[i] = i == j ? value : s->inputs[i].base;
    if (path)
        fmc_path_eval_fixed(path, s->horizon->periods, values, out);
    else
        fmc_model_eval(values, fmc_scenario_cost_lines(s), out);
    return out[FMC_OUT_PROFIT];
}

typedef struct bar {
    double swing;
    size_t input;
} bar;

/* Largest swing first; the input index breaks ties, so the order is total
 * and the same on every machine. */
static int by_swing(const void *a, const void *b)
{
    const bar *x = a, *y = b;
    if (x->swing != y->swing)
        return x->swing < y->swing ? 1 : -1;
    return (x->input > y->input) - (x->input < y->input);
}

fmc_status fmc_tornado_compute(const fmc_scenario *s, fmc_tornado *t)
{
    memset(t, 0, sizeof *t);
    size_t d = s->input_count;
    t->count = d;
    t->low_percentile = s->tornado_low;
    t->high_percentile = s->tornado_high;
    double base[FMC_OUTPUT_COUNT];
    fmc_path *path = NULL;
    fmc_status status = fmc_base_case(s, 0, base);
    if (!status && s->horizon)
        status = fmc_path_alloc(s, 1, 0, &path);
    if (status)
        return status;
    t->base_profit = base[FMC_OUT_PROFIT];
    t->order = malloc(d * sizeof *t->order);
    double *columns = malloc(5 * d * sizeof *columns);
    t->spider_value = malloc(d * FMC_SPIDER_LEVELS * sizeof *t->spider_value);
    t->spider_profit = malloc(d * FMC_SPIDER_LEVELS * sizeof *t->spider_profit);
    t->low_value = malloc(d * sizeof *t->low_value);
    t->high_value = malloc(d * sizeof *t->high_value);
    t->low_profit = malloc(d * sizeof *t->low_profit);
    t->high_profit = malloc(d * sizeof *t->high_profit);
    t->swing = malloc(d * sizeof *t->swing);
    if (!t->order || !columns || !t->spider_value || !t->spider_profit || !t->low_value ||
        !t->high_value || !t->low_profit || !t->high_profit || !t->swing) {
        free(columns);
        fmc_path_free(path);
        fmc_tornado_clear(t);
        return FMC_ENOMEM;
    }
    /* Per input, in input order first; sorted into the bars below. */
    double *low_value = columns, *high_value = columns + d, *low_profit = columns + 2 * d;
    double *high_profit = columns + 3 * d, *swing = columns + 4 * d;
    for (size_t j = 0; j < d; j++) {
        const fmc_dist *dist = &s->inputs[j].dist;
        low_value[j] = fmc_dist_quantile(dist, s->tornado_low / 100);
        high_value[j] = fmc_dist_quantile(dist, s->tornado_high / 100);
        low_profit[j] = profit_with(s, path, j, low_value[j]);
        high_profit[j] = profit_with(s, path, j, high_value[j]);
        swing[j] = fabs(high_profit[j] - low_profit[j]);
        for (int k = 0; k < FMC_SPIDER_LEVELS; k++) {
            double level = 0.05 * (k + 1);
            double value = fmc_dist_quantile(dist, level);
            t->spider_levels[k] = level;
            t->spider_value[j * FMC_SPIDER_LEVELS + k] = value;
            t->spider_profit[j * FMC_SPIDER_LEVELS + k] = profit_with(s, path, j, value);
            if (!isfinite(value))
                status = FMC_ENUMERIC;
        }
        if (!isfinite(low_value[j]) || !isfinite(high_value[j]))
            status = FMC_ENUMERIC;
    }
    fmc_path_free(path);
    bar *bars = malloc(d * sizeof *bars);
    if (!bars) {
        free(columns);
        fmc_tornado_clear(t);
        return FMC_ENOMEM;
    }
    for (size_t j = 0; j < d; j++)
        bars[j] = (bar){swing[j], j};
    qsort(bars, d, sizeof *bars, by_swing);
    for (size_t b = 0; b < d; b++) {
        size_t j = t->order[b] = bars[b].input;
        t->low_value[b] = low_value[j];
        t->high_value[b] = high_value[j];
        t->low_profit[b] = low_profit[j];
        t->high_profit[b] = high_profit[j];
        t->swing[b] = swing[j];
    }
    free(bars);
    free(columns);
    if (status)
        fmc_tornado_clear(t);
    return status;
}
