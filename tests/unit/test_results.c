/* The writers of the results layouts, read back with HDF5's own readers:
 * the samples hold exactly the draws the run made (also when a stopping
 * rule ends it early), a batch part's row round-trips, the batch file holds
 * every part and the table of their rows. */
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

TEST_MAIN_BEGIN
RUN_TEST(saved_samples_hold_every_draw_and_no_more);
RUN_TEST(saved_samples_end_where_the_stopping_rule_stops);
RUN_TEST(samples_end_of_null_is_harmless);
RUN_TEST(a_part_row_reads_back_as_written);
RUN_TEST(the_batch_file_holds_every_part_and_their_table);
TEST_MAIN_END
