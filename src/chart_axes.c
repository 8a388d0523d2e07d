/* Axes, legends and colours of the charts.
 *
 * Ticks follow Heckbert's "Nice numbers for graph labels" (Graphics Gems,
 * 1990): the range's share per tick rounded to 1, 2 or 5 times a power
 * of ten.  Labels get the decimals the step needs, no more (0.3, never
 * 0.30000000000000004), and large values a suffix (12k, 1.5M, 2B) chosen
 * once per axis from its largest tick, so an axis reads one way
 * throughout.
 *
 * Colours: Okabe and Ito's eight for categories ("Color universal design",
 * 2008); a diverging orange-white-blue scale (the orange half of
 * ColorBrewer's PuOr, the blue half of its RdBu: orange against blue
 * stays apart under every common colour-vision deficiency) and a
 * sequential one through cividis's colours at 0, 1/4, 1/2, 3/4 and 1,
 * rounded (Nuñez, Anderton and Renslow, 2018), both interpolated linearly
 * in sRGB between their anchors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chart_internal.h"

/* Heckbert's nicenum: a nice number near X, rounded (ROUND) or not below
 * it; 10^k is built by division for k < 0, so 0.1 and 0.2 come out as
 * the doubles nearest them. */
static double nice_number(double x, int round)
{
    double exponent = floor(log10(x));
    double power = exponent < 0 ? 1 / pow(10, -exponent) : pow(10, exponent);
    double fraction = x / power;
    double nice = round ? (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10)
                        : (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
    if (nice == 10) {
        nice = 1;
        exponent += 1;
    }
    return exponent < 0 ? nice / pow(10, -exponent) : nice * pow(10, exponent);
}

void fmc_chart_ticks(double *low, double *high, int target, int nice_ends, double *first,
                     double *step, int *count)
{
    double lo = *low, hi = *high;
    if (!isfinite(lo) && !isfinite(hi)) {
        lo = 0;
        hi = 1;
    } else if (!isfinite(lo)) {
        lo = hi;
    } else if (!isfinite(hi)) {
        hi = lo;
    }
    if (lo > hi) {
        double swap = lo;
        lo = hi;
        hi = swap;
    }
    if (hi - lo <= fabs(hi) * 1e-12) {
        double half = lo == 0 || fabs(lo) * 0.1 == 0 ? 1 : fabs(lo) * 0.1;
        lo -= half;
        hi += half;
    }
    if (target < 2)
        target = 2;
    /* Heckbert rounds the range before dividing it; dividing the range
     * itself gives more ticks on a range just past a nice number (1 to 24:
     * 5, 10, 15, 20 where his gives 10, 20).  In halves, so that a span
     * from -DBL_MAX to DBL_MAX stays finite. */
    double s = nice_number((hi / 2 - lo / 2) / (target - 1) * 2, 1);
    /* The tolerance keeps a tick that float division puts a hair outside
     * (0.3 / 0.1 = 2.9999999999999996). */
    double k_first = nice_ends ? floor(lo / s + 1e-9) : ceil(lo / s - 1e-9);
    double k_last = nice_ends ? ceil(hi / s - 1e-9) : floor(hi / s + 1e-9);
    /* Inside the range, a coarse step may leave one tick: a finer one
     * (5, 2, 1, 0.5, ...) until there are two. */
    for (int finer = 0; finer < 8 && k_last - k_first < 1; finer++) {
        s = nice_number(s / 2, 1);
        k_first = ceil(lo / s - 1e-9);
        k_last = floor(hi / s + 1e-9);
    }
    if (nice_ends) {
        lo = k_first * s;
        hi = k_last * s;
    }
    *low = lo;
    *high = hi;
    *first = k_first * s + 0.0;   /* + 0.0: never -0 */
    *step = s;
    /* No ticks rather than a count past int (a range past DBL_MAX). */
    *count = k_last >= k_first && k_last - k_first < 1e6 ? (int)(k_last - k_first) + 1 : 0;
}

void chart_range_add(double *low, double *high, double value)
{
    if (!isfinite(value))
        return;
    if (!(*low <= value))
        *low = value;
    if (!(*high >= value))
        *high = value;
}

void chart_axis_init(chart_axis *axis, double low, double high, int target, int nice_ends,
                     int log2_scale)
{
    memset(axis, 0, sizeof *axis);
    axis->divisor = 1;
    axis->suffix = "";
    axis->label_room = CHART_TICK_ROOM;
    axis->log2 = log2_scale;
    if (log2_scale) {
        /* Ticks at powers of two (threads 1, 2, 4, ...), every STEP-th. */
        if (!(low > 0 && isfinite(low)))
            low = high > 0 && isfinite(high) ? high / 2 : 1;
        if (!(high > 0 && isfinite(high)) || high < low)
            high = low;
        double e_low = log2(low), e_high = log2(high);
        if (nice_ends) {
            e_low = floor(e_low + 1e-9);
            e_high = ceil(e_high - 1e-9);
        }
        if (e_high - e_low < 1e-9) {
            e_low -= 1;
            e_high += 1;
        }
        axis->low = exp2(e_low);
        axis->high = exp2(e_high);
        axis->step = fmax(1, ceil((e_high - e_low) / (target > 1 ? target : 2)));
        axis->first = ceil(e_low - 1e-9);
        axis->count = (int)floor((e_high + 1e-9 - axis->first) / axis->step) + 1;
        return;
    }
    fmc_chart_ticks(&low, &high, target, nice_ends, &axis->first, &axis->step, &axis->count);
    axis->low = low;
    axis->high = high;
    double largest = fmax(fabs(axis->first), fabs(chart_axis_tick(axis, axis->count - 1)));
    static const struct { double threshold, divisor; const char *suffix; } units[] = {
        {1e9, 1e9, "B"}, {1e6, 1e6, "M"}, {1e4, 1e3, "k"}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (largest >= units[i].threshold) {
            axis->divisor = units[i].divisor;
            axis->suffix = units[i].suffix;
            break;
        }
    double scaled_step = axis->step / axis->divisor;
    axis->decimals = scaled_step >= 1 ? 0 : (int)ceil(-log10(scaled_step) - 1e-9);
}

double chart_axis_tick(const chart_axis *axis, int i)
{
    if (axis->log2)
        return exp2(axis->first + i * axis->step);
    return axis->first + i * axis->step;
}

double chart_axis_pixel(const chart_axis *axis, double value)
{
    double t = axis->log2 ? (log2(value) - log2(axis->low)) / (log2(axis->high) - log2(axis->low))
                          : (value - axis->low) / (axis->high - axis->low);
    return axis->from + t * (axis->to - axis->from);
}

void chart_axis_label(const chart_axis *axis, int i, char *out, size_t size)
{
    double value = chart_axis_tick(axis, i);
    /* Zero is zero in any unit ("0", not "0k"). */
    if (fabs(value) < 1e-9 * axis->step) {
        snprintf(out, size, "0");
        return;
    }
    if (axis->log2) {
        snprintf(out, size, value >= 1 ? "%.0f" : "%g", value);
        return;
    }
    snprintf(out, size, "%.*f%s", axis->decimals, value / axis->divisor, axis->suffix);
}

double chart_axis_label_width(const chart_axis *axis)
{
    double widest = 0;
    char label[64];
    for (int i = 0; i < axis->count; i++) {
        chart_axis_label(axis, i, label, sizeof label);
        widest = fmax(widest, fmc_chart_text_width(label, CHART_FONT_SIZE));
    }
    return fmin(widest, CHART_TICK_ROOM);
}

/* Every STRIDE-th tick of AXIS is labelled, so that labels NEED wide (or
 * high) do not overlap. */
static int label_stride(const chart_axis *axis, double need)
{
    double spacing = axis->count > 1 ? chart_axis_pixel(axis, chart_axis_tick(axis, 1)) -
                                           chart_axis_pixel(axis, chart_axis_tick(axis, 0))
                                     : 1e9;
    int stride = 1;
    while (stride < 1000 && stride * fabs(spacing) < need)
        stride++;
    return stride;
}

/* A line across the plot at AT on AXIS (vertical for a horizontal axis),
 * from FROM to TO on the other. */
static void put_cross_line(svg_doc *doc, int horizontal, double at, double from, double to,
                           const char *colour)
{
    if (horizontal)
        svg_put(doc, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"%s\"/>\n", at, from,
                at, to, colour);
    else
        svg_put(doc, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"%s\"/>\n", from, at,
                to, at, colour);
}

/* Grid lines from FROM to TO across the plot, the zero line, the axis
 * line at TO (horizontal: the bottom) or FROM (vertical: the left) and
 * the tick labels beyond it. */
static void draw_axis(svg_doc *doc, const chart_axis *axis, double from, double to,
                      int horizontal)
{
    char label[64];
    int stride = label_stride(axis, horizontal ? chart_axis_label_width(axis) + 8
                                               : CHART_FONT_SIZE + 2);
    for (int i = 0; i < axis->count; i++) {
        double at = chart_axis_pixel(axis, chart_axis_tick(axis, i));
        put_cross_line(doc, horizontal, at, from, to, CHART_GRID);
        if (i % stride)
            continue;
        chart_axis_label(axis, i, label, sizeof label);
        if (horizontal)
            svg_text(doc, at, to + CHART_TICK_GAP + 0.93 * CHART_FONT_SIZE, "middle",
                     CHART_FONT_SIZE, axis->label_room, " fill=\"" CHART_INK "\"", label);
        else
            svg_text(doc, from - 5, at + 0.35 * CHART_FONT_SIZE, "end", CHART_FONT_SIZE,
                     axis->label_room, " fill=\"" CHART_INK "\"", label);
    }
    if (!axis->log2 && axis->low < 0 && axis->high > 0)
        put_cross_line(doc, horizontal, chart_axis_pixel(axis, 0), from, to, "#777777");
    put_cross_line(doc, !horizontal, horizontal ? to : from, fmin(axis->from, axis->to),
                   fmax(axis->from, axis->to), "#777777");
}

void chart_axis_draw_x(svg_doc *doc, const chart_axis *axis, double y_top, double y_bottom)
{
    draw_axis(doc, axis, y_top, y_bottom, 1);
}

void chart_axis_draw_y(svg_doc *doc, const chart_axis *axis, double x_left, double x_right)
{
    draw_axis(doc, axis, x_left, x_right, 0);
}

void chart_plot_frame(svg_doc *doc, const fmc_chart_text *text, double top, double left_room,
                      double right_room, chart_plot *plot)
{
    double title_room = 1.2 * CHART_LABEL_SIZE + 4;
    double left_edge = CHART_PAD + (text->y_label ? title_room : 0);
    plot->left_room = fmin(left_room, fmax(0, doc->width - left_edge - 6 - right_room -
                                                  CHART_PAD - CHART_MIN_PLOT));
    plot->left = left_edge + plot->left_room + 6;
    plot->right = doc->width - CHART_PAD - right_room;
    plot->top = top;
    plot->bottom = doc->height - CHART_PAD - (text->x_label ? title_room : 0) -
                   1.2 * CHART_FONT_SIZE - CHART_TICK_GAP;
    if (plot->right < plot->left + 10)
        plot->right = plot->left + 10;
    if (plot->bottom < plot->top + 10)
        plot->bottom = plot->top + 10;
    svg_text(doc, (plot->left + plot->right) / 2, doc->height - CHART_PAD - 0.24 * CHART_LABEL_SIZE,
             "middle", CHART_LABEL_SIZE, doc->width - 2 * CHART_PAD, " fill=\"" CHART_INK "\"",
             text->x_label);
    svg_text_vertical(doc, CHART_PAD, (plot->top + plot->bottom) / 2, CHART_LABEL_SIZE,
                      plot->bottom - plot->top + 20, text->y_label);
}

void chart_xy_frame(svg_doc *doc, const fmc_chart_text *text, double top, chart_axis *x_axis,
                    chart_axis *y_axis, chart_plot *plot)
{
    /* Room above the plot for the upper half of the top tick's label. */
    chart_plot_frame(doc, text, top + 0.5 * CHART_FONT_SIZE, chart_axis_label_width(y_axis),
                     fmax(4, chart_axis_label_width(x_axis) / 2), plot);
    y_axis->label_room = plot->left_room;
    x_axis->from = plot->left;
    x_axis->to = plot->right;
}

void chart_xy_draw(svg_doc *doc, chart_axis *x_axis, chart_axis *y_axis, const chart_plot *plot)
{
    y_axis->from = plot->bottom;
    y_axis->to = plot->top;
    chart_axis_draw_y(doc, y_axis, plot->left, plot->right);
    chart_axis_draw_x(doc, x_axis, plot->top, plot->bottom);
}

#define LEGEND_ROW 16.0
#define LEGEND_SWATCH 12.0

double chart_legend(svg_doc *doc, const chart_legend_item *items, size_t count, double x,
                    double y, double max_width)
{
    if (count == 0)
        return 0;
    double label_room = fmax(0, max_width - LEGEND_SWATCH - 4);
    double cx = x;
    int row = 0;
    for (size_t i = 0; i < count; i++) {
        double label_width = fmin(fmc_chart_text_width(items[i].label, CHART_FONT_SIZE),
                                  label_room);
        double item_width = LEGEND_SWATCH + 4 + label_width;
        if (cx > x && cx + item_width > x + max_width) {
            cx = x;
            row++;
        }
        double baseline = y + 12 + row * LEGEND_ROW;
        if (doc) {
            double top = baseline - 10;
            switch (items[i].style) {
            case LEGEND_BOX:
            case LEGEND_HATCH:
                svg_put(doc, "<rect x=\"%f\" y=\"%f\" width=\"12\" height=\"12\" fill=\"", cx, top);
                if (items[i].style == LEGEND_HATCH)
                    svg_put(doc, "url(#%@-hatch)\" stroke=\"#999999\"/>\n");
                else
                    svg_put(doc, "%s\"/>\n", items[i].colour);
                break;
            case LEGEND_LINE:
            case LEGEND_DASHED:
                svg_put(doc, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"%s\" "
                        "stroke-width=\"2.5\"%s/>\n", cx, top + 6, cx + LEGEND_SWATCH, top + 6,
                        items[i].colour,
                        items[i].style == LEGEND_DASHED ? " stroke-dasharray=\"4 2\"" : "");
                break;
            }
            svg_text(doc, cx + LEGEND_SWATCH + 4, baseline, "start", CHART_FONT_SIZE, label_room,
                     " fill=\"" CHART_INK "\"", items[i].label);
        }
        cx += item_width + 14;
    }
    return (row + 1) * LEGEND_ROW + 4;
}

void chart_hatch_pattern(svg_doc *doc)
{
    svg_put(doc, "<defs><pattern id=\"%@-hatch\" width=\"6\" height=\"6\" "
                 "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                 "<rect width=\"6\" height=\"6\" fill=\"" CHART_UNDEFINED "\"/>"
                 "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#9a9a9a\" "
                 "stroke-width=\"2\"/></pattern></defs>\n");
}

const char *chart_category_colour(size_t i)
{
    static const char *const okabe_ito[8] = {"#E69F00", "#56B4E9", "#009E73", "#F0E442",
                                             "#0072B2", "#D55E00", "#CC79A7", "#000000"};
    return okabe_ito[i % 8];
}

typedef struct rgb {
    double r, g, b;
} rgb;

static void write_colour(rgb c, char out[8])
{
    snprintf(out, 8, "#%02x%02x%02x", (unsigned)lround(fmin(255, fmax(0, c.r))),
             (unsigned)lround(fmin(255, fmax(0, c.g))), (unsigned)lround(fmin(255, fmax(0, c.b))));
}

static rgb read_colour(const char *colour)
{
    unsigned r = 0, g = 0, b = 0;
    if (colour == NULL || sscanf(colour, "#%02x%02x%02x", &r, &g, &b) != 3)
        r = g = b = 0;
    return (rgb){r, g, b};
}

static rgb mix(rgb a, rgb b, double t)
{
    return (rgb){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

/* The colour at T in [0, 1] of a scale through COUNT evenly spaced anchors. */
static void interpolate(const rgb *anchors, int count, double t, char out[8])
{
    t = isfinite(t) ? fmin(1, fmax(0, t)) : 0;
    double position = t * (count - 1);
    int i = (int)fmin(count - 2, floor(position));
    write_colour(mix(anchors[i], anchors[i + 1], position - i), out);
}

void chart_diverging_colour(double t, char out[8])
{
    static const rgb anchors[5] = {
        {179, 88, 6}, {253, 184, 99}, {247, 247, 247}, {146, 197, 222}, {33, 102, 172}};
    interpolate(anchors, 5, (t + 1) / 2, out);
}

void chart_sequential_colour(double t, char out[8])
{
    static const rgb anchors[5] = {
        {0, 32, 77}, {65, 77, 107}, {124, 123, 120}, {188, 175, 111}, {255, 234, 70}};
    interpolate(anchors, 5, t, out);
}

void chart_faded_colour(const char *colour, double strength, char out[8])
{
    strength = isfinite(strength) ? fmin(1, fmax(0, strength)) : 0;
    write_colour(mix(read_colour(CHART_UNDEFINED), read_colour(colour), strength), out);
}

int chart_is_light(const char *colour)
{
    rgb c = read_colour(colour);
    return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b > 140;
}
