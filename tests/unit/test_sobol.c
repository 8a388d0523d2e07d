/* Sobol indices against analytic truth: a product of independent factors
 * (closed forms for single inputs and for groups), the Ishigami function and
 * a linear model; the coverage of the confidence intervals; and results
 * bit-identical for any thread count and however the rows are added. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/sobol.h"
#include "funnelmc/stream.h"

#define PI 3.14159265358979323846

typedef struct problem_setup {
    fmc_dist dists[4];
    fmc_sampler *samplers[4];
    size_t factors[4];
    size_t group_starts[3];
    size_t group_members[4];
    fmc_sobol_problem problem;
} problem_setup;

static void product_model(void *context, const double *const *x, size_t n,
                          const fmc_sobol_origin *origin, double *out)
{
    (void)context;
    (void)origin;
    for (size_t r = 0; r < n; r++)
        out[r] = x[0][r] * x[1][r] * x[2][r] * x[3][r];
}

static void ishigami_model(void *context, const double *const *x, size_t n,
                           const fmc_sobol_origin *origin, double *out)
{
    (void)context;
    (void)origin;
    for (size_t r = 0; r < n; r++) {
        double s2 = sin(x[1][r]), x3 = x[2][r];
        out[r] = sin(x[0][r]) + 7 * s2 * s2 + 0.1 * x3 * x3 * x3 * x3 * sin(x[0][r]);
    }
}

static const double linear_weights[3] = {1.0, -2.385, 0.5};

static void linear_model(void *context, const double *const *x, size_t n,
                         const fmc_sobol_origin *origin, double *out)
{
    (void)context;
    (void)origin;
    for (size_t r = 0; r < n; r++)
        out[r] = linear_weights[0] * x[0][r] + linear_weights[1] * x[1][r] +
                 linear_weights[2] * x[2][r];
}

static void setup_finish(problem_setup *p, size_t columns, fmc_block_model model)
{
    for (size_t j = 0; j < columns; j++) {
        REQUIRE(fmc_sampler_alloc(&p->dists[j], &p->samplers[j]) == FMC_OK);
        p->factors[j] = j;
    }
    memset(&p->problem, 0, sizeof p->problem);
    p->problem.column_count = columns;
    p->problem.samplers = p->samplers;
    p->problem.factors = p->factors;
    p->problem.factor_count = columns;
    p->problem.model = model;
}

static void setup_clear(problem_setup *p, size_t columns)
{
    for (size_t j = 0; j < columns; j++) {
        fmc_sampler_free(p->samplers[j]);
        fmc_dist_clear(&p->dists[j]);
    }
}

/* Y = X1 X2 X3 X4; groups {X1, X2} and {X3}. */
static void product_setup(problem_setup *p)
{
    fmc_dist_set_uniform(&p->dists[0], 1, 3, NULL);
    fmc_dist_set_lognormal(&p->dists[1], 1, 0.5, 0, INFINITY, NULL);
    fmc_dist_set_gamma(&p->dists[2], 4, 0.5, NULL);
    fmc_dist_set_beta(&p->dists[3], 2, 5, NULL);
    setup_finish(p, 4, product_model);
    p->group_starts[0] = 0;
    p->group_starts[1] = 2;
    p->group_starts[2] = 3;
    p->group_members[0] = 0;
    p->group_members[1] = 1;
    p->group_members[2] = 2;
    p->problem.group_starts = p->group_starts;
    p->problem.group_members = p->group_members;
    p->problem.group_count = 2;
}

/* For a product of independent factors with coefficients of variation c_i:
 * S_i = c_i^2 / (prod(1 + c_j^2) - 1), ST_i = c_i^2 prod_{j != i}(1 + c_j^2) / (...);
 * a group G: S_G = (prod_G(1 + c^2) - 1) / (...), ST_G = 1 - S_{not G}. */
static void product_truth(const problem_setup *p, double first[4], double total[4],
                          double group_first[2], double group_total[2])
{
    double c2[4], all = 1;
    for (int j = 0; j < 4; j++) {
        double m = fmc_dist_mean(&p->dists[j]);
        c2[j] = fmc_dist_variance(&p->dists[j]) / (m * m);
        all *= 1 + c2[j];
    }
    for (int j = 0; j < 4; j++) {
        first[j] = c2[j] / (all - 1);
        total[j] = c2[j] * (all / (1 + c2[j])) / (all - 1);
    }
    group_first[0] = ((1 + c2[0]) * (1 + c2[1]) - 1) / (all - 1);
    group_total[0] = 1 - ((1 + c2[2]) * (1 + c2[3]) - 1) / (all - 1);
    group_first[1] = first[2];
    group_total[1] = total[2];
}

static void run(const fmc_sobol_problem *problem, uint64_t seed, uint64_t rows, int threads,
                fmc_sobol_result *out)
{
    fmc_sobol *s = NULL;
    REQUIRE(fmc_sobol_alloc(problem, seed, threads, &s) == FMC_OK);
    REQUIRE(fmc_sobol_extend(s, rows) == FMC_OK);
    CHECK(fmc_sobol_rows(s) == rows);
    REQUIRE(fmc_sobol_estimate_all(s, 0.95, out) == FMC_OK);
    fmc_sobol_free(s);
}

static void check_within(const char *what, const fmc_sobol_estimate *e, double truth, double k)
{
    if (!(fabs(e->value - truth) <= k * e->se))
        fprintf(stderr, "  %s: %.5f +- %.5f, truth %.5f\n", what, e->value, e->se, truth);
    CHECK_NEAR(e->value, truth, k * e->se);
}

static void product_indices_match_closed_forms(void)
{
    problem_setup p;
    product_setup(&p);
    double first[4], total[4], group_first[2], group_total[2];
    product_truth(&p, first, total, group_first, group_total);
    fmc_sobol_result r;
    run(&p.problem, 20261122, 1 << 18, 2, &r);
    for (int j = 0; j < 4; j++) {
        check_within("first", &r.first[j], first[j], 4.5);
        check_within("total", &r.total[j], total[j], 4.5);
        CHECK(r.first[j].se > 0 && r.first[j].se < 0.02);
        CHECK(r.first[j].ci[0] < r.first[j].value && r.first[j].value < r.first[j].ci[1]);
    }
    check_within("group first", &r.group_first[0], group_first[0], 4.5);
    check_within("group total", &r.group_total[0], group_total[0], 4.5);
    /* a group of one input is that input */
    CHECK(same_estimates(&r.group_first[1], &r.first[2], 1));
    CHECK(r.rows == 1 << 18);
    CHECK(r.model_runs == (uint64_t)(1 << 18) * (2 + 4 + 1));  /* the one-input group is shared */
    double mean = 1;
    for (int j = 0; j < 4; j++)
        mean *= fmc_dist_mean(&p.dists[j]);
    CHECK_NEAR(r.mean, mean, 0.01 * mean);
    fmc_sobol_result_clear(&r);
    setup_clear(&p, 4);
}

static void ishigami_indices_match_the_literature(void)
{
    problem_setup p;
    for (int j = 0; j < 3; j++)
        fmc_dist_set_uniform(&p.dists[j], -PI, PI, NULL);
    setup_finish(&p, 3, ishigami_model);
    /* a = 7, b = 0.1: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 */
    double a = 7, b = 0.1, pi4 = PI * PI * PI * PI, pi8 = pi4 * pi4;
    double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5), v2 = a * a / 8;
    double v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    double first[3] = {v1 / v, v2 / v, 0}, total[3] = {(v1 + v13) / v, v2 / v, v13 / v};
    CHECK_NEAR(first[0], 0.3139, 1e-4);
    CHECK_NEAR(total[2], 0.2437, 1e-4);
    fmc_sobol_result r;
    run(&p.problem, 7, 1 << 17, 2, &r);
    for (int j = 0; j < 3; j++) {
        check_within("ishigami first", &r.first[j], first[j], 4.5);
        check_within("ishigami total", &r.total[j], total[j], 4.5);
    }
    fmc_sobol_result_clear(&r);
    setup_clear(&p, 3);
}

static void linear_model_indices_are_shares_of_variance(void)
{
    problem_setup p;
    fmc_dist_set_uniform(&p.dists[0], 0, 1, NULL);
    fmc_dist_set_uniform(&p.dists[1], 2, 5, NULL);
    fmc_dist_set_normal(&p.dists[2], 1, 2.385, -INFINITY, INFINITY, NULL);
    setup_finish(&p, 3, linear_model);
    double share[3], sum = 0;
    for (int j = 0; j < 3; j++)
        sum += share[j] = linear_weights[j] * linear_weights[j] * fmc_dist_variance(&p.dists[j]);
    fmc_sobol_result r;
    run(&p.problem, 99, 1 << 17, 1, &r);
    for (int j = 0; j < 3; j++) {
        check_within("linear first", &r.first[j], share[j] / sum, 4.5);
        check_within("linear total", &r.total[j], share[j] / sum, 4.5);
    }
    CHECK_NEAR(r.variance, sum, 0.02 * sum);
    fmc_sobol_result_clear(&r);
    setup_clear(&p, 3);
}

/* Delta-method intervals reach their nominal level as N grows: measured
 * coverage for this product (with a lognormal factor) 0.929 at N = 2000,
 * 0.947 at 8000, 0.952 at 32000, over 1600 intervals each. */
#define COVERAGE_ROWS 8000

static void intervals_cover_the_truth_about_95_percent_of_the_time(void)
{
    problem_setup p;
    product_setup(&p);
    double first[4], total[4], group_first[2], group_total[2];
    product_truth(&p, first, total, group_first, group_total);
    int covered = 0, intervals = 0;
    for (uint64_t seed = 1; seed <= 200; seed++) {
        fmc_sobol_result r;
        run(&p.problem, seed, COVERAGE_ROWS, 1, &r);
        for (int j = 0; j < 4; j++) {
            covered += r.first[j].ci[0] <= first[j] && first[j] <= r.first[j].ci[1];
            covered += r.total[j].ci[0] <= total[j] && total[j] <= r.total[j].ci[1];
            intervals += 2;
        }
        fmc_sobol_result_clear(&r);
    }
    double coverage = (double)covered / intervals;
    printf("     coverage of 95%% intervals: %.3f over %d intervals\n", coverage, intervals);
    CHECK(coverage > 0.93 && coverage < 0.97);
    setup_clear(&p, 4);
}

static void zero_indices_are_reported_as_estimated_not_clipped(void)
{
    problem_setup p;
    for (int j = 0; j < 3; j++)
        fmc_dist_set_uniform(&p.dists[j], -PI, PI, NULL);
    setup_finish(&p, 3, ishigami_model);
    int negative = 0, holding_zero = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        fmc_sobol_result r;
        run(&p.problem, seed, 4096, 1, &r);
        negative += r.first[2].value < 0;  /* S3 = 0 exactly */
        holding_zero += r.first[2].ci[0] <= 0 && 0 <= r.first[2].ci[1];
        fmc_sobol_result_clear(&r);
    }
    CHECK(negative > 0);
    CHECK(holding_zero >= 17);
    setup_clear(&p, 3);
}

static int same_result(const fmc_sobol_result *x, const fmc_sobol_result *y, size_t factors,
                       size_t groups)
{
    return x->rows == y->rows && x->mean == y->mean && x->variance == y->variance &&
           same_bits(&x->max_half_width, &y->max_half_width, 1) &&
           same_estimates(x->first, y->first, factors) && same_estimates(x->total, y->total, factors) &&
           same_estimates(x->group_first, y->group_first, groups) &&
           same_estimates(x->group_total, y->group_total, groups);
}

static void results_are_bit_identical_for_threads_and_steps(void)
{
    problem_setup p;
    product_setup(&p);
    uint64_t rows = 100000 + 123;  /* a partial last block */
    fmc_sobol_result one, two, three, stepped;
    run(&p.problem, 5, rows, 1, &one);
    run(&p.problem, 5, rows, 2, &two);
    run(&p.problem, 5, rows, 3, &three);
    fmc_sobol *s = NULL;
    REQUIRE(fmc_sobol_alloc(&p.problem, 5, 2, &s) == FMC_OK);
    REQUIRE(fmc_sobol_extend(s, 777) == FMC_OK);
    REQUIRE(fmc_sobol_extend(s, 50000) == FMC_OK);
    REQUIRE(fmc_sobol_extend(s, rows) == FMC_OK);
    REQUIRE(fmc_sobol_estimate_all(s, 0.95, &stepped) == FMC_OK);
    fmc_sobol_free(s);
    CHECK(same_result(&one, &two, 4, 2));
    CHECK(same_result(&one, &three, 4, 2));
    CHECK(same_result(&one, &stepped, 4, 2));
    fmc_sobol_result_clear(&one);
    fmc_sobol_result_clear(&two);
    fmc_sobol_result_clear(&three);
    fmc_sobol_result_clear(&stepped);
    setup_clear(&p, 4);
}

/* A model that checks every value of every call against the word of its
 * column's stream (seed 5, the purpose and row the origin gives), and
 * counts the rows it saw from each matrix and each thread. */
typedef struct origin_check {
    const problem_setup *p;
    size_t columns;
    int mismatches;
    uint64_t rows_seen[3];  /* by purpose */
} origin_check;

static void origin_model(void *context, const double *const *x, size_t n,
                         const fmc_sobol_origin *origin, double *out)
{
    origin_check *c = context;
    int mismatches = 0;
    for (size_t j = 0; j < c->columns; j++)
        for (size_t r = 0; r < n; r++) {
            uint32_t word = fmc_stream_word(5, origin->purposes[j], origin->first + r, (uint32_t)j);
            mismatches += fmc_sampler_value(c->p->samplers[j], word) != x[j][r];
        }
    for (size_t r = 0; r < n; r++)
        out[r] = x[0][r] * x[1][r];
    #pragma omp critical
    {
        c->mismatches += mismatches;
        c->rows_seen[origin->purposes[0]] += n;
    }
}

static void models_are_told_the_row_and_matrix_of_every_column(void)
{
    problem_setup p;
    fmc_dist_set_uniform(&p.dists[0], 1, 3, NULL);
    fmc_dist_set_gamma(&p.dists[1], 4, 0.5, NULL);
    setup_finish(&p, 2, origin_model);
    origin_check check = {&p, 2, 0, {0}};
    p.problem.model_context = &check;
    fmc_sobol_result r;
    run(&p.problem, 5, 3000, 3, &r);
    CHECK(check.mismatches == 0);
    /* A and B of the shift's first block, then of every row, each with
     * one mixture: column 0 stays in A when factor 1 is switched */
    CHECK(check.rows_seen[FMC_PURPOSE_SOBOL_A] == FMC_SOBOL_BLOCK + 2 * 3000);
    CHECK(check.rows_seen[FMC_PURPOSE_SOBOL_B] == FMC_SOBOL_BLOCK + 2 * 3000);
    fmc_sobol_result_clear(&r);
    setup_clear(&p, 2);
}

/* With R replicates of plain Monte Carlo rows the pooled estimates are the
 * rows' own (the same bits as one replicate: every block merges into the
 * pool as before), and each standard error, from the spread of the R
 * replicate estimates, agrees with the delta method's: a sample standard
 * deviation of R values has a relative error of about 1 / sqrt(2 (R - 1)). */
static void replicates_give_standard_errors_from_their_spread(void)
{
    enum { R = 16, ROWS = 1 << 17 };
    problem_setup p;
    product_setup(&p);
    fmc_sobol_result iid, replicated;
    run(&p.problem, 11, ROWS, 2, &iid);
    fmc_draws draws = fmc_draws_mc(11, 4, 1);
    draws.design = (fmc_design){FMC_DESIGN_MC, R, ROWS / R};
    p.problem.draws = &draws;
    run(&p.problem, 11, ROWS, 2, &replicated);
    CHECK(replicated.design.replicates == R);
    double tolerance = 4.5 / sqrt(2.0 * (R - 1));
    for (size_t i = 0; i < 2 * (4 + 2); i++) {
        const fmc_sobol_estimate *a = &iid.first[i], *b = &replicated.first[i];
        CHECK(same_bits(&a->value, &b->value, 1));
        CHECK(b->se > 0);
        CHECK_NEAR(b->se / a->se, 1, tolerance);
        /* the t quantile of R - 1 degrees of freedom is wider than z */
        CHECK(b->ci[1] - b->value > 1.96 * b->se && b->ci[1] - b->value < 2.2 * b->se);
        CHECK_NEAR(b->value - b->ci[0], b->ci[1] - b->value, 1e-12);
    }
    fmc_sobol_result_clear(&iid);
    fmc_sobol_result_clear(&replicated);
    setup_clear(&p, 4);
}

/* Designs with replicates: bit-identical for 1, 2 and 3 threads under
 * every design; rows only in whole replicates; the closed forms within
 * 4.5 replicate standard errors. */
static void designs_with_replicates_are_bit_identical_and_accurate(void)
{
    enum { R = 16, ROWS = 1 << 17 };
    problem_setup p;
    product_setup(&p);
    double first[4], total[4], group_first[2], group_total[2];
    product_truth(&p, first, total, group_first, group_total);
    const fmc_design_method methods[] = {FMC_DESIGN_MC, FMC_DESIGN_LHS, FMC_DESIGN_QMC};
    for (size_t m = 0; m < 3; m++) {
        fmc_draws draws = fmc_draws_mc(29, 4, 1);
        draws.design = (fmc_design){methods[m], R, ROWS / R};
        p.problem.draws = &draws;
        fmc_sobol_result one, two, three;
        run(&p.problem, 29, ROWS, 1, &one);
        run(&p.problem, 29, ROWS, 2, &two);
        run(&p.problem, 29, ROWS, 3, &three);
        CHECK(same_result(&one, &two, 4, 2));
        CHECK(same_result(&one, &three, 4, 2));
        for (int j = 0; j < 4; j++) {
            check_within("first", &one.first[j], first[j], 4.5);
            check_within("total", &one.total[j], total[j], 4.5);
        }
        for (int g = 0; g < 2; g++) {
            check_within("group first", &one.group_first[g], group_first[g], 4.5);
            check_within("group total", &one.group_total[g], group_total[g], 4.5);
        }
        fmc_sobol *s = NULL;
        REQUIRE(fmc_sobol_alloc(&p.problem, 29, 1, &s) == FMC_OK);
        CHECK(fmc_sobol_extend(s, ROWS / R + 1) == FMC_EINVAL);
        CHECK(fmc_sobol_extend(s, ROWS + ROWS / R) == FMC_EINVAL);
        fmc_sobol_free(s);
        fmc_sobol_result_clear(&one);
        fmc_sobol_result_clear(&two);
        fmc_sobol_result_clear(&three);
    }
    /* points of a replicate must be whole blocks */
    fmc_draws ragged = fmc_draws_mc(29, 4, 1);
    ragged.design = (fmc_design){FMC_DESIGN_QMC, R, 1000};
    p.problem.draws = &ragged;
    fmc_sobol *s = NULL;
    CHECK(fmc_sobol_alloc(&p.problem, 29, 1, &s) == FMC_EINVAL);
    setup_clear(&p, 4);
}

/* An index marked undefined is NaN and costs no model runs. */
static void undefined_indices_are_nan_and_cost_nothing(void)
{
    problem_setup p;
    product_setup(&p);
    fmc_sobol_result all, some;
    run(&p.problem, 3, 8192, 1, &all);
    unsigned char undefined[4 + 2] = {1, 1, 0, 0, 0, 0};
    p.problem.undefined = undefined;
    run(&p.problem, 3, 8192, 1, &some);
    CHECK(isnan(some.first[0].value) && isnan(some.total[1].se) && isnan(some.first[1].ci[0]));
    CHECK(same_estimates(&some.first[2], &all.first[2], 2));
    CHECK(same_estimates(some.group_first, all.group_first, 2));
    CHECK(some.model_runs == all.model_runs - 2 * 8192);
    fmc_sobol_result_clear(&all);
    fmc_sobol_result_clear(&some);
    setup_clear(&p, 4);
}

TEST_MAIN_BEGIN
RUN_TEST(product_indices_match_closed_forms);
RUN_TEST(ishigami_indices_match_the_literature);
RUN_TEST(linear_model_indices_are_shares_of_variance);
RUN_TEST(intervals_cover_the_truth_about_95_percent_of_the_time);
RUN_TEST(zero_indices_are_reported_as_estimated_not_clipped);
RUN_TEST(results_are_bit_identical_for_threads_and_steps);
RUN_TEST(models_are_told_the_row_and_matrix_of_every_column);
RUN_TEST(replicates_give_standard_errors_from_their_spread);
RUN_TEST(designs_with_replicates_are_bit_identical_and_accurate);
RUN_TEST(undefined_indices_are_nan_and_cost_nothing);
TEST_MAIN_END
