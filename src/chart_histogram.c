/* The histogram: bars between edges, the part below SHADE_BELOW in the
 * loss colour (a bin across it split there), and markers: a vertical line
 * each, its label above the plot (labels staggered into rows so none
 * overlaps another) and its interval as a bracket near the top. */
#include <math.h>
#include <stdlib.h>
#include "chart_internal.h"

#define BAR_COLOUR "#56B4E9"
#define MARKER_ROW 14.0
/* The lowest row's baseline above the plot: its text clear of the y
 * axis's top label, which is centred on the plot's top. */
#define MARKER_BASELINE (0.35 * CHART_FONT_SIZE + 0.24 * CHART_FONT_SIZE + 3)

static int edges_defined(const fmc_histogram_chart *chart, size_t i)
{
    return isfinite(chart->edges[i]) && isfinite(chart->edges[i + 1]) &&
           isfinite(chart->heights[i]) && chart->heights[i] > 0;
}

/* Places each marker's label in the first row where it clears the labels
 * already there; ROW[i] gets its row, and the number of rows is returned. */
static size_t stagger_labels(const fmc_histogram_chart *chart, const chart_axis *x_axis,
                             size_t *row)
{
    enum { MAX_ROWS = 8 };
    double right_end[MAX_ROWS];
    size_t rows = 0;
    size_t *order = malloc((chart->marker_count + 1) * sizeof *order);
    if (order == NULL)
        return 0;
    /* Left to right, so each row fills like a line of text. */
    for (size_t i = 0; i < chart->marker_count; i++) {
        size_t j = i;
        double x = chart->markers[i].value;
        for (; j > 0 && !(chart->markers[order[j - 1]].value <= x); j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    for (size_t k = 0; k < chart->marker_count; k++) {
        const fmc_chart_marker *m = &chart->markers[order[k]];
        double x = chart_axis_pixel(x_axis, m->value);
        double half = fmc_chart_text_width(m->label, CHART_FONT_SIZE) / 2;
        size_t r = 0;
        while (r < rows && x - half < right_end[r] + 6)
            r++;
        if (r == MAX_ROWS)
            r = MAX_ROWS - 1;
        if (r == rows)
            rows++;
        right_end[r] = x + half;
        row[order[k]] = r;
    }
    free(order);
    return rows;
}

static void draw_bars(svg_doc *doc, const fmc_histogram_chart *chart, const chart_axis *x_axis,
                      const chart_axis *y_axis)
{
    double base = chart_axis_pixel(y_axis, 0);
    for (size_t i = 0; i < chart->bins; i++) {
        if (!edges_defined(chart, i))
            continue;
        double left = chart->edges[i], right = chart->edges[i + 1];
        double top = chart_axis_pixel(y_axis, chart->heights[i]);
        /* The loss part [left, split) and the rest [split, right). */
        double split = isfinite(chart->shade_below) ? fmin(right, fmax(left, chart->shade_below))
                                                    : left;
        double x0 = chart_axis_pixel(x_axis, left), xs = chart_axis_pixel(x_axis, split);
        double x1 = chart_axis_pixel(x_axis, right);
        if (split > left)
            svg_put(doc, "<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"" CHART_LOSS
                         "\"/>\n", x0, top, xs - x0, base - top);
        if (split < right)
            svg_put(doc, "<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"" BAR_COLOUR
                         "\"/>\n", xs, top, x1 - xs, base - top);
    }
}

static void draw_markers(svg_doc *doc, const fmc_histogram_chart *chart, const chart_axis *x_axis,
                         const chart_plot *plot, const size_t *row, size_t rows)
{
    for (size_t i = 0; i < chart->marker_count; i++) {
        const fmc_chart_marker *m = &chart->markers[i];
        if (!isfinite(m->value))
            continue;
        double x = chart_axis_pixel(x_axis, m->value);
        svg_put(doc, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"" CHART_INK "\" "
                     "stroke-width=\"1.5\"%s/>\n", x, plot->top - 2, x, plot->bottom,
                i == 0 ? "" : " stroke-dasharray=\"5 3\"");
        double baseline = plot->top - MARKER_BASELINE - (double)(rows - 1 - row[i]) * MARKER_ROW;
        svg_text(doc, x, baseline, "middle", CHART_FONT_SIZE, plot->right - plot->left,
                 " fill=\"" CHART_INK "\"", m->label);
        if (isfinite(m->low) && isfinite(m->high)) {
            double x0 = chart_axis_pixel(x_axis, m->low), x1 = chart_axis_pixel(x_axis, m->high);
            double y = plot->top + 8 + (double)(i % 4) * 6;
            svg_put(doc, "<path d=\"M%f %fV%fH%fV%f\" fill=\"none\" stroke=\"" CHART_INK "\" "
                         "stroke-width=\"1.5\"/>\n", x0, y - 4, y, x1, y - 4);
        }
    }
}

char *fmc_chart_histogram(const fmc_histogram_chart *chart)
{
    svg_doc doc;
    double width = chart->size.width > 0 ? chart->size.width : CHART_DEFAULT_WIDTH;
    double height = chart->size.height > 0 ? chart->size.height : CHART_DEFAULT_HEIGHT;
    double top = svg_begin(&doc, width, height, &chart->text);
    int usable = chart->bins > 0 && chart->edges && chart->heights;
    double x_low = NAN, x_high = NAN, y_high = 0;
    int any = 0;
    for (size_t i = 0; usable && i < chart->bins; i++)
        if (edges_defined(chart, i)) {
            chart_range_add(&x_low, &x_high, chart->edges[i]);
            chart_range_add(&x_low, &x_high, chart->edges[i + 1]);
            y_high = fmax(y_high, chart->heights[i]);
            any = 1;
        }
    for (size_t i = 0; i < chart->marker_count; i++) {
        chart_range_add(&x_low, &x_high, chart->markers[i].value);
        chart_range_add(&x_low, &x_high, chart->markers[i].low);
        chart_range_add(&x_low, &x_high, chart->markers[i].high);
    }
    chart_axis x_axis, y_axis;
    chart_axis_init(&x_axis, x_low, x_high, 7, 0, 0);
    chart_axis_init(&y_axis, 0, y_high > 0 ? y_high : 1, 5, 1, 0);
    chart_legend_item loss = {chart->shade_label ? chart->shade_label : "loss", CHART_LOSS,
                              LEGEND_BOX};
    int shaded = isfinite(chart->shade_below) && any && chart->shade_below > x_low;
    top += chart_legend(&doc, &loss, shaded, CHART_PAD, top, width - 2 * CHART_PAD);
    chart_plot plot;
    chart_xy_frame(&doc, &chart->text, top, &x_axis, &y_axis, &plot);
    size_t *row = calloc(chart->marker_count + 1, sizeof *row);
    if (row == NULL) {
        free(doc.text);
        return NULL;
    }
    size_t rows = stagger_labels(chart, &x_axis, row);
    plot.top += rows ? (rows - 1) * MARKER_ROW + MARKER_BASELINE + 0.24 * CHART_FONT_SIZE : 0;
    if (plot.bottom < plot.top + 10)
        plot.bottom = plot.top + 10;
    chart_xy_draw(&doc, &x_axis, &y_axis, &plot);
    if (any)
        draw_bars(&doc, chart, &x_axis, &y_axis);
    else
        svg_no_data(&doc, plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
    draw_markers(&doc, chart, &x_axis, &plot, row, rows);
    free(row);
    return svg_finish(&doc);
}
