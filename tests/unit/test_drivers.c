/* What drives profit: Spearman against the same formula with exact profit
 * ranks (from the raw draws), regression and decile means against analytic
 * values, and bit-identical results for any thread count. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/engine.h"
#include "funnelmc/stream.h"


typedef struct kept {
    size_t n;
    double *profit;
} kept;

static fmc_status keep_profit(void *context, uint64_t first, size_t count,
                              const double *const *inputs, const double *const *outputs)
{
    (void)inputs;
    kept *k = context;
    memcpy(k->profit + first, outputs[FMC_OUT_PROFIT], count * sizeof(double));
    return FMC_OK;
}

typedef struct ranked {
    double value;
    size_t index;
} ranked;

static int by_value(const void *a, const void *b)
{
    double x = ((const ranked *)a)->value, y = ((const ranked *)b)->value;
    return (x > y) - (x < y);
}

static void spearman_is_within_its_resolution_of_exact_profit_ranks(void)
{
    enum { N = 200000 };
    fmc_scenario *s = load_reference();
    kept k = {N, malloc(N * sizeof(double))};
    REQUIRE(k.profit);
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, N, 2, 1, 0, keep_profit, &k, &r) == FMC_OK);
    /* exact mid-ranks of profit */
    ranked *order = malloc(N * sizeof *order);
    double *v = malloc(N * sizeof *v);
    REQUIRE(order && v);
    for (size_t i = 0; i < N; i++)
        order[i] = (ranked){k.profit[i], i};
    qsort(order, N, sizeof *order, by_value);
    for (size_t i = 0; i < N;) {
        size_t end = i;
        while (end < N && order[end].value == order[i].value)
            end++;
        for (size_t t = i; t < end; t++)
            v[order[t].index] = 0.5 * (double)(i + end) / N - 0.5;
        i = end;
    }
    CHECK(r.drivers.spearman_resolution > 0 && r.drivers.spearman_resolution < 0.01);
    for (size_t j = 0; j < s->input_count; j++) {
        if (s->inputs[j].dist.kind == FMC_DIST_CONSTANT) {
            CHECK_EXACT(r.drivers.spearman[j], 0);
            continue;
        }
        double sum = 0;
        for (size_t i = 0; i < N; i++) {
            double u = fmc_word_to_uniform(fmc_stream_word(s->seed, FMC_PURPOSE_SAMPLES, i, (uint32_t)j));
            sum += (u - 0.5) * v[i];
        }
        double exact_ranks = 12 * sum / N;
        /* + 1e-6: the rank sums keep 24 bits of u */
        CHECK_NEAR(r.drivers.spearman[j], exact_ranks, r.drivers.spearman_resolution + 1e-6);
    }
    CHECK(r.drivers.contribution[FMC_FOLLOWERS] > 0.5);
    free(order);
    free(v);
    free(k.profit);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static void add_spearman(const fmc_run_result *r, void *context)
{
    spread *per_input = context;
    for (size_t j = 0; j < r->drivers.count; j++)
        spread_add(&per_input[j], r->drivers.spearman[j], r->drivers.spearman_se[j]);
}

/* The reported standard error of Spearman against the spread of the
 * estimate over independent runs.  The textbook formula (Bonett & Wright),
 * made for sample ranks on both sides, gives 0.61 of the spread for the
 * strongest driver here: this fails if the rank noise of profit is left out. */
static void spearman_standard_error_matches_the_spread_over_seeds(void)
{
    enum { RUNS = 300 };
    fmc_scenario *s = load_reference();
    spread per_input[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES] = {{0}};
    REQUIRE(run_seeds(s, RUNS, 8192, 1, 0, add_spearman, per_input));
    for (size_t j = 0; s && j < s->input_count; j++) {
        if (s->inputs[j].dist.kind == FMC_DIST_CONSTANT)
            CHECK_EXACT(per_input[j].se_squares, 0);
        else
            CHECK_NEAR(spread_ratio(&per_input[j]), 1, spread_tolerance(RUNS));
    }
    fmc_scenario_free(s);
}

/* Profit = 4500 - 50 T - ads: linear in the two uncertain quantities. */
static const char *linear_scenario =
    "name: linear\n"
    "seed: 11\n"
    "inputs:\n"
    "  revenue_per_sale: 100\n  cost_of_goods: 10\n  followers: 1000\n"
    "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n  hourly_rate: 50\n"
    "  hours: {dist: uniform, min: 30, max: 50}\n"
    "costs:\n"
    "  ads: {dist: uniform, min: 0, max: 200}\n";

/* Spearman's rho of U1 and of U2 with S = A U1 + B U2 (A >= B, U1 and U2
 * independent uniforms): 12 E[(U - 1/2)(G(S) - 1/2)], G the trapezoidal CDF
 * of S, by the midpoint rule on a 1000 x 1000 grid (error ~1e-7). */
static void spearman_of_a_sum_of_uniforms(double a, double b, double rho[2])
{
    enum { GRID = 1000 };
    rho[0] = rho[1] = 0;
    for (int i = 0; i < GRID; i++)
        for (int k = 0; k < GRID; k++) {
            double u1 = (i + 0.5) / GRID, u2 = (k + 0.5) / GRID, x = a * u1 + b * u2;
            double g = x <= b ? x * x / (2 * a * b)
                       : x <= a ? (x - b / 2) / a
                                : 1 - (a + b - x) * (a + b - x) / (2 * a * b);
            rho[0] += (u1 - 0.5) * (g - 0.5);
            rho[1] += (u2 - 0.5) * (g - 0.5);
        }
    rho[0] *= 12.0 / (GRID * GRID);
    rho[1] *= 12.0 / (GRID * GRID);
}

static void linear_profit_gives_exact_fit_and_known_decile_means(void)
{
    fmc_scenario *s = load_text(linear_scenario);
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, 400000, 2, 1, 0, NULL, NULL, &r) == FMC_OK);
    const fmc_drivers_result *d = &r.drivers;
    double var_hours = 50.0 * 50 * 400 / 12, var_ads = 200.0 * 200 / 12;
    double sd = sqrt(var_hours + var_ads);
    CHECK_NEAR(d->r_squared, 1, 1e-9);
    CHECK_NEAR(d->src[FMC_HOURS], -50 * sqrt(400.0 / 12) / sd, 0.003);
    CHECK_NEAR(d->src[8], -sqrt(var_ads) / sd, 0.003);
    CHECK(d->src_se[FMC_HOURS] < 1e-6);  /* no residual: no doubt */
    CHECK_EXACT(d->src[FMC_FOLLOWERS], 0);
    /* decile k of ads (uniform on [0, 200]) has mean 20 k + 10: profit
     * 4500 - 50 E[T] - 20 k - 10 = 2490 - 20 k */
    for (int k = 0; k < FMC_TORNADO_BINS; k++) {
        double mean = d->bin_mean[8 * FMC_TORNADO_BINS + k];
        CHECK_NEAR(mean, 2490 - 20.0 * k, 4.5 * d->bin_mean_se[8 * FMC_TORNADO_BINS + k]);
    }
    double se_low = d->bin_mean_se[8 * FMC_TORNADO_BINS + 9], se_high = d->bin_mean_se[8 * FMC_TORNADO_BINS];
    CHECK_NEAR(d->mean_high[8] - d->mean_low[8], 180, 4.5 * sqrt(se_low * se_low + se_high * se_high));
    CHECK(isnan(d->bin_mean[FMC_FOLLOWERS * FMC_TORNADO_BINS]));
    /* profit falls with 50 T (a width of 1000) and ads (200): Spearman and
     * the contributions rho^2 / sum rho^2 of the sum of two uniforms */
    double rho[2];
    spearman_of_a_sum_of_uniforms(1000, 200, rho);
    double tolerance_hours = 4.5 * d->spearman_se[FMC_HOURS] + d->spearman_resolution;
    double tolerance_ads = 4.5 * d->spearman_se[8] + d->spearman_resolution;
    CHECK_NEAR(d->spearman[FMC_HOURS], -rho[0], tolerance_hours);
    CHECK_NEAR(d->spearman[8], -rho[1], tolerance_ads);
    double squares = rho[0] * rho[0] + rho[1] * rho[1];
    double share = rho[0] * rho[0] / squares;
    /* its error, from those of the two rhos */
    double tolerance = 2 * rho[0] * rho[1] / (squares * squares) *
                       (rho[1] * tolerance_hours + rho[0] * tolerance_ads);
    CHECK_NEAR(d->contribution[FMC_HOURS], share, tolerance);
    CHECK_NEAR(d->contribution[8], 1 - share, tolerance);
    CHECK_EXACT(d->contribution[FMC_FOLLOWERS], 0);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static int same_drivers(const fmc_drivers_result *a, const fmc_drivers_result *b)
{
    size_t n = a->count, bins = n * FMC_TORNADO_BINS;
    return n == b->count && same_bits(&a->r_squared, &b->r_squared, 1) &&
           same_bits(&a->spearman_resolution, &b->spearman_resolution, 1) &&
           same_bits(a->spearman, b->spearman, n) && same_bits(a->spearman_se, b->spearman_se, n) &&
           same_bits(a->contribution, b->contribution, n) && same_bits(a->src, b->src, n) &&
           same_bits(a->src_se, b->src_se, n) && same_bits(a->bin_mean, b->bin_mean, bins) &&
           same_bits(a->bin_mean_se, b->bin_mean_se, bins) &&
           same_bits(a->mean_low, b->mean_low, n) && same_bits(a->mean_high, b->mean_high, n);
}

static void drivers_are_bit_identical_for_any_thread_count(void)
{
    fmc_scenario *s = load_reference();
    fmc_run_result one = {0}, two = {0}, three = {0};
    uint64_t n = 1000000 + 4321;
    REQUIRE(run_analyses(s, n, 1, 1, 0, NULL, NULL, &one) == FMC_OK);
    REQUIRE(run_analyses(s, n, 2, 1, 0, NULL, NULL, &two) == FMC_OK);
    REQUIRE(run_analyses(s, n, 3, 1, 0, NULL, NULL, &three) == FMC_OK);
    CHECK(same_drivers(&one.drivers, &two.drivers));
    CHECK(same_drivers(&one.drivers, &three.drivers));
    fmc_run_result_clear(&one);
    fmc_run_result_clear(&two);
    fmc_run_result_clear(&three);
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(spearman_is_within_its_resolution_of_exact_profit_ranks);
RUN_TEST(spearman_standard_error_matches_the_spread_over_seeds);
RUN_TEST(linear_profit_gives_exact_fit_and_known_decile_means);
RUN_TEST(drivers_are_bit_identical_for_any_thread_count);
TEST_MAIN_END
