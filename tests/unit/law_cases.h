/* The distributions the unit tests exercise: every kind and every
 * parameterisation, with "high-entropy" parameters (2.385, not 1) and the
 * awkward shapes (U-shaped and J-shaped betas, a gamma with a pole at 0,
 * one-sided and two-sided truncation). */
#ifndef FUNNELMC_TEST_LAW_CASES_H
#define FUNNELMC_TEST_LAW_CASES_H

#include <math.h>
#include <stdlib.h>
#include "funnelmc/dist.h"

typedef struct law_case {
    const char *label;
    fmc_dist dist;
} law_case;

enum { LAW_CASE_COUNT = 20 };

/* Fills CASES[LAW_CASE_COUNT]; returns 0 on success.  Release with
 * law_cases_clear. */
static int law_cases_init(law_case *cases)
{
    static const double values[] = {3.5, -1.25, 10, 0.5};
    static const double weights[] = {2, 1, 0.5, 3};
    static const double data[] = {0.031, 0.027, 0.044, 0.031, 0.019, 0.052, 0.038};
    int bad = 0, i = 0;
#define ADD(text, call) (cases[i].label = text, bad |= (call) != FMC_OK, i++)
    ADD("constant 7.25", fmc_dist_set_constant(&cases[i].dist, 7.25, NULL));
    ADD("uniform [40, 60]", fmc_dist_set_uniform(&cases[i].dist, 40, 60, NULL));
    ADD("triangular 80/100/130", fmc_dist_set_triangular(&cases[i].dist, 80, 100, 130, NULL));
    ADD("triangular mode at min", fmc_dist_set_triangular(&cases[i].dist, 2.385, 2.385, 9.5, NULL));
    ADD("pert 8/10/14", fmc_dist_set_pert(&cases[i].dist, 8, 10, 14, 4, NULL));
    ADD("pert lambda 2.5", fmc_dist_set_pert(&cases[i].dist, 0.05, 0.31, 0.4, 2.5, NULL));
    ADD("normal 40, 5", fmc_dist_set_normal(&cases[i].dist, 40, 5, -INFINITY, INFINITY, NULL));
    ADD("normal truncated [20, 60]", fmc_dist_set_normal(&cases[i].dist, 40, 5, 20, 60, NULL));
    ADD("normal truncated far tail", fmc_dist_set_normal(&cases[i].dist, 1.5, 2.385, 6, INFINITY, NULL));
    ADD("lognormal median/sigma", fmc_dist_set_lognormal(&cases[i].dist, 1000, 0.4, 0, INFINITY, NULL));
    ADD("lognormal mean/sd truncated", fmc_dist_set_lognormal_mean_sd(&cases[i].dist, 2.385, 1.7, 0.5, 6, NULL));
    ADD("beta 25/75", fmc_dist_set_beta(&cases[i].dist, 25, 75, NULL));
    ADD("beta mean/sd", fmc_dist_set_beta_mean_sd(&cases[i].dist, 0.4, 0.05, NULL));
    ADD("beta U-shaped 0.5/0.5", fmc_dist_set_beta(&cases[i].dist, 0.5, 0.5, NULL));
    ADD("beta J-shaped 0.7/3.2", fmc_dist_set_beta(&cases[i].dist, 0.7, 3.2, NULL));
    /* a rare purchase: GSL's upper-tail inverse fails on it (NaN at 1/2) */
    ADD("beta skewed 1.2/800", fmc_dist_set_beta(&cases[i].dist, 1.2, 800, NULL));
    ADD("gamma shape 0.6", fmc_dist_set_gamma(&cases[i].dist, 0.6, 2.385, NULL));
    ADD("gamma shape 5.5", fmc_dist_set_gamma(&cases[i].dist, 5.5, 1.7, NULL));
    ADD("discrete", fmc_dist_set_discrete(&cases[i].dist, values, weights, 4, NULL));
    ADD("empirical", fmc_dist_set_empirical(&cases[i].dist, data, 7, NULL));
#undef ADD
    return bad || i != LAW_CASE_COUNT;
}

static void law_cases_clear(law_case *cases)
{
    for (int i = 0; i < LAW_CASE_COUNT; i++)
        fmc_dist_clear(&cases[i].dist);
}

#endif
