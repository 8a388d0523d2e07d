/* Horizontal bars: the rows' labels on the left (at most 40 % of the
 * width), the value axis at the bottom, a legend of the series at the
 * top, a reference line, error bars with caps, and notes past each bar's
 * end -- inside the bar when the plot has no room for them outside. */
#include <math.h>
#include <stdlib.h>
#include "chart_internal.h"

#define ROW_HEIGHT 28.0
#define REFERENCE_ROOM 16.0

/* The box of a bar and of its error bar, in pixels. */
typedef struct bar_box {
    double x0, x1;      /* the bar from x0 (FROM) to x1 (TO) */
    double y, thickness;
} bar_box;

static bar_box bar_place(const fmc_bar_chart *chart, const fmc_chart_bar *bar,
                         const chart_axis *axis, const chart_plot *plot, double row_height)
{
    bar_box box;
    box.x0 = chart_axis_pixel(axis, bar->from);
    box.x1 = chart_axis_pixel(axis, bar->to);
    double row_top = plot->top + (double)bar->row * row_height;
    if (chart->grouped && chart->series_count > 1) {
        box.thickness = row_height * 0.76 / (double)chart->series_count;
        size_t slot = bar->series % chart->series_count;
        box.y = row_top + row_height * 0.12 + box.thickness * ((double)slot + 0.5);
    } else {
        box.thickness = row_height * 0.6;
        box.y = row_top + row_height / 2;
    }
    return box;
}

static void draw_error_bar(svg_doc *doc, const fmc_chart_bar *bar, const chart_axis *axis,
                           const bar_box *box)
{
    if (!isfinite(bar->low) || !isfinite(bar->high))
        return;
    double a = chart_axis_pixel(axis, bar->low), b = chart_axis_pixel(axis, bar->high);
    double cap = fmin(5, box->thickness / 2 + 1);
    svg_put(doc, "<path d=\"M%f %fV%fM%f %fH%fM%f %fV%f\" fill=\"none\" stroke=\"" CHART_INK
                 "\" stroke-width=\"1.2\"/>\n", a, box->y - cap, box->y + cap, a, box->y, b, b,
            box->y - cap, box->y + cap);
}

/* The note past the bar's end (beyond its error bar) when it fits in the
 * plot, else inside the bar (short of its error bar) when it fits there,
 * else across the bar's start (a short bar at the plot's edge: a loss
 * beside 0), else shortened to the larger of the first two rooms. */
static void draw_note(svg_doc *doc, const fmc_chart_bar *bar, const chart_axis *axis,
                      const bar_box *box, const chart_plot *plot, const char *colour, double size)
{
    if (bar->note == NULL || *bar->note == '\0')
        return;
    int rightward = box->x1 >= box->x0;
    double end = box->x1, inner_end = box->x1;
    if (isfinite(bar->low) && isfinite(bar->high)) {
        double a = chart_axis_pixel(axis, bar->low), b = chart_axis_pixel(axis, bar->high);
        end = rightward ? fmax(end, fmax(a, b)) : fmin(end, fmin(a, b));
        inner_end = rightward ? fmax(box->x0, fmin(inner_end, fmin(a, b)))
                              : fmin(box->x0, fmax(inner_end, fmax(a, b)));
    }
    double outside = rightward ? plot->right - end - 4 : end - plot->left - 4;
    double inside = fabs(inner_end - box->x0) - 8;
    double width = fmc_chart_text_width(bar->note, size);
    double baseline = box->y + 0.35 * size;
    double across = rightward ? box->x0 - plot->left - 4 : plot->right - box->x0 - 4;
    if (width > outside && width > inside && width <= across)
        svg_text(doc, rightward ? box->x0 - 4 : box->x0 + 4, baseline,
                 rightward ? "end" : "start", size, across, " fill=\"" CHART_INK "\"", bar->note);
    else if (width <= outside || outside >= inside)
        svg_text(doc, rightward ? end + 4 : end - 4, baseline, rightward ? "start" : "end", size,
                 outside, " fill=\"" CHART_INK "\"", bar->note);
    else
        svg_text(doc, rightward ? inner_end - 4 : inner_end + 4, baseline,
                 rightward ? "end" : "start", size, inside,
                 chart_is_light(colour) ? " fill=\"#000000\"" : " fill=\"#ffffff\"", bar->note);
}

char *fmc_chart_bars(const fmc_bar_chart *chart)
{
    double width = chart->size.width > 0 ? chart->size.width : CHART_DEFAULT_WIDTH;
    chart_legend_item *legend = calloc(chart->series_count + 1, sizeof *legend);
    if (legend == NULL)
        return NULL;
    for (size_t s = 0; s < chart->series_count; s++)
        legend[s] = (chart_legend_item){chart->series ? chart->series[s] : NULL,
                                        chart_category_colour(s), LEGEND_BOX};
    double legend_height = chart_legend(NULL, legend, chart->series_count, CHART_PAD, 0,
                                        width - 2 * CHART_PAD);
    int referenced = isfinite(chart->reference);
    /* Above the plot: the reference line's label, or a little air. */
    double reference_room = referenced && chart->reference_label ? REFERENCE_ROOM : 6;
    double title_room = 1.2 * CHART_LABEL_SIZE + 4;
    double height = chart->size.height;
    if (!(height > 0))
        height = 2 * CHART_PAD + CHART_TITLE_SIZE + legend_height + reference_room +
                 (double)(chart->row_count > 3 ? chart->row_count : 3) * ROW_HEIGHT +
                 CHART_PAD + (chart->text.x_label ? title_room : 0) + 1.2 * CHART_FONT_SIZE +
                 CHART_TICK_GAP;

    svg_doc doc;
    double top = svg_begin(&doc, width, height, &chart->text);
    top += chart_legend(&doc, legend, chart->series_count, CHART_PAD, top, width - 2 * CHART_PAD);
    free(legend);
    top += reference_room;

    double low = NAN, high = NAN;
    chart_range_add(&low, &high, chart->reference);
    for (size_t i = 0; i < chart->bar_count; i++) {
        const fmc_chart_bar *bar = &chart->bars[i];
        chart_range_add(&low, &high, bar->from);
        chart_range_add(&low, &high, bar->to);
        chart_range_add(&low, &high, bar->low);
        chart_range_add(&low, &high, bar->high);
    }
    chart_axis axis;
    chart_axis_init(&axis, low, high, 6, 1, 0);
    double label_width = 0;
    for (size_t r = 0; chart->rows && r < chart->row_count; r++)
        label_width = fmax(label_width, fmc_chart_text_width(chart->rows[r], CHART_FONT_SIZE));
    label_width = fmin(label_width, 0.4 * width);
    chart_plot plot;
    chart_plot_frame(&doc, &chart->text, top, label_width,
                     fmax(4, chart_axis_label_width(&axis) / 2), &plot);
    axis.from = plot.left;
    axis.to = plot.right;
    chart_axis_draw_x(&doc, &axis, plot.top, plot.bottom);
    if (chart->row_count == 0 || chart->bar_count == 0)
        svg_no_data(&doc, plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);

    double row_height =
        (plot.bottom - plot.top) / (double)(chart->row_count ? chart->row_count : 1);
    double size = fmin(CHART_FONT_SIZE, row_height * 0.85);
    for (size_t r = 0; chart->rows && r < chart->row_count; r++)
        svg_text(&doc, plot.left - 6, plot.top + ((double)r + 0.5) * row_height + 0.35 * size,
                 "end", size, plot.left_room, " fill=\"" CHART_INK "\"", chart->rows[r]);
    for (size_t i = 0; i < chart->bar_count; i++) {
        const fmc_chart_bar *bar = &chart->bars[i];
        if (bar->row >= chart->row_count || !isfinite(bar->from) || !isfinite(bar->to))
            continue;
        bar_box box = bar_place(chart, bar, &axis, &plot, row_height);
        const char *colour = chart_category_colour(bar->series);
        svg_put(&doc, "<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"%s\"/>\n",
                fmin(box.x0, box.x1), box.y - box.thickness / 2, fabs(box.x1 - box.x0),
                box.thickness, colour);
        draw_error_bar(&doc, bar, &axis, &box);
        draw_note(&doc, bar, &axis, &box, &plot, colour, fmin(size, box.thickness + 3));
    }
    if (referenced) {
        double x = chart_axis_pixel(&axis, chart->reference);
        svg_put(&doc, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"" CHART_INK "\" "
                      "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n", x, plot.top - 4, x,
                plot.bottom);
        svg_text(&doc, x, plot.top - 7, "middle", CHART_FONT_SIZE, width - 2 * CHART_PAD,
                 " fill=\"" CHART_INK "\"", chart->reference_label);
    }
    return svg_finish(&doc);
}
