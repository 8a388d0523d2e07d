/* Correlated inputs through a Gaussian copula.
 *
 * The scenario gives rank (Spearman) correlations between pairs of
 * quantities (inputs and cost lines, numbered as fmc_scenario.inputs).
 * Quantities linked by correlations, directly or through others, form a
 * group (a connected component); each group has its matrix of linear
 * correlations of the copula, r = 2 sin(pi rho / 6) for a requested rank
 * correlation rho (0 where the scenario gives none), which makes the
 * Spearman correlation of the draws exactly rho (Pearson's identity for
 * normal pairs), and its Cholesky factor L (GSL).
 *
 * A sample's words u (uniforms, sampler.h) of a group become
 * z = Phi^-1(u), y = L z, u' = Phi(y): correlated uniforms, each still
 * exactly uniform, so every input keeps exactly the law the scenario gives
 * it through its own inverse CDF, and its word stays its rank.  The new
 * word is the one whose cell [w, w + 1) 2^-32 holds u'.  A group's first
 * member keeps its words bit for bit (y_1 = z_1).  Phi^-1 is Wichura's
 * AS241 (1988, relative error about 1e-16), Phi the complementary error
 * function; both are taken on the nearer tail, so the map is odd: the
 * mirrored words ~w of every member give the mirrored words (but where u'
 * falls exactly on a cell's edge).
 *
 * A matrix that is not positive definite is refused; the nearest valid
 * correlation matrix (Higham 2002, "Computing the nearest correlation
 * matrix", alternating projections with Dykstra's correction) is offered
 * in its place, in rank correlations.  A matrix counts as positive definite
 * when its Cholesky factor exists and its smallest eigenvalue is at least
 * FMC_COPULA_MIN_EIGENVALUE: a nearly singular one would make nearly
 * degenerate draws. */
#ifndef FUNNELMC_COPULA_H
#define FUNNELMC_COPULA_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* The smallest eigenvalue a group's matrix of linear correlations may have. */
#define FMC_COPULA_MIN_EIGENVALUE 1e-10
/* The most members a group may have (a scenario has at most
 * FMC_MAX_INPUTS = 74 quantities). */
#define FMC_COPULA_MAX_GROUP 96

/* One requested correlation: quantities FIRST != SECOND, -1 < RANK < 1. */
typedef struct fmc_rank_correlation {
    size_t first, second;
    double rank;
} fmc_rank_correlation;

typedef struct fmc_copula fmc_copula;

/* Why a copula could not be built (FMC_EINVAL): the group whose matrix is
 * not positive definite, and the nearest valid matrix of rank correlations
 * for it.  Free with fmc_copula_problem_clear.
 *
 * NEAREST is Higham's nearest correlation matrix to the group's linear one
 * (every entry, the ones the scenario left at 0 too), moved towards the
 * identity by about 10^-DECIMALS and rounded to DECIMALS decimals in rank
 * correlations: the fewest decimals (2 to 6) at which it is still positive
 * definite.  Printed with "%.*f", DECIMALS, it is a matrix that
 * fmc_copula_alloc accepts. */
typedef struct fmc_copula_problem {
    size_t count;        /* members of the group; 0 when no matrix was at fault */
    size_t *members;     /* [count] quantities, ascending */
    double *requested;   /* [count][count] the rank correlations asked (1 on the diagonal) */
    double *nearest;     /* [count][count] the nearest valid ones */
    int decimals;        /* of NEAREST's entries */
} fmc_copula_problem;

/* Releases what PROBLEM holds and empties it; PROBLEM may be NULL, and an
 * emptied (or zeroed) problem may be cleared again. */
void fmc_copula_problem_clear(fmc_copula_problem *problem);

/* Builds the copula of PAIRS (COUNT of them, no pair twice) over
 * QUANTITIES quantities.  FMC_OK and *OUT (free it with fmc_copula_free);
 * FMC_EINVAL when a group's matrix is not positive definite, with *PROBLEM
 * filled for the first such group (PROBLEM may be NULL), or when a pair
 * breaks the rules above or a group has more than FMC_COPULA_MAX_GROUP
 * members (PROBLEM then has count 0); FMC_ENOMEM; FMC_ENUMERIC when GSL's
 * eigensolver fails.  On failure *OUT is untouched, and *PROBLEM, when
 * given, owns what it holds (zeroed unless filled). */
fmc_status fmc_copula_alloc(size_t quantities, const fmc_rank_correlation *pairs, size_t count,
                            fmc_copula **out, fmc_copula_problem *problem);
/* Releases COPULA; NULL is harmless. */
void fmc_copula_free(fmc_copula *copula);

/* Groups, in the order of their smallest members, and their members
 * (quantities, ascending; the array is owned by the copula). */
size_t fmc_copula_group_count(const fmc_copula *copula);
const size_t *fmc_copula_group_members(const fmc_copula *copula, size_t group, size_t *count);
/* The group of QUANTITY, or -1 when it is correlated with nothing. */
long fmc_copula_group_of(const fmc_copula *copula, size_t quantity);

/* Correlates the words of COUNT samples in place: words[q][i] is the word
 * of quantity q for sample i.  Every group all of whose members have
 * words[q] != NULL is transformed; a group none of whose members has words
 * is left alone (the caller never passes part of a group).  Each sample's
 * new words depend on that sample's words alone.  Thread-safe: the copula
 * is only read. */
void fmc_copula_apply(const fmc_copula *copula, uint32_t *const *words, size_t count);

/* Quantities drawn apart from the inputs (a lever's uncertain numbers),
 * numbered after them: with INPUTS inputs, quantity INPUTS + k, in a
 * copula over both.  Their rows of the factor come after the inputs' in
 * every group, so the leading block of a group's L is the factor of its
 * inputs alone: the inputs' words keep the law they have under the copula
 * of the pairs between inputs only (an entry between inputs that no pair
 * names is 0 in both, and the Cholesky factor of a block-diagonal matrix
 * is the blocks' factors), which the caller applies to them with
 * fmc_copula_apply.  Such a quantity q is then drawn conditionally on
 * the inputs' correlated words u': y = Phi^-1(u') of the group's inputs,
 * z = L_in^-1 y (forward substitution) their independent normals,
 * z_q = Phi^-1(u_q) of q's own raw word, and
 *   y_q = sum over the group's earlier members j of L_qj z_j + L_qq z_q,
 *   u'_q = Phi(y_q)
 * (a group's first member keeps its raw word, as in fmc_copula_apply).
 * The joint law of (y, y_q) is the group's normal one, so q keeps its law
 * and its rank correlations are the requested ones.
 *
 * Correlates the words of such quantities for COUNT samples in place:
 * QUANTITY_WORDS[k][i] is quantity INPUTS + k's raw word of sample i (its
 * own stream), INPUT_WORDS[j][i] input j's word after fmc_copula_apply.
 * Every group with a member >= INPUTS is handled when all its members have
 * words (not NULL); the others are left alone.  Each sample's new words
 * depend on that sample's words alone.  Thread-safe. */
void fmc_copula_apply_quantities(const fmc_copula *copula, size_t inputs,
                                 const uint32_t *const *input_words,
                                 uint32_t *const *quantity_words, size_t count);

#pragma GCC visibility pop

#endif
