/* The samples layout: /samples/inputs/<input> and /samples/outputs/<output>,
 * every raw draw in sample order (docs/hdf5-layout.md).
 *
 * The datasets start empty with an unlimited maximum length and are
 * extended as the draws arrive, so their length is always the samples the
 * engine really drew: a stopping rule ends the run where it is met, which
 * no caller knows in advance. */
#include "funnelmc/results.h"

#include <hdf5_hl.h>
#include <stdlib.h>
#include "results_internal.h"

/* Rows of a chunk: 512 KiB of doubles, large enough for deflate to pay. */
#define SAMPLE_CHUNK 65536

struct fmc_results_samples {
    hid_t top;           /* /samples */
    hid_t *sets;         /* [inputs + outputs] */
    size_t count;        /* datasets open */
    size_t input_count;
};

static hid_t sample_dataset(hid_t group, const char *name)
{
    hsize_t dims[1] = {0}, max_dims[1] = {H5S_UNLIMITED}, chunk[1] = {SAMPLE_CHUNK};
    hid_t space = H5Screate_simple(1, dims, max_dims), props = H5Pcreate(H5P_DATASET_CREATE);
    hid_t set = H5I_INVALID_HID;
    if (space < 0 || props < 0 || H5Pset_chunk(props, 1, chunk) < 0)
        goto done;
    if (H5Zfilter_avail(H5Z_FILTER_SHUFFLE) > 0 && H5Pset_shuffle(props) < 0)
        goto done;
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 && H5Pset_deflate(props, 4) < 0)
        goto done;
    set = H5Dcreate2(group, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, props, H5P_DEFAULT);
done:
    if (props >= 0)
        H5Pclose(props);
    if (space >= 0)
        H5Sclose(space);
    return set;
}

/* The dimension `sample` of /samples, made when the draws' number is
 * known, attached to the first axis of every dataset of W. */
static herr_t name_sample_axes(fmc_results_samples *w)
{
    hid_t space = H5Dget_space(w->sets[0]);
    hsize_t length[1] = {0};
    herr_t status = space < 0 || H5Sget_simple_extent_dims(space, length, NULL) < 0 ||
                            fmc_h5_dimension(w->top, "sample", length[0]) < 0
                        ? -1
                        : 0;
    if (space >= 0)
        H5Sclose(space);
    hid_t scale = status < 0 ? H5I_INVALID_HID : H5Dopen2(w->top, "sample", H5P_DEFAULT);
    for (size_t j = 0; j < w->count && status >= 0; j++)
        status = scale < 0 ? -1 : H5DSattach_scale(w->sets[j], scale, 0);
    if (scale >= 0)
        H5Dclose(scale);
    return status;
}

fmc_status fmc_results_samples_end(fmc_results_samples *w)
{
    if (!w)
        return FMC_OK;
    fmc_status status = FMC_OK;
    if (w->top >= 0 && w->count && name_sample_axes(w) < 0)
        status = FMC_EHDF5;
    for (size_t j = 0; j < w->count; j++)
        if (H5Dclose(w->sets[j]) < 0)
            status = FMC_EHDF5;
    if (w->top >= 0)
        H5Gclose(w->top);
    free(w->sets);
    free(w);
    return status;
}

fmc_status fmc_results_samples_begin(fmc_h5file *f, const fmc_scenario *s,
                                     fmc_results_samples **out)
{
    size_t n = s->input_count + FMC_OUTPUT_COUNT;
    fmc_results_samples *w = calloc(1, sizeof *w);
    if (!w || !(w->sets = malloc(n * sizeof *w->sets))) {
        free(w);
        return FMC_ENOMEM;
    }
    w->input_count = s->input_count;
    hid_t top = w->top = fmc_h5_make_group(fmc_h5file_handle(f), "samples");
    hid_t inputs = H5I_INVALID_HID, outputs = H5I_INVALID_HID;
    fmc_status status = FMC_EHDF5;
    if (top < 0 || (inputs = fmc_h5_make_group(top, "inputs")) < 0 ||
        (outputs = fmc_h5_make_group(top, "outputs")) < 0)
        goto done;
    for (size_t j = 0; j < n; j++) {
        int is_input = j < s->input_count;
        const char *name = is_input ? s->inputs[j].name
                                    : fmc_output_name((fmc_output_id)(j - s->input_count));
        hid_t set = sample_dataset(is_input ? inputs : outputs, name);
        if (set < 0)
            goto done;
        w->sets[w->count++] = set;
    }
    status = FMC_OK;
done:
    if (outputs >= 0)
        H5Gclose(outputs);
    if (inputs >= 0)
        H5Gclose(inputs);
    if (status == FMC_OK) {
        *out = w;
    } else {
        if (top >= 0)
            H5Gclose(top);
        w->top = H5I_INVALID_HID;
        fmc_results_samples_end(w);
    }
    return status;
}

fmc_status fmc_results_samples_sink(void *context, uint64_t first, size_t count,
                                    const double *const *inputs, const double *const *outputs)
{
    fmc_results_samples *w = context;
    hsize_t start[1] = {first}, size[1] = {count}, length[1] = {first + count};
    hid_t memory = H5Screate_simple(1, size, NULL);
    if (memory < 0)
        return FMC_EHDF5;
    fmc_status status = FMC_OK;
    for (size_t j = 0; j < w->count && status == FMC_OK; j++) {
        const double *column = j < w->input_count ? inputs[j] : outputs[j - w->input_count];
        hid_t space = H5I_INVALID_HID;
        if (H5Dset_extent(w->sets[j], length) < 0 || (space = H5Dget_space(w->sets[j])) < 0 ||
            H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, size, NULL) < 0 ||
            H5Dwrite(w->sets[j], H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT, column) < 0)
            status = FMC_EHDF5;
        if (space >= 0)
            H5Sclose(space);
    }
    H5Sclose(memory);
    return status;
}
