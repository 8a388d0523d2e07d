/* Sobol indices of a scenario: when profit is a pure product of independent
 * inputs, every index and every group index has a closed form; over a
 * horizon, so do those of cumulative profit with uncertain growth, and of an
 * input drawn each period against the same input drawn once. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/sensitivity.h"

/* Cost of goods and hourly rate 0: profit = R F Cr Or Pr. */
static const char *product_scenario =
    "name: product\n"
    "seed: 2385\n"
    "inputs:\n"
    "  revenue_per_sale: {dist: triangular, min: 80, mode: 100, max: 130}\n"
    "  cost_of_goods: 0\n"
    "  followers: {dist: lognormal, median: 1000, sigma: 0.4}\n"
    "  click_rate: {dist: beta, alpha: 25, beta: 75}\n"
    "  optin_rate: {dist: beta, mean: 0.4, sd: 0.05}\n"
    "  purchase_rate: {dist: beta, alpha: 50, beta: 50}\n"
    "  hourly_rate: 0\n"
    "  hours: {dist: normal, mean: 40, sd: 5, min: 20, max: 60}\n";

static void product_scenario_indices_and_groups_match_closed_forms(void)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    REQUIRE(fmc_scenario_load_text(product_scenario, strlen(product_scenario), "product", &s,
                                   &diags) == FMC_OK);
    double c2[FMC_FUNNEL_INPUT_COUNT] = {0}, all = 1;
    const int factors[] = {FMC_REVENUE_PER_SALE, FMC_FOLLOWERS, FMC_CLICK_RATE, FMC_OPTIN_RATE,
                           FMC_PURCHASE_RATE};
    for (int k = 0; k < 5; k++) {
        const fmc_dist *d = &s->inputs[factors[k]].dist;
        c2[factors[k]] = fmc_dist_variance(d) / (fmc_dist_mean(d) * fmc_dist_mean(d));
        all *= 1 + c2[factors[k]];
    }
    fmc_sobol_result r;
    fmc_sobol_plan plan = {1 << 18, s->seed, 2, 0.95, 0, 0, NULL, FMC_DESIGN_MC, 1};
    REQUIRE(fmc_sensitivity_sobol(s, &plan, &r) == FMC_OK);
    for (int j = 0; j < FMC_FUNNEL_INPUT_COUNT; j++) {
        double first = c2[j] / (all - 1), total = c2[j] * (all / (1 + c2[j])) / (all - 1);
        CHECK_NEAR(r.first[j].value, first, 4.5 * r.first[j].se + 1e-15);
        CHECK_NEAR(r.total[j].value, total, 4.5 * r.total[j].se + 1e-15);
    }
    /* fixed inputs and hours (which multiply a zero hourly rate) have no effect */
    CHECK_EXACT(r.first[FMC_COST_OF_GOODS].value, 0);
    CHECK_EXACT(r.total[FMC_HOURLY_RATE].value, 0);
    CHECK_EXACT(r.total[FMC_HOURS].value, 0);
    double conversion = (1 + c2[FMC_CLICK_RATE]) * (1 + c2[FMC_OPTIN_RATE]) *
                        (1 + c2[FMC_PURCHASE_RATE]);
    CHECK(strcmp(fmc_group_name(0), "conversion") == 0);
    CHECK_NEAR(r.group_first[0].value, (conversion - 1) / (all - 1), 4.5 * r.group_first[0].se);
    CHECK_NEAR(r.group_total[0].value, 1 - (all / conversion - 1) / (all - 1),
               4.5 * r.group_total[0].se);
    /* audience is followers alone */
    CHECK(same_estimates(&r.group_first[1], &r.first[FMC_FOLLOWERS], 1));
    CHECK_NEAR(r.group_first[2].value, c2[FMC_REVENUE_PER_SALE] / (all - 1),
               4.5 * r.group_first[2].se);
    CHECK_EXACT(r.group_total[3].value, 0);
    /* price_and_cost and time each have one uncertain input: they are those inputs */
    CHECK(same_estimates(&r.group_total[2], &r.total[FMC_REVENUE_PER_SALE], 1));
    CHECK(same_estimates(&r.group_first[3], &r.first[FMC_HOURS], 1));
    /* model runs per row: A, B, the six uncertain inputs (hours has no effect
     * but is uncertain), and the conversion group; the other groups share */
    CHECK(r.model_runs == (uint64_t)(1 << 18) * (2 + 6 + 1));
    fmc_sobol_result_clear(&r);
    fmc_scenario_free(s);
}

static void sobol_stopping_rule_meets_its_target_the_same_way_for_any_thread_count(void)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    REQUIRE(fmc_scenario_load_text(product_scenario, strlen(product_scenario), "product", &s,
                                   &diags) == FMC_OK);
    fmc_sobol_result one, three;
    fmc_sobol_plan plan = {0, 7, 1, 0.95, 0.02, 1 << 20, NULL, FMC_DESIGN_MC, 1};
    REQUIRE(fmc_sensitivity_sobol(s, &plan, &one) == FMC_OK);
    plan.threads = 3;
    REQUIRE(fmc_sensitivity_sobol(s, &plan, &three) == FMC_OK);
    CHECK(one.precision_met && one.max_half_width <= 0.02);
    CHECK(one.rows % FMC_SOBOL_CHECK_ROWS == 0 && one.rows > FMC_SOBOL_CHECK_ROWS);
    CHECK(one.rows == three.rows && one.max_half_width == three.max_half_width);
    CHECK(same_estimates(one.first, three.first, s->input_count));
    CHECK(same_estimates(one.total, three.total, s->input_count));
    CHECK(same_estimates(one.group_first, three.group_first, FMC_GROUP_COUNT));
    CHECK(same_estimates(one.group_total, three.group_total, FMC_GROUP_COUNT));
    for (size_t j = 0; j < s->input_count; j++)
        CHECK(1.959964 * one.total[j].se <= 0.02 + 1e-12);
    fmc_sobol_result_clear(&one);
    fmc_sobol_result_clear(&three);
    /* the limit: not met */
    fmc_sobol_plan tight = {0, 7, 2, 0.95, 1e-6, 40000, NULL, FMC_DESIGN_MC, 1};
    REQUIRE(fmc_sensitivity_sobol(s, &tight, &one) == FMC_OK);
    CHECK(!one.precision_met && one.rows == 40000);
    fmc_sobol_result_clear(&one);
    fmc_scenario_free(s);
}

/* The worked example (margin per follower M = 90 x 0.25 x 0.4 x 0.5 = 4.5,
 * time cost 50 x 40 = 2000 a period) with followers uniform on
 * [640, 1385], HOURS and HORIZON (YAML text): the horizon tests' scenario. */
static fmc_scenario *uncertain_followers(const char *hours, const char *horizon)
{
    char text[2048];
    snprintf(text, sizeof text,
             "name: uncertain-followers\n"
             "seed: 2385\n"
             "inputs:\n"
             "  revenue_per_sale: 100\n  cost_of_goods: 10\n"
             "  followers: {dist: uniform, min: 640, max: 1385}\n"
             "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
             "  hourly_rate: 50\n  hours: %s\n%s",
             hours, horizon);
    return load_text(text);
}

/* E[(1 + g)^n] for g uniform on [A, B]. */
static double growth_moment(double a, double b, int n)
{
    return (pow(1 + b, n + 1) - pow(1 + a, n + 1)) / ((n + 1) * (b - a));
}

static void growth_and_followers_indices_of_cumulative_profit_match_closed_forms(void)
{
    /* Over T periods with no churn, F_t = F (1 + g)^(t - 1), so cumulative
     * profit is M F S(g) - 2000 T with S(g) = sum_{k < T} (1 + g)^k.  With F
     * and g independent:
     *   V   = M^2 (E[F^2] E[S^2] - E[F]^2 E[S]^2)
     *   V_F = M^2 Var(F) E[S]^2,   V_g = M^2 E[F]^2 Var(S)
     * and the moments of S are sums of the moments of (1 + g) (above). */
    enum { T = 12 };
    const double a = 0.005, b = 0.0715, lo = 640, hi = 1385;
    double es = 0, es2 = 0;
    for (int k = 0; k < T; k++) {
        es += growth_moment(a, b, k);
        for (int l = 0; l < T; l++)
            es2 += growth_moment(a, b, k + l);
    }
    double ef = (lo + hi) / 2, var_f = (hi - lo) * (hi - lo) / 12, ef2 = var_f + ef * ef;
    double v = ef2 * es2 - ef * ef * es * es;
    double first_f = var_f * es * es / v, first_g = ef * ef * (es2 - es * es) / v;
    fmc_scenario *s = uncertain_followers(
        "40", "horizon:\n  periods: 12\n"
              "  followers: {growth: {dist: uniform, min: 0.005, max: 0.0715}}\n");
    size_t growth = s->horizon->growth, churn = s->horizon->churn;
    fmc_sobol_result r;
    fmc_sobol_plan plan = {1 << 17, s->seed, 2, 0.95, 0, 0, NULL, FMC_DESIGN_MC, 1};
    REQUIRE(fmc_sensitivity_sobol(s, &plan, &r) == FMC_OK);
    CHECK_NEAR(r.first[FMC_FOLLOWERS].value, first_f, 4.5 * r.first[FMC_FOLLOWERS].se);
    CHECK_NEAR(r.first[growth].value, first_g, 4.5 * r.first[growth].se);
    /* the rest of the variance is their interaction */
    CHECK_NEAR(r.total[FMC_FOLLOWERS].value, 1 - first_g, 4.5 * r.total[FMC_FOLLOWERS].se);
    CHECK_NEAR(r.total[growth].value, 1 - first_f, 4.5 * r.total[growth].se);
    CHECK(r.first[growth].se < 0.01 && first_g > 0.15 && first_f > 0.6);
    CHECK_EXACT(r.total[churn].value, 0);
    /* the audience (followers, growth, churn) is all there is */
    CHECK_NEAR(r.group_first[1].value, 1, 4.5 * r.group_first[1].se + 1e-12);
    CHECK_NEAR(r.group_total[1].value, 1, 4.5 * r.group_total[1].se + 1e-12);
    CHECK_EXACT(r.group_total[2].value, 0);
    CHECK_NEAR(r.mean, 4.5 * ef * es - 2000 * T, 0.01 * 4.5 * ef * es);
    CHECK_NEAR(r.variance, 4.5 * 4.5 * v, 0.03 * 4.5 * 4.5 * v);
    fmc_sobol_result_clear(&r);
    fmc_scenario_free(s);
}

/* Sobol indices of the scenario above over HORIZON, with the hours uniform
 * on [20, 60] and drawn each period or once. */
static void hours_indices(int each_period, const char *horizon, int threads, fmc_sobol_result *r)
{
    fmc_scenario *s = uncertain_followers(each_period
                                              ? "{dist: uniform, min: 20, max: 60, draw: each_period}"
                                              : "{dist: uniform, min: 20, max: 60, draw: once}",
                                          horizon);
    REQUIRE(s->inputs[FMC_HOURS].each_period == each_period);
    fmc_sobol_plan plan = {1 << 16, s->seed, threads, 0.95, 0, 0, NULL, FMC_DESIGN_MC, 1};
    REQUIRE(fmc_sensitivity_sobol(s, &plan, r) == FMC_OK);
    fmc_scenario_free(s);
}

static void an_input_drawn_each_period_explains_periods_times_less(void)
{
    /* Cumulative profit over T periods, with hours T_t in period t:
     *   T M F - 50 sum_t T_t
     * Drawn once, sum_t T_t = T x T_1 has variance T^2 var(T_1); drawn each
     * period, T var(T_1).  With V_F = T^2 M^2 var(F) and V_h that:
     * S_h = V_h / (V_F + V_h) and S_F = 1 - S_h, first and total alike. */
    enum { T = 12 };
    double var_f = 745.0 * 745.0 / 12, var_h = 40.0 * 40.0 / 12;
    double v_f = T * T * 4.5 * 4.5 * var_f;
    double v_once = T * T * 50.0 * 50 * var_h, v_each = T * 50.0 * 50 * var_h;
    double once = v_once / (v_f + v_once), each = v_each / (v_f + v_each);
    fmc_sobol_result r;
    const double expected[2] = {once, each};
    for (int each_period = 0; each_period <= 1; each_period++) {
        hours_indices(each_period, "horizon:\n  periods: 12\n", 2, &r);
        double share = expected[each_period];
        CHECK_NEAR(r.first[FMC_HOURS].value, share, 4.5 * r.first[FMC_HOURS].se);
        CHECK_NEAR(r.total[FMC_HOURS].value, share, 4.5 * r.total[FMC_HOURS].se);
        CHECK_NEAR(r.first[FMC_FOLLOWERS].value, 1 - share, 4.5 * r.first[FMC_FOLLOWERS].se);
        CHECK(r.first[FMC_HOURS].se < 0.01 && r.first[FMC_FOLLOWERS].se < 0.01);
        printf("     hours drawn %s: S %.4f +- %.4f, truth %.4f\n",
               each_period ? "each period" : "once", r.first[FMC_HOURS].value,
               r.first[FMC_HOURS].se, share);
        /* time is the hours alone */
        CHECK(same_estimates(&r.group_first[3], &r.first[FMC_HOURS], 1));
        fmc_sobol_result_clear(&r);
    }
    CHECK(once > 0.25 && each < 0.03);
}

static void horizon_indices_are_bit_identical_for_any_thread_count(void)
{
    const char *horizon =
        "horizon:\n  periods: 7\n"
        "  followers:\n    growth: {dist: normal, mean: 0.03, sd: 0.02, min: -0.5, max: 1}\n"
        "    churn: 0.01\n";
    enum { INPUTS = FMC_FUNNEL_INPUT_COUNT + 2 };
    fmc_sobol_result r[3];
    for (int t = 0; t < 3; t++) {
        hours_indices(1, horizon, t + 1, &r[t]);
        CHECK(r[t].rows == 1 << 16 && r[t].first[FMC_HOURS].value > 0.001);
    }
    for (int t = 1; t < 3; t++) {
        CHECK(r[0].mean == r[t].mean && r[0].variance == r[t].variance);
        CHECK(same_estimates(r[0].first, r[t].first, INPUTS));
        CHECK(same_estimates(r[0].total, r[t].total, INPUTS));
        CHECK(same_estimates(r[0].group_first, r[t].group_first, FMC_GROUP_COUNT));
        CHECK(same_estimates(r[0].group_total, r[t].group_total, FMC_GROUP_COUNT));
    }
    for (int t = 0; t < 3; t++)
        fmc_sobol_result_clear(&r[t]);
}

static void a_horizon_of_one_period_gives_the_one_period_indices_bit_for_bit(void)
{
    char text[2048];
    snprintf(text, sizeof text, "%shorizon:\n  periods: 1\n  followers: {growth: 0.03, churn: 0.01}\n",
             product_scenario);
    fmc_scenario *s = load_text(product_scenario), *over = load_text(text);
    REQUIRE(over->horizon && over->horizon->periods == 1);
    fmc_sobol_plan plan = {20000, s->seed, 2, 0.95, 0, 0, NULL, FMC_DESIGN_MC, 1};
    fmc_sobol_result one, path;
    REQUIRE(fmc_sensitivity_sobol(s, &plan, &one) == FMC_OK);
    REQUIRE(fmc_sensitivity_sobol(over, &plan, &path) == FMC_OK);
    CHECK(one.mean == path.mean && one.variance == path.variance);
    CHECK(one.model_runs == path.model_runs);
    CHECK(same_estimates(one.first, path.first, FMC_FUNNEL_INPUT_COUNT));
    CHECK(same_estimates(one.total, path.total, FMC_FUNNEL_INPUT_COUNT));
    CHECK(same_estimates(one.group_first, path.group_first, FMC_GROUP_COUNT));
    CHECK(same_estimates(one.group_total, path.group_total, FMC_GROUP_COUNT));
    fmc_sobol_result_clear(&one);
    fmc_sobol_result_clear(&path);
    fmc_scenario_free(s);
    fmc_scenario_free(over);
}

/* Under qmc with 16 replicates: the product scenario's closed forms within
 * 4.5 replicate standard errors, base rows in whole replicates of a power
 * of two of rows, and the stopping rule met by whole designs of doubling size, the
 * same way for any thread count. */
static void designs_with_replicates_meet_closed_forms_and_the_stopping_rule(void)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    REQUIRE(fmc_scenario_load_text(product_scenario, strlen(product_scenario), "product", &s,
                                   &diags) == FMC_OK);
    fmc_sobol_result r;
    /* 100000 rows: 16 replicates of 6250 rows, rounded up to 8192 = 2^13, where
     * Sobol' points are balanced */
    fmc_sobol_plan plan = {100000, s->seed, 2, 0.95, 0, 0, NULL, FMC_DESIGN_QMC, 16};
    REQUIRE(fmc_sensitivity_sobol(s, &plan, &r) == FMC_OK);
    CHECK(r.rows == 16 * 8192);
    /* one randomisation of qmc has no honest error: refused */
    fmc_sobol_plan single = plan;
    single.replicates = 1;
    fmc_sobol_result refused;
    CHECK(fmc_sensitivity_sobol(s, &single, &refused) == FMC_EINVAL);
    CHECK(r.design.method == FMC_DESIGN_QMC && r.design.replicates == 16);
    double c2[FMC_FUNNEL_INPUT_COUNT] = {0}, all = 1;
    const int factors[] = {FMC_REVENUE_PER_SALE, FMC_FOLLOWERS, FMC_CLICK_RATE, FMC_OPTIN_RATE,
                           FMC_PURCHASE_RATE};
    for (int k = 0; k < 5; k++) {
        const fmc_dist *d = &s->inputs[factors[k]].dist;
        c2[factors[k]] = fmc_dist_variance(d) / (fmc_dist_mean(d) * fmc_dist_mean(d));
        all *= 1 + c2[factors[k]];
    }
    for (int k = 0; k < 5; k++) {
        int j = factors[k];
        CHECK(r.first[j].se > 0);
        CHECK_NEAR(r.first[j].value, c2[j] / (all - 1), 4.5 * r.first[j].se);
        CHECK_NEAR(r.total[j].value, c2[j] * (all / (1 + c2[j])) / (all - 1), 4.5 * r.total[j].se);
    }
    fmc_sobol_result_clear(&r);
    fmc_sobol_result one, three;
    fmc_sobol_plan rule = {0, 7, 1, 0.95, 0.02, 1 << 20, NULL, FMC_DESIGN_QMC, 16};
    REQUIRE(fmc_sensitivity_sobol(s, &rule, &one) == FMC_OK);
    rule.threads = 3;
    REQUIRE(fmc_sensitivity_sobol(s, &rule, &three) == FMC_OK);
    CHECK(one.precision_met && one.max_half_width <= 0.02);
    CHECK(one.rows % (16 * FMC_SOBOL_BLOCK) == 0);
    CHECK(one.rows == three.rows && same_estimates(one.first, three.first, s->input_count));
    fmc_sobol_result_clear(&one);
    fmc_sobol_result_clear(&three);
    fmc_sobol_plan tight = {0, 7, 2, 0.95, 1e-6, 40000, NULL, FMC_DESIGN_LHS, 4};
    REQUIRE(fmc_sensitivity_sobol(s, &tight, &one) == FMC_OK);
    CHECK(!one.precision_met && one.rows == 4 * 10 * FMC_SOBOL_BLOCK);
    fmc_sobol_result_clear(&one);
    /* without correlations: the four fixed groups, every index defined */
    CHECK(fmc_sensitivity_group_count(s) == FMC_GROUP_COUNT);
    CHECK(fmc_sensitivity_input_set(s, FMC_FOLLOWERS) == -1);
    fmc_scenario_free(s);
}

/* Followers and click rate correlated (the example): they are one
 * factor, a fifth group "followers+click_rate"; their own indices, and
 * those of the fixed groups that hold one of them (conversion, audience),
 * are NaN; every other index is defined; the set costs one run per row,
 * and the indices are bit-identical for any thread count. */
static void a_correlated_set_is_one_factor(void)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    REQUIRE(fmc_scenario_load_text(product_scenario, strlen(product_scenario), "product", &s,
                                   &diags) == FMC_OK);
    fmc_rank_correlation pair = {FMC_FOLLOWERS, FMC_CLICK_RATE, -0.4};
    fmc_copula_problem problem = {0};
    REQUIRE(fmc_copula_alloc(s->input_count, &pair, 1, &s->copula, &problem) == FMC_OK);
    CHECK(fmc_sensitivity_group_count(s) == FMC_GROUP_COUNT + 1);
    char label[64];
    fmc_sensitivity_group_label(s, FMC_GROUP_COUNT, label, sizeof label);
    CHECK(strcmp(label, "followers+click_rate") == 0);
    CHECK(fmc_sensitivity_input_set(s, FMC_CLICK_RATE) == FMC_GROUP_COUNT);
    CHECK(fmc_sensitivity_input_set(s, FMC_OPTIN_RATE) == -1);
    fmc_sobol_result one, three;
    fmc_sobol_plan plan = {1 << 16, s->seed, 1, 0.95, 0, 0, NULL, FMC_DESIGN_QMC, 8};
    REQUIRE(fmc_sensitivity_sobol(s, &plan, &one) == FMC_OK);
    plan.threads = 3;
    REQUIRE(fmc_sensitivity_sobol(s, &plan, &three) == FMC_OK);
    CHECK(one.group_count == FMC_GROUP_COUNT + 1);
    CHECK(isnan(one.first[FMC_FOLLOWERS].value) && isnan(one.total[FMC_CLICK_RATE].value));
    CHECK(isnan(one.group_first[0].value) && isnan(one.group_total[1].value));
    CHECK(!isnan(one.first[FMC_OPTIN_RATE].value) && !isnan(one.group_first[2].value));
    const fmc_sobol_estimate *set_first = &one.group_first[FMC_GROUP_COUNT];
    const fmc_sobol_estimate *set_total = &one.group_total[FMC_GROUP_COUNT];
    CHECK(set_first->se > 0 && set_first->value > 0.1 && set_first->value < 1);
    CHECK(set_total->value >= set_first->value - 4.5 * (set_first->se + set_total->se));
    /* A, B, revenue, optin, purchase, hours (uncertain), and the set; the
     * time group is hours alone, price_and_cost revenue alone */
    CHECK(one.model_runs == one.rows * (2 + 4 + 1));
    CHECK(one.rows == three.rows && same_estimates(one.first, three.first, s->input_count));
    CHECK(same_estimates(one.group_first, three.group_first, FMC_GROUP_COUNT + 1));
    fmc_sobol_result_clear(&one);
    fmc_sobol_result_clear(&three);
    fmc_copula_free(s->copula);
    s->copula = NULL;
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(product_scenario_indices_and_groups_match_closed_forms);
RUN_TEST(sobol_stopping_rule_meets_its_target_the_same_way_for_any_thread_count);
RUN_TEST(growth_and_followers_indices_of_cumulative_profit_match_closed_forms);
RUN_TEST(an_input_drawn_each_period_explains_periods_times_less);
RUN_TEST(horizon_indices_are_bit_identical_for_any_thread_count);
RUN_TEST(a_horizon_of_one_period_gives_the_one_period_indices_bit_for_bit);
RUN_TEST(designs_with_replicates_meet_closed_forms_and_the_stopping_rule);
RUN_TEST(a_correlated_set_is_one_factor);
TEST_MAIN_END
