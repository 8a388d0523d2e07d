/* How much of the variance of a lever's net gain comes from the scenario's
 * inputs and how much involves the lever's own uncertain numbers.
 *
 * With G = g(X, T) the net gain for inputs X and the lever's numbers T, and
 * G' = g(X, T') the same inputs with an independent second draw T' of the
 * lever's numbers, the first-order Sobol index of the inputs is
 *   S = Var(E[G | X]) / Var(G) = Cov(G, G') / Var(G)
 * (pick-freeze: Sobol 1993), estimated as in Janon, Klein, Lagnoux, Nodet &
 * Prieur, "Asymptotic normality and efficiency of two Sobol index
 * estimators", ESAIM: P&S 18 (2014), with m = mean of (G + G') / 2:
 *   S_N = (mean(G G') - m^2) / (mean((G^2 + G'^2) / 2) - m^2),
 * whose standard error is sqrt(E[psi^2] / N) / Var(G) with
 *   psi = (G - m)(G' - m) - S/2 ((G - m)^2 + (G' - m)^2),
 * the estimator's influence function (their Proposition 2.2).  1 - S is the
 * share of the variance that involves the lever's own numbers, alone or
 * together with the inputs (their total index).
 *
 * Sums of powers of G - c and G' - c up to the fourth, with c a shift near
 * the values (from the pilot), are kept per block and added in block order:
 * deterministic, and accurate while c is within a few sd of the mean. */
#ifndef FUNNELMC_VARIANCE_SPLIT_H
#define FUNNELMC_VARIANCE_SPLIT_H

#include <stddef.h>
#include "funnelmc/error.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* sums[a][b] = sum of (G - c)^a (G' - c)^b, a + b <= 4 */
typedef struct fmc_split_sums {
    double sums[5][5];
} fmc_split_sums;

/* Sets *OUT to the sums of N pairs (G[i], G2[i]) shifted by SHIFT. */
void fmc_split_block(double shift, const double *g, const double *g2, size_t n,
                     fmc_split_sums *out);

/* Adds NEXT to *INTO. */
void fmc_split_merge(fmc_split_sums *into, const fmc_split_sums *next);

/* S, the share of Var(G) from the inputs, and its standard error, from the
 * sums of all pairs; NaN for both when G does not vary (or n < 2). */
void fmc_split_estimate(const fmc_split_sums *total, double *share, double *se);

/* The splits of COUNT gains over a run, as series.h keeps summaries: each
 * gain's shift from the middle of the range the pilot saw, its block sums in
 * the round's slots merged in slot order. */
typedef struct fmc_split_set fmc_split_set;

/* FMC_OK and *OUT, or FMC_ENOMEM and *OUT NULL. */
fmc_status fmc_split_set_alloc(size_t count, int threads, size_t round_blocks,
                               fmc_split_set **out);
/* SET may be NULL. */
void fmc_split_set_free(fmc_split_set *set);
/* Pilot: widens THREAD's range of gain K by G[0..N). */
void fmc_split_set_pilot(fmc_split_set *set, int thread, size_t k, const double *g, size_t n);
/* After the pilot: every gain's shift. */
void fmc_split_set_begin(fmc_split_set *set);
/* The block of pairs (G, G2)[0..N) of gain K, into slot SLOT of the round. */
void fmc_split_set_add(fmc_split_set *set, size_t slot, size_t k, const double *g,
                       const double *g2, size_t n);
/* Merges slots 0 .. COUNT - 1 of every gain that was added to, in order. */
void fmc_split_set_merge_round(fmc_split_set *set, size_t count);
/* When processes share a run (accumulator.h): registers SET's slots in
 * SHARES. */
struct fmc_run_shares;
void fmc_split_set_share(fmc_split_set *set, struct fmc_run_shares *shares);
/* Gain K's share and standard error (fmc_split_estimate). */
void fmc_split_set_estimate(const fmc_split_set *set, size_t k, double *share, double *se);

#pragma GCC visibility pop

#endif
