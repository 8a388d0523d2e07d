/* The SVG text of a chart: a growing buffer, XML escaping, text measured
 * in DejaVu Sans and shortened to its room, the document's frame and its
 * ids.
 *
 * Ids: charts are inlined many to a page, so an id must differ between
 * charts.  The text is written with a placeholder byte for the id (XML
 * text cannot hold it: escaping drops control characters), and
 * svg_finish replaces it with a hash (FNV-1a, 64 bits) of the whole
 * document: two charts share ids only when they are the same chart. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chart_internal.h"

#define ID_PLACEHOLDER '\x01'
#define ELLIPSIS "\xE2\x80\xA6"

/* Advance widths of DejaVu Sans 2.37 for the characters 32 to 126 and
 * 160 to 255 (Latin-1), in thousandths of an em, read from the 'hmtx'
 * table (through 'cmap' format 4; 2048 units per em) of
 * /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf as Debian's
 * fonts-dejavu-core ships it. */
static const unsigned short ascii_width[95] = {
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
};
static const unsigned short latin1_width[96] = {
    318, 401, 636, 636, 636, 636, 337, 500, 500, 1000, 471, 612, 838, 361, 1000, 500,
    500, 838, 401, 401, 500, 636, 636, 318, 500, 401, 471, 612, 969, 969, 969, 531,
    684, 684, 684, 684, 684, 684, 974, 698, 632, 632, 632, 632, 295, 295, 295, 295,
    775, 748, 787, 787, 787, 787, 787, 838, 787, 732, 732, 732, 732, 611, 605, 630,
    613, 613, 613, 613, 613, 613, 982, 550, 615, 615, 615, 615, 278, 278, 278, 278,
    612, 634, 612, 612, 612, 612, 612, 838, 612, 634, 634, 634, 634, 592, 635, 592,
};

/* The length of the UTF-8 character at S (1 to 4) and its code point, or
 * 0 for a byte that starts no valid character. */
static size_t utf8_char(const unsigned char *s, unsigned *code)
{
    size_t length = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2
                  : s[0] >= 0xE0 && s[0] < 0xF0 ? 3 : s[0] >= 0xF0 && s[0] < 0xF5 ? 4 : 0;
    if (length == 0)
        return 0;
    unsigned value = length == 1 ? s[0] : s[0] & (0x7F >> length);
    for (size_t i = 1; i < length; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        value = value << 6 | (s[i] & 0x3F);
    }
    /* Overlong forms, surrogates, values past Unicode and the two XML
     * forbids (U+FFFE, U+FFFF) are not text. */
    static const unsigned least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (value < least[length] || (value >= 0xD800 && value < 0xE000) || value > 0x10FFFF ||
        value == 0xFFFE || value == 0xFFFF)
        return 0;
    *code = value;
    return length;
}

/* Thousandths of an em: the tables for ASCII and Latin-1, the font's
 * widths for the few other characters funnelmc writes, and a typical
 * letter's for the rest. */
static unsigned char_width(unsigned code)
{
    if (code >= 32 && code < 127)
        return ascii_width[code - 32];
    if (code >= 160 && code < 256)
        return latin1_width[code - 160];
    switch (code) {
    case 0x2026: /* ellipsis */
    case 0x2014: /* em dash */
        return 1000;
    case 0x2212: /* minus */
    case 0x2264: /* less or equal */
    case 0x2265:
        return 838;
    case 0x2013: /* en dash */
        return 500;
    case 0x202F: /* narrow no-break space */
        return 200;
    case 0xFFFD: /* replacement character */
        return 1025;
    default:
        return 650;
    }
}

double fmc_chart_text_width(const char *text, double size)
{
    if (text == NULL)
        return 0;
    double thousandths = 0;
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        unsigned code = 0xFFFD;
        size_t length = utf8_char(s, &code);
        thousandths += char_width(length ? code : 0xFFFD);
        s += length ? length : 1;
    }
    return thousandths * size / 1000;
}

static void reserve(svg_doc *doc, size_t more)
{
    if (doc->failed || doc->length + more < doc->capacity)
        return;
    size_t capacity = doc->capacity ? doc->capacity : 4096;
    while (capacity <= doc->length + more)
        capacity *= 2;
    char *text = realloc(doc->text, capacity);
    if (text == NULL) {
        doc->failed = 1;
        return;
    }
    doc->text = text;
    doc->capacity = capacity;
}

static void put_bytes(svg_doc *doc, const char *bytes, size_t count)
{
    reserve(doc, count + 1);
    if (doc->failed)
        return;
    memcpy(doc->text + doc->length, bytes, count);
    doc->length += count;
    doc->text[doc->length] = '\0';
}

/* Text as XML character data or an attribute's value: the five special
 * characters as entities, control characters dropped, a byte that is not
 * UTF-8 as U+FFFD (xmllint and browsers refuse a document that is not). */
static void put_escaped(svg_doc *doc, const char *text)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    while (*s) {
        unsigned code;
        size_t length = utf8_char(s, &code);
        const char *entity = NULL;
        switch (length ? *s : 0xFF) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&apos;"; break;
        case 0xFF: entity = "\xEF\xBF\xBD"; break;
        default: break;
        }
        if (entity)
            put_bytes(doc, entity, strlen(entity));
        else if (length > 1 || *s >= 0x20)
            put_bytes(doc, (const char *)s, length);
        s += length ? length : 1;
    }
}

/* A coordinate with at most two decimals and no trailing zeros: small
 * output, and no float noise. */
static void put_number(svg_doc *doc, double value)
{
    char number[48];
    if (!isfinite(value))
        value = 0;
    snprintf(number, sizeof number, "%.2f", value);
    char *end = number + strlen(number);
    while (end[-1] == '0')
        *--end = '\0';
    if (end[-1] == '.')
        *--end = '\0';
    const char *text = strcmp(number, "-0") ? number : "0";
    put_bytes(doc, text, strlen(text));
}

void svg_put(svg_doc *doc, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    const char *p = format;
    while (*p) {
        const char *percent = strchr(p, '%');
        size_t plain = percent ? (size_t)(percent - p) : strlen(p);
        put_bytes(doc, p, plain);
        if (percent == NULL || percent[1] == '\0')
            break;
        char number[32];
        switch (percent[1]) {
        case 'f': put_number(doc, va_arg(arguments, double)); break;
        case 't': put_escaped(doc, va_arg(arguments, const char *)); break;
        case 's': {
            const char *s = va_arg(arguments, const char *);
            put_bytes(doc, s, strlen(s));
            break;
        }
        case 'd':
            snprintf(number, sizeof number, "%d", va_arg(arguments, int));
            put_bytes(doc, number, strlen(number));
            break;
        case 'z':
            snprintf(number, sizeof number, "%zu", va_arg(arguments, size_t));
            put_bytes(doc, number, strlen(number));
            break;
        case '@': put_bytes(doc, (char[]){ID_PLACEHOLDER}, 1); break;
        default: put_bytes(doc, percent + 1, 1); break;
        }
        p = percent + 2;
    }
    va_end(arguments);
}

double svg_begin(svg_doc *doc, double width, double height, const fmc_chart_text *text)
{
    memset(doc, 0, sizeof *doc);
    doc->width = width;
    doc->height = height;
    const char *title = text->title && *text->title ? text->title : "Chart";
    svg_put(doc,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %f %f\" width=\"%f\" "
            "height=\"%f\" role=\"img\" aria-labelledby=\"%@-title %@-desc\" "
            "font-family=\"DejaVu Sans, Verdana, sans-serif\">\n"
            "<title id=\"%@-title\">%t</title>\n<desc id=\"%@-desc\">%t</desc>\n"
            "<rect width=\"%f\" height=\"%f\" fill=\"#ffffff\"/>\n",
            width, height, width, height, title, text->desc ? text->desc : "", width, height);
    double baseline = CHART_PAD + CHART_TITLE_SIZE;
    svg_text(doc, CHART_PAD, baseline, "start", CHART_TITLE_SIZE, width - 2 * CHART_PAD,
             " fill=\"#111111\"", title);
    return baseline + CHART_PAD;
}

char *svg_finish(svg_doc *doc)
{
    svg_put(doc, "</svg>\n");
    if (doc->failed) {
        free(doc->text);
        return NULL;
    }
    uint64_t hash = 0xcbf29ce484222325u;
    size_t ids = 0;
    for (size_t i = 0; i < doc->length; i++) {
        hash = (hash ^ (unsigned char)doc->text[i]) * 0x100000001b3u;
        ids += doc->text[i] == ID_PLACEHOLDER;
    }
    char id[16];
    int id_length = snprintf(id, sizeof id, "c%012llx", (unsigned long long)(hash >> 16));
    char *out = malloc(doc->length + ids * (size_t)id_length + 1);
    if (out == NULL) {
        free(doc->text);
        return NULL;
    }
    char *o = out;
    for (size_t i = 0; i < doc->length; i++) {
        if (doc->text[i] == ID_PLACEHOLDER) {
            memcpy(o, id, (size_t)id_length);
            o += id_length;
        } else {
            *o++ = doc->text[i];
        }
    }
    *o = '\0';
    free(doc->text);
    return out;
}

/* The longest start of TEXT that fits MAX_WIDTH at SIZE with an ellipsis
 * after it (malloc'd), or NULL when memory runs out; "" when not even the
 * ellipsis fits. */
static char *shortened(const char *text, double size, double max_width)
{
    size_t length = strlen(text);
    char *out = malloc(length + sizeof ELLIPSIS);
    if (out == NULL)
        return NULL;
    double room = max_width - fmc_chart_text_width(ELLIPSIS, size);
    double used = 0;
    size_t kept = 0;
    const unsigned char *s = (const unsigned char *)text;
    while (s[kept]) {
        unsigned code = 0xFFFD;
        size_t step = utf8_char(s + kept, &code);
        double w = char_width(step ? code : 0xFFFD) * size / 1000;
        if (used + w > room)
            break;
        used += w;
        kept += step ? step : 1;
    }
    while (kept > 0 && text[kept - 1] == ' ')
        kept--;
    if (room < 0) {
        out[0] = '\0';
        return out;
    }
    memcpy(out, text, kept);
    memcpy(out + kept, ELLIPSIS, sizeof ELLIPSIS);
    return out;
}

/* TEXT at (X, Y), shortened to MAX_WIDTH; with CLAMP, moved as little as
 * needed to stay inside the box. */
static double put_text(svg_doc *doc, double x, double y, const char *anchor, double size,
                       double max_width, const char *attributes, const char *text, int clamp)
{
    if (text == NULL || *text == '\0')
        return 0;
    double width = fmc_chart_text_width(text, size);
    char *short_text = NULL;
    if (width > max_width) {
        short_text = shortened(text, size, max_width);
        if (short_text == NULL) {
            doc->failed = 1;
            return 0;
        }
        if (*short_text == '\0') {
            free(short_text);
            return 0;
        }
        width = fmc_chart_text_width(short_text, size);
    }
    double share = strcmp(anchor, "middle") == 0 ? 0.5 : strcmp(anchor, "end") == 0 ? 1 : 0;
    if (clamp) {
        double left = fmax(1, fmin(x - share * width, doc->width - 1 - width));
        x = left + share * width;
        /* DejaVu's ascent is 0.93 em and its descent 0.24 em. */
        y = fmax(0.93 * size + 1, fmin(y, doc->height - 0.24 * size - 1));
    }
    svg_put(doc, "<text x=\"%f\" y=\"%f\" font-size=\"%f\"", x, y, size);
    if (share > 0)
        svg_put(doc, " text-anchor=\"%s\"", anchor);
    svg_put(doc, "%s>%t", attributes ? attributes : "", short_text ? short_text : text);
    if (short_text)
        svg_put(doc, "<title>%t</title>", text);
    svg_put(doc, "</text>\n");
    free(short_text);
    return width;
}

double svg_text(svg_doc *doc, double x, double y, const char *anchor, double size,
                double max_width, const char *attributes, const char *text)
{
    return put_text(doc, x, y, anchor, size, fmin(max_width, doc->width - 2), attributes, text,
                    1);
}

void svg_text_vertical(svg_doc *doc, double x, double y_centre, double size, double max_height,
                       const char *text)
{
    if (text == NULL || *text == '\0')
        return;
    svg_put(doc, "<g transform=\"translate(%f %f) rotate(-90)\">", x + 0.93 * size, y_centre);
    double room = 2 * fmin(y_centre - 1, doc->height - 1 - y_centre);
    put_text(doc, 0, 0, "middle", size, fmin(max_height, room), " fill=\"" CHART_INK "\"", text,
             0);
    svg_put(doc, "</g>\n");
}

void svg_no_data(svg_doc *doc, double x, double y, double width, double height)
{
    svg_text(doc, x + width / 2, y + height / 2, "middle", CHART_LABEL_SIZE, width,
             " fill=\"#666666\"", "no data");
}
