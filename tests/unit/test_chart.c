/* Charts: round ticks over ranges of every kind, text widths against the
 * font's, and every chart kind with typical and degenerate data drawn as a
 * self-contained SVG whose texts all lie inside its box and whose ids
 * differ from every other chart's.  Each SVG is written to FMC_CHART_DIR,
 * where the test unit_chart_xml checks with xmllint that it is
 * well-formed XML. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "check.h"
#include "funnelmc/chart.h"

/* Whether STEP is 1, 2 or 5 times a power of ten. */
static int is_round_step(double step)
{
    double power = pow(10, floor(log10(step)));
    double mantissa = step / power;
    return fabs(mantissa - 1) < 1e-9 || fabs(mantissa - 2) < 1e-9 || fabs(mantissa - 5) < 1e-9;
}

static void ticks_are_round_and_inside_the_range(void)
{
    static const double ranges[][2] = {
        {0, 1},          {0, 100},      {-3.7, 12.2},    {-12345, -17},  {2.5e-7, 3.1e-7},
        {-1e-12, 1e-12}, {0, 7.3e9},    {1.2e15, 9.9e15}, {0.1, 0.3},    {-0.05, 0.95},
        {41, 41},        {0, 0},        {-250, -250},    {13.5, 2.25},  {99.9, 100.1},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        for (int target = 3; target <= 9; target += 3)
            for (int nice = 0; nice <= 1; nice++) {
                double low = ranges[i][0], high = ranges[i][1], first, step;
                double data_low = fmin(low, high), data_high = fmax(low, high);
                int count;
                fmc_chart_ticks(&low, &high, target, nice, &first, &step, &count);
                CHECK(step > 0 && is_round_step(step));
                CHECK(count >= 2 && count <= 3 * target);
                CHECK(low < high);
                double last = first + (count - 1) * step;
                CHECK(first >= low - 1e-9 * step && last <= high + 1e-9 * step);
                if (nice) {
                    CHECK(low <= data_low && high >= data_high);
                    CHECK_NEAR(low, first, 1e-9 * step);
                    CHECK_NEAR(high, last, 1e-9 * step);
                }
                if (data_low == data_high)
                    CHECK(low < data_low && high > data_high);
            }
}

static void ticks_of_a_known_range(void)
{
    double low = 0.1, high = 0.95, first, step;
    int count;
    fmc_chart_ticks(&low, &high, 6, 0, &first, &step, &count);
    CHECK_NEAR(step, 0.2, 1e-15);
    CHECK_NEAR(first, 0.2, 1e-15);
    CHECK(count == 4);   /* 0.2, 0.4, 0.6, 0.8 */
    low = -1234;
    high = 5678;
    fmc_chart_ticks(&low, &high, 5, 1, &first, &step, &count);
    CHECK_EXACT(step, 2000);
    CHECK_EXACT(low, -2000);
    CHECK_EXACT(high, 6000);
    CHECK(count == 5);
    /* The widest range there is: no crash, no overflow. */
    low = -DBL_MAX;
    high = DBL_MAX;
    fmc_chart_ticks(&low, &high, 5, 0, &first, &step, &count);
    CHECK(count >= 0 && count <= 15);
    low = NAN;
    high = INFINITY;
    fmc_chart_ticks(&low, &high, 5, 1, &first, &step, &count);
    CHECK(isfinite(low) && isfinite(high) && low < high && count >= 2);
}

static void text_width_follows_the_font(void)
{
    CHECK(fmc_chart_text_width("W", 12) > fmc_chart_text_width("i", 12));
    CHECK_EXACT(fmc_chart_text_width("", 12), 0);
    CHECK_EXACT(fmc_chart_text_width(NULL, 12), 0);
    const char *growing = "Expected profit per month, in US dollars";
    double previous = 0;
    for (size_t n = 1; n <= strlen(growing); n++) {
        char prefix[64];
        memcpy(prefix, growing, n);
        prefix[n] = '\0';
        double width = fmc_chart_text_width(prefix, 12);
        CHECK(width > previous);
        previous = width;
    }
    CHECK_NEAR(fmc_chart_text_width("abc", 24), 2 * fmc_chart_text_width("abc", 12), 1e-9);
    /* Advances measured by FreeType through Pillow 9.4 on Debian's
     * DejaVuSans.ttf at 1000 px (getlength, kerning included; none of
     * these strings has a kerned pair). */
    CHECK_NEAR(fmc_chart_text_width("Profit per month (USD)", 1000), 11385.8, 114);
    CHECK_NEAR(fmc_chart_text_width("café", 1000), 2129.9, 21.3);
    CHECK_NEAR(fmc_chart_text_width("mean 12,345 \xE2\x80\xA6", 1000), 7970.8, 79.7);
    /* A byte that is not UTF-8 still counts (drawn as U+FFFD). */
    CHECK(fmc_chart_text_width("a\xFF", 12) > fmc_chart_text_width("a", 12));
}

/* ---- Reading the charts back, crudely ---- */

static char out_dir[512];
enum { MAX_IDS = 4096 };
static char *seen_ids[MAX_IDS];
static char *seen_owner[MAX_IDS];
static size_t seen_count;

/* The number in attribute NAME="..." of the element starting at TAG, NAN
 * when it has none. */
static double attribute(const char *tag, const char *name)
{
    const char *end = strchr(tag, '>');
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *at = strstr(tag, key);
    if (at == NULL || (end && at > end))
        return NAN;
    return strtod(at + strlen(key), NULL);
}

/* The drawn characters of a <text> element (its <title> left out), with
 * the entities the charts write turned back. */
static void text_content(const char *tag, char *out, size_t size)
{
    const char *p = strchr(tag, '>') + 1;
    size_t n = 0;
    while (*p && *p != '<' && n + 1 < size) {
        static const char *const entities[][2] = {
            {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
        int replaced = 0;
        for (size_t e = 0; e < 5 && !replaced; e++)
            if (strncmp(p, entities[e][0], strlen(entities[e][0])) == 0) {
                out[n++] = entities[e][1][0];
                p += strlen(entities[e][0]);
                replaced = 1;
            }
        if (!replaced)
            out[n++] = *p++;
    }
    out[n] = '\0';
}

/* The box of the horizontal <text> element at T: 0 when it is turned
 * (inside <g transform="translate(X Y) rotate(-90)">, *TURNED_X and
 * *TURNED_Y set to X and Y), else 1. */
typedef struct text_box {
    double left, right, top, bottom;
    char content[1024];
} text_box;

static int read_text_box(const char *svg, const char *t, text_box *box, double *turned_x,
                         double *turned_y)
{
    text_content(t, box->content, sizeof box->content);
    double size = attribute(t, "font-size");
    double x = attribute(t, "x"), y = attribute(t, "y");
    const char *end = strchr(t, '>');
    const char *anchor = strstr(t, "text-anchor=\"");
    double share = 0;
    if (anchor && anchor < end)
        share = strncmp(anchor + 13, "middle", 6) == 0 ? 0.5 : 1;
    double w = fmc_chart_text_width(box->content, size);
    CHECK(size > 0 && isfinite(x) && isfinite(y));
    const char *group = NULL;
    for (const char *g = strstr(svg, "<g transform=\"translate("); g && g < t;
         g = strstr(g + 1, "<g transform=\"translate("))
        group = g;
    const char *group_end = group ? strstr(group, "</g>") : NULL;
    if (group && group_end > t) {
        *turned_x = strtod(group + strlen("<g transform=\"translate("), NULL);
        *turned_y = strtod(strchr(group + strlen("<g transform=\"translate("), ' '), NULL);
        box->left = -w / 2;
        box->right = w / 2;
        box->top = -0.93 * size;
        box->bottom = 0.24 * size;
        return 0;
    }
    box->left = x - share * w;
    box->right = box->left + w;
    box->top = y - 0.93 * size;
    box->bottom = y + 0.24 * size;
    return 1;
}

/* No two horizontal texts overlap (by more than half a pixel). */
static void check_no_overlap(const char *svg, const char *name)
{
    enum { MAX_TEXTS = 2048 };
    static text_box boxes[MAX_TEXTS];
    size_t count = 0;
    double tx, ty;
    for (const char *t = strstr(svg, "<text "); t && count < MAX_TEXTS; t = strstr(t + 1, "<text "))
        count += read_text_box(svg, t, &boxes[count], &tx, &ty);
    for (size_t i = 0; i < count; i++)
        for (size_t j = i + 1; j < count; j++) {
            double across =
                fmin(boxes[i].right, boxes[j].right) - fmax(boxes[i].left, boxes[j].left);
            double down = fmin(boxes[i].bottom, boxes[j].bottom) - fmax(boxes[i].top, boxes[j].top);
            if (across > 0.5 && down > 0.5) {
                fprintf(stderr, "%s: '%s' overlaps '%s'\n", name, boxes[i].content,
                        boxes[j].content);
                CHECK(0);
            }
        }
}

/* Every <text>: its box (from x, y, font-size, text-anchor and the
 * font's widths) inside the viewBox; a turned text (a y axis's title,
 * inside <g transform="translate(X Y) rotate(-90)">) checked along y. */
static void check_texts_inside(const char *svg, double width, double height, const char *name)
{
    size_t texts = 0;
    for (const char *t = strstr(svg, "<text "); t; t = strstr(t + 1, "<text ")) {
        texts++;
        text_box box;
        double tx = 0, ty = 0;
        if (!read_text_box(svg, t, &box, &tx, &ty)) {
            /* Turned a quarter left: its length runs up the y axis. */
            int inside = tx + box.top >= 0 && tx + box.bottom <= width &&
                         ty + box.left >= -0.01 && ty + box.right <= height + 0.01;
            CHECK(inside);
            if (!inside)
                fprintf(stderr, "%s: turned text '%s' leaves the box\n", name, box.content);
            continue;
        }
        int inside = box.left >= -0.01 && box.right <= width + 0.01 && box.top >= -0.01 &&
                     box.bottom <= height + 0.01;
        CHECK(inside);
        if (!inside)
            fprintf(stderr, "%s: text '%s' [%g, %g] x [%g, %g] leaves the box %g x %g\n", name,
                    box.content, box.left, box.right, box.top, box.bottom, width, height);
    }
    CHECK(texts >= 1);   /* the title at least */
}

static char *copy_of(const char *text, size_t length)
{
    char *copy = malloc(length + 1);
    REQUIRE(copy);
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

/* Ids unique within the chart and unseen in every other chart. */
static void check_ids(const char *svg, const char *name)
{
    size_t first_of_chart = seen_count;
    for (const char *p = strstr(svg, " id=\""); p; p = strstr(p + 1, " id=\"")) {
        const char *start = p + 5, *end = strchr(start, '"');
        REQUIRE(end && seen_count < MAX_IDS);
        char *id = copy_of(start, (size_t)(end - start));
        for (size_t i = 0; i < seen_count; i++)
            if (strcmp(seen_ids[i], id) == 0) {
                fprintf(stderr, "%s: id '%s' also in %s\n", name, id, seen_owner[i]);
                CHECK(0);
            }
        seen_ids[seen_count] = id;
        seen_owner[seen_count++] = copy_of(name, strlen(name));
    }
    /* Every reference is to an id of this chart. */
    for (const char *p = strstr(svg, "url(#"); p; p = strstr(p + 1, "url(#")) {
        int found = 0;
        for (size_t i = first_of_chart; i < seen_count && !found; i++)
            found = strncmp(p + 5, seen_ids[i], strlen(seen_ids[i])) == 0 &&
                    p[5 + strlen(seen_ids[i])] == ')';
        CHECK(found);
    }
}

/* The checks every chart passes, then the SVG written as NAME.svg. */
static void check_svg(const char *name, char *svg, double width, double height)
{
    REQUIRE(svg != NULL);
    CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 40) == 0);
    const char *open_end = strchr(svg, '>');
    REQUIRE(open_end);
    CHECK(strncmp(open_end + 1, "\n<title id=\"", 12) == 0);
    const char *desc = strstr(svg, "</title>\n<desc id=\"");
    CHECK(desc != NULL && strchr(open_end + 1, '<') == strstr(svg, "<title"));
    CHECK(strstr(svg, "role=\"img\"") && strstr(svg, "aria-labelledby=\""));
    CHECK(strstr(svg, "font-family=\"DejaVu Sans, Verdana, sans-serif\""));
    CHECK(strstr(svg, "<script") == NULL && strstr(svg, "<style") == NULL &&
          strstr(svg, "xlink") == NULL && strstr(svg, "<image") == NULL);
    CHECK(strstr(svg, "http") == strstr(svg, "http://www.w3.org/2000/svg") &&
          strstr(strstr(svg, "http") + 4, "http") == NULL);
    char view_box[96];
    snprintf(view_box, sizeof view_box, "viewBox=\"0 0 %g %g\"", width, height);
    CHECK(strstr(svg, view_box) != NULL);
    if (!strstr(svg, view_box))
        fprintf(stderr, "%s: no %s\n", name, view_box);
    CHECK(strstr(svg, "nan") == NULL && strstr(svg, "inf") == NULL);
    CHECK(strcmp(svg + strlen(svg) - 7, "</svg>\n") == 0);
    check_texts_inside(svg, width, height, name);
    if (strncmp(name, "hostile", 7) != 0)
        check_no_overlap(svg, name);
    check_ids(svg, name);
    char path[600];
    snprintf(path, sizeof path, "%s/%s.svg", out_dir, name);
    FILE *file = fopen(path, "w");
    REQUIRE(file);
    CHECK(fputs(svg, file) >= 0);
    CHECK(fclose(file) == 0);
    free(svg);
}

/* ---- The charts ---- */

static const char *const long_labels[] = {
    "Cost per click of the search advertising campaign in the second half-year",
    "Conversion rate of visitors who arrive from the newsletter & partners",
    "Average order value <all channels>",
    "Refund \"rate\"",
    "Churn",
};

static void histograms(void)
{
    enum { BINS = 40 };
    double edges[BINS + 1], heights[BINS];
    for (int i = 0; i <= BINS; i++)
        edges[i] = -2375.5 + 187.25 * i;
    for (int i = 0; i < BINS; i++)
        heights[i] = exp(-0.5 * pow((i - 17.3) / 6.1, 2)) * 1234;
    fmc_chart_marker markers[] = {
        {"mean", 1290.5, 1250.1, 1330.7}, {"P5", -950.2, -990, -910},
        {"P50", 1180.25, NAN, NAN},       {"P95", 3702, 3650, 3760},
        {"break-even", 1200, NAN, NAN},
    };
    fmc_histogram_chart chart = {
        .text = {"Profit per month", "The distribution of profit; 18% of outcomes are a loss.",
                 "profit (USD per month)", "outcomes"},
        .bins = BINS, .edges = edges, .heights = heights, .shade_below = 0,
        .shade_label = "loss: 18% of outcomes", .marker_count = 5, .markers = markers};
    char *svg = fmc_chart_histogram(&chart);
    REQUIRE(svg);
    /* The bin across 0 is split: a loss rectangle ends where another starts. */
    CHECK(strstr(svg, "#D55E00") != NULL);
    CHECK(strstr(svg, ">P50<") && strstr(svg, ">break-even<"));
    /* Bins 0 to 12 start below 0 and bins 12 to 39 end above it: bin 12
     * is split, its loss part ending where its other part starts (one
     * more rectangle in the loss colour: the legend's swatch). */
    size_t loss_rects = 0, other_rects = 0;
    double loss_right = -1, other_left = 1e9;
    for (const char *r = strstr(svg, "<rect "); r; r = strstr(r + 1, "<rect ")) {
        const char *fill = strstr(r, "fill=\"");
        if (strncmp(fill, "fill=\"#D55E00\"/>", 16) == 0 && strchr(r, '>') > fill) {
            loss_rects++;
            loss_right = fmax(loss_right, attribute(r, "x") + attribute(r, "width"));
        } else if (strncmp(fill, "fill=\"#56B4E9\"/>", 16) == 0) {
            other_rects++;
            other_left = fmin(other_left, attribute(r, "x"));
        }
    }
    CHECK(loss_rects == 13 + 1 && other_rects == 28);
    CHECK_NEAR(loss_right, other_left, 0.02);
    check_svg("histogram", svg, 640, 360);

    /* Close markers: staggered labels, each drawn once. */
    fmc_chart_marker crowded[] = {{"mean", 10, 9, 11}, {"median", 10.2, NAN, NAN},
                                  {"P50 of the baseline", 10.1, NAN, NAN}};
    fmc_histogram_chart close = chart;
    close.marker_count = 3;
    close.markers = crowded;
    close.text.title = "Crowded markers";
    svg = fmc_chart_histogram(&close);
    REQUIRE(svg);
    double ys[3];
    for (int k = 0; k < 3; k++) {
        const char *label = k == 0 ? ">mean<" : k == 1 ? ">median<" : ">P50 of the baseline<";
        const char *t = strstr(svg, label);
        REQUIRE(t);
        while (t > svg && strncmp(t, "<text ", 6))
            t--;
        ys[k] = attribute(t, "y");
    }
    CHECK(ys[0] != ys[1] && ys[1] != ys[2] && ys[0] != ys[2]);
    check_svg("histogram-crowded", svg, 640, 360);

    /* A marker's label over the y axis's top label. */
    double one_edge[2] = {5, 6}, one_height[1] = {3};
    fmc_chart_marker lowest = {"lowest", 5, NAN, NAN};
    fmc_histogram_chart one = {.text = {"One bin", "A single bin.", "x", "count"},
                               .bins = 1, .edges = one_edge, .heights = one_height,
                               .shade_below = NAN, .marker_count = 1, .markers = &lowest};
    check_svg("histogram-one-bin", fmc_chart_histogram(&one), 640, 360);

    double flat_edges[4] = {7, 7, 7, 7}, nan_heights[3] = {NAN, NAN, NAN};
    fmc_histogram_chart empty = {.text = {"Nothing", NULL, NULL, NULL}, .size = {300, 200},
                                 .bins = 3, .edges = flat_edges, .heights = nan_heights,
                                 .shade_below = 7};
    svg = fmc_chart_histogram(&empty);
    REQUIRE(svg);
    CHECK(strstr(svg, ">no data<") != NULL);
    check_svg("histogram-all-nan", svg, 300, 200);

    /* A payback period: counts over whole numbers, edges at k - 0.5. */
    double payback_edges[13], counts[12];
    for (int k = 0; k <= 12; k++)
        payback_edges[k] = k + 0.5;
    for (int k = 0; k < 12; k++)
        counts[k] = (k * 37) % 11 + 1;
    fmc_histogram_chart payback = {.text = {"Payback", "Months until the money is back.",
                                            "months", "share of outcomes (%)"},
                                   .size = {480, 260}, .bins = 12, .edges = payback_edges,
                                   .heights = counts, .shade_below = NAN};
    check_svg("histogram-payback", fmc_chart_histogram(&payback), 480, 260);

    fmc_histogram_chart no_bins = {.text = {"No bins", "Nothing to draw.", "x", "y"},
                                   .shade_below = NAN};
    check_svg("histogram-no-bins", fmc_chart_histogram(&no_bins), 640, 360);
}

static void bar_charts(void)
{
    const char *rows[] = {"Click rate", "Conversion", "Order value", "Cost per click",
                          "Refunds & returns"};
    const char *halves[] = {"input at its low end", "input at its high end"};
    fmc_chart_bar bars[10];
    for (size_t r = 0; r < 5; r++) {
        double swing = 900.0 / (double)(r + 1);
        bars[2 * r] = (fmc_chart_bar){r, 0, 1500, 1500 - swing, NAN, NAN, NULL};
        bars[2 * r + 1] = (fmc_chart_bar){r, 1, 1500, 1500 + swing * 1.3, NAN, NAN, "+1.2k"};
    }
    fmc_bar_chart tornado = {
        .text = {"Tornado", "Profit when each input is at its low or high end.",
                 "profit (USD per month)", NULL},
        .row_count = 5, .rows = rows, .series_count = 2, .series = halves, .bar_count = 10,
        .bars = bars, .reference = 1500, .reference_label = "base case 1,500"};
    char *svg = fmc_chart_bars(&tornado);
    REQUIRE(svg);
    CHECK(strstr(svg, ">base case 1,500<") && strstr(svg, ">Refunds &amp; returns<"));
    double height = attribute(svg, "height");
    check_svg("bars-tornado", svg, 640, height);
    /* The height grows with the rows: one row less, one row's height less. */
    tornado.row_count = 4;
    tornado.bar_count = 8;
    svg = fmc_chart_bars(&tornado);
    REQUIRE(svg);
    CHECK_NEAR(height - attribute(svg, "height"), 28, 1e-9);
    free(svg);

    /* Sobol indices: grouped first and total order with intervals. */
    const char *orders[] = {"first order", "total order"};
    fmc_chart_bar indices[6];
    for (size_t r = 0; r < 3; r++) {
        double s = 0.6 / (double)(r + 1);
        indices[2 * r] = (fmc_chart_bar){r, 0, 0, s, s - 0.04, s + 0.05, "0.6"};
        indices[2 * r + 1] = (fmc_chart_bar){r, 1, 0, s + 0.1, s + 0.05, s + 0.16, NULL};
    }
    fmc_bar_chart sobol = {.text = {"Sobol indices", "Shares of variance.", "share of variance",
                                    "input"},
                           .size = {520, 0}, .row_count = 3, .rows = rows, .series_count = 2,
                           .series = orders, .bar_count = 6, .bars = indices, .grouped = 1,
                           .reference = NAN};
    svg = fmc_chart_bars(&sobol);
    REQUIRE(svg);
    check_svg("bars-sobol", svg, 520, attribute(svg, "height"));

    /* 40 rows of long labels, notes too long for the plot. */
    enum { ROWS = 40 };
    const char *many[ROWS];
    fmc_chart_bar long_bars[ROWS];
    for (size_t r = 0; r < ROWS; r++) {
        many[r] = long_labels[r % 5];
        double value = r % 2 ? -1e6 * (double)r : 2.5e5 * (double)(ROWS - r);
        long_bars[r] = (fmc_chart_bar){r, r % 3, 0, value, value * 0.9, value * 1.1,
                                       "a note that is far too long to stand anywhere at all"};
    }
    const char *three[] = {"one", "two", "three"};
    fmc_bar_chart crowded = {.text = {"Forty rows", "Many long labels.", "net gain (USD)", "lever"},
                             .row_count = ROWS, .rows = many, .series_count = 3, .series = three,
                             .bar_count = ROWS, .bars = long_bars, .reference = 0,
                             .reference_label = "zero"};
    svg = fmc_chart_bars(&crowded);
    REQUIRE(svg);
    CHECK(attribute(strstr(svg, "<svg "), "height") > ROWS * 28);
    /* A shortened label keeps its full text in a <title>. */
    CHECK(strstr(svg, "\xE2\x80\xA6<title>Cost per click of the search advertising") != NULL);
    check_svg("bars-forty-rows", svg, 640, attribute(svg, "height"));

    /* A short loss beside a long gain: its note has no room left of the
     * bar nor inside it, and stands whole across the bar's start. */
    fmc_chart_bar loss_and_gain[2] = {{0, 0, 0, -60, -62, -58, "-60.0 \xC2\xB1 1.0"},
                                      {1, 0, 0, 7000, 6900, 7100, "7000 \xC2\xB1 50"}};
    fmc_bar_chart beside = {.text = {"Mean profit", "A loss and a gain.", "profit", NULL},
                            .size = {400, 0}, .row_count = 2, .rows = rows, .bar_count = 2,
                            .bars = loss_and_gain, .reference = 0};
    svg = fmc_chart_bars(&beside);
    REQUIRE(svg);
    CHECK(strstr(svg, ">-60.0 \xC2\xB1 1.0</text>") != NULL);  /* whole: no ellipsis */
    check_svg("bars-loss-beside-zero", svg, 400, attribute(svg, "height"));

    fmc_bar_chart none = {.text = {"No rows", "Nothing.", "x", NULL}, .reference = NAN};
    svg = fmc_chart_bars(&none);
    REQUIRE(svg);
    check_svg("bars-empty", svg, 640, attribute(svg, "height"));

    fmc_chart_bar same = {0, 0, 5, 5, NAN, NAN, "zero width"};
    fmc_bar_chart flat = {.text = {"Flat", "All at one value.", "x", NULL}, .size = {400, 200},
                          .row_count = 1, .rows = rows, .bar_count = 1, .bars = &same,
                          .reference = NAN};
    check_svg("bars-zero-width", fmc_chart_bars(&flat), 400, 200);
}

static void line_charts(void)
{
    enum { N = 24 };
    double x[N], median[N], q25[N], q75[N], q5[N], q95[N], other[N];
    for (int i = 0; i < N; i++) {
        x[i] = i + 1;
        median[i] = 1000 * i - 3000;
        q25[i] = median[i] - 500 - 40 * i;
        q75[i] = median[i] + 500 + 40 * i;
        q5[i] = median[i] - 1500 - 90 * i;
        q95[i] = median[i] + 1500 + 90 * i;
        other[i] = i == 7 ? NAN : 800 * i;
    }
    fmc_chart_series series[2] = {
        {"cumulative profit", N, x, median, q25, q75, q5, q95, 0, 0},
        {"with the lever", N, x, other, NULL, NULL, NULL, NULL, 1, 1},
    };
    fmc_line_chart fan = {.text = {"Months ahead", "Cumulative profit: median, P25-P75, P5-P95.",
                                   "month", "cumulative profit (USD)"},
                          .series_count = 2, .series = series, .reference = 0};
    char *svg = fmc_chart_lines(&fan);
    REQUIRE(svg);
    CHECK(strstr(svg, "fill-opacity") != NULL && strstr(svg, "<circle") != NULL);
    check_svg("lines-fan", svg, 640, 360);

    double threads[5] = {1, 2, 4, 8, 16}, speedup[5] = {1, 1.9, 3.6, 6.1, 9.8};
    fmc_chart_series bench[2] = {
        {"measured", 5, threads, speedup, NULL, NULL, NULL, NULL, 0, 1},
        {"ideal", 5, threads, threads, NULL, NULL, NULL, NULL, 1, 0},
    };
    fmc_line_chart speed = {.text = {"Speedup", "Speedup against threads.", "threads", "speedup"},
                            .size = {420, 300}, .series_count = 2, .series = bench,
                            .reference = NAN, .log_x = 1};
    svg = fmc_chart_lines(&speed);
    REQUIRE(svg);
    CHECK(strstr(svg, ">16<") && strstr(svg, ">4<"));
    check_svg("lines-log2", svg, 420, 300);

    /* Ten series: the ninth and tenth share the first two's colours, so
     * they are dashed (and no other is). */
    fmc_chart_series ten[10];
    const char *names[10] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    for (int k = 0; k < 10; k++)
        ten[k] = (fmc_chart_series){names[k], N, x, k % 2 ? median : other,
                                    NULL, NULL, NULL, NULL, 0, 0};
    fmc_line_chart spider = {.text = {"Ten lines", "Ten series.", "x", "y"}, .series_count = 10,
                             .series = ten, .reference = NAN};
    svg = fmc_chart_lines(&spider);
    REQUIRE(svg);
    size_t dashes = 0;
    for (const char *d = strstr(svg, "stroke-dasharray=\"6 4\""); d;
         d = strstr(d + 1, "stroke-dasharray=\"6 4\""))
        dashes++;
    CHECK(dashes == 2);
    check_svg("lines-ten-series", svg, 640, 360);

    fmc_line_chart nothing = {.text = {"No series", "Nothing.", "x", "y"}, .reference = NAN};
    check_svg("lines-no-series", fmc_chart_lines(&nothing), 640, 360);

    double one_x[1] = {3}, one_y[1] = {NAN};
    fmc_chart_series gap = {"all undefined", 1, one_x, one_y, NULL, NULL, NULL, NULL, 0, 1};
    fmc_line_chart undefined = {.text = {"Undefined", "One undefined point.", NULL, NULL},
                                .series_count = 1, .series = &gap, .reference = NAN};
    check_svg("lines-all-nan", fmc_chart_lines(&undefined), 640, 360);
}

/* Whether TEXT is a tick label: a number, perhaps with a unit suffix. */
static int is_tick_label(const char *text)
{
    size_t length = strlen(text);
    if (length == 0 || strspn(text, "-0123456789.kMB") != length)
        return 0;
    char last_digit = text[length - 1 - (strchr("kMB", text[length - 1]) != NULL)];
    return last_digit >= '0' && last_digit <= '9';
}

static void tick_labels_have_no_float_noise(void)
{
    double x[7], y[7];
    for (int i = 0; i < 7; i++) {
        x[i] = 5e5 * i;
        y[i] = 0.1 * (i + 1);   /* 0.1, 0.2, 0.30000000000000004, ... */
    }
    fmc_chart_series series = {"share", 7, x, y, NULL, NULL, NULL, NULL, 0, 1};
    fmc_line_chart chart = {.text = {"Shares", "Round labels.", "visitors", "share"},
                            .series_count = 1, .series = &series, .reference = NAN};
    char *svg = fmc_chart_lines(&chart);
    REQUIRE(svg);
    size_t labels = 0, millions = 0;
    for (const char *t = strstr(svg, "<text "); t; t = strstr(t + 1, "<text ")) {
        char content[256];
        text_content(t, content, sizeof content);
        if (!is_tick_label(content))
            continue;
        labels++;
        const char *point = strchr(content, '.');
        CHECK(point == NULL || strspn(point + 1, "0123456789") <= 2);
        CHECK(content[strlen(content) - 1] != 'k');   /* one unit along the axis */
        millions += content[strlen(content) - 1] == 'M';
    }
    CHECK(labels >= 8);
    CHECK(millions >= 3);
    CHECK(strstr(svg, ">0.3<") != NULL && strstr(svg, ">0<") != NULL);
    check_svg("lines-round-labels", svg, 640, 360);
}

static void heat_maps(void)
{
    enum { ROWS = 6, COLUMNS = 9 };
    double values[ROWS * COLUMNS];
    const char *row_labels[ROWS], *column_labels[COLUMNS];
    char row_text[ROWS][16], column_text[COLUMNS][16];
    for (int r = 0; r < ROWS; r++) {
        snprintf(row_text[r], sizeof row_text[r], "%.2f", 0.01 + 0.005 * r);
        row_labels[r] = row_text[r];
    }
    for (int c = 0; c < COLUMNS; c++) {
        snprintf(column_text[c], sizeof column_text[c], "%d", 20 + 5 * c);
        column_labels[c] = column_text[c];
    }
    for (int i = 0; i < ROWS * COLUMNS; i++)
        values[i] = (i % COLUMNS - 3.2) * 410.5 + (i / COLUMNS) * 120;
    values[13] = NAN;
    fmc_heatmap_chart profit = {
        .text = {"Mean profit", "Mean profit over the grid.", "order value (USD)", "click rate"},
        .rows = ROWS, .columns = COLUMNS, .row_labels = row_labels,
        .column_labels = column_labels, .values = values, .value_label = "mean profit (USD)",
        .diverging = 1, .min = NAN, .max = NAN};
    char *svg = fmc_chart_heatmap(&profit);
    REQUIRE(svg);
    CHECK(strstr(svg, "-hatch)") != NULL && strstr(svg, ">undefined<") != NULL);
    CHECK(strstr(svg, "linearGradient") != NULL);
    check_svg("heatmap-diverging", svg, 640, 360);

    double shares[ROWS * COLUMNS];
    const char *cell_text[ROWS * COLUMNS];
    char cell_buffer[ROWS * COLUMNS][8];
    for (int i = 0; i < ROWS * COLUMNS; i++) {
        shares[i] = (double)((i * 7) % 10) / 10;
        snprintf(cell_buffer[i], sizeof cell_buffer[i], "%.1f", shares[i]);
        cell_text[i] = cell_buffer[i];
    }
    fmc_heatmap_chart loss = profit;
    loss.text.title = "P(loss)";
    loss.values = shares;
    loss.value_label = "chance of a loss";
    loss.diverging = 0;
    loss.min = 0;
    loss.max = 1;
    loss.cell_text = cell_text;
    svg = fmc_chart_heatmap(&loss);
    REQUIRE(svg);
    /* Cell text contrasts: white on the dark end (0), black on the light one (0.9). */
    CHECK(strstr(svg, " fill=\"#ffffff\">0.0<") != NULL);
    CHECK(strstr(svg, " fill=\"#000000\">0.9<") != NULL);
    CHECK(strstr(svg, " fill=\"#000000\">0.0<") == NULL);
    check_svg("heatmap-sequential", svg, 640, 360);

    int category[ROWS * COLUMNS];
    double strength[ROWS * COLUMNS];
    for (int i = 0; i < ROWS * COLUMNS; i++) {
        category[i] = i % 4 - (i == 20);
        strength[i] = (double)(i % 5) / 4;
    }
    const char *names[] = {"newsletter", "price cut", "ads", "free shipping"};
    fmc_heatmap_chart decision = profit;
    decision.text.title = "Decision map";
    decision.values = NULL;
    decision.category = category;
    decision.category_count = 4;
    decision.category_names = names;
    decision.strength = strength;
    decision.strength_label = "P(best)";
    check_svg("heatmap-decision", fmc_chart_heatmap(&decision), 640, 360);

    /* One column, long row labels, all NaN. */
    double nan_values[5] = {NAN, NAN, NAN, NAN, NAN};
    const char *one_column[1] = {"only"};
    fmc_heatmap_chart column = {.text = {"One column of a heat map whose title is much too long "
                                         "for a chart of three hundred pixels",
                                         "All undefined.", "x",
                                         "a y axis whose title is longer than the chart is high, "
                                         "which happens with long units and a small chart"},
                                .size = {300, 420}, .rows = 5, .columns = 1,
                                .row_labels = long_labels, .column_labels = one_column,
                                .values = nan_values, .value_label = "value", .min = NAN,
                                .max = NAN};
    check_svg("heatmap-one-column", fmc_chart_heatmap(&column), 300, 420);

    /* A fine grid: 40 x 25 cells, constant values (a scale of zero width). */
    enum { FINE_ROWS = 40, FINE_COLUMNS = 25 };
    double constant[FINE_ROWS * FINE_COLUMNS];
    const char *fine_rows[FINE_ROWS], *fine_columns[FINE_COLUMNS];
    for (int i = 0; i < FINE_ROWS * FINE_COLUMNS; i++)
        constant[i] = 0.25;
    for (int r = 0; r < FINE_ROWS; r++)
        fine_rows[r] = long_labels[r % 5];
    for (int c = 0; c < FINE_COLUMNS; c++)
        fine_columns[c] = "12,345.67";
    fmc_heatmap_chart fine = {.text = {"Fine grid", "Constant.", "a", "b"}, .rows = FINE_ROWS,
                              .columns = FINE_COLUMNS, .row_labels = fine_rows,
                              .column_labels = fine_columns, .values = constant,
                              .value_label = "share", .min = NAN, .max = NAN};
    check_svg("heatmap-fine-constant", fmc_chart_heatmap(&fine), 640, 360);

    fmc_heatmap_chart empty = {.text = {"Empty", "No cells.", NULL, NULL}, .min = NAN,
                               .max = NAN};
    check_svg("heatmap-empty", fmc_chart_heatmap(&empty), 640, 360);
}

/* Infinities, huge and negative values, decreasing edges, and labels
 * with control characters, markup and bytes that are not UTF-8: every
 * chart is still drawn, well-formed, its texts inside. */
static void hostile_inputs_give_well_formed_charts(void)
{
    /* Six: as many as the heat map's cells (cell_text). */
    const char *nasty[6] = {"tab\there\x01\x1f", "]]> <![CDATA[ &amp; <b>",
                            "bad \xC3\x28 \xFF utf-8", "\xE2\x82", "",
                            "\xF0\x9F\x98\x80 emoji, \xEF\xBF\xBE \xED\xA0\x80"};
    double edges[6] = {INFINITY, -1e300, 3, 2, 1e300, NAN};
    double heights[5] = {-5, INFINITY, 1e300, NAN, 2};
    fmc_chart_marker markers[2] = {{nasty[0], INFINITY, -INFINITY, NAN}, {nasty[2], 1e300, 0, 1}};
    fmc_histogram_chart histogram = {.text = {nasty[1], nasty[2], nasty[3], nasty[0]},
                                     .size = {200, 150}, .bins = 5, .edges = edges,
                                     .heights = heights, .shade_below = -INFINITY,
                                     .shade_label = nasty[1], .marker_count = 2,
                                     .markers = markers};
    check_svg("hostile-histogram", fmc_chart_histogram(&histogram), 200, 150);

    fmc_chart_bar bars[4] = {{0, 7, -INFINITY, 1e300, NAN, 5, nasty[1]},
                             {1, 0, -1e300, 1e300, -1e308, 1e308, nasty[2]},
                             {9, 0, 1, 2, 0, 3, NULL},
                             {2, 1, 0, 0, NAN, NAN, nasty[0]}};
    fmc_bar_chart bar_chart = {.text = {nasty[2], NULL, nasty[0], nasty[1]}, .size = {150, 90},
                               .row_count = 3, .rows = nasty, .series_count = 2, .series = nasty,
                               .bar_count = 4, .bars = bars, .grouped = 1, .reference = 1e300,
                               .reference_label = nasty[2]};
    check_svg("hostile-bars", fmc_chart_bars(&bar_chart), 150, 90);

    double x[4] = {-1, 0, INFINITY, 4}, y[4] = {1e300, -1e300, 3, INFINITY};
    fmc_chart_series series[2] = {{nasty[1], 4, x, y, y, x, NULL, y, 1, 1},
                                  {NULL, 4, x, y, NULL, NULL, NULL, NULL, 0, 0}};
    fmc_line_chart lines = {.text = {nasty[0], nasty[1], nasty[2], nasty[3]}, .size = {120, 80},
                            .series_count = 2, .series = series, .reference = -INFINITY,
                            .log_x = 1};
    check_svg("hostile-lines", fmc_chart_lines(&lines), 120, 80);

    double values[6] = {INFINITY, -1e300, 1e300, NAN, 0, -INFINITY};
    int category[6] = {0, 5, -7, 1, 2, 0};
    double strength[6] = {-1, 2, NAN, 0.5, INFINITY, 0};
    fmc_heatmap_chart heat = {.text = {nasty[2], nasty[3], nasty[1], nasty[0]}, .size = {160, 120},
                              .rows = 2, .columns = 3, .row_labels = nasty,
                              .column_labels = nasty, .values = values, .value_label = nasty[1],
                              .diverging = 1, .min = INFINITY, .max = -INFINITY,
                              .cell_text = nasty};
    check_svg("hostile-heatmap", fmc_chart_heatmap(&heat), 160, 120);
    heat.values = NULL;
    heat.category = category;
    heat.category_count = 3;
    heat.category_names = nasty;
    heat.strength = strength;
    heat.strength_label = nasty[2];
    check_svg("hostile-decision", fmc_chart_heatmap(&heat), 160, 120);
}

static void the_same_chart_twice_has_the_same_text(void)
{
    double edges[3] = {0, 1, 2}, heights[2] = {1, 2};
    fmc_histogram_chart chart = {.text = {"Twice", "Same.", "x", "y"}, .bins = 2, .edges = edges,
                                 .heights = heights, .shade_below = NAN};
    char *a = fmc_chart_histogram(&chart), *b = fmc_chart_histogram(&chart);
    REQUIRE(a && b);
    CHECK(strcmp(a, b) == 0);
    free(a);
    free(b);
}

TEST_MAIN_BEGIN
    snprintf(out_dir, sizeof out_dir, "%s", FMC_CHART_DIR);
    REQUIRE(mkdir(out_dir, 0777) == 0 || errno == EEXIST);
    RUN_TEST(ticks_are_round_and_inside_the_range);
    RUN_TEST(ticks_of_a_known_range);
    RUN_TEST(text_width_follows_the_font);
    RUN_TEST(histograms);
    RUN_TEST(bar_charts);
    RUN_TEST(line_charts);
    RUN_TEST(tick_labels_have_no_float_noise);
    RUN_TEST(heat_maps);
    RUN_TEST(hostile_inputs_give_well_formed_charts);
    RUN_TEST(the_same_chart_twice_has_the_same_text);
    for (size_t i = 0; i < seen_count; i++) {
        free(seen_ids[i]);
        free(seen_owner[i]);
    }
TEST_MAIN_END
