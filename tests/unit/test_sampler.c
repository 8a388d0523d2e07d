/* Samplers: the tabulated inverse CDF against the exact quantile, and the
 * draws of every law against its analytic mean and variance (within 5
 * standard errors), its exact CDF (Kolmogorov-Smirnov) and, for discrete
 * laws, its point probabilities.  Seeds are fixed: the checks are
 * deterministic. */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "funnelmc/sampler.h"
#include "funnelmc/stream.h"
#include "law_cases.h"

/* Largest error of the table tolerated, in standard deviations (measured
 * worst case: 3.7e-5 sd, for a gamma of shape 0.6; see docs/design.md). */
#define TABLE_TOLERANCE_SD 1e-4
#define DRAWS (1u << 20)
#define KS_DRAWS 200000u
#define KS_CRITICAL_0_001 1.9495  /* sqrt(n) D exceeds this with probability 0.001 */

static double exact_quantile_of_word(const fmc_dist *d, uint32_t word)
{
    double u = fmc_word_to_uniform(word);
    return u < 0.5 ? fmc_dist_quantile(d, u) : fmc_dist_quantile_upper(d, fmc_word_to_uniform(~word));
}

static void table_stays_within_tolerance_of_exact_quantiles(void)
{
    law_case cases[LAW_CASE_COUNT];
    REQUIRE(law_cases_init(cases) == 0);
    for (int k = 0; k < LAW_CASE_COUNT; k++) {
        fmc_sampler *s = NULL;
        REQUIRE(fmc_sampler_alloc(&cases[k].dist, &s) == FMC_OK);
        if (!s)
            continue;
        double sd = sqrt(fmc_dist_variance(&cases[k].dist)), worst = 0;
        /* an even comb of words, plus both extremes of the stream */
        for (uint64_t w = 0; w <= UINT32_MAX; w += (UINT64_C(1) << 32) / 200003) {
            uint32_t words[3] = {(uint32_t)w, 0, UINT32_MAX};
            for (int i = 0; i < 3; i++) {
                double error = fabs(fmc_sampler_value(s, words[i]) -
                                    exact_quantile_of_word(&cases[k].dist, words[i]));
                worst = fmax(worst, sd > 0 ? error / sd : error);
            }
        }
        if (worst > TABLE_TOLERANCE_SD)
            fprintf(stderr, "  %s: table error %.3g sd\n", cases[k].label, worst);
        CHECK(worst <= TABLE_TOLERANCE_SD);
        fmc_sampler_free(s);
    }
    law_cases_clear(cases);
}

static void draw(const fmc_sampler *s, uint64_t seed, uint32_t slot, double *x, size_t n)
{
    uint32_t *words = malloc(n * sizeof *words);
    uint32_t *slots[8] = {0};
    slots[slot] = words;
    fmc_stream_fill(seed, FMC_PURPOSE_SAMPLES, 0, n, slot + 1, slots);
    fmc_sampler_transform(s, words, x, n);
    free(words);
}

static void sample_moments_match_analytic_moments(void)
{
    law_case cases[LAW_CASE_COUNT];
    REQUIRE(law_cases_init(cases) == 0);
    double *x = malloc(DRAWS * sizeof *x);
    for (int k = 0; k < LAW_CASE_COUNT; k++) {
        fmc_sampler *s = NULL;
        REQUIRE(fmc_sampler_alloc(&cases[k].dist, &s) == FMC_OK);
        draw(s, 20261122 + (uint64_t)k, (uint32_t)(k % 7), x, DRAWS);
        double mean = 0, m2 = 0, m4 = 0, n = DRAWS;
        for (size_t i = 0; i < DRAWS; i++)
            mean += x[i];
        mean /= n;
        for (size_t i = 0; i < DRAWS; i++) {
            double d2 = (x[i] - mean) * (x[i] - mean);
            m2 += d2;
            m4 += d2 * d2;
        }
        double variance = m2 / (n - 1), fourth = m4 / n;
        double true_mean = fmc_dist_mean(&cases[k].dist);
        double true_variance = fmc_dist_variance(&cases[k].dist);
        double se_mean = sqrt(true_variance / n);
        double se_variance = sqrt(fmax(fourth - variance * variance, 0) / n);
        if (fabs(mean - true_mean) > 5 * se_mean || fabs(variance - true_variance) > 5 * se_variance)
            fprintf(stderr, "  %s\n", cases[k].label);
        CHECK_NEAR(mean, true_mean, 5 * se_mean);
        CHECK_NEAR(variance, true_variance, 5 * se_variance);
        fmc_sampler_free(s);
    }
    free(x);
    law_cases_clear(cases);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void continuous_draws_pass_kolmogorov_smirnov_against_exact_cdf(void)
{
    law_case cases[LAW_CASE_COUNT];
    REQUIRE(law_cases_init(cases) == 0);
    double *x = malloc(KS_DRAWS * sizeof *x);
    for (int k = 0; k < LAW_CASE_COUNT; k++) {
        const fmc_dist *d = &cases[k].dist;
        if (fmc_dist_is_discrete(d))
            continue;
        fmc_sampler *s = NULL;
        REQUIRE(fmc_sampler_alloc(d, &s) == FMC_OK);
        draw(s, 77 + (uint64_t)k, 3, x, KS_DRAWS);
        qsort(x, KS_DRAWS, sizeof *x, compare_doubles);
        double worst = 0, n = KS_DRAWS;
        for (size_t i = 0; i < KS_DRAWS; i++) {
            double f = fmc_dist_cdf(d, x[i]);
            worst = fmax(worst, fmax(fabs((double)(i + 1) / n - f), fabs(f - (double)i / n)));
        }
        if (sqrt(n) * worst > KS_CRITICAL_0_001)
            fprintf(stderr, "  %s: sqrt(n) D = %.3f\n", cases[k].label, sqrt(n) * worst);
        CHECK(sqrt(n) * worst <= KS_CRITICAL_0_001);
        fmc_sampler_free(s);
    }
    free(x);
    law_cases_clear(cases);
}

static void discrete_draws_hit_each_point_with_its_probability(void)
{
    law_case cases[LAW_CASE_COUNT];
    REQUIRE(law_cases_init(cases) == 0);
    double *x = malloc(DRAWS * sizeof *x);
    for (int k = 0; k < LAW_CASE_COUNT; k++) {
        const fmc_dist *d = &cases[k].dist;
        if (!fmc_dist_is_discrete(d))
            continue;
        fmc_sampler *s = NULL;
        REQUIRE(fmc_sampler_alloc(d, &s) == FMC_OK);
        draw(s, 5 + (uint64_t)k, 1, x, DRAWS);
        size_t points = d->count ? d->count : 1;
        for (size_t j = 0; j < points; j++) {
            double value = d->count ? d->points[j] : d->min;
            double p = d->count ? d->cumulative[j] - (j ? d->cumulative[j - 1] : 0) : 1;
            size_t hits = 0;
            for (size_t i = 0; i < DRAWS; i++)
                hits += x[i] == value;
            double share = (double)hits / DRAWS, se = sqrt(p * (1 - p) / DRAWS);
            CHECK_NEAR(share, p, fmax(5 * se, 1e-12));
        }
        fmc_sampler_free(s);
    }
    free(x);
    law_cases_clear(cases);
}

static void single_values_equal_block_transform(void)
{
    law_case cases[LAW_CASE_COUNT];
    REQUIRE(law_cases_init(cases) == 0);
    uint32_t words[64];
    double block[64];
    for (int i = 0; i < 64; i++)
        words[i] = (uint32_t)(i * 67108879u + 12345u);
    for (int k = 0; k < LAW_CASE_COUNT; k++) {
        fmc_sampler *s = NULL;
        REQUIRE(fmc_sampler_alloc(&cases[k].dist, &s) == FMC_OK);
        fmc_sampler_transform(s, words, block, 64);
        for (int i = 0; i < 64; i++)
            CHECK_EXACT(fmc_sampler_value(s, words[i]), block[i]);
        fmc_sampler_free(s);
    }
    law_cases_clear(cases);
}

static void uniform_of_word_never_reaches_zero_or_one(void)
{
    CHECK(fmc_word_to_uniform(0) > 0);
    CHECK(fmc_word_to_uniform(UINT32_MAX) < 1);
    CHECK_EXACT(fmc_word_to_uniform(0) + fmc_word_to_uniform(UINT32_MAX), 1.0);
}

/* The sampler keeps its own copy of the law, and freeing nothing is harmless. */
static void sampler_outlives_its_distribution_and_free_null_is_harmless(void)
{
    const double data[] = {0.031, 0.027, 0.044};
    fmc_dist d;
    CHECK(fmc_dist_set_empirical(&d, data, 3, NULL) == FMC_OK);
    fmc_sampler *s = NULL;
    REQUIRE(fmc_sampler_alloc(&d, &s) == FMC_OK);
    fmc_dist_clear(&d);
    if (s) {
        CHECK(fmc_sampler_dist(s)->kind == FMC_DIST_EMPIRICAL);
        CHECK_EXACT(fmc_sampler_value(s, 0), 0.027);
        CHECK_EXACT(fmc_sampler_value(s, UINT32_MAX), 0.044);
    }
    fmc_sampler_free(s);
    fmc_sampler_free(NULL);
}

TEST_MAIN_BEGIN
RUN_TEST(table_stays_within_tolerance_of_exact_quantiles);
RUN_TEST(sample_moments_match_analytic_moments);
RUN_TEST(continuous_draws_pass_kolmogorov_smirnov_against_exact_cdf);
RUN_TEST(discrete_draws_hit_each_point_with_its_probability);
RUN_TEST(single_values_equal_block_transform);
RUN_TEST(uniform_of_word_never_reaches_zero_or_one);
RUN_TEST(sampler_outlives_its_distribution_and_free_null_is_harmless);
TEST_MAIN_END
