#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/batch.h"
#include "funnelmc/results_read.h"

static void batch_usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc batch SCENARIO... -o OUT.h5 [--resume] [--sweeps] [-n N]\n"
            "                      [-j THREADS] [--sampling D] [--replicates R] [--summary-only]\n"
            "                      [--report[=FILE]] [--json] [--strict] [--quiet]\n"
            "\n"
            "Analyses many scenarios into one file: a group per scenario (the layout of\n"
            "'funnelmc run', marked complete = 1) and a /batch table, a row per scenario.\n"
            "A bad scenario is reported and skipped; the others complete, and the exit\n"
            "status is 2 at the end.  Each finished scenario is kept at once in\n"
            "OUT.h5.parts/, so an interrupted batch loses nothing done: --resume skips\n"
            "the scenarios found complete there and redoes the rest.  A SCENARIO '-'\n"
            "is read from standard input, and may be given once.\n"
            "\n"
            "  -o, --output FILE   the batch file (required)\n"
            "      --resume        keep the scenarios an interrupted batch completed\n"
            "      --sweeps        also run each scenario's sweeps into its group\n"
            "  -n, --samples N     samples of every scenario and of every sweep's grid\n"
            "                      points (default: each one's own)\n"
            "  -j, --threads N     threads (default: OMP_NUM_THREADS or all cores; at most\n"
            "                      4 per core)\n"
            DESIGN_OPTIONS_HELP
            "      --summary-only  summary statistics only\n"
            "      --report[=FILE] then the report of OUT.h5 (funnelmc report): an HTML\n"
            "                      page, by default OUT.html\n"
            JSON_OPTION_HELP
            "                      (the table of the file as written, once it is complete)\n"
            "      --strict        treat the scenarios' warnings as errors (a scenario with\n"
            "                      warnings is skipped as a bad one)\n"
            "  -q, --quiet         no table and no progress\n"
            "  -h, --help          show this help\n"
            "\n"
            "With MPI, 'mpirun -n P funnelmc batch ...' shares the scenarios among P\n"
            "processes with the same results; rank 0 prints and assembles OUT.h5.\n");
}

typedef struct batch_args {
    common_args common;
    int resume, sweeps;
    int report;               /* --report given */
    const char *report_path;  /* its FILE, NULL: the default */
    fmc_analysis_options options;
} batch_args;

static int parse_batch_args(int argc, char **argv, batch_args *a)
{
    enum { OPT_RESUME = OPT_COMMAND_OWN, OPT_SWEEPS, OPT_REPORT };
    static const struct option options[] = {
        {"sampling", required_argument, NULL, OPT_SAMPLING},
        {"replicates", required_argument, NULL, OPT_REPLICATES},
        {"output", required_argument, NULL, 'o'}, {"samples", required_argument, NULL, 'n'},
        {"threads", required_argument, NULL, 'j'}, {"resume", no_argument, NULL, OPT_RESUME},
        {"sweeps", no_argument, NULL, OPT_SWEEPS},
        {"report", optional_argument, NULL, OPT_REPORT},
        {"summary-only", no_argument, NULL, OPT_SUMMARY_ONLY}, {"quiet", no_argument, NULL, 'q'},
        {"strict", no_argument, NULL, OPT_STRICT}, {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->common = analysis_args("batch", batch_usage, &a->options);
    opterr = 0;
    int c, status;
    while ((c = getopt_long(argc, argv, ":o:n:j:qh", options, NULL)) != -1) {
        switch (c) {
        case OPT_RESUME:
            a->resume = 1;
            break;
        case OPT_SWEEPS:
            a->sweeps = 1;
            break;
        case OPT_REPORT:
            a->report = 1;
            a->report_path = optarg;
            break;
        default:
            if ((status = parse_common_option(c, argv, &a->common)) >= 0)
                return status;
        }
    }
    if (!a->common.output || optind >= argc) {
        print_error(!a->common.output ? "'batch' needs -o OUT.h5" : "no scenario file given");
        return EXIT_USAGE;
    }
    if ((status = check_standard_input_once(argv + optind, argc - optind)))
        return status;
    return -1;
}

void batch_row_unit(char *text, size_t size, const fmc_batch_row *row)
{
    /* a period ("month") or a horizon's length ("12 months") */
    snprintf(text, size, "%s %s", isdigit((unsigned char)row->period[0]) ? "over" : "per",
             row->period);
}

void print_batch_row(FILE *out, const fmc_batch_row *row, const fmc_scenario *sweeps_of,
                     int resumed)
{
    char unit[sizeof row->period + 8];
    batch_row_unit(unit, sizeof unit, row);
    fprintf(out, "%-24s mean profit %.6g ± %.2g %s, sd %.6g, P(loss) %.3g%% ± %.2g%%%s%s%s\n",
            row->name, row->mean, row->se, unit, row->sd, 100 * row->p_loss,
            100 * row->p_loss_se, row->best_lever[0] ? ", best lever " : "", row->best_lever,
            resumed ? " (resumed)" : "");
    for (size_t k = 0; sweeps_of && k < sweeps_of->sweep_count; k++)
        fprintf(out, "%-24s sweep %s: %zu points in the file\n", "", sweeps_of->sweeps[k].name,
                fmc_sweep_points(&sweeps_of->sweeps[k]));
}

void print_batch_end(FILE *out, const char *path, size_t scenarios)
{
    fprintf(out, "results: %s (%zu scenario%s)\n", path, scenarios, scenarios == 1 ? "" : "s");
}

/* What the batch prints as each scenario ends. */
typedef struct batch_report {
    progress_bar *bar;
    int quiet, sweeps;
    const fmc_batch_scenario *scenarios;
} batch_report;

static void scenario_done(void *context, size_t index, const char *part, fmc_status status,
                          const fmc_batch_row *row, int resumed)
{
    const batch_report *report = context;
    if (status == FMC_ECANCELLED) {
        print_error("interrupted; scenarios completed so far are kept for --resume");
    } else if (status) {
        print_error("%s: cannot analyse into '%s': %s", report->scenarios[index].file, part,
                    failure_reason(status));
    } else if (!report->quiet) {
        progress_clear(report->bar);
        print_batch_row(stdout, row, report->sweeps ? report->scenarios[index].scenario : NULL,
                        resumed);
        fflush(stdout);
    }
}

/* The message of a batch that failed outside a scenario (those are printed
 * as they end). */
static void report_batch_failure(const char *target, const fmc_batch_outcome *outcome,
                                 fmc_status status)
{
    if (outcome->failed == FMC_BATCH_PARTS && status == FMC_EIO) {
        char *parts_dir = fmc_batch_parts_dir(target);
        print_error("cannot create '%s': %s", parts_dir ? parts_dir : target, strerror(errno));
        free(parts_dir);
    } else if (outcome->failed != FMC_BATCH_SCENARIO) {
        print_error("cannot write '%s': %s", target, failure_reason(status));
    }
}

/* The JSON of the batch file PATH, read back: the rows as `show --json`
 * prints them.  0 or the exit status. */
static int print_batch_json(const char *path)
{
    fmc_results_file *file = NULL;
    int exit_status = read_results(path, &file);
    if (!exit_status) {
        const fmc_results_view *view = fmc_results_file_view(file);
        exit_status = print_json(stdout, view, view);
    }
    fmc_results_file_free(file);
    return exit_status;
}

int cmd_batch(int argc, char **argv)
{
    batch_args a;
    int exit_status = parse_batch_args(argc, argv, &a);
    if (exit_status >= 0)
        return exit_status;
    size_t files = (size_t)(argc - optind), good = 0;
    fmc_batch_scenario *scenarios = calloc(files, sizeof *scenarios);
    fmc_scenario **loaded = calloc(files, sizeof *loaded);  /* what to free */
    fmc_status status = scenarios && loaded ? FMC_OK : FMC_ENOMEM;
    if (status)
        print_local_error("out of memory");
    if (fmc_team_agree(cli_world, status)) {
        free(scenarios);
        free(loaded);
        return EXIT_RUN_FAILED;
    }
    /* Every file is read first: bad ones are reported before any work. */
    int bad = 0;
    for (size_t i = 0; i < files; i++) {
        const char *file_name = argv[optind + (int)i];
        fmc_scenario *s = NULL;
        if (load_scenario(file_name, a.common.strict, &s)) {
            bad = 1;
            continue;
        }
        if (check_design(file_name, s, &a.options.run, run_samples(s, &a.options.run))) {
            bad = 1;
            fmc_scenario_free(s);
            continue;
        }
        int duplicate = 0;
        for (size_t k = 0; k < good; k++)
            duplicate |= strcmp(scenarios[k].scenario->name, s->name) == 0;
        if (duplicate) {
            print_error("%s: scenario name '%s' is already in this batch; each needs its own name",
                        file_name, s->name);
            bad = 1;
            fmc_scenario_free(s);
            continue;
        }
        loaded[good] = s;
        scenarios[good++] = (fmc_batch_scenario){s, file_name};
    }
    /* every process takes part; rank 0 alone prints (batch.h says who writes) */
    a.common.quiet |= !cli_is_leader();
    progress_bar bar;
    progress_start(&bar, a.common.quiet);
    /* with --json the rows come at the end, of the file as written */
    batch_report report = {&bar, a.common.quiet || a.common.json, a.sweeps, scenarios};
    fmc_batch_options o = fmc_batch_options_default();
    o.analysis = a.options;
    o.analysis.run.cancel = interruption_flag();
    o.analysis.run.team = cli_world;
    o.resume = a.resume;
    o.sweeps = a.sweeps;
    o.progress = progress_update;
    o.progress_context = &bar;
    o.scenario_done = scenario_done;
    o.scenario_context = &report;
    fmc_batch_outcome outcome;
    status = fmc_batch_run(a.common.output, scenarios, good, &o, &outcome);
    progress_finish(&bar);
    if (status) {
        report_batch_failure(a.common.output, &outcome, status);
        exit_status = EXIT_RUN_FAILED;
    } else {
        exit_status = bad ? EXIT_USAGE : 0;
        if (cli_is_leader() && a.common.json) {
            int printed = print_batch_json(a.common.output);
            exit_status = printed ? printed : exit_status;
        } else if (!a.common.quiet) {
            print_processes(stdout, o.analysis.run.threads);
            print_batch_end(stdout, a.common.output, good);
        }
        /* the report is of the file as written, read back like any other */
        if (a.report && cli_is_leader()) {
            report_request request = {.results = a.common.output, .html = a.report_path,
                                      .quiet = a.common.quiet || a.common.json};
            int reported = report_results(&request);
            exit_status = exit_status ? exit_status : reported;
        }
    }
    for (size_t i = 0; i < good; i++)
        fmc_scenario_free(loaded[i]);
    free(loaded);
    free(scenarios);
    return exit_status;
}
