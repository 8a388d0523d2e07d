/* The value of information against closed forms: two options, doing
 * nothing (0) and a + b Z with Z standard normal, the only input; then
 *   EVPPI(Z) = EVPI = E[max(0, a + b Z)] - max(0, a)
 *                   = b phi(a / b) + a Phi(a / b) - max(0, a).
 * An independent uniform U, which affects no option, has EVPPI 0.  The
 * samples come in chunks, chunk c in fold c mod FOLDS, as the engine puts
 * block c in fold c mod its folds. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdint.h>
#include "check.h"
#include "funnelmc/sampler.h"
#include "funnelmc/stream.h"
#include "funnelmc/voi.h"

enum { FOLDS = 32, BINS = 32, CHUNK = 256, PARTITIONS = 2 };

static double closed_form(double a, double b)
{
    return b * gsl_ran_ugaussian_pdf(a / b) + a * gsl_cdf_ugaussian_P(a / b) - (a > 0 ? a : 0);
}

typedef struct figures {
    double evpi, evpi_se, evppi[PARTITIONS], evppi_se[PARTITIONS];
    size_t best;
    double best_mean;
} figures;

/* The figures of N samples (a multiple of CHUNK) drawn with SEED: Z's word
 * from slot 0, U's from slot 1, each partition binned on its word. */
static figures estimate(uint64_t seed, size_t n, double a, double b)
{
    const size_t bins[PARTITIONS] = {BINS, BINS};
    fmc_voi_layout layout = {2, PARTITIONS, bins, FOLDS, FOLDS};
    fmc_voi *v;
    REQUIRE(fmc_voi_alloc(&layout, &v) == FMC_OK);
    double nothing[CHUNK] = {0}, lever[CHUNK];
    uint16_t z_bin[CHUNK], u_bin[CHUNK];
    const double *values[2] = {nothing, lever};
    const uint16_t *binned[PARTITIONS] = {z_bin, u_bin};
    size_t chunks = n / CHUNK;
    for (size_t c = 0; c < chunks; c++) {
        for (size_t i = 0; i < CHUNK; i++) {
            uint64_t sample = c * CHUNK + i;
            uint32_t z_word = fmc_stream_word(seed, 0, sample, 0);
            uint32_t u_word = fmc_stream_word(seed, 0, sample, 1);
            lever[i] = a + b * gsl_cdf_ugaussian_Pinv(fmc_word_to_uniform(z_word));
            z_bin[i] = (uint16_t)(z_word >> 27);  /* 32 equal-probability bins */
            u_bin[i] = (uint16_t)(u_word >> 27);
        }
        fmc_voi_add(v, c % FOLDS, c % FOLDS, values, binned, CHUNK);
        if (c % FOLDS == FOLDS - 1 || c == chunks - 1)
            fmc_voi_merge_round(v, c % FOLDS + 1);
    }
    figures f;
    fmc_voi_estimate e = {.evppi = f.evppi, .evppi_se = f.evppi_se};
    fmc_voi_estimate_all(v, seed, &e);
    f.evpi = e.evpi;
    f.evpi_se = e.evpi_se;
    f.best = e.best;
    f.best_mean = e.best_mean;
    fmc_voi_free(v);
    return f;
}

static void evppi_and_evpi_match_their_closed_form(void)
{
    const double cases[][2] = {{0, 1}, {-0.5, 1}, {0.8, 2.5}, {-2.2, 1.5}, {3.1, 40}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        double a = cases[c][0], b = cases[c][1], expected = closed_form(a, b);
        figures f = estimate(2385 + c, 1 << 16, a, b);
        CHECK(f.evpi_se > 0 && f.evppi_se[0] > 0);
        CHECK_NEAR(f.evpi, expected, 4.5 * f.evpi_se);
        CHECK_NEAR(f.evppi[0], expected, 4.5 * f.evppi_se[0]);
        if (a != 0)  /* at a tie either may lead */
            CHECK(f.best == (a > 0 ? 1u : 0u));
        CHECK_NEAR(f.best_mean, a > 0 ? a : 0, 4.5 * b / 256);
    }
}

static void an_input_that_affects_no_option_is_worth_nothing(void)
{
    /* a = 0 is the tie, where the plug-in's bias is largest; near it the
     * bins' choices still flip with the noise.  Far from it every choice
     * agrees: the estimate is then exactly 0, and so is its se. */
    const double cases[][2] = {{0, 1}, {0.01, 1}, {-0.02, 2}, {0.5, 1}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        figures f = estimate(4711 + c, 1 << 16, cases[c][0], cases[c][1]);
        CHECK(c == 3 ? f.evppi_se[1] == 0 : f.evppi_se[1] > 0);
        CHECK_NEAR(f.evppi[1], 0, 4.5 * f.evppi_se[1]);
    }
}

/* Reported se over the spread of the estimates over SEEDS seeds. */
static double se_over_spread(const char *what, double sum, double sum2, double reported,
                             size_t seeds)
{
    double spread = sqrt((sum2 - sum * sum / (double)seeds) / (double)(seeds - 1));
    double ratio = reported / (double)seeds / spread;
    printf("  %s: reported se / spread over %zu seeds: %.3f\n", what, seeds, ratio);
    return ratio;
}

static void standard_errors_match_the_spread_over_seeds(void)
{
    enum { SEEDS = 100, N = 1 << 14 };
    /* at the tie a = 0: the overall choice and U's bins' choices flip with
     * the noise, Z's bins choose clearly but near Z = 0 */
    double sum[3] = {0}, sum2[3] = {0}, reported[3] = {0};
    for (uint64_t k = 0; k < SEEDS; k++) {
        figures f = estimate(9000 + k, N, 0, 1);
        double x[3] = {f.evpi, f.evppi[0], f.evppi[1]};
        double se[3] = {f.evpi_se, f.evppi_se[0], f.evppi_se[1]};
        for (int m = 0; m < 3; m++) {
            sum[m] += x[m];
            sum2[m] += x[m] * x[m];
            reported[m] += se[m];
        }
    }
    /* the folds' estimates correlate through their choices, which a
     * batch-means se would miss by half for U (voi.h) */
    const char *names[3] = {"EVPI", "EVPPI(Z)", "EVPPI(U)"};
    for (int m = 0; m < 3; m++) {
        double ratio = se_over_spread(names[m], sum[m], sum2[m], reported[m], SEEDS);
        CHECK(ratio > 0.75 && ratio < 1.25);
    }
}

static void fewer_than_two_folds_give_no_figure(void)
{
    const size_t bins[1] = {4};
    fmc_voi_layout layout = {2, 1, bins, 4, 1};
    fmc_voi *v;
    REQUIRE(fmc_voi_alloc(&layout, &v) == FMC_OK);
    double zero[3] = {0, 0, 0}, one[3] = {1, 2, 3};
    uint16_t bin[3] = {0, 1, 3};
    const double *values[2] = {zero, one};
    const uint16_t *binned[1] = {bin};
    fmc_voi_add(v, 0, 2, values, binned, 3);
    fmc_voi_merge_round(v, 1);
    double evppi, evppi_se;
    fmc_voi_estimate e = {.evppi = &evppi, .evppi_se = &evppi_se};
    fmc_voi_estimate_all(v, 1, &e);
    CHECK(e.samples == 3 && e.best == 1);
    CHECK_NEAR(e.best_mean, 2, 1e-15);
    CHECK(isnan(e.evpi) && isnan(e.evpi_se) && isnan(evppi) && isnan(evppi_se));
    fmc_voi_free(v);
}

static void a_bad_layout_is_refused(void)
{
    const size_t bins[1] = {0};
    fmc_voi *v = NULL;
    fmc_voi_layout no_bins = {2, 1, bins, 4, 1}, one_fold = {2, 0, NULL, 1, 1};
    CHECK(fmc_voi_alloc(&no_bins, &v) == FMC_EINVAL && v == NULL);
    CHECK(fmc_voi_alloc(&one_fold, &v) == FMC_EINVAL && v == NULL);
    fmc_voi_free(NULL);
}

/* What a run of the reference scenario holds (docs/design.md): 9
 * uncertain inputs of 32 bins, groups of 216, 32, 216 and 256 cells, 256
 * slots, with its 3 levers and with 12. */
static void memory_of_the_reference_scenario_stays_bounded(void)
{
    const size_t bins[13] = {32, 32, 32, 32, 32, 32, 32, 32, 32, 216, 32, 216, 256};
    const double most[2] = {12e6, 33e6};
    const size_t levers[2] = {3, 12};
    for (int k = 0; k < 2; k++) {
        fmc_voi_layout layout = {levers[k] + 1, 13, bins, 32, 256};
        fmc_voi *v;
        REQUIRE(fmc_voi_alloc(&layout, &v) == FMC_OK);
        printf("  %zu levers: %.1f MB\n", levers[k], (double)fmc_voi_bytes(v) / 1e6);
        CHECK((double)fmc_voi_bytes(v) < most[k]);
        fmc_voi_free(v);
    }
}

TEST_MAIN_BEGIN
RUN_TEST(evppi_and_evpi_match_their_closed_form);
RUN_TEST(an_input_that_affects_no_option_is_worth_nothing);
RUN_TEST(standard_errors_match_the_spread_over_seeds);
RUN_TEST(fewer_than_two_folds_give_no_figure);
RUN_TEST(a_bad_layout_is_refused);
RUN_TEST(memory_of_the_reference_scenario_stays_bounded);
TEST_MAIN_END
