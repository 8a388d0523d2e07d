/* Variance-based sensitivity: first- and total-order Sobol indices of single
 * inputs and of groups of inputs, from a pick-freeze design.
 *
 * Two independent N-row samples A and B of every input (purposes
 * FMC_PURPOSE_SOBOL_A and _B of the problem's draws, draws.h: plain Monte
 * Carlo, Latin hypercube or scrambled Sobol' points, A's and B's in
 * distinct dimensions of one design, row r being the design's sample r, so
 * rows can be made in any order by any thread); A_B^(i) is A with input i
 * (or the inputs of a group) taken from B.  With a = f(A), b = f(B), c = f(A_B^(i)) per row:
 *   first order, Saltelli et al. (2010):   V_i  = mean(b (c - a))
 *   total order, Jansen (1999):            VT_i = mean((a - c)^2) / 2
 *   variance, from A and B pooled:         V    = mean((a^2 + b^2) / 2) - mean((a + b) / 2)^2
 *   S_i = V_i / V,  ST_i = VT_i / V.
 * Outputs are shifted by a constant first (the mean of f over the first
 * block of A): indices do not change, the estimators' variance falls.
 * Confidence intervals by the delta method: each index is a smooth function
 * of three means (of the numerator's row terms, of (a^2 + b^2)/2 and of
 * (a + b)/2), whose covariances are accumulated alongside (normal
 * approximation; Janon et al. 2014 show the estimators are asymptotically
 * normal); measured coverage of 95 % intervals, product of four factors:
 * 0.929 at N = 2000, 0.947 at 8000, 0.952 at 32000 (tests/unit/test_sobol.c).
 * Estimates are reported as estimated: a small index may come out negative,
 * with its interval.
 *
 * Replicates: with a design of R > 1 replicates of n rows (lhs, qmc: rows
 * within a replicate are not independent, so the delta method's i.i.d.
 * variance does not hold), the estimates are those of all N = R n rows
 * pooled, and each index's standard error is the spread of its R
 * replicate estimates (each from its own n rows, an independent
 * randomisation): se = sd / sqrt(R), interval = estimate -+
 * t_{R-1, (1 + confidence) / 2} se (Owen 2013, "Monte Carlo theory,
 * methods and examples", ch. 17, randomised QMC).  Each block of rows lies
 * in one replicate (n a multiple of FMC_SOBOL_BLOCK), and is merged into
 * the pooled summary and into its replicate's, so the cost stays one
 * design's.
 *
 * Row blocks are summarised on their own and merged in block order (Chan,
 * Golub & LeVeque), so results are bit-identical for any thread count, and
 * memory does not grow with N.  Rows can be added in steps (for a stopping
 * rule) with the same result as adding them at once.
 *
 * Across processes (problem.team, team.h): every process makes the same
 * calls with the same problem; each round's blocks are cut among them, each
 * summarises its share, one message gives every process every block's
 * summary, and every process merges them all in block order: the same bits
 * on every process, for any number of processes and threads. */
#ifndef FUNNELMC_SOBOL_H
#define FUNNELMC_SOBOL_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/draws.h"
#include "funnelmc/error.h"
#include "funnelmc/sampler.h"
#include "funnelmc/team.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* Rows a model is called on, at most FMC_SOBOL_BLOCK at once. */
#define FMC_SOBOL_BLOCK 1024

/* Where the rows of one model call come from, for a model that draws more
 * values of the same rows than its columns (a horizon's inputs drawn each
 * period, horizon.h): they must come from the matrix (A or B) its column
 * came from, so that switching a column switches every draw of its input. */
typedef struct fmc_sobol_origin {
    uint64_t first;            /* the row index of the call's first row */
    const uint32_t *purposes;  /* [column] FMC_PURPOSE_SOBOL_A or _B (stream.h) */
    int thread;                /* the design's thread, 0 .. threads - 1: no
                                * other call runs on it at the same time */
} fmc_sobol_origin;

/* Evaluates the model on COUNT rows: inputs[j][r] is column j of row r,
 * ORIGIN says where they come from; writes output[r].  Called from several
 * threads at once. */
typedef void (*fmc_block_model)(void *context, const double *const *inputs, size_t count,
                                const fmc_sobol_origin *origin, double *output);

typedef struct fmc_sobol_problem {
    size_t column_count;                /* columns the model reads */
    fmc_sampler *const *samplers;       /* [column_count]; constants are drawn once */
    const size_t *factors;              /* columns whose indices are wanted */
    size_t factor_count;
    /* Groups: the members of group g are group_members[group_starts[g] ..
     * group_starts[g + 1]) (column numbers); group_starts has group_count + 1
     * entries.  May be NULL when group_count is 0. */
    const size_t *group_starts;
    const size_t *group_members;
    size_t group_count;
    fmc_block_model model;
    void *model_context;
    /* The processes that share the design, each making the same calls
     * (fmc_sobol_alloc and fmc_sobol_extend are then collective); NULL:
     * this process alone. */
    const fmc_team *team;
    /* How rows are drawn: design, copula, seed (draws->inputs ==
     * column_count); NULL: plain Monte Carlo with the seed of
     * fmc_sobol_alloc.  With R > 1 replicates, rows are extended to whole
     * replicates only (R points). */
    const fmc_draws *draws;
    /* [factor_count + group_count] (factors, then groups) 1 for an index
     * not estimated (reported NaN, no model runs): one whose swap would
     * split a set of correlated inputs; NULL: every index. */
    const unsigned char *undefined;
} fmc_sobol_problem;

/* One index estimate with its confidence interval. */
typedef struct fmc_sobol_estimate {
    double value;
    double se;        /* standard error (delta method) */
    double ci[2];     /* value -+ z se at the requested confidence */
} fmc_sobol_estimate;

typedef struct fmc_sobol_result {
    uint64_t rows;                    /* N, the base sample size */
    fmc_design design;                /* the rows' design; its replicates gave
                                       * every standard error when > 1 */
    size_t group_count;               /* of the problem */
    uint64_t model_runs;              /* model evaluations made */
    double mean, variance;            /* of the output, from A and B */
    double max_half_width;            /* widest interval's half-width, over every index */
    int precision_met;                /* set by callers that apply a stopping rule */
    fmc_sobol_estimate *first;        /* [factor_count] */
    fmc_sobol_estimate *total;        /* [factor_count] */
    fmc_sobol_estimate *group_first;  /* [group_count] */
    fmc_sobol_estimate *group_total;  /* [group_count] */
} fmc_sobol_result;

typedef struct fmc_sobol fmc_sobol;

/* Prepares a design for PROBLEM (copied by reference: it and its arrays must
 * outlive the design) with SEED on THREADS threads (0: OpenMP's default);
 * the model is called once here, on thread 0.
 * FMC_OK and *OUT (the caller frees it with fmc_sobol_free); or FMC_EINVAL
 * (no factor, a column out of range, or replicates whose points are not
 * whole blocks) or FMC_ENOMEM, *OUT untouched.
 * With a team, FMC_ENOMEM may come on some processes only: the caller
 * agrees the status (fmc_team_agree) before going on. */
fmc_status fmc_sobol_alloc(const fmc_sobol_problem *problem, uint64_t seed, int threads,
                           fmc_sobol **out);
/* SOBOL may be NULL. */
void fmc_sobol_free(fmc_sobol *sobol);

/* Evaluates rows up to (not including) row END; rows already done are kept.
 * FMC_OK or FMC_ENOMEM (the rows done before the failure are kept);
 * FMC_EINVAL when the design has replicates and END is not a whole number
 * of them. */
fmc_status fmc_sobol_extend(fmc_sobol *sobol, uint64_t end);

/* Rows evaluated so far. */
uint64_t fmc_sobol_rows(const fmc_sobol *sobol);

/* The estimates from the rows so far at CONFIDENCE (e.g. 0.95); allocates
 * the arrays of *OUT (the caller clears it with fmc_sobol_result_clear).
 * FMC_OK; FMC_EINVAL with fewer than two rows (two replicates with R > 1)
 * or a CONFIDENCE outside (0, 1), or FMC_ENOMEM, *OUT then empty. */
fmc_status fmc_sobol_estimate_all(const fmc_sobol *sobol, double confidence,
                                  fmc_sobol_result *out);
/* Releases what RESULT holds and empties it; RESULT may be NULL. */
void fmc_sobol_result_clear(fmc_sobol_result *result);

#pragma GCC visibility pop

#endif
