#include "funnelmc/levers.h"

#include <string.h>
#include "funnelmc/model.h"

double fmc_change_apply(const fmc_change *change, double x, int *clamped)
{
    double y = change->op == FMC_CHANGE_SCALE ? x * change->amount
               : change->op == FMC_CHANGE_ADD ? x + change->amount
                                              : change->amount;
    double limited = y < 0 ? 0 : y;
    if (change->input < FMC_FUNNEL_INPUT_COUNT && fmc_input_is_rate((fmc_input_id)change->input))
        limited = limited > 1 ? 1 : limited;
    *clamped = limited != y;
    return limited;
}

size_t fmc_lever_apply(const fmc_scenario *s, const fmc_lever *lever, const double *const *inputs,
                       size_t count, double *const *scratch, const double **columns,
                       unsigned char *clamped)
{
    memcpy(columns, inputs, s->input_count * sizeof *columns);
    memset(clamped, 0, count);
    for (size_t c = 0; c < lever->change_count; c++) {
        const fmc_change *change = &lever->changes[c];
        const double *x = inputs[change->input];
        double *y = scratch[c];
        for (size_t i = 0; i < count; i++) {
            int hit;
            y[i] = fmc_change_apply(change, x[i], &hit);
            clamped[i] |= (unsigned char)hit;
        }
        columns[change->input] = y;
    }
    size_t any = 0;
    for (size_t i = 0; i < count; i++)
        any += clamped[i];
    return any;
}

void fmc_lever_cost(const fmc_lever *lever, const double *hourly_rate, size_t count, double *cost)
{
    for (size_t i = 0; i < count; i++)
        cost[i] = lever->cost_money + lever->cost_hours * hourly_rate[i];
}
