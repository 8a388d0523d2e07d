/* The value of information by cross-fitted bins; see voi.h for the
 * estimator (Strong & Oakley 2013 with population bins, K-fold
 * cross-fitting against the plug-in's upward bias, and a Bayesian
 * bootstrap over folds, Rubin 1981, for the standard errors).
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
#include "funnelmc/accumulator.h"
#include "funnelmc/sampler.h"
#include "funnelmc/stream.h"
#include "dispatch.h"

struct fmc_voi {
    size_t options, partitions, folds, slots;
    size_t cells;         /* bins of all partitions */
    size_t table;         /* doubles of one table */
    size_t *first_cell;   /* [partitions + 1] */
    size_t *slot_fold;    /* [slots] the fold of what a slot holds */
    double *slot_sums;    /* [slots][table] */
    double *fold_sums;    /* [folds][table] */
    double *total;        /* [table] every fold's, merged in the same order */
    /* the estimate's scratch: */
    double *weighted;     /* [table] the folds' sums weighted */
    double *weights;      /* [folds] */
    double *figures;      /* [4][partitions + 1] estimate, replicate, their differences' sums */
};

/* Where the parts of table T start (writable when T is). */
static double *cell_sums(const fmc_voi *v, const double *t, size_t cell)
{
    return (double *)t + cell * v->options;
}
static double *cell_count(const fmc_voi *v, const double *t, size_t cell)
{
    return (double *)t + v->cells * v->options + cell;
}
static double *option_sums(const fmc_voi *v, const double *t)
{
    return (double *)t + v->cells * (v->options + 1);
}
static double *max_sum(const fmc_voi *v, const double *t) { return option_sums(v, t) + v->options; }
static double *sample_count(const fmc_voi *v, const double *t) { return max_sum(v, t) + 1; }

void fmc_voi_free(fmc_voi *v)
{
    if (!v)
        return;
    free(v->first_cell);
    free(v->slot_fold);
    free(v->slot_sums);
    free(v->fold_sums);
    free(v->total);
    free(v->weighted);
    free(v->weights);
    free(v->figures);
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
    v->options = layout->options;
    v->partitions = layout->partitions;
    v->folds = layout->folds;
    v->slots = layout->slots;
    v->cells = cells;
    v->table = cells * (v->options + 1) + v->options + 2;
    v->first_cell = malloc((v->partitions + 1) * sizeof *v->first_cell);
    v->slot_fold = calloc(v->slots, sizeof *v->slot_fold);
    v->slot_sums = calloc(v->slots * v->table, sizeof *v->slot_sums);
    v->fold_sums = calloc(v->folds * v->table, sizeof *v->fold_sums);
    v->total = calloc(v->table, sizeof *v->total);
    v->weighted = malloc(v->table * sizeof *v->weighted);
    v->weights = malloc(v->folds * sizeof *v->weights);
    v->figures = malloc(4 * (v->partitions + 1) * sizeof *v->figures);
    if (!v->first_cell || !v->slot_fold || !v->slot_sums || !v->fold_sums || !v->total ||
        !v->weighted || !v->weights || !v->figures) {
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
           ((v->slots + v->folds + 2) * v->table + v->folds + 4 * (v->partitions + 1)) *
               sizeof(double);
}

FMC_HOT_LOOP
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

void fmc_voi_share(fmc_voi *v, fmc_run_shares *shares)
{
    fmc_run_shares_slots(shares, v->slot_fold, sizeof *v->slot_fold, sizeof *v->slot_fold);
    size_t table = v->table * sizeof *v->slot_sums;
    fmc_run_shares_slots(shares, v->slot_sums, table, table);
}

/* The option of largest TOTAL[k] - WEIGHT FOLD[k] (the other folds'
 * sums), the lowest index on ties. */
static size_t choose(size_t options, const double *total, const double *fold, double weight)
{
    size_t best = 0;
    double top = total[0] - weight * fold[0];
    for (size_t k = 1; k < options; k++)
        if (total[k] - weight * fold[k] > top) {
            top = total[k] - weight * fold[k];
            best = k;
        }
    return best;
}

static double fold_count(const fmc_voi *v, size_t g)
{
    return *sample_count(v, v->fold_sums + g * v->table);
}

/* Adds WEIGHT times fold G's gain of every partition, and at index
 * partitions of the EVPI, to GAINS: the choices made on the other folds'
 * sums (TOTAL, every fold's weighted, less WEIGHT times fold G's) and
 * evaluated on fold G's. */
static void add_fold_gains(const fmc_voi *v, size_t g, const double *total, double weight,
                           double *gains)
{
    double *fold = v->fold_sums + g * v->table;
    size_t overall = choose(v->options, option_sums(v, total), option_sums(v, fold), weight);
    double now = option_sums(v, fold)[overall];
    gains[v->partitions] += weight * (*max_sum(v, fold) - now);
    for (size_t p = 0; p < v->partitions; p++) {
        double gain = 0;
        for (size_t cell = v->first_cell[p]; cell < v->first_cell[p + 1]; cell++) {
            const double *s = cell_sums(v, fold, cell);
            /* exactly 0 when no other fold has a sample there */
            int seen = *cell_count(v, total, cell) - weight * *cell_count(v, fold, cell) > 0;
            size_t k = seen ? choose(v->options, cell_sums(v, total, cell), s, weight)
                            : overall;
            gain += s[k] - s[overall];
        }
        gains[p] += weight * gain;
    }
}

/* Every partition's estimate, and at index partitions the EVPI's, into
 * ESTIMATES, with the folds weighted by WEIGHTS (NULL: 1 each; V's
 * scratch holds the weighted sums). */
FMC_HOT_LOOP
static void estimate_weighted(fmc_voi *v, const double *weights, double *estimates)
{
    const double *total = v->total;
    if (weights) {
        memset(v->weighted, 0, v->table * sizeof *v->weighted);
        for (size_t g = 0; g < v->folds; g++)
            if (fold_count(v, g) > 0)
                for (size_t x = 0; x < v->table; x++)
                    v->weighted[x] += weights[g] * v->fold_sums[g * v->table + x];
        total = v->weighted;
    }
    memset(estimates, 0, (v->partitions + 1) * sizeof *estimates);
    for (size_t g = 0; g < v->folds; g++)
        if (fold_count(v, g) > 0)
            add_fold_gains(v, g, total, weights ? weights[g] : 1, estimates);
    double n = *sample_count(v, total);
    for (size_t p = 0; p <= v->partitions; p++)
        estimates[p] /= n;
}

void fmc_voi_estimate_all(fmc_voi *v, uint64_t seed, fmc_voi_estimate *out)
{
    double n = *sample_count(v, v->total);
    size_t used = 0, P = v->partitions;
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
        for (size_t p = 0; p < P; p++)
            out->evppi[p] = out->evppi_se[p] = NAN;
        return;
    }
    double *point = v->figures, *replica = point + P + 1, *sum = replica + P + 1;
    double *sum2 = sum + P + 1;
    estimate_weighted(v, NULL, point);
    memset(sum, 0, 2 * (P + 1) * sizeof *sum);
    for (uint64_t r = 0; r < FMC_VOI_REPLICATES; r++) {
        for (size_t g = 0; g < v->folds; g++)
            v->weights[g] = -log(fmc_word_to_uniform(fmc_stream_word(seed, FMC_PURPOSE_VOI, r,
                                                                     (uint32_t)g)));
        estimate_weighted(v, v->weights, replica);
        for (size_t p = 0; p <= P; p++) {
            double d = replica[p] - point[p];
            sum[p] += d;
            sum2[p] += d * d;
        }
    }
    double R = FMC_VOI_REPLICATES;
    for (size_t p = 0; p <= P; p++) {
        double variance = (sum2[p] - sum[p] * sum[p] / R) / (R - 1);
        double se = sqrt(variance > 0 ? variance : 0);
        if (p < P) {
            out->evppi[p] = point[p];
            out->evppi_se[p] = se;
        } else {
            out->evpi = point[p];
            out->evpi_se = se;
        }
    }
}
