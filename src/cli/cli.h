/* The subcommands of the funnelmc program: each parses its own options and
 * returns the process exit status (0 success, 1 a run failed, 2 bad usage or
 * a bad scenario). */
#ifndef FUNNELMC_CLI_H
#define FUNNELMC_CLI_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include "funnelmc/analysis.h"
#include "funnelmc/benchmark.h"
#include "funnelmc/engine.h"
#include "funnelmc/results.h"
#include "funnelmc/scenario.h"
#include "funnelmc/sobol.h"
#include "funnelmc/sweep.h"
#include "funnelmc/team.h"
#include "funnelmc/tornado.h"
#include "report.h"

enum { EXIT_RUN_FAILED = 1, EXIT_USAGE = 2 };

/* The program's team (team.h): every process of an MPI job, or this one.
 * Every process parses the same arguments, reads the same scenarios and
 * takes part in every run; only the leader, rank 0, writes results files
 * and prints (the others' standard output is /dev/null). */
extern fmc_team *cli_world;

/* 1 on the leader of cli_world. */
int cli_is_leader(void);

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_show(int argc, char **argv);    /* src/cli/cmd_show.c */
int cmd_report(int argc, char **argv);  /* src/cli/cmd_report.c */

/* Option values: each prints "error: option 'NAME': ..." and returns 0 when
 * TEXT is not a valid value. */
int parse_positive_count(const char *name, const char *text, uint64_t *out);
/* The same for a count from 1 to MOST (at most FMC_MOST_SAMPLES), whose
 * error states the limit. */
#define FMC_MOST_SAMPLES ((uint64_t)1 << 53)
int parse_count_up_to(const char *name, const char *text, uint64_t most, uint64_t *out);
int parse_seed(const char *name, const char *text, uint64_t *out);
/* Thread counts go up to most_useful_threads(), THREADS_PER_CORE per core
 * of this machine: beyond that a thread only adds its workspace. */
#define THREADS_PER_CORE 4
int most_useful_threads(void);
int parse_threads(const char *name, const char *text, int *out);
int parse_precision(const char *name, const char *text, double *out);
/* The --help lines of --sampling and --replicates, which run, sweep and
 * batch share. */
#define DESIGN_OPTIONS_HELP \
    "      --sampling D    how inputs are drawn: mc (plain Monte Carlo), lhs (Latin\n" \
    "                      hypercube) or qmc (scrambled Sobol' points); default:\n" \
    "                      the scenario's 'sampling' (mc)\n" \
    "      --replicates R  independent randomisations of the design, whose spread\n" \
    "                      gives every standard error (default: the scenario's;\n" \
    "                      16 for lhs and qmc, 1 for mc)\n"

/* A design's name (design.h) into OPTIONS' design_method, design_given set. */
int parse_design(const char *name, const char *text, fmc_run_options *options);
/* 0 when the design OPTIONS give the scenario S of PATH for a run of
 * SAMPLES samples (fmc_run_design) is one a run makes; else prints why and
 * returns EXIT_USAGE: lhs or qmc with one replicate, or more points in a
 * replicate than a design has (the replicate limit is --replicates' own). */
int check_design(const char *path, const fmc_scenario *s, const fmc_run_options *options,
                 uint64_t samples);
/* The samples a run of S with OPTIONS draws, for check_design: 0 under a
 * stopping rule, which finds its own below the limits. */
uint64_t run_samples(const fmc_scenario *s, const fmc_run_options *options);

/* The options several commands share (-o, -n, -j, --seed, -q, -h), handled
 * in one place so they behave and fail alike everywhere.  A command lists
 * the ones it takes in its getopt tables, handles its own first, and passes
 * every other getopt result C here. */
enum {
    OPT_SEED = 256,
    OPT_SUMMARY_ONLY,  /* commands that analyse scenarios (run, batch) */
    OPT_STRICT,        /* commands that read scenarios (run, check, sweep, batch) */
    OPT_SAMPLING,      /* commands that run scenarios (run, sweep, batch): the design */
    OPT_REPLICATES,
    OPT_JSON,          /* commands that print a summary (run, show, sweep, batch) */
    OPT_COMMAND_OWN    /* first value of a command's own long options */
};

typedef struct common_args {
    const char *command;          /* for "see 'funnelmc COMMAND --help'" */
    void (*usage)(FILE *stream);
    const char *output;           /* -o, NULL when not given */
    int quiet;                    /* -q */
    int json;                     /* --json: the summary as JSON (print_json) */
    int strict;                   /* --strict: a scenario's warnings are errors */
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
/* 0, or EXIT_USAGE after saying why when --detail (DETAIL set), which
 * shapes the text summary only, came with --json: the JSON has no detail
 * level to choose, so the option would be silently ignored. */
int refuse_detail_with_json(const common_args *a, int detail);

/* Prints "error: MESSAGE" to stderr, git style, on the leader only: for
 * what every process meets alike (a bad option or scenario, a failed run
 * whose status the processes agreed on) and for the leader's own files. */
void print_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* Prints "rank N: error: MESSAGE" (without "rank N: " when the process is
 * alone) from whichever process calls it: for a failure that this process
 * alone met (out of memory). */
void print_local_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* With more than one process, the line "processes: P x T threads; C
 * collectives, B exchanged by rank 0" (fmc_team_traffic_total; THREADS 0:
 * OpenMP's default); nothing for a lone process. */
void print_processes(FILE *stream, int threads);

/* Why a library call failed with STATUS: errno's text for I/O errors, and
 * for HDF5 errors that a full or read-only disk caused; else the status's. */
const char *failure_reason(fmc_status status);

/* Loads PATH, or the built-in worked example when PATH is NULL; prints every
 * error, and every warning of a valid scenario ("warning: ..."; with STRICT
 * as "error: ...", and the scenario is refused).  Returns 0 (and *OUT) or
 * the exit status to end with. */
int load_scenario(const char *path, int strict, fmc_scenario **out);
/* 0 when at most one of the COUNT scenario paths PATHS is '-'; else prints
 * that standard input, read once, was given twice and returns EXIT_USAGE,
 * before anything is read or written. */
int check_standard_input_once(char *const *paths, int count);

/* The full statistics of a run's outputs, to STREAM (`run --detail`). */
void print_summary(FILE *stream, const fmc_scenario *scenario, const fmc_run_result *result);

/* `funnelmc run`'s summary of ANALYSIS: the scenario and the run, the
 * bottom line, and with DETAIL every table after it; the results file's
 * path at the end. */
void print_analysis(FILE *stream, const fmc_scenario *scenario, const fmc_analysis *analysis,
                    const char *output_path, int detail);

/* How SCENARIO's inputs were drawn in RESULT (src/cli/summary_sampling.c):
 * the design and its replicates when they are not one plain Monte Carlo
 * sample, the ranking of the laws fitted to each input given data, and the
 * rank correlations asked and drawn; nothing for a scenario without them. */
void print_sampling(FILE *stream, const fmc_scenario *scenario, const fmc_run_result *result);
/* Its line on DESIGN alone (a sweep's points share one), at CONFIDENCE. */
void print_design(FILE *stream, const fmc_design *design, double confidence);

/* The bottom line of ANALYSIS (src/cli/summary_bottom_line.c): a few
 * sentences (expected profit, range and chance of a loss; the best lever,
 * by how much and how sure; the main drivers; break-even points; the value
 * of information; payback), then compact tables of the outputs and the
 * levers; lines at most 100 columns wide. */
void print_bottom_line(FILE *stream, const fmc_scenario *scenario, const fmc_analysis *analysis);
/* Its sentences, one call of SAY each (unwrapped, UTF-8, plain text): the
 * terminal wraps them, the report (report.h) sets them as paragraphs. */
void bottom_line_sentences(const fmc_scenario *scenario, const fmc_analysis *analysis,
                           void (*say)(void *context, const char *sentence), void *context);
/* The error of quantile K of O as a standard error, as every quantile is
 * rounded: its confidence interval's half-width over FACTOR, the interval
 * factor of the run's design (fmc_interval_factor). */
double quantile_error(const fmc_output_summary *o, int k, double factor);

/* The indices of the N figures of WEIGHT that are not NaN into ORDER,
 * largest first (ties in the order given): every table is sorted by
 * importance.  Returns how many. */
size_t by_importance(const double *weight, size_t n, size_t *order);

/* Figures rounded to what their error supports (src/cli/summary_round.c),
 * into BUFFER of SIZE bytes, which they return:
 * VALUE alone, rounded to the leading digit of ERROR (at most 6
 * significant figures; "%.6g" when ERROR is 0 or NaN); "0" when VALUE is
 * within ERROR of zero; */
const char *format_rounded(char *buffer, size_t size, double value, double error);
/* "VALUE ± SE", SE to two significant figures and VALUE to the same place;
 * "0 ± SE" when VALUE is within SE of zero; "VALUE ± 0" when SE is 0 or
 * below 1e-9 of VALUE (floating-point noise); VALUE alone when SE or VALUE
 * is not finite. */
const char *format_estimate(char *buffer, size_t size, double value, double se);

/* The tornado chart: one bar of block characters per uncertain input,
 * largest swing first. */
void print_tornado(FILE *stream, const fmc_scenario *scenario, const fmc_tornado *tornado);

/* Rank correlations, contributions to variance, regression coefficients and
 * the Monte Carlo tornado of every uncertain input. */
void print_drivers(FILE *stream, const fmc_scenario *scenario, const fmc_drivers_result *drivers,
                   double mean_profit);

/* The break-even value of every input ("none" and which way where there is
 * none), by IMPORTANCE (each input's contribution to the variance, largest
 * first; NULL: in scenario order), and over a horizon the break-even period
 * (src/cli/summary_break_even.c). */
void print_break_even(FILE *stream, const fmc_scenario *scenario,
                      const fmc_break_even_result *break_even, const double *importance);

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
/* The candidates of the value of information: the inputs, then the
 * levers' uncertain numbers.  Candidate K's EVPPI (SE 0) or its standard
 * error (SE 1); its name, an input's or "lever.key.path", into BUFFER; */
double voi_candidate(const fmc_lever_results *levers, size_t k, int se);
void voi_candidate_name(const fmc_scenario *scenario, const fmc_lever_results *levers, size_t k,
                        char *buffer, size_t size);
/* and the one worth most, SIZE_MAX when none is worth anything (*SECOND,
 * when not NULL, the next one likewise). */
size_t voi_most_valuable(const fmc_lever_results *levers, size_t *second);

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
/* What the terminal and the report share of a sweep's words: whether the
 * best lever at point P of R ties with the runner-up (equal net profit in
 * every sample, so neither is better); */
int sweep_is_tie(const fmc_sweep_result *r, size_t p);
/* what its profit figures are, after "profit": "per month", "over each
 * point's months" (the horizon is an axis) or "over the 12 months"
 * (discounting is the caller's to say); */
void sweep_profit_unit(char *text, size_t size, const fmc_scenario *s, const fmc_sweep *sweep);
/* and the points of R's lowest and highest mean profit and P(loss), the
 * first of equals. */
typedef struct sweep_extremes {
    size_t lowest, highest, least_loss, most_loss;
} sweep_extremes;
sweep_extremes sweep_extremes_of(const fmc_sweep_result *r);

/* A batch's table (src/cli/cmd_batch.c), one row per scenario as it ends:
 * its figures, " (resumed)" when RESUMED, and with SWEEPS_OF (not NULL)
 * a line per sweep of that scenario held in its group; */
void print_batch_row(FILE *stream, const fmc_batch_row *row, const fmc_scenario *sweeps_of,
                     int resumed);
/* What ROW's profit figures are: "per month", or over a horizon "over 12
 * months"; */
void batch_row_unit(char *text, size_t size, const fmc_batch_row *row);
/* and its last line, naming the file PATH of SCENARIOS scenarios. */
void print_batch_end(FILE *stream, const char *path, size_t scenarios);

/* `funnelmc bench`'s tables of B (src/cli/cmd_bench.c): the machine, the
 * threads' scaling, and across processes when there were several. */
void print_bench(FILE *stream, const fmc_benchmark_result *b);

/* `--json` (src/cli/json.c): the summary of VIEW as one JSON document
 * (docs/json.md) to STREAM, or with PART (a batch part `show --scenario`
 * chose; VIEW itself otherwise) that part's.  The same view gives the same
 * document, whether the run just made it or a file was read back.  Returns
 * 0, or the exit status after printing why not (a bench file; out of
 * memory; STREAM could not be written). */
int print_json(FILE *stream, const fmc_results_view *view, const fmc_results_view *part);
/* Its --help lines, which run, sweep and batch share. */
#define JSON_OPTION_HELP \
    "      --json          print the summary as JSON (docs/json.md), not as text;\n" \
    "                      with --quiet too, the JSON still comes, the progress not\n"

/* The sweeps of S, SWEEPS[k] with their RESULTS[k], as `funnelmc sweep`
 * prints them (src/cli/cmd_show.c): print_sweep of each, then a note on
 * every lever whose gain assumes a fixed reach. */
void print_sweeps(FILE *stream, const fmc_scenario *s, const fmc_sweep *const *sweeps,
                  const fmc_sweep_result *results, size_t count, int detail);

/* Reading a results file for `show`, `report` and `--report`
 * (src/cli/cmd_show.c): PATH into *OUT (results_read.h), or prints
 * "error: PATH: OBJECT: MESSAGE" and returns the exit status, EXIT_USAGE
 * (EXIT_RUN_FAILED when memory ran out). */
int read_results(const char *path, fmc_results_file **out);
/* The part named NAME of the batch VIEW into *CHOSEN (NAME NULL: VIEW
 * itself); else prints why (VIEW is no batch, or has no such scenario:
 * its scenarios are listed) and returns EXIT_USAGE. */
int choose_scenario(const fmc_results_view *view, const char *name,
                    const fmc_results_view **chosen);

/* What to report (src/cli/cmd_report.c): the results file, its part
 * SCENARIO (NULL: all of it), the page HTML and the charts' directory
 * CHARTS_DIR in FORMAT (each NULL: none; both NULL: the page, at
 * report_default_path of RESULTS); with QUIET, no paths printed. */
typedef struct report_request {
    const char *results, *scenario, *html, *charts_dir;
    chart_format format;
    int quiet;
} report_request;
/* Reads the file, makes the page and writes what REQUEST asks, each file
 * atomically, printing the paths written; 0, or the exit status after
 * printing why: read_results' (nothing written), EXIT_USAGE for a page
 * named as the results file, EXIT_RUN_FAILED when a file cannot be
 * written (an earlier one stays as it was). */
int report_results(const report_request *request);
/* RESULTS with ".h5" replaced by ".html" (or ".html" added), malloc'd;
 * NULL when memory runs out. */
char *report_default_path(const char *results);
/* Writes the report of VIEW, results this process has just made and
 * written to VIEW.path (its funnelmc_version and created are set here:
 * this program, now), into PATH (NULL: report_default_path of VIEW.path).
 * The path written, malloc'd; NULL after printing why not (memory; PATH
 * is the results file itself; or the page cannot be written: an earlier
 * page stays as it was). */
char *report_new_results(fmc_results_view view, const char *path);

/* Appends "VALUE ± SE" to PAGE in format_estimate's rounding, each part
 * marked for the tests that read the page back: data-key NAME and NAME_se
 * (src/cli/report_run.c). */
void keyed_estimate(report_page *page, const char *name, double value, double se);

/* The Sobol indices of every uncertain input and of the groups. */
void print_sobol(FILE *stream, const fmc_scenario *scenario, const fmc_sobol_result *sobol,
                 double confidence);

/* Progress on stderr for long runs when it is a terminal, and under
 * mpirun (whose rank 0 writes to a pipe) a line every ten seconds; also the
 * place where SIGINT and SIGTERM are noticed and turned into a
 * cancellation. */
typedef struct progress_bar {
    int enabled;
    int as_lines;  /* stderr is not a terminal */
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
