/* Sobol indices of a scenario: when profit is a pure product of independent
 * inputs, every index and every group index has a closed form. */
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
    fmc_sobol_plan plan = {1 << 18, s->seed, 2, 0.95, 0, 0};
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
    fmc_sobol_plan plan = {0, 7, 1, 0.95, 0.02, 1 << 20};
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
    fmc_sobol_plan tight = {0, 7, 2, 0.95, 1e-6, 40000};
    REQUIRE(fmc_sensitivity_sobol(s, &tight, &one) == FMC_OK);
    CHECK(!one.precision_met && one.rows == 40000);
    fmc_sobol_result_clear(&one);
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(product_scenario_indices_and_groups_match_closed_forms);
RUN_TEST(sobol_stopping_rule_meets_its_target_the_same_way_for_any_thread_count);
TEST_MAIN_END
