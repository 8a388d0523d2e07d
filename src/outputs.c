/* Moments and histograms of the model's outputs; see outputs.h. */
#include "funnelmc/outputs.h"

#include <math.h>
#include <stdlib.h>
#include "funnelmc/engine.h"
#include "funnelmc/series.h"

typedef struct outputs {
    fmc_series_set *series;  /* [FMC_SUMMARY_COUNT] */
    double confidence, z;
    double precision_mean;   /* 0: no stopping rule */
} outputs;

static void outputs_free(void *state)
{
    outputs *o = state;
    if (!o)
        return;
    fmc_series_set_free(o->series);
    free(o);
}

static fmc_status outputs_alloc(const fmc_run_setup *setup, void **state)
{
    *state = NULL;
    outputs *o = calloc(1, sizeof *o);
    if (!o)
        return FMC_ENOMEM;
    o->confidence = setup->scenario->confidence;
    o->z = fmc_z_of_confidence(o->confidence);
    o->precision_mean = setup->options->precision_mean > 0 ? setup->options->precision_mean : 0;
    if (fmc_series_set_alloc(FMC_SUMMARY_COUNT, setup->threads, setup->round_blocks, &o->series)) {
        outputs_free(o);
        return FMC_ENOMEM;
    }
    *state = o;
    return FMC_OK;
}

static void outputs_pilot(void *state, int thread, const fmc_block *block)
{
    outputs *o = state;
    for (size_t k = 0; k < FMC_SUMMARY_COUNT; k++)
        fmc_series_set_pilot(o->series, thread, k, block->outputs[k], block->count);
}

static fmc_status outputs_begin(void *state)
{
    return fmc_series_set_begin(((outputs *)state)->series);
}

static void outputs_add(void *state, int thread, size_t slot, const fmc_block *block)
{
    outputs *o = state;
    for (size_t k = 0; k < FMC_SUMMARY_COUNT; k++)
        fmc_series_set_add(o->series, thread, slot, k, block->outputs[k], block->count);
}

static void outputs_share(void *state, fmc_run_shares *shares)
{
    fmc_series_set_share(((outputs *)state)->series, shares);
}

static void outputs_merge(void *state, size_t count)
{
    fmc_series_set_merge_round(((outputs *)state)->series, count);
}

static double profit_half_width(const outputs *o)
{
    return fmc_mean_half_width(fmc_series_set_moments(o->series, FMC_OUT_PROFIT), o->z);
}

static int outputs_done(const void *state)
{
    const outputs *o = state;
    return o->precision_mean > 0 && profit_half_width(o) <= o->precision_mean;
}

static fmc_status outputs_finish(void *state, fmc_run_result *out)
{
    outputs *o = state;
    for (size_t k = 0; k < FMC_SUMMARY_COUNT; k++)
        fmc_series_set_summarize(o->series, k, o->confidence, &out->outputs[k]);
    out->mean_half_width = profit_half_width(o);
    return FMC_OK;
}

const fmc_accumulator_type fmc_outputs_accumulator = {
    "outputs",     outputs_alloc, outputs_pilot,  outputs_begin, outputs_add,
    outputs_merge, outputs_done,  outputs_finish, outputs_free,  outputs_share,
};
