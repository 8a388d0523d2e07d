/* Diagnostics: the list of problems found in a scenario file, each with the
 * place (file, line, column) and the key it concerns.  A list holds problems
 * of one severity: the errors that make a scenario invalid, or the warnings
 * of a valid one (fmc_scenario.warnings). */
#ifndef FUNNELMC_DIAG_H
#define FUNNELMC_DIAG_H

#include <stddef.h>
#include <stdio.h>
#include "funnelmc/error.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef struct fmc_diagnostic {
    char *file;          /* as given by the caller */
    unsigned line;       /* 1-based; 0 when the problem has no position */
    unsigned column;     /* 1-based; 0 when the problem has no position */
    char *key;           /* dotted key path, e.g. "inputs.click_rate.mean"; may be "" */
    char *message;       /* lower-case, no trailing full stop */
} fmc_diagnostic;

/* A growing list; initialise with fmc_diagnostics_init, release with _clear. */
typedef struct fmc_diagnostics {
    fmc_diagnostic *items;
    size_t count;
    size_t capacity;
    int out_of_memory;   /* set when an item could not be stored */
} fmc_diagnostics;

/* An empty list. */
void fmc_diagnostics_init(fmc_diagnostics *list);
/* Frees every item and empties LIST, which may be used again. */
void fmc_diagnostics_clear(fmc_diagnostics *list);

/* Appends a diagnostic with a printf-style message.  Never fails loudly: when
 * memory runs out the item is dropped and list->out_of_memory is set. */
void fmc_diagnostics_add(fmc_diagnostics *list, const char *file, unsigned line,
                         unsigned column, const char *key, const char *format, ...)
    __attribute__((format(printf, 6, 7)));

/* Formats D as "FILE:LINE:COLUMN: 'KEY': MESSAGE" (without the place or the
 * key when it has none) into OUT of SIZE bytes, cut to fit; returns the
 * length it needed, as snprintf does. */
int fmc_diagnostic_format(const fmc_diagnostic *d, char *out, size_t size);

/* Writes each diagnostic as "SEVERITY: FILE:LINE:COLUMN: 'KEY': MESSAGE\n",
 * SEVERITY being "error" or "warning". */
void fmc_diagnostics_print_as(const fmc_diagnostics *list, const char *severity, FILE *stream);

/* fmc_diagnostics_print_as(LIST, "error", STREAM). */
void fmc_diagnostics_print(const fmc_diagnostics *list, FILE *stream);

#pragma GCC visibility pop

#endif
