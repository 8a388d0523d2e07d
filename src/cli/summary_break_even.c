/* What the terminal shows of the break-even values: a table of the inputs
 * that have one, the ones that do not with which way their range lies, and
 * over a horizon when the mean cumulative profit reaches 0.  The HDF5 file
 * holds them all (/break_even). */
#include <math.h>
#include <stdio.h>
#include "cli.h"

/* The inputs of KIND on one line, "  none, always a loss: a, b"; nothing
 * when there are none. */
static void print_none(FILE *out, const fmc_scenario *s, const fmc_break_even_result *b,
                       fmc_break_even_kind kind)
{
    size_t shown = 0;
    for (size_t j = 0; j < b->inputs; j++)
        if (b->kind[j] == kind)
            fprintf(out, "%s%s", shown++ ? ", " : kind == FMC_BREAK_EVEN_ALWAYS_PROFIT
                                                      ? "  none, always a profit: "
                                                      : "  none, always a loss: ",
                    s->inputs[j].name);
    if (shown)
        fprintf(out, "\n");
}

static void print_break_even_period(FILE *out, const fmc_scenario *s,
                                    const fmc_break_even_result *b)
{
    if (b->period_kind == FMC_BREAK_EVEN_FOUND && isfinite(b->period_se))
        fprintf(out, "  the mean cumulative profit reaches 0 after %.3g ± %.2g %ss\n", b->period,
                b->period_se, s->period);
    else if (b->period_kind == FMC_BREAK_EVEN_FOUND)
        fprintf(out, "  the mean cumulative profit reaches 0 after %.3g %ss (se undefined)\n",
                b->period, s->period);
    else if (b->period_kind == FMC_BREAK_EVEN_ALWAYS_PROFIT)
        fprintf(out, "  the mean cumulative profit is > 0 from %s 1 on\n", s->period);
    else
        fprintf(out, "  the mean cumulative profit does not reach 0 within %u %ss\n", b->periods,
                s->period);
}

void print_break_even(FILE *out, const fmc_scenario *s, const fmc_break_even_result *b,
                      const double *importance)
{
    size_t order[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    double weight[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
    for (size_t j = 0; j < b->inputs; j++)  /* fixed inputs after the uncertain ones */
        weight[j] = importance && s->inputs[j].dist.kind != FMC_DIST_CONSTANT ? importance[j] : -1;
    by_importance(weight, b->inputs, order);
    fprintf(out, "\nbreak-even: the value of each input alone at which the mean profit is 0,\n"
                 "the others as drawn (%llu samples; ± se):\n",
            (unsigned long long)b->samples);
    for (size_t k = 0; k < b->inputs; k++) {
        size_t j = order[k];
        if (b->kind[j] != FMC_BREAK_EVEN_FOUND)
            continue;
        char value[48];
        if (isfinite(b->se[j]))
            format_estimate(value, sizeof value, b->value[j], b->se[j]);
        else  /* one sample, or the mean profit is flat there (0 whatever the value) */
            snprintf(value, sizeof value, "%.6g, se undefined", b->value[j]);
        fprintf(out, "  %-20s %-24s (base %g)\n", s->inputs[j].name, value, s->inputs[j].base);
    }
    print_none(out, s, b, FMC_BREAK_EVEN_ALWAYS_PROFIT);
    print_none(out, s, b, FMC_BREAK_EVEN_ALWAYS_LOSS);
    if (b->periods > 0)
        print_break_even_period(out, s, b);
}
