/* Scenario reading: the contract's example parsed field by field, defaults,
 * sweep ranges, rates given as counts (their exact Beta posteriors), how
 * inputs are drawn (sampling designs, correlations, laws fitted to data), and
 * several independent errors reported in one pass with their line, column
 * and key.  (tests/cli/test_cli.py breaks every rule of
 * the contract one by one through the command line.) */
#include <math.h>
#include <stdio.h>
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
    /* inputs drawn as ever: plain Monte Carlo, independent, no fits */
    CHECK(s->sampling == FMC_DESIGN_MC && s->replicates == 1);
    CHECK(s->correlation_count == 0 && s->correlations == NULL && s->copula == NULL);
    for (size_t i = 0; i < s->input_count; i++)
        CHECK(s->inputs[i].fit == NULL);
    fmc_scenario_free(s);
}

/* N hundredths as the decimal a scenario would write: -5 is "-0.05". */
static void hundredths_text(long n, char *text, size_t size)
{
    snprintf(text, size, "%s%ld.%02ld", n < 0 ? "-" : "", labs(n) / 100, labs(n) % 100);
}

static void ranges_with_round_decimal_steps_give_the_doubles_of_their_decimals(void)
{
    size_t ranges = 0, wrong = 0;
    double values[21];
    char from[48], to[48], decimal[48];
    for (long i = -100; i <= 100; i++)
        for (long j = -100; j <= 100; j++)
            for (long steps = 2; steps <= 21; steps++) {
                if ((j - i) % (steps - 1) != 0)
                    continue;
                hundredths_text(i, from, sizeof from);
                hundredths_text(j, to, sizeof to);
                fmc_range_linear(from, to, (size_t)steps, values);
                ranges++;
                for (long k = 0; k < steps; k++) {
                    hundredths_text(i + (j - i) / (steps - 1) * k, decimal, sizeof decimal);
                    if (values[k] != strtod(decimal, NULL) && wrong++ < 5)
                        fprintf(stderr, "{from: %s, to: %s, steps: %ld}[%ld] = %.17g, not %s\n",
                                from, to, steps, k, values[k], decimal);
                }
            }
    CHECK(ranges > 100000);
    CHECK(wrong == 0);
}

static void a_range_of_the_format_example_gives_its_decimals(void)
{
    double values[7];
    fmc_range_linear("-0.1", "0.2", 7, values);
    CHECK_EXACT(values[0], -0.1);
    CHECK_EXACT(values[3], 0.05);  /* steps of 0.1 in doubles give 0.05000000000000002 */
    CHECK(-0.1 + (0.2 - -0.1) * (3.0 / 6.0) != 0.05);
    CHECK_EXACT(values[6], 0.2);
    /* other spellings of the same decimals: a sign, an exponent, trailing zeros */
    double spelled[7];
    fmc_range_linear("-1e-1", "+0.200", 7, spelled);
    CHECK(memcmp(values, spelled, sizeof values) == 0);
}

static void steps_that_are_not_decimals_are_rounded_once(void)
{
    double thirds[4], fifteenths[4], whole[5];
    fmc_range_linear("0", "1", 4, thirds);
    CHECK_EXACT(thirds[1], 1.0 / 3.0);
    CHECK_EXACT(thirds[2], 2.0 / 3.0);
    fmc_range_linear("0.1", "0.2", 4, fifteenths);  /* 0.1 + 0.1/3 = 2/15 */
    CHECK_EXACT(fifteenths[1], 2.0 / 15.0);
    CHECK_EXACT(fifteenths[2], 1.0 / 6.0);
    fmc_range_linear("25e2", "-5e3", 5, whole);
    CHECK_EXACT(whole[1], 625);
    CHECK_EXACT(whole[3], -3125);
}

static void ranges_past_exact_integers_keep_their_ends(void)
{
    /* hexadecimal, and more digits than a double holds: the formula in
     * doubles, with both ends as written */
    double hex[3], long_digits[3], negative_zero[2];
    fmc_range_linear("0x1p-3", "0x1p-1", 3, hex);
    CHECK_EXACT(hex[0], 0.125);
    CHECK_EXACT(hex[1], 0.3125);
    CHECK_EXACT(hex[2], 0.5);
    fmc_range_linear("0.12345678901234567890", "1", 3, long_digits);
    CHECK_EXACT(long_digits[0], strtod("0.12345678901234567890", NULL));
    CHECK(long_digits[1] > long_digits[0] && long_digits[1] < 1);
    CHECK_EXACT(long_digits[2], 1);
    fmc_range_linear("-0.0", "1", 2, negative_zero);
    CHECK(signbit(negative_zero[0]) && negative_zero[1] == 1);
}

static void a_sweep_range_in_a_scenario_gives_its_decimals(void)
{
    char text[2048];
    snprintf(text, sizeof text, "%s", minimal);
    char *grow = strstr(text, "      followers: {scale:");
    REQUIRE(grow != NULL);
    snprintf(grow, sizeof text - (size_t)(grow - text), "%s",
             "      click_rate: {add: {from: -0.1, to: 0.2, steps: 7}}\n");
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    fmc_diagnostics_print(&diags, stderr);
    REQUIRE(s != NULL);
    const fmc_axis *axis = &s->sweeps[0].axes[0];
    CHECK(axis->value_count == 7 && !axis->log_spacing);
    for (size_t k = 0; k < axis->value_count; k++) {
        char decimal[48];
        hundredths_text(-10 + 5 * (long)k, decimal, sizeof decimal);
        CHECK_EXACT(axis->values[k], strtod(decimal, NULL));
    }
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

/* A change's operation is named by the key that gives it, and a change
 * with an unknown key lists the operations, then the effects. */
static void change_operations_are_named_by_their_keys(void)
{
    CHECK(strcmp(fmc_change_op_name(FMC_CHANGE_SCALE), "scale") == 0);
    CHECK(strcmp(fmc_change_op_name(FMC_CHANGE_ADD), "add") == 0);
    CHECK(strcmp(fmc_change_op_name(FMC_CHANGE_SET), "set") == 0);
    CHECK(fmc_change_op_name((fmc_change_op)(FMC_CHANGE_SET + 1)) == NULL);
    const char *head =
        "name: ops\n"
        "inputs:\n"
        "  revenue_per_sale: 100\n"
        "  cost_of_goods: 10\n"
        "  followers: 1000\n"
        "  click_rate: 0.25\n"
        "  optin_rate: 0.4\n"
        "  purchase_rate: 0.5\n"
        "  hourly_rate: 50\n"
        "  hours: 40\n"
        "levers:\n";
    char text[1024];
    snprintf(text, sizeof text, "%s%s", head,
             "  grow: {followers: {scale: 1.375}}\n"
             "  sharpen: {click_rate: {add: 0.0625}}\n"
             "  reprice: {revenue_per_sale: {set: 112.5}}\n");
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    CHECK(s != NULL && s->lever_count == 3);
    for (size_t l = 0; s && l < s->lever_count; l++) {
        static const char *const expected[] = {"scale", "add", "set"};
        CHECK(strcmp(fmc_change_op_name(s->levers[l].changes[0].op), expected[l]) == 0);
    }
    fmc_scenario_free(s);
    fmc_diagnostics_clear(&diags);
    snprintf(text, sizeof text, "%s%s", head, "  grow: {followers: {times: 1.375}}\n");
    s = load_text(text, &diags);
    CHECK(s == NULL);
    CHECK(has_diagnostic(&diags, 12, "levers.grow.followers.times",
                         "unknown key in a change (known keys: scale, add, set, quality, "
                         "elasticity, response)"));
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

/* ----- the horizon (issue 13) ----- */

static const char *year =
    "name: year\n"                                                                  /* 1 */
    "inputs:\n"                                                                     /* 2 */
    "  revenue_per_sale: 100\n"                                                     /* 3 */
    "  cost_of_goods: 10\n"                                                         /* 4 */
    "  followers: 1000\n"                                                           /* 5 */
    "  click_rate: {dist: beta, alpha: 25, beta: 75, draw: each_period}\n"          /* 6 */
    "  optin_rate: {observed: {events: 100, of: 250}, draw: once}\n"                /* 7 */
    "  purchase_rate: {observed: {events: 50, of: 100}, draw: each_period}\n"       /* 8 */
    "  hourly_rate: 50\n"                                                           /* 9 */
    "  hours: {dist: normal, mean: 40, sd: 5, min: 20, max: 60, draw: each_period}\n" /* 10 */
    "costs:\n"                                                                      /* 11 */
    "  ads: {dist: uniform, min: 0, max: 200, draw: each_period}\n"                 /* 12 */
    "  tools: 29\n"                                                                 /* 13 */
    "horizon:\n"                                                                    /* 14 */
    "  periods: 12\n"                                                               /* 15 */
    "  discount_rate: 0.0125\n"                                                     /* 16 */
    "  followers:\n"                                                                /* 17 */
    "    growth: {dist: normal, mean: 0.03, sd: 0.01, min: -0.5, max: 1, draw: each_period}\n"
    "    churn: 0.015\n"                                                            /* 19 */
    "  budgets:\n"                                                                  /* 20 */
    "    ads: {plan: [200, 100.5, 50], rollover: true}\n"                           /* 21 */
    "    tools: {plan: 30}\n"                                                       /* 22 */
    "levers:\n"                                                                     /* 23 */
    "  grow:\n"                                                                     /* 24 */
    "    growth: {add: 0.02}\n"                                                     /* 25 */
    "    start: 3\n"                                                                /* 26 */
    "    ramp: 4\n"                                                                 /* 27 */
    "    one_off_cost: {hours: 5, money: {dist: uniform, min: 100, max: 200}}\n"    /* 28 */
    "    cost: {hours: {dist: uniform, min: 1, max: 3}, money: 10}\n"               /* 29 */
    "  keep:\n"                                                                     /* 30 */
    "    churn: {set: 0}\n"                                                         /* 31 */
    "    hours: {scale: 1.5, response: 0.5}\n"                                      /* 32 */
    "sweeps:\n"                                                                     /* 33 */
    "  length:\n"                                                                   /* 34 */
    "    samples: 1000\n"                                                           /* 35 */
    "    axes:\n"                                                                   /* 36 */
    "      horizon.periods: {set: {from: 1, to: 36, steps: 36}}\n"                  /* 37 */
    "      growth: {set: [-1, 0, 0.05]}\n"                                          /* 38 */
    "  listed:\n"                                                                   /* 39 */
    "    axes:\n"                                                                   /* 40 */
    "      horizon.periods: {set: [12, 600, 1e2]}\n";                               /* 41 */

static void horizon_is_read_key_by_key(void)
{
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(year, &diags);
    fmc_diagnostics_print(&diags, stderr);
    REQUIRE(s != NULL);
    const fmc_horizon *h = s->horizon;
    REQUIRE(h != NULL);
    CHECK(h->periods == 12);
    CHECK_EXACT(h->discount_rate, 0.0125);
    /* growth and churn follow the two cost lines, which alone count as such */
    CHECK(s->input_count == 12 && s->cost_line_count == 2 && fmc_scenario_cost_lines(s) == 2);
    CHECK(h->growth == 10 && h->churn == 11);
    CHECK(strcmp(s->inputs[10].name, "growth") == 0 && strcmp(s->inputs[11].name, "churn") == 0);
    const fmc_input *growth = &s->inputs[h->growth], *churn = &s->inputs[h->churn];
    CHECK(growth->dist.kind == FMC_DIST_NORMAL);
    CHECK_EXACT(growth->dist.min, -0.5);
    CHECK_EXACT(growth->dist.max, 1);
    CHECK(growth->each_period == 1);
    CHECK(churn->dist.kind == FMC_DIST_CONSTANT && churn->each_period == 0);
    CHECK_EXACT(churn->base, 0.015);
    /* value ranges: what a change may give each input */
    CHECK_EXACT(growth->lowest, -1);
    CHECK(isinf(growth->highest) && growth->highest > 0);
    CHECK_EXACT(churn->lowest, 0);
    CHECK_EXACT(churn->highest, 1);
    CHECK_EXACT(s->inputs[FMC_CLICK_RATE].highest, 1);
    CHECK(isinf(s->inputs[FMC_FOLLOWERS].highest) && s->inputs[FMC_FOLLOWERS].lowest == 0);
    CHECK(isinf(s->inputs[9].highest) && s->inputs[9].lowest == 0);
    /* draw: once is the default, each_period says otherwise, counts too */
    const int each[] = {0, 0, 0, 1, 0, 1, 0, 1, 1, 0};
    for (size_t i = 0; i < 10; i++)
        CHECK(s->inputs[i].each_period == each[i]);
    CHECK(s->inputs[FMC_PURCHASE_RATE].observed);
    /* budgets, in file order, on their cost lines' indices */
    REQUIRE(h->budget_count == 2);
    CHECK(h->budgets[0].line == 8 && h->budgets[0].plan_count == 3 && h->budgets[0].rollover == 1);
    CHECK_EXACT(h->budgets[0].plan[0], 200);
    CHECK_EXACT(h->budgets[0].plan[1], 100.5);
    CHECK_EXACT(h->budgets[0].plan[2], 50);
    CHECK(h->budgets[1].line == 9 && h->budgets[1].plan_count == 1 && h->budgets[1].rollover == 0);
    CHECK_EXACT(h->budgets[1].plan[0], 30);
    /* levers: start, ramp, one-off cost (an uncertain one on its own stream) */
    REQUIRE(s->lever_count == 2);
    const fmc_lever *grow = &s->levers[0], *keep = &s->levers[1];
    CHECK(grow->start == 3 && grow->ramp == 4);
    CHECK(grow->change_count == 1 && grow->changes[0].input == h->growth);
    CHECK(grow->changes[0].op == FMC_CHANGE_ADD);
    CHECK_EXACT(grow->changes[0].amount, 0.02);
    CHECK_EXACT(grow->once_hours, 5);
    CHECK(grow->uncertain_once_hours == NULL);
    REQUIRE(grow->uncertain_once_money != NULL && grow->uncertain_hours != NULL);
    CHECK(grow->uncertain_once_money->dist.kind == FMC_DIST_UNIFORM);
    CHECK_EXACT(grow->once_money, 150);  /* the mean of an uncertain one */
    CHECK_EXACT(grow->cost_money, 10);
    CHECK(grow->uncertain_money == NULL);
    CHECK(grow->quantity_count == 2);
    CHECK(grow->uncertain_once_money == &grow->quantities[0]);
    CHECK(grow->uncertain_hours == &grow->quantities[1]);
    CHECK(grow->uncertain_once_money->stream != grow->uncertain_hours->stream);
    CHECK(keep->start == 1 && keep->ramp == 1);
    CHECK_EXACT(keep->once_hours, 0);
    CHECK_EXACT(keep->once_money, 0);
    CHECK(keep->uncertain_once_hours == NULL && keep->uncertain_once_money == NULL);
    CHECK(keep->changes[0].input == h->churn && keep->changes[0].op == FMC_CHANGE_SET);
    CHECK(keep->changes[1].input == FMC_HOURS);
    CHECK_EXACT(keep->changes[1].effect, 0.5);
    /* growth and churn carry no effect */
    CHECK(fmc_effect_of_input(h->growth) == FMC_EFFECT_NONE);
    CHECK(fmc_effect_of_input(h->churn) == FMC_EFFECT_NONE);
    CHECK(fmc_effect_of_input(FMC_AXIS_PERIODS) == FMC_EFFECT_NONE);
    /* the periods axis: whole numbers, even from a range computed in floating point */
    REQUIRE(s->sweep_count == 2 && s->sweeps[0].axis_count == 2);
    const fmc_axis *periods = &s->sweeps[0].axes[0];
    CHECK(periods->input == FMC_AXIS_PERIODS && periods->op == FMC_CHANGE_SET);
    CHECK(periods->value_count == 36 && periods->uncertain_effect == NULL);
    CHECK_EXACT(periods->effect, 0);
    for (size_t k = 0; k < periods->value_count; k++)
        CHECK_EXACT(periods->values[k], (double)(k + 1));
    CHECK(s->sweeps[0].axes[1].input == h->growth);
    CHECK_EXACT(s->sweeps[0].axes[1].values[0], -1);
    const fmc_axis *listed = &s->sweeps[1].axes[0];
    CHECK(listed->input == FMC_AXIS_PERIODS && listed->value_count == 3);
    CHECK_EXACT(listed->values[1], 600);
    CHECK_EXACT(listed->values[2], 100);
    fmc_scenario_free(s);
}

static void horizon_keys_take_their_defaults(void)
{
    const char *text =
        "name: short\n"
        "inputs:\n"
        "  revenue_per_sale: 100\n"
        "  cost_of_goods: 10\n"
        "  followers: 1000\n"
        "  click_rate: 0.25\n"
        "  optin_rate: 0.4\n"
        "  purchase_rate: 0.5\n"
        "  hourly_rate: 50\n"
        "  hours: {dist: uniform, min: 30, max: 50}\n"
        "horizon: {periods: 1e2}\n"
        "levers:\n"
        "  more: {followers: {scale: 2}}\n";
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    fmc_diagnostics_print(&diags, stderr);
    REQUIRE(s != NULL && s->horizon != NULL);
    const fmc_horizon *h = s->horizon;
    CHECK(h->periods == 100);
    CHECK_EXACT(h->discount_rate, 0);
    CHECK(h->budget_count == 0);
    /* no cost lines: growth and churn follow the funnel inputs */
    CHECK(s->input_count == 10 && s->cost_line_count == 0);
    CHECK(h->growth == 8 && h->churn == 9);
    for (size_t j = 8; j < 10; j++) {
        CHECK(s->inputs[j].dist.kind == FMC_DIST_CONSTANT);
        CHECK_EXACT(s->inputs[j].base, 0);
        CHECK(s->inputs[j].each_period == 0);
    }
    CHECK_EXACT(s->inputs[h->growth].lowest, -1);
    CHECK_EXACT(s->inputs[h->churn].highest, 1);
    CHECK(s->inputs[FMC_HOURS].each_period == 0);
    CHECK(s->levers[0].start == 1 && s->levers[0].ramp == 1);
    CHECK_EXACT(s->levers[0].once_money, 0);
    fmc_scenario_free(s);
}

static void without_a_horizon_nothing_is_added(void)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    REQUIRE(fmc_scenario_load_file(FMC_SOURCE_DIR "/scenarios/reference.yaml", &s, &diags) == FMC_OK);
    CHECK(s->horizon == NULL);
    CHECK(s->input_count == 10 && s->cost_line_count == 2);
    for (size_t i = 0; i < s->input_count; i++) {
        CHECK(s->inputs[i].each_period == 0);
        CHECK_EXACT(s->inputs[i].lowest, 0);
        CHECK_EXACT(s->inputs[i].highest,
                    i < FMC_FUNNEL_INPUT_COUNT && fmc_input_is_rate((fmc_input_id)i) ? 1 : INFINITY);
    }
    for (size_t l = 0; l < s->lever_count; l++) {
        CHECK(s->levers[l].start == 1 && s->levers[l].ramp == 1);
        CHECK_EXACT(s->levers[l].once_hours, 0);
        CHECK(s->levers[l].uncertain_once_money == NULL);
    }
    fmc_scenario_free(s);
}

/* Every broken horizon key of one file: one diagnostic each, with its line
 * and key. */
static void broken_horizon_keys_are_reported_with_their_key(void)
{
    const char *text =
        "name: broken\n"                                                        /* 1 */
        "inputs:\n"                                                             /* 2 */
        "  revenue_per_sale: 100\n"                                             /* 3 */
        "  cost_of_goods: 10\n"                                                 /* 4 */
        "  followers: 1000\n"                                                   /* 5 */
        "  click_rate: {dist: beta, alpha: 25, beta: 75, draw: sometimes}\n"    /* 6 */
        "  optin_rate: 0.4\n"                                                   /* 7 */
        "  purchase_rate: 0.5\n"                                                /* 8 */
        "  hourly_rate: 50\n"                                                   /* 9 */
        "  hours: 40\n"                                                         /* 10 */
        "costs:\n"                                                              /* 11 */
        "  ads: {dist: uniform, min: 0, max: 200}\n"                            /* 12 */
        "  tools: 29\n"                                                         /* 13 */
        "  churn: 5\n"                                                          /* 14 */
        "horizon:\n"                                                            /* 15 */
        "  periods: 6\n"                                                        /* 16 */
        "  discount_rate: -1\n"                                                 /* 17 */
        "  followers:\n"                                                        /* 18 */
        "    growth: {dist: uniform, min: -1.5, max: 1}\n"                      /* 19 */
        "    churn: {dist: uniform, min: 0, max: 1.5}\n"                        /* 20 */
        "    gain: 0.1\n"                                                       /* 21 */
        "  budgets:\n"                                                          /* 22 */
        "    adz: {plan: 200}\n"                                                /* 23 */
        "    ads: {plan: [200, -1]}\n"                                          /* 24 */
        "    tools: {plan: [], rollover: maybe}\n"                              /* 25 */
        "levers:\n"                                                             /* 26 */
        "  grow:\n"                                                             /* 27 */
        "    growth: {set: -2}\n"                                               /* 28 */
        "    start: 7\n"                                                        /* 29 */
        "    ramp: 0\n"                                                         /* 30 */
        "    one_off_cost: {hours: -5}\n"                                       /* 31 */
        "  keep:\n"                                                             /* 32 */
        "    churn: {set: 1.5}\n"                                               /* 33 */
        "    start: 2.5\n"                                                      /* 34 */
        "sweeps:\n"                                                             /* 35 */
        "  scaled:\n"                                                           /* 36 */
        "    axes:\n"                                                           /* 37 */
        "      horizon.periods: {scale: [1, 2]}\n"                              /* 38 */
        "  outside:\n"                                                          /* 39 */
        "    axes:\n"                                                           /* 40 */
        "      horizon.periods: {set: [601]}\n"                                 /* 41 */
        "  fractional:\n"                                                       /* 42 */
        "    axes:\n"                                                           /* 43 */
        "      horizon.periods: {set: {from: 1, to: 12, steps: 5}}\n";          /* 44 */
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    CHECK(s == NULL);
    CHECK(has_diagnostic(&diags, 6, "inputs.click_rate.draw", "'once'"));
    CHECK(has_diagnostic(&diags, 14, "costs.churn", "cannot be named 'churn'"));
    CHECK(has_diagnostic(&diags, 17, "horizon.discount_rate", "must be > -1 (got -1)"));
    CHECK(has_diagnostic(&diags, 19, "horizon.followers.growth.min", "growth must not go below -1"));
    CHECK(has_diagnostic(&diags, 20, "horizon.followers.churn.max", "churn must lie in [0, 1]"));
    CHECK(has_diagnostic(&diags, 21, "horizon.followers.gain", "unknown key"));
    CHECK(has_diagnostic(&diags, 23, "horizon.budgets.adz", "no cost line 'adz' (cost lines: ads, tools)"));
    CHECK(has_diagnostic(&diags, 24, "horizon.budgets.ads.plan[1]", "(got -1)"));
    CHECK(has_diagnostic(&diags, 25, "horizon.budgets.tools.plan", "1 to 600 periods"));
    CHECK(has_diagnostic(&diags, 25, "horizon.budgets.tools.rollover", "true or false"));
    CHECK(has_diagnostic(&diags, 28, "levers.grow.growth.set", "growth must not go below -1"));
    CHECK(has_diagnostic(&diags, 29, "levers.grow.start", "start 7 lies beyond the horizon's 6 periods"));
    CHECK(has_diagnostic(&diags, 30, "levers.grow.ramp", "whole number from 1 to 600, found '0'"));
    CHECK(has_diagnostic(&diags, 31, "levers.grow.one_off_cost.hours", "one-off cost must be >= 0"));
    CHECK(has_diagnostic(&diags, 33, "levers.keep.churn.set", "churn must lie in [0, 1]"));
    CHECK(has_diagnostic(&diags, 34, "levers.keep.start", "found '2.5'"));
    CHECK(has_diagnostic(&diags, 38, "sweeps.scaled.axes.horizon.periods", "only ever set"));
    CHECK(has_diagnostic(&diags, 41, "sweeps.outside.axes.horizon.periods.set", "(got 601)"));
    CHECK(has_diagnostic(&diags, 44, "sweeps.fractional.axes.horizon.periods.set", "(got 3.75)"));
    CHECK(diags.count == 19);
    if (diags.count != 19)
        fmc_diagnostics_print(&diags, stderr);
    /* columns point at the value */
    for (size_t i = 0; i < diags.count; i++)
        if (strcmp(diags.items[i].key, "levers.grow.start") == 0)
            CHECK(diags.items[i].column == 12);
    fmc_diagnostics_clear(&diags);
}

/* The one key, and the only problem, of a scenario whose horizon is
 * HORIZON_BODY (its line is line 6): 1 when it is KEY with FRAGMENT. */
static int horizon_refused(const char *horizon_body, const char *key, const char *fragment)
{
    char text[600];
    snprintf(text, sizeof text,
             "name: p\n"
             "inputs: {revenue_per_sale: 100, cost_of_goods: 10, followers: 1000,\n"
             "  click_rate: 0.25, optin_rate: 0.4, purchase_rate: 0.5, hourly_rate: 50,\n"
             "  hours: 40}\n"
             "horizon:\n"
             "  %s\n",
             horizon_body);
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    int refused = s == NULL && diags.count == 1 && has_diagnostic(&diags, 6, key, fragment);
    if (!refused)
        fmc_diagnostics_print(&diags, stderr);
    fmc_scenario_free(s);
    fmc_diagnostics_clear(&diags);
    return refused;
}

/* periods: a whole number from 1 to 600, and given; a discount rate > -1. */
static void periods_outside_1_to_600_are_refused(void)
{
    CHECK(horizon_refused("periods: 0", "horizon.periods", "whole number from 1 to 600, found '0'"));
    CHECK(horizon_refused("periods: 1.5", "horizon.periods", "found '1.5'"));
    CHECK(horizon_refused("periods: 601", "horizon.periods", "found '601'"));
    CHECK(horizon_refused("periods: -3", "horizon.periods", "found '-3'"));
    CHECK(horizon_refused("periods: twelve", "horizon.periods", "expected a number"));
    CHECK(horizon_refused("periods: \"12\"", "horizon.periods", "quoted text"));
    CHECK(horizon_refused("discount_rate: 0.01", "horizon.periods", "missing 'periods'"));
    CHECK(horizon_refused("{periods: 12, discount_rate: -1.5}", "horizon.discount_rate",
                          "must be > -1 (got -1.5)"));
    CHECK(horizon_refused("{periods: 12, budgets: {ads: {plan: 1}}}", "horizon.budgets.ads",
                          "no cost line 'ads' (cost lines: none)"));
    CHECK(horizon_refused("{periods: 12, followers: {growth: -1.5}}", "horizon.followers.growth",
                          "growth must not go below -1"));
    CHECK(horizon_refused("{periods: 12, followers: {churn: {observed: {events: 1, of: 9}}}}",
                          "horizon.followers.churn.observed", "'churn' is not one"));
    CHECK(horizon_refused("{periods: 12, followers: {growth: 0.1, churn: 0.1}}", "", "") == 0);
}

/* draw, start, ramp, one_off_cost, growth, churn and the periods axis mean
 * nothing without a horizon: each is refused, saying so. */
static void horizon_keys_without_a_horizon_are_refused(void)
{
    const char *text =
        "name: flat\n"                                                          /* 1 */
        "inputs:\n"                                                             /* 2 */
        "  revenue_per_sale: 100\n"                                             /* 3 */
        "  cost_of_goods: 10\n"                                                 /* 4 */
        "  followers: 1000\n"                                                   /* 5 */
        "  click_rate: {observed: {events: 25, of: 100}, draw: once}\n"         /* 6 */
        "  optin_rate: 0.4\n"                                                   /* 7 */
        "  purchase_rate: 0.5\n"                                                /* 8 */
        "  hourly_rate: 50\n"                                                   /* 9 */
        "  hours: {dist: uniform, min: 30, max: 50, draw: each_period}\n"       /* 10 */
        "costs:\n"                                                              /* 11 */
        "  growth: 5\n"                                                         /* 12 */
        "levers:\n"                                                             /* 13 */
        "  later:\n"                                                            /* 14 */
        "    followers: {scale: 2}\n"                                           /* 15 */
        "    start: 3\n"                                                        /* 16 */
        "    ramp: 2\n"                                                         /* 17 */
        "    one_off_cost: {money: 100}\n"                                      /* 18 */
        "sweeps:\n"                                                             /* 19 */
        "  length:\n"                                                           /* 20 */
        "    axes:\n"                                                           /* 21 */
        "      horizon.periods: {set: [1, 2]}\n";                               /* 22 */
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    CHECK(s == NULL);
    CHECK(has_diagnostic(&diags, 6, "inputs.click_rate.draw", "draw needs a horizon: section"));
    CHECK(has_diagnostic(&diags, 10, "inputs.hours.draw", "draw needs a horizon: section"));
    CHECK(has_diagnostic(&diags, 16, "levers.later.start", "start needs a horizon: section"));
    CHECK(has_diagnostic(&diags, 17, "levers.later.ramp", "ramp needs a horizon: section"));
    CHECK(has_diagnostic(&diags, 18, "levers.later.one_off_cost", "give it under 'cost'"));
    CHECK(has_diagnostic(&diags, 22, "sweeps.length.axes.horizon.periods", "needs a horizon"));
    /* without a horizon, a cost line may be called growth */
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

/* A diagnostic at LINE:COLUMN with no key whose message holds FRAGMENT. */
static int has_syntax_error(const fmc_diagnostics *d, unsigned line, unsigned column,
                            const char *fragment)
{
    return d->count == 1 && d->items[0].line == line && d->items[0].column == column &&
           d->items[0].key[0] == '\0' && strstr(d->items[0].message, fragment);
}

static void a_tab_is_named_with_its_place(void)
{
    fmc_diagnostics diags;
    CHECK(load_text("name: x\ninputs:\n  followers: 10\n\thours: 2\n", &diags) == NULL);
    CHECK(has_syntax_error(&diags, 4, 1, "a tab character"));
    fmc_diagnostics_clear(&diags);
}

static void a_byte_that_is_not_utf8_is_reported_where_it_is(void)
{
    static const char *const texts[] = {
        "name: x\ndescription: caf\xe9 au lait\n",     /* Latin-1 */
        "name: x\ndescription: caf\xc3\xa9\xe9\n",     /* after a good 'é' (one character) */
        "name: x\ndescription: caf\xc0\xa9\n",         /* an overlong form */
        "name: x\ndescription: caf\xed\xa0\x80\n",     /* a surrogate */
        "name: x\ndescription: caf\xe2\x82",           /* cut short by the end */
    };
    static const unsigned columns[] = {17, 18, 17, 17, 17};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        fmc_diagnostics diags;
        CHECK(load_text(texts[i], &diags) == NULL);
        CHECK(has_syntax_error(&diags, 2, columns[i], "is not UTF-8"));
        fmc_diagnostics_clear(&diags);
    }
}

static void an_unknown_input_key_does_not_cascade_into_levers_and_sweeps(void)
{
    const char *text =
        "name: x\n"                                                      /* 1 */
        "inputs:\n"                                                      /* 2 */
        "  revenue_per_sale: 100\n"                                      /* 3 */
        "  cost_of_goods: 10\n"                                          /* 4 */
        "  followers: 1000\n"                                            /* 5 */
        "  clik_rate: 0.2\n"                                             /* 6 */
        "  optin_rate: 0.4\n"                                            /* 7 */
        "  purchase_rate: 0.1\n"                                         /* 8 */
        "  hourly_rate: 50\n"                                            /* 9 */
        "  hours: 10\n"                                                  /* 10 */
        "levers:\n"                                                      /* 11 */
        "  better: {click_rate: {add: 0.1}}\n"                           /* 12 */
        "  typo: {clik_rate: {add: 0.1}}\n"                              /* 13 */
        "  more: {followers: {scale: 2}, click_rate: {add: 0.1}}\n"      /* 14 */
        "  wrong: {likes: {scale: 2}}\n"                                 /* 15 */
        "sweeps:\n"                                                      /* 16 */
        "  s: {axes: {click_rate: {set: [0.1, 0.2]}}}\n";                /* 17 */
    fmc_diagnostics diags;
    CHECK(load_text(text, &diags) == NULL);
    CHECK(has_diagnostic(&diags, 6, "inputs.clik_rate", "unknown key"));
    CHECK(has_diagnostic(&diags, 3, "inputs.click_rate", "missing required input"));
    /* a name nothing in the file gives is still an error of its own */
    CHECK(has_diagnostic(&diags, 15, "levers.wrong.likes", "neither an input nor a cost line"));
    CHECK(diags.count == 3);
    if (diags.count != 3)
        fmc_diagnostics_print(&diags, stderr);
    fmc_diagnostics_clear(&diags);
}

static void numeric_limits_are_stated_in_their_errors(void)
{
    fmc_diagnostics diags;
    CHECK(load_text("name: x\nsamples: 1e20\nseed: 18446744073709551616\n", &diags) == NULL);
    CHECK(has_diagnostic(&diags, 2, "samples", "up to 2^53 (9007199254740992)"));
    CHECK(has_diagnostic(&diags, 3, "seed", "at most 18446744073709551615"));
    fmc_diagnostics_clear(&diags);
    CHECK(load_text("name: x\nsamples: 1e400\n", &diags) == NULL);
    CHECK(has_diagnostic(&diags, 2, "samples", "at most about 1.8e308"));
    fmc_diagnostics_clear(&diags);
}

/* The funnel of a test scenario with a uniform click rate on [0.1, 0.3]
 * and uniform followers on [0, 1000], and then LEVERS. */
static fmc_scenario *load_with_levers(const char *levers, fmc_diagnostics *diags)
{
    char text[2048];
    snprintf(text, sizeof text,
             "name: x\n"                                                      /* 1 */
             "inputs:\n"                                                      /* 2 */
             "  revenue_per_sale: 100\n"                                      /* 3 */
             "  cost_of_goods: 10\n"                                          /* 4 */
             "  followers: {dist: uniform, min: 0, max: 1000}\n"              /* 5 */
             "  click_rate: {dist: uniform, min: 0.1, max: 0.3}\n"            /* 6 */
             "  optin_rate: 0.4\n"                                            /* 7 */
             "  purchase_rate: 0.1\n"                                         /* 8 */
             "  hourly_rate: 50\n"                                            /* 9 */
             "  hours: 10\n"                                                  /* 10 */
             "levers:\n%s", levers);                                          /* 11 */
    return load_text(text, diags);
}

static int has_warning(const fmc_scenario *s, unsigned line, const char *key,
                       const char *fragment)
{
    return s && s->warnings.count == 1 && s->warnings.items[0].line == line &&
           strcmp(s->warnings.items[0].key, key) == 0 &&
           strstr(s->warnings.items[0].message, fragment);
}

static void changes_clamped_in_over_1_percent_of_samples_are_warnings(void)
{
    static const struct {
        const char *lever, *key, *fragment;
    } cases[] = {
        /* P(X > 0.2) of U(0.1, 0.3) */
        {"  a: {click_rate: {add: 0.8}}\n", "levers.a.click_rate.add",
         "'click_rate' above 1 in 50.0% of samples (about 500000 of 1000000)"},
        {"  a: {click_rate: {scale: 4}}\n", "levers.a.click_rate.scale",
         "'click_rate' above 1 in 25.0% of samples"},
        /* an uncertain amount U(0.7, 0.9): P(X > 1 - a) averaged over a */
        {"  a: {click_rate: {add: {dist: uniform, min: 0.7, max: 0.9}}}\n",
         "levers.a.click_rate.add", "'click_rate' above 1 in 50.0% of samples"},
        {"  a: {followers: {add: -200}}\n", "levers.a.followers.add",
         "'followers' below 0 in 20.0% of samples"},
        {"  a: {click_rate: {add: 1}}\n", "levers.a.click_rate.add",
         "above 1 in every sample, where it is clamped to its limit: the lever's gain comes "
         "from the limit, not from its amount; a rate is a fraction: did you mean 0.01?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fmc_diagnostics diags;
        fmc_scenario *s = load_with_levers(cases[i].lever, &diags);
        CHECK(s != NULL && diags.count == 0);
        CHECK(has_diagnostic(&s->warnings, 12, cases[i].key, cases[i].fragment));
        if (s && !has_warning(s, 12, cases[i].key, cases[i].fragment))
            fmc_diagnostics_print_as(&s->warnings, "warning", stderr);
        fmc_scenario_free(s);
        fmc_diagnostics_clear(&diags);
    }
}

static void changes_clamped_in_1_percent_or_fewer_samples_are_silent(void)
{
    /* P(X > 0.299) = 0.5 %; a scale that lowers followers; a set inside the range */
    fmc_diagnostics diags;
    fmc_scenario *s = load_with_levers("  a: {click_rate: {add: 0.701}}\n"
                                       "  b: {followers: {scale: 0.5}}\n"
                                       "  c: {click_rate: {set: 1}}\n", &diags);
    CHECK(s != NULL && s->warnings.count == 0);
    fmc_scenario_free(s);
    fmc_diagnostics_clear(&diags);
}

/* ----- sampling:, correlations: and fit: ----- */

/* TEXT, which must be valid. */
static fmc_scenario *load_valid(const char *text)
{
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    fmc_diagnostics_print(&diags, stderr);
    fmc_diagnostics_clear(&diags);
    REQUIRE(s != NULL);
    return s;
}

/* A scenario of the funnel below (lines 1 to 10) followed by TAIL (from
 * line 11), loaded into *S; returns the diagnostics' count. */
static const char *drawn =
    "name: drawn\n"                                                     /* 1 */
    "samples: 4096\n"                                                   /* 2 */
    "inputs:\n"                                                         /* 3 */
    "  revenue_per_sale: {dist: triangular, min: 80, mode: 100, max: 130}\n" /* 4 */
    "  cost_of_goods: 10\n"                                             /* 5 */
    "  followers: {dist: lognormal, median: 1000, sigma: 0.4}\n"        /* 6 */
    "  click_rate: {dist: beta, alpha: 25, beta: 75}\n"                 /* 7 */
    "  optin_rate: {dist: beta, mean: 0.4, sd: 0.05}\n"                 /* 8 */
    "  purchase_rate: {observed: {events: 50, of: 100}}\n"              /* 9 */
    "  hourly_rate: 50\n";                                              /* 10 */

/* The funnel above, then TAIL; static storage. */
static const char *with_funnel(const char *tail)
{
    static char text[4096];
    snprintf(text, sizeof text, "%s%s", drawn, tail);
    return text;
}

static fmc_scenario *load_drawn(const char *tail, fmc_diagnostics *diags)
{
    return load_text(with_funnel(tail), diags);
}

static const char *hours_line = "  hours: {dist: uniform, min: 30, max: 50}\n";  /* 11 */

static void sampling_takes_its_defaults_per_method(void)
{
    static const struct {
        const char *sampling;
        fmc_design_method method;
        uint32_t replicates;
    } cases[] = {
        {"", FMC_DESIGN_MC, 1},
        {"sampling: {}\n", FMC_DESIGN_MC, 1},
        {"sampling: {method: mc, replicates: 4}\n", FMC_DESIGN_MC, 4},
        {"sampling: {method: lhs}\n", FMC_DESIGN_LHS, FMC_DEFAULT_DESIGN_REPLICATES},
        {"sampling: {method: qmc, replicates: 8}\n", FMC_DESIGN_QMC, 8},
        {"sampling: {method: qmc, replicates: 4096}\n", FMC_DESIGN_QMC, 4096},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char tail[200];
        snprintf(tail, sizeof tail, "%s%s", hours_line, cases[i].sampling);
        fmc_scenario *s = load_valid(with_funnel(tail));
        CHECK(s->sampling == cases[i].method);
        CHECK(s->replicates == cases[i].replicates);
        /* 4096 samples: a power of two of points in each replicate */
        CHECK(s->warnings.count == 0);
        fmc_scenario_free(s);
    }
}

static void broken_sampling_is_reported_with_its_key(void)
{
    static const struct {
        const char *sampling, *key, *fragment;
    } cases[] = {
        {"sampling: qmc\n", "sampling", "expected a mapping"},
        {"sampling: {method: sobol}\n", "sampling.method", "unknown sampling method 'sobol' "
                                                            "(known: mc, lhs, qmc)"},
        {"sampling: {method: qmc, replicates: 1}\n", "sampling.replicates",
         "no honest standard error"},
        {"sampling: {method: lhs, replicates: 1}\n", "sampling.replicates",
         "lhs needs at least 2 replicates"},
        {"sampling: {method: qmc, replicates: 0}\n", "sampling.replicates", "from 1 to 4096"},
        {"sampling: {method: qmc, replicates: 4097}\n", "sampling.replicates", "from 1 to 4096"},
        {"sampling: {method: qmc, replicates: 2.5}\n", "sampling.replicates", "whole number"},
        {"sampling: {method: qmc, replicas: 8}\n", "sampling.replicas", "unknown key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char tail[200];
        snprintf(tail, sizeof tail, "%s%s", hours_line, cases[i].sampling);
        fmc_diagnostics diags;
        fmc_scenario *s = load_drawn(tail, &diags);
        CHECK(s == NULL);
        CHECK(diags.count == 1);
        if (!has_diagnostic(&diags, 12, cases[i].key, cases[i].fragment)) {
            fprintf(stderr, "case %zu:\n", i);
            fmc_diagnostics_print(&diags, stderr);
            CHECK(0);
        }
        fmc_diagnostics_clear(&diags);
    }
}

static void samples_that_do_not_suit_the_design_are_warnings(void)
{
    const char *text =
        "name: sobol\n"                                        /* 1 */
        "samples: 1000000\n"                                   /* 2 */
        "sampling: {method: qmc}\n"                            /* 3 */
        "inputs:\n"                                            /* 4 */
        "  revenue_per_sale: 100\n"                            /* 5 */
        "  cost_of_goods: 10\n"                                /* 6 */
        "  followers: {dist: uniform, min: 500, max: 1500}\n"  /* 7 */
        "  click_rate: 0.25\n"                                 /* 8 */
        "  optin_rate: 0.4\n"                                  /* 9 */
        "  purchase_rate: 0.5\n"                               /* 10 */
        "  hourly_rate: 50\n"                                  /* 11 */
        "  hours: 40\n"                                        /* 12 */
        "sweeps:\n"                                            /* 13 */
        "  even:\n"                                            /* 14 */
        "    samples: 65536\n"                                 /* 15 */
        "    axes: {followers: {scale: [1, 2]}}\n"             /* 16 */
        "  odd:\n"                                             /* 17 */
        "    samples: 1000\n"                                  /* 18 */
        "    axes: {followers: {scale: [1, 2]}}\n";            /* 19 */
    fmc_scenario *s = load_valid(text);
    CHECK(s->replicates == FMC_DEFAULT_DESIGN_REPLICATES);
    CHECK(has_diagnostic(&s->warnings, 2, "samples", "balanced at powers of two: samples 1000000 / 16 "
                                       "replicates = 62500 points; 2^20 = 1048576 samples "
                                       "would give 65536"));
    CHECK(has_diagnostic(&s->warnings, 18, "sweeps.odd.samples", "not a multiple of 16 replicates: it is "
                                                   "rounded up to 1008 (63 points"));
    CHECK(has_diagnostic(&s->warnings, 18, "sweeps.odd.samples", "1024 samples would give 64"));
    CHECK(s->warnings.count == 3);  /* none for 65536 = 16 x 2^12 */
    fmc_scenario_free(s);
}

static void correlations_are_stored_in_index_order_with_a_copula(void)
{
    char tail[400];
    snprintf(tail, sizeof tail, "%s%s", hours_line,
             "costs: {ads: {dist: uniform, min: 0, max: 200}}\n"  /* 12 */
             "correlations:\n"                                    /* 13 */
             "  - [click_rate, followers, -0.4]\n"                /* 14 */
             "  - [optin_rate, purchase_rate, 0.5]\n"             /* 15 */
             "  - [ads, followers, 0.3]\n");                      /* 16 */
    fmc_scenario *s = load_valid(with_funnel(tail));
    REQUIRE(s->correlation_count == 3 && s->copula != NULL);
    const fmc_rank_correlation *r = s->correlations;
    CHECK(r[0].first == FMC_FOLLOWERS && r[0].second == FMC_CLICK_RATE);
    CHECK_EXACT(r[0].rank, -0.4);
    CHECK(r[1].first == FMC_OPTIN_RATE && r[1].second == FMC_PURCHASE_RATE);
    CHECK_EXACT(r[1].rank, 0.5);
    CHECK(r[2].first == FMC_FOLLOWERS && r[2].second == 8);  /* the cost line ads */
    CHECK(fmc_copula_group_of(s->copula, FMC_FOLLOWERS) >= 0);
    CHECK(fmc_copula_group_of(s->copula, 8) == fmc_copula_group_of(s->copula, FMC_CLICK_RATE));
    CHECK(fmc_copula_group_of(s->copula, FMC_HOURS) == -1);
    CHECK(fmc_copula_group_of(s->copula, FMC_REVENUE_PER_SALE) == -1);
    fmc_scenario_free(s);
}

static void broken_correlations_are_reported_at_their_item(void)
{
    char tail[1400];
    snprintf(tail, sizeof tail, "%s%s", hours_line,
             "correlations:\n"                                  /* 12 */
             "  - [followers, click_rate, -0.4]\n"              /* 13 */
             "  - [likes, click_rate, 0.2]\n"                   /* 14 */
             "  - [followers, followers, 0.2]\n"                /* 15 */
             "  - [click_rate, followers, 0.1]\n"               /* 16 */
             "  - [cost_of_goods, click_rate, 0.2]\n"           /* 17 */
             "  - [optin_rate, purchase_rate, 1]\n"             /* 18 */
             "  - [optin_rate, purchase_rate, -1.5]\n"          /* 19 */
             "  - [optin_rate, purchase_rate, strong]\n"        /* 20 */
             "  - [optin_rate, purchase_rate]\n"                /* 21 */
             "  - optin_rate\n"                                 /* 22 */
             "  - [ads, optin_rate, 0.1]\n"                     /* 23 */
             "costs: {ads: {dist: empirical, data: [50, 50]}}\n");
    fmc_diagnostics diags;
    fmc_scenario *s = load_drawn(tail, &diags);
    CHECK(s == NULL);
    CHECK(has_diagnostic(&diags, 14, "correlations[1][0]", "no input or cost line 'likes' "
                         "(known: revenue_per_sale, cost_of_goods, followers"));
    CHECK(has_diagnostic(&diags, 15, "correlations[2]", "'followers' is correlated with itself"));
    CHECK(has_diagnostic(&diags, 16, "correlations[3]", "'click_rate' and 'followers' are "
                                                        "already correlated on line 13"));
    CHECK(has_diagnostic(&diags, 17, "correlations[4][0]", "'cost_of_goods' is fixed at 10: a "
                                                           "constant has no rank"));
    CHECK(has_diagnostic(&diags, 18, "correlations[5][2]", "strictly between -1 and 1 (got 1)"));
    CHECK(has_diagnostic(&diags, 19, "correlations[6][2]", "(got -1.5)"));
    CHECK(has_diagnostic(&diags, 20, "correlations[7][2]", "expected a number, found 'strong'"));
    CHECK(has_diagnostic(&diags, 21, "correlations[8]", "[input, input, rank correlation]"));
    CHECK(has_diagnostic(&diags, 22, "correlations[9]", "found a scalar"));
    CHECK(has_diagnostic(&diags, 23, "correlations[10][0]", "'ads' is fixed at 50"));
    CHECK(diags.count == 10);
    for (size_t i = 0; i < diags.count; i++)
        if (strcmp(diags.items[i].key, "correlations[7][2]") == 0)
            CHECK(diags.items[i].column == 33);
    fmc_diagnostics_clear(&diags);

    s = load_drawn("  hours: 40\ncorrelations: {followers: click_rate}\n", &diags);
    CHECK(s == NULL && has_diagnostic(&diags, 12, "correlations", "expected a list of [input, "
                                                                  "input, rank correlation]"));
    fmc_diagnostics_clear(&diags);
}

/* Reads the suggestion "[a, b, r], [c, d, s], ..." that follows "are: "
 * in MESSAGE as YAML list items into OUT. */
static void suggestion_as_yaml(const char *message, char *out, size_t size)
{
    const char *at = strstr(message, "the nearest valid correlations are: ");
    REQUIRE(at != NULL);
    at += strlen("the nearest valid correlations are: ");
    size_t used = 0;
    while (*at == '[') {
        const char *end = strchr(at, ']');
        REQUIRE(end != NULL);
        used += (size_t)snprintf(out + used, size - used, "  - %.*s\n", (int)(end - at + 1), at);
        at = end + 1;
        at += strspn(at, ", ");
    }
}

static void correlations_that_cannot_hold_at_once_get_the_nearest_that_can(void)
{
    char tail[600];
    snprintf(tail, sizeof tail, "%s%s", hours_line,
             "correlations:\n"                            /* 12 */
             "  - [followers, click_rate, 0.9]\n"         /* 13 */
             "  - [followers, optin_rate, 0.9]\n"         /* 14 */
             "  - [click_rate, optin_rate, -0.9]\n"       /* 15 */
             "  - [hours, revenue_per_sale, 0.3]\n");     /* 16 */
    fmc_diagnostics diags;
    fmc_scenario *s = load_drawn(tail, &diags);
    CHECK(s == NULL);
    REQUIRE(diags.count == 1);
    const fmc_diagnostic *d = &diags.items[0];
    CHECK(d->line == 12 && d->column == 1 && strcmp(d->key, "correlations") == 0);
    CHECK(strstr(d->message, "the correlations of followers, click_rate and optin_rate cannot "
                             "all hold at once (their matrix is not positive definite): "
                             "[followers, click_rate, 0.9] (line 13), [followers, optin_rate, "
                             "0.9] (line 14), [click_rate, optin_rate, -0.9] (line 15); ") != NULL);
    CHECK(strstr(d->message, "hours") == NULL);  /* another group, which can hold */
    /* the suggestion, pasted in place of the three, is accepted */
    char fixed[600];
    int used = snprintf(fixed, sizeof fixed, "%scorrelations:\n", hours_line);
    suggestion_as_yaml(d->message, fixed + used, sizeof fixed - (size_t)used);
    fmc_diagnostics_clear(&diags);
    s = load_drawn(fixed, &diags);
    fmc_diagnostics_print(&diags, stderr);
    CHECK(s != NULL && s->correlation_count == 3);
    fmc_scenario_free(s);
    fmc_diagnostics_clear(&diags);
}

/* Over a horizon, inputs drawn each period correlate among themselves
 * only. */
static void correlations_pair_inputs_drawn_alike(void)
{
    static const char *head =
        "name: months\n"                                                        /* 1 */
        "inputs:\n"                                                             /* 2 */
        "  revenue_per_sale: 100\n"                                             /* 3 */
        "  cost_of_goods: 10\n"                                                 /* 4 */
        "  followers: {dist: uniform, min: 500, max: 1500}\n"                   /* 5 */
        "  click_rate: {dist: beta, alpha: 25, beta: 75, draw: each_period}\n"  /* 6 */
        "  optin_rate: {dist: beta, alpha: 40, beta: 60, draw: each_period}\n"  /* 7 */
        "  purchase_rate: 0.5\n"                                                /* 8 */
        "  hourly_rate: 50\n"                                                   /* 9 */
        "  hours: 40\n"                                                         /* 10 */
        "horizon:\n"                                                            /* 11 */
        "  periods: 12\n"                                                       /* 12 */
        "  followers: {growth: {dist: normal, mean: 0.02, sd: 0.01, min: -1}}\n" /* 13 */
        "correlations:\n";                                                      /* 14 */
    char text[1200];
    snprintf(text, sizeof text, "%s%s", head,
             "  - [click_rate, optin_rate, 0.6]\n"   /* 15 */
             "  - [followers, growth, 0.3]\n");      /* 16 */
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    fmc_diagnostics_print(&diags, stderr);
    CHECK(s != NULL && s->correlation_count == 2);
    fmc_scenario_free(s);
    fmc_diagnostics_clear(&diags);

    snprintf(text, sizeof text, "%s%s", head, "  - [followers, click_rate, -0.4]\n");
    s = load_text(text, &diags);
    CHECK(s == NULL);
    CHECK(has_diagnostic(&diags, 15, "correlations[0]", "'click_rate' is drawn each period and "
                         "'followers' once for the whole horizon: they are drawn a different "
                         "number of times"));
    fmc_diagnostics_clear(&diags);

    /* a lever's number is drawn once per path */
    const char *lever = "levers:\n  photos: {click_rate: {add: {dist: uniform, min: 0, max: 0.02}}}\n";
    snprintf(text, sizeof text, "%s%s%s", head, "  - [click_rate, photos.click_rate.add, 0.3]\n",
             lever);
    s = load_text(text, &diags);
    CHECK(s == NULL);
    CHECK(has_diagnostic(&diags, 15, "correlations[0]", "'click_rate' is drawn each period and "
                         "'photos.click_rate.add' once for the whole horizon"));
    fmc_diagnostics_clear(&diags);
    snprintf(text, sizeof text, "%s%s%s", head, "  - [photos.click_rate.add, followers, 0.3]\n",
             lever);
    s = load_text(text, &diags);
    REQUIRE(s != NULL);
    size_t followers = FMC_FOLLOWERS, number = s->input_count;  /* the first lever number */
    CHECK(s->copula == NULL && s->lever_copula != NULL);
    CHECK(s->correlations[0].first == followers && s->correlations[0].second == number);
    CHECK(fmc_copula_group_of(s->lever_copula, followers) ==
          fmc_copula_group_of(s->lever_copula, number));
    fmc_scenario_free(s);
    fmc_diagnostics_clear(&diags);
}

static void fitted_inputs_take_the_best_law_and_keep_the_ranking(void)
{
    const char *tail =
        "  hours: {fit: [38, 41.5, 40.25, 36, 44, 39.5, 42], base: 40}\n"  /* 11 */
        "costs:\n"                                                         /* 12 */
        "  ads: {fit: [120, 80.5, 150, 95, 110, 132]}\n"                   /* 13 */
        "levers:\n"                                                        /* 14 */
        "  more_ads: {ads: {scale: 1.5}, hours: {add: 2}}\n"               /* 15 */
        "sweeps:\n"                                                        /* 16 */
        "  effort: {axes: {hours: {scale: [0.5, 1, 2]}}}\n"                /* 17 */
        "correlations:\n"                                                  /* 18 */
        "  - [hours, ads, 0.35]\n";                                        /* 19 */
    fmc_scenario *s = load_valid(with_funnel(tail));
    const fmc_input *hours = &s->inputs[FMC_HOURS], *ads = &s->inputs[8];
    REQUIRE(hours->fit != NULL && ads->fit != NULL);
    CHECK(hours->fit->value_count == 7 && ads->fit->value_count == 6);
    CHECK(hours->fit->count >= 1 && hours->fit->candidates[0].fitted);
    /* the input's law is the winner's, a copy */
    const fmc_dist *best = &ads->fit->candidates[0].dist;
    CHECK(ads->dist.kind == best->kind && ads->dist.kind == ads->fit->candidates[0].law);
    CHECK_EXACT(fmc_dist_mean(&ads->dist), fmc_dist_mean(best));
    CHECK_EXACT(fmc_dist_quantile(&ads->dist, 0.9), fmc_dist_quantile(best, 0.9));
    CHECK_EXACT(ads->base, fmc_dist_mean(best));  /* the base defaults to the mean */
    CHECK_EXACT(hours->base, 40);
    CHECK(ads->dist.min >= 0 && hours->dist.min >= 0);  /* within the inputs' range */
    CHECK(s->inputs[FMC_FOLLOWERS].fit == NULL);
    CHECK(s->lever_count == 1 && s->sweep_count == 1 && s->correlation_count == 1);
    fmc_scenario_free(s);
}

static void a_fitted_growth_stays_above_minus_one(void)
{
    const char *text =
        "name: growing\n"
        "inputs:\n"
        "  revenue_per_sale: 100\n"
        "  cost_of_goods: 10\n"
        "  followers: 1000\n"
        "  click_rate: {fit: [0.21, 0.27, 0.24, 0.3, 0.26, 0.23]}\n"
        "  optin_rate: 0.4\n"
        "  purchase_rate: 0.5\n"
        "  hourly_rate: 50\n"
        "  hours: 40\n"
        "horizon:\n"
        "  periods: 12\n"
        "  followers:\n"
        "    growth: {fit: [0.05, -0.02, 0.03, 0.01, -0.04, 0.06], draw: each_period}\n"
        "    churn: {fit: [0.01, 0.02, 0.015, 0.03, 0.012]}\n";
    fmc_scenario *s = load_valid(text);
    const fmc_input *growth = &s->inputs[s->horizon->growth];
    const fmc_input *churn = &s->inputs[s->horizon->churn];
    CHECK(growth->fit != NULL && growth->each_period == 1 && growth->dist.min >= -1);
    CHECK(churn->fit != NULL && churn->dist.min >= 0 && churn->dist.max <= 1);
    const fmc_input *click = &s->inputs[FMC_CLICK_RATE];
    CHECK(click->fit != NULL && click->dist.min >= 0 && click->dist.max <= 1);
    fmc_scenario_free(s);
}

static void broken_fits_are_reported_at_the_offending_value(void)
{
    const char *text =
        "name: data\n"                                                             /* 1 */
        "inputs:\n"                                                                /* 2 */
        "  revenue_per_sale: {fit: [100, 95, 105, 99, 1e999]}\n"                   /* 3 */
        "  cost_of_goods: {fit: [10, 11, 9, ten, 10.5]}\n"                         /* 4 */
        "  followers: {fit: [900, 1100, -30, 950, 1000]}\n"                        /* 5 */
        "  click_rate: {fit: [0.2, 12, 0.3, 0.25, 0.22]}\n"                        /* 6 */
        "  optin_rate: {fit: [0.4, 0.5, 0.45]}\n"                                  /* 7 */
        "  purchase_rate: {fit: [0.4, 0.5, 0.45, 0.52, 0.48], laws: [beta, poisson]}\n" /* 8 */
        "  hourly_rate: {fit: [50, 55, 45, 60, 52], dist: uniform, min: 40, max: 60}\n" /* 9 */
        "  hours: {fit: [40, 40, 40, 40, 40]}\n"                                   /* 10 */
        "costs:\n"                                                                 /* 11 */
        "  ads: {fit: [100, 90, 80, 70, 60], laws: [gamma, gamma]}\n"              /* 12 */
        "  tools: {fit: [29, 29, 30, 31, 29], laws: []}\n"                         /* 13 */
        "  rent: {fit: 100}\n"                                                     /* 14 */
        "  misc: {fit: [1, 2, 3, 4, 5], sd: 3}\n"                                  /* 15 */
        "  fees: {fit: [1, 2, 3, 4, 5], observed: {events: 1, of: 2}}\n";          /* 16 */
    fmc_diagnostics diags;
    fmc_scenario *s = load_text(text, &diags);
    CHECK(s == NULL);
    CHECK(has_diagnostic(&diags, 3, "inputs.revenue_per_sale.fit[4]", "not a finite number"));
    CHECK(has_diagnostic(&diags, 4, "inputs.cost_of_goods.fit[3]", "expected a number, found "
                                                                   "'ten'"));
    CHECK(has_diagnostic(&diags, 5, "inputs.followers.fit[2]", "followers is never negative: "
                                                              "-30 is below 0"));
    CHECK(has_diagnostic(&diags, 6, "inputs.click_rate.fit[1]", "click_rate is a rate: 12 is "
                         "outside [0, 1]; give rates as fractions"));
    CHECK(has_diagnostic(&diags, 7, "inputs.optin_rate.fit", "a fit needs at least 5 values, "
                                                            "found 3"));
    CHECK(has_diagnostic(&diags, 8, "inputs.purchase_rate.laws[1]", "'poisson' is not a law "
                                                                   "funnelmc fits (it fits "));
    CHECK(has_diagnostic(&diags, 9, "inputs.hourly_rate", "give either 'fit' (values to fit a "
                                                          "law to) or 'dist'"));
    CHECK(has_diagnostic(&diags, 10, "inputs.hours.fit", "no law could be fitted to these 5 "
                                                         "values (tried "));
    CHECK(has_diagnostic(&diags, 10, "inputs.hours.fit", "all 40, with no spread"));
    CHECK(has_diagnostic(&diags, 12, "costs.ads.laws[1]", "'gamma' is named twice"));
    CHECK(has_diagnostic(&diags, 13, "costs.tools.laws", "found an empty list"));
    CHECK(has_diagnostic(&diags, 14, "costs.rent.fit", "expected a list of numbers"));
    CHECK(has_diagnostic(&diags, 15, "costs.misc.sd", "unknown key in an input fitted to data "
                                                      "(known keys: fit, laws, base)"));
    CHECK(has_diagnostic(&diags, 16, "costs.fees", "or 'observed' (counts), not both"));
    CHECK(diags.count == 13);
    if (diags.count != 13)
        fmc_diagnostics_print(&diags, stderr);
    for (size_t i = 0; i < diags.count; i++)
        if (strcmp(diags.items[i].key, "inputs.click_rate.fit[1]") == 0)
            CHECK(diags.items[i].column == 27);
    fmc_diagnostics_clear(&diags);
}

/* Zeros among counts rule out the laws of positive values alone. */
static void zeros_fitted_by_lognormal_and_gamma_only_say_why(void)
{
    char tail[200];
    snprintf(tail, sizeof tail, "%s",
             "  hours: {fit: [0, 12, 30, 8, 20, 0], laws: [lognormal, gamma]}\n");  /* 11 */
    fmc_diagnostics diags;
    fmc_scenario *s = load_drawn(tail, &diags);
    CHECK(s == NULL);
    CHECK(has_diagnostic(&diags, 11, "inputs.hours.fit", "no law could be fitted to these 6 "
                         "values (tried lognormal, gamma): they include 0, which lognormal or "
                         "gamma never gives"));
    fmc_diagnostics_clear(&diags);
}

TEST_MAIN_BEGIN
RUN_TEST(reference_scenario_is_read_field_by_field);
RUN_TEST(worked_example_is_built_in_with_every_input_fixed);
RUN_TEST(optional_keys_take_their_documented_defaults);
RUN_TEST(ranges_with_round_decimal_steps_give_the_doubles_of_their_decimals);
RUN_TEST(a_range_of_the_format_example_gives_its_decimals);
RUN_TEST(steps_that_are_not_decimals_are_rounded_once);
RUN_TEST(ranges_past_exact_integers_keep_their_ends);
RUN_TEST(a_sweep_range_in_a_scenario_gives_its_decimals);
RUN_TEST(every_error_of_a_file_is_reported_in_one_pass);
RUN_TEST(unreadable_file_is_an_io_error_with_the_reason);
RUN_TEST(change_operations_are_named_by_their_keys);
RUN_TEST(counted_rates_are_their_beta_posteriors);
RUN_TEST(counts_at_the_ends_keep_the_prior);
RUN_TEST(broken_counts_are_reported_with_their_key);
RUN_TEST(horizon_is_read_key_by_key);
RUN_TEST(horizon_keys_take_their_defaults);
RUN_TEST(without_a_horizon_nothing_is_added);
RUN_TEST(broken_horizon_keys_are_reported_with_their_key);
RUN_TEST(periods_outside_1_to_600_are_refused);
RUN_TEST(horizon_keys_without_a_horizon_are_refused);
RUN_TEST(a_tab_is_named_with_its_place);
RUN_TEST(a_byte_that_is_not_utf8_is_reported_where_it_is);
RUN_TEST(an_unknown_input_key_does_not_cascade_into_levers_and_sweeps);
RUN_TEST(numeric_limits_are_stated_in_their_errors);
RUN_TEST(changes_clamped_in_over_1_percent_of_samples_are_warnings);
RUN_TEST(changes_clamped_in_1_percent_or_fewer_samples_are_silent);
RUN_TEST(sampling_takes_its_defaults_per_method);
RUN_TEST(broken_sampling_is_reported_with_its_key);
RUN_TEST(samples_that_do_not_suit_the_design_are_warnings);
RUN_TEST(correlations_are_stored_in_index_order_with_a_copula);
RUN_TEST(broken_correlations_are_reported_at_their_item);
RUN_TEST(correlations_that_cannot_hold_at_once_get_the_nearest_that_can);
RUN_TEST(correlations_pair_inputs_drawn_alike);
RUN_TEST(fitted_inputs_take_the_best_law_and_keep_the_ranking);
RUN_TEST(a_fitted_growth_stays_above_minus_one);
RUN_TEST(broken_fits_are_reported_at_the_offending_value);
RUN_TEST(zeros_fitted_by_lognormal_and_gamma_only_say_why);
TEST_MAIN_END
