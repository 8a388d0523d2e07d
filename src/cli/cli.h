/* The subcommands of the funnelmc program: each parses its own options and
 * returns the process exit status (0 success, 1 a run failed, 2 bad usage or
 * a bad scenario). */
#ifndef FUNNELMC_CLI_H
#define FUNNELMC_CLI_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include "funnelmc/analysis.h"
#include "funnelmc/engine.h"
#include "funnelmc/scenario.h"
#include "funnelmc/sobol.h"
#include "funnelmc/sweep.h"
#include "funnelmc/tornado.h"

enum { EXIT_RUN_FAILED = 1, EXIT_USAGE = 2 };

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/* Option values: each prints "error: option 'NAME': ..." and returns 0 when
 * TEXT is not a valid value. */
int parse_positive_count(const char *name, const char *text, uint64_t *out);
int parse_seed(const char *name, const char *text, uint64_t *out);
/* Thread counts go up to most_useful_threads(), THREADS_PER_CORE per core
 * of this machine: beyond that a thread only adds its workspace. */
#define THREADS_PER_CORE 4
int most_useful_threads(void);
int parse_threads(const char *name, const char *text, int *out);
int parse_precision(const char *name, const char *text, double *out);

/* The options several commands share (-o, -n, -j, --seed, -q, -h), handled
 * in one place so they behave and fail alike everywhere.  A command lists
 * the ones it takes in its getopt tables, handles its own first, and passes
 * every other getopt result C here. */
enum {
    OPT_SEED = 256,
    OPT_SUMMARY_ONLY,  /* commands that analyse scenarios (run, batch) */
    OPT_COMMAND_OWN    /* first value of a command's own long options */
};

typedef struct common_args {
    const char *command;          /* for "see 'funnelmc COMMAND --help'" */
    void (*usage)(FILE *stream);
    const char *output;           /* -o, NULL when not given */
    int quiet;                    /* -q */
    fmc_run_options *run;         /* -n, -j and --seed land here */
    fmc_analysis_options *analysis;  /* --summary-only lands here; NULL where not taken */
} common_args;

/* The common arguments of a command that analyses scenarios: *OPTIONS set
 * to their defaults, and the shared options landing in them. */
common_args analysis_args(const char *command, void (*usage)(FILE *stream),
                          fmc_analysis_options *options);

/* Returns -1 to go on parsing, or the exit status to end with (0 after
 * --help, EXIT_USAGE for a bad or unknown option). */
int parse_common_option(int c, char **argv, common_args *a);

/* Prints "error: MESSAGE" to stderr, git style. */
void print_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Why a library call failed with STATUS: errno's text for I/O errors, and
 * for HDF5 errors that a full or read-only disk caused; else the status's. */
const char *failure_reason(fmc_status status);

/* Loads PATH, or the built-in worked example when PATH is NULL; prints every
 * diagnostic.  Returns 0 (and *OUT) or the exit status to end with. */
int load_scenario(const char *path, fmc_scenario **out);

/* The human summary of a run, to STREAM. */
void print_summary(FILE *stream, const fmc_scenario *scenario, const fmc_run_result *result,
                   const char *output_path);

/* Everything of ANALYSIS, in the order of `funnelmc run`'s summary. */
void print_analysis(FILE *stream, const fmc_scenario *scenario, const fmc_analysis *analysis,
                    const char *output_path);

/* The tornado chart: one bar of block characters per uncertain input,
 * largest swing first. */
void print_tornado(FILE *stream, const fmc_scenario *scenario, const fmc_tornado *tornado);

/* Rank correlations, contributions to variance, regression coefficients and
 * the Monte Carlo tornado of every uncertain input. */
void print_drivers(FILE *stream, const fmc_scenario *scenario, const fmc_drivers_result *drivers,
                   double mean_profit);

/* The break-even value of every input ("none" and which way where there is
 * none), and over a horizon the break-even period
 * (src/cli/summary_break_even.c). */
void print_break_even(FILE *stream, const fmc_scenario *scenario,
                      const fmc_break_even_result *break_even);

/* The levers ranked by mean net gain, and a verdict for every pair. */
void print_levers(FILE *stream, const fmc_scenario *scenario, const fmc_lever_results *levers,
                  double confidence);

/* The best set of levers for the budget, and the runners-up
 * (src/cli/summary_portfolio.c). */
void print_portfolio(FILE *stream, const fmc_scenario *scenario,
                     const fmc_portfolio_result *portfolio);
/* What knowing each input, group and lever number before choosing among
 * the levers would add, in words (src/cli/summary_voi.c). */
void print_value_of_information(FILE *stream, const fmc_scenario *scenario,
                                const fmc_lever_results *levers);

/* Over a horizon (src/cli/summary_horizon.c): what the run's headline
 * figures are (cumulative, discounted); */
void print_horizon_scope(FILE *stream, const fmc_scenario *scenario,
                         const fmc_horizon_result *horizon);
/* a table of at most 12 periods, evenly spaced, the first and last always,
 * and the payback line; */
void print_horizon(FILE *stream, const fmc_scenario *scenario, const fmc_horizon_result *horizon);
/* "median month 4 (95% CI 4-5); not within 12 months: 8.1% ± 0.3%" with
 * PERIOD the scenario's word; */
void print_payback(FILE *stream, const char *period, const fmc_payback_summary *payback,
                   double confidence);
/* and each lever's payback period, in rank order. */
void print_lever_paybacks(FILE *stream, const fmc_scenario *scenario,
                          const fmc_lever_results *levers, double confidence);

/* A sweep's summary (src/cli/summary_sweep.c): one axis as a table, two as
 * matrices of the best lever and of mean profit, more as the regions where
 * each lever is best, ties called ties; with DETAIL also every point, one a
 * line. */
void print_sweep(FILE *stream, const fmc_scenario *scenario, const fmc_sweep *sweep,
                 const fmc_sweep_result *result, int detail);

/* The Sobol indices of every uncertain input and of the groups. */
void print_sobol(FILE *stream, const fmc_scenario *scenario, const fmc_sobol_result *sobol,
                 double confidence);

/* Progress on stderr for long runs when it is a terminal; also the place
 * where SIGINT and SIGTERM are noticed and turned into a cancellation. */
typedef struct progress_bar {
    int enabled;
    double started;
    double last_drawn;
    int drawn;
} progress_bar;

void progress_start(progress_bar *bar, int quiet);
/* Non-zero once SIGINT or SIGTERM has arrived (after progress_start). */
const volatile sig_atomic_t *interruption_flag(void);
int progress_update(void *bar, uint64_t done, uint64_t total);
/* Erases a drawn bar (before printing a line); the next update redraws it. */
void progress_clear(progress_bar *bar);
void progress_finish(progress_bar *bar);

#endif
