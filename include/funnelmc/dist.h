/* Probability distributions of uncertain inputs.
 *
 * A distribution is a plain value (fmc_dist) set up by one of the
 * fmc_dist_set_* functions, or from scenario parameters by its law's
 * fmc_dist_type, which check the parameters and, when they are not valid,
 * say which parameter is wrong and why.  Every distribution offers its exact
 * quantile function (from GSL's inverse CDFs or closed forms), CDF, mean and
 * variance.  Fast sampling lives in sampler.h, built from these exact
 * quantiles.
 *
 * Each law is one descriptor (fmc_dist_type: its name, scenario keys,
 * parameter checks, quantile, CDF, moments and sampler kind) in its own file
 * src/dist/<law>.c, and one row of the table in src/dist/table.c; the rest
 * of the library reaches a law only through its descriptor, as GSL reaches
 * its generators through gsl_rng_type.
 *
 * Adding a law (say "weibull"):
 *   1. write src/dist/weibull.c: its setter fmc_dist_set_weibull (checks
 *      with the helpers of src/dist/law.h, messages naming the key) and its
 *      descriptor `const fmc_dist_type fmc_dist_weibull` (every member as
 *      fmc_dist_type below says); add the file to src/CMakeLists.txt;
 *   2. declare both below, beside the others, with FMC_DIST_WEIBULL;
 *   3. add `&fmc_dist_weibull,` to the table in src/dist/table.c;
 *   4. add a case to tests/unit/law_cases.h, so that test_dist and
 *      test_sampler check its quantiles, moments and draws.
 * The scenario reader (its keys, forms and messages), the list of known
 * laws, the sampler and the table's completeness test need no change. */
#ifndef FUNNELMC_DIST_H
#define FUNNELMC_DIST_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef struct fmc_dist_type fmc_dist_type;

/* Canonical parameters; which fields are used depends on the law:
 *   constant    min = max = the value
 *   uniform     min, max
 *   triangular  min, mode, max
 *   pert        min, mode, max; shape1, shape2 of the Beta on [min, max]
 *   normal      mu, sigma of the untruncated law; min, max truncation (+-inf if none)
 *   lognormal   mu, sigma of log X; min, max truncation (0 and +inf if none)
 *   beta        shape1 (alpha), shape2 (beta); min = 0, max = 1
 *   gamma       shape1 (shape), scale; min = 0, max = +inf
 *   discrete,   points: the distinct values in ascending order, cumulative:
 *   empirical   P(X <= points[i]), count of them; min, max the extreme points
 * Every law keeps its support in [min, max].  Normal and lognormal keep the
 * probabilities of their truncation points under the untruncated standard
 * normal (lower and upper tails, for accuracy). */
typedef struct fmc_dist {
    const fmc_dist_type *kind;  /* the law; compare with FMC_DIST_CONSTANT etc. */
    double min, max, mode;
    double mu, sigma;
    double shape1, shape2, scale;
    double z_lo_p, z_lo_q, z_hi_p, z_hi_q;  /* Phi and 1-Phi at the standardised bounds */
    double mass;                             /* untruncated probability inside the bounds */
    double *points;
    double *cumulative;
    size_t count;
} fmc_dist;

/* What is wrong with a parameter: PARAM names the scenario key ("sd", ...). */
typedef struct fmc_dist_problem {
    const char *param;
    char message[200];
} fmc_dist_problem;

/* ----- the descriptor of a law ----- */

#define FMC_DIST_MAX_PARAMS 6

/* One scenario key a law reads (besides "dist" and "base"). */
typedef struct fmc_dist_param {
    const char *key;
    int form;         /* 0: read in every parameterisation; 1 or 2: only in that one */
    int list;         /* 1: a list of numbers; 0: one number */
    int required;     /* 0: when absent the value is FALLBACK (numbers only) */
    double fallback;
} fmc_dist_param;

/* The value read for one fmc_dist_param: NUMBER for a number, LIST and
 * LENGTH (borrowed from the reader) for a list; zero when not read. */
typedef struct fmc_dist_value {
    double number;
    const double *list;
    size_t length;
} fmc_dist_value;

/* How sampler.h turns random words into values of the law. */
typedef enum fmc_dist_sampling {
    FMC_SAMPLING_CLOSED_FORM,  /* the type's transform, exact and vectorisable */
    FMC_SAMPLING_SEARCH,       /* the exact quantile per word (a search of the points) */
    FMC_SAMPLING_TABLE         /* a table of the exact quantile, built once */
} fmc_dist_sampling;

/* For laws whose quantile comes from a GSL inversion that is slow or can fail
 * (beta, pert, gamma): the law as a variable Y in its own units, with X = Y,
 * or X = min + (max - min) Y when SCALED.  fmc_dist_quantile_near refines a
 * guess by Newton's method on Y's CDF, and the quantile functions fall back
 * on Brent's method over [0, bracket(d)] when GSL's inverses both fail. */
typedef struct fmc_dist_roots {
    double (*tail)(const fmc_dist *d, double y, int upper);  /* P(Y <= y), or P(Y > y) if UPPER */
    double (*density)(const fmc_dist *d, double y);
    double (*bracket)(const fmc_dist *d);  /* an upper end for Brent, doubled while too low */
    double end;                            /* the upper end of Y's support (lower is 0) */
    int scaled;
} fmc_dist_roots;

/* A law.  Every member is set except ROOTS (may be NULL) and TRANSFORM (set
 * exactly when SAMPLING is FMC_SAMPLING_CLOSED_FORM); the functions read
 * only the fmc_dist they are given, keep no state and are thread-safe. */
struct fmc_dist_type {
    const char *name;  /* the scenario's `dist:` value, lower case, unique */
    /* The keys, in the order messages list them; a NULL key ends the list.
     * A law with two parameterisations marks their keys form 1 and 2. */
    fmc_dist_param params[FMC_DIST_MAX_PARAMS];
    /* Checks the values read (VALUES[i] for PARAMS[i]; FORM 1 or 2, or 0
     * for a law with one parameterisation) and sets *D as the law's setter
     * does; same status, *WHY and *D on failure. */
    fmc_status (*set)(fmc_dist *d, int form, const fmc_dist_value *values, fmc_dist_problem *why);
    double (*mean)(const fmc_dist *d);
    double (*variance)(const fmc_dist *d);
    double (*cdf)(const fmc_dist *d, double x);  /* X is not NaN */
    /* The x with P(X <= x) = P, or P(X > x) = P when UPPER, for P in [0, 1];
     * NaN when GSL's inverse fails (fmc_dist_quantile then tries the other
     * tail, and ROOTS). */
    double (*quantile)(const fmc_dist *d, double p, int upper);
    fmc_dist_sampling sampling;
    /* values[i] = the quantile at fmc_word_to_uniform(words[i]), exactly. */
    void (*transform)(const fmc_dist *d, const uint32_t *words, double *values, size_t count);
    const fmc_dist_roots *roots;
    int discrete;  /* 1 when the law is a finite set of points */
};

/* The laws funnelmc knows, in the order its messages list them. */
extern const fmc_dist_type fmc_dist_constant, fmc_dist_uniform, fmc_dist_triangular,
    fmc_dist_pert, fmc_dist_normal, fmc_dist_lognormal, fmc_dist_beta, fmc_dist_gamma,
    fmc_dist_discrete, fmc_dist_empirical;
#define FMC_DIST_CONSTANT (&fmc_dist_constant)
#define FMC_DIST_UNIFORM (&fmc_dist_uniform)
#define FMC_DIST_TRIANGULAR (&fmc_dist_triangular)
#define FMC_DIST_PERT (&fmc_dist_pert)
#define FMC_DIST_NORMAL (&fmc_dist_normal)
#define FMC_DIST_LOGNORMAL (&fmc_dist_lognormal)
#define FMC_DIST_BETA (&fmc_dist_beta)
#define FMC_DIST_GAMMA (&fmc_dist_gamma)
#define FMC_DIST_DISCRETE (&fmc_dist_discrete)
#define FMC_DIST_EMPIRICAL (&fmc_dist_empirical)

/* The table of every law, ending with NULL (static; never freed). */
extern const fmc_dist_type *const fmc_dist_types[];

/* The law named NAME (exact, lower case), or NULL when there is none or
 * NAME is NULL. */
const fmc_dist_type *fmc_dist_type_find(const char *name);

/* The lower-case scenario name of KIND ("beta", ...); "unknown" for NULL. */
const char *fmc_dist_kind_name(const fmc_dist_type *kind);

/* ----- setting a distribution ----- */

/* Each setter checks its parameters and fills *D, returning FMC_OK; or
 * returns FMC_EINVAL and, when WHY is not NULL, fills *WHY with the key at
 * fault and a message.  On failure *D holds no allocation: it is unchanged,
 * or (a truncation window with almost no probability) a constant 0.
 * Discrete and empirical distributions allocate: release them with
 * fmc_dist_clear; they return FMC_ENOMEM (with *WHY filled, *D unchanged)
 * when memory runs out.  D must not be NULL.
 * Bounds: pass -INFINITY / INFINITY when a normal has no truncation, and
 * 0 / INFINITY when a lognormal has none. */
fmc_status fmc_dist_set_constant(fmc_dist *d, double value, fmc_dist_problem *why);
fmc_status fmc_dist_set_uniform(fmc_dist *d, double min, double max, fmc_dist_problem *why);
fmc_status fmc_dist_set_triangular(fmc_dist *d, double min, double mode, double max,
                                   fmc_dist_problem *why);
/* Beta-PERT: a Beta on [min, max] with shapes 1 + lambda (mode - min) / (max - min)
 * and 1 + lambda (max - mode) / (max - min); lambda = 4 is the classic PERT. */
fmc_status fmc_dist_set_pert(fmc_dist *d, double min, double mode, double max, double lambda,
                             fmc_dist_problem *why);
fmc_status fmc_dist_set_normal(fmc_dist *d, double mean, double sd, double lo, double hi,
                               fmc_dist_problem *why);
/* Lognormal by the median exp(mu) and sigma of log X. */
fmc_status fmc_dist_set_lognormal(fmc_dist *d, double median, double sigma, double lo, double hi,
                                  fmc_dist_problem *why);
/* Lognormal by the mean and sd of the untruncated law:
 * sigma^2 = log(1 + sd^2 / mean^2), mu = log(mean) - sigma^2 / 2. */
fmc_status fmc_dist_set_lognormal_mean_sd(fmc_dist *d, double mean, double sd, double lo,
                                          double hi, fmc_dist_problem *why);
fmc_status fmc_dist_set_beta(fmc_dist *d, double alpha, double beta, fmc_dist_problem *why);
/* Beta by mean m and sd s: alpha = m k, beta = (1 - m) k with k = m (1 - m) / s^2 - 1,
 * which needs s^2 < m (1 - m). */
fmc_status fmc_dist_set_beta_mean_sd(fmc_dist *d, double mean, double sd, fmc_dist_problem *why);
fmc_status fmc_dist_set_gamma(fmc_dist *d, double shape, double scale, fmc_dist_problem *why);
/* COUNT values with non-negative weights (not all zero, need not sum to 1). */
fmc_status fmc_dist_set_discrete(fmc_dist *d, const double *values, const double *weights,
                                 size_t count, fmc_dist_problem *why);
/* Resampling of COUNT observed values, each with probability 1 / COUNT. */
fmc_status fmc_dist_set_empirical(fmc_dist *d, const double *data, size_t count,
                                  fmc_dist_problem *why);

/* Releases what a setter allocated and leaves *D a constant 0; D may be NULL
 * (nothing happens).  *D must have been set, copied or cleared before, or
 * be all zero. */
void fmc_dist_clear(fmc_dist *d);
/* Deep copy of the set distribution SRC into *DST (which is overwritten,
 * not released): FMC_OK, or FMC_ENOMEM with *DST a constant 0. */
fmc_status fmc_dist_copy(fmc_dist *dst, const fmc_dist *src);

/* ----- reading a distribution -----
 * D must have been set by a setter (or copied, or cleared). */

double fmc_dist_mean(const fmc_dist *d);
double fmc_dist_variance(const fmc_dist *d);
/* The standard deviation, sqrt of the variance. */
double fmc_dist_sd(const fmc_dist *d);
/* P(X <= x); NaN for NaN x. */
double fmc_dist_cdf(const fmc_dist *d, double x);
/* Lower quantile: the x with P(X <= x) = p, for p in [0, 1] (for discrete
 * laws the smallest such point).  NaN for p outside [0, 1] or if every
 * inversion fails. */
double fmc_dist_quantile(const fmc_dist *d, double p);
/* Upper quantile: the x with P(X > x) = q.  Accurate for tiny q, where
 * fmc_dist_quantile(d, 1 - q) would lose the digits of q. */
double fmc_dist_quantile_upper(const fmc_dist *d, double q);
/* The quantile fmc_dist_quantile (UPPER 0) or fmc_dist_quantile_upper
 * (UPPER 1) would give for P in [0, 1], found from a nearby value GUESS:
 * for the laws with ROOTS (beta, pert, gamma) by Newton's method on the
 * CDF with GSL's root solver, falling back to the full inversion whenever
 * Newton leaves the support or does not settle; the other laws ignore
 * GUESS.  It agrees
 * with the full inversion to a few units in the last place and is about
 * four times faster when GUESS is close: it builds quantile tables. */
double fmc_dist_quantile_near(const fmc_dist *d, double p, int upper, double guess);

/* True when the law is a finite set of points (constant, discrete, empirical). */
int fmc_dist_is_discrete(const fmc_dist *d);

#pragma GCC visibility pop

#endif
