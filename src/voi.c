/* The value of information by cross-fitted bins; see voi.h for the
 * estimator (Strong & Oakley 2013 with population bins, K-fold
 * cross-fitting against the plug-in's upward bias).
 *
 * Every slot and every fold holds one table of sums, all doubles so that
 * merging is one loop (counts stay exact up to 2^53):
 *   cell sums   [cells][options]  sum of v_k over the samples of a bin
 *   cell counts [cells]
 *   option sums [options]         sum of v_k over all samples
 *   max sum                       sum of max_k v_k
 *   count
 * where the cells are the bins of every partition, one after the other. */
#include "funnelmc/voi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct fmc_voi {
    size_t options, partitions, folds, slots;
    size_t cells;         /* bins of all partitions */
    size_t table;         /* doubles of one table */
    size_t *first_cell;   /* [partitions + 1] */
    size_t *slot_fold;    /* [slots] the fold of what a slot holds */
    double *slot_sums;    /* [slots][table] */
    double *fold_sums;    /* [folds][table] */
    double *total;        /* [table] every fold's, merged in the same order */
};

/* Where a table's parts start. */
static double *cell_sums(const fmc_voi *v, double *t, size_t cell) { return t + cell * v->options; }
static double *cell_count(const fmc_voi *v, double *t, size_t cell)
{
    return t + v->cells * v->options + cell;
}
static double *option_sums(const fmc_voi *v, double *t) { return t + v->cells * (v->options + 1); }
static double *max_sum(const fmc_voi *v, double *t) { return option_sums(v, t) + v->options; }
static double *sample_count(const fmc_voi *v, double *t) { return max_sum(v, t) + 1; }

void fmc_voi_free(fmc_voi *v)
{
    if (!v)
        return;
    free(v->first_cell);
    free(v->slot_fold);
    free(v->slot_sums);
    free(v->fold_sums);
    free(v->total);
    free(v);
}

fmc_status fmc_voi_alloc(const fmc_voi_layout *layout, fmc_voi **out)
{
    *out = NULL;
    if (layout->options < 1 || layout->folds < 2 || layout->folds > FMC_VOI_MAX_FOLDS ||
        layout->slots < 1 || (layout->partitions && !layout->bins))
        return FMC_EINVAL;
    size_t cells = 0;
    for (size_t p = 0; p < layout->partitions; p++) {
        if (layout->bins[p] < 1 || layout->bins[p] > FMC_VOI_MAX_BINS)
            return FMC_EINVAL;
        cells += layout->bins[p];
    }
    fmc_voi *v = calloc(1, sizeof *v);
    if (!v)
        return FMC_ENOMEM;
    *v = (fmc_voi){layout->options, layout->partitions, layout->folds, layout->slots, cells, 0,
                   NULL, NULL, NULL, NULL, NULL};
    v->table = cells * (v->options + 1) + v->options + 2;
    v->first_cell = malloc((v->partitions + 1) * sizeof *v->first_cell);
    v->slot_fold = calloc(v->slots, sizeof *v->slot_fold);
    v->slot_sums = calloc(v->slots * v->table, sizeof *v->slot_sums);
    v->fold_sums = calloc(v->folds * v->table, sizeof *v->fold_sums);
    v->total = calloc(v->table, sizeof *v->total);
    if (!v->first_cell || !v->slot_fold || !v->slot_sums || !v->fold_sums || !v->total) {
        fmc_voi_free(v);
        return FMC_ENOMEM;
    }
    v->first_cell[0] = 0;
    for (size_t p = 0; p < v->partitions; p++)
        v->first_cell[p + 1] = v->first_cell[p] + layout->bins[p];
    *out = v;
    return FMC_OK;
}

size_t fmc_voi_bytes(const fmc_voi *v)
{
    return sizeof *v + (v->partitions + 1 + v->slots) * sizeof(size_t) +
           (v->slots + v->folds + 1) * v->table * sizeof(double);
}

void fmc_voi_add(fmc_voi *v, size_t slot, size_t fold, const double *const *values,
                 const uint16_t *const *bins, size_t count)
{
    double *t = v->slot_sums + slot * v->table;
    size_t options = v->options;
    v->slot_fold[slot] = fold;
    double *sums = option_sums(v, t), *maxima = max_sum(v, t);
    for (size_t i = 0; i < count; i++) {
        double best = values[0][i];
        for (size_t k = 0; k < options; k++) {
            sums[k] += values[k][i];
            best = values[k][i] > best ? values[k][i] : best;
        }
        *maxima += best;
    }
    *sample_count(v, t) += (double)count;
    for (size_t p = 0; p < v->partitions; p++) {
        const uint16_t *bin = bins[p];
        size_t first = v->first_cell[p];
        for (size_t i = 0; i < count; i++) {
            size_t cell = first + bin[i];
            double *s = cell_sums(v, t, cell);
            for (size_t k = 0; k < options; k++)
                s[k] += values[k][i];
            *cell_count(v, t, cell) += 1;
        }
    }
}

void fmc_voi_merge_round(fmc_voi *v, size_t count)
{
    for (size_t slot = 0; slot < count; slot++) {
        double *t = v->slot_sums + slot * v->table;
        double *fold = v->fold_sums + v->slot_fold[slot] * v->table;
        for (size_t x = 0; x < v->table; x++) {
            fold[x] += t[x];
            v->total[x] += t[x];
        }
        memset(t, 0, v->table * sizeof *t);
    }
}

/* The option of largest TOTAL[k] - FOLD[k] (the other folds' sums), the
 * lowest index on ties. */
static size_t choose(size_t options, const double *total, const double *fold)
{
    size_t best = 0;
    double top = total[0] - fold[0];
    for (size_t k = 1; k < options; k++)
        if (total[k] - fold[k] > top) {
            top = total[k] - fold[k];
            best = k;
        }
    return best;
}

static double fold_count(const fmc_voi *v, size_t g)
{
    return *sample_count(v, v->fold_sums + g * v->table);
}

/* n_g times fold G's estimate of partition P's EVPPI, or with P ==
 * v->partitions of the EVPI: the choices made on the other folds,
 * evaluated on fold G's sums. */
static double fold_gain(const fmc_voi *v, size_t g, size_t p)
{
    double *fold = v->fold_sums + g * v->table, *total = v->total;
    size_t overall = choose(v->options, option_sums(v, total), option_sums(v, fold));
    double now = option_sums(v, fold)[overall];
    if (p == v->partitions)
        return *max_sum(v, fold) - now;
    double gain = 0;
    for (size_t cell = v->first_cell[p]; cell < v->first_cell[p + 1]; cell++) {
        const double *s = cell_sums(v, fold, cell);
        int seen = *cell_count(v, total, cell) - *cell_count(v, fold, cell) > 0;
        size_t k = seen ? choose(v->options, cell_sums(v, total, cell), s) : overall;
        gain += s[k] - s[overall];
    }
    return gain;
}

/* Partition P's estimate (P == partitions: the EVPI) and its batch-means
 * standard error over the USED folds that hold samples, N in all. */
static void estimate_one(const fmc_voi *v, size_t p, double n, size_t used, double *value,
                         double *se)
{
    double gains[FMC_VOI_MAX_FOLDS], sum = 0;
    for (size_t g = 0; g < v->folds; g++) {
        gains[g] = fold_count(v, g) > 0 ? fold_gain(v, g, p) : 0;
        sum += gains[g];
    }
    *value = sum / n;
    double spread = 0;
    for (size_t g = 0; g < v->folds; g++) {
        double n_g = fold_count(v, g);
        if (n_g > 0) {
            double d = (gains[g] / n_g - *value) * (n_g / n);
            spread += d * d;
        }
    }
    *se = sqrt(spread * (double)used / (double)(used - 1));
}

void fmc_voi_estimate_all(const fmc_voi *v, fmc_voi_estimate *out)
{
    double n = *sample_count(v, v->total);
    size_t used = 0;
    for (size_t g = 0; g < v->folds; g++)
        used += fold_count(v, g) > 0;
    const double *sums = option_sums(v, v->total);
    out->samples = (uint64_t)n;
    out->best = 0;
    for (size_t k = 1; k < v->options; k++)
        if (sums[k] > sums[out->best])
            out->best = k;
    out->best_mean = n > 0 ? sums[out->best] / n : NAN;
    if (used < 2) {
        out->evpi = out->evpi_se = NAN;
        for (size_t p = 0; p < v->partitions; p++)
            out->evppi[p] = out->evppi_se[p] = NAN;
        return;
    }
    estimate_one(v, v->partitions, n, used, &out->evpi, &out->evpi_se);
    for (size_t p = 0; p < v->partitions; p++)
        estimate_one(v, p, n, used, &out->evppi[p], &out->evppi_se[p]);
}
