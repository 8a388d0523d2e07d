#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/levers.h"
#include "funnelmc/results.h"
#include "funnelmc/sweep.h"

static void sweep_usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc sweep SCENARIO [-o OUT.h5] [-j THREADS] [--seed S] [--quiet]\n"
            "\n"
            "Runs every sweep of SCENARIO: each grid point is a Monte Carlo run of the\n"
            "sweep's samples with the axes' changes applied, all on the same random draws\n"
            "(common random numbers across the grid).  With levers, each point also names\n"
            "the lever with the largest mean net gain there.\n"
            "\n"
            "  -o, --output FILE   results file (default: SCENARIO_NAME-sweeps.h5)\n"
            "  -j, --threads N     threads (default: OMP_NUM_THREADS or all cores; at most\n"
            "                      4 per core)\n"
            "      --seed S        64-bit seed (default: the scenario's 'seed')\n"
            "      --strict        treat the scenario's warnings as errors (exit 2)\n"
            "  -q, --quiet         no summary and no progress\n"
            "  -h, --help          show this help\n");
}

static void print_point(FILE *out, const fmc_scenario *s, const fmc_sweep *sweep,
                        const fmc_sweep_result *r, size_t p)
{
    static const char *const ops[] = {"x%-8.4g", "%+-9.4g", "=%-8.4g"};
    size_t index[FMC_MAX_SWEEP_AXES];
    fmc_sweep_point_indices(sweep, p, index);
    fprintf(out, " ");
    for (size_t a = 0; a < sweep->axis_count; a++)
    {
        fprintf(out, " %s ", fmc_axis_name(s, &sweep->axes[a]));
        fprintf(out, ops[sweep->axes[a].op], sweep->axes[a].values[index[a]]);
    }
    fprintf(out, "  profit %.6g ± %.2g, P(loss) %.3g%% ± %.2g%%", r->mean[p], r->se[p],
            100 * r->p_loss[p], 100 * r->p_loss_se[p]);
    if (r->best_lever[p] >= 0) {
        fprintf(out, ", best %s (net %+.6g ± %.2g", s->levers[r->best_lever[p]].name,
                r->best_gain[p], r->best_gain_se[p]);
        if (!isnan(r->p_beats_runner_up[p]))
            fprintf(out, ", P(beats the next) %.3g%% ± %.1g%%", 100 * r->p_beats_runner_up[p],
                    100 * r->p_beats_runner_up_se[p]);
        fprintf(out, ")");
    }
    fprintf(out, "\n");
}

int cmd_sweep(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, 'j'},
        {"seed", required_argument, NULL, OPT_SEED}, {"quiet", no_argument, NULL, 'q'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    fmc_run_options run = fmc_run_options_default();
    common_args common = {.command = "sweep", .usage = sweep_usage, .run = &run};
    int c, exit_status;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:j:qh", options, NULL)) != -1)
        if ((exit_status = parse_common_option(c, argv, &common)) >= 0)
            return exit_status;
    if (argc - optind != 1) {
        print_error("'sweep' takes one scenario; see 'funnelmc sweep --help'");
        return EXIT_USAGE;
    }
    fmc_scenario *s = NULL;
    exit_status = load_scenario(argv[optind], common.strict, &s);
    if (exit_status)
        return exit_status;
    if (s->sweep_count == 0) {
        print_error("%s: the scenario has no 'sweeps'", argv[optind]);
        fmc_scenario_free(s);
        return EXIT_USAGE;
    }
    char default_path[256];
    snprintf(default_path, sizeof default_path, "%s-sweeps.h5", s->name);
    const char *output = common.output ? common.output : default_path;
    fmc_sweep_result *results = calloc(s->sweep_count, sizeof *results);
    fmc_h5file *file = NULL;
    fmc_status status = results ? fmc_h5file_create(output, &file) : FMC_ENOMEM;
    progress_bar bar;
    if (status) {
        print_error("cannot create results file '%s': %s", output,
                    failure_reason(status));
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    progress_start(&bar, common.quiet);
    run.progress = progress_update;
    run.progress_context = &bar;
    run.cancel = interruption_flag();
    for (size_t k = 0; k < s->sweep_count && !status; k++)
        status = fmc_sweep_run(s, &s->sweeps[k], &run, &results[k]);
    progress_finish(&bar);
    if (!status)
        status = fmc_results_write_sweeps(file, s, run.seed_given ? run.seed : s->seed, results);
    if (status) {
        print_error(status == FMC_ECANCELLED ? "interrupted; '%s' was not written"
                                             : "sweep failed; '%s' was not written", output);
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    status = fmc_h5file_commit(file);
    file = NULL;
    if (status) {
        print_error("cannot complete results file '%s'", output);
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    for (size_t k = 0; k < s->sweep_count && !common.quiet; k++) {
        printf("sweep %s: %zu points of %llu samples, same draws at every point\n", s->sweeps[k].name,
               results[k].points, (unsigned long long)s->sweeps[k].samples);
        for (size_t p = 0; p < results[k].points; p++)
            print_point(stdout, s, &s->sweeps[k], &results[k], p);
    }
    for (size_t l = 0; l < s->lever_count && !common.quiet; l++)
        if (fmc_lever_assumes_fixed_reach(&s->levers[l]))
            printf("note: %s changes the hours with no response: where it is best, that assumes "
                   "reach does not depend on the time spent\n", s->levers[l].name);
    if (!common.quiet)
        printf("results: %s\n", output);
done:
    fmc_h5file_abort(file);
    for (size_t k = 0; results && k < s->sweep_count; k++)
        fmc_sweep_result_clear(&results[k]);
    free(results);
    fmc_scenario_free(s);
    return exit_status;
}
