/* The profit model of a social-media funnel for one period:
 *
 *   sales  = F Cr Or Pr
 *   margin = (R - Cg) sales                      gross margin
 *   cost   = h T + sum of the cost lines
 *   profit = margin - cost
 *   roi    = (margin - cost) / cost = profit / cost   (only where cost > 0)
 *
 * with R revenue per sale, Cg cost of goods per sale, F followers, Cr click
 * rate, Or opt-in rate, Pr purchase rate, h hourly rate, T hours. */
#ifndef FUNNELMC_MODEL_H
#define FUNNELMC_MODEL_H

#include <stddef.h>

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* The eight funnel inputs, in the order of the scenario format; cost lines
 * follow them at index FMC_FUNNEL_INPUT_COUNT and up. */
typedef enum fmc_input_id {
    FMC_REVENUE_PER_SALE,
    FMC_COST_OF_GOODS,
    FMC_FOLLOWERS,
    FMC_CLICK_RATE,
    FMC_OPTIN_RATE,
    FMC_PURCHASE_RATE,
    FMC_HOURLY_RATE,
    FMC_HOURS,
    FMC_FUNNEL_INPUT_COUNT
} fmc_input_id;

/* The outputs of one evaluation, in this order everywhere (HDF5, summaries).
 * The first FMC_SUMMARY_COUNT are the ones summarised in results; margin and
 * cost are the model's intermediate lines (kept with --save-samples). */
typedef enum fmc_output_id {
    FMC_OUT_PROFIT,
    FMC_OUT_ROI,
    FMC_OUT_SALES,
    FMC_OUT_MARGIN,
    FMC_OUT_COST,
    FMC_OUTPUT_COUNT
} fmc_output_id;

#define FMC_SUMMARY_COUNT 3  /* profit, roi, sales */

/* Scenario key of funnel input ID ("click_rate", ...); static storage. */
const char *fmc_input_name(fmc_input_id id);
/* Name of output ID ("profit", ...); static storage. */
const char *fmc_output_name(fmc_output_id id);
/* Index of the funnel input called NAME, or -1. */
int fmc_input_find(const char *name);
/* 1 for the three rates, which must stay inside [0, 1]. */
int fmc_input_is_rate(fmc_input_id id);

/* Evaluates the model for one set of inputs: VALUES[0..7] are the funnel
 * inputs, VALUES[8..8+COST_LINES) the cost lines.  OUT[FMC_OUT_ROI] is NaN
 * when the cost is not positive (ROI undefined). */
void fmc_model_eval(const double *values, size_t cost_lines, double out[FMC_OUTPUT_COUNT]);

/* Evaluates COUNT samples at once: inputs[j][i] is input j of sample i,
 * outputs[k][i] output k.  Same results as fmc_model_eval, sample by sample. */
void fmc_model_eval_block(const double *const *inputs, size_t cost_lines, size_t count,
                          double *const *outputs);

/* Profit alone for COUNT samples (inputs as for fmc_model_eval_block), with
 * the same operations in the same order, so the same bits. */
void fmc_model_profit_block(const double *const *inputs, size_t cost_lines, size_t count,
                            double *profit);

#pragma GCC visibility pop

#endif
