/* TEMPORARY stub: the reader (h18-reader) and the page (h18-run) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "report.h"
fmc_status fmc_results_file_read(const char *path, fmc_results_file **out, fmc_read_problem *problem)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return FMC_EIO;
    fclose(f);
    snprintf(problem->object, sizeof problem->object, "/");
    snprintf(problem->message, sizeof problem->message, "not a funnelmc results file");
    return FMC_EFOREIGN;
}
const fmc_results_view *fmc_results_file_view(const fmc_results_file *file) { (void)file; return NULL; }
void fmc_results_file_free(fmc_results_file *file) { (void)file; }
fmc_status report_make(const fmc_results_view *view, report_page *page) { (void)view; (void)page; return FMC_ENOMEM; }
fmc_status report_write_html(const report_page *page, const char *path) { (void)page; (void)path; errno = EIO; return FMC_EIO; }
void page_clear(report_page *page) { (void)page; }
