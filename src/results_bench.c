/* The bench layout: the identity attributes and /bench, a group per
 * workload with its strong and weak scaling (docs/hdf5-layout.md). */
#include "funnelmc/results.h"

#include <stdio.h>
#include "results_internal.h"

/* The columns of one scaling table of workload W, each dataset named
 * PREFIX + column: of the first K thread counts at one process count
 * (P 0: 1-D, from ROWS[0]) or at each of P (2-D, [P][K], from ROWS[0 .. P)). */
static herr_t write_scaling(hid_t group, const char *prefix,
                            const fmc_scaling (*rows)[FMC_WORKLOAD_COUNT][FMC_MAX_BENCH_THREADS],
                            int w, size_t p, size_t k)
{
    static const char *const names[6] = {"median_seconds", "min_seconds", "max_seconds",
                                         "samples_per_second", "speedup", "efficiency"};
    double columns[6][FMC_MAX_BENCH_PROCESSES * FMC_MAX_BENCH_THREADS];
    for (size_t i = 0; i < (p ? p : 1); i++)
        for (size_t j = 0; j < k; j++) {
            const fmc_scaling *x = &rows[i][w][j];
            size_t at = i * k + j;
            columns[0][at] = x->median;
            columns[1][at] = x->min;
            columns[2][at] = x->max;
            columns[3][at] = x->samples_per_second;
            columns[4][at] = x->speedup;
            columns[5][at] = x->efficiency;
        }
    for (int c = 0; c < 6; c++) {
        char name[64];
        snprintf(name, sizeof name, "%s%s", prefix, names[c]);
        fmc_h5_dataset d = {name, columns[c], p ? 2 : 1, {p ? p : k, k},
                            {p ? "processes" : "threads", "threads"}};
        if (fmc_h5_datasets(group, &d, 1) < 0)
            return -1;
    }
    return 0;
}

fmc_status fmc_results_write_benchmark(fmc_h5file *f, const fmc_benchmark_result *b)
{
    size_t k = b->thread_count;
    double threads[FMC_MAX_BENCH_THREADS], rate[FMC_MAX_BENCH_THREADS];
    double speedup[FMC_MAX_BENCH_THREADS], efficiency[FMC_MAX_BENCH_THREADS];
    for (size_t i = 0; i < k; i++) {
        threads[i] = b->threads[i];
        rate[i] = b->process_strong[0][0][i].samples_per_second;
        speedup[i] = b->process_strong[0][0][i].speedup;
        efficiency[i] = b->process_strong[0][0][i].efficiency;
    }
    const fmc_h5_attribute machine[] = {
        FMC_H5_ATTR_TEXT("cpu", b->cpu),
        FMC_H5_ATTR_U64("cores", b->cores),
        FMC_H5_ATTR_TEXT("omp_proc_bind", b->proc_bind),
        FMC_H5_ATTR_TEXT("omp_places", b->places),
        FMC_H5_ATTR_U64("samples", b->samples),
        FMC_H5_ATTR_U64("repeats", b->repeats)};
    const fmc_h5_dataset overview[] = {
        {"samples_per_second", rate, 1, {k}, {"threads"}},
        {"speedup", speedup, 1, {k}, {"threads"}},
        {"efficiency", efficiency, 1, {k}, {"threads"}}};
    hid_t file = fmc_h5file_handle(f);
    hid_t bench = fmc_h5_make_group(file, "bench");
    int ok = bench >= 0 && fmc_h5_identity(file, NULL, 0, 0) >= 0 &&
             fmc_h5_attributes(bench, machine, FMC_COUNT_OF(machine)) >= 0 &&
             fmc_h5_coordinate_doubles(bench, "threads", k, threads) >= 0 &&
             fmc_h5_datasets(bench, overview, FMC_COUNT_OF(overview)) >= 0;
    /* across processes, the process tables too; a lone process's file
     * keeps the thread tables alone */
    size_t p = b->process_count > 1 ? b->process_count : 0;
    double processes[FMC_MAX_BENCH_PROCESSES];
    for (size_t i = 0; i < p; i++)
        processes[i] = b->processes[i];
    if (ok && p)
        ok = fmc_h5_coordinate_doubles(bench, "processes", p, processes) >= 0;
    for (int w = 0; ok && w < FMC_WORKLOAD_COUNT; w++) {
        /* each workload's own coordinates: xarray opens one group at a time */
        hid_t group = fmc_h5_make_group(bench, fmc_workload_name(w));
        ok = group >= 0 && fmc_h5_coordinate_doubles(group, "threads", k, threads) >= 0 &&
             (!p || fmc_h5_coordinate_doubles(group, "processes", p, processes) >= 0) &&
             write_scaling(group, "", b->process_strong, w, 0, k) >= 0 &&
             write_scaling(group, "weak_", b->process_weak, w, 0, k) >= 0 &&
             (!p || (write_scaling(group, "processes_", b->process_strong, w, p, k) >= 0 &&
                     write_scaling(group, "processes_weak_", b->process_weak, w, p, k) >= 0));
        if (group >= 0)
            H5Gclose(group);
    }
    if (bench >= 0)
        H5Gclose(bench);
    return ok ? FMC_OK : FMC_EHDF5;
}
