/* The report of a results file (`funnelmc report`, `--report`): one
 * self-contained HTML page -- inline CSS and SVG charts (chart.h), no
 * script, no network -- and the same charts as files.  A page is built
 * from a results view (results_read.h), the run's own or a file's, so a
 * report formats exactly what the file holds.
 *
 *   page builder, head, style and header     src/cli/report_page.c
 *   a run (and a batch part), its answer     src/cli/report_run.c
 *   sweeps, batch, bench, their answers      src/cli/report_grid.c
 *   writing the page and the chart files     src/cli/report_write.c */
#ifndef FUNNELMC_CLI_REPORT_H
#define FUNNELMC_CLI_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include "funnelmc/error.h"
#include "funnelmc/results_read.h"

/* A page under construction: its HTML text and its charts, each kept
 * with a file name for --charts. */
typedef struct report_chart {
    char name[96];   /* file stem: "profit", "tornado", "sweep-reach-mean", ... unique */
    char *svg;
} report_chart;

typedef struct report_page {
    char *html;
    size_t length, capacity;
    report_chart *charts;
    size_t chart_count, chart_capacity;
    int failed;      /* memory ran out: the page is incomplete, do not write it */
    char prefix[64]; /* page_prefix's: "" for none */
} report_page;

/* Appends formatted text to PAGE, as it is (the caller escapes). */
void page_printf(report_page *page, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends TEXT with &, <, >, " escaped. */
void page_text(report_page *page, const char *text);
/* Appends the chart SVG (taken over: freed with the page; NULL marks the
 * page failed) inside a <figure>, and keeps it as NAME (made unique). */
void page_chart(report_page *page, const char *name, char *svg);
/* A section heading and its anchor. */
void page_section(report_page *page, const char *id, const char *title);
/* Names the charts and ids the sections that follow with PREFIX and "-"
 * first (a batch part's scenario name, so that every part's charts keep
 * names of their own); NULL or "": none. */
void page_prefix(report_page *page, const char *prefix);
/* Frees what PAGE holds. */
void page_clear(report_page *page);

/* The page's parts for each kind of view; each appends its sections. */
void report_run(report_page *page, const fmc_results_view *view);
void report_sweeps(report_page *page, const fmc_results_view *view);
void report_batch(report_page *page, const fmc_results_view *view);
void report_bench(report_page *page, const fmc_results_view *view);

/* The whole page of VIEW: head, style, the answer in plain words, then
 * the kind's sections.  FMC_OK and *PAGE (clear it with page_clear), or
 * FMC_ENOMEM. */
fmc_status report_make(const fmc_results_view *view, report_page *page);

typedef enum { CHART_SVG, CHART_PNG, CHART_PDF } chart_format;

/* Writes PAGE's HTML to PATH atomically (a temporary file in the same
 * directory, renamed); FMC_OK or FMC_EIO (errno kept), PATH untouched on
 * failure. */
fmc_status report_write_html(const report_page *page, const char *path);
/* Writes each chart of PAGE as DIR/NAME.svg, .png or .pdf (PNG and PDF
 * rendered from the SVG by librsvg and cairo), each atomically; DIR is
 * created when missing.  FMC_OK, or FMC_EIO (errno kept; FMC_ENOMEM) with
 * *FAILED the file at fault: DIR itself, or the NAME of the chart. */
fmc_status report_write_charts(const report_page *page, const char *dir, chart_format format,
                               const char **failed);

#endif
