/* The writers of the results layouts, read back with HDF5's own readers:
 * the samples hold exactly the draws the run made (also when a stopping
 * rule ends it early), a batch part's row round-trips, the batch file holds
 * every part and the table of their rows, and a horizon's figures lie
 * along a period axis attached as a dimension scale. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "fixtures.h"
#include "temp_dir.h"
#include "funnelmc/h5file.h"
#include "funnelmc/horizon_summary.h"
#include "funnelmc/results.h"

/* The length of the 1-D dataset NAME of FILE, or 0. */
static hsize_t length_of(hid_t file, const char *name)
{
    hsize_t dims[1] = {0};
    int rank = 0;
    if (H5LTget_dataset_ndims(file, name, &rank) < 0 || rank != 1 ||
        H5LTget_dataset_info(file, name, dims, NULL, NULL) < 0)
        return 0;
    return dims[0];
}

/* Runs the reference scenario into TARGET with its samples saved; a
 * stopping rule at PRECISION (0: none) on at most SAMPLES samples. */
static void run_with_samples(const char *target, uint64_t samples, double precision,
                             fmc_run_result *r)
{
    fmc_scenario *s = load_reference();
    fmc_h5file *f = NULL;
    fmc_results_samples *w = NULL;
    REQUIRE(s && fmc_h5file_create(target, &f) == FMC_OK);
    REQUIRE(fmc_results_samples_begin(f, s, &w) == FMC_OK);
    fmc_run_options o = fmc_run_options_default();
    o.samples = samples;
    o.precision_mean = precision;
    o.max_samples = samples;
    o.sink = fmc_results_samples_sink;
    o.sink_context = w;
    REQUIRE(fmc_simulate(s, &o, r) == FMC_OK);
    CHECK(fmc_results_write_run(f, s, r) == FMC_OK);
    CHECK(fmc_results_samples_end(w) == FMC_OK);
    CHECK(fmc_h5file_commit(f) == FMC_OK);
    fmc_scenario_free(s);
}

/* Every stored profit is a real draw: their mean is the run's mean, and the
 * last stored row is not the zero a padded dataset would hold. */
static void check_samples(const char *target, const fmc_run_result *r)
{
    hid_t file = H5Fopen(target, H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    uint64_t samples = 0;
    CHECK(H5LTget_attribute(file, "/", "samples", H5T_NATIVE_UINT64, &samples) >= 0);
    CHECK(samples == r->samples);
    CHECK(length_of(file, "/samples/outputs/profit") == samples);
    CHECK(length_of(file, "/samples/inputs/click_rate") == samples);
    double *profit = malloc(samples * sizeof *profit);
    CHECK(profit && H5LTread_dataset_double(file, "/samples/outputs/profit", profit) >= 0);
    double sum = 0;
    for (uint64_t i = 0; profit && i < samples; i++)
        sum += profit[i];
    double mean = r->outputs[FMC_OUT_PROFIT].mean;
    CHECK_NEAR(sum / (double)samples, mean, 1e-9 * fabs(mean));
    CHECK(profit && profit[samples - 1] != 0);
    free(profit);
    H5Fclose(file);
}

static void saved_samples_hold_every_draw_and_no_more(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/all.h5", directory);
    fmc_run_result r;
    run_with_samples(target, 10007, 0, &r);  /* not a whole number of blocks */
    CHECK(r.samples == 10007);
    check_samples(target, &r);
    fmc_run_result_clear(&r);
    remove_directory();
}

static void saved_samples_end_where_the_stopping_rule_stops(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/stopped.h5", directory);
    fmc_run_result r;
    /* a loose target: met at the first checkpoint, far below the maximum */
    run_with_samples(target, 2000000, 1e9, &r);
    CHECK(r.precision_met && r.samples < 2000000);
    check_samples(target, &r);
    fmc_run_result_clear(&r);
    remove_directory();
}

static void samples_end_of_null_is_harmless(void)
{
    CHECK(fmc_results_samples_end(NULL) == FMC_OK);
}

/* The worked example under the name NAME. */
static fmc_scenario *worked_example_named(const char *name)
{
    const char *text = fmc_worked_example_text(), *line = strstr(text, "name: worked-example");
    size_t n = strlen(text) + strlen(name) + 1;
    char *renamed = malloc(n);
    CHECK(line && renamed);
    if (!line || !renamed)
        return NULL;
    snprintf(renamed, n, "%.*sname: %s%s", (int)(line - text), text, name,
             line + strlen("name: worked-example"));
    fmc_scenario *s = load_text(renamed);
    free(renamed);
    return s;
}

/* A part: the worked example, named NAME, as a run file with ROW (none
 * when NULL). */
static void write_part(const char *path, const char *name, const fmc_batch_row *row)
{
    fmc_scenario *s = worked_example_named(name);
    fmc_run_options o = fmc_run_options_default();
    o.samples = 1000;
    fmc_run_result r;
    REQUIRE(s && fmc_simulate(s, &o, &r) == FMC_OK);
    fmc_h5file *f = NULL;
    REQUIRE(fmc_h5file_create(path, &f) == FMC_OK);
    CHECK(fmc_results_write_run(f, s, &r) == FMC_OK);
    if (row)
        CHECK(fmc_results_write_batch_row(f, row) == FMC_OK);
    CHECK(fmc_h5file_commit(f) == FMC_OK);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
}

static fmc_batch_row a_row(const char *name, double mean, const char *lever)
{
    fmc_batch_row row;
    memset(&row, 0, sizeof row);
    snprintf(row.name, sizeof row.name, "%s", name);
    snprintf(row.file, sizeof row.file, "scenarios/%s.yaml", name);
    row.mean = mean;
    row.se = 2.385;
    row.sd = 1.5e3;
    row.p_loss = 0.125;
    row.p_loss_se = 1e-3;
    snprintf(row.best_lever, sizeof row.best_lever, "%s", lever);
    snprintf(row.period, sizeof row.period, "12 months");
    return row;
}

static void a_part_row_reads_back_as_written(void)
{
    make_directory();
    char part[128], plain[128];
    snprintf(part, sizeof part, "%s/part.h5", directory);
    snprintf(plain, sizeof plain, "%s/plain.h5", directory);
    fmc_batch_row row = a_row("a-shop", 2499.75, "ads"), back;
    write_part(part, row.name, &row);
    CHECK(fmc_results_read_batch_row(part, &back) == FMC_OK);
    CHECK(strcmp(back.name, row.name) == 0 && strcmp(back.file, row.file) == 0);
    CHECK(strcmp(back.best_lever, "ads") == 0);
    CHECK(strcmp(back.period, "12 months") == 0);
    CHECK_EXACT(back.mean, row.mean);
    CHECK_EXACT(back.se, row.se);
    CHECK_EXACT(back.sd, row.sd);
    CHECK_EXACT(back.p_loss, row.p_loss);
    CHECK_EXACT(back.p_loss_se, row.p_loss_se);
    /* a run file without a row is not a complete part, nor is a missing file */
    write_part(plain, "worked-example", NULL);
    CHECK(fmc_results_read_batch_row(plain, &back) == FMC_EHDF5);
    CHECK(back.name[0] == 0 && back.mean == 0);
    snprintf(plain, sizeof plain, "%s/missing.h5", directory);
    CHECK(fmc_results_read_batch_row(plain, &back) == FMC_EHDF5);
    remove_directory();
}

static void the_batch_file_holds_every_part_and_their_table(void)
{
    make_directory();
    char paths[2][256], target[128];
    fmc_batch_row rows[2] = {a_row("shop-number-1", 10.5, ""), a_row("shop-number-2", -3.25, "x")};
    for (int i = 0; i < 2; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s.h5", directory, rows[i].name);
        write_part(paths[i], rows[i].name, &rows[i]);
    }
    snprintf(target, sizeof target, "%s/batch.h5", directory);
    const char *parts[2] = {paths[0], paths[1]};
    REQUIRE(fmc_results_assemble_batch(target, parts, rows, 2) == FMC_OK);
    hid_t file = H5Fopen(target, H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    uint64_t scenarios = 0, complete = 0;
    CHECK(H5LTget_attribute(file, "/", "scenarios", H5T_NATIVE_UINT64, &scenarios) >= 0);
    CHECK(scenarios == 2);
    double mean[2] = {0, 0}, part_mean = 0;
    CHECK(H5LTread_dataset_double(file, "/batch/mean", mean) >= 0);
    CHECK_EXACT(mean[0], 10.5);
    CHECK_EXACT(mean[1], -3.25);
    for (int i = 0; i < 2; i++) {
        char group[160];
        snprintf(group, sizeof group, "/%.64s", rows[i].name);
        CHECK(H5LTget_attribute(file, group, "complete", H5T_NATIVE_UINT64, &complete) >= 0);
        CHECK(complete == 1);
        CHECK(H5LTget_attribute_double(file, group, "batch_mean", &part_mean) >= 0);
        CHECK_EXACT(part_mean, rows[i].mean);
        snprintf(group, sizeof group, "/%.64s/outputs/profit", rows[i].name);
        CHECK(H5Lexists(file, group, H5P_DEFAULT) > 0);
    }
    H5Fclose(file);
    /* a part that cannot be read: no batch file */
    snprintf(target, sizeof target, "%s/broken.h5", directory);
    snprintf(paths[1], sizeof paths[1], "%s/missing.h5", directory);
    CHECK(fmc_results_assemble_batch(target, parts, rows, 2) == FMC_EHDF5);
    CHECK(access(target, F_OK) != 0);
    remove_directory();
}

enum { PERIODS = 3 };

/* Period t's figure k of a synthetic horizon, distinct everywhere. */
static double figure(size_t t, size_t k)
{
    return 1000.25 * (double)(t + 1) + 2.5 * (double)k;
}

/* A horizon of PERIODS periods made up by hand, for the run R and its levers. */
static void add_synthetic_horizon(fmc_run_result *r)
{
    const uint64_t counts[PERIODS + 1] = {5, 7, 11, 13};
    fmc_horizon_result *h = &r->horizon;
    h->periods = PERIODS;
    h->discount_rate = 0.0125;
    h->profit = calloc(PERIODS, sizeof *h->profit);
    REQUIRE(h->profit && fmc_payback_summarize(counts, PERIODS, 0.95, &h->payback) == FMC_OK);
    for (size_t t = 0; t < PERIODS; t++) {
        fmc_output_summary *o = &h->profit[t];
        o->mean = figure(t, 0);
        o->se = figure(t, 1);
        o->sd = figure(t, 2);
        o->mean_ci[0] = figure(t, 3);
        o->mean_ci[1] = figure(t, 4);
        o->p_loss = figure(t, 5);
        o->p_loss_se = figure(t, 6);
        for (size_t q = 0; q < FMC_QUANTILE_COUNT; q++) {
            o->quantiles[q] = figure(t, 10 + q);
            o->quantile_ci[q][0] = figure(t, 20 + q);
            o->quantile_ci[q][1] = figure(t, 30 + q);
        }
    }
    fmc_lever_results *l = &r->levers;
    size_t n = l->count * PERIODS;
    l->periods = PERIODS;
    l->period_gain = malloc(4 * n * sizeof *l->period_gain);
    l->payback = calloc(l->count, sizeof *l->payback);
    REQUIRE(l->period_gain && l->payback);
    l->period_gain_se = l->period_gain + n;
    l->period_net = l->period_gain + 2 * n;
    l->period_net_se = l->period_gain + 3 * n;
    for (size_t i = 0; i < 4 * n; i++)
        l->period_gain[i] = figure(i, 40);
    for (size_t j = 0; j < l->count; j++) {
        const uint64_t lever_counts[PERIODS + 1] = {j, 2, 3, 4};
        REQUIRE(fmc_payback_summarize(lever_counts, PERIODS, 0.95, &l->payback[j]) == FMC_OK);
    }
}

static void clear_synthetic_horizon(fmc_run_result *r)
{
    fmc_horizon_result_clear(&r->horizon);
    fmc_lever_results *l = &r->levers;
    for (size_t j = 0; l->payback && j < l->count; j++)
        fmc_payback_summary_clear(&l->payback[j]);
    free(l->payback);
    free(l->period_gain);
    l->payback = NULL;
    l->period_gain = l->period_gain_se = l->period_net = l->period_net_se = NULL;
    l->periods = 0;
}

/* 1 when the dataset NAME of FILE has the dimension scale SCALE (a path)
 * attached to its dimension DIM, and the shape RANK, DIMS. */
static int along_periods(hid_t file, const char *name, const char *scale, unsigned dim, int rank,
                         const hsize_t *dims)
{
    hsize_t actual[3] = {0, 0, 0};
    int actual_rank = 0;
    if (H5LTget_dataset_ndims(file, name, &actual_rank) < 0 || actual_rank != rank ||
        H5LTget_dataset_info(file, name, actual, NULL, NULL) < 0 ||
        memcmp(actual, dims, (size_t)rank * sizeof *dims) != 0)
        return 0;
    hid_t set = H5Dopen2(file, name, H5P_DEFAULT), axis = H5Dopen2(file, scale, H5P_DEFAULT);
    int attached = set >= 0 && axis >= 0 && H5DSis_scale(axis) > 0 &&
                   H5DSis_attached(set, axis, dim) > 0;
    if (axis >= 0)
        H5Dclose(axis);
    if (set >= 0)
        H5Dclose(set);
    return attached;
}

static void a_horizon_is_written_along_its_period_axis(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/horizon.h5", directory);
    fmc_scenario *s = load_reference();
    fmc_run_result r;
    REQUIRE(run_analyses(s, 2000, 1, 0, 1, NULL, NULL, &r) == FMC_OK);
    add_synthetic_horizon(&r);
    fmc_h5file *f = NULL;
    REQUIRE(fmc_h5file_create(target, &f) == FMC_OK);
    CHECK(fmc_results_write_run(f, s, &r) == FMC_OK);
    CHECK(fmc_results_write_levers(f, s, &r.levers, 0.95) == FMC_OK);
    CHECK(fmc_h5file_commit(f) == FMC_OK);
    hid_t file = H5Fopen(target, H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);

    uint64_t periods = 0, period[PERIODS] = {0}, counts[PERIODS] = {0}, never = 0;
    double rate = 0, mean[PERIODS], quantiles_ci[PERIODS][FMC_QUANTILE_COUNT][2];
    CHECK(H5LTget_attribute(file, "/horizon", "periods", H5T_NATIVE_UINT64, &periods) >= 0);
    CHECK(periods == PERIODS);
    CHECK(H5LTget_attribute_double(file, "/horizon", "discount_rate", &rate) >= 0);
    CHECK_EXACT(rate, 0.0125);
    CHECK(H5LTread_dataset(file, "/horizon/period", H5T_NATIVE_UINT64, period) >= 0);
    CHECK(period[0] == 1 && period[1] == 2 && period[2] == 3);
    CHECK(H5LTread_dataset_double(file, "/horizon/profit_mean", mean) >= 0);
    CHECK(H5LTread_dataset_double(file, "/horizon/profit_quantiles_ci", &quantiles_ci[0][0][0]) >= 0);
    for (size_t t = 0; t < PERIODS; t++) {
        CHECK_EXACT(mean[t], figure(t, 0));
        CHECK_EXACT(quantiles_ci[t][8][1], figure(t, 38));
    }
    const hsize_t t1[1] = {PERIODS}, t2[2] = {PERIODS, 2}, tk[2] = {PERIODS, FMC_QUANTILE_COUNT};
    const hsize_t tk2[3] = {PERIODS, FMC_QUANTILE_COUNT, 2};
    const char *scale = "/horizon/period";
    CHECK(along_periods(file, "/horizon/profit_mean", scale, 0, 1, t1));
    CHECK(along_periods(file, "/horizon/profit_se", scale, 0, 1, t1));
    CHECK(along_periods(file, "/horizon/profit_sd", scale, 0, 1, t1));
    CHECK(along_periods(file, "/horizon/profit_mean_ci", scale, 0, 2, t2));
    CHECK(along_periods(file, "/horizon/profit_quantiles", scale, 0, 2, tk));
    CHECK(along_periods(file, "/horizon/profit_quantiles_ci", scale, 0, 3, tk2));
    CHECK(along_periods(file, "/horizon/p_loss", scale, 0, 1, t1));
    CHECK(along_periods(file, "/horizon/p_loss_se", scale, 0, 1, t1));
    CHECK(along_periods(file, "/horizon/payback/counts", "/horizon/payback/period", 0, 1, t1));
    CHECK(length_of(file, "/horizon/profit_quantile_levels") == FMC_QUANTILE_COUNT);

    double median = 0, median_ci[2] = {0, 0}, p_never = 0;
    CHECK(H5LTread_dataset(file, "/horizon/payback/counts", H5T_NATIVE_UINT64, counts) >= 0);
    CHECK(counts[0] == 5 && counts[1] == 7 && counts[2] == 11);
    CHECK(H5LTget_attribute(file, "/horizon/payback", "never", H5T_NATIVE_UINT64, &never) >= 0);
    CHECK(never == 13);
    CHECK(H5LTget_attribute_double(file, "/horizon/payback", "median", &median) >= 0);
    CHECK_EXACT(median, r.horizon.payback.median);
    CHECK(H5LTget_attribute_double(file, "/horizon/payback", "median_ci", median_ci) >= 0);
    CHECK_EXACT(median_ci[0], r.horizon.payback.median_ci[0]);
    CHECK_EXACT(median_ci[1], r.horizon.payback.median_ci[1]);
    CHECK(H5LTget_attribute_double(file, "/horizon/payback", "p_never", &p_never) >= 0);
    CHECK_NEAR(p_never, 13.0 / 36, 1e-15);

    size_t L = r.levers.count;
    const hsize_t lt[2] = {L, PERIODS};
    CHECK(along_periods(file, "/levers/period_gain", "/levers/period", 1, 2, lt));
    CHECK(along_periods(file, "/levers/period_gain_se", "/levers/period", 1, 2, lt));
    CHECK(along_periods(file, "/levers/period_net", "/levers/period", 1, 2, lt));
    CHECK(along_periods(file, "/levers/period_net_se", "/levers/period", 1, 2, lt));
    uint64_t *lever_counts = malloc(L * (PERIODS + 1) * sizeof *lever_counts);
    double *net = malloc(L * PERIODS * sizeof *net), *lever_p_never = malloc(L * sizeof *net);
    REQUIRE(lever_counts && net && lever_p_never);
    CHECK(H5LTread_dataset(file, "/levers/payback_counts", H5T_NATIVE_UINT64, lever_counts) >= 0);
    CHECK(H5LTread_dataset_double(file, "/levers/period_net", net) >= 0);
    CHECK(H5LTread_dataset_double(file, "/levers/payback_p_never", lever_p_never) >= 0);
    for (size_t j = 0; j < L; j++) {
        CHECK(lever_counts[j * (PERIODS + 1)] == j && lever_counts[j * (PERIODS + 1) + 3] == 4);
        CHECK_EXACT(lever_p_never[j], r.levers.payback[j].p_never);
        for (size_t t = 0; t < PERIODS; t++)
            CHECK_EXACT(net[j * PERIODS + t], r.levers.period_net[j * PERIODS + t]);
    }
    free(lever_counts);
    free(net);
    free(lever_p_never);
    H5Fclose(file);

    /* without a horizon: neither /horizon nor the levers' periods */
    clear_synthetic_horizon(&r);
    REQUIRE(fmc_h5file_create(target, &f) == FMC_OK);
    CHECK(fmc_results_write_run(f, s, &r) == FMC_OK);
    CHECK(fmc_results_write_levers(f, s, &r.levers, 0.95) == FMC_OK);
    CHECK(fmc_h5file_commit(f) == FMC_OK);
    file = H5Fopen(target, H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    CHECK(H5Lexists(file, "/horizon", H5P_DEFAULT) == 0);
    CHECK(H5Lexists(file, "/levers/period_gain", H5P_DEFAULT) == 0);
    CHECK(H5Lexists(file, "/levers/payback_counts", H5P_DEFAULT) == 0);
    H5Fclose(file);
    fmc_run_result_clear(&r);
    fmc_scenario_free(s);
    remove_directory();
}

TEST_MAIN_BEGIN
RUN_TEST(saved_samples_hold_every_draw_and_no_more);
RUN_TEST(saved_samples_end_where_the_stopping_rule_stops);
RUN_TEST(samples_end_of_null_is_harmless);
RUN_TEST(a_part_row_reads_back_as_written);
RUN_TEST(the_batch_file_holds_every_part_and_their_table);
RUN_TEST(a_horizon_is_written_along_its_period_axis);
TEST_MAIN_END
