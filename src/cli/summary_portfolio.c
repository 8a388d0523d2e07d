/* What the terminal shows of the best set of levers for a budget: one
 * sentence for the best set, one line for each runner-up.  Every figure
 * comes from the run's result; the HDF5 file holds them all (/portfolio). */
#include <math.h>
#include <stdio.h>
#include "cli.h"

/* "better_photos + raise_price", or "do nothing" for the empty set. */
static void print_members(FILE *out, const fmc_scenario *s, uint32_t members)
{
    if (members == 0) {
        fprintf(out, "do nothing");
        return;
    }
    const char *sep = "";
    for (size_t l = 0; l < s->lever_count; l++)
        if (members >> l & 1) {
            fprintf(out, "%s%s", sep, s->levers[l].name);
            sep = " + ";
        }
}

/* "10 hours and 300 per month", "10 hours per month", "300 per month", or
 * "no limit on hours or money". */
static void print_budget(FILE *out, const fmc_scenario *s, const fmc_portfolio_result *p)
{
    int hours = !isinf(p->budget_hours), money = !isinf(p->budget_money);
    if (hours)
        fprintf(out, "%.6g hours", p->budget_hours);
    if (money)
        fprintf(out, "%s%.6g", hours ? " and " : "", p->budget_money);
    if (hours || money)
        fprintf(out, " per %s", s->period);
    else
        fprintf(out, "no limit on hours or money");
}

/* The objective's value of SET when it is not the mean: "; P(profit) 97.1% ± 0.02%". */
static void print_objective(FILE *out, const fmc_portfolio_result *p, const fmc_portfolio_set *set)
{
    if (p->objective == FMC_OBJECTIVE_P_PROFIT)
        fprintf(out, "; P(profit) %.2f%% ± %.2g%%", 100 * set->objective,
                100 * set->objective_se);
    else if (p->objective == FMC_OBJECTIVE_PERCENTILE)
        fprintf(out, "; P%.0f of net profit %.6g ± %.2g",
                100 * fmc_quantile_levels[p->percentile], set->objective, set->objective_se);
}

void print_portfolio(FILE *out, const fmc_scenario *s, const fmc_portfolio_result *p)
{
    if (p->levers == 0 || p->count == 0)
        return;
    static const char *const objectives[] = {"the largest mean net profit",
                                             "the largest probability of a profit",
                                             "the largest low percentile of net profit"};
    fprintf(out, "\nthe best set of levers for the budget (%s; every subset of the %zu levers "
                 "screened on %llu draws,\nthe best %zu re-evaluated on all of them):\n",
            objectives[p->objective], p->levers, (unsigned long long)p->screen_samples,
            p->candidates);
    const fmc_portfolio_set *best = &p->sets[0];
    fprintf(out, "With ");
    print_budget(out, s, p);
    fprintf(out, ", do: ");
    print_members(out, s, best->members);
    char text[64];
    fprintf(out, " (mean net profit %s",
            format_estimate(text, sizeof text, best->net_mean, best->net_se));
    print_objective(out, p, best);
    if (p->count >= 2)
        fprintf(out, "; beats the next best set in %.0f %% of samples",
                100 * p->p_best_beats_second);
    fprintf(out, "; P(cost over budget) %.0f %%)\n", 100 * best->p_over);
    for (size_t r = 1; r < p->count; r++) {
        const fmc_portfolio_set *set = &p->sets[r];
        fprintf(out, "  %zu. ", r + 1);
        print_members(out, s, set->members);
        fprintf(out, " (mean net profit %s",
                format_estimate(text, sizeof text, set->net_mean, set->net_se));
        print_objective(out, p, set);
        fprintf(out, "; %.3g hours and %.6g extra a %s; P(cost over budget) %.0f %%)\n",
                set->extra_hours, set->extra_money, s->period, 100 * set->p_over);
    }
    fprintf(out, "  the best set: %.3g hours and %.6g extra a %s", best->extra_hours,
            best->extra_money, s->period);
    /* with one set alone there is no second to beat */
    if (p->count >= 2)
        fprintf(out, "; P(best beats second) %.2f%% ± %.2g%%", 100 * p->p_best_beats_second,
                100 * p->p_best_beats_second_se);
    fprintf(out, "\n");
}
