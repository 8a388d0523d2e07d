/* The batch layouts: a part is a run file whose root also holds its row of
 * the /batch table; the batch file holds a copy of every part's root and
 * the table (docs/hdf5-layout.md). */
#include "funnelmc/results.h"

#include <hdf5_hl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "results_internal.h"

/* The columns of the /batch table, and the root attributes of a part that
 * hold them (the part's "scenario_name" holds the name). */
static const struct {
    const char *column, *attribute;
    size_t offset;
} numbers[] = {{"mean", "batch_mean", offsetof(fmc_batch_row, mean)},
               {"se", "batch_se", offsetof(fmc_batch_row, se)},
               {"sd", "batch_sd", offsetof(fmc_batch_row, sd)},
               {"p_loss", "batch_p_loss", offsetof(fmc_batch_row, p_loss)},
               {"p_loss_se", "batch_p_loss_se", offsetof(fmc_batch_row, p_loss_se)}};
static const struct {
    const char *column, *attribute;
    size_t offset, size;
} texts[] = {{"name", "scenario_name", offsetof(fmc_batch_row, name), sizeof ((fmc_batch_row *)0)->name},
             {"file", "batch_file", offsetof(fmc_batch_row, file), sizeof ((fmc_batch_row *)0)->file},
             {"best_lever", "batch_best_lever", offsetof(fmc_batch_row, best_lever),
              sizeof ((fmc_batch_row *)0)->best_lever},
             {"period", "batch_period", offsetof(fmc_batch_row, period),
              sizeof ((fmc_batch_row *)0)->period}};

static double number_of(const fmc_batch_row *row, size_t c)
{
    double value;
    memcpy(&value, (const char *)row + numbers[c].offset, sizeof value);
    return value;
}

static const char *text_of(const fmc_batch_row *row, size_t c)
{
    return (const char *)row + texts[c].offset;
}

fmc_status fmc_results_write_batch_row(fmc_h5file *f, const fmc_batch_row *row)
{
    hid_t file = fmc_h5file_handle(f);
    for (size_t c = 0; c < FMC_COUNT_OF(numbers); c++)
        if (fmc_h5_attr_double(file, numbers[c].attribute, number_of(row, c)) < 0)
            return FMC_EHDF5;
    /* the name is the run's own scenario_name, already written */
    for (size_t c = 1; c < FMC_COUNT_OF(texts); c++)
        if (fmc_h5_attr_text(file, texts[c].attribute, text_of(row, c)) < 0)
            return FMC_EHDF5;
    return FMC_OK;
}

fmc_status fmc_results_read_batch_row(const char *path, fmc_batch_row *row)
{
    fmc_h5_prepare();
    memset(row, 0, sizeof *row);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        return FMC_EHDF5;
    int ok = 1;
    for (size_t c = 0; ok && c < FMC_COUNT_OF(numbers); c++) {
        double value = 0;
        ok = H5LTget_attribute_double(file, "/", numbers[c].attribute, &value) >= 0;
        memcpy((char *)row + numbers[c].offset, &value, sizeof value);
    }
    for (size_t c = 0; ok && c < FMC_COUNT_OF(texts); c++)
        ok = fmc_h5_read_text(file, texts[c].attribute, (char *)row + texts[c].offset,
                              texts[c].size) >= 0;
    row->has_sweeps = ok && H5Lexists(file, "sweeps", H5P_DEFAULT) > 0;
    H5Fclose(file);
    if (!ok)
        memset(row, 0, sizeof *row);
    return ok ? FMC_OK : FMC_EHDF5;
}

static herr_t write_batch_table(hid_t file, const fmc_batch_row *rows, size_t n)
{
    herr_t status = -1;
    const char **text = malloc((n ? n : 1) * sizeof *text);
    double *column = malloc((n ? n : 1) * sizeof *column);
    hid_t group = fmc_h5_make_group(file, "batch");
    const char *const scenario[] = {"scenario"};
    if (!text || !column || group < 0)
        goto done;
    /* the coordinate `scenario`: the names again (texts' first column) */
    for (size_t i = 0; i < n; i++)
        text[i] = text_of(&rows[i], 0);
    if (fmc_h5_coordinate_strings(group, "scenario", text, n) < 0)
        goto done;
    for (size_t c = 0; c < FMC_COUNT_OF(texts); c++) {
        for (size_t i = 0; i < n; i++)
            text[i] = text_of(&rows[i], c);
        if (fmc_h5_strings(group, texts[c].column, text, n) < 0 ||
            fmc_h5_attach(group, texts[c].column, scenario) < 0)
            goto done;
    }
    for (size_t c = 0; c < FMC_COUNT_OF(numbers); c++) {
        for (size_t i = 0; i < n; i++)
            column[i] = number_of(&rows[i], c);
        if (fmc_h5_doubles(group, numbers[c].column, n, column) < 0 ||
            fmc_h5_attach(group, numbers[c].column, scenario) < 0)
            goto done;
    }
    status = 0;
done:
    if (group >= 0)
        H5Gclose(group);
    free(text);
    free(column);
    return status;
}

/* A part copied into the batch file: the part's root and its copy. */
typedef struct {
    hid_t part, copy;
} copied_part;

/* Pass 1 over the copy: drops the dimension scales' object references
 * (DIMENSION_LIST of a dataset, REFERENCE_LIST of a scale), which H5Ocopy
 * copies as they are, addresses in the part that mean nothing here (HDF5
 * updates no reference held in a variable-length attribute, and these are
 * such). */
static herr_t drop_references(hid_t copy, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    (void)data;
    H5O_info_t object;
    if (H5Oget_info_by_name(copy, name, &object, H5P_DEFAULT) < 0)
        return -1;
    if (object.type != H5O_TYPE_DATASET)
        return 0;
    static const char *const references[] = {"DIMENSION_LIST", "REFERENCE_LIST"};
    for (size_t k = 0; k < FMC_COUNT_OF(references); k++)
        if (H5Aexists_by_name(copy, name, references[k], H5P_DEFAULT) > 0 &&
            H5Adelete_by_name(copy, name, references[k], H5P_DEFAULT) < 0)
            return -1;
    return 0;
}

/* The path of the scale SCALE into DATA (H5DSiterate_scales). */
static herr_t scale_path(hid_t set, unsigned axis, hid_t scale, void *data)
{
    (void)set;
    (void)axis;
    ssize_t length = H5Iget_name(scale, data, 1024);
    return length > 0 && length < 1024 ? 1 : -1;
}

/* Pass 2 over the part: attaches in the copy each scale the part's
 * dataset NAME has, by the same path inside the copy. */
static herr_t reattach(hid_t part, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    const copied_part *c = data;
    H5O_info_t object;
    if (H5Oget_info_by_name(part, name, &object, H5P_DEFAULT) < 0)
        return -1;
    if (object.type != H5O_TYPE_DATASET)
        return 0;
    char paths[H5S_MAX_RANK][1024];
    const char *axes[H5S_MAX_RANK] = {NULL};
    hid_t set = H5Dopen2(part, name, H5P_DEFAULT);
    hid_t space = set < 0 ? H5I_INVALID_HID : H5Dget_space(set);
    int rank = space < 0 ? -1 : H5Sget_simple_extent_ndims(space);
    herr_t status = rank < 0 ? -1 : 0;
    for (int axis = 0; axis < rank && status >= 0; axis++)
        if (H5DSget_num_scales(set, (unsigned)axis) > 0) {
            status = H5DSiterate_scales(set, (unsigned)axis, NULL, scale_path, paths[axis]);
            axes[axis] = paths[axis] + 1;  /* the part's root is the copy: "/x/y" -> "x/y" */
        }
    if (space >= 0)
        H5Sclose(space);
    if (set >= 0)
        H5Dclose(set);
    return status < 0 ? -1 : fmc_h5_attach(c->copy, name, axes);
}

/* Copies the root of the part PATH into FILE as the group NAME, marked
 * complete, with its dimension scales attached again inside the copy. */
static herr_t copy_part(hid_t file, const char *path, const char *name)
{
    copied_part c = {H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT), H5I_INVALID_HID};
    herr_t status = c.part >= 0 && H5Ocopy(c.part, ".", file, name, H5P_DEFAULT, H5P_DEFAULT) >= 0 &&
                            (c.copy = H5Gopen2(file, name, H5P_DEFAULT)) >= 0 &&
                            H5Lvisit(c.copy, H5_INDEX_NAME, H5_ITER_INC, drop_references, NULL) >= 0 &&
                            H5Lvisit(c.part, H5_INDEX_NAME, H5_ITER_INC, reattach, &c) >= 0 &&
                            fmc_h5_attr_u64(c.copy, "complete", 1) >= 0
                        ? 0
                        : -1;
    if (c.copy >= 0)
        H5Gclose(c.copy);
    if (c.part >= 0)
        H5Fclose(c.part);
    return status;
}

fmc_status fmc_results_assemble_batch(const char *target, const char *const *parts,
                                      const fmc_batch_row *rows, size_t count)
{
    fmc_h5file *f = NULL;
    fmc_status status = fmc_h5file_create(target, &f);
    if (status)
        return status;
    hid_t file = fmc_h5file_handle(f);
    int ok = fmc_h5_identity(file, NULL, 0, 0) >= 0 && fmc_h5_attr_u64(file, "scenarios", count) >= 0;
    for (size_t i = 0; ok && i < count; i++)
        ok = copy_part(file, parts[i], rows[i].name) >= 0;
    if (!ok || write_batch_table(file, rows, count) < 0) {
        fmc_h5file_abort(f);
        return FMC_EHDF5;
    }
    return fmc_h5file_commit(f);
}
