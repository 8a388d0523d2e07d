/* Streaming statistics: block moments merged in order against a two-pass
 * reference in long double, exactness for constant data, NaN handling, and
 * histogram quantiles against exact order statistics. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "funnelmc/stats.h"

/* A fixed, non-trivial data set: a skewed value per index. */
static double datum(size_t i)
{
    double u = fmod((double)i * 0.6180339887498949, 1.0);
    return 2500 + 1432.1 * (u * u * 3 - 1) + 1e-3 * (double)(i % 7);
}

static void merged_block_moments_match_two_pass_reference(void)
{
    enum { N = 100003, BLOCK = 4096 };
    double *x = malloc(N * sizeof *x);
    REQUIRE(x);
    long double sum = 0, squares = 0;
    for (size_t i = 0; i < N; i++) {
        x[i] = datum(i);
        sum += x[i];
    }
    long double mean = sum / N;
    for (size_t i = 0; i < N; i++)
        squares += (x[i] - mean) * (x[i] - mean);
    fmc_moments total, block;
    fmc_moments_init(&total);
    size_t negative = 0;
    for (size_t first = 0; first < N; first += BLOCK) {
        size_t n = N - first < BLOCK ? N - first : BLOCK;
        fmc_moments_of_block(&block, x + first, n);
        fmc_moments_merge(&total, &block);
    }
    for (size_t i = 0; i < N; i++)
        negative += x[i] < 0;
    CHECK(total.count == N);
    CHECK(total.undefined == 0);
    CHECK(total.negative == negative);
    CHECK_NEAR(total.mean, (double)mean, 1e-12 * fabs((double)mean));
    CHECK_NEAR(total.m2, (double)squares, 1e-11 * (double)squares);
    free(x);
}

static void constant_data_gives_exact_mean_and_zero_spread(void)
{
    double x[1000];
    for (int i = 0; i < 1000; i++)
        x[i] = 0.1;  /* not representable: a naive sum / n would drift */
    fmc_moments total, block;
    fmc_moments_init(&total);
    for (int b = 0; b < 7; b++) {
        fmc_moments_of_block(&block, x, 1000 - 11 * (size_t)b);
        fmc_moments_merge(&total, &block);
    }
    CHECK_EXACT(total.mean, 0.1);
    CHECK_EXACT(total.m2, 0.0);
}

static void undefined_values_are_counted_and_skipped(void)
{
    double x[] = {NAN, 2, NAN, 4, -6, NAN};
    fmc_moments m;
    fmc_moments_of_block(&m, x, 6);
    CHECK(m.count == 3);
    CHECK(m.undefined == 3);
    CHECK(m.negative == 1);
    CHECK_NEAR(m.mean, 0, 1e-15);
    CHECK_NEAR(m.m2, 4 + 16 + 36, 1e-12);
    double none[] = {NAN, NAN};
    fmc_moments_of_block(&m, none, 2);
    CHECK(m.count == 0 && m.undefined == 2);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void histogram_quantiles_match_order_statistics_within_resolution(void)
{
    enum { N = 200000 };
    double *x = malloc(N * sizeof *x), *sorted = malloc(N * sizeof *sorted);
    REQUIRE(x && sorted);
    for (size_t i = 0; i < N; i++)
        sorted[i] = x[i] = datum(i);
    qsort(sorted, N, sizeof *sorted, compare_doubles);
    fmc_histogram h;
    /* a range narrower than the data, as a pilot gives: tails overflow */
    REQUIRE(fmc_histogram_init(&h, sorted[N / 1000], sorted[N - N / 1000]) == FMC_OK);
    fmc_histogram_add(&h, x, N / 2);
    fmc_histogram_add(&h, x + N / 2, N - N / 2);
    CHECK_EXACT(h.min, sorted[0]);
    CHECK_EXACT(h.max, sorted[N - 1]);
    double resolution = fmc_histogram_resolution(&h);
    for (double p = 0.01; p < 0.995; p += 0.07) {
        double exact = sorted[(size_t)(p * N)];
        CHECK_NEAR(fmc_histogram_value_at_rank(&h, p * N), exact, resolution);
    }
    CHECK_EXACT(fmc_histogram_value_at_rank(&h, 0), sorted[0]);
    CHECK_EXACT(fmc_histogram_value_at_rank(&h, N), sorted[N - 1]);
    fmc_histogram_clear(&h);
    free(x);
    free(sorted);
}

static void summary_counts_add_up_and_intervals_have_binomial_width(void)
{
    enum { N = 1000000 };
    double *x = malloc(N * sizeof *x);
    REQUIRE(x);
    for (size_t i = 0; i < N; i++)
        x[i] = -10 + 100 * ((double)((i * 7919) % N) + 0.5) / N;  /* uniform grid on [-10, 90] */
    fmc_moments m;
    fmc_histogram h;
    fmc_moments_of_block(&m, x, N);
    REQUIRE(fmc_histogram_init(&h, -5, 85) == FMC_OK);
    fmc_histogram_add(&h, x, N);
    fmc_output_summary s;
    fmc_summarize(&m, &h, 0.95, &s);
    uint64_t total = 0;
    for (int b = 0; b < FMC_HIST_BINS; b++) {
        total += s.hist_counts[b];
        CHECK(s.hist_edges[b] < s.hist_edges[b + 1]);
        /* evenly spread data: a bin holds its width's share, to a point */
        double width = s.hist_edges[b + 1] - s.hist_edges[b];
        CHECK_NEAR((double)s.hist_counts[b], N * width / 100, 1.01);
    }
    CHECK(total == N);
    CHECK_EXACT(s.hist_edges[0], s.min);
    CHECK_EXACT(s.hist_edges[FMC_HIST_BINS], s.max);
    CHECK_NEAR(s.p_loss, 0.1, 1e-9);
    CHECK_NEAR(s.p_loss_se, sqrt(0.1 * 0.9 / N), 1e-12);
    CHECK_NEAR(s.mean, 40, 1e-9);
    CHECK_NEAR(s.sd, 100 / sqrt(12.0), 1e-3);
    CHECK_NEAR(s.se, 100 / sqrt(12.0) / 1000, 1e-6);
    for (int k = 0; k < FMC_QUANTILE_COUNT; k++) {
        double p = fmc_quantile_levels[k];
        /* the data are evenly spread: the p-quantile is -10 + 100 p, and the
         * interval spans 100 * 1.96 sqrt(p (1 - p) / N) either side */
        CHECK_NEAR(s.quantiles[k], -10 + 100 * p, 2 * s.quantile_resolution);
        double half = 100 * 1.959964 * sqrt(p * (1 - p) / N);
        CHECK_NEAR(s.quantile_ci[k][1] - s.quantiles[k], half, 0.05 * half + s.quantile_resolution);
        CHECK_NEAR(s.quantiles[k] - s.quantile_ci[k][0], half, 0.05 * half + s.quantile_resolution);
    }
    fmc_histogram_clear(&h);
    free(x);
}

static void summary_of_constant_data_is_exact(void)
{
    double x[5000];
    for (int i = 0; i < 5000; i++)
        x[i] = 2500;
    fmc_moments m;
    fmc_histogram h;
    fmc_moments_of_block(&m, x, 5000);
    REQUIRE(fmc_histogram_init(&h, 2500, 2500) == FMC_OK);
    fmc_histogram_add(&h, x, 5000);
    fmc_output_summary s;
    fmc_summarize(&m, &h, 0.95, &s);
    CHECK_EXACT(s.mean, 2500);
    CHECK_EXACT(s.sd, 0);
    CHECK_EXACT(s.se, 0);
    CHECK_EXACT(s.p_loss, 0);
    for (int k = 0; k < FMC_QUANTILE_COUNT; k++) {
        CHECK_EXACT(s.quantiles[k], 2500);
        CHECK_EXACT(s.quantile_ci[k][0], 2500);
        CHECK_EXACT(s.quantile_ci[k][1], 2500);
    }
    fmc_histogram_clear(&h);
}

TEST_MAIN_BEGIN
RUN_TEST(merged_block_moments_match_two_pass_reference);
RUN_TEST(constant_data_gives_exact_mean_and_zero_spread);
RUN_TEST(undefined_values_are_counted_and_skipped);
RUN_TEST(histogram_quantiles_match_order_statistics_within_resolution);
RUN_TEST(summary_counts_add_up_and_intervals_have_binomial_width);
RUN_TEST(summary_of_constant_data_is_exact);
TEST_MAIN_END
