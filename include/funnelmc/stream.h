/* Counter-based random streams.
 *
 * Every random word funnelmc uses is a pure function of
 *   (seed, purpose, sample index, slot)
 * computed with Random123's Philox4x32-10 (Salmon et al., "Parallel random
 * numbers: as easy as 1, 2, 3", SC 2011): the 64-bit seed is the key, the
 * counter is (sample index low, sample index high, slot / 4, purpose), and
 * the slot picks one of the four output words.  No state is carried from one
 * sample to the next, so any thread or process can produce any sample, and
 * results cannot depend on how samples are shared out.  A slot is one
 * uncertain quantity (an input, a cost line); a purpose separates
 * independent designs over the same samples (e.g. the two matrices of a
 * pick-freeze Sobol design) so they never share words. */
#ifndef FUNNELMC_STREAM_H
#define FUNNELMC_STREAM_H

#include <stddef.h>
#include <stdint.h>

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* Purposes of the streams funnelmc draws. */
enum {
    FMC_PURPOSE_SAMPLES = 0,  /* the main Monte Carlo sample of every input */
    FMC_PURPOSE_SOBOL_A = 1,  /* matrix A of the pick-freeze Sobol design */
    FMC_PURPOSE_SOBOL_B = 2,  /* matrix B of the pick-freeze Sobol design */
    FMC_PURPOSE_VOI = 3,      /* the bootstrap weights of the value of information (voi.h) */
    FMC_PURPOSE_DESIGN = 4    /* the keys of a design's permutations and scrambles (design.h) */
};

/* The word of SLOT for sample SAMPLE. */
uint32_t fmc_stream_word(uint64_t seed, uint32_t purpose, uint64_t sample, uint32_t slot);

/* Fills words[slot][i] with the word of SLOT for sample FIRST + i, for every
 * slot < SLOTS whose words[slot] is not NULL and every i < COUNT.  Slots whose
 * pointer is NULL (constants) are skipped; same words as fmc_stream_word. */
void fmc_stream_fill(uint64_t seed, uint32_t purpose, uint64_t first, size_t count,
                     size_t slots, uint32_t *const *words);

/* Slots of one period's draws over a horizon (horizon.h): input j's word
 * of period t is slot (t - 1) FMC_PERIOD_SLOTS + j, so period 1's is its
 * usual slot and no period's draws shift another's. */
#define FMC_PERIOD_SLOTS 128u

/* fmc_stream_fill of slots (PERIOD - 1) FMC_PERIOD_SLOTS + j for j < SLOTS
 * (SLOTS <= FMC_PERIOD_SLOTS) into words[j]; PERIOD >= 1. */
void fmc_stream_fill_period(uint64_t seed, uint32_t purpose, uint32_t period, uint64_t first,
                            size_t count, size_t slots, uint32_t *const *words);

#pragma GCC visibility pop

#endif
