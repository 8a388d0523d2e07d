/* Distributions: what every law shares, reached through its descriptor
 * (fmc_dist_type, one per file of src/dist/).
 *
 * Quantiles come from each law's inverse CDF (GSL's gsl_cdf_*_Pinv / _Qinv
 * or closed forms); the upper-tail form (_Qinv) is used whenever the target
 * probability is above 1/2, so that tiny tail probabilities keep their
 * digits.  Where GSL's inverse fails, the other tail's inverse is tried,
 * then Brent's method on the CDF (laws with fmc_dist_roots). */
#include "funnelmc/dist.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dist/law.h"

fmc_status fmc_law_fail(fmc_dist_problem *why, const char *param, const char *format, ...)
{
    if (why) {
        why->param = param;
        va_list args;
        va_start(args, format);
        vsnprintf(why->message, sizeof why->message, format, args);
        va_end(args);
    }
    return FMC_EINVAL;
}

fmc_status fmc_law_need_finite(fmc_dist_problem *why, const char *param, double x)
{
    if (!isfinite(x))
        return fmc_law_fail(why, param, "%s must be a finite number", param);
    return FMC_OK;
}

fmc_status fmc_law_need_positive(fmc_dist_problem *why, const char *param, const char *label,
                                 double x)
{
    if (!(x > 0))
        return fmc_law_fail(why, param, "%s must be > 0 (got %g)", label, x);
    return FMC_OK;
}

fmc_status fmc_law_need_beta_shape(fmc_dist_problem *why, const char *param, const char *label,
                                   double x)
{
    if (x > FMC_LAW_MAX_BETA_SHAPE)
        return fmc_law_fail(why, param, "%s %g is beyond %g, where its quantiles cannot be "
                            "computed; so narrow a law is a constant", label, x,
                            FMC_LAW_MAX_BETA_SHAPE);
    return FMC_OK;
}

void fmc_law_reset(fmc_dist *d, const fmc_dist_type *kind)
{
    memset(d, 0, sizeof *d);
    d->kind = kind;
}

const char *fmc_dist_kind_name(const fmc_dist_type *kind)
{
    return kind ? kind->name : "unknown";
}

void fmc_dist_clear(fmc_dist *d)
{
    if (!d)
        return;
    free(d->points);
    free(d->cumulative);
    fmc_law_reset(d, FMC_DIST_CONSTANT);
}

fmc_status fmc_dist_copy(fmc_dist *dst, const fmc_dist *src)
{
    *dst = *src;
    if (!src->points)
        return FMC_OK;
    dst->points = malloc(src->count * sizeof *dst->points);
    dst->cumulative = malloc(src->count * sizeof *dst->cumulative);
    if (!dst->points || !dst->cumulative) {
        free(dst->points);
        free(dst->cumulative);
        fmc_law_reset(dst, FMC_DIST_CONSTANT);
        return FMC_ENOMEM;
    }
    memcpy(dst->points, src->points, src->count * sizeof *dst->points);
    memcpy(dst->cumulative, src->cumulative, src->count * sizeof *dst->cumulative);
    return FMC_OK;
}

int fmc_dist_is_discrete(const fmc_dist *d)
{
    return d->kind->discrete;
}

double fmc_dist_mean(const fmc_dist *d)
{
    return d->kind->mean(d);
}

double fmc_dist_variance(const fmc_dist *d)
{
    return d->kind->variance(d);
}

double fmc_dist_sd(const fmc_dist *d)
{
    return sqrt(fmc_dist_variance(d));
}

double fmc_dist_cdf(const fmc_dist *d, double x)
{
    return isnan(x) ? NAN : d->kind->cdf(d, x);
}

/* X = Y, or X = min + (max - min) Y for a law on [min, max] (pert). */
static double from_root_units(const fmc_dist *d, double y)
{
    return d->kind->roots->scaled ? fmc_law_clamp(d->min + (d->max - d->min) * y, d->min, d->max)
                                  : y;
}

/* Newton's and Brent's methods for the quantile of Y (fmc_dist_roots): the
 * root in y of F(y) - p, or of p - Q(y) for an upper-tail probability. */
typedef struct tail_target {
    const fmc_dist *d;
    double p;
    int upper;
} tail_target;

static double tail_gap(double y, void *params)
{
    const tail_target *t = params;
    double tail = t->d->kind->roots->tail(t->d, y, t->upper);
    return t->upper ? t->p - tail : tail - t->p;
}

static double tail_density(double y, void *params)
{
    const fmc_dist *d = ((const tail_target *)params)->d;
    return d->kind->roots->density(d, y);
}

static void tail_gap_and_density(double y, void *params, double *gap, double *density)
{
    *gap = tail_gap(y, params);
    *density = tail_density(y, params);
}

/* The quantile by Brent's method on the CDF over a bracket of the support:
 * slower than GSL's inverses, but it cannot fail where the CDF is sound. */
static double bracketed_quantile(const fmc_dist *d, double p, int upper)
{
    tail_target target = {d, p, upper};
    gsl_function f = {tail_gap, &target};
    double lo = 0, hi = d->kind->roots->bracket(d);
    for (int k = 0; k < 64 && tail_gap(hi, &target) < 0; k++)  /* until it holds the root */
        hi *= 2;
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double y = NAN;
    if (solver && gsl_root_fsolver_set(solver, &f, lo, hi) == GSL_SUCCESS)
        for (int i = 0; i < 200; i++) {
            if (gsl_root_fsolver_iterate(solver) != GSL_SUCCESS)
                break;
            double a = gsl_root_fsolver_x_lower(solver), b = gsl_root_fsolver_x_upper(solver);
            if (gsl_root_test_interval(a, b, 0, 4 * DBL_EPSILON) == GSL_SUCCESS) {
                y = gsl_root_fsolver_root(solver);
                break;
            }
        }
    gsl_root_fsolver_free(solver);
    return from_root_units(d, y);
}

/* GSL's inverses can fail on one tail and not the other (gsl_cdf_beta_Qinv
 * returns NaN for Beta(1.2, 800) even at 1/2), or on both (its Pinv at
 * 0.97): then the other tail's inverse at 1 - p, which keeps its digits
 * whenever p is not tiny, and last Brent's method on the CDF. */
static double quantile_either_tail(const fmc_dist *d, double p, int upper)
{
    if (!(p >= 0 && p <= 1))
        return NAN;
    double x = d->kind->quantile(d, p, upper);
    if (isnan(x))
        x = d->kind->quantile(d, 1 - p, !upper);
    if (isnan(x) && p > 0 && p < 1 && d->kind->roots)
        x = bracketed_quantile(d, p, upper);
    return x;
}

#define NEWTON_MAX_STEPS 8

double fmc_dist_quantile_near(const fmc_dist *d, double p, int upper, double guess)
{
    const fmc_dist_roots *roots = d->kind->roots;
    if (!roots)
        return quantile_either_tail(d, p, upper);
    double lo = 0, hi = roots->end;
    if (roots->scaled)
        guess = (guess - d->min) / (d->max - d->min);
    tail_target target = {d, p, upper};
    gsl_function_fdf fdf = {tail_gap, tail_density, tail_gap_and_density, &target};
    double y = NAN;
    gsl_root_fdfsolver *solver = gsl_root_fdfsolver_alloc(gsl_root_fdfsolver_newton);
    int settled = 0;
    if (solver && guess > lo && guess < hi && gsl_root_fdfsolver_set(solver, &fdf, guess) == GSL_SUCCESS) {
        for (int step = 0; step < NEWTON_MAX_STEPS && !settled; step++) {
            double before = gsl_root_fdfsolver_root(solver);
            if (gsl_root_fdfsolver_iterate(solver) != GSL_SUCCESS)
                break;
            y = gsl_root_fdfsolver_root(solver);
            if (!(y > lo && y < hi))
                break;
            settled = gsl_root_test_delta(y, before, 0, 4 * DBL_EPSILON) == GSL_SUCCESS;
        }
    }
    gsl_root_fdfsolver_free(solver);
    if (!settled)
        return quantile_either_tail(d, p, upper);
    return from_root_units(d, y);
}

double fmc_dist_quantile(const fmc_dist *d, double p)
{
    return quantile_either_tail(d, p, 0);
}

double fmc_dist_quantile_upper(const fmc_dist *d, double q)
{
    return quantile_either_tail(d, q, 1);
}
