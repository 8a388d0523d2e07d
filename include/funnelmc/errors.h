/* How a result lists its figures that carry an error -- a standard error,
 * a confidence interval, or both -- so that one place (replicates.h) can
 * replace every error of a run without knowing any result's layout.
 *
 * Each result module has a function fmc_<result>_errors(result, visit,
 * context) that calls VISIT once per group of figures, always in the same
 * order for results of the same shape (the same scenario and options).
 * A figure without such a listing keeps its i.i.d. error under every
 * design: tests/unit/test_replicates.c checks, field by field, that every
 * field of every result struct is either listed or named there as having
 * no error. */
#ifndef FUNNELMC_ERRORS_H
#define FUNNELMC_ERRORS_H

#include <stddef.h>
#include <stdint.h>

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef struct fmc_error_figures {
    double *figure;      /* [count] the figures */
    double *se;          /* [count] their standard errors, or NULL (none kept) */
    double (*ci)[2];     /* [count] their confidence intervals, or NULL (none kept) */
    size_t count;
    /* 0: measured on every sample of the run; else on its first
     * min(SUBSAMPLE, samples) samples only (the equivalents, say) */
    uint64_t subsample;
} fmc_error_figures;

typedef void (*fmc_error_visit)(void *context, const fmc_error_figures *figures);

/* VISIT(CONTEXT) on one group; a shorthand for the listing functions. */
static inline void fmc_error_list(fmc_error_visit visit, void *context, double *figure,
                                  double *se, double (*ci)[2], size_t count, uint64_t subsample)
{
    fmc_error_figures f = {figure, se, ci, count, subsample};
    visit(context, &f);
}

#pragma GCC visibility pop

#endif
