/* The files of a report (report.h): the page, and its chart files --
 * SVG as the page holds it; PNG and PDF drawn from that same SVG by
 * librsvg onto a cairo surface, so there is one drawing code and the
 * files look like the page.  librsvg is GNOME's maintained SVG renderer, packaged by
 * Debian (librsvg2-dev) with cairo, which writes both PNG and PDF.
 *
 * Each file is written as git's lockfile writes: into a temporary file
 * beside the target (".NAME.EXT.tmp-PID-XXXXXX"), flushed to the disk,
 * then renamed over the target, so that a reader sees the earlier file or
 * the whole new one, never a part. */
#define _GNU_SOURCE
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <librsvg/rsvg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "report.h"

/* PNG pixels per CSS pixel: twice, for text as crisp as on a phone's
 * screen; PDF points per CSS pixel: 72 / 96, CSS's own ratio. */
#define PNG_SCALE 2.0
#define PDF_POINTS_PER_PIXEL 0.75

/* Creates DIR and its missing parents (as mkdir -p); 0, or -1 with errno. */
static int make_directory(const char *dir)
{
    if (!dir[0]) {
        errno = ENOENT;
        return -1;
    }
    char *path = strdup(dir);
    if (!path)
        return -1;
    int status = 0;
    /* every prefix ending before a '/', then the whole path */
    for (char *slash = path + 1;; slash++) {
        if (*slash != '/' && *slash != '\0')
            continue;
        char end = *slash;
        *slash = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            status = -1;
        *slash = end;
        if (status || end == '\0')
            break;
    }
    struct stat st;
    if (status == 0 && stat(path, &st) != 0)
        status = -1;
    else if (status == 0 && !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        status = -1;
    }
    free(path);
    return status;
}

/* cairo's write callback onto a stdio stream. */
static cairo_status_t write_to_stream(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
                                                       : CAIRO_STATUS_WRITE_ERROR;
}

/* The size of the SVG in HANDLE in CSS pixels: its width and height, or
 * without them its viewBox. */
static int svg_size(RsvgHandle *handle, double *width, double *height)
{
    rsvg_handle_set_dpi(handle, 96.0);
    if (rsvg_handle_get_intrinsic_size_in_pixels(handle, width, height))
        return *width > 0 && *height > 0;
    gboolean has_width, has_height, has_viewbox;
    RsvgLength w, h;
    RsvgRectangle viewbox;
    rsvg_handle_get_intrinsic_dimensions(handle, &has_width, &w, &has_height, &h, &has_viewbox,
                                         &viewbox);
    *width = viewbox.width;
    *height = viewbox.height;
    return has_viewbox && *width > 0 && *height > 0;
}

/* Draws SVG onto a surface of FORMAT written to OUT; 0, or -1 with errno
 * (EINVAL: librsvg could not draw the SVG; ENOMEM; EIO: writing failed). */
static int render(const char *svg, chart_format format, FILE *out)
{
    GError *error = NULL;
    RsvgHandle *handle = rsvg_handle_new_from_data((const guint8 *)svg, strlen(svg), &error);
    double width, height;
    if (!handle || !svg_size(handle, &width, &height)) {
        if (error)
            g_error_free(error);
        if (handle)
            g_object_unref(handle);
        errno = EINVAL;
        return -1;
    }
    double scale = format == CHART_PNG ? PNG_SCALE : PDF_POINTS_PER_PIXEL;
    RsvgRectangle viewport = {0, 0, width * scale, height * scale};
    cairo_surface_t *surface =
        format == CHART_PNG
            ? cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(viewport.width + 0.5),
                                         (int)(viewport.height + 0.5))
            : cairo_pdf_surface_create_for_stream(write_to_stream, out, viewport.width,
                                                  viewport.height);
    cairo_t *cr = cairo_create(surface);
    if (format == CHART_PNG) {
        /* a transparent PNG shows black in some viewers: paint the page white */
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
    }
    int drawn = rsvg_handle_render_document(handle, cr, &viewport, &error);
    cairo_destroy(cr);
    int status = cairo_surface_status(surface);
    if (drawn && status == CAIRO_STATUS_SUCCESS && format == CHART_PNG)
        status = cairo_surface_write_to_png_stream(surface, write_to_stream, out);
    /* a PDF is written out as its surface finishes */
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (error)
        g_error_free(error);
    g_object_unref(handle);
    if (drawn && status == CAIRO_STATUS_SUCCESS)
        return 0;
    errno = !drawn ? EINVAL : status == CAIRO_STATUS_NO_MEMORY ? ENOMEM : EIO;
    return -1;
}

/* Writes into PATH as it is when it is not a regular file: a device or a
 * pipe (-o /dev/null, /dev/stdout) is written to, never renamed over, which
 * as root would replace the device with a file. */
static int write_in_place(const char *path, int (*fill)(FILE *out, const void *context),
                          const void *context)
{
    FILE *out = fopen(path, "wb");
    if (!out)
        return -1;
    int status = fill(out, context);
    int saved = errno;
    if (fclose(out) != 0 && status == 0)
        return -1;
    errno = saved;
    return status;
}

/* Writes PATH atomically, its content written to OUT by FILL (0, or -1
 * with errno); 0, or -1 with errno, PATH untouched and no temporary left. */
static int write_atomically(const char *path, int (*fill)(FILE *out, const void *context),
                            const void *context)
{
    struct stat existing;
    if (stat(path, &existing) == 0 && !S_ISREG(existing.st_mode)) {
        if (S_ISDIR(existing.st_mode)) {
            errno = EISDIR;
            return -1;
        }
        return write_in_place(path, fill, context);
    }
    size_t n = strlen(path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *temp = malloc(n + 64);
    if (!temp) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(temp, n + 64, "%.*s.%s.tmp-%ld-XXXXXX", (int)(base - path), path, base,
             (long)getpid());
    int fd = mkstemp(temp);
    if (fd < 0) {
        free(temp);
        return -1;
    }
    /* mkstemp makes the file private; give it what creat() would give */
    mode_t mask = umask(0);
    umask(mask);
    FILE *out = fdopen(fd, "wb");
    int status = out && fchmod(fd, 0666 & ~mask) == 0 ? 0 : -1;
    if (status == 0)
        status = fill(out, context);
    /* the data must be on the disk before the name points at it */
    if (status == 0 && (fflush(out) != 0 || fsync(fd) != 0))
        status = -1;
    int saved = errno;
    if (out ? fclose(out) != 0 : close(fd) != 0)
        status = status ? status : (saved = errno, -1);
    if (status == 0 && rename(temp, path) != 0) {
        status = -1;
        saved = errno;
    }
    if (status)
        unlink(temp);
    free(temp);
    errno = saved;
    return status;
}

static int fill_page(FILE *out, const void *context)
{
    const report_page *page = context;
    return page->length == 0 || fwrite(page->html, 1, page->length, out) == page->length ? 0
                                                                                          : -1;
}

fmc_status report_write_html(const report_page *page, const char *path)
{
    return write_atomically(path, fill_page, page) == 0 ? FMC_OK : FMC_EIO;
}

/* A chart's SVG in a format, for fill_chart. */
typedef struct chart_file {
    const char *svg;
    chart_format format;
} chart_file;

static int fill_chart(FILE *out, const void *context)
{
    const chart_file *chart = context;
    if (chart->format == CHART_SVG)
        return fputs(chart->svg, out) >= 0 ? 0 : -1;
    return render(chart->svg, chart->format, out);
}

fmc_status report_write_charts(const report_page *page, const char *dir, chart_format format,
                               const char **failed)
{
    static const char *const extensions[] = {"svg", "png", "pdf"};
    *failed = dir;
    if (make_directory(dir) != 0)
        return FMC_EIO;
    size_t room = strlen(dir) + sizeof page->charts[0].name + 8;
    char *path = malloc(room);
    if (!path)
        return FMC_ENOMEM;
    fmc_status status = FMC_OK;
    for (size_t i = 0; i < page->chart_count && status == FMC_OK; i++) {
        snprintf(path, room, "%s/%s.%s", dir, page->charts[i].name, extensions[format]);
        chart_file chart = {page->charts[i].svg, format};
        if (write_atomically(path, fill_chart, &chart) != 0) {
            status = errno == ENOMEM ? FMC_ENOMEM : FMC_EIO;
            *failed = page->charts[i].name;
        }
    }
    if (status == FMC_OK) {
        *failed = NULL;
        /* the renames are kept only once the directory is on the disk too */
        int fd = open(dir, O_RDONLY | O_DIRECTORY);
        if (fd >= 0) {
            if (fsync(fd) != 0 && errno != EINVAL)
                status = FMC_EIO;
            close(fd);
        }
    }
    free(path);
    return status;
}
