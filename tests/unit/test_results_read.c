/* Reading results files back: the checked primitives read what has the
 * expected type and shape and name the object at fault when it has not. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "temp_dir.h"
#include "../../src/results_read_internal.h"

static fmc_read_problem problem;

static fmc_reader fresh_reader(void)
{
    memset(&problem, 0, sizeof problem);
    return (fmc_reader){&problem, 0, FMC_OK, ""};
}

static void write_fixed_strings(hid_t loc, const char *name, const char *values, size_t n,
                                size_t width)
{
    hsize_t dims[1] = {n};
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate_simple(1, dims, NULL);
    REQUIRE(type >= 0 && space >= 0 && H5Tset_size(type, width) >= 0);
    hid_t set = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(set >= 0 && H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0);
    H5Dclose(set);
    H5Sclose(space);
    H5Tclose(type);
}

static void write_text_attribute(hid_t loc, const char *name, const char *value, int variable)
{
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate(H5S_SCALAR);
    REQUIRE(type >= 0 && space >= 0);
    REQUIRE(H5Tset_size(type, variable ? H5T_VARIABLE : strlen(value)) >= 0);
    REQUIRE(H5Tset_cset(type, H5T_CSET_UTF8) >= 0);
    hid_t attr = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(attr >= 0 && H5Awrite(attr, type, variable ? (const void *)&value : value) >= 0);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
}

/* A file with one object of each kind the primitives read, in group /part
 * (the problems must name it from the root), and some that are wrong. */
static hid_t open_primitives_file(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/primitives.h5", directory);
    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(file >= 0);
    hid_t part = H5Gcreate2(file, "part", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(part >= 0 && H5Gclose(H5Gcreate2(part, "inner", H5P_DEFAULT, H5P_DEFAULT,
                                              H5P_DEFAULT)) >= 0);
    const double grid[6] = {1.25, -2.5, 3.75, 0.0, 1e300, -1e-300};
    const uint64_t counts[4] = {7, UINT64_MAX, 0, 42};
    const int32_t small[3] = {1, 2, 3};
    const double ci[2] = {0.125, 0.875};
    hsize_t d23[2] = {2, 3}, d4[1] = {4}, d3[1] = {3}, d0[1] = {0};
    REQUIRE(H5LTmake_dataset_double(part, "grid", 2, d23, grid) >= 0);
    REQUIRE(H5LTmake_dataset(part, "counts", 1, d4, H5T_NATIVE_UINT64, counts) >= 0);
    REQUIRE(H5LTmake_dataset(part, "small", 1, d3, H5T_NATIVE_INT32, small) >= 0);
    REQUIRE(H5LTmake_dataset_double(part, "none", 1, d0, NULL) >= 0);
    REQUIRE(H5LTset_attribute_double(part, ".", "ci", ci, 2) >= 0);
    REQUIRE(H5LTset_attribute_double(part, ".", "mean", &grid[0], 1) >= 0);
    uint64_t seed = 0x123456789abcdefULL;
    REQUIRE(H5LTset_attribute_ulong(part, ".", "seed", (unsigned long *)&seed, 1) >= 0);
    int version = 1;
    REQUIRE(H5LTset_attribute_int(part, ".", "version", &version, 1) >= 0);
    write_text_attribute(part, "label", "grüße", 1);
    write_text_attribute(part, "fixed_label", "fixed", 0);
    const char *names[3] = {"alpha", "", "gamma delta"};
    hid_t vl = H5Tcopy(H5T_C_S1);
    REQUIRE(vl >= 0 && H5Tset_size(vl, H5T_VARIABLE) >= 0);
    hid_t space = H5Screate_simple(1, d3, NULL);
    hid_t set = H5Dcreate2(part, "names", vl, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(set >= 0 && H5Dwrite(set, vl, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
    H5Dclose(set);
    H5Sclose(space);
    H5Tclose(vl);
    write_fixed_strings(part, "fixed_names", "ab\0\0cdef", 2, 4);
    H5Gclose(part);
    return file;
}

static void right_type_and_shape_are_read(void)
{
    make_directory();
    hid_t file = open_primitives_file();
    fmc_reader r = fresh_reader();
    hid_t part = fmc_read_group(&r, file, "part");
    REQUIRE(part >= 0);
    double grid[6] = {0}, ci[2] = {0}, mean = 0, none[1] = {-1};
    uint64_t counts[4] = {0}, seed = 0;
    int version = 0;
    char label[16] = "", fixed_label[16] = "", names[3][16], fixed_names[2][8];
    char *text = NULL;
    size_t d23[2] = {2, 3}, d4[1] = {4}, d0[1] = {0}, length = 0;
    CHECK(fmc_read_doubles(&r, part, "grid", 2, d23, grid));
    CHECK(fmc_read_u64s(&r, file, "part/counts", 1, d4, counts));
    CHECK(fmc_read_doubles(&r, part, "none", 1, d0, none));
    CHECK(fmc_read_attr_doubles(&r, part, "ci", 2, ci));
    CHECK(fmc_read_attr_double(&r, part, "mean", &mean));
    CHECK(fmc_read_attr_u64(&r, part, "seed", &seed));
    CHECK(fmc_read_attr_int(&r, part, "version", &version));
    CHECK(fmc_read_attr_text(&r, part, "label", label, sizeof label));
    CHECK(fmc_read_attr_text(&r, part, "fixed_label", fixed_label, sizeof fixed_label));
    CHECK(fmc_read_attr_text_alloc(&r, part, "label", &text));
    CHECK(fmc_read_strings(&r, part, "names", 3, &names[0][0], sizeof names[0]));
    CHECK(fmc_read_strings(&r, part, "fixed_names", 2, &fixed_names[0][0], sizeof fixed_names[0]));
    CHECK(fmc_read_length(&r, part, "small", &length));
    int small[3] = {0};
    size_t d3[1] = {3};
    CHECK(fmc_read_ints(&r, part, "small", 1, d3, small));
    CHECK(!r.failed && r.status == FMC_OK);
    CHECK(grid[1] == -2.5 && grid[4] == 1e300 && grid[5] == -1e-300);
    CHECK(counts[0] == 7 && counts[1] == UINT64_MAX && counts[3] == 42);
    CHECK(none[0] == -1);
    CHECK(ci[0] == 0.125 && ci[1] == 0.875 && mean == 1.25);
    CHECK(seed == 0x123456789abcdefULL && version == 1);
    CHECK(strcmp(label, "grüße") == 0 && strcmp(fixed_label, "fixed") == 0);
    CHECK(text && strcmp(text, "grüße") == 0);
    CHECK(strcmp(names[0], "alpha") == 0 && names[1][0] == '\0' &&
          strcmp(names[2], "gamma delta") == 0);
    CHECK(strcmp(fixed_names[0], "ab") == 0 && strcmp(fixed_names[1], "cdef") == 0);
    CHECK(length == 3);
    CHECK(small[0] == 1 && small[1] == 2 && small[2] == 3);
    CHECK(fmc_read_has(part, "inner") && !fmc_read_has(part, "outer"));
    CHECK(fmc_read_has_attr(part, "ci") && !fmc_read_has_attr(part, "grid"));
    free(text);
    H5Gclose(part);
    H5Fclose(file);
    remove_directory();
}

/* Runs READ (a call of the primitive under test on the open group PART of
 * FILE), which must fail naming PATH with a message containing WORDS. */
#define EXPECT_PROBLEM(read, path, words)                                         \
    do {                                                                            \
        fmc_reader r = fresh_reader();                                              \
        CHECK(!(read));                                                             \
        CHECK(r.failed && r.status == FMC_EHDF5);                                   \
        CHECK(strcmp(problem.object, (path)) == 0);                               \
        CHECK(strstr(problem.message, (words)) != NULL);                            \
        if (!r.failed || strcmp(problem.object, (path)) != 0 ||                   \
            !strstr(problem.message, (words)))                                      \
            fprintf(stderr, "  got %s: %s\n", problem.object, problem.message);     \
    } while (0)

static void wrong_objects_are_reported_with_their_full_path(void)
{
    make_directory();
    hid_t file = open_primitives_file();
    hid_t part = H5Gopen2(file, "part", H5P_DEFAULT);
    REQUIRE(part >= 0);
    double values[8], number;
    uint64_t counts[8], count;
    int integer;
    char text[4], names[3][16];
    size_t d3[1] = {3}, d4[1] = {4}, d6[1] = {6}, d32[2] = {3, 2}, n;
    EXPECT_PROBLEM(fmc_read_doubles(&r, part, "absent", 1, d3, values), "/part/absent", "missing");
    EXPECT_PROBLEM(fmc_read_doubles(&r, file, "part/absent", 1, d3, values), "/part/absent",
                   "missing");
    EXPECT_PROBLEM(fmc_read_doubles(&r, part, "small", 1, d3, values), "/part/small",
                   "expected float64 [3], found int32 [3]");
    EXPECT_PROBLEM(fmc_read_doubles(&r, part, "grid", 1, d6, values), "/part/grid",
                   "expected float64 [6], found float64 [2][3]");
    EXPECT_PROBLEM(fmc_read_doubles(&r, part, "grid", 2, d32, values), "/part/grid",
                   "expected float64 [3][2], found float64 [2][3]");
    EXPECT_PROBLEM(fmc_read_u64s(&r, part, "counts", 1, d3, counts), "/part/counts",
                   "expected uint64 [3], found uint64 [4]");
    EXPECT_PROBLEM(fmc_read_u64s(&r, part, "small", 1, d3, counts), "/part/small",
                   "found int32 [3]");
    EXPECT_PROBLEM(fmc_read_ints(&r, part, "counts", 1, d4, &integer), "/part/counts",
                   "expected int32 [4], found uint64 [4]");
    EXPECT_PROBLEM(fmc_read_doubles(&r, part, "inner", 1, d3, values), "/part/inner",
                   "expected a dataset, found a group");
    EXPECT_PROBLEM(fmc_read_strings(&r, part, "grid", 3, &names[0][0], 16), "/part/grid",
                   "expected string [3]");
    EXPECT_PROBLEM(fmc_read_strings(&r, part, "names", 3, &names[0][0], 6), "/part/names",
                   "string 2 of 11 bytes: longer than 5");
    EXPECT_PROBLEM(fmc_read_attr_double(&r, part, "seed", &number), "/part@seed",
                   "expected float64 scalar, found uint64 [1]");
    EXPECT_PROBLEM(fmc_read_attr_double(&r, part, "ci", &number), "/part@ci",
                   "expected float64 scalar, found float64 [2]");
    EXPECT_PROBLEM(fmc_read_attr_doubles(&r, part, "ci", 3, values), "/part@ci",
                   "expected float64 [3], found float64 [2]");
    EXPECT_PROBLEM(fmc_read_attr_u64(&r, part, "version", &count), "/part@version",
                   "expected uint64 scalar, found int32 [1]");
    EXPECT_PROBLEM(fmc_read_attr_int(&r, part, "seed", &integer), "/part@seed",
                   "expected int32 scalar, found uint64 [1]");
    EXPECT_PROBLEM(fmc_read_attr_int(&r, part, "label", &integer), "/part@label",
                   "found string scalar");
    EXPECT_PROBLEM(fmc_read_attr_text(&r, part, "mean", text, sizeof text), "/part@mean",
                   "expected string scalar, found float64 [1]");
    EXPECT_PROBLEM(fmc_read_attr_text(&r, part, "fixed_label", text, sizeof text),
                   "/part@fixed_label", "longer than 3");
    EXPECT_PROBLEM(fmc_read_attr_text(&r, file, "format", text, sizeof text), "/@format",
                   "missing");
    EXPECT_PROBLEM(fmc_read_length(&r, part, "grid", &n), "/part/grid",
                   "expected 1 dimension, found float64 [2][3]");
    EXPECT_PROBLEM(fmc_read_group(&r, part, "grid") >= 0, "/part/grid", "not a group");
    EXPECT_PROBLEM(fmc_read_group(&r, file, "outer") >= 0, "/outer", "missing");
    EXPECT_PROBLEM(fmc_read_attr_doubles(&r, part, "mean", 2, values), "/part@mean",
                   "found float64 [1]");
    H5Gclose(part);
    H5Fclose(file);
    remove_directory();
}

static void the_first_problem_is_kept_and_failures_name_the_readers_prefix(void)
{
    fmc_reader r = fresh_reader();
    snprintf(r.prefix, sizeof r.prefix, "/shop");
    CHECK(fmc_read_fail(&r, FMC_EHDF5, "levers/p_beats", "expected %s", "float64 [3][3]") == 0);
    CHECK(fmc_read_fail(&r, FMC_ENOMEM, "later", "second") == 0);
    CHECK(r.failed && r.status == FMC_EHDF5);
    CHECK(strcmp(problem.object, "/shop/levers/p_beats") == 0);
    CHECK(strcmp(problem.message, "expected float64 [3][3]") == 0);
    r = fresh_reader();
    fmc_read_fail(&r, FMC_ESCENARIO, "@scenario_yaml", "bad");
    CHECK(strcmp(problem.object, "/@scenario_yaml") == 0 && r.status == FMC_ESCENARIO);
    r = fresh_reader();
    fmc_read_fail(&r, FMC_EHDF5, NULL, "whole file");
    CHECK(strcmp(problem.object, "/") == 0);
}

static void absurd_allocations_are_refused(void)
{
    fmc_reader r = fresh_reader();
    void *none = fmc_read_calloc(&r, 0, sizeof(double));
    CHECK(none != NULL && !r.failed);
    free(none);
    CHECK(fmc_read_calloc(&r, (size_t)1 << 60, sizeof(double)) == NULL);
    CHECK(r.failed && r.status == FMC_ENOMEM);
    r = fresh_reader();
    CHECK(fmc_read_calloc(&r, SIZE_MAX / 2, 4) == NULL && r.status == FMC_ENOMEM);
}

TEST_MAIN_BEGIN
H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
RUN_TEST(right_type_and_shape_are_read);
RUN_TEST(wrong_objects_are_reported_with_their_full_path);
RUN_TEST(the_first_problem_is_kept_and_failures_name_the_readers_prefix);
RUN_TEST(absurd_allocations_are_refused);
TEST_MAIN_END
