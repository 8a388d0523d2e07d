/* HDF5 helpers shared by the results writers.  Error paths follow netcdf-c's
 * pattern: every hid_t starts invalid, any failure jumps to one cleanup
 * label that closes the handles that are valid. */
#define _POSIX_C_SOURCE 200809L
#include "results_internal.h"

#include <ctype.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "funnelmc/version.h"
#include "funnelmc/results.h"

void fmc_h5_prepare(void)
{
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

hid_t fmc_h5_utf8_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

static herr_t write_attribute(hid_t loc, const char *name, hid_t type, const void *value)
{
    herr_t status = -1;
    hid_t space = H5Screate(H5S_SCALAR), attr = H5I_INVALID_HID;
    if (space < 0)
        goto done;
    attr = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attr < 0)
        goto done;
    status = H5Awrite(attr, type, value);
done:
    if (attr >= 0)
        H5Aclose(attr);
    if (space >= 0)
        H5Sclose(space);
    return status;
}

herr_t fmc_h5_attr_double(hid_t loc, const char *name, double value)
{
    return write_attribute(loc, name, H5T_NATIVE_DOUBLE, &value);
}

herr_t fmc_h5_attr_u64(hid_t loc, const char *name, uint64_t value)
{
    return write_attribute(loc, name, H5T_NATIVE_UINT64, &value);
}

herr_t fmc_h5_attr_text(hid_t loc, const char *name, const char *value)
{
    hid_t type = fmc_h5_utf8_type();
    if (type < 0)
        return -1;
    herr_t status = write_attribute(loc, name, type, &value);
    H5Tclose(type);
    return status;
}

herr_t fmc_h5_attributes(hid_t loc, const fmc_h5_attribute *table, size_t count)
{
    herr_t status = 0;
    for (size_t i = 0; i < count && status >= 0; i++) {
        const fmc_h5_attribute *a = &table[i];
        switch (a->kind) {
        case FMC_H5_DOUBLE:
            status = fmc_h5_attr_double(loc, a->name, a->number);
            break;
        case FMC_H5_U64:
            status = fmc_h5_attr_u64(loc, a->name, a->count);
            break;
        case FMC_H5_INT:
            status = write_attribute(loc, a->name, H5T_NATIVE_INT, &(int){(int)a->count});
            break;
        case FMC_H5_TEXT:
            status = fmc_h5_attr_text(loc, a->name, a->text);
            break;
        }
    }
    return status;
}

herr_t fmc_h5_read_text(hid_t loc, const char *name, char *buffer, size_t size)
{
    herr_t status = -1;
    hid_t attr = H5Aopen(loc, name, H5P_DEFAULT), type = fmc_h5_utf8_type();
    char *value = NULL;
    if (attr >= 0 && type >= 0 && H5Aread(attr, type, &value) >= 0 && value) {
        snprintf(buffer, size, "%s", value);
        status = 0;
    }
    if (value)
        H5free_memory(value);
    if (type >= 0)
        H5Tclose(type);
    if (attr >= 0)
        H5Aclose(attr);
    return status;
}

herr_t fmc_h5_strings(hid_t loc, const char *name, const char *const *values, size_t n)
{
    herr_t status = -1;
    hsize_t dims[1] = {n};
    hid_t type = fmc_h5_utf8_type(), space = H5I_INVALID_HID, set = H5I_INVALID_HID;
    if (type < 0 || (space = H5Screate_simple(1, dims, NULL)) < 0)
        goto done;
    set = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (set < 0)
        goto done;
    status = H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
done:
    if (set >= 0)
        H5Dclose(set);
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    return status;
}

herr_t fmc_h5_datasets(hid_t loc, const fmc_h5_dataset *table, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (H5LTmake_dataset_double(loc, table[i].name, table[i].rank, table[i].dims,
                                    table[i].values) < 0 ||
            (table[i].axes[0] && fmc_h5_attach(loc, table[i].name, table[i].axes) < 0))
            return -1;
    return 0;
}

herr_t fmc_h5_scale(hid_t loc, const char *name)
{
    hid_t set = H5Dopen2(loc, name, H5P_DEFAULT);
    if (set < 0)
        return -1;
    herr_t status = H5DSset_scale(set, name);
    H5Dclose(set);
    return status;
}

herr_t fmc_h5_coordinate_strings(hid_t loc, const char *name, const char *const *values,
                                 size_t n)
{
    return fmc_h5_strings(loc, name, values, n) < 0 ? -1 : fmc_h5_scale(loc, name);
}

herr_t fmc_h5_coordinate_doubles(hid_t loc, const char *name, size_t n, const double *values)
{
    return fmc_h5_doubles(loc, name, n, values) < 0 ? -1 : fmc_h5_scale(loc, name);
}

/* The NAME netCDF-C gives such a scale: this text, then the length in 10
 * columns; readers look for the text only. */
#define DIMENSION_WITHOUT_VARIABLE "This is a netCDF dimension but not a netCDF variable."

herr_t fmc_h5_dimension(hid_t loc, const char *name, size_t n)
{
    herr_t status = -1;
    hsize_t dims[1] = {n};
    char scale_name[sizeof DIMENSION_WITHOUT_VARIABLE + 24];
    snprintf(scale_name, sizeof scale_name, "%s%10zu", DIMENSION_WITHOUT_VARIABLE, n);
    /* never written: HDF5 allocates no storage for it */
    hid_t space = H5Screate_simple(1, dims, NULL), set = H5I_INVALID_HID;
    if (space >= 0 &&
        (set = H5Dcreate2(loc, name, H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT)) >= 0)
        status = H5DSset_scale(set, scale_name);
    if (set >= 0)
        H5Dclose(set);
    if (space >= 0)
        H5Sclose(space);
    return status;
}

herr_t fmc_h5_bounds(hid_t loc)
{
    static const char *const bounds[2] = {"low", "high"};
    if (H5Lexists(loc, "bound", H5P_DEFAULT) > 0)
        return 0;
    return fmc_h5_coordinate_strings(loc, "bound", bounds, 2);
}

herr_t fmc_h5_attach(hid_t loc, const char *name, const char *const *axes)
{
    herr_t status = -1;
    hid_t set = H5Dopen2(loc, name, H5P_DEFAULT), space = H5I_INVALID_HID;
    if (set < 0 || (space = H5Dget_space(set)) < 0)
        goto done;
    int rank = H5Sget_simple_extent_ndims(space);
    for (int axis = 0; axis < rank; axis++) {
        if (!axes[axis])
            continue;
        hid_t scale = H5Dopen2(loc, axes[axis], H5P_DEFAULT);
        herr_t attached = scale < 0 ? -1 : H5DSattach_scale(set, scale, (unsigned)axis);
        if (scale >= 0)
            H5Dclose(scale);
        if (attached < 0)
            goto done;
    }
    status = 0;
done:
    if (space >= 0)
        H5Sclose(space);
    if (set >= 0)
        H5Dclose(set);
    return status;
}

/* MEANING as one CF word into OUT (SIZE bytes). */
static void flag_word(const char *meaning, char *out, size_t size)
{
    size_t n = 0;
    for (; meaning[n] && n + 1 < size; n++) {
        unsigned char c = (unsigned char)meaning[n];
        out[n] = isalnum(c) || strchr("_-.+@", c) ? (char)c : '_';
    }
    if (n == 0 && size > 1)
        out[n++] = '_';
    out[n] = '\0';
}

herr_t fmc_h5_flags(hid_t loc, const char *name, const int *values,
                    const char *const *meanings, size_t n)
{
    size_t size = 1;
    for (size_t i = 0; i < n; i++)
        size += strlen(meanings[i]) + 2;
    char *joined = malloc(size);
    if (!joined)
        return -1;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            joined[at++] = ' ';
        flag_word(meanings[i], joined + at, size - at);
        at += strlen(joined + at);
    }
    joined[at] = '\0';
    hid_t set = H5Dopen2(loc, name, H5P_DEFAULT);
    herr_t status = set >= 0 &&
                            H5LTset_attribute_int(loc, name, "flag_values", values, n) >= 0 &&
                            fmc_h5_attr_text(set, "flag_meanings", joined) >= 0
                        ? 0
                        : -1;
    if (set >= 0)
        H5Dclose(set);
    free(joined);
    return status;
}

herr_t fmc_h5_doubles(hid_t loc, const char *name, size_t n, const double *values)
{
    hsize_t dims[1] = {n};
    return H5LTmake_dataset_double(loc, name, 1, dims, values);
}

herr_t fmc_h5_u64s(hid_t loc, const char *name, size_t n, const uint64_t *values)
{
    hsize_t dims[1] = {n};
    return H5LTmake_dataset(loc, name, 1, dims, H5T_NATIVE_UINT64, values);
}

hid_t fmc_h5_make_group(hid_t loc, const char *name)
{
    return H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

hid_t fmc_h5_open_group(hid_t loc, const char *name)
{
    return H5Lexists(loc, name, H5P_DEFAULT) > 0 ? H5Gopen2(loc, name, H5P_DEFAULT)
                                                 : fmc_h5_make_group(loc, name);
}

/* /warnings: each warning of the scenario as check prints it, without
 * the "warning: " (diag.h's fmc_diagnostic_format). */
static herr_t write_warnings(hid_t file, const fmc_diagnostics *warnings)
{
    herr_t status = -1;
    size_t n = warnings->count;
    char **lines = calloc(n, sizeof *lines);
    for (size_t i = 0; lines && i < n; i++) {
        size_t size = (size_t)fmc_diagnostic_format(&warnings->items[i], NULL, 0) + 1;
        if (!(lines[i] = malloc(size)))
            goto done;
        fmc_diagnostic_format(&warnings->items[i], lines[i], size);
    }
    if (lines && fmc_h5_dimension(file, "warning", n) >= 0 &&
        fmc_h5_strings(file, "warnings", (const char *const *)lines, n) >= 0)
        status = fmc_h5_attach(file, "warnings", (const char *const[]){"warning"});
done:
    for (size_t i = 0; lines && i < n; i++)
        free(lines[i]);
    free(lines);
    return status;
}

void fmc_results_created_now(char *buffer, size_t size)
{
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(buffer, size, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

herr_t fmc_h5_identity(hid_t file, const fmc_scenario *s, uint64_t seed, uint64_t samples)
{
    char created[32];
    fmc_results_created_now(created, sizeof created);
    const fmc_h5_attribute program[] = {
        FMC_H5_ATTR_TEXT("format", FMC_FORMAT_NAME),
        FMC_H5_ATTR_INT("format_version", FMC_FORMAT_VERSION),
        FMC_H5_ATTR_TEXT("funnelmc_version", fmc_version()),
        FMC_H5_ATTR_TEXT("created", created)};
    if (fmc_h5_attributes(file, program, FMC_COUNT_OF(program)) < 0)
        return -1;
    if (!s)
        return 0;
    const fmc_h5_attribute run[] = {
        FMC_H5_ATTR_TEXT("scenario_name", s->name),
        FMC_H5_ATTR_U64("seed", seed),
        FMC_H5_ATTR_U64("samples", samples),
        FMC_H5_ATTR_TEXT("scenario_yaml", s->text),
        FMC_H5_ATTR_TEXT("scenario_file", s->file),
        FMC_H5_ATTR_TEXT("period", s->period),
        FMC_H5_ATTR_TEXT("description", s->description)};
    if (fmc_h5_attributes(file, run, FMC_COUNT_OF(run)) < 0)
        return -1;
    return s->warnings.count ? write_warnings(file, &s->warnings) : 0;
}

herr_t fmc_h5_input_coordinate(hid_t group, const fmc_scenario *s)
{
    const char **names = malloc((s->input_count ? s->input_count : 1) * sizeof *names);
    if (!names)
        return -1;
    for (size_t j = 0; j < s->input_count; j++)
        names[j] = s->inputs[j].name;
    herr_t status = fmc_h5_coordinate_strings(group, "input", names, s->input_count);
    free(names);
    return status;
}

herr_t fmc_h5_inputs(hid_t file, const fmc_scenario *s)
{
    herr_t status = -1;
    size_t d = s->input_count;
    const char **names = malloc(d * sizeof *names), **dists = malloc(d * sizeof *dists);
    double *columns = malloc(9 * d * sizeof *columns);
    hid_t group = fmc_h5_make_group(file, "inputs");
    if (!names || !dists || !columns || group < 0)
        goto done;
    double *base = columns, *mean = columns + d, *sd = columns + 2 * d;
    double *min = columns + 3 * d, *max = columns + 4 * d;
    /* What a rate given as counts was given as; NaN for the other inputs. */
    double *events = columns + 5 * d, *of = columns + 6 * d;
    double *prior_alpha = columns + 7 * d, *prior_beta = columns + 8 * d;
    for (size_t j = 0; j < d; j++) {
        const fmc_input *in = &s->inputs[j];
        names[j] = in->name;
        dists[j] = fmc_dist_kind_name(in->dist.kind);
        base[j] = in->base;
        mean[j] = fmc_dist_mean(&in->dist);
        sd[j] = fmc_dist_sd(&in->dist);
        min[j] = in->dist.min;
        max[j] = in->dist.max;
        events[j] = in->observed ? (double)in->observed_events : NAN;
        of[j] = in->observed ? (double)in->observed_of : NAN;
        prior_alpha[j] = in->observed ? in->prior_alpha : NAN;
        prior_beta[j] = in->observed ? in->prior_beta : NAN;
    }
    const fmc_h5_dataset sets[] = {{"base", base, 1, {d}, {"input"}},
                                   {"mean", mean, 1, {d}, {"input"}},
                                   {"sd", sd, 1, {d}, {"input"}},
                                   {"min", min, 1, {d}, {"input"}},
                                   {"max", max, 1, {d}, {"input"}},
                                   {"observed_events", events, 1, {d}, {"input"}},
                                   {"observed_of", of, 1, {d}, {"input"}},
                                   {"prior_alpha", prior_alpha, 1, {d}, {"input"}},
                                   {"prior_beta", prior_beta, 1, {d}, {"input"}}};
    const char *const input[] = {"input"};
    if (fmc_h5_input_coordinate(group, s) < 0 || fmc_h5_strings(group, "name", names, d) < 0 || fmc_h5_attach(group, "name", input) < 0 ||
        fmc_h5_strings(group, "dist", dists, d) < 0 || fmc_h5_attach(group, "dist", input) < 0 ||
        fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets)) < 0 ||
        fmc_h5_attr_u64(group, "funnel_inputs", FMC_FUNNEL_INPUT_COUNT) < 0 ||
        fmc_h5_fits(group, s) < 0)
        goto done;
    status = 0;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    free(dists);
    free(columns);
    return status;
}
