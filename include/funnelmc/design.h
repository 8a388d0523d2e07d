/* Sampling designs: how the uniforms behind every uncertain quantity are
 * laid out over the samples of a run.
 *
 *   mc    plain Monte Carlo: the words of stream.h, unchanged (today's bits).
 *   lhs   Latin hypercube: in each dimension the n points of a replicate
 *         fall one in each of n equal strata; the stratum of point i is
 *         pi(i) for a keyed bijection pi of [0, n) (random access: no
 *         table, memory independent of n), jittered inside the stratum by
 *         the point's plain Monte Carlo word.
 *   qmc   randomised quasi-Monte Carlo: Sobol' points (direction numbers
 *         of Joe & Kuo 2008) with Owen's nested uniform scrambling, point
 *         i computed from i alone.  Dimensions beyond the table are Latin
 *         hypercube columns (still a valid randomisation).
 *
 * A run of N = R n samples under a design with R replicates is R
 * independent randomisations of n points each: sample s is point s % n of
 * replicate s / n.  Each replicate has its own keys (permutations,
 * scrambles), derived from the seed and the replicate, so replicates are
 * independent and the spread of their estimates gives honest standard
 * errors (replicates.h); within a replicate points are not independent, so
 * the i.i.d. formulas do not hold for lhs and qmc.
 *
 * A word is a pure function of (seed, design, dimension, stream slot,
 * sample index): any thread or process can draw any block, and results do
 * not depend on how blocks are shared out.
 *
 * In detail (design.c cites the constructions):
 *   keys     dimension d of replicate r is randomised by a 64-bit key, the
 *            words of slots 2d and 2d + 1 of sample r on the stream of
 *            purpose FMC_PURPOSE_DESIGN (stream.h).
 *   lhs      pi is an eight-round Feistel network keyed by the key, on
 *            the smallest domain of 2^k >= n values, walked along its
 *            cycles until it falls below n; for n <= 256, a table shuffled
 *            by Fisher-Yates from the key.  A stratum S owns the words whose
 *            uniform (sampler.h) lies in [S / n, (S + 1) / n); the point's
 *            Monte Carlo word j picks one of them in proportion, so with
 *            n = 1 lhs gives mc's words.
 *   qmc      coordinate d of point i is the XOR of the 32-bit direction
 *            numbers of dimension d over the set bits of i (natural order,
 *            not Gray code), then scrambled bit by bit from the top: bit b
 *            is flipped by a pseudo-random bit of the key, b and the
 *            point's unscrambled bits above b (Owen's nested uniform
 *            scrambling; with m = ceil(log2 n), the bits below the top m,
 *            which Owen's tree makes independent fair bits, come from one
 *            hash of the top m bits).  Dimension 0 is van der Corput's,
 *            dimensions 1 .. fmc_design_qmc_dimensions - 1 are rows 2 ..
 *            of Joe & Kuo's new-joe-kuo-6.21201 (scripts/sobol-directions.py).
 * docs/design.md, "Sampling designs", gives the measured speed. */
#ifndef FUNNELMC_DESIGN_H
#define FUNNELMC_DESIGN_H

#include <stddef.h>
#include <stdint.h>

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef enum fmc_design_method {
    FMC_DESIGN_MC,
    FMC_DESIGN_LHS,
    FMC_DESIGN_QMC
} fmc_design_method;

/* Replicates of lhs and qmc when the scenario does not say (mc: 1). */
#define FMC_DEFAULT_DESIGN_REPLICATES 16u
#define FMC_MAX_DESIGN_REPLICATES 4096u
/* Points of one replicate at most: lhs strata and Sobol' indices are
 * 32-bit. */
#define FMC_MAX_DESIGN_POINTS UINT64_C(0xffffffff)

typedef struct fmc_design {
    fmc_design_method method;
    uint32_t replicates;  /* R >= 1 */
    uint64_t points;      /* n >= 1, points of one replicate (unused by mc) */
} fmc_design;

/* The scenario name of METHOD ("mc", "lhs", "qmc"); static storage. */
const char *fmc_design_name(fmc_design_method method);
/* The method called NAME, or -1. */
int fmc_design_find(const char *name);

/* Where the slots of one fill lie: slot k is stream slot
 * (period - 1) FMC_PERIOD_SLOTS + k of PURPOSE (stream.h) -- the plain
 * Monte Carlo word, and lhs's jitter -- and design dimension
 * dimension0 + k. */
typedef struct fmc_design_slots {
    uint32_t purpose;
    uint32_t period;      /* >= 1 */
    uint32_t dimension0;
} fmc_design_slots;

/* Fills words[k][i] with the word of slot k for sample FIRST + i under
 * DESIGN, for every k < SLOTS whose words[k] is not NULL and every
 * i < COUNT.  With FMC_DESIGN_MC, exactly fmc_stream_fill_period.
 * Preconditions: SLOTS <= FMC_PERIOD_SLOTS; for lhs and qmc, 1 <= points
 * <= FMC_MAX_DESIGN_POINTS and dimensions below 2^31.  Thread-safe (no
 * state; about 20 kB of stack for qmc). */
void fmc_design_fill(const fmc_design *design, uint64_t seed, const fmc_design_slots *at,
                     uint64_t first, size_t count, size_t slots, uint32_t *const *words);

/* Dimensions with Sobol' direction numbers; qmc's dimensions from here on
 * are Latin hypercube columns. */
extern const uint32_t fmc_design_qmc_dimensions;

/* The unscrambled Sobol' coordinate of point POINT in DIMENSION (<
 * fmc_design_qmc_dimensions), as a 32-bit fraction: the point set that qmc
 * scrambles. */
uint32_t fmc_design_sobol(uint32_t dimension, uint32_t point);

#pragma GCC visibility pop

#endif
