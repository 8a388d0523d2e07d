/* The profit model against the worked numbers of domain.md, exactly. */
#include <string.h>
#include "check.h"
#include "funnelmc/model.h"

/* R, Cg, F, Cr, Or, Pr, h, T of the worked example. */
static void worked_example(double v[FMC_FUNNEL_INPUT_COUNT])
{
    const double inputs[FMC_FUNNEL_INPUT_COUNT] = {100, 10, 1000, 0.25, 0.4, 0.5, 50, 40};
    memcpy(v, inputs, sizeof inputs);
}

static void worked_example_gives_profit_2500_and_roi_1_25(void)
{
    double v[FMC_FUNNEL_INPUT_COUNT], out[FMC_OUTPUT_COUNT];
    worked_example(v);
    fmc_model_eval(v, 0, out);
    CHECK_EXACT(out[FMC_OUT_SALES], 50);
    CHECK_EXACT(out[FMC_OUT_MARGIN], 4500);
    CHECK_EXACT(out[FMC_OUT_COST], 2000);
    CHECK_EXACT(out[FMC_OUT_PROFIT], 2500);
    CHECK_EXACT(out[FMC_OUT_ROI], 1.25);
}

static void doubling_followers_or_adding_rate_points_adds_4500(void)
{
    double v[FMC_FUNNEL_INPUT_COUNT], out[FMC_OUTPUT_COUNT];
    worked_example(v);
    v[FMC_FOLLOWERS] = 2000;
    fmc_model_eval(v, 0, out);
    CHECK_EXACT(out[FMC_OUT_PROFIT], 7000);

    worked_example(v);
    v[FMC_CLICK_RATE] = 0.40;
    v[FMC_OPTIN_RATE] = 0.50;
    fmc_model_eval(v, 0, out);
    CHECK_NEAR(out[FMC_OUT_PROFIT], 7000, 1e-9);

    worked_example(v);
    v[FMC_CLICK_RATE] *= 1.15;
    v[FMC_OPTIN_RATE] *= 1.10;
    fmc_model_eval(v, 0, out);
    CHECK_NEAR(out[FMC_OUT_PROFIT] - 2500, 1192.5, 1e-9);
}

static void break_even_followers_is_444_44(void)
{
    double v[FMC_FUNNEL_INPUT_COUNT], out[FMC_OUTPUT_COUNT];
    worked_example(v);
    v[FMC_FOLLOWERS] = 2000.0 / (90 * 0.25 * 0.4 * 0.5);
    fmc_model_eval(v, 0, out);
    CHECK_NEAR(v[FMC_FOLLOWERS], 444.444444, 1e-6);
    CHECK_NEAR(out[FMC_OUT_PROFIT], 0, 1e-9);
}

static void half_an_hour_a_day_at_10_costs_1300_a_year(void)
{
    double v[FMC_FUNNEL_INPUT_COUNT] = {0}, out[FMC_OUTPUT_COUNT];
    v[FMC_HOURLY_RATE] = 10;
    v[FMC_HOURS] = 0.5 * 52 * 5;
    fmc_model_eval(v, 0, out);
    CHECK_EXACT(out[FMC_OUT_COST], 1300);
    CHECK_EXACT(out[FMC_OUT_PROFIT], -1300);
    CHECK_EXACT(out[FMC_OUT_ROI], -1);
}

static void cost_lines_are_subtracted_and_zero_cost_leaves_roi_undefined(void)
{
    double v[FMC_FUNNEL_INPUT_COUNT + 2], out[FMC_OUTPUT_COUNT];
    worked_example(v);
    v[FMC_FUNNEL_INPUT_COUNT] = 100;      /* ads */
    v[FMC_FUNNEL_INPUT_COUNT + 1] = 29;   /* tools */
    fmc_model_eval(v, 2, out);
    CHECK_EXACT(out[FMC_OUT_COST], 2129);
    CHECK_EXACT(out[FMC_OUT_PROFIT], 2371);
    CHECK_NEAR(out[FMC_OUT_ROI], 2371.0 / 2129, 1e-15);

    worked_example(v);
    v[FMC_HOURS] = 0;
    fmc_model_eval(v, 0, out);
    CHECK_EXACT(out[FMC_OUT_PROFIT], 4500);
    CHECK(isnan(out[FMC_OUT_ROI]));
}

static void block_evaluation_equals_single_evaluation(void)
{
    enum { N = 37, D = FMC_FUNNEL_INPUT_COUNT + 1 };
    double columns[D][N], results[FMC_OUTPUT_COUNT][N];
    const double *inputs[D];
    double *outputs[FMC_OUTPUT_COUNT];
    for (int j = 0; j < D; j++) {
        for (int i = 0; i < N; i++)
            columns[j][i] = (j == FMC_CLICK_RATE || j == FMC_OPTIN_RATE || j == FMC_PURCHASE_RATE)
                                ? 0.01 * (i + j + 1)
                                : 2.385 * (i + 1) + j;
        inputs[j] = columns[j];
    }
    for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
        outputs[k] = results[k];
    fmc_model_eval_block(inputs, 1, N, outputs);
    double profit_only[N];
    fmc_model_profit_block(inputs, 1, N, profit_only);
    CHECK(memcmp(profit_only, results[FMC_OUT_PROFIT], sizeof profit_only) == 0);
    for (int i = 0; i < N; i++) {
        double v[D], out[FMC_OUTPUT_COUNT];
        for (int j = 0; j < D; j++)
            v[j] = columns[j][i];
        fmc_model_eval(v, 1, out);
        for (int k = 0; k < FMC_OUTPUT_COUNT; k++)
            CHECK(memcmp(&out[k], &results[k][i], sizeof(double)) == 0);
    }
}

static void input_names_round_trip(void)
{
    for (int i = 0; i < FMC_FUNNEL_INPUT_COUNT; i++)
        CHECK(fmc_input_find(fmc_input_name((fmc_input_id)i)) == i);
    CHECK(fmc_input_find("likes") == -1);
    CHECK(fmc_input_is_rate(FMC_CLICK_RATE) && !fmc_input_is_rate(FMC_FOLLOWERS));
    CHECK(strcmp(fmc_output_name(FMC_OUT_ROI), "roi") == 0);
}

TEST_MAIN_BEGIN
RUN_TEST(worked_example_gives_profit_2500_and_roi_1_25);
RUN_TEST(doubling_followers_or_adding_rate_points_adds_4500);
RUN_TEST(break_even_followers_is_444_44);
RUN_TEST(half_an_hour_a_day_at_10_costs_1300_a_year);
RUN_TEST(cost_lines_are_subtracted_and_zero_cost_leaves_roi_undefined);
RUN_TEST(block_evaluation_equals_single_evaluation);
RUN_TEST(input_names_round_trip);
TEST_MAIN_END
