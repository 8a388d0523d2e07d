/* The comparison of the scenario's levers on the run's own draws (common
 * random numbers), as an accumulator (accumulator.h).  A lever's uncertain
 * numbers are drawn from their own streams (levers.h); a second,
 * independent draw of them on the same inputs gives the variance split.  For each lever, the
 * gain and net gain series (levers.h for the words); with options.combine,
 * every pair applied together (first lever, then second) and its
 * interaction; counts of samples where one lever's net profit beats
 * another's; with options.equivalents, the equivalent changes
 * (equivalents.h) on the first FMC_EQUIVALENT_SAMPLES draws. */
#ifndef FUNNELMC_LEVER_COMPARISON_H
#define FUNNELMC_LEVER_COMPARISON_H

#include <stddef.h>
#include "funnelmc/accumulator.h"
#include "funnelmc/horizon_summary.h"
#include "funnelmc/sensitivity.h"
#include "funnelmc/stats.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* Equal-probability bins of an input's or a lever number's CDF value, folds
 * of the cross-fitting, and the most joint bins of a group (voi.h). */
#define FMC_VOI_BINS 32
#define FMC_VOI_FOLDS 32
#define FMC_VOI_GROUP_CELLS 256
/* The most inputs of a group binned jointly (2 bins each). */
#define FMC_VOI_GROUP_MEMBERS 8

/* The value of information of the choice "which lever, or none" on the
 * run's draws (voi.h): the options are doing nothing (net gain 0) and each
 * lever alone; every figure is an expected net gain per run (per period, or
 * over a horizon), each with its standard error.  What knowing a quantity
 * before choosing adds: EVPPI, cross-fitted, biased down (a lower bound). */
typedef struct fmc_lever_voi {
    size_t folds, bins;       /* folds; bins of an input and of a lever's number */
    size_t best;              /* the choice now: 0 doing nothing, l + 1 lever l */
    double best_net;          /* its expected net gain (0 for doing nothing) */
    double evpi, evpi_se;     /* everything known before choosing */
    /* [inputs] each input known; 0 (se 0) for a fixed input, NaN for one
     * drawn each period over a horizon (its value does not stay: there is
     * nothing to learn before choosing) */
    double *input, *input_se;
    /* each group of sensitivity.h known: the product of coarser bins of its
     * inputs that stay (at most FMC_VOI_GROUP_MEMBERS, the first in scenario
     * order), GROUP_BINS each, GROUP_CELLS in all; 0 (se 0) and 1 cell when
     * none is uncertain; NaN when all its uncertain inputs are drawn each
     * period */
    double group[FMC_GROUP_COUNT], group_se[FMC_GROUP_COUNT];
    size_t group_inputs[FMC_GROUP_COUNT], group_bins[FMC_GROUP_COUNT];
    size_t group_cells[FMC_GROUP_COUNT];
    size_t numbers;           /* the levers' uncertain numbers, lever by lever, in file order */
    size_t *number_lever, *number_quantity;  /* [numbers] lever, index in its quantities */
    double *number, *number_se;              /* [numbers] each known */
} fmc_lever_voi;

/* What the levers do, on the run's own draws. */
typedef struct fmc_lever_results {
    size_t count;                 /* the scenario's levers, in order */
    fmc_output_summary *gain;     /* [count] gain: profit with the changes - baseline */
    fmc_output_summary *net;      /* [count] net gain: gain - the lever's own cost */
    double *mean_cost;            /* [count] mean own cost (money + hours x hourly rate) */
    double *roi;                  /* [count] return on the lever's own cost, mean net gain /
                                   * mean cost; NaN for a lever that costs nothing */
    size_t *rank;                 /* [count] levers by mean net gain, largest first (ties
                                   * in scenario order) */
    size_t *uncertain_numbers;    /* [count] the lever's numbers that are distributions */
    /* [count] share of the variance of the net gain that the scenario's
     * inputs explain alone (first-order Sobol index, variance_split.h),
     * with its standard error; 1 - it involves the lever's own uncertain
     * numbers.  Exactly 1 (se 0) without uncertain numbers; NaN when the
     * net gain does not vary. */
    double *inputs_share, *inputs_share_se;
    /* [count] 1 when the lever changes hours with no response: its figures
     * assume that reach does not depend on the time spent */
    size_t *reach_assumed;
    double *p_improve;            /* [count] P(net gain > 0) */
    double *p_improve_se;         /* [count] its standard error */
    double *clamped_share;        /* [count] share of samples where a change was clamped */
    double *p_beats;              /* [count][count] P(net profit of i > that of j); 0 on the diagonal */
    double *p_beats_se;           /* [count][count] its standard error */
    double *p_tie;                /* [count][count] P(equal net profits); 1 on the diagonal */
    size_t pairs;                 /* pairs of levers applied together (with options.combine) */
    size_t *pair_first, *pair_second;  /* [pairs] lever indices, first < second */
    fmc_output_summary *combined; /* [pairs] gain of both levers applied (first, then second) */
    fmc_output_summary *interaction;  /* [pairs] combined gain - the two gains */
    fmc_output_summary *pair_net; /* [pairs] combined gain - both levers' costs */
    size_t inputs;                /* d, the scenario's input count */
    double *equivalent_add;       /* [count][inputs] see equivalents.h; NaN where none or
                                   * not asked for (options.equivalents) */
    double *equivalent_scale;     /* [count][inputs] */
    double *equivalent_add_se, *equivalent_scale_se;  /* [count][inputs] their standard errors */
    /* Over a horizon (periods 0 and the rest NULL without one): */
    uint32_t periods;
    double *period_gain, *period_gain_se;  /* [count][periods] mean gain of each period,
                                            * undiscounted, with its standard error */
    double *period_net, *period_net_se;    /* [count][periods] the same of the net gain */
    /* [count] when the lever pays for itself: the payback period of its
     * cumulative discounted net gain */
    fmc_payback_summary *payback;
    fmc_lever_voi voi;            /* the value of information of the choice */
} fmc_lever_results;

/* Empties *OUT and allocates the arrays of COUNT levers, PAIRS pairs and
 * INPUTS inputs (zeroed), those of a horizon and of the value of
 * information excepted (what fmc_lever_results_clear frees, as it frees
 * them).  FMC_OK, or FMC_ENOMEM with *OUT empty. */
fmc_status fmc_lever_results_alloc(size_t count, size_t pairs, size_t inputs,
                                   fmc_lever_results *out);

/* Sets R's rank from the mean net gains (a results file read back ranks
 * its levers as the run did). */
void fmc_lever_results_rank(fmc_lever_results *r);

/* Releases what R holds and empties it; R may be NULL. */
void fmc_lever_results_clear(fmc_lever_results *r);

/* Lists R's figures with an error (errors.h): the summaries of the gains,
 * nets and pairs, inputs_share, p_improve, p_beats, the equivalents (on
 * their subsample), the per-period gains and nets, the paybacks and the
 * value of information. */
void fmc_lever_results_errors(fmc_lever_results *r, fmc_error_visit visit, void *context);

/* In a run only with options.levers and levers in the scenario; fills the
 * result's levers. */
extern const fmc_accumulator_type fmc_lever_comparison_accumulator;

#pragma GCC visibility pop

#endif
