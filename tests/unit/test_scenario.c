/* Scenario reading: the contract's example parsed field by field, defaults,
 * sweep ranges, rates given as counts (their exact Beta posteriors), and
 * several independent errors reported in one pass with their line, column
 * and key.  (tests/cli/test_cli.py breaks every rule of
 * the contract one by one through the command line.) */
#include <string.h>
#include "check.h"
#include "funnelmc/scenario.h"

static fmc_scenario *load_text(const char *text, fmc_diagnostics *diags)
{
    fmc_scenario *s = NULL;
    fmc_diagnostics_init(diags);
    fmc_scenario_load_text(text, strlen(text), "test.yaml", &s, diags);
    return s;
}

static void reference_scenario_is_read_field_by_field(void)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    REQUIRE(fmc_scenario_load_file(FMC_SOURCE_DIR "/scenarios/reference.yaml", &s, &diags) == FMC_OK);
    CHECK(diags.count == 0);
    CHECK(strcmp(s->name, "widget-shop") == 0);
    CHECK(strcmp(s->period, "month") == 0);
    CHECK(s->samples == 1000000 && s->seed == 20261122);
    CHECK(s->input_count == 10 && fmc_scenario_cost_lines(s) == 2);
    for (int i = 0; i < FMC_FUNNEL_INPUT_COUNT; i++)
        CHECK(strcmp(s->inputs[i].name, fmc_input_name((fmc_input_id)i)) == 0);
    CHECK(s->inputs[FMC_REVENUE_PER_SALE].dist.kind == FMC_DIST_TRIANGULAR);
    CHECK_EXACT(s->inputs[FMC_REVENUE_PER_SALE].dist.mode, 100);
    CHECK(s->inputs[FMC_FOLLOWERS].dist.kind == FMC_DIST_LOGNORMAL);
    CHECK_NEAR(s->inputs[FMC_FOLLOWERS].dist.mu, log(1000), 1e-15);
    CHECK_EXACT(s->inputs[FMC_FOLLOWERS].dist.sigma, 0.4);
    CHECK_EXACT(s->inputs[FMC_CLICK_RATE].dist.shape1, 25);
    CHECK_NEAR(fmc_dist_mean(&s->inputs[FMC_OPTIN_RATE].dist), 0.4, 1e-15);
    CHECK(s->inputs[FMC_HOURS].dist.kind == FMC_DIST_NORMAL);
    CHECK_EXACT(s->inputs[FMC_HOURS].dist.min, 20);
    CHECK_EXACT(s->inputs[FMC_HOURS].dist.max, 60);
    CHECK_NEAR(s->inputs[FMC_HOURS].base, 40, 1e-12);  /* default base: the mean */
    CHECK(strcmp(s->inputs[8].name, "ads") == 0 && strcmp(s->inputs[9].name, "tools") == 0);
    CHECK(s->inputs[9].dist.kind == FMC_DIST_CONSTANT);
    CHECK_EXACT(s->inputs[9].base, 29);

    CHECK(s->lever_count == 3);
    CHECK(strcmp(s->levers[1].name, "better_content") == 0);
    CHECK(s->levers[1].change_count == 2);
    CHECK(s->levers[1].changes[0].input == FMC_CLICK_RATE);
    CHECK(s->levers[1].changes[0].op == FMC_CHANGE_ADD);
    CHECK_EXACT(s->levers[1].changes[1].amount, 0.10);
    CHECK_EXACT(s->levers[1].cost_hours, 10);
    CHECK(s->levers[2].changes[0].op == FMC_CHANGE_SET);

    CHECK_EXACT(s->tornado_low, 10);
    CHECK_EXACT(s->tornado_high, 90);
    CHECK(s->sobol == 1 && s->base_samples == 100000);
    CHECK_EXACT(s->confidence, 0.95);

    CHECK(s->sweep_count == 1);
    const fmc_sweep *sweep = &s->sweeps[0];
    CHECK(sweep->samples == 100000 && sweep->axis_count == 2);
    CHECK(sweep->axes[0].input == FMC_FOLLOWERS && sweep->axes[0].value_count == 5);
    CHECK_EXACT(sweep->axes[0].values[4], 8);
    CHECK(sweep->axes[1].op == FMC_CHANGE_ADD && sweep->axes[1].value_count == 7);
    CHECK_EXACT(sweep->axes[1].values[0], -0.1);
    CHECK_NEAR(sweep->axes[1].values[3], 0.05, 1e-15);
    CHECK_EXACT(sweep->axes[1].values[6], 0.2);
    CHECK(strstr(s->text, "followers_vs_click") != NULL);
    fmc_scenario_free(s);
}

static void worked_example_is_built_in_with_every_input_fixed(void)
{
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(fmc_worked_example_text(), &diags);
    REQUIRE(s != NULL);
    CHECK(diags.count == 0);
    const double expected[] = {100, 10, 1000, 0.25, 0.4, 0.5, 50, 40};
    for (int i = 0; i < FMC_FUNNEL_INPUT_COUNT; i++) {
        CHECK(s->inputs[i].dist.kind == FMC_DIST_CONSTANT);
        CHECK_EXACT(s->inputs[i].base, expected[i]);
    }
    CHECK(s->lever_count == 3);
    fmc_scenario_free(s);
}

static const char *minimal =
    "name: tiny\n"
    "inputs:\n"
    "  revenue_per_sale: 100\n"
    "  cost_of_goods: 10\n"
    "  followers: {dist: gamma, shape: 4, scale: 250, base: 900}\n"
    "  click_rate: {dist: pert, min: 0.1, mode: 0.25, max: 0.3}\n"
    "  optin_rate: {dist: discrete, values: [0.3, 0.4], weights: [1, 3]}\n"
    "  purchase_rate: {dist: empirical, data: [0.4, 0.5, 0.6]}\n"
    "  hourly_rate: {dist: lognormal, mean: 50, sd: 10}\n"
    "  hours: {dist: constant, value: 40}\n"
    "sweeps:\n"
    "  grow:\n"
    "    axes:\n"
    "      followers: {scale: {from: 0.5, to: 8, steps: 5, spacing: log}}\n";

static void optional_keys_take_their_documented_defaults(void)
{
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(minimal, &diags);
    fmc_diagnostics_print(&diags, stderr);
    REQUIRE(s != NULL);
    CHECK(s->samples == FMC_DEFAULT_SAMPLES && s->seed == FMC_DEFAULT_SEED);
    CHECK(strcmp(s->period, "month") == 0 && strcmp(s->description, "") == 0);
    CHECK(fmc_scenario_cost_lines(s) == 0 && s->lever_count == 0);
    CHECK_EXACT(s->tornado_low, FMC_DEFAULT_TORNADO_LOW);
    CHECK(s->sobol == 1 && s->base_samples == FMC_DEFAULT_BASE_SAMPLES);
    CHECK_EXACT(s->inputs[FMC_FOLLOWERS].base, 900);
    CHECK(s->inputs[FMC_OPTIN_RATE].dist.kind == FMC_DIST_DISCRETE);
    CHECK(s->inputs[FMC_PURCHASE_RATE].dist.kind == FMC_DIST_EMPIRICAL);
    CHECK(s->sweeps[0].samples == FMC_DEFAULT_SAMPLES);
    const fmc_axis *axis = &s->sweeps[0].axes[0];
    CHECK(axis->log_spacing && axis->value_count == 5);
    CHECK_EXACT(axis->values[0], 0.5);
    CHECK_NEAR(axis->values[1], 1, 1e-15);
    CHECK_NEAR(axis->values[2], 2, 1e-15);
    CHECK_EXACT(axis->values[4], 8);
    fmc_scenario_free(s);
}

static int has_diagnostic(const fmc_diagnostics *d, unsigned line, const char *key,
                          const char *fragment)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].line == line && strcmp(d->items[i].key, key) == 0 &&
            strstr(d->items[i].message, fragment) && strcmp(d->items[i].file, "test.yaml") == 0)
            return 1;
    return 0;
}

static void every_error_of_a_file_is_reported_in_one_pass(void)
{
    const char *text =
        "name: two words\n"                                              /* 1 */
        "samples: 0\n"                                                   /* 2 */
        "inputs:\n"                                                      /* 3 */
        "  revenue_per_sale: 100\n"                                      /* 4 */
        "  cost_of_goods: 10\n"                                          /* 5 */
        "  followers: 1000\n"                                            /* 6 */
        "  click_rate: {dist: beta, mean: 1.5, sd: 0.1}\n"               /* 7 */
        "  optin_rate: 0.4\n"                                            /* 8 */
        "  purchase_rate: {dist: uniform, min: 0.2, max: 1.3}\n"        /* 9 */
        "  hourly_rate: 50\n"                                            /* 10 */
        "levers:\n"                                                      /* 11 */
        "  more: {likes: {scale: 2}}\n"                                  /* 12 */
        "tornado: {low: 90, high: 10}\n";                                /* 13 */
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    CHECK(s == NULL);
    CHECK(has_diagnostic(&diags, 1, "name", "letters, digits"));
    CHECK(has_diagnostic(&diags, 2, "samples", "positive whole number"));
    /* a missing key is reported where its mapping starts */
    CHECK(has_diagnostic(&diags, 4, "inputs.hours", "missing required input"));
    CHECK(has_diagnostic(&diags, 7, "inputs.click_rate.mean", "outside (0, 1)"));
    CHECK(has_diagnostic(&diags, 9, "inputs.purchase_rate.max", "[0, 1]"));
    CHECK(has_diagnostic(&diags, 12, "levers.more.likes", "neither an input nor a cost line"));
    CHECK(has_diagnostic(&diags, 13, "tornado.high", "0 < low < high < 100"));
    CHECK(diags.count == 7);
    if (diags.count != 7)
        fmc_diagnostics_print(&diags, stderr);
    /* columns are 1-based and point at the value */
    for (size_t i = 0; i < diags.count; i++)
        if (strcmp(diags.items[i].key, "inputs.click_rate.mean") == 0)
            CHECK(diags.items[i].column == 34);
    fmc_diagnostics_clear(&diags);
}

/* The worked example's funnel as counts: 250 clicks of 1000 followers,
 * 100 opt-ins of those 250, 50 purchases of those 100. */
static const char *counted =
    "name: counted\n"
    "inputs:\n"
    "  revenue_per_sale: 100\n"
    "  cost_of_goods: 10\n"
    "  followers: 1000\n"
    "  click_rate: {observed: {events: 250, of: 1000}}\n"
    "  optin_rate: {observed: {events: 100, of: 250}, prior: {alpha: 2.5, beta: 0.75}}\n"
    "  purchase_rate: {observed: {events: 50, of: 1e2}, base: 0.45}\n"
    "  hourly_rate: 50\n"
    "  hours: 40\n";

static void counted_rates_are_their_beta_posteriors(void)
{
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(counted, &diags);
    fmc_diagnostics_print(&diags, stderr);
    REQUIRE(s != NULL);
    /* Jeffreys' prior by default: Beta(250 + 1/2, 750 + 1/2) */
    const fmc_input *click = &s->inputs[FMC_CLICK_RATE];
    CHECK(click->dist.kind == FMC_DIST_BETA);
    CHECK_EXACT(click->dist.shape1, 250.5);
    CHECK_EXACT(click->dist.shape2, 750.5);
    CHECK(click->observed && click->observed_events == 250 && click->observed_of == 1000);
    CHECK_EXACT(click->prior_alpha, 0.5);
    CHECK_EXACT(click->prior_beta, 0.5);
    CHECK_EXACT(click->base, 250.5 / 1001);  /* the posterior mean */
    /* a prior given: Beta(100 + 2.5, 150 + 0.75) */
    const fmc_input *optin = &s->inputs[FMC_OPTIN_RATE];
    CHECK(optin->dist.kind == FMC_DIST_BETA);
    CHECK_EXACT(optin->dist.shape1, 102.5);
    CHECK_EXACT(optin->dist.shape2, 150.75);
    CHECK_EXACT(optin->prior_alpha, 2.5);
    CHECK_EXACT(optin->prior_beta, 0.75);
    CHECK(optin->observed_events == 100 && optin->observed_of == 250);
    const fmc_input *purchase = &s->inputs[FMC_PURCHASE_RATE];
    CHECK_EXACT(purchase->dist.shape1, 50.5);
    CHECK_EXACT(purchase->dist.shape2, 50.5);
    CHECK(purchase->observed_of == 100);
    CHECK_EXACT(purchase->base, 0.45);
    /* inputs not given as counts say so */
    CHECK(!s->inputs[FMC_FOLLOWERS].observed && !s->inputs[FMC_HOURS].observed);
    fmc_scenario_free(s);
}

/* A count of every event is allowed, and none: the posterior then leans
 * on the prior alone at one end. */
static void counts_at_the_ends_keep_the_prior(void)
{
    const char *text =
        "name: ends\n"
        "inputs:\n"
        "  revenue_per_sale: 100\n"
        "  cost_of_goods: 10\n"
        "  followers: 1000\n"
        "  click_rate: {observed: {events: 0, of: 37}}\n"
        "  optin_rate: {observed: {events: 12, of: 12}, prior: {alpha: 1, beta: 3}}\n"
        "  purchase_rate: {observed: {events: 1, of: 1}}\n"
        "  hourly_rate: 50\n"
        "  hours: 40\n";
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    fmc_diagnostics_print(&diags, stderr);
    REQUIRE(s != NULL);
    CHECK_EXACT(s->inputs[FMC_CLICK_RATE].dist.shape1, 0.5);
    CHECK_EXACT(s->inputs[FMC_CLICK_RATE].dist.shape2, 37.5);
    CHECK_EXACT(s->inputs[FMC_OPTIN_RATE].dist.shape1, 13);
    CHECK_EXACT(s->inputs[FMC_OPTIN_RATE].dist.shape2, 3);
    CHECK_EXACT(s->inputs[FMC_PURCHASE_RATE].dist.shape1, 1.5);
    CHECK_EXACT(s->inputs[FMC_PURCHASE_RATE].dist.shape2, 0.5);
    fmc_scenario_free(s);
}

/* Each broken use of counts, all in one file: one diagnostic each, with its
 * line and key. */
static void broken_counts_are_reported_with_their_key(void)
{
    const char *text =
        "name: broken\n"                                                           /* 1 */
        "inputs:\n"                                                                /* 2 */
        "  revenue_per_sale: 100\n"                                                /* 3 */
        "  cost_of_goods: 10\n"                                                    /* 4 */
        "  followers: {observed: {events: 1, of: 2}}\n"                            /* 5 */
        "  click_rate: {observed: {events: 300, of: 250}}\n"                       /* 6 */
        "  optin_rate: {observed: {events: 2.5, of: 0}, prior: {alpha: 0, beta: 1}}\n" /* 7 */
        "  purchase_rate: {dist: beta, alpha: 2, beta: 3, prior: {alpha: 1, beta: 1}}\n" /* 8 */
        "  hourly_rate: 50\n"                                                      /* 9 */
        "  hours: 40\n"                                                            /* 10 */
        "costs:\n"                                                                 /* 11 */
        "  ads: {dist: uniform, min: 0, max: 1, observed: {events: 1, of: 2}}\n";  /* 12 */
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    CHECK(s == NULL);
    CHECK(has_diagnostic(&diags, 5, "inputs.followers.observed", "'followers' is not one"));
    CHECK(has_diagnostic(&diags, 6, "inputs.click_rate.observed.events", "events 300 exceed of 250"));
    CHECK(has_diagnostic(&diags, 7, "inputs.optin_rate.observed.events", "whole number"));
    CHECK(has_diagnostic(&diags, 7, "inputs.optin_rate.prior.alpha", "prior alpha must be > 0"));
    CHECK(has_diagnostic(&diags, 8, "inputs.purchase_rate.prior", "belongs to 'observed' counts"));
    CHECK(has_diagnostic(&diags, 12, "costs.ads", "not both"));
    CHECK(diags.count == 6);
    if (diags.count != 6)
        fmc_diagnostics_print(&diags, stderr);
    fmc_diagnostics_clear(&diags);
}

static void unreadable_file_is_an_io_error_with_the_reason(void)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    CHECK(fmc_scenario_load_file("/nonexistent/x.yaml", &s, &diags) == FMC_EIO);
    CHECK(diags.count == 1 && strstr(diags.items[0].message, "cannot open") != NULL);
    fmc_diagnostics_clear(&diags);
}

TEST_MAIN_BEGIN
RUN_TEST(reference_scenario_is_read_field_by_field);
RUN_TEST(worked_example_is_built_in_with_every_input_fixed);
RUN_TEST(optional_keys_take_their_documented_defaults);
RUN_TEST(every_error_of_a_file_is_reported_in_one_pass);
RUN_TEST(unreadable_file_is_an_io_error_with_the_reason);
RUN_TEST(counted_rates_are_their_beta_posteriors);
RUN_TEST(counts_at_the_ends_keep_the_prior);
RUN_TEST(broken_counts_are_reported_with_their_key);
TEST_MAIN_END
