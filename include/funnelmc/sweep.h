/* Sweeps: a scenario's grid of 1 to 4 axes, each point a Monte Carlo run of
 * the sweep's samples with the axes' changes applied to the sampled inputs.
 * Every point draws the same random words (same seed and sample indices):
 * common random numbers across the grid, so the surface is smooth and
 * differences between neighbouring points are sharp.  With levers, each
 * point also says which lever pays most there: a decision map.
 *
 * Load balance: the points form one work queue served by min(points,
 * threads) workers, each running its point's blocks on threads / workers
 * threads (nested OpenMP): a point per thread for many small points, the
 * threads shared among a few large ones.  A run's results do not depend on
 * its thread count, so neither do the sweep's.  The samplers (quantile
 * tables) are built once per sweep.
 *
 * Across the P processes of options.team the same holds one level up: the
 * team is cut into G = min(P, points) groups of consecutive ranks, and the
 * points are dealt among the groups by their cost (a point's horizon
 * length), the costliest first, each to the group that would finish it
 * soonest (fmc_team_assign): with many points a group is one process
 * running its points on its threads as above; with fewer points than
 * processes a group of several processes shares each point's blocks
 * (fmc_simulate with the group's team).  No process waits for another
 * until the end: the leader of each group posts every point it finishes to
 * the team's rank 0 (fmc_team_post), which takes them as they come. */
#ifndef FUNNELMC_SWEEP_H
#define FUNNELMC_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/design.h"
#include "funnelmc/engine.h"
#include "funnelmc/error.h"
#include "funnelmc/scenario.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef struct fmc_sweep_result {
    size_t points;               /* the product of the axis lengths */
    uint64_t samples;            /* Monte Carlo samples at every point */
    fmc_design design;           /* every point's design (replicates.h: fmc_run_design,
                                  * with the points of a replicate) */
    /* per point, in C order (the last axis varies fastest): */
    double *mean, *sd, *se, *p_loss, *p_loss_se, *p05, *p50, *p95;  /* of profit */
    int *best_lever;             /* the lever with the largest mean net gain; -1 without levers */
    double *best_gain, *best_gain_se;  /* its mean net gain, with its standard error */
    /* P(its net profit > the runner-up's), with its standard error; NaN with
     * fewer than 2 levers */
    double *p_beats_runner_up, *p_beats_runner_up_se;
    /* the lever second by mean net gain, and P(its net profit equals the
     * best's): 1 when the two are tied in every sample; -1 and NaN with
     * fewer than 2 levers */
    int *runner_up;
    double *p_ties_runner_up;
} fmc_sweep_result;

/* What AXIS sweeps: its input's name, or "periods" for the horizon's
 * length; the name of its dataset and of its column in summaries. */
const char *fmc_axis_name(const fmc_scenario *scenario, const fmc_axis *axis);

/* The grid points of SWEEP: the product of its axis lengths. */
size_t fmc_sweep_points(const fmc_sweep *sweep);

/* The index along each axis of grid point POINT (C order: the last axis
 * varies fastest) into INDEX[0 .. axis_count). */
void fmc_sweep_point_indices(const fmc_sweep *sweep, size_t point, size_t *index);

/* Runs SWEEP, one of SCENARIO's sweeps; OPTIONS gives the seed, threads,
 * progress, cancellation and the samples of every point (0: the sweep's
 * own; its changes, levers and drivers fields are set here).  Progress counts samples over the whole grid.
 * FMC_OK and *OUT (the caller clears it with fmc_sweep_result_clear); or
 * FMC_ENOMEM, FMC_ENUMERIC, FMC_EINVAL (a design fmc_run_design refuses) or
 * FMC_ECANCELLED (as fmc_simulate), *OUT then empty.
 *
 * With a team of several processes (options.team), every process calls it
 * with the same arguments (but progress and their contexts) and gets the
 * same status; *OUT holds every point on the team's rank 0 only (elsewhere
 * the points its group ran, the others unset).  Progress on rank 0 counts
 * the points every group finished; on the other processes, their group's.
 * A cancellation (options.cancel, or progress returning non-zero) stops
 * the group it happens in at once, every process of the group together
 * (each point's status is agreed in the group, so it may be raised on any
 * one of them); the other groups finish their points first, so raise it on
 * every process (as a signal from mpirun does) to stop the team at once. */
fmc_status fmc_sweep_run(const fmc_scenario *scenario, const fmc_sweep *sweep,
                         const fmc_run_options *options, fmc_sweep_result *out);
/* Releases what RESULT holds and empties it; RESULT may be NULL. */
void fmc_sweep_result_clear(fmc_sweep_result *result);

#pragma GCC visibility pop

#endif
