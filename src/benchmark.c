#include "funnelmc/benchmark.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/analysis.h"
#include "funnelmc/sweep.h"

static const char *const workload_names[FMC_WORKLOAD_COUNT] = {"summary", "sensitivity", "levers",
                                                               "sweep"};

const char *fmc_workload_name(int w)
{
    return w >= 0 && w < FMC_WORKLOAD_COUNT ? workload_names[w] : "unknown";
}

/* One run of workload W with N samples on THREADS threads of each process
 * of TEAM; its seconds. */
static fmc_status run_workload(const fmc_scenario *s, int w, uint64_t n, int threads,
                               const fmc_team *team, double *seconds)
{
    fmc_status status;
    double started = omp_get_wtime();
    if (w == 3) {
        fmc_sweep sweep = s->sweeps[0];
        sweep.samples = n / 35 ? n / 35 : 1;
        fmc_run_options o = fmc_run_options_default();
        o.threads = threads;
        o.team = team;
        fmc_sweep_result r;
        status = fmc_sweep_run(s, &sweep, &o, &r);
        fmc_sweep_result_clear(&r);
    } else {
        fmc_analysis_options o = fmc_analysis_options_default();
        o.run.samples = n;
        o.run.threads = threads;
        o.run.team = team;
        o.summary_only = w == 0;
        o.base_samples = n / 10 ? n / 10 : 2;
        fmc_scenario copy = *s;
        copy.sobol = w == 1;
        copy.lever_count = w == 2 ? s->lever_count : 0;
        fmc_analysis a;
        status = fmc_analyse(&copy, &o, &a);
        fmc_analysis_clear(&a);
    }
    *seconds = omp_get_wtime() - started;
    return status;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median, min and max of REPEATS timed runs after a warm-up, on every
 * process of TEAM (PROCESSES of them). */
static fmc_status measure(const fmc_scenario *s, int w, uint64_t n, int threads,
                          const fmc_team *team, int processes, const fmc_benchmark_options *o,
                          int repeats, fmc_scaling *out)
{
    double times[64], ignored;
    int reports = o->report && fmc_team_rank(team) == 0;
    if (reports)
        o->report(o->report_context, workload_names[w], processes, threads, 0);
    fmc_status status = run_workload(s, w, n, threads, team, &ignored);
    for (int r = 0; r < repeats && status == FMC_OK; r++) {
        if (reports)
            o->report(o->report_context, workload_names[w], processes, threads, r + 1);
        status = run_workload(s, w, n, threads, team, &times[r]);
    }
    if (status)
        return status;
    qsort(times, (size_t)repeats, sizeof *times, by_value);
    out->median = repeats % 2 ? times[repeats / 2] : 0.5 * (times[repeats / 2 - 1] + times[repeats / 2]);
    out->min = times[0];
    out->max = times[repeats - 1];
    out->samples_per_second = (double)n / out->median;
    return FMC_OK;
}

static void describe_machine(fmc_benchmark_result *out)
{
    snprintf(out->cpu, sizeof out->cpu, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
            snprintf(out->cpu, sizeof out->cpu, "%s", strchr(line, ':') + 2);
            out->cpu[strcspn(out->cpu, "\n")] = '\0';
            break;
        }
    if (f)
        fclose(f);
    out->cores = omp_get_num_procs();
    const char *bind = getenv("OMP_PROC_BIND"), *places = getenv("OMP_PLACES");
    snprintf(out->proc_bind, sizeof out->proc_bind, "%s", bind ? bind : "unset");
    snprintf(out->places, sizeof out->places, "%s", places ? places : "unset");
}

/* Every workload at every thread count on TEAM, the first PROCESSES
 * processes, into row I of OUT's process tables (row 0 first). */
static fmc_status measure_row(const fmc_scenario *s, const fmc_benchmark_options *o,
                              const fmc_team *team, size_t i, fmc_benchmark_result *out)
{
    int processes = out->processes[i];
    uint64_t first_threads = (uint64_t)out->threads[0];
    for (int w = 0; w < FMC_WORKLOAD_COUNT; w++)
        for (size_t k = 0; k < out->thread_count; k++) {
            int t = out->threads[k];
            fmc_scaling *strong = &out->process_strong[i][w][k], *weak = &out->process_weak[i][w][k];
            uint64_t weak_samples = out->samples * (uint64_t)processes * (uint64_t)t / first_threads;
            fmc_status status = measure(s, w, out->samples, t, team, processes, o, out->repeats,
                                        strong);
            if (status == FMC_OK)
                status = measure(s, w, weak_samples, t, team, processes, o, out->repeats, weak);
            if (status)
                return status;
            const fmc_scaling *first_strong = &out->process_strong[0][w][0];
            const fmc_scaling *first_weak = &out->process_weak[0][w][0];
            strong->speedup = first_strong->median / strong->median;
            strong->efficiency = strong->speedup * out->threads[0] / (processes * t);
            weak->speedup = weak->samples_per_second / first_weak->samples_per_second;
            weak->efficiency = first_weak->median / weak->median;
        }
    return FMC_OK;
}

/* The process counts to measure for a team of SIZE into OUT, and the
 * groups to cut the team into for each (its first group has that many
 * processes, fmc_team_split): 1, then counts about doubling, and SIZE. */
static void choose_processes(int size, fmc_benchmark_result *out, int *groups)
{
    out->processes[0] = 1;
    groups[0] = size;
    out->process_count = 1;
    for (int g = size - 1; g >= 1 && out->process_count < FMC_MAX_BENCH_PROCESSES; g--) {
        int first = (size + g - 1) / g, last = out->processes[out->process_count - 1];
        if (first >= 2 * last || (g == 1 && first > last)) {
            out->processes[out->process_count] = first;
            groups[out->process_count++] = g;
        }
    }
}

fmc_status fmc_benchmark_run(const fmc_benchmark_options *o, fmc_benchmark_result *out)
{
    memset(out, 0, sizeof *out);
    describe_machine(out);
    out->samples = o->samples ? o->samples : 10000000;
    out->repeats = o->repeats > 0 ? (o->repeats < 64 ? o->repeats : 63) : 3;
    if (o->thread_count) {
        out->thread_count = o->thread_count;
        memcpy(out->threads, o->threads, o->thread_count * sizeof *o->threads);
    } else {
        for (int t = 1; t < out->cores && out->thread_count < FMC_MAX_BENCH_THREADS - 1; t *= 2)
            out->threads[out->thread_count++] = t;
        out->threads[out->thread_count++] = out->cores;
    }
    int groups[FMC_MAX_BENCH_PROCESSES];
    choose_processes(fmc_team_size(o->team), out, groups);
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    fmc_status status = fmc_scenario_load_text(fmc_reference_text(), strlen(fmc_reference_text()),
                                               FMC_REFERENCE_NAME, &s, &diags);
    fmc_diagnostics_clear(&diags);
    for (size_t i = 0; i < out->process_count && status == FMC_OK; i++) {
        fmc_team *first = NULL;
        int group = 0;
        status = fmc_team_split(o->team, groups[i], &group, &first);
        /* the first group measures; the others idle, leaving it the cores */
        if (status == FMC_OK && group == 0)
            status = measure_row(s, o, first, i, out);
        fmc_team_free(first);
        status = fmc_team_agree_idle(o->team, status);
    }
    fmc_scenario_free(s);
    return status;
}
