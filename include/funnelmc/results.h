/* The HDF5 results file (../shared/spec/hdf5-layout.md, contract version 1;
 * every dataset is documented in docs/hdf5-layout.md).
 *
 * Files are written atomically, after git's lockfile: everything goes to a
 * temporary file beside the target (".NAME.tmp-PID-XXXXXX" in the same
 * directory), which is renamed over the target only once it is complete and
 * closed.  An aborted or failed write removes the temporary file and leaves
 * any earlier file of the target name untouched. */
#ifndef FUNNELMC_RESULTS_H
#define FUNNELMC_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/analysis.h"
#include "funnelmc/benchmark.h"
#include "funnelmc/engine.h"
#include "funnelmc/error.h"
#include "funnelmc/scenario.h"
#include "funnelmc/sobol.h"
#include "funnelmc/sweep.h"
#include "funnelmc/tornado.h"

#define FMC_FORMAT_NAME "funnelmc-results"
#define FMC_FORMAT_VERSION 1

typedef struct fmc_results_file fmc_results_file;

/* Whether TARGET may be written: FMC_OK when it does not exist or is an
 * earlier funnelmc results file (or empty), FMC_EIO with errno EISDIR for a
 * directory, FMC_EFOREIGN for anything else.  For callers that want to know
 * before long work; fmc_results_create checks it too. */
fmc_status fmc_results_check_target(const char *target);

/* Opens a temporary HDF5 file beside TARGET, first removing the temporaries
 * of TARGET that killed writers left.  FMC_OK and *OUT, FMC_EIO (errno says
 * why; e.g. the directory is not writable, or TARGET is a directory),
 * FMC_EFOREIGN (TARGET exists and is not a funnelmc results file: it is
 * never overwritten), FMC_EHDF5 or FMC_ENOMEM. */
fmc_status fmc_results_create(const char *target, fmc_results_file **out);

/* Removes from DIR every temporary results file (".NAME.tmp-PID-XXXXXX")
 * whose writer is no longer running; a live writer's stay.  For callers
 * that own a directory of results, such as a batch's parts. */
void fmc_results_remove_stale_temporaries(const char *dir);

/* Creates the chunked, compressed /samples datasets for SAMPLES draws of
 * every input and output of SCENARIO.  Afterwards fmc_results_sample_sink,
 * with the file as its context, is an fmc_sample_sink_fn for fmc_simulate. */
fmc_status fmc_results_begin_samples(fmc_results_file *file, const fmc_scenario *scenario,
                                     uint64_t samples);
fmc_status fmc_results_sample_sink(void *file, uint64_t first, size_t count,
                                   const double *const *inputs, const double *const *outputs);

/* Writes the root attributes, /inputs and /outputs of a finished run. */
fmc_status fmc_results_write_run(fmc_results_file *file, const fmc_scenario *scenario,
                                 const fmc_run_result *result);

/* Writes /tornado: the bars of TORNADO and its spider data. */
fmc_status fmc_results_write_tornado(fmc_results_file *file, const fmc_scenario *scenario,
                                     const fmc_tornado *tornado);

/* Writes the Sobol indices of /sensitivity (inputs in scenario order, the
 * groups of sensitivity.h) found from BASE_SAMPLES rows at CONFIDENCE. */
fmc_status fmc_results_write_sobol(fmc_results_file *file, const fmc_scenario *scenario,
                                   const fmc_sobol_result *sobol, double confidence);

/* Writes what drives profit: Spearman, contribution to variance and SRC in
 * /sensitivity, the Monte Carlo tornado in /tornado/monte_carlo. */
fmc_status fmc_results_write_drivers(fmc_results_file *file, const fmc_scenario *scenario,
                                     const fmc_drivers_result *drivers);

/* Writes /levers from the run's lever results. */
fmc_status fmc_results_write_levers(fmc_results_file *file, const fmc_scenario *scenario,
                                    const fmc_lever_results *levers, double confidence);

/* Writes a sweeps file: the root attributes (samples 0: see each sweep),
 * /inputs, and /sweeps/<sweep>/ with RESULTS[k] for the scenario's sweep k,
 * the axes attached to every grid as HDF5 dimension scales. */
fmc_status fmc_results_write_sweeps(fmc_results_file *file, const fmc_scenario *scenario,
                                    uint64_t seed, const fmc_sweep_result *results);

/* Writes everything ANALYSIS holds: the run, and unless it was summary-only
 * the drivers, levers, tornado and Sobol indices. */
fmc_status fmc_results_write_analysis(fmc_results_file *file, const fmc_scenario *scenario,
                                      const fmc_analysis *analysis);

/* One row of a batch's /batch table. */
typedef struct fmc_batch_row {
    char name[128];        /* the scenario's name: its group in the batch file */
    char file[1024];       /* the scenario file as given */
    double mean, se, sd, p_loss, p_loss_se;  /* of profit, with standard errors */
    char best_lever[128];  /* largest mean net gain; "" without levers */
} fmc_batch_row;

/* The row of ANALYSIS of SCENARIO read from FILE_NAME. */
void fmc_batch_row_of(const fmc_scenario *scenario, const char *file_name,
                      const fmc_analysis *analysis, fmc_batch_row *row);

/* Stores ROW in FILE's root attributes (a batch part). */
fmc_status fmc_results_write_batch_row(fmc_results_file *file, const fmc_batch_row *row);

/* Reads the row of the batch part PATH: FMC_OK, or FMC_EHDF5 when PATH is
 * not a complete part. */
fmc_status fmc_results_read_batch_row(const char *path, fmc_batch_row *row);

/* Writes the batch file TARGET (atomically): one group per part, a copy of
 * the part's root (attributes and all) marked complete = 1, in the order
 * given, and the /batch table of the ROWS. */
fmc_status fmc_results_assemble_batch(const char *target, const char *const *parts,
                                      const fmc_batch_row *rows, size_t count);

/* Writes a bench file: the identity attributes and /bench. */
fmc_status fmc_results_write_benchmark(fmc_results_file *file, const fmc_benchmark_result *bench);

/* Closes the temporary file and renames it over the target; frees FILE.
 * On failure the temporary file is removed and the target is untouched. */
fmc_status fmc_results_commit(fmc_results_file *file);

/* Closes and removes the temporary file; frees FILE.  FILE may be NULL. */
void fmc_results_abort(fmc_results_file *file);

/* The temporary file's path (for messages). */
const char *fmc_results_temp_path(const fmc_results_file *file);

#endif
