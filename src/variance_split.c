/* The first-order share of a lever's net-gain variance from the inputs;
 * see variance_split.h for the estimator and its source. */
#include "funnelmc/variance_split.h"

#include <math.h>
#include <string.h>

void fmc_split_block(double shift, const double *g, const double *g2, size_t n,
                     fmc_split_sums *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        double u = g[i] - shift, v = g2[i] - shift;
        double up[5] = {1, u, u * u, u * u * u, u * u * u * u};
        double vp[5] = {1, v, v * v, v * v * v, v * v * v * v};
        for (int a = 0; a <= 4; a++)
            for (int b = 0; a + b <= 4; b++)
                out->sums[a][b] += up[a] * vp[b];
    }
}

void fmc_split_merge(fmc_split_sums *into, const fmc_split_sums *next)
{
    for (int a = 0; a <= 4; a++)
        for (int b = 0; a + b <= 4; b++)
            into->sums[a][b] += next->sums[a][b];
}

/* E[(g - m)^a (g' - m)^b] from the raw moments RAW[i][j] = E[g^i g'^j]. */
static double central(const double raw[5][5], double m, int a, int b)
{
    static const double choose[5][5] = {
        {1, 0, 0, 0, 0}, {1, 1, 0, 0, 0}, {1, 2, 1, 0, 0}, {1, 3, 3, 1, 0}, {1, 4, 6, 4, 1}};
    double total = 0;
    for (int i = 0; i <= a; i++)
        for (int j = 0; j <= b; j++)
            total += choose[a][i] * choose[b][j] * raw[i][j] * pow(-m, a - i + b - j);
    return total;
}

void fmc_split_estimate(const fmc_split_sums *total, double *share, double *se)
{
    double n = total->sums[0][0];
    *share = *se = NAN;
    if (!(n >= 2))
        return;
    double raw[5][5] = {{0}};
    for (int a = 0; a <= 4; a++)
        for (int b = 0; a + b <= 4; b++)
            raw[a][b] = total->sums[a][b] / n;
    double m = (raw[1][0] + raw[0][1]) / 2;
    double covariance = central(raw, m, 1, 1);
    double variance = (central(raw, m, 2, 0) + central(raw, m, 0, 2)) / 2;
    if (!(variance > 0))
        return;
    double s = covariance / variance;
    /* E[psi^2], psi = uv - S/2 (u^2 + v^2) */
    double psi2 = central(raw, m, 2, 2) - s * (central(raw, m, 3, 1) + central(raw, m, 1, 3)) +
                  s * s / 4 * (central(raw, m, 4, 0) + 2 * central(raw, m, 2, 2) + central(raw, m, 0, 4));
    *share = s;
    *se = sqrt(fmax(psi2, 0) / n) / variance;
}
