#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/results.h"
#include "funnelmc/results_read.h"
#include "funnelmc/sweep.h"
#include "report.h"

static void sweep_usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc sweep SCENARIO [--sweep NAME] [-o OUT.h5] [-n N] [-j THREADS]\n"
            "                      [--seed S] [--sampling D] [--replicates R] [--detail]\n"
            "                      [--report[=FILE]] [--json] [--strict] [--quiet]\n"
            "\n"
            "Runs every sweep of SCENARIO ('-' reads it from standard input), or the one\n"
            "named: each grid point is a Monte Carlo run of the sweep's samples with the\n"
            "axes' changes applied, all on the same random draws (common random numbers\n"
            "across the grid).  With levers, each\n"
            "point also names the lever with the largest mean net gain there.  The summary\n"
            "shows one axis as a table, two as matrices of the best lever and of mean\n"
            "profit, more as the regions where each lever is best.\n"
            "\n"
            "      --sweep NAME    run only the sweep NAME\n"
            "  -o, --output FILE   results file (default: SCENARIO_NAME-sweeps.h5)\n"
            "  -n, --samples N     samples of every grid point (default: the sweep's own)\n"
            "  -j, --threads N     threads (default: OMP_NUM_THREADS or all cores; at most\n"
            "                      4 per core)\n"
            DESIGN_OPTIONS_HELP
            "      --seed S        64-bit seed (default: the scenario's 'seed')\n"
            "      --detail        also every grid point, one per line (not with --json)\n"
            "      --report[=FILE] also write the sweeps' report, a self-contained HTML page\n"
            "                      of charts (default FILE: OUT.h5 with .html for .h5)\n"
            JSON_OPTION_HELP
            "      --strict        treat the scenario's warnings as errors (exit 2)\n"
            "  -q, --quiet         no summary and no progress\n"
            "  -h, --help          show this help\n"
            "\n"
            "With MPI, 'mpirun -n P funnelmc sweep ...' shares the grid points and their\n"
            "samples among P processes with the same results; rank 0 writes and prints.\n");
}

/* The sweeps of S to run: all, or the one named NAME (NULL: all) into
 * *CHOSEN (malloc'd, in file order) and their number; 0 after printing that
 * there is no sweep NAME.  Out of memory ends the job. */
static size_t choose_sweeps(const fmc_scenario *s, const char *name, const fmc_sweep ***chosen)
{
    size_t count = 0;
    *chosen = malloc(s->sweep_count * sizeof **chosen);
    if (!*chosen) {
        /* the other processes go on to the sweeps: only ending the job
         * spares them waiting for this one */
        print_local_error("out of memory");
        fmc_team_abort(cli_world, EXIT_RUN_FAILED);
    }
    for (size_t k = 0; k < s->sweep_count; k++)
        if (!name || strcmp(s->sweeps[k].name, name) == 0)
            (*chosen)[count++] = &s->sweeps[k];
    if (count == 0) {
        print_error("option '--sweep': the scenario has no sweep '%s'; its sweeps are:", name);
        for (size_t k = 0; k < s->sweep_count && cli_is_leader(); k++)
            fprintf(stderr, "  %s\n", s->sweeps[k].name);
        free(*chosen);
        *chosen = NULL;
    }
    return count;
}

int cmd_sweep(int argc, char **argv)
{
    enum { OPT_SWEEP = OPT_COMMAND_OWN, OPT_DETAIL, OPT_REPORT };
    static const struct option options[] = {
        {"sampling", required_argument, NULL, OPT_SAMPLING},
        {"replicates", required_argument, NULL, OPT_REPLICATES},
        {"output", required_argument, NULL, 'o'}, {"samples", required_argument, NULL, 'n'},
        {"threads", required_argument, NULL, 'j'}, {"seed", required_argument, NULL, OPT_SEED},
        {"sweep", required_argument, NULL, OPT_SWEEP}, {"detail", no_argument, NULL, OPT_DETAIL},
        {"report", optional_argument, NULL, OPT_REPORT},
        {"quiet", no_argument, NULL, 'q'}, {"strict", no_argument, NULL, OPT_STRICT},
        {"json", no_argument, NULL, OPT_JSON}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    fmc_run_options run = fmc_run_options_default();
    common_args common = {.command = "sweep", .usage = sweep_usage, .run = &run};
    const char *only = NULL, *report = NULL;  /* report "": beside the results */
    int c, exit_status, detail = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:n:j:qh", options, NULL)) != -1) {
        if (c == OPT_SWEEP)
            only = optarg;
        else if (c == OPT_DETAIL)
            detail = 1;
        else if (c == OPT_REPORT)
            report = optarg ? optarg : "";
        else if ((exit_status = parse_common_option(c, argv, &common)) >= 0)
            return exit_status;
    }
    if (argc - optind != 1) {
        print_error("'sweep' takes one scenario; see 'funnelmc sweep --help'");
        return EXIT_USAGE;
    }
    if ((exit_status = refuse_detail_with_json(&common, detail)))
        return exit_status;
    fmc_scenario *s = NULL;
    exit_status = load_scenario(argv[optind], common.strict, &s);
    if (exit_status)
        return exit_status;
    if (s->sweep_count == 0) {
        print_error("%s: the scenario has no 'sweeps'", argv[optind]);
        fmc_scenario_free(s);
        return EXIT_USAGE;
    }
    const fmc_sweep **sweeps = NULL;
    size_t count = choose_sweeps(s, only, &sweeps);
    if (count == 0) {
        fmc_scenario_free(s);
        return EXIT_USAGE;
    }
    for (size_t k = 0; k < count && !exit_status; k++)
        exit_status = check_design(argv[optind], s, &run,
                                   run.samples ? run.samples : sweeps[k]->samples);
    if (exit_status) {
        free(sweeps);
        fmc_scenario_free(s);
        return exit_status;
    }
    char default_path[256];
    snprintf(default_path, sizeof default_path, "%s-sweeps.h5", s->name);
    const char *output = common.output ? common.output : default_path;
    fmc_sweep_result *results = calloc(count, sizeof *results);
    fmc_h5file *file = NULL;
    /* every process runs the sweeps; rank 0 alone writes and prints */
    int leader = cli_is_leader();
    common.quiet |= !leader;
    fmc_status status = results ? FMC_OK : FMC_ENOMEM;
    progress_bar bar;
    if (status)
        print_local_error("out of memory");
    else if (leader && (status = fmc_h5file_create(output, &file)))
        print_error("cannot create results file '%s': %s", output, failure_reason(status));
    /* nobody starts sweeps whose results rank 0 could not keep */
    if (fmc_team_agree(cli_world, status)) {
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    progress_start(&bar, common.quiet);
    run.progress = progress_update;
    run.progress_context = &bar;
    run.cancel = interruption_flag();
    run.team = cli_world;
    for (size_t k = 0; k < count && !status; k++)
        status = fmc_sweep_run(s, sweeps[k], &run, &results[k]);
    progress_finish(&bar);
    /* the results are complete on rank 0 only (sweep.h) */
    if (!status && leader)
        status = fmc_results_write_sweeps(file, s, run.seed_given ? run.seed : s->seed, sweeps,
                                          results, count);
    if (!status && leader) {
        status = fmc_h5file_commit(file);
        file = NULL;
        if (status)
            print_error("cannot complete results file '%s'", output);
    } else if (status) {
        print_error(status == FMC_ECANCELLED ? "interrupted; '%s' was not written"
                                             : "sweep failed; '%s' was not written", output);
    }
    /* the job fails as a whole when rank 0 could not keep the results */
    if (fmc_team_agree(cli_world, status)) {
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    fmc_results_view view = {.kind = FMC_RESULTS_SWEEPS, .path = output, .scenario = s,
                             .sweep_count = count, .sweeps = sweeps, .sweep_results = results};
    if (leader && common.json) {
        exit_status = print_json(stdout, &view, &view);
    } else if (!common.quiet) {
        print_sweeps(stdout, s, sweeps, results, count, detail);
        print_processes(stdout, run.threads);
        printf("results: %s\n", output);
    }
    if (report && leader) {
        char *written = report_new_results(view, report[0] ? report : NULL);
        if (!written)
            exit_status = EXIT_RUN_FAILED;
        else if (!common.quiet && !common.json)
            printf("report: %s\n", written);
        free(written);
    }
done:
    fmc_h5file_abort(file);
    for (size_t k = 0; results && k < count; k++)
        fmc_sweep_result_clear(&results[k]);
    free(results);
    free(sweeps);
    fmc_scenario_free(s);
    return exit_status;
}
