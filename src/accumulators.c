/* The registry of the analyses a run makes (accumulator.h): one row each,
 * called and finished in this order. */
#include "funnelmc/accumulator.h"

#include "funnelmc/break_even.h"
#include "funnelmc/correlation_check.h"
#include "funnelmc/drivers.h"
#include "funnelmc/horizon_summary.h"
#include "funnelmc/lever_comparison.h"
#include "funnelmc/outputs.h"
#include "funnelmc/portfolio.h"

const fmc_accumulator_type *const fmc_run_accumulators[] = {
    &fmc_outputs_accumulator,
    &fmc_horizon_accumulator,
    &fmc_break_even_accumulator,
    &fmc_lever_comparison_accumulator,
    &fmc_drivers_accumulator,
    &fmc_correlation_check_accumulator,
    &fmc_portfolio_accumulator,
};

const size_t fmc_run_accumulator_count =
    sizeof fmc_run_accumulators / sizeof fmc_run_accumulators[0];
