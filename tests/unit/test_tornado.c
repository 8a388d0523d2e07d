/* One-at-a-time tornado: bars checked against each input's CDF written out
 * in closed form and against the profit formula written out by hand. */
#include <gsl/gsl_cdf.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/tornado.h"

/* (R - Cg) F Cr Or Pr - h T - ads - tools, written out independently. */
static double hand_profit(const double v[10])
{
    return (v[0] - v[1]) * v[2] * v[3] * v[4] * v[5] - v[6] * v[7] - v[8] - v[9];
}

static double triangular_cdf(double x, double low, double mode, double high)
{
    return x < mode ? (x - low) * (x - low) / ((high - low) * (mode - low))
                    : 1 - (high - x) * (high - x) / ((high - low) * (high - mode));
}

/* The CDF of input J of the reference scenario at X, from its laws: beta
 * mean 0.4, sd 0.05 is beta(38, 57) (alpha + beta = m (1 - m) / sd^2 - 1). */
static double reference_cdf(size_t j, double x)
{
    double z4 = gsl_cdf_ugaussian_P(4) - gsl_cdf_ugaussian_P(-4);
    switch (j) {
    case FMC_REVENUE_PER_SALE: return triangular_cdf(x, 80, 100, 130);
    case FMC_COST_OF_GOODS: return triangular_cdf(x, 8, 10, 14);
    case FMC_FOLLOWERS: return gsl_cdf_ugaussian_P(log(x / 1000) / 0.4);
    case FMC_CLICK_RATE: return gsl_cdf_beta_P(x, 25, 75);
    case FMC_OPTIN_RATE: return gsl_cdf_beta_P(x, 38, 57);
    case FMC_PURCHASE_RATE: return gsl_cdf_beta_P(x, 50, 50);
    case FMC_HOURLY_RATE: return (x - 40) / 20;
    case FMC_HOURS: return (gsl_cdf_ugaussian_P((x - 40) / 5) - gsl_cdf_ugaussian_P(-4)) / z4;
    case 8: return x / 200;  /* ads */
    default: return NAN;     /* tools: 29 */
    }
}

static void bars_are_exact_quantiles_and_profits_sorted_by_swing(void)
{
    fmc_scenario *s = load_reference();
    fmc_tornado t;
    REQUIRE(fmc_tornado_compute(s, &t) == FMC_OK);
    CHECK(t.count == 10);
    double base[10];
    for (int j = 0; j < 10; j++)
        base[j] = s->inputs[j].base;
    CHECK_NEAR(t.base_profit, hand_profit(base), 1e-9 * fabs(t.base_profit));
    for (size_t b = 0; b < t.count; b++) {
        size_t j = t.order[b];
        if (j == 9) {
            CHECK_EXACT(t.low_value[b], 29);
            CHECK_EXACT(t.high_value[b], 29);
        } else {
            CHECK_NEAR(reference_cdf(j, t.low_value[b]), 0.10, 1e-9);
            CHECK_NEAR(reference_cdf(j, t.high_value[b]), 0.90, 1e-9);
        }
        double v[10];
        memcpy(v, base, sizeof v);
        v[j] = t.low_value[b];
        double low = hand_profit(v);
        v[j] = t.high_value[b];
        double high = hand_profit(v);
        CHECK_NEAR(t.low_profit[b], low, 1e-9 * fabs(low));
        CHECK_NEAR(t.high_profit[b], high, 1e-9 * fabs(high));
        CHECK_NEAR(t.swing[b], fabs(high - low), 1e-9 * (fabs(high) + fabs(low)));
        if (b > 0)
            CHECK(t.swing[b - 1] >= t.swing[b]);
    }
    /* the largest bar: followers, lognormal(median 1000, sigma 0.4) at P10 and P90 */
    CHECK(t.order[0] == FMC_FOLLOWERS);
    CHECK_NEAR(t.low_value[0], 1000 * exp(0.4 * gsl_cdf_ugaussian_Pinv(0.10)), 1e-9);
    CHECK_NEAR(t.high_value[0], 1000 * exp(0.4 * gsl_cdf_ugaussian_Pinv(0.90)), 1e-9);
    /* the constant cost line has no swing and comes last */
    CHECK(t.order[t.count - 1] == 9 && t.swing[t.count - 1] == 0);
    /* the spider at 10 % and 90 % repeats the bars */
    for (size_t b = 0; b < t.count; b++) {
        size_t j = t.order[b];
        CHECK_NEAR(t.spider_levels[1], 0.10, 1e-15);
        CHECK_EXACT(t.spider_value[j * FMC_SPIDER_LEVELS + 1], t.low_value[b]);
        CHECK_EXACT(t.spider_profit[j * FMC_SPIDER_LEVELS + 17], t.high_profit[b]);
        for (int k = 1; k < FMC_SPIDER_LEVELS; k++)
            CHECK(t.spider_value[j * FMC_SPIDER_LEVELS + k] >= t.spider_value[j * FMC_SPIDER_LEVELS + k - 1]);
    }
    fmc_tornado_clear(&t);
    fmc_tornado_clear(NULL);
    fmc_scenario_free(s);
}

static void scenario_percentiles_are_used(void)
{
    fmc_scenario *s = load_reference();
    s->tornado_low = 2.5;
    s->tornado_high = 97.5;
    fmc_tornado t;
    REQUIRE(fmc_tornado_compute(s, &t) == FMC_OK);
    CHECK_EXACT(t.low_percentile, 2.5);
    for (size_t b = 0; b < t.count; b++)
        if (t.order[b] != 9)  /* tools, a constant */
            CHECK_NEAR(reference_cdf(t.order[b], t.high_value[b]), 0.975, 1e-9);
    /* hours: N(40, 5) truncated to [20, 60], i.e. to z in [-4, 4]; its 97.5 % point
     * is 40 + 5 Phi^-1(Phi(-4) + 0.975 (Phi(4) - Phi(-4))), a little inside 1.96 sd */
    double lower = gsl_cdf_ugaussian_P(-4), upper = gsl_cdf_ugaussian_P(4);
    double expected = 40 + 5 * gsl_cdf_ugaussian_Pinv(lower + 0.975 * (upper - lower));
    for (size_t b = 0; b < t.count; b++)
        if (t.order[b] == FMC_HOURS) {
            CHECK_NEAR(t.high_value[b], expected, 1e-9);
            CHECK(t.high_value[b] < 40 + 5 * 1.959963985);
        }
    fmc_tornado_clear(&t);
    fmc_scenario_free(s);
}

static void worked_example_has_no_swing(void)
{
    fmc_scenario *s = load_worked_example();
    fmc_tornado t;
    REQUIRE(fmc_tornado_compute(s, &t) == FMC_OK);
    CHECK_EXACT(t.base_profit, 2500);
    for (size_t b = 0; b < t.count; b++) {
        CHECK_EXACT(t.swing[b], 0);
        CHECK_EXACT(t.low_profit[b], 2500);
        CHECK(t.order[b] == b);  /* equal swings keep the scenario order */
    }
    fmc_tornado_clear(&t);
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(bars_are_exact_quantiles_and_profits_sorted_by_swing);
RUN_TEST(scenario_percentiles_are_used);
RUN_TEST(worked_example_has_no_swing);
TEST_MAIN_END
