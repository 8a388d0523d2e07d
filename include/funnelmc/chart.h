/* Charts as SVG: the few kinds a report of funnelmc draws, each from plain
 * arrays, each one self-contained <svg> document (xmlns set, inline styles,
 * no script, no external reference) that a browser shows inline in HTML
 * and librsvg renders to PNG or PDF.
 *
 * Every chart has a title (drawn, and as <title>), a description for
 * screen readers (<desc>), axis labels with units, and ticks at round
 * values (1, 2 or 5 times a power of ten; Heckbert, "Nice numbers for graph
 * labels", Graphics Gems, 1990).  Colours are colour-blind safe: Okabe and
 * Ito's eight for categories, a blue-to-orange diverging scale centred at 0
 * for money and a sequential one (cividis-like) for shares.  Text is kept
 * inside the chart's box: labels are measured with the widths of DejaVu
 * Sans (the font the SVG names first), and a label too long for its room
 * is shortened with an ellipsis, its full text kept in a <title>.
 *
 * Every function returns the SVG as a NUL-terminated malloc'd string (free
 * it), or NULL when memory runs out.  Sizes are in CSS pixels; the SVG has
 * a viewBox, so it scales to its container (width 100% in the report).
 * NaN in a value means "none": the bar, point or cell is not drawn (a heat
 * map's cell is drawn hatched grey, "undefined"). */
#ifndef FUNNELMC_CHART_H
#define FUNNELMC_CHART_H

#include <stddef.h>

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* The words of a chart. */
typedef struct fmc_chart_text {
    const char *title;    /* e.g. "Profit per month" */
    const char *desc;     /* one or two sentences saying what it shows */
    const char *x_label;  /* with its unit: "profit (USD per month)"; NULL: none */
    const char *y_label;
} fmc_chart_text;

typedef struct fmc_chart_size {
    double width, height;  /* 0: the default, 640 x 360 */
} fmc_chart_size;

/* A value marked on an axis, with its interval (NaN: none): a vertical
 * line over a histogram, labelled (e.g. "mean", "P5"); the first marker's
 * line is solid, the others' dashed. */
typedef struct fmc_chart_marker {
    const char *label;
    double value, low, high;
} fmc_chart_marker;

/* A histogram from bins: BINS bars between EDGES[0 .. BINS] (increasing)
 * of heights HEIGHTS[BINS] (counts or densities, as Y_LABEL says); the
 * part of the bars below SHADE_BELOW is drawn in the loss colour (NaN:
 * nothing shaded), with SHADE_LABEL in the legend ("loss: 12% of
 * outcomes").  Also a bar chart of counts over whole numbers (a payback
 * period's distribution): edges at k - 0.5. */
typedef struct fmc_histogram_chart {
    fmc_chart_text text;
    fmc_chart_size size;
    size_t bins;
    const double *edges, *heights;
    double shade_below;
    const char *shade_label;
    size_t marker_count;
    const fmc_chart_marker *markers;
} fmc_histogram_chart;
char *fmc_chart_histogram(const fmc_histogram_chart *chart);

/* Horizontal bars, one row per label, top to bottom in the order given.
 * A bar spans FROM to TO on the value axis (a tornado's input at its low
 * end: from the base to the profit there; an index: from 0 to it), in the
 * colour of its SERIES, with an interval LOW-HIGH drawn as an error bar
 * (NaN: none) and NOTE written past its end (NULL: none).  With GROUPED,
 * a row's bars of different series stand side by side in it (first- and
 * total-order indices); else they overlap (the two halves of a tornado
 * bar).  REFERENCE draws a vertical line (the base case's profit, 0; NaN:
 * none) labelled REFERENCE_LABEL.  A legend names the series. */
typedef struct fmc_chart_bar {
    size_t row;
    size_t series;
    double from, to;
    double low, high;
    const char *note;
} fmc_chart_bar;
typedef struct fmc_bar_chart {
    fmc_chart_text text;   /* x_label: the value axis; y_label: the rows' */
    fmc_chart_size size;   /* height 0: grows with the rows */
    size_t row_count;
    const char *const *rows;
    size_t series_count;
    const char *const *series;
    size_t bar_count;
    const fmc_chart_bar *bars;
    int grouped;
    double reference;
    const char *reference_label;
} fmc_bar_chart;
char *fmc_chart_bars(const fmc_bar_chart *chart);

/* Lines over a numeric x axis: each series its COUNT points X, Y (NaN y:
 * a gap), in its own colour and dash, with up to two shaded bands around
 * it (INNER: e.g. P25-P75 or the interval of a mean; OUTER, lighter:
 * P5-P95; NULL: none).  REFERENCE draws a horizontal line (0: the loss
 * line; NaN: none).  A legend names the series; with LOG_X the x axis is
 * logarithmic (threads 1, 2, 4, ...). */
typedef struct fmc_chart_series {
    const char *name;
    size_t count;
    const double *x, *y;
    const double *inner_low, *inner_high;
    const double *outer_low, *outer_high;
    int dashed;   /* e.g. the ideal speedup */
    int points;   /* draw a dot at each point */
} fmc_chart_series;
typedef struct fmc_line_chart {
    fmc_chart_text text;
    fmc_chart_size size;
    size_t series_count;
    const fmc_chart_series *series;
    double reference;
    int log_x;
} fmc_line_chart;
char *fmc_chart_lines(const fmc_line_chart *chart);

/* A heat map of ROWS x COLUMNS cells, row 0 at the top, with tick labels
 * along both axes (x_label under the columns, y_label beside the rows).
 * Either VALUES[ROWS][COLUMNS] on a colour scale with a colour bar titled
 * VALUE_LABEL (DIVERGING: centred at 0, profit's sign at a glance; else
 * sequential from MIN to MAX, both NaN: the values' range); or, with
 * CATEGORY not NULL, each cell in the colour of CATEGORY[i] (an index into
 * CATEGORY_NAMES, -1: none) at the saturation STRENGTH[i] in [0, 1] (how
 * sure: 1 full colour, 0 grey; NULL: full), with a legend of the
 * categories and of the saturation (STRENGTH_LABEL).  CELL_TEXT[i], when
 * not NULL, is written in the cell if it fits (e.g. "0.93"), in black or
 * white to contrast. */
typedef struct fmc_heatmap_chart {
    fmc_chart_text text;
    fmc_chart_size size;
    size_t rows, columns;
    const char *const *row_labels, *const *column_labels;
    const double *values;
    const char *value_label;
    int diverging;
    double min, max;
    const int *category;
    size_t category_count;
    const char *const *category_names;
    const double *strength;
    const char *strength_label;
    const char *const *cell_text;
} fmc_heatmap_chart;
char *fmc_chart_heatmap(const fmc_heatmap_chart *chart);

/* Round tick values for the range LOW to HIGH, about TARGET of them:
 * *COUNT ticks from *FIRST by *STEP (1, 2 or 5 times a power of ten), the
 * first >= LOW and the last <= HIGH; both ends widened to the nearest
 * tick first when NICE_ENDS (then LOW and HIGH are updated).  For a range
 * of zero width, a range around the value. */
void fmc_chart_ticks(double *low, double *high, int target, int nice_ends, double *first,
                     double *step, int *count);

/* The width in pixels of TEXT (UTF-8) in DejaVu Sans at SIZE pixels. */
double fmc_chart_text_width(const char *text, double size);

#pragma GCC visibility pop

#endif
