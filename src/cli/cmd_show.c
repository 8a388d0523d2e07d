/* funnelmc show: the terminal summary of a results file again, from the
 * file alone (results_read.h), with the printers of the command that wrote
 * it: what `run`, `sweep`, `batch` or `bench` printed, but for the threads
 * and the time a file does not keep. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/levers.h"

static void show_usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc show RESULTS.h5 [--scenario NAME] [--detail] [--json]\n"
            "\n"
            "Prints the summary of a results file again, from the file alone: what the\n"
            "command that wrote it printed ('run', 'sweep', 'batch' or 'bench'), without\n"
            "the threads and the time a file does not keep.\n"
            "\n"
            "      --scenario NAME of a batch file, the summary of its scenario NAME\n"
            "      --detail        after the bottom line, every table (as 'run --detail');\n"
            "                      every grid point of a sweep (text only: not with --json)\n"
            "      --json          the JSON summary (docs/json.md), as the command that wrote\n"
            "                      the file printed it with --json; threads and seconds are\n"
            "                      null (not for a bench file)\n"
            "  -h, --help          show this help\n"
            "\n"
            "A file that cannot be read (missing, not a funnelmc results file, of another\n"
            "format_version, truncated or damaged) is named with the object at fault;\n"
            "exit status 2.\n");
}

int read_results(const char *path, fmc_results_file **out)
{
    fmc_read_problem problem;
    memset(&problem, 0, sizeof problem);
    fmc_status status = fmc_results_file_read(path, out, &problem);
    if (status == FMC_OK)
        return 0;
    const char *reason = strerror(errno);  /* FMC_EIO keeps errno */
    if (status == FMC_ENOMEM) {
        print_error("%s: out of memory", path);
        return EXIT_RUN_FAILED;
    }
    const char *message = problem.message[0] ? problem.message
                          : status == FMC_EIO  ? reason
                                               : fmc_strerror(status);
    print_error("%s: %s: %s", path, problem.object[0] ? problem.object : "/", message);
    return EXIT_USAGE;
}

int choose_scenario(const fmc_results_view *view, const char *name,
                    const fmc_results_view **chosen)
{
    *chosen = view;
    if (!name)
        return 0;
    if (view->kind != FMC_RESULTS_BATCH) {
        print_error("option '--scenario': '%s' is not a batch file", view->path);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < view->part_count; i++)
        if (strcmp(view->rows[i].name, name) == 0) {
            *chosen = &view->parts[i];
            return 0;
        }
    print_error("option '--scenario': '%s' has no scenario '%s'; its scenarios are:", view->path,
                name);
    for (size_t i = 0; i < view->part_count; i++)
        fprintf(stderr, "  %s\n", view->rows[i].name);
    return EXIT_USAGE;
}

void print_sweeps(FILE *out, const fmc_scenario *s, const fmc_sweep *const *sweeps,
                  const fmc_sweep_result *results, size_t count, int detail)
{
    for (size_t k = 0; k < count; k++)
        print_sweep(out, s, sweeps[k], &results[k], detail);
    for (size_t l = 0; l < s->lever_count; l++)
        if (fmc_lever_assumes_fixed_reach(&s->levers[l]))
            fprintf(out, "note: %s changes the hours with no response: where it is best, that "
                         "assumes reach does not depend on the time spent\n", s->levers[l].name);
}

/* What the command that wrote VIEW, the file PATH, printed; PART the
 * batch part --scenario chose (VIEW itself without it). */
static void show(const fmc_results_view *view, const fmc_results_view *part, const char *path,
                 int detail)
{
    if (part != view) {
        /* the part's own summary, and its sweeps when the batch ran them */
        print_analysis(stdout, part->scenario, part->analysis, NULL, detail);
        if (part->sweep_count)
            printf("\n");
        print_sweeps(stdout, part->scenario, part->sweeps, part->sweep_results, part->sweep_count,
                     detail);
        printf("\nresults: %s, scenario %s\n", path, part->scenario->name);
        return;
    }
    switch (view->kind) {
    case FMC_RESULTS_RUN:
        print_analysis(stdout, view->scenario, view->analysis, path, detail);
        break;
    case FMC_RESULTS_SWEEPS:
        print_sweeps(stdout, view->scenario, view->sweeps, view->sweep_results, view->sweep_count,
                     detail);
        printf("results: %s\n", path);
        break;
    case FMC_RESULTS_BATCH:
        for (size_t i = 0; i < view->part_count; i++)
            print_batch_row(stdout, &view->rows[i],
                            view->parts[i].sweep_count ? view->parts[i].scenario : NULL, 0);
        print_batch_end(stdout, path, view->part_count);
        break;
    case FMC_RESULTS_BENCH:
        print_bench(stdout, view->bench);
        printf("results: %s\n", path);
        break;
    }
}

int cmd_show(int argc, char **argv)
{
    enum { OPT_SCENARIO = OPT_COMMAND_OWN, OPT_DETAIL };
    static const struct option options[] = {
        {"scenario", required_argument, NULL, OPT_SCENARIO},
        {"detail", no_argument, NULL, OPT_DETAIL}, {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    common_args common = {.command = "show", .usage = show_usage};
    const char *scenario = NULL;
    int c, exit_status, detail = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == OPT_SCENARIO)
            scenario = optarg;
        else if (c == OPT_DETAIL)
            detail = 1;
        else if ((exit_status = parse_common_option(c, argv, &common)) >= 0)
            return exit_status;
    }
    if (argc - optind != 1) {
        print_error("'show' takes one results file; see 'funnelmc show --help'");
        return EXIT_USAGE;
    }
    if ((exit_status = refuse_detail_with_json(&common, detail)))
        return exit_status;
    const char *path = argv[optind];
    fmc_results_file *file = NULL;
    if ((exit_status = read_results(path, &file)))
        return exit_status;
    const fmc_results_view *view = fmc_results_file_view(file), *part;
    if (!(exit_status = choose_scenario(view, scenario, &part))) {
        if (common.json)
            exit_status = print_json(stdout, view, part);
        else
            show(view, part, path, detail);
    }
    fmc_results_file_free(file);
    return exit_status;
}
