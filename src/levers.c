/* What a lever does to sampled inputs; see levers.h.  Effects:
 *   quality q on followers F -> F':   F + q (F' - F) when F' > F, else F'
 *   elasticity e on R -> R':          purchase rate x (R' / R)^-e (constant
 *                                     elasticity of demand), clamped to [0, 1]
 *   response r on hours T -> T':      followers x (T' / T)^r, at most
 *                                     FMC_MAX_MAGNITUDE
 * A neutral effect (q = 1, e = 0, r = 0) leaves the values bit for bit as a
 * change without one. */
#include "funnelmc/levers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/model.h"
#include "funnelmc/stream.h"
#include "dispatch.h"

double fmc_change_apply(const fmc_change *change, const fmc_input *input, double amount, double x,
                        int *clamped)
{
    double y = change->op == FMC_CHANGE_SCALE ? x * amount
               : change->op == FMC_CHANGE_ADD ? x + amount
                                              : amount;
    double limited = y < input->lowest ? input->lowest : y;
    limited = limited > input->highest ? input->highest : limited;
    *clamped = limited != y;
    return limited;
}

/* The column of input J, made the lever's own (SCRATCH[j]) from here on:
 * writes go there, reads of the values so far come from where they were. */
static double *own_column(double *const *scratch, const double **columns, size_t j,
                          const double **before)
{
    *before = columns[j];
    columns[j] = scratch[j];
    return scratch[j];
}

/* The factor (after / before)^power of an effect; 1 when nothing changed,
 * or when the value before was 0 and the ratio means nothing. */
static double power_ratio(double before, double after, double power)
{
    if (power == 0 || after == before || !(before > 0))
        return 1;
    return pow(after / before, power);
}

/* Multiplies the positive values of column J by the response factor
 * (T' / T)^r of hours OLD -> CHANGED, at most FMC_MAX_MAGNITUDE: the
 * followers reached, and over a horizon the growth too (effort brings new
 * followers as it brings reach; a decline is left as it is). */
static void apply_response(size_t j, const fmc_change *change, const double *effect,
                           const double *old, const double *changed, size_t count,
                           double *const *scratch, const double **columns, unsigned char *clamped)
{
    const double *before;
    double *column = own_column(scratch, columns, j, &before);
    for (size_t i = 0; i < count; i++) {
        double factor = power_ratio(old[i], changed[i], effect ? effect[i] : change->effect);
        double x = before[i] > 0 ? before[i] * factor : before[i];
        column[i] = x > FMC_MAX_MAGNITUDE ? FMC_MAX_MAGNITUDE : x;
        clamped[i] |= (unsigned char)(x > FMC_MAX_MAGNITUDE);
    }
}

/* Applies the effect of a change of input J from OLD to NEW values. */
FMC_HOT_LOOP
static void apply_effect(const fmc_scenario *s, fmc_effect_kind kind, const fmc_change *change,
                         const double *effect, const double *old, double *changed, size_t count,
                         double *const *scratch, const double **columns, unsigned char *clamped)
{
    const double *before;
    if (kind == FMC_EFFECT_QUALITY) {
        for (size_t i = 0; i < count; i++) {
            double q = effect ? effect[i] : change->effect;
            if (changed[i] > old[i] && q != 1)
                changed[i] = old[i] + q * (changed[i] - old[i]);
        }
    } else if (kind == FMC_EFFECT_ELASTICITY) {
        double *rate = own_column(scratch, columns, FMC_PURCHASE_RATE, &before);
        for (size_t i = 0; i < count; i++) {
            double factor = power_ratio(old[i], changed[i], -(effect ? effect[i] : change->effect));
            double p = before[i] > 0 ? before[i] * factor : before[i];
            rate[i] = p > 1 ? 1 : p;
            clamped[i] |= (unsigned char)(p > 1);
        }
    } else if (kind == FMC_EFFECT_RESPONSE) {
        apply_response(FMC_FOLLOWERS, change, effect, old, changed, count, scratch, columns,
                       clamped);
        if (s->horizon)
            apply_response(s->horizon->growth, change, effect, old, changed, count, scratch,
                           columns, clamped);
    }
}

/* Whether CHANGE's effect can move anything. */
static int has_effect(const fmc_change *change, const fmc_change_draws *draws)
{
    fmc_effect_kind kind = fmc_effect_of_input(change->input);
    return kind != FMC_EFFECT_NONE &&
           ((draws && draws->effect) || change->effect != fmc_effect_neutral(kind));
}

FMC_HOT_LOOP
size_t fmc_lever_apply(const fmc_scenario *s, const fmc_lever *lever,
                       const fmc_change_draws *draws, const double *const *inputs, size_t count,
                       double *const *scratch, const double **columns, unsigned char *clamped)
{
    memcpy(columns, inputs, s->input_count * sizeof *columns);
    memset(clamped, 0, count);
    for (size_t c = 0; c < lever->change_count; c++) {
        const fmc_change *change = &lever->changes[c];
        const fmc_change_draws *d = draws ? &draws[c] : NULL;
        const double *amount = d ? d->amount : NULL, *x;
        double *y = own_column(scratch, columns, change->input, &x);
        int effect = has_effect(change, d);
        if (effect) {
            /* the values before the change, for the effect: the scratch
             * array is overwritten in place when the input was changed */
            double *old = scratch[s->input_count];
            memcpy(old, x, count * sizeof *old);
            x = old;
        }
        for (size_t i = 0; i < count; i++) {
            int hit;
            y[i] = fmc_change_apply(change, &s->inputs[change->input],
                                    amount ? amount[i] : change->amount, x[i], &hit);
            clamped[i] |= (unsigned char)hit;
        }
        if (effect)
            apply_effect(s, fmc_effect_of_input(change->input), change, d ? d->effect : NULL, x, y,
                         count, scratch, columns, clamped);
    }
    size_t any = 0;
    for (size_t i = 0; i < count; i++)
        any += clamped[i];
    return any;
}

int fmc_lever_assumes_fixed_reach(const fmc_lever *lever)
{
    for (size_t c = 0; c < lever->change_count; c++) {
        const fmc_change *change = &lever->changes[c];
        if (change->input == FMC_HOURS && !change->uncertain_effect && change->effect == 0)
            return 1;
    }
    return 0;
}

void fmc_lever_quantity_name(const fmc_scenario *s, const fmc_lever *lever, size_t q,
                             char *buffer, size_t size)
{
    const fmc_quantity *quantity = &lever->quantities[q];
    const fmc_quantity *costs[] = {lever->uncertain_hours, lever->uncertain_money,
                                   lever->uncertain_once_hours, lever->uncertain_once_money};
    static const char *const cost_names[] = {"cost.hours", "cost.money", "one_off_cost.hours",
                                             "one_off_cost.money"};
    snprintf(buffer, size, "?");
    for (size_t c = 0; c < lever->change_count; c++) {
        const fmc_change *change = &lever->changes[c];
        const char *input = s->inputs[change->input].name;
        if (change->uncertain_amount == quantity)
            snprintf(buffer, size, "%s.%s", input, fmc_change_op_name(change->op));
        else if (change->uncertain_effect == quantity)
            snprintf(buffer, size, "%s.%s", input,
                     fmc_effect_name(fmc_effect_of_input(change->input)));
    }
    for (size_t k = 0; k < sizeof costs / sizeof *costs; k++)
        if (costs[k] == quantity)
            snprintf(buffer, size, "%s", cost_names[k]);
}

void fmc_lever_number_name(const fmc_scenario *s, const fmc_lever *lever, size_t q,
                           char *buffer, size_t size)
{
    int n = snprintf(buffer, size, "%s.", lever->name);
    if (n >= 0 && (size_t)n < size)
        fmc_lever_quantity_name(s, lever, q, buffer + n, size - (size_t)n);
}

void fmc_lever_cost(const fmc_lever *lever, const double *hours, const double *money,
                    const double *hourly_rate, size_t count, double *cost)
{
    for (size_t i = 0; i < count; i++)
        cost[i] = (money ? money[i] : lever->cost_money) +
                  (hours ? hours[i] : lever->cost_hours) * hourly_rate[i];
}

size_t fmc_lever_number_count(const fmc_scenario *s)
{
    size_t n = 0;
    for (size_t l = 0; l < s->lever_count; l++)
        n += s->levers[l].quantity_count;
    return n;
}

int fmc_lever_number_at(const fmc_scenario *s, size_t index, size_t *lever, size_t *q)
{
    for (size_t l = 0; l < s->lever_count; l++) {
        if (index < s->levers[l].quantity_count) {
            *lever = l;
            *q = index;
            return 1;
        }
        index -= s->levers[l].quantity_count;
    }
    return 0;
}

void fmc_correlated_name(const fmc_scenario *s, size_t quantity, char *buffer, size_t size)
{
    size_t lever, q;
    if (quantity < s->input_count)
        snprintf(buffer, size, "%s", s->inputs[quantity].name);
    else if (fmc_lever_number_at(s, quantity - s->input_count, &lever, &q))
        fmc_lever_number_name(s, &s->levers[lever], q, buffer, size);
    else
        snprintf(buffer, size, "?");
}

/* Q's raw words of its own stream (fmc_quantity_draw). */
static void quantity_words(const fmc_quantity *q, const fmc_draws *draws, uint64_t first,
                           size_t count, int replica, uint32_t *words)
{
    uint32_t *slots[2] = {replica ? NULL : words, replica ? words : NULL};
    fmc_stream_fill(draws->seed, q->stream, draws->first + first, count, 2, slots);
}

void fmc_quantity_draw(const fmc_quantity *q, const fmc_sampler *sampler, const fmc_draws *draws,
                       uint64_t first, size_t count, int replica, uint32_t *words, double *out)
{
    quantity_words(q, draws, first, count, replica, words);
    fmc_sampler_transform(sampler, words, out, count);
}

/* Where lever L's change fields and costs find their values: pointers
 * into V's arrays, set once (the arrays stay, their contents change). */
static void point_draws(fmc_lever_values *v, const fmc_lever *lever, size_t l)
{
    for (size_t c = 0; c < lever->change_count; c++) {
        const fmc_change *change = &lever->changes[c];
        v->draws[l][c] = (fmc_change_draws){
            change->uncertain_amount ? v->values[l][change->uncertain_amount - lever->quantities]
                                     : NULL,
            change->uncertain_effect ? v->values[l][change->uncertain_effect - lever->quantities]
                                     : NULL};
    }
    v->hours[l] = lever->uncertain_hours ? v->values[l][lever->uncertain_hours - lever->quantities]
                                         : NULL;
    v->money[l] = lever->uncertain_money ? v->values[l][lever->uncertain_money - lever->quantities]
                                         : NULL;
    v->once_hours[l] = lever->uncertain_once_hours
                           ? v->values[l][lever->uncertain_once_hours - lever->quantities]
                           : NULL;
    v->once_money[l] = lever->uncertain_once_money
                           ? v->values[l][lever->uncertain_once_money - lever->quantities]
                           : NULL;
}

/* Whether input J is in a group of COPULA with a lever's number (members
 * ascending: the numbers come last). */
static int conditions_numbers(const fmc_copula *copula, size_t inputs, size_t j)
{
    long g = fmc_copula_group_of(copula, j);
    size_t n = 0;
    const size_t *members = g < 0 ? NULL : fmc_copula_group_members(copula, (size_t)g, &n);
    return members && members[n - 1] >= inputs;
}

/* V's buffers for the conditional draw of numbers correlated with others.
 * 1, or 0 when out of memory (V then holds what was allocated, for
 * fmc_lever_values_clear). */
static int conditional_init(fmc_lever_values *v, const fmc_scenario *s, size_t length)
{
    size_t d = s->input_count, numbers = fmc_lever_number_count(s);
    v->input_words = calloc(d, sizeof *v->input_words);
    v->number_words = calloc(numbers ? numbers : 1, sizeof *v->number_words);
    if (!v->input_words || !v->number_words)
        return 0;
    v->inputs = d;
    for (size_t j = 0; j < d; j++)
        if (conditions_numbers(s->lever_copula, d, j) &&
            !(v->input_words[j] = malloc((length ? length : 1) * sizeof *v->input_words[j])))
            return 0;
    for (size_t k = 0, l, q; fmc_lever_number_at(s, k, &l, &q); k++)
        v->number_words[k] = v->words[l][q];
    return 1;
}

void fmc_lever_values_clear(fmc_lever_values *v)
{
    if (!v)
        return;
    for (size_t l = 0; v->values && l < v->levers; l++) {
        for (size_t q = 0; v->values[l] && v->values[l][q]; q++)
            free(v->values[l][q]);
        free(v->values[l]);
    }
    for (size_t l = 0; v->words && l < v->levers; l++) {
        for (size_t q = 0; v->words[l] && v->words[l][q]; q++)
            free(v->words[l][q]);
        free(v->words[l]);
    }
    for (size_t l = 0; v->draws && l < v->levers; l++)
        free(v->draws[l]);
    for (size_t j = 0; v->input_words && j < v->inputs; j++)
        free(v->input_words[j]);
    free(v->input_words);
    free(v->number_words);
    free(v->values);
    free(v->draws);
    free(v->hours);
    free(v->money);
    free(v->once_hours);
    free(v->once_money);
    free(v->words);
    memset(v, 0, sizeof *v);
}

fmc_status fmc_lever_values_init(fmc_lever_values *v, const fmc_scenario *s, size_t length)
{
    memset(v, 0, sizeof *v);
    size_t levers = s->lever_count ? s->lever_count : 1;
    v->levers = s->lever_count;
    v->length = length;
    v->values = calloc(levers, sizeof *v->values);
    v->draws = calloc(levers, sizeof *v->draws);
    v->hours = calloc(levers, sizeof *v->hours);
    v->money = calloc(levers, sizeof *v->money);
    v->once_hours = calloc(levers, sizeof *v->once_hours);
    v->once_money = calloc(levers, sizeof *v->once_money);
    v->words = calloc(levers, sizeof *v->words);
    int ok = v->values && v->draws && v->hours && v->money && v->once_hours && v->once_money &&
             v->words;
    for (size_t l = 0; ok && l < s->lever_count; l++) {
        const fmc_lever *lever = &s->levers[l];
        /* NULL-terminated, for clearing */
        ok = (v->values[l] = calloc(lever->quantity_count + 1, sizeof *v->values[l])) &&
             (v->words[l] = calloc(lever->quantity_count + 1, sizeof *v->words[l])) &&
             (v->draws[l] = calloc(lever->change_count + 1, sizeof *v->draws[l]));
        for (size_t q = 0; ok && q < lever->quantity_count; q++)
            ok = (v->values[l][q] = malloc((length ? length : 1) * sizeof *v->values[l][q])) &&
                 (v->words[l][q] = malloc((length ? length : 1) * sizeof *v->words[l][q]));
        if (ok)
            point_draws(v, lever, l);
    }
    if (ok && s->lever_copula)
        ok = conditional_init(v, s, length);
    if (!ok) {
        fmc_lever_values_clear(v);
        return FMC_ENOMEM;
    }
    return FMC_OK;
}

void fmc_lever_samplers_free(const fmc_scenario *s, fmc_sampler ***samplers)
{
    if (!samplers)
        return;
    for (size_t l = 0; l < s->lever_count; l++) {
        for (size_t q = 0; samplers[l] && q < s->levers[l].quantity_count; q++)
            fmc_sampler_free(samplers[l][q]);
        free(samplers[l]);
    }
    free(samplers);
}

fmc_status fmc_lever_samplers_alloc(const fmc_scenario *s, fmc_sampler ****out)
{
    *out = NULL;
    fmc_sampler ***samplers = calloc(s->lever_count ? s->lever_count : 1, sizeof *samplers);
    fmc_status status = samplers ? FMC_OK : FMC_ENOMEM;
    for (size_t l = 0; !status && l < s->lever_count; l++) {
        const fmc_lever *lever = &s->levers[l];
        samplers[l] = calloc(lever->quantity_count ? lever->quantity_count : 1, sizeof **samplers);
        if (!samplers[l])
            status = FMC_ENOMEM;
        for (size_t q = 0; !status && q < lever->quantity_count; q++)
            status = fmc_sampler_alloc(&lever->quantities[q].dist, &samplers[l][q]);
    }
    if (status) {
        fmc_lever_samplers_free(s, samplers);
        return status;
    }
    *out = samplers;
    return FMC_OK;
}

void fmc_lever_values_draw(fmc_lever_values *v, const fmc_scenario *s,
                           fmc_sampler *const *const *samplers, const fmc_draws *draws,
                           uint64_t first, size_t count, int replica)
{
    for (size_t l = 0; l < s->lever_count; l++)
        for (size_t q = 0; q < s->levers[l].quantity_count; q++)
            quantity_words(&s->levers[l].quantities[q], draws, first, count, replica,
                           v->words[l][q]);
    if (s->lever_copula) {
        fmc_draws_fill(draws, FMC_PURPOSE_SAMPLES, 1, first, count, v->input_words);
        fmc_copula_apply_quantities(s->lever_copula, s->input_count,
                                    (const uint32_t *const *)v->input_words, v->number_words,
                                    count);
    }
    for (size_t l = 0; l < s->lever_count; l++)
        for (size_t q = 0; q < s->levers[l].quantity_count; q++)
            fmc_sampler_transform(samplers[l][q], v->words[l][q], v->values[l][q], count);
}
