/* Benchmarks of this machine on standard workloads of the built-in
 * reference scenario, at several thread counts: what `funnelmc bench` runs.
 *
 * Workloads: "summary" (N samples, summary only), "sensitivity" (N samples
 * with drivers and tornado, and a Sobol design of N/10 rows), "levers"
 * (N samples with the scenario's three levers) and "sweep" (the scenario's
 * 35-point grid, N/35 samples a point).  For each workload and thread count:
 * one warm-up, then REPEATS timed runs; strong scaling keeps N fixed, weak
 * scaling gives each thread N samples (N x threads in all).
 *
 * Across processes (a team of P > 1, team.h): the thread tables are
 * measured by the team's first process alone, then every workload at every
 * thread count again on the first p processes for a few p from 2 up to P
 * (each run shared among them), the other processes idling; strong scaling
 * keeps N fixed, weak scaling gives each process the samples of one
 * process. */
#ifndef FUNNELMC_BENCHMARK_H
#define FUNNELMC_BENCHMARK_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"
#include "funnelmc/team.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

#define FMC_WORKLOAD_COUNT 4
#define FMC_MAX_BENCH_THREADS 64
#define FMC_MAX_BENCH_PROCESSES 16

/* Name of workload W ("summary", ...). */
const char *fmc_workload_name(int w);

typedef struct fmc_benchmark_options {
    uint64_t samples;                       /* N; 0: 1e7 */
    int threads[FMC_MAX_BENCH_THREADS];     /* thread counts, ascending; */
    size_t thread_count;                    /* 0: 1, 2, 4, ... up to the cores */
    int repeats;                            /* 0: 3 */
    /* called before each timed run with a short description (repeat 0: the
     * warm-up), on rank 0 of the team only; may be NULL */
    void (*report)(void *context, const char *workload, int processes, int threads, int repeat);
    void *report_context;
    /* the processes measured, every one calling with the same options;
     * NULL: this process alone */
    const fmc_team *team;
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
    char cpu[128];
    int cores;
    char proc_bind[64], places[64];  /* OMP_PROC_BIND and OMP_PLACES, or "unset" */
    /* The process counts measured, ascending: 1, then for a team of P > 1
     * counts about doubling up to P (2, 3 for P = 3; each the first group
     * of a fmc_team_split of the team).  Row I of the tables holds every
     * workload on processes[I] processes at every thread count; row 0, one
     * process, is the thread scaling of a lone one.  Speedup is against the
     * median on 1 process at the first thread count (weak: work per time),
     * efficiency the speedup x that thread count / (processes x threads);
     * weak scaling runs N x processes x threads / the first thread count
     * samples. */
    size_t process_count;
    int processes[FMC_MAX_BENCH_PROCESSES];
    fmc_scaling process_strong[FMC_MAX_BENCH_PROCESSES][FMC_WORKLOAD_COUNT][FMC_MAX_BENCH_THREADS];
    fmc_scaling process_weak[FMC_MAX_BENCH_PROCESSES][FMC_WORKLOAD_COUNT][FMC_MAX_BENCH_THREADS];
} fmc_benchmark_result;

/* Runs every workload at every thread count (OPTIONS->threads ascending,
 * each >= 1) and process count.  Collective over OPTIONS->team, every
 * process returning the same status.  FMC_OK and *OUT (plain data: nothing
 * to free; complete on rank 0, whose times it holds); or FMC_ENOMEM,
 * FMC_ENUMERIC or FMC_ECANCELLED (a run's status), *OUT then holding the
 * machine's description and the measurements made before the failure. */
fmc_status fmc_benchmark_run(const fmc_benchmark_options *options, fmc_benchmark_result *out);

#pragma GCC visibility pop

#endif
