/* The heat map: cells coloured by value (a diverging scale centred at 0
 * or a sequential one) with a colour bar at the right, or by category
 * faded toward grey by how sure (a legend of the categories at the top, a
 * ramp of the saturation at the right); undefined cells hatched grey.
 * Row and column labels are thinned to every k-th when the cells are too
 * small for all of them. */
#include <math.h>
#include <stdlib.h>
#include "chart_internal.h"

#define SCALE_WIDTH 14.0
#define SCALE_GAP 12.0

/* How a value maps to a colour: a scale over [LOW, HIGH], or for a
 * categorical map the strength ramp of COLOUR over [0, 1]. */
typedef struct colour_scale {
    double low, high;
    int diverging;
    const char *colour;   /* not NULL: a strength ramp */
} colour_scale;

static void scale_colour(const colour_scale *scale, double value, char out[8])
{
    if (scale->colour)
        chart_faded_colour(scale->colour, value, out);
    else if (scale->diverging)
        chart_diverging_colour(value / scale->high, out);
    else
        chart_sequential_colour(scale->high > scale->low
                                    ? (value - scale->low) / (scale->high - scale->low)
                                    : 0.5, out);
}

static int cell_undefined(const fmc_heatmap_chart *chart, size_t i)
{
    if (chart->category)
        return chart->category[i] < 0 || (size_t)chart->category[i] >= chart->category_count;
    return chart->values == NULL || !isfinite(chart->values[i]);
}

static void cell_colour(const fmc_heatmap_chart *chart, const colour_scale *scale, size_t i,
                        char out[8])
{
    if (chart->category)
        chart_faded_colour(chart_category_colour((size_t)chart->category[i]),
                           chart->strength ? chart->strength[i] : 1, out);
    else
        scale_colour(scale, chart->values[i], out);
}

/* The scale's bar at X from TOP to BOTTOM: a gradient, round ticks to its
 * right and TITLE turned beside them. */
static void draw_scale(svg_doc *doc, const colour_scale *scale, const chart_axis *axis, double x,
                       double top, double bottom, const char *title)
{
    svg_put(doc, "<defs><linearGradient id=\"%@-scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
    for (int i = 0; i <= 10; i++) {
        char colour[8];
        scale_colour(scale, scale->low + (scale->high - scale->low) * i / 10, colour);
        svg_put(doc, "<stop offset=\"%f\" stop-color=\"%s\"/>", i / 10.0, colour);
    }
    svg_put(doc, "</linearGradient></defs>\n<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" "
                 "fill=\"url(#%@-scale)\" stroke=\"#999999\"/>\n",
            x, top, SCALE_WIDTH, bottom - top);
    char label[64];
    double label_width = axis->label_room;
    for (int i = 0; i < axis->count; i++) {
        double y = chart_axis_pixel(axis, chart_axis_tick(axis, i));
        svg_put(doc, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"" CHART_INK "\"/>\n",
                x + SCALE_WIDTH, y, x + SCALE_WIDTH + 3, y);
        chart_axis_label(axis, i, label, sizeof label);
        svg_text(doc, x + SCALE_WIDTH + 5, y + 0.35 * CHART_FONT_SIZE, "start", CHART_FONT_SIZE,
                 label_width + 1, " fill=\"" CHART_INK "\"", label);
    }
    svg_text_vertical(doc, x + SCALE_WIDTH + 9 + label_width, (top + bottom) / 2,
                      CHART_LABEL_SIZE, bottom - top + 40, title);
}

/* Labels every STRIDE-th so that labels NEED apart fit cells SPACING apart. */
static size_t stride_for(double spacing, double need)
{
    size_t stride = 1;
    while (stride < 100000 && (double)stride * spacing < need)
        stride++;
    return stride;
}

static void draw_labels(svg_doc *doc, const fmc_heatmap_chart *chart, const chart_plot *plot,
                        double row_label_width)
{
    double cell_width = (plot->right - plot->left) / (double)chart->columns;
    double cell_height = (plot->bottom - plot->top) / (double)chart->rows;
    size_t row_stride = stride_for(cell_height, CHART_FONT_SIZE + 1);
    for (size_t r = 0; chart->row_labels && r < chart->rows; r += row_stride)
        svg_text(doc, plot->left - 6, plot->top + ((double)r + 0.5) * cell_height +
                 0.35 * CHART_FONT_SIZE, "end", CHART_FONT_SIZE, row_label_width,
                 " fill=\"" CHART_INK "\"", chart->row_labels[r]);
    double widest = 0;
    for (size_t c = 0; chart->column_labels && c < chart->columns; c++)
        widest = fmax(widest, fmc_chart_text_width(chart->column_labels[c], CHART_FONT_SIZE));
    size_t column_stride = stride_for(cell_width, fmin(widest + 6, 80));
    for (size_t c = 0; chart->column_labels && c < chart->columns; c += column_stride)
        svg_text(doc, plot->left + ((double)c + 0.5) * cell_width,
                 plot->bottom + 4 + 0.93 * CHART_FONT_SIZE, "middle", CHART_FONT_SIZE,
                 (double)column_stride * cell_width - 4, " fill=\"" CHART_INK "\"",
                 chart->column_labels[c]);
}

static void draw_cells(svg_doc *doc, const fmc_heatmap_chart *chart, const colour_scale *scale,
                       const chart_plot *plot)
{
    double cell_width = (plot->right - plot->left) / (double)chart->columns;
    double cell_height = (plot->bottom - plot->top) / (double)chart->rows;
    /* Crisp edges: no antialiased seams of background between cells. */
    svg_put(doc, "<g shape-rendering=\"crispEdges\">\n");
    for (size_t r = 0; r < chart->rows; r++)
        for (size_t c = 0; c < chart->columns; c++) {
            size_t i = r * chart->columns + c;
            double x = plot->left + (double)c * cell_width, y = plot->top + (double)r * cell_height;
            char colour[8] = "#ffffff";
            svg_put(doc, "<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"", x, y,
                    cell_width, cell_height);
            if (cell_undefined(chart, i)) {
                svg_put(doc, "url(#%@-hatch)\"/>\n");
                continue;
            }
            cell_colour(chart, scale, i, colour);
            svg_put(doc, "%s\"/>\n", colour);
            const char *text = chart->cell_text ? chart->cell_text[i] : NULL;
            if (text && fmc_chart_text_width(text, CHART_FONT_SIZE) <= cell_width - 4 &&
                cell_height >= CHART_FONT_SIZE + 2)
                svg_text(doc, x + cell_width / 2, y + cell_height / 2 + 0.35 * CHART_FONT_SIZE,
                         "middle", CHART_FONT_SIZE, cell_width - 4,
                         chart_is_light(colour) ? " fill=\"#000000\"" : " fill=\"#ffffff\"",
                         text);
        }
    svg_put(doc, "</g>\n");
}

char *fmc_chart_heatmap(const fmc_heatmap_chart *chart)
{
    svg_doc doc;
    double width = chart->size.width > 0 ? chart->size.width : CHART_DEFAULT_WIDTH;
    double height = chart->size.height > 0 ? chart->size.height : CHART_DEFAULT_HEIGHT;
    double top = svg_begin(&doc, width, height, &chart->text);
    size_t cells = chart->rows * chart->columns;
    int usable = cells > 0 && (chart->values || chart->category);
    chart_hatch_pattern(&doc);

    colour_scale scale = {0, 1, chart->diverging, NULL};
    double low = NAN, high = NAN;
    size_t undefined = 0;
    for (size_t i = 0; usable && i < cells; i++) {
        undefined += cell_undefined(chart, i);
        if (!chart->category)
            chart_range_add(&low, &high, chart->values[i]);
    }
    const char *scale_title = chart->value_label;
    if (chart->category) {
        scale.colour = chart_category_colour(0);
        scale_title = chart->strength_label;
    } else if (chart->diverging) {
        double m = fmax(fabs(isfinite(chart->min) ? chart->min : low),
                        fabs(isfinite(chart->max) ? chart->max : high));
        scale.low = -(isfinite(m) && m > 0 ? m : 1);
        scale.high = -scale.low;
    } else {
        scale.low = isfinite(chart->min) ? chart->min : isfinite(low) ? low : 0;
        scale.high = isfinite(chart->max) ? chart->max : isfinite(high) ? high : 1;
    }
    int has_scale = usable && (!chart->category || chart->strength);
    chart_axis scale_axis;
    chart_axis_init(&scale_axis, scale.low, scale.high, 5, 0, 0);
    /* Ticks inside the bar (no nice ends); a scale of zero width widened. */
    scale.low = scale_axis.low;
    scale.high = scale_axis.high;
    /* The scale takes at most 40 % of the width, its labels shortened. */
    double scale_fixed =
        SCALE_GAP + SCALE_WIDTH + 5 + (scale_title ? 1.2 * CHART_LABEL_SIZE + 6 : 0);
    scale_axis.label_room = fmin(chart_axis_label_width(&scale_axis),
                                 fmax(0, 0.4 * width - scale_fixed));
    double right_room = has_scale ? scale_fixed + scale_axis.label_room : 4;

    size_t legend_count = (chart->category ? chart->category_count : 0) + (undefined > 0);
    chart_legend_item *legend = calloc(legend_count + 1, sizeof *legend);
    if (legend == NULL) {
        free(doc.text);
        return NULL;
    }
    for (size_t k = 0; chart->category && k < chart->category_count; k++)
        legend[k] = (chart_legend_item){chart->category_names ? chart->category_names[k] : NULL,
                                        chart_category_colour(k),
                                        LEGEND_BOX};
    if (undefined)
        legend[legend_count - 1] = (chart_legend_item){"undefined", CHART_UNDEFINED, LEGEND_HATCH};
    top += chart_legend(&doc, legend, usable ? legend_count : 0, CHART_PAD, top,
                        width - 2 * CHART_PAD) + 4;
    free(legend);

    double row_label_width = 0;
    for (size_t r = 0; chart->row_labels && r < chart->rows; r++)
        row_label_width = fmax(row_label_width,
                               fmc_chart_text_width(chart->row_labels[r], CHART_FONT_SIZE));
    row_label_width = fmin(row_label_width, 0.3 * width);
    chart_plot plot;
    chart_plot_frame(&doc, &chart->text, top, row_label_width, right_room, &plot);
    if (!usable) {
        svg_no_data(&doc, plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
        return svg_finish(&doc);
    }
    draw_cells(&doc, chart, &scale, &plot);
    draw_labels(&doc, chart, &plot, plot.left_room);
    if (has_scale) {
        scale_axis.from = plot.bottom;
        scale_axis.to = plot.top;
        draw_scale(&doc, &scale, &scale_axis, plot.right + SCALE_GAP, plot.top, plot.bottom,
                   scale_title);
    }
    return svg_finish(&doc);
}
