/* The whole analysis of a scenario: what summary_only leaves out, the worked
 * example's figures exactly, the stopping rules taken from the options or
 * the scenario, and a failure that names its step and leaves nothing. */
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/analysis.h"
#include "funnelmc/sensitivity.h"

static fmc_analysis_options options(uint64_t samples, int summary_only)
{
    fmc_analysis_options o = fmc_analysis_options_default();
    o.run.samples = samples;
    o.run.threads = 2;
    o.summary_only = summary_only;
    return o;
}

static void defaults_defer_the_stopping_rules_to_the_scenario(void)
{
    fmc_analysis_options o = fmc_analysis_options_default();
    CHECK(o.precision_mean < 0 && o.precision_sobol < 0);
    CHECK(!o.summary_only && !o.combine && o.base_samples == 0);
    CHECK(o.run.samples == 0 && !o.run.seed_given && o.run.threads == 0);
}

static void worked_example_summary_only_has_the_worked_figures_and_nothing_else(void)
{
    fmc_scenario *s = load_worked_example();
    fmc_analysis_options o = options(1000, 1);
    fmc_analysis a;
    REQUIRE(fmc_analyse(s, &o, &a) == FMC_OK);
    CHECK(a.failed == NULL);
    CHECK(a.summary_only && !a.has_levers && !a.has_sobol);
    /* sales 50, margin 4500, time 2000: profit 2500, ROI (4500 - 2000) / 2000 */
    CHECK_EXACT(a.result.outputs[FMC_OUT_PROFIT].mean, 2500);
    CHECK_EXACT(a.result.outputs[FMC_OUT_PROFIT].sd, 0);
    CHECK_EXACT(a.result.outputs[FMC_OUT_ROI].mean, 1.25);
    CHECK_EXACT(a.result.outputs[FMC_OUT_SALES].mean, 50);
    CHECK(a.result.samples == 1000);
    /* the scenario has three levers, but a summary measures none of them */
    CHECK(a.result.levers.count == 0 && a.result.levers.gain == NULL);
    CHECK(a.result.drivers.count == 0 && a.result.drivers.spearman == NULL);
    CHECK(a.tornado.count == 0 && a.tornado.order == NULL);
    CHECK(a.sobol.first == NULL);
    fmc_analysis_clear(&a);
    fmc_analysis_clear(NULL);
    fmc_scenario_free(s);
}

static void worked_example_full_analysis_has_levers_pairs_drivers_and_tornado(void)
{
    fmc_scenario *s = load_worked_example();
    fmc_analysis_options o = options(1000, 0);
    o.combine = 1;
    fmc_analysis a;
    REQUIRE(fmc_analyse(s, &o, &a) == FMC_OK);
    CHECK(a.failed == NULL);
    CHECK(!a.summary_only && a.has_levers);
    CHECK(!a.has_sobol && a.sobol.first == NULL);  /* sobol: false in the scenario */
    CHECK_EXACT(a.result.outputs[FMC_OUT_PROFIT].mean, 2500);
    REQUIRE(a.result.levers.count == 3);
    const fmc_lever_results *l = &a.result.levers;
    /* F 1000 -> 2000: 90 x 2000 x 0.25 x 0.4 x 0.5 - 4500 */
    CHECK_EXACT(l->gain[0].mean, 4500);
    /* Cr 0.25 -> 0.40, Or 0.4 -> 0.5: 90 x 1000 x 0.4 x 0.5 x 0.5 - 4500 */
    CHECK_NEAR(l->gain[1].mean, 4500, 1e-9);
    /* x1.15 x1.10: 4500 (1.265 - 1) */
    CHECK_NEAR(l->gain[2].mean, 1192.5, 1e-9);
    /* the scenario does not combine its levers: the option does */
    REQUIRE(l->pairs == 3);
    CHECK(l->pair_first[0] == 0 && l->pair_second[0] == 1);
    /* both at once: 90 x 2000 x 0.4 x 0.5 x 0.5 - 4500 = 13500; interaction
     * 13500 - 4500 - 4500 */
    CHECK_NEAR(l->combined[0].mean, 13500, 1e-9);
    CHECK_NEAR(l->interaction[0].mean, 4500, 1e-9);
    /* equivalents are part of a full analysis: doubling F = +90 of R */
    CHECK_NEAR(l->equivalent_add[0 * l->inputs + FMC_REVENUE_PER_SALE], 90, 1e-7);
    /* every input fixed: the drivers are there, and all zero */
    REQUIRE(a.result.drivers.count == 8);
    for (size_t j = 0; j < 8; j++)
        CHECK_EXACT(a.result.drivers.spearman[j], 0);
    REQUIRE(a.tornado.count == 8);
    CHECK_EXACT(a.tornado.base_profit, 2500);
    for (size_t b = 0; b < a.tornado.count; b++)
        CHECK_EXACT(a.tornado.swing[b], 0);
    fmc_analysis_clear(&a);
    fmc_scenario_free(s);
}

static void reference_full_analysis_has_sobol_at_the_asked_rows_and_summary_only_has_none(void)
{
    fmc_scenario *s = load_reference();
    fmc_analysis_options o = options(20000, 0);
    o.base_samples = 3000;
    fmc_analysis full, summary;
    REQUIRE(fmc_analyse(s, &o, &full) == FMC_OK);
    CHECK(full.has_sobol && full.has_levers);
    CHECK(full.sobol.rows == 3000);
    REQUIRE(full.sobol.first != NULL);
    /* followers alone carries most of the variance (its first index, the
     * share of variance it explains by itself, is over a half) */
    CHECK(full.sobol.first[FMC_FOLLOWERS].value > 0.5);
    CHECK(full.result.levers.count == 3 && full.result.levers.pairs == 0);
    CHECK(full.tornado.count == 10 && full.tornado.order[0] == FMC_FOLLOWERS);
    o.summary_only = 1;
    REQUIRE(fmc_analyse(s, &o, &summary) == FMC_OK);
    CHECK(!summary.has_sobol && !summary.has_levers && summary.sobol.first == NULL);
    CHECK(summary.tornado.count == 0 && summary.result.drivers.count == 0);
    /* the same draws: the summary of profit is the same with or without the rest */
    CHECK_EXACT(summary.result.outputs[FMC_OUT_PROFIT].mean, full.result.outputs[FMC_OUT_PROFIT].mean);
    CHECK_EXACT(summary.result.outputs[FMC_OUT_PROFIT].sd, full.result.outputs[FMC_OUT_PROFIT].sd);
    fmc_analysis_clear(&full);
    fmc_analysis_clear(&summary);
    fmc_scenario_free(s);
}

/* The reference scenario with a stopping rule on the mean of profit. */
static fmc_scenario *reference_with_precision(void)
{
    const char *reference = fmc_reference_text();
    static char text[8192];
    REQUIRE(strlen(reference) + 64 < sizeof text);
    snprintf(text, sizeof text, "%s\nprecision: {mean: 8}\n", reference);
    return load_text(text);
}

static void the_mean_stopping_rule_comes_from_the_options_or_else_the_scenario(void)
{
    const uint64_t checkpoint = (uint64_t)FMC_CHECKPOINT_BLOCKS * FMC_BLOCK_SIZE;
    fmc_scenario *plain = load_reference(), *ruled = reference_with_precision();
    CHECK_EXACT(ruled->precision_mean, 8);
    fmc_analysis_options o = options(20000, 1);
    fmc_analysis by_option, by_scenario, overridden;
    o.precision_mean = 8;
    REQUIRE(fmc_analyse(plain, &o, &by_option) == FMC_OK);
    CHECK(by_option.result.precision_met && by_option.result.mean_half_width <= 8);
    CHECK_EXACT(by_option.result.precision_target, 8);
    CHECK(by_option.result.samples % checkpoint == 0 && by_option.result.samples > 20000);
    /* the rule stops at the first checkpoint where the half-width is met: at
     * the one before, it was wider (it falls as 1 / sqrt(n)) */
    uint64_t n = by_option.result.samples;
    if (n > checkpoint)
        CHECK(by_option.result.mean_half_width * sqrt((double)n / (double)(n - checkpoint)) > 8 * 0.97);
    /* -1: the scenario's rule, which stops at the same place */
    o.precision_mean = -1;
    REQUIRE(fmc_analyse(ruled, &o, &by_scenario) == FMC_OK);
    CHECK(by_scenario.result.samples == n && by_scenario.result.precision_met);
    /* 0: no rule, whatever the scenario says: the asked samples */
    o.precision_mean = 0;
    REQUIRE(fmc_analyse(ruled, &o, &overridden) == FMC_OK);
    CHECK(overridden.result.samples == 20000 && !overridden.result.precision_met);
    CHECK_EXACT(overridden.result.precision_target, 0);
    fmc_analysis_clear(&by_option);
    fmc_analysis_clear(&by_scenario);
    fmc_analysis_clear(&overridden);
    fmc_scenario_free(plain);
    fmc_scenario_free(ruled);
}

static void the_sobol_stopping_rule_extends_the_design_in_checks(void)
{
    fmc_scenario *s = load_reference();
    fmc_analysis_options o = options(20000, 0);
    o.base_samples = 3000;    /* ignored under a rule */
    o.precision_sobol = 0.05;
    fmc_analysis a;
    REQUIRE(fmc_analyse(s, &o, &a) == FMC_OK);
    REQUIRE(a.has_sobol);
    CHECK(a.sobol.precision_met && a.sobol.max_half_width <= 0.05);
    CHECK(a.sobol.rows % FMC_SOBOL_CHECK_ROWS == 0);
    for (size_t j = 0; j < s->input_count; j++) {
        CHECK(a.sobol.first[j].ci[1] - a.sobol.first[j].value <= 0.05 + 1e-12);
        CHECK(a.sobol.total[j].ci[1] - a.sobol.total[j].value <= 0.05 + 1e-12);
    }
    fmc_analysis_clear(&a);
    fmc_scenario_free(s);
}

static fmc_status refuse(void *context, uint64_t first, size_t count, const double *const *inputs,
                         const double *const *outputs)
{
    (void)context, (void)first, (void)count, (void)inputs, (void)outputs;
    return FMC_EIO;
}

static void a_failure_names_its_step_and_leaves_an_empty_analysis(void)
{
    fmc_scenario *s = load_reference();
    fmc_analysis a;
    /* the simulation: a sink that fails gives its status */
    fmc_analysis_options o = options(20000, 0);
    o.run.sink = refuse;
    CHECK(fmc_analyse(s, &o, &a) == FMC_EIO);
    CHECK(a.failed && strcmp(a.failed, "simulation") == 0);
    CHECK(a.result.levers.gain == NULL && a.result.drivers.spearman == NULL);
    CHECK(a.tornado.order == NULL && a.sobol.first == NULL);
    fmc_analysis_clear(&a);
    /* the simulation again: cancelled before it starts */
    static volatile sig_atomic_t raised = 1;
    o = options(20000, 1);
    o.run.cancel = &raised;
    CHECK(fmc_analyse(s, &o, &a) == FMC_ECANCELLED);
    CHECK(a.failed && strcmp(a.failed, "simulation") == 0);
    fmc_analysis_clear(&a);
    /* the Sobol indices: a design of one row has no variance to share */
    o = options(20000, 0);
    o.base_samples = 1;
    CHECK(fmc_analyse(s, &o, &a) != FMC_OK);
    CHECK(a.failed && strcmp(a.failed, "Sobol indices") == 0);
    CHECK(a.result.levers.gain == NULL && a.tornado.order == NULL && a.sobol.first == NULL);
    fmc_analysis_clear(&a);
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(defaults_defer_the_stopping_rules_to_the_scenario);
RUN_TEST(worked_example_summary_only_has_the_worked_figures_and_nothing_else);
RUN_TEST(worked_example_full_analysis_has_levers_pairs_drivers_and_tornado);
RUN_TEST(reference_full_analysis_has_sobol_at_the_asked_rows_and_summary_only_has_none);
RUN_TEST(the_mean_stopping_rule_comes_from_the_options_or_else_the_scenario);
RUN_TEST(the_sobol_stopping_rule_extends_the_design_in_checks);
RUN_TEST(a_failure_names_its_step_and_leaves_an_empty_analysis);
TEST_MAIN_END
