#!/usr/bin/env python3
"""The reference scenario done the straightforward vectorised-numpy way.

The same job as `funnelmc run scenarios/reference.yaml -n N --quiet`: sample
the eight inputs and the two cost lines, evaluate profit, ROI and sales, and
keep streaming summaries (mean, sd, min, max, P(profit < 0), and quantiles
from a fixed-range histogram) in chunks of 1e6 samples, one process.  Run
with Debian's python3-numpy:  python3 numpy_reference.py [N] [SEED]
Prints one line: samples, seconds (sampling and statistics, after imports),
samples per second, and the mean profit as a check.
"""
import sys
import time

import numpy as np

CHUNK = 1_000_000
BINS = 16384
LEVELS = np.array([0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99])


def truncated_normal(rng, mean, sd, lo, hi, n):
    x = rng.normal(mean, sd, n)
    bad = (x < lo) | (x > hi)
    while bad.any():
        x[bad] = rng.normal(mean, sd, bad.sum())
        bad = (x < lo) | (x > hi)
    return x


def beta_mean_sd(rng, mean, sd, n):
    k = mean * (1 - mean) / sd**2 - 1
    return rng.beta(mean * k, (1 - mean) * k, n)


def chunk_outputs(rng, n):
    revenue = rng.triangular(80, 100, 130, n)
    goods = rng.triangular(8, 10, 14, n)
    followers = rng.lognormal(np.log(1000), 0.4, n)
    click = rng.beta(25, 75, n)
    optin = beta_mean_sd(rng, 0.4, 0.05, n)
    purchase = rng.beta(50, 50, n)
    hourly = rng.uniform(40, 60, n)
    hours = truncated_normal(rng, 40, 5, 20, 60, n)
    ads = rng.uniform(0, 200, n)
    sales = followers * click * optin * purchase
    cost = hourly * hours + ads + 29
    profit = (revenue - goods) * sales - cost
    return {"profit": profit, "roi": profit / cost, "sales": sales}


class Summary:
    def __init__(self, pilot):
        self.lo, self.hi = pilot.min(), pilot.max()
        self.counts = np.zeros(BINS + 2, dtype=np.int64)
        self.n, self.mean, self.m2 = 0, 0.0, 0.0
        self.min, self.max, self.negative = np.inf, -np.inf, 0

    def add(self, x):
        n, mean = x.size, x.mean()
        m2 = ((x - mean) ** 2).sum()
        delta, total = mean - self.mean, self.n + n
        self.mean += delta * n / total
        self.m2 += m2 + delta**2 * self.n * n / total
        self.n = total
        self.min, self.max = min(self.min, x.min()), max(self.max, x.max())
        self.negative += int((x < 0).sum())
        slots = np.clip(((x - self.lo) * (BINS / (self.hi - self.lo))).astype(np.int64) + 1, 0, BINS + 1)
        self.counts += np.bincount(slots, minlength=BINS + 2)

    def quantiles(self):
        edges = np.concatenate(([self.min], np.linspace(self.lo, self.hi, BINS + 1), [self.max]))
        cumulative = np.concatenate(([0], np.cumsum(self.counts)))
        return np.interp(LEVELS * self.n, cumulative, edges[: len(cumulative)])


def main():
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20261122
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    pilot = chunk_outputs(rng, min(n, 65536))
    summaries = {k: Summary(v) for k, v in pilot.items()}
    done = 0
    while done < n:
        size = min(CHUNK, n - done)
        for name, values in chunk_outputs(rng, size).items():
            summaries[name].add(values)
        done += size
    for s in summaries.values():
        s.quantiles()
    seconds = time.perf_counter() - started
    p = summaries["profit"]
    print("numpy: %d samples, %.3f s, %.2f M samples/s, mean profit %.2f +- %.2f"
          % (n, seconds, n / seconds / 1e6, p.mean, np.sqrt(p.m2 / (p.n - 1) / p.n)))


if __name__ == "__main__":
    main()
