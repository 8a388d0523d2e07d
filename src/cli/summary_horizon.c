/* What the terminal shows of a horizon: a compact table of its periods and
 * when the run, and each lever, pays for itself.  Every figure comes from
 * the run's result; the HDF5 file holds them all (/horizon). */
#include <math.h>
#include <stdio.h>
#include "cli.h"

/* At most this many periods in the table; a longer horizon shows evenly
 * spaced ones, the first and the last always. */
#define SHOWN_PERIODS 12

/* Quantile levels of the table (indices into fmc_quantile_levels). */
static const int table_quantiles[] = {1, 4, 7};  /* P5, P50, P95 */

void print_horizon_scope(FILE *out, const fmc_scenario *s, const fmc_horizon_result *h)
{
    fprintf(out, "over the %u %ss: profit is the cumulative profit", h->periods, s->period);
    if (h->discount_rate != 0)
        fprintf(out, ", discounted at %.4g%% a %s (%s 1 in today's money)",
                100 * h->discount_rate, s->period, s->period);
    fprintf(out, ";\nROI that of the cumulative figures; sales the total\n");
}

/* T, or "never" for a period beyond the horizon ("unknown": NaN, as a
 * damaged file may give). */
static const char *period_text(double t, char *buffer, size_t size)
{
    if (isinf(t))
        return "never";
    if (isnan(t))
        return "unknown";
    snprintf(buffer, size, "%.0f", t);
    return buffer;
}

void print_payback(FILE *out, const char *period, const fmc_payback_summary *p, double confidence)
{
    char lo[16], hi[16];
    char median[16];
    if (isinf(p->median))
        fprintf(out, "median beyond the horizon");
    else
        fprintf(out, "median %s %s", period, period_text(p->median, median, sizeof median));
    fprintf(out, " (%.0f%% CI %s", 100 * confidence, period_text(p->median_ci[0], lo, sizeof lo));
    if (!isinf(p->median_ci[0]))  /* else both ends are beyond the horizon */
        fprintf(out, "-%s", period_text(p->median_ci[1], hi, sizeof hi));
    fprintf(out, "); not within %u %ss: %.1f%% ± %.2g%%", p->periods, period, 100 * p->p_never,
            100 * p->p_never_se);
}

void print_horizon(FILE *out, const fmc_scenario *s, const fmc_horizon_result *h)
{
    uint32_t T = h->periods, shown = T < SHOWN_PERIODS ? T : SHOWN_PERIODS;
    fprintf(out, "\nprofit %s by %s (undiscounted; mean ± se, quantiles, P(loss)):\n", s->period,
            s->period);
    fprintf(out, "  %-6s %-24s %12s %12s %12s %9s\n", s->period, "mean ± se", "P5", "P50", "P95",
            "P(loss)");
    for (uint32_t i = 0; i < shown; i++) {
        /* row i of SHOWN: period 1 + round(i (T - 1) / (SHOWN - 1)) */
        uint32_t t = shown < 2 ? 0 : (uint32_t)((2 * (uint64_t)i * (T - 1) + (shown - 1)) /
                                                (2 * (uint64_t)(shown - 1)));
        const fmc_output_summary *o = &h->profit[t];
        char mean[64];
        format_estimate(mean, sizeof mean, o->mean, o->se);
        fprintf(out, "  %-6u %-24s", t + 1, mean);
        for (size_t q = 0; q < sizeof table_quantiles / sizeof *table_quantiles; q++)
            fprintf(out, " %12.6g", o->quantiles[table_quantiles[q]]);
        fprintf(out, " %8.2f%%\n", 100 * o->p_loss);
    }
    if (shown < T)
        fprintf(out, "  (%u of %u %ss shown: all of them are in the HDF5 file, /horizon)\n", shown, T,
                s->period);
    fprintf(out, "Pays back: ");
    print_payback(out, s->period, &h->payback, s->confidence);
    fputc('\n', out);
}

void print_lever_paybacks(FILE *out, const fmc_scenario *s, const fmc_lever_results *r,
                          double confidence)
{
    fprintf(out, "  when each lever pays for itself (its cumulative net gain turns and stays > 0):\n");
    for (size_t rank = 0; rank < r->count; rank++) {
        size_t l = r->rank[rank];
        fprintf(out, "  - %s: ", s->levers[l].name);
        print_payback(out, s->period, &r->payback[l], confidence);
        fputc('\n', out);
    }
}
