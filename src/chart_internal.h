/* The pieces the chart kinds share: the growing SVG text (chart_svg.c),
 * numeric axes, legends and colour scales (chart_axes.c).  Each kind
 * (chart_histogram.c, chart_bars.c, chart_lines.c, chart_heatmap.c) lays
 * out its plot area with these and draws into it. */
#ifndef FUNNELMC_CHART_INTERNAL_H
#define FUNNELMC_CHART_INTERNAL_H

#include <stddef.h>
#include "funnelmc/chart.h"

#define CHART_DEFAULT_WIDTH 640.0
#define CHART_DEFAULT_HEIGHT 360.0
#define CHART_FONT_SIZE 12.0       /* tick labels, legends, notes */
#define CHART_LABEL_SIZE 13.0      /* axis titles */
#define CHART_TITLE_SIZE 15.0
#define CHART_PAD 8.0              /* between the box's edge and any text */
#define CHART_INK "#222222"
#define CHART_GRID "#e3e3e3"
#define CHART_LOSS "#D55E00"       /* Okabe-Ito vermillion */
#define CHART_UNDEFINED "#d9d9d9"
/* Between a plot's bottom and the top of its x tick labels: clear of the
 * lowest y tick label, centred on the bottom. */
#define CHART_TICK_GAP 8.0

/* An SVG document growing in memory.  A failed allocation sets FAILED and
 * every later call does nothing; svg_finish then returns NULL. */
typedef struct svg_doc {
    char *text;
    size_t length, capacity;
    int failed;
    double width, height;
} svg_doc;

/* Appends FORMAT with its arguments: %f a coordinate (a double, at most
 * two decimals, no trailing zeros), %t text escaped for XML (const char
 * *), %s a string as it is, %d an int, %z a size_t, %@ the chart's id
 * (unique to the document's content: several charts share one page). */
void svg_put(svg_doc *doc, const char *format, ...);

/* Opens the document: the <svg> element, <title>, <desc>, a white
 * background and the drawn title.  Returns the y below the title. */
double svg_begin(svg_doc *doc, double width, double height, const fmc_chart_text *text);
/* Closes the document and returns its text (the caller frees it), or
 * NULL when memory ran out. */
char *svg_finish(svg_doc *doc);

/* Writes TEXT at (X, Y) anchored ANCHOR ("start", "middle", "end"), at
 * SIZE, shortened with an ellipsis to MAX_WIDTH (its full text then in a
 * <title>) and moved as little as needed to stay inside the box.
 * ATTRIBUTES are added as they are (e.g. " fill=\"#fff\"").  Returns the
 * width drawn. */
double svg_text(svg_doc *doc, double x, double y, const char *anchor, double size,
                double max_width, const char *attributes, const char *text);
/* Writes TEXT turned a quarter left (a y axis's title), its left edge at
 * X (it takes 1.2 SIZE), centred on Y_CENTRE, shortened to MAX_HEIGHT. */
void svg_text_vertical(svg_doc *doc, double x, double y_centre, double size, double max_height,
                       const char *text);
/* Writes "no data" in the middle of the area. */
void svg_no_data(svg_doc *doc, double x, double y, double width, double height);

/* A numeric axis: values LOW to HIGH drawn from pixel FROM to pixel TO,
 * with its ticks (log2: at powers of two) and their label format. */
typedef struct chart_axis {
    double low, high, from, to;
    int log2;
    double first, step;
    int count;
    double divisor;   /* labels are value / divisor followed by SUFFIX */
    const char *suffix;
    int decimals;
    double label_room;   /* a longer tick label is shortened to it */
} chart_axis;

/* LOW..HIGH (NaN ends: 0..1) with about TARGET ticks; NICE_ENDS widens
 * the range to round ends.  Pixels are set by the caller (FROM, TO). */
void chart_axis_init(chart_axis *axis, double low, double high, int target, int nice_ends,
                     int log2);
double chart_axis_pixel(const chart_axis *axis, double value);
double chart_axis_tick(const chart_axis *axis, int i);
/* The label of tick I, in OUT of SIZE bytes. */
void chart_axis_label(const chart_axis *axis, int i, char *out, size_t size);
/* The widest tick label, in pixels at CHART_FONT_SIZE, at most
 * CHART_TICK_ROOM (a longer label, of a number near DBL_MAX, is
 * shortened to it). */
#define CHART_TICK_ROOM 80.0
double chart_axis_label_width(const chart_axis *axis);
/* A horizontal axis under a plot from Y_TOP to Y_BOTTOM: grid lines, the
 * zero line, tick labels under Y_BOTTOM. */
void chart_axis_draw_x(svg_doc *doc, const chart_axis *axis, double y_top, double y_bottom);
/* A vertical axis beside a plot from X_LEFT to X_RIGHT, labels left of
 * X_LEFT. */
void chart_axis_draw_y(svg_doc *doc, const chart_axis *axis, double x_left, double x_right);

/* The plot area of a chart: its box in pixels, and the room left of it
 * for the y axis's tick labels or the rows' labels. */
typedef struct chart_plot {
    double left, right, top, bottom;
    double left_room;
} chart_plot;
/* Lays out the plot under TOP, leaving up to LEFT_ROOM for the y axis's
 * tick labels (or rows' labels: less when the chart is too narrow for it
 * and a plot CHART_MIN_PLOT wide), RIGHT_ROOM for a colour bar, the axis
 * titles of TEXT and a row of tick labels under it; draws the axis
 * titles. */
#define CHART_MIN_PLOT 40.0
void chart_plot_frame(svg_doc *doc, const fmc_chart_text *text, double top, double left_room,
                      double right_room, chart_plot *plot);

/* A plot of two numeric axes: chart_xy_frame lays it out under TOP (as
 * chart_plot_frame) and places X_AXIS along it; chart_xy_draw places
 * Y_AXIS from the plot's bottom to its top (which may have moved down
 * since) and draws both axes. */
void chart_xy_frame(svg_doc *doc, const fmc_chart_text *text, double top, chart_axis *x_axis,
                    chart_axis *y_axis, chart_plot *plot);
void chart_xy_draw(svg_doc *doc, chart_axis *x_axis, chart_axis *y_axis, const chart_plot *plot);

/* Widens *LOW, *HIGH to take in VALUE (NaN and infinities ignored). */
void chart_range_add(double *low, double *high, double value);

/* A legend entry: a swatch of COLOUR in STYLE and its LABEL. */
typedef enum { LEGEND_BOX, LEGEND_LINE, LEGEND_DASHED, LEGEND_HATCH } chart_legend_style;
typedef struct chart_legend_item {
    const char *label;
    const char *colour;
    chart_legend_style style;
} chart_legend_item;
/* Lays the ITEMS out in rows from (X, Y) within MAX_WIDTH, drawing them
 * when DOC is not NULL; returns the height taken (0 for no items). */
double chart_legend(svg_doc *doc, const chart_legend_item *items, size_t count, double x,
                    double y, double max_width);
/* Defines the hatch pattern of undefined cells (id "%@-hatch"). */
void chart_hatch_pattern(svg_doc *doc);

/* Okabe and Ito's colour I (cycling through the eight). */
const char *chart_category_colour(size_t i);
/* A colour as "#rrggbb" in OUT[8]: the diverging scale at T in [-1, 1]
 * (orange below 0, white at 0, blue above), the sequential one at T in
 * [0, 1] (dark blue to yellow, after cividis), or COLOUR ("#rrggbb")
 * mixed toward the undefined grey by 1 - STRENGTH. */
void chart_diverging_colour(double t, char out[8]);
void chart_sequential_colour(double t, char out[8]);
void chart_faded_colour(const char *colour, double strength, char out[8]);
/* Whether black text reads better than white on COLOUR. */
int chart_is_light(const char *colour);

#endif
