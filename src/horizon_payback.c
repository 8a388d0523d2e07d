/* The discount factor and the payback period of horizon.h, alone: the
 * period-by-period model (src/horizon.c) is not in this tree yet, and what
 * a run reports of a horizon needs these two.  The lead's src/horizon.c is
 * to replace this file. */
#include "funnelmc/horizon.h"

#include <math.h>

double fmc_horizon_discount(double rate, uint32_t t)
{
    return pow(1 + rate, -(double)(t - 1));
}

void fmc_horizon_payback(double rate, uint32_t periods, const double *const *flows, size_t count,
                         uint32_t *payback)
{
    for (size_t i = 0; i < count; i++) {
        double cumulative = flows[0][i];
        payback[i] = cumulative > 0 ? 1 : periods + 1;
        for (uint32_t t = 2; t <= periods; t++) {
            cumulative += fmc_horizon_discount(rate, t) * flows[t - 1][i];
            if (!(cumulative > 0))
                payback[i] = periods + 1;
            else if (payback[i] > periods)
                payback[i] = t;
        }
    }
}
