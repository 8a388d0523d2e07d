/* Runs under a design with replicates (replicates.h): mc with one replicate
 * is one pass, bit for bit; the listings of errors (errors.h) name every
 * field of every result struct or the test names it as having no error;
 * every listed error is replaced by the replicates' spread, the pooled
 * figures staying the pass's; 95 % intervals of every design cover the
 * analytic mean profit in 93-97 % of 400 seeds, and the replicate se of
 * plain Monte Carlo agrees with the i.i.d. one; the stopping rule, samples
 * that are not a multiple of R, the sink and progress; designs refused. */
#include <gsl/gsl_sf_gamma.h>
#include <omp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/replicates.h"

/* Every analysis, over a short horizon, with levers of uncertain numbers
 * and a budget that one pair of them breaks. */
static const char horizon_levers[] =
    "name: replicates\nperiod: month\nsamples: 1000\nseed: 4242\n"
    "inputs:\n"
    "  revenue_per_sale: {dist: triangular, min: 35, mode: 45, max: 60}\n"
    "  cost_of_goods: {dist: pert, min: 15, mode: 20, max: 28}\n"
    "  followers: {dist: lognormal, median: 3000, sigma: 0.25}\n"
    "  click_rate: {dist: beta, mean: 0.08, sd: 0.02}\n"
    "  optin_rate: {dist: beta, mean: 0.35, sd: 0.06}\n"
    "  purchase_rate: {dist: beta, mean: 0.45, sd: 0.08}\n"
    "  hourly_rate: {dist: uniform, min: 15, max: 25}\n"
    "  hours: {dist: normal, mean: 20, sd: 4, min: 8, max: 35, draw: each_period}\n"
    "costs:\n  tools: 15\n  ads: {dist: uniform, min: 0, max: 80, draw: each_period}\n"
    "horizon:\n  periods: 3\n  discount_rate: 0.0095\n"
    "  followers:\n    growth: {dist: normal, mean: 0.02, sd: 0.01, min: -0.05, max: 0.1}\n"
    "levers:\n"
    "  grow_audience:\n"
    "    growth: {add: {dist: triangular, min: 0.005, mode: 0.015, max: 0.03}}\n"
    "    cost: {hours: 4}\n"
    "  better_photos:\n"
    "    purchase_rate: {scale: {dist: triangular, min: 1, mode: 1.1, max: 1.25}}\n"
    "    start: 2\n"
    "    one_off_cost: {money: 400, hours: 6}\n"
    "budget: {hours: 5}\n"
    "correlations:\n  - [followers, click_rate, -0.4]\n  - [optin_rate, purchase_rate, 0.5]\n";

static fmc_run_options every_analysis(uint64_t samples, fmc_design_method method, uint32_t r)
{
    fmc_run_options o = fmc_run_options_default();
    o.samples = samples;
    o.threads = 2;
    o.drivers = o.levers = o.combine = o.equivalents = o.portfolio = o.break_even = 1;
    o.design_given = 1;
    o.design_method = method;
    o.design_replicates = r;
    return o;
}

/* One listed figure with what the listing gave of its error. */
typedef struct entry {
    double figure, se, ci[2];
    int has_se, has_ci;
} entry;

typedef struct entries {
    entry *at;
    size_t count, capacity;
} entries;

static void collect_entries(void *context, const fmc_error_figures *f)
{
    entries *e = context;
    for (size_t i = 0; i < f->count; i++) {
        if (e->count == e->capacity) {
            e->capacity = e->capacity ? 2 * e->capacity : 256;
            e->at = realloc(e->at, e->capacity * sizeof *e->at);
            REQUIRE(e->at);
        }
        e->at[e->count++] = (entry){f->figure[i], f->se ? f->se[i] : NAN,
                                    {f->ci ? f->ci[i][0] : NAN, f->ci ? f->ci[i][1] : NAN},
                                    f->se != NULL, f->ci != NULL};
    }
}

static entries list_entries(fmc_run_result *r)
{
    entries e = {0};
    fmc_run_result_errors(r, collect_entries, &e);
    return e;
}

/* The same double, NaN included. */
static int same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

static void mc_with_one_replicate_is_one_pass_bit_for_bit(void)
{
    fmc_scenario *s = load_text(horizon_levers);
    fmc_run_options o = every_analysis(20000, FMC_DESIGN_MC, 1);
    fmc_run_result run = {0}, pass = {0};
    REQUIRE(fmc_simulate(s, &o, &run) == FMC_OK);
    fmc_design design = {FMC_DESIGN_MC, 1, 20000};
    REQUIRE(fmc_simulate_pass(s, &o, &design, 0, &pass) == FMC_OK);
    entries a = list_entries(&run), b = list_entries(&pass);
    REQUIRE(a.count == b.count && a.count > 100);
    size_t differ = 0;
    for (size_t i = 0; i < a.count; i++)
        differ += !same(a.at[i].figure, b.at[i].figure) || !same(a.at[i].se, b.at[i].se) ||
                  !same(a.at[i].ci[0], b.at[i].ci[0]) || !same(a.at[i].ci[1], b.at[i].ci[1]);
    CHECK(differ == 0);
    CHECK(memcmp(run.outputs[FMC_OUT_PROFIT].hist_counts, pass.outputs[FMC_OUT_PROFIT].hist_counts,
                 sizeof pass.outputs[FMC_OUT_PROFIT].hist_counts) == 0);
    CHECK_EXACT(run.mean_half_width, pass.mean_half_width);
    CHECK(run.samples == 20000 && run.design.method == FMC_DESIGN_MC &&
          run.design.replicates == 1 && run.design.points == 20000);
    /* the scenario's design when the options name none: mc, one replicate */
    fmc_run_result plain = {0};
    o.design_given = 0;
    REQUIRE(fmc_simulate(s, &o, &plain) == FMC_OK);
    CHECK_EXACT(plain.outputs[FMC_OUT_PROFIT].se, pass.outputs[FMC_OUT_PROFIT].se);
    CHECK(plain.design.replicates == 1);
    free(a.at);
    free(b.at);
    fmc_run_result_clear(&run);
    fmc_run_result_clear(&pass);
    fmc_run_result_clear(&plain);
    fmc_scenario_free(s);
}

/* Where a listing's figures, errors and intervals lie, to check that it
 * names every field that holds one. */
typedef struct ranges {
    const char *start[4096];
    size_t bytes[4096];
    size_t count;
} ranges;

static void add_range(ranges *r, const void *start, size_t bytes)
{
    REQUIRE(r->count < 4096);
    if (start) {
        r->start[r->count] = start;
        r->bytes[r->count++] = bytes;
    }
}

static void collect_ranges(void *context, const fmc_error_figures *f)
{
    ranges *r = context;
    add_range(r, f->figure, f->count * sizeof *f->figure);
    add_range(r, f->se, f->count * sizeof *f->se);
    add_range(r, f->ci, f->count * sizeof *f->ci);
}

/* A field that the listings leave out on purpose: it has no error. */
typedef struct field {
    size_t offset, size;
} field;
#define FIELD(type, member) {offsetof(type, member), sizeof(((type *)0)->member)}
#define COUNT(array) (sizeof array / sizeof *array)

/* Every 8-byte word of OBJECT (SIZE bytes) is listed in place (a figure,
 * se or interval inside it), points to a listed array, or lies in a field
 * of UNLISTED.  A field added to a result struct and forgotten by its
 * listing fails here. */
static void check_fields(const char *name, const void *object, size_t size,
                         const field *unlisted, size_t n, const ranges *r)
{
    for (size_t o = 0; o + sizeof(double) <= size; o += sizeof(double)) {
        const char *word = (const char *)object + o;
        const char *value;
        memcpy(&value, word, sizeof value);
        int listed = 0;
        for (size_t i = 0; i < r->count && !listed; i++)
            listed = (word >= r->start[i] && word < r->start[i] + r->bytes[i]) ||
                     (value == r->start[i] && r->bytes[i] > 0);
        for (size_t i = 0; i < n && !listed; i++)
            listed = o < unlisted[i].offset + unlisted[i].size && unlisted[i].offset < o + 8;
        if (!listed) {
            fprintf(stderr, "%s: the field at byte %zu is neither listed nor named as without "
                            "an error\n", name, o);
            check_failures_in_test++;
        }
    }
}

static void check_summary(const fmc_output_summary *o, const ranges *r)
{
    static const field unlisted[] = {
        FIELD(fmc_output_summary, count),      FIELD(fmc_output_summary, undefined),
        FIELD(fmc_output_summary, sd),         FIELD(fmc_output_summary, min),
        FIELD(fmc_output_summary, max),        FIELD(fmc_output_summary, quantile_resolution),
        FIELD(fmc_output_summary, hist_edges), FIELD(fmc_output_summary, hist_counts),
    };
    check_fields("fmc_output_summary", o, sizeof *o, unlisted, COUNT(unlisted), r);
}

static void check_payback(const fmc_payback_summary *p, const ranges *r)
{
    static const field unlisted[] = {
        FIELD(fmc_payback_summary, periods),
        FIELD(fmc_payback_summary, counts),
        FIELD(fmc_payback_summary, total),
    };
    check_fields("fmc_payback_summary", p, sizeof *p, unlisted, COUNT(unlisted), r);
}

static void check_levers(const fmc_lever_results *l, const ranges *r)
{
    static const field unlisted[] = {
        FIELD(fmc_lever_results, count),  /* the summaries and paybacks: checked one by one */
        FIELD(fmc_lever_results, gain),
        FIELD(fmc_lever_results, net),
        FIELD(fmc_lever_results, combined),
        FIELD(fmc_lever_results, interaction),
        FIELD(fmc_lever_results, pair_net),
        FIELD(fmc_lever_results, payback),
        FIELD(fmc_lever_results, mean_cost),
        FIELD(fmc_lever_results, roi),
        FIELD(fmc_lever_results, rank),
        FIELD(fmc_lever_results, uncertain_numbers),
        FIELD(fmc_lever_results, reach_assumed),
        FIELD(fmc_lever_results, clamped_share),
        FIELD(fmc_lever_results, p_tie),
        FIELD(fmc_lever_results, pairs),
        FIELD(fmc_lever_results, pair_first),
        FIELD(fmc_lever_results, pair_second),
        FIELD(fmc_lever_results, inputs),
        FIELD(fmc_lever_results, periods),
        FIELD(fmc_lever_results, voi.folds),
        FIELD(fmc_lever_results, voi.bins),
        FIELD(fmc_lever_results, voi.best),
        FIELD(fmc_lever_results, voi.best_net),
        FIELD(fmc_lever_results, voi.group_inputs),
        FIELD(fmc_lever_results, voi.group_bins),
        FIELD(fmc_lever_results, voi.group_cells),
        FIELD(fmc_lever_results, voi.numbers),
        FIELD(fmc_lever_results, voi.number_lever),
        FIELD(fmc_lever_results, voi.number_quantity),
    };
    check_fields("fmc_lever_results", l, sizeof *l, unlisted, COUNT(unlisted), r);
    for (size_t k = 0; k < 2 * l->count + 3 * l->pairs; k++)
        check_summary(&l->gain[k], r);
    for (size_t k = 0; k < l->count; k++)
        check_payback(&l->payback[k], r);
}

static void check_run(const fmc_run_result *run, const ranges *r)
{
    static const field unlisted[] = {
        FIELD(fmc_run_result, samples),
        FIELD(fmc_run_result, seed),
        FIELD(fmc_run_result, threads),
        FIELD(fmc_run_result, base),
        FIELD(fmc_run_result, seconds),
        FIELD(fmc_run_result, mean_half_width),  /* replicates.c: t x profit's se */
        FIELD(fmc_run_result, precision_target),
        FIELD(fmc_run_result, precision_met),
        FIELD(fmc_run_result, design),
        /* checked one by one */
        FIELD(fmc_run_result, outputs),
        FIELD(fmc_run_result, drivers),
        FIELD(fmc_run_result, levers),
        FIELD(fmc_run_result, horizon),
        FIELD(fmc_run_result, portfolio),
        FIELD(fmc_run_result, break_even),
        FIELD(fmc_run_result, correlations),
    };
    check_fields("fmc_run_result", run, sizeof *run, unlisted, COUNT(unlisted), r);
    for (int k = 0; k < FMC_SUMMARY_COUNT; k++)
        check_summary(&run->outputs[k], r);

    static const field drivers[] = {
        FIELD(fmc_drivers_result, count),
        FIELD(fmc_drivers_result, contribution),
        FIELD(fmc_drivers_result, r_squared),
        FIELD(fmc_drivers_result, spearman_resolution),
        FIELD(fmc_drivers_result, bin_edges),
        FIELD(fmc_drivers_result, mean_low),
        FIELD(fmc_drivers_result, mean_high),
        FIELD(fmc_drivers_result, mean_order),
    };
    check_fields("fmc_drivers_result", &run->drivers, sizeof run->drivers, drivers,
                 COUNT(drivers), r);
    check_levers(&run->levers, r);

    static const field horizon[] = {
        FIELD(fmc_horizon_result, periods),
        FIELD(fmc_horizon_result, discount_rate),
        FIELD(fmc_horizon_result, profit),  /* checked one by one */
        FIELD(fmc_horizon_result, payback.periods),
        FIELD(fmc_horizon_result, payback.counts),
        FIELD(fmc_horizon_result, payback.total),
    };
    check_fields("fmc_horizon_result", &run->horizon, sizeof run->horizon, horizon,
                 COUNT(horizon), r);
    for (uint32_t t = 0; t < run->horizon.periods; t++)
        check_summary(&run->horizon.profit[t], r);

    static const field portfolio[] = {
        FIELD(fmc_portfolio_result, levers),
        FIELD(fmc_portfolio_result, budget_hours),
        FIELD(fmc_portfolio_result, budget_money),
        FIELD(fmc_portfolio_result, objective),
        FIELD(fmc_portfolio_result, percentile),
        FIELD(fmc_portfolio_result, screen_samples),
        FIELD(fmc_portfolio_result, screened),
        FIELD(fmc_portfolio_result, candidates),
        FIELD(fmc_portfolio_result, count),
        FIELD(fmc_portfolio_result, sets),  /* the reported ones checked one by one */
    };
    check_fields("fmc_portfolio_result", &run->portfolio, sizeof run->portfolio, portfolio,
                 COUNT(portfolio), r);
    static const field set[] = {
        FIELD(fmc_portfolio_set, members),
        FIELD(fmc_portfolio_set, extra_hours),
        FIELD(fmc_portfolio_set, extra_money),
    };
    for (size_t k = 0; k < run->portfolio.count; k++)
        check_fields("fmc_portfolio_set", &run->portfolio.sets[k], sizeof *run->portfolio.sets,
                     set, COUNT(set), r);

    static const field break_even[] = {
        FIELD(fmc_break_even_result, inputs),
        FIELD(fmc_break_even_result, samples),
        FIELD(fmc_break_even_result, kind),
        FIELD(fmc_break_even_result, periods),
        FIELD(fmc_break_even_result, period_kind),
    };
    check_fields("fmc_break_even_result", &run->break_even, sizeof run->break_even, break_even,
                 COUNT(break_even), r);

    static const field correlations[] = {
        FIELD(fmc_correlation_check_result, count),
        FIELD(fmc_correlation_check_result, pairs),  /* checked one by one */
    };
    check_fields("fmc_correlation_check_result", &run->correlations, sizeof run->correlations,
                 correlations, COUNT(correlations), r);
    static const field pair[] = {
        FIELD(fmc_realised_correlation, first),
        FIELD(fmc_realised_correlation, second),
        FIELD(fmc_realised_correlation, requested),
        FIELD(fmc_realised_correlation, z),  /* follows the se: fmc_correlation_check_rescore */
    };
    for (size_t k = 0; k < run->correlations.count; k++)
        check_fields("fmc_realised_correlation", &run->correlations.pairs[k],
                     sizeof *run->correlations.pairs, pair, COUNT(pair), r);
}

/* The pooled figures are the pass's; every error the pass gives by the
 * i.i.d. formulas is replaced, and every interval is the figure -+ t se. */
static void every_listed_error_comes_from_the_replicates(void)
{
    fmc_scenario *s = load_text(horizon_levers);
    const uint32_t R = 4;
    const uint64_t n = 2 * FMC_BLOCK_SIZE;  /* two folds of the value of information */
    fmc_run_options o = every_analysis(R * n, FMC_DESIGN_MC, R);
    fmc_run_result run = {0}, pass = {0};
    REQUIRE(fmc_simulate(s, &o, &run) == FMC_OK);
    fmc_design design = {FMC_DESIGN_MC, R, n};
    REQUIRE(fmc_simulate_pass(s, &o, &design, 0, &pass) == FMC_OK);
    REQUIRE(run.horizon.periods == 3 && run.levers.count == 2 && run.levers.pairs == 1 &&
            run.portfolio.count >= 2 && run.break_even.inputs == s->input_count &&
            run.levers.voi.numbers == 2 && run.correlations.count == 2);
    CHECK(run.samples == R * n && run.design.replicates == R && run.design.points == n &&
          run.design.method == FMC_DESIGN_MC);

    ranges *r = calloc(1, sizeof *r);
    REQUIRE(r);
    fmc_run_result_errors(&run, collect_ranges, r);
    check_run(&run, r);
    free(r);

    entries a = list_entries(&run), b = list_entries(&pass);
    REQUIRE(a.count == b.count);
    double t = fmc_t_of_confidence(s->confidence, R);
    size_t compared = 0, replaced = 0, figures_differ = 0, intervals_off = 0;
    for (size_t i = 0; i < a.count; i++) {
        const entry *x = &a.at[i], *y = &b.at[i];
        figures_differ += !same(x->figure, y->figure);
        double half = x->has_se ? x->se : (x->ci[1] - x->ci[0]) / (2 * t);
        double iid = y->has_se ? y->se : y->ci[1] - y->ci[0];
        if (isfinite(iid) && iid > 0) {
            compared++;
            replaced += y->has_se ? !same(x->se, y->se)
                                  : !same(x->ci[0], y->ci[0]) || !same(x->ci[1], y->ci[1]);
        }
        if (x->has_ci && isfinite(half))
            intervals_off += !(fabs(x->ci[0] - (x->figure - t * half)) <= 1e-9 * fabs(x->figure) &&
                               fabs(x->ci[1] - (x->figure + t * half)) <= 1e-9 * fabs(x->figure));
    }
    printf("  %zu listed figures, %zu with an i.i.d. error > 0, all compared\n", a.count,
           compared);
    CHECK(figures_differ == 0);
    CHECK(compared > a.count / 2);
    CHECK(replaced == compared);
    CHECK(intervals_off == 0);
    CHECK_EXACT(run.mean_half_width, t * run.outputs[FMC_OUT_PROFIT].se);
    free(a.at);
    free(b.at);
    fmc_run_result_clear(&run);
    fmc_run_result_clear(&pass);
    fmc_scenario_free(s);
}

/* E[profit] of REFERENCE_INPUTS, the inputs independent:
 * (E R - E Cg) E F E Cr E Or E Pr - E h E T - E ads - tools, with the
 * triangular means (min + mode + max) / 3, the lognormal's
 * median exp(sigma^2 / 2), the beta means, and hours' normal cut
 * symmetrically about its mean. */
static double reference_mean_profit(void)
{
    double revenue = (80 + 100 + 130) / 3.0, goods = (8 + 10 + 14) / 3.0;
    double followers = 1000 * exp(0.4 * 0.4 / 2);
    return (revenue - goods) * followers * 0.25 * 0.4 * 0.5 - 50 * 40 - 100 - 29;
}

/* E[s] / sigma of the sample sd of R normal values: the replicate se's
 * expected ratio to the true se. */
static double c4(uint32_t r)
{
    return sqrt(2.0 / (r - 1)) * exp(gsl_sf_lngamma(r / 2.0) - gsl_sf_lngamma((r - 1) / 2.0));
}

/* The acceptance test: 95 % intervals of every design cover the
 * analytic mean in 93-97 % of 400 seeds (the binomial se of a coverage of
 * 0.95 over 400 seeds is 1.1 %).  And the replicate se of mc with R = 16
 * agrees with the i.i.d. se: the ratio's mean over the seeds is c4(16)
 * within 4.5 of its standard errors (the ratio of one seed has a relative
 * sd of about 1 / sqrt(2 (R - 1)) = 18 %). */
static void intervals_of_every_design_cover_the_analytic_mean(void)
{
    fmc_scenario *s = load_text("name: coverage\nsamples: 1000\n" REFERENCE_INPUTS);
    fmc_sampler **samplers;
    REQUIRE(fmc_scenario_samplers_alloc(s, 1, &samplers) == FMC_OK);
    const double truth = reference_mean_profit();
    const struct {
        const char *name;
        fmc_design_method method;
        uint32_t replicates;
    } designs[] = {{"mc", FMC_DESIGN_MC, 1}, {"mc", FMC_DESIGN_MC, 16},
                   {"lhs", FMC_DESIGN_LHS, 16}, {"qmc", FMC_DESIGN_QMC, 16}};
    const int seeds = 400;
    for (size_t d = 0; d < COUNT(designs); d++) {
        fmc_run_options o = fmc_run_options_default();
        o.samples = 16 * 1024;
        o.threads = 1;
        o.samplers = samplers;
        o.design_given = 1;
        o.design_method = designs[d].method;
        o.design_replicates = designs[d].replicates;
        o.seed_given = 1;
        int covered = 0;
        double ratio = 0, ratio2 = 0, started = omp_get_wtime();
        for (int seed = 0; seed < seeds; seed++) {
            o.seed = 7919 + 104729 * (uint64_t)seed;
            fmc_run_result r = {0};
            REQUIRE(fmc_simulate(s, &o, &r) == FMC_OK);
            const fmc_output_summary *p = &r.outputs[FMC_OUT_PROFIT];
            covered += p->mean_ci[0] <= truth && truth <= p->mean_ci[1];
            double x = p->se / (p->sd / sqrt((double)r.samples));
            ratio += x / seeds;
            ratio2 += x * x / seeds;
            fmc_run_result_clear(&r);
        }
        double coverage = (double)covered / seeds;
        printf("  %s R = %u: coverage %.4f over %d seeds, replicate se / iid se %.3f, %.1f s\n",
               designs[d].name, designs[d].replicates, coverage, seeds, ratio,
               omp_get_wtime() - started);
        CHECK(coverage >= 0.93 && coverage <= 0.97);
        if (designs[d].method == FMC_DESIGN_MC && designs[d].replicates > 1) {
            double se = sqrt((ratio2 - ratio * ratio) / (seeds - 1));
            CHECK_NEAR(ratio, c4(designs[d].replicates), 4.5 * se);
        }
    }
    fmc_scenario_samplers_free(samplers, s->input_count);
    fmc_scenario_free(s);
}

typedef struct progress_log {
    uint64_t last, total, calls;
    int backwards;
} progress_log;

static int log_progress(void *context, uint64_t done, uint64_t total)
{
    progress_log *p = context;
    p->backwards |= done < p->last || done > total || (p->calls && total != p->total);
    p->last = done;
    p->total = total;
    p->calls++;
    return 0;
}

typedef struct sink_log {
    uint64_t next;
    int out_of_order;
} sink_log;

static fmc_status log_sink(void *context, uint64_t first, size_t count, const double *const *inputs,
                           const double *const *outputs)
{
    (void)inputs, (void)outputs;
    sink_log *l = context;
    l->out_of_order |= first != l->next;
    l->next = first + count;
    return FMC_OK;
}

/* N = 10000 with R = 3: n = 3334, and the run draws 3 n; the sink sees the
 * pooled pass's samples once, in order; progress runs forwards to 2 R n. */
static void samples_sink_and_progress_follow_the_passes(void)
{
    fmc_scenario *s = load_text("name: windows\nsamples: 1000\n" REFERENCE_INPUTS);
    fmc_run_options o = fmc_run_options_default();
    o.samples = 10000;
    o.threads = 2;
    o.design_given = 1;
    o.design_method = FMC_DESIGN_MC;
    o.design_replicates = 3;
    progress_log progress = {0};
    sink_log sink = {0};
    o.progress = log_progress;
    o.progress_context = &progress;
    o.sink = log_sink;
    o.sink_context = &sink;
    fmc_run_result r = {0};
    REQUIRE(fmc_simulate(s, &o, &r) == FMC_OK);
    CHECK(r.samples == 3 * 3334 && r.design.points == 3334 && r.design.replicates == 3);
    CHECK(sink.next == r.samples && !sink.out_of_order);
    CHECK(!progress.backwards && progress.last == 2 * r.samples && progress.total == 2 * r.samples);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

/* The stopping rule doubles n until the replicates' half-width of the mean
 * profit meets the target; a target out of reach stops at max_samples. */
static void stopping_rule_grows_the_replicates(void)
{
    fmc_scenario *s = load_text("name: precision\nsamples: 1000\n" REFERENCE_INPUTS);
    fmc_run_options o = fmc_run_options_default();
    o.threads = 2;
    o.design_given = 1;
    o.design_method = FMC_DESIGN_MC;
    o.design_replicates = 8;
    o.precision_mean = 6;
    o.max_samples = 1u << 22;
    fmc_run_result r = {0};
    REQUIRE(fmc_simulate(s, &o, &r) == FMC_OK);
    uint64_t n0 = (uint64_t)FMC_CHECKPOINT_BLOCKS * FMC_BLOCK_SIZE / 8;
    printf("  target 6: %llu samples, half-width %.3f\n", (unsigned long long)r.samples,
           r.mean_half_width);
    CHECK(r.precision_met && r.precision_target == 6 && r.mean_half_width <= 6);
    CHECK(r.samples == 8 * r.design.points && r.design.points % n0 == 0 &&
          ((r.design.points / n0) & (r.design.points / n0 - 1)) == 0);
    fmc_run_result_clear(&r);
    o.precision_mean = 1e-6;
    o.max_samples = 3 * n0 * 8 + 5;
    REQUIRE(fmc_simulate(s, &o, &r) == FMC_OK);
    CHECK(!r.precision_met && r.design.points == 3 * n0 && r.samples == 8 * 3 * n0);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static void designs_without_an_honest_error_are_refused(void)
{
    fmc_scenario *s = load_text("name: refused\nsamples: 1000\n" REFERENCE_INPUTS);
    fmc_run_options o = fmc_run_options_default();
    o.design_given = 1;
    o.design_method = FMC_DESIGN_LHS;
    o.design_replicates = 1;
    fmc_run_result r;
    memset(&r, 0xff, sizeof r);
    CHECK(fmc_simulate(s, &o, &r) == FMC_EINVAL);
    CHECK(r.samples == 0 && r.drivers.spearman == NULL);
    o.design_method = FMC_DESIGN_MC;
    o.design_replicates = FMC_MAX_DESIGN_REPLICATES + 1;
    CHECK(fmc_simulate(s, &o, &r) == FMC_EINVAL);
    fmc_scenario_free(s);
}

TEST_MAIN_BEGIN
RUN_TEST(mc_with_one_replicate_is_one_pass_bit_for_bit);
RUN_TEST(every_listed_error_comes_from_the_replicates);
RUN_TEST(samples_sink_and_progress_follow_the_passes);
RUN_TEST(stopping_rule_grows_the_replicates);
RUN_TEST(designs_without_an_honest_error_are_refused);
RUN_TEST(intervals_of_every_design_cover_the_analytic_mean);
TEST_MAIN_END
