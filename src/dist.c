/* Distributions: parameter checks, exact quantiles, CDF and moments.
 *
 * Quantiles come from GSL's inverse CDFs (gsl_cdf_*_Pinv / _Qinv) or closed
 * forms; the upper-tail form (_Qinv) is used whenever the target probability
 * is above 1/2, so that tiny tail probabilities keep their digits.
 *
 * Truncated normal on [a, b] with standardised bounds alpha, beta and
 * Z = Phi(beta) - Phi(alpha) (Johnson, Kotz & Balakrishnan, vol. 1, ch. 13):
 *   mean = mu + sigma (phi(alpha) - phi(beta)) / Z
 *   var  = sigma^2 [1 + (alpha phi(alpha) - beta phi(beta)) / Z
 *                   - ((phi(alpha) - phi(beta)) / Z)^2]
 * Truncated lognormal, log X ~ N(mu, sigma^2) on [log a, log b]:
 *   E[X^k] = exp(k mu + k^2 sigma^2 / 2) P(alpha - k sigma < Z < beta - k sigma) / Z. */
#include "funnelmc/dist.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Below this untruncated probability a truncation window is refused: the
 * quantiles of so thin a slice are not computable to useful accuracy. */
#define MIN_TRUNCATED_MASS 1e-12

static fmc_status problem(fmc_dist_problem *why, const char *param, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static fmc_status problem(fmc_dist_problem *why, const char *param, const char *format, ...)
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

static fmc_status need_finite(fmc_dist_problem *why, const char *param, double x)
{
    if (!isfinite(x))
        return problem(why, param, "%s must be a finite number", param);
    return FMC_OK;
}

static void reset(fmc_dist *d, fmc_dist_kind kind)
{
    memset(d, 0, sizeof *d);
    d->kind = kind;
}

const char *fmc_dist_kind_name(fmc_dist_kind kind)
{
    static const char *const names[FMC_DIST_KIND_COUNT] = {
        "constant", "uniform", "triangular", "pert", "normal",
        "lognormal", "beta", "gamma", "discrete", "empirical"};
    return (unsigned)kind < FMC_DIST_KIND_COUNT ? names[kind] : "unknown";
}

fmc_status fmc_dist_set_constant(fmc_dist *d, double value, fmc_dist_problem *why)
{
    if (need_finite(why, "value", value))
        return FMC_EINVAL;
    reset(d, FMC_DIST_CONSTANT);
    d->min = d->max = d->mode = value;
    return FMC_OK;
}

fmc_status fmc_dist_set_uniform(fmc_dist *d, double min, double max, fmc_dist_problem *why)
{
    if (need_finite(why, "min", min) || need_finite(why, "max", max))
        return FMC_EINVAL;
    if (!(min < max))
        return problem(why, "max", "uniform needs min < max (min %g, max %g)", min, max);
    reset(d, FMC_DIST_UNIFORM);
    d->min = min;
    d->max = max;
    return FMC_OK;
}

static fmc_status check_min_mode_max(const char *name, double min, double mode, double max,
                                     fmc_dist_problem *why)
{
    if (need_finite(why, "min", min) || need_finite(why, "mode", mode) ||
        need_finite(why, "max", max))
        return FMC_EINVAL;
    if (!(min < max))
        return problem(why, "max", "%s needs min < max (min %g, max %g)", name, min, max);
    if (!(min <= mode && mode <= max))
        return problem(why, "mode", "%s needs min <= mode <= max (mode %g outside [%g, %g])",
                       name, mode, min, max);
    return FMC_OK;
}

fmc_status fmc_dist_set_triangular(fmc_dist *d, double min, double mode, double max,
                                   fmc_dist_problem *why)
{
    if (check_min_mode_max("triangular", min, mode, max, why))
        return FMC_EINVAL;
    reset(d, FMC_DIST_TRIANGULAR);
    d->min = min;
    d->mode = mode;
    d->max = max;
    return FMC_OK;
}

fmc_status fmc_dist_set_pert(fmc_dist *d, double min, double mode, double max, double lambda,
                             fmc_dist_problem *why)
{
    if (check_min_mode_max("pert", min, mode, max, why) || need_finite(why, "lambda", lambda))
        return FMC_EINVAL;
    if (!(lambda > 0))
        return problem(why, "lambda", "pert lambda must be > 0 (got %g)", lambda);
    reset(d, FMC_DIST_PERT);
    d->min = min;
    d->mode = mode;
    d->max = max;
    d->shape1 = 1 + lambda * (mode - min) / (max - min);
    d->shape2 = 1 + lambda * (max - mode) / (max - min);
    return FMC_OK;
}

/* P(a < Z < b) for a standard normal Z, from whichever tail keeps the digits. */
static double gauss_interval(double a, double b)
{
    if (a >= 0)
        return gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b);
    if (b <= 0)
        return gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    return 1 - gsl_cdf_ugaussian_P(a) - gsl_cdf_ugaussian_Q(b);
}

/* Standardised truncation of N(mu, sigma^2) to [lo, hi] (either may be infinite). */
static fmc_status set_gauss_window(fmc_dist *d, double lo, double hi, fmc_dist_problem *why)
{
    double alpha = (lo - d->mu) / d->sigma, beta = (hi - d->mu) / d->sigma;
    d->z_lo_p = gsl_cdf_ugaussian_P(alpha);
    d->z_lo_q = gsl_cdf_ugaussian_Q(alpha);
    d->z_hi_p = gsl_cdf_ugaussian_P(beta);
    d->z_hi_q = gsl_cdf_ugaussian_Q(beta);
    d->mass = gauss_interval(alpha, beta);
    if (!(d->mass >= MIN_TRUNCATED_MASS))
        return problem(why, "min",
                       "truncation window [%g, %g] holds almost no probability (%.3g)",
                       lo, hi, d->mass);
    return FMC_OK;
}

static fmc_status check_bounds(double lo, double hi, fmc_dist_problem *why)
{
    if (isnan(lo) || lo == INFINITY)
        return problem(why, "min", "min must be a finite number");
    if (isnan(hi) || hi == -INFINITY)
        return problem(why, "max", "max must be a finite number");
    if (!(lo < hi))
        return problem(why, "max", "truncation needs min < max (min %g, max %g)", lo, hi);
    return FMC_OK;
}

fmc_status fmc_dist_set_normal(fmc_dist *d, double mean, double sd, double lo, double hi,
                               fmc_dist_problem *why)
{
    if (need_finite(why, "mean", mean) || need_finite(why, "sd", sd) ||
        check_bounds(lo, hi, why))
        return FMC_EINVAL;
    if (!(sd > 0))
        return problem(why, "sd", "normal sd must be > 0 (got %g)", sd);
    reset(d, FMC_DIST_NORMAL);
    d->mu = mean;
    d->sigma = sd;
    d->min = lo;
    d->max = hi;
    if (set_gauss_window(d, lo, hi, why)) {
        reset(d, FMC_DIST_CONSTANT);
        return FMC_EINVAL;
    }
    return FMC_OK;
}

static fmc_status set_lognormal_log(fmc_dist *d, double mu, double sigma, double lo, double hi,
                                    fmc_dist_problem *why)
{
    if (check_bounds(lo, hi, why))
        return FMC_EINVAL;
    if (lo < 0)
        return problem(why, "min", "lognormal min must be >= 0 (got %g)", lo);
    reset(d, FMC_DIST_LOGNORMAL);
    d->mu = mu;
    d->sigma = sigma;
    d->min = lo;
    d->max = hi;
    if (set_gauss_window(d, log(lo), log(hi), why)) {
        reset(d, FMC_DIST_CONSTANT);
        return FMC_EINVAL;
    }
    return FMC_OK;
}

fmc_status fmc_dist_set_lognormal(fmc_dist *d, double median, double sigma, double lo, double hi,
                                  fmc_dist_problem *why)
{
    if (need_finite(why, "median", median) || need_finite(why, "sigma", sigma))
        return FMC_EINVAL;
    if (!(median > 0))
        return problem(why, "median", "lognormal median must be > 0 (got %g)", median);
    if (!(sigma > 0))
        return problem(why, "sigma", "lognormal sigma must be > 0 (got %g)", sigma);
    return set_lognormal_log(d, log(median), sigma, lo, hi, why);
}

fmc_status fmc_dist_set_lognormal_mean_sd(fmc_dist *d, double mean, double sd, double lo,
                                          double hi, fmc_dist_problem *why)
{
    if (need_finite(why, "mean", mean) || need_finite(why, "sd", sd))
        return FMC_EINVAL;
    if (!(mean > 0))
        return problem(why, "mean", "lognormal mean must be > 0 (got %g)", mean);
    if (!(sd > 0))
        return problem(why, "sd", "lognormal sd must be > 0 (got %g)", sd);
    double cv = sd / mean;
    double sigma2 = log1p(cv * cv);
    return set_lognormal_log(d, log(mean) - sigma2 / 2, sqrt(sigma2), lo, hi, why);
}

fmc_status fmc_dist_set_beta(fmc_dist *d, double alpha, double beta, fmc_dist_problem *why)
{
    if (need_finite(why, "alpha", alpha) || need_finite(why, "beta", beta))
        return FMC_EINVAL;
    if (!(alpha > 0))
        return problem(why, "alpha", "beta alpha must be > 0 (got %g)", alpha);
    if (!(beta > 0))
        return problem(why, "beta", "beta parameter beta must be > 0 (got %g)", beta);
    reset(d, FMC_DIST_BETA);
    d->shape1 = alpha;
    d->shape2 = beta;
    d->min = 0;
    d->max = 1;
    return FMC_OK;
}

fmc_status fmc_dist_set_beta_mean_sd(fmc_dist *d, double mean, double sd, fmc_dist_problem *why)
{
    if (need_finite(why, "mean", mean) || need_finite(why, "sd", sd))
        return FMC_EINVAL;
    if (!(mean > 0 && mean < 1))
        return problem(why, "mean", "beta mean %g is outside (0, 1)", mean);
    if (!(sd > 0))
        return problem(why, "sd", "beta sd must be > 0 (got %g)", sd);
    double spread = mean * (1 - mean);
    if (!(sd * sd < spread))
        return problem(why, "sd",
                       "beta sd %g is not achievable for mean %g (it must be below %.6g)", sd,
                       mean, sqrt(spread));
    double k = spread / (sd * sd) - 1;
    return fmc_dist_set_beta(d, mean * k, (1 - mean) * k, why);
}

fmc_status fmc_dist_set_gamma(fmc_dist *d, double shape, double scale, fmc_dist_problem *why)
{
    if (need_finite(why, "shape", shape) || need_finite(why, "scale", scale))
        return FMC_EINVAL;
    if (!(shape > 0))
        return problem(why, "shape", "gamma shape must be > 0 (got %g)", shape);
    if (!(scale > 0))
        return problem(why, "scale", "gamma scale must be > 0 (got %g)", scale);
    reset(d, FMC_DIST_GAMMA);
    d->shape1 = shape;
    d->scale = scale;
    d->min = 0;
    d->max = INFINITY;
    return FMC_OK;
}

typedef struct weighted_point {
    double value, weight;
} weighted_point;

static int compare_points(const void *a, const void *b)
{
    double x = ((const weighted_point *)a)->value, y = ((const weighted_point *)b)->value;
    return (x > y) - (x < y);
}

/* Sorts the points, merges equal values and forms cumulative probabilities. */
static fmc_status set_points(fmc_dist *d, fmc_dist_kind kind, const double *values,
                             const double *weights, size_t count, fmc_dist_problem *why)
{
    const char *value_key = kind == FMC_DIST_EMPIRICAL ? "data" : "values";
    if (count == 0)
        return problem(why, value_key, "%s needs at least one value", value_key);
    double total = 0;
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(values[i]))
            return problem(why, value_key, "%s[%zu] is not a finite number", value_key, i);
        double w = weights ? weights[i] : 1.0;
        if (!(isfinite(w) && w >= 0))
            return problem(why, "weights", "weights[%zu] must be a finite number >= 0", i);
        total += w;
    }
    if (!(total > 0) || !isfinite(total))
        return problem(why, "weights", "weights must not all be zero");

    weighted_point *sorted = malloc(count * sizeof *sorted);
    double *points = malloc(count * sizeof *points);
    double *cumulative = malloc(count * sizeof *cumulative);
    if (!sorted || !points || !cumulative) {
        free(sorted);
        free(points);
        free(cumulative);
        return problem(why, value_key, "out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        sorted[i].value = values[i];
        sorted[i].weight = weights ? weights[i] : 1.0;
    }
    qsort(sorted, count, sizeof *sorted, compare_points);
    size_t distinct = 0;
    double running = 0;
    for (size_t i = 0; i < count; i++) {
        running += sorted[i].weight;
        if (sorted[i].weight == 0)
            continue;
        if (distinct > 0 && points[distinct - 1] == sorted[i].value) {
            cumulative[distinct - 1] = running / total;
            continue;
        }
        points[distinct] = sorted[i].value;
        cumulative[distinct] = running / total;
        distinct++;
    }
    free(sorted);
    cumulative[distinct - 1] = 1.0;  /* exactly, whatever the rounding of the sum */

    reset(d, kind);
    d->points = points;
    d->cumulative = cumulative;
    d->count = distinct;
    d->min = points[0];
    d->max = points[distinct - 1];
    return FMC_OK;
}

fmc_status fmc_dist_set_discrete(fmc_dist *d, const double *values, const double *weights,
                                 size_t count, fmc_dist_problem *why)
{
    return set_points(d, FMC_DIST_DISCRETE, values, weights, count, why);
}

fmc_status fmc_dist_set_empirical(fmc_dist *d, const double *data, size_t count,
                                  fmc_dist_problem *why)
{
    return set_points(d, FMC_DIST_EMPIRICAL, data, NULL, count, why);
}

void fmc_dist_clear(fmc_dist *d)
{
    if (!d)
        return;
    free(d->points);
    free(d->cumulative);
    reset(d, FMC_DIST_CONSTANT);
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
        reset(dst, FMC_DIST_CONSTANT);
        return FMC_ENOMEM;
    }
    memcpy(dst->points, src->points, src->count * sizeof *dst->points);
    memcpy(dst->cumulative, src->cumulative, src->count * sizeof *dst->cumulative);
    return FMC_OK;
}

int fmc_dist_is_discrete(const fmc_dist *d)
{
    return d->kind == FMC_DIST_CONSTANT || d->kind == FMC_DIST_DISCRETE ||
           d->kind == FMC_DIST_EMPIRICAL;
}

/* phi(z) and z phi(z), both 0 at infinite z. */
static double density_at(double z)
{
    return isinf(z) ? 0.0 : gsl_ran_ugaussian_pdf(z);
}

static double z_density_at(double z)
{
    return isinf(z) ? 0.0 : z * gsl_ran_ugaussian_pdf(z);
}

static double lognormal_raw_moment(const fmc_dist *d, int k)
{
    double alpha = (log(d->min) - d->mu) / d->sigma, beta = (log(d->max) - d->mu) / d->sigma;
    double shift = k * d->sigma;
    return exp(k * d->mu + 0.5 * shift * shift) * gauss_interval(alpha - shift, beta - shift) /
           d->mass;
}

static double point_moment(const fmc_dist *d, double centre, int power)
{
    double sum = 0, previous = 0;
    for (size_t i = 0; i < d->count; i++) {
        double p = d->cumulative[i] - previous, dx = d->points[i] - centre;
        previous = d->cumulative[i];
        sum += p * (power == 1 ? dx : dx * dx);
    }
    return sum;
}

double fmc_dist_mean(const fmc_dist *d)
{
    switch (d->kind) {
    case FMC_DIST_CONSTANT:
        return d->min;
    case FMC_DIST_UNIFORM:
        return 0.5 * (d->min + d->max);
    case FMC_DIST_TRIANGULAR:
        return (d->min + d->mode + d->max) / 3;
    case FMC_DIST_PERT:
        return d->min + (d->max - d->min) * d->shape1 / (d->shape1 + d->shape2);
    case FMC_DIST_NORMAL: {
        double alpha = (d->min - d->mu) / d->sigma, beta = (d->max - d->mu) / d->sigma;
        return d->mu + d->sigma * (density_at(alpha) - density_at(beta)) / d->mass;
    }
    case FMC_DIST_LOGNORMAL:
        return lognormal_raw_moment(d, 1);
    case FMC_DIST_BETA:
        return d->shape1 / (d->shape1 + d->shape2);
    case FMC_DIST_GAMMA:
        return d->shape1 * d->scale;
    case FMC_DIST_DISCRETE:
    case FMC_DIST_EMPIRICAL:
        return point_moment(d, 0, 1);
    }
    return NAN;
}

static double beta_variance(double a, double b)
{
    return a * b / ((a + b) * (a + b) * (a + b + 1));
}

double fmc_dist_variance(const fmc_dist *d)
{
    double a = d->min, b = d->max, c = d->mode;
    switch (d->kind) {
    case FMC_DIST_CONSTANT:
        return 0;
    case FMC_DIST_UNIFORM:
        return (b - a) * (b - a) / 12;
    case FMC_DIST_TRIANGULAR:
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    case FMC_DIST_PERT:
        return (b - a) * (b - a) * beta_variance(d->shape1, d->shape2);
    case FMC_DIST_NORMAL: {
        double alpha = (d->min - d->mu) / d->sigma, beta = (d->max - d->mu) / d->sigma;
        double shift = (density_at(alpha) - density_at(beta)) / d->mass;
        double tilt = (z_density_at(alpha) - z_density_at(beta)) / d->mass;
        return d->sigma * d->sigma * (1 + tilt - shift * shift);
    }
    case FMC_DIST_LOGNORMAL: {
        double m1 = lognormal_raw_moment(d, 1);
        return lognormal_raw_moment(d, 2) - m1 * m1;
    }
    case FMC_DIST_BETA:
        return beta_variance(d->shape1, d->shape2);
    case FMC_DIST_GAMMA:
        return d->shape1 * d->scale * d->scale;
    case FMC_DIST_DISCRETE:
    case FMC_DIST_EMPIRICAL:
        return point_moment(d, fmc_dist_mean(d), 2);
    }
    return NAN;
}

/* Index of the first point whose cumulative probability reaches P. */
static size_t first_point_reaching(const fmc_dist *d, double p)
{
    size_t lo = 0, hi = d->count - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->cumulative[mid] >= p)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Standardised truncated-normal quantile for lower-tail probability P (when
 * UPPER is 0) or upper-tail probability P (when UPPER is 1), taking the
 * inverse from the tail whose probability is below 1/2. */
static double gauss_window_quantile(const fmc_dist *d, double p, int upper)
{
    double lower_prob = upper ? d->z_hi_p - p * d->mass : d->z_lo_p + p * d->mass;
    double upper_prob = upper ? d->z_hi_q + p * d->mass : d->z_lo_q - p * d->mass;
    double z = lower_prob < 0.5 ? gsl_cdf_ugaussian_Pinv(lower_prob)
                                : gsl_cdf_ugaussian_Qinv(upper_prob);
    return d->mu + d->sigma * z;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Shared by the two quantile functions: P is a lower-tail probability when
 * UPPER is 0 and an upper-tail one when UPPER is 1. */
static double quantile_from_tail(const fmc_dist *d, double p, int upper)
{
    double a = d->min, b = d->max, c = d->mode;
    if (!(p >= 0 && p <= 1))
        return NAN;
    switch (d->kind) {
    case FMC_DIST_CONSTANT:
        return a;
    case FMC_DIST_UNIFORM:
        return upper ? b - p * (b - a) : a + p * (b - a);
    case FMC_DIST_TRIANGULAR: {
        double below_mode = (c - a) / (b - a);
        double lower_p = upper ? 1 - p : p, upper_p = upper ? p : 1 - p;
        if (lower_p < below_mode)
            return a + sqrt(lower_p * (b - a) * (c - a));
        return b - sqrt(upper_p * (b - a) * (b - c));
    }
    case FMC_DIST_PERT: {
        double x = upper ? gsl_cdf_beta_Qinv(p, d->shape1, d->shape2)
                         : gsl_cdf_beta_Pinv(p, d->shape1, d->shape2);
        return clamp(a + (b - a) * x, a, b);
    }
    case FMC_DIST_NORMAL:
        return clamp(gauss_window_quantile(d, p, upper), a, b);
    case FMC_DIST_LOGNORMAL:
        return clamp(exp(gauss_window_quantile(d, p, upper)), a, b);
    case FMC_DIST_BETA:
        return upper ? gsl_cdf_beta_Qinv(p, d->shape1, d->shape2)
                     : gsl_cdf_beta_Pinv(p, d->shape1, d->shape2);
    case FMC_DIST_GAMMA:
        return upper ? gsl_cdf_gamma_Qinv(p, d->shape1, d->scale)
                     : gsl_cdf_gamma_Pinv(p, d->shape1, d->scale);
    case FMC_DIST_DISCRETE:
    case FMC_DIST_EMPIRICAL:
        return d->points[first_point_reaching(d, upper ? 1 - p : p)];
    }
    return NAN;
}

/* Newton's method for the quantile of the Beta or Gamma law behind D: the
 * root in x of F(x) - p, or of p - Q(x) for an upper-tail probability, in
 * the law's own units (before PERT's scaling). */
typedef struct tail_target {
    const fmc_dist *d;
    double p;
    int upper;
} tail_target;

static double tail_gap(double x, void *params)
{
    const tail_target *t = params;
    const fmc_dist *d = t->d;
    double tail = d->kind == FMC_DIST_GAMMA
                      ? (t->upper ? gsl_cdf_gamma_Q(x, d->shape1, d->scale)
                                  : gsl_cdf_gamma_P(x, d->shape1, d->scale))
                      : (t->upper ? gsl_cdf_beta_Q(x, d->shape1, d->shape2)
                                  : gsl_cdf_beta_P(x, d->shape1, d->shape2));
    return t->upper ? t->p - tail : tail - t->p;
}

static double tail_density(double x, void *params)
{
    const fmc_dist *d = ((const tail_target *)params)->d;
    return d->kind == FMC_DIST_GAMMA ? gsl_ran_gamma_pdf(x, d->shape1, d->scale)
                                     : gsl_ran_beta_pdf(x, d->shape1, d->shape2);
}

static void tail_gap_and_density(double x, void *params, double *gap, double *density)
{
    *gap = tail_gap(x, params);
    *density = tail_density(x, params);
}

/* The quantile by Brent's method on the CDF over a bracket of the support:
 * slower than GSL's inverses, but it cannot fail where the CDF is sound. */
static double bracketed_quantile(const fmc_dist *d, double p, int upper)
{
    tail_target target = {d, p, upper};
    gsl_function f = {tail_gap, &target};
    double lo = 0, hi = 1;
    if (d->kind == FMC_DIST_GAMMA) {  /* grow the bracket until it holds the root */
        hi = d->shape1 * d->scale + 10 * sqrt(d->shape1) * d->scale;
        for (int k = 0; k < 64 && tail_gap(hi, &target) < 0; k++)
            hi *= 2;
    }
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double x = NAN;
    if (solver && gsl_root_fsolver_set(solver, &f, lo, hi) == GSL_SUCCESS)
        for (int i = 0; i < 200; i++) {
            if (gsl_root_fsolver_iterate(solver) != GSL_SUCCESS)
                break;
            double a = gsl_root_fsolver_x_lower(solver), b = gsl_root_fsolver_x_upper(solver);
            if (gsl_root_test_interval(a, b, 0, 4 * DBL_EPSILON) == GSL_SUCCESS) {
                x = gsl_root_fsolver_root(solver);
                break;
            }
        }
    gsl_root_fsolver_free(solver);
    return d->kind == FMC_DIST_PERT ? clamp(d->min + (d->max - d->min) * x, d->min, d->max) : x;
}

/* GSL's inverses can fail on one tail and not the other (gsl_cdf_beta_Qinv
 * returns NaN for Beta(1.2, 800) even at 1/2), or on both (its Pinv at
 * 0.97): then the other tail's inverse at 1 - p, which keeps its digits
 * whenever p is not tiny, and last Brent's method on the CDF. */
static double quantile_either_tail(const fmc_dist *d, double p, int upper)
{
    double x = quantile_from_tail(d, p, upper);
    if (isnan(x) && p >= 0 && p <= 1)
        x = quantile_from_tail(d, 1 - p, !upper);
    if (isnan(x) && p > 0 && p < 1 &&
        (d->kind == FMC_DIST_BETA || d->kind == FMC_DIST_PERT || d->kind == FMC_DIST_GAMMA))
        x = bracketed_quantile(d, p, upper);
    return x;
}

#define NEWTON_MAX_STEPS 8

double fmc_dist_quantile_near(const fmc_dist *d, double p, int upper, double guess)
{
    if (d->kind != FMC_DIST_BETA && d->kind != FMC_DIST_PERT && d->kind != FMC_DIST_GAMMA)
        return quantile_either_tail(d, p, upper);
    double lo = 0, hi = d->kind == FMC_DIST_GAMMA ? INFINITY : 1;
    if (d->kind == FMC_DIST_PERT)
        guess = (guess - d->min) / (d->max - d->min);
    tail_target target = {d, p, upper};
    gsl_function_fdf fdf = {tail_gap, tail_density, tail_gap_and_density, &target};
    double x = NAN;
    gsl_root_fdfsolver *solver = gsl_root_fdfsolver_alloc(gsl_root_fdfsolver_newton);
    int settled = 0;
    if (solver && guess > lo && guess < hi && gsl_root_fdfsolver_set(solver, &fdf, guess) == GSL_SUCCESS) {
        for (int step = 0; step < NEWTON_MAX_STEPS && !settled; step++) {
            double before = gsl_root_fdfsolver_root(solver);
            if (gsl_root_fdfsolver_iterate(solver) != GSL_SUCCESS)
                break;
            x = gsl_root_fdfsolver_root(solver);
            if (!(x > lo && x < hi))
                break;
            settled = gsl_root_test_delta(x, before, 0, 4 * DBL_EPSILON) == GSL_SUCCESS;
        }
    }
    gsl_root_fdfsolver_free(solver);
    if (!settled)
        return quantile_either_tail(d, p, upper);
    return d->kind == FMC_DIST_PERT ? clamp(d->min + (d->max - d->min) * x, d->min, d->max) : x;
}

double fmc_dist_quantile(const fmc_dist *d, double p)
{
    return quantile_either_tail(d, p, 0);
}

double fmc_dist_quantile_upper(const fmc_dist *d, double q)
{
    return quantile_either_tail(d, q, 1);
}

double fmc_dist_cdf(const fmc_dist *d, double x)
{
    double a = d->min, b = d->max, c = d->mode;
    if (isnan(x))
        return NAN;
    switch (d->kind) {
    case FMC_DIST_CONSTANT:
        return x >= a ? 1 : 0;
    case FMC_DIST_UNIFORM:
        return x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a);
    case FMC_DIST_TRIANGULAR:
        if (x <= a)
            return 0;
        if (x >= b)
            return 1;
        if (x < c)
            return (x - a) * (x - a) / ((b - a) * (c - a));
        return 1 - (b - x) * (b - x) / ((b - a) * (b - c));
    case FMC_DIST_PERT:
        return x <= a ? 0 : x >= b ? 1 : gsl_cdf_beta_P((x - a) / (b - a), d->shape1, d->shape2);
    case FMC_DIST_NORMAL:
    case FMC_DIST_LOGNORMAL: {
        if (x <= a)
            return 0;
        if (x >= b)
            return 1;
        double t = d->kind == FMC_DIST_NORMAL ? x : log(x);
        double lo = d->kind == FMC_DIST_NORMAL ? a : log(a);
        return gauss_interval((lo - d->mu) / d->sigma, (t - d->mu) / d->sigma) / d->mass;
    }
    case FMC_DIST_BETA:
        return x <= 0 ? 0 : x >= 1 ? 1 : gsl_cdf_beta_P(x, d->shape1, d->shape2);
    case FMC_DIST_GAMMA:
        return x <= 0 ? 0 : gsl_cdf_gamma_P(x, d->shape1, d->scale);
    case FMC_DIST_DISCRETE:
    case FMC_DIST_EMPIRICAL: {
        if (x < d->points[0])
            return 0;
        size_t lo = 0, hi = d->count - 1;  /* last point <= x */
        while (lo < hi) {
            size_t mid = hi - (hi - lo) / 2;
            if (d->points[mid] <= x)
                lo = mid;
            else
                hi = mid - 1;
        }
        return d->cumulative[lo];
    }
    }
    return NAN;
}
