/* The Monte Carlo engine: samples every uncertain input of a scenario,
 * evaluates the profit model, and hands each block of samples to the
 * analyses of the registry (accumulator.h), which it knows only through
 * that interface.
 *
 * Samples are cut into blocks of FMC_BLOCK_SIZE; OpenMP threads take whole
 * blocks.  Every random word is keyed on (seed, sample index, input) (see
 * draws.h), and every accumulator merges its blocks in block order or keeps
 * order-free integer counts: so the result is bit-identical for any number
 * of threads.  Memory is a fixed workspace per thread, whatever the sample
 * count; a run uses no more threads than it has blocks.
 *
 * A run may be shared by the processes of a team (options.team, team.h):
 * every process calls fmc_simulate with the same scenario and options, each
 * round's blocks are cut among them, and after each round one message gives
 * every process every block's slot state (accumulator.h), which all merge in
 * block order.  So the result is bit-identical for any number of processes
 * and threads, on every process; docs/design.md, "Runs across processes:
 * the reduction", says what it costs. */
#ifndef FUNNELMC_ENGINE_H
#define FUNNELMC_ENGINE_H

#include <signal.h>
#include <stdint.h>
#include "funnelmc/break_even.h"
#include "funnelmc/correlation_check.h"
#include "funnelmc/design.h"
#include "funnelmc/drivers.h"
#include "funnelmc/error.h"
#include "funnelmc/horizon_summary.h"
#include "funnelmc/lever_comparison.h"
#include "funnelmc/model.h"
#include "funnelmc/portfolio.h"
#include "funnelmc/sampler.h"
#include "funnelmc/scenario.h"
#include "funnelmc/stats.h"
#include "funnelmc/team.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

#define FMC_BLOCK_SIZE 4096
/* Samples of the pilot that fixes the histogram ranges (the first ones). */
#define FMC_PILOT_SAMPLES 65536
/* Blocks between two checks of the stopping rule. */
#define FMC_CHECKPOINT_BLOCKS 64

/* Called between rounds of blocks from the calling thread, with the samples
 * done so far and the most the run can draw; a non-zero return cancels the
 * run (FMC_ECANCELLED).  In a shared run every process's callback is called
 * with the same, global, counts; a cancel on any process cancels every
 * process, at the next round. */
typedef int (*fmc_progress_fn)(void *context, uint64_t done, uint64_t total);

/* Receives raw draws in sample order, COUNT samples starting at FIRST:
 * inputs[j][i] is input j of sample FIRST + i, outputs[k][i] output k.
 * Called from one thread at a time; a non-OK return stops the run with that
 * status.  In a shared run the draws are gathered to rank 0, and only rank
 * 0's sink is called: every process passes a sink all the same (so that
 * all cut the run alike), and the other ranks' may be any function with any
 * context (a NULL one, say): it is never called. */
typedef fmc_status (*fmc_sample_sink_fn)(void *context, uint64_t first, size_t count,
                                         const double *const *inputs,
                                         const double *const *outputs);

typedef struct fmc_run_options {
    uint64_t samples;    /* 0: the scenario's */
    int seed_given;      /* 1: use SEED instead of the scenario's */
    uint64_t seed;
    int threads;         /* 0: OpenMP's default (OMP_NUM_THREADS, or all cores) */
    int drivers;         /* 1: also measure what drives profit (drivers.h) */
    int levers;          /* 1: also evaluate the scenario's levers (levers.h) */
    /* Changes applied to every sampled input before anything else sees it
     * (a sweep's grid point), clamped as levers are; NULL for none. */
    const fmc_change *changes;
    size_t change_count;
    /* The scenario's samplers, built once by the caller for many runs
     * (fmc_scenario_samplers_alloc); NULL: the run builds its own. */
    fmc_sampler *const *samplers;
    int combine;         /* 1: and every pair of them applied together */
    int equivalents;     /* 1: and their equivalent changes (equivalents.h) */
    int portfolio;       /* 1: and the best set of them for the scenario's budget (portfolio.h) */
    /* Stopping rule: when > 0, sample in checkpoints of FMC_CHECKPOINT_BLOCKS
     * blocks until the confidence half-width of the mean profit is at most
     * this, or MAX_SAMPLES are drawn (0: the scenario's max_samples); the
     * samples option is then ignored.  Checkpoints do not depend on the
     * thread count, so neither does where the run stops. */
    double precision_mean;
    uint64_t max_samples;
    fmc_progress_fn progress;
    void *progress_context;
    /* When not NULL and *cancel becomes non-zero (e.g. in a signal handler),
     * the remaining blocks are skipped and the run ends with FMC_ECANCELLED
     * within a block's time (in a shared run, on every process at the end of
     * the round). */
    const volatile sig_atomic_t *cancel;
    fmc_sample_sink_fn sink;
    void *sink_context;
    /* Periods of the scenario's horizon (a sweep over horizon.periods);
     * 0: the scenario's.  Ignored without a horizon. */
    uint32_t periods;
    int break_even;      /* 1: also the break-even values (break_even.h) */
    /* The processes that share the run (team.h), each calling fmc_simulate
     * with the same options (but for the callbacks' contexts; see the sink);
     * NULL, or a team of one: this process alone, with no exchange at all. */
    const fmc_team *team;
    /* The sampling design (design.h) over the scenario's: the method when
     * DESIGN_GIVEN, the replicates when DESIGN_REPLICATES is not 0
     * (fmc_run_design in replicates.h says how they combine).  Replicates of
     * lhs and qmc give the standard errors (replicates.h). */
    int design_given;
    fmc_design_method design_method;
    uint32_t design_replicates;
} fmc_run_options;

typedef struct fmc_run_result {
    uint64_t samples;                              /* drawn (the stopping rule may end early) */
    uint64_t seed;
    int threads;                                   /* threads used */
    double base[FMC_OUTPUT_COUNT];                 /* every input at its base */
    fmc_output_summary outputs[FMC_SUMMARY_COUNT]; /* ROI: count 0 when cost is never > 0 */
    double seconds;                                /* wall time of the sampling */
    double mean_half_width;                        /* of profit's mean, at the confidence */
    double precision_target;                       /* options.precision_mean (0: none) */
    int precision_met;                             /* 1 when the stopping rule was met */
    fmc_drivers_result drivers;                    /* when options.drivers; else empty */
    fmc_lever_results levers;                      /* when options.levers; else empty */
    fmc_horizon_result horizon;                    /* with a horizon; else empty */
    fmc_portfolio_result portfolio;                /* when options.portfolio; else empty */
    fmc_break_even_result break_even;              /* when options.break_even; else empty */
    fmc_design design;                             /* the run's design; its replicates gave
                                                    * every standard error when > 1 */
    fmc_correlation_check_result correlations;     /* with the scenario's correlations;
                                                    * else empty */
} fmc_run_result;

/* Releases what a run result holds and empties it; R may be NULL, and an
 * emptied (or zeroed) result may be cleared again. */
void fmc_run_result_clear(fmc_run_result *r);

/* Options with every field at its default. */
fmc_run_options fmc_run_options_default(void);

/* Runs SCENARIO (valid, as fmc_scenario_load_* returns it) with OPTIONS,
 * under its design with honest errors (replicates.h, which defines it).
 * FMC_OK and *OUT filled (the caller clears it with fmc_run_result_clear);
 * or FMC_EINVAL (replicates that replicates.h refuses),
 * FMC_ENOMEM, FMC_ENUMERIC (a quantile table could not be built),
 * FMC_ECANCELLED (options.cancel raised, or the progress callback asked),
 * or the sink's status -- *OUT is then empty (zeroed), holding nothing to
 * free.  Outputs the sink received before a failure stay valid.  In a
 * shared run every process returns the same status and the same *OUT (but
 * for its threads and seconds); a failure on one process (FMC_ENOMEM, say)
 * fails them all. */
fmc_status fmc_simulate(const fmc_scenario *scenario, const fmc_run_options *options,
                        fmc_run_result *out);

/* One pass of a run (replicates.h makes a run of passes): SAMPLES samples
 * (options->samples, else the scenario's) from sample FIRST of DESIGN
 * (design.h), correlated by the scenario's copula, every standard error by
 * the i.i.d. formulas.  Every word is drawn at its sample's index in the
 * design (draws.h), so a pass over [FIRST, FIRST + n) sees exactly those
 * samples of a longer pass from 0; the pilot is the window's first
 * samples, and the sink and the accumulators count samples from 0 within
 * the window.  As fmc_simulate otherwise. */
fmc_status fmc_simulate_pass(const fmc_scenario *scenario, const fmc_run_options *options,
                             const fmc_design *design, uint64_t first, fmc_run_result *out);

/* Samplers for every input of SCENARIO (scenario order), built in parallel
 * on THREADS threads (0: OpenMP's default).  FMC_OK and *OUT, an array of
 * input_count samplers the caller frees with fmc_scenario_samplers_free; or
 * FMC_ENOMEM or FMC_ENUMERIC, *OUT untouched. */
fmc_status fmc_scenario_samplers_alloc(const fmc_scenario *scenario, int threads,
                                       fmc_sampler ***out);
/* Frees the COUNT samplers and the array; SAMPLERS may be NULL. */
void fmc_scenario_samplers_free(fmc_sampler **samplers, size_t count);

/* The periods a run of SCENARIO follows with options.periods PERIODS: 0
 * without a horizon, else PERIODS or when 0 the horizon's. */
uint32_t fmc_run_periods(const fmc_scenario *scenario, uint32_t periods);

/* The outputs of the deterministic base case (every input at its base, in
 * every period of a horizon of PERIODS as fmc_run_periods takes it).
 * FMC_OK, or FMC_ENOMEM. */
fmc_status fmc_base_case(const fmc_scenario *scenario, uint32_t periods,
                         double out[FMC_OUTPUT_COUNT]);

#pragma GCC visibility pop

#endif
