/* Laws fitted to data: maximum-likelihood fits of candidate laws to a
 * column of observed values, ranked by Akaike's information criterion
 * (AIC = 2 k - 2 log L, smallest first), each with its goodness of fit.
 * src/fit.c documents each law's estimator and the standard errors of
 * its parameters. */
#ifndef FUNNELMC_FIT_H
#define FUNNELMC_FIT_H

#include <stddef.h>
#include "funnelmc/dist.h"
#include "funnelmc/error.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* Fewest values a fit accepts. */
#define FMC_FIT_MIN_VALUES 5
#define FMC_FIT_MAX_PARAMS 3

/* What values may be: the input's range decides which laws are candidates
 * by default. */
typedef enum fmc_fit_kind {
    FMC_FIT_RATE,      /* in [0, 1] */
    FMC_FIT_POSITIVE,  /* >= 0: counts, money, hours */
    FMC_FIT_REAL,      /* any finite value */
    FMC_FIT_GROWTH     /* >= -1: a horizon's growth per period; laws as REAL's, all
                        * inside [-1, inf) (a normal truncated there) */
} fmc_fit_kind;

/* The FMC_FIT_LAW_COUNT laws fmc_fit can fit (uniform, triangular, normal,
 * lognormal, beta, gamma), in the table order of dist.h, then NULL. */
#define FMC_FIT_LAW_COUNT 6
extern const fmc_dist_type *const fmc_fit_laws[FMC_FIT_LAW_COUNT + 1];

/* The fittable law named NAME, or NULL when NAME is no law or a law that
 * cannot be fitted (constant, pert, discrete, empirical). */
const fmc_dist_type *fmc_fit_law_find(const char *name);

/* "rate", "positive" or "real". */
const char *fmc_fit_kind_name(fmc_fit_kind kind);

/* The narrowest kind holding every one of the N values: rate when all lie
 * in [0, 1], else positive when all are >= 0, else real. */
fmc_fit_kind fmc_fit_kind_of(const double *values, size_t n);

/* One candidate's fit.  PARAMETER_NAMES are the scenario keys that write
 * the fitted law with `dist: <law>` (normal: mean, sd; lognormal: median,
 * sigma; beta: alpha, beta; gamma: shape, scale; uniform: min, max;
 * triangular: min, mode, max).  A normal fitted to a rate or positive kind
 * is truncated to the kind's range, which DIST's min and max hold and the
 * scenario writes with the keys min and max; its mean and sd are those of
 * the untruncated law, as the scenario's keys are.  What the standard
 * errors of uniform's and triangular's ends are is said in src/fit.c. */
typedef struct fmc_fit_candidate {
    const fmc_dist_type *law;
    int fitted;            /* 0: the law cannot describe the data (REASON says why) */
    char reason[200];      /* as long as a setter's message (fmc_dist_problem) */
    fmc_dist dist;         /* the fitted law (when FITTED) */
    size_t parameter_count;
    const char *parameter_names[FMC_FIT_MAX_PARAMS];  /* scenario keys */
    double parameters[FMC_FIT_MAX_PARAMS];
    double parameter_se[FMC_FIT_MAX_PARAMS];  /* from the observed information */
    double log_likelihood;
    double aic;
    double ks;             /* Kolmogorov-Smirnov distance D_n */
    double ks_p;           /* its p-value (asymptotic Kolmogorov law; parameters
                            * estimated, so conservative) */
    double anderson_darling;  /* A^2 */
} fmc_fit_candidate;

/* fmc_fit_result.bad_value when no single value is at fault. */
#define FMC_FIT_NO_VALUE ((size_t)-1)

typedef struct fmc_fit_result {
    size_t value_count;
    /* After FMC_EINVAL: the index of the value at fault (not finite, or
     * outside the kind's range), or FMC_FIT_NO_VALUE; and what is wrong,
     * a lower-case phrase for the caller's message, which counts values
     * from 1 ("value 4 (12) is outside [0, 1]", "4 values: a fit needs at
     * least 5").  Empty after FMC_OK. */
    size_t bad_value;
    char problem[200];
    size_t count;                   /* candidates */
    fmc_fit_candidate *candidates;  /* fitted ones by AIC, best first (ties in
                                     * the order of dist.h's table); then the
                                     * others, in the order asked */
} fmc_fit_result;

/* The laws tried for KIND when the caller names none, ending with NULL. */
const fmc_dist_type *const *fmc_fit_default_laws(fmc_fit_kind kind);

/* Fits every law of LAWS (LAW_COUNT of them; NULL: the defaults of KIND) to
 * VALUES[0 .. N).  FMC_OK and *OUT (clear with fmc_fit_result_clear); or
 * FMC_EINVAL when N < FMC_FIT_MIN_VALUES, a value is not finite or outside
 * KIND's range, LAWS is empty or a law of it is NULL or not in
 * fmc_fit_laws, or no law could be fitted (*OUT then holds no candidates,
 * and BAD_VALUE and PROBLEM say why); FMC_ENOMEM (*OUT empty).  The defaults are for rate:
 * beta, uniform, triangular (no normal: beta takes every bell shape inside
 * [0, 1]); positive: lognormal, gamma, normal (truncated at 0), uniform,
 * triangular; real: normal, uniform, triangular.  Deterministic: no random
 * numbers are used. */
fmc_status fmc_fit(const double *values, size_t n, fmc_fit_kind kind,
                   const fmc_dist_type *const *laws, size_t law_count, fmc_fit_result *out);

/* Releases RESULT's candidates (and their laws) and leaves it empty;
 * RESULT may be NULL. */
void fmc_fit_result_clear(fmc_fit_result *result);

#pragma GCC visibility pop

#endif
