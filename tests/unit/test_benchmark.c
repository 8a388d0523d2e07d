/* Benchmarks: the shape of the results, each timed run announced, the
 * speedup and efficiency of the header's definitions on the times
 * returned, and weak scaling giving each thread the samples that the first
 * thread count gives each of its threads.  Every run builds the samplers
 * anew (tenths of a second), so one small benchmark serves every check;
 * the defaults (1e7 samples, powers of two up to the cores) are left to
 * `funnelmc bench` itself. */
#include <omp.h>
#include <string.h>
#include "check.h"
#include "funnelmc/benchmark.h"

/* The calls to the report callback, per workload and thread count. */
typedef struct announced {
    int calls;
    int per[FMC_WORKLOAD_COUNT][4];   /* by workload, at 2 and 3 threads */
    int warm_ups;                     /* calls with repeat 0 */
    int highest_repeat;
    int unknown;                      /* a name or thread count not asked for */
} announced;

static void count_report(void *context, const char *workload, int processes, int threads,
                         int repeat)
{
    announced *a = context;
    a->calls++;
    int w = 0;
    while (w < FMC_WORKLOAD_COUNT && strcmp(workload, fmc_workload_name(w)) != 0)
        w++;
    if (w == FMC_WORKLOAD_COUNT || processes != 1 || threads < 2 || threads > 3) {
        a->unknown++;
        return;
    }
    a->per[w][threads]++;
    a->warm_ups += repeat == 0;
    if (repeat > a->highest_repeat)
        a->highest_repeat = repeat;
}

static void workloads_have_their_documented_names(void)
{
    const char *names[FMC_WORKLOAD_COUNT] = {"summary", "sensitivity", "levers", "sweep"};
    for (int w = 0; w < FMC_WORKLOAD_COUNT; w++)
        CHECK(strcmp(fmc_workload_name(w), names[w]) == 0);
    CHECK(strcmp(fmc_workload_name(-1), "unknown") == 0);
    CHECK(strcmp(fmc_workload_name(FMC_WORKLOAD_COUNT), "unknown") == 0);
}

static void results_have_the_asked_shape_and_the_defined_ratios(void)
{
    enum { N = 7000, REPEATS = 2, FIRST = 2 };
    announced a = {0};
    fmc_benchmark_options o = {0};
    o.samples = N;
    o.threads[0] = FIRST;
    o.threads[1] = 3;
    o.thread_count = 2;
    o.repeats = REPEATS;
    o.report = count_report;
    o.report_context = &a;
    static fmc_benchmark_result r;  /* large: off the stack */
    REQUIRE(fmc_benchmark_run(&o, &r) == FMC_OK);
    CHECK(r.thread_count == 2 && r.threads[0] == FIRST && r.threads[1] == 3);
    CHECK(r.samples == N && r.repeats == REPEATS);
    CHECK(r.cores == omp_get_num_procs());
    /* a lone process: one process count, whose row is the thread tables */
    CHECK(r.process_count == 1 && r.processes[0] == 1);
    CHECK(strlen(r.cpu) > 0 && strlen(r.proc_bind) > 0 && strlen(r.places) > 0);
    /* every workload at every thread count, strong and weak: a warm-up and
     * REPEATS timed runs each */
    CHECK(a.unknown == 0);
    CHECK(a.calls == FMC_WORKLOAD_COUNT * 2 * 2 * (1 + REPEATS));
    for (int w = 0; w < FMC_WORKLOAD_COUNT; w++)
        CHECK(a.per[w][2] == 2 * (1 + REPEATS) && a.per[w][3] == 2 * (1 + REPEATS));
    CHECK(a.warm_ups == FMC_WORKLOAD_COUNT * 2 * 2 && a.highest_repeat == REPEATS);
    for (int w = 0; w < FMC_WORKLOAD_COUNT; w++) {
        const fmc_scaling *first_strong = &r.process_strong[0][w][0], *first_weak = &r.process_weak[0][w][0];
        for (size_t k = 0; k < r.thread_count; k++) {
            const fmc_scaling *strong = &r.process_strong[0][w][k], *weak = &r.process_weak[0][w][k];
            double t = r.threads[k];
            CHECK(strong->min > 0 && strong->min <= strong->median && strong->median <= strong->max);
            CHECK(weak->min > 0 && weak->min <= weak->median && weak->median <= weak->max);
            /* the median of two timed runs is their mean */
            CHECK_EXACT(strong->median, 0.5 * (strong->min + strong->max));
            CHECK_EXACT(weak->median, 0.5 * (weak->min + weak->max));
            /* strong scaling: N samples at every thread count */
            CHECK_NEAR(strong->samples_per_second * strong->median, N, 1e-9 * N);
            /* weak scaling: N samples at the first count (2 threads), so
             * N / 2 per thread: 1.5 N at 3 threads */
            double weak_samples = N * t / FIRST;
            CHECK_NEAR(weak->samples_per_second * weak->median, weak_samples, 1e-9 * weak_samples);
            /* speedup: the first median over this one; efficiency: the
             * speedup x the first count / threads */
            CHECK_NEAR(strong->speedup, first_strong->median / strong->median, 1e-12 * strong->speedup);
            CHECK_NEAR(strong->efficiency, strong->speedup * FIRST / t, 1e-12 * strong->speedup);
            /* weak: work per time against the first; efficiency: the first
             * median over this one (the same time for t / FIRST times the
             * work is 1) */
            CHECK_NEAR(weak->speedup, weak_samples / weak->median / (N / first_weak->median),
                       1e-9 * weak->speedup);
            CHECK_NEAR(weak->efficiency, first_weak->median / weak->median, 1e-12 * weak->efficiency);
        }
        CHECK_EXACT(first_strong->speedup, 1);
        CHECK_EXACT(first_strong->efficiency, 1);
        CHECK_EXACT(first_weak->speedup, 1);
        CHECK_EXACT(first_weak->efficiency, 1);
    }
}

TEST_MAIN_BEGIN
RUN_TEST(workloads_have_their_documented_names);
RUN_TEST(results_have_the_asked_shape_and_the_defined_ratios);
TEST_MAIN_END
