/* The resumable batch: its table matches separate analyses of the same
 * scenarios, an interrupted batch leaves its complete parts, and a resumed
 * one keeps them untouched (same inode, same modification time) and redoes
 * only the rest, to the same results. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <hdf5_hl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "fixtures.h"
#include "temp_dir.h"
#include "funnelmc/batch.h"
#include "funnelmc/sweep.h"

enum { SCENARIOS = 2, SAMPLES = 6000 };

/* The reference scenario as "shop-K" with its own seed. */
static fmc_scenario *shop(int k)
{
    FILE *in = fopen(FMC_SOURCE_DIR "/scenarios/reference.yaml", "r");
    CHECK(in != NULL);
    static char text[1 << 16], renamed[1 << 16];
    size_t n = in ? fread(text, 1, sizeof text - 1, in) : 0;
    if (in)
        fclose(in);
    text[n] = 0;
    const char *name = strstr(text, "\nname: "), *seed = strstr(text, "\nseed: ");
    CHECK(name && seed && name < seed);
    if (!name || !seed || seed < name)
        return NULL;
    const char *name_end = strchr(name + 1, '\n'), *seed_end = strchr(seed + 1, '\n');
    snprintf(renamed, sizeof renamed, "%.*s\nname: shop-%d%.*s\nseed: %d%s", (int)(name - text), text,
             k, (int)(seed - name_end), name_end, 100 + k, seed_end);
    return load_text(renamed);
}

static fmc_scenario *scenarios[SCENARIOS];
static fmc_batch_scenario entries[SCENARIOS];
static const char *const files[SCENARIOS] = {"shop-0.yaml", "shop-1.yaml"};

static fmc_batch_options small_options(void)
{
    fmc_batch_options o = fmc_batch_options_default();
    o.analysis.run.samples = SAMPLES;
    o.analysis.summary_only = 1;
    return o;
}

/* /batch/COLUMN of FILE into VALUES[SCENARIOS]. */
static void read_column(const char *path, const char *column, double *values)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    char name[64];
    snprintf(name, sizeof name, "/batch/%s", column);
    CHECK(file >= 0 && H5LTread_dataset_double(file, name, values) >= 0);
    if (file >= 0)
        H5Fclose(file);
}

static void a_batch_table_matches_separate_analyses(void)
{
    make_directory();
    char target[128], parts[160];
    snprintf(target, sizeof target, "%s/batch.h5", directory);
    snprintf(parts, sizeof parts, "%s.parts", target);
    fmc_batch_options o = small_options();
    fmc_batch_outcome outcome;
    REQUIRE(fmc_batch_run(target, entries, SCENARIOS, &o, &outcome) == FMC_OK);
    CHECK(outcome.completed == SCENARIOS && outcome.resumed == 0);
    CHECK(access(parts, F_OK) != 0);  /* the parts are gone once assembled */
    double mean[SCENARIOS], se[SCENARIOS], p_loss[SCENARIOS];
    read_column(target, "mean", mean);
    read_column(target, "se", se);
    read_column(target, "p_loss", p_loss);
    for (int k = 0; k < SCENARIOS; k++) {
        fmc_analysis a;
        REQUIRE(fmc_analyse(scenarios[k], &o.analysis, &a) == FMC_OK);
        const fmc_output_summary *profit = &a.result.outputs[FMC_OUT_PROFIT];
        CHECK_EXACT(mean[k], profit->mean);
        CHECK_EXACT(se[k], profit->se);
        CHECK_EXACT(p_loss[k], profit->p_loss);
        fmc_analysis_clear(&a);
    }
    CHECK(mean[0] != mean[1]);  /* two seeds: two different rows */
    remove_directory();
}

/* Raises the batch's cancel flag once scenario 0 is done; records what it
 * saw of each scenario. */
static volatile sig_atomic_t cancel;
typedef struct seen {
    int stop_after_first;
    int resumed[SCENARIOS];
    fmc_status status[SCENARIOS];
    struct stat part[SCENARIOS];
} seen;

static void record(void *context, size_t index, const char *part, fmc_status status,
                   const fmc_batch_row *row, int resumed)
{
    seen *s = context;
    CHECK((row != NULL) == (status == FMC_OK));
    s->resumed[index] = resumed;
    s->status[index] = status;
    if (status == FMC_OK)
        CHECK(stat(part, &s->part[index]) == 0);
    if (s->stop_after_first && index == 0)
        cancel = 1;
}

static void a_resumed_batch_keeps_complete_parts_and_redoes_the_rest(void)
{
    make_directory();
    char target[128], whole[128], parts[160], part[200];
    snprintf(target, sizeof target, "%s/resumed.h5", directory);
    snprintf(whole, sizeof whole, "%s/whole.h5", directory);
    snprintf(parts, sizeof parts, "%s.parts", target);
    fmc_batch_options o = small_options();
    CHECK(fmc_batch_run(whole, entries, SCENARIOS, &o, NULL) == FMC_OK);

    seen first = {.stop_after_first = 1}, second = {0};
    cancel = 0;
    o.analysis.run.cancel = &cancel;
    o.scenario_done = record;
    o.scenario_context = &first;
    fmc_batch_outcome outcome;
    CHECK(fmc_batch_run(target, entries, SCENARIOS, &o, &outcome) == FMC_ECANCELLED);
    CHECK(outcome.failed == FMC_BATCH_SCENARIO && outcome.index == 1 && outcome.completed == 1);
    CHECK(first.status[0] == FMC_OK && first.status[1] == FMC_ECANCELLED);
    CHECK(access(target, F_OK) != 0);
    snprintf(part, sizeof part, "%s/shop-1.h5", parts);
    CHECK(access(part, F_OK) != 0);

    cancel = 0;
    o.resume = 1;
    o.scenario_context = &second;
    CHECK(fmc_batch_run(target, entries, SCENARIOS, &o, &outcome) == FMC_OK);
    CHECK(outcome.completed == SCENARIOS && outcome.resumed == 1);
    CHECK(second.resumed[0] == 1 && second.resumed[1] == 0);
    /* the complete part was kept as it was, not rewritten */
    CHECK(second.part[0].st_ino == first.part[0].st_ino);
    CHECK(second.part[0].st_mtim.tv_sec == first.part[0].st_mtim.tv_sec &&
          second.part[0].st_mtim.tv_nsec == first.part[0].st_mtim.tv_nsec);
    CHECK(access(parts, F_OK) != 0);
    double resumed_mean[SCENARIOS], whole_mean[SCENARIOS];
    read_column(target, "mean", resumed_mean);
    read_column(whole, "mean", whole_mean);
    for (int k = 0; k < SCENARIOS; k++)
        CHECK_EXACT(resumed_mean[k], whole_mean[k]);
    remove_directory();
}

/* A batch of TARGET with options O (recording into FIRST) cancelled once
 * its first scenario is kept; O is left to resume it (recording into
 * SECOND). */
static void interrupt_after_the_first(const char *target, fmc_batch_options *o, seen *first,
                                      seen *second)
{
    *first = (seen){.stop_after_first = 1};
    *second = (seen){0};
    cancel = 0;
    o->analysis.run.cancel = &cancel;
    o->scenario_done = record;
    o->scenario_context = first;
    CHECK(fmc_batch_run(target, entries, SCENARIOS, o, NULL) == FMC_ECANCELLED);
    cancel = 0;
    o->resume = 1;
    o->scenario_context = second;
}

static void a_part_of_another_file_is_redone(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/b.h5", directory);
    fmc_batch_options o = small_options();
    seen first, second;
    interrupt_after_the_first(target, &o, &first, &second);
    fmc_batch_scenario moved[SCENARIOS] = {{scenarios[0], "elsewhere/shop-0.yaml"}, entries[1]};
    CHECK(fmc_batch_run(target, moved, SCENARIOS, &o, NULL) == FMC_OK);
    CHECK(second.resumed[0] == 0 && second.resumed[1] == 0);
    remove_directory();
}

/* A part kept by a batch without sweeps lacks them: resumed with sweeps,
 * it is made again, and then holds them. */
static void a_part_without_the_sweeps_asked_for_is_redone(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/later.h5", directory);
    fmc_batch_options o = small_options();
    seen first, second;
    interrupt_after_the_first(target, &o, &first, &second);
    o.sweeps = 1;
    CHECK(fmc_batch_run(target, entries, SCENARIOS, &o, NULL) == FMC_OK);
    CHECK(second.resumed[0] == 0 && second.resumed[1] == 0);
    hid_t file = H5Fopen(target, H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    CHECK(H5Lexists(file, "/shop-0/sweeps", H5P_DEFAULT) > 0);
    H5Fclose(file);
    remove_directory();
}

static void period_of_row(void *context, size_t index, const char *part, fmc_status status,
                          const fmc_batch_row *row, int resumed)
{
    (void)part;
    (void)resumed;
    CHECK(status == FMC_OK && index < SCENARIOS);
    if (row)
        snprintf(((char (*)[48])context)[index], 48, "%s", row->period);
}

/* With sweeps, each scenario's group holds its sweeps, the same grid as
 * `funnelmc sweep` gives at the batch's samples; every row says its period. */
static void a_batch_with_sweeps_keeps_them_in_each_group(void)
{
    make_directory();
    char target[128], periods[SCENARIOS][48];
    snprintf(target, sizeof target, "%s/sweeps.h5", directory);
    fmc_batch_options o = small_options();
    o.sweeps = 1;
    o.scenario_done = period_of_row;
    o.scenario_context = periods;
    REQUIRE(fmc_batch_run(target, entries, SCENARIOS, &o, NULL) == FMC_OK);
    hid_t file = H5Fopen(target, H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    for (int k = 0; k < SCENARIOS; k++) {
        CHECK(strcmp(periods[k], "month") == 0);
        fmc_run_options run = fmc_run_options_default();
        run.samples = SAMPLES;
        fmc_sweep_result r;
        REQUIRE(fmc_sweep_run(scenarios[k], &scenarios[k]->sweeps[0], &run, &r) == FMC_OK);
        double *mean = malloc(r.points * sizeof *mean);
        uint64_t samples = 0;
        char group[160], name[200];
        snprintf(group, sizeof group, "/shop-%d/sweeps/%s", k, scenarios[k]->sweeps[0].name);
        snprintf(name, sizeof name, "%s/mean", group);
        REQUIRE(mean != NULL);
        CHECK(H5LTread_dataset_double(file, name, mean) >= 0);
        CHECK(H5LTget_attribute(file, group, "samples", H5T_NATIVE_UINT64, &samples) >= 0);
        CHECK(samples == SAMPLES);
        for (size_t p = 0; p < r.points; p++)
            CHECK_EXACT(mean[p], r.mean[p]);
        free(mean);
        fmc_sweep_result_clear(&r);
    }
    H5Fclose(file);
    remove_directory();
}

static void refusals_come_before_any_work(void)
{
    make_directory();
    char target[128], parts[160];
    snprintf(target, sizeof target, "%s/notes.txt", directory);
    snprintf(parts, sizeof parts, "%s.parts", target);
    FILE *notes = fopen(target, "w");
    CHECK(notes != NULL);
    if (notes) {
        fputs("someone's notes", notes);
        fclose(notes);
    }
    fmc_batch_options o = small_options();
    fmc_batch_outcome outcome;
    CHECK(fmc_batch_run(target, entries, SCENARIOS, &o, &outcome) == FMC_EFOREIGN);
    CHECK(outcome.failed == FMC_BATCH_TARGET && outcome.completed == 0);
    CHECK(access(parts, F_OK) != 0);
    fmc_batch_scenario twice[2] = {entries[0], {scenarios[0], "copy.yaml"}};
    snprintf(target, sizeof target, "%s/twice.h5", directory);
    CHECK(fmc_batch_run(target, twice, 2, &o, &outcome) == FMC_EINVAL);
    CHECK(outcome.failed == FMC_BATCH_SCENARIO && outcome.index == 1);
    remove_directory();
}

TEST_MAIN_BEGIN
for (int k = 0; k < SCENARIOS; k++) {
    scenarios[k] = shop(k);
    CHECK(scenarios[k] != NULL);
    entries[k] = (fmc_batch_scenario){scenarios[k], files[k]};
}
if (scenarios[0] && scenarios[1]) {
    RUN_TEST(a_batch_table_matches_separate_analyses);
    RUN_TEST(a_resumed_batch_keeps_complete_parts_and_redoes_the_rest);
    RUN_TEST(a_part_without_the_sweeps_asked_for_is_redone);
    RUN_TEST(a_part_of_another_file_is_redone);
    RUN_TEST(a_batch_with_sweeps_keeps_them_in_each_group);
    RUN_TEST(refusals_come_before_any_work);
} else {
    tests_failed++;
}
for (int k = 0; k < SCENARIOS; k++)
    fmc_scenario_free(scenarios[k]);
TEST_MAIN_END
