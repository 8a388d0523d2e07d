/* Reading a run's analyses back (src/results_read_analysis.c): analyses of
 * the scenario library's shop (four levers with uncertain numbers, their
 * pairs, a budget), its year (a horizon: per-period figures, paybacks, the
 * break-even period), its roaster (qmc replicates, correlated inputs) and
 * a percentile objective without Sobol indices are written with
 * fmc_results_write_analysis and read back: every figure the file holds
 * comes back to the bit (NaN equal to NaN), what it does not hold is NaN.
 * Damaged objects are reported by their path. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "temp_dir.h"
#include "funnelmc/analysis.h"
#include "funnelmc/h5file.h"
#include "funnelmc/results.h"
#include "../../src/results_internal.h"
#include "../../src/results_read_internal.h"

static fmc_read_problem problem;

/* Analyses S on SAMPLES samples (Sobol BASE rows, 0: the scenario's),
 * every pair of levers too, into *A. */
static void analyse(const fmc_scenario *s, uint64_t samples, uint64_t base, int summary_only,
                    fmc_analysis *a)
{
    fmc_analysis_options o = fmc_analysis_options_default();
    o.run.samples = samples;
    o.run.threads = 2;
    o.base_samples = base;
    o.combine = 1;
    o.summary_only = summary_only;
    REQUIRE(fmc_analyse(s, &o, a) == FMC_OK);
}

static void write_analysis(const char *path, const fmc_scenario *s, const fmc_analysis *a)
{
    fmc_h5file *f = NULL;
    REQUIRE(fmc_h5file_create(path, &f) == FMC_OK);
    REQUIRE(fmc_results_write_analysis(f, s, a) == FMC_OK);
    REQUIRE(fmc_h5file_commit(f) == FMC_OK);
}

/* The group a batch file keeps a scenario's run in; NULL: the file's root. */
static const char *part;

/* Reads the analysis parts of the run file PATH of S (in its group PART)
 * into *OUT, its samples and its horizon's periods those of WRITTEN (read
 * by the rest of the reader); returns what fmc_read_analysis_parts returns, the problem
 * in PROBLEM. */
static int read_back(const char *path, const fmc_scenario *s, const fmc_analysis *written,
                     fmc_analysis *out)
{
    memset(out, 0, sizeof *out);
    memset(&problem, 0, sizeof problem);
    out->result.samples = written->result.samples;
    out->result.horizon.periods = written->result.horizon.periods;
    fmc_reader r = {&problem, 0, FMC_OK, ""};
    snprintf(r.prefix, sizeof r.prefix, "%s", part ? part : "");
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t loc = part ? H5Gopen2(file, part, H5P_DEFAULT) : file;
    REQUIRE(file >= 0 && loc >= 0);
    int ok = fmc_read_analysis_parts(&r, loc, s, out);
    CHECK(ok == !r.failed);
    CHECK((part ? H5Gclose(loc) : 0) >= 0 && H5Fclose(file) >= 0);
    out->result.horizon.periods = 0; /* not this reader's to free */
    return ok;
}

static int same_sizes(const size_t *a, const size_t *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

static int nan_or_zero_unknowns(const fmc_output_summary *o)
{
    return o->count == 0 && o->undefined == 0 && isnan(o->sd) && isnan(o->min) && isnan(o->max) &&
           isnan(o->p_loss) && isnan(o->quantile_resolution) && isnan(o->hist_edges[0]) &&
           o->hist_counts[0] == 0;
}

/* The mean, its se and interval of N summaries; the rest unknown in B. */
static int same_means(const fmc_output_summary *a, const fmc_output_summary *b, size_t n)
{
    int same = 1;
    for (size_t i = 0; i < n; i++)
        same &= same_bits(&a[i].mean, &b[i].mean, 1) && same_bits(&a[i].se, &b[i].se, 1) &&
                same_bits(a[i].mean_ci, b[i].mean_ci, 2) && nan_or_zero_unknowns(&b[i]);
    return same;
}

static void check_tornado(const fmc_tornado *a, const fmc_tornado *b)
{
    size_t d = a->count;
    CHECK(b->count == d && same_sizes(a->order, b->order, d));
    CHECK(same_bits(&a->low_percentile, &b->low_percentile, 1) &&
          same_bits(&a->high_percentile, &b->high_percentile, 1) &&
          same_bits(&a->base_profit, &b->base_profit, 1));
    CHECK(same_bits(a->low_value, b->low_value, d) && same_bits(a->high_value, b->high_value, d) &&
          same_bits(a->low_profit, b->low_profit, d) &&
          same_bits(a->high_profit, b->high_profit, d) && same_bits(a->swing, b->swing, d));
    CHECK(same_bits(a->spider_levels, b->spider_levels, FMC_SPIDER_LEVELS) &&
          same_bits(a->spider_value, b->spider_value, d * FMC_SPIDER_LEVELS) &&
          same_bits(a->spider_profit, b->spider_profit, d * FMC_SPIDER_LEVELS));
}

static void check_drivers(const fmc_drivers_result *a, const fmc_drivers_result *b)
{
    size_t d = a->count, bins = d * FMC_TORNADO_BINS;
    CHECK(b->count == d && same_sizes(a->mean_order, b->mean_order, d));
    CHECK(same_bits(a->spearman, b->spearman, d) && same_bits(a->spearman_se, b->spearman_se, d) &&
          same_bits(a->contribution, b->contribution, d) && same_bits(a->src, b->src, d) &&
          same_bits(a->src_se, b->src_se, d));
    CHECK(same_bits(&a->r_squared, &b->r_squared, 1) &&
          same_bits(&a->spearman_resolution, &b->spearman_resolution, 1));
    CHECK(same_bits(a->bin_edges, b->bin_edges, bins + d) &&
          same_bits(a->bin_mean, b->bin_mean, bins) &&
          same_bits(a->bin_mean_se, b->bin_mean_se, bins));
    CHECK(same_bits(a->mean_low, b->mean_low, d) && same_bits(a->mean_high, b->mean_high, d) &&
          same_bits(a->mean_range, b->mean_range, d) &&
          same_bits(a->mean_range_se, b->mean_range_se, d));
}

static void check_sobol(const fmc_sobol_result *a, const fmc_sobol_result *b, size_t d)
{
    size_t g = a->group_count;
    CHECK(b->rows == a->rows && b->model_runs == a->model_runs && b->group_count == g);
    CHECK(b->design.method == a->design.method && b->design.replicates == a->design.replicates &&
          b->design.points == a->design.points);
    CHECK(same_bits(&a->mean, &b->mean, 1) && same_bits(&a->variance, &b->variance, 1) &&
          same_bits(&a->max_half_width, &b->max_half_width, 1) &&
          a->precision_met == b->precision_met);
    CHECK(same_estimates(a->first, b->first, d) && same_estimates(a->total, b->total, d) &&
          same_estimates(a->group_first, b->group_first, g) &&
          same_estimates(a->group_total, b->group_total, g));
}

static void check_paybacks(const fmc_lever_results *a, const fmc_lever_results *b)
{
    CHECK(b->periods == a->periods);
    size_t n = a->count * a->periods;
    CHECK(same_bits(a->period_gain, b->period_gain, n) &&
          same_bits(a->period_gain_se, b->period_gain_se, n) &&
          same_bits(a->period_net, b->period_net, n) &&
          same_bits(a->period_net_se, b->period_net_se, n));
    for (size_t l = 0; a->periods && l < a->count; l++) {
        const fmc_payback_summary *p = &a->payback[l], *q = &b->payback[l];
        CHECK(q->periods == p->periods && q->total == p->total &&
              memcmp(p->counts, q->counts, (p->periods + 1) * sizeof *p->counts) == 0);
        CHECK(same_bits(&p->median, &q->median, 1) && same_bits(p->median_ci, q->median_ci, 2) &&
              same_bits(&p->p_never, &q->p_never, 1) &&
              same_bits(&p->p_never_se, &q->p_never_se, 1));
    }
}

static void check_voi(const fmc_lever_voi *a, const fmc_lever_voi *b, size_t d)
{
    size_t V = a->numbers, G = FMC_GROUP_COUNT;
    CHECK(b->folds == a->folds && b->bins == a->bins && b->best == a->best && b->numbers == V);
    CHECK(same_bits(&a->best_net, &b->best_net, 1) && same_bits(&a->evpi, &b->evpi, 1) &&
          same_bits(&a->evpi_se, &b->evpi_se, 1));
    CHECK(same_bits(a->input, b->input, d) && same_bits(a->input_se, b->input_se, d));
    CHECK(same_bits(a->group, b->group, G) && same_bits(a->group_se, b->group_se, G) &&
          same_sizes(a->group_inputs, b->group_inputs, G) &&
          same_sizes(a->group_bins, b->group_bins, G) &&
          same_sizes(a->group_cells, b->group_cells, G));
    CHECK(same_sizes(a->number_lever, b->number_lever, V) &&
          same_sizes(a->number_quantity, b->number_quantity, V) &&
          same_bits(a->number, b->number, V) && same_bits(a->number_se, b->number_se, V));
}

static void check_levers(const fmc_lever_results *a, const fmc_lever_results *b)
{
    size_t L = a->count, d = a->inputs, P = a->pairs, k = FMC_QUANTILE_COUNT;
    CHECK(b->count == L && b->inputs == d && b->pairs == P);
    CHECK(same_means(a->gain, b->gain, L) && same_means(a->net, b->net, L));
    for (size_t l = 0; l < L; l++)
        CHECK(same_bits(a->gain[l].quantiles, b->gain[l].quantiles, k) &&
              same_bits(&a->gain[l].quantile_ci[0][0], &b->gain[l].quantile_ci[0][0], 2 * k));
    CHECK(same_bits(a->mean_cost, b->mean_cost, L) && same_bits(a->roi, b->roi, L) &&
          same_bits(a->inputs_share, b->inputs_share, L) &&
          same_bits(a->inputs_share_se, b->inputs_share_se, L) &&
          same_bits(a->p_improve, b->p_improve, L) &&
          same_bits(a->p_improve_se, b->p_improve_se, L) &&
          same_bits(a->clamped_share, b->clamped_share, L));
    CHECK(same_sizes(a->rank, b->rank, L) &&
          same_sizes(a->uncertain_numbers, b->uncertain_numbers, L) &&
          same_sizes(a->reach_assumed, b->reach_assumed, L));
    CHECK(same_bits(a->p_beats, b->p_beats, L * L) &&
          same_bits(a->p_beats_se, b->p_beats_se, L * L) && same_bits(a->p_tie, b->p_tie, L * L));
    CHECK(same_sizes(a->pair_first, b->pair_first, P) &&
          same_sizes(a->pair_second, b->pair_second, P) &&
          same_means(a->combined, b->combined, P) &&
          same_means(a->interaction, b->interaction, P) && same_means(a->pair_net, b->pair_net, P));
    CHECK(same_bits(a->equivalent_add, b->equivalent_add, L * d) &&
          same_bits(a->equivalent_scale, b->equivalent_scale, L * d) &&
          same_bits(a->equivalent_add_se, b->equivalent_add_se, L * d) &&
          same_bits(a->equivalent_scale_se, b->equivalent_scale_se, L * d));
    check_paybacks(a, b);
    check_voi(&a->voi, &b->voi, d);
}

static void check_break_even(const fmc_break_even_result *a, const fmc_break_even_result *b)
{
    size_t d = a->inputs;
    CHECK(b->inputs == d && b->samples == a->samples && b->periods == a->periods);
    CHECK(same_bits(a->value, b->value, d) && same_bits(a->se, b->se, d));
    for (size_t j = 0; j < d; j++)
        CHECK(b->kind[j] == a->kind[j]);
    CHECK(same_bits(a->cumulative_mean, b->cumulative_mean, a->periods) &&
          same_bits(a->cumulative_se, b->cumulative_se, a->periods));
    CHECK(same_bits(&a->period, &b->period, 1) && same_bits(&a->period_se, &b->period_se, 1) &&
          b->period_kind == a->period_kind);
}

static void check_portfolio(const fmc_portfolio_result *a, const fmc_portfolio_result *b)
{
    CHECK(b->levers == a->levers);
    if (a->levers == 0) /* no search: the rest means nothing (replicates leave NaN there) */
        return;
    CHECK(b->objective == a->objective && b->percentile == a->percentile &&
          b->screen_samples == a->screen_samples && b->screened == a->screened &&
          b->candidates == a->candidates && b->count == a->count);
    CHECK(same_bits(&a->budget_hours, &b->budget_hours, 1) &&
          same_bits(&a->budget_money, &b->budget_money, 1) &&
          same_bits(&a->p_best_beats_second, &b->p_best_beats_second, 1) &&
          same_bits(&a->p_best_beats_second_se, &b->p_best_beats_second_se, 1));
    for (size_t k = 0; k < a->count && k < FMC_PORTFOLIO_REPORTED; k++) {
        const fmc_portfolio_set *p = &a->sets[k], *q = &b->sets[k];
        CHECK(q->members == p->members);
        CHECK(same_bits(&p->objective, &q->objective, 1) &&
              same_bits(&p->objective_se, &q->objective_se, 1) &&
              same_bits(p->objective_ci, q->objective_ci, 2) &&
              same_bits(&p->net_mean, &q->net_mean, 1) && same_bits(&p->net_se, &q->net_se, 1) &&
              same_bits(&p->extra_hours, &q->extra_hours, 1) &&
              same_bits(&p->extra_money, &q->extra_money, 1) &&
              same_bits(&p->p_over, &q->p_over, 1) && same_bits(&p->p_over_se, &q->p_over_se, 1));
    }
}

/* Every part of A read back from PATH into B equals A's. */
static void check_round_trip(const char *path, const fmc_scenario *s, const fmc_analysis *a)
{
    fmc_analysis b;
    int ok = read_back(path, s, a, &b);
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  problem: %s: %s\n", problem.object, problem.message);
    CHECK(b.summary_only == a->summary_only && b.has_levers == a->has_levers &&
          b.has_sobol == a->has_sobol);
    if (ok && !a->summary_only) {
        check_tornado(&a->tornado, &b.tornado);
        check_drivers(&a->result.drivers, &b.result.drivers);
        check_break_even(&a->result.break_even, &b.result.break_even);
    }
    if (ok && a->has_sobol)
        check_sobol(&a->sobol, &b.sobol, s->input_count);
    if (ok && a->has_levers)
        check_levers(&a->result.levers, &b.result.levers);
    if (ok)
        check_portfolio(&a->result.portfolio, &b.result.portfolio);
    fmc_analysis_clear(&b);
}

/* The library's scenario NAME analysed on SAMPLES samples (Sobol BASE
 * rows) into *A and written to PATH (of SIZE bytes) in a fresh scratch
 * directory. */
static fmc_scenario *analysed_library(const char *name, uint64_t samples, uint64_t base,
                                      fmc_analysis *a, char *path, size_t size)
{
    make_directory();
    snprintf(path, size, "%s/%s.h5", directory, name);
    fmc_scenario *s = load_library_scenario(name);
    analyse(s, samples, base, 0, a);
    write_analysis(path, s, a);
    return s;
}

/* Reads A back from PATH, compares, and frees S, A and the directory. */
static void round_trip_and_free(const char *path, fmc_scenario *s, fmc_analysis *a)
{
    check_round_trip(path, s, a);
    fmc_analysis_clear(a);
    fmc_scenario_free(s);
    remove_directory();
}

static void a_shop_with_pairs_and_a_budget_reads_back_to_the_bit(void)
{
    char path[256];
    fmc_analysis a;
    fmc_scenario *s = analysed_library("handmade-shop.yaml", 8192, 2048, &a, path, sizeof path);
    /* what makes this case: uncertain numbers (VOI, inputs_share), pairs, a budget */
    REQUIRE(a.has_levers && a.has_sobol && a.result.levers.count == 4);
    CHECK(a.result.levers.pairs == 6 && a.result.levers.voi.numbers > 0);
    CHECK(a.result.portfolio.levers == 4 && a.result.portfolio.count >= 2);
    round_trip_and_free(path, s, &a);
}

static void a_year_reads_back_with_its_periods_and_paybacks(void)
{
    char path[256];
    fmc_analysis a;
    fmc_scenario *s = analysed_library("handmade-year.yaml", 4096, 1024, &a, path, sizeof path);
    REQUIRE(a.result.horizon.periods == 12 && a.result.levers.periods == 12);
    CHECK(a.result.break_even.periods == 12 && a.result.levers.payback[0].total == 4096);
    round_trip_and_free(path, s, &a);
}

static void a_roaster_reads_back_with_its_design_and_correlated_sets(void)
{
    char path[256];
    fmc_analysis a;
    fmc_scenario *s = analysed_library("coffee-roaster.yaml", 16384, 16384, &a, path, sizeof path);
    REQUIRE(a.has_sobol);
    CHECK(a.sobol.design.replicates == 16 && a.sobol.design.points == 1024);
    CHECK(a.sobol.group_count > FMC_GROUP_COUNT);
    round_trip_and_free(path, s, &a);
}

#define PERCENTILE_SCENARIO                                                                        \
    "name: low-percentile\nsamples: 4096\nseed: 11\n" REFERENCE_INPUTS                             \
    "sensitivity: {sobol: false}\n"                                                                \
    "levers:\n  more_clicks:\n    click_rate: {add: {dist: uniform, min: 0, max: 0.04}}\n"         \
    "    cost: {hours: 2}\n  fewer_ads:\n    ads: {scale: 0.5}\n"                                  \
    "budget: {hours: 5}\nobjective: p10\n"

static void a_percentile_objective_without_sobol_reads_back(void)
{
    make_directory();
    char path[128];
    snprintf(path, sizeof path, "%s/percentile.h5", directory);
    fmc_scenario *s = load_text(PERCENTILE_SCENARIO);
    fmc_analysis a;
    analyse(s, 4096, 0, 0, &a);
    write_analysis(path, s, &a);
    REQUIRE(!a.has_sobol && a.has_levers);
    CHECK(a.result.portfolio.objective == FMC_OBJECTIVE_PERCENTILE);
    check_round_trip(path, s, &a);
    fmc_analysis_clear(&a);

    /* a summary alone: nothing but the flags */
    analyse(s, 4096, 0, 1, &a);
    write_analysis(path, s, &a);
    fmc_analysis b;
    CHECK(read_back(path, s, &a, &b));
    CHECK(b.summary_only && !b.has_levers && !b.has_sobol && b.tornado.count == 0 &&
          b.result.drivers.count == 0 && b.result.levers.count == 0);
    fmc_analysis_clear(&b);
    fmc_analysis_clear(&a);
    fmc_scenario_free(s);
    remove_directory();
}

/* PATH opened for writing, with its object NAME deleted. */
static hid_t open_without(const char *path, const char *name)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0 && H5Ldelete(file, name, H5P_DEFAULT) >= 0);
    return file;
}

/* Reading PATH fails on OBJECT with a message holding WORDS. */
static void check_problem(const char *path, const fmc_scenario *s, const fmc_analysis *a,
                          const char *object, const char *words)
{
    fmc_analysis b;
    CHECK(!read_back(path, s, a, &b));
    CHECK(strcmp(problem.object, object) == 0 && strstr(problem.message, words) != NULL);
    if (strcmp(problem.object, object) != 0 || !strstr(problem.message, words))
        fprintf(stderr, "  expected %s (%s), got %s: %s\n", object, words, problem.object,
                problem.message);
    fmc_analysis_clear(&b);
}

static void damaged_objects_are_reported_by_path(void)
{
    make_directory();
    char path[128];
    snprintf(path, sizeof path, "%s/damaged.h5", directory);
    fmc_scenario *s = load_text(PERCENTILE_SCENARIO);
    fmc_analysis a;
    analyse(s, 4096, 0, 0, &a);
    REQUIRE(a.result.levers.count == 2 && s->input_count == 10);
    const hsize_t square[2] = {2, 2};
    const double values[4] = {0.25, 0.5, 0.75, 1};
    const char *names[2] = {"more_clicks", "more_clicks"};

    write_analysis(path, s, &a);
    hid_t file = open_without(path, "/levers/p_beats");
    REQUIRE(H5LTmake_dataset_double(file, "/levers/p_beats", 1, square, values) >= 0);
    REQUIRE(H5Fclose(file) >= 0);
    check_problem(path, s, &a, "/levers/p_beats", "expected float64 [2][2]");

    write_analysis(path, s, &a);
    file = open_without(path, "/levers/name");
    REQUIRE(fmc_h5_strings(file, "/levers/name", names, 1) >= 0 && H5Fclose(file) >= 0);
    check_problem(path, s, &a, "/levers/name", "[2]");

    write_analysis(path, s, &a);
    file = open_without(path, "/levers/name");
    REQUIRE(fmc_h5_strings(file, "/levers/name", names, 2) >= 0 && H5Fclose(file) >= 0);
    check_problem(path, s, &a, "/levers/name", "'fewer_ads'");
    /* the same run as a part of a batch file: named from the file's root */
    file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t shop = file < 0 ? file : H5Gcreate2(file, "shop", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(shop >= 0);
    const char *const parts[] = {"tornado", "sensitivity", "levers", "break_even", "portfolio"};
    for (size_t k = 0; k < FMC_COUNT_OF(parts); k++)
        REQUIRE(H5Lmove(file, parts[k], shop, parts[k], H5P_DEFAULT, H5P_DEFAULT) >= 0);
    REQUIRE(H5Gclose(shop) >= 0 && H5Fclose(file) >= 0);
    part = "/shop";
    check_problem(path, s, &a, "/shop/levers/name", "'fewer_ads'");
    part = NULL;

    write_analysis(path, s, &a);
    file = open_without(path, "/levers/pairs/first");
    REQUIRE(fmc_h5_strings(file, "/levers/pairs/first", names, 2) >= 0 && H5Fclose(file) >= 0);
    check_problem(path, s, &a, "/levers/pairs", "2 pairs of 2 levers");

    write_analysis(path, s, &a);
    file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0 && H5LTset_attribute_string(file, "/portfolio", "objective", "p5") >= 0);
    REQUIRE(H5Fclose(file) >= 0);
    check_problem(path, s, &a, "/portfolio@objective", "'p10'");

    write_analysis(path, s, &a);
    REQUIRE((file = open_without(path, "/break_even")) >= 0 && H5Fclose(file) >= 0);
    check_problem(path, s, &a, "/break_even", "missing");

    write_analysis(path, s, &a);
    REQUIRE((file = open_without(path, "/tornado")) >= 0 && H5Fclose(file) >= 0);
    check_problem(path, s, &a, "/tornado", "missing");
    fmc_analysis_clear(&a);
    fmc_scenario_free(s);
    remove_directory();
}

TEST_MAIN_BEGIN
RUN_TEST(a_shop_with_pairs_and_a_budget_reads_back_to_the_bit);
RUN_TEST(a_year_reads_back_with_its_periods_and_paybacks);
RUN_TEST(a_roaster_reads_back_with_its_design_and_correlated_sets);
RUN_TEST(a_percentile_objective_without_sobol_reads_back);
RUN_TEST(damaged_objects_are_reported_by_path);
TEST_MAIN_END
