#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/benchmark.h"
#include "funnelmc/results.h"

static void bench_usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc bench [-n N] [-j LIST] [-r REPEATS] [-o OUT.h5] [--quiet]\n"
            "\n"
            "Measures this machine on standard workloads of the built-in reference\n"
            "scenario (summary; summary + tornado + Sobol; levers; a 35-point sweep) at\n"
            "each thread count: a warm-up, then REPEATS timed runs; median, min and max\n"
            "time, samples/s, speedup and parallel efficiency, for strong scaling (N\n"
            "fixed) and weak scaling (N per thread).  OMP_PROC_BIND and OMP_PLACES are\n"
            "honoured and recorded.\n"
            "\n"
            "  -n, --samples N     samples of a run (default 1e7)\n"
            "  -j, --threads LIST  thread counts, e.g. 1,2,4 (default 1, 2, 4, ... cores)\n"
            "  -r, --repeats R     timed runs per measurement (default 3)\n"
            "  -o, --output FILE   results file (default: bench.h5)\n"
            "  -q, --quiet         no table and no progress\n"
            "  -h, --help          show this help\n"
            "\n"
            "With MPI, 'mpirun -n P funnelmc bench ...' also measures every workload on the\n"
            "first 1, 2, 4, ..., P processes (strong and weak scaling across processes).\n");
}

static int parse_list(const char *text, fmc_benchmark_options *o)
{
    char *copy = strdup(text), *save = NULL;
    int ok = copy != NULL, previous = 0;
    for (char *item = copy ? strtok_r(copy, ",", &save) : NULL; ok && item;
         item = strtok_r(NULL, ",", &save)) {
        int t;
        ok = o->thread_count < FMC_MAX_BENCH_THREADS && parse_threads("-j", item, &t) && t > previous;
        if (ok)
            o->threads[o->thread_count++] = previous = t;
    }
    free(copy);
    if (!ok)
        print_error("option '-j': expected ascending thread counts such as 1,2,4, found '%s'", text);
    return ok && o->thread_count > 0;
}

static void report(void *context, const char *workload, int processes, int threads, int repeat)
{
    if (*(int *)context)
        fprintf(stderr, "\r%-12s %3d x %3d threads  %s %d   ", workload, processes, threads,
                repeat ? "run" : "warm-up", repeat);
}

/* The table of the measurements across processes (benchmark.h). */
static void print_processes_table(FILE *out, const fmc_benchmark_result *b)
{
    fprintf(out, "\nacross processes (the first P of %d; speedup against 1 process x %d threads):\n",
            b->processes[b->process_count - 1], b->threads[0]);
    fprintf(out, "%-12s %9s %7s %10s %13s %8s %10s | %12s %10s\n", "workload", "processes",
            "threads", "median s", "samples/s", "speedup", "efficiency", "weak s", "weak eff.");
    for (int w = 0; w < FMC_WORKLOAD_COUNT; w++)
        for (size_t i = 0; i < b->process_count; i++)
            for (size_t k = 0; k < b->thread_count; k++) {
                const fmc_scaling *x = &b->process_strong[i][w][k], *y = &b->process_weak[i][w][k];
                fprintf(out, "%-12s %9d %7d %10.4f %13.4g %8.2f %10.2f | %12.4f %10.2f\n",
                        fmc_workload_name(w), b->processes[i], b->threads[k], x->median,
                        x->samples_per_second, x->speedup, x->efficiency, y->median, y->efficiency);
            }
}

void print_bench(FILE *out, const fmc_benchmark_result *b)
{
    fprintf(out, "funnelmc bench on %s, %d cores; OMP_PROC_BIND %s, OMP_PLACES %s\n", b->cpu,
            b->cores, b->proc_bind, b->places);
    /* the last process count measured is the team's size */
    if (b->process_count > 1)
        fprintf(out, "%d processes; the thread table is of the first process alone\n",
                b->processes[b->process_count - 1]);
    fprintf(out, "N = %llu samples, median of %d runs after a warm-up\n",
            (unsigned long long)b->samples, b->repeats);
    fprintf(out, "%-12s %7s %10s %9s %9s %13s %8s %10s | %12s %10s\n", "workload", "threads",
            "median s", "min s", "max s", "samples/s", "speedup", "efficiency", "weak s",
            "weak eff.");
    for (int w = 0; w < FMC_WORKLOAD_COUNT; w++)
        for (size_t k = 0; k < b->thread_count; k++) {
            const fmc_scaling *x = &b->process_strong[0][w][k], *y = &b->process_weak[0][w][k];
            fprintf(out, "%-12s %7d %10.4f %9.4f %9.4f %13.4g %8.2f %10.2f | %12.4f %10.2f\n",
                    fmc_workload_name(w), b->threads[k], x->median, x->min, x->max,
                    x->samples_per_second, x->speedup, x->efficiency, y->median, y->efficiency);
        }
    if (b->process_count > 1)
        print_processes_table(out, b);
}

int cmd_bench(int argc, char **argv)
{
    static const struct option options[] = {
        {"samples", required_argument, NULL, 'n'}, {"threads", required_argument, NULL, 'j'},
        {"repeats", required_argument, NULL, 'r'}, {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    fmc_benchmark_options o;
    memset(&o, 0, sizeof o);
    /* -n and -j mean the same here but fill the benchmark's own options */
    common_args common = {.command = "bench", .usage = bench_usage, .output = "bench.h5"};
    int c, exit_status;
    uint64_t repeats = 3;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":n:j:r:o:qh", options, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (!parse_positive_count("-n", optarg, &o.samples))
                return EXIT_USAGE;
            break;
        case 'j':
            if (!parse_list(optarg, &o))
                return EXIT_USAGE;
            break;
        case 'r':
            if (!parse_count_up_to("-r", optarg, 63, &repeats))
                return EXIT_USAGE;
            break;
        default:
            if ((exit_status = parse_common_option(c, argv, &common)) >= 0)
                return exit_status;
        }
    }
    if (optind < argc) {
        print_error("'bench' takes no scenario: it runs the built-in reference scenario");
        return EXIT_USAGE;
    }
    o.repeats = (int)repeats;
    /* every process takes part; rank 0 alone writes and prints */
    int leader = cli_is_leader();
    common.quiet |= !leader;
    int show = !common.quiet && isatty(2);
    o.report = report;
    o.report_context = &show;
    o.team = cli_world;
    fmc_benchmark_result *b = malloc(sizeof *b);
    fmc_h5file *file = NULL;
    fmc_status status = b ? FMC_OK : FMC_ENOMEM;
    if (status && !leader)
        print_local_error("out of memory");
    if (status == FMC_OK && leader)
        status = fmc_h5file_create(common.output, &file);
    /* nobody measures what rank 0 could not keep */
    status = fmc_team_agree(cli_world, status);
    if (status == FMC_OK)
        status = fmc_benchmark_run(&o, b);
    if (show)
        fprintf(stderr, "\r%50s\r", "");
    if (status == FMC_OK && leader)
        status = fmc_results_write_benchmark(file, b);
    if (status == FMC_OK && leader) {
        status = fmc_h5file_commit(file);
        file = NULL;
    }
    fmc_h5file_abort(file);
    if (status)
        print_error("bench failed: %s", failure_reason(status));
    /* the job fails as a whole when rank 0 could not keep the results */
    if (fmc_team_agree(cli_world, status)) {
        free(b);
        return EXIT_RUN_FAILED;
    }
    if (!common.quiet) {
        print_bench(stdout, b);
        printf("results: %s\n", common.output);
    }
    free(b);
    return 0;
}
