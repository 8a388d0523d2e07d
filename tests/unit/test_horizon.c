/* The horizon model against closed forms: the worked example followed over
 * months with growth and churn, discounting, a budget's rollover worked by
 * hand, a payback period, levers that start late and ramp up, a growth
 * lever that compounds, effort that drives growth; inputs drawn each period
 * against the variance of a sum; one period equal to no horizon bit for
 * bit; and the same bits for 1, 2 and 3 threads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/engine.h"
#include "funnelmc/horizon.h"

/* The worked example (profit 2500 = 4.5 F - 2000) with HORIZON and LEVERS
 * (YAML text, may be ""). */
static fmc_scenario *worked_over(const char *horizon, const char *levers)
{
    char text[4096];
    snprintf(text, sizeof text, "name: months\n" WORKED_INPUTS "%s%s", horizon, levers);
    return load_text(text);
}

static fmc_run_result run_levers(const fmc_scenario *s, uint64_t n, int threads)
{
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, n, threads, 0, s->lever_count > 0, NULL, NULL, &r) == FMC_OK);
    return r;
}

/* sum of x^(t-1), t = 1 .. n */
static double geometric(double x, int n)
{
    double sum = 0;
    for (int t = 0; t < n; t++)
        sum += pow(x, t);
    return sum;
}

static void followers_grow_by_growth_less_churn_from_period_one(void)
{
    fmc_scenario *s = worked_over("horizon:\n  periods: 12\n"
                                  "  followers: {growth: 0.05, churn: 0.01}\n", "");
    fmc_run_result r = run_levers(s, 10000, 2);
    /* F_t = 1000 x 1.04^(t-1): period 1 has the followers input itself */
    double total = 4.5 * 1000 * geometric(1.04, 12) - 12 * 2000;
    CHECK_NEAR(r.outputs[FMC_OUT_PROFIT].mean, total, 1e-9 * total);
    CHECK_EXACT(r.outputs[FMC_OUT_PROFIT].sd, 0);
    CHECK_NEAR(r.base[FMC_OUT_PROFIT], total, 1e-9 * total);
    CHECK_NEAR(r.outputs[FMC_OUT_SALES].mean, 0.05 * 1000 * geometric(1.04, 12), 1e-9);
    REQUIRE(r.horizon.periods == 12);
    for (int t = 1; t <= 12; t++)
        CHECK_NEAR(r.horizon.profit[t - 1].mean, 4.5 * 1000 * pow(1.04, t - 1) - 2000, 1e-9);
    CHECK_EXACT(r.horizon.payback.median, 1);
    CHECK_EXACT(r.horizon.payback.p_never, 0);
    /* to the cent, the worked example over a year */
    CHECK_NEAR(r.outputs[FMC_OUT_PROFIT].mean, 43616.12, 0.005);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static void a_discount_rate_discounts_from_period_two(void)
{
    fmc_scenario *s = worked_over("horizon:\n  periods: 6\n  discount_rate: 0.01\n"
                                  "  followers: {growth: 0.1}\n", "");
    fmc_run_result r = run_levers(s, 5000, 1);
    double total = 0;
    for (int t = 1; t <= 6; t++)
        total += (4.5 * 1000 * pow(1.1, t - 1) - 2000) / pow(1.01, t - 1);
    CHECK_NEAR(r.outputs[FMC_OUT_PROFIT].mean, total, 1e-9 * total);
    /* each period's own profit is reported undiscounted */
    CHECK_NEAR(r.horizon.profit[5].mean, 4.5 * 1000 * pow(1.1, 5) - 2000, 1e-9);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* The 3-month example of docs/scenario-format.md: ads wanted 200 a month,
 * planned 300, 100, 100.  With rollover: spend 200 (100 left), 200 (100 +
 * 100), 100; without: 200, 100, 100. */
static void a_budget_rolls_over_as_worked_by_hand(void)
{
    static const char *const texts[] = {
        "name: budget\n" WORKED_INPUTS "costs:\n  ads: 200\n"
        "horizon:\n  periods: 3\n  budgets:\n    ads: {plan: [300, 100, 100], rollover: true}\n",
        "name: budget\n" WORKED_INPUTS "costs:\n  ads: 200\n"
        "horizon:\n  periods: 3\n  budgets:\n    ads: {plan: [300, 100, 100]}\n"};
    const double spend[2][3] = {{200, 200, 100}, {200, 100, 100}};
    for (int k = 0; k < 2; k++) {
        fmc_scenario *s = load_text(texts[k]);
        fmc_run_result r = run_levers(s, 2000, 2);
        CHECK_NEAR(r.outputs[FMC_OUT_PROFIT].mean,
                   3 * 2500 - (spend[k][0] + spend[k][1] + spend[k][2]), 1e-9);
        for (int t = 0; t < 3; t++)
            CHECK_NEAR(r.horizon.profit[t].mean, 2500 - spend[k][t], 1e-9);
        fmc_run_result_clear(&r);
        fmc_scenario_free(s);
    }
}

/* 100 hours cost 5000: profit_t = 4500 x 1.1^(t-1) - 5000 is -500, -50,
 * 445, 989.5; cumulative -500, -550, -105, 884.5: it pays back in period 4,
 * and not within a horizon of 3. */
static void a_deterministic_payback_period_is_exact(void)
{
    const int periods[] = {6, 3};
    for (int k = 0; k < 2; k++) {
        char text[2048];
        snprintf(text, sizeof text,
                 "name: payback\ninputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                 "  followers: 1000\n  click_rate: 0.25\n  optin_rate: 0.4\n"
                 "  purchase_rate: 0.5\n  hourly_rate: 50\n  hours: 100\n"
                 "horizon:\n  periods: %d\n  followers: {growth: 0.1}\n", periods[k]);
        fmc_scenario *s = load_text(text);
        fmc_run_result r = run_levers(s, 1000, 1);
        if (k == 0) {
            CHECK_EXACT(r.horizon.payback.median, 4);
            CHECK_EXACT(r.horizon.payback.p_never, 0);
            CHECK(r.horizon.payback.counts[3] == 1000);
        } else {
            CHECK(isinf(r.horizon.payback.median));
            CHECK_EXACT(r.horizon.payback.p_never, 1);
            CHECK_NEAR(r.outputs[FMC_OUT_PROFIT].mean, -105, 1e-9);
        }
        fmc_run_result_clear(&r);
        fmc_scenario_free(s);
    }
}

/* Doubling followers from period 3, ramping over 2 periods, over 5
 * periods: gains 0, 0, 2250, 4500, 4500; a one-off cost of 1000 in period
 * 3 and 100 a period from then: net flows 0, 0, 1150, 4400, 4400, so it
 * pays back in period 3. */
static void a_lever_starts_late_ramps_up_and_pays_its_one_off_cost(void)
{
    fmc_scenario *s = worked_over("horizon:\n  periods: 5\n",
                                  "levers:\n  grow:\n    followers: {scale: 2}\n"
                                  "    start: 3\n    ramp: 2\n"
                                  "    cost: {money: 100}\n    one_off_cost: {money: 1000}\n");
    fmc_run_result r = run_levers(s, 3000, 2);
    const double gain[5] = {0, 0, 2250, 4500, 4500}, cost[5] = {0, 0, 1100, 100, 100};
    REQUIRE(r.levers.periods == 5);
    for (int t = 0; t < 5; t++) {
        CHECK_NEAR(r.levers.period_gain[t], gain[t], 1e-9);
        CHECK_NEAR(r.levers.period_net[t], gain[t] - cost[t], 1e-9);
    }
    CHECK_NEAR(r.levers.gain[0].mean, 11250, 1e-9);
    CHECK_NEAR(r.levers.net[0].mean, 11250 - 1300, 1e-9);
    CHECK_NEAR(r.levers.mean_cost[0], 1300, 1e-9);
    CHECK_EXACT(r.levers.payback[0].median, 3);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* A lever on growth compounds: F_t = 1000 x 1.05^(t-1) against 1000. */
static void a_growth_lever_compounds(void)
{
    fmc_scenario *s = worked_over("horizon:\n  periods: 12\n",
                                  "levers:\n  grow:\n    growth: {add: 0.05}\n");
    fmc_run_result r = run_levers(s, 2000, 2);
    double gain = 4.5 * 1000 * (geometric(1.05, 12) - 12);
    CHECK_NEAR(r.levers.gain[0].mean, gain, 1e-9 * gain);
    CHECK_NEAR(r.levers.period_gain[11], 4.5 * 1000 * (pow(1.05, 11) - 1), 1e-6);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* Doubling hours with response 0.5 multiplies reach and a positive growth
 * by sqrt(2): F'_t = 1000 sqrt(2) (1 + 0.1 sqrt(2))^(t-1), time cost 4000. */
static void effort_drives_growth_as_it_drives_reach(void)
{
    fmc_scenario *s = worked_over("horizon:\n  periods: 6\n  followers: {growth: 0.1}\n",
                                  "levers:\n  more_time:\n    hours: {scale: 2, response: 0.5}\n");
    fmc_run_result r = run_levers(s, 2000, 2);
    double with = 4.5 * 1000 * sqrt(2) * geometric(1 + 0.1 * sqrt(2), 6) - 6 * 4000;
    double without = 4.5 * 1000 * geometric(1.1, 6) - 6 * 2000;
    CHECK_NEAR(r.levers.gain[0].mean, with - without, 1e-9 * fabs(with));
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* Hours U(30, 50) at 50 an hour over 12 periods, all else fixed: drawn
 * once, the time cost has sd 50 x 12 x 20 / sqrt(12); drawn each period,
 * the sum of 12 independent draws has sd 50 x sqrt(12) x 20 / sqrt(12). */
static void inputs_drawn_each_period_add_up_as_independent_draws(void)
{
    static const char *const draws[] = {"once", "each_period"};
    const double sd[] = {50 * 12 * 20 / sqrt(12), 50 * sqrt(12) * 20 / sqrt(12)};
    for (int k = 0; k < 2; k++) {
        char text[4096];
        snprintf(text, sizeof text,
                 "name: draws\ninputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                 "  followers: 1000\n  click_rate: 0.25\n  optin_rate: 0.4\n"
                 "  purchase_rate: 0.5\n  hourly_rate: 50\n"
                 "  hours: {dist: uniform, min: 30, max: 50, draw: %s}\n"
                 "horizon:\n  periods: 12\n", draws[k]);
        fmc_scenario *s = load_text(text);
        uint64_t n = 200000;
        fmc_run_result r = run_levers(s, n, 2);
        const fmc_output_summary *p = &r.outputs[FMC_OUT_PROFIT];
        CHECK_NEAR(p->mean, 12 * 4500 - 50 * 12 * 40, 4.5 * p->se);
        /* the sd of a sample sd is about sd / sqrt(2 n) for a near-normal
         * sum; the uniform's kurtosis widens it a little: 6 of those */
        CHECK_NEAR(p->sd, sd[k], 6 * sd[k] / sqrt(2.0 * (double)n));
        /* each period's hours vary alike, whichever way they are drawn */
        CHECK_NEAR(r.horizon.profit[11].sd, 50 * 20 / sqrt(12), 6 * 1000 / sqrt(12 * 2.0 * n));
        fmc_run_result_clear(&r);
        fmc_scenario_free(s);
    }
}

/* A horizon of one period is the one-period run, bit for bit. */
static void one_period_is_the_scenario_without_a_horizon(void)
{
    static const char *const horizons[] = {"", "horizon:\n  periods: 1\n",
                                           "horizon:\n  periods: 1\n  followers: {growth: 0.3}\n"};
    fmc_run_result r[3];
    for (int k = 0; k < 3; k++) {
        char text[4096];
        snprintf(text, sizeof text, "name: one\n" REFERENCE_INPUTS "%s", horizons[k]);
        fmc_scenario *s = load_text(text);
        r[k] = run_levers(s, 100000, 2);
        fmc_scenario_free(s);
    }
    for (int k = 1; k < 3; k++) {
        CHECK(same_summaries(r[0].outputs, r[k].outputs, FMC_SUMMARY_COUNT));
        CHECK(same_summary(&r[0].outputs[FMC_OUT_PROFIT], &r[k].horizon.profit[0]));
    }
    for (int k = 0; k < 3; k++)
        fmc_run_result_clear(&r[k]);
}

/* Growth uncertain, hours drawn each period, a lever that starts late on
 * an uncertain scale: every figure the same for 1, 2 and 3 threads. */
static void horizon_results_are_bit_identical_for_any_thread_count(void)
{
    fmc_scenario *s = load_text(
        "name: threads\n" REFERENCE_INPUTS
        "horizon:\n  periods: 8\n  discount_rate: 0.01\n"
        "  followers:\n    growth: {dist: normal, mean: 0.03, sd: 0.02, min: -0.5, max: 1}\n"
        "    churn: {dist: uniform, min: 0, max: 0.02, draw: each_period}\n"
        "  budgets:\n    ads: {plan: 120, rollover: true}\n"
        "levers:\n  grow:\n    growth: {add: {dist: uniform, min: 0, max: 0.02}}\n"
        "    start: 2\n    ramp: 3\n    one_off_cost: {money: 300}\n"
        "  photos:\n    purchase_rate: {scale: 1.1}\n");
    fmc_run_result r[3];
    for (int k = 0; k < 3; k++)
        r[k] = run_levers(s, 3 * 4096 + 1, k + 1);
    for (int k = 1; k < 3; k++) {
        CHECK(same_summaries(r[0].outputs, r[k].outputs, FMC_SUMMARY_COUNT));
        CHECK(same_summaries(r[0].horizon.profit, r[k].horizon.profit, 8));
        CHECK(memcmp(r[0].horizon.payback.counts, r[k].horizon.payback.counts,
                     9 * sizeof(uint64_t)) == 0);
        for (size_t l = 0; l < 2; l++) {
            CHECK(same_lever(&r[0].levers, l, &r[k].levers, l));
            CHECK(memcmp(r[0].levers.payback[l].counts, r[k].levers.payback[l].counts,
                         9 * sizeof(uint64_t)) == 0);
        }
        CHECK(same_bits(r[0].levers.period_gain, r[k].levers.period_gain, 16));
        CHECK(same_bits(r[0].levers.period_net_se, r[k].levers.period_net_se, 16));
    }
    for (int k = 0; k < 3; k++)
        fmc_run_result_clear(&r[k]);
    fmc_scenario_free(s);
}

/* A table of the draws of later periods, made beforehand, gives the paths
 * of the draws made on the way, bit for bit, from any first sample: in a
 * window of a design, the table filled in chunks (one crossed here). */
static void a_table_of_period_draws_gives_the_same_paths(void)
{
    fmc_scenario *s = load_text(
        "name: table\n" REFERENCE_INPUTS
        "horizon:\n  periods: 5\n"
        "  followers:\n    growth: {dist: uniform, min: 0, max: 0.1, draw: each_period}\n");
    enum { N = 10000, FIRST = 3500, COUNT = 1500 };
    fmc_sampler **samplers;
    REQUIRE(fmc_scenario_samplers_alloc(s, 1, &samplers) == FMC_OK);
    fmc_period_table table;
    fmc_draws draws = fmc_draws_mc(7, s->input_count, 5);
    draws.design = (fmc_design){FMC_DESIGN_QMC, 4, 65536};
    draws.first = 123457;
    REQUIRE(fmc_period_table_fill(&table, s, samplers, &draws, 5, N) == FMC_OK);
    CHECK(fmc_period_table_bytes(s, 5, N) == 4 * 1 * N * sizeof(double));
    /* period 1's values: the inputs at their base, the growth drawn */
    static double columns[FMC_MAX_INPUTS][COUNT];
    const double *drawn[FMC_MAX_INPUTS];
    for (size_t j = 0; j < s->input_count; j++) {
        for (size_t i = 0; i < COUNT; i++)
            columns[j][i] = s->inputs[j].base * (1 + 0.001 * (double)(i % 7));
        drawn[j] = columns[j];
    }
    static double with[COUNT], without[COUNT];
    double *out_with[FMC_OUTPUT_COUNT] = {NULL}, *out_without[FMC_OUTPUT_COUNT] = {NULL};
    out_with[FMC_OUT_PROFIT] = with;
    out_without[FMC_OUT_PROFIT] = without;
    fmc_path *path;
    REQUIRE(fmc_path_alloc(s, COUNT, 0, &path) == FMC_OK);
    fmc_path_source drawing = {samplers, &draws, NULL, FIRST, NULL}, tabled = drawing;
    tabled.table = &table;
    fmc_path_eval(path, &drawing, 5, drawn, COUNT, NULL, NULL, 0,
                  &(fmc_path_outputs){.outputs = out_without});
    fmc_path_eval(path, &tabled, 5, drawn, COUNT, NULL, NULL, 0,
                  &(fmc_path_outputs){.outputs = out_with});
    CHECK(same_bits(with, without, COUNT));
    CHECK(!same_bits(with, with + 1, COUNT - 1));  /* the growth does vary */
    fmc_path_free(path);
    fmc_period_table_clear(&table);
    fmc_scenario_samplers_free(samplers, s->input_count);
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(followers_grow_by_growth_less_churn_from_period_one);
RUN_TEST(a_discount_rate_discounts_from_period_two);
RUN_TEST(a_budget_rolls_over_as_worked_by_hand);
RUN_TEST(a_deterministic_payback_period_is_exact);
RUN_TEST(a_lever_starts_late_ramps_up_and_pays_its_one_off_cost);
RUN_TEST(a_growth_lever_compounds);
RUN_TEST(effort_drives_growth_as_it_drives_reach);
RUN_TEST(inputs_drawn_each_period_add_up_as_independent_draws);
RUN_TEST(one_period_is_the_scenario_without_a_horizon);
RUN_TEST(horizon_results_are_bit_identical_for_any_thread_count);
RUN_TEST(a_table_of_period_draws_gives_the_same_paths);
TEST_MAIN_END
