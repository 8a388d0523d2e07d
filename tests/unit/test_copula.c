/* The Gaussian copula: the Spearman correlations of its draws against the
 * requested ones (sample ranks, with their standard errors), a closed form
 * (the mean of a product of correlated lognormals), exact marginals, the
 * groups, the refusal of a matrix that is not positive definite with
 * Higham's nearest one, and the words it leaves alone. */
#include <gsl/gsl_cdf.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "funnelmc/copula.h"
#include "funnelmc/sampler.h"
#include "funnelmc/stream.h"

#define PI 3.14159265358979323846

static double linear_of_rank(double rank)
{
    return 2 * sin(PI * rank / 6);
}

/* SLOTS columns of N words of the main stream of SEED. */
static void fill_words(uint64_t seed, size_t n, size_t slots, uint32_t **words)
{
    for (size_t j = 0; j < slots; j++) {
        words[j] = malloc(n * sizeof **words);
        REQUIRE(words[j]);
    }
    fmc_stream_fill(seed, FMC_PURPOSE_SAMPLES, 0, n, slots, words);
}

static void free_words(size_t slots, uint32_t **words)
{
    for (size_t j = 0; j < slots; j++)
        free(words[j]);
}

static fmc_copula *copula_of(size_t quantities, const fmc_rank_correlation *pairs, size_t count)
{
    fmc_copula *copula = NULL;
    REQUIRE(fmc_copula_alloc(quantities, pairs, count, &copula, NULL) == FMC_OK);
    return copula;
}

typedef struct ranked {
    double value;
    size_t index;
} ranked;

static int by_value(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return x->value < y->value ? -1 : x->value > y->value ? 1 : (x->index > y->index) - (x->index < y->index);
}

/* RANK[i] = the mid-rank of x[i] among X, over N (in (0, 1]); ORDER the
 * indices by value. */
static void ranks_of(const double *x, size_t n, double *rank, size_t *order)
{
    ranked *r = malloc(n * sizeof *r);
    REQUIRE(r);
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){x[i], i};
    qsort(r, n, sizeof *r, by_value);
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && r[end].value == r[start].value)
            end++;
        for (size_t k = start; k < end; k++) {
            rank[r[k].index] = (double)(start + end + 1) / 2 / (double)n;
            order[k] = r[k].index;
        }
        start = end;
    }
    free(r);
}

/* G1[i] = mean over j of g[j] 1{x_j >= x_i}, along ORDER (x ascending). */
static void upper_means(const size_t *order, const double *g, size_t n, double *g1)
{
    double sum = 0;
    for (size_t k = n; k-- > 0;) {
        sum += g[order[k]];
        g1[order[k]] = sum / (double)n;
    }
}

/* The sample Spearman correlation of X and Y (Pearson's of their mid-ranks)
 * and its standard error.  As a functional of the joint law H with margins
 * F and G, rho = 12 E[F(X) G(Y)] - 3, whose influence function at (x, y) is
 * 12 (F(x) G(y) + E[G(Y) 1{X >= x}] + E[F(X) 1{Y >= y}]) minus a constant
 * (differentiate E_H[F_H G_H] along H + e (delta_xy - H): the point moves
 * the mean and both margins).  se = sd(psi) / sqrt(n), with empirical F, G
 * and expectations. */
static void spearman(const double *x, const double *y, size_t n, double *rho, double *se)
{
    double *buffer = malloc(4 * n * sizeof *buffer);
    size_t *order = malloc(2 * n * sizeof *order);
    REQUIRE(buffer && order);
    double *f = buffer, *g = f + n, *f1 = g + n, *g1 = f1 + n;
    ranks_of(x, n, f, order);
    ranks_of(y, n, g, order + n);
    upper_means(order, g, n, g1);
    upper_means(order + n, f, n, f1);
    double mf = 0, mg = 0, fg = 0, ff = 0, gg = 0;
    for (size_t i = 0; i < n; i++) {
        mf += f[i] / (double)n;
        mg += g[i] / (double)n;
    }
    double psi_mean = 0, psi_squares = 0;
    for (size_t i = 0; i < n; i++) {
        fg += (f[i] - mf) * (g[i] - mg);
        ff += (f[i] - mf) * (f[i] - mf);
        gg += (g[i] - mg) * (g[i] - mg);
        double psi = 12 * (f[i] * g[i] + g1[i] + f1[i]);
        psi_mean += psi;
        psi_squares += psi * psi;
    }
    psi_mean /= (double)n;
    *rho = fg / sqrt(ff * gg);
    *se = sqrt((psi_squares / (double)n - psi_mean * psi_mean) / (double)n);
    free(buffer);
    free(order);
}

static void values_of(const fmc_dist *dist, const uint32_t *words, size_t n, double *values)
{
    fmc_sampler *sampler;
    REQUIRE(fmc_sampler_alloc(dist, &sampler) == FMC_OK);
    fmc_sampler_transform(sampler, words, values, n);
    fmc_sampler_free(sampler);
}

static void spearman_of_three_mixed_laws_is_the_one_requested(void)
{
    enum { N = 200000, SLOTS = 5 };
    /* quantities 0, 2, 4 correlated (lognormal, beta, gamma); 1 and 3 not */
    const fmc_rank_correlation pairs[] = {{0, 2, 0.55}, {4, 2, -0.35}, {0, 4, 0.2}};
    fmc_copula *copula = copula_of(SLOTS, pairs, 3);
    uint32_t *words[SLOTS], *plain[SLOTS];
    fill_words(2385, N, SLOTS, words);
    fill_words(2385, N, SLOTS, plain);
    fmc_copula_apply(copula, words, N);
    fmc_dist laws[SLOTS];
    REQUIRE(fmc_dist_set_lognormal(&laws[0], 120, 0.7, 0, INFINITY, NULL) == FMC_OK);
    REQUIRE(fmc_dist_set_beta(&laws[2], 2.385, 7.1, NULL) == FMC_OK);
    REQUIRE(fmc_dist_set_gamma(&laws[4], 1.7, 3.2, NULL) == FMC_OK);
    double *values[SLOTS] = {0};
    for (size_t j = 0; j < SLOTS; j += 2) {
        values[j] = malloc(N * sizeof **values);
        REQUIRE(values[j]);
        values_of(&laws[j], words[j], N, values[j]);
    }
    for (size_t p = 0; p < 3; p++) {
        double rho, se;
        spearman(values[pairs[p].first], values[pairs[p].second], N, &rho, &se);
        CHECK(se > 0.5 / sqrt(N) && se < 1.0 / sqrt(N));
        CHECK_NEAR(rho, pairs[p].rank, 4.5 * se);
    }
    /* the copula's first member and the independent quantities keep their words */
    for (size_t j = 0; j < 4; j++)
        CHECK((memcmp(words[j], plain[j], N * sizeof **words) == 0) == (j != 2));
    for (size_t j = 0; j < SLOTS; j += 2)
        free(values[j]);
    free_words(SLOTS, words);
    free_words(SLOTS, plain);
    fmc_copula_free(copula);
}

static int by_word(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Kolmogorov-Smirnov distance of the uniforms of N words from U(0, 1). */
static double ks_distance(const uint32_t *words, size_t n)
{
    uint32_t *sorted = malloc(n * sizeof *sorted);
    REQUIRE(sorted);
    memcpy(sorted, words, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by_word);
    double worst = 0;
    for (size_t k = 0; k < n; k++) {
        double u = fmc_word_to_uniform(sorted[k]);
        worst = fmax(worst, fmax(u - (double)k / (double)n, (double)(k + 1) / (double)n - u));
    }
    free(sorted);
    return worst;
}

static void every_correlated_word_stays_uniform(void)
{
    enum { N = 200000, SLOTS = 4 };
    const fmc_rank_correlation pairs[] = {{0, 1, -0.6}, {1, 2, 0.5}, {0, 3, 0.35}};
    fmc_copula *copula = copula_of(SLOTS, pairs, 3);
    uint32_t *words[SLOTS];
    fill_words(77, N, SLOTS, words);
    fmc_copula_apply(copula, words, N);
    const double tail = 0x1p-10;  /* share of the words below 2^22, and above 2^32 - 2^22 */
    for (size_t j = 0; j < SLOTS; j++) {
        /* sqrt(n) D > 1.95 has probability 0.001 (Kolmogorov's law) */
        CHECK(sqrt(N) * ks_distance(words[j], N) < 1.95);
        double low = 0, high = 0;
        for (size_t i = 0; i < N; i++) {
            low += words[j][i] < (UINT32_C(1) << 22);
            high += words[j][i] >= UINT32_MAX - (UINT32_C(1) << 22) + 1;
        }
        double se = sqrt(N * tail * (1 - tail));
        CHECK_NEAR(low, N * tail, 4.5 * se);
        CHECK_NEAR(high, N * tail, 4.5 * se);
    }
    free_words(SLOTS, words);
    fmc_copula_free(copula);
}

/* Quantities 0 .. QUANTITIES - 1 (inputs, then numbers drawn apart) with
 * their words WORDS and laws LAWS: the Spearman correlation of each pair of
 * PAIRS is the requested one, within 4.5 standard errors. */
static void check_pairs(const fmc_rank_correlation *pairs, size_t count, uint32_t *const *words,
                        const fmc_dist *laws, size_t quantities, size_t n)
{
    double *values[8] = {0};
    REQUIRE(quantities <= 8);
    for (size_t j = 0; j < quantities; j++) {
        values[j] = malloc(n * sizeof **values);
        REQUIRE(values[j]);
        values_of(&laws[j], words[j], n, values[j]);
    }
    for (size_t p = 0; p < count; p++) {
        double rho, se;
        spearman(values[pairs[p].first], values[pairs[p].second], n, &rho, &se);
        CHECK(se > 0.5 / sqrt((double)n) && se < 1.0 / sqrt((double)n));
        CHECK_NEAR(rho, pairs[p].rank, 4.5 * se);
    }
    for (size_t j = 0; j < quantities; j++)
        free(values[j]);
}

/* Input 1 (of 2) and number 2, drawn on its own stream, correlated: the
 * conditional draw gives their rank correlation, the number's words stay
 * uniform (its law is kept), the inputs' words are not touched. */
static void a_number_drawn_apart_takes_its_correlation_with_an_input_and_keeps_its_law(void)
{
    enum { N = 200000, INPUTS = 2 };
    const fmc_rank_correlation pair = {1, 2, -0.45};
    fmc_copula *copula = copula_of(INPUTS + 1, &pair, 1);
    uint32_t *words[INPUTS + 1], *plain[INPUTS];
    fill_words(2385, N, INPUTS, words);
    fill_words(2385, N, INPUTS, plain);
    fill_words(911, N, 1, words + INPUTS);  /* another stream */
    fmc_copula_apply_quantities(copula, INPUTS, (const uint32_t *const *)words, words + INPUTS, N);
    fmc_dist laws[INPUTS + 1];
    REQUIRE(fmc_dist_set_lognormal(&laws[0], 120, 0.7, 0, INFINITY, NULL) == FMC_OK);
    REQUIRE(fmc_dist_set_beta(&laws[1], 2.385, 7.1, NULL) == FMC_OK);
    REQUIRE(fmc_dist_set_gamma(&laws[2], 1.7, 3.2, NULL) == FMC_OK);
    check_pairs(&pair, 1, words, laws, INPUTS + 1, N);
    CHECK(sqrt(N) * ks_distance(words[INPUTS], N) < 1.95);
    for (size_t j = 0; j < INPUTS; j++)
        CHECK(memcmp(words[j], plain[j], N * sizeof **words) == 0);
    free_words(INPUTS + 1, words);
    free_words(INPUTS, plain);
    fmc_copula_free(copula);
}

/* Two correlated inputs, correlated by the copula of their own pair, and
 * number 2 correlated with both, drawn conditionally: the 3 x 3 rank
 * matrix is the requested one.  Numbers 3 and 4, correlated with each
 * other alone: the first keeps its raw words, the second takes the rank
 * correlation. */
static void two_inputs_and_a_number_drawn_apart_have_the_requested_rank_matrix(void)
{
    enum { N = 200000, INPUTS = 2, QUANTITIES = 5 };
    const fmc_rank_correlation pairs[] = {{0, 1, 0.5}, {0, 2, -0.3}, {1, 2, 0.4}, {3, 4, 0.6}};
    fmc_copula *inputs = copula_of(INPUTS, pairs, 1);
    fmc_copula *all = copula_of(QUANTITIES, pairs, 4);
    CHECK(fmc_copula_group_count(all) == 2);
    uint32_t *words[QUANTITIES], *raw[QUANTITIES - INPUTS];
    fill_words(4242, N, INPUTS, words);
    fill_words(17, N, QUANTITIES - INPUTS, words + INPUTS);
    fill_words(17, N, QUANTITIES - INPUTS, raw);
    fmc_copula_apply(inputs, words, N);
    fmc_copula_apply_quantities(all, INPUTS, (const uint32_t *const *)words, words + INPUTS, N);
    fmc_dist laws[QUANTITIES];
    REQUIRE(fmc_dist_set_lognormal(&laws[0], 40, 1.1, 0, INFINITY, NULL) == FMC_OK);
    REQUIRE(fmc_dist_set_beta(&laws[1], 3.3, 1.9, NULL) == FMC_OK);
    REQUIRE(fmc_dist_set_gamma(&laws[2], 2.385, 0.8, NULL) == FMC_OK);
    REQUIRE(fmc_dist_set_beta(&laws[3], 1.4, 2.2, NULL) == FMC_OK);
    REQUIRE(fmc_dist_set_gamma(&laws[4], 0.9, 5.0, NULL) == FMC_OK);
    check_pairs(pairs, 4, words, laws, QUANTITIES, N);
    for (size_t j = INPUTS; j < QUANTITIES; j++)
        CHECK(sqrt(N) * ks_distance(words[j], N) < 1.95);
    CHECK(memcmp(words[3], raw[3 - INPUTS], N * sizeof **words) == 0);
    free_words(QUANTITIES, words);
    free_words(QUANTITIES - INPUTS, raw);
    fmc_copula_free(inputs);
    fmc_copula_free(all);
}

/* X = exp(mu_x + s_x Z_x), Y = exp(mu_y + s_y Z_y), corr(Z_x, Z_y) = r:
 * E[XY] = exp(mu_x + mu_y + (s_x^2 + s_y^2) / 2 + r s_x s_y), with r the
 * normal-scale correlation of the requested rank correlation. */
static void two_correlated_lognormals_have_the_mean_product_of_their_normal_correlation(void)
{
    enum { N = 1 << 20, SLOTS = 2 };
    const double mu_x = 1.3, s_x = 0.8, mu_y = -0.4, s_y = 0.6, rank = 0.5;
    const fmc_rank_correlation pair = {0, 1, rank};
    fmc_copula *copula = copula_of(SLOTS, &pair, 1);
    uint32_t *words[SLOTS];
    fill_words(4242, N, SLOTS, words);
    fmc_copula_apply(copula, words, N);
    double sum = 0, squares = 0;
    for (size_t i = 0; i < N; i++) {
        double x = exp(mu_x + s_x * gsl_cdf_ugaussian_Pinv(fmc_word_to_uniform(words[0][i])));
        double y = exp(mu_y + s_y * gsl_cdf_ugaussian_Pinv(fmc_word_to_uniform(words[1][i])));
        sum += x * y;
        squares += x * y * x * y;
    }
    double mean = sum / N, se = sqrt((squares / N - mean * mean) / (N - 1));
    double r = linear_of_rank(rank);
    double expected = exp(mu_x + mu_y + (s_x * s_x + s_y * s_y) / 2 + r * s_x * s_y);
    CHECK_NEAR(mean, expected, 4.5 * se);
    free_words(SLOTS, words);
    fmc_copula_free(copula);
}

static void groups_are_the_connected_sets_in_order_of_their_smallest_member(void)
{
    const fmc_rank_correlation pairs[] = {{5, 2, 0.3}, {2, 7, -0.2}, {0, 3, 0.6}};
    fmc_copula *copula = copula_of(8, pairs, 3);
    CHECK(fmc_copula_group_count(copula) == 2);
    size_t count;
    const size_t *members = fmc_copula_group_members(copula, 0, &count);
    CHECK(count == 2 && members[0] == 0 && members[1] == 3);
    members = fmc_copula_group_members(copula, 1, &count);
    CHECK(count == 3 && members[0] == 2 && members[1] == 5 && members[2] == 7);
    const long expected[8] = {0, -1, 1, 0, -1, 1, -1, 1};
    for (size_t q = 0; q < 8; q++)
        CHECK(fmc_copula_group_of(copula, q) == expected[q]);
    fmc_copula_free(copula);
}

static void a_group_without_words_is_left_alone_and_the_others_are_correlated(void)
{
    enum { N = 4096, SLOTS = 4 };
    const fmc_rank_correlation pairs[] = {{0, 1, 0.9}, {2, 3, -0.9}};
    fmc_copula *copula = copula_of(SLOTS, pairs, 2);
    uint32_t *words[SLOTS], *plain[SLOTS];
    fill_words(11, N, SLOTS, words);
    fill_words(11, N, SLOTS, plain);
    uint32_t *some[SLOTS] = {NULL, NULL, words[2], words[3]};
    fmc_copula_apply(copula, some, N);
    CHECK(memcmp(words[0], plain[0], N * sizeof **words) == 0);
    CHECK(memcmp(words[1], plain[1], N * sizeof **words) == 0);
    CHECK(memcmp(words[2], plain[2], N * sizeof **words) == 0);
    CHECK(memcmp(words[3], plain[3], N * sizeof **words) != 0);
    free_words(SLOTS, words);
    free_words(SLOTS, plain);
    fmc_copula_free(copula);
}

/* Each sample's words depend on its own words alone (any cut of the
 * samples gives the same bits), and the map is odd: mirrored words give
 * mirrored words. */
static void samples_are_transformed_alone_and_mirrors_give_mirrors(void)
{
    enum { N = 50000, SLOTS = 3 };
    const fmc_rank_correlation pairs[] = {{0, 1, 0.62}, {1, 2, -0.41}, {0, 2, -0.13}};
    fmc_copula *copula = copula_of(SLOTS, pairs, 3);
    uint32_t *whole[SLOTS], *cut[SLOTS], *mirror[SLOTS];
    fill_words(5, N, SLOTS, whole);
    fill_words(5, N, SLOTS, cut);
    fill_words(5, N, SLOTS, mirror);
    for (size_t j = 0; j < SLOTS; j++)
        for (size_t i = 0; i < N; i++)
            mirror[j][i] = ~mirror[j][i];
    fmc_copula_apply(copula, whole, N);
    fmc_copula_apply(copula, mirror, N);
    const size_t cuts[] = {0, 1, 999, 4096, N};
    for (size_t c = 0; c + 1 < sizeof cuts / sizeof *cuts; c++) {
        uint32_t *at[SLOTS];
        for (size_t j = 0; j < SLOTS; j++)
            at[j] = cut[j] + cuts[c];
        fmc_copula_apply(copula, at, cuts[c + 1] - cuts[c]);
    }
    size_t unmirrored = 0;
    for (size_t j = 0; j < SLOTS; j++) {
        CHECK(memcmp(whole[j], cut[j], N * sizeof **whole) == 0);
        for (size_t i = 0; i < N; i++)
            unmirrored += mirror[j][i] != (uint32_t)~whole[j][i];
    }
    CHECK(unmirrored == 0);
    free_words(SLOTS, whole);
    free_words(SLOTS, cut);
    free_words(SLOTS, mirror);
    fmc_copula_free(copula);
}

static double frobenius(const double *a, const double *b, size_t n)
{
    double sum = 0;
    for (size_t k = 0; k < n * n; k++)
        sum += (a[k] - b[k]) * (a[k] - b[k]);
    return sqrt(sum);
}

/* The problem of a refused matrix: its group, what was asked, and a nearest
 * matrix that is rounded as it says, accepted, and no farther from what
 * was asked than the identity is. */
static void check_problem(const fmc_copula_problem *problem, const fmc_rank_correlation *pairs,
                          size_t count)
{
    size_t n = problem->count;
    REQUIRE(n >= 2 && n <= 8);
    CHECK(problem->decimals >= 2 && problem->decimals <= 6);
    double identity[64] = {0};
    for (size_t i = 0; i < n; i++)
        identity[i * n + i] = 1;
    for (size_t p = 0; p < count; p++) {
        size_t i = 0, j = 0;
        while (i < n && problem->members[i] != pairs[p].first)
            i++;
        while (j < n && problem->members[j] != pairs[p].second)
            j++;
        REQUIRE(i < n && j < n);
        CHECK_EXACT(problem->requested[i * n + j], pairs[p].rank);
        CHECK_EXACT(problem->requested[j * n + i], pairs[p].rank);
    }
    fmc_rank_correlation nearest[28];
    size_t k = 0;
    double scale = pow(10, problem->decimals);
    for (size_t i = 0; i < n; i++) {
        CHECK_EXACT(problem->nearest[i * n + i], 1);
        CHECK_EXACT(problem->requested[i * n + i], 1);
        for (size_t j = i + 1; j < n; j++) {
            double rho = problem->nearest[i * n + j];
            CHECK_EXACT(problem->nearest[j * n + i], rho);
            CHECK_EXACT(rho, round(rho * scale) / scale);
            nearest[k++] = (fmc_rank_correlation){problem->members[i], problem->members[j], rho};
        }
    }
    fmc_copula *accepted = NULL;
    fmc_copula_problem again;
    CHECK(fmc_copula_alloc(problem->members[n - 1] + 1, nearest, k, &accepted, &again) == FMC_OK);
    CHECK(again.count == 0);
    fmc_copula_free(accepted);
    CHECK(frobenius(problem->nearest, problem->requested, n) <=
          frobenius(identity, problem->requested, n));
}

static void a_matrix_that_is_not_positive_definite_is_refused_with_the_nearest_valid_one(void)
{
    const fmc_rank_correlation pairs[] = {{1, 3, 0.9}, {1, 4, 0.9}, {3, 4, -0.9}};
    fmc_copula *copula = NULL;
    fmc_copula_problem problem;
    CHECK(fmc_copula_alloc(6, pairs, 3, &copula, &problem) == FMC_EINVAL);
    CHECK(copula == NULL);
    REQUIRE(problem.count == 3);
    CHECK(problem.members[0] == 1 && problem.members[1] == 3 && problem.members[2] == 4);
    check_problem(&problem, pairs, 3);
    fmc_copula_problem_clear(&problem);
    fmc_copula_problem_clear(&problem);
    CHECK(problem.count == 0 && problem.nearest == NULL);
    /* without a problem to fill, refused all the same */
    CHECK(fmc_copula_alloc(6, pairs, 3, &copula, NULL) == FMC_EINVAL);
}

/* Three equal linear correlations a give eigenvalues 1 + 2a and 1 - a
 * (twice): for a < -1/2 the nearest correlation matrix keeps the symmetry,
 * at a = -1/2 (its rank correlation (6 / pi) asin(-1/4) = -0.4826). */
static void the_nearest_matrix_of_three_equal_negative_correlations_is_minus_one_half(void)
{
    const fmc_rank_correlation pairs[] = {{0, 1, -0.9}, {0, 2, -0.9}, {1, 2, -0.9}};
    fmc_copula *copula = NULL;
    fmc_copula_problem problem;
    CHECK(fmc_copula_alloc(3, pairs, 3, &copula, &problem) == FMC_EINVAL);
    REQUIRE(problem.count == 3);
    check_problem(&problem, pairs, 3);
    double unit = pow(10, -problem.decimals);
    for (size_t k = 1; k < 9; k += 4)  /* entries (0, 1) and (1, 2) */
        CHECK_NEAR(problem.nearest[k], 6 / PI * asin(-0.25), 2 * unit);
    CHECK_EXACT(problem.nearest[2], problem.nearest[1]);
    fmc_copula_problem_clear(&problem);
}

/* A pair the scenario leaves out counts as 0: two strong links through a
 * third quantity cannot both hold with it. */
static void a_pair_left_out_counts_as_uncorrelated(void)
{
    const fmc_rank_correlation chain[] = {{0, 1, 0.9}, {1, 2, 0.9}};
    fmc_copula *copula = NULL;
    fmc_copula_problem problem;
    CHECK(fmc_copula_alloc(3, chain, 2, &copula, &problem) == FMC_EINVAL);
    REQUIRE(problem.count == 3);
    CHECK_EXACT(problem.requested[2], 0);
    check_problem(&problem, chain, 2);
    CHECK(problem.nearest[2] > 0 && problem.nearest[1] < 0.9);
    fmc_copula_problem_clear(&problem);
}

static void malformed_pairs_are_refused_with_no_matrix_at_fault(void)
{
    const fmc_rank_correlation bad[][2] = {
        {{0, 0, 0.5}, {1, 2, 0.1}},       /* a quantity with itself */
        {{0, 4, 0.5}, {1, 2, 0.1}},       /* beyond the quantities */
        {{0, 1, 1.0}, {1, 2, 0.1}},       /* |rho| = 1 */
        {{0, 1, -1.5}, {1, 2, 0.1}},
        {{0, 1, NAN}, {1, 2, 0.1}},
        {{0, 1, 0.5}, {1, 0, 0.1}},       /* the same pair twice */
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        fmc_copula *copula = NULL;
        fmc_copula_problem problem;
        CHECK(fmc_copula_alloc(4, bad[k], 2, &copula, &problem) == FMC_EINVAL);
        CHECK(copula == NULL && problem.count == 0 && problem.members == NULL);
    }
    /* a chain one member longer than a group may be */
    fmc_rank_correlation chain[FMC_COPULA_MAX_GROUP];
    for (size_t q = 0; q < FMC_COPULA_MAX_GROUP; q++)
        chain[q] = (fmc_rank_correlation){q, q + 1, 0.1};
    fmc_copula *copula = NULL;
    fmc_copula_problem problem;
    CHECK(fmc_copula_alloc(FMC_COPULA_MAX_GROUP + 1, chain, FMC_COPULA_MAX_GROUP, &copula,
                           &problem) == FMC_EINVAL);
    CHECK(problem.count == 0);
    CHECK(fmc_copula_alloc(FMC_COPULA_MAX_GROUP, chain, FMC_COPULA_MAX_GROUP - 1, &copula,
                           NULL) == FMC_OK);
    fmc_copula_free(copula);
    fmc_copula *none = copula_of(4, NULL, 0);
    CHECK(fmc_copula_group_count(none) == 0);
    fmc_copula_free(none);
    fmc_copula_free(NULL);
    fmc_copula_problem_clear(NULL);
}

TEST_MAIN_BEGIN
RUN_TEST(spearman_of_three_mixed_laws_is_the_one_requested);
RUN_TEST(every_correlated_word_stays_uniform);
RUN_TEST(two_correlated_lognormals_have_the_mean_product_of_their_normal_correlation);
RUN_TEST(a_number_drawn_apart_takes_its_correlation_with_an_input_and_keeps_its_law);
RUN_TEST(two_inputs_and_a_number_drawn_apart_have_the_requested_rank_matrix);
RUN_TEST(groups_are_the_connected_sets_in_order_of_their_smallest_member);
RUN_TEST(a_group_without_words_is_left_alone_and_the_others_are_correlated);
RUN_TEST(samples_are_transformed_alone_and_mirrors_give_mirrors);
RUN_TEST(a_matrix_that_is_not_positive_definite_is_refused_with_the_nearest_valid_one);
RUN_TEST(the_nearest_matrix_of_three_equal_negative_correlations_is_minus_one_half);
RUN_TEST(a_pair_left_out_counts_as_uncorrelated);
RUN_TEST(malformed_pairs_are_refused_with_no_matrix_at_fault);
TEST_MAIN_END
