/* The value of information of the levers' choice, in words.  The
 * candidates for "knowing your true X" are the inputs, then the levers'
 * uncertain numbers; groups get a line of their own. */
#include <math.h>
#include <stdio.h>
#include "cli.h"
#include "funnelmc/levers.h"

double voi_candidate(const fmc_lever_results *r, size_t k, int se)
{
    const fmc_lever_voi *v = &r->voi;
    if (k < r->inputs)
        return se ? v->input_se[k] : v->input[k];
    return se ? v->number_se[k - r->inputs] : v->number[k - r->inputs];
}

void voi_candidate_name(const fmc_scenario *s, const fmc_lever_results *r, size_t k,
                           char *buffer, size_t size)
{
    if (k < r->inputs) {
        snprintf(buffer, size, "%s", s->inputs[k].name);
        return;
    }
    const fmc_lever_voi *v = &r->voi;
    fmc_lever_number_name(s, &s->levers[v->number_lever[k - r->inputs]],
                          v->number_quantity[k - r->inputs], buffer, size);
}

size_t voi_most_valuable(const fmc_lever_results *r, size_t *second)
{
    /* the two largest positive figures (NaN and estimates <= 0 are worth nothing) */
    size_t first = SIZE_MAX, next = SIZE_MAX;
    for (size_t k = 0; k < r->inputs + r->voi.numbers; k++) {
        double x = voi_candidate(r, k, 0);
        if (!(x > 0))
            continue;
        if (first == SIZE_MAX || x > voi_candidate(r, first, 0)) {
            next = first;
            first = k;
        } else if (next == SIZE_MAX || x > voi_candidate(r, next, 0)) {
            next = k;
        }
    }
    if (second)
        *second = next;
    return first;
}

void print_value_of_information(FILE *out, const fmc_scenario *s, const fmc_lever_results *r)
{
    const fmc_lever_voi *v = &r->voi;
    if (r->count == 0 || isnan(v->evpi))
        return;  /* fewer than two folds: too few samples to say */
    char per[64];
    if (r->periods)
        snprintf(per, sizeof per, "over %u %ss", r->periods, s->period);
    else
        snprintf(per, sizeof per, "per %s", s->period);
    fprintf(out, "\nvalue of information (what knowing a quantity before choosing among the levers "
                 "or none\nwould add to the expected net gain, ± se; a lower bound, see "
                 "docs/design.md):\n");
    fprintf(out, "  choosing now: %s, expected net gain %.6g %s\n",
            v->best ? s->levers[v->best - 1].name : "no lever", v->best_net, per);
    size_t second, first = voi_most_valuable(r, &second);
    char name[600];
    if (first == SIZE_MAX) {
        fprintf(out, "  Knowing any one input or lever number before choosing would not change "
                     "the choice;");
    } else {
        voi_candidate_name(s, r, first, name, sizeof name);
        fprintf(out, "  Knowing your true %s before choosing is worth %.3g ± %.2g %s; ", name,
                voi_candidate(r, first, 0), voi_candidate(r, first, 1), per);
        if (second == SIZE_MAX) {
            fprintf(out, "nothing else alone is worth anything;");
        } else {
            voi_candidate_name(s, r, second, name, sizeof name);
            fprintf(out, "nothing else alone is worth more than %.3g (%s);",
                    voi_candidate(r, second, 0), name);
        }
    }
    fprintf(out, " with everything known you would gain %.3g ± %.2g.\n", v->evpi, v->evpi_se);
    fprintf(out, "  by group:");
    double worth[FMC_GROUP_COUNT];
    size_t order[FMC_GROUP_COUNT];
    for (int g = 0; g < FMC_GROUP_COUNT; g++)
        worth[g] = isnan(v->group[g]) ? -INFINITY : v->group[g];
    by_importance(worth, FMC_GROUP_COUNT, order);
    for (size_t k = 0; k < FMC_GROUP_COUNT; k++) {
        int g = (int)order[k];
        if (isnan(v->group[g])) {  /* only inputs drawn each period: nothing to learn */
            fprintf(out, "%s %s -", k ? "," : "", fmc_group_name(g));
        } else {
            char text[64];
            fprintf(out, "%s %s %s", k ? "," : "", fmc_group_name(g),
                    format_estimate(text, sizeof text, v->group[g], v->group_se[g]));
        }
    }
    fprintf(out, "\n");
}
