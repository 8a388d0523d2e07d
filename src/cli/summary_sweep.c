/* What the terminal shows of a sweep: the answer before the points.  One
 * axis prints as a table of its values; two as matrices (rows x columns) of
 * the best lever and of mean profit; more, or grids too large for a screen,
 * as the regions where each lever is best, each described by the ranges of
 * the axes that bound it.  With --detail every point follows on a line of
 * its own.  Every figure comes from the sweep's result; the file holds them
 * all (/sweeps). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* The largest grids that print as a table or a matrix; beyond, regions. */
#define LIST_ROWS 40
#define MATRIX_ROWS 40
#define MATRIX_COLUMNS 12
/* Regions named before the rest are left to --detail. */
#define SHOWN_REGIONS 8

/* A matrix cell names a lever by a letter (a legend gives the names). */
static const char lever_letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
#define LETTERED_LEVERS (sizeof lever_letters - 1)

typedef struct sweep_view {
    const fmc_scenario *s;
    const fmc_sweep *sweep;
    const fmc_sweep_result *r;
} sweep_view;

/* Value I of AXIS as its change reads: "x0.5", "+0.05", or "250" (set). */
static void axis_value(char *text, size_t size, const fmc_axis *axis, size_t i)
{
    static const char *const formats[] = {"x%.4g", "%+.4g", "%.4g"};
    snprintf(text, size, formats[axis->op], axis->values[i]);
}

int sweep_is_tie(const fmc_sweep_result *r, size_t p)
{
    return r->runner_up[p] >= 0 && r->p_ties_runner_up[p] == 1;
}

/* The best lever at P and, in a tie, the other one (else -1), the smaller
 * index first so that a tie reads the same wherever it occurs. */
static void winners(const fmc_sweep_result *r, size_t p, int *first, int *second)
{
    *first = r->best_lever[p];
    *second = sweep_is_tie(r, p) ? r->runner_up[p] : -1;
    if (*second >= 0 && *second < *first) {
        int t = *first;
        *first = *second;
        *second = t;
    }
}

/* The winners in words: "double_followers", or "a and b tie". */
static void winners_text(char *text, size_t size, const fmc_scenario *s, int first, int second)
{
    if (second < 0)
        snprintf(text, size, "%s", s->levers[first].name);
    else
        snprintf(text, size, "%s and %s tie", s->levers[first].name, s->levers[second].name);
}

void sweep_profit_unit(char *text, size_t size, const fmc_scenario *s, const fmc_sweep *sweep)
{
    int periods_axis = 0;
    for (size_t a = 0; a < sweep->axis_count; a++)
        periods_axis |= sweep->axes[a].input == FMC_AXIS_PERIODS;
    if (!s->horizon)
        snprintf(text, size, "per %s", s->period);
    else if (periods_axis)
        snprintf(text, size, "over each point's %ss", s->period);
    else
        snprintf(text, size, "over the %u %ss", s->horizon->periods, s->period);
}

sweep_extremes sweep_extremes_of(const fmc_sweep_result *r)
{
    sweep_extremes e = {0, 0, 0, 0};
    for (size_t p = 0; p < r->points; p++) {
        e.lowest = r->mean[p] < r->mean[e.lowest] ? p : e.lowest;
        e.highest = r->mean[p] > r->mean[e.highest] ? p : e.highest;
        e.least_loss = r->p_loss[p] < r->p_loss[e.least_loss] ? p : e.least_loss;
        e.most_loss = r->p_loss[p] > r->p_loss[e.most_loss] ? p : e.most_loss;
    }
    return e;
}

/* What the profit figures are: per period, or cumulative over a horizon. */
static void print_scope(FILE *out, const fmc_scenario *s, const fmc_sweep *sweep)
{
    char unit[160];
    sweep_profit_unit(unit, sizeof unit, s, sweep);
    fprintf(out, "%sprofit %s", s->horizon ? "cumulative " : "", unit);
    if (s->horizon && s->horizon->discount_rate != 0)
        fprintf(out, ", discounted to today's money");
}

/* ----- one axis: a table ----- */

static void print_list(FILE *out, const sweep_view *v)
{
    const fmc_axis *axis = &v->sweep->axes[0];
    const char *name = fmc_axis_name(v->s, axis);
    int width = (int)strlen(name);
    char value[32], mean[32], gain[32], best[300];
    for (size_t i = 0; i < axis->value_count; i++) {
        axis_value(value, sizeof value, axis, i);
        width = width > (int)strlen(value) ? width : (int)strlen(value);
    }
    fprintf(out, "    %-*s %12s %8s%s\n", width, name, "mean profit", "P(loss)",
            v->s->lever_count ? "  best lever, its mean net gain" : "");
    for (size_t p = 0; p < v->r->points; p++) {
        axis_value(value, sizeof value, axis, p);
        format_rounded(mean, sizeof mean, v->r->mean[p], v->r->se[p]);
        fprintf(out, "    %-*s %12s %7.3g%%", width, value, mean, 100 * v->r->p_loss[p]);
        if (v->r->best_lever[p] >= 0) {
            int first, second;
            winners(v->r, p, &first, &second);
            winners_text(best, sizeof best, v->s, first, second);
            format_rounded(gain, sizeof gain, v->r->best_gain[p], v->r->best_gain_se[p]);
            fprintf(out, "  %s, %s%s", best, v->r->best_gain[p] > 0 ? "+" : "", gain);
        }
        fprintf(out, "\n");
    }
}

/* ----- two axes: matrices ----- */

typedef void (*cell_fn)(char *text, size_t size, const fmc_sweep_result *r, size_t p);

static void lever_cell(char *text, size_t size, const fmc_sweep_result *r, size_t p)
{
    int first, second;
    winners(r, p, &first, &second);
    if (second < 0)
        snprintf(text, size, "%c", lever_letters[first]);
    else
        snprintf(text, size, "%c=%c", lever_letters[first], lever_letters[second]);
}

static void profit_cell(char *text, size_t size, const fmc_sweep_result *r, size_t p)
{
    format_rounded(text, size, r->mean[p], r->se[p]);
}

/* The grid with the first axis down and the second across, a cell per
 * point. */
static void print_matrix(FILE *out, const sweep_view *v, cell_fn cell)
{
    const fmc_axis *rows = &v->sweep->axes[0], *columns = &v->sweep->axes[1];
    char corner[160], text[48];
    snprintf(corner, sizeof corner, "%s \\ %s", fmc_axis_name(v->s, rows),
             fmc_axis_name(v->s, columns));
    int label_width = (int)strlen(corner), width = 1;
    for (size_t i = 0; i < rows->value_count; i++) {
        axis_value(text, sizeof text, rows, i);
        label_width = label_width > (int)strlen(text) ? label_width : (int)strlen(text);
    }
    for (size_t j = 0; j < columns->value_count; j++) {
        axis_value(text, sizeof text, columns, j);
        width = width > (int)strlen(text) ? width : (int)strlen(text);
    }
    for (size_t p = 0; p < v->r->points; p++) {
        cell(text, sizeof text, v->r, p);
        width = width > (int)strlen(text) ? width : (int)strlen(text);
    }
    fprintf(out, "    %-*s", label_width, corner);
    for (size_t j = 0; j < columns->value_count; j++) {
        axis_value(text, sizeof text, columns, j);
        fprintf(out, " %*s", width, text);
    }
    fprintf(out, "\n");
    for (size_t i = 0; i < rows->value_count; i++) {
        axis_value(text, sizeof text, rows, i);
        fprintf(out, "    %-*s", label_width, text);
        for (size_t j = 0; j < columns->value_count; j++) {
            cell(text, sizeof text, v->r, i * columns->value_count + j);
            fprintf(out, " %*s", width, text);
        }
        fprintf(out, "\n");
    }
}

static void print_matrices(FILE *out, const sweep_view *v)
{
    const fmc_scenario *s = v->s;
    if (s->lever_count) {
        fprintf(out, "  best lever (largest mean net gain):");
        /* the legend names the levers that appear, in scenario order */
        int any_tie = 0;
        const char *separator = " ";
        for (size_t l = 0; l < s->lever_count; l++) {
            int seen = 0;
            for (size_t p = 0; p < v->r->points && !seen; p++) {
                int first, second;
                winners(v->r, p, &first, &second);
                seen = first == (int)l || second == (int)l;
                any_tie |= second >= 0;
            }
            if (seen) {
                fprintf(out, "%s%c = %s", separator, lever_letters[l], s->levers[l].name);
                separator = ", ";
            }
        }
        fprintf(out, "%s\n", any_tie ? "; X=Y: a tie (equal net profit in every sample)" : "");
        print_matrix(out, v, lever_cell);
    }
    fprintf(out, "  mean profit (rounded to its standard error):\n");
    print_matrix(out, v, profit_cell);
}

/* ----- more axes: regions ----- */

/* The points where the same lever is best (or the same two tie), and the
 * box of axis indices that bounds them. */
typedef struct region {
    int first, second;
    size_t count, first_point;
    size_t low[FMC_MAX_SWEEP_AXES], high[FMC_MAX_SWEEP_AXES];
} region;

static int by_size(const void *x, const void *y)
{
    const region *a = x, *b = y;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    return a->first_point < b->first_point ? -1 : a->first_point > b->first_point;
}

/* The regions of V's grid into *OUT, largest first (the first found first
 * among equals); their number, or 0 when out of memory. */
static size_t find_regions(const sweep_view *v, region **out)
{
    size_t count = 0, capacity = 8;
    region *regions = malloc(capacity * sizeof *regions);
    for (size_t p = 0; regions && p < v->r->points; p++) {
        size_t index[FMC_MAX_SWEEP_AXES], k = 0;
        int first, second;
        winners(v->r, p, &first, &second);
        fmc_sweep_point_indices(v->sweep, p, index);
        while (k < count && (regions[k].first != first || regions[k].second != second))
            k++;
        if (k == count) {
            if (count == capacity) {
                region *grown = realloc(regions, 2 * capacity * sizeof *regions);
                if (!grown) {
                    free(regions);
                    regions = NULL;
                    break;
                }
                regions = grown;
                capacity *= 2;
            }
            regions[count++] = (region){first, second, 0, p, {0}, {0}};
            memcpy(regions[k].low, index, sizeof index);
            memcpy(regions[k].high, index, sizeof index);
        }
        region *g = &regions[k];
        g->count++;
        for (size_t a = 0; a < v->sweep->axis_count; a++) {
            g->low[a] = index[a] < g->low[a] ? index[a] : g->low[a];
            g->high[a] = index[a] > g->high[a] ? index[a] : g->high[a];
        }
    }
    if (!regions)
        return 0;
    qsort(regions, count, sizeof *regions, by_size);
    *out = regions;
    return count;
}

/* "click_rate -0.1..+0.05, hours x2" into TEXT: the axes that bound G (an
 * axis that G spans whole is left out, so TEXT may be empty).  Returns the
 * points of the bounding box. */
static size_t bounds_text(char *text, size_t size, const sweep_view *v, const region *g)
{
    size_t box = 1, used = 0;
    char low[32], high[32];
    text[0] = '\0';
    for (size_t a = 0; a < v->sweep->axis_count; a++) {
        const fmc_axis *axis = &v->sweep->axes[a];
        box *= g->high[a] - g->low[a] + 1;
        if ((g->low[a] == 0 && g->high[a] + 1 == axis->value_count) || used >= size)
            continue;
        axis_value(low, sizeof low, axis, g->low[a]);
        axis_value(high, sizeof high, axis, g->high[a]);
        int n = snprintf(text + used, size - used, "%s%s %s%s%s", used ? ", " : "",
                         fmc_axis_name(v->s, axis), low, g->low[a] == g->high[a] ? "" : "..",
                         g->low[a] == g->high[a] ? "" : high);
        used += n > 0 ? (size_t)n : 0;
    }
    return box;
}

static void print_regions(FILE *out, const sweep_view *v)
{
    region *regions = NULL;
    size_t count = find_regions(v, &regions);
    if (count == 0) {
        fprintf(out, "  (out of memory for the regions: see --detail)\n");
        return;
    }
    char text[300];
    fprintf(out, "  best lever (largest mean net gain), by region:\n");
    size_t shown = count - 1 < SHOWN_REGIONS ? count - 1 : SHOWN_REGIONS, rest = 0;
    for (size_t k = 1; k <= shown; k++) {
        const region *g = &regions[k];
        winners_text(text, sizeof text, v->s, g->first, g->second);
        fprintf(out, "    %s ", text);
        char bounds[512];
        size_t box = bounds_text(bounds, sizeof bounds, v, g);
        /* a region that fills its bounding box is exactly that box */
        if (box == g->count)
            fprintf(out, "wherever %s (%zu point%s)\n", bounds, g->count, g->count == 1 ? "" : "s");
        else
            fprintf(out, "at %zu of the %zu points with %s\n", g->count, box,
                    bounds[0] ? bounds : "any value");
    }
    for (size_t k = shown + 1; k < count; k++)
        rest += regions[k].count;
    if (rest)
        fprintf(out, "    %zu smaller region%s of %zu points in all (--detail lists them)\n",
                count - 1 - shown, count - 1 - shown == 1 ? "" : "s", rest);
    winners_text(text, sizeof text, v->s, regions[0].first, regions[0].second);
    fprintf(out, "    %s %s (%zu point%s)\n", text, count == 1 ? "everywhere" : "elsewhere",
            regions[0].count, regions[0].count == 1 ? "" : "s");
    free(regions);
}

/* Where the mean profit is lowest and highest, with the points. */
static void print_profit_range(FILE *out, const sweep_view *v)
{
    sweep_extremes x = sweep_extremes_of(v->r);
    const size_t ends[] = {x.lowest, x.highest};
    char text[32];
    for (size_t e = 0; e < 2; e++) {
        size_t index[FMC_MAX_SWEEP_AXES];
        fmc_sweep_point_indices(v->sweep, ends[e], index);
        format_rounded(text, sizeof text, v->r->mean[ends[e]], v->r->se[ends[e]]);
        fprintf(out, "  %s mean profit %s at ", e ? "highest" : "lowest", text);
        for (size_t a = 0; a < v->sweep->axis_count; a++) {
            axis_value(text, sizeof text, &v->sweep->axes[a], index[a]);
            fprintf(out, "%s%s %s", a ? ", " : "", fmc_axis_name(v->s, &v->sweep->axes[a]), text);
        }
        fprintf(out, "\n");
    }
    fprintf(out, "  P(loss) from %.3g%% to %.3g%%\n", 100 * v->r->p_loss[x.least_loss],
            100 * v->r->p_loss[x.most_loss]);
}

/* ----- every point (--detail) ----- */

static void print_point(FILE *out, const sweep_view *v, size_t p)
{
    const fmc_sweep_result *r = v->r;
    size_t index[FMC_MAX_SWEEP_AXES];
    char value[32];
    fmc_sweep_point_indices(v->sweep, p, index);
    fprintf(out, " ");
    for (size_t a = 0; a < v->sweep->axis_count; a++) {
        axis_value(value, sizeof value, &v->sweep->axes[a], index[a]);
        fprintf(out, " %s %-8s", fmc_axis_name(v->s, &v->sweep->axes[a]), value);
    }
    fprintf(out, "  profit %.6g ± %.2g, P(loss) %.3g%% ± %.2g%%", r->mean[p], r->se[p],
            100 * r->p_loss[p], 100 * r->p_loss_se[p]);
    if (r->best_lever[p] >= 0) {
        fprintf(out, ", best %s (net %+.6g ± %.2g", v->s->levers[r->best_lever[p]].name,
                r->best_gain[p], r->best_gain_se[p]);
        if (sweep_is_tie(r, p))
            fprintf(out, ", tied with %s", v->s->levers[r->runner_up[p]].name);
        else if (!isnan(r->p_beats_runner_up[p]))
            fprintf(out, ", P(beats the next) %.3g%% ± %.1g%%", 100 * r->p_beats_runner_up[p],
                    100 * r->p_beats_runner_up_se[p]);
        fprintf(out, ")");
    }
    fprintf(out, "\n");
}

void print_sweep(FILE *out, const fmc_scenario *s, const fmc_sweep *sweep,
                 const fmc_sweep_result *r, int detail)
{
    const sweep_view v = {s, sweep, r};
    fprintf(out, "sweep %s: %zu points of %llu samples, same draws at every point\n  figures: ",
            sweep->name, r->points, (unsigned long long)r->samples);
    print_scope(out, s, sweep);
    fprintf(out, "\n");
    print_design(out, &r->design, s->confidence);
    size_t n = sweep->axes[0].value_count;
    if (sweep->axis_count == 1 && n <= LIST_ROWS) {
        print_list(out, &v);
    } else if (sweep->axis_count == 2 && n <= MATRIX_ROWS &&
               sweep->axes[1].value_count <= MATRIX_COLUMNS && s->lever_count <= LETTERED_LEVERS) {
        print_matrices(out, &v);
    } else {
        if (s->lever_count)
            print_regions(out, &v);
        print_profit_range(out, &v);
    }
    if (!detail)
        return;
    fprintf(out, "  every point:\n");
    for (size_t p = 0; p < r->points; p++)
        print_point(out, &v, p);
}
