#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "funnelmc/results.h"

static void batch_usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc batch SCENARIO... -o OUT.h5 [--resume] [-n N] [-j THREADS]\n"
            "                      [--summary-only] [--quiet]\n"
            "\n"
            "Analyses many scenarios into one file: a group per scenario (the layout of\n"
            "'funnelmc run', marked complete = 1) and a /batch table, a row per scenario.\n"
            "A bad scenario is reported and skipped; the others complete, and the exit\n"
            "status is 2 at the end.  Each finished scenario is kept at once in\n"
            "OUT.h5.parts/, so an interrupted batch loses nothing done: --resume skips\n"
            "the scenarios found complete there and redoes the rest.\n"
            "\n"
            "  -o, --output FILE   the batch file (required)\n"
            "      --resume        keep the scenarios an interrupted batch completed\n"
            "  -n, --samples N     samples of every scenario (default: each one's own)\n"
            "  -j, --threads N     threads (default: OMP_NUM_THREADS or all cores)\n"
            "      --summary-only  summary statistics only\n"
            "  -q, --quiet         no table and no progress\n"
            "  -h, --help          show this help\n");
}

typedef struct batch_args {
    common_args common;
    int resume;
    fmc_analysis_options options;
} batch_args;

static int parse_batch_args(int argc, char **argv, batch_args *a)
{
    enum { OPT_RESUME = OPT_COMMAND_OWN, OPT_SUMMARY_ONLY };
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"samples", required_argument, NULL, 'n'},
        {"threads", required_argument, NULL, 'j'}, {"resume", no_argument, NULL, OPT_RESUME},
        {"summary-only", no_argument, NULL, OPT_SUMMARY_ONLY}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->options = fmc_analysis_options_default();
    a->common = (common_args){.command = "batch", .usage = batch_usage, .run = &a->options.run};
    opterr = 0;
    int c, status;
    while ((c = getopt_long(argc, argv, ":o:n:j:qh", options, NULL)) != -1) {
        switch (c) {
        case OPT_RESUME:
            a->resume = 1;
            break;
        case OPT_SUMMARY_ONLY:
            a->options.summary_only = 1;
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
    return -1;
}

/* Progress over the whole batch: samples of the scenarios before this one
 * plus this one's, out of all. */
typedef struct batch_progress {
    progress_bar *bar;
    uint64_t before, total;
} batch_progress;

static int scenario_progress(void *context, uint64_t done, uint64_t total)
{
    (void)total;
    batch_progress *b = context;
    return progress_update(b->bar, b->before + done, b->total);
}

/* Analyses SCENARIO into the part file PART (atomically); fills ROW. */
static int run_one(const fmc_scenario *s, const char *file_name, const char *part, batch_args *a,
                   batch_progress *progress, fmc_batch_row *row)
{
    fmc_analysis analysis = {0};
    fmc_h5file *results = NULL;
    fmc_analysis_options o = a->options;
    o.run.progress = scenario_progress;
    o.run.progress_context = progress;
    o.run.cancel = interruption_flag();
    fmc_status status = fmc_analyse(s, &o, &analysis);
    if (status == FMC_OK) {
        fmc_batch_row_of(s, file_name, &analysis, row);
        status = fmc_h5file_create(part, &results);
    }
    if (status == FMC_OK && !(status = fmc_results_write_analysis(results, s, &analysis)) &&
        !(status = fmc_results_write_batch_row(results, row))) {
        status = fmc_h5file_commit(results);
        results = NULL;
    }
    fmc_h5file_abort(results);
    fmc_analysis_clear(&analysis);
    if (status == FMC_ECANCELLED)
        print_error("interrupted; scenarios completed so far are kept for --resume");
    else if (status)
        print_error("%s: cannot analyse into '%s': %s", file_name, part, failure_reason(status));
    return status ? EXIT_RUN_FAILED : 0;
}

int cmd_batch(int argc, char **argv)
{
    batch_args a;
    int exit_status = parse_batch_args(argc, argv, &a);
    if (exit_status >= 0)
        return exit_status;
    size_t files = (size_t)(argc - optind), done = 0;
    char parts_dir[1100];
    snprintf(parts_dir, sizeof parts_dir, "%s.parts", a.common.output);
    char **parts = calloc(files, sizeof *parts);
    fmc_batch_row *rows = calloc(files, sizeof *rows);
    if (!parts || !rows) {
        free(parts);
        free(rows);
        print_error("out of memory");
        return EXIT_RUN_FAILED;
    }
    /* Hours of work must not end in an output that cannot be written. */
    fmc_status target = fmc_h5file_check_target(a.common.output);
    if (target != FMC_OK) {
        print_error("cannot write '%s': %s", a.common.output, failure_reason(target));
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    if (mkdir(parts_dir, 0777) != 0 && errno != EEXIST) {
        print_error("cannot create '%s': %s", parts_dir, strerror(errno));
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    /* Every file is read first: bad ones are reported before any work. */
    int bad = 0;
    exit_status = 0;
    fmc_scenario **scenarios = calloc(files, sizeof *scenarios);
    const char **names = calloc(files, sizeof *names);
    size_t good = 0;
    uint64_t total = 0;
    for (size_t i = 0; scenarios && names && i < files; i++) {
        const char *file_name = argv[optind + (int)i];
        fmc_scenario *s = NULL;
        if (load_scenario(file_name, &s)) {
            bad = 1;
            continue;
        }
        int duplicate = 0;
        for (size_t k = 0; k < good; k++)
            duplicate |= strcmp(scenarios[k]->name, s->name) == 0;
        if (duplicate) {
            print_error("%s: scenario name '%s' is already in this batch; each needs its own name",
                        file_name, s->name);
            bad = 1;
            fmc_scenario_free(s);
            continue;
        }
        total += a.options.run.samples ? a.options.run.samples : s->samples;
        names[good] = file_name;
        scenarios[good++] = s;
    }
    progress_bar bar;
    progress_start(&bar, a.common.quiet);
    batch_progress progress = {&bar, 0, total};
    for (size_t i = 0; i < good && exit_status == 0; i++) {
        const fmc_scenario *s = scenarios[i];
        size_t n = strlen(parts_dir) + strlen(s->name) + 5;
        if (!(parts[done] = malloc(n))) {
            exit_status = EXIT_RUN_FAILED;
            break;
        }
        snprintf(parts[done], n, "%s/%s.h5", parts_dir, s->name);
        fmc_batch_row kept;
        int resumed = a.resume && fmc_results_read_batch_row(parts[done], &kept) == FMC_OK &&
                      strcmp(kept.file, names[i]) == 0;
        if (resumed)
            rows[done] = kept;
        else
            exit_status = run_one(s, names[i], parts[done], &a, &progress, &rows[done]);
        progress.before += a.options.run.samples ? a.options.run.samples : s->samples;
        if (exit_status == 0 && !a.common.quiet) {
            progress_clear(&bar);
            const fmc_batch_row *row = &rows[done];
            printf("%-24s mean profit %.6g ± %.2g, sd %.6g, P(loss) %.3g%% ± %.2g%%%s%s%s\n",
                   row->name, row->mean, row->se, row->sd, 100 * row->p_loss,
                   100 * row->p_loss_se, row->best_lever[0] ? ", best lever " : "",
                   row->best_lever, resumed ? " (resumed)" : "");
            fflush(stdout);
        }
        done += exit_status == 0;
    }
    progress_finish(&bar);
    for (size_t i = 0; scenarios && i < good; i++)
        fmc_scenario_free(scenarios[i]);
    free(scenarios);
    free(names);
    if (exit_status == 0) {
        fmc_status status =
            fmc_results_assemble_batch(a.common.output, (const char *const *)parts, rows, done);
        if (status) {
            print_error("cannot write '%s': %s", a.common.output,
                        failure_reason(status));
            exit_status = EXIT_RUN_FAILED;
        } else {
            for (size_t k = 0; k < done; k++)
                unlink(parts[k]);
            fmc_h5file_remove_stale_temporaries(parts_dir);
            rmdir(parts_dir);
            if (!a.common.quiet)
                printf("results: %s (%zu scenario%s)\n", a.common.output, done, done == 1 ? "" : "s");
        }
    }
    if (exit_status == 0 && bad)
        exit_status = EXIT_USAGE;
done:
    for (size_t k = 0; k < files; k++)
        free(parts[k]);
    free(parts);
    free(rows);
    return exit_status;
}
