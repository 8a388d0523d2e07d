/* Laws on a finite set of points (discrete and empirical): the distinct
 * values in ascending order with their cumulative probabilities; the
 * quantile at p is the first point whose cumulative probability reaches p. */
#include <math.h>
#include <stdlib.h>

#include "law.h"

typedef struct weighted_point {
    double value, weight;
} weighted_point;

static int compare_points(const void *a, const void *b)
{
    double x = ((const weighted_point *)a)->value, y = ((const weighted_point *)b)->value;
    return (x > y) - (x < y);
}

fmc_status fmc_law_set_points(fmc_dist *d, const fmc_dist_type *kind, const char *value_key,
                              const double *values, const double *weights, size_t count,
                              fmc_dist_problem *why)
{
    if (count == 0)
        return fmc_law_fail(why, value_key, "%s needs at least one value", value_key);
    double total = 0;
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(values[i]))
            return fmc_law_fail(why, value_key, "%s[%zu] is not a finite number", value_key, i);
        double w = weights ? weights[i] : 1.0;
        if (!(isfinite(w) && w >= 0))
            return fmc_law_fail(why, "weights", "weights[%zu] must be a finite number >= 0", i);
        total += w;
    }
    if (!(total > 0) || !isfinite(total))
        return fmc_law_fail(why, "weights", "weights must not all be zero");

    weighted_point *sorted = malloc(count * sizeof *sorted);
    double *points = malloc(count * sizeof *points);
    double *cumulative = malloc(count * sizeof *cumulative);
    if (!sorted || !points || !cumulative) {
        free(sorted);
        free(points);
        free(cumulative);
        fmc_law_fail(why, value_key, "out of memory");
        return FMC_ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        sorted[i].value = values[i];
        sorted[i].weight = weights ? weights[i] : 1.0;
    }
    qsort(sorted, count, sizeof *sorted, compare_points);
    size_t distinct = 0;
    double running = 0;
    for (size_t i = 0; i < count; i++) {
        running += sorted[i].weight;
        if (sorted[i].weight == 0)
            continue;
        if (distinct > 0 && points[distinct - 1] == sorted[i].value) {
            cumulative[distinct - 1] = running / total;
            continue;
        }
        points[distinct] = sorted[i].value;
        cumulative[distinct] = running / total;
        distinct++;
    }
    free(sorted);
    cumulative[distinct - 1] = 1.0;  /* exactly, whatever the rounding of the sum */

    fmc_law_reset(d, kind);
    d->points = points;
    d->cumulative = cumulative;
    d->count = distinct;
    d->min = points[0];
    d->max = points[distinct - 1];
    return FMC_OK;
}

static double point_moment(const fmc_dist *d, double centre, int power)
{
    double sum = 0, previous = 0;
    for (size_t i = 0; i < d->count; i++) {
        double p = d->cumulative[i] - previous, dx = d->points[i] - centre;
        previous = d->cumulative[i];
        sum += p * (power == 1 ? dx : dx * dx);
    }
    return sum;
}

double fmc_law_points_mean(const fmc_dist *d)
{
    return point_moment(d, 0, 1);
}

double fmc_law_points_variance(const fmc_dist *d)
{
    return point_moment(d, fmc_law_points_mean(d), 2);
}

double fmc_law_points_cdf(const fmc_dist *d, double x)
{
    if (x < d->points[0])
        return 0;
    size_t lo = 0, hi = d->count - 1;  /* last point <= x */
    while (lo < hi) {
        size_t mid = hi - (hi - lo) / 2;
        if (d->points[mid] <= x)
            lo = mid;
        else
            hi = mid - 1;
    }
    return d->cumulative[lo];
}

double fmc_law_points_quantile(const fmc_dist *d, double p, int upper)
{
    double reach = upper ? 1 - p : p;
    size_t lo = 0, hi = d->count - 1;  /* first point whose cumulative reaches REACH */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->cumulative[mid] >= reach)
            hi = mid;
        else
            lo = mid + 1;
    }
    return d->points[lo];
}
