/* funnelmc report: the report of a results file (report.h), a
 * self-contained HTML page, and with --charts its charts as files.  The
 * file is read whole before anything is written, and every output is
 * written atomically: a file that cannot be read leaves no report, and a
 * failure leaves an earlier report as it was. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "funnelmc/results.h"
#include "funnelmc/version.h"

static void report_usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc report RESULTS.h5 [-o REPORT.html] [--charts DIR [--format F]]\n"
            "                       [--scenario NAME] [--quiet]\n"
            "\n"
            "Writes the report of a results file (a run, sweeps, a batch or a bench): one\n"
            "self-contained HTML page, its charts inline SVG, no script and no network,\n"
            "that prints well and reads well on a phone.\n"
            "\n"
            "  -o, --output FILE   the page (default: RESULTS with .h5 replaced by .html)\n"
            "      --charts DIR    also each chart as a file DIR/NAME.svg (.png, .pdf);\n"
            "                      DIR is made when missing; without -o, the charts alone\n"
            "      --format F      the charts' format: svg (default), png or pdf, drawn\n"
            "                      from the same SVG by librsvg and cairo\n"
            "      --scenario NAME of a batch file, the report of its scenario NAME alone\n"
            "  -q, --quiet         do not print the paths written\n"
            "  -h, --help          show this help\n"
            "\n"
            "Every file is written atomically (a temporary beside it, renamed): a results\n"
            "file that cannot be read writes nothing (exit status 2), and a failure leaves\n"
            "an earlier report untouched (exit status 1).\n");
}

char *report_default_path(const char *results)
{
    size_t n = strlen(results);
    if (n > 3 && strcmp(results + n - 3, ".h5") == 0)
        n -= 3;
    char *path = malloc(n + sizeof ".html");
    if (path)
        snprintf(path, n + sizeof ".html", "%.*s.html", (int)n, results);
    return path;
}

/* Whether A and B name the same existing file. */
static int same_file(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

char *report_new_results(fmc_results_view view, const char *path)
{
    char created[32];
    fmc_results_created_now(created, sizeof created);
    view.funnelmc_version = fmc_version();
    view.created = created;
    char *written = path ? strdup(path) : report_default_path(view.path);
    if (written && same_file(written, view.path)) {
        print_error("'%s' is the results file itself: the report needs a name of its own",
                    written);
        free(written);
        return NULL;
    }
    report_page page;
    fmc_status status = written ? report_make(&view, &page) : FMC_ENOMEM;
    if (status == FMC_OK) {
        status = report_write_html(&page, written);
        page_clear(&page);
    }
    if (status == FMC_ENOMEM) {
        print_local_error("out of memory");
    } else if (status) {
        print_error("cannot write report '%s': %s", written, failure_reason(status));
    }
    if (status) {
        free(written);
        written = NULL;
    }
    return written;
}

/* Writes PAGE's charts under DIR as FORMAT, printing each path unless
 * QUIET; 0 or the exit status after printing why. */
static int write_charts(const report_page *page, const char *dir, chart_format format, int quiet)
{
    static const char *const extensions[] = {"svg", "png", "pdf"};
    const char *failed = NULL;
    fmc_status status = report_write_charts(page, dir, format, &failed);
    if (status == FMC_ENOMEM) {
        print_error("out of memory");
        return EXIT_RUN_FAILED;
    }
    if (status) {
        const char *reason = strerror(errno);
        if (failed == dir)
            print_error("cannot make directory '%s': %s", dir, reason);
        else
            print_error("cannot write '%s/%s.%s': %s", dir, failed, extensions[format], reason);
        return EXIT_RUN_FAILED;
    }
    for (size_t i = 0; i < page->chart_count && !quiet; i++)
        printf("chart: %s/%s.%s\n", dir, page->charts[i].name, extensions[format]);
    return 0;
}

int report_results(const report_request *request)
{
    fmc_results_file *file = NULL;
    int exit_status = read_results(request->results, &file);
    if (exit_status)
        return exit_status;
    const fmc_results_view *view = fmc_results_file_view(file), *part;
    char *default_html = NULL;
    const char *html = request->html;
    if (!html && !request->charts_dir)
        html = default_html = report_default_path(request->results);
    report_page page;
    memset(&page, 0, sizeof page);
    if (!html && !request->charts_dir) {
        print_error("out of memory");
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    if (html && same_file(html, request->results)) {
        print_error("'%s' is the results file itself: the report needs a name of its own", html);
        exit_status = EXIT_USAGE;
        goto done;
    }
    if ((exit_status = choose_scenario(view, request->scenario, &part)))
        goto done;
    if (report_make(part, &page) != FMC_OK) {
        print_error("out of memory");
        exit_status = EXIT_RUN_FAILED;
        goto done;
    }
    if (html && report_write_html(&page, html) != FMC_OK) {
        print_error("cannot write '%s': %s", html, strerror(errno));
        exit_status = EXIT_RUN_FAILED;
    } else if (html && !request->quiet) {
        printf("report: %s\n", html);
    }
    if (!exit_status && request->charts_dir)
        exit_status = write_charts(&page, request->charts_dir, request->format, request->quiet);
done:
    page_clear(&page);
    free(default_html);
    fmc_results_file_free(file);
    return exit_status;
}

/* The format named TEXT into *FORMAT; 0 after printing that it is none. */
static int parse_format(const char *text, chart_format *format)
{
    static const char *const names[] = {"svg", "png", "pdf"};
    for (int f = 0; f < 3; f++)
        if (strcmp(text, names[f]) == 0) {
            *format = (chart_format)f;
            return 1;
        }
    print_error("option '--format': expected svg, png or pdf, found '%s'", text);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    enum { OPT_CHARTS = OPT_COMMAND_OWN, OPT_FORMAT, OPT_SCENARIO };
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"charts", required_argument, NULL, OPT_CHARTS},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"scenario", required_argument, NULL, OPT_SCENARIO},
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    common_args common = {.command = "report", .usage = report_usage};
    report_request request = {.format = CHART_SVG};
    int c, exit_status, format_given = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", options, NULL)) != -1) {
        if (c == OPT_CHARTS)
            request.charts_dir = optarg;
        else if (c == OPT_FORMAT && !(format_given = parse_format(optarg, &request.format)))
            return EXIT_USAGE;
        else if (c == OPT_SCENARIO)
            request.scenario = optarg;
        else if (c != OPT_FORMAT && (exit_status = parse_common_option(c, argv, &common)) >= 0)
            return exit_status;
    }
    if (argc - optind != 1) {
        print_error("'report' takes one results file; see 'funnelmc report --help'");
        return EXIT_USAGE;
    }
    if (format_given && !request.charts_dir) {
        print_error("option '--format' is the charts' format: it needs '--charts DIR'");
        return EXIT_USAGE;
    }
    /* one writer of each file: the other processes of a job have nothing to do */
    if (!cli_is_leader())
        return 0;
    request.results = argv[optind];
    request.html = common.output;
    request.quiet = common.quiet;
    return report_results(&request);
}
