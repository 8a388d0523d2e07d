/* The variance split of a lever's gain: the share of the inputs against
 * the closed form of a linear model, and its standard error against the
 * spread of the estimate over independent seeds. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include "check.h"
#include "funnelmc/variance_split.h"

/* G = A x + B t with x, t uniform on [0, 1): S = A^2 / (A^2 + B^2). */
#define A 3.0
#define B 2.0
#define TRUE_SHARE (A * A / (A * A + B * B))

/* The estimate from N pairs drawn with SEED, summed in blocks of 1000,
 * values offset by OFFSET and the sums shifted by SHIFT. */
static void estimate(unsigned long seed, size_t n, double offset, double shift, double *share,
                     double *se)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    REQUIRE(rng);
    gsl_rng_set(rng, seed);
    enum { BLOCK = 1000 };
    double g[BLOCK], g2[BLOCK];
    fmc_split_sums total = {{{0}}}, block;
    for (size_t first = 0; first < n; first += BLOCK) {
        size_t count = n - first < BLOCK ? n - first : BLOCK;
        for (size_t i = 0; i < count; i++) {
            double x = gsl_rng_uniform(rng), t = gsl_rng_uniform(rng), t2 = gsl_rng_uniform(rng);
            g[i] = offset + A * x + B * t;
            g2[i] = offset + A * x + B * t2;
        }
        fmc_split_block(shift, g, g2, count, &block);
        fmc_split_merge(&total, &block);
    }
    fmc_split_estimate(&total, share, se);
    gsl_rng_free(rng);
}

static void share_of_a_linear_model_matches_its_closed_form(void)
{
    double share, se;
    estimate(2385, 200000, 0, 0, &share, &se);
    CHECK(se > 0 && se < 0.01);
    CHECK_NEAR(share, TRUE_SHARE, 4.5 * se);
    /* far from zero, a shift near the values keeps the figure */
    double far, far_se;
    estimate(2385, 200000, 1e6, 1e6 + 2.5, &far, &far_se);
    CHECK_NEAR(far, share, 1e-9);
    CHECK_NEAR(far_se, se, 1e-9);
}

static void standard_error_matches_the_spread_over_seeds(void)
{
    enum { SEEDS = 300, N = 4000 };
    double sum = 0, sum2 = 0, reported = 0;
    for (unsigned long k = 0; k < SEEDS; k++) {
        double share, se;
        estimate(1000 + k, N, 0, 2.5, &share, &se);
        sum += share;
        sum2 += share * share;
        reported += se;
    }
    double mean = sum / SEEDS, spread = sqrt((sum2 - sum * sum / SEEDS) / (SEEDS - 1));
    /* the spread of an sd over 300 seeds is about 4 %: 0.8 .. 1.25 is wide */
    printf("  reported se / spread over %d seeds: %.3f\n", SEEDS, reported / SEEDS / spread);
    CHECK(reported / SEEDS / spread > 0.8 && reported / SEEDS / spread < 1.25);
    CHECK_NEAR(mean, TRUE_SHARE, 4.5 * spread / sqrt(SEEDS));
}

static void a_gain_that_does_not_vary_has_no_share(void)
{
    double g[3] = {5, 5, 5}, share, se;
    fmc_split_sums sums;
    fmc_split_block(5, g, g, 3, &sums);
    fmc_split_estimate(&sums, &share, &se);
    CHECK(isnan(share) && isnan(se));
}

static void inputs_alone_explain_everything(void)
{
    /* G' = G: the lever's numbers change nothing */
    double g[4] = {1, 2, 4, 8}, share, se;
    fmc_split_sums sums;
    fmc_split_block(3, g, g, 4, &sums);
    fmc_split_estimate(&sums, &share, &se);
    CHECK_NEAR(share, 1, 1e-12);
    CHECK_NEAR(se, 0, 1e-12);
}

TEST_MAIN_BEGIN
RUN_TEST(share_of_a_linear_model_matches_its_closed_form);
RUN_TEST(standard_error_matches_the_spread_over_seeds);
RUN_TEST(a_gain_that_does_not_vary_has_no_share);
RUN_TEST(inputs_alone_explain_everything);
TEST_MAIN_END
