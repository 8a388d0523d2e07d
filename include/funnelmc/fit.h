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

/* Fewest values a fit accepts. */
#define FMC_FIT_MIN_VALUES 5
#define FMC_FIT_MAX_PARAMS 3

/* What values may be: the input's range decides which laws are candidates
 * by default. */
typedef enum fmc_fit_kind {
    FMC_FIT_RATE,      /* in [0, 1] */
    FMC_FIT_POSITIVE,  /* >= 0: counts, money, hours */
    FMC_FIT_REAL       /* any finite value */
} fmc_fit_kind;

/* One candidate's fit. */
typedef struct fmc_fit_candidate {
    const fmc_dist_type *law;
    int fitted;            /* 0: the law cannot describe the data (REASON says why) */
    char reason[120];
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

typedef struct fmc_fit_result {
    size_t value_count;
    size_t count;                   /* candidates */
    fmc_fit_candidate *candidates;  /* fitted ones by AIC, best first; then the
                                     * others */
} fmc_fit_result;

/* The laws tried for KIND when the caller names none, ending with NULL. */
const fmc_dist_type *const *fmc_fit_default_laws(fmc_fit_kind kind);

/* Fits every law of LAWS (LAW_COUNT of them; NULL: the defaults of KIND) to
 * VALUES[0 .. N).  FMC_OK and *OUT (clear with fmc_fit_result_clear); or
 * FMC_EINVAL when N < FMC_FIT_MIN_VALUES, a value is not finite or outside
 * KIND's range, or no law could be fitted (*OUT then empty); FMC_ENOMEM. */
fmc_status fmc_fit(const double *values, size_t n, fmc_fit_kind kind,
                   const fmc_dist_type *const *laws, size_t law_count, fmc_fit_result *out);

void fmc_fit_result_clear(fmc_fit_result *result);

#endif
