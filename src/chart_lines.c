/* Lines over a numeric x axis: each series's bands as filled polygons
 * under its line (outer lighter than inner), the line broken at NaN,
 * optional dots, a reference line and a legend. */
#include <math.h>
#include "chart_internal.h"

/* Dashed when asked, and past the eight colours: the ninth series is
 * told from the first by its dash. */
static int dashed(const fmc_chart_series *s, size_t k)
{
    return s->dashed || (k / 8) % 2 == 1;
}

static int point_defined(const fmc_line_chart *chart, const fmc_chart_series *s, size_t i,
                         const double *y)
{
    return y && isfinite(y[i]) && isfinite(s->x[i]) && (!chart->log_x || s->x[i] > 0);
}

/* A band between LOW and HIGH: one polygon per run of points where both
 * are defined, along HIGH and back along LOW. */
static void draw_band(svg_doc *doc, const fmc_line_chart *chart, const fmc_chart_series *s,
                      const double *low, const double *high, const chart_axis *x_axis,
                      const chart_axis *y_axis, const char *colour, double opacity)
{
    if (low == NULL || high == NULL)
        return;
    size_t i = 0;
    while (i < s->count) {
        if (!point_defined(chart, s, i, low) || !point_defined(chart, s, i, high)) {
            i++;
            continue;
        }
        size_t end = i;
        while (end < s->count && point_defined(chart, s, end, low) &&
               point_defined(chart, s, end, high))
            end++;
        svg_put(doc, "<path d=\"");
        for (size_t k = i; k < end; k++)
            svg_put(doc, "%s%f %f", k == i ? "M" : "L", chart_axis_pixel(x_axis, s->x[k]),
                    chart_axis_pixel(y_axis, high[k]));
        for (size_t k = end; k-- > i;)
            svg_put(doc, "L%f %f", chart_axis_pixel(x_axis, s->x[k]),
                    chart_axis_pixel(y_axis, low[k]));
        svg_put(doc, "Z\" fill=\"%s\" fill-opacity=\"%f\"/>\n", colour, opacity);
        i = end;
    }
}

static void draw_series(svg_doc *doc, const fmc_line_chart *chart, size_t k,
                        const chart_axis *x_axis, const chart_axis *y_axis)
{
    const fmc_chart_series *s = &chart->series[k];
    const char *colour = chart_category_colour(k);
    draw_band(doc, chart, s, s->outer_low, s->outer_high, x_axis, y_axis, colour, 0.16);
    draw_band(doc, chart, s, s->inner_low, s->inner_high, x_axis, y_axis, colour, 0.32);
    svg_put(doc, "<path d=\"");
    int drawing = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (!point_defined(chart, s, i, s->y)) {
            drawing = 0;
            continue;
        }
        svg_put(doc, "%s%f %f", drawing ? "L" : "M", chart_axis_pixel(x_axis, s->x[i]),
                chart_axis_pixel(y_axis, s->y[i]));
        drawing = 1;
    }
    svg_put(doc,
            "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-linejoin=\"round\"%s/>\n",
            colour, dashed(s, k) ? " stroke-dasharray=\"6 4\"" : "");
    for (size_t i = 0; s->points && i < s->count; i++)
        if (point_defined(chart, s, i, s->y))
            svg_put(doc, "<circle cx=\"%f\" cy=\"%f\" r=\"3\" fill=\"%s\"/>\n",
                    chart_axis_pixel(x_axis, s->x[i]), chart_axis_pixel(y_axis, s->y[i]), colour);
}

static void add_values(double *low, double *high, const fmc_line_chart *chart,
                       const fmc_chart_series *s, const double *y)
{
    for (size_t i = 0; y && i < s->count; i++)
        if (point_defined(chart, s, i, y))
            chart_range_add(low, high, y[i]);
}

char *fmc_chart_lines(const fmc_line_chart *chart)
{
    svg_doc doc;
    double width = chart->size.width > 0 ? chart->size.width : CHART_DEFAULT_WIDTH;
    double height = chart->size.height > 0 ? chart->size.height : CHART_DEFAULT_HEIGHT;
    double top = svg_begin(&doc, width, height, &chart->text);
    double x_low = NAN, x_high = NAN, y_low = NAN, y_high = NAN;
    chart_range_add(&y_low, &y_high, chart->reference);
    int any = 0;
    enum { MAX_LEGEND = 32 };
    chart_legend_item legend[MAX_LEGEND];
    size_t named = 0;
    for (size_t k = 0; k < chart->series_count; k++) {
        const fmc_chart_series *s = &chart->series[k];
        if (s->x == NULL)
            continue;
        for (size_t i = 0; i < s->count; i++)
            if (point_defined(chart, s, i, s->y)) {
                chart_range_add(&x_low, &x_high, s->x[i]);
                any = 1;
            }
        add_values(&y_low, &y_high, chart, s, s->y);
        add_values(&y_low, &y_high, chart, s, s->inner_low);
        add_values(&y_low, &y_high, chart, s, s->inner_high);
        add_values(&y_low, &y_high, chart, s, s->outer_low);
        add_values(&y_low, &y_high, chart, s, s->outer_high);
        if (s->name && named < MAX_LEGEND)
            legend[named++] = (chart_legend_item){s->name, chart_category_colour(k),
                                                  dashed(s, k) ? LEGEND_DASHED : LEGEND_LINE};
    }
    chart_axis x_axis, y_axis;
    chart_axis_init(&x_axis, x_low, x_high, 7, 0, chart->log_x);
    chart_axis_init(&y_axis, y_low, y_high, 6, 1, 0);
    top += chart_legend(&doc, legend, named, CHART_PAD, top, width - 2 * CHART_PAD);
    chart_plot plot;
    chart_xy_frame(&doc, &chart->text, top, &x_axis, &y_axis, &plot);
    chart_xy_draw(&doc, &x_axis, &y_axis, &plot);
    if (!any)
        svg_no_data(&doc, plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
    if (isfinite(chart->reference)) {
        double y = chart_axis_pixel(&y_axis, chart->reference);
        svg_put(&doc, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"" CHART_INK "\" "
                      "stroke-dasharray=\"5 3\"/>\n", plot.left, y, plot.right, y);
    }
    for (size_t k = 0; k < chart->series_count; k++)
        if (chart->series[k].x)
            draw_series(&doc, chart, k, &x_axis, &y_axis);
    return svg_finish(&doc);
}
