/* Benchmarks of this machine on standard workloads of the built-in
 * reference scenario, at several thread counts: what `funnelmc bench` runs.
 *
 * Workloads: "summary" (N samples, summary only), "sensitivity" (N samples
 * with drivers and tornado, and a Sobol design of N/10 rows), "levers"
 * (N samples with the scenario's three levers) and "sweep" (the scenario's
 * 35-point grid, N/35 samples a point).  For each workload and thread count:
 * one warm-up, then REPEATS timed runs; strong scaling keeps N fixed, weak
 * scaling gives each thread N samples (N x threads in all). */
#ifndef FUNNELMC_BENCHMARK_H
#define FUNNELMC_BENCHMARK_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"

#define FMC_WORKLOAD_COUNT 4
#define FMC_MAX_BENCH_THREADS 64

/* Name of workload W ("summary", ...). */
const char *fmc_workload_name(int w);

typedef struct fmc_benchmark_options {
    uint64_t samples;                       /* N; 0: 1e7 */
    int threads[FMC_MAX_BENCH_THREADS];     /* thread counts, ascending; */
    size_t thread_count;                    /* 0: 1, 2, 4, ... up to the cores */
    int repeats;                            /* 0: 3 */
    /* called before each timed run with a short description; may be NULL */
    void (*report)(void *context, const char *workload, int threads, int repeat);
    void *report_context;
} fmc_benchmark_options;

typedef struct fmc_scaling {
    double median, min, max;       /* seconds of the timed runs */
    double samples_per_second;     /* samples (the workload's unit) / median */
    double speedup;                /* median at the first thread count / this median */
    double efficiency;             /* speedup x first thread count / threads */
} fmc_scaling;

typedef struct fmc_benchmark_result {
    size_t thread_count;
    int threads[FMC_MAX_BENCH_THREADS];
    uint64_t samples;
    int repeats;
    fmc_scaling strong[FMC_WORKLOAD_COUNT][FMC_MAX_BENCH_THREADS];
    fmc_scaling weak[FMC_WORKLOAD_COUNT][FMC_MAX_BENCH_THREADS];  /* speedup: work per time */
    char cpu[128];
    int cores;
    char proc_bind[64], places[64];  /* OMP_PROC_BIND and OMP_PLACES, or "unset" */
} fmc_benchmark_result;

/* Runs every workload at every thread count (OPTIONS->threads ascending,
 * each >= 1).  FMC_OK and *OUT (plain data: nothing to free); or FMC_ENOMEM,
 * FMC_ENUMERIC or FMC_ECANCELLED (a run's status), *OUT then holding the
 * machine's description and the measurements made before the failure. */
fmc_status fmc_benchmark_run(const fmc_benchmark_options *options, fmc_benchmark_result *out);

#endif
