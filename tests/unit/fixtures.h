/* Fixtures for the unit tests: scenarios (the reference file, the built-in
 * worked example, or a text; diagnostics to stderr, and the test program
 * stops when one does not load), a run
 * with chosen analyses, and runs over many seeds to compare a reported
 * standard error with the real spread of an estimate. */
#ifndef FUNNELMC_TEST_FIXTURES_H
#define FUNNELMC_TEST_FIXTURES_H

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "funnelmc/engine.h"
#include "funnelmc/scenario.h"
#include "funnelmc/sobol.h"

static inline fmc_scenario *load_text(const char *text)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    fmc_scenario_load_text(text, strlen(text), "test.yaml", &s, &diags);
    fmc_diagnostics_print(&diags, stderr);
    fmc_diagnostics_clear(&diags);
    REQUIRE(s);
    return s;
}

/* The file NAME of the scenario library (scenarios/). */
static inline fmc_scenario *load_library_scenario(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/%s", FMC_SOURCE_DIR, name);
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    fmc_scenario_load_file(path, &s, &diags);
    fmc_diagnostics_print(&diags, stderr);
    fmc_diagnostics_clear(&diags);
    REQUIRE(s);
    return s;
}

static inline fmc_scenario *load_reference(void)
{
    return load_library_scenario("reference.yaml");
}

static inline fmc_scenario *load_worked_example(void)
{
    return load_text(fmc_worked_example_text());
}

/* The worked example's inputs (domain.md: profit 2500 from 50 sales). */
#define WORKED_INPUTS                                                            \
    "inputs:\n  revenue_per_sale: 100\n  cost_of_goods: 10\n  followers: 1000\n" \
    "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"            \
    "  hourly_rate: 50\n  hours: 40\n"

/* The reference scenario's inputs and costs (scenarios/reference.yaml),
 * written out so that a test's closed forms read their numbers here. */
#define REFERENCE_INPUTS                                                          \
    "inputs:\n"                                                                   \
    "  revenue_per_sale: {dist: triangular, min: 80, mode: 100, max: 130}\n"      \
    "  cost_of_goods: {dist: triangular, min: 8, mode: 10, max: 14}\n"            \
    "  followers: {dist: lognormal, median: 1000, sigma: 0.4}\n"                  \
    "  click_rate: {dist: beta, alpha: 25, beta: 75}\n"                           \
    "  optin_rate: {dist: beta, mean: 0.4, sd: 0.05}\n"                           \
    "  purchase_rate: {dist: beta, alpha: 50, beta: 50}\n"                        \
    "  hourly_rate: {dist: uniform, min: 40, max: 60}\n"                          \
    "  hours: {dist: normal, mean: 40, sd: 5, min: 20, max: 60}\n"                \
    "costs:\n  ads: {dist: uniform, min: 0, max: 200}\n  tools: 29\n"

/* N samples on THREADS threads, with the drivers and/or levers measured and
 * every draw passed to SINK (may be NULL). */
static inline fmc_status run_analyses(const fmc_scenario *s, uint64_t n, int threads, int drivers,
                                      int levers, fmc_sample_sink_fn sink, void *context,
                                      fmc_run_result *out)
{
    fmc_run_options o = fmc_run_options_default();
    o.samples = n;
    o.threads = threads;
    o.drivers = drivers;
    o.levers = levers;
    o.equivalents = levers;
    o.sink = sink;
    o.sink_context = context;
    return fmc_simulate(s, &o, out);
}

/* 1 when the N doubles at A and B have the same bits (NaN equal to NaN):
 * for results that must not depend on the thread count.  Each array is
 * compared on its own, never several as if they were one allocation. */
static inline int same_bits(const double *a, const double *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

/* The same for two summaries, field by field. */
static inline int same_summary(const fmc_output_summary *a, const fmc_output_summary *b)
{
    int same = a->count == b->count && a->undefined == b->undefined &&
               same_bits(&a->mean, &b->mean, 1) && same_bits(&a->sd, &b->sd, 1) &&
               same_bits(&a->se, &b->se, 1) && same_bits(&a->min, &b->min, 1) &&
               same_bits(&a->max, &b->max, 1) && same_bits(&a->p_loss, &b->p_loss, 1) &&
               same_bits(&a->p_loss_se, &b->p_loss_se, 1) &&
               same_bits(a->quantiles, b->quantiles, FMC_QUANTILE_COUNT) &&
               same_bits(&a->quantile_resolution, &b->quantile_resolution, 1) &&
               same_bits(a->hist_edges, b->hist_edges, FMC_HIST_BINS + 1);
    for (int k = 0; k < FMC_QUANTILE_COUNT; k++)
        same &= same_bits(a->quantile_ci[k], b->quantile_ci[k], 2);
    for (int k = 0; k < FMC_HIST_BINS; k++)
        same &= a->hist_counts[k] == b->hist_counts[k];
    return same;
}

static inline int same_summaries(const fmc_output_summary *a, const fmc_output_summary *b, size_t n)
{
    int same = 1;
    for (size_t i = 0; i < n; i++)
        same &= same_summary(&a[i], &b[i]);
    return same;
}

/* 1 when lever I of A and lever J of B have every figure of their own to
 * the bit: gain, net gain, cost, ROI, variance split, P(improve), clamped
 * share and the equivalents (what does not involve another lever). */
static inline int same_lever(const fmc_lever_results *a, size_t i, const fmc_lever_results *b,
                             size_t j)
{
    size_t d = a->inputs;
    return d == b->inputs && same_summary(&a->gain[i], &b->gain[j]) &&
           same_summary(&a->net[i], &b->net[j]) &&
           same_bits(&a->mean_cost[i], &b->mean_cost[j], 1) &&
           same_bits(&a->roi[i], &b->roi[j], 1) &&
           a->uncertain_numbers[i] == b->uncertain_numbers[j] &&
           a->reach_assumed[i] == b->reach_assumed[j] &&
           same_bits(&a->inputs_share[i], &b->inputs_share[j], 1) &&
           same_bits(&a->inputs_share_se[i], &b->inputs_share_se[j], 1) &&
           same_bits(&a->p_improve[i], &b->p_improve[j], 1) &&
           same_bits(&a->p_improve_se[i], &b->p_improve_se[j], 1) &&
           same_bits(&a->clamped_share[i], &b->clamped_share[j], 1) &&
           same_bits(&a->equivalent_add[i * d], &b->equivalent_add[j * d], d) &&
           same_bits(&a->equivalent_add_se[i * d], &b->equivalent_add_se[j * d], d) &&
           same_bits(&a->equivalent_scale[i * d], &b->equivalent_scale[j * d], d) &&
           same_bits(&a->equivalent_scale_se[i * d], &b->equivalent_scale_se[j * d], d);
}

/* The index of the lever called NAME in S; REQUIREd to exist. */
static inline size_t lever_named(const fmc_scenario *s, const char *name)
{
    size_t l = 0;
    while (l < s->lever_count && strcmp(s->levers[l].name, name) != 0)
        l++;
    REQUIRE(l < s->lever_count);
    return l;
}

/* The same for N index estimates. */
static inline int same_estimates(const fmc_sobol_estimate *a, const fmc_sobol_estimate *b, size_t n)
{
    int same = 1;
    for (size_t i = 0; i < n; i++)
        same &= same_bits(&a[i].value, &b[i].value, 1) && same_bits(&a[i].se, &b[i].se, 1) &&
                same_bits(a[i].ci, b[i].ci, 2);
    return same;
}

/* Estimates of one quantity over independent runs, with their reported
 * standard errors. */
typedef struct spread {
    double runs, sum, squares, se_squares;
} spread;

static inline void spread_add(spread *s, double estimate, double se)
{
    s->runs++;
    s->sum += estimate;
    s->squares += estimate * estimate;
    s->se_squares += se * se;
}

/* The root mean square of the reported errors over the sample sd of the
 * estimates: 1 within 4.5 / sqrt(2 (runs - 1)) (the relative standard error
 * of a sample sd) when the errors are right. */
static inline double spread_ratio(const spread *s)
{
    double mean = s->sum / s->runs;
    double sd = sqrt((s->squares - s->runs * mean * mean) / (s->runs - 1));
    return sqrt(s->se_squares / s->runs) / sd;
}

static inline double spread_tolerance(int runs)
{
    return 4.5 / sqrt(2.0 * (runs - 1));
}

/* RUNS runs of N samples of S at seeds 1000, 1001, ... on one thread, the
 * samplers built once, with the drivers and/or levers; EACH sees every
 * result.  0 when a run fails. */
static inline int run_seeds(const fmc_scenario *s, int runs, uint64_t n, int drivers, int levers,
                            void (*each)(const fmc_run_result *, void *), void *context)
{
    fmc_sampler **samplers = NULL;
    if (fmc_scenario_samplers_alloc(s, 1, &samplers) != FMC_OK)
        return 0;
    int ok = 1;
    for (int k = 0; ok && k < runs; k++) {
        fmc_run_options o = fmc_run_options_default();
        o.samples = n;
        o.threads = 1;
        o.drivers = drivers;
        o.levers = o.equivalents = levers;
        o.seed = 1000 + (uint64_t)k;
        o.seed_given = 1;
        o.samplers = samplers;
        fmc_run_result r = {0};
        ok = fmc_simulate(s, &o, &r) == FMC_OK;
        if (ok)
            each(&r, context);
        fmc_run_result_clear(&r);
    }
    fmc_scenario_samplers_free(samplers, s->input_count);
    return ok;
}

#endif
