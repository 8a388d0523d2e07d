/* The report's sections of grids (report.h): the sweeps of a scenario, the
 * scenarios of a batch side by side, and a benchmark's scaling.
 *
 * A sweep is drawn by its number of axes.  One axis: lines of mean profit
 * along it with the interval of the mean (mean -+ t se, t the factor every
 * interval of the sweep's design takes: replicates.h) and the P5-P95 band,
 * the chance of a loss, and with levers the best lever's net gain and a
 * one-row decision strip.  Two axes: heat maps of mean profit (diverging,
 * centred at 0), of P(loss) (0 to 1), of the best lever's net gain, and the
 * decision map (the best lever per point, its colour washed out by how
 * unsure it is).  Three or four axes: the same maps over the last two axes,
 * one small map per value of the leading ones (a slice), at most
 * MOST_SLICES of them, evenly spaced.
 *
 * How sure a point's best lever is: P(its net profit beats the runner-up's)
 * p, shown as saturation (p - 1/2) / (1/2), from 0 (a coin toss: grey) to 1
 * (certain: full colour); a tie (equal net profit in every sample) is grey.
 * With one lever there is nothing to beat: full colour. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/chart.h"
#include "funnelmc/design.h"
#include "funnelmc/replicates.h"
#include "report.h"

/* Maps of more cells than this carry no number in their cells: they would
 * not fit, and a large grid's page stays quick to make and small. */
#define MOST_CELL_TEXTS 80
/* Slices of a grid of 3 or 4 axes drawn; beyond, evenly spaced ones. */
#define MOST_SLICES 12
/* The colours of categories (chart.h: Okabe and Ito's eight). */
#define CATEGORY_COLOURS 8
/* Bytes of one formatted figure (format_estimate's longest). */
#define FIGURE 48

/* The scratch of a section: NULL marks the page failed (its charts and
 * text are then incomplete, and it is not written). */
static void *scratch(report_page *page, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        page->failed = 1;
    return p;
}

/* ----- sweeps ----- */

typedef struct grid {
    const fmc_scenario *s;
    const fmc_sweep *sweep;
    const fmc_sweep_result *r;
    double factor;    /* standard error to interval half-width */
    char unit[96];    /* what profit is per: "per month", "over 12 months" */
    char stem[80];    /* chart names: "sweep-NAME" */
} grid;

/* VALUE of an axis of operation OP as a tick label: "×0.5", "+0.05", or
 * "250" (set); a range's rounding noise around zero (-6.9e-18 for 0)
 * reads as 0 against the axis's LARGEST magnitude. */
static void tick_text(char *text, size_t size, fmc_change_op op, double value, double largest)
{
    static const char *const formats[] = {"×%.3g", "%+.3g", "%.4g"};
    snprintf(text, size, formats[op], fabs(value) < 1e-12 * largest ? 0 : value);
}

static double axis_largest(const fmc_axis *axis)
{
    double largest = 0;
    for (size_t k = 0; k < axis->value_count; k++)
        largest = fmax(largest, fabs(axis->values[k]));
    return largest;
}

/* Value I of AXIS as a tick label. */
static void axis_tick(char *text, size_t size, const fmc_axis *axis, size_t i)
{
    tick_text(text, size, axis->op, axis->values[i], axis_largest(axis));
}

/* What AXIS's values are: "followers: scale factor". */
static void axis_label(char *text, size_t size, const grid *g, const fmc_axis *axis)
{
    static const char *const meanings[] = {"scale factor", "amount added", "value"};
    if (axis->input == FMC_AXIS_PERIODS)
        snprintf(text, size, "horizon (%ss)", g->s->period);
    else
        snprintf(text, size, "%s: %s", fmc_axis_name(g->s, axis), meanings[axis->op]);
}

/* The axes' values at POINT from axis FIRST to axis END - 1, in words:
 * "followers ×2, hours ×0.5". */
static void point_text(char *text, size_t size, const grid *g, size_t point, size_t first,
                       size_t end)
{
    size_t index[FMC_MAX_SWEEP_AXES], used = 0;
    char tick[32];
    fmc_sweep_point_indices(g->sweep, point, index);
    text[0] = '\0';
    for (size_t a = first; a < end && used < size; a++) {
        axis_tick(tick, sizeof tick, &g->sweep->axes[a], index[a]);
        int n = snprintf(text + used, size - used, "%s%s %s", a > first ? ", " : "",
                         fmc_axis_name(g->s, &g->sweep->axes[a]), tick);
        used += n > 0 ? (size_t)n : 0;
    }
}

/* What the sweep's profit figures are per, in the terminal's words. */
static void profit_unit(grid *g)
{
    sweep_profit_unit(g->unit, sizeof g->unit, g->s, g->sweep);
    if (g->s->horizon && g->s->horizon->discount_rate != 0)
        strncat(g->unit, ", discounted", sizeof g->unit - strlen(g->unit) - 1);
}

/* How sure the best lever at P is, from 0 (grey) to 1 (full colour). */
static double sureness(const fmc_sweep_result *r, size_t p)
{
    if (sweep_is_tie(r, p))
        return 0;
    double beats = r->p_beats_runner_up[p];
    if (isnan(beats))
        return 1;
    return fmin(1, fmax(0, 2 * beats - 1));
}

/* The sweep in a few sentences: the axes, where profit is lowest and
 * highest, the range of P(loss), and how often each lever is best. */
static void sweep_answer(report_page *page, const grid *g)
{
    const fmc_sweep_result *r = g->r;
    char text[1024], low[FIGURE], high[FIGURE], label[160];
    page_printf(page, "<p>%zu points of %llu samples each (", r->points,
                (unsigned long long)r->samples);
    page_text(page, fmc_design_name(r->design.method));
    if (r->design.replicates > 1)
        page_printf(page, ", %u replicates", (unsigned)r->design.replicates);
    page_printf(page, "), every point on the same random draws, so neighbouring points "
                      "differ by the change alone. Axes: ");
    for (size_t a = 0; a < g->sweep->axis_count; a++) {
        const fmc_axis *axis = &g->sweep->axes[a];
        axis_label(label, sizeof label, g, axis);
        axis_tick(low, sizeof low, axis, 0);
        axis_tick(high, sizeof high, axis, axis->value_count - 1);
        snprintf(text, sizeof text, "%s%s, %zu values from %s to %s%s", a ? "; " : "", label,
                 axis->value_count, low, high, axis->log_spacing ? " (equal ratios)" : "");
        page_text(page, text);
    }
    page_printf(page, ".</p>\n<p>");
    sweep_extremes x = sweep_extremes_of(r);
    char where_low[256], where_high[256], least[FIGURE], most[FIGURE];
    point_text(where_low, sizeof where_low, g, x.lowest, 0, g->sweep->axis_count);
    point_text(where_high, sizeof where_high, g, x.highest, 0, g->sweep->axis_count);
    snprintf(text, sizeof text, "Mean profit (%s) runs from %s at %s to %s at %s; ", g->unit,
             format_rounded(low, sizeof low, r->mean[x.lowest], r->se[x.lowest]), where_low,
             format_rounded(high, sizeof high, r->mean[x.highest], r->se[x.highest]), where_high);
    page_text(page, text);
    point_text(where_low, sizeof where_low, g, x.least_loss, 0, g->sweep->axis_count);
    point_text(where_high, sizeof where_high, g, x.most_loss, 0, g->sweep->axis_count);
    snprintf(text, sizeof text, "the chance of a loss from %s%% at %s to %s%% at %s.",
             format_estimate(least, sizeof least, 100 * r->p_loss[x.least_loss],
                             100 * r->p_loss_se[x.least_loss]), where_low,
             format_estimate(most, sizeof most, 100 * r->p_loss[x.most_loss],
                             100 * r->p_loss_se[x.most_loss]), where_high);
    page_text(page, text);
    if (g->s->lever_count == 0) {
        page_printf(page, "</p>\n");
        return;
    }
    size_t ties = 0, losing = 0;
    for (size_t p = 0; p < r->points; p++) {
        ties += (size_t)sweep_is_tie(r, p);
        losing += r->best_gain[p] < 0;
    }
    for (size_t l = 0; l < g->s->lever_count; l++) {
        size_t best = 0, sure = 0;
        for (size_t p = 0; p < r->points; p++)
            if (r->best_lever[p] == (int)l && !sweep_is_tie(r, p)) {
                best++;
                sure += r->p_beats_runner_up[p] >= g->s->confidence;
            }
        if (best == 0)
            continue;
        snprintf(text, sizeof text, " %s pays most at %zu of the %zu points", g->s->levers[l].name,
                 best, r->points);
        page_text(page, text);
        /* with one lever there is no next one to beat */
        if (g->s->lever_count > 1)
            page_printf(page, " (%zu of them with P(beats the next) of at least %.0f%%)", sure,
                        100 * g->s->confidence);
        page_printf(page, ".");
    }
    if (ties)
        page_printf(page, " At %zu point%s the best two levers tie (equal net profit in every "
                          "sample).", ties, ties == 1 ? "" : "s");
    if (losing)
        page_printf(page, " At %zu point%s even the best lever loses money after its cost: "
                          "no lever pays there.", losing, losing == 1 ? "" : "s");
    page_printf(page, "</p>\n");
}

/* ----- one axis: lines ----- */

/* Series NAME over axis 0 of G: SCALE Y with its interval, SCALE (Y -+
 * factor SE), all three into WORK[3 points]. */
static fmc_chart_series along(const grid *g, const char *name, const double *y, const double *se,
                              double scale, double *work)
{
    size_t n = g->r->points;
    for (size_t p = 0; p < n; p++) {
        work[p] = scale * y[p];
        work[n + p] = scale * (y[p] - g->factor * se[p]);
        work[2 * n + p] = scale * (y[p] + g->factor * se[p]);
    }
    return (fmc_chart_series){.name = name, .count = n, .x = g->sweep->axes[0].values,
                              .y = work, .inner_low = work + n, .inner_high = work + 2 * n,
                              .points = 1};
}

static void sweep_lines(report_page *page, const grid *g)
{
    const fmc_sweep_result *r = g->r;
    double *work = scratch(page, 9 * r->points, sizeof *work);
    if (!work)
        return;
    char x_label[160], y_label[160], title[160], desc[512], name[112];
    axis_label(x_label, sizeof x_label, g, &g->sweep->axes[0]);
    const char *axis_name = fmc_axis_name(g->s, &g->sweep->axes[0]);
    int log_x = g->sweep->axes[0].log_spacing, percent = (int)(100 * g->s->confidence + 0.5);

    fmc_chart_series profit = along(g, "mean profit", r->mean, r->se, 1, work);
    profit.outer_low = r->p05;
    profit.outer_high = r->p95;
    snprintf(title, sizeof title, "Profit along %s", axis_name);
    snprintf(y_label, sizeof y_label, "profit (%s)", g->unit);
    snprintf(desc, sizeof desc, "Mean profit at each value of %s: the dark band is its %d%% "
             "interval, the light band where nine outcomes in ten fall (P5 to P95). Below the "
             "zero line the business loses money.", axis_name, percent);
    fmc_line_chart lines = {{title, desc, x_label, y_label}, {0, 0}, 1, &profit, 0, log_x};
    snprintf(name, sizeof name, "%s-profit", g->stem);
    page_chart(page, name, fmc_chart_lines(&lines));

    fmc_chart_series loss = along(g, "P(loss)", r->p_loss, r->p_loss_se, 100,
                                  work + 3 * r->points);
    snprintf(title, sizeof title, "Chance of a loss along %s", axis_name);
    snprintf(desc, sizeof desc, "The share of outcomes with a loss at each value of %s, with its "
             "%d%% interval.", axis_name, percent);
    lines = (fmc_line_chart){{title, desc, x_label, "chance of a loss (%)"}, {0, 0}, 1, &loss,
                             NAN, log_x};
    snprintf(name, sizeof name, "%s-loss", g->stem);
    page_chart(page, name, fmc_chart_lines(&lines));

    if (g->s->lever_count) {
        fmc_chart_series gain = along(g, "best lever's net gain", r->best_gain, r->best_gain_se,
                                      1, work + 6 * r->points);
        snprintf(title, sizeof title, "What the best lever adds along %s", axis_name);
        snprintf(y_label, sizeof y_label, "net gain (%s)", g->unit);
        snprintf(desc, sizeof desc, "The mean net gain, after its cost, of the lever that pays "
                 "most at each value of %s, with its %d%% interval: below zero, no lever pays "
                 "there. The strip below names the lever.", axis_name, percent);
        lines = (fmc_line_chart){{title, desc, x_label, y_label}, {0, 0}, 1, &gain, 0, log_x};
        snprintf(name, sizeof name, "%s-gain", g->stem);
        page_chart(page, name, fmc_chart_lines(&lines));
    }
    free(work);
}

/* ----- two axes and more: maps ----- */

typedef enum { MAP_PROFIT, MAP_LOSS, MAP_GAIN, MAP_DECISION } map_kind;

/* A map's words; its description is its caption too (report_page.c). */
typedef struct map_words {
    const char *suffix, *title, *value, *desc;
} map_words;

static const map_words map_words_of[] = {
    [MAP_PROFIT] = {"mean", "Mean profit", "mean profit",
                    "Where the business makes money: the colour shows the mean profit at each "
                    "point, its sign at a glance (the colour scale is centred at zero)."},
    [MAP_LOSS] = {"loss", "Chance of a loss", "P(loss)",
                  "How often the business loses money at each point: the share of outcomes "
                  "below zero profit, from 0 (never) to 1 (always)."},
    [MAP_GAIN] = {"gain", "Net gain of the best lever", "net gain",
                  "What the lever that pays most adds after its cost at each point, on a "
                  "colour scale centred at zero: below zero, no lever pays there."},
    [MAP_DECISION] = {"decision", "Where each lever pays most", NULL,
                      "The colour names the lever with the largest mean net gain at each "
                      "point, its strength how sure that lever is to beat the next one (grey: "
                      "a coin toss, or a tie); the numbers, where they fit, are P(best beats "
                      "the next)."},
};

/* The tick labels of a map's rows or columns: AXIS's values. */
typedef struct ticks {
    const char **labels;
    char *text;
} ticks;

static int ticks_make(report_page *page, ticks *t, const fmc_axis *axis)
{
    t->labels = scratch(page, axis->value_count, sizeof *t->labels);
    t->text = scratch(page, axis->value_count, 32);
    if (!t->labels || !t->text)
        return 0;
    double largest = axis_largest(axis);
    for (size_t i = 0; i < axis->value_count; i++) {
        tick_text(t->text + 32 * i, 32, axis->op, axis->values[i], largest);
        t->labels[i] = t->text + 32 * i;
    }
    return 1;
}

static void ticks_clear(ticks *t)
{
    free(t->labels);
    free(t->text);
}

/* A grid's maps share their axes: the last two of the sweep (rows, then
 * columns), or for one axis a single row over it. */
typedef struct map_axes {
    const fmc_axis *rows, *columns;  /* rows NULL: one row */
    ticks row_ticks, column_ticks;
    char row_label[160], column_label[160];
    size_t cells;  /* of one slice */
} map_axes;

static int map_axes_make(report_page *page, const grid *g, map_axes *m)
{
    size_t k = g->sweep->axis_count;
    memset(m, 0, sizeof *m);
    m->columns = &g->sweep->axes[k - 1];
    m->rows = k > 1 ? &g->sweep->axes[k - 2] : NULL;
    axis_label(m->column_label, sizeof m->column_label, g, m->columns);
    m->cells = m->columns->value_count;
    if (!ticks_make(page, &m->column_ticks, m->columns))
        return 0;
    if (m->rows) {
        axis_label(m->row_label, sizeof m->row_label, g, m->rows);
        m->cells *= m->rows->value_count;
        return ticks_make(page, &m->row_ticks, m->rows);
    }
    return 1;
}

static void map_axes_clear(map_axes *m)
{
    ticks_clear(&m->row_ticks);
    ticks_clear(&m->column_ticks);
}

/* The number written in cell P of a map of KIND, into TEXT. */
static void cell_text(char *text, size_t size, const grid *g, map_kind kind, size_t p)
{
    const fmc_sweep_result *r = g->r;
    if (kind == MAP_PROFIT)
        format_rounded(text, size, r->mean[p], r->se[p]);
    else if (kind == MAP_GAIN)
        format_rounded(text, size, r->best_gain[p], r->best_gain_se[p]);
    else if (kind == MAP_LOSS)
        snprintf(text, size, "%.2g", r->p_loss[p]);
    else if (sweep_is_tie(r, p))
        snprintf(text, size, "tie");
    else if (isnan(r->p_beats_runner_up[p]))
        text[0] = '\0';
    else
        snprintf(text, size, "%.2f", r->p_beats_runner_up[p]);
}

/* The caption of a map of KIND, with NUMBERS (its cells carry them) the
 * largest standard error of a P(loss) or a P(beats the next) written. */
static void map_desc(char *text, size_t size, const grid *g, map_kind kind, int numbers)
{
    const fmc_sweep_result *r = g->r;
    double largest = 0;
    for (size_t p = 0; p < r->points; p++) {
        double se = kind == MAP_LOSS ? r->p_loss_se[p]
                    : kind == MAP_DECISION && !sweep_is_tie(r, p) ? r->p_beats_runner_up_se[p]
                                                                  : 0;
        largest = se > largest ? se : largest;
    }
    int used = snprintf(text, size, "%s", map_words_of[kind].desc);
    if (numbers && (kind == MAP_LOSS || kind == MAP_DECISION) && used >= 0 && (size_t)used < size)
        used += snprintf(text + used, size - (size_t)used,
                         " Each number's standard error is at most %.2g.", largest);
    if (kind == MAP_DECISION && g->s->lever_count > CATEGORY_COLOURS && used >= 0 &&
        (size_t)used < size)
        snprintf(text + used, size - (size_t)used, " With %zu levers and %d colours, colours "
                 "repeat: levers %d apart in the legend share one.", g->s->lever_count,
                 CATEGORY_COLOURS, CATEGORY_COLOURS);
}

/* The map of KIND over slice SLICE of G (the points SLICE x cells on),
 * titled after the slice when there are several. */
static void sweep_map(report_page *page, const grid *g, const map_axes *m, map_kind kind,
                      size_t slice, int sliced)
{
    const fmc_sweep_result *r = g->r;
    const map_words *w = &map_words_of[kind];
    size_t first = slice * m->cells;
    char title[400], value_label[160], name[112], where[256] = "", desc[512];
    if (sliced)
        point_text(where, sizeof where, g, first, 0, g->sweep->axis_count - 2);
    snprintf(title, sizeof title, "%s%s%s", w->title, sliced ? " at " : "", where);
    if (w->value)
        snprintf(value_label, sizeof value_label, "%s (%s)", w->value,
                 kind == MAP_LOSS ? "0 to 1" : g->unit);
    fmc_heatmap_chart map = {
        .text = {title, desc, m->column_label, m->rows ? m->row_label : NULL},
        .rows = m->rows ? m->rows->value_count : 1,
        .columns = m->columns->value_count,
        .row_labels = m->rows ? m->row_ticks.labels : NULL,
        .column_labels = m->column_ticks.labels,
        .value_label = w->value ? value_label : NULL,
        .min = NAN, .max = NAN};
    map_desc(desc, sizeof desc, g, kind, m->cells <= MOST_CELL_TEXTS);
    if (!m->rows) {
        static const char *const strip[] = {"best"};
        map.row_labels = strip;
        map.size.height = 260;
    }
    double *strength = NULL;
    if (kind == MAP_PROFIT || kind == MAP_GAIN) {
        const double *values = kind == MAP_PROFIT ? r->mean : r->best_gain;
        map.values = values + first;
        map.diverging = 1;
        /* the slices share one scale, so that their colours compare */
        for (size_t p = 0; p < r->points; p++) {
            map.min = fmin(map.min, values[p]);
            map.max = fmax(map.max, values[p]);
        }
    } else if (kind == MAP_LOSS) {
        map.values = r->p_loss + first;
        map.min = 0;
        map.max = 1;
    } else {
        strength = scratch(page, m->cells, sizeof *strength);
        if (!strength)
            return;
        for (size_t i = 0; i < m->cells; i++)
            strength[i] = sureness(r, first + i);
        map.category = r->best_lever + first;
        map.category_count = g->s->lever_count;
        map.strength = strength;
        map.strength_label = "how sure (0: a coin toss, 1: certain)";
    }
    /* category names: the levers' */
    const char **names = NULL;
    if (kind == MAP_DECISION) {
        names = scratch(page, g->s->lever_count, sizeof *names);
        for (size_t l = 0; names && l < g->s->lever_count; l++)
            names[l] = g->s->levers[l].name;
        map.category_names = names;
    }
    const char **texts = NULL;
    char *text = NULL;
    if (m->cells <= MOST_CELL_TEXTS) {
        texts = scratch(page, m->cells, sizeof *texts);
        text = scratch(page, m->cells, FIGURE);
        for (size_t i = 0; texts && text && i < m->cells; i++) {
            cell_text(text + FIGURE * i, FIGURE, g, kind, first + i);
            texts[i] = text + FIGURE * i;
        }
        map.cell_text = texts;
    }
    if (sliced)
        snprintf(name, sizeof name, "%s-%s-%zu", g->stem, w->suffix, slice + 1);
    else
        snprintf(name, sizeof name, "%s-%s", g->stem, w->suffix);
    if (!page->failed)
        page_chart(page, name, fmc_chart_heatmap(&map));
    free(texts);
    free(text);
    free(names);
    free(strength);
}

/* Every map of KIND: one, or one per slice in a grid of small maps. */
static void sweep_maps(report_page *page, const grid *g, const map_axes *m, map_kind kind)
{
    size_t slices = g->r->points / m->cells;
    if (slices == 1) {
        sweep_map(page, g, m, kind, 0, 0);
        return;
    }
    size_t shown = slices < MOST_SLICES ? slices : MOST_SLICES;
    page_printf(page, "<h3>");
    page_text(page, map_words_of[kind].title);
    page_printf(page, ", slice by slice</h3>\n");
    if (shown < slices)
        page_printf(page, "<p>%zu of the %zu slices, evenly spaced; the results file has every "
                          "point.</p>\n", shown, slices);
    page_printf(page, "<div class=\"panels\" style=\"display:grid;grid-template-columns:"
                      "repeat(auto-fill,minmax(26rem,1fr));gap:0.5rem 1rem\">\n");
    for (size_t k = 0; k < shown; k++) {
        /* the first and the last slice always, the others spread between */
        size_t slice = shown == 1 ? 0 : (k * (slices - 1) + (shown - 1) / 2) / (shown - 1);
        page_printf(page, "<div>\n");
        sweep_map(page, g, m, kind, slice, 1);
        page_printf(page, "</div>\n");
    }
    page_printf(page, "</div>\n");
}

static void report_sweep(report_page *page, const fmc_scenario *s, const fmc_sweep *sweep,
                         const fmc_sweep_result *r)
{
    grid g = {s, sweep, r, fmc_interval_factor(&r->design, s->confidence), "", ""};
    profit_unit(&g);
    snprintf(g.stem, sizeof g.stem, "sweep-%s", sweep->name);
    char title[160];
    snprintf(title, sizeof title, "Sweep %s", sweep->name);
    page_section(page, g.stem, title);
    sweep_answer(page, &g);
    if (sweep->axis_count == 1)
        sweep_lines(page, &g);
    map_axes m;
    if (map_axes_make(page, &g, &m)) {
        if (sweep->axis_count > 1) {
            sweep_maps(page, &g, &m, MAP_PROFIT);
            sweep_maps(page, &g, &m, MAP_LOSS);
            if (s->lever_count)
                sweep_maps(page, &g, &m, MAP_GAIN);
        }
        if (s->lever_count)
            sweep_maps(page, &g, &m, MAP_DECISION);
    }
    map_axes_clear(&m);
}

void report_sweeps(report_page *page, const fmc_results_view *view)
{
    for (size_t k = 0; k < view->sweep_count; k++)
        report_sweep(page, view->scenario, view->sweeps[k], &view->sweep_results[k]);
}

/* ----- batch ----- */

/* The interval factor of PART's figures (its design's, at its
 * confidence). */
static double part_factor(const fmc_results_view *part)
{
    return fmc_interval_factor(&part->analysis->result.design, part->scenario->confidence);
}

/* The batch in plain words: the scenario of the highest expected profit,
 * its lead over the next one per the same period (none: no lead) and
 * whether that lead is beyond the interval of the difference (the
 * scenarios' runs are independent, so its standard error is the root of the
 * sum of their squares, its factor the larger of the two runs'), and the
 * scenario least likely to lose money.  SAME_UNIT: every figure is per the
 * same period; else the page says that the profits mix units. */
static void batch_answer(report_page *page, const fmc_results_view *view, int same_unit)
{
    const fmc_batch_row *rows = view->rows;
    size_t n = view->part_count, best = 0, next = SIZE_MAX, safest = 0;
    if (n == 0)
        return;
    for (size_t i = 1; i < n; i++) {
        best = rows[i].mean > rows[best].mean ? i : best;
        safest = rows[i].p_loss < rows[safest].p_loss ? i : safest;
    }
    char unit[64], other[64];
    batch_row_unit(unit, sizeof unit, &rows[best]);
    for (size_t i = 0; i < n; i++) {
        batch_row_unit(other, sizeof other, &rows[i]);
        if (i != best && strcmp(other, unit) == 0 &&
            (next == SIZE_MAX || rows[i].mean > rows[next].mean))
            next = i;
    }
    page_section(page, "answer", "The answer");
    page_printf(page, "<div class=\"answer\">\n<p><span data-key=\"best_scenario\">");
    page_text(page, rows[best].name);
    page_printf(page, "</span> has the highest expected profit, ");
    keyed_estimate(page, "best_scenario_mean", rows[best].mean, rows[best].se);
    page_printf(page, " ");
    page_text(page, unit);
    if (next != SIZE_MAX) {
        double lead = rows[best].mean - rows[next].mean;
        double lead_se = hypot(rows[best].se, rows[next].se);
        double t = fmax(part_factor(&view->parts[best]), part_factor(&view->parts[next]));
        page_printf(page, ": ");
        keyed_estimate(page, "best_scenario_lead", lead, lead_se);
        page_printf(page, " more than the next per the same period, "
                          "<span data-key=\"next_scenario\">");
        page_text(page, rows[next].name);
        page_printf(page, "</span>");
        if (isfinite(lead_se))
            page_printf(page, lead > t * lead_se
                                  ? ", a difference beyond its %g%% interval"
                                  : ", a difference within its %g%% interval: the two may "
                                    "be as good as each other",
                        100 * view->parts[best].scenario->confidence);
    }
    page_printf(page, ".</p>\n");
    if (!same_unit)
        page_printf(page, "<p>The scenarios' profits are not all per the same period (the "
                          "table's column \"per\"): compare like with like.</p>\n");
    page_printf(page, "<p><span data-key=\"safest_scenario\">");
    page_text(page, rows[safest].name);
    page_printf(page, "</span> has the lowest chance of a loss, ");
    keyed_estimate(page, "safest_p_loss", 100 * rows[safest].p_loss, 100 * rows[safest].p_loss_se);
    page_printf(page, "%%.</p>\n</div>\n");
}

static void batch_table(report_page *page, const fmc_results_view *view)
{
    char mean[FIGURE], loss[FIGURE], unit[64];
    page_printf(page, "<div class=\"table-wrap\"><table>\n<thead><tr><th>scenario</th>"
                      "<th>mean profit</th><th>per</th><th>sd</th><th>P(loss)</th>"
                      "<th>best lever</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < view->part_count; i++) {
        const fmc_batch_row *row = &view->rows[i];
        batch_row_unit(unit, sizeof unit, row);
        page_printf(page, "<tr><td><a href=\"#part-");
        page_text(page, row->name);
        page_printf(page, "\">");
        page_text(page, row->name);
        page_printf(page, "</a></td><td>%s</td><td>",
                    format_estimate(mean, sizeof mean, row->mean, row->se));
        page_text(page, unit);
        /* percent of a share and of its error, rounded together */
        page_printf(page, "</td><td>%.6g</td><td>%s%%</td><td>", row->sd,
                    format_estimate(loss, sizeof loss, 100 * row->p_loss, 100 * row->p_loss_se));
        page_text(page, row->best_lever[0] ? row->best_lever : "(no levers)");
        page_printf(page, "</td></tr>\n");
    }
    page_printf(page, "</tbody></table></div>\n");
}

/* A bar per scenario of VALUE (scaled by SCALE) with its interval. */
typedef struct batch_bars {
    const char *name, *title, *desc, *x_label, *series, *unit_sign;
    double scale, reference;
    int loss;  /* P(loss), else mean profit */
} batch_bars;

static void batch_bar_chart(report_page *page, const fmc_results_view *view,
                            const batch_bars *what)
{
    size_t n = view->part_count;
    fmc_chart_bar *bars = scratch(page, n, sizeof *bars);
    const char **names = scratch(page, n, sizeof *names);
    char *notes = scratch(page, n, FIGURE);
    if (bars && names && notes) {
        for (size_t i = 0; i < n; i++) {
            const fmc_batch_row *row = &view->rows[i];
            double value = what->scale * (what->loss ? row->p_loss : row->mean);
            double se = what->scale * (what->loss ? row->p_loss_se : row->se);
            double t = part_factor(&view->parts[i]);
            format_estimate(notes + FIGURE * i, FIGURE - 2, value, se);
            strcat(notes + FIGURE * i, what->unit_sign);
            names[i] = row->name;
            bars[i] = (fmc_chart_bar){i, 0, 0, value, value - t * se, value + t * se,
                                      notes + FIGURE * i};
        }
        fmc_bar_chart chart_of = {{what->title, what->desc, what->x_label, "scenario"},
                                  {0, 0}, n, names, 1, &what->series, n, bars, 0, what->reference,
                                  what->reference == 0 && !what->loss ? "break-even" : NULL};
        page_chart(page, what->name, fmc_chart_bars(&chart_of));
    }
    free(bars);
    free(names);
    free(notes);
}

/* A compact histogram of part PART's profit. */
static void batch_histogram(report_page *page, const fmc_results_view *part,
                            const fmc_batch_row *row)
{
    const fmc_output_summary *profit = &part->analysis->result.outputs[FMC_OUT_PROFIT];
    if (profit->count == 0)
        return;
    double heights[FMC_HIST_BINS];
    for (size_t b = 0; b < FMC_HIST_BINS; b++)
        heights[b] = 100.0 * (double)profit->hist_counts[b] / (double)profit->count;
    char unit[64], x_label[96], loss[FIGURE], shade[FIGURE + 16], desc[400], name[160];
    batch_row_unit(unit, sizeof unit, row);
    snprintf(x_label, sizeof x_label, "profit (%s)", unit);
    snprintf(shade, sizeof shade, "loss: %s%%",
             format_estimate(loss, sizeof loss, 100 * profit->p_loss, 100 * profit->p_loss_se));
    snprintf(desc, sizeof desc, "How the profit of %s is spread over its outcomes, the losses "
             "shaded (their share of the outcomes, \xc2\xb1 its standard error, is marked), "
             "its mean marked with its interval.", row->name);
    double t = part_factor(part);
    fmc_chart_marker mean = {"mean", profit->mean, profit->mean - t * profit->se,
                             profit->mean + t * profit->se};
    fmc_histogram_chart h = {{row->name, desc, x_label, "share (%)"}, {320, 220},
                             FMC_HIST_BINS, profit->hist_edges, heights, 0, shade, 1, &mean};
    snprintf(name, sizeof name, "batch-profit-%s", row->name);
    page_printf(page, "<div>\n");
    page_chart(page, name, fmc_chart_histogram(&h));
    page_printf(page, "</div>\n");
}

void report_batch(report_page *page, const fmc_results_view *view)
{
    size_t n = view->part_count;
    char unit[64], first_unit[64] = "", x_label[128], loss_label[] = "chance of a loss (%)";
    int same_unit = 1;
    for (size_t i = 0; i < n; i++) {
        batch_row_unit(unit, sizeof unit, &view->rows[i]);
        same_unit &= i == 0 || strcmp(unit, first_unit) == 0;
        if (i == 0)
            snprintf(first_unit, sizeof first_unit, "%s", unit);
    }
    snprintf(x_label, sizeof x_label, "mean profit (%s)",
             same_unit ? first_unit : "each scenario's own period: see the table");
    batch_answer(page, view, same_unit);
    page_section(page, "batch", "The scenarios side by side");
    page_printf(page, "<p>%zu scenario%s, each run on its own; every figure with its "
                      "standard error.</p>\n", n, n == 1 ? "" : "s");
    batch_table(page, view);
    if (n == 0)
        return;
    const batch_bars profit = {
        "batch-profit", "Mean profit by scenario",
        "Which scenario makes most on average: each bar is a scenario's mean profit, its "
        "whisker the interval of the mean.", x_label, "mean profit", "", 1, 0, 0};
    const batch_bars loss = {
        "batch-loss", "Chance of a loss by scenario",
        "How often each scenario loses money: the share of its outcomes below zero profit, "
        "with its interval.", loss_label, "chance of a loss", "%", 100, NAN, 1};
    batch_bar_chart(page, view, &profit);
    batch_bar_chart(page, view, &loss);
    page_printf(page, "<h3>Profit of each scenario</h3>\n<div class=\"panels\" style=\"display:"
                      "grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));"
                      "gap:0.5rem 1rem\">\n");
    for (size_t i = 0; i < n; i++)
        batch_histogram(page, &view->parts[i], &view->rows[i]);
    page_printf(page, "</div>\n");
    for (size_t i = 0; i < n; i++) {
        const fmc_results_view *part = &view->parts[i];
        char id[160], title[200];
        snprintf(id, sizeof id, "part-%s", view->rows[i].name);
        snprintf(title, sizeof title, "Scenario %s", view->rows[i].name);
        page_section(page, id, title);
        const fmc_run_result *r = &part->analysis->result;
        page_printf(page, "<p>");
        if (part->scenario->description[0]) {
            page_text(page, part->scenario->description);
            page_printf(page, ". ");
        }
        page_printf(page, "%llu samples, seed %llu, design %s", (unsigned long long)r->samples,
                    (unsigned long long)r->seed, fmc_design_name(r->design.method));
        if (r->design.replicates > 1)
            page_printf(page, " with %u replicates", (unsigned)r->design.replicates);
        page_printf(page, ".</p>\n");
        page_prefix(page, view->rows[i].name);
        report_run(page, part);
        if (part->sweep_count)
            report_sweeps(page, part);
        page_prefix(page, NULL);
    }
}

/* ----- bench ----- */

/* Speedup (EFFICIENCY 0) or efficiency against threads on processes[I]:
 * a line per workload and the ideal, dashed. */
static void bench_chart(report_page *page, const fmc_benchmark_result *b, size_t i, int efficiency)
{
    size_t t = b->thread_count;
    double x[FMC_MAX_BENCH_THREADS], ideal[FMC_MAX_BENCH_THREADS];
    double y[FMC_WORKLOAD_COUNT][FMC_MAX_BENCH_THREADS];
    fmc_chart_series series[FMC_WORKLOAD_COUNT + 1];
    for (size_t k = 0; k < t; k++) {
        x[k] = b->threads[k];
        /* speedup is against one process at the first thread count */
        ideal[k] = efficiency ? 1 : (double)b->processes[i] * b->threads[k] / b->threads[0];
    }
    for (int w = 0; w < FMC_WORKLOAD_COUNT; w++) {
        for (size_t k = 0; k < t; k++) {
            const fmc_scaling *s = &b->process_strong[i][w][k];
            y[w][k] = efficiency ? s->efficiency : s->speedup;
        }
        series[w] = (fmc_chart_series){.name = fmc_workload_name(w), .count = t, .x = x,
                                       .y = y[w], .points = 1};
    }
    series[FMC_WORKLOAD_COUNT] = (fmc_chart_series){.name = "ideal", .count = t, .x = x,
                                                    .y = ideal, .dashed = 1};
    char title[160], desc[400], name[64];
    const char *what = efficiency ? "Efficiency" : "Speedup";
    if (b->process_count > 1)
        snprintf(title, sizeof title, "%s against threads, %d process%s", what, b->processes[i],
                 b->processes[i] == 1 ? "" : "es");
    else
        snprintf(title, sizeof title, "%s against threads", what);
    if (efficiency)
        snprintf(desc, sizeof desc, "How much of each added thread's power each workload uses, "
                 "the same %llu samples at every thread count: 1, the dashed line, is perfect.",
                 (unsigned long long)b->samples);
    else
        snprintf(desc, sizeof desc, "How many times faster each workload runs with more threads, "
                 "the same %llu samples at every thread count; the dashed line is the ideal, "
                 "twice the threads twice as fast.", (unsigned long long)b->samples);
    fmc_line_chart lines = {{title, desc, "threads", efficiency ? "efficiency" : "speedup"},
                            {0, 0}, FMC_WORKLOAD_COUNT + 1, series, NAN,
                            t > 1};  /* threads 1, 2, 4, ...: ticks at whole counts */
    const char *stem = efficiency ? "efficiency" : "speedup";
    if (b->process_count > 1)
        snprintf(name, sizeof name, "bench-%s-%dp", stem, b->processes[i]);
    else
        snprintf(name, sizeof name, "bench-%s", stem);
    page_chart(page, name, fmc_chart_lines(&lines));
}

static void bench_table(report_page *page, const fmc_benchmark_result *b)
{
    page_printf(page, "<div class=\"table-wrap\"><table>\n<thead><tr><th>workload</th>"
                      "%s<th>threads</th><th>median s (min-max)</th><th>samples/s</th>"
                      "<th>speedup</th><th>efficiency</th><th>weak: median s</th>"
                      "<th>weak: efficiency</th></tr></thead>\n<tbody>\n",
                b->process_count > 1 ? "<th>processes</th>" : "");
    for (int w = 0; w < FMC_WORKLOAD_COUNT; w++)
        for (size_t i = 0; i < b->process_count; i++)
            for (size_t k = 0; k < b->thread_count; k++) {
                const fmc_scaling *x = &b->process_strong[i][w][k];
                const fmc_scaling *y = &b->process_weak[i][w][k];
                page_printf(page, "<tr><td>%s</td>", fmc_workload_name(w));
                if (b->process_count > 1)
                    page_printf(page, "<td>%d</td>", b->processes[i]);
                page_printf(page, "<td>%d</td><td>%.4f (%.4f-%.4f)</td><td>%.4g</td>"
                                  "<td>%.2f</td><td>%.2f</td><td>%.4f</td><td>%.2f</td></tr>\n",
                            b->threads[k], x->median, x->min, x->max, x->samples_per_second,
                            x->speedup, x->efficiency, y->median, y->efficiency);
            }
    page_printf(page, "</tbody></table></div>\n");
}

/* Where the lone process's SCALING (process_strong or process_weak) is
 * fastest: the largest speedup over every workload and thread count, the
 * first of equals; *WORKLOAD and *THREAD its indices. */
static const fmc_scaling *fastest(const fmc_benchmark_result *b,
                                  const fmc_scaling (*scaling)[FMC_MAX_BENCH_THREADS],
                                  int *workload, size_t *thread)
{
    *workload = 0;
    *thread = 0;
    for (int w = 0; w < FMC_WORKLOAD_COUNT; w++)
        for (size_t k = 0; k < b->thread_count; k++)
            if (scaling[w][k].speedup > scaling[*workload][*thread].speedup) {
                *workload = w;
                *thread = k;
            }
    return &scaling[*workload][*thread];
}

/* The benchmark in plain words: on this CPU, the best speedup of one
 * process, at how many threads and how efficient; weak scaling likewise. */
static void bench_answer(report_page *page, const fmc_benchmark_result *b)
{
    static const char *const keys[2] = {"", "weak_"};
    static const char *const words[2] = {
        "With the same samples at every thread count (strong scaling), the best speedup",
        "With each thread given its own samples (weak scaling), the most work per second, "
        "as a speedup,"};
    page_section(page, "answer", "The answer");
    page_printf(page, "<div class=\"answer\">\n<p>On ");
    page_text(page, b->cpu);
    page_printf(page, " with %d cores, one process:</p>\n", b->cores);
    for (int weak = 0; weak < 2 && b->thread_count > 0; weak++) {
        int w;
        size_t k;
        const fmc_scaling *x = fastest(b, weak ? b->process_weak[0] : b->process_strong[0], &w, &k);
        page_printf(page, "<p>%s is <span data-key=\"%sbest_speedup\">%.2f</span> at "
                          "<span data-key=\"%sbest_speedup_threads\">%d</span> thread%s "
                          "(workload %s, against %d thread%s), an efficiency of "
                          "<span data-key=\"%sbest_speedup_efficiency\">%.2f</span>.</p>\n",
                    words[weak], keys[weak], x->speedup, keys[weak], b->threads[k],
                    b->threads[k] == 1 ? "" : "s", fmc_workload_name(w), b->threads[0],
                    b->threads[0] == 1 ? "" : "s", keys[weak], x->efficiency);
    }
    page_printf(page, "</div>\n");
}

void report_bench(report_page *page, const fmc_results_view *view)
{
    const fmc_benchmark_result *b = view->bench;
    bench_answer(page, b);
    page_section(page, "bench", "Benchmark");
    page_printf(page, "<p>");
    page_text(page, b->cpu);
    page_printf(page, ", %d cores; OMP_PROC_BIND ", b->cores);
    page_text(page, b->proc_bind);
    page_printf(page, ", OMP_PLACES ");
    page_text(page, b->places);
    page_printf(page, ". N = %llu samples, the median of %d timed runs after a warm-up, on "
                      "the built-in reference scenario.", (unsigned long long)b->samples,
                b->repeats);
    if (b->process_count > 1)
        page_printf(page, " Up to %d processes; the thread scaling of one process is measured "
                          "by the first process alone.", b->processes[b->process_count - 1]);
    page_printf(page, "</p>\n");
    for (size_t i = 0; i < b->process_count; i++) {
        bench_chart(page, b, i, 0);
        bench_chart(page, b, i, 1);
    }
    page_printf(page, "<h3>Every measurement</h3>\n");
    bench_table(page, b);
}
