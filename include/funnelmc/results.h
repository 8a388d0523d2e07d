/* The layouts of the HDF5 results file (contract version FMC_FORMAT_VERSION;
 * every object is documented in docs/hdf5-layout.md): one writer per
 * layout, each writing into an open atomic file of h5file.h.
 *
 *   run      the root attributes, /inputs, /outputs, and the analyses'
 *            /sensitivity, /tornado and /levers        (src/results.c)
 *            /horizon, the levers' periods             (src/results_horizon.c)
 *            /portfolio                                (src/results_portfolio.c)
 *            /break_even                               (src/results_break_even.c)
 *            /levers/value_of_information              (src/results_voi.c)
 *   samples  /samples, every raw draw                  (src/results_samples.c)
 *   sweep    the root, /inputs and /sweeps             (src/results_sweep.c)
 *   batch    a part's row, and the batch file          (src/results_batch.c)
 *   bench    the root and /bench                       (src/results_bench.c)
 *
 * The identity attributes of the root (format, format_version,
 * funnelmc_version, created) are written by every layout that makes a file.
 *
 * Every writer of an open FILE (not NULL) returns FMC_OK, or FMC_EHDF5 when
 * HDF5 failed (errno ENOSPC on a full disk) or one of the writer's small
 * tables could not be allocated (errno ENOMEM); other statuses are named
 * where a writer has them.  After a failure the file holds part of the
 * layout: abort it (fmc_h5file_abort).  Each writer is called at most once
 * per file (objects are created, not replaced); tornado, drivers and Sobol
 * share their groups and may come in any order.  The writers keep no
 * pointer to their arguments. */
#ifndef FUNNELMC_RESULTS_H
#define FUNNELMC_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/analysis.h"
#include "funnelmc/benchmark.h"
#include "funnelmc/engine.h"
#include "funnelmc/error.h"
#include "funnelmc/h5file.h"
#include "funnelmc/scenario.h"
#include "funnelmc/sobol.h"
#include "funnelmc/sweep.h"
#include "funnelmc/tornado.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* The time now as the root attribute "created" gives a file's time of
 * writing: UTC in ISO 8601 ("2026-11-22T21:39:24Z"), into BUFFER of SIZE
 * bytes (at least 21). */
void fmc_results_created_now(char *buffer, size_t size);

/* ----- run ----- */

/* Writes the root attributes (identity, the run's seed, samples and
 * stopping rule), /inputs and /outputs of the finished run RESULT of
 * SCENARIO, and /horizon when RESULT has one (horizon.periods > 0).
 * /outputs/roi is left out when ROI was never defined. */
fmc_status fmc_results_write_run(fmc_h5file *file, const fmc_scenario *scenario,
                                 const fmc_run_result *result);

/* Writes /portfolio: the best sets of levers for the scenario's budget
 * (PORTFOLIO, with levers > 0) and what they were chosen on. */
fmc_status fmc_results_write_portfolio(fmc_h5file *file, const fmc_scenario *scenario,
                                       const fmc_portfolio_result *portfolio);

/* Writes /tornado: the bars of TORNADO and its spider data.  Shares the
 * group with fmc_results_write_drivers (either may come first). */
fmc_status fmc_results_write_tornado(fmc_h5file *file, const fmc_scenario *scenario,
                                     const fmc_tornado *tornado);

/* Writes the Sobol indices of /sensitivity (inputs in scenario order, the
 * groups of sensitivity.h) found at CONFIDENCE.  Shares the group with
 * fmc_results_write_drivers. */
fmc_status fmc_results_write_sobol(fmc_h5file *file, const fmc_scenario *scenario,
                                   const fmc_sobol_result *sobol, double confidence);

/* Writes what drives profit: Spearman, contribution to variance and SRC in
 * /sensitivity, the Monte Carlo tornado in /tornado/monte_carlo. */
fmc_status fmc_results_write_drivers(fmc_h5file *file, const fmc_scenario *scenario,
                                     const fmc_drivers_result *drivers);

/* Writes /levers (and /levers/pairs when LEVERS has pairs, their
 * per-period figures and payback periods over a horizon) from the run's
 * lever results, the intervals at CONFIDENCE. */
fmc_status fmc_results_write_levers(fmc_h5file *file, const fmc_scenario *scenario,
                                    const fmc_lever_results *levers, double confidence);

/* Writes /break_even: the break-even values B (inputs > 0) of the inputs
 * of SCENARIO, and over a horizon the break-even period. */
fmc_status fmc_results_write_break_even(fmc_h5file *file, const fmc_scenario *scenario,
                                        const fmc_break_even_result *b);

/* Writes everything ANALYSIS holds: the run, and unless it was summary-only
 * the drivers, the levers (when it has them), the break-even values, the
 * tornado and the Sobol indices (when it has them), at the scenario's
 * confidence.  Returns the first failure. */
fmc_status fmc_results_write_analysis(fmc_h5file *file, const fmc_scenario *scenario,
                                      const fmc_analysis *analysis);

/* ----- samples ----- */

/* The raw draws of a run, written as the engine makes them. */
typedef struct fmc_results_samples fmc_results_samples;

/* Creates /samples/inputs/<input> and /samples/outputs/<output> in FILE for
 * every input and output of SCENARIO: chunked, compressed (shuffle +
 * deflate, where HDF5 has them) datasets of doubles that start empty and
 * grow with the draws received, so their length is always the number of
 * samples the run really drew (with a stopping rule, fewer than asked).
 * FMC_OK and *OUT; else FMC_ENOMEM or FMC_EHDF5 and *OUT untouched.
 * Pass fmc_results_samples_sink with *OUT as the run's sink
 * (fmc_run_options.sink, sink_context), and end with fmc_results_samples_end
 * before fmc_h5file_commit or fmc_h5file_abort.  FILE must outlive *OUT. */
fmc_status fmc_results_samples_begin(fmc_h5file *file, const fmc_scenario *scenario,
                                     fmc_results_samples **out);

/* An fmc_sample_sink_fn: stores COUNT samples from FIRST (the datasets are
 * extended to FIRST + COUNT rows; calls come in sample order, as the engine
 * makes them).  FMC_OK or FMC_EHDF5. */
fmc_status fmc_results_samples_sink(void *samples, uint64_t first, size_t count,
                                    const double *const *inputs, const double *const *outputs);

/* Closes the datasets (HDF5 writes out their last chunks here) and frees
 * SAMPLES.  FMC_OK, or FMC_EHDF5 when a close failed (a full disk); SAMPLES
 * is freed either way.  fmc_results_samples_end(NULL) returns FMC_OK. */
fmc_status fmc_results_samples_end(fmc_results_samples *samples);

/* ----- sweep ----- */

/* Writes a sweeps file: the root attributes (samples 0: see each sweep's),
 * /inputs, and the /sweeps group of fmc_results_write_sweep_grids. */
fmc_status fmc_results_write_sweeps(fmc_h5file *file, const fmc_scenario *scenario,
                                    uint64_t seed, const fmc_sweep *const *sweeps,
                                    const fmc_sweep_result *results, size_t count);

/* Writes /sweeps/<sweep>/ with RESULTS[k] for SWEEPS[k], k < COUNT (sweeps
 * of SCENARIO, in the order given), the axes attached to every grid as HDF5
 * dimension scales: how a batch part (and so a batch file's scenario
 * group) keeps its scenario's sweeps.  FMC_OK or FMC_EHDF5. */
fmc_status fmc_results_write_sweep_grids(fmc_h5file *file, const fmc_scenario *scenario,
                                         const fmc_sweep *const *sweeps,
                                         const fmc_sweep_result *results, size_t count);

/* ----- batch ----- */

/* One row of a batch's /batch table. */
typedef struct fmc_batch_row {
    char name[128];        /* the scenario's name: its group in the batch file */
    char file[1024];       /* the scenario file as given */
    double mean, se, sd, p_loss, p_loss_se;  /* of profit, with standard errors */
    char best_lever[128];  /* largest mean net gain; "" without levers */
    /* what the figures are per: the scenario's period ("month"), or over a
     * horizon its length ("12 months": cumulative) */
    char period[48];
    /* read back only (fmc_results_read_batch_row, not written): 1 when the
     * part holds its scenario's /sweeps */
    int has_sweeps;
} fmc_batch_row;

/* Stores ROW in FILE's root attributes (batch_mean, ..., batch_period), which
 * makes a run file a batch part.  Call after fmc_results_write_run. */
fmc_status fmc_results_write_batch_row(fmc_h5file *file, const fmc_batch_row *row);

/* Reads the row of the batch part PATH into *ROW: FMC_OK, or FMC_EHDF5 when
 * PATH cannot be read or is not a complete part (no row attributes); *ROW
 * is then all zeros. */
fmc_status fmc_results_read_batch_row(const char *path, fmc_batch_row *row);

/* Writes the batch file TARGET atomically (h5file.h): the identity
 * attributes and "scenarios" (COUNT) on the root, one group per part named
 * by ROWS[i].name holding a copy of PARTS[i]'s root (attributes and all)
 * marked complete = 1, in the order given, and the /batch table of the
 * ROWS.  Returns FMC_OK, fmc_h5file_create's and fmc_h5file_commit's
 * statuses, or FMC_EHDF5 (a part that cannot be read); on failure TARGET is
 * untouched. */
fmc_status fmc_results_assemble_batch(const char *target, const char *const *parts,
                                      const fmc_batch_row *rows, size_t count);

/* ----- bench ----- */

/* Writes a bench file: the identity attributes and /bench. */
fmc_status fmc_results_write_benchmark(fmc_h5file *file, const fmc_benchmark_result *bench);

#pragma GCC visibility pop

#endif
