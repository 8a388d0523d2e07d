#include "funnelmc/model.h"

#include <math.h>
#include <string.h>
#include "dispatch.h"

static const char *const input_names[FMC_FUNNEL_INPUT_COUNT] = {
    "revenue_per_sale", "cost_of_goods", "followers",   "click_rate",
    "optin_rate",       "purchase_rate", "hourly_rate", "hours"};

static const char *const output_names[FMC_OUTPUT_COUNT] = {"profit", "roi", "sales", "margin",
                                                           "cost"};

const char *fmc_input_name(fmc_input_id id)
{
    return (unsigned)id < FMC_FUNNEL_INPUT_COUNT ? input_names[id] : "unknown";
}

const char *fmc_output_name(fmc_output_id id)
{
    return (unsigned)id < FMC_OUTPUT_COUNT ? output_names[id] : "unknown";
}

int fmc_input_find(const char *name)
{
    for (int i = 0; i < FMC_FUNNEL_INPUT_COUNT; i++)
        if (strcmp(name, input_names[i]) == 0)
            return i;
    return -1;
}

int fmc_input_is_rate(fmc_input_id id)
{
    return id == FMC_CLICK_RATE || id == FMC_OPTIN_RATE || id == FMC_PURCHASE_RATE;
}

void fmc_model_eval(const double *values, size_t cost_lines, double out[FMC_OUTPUT_COUNT])
{
    const double *inputs[FMC_FUNNEL_INPUT_COUNT + cost_lines + 1];
    double *outputs[FMC_OUTPUT_COUNT];
    for (size_t j = 0; j < FMC_FUNNEL_INPUT_COUNT + cost_lines; j++)
        inputs[j] = &values[j];
    for (size_t k = 0; k < FMC_OUTPUT_COUNT; k++)
        outputs[k] = &out[k];
    fmc_model_eval_block(inputs, cost_lines, 1, outputs);
}

FMC_HOT_LOOP
void fmc_model_eval_block(const double *const *in, size_t cost_lines, size_t count,
                          double *const *out)
{
    const double *R = in[FMC_REVENUE_PER_SALE], *Cg = in[FMC_COST_OF_GOODS];
    const double *F = in[FMC_FOLLOWERS], *Cr = in[FMC_CLICK_RATE];
    const double *Or = in[FMC_OPTIN_RATE], *Pr = in[FMC_PURCHASE_RATE];
    const double *h = in[FMC_HOURLY_RATE], *T = in[FMC_HOURS];
    double *profit = out[FMC_OUT_PROFIT], *roi = out[FMC_OUT_ROI], *sales = out[FMC_OUT_SALES];
    double *margin = out[FMC_OUT_MARGIN], *cost = out[FMC_OUT_COST];

    for (size_t i = 0; i < count; i++) {
        sales[i] = F[i] * Cr[i] * Or[i] * Pr[i];
        margin[i] = (R[i] - Cg[i]) * sales[i];
        cost[i] = h[i] * T[i];
    }
    /* Cost lines are added in scenario order, one pass each, so the sum is
     * the same whatever the block size. */
    for (size_t line = 0; line < cost_lines; line++) {
        const double *c = in[FMC_FUNNEL_INPUT_COUNT + line];
        for (size_t i = 0; i < count; i++)
            cost[i] += c[i];
    }
    for (size_t i = 0; i < count; i++) {
        profit[i] = margin[i] - cost[i];
        roi[i] = cost[i] > 0 ? profit[i] / cost[i] : NAN;
    }
}

FMC_HOT_LOOP
void fmc_model_profit_block(const double *const *in, size_t cost_lines, size_t count,
                            double *profit)
{
    const double *R = in[FMC_REVENUE_PER_SALE], *Cg = in[FMC_COST_OF_GOODS];
    const double *F = in[FMC_FOLLOWERS], *Cr = in[FMC_CLICK_RATE];
    const double *Or = in[FMC_OPTIN_RATE], *Pr = in[FMC_PURCHASE_RATE];
    const double *h = in[FMC_HOURLY_RATE], *T = in[FMC_HOURS];
    /* profit holds the cost until the last pass */
    for (size_t i = 0; i < count; i++)
        profit[i] = h[i] * T[i];
    for (size_t line = 0; line < cost_lines; line++) {
        const double *c = in[FMC_FUNNEL_INPUT_COUNT + line];
        for (size_t i = 0; i < count; i++)
            profit[i] += c[i];
    }
    for (size_t i = 0; i < count; i++)
        profit[i] = (R[i] - Cg[i]) * (F[i] * Cr[i] * Or[i] * Pr[i]) - profit[i];
}
