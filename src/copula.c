/* The Gaussian copula of copula.h.
 *
 * Rank to linear correlation: for a normal pair with correlation r,
 * Spearman's rho = (6 / pi) asin(r / 2) (Pearson 1907; Kruskal 1958,
 * "Ordinal measures of association", JASA 53), so r = 2 sin(pi rho / 6).
 *
 * Phi^-1 is Wichura's algorithm AS241, PPND16 (Applied Statistics 37, 1988,
 * 477-484), with its published coefficients, on t = min(u, 1 - u), which a
 * word gives exactly.  Since t >= 2^-33, r = sqrt(-ln t) <= 4.8: its third
 * rational function (r > 5) is never needed.  Phi is erfc (C99) on the
 * lower tail, so that neither tail loses digits.
 *
 * The nearest correlation matrix: Higham (2002), "Computing the nearest
 * correlation matrix -- a problem from finance", IMA J. Numer. Anal. 22,
 * 329-343, Algorithm 3.3 with W = I: alternating projections onto the
 * positive semidefinite matrices (eigenvalues clipped at 0) and the unit
 * diagonal, with Dykstra's correction on the first. */
#include "funnelmc/copula.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Higham's iteration stops when an iterate moves by less than this,
 * relative to its size (Frobenius norms), or after so many steps.  Each
 * step is an eigendecomposition (O(n^3)), and the iteration converges
 * linearly, in tens to a few thousand steps for the matrices of a
 * scenario; a cap of 10000 bounds the time a hopeless matrix can take, and
 * costs nothing in safety: suggest() checks the matrix it offers. */
#define NEAREST_TOLERANCE 1e-12
#define NEAREST_STEPS 10000
/* The most decimals a suggested matrix is rounded to. */
#define MAX_DECIMALS 6

typedef struct group {
    size_t count;
    size_t *members;  /* [count] ascending */
    double *factor;   /* [count][count] L, lower triangle */
} group;

struct fmc_copula {
    size_t quantities;
    long *group_of;   /* [quantities] */
    size_t group_count;
    group *groups;
};

static double linear_of_rank(double rank)
{
    return 2 * sin(M_PI * rank / 6);
}

static double rank_of_linear(double linear)
{
    return 6 / M_PI * asin(linear / 2);
}

/* ---- the transform ---- */

/* Wichura's AS241 on 0 < t <= 1/2: Phi^-1(t) <= 0. */
static double lower_tail_quantile(double t)
{
    double q = t - 0.5;
    if (q >= -0.425) {
        double r = 0.180625 - q * q;
        return q *
               (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r +
                     6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r +
                   1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r +
                 1.3314166789178437745e2) * r + 3.3871328727963666080e0) /
               (((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r +
                     3.9307895800092710610e4) * r + 2.1213794301586595867e4) * r +
                   5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r +
                 4.2313330701600911252e1) * r + 1.0);
    }
    double r = sqrt(-log(t)) - 1.6;
    return -(((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r +
                  2.41780725177450611770e-1) * r + 1.27045825245236838258e0) * r +
                3.64784832476320460504e0) * r + 5.76949722146069140550e0) * r +
              4.63033784615654529590e0) * r + 1.42343711074968357734e0) /
           (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r +
                 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r +
               6.89767334985100004550e-1) * r + 1.67638483018380384940e0) * r +
             2.05319162663775882187e0) * r + 1.0);
}

#define HALF_WORD (UINT32_C(1) << 31)

/* Phi^-1 of the word's uniform, from the nearer tail: ~w is the mirror. */
static double normal_of_word(uint32_t word)
{
    uint32_t lower = word < HALF_WORD ? word : ~word;
    double z = lower_tail_quantile(((double)lower + 0.5) * 0x1p-32);
    return word < HALF_WORD ? z : -z;
}

/* The word whose cell holds Phi(Y), from the nearer tail: the cell of
 * 1 - p is the mirror of the cell of p (but when p is on a cell's edge). */
static uint32_t word_of_normal(double y)
{
    double tail = 0.5 * erfc(fabs(y) * M_SQRT1_2);  /* <= 1/2 */
    uint32_t lower = (uint32_t)(tail * 0x1p32);
    return y > 0 ? ~lower : lower;
}

/* Samples are taken CHUNK at a time, one member after another: the
 * members' normals are independent work that the processor overlaps, and
 * y = L z becomes vector arithmetic: a fifth to a third faster than sample
 * by sample, with the same bits. */
#define CHUNK 32

static void group_apply(const group *g, uint32_t *const *words, size_t count)
{
    uint32_t *column[FMC_COPULA_MAX_GROUP];
    double z[FMC_COPULA_MAX_GROUP][CHUNK];
    for (size_t k = 0; k < g->count; k++)
        column[k] = words[g->members[k]];
    for (size_t start = 0; start < count; start += CHUNK) {
        size_t n = count - start < CHUNK ? count - start : CHUNK;
        for (size_t k = 0; k < g->count; k++)
            for (size_t i = 0; i < n; i++)
                z[k][i] = normal_of_word(column[k][start + i]);
        /* row 0 of L is (1, 0, ...): the first member keeps its words */
        for (size_t k = 1; k < g->count; k++) {
            const double *row = g->factor + k * g->count;
            double y[CHUNK] = {0};
            for (size_t j = 0; j <= k; j++)
                for (size_t i = 0; i < n; i++)
                    y[i] += row[j] * z[j][i];
            for (size_t i = 0; i < n; i++)
                column[k][start + i] = word_of_normal(y[i]);
        }
    }
}

void fmc_copula_apply(const fmc_copula *copula, uint32_t *const *words, size_t count)
{
    for (size_t g = 0; g < copula->group_count; g++) {
        const group *gr = &copula->groups[g];
        size_t given = 0;
        for (size_t k = 0; k < gr->count; k++)
            given += words[gr->members[k]] != NULL;
        if (given == gr->count)
            group_apply(gr, words, count);
    }
}

/* Group G's conditional draw of its members >= INPUTS (copula.h). */
static void group_apply_quantities(const group *g, size_t inputs,
                                   const uint32_t *const *input_words,
                                   uint32_t *const *quantity_words, size_t count)
{
    size_t n = g->count, leading = 0;
    while (leading < n && g->members[leading] < inputs)
        leading++;
    if (leading == n)
        return;
    for (size_t k = 0; k < n; k++)
        if (!(k < leading ? input_words[g->members[k]] : quantity_words[g->members[k] - inputs]))
            return;
    double z[FMC_COPULA_MAX_GROUP];
    for (size_t i = 0; i < count; i++) {
        /* forward substitution: L_in z = y of the inputs' correlated words */
        for (size_t k = 0; k < leading; k++) {
            const double *row = g->factor + k * n;
            double y = normal_of_word(input_words[g->members[k]][i]);
            for (size_t j = 0; j < k; j++)
                y -= row[j] * z[j];
            z[k] = y / row[k];
        }
        for (size_t k = leading; k < n; k++) {
            const double *row = g->factor + k * n;
            uint32_t *word = &quantity_words[g->members[k] - inputs][i];
            z[k] = normal_of_word(*word);
            if (k == 0)
                continue;
            double y = 0;
            for (size_t j = 0; j <= k; j++)
                y += row[j] * z[j];
            *word = word_of_normal(y);
        }
    }
}

void fmc_copula_apply_quantities(const fmc_copula *copula, size_t inputs,
                                 const uint32_t *const *input_words,
                                 uint32_t *const *quantity_words, size_t count)
{
    for (size_t g = 0; g < copula->group_count; g++)
        group_apply_quantities(&copula->groups[g], inputs, input_words, quantity_words, count);
}

/* ---- matrices ---- */

/* GSL's scratch for symmetric matrices of one size. */
typedef struct workspace {
    size_t n;
    gsl_matrix *a, *b, *c, *d, *x, *vectors;
    gsl_vector *values;
    gsl_eigen_symmv_workspace *eigen;
} workspace;

static void workspace_clear(workspace *w)
{
    gsl_matrix_free(w->a);
    gsl_matrix_free(w->b);
    gsl_matrix_free(w->c);
    gsl_matrix_free(w->d);
    gsl_matrix_free(w->x);
    gsl_matrix_free(w->vectors);
    gsl_vector_free(w->values);
    gsl_eigen_symmv_free(w->eigen);
}

static fmc_status workspace_init(workspace *w, size_t n)
{
    w->n = n;
    w->a = gsl_matrix_alloc(n, n);
    w->b = gsl_matrix_alloc(n, n);
    w->c = gsl_matrix_alloc(n, n);
    w->d = gsl_matrix_alloc(n, n);
    w->x = gsl_matrix_alloc(n, n);
    w->vectors = gsl_matrix_alloc(n, n);
    w->values = gsl_vector_alloc(n);
    w->eigen = gsl_eigen_symmv_alloc(n);
    if (w->a && w->b && w->c && w->d && w->x && w->vectors && w->values && w->eigen)
        return FMC_OK;
    workspace_clear(w);
    return FMC_ENOMEM;
}

/* Eigenvalues (ascending) and vectors of the symmetric A, into w->values
 * and w->vectors; A is left as it was. */
static fmc_status eigen(const gsl_matrix *a, workspace *w)
{
    gsl_matrix_memcpy(w->c, a);
    if (gsl_eigen_symmv(w->c, w->values, w->vectors, w->eigen))
        return FMC_ENUMERIC;
    gsl_eigen_symmv_sort(w->values, w->vectors, GSL_EIGEN_SORT_VAL_ASC);
    return FMC_OK;
}

/* LINEAR = the linear correlations of the rank correlations RANK
 * ([n][n]), with an exact unit diagonal (2 sin(pi / 6) is not 1 in
 * floating point). */
static void linear_of_ranks(const double *rank, gsl_matrix *linear)
{
    size_t n = linear->size1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            gsl_matrix_set(linear, i, j, i == j ? 1.0 : linear_of_rank(rank[i * n + j]));
}

/* *VALID = 1 when the rank correlations RANK ([n][n]) make a positive
 * definite linear matrix, whose Cholesky factor is then in the lower
 * triangle of w->a. */
static fmc_status factorise(const double *rank, workspace *w, int *valid)
{
    linear_of_ranks(rank, w->a);
    fmc_status status = eigen(w->a, w);
    if (status)
        return status;
    *valid = gsl_vector_get(w->values, 0) >= FMC_COPULA_MIN_EIGENVALUE &&
             gsl_linalg_cholesky_decomp1(w->a) == GSL_SUCCESS;
    return FMC_OK;
}

static double distance(const gsl_matrix *x, const gsl_matrix *y)
{
    double sum = 0;
    for (size_t i = 0; i < x->size1; i++)
        for (size_t j = 0; j < x->size2; j++) {
            double d = gsl_matrix_get(x, i, j) - gsl_matrix_get(y, i, j);
            sum += d * d;
        }
    return sqrt(sum);
}

/* Higham's nearest correlation matrix to the linear matrix of RANK, into
 * w->x: positive semidefinite with a unit diagonal exactly (the last
 * projection onto the semidefinite matrices, scaled to a unit diagonal). */
static fmc_status nearest_linear(const double *rank, workspace *w)
{
    size_t n = w->n;
    gsl_matrix *y = w->a, *correction = w->b, *r = w->d, *x = w->x;
    linear_of_ranks(rank, y);
    gsl_matrix_set_zero(correction);
    for (int step = 0; step < NEAREST_STEPS; step++) {
        /* R = Y - dS, X = P_S(R) = V max(D, 0) V', dS = X - R, Y' = P_U(X) */
        gsl_matrix_memcpy(r, y);
        gsl_matrix_sub(r, correction);
        fmc_status status = eigen(r, w);
        if (status)
            return status;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j <= i; j++) {
                double sum = 0;
                for (size_t k = 0; k < n; k++)
                    sum += gsl_matrix_get(w->vectors, i, k) * gsl_matrix_get(w->vectors, j, k) *
                           fmax(gsl_vector_get(w->values, k), 0);
                gsl_matrix_set(x, i, j, sum);
                gsl_matrix_set(x, j, i, sum);
            }
        gsl_matrix_memcpy(correction, x);
        gsl_matrix_sub(correction, r);
        gsl_matrix_memcpy(w->c, x);
        for (size_t i = 0; i < n; i++)
            gsl_matrix_set(w->c, i, i, 1.0);
        double moved = distance(w->c, y);
        gsl_matrix_memcpy(y, w->c);
        if (moved <= NEAREST_TOLERANCE * sqrt((double)n))
            break;
    }
    /* D^-1/2 X D^-1/2 stays semidefinite */
    for (size_t i = 0; i < n; i++)
        gsl_vector_set(w->values, i, 1 / sqrt(gsl_matrix_get(x, i, i)));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            gsl_matrix_set(x, i, j,
                           i == j ? 1.0
                                  : gsl_matrix_get(x, i, j) * gsl_vector_get(w->values, i) *
                                        gsl_vector_get(w->values, j));
    return FMC_OK;
}

/* NEAREST ([n][n] rank correlations) and its DECIMALS: Higham's matrix for
 * RANK, moved towards the identity and rounded (copula.h).  Below
 * MAX_DECIMALS the move is 10^-d, about what rounding changes, and is
 * checked; at MAX_DECIMALS it is what no rounding can undo (Weyl: rounding
 * a rank by 10^-d / 2 moves a linear correlation by at most (pi / 6) 10^-d,
 * every eigenvalue by at most (n - 1) times that). */
static fmc_status suggest(const double *rank, workspace *w, double *nearest, int *decimals)
{
    size_t n = w->n;
    fmc_status status = nearest_linear(rank, w);
    for (int d = 2; status == FMC_OK && d <= MAX_DECIMALS; d++) {
        double scale = pow(10, d);
        double move = (d < MAX_DECIMALS ? 1 : 1 + (double)(n - 1) * M_PI / 6) / scale;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double linear = (1 - move) * gsl_matrix_get(w->x, i, j);
                nearest[i * n + j] = i == j ? 1.0 : round(rank_of_linear(linear) * scale) / scale;
            }
        int valid = 0;
        status = factorise(nearest, w, &valid);
        if (status == FMC_OK && valid) {
            *decimals = d;
            return FMC_OK;
        }
    }
    return status ? status : FMC_ENUMERIC;
}

/* ---- building ---- */

void fmc_copula_problem_clear(fmc_copula_problem *problem)
{
    if (!problem)
        return;
    free(problem->members);
    free(problem->requested);
    free(problem->nearest);
    memset(problem, 0, sizeof *problem);
}

void fmc_copula_free(fmc_copula *copula)
{
    if (!copula)
        return;
    for (size_t g = 0; g < copula->group_count; g++) {
        free(copula->groups[g].members);
        free(copula->groups[g].factor);
    }
    free(copula->groups);
    free(copula->group_of);
    free(copula);
}

static int pairs_valid(size_t quantities, const fmc_rank_correlation *pairs, size_t count)
{
    for (size_t p = 0; p < count; p++) {
        const fmc_rank_correlation *a = &pairs[p];
        if (a->first >= quantities || a->second >= quantities || a->first == a->second ||
            !(fabs(a->rank) < 1))
            return 0;
        for (size_t q = 0; q < p; q++)
            if ((pairs[q].first == a->first && pairs[q].second == a->second) ||
                (pairs[q].first == a->second && pairs[q].second == a->first))
                return 0;
    }
    return 1;
}

static size_t root_of(size_t *parent, size_t q)
{
    while (parent[q] != q)
        q = parent[q] = parent[parent[q]];
    return q;
}

/* Connected components: each quantity's group in c->group_of (-1 when in
 * no pair), numbered by smallest member, and the groups' sizes.  A root is
 * always its component's smallest member. */
static fmc_status find_groups(fmc_copula *c, const fmc_rank_correlation *pairs, size_t count)
{
    size_t *parent = malloc((c->quantities + 1) * sizeof *parent);
    if (!parent)
        return FMC_ENOMEM;
    for (size_t q = 0; q < c->quantities; q++) {
        parent[q] = q;
        c->group_of[q] = -1;
    }
    for (size_t p = 0; p < count; p++) {
        size_t a = root_of(parent, pairs[p].first), b = root_of(parent, pairs[p].second);
        if (a < b)
            parent[b] = a;
        else
            parent[a] = b;
        c->group_of[pairs[p].first] = c->group_of[pairs[p].second] = 0;
    }
    for (size_t q = 0; q < c->quantities; q++) {
        if (c->group_of[q] < 0)
            continue;
        size_t root = root_of(parent, q);
        c->group_of[q] = root == q ? (long)c->group_count++ : c->group_of[root];
    }
    free(parent);
    c->groups = calloc(c->group_count, sizeof *c->groups);
    if (!c->groups)
        return FMC_ENOMEM;
    for (size_t q = 0; q < c->quantities; q++)
        if (c->group_of[q] >= 0)
            c->groups[c->group_of[q]].count++;
    return FMC_OK;
}

/* Group G's members, and its requested rank correlations into RANK
 * ([count][count]). */
static void group_matrix(const fmc_copula *c, size_t g, const fmc_rank_correlation *pairs,
                         size_t count, size_t *members, double *rank)
{
    size_t n = c->groups[g].count, k = 0;
    for (size_t q = 0; q < c->quantities; q++)
        if (c->group_of[q] == (long)g)
            members[k++] = q;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            rank[i * n + j] = i == j;
    for (size_t p = 0; p < count; p++) {
        if (c->group_of[pairs[p].first] != (long)g)
            continue;
        size_t i = 0, j = 0;
        while (members[i] != pairs[p].first)
            i++;
        while (members[j] != pairs[p].second)
            j++;
        rank[i * n + j] = rank[j * n + i] = pairs[p].rank;
    }
}

/* Builds group G's factor; when its matrix is not positive definite,
 * FMC_EINVAL with PROBLEM (when given) filled. */
static fmc_status build_group(fmc_copula *c, size_t g, const fmc_rank_correlation *pairs,
                              size_t count, fmc_copula_problem *problem)
{
    group *gr = &c->groups[g];
    size_t n = gr->count;
    if (n > FMC_COPULA_MAX_GROUP)
        return FMC_EINVAL;
    gr->members = malloc(n * sizeof *gr->members);
    gr->factor = calloc(n * n, sizeof *gr->factor);
    double *rank = malloc(n * n * sizeof *rank);
    workspace w;
    fmc_status status = gr->members && gr->factor && rank ? workspace_init(&w, n) : FMC_ENOMEM;
    if (status) {
        free(rank);
        return status;
    }
    group_matrix(c, g, pairs, count, gr->members, rank);
    int valid = 0;
    status = factorise(rank, &w, &valid);
    if (status == FMC_OK && valid) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j <= i; j++)
                gr->factor[i * n + j] = gsl_matrix_get(w.a, i, j);
    } else if (status == FMC_OK && !problem) {
        status = FMC_EINVAL;
    } else if (status == FMC_OK) {
        problem->nearest = malloc(n * n * sizeof *problem->nearest);
        problem->members = malloc(n * sizeof *problem->members);
        status = problem->nearest && problem->members
                     ? suggest(rank, &w, problem->nearest, &problem->decimals)
                     : FMC_ENOMEM;
        if (status == FMC_OK) {
            memcpy(problem->members, gr->members, n * sizeof *gr->members);
            problem->requested = rank;
            problem->count = n;
            rank = NULL;
            status = FMC_EINVAL;
        } else {
            fmc_copula_problem_clear(problem);
        }
    }
    workspace_clear(&w);
    free(rank);
    return status;
}

fmc_status fmc_copula_alloc(size_t quantities, const fmc_rank_correlation *pairs, size_t count,
                            fmc_copula **out, fmc_copula_problem *problem)
{
    if (problem)
        memset(problem, 0, sizeof *problem);
    if (!pairs_valid(quantities, pairs, count))
        return FMC_EINVAL;
    fmc_copula *c = calloc(1, sizeof *c);
    if (!c)
        return FMC_ENOMEM;
    c->quantities = quantities;
    c->group_of = malloc((quantities + 1) * sizeof *c->group_of);  /* never 0 bytes */
    fmc_status status = c->group_of ? find_groups(c, pairs, count) : FMC_ENOMEM;
    for (size_t g = 0; status == FMC_OK && g < c->group_count; g++)
        status = build_group(c, g, pairs, count, problem);
    if (status) {
        fmc_copula_free(c);
        return status;
    }
    *out = c;
    return FMC_OK;
}

size_t fmc_copula_group_count(const fmc_copula *copula)
{
    return copula->group_count;
}

const size_t *fmc_copula_group_members(const fmc_copula *copula, size_t group, size_t *count)
{
    *count = copula->groups[group].count;
    return copula->groups[group].members;
}

long fmc_copula_group_of(const fmc_copula *copula, size_t quantity)
{
    return copula->group_of[quantity];
}
