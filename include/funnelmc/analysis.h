/* The whole analysis of one scenario, as `funnelmc run` and `funnelmc batch`
 * make it: the Monte Carlo run (summary, drivers, levers), the one-at-a-time
 * tornado and the Sobol indices, each as the scenario and options ask. */
#ifndef FUNNELMC_ANALYSIS_H
#define FUNNELMC_ANALYSIS_H

#include <stdint.h>
#include "funnelmc/engine.h"
#include "funnelmc/error.h"
#include "funnelmc/scenario.h"
#include "funnelmc/sobol.h"
#include "funnelmc/tornado.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef struct fmc_analysis_options {
    fmc_run_options run;     /* samples, seed, threads, progress, cancel, sink */
    int summary_only;        /* the summary statistics alone */
    int combine;             /* pairs of levers, besides the scenario's combine_levers */
    uint64_t base_samples;   /* rows of the Sobol design; 0: the scenario's */
    double precision_mean;   /* stopping rules; < 0: the scenario's, 0: none */
    double precision_sobol;
} fmc_analysis_options;

typedef struct fmc_analysis {
    fmc_run_result result;
    fmc_tornado tornado;     /* unless summary_only */
    fmc_sobol_result sobol;  /* when has_sobol */
    int summary_only, has_levers, has_sobol;
    const char *failed;      /* on failure, the step: "simulation", "tornado", "Sobol indices" */
} fmc_analysis;

/* Options with every field at its default: the scenario's own settings. */
fmc_analysis_options fmc_analysis_options_default(void);

/* Analyses SCENARIO.  FMC_OK and *OUT (the caller clears it with
 * fmc_analysis_clear); or the status of the step that failed, as that step
 * returns it (fmc_simulate, fmc_tornado_compute, fmc_sensitivity_sobol),
 * FMC_ECANCELLED when options.run.cancel was raised -- *OUT is then empty
 * but for out->failed, which names the step. */
fmc_status fmc_analyse(const fmc_scenario *scenario, const fmc_analysis_options *options,
                       fmc_analysis *out);
/* Releases what ANALYSIS holds; ANALYSIS may be NULL. */
void fmc_analysis_clear(fmc_analysis *analysis);

#pragma GCC visibility pop

#endif
