/* Equivalent changes: on the worked example (every input fixed) each amount
 * has a closed form from profit = (R - Cg) F Cr Or Pr - h T; NaN where no
 * amount of an input reaches the gain; with followers uncertain, the
 * amounts and their delta-method errors against the sample's own moments,
 * errors shrinking as 1 / sqrt(samples), and the same bits on any thread
 * count.  Over a horizon: closed forms of cumulative profit for levers that
 * start late, ramp up or change growth, and an input drawn each period
 * against its own draws. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/equivalents.h"
#include "funnelmc/horizon.h"
#include "funnelmc/stream.h"

enum { INPUTS = FMC_FUNNEL_INPUT_COUNT };

/* The worked example (R 100, Cg 10, F 1000, Cr 0.25, Or 0.4, Pr 0.5, h 50,
 * T 40: 50 sales, margin 4500, time 2000, profit 2500) with five levers. */
static const char *worked_levers =
    "name: worked-levers\n"
    "inputs:\n"
    "  revenue_per_sale: 100\n  cost_of_goods: 10\n  followers: 1000\n"
    "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
    "  hourly_rate: 50\n  hours: 40\n"
    "levers:\n"
    "  double_followers: {followers: {scale: 2}}\n"                         /* +4500 */
    "  points: {click_rate: {add: 0.15}, optin_rate: {add: 0.10}}\n"        /* +4500 */
    "  relative: {click_rate: {scale: 1.15}, optin_rate: {scale: 1.10}}\n"  /* +1192.5 */
    "  nothing: {followers: {scale: 1}}\n"                                  /* 0 */
    "  halve_followers: {followers: {scale: 0.5}}\n";                       /* -2250 */

/* Per lever, per input (R, Cg, F, Cr, Or, Pr, h, T): the add and the scale
 * giving gain G.  With S = 50 sales, M = 4500 margin, 2000 time cost:
 *   R: add G / S, scale (M + 10 S + G) / (100 S);  Cg: add -G / S (Cg >= 0:
 *   at most +500), scale 1 - G / (10 S);  F, Cr, Or, Pr: scale 1 + G / M,
 *   add (G / M) x the input (a rate stays <= 1);  h, T: scale 1 - G / 2000,
 *   add -G / 40 for h and -G / 50 for T (no cut gains more than 2000). */
static const double expected_add[5][INPUTS] = {
    {90, NAN, 1000, 0.25, 0.4, 0.5, NAN, NAN},
    {90, NAN, 1000, 0.25, 0.4, 0.5, NAN, NAN},
    {23.85, NAN, 265, 0.06625, 0.106, 0.1325, -29.8125, -23.85},
    {0, 0, 0, 0, 0, 0, 0, 0},
    {-45, 45, -500, -0.125, -0.2, -0.25, 56.25, 45},
};
static const double expected_scale[5][INPUTS] = {
    {1.9, NAN, 2, 2, 2, 2, NAN, NAN},
    {1.9, NAN, 2, 2, 2, 2, NAN, NAN},
    {1.2385, NAN, 1.265, 1.265, 1.265, 1.265, 0.40375, 0.40375},
    {1, 1, 1, 1, 1, 1, 1, 1},
    {0.55, 5.5, 0.5, 0.5, 0.5, 0.5, 2.125, 2.125},
};

/* Equivalents of S's levers on COUNT samples whose columns are INPUTS (the
 * values as drawn), over S's horizon when it has one, on THREADS threads;
 * arrays [levers][inputs], freed with free_equivalents. */
static fmc_equivalents compute(const fmc_scenario *s, const double *const *inputs, size_t count,
                               int threads)
{
    size_t n = s->lever_count * s->input_count;
    fmc_equivalents e = {malloc(n * sizeof(double)), malloc(n * sizeof(double)),
                         malloc(n * sizeof(double)), malloc(n * sizeof(double))};
    REQUIRE(e.add && e.add_se && e.scale && e.scale_se);
    fmc_sampler **samplers = NULL;
    REQUIRE(fmc_scenario_samplers_alloc(s, 1, &samplers) == FMC_OK);
    uint32_t periods = s->horizon ? s->horizon->periods : 0;
    fmc_draws draws = fmc_draws_mc(s->seed, s->input_count, periods);
    fmc_equivalents_horizon h = {samplers, &draws, periods};
    REQUIRE(fmc_equivalents_compute(s, inputs, count, NULL, s->horizon ? &h : NULL, threads, NULL, &e) ==
            FMC_OK);
    fmc_scenario_samplers_free(samplers, s->input_count);
    return e;
}

static void free_equivalents(fmc_equivalents *e)
{
    free(e->add);
    free(e->add_se);
    free(e->scale);
    free(e->scale_se);
}

/* ACTUAL is NaN when EXPECTED is, else within 1e-7 (relative above 1). */
#define CHECK_AMOUNT(actual, expected)                                         \
    do {                                                                       \
        double expected_ = (expected);                                         \
        if (isnan(expected_))                                                  \
            CHECK(isnan(actual));                                              \
        else                                                                   \
            CHECK_NEAR(actual, expected_, 1e-7 * fmax(1, fabs(expected_)));   \
    } while (0)

static void worked_example_amounts_have_closed_forms_and_no_error(void)
{
    enum { N = 100 };
    fmc_scenario *s = load_text(worked_levers);
    REQUIRE(s->lever_count == 5 && s->input_count == INPUTS);
    double columns[INPUTS][N];
    const double *inputs[INPUTS];
    for (size_t j = 0; j < INPUTS; j++) {
        for (size_t i = 0; i < N; i++)
            columns[j][i] = s->inputs[j].base;
        inputs[j] = columns[j];
    }
    fmc_equivalents e = compute(s, inputs, N, 2);
    for (size_t l = 0; l < 5; l++)
        for (size_t j = 0; j < INPUTS; j++) {
            size_t k = l * INPUTS + j;
            int failures = check_failures_in_test;
            CHECK_AMOUNT(e.add[k], expected_add[l][j]);
            CHECK_AMOUNT(e.scale[k], expected_scale[l][j]);
            /* every sample is the same: no doubt where there is an amount */
            CHECK_AMOUNT(e.add_se[k], isnan(expected_add[l][j]) ? NAN : 0);
            CHECK_AMOUNT(e.scale_se[k], isnan(expected_scale[l][j]) ? NAN : 0);
            if (check_failures_in_test > failures)
                fprintf(stderr, "  (lever %s, input %s)\n", s->levers[l].name, s->inputs[j].name);
        }
    free_equivalents(&e);
    fmc_scenario_free(s);
}

/* The worked example with followers lognormal (median 1000, sigma 0.4). */
static const char *uncertain_followers =
    "name: uncertain-followers\n"
    "seed: 2385\n"
    "inputs:\n"
    "  revenue_per_sale: 100\n  cost_of_goods: 10\n"
    "  followers: {dist: lognormal, median: 1000, sigma: 0.4}\n"
    "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
    "  hourly_rate: 50\n  hours: 40\n"
    "levers:\n"
    "  double_followers: {followers: {scale: 2}}\n";

typedef struct drawn {
    size_t inputs;
    double *columns[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
} drawn;

static fmc_status keep_inputs(void *context, uint64_t first, size_t count,
                              const double *const *inputs, const double *const *outputs)
{
    (void)outputs;
    drawn *d = context;
    for (size_t j = 0; j < d->inputs; j++)
        memcpy(d->columns[j] + first, inputs[j], count * sizeof(double));
    return FMC_OK;
}

/* The first N draws of S's run. */
static drawn draw(const fmc_scenario *s, size_t n)
{
    drawn d = {s->input_count, {0}};
    for (size_t j = 0; j < d.inputs; j++) {
        d.columns[j] = malloc(n * sizeof(double));
        REQUIRE(d.columns[j]);
    }
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, n, 1, 0, 0, keep_inputs, &d, &r) == FMC_OK);
    fmc_run_result_clear(&r);
    return d;
}

static void uncertain_followers_amounts_follow_the_sample_and_errors_shrink(void)
{
    enum { SMALL = 2048, LARGE = 8192 };
    fmc_scenario *s = load_text(uncertain_followers);
    drawn d = draw(s, LARGE);
    const double *const *inputs = (const double *const *)d.columns;
    double mean_f = 0;
    for (size_t i = 0; i < LARGE; i++)
        mean_f += d.columns[FMC_FOLLOWERS][i];
    mean_f /= LARGE;
    fmc_equivalents small = compute(s, inputs, SMALL, 1), large = compute(s, inputs, LARGE, 1);
    /* The gain is 4.5 F in every sample, and +90 of R or +0.25 of Cr or x2
     * of F gives just that in every sample: exact, whatever the draws, with
     * no error at all. */
    CHECK_AMOUNT(large.add[FMC_REVENUE_PER_SALE], 90);
    CHECK_AMOUNT(large.add[FMC_CLICK_RATE], 0.25);
    CHECK_AMOUNT(large.scale[FMC_FOLLOWERS], 2);
    CHECK(large.add_se[FMC_REVENUE_PER_SALE] < 1e-6 && large.scale_se[FMC_FOLLOWERS] < 1e-9);
    /* Adding A followers gains 4.5 A: A is the sample mean of F, and its
     * error that of a mean, sd(F) / sqrt(n); for a lognormal sd(F) =
     * 1000 sqrt((e^s2 - 1) e^s2), s2 = 0.16.  The sample sd of this skewed
     * law has a relative error of about 1.3 % at 8192 draws: 7 % is over 5. */
    CHECK_AMOUNT(large.add[FMC_FOLLOWERS], mean_f);
    double sd_f = 1000 * sqrt((exp(0.16) - 1) * exp(0.16));
    CHECK_NEAR(large.add_se[FMC_FOLLOWERS], sd_f / sqrt((double)LARGE),
               0.07 * sd_f / sqrt((double)LARGE));
    /* four times the samples, half the error (the two sample sds differ by
     * about 3 % at 2048 draws) */
    CHECK_NEAR(large.add_se[FMC_FOLLOWERS] / small.add_se[FMC_FOLLOWERS], 0.5, 0.07);
    /* the time cost is 2000, the mean gain about 4500 e^0.08: out of reach */
    for (size_t j = FMC_HOURLY_RATE; j <= FMC_HOURS; j++) {
        CHECK(isnan(large.add[j]) && isnan(large.scale[j]));
        CHECK(isnan(large.add_se[j]) && isnan(large.scale_se[j]));
    }
    free_equivalents(&small);
    free_equivalents(&large);
    for (size_t j = 0; j < d.inputs; j++)
        free(d.columns[j]);
    fmc_scenario_free(s);
}

static void amounts_are_bit_identical_for_any_thread_count(void)
{
    enum { N = 3 * 4096 + 77 };  /* a partial last chunk */
    fmc_scenario *s = load_reference();
    drawn d = draw(s, N);
    const double *const *inputs = (const double *const *)d.columns;
    fmc_equivalents one = compute(s, inputs, N, 1), three = compute(s, inputs, N, 3);
    size_t n = s->lever_count * s->input_count;
    CHECK(same_bits(one.add, three.add, n) && same_bits(one.add_se, three.add_se, n));
    CHECK(same_bits(one.scale, three.scale, n) && same_bits(one.scale_se, three.scale_se, n));
    free_equivalents(&one);
    free_equivalents(&three);
    for (size_t j = 0; j < d.inputs; j++)
        free(d.columns[j]);
    fmc_scenario_free(s);
}

/* S(g) = sum_{t = 1..T} (1 + g)^(t - 1) w_t with weights W (NULL: all 1). */
static double audience_sum(double g, int periods, const double *w)
{
    double sum = 0;
    for (int t = 1; t <= periods; t++)
        sum += (w ? w[t - 1] : 1) * pow(1 + g, t - 1);
    return sum;
}

static void horizon_amounts_match_closed_forms_of_cumulative_profit(void)
{
    /* The worked example over T = 12 periods with growth 0.04 and no churn:
     * the followers of period t are 1000 x 1.04^(t - 1), and every gain is
     * a margin of 4.5 a follower on them (the time cost does not move):
     *   double_followers (x2 from period 1)       4500 S,   S = S(0.04)
     *   late_photos (click rate +0.1 from period 3, over 2 periods: half in
     *     period 3)                               1800 W,   W = S with w_t
     *   faster_growth (growth +0.01)              4500 (S(0.05) - S)
     * Profit is linear in the click rate (18000 per point and follower a
     * period), so the equivalent add of it, from period 1, is gain / 18000 S;
     * the scale of followers is 1 + gain / 4500 S.  The growth giving
     * double_followers' gain solves S(g) = 2 S, by bisection here. */
    enum { N = 100, T = 12 };
    fmc_scenario *s = load_text("name: worked-horizon\n" WORKED_INPUTS
                                "horizon:\n  periods: 12\n  followers: {growth: 0.04}\n"
                                "levers:\n"
                                "  double_followers: {followers: {scale: 2}}\n"
                                "  late_photos:\n    click_rate: {add: 0.1}\n"
                                "    start: 3\n    ramp: 2\n"
                                "  faster_growth: {growth: {add: 0.01}}\n");
    REQUIRE(s->horizon && s->horizon->periods == T);
    const fmc_horizon h = *s->horizon;
    size_t d = s->input_count;
    double columns[FMC_FUNNEL_INPUT_COUNT + 2][N];
    const double *inputs[FMC_FUNNEL_INPUT_COUNT + 2];
    for (size_t j = 0; j < d; j++) {
        for (size_t i = 0; i < N; i++)
            columns[j][i] = s->inputs[j].base;
        inputs[j] = columns[j];
    }
    double weights[T] = {0, 0, 0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    double sum = audience_sum(0.04, T, NULL), late = audience_sum(0.04, T, weights);
    double gain[3] = {4500 * sum, 1800 * late, 4500 * (audience_sum(0.05, T, NULL) - sum)};
    double lo = 0.04, hi = 1;
    for (int k = 0; k < 200; k++) {
        double mid = 0.5 * (lo + hi);
        *(audience_sum(mid, T, NULL) < 2 * sum ? &lo : &hi) = mid;
    }
    fmc_equivalents e = compute(s, inputs, N, 2);
    for (size_t l = 0; l < 3; l++) {
        const double *add = e.add + l * d, *scale = e.scale + l * d;
        CHECK_NEAR(add[FMC_CLICK_RATE], gain[l] / (18000 * sum), 1e-9 * add[FMC_CLICK_RATE]);
        CHECK_NEAR(scale[FMC_FOLLOWERS], 1 + gain[l] / (4500 * sum), 1e-9 * scale[FMC_FOLLOWERS]);
        CHECK_NEAR(add[FMC_REVENUE_PER_SALE], gain[l] / (50 * sum),
                   1e-9 * add[FMC_REVENUE_PER_SALE]);
        CHECK(e.add_se[l * d + FMC_CLICK_RATE] == 0);
        /* churn cannot fall below 0: nothing gains */
        CHECK(isnan(add[h.churn]));
    }
    CHECK_NEAR(e.add[FMC_CLICK_RATE], 0.25, 1e-9);
    CHECK_NEAR(e.add[h.growth], 0.5 * (lo + hi) - 0.04, 1e-9);
    CHECK_NEAR(e.add[2 * d + h.growth], 0.01, 1e-9);
    free_equivalents(&e);
    fmc_scenario_free(s);
}

static void an_input_drawn_each_period_is_followed_with_its_own_draws(void)
{
    /* The worked example with hours uniform on [20, 60] drawn each period,
     * no growth, 7 periods: halving followers loses 2250 a period, and a
     * scale k of the hours loses (k - 1) 50 sum_t T_t a sample, so the
     * equivalent scale is 1 + 2250 x 7 / (50 mean_i sum_t T_ti) with the
     * draws T_ti of period t of sample i, made here from their words
     * (stream.h). */
    enum { N = 3 * 4096 + 77, T = 7 };
    fmc_scenario *s = load_text("name: hours-each-period\nseed: 2385\n"
                                "inputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                                "  followers: 1000\n  click_rate: 0.25\n  optin_rate: 0.4\n"
                                "  purchase_rate: 0.5\n  hourly_rate: 50\n"
                                "  hours: {dist: uniform, min: 20, max: 60, draw: each_period}\n"
                                "horizon:\n  periods: 7\n"
                                "levers:\n  halve_followers: {followers: {scale: 0.5}}\n");
    REQUIRE(s->horizon && s->horizon->periods == T && s->inputs[FMC_HOURS].each_period);
    size_t d = s->input_count;
    fmc_sampler *hours = NULL;
    REQUIRE(fmc_sampler_alloc(&s->inputs[FMC_HOURS].dist, &hours) == FMC_OK);
    double *columns[FMC_FUNNEL_INPUT_COUNT + 2];
    double total_hours = 0;
    for (size_t j = 0; j < d; j++) {
        REQUIRE(columns[j] = malloc(N * sizeof(double)));
        for (size_t i = 0; i < N; i++) {
            uint32_t word = fmc_stream_word(s->seed, FMC_PURPOSE_SAMPLES, i, FMC_HOURS);
            columns[j][i] = j == FMC_HOURS ? fmc_sampler_value(hours, word) : s->inputs[j].base;
        }
    }
    for (size_t i = 0; i < N; i++)
        for (uint32_t t = 1; t <= T; t++) {
            uint32_t slot = (t - 1) * FMC_PERIOD_SLOTS + FMC_HOURS;
            total_hours += fmc_sampler_value(hours, fmc_stream_word(s->seed, 0, i, slot));
        }
    const double *const *inputs = (const double *const *)columns;
    fmc_equivalents one = compute(s, inputs, N, 1), three = compute(s, inputs, N, 3);
    double expected = 1 + 2250.0 * T / (50 * total_hours / N);
    CHECK_NEAR(one.scale[FMC_HOURS], expected, 1e-9 * expected);
    CHECK_NEAR(one.scale[FMC_FOLLOWERS], 0.5, 1e-9);
    CHECK(same_bits(one.add, three.add, d) && same_bits(one.add_se, three.add_se, d));
    CHECK(same_bits(one.scale, three.scale, d) && same_bits(one.scale_se, three.scale_se, d));
    free_equivalents(&one);
    free_equivalents(&three);
    fmc_sampler_free(hours);
    for (size_t j = 0; j < d; j++)
        free(columns[j]);
    fmc_scenario_free(s);
}

static void a_horizon_of_one_period_gives_the_one_period_amounts_bit_for_bit(void)
{
    enum { N = 4096 + 77 };
    char text[8192];
    snprintf(text, sizeof text, "%shorizon:\n  periods: 1\n  followers: {growth: 0.03, churn: 0.01}\n",
             fmc_reference_text());
    fmc_scenario *s = load_text(fmc_reference_text()), *over = load_text(text);
    REQUIRE(over->horizon && over->input_count == s->input_count + 2);
    drawn d = draw(s, N);
    size_t inputs = s->input_count;
    fmc_equivalents one = compute(s, (const double *const *)d.columns, N, 2);
    const double *columns[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES + 2];
    double fixed[2][N];
    for (size_t j = 0; j < over->input_count; j++)
        columns[j] = j < inputs ? d.columns[j] : fixed[j - inputs];
    for (size_t i = 0; i < N; i++) {
        fixed[0][i] = 0.03;
        fixed[1][i] = 0.01;
    }
    fmc_equivalents path = compute(over, columns, N, 2);
    REQUIRE(over->lever_count == s->lever_count && s->lever_count > 0);
    for (size_t l = 0; l < s->lever_count; l++) {
        size_t a = l * inputs, b = l * over->input_count;
        CHECK(same_bits(one.add + a, path.add + b, inputs));
        CHECK(same_bits(one.add_se + a, path.add_se + b, inputs));
        CHECK(same_bits(one.scale + a, path.scale + b, inputs));
        CHECK(same_bits(one.scale_se + a, path.scale_se + b, inputs));
    }
    free_equivalents(&one);
    free_equivalents(&path);
    for (size_t j = 0; j < d.inputs; j++)
        free(d.columns[j]);
    fmc_scenario_free(s);
    fmc_scenario_free(over);
}

TEST_MAIN_BEGIN
RUN_TEST(worked_example_amounts_have_closed_forms_and_no_error);
RUN_TEST(uncertain_followers_amounts_follow_the_sample_and_errors_shrink);
RUN_TEST(amounts_are_bit_identical_for_any_thread_count);
RUN_TEST(horizon_amounts_match_closed_forms_of_cumulative_profit);
RUN_TEST(an_input_drawn_each_period_is_followed_with_its_own_draws);
RUN_TEST(a_horizon_of_one_period_gives_the_one_period_amounts_bit_for_bit);
TEST_MAIN_END
