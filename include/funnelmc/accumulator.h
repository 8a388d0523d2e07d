/* The interface every per-sample analysis plugs into.
 *
 * A run (engine.h) draws its samples in blocks of FMC_BLOCK_SIZE.  It knows
 * no analysis by name: it calls each accumulator of the registry
 * (fmc_run_accumulators) through the function pointers of its type, as
 * SQLite calls a virtual table through its sqlite3_module:
 *
 *   alloc                      once, before anything is drawn
 *   pilot   (any thread)       on each block of the pilot: the first
 *                              min(samples, FMC_PILOT_SAMPLES) samples, for
 *                              ranges fixed before counting starts
 *   begin                      once, after the pilot
 *   add     (any thread)       on every block of the run, in rounds
 *   merge                      after each round, from one thread
 *   share                      once, after begin, when processes share
 *                              the run (below)
 *   done                       after each merge, when the run has a
 *                              stopping rule
 *   finish                     once, into the run's result
 *   free                       always, on success and on failure
 *
 * Reduction order, defined here once for every analysis: a block is added
 * by whichever thread takes it, into slot b of its round (its position in
 * the round, not its thread); merge then combines slots 0, 1, ..., COUNT - 1
 * in that order.  Floating-point sums merged this way are a function of the
 * samples alone, whatever the thread count.  State kept per thread instead
 * (integer counts, extremes) must be order-free, and is combined in finish.
 *
 * Across processes (a team of more than one, team.h), the same order holds:
 * each process adds the blocks of its share of the round (fmc_team_share)
 * into their slots, the engine gives every process every slot, and every
 * process merges slots 0 .. COUNT - 1 as above; so all hold the same state,
 * make the same decisions (done) and the same results.  The engine does
 * every exchange itself; an accumulator only says, in share, where the
 * state to exchange lies (fmc_run_shares).  Pilots are made whole by every
 * process (identical), and need no exchange.
 *
 * A new analysis is one module that defines an fmc_accumulator_type and one
 * row in the registry (src/accumulators.c). */
#ifndef FUNNELMC_ACCUMULATOR_H
#define FUNNELMC_ACCUMULATOR_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"
#include "funnelmc/sampler.h"
#include "funnelmc/scenario.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

struct fmc_run_options;
struct fmc_run_result;
struct fmc_path_changes;
struct fmc_draws;

/* What a run is: fixed before any accumulator is allocated. */
typedef struct fmc_run_setup {
    const fmc_scenario *scenario;
    const struct fmc_run_options *options;
    uint64_t samples;     /* the most samples the run can draw */
    uint64_t seed;        /* the run's seed */
    int threads;          /* threads numbered 0 .. threads - 1 (the most of any
                           * process sharing the run): per-thread state is
                           * sized for them */
    int own_threads;      /* this process's threads (<= threads): the most that
                           * a parallel loop of an accumulator's own (in begin
                           * or finish) may run */
    size_t round_blocks;  /* the most blocks of a round: slots 0 .. round_blocks - 1 */
    fmc_sampler *const *samplers;  /* [input] the run's samplers */
    uint32_t periods;     /* of the run's horizon; 0 without one */
    /* How the pass draws (draws.h): its design, copula, seed and window.
     * Words an accumulator draws itself for a block come from here at the
     * block's FIRST, so that they follow the design's sample index. */
    const struct fmc_draws *draws;
} fmc_run_setup;

/* One block of samples as every accumulator sees it (read-only). */
typedef struct fmc_block {
    uint64_t first;                 /* index of the block's first sample in the pass
                                     * (the design's sample first + setup->draws->first) */
    size_t count;                   /* samples, 1 .. FMC_BLOCK_SIZE */
    const uint32_t *const *words;   /* [input] the random words; NULL for fixed inputs */
    const double *const *inputs;    /* [input] the values, after the run's changes */
    const double *const *outputs;   /* [FMC_OUTPUT_COUNT] the model's outputs; over a
                                     * horizon, the whole horizon's (horizon.h) */
    /* With a horizon (else NULL): */
    const double *const *drawn;     /* [input] the values as drawn, before the run's changes */
    const struct fmc_path_changes *changes;  /* the run's changes, with their draws */
    const double *const *period_profit;  /* [periods] each period's profit */
} fmc_block;

/* Where an accumulator's state lies, for the engine to exchange among the
 * processes of a run.  Regions must stay where they are until finish, and
 * hold no pointers. */
typedef struct fmc_run_shares fmc_run_shares;

/* Slot state: slot s of the round is BYTES at SLOT0 + s * STRIDE.  After
 * each round, the slots that other processes filled are copied over this
 * process's before merge (the slots it filled itself are left as they are). */
void fmc_run_shares_slots(fmc_run_shares *shares, void *slot0, size_t stride, size_t bytes);
/* Order-free state, combined over the processes once, after the last merge
 * and before finish: VALUES[0 .. N) become their sums, minima or maxima
 * over every process.  Per-thread copies may each be given: setup->threads
 * is the same on every process (threads a process does not run leave their
 * copies as alloc and begin made them, so they must start at 0, +inf, -inf). */
void fmc_run_shares_sum_u64(fmc_run_shares *shares, uint64_t *values, size_t n);
void fmc_run_shares_sum_i64(fmc_run_shares *shares, int64_t *values, size_t n);
void fmc_run_shares_min(fmc_run_shares *shares, double *values, size_t n);
void fmc_run_shares_max(fmc_run_shares *shares, double *values, size_t n);

typedef struct fmc_accumulator_type {
    const char *name;
    /* FMC_OK and *STATE, which is NULL when SETUP does not ask for this
     * analysis (it then gets no other call); or FMC_ENOMEM with *STATE NULL. */
    fmc_status (*alloc)(const fmc_run_setup *setup, void **state);
    /* May be NULL.  Called concurrently with distinct THREAD values. */
    void (*pilot)(void *state, int thread, const fmc_block *block);
    /* May be NULL.  FMC_OK or FMC_ENOMEM. */
    fmc_status (*begin)(void *state);
    /* Called concurrently with distinct THREAD values and distinct SLOTs. */
    void (*add)(void *state, int thread, size_t slot, const fmc_block *block);
    /* Combines slots 0 .. COUNT - 1 of the round, in slot order. */
    void (*merge)(void *state, size_t count);
    /* May be NULL (no opinion).  1 when the accumulator's own precision
     * target is met: the run stops when every accumulator that has a done
     * says 1. */
    int (*done)(const void *state);
    /* Fills its part of OUT.  FMC_OK, FMC_ENOMEM or FMC_ENUMERIC; on failure
     * its part of OUT is left empty. */
    fmc_status (*finish)(void *state, struct fmc_run_result *out);
    /* Releases STATE; STATE may be NULL. */
    void (*free)(void *state);
    /* May be NULL (nothing to exchange).  Called only when processes share
     * the run, once, after begin: registers in SHARES every slot region that
     * add fills and merge reads, and every order-free region that finish
     * reads. */
    void (*share)(void *state, fmc_run_shares *shares);
} fmc_accumulator_type;

/* The registry: every analysis a run can make, in the order they are
 * called (and finished). */
extern const fmc_accumulator_type *const fmc_run_accumulators[];
extern const size_t fmc_run_accumulator_count;

#pragma GCC visibility pop

#endif
