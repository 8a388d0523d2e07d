/* The report's page: a growing HTML text, its charts kept for --charts,
 * the head and style every report shares.
 *
 * The page is one file a person can mail or open offline: inline CSS, the
 * charts as inline SVG, no script and no reference to anything outside it.
 * It reads on a phone (the viewport meta tag, charts at width 100% with
 * their viewBox, wide tables scrolling in their wrapper) and prints (no
 * figure split across pages). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "funnelmc/design.h"
#include "report.h"

static int reserve(report_page *page, size_t more)
{
    if (page->failed)
        return 0;
    if (page->length + more + 1 <= page->capacity)
        return 1;
    size_t capacity = page->capacity ? page->capacity : 1 << 16;
    while (capacity < page->length + more + 1)
        capacity *= 2;
    char *grown = realloc(page->html, capacity);
    if (!grown) {
        page->failed = 1;
        return 0;
    }
    page->html = grown;
    page->capacity = capacity;
    return 1;
}

static void append(report_page *page, const char *text, size_t n)
{
    if (!reserve(page, n))
        return;
    memcpy(page->html + page->length, text, n);
    page->length += n;
    page->html[page->length] = '\0';
}

void page_printf(report_page *page, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (n < 0 || !reserve(page, (size_t)n))
        return;
    va_start(args, format);
    vsnprintf(page->html + page->length, (size_t)n + 1, format, args);
    va_end(args);
    page->length += (size_t)n;
}

void page_text(report_page *page, const char *text)
{
    for (const char *p = text; *p;) {
        size_t plain = strcspn(p, "&<>\"");
        append(page, p, plain);
        p += plain;
        if (!*p)
            break;
        const char *entity = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                                                                      : "&quot;";
        append(page, entity, strlen(entity));
        p++;
    }
}

static int chart_named(const report_page *page, const char *name)
{
    for (size_t k = 0; k < page->chart_count; k++)
        if (strcmp(page->charts[k].name, name) == 0)
            return 1;
    return 0;
}

/* The text of SVG's first <desc>, as it is there (already escaped for XML,
 * which is escaped for HTML too): the figure's caption says in words what
 * the chart's description says to a screen reader. */
static void append_desc(report_page *page, const char *svg)
{
    const char *start = strstr(svg, "<desc");
    if (start && (start = strchr(start, '>'))) {
        const char *end = strstr(++start, "</desc>");
        if (end)
            append(page, start, (size_t)(end - start));
    }
}

void page_prefix(report_page *page, const char *prefix)
{
    snprintf(page->prefix, sizeof page->prefix, "%s", prefix ? prefix : "");
}

/* NAME after the page's prefix, in BUFFER of SIZE bytes when there is one. */
static const char *prefixed(const report_page *page, const char *name, char *buffer, size_t size)
{
    if (!page->prefix[0])
        return name;
    snprintf(buffer, size, "%s-%s", page->prefix, name);
    return buffer;
}

void page_chart(report_page *page, const char *name, char *svg)
{
    char full[sizeof page->charts->name];
    name = prefixed(page, name, full, sizeof full);
    if (!svg || page->failed) {
        page->failed = 1;
        free(svg);
        return;
    }
    if (page->chart_count == page->chart_capacity) {
        size_t capacity = page->chart_capacity ? 2 * page->chart_capacity : 16;
        report_chart *grown = realloc(page->charts, capacity * sizeof *grown);
        if (!grown) {
            page->failed = 1;
            free(svg);
            return;
        }
        page->charts = grown;
        page->chart_capacity = capacity;
    }
    /* a batch repeats its parts' names: the second "profit" is "profit-2" */
    report_chart *chart = &page->charts[page->chart_count];
    snprintf(chart->name, sizeof chart->name, "%s", name);
    for (unsigned k = 2; chart_named(page, chart->name) && k < 10000; k++)
        snprintf(chart->name, sizeof chart->name, "%.80s-%u", name, k);
    page->chart_count++;
    chart->svg = svg;
    page_printf(page, "<figure class=\"chart\" id=\"chart-%s\">\n", chart->name);
    append(page, svg, strlen(svg));
    page_printf(page, "\n<figcaption>");
    append_desc(page, svg);
    page_printf(page, "</figcaption>\n</figure>\n");
}

void page_section(report_page *page, const char *id, const char *title)
{
    char full[128];
    id = prefixed(page, id, full, sizeof full);
    /* ids stay unique on a page that holds several runs (a batch) */
    char unique[128];
    snprintf(unique, sizeof unique, "%s", id);
    for (unsigned k = 2; k < 10000; k++) {
        char attribute[160];
        snprintf(attribute, sizeof attribute, "id=\"%s\"", unique);
        if (!page->html || !strstr(page->html, attribute))
            break;
        snprintf(unique, sizeof unique, "%.100s-%u", id, k);
    }
    page_printf(page, "<h2 id=\"%s\">", unique);
    page_text(page, title);
    page_printf(page, "</h2>\n");
}

void page_clear(report_page *page)
{
    for (size_t k = 0; k < page->chart_count; k++)
        free(page->charts[k].svg);
    free(page->charts);
    free(page->html);
    memset(page, 0, sizeof *page);
}

/* System fonts (no web font to fetch); the charts carry their own colours,
 * chosen colour-blind safe (chart.h). */
static const char style[] =
    "body{margin:0;padding:1rem;color:#222;background:#fff;line-height:1.45;"
    "overflow-wrap:break-word;"
    "font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",Arial,sans-serif}\n"
    "main{max-width:60rem;margin:0 auto}\n"
    "h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2rem;"
    "border-bottom:1px solid #ccc}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:0}\n"
    "dl.facts dt{color:#555}dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
    ".answer p{font-size:1.05rem;margin:.5rem 0}\n"
    "figure.chart{margin:1rem 0}figure.chart svg{width:100%;height:auto;display:block}\n"
    "figcaption{font-size:.9rem;color:#444;margin-top:.3rem}\n"
    ".table-wrap{overflow-x:auto;margin:1rem 0}\n"
    "table{border-collapse:collapse;font-size:.9rem}\n"
    "th,td{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}\n"
    "th:first-child,td:first-child{text-align:left}\n"
    "@media print{body{padding:0}figure.chart,.table-wrap{page-break-inside:avoid;"
    "break-inside:avoid}.table-wrap{overflow:visible}}\n";

/* The header's facts of a run: how it was sampled. */
static void run_facts(report_page *page, const fmc_analysis *analysis)
{
    const fmc_run_result *r = &analysis->result;
    page_printf(page, "<dt>samples</dt><dd>%llu</dd>\n<dt>seed</dt><dd>%llu</dd>\n",
                (unsigned long long)r->samples, (unsigned long long)r->seed);
    page_printf(page, "<dt>design</dt><dd>%s", fmc_design_name(r->design.method));
    if (r->design.replicates > 1)
        page_printf(page, ", %u replicates (every ± from their spread)", r->design.replicates);
    page_printf(page, "</dd>\n");
}

static void fact(report_page *page, const char *name, const char *value)
{
    page_printf(page, "<dt>%s</dt><dd>", name);
    page_text(page, value && *value ? value : "unknown");
    page_printf(page, "</dd>\n");
}

static const char *const kinds[] = {"run", "sweeps", "batch", "benchmark"};

static void page_header(report_page *page, const fmc_results_view *view)
{
    const fmc_scenario *s = view->scenario;
    page_printf(page, "<header>\n<h1>");
    if (s)
        page_text(page, s->name);
    else
        page_printf(page, "funnelmc %s", kinds[view->kind]);
    page_printf(page, "</h1>\n");
    if (s && s->description[0]) {
        page_printf(page, "<p>");
        page_text(page, s->description);
        page_printf(page, "</p>\n");
    }
    page_printf(page, "<dl class=\"facts\">\n");
    fact(page, "results", view->path);
    fact(page, "funnelmc", view->funnelmc_version);
    fact(page, "created", view->created);
    if (view->kind == FMC_RESULTS_RUN && view->analysis)
        run_facts(page, view->analysis);
    if (view->kind == FMC_RESULTS_BATCH)
        page_printf(page, "<dt>scenarios</dt><dd>%zu</dd>\n", view->part_count);
    page_printf(page, "</dl>\n</header>\n");
}

fmc_status report_make(const fmc_results_view *view, report_page *page)
{
    memset(page, 0, sizeof *page);
    page_printf(page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>");
    if (view->scenario) {
        page_text(page, view->scenario->name);
        page_printf(page, " \xe2\x80\x94 ");
    }
    page_printf(page, "funnelmc %s report</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
                kinds[view->kind], style);
    page_header(page, view);
    switch (view->kind) {
    case FMC_RESULTS_RUN:
        report_run(page, view);
        break;
    case FMC_RESULTS_SWEEPS:
        report_sweeps(page, view);
        break;
    case FMC_RESULTS_BATCH:
        report_batch(page, view);
        break;
    case FMC_RESULTS_BENCH:
        report_bench(page, view);
        break;
    }
    page_printf(page, "</main>\n</body>\n</html>\n");
    if (page->failed) {
        page_clear(page);
        return FMC_ENOMEM;
    }
    return FMC_OK;
}
