/* Scenarios: the YAML files of ../shared/spec/scenario-format.md (contract
 * version 1), read with libyaml and checked against every rule of the
 * contract.  docs/scenario-format.md documents what the contract leaves open. */
#ifndef FUNNELMC_SCENARIO_H
#define FUNNELMC_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/copula.h"
#include "funnelmc/design.h"
#include "funnelmc/diag.h"
#include "funnelmc/dist.h"
#include "funnelmc/error.h"
#include "funnelmc/fit.h"
#include "funnelmc/model.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

#define FMC_DEFAULT_SAMPLES 1000000u
#define FMC_DEFAULT_SEED 1u
#define FMC_DEFAULT_BASE_SAMPLES 100000u
#define FMC_DEFAULT_CONFIDENCE 0.95
#define FMC_DEFAULT_TORNADO_LOW 10.0
#define FMC_DEFAULT_TORNADO_HIGH 90.0
#define FMC_MAX_COST_LINES 64
/* The most inputs a scenario has: funnel, cost lines, a horizon's two. */
#define FMC_MAX_INPUTS (8 + FMC_MAX_COST_LINES + 2)
#define FMC_MAX_SWEEP_AXES 4
#define FMC_MAX_SWEEP_POINTS 1000000u   /* grid points of one sweep */
#define FMC_MAX_SCENARIO_BYTES (16u << 20)
/* Largest magnitude of any input's value (its mean and its quantiles at
 * 2^-32 in each tail): with every input inside, profit stays below 1e121
 * and the sums of squares of 2^64 samples stay finite. */
#define FMC_MAX_MAGNITUDE 1e60
/* Largest factor of a lever's or sweep's `scale`; `set` and `add` amounts
 * obey FMC_MAX_MAGNITUDE.  Two scales compounded (a pair of levers) keep
 * every sum of squares finite. */
#define FMC_MAX_SCALE 1e6
/* Deepest nesting of YAML collections accepted; the contract needs 5. */
#define FMC_MAX_YAML_DEPTH 32u
#define FMC_DEFAULT_MAX_SAMPLES 1000000000u
/* Longest horizon: 50 years of months. */
#define FMC_MAX_PERIODS 600u
#define FMC_DEFAULT_MAX_BASE_SAMPLES 10000000u

/* Shapes of the default prior of a rate given as counts (`observed:`):
 * Jeffreys' Beta(1/2, 1/2), invariant under reparametrisation and worth
 * one trial in all, so that the counts speak for themselves. */
#define FMC_DEFAULT_PRIOR_ALPHA 0.5
#define FMC_DEFAULT_PRIOR_BETA 0.5

/* One uncertain quantity: a funnel input or a cost line. */
typedef struct fmc_input {
    char *name;
    fmc_dist dist;
    double base;  /* value of the deterministic base case; default the mean */
    /* A rate given as counts (`observed: {events, of}`) sets OBSERVED to 1:
     * OBSERVED_EVENTS successes in OBSERVED_OF trials, with the prior
     * Beta(PRIOR_ALPHA, PRIOR_BETA); DIST is then the posterior
     * Beta(events + prior_alpha, of - events + prior_beta).  For every other
     * input OBSERVED is 0 and the four fields below it are unused. */
    int observed;
    uint64_t observed_events, observed_of;  /* events <= of, of >= 1, both <= 2^53 */
    double prior_alpha, prior_beta;         /* > 0, finite */
    /* The values a change may give it (levers and sweeps clamp to them):
     * [0, 1] for a rate and the churn, [-1, inf) for the growth, [0, inf)
     * for everything else. */
    double lowest, highest;
    /* With a horizon, 1 when it is drawn anew every period (`draw:
     * each_period`); 0 when one draw holds for the whole horizon (the
     * default: an uncertain value the owner does not know, not one that
     * changes from month to month).  Always 0 without a horizon. */
    int each_period;
    /* With `fit: [values]` (fit.h), the ranking of the laws fitted to the
     * values, the best first, whose law DIST is (a copy; for the growth, a
     * normal winner is cut at -1); NULL for every other input.  Rates and
     * the churn are fitted as FMC_FIT_RATE, the growth as FMC_FIT_REAL,
     * everything else as FMC_FIT_POSITIVE.  Owned by the scenario. */
    fmc_fit_result *fit;
} fmc_input;

typedef enum fmc_change_op {
    FMC_CHANGE_SCALE,  /* multiply the sampled value */
    FMC_CHANGE_ADD,    /* add to it */
    FMC_CHANGE_SET     /* replace it */
} fmc_change_op;

/* OP's name: "scale", "add" or "set", the key that gives it in a scenario
 * and the word the results file (a sweep axis's `op`) and the JSON use for
 * it; NULL for a value outside fmc_change_op.  The string is static. */
const char *fmc_change_op_name(fmc_change_op op);

/* A number of a lever or a sweep that may be uncertain.  An uncertain one
 * is sampled from DIST with random words of its own, on the stream of
 * purpose STREAM (stream.h), which is derived from the names of its lever or
 * sweep and its place there: adding, removing or editing any other lever,
 * axis or input leaves its draws as they are. */
typedef struct fmc_quantity {
    fmc_dist dist;
    uint32_t stream;
} fmc_quantity;

/* What a change does besides changing its input, by the input changed:
 *   followers         quality in [0, 1]: the followers a change adds convert
 *                     at quality times the rates of the others (1: alike)
 *   revenue_per_sale  elasticity >= 0: the purchase rate is multiplied by
 *                     (R' / R)^-elasticity (0: price does not change who buys)
 *   hours             response >= 0: followers reached are multiplied by
 *                     (T' / T)^response (0: reach does not depend on effort)
 * Other inputs have none. */
typedef enum fmc_effect_kind {
    FMC_EFFECT_NONE,
    FMC_EFFECT_QUALITY,
    FMC_EFFECT_ELASTICITY,
    FMC_EFFECT_RESPONSE
} fmc_effect_kind;

/* The effect a change of INPUT may carry, its scenario key ("quality", ...;
 * NULL for none) and its neutral value (1 for quality, 0 for the others). */
fmc_effect_kind fmc_effect_of_input(size_t input);
const char *fmc_effect_name(fmc_effect_kind kind);
double fmc_effect_neutral(fmc_effect_kind kind);

/* One change to one input: the effect of a lever, or a sweep axis value. */
typedef struct fmc_change {
    size_t input;  /* index into fmc_scenario.inputs */
    fmc_change_op op;
    double amount;   /* the amount, when it is a number */
    double effect;   /* the effect (above), when it is a number; else neutral */
    /* The uncertain amount or effect, owned by the lever or sweep; NULL when
     * it is the number above. */
    const fmc_quantity *uncertain_amount, *uncertain_effect;
} fmc_change;

/* A change of INPUT by OP and AMOUNT, with no uncertainty and a neutral
 * effect. */
fmc_change fmc_change_plain(size_t input, fmc_change_op op, double amount);

typedef struct fmc_lever {
    char *name;
    fmc_change *changes;
    size_t change_count;
    double cost_hours;  /* extra hours per period, valued at the sampled hourly rate */
    double cost_money;  /* extra money per period */
    /* The uncertain cost, owned by the lever; NULL when it is the number above. */
    const fmc_quantity *uncertain_hours, *uncertain_money;
    /* Over a horizon (always 1, 1 and 0 without one): the period the lever
     * starts in (1 .. periods), the periods its changes take to reach their
     * full size (1: at once; horizon.h says how they grow), and the cost it
     * pays once, in its start period (`one_off_cost`), besides the cost of
     * every period from its start. */
    uint32_t start, ramp;
    double once_hours, once_money;
    const fmc_quantity *uncertain_once_hours, *uncertain_once_money;  /* NULL: the numbers */
    /* Every uncertain number of the lever, in file order; the pointers above
     * point here. */
    fmc_quantity *quantities;
    size_t quantity_count;
} fmc_lever;

/* The input of an axis that sweeps the horizon's length (`horizon.periods`):
 * its values are period counts, not changes of an input. */
#define FMC_AXIS_PERIODS ((size_t)-1)

typedef struct fmc_axis {
    size_t input;       /* an input's index, or FMC_AXIS_PERIODS */
    fmc_change_op op;
    double *values;
    size_t value_count;
    int log_spacing;  /* 1 when the values came from a range with spacing: log */
    double effect;    /* the effect of every point's change, when it is a number */
    fmc_quantity *uncertain_effect;  /* owned; NULL when it is the number above */
} fmc_axis;

typedef struct fmc_sweep {
    char *name;
    uint64_t samples;  /* per grid point */
    fmc_axis *axes;
    size_t axis_count;
} fmc_sweep;

/* The STEPS (>= 1) values of a linear range {from: FROM, to: TO} into
 * VALUES[0 .. STEPS-1], FROM and TO being the text of finite numbers as the
 * scenario spells them ("-0.1", "2.5e-3"; STEPS == 1 needs them equal).
 * The ends are strtod(FROM) and strtod(TO).  Value k is the double nearest
 * to the exact from + (to - from) k / (steps - 1), so that a round decimal
 * step gives the double of its decimal ({from: -0.1, to: 0.2, steps: 7}
 * gives 0.05, not 0.05000000000000002), whenever FROM and TO are plain
 * decimals A / 10^p and B / 10^p (p <= 22) with |A|, |B| <= 2^53 / (steps - 1)
 * and either steps - 1 divides A (steps - 1 - k) + B k or
 * (steps - 1) 10^p < 2^53; otherwise (hexadecimal text, too many digits)
 * it is from + (to - from) * (k / (steps - 1)) in doubles. */
void fmc_range_linear(const char *from, const char *to, size_t steps, double *values);

/* A budget of a cost line over a horizon: the line's drawn value is what the
 * owner would spend in a period; the budget caps it (horizon.h). */
typedef struct fmc_budget {
    size_t line;         /* the cost line's index among the inputs */
    double *plan;        /* [plan_count] plans of periods 1, 2, ...; a longer
                          * horizon repeats them from the first */
    size_t plan_count;   /* >= 1 */
    int rollover;        /* 1: what a period leaves unspent adds to the next one's plan */
} fmc_budget;

/* A horizon: the scenario followed over PERIODS periods (horizon.h has the
 * model).  Its followers' growth and churn are inputs like the others (they
 * may be uncertain, levers and sweeps may change them), placed after the
 * cost lines. */
typedef struct fmc_horizon {
    uint32_t periods;        /* 1 .. FMC_MAX_PERIODS */
    double discount_rate;    /* per period, > -1; 0 when absent */
    size_t growth, churn;    /* their indices among the inputs */
    fmc_budget *budgets;     /* in file order, at most one per cost line */
    size_t budget_count;
} fmc_horizon;

/* The most levers a budget's search takes: it tries every subset. */
#define FMC_MAX_BUDGET_LEVERS 12

/* What the best set of levers for a budget is best at (`objective:`). */
typedef enum fmc_objective {
    FMC_OBJECTIVE_MEAN,        /* `mean`: the mean net profit */
    FMC_OBJECTIVE_P_PROFIT,    /* `p_profit`: P(net profit > 0) */
    FMC_OBJECTIVE_PERCENTILE   /* `p1`, `p5`, `p10`, `p25`, `p50`: a low percentile of it */
} fmc_objective;

/* What the owner can spend on levers per period (`budget:`), which asks for
 * the search of the best set of levers (portfolio.h). */
typedef struct fmc_lever_budget {
    int given;             /* 0: no `budget` key, no search (the rest unused) */
    double hours, money;   /* >= 0; +inf where absent (no limit on it) */
    fmc_objective objective;
    /* with FMC_OBJECTIVE_PERCENTILE, the index of its level in
     * fmc_quantile_levels (stats.h) */
    size_t percentile;
} fmc_lever_budget;

typedef struct fmc_scenario {
    char *file;          /* display name of the source */
    char *text;          /* the full YAML text, NUL-terminated */
    char *name;
    char *description;   /* "" when absent */
    char *period;        /* "month" when absent */
    uint64_t samples;
    uint64_t seed;
    /* The eight funnel inputs in fmc_input_id order, then the cost lines in
     * file order, then with a horizon its growth and churn. */
    fmc_input *inputs;
    size_t input_count;
    size_t cost_line_count;
    fmc_horizon *horizon;  /* NULL: one period, as the contract's scenarios */
    fmc_lever *levers;
    size_t lever_count;
    int combine_levers;  /* also evaluate every pair of levers applied together */
    fmc_lever_budget budget;  /* the search of the best set of levers for a budget */
    double tornado_low, tornado_high;  /* percentiles, 0 < low < high < 100 */
    int sobol;
    uint64_t base_samples;
    double confidence;
    /* Stopping rule (0: none): sample until the confidence half-width of the
     * mean profit, and of every Sobol index, is at most this. */
    double precision_mean;
    double precision_sobol;
    uint64_t max_samples;       /* limits of the stopping rule */
    uint64_t max_base_samples;
    fmc_sweep *sweeps;
    size_t sweep_count;
    /* How inputs are drawn (`sampling:`, design.h): FMC_DESIGN_MC and 1
     * replicate when absent; 1 .. FMC_MAX_DESIGN_REPLICATES, never 0, and
     * at least 2 under lhs and qmc (FMC_DEFAULT_DESIGN_REPLICATES when the
     * file names the method alone), whose standard errors come from the
     * spread of the replicates. */
    fmc_design_method sampling;
    uint32_t replicates;
    /* Rank correlations between inputs, cost lines and levers' uncertain
     * numbers (`correlations:`), in file order, each with first < second
     * (indices into INPUTS, or past them for LEVER_COPULA below), no pair
     * twice, no constant input, and over a horizon both inputs drawn alike
     * (each period or once); and the copula of the pairs between inputs
     * (copula.h), whose matrix the reader has checked.  NULL, 0 and NULL when there are
     * none. */
    fmc_rank_correlation *correlations;
    size_t correlation_count;
    fmc_copula *copula;
    /* When a correlation names a lever's uncertain number (quantity
     * input_count + k, numbered as fmc_lever_number_at in levers.h; such a
     * number is drawn once per path, and is paired only with inputs drawn
     * once), the copula of every pair over the inputs and the numbers,
     * whose numbers are drawn conditionally on the inputs
     * (fmc_copula_apply_quantities), else NULL.  COPULA then holds the
     * pairs between inputs alone, whose factor is this one's leading
     * block. */
    fmc_copula *lever_copula;
    /* What is valid but probably not what the author meant, with its place
     * and key: a lever's change, or a sweep axis's values, that takes an
     * input past its range (where it is clamped) in more than 1 % of the
     * samples; with a hint where a rate looks given in percent. */
    fmc_diagnostics warnings;
} fmc_scenario;

/* Reads and checks the scenario file PATH.  On success returns FMC_OK and
 * sets *OUT (the caller frees it with fmc_scenario_free).  An invalid
 * scenario gives FMC_ESCENARIO with every problem found appended to DIAGS
 * (an initialised list); an unreadable file gives FMC_EIO with one
 * diagnostic; FMC_ENOMEM when memory runs out.  On failure *OUT is NULL. */
fmc_status fmc_scenario_load_file(const char *path, fmc_scenario **out, fmc_diagnostics *diags);

/* The same for TEXT (LENGTH bytes); DISPLAY_NAME stands for the file in
 * diagnostics and in fmc_scenario.file.  Both turn GSL's abort-on-error
 * handler off (gsl_set_error_handler_off): funnelmc checks GSL's results
 * itself, and a library must not end its host's process. */
fmc_status fmc_scenario_load_text(const char *text, size_t length, const char *display_name,
                                  fmc_scenario **out, fmc_diagnostics *diags);

/* Frees SCENARIO and all it holds; SCENARIO may be NULL. */
void fmc_scenario_free(fmc_scenario *scenario);

/* Number of cost lines (the inputs after the eight funnel inputs, before
 * the horizon's). */
size_t fmc_scenario_cost_lines(const fmc_scenario *scenario);

/* The text of the built-in worked example (all inputs fixed:
 * profit 2500, ROI 1.25); its display name is FMC_WORKED_EXAMPLE_NAME. */
const char *fmc_worked_example_text(void);
#define FMC_WORKED_EXAMPLE_NAME "<built-in worked example>"

/* The text of the built-in reference scenario (scenarios/reference.yaml, the
 * contract's example): the workloads of `funnelmc bench`. */
const char *fmc_reference_text(void);
#define FMC_REFERENCE_NAME "<built-in reference scenario>"

#pragma GCC visibility pop

#endif
