/* Levers: the worked example exactly, the reference scenario's levers
 * against their analytic gains, the variance reduction of common random
 * numbers with errors that match the spread over seeds, clamping, and the
 * probabilities of improving and of beating another lever in closed form. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "funnelmc/engine.h"
#include "funnelmc/levers.h"
#include "fixtures.h"


static void worked_example_levers_add_4500_4500_and_1192_5(void)
{
    fmc_scenario *s = load_worked_example();
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, 1000, 2, 0, 1, NULL, NULL, &r) == FMC_OK);
    const fmc_lever_results *l = &r.levers;
    CHECK(l->count == 3);
    CHECK_EXACT(l->gain[0].mean, 4500);  /* doubling followers */
    CHECK_EXACT(l->gain[0].sd, 0);
    CHECK_NEAR(l->gain[1].mean, 4500, 1e-9);    /* +15 and +10 points */
    CHECK_NEAR(l->gain[2].mean, 1192.5, 1e-9);  /* x1.15 and x1.10 */
    for (int i = 0; i < 3; i++) {
        CHECK_EXACT(l->mean_cost[i], 0);
        CHECK_EXACT(l->p_improve[i], 1);
        CHECK_EXACT(l->clamped_share[i], 0);
    }
    /* the first two are one and the same gain: they tie in every outcome */
    CHECK_NEAR(l->p_tie[0 * 3 + 1], 1, 1e-12);
    CHECK_EXACT(l->p_beats[0 * 3 + 2], 1);
    CHECK_EXACT(l->p_beats[2 * 3 + 0], 0);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static double mean_of(const fmc_scenario *s, int input)
{
    return fmc_dist_mean(&s->inputs[input].dist);
}

static void reference_levers_gain_their_analytic_values(void)
{
    fmc_scenario *s = load_reference();
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, 2000000, 2, 0, 1, NULL, NULL, &r) == FMC_OK);
    const fmc_lever_results *l = &r.levers;
    /* doubling F adds (R - Cg) F Cr Or Pr once more: E = E[R - Cg] E[F] E[Cr] E[Or] E[Pr] */
    double expected = (mean_of(s, FMC_REVENUE_PER_SALE) - mean_of(s, FMC_COST_OF_GOODS)) *
                      mean_of(s, FMC_FOLLOWERS) * mean_of(s, FMC_CLICK_RATE) *
                      mean_of(s, FMC_OPTIN_RATE) * mean_of(s, FMC_PURCHASE_RATE);
    CHECK_NEAR(l->gain[0].mean, expected, 1.959964 * l->gain[0].se);  /* inside its 95 % CI */
    /* better_content costs 10 hours at the sampled hourly rate: 10 E[h] = 500 */
    double sd_h = sqrt(fmc_dist_variance(&s->inputs[FMC_HOURLY_RATE].dist));
    CHECK_NEAR(l->mean_cost[1], 10 * mean_of(s, FMC_HOURLY_RATE), 4.5 * 10 * sd_h / sqrt(2e6));
    /* better_content's net gain: (R - Cg) F ((Cr + 0.15)(Or + 0.10) - Cr Or) Pr
     * - 10 h, whose mean factorises (neither rate comes near 1 to be clamped) */
    double net = (mean_of(s, FMC_REVENUE_PER_SALE) - mean_of(s, FMC_COST_OF_GOODS)) *
                     mean_of(s, FMC_FOLLOWERS) * mean_of(s, FMC_PURCHASE_RATE) *
                     (0.15 * mean_of(s, FMC_OPTIN_RATE) + 0.10 * mean_of(s, FMC_CLICK_RATE) + 0.015) -
                 10 * mean_of(s, FMC_HOURLY_RATE);
    CHECK_NEAR(l->net[1].mean, net, 4.5 * l->net[1].se);
    /* raising the price to 120 loses money when R was above 120 */
    double above = 1 - fmc_dist_cdf(&s->inputs[FMC_REVENUE_PER_SALE].dist, 120);
    CHECK_NEAR(l->p_improve[2], 1 - above, 4.5 * l->p_improve_se[2] + 1e-3);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* Followers uniform on [0, 2000], all else the worked example's: each
 * follower is worth 90 x 0.25 x 0.4 x 0.5 = 4.5. */
static const char *uniform_audience =
    "name: uniform-audience\nseed: 17\ninputs:\n"
    "  revenue_per_sale: 100\n  cost_of_goods: 10\n"
    "  followers: {dist: uniform, min: 0, max: 2000}\n"
    "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
    "  hourly_rate: 50\n  hours: 40\n"
    "levers:\n"
    "  double_followers: {followers: {scale: 2}, cost: {money: 1000}}\n"
    "  fixed_audience: {followers: {set: 1500}}\n";

static void probabilities_of_improving_and_beating_have_closed_forms(void)
{
    enum { N = 200000 };
    fmc_scenario *s = load_text(uniform_audience);
    fmc_run_options o = fmc_run_options_default();
    o.samples = N;
    o.levers = 1;
    fmc_run_result r = {0};
    REQUIRE(fmc_simulate(s, &o, &r) == FMC_OK);
    const fmc_lever_results *l = &r.levers;
    REQUIRE(l->count == 2);
    /* net gains 4.5 F - 1000 and 4.5 (1500 - F), F ~ U(0, 2000) */
    CHECK_NEAR(l->mean_cost[0], 1000, 1e-9);
    CHECK_EXACT(l->mean_cost[1], 0);
    CHECK_NEAR(l->gain[0].mean, 4500, 4.5 * l->gain[0].se);
    CHECK_NEAR(l->gain[1].mean, 2250, 4.5 * l->gain[1].se);
    /* P(4.5 F > 1000) = 1 - 222.2 / 2000; P(F < 1500) = 0.75;
     * P(4.5 F - 1000 > 4.5 (1500 - F)) = P(F > 7750 / 9) */
    const double improve[2] = {1 - 1000 / 4.5 / 2000, 0.75};
    const double beats = 1 - 7750.0 / 9 / 2000;
    for (int i = 0; i < 2; i++) {
        double se = sqrt(improve[i] * (1 - improve[i]) / N);
        CHECK_NEAR(l->p_improve[i], improve[i], 4.5 * se);
        CHECK_NEAR(l->p_improve_se[i], se, 0.01 * se);
    }
    double se = sqrt(beats * (1 - beats) / N);
    CHECK_NEAR(l->p_beats[0 * 2 + 1], beats, 4.5 * se);
    CHECK_NEAR(l->p_beats[1 * 2 + 0], 1 - beats, 4.5 * se);
    /* a continuous audience: equal net profits have probability 0 */
    CHECK(l->p_tie[0 * 2 + 1] < 1e-4 && l->p_tie[1 * 2 + 0] < 1e-4);
    /* the diagonal, as documented */
    CHECK_EXACT(l->p_beats[0], 0);
    CHECK_EXACT(l->p_tie[0], 1);
    CHECK_EXACT(l->p_tie[3], 1);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* Keeps each sample's baseline and lever profit, to compare the gain's
 * uncertainty under common random numbers with independent draws. */
typedef struct pairs {
    const fmc_scenario *scenario;
    double sum_base, sum_base2, sum_lever, sum_lever2, sum_gain, sum_gain2;
    uint64_t n;
} pairs;

static fmc_status keep_pairs(void *context, uint64_t first, size_t count,
                             const double *const *inputs, const double *const *outputs)
{
    (void)first;
    pairs *p = context;
    const fmc_lever *lever = &p->scenario->levers[0];
    size_t d = p->scenario->input_count;
    double *changed = malloc((d + 1) * count * sizeof *changed);
    double *lever_profit = malloc(count * sizeof *lever_profit);
    double *scratch[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES + 1];
    const double *columns[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    unsigned char *clamped = malloc(count);
    if (!changed || !lever_profit || !clamped) {
        free(changed);
        free(lever_profit);
        free(clamped);
        return FMC_ENOMEM;
    }
    for (size_t j = 0; j <= d; j++)
        scratch[j] = changed + j * count;
    fmc_lever_apply(p->scenario, lever, NULL, inputs, count, scratch, columns, clamped);
    fmc_model_profit_block(columns, fmc_scenario_cost_lines(p->scenario), count, lever_profit);
    for (size_t i = 0; i < count; i++) {
        double base = outputs[FMC_OUT_PROFIT][i], with = lever_profit[i], gain = with - base;
        p->sum_base += base;
        p->sum_base2 += base * base;
        p->sum_lever += with;
        p->sum_lever2 += with * with;
        p->sum_gain += gain;
        p->sum_gain2 += gain * gain;
    }
    p->n += count;
    free(changed);
    free(lever_profit);
    free(clamped);
    return FMC_OK;
}

/* A typical lever: two more points of click rate. */
static const char *two_points_scenario =
    "name: crn\nseed: 3\ninputs:\n"
    "  revenue_per_sale: {dist: triangular, min: 80, mode: 100, max: 130}\n"
    "  cost_of_goods: {dist: triangular, min: 8, mode: 10, max: 14}\n"
    "  followers: {dist: lognormal, median: 1000, sigma: 0.4}\n"
    "  click_rate: {dist: beta, alpha: 25, beta: 75}\n"
    "  optin_rate: {dist: beta, mean: 0.4, sd: 0.05}\n"
    "  purchase_rate: {dist: beta, alpha: 50, beta: 50}\n"
    "  hourly_rate: {dist: uniform, min: 40, max: 60}\n"
    "  hours: {dist: normal, mean: 40, sd: 5, min: 20, max: 60}\n"
    "levers:\n  two_points: {click_rate: {add: 0.02}}\n";

static void add_gain(const fmc_run_result *r, void *context)
{
    spread_add(context, r->levers.gain[0].mean, r->levers.gain[0].se);
}

static void common_random_numbers_narrow_the_interval_at_least_fivefold(void)
{
    fmc_scenario *s = load_text(two_points_scenario);
    pairs p = {s, 0, 0, 0, 0, 0, 0, 0};
    fmc_run_result r = {0};
    uint64_t n = 200000;
    REQUIRE(run_analyses(s, n, 2, 0, 1, keep_pairs, &p, &r) == FMC_OK);
    double N = (double)p.n;
    double var_base = (p.sum_base2 - p.sum_base * p.sum_base / N) / (N - 1);
    double var_lever = (p.sum_lever2 - p.sum_lever * p.sum_lever / N) / (N - 1);
    double var_gain = (p.sum_gain2 - p.sum_gain * p.sum_gain / N) / (N - 1);
    double se_common = sqrt(var_gain / N), se_independent = sqrt((var_base + var_lever) / N);
    printf("     standard error of the gain: %.3g with common draws, %.3g with independent "
           "ones (%.1fx)\n", se_common, se_independent, se_independent / se_common);
    CHECK(se_independent >= 5 * se_common);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* The reported error of the gain is the real spread of the mean gain over
 * independent runs: the narrow interval of common draws is earned. */
static void gain_standard_error_matches_the_spread_over_seeds(void)
{
    enum { RUNS = 200 };
    fmc_scenario *s = load_text(two_points_scenario);
    spread gain = {0};
    REQUIRE(run_seeds(s, RUNS, 2048, 0, 1, add_gain, &gain));
    CHECK_NEAR(spread_ratio(&gain), 1, spread_tolerance(RUNS));
    fmc_scenario_free(s);
}

static void clamped_changes_are_counted(void)
{
    fmc_scenario *s = load_text(
        "name: clamp\nseed: 5\ninputs:\n"
        "  revenue_per_sale: 100\n  cost_of_goods: 10\n  followers: 1000\n"
        "  click_rate: {dist: uniform, min: 0, max: 0.5}\n"
        "  optin_rate: 0.4\n  purchase_rate: 0.5\n  hourly_rate: 50\n  hours: 40\n"
        "levers:\n  too_much: {click_rate: {add: 0.6}}\n  none: {click_rate: {scale: 0}}\n");
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, 100000, 1, 0, 1, NULL, NULL, &r) == FMC_OK);
    /* click + 0.6 exceeds 1 when click > 0.4: a fifth of uniform(0, 0.5) */
    double share = r.levers.clamped_share[0];
    CHECK_NEAR(share, 0.2, 4.5 * sqrt(0.2 * 0.8 / 100000));
    /* the clamped samples sell at a click rate of exactly 1 */
    CHECK(r.levers.gain[0].max <= 90 * 1000 * (1 - 0.0) * 0.4 * 0.5 + 1e-9);
    CHECK_EXACT(r.levers.clamped_share[1], 0);
    /* scale 0: no clicks, no sales: the gain is minus the margin */
    CHECK_NEAR(r.levers.gain[1].mean, -90 * 1000 * 0.25 * 0.4 * 0.5, 4.5 * r.levers.gain[1].se);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static void equivalent_changes_match_the_worked_example(void)
{
    fmc_scenario *s = load_worked_example();
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, 1000, 2, 0, 1, NULL, NULL, &r) == FMC_OK);
    const fmc_lever_results *l = &r.levers;
    size_t d = l->inputs;
    /* doubling followers = +0.25 click-rate points = +90 revenue per sale */
    CHECK_NEAR(l->equivalent_add[0 * d + FMC_CLICK_RATE], 0.25, 1e-9);
    CHECK_NEAR(l->equivalent_add[0 * d + FMC_REVENUE_PER_SALE], 90, 1e-7);
    CHECK_NEAR(l->equivalent_scale[0 * d + FMC_FOLLOWERS], 2, 1e-9);
    CHECK_NEAR(l->equivalent_add[0 * d + FMC_FOLLOWERS], 1000, 1e-6);
    CHECK_NEAR(l->equivalent_scale[0 * d + FMC_CLICK_RATE], 2, 1e-9);
    /* the purchase rate reaches 1 at +0.5 and gains no more beyond */
    CHECK_NEAR(l->equivalent_add[0 * d + FMC_PURCHASE_RATE], 0.5, 1e-9);
    /* cutting hours saves at most the whole time cost, 2000 < 4500; cutting
     * the cost of goods at most 10 x 50 sales = 500 */
    CHECK(isnan(l->equivalent_add[0 * d + FMC_HOURS]));
    CHECK(isnan(l->equivalent_scale[0 * d + FMC_HOURS]));
    CHECK(isnan(l->equivalent_add[0 * d + FMC_COST_OF_GOODS]));
    /* x1.15 and x1.10 of the rates (+1192.5) = +23.85 revenue per sale */
    CHECK_NEAR(l->equivalent_add[2 * d + FMC_REVENUE_PER_SALE], 1192.5 / 50, 1e-7);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static void pairs_report_their_interaction(void)
{
    fmc_scenario *s = load_reference();
    fmc_run_options o = fmc_run_options_default();
    o.samples = 300000;
    o.levers = 1;
    o.combine = 1;
    o.equivalents = 1;
    fmc_run_result r = {0};
    REQUIRE(fmc_simulate(s, &o, &r) == FMC_OK);
    const fmc_lever_results *l = &r.levers;
    CHECK(l->pairs == 3 && l->pair_first[0] == 0 && l->pair_second[0] == 1);
    /* doubling followers doubles what better content adds, sample by sample:
     * the interaction of the pair is better content's own gain */
    CHECK_NEAR(l->interaction[0].mean, l->gain[1].mean, 1e-9 * l->gain[1].mean);
    /* both at once: (R - Cg) Pr (2 F (Cr + 0.15)(Or + 0.10) - F Cr Or), whose
     * mean factorises */
    double both = (mean_of(s, FMC_REVENUE_PER_SALE) - mean_of(s, FMC_COST_OF_GOODS)) *
                  mean_of(s, FMC_FOLLOWERS) * mean_of(s, FMC_PURCHASE_RATE) *
                  (2 * (mean_of(s, FMC_CLICK_RATE) + 0.15) * (mean_of(s, FMC_OPTIN_RATE) + 0.10) -
                   mean_of(s, FMC_CLICK_RATE) * mean_of(s, FMC_OPTIN_RATE));
    CHECK_NEAR(l->combined[0].mean, both, 4.5 * l->combined[0].se);
    /* raise_price (R set to 120) after double_followers: both scale the margin */
    CHECK(l->pair_first[1] == 0 && l->pair_second[1] == 2);
    CHECK_NEAR(l->interaction[1].mean, l->gain[2].mean, 1e-9 * fabs(l->gain[2].mean));
    /* a pair's net gain pays both levers' costs: better content's hours */
    for (size_t q = 0; q < l->pairs; q++) {
        size_t a = l->pair_first[q], b = l->pair_second[q];
        double costs = l->mean_cost[a] + l->mean_cost[b];
        CHECK_NEAR(l->pair_net[q].mean, l->combined[q].mean - costs,
                   1e-9 * fabs(l->combined[q].mean));
    }
    CHECK(l->pair_net[0].mean < l->combined[0].mean - 400);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* The reference's uncertain inputs and one lever that acts on two of them. */
static const char *one_lever_scenario =
    "name: one-lever\n"
    "seed: 5\n"
    "inputs:\n"
    "  revenue_per_sale: {dist: triangular, min: 80, mode: 100, max: 130}\n"
    "  cost_of_goods: 10\n"
    "  followers: {dist: lognormal, median: 1000, sigma: 0.4}\n"
    "  click_rate: {dist: beta, alpha: 25, beta: 75}\n"
    "  optin_rate: {dist: beta, mean: 0.4, sd: 0.05}\n"
    "  purchase_rate: 0.5\n"
    "  hourly_rate: 50\n"
    "  hours: {dist: normal, mean: 40, sd: 5, min: 20, max: 60}\n"
    "levers:\n"
    "  better_content:\n"
    "    click_rate: {add: 0.15}\n"
    "    optin_rate: {add: 0.10}\n";

static void add_equivalents(const fmc_run_result *r, void *context)
{
    spread *per_change = context;  /* [inputs][add, scale] of the one lever */
    for (size_t j = 0; j < r->levers.inputs; j++) {
        spread_add(&per_change[2 * j], r->levers.equivalent_add[j], r->levers.equivalent_add_se[j]);
        spread_add(&per_change[2 * j + 1], r->levers.equivalent_scale[j],
                   r->levers.equivalent_scale_se[j]);
    }
}

/* The delta-method errors of the equivalent amounts against their spread
 * over independent runs. */
static void equivalent_amounts_have_the_standard_error_of_their_spread(void)
{
    enum { RUNS = 150 };
    fmc_scenario *s = load_text(one_lever_scenario);
    spread per_change[2 * (FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES)] = {{0}};
    REQUIRE(run_seeds(s, RUNS, 2048, 0, 1, add_equivalents, per_change));
    int checked = 0;
    for (size_t k = 0; s && k < 2 * s->input_count; k++) {
        const spread *x = &per_change[k];
        if (!(x->se_squares > 0) || isnan(x->sum))  /* exact (sd 0) or no equivalent */
            continue;
        CHECK_NEAR(spread_ratio(x), 1, spread_tolerance(RUNS));
        checked++;
    }
    CHECK(checked >= 8);
    fmc_scenario_free(s);
}

static void lever_results_are_bit_identical_for_any_thread_count(void)
{
    fmc_scenario *s = load_reference();
    fmc_run_result one = {0}, three = {0};
    REQUIRE(run_analyses(s, 600007, 1, 0, 1, NULL, NULL, &one) == FMC_OK);
    REQUIRE(run_analyses(s, 600007, 3, 0, 1, NULL, NULL, &three) == FMC_OK);
    const fmc_lever_results *a = &one.levers, *b = &three.levers;
    size_t L = a->count, d = a->inputs;
    REQUIRE(L == 3 && b->count == L && b->inputs == d);
    CHECK(same_summaries(a->gain, b->gain, L) && same_summaries(a->net, b->net, L));
    CHECK(same_bits(a->mean_cost, b->mean_cost, L) && same_bits(a->p_improve, b->p_improve, L));
    CHECK(same_bits(a->p_improve_se, b->p_improve_se, L));
    CHECK(same_bits(a->clamped_share, b->clamped_share, L));
    CHECK(same_bits(a->p_beats, b->p_beats, L * L) && same_bits(a->p_tie, b->p_tie, L * L));
    CHECK(same_bits(a->equivalent_add, b->equivalent_add, L * d));
    CHECK(same_bits(a->equivalent_add_se, b->equivalent_add_se, L * d));
    CHECK(same_bits(a->equivalent_scale, b->equivalent_scale, L * d));
    CHECK(same_bits(a->equivalent_scale_se, b->equivalent_scale_se, L * d));
    fmc_run_result_clear(&one);
    fmc_run_result_clear(&three);
    fmc_scenario_free(s);
}

static void worked_example_effects_have_their_closed_forms(void)
{
    fmc_scenario *s = load_text(
        "name: effects\nseed: 3\n" WORKED_INPUTS
        "levers:\n"
        "  half_quality: {followers: {scale: 2, quality: 0.5}}\n"
        "  elastic_price: {revenue_per_sale: {set: 120, elasticity: 1}}\n"
        "  post_half: {hours: {scale: 0.5, response: 1}}\n"
        "  lose_half: {followers: {scale: 0.5, quality: 0.3}}\n"
        "  post_half_reach_kept: {hours: {scale: 0.5}}\n");
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, 1000, 2, 0, 1, NULL, NULL, &r) == FMC_OK);
    const fmc_lever_results *l = &r.levers;
    REQUIRE(l->count == 5);
    /* 1000 new followers at half the rates: 25 more sales of margin 90 */
    CHECK_EXACT(l->gain[0].mean, 2250);
    CHECK_EXACT(l->gain[0].sd, 0);
    /* price 120, purchase rate 0.5 x 100 / 120: (120 - 10) 50 100 / 120 - 2000 */
    double elastic = (120.0 - 10) * 50 * 100 / 120 - 2000;
    CHECK_NEAR(l->gain[1].mean, elastic - 2500, 1e-9 * elastic);
    CHECK_EXACT(l->gain[1].sd, 0);
    /* half the hours reach half the followers: 90 x 500 x 0.05 - 50 x 20 */
    double post_half = 90.0 * 500 * 0.25 * 0.4 * 0.5 - 50.0 * 20;
    CHECK_NEAR(l->gain[2].mean, post_half - 2500, 1e-9 * 2500);
    /* a loss of followers loses average ones: quality does not apply */
    CHECK_NEAR(l->gain[3].mean, -2250, 1e-9 * 2250);
    /* without a response, cutting hours only saves their cost */
    CHECK_NEAR(l->gain[4].mean, 1000, 1e-9 * 1000);
    for (int i = 0; i < 5; i++)
        CHECK_EXACT(l->clamped_share[i], 0);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* E[(R - Cg) F Cr Or Pr] of REFERENCE_INPUTS, from the laws' closed-form
 * means: triangular (a + b + c) / 3, lognormal m e^(s^2 / 2), beta a / (a + b)
 * or its given mean; the inputs are independent. */
static double reference_margin_of_sales(void)
{
    double revenue = (80.0 + 100 + 130) / 3, goods = (8.0 + 10 + 14) / 3;
    double followers = 1000 * exp(0.4 * 0.4 / 2);
    double click = 25.0 / (25 + 75), optin = 0.4, purchase = 50.0 / (50 + 50);
    return (revenue - goods) * followers * click * optin * purchase;
}

static void uncertain_scale_and_cost_have_their_closed_forms(void)
{
    enum { N = 1000000 };
    fmc_scenario *s = load_text(
        "name: uncertain-amounts\nseed: 11\n" REFERENCE_INPUTS
        "levers:\n"
        "  wider: {followers: {scale: {dist: uniform, min: 1.5, max: 2.5}}}\n"
        "  doubled_at_a_price:\n"
        "    followers: {scale: 2}\n"
        "    cost: {money: {dist: uniform, min: 0, max: 200}}\n");
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, N, 2, 0, 1, NULL, NULL, &r) == FMC_OK);
    const fmc_lever_results *l = &r.levers;
    REQUIRE(l->count == 2);
    /* the scale k is independent of the inputs: E[gain] = E[margin x sales] (E[k] - 1) */
    double mean_k = (1.5 + 2.5) / 2;
    CHECK_NEAR(l->gain[0].mean, reference_margin_of_sales() * (mean_k - 1), 4.5 * l->gain[0].se);
    CHECK_EXACT(l->mean_cost[0], 0);
    /* more spread than a certain doubling, drawn on the same inputs */
    CHECK(l->gain[0].sd > l->gain[1].sd);
    CHECK_EXACT(l->p_improve[0], 1);  /* every k > 1 gains: the margin is > 0 */
    /* the gain is linear in k: a certain scale of E[k] gains as much on average */
    size_t d = l->inputs;
    CHECK_NEAR(l->equivalent_scale[0 * d + FMC_FOLLOWERS], mean_k,
               4.5 * l->equivalent_scale_se[0 * d + FMC_FOLLOWERS]);
    CHECK(l->equivalent_scale_se[0 * d + FMC_FOLLOWERS] > 0);
    /* money uniform(0, 200): mean 100, sd 200 / sqrt(12) */
    CHECK_NEAR(l->mean_cost[1], 100, 4.5 * 200 / sqrt(12.0) / sqrt((double)N));
    CHECK(l->mean_cost[1] != 100);  /* drawn, not the mean put in */
    CHECK_NEAR(l->gain[1].mean, reference_margin_of_sales(), 4.5 * l->gain[1].se);
    CHECK_NEAR(l->net[1].mean, l->gain[1].mean - l->mean_cost[1], 1e-9 * l->gain[1].mean);
    /* the cost is drawn apart from the gain: their variances add */
    double spread = l->gain[1].sd * l->gain[1].sd + 200.0 * 200 / 12;
    CHECK_NEAR(l->net[1].sd * l->net[1].sd, spread, 0.01 * spread);
    CHECK(l->net[1].min < l->gain[1].min && l->net[1].max < l->gain[1].max);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static void uncertain_quality_scales_the_gain_by_its_mean(void)
{
    enum { N = 200000 };
    fmc_scenario *s = load_text(
        "name: uncertain-quality\nseed: 13\n" WORKED_INPUTS
        "levers:\n"
        "  double_followers:\n"
        "    followers: {scale: 2, quality: {dist: beta, alpha: 2, beta: 3}}\n");
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, N, 2, 0, 1, NULL, NULL, &r) == FMC_OK);
    const fmc_output_summary *gain = &r.levers.gain[0];
    /* gain = 4500 q, q ~ beta(2, 3): mean 2 / 5, sd sqrt(2 x 3 / (5^2 x 6)) = 0.2 */
    CHECK_NEAR(gain->mean, 4500 * 2.0 / 5, 4.5 * gain->se);
    CHECK_NEAR(gain->sd, 4500 * 0.2, 4.5 * 4500 * 0.2 / sqrt(N));
    CHECK(gain->min >= 0 && gain->max <= 4500);
    /* as much as 1 + E[q] times the followers, all of them converting */
    CHECK_NEAR(r.levers.equivalent_scale[FMC_FOLLOWERS], 1 + 2.0 / 5,
               4.5 * r.levers.equivalent_scale_se[FMC_FOLLOWERS] + 1e-9);
    CHECK_NEAR(r.levers.equivalent_add[FMC_FOLLOWERS], 1000 * 2.0 / 5,
               4.5 * r.levers.equivalent_add_se[FMC_FOLLOWERS] + 1e-6);
    /* the inputs are fixed: the baseline has no spread at all */
    CHECK_EXACT(r.outputs[FMC_OUT_PROFIT].sd, 0);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* Levers with every kind of uncertain number, for the stability tests:
 * each text is a lever of the file's levers block. */
#define LEVER_WIDER                                                                       \
    "  wider:\n"                                                                          \
    "    followers: {scale: {dist: uniform, min: 1.5, max: 2.5},\n"                       \
    "                quality: {dist: beta, alpha: 4, beta: 2}}\n"
#define LEVER_CONTENT                                                                     \
    "  content:\n"                                                                        \
    "    click_rate: {add: {dist: triangular, min: 0.02, mode: 0.05, max: 0.12}}\n"       \
    "    cost: {hours: {dist: uniform, min: 5, max: 15}}\n"
#define LEVER_CONTENT_EDITED                                                              \
    "  content:\n"                                                                        \
    "    click_rate: {add: {dist: uniform, min: 0, max: 0.1}}\n"                          \
    "    cost: {hours: {dist: uniform, min: 5, max: 15}}\n"
#define LEVER_PRICE                                                                       \
    "  price:\n"                                                                          \
    "    revenue_per_sale: {set: 120, elasticity: {dist: uniform, min: 0.5, max: 1.5}}\n" \
    "    cost: {money: {dist: pert, min: 50, mode: 80, max: 200}}\n"
#define LEVER_POST_LESS                                                                   \
    "  post_less:\n"                                                                      \
    "    hours: {scale: {dist: uniform, min: 0.4, max: 0.6},\n"                           \
    "            response: {dist: triangular, min: 0, mode: 0.3, max: 1}}\n"

static fmc_scenario *stability_scenario(const char *levers)
{
    char text[4096];
    snprintf(text, sizeof text, "name: stability\nseed: 29\n%slevers:\n%s", REFERENCE_INPUTS,
             levers);
    return load_text(text);
}

/* Every lever A and B share, but the one called EDITED (may be NULL), has
 * its figures to the bit, and the baseline its outputs. */
static int same_shared_levers(const fmc_scenario *sa, const fmc_run_result *a,
                              const fmc_scenario *sb, const fmc_run_result *b, const char *edited)
{
    int same = same_summaries(a->outputs, b->outputs, FMC_SUMMARY_COUNT), shared = 0;
    for (size_t i = 0; i < sa->lever_count; i++)
        for (size_t j = 0; j < sb->lever_count; j++)
            if (strcmp(sa->levers[i].name, sb->levers[j].name) == 0 &&
                !(edited && strcmp(edited, sa->levers[i].name) == 0)) {
                int one = same_lever(&a->levers, i, &b->levers, j);
                if (!one)
                    fprintf(stderr, "     lever '%s' changed\n", sa->levers[i].name);
                same &= one;
                shared++;
            }
    return same && shared > 0;
}

static void adding_removing_or_editing_a_lever_leaves_the_others_bit_identical(void)
{
    enum { N = 100003 };
    const char *variants[] = {
        LEVER_WIDER LEVER_POST_LESS LEVER_CONTENT LEVER_PRICE,  /* one added in the middle */
        LEVER_WIDER LEVER_PRICE,                                /* one removed */
        LEVER_WIDER LEVER_CONTENT_EDITED LEVER_PRICE,           /* one's amount edited */
        LEVER_PRICE LEVER_CONTENT LEVER_WIDER,                  /* reordered */
    };
    fmc_scenario *s = stability_scenario(LEVER_WIDER LEVER_CONTENT LEVER_PRICE);
    fmc_run_result base = {0};
    REQUIRE(run_analyses(s, N, 2, 0, 1, NULL, NULL, &base) == FMC_OK);
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
        fmc_scenario *t = stability_scenario(variants[v]);
        fmc_run_result r = {0};
        REQUIRE(run_analyses(t, N, 2, 0, 1, NULL, NULL, &r) == FMC_OK);
        CHECK(same_shared_levers(s, &base, t, &r, v == 2 ? "content" : NULL));
        if (v == 2) {  /* the edited lever itself did change */
            size_t i = lever_named(s, "content"), j = lever_named(t, "content");
            CHECK(!same_summary(&base.levers.gain[i], &r.levers.gain[j]));
        }
        fmc_run_result_clear(&r);
        fmc_scenario_free(t);
    }
    fmc_run_result_clear(&base);
    fmc_scenario_free(s);
}

/* The value of information of A and B, for D inputs, to the bit. */
static int same_voi(const fmc_lever_voi *a, const fmc_lever_voi *b, size_t d)
{
    double figures[2][4] = {{a->evpi, a->evpi_se, a->best_net, (double)a->best},
                            {b->evpi, b->evpi_se, b->best_net, (double)b->best}};
    return same_bits(figures[0], figures[1], 4) && same_bits(a->input, b->input, d) &&
           same_bits(a->input_se, b->input_se, d) &&
           same_bits(a->group, b->group, FMC_GROUP_COUNT) &&
           same_bits(a->group_se, b->group_se, FMC_GROUP_COUNT) && a->numbers == b->numbers &&
           same_bits(a->number, b->number, a->numbers) &&
           same_bits(a->number_se, b->number_se, a->numbers);
}

static void uncertain_levers_are_bit_identical_for_one_two_and_three_threads(void)
{
    enum { N = 200003 };
    fmc_scenario *s = stability_scenario(LEVER_WIDER LEVER_CONTENT LEVER_PRICE LEVER_POST_LESS);
    fmc_run_options o = fmc_run_options_default();
    o.samples = N;
    o.levers = o.equivalents = o.combine = 1;
    fmc_run_result r[3] = {{0}};
    for (int t = 0; t < 3; t++) {
        o.threads = t + 1;
        REQUIRE(fmc_simulate(s, &o, &r[t]) == FMC_OK);
    }
    size_t L = s->lever_count;
    for (int t = 1; t < 3; t++) {
        const fmc_lever_results *a = &r[0].levers, *b = &r[t].levers;
        CHECK(same_summaries(r[0].outputs, r[t].outputs, FMC_SUMMARY_COUNT));
        for (size_t i = 0; i < L; i++)
            CHECK(same_lever(a, i, b, i));
        CHECK(same_bits(a->p_beats, b->p_beats, L * L) && same_bits(a->p_tie, b->p_tie, L * L));
        CHECK(a->pairs == L * (L - 1) / 2 && b->pairs == a->pairs);
        CHECK(same_summaries(a->combined, b->combined, a->pairs));
        CHECK(same_summaries(a->interaction, b->interaction, a->pairs));
        CHECK(same_voi(&a->voi, &b->voi, a->inputs));
    }
    CHECK(r[0].levers.voi.numbers == 8 && r[0].levers.voi.evpi > 0);
    for (int t = 0; t < 3; t++)
        fmc_run_result_clear(&r[t]);
    fmc_scenario_free(s);
}

/* The words a lever's numbers were drawn from give their values, and
 * each number is named by its key path. */
static void lever_values_keep_their_words_and_numbers_their_names(void)
{
    enum { N = 1000 };
    fmc_scenario *s = stability_scenario(LEVER_WIDER LEVER_CONTENT LEVER_PRICE LEVER_POST_LESS);
    fmc_sampler ***samplers;
    fmc_lever_values v;
    REQUIRE(fmc_lever_samplers_alloc(s, &samplers) == FMC_OK);
    REQUIRE(fmc_lever_values_init(&v, s, N) == FMC_OK);
    fmc_draws draws = fmc_draws_mc(5, s->input_count, 1);
    fmc_lever_values_draw(&v, s, (fmc_sampler *const *const *)samplers, &draws, 12345, N, 0);
    const char *names[] = {"followers.scale", "followers.quality", "click_rate.add", "cost.hours",
                           "revenue_per_sale.elasticity", "cost.money", "hours.scale",
                           "hours.response"};
    size_t k = 0;
    for (size_t l = 0; l < s->lever_count; l++)
        for (size_t q = 0; q < s->levers[l].quantity_count; q++, k++) {
            char name[64];
            fmc_lever_quantity_name(s, &s->levers[l], q, name, sizeof name);
            CHECK(k < 8 && strcmp(name, names[k]) == 0);
            for (size_t i = 0; i < N; i++)
                CHECK_EXACT(v.values[l][q][i], fmc_sampler_value(samplers[l][q], v.words[l][q][i]));
        }
    CHECK(k == 8);
    fmc_lever_values_clear(&v);
    fmc_lever_samplers_free(s, samplers);
    fmc_scenario_free(s);
}

static void a_lognormal_scale_gains_its_closed_form(void)
{
    fmc_scenario *s = load_text("name: lognormal-scale\nseed: 19\n" REFERENCE_INPUTS
                                "levers:\n"
                                "  wider: {followers: {scale: {dist: lognormal, median: 1.5, sigma: 0.3}}}\n");
    fmc_run_result r = {0};
    REQUIRE(run_analyses(s, 1000000, 2, 0, 1, NULL, NULL, &r) == FMC_OK);
    /* E[k] = 1.5 e^(0.3^2 / 2) */
    double mean_k = 1.5 * exp(0.3 * 0.3 / 2);
    CHECK_NEAR(r.levers.gain[0].mean, reference_margin_of_sales() * (mean_k - 1),
               4.5 * r.levers.gain[0].se);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(worked_example_levers_add_4500_4500_and_1192_5);
RUN_TEST(reference_levers_gain_their_analytic_values);
RUN_TEST(probabilities_of_improving_and_beating_have_closed_forms);
RUN_TEST(common_random_numbers_narrow_the_interval_at_least_fivefold);
RUN_TEST(gain_standard_error_matches_the_spread_over_seeds);
RUN_TEST(clamped_changes_are_counted);
RUN_TEST(equivalent_changes_match_the_worked_example);
RUN_TEST(pairs_report_their_interaction);
RUN_TEST(equivalent_amounts_have_the_standard_error_of_their_spread);
RUN_TEST(lever_results_are_bit_identical_for_any_thread_count);
RUN_TEST(worked_example_effects_have_their_closed_forms);
RUN_TEST(uncertain_scale_and_cost_have_their_closed_forms);
RUN_TEST(uncertain_quality_scales_the_gain_by_its_mean);
RUN_TEST(adding_removing_or_editing_a_lever_leaves_the_others_bit_identical);
RUN_TEST(uncertain_levers_are_bit_identical_for_one_two_and_three_threads);
RUN_TEST(a_lognormal_scale_gains_its_closed_form);
RUN_TEST(lever_values_keep_their_words_and_numbers_their_names);
TEST_MAIN_END
