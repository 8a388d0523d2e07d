/* How the inputs were drawn, said before the figures: the design and its
 * replicates, the laws fitted to data, and the rank correlations asked and
 * drawn. */
#include <stdio.h>
#include "cli.h"
#include "funnelmc/levers.h"
#include "funnelmc/replicates.h"

void print_design(FILE *out, const fmc_design *d, double confidence)
{
    static const char *const what[] = {"plain Monte Carlo", "Latin hypercube",
                                       "scrambled Sobol' points"};
    if (d->method == FMC_DESIGN_MC && d->replicates <= 1)
        return;
    fprintf(out, "sampling: %s (%s), %u replicates of %llu samples\n  every ± and interval "
                 "from the replicates' spread (%g%%: Student t, %u degrees of freedom, t = %.3g)\n",
            fmc_design_name(d->method), what[d->method], d->replicates,
            (unsigned long long)d->points, 100 * confidence, d->replicates - 1,
            fmc_interval_factor(d, confidence));
}

/* "lognormal (median 1210 ± 35, sigma 0.118 ± 0.024)" */
static void print_candidate(FILE *out, const fmc_fit_candidate *c)
{
    fprintf(out, "%s (", fmc_dist_kind_name(c->law));
    for (size_t p = 0; p < c->parameter_count; p++) {
        char text[64];
        fprintf(out, "%s%s %s", p ? ", " : "", c->parameter_names[p],
                format_estimate(text, sizeof text, c->parameters[p], c->parameter_se[p]));
    }
    fprintf(out, ")");
}

static void print_fit(FILE *out, const char *name, const fmc_fit_result *fit)
{
    const fmc_fit_candidate *best = &fit->candidates[0];
    fprintf(out, "%s: fitted to %zu values: ", name, fit->value_count);
    print_candidate(out, best);
    fprintf(out, "; KS p = %.2g\n  AIC %.1f", best->ks_p, best->aic);
    size_t k = 1;
    for (; k < fit->count && fit->candidates[k].fitted; k++)
        fprintf(out, ", %s +%.1f", fmc_dist_kind_name(fit->candidates[k].law),
                fit->candidates[k].aic - best->aic);
    fprintf(out, "%s\n", k > 1 ? " (within +2: as good)" : "");
}

static void print_correlations(FILE *out, const fmc_scenario *s,
                               const fmc_correlation_check_result *c)
{
    if (!c->count)
        return;
    fprintf(out, "rank correlations, asked and drawn:\n");
    for (size_t k = 0; k < c->count; k++) {
        const fmc_realised_correlation *pair = &c->pairs[k];
        char drawn[64], first[256], second[256];
        fmc_correlated_name(s, pair->first, first, sizeof first);
        fmc_correlated_name(s, pair->second, second, sizeof second);
        fprintf(out, "  %s ~ %s: %g, drawn %s\n", first, second, pair->requested,
                format_estimate(drawn, sizeof drawn, pair->realised, pair->realised_se));
    }
}

void print_sampling(FILE *out, const fmc_scenario *s, const fmc_run_result *r)
{
    print_design(out, &r->design, s->confidence);
    for (size_t j = 0; j < s->input_count; j++)
        if (s->inputs[j].fit)
            print_fit(out, s->inputs[j].name, s->inputs[j].fit);
    print_correlations(out, s, &r->correlations);
}
