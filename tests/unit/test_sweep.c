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

/* Followers scaled by K (the added ones at quality Q), then hours by T
 * reaching followers in proportion (response 1): 90 x 0.05 sales per
 * follower, less 50 x 40 T of time. */
static double worked_profit(double k, double q, double t)
{
    return 90 * 1000 * (1 + q * (k - 1)) * t * 0.25 * 0.4 * 0.5 - 50 * 40 * t;
}

static void axis_effects_have_their_closed_forms(void)
{
    fmc_scenario *s = load_text("name: axis-effects\nseed: 7\n" WORKED_INPUTS
                                "sweeps:\n"
                                "  reach:\n"
                                "    samples: 1000\n"
                                "    axes:\n"
                                "      followers: {scale: [1, 2], quality: 0.5}\n"
                                "      hours: {scale: [1, 0.5], response: 1}\n"
                                "  uncertain_quality:\n"
                                "    samples: 100000\n"
                                "    axes:\n"
                                "      followers: {scale: [0.5, 2], quality: {dist: beta, alpha: 2, beta: 3}}\n");
    REQUIRE(s->sweep_count == 2);
    fmc_run_options o = fmc_run_options_default();
    o.threads = 2;
    fmc_sweep_result r;
    REQUIRE(fmc_sweep_run(s, &s->sweeps[0], &o, &r) == FMC_OK);
    REQUIRE(r.points == 4);
    CHECK_EXACT(r.mean[0], 2500);
    CHECK_NEAR(r.mean[1], worked_profit(1, 0.5, 0.5), 1e-9 * 2500);  /* 1250 */
    CHECK_EXACT(r.mean[2], 2500 + 2250);
    CHECK_NEAR(r.mean[3], worked_profit(2, 0.5, 0.5), 1e-9 * 2500);  /* 2375 */
    for (size_t p = 0; p < r.points; p++)
        CHECK_EXACT(r.sd[p], 0);
    fmc_sweep_result_clear(&r);
    /* halving: quality does not apply to a loss; doubling: 2500 + 4500 q,
     * q ~ beta(2, 3) of mean 2 / 5 */
    REQUIRE(fmc_sweep_run(s, &s->sweeps[1], &o, &r) == FMC_OK);
    REQUIRE(r.points == 2);
    CHECK_NEAR(r.mean[0], 2500 - 2250, 1e-9 * 2500);
    CHECK_EXACT(r.sd[0], 0);
    CHECK_NEAR(r.mean[1], 2500 + 4500 * 2.0 / 5, 4.5 * r.se[1]);
    CHECK_NEAR(r.sd[1], 4500 * 0.2, 4.5 * 4500 * 0.2 / sqrt(100000.0));
    fmc_sweep_result_clear(&r);
    fmc_scenario_free(s);
}

static void uncertain_axis_effects_are_bit_identical_for_one_two_and_three_threads(void)
{
    fmc_scenario *s = load_text(
        "name: uncertain-axes\nseed: 31\n" REFERENCE_INPUTS
        "levers:\n"
        "  wider: {followers: {scale: {dist: uniform, min: 1.5, max: 2.5}, quality: 0.6}}\n"
        "  price: {revenue_per_sale: {set: 120, elasticity: {dist: uniform, min: 0.5, max: 1.5}}}\n"
        "sweeps:\n"
        "  effort:\n"
        "    samples: 20011\n"
        "    axes:\n"
        "      followers: {scale: [0.5, 1, 2, 3], quality: {dist: beta, alpha: 4, beta: 2}}\n"
        "      hours: {scale: [0.5, 1, 1.5], response: {dist: uniform, min: 0, max: 1}}\n"
        "      revenue_per_sale: {set: [90, 110], elasticity: {dist: gamma, shape: 4, scale: 0.25}}\n");
    fmc_sweep_result r[3];
    fmc_run_options o = fmc_run_options_default();
    for (int t = 0; t < 3; t++) {
        o.threads = t + 1;
        REQUIRE(fmc_sweep_run(s, &s->sweeps[0], &o, &r[t]) == FMC_OK);
    }
    CHECK(r[0].points == 24);
    CHECK(same_points(&r[0], &r[1]));
    CHECK(same_points(&r[0], &r[2]));
    for (int t = 0; t < 3; t++)
        fmc_sweep_result_clear(&r[t]);
    fmc_scenario_free(s);
}

/* Doubling the followers gains 18000 c (profit 18000 c - 2000 at click
 * rate c); adding 0.15 to the click rate gains 2700: the second wins below
 * c = 0.15, the first above, and at 0.15 the two are equal in every sample,
 * which the result records as a tie (not as "never beats the next"). */
static void ties_and_runners_up_are_recorded(void)
{
    fmc_scenario *s = load_text("name: ties\nseed: 5\n" WORKED_INPUTS
                                "levers:\n"
                                "  double_followers: {followers: {scale: 2}}\n"
                                "  better_content: {click_rate: {add: 0.15}}\n"
                                "sweeps:\n"
                                "  click:\n"
                                "    samples: 1000\n"
                                "    axes:\n"
                                "      click_rate: {set: [0.05, 0.15, 0.3]}\n");
    fmc_run_options o = fmc_run_options_default();
    o.samples = 37;  /* instead of the sweep's 1000 */
    fmc_sweep_result r;
    REQUIRE(fmc_sweep_run(s, &s->sweeps[0], &o, &r) == FMC_OK);
    CHECK(r.points == 3 && fmc_sweep_points(&s->sweeps[0]) == 3);
    CHECK(r.samples == 37);
    CHECK(r.best_lever[0] == 1 && r.runner_up[0] == 0);
    CHECK_EXACT(r.p_ties_runner_up[0], 0);
    CHECK_EXACT(r.p_beats_runner_up[0], 1);
    CHECK(r.runner_up[1] == 1 - r.best_lever[1]);
    CHECK_EXACT(r.p_ties_runner_up[1], 1);
    CHECK_EXACT(r.best_gain[1], 2700);
    CHECK(r.best_lever[2] == 0 && r.runner_up[2] == 1);
    CHECK_EXACT(r.p_ties_runner_up[2], 0);
    CHECK_NEAR(r.best_gain[2], 18000 * 0.3, 1e-9);
    fmc_sweep_result_clear(&r);
    /* one lever: no runner-up */
    fmc_scenario *one = load_text("name: one\nseed: 5\n" WORKED_INPUTS
                                  "levers:\n  double_followers: {followers: {scale: 2}}\n"
                                  "sweeps:\n  f:\n    samples: 10\n    axes:\n"
                                  "      followers: {scale: [1, 2]}\n");
    REQUIRE(fmc_sweep_run(one, &one->sweeps[0], &o, &r) == FMC_OK);
    CHECK(r.runner_up[0] == -1 && isnan(r.p_ties_runner_up[1]));
    fmc_sweep_result_clear(&r);
    fmc_scenario_free(one);
    fmc_scenario_free(s);
}

/* Across processes, points of unequal cost (a periods axis) are dealt among
 * the groups longest first, each to the group that finishes it soonest,
 * counting a group's processes. */
static void points_are_dealt_longest_first_by_load_per_process(void)
{
    const double periods[] = {6, 12, 18, 24};
    int group_of[4];
    REQUIRE(fmc_team_assign(2, 2, periods, 4, group_of) == FMC_OK);
    /* 24 + 6 and 18 + 12, where a cyclic deal would give 6 + 18 and 12 + 24 */
    CHECK(group_of[0] == 0 && group_of[1] == 1 && group_of[2] == 1 && group_of[3] == 0);
    /* 3 processes in 2 groups, ranks 0 and 1 then rank 2: the group of two
     * takes twice the equal points, the ties going to the lower group */
    const double equal[] = {1, 1, 1, 1, 1, 1};
    int six[6];
    REQUIRE(fmc_team_assign(3, 2, equal, 6, six) == FMC_OK);
    const int expected[] = {0, 0, 1, 0, 0, 1};
    for (int k = 0; k < 6; k++)
        CHECK(six[k] == expected[k]);
    /* one group takes everything, in any order of costs */
    REQUIRE(fmc_team_assign(1, 1, periods, 4, group_of) == FMC_OK);
    CHECK(group_of[0] == 0 && group_of[1] == 0 && group_of[2] == 0 && group_of[3] == 0);
}

/* A group's share of the deal, in index order, and on the collector what
 * each other group is to send. */
static void each_group_gets_its_points_in_order_and_counts_the_others(void)
{
    const double periods[] = {6, 12, 18, 24};
    size_t mine[4], count = 99, awaited[2] = {0, 0};
    fmc_team_inbox inbox = {awaited, 0};
    /* as above: group 0 takes points 0 and 3, group 1 points 1 and 2 */
    REQUIRE(fmc_team_deal(2, 2, 0, periods, 4, mine, &count, &inbox) == FMC_OK);
    CHECK(count == 2 && mine[0] == 0 && mine[1] == 3);
    CHECK(awaited[0] == 0 && awaited[1] == 2 && inbox.total == 2);
    /* a point counted, then a stop: nothing more awaited */
    fmc_team_inbox_count(&inbox, 1, 0);
    CHECK(awaited[1] == 1 && inbox.total == 1);
    fmc_team_inbox_count(&inbox, 1, 1);
    CHECK(awaited[1] == 0 && inbox.total == 0);
    REQUIRE(fmc_team_deal(2, 2, 1, periods, 4, mine, &count, NULL) == FMC_OK);
    CHECK(count == 2 && mine[0] == 1 && mine[1] == 2);
    /* nothing to deal */
    REQUIRE(fmc_team_deal(3, 2, 1, periods, 0, mine, &count, NULL) == FMC_OK);
    CHECK(count == 0);
}

TEST_MAIN_BEGIN
RUN_TEST(grid_means_follow_the_formula_point_by_point);
RUN_TEST(ties_and_runners_up_are_recorded);
RUN_TEST(sweeps_are_bit_identical_for_any_thread_count);
RUN_TEST(few_points_share_the_threads_with_the_same_results);
RUN_TEST(axis_effects_have_their_closed_forms);
RUN_TEST(uncertain_axis_effects_are_bit_identical_for_one_two_and_three_threads);
RUN_TEST(points_are_dealt_longest_first_by_load_per_process);
RUN_TEST(each_group_gets_its_points_in_order_and_counts_the_others);
TEST_MAIN_END
