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
 * it through its own inverse CDF, and its word stays its rank.
 *
 * A matrix that is not positive definite is refused; the nearest valid
 * correlation matrix (Higham 2002, "Computing the nearest correlation
 * matrix", alternating projections with Dykstra's correction) is offered
 * in its place, in rank correlations. */
#ifndef FUNNELMC_COPULA_H
#define FUNNELMC_COPULA_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"

/* One requested correlation: quantities FIRST != SECOND, -1 < RANK < 1. */
typedef struct fmc_rank_correlation {
    size_t first, second;
    double rank;
} fmc_rank_correlation;

typedef struct fmc_copula fmc_copula;

/* Why a copula could not be built (FMC_EINVAL): the group whose matrix is
 * not positive definite, and the nearest valid matrix of rank correlations
 * for it.  Free with fmc_copula_problem_clear. */
typedef struct fmc_copula_problem {
    size_t count;        /* members of the group */
    size_t *members;     /* [count] quantities, ascending */
    double *requested;   /* [count][count] the rank correlations asked (1 on the diagonal) */
    double *nearest;     /* [count][count] the nearest valid ones */
} fmc_copula_problem;

void fmc_copula_problem_clear(fmc_copula_problem *problem);

/* Builds the copula of PAIRS (COUNT of them, no pair twice) over
 * QUANTITIES quantities.  FMC_OK and *OUT; FMC_EINVAL with *PROBLEM filled
 * when a group's matrix is not positive definite; FMC_ENOMEM. */
fmc_status fmc_copula_alloc(size_t quantities, const fmc_rank_correlation *pairs, size_t count,
                            fmc_copula **out, fmc_copula_problem *problem);
void fmc_copula_free(fmc_copula *copula);

/* Groups, and their members (quantities, ascending). */
size_t fmc_copula_group_count(const fmc_copula *copula);
const size_t *fmc_copula_group_members(const fmc_copula *copula, size_t group, size_t *count);
/* The group of QUANTITY, or -1 when it is correlated with nothing. */
long fmc_copula_group_of(const fmc_copula *copula, size_t quantity);

/* Correlates the words of COUNT samples in place: words[q][i] is the word
 * of quantity q for sample i.  Every group all of whose members have
 * words[q] != NULL is transformed; a group none of whose members has words
 * is left alone (the caller never passes part of a group).  Thread-safe. */
void fmc_copula_apply(const fmc_copula *copula, uint32_t *const *words, size_t count);

#endif
