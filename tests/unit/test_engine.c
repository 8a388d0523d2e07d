/* The engine: exact results for the fixed worked example, the reference
 * scenario's means against their analytic values, and results that are
 * bit-identical whatever the thread count. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/engine.h"
#include "funnelmc/sampler.h"
#include "funnelmc/stream.h"

static fmc_status simulate(const fmc_scenario *s, uint64_t samples, int threads,
                           fmc_run_result *out)
{
    fmc_run_options o = fmc_run_options_default();
    o.samples = samples;
    o.threads = threads;
    return fmc_simulate(s, &o, out);
}

static void worked_example_is_exact(void)
{
    fmc_scenario *s = load_worked_example();
    fmc_run_result r;
    REQUIRE(simulate(s, 10000, 2, &r) == FMC_OK);
    const fmc_output_summary *profit = &r.outputs[FMC_OUT_PROFIT], *roi = &r.outputs[FMC_OUT_ROI];
    CHECK_EXACT(profit->mean, 2500);
    CHECK_EXACT(profit->sd, 0);
    CHECK_EXACT(profit->se, 0);
    CHECK_EXACT(profit->min, 2500);
    CHECK_EXACT(profit->max, 2500);
    CHECK_EXACT(profit->p_loss, 0);
    for (int k = 0; k < FMC_QUANTILE_COUNT; k++)
        CHECK_EXACT(profit->quantiles[k], 2500);
    CHECK_EXACT(roi->mean, 1.25);
    CHECK_EXACT(roi->sd, 0);
    CHECK_EXACT(r.outputs[FMC_OUT_SALES].mean, 50);
    CHECK_EXACT(r.base[FMC_OUT_PROFIT], 2500);
    CHECK_EXACT(r.base[FMC_OUT_ROI], 1.25);
    CHECK(profit->count == 10000);
    fmc_scenario_free(s);
}

static double mean_of(const fmc_scenario *s, int input)
{
    return fmc_dist_mean(&s->inputs[input].dist);
}

static double second_moment_of(const fmc_scenario *s, int input)
{
    double m = mean_of(s, input);
    return fmc_dist_variance(&s->inputs[input].dist) + m * m;
}

static void reference_means_match_the_analytic_expectation(void)
{
    fmc_scenario *s = load_reference();
    fmc_run_result r;
    REQUIRE(simulate(s, 2000000, 2, &r) == FMC_OK);
    /* Independent inputs: E[(R - Cg) F Cr Or Pr - h T - ads - tools] factorises. */
    double funnel = mean_of(s, FMC_FOLLOWERS) * mean_of(s, FMC_CLICK_RATE) *
                    mean_of(s, FMC_OPTIN_RATE) * mean_of(s, FMC_PURCHASE_RATE);
    double margin = mean_of(s, FMC_REVENUE_PER_SALE) - mean_of(s, FMC_COST_OF_GOODS);
    double expected_profit = margin * funnel - mean_of(s, FMC_HOURLY_RATE) * mean_of(s, FMC_HOURS) -
                             mean_of(s, 8) - mean_of(s, 9);
    const fmc_output_summary *profit = &r.outputs[FMC_OUT_PROFIT];
    CHECK_NEAR(profit->mean, expected_profit, 4.5 * profit->se);
    CHECK_NEAR(expected_profit, 2890.2, 0.1);  /* the hand-computed figure */

    const fmc_output_summary *sales = &r.outputs[FMC_OUT_SALES];
    CHECK_NEAR(sales->mean, funnel, 4.5 * sales->se);
    /* Var of a product of independents: prod E[X^2] - prod E[X]^2 */
    double second = second_moment_of(s, FMC_FOLLOWERS) * second_moment_of(s, FMC_CLICK_RATE) *
                    second_moment_of(s, FMC_OPTIN_RATE) * second_moment_of(s, FMC_PURCHASE_RATE);
    CHECK_NEAR(sales->sd, sqrt(second - funnel * funnel), 0.01 * sales->sd);
    CHECK(profit->count == 2000000 && r.samples == 2000000 && r.seed == 20261122);
    CHECK(profit->p_loss > 0.03 && profit->p_loss < 0.12);
    CHECK(profit->quantiles[0] < profit->quantiles[4] && profit->quantiles[4] < profit->quantiles[8]);
    fmc_scenario_free(s);
}

/* Everything users see, minus wall time: must match to the bit. */
static int same_results(const fmc_run_result *a, const fmc_run_result *b)
{
    return a->samples == b->samples && a->seed == b->seed &&
           same_bits(a->base, b->base, FMC_OUTPUT_COUNT) &&
           same_summaries(a->outputs, b->outputs, FMC_SUMMARY_COUNT) &&
           same_bits(&a->mean_half_width, &b->mean_half_width, 1) &&
           a->precision_met == b->precision_met;
}

static void results_are_bit_identical_for_any_thread_count(void)
{
    fmc_scenario *s = load_reference();
    fmc_run_result one, two, three;
    /* an uneven count: a partial last block and a partial last round */
    uint64_t n = 3 * 1048576 + 12345;
    REQUIRE(simulate(s, n, 1, &one) == FMC_OK);
    REQUIRE(simulate(s, n, 2, &two) == FMC_OK);
    REQUIRE(simulate(s, n, 3, &three) == FMC_OK);
    CHECK(same_results(&one, &two));
    CHECK(same_results(&one, &three));
    CHECK(one.threads == 1 && three.threads == 3);
    fmc_run_result other_seed;
    fmc_run_options o = fmc_run_options_default();
    o.samples = n;
    o.seed_given = 1;
    o.seed = 20261123;
    REQUIRE(fmc_simulate(s, &o, &other_seed) == FMC_OK);
    CHECK(other_seed.outputs[FMC_OUT_PROFIT].mean != one.outputs[FMC_OUT_PROFIT].mean);
    CHECK_NEAR(other_seed.outputs[FMC_OUT_PROFIT].mean, one.outputs[FMC_OUT_PROFIT].mean,
               6 * one.outputs[FMC_OUT_PROFIT].se);
    fmc_scenario_free(s);
}

typedef struct sink_check {
    const fmc_scenario *scenario;
    fmc_sampler *followers;
    uint64_t next;
    int in_order, values_match;
} sink_check;

static fmc_status check_sink(void *context, uint64_t first, size_t count,
                             const double *const *inputs, const double *const *outputs)
{
    sink_check *c = context;
    c->in_order &= first == c->next;
    c->next = first + count;
    for (size_t i = 0; i < count; i += 997) {
        uint32_t word = fmc_stream_word(c->scenario->seed, FMC_PURPOSE_SAMPLES, first + i,
                                        FMC_FOLLOWERS);
        c->values_match &= inputs[FMC_FOLLOWERS][i] == fmc_sampler_value(c->followers, word);
        /* the reference's profit written out: (R - Cg) F Cr Or Pr - h T - ads - tools */
        double v[10];
        for (int j = 0; j < 10; j++)
            v[j] = inputs[j][i];
        double profit = (v[0] - v[1]) * v[2] * v[3] * v[4] * v[5] - v[6] * v[7] - v[8] - v[9];
        c->values_match &= fabs(outputs[FMC_OUT_PROFIT][i] - profit) <= 1e-9 * fmax(fabs(profit), 1);
    }
    return FMC_OK;
}

static void sample_sink_sees_every_sample_once_in_order_without_changing_results(void)
{
    fmc_scenario *s = load_reference();
    REQUIRE(s->input_count == 10);
    sink_check c = {s, NULL, 0, 1, 1};
    REQUIRE(fmc_sampler_alloc(&s->inputs[FMC_FOLLOWERS].dist, &c.followers) == FMC_OK);
    fmc_run_options o = fmc_run_options_default();
    o.samples = 300001;
    o.threads = 2;
    o.sink = check_sink;
    o.sink_context = &c;
    fmc_run_result with_sink, without;
    REQUIRE(fmc_simulate(s, &o, &with_sink) == FMC_OK);
    CHECK(c.in_order && c.values_match && c.next == 300001);
    REQUIRE(simulate(s, 300001, 2, &without) == FMC_OK);
    CHECK(same_results(&with_sink, &without));
    fmc_sampler_free(c.followers);
    fmc_scenario_free(s);
}

static int cancel_at_first_report(void *context, uint64_t done, uint64_t total)
{
    int *calls = context;
    (*calls)++;
    return done < total;
}

static void progress_is_reported_and_can_cancel(void)
{
    fmc_scenario *s = load_reference();
    int calls = 0;
    fmc_run_options o = fmc_run_options_default();
    o.samples = 5000000;
    o.progress = cancel_at_first_report;
    o.progress_context = &calls;
    fmc_run_result r;
    CHECK(fmc_simulate(s, &o, &r) == FMC_ECANCELLED);
    CHECK(calls == 1);
    fmc_scenario_free(s);
}

static void stopping_rule_stops_at_the_same_checkpoint_for_any_thread_count(void)
{
    fmc_scenario *s = load_reference();
    fmc_run_result runs[3];
    for (int t = 0; t < 3; t++) {
        fmc_run_options o = fmc_run_options_default();
        o.threads = t + 1;
        o.precision_mean = 8;
        REQUIRE(fmc_simulate(s, &o, &runs[t]) == FMC_OK);
    }
    const uint64_t checkpoint = (uint64_t)FMC_CHECKPOINT_BLOCKS * FMC_BLOCK_SIZE;
    CHECK(runs[0].precision_met && runs[0].mean_half_width <= 8);
    CHECK(runs[0].samples % checkpoint == 0);
    /* one checkpoint fewer would not have been enough: se falls as 1/sqrt(n) */
    CHECK(runs[0].mean_half_width * sqrt((double)runs[0].samples / (runs[0].samples - checkpoint)) > 8 * 0.97);
    CHECK_NEAR(runs[0].mean_half_width, 1.959964 * runs[0].outputs[FMC_OUT_PROFIT].se, 1e-6);
    CHECK(same_results(&runs[0], &runs[1]) && same_results(&runs[0], &runs[2]));
    /* an unreachable target stops at the limit, not met */
    fmc_run_options o = fmc_run_options_default();
    o.precision_mean = 1e-6;
    o.max_samples = 300000;
    fmc_run_result limited;
    REQUIRE(fmc_simulate(s, &o, &limited) == FMC_OK);
    CHECK(!limited.precision_met && limited.samples == 300000);
    CHECK(limited.outputs[FMC_OUT_PROFIT].count == 300000);
    fmc_scenario_free(s);
}

static void a_raised_cancel_flag_stops_the_run(void)
{
    fmc_scenario *s = load_reference();
    static volatile sig_atomic_t flag = 1;
    fmc_run_options o = fmc_run_options_default();
    o.samples = 1000000000;  /* would take many seconds */
    o.cancel = &flag;
    fmc_run_result r;
    double started = omp_get_wtime();
    CHECK(fmc_simulate(s, &o, &r) == FMC_ECANCELLED);
    CHECK(omp_get_wtime() - started < 5);
    fmc_scenario_free(s);
}

static void roi_is_undefined_when_there_is_no_cost(void)
{
    const char *text = "name: free\n"
                       "inputs:\n"
                       "  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                       "  followers: {dist: uniform, min: 500, max: 1500}\n"
                       "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
                       "  hourly_rate: 0\n  hours: 40\n";
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    REQUIRE(fmc_scenario_load_text(text, strlen(text), "free", &s, &diags) == FMC_OK);
    fmc_run_result r;
    REQUIRE(simulate(s, 5000, 1, &r) == FMC_OK);
    CHECK(r.outputs[FMC_OUT_ROI].count == 0 && r.outputs[FMC_OUT_ROI].undefined == 5000);
    CHECK(isnan(r.outputs[FMC_OUT_ROI].mean));
    CHECK(isnan(r.base[FMC_OUT_ROI]));
    CHECK(r.outputs[FMC_OUT_PROFIT].count == 5000);
    CHECK_NEAR(r.outputs[FMC_OUT_PROFIT].mean, 4500, 4.5 * r.outputs[FMC_OUT_PROFIT].se);
    fmc_scenario_free(s);
}

static void tiny_runs_work(void)
{
    fmc_scenario *s = load_reference();
    fmc_run_result r;
    REQUIRE(simulate(s, 1, 2, &r) == FMC_OK);
    CHECK(r.outputs[FMC_OUT_PROFIT].count == 1);
    CHECK_EXACT(r.outputs[FMC_OUT_PROFIT].sd, 0);
    CHECK_EXACT(r.outputs[FMC_OUT_PROFIT].quantiles[4], r.outputs[FMC_OUT_PROFIT].mean);
    fmc_scenario_free(s);
}

/* A process that is its own team (a program not started by mpirun) shares
 * nothing: no message, and the very same bits as a run with no team. */
static void a_team_of_one_exchanges_nothing_and_changes_nothing(void)
{
    int argc = 1;
    char *args[] = {"test_engine", NULL}, **argv = args;
    fmc_team *world;
    REQUIRE(fmc_team_start(&argc, &argv, &world) == FMC_OK);
    CHECK(fmc_team_size(world) == 1);
    fmc_scenario *s = load_reference();
    fmc_run_options o = fmc_run_options_default();
    o.samples = 300000;
    o.threads = 2;
    o.drivers = o.levers = o.combine = o.break_even = 1;
    fmc_run_result alone, in_team;
    REQUIRE(fmc_simulate(s, &o, &alone) == FMC_OK);
    fmc_team_traffic before = fmc_team_traffic_total();
    o.team = world;
    REQUIRE(fmc_simulate(s, &o, &in_team) == FMC_OK);
    fmc_team_traffic after = fmc_team_traffic_total();
    CHECK(after.collectives == before.collectives && after.bytes == before.bytes);
    CHECK(same_results(&alone, &in_team));
    CHECK(alone.levers.count > 0 && alone.levers.count == in_team.levers.count);
    CHECK(same_summaries(alone.levers.net, in_team.levers.net, alone.levers.count));
    CHECK(same_bits(alone.drivers.spearman, in_team.drivers.spearman, alone.drivers.count));
    fmc_run_result_clear(&alone);
    fmc_run_result_clear(&in_team);
    fmc_scenario_free(s);
    fmc_team_stop(world);
}

/* A pass over a window of a design (fmc_simulate_pass). */
static fmc_status simulate_pass(const fmc_scenario *s, const fmc_design *design, uint64_t first,
                                uint64_t samples, int threads, fmc_run_result *out)
{
    fmc_run_options o = fmc_run_options_default();
    o.samples = samples;
    o.threads = threads;
    return fmc_simulate_pass(s, &o, design, first, out);
}

static const char *const horizon_text =
    "name: window\n" REFERENCE_INPUTS
    "horizon:\n  periods: 4\n"
    "  followers:\n    growth: {dist: uniform, min: 0, max: 0.1, draw: each_period}\n";

/* Bit-identical for 1, 2 and 3 threads under every design, over a horizon
 * with an input drawn each period as well. */
static void passes_are_bit_identical_for_any_thread_count_under_every_design(void)
{
    fmc_scenario *scenarios[2] = {load_reference(), load_text(horizon_text)};
    const fmc_design_method methods[] = {FMC_DESIGN_MC, FMC_DESIGN_LHS, FMC_DESIGN_QMC};
    for (size_t k = 0; k < 2; k++)
        for (size_t m = 0; m < 3; m++) {
            /* 4 replicates of 65536 points; a window that starts inside
             * the second replicate and ends with a partial block */
            fmc_design design = {methods[m], 4, 65536};
            uint64_t first = 65536 + 1000, n = 3 * 65536 + 4321;
            fmc_run_result one, two, three;
            REQUIRE(simulate_pass(scenarios[k], &design, first, n, 1, &one) == FMC_OK);
            REQUIRE(simulate_pass(scenarios[k], &design, first, n, 2, &two) == FMC_OK);
            REQUIRE(simulate_pass(scenarios[k], &design, first, n, 3, &three) == FMC_OK);
            CHECK(same_results(&one, &two));
            CHECK(same_results(&one, &three));
            CHECK(one.design.method == methods[m] && one.design.replicates == 4);
            fmc_run_result_clear(&one);
            fmc_run_result_clear(&two);
            fmc_run_result_clear(&three);
        }
    fmc_scenario_free(scenarios[0]);
    fmc_scenario_free(scenarios[1]);
}

/* Every input and the profit a sink receives, kept. */
typedef struct kept_samples {
    size_t inputs, capacity;
    uint64_t count;
    double **values;  /* [inputs + 1][capacity]: the inputs, then profit */
} kept_samples;

static fmc_status keep_samples(void *context, uint64_t first, size_t count,
                               const double *const *inputs, const double *const *outputs)
{
    kept_samples *k = context;
    if (first + count > k->capacity)
        return FMC_ENOMEM;
    for (size_t j = 0; j <= k->inputs; j++)
        memcpy(k->values[j] + first, j < k->inputs ? inputs[j] : outputs[FMC_OUT_PROFIT],
               count * sizeof(double));
    k->count = first + count;
    return FMC_OK;
}

static kept_samples kept_alloc(size_t inputs, size_t capacity)
{
    kept_samples k = {inputs, capacity, 0, calloc(inputs + 1, sizeof(double *))};
    REQUIRE(k.values);
    for (size_t j = 0; j <= inputs; j++)
        REQUIRE((k.values[j] = malloc(capacity * sizeof(double))));
    return k;
}

static void kept_free(kept_samples *k)
{
    for (size_t j = 0; j <= k->inputs; j++)
        free(k->values[j]);
    free(k->values);
}

/* A pass over [FIRST, FIRST + N) draws exactly the samples FIRST .. of a
 * longer pass from 0 -- its inputs, and its profit, which over a horizon
 * takes the later periods' draws made on the way -- under every design. */
static void a_window_draws_the_samples_of_a_longer_pass(void)
{
    fmc_scenario *scenarios[2] = {load_reference(), load_text(horizon_text)};
    const fmc_design_method methods[] = {FMC_DESIGN_MC, FMC_DESIGN_LHS, FMC_DESIGN_QMC};
    enum { LONG = 100000, FIRST = 37123, N = 50001 };
    for (size_t k = 0; k < 2; k++)
        for (size_t m = 0; m < 3; m++) {
            const fmc_scenario *s = scenarios[k];
            fmc_design design = {methods[m], 4, LONG / 4};
            kept_samples whole = kept_alloc(s->input_count, LONG);
            kept_samples window = kept_alloc(s->input_count, N);
            fmc_run_options o = fmc_run_options_default();
            o.threads = 2;
            o.sink = keep_samples;
            fmc_run_result a, b;
            o.samples = LONG;
            o.sink_context = &whole;
            REQUIRE(fmc_simulate_pass(s, &o, &design, 0, &a) == FMC_OK);
            o.samples = N;
            o.sink_context = &window;
            REQUIRE(fmc_simulate_pass(s, &o, &design, FIRST, &b) == FMC_OK);
            REQUIRE(whole.count == LONG && window.count == N);
            int same = 1;
            for (size_t j = 0; j <= s->input_count; j++)
                same &= memcmp(window.values[j], whole.values[j] + FIRST, N * sizeof(double)) == 0;
            CHECK(same);
            fmc_run_result_clear(&a);
            fmc_run_result_clear(&b);
            kept_free(&whole);
            kept_free(&window);
        }
    fmc_scenario_free(scenarios[0]);
    fmc_scenario_free(scenarios[1]);
}


TEST_MAIN_BEGIN
RUN_TEST(worked_example_is_exact);
RUN_TEST(reference_means_match_the_analytic_expectation);
RUN_TEST(results_are_bit_identical_for_any_thread_count);
RUN_TEST(sample_sink_sees_every_sample_once_in_order_without_changing_results);
RUN_TEST(progress_is_reported_and_can_cancel);
RUN_TEST(stopping_rule_stops_at_the_same_checkpoint_for_any_thread_count);
RUN_TEST(a_raised_cancel_flag_stops_the_run);
RUN_TEST(roi_is_undefined_when_there_is_no_cost);
RUN_TEST(tiny_runs_work);
RUN_TEST(a_team_of_one_exchanges_nothing_and_changes_nothing);
RUN_TEST(passes_are_bit_identical_for_any_thread_count_under_every_design);
RUN_TEST(a_window_draws_the_samples_of_a_longer_pass);
TEST_MAIN_END
