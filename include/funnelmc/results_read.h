/* Reading a results file back (the inverse of results.h): any kind of file
 * funnelmc writes -- run, sweeps, batch, bench -- into the same structures
 * the run made, so that the terminal summary (`funnelmc show`) and the
 * report (`funnelmc report`) format a file exactly as they format a run.
 *
 * A results file is a new door for bad input: a file that is not HDF5,
 * not a funnelmc results file, of another format_version, truncated,
 * bit-flipped, or with an object missing or of the wrong type or shape.
 * Every object is checked before it is used (its class, its type's size,
 * its rank and every dimension against what the layout and the file's own
 * counts say), and the first problem is reported with the object's path;
 * nothing is read past what was checked.
 *
 * The scenario is the file's own text (root attribute scenario_yaml),
 * loaded again; its name for diagnostics is the file's scenario_file.
 * What a run knows but does not write -- its threads and wall time -- is
 * read back as threads 0 and seconds NaN.  Nor does the file hold, and so
 * the reader leaves NaN (counts 0): each output's mean_ci in files of
 * builds before it was stored; the base case of
 * margin and cost, and ROI's whole summary (count 0) when the file has no
 * /outputs/roi; of each period of a horizon all but mean, se, sd, mean_ci,
 * the quantiles with their intervals, p_loss and p_loss_se.  /inputs,
 * /warnings and /inputs/fit are not read: the scenario loaded again gives
 * them; nor are /samples and a bench's overview datasets (the summary
 * workload's thread table, which is read).  A batch part's view carries the
 * batch file's funnelmc_version and created. */
#ifndef FUNNELMC_RESULTS_READ_H
#define FUNNELMC_RESULTS_READ_H

#include <stddef.h>
#include "funnelmc/analysis.h"
#include "funnelmc/benchmark.h"
#include "funnelmc/error.h"
#include "funnelmc/results.h"
#include "funnelmc/scenario.h"
#include "funnelmc/sweep.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef enum fmc_results_kind {
    FMC_RESULTS_RUN,     /* funnelmc run */
    FMC_RESULTS_SWEEPS,  /* funnelmc sweep */
    FMC_RESULTS_BATCH,   /* funnelmc batch */
    FMC_RESULTS_BENCH    /* funnelmc bench */
} fmc_results_kind;

/* What a results file holds, as the structures of the run that wrote it.
 * The same view describes results still in memory (a caller may fill one
 * itself from a run it made); every pointer is borrowed. */
typedef struct fmc_results_view fmc_results_view;
struct fmc_results_view {
    fmc_results_kind kind;
    const char *path;              /* the file, for titles and messages */
    const char *funnelmc_version;  /* root attributes; "" when unknown */
    const char *created;
    /* RUN, SWEEPS and each part of a BATCH: */
    const fmc_scenario *scenario;
    /* RUN and each part of a BATCH: the analysis as fmc_analyse made it
     * (summary_only, has_levers and has_sobol as the file shows) */
    const fmc_analysis *analysis;
    /* SWEEPS, and a BATCH part that holds its scenario's sweeps: SWEEPS[k]
     * (pointers into scenario->sweeps) and its result SWEEP_RESULTS[k] */
    size_t sweep_count;
    const fmc_sweep *const *sweeps;
    const fmc_sweep_result *sweep_results;
    /* BATCH: the /batch table and each scenario's part, in file order */
    size_t part_count;
    const fmc_batch_row *rows;
    const fmc_results_view *parts;
    /* BENCH */
    const fmc_benchmark_result *bench;
};

/* Why a file could not be read: the object at fault ("/" for the file
 * itself, "/levers/p_beats", "/sweeps/reach@samples") and what is wrong
 * with it ("not a funnelmc results file", "format_version 2: this program
 * reads version 1", "expected float64 [3][3], found float64 [3]", "missing",
 * "unreadable (truncated or damaged file)"); for the scenario text, the
 * scenario's first diagnostic. */
typedef struct fmc_read_problem {
    char object[256];
    char message[512];
} fmc_read_problem;

/* A results file read back: it owns everything its view points to. */
typedef struct fmc_results_file fmc_results_file;

/* Reads PATH.  FMC_OK and *OUT (free it with fmc_results_file_free); else
 * *OUT NULL and PROBLEM filled, with FMC_EIO (the file cannot be opened:
 * errno kept), FMC_EFOREIGN (not HDF5, not a funnelmc results file, or a
 * format_version this program does not read), FMC_EHDF5 (an object missing,
 * mistyped, misshapen or unreadable), FMC_ESCENARIO (the stored scenario
 * does not load) or FMC_ENOMEM. */
fmc_status fmc_results_file_read(const char *path, fmc_results_file **out,
                                 fmc_read_problem *problem);

/* The view of FILE: valid until fmc_results_file_free. */
const fmc_results_view *fmc_results_file_view(const fmc_results_file *file);

/* Frees FILE; FILE may be NULL. */
void fmc_results_file_free(fmc_results_file *file);

#pragma GCC visibility pop

#endif
