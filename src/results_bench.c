/* The bench layout: the identity attributes and /bench, a group per
 * workload with its strong and weak scaling (docs/hdf5-layout.md). */
#include "funnelmc/results.h"

#include <stdio.h>
#include "results_internal.h"

/* The columns of one scaling table, each dataset named PREFIX + column. */
static herr_t write_scaling(hid_t group, const char *prefix, const fmc_scaling *rows, size_t k)
{
    static const char *const names[6] = {"median_seconds", "min_seconds", "max_seconds",
                                         "samples_per_second", "speedup", "efficiency"};
    double columns[6][FMC_MAX_BENCH_THREADS];
    for (size_t i = 0; i < k; i++) {
        columns[0][i] = rows[i].median;
        columns[1][i] = rows[i].min;
        columns[2][i] = rows[i].max;
        columns[3][i] = rows[i].samples_per_second;
        columns[4][i] = rows[i].speedup;
        columns[5][i] = rows[i].efficiency;
    }
    for (int c = 0; c < 6; c++) {
        char name[64];
        snprintf(name, sizeof name, "%s%s", prefix, names[c]);
        if (fmc_h5_doubles(group, name, k, columns[c]) < 0)
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
        rate[i] = b->strong[0][i].samples_per_second;
        speedup[i] = b->strong[0][i].speedup;
        efficiency[i] = b->strong[0][i].efficiency;
    }
    const fmc_h5_attribute machine[] = {
        FMC_H5_ATTR_TEXT("cpu", b->cpu),
        FMC_H5_ATTR_U64("cores", b->cores),
        FMC_H5_ATTR_TEXT("omp_proc_bind", b->proc_bind),
        FMC_H5_ATTR_TEXT("omp_places", b->places),
        FMC_H5_ATTR_U64("samples", b->samples),
        FMC_H5_ATTR_U64("repeats", b->repeats)};
    const fmc_h5_dataset overview[] = {
        {"threads", threads, 1, {k}},
        {"samples_per_second", rate, 1, {k}},
        {"speedup", speedup, 1, {k}},
        {"efficiency", efficiency, 1, {k}}};
    hid_t file = fmc_h5file_handle(f);
    hid_t bench = fmc_h5_make_group(file, "bench");
    int ok = bench >= 0 && fmc_h5_identity(file, NULL, 0, 0) >= 0 &&
             fmc_h5_attributes(bench, machine, FMC_COUNT_OF(machine)) >= 0 &&
             fmc_h5_datasets(bench, overview, FMC_COUNT_OF(overview)) >= 0;
    for (int w = 0; ok && w < FMC_WORKLOAD_COUNT; w++) {
        hid_t group = fmc_h5_make_group(bench, fmc_workload_name(w));
        ok = group >= 0 && write_scaling(group, "", b->strong[w], k) >= 0 &&
             write_scaling(group, "weak_", b->weak[w], k) >= 0;
        if (group >= 0)
            H5Gclose(group);
    }
    if (bench >= 0)
        H5Gclose(bench);
    return ok ? FMC_OK : FMC_EHDF5;
}
