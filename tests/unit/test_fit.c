/* Laws fitted to data: for each law, data drawn from known parameters (the
 * law's exact quantile at GSL's Mersenne Twister uniforms, fixed seeds)
 * give the parameters back within 4.5 of the standard errors fmc_fit
 * reports; those errors match the real spread of the estimates over 200
 * replications; the true law ranks first in most of 100 small samples (the
 * share per law is printed); and every error is provoked on purpose. */
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "funnelmc/fit.h"

enum { LARGE = 2000, SMALL = 200, REPLICATIONS = 200, TRIALS = 100 };

/* One law to recover: set by SET from the parameters TRUTH, which are in
 * the order of its parameter_names. */
typedef struct law_case {
    const char *label;
    const fmc_dist_type *law;
    fmc_fit_kind kind;
    double truth[FMC_FIT_MAX_PARAMS];
} law_case;

static const law_case cases[] = {
    {"normal (real)", FMC_DIST_NORMAL, FMC_FIT_REAL, {2.385, 0.71}},
    {"normal (positive, truncated at 0)", FMC_DIST_NORMAL, FMC_FIT_POSITIVE, {41.3, 25.7}},
    {"lognormal", FMC_DIST_LOGNORMAL, FMC_FIT_POSITIVE, {1230, 0.45}},
    {"gamma", FMC_DIST_GAMMA, FMC_FIT_POSITIVE, {2.7, 151.5}},
    {"beta", FMC_DIST_BETA, FMC_FIT_RATE, {2.3, 7.9}},
    /* concentrated, as a click rate near 2 %: its large shapes tried the
     * Newton iteration's stopping test */
    {"beta (concentrated)", FMC_DIST_BETA, FMC_FIT_RATE, {57, 2800}},
    {"uniform", FMC_DIST_UNIFORM, FMC_FIT_RATE, {0.12, 0.47}},
    {"triangular", FMC_DIST_TRIANGULAR, FMC_FIT_RATE, {0.05, 0.18, 0.42}},
    {"triangular (real)", FMC_DIST_TRIANGULAR, FMC_FIT_REAL, {-3.1, 4.4, 5.2}},
};
#define CASE_COUNT (sizeof cases / sizeof *cases)

static void set_true_law(const law_case *c, fmc_dist *d)
{
    const double *t = c->truth;
    fmc_status status = FMC_EINVAL;
    if (c->law == FMC_DIST_NORMAL)
        status = fmc_dist_set_normal(d, t[0], t[1], c->kind == FMC_FIT_REAL ? -INFINITY : 0,
                                     INFINITY, NULL);
    else if (c->law == FMC_DIST_LOGNORMAL)
        status = fmc_dist_set_lognormal(d, t[0], t[1], 0, INFINITY, NULL);
    else if (c->law == FMC_DIST_GAMMA)
        status = fmc_dist_set_gamma(d, t[0], t[1], NULL);
    else if (c->law == FMC_DIST_BETA)
        status = fmc_dist_set_beta(d, t[0], t[1], NULL);
    else if (c->law == FMC_DIST_UNIFORM)
        status = fmc_dist_set_uniform(d, t[0], t[1], NULL);
    else if (c->law == FMC_DIST_TRIANGULAR)
        status = fmc_dist_set_triangular(d, t[0], t[1], t[2], NULL);
    REQUIRE(status == FMC_OK);
}

/* A generator seeded SEED for case K, and the case's true law in *TRUTH. */
static gsl_rng *start_case(size_t k, unsigned long seed, fmc_dist *truth)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    REQUIRE(rng);
    gsl_rng_set(rng, seed + k);
    set_true_law(&cases[k], truth);
    return rng;
}

static void draw(const fmc_dist *d, gsl_rng *rng, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = fmc_dist_quantile(d, gsl_rng_uniform_pos(rng));
}

/* The fit of C's own law alone to N fresh values. */
static void fit_own_law(const law_case *c, const fmc_dist *truth, gsl_rng *rng, double *x,
                        size_t n, fmc_fit_result *fit)
{
    draw(truth, rng, x, n);
    REQUIRE(fmc_fit(x, n, c->kind, &c->law, 1, fit) == FMC_OK);
    REQUIRE(fit->count == 1 && fit->candidates[0].fitted);
}

static void estimates_lie_within_their_standard_errors_of_the_truth(void)
{
    double *x = malloc(LARGE * sizeof *x);
    REQUIRE(x);
    for (size_t k = 0; k < CASE_COUNT; k++) {
        const law_case *c = &cases[k];
        fmc_dist truth;
        gsl_rng *rng = start_case(k, 1000, &truth);
        fmc_fit_result fit;
        fit_own_law(c, &truth, rng, x, LARGE, &fit);
        const fmc_fit_candidate *f = &fit.candidates[0];
        CHECK(f->dist.kind == c->law);
        for (size_t p = 0; p < f->parameter_count; p++) {
            fprintf(stderr, "  %-34s %-6s %12.6g +- %-10.3g truth %g\n", c->label,
                    f->parameter_names[p], f->parameters[p], f->parameter_se[p], c->truth[p]);
            CHECK(f->parameter_se[p] > 0);
            CHECK_NEAR(f->parameters[p], c->truth[p], 4.5 * f->parameter_se[p]);
        }
        fmc_fit_result_clear(&fit);
        gsl_rng_free(rng);
    }
    free(x);
}

/* Over R replications, the standard deviation of the estimates against the
 * mean reported SE: the sample SD's relative standard error is about
 * 1/sqrt(2 (R - 1)) = 0.05, so the ratio must lie within 4.5 of that of 1.
 * The estimates' mean must lie within 4.5 SD/sqrt(R) of the truth (no
 * bias the errors would hide). */
static void standard_errors_match_the_spread_over_replications(void)
{
    double *x = malloc(LARGE * sizeof *x);
    REQUIRE(x);
    double tolerance = 4.5 / sqrt(2.0 * (REPLICATIONS - 1));
    for (size_t k = 0; k < CASE_COUNT; k++) {
        const law_case *c = &cases[k];
        fmc_dist truth;
        gsl_rng *rng = start_case(k, 2000, &truth);
        double sum[FMC_FIT_MAX_PARAMS] = {0}, squares[FMC_FIT_MAX_PARAMS] = {0};
        double se[FMC_FIT_MAX_PARAMS] = {0};
        size_t count = 0;
        const char *names[FMC_FIT_MAX_PARAMS] = {0};
        for (int r = 0; r < REPLICATIONS; r++) {
            fmc_fit_result fit;
            fit_own_law(c, &truth, rng, x, LARGE, &fit);
            const fmc_fit_candidate *f = &fit.candidates[0];
            count = f->parameter_count;
            for (size_t p = 0; p < count; p++) {
                sum[p] += f->parameters[p];
                squares[p] += f->parameters[p] * f->parameters[p];
                se[p] += f->parameter_se[p] / REPLICATIONS;
                names[p] = f->parameter_names[p];
            }
            fmc_fit_result_clear(&fit);
        }
        for (size_t p = 0; p < count; p++) {
            double mean = sum[p] / REPLICATIONS;
            double sd = sqrt((squares[p] - REPLICATIONS * mean * mean) / (REPLICATIONS - 1));
            printf("     %-34s %-6s SE %-10.4g spread %-10.4g ratio %.3f  bias %+.2f SE\n",
                   c->label, names[p], se[p], sd, sd / se[p], (mean - c->truth[p]) / se[p]);
            CHECK_NEAR(sd / se[p], 1, tolerance);
            CHECK_NEAR(mean, c->truth[p], 4.5 * sd / sqrt(REPLICATIONS));
        }
        gsl_rng_free(rng);
    }
    free(x);
}

static void true_law_ranks_first_in_most_small_samples(void)
{
    double x[SMALL];
    printf("     the true law ranked first among the kind's defaults, %d samples of %d:\n",
           TRIALS, SMALL);
    for (size_t k = 0; k < CASE_COUNT; k++) {
        const law_case *c = &cases[k];
        fmc_dist truth;
        gsl_rng *rng = start_case(k, 3000, &truth);
        int first = 0;
        for (int t = 0; t < TRIALS; t++) {
            draw(&truth, rng, x, SMALL);
            fmc_fit_result fit;
            REQUIRE(fmc_fit(x, SMALL, c->kind, NULL, 0, &fit) == FMC_OK);
            first += fit.candidates[0].law == c->law;
            fmc_fit_result_clear(&fit);
        }
        printf("     %-34s %3d %%\n", c->label, 100 * first / TRIALS);
        CHECK(first >= 60 * TRIALS / 100);
        gsl_rng_free(rng);
    }
}

static void ranking_puts_fitted_laws_first_by_aic(void)
{
    /* positive data with a zero: lognormal and gamma cannot describe it */
    double x[40];
    for (int i = 0; i < 40; i++)
        x[i] = 3.7 * fmod(i * 0.754877666, 1.0) * (1 + fmod(i * 0.569840291, 1.0));
    x[17] = 0;
    fmc_fit_result fit;
    REQUIRE(fmc_fit(x, 40, FMC_FIT_POSITIVE, NULL, 0, &fit) == FMC_OK);
    CHECK(fit.count == 5);
    CHECK(fit.value_count == 40);
    CHECK(fit.bad_value == FMC_FIT_NO_VALUE);
    size_t fitted = 0;
    for (size_t k = 0; k < fit.count; k++) {
        const fmc_fit_candidate *c = &fit.candidates[k];
        if (c->fitted) {
            CHECK(k == fitted);  /* every fitted one before every other */
            fitted++;
            CHECK(k == 0 || c->aic >= fit.candidates[k - 1].aic);
            CHECK(c->ks > 0 && c->ks < 1 && c->ks_p >= 0 && c->ks_p <= 1);
        } else {
            CHECK(c->law == FMC_DIST_LOGNORMAL || c->law == FMC_DIST_GAMMA);
            CHECK(strstr(c->reason, "> 0") != NULL);
        }
    }
    CHECK(fitted == 3);
    fmc_fit_result_clear(&fit);
    CHECK(fit.count == 0 && fit.candidates == NULL);
}

/* A wrong law's goodness of fit is poor: uniform fitted to skewed
 * lognormal data is rejected by KS and A^2, the true law is not. */
static void goodness_of_fit_tells_a_wrong_law(void)
{
    double x[LARGE];
    fmc_dist truth;
    REQUIRE(fmc_dist_set_lognormal(&truth, 10, 1, 0, INFINITY, NULL) == FMC_OK);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    REQUIRE(rng);
    gsl_rng_set(rng, 4000);
    draw(&truth, rng, x, LARGE);
    const fmc_dist_type *laws[] = {FMC_DIST_UNIFORM, FMC_DIST_LOGNORMAL};
    fmc_fit_result fit;
    REQUIRE(fmc_fit(x, LARGE, FMC_FIT_POSITIVE, laws, 2, &fit) == FMC_OK);
    const fmc_fit_candidate *right = &fit.candidates[0], *wrong = &fit.candidates[1];
    CHECK(right->law == FMC_DIST_LOGNORMAL && wrong->law == FMC_DIST_UNIFORM);
    CHECK(wrong->ks_p < 1e-6 && right->ks_p > 1e-3);
    CHECK(wrong->anderson_darling > 10 * right->anderson_darling);
    fmc_fit_result_clear(&fit);
    gsl_rng_free(rng);
}

/* The p-values of the true law's fit are conservative, not anti-
 * conservative: over 100 samples no more than the 5 % expected (plus 4.5
 * binomial SE) fall below 0.05. */
static void ks_p_values_are_conservative(void)
{
    double x[SMALL];
    fmc_dist truth;
    REQUIRE(fmc_dist_set_gamma(&truth, 3.3, 2.1, NULL) == FMC_OK);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    REQUIRE(rng);
    gsl_rng_set(rng, 5000);
    int small = 0;
    for (int t = 0; t < TRIALS; t++) {
        draw(&truth, rng, x, SMALL);
        const fmc_dist_type *law = FMC_DIST_GAMMA;
        fmc_fit_result fit;
        REQUIRE(fmc_fit(x, SMALL, FMC_FIT_POSITIVE, &law, 1, &fit) == FMC_OK);
        small += fit.candidates[0].ks_p < 0.05;
        fmc_fit_result_clear(&fit);
    }
    CHECK(small <= 5 + 4.5 * sqrt(TRIALS * 0.05 * 0.95));
    gsl_rng_free(rng);
}

static void errors_name_the_value_at_fault(void)
{
    double four[] = {0.2, 0.31, 0.25, 0.4};
    fmc_fit_result fit;
    CHECK(fmc_fit(four, 4, FMC_FIT_RATE, NULL, 0, &fit) == FMC_EINVAL);
    CHECK(fit.bad_value == FMC_FIT_NO_VALUE && fit.count == 0 && fit.candidates == NULL);
    CHECK(strstr(fit.problem, "at least 5") != NULL);

    double with_nan[] = {0.2, 0.31, NAN, 0.25, 0.4, 0.33};
    CHECK(fmc_fit(with_nan, 6, FMC_FIT_RATE, NULL, 0, &fit) == FMC_EINVAL);
    CHECK(fit.bad_value == 2 && strstr(fit.problem, "not a finite") != NULL);

    double with_inf[] = {0.2, 0.31, 0.25, 0.4, INFINITY, 0.33};
    CHECK(fmc_fit(with_inf, 6, FMC_FIT_REAL, NULL, 0, &fit) == FMC_EINVAL);
    CHECK(fit.bad_value == 4);

    double beyond_one[] = {0.2, 0.31, 0.25, 12, 0.4, 0.33};
    CHECK(fmc_fit(beyond_one, 6, FMC_FIT_RATE, NULL, 0, &fit) == FMC_EINVAL);
    CHECK(fit.bad_value == 3 && strstr(fit.problem, "outside [0, 1]") != NULL);

    double negative[] = {20, 31, 25, 12, -4, 33};
    CHECK(fmc_fit(negative, 6, FMC_FIT_POSITIVE, NULL, 0, &fit) == FMC_EINVAL);
    CHECK(fit.bad_value == 4 && strstr(fit.problem, "negative") != NULL);
    CHECK(fmc_fit(negative, 6, FMC_FIT_REAL, NULL, 0, &fit) == FMC_OK);
    fmc_fit_result_clear(&fit);

    const fmc_dist_type *pert = FMC_DIST_PERT, *none = NULL;
    CHECK(fmc_fit(negative, 6, FMC_FIT_REAL, &pert, 1, &fit) == FMC_EINVAL);
    CHECK(strstr(fit.problem, "'pert' cannot be fitted") != NULL);
    CHECK(fmc_fit(negative, 6, FMC_FIT_REAL, &none, 1, &fit) == FMC_EINVAL);

    double same[] = {7, 7, 7, 7, 7, 7};
    CHECK(fmc_fit(same, 6, FMC_FIT_POSITIVE, NULL, 0, &fit) == FMC_EINVAL);
    CHECK(fit.count == 0 && strstr(fit.problem, "no law could be fitted") != NULL);
    CHECK(strstr(fit.problem, "the same") != NULL);

    /* rates at 0 and 1: beta cannot describe them, nor a triangle with
     * its ends clamped to [0, 1]; uniform on [0, 1] can */
    double ends[] = {0, 0.31, 0.25, 1, 0.4, 0.33, 0.5};
    CHECK(fmc_fit(ends, 7, FMC_FIT_RATE, NULL, 0, &fit) == FMC_OK);
    REQUIRE(fit.count == 3);
    CHECK(fit.candidates[0].law == FMC_DIST_UNIFORM && fit.candidates[0].fitted);
    CHECK(fit.candidates[0].parameters[0] == 0 && fit.candidates[0].parameters[1] == 1);
    CHECK(fit.candidates[1].law == FMC_DIST_BETA && !fit.candidates[1].fitted);
    CHECK(strstr(fit.candidates[1].reason, "strictly between 0 and 1") != NULL);
    CHECK(fit.candidates[2].law == FMC_DIST_TRIANGULAR && !fit.candidates[2].fitted);
    fmc_fit_result_clear(&fit);
}

static void law_names_and_kinds(void)
{
    CHECK(fmc_fit_law_find("gamma") == FMC_DIST_GAMMA);
    CHECK(fmc_fit_law_find("empirical") == NULL);
    CHECK(fmc_fit_law_find("weibull") == NULL);
    CHECK(fmc_fit_law_find(NULL) == NULL);
    double rates[] = {0, 0.5, 1}, counts[] = {0, 3, 1}, real[] = {2, -0.5, 1};
    CHECK(fmc_fit_kind_of(rates, 3) == FMC_FIT_RATE);
    CHECK(fmc_fit_kind_of(counts, 3) == FMC_FIT_POSITIVE);
    CHECK(fmc_fit_kind_of(real, 3) == FMC_FIT_REAL);
    CHECK(strcmp(fmc_fit_kind_name(FMC_FIT_POSITIVE), "positive") == 0);
    /* every law of the list can be fitted, to rates that suit them all */
    double rates_inside[] = {0.21, 0.35, 0.28, 0.52, 0.19, 0.33, 0.41, 0.26};
    size_t count = 0;
    for (const fmc_dist_type *const *law = fmc_fit_laws; *law; law++, count++) {
        fmc_fit_result fit;
        CHECK(fmc_fit(rates_inside, 8, FMC_FIT_RATE, law, 1, &fit) == FMC_OK);
        CHECK(fit.count == 1 && fit.candidates[0].fitted && fit.candidates[0].law == *law);
        CHECK(fit.count == 1 && fit.candidates[0].dist.kind == *law);
        fmc_fit_result_clear(&fit);
    }
    CHECK(count == FMC_FIT_LAW_COUNT);
    for (int kind = FMC_FIT_RATE; kind <= FMC_FIT_GROWTH; kind++)
        for (const fmc_dist_type *const *law = fmc_fit_default_laws(kind); *law; law++)
            CHECK(fmc_fit_law_find((*law)->name) == *law);
}

/* A growth is fitted inside [-1, inf): ends clamped there, a normal
 * truncated there (its likelihood the truncated one), values below refused. */
static void growth_is_fitted_above_minus_one(void)
{
    double growth[] = {-0.2, 0.1, 0.05, -0.9, 0.3, 0.02, -0.95, -0.6};
    fmc_fit_result fit;
    REQUIRE(fmc_fit(growth, 8, FMC_FIT_GROWTH, NULL, 0, &fit) == FMC_OK);
    for (size_t k = 0; k < fit.count; k++) {
        CHECK(fit.candidates[k].fitted);
        CHECK(fit.candidates[k].dist.min >= -1);
    }
    fmc_fit_result_clear(&fit);
    const fmc_dist_type *normal = FMC_DIST_NORMAL;
    REQUIRE(fmc_fit(growth, 8, FMC_FIT_GROWTH, &normal, 1, &fit) == FMC_OK);
    CHECK(fit.candidates[0].dist.min == -1);
    fmc_fit_result real;
    REQUIRE(fmc_fit(growth, 8, FMC_FIT_REAL, &normal, 1, &real) == FMC_OK);
    /* the truncated law's likelihood differs from the untruncated one's */
    CHECK(fit.candidates[0].log_likelihood != real.candidates[0].log_likelihood);
    fmc_fit_result_clear(&real);
    fmc_fit_result_clear(&fit);
    growth[3] = -1.2;
    CHECK(fmc_fit(growth, 8, FMC_FIT_GROWTH, NULL, 0, &fit) == FMC_EINVAL);
    CHECK(fit.bad_value == 3);
    fmc_fit_result_clear(&fit);
}

TEST_MAIN_BEGIN
RUN_TEST(estimates_lie_within_their_standard_errors_of_the_truth);
RUN_TEST(standard_errors_match_the_spread_over_replications);
RUN_TEST(true_law_ranks_first_in_most_small_samples);
RUN_TEST(ranking_puts_fitted_laws_first_by_aic);
RUN_TEST(goodness_of_fit_tells_a_wrong_law);
RUN_TEST(ks_p_values_are_conservative);
RUN_TEST(errors_name_the_value_at_fault);
RUN_TEST(law_names_and_kinds);
RUN_TEST(growth_is_fitted_above_minus_one);
TEST_MAIN_END
