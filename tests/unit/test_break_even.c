/* Break-even values: on the worked example (every input fixed) the
 * textbook values from profit = (R - Cg) F Cr Or Pr - h T; none (and which
 * way) where no value in an input's range breaks even; over a horizon with
 * fixed inputs and growth, closed forms of cumulative discounted profit
 * (geometric sums) for the break-even period and inputs; the period's
 * interpolation and delta-method error on hand-made means; the reported
 * errors against the spread over seeds; the same bits on any thread
 * count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/break_even.h"

/* A run of N samples of S with the break-even values, on THREADS threads
 * (SEED 0: the scenario's). */
static fmc_run_result run(const fmc_scenario *s, uint64_t n, int threads, uint64_t seed)
{
    fmc_run_options o = fmc_run_options_default();
    o.samples = n;
    o.threads = threads;
    o.break_even = 1;
    o.seed = seed;
    o.seed_given = seed != 0;
    fmc_run_result r = {0};
    REQUIRE(fmc_simulate(s, &o, &r) == FMC_OK);
    REQUIRE(r.break_even.inputs == s->input_count);
    return r;
}

static void worked_example_breaks_even_at_the_textbook_values(void)
{
    fmc_scenario *s = load_worked_example();
    fmc_run_result r = run(s, 1000, 2, 0);
    const fmc_break_even_result *b = &r.break_even;
    /* margin 4500 = 90 x 50 sales, time cost 2000 = 50 x 40 */
    const double expected[FMC_FUNNEL_INPUT_COUNT] = {
        10 + 2000.0 / 50,             /* revenue_per_sale: R - 10 = 40 */
        100 - 2000.0 / 50,            /* cost_of_goods */
        2000 / (90 * 0.25 * 0.4 * 0.5),  /* followers 444.44... */
        2000 / (90 * 1000 * 0.4 * 0.5),  /* click_rate 0.1111... */
        2000 / (90 * 1000 * 0.25 * 0.5), /* optin_rate */
        2000 / (90 * 1000 * 0.25 * 0.4), /* purchase_rate */
        4500.0 / 40,                  /* hourly_rate */
        4500.0 / 50,                  /* hours */
    };
    CHECK(b->samples == 1000 && b->periods == 0);
    for (int j = 0; j < FMC_FUNNEL_INPUT_COUNT; j++) {
        CHECK(b->kind[j] == FMC_BREAK_EVEN_FOUND);
        CHECK_NEAR(b->value[j], expected[j], 1e-9 * expected[j]);
        CHECK(b->se[j] == 0);  /* nothing is uncertain */
    }
    CHECK(strcmp(fmc_break_even_kind_name(b->kind[0]), "found") == 0);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static void no_value_in_range_is_none_and_says_which_way(void)
{
    /* 400 hours cost 20000: each rate would have to pass 1 (the click
     * rate 1.11); and with no hours no hourly rate makes a loss */
    fmc_scenario *s = load_text("name: none\n"
                                "inputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                                "  followers: 1000\n  click_rate: 0.25\n  optin_rate: 0.4\n"
                                "  purchase_rate: 0.5\n  hourly_rate: 50\n  hours: 400\n");
    fmc_run_result r = run(s, 100, 1, 0);
    const fmc_break_even_result *b = &r.break_even;
    for (int j = FMC_CLICK_RATE; j <= FMC_PURCHASE_RATE; j++) {
        CHECK(b->kind[j] == FMC_BREAK_EVEN_ALWAYS_LOSS);
        CHECK(isnan(b->value[j]) && isnan(b->se[j]));
    }
    CHECK(b->kind[FMC_HOURS] == FMC_BREAK_EVEN_FOUND);
    CHECK_NEAR(b->value[FMC_HOURS], 90, 1e-9 * 90);
    CHECK(b->kind[FMC_FOLLOWERS] == FMC_BREAK_EVEN_FOUND);
    CHECK_NEAR(b->value[FMC_FOLLOWERS], 20000 / 4.5, 1e-9 * 20000 / 4.5);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);

    s = load_text("name: no-time\n"
                  "inputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                  "  followers: 1000\n  click_rate: 0.25\n  optin_rate: 0.4\n"
                  "  purchase_rate: 0.5\n  hourly_rate: 50\n  hours: 0\n"
                  "costs:\n  tools: 500\n");
    r = run(s, 100, 1, 0);
    b = &r.break_even;
    CHECK(b->kind[FMC_HOURLY_RATE] == FMC_BREAK_EVEN_ALWAYS_PROFIT);
    CHECK(isnan(b->value[FMC_HOURLY_RATE]));
    CHECK(strcmp(fmc_break_even_kind_name(b->kind[FMC_HOURLY_RATE]), "always profit") == 0);
    CHECK(b->kind[FMC_FUNNEL_INPUT_COUNT] == FMC_BREAK_EVEN_FOUND);  /* tools: 4500 */
    CHECK_NEAR(b->value[FMC_FUNNEL_INPUT_COUNT], 4500, 1e-9 * 4500);
    CHECK_NEAR(b->value[FMC_HOURS], 4000.0 / 50, 1e-9 * 80);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* Cumulative discounted profit after T periods of the worked example with
 * F followers in period 1 growing by G a period, discount rate RATE:
 * sum of d_t (4.5 F (1 + g)^(t - 1) - 2000). */
static double cumulative(double followers, double growth, double rate, int periods)
{
    double sum = 0, reach = followers, discount = 1;
    for (int t = 1; t <= periods; t++) {
        sum += discount * (4.5 * reach - 2000);
        reach *= 1 + growth;
        discount /= 1 + rate;
    }
    return sum;
}

static void horizon_breaks_even_at_the_geometric_sums(void)
{
    enum { T = 6 };
    const double F = 300, g = 0.2, rate = 0.01;
    fmc_scenario *s = load_text("name: growing\n"
                                "inputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                                "  followers: 300\n  click_rate: 0.25\n  optin_rate: 0.4\n"
                                "  purchase_rate: 0.5\n  hourly_rate: 50\n  hours: 40\n"
                                "horizon:\n  periods: 6\n  discount_rate: 0.01\n"
                                "  followers: {growth: 0.2}\n");
    fmc_run_result r = run(s, 300, 2, 0);
    const fmc_break_even_result *b = &r.break_even;
    REQUIRE(b->periods == T);
    double m[T + 1] = {0};
    for (int t = 1; t <= T; t++) {
        m[t] = cumulative(F, g, rate, t);
        CHECK_NEAR(b->cumulative_mean[t - 1], m[t], 1e-9 * fabs(m[t]));
        CHECK(b->cumulative_se[t - 1] == 0);
    }
    /* -650, -1030, ..., about -750 after 4 periods and > 0 after 5 */
    REQUIRE(m[4] < 0 && m[5] > 0 && m[6] > 0);
    CHECK(b->period_kind == FMC_BREAK_EVEN_FOUND);
    CHECK_NEAR(b->period, 4 + m[4] / (m[4] - m[5]), 1e-9);
    CHECK(b->period_se == 0);
    /* followers: every period's margin is proportional to F */
    double margin = cumulative(1, g, rate, T) - cumulative(0, g, rate, T);
    double expected = -cumulative(0, g, rate, T) / margin;
    CHECK_NEAR(b->value[FMC_FOLLOWERS], expected, 1e-9 * expected);
    /* growth: the root of the cumulative profit, by bisection here */
    double lo = -1, hi = 1;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        *(cumulative(F, mid, rate, T) < 0 ? &lo : &hi) = mid;
    }
    size_t growth = s->horizon->growth;
    CHECK(b->kind[growth] == FMC_BREAK_EVEN_FOUND);
    CHECK_NEAR(b->value[growth], lo, 1e-9);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);

    /* the same shop with 200 followers never pays within the horizon */
    s = load_text("name: shrinking\n"
                  "inputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                  "  followers: 200\n  click_rate: 0.25\n  optin_rate: 0.4\n"
                  "  purchase_rate: 0.5\n  hourly_rate: 50\n  hours: 40\n"
                  "horizon:\n  periods: 6\n  followers: {growth: 0.2}\n");
    r = run(s, 300, 1, 0);
    CHECK(r.break_even.period_kind == FMC_BREAK_EVEN_ALWAYS_LOSS);
    CHECK(isnan(r.break_even.period) && isnan(r.break_even.period_se));
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static void period_interpolates_and_takes_its_error_by_the_delta_method(void)
{
    double mean[4] = {-30, -10, 30, 50}, variance[4] = {4, 9, 16, 25}, covariance[4] = {1, 2, 3, 0};
    double period, se;
    CHECK(fmc_break_even_period(4, mean, variance, covariance, &period, &se) ==
          FMC_BREAK_EVEN_FOUND);
    /* a = -10, b = 30: tau = 2 + 10 / 40; var = (900 x 9 + 2 x 300 x 2 + 100 x 16) / 40^4 */
    CHECK_NEAR(period, 2.25, 1e-15);
    CHECK_NEAR(se, sqrt((900.0 * 9 + 1200 + 1600) / (40.0 * 40 * 40 * 40)), 1e-15);
    /* a dip below 0 later counts: the last crossing */
    double dip[4] = {5, -5, 15, 20};
    CHECK(fmc_break_even_period(4, dip, variance, covariance, &period, &se) ==
          FMC_BREAK_EVEN_FOUND);
    CHECK_NEAR(period, 2.25, 1e-15);
    double profit[3] = {1, 2, 3}, loss[3] = {-1, 2, -3};
    CHECK(fmc_break_even_period(3, profit, variance, covariance, &period, &se) ==
          FMC_BREAK_EVEN_ALWAYS_PROFIT);
    CHECK(isnan(period) && isnan(se));
    CHECK(fmc_break_even_period(3, loss, variance, covariance, &period, &se) ==
          FMC_BREAK_EVEN_ALWAYS_LOSS);
    /* exactly 0 at a period's end: that period */
    double touch[2] = {0, 4};
    CHECK(fmc_break_even_period(2, touch, variance, covariance, &period, &se) ==
          FMC_BREAK_EVEN_FOUND);
    CHECK(period == 1);
}

/* Followers and hours uncertain, the rest of the worked example: every
 * break-even value moves with the draws. */
static const char *uncertain =
    "name: uncertain\n"
    "inputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n"
    "  followers: {dist: lognormal, median: 1000, sigma: 0.4}\n"
    "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
    "  hourly_rate: 50\n  hours: {dist: normal, mean: 40, sd: 5, min: 20, max: 60}\n";

static void reported_errors_match_the_spread_over_seeds(void)
{
    enum { RUNS = 100, WATCHED = 3 };
    const int watched[WATCHED] = {FMC_FOLLOWERS, FMC_CLICK_RATE, FMC_HOURS};
    fmc_scenario *s = load_text(uncertain);
    spread spreads[WATCHED] = {{0}};
    for (int k = 0; k < RUNS; k++) {
        fmc_run_result r = run(s, 2000, 1, 1000 + (uint64_t)k);
        for (int w = 0; w < WATCHED; w++) {
            REQUIRE(r.break_even.kind[watched[w]] == FMC_BREAK_EVEN_FOUND);
            spread_add(&spreads[w], r.break_even.value[watched[w]], r.break_even.se[watched[w]]);
        }
        fmc_run_result_clear(&r);
    }
    for (int w = 0; w < WATCHED; w++) {
        double ratio = spread_ratio(&spreads[w]);
        fprintf(stderr, "input %d: reported se / spread over %d seeds %.3f\n", watched[w], RUNS,
                ratio);
        CHECK(fabs(ratio - 1) < 0.25);
    }
    fmc_scenario_free(s);
}

static void period_error_matches_the_spread_over_seeds(void)
{
    enum { RUNS = 100 };
    /* a loss in month 1 (about -200) that growth turns into a profit */
    fmc_scenario *s = load_text("name: growing\n"
                                "inputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                                "  followers: {dist: lognormal, median: 400, sigma: 0.3}\n"
                                "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
                                "  hourly_rate: 50\n  hours: 40\n"
                                "horizon:\n  periods: 6\n"
                                "  followers: {growth: {dist: uniform, min: 0.1, max: 0.3}}\n");
    spread period = {0};
    for (int k = 0; k < RUNS; k++) {
        fmc_run_result r = run(s, 700, 1, 1000 + (uint64_t)k);
        REQUIRE(r.break_even.period_kind == FMC_BREAK_EVEN_FOUND);
        spread_add(&period, r.break_even.period, r.break_even.period_se);
        fmc_run_result_clear(&r);
    }
    double ratio = spread_ratio(&period);
    fprintf(stderr, "period: reported se / spread over %d seeds %.3f\n", RUNS, ratio);
    CHECK(fabs(ratio - 1) < 0.25);
    fmc_scenario_free(s);
}

static int same_break_even(const fmc_break_even_result *a, const fmc_break_even_result *b)
{
    size_t d = a->inputs, p = a->periods;
    return d == b->inputs && p == b->periods && a->samples == b->samples &&
           same_bits(a->value, b->value, d) && same_bits(a->se, b->se, d) &&
           memcmp(a->kind, b->kind, d * sizeof *a->kind) == 0 &&
           (p == 0 || (same_bits(a->cumulative_mean, b->cumulative_mean, p) &&
                       same_bits(a->cumulative_se, b->cumulative_se, p))) &&
           same_bits(&a->period, &b->period, 1) && same_bits(&a->period_se, &b->period_se, 1) &&
           a->period_kind == b->period_kind;
}

static void figures_are_the_same_on_any_thread_count(void)
{
    /* over a horizon with an input drawn each period, 12289 samples: three
     * blocks and one sample over */
    fmc_scenario *s = load_text("name: each-period\n"
                                "inputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                                "  followers: {dist: lognormal, median: 400, sigma: 0.4}\n"
                                "  click_rate: {dist: beta, alpha: 25, beta: 75}\n"
                                "  optin_rate: 0.4\n  purchase_rate: 0.5\n  hourly_rate: 50\n"
                                "  hours: {dist: normal, mean: 40, sd: 5, min: 20, max: 60, "
                                "draw: each_period}\n"
                                "horizon:\n  periods: 5\n  discount_rate: 0.01\n"
                                "  followers: {growth: {dist: uniform, min: 0.1, max: 0.3}, "
                                "churn: 0.02}\n");
    fmc_run_result one = run(s, 12289, 1, 0);
    CHECK(one.break_even.samples == 12289 && one.break_even.periods == 5);
    CHECK(one.break_even.period_kind == FMC_BREAK_EVEN_FOUND && one.break_even.period_se > 0);
    for (int threads = 2; threads <= 3; threads++) {
        fmc_run_result other = run(s, 12289, threads, 0);
        CHECK(same_break_even(&one.break_even, &other.break_even));
        fmc_run_result_clear(&other);
    }
    fmc_run_result_clear(&one);
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(worked_example_breaks_even_at_the_textbook_values);
RUN_TEST(no_value_in_range_is_none_and_says_which_way);
RUN_TEST(horizon_breaks_even_at_the_geometric_sums);
RUN_TEST(period_interpolates_and_takes_its_error_by_the_delta_method);
RUN_TEST(reported_errors_match_the_spread_over_seeds);
RUN_TEST(period_error_matches_the_spread_over_seeds);
RUN_TEST(figures_are_the_same_on_any_thread_count);
TEST_MAIN_END
