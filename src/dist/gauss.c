/* The truncated Gaussian that normal (in x) and lognormal (in log x) share.
 *
 * Truncated normal on [a, b] with standardised bounds alpha, beta and
 * Z = Phi(beta) - Phi(alpha) (Johnson, Kotz & Balakrishnan, vol. 1, ch. 13):
 *   mean = mu + sigma (phi(alpha) - phi(beta)) / Z
 *   var  = sigma^2 [1 + (alpha phi(alpha) - beta phi(beta)) / Z
 *                   - ((phi(alpha) - phi(beta)) / Z)^2] */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "law.h"

double fmc_law_gauss_interval(double a, double b)
{
    if (a >= 0)
        return gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b);
    if (b <= 0)
        return gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    return 1 - gsl_cdf_ugaussian_P(a) - gsl_cdf_ugaussian_Q(b);
}

fmc_status fmc_law_set_gauss_window(fmc_dist *d, double lo, double hi, fmc_dist_problem *why)
{
    double alpha = (lo - d->mu) / d->sigma, beta = (hi - d->mu) / d->sigma;
    d->z_lo_p = gsl_cdf_ugaussian_P(alpha);
    d->z_lo_q = gsl_cdf_ugaussian_Q(alpha);
    d->z_hi_p = gsl_cdf_ugaussian_P(beta);
    d->z_hi_q = gsl_cdf_ugaussian_Q(beta);
    d->mass = fmc_law_gauss_interval(alpha, beta);
    if (!(d->mass >= FMC_LAW_MIN_TRUNCATED_MASS))
        return fmc_law_fail(why, "min",
                            "truncation window [%g, %g] holds almost no probability (%.3g)",
                            lo, hi, d->mass);
    return FMC_OK;
}

fmc_status fmc_law_check_bounds(double lo, double hi, fmc_dist_problem *why)
{
    if (isnan(lo) || lo == INFINITY)
        return fmc_law_fail(why, "min", "min must be a finite number");
    if (isnan(hi) || hi == -INFINITY)
        return fmc_law_fail(why, "max", "max must be a finite number");
    if (!(lo < hi))
        return fmc_law_fail(why, "max", "truncation needs min < max (min %g, max %g)", lo, hi);
    return FMC_OK;
}

/* Takes the inverse from the tail whose probability is below 1/2. */
double fmc_law_gauss_window_quantile(const fmc_dist *d, double p, int upper)
{
    double lower_prob = upper ? d->z_hi_p - p * d->mass : d->z_lo_p + p * d->mass;
    double upper_prob = upper ? d->z_hi_q + p * d->mass : d->z_lo_q - p * d->mass;
    double z = lower_prob < 0.5 ? gsl_cdf_ugaussian_Pinv(lower_prob)
                                : gsl_cdf_ugaussian_Qinv(upper_prob);
    return d->mu + d->sigma * z;
}

double fmc_law_density_at(double z)
{
    return isinf(z) ? 0.0 : gsl_ran_ugaussian_pdf(z);
}

double fmc_law_z_density_at(double z)
{
    return isinf(z) ? 0.0 : z * gsl_ran_ugaussian_pdf(z);
}

double fmc_law_gauss_window_cdf(const fmc_dist *d, double lo, double t)
{
    return fmc_law_gauss_interval((lo - d->mu) / d->sigma, (t - d->mu) / d->sigma) / d->mass;
}
