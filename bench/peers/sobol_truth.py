#!/usr/bin/env python3
"""Analytic Sobol indices of bench/sobol-8.yaml's model,

    profit = P - Q,  P = D F Cr Or Pr with D = R - Cg,  Q = h T,

all inputs independent.  With mu and v the means and variances and
m2 = v + mu^2 (exact moments from OpenTURNS's distributions, so independent
of funnelmc's code), Var(profit) = Var(P) + Var(Q) and, for an input X of P
with the product of the other factors' means M_X and second moments M2_X:
    S_X  = v_X M_X^2 / V,   ST_X = v_X M2_X / V
(R and Cg enter through D: M_R = E[F Cr Or Pr], M2_R = E[(F Cr Or Pr)^2]);
for h and T the same with the other one's mean or second moment.
"""
from openturns_sobol import distributions


def truth():
    laws = distributions()
    mu = [law.getMean()[0] for law in laws]
    v = [law.getCovariance()[0, 0] for law in laws]
    m2 = [v[i] + mu[i] ** 2 for i in range(8)]
    R, Cg, F, Cr, Or, Pr, h, T = range(8)
    funnel = [F, Cr, Or, Pr]
    d_mean, d_m2 = mu[R] - mu[Cg], v[R] + v[Cg] + (mu[R] - mu[Cg]) ** 2

    def product(indices, moments):
        out = 1.0
        for i in indices:
            out *= moments[i]
        return out

    var_p = d_m2 * product(funnel, m2) - (d_mean * product(funnel, mu)) ** 2
    var_q = m2[h] * m2[T] - (mu[h] * mu[T]) ** 2
    total_variance = var_p + var_q
    first, total = [0.0] * 8, [0.0] * 8
    for x in (R, Cg):
        first[x] = v[x] * product(funnel, mu) ** 2 / total_variance
        total[x] = v[x] * product(funnel, m2) / total_variance
    for x in funnel:
        others = [i for i in funnel if i != x]
        first[x] = v[x] * (d_mean * product(others, mu)) ** 2 / total_variance
        total[x] = v[x] * d_m2 * product(others, m2) / total_variance
    first[h], total[h] = v[h] * mu[T] ** 2 / total_variance, v[h] * m2[T] / total_variance
    first[T], total[T] = v[T] * mu[h] ** 2 / total_variance, v[T] * m2[h] / total_variance
    return first, total


if __name__ == "__main__":
    first, total = truth()
    print("first:", [round(x, 6) for x in first])
    print("total:", [round(x, 6) for x in total])
