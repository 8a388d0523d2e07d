#include "funnelmc/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void fmc_diagnostics_init(fmc_diagnostics *list)
{
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
    list->out_of_memory = 0;
}

void fmc_diagnostics_clear(fmc_diagnostics *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].file);
        free(list->items[i].key);
        free(list->items[i].message);
    }
    free(list->items);
    fmc_diagnostics_init(list);
}

static char *copy_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

void fmc_diagnostics_add(fmc_diagnostics *list, const char *file, unsigned line,
                         unsigned column, const char *key, const char *format, ...)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? 2 * list->capacity : 8;
        fmc_diagnostic *items = realloc(list->items, capacity * sizeof *items);
        if (!items) {
            list->out_of_memory = 1;
            return;
        }
        list->items = items;
        list->capacity = capacity;
    }
    va_list args;
    va_start(args, format);
    int length = vsnprintf(NULL, 0, format, args);
    va_end(args);

    fmc_diagnostic *d = &list->items[list->count];
    d->file = copy_string(file ? file : "");
    d->key = copy_string(key ? key : "");
    d->message = length < 0 ? NULL : malloc((size_t)length + 1);
    if (d->message) {
        va_start(args, format);
        vsnprintf(d->message, (size_t)length + 1, format, args);
        va_end(args);
    }
    d->line = line;
    d->column = column;
    if (!d->file || !d->key || !d->message) {
        free(d->file);
        free(d->key);
        free(d->message);
        list->out_of_memory = 1;
        return;
    }
    list->count++;
}

int fmc_diagnostic_format(const fmc_diagnostic *d, char *out, size_t size)
{
    char place[32] = "";
    if (d->line)
        snprintf(place, sizeof place, ":%u:%u", d->line, d->column);
    const char *quote = d->key[0] ? "'" : "";
    return snprintf(out, size, "%s%s%s%s%s%s: %s", d->file, place, d->key[0] ? ": " : "", quote,
                    d->key, quote, d->message);
}

void fmc_diagnostics_print_as(const fmc_diagnostics *list, const char *severity, FILE *stream)
{
    for (size_t i = 0; i < list->count; i++) {
        const fmc_diagnostic *d = &list->items[i];
        size_t n = (size_t)fmc_diagnostic_format(d, NULL, 0) + 1;
        char *line = malloc(n);
        if (line)
            fmc_diagnostic_format(d, line, n);
        fprintf(stream, "%s: %s\n", severity, line ? line : d->message);
        free(line);
    }
    if (list->out_of_memory)
        fprintf(stream, "%s: out of memory while collecting %ss; some are not shown\n", severity,
                severity);
}

void fmc_diagnostics_print(const fmc_diagnostics *list, FILE *stream)
{
    fmc_diagnostics_print_as(list, "error", stream);
}
