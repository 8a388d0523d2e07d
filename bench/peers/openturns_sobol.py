#!/usr/bin/env python3
"""Sobol indices of bench/sobol-8.yaml the OpenTURNS way (Debian's
python3-openturns): SobolIndicesExperiment + SaltelliSensitivityAlgorithm
on the same eight inputs and model, profit = (R - Cg) F Cr Or Pr - h T.

    python3 openturns_sobol.py [BASE_SAMPLES] [SEED]

Prints one line: 'openturns: N rows, S s, first: [...], total: [...]'
(seconds for the design, the model runs and the estimation).
"""
import math
import sys
import time

import openturns as ot


def distributions():
    k = 0.4 * 0.6 / 0.05**2 - 1  # beta by mean 0.4 and sd 0.05
    return [
        ot.Triangular(80, 100, 130),          # revenue_per_sale
        ot.Triangular(8, 10, 14),             # cost_of_goods
        ot.LogNormal(math.log(1000), 0.4, 0),  # followers: median 1000, sigma 0.4
        ot.Beta(25, 75, 0, 1),                # click_rate
        ot.Beta(0.4 * k, 0.6 * k, 0, 1),      # optin_rate
        ot.Beta(50, 50, 0, 1),                # purchase_rate
        ot.Uniform(40, 60),                   # hourly_rate
        ot.TruncatedNormal(40, 5, 20, 60),    # hours
    ]


def main():
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 1_000_000
    ot.RandomGenerator.SetSeed(int(sys.argv[2]) if len(sys.argv) > 2 else 20261122)
    laws = distributions()
    assert abs(laws[3].getMean()[0] - 0.25) < 1e-12  # Beta(alpha, beta, a, b)
    model = ot.SymbolicFunction(["R", "Cg", "F", "Cr", "Or", "Pr", "h", "T"],
                                ["(R - Cg) * F * Cr * Or * Pr - h * T"])
    started = time.perf_counter()
    design = ot.SobolIndicesExperiment(ot.ComposedDistribution(laws), n).generate()
    outputs = model(design)
    algorithm = ot.SaltelliSensitivityAlgorithm(design, outputs, n)
    first = list(algorithm.getFirstOrderIndices())
    total = list(algorithm.getTotalOrderIndices())
    seconds = time.perf_counter() - started
    print("openturns: %d rows, %.3f s, first: %s, total: %s"
          % (n, seconds, [round(x, 6) for x in first], [round(x, 6) for x in total]))


if __name__ == "__main__":
    main()
