/* Distributions: exact quantiles against GSL's own inverse CDFs, moments
 * against closed forms, CDF and quantile as inverses, and every parameter
 * check provoked on purpose. */
#include <gsl/gsl_cdf.h>
#include <string.h>
#include "check.h"
#include "funnelmc/dist.h"
#include "law_cases.h"

static const double levels[] = {1e-9, 0.001, 0.0237, 0.25, 0.5, 0.61, 0.9, 0.999, 1 - 1e-9};
#define LEVEL_COUNT (sizeof levels / sizeof *levels)

static void quantiles_match_gsl_inverse_cdfs(void)
{
    fmc_dist d;
    for (size_t i = 0; i < LEVEL_COUNT; i++) {
        double p = levels[i];
        /* beta and gamma against closed forms, not against the GSL calls
         * dist.c makes: Beta(a, 1) has CDF x^a, Beta(1, b) 1 - (1 - x)^b */
        fmc_dist_set_beta(&d, 2.385, 1, NULL);
        CHECK_NEAR(fmc_dist_quantile(&d, p), pow(p, 1 / 2.385), 1e-12);
        fmc_dist_set_beta(&d, 1, 2.385, NULL);
        CHECK_NEAR(fmc_dist_quantile(&d, p), 1 - pow(1 - p, 1 / 2.385), 1e-12);
        /* Gamma(1, theta) is exponential; Gamma(2, theta) has CDF
         * 1 - e^(-x/theta) (1 + x/theta) */
        fmc_dist_set_gamma(&d, 1, 2.385, NULL);
        CHECK_NEAR(fmc_dist_quantile(&d, p), -2.385 * log1p(-p), 1e-12 * 2.385 * 40);
        fmc_dist_set_gamma(&d, 2, 2.385, NULL);
        double x = fmc_dist_quantile(&d, p) / 2.385;
        CHECK_NEAR(1 - exp(-x) * (1 + x), p, 1e-12);
        fmc_dist_set_normal(&d, 40, 5, -INFINITY, INFINITY, NULL);
        CHECK_NEAR(fmc_dist_quantile(&d, p), gsl_cdf_gaussian_Pinv(p, 5) + 40, 1e-12 * 40);
        fmc_dist_set_lognormal(&d, 1000, 0.4, 0, INFINITY, NULL);
        CHECK_NEAR(fmc_dist_quantile(&d, p), gsl_cdf_lognormal_Pinv(p, log(1000), 0.4),
                   1e-12 * gsl_cdf_lognormal_Pinv(p, log(1000), 0.4));
        fmc_dist_set_pert(&d, 8, 10, 14, 4, NULL);
        /* PERT: Beta(1 + 4 (10-8)/6, 1 + 4 (14-10)/6) on [8, 14] */
        CHECK_NEAR(fmc_dist_quantile(&d, p), 8 + 6 * gsl_cdf_beta_Pinv(p, 1 + 8.0 / 6, 1 + 16.0 / 6),
                   1e-13 * 14);
        fmc_dist_set_uniform(&d, 40, 60, NULL);
        CHECK_NEAR(fmc_dist_quantile(&d, p), gsl_cdf_flat_Pinv(p, 40, 60), 1e-13 * 60);
    }
}

static void upper_quantiles_keep_tiny_tail_probabilities(void)
{
    fmc_dist d;
    fmc_dist_set_beta(&d, 25, 75, NULL);
    CHECK_EXACT(fmc_dist_quantile_upper(&d, 1e-12), gsl_cdf_beta_Qinv(1e-12, 25, 75));
    fmc_dist_set_normal(&d, 0, 1, -INFINITY, INFINITY, NULL);
    CHECK_NEAR(fmc_dist_quantile_upper(&d, 1e-15), gsl_cdf_ugaussian_Qinv(1e-15), 1e-12);
    /* the lower form cannot even tell 1 - 1e-17 from 1 */
    CHECK(fmc_dist_quantile_upper(&d, 1e-17) > 8.4);
}

static void quantile_inverts_cdf_for_every_law(void)
{
    law_case cases[LAW_CASE_COUNT];
    REQUIRE(law_cases_init(cases) == 0);
    for (int k = 0; k < LAW_CASE_COUNT; k++) {
        const fmc_dist *d = &cases[k].dist;
        if (fmc_dist_is_discrete(d)) {
            /* smallest point whose cumulative probability reaches p */
            for (size_t i = 0; i < LEVEL_COUNT; i++) {
                double x = fmc_dist_quantile(d, levels[i]);
                CHECK(fmc_dist_cdf(d, x) >= levels[i]);
                CHECK(fmc_dist_cdf(d, nextafter(x, -INFINITY)) < levels[i]);
            }
            continue;
        }
        for (size_t i = 1; i + 1 < LEVEL_COUNT; i++) {
            double p = levels[i];
            double x = fmc_dist_quantile(d, p);
            if (fabs(fmc_dist_cdf(d, x) - p) > 1e-9 * fmax(p, 1e-3))
                fprintf(stderr, "  %s at p = %g\n", cases[k].label, p);
            CHECK_NEAR(fmc_dist_cdf(d, x), p, 1e-9 * fmax(p, 1e-3));
        }
    }
    law_cases_clear(cases);
}

static void quantile_from_a_nearby_guess_agrees_with_full_inversion(void)
{
    fmc_dist laws[3];
    fmc_dist_set_beta(&laws[0], 0.7, 3.2, NULL);
    fmc_dist_set_pert(&laws[1], 8, 10, 14, 4, NULL);
    fmc_dist_set_gamma(&laws[2], 0.6, 2.385, NULL);
    for (int l = 0; l < 3; l++)
        for (int upper = 0; upper < 2; upper++)
            for (int k = 1; k < 400; k++) {
                double p = 0.5 * pow((double)k / 400, 3);  /* crowded towards the tail */
                double exact = upper ? fmc_dist_quantile_upper(&laws[l], p)
                                     : fmc_dist_quantile(&laws[l], p);
                double near = fmc_dist_quantile_near(&laws[l], p, upper, exact * (1 + 1e-3));
                CHECK_NEAR(near, exact, 1e-13 * fabs(exact));
            }
    /* a guess outside the support falls back to the full inversion */
    CHECK_EXACT(fmc_dist_quantile_near(&laws[0], 0.3, 0, 7.0), fmc_dist_quantile(&laws[0], 0.3));
    CHECK_EXACT(fmc_dist_quantile_near(&laws[2], 0.3, 1, -1.0), fmc_dist_quantile_upper(&laws[2], 0.3));
    /* laws with fast inversions ignore the guess */
    fmc_dist normal;
    fmc_dist_set_normal(&normal, 40, 5, 20, 60, NULL);
    CHECK_EXACT(fmc_dist_quantile_near(&normal, 0.2, 0, 1e9), fmc_dist_quantile(&normal, 0.2));
}

static void moments_match_closed_forms(void)
{
    fmc_dist d;
    fmc_dist_set_triangular(&d, 80, 100, 130, NULL);
    CHECK_NEAR(fmc_dist_mean(&d), 310.0 / 3, 1e-12);
    CHECK_NEAR(fmc_dist_variance(&d), (6400 + 10000 + 16900 - 8000 - 10400 - 13000) / 18.0, 1e-10);
    fmc_dist_set_lognormal(&d, 1000, 0.4, 0, INFINITY, NULL);
    CHECK_NEAR(fmc_dist_mean(&d), 1000 * exp(0.08), 1e-9);
    CHECK_NEAR(fmc_dist_variance(&d), (exp(0.16) - 1) * 1e6 * exp(0.16), 1e-6);
    fmc_dist_set_lognormal_mean_sd(&d, 2.385, 1.7, 0, INFINITY, NULL);
    CHECK_NEAR(fmc_dist_mean(&d), 2.385, 1e-12);
    CHECK_NEAR(fmc_dist_variance(&d), 1.7 * 1.7, 1e-11);
    fmc_dist_set_beta_mean_sd(&d, 0.4, 0.05, NULL);
    CHECK_NEAR(fmc_dist_mean(&d), 0.4, 1e-15);
    CHECK_NEAR(fmc_dist_variance(&d), 0.0025, 1e-15);
    /* symmetric truncation keeps the mean; the variance shrinks by the
     * standard factor 1 - 2 a phi(a) / (2 Phi(a) - 1) at a = 4 */
    fmc_dist_set_normal(&d, 40, 5, 20, 60, NULL);
    CHECK_NEAR(fmc_dist_mean(&d), 40, 1e-12);
    double a = 4, shrink = 1 - 2 * a * exp(-a * a / 2) / sqrt(2 * 3.14159265358979323846) /
                                   (2 * gsl_cdf_ugaussian_P(a) - 1);
    CHECK_NEAR(fmc_dist_variance(&d), 25 * shrink, 1e-10);
    /* one-sided truncation at the mean: half-normal, mean mu + sigma sqrt(2/pi) */
    fmc_dist_set_normal(&d, 3, 2, 3, INFINITY, NULL);
    CHECK_NEAR(fmc_dist_mean(&d), 3 + 2 * sqrt(2 / 3.14159265358979323846), 1e-12);
    CHECK_NEAR(fmc_dist_variance(&d), 4 * (1 - 2 / 3.14159265358979323846), 1e-12);
    fmc_dist_set_pert(&d, 8, 10, 14, 4, NULL);
    CHECK_NEAR(fmc_dist_mean(&d), (8 + 4 * 10 + 14) / 6.0, 1e-12);
    fmc_dist_set_gamma(&d, 5.5, 1.7, NULL);
    CHECK_NEAR(fmc_dist_mean(&d), 9.35, 1e-12);
    CHECK_NEAR(fmc_dist_variance(&d), 5.5 * 1.7 * 1.7, 1e-12);
    fmc_dist_set_uniform(&d, 40, 60, NULL);
    CHECK_NEAR(fmc_dist_variance(&d), 400 / 12.0, 1e-12);
}

static void discrete_laws_merge_sort_and_weigh_points(void)
{
    const double values[] = {3, 1, 3, 2}, weights[] = {1, 2, 1, 0};
    fmc_dist d;
    REQUIRE(fmc_dist_set_discrete(&d, values, weights, 4, NULL) == FMC_OK);
    CHECK(d.count == 2);  /* the zero-weight 2 is dropped, the two 3s merged */
    CHECK_EXACT(d.points[0], 1);
    CHECK_EXACT(d.points[1], 3);
    CHECK_NEAR(d.cumulative[0], 0.5, 1e-15);
    CHECK_NEAR(fmc_dist_mean(&d), 2, 1e-15);
    CHECK_NEAR(fmc_dist_variance(&d), 1, 1e-15);
    CHECK_EXACT(fmc_dist_quantile(&d, 0.5), 1);
    CHECK_EXACT(fmc_dist_quantile(&d, 0.5000001), 3);
    fmc_dist copy;
    REQUIRE(fmc_dist_copy(&copy, &d) == FMC_OK);
    CHECK(copy.points != d.points);
    CHECK_EXACT(copy.points[1], 3);
    fmc_dist_clear(&copy);
    fmc_dist_clear(&d);

    const double data[] = {5, 1, 5, 9};
    CHECK(fmc_dist_set_empirical(&d, data, 4, NULL) == FMC_OK);
    CHECK_NEAR(fmc_dist_mean(&d), 5, 1e-15);
    CHECK_NEAR(fmc_dist_variance(&d), 8, 1e-14);
    CHECK_EXACT(fmc_dist_quantile(&d, 0.25), 1);
    CHECK_EXACT(fmc_dist_quantile(&d, 0.26), 5);
    fmc_dist_clear(&d);
}

/* Each bad parameter set must be refused, naming the parameter at fault. */
#define CHECK_REFUSED(call, expected_param)                                        \
    do {                                                                           \
        why.param = NULL;                                                          \
        CHECK((call) == FMC_EINVAL);                                               \
        CHECK(why.param && strcmp(why.param, expected_param) == 0);                \
        CHECK(why.message[0] != '\0');                                             \
    } while (0)

static void bad_parameters_are_refused_with_the_parameter_named(void)
{
    fmc_dist d;
    fmc_dist_problem why;
    const double one[] = {1}, negative[] = {-1}, zero[] = {0};
    CHECK_REFUSED(fmc_dist_set_constant(&d, NAN, &why), "value");
    CHECK_REFUSED(fmc_dist_set_uniform(&d, 5, 5, &why), "max");
    CHECK_REFUSED(fmc_dist_set_uniform(&d, INFINITY, 5, &why), "min");
    CHECK_REFUSED(fmc_dist_set_triangular(&d, 1, 5, 4, &why), "mode");
    CHECK_REFUSED(fmc_dist_set_triangular(&d, 4, 4, 1, &why), "max");
    CHECK_REFUSED(fmc_dist_set_pert(&d, 1, 2, 3, 0, &why), "lambda");
    CHECK_REFUSED(fmc_dist_set_normal(&d, 0, 0, -INFINITY, INFINITY, &why), "sd");
    CHECK_REFUSED(fmc_dist_set_normal(&d, 0, 1, 3, 2, &why), "max");
    CHECK_REFUSED(fmc_dist_set_normal(&d, 0, 1, 40, 41, &why), "min");
    CHECK_REFUSED(fmc_dist_set_lognormal(&d, -2, 0.4, 0, INFINITY, &why), "median");
    CHECK_REFUSED(fmc_dist_set_lognormal(&d, 2, 0, 0, INFINITY, &why), "sigma");
    CHECK_REFUSED(fmc_dist_set_lognormal(&d, 2, 0.4, -1, INFINITY, &why), "min");
    CHECK_REFUSED(fmc_dist_set_lognormal_mean_sd(&d, 0, 1, 0, INFINITY, &why), "mean");
    CHECK_REFUSED(fmc_dist_set_beta(&d, 0, 2, &why), "alpha");
    CHECK_REFUSED(fmc_dist_set_beta(&d, 2, -1, &why), "beta");
    CHECK_REFUSED(fmc_dist_set_beta_mean_sd(&d, 1.5, 0.1, &why), "mean");
    CHECK_REFUSED(fmc_dist_set_beta_mean_sd(&d, 0.4, 0.5, &why), "sd");
    CHECK(strstr(why.message, "not achievable") != NULL);
    /* GSL's beta inversion never returns for shapes near 1e180 */
    CHECK_REFUSED(fmc_dist_set_beta(&d, 1, 1e300, &why), "beta");
    CHECK_REFUSED(fmc_dist_set_beta(&d, 2e15, 1, &why), "alpha");
    CHECK_REFUSED(fmc_dist_set_beta_mean_sd(&d, 0.3, 1e-100, &why), "sd");
    CHECK_REFUSED(fmc_dist_set_pert(&d, 1, 2, 3, 1e200, &why), "lambda");
    CHECK_REFUSED(fmc_dist_set_gamma(&d, 0, 1, &why), "shape");
    CHECK_REFUSED(fmc_dist_set_gamma(&d, 1, -1, &why), "scale");
    CHECK_REFUSED(fmc_dist_set_discrete(&d, one, negative, 1, &why), "weights");
    CHECK_REFUSED(fmc_dist_set_discrete(&d, one, zero, 1, &why), "weights");
    CHECK_REFUSED(fmc_dist_set_discrete(&d, one, one, 0, &why), "values");
    CHECK_REFUSED(fmc_dist_set_empirical(&d, one, 0, &why), "data");
}

/* What dist.h promises of every row of the table, so that a new law cannot
 * be half-declared: every function set, names and keys unique, and a case
 * in law_cases.h (which the quantile, moment and sampler tests run). */
static void every_law_of_the_table_is_complete_and_found_by_its_name(void)
{
    law_case cases[LAW_CASE_COUNT];
    REQUIRE(law_cases_init(cases) == 0);
    size_t laws = 0;
    for (const fmc_dist_type *const *t = fmc_dist_types; *t; t++, laws++) {
        const fmc_dist_type *law = *t;
        CHECK(law->name && law->name[0]);
        CHECK(law->set && law->mean && law->variance && law->cdf && law->quantile);
        CHECK((law->sampling == FMC_SAMPLING_CLOSED_FORM) == (law->transform != NULL));
        CHECK(!law->roots || (law->roots->tail && law->roots->density && law->roots->bracket));
        CHECK(fmc_dist_type_find(law->name) == law);
        for (const fmc_dist_type *const *earlier = fmc_dist_types; earlier < t; earlier++)
            CHECK(strcmp((*earlier)->name, law->name) != 0);
        int forms = 0, covered = 0;
        CHECK(law->params[0].key != NULL);
        for (int i = 0; i < FMC_DIST_MAX_PARAMS && law->params[i].key; i++) {
            const fmc_dist_param *param = &law->params[i];
            forms |= 1 << param->form;
            CHECK(strcmp(param->key, "dist") != 0 && strcmp(param->key, "base") != 0);
            CHECK(param->required || !param->list);
            for (int j = 0; j < i; j++)
                CHECK(strcmp(law->params[j].key, param->key) != 0);
        }
        /* one parameterisation (form 0), or forms 1 and 2 */
        CHECK((forms & 6) == 0 || (forms & 6) == 6);
        for (int k = 0; k < LAW_CASE_COUNT; k++)
            covered |= cases[k].dist.kind == law;
        if (!covered)
            fprintf(stderr, "  no case of law_cases.h is a %s\n", law->name);
        CHECK(covered);
    }
    CHECK(laws >= 10);
    law_cases_clear(cases);
    CHECK(fmc_dist_type_find("weibull") == NULL);
    CHECK(fmc_dist_type_find("Beta") == NULL);
    CHECK(fmc_dist_type_find("") == NULL);
    CHECK(fmc_dist_type_find(NULL) == NULL);
    CHECK(strcmp(fmc_dist_kind_name(FMC_DIST_PERT), "pert") == 0);
    CHECK(strcmp(fmc_dist_kind_name(NULL), "unknown") == 0);
}

/* The descriptor's setter, as the scenario reader calls it, against the
 * public setters. */
static void descriptors_set_laws_as_their_setters_do(void)
{
    fmc_dist by_type, by_setter;
    fmc_dist_value beta[4] = {{0, NULL, 0}, {0, NULL, 0}, {0.4, NULL, 0}, {0.05, NULL, 0}};
    CHECK(fmc_dist_beta.set(&by_type, 2, beta, NULL) == FMC_OK);
    CHECK(fmc_dist_set_beta_mean_sd(&by_setter, 0.4, 0.05, NULL) == FMC_OK);
    CHECK(by_type.kind == FMC_DIST_BETA);
    CHECK_EXACT(by_type.shape1, by_setter.shape1);
    CHECK_EXACT(by_type.shape2, by_setter.shape2);
    fmc_dist_value lognormal[6] = {{2.385, NULL, 0}, {0.4, NULL, 0}, {0, NULL, 0},
                                   {0, NULL, 0},    {0.5, NULL, 0}, {6, NULL, 0}};
    CHECK(fmc_dist_lognormal.set(&by_type, 1, lognormal, NULL) == FMC_OK);
    CHECK(fmc_dist_set_lognormal(&by_setter, 2.385, 0.4, 0.5, 6, NULL) == FMC_OK);
    CHECK_EXACT(fmc_dist_quantile(&by_type, 0.3), fmc_dist_quantile(&by_setter, 0.3));
    /* discrete: as many weights as values, or the weights are at fault */
    const double values[] = {1, 2.385}, weights[] = {3};
    fmc_dist_value lists[2] = {{0, values, 2}, {0, weights, 1}};
    fmc_dist_problem why = {NULL, ""};
    CHECK(fmc_dist_discrete.set(&by_type, 0, lists, &why) == FMC_EINVAL);
    CHECK(why.param && strcmp(why.param, "weights") == 0);
    CHECK(strcmp(why.message, "1 weights given for 2 values") == 0);
    fmc_dist_clear(NULL);  /* harmless */
}

TEST_MAIN_BEGIN
RUN_TEST(quantiles_match_gsl_inverse_cdfs);
RUN_TEST(upper_quantiles_keep_tiny_tail_probabilities);
RUN_TEST(quantile_inverts_cdf_for_every_law);
RUN_TEST(quantile_from_a_nearby_guess_agrees_with_full_inversion);
RUN_TEST(moments_match_closed_forms);
RUN_TEST(discrete_laws_merge_sort_and_weigh_points);
RUN_TEST(bad_parameters_are_refused_with_the_parameter_named);
RUN_TEST(every_law_of_the_table_is_complete_and_found_by_its_name);
RUN_TEST(descriptors_set_laws_as_their_setters_do);
TEST_MAIN_END
