/* Improvement levers: what a lever does to the sampled inputs.
 *
 * A lever changes one or more inputs by scale (multiply), add or set; after
 * an add or a scale, rates are clamped to [0, 1] and every other quantity to
 * >= 0, and the samples where that happened are counted.  It applies to each
 * sampled value, so the lever and the baseline see the same draws (common
 * random numbers).  A change may carry an effect (scenario.h): quality for
 * followers, elasticity for the revenue per sale (it moves the purchase
 * rate), response for the hours (it moves the followers reached).  Changes
 * apply in the lever's order, each to the values the ones before it left.
 *
 * Amounts, effects and costs may be uncertain: their values for a block of
 * samples come in fmc_change_draws, drawn by the caller from each
 * quantity's own stream (fmc_quantity_draw).
 *
 * Words used throughout funnelmc:
 *   gain      profit with the lever's changes - baseline profit (the lever's
 *             own cost not counted: "doubling followers adds 4500")
 *   cost      the lever's own cost: money + hours x the sampled hourly rate
 *   net gain  gain - cost; P(improve) and P(beats) compare net profits. */
#ifndef FUNNELMC_LEVERS_H
#define FUNNELMC_LEVERS_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/draws.h"
#include "funnelmc/sampler.h"
#include "funnelmc/scenario.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* The value CHANGE makes of X, a value of INPUT (the one change->input
 * names), with AMOUNT, clamped to [input->lowest, input->highest]; *CLAMPED
 * is set to 1 when clamping changed it, else 0.  The change's effect is not
 * applied. */
double fmc_change_apply(const fmc_change *change, const fmc_input *input, double amount, double x,
                        int *clamped);

/* One block's values of a change's uncertain numbers: NULL where the
 * number is the change's own. */
typedef struct fmc_change_draws {
    const double *amount;  /* [count] */
    const double *effect;  /* [count] */
} fmc_change_draws;

/* Applies LEVER to COUNT samples of INPUTS (one array per input), with
 * DRAWS[c] the values of change c's uncertain numbers (DRAWS may be NULL
 * when the lever has none).  COLUMNS[j] becomes INPUTS[j], or for an input
 * the lever changes (directly or through an effect) SCRATCH[j], filled with
 * the changed values; SCRATCH has one block-sized array per input.
 * CLAMPED[i] is set to 1 where any change of sample i was clamped, else 0.
 * Returns the number of such samples. */
size_t fmc_lever_apply(const fmc_scenario *scenario, const fmc_lever *lever,
                       const fmc_change_draws *draws, const double *const *inputs, size_t count,
                       double *const *scratch, const double **columns, unsigned char *clamped);

/* The key path of LEVER's uncertain number Q (an index into its
 * quantities) in the scenario, after `levers.NAME.`: "click_rate.add",
 * "followers.quality", "cost.money", "one_off_cost.hours", ... into BUFFER
 * of SIZE bytes (cut to fit, NUL-terminated). */
void fmc_lever_quantity_name(const fmc_scenario *scenario, const fmc_lever *lever, size_t q,
                             char *buffer, size_t size);
/* The same after the lever's name, "NAME.click_rate.add": how a lever's
 * number is named among the others of the scenario. */
void fmc_lever_number_name(const fmc_scenario *scenario, const fmc_lever *lever, size_t q,
                           char *buffer, size_t size);

/* The levers' uncertain numbers as quantities of `correlations:`
 * (copula.h), numbered after the scenario's inputs and cost lines: lever
 * by lever in file order, each lever's in its quantities' order (file
 * order).  fmc_lever_number_count gives how many there are;
 * fmc_lever_number_at puts number INDEX (0-based, after the inputs) into
 * *LEVER and *Q (an index into its quantities), returning 0 when there is
 * no such number; fmc_correlated_name names QUANTITY (an input's or cost
 * line's index, or input_count + a number's index) as `correlations:`
 * does: the input's name, or "LEVER.click_rate.add" (fmc_lever_number_name). */
size_t fmc_lever_number_count(const fmc_scenario *scenario);
int fmc_lever_number_at(const fmc_scenario *scenario, size_t index, size_t *lever, size_t *q);
void fmc_correlated_name(const fmc_scenario *scenario, size_t quantity, char *buffer,
                         size_t size);

/* 1 when LEVER changes the hours with no response (a number 0): its
 * figures then assume that reach does not depend on the time spent. */
int fmc_lever_assumes_fixed_reach(const fmc_lever *lever);

/* cost[i] = the lever's money + its hours x hourly_rate[i], with HOURS and
 * MONEY the per-sample values of an uncertain cost (NULL: the lever's
 * number). */
void fmc_lever_cost(const fmc_lever *lever, const double *hours, const double *money,
                    const double *hourly_rate, size_t count, double *cost);

/* Q's values for samples FIRST .. FIRST + COUNT - 1 of the window of DRAWS
 * (draws.h) into OUT, drawn with SAMPLER (built from q->dist) from the
 * plain Monte Carlo words of its stream at the design's sample index,
 * whatever the design: within a replicate of lhs or qmc these are i.i.d.,
 * and replicates stay independent, since their samples differ;
 * REPLICA 1 draws an independent second value per sample (slot 1 of the
 * stream instead of 0), for the variance split of a lever's gain.  WORDS is
 * scratch of COUNT words. */
void fmc_quantity_draw(const fmc_quantity *q, const fmc_sampler *sampler,
                       const fmc_draws *draws, uint64_t first, size_t count, int replica,
                       uint32_t *words, double *out);

/* The values of every uncertain number of a scenario's levers for a run of
 * samples (a block, or the equivalents' subsample): what fmc_lever_apply
 * and fmc_lever_cost take, lever by lever. */
typedef struct fmc_lever_values {
    size_t levers, length;       /* the scenario's levers; samples the arrays hold */
    size_t inputs;               /* input_words' length; 0 when it is NULL */
    double ***values;            /* [lever][quantity][length] */
    fmc_change_draws **draws;    /* [lever][change] pointing into values */
    const double **hours, **money;  /* [lever] into values, NULL for a number */
    const double **once_hours, **once_money;  /* [lever] the one-off cost's, likewise */
    /* [lever][quantity][length] the random words the values were drawn
     * from: their order is the values' (inverse-CDF samplers), so they
     * bin the values by their CDF (the value of information's bins) */
    uint32_t ***words;
    /* With numbers correlated with inputs (scenario->lever_copula), else
     * NULL: [input] scratch for the inputs' words the numbers are drawn
     * conditionally on (NULL for an input of no such group), and [number]
     * the words above in fmc_lever_number_at's order. */
    uint32_t **input_words;
    uint32_t **number_words;
} fmc_lever_values;

/* Buffers for LENGTH samples of every lever of SCENARIO.  FMC_OK, or
 * FMC_ENOMEM with *OUT cleared. */
fmc_status fmc_lever_values_init(fmc_lever_values *out, const fmc_scenario *scenario,
                                 size_t length);
/* Releases V's buffers; V may be NULL or cleared. */
void fmc_lever_values_clear(fmc_lever_values *v);

/* Samplers of every uncertain number of every lever of SCENARIO:
 * (*OUT)[lever][quantity].  FMC_OK, or FMC_ENOMEM or FMC_ENUMERIC with *OUT
 * NULL. */
fmc_status fmc_lever_samplers_alloc(const fmc_scenario *scenario, fmc_sampler ****out);
/* SAMPLERS may be NULL. */
void fmc_lever_samplers_free(const fmc_scenario *scenario, fmc_sampler ***samplers);

/* Draws the values of samples FIRST .. FIRST + COUNT - 1 (COUNT <=
 * v->length) of every lever's numbers, and their words, into V (REPLICA as
 * fmc_quantity_draw).  Numbers correlated with others
 * (scenario->lever_copula) are drawn conditionally on the same samples'
 * correlated input words, which are drawn again from DRAWS (those of the
 * run's blocks, period 1: the numbers are drawn once per path), by
 * fmc_copula_apply_quantities; REPLICA 1 draws them anew on the same
 * inputs. */
void fmc_lever_values_draw(fmc_lever_values *v, const fmc_scenario *scenario,
                           fmc_sampler *const *const *samplers, const fmc_draws *draws,
                           uint64_t first, size_t count, int replica);

#pragma GCC visibility pop

#endif
