/* The best set of levers for a budget (the scenario's `budget:` and
 * `objective:`, scenario.h), as an accumulator (accumulator.h).
 *
 * A set of levers is applied together in scenario order, each lever to the
 * values the ones before it left, with its own draws of its uncertain
 * numbers, as a pair of the lever comparison is.  For a set S, per sample:
 *   net profit   profit with S's changes - the sum of S's own costs, money
 *                + hours x the hourly rate after S (over a horizon the
 *                cumulative discounted profit - S's discounted own cost,
 *                one-off costs included, horizon.h); the empty set's is the
 *                baseline profit ("do nothing")
 *   extra hours  sum of S's cost hours + (hours input after S - before)
 *   extra money  sum of S's cost money + (sum of the cost lines after S -
 *                before); over a horizon both are per period, for S's
 *                changes at full size on the values as drawn (one-off costs
 *                not counted)
 * S fits the budget when its MEAN extra hours are <= budget.hours and its
 * mean extra money <= budget.money.  Among the sets that fit, the best has
 * the largest objective (ties: the larger mean net profit, then the set of
 * earlier levers).
 *
 * Search: every one of the 2^L subsets (L <= FMC_MAX_BUDGET_LEVERS) is
 * screened on the run's first FMC_PORTFOLIO_SCREEN_SAMPLES draws (over a
 * horizon that many divided by the periods, at least
 * FMC_PORTFOLIO_MIN_SCREEN_SAMPLES) in `begin`; the best
 * FMC_PORTFOLIO_CANDIDATES that fit, always with the empty set, are then
 * evaluated on every draw of the run (common random numbers), ranked on
 * those, and the best FMC_PORTFOLIO_REPORTED reported. */
#ifndef FUNNELMC_PORTFOLIO_H
#define FUNNELMC_PORTFOLIO_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/accumulator.h"
#include "funnelmc/errors.h"
#include "funnelmc/scenario.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

#define FMC_PORTFOLIO_SCREEN_SAMPLES 16384
#define FMC_PORTFOLIO_MIN_SCREEN_SAMPLES 1024
#define FMC_PORTFOLIO_CANDIDATES 16
#define FMC_PORTFOLIO_REPORTED 5

/* One set of levers as the run measured it on all its draws. */
typedef struct fmc_portfolio_set {
    uint32_t members;            /* bit l set: lever l (scenario order) is in the set */
    double objective, objective_se;
    /* the objective's confidence interval: mean -+ z se for the mean, the
     * proportion's for p_profit, the order statistics' for a percentile */
    double objective_ci[2];
    double net_mean, net_se;     /* net profit's mean and its standard error */
    double extra_hours, extra_money;  /* their means */
    double p_over, p_over_se;    /* P(extra hours > budget or extra money > budget) */
} fmc_portfolio_set;

typedef struct fmc_portfolio_result {
    size_t levers;               /* 0: no search was made (the rest is empty) */
    double budget_hours, budget_money;  /* +inf: no limit */
    fmc_objective objective;
    size_t percentile;           /* with FMC_OBJECTIVE_PERCENTILE: index in fmc_quantile_levels */
    uint64_t screen_samples;     /* draws every subset was screened on */
    size_t screened;             /* subsets screened, 2^levers */
    size_t candidates;           /* subsets evaluated on every draw */
    size_t count;                /* sets reported: those that fit, at most FMC_PORTFOLIO_REPORTED */
    fmc_portfolio_set sets[FMC_PORTFOLIO_REPORTED];  /* best first */
    /* P(the best set's net profit > the second's), per sample; NaN with
     * fewer than two sets */
    double p_best_beats_second, p_best_beats_second_se;
} fmc_portfolio_result;

/* Lists R's figures with an error (errors.h): each reported set's
 * objective (se and interval), net profit and P(over budget), then
 * P(best beats second). */
void fmc_portfolio_result_errors(fmc_portfolio_result *r, fmc_error_visit visit, void *context);

/* Puts R's sets in the order of LIKE's (a result of another run of the
 * same search), matched by their members, so that the two list their
 * errors alike: a set of LIKE that R does not report gets NaN figures, and
 * so does P(best beats second) unless the two best sets are the same. */
void fmc_portfolio_result_align(fmc_portfolio_result *r, const fmc_portfolio_result *like);

/* In a run only with options.portfolio, a budget and levers in the
 * scenario, and no run changes (options.changes); fills the result's
 * portfolio. */
extern const fmc_accumulator_type fmc_portfolio_accumulator;

#pragma GCC visibility pop

#endif
