/* The atomic output file: nothing under the target name until commit, an
 * earlier file untouched by an aborted write, no temporary file left behind,
 * foreign files refused, dead writers' temporaries cleaned up, one writer
 * of a target at a time. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "fixtures.h"
#include "temp_dir.h"
#include "funnelmc/h5file.h"
#include "funnelmc/results.h"

static int files_in_directory(void)
{
    int n = 0;
    DIR *d = opendir(directory);
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* Writes a small results file of the worked example to TARGET. */
static void write_worked_example(const char *target, uint64_t samples)
{
    fmc_scenario *s = load_worked_example();
    fmc_run_options o = fmc_run_options_default();
    o.samples = samples;
    fmc_run_result r;
    REQUIRE(s && fmc_simulate(s, &o, &r) == FMC_OK);
    int existed = access(target, F_OK) == 0;
    fmc_h5file *f = NULL;
    REQUIRE(fmc_h5file_create(target, &f) == FMC_OK);
    CHECK((access(target, F_OK) == 0) == existed);  /* nothing new there until commit */
    /* beside the target: the same directory part, then ".BASE.tmp-" */
    const char *slash = strrchr(target, '/');
    size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
    const char *temp = fmc_h5file_temp_path(f);
    CHECK(strncmp(temp, target, dir_len) == 0 && temp[dir_len] == '.' &&
          strncmp(temp + dir_len + 1, target + dir_len, strlen(target + dir_len)) == 0);
    CHECK(fmc_results_write_run(f, s, &r) == FMC_OK);
    CHECK(fmc_h5file_commit(f) == FMC_OK);
    fmc_scenario_free(s);
}

static void committed_file_appears_whole_under_the_target_name(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/out.h5", directory);
    write_worked_example(target, 1000);
    CHECK(files_in_directory() == 1);

    hid_t file = H5Fopen(target, H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    int version = 0;
    double mean = 0, quantiles[FMC_QUANTILE_COUNT];
    CHECK(H5LTget_attribute_int(file, "/", "format_version", &version) >= 0 && version == 1);
    CHECK(H5LTget_attribute_double(file, "/outputs/profit", "mean", &mean) >= 0);
    CHECK_EXACT(mean, 2500);
    CHECK(H5LTread_dataset_double(file, "/outputs/roi/quantiles", quantiles) >= 0);
    CHECK_EXACT(quantiles[4], 1.25);
    CHECK(H5Lexists(file, "/inputs/name", H5P_DEFAULT) > 0);
    CHECK(H5Lexists(file, "/outputs/sales/hist_counts", H5P_DEFAULT) > 0);
    CHECK(H5Lexists(file, "/outputs/margin", H5P_DEFAULT) == 0);
    H5Fclose(file);
    remove_directory();
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void aborted_write_leaves_the_earlier_file_untouched(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/keep.h5", directory);
    write_worked_example(target, 1000);
    long size = file_size(target);
    fmc_h5file *f = NULL;
    REQUIRE(fmc_h5file_create(target, &f) == FMC_OK);
    fmc_h5file_abort(f);
    fmc_h5file_abort(NULL);  /* harmless */
    CHECK(file_size(target) == size);
    uint64_t samples = 0;
    hid_t file = H5Fopen(target, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(file >= 0 && H5LTget_attribute(file, "/", "samples", H5T_NATIVE_UINT64, &samples) >= 0);
    CHECK(samples == 1000);
    H5Fclose(file);
    CHECK(files_in_directory() == 1);
    remove_directory();
}

static void foreign_files_are_never_overwritten(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/notes.txt", directory);
    FILE *old = fopen(target, "w");
    fputs("someone's notes", old);
    fclose(old);
    fmc_h5file *f = NULL;
    CHECK(fmc_h5file_check_target(target) == FMC_EFOREIGN);
    CHECK(fmc_h5file_create(target, &f) == FMC_EFOREIGN && f == NULL);
    CHECK(file_size(target) == 15 && files_in_directory() == 1);
    /* an earlier funnelmc file is replaced, an empty file too */
    snprintf(target, sizeof target, "%s/ours.h5", directory);
    write_worked_example(target, 1000);
    write_worked_example(target, 2000);
    snprintf(target, sizeof target, "%s/empty.h5", directory);
    fclose(fopen(target, "w"));
    write_worked_example(target, 2000);
    CHECK(files_in_directory() == 3);
    remove_directory();
}

/* Writes TEXT into the directory's file NAME. */
static void write_text(const char *name, const char *text)
{
    char path[200];
    snprintf(path, sizeof path, "%s/%s", directory, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void touch(const char *name)
{
    write_text(name, "");
}

/* Whether the directory's file NAME holds exactly TEXT. */
static int has_text(const char *name, const char *text)
{
    char path[200], held[256] = "";
    snprintf(path, sizeof path, "%s/%s", directory, name);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(held, 1, sizeof held - 1, f) : 0;
    if (f)
        fclose(f);
    return n == strlen(text) && memcmp(held, text, n) == 0;
}

static int exists(const char *name)
{
    char path[200];
    snprintf(path, sizeof path, "%s/%s", directory, name);
    return access(path, F_OK) == 0;
}

static void stale_temporaries_of_dead_writers_are_removed(void)
{
    make_directory();
    char target[128], live[64];
    snprintf(target, sizeof target, "%s/out.h5", directory);
    /* PIDs above the kernel's maximum (4194304) never run */
    snprintf(live, sizeof live, ".out.h5.tmp-%ld-abcdef", (long)getpid());
    touch(".out.h5.tmp-99999999-abcdef");
    touch(".other.h5.tmp-99999999-abcdef");  /* another target's: not this writer's business */
    touch(live);
    write_worked_example(target, 1000);
    CHECK(!exists(".out.h5.tmp-99999999-abcdef"));
    CHECK(exists(".other.h5.tmp-99999999-abcdef"));
    CHECK(exists(live));
    CHECK(files_in_directory() == 3);
    remove_directory();
}

static void a_directory_is_cleared_of_dead_writers_temporaries_only(void)
{
    make_directory();
    char live[64];
    snprintf(live, sizeof live, ".b.h5.tmp-%ld-ghijkl", (long)getpid());
    touch(".a.h5.tmp-99999999-abcdef");
    touch(".x.tmp-y.h5.tmp-99999998-abcdef");  /* a name holding ".tmp-" itself */
    touch(live);
    touch(".a.h5.tmp-99999999-toolong");       /* not mkstemp's six characters */
    touch("a.h5.tmp-99999999-abcdef");         /* not hidden: not ours */
    touch(".notes");
    fmc_h5file_remove_stale_temporaries(directory);
    CHECK(!exists(".a.h5.tmp-99999999-abcdef"));
    CHECK(!exists(".x.tmp-y.h5.tmp-99999998-abcdef"));
    CHECK(exists(live));
    CHECK(exists(".a.h5.tmp-99999999-toolong"));
    CHECK(exists("a.h5.tmp-99999999-abcdef"));
    CHECK(exists(".notes"));
    CHECK(files_in_directory() == 4);
    remove_directory();
}

static void unusable_targets_are_io_errors(void)
{
    make_directory();
    fmc_h5file *f = NULL;
    CHECK(fmc_h5file_create(directory, &f) == FMC_EIO);  /* a directory */
    CHECK(fmc_h5file_create("/nonexistent-dir/out.h5", &f) == FMC_EIO);
    CHECK(f == NULL);
    remove_directory();
}

static void a_target_without_a_directory_is_written_in_the_current_one(void)
{
    make_directory();
    char here[4096];
    CHECK(getcwd(here, sizeof here) != NULL);
    CHECK(chdir(directory) == 0);
    write_worked_example("plain.h5", 1000);
    CHECK(exists("plain.h5"));
    CHECK(files_in_directory() == 1);
    CHECK(chdir(here) == 0);
    remove_directory();
}

static void a_second_writer_of_the_same_target_is_refused_until_the_first_ends(void)
{
    make_directory();
    char target[128], other[128];
    snprintf(target, sizeof target, "%s/shared.h5", directory);
    snprintf(other, sizeof other, "%s/other.h5", directory);
    fmc_h5file *first = NULL, *second = NULL, *elsewhere = NULL;
    REQUIRE(fmc_h5file_create(target, &first) == FMC_OK);
    CHECK(exists("shared.h5.lock"));
    CHECK(fmc_h5file_create(target, &second) == FMC_ELOCKED && second == NULL);
    CHECK(fmc_h5file_create(other, &elsewhere) == FMC_OK);  /* another target is free */
    fmc_h5file_abort(elsewhere);
    fmc_h5file_abort(first);
    CHECK(!exists("shared.h5.lock"));
    write_worked_example(target, 1000);  /* free again once the first has ended */
    CHECK(!exists("shared.h5.lock"));
    CHECK(files_in_directory() == 1);
    remove_directory();
}

static void a_lock_file_nobody_holds_is_stale_and_taken_over(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/out.h5", directory);
    touch("out.h5.lock");  /* as a writer killed outright leaves it */
    write_worked_example(target, 1000);
    CHECK(exists("out.h5") && !exists("out.h5.lock"));
    remove_directory();
}

/* A writer killed between its commit and its unlock leaves the lock of a
 * complete file: a directory's clean-up removes it, but never the lock of a
 * live writer. */
static void a_directory_is_cleared_of_locks_nobody_holds(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/live.h5", directory);
    touch("part.h5.lock");
    write_text("notes.lock", "a user's own file\n");
    fmc_h5file *live = NULL;
    REQUIRE(fmc_h5file_create(target, &live) == FMC_OK);
    fmc_h5file_remove_stale_temporaries(directory);
    CHECK(!exists("part.h5.lock"));
    CHECK(exists("live.h5.lock"));
    CHECK(exists("notes.lock"));
    fmc_h5file_abort(live);
    CHECK(files_in_directory() == 1);
    remove_directory();
}

/* A file named like the lock that holds anything but a PID is someone
 * else's: the write is refused and the file left as it was. */
static void a_foreign_file_in_the_locks_place_is_left_alone(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/mine.h5", directory);
    write_text("mine.h5.lock", "precious user data\n");
    fmc_h5file *f = NULL;
    CHECK(fmc_h5file_create(target, &f) == FMC_EFOREIGN && f == NULL);
    CHECK(has_text("mine.h5.lock", "precious user data\n"));
    CHECK(files_in_directory() == 1);
    remove_directory();
}

TEST_MAIN_BEGIN
RUN_TEST(committed_file_appears_whole_under_the_target_name);
RUN_TEST(aborted_write_leaves_the_earlier_file_untouched);
RUN_TEST(unusable_targets_are_io_errors);
RUN_TEST(a_target_without_a_directory_is_written_in_the_current_one);
RUN_TEST(foreign_files_are_never_overwritten);
RUN_TEST(stale_temporaries_of_dead_writers_are_removed);
RUN_TEST(a_directory_is_cleared_of_dead_writers_temporaries_only);
RUN_TEST(a_second_writer_of_the_same_target_is_refused_until_the_first_ends);
RUN_TEST(a_lock_file_nobody_holds_is_stale_and_taken_over);
RUN_TEST(a_directory_is_cleared_of_locks_nobody_holds);
RUN_TEST(a_foreign_file_in_the_locks_place_is_left_alone);
TEST_MAIN_END
