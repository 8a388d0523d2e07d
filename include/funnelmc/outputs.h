/* The summary of the model's outputs (profit, ROI, sales) as an accumulator
 * (accumulator.h): each output a series (series.h), summarised into the
 * run result's outputs[] with the half-width of profit's mean.
 *
 * It also carries the stopping rule on profit's mean: with
 * options.precision_mean > 0 it is done once that half-width, at the
 * scenario's confidence, is at most the target. */
#ifndef FUNNELMC_OUTPUTS_H
#define FUNNELMC_OUTPUTS_H

#include "funnelmc/accumulator.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

extern const fmc_accumulator_type fmc_outputs_accumulator;

#pragma GCC visibility pop

#endif
