/* The sweeps layout: the root, /inputs and /sweeps/<sweep>/, every grid with
 * its axes attached as HDF5 dimension scales (docs/hdf5-layout.md). */
#include "funnelmc/results.h"

#include <hdf5_hl.h>
#include <stdlib.h>
#include "results_internal.h"

/* DATA over the grid of SWEEP (shape: the axis lengths), with every axis
 * attached as its dimension scale. */
static herr_t grid_dataset(hid_t group, const char *name, const fmc_sweep *sweep, hid_t type,
                           const void *data, const hid_t *axes, const char *const *labels)
{
    hsize_t dims[FMC_MAX_SWEEP_AXES];
    for (size_t a = 0; a < sweep->axis_count; a++)
        dims[a] = sweep->axes[a].value_count;
    herr_t status = -1;
    hid_t space = H5Screate_simple((int)sweep->axis_count, dims, NULL), set = H5I_INVALID_HID;
    if (space < 0)
        goto done;
    set = H5Dcreate2(group, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (set < 0 || H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        goto done;
    for (size_t a = 0; a < sweep->axis_count; a++)
        if (H5DSattach_scale(set, axes[a], (unsigned)a) < 0 ||
            H5DSset_label(set, (unsigned)a, labels[a]) < 0)
            goto done;
    status = 0;
done:
    if (set >= 0)
        H5Dclose(set);
    if (space >= 0)
        H5Sclose(space);
    return status;
}

static herr_t write_sweep(hid_t parent, const fmc_scenario *s, const fmc_sweep *sweep,
                          const fmc_sweep_result *r)
{
    herr_t status = -1;
    hid_t group = fmc_h5_make_group(parent, sweep->name), axes[FMC_MAX_SWEEP_AXES];
    const char *labels[FMC_MAX_SWEEP_AXES];
    size_t made = 0;
    if (group < 0)
        return -1;
    for (; made < sweep->axis_count; made++) {
        const fmc_axis *axis = &sweep->axes[made];
        const char *input = labels[made] = fmc_axis_name(s, axis);
        axes[made] = H5I_INVALID_HID;
        if (fmc_h5_coordinate_doubles(group, input, axis->value_count, axis->values) < 0 ||
            (axes[made] = H5Dopen2(group, input, H5P_DEFAULT)) < 0 ||
            fmc_h5_attr_text(axes[made], "op", fmc_change_op_name(axis->op)) < 0)
            goto done;
    }
    /* the codes of best_lever and runner_up_lever with their labels: -1 (no
     * runner-up, with one lever) is "none", then each lever's index */
    size_t L = s->lever_count;
    const char **meanings = malloc((L + 1) * sizeof *meanings);
    int *codes = malloc((L + 1) * sizeof *codes);
    if (!meanings || !codes) {
        free(meanings);
        free(codes);
        goto done;
    }
    const char **lever_names = meanings + 1;
    meanings[0] = "none";
    codes[0] = -1;
    for (size_t l = 0; l < L; l++) {
        lever_names[l] = s->levers[l].name;
        codes[l + 1] = (int)l;
    }
    struct {
        const char *name;
        const double *data;
        int of_levers;  /* only when the scenario has levers */
    } grids[] = {{"mean", r->mean, 0},
                 {"sd", r->sd, 0},
                 {"se", r->se, 0},
                 {"p_loss", r->p_loss, 0},
                 {"p_loss_se", r->p_loss_se, 0},
                 {"p05", r->p05, 0},
                 {"p50", r->p50, 0},
                 {"p95", r->p95, 0},
                 {"best_net_gain", r->best_gain, 1},
                 {"best_net_gain_se", r->best_gain_se, 1},
                 {"p_best_beats_runner_up", r->p_beats_runner_up, 1},
                 {"p_best_beats_runner_up_se", r->p_beats_runner_up_se, 1},
                 {"p_best_ties_runner_up", r->p_ties_runner_up, 1}};
    int ok = fmc_h5_attr_u64(group, "samples", r->samples) >= 0 &&
             fmc_h5_design(group, &r->design) >= 0;
    for (size_t k = 0; ok && k < FMC_COUNT_OF(grids); k++)
        if (!grids[k].of_levers || L)
            ok = grid_dataset(group, grids[k].name, sweep, H5T_NATIVE_DOUBLE, grids[k].data, axes,
                              labels) >= 0;
    if (ok && L)
        ok = fmc_h5_coordinate_strings(group, "lever", lever_names, L) >= 0 &&
             grid_dataset(group, "best_lever", sweep, H5T_NATIVE_INT, r->best_lever, axes,
                          labels) >= 0 &&
             fmc_h5_flags(group, "best_lever", codes + 1, lever_names, L) >= 0 &&
             grid_dataset(group, "runner_up_lever", sweep, H5T_NATIVE_INT, r->runner_up, axes,
                          labels) >= 0 &&
             fmc_h5_flags(group, "runner_up_lever", codes, meanings, L + 1) >= 0;
    free(meanings);
    free(codes);
    status = ok ? 0 : -1;
done:
    for (size_t a = 0; a < made; a++)
        if (axes[a] >= 0)
            H5Dclose(axes[a]);
    H5Gclose(group);
    return status;
}

fmc_status fmc_results_write_sweep_grids(fmc_h5file *f, const fmc_scenario *s,
                                         const fmc_sweep *const *sweeps,
                                         const fmc_sweep_result *results, size_t count)
{
    hid_t group = fmc_h5_make_group(fmc_h5file_handle(f), "sweeps");
    if (group < 0)
        return FMC_EHDF5;
    herr_t status = 0;
    for (size_t k = 0; k < count && status >= 0; k++)
        status = write_sweep(group, s, sweeps[k], &results[k]);
    H5Gclose(group);
    return status < 0 ? FMC_EHDF5 : FMC_OK;
}

fmc_status fmc_results_write_sweeps(fmc_h5file *f, const fmc_scenario *s, uint64_t seed,
                                    const fmc_sweep *const *sweeps,
                                    const fmc_sweep_result *results, size_t count)
{
    hid_t file = fmc_h5file_handle(f);
    if (fmc_h5_identity(file, s, seed, 0) < 0 || fmc_h5_inputs(file, s) < 0)
        return FMC_EHDF5;
    return fmc_results_write_sweep_grids(f, s, sweeps, results, count);
}
