/* The bottom line: what an owner reads first.  A few plain sentences
 * (expected profit and its range, the best lever and how sure that is,
 * what drives the uncertainty, break-even points, the value of
 * information, payback), then a compact table of the outputs and of the
 * levers.  Every figure is rounded to what its error supports
 * (summary_round.c); `funnelmc run --detail` adds every table. */
#define _POSIX_C_SOURCE 200809L  /* fmemopen */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/replicates.h"
#include "funnelmc/stats.h"

/* Lines are at most this wide, so that a terminal or an e-mail keeps them. */
#define WIDTH 100
/* Drivers and break-even points named in the sentences. */
#define NAMED_DRIVERS 3

/* A sentence built piece by piece, then handed to the caller's SAY. */
typedef struct sentence {
    void (*say)(void *context, const char *sentence);
    void *context;
    char text[2048];
    size_t length;
} sentence;

static void add(sentence *s, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void add(sentence *s, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vsnprintf(s->text + s->length, sizeof s->text - s->length, format, args);
    va_end(args);
    if (n > 0)
        s->length = s->length + (size_t)n < sizeof s->text ? s->length + (size_t)n
                                                            : sizeof s->text - 1;
}

/* Hands S over and empties it. */
static void done(sentence *s)
{
    s->say(s->context, s->text);
    s->length = 0;
    s->text[0] = '\0';
}

/* Characters (not bytes: '±' is two) of TEXT[0 .. N). */
static size_t columns(const char *text, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)text[i] & 0xC0) != 0x80;
    return c;
}

/* Prints SENTENCE to the stream CONTEXT wrapped at spaces into lines of at
 * most WIDTH columns (a word longer than that on a line of its own). */
static void print_wrapped(void *context, const char *sentence)
{
    FILE *out = context;
    const char *p = sentence;
    while (*p) {
        size_t n = strlen(p), cut = n;
        if (columns(p, n) > WIDTH) {
            cut = 0;
            for (size_t i = 0; i < n && columns(p, i) <= WIDTH; i++)
                if (p[i] == ' ')
                    cut = i;
            if (cut == 0)
                cut = strcspn(p, " ");
        }
        fprintf(out, "%.*s\n", (int)cut, p);
        p += cut;
        while (*p == ' ')
            p++;
    }
}

double quantile_error(const fmc_output_summary *o, int k, double factor)
{
    return (o->quantile_ci[k][1] - o->quantile_ci[k][0]) / (2 * factor);
}

/* "a month", or "over the 12 months" when the figures are cumulative. */
static void period_phrase(const fmc_scenario *s, uint32_t periods, char *buffer, size_t size)
{
    if (periods)
        snprintf(buffer, size, "over the %u %ss", periods, s->period);
    else
        snprintf(buffer, size, "a %s", s->period);
}

static void say_profit(sentence *t, const fmc_scenario *s, const fmc_run_result *r, const char *per)
{
    const fmc_output_summary *p = &r->outputs[FMC_OUT_PROFIT];
    double z = fmc_interval_factor(&r->design, s->confidence);
    char mean[48], low[48], high[48], loss[48];
    format_rounded(mean, sizeof mean, p->mean, p->se);
    format_rounded(low, sizeof low, p->quantiles[1], quantile_error(p, 1, z));
    format_rounded(high, sizeof high, p->quantiles[7], quantile_error(p, 7, z));
    format_rounded(loss, sizeof loss, 100 * p->p_loss, 100 * p->p_loss_se);
    add(t, "Expected profit: %s %s", mean, per);
    if (r->horizon.periods && r->horizon.discount_rate != 0)
        add(t, " in today's money (discounted at %.4g%% a %s)", 100 * r->horizon.discount_rate,
            s->period);
    if (p->quantiles[7] > p->quantiles[1])
        add(t, ", between %s and %s in 90%% of outcomes (P5-P95)", low, high);
    add(t, "; the chance of a loss is %s%%.", loss);
    done(t);
}

/* The best lever by mean net gain, by how much, and how sure that is. */
static void say_levers(sentence *t, const fmc_scenario *s, const fmc_lever_results *r,
                       const char *per)
{
    size_t best = r->rank[0];
    const fmc_output_summary *b = &r->net[best];
    char net[48], diff[48], share[48];
    format_rounded(net, sizeof net, b->mean, b->se);
    /* a file of an earlier build keeps no se of the net gain: no doubt then */
    if (!(b->mean > (isnan(b->se) ? 0 : b->se))) {
        add(t, "No lever pays for its cost: the best, %s, changes profit by %s %s after its "
                "own cost.", s->levers[best].name, net, per);
        done(t);
        return;
    }
    add(t, "The lever that pays most is %s: %s%s %s after its own cost", s->levers[best].name,
        b->mean > 0 ? "+" : "", net, per);
    if (r->count < 2) {
        add(t, "; its net gain is above 0 in %s%% of outcomes.",
            format_rounded(share, sizeof share, 100 * r->p_improve[best],
                           100 * r->p_improve_se[best]));
        done(t);
        return;
    }
    size_t next = r->rank[1], n = r->count;
    const fmc_output_summary *c = &r->net[next];
    double error = sqrt(b->se * b->se + c->se * c->se);
    double wins = r->p_beats[best * n + next], loses = r->p_beats[next * n + best];
    format_rounded(diff, sizeof diff, b->mean - c->mean, error);
    if (b->mean - c->mean <= error) {
        if (error == 0)
            add(t, ", tied with %s: both gain exactly as much.", s->levers[next].name);
        else
            add(t, ", tied with %s: the difference, %s ± %.2g, is within the simulation's "
                    "error.", s->levers[next].name, diff, error);
        done(t);
        return;
    }
    if (isnan(wins))  /* a share that cannot be told */
        snprintf(share, sizeof share, "an unknown share");
    else {
        format_rounded(share, sizeof share - 1, 100 * wins, 100 * r->p_beats_se[best * n + next]);
        strcat(share, "%");
    }
    add(t, ", %s more than the next best, %s; it does better than %s in %s of outcomes.",
        diff, s->levers[next].name, s->levers[next].name, share);
    done(t);
    if (loses > wins) {
        /* a skewed gain: the mean counts the rare large outcomes */
        add(t, "Why it ranks first although %s wins more often: %s is usually a little worse, "
                "now and then much better, and the mean counts those large gains; if you care "
                "about the typical outcome more than the average, prefer %s.",
            s->levers[next].name, s->levers[best].name, s->levers[next].name);
        done(t);
    }
}

static void say_drivers(sentence *t, const fmc_scenario *s, const fmc_drivers_result *d,
                        const size_t *order, size_t n)
{
    add(t, "What drives the uncertainty most: %s (%.0f%% of the variance of profit)",
        s->inputs[order[0]].name, 100 * d->contribution[order[0]]);
    for (size_t k = 1; k < n && k < NAMED_DRIVERS; k++)
        add(t, "%s %s (%.0f%%)", k == 1 ? ", then" : ",", s->inputs[order[k]].name,
            100 * d->contribution[order[k]]);
    add(t, ".");
    done(t);
}

/* The break-even values of the main drivers (ORDER, N), or of the first
 * inputs that have one when profit does not vary; over a horizon, the
 * period when the mean cumulative profit reaches 0. */
static void say_break_even(sentence *t, const fmc_scenario *s, const fmc_break_even_result *b,
                           const size_t *order, size_t n, const char *per)
{
    size_t named = 0;
    for (size_t k = 0; k < (n ? n : s->input_count) && named < NAMED_DRIVERS; k++) {
        size_t j = n ? order[k] : k;
        if (b->kind[j] != FMC_BREAK_EVEN_FOUND)
            continue;
        char value[48];
        format_rounded(value, sizeof value, b->value[j], b->se[j]);
        if (!named++)
            add(t, "Mean profit %s breaks even with ", per);
        else
            add(t, ", ");
        add(t, "%s at %s (base %g)", s->inputs[j].name, value, s->inputs[j].base);
    }
    if (named)
        add(t, " (each input alone, the others as drawn)");
    if (b->periods && b->period_kind == FMC_BREAK_EVEN_FOUND) {
        char period[48];
        format_rounded(period, sizeof period, b->period, b->period_se);
        add(t, "%s mean cumulative profit reaches 0 after %s %ss", named ? "; the" : "The",
            period, s->period);
        named++;
    }
    if (!named)
        return;
    add(t, ".");
    done(t);
}

static void say_value_of_information(sentence *t, const fmc_scenario *s,
                                     const fmc_lever_results *r, const char *per)
{
    size_t first = voi_most_valuable(r, NULL);
    char value[48], all[48], name[600];
    format_rounded(all, sizeof all, r->voi.evpi, r->voi.evpi_se);
    if (first == SIZE_MAX) {
        add(t, "Knowing any one quantity better before choosing would not change the choice");
    } else {
        voi_candidate_name(s, r, first, name, sizeof name);
        format_rounded(value, sizeof value, voi_candidate(r, first, 0), voi_candidate(r, first, 1));
        add(t, "Knowing your true %s before choosing a lever is worth %s %s", name, value, per);
    }
    add(t, "; knowing everything, %s.", all);
    done(t);
}

/* "Pays back: median month 4 (...)." in print_payback's words, or
 * "unknown" when the median is (NaN). */
static void say_payback(sentence *t, const fmc_scenario *s, const fmc_payback_summary *payback)
{
    if (isnan(payback->median)) {
        add(t, "Pays back: unknown.");
        done(t);
        return;
    }
    char text[512] = "";
    FILE *words = fmemopen(text, sizeof text - 1, "w");
    if (!words)
        return;
    print_payback(words, s->period, payback, s->confidence);
    fclose(words);
    add(t, "Pays back: %s.", text);
    done(t);
}

/* One row of the outputs' table. */
static void output_row(FILE *out, const char *label, const fmc_output_summary *o, double z,
                       int loss)
{
    char mean[64], q[3][48], p[48];
    if (o->count == 0 || !isfinite(o->mean) || !isfinite(o->sd)) {
        fprintf(out, "  %-8s %s\n", label, o->count ? "not finite (see --detail)"
                                                    : "undefined: the cost is 0 in every sample");
        return;
    }
    format_estimate(mean, sizeof mean, o->mean, o->se);
    static const int shown[] = {1, 4, 7};  /* P5, P50, P95 */
    for (int i = 0; i < 3; i++)
        format_rounded(q[i], sizeof q[i], o->quantiles[shown[i]],
                       quantile_error(o, shown[i], z));
    fprintf(out, "  %-8s %22s %11s %11s %11s", label, mean, q[0], q[1], q[2]);
    if (loss)
        fprintf(out, " %8s%%", format_rounded(p, sizeof p, 100 * o->p_loss, 100 * o->p_loss_se));
    fputc('\n', out);
}

static void print_outputs_table(FILE *out, const fmc_scenario *s, const fmc_run_result *r)
{
    double z = fmc_interval_factor(&r->design, s->confidence);
    fprintf(out, "\n  %-8s %22s %11s %11s %11s %9s\n", "", "mean ± se", "P5", "P50", "P95",
            "P(loss)");
    output_row(out, "profit", &r->outputs[FMC_OUT_PROFIT], z, 1);
    output_row(out, "ROI", &r->outputs[FMC_OUT_ROI], z, 0);
    output_row(out, "sales", &r->outputs[FMC_OUT_SALES], z, 0);
}

/* The levers by rank, then the pairs (when evaluated) by net gain. */
static void print_levers_table(FILE *out, const fmc_scenario *s, const fmc_lever_results *r)
{
    size_t n = r->count;
    int width = 32;  /* the name column: the longest name of a lever or a pair */
    for (size_t l = 0; l < n; l++)
        if ((int)strlen(s->levers[l].name) + 3 > width)
            width = (int)strlen(s->levers[l].name) + 3;
    for (size_t q = 0; q < r->pairs; q++) {
        int pair = (int)(strlen(s->levers[r->pair_first[q]].name) +
                         strlen(s->levers[r->pair_second[q]].name)) + 5;
        if (pair > width)
            width = pair;
    }
    fprintf(out, "\n  %-*s %22s %10s %14s\n", width, "lever (net: after its own cost)",
            "net gain ± se", "P(net>0)", "beats next");
    for (size_t rank = 0; rank < n; rank++) {
        size_t l = r->rank[rank];
        char name[80], net[64], p[48], beats[64] = "";
        snprintf(name, sizeof name, "%zu %s", rank + 1, s->levers[l].name);
        format_estimate(net, sizeof net, r->net[l].mean, r->net[l].se);
        format_rounded(p, sizeof p, 100 * r->p_improve[l], 100 * r->p_improve_se[l]);
        if (rank + 1 < n) {
            size_t k = l * n + r->rank[rank + 1];
            if (r->p_tie[k] >= 0.5)  /* equal net gains in most outcomes */
                snprintf(beats, sizeof beats, "tie");
            else if (isnan(r->p_beats[k]))
                snprintf(beats, sizeof beats, "unknown");
            else
                snprintf(beats, sizeof beats, "%s%%",
                         format_rounded(p, sizeof p, 100 * r->p_beats[k], 100 * r->p_beats_se[k]));
            format_rounded(p, sizeof p, 100 * r->p_improve[l], 100 * r->p_improve_se[l]);
        }
        fprintf(out, "  %-*s %22s %9s%%", width, name, net, p);
        fprintf(out, beats[0] ? " %14s\n" : "\n", beats);
    }
    if (r->pairs)
        fprintf(out, "  pairs applied together (net: after both levers' costs):\n");
    for (size_t q = 0; q < r->pairs; q++) {
        char name[160], net[64];
        snprintf(name, sizeof name, "  %s + %s", s->levers[r->pair_first[q]].name,
                 s->levers[r->pair_second[q]].name);
        format_estimate(net, sizeof net, r->pair_net[q].mean, r->pair_net[q].se);
        fprintf(out, "  %-*s %22s\n", width, name, net);
    }
}

void bottom_line_sentences(const fmc_scenario *s, const fmc_analysis *a,
                           void (*say)(void *context, const char *sentence), void *context)
{
    const fmc_run_result *r = &a->result;
    const fmc_lever_results *levers = &r->levers;
    sentence words = {.say = say, .context = context}, *t = &words;
    char per[64];
    period_phrase(s, r->horizon.periods, per, sizeof per);
    say_profit(t, s, r, per);
    int has_levers = a->has_levers && levers->count > 0;
    if (has_levers)
        say_levers(t, s, levers, per);
    size_t order[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES], n = 0;
    if (!a->summary_only && !isnan(r->drivers.r_squared)) {
        double share[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES];
        for (size_t j = 0; j < s->input_count; j++)
            share[j] = s->inputs[j].dist.kind == FMC_DIST_CONSTANT ? NAN : r->drivers.contribution[j];
        n = by_importance(share, s->input_count, order);
    }
    if (n)
        say_drivers(t, s, &r->drivers, order, n);
    if (r->break_even.inputs > 0)
        say_break_even(t, s, &r->break_even, order, n, per);
    if (has_levers && !isnan(levers->voi.evpi))
        say_value_of_information(t, s, levers, per);
    if (r->horizon.periods)
        say_payback(t, s, &r->horizon.payback);
}

void print_bottom_line(FILE *out, const fmc_scenario *s, const fmc_analysis *a)
{
    fputc('\n', out);
    bottom_line_sentences(s, a, print_wrapped, out);
    print_outputs_table(out, s, &a->result);
    if (a->has_levers && a->result.levers.count > 0)
        print_levers_table(out, s, &a->result.levers);
}
