/* A run under a sampling design (design.h), with standard errors that hold
 * for it: fmc_simulate.
 *
 * With R replicates (R > 1) the run is N = R n samples, R independent
 * randomisations of n points.  Within a replicate the points of lhs and
 * qmc are not independent, so the i.i.d. formulas misstate every error
 * (they overstate it, often many times).  So the run makes
 *   - one pooled pass over all R n samples (fmc_simulate_pass from sample
 *     0), which gives every figure, histogram, order and ranking, all
 *     consistent with each other as in a plain run; and
 *   - R replicate passes, replicate r over samples r n .. (r + 1) n - 1 of
 *     the same design (the same words as the pooled pass's),
 * and replaces the error of every figure that the results list (errors.h)
 * by the spread of the replicates' values f_r of it (the batch means of
 * the randomised QMC literature: Owen, "Monte Carlo theory, methods and
 * examples", 2013, ch. 17):
 *   se = sd_r(f_r) sqrt(m / M),  interval = f -+ t se,
 *   t  = the (1 + confidence) / 2 quantile of Student's t with R - 1
 *        degrees of freedom (fmc_t_of_confidence in stats.h),
 * f the pooled figure, m and M the samples the figure is measured on in a
 * replicate and in the pooled pass: n and R n (so se = sd / sqrt(R)), or
 * for a figure of the first S samples only (errors.h's subsample: the
 * equivalents, break-even values) min(S, n) and min(S, R n) -- when
 * S <= n the pooled figure is replicate 0's, and its se is sd_r(f_r)
 * itself.  Student's t, not the normal z: with R = 16 the z interval
 * covers 93.1 % instead of 95 %.  A figure that is NaN or infinite in any
 * replicate gets a NaN error: the replicates cannot tell its spread (a
 * portfolio set that a replicate does not report, say: see
 * fmc_portfolio_result_align).  Quantiles and the payback median get their
 * intervals this way too, in place of the order statistics' (which assume
 * independent samples); for a figure that takes few values (a median
 * period) the replicates may all agree, and the interval is then a point.
 *
 * The price is twice the evaluations of one pass over N samples.  The
 * other way, averaging the replicates' figures, would cost one pass, but
 * every figure derived from others (rankings, orders, intervals of
 * quantiles, histograms, the break-even roots) would have to be
 * re-derived from averages, and would no longer agree with each other;
 * the pooled pass keeps them all exactly as a plain run makes them.
 *
 * The design is fmc_run_design's.  N not a multiple of R:
 * n = ceil(N / R), and the run draws (and reports) R n samples.  lhs and
 * qmc need R >= 2 (there is no honest error from one randomisation).  mc
 * with R = 1 is exactly one pass, today's bits.
 *
 * Stopping rule (options.precision_mean, else the scenario's precision.mean)
 * with R > 1: n starts at FMC_CHECKPOINT_BLOCKS blocks over R and doubles
 * until the replicate half-width of the mean profit, t sd_r / sqrt(R), is
 * at most the target, or R n would pass max_samples (then n is the most
 * that fits); this search runs the replicate passes with the summary
 * alone, and the run is then made at the n found, as above.  The search
 * costs at most twice the final replicate passes' summary.
 *
 * Progress: the caller's callback sees one count over all passes, of a
 * total that is the most the run can draw (2 R n, or with the stopping
 * rule 4 max_samples).  The sample sink gets the pooled pass's draws only.
 * In a shared run (options.team) every process makes the same passes in
 * the same order, each collective as a plain run is.  The result's design
 * says {method, R, n} (n the samples of the one pass with R = 1); its
 * seconds are those of all passes, its threads the pooled pass's. */
#ifndef FUNNELMC_REPLICATES_H
#define FUNNELMC_REPLICATES_H

#include "funnelmc/engine.h"
#include "funnelmc/errors.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* Lists every figure of R with an error (errors.h), module by module:
 * the outputs, drivers, levers, horizon, portfolio, break-even and the
 * realised correlations. */
void fmc_run_result_errors(fmc_run_result *r, fmc_error_visit visit, void *context);

/* The design a run of SAMPLES samples (N) of SCENARIO with OPTIONS makes:
 * the method options.design_method when options.design_given, else the
 * scenario's; replicates options.design_replicates when not 0, else the
 * scenario's when the method is the scenario's, else the method's default
 * (1 for mc, FMC_DEFAULT_DESIGN_REPLICATES for lhs and qmc); points
 * n = ceil(N / R).  FMC_OK, or FMC_EINVAL when lhs or qmc would have 1
 * replicate (no honest error), the replicates pass
 * FMC_MAX_DESIGN_REPLICATES, or lhs or qmc would have more than
 * FMC_MAX_DESIGN_POINTS points in a replicate (design.h); fmc_simulate
 * refuses those too. */
fmc_status fmc_run_design(const fmc_scenario *scenario, const fmc_run_options *options,
                          uint64_t samples, fmc_design *out);


/* What a run's standard errors are multiplied by for its intervals at
 * CONFIDENCE under DESIGN: Student's t with R - 1 degrees of freedom with
 * R > 1 replicates, else the normal z (so an interval's half-width over
 * this is the standard error). */
double fmc_interval_factor(const fmc_design *design, double confidence);

#pragma GCC visibility pop

#endif
