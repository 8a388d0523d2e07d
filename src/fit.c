/* Laws fitted to data by maximum likelihood, ranked by AIC (Akaike 1974).
 *
 * Estimators (x_1 <= ... <= x_n the sorted data, "info" the observed Fisher
 * information, whose inverse gives the standard errors):
 *   normal      untruncated (real kind): mean and sd of the data (divisor
 *               n); SE sd/sqrt(n) and sd/sqrt(2n).  Truncated to the kind's
 *               range (rate, positive): the truncated-normal likelihood
 *               maximised over (mean, log sd) by GSL's Nelder-Mead simplex
 *               from the untruncated estimates (Cohen 1950 gives no closed
 *               form); SE from a central-difference Hessian of the
 *               log-likelihood at the optimum.
 *   lognormal   the normal's estimates on log x: mu, sigma; median =
 *               exp(mu), SE(median) = median sigma / sqrt(n) (delta
 *               method), SE(sigma) = sigma / sqrt(2n).
 *   gamma       shape k solves log k - digamma(k) = log(mean) - mean(log x),
 *               by Newton's method from Minka's (2002, "Estimating a Gamma
 *               distribution") closed-form start; scale = mean / k; info
 *               per value [[trigamma k, 1/scale], [1/scale, k/scale^2]].
 *   beta        the shapes solve digamma(a) - digamma(a+b) = mean(log x),
 *               digamma(b) - digamma(a+b) = mean(log(1-x)), by Newton's
 *               method (the Jacobian is the information per value, the
 *               log-likelihood is concave: an exponential family) from the
 *               method-of-moments start (Johnson, Kotz & Balakrishnan,
 *               Continuous Univariate Distributions 2, ch. 25).
 *   uniform     the MLE [x_1, x_n] gives the data no room: the widened ends
 *               x_1 - r/(n-1), x_n + r/(n-1), r = x_n - x_1, are used
 *               instead (the unbiased estimators, the UMVU ones), and the
 *               log-likelihood is that of the widened law, -n log(max-min).
 *               SE of each end: their exact standard deviation,
 *               range sqrt(n / ((n+1)(n+2)(n-1))).
 *   triangular  the mode, for given ends, maximises the likelihood at a
 *               data point or at an end (Oliver 1972, "A maximum
 *               likelihood oddity", Am. Stat. 26: the log-likelihood is
 *               convex in the mode between data points), found in one
 *               pass of running sums.  The ends: the sample extremes moved
 *               out by the shortfalls E[x_1 - min] and E[max - x_n] the
 *               fitted law itself predicts (closed forms below), iterated
 *               with the mode to a fixed point -- a bias-corrected
 *               estimator, as uniform's widening is (the ends' likelihood
 *               is not regular: its information is infinite, so no Hessian
 *               gives their errors).  SE of each end: the standard
 *               deviation of that extreme under the fitted law; of the
 *               mode: (mode-min)(max-mode)/n, the inverse of the variance
 *               of its score, plus the ends' errors carried over by the
 *               delta method (the information couples the mode with the
 *               ends in the ratios (max-mode)/(max-min) and
 *               (mode-min)/(max-min)), under a square root.  The mode's
 *               likelihood is not smooth (it kinks at every value), and
 *               this asymptotic error is approached slowly: at n = 2000
 *               the real spread is measured about 1.1 times larger
 *               (tests/unit/test_fit.c prints it).
 * Ends of uniform and triangular are clamped to the kind's range.
 *
 * Goodness of fit, against the fitted law's CDF: the Kolmogorov-Smirnov
 * distance D_n with the p-value of Kolmogorov's limit law at Stephens's
 * (1970) modified statistic (sqrt(n) + 0.12 + 0.11/sqrt(n)) D_n --
 * conservative, since the parameters were estimated from the same data
 * (Lilliefors 1967); and the Anderson-Darling (1954) A^2. */
#include "funnelmc/fit.h"

#include <float.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The data every estimator reads: sorted, with sums computed once. */
typedef struct fit_data {
    const double *x;  /* ascending */
    size_t n;
    double lo, hi;    /* the kind's range */
    double mean, variance;  /* divisor n */
} fit_data;

typedef struct fit_law {
    const fmc_dist_type *law;
    /* Fills C's parameters, SEs, law and log-likelihood and returns 1; or
     * returns 0 with C->reason saying why the law cannot describe the data. */
    int (*fit)(const fit_data *data, fmc_fit_candidate *c);
} fit_law;

const fmc_dist_type *const fmc_fit_laws[FMC_FIT_LAW_COUNT + 1] = {
    FMC_DIST_UNIFORM, FMC_DIST_TRIANGULAR, FMC_DIST_NORMAL,
    FMC_DIST_LOGNORMAL, FMC_DIST_BETA, FMC_DIST_GAMMA, NULL};

static const fmc_dist_type *const rate_laws[] = {FMC_DIST_BETA, FMC_DIST_UNIFORM,
                                                 FMC_DIST_TRIANGULAR, NULL};
static const fmc_dist_type *const positive_laws[] = {FMC_DIST_LOGNORMAL, FMC_DIST_GAMMA,
                                                     FMC_DIST_NORMAL, FMC_DIST_UNIFORM,
                                                     FMC_DIST_TRIANGULAR, NULL};
static const fmc_dist_type *const real_laws[] = {FMC_DIST_NORMAL, FMC_DIST_UNIFORM,
                                                 FMC_DIST_TRIANGULAR, NULL};

const fmc_dist_type *const *fmc_fit_default_laws(fmc_fit_kind kind)
{
    return kind == FMC_FIT_RATE ? rate_laws : kind == FMC_FIT_POSITIVE ? positive_laws : real_laws;
}

/* The lower end of KIND's range. */
static double kind_lowest(fmc_fit_kind kind)
{
    return kind == FMC_FIT_REAL ? -INFINITY : kind == FMC_FIT_GROWTH ? -1 : 0;
}

const fmc_dist_type *fmc_fit_law_find(const char *name)
{
    const fmc_dist_type *law = fmc_dist_type_find(name);
    for (size_t i = 0; law && fmc_fit_laws[i]; i++)
        if (fmc_fit_laws[i] == law)
            return law;
    return NULL;
}

const char *fmc_fit_kind_name(fmc_fit_kind kind)
{
    static const char *const names[] = {"rate", "positive", "real", "growth"};
    return names[kind];
}

fmc_fit_kind fmc_fit_kind_of(const double *values, size_t n)
{
    fmc_fit_kind kind = FMC_FIT_RATE;
    for (size_t i = 0; i < n; i++) {
        if (values[i] < 0)
            return FMC_FIT_REAL;
        if (values[i] > 1)
            kind = FMC_FIT_POSITIVE;
    }
    return kind;
}

static int refuse(fmc_fit_candidate *c, const char *why)
{
    snprintf(c->reason, sizeof c->reason, "%s", why);
    return 0;
}

/* The setter's verdict on the estimates: 1, or 0 with its message. */
static int accept_law(fmc_fit_candidate *c, fmc_status status, const fmc_dist_problem *why)
{
    return status == FMC_OK ? 1 : refuse(c, why->message);
}

static void name_parameters(fmc_fit_candidate *c, const char *a, const char *b, const char *d)
{
    c->parameter_names[0] = a;
    c->parameter_names[1] = b;
    c->parameter_names[2] = d;
    c->parameter_count = d ? 3 : 2;
}

static const double half_log_2pi = 0.91893853320467274178;

/* ----- normal ----- */

/* The log-likelihood of N(mu, sd^2) truncated to the kind's range; -inf
 * where the setter refuses the window. */
static double truncated_normal_log_likelihood(const fit_data *data, double mu, double sd)
{
    fmc_dist d;
    if (fmc_dist_set_normal(&d, mu, sd, data->lo, data->hi, NULL))
        return -INFINITY;
    double n = (double)data->n, shift = data->mean - mu;
    double squares = n * (data->variance + shift * shift);
    return -n * (log(sd) + half_log_2pi + log(d.mass)) - squares / (2 * sd * sd);
}

/* The simplex works in units of the data: (mu - mean) / sd0 and
 * log(sd / sd0), with mean and sd0 the untruncated estimates.  It stops at
 * a size of 1e-7 there: the log-likelihood's rounding (1e-16 of n values)
 * blurs its maximum over about sqrt(1e-16) = 1e-8, and 1e-7 sd0 is far
 * below the standard errors (sd0 / sqrt(n)). */
static double normal_objective(const gsl_vector *v, void *params)
{
    const fit_data *data = params;
    double sd0 = sqrt(data->variance);
    double value = -truncated_normal_log_likelihood(data, data->mean + sd0 * gsl_vector_get(v, 0),
                                                    sd0 * exp(gsl_vector_get(v, 1)));
    return isfinite(value) ? value : DBL_MAX;
}

/* The maximum of the truncated likelihood over (mu, log sd), from the
 * untruncated estimates: 0 when the simplex cannot be set up or does not
 * settle (the likelihood may have no maximum: data rising to an end). */
static int maximise_truncated_normal(const fit_data *data, double *mu, double *sd)
{
    gsl_multimin_function f = {normal_objective, 2, (void *)data};
    gsl_vector *start = gsl_vector_calloc(2), *step = gsl_vector_alloc(2);
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 2);
    int settled = 0;
    if (start && step && m) {
        gsl_vector_set_all(step, 0.2);
        if (gsl_multimin_fminimizer_set(m, &f, start, step) == GSL_SUCCESS)
            for (int i = 0; i < 5000 && !settled; i++) {
                if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS)
                    break;
                settled = gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), 1e-7) ==
                          GSL_SUCCESS;
            }
        settled = settled && m->fval < DBL_MAX;
        if (settled) {
            double sd0 = sqrt(data->variance);
            *mu = data->mean + sd0 * gsl_vector_get(m->x, 0);
            *sd = sd0 * exp(gsl_vector_get(m->x, 1));
        }
    }
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(start);
    gsl_vector_free(step);
    return settled;
}

/* Standard errors of (mu, sd) from the central-difference Hessian of the
 * truncated log-likelihood, steps 1e-4 sd (about the cube root of the
 * rounding error, relative to the curvature's scale). */
static int truncated_normal_errors(const fit_data *data, double mu, double sd, double *se)
{
    double h[2] = {1e-4 * sd, 1e-4 * sd}, theta[2] = {mu, sd}, hessian[2][2];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double sum = 0;
            for (int si = -1; si <= 1; si += 2)
                for (int sj = -1; sj <= 1; sj += 2) {
                    double t[2] = {theta[0], theta[1]};
                    t[i] += si * h[i];
                    t[j] += sj * h[j];
                    sum += si * sj * truncated_normal_log_likelihood(data, t[0], t[1]);
                }
            hessian[i][j] = sum / (4 * h[i] * h[j]);
        }
    /* the information is -H; its inverse's diagonal */
    double det = hessian[0][0] * hessian[1][1] - hessian[0][1] * hessian[1][0];
    if (!(det > 0) || !(hessian[0][0] < 0))
        return 0;
    se[0] = sqrt(-hessian[1][1] / det);
    se[1] = sqrt(-hessian[0][0] / det);
    return isfinite(se[0]) && isfinite(se[1]);
}

static int fit_normal(const fit_data *data, fmc_fit_candidate *c)
{
    double n = (double)data->n, mu = data->mean, sd = sqrt(data->variance);
    name_parameters(c, "mean", "sd", NULL);
    if (!(sd > 0))
        return refuse(c, "every value is the same, or nearly");
    if (isinf(data->lo) && isinf(data->hi)) {
        c->parameter_se[0] = sd / sqrt(n);
        c->parameter_se[1] = sd / sqrt(2 * n);
        c->log_likelihood = -n * (log(sd) + half_log_2pi + 0.5);
    } else {
        if (!maximise_truncated_normal(data, &mu, &sd))
            return refuse(c, "the truncated normal's likelihood has no maximum here");
        if (!truncated_normal_errors(data, mu, sd, c->parameter_se))
            return refuse(c, "the truncated normal's likelihood is flat at its maximum");
        c->log_likelihood = truncated_normal_log_likelihood(data, mu, sd);
    }
    c->parameters[0] = mu;
    c->parameters[1] = sd;
    fmc_dist_problem why;
    return accept_law(c, fmc_dist_set_normal(&c->dist, mu, sd, data->lo, data->hi, &why), &why);
}

/* ----- lognormal and gamma: positive data ----- */

/* The mean of log x, or NaN (and C->reason) when a value is not > 0. */
static double mean_log(const fit_data *data, fmc_fit_candidate *c)
{
    if (!(data->x[0] > 0)) {
        snprintf(c->reason, sizeof c->reason, "%s needs values > 0 (the data hold %g)",
                 c->law->name, data->x[0]);
        return NAN;
    }
    double sum = 0;
    for (size_t i = 0; i < data->n; i++)
        sum += log(data->x[i]);
    return sum / (double)data->n;
}

static int fit_lognormal(const fit_data *data, fmc_fit_candidate *c)
{
    name_parameters(c, "median", "sigma", NULL);
    double n = (double)data->n, mu = mean_log(data, c), squares = 0;
    if (isnan(mu))
        return 0;
    for (size_t i = 0; i < data->n; i++)
        squares += (log(data->x[i]) - mu) * (log(data->x[i]) - mu);
    double sigma = sqrt(squares / n), median = exp(mu);
    if (!(sigma > 0))
        return refuse(c, "every value is the same, or nearly");
    c->parameters[0] = median;
    c->parameters[1] = sigma;
    c->parameter_se[0] = median * sigma / sqrt(n);
    c->parameter_se[1] = sigma / sqrt(2 * n);
    c->log_likelihood = -n * (mu + log(sigma) + half_log_2pi + 0.5);
    fmc_dist_problem why;
    return accept_law(c, fmc_dist_set_lognormal(&c->dist, median, sigma, 0, INFINITY, &why),
                      &why);
}

static int fit_gamma(const fit_data *data, fmc_fit_candidate *c)
{
    name_parameters(c, "shape", "scale", NULL);
    double n = (double)data->n, log_mean = mean_log(data, c);
    if (isnan(log_mean))
        return 0;
    double s = log(data->mean) - log_mean;  /* >= 0 by Jensen, 0 for equal values */
    if (!(s > 1e-14))
        return refuse(c, "every value is the same, or nearly");
    double k = (3 - s + sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
    for (int i = 0; i < 100; i++) {
        double gap = log(k) - gsl_sf_psi(k) - s, slope = 1 / k - gsl_sf_psi_1(k);
        double next = k - gap / slope;
        next = next > 0 ? next : k / 2;  /* Newton may overshoot below 0 */
        int done = fabs(next - k) <= 1e-13 * k;
        k = next;
        if (done)
            break;
    }
    double scale = data->mean / k, trigamma = gsl_sf_psi_1(k), det = k * trigamma - 1;
    c->parameters[0] = k;
    c->parameters[1] = scale;
    c->parameter_se[0] = sqrt(k / (n * det));
    c->parameter_se[1] = scale * sqrt(trigamma / (n * det));
    c->log_likelihood =
        n * ((k - 1) * log_mean - k - gsl_sf_lngamma(k) - k * log(scale));
    fmc_dist_problem why;
    return accept_law(c, fmc_dist_set_gamma(&c->dist, k, scale, &why), &why);
}

/* ----- beta ----- */

/* The information of one value about the shapes (a, b): the symmetric
 * matrix [[INFO[0], INFO[1]], [INFO[1], INFO[2]]]. */
static void beta_information(double a, double b, double info[3])
{
    double common = gsl_sf_psi_1(a + b);
    info[0] = gsl_sf_psi_1(a) - common;
    info[1] = -common;
    info[2] = gsl_sf_psi_1(b) - common;
}

static int fit_beta(const fit_data *data, fmc_fit_candidate *c)
{
    name_parameters(c, "alpha", "beta", NULL);
    if (!(data->x[0] > 0 && data->x[data->n - 1] < 1)) {
        snprintf(c->reason, sizeof c->reason, "beta needs values strictly between 0 and 1 "
                 "(the data hold %g)", data->x[0] > 0 ? data->x[data->n - 1] : data->x[0]);
        return 0;
    }
    double n = (double)data->n, log_x = 0, log_1mx = 0;
    for (size_t i = 0; i < data->n; i++) {
        log_x += log(data->x[i]);
        log_1mx += log1p(-data->x[i]);
    }
    log_x /= n;
    log_1mx /= n;
    if (!(data->variance > 0))
        return refuse(c, "every value is the same, or nearly");
    double m = data->mean, k = m * (1 - m) / data->variance - 1;
    double a = k > 0 ? m * k : 1, b = k > 0 ? (1 - m) * k : 1, info[3];
    int settled = 0;
    for (int i = 0; i < 200 && !settled; i++) {
        beta_information(a, b, info);
        double g0 = gsl_sf_psi(a) - gsl_sf_psi(a + b) - log_x;
        double g1 = gsl_sf_psi(b) - gsl_sf_psi(a + b) - log_1mx;
        double det = info[0] * info[2] - info[1] * info[1];
        double da = (info[2] * g0 - info[1] * g1) / det, db = (info[0] * g1 - info[1] * g0) / det;
        double t = 1;
        while (t > 1e-10 && !(a - t * da > 0 && b - t * db > 0))  /* stay positive */
            t /= 2;
        a -= t * da;
        b -= t * db;
        /* digamma differences of large shapes cancel to about 1e-12 of
         * themselves, so the steps of concentrated data stall there: 1e-10
         * of a shape is far inside its standard error */
        settled = fabs(t * da) <= 1e-10 * a && fabs(t * db) <= 1e-10 * b;
    }
    if (!settled || !isfinite(a) || !isfinite(b))
        return refuse(c, "the beta's likelihood equations have no solution here");
    beta_information(a, b, info);
    double det = info[0] * info[2] - info[1] * info[1];
    c->parameters[0] = a;
    c->parameters[1] = b;
    c->parameter_se[0] = sqrt(info[2] / (n * det));
    c->parameter_se[1] = sqrt(info[0] / (n * det));
    c->log_likelihood = n * ((a - 1) * log_x + (b - 1) * log_1mx - gsl_sf_lnbeta(a, b));
    fmc_dist_problem why;
    return accept_law(c, fmc_dist_set_beta(&c->dist, a, b, &why), &why);
}

/* ----- uniform and triangular: laws with ends ----- */

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static int fit_uniform(const fit_data *data, fmc_fit_candidate *c)
{
    name_parameters(c, "min", "max", NULL);
    double n = (double)data->n, range = data->x[data->n - 1] - data->x[0];
    if (!(range > 0))
        return refuse(c, "every value is the same, or nearly");
    double min = clamp(data->x[0] - range / (n - 1), data->lo, data->hi);
    double max = clamp(data->x[data->n - 1] + range / (n - 1), data->lo, data->hi);
    c->parameters[0] = min;
    c->parameters[1] = max;
    c->parameter_se[0] = c->parameter_se[1] =
        (max - min) * sqrt(n / ((n + 1) * (n + 2) * (n - 1)));
    c->log_likelihood = -n * log(max - min);
    fmc_dist_problem why;
    return accept_law(c, fmc_dist_set_uniform(&c->dist, min, max, &why), &why);
}

/* The mode maximising the triangular likelihood on [MIN, MAX] (a data
 * point, or an end), and that log-likelihood into *LOG_LIKELIHOOD; NaN
 * (and -inf) when the values fill [MIN, MAX] (clamped ends), where no
 * mode gives every value a density.  For the mode at x_r:
 * n log(2/(max-min)) + sum_{i<r} log((x_i-min)/(x_r-min)) +
 * sum_{i>r} log((max-x_i)/(max-x_r)).  A value at an end leaves only that
 * end as the mode. */
static double best_mode(const fit_data *data, double min, double max, double *log_likelihood)
{
    size_t n = data->n;
    const double *x = data->x;
    int room_below = x[0] > min, room_above = x[n - 1] < max;
    double base = (double)n * log(2 / (max - min)), best = -INFINITY, mode = NAN;
    double right = 0, left = 0;  /* sums of log(max - x_i) over i > r, log(x_i - min) over i < r */
    if (room_above) {
        for (size_t i = 0; i < n; i++)
            right += log(max - x[i]);
        best = base + right - (double)n * log(max - min);  /* the mode at min */
        mode = min;
    }
    for (size_t r = 0; r < n && room_below; r++) {
        if (room_above) {
            right -= log(max - x[r]);
            double value = base + left - (double)r * log(x[r] - min) + right -
                           (double)(n - 1 - r) * log(max - x[r]);
            if (value > best) {
                best = value;
                mode = x[r];
            }
        }
        left += log(x[r] - min);
    }
    if (room_below && base + left - (double)n * log(max - min) > best) {
        best = base + left - (double)n * log(max - min);
        mode = max;
    }
    *log_likelihood = best;
    return mode;
}

/* Mean and standard deviation of x_1 - min, the lowest of N draws of the
 * triangular law (MIN, MODE, MAX) above its lower end: with T = x_1 - min,
 * R = max - min, p = (mode - min) / R and q = 1 - p, P(T > t) = P(X > min +
 * t)^N is (1 - t^2 / (R (mode-min)))^N below the mode and
 * ((R - t)^2 / (R (max-mode)))^N above, whose integrals E[T] = int P(T > t)
 * dt and E[T^2] = int 2 t P(T > t) dt are
 *   E[T]   = sqrt(R (mode-min)) / 2 B(1/2, N+1) I_p(1/2, N+1) + (max-mode) q^N / (2N+1)
 *   E[T^2] = R (mode-min) (1 - q^(N+1)) / (N+1)
 *            + 2 (max-mode) q^N (R / (2N+1) - (max-mode) / (2N+2)). */
static void lowest_shortfall(double min, double mode, double max, double n, double *mean,
                             double *sd)
{
    double range = max - min, rise = mode - min, fall = max - mode;
    double p = rise / range, q_n = pow(fall / range, n);
    double incomplete = p > 0 ? gsl_sf_beta_inc(0.5, n + 1, p) : 0;
    double m1 = 0.5 * sqrt(range * rise) * exp(gsl_sf_lnbeta(0.5, n + 1)) * incomplete +
                fall * q_n / (2 * n + 1);
    double m2 = range * rise * -expm1((n + 1) * log1p(-p)) / (n + 1) +
                2 * fall * q_n * (range / (2 * n + 1) - fall / (2 * n + 2));
    *mean = m1;
    *sd = sqrt(fmax(m2 - m1 * m1, 0));
}

static int fit_triangular(const fit_data *data, fmc_fit_candidate *c)
{
    name_parameters(c, "min", "mode", "max");
    double n = (double)data->n, lowest = data->x[0], highest = data->x[data->n - 1];
    double range = highest - lowest;
    if (!(range > 0))
        return refuse(c, "every value is the same, or nearly");
    double min = clamp(lowest - range / (n - 1), data->lo, data->hi);
    double max = clamp(highest + range / (n - 1), data->lo, data->hi);
    double log_likelihood, mode = best_mode(data, min, max, &log_likelihood);
    double below = 0, above = 0, sd_min = 0, sd_max = 0;
    for (int i = 0; i < 100; i++) {
        lowest_shortfall(min, mode, max, n, &below, &sd_min);
        /* the highest value is the lowest of the mirrored law */
        lowest_shortfall(-max, -mode, -min, n, &above, &sd_max);
        double next_min = clamp(lowest - below, data->lo, data->hi);
        double next_max = clamp(highest + above, data->lo, data->hi);
        int done = fabs(next_min - min) <= 1e-12 * range && fabs(next_max - max) <= 1e-12 * range;
        min = next_min;
        max = next_max;
        mode = best_mode(data, min, max, &log_likelihood);
        if (done)
            break;
    }
    if (isnan(mode))
        return refuse(c, "the values reach both ends of the range: no mode gives them all room");
    c->parameters[0] = min;
    c->parameters[1] = mode;
    c->parameters[2] = max;
    c->parameter_se[0] = sd_min;
    double weight_min = (max - mode) / (max - min), weight_max = (mode - min) / (max - min);
    c->parameter_se[1] = sqrt((mode - min) * (max - mode) / n + weight_min * weight_min * sd_min *
                              sd_min + weight_max * weight_max * sd_max * sd_max);
    c->parameter_se[2] = sd_max;
    c->log_likelihood = log_likelihood;
    fmc_dist_problem why;
    return accept_law(c, fmc_dist_set_triangular(&c->dist, min, mode, max, &why), &why);
}

static const fit_law fitters[] = {
    {&fmc_dist_uniform, fit_uniform}, {&fmc_dist_triangular, fit_triangular},
    {&fmc_dist_normal, fit_normal},   {&fmc_dist_lognormal, fit_lognormal},
    {&fmc_dist_beta, fit_beta},       {&fmc_dist_gamma, fit_gamma},
};

static const fit_law *fitter_of(const fmc_dist_type *law)
{
    for (size_t i = 0; i < sizeof fitters / sizeof *fitters; i++)
        if (fitters[i].law == law)
            return &fitters[i];
    return NULL;
}

/* ----- goodness of fit ----- */

/* P(K > lambda) for Kolmogorov's limit law: the alternating series
 * 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2) converges fast above 1, and its
 * Jacobi-theta twin 1 - sqrt(2 pi)/lambda sum exp(-(2k-1)^2 pi^2 / (8
 * lambda^2)) below. */
static double kolmogorov_upper(double lambda)
{
    if (lambda <= 0.2)
        return 1;  /* P(K <= 0.2) is below 1e-20 */
    double sum = 0;
    if (lambda < 1) {
        for (int k = 1; k <= 6; k++)
            sum += exp(-(2 * k - 1) * (2 * k - 1) * M_PI * M_PI / (8 * lambda * lambda));
        return 1 - sqrt(2 * M_PI) / lambda * sum;
    }
    for (int k = 1; k <= 100; k++) {
        double term = exp(-2.0 * k * k * lambda * lambda);
        sum += k % 2 ? term : -term;
        if (term < 1e-17)
            break;
    }
    return fmin(1, fmax(0, 2 * sum));
}

static void goodness_of_fit(const fit_data *data, fmc_fit_candidate *c)
{
    size_t n = data->n;
    double distance = 0, squares = 0;
    for (size_t i = 0; i < n; i++) {
        double f = fmc_dist_cdf(&c->dist, data->x[i]);
        distance = fmax(distance, fmax(f - (double)i / n, (double)(i + 1) / n - f));
        /* clamped so that a value at an end of the support gives a large,
         * finite A^2 */
        double lower = clamp(f, 1e-300, 1);
        double upper = clamp(1 - fmc_dist_cdf(&c->dist, data->x[n - 1 - i]), 1e-300, 1);
        squares += (2.0 * (double)i + 1) * (log(lower) + log(upper));
    }
    double root = sqrt((double)n);
    c->ks = distance;
    c->ks_p = kolmogorov_upper((root + 0.12 + 0.11 / root) * distance);
    c->anderson_darling = -(double)n - squares / (double)n;
}

/* ----- the ranking ----- */

static size_t table_position(const fmc_dist_type *law)
{
    size_t i = 0;
    while (fmc_dist_types[i] && fmc_dist_types[i] != law)
        i++;
    return i;
}

/* Fitted first by AIC, ties by law table order; then the others as given
 * (the sort is not stable, so the order given is part of the key). */
typedef struct ranked {
    fmc_fit_candidate candidate;
    size_t given;
} ranked;

static int by_rank(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->candidate.fitted != b->candidate.fitted)
        return a->candidate.fitted ? -1 : 1;
    if (a->candidate.fitted) {
        if (a->candidate.aic != b->candidate.aic)
            return a->candidate.aic < b->candidate.aic ? -1 : 1;
        size_t ta = table_position(a->candidate.law), tb = table_position(b->candidate.law);
        if (ta != tb)
            return ta < tb ? -1 : 1;
    }
    return a->given < b->given ? -1 : a->given > b->given;
}

static int by_value(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static fmc_status fail(fmc_fit_result *out, size_t bad_value, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static fmc_status fail(fmc_fit_result *out, size_t bad_value, const char *format, ...)
{
    out->bad_value = bad_value;
    va_list args;
    va_start(args, format);
    vsnprintf(out->problem, sizeof out->problem, format, args);
    va_end(args);
    return FMC_EINVAL;
}

/* The values' checks: FMC_OK, or FMC_EINVAL with OUT's problem. */
static fmc_status check_values(const double *values, size_t n, fmc_fit_kind kind,
                               fmc_fit_result *out)
{
    if (n < FMC_FIT_MIN_VALUES)
        return fail(out, FMC_FIT_NO_VALUE, "%zu value%s: a fit needs at least %d", n,
                    n == 1 ? "" : "s", FMC_FIT_MIN_VALUES);
    for (size_t i = 0; i < n; i++) {
        double x = values[i];
        if (!isfinite(x))
            return fail(out, i, "value %zu (%g) is not a finite number", i + 1, x);
        if (kind == FMC_FIT_RATE && !(x >= 0 && x <= 1))
            return fail(out, i, "value %zu (%g) is outside [0, 1]", i + 1, x);
        if (!(x >= kind_lowest(kind)))
            return fail(out, i, kind == FMC_FIT_GROWTH ? "value %zu (%g) is below -1"
                                                       : "value %zu (%g) is negative", i + 1, x);
    }
    return FMC_OK;
}

fmc_status fmc_fit(const double *values, size_t n, fmc_fit_kind kind,
                   const fmc_dist_type *const *laws, size_t law_count, fmc_fit_result *out)
{
    memset(out, 0, sizeof *out);
    out->value_count = n;
    out->bad_value = FMC_FIT_NO_VALUE;
    if (!laws) {
        laws = fmc_fit_default_laws(kind);
        for (law_count = 0; laws[law_count]; law_count++)
            ;
    }
    if (law_count == 0)
        return fail(out, FMC_FIT_NO_VALUE, "no law to fit");
    for (size_t k = 0; k < law_count; k++)
        if (!laws[k] || !fitter_of(laws[k]))
            return fail(out, FMC_FIT_NO_VALUE, "'%s' cannot be fitted (the laws that can: "
                        "uniform, triangular, normal, lognormal, beta, gamma)",
                        fmc_dist_kind_name(laws[k]));
    fmc_status status = check_values(values, n, kind, out);
    if (status)
        return status;
    double *sorted = malloc(n * sizeof *sorted);
    ranked *rows = calloc(law_count, sizeof *rows);
    if (!sorted || !rows) {
        free(sorted);
        free(rows);
        return FMC_ENOMEM;
    }
    memcpy(sorted, values, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by_value);
    fit_data data = {sorted, n, kind_lowest(kind), kind == FMC_FIT_RATE ? 1 : INFINITY, 0, 0};
    for (size_t i = 0; i < n; i++)
        data.mean += sorted[i];
    data.mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        data.variance += (sorted[i] - data.mean) * (sorted[i] - data.mean);
    data.variance /= (double)n;

    size_t fitted = 0;
    for (size_t k = 0; k < law_count; k++) {
        fmc_fit_candidate *c = &rows[k].candidate;
        rows[k].given = k;
        c->law = laws[k];
        c->dist.kind = FMC_DIST_CONSTANT;
        c->fitted = fitter_of(laws[k])->fit(&data, c);
        if (c->fitted && !isfinite(c->log_likelihood))
            c->fitted = refuse(c, "the likelihood is not finite");
        if (!c->fitted) {
            fmc_dist_clear(&c->dist);
            continue;
        }
        c->aic = 2 * (double)c->parameter_count - 2 * c->log_likelihood;
        goodness_of_fit(&data, c);
        if (!isfinite(c->ks) || !isfinite(c->anderson_darling)) {
            /* the law's CDF fails at these values (1e-300: its arithmetic underflows) */
            c->fitted = refuse(c, "its CDF cannot be computed at these values");
            fmc_dist_clear(&c->dist);
            continue;
        }
        fitted++;
    }
    free(sorted);
    qsort(rows, law_count, sizeof *rows, by_rank);
    if (!fitted) {
        char reasons[160] = "";
        for (size_t k = 0; k < law_count; k++)
            snprintf(reasons + strlen(reasons), sizeof reasons - strlen(reasons), "%s%s: %s",
                     k ? "; " : "", rows[k].candidate.law->name, rows[k].candidate.reason);
        free(rows);
        return fail(out, FMC_FIT_NO_VALUE, "no law could be fitted (%s)", reasons);
    }
    out->candidates = malloc(law_count * sizeof *out->candidates);
    if (!out->candidates) {
        free(rows);
        return FMC_ENOMEM;
    }
    for (size_t k = 0; k < law_count; k++)
        out->candidates[k] = rows[k].candidate;
    out->count = law_count;
    free(rows);
    return FMC_OK;
}

void fmc_fit_result_clear(fmc_fit_result *result)
{
    if (!result)
        return;
    for (size_t k = 0; k < result->count; k++)
        fmc_dist_clear(&result->candidates[k].dist);
    free(result->candidates);
    result->candidates = NULL;
    result->count = 0;
}
