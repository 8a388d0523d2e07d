/* Series of a run: the summary against closed forms for the values
 * 0, 1, ..., N - 1, and the same bits however blocks are shared among
 * threads and rounds, with histograms per thread or one shared; the pilot's range and its nominal fallback. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/series.h"

enum { BLOCKS = 10, BLOCK = 1000, N = BLOCKS * BLOCK };

/* Block B of the data: its values B * BLOCK .. (B + 1) * BLOCK - 1, and in
 * series 1 their negatives. */
static void fill(double *x, size_t b, int negate)
{
    for (size_t i = 0; i < BLOCK; i++)
        x[i] = (negate ? -1.0 : 1.0) * (double)(b * BLOCK + i);
}

/* Summaries of both series over THREADS threads, in rounds of ROUND
 * blocks whose slots OpenMP threads fill at once in any order; the pilot
 * sees PILOT_BLOCKS.  SHARED: one histogram per series, under a lock. */
static void summarize(int threads, size_t round, size_t pilot_blocks, int shared,
                      fmc_output_summary out[2])
{
    fmc_series_set *set = NULL;
    REQUIRE((shared ? fmc_series_set_alloc_shared : fmc_series_set_alloc)(2, threads, round,
                                                                           &set) == FMC_OK);
    double x[BLOCK];
    for (size_t b = 0; b < pilot_blocks; b++)
        for (size_t k = 0; k < 2; k++) {
            fill(x, b, (int)k);
            fmc_series_set_pilot(set, (int)(b % (size_t)threads), k, x, BLOCK);
        }
    REQUIRE(fmc_series_set_begin(set) == FMC_OK);
    for (size_t first = 0; first < BLOCKS; first += round) {
        size_t count = BLOCKS - first < round ? BLOCKS - first : round;
        #pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
        for (size_t slot = 0; slot < count; slot++) {
            double y[BLOCK];
            for (size_t k = 0; k < 2; k++) {
                fill(y, first + slot, (int)k);
                fmc_series_set_add(set, omp_get_thread_num(), slot, k, y, BLOCK);
            }
        }
        fmc_series_set_merge_round(set, count);
    }
    for (size_t k = 0; k < 2; k++)
        fmc_series_set_summarize(set, k, 0.95, &out[k]);
    fmc_series_set_free(set);
}

static void summary_of_0_to_n_matches_closed_forms(void)
{
    fmc_output_summary s[2];
    summarize(1, BLOCKS, BLOCKS, 0, s);
    double n = N;
    CHECK_NEAR(s[0].mean, (n - 1) / 2, 1e-9);
    CHECK_NEAR(s[0].sd, sqrt(n * (n + 1) / 12), 1e-9);
    CHECK_NEAR(s[0].se, sqrt((n + 1) / 12), 1e-12);
    CHECK_NEAR(s[1].mean, -(n - 1) / 2, 1e-9);
    CHECK(s[0].count == N && s[1].count == N);
    CHECK_EXACT(s[0].p_loss, 0.0);
    CHECK_NEAR(s[1].p_loss, (n - 1) / n, 1e-15);  /* every value but 0 */
    CHECK_EXACT(s[0].min, 0.0);
    CHECK_EXACT(s[0].max, n - 1);
    /* the median of 0 .. N-1 within one fine bin of (N - 1) / 2 */
    CHECK_NEAR(s[0].quantiles[4], (n - 1) / 2, s[0].quantile_resolution + 1);
    double z = 1.959963984540054;
    CHECK_NEAR(s[0].mean_ci[0], s[0].mean - z * sqrt((n + 1) / 12), 1e-9);
    CHECK_NEAR(s[0].mean_ci[1], s[0].mean + z * sqrt((n + 1) / 12), 1e-9);
}

static void summaries_are_bit_identical_for_threads_and_rounds(void)
{
    fmc_output_summary one[2], three[2], short_rounds[2], shared[2], shared_one[2];
    summarize(1, BLOCKS, 2, 0, one);
    summarize(3, BLOCKS, 2, 0, three);
    summarize(2, 3, 2, 0, short_rounds);
    summarize(3, 4, 2, 1, shared);
    summarize(1, BLOCKS, 2, 1, shared_one);
    CHECK(same_summaries(one, three, 2));
    CHECK(same_summaries(one, short_rounds, 2));
    CHECK(same_summaries(one, shared, 2));
    CHECK(same_summaries(one, shared_one, 2));
}

static void histogram_spans_the_pilot_and_counts_the_rest_outside(void)
{
    fmc_output_summary s[2];
    summarize(2, BLOCKS, 2, 0, s);  /* the pilot sees 0 .. 1999 */
    CHECK_NEAR(s[0].quantile_resolution, 1999.0 / FMC_FINE_BINS, 1e-12);
    /* the last 8000 values lie above the range: the top coarse bin holds them */
    CHECK(s[0].hist_counts[FMC_HIST_BINS - 1] >= 8000);
    CHECK_EXACT(s[0].hist_edges[FMC_HIST_BINS], (double)N - 1);
}

static void a_pilot_that_saw_nothing_gives_the_nominal_range(void)
{
    fmc_range r;
    fmc_range_init(&r);
    double nan_only[3] = {NAN, NAN, NAN};
    fmc_range_add(&r, nan_only, 3);
    CHECK(r.lo > r.hi);
    fmc_histogram h;
    REQUIRE(fmc_histogram_init_from_pilot(&h, &r) == FMC_OK);
    CHECK_EXACT(h.lo, 0.0);
    CHECK_EXACT(h.hi, 1.0);
    fmc_histogram_clear(&h);
    double some[3] = {4.5, NAN, -2.25};
    fmc_range_add(&r, some, 3);
    CHECK_EXACT(r.lo, -2.25);
    CHECK_EXACT(r.hi, 4.5);
}

TEST_MAIN_BEGIN
RUN_TEST(summary_of_0_to_n_matches_closed_forms);
RUN_TEST(summaries_are_bit_identical_for_threads_and_rounds);
RUN_TEST(histogram_spans_the_pilot_and_counts_the_rest_outside);
RUN_TEST(a_pilot_that_saw_nothing_gives_the_nominal_range);
TEST_MAIN_END
