/* Reading results files back: the checked primitives read what has the
 * expected type and shape and name the object at fault when it has not;
 * every kind of file reads back bit for bit what its run made; and bad
 * files (missing, empty, foreign, of another version, with an object
 * missing or mistyped, truncated, bit-flipped) give a problem naming the
 * object, never a crash or a leak (this program runs under the sanitizers
 * too). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include "check.h"
#include "fixtures.h"
#include "temp_dir.h"
#include "funnelmc/analysis.h"
#include "funnelmc/batch.h"
#include "funnelmc/h5file.h"
#include "funnelmc/results.h"
#include "funnelmc/results_read.h"
#include "funnelmc/sweep.h"
#include "funnelmc/version.h"
#include "../../src/results_read_internal.h"

/* The bit-flipped copies reach HDF5's own decoding of damaged metadata,
 * which HDF5 1.10.8 does not harden: it sizes some allocations of its
 * metadata cache from the file (a flipped bit asks malloc for 2^59 bytes:
 * malloc returns NULL and HDF5 reports an error, but AddressSanitizer
 * aborts by default), reads past its buffers when decoding a damaged
 * object header (see hdf5-asan.supp), and loses blocks of its free lists
 * on some error paths.  Under the sanitizers, let malloc fail as it does
 * without them, and suppress the reports of HDF5's own code alone
 * (ASAN_OPTIONS and LSAN_OPTIONS still override these). */
#if defined(__SANITIZE_ADDRESS__)
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:suppressions=" FMC_SOURCE_DIR
           "/tests/unit/hdf5-asan.supp";
}

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:H5FL__malloc\n";
}
#endif

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

/* ----- round trips ----- */

#define SAME(a, b) (memcmp(&(a), &(b), sizeof(a)) == 0)
#define SAME_ARRAY(a, b, n) (memcmp((a), (b), (n) * sizeof *(a)) == 0)

/* Analyses S with SAMPLES samples (summary only or not) into *A and writes
 * it to TARGET. */
static void write_analysis(const char *target, const fmc_scenario *s, uint64_t samples,
                           int summary_only, fmc_analysis *a)
{
    fmc_analysis_options o = fmc_analysis_options_default();
    o.run.samples = samples;
    o.summary_only = summary_only;
    o.base_samples = 256;
    REQUIRE(fmc_analyse(s, &o, a) == FMC_OK);
    fmc_h5file *f = NULL;
    REQUIRE(fmc_h5file_create(target, &f) == FMC_OK);
    REQUIRE(fmc_results_write_analysis(f, s, a) == FMC_OK);
    REQUIRE(fmc_h5file_commit(f) == FMC_OK);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static fmc_results_file *read_ok(const char *path)
{
    fmc_results_file *file = NULL;
    fmc_read_problem why;
    fmc_status status = fmc_results_file_read(path, &file, &why);
    if (status)
        fprintf(stderr, "  %s: %s: %s\n", path, why.object, why.message);
    REQUIRE(status == FMC_OK && file);
    return file;
}

/* What the file holds of an output summary: all of it. */
static void check_same_output(const fmc_output_summary *read, const fmc_output_summary *made)
{
    CHECK(read->count == made->count && read->undefined == made->undefined);
    CHECK(SAME(read->mean, made->mean) && SAME(read->sd, made->sd) && SAME(read->se, made->se));
    CHECK(SAME(read->min, made->min) && SAME(read->max, made->max));
    CHECK(SAME(read->p_loss, made->p_loss) && SAME(read->p_loss_se, made->p_loss_se));
    CHECK(SAME(read->quantiles, made->quantiles) && SAME(read->quantile_ci, made->quantile_ci));
    CHECK(SAME(read->quantile_resolution, made->quantile_resolution));
    CHECK(SAME(read->hist_edges, made->hist_edges) && SAME(read->hist_counts, made->hist_counts));
    CHECK(SAME(read->mean_ci, made->mean_ci));
}

/* Every field of a run result the file holds, as the run made it. */
static void check_same_run(const fmc_run_result *read, const fmc_run_result *made)
{
    CHECK(read->samples == made->samples && read->seed == made->seed);
    CHECK(read->threads == 0 && isnan(read->seconds));
    CHECK(SAME(read->mean_half_width, made->mean_half_width));
    CHECK(SAME(read->precision_target, made->precision_target));
    CHECK(read->precision_met == made->precision_met);
    CHECK(read->design.method == made->design.method &&
          read->design.replicates == made->design.replicates &&
          read->design.points == made->design.points);
    for (int k = 0; k < FMC_SUMMARY_COUNT; k++) {
        if (made->outputs[k].count == 0) {
            CHECK(read->outputs[k].count == 0 && isnan(read->base[k]));
            continue;
        }
        check_same_output(&read->outputs[k], &made->outputs[k]);
        CHECK(SAME(read->base[k], made->base[k]));
    }
    CHECK(isnan(read->base[FMC_OUT_MARGIN]) && isnan(read->base[FMC_OUT_COST]));
}

static void a_run_file_reads_back_as_the_run_made_it(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/run.h5", directory);
    fmc_scenario *s = load_reference();
    fmc_analysis made;
    write_analysis(target, s, 5000, 0, &made);
    double start = seconds_now();
    fmc_results_file *file = read_ok(target);
    printf("     a run file read in %.1f ms\n", 1e3 * (seconds_now() - start));
    const fmc_results_view *v = fmc_results_file_view(file);
    CHECK(v->kind == FMC_RESULTS_RUN && strcmp(v->path, target) == 0);
    CHECK(strcmp(v->funnelmc_version, fmc_version()) == 0 && strlen(v->created) == 20);
    CHECK(v->scenario && strcmp(v->scenario->name, s->name) == 0 &&
          strcmp(v->scenario->text, s->text) == 0 && strcmp(v->scenario->file, s->file) == 0);
    CHECK(v->scenario->lever_count == s->lever_count && v->sweep_count == 0 && v->part_count == 0);
    REQUIRE(v->analysis);
    check_same_run(&v->analysis->result, &made.result);
    CHECK(v->analysis->result.horizon.periods == 0 && v->analysis->result.correlations.count == 0);
    fmc_results_file_free(file);
    fmc_analysis_clear(&made);
    fmc_scenario_free(s);
    remove_directory();
}

static void a_run_without_cost_has_no_roi(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/free.h5", directory);
    fmc_scenario *s = load_text("name: free\nsamples: 1000\nseed: 7\ninputs:\n"
                                "  revenue_per_sale: 100\n  cost_of_goods: 10\n"
                                "  followers: {dist: uniform, min: 500, max: 1500}\n"
                                "  click_rate: 0.25\n  optin_rate: 0.4\n  purchase_rate: 0.5\n"
                                "  hourly_rate: 50\n  hours: 0\n");
    fmc_analysis made;
    write_analysis(target, s, 1000, 1, &made);
    REQUIRE(made.result.outputs[FMC_OUT_ROI].count == 0);
    fmc_results_file *file = read_ok(target);
    check_same_run(&fmc_results_file_view(file)->analysis->result, &made.result);
    fmc_results_file_free(file);
    fmc_analysis_clear(&made);
    fmc_scenario_free(s);
    remove_directory();
}

static void a_horizon_reads_back_period_by_period(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/year.h5", directory);
    fmc_scenario *s = load_library_scenario("handmade-year.yaml");
    REQUIRE(s->horizon);
    fmc_analysis made;
    write_analysis(target, s, 4096, 1, &made);
    fmc_results_file *file = read_ok(target);
    const fmc_run_result *read = &fmc_results_file_view(file)->analysis->result;
    check_same_run(read, &made.result);
    const fmc_horizon_result *h = &read->horizon, *m = &made.result.horizon;
    REQUIRE(h->periods == m->periods && m->periods == s->horizon->periods);
    CHECK(SAME(h->discount_rate, m->discount_rate));
    for (uint32_t t = 0; t < h->periods; t++) {
        const fmc_output_summary *a = &h->profit[t], *b = &m->profit[t];
        CHECK(SAME(a->mean, b->mean) && SAME(a->se, b->se) && SAME(a->sd, b->sd));
        CHECK(SAME(a->mean_ci, b->mean_ci) && SAME(a->p_loss, b->p_loss));
        CHECK(SAME(a->p_loss_se, b->p_loss_se) && SAME(a->quantiles, b->quantiles));
        CHECK(SAME(a->quantile_ci, b->quantile_ci));
    }
    const fmc_payback_summary *p = &h->payback, *q = &m->payback;
    CHECK(p->periods == q->periods && p->total == q->total);
    CHECK(SAME_ARRAY(p->counts, q->counts, (size_t)q->periods + 1));
    CHECK(SAME(p->median, q->median) && SAME(p->median_ci, q->median_ci));
    CHECK(SAME(p->p_never, q->p_never) && SAME(p->p_never_se, q->p_never_se));
    fmc_results_file_free(file);
    fmc_analysis_clear(&made);
    fmc_scenario_free(s);
    remove_directory();
}

static void correlations_read_back_pair_by_pair(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/roaster.h5", directory);
    fmc_scenario *s = load_library_scenario("coffee-roaster.yaml");
    REQUIRE(s->correlation_count > 0);
    fmc_analysis made;
    write_analysis(target, s, 4096, 1, &made);
    fmc_results_file *file = read_ok(target);
    const fmc_run_result *read = &fmc_results_file_view(file)->analysis->result;
    check_same_run(read, &made.result);
    CHECK(read->design.method == FMC_DESIGN_QMC && read->design.replicates > 1);
    REQUIRE(read->correlations.count == made.result.correlations.count);
    CHECK(SAME_ARRAY(read->correlations.pairs, made.result.correlations.pairs,
                     read->correlations.count));
    fmc_results_file_free(file);
    fmc_analysis_clear(&made);
    fmc_scenario_free(s);
    remove_directory();
}

/* Every figure of a sweep's grid, as the sweep made it. */
static void check_same_sweep(const fmc_sweep_result *read, const fmc_sweep_result *made)
{
    size_t n = made->points;
    REQUIRE(read->points == n);
    CHECK(read->samples == made->samples && read->design.method == made->design.method &&
          read->design.replicates == made->design.replicates &&
          read->design.points == made->design.points);
    const double *grids[][2] = {
        {read->mean, made->mean}, {read->sd, made->sd}, {read->se, made->se},
        {read->p_loss, made->p_loss}, {read->p_loss_se, made->p_loss_se},
        {read->p05, made->p05}, {read->p50, made->p50}, {read->p95, made->p95},
        {read->best_gain, made->best_gain}, {read->best_gain_se, made->best_gain_se},
        {read->p_beats_runner_up, made->p_beats_runner_up},
        {read->p_beats_runner_up_se, made->p_beats_runner_up_se},
        {read->p_ties_runner_up, made->p_ties_runner_up}};
    for (size_t k = 0; k < sizeof grids / sizeof *grids; k++)
        CHECK(SAME_ARRAY(grids[k][0], grids[k][1], n));
    CHECK(SAME_ARRAY(read->best_lever, made->best_lever, n));
    CHECK(SAME_ARRAY(read->runner_up, made->runner_up, n));
}

/* Runs every sweep of S with SAMPLES samples a point into RESULTS and
 * writes them to TARGET. */
static void write_sweeps(const char *target, const fmc_scenario *s, uint64_t samples,
                         fmc_sweep_result *results)
{
    const fmc_sweep *sweeps[8];
    REQUIRE(s->sweep_count <= 8);
    fmc_run_options o = fmc_run_options_default();
    o.samples = samples;
    for (size_t k = 0; k < s->sweep_count; k++) {
        sweeps[k] = &s->sweeps[k];
        REQUIRE(fmc_sweep_run(s, sweeps[k], &o, &results[k]) == FMC_OK);
    }
    fmc_h5file *f = NULL;
    REQUIRE(fmc_h5file_create(target, &f) == FMC_OK);
    REQUIRE(fmc_results_write_sweeps(f, s, s->seed, sweeps, results, s->sweep_count) == FMC_OK);
    REQUIRE(fmc_h5file_commit(f) == FMC_OK);
}

static void a_sweeps_file_reads_back_grid_by_grid(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/sweeps.h5", directory);
    fmc_scenario *s = load_reference();
    REQUIRE(s->sweep_count > 0 && s->lever_count > 1);
    fmc_sweep_result made[8];
    write_sweeps(target, s, 2000, made);
    fmc_results_file *file = read_ok(target);
    const fmc_results_view *v = fmc_results_file_view(file);
    CHECK(v->kind == FMC_RESULTS_SWEEPS && v->analysis == NULL);
    REQUIRE(v->scenario && v->sweep_count == s->sweep_count);
    for (size_t k = 0; k < s->sweep_count; k++) {
        CHECK(v->sweeps[k] == &v->scenario->sweeps[k]);
        CHECK(strcmp(v->sweeps[k]->name, s->sweeps[k].name) == 0);
        check_same_sweep(&v->sweep_results[k], &made[k]);
        fmc_sweep_result_clear(&made[k]);
    }
    fmc_results_file_free(file);
    fmc_scenario_free(s);
    remove_directory();
}

/* A scenario of one sweep of 40 x 25 = 1000 points, with two levers. */
#define THOUSAND_POINTS                                                                  \
    "name: grid\nsamples: 1000\nseed: 11\n" REFERENCE_INPUTS                             \
    "levers:\n  more_followers: {followers: {scale: 1.5}}\n"                             \
    "  better_page: {optin_rate: {add: 0.05}}\n"                                         \
    "sweeps:\n  grid:\n    samples: 200\n    axes:\n"                                    \
    "      followers: {scale: {from: 0.5, to: 2, steps: 40}}\n"                          \
    "      click_rate: {add: {from: -0.1, to: 0.1, steps: 25}}\n"

static void a_sweep_without_levers_reads_back_without_a_decision_map(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/plain.h5", directory);
    fmc_scenario *s = load_text("name: plain\nsamples: 1000\nseed: 3\n" REFERENCE_INPUTS
                                "sweeps:\n  line:\n    samples: 500\n    axes:\n"
                                "      followers: {scale: [0.5, 1, 2]}\n");
    fmc_sweep_result made[1];
    write_sweeps(target, s, 500, made);
    fmc_results_file *file = read_ok(target);
    const fmc_results_view *v = fmc_results_file_view(file);
    REQUIRE(v->sweep_count == 1);
    check_same_sweep(&v->sweep_results[0], &made[0]);
    CHECK(v->sweep_results[0].best_lever[1] == -1 && isnan(v->sweep_results[0].best_gain[1]));
    fmc_sweep_result_clear(&made[0]);
    fmc_results_file_free(file);
    fmc_scenario_free(s);
    remove_directory();
}

static void a_thousand_point_sweep_reads_back_quickly(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/grid.h5", directory);
    fmc_scenario *s = load_text(THOUSAND_POINTS);
    fmc_sweep_result made[1];
    write_sweeps(target, s, 200, made);
    REQUIRE(made[0].points == 1000);
    double start = seconds_now();
    fmc_results_file *file = read_ok(target);
    printf("     a 1000-point sweeps file read in %.1f ms\n", 1e3 * (seconds_now() - start));
    check_same_sweep(&fmc_results_file_view(file)->sweep_results[0], &made[0]);
    fmc_sweep_result_clear(&made[0]);
    fmc_results_file_free(file);
    fmc_scenario_free(s);
    remove_directory();
}

/* The rows of a batch as fmc_batch_run reports them. */
static void keep_row(void *context, size_t index, const char *part, fmc_status status,
                     const fmc_batch_row *row, int resumed)
{
    (void)part, (void)resumed;
    if (status == FMC_OK && index < 2)
        ((fmc_batch_row *)context)[index] = *row;
}

static void a_batch_file_reads_back_row_by_row_and_part_by_part(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/batch.h5", directory);
    fmc_scenario *s[2] = {load_reference(), load_library_scenario("handmade-year.yaml")};
    fmc_batch_scenario entries[2] = {{s[0], "reference.yaml"}, {s[1], "year.yaml"}};
    fmc_batch_row rows[2];
    memset(rows, 0, sizeof rows);
    fmc_batch_options o = fmc_batch_options_default();
    o.analysis.run.samples = 3000;
    o.analysis.summary_only = 1;
    o.sweeps = 1;
    o.scenario_done = keep_row;
    o.scenario_context = rows;
    REQUIRE(fmc_batch_run(target, entries, 2, &o, NULL) == FMC_OK);
    fmc_results_file *file = read_ok(target);
    const fmc_results_view *v = fmc_results_file_view(file);
    REQUIRE(v->kind == FMC_RESULTS_BATCH && v->part_count == 2);
    for (size_t i = 0; i < 2; i++) {
        const fmc_batch_row *read = &v->rows[i];
        CHECK(strcmp(read->name, rows[i].name) == 0 && strcmp(read->file, rows[i].file) == 0);
        CHECK(strcmp(read->best_lever, rows[i].best_lever) == 0);
        CHECK(strcmp(read->period, rows[i].period) == 0);
        CHECK(SAME(read->mean, rows[i].mean) && SAME(read->se, rows[i].se) &&
              SAME(read->sd, rows[i].sd) && SAME(read->p_loss, rows[i].p_loss) &&
              SAME(read->p_loss_se, rows[i].p_loss_se));
        /* each part as a separate analysis of its scenario makes it */
        const fmc_results_view *part = &v->parts[i];
        fmc_analysis made;
        REQUIRE(fmc_analyse(s[i], &o.analysis, &made) == FMC_OK);
        CHECK(part->kind == FMC_RESULTS_RUN && strcmp(part->scenario->name, s[i]->name) == 0);
        check_same_run(&part->analysis->result, &made.result);
        CHECK(part->analysis->result.horizon.periods == made.result.horizon.periods);
        CHECK(read->has_sweeps == (s[i]->sweep_count > 0));
        REQUIRE(part->sweep_count == s[i]->sweep_count);
        for (size_t k = 0; k < part->sweep_count; k++) {
            fmc_run_options run = fmc_run_options_default();
            run.samples = 3000;
            fmc_sweep_result sweep;
            REQUIRE(fmc_sweep_run(s[i], &s[i]->sweeps[k], &run, &sweep) == FMC_OK);
            check_same_sweep(&part->sweep_results[k], &sweep);
            fmc_sweep_result_clear(&sweep);
        }
        fmc_analysis_clear(&made);
    }
    fmc_results_file_free(file);
    fmc_scenario_free(s[0]);
    fmc_scenario_free(s[1]);
    remove_directory();
}

static void a_bench_file_reads_back_table_by_table(void)
{
    make_directory();
    char target[128];
    snprintf(target, sizeof target, "%s/bench.h5", directory);
    /* made up, with high-entropy figures: the reader, not the bench, is tested */
    fmc_benchmark_result *made = calloc(1, sizeof *made);
    REQUIRE(made);
    made->thread_count = 3;
    made->threads[0] = 1, made->threads[1] = 2, made->threads[2] = 5;
    made->samples = 123457;
    made->repeats = 3;
    made->cores = 6;
    snprintf(made->cpu, sizeof made->cpu, "Test CPU @ 2.385 GHz");
    snprintf(made->proc_bind, sizeof made->proc_bind, "close");
    snprintf(made->places, sizeof made->places, "unset");
    made->process_count = 2;
    made->processes[0] = 1, made->processes[1] = 2;
    double x = 0.1234567;
    for (size_t p = 0; p < 2; p++)
        for (int w = 0; w < FMC_WORKLOAD_COUNT; w++)
            for (size_t j = 0; j < 3; j++) {
                fmc_scaling *rows[2] = {&made->process_strong[p][w][j],
                                        &made->process_weak[p][w][j]};
                for (int k = 0; k < 2; k++) {
                    double *f[6] = {&rows[k]->median, &rows[k]->min, &rows[k]->max,
                                    &rows[k]->samples_per_second, &rows[k]->speedup,
                                    &rows[k]->efficiency};
                    for (int c = 0; c < 6; c++)
                        *f[c] = x = fmod(x * 7.77 + 0.313, 3.1);
                }
            }
    fmc_h5file *f = NULL;
    REQUIRE(fmc_h5file_create(target, &f) == FMC_OK);
    REQUIRE(fmc_results_write_benchmark(f, made) == FMC_OK);
    REQUIRE(fmc_h5file_commit(f) == FMC_OK);
    fmc_results_file *file = read_ok(target);
    const fmc_results_view *v = fmc_results_file_view(file);
    REQUIRE(v->kind == FMC_RESULTS_BENCH && v->bench);
    const fmc_benchmark_result *b = v->bench;
    CHECK(b->thread_count == 3 && SAME_ARRAY(b->threads, made->threads, 3));
    CHECK(b->samples == made->samples && b->repeats == made->repeats && b->cores == made->cores);
    CHECK(strcmp(b->cpu, made->cpu) == 0 && strcmp(b->proc_bind, made->proc_bind) == 0 &&
          strcmp(b->places, made->places) == 0);
    CHECK(b->process_count == 2 && SAME_ARRAY(b->processes, made->processes, 2));
    for (size_t p = 0; p < 2; p++)
        for (int w = 0; w < FMC_WORKLOAD_COUNT; w++) {
            CHECK(SAME_ARRAY(b->process_strong[p][w], made->process_strong[p][w], 3));
            CHECK(SAME_ARRAY(b->process_weak[p][w], made->process_weak[p][w], 3));
        }
    fmc_results_file_free(file);
    free(made);
    remove_directory();
}

/* ----- bad files ----- */

/* Reads PATH, which must fail with STATUS naming OBJECT (NULL: any) with a
 * message containing WORDS (NULL: any non-empty one). */
static void check_refused(const char *path, fmc_status status, const char *object,
                          const char *words)
{
    fmc_results_file *file = (fmc_results_file *)&file;  /* must be reset to NULL */
    fmc_read_problem why;
    fmc_status got = fmc_results_file_read(path, &file, &why);
    CHECK(got == status && file == NULL);
    CHECK(!object || strcmp(why.object, object) == 0);
    CHECK(why.message[0] != '\0' && (!words || strstr(why.message, words)));
    if (got != status || (object && strcmp(why.object, object) != 0) ||
        (words && !strstr(why.message, words)))
        fprintf(stderr, "  %s: status %d, %s: %s\n", path, (int)got, why.object, why.message);
    if (got == FMC_OK)
        fmc_results_file_free(file);
}

static void write_bytes(const char *path, const void *bytes, size_t size)
{
    FILE *out = fopen(path, "wb");
    REQUIRE(out && fwrite(bytes, 1, size, out) == size && fclose(out) == 0);
}

static char *slurp(const char *path, size_t *size)
{
    FILE *in = fopen(path, "rb");
    REQUIRE(in && fseek(in, 0, SEEK_END) == 0);
    long n = ftell(in);
    REQUIRE(n > 0 && fseek(in, 0, SEEK_SET) == 0);
    char *bytes = malloc((size_t)n);
    REQUIRE(bytes && fread(bytes, 1, (size_t)n, in) == (size_t)n);
    fclose(in);
    *size = (size_t)n;
    return bytes;
}

/* A small run file of the reference scenario at PATH. */
static void write_small_run(const char *path)
{
    fmc_scenario *s = load_reference();
    fmc_analysis a;
    write_analysis(path, s, 2000, 1, &a);
    fmc_analysis_clear(&a);
    fmc_scenario_free(s);
}

/* A copy of the run file SOURCE at PATH, opened for writing. */
static hid_t edit_copy(const char *source, const char *path)
{
    size_t size;
    char *bytes = slurp(source, &size);
    write_bytes(path, bytes, size);
    free(bytes);
    hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    return file;
}

static void files_that_are_not_results_are_refused(void)
{
    make_directory();
    char path[160];
    snprintf(path, sizeof path, "%s/absent.h5", directory);
    errno = 0;
    check_refused(path, FMC_EIO, "/", NULL);
    CHECK(errno == ENOENT);
    snprintf(path, sizeof path, "%s/empty.h5", directory);
    write_bytes(path, "", 0);
    check_refused(path, FMC_EFOREIGN, "/", "empty");
    snprintf(path, sizeof path, "%s/text.h5", directory);
    const char text[] = "name: not hdf5\nsamples: 10\n";
    write_bytes(path, text, sizeof text - 1);
    check_refused(path, FMC_EFOREIGN, "/", "not an HDF5 file");
    check_refused(directory, FMC_EIO, "/", NULL);
    snprintf(path, sizeof path, "%s/other.h5", directory);
    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(file >= 0);
    double data[2] = {1, 2};
    hsize_t dims[1] = {2};
    REQUIRE(H5LTmake_dataset_double(file, "outputs", 1, dims, data) >= 0);
    H5Fclose(file);
    check_refused(path, FMC_EFOREIGN, "/", "not a funnelmc results file");
    remove_directory();
}

/* Edits of a good run file, each making one object bad. */
static void version_2(hid_t file)
{
    int two = 2;
    REQUIRE(H5Adelete(file, "format_version") >= 0 &&
            H5LTset_attribute_int(file, "/", "format_version", &two, 1) >= 0);
}

static void quantiles_deleted(hid_t file)
{
    REQUIRE(H5Ldelete(file, "/outputs/profit/quantiles", H5P_DEFAULT) >= 0);
}

static void quantiles_int32(hid_t file)
{
    int values[FMC_QUANTILE_COUNT] = {0};
    hsize_t k[1] = {FMC_QUANTILE_COUNT};
    quantiles_deleted(file);
    REQUIRE(H5LTmake_dataset_int(file, "/outputs/profit/quantiles", 1, k, values) >= 0);
}

static void quantiles_short(hid_t file)
{
    double values[FMC_QUANTILE_COUNT] = {0};
    hsize_t eight[1] = {FMC_QUANTILE_COUNT - 1};
    quantiles_deleted(file);
    REQUIRE(H5LTmake_dataset_double(file, "/outputs/profit/quantiles", 1, eight, values) >= 0);
}

static void edges_reversed(hid_t file)
{
    double edges[FMC_HIST_BINS + 1];
    hsize_t n[1] = {FMC_HIST_BINS + 1};
    for (int b = 0; b <= FMC_HIST_BINS; b++)
        edges[b] = FMC_HIST_BINS - b;
    REQUIRE(H5Ldelete(file, "/outputs/sales/hist_edges", H5P_DEFAULT) >= 0);
    REQUIRE(H5LTmake_dataset_double(file, "/outputs/sales/hist_edges", 1, n, edges) >= 0);
}

static void scenario_invalid(hid_t file)
{
    REQUIRE(H5Adelete(file, "scenario_yaml") >= 0 &&
            H5LTset_attribute_string(file, "/", "scenario_yaml", "name: x\nsamples: -3\n") >= 0);
}

static void samples_inflated(hid_t file)
{
    uint64_t more = UINT64_C(1) << 40;
    REQUIRE(H5Adelete(file, "samples") >= 0 &&
            H5LTset_attribute_ulong(file, "/", "samples", (unsigned long *)&more, 1) >= 0);
}

static void objects_missing_or_mistyped_are_named(void)
{
    static const struct {
        void (*edit)(hid_t file);
        fmc_status status;
        const char *object, *words;
    } cases[] = {
        {version_2, FMC_EFOREIGN, "/@format_version",
         "format_version 2: this program reads version 1"},
        {quantiles_deleted, FMC_EHDF5, "/outputs/profit/quantiles", "missing"},
        {quantiles_int32, FMC_EHDF5, "/outputs/profit/quantiles",
         "expected float64 [9], found int32 [9]"},
        {quantiles_short, FMC_EHDF5, "/outputs/profit/quantiles",
         "expected float64 [9], found float64 [8]"},
        {edges_reversed, FMC_EHDF5, "/outputs/sales/hist_edges", "increasing at edge 0"},
        {scenario_invalid, FMC_ESCENARIO, "/@scenario_yaml", "samples"},
        {samples_inflated, FMC_EHDF5, "/outputs/profit@count", "of 1099511627776 samples"}};
    make_directory();
    char run[128], path[160];
    snprintf(run, sizeof run, "%s/run.h5", directory);
    write_small_run(run);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(path, sizeof path, "%s/bad-%zu.h5", directory, i);
        hid_t file = edit_copy(run, path);
        cases[i].edit(file);
        H5Fclose(file);
        check_refused(path, cases[i].status, cases[i].object, cases[i].words);
    }
    remove_directory();
}

static void a_stray_sweep_and_a_lever_out_of_range_are_named(void)
{
    make_directory();
    char sweeps[128], path[160];
    snprintf(sweeps, sizeof sweeps, "%s/sweeps.h5", directory);
    fmc_scenario *s = load_reference();
    fmc_sweep_result made[8];
    write_sweeps(sweeps, s, 500, made);
    for (size_t k = 0; k < s->sweep_count; k++)
        fmc_sweep_result_clear(&made[k]);

    snprintf(path, sizeof path, "%s/stray.h5", directory);
    hid_t file = edit_copy(sweeps, path);
    REQUIRE(H5Gclose(H5Gcreate2(file, "/sweeps/stray", H5P_DEFAULT, H5P_DEFAULT,
                                H5P_DEFAULT)) >= 0);
    H5Fclose(file);
    check_refused(path, FMC_EHDF5, "/sweeps/stray", "not a sweep of the stored scenario");

    snprintf(path, sizeof path, "%s/lever.h5", directory);
    file = edit_copy(sweeps, path);
    char name[200];
    snprintf(name, sizeof name, "/sweeps/%s/best_lever", s->sweeps[0].name);
    hid_t set = H5Dopen2(file, name, H5P_DEFAULT);
    size_t points = fmc_sweep_points(&s->sweeps[0]);
    int *levers = calloc(points, sizeof *levers);
    REQUIRE(set >= 0 && levers);
    levers[points / 2] = (int)s->lever_count;
    REQUIRE(H5Dwrite(set, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, levers) >= 0);
    free(levers);
    H5Dclose(set);
    H5Fclose(file);
    snprintf(name, sizeof name, "/sweeps/%s/best_lever", s->sweeps[0].name);
    check_refused(path, FMC_EHDF5, name, "names lever");
    fmc_scenario_free(s);
    remove_directory();
}

static void truncated_and_bit_flipped_files_never_crash(void)
{
    make_directory();
    char run[128], path[160];
    snprintf(run, sizeof run, "%s/run.h5", directory);
    write_small_run(run);
    size_t size;
    char *bytes = slurp(run, &size);
    snprintf(path, sizeof path, "%s/damaged.h5", directory);
    for (size_t i = 0; i < 64; i++) {
        size_t length = i * size / 64;
        write_bytes(path, bytes, length);
        check_refused(path, length ? FMC_EHDF5 : FMC_EFOREIGN, "/", NULL);
    }
    /* one random byte flipped, 200 times (a fixed LCG: the same copies each time) */
    uint64_t state = 2385;
    int read_fine = 0, refused = 0;
    for (int i = 0; i < 200; i++) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        size_t at = (size_t)(state >> 33) % size;
        unsigned char flip = (unsigned char)(1u << ((state >> 20) & 7));
        bytes[at] ^= (char)flip;
        write_bytes(path, bytes, size);
        bytes[at] ^= (char)flip;
        fmc_results_file *file = NULL;
        fmc_read_problem why;
        fmc_status status = fmc_results_file_read(path, &file, &why);
        if (status == FMC_OK) {
            read_fine++;
            CHECK(fmc_results_file_view(file)->kind == FMC_RESULTS_RUN);
            fmc_results_file_free(file);
        } else {
            refused++;
            CHECK(file == NULL && why.object[0] == '/' && why.message[0] != '\0');
        }
    }
    printf("     200 bit-flipped copies: %d read, %d refused\n", read_fine, refused);
    free(bytes);
    remove_directory();
}

/* The offset of the first global heap collection of the file's BYTES (the
 * signature "GCOL" and version 1), or SIZE when there is none. */
static size_t first_collection(const char *bytes, size_t size)
{
    for (size_t at = 0; at + 16 <= size; at++)
        if (memcmp(bytes + at, "GCOL\001", 5) == 0)
            return at;
    return size;
}

static void a_heap_object_larger_than_its_collection_is_refused(void)
{
    make_directory();
    char run[128], path[160], words[96];
    snprintf(run, sizeof run, "%s/run.h5", directory);
    write_small_run(run);
    size_t size;
    char *bytes = slurp(run, &size);
    size_t at = first_collection(bytes, size);
    REQUIRE(at < size);
    /* the high byte of the first object's size (after the collection's
     * header of 16 bytes, and the object's index, count and reserved
     * bytes): what made HDF5 copy past its buffer */
    bytes[at + 16 + 15] = 1;
    snprintf(path, sizeof path, "%s/heap.h5", directory);
    write_bytes(path, bytes, size);
    snprintf(words, sizeof words, "damaged: a global heap collection at byte %zu has object",
             at);
    check_refused(path, FMC_EHDF5, "/", words);
    check_refused(path, FMC_EHDF5, "/", "past the collection's end");
    free(bytes);
    remove_directory();
}

static void gcol_in_the_scenario_text_does_not_refuse_a_good_file(void)
{
    make_directory();
    char path[160];
    snprintf(path, sizeof path, "%s/gcol.h5", directory);
    const char *example = fmc_worked_example_text();
    size_t length = strlen(example) + 64;
    char *text = malloc(length);
    REQUIRE(text);
    snprintf(text, length, "# GCOL, a heap's signature, in the stored text\n%s", example);
    fmc_scenario *s = load_text(text);
    fmc_analysis a;
    write_analysis(path, s, 2000, 1, &a);
    size_t size, signatures = 0;
    char *bytes = slurp(path, &size);
    for (size_t at = 0; at + 4 <= size; at++)
        signatures += memcmp(bytes + at, "GCOL", 4) == 0;
    CHECK(signatures >= 2);  /* the heap's own and the text's */
    fmc_results_file_free(read_ok(path));
    free(bytes);
    fmc_analysis_clear(&a);
    fmc_scenario_free(s);
    free(text);
    remove_directory();
}

TEST_MAIN_BEGIN
H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
RUN_TEST(right_type_and_shape_are_read);
RUN_TEST(wrong_objects_are_reported_with_their_full_path);
RUN_TEST(the_first_problem_is_kept_and_failures_name_the_readers_prefix);
RUN_TEST(absurd_allocations_are_refused);
RUN_TEST(a_run_file_reads_back_as_the_run_made_it);
RUN_TEST(a_run_without_cost_has_no_roi);
RUN_TEST(a_horizon_reads_back_period_by_period);
RUN_TEST(correlations_read_back_pair_by_pair);
RUN_TEST(a_sweeps_file_reads_back_grid_by_grid);
RUN_TEST(a_sweep_without_levers_reads_back_without_a_decision_map);
RUN_TEST(a_thousand_point_sweep_reads_back_quickly);
RUN_TEST(a_batch_file_reads_back_row_by_row_and_part_by_part);
RUN_TEST(a_bench_file_reads_back_table_by_table);
RUN_TEST(files_that_are_not_results_are_refused);
RUN_TEST(objects_missing_or_mistyped_are_named);
RUN_TEST(a_stray_sweep_and_a_lever_out_of_range_are_named);
RUN_TEST(truncated_and_bit_flipped_files_never_crash);
RUN_TEST(a_heap_object_larger_than_its_collection_is_refused);
RUN_TEST(gcol_in_the_scenario_text_does_not_refuse_a_good_file);
TEST_MAIN_END