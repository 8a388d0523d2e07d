/* What the writers of the results file share (private to the library: it
 * speaks HDF5, which the public headers do not).
 *
 * Every function returning herr_t returns < 0 on failure and closes what it
 * opened; hid_t results are H5I_INVALID_HID (< 0) on failure.  Tables of
 * attributes and datasets replace long chains of single calls: a layout is
 * a list of rows {name, value}, written in order, stopping at the first
 * failure. */
#ifndef FUNNELMC_RESULTS_INTERNAL_H
#define FUNNELMC_RESULTS_INTERNAL_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>
#include "funnelmc/correlation_check.h"
#include "funnelmc/h5file.h"
#include "funnelmc/horizon_summary.h"
#include "funnelmc/lever_comparison.h"
#include "funnelmc/scenario.h"

/* Rows of a table (an array, not a pointer). */
#define FMC_COUNT_OF(table) (sizeof(table) / sizeof *(table))

/* The open HDF5 file of F (its root group). */
hid_t fmc_h5file_handle(const fmc_h5file *f);

/* Run before any other HDF5 call of the library: HDF5's exit handler is not
 * installed (HDF5 1.10 closes open files again at exit, and crashes on a file
 * whose close failed, e.g. on a full disk; ours are closed or abandoned
 * explicitly) and its error stack printing is silenced (we report errors). */
void fmc_h5_prepare(void);

/* A variable-length UTF-8 string type; close it with H5Tclose. */
hid_t fmc_h5_utf8_type(void);

/* One scalar attribute of a table: make rows with the macros below. */
typedef enum { FMC_H5_DOUBLE, FMC_H5_U64, FMC_H5_INT, FMC_H5_TEXT } fmc_h5_kind;
typedef struct fmc_h5_attribute {
    const char *name;
    fmc_h5_kind kind;
    double number;       /* FMC_H5_DOUBLE */
    uint64_t count;      /* FMC_H5_U64, and FMC_H5_INT (stored as a native int) */
    const char *text;    /* FMC_H5_TEXT */
} fmc_h5_attribute;
#define FMC_H5_ATTR_DOUBLE(name, value) {(name), FMC_H5_DOUBLE, (value), 0, NULL}
#define FMC_H5_ATTR_U64(name, value) {(name), FMC_H5_U64, 0, (uint64_t)(value), NULL}
#define FMC_H5_ATTR_INT(name, value) {(name), FMC_H5_INT, 0, (uint64_t)(value), NULL}
#define FMC_H5_ATTR_TEXT(name, value) {(name), FMC_H5_TEXT, 0, 0, (value)}

/* Writes the COUNT attributes of TABLE on LOC. */
herr_t fmc_h5_attributes(hid_t loc, const fmc_h5_attribute *table, size_t count);

/* One dataset of doubles of a table: NAME of RANK (1 to 3) dimensions,
 * each named by AXES (see fmc_h5_attach), or none when AXES[0] is NULL. */
typedef struct fmc_h5_dataset {
    const char *name;
    const double *values;
    int rank;
    hsize_t dims[3];
    const char *axes[3];
} fmc_h5_dataset;

/* Writes the COUNT datasets of TABLE in LOC, attaching their axes. */
herr_t fmc_h5_datasets(hid_t loc, const fmc_h5_dataset *table, size_t count);

herr_t fmc_h5_attr_double(hid_t loc, const char *name, double value);
herr_t fmc_h5_attr_u64(hid_t loc, const char *name, uint64_t value);
herr_t fmc_h5_attr_text(hid_t loc, const char *name, const char *value);

/* The string attribute NAME of LOC into BUFFER (cut to SIZE - 1 bytes). */
herr_t fmc_h5_read_text(hid_t loc, const char *name, char *buffer, size_t size);

/* A 1-D dataset of N strings, of N doubles, of N unsigned 64-bit integers. */
herr_t fmc_h5_strings(hid_t loc, const char *name, const char *const *values, size_t n);
herr_t fmc_h5_doubles(hid_t loc, const char *name, size_t n, const double *values);
herr_t fmc_h5_u64s(hid_t loc, const char *name, size_t n, const uint64_t *values);

/* Named dimensions (HDF5 dimension scales), so that netCDF readers (xarray
 * with the netcdf4 or h5netcdf engine, HDFView) show named coordinates, not
 * phony_dim_N.  In netCDF a dimension is named after the dataset that is its
 * scale (the scale's NAME attribute is that name too).  netCDF allows a
 * dataset the scales of a group above its own, but xarray, which opens one
 * group at a time, then shows the dimension without its values (both
 * engines): so every group holds the coordinates of its own arrays, and a
 * group whose arrays run over the inputs has its own `input`. */

/* Makes the 1-D dataset NAME of LOC the scale of the dimension NAME. */
herr_t fmc_h5_scale(hid_t loc, const char *name);

/* A new 1-D dataset NAME of LOC of N strings, of N doubles, made the scale
 * of the dimension NAME: a coordinate. */
herr_t fmc_h5_coordinate_strings(hid_t loc, const char *name, const char *const *values,
                                 size_t n);
herr_t fmc_h5_coordinate_doubles(hid_t loc, const char *name, size_t n, const double *values);

/* The dimension NAME of length N without values, for an axis whose
 * positions are all there is to it (a histogram's bins): netCDF's
 * "dimension but not a variable", a dataset that netCDF readers show as
 * a dimension and not as a variable. */
herr_t fmc_h5_dimension(hid_t loc, const char *name, size_t n);

/* The coordinate `bound` ("low", "high") of the last axis of the
 * intervals NAME_ci ([n][2]) in LOC, unless LOC has one. */
herr_t fmc_h5_bounds(hid_t loc);

/* Attaches to each axis i of the dataset NAME of LOC the scale AXES[i] of
 * LOC (as many names as the dataset has axes; a path inside LOC, or NULL
 * to leave the axis alone); fails when there is no such scale. */
herr_t fmc_h5_attach(hid_t loc, const char *name, const char *const *axes);

/* CF's labels of a categorical code: on the integer dataset NAME of LOC,
 * the attributes flag_values (the N VALUES, native int, the type of the
 * dataset) and flag_meanings (the N MEANINGS joined by single spaces, so
 * that xarray and CF tools show the label of each code).  A CF meaning is
 * one word of letters, digits and "_-.+@": every other byte of a meaning,
 * a space included, becomes '_' ("new lever" -> "new_lever"), and an empty
 * meaning is "_". */
herr_t fmc_h5_flags(hid_t loc, const char *name, const int *values,
                    const char *const *meanings, size_t n);

/* The new group NAME; the group NAME, made if it is not there yet (for
 * groups that several writers fill, such as /sensitivity). */
hid_t fmc_h5_make_group(hid_t loc, const char *name);
hid_t fmc_h5_open_group(hid_t loc, const char *name);

/* The identity attributes of every results file's root, written here only:
 * format, format_version, funnelmc_version and created; and when SCENARIO
 * is not NULL the run's: scenario_name, seed, samples, scenario_yaml,
 * scenario_file, period and description, and the dataset /warnings when the
 * scenario has warnings. */
herr_t fmc_h5_identity(hid_t file, const fmc_scenario *scenario, uint64_t seed, uint64_t samples);

/* The coordinate `input` of GROUP: the names of the inputs of SCENARIO,
 * in scenario order. */
herr_t fmc_h5_input_coordinate(hid_t group, const fmc_scenario *scenario);

/* /inputs: every input of SCENARIO with its distribution's summary (the
 * run and sweep layouts share it). */
herr_t fmc_h5_inputs(hid_t file, const fmc_scenario *scenario);

/* /horizon of a run over a horizon H (periods > 0), its intervals at
 * CONFIDENCE (src/results_horizon.c). */
herr_t fmc_h5_horizon(hid_t file, const fmc_horizon_result *h, double confidence);

/* The coordinate `period` (1 .. PERIODS) of GROUP's per-period arrays. */
herr_t fmc_h5_periods(hid_t group, uint32_t periods);

/* The per-period figures and payback periods of the levers R (periods > 0)
 * in their group LEVERS. */
herr_t fmc_h5_lever_periods(hid_t levers, const fmc_lever_results *r);

/* /levers/value_of_information: the value of information of the choice
 * among the levers R of SCENARIO, in their group LEVERS
 * (src/results_voi.c). */
herr_t fmc_h5_lever_voi(hid_t levers, const fmc_scenario *scenario, const fmc_lever_results *r);

/* The name of OBJECTIVE (with FMC_OBJECTIVE_PERCENTILE, at level
 * PERCENTILE of fmc_quantile_levels) as the scenario spells it, "mean",
 * "p_profit", "p5", into OUT (SIZE bytes): /portfolio@objective. */
void fmc_h5_objective_name(fmc_objective objective, size_t percentile, char *out, size_t size);

/* The design D (design.h) as attributes of LOC: sampling, replicates,
 * replicate_points (src/results_design.c). */
herr_t fmc_h5_design(hid_t loc, const fmc_design *d);

/* /inputs/fit/NAME for every input of SCENARIO fitted to data: the ranking
 * of the laws tried, in their group INPUTS (src/results_design.c). */
herr_t fmc_h5_fits(hid_t inputs, const fmc_scenario *scenario);

/* /correlations: each pair of SCENARIO's `correlations:` with its rank
 * correlation asked and the one its run drew (C, count > 0). */
herr_t fmc_h5_correlations(hid_t file, const fmc_scenario *scenario,
                           const fmc_correlation_check_result *c);

#endif
