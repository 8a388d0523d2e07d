/* The best set of levers for a budget: a knapsack solved on paper is found,
 * with its runners-up in order; the same sets and bit-identical figures for
 * one, two and three threads; the probability of a profit and a low
 * percentile choose the safe lever where the mean chooses the gamble; the
 * probability that an uncertain cost exceeds the budget matches its closed
 * form; a lever that changes the hours spends them. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "funnelmc/engine.h"
#include "funnelmc/portfolio.h"
#include "fixtures.h"

/* Every lever cuts a cost line of its own, so gains add up exactly; at an
 * hourly rate of 10 the net gains are a 640 (6 h), b 360 (4 h), c 560
 * (5 h), d 270 (3 h), e 100 (no hours).  With 10 hours: {a, b} (1000) is
 * the best pair; greedy by net gain per hour would take c (112 an hour)
 * first and end with {c, b} (920).  With e, which is free: a+b+e 1100,
 * b+c+e 1020, a+d+e 1010, a+b 1000, c+d+e 930. */
static const char *knapsack =
    "name: knapsack\nseed: 5\ninputs:\n"
    "  revenue_per_sale: 100\n  cost_of_goods: 10\n  followers: 1000\n"
    "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
    "  hourly_rate: 10\n  hours: 40\n"
    "costs: {a: 1000, b: 1000, c: 1000, d: 1000, e: 1000}\n"
    "levers:\n"
    "  cut_a: {a: {add: -700}, cost: {hours: 6}}\n"
    "  cut_b: {b: {add: -400}, cost: {hours: 4}}\n"
    "  cut_c: {c: {add: -610}, cost: {hours: 5}}\n"
    "  cut_d: {d: {add: -300}, cost: {hours: 3}}\n"
    "  cut_e: {e: {add: -100}}\n"
    "budget: {hours: 10}\n";

static fmc_status run_portfolio(const fmc_scenario *s, uint64_t n, int threads,
                                fmc_run_result *out)
{
    fmc_run_options o = fmc_run_options_default();
    o.samples = n;
    o.threads = threads;
    o.portfolio = 1;
    return fmc_simulate(s, &o, out);
}

#define SET(a, b, c, d, e) ((uint32_t)((a) | (b) << 1 | (c) << 2 | (d) << 3 | (e) << 4))

static void a_knapsack_solved_on_paper_is_found(void)
{
    fmc_scenario *s = load_text(knapsack);
    fmc_run_result r = {0};
    REQUIRE(run_portfolio(s, 5000, 2, &r) == FMC_OK);
    const fmc_portfolio_result *p = &r.portfolio;
    double baseline = r.outputs[FMC_OUT_PROFIT].mean;  /* 4500 - 400 - 5000 */
    CHECK_NEAR(baseline, -900, 1e-9);
    CHECK(p->levers == 5);
    CHECK(p->screened == 32);
    REQUIRE(p->count == FMC_PORTFOLIO_REPORTED);
    const uint32_t expected[] = {SET(1, 1, 0, 0, 1), SET(0, 1, 1, 0, 1), SET(1, 0, 0, 1, 1),
                                 SET(1, 1, 0, 0, 0), SET(0, 0, 1, 1, 1)};
    const double gains[] = {1100, 1020, 1010, 1000, 930};
    for (size_t k = 0; k < FMC_PORTFOLIO_REPORTED; k++) {
        CHECK(p->sets[k].members == expected[k]);
        CHECK_NEAR(p->sets[k].net_mean - baseline, gains[k], 1e-9);
        CHECK_NEAR(p->sets[k].objective, p->sets[k].net_mean, 0);
        CHECK_EXACT(p->sets[k].net_se, 0);
        CHECK_EXACT(p->sets[k].p_over, 0);
    }
    CHECK_EXACT(p->sets[0].extra_hours, 10);
    CHECK_EXACT(p->sets[0].extra_money, -1200);  /* cutting a cost line frees money */
    CHECK_EXACT(p->p_best_beats_second, 1);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* The knapsack with uncertain followers and an uncertain cost, so that
 * every figure has a spread to be summed in some order. */
static const char *uncertain_knapsack =
    "name: uncertain-knapsack\nseed: 9\ninputs:\n"
    "  revenue_per_sale: 100\n  cost_of_goods: 10\n"
    "  followers: {dist: lognormal, median: 1000, sigma: 0.3}\n"
    "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
    "  hourly_rate: {dist: uniform, min: 5, max: 15}\n  hours: 40\n"
    "costs: {a: 1000, b: 1000, c: 1000}\n"
    "levers:\n"
    "  cut_a: {a: {add: -700}, cost: {hours: {dist: uniform, min: 4, max: 8}}}\n"
    "  more_followers: {followers: {scale: {dist: triangular, min: 1, mode: 1.1, max: 1.4}},"
    " cost: {money: 150}}\n"
    "  cut_c: {c: {add: -610}, cost: {hours: 5}}\n"
    "budget: {hours: 10, money: 200}\n"
    "objective: p10\n";

static int same_set(const fmc_portfolio_set *a, const fmc_portfolio_set *b)
{
    return a->members == b->members && same_bits(&a->objective, &b->objective, 1) &&
           same_bits(&a->objective_se, &b->objective_se, 1) &&
           same_bits(a->objective_ci, b->objective_ci, 2) &&
           same_bits(&a->net_mean, &b->net_mean, 1) && same_bits(&a->net_se, &b->net_se, 1) &&
           same_bits(&a->extra_hours, &b->extra_hours, 1) &&
           same_bits(&a->extra_money, &b->extra_money, 1) &&
           same_bits(&a->p_over, &b->p_over, 1);
}

/* The same over a horizon: six months, a click rate drawn each month, a
 * lever that starts late with a one-off cost. */
static const char *horizon_knapsack =
    "name: horizon-knapsack\nseed: 10\ninputs:\n"
    "  revenue_per_sale: 100\n  cost_of_goods: 10\n"
    "  followers: {dist: lognormal, median: 1000, sigma: 0.3}\n"
    "  click_rate: {dist: beta, alpha: 25, beta: 75, draw: each_period}\n"
    "  optin_rate: 0.4\n  purchase_rate: 0.5\n"
    "  hourly_rate: {dist: uniform, min: 5, max: 15}\n  hours: 40\n"
    "costs: {ads: {dist: uniform, min: 0, max: 200}}\n"
    "horizon: {periods: 6, followers: {growth: 0.02, churn: 0.01}}\n"
    "levers:\n"
    "  better_content: {click_rate: {add: 0.05}, cost: {hours: {dist: uniform, min: 4, max: 12}}}\n"
    "  stop_ads: {ads: {set: 0}}\n"
    "  grow: {growth: {add: 0.02}, start: 2, one_off_cost: {money: 300}, cost: {money: 50}}\n"
    "budget: {hours: 10, money: 40}\n"
    "objective: p_profit\n";

static void check_thread_counts(const char *text)
{
    fmc_scenario *s = load_text(text);
    fmc_run_result r[3] = {{0}};
    for (int t = 0; t < 3; t++)
        REQUIRE(run_portfolio(s, 3 * 4096 + 1, t + 1, &r[t]) == FMC_OK);
    for (int t = 1; t < 3; t++) {
        const fmc_portfolio_result *a = &r[0].portfolio, *b = &r[t].portfolio;
        CHECK(a->count == b->count && a->candidates == b->candidates);
        for (size_t k = 0; k < a->count; k++)
            CHECK(same_set(&a->sets[k], &b->sets[k]));
        CHECK(same_bits(&a->p_best_beats_second, &b->p_best_beats_second, 1));
    }
    CHECK(r[0].portfolio.count >= 2);
    for (int t = 0; t < 3; t++)
        fmc_run_result_clear(&r[t]);
    fmc_scenario_free(s);
}

static void the_best_sets_are_bit_identical_for_one_two_and_three_threads(void)
{
    check_thread_counts(uncertain_knapsack);
    check_thread_counts(horizon_knapsack);
}

/* One hour for one of two levers: a gamble that cuts a cost line by
 * U(-1000, 1900) (mean 450) and a sure cut of 300.  The baseline loses
 * 200: the gamble's net profit is -200 + U, P(> 0) = 1700 / 2900 and P10
 * -910 (worse than doing nothing); the sure cut's is 100 in every sample. */
static const char *gamble =
    "name: gamble\nseed: 11\ninputs:\n"
    "  revenue_per_sale: 100\n  cost_of_goods: 10\n  followers: 1000\n"
    "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
    "  hourly_rate: 0\n  hours: 40\n"
    "costs: {rent: 700, risky: 2000, safe: 2000}\n"
    "levers:\n"
    "  gamble: {risky: {add: {dist: uniform, min: -1900, max: 1000}}, cost: {hours: 1}}\n"
    "  sure_cut: {safe: {add: -300}, cost: {hours: 1}}\n"
    "budget: {hours: 1}\n";

static const fmc_portfolio_result *run_with_objective(const char *objective, fmc_run_result *r)
{
    char text[1024];
    snprintf(text, sizeof text, "%sobjective: %s\n", gamble, objective);
    fmc_scenario *s = load_text(text);
    REQUIRE(run_portfolio(s, 40000, 2, r) == FMC_OK);
    fmc_scenario_free(s);
    return &r->portfolio;
}

static void a_low_percentile_and_the_probability_of_a_profit_choose_the_sure_lever(void)
{
    fmc_run_result r = {0};
    const fmc_portfolio_result *p = run_with_objective("mean", &r);
    REQUIRE(p->count == 3);  /* nothing, or one of them: both take 2 hours */
    CHECK(p->sets[0].members == 1);
    CHECK_NEAR(p->sets[0].net_mean, 250, 4.5 * p->sets[0].net_se);
    fmc_run_result_clear(&r);

    p = run_with_objective("p_profit", &r);
    CHECK(p->sets[0].members == 2);
    CHECK_EXACT(p->sets[0].objective, 1);
    CHECK(p->sets[1].members == 1);
    CHECK_NEAR(p->sets[1].objective, 1700.0 / 2900, 4.5 * p->sets[1].objective_se);
    fmc_run_result_clear(&r);

    p = run_with_objective("p10", &r);
    CHECK(p->sets[0].members == 2);
    CHECK_NEAR(p->sets[0].objective, 100, 1e-9);
    CHECK(p->sets[1].members == 0);  /* doing nothing loses less than the gamble's P10 */
    CHECK_NEAR(p->sets[1].objective, -200, 1e-9);
    CHECK(p->sets[2].members == 1);
    CHECK_NEAR(p->sets[2].objective, -910, 4.5 * p->sets[2].objective_se + 1);
    fmc_run_result_clear(&r);
}

/* A lever's hours are U(2, 6) against a budget of 5: its mean (4) fits,
 * and P(cost over budget) = 1 / 4.  Posting more (hours + 3) spends 3
 * hours of the budget though it costs nothing. */
static void the_probability_of_going_over_budget_has_its_closed_form(void)
{
    fmc_scenario *s = load_text(
        "name: over-budget\nseed: 23\n" WORKED_INPUTS
        "levers:\n"
        "  double_followers: {followers: {scale: 2}, cost: {hours: {dist: uniform, min: 2, "
        "max: 6}}}\n"
        "  post_more: {hours: {add: 3}}\n"
        "budget: {hours: 5}\n");
    fmc_run_result r = {0};
    REQUIRE(run_portfolio(s, 40000, 2, &r) == FMC_OK);
    const fmc_portfolio_result *p = &r.portfolio;
    REQUIRE(p->count == 3);  /* both together take 7 hours on average */
    CHECK(p->sets[0].members == 1);
    CHECK_NEAR(p->sets[0].p_over, 0.25, 4.5 * p->sets[0].p_over_se);
    CHECK_NEAR(p->sets[0].extra_hours, 4, 4.5 * 2 / sqrt(3) / sqrt(40000));
    for (size_t k = 1; k < p->count; k++)
        if (p->sets[k].members == 2) {
            CHECK_EXACT(p->sets[k].extra_hours, 3);
            CHECK_EXACT(p->sets[k].p_over, 0);
        }
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(a_knapsack_solved_on_paper_is_found);
RUN_TEST(the_best_sets_are_bit_identical_for_one_two_and_three_threads);
RUN_TEST(a_low_percentile_and_the_probability_of_a_profit_choose_the_sure_lever);
RUN_TEST(the_probability_of_going_over_budget_has_its_closed_form);
TEST_MAIN_END
