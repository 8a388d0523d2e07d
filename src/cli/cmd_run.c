#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/h5file.h"
#include "funnelmc/results.h"
#include "report.h"

static void run_usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc run [SCENARIO] [-o OUT.h5] [-n N] [--seed S] [-j THREADS]\n"
            "                    [--sampling D] [--replicates R] [--save-samples] [--detail]\n"
            "                    [--report[=FILE]] [--json] [--strict] [--quiet]\n"
            "\n"
            "Simulates SCENARIO (a YAML file; '-' reads it from standard input; without\n"
            "one, the built-in worked example) and writes the results to an HDF5 file\n"
            "and a summary to standard output.\n"
            "\n"
            "  -o, --output FILE   results file (default: SCENARIO_NAME.h5 in the current\n"
            "                      directory); written atomically, an earlier file of the\n"
            "                      same name is replaced only by a complete new one\n"
            "  -n, --samples N     Monte Carlo samples (default: the scenario's 'samples')\n"
            "      --seed S        64-bit seed (default: the scenario's 'seed')\n"
            "  -j, --threads N     threads (default: OMP_NUM_THREADS or all cores; at most\n"
            "                      4 per core); results are bit-identical for every N\n"
            DESIGN_OPTIONS_HELP
            "      --base-samples N  rows of the Sobol design (default: the scenario's\n"
            "                      sensitivity.base_samples; model runs grow as N (d + 2))\n"
            "      --precision-mean H   sample until the CI half-width of the mean profit is\n"
            "                      at most H (overrides precision.mean; 0 turns it off)\n"
            "      --precision-sobol H  grow the Sobol design until every index's CI\n"
            "                      half-width is at most H (overrides precision.sobol)\n"
            "      --combine       also evaluate every pair of levers applied together, and\n"
            "                      their interaction (as combine_levers: true)\n"
            "      --summary-only  summary statistics only: no tornado, rank correlations,\n"
            "                      regression or Sobol indices\n"
            "      --save-samples  also store every draw of every input and output in\n"
            "                      /samples (chunked, compressed; grows with N)\n"
            "      --detail        after the bottom line, every table: quantiles with their\n"
            "                      intervals, tornadoes, drivers, Sobol indices, verdicts;\n"
            "                      text only, not with --json\n"
            "      --report[=FILE] also write the report, one self-contained HTML page of\n"
            "                      charts and tables (default FILE: the results file's\n"
            "                      name with .html for .h5), atomically\n"
            JSON_OPTION_HELP
            "      --strict        treat the scenario's warnings as errors (exit 2)\n"
            "  -q, --quiet         no summary and no progress; errors and warnings still go\n"
            "                      to stderr\n"
            "  -h, --help          show this help\n"
            "\n"
            "With MPI, 'mpirun -n P funnelmc run ...' shares the samples among P processes\n"
            "(each with its threads) with the same results; rank 0 writes and prints.\n");
}

typedef struct run_args {
    const char *scenario_path;
    common_args common;
    fmc_analysis_options options;
    int save_samples;
    int detail;
    int report;               /* --report given */
    const char *report_path;  /* its FILE; NULL: the default */
} run_args;

/* Parses ARGV into *A; returns -1 to go on, or the exit status. */
static int parse_run_args(int argc, char **argv, run_args *a)
{
    enum { OPT_SAVE_SAMPLES = OPT_COMMAND_OWN, OPT_BASE_SAMPLES, OPT_PRECISION_MEAN,
           OPT_PRECISION_SOBOL, OPT_COMBINE, OPT_DETAIL, OPT_REPORT };
    static const struct option options[] = {
        {"sampling", required_argument, NULL, OPT_SAMPLING},
        {"replicates", required_argument, NULL, OPT_REPLICATES},
        {"output", required_argument, NULL, 'o'},   {"samples", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, OPT_SEED}, {"threads", required_argument, NULL, 'j'},
        {"save-samples", no_argument, NULL, OPT_SAVE_SAMPLES},
        {"base-samples", required_argument, NULL, OPT_BASE_SAMPLES},
        {"summary-only", no_argument, NULL, OPT_SUMMARY_ONLY},
        {"combine", no_argument, NULL, OPT_COMBINE},
        {"detail", no_argument, NULL, OPT_DETAIL},
        {"report", optional_argument, NULL, OPT_REPORT},
        {"precision-mean", required_argument, NULL, OPT_PRECISION_MEAN},
        {"precision-sobol", required_argument, NULL, OPT_PRECISION_SOBOL},
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
        {"strict", no_argument, NULL, OPT_STRICT},  {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->common = analysis_args("run", run_usage, &a->options);
    opterr = 0;
    int c, status;
    while ((c = getopt_long(argc, argv, ":o:n:j:qh", options, NULL)) != -1) {
        switch (c) {
        case OPT_SAVE_SAMPLES:
            a->save_samples = 1;
            break;
        case OPT_PRECISION_MEAN:
        case OPT_PRECISION_SOBOL:
            if (!parse_precision(c == OPT_PRECISION_MEAN ? "--precision-mean" : "--precision-sobol",
                                 optarg, c == OPT_PRECISION_MEAN ? &a->options.precision_mean
                                                                 : &a->options.precision_sobol))
                return EXIT_USAGE;
            break;
        case OPT_COMBINE:
            a->options.combine = 1;
            break;
        case OPT_DETAIL:
            a->detail = 1;
            break;
        case OPT_REPORT:
            a->report = 1;
            a->report_path = optarg;
            break;
        case OPT_BASE_SAMPLES:
            if (!parse_positive_count("--base-samples", optarg, &a->options.base_samples))
                return EXIT_USAGE;
            break;
        default:
            if ((status = parse_common_option(c, argv, &a->common)) >= 0)
                return status;
        }
    }
    if (argc - optind > 1) {
        print_error("'run' takes one scenario, %d given; see 'funnelmc batch' for many",
                    argc - optind);
        return EXIT_USAGE;
    }
    if ((status = refuse_detail_with_json(&a->common, a->detail)))
        return status;
    if (optind < argc)
        a->scenario_path = argv[optind];
    return -1;
}

static int report_failure(fmc_status status, const char *what, const char *path)
{
    print_error("%s '%s': %s", what, path, failure_reason(status));
    return EXIT_RUN_FAILED;
}

/* The leader's part after the run: ANALYSIS (and the samples) into the
 * results file, committed; prints why not. */
static fmc_status write_results(fmc_h5file *results, fmc_results_samples *samples,
                                const fmc_scenario *scenario, const fmc_analysis *analysis,
                                const char *output)
{
    fmc_status status = fmc_results_write_analysis(results, scenario, analysis);
    /* the samples' last chunks are written when their datasets close */
    fmc_status ended = fmc_results_samples_end(samples);
    if (status || (status = ended)) {
        report_failure(status, "cannot write results to", output);
        fmc_h5file_abort(results);
        return status;
    }
    if ((status = fmc_h5file_commit(results)))
        report_failure(status, "cannot complete results file", output);
    return status;
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    int exit_status = parse_run_args(argc, argv, &a);
    if (exit_status >= 0)
        return exit_status;

    fmc_scenario *scenario = NULL;
    if ((exit_status = load_scenario(a.scenario_path, a.common.strict, &scenario)))
        return exit_status;
    if ((exit_status = check_design(a.scenario_path, scenario, &a.options.run,
                                    run_samples(scenario, &a.options.run)))) {
        fmc_scenario_free(scenario);
        return exit_status;
    }

    char *default_path = NULL;
    const char *output = a.common.output;
    fmc_status status = FMC_OK;
    if (!output) {
        size_t n = strlen(scenario->name) + 4;
        default_path = malloc(n);
        if (default_path)
            snprintf(default_path, n, "%s.h5", scenario->name);
        else
            status = FMC_ENOMEM;
        output = default_path;
    }

    fmc_h5file *results = NULL;
    fmc_results_samples *samples = NULL;
    fmc_analysis analysis = {0};
    progress_bar bar;
    /* every process of the team analyses; rank 0 alone writes and prints */
    int leader = cli_is_leader();
    a.common.quiet |= !leader;
    fmc_analysis_options *o = &a.options;
    if (status)
        print_local_error("out of memory");
    else if (leader && (status = fmc_h5file_create(output, &results)))
        report_failure(status, "cannot create results file", output);
    else if (leader && a.save_samples &&
             (status = fmc_results_samples_begin(results, scenario, &samples)))
        report_failure(status, "cannot create the samples in", output);
    /* nobody starts a run whose results rank 0 could not keep */
    if (fmc_team_agree(cli_world, status)) {
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    if (a.save_samples) {
        /* only rank 0's sink receives the draws (engine.h): the others pass
         * the same sink with no file behind it */
        o->run.sink = fmc_results_samples_sink;
        o->run.sink_context = samples;
    }
    progress_start(&bar, a.common.quiet);
    o->run.progress = progress_update;
    o->run.progress_context = &bar;
    o->run.cancel = interruption_flag();
    o->run.team = cli_world;
    status = fmc_analyse(scenario, o, &analysis);
    progress_finish(&bar);
    if (status == FMC_ECANCELLED) {
        print_error("interrupted; '%s' was not written", output);
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    if (status) {
        exit_status = report_failure(status, analysis.failed, scenario->file);
        goto done;
    }
    status = leader ? write_results(results, samples, scenario, &analysis, output) : FMC_OK;
    results = NULL;
    samples = NULL;
    /* the job fails as a whole when rank 0 could not keep the results */
    if (fmc_team_agree(cli_world, status)) {
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    /* the results are kept: a report that fails fails the run, not them */
    char *report = NULL;
    fmc_results_view view = {.kind = FMC_RESULTS_RUN, .path = output, .scenario = scenario,
                             .analysis = &analysis};
    if (leader && a.report && !(report = report_new_results(view, a.report_path)))
        exit_status = EXIT_RUN_FAILED;
    if (leader && a.common.json) {
        int printed = print_json(stdout, &view, &view);
        exit_status = exit_status ? exit_status : printed;
    } else if (!a.common.quiet) {
        print_analysis(stdout, scenario, &analysis, output, a.detail);
        print_processes(stdout, analysis.result.threads);
        if (report)
            printf("report: %s\n", report);
    }
    free(report);
done:
    fmc_analysis_clear(&analysis);
    fmc_results_samples_end(samples);
    fmc_h5file_abort(results);
    fmc_scenario_free(scenario);
    free(default_path);
    return exit_status;
}
