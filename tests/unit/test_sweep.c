/* Sweeps: every grid point's mean profit against the analytic expectation
 * of the formula with that point's changes, the unchanged point equal to a
 * plain run to the bit (same draws), and thread-independence. */
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/sweep.h"

/* E[profit] with followers scaled by K and A added to the click rate, for
 * independent inputs: E[R - Cg] K E[F] (E[Cr] + A) E[Or] E[Pr] - E[h] E[T] - costs. */
static double expected_profit(const fmc_scenario *s, double k, double a)
{
    double m[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    for (size_t j = 0; j < s->input_count; j++)
        m[j] = fmc_dist_mean(&s->inputs[j].dist);
    double costs = 0;
    for (size_t j = FMC_FUNNEL_INPUT_COUNT; j < s->input_count; j++)
        costs += m[j];
    return (m[FMC_REVENUE_PER_SALE] - m[FMC_COST_OF_GOODS]) * k * m[FMC_FOLLOWERS] *
               (m[FMC_CLICK_RATE] + a) * m[FMC_OPTIN_RATE] * m[FMC_PURCHASE_RATE] -
           m[FMC_HOURLY_RATE] * m[FMC_HOURS] - costs;
}

static void grid_means_follow_the_formula_point_by_point(void)
{
    fmc_scenario *s = load_reference();
    REQUIRE(s->sweep_count == 1);
    const fmc_sweep *sweep = &s->sweeps[0];
    fmc_run_options o = fmc_run_options_default();
    o.threads = 2;
    fmc_sweep_result r;
    REQUIRE(fmc_sweep_run(s, sweep, &o, &r) == FMC_OK);
    CHECK(r.points == 35);
    for (size_t p = 0; p < r.points; p++) {
        double k = sweep->axes[0].values[p / 7], a = sweep->axes[1].values[p % 7];
        /* click - 0.1 can clamp at 0: beta(25, 75) below 0.1 has mass 1e-4,
         * too little to matter at this precision */
        CHECK_NEAR(r.mean[p], expected_profit(s, k, a), 4.5 * r.se[p]);
        CHECK(r.p05[p] < r.p50[p] && r.p50[p] < r.p95[p]);
        CHECK(r.best_lever[p] >= 0 && r.best_lever[p] < 3);
    }
    /* scale 1 and add 0: the plain run, to the bit (common random numbers) */
    fmc_run_options plain = fmc_run_options_default();
    plain.samples = sweep->samples;
    fmc_run_result base;
    REQUIRE(fmc_simulate(s, &plain, &base) == FMC_OK);
    size_t unchanged = 1 * 7 + 2;  /* followers x1, click + 0 */
    CHECK_NEAR(sweep->axes[1].values[2], 0, 1e-15);
    CHECK_EXACT(r.mean[unchanged], base.outputs[FMC_OUT_PROFIT].mean);
    CHECK_EXACT(r.se[unchanged], base.outputs[FMC_OUT_PROFIT].se);
    /* common draws make neighbours move together: scaling followers moves the
     * mean linearly, (m(x4) - m(x2)) = 2 (m(x2) - m(x1)) exactly up to rounding */
    double m1 = r.mean[1 * 7 + 3], m2 = r.mean[2 * 7 + 3], m4 = r.mean[3 * 7 + 3];
    CHECK_NEAR(m4 - m2, 2 * (m2 - m1), 1e-9 * fabs(m4));
    fmc_sweep_result_clear(&r);
    fmc_scenario_free(s);
}

/* Every figure of every point, to the bit. */
static int same_points(const fmc_sweep_result *a, const fmc_sweep_result *b)
{
    size_t n = a->points;
    int same = n == b->points && same_bits(a->mean, b->mean, n) && same_bits(a->sd, b->sd, n) &&
               same_bits(a->se, b->se, n) && same_bits(a->p_loss, b->p_loss, n) &&
               same_bits(a->p_loss_se, b->p_loss_se, n) && same_bits(a->p05, b->p05, n) &&
               same_bits(a->p50, b->p50, n) && same_bits(a->p95, b->p95, n) &&
               same_bits(a->best_gain, b->best_gain, n) &&
               same_bits(a->best_gain_se, b->best_gain_se, n) &&
               same_bits(a->p_beats_runner_up, b->p_beats_runner_up, n) &&
               same_bits(a->p_beats_runner_up_se, b->p_beats_runner_up_se, n);
    for (size_t p = 0; same && p < n; p++)
        same &= a->best_lever[p] == b->best_lever[p];
    return same;
}

static void sweeps_are_bit_identical_for_any_thread_count(void)
{
    fmc_scenario *s = load_reference();
    s->sweeps[0].samples = 20000;
    fmc_sweep_result one, three;
    fmc_run_options o = fmc_run_options_default();
    o.threads = 1;
    REQUIRE(fmc_sweep_run(s, &s->sweeps[0], &o, &one) == FMC_OK);
    o.threads = 3;
    REQUIRE(fmc_sweep_run(s, &s->sweeps[0], &o, &three) == FMC_OK);
    CHECK(same_points(&one, &three));
    fmc_sweep_result_clear(&one);
    fmc_sweep_result_clear(&three);
    fmc_scenario_free(s);
}

static void few_points_share_the_threads_with_the_same_results(void)
{
    fmc_scenario *s = load_reference();
    fmc_sweep *sweep = &s->sweeps[0];
    size_t axes = sweep->axis_count, values = sweep->axes[0].value_count;
    sweep->axis_count = 1;           /* followers only, */
    sweep->axes[0].value_count = 2;  /* at x0.5 and x1: two points */
    sweep->samples = 50000;
    fmc_sweep_result one, four;
    fmc_run_options o = fmc_run_options_default();
    o.threads = 1;
    REQUIRE(fmc_sweep_run(s, sweep, &o, &one) == FMC_OK);
    o.threads = 4;  /* two workers of two threads each */
    REQUIRE(fmc_sweep_run(s, sweep, &o, &four) == FMC_OK);
    CHECK(one.points == 2);
    CHECK(same_points(&one, &four));
    /* with the same draws, x1 - 2 (x0.5) leaves only the costs counted twice */
    CHECK_NEAR(one.mean[1] - 2 * one.mean[0], expected_profit(s, 1, 0) - 2 * expected_profit(s, 0.5, 0),
               4.5 * (one.se[1] + 2 * one.se[0]));
    fmc_sweep_result_clear(&one);
    fmc_sweep_result_clear(&four);
    sweep->axis_count = axes;  /* as loaded, so that every axis is freed */
    sweep->axes[0].value_count = values;
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(grid_means_follow_the_formula_point_by_point);
RUN_TEST(sweeps_are_bit_identical_for_any_thread_count);
RUN_TEST(few_points_share_the_threads_with_the_same_results);
TEST_MAIN_END
