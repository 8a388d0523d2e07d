/* The value of information of the levers' choice, in words. */
#include <math.h>
#include <stdio.h>
#include "cli.h"
#include "funnelmc/levers.h"

/* The name of candidate K of R's value of information: an input's, then a
 * lever number's ("lever.key.path"), into BUFFER. */
static void candidate_name(const fmc_scenario *s, const fmc_lever_results *r, size_t k,
                           char *buffer, size_t size)
{
    if (k < r->inputs) {
        snprintf(buffer, size, "%s", s->inputs[k].name);
        return;
    }
    const fmc_lever_voi *v = &r->voi;
    const fmc_lever *lever = &s->levers[v->number_lever[k - r->inputs]];
    char key[256];
    fmc_lever_quantity_name(s, lever, v->number_quantity[k - r->inputs], key, sizeof key);
    snprintf(buffer, size, "%s.%s", lever->name, key);
}

void print_value_of_information(FILE *out, const fmc_scenario *s, const fmc_lever_results *r)
{
    const fmc_lever_voi *v = &r->voi;
    if (r->count == 0 || isnan(v->evpi))
        return;
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
    /* the two largest of the inputs and the levers' numbers */
    size_t candidates = r->inputs + v->numbers, first = SIZE_MAX, second = SIZE_MAX;
    for (size_t k = 0; k < candidates; k++) {
        double x = k < r->inputs ? v->input[k] : v->number[k - r->inputs];
        if (!(x > 0))
            continue;
        double top = first == SIZE_MAX ? 0
                     : first < r->inputs ? v->input[first]
                                         : v->number[first - r->inputs];
        if (first == SIZE_MAX || x > top) {
            second = first;
            first = k;
        } else {
            double next = second == SIZE_MAX ? 0
                          : second < r->inputs ? v->input[second]
                                               : v->number[second - r->inputs];
            if (second == SIZE_MAX || x > next)
                second = k;
        }
    }
    char name[600];
    if (first == SIZE_MAX) {
        fprintf(out, "  Knowing any one input or lever number before choosing would not change "
                     "the choice;");
    } else {
        int input = first < r->inputs;
        candidate_name(s, r, first, name, sizeof name);
        fprintf(out, "  Knowing your true %s before choosing is worth %.3g ± %.2g %s; ", name,
                input ? v->input[first] : v->number[first - r->inputs],
                input ? v->input_se[first] : v->number_se[first - r->inputs], per);
        if (second == SIZE_MAX) {
            fprintf(out, "nothing else alone is worth anything;");
        } else {
            candidate_name(s, r, second, name, sizeof name);
            fprintf(out, "nothing else alone is worth more than %.3g (%s);",
                    second < r->inputs ? v->input[second] : v->number[second - r->inputs], name);
        }
    }
    fprintf(out, " with everything known you would gain %.3g ± %.2g.\n", v->evpi, v->evpi_se);
    fprintf(out, "  by group:");
    for (int g = 0; g < FMC_GROUP_COUNT; g++) {
        if (isnan(v->group[g]))
            fprintf(out, "%s %s -", g ? "," : "", fmc_group_name(g));
        else
            fprintf(out, "%s %s %.3g ± %.2g", g ? "," : "", fmc_group_name(g), v->group[g],
                    v->group_se[g]);
    }
    fprintf(out, "\n");
}
