/* HDF5 results writer.  Error paths follow netcdf-c's pattern: every hid_t
 * starts invalid, any failure jumps to one cleanup label that closes the
 * handles that are valid. */
#define _POSIX_C_SOURCE 200809L
#include "funnelmc/results.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <gsl/gsl_cdf.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "funnelmc/sensitivity.h"
#include "funnelmc/version.h"

#define SAMPLE_CHUNK 65536

struct fmc_results_file {
    char *target;
    char *temp;
    hid_t file;
    hid_t *sample_sets;  /* [inputs + outputs], open while samples are written */
    size_t sample_set_count;
};

const char *fmc_results_temp_path(const fmc_results_file *f)
{
    return f->temp;
}

/* ".BASE.tmp-PID-XXXXXX" in TARGET's directory: the PID tells a later run
 * whether the writer is still alive. */
static char *temp_template(const char *target)
{
    const char *slash = strrchr(target, '/');
    size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = target + dir_len;
    size_t n = strlen(target) + 40;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "%.*s.%s.tmp-%ld-XXXXXX", (int)dir_len, target, base, (long)getpid());
    return t;
}

/* The PID in NAME when it is a temporary of ours, ".BASE.tmp-PID-XXXXXX"
 * (of BASE only, unless BASE is NULL); else 0. */
static long temporary_writer(const char *name, const char *base)
{
    /* the last ".tmp-": BASE may hold one, mkstemp's suffix cannot */
    const char *tag = NULL;
    for (const char *t = strstr(name, ".tmp-"); t; t = strstr(t + 1, ".tmp-"))
        tag = t;
    if (name[0] != '.' || !tag || tag == name + 1)
        return 0;
    if (base && (strlen(base) != (size_t)(tag - name - 1) || strncmp(name + 1, base, strlen(base))))
        return 0;
    const char *digits = tag + 5;
    char *end;
    long pid = strtol(digits, &end, 10);
    return end > digits && *end == '-' && strlen(end + 1) == 6 && pid > 0 ? pid : 0;
}

static void remove_stale_in(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        long pid = temporary_writer(e->d_name, base);
        if (!pid || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(n);
        if (path) {
            snprintf(path, n, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        free(path);
    }
    if (d)
        closedir(d);
}

void fmc_results_remove_stale_temporaries(const char *dir)
{
    remove_stale_in(dir, NULL);
}

/* Removes the temporary files that writers of TARGET killed outright
 * (SIGKILL, power loss) left behind; those of live processes stay. */
static void remove_stale_temporaries(const char *target)
{
    const char *slash = strrchr(target, '/');
    char *dir = slash ? strndup(target, (size_t)(slash - target) + (slash == target)) : strdup(".");
    if (dir)
        remove_stale_in(dir, slash ? slash + 1 : target);
    free(dir);
}

static hid_t utf8_string_type(void);

/* Run before any other HDF5 call.  HDF5 1.10 closes open files again at
 * exit, and a file whose close failed (a full disk) crashes it there; our
 * files are closed or abandoned explicitly, so its exit handler is not
 * needed.  Its error stack printing is silenced: we report errors. */
static void prepare_hdf5(void)
{
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

/* Whether PATH is a results file funnelmc wrote (its root says so). */
static int is_results_file(const char *path)
{
    int yes = 0;
    char *value = NULL;
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t attr = file >= 0 && H5Aexists(file, "format") > 0
                     ? H5Aopen(file, "format", H5P_DEFAULT) : H5I_INVALID_HID;
    hid_t stored = attr >= 0 ? H5Aget_type(attr) : H5I_INVALID_HID;
    hid_t type = utf8_string_type();
    if (stored >= 0 && type >= 0 && H5Tis_variable_str(stored) > 0 &&
        H5Aread(attr, type, &value) >= 0 && value) {
        yes = strcmp(value, FMC_FORMAT_NAME) == 0;
        H5free_memory(value);
    }
    if (type >= 0)
        H5Tclose(type);
    if (stored >= 0)
        H5Tclose(stored);
    if (attr >= 0)
        H5Aclose(attr);
    if (file >= 0)
        H5Fclose(file);
    return yes;
}

fmc_status fmc_results_check_target(const char *target)
{
    prepare_hdf5();
    struct stat st;
    if (stat(target, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            return FMC_EIO;
        }
        /* Replacing someone's spreadsheet or another program's HDF5 file
         * would lose work; only our own earlier results (or an empty file)
         * are overwritten. */
        if (!S_ISREG(st.st_mode) || (st.st_size > 0 && !is_results_file(target)))
            return FMC_EFOREIGN;
    }
    return FMC_OK;
}

fmc_status fmc_results_create(const char *target, fmc_results_file **out)
{
    fmc_status status = fmc_results_check_target(target);
    if (status != FMC_OK)
        return status;
    remove_stale_temporaries(target);
    fmc_results_file *f = calloc(1, sizeof *f);
    if (!f)
        return FMC_ENOMEM;
    f->file = H5I_INVALID_HID;
    f->target = strdup(target);
    f->temp = temp_template(target);
    if (!f->target || !f->temp) {
        free(f->target);
        free(f->temp);
        free(f);
        return FMC_ENOMEM;
    }
    int fd = mkstemp(f->temp);
    if (fd < 0) {
        int saved = errno;
        free(f->target);
        free(f->temp);
        free(f);
        errno = saved;
        return FMC_EIO;
    }
    /* mkstemp makes the file private; give it the permissions a plain
     * creat() would have under the user's umask. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    close(fd);
    f->file = H5Fcreate(f->temp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f->file < 0) {
        fmc_results_abort(f);
        return FMC_EHDF5;
    }
    *out = f;
    return FMC_OK;
}

/* ----- small writers; each returns < 0 on failure ----- */

static hid_t utf8_string_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
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

static herr_t attr_double(hid_t loc, const char *name, double value)
{
    return write_attribute(loc, name, H5T_NATIVE_DOUBLE, &value);
}

static herr_t attr_u64(hid_t loc, const char *name, uint64_t value)
{
    return write_attribute(loc, name, H5T_NATIVE_UINT64, &value);
}

static herr_t attr_string(hid_t loc, const char *name, const char *value)
{
    hid_t type = utf8_string_type();
    if (type < 0)
        return -1;
    herr_t status = write_attribute(loc, name, type, &value);
    H5Tclose(type);
    return status;
}

static herr_t dataset_strings(hid_t loc, const char *name, const char *const *values, size_t n)
{
    herr_t status = -1;
    hsize_t dims[1] = {n};
    hid_t type = utf8_string_type(), space = H5I_INVALID_HID, set = H5I_INVALID_HID;
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

static herr_t dataset_doubles(hid_t loc, const char *name, int rank, const hsize_t *dims,
                              const double *values)
{
    return H5LTmake_dataset_double(loc, name, rank, dims, values);
}

static herr_t dataset_u64(hid_t loc, const char *name, size_t n, const uint64_t *values)
{
    hsize_t dims[1] = {n};
    return H5LTmake_dataset(loc, name, 1, dims, H5T_NATIVE_UINT64, values);
}

static hid_t make_group(hid_t loc, const char *name)
{
    return H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

/* The group NAME, made if it is not there yet (several writers share one). */
static hid_t open_group(hid_t loc, const char *name)
{
    return H5Lexists(loc, name, H5P_DEFAULT) > 0 ? H5Gopen2(loc, name, H5P_DEFAULT)
                                                 : make_group(loc, name);
}

/* ----- the layout ----- */

/* Root attributes every results file has. */
static herr_t write_identity(hid_t file, const fmc_scenario *s, uint64_t seed, uint64_t samples)
{
    char created[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
    if (attr_string(file, "format", FMC_FORMAT_NAME) < 0 ||
        write_attribute(file, "format_version", H5T_NATIVE_INT, &(int){FMC_FORMAT_VERSION}) < 0 ||
        attr_string(file, "funnelmc_version", fmc_version()) < 0 ||
        attr_string(file, "created", created) < 0 ||
        attr_string(file, "scenario_name", s->name) < 0 || attr_u64(file, "seed", seed) < 0 ||
        attr_u64(file, "samples", samples) < 0 ||
        attr_string(file, "scenario_yaml", s->text) < 0 ||
        attr_string(file, "scenario_file", s->file) < 0 ||
        attr_string(file, "period", s->period) < 0 ||
        attr_string(file, "description", s->description) < 0)
        return -1;
    return 0;
}

static herr_t write_root(hid_t file, const fmc_scenario *s, const fmc_run_result *r)
{
    if (write_identity(file, s, r->seed, r->samples) < 0 ||
        attr_double(file, "profit_mean_half_width", r->mean_half_width) < 0 ||
        attr_double(file, "precision_mean", r->precision_target) < 0 ||
        attr_u64(file, "precision_mean_met", (uint64_t)r->precision_met) < 0)
        return -1;
    return 0;
}

static herr_t write_inputs(hid_t file, const fmc_scenario *s)
{
    herr_t status = -1;
    size_t d = s->input_count;
    const char **names = malloc(d * sizeof *names), **dists = malloc(d * sizeof *dists);
    double *columns = malloc(5 * d * sizeof *columns);
    hid_t group = make_group(file, "inputs");
    if (!names || !dists || !columns || group < 0)
        goto done;
    double *base = columns, *mean = columns + d, *sd = columns + 2 * d;
    double *min = columns + 3 * d, *max = columns + 4 * d;
    for (size_t j = 0; j < d; j++) {
        const fmc_input *in = &s->inputs[j];
        names[j] = in->name;
        dists[j] = fmc_dist_kind_name(in->dist.kind);
        base[j] = in->base;
        mean[j] = fmc_dist_mean(&in->dist);
        sd[j] = sqrt(fmc_dist_variance(&in->dist));
        min[j] = in->dist.min;
        max[j] = in->dist.max;
    }
    hsize_t dims[1] = {d};
    if (dataset_strings(group, "name", names, d) < 0 || dataset_strings(group, "dist", dists, d) < 0 ||
        dataset_doubles(group, "base", 1, dims, base) < 0 ||
        dataset_doubles(group, "mean", 1, dims, mean) < 0 ||
        dataset_doubles(group, "sd", 1, dims, sd) < 0 ||
        dataset_doubles(group, "min", 1, dims, min) < 0 ||
        dataset_doubles(group, "max", 1, dims, max) < 0 ||
        attr_u64(group, "funnel_inputs", FMC_FUNNEL_INPUT_COUNT) < 0)
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

static herr_t write_output(hid_t parent, const char *name, const fmc_output_summary *o,
                           double base)
{
    herr_t status = -1;
    hid_t group = make_group(parent, name);
    if (group < 0)
        return -1;
    hsize_t levels[1] = {FMC_QUANTILE_COUNT}, ci[2] = {FMC_QUANTILE_COUNT, 2};
    hsize_t edges[1] = {FMC_HIST_BINS + 1};
    if (attr_double(group, "mean", o->mean) < 0 || attr_double(group, "sd", o->sd) < 0 ||
        attr_double(group, "se", o->se) < 0 || attr_double(group, "min", o->min) < 0 ||
        attr_double(group, "max", o->max) < 0 || attr_double(group, "p_loss", o->p_loss) < 0 ||
        attr_double(group, "p_loss_se", o->p_loss_se) < 0 || attr_double(group, "base", base) < 0 ||
        attr_u64(group, "count", o->count) < 0 || attr_u64(group, "undefined", o->undefined) < 0 ||
        attr_double(group, "quantile_resolution", o->quantile_resolution) < 0 ||
        dataset_doubles(group, "quantile_levels", 1, levels, fmc_quantile_levels) < 0 ||
        dataset_doubles(group, "quantiles", 1, levels, o->quantiles) < 0 ||
        dataset_doubles(group, "quantiles_ci", 2, ci, &o->quantile_ci[0][0]) < 0 ||
        dataset_doubles(group, "hist_edges", 1, edges, o->hist_edges) < 0 ||
        dataset_u64(group, "hist_counts", FMC_HIST_BINS, o->hist_counts) < 0)
        goto done;
    status = 0;
done:
    H5Gclose(group);
    return status;
}

static herr_t write_outputs(hid_t file, const fmc_run_result *r)
{
    hid_t group = make_group(file, "outputs");
    if (group < 0)
        return -1;
    herr_t status = 0;
    for (int k = 0; k < FMC_SUMMARY_COUNT && status >= 0; k++) {
        /* ROI exists only where cost > 0: no group when it never is. */
        if (r->outputs[k].count == 0)
            continue;
        status = write_output(group, fmc_output_name((fmc_output_id)k), &r->outputs[k],
                              r->base[k]);
    }
    H5Gclose(group);
    return status;
}

fmc_status fmc_results_write_run(fmc_results_file *f, const fmc_scenario *s,
                                 const fmc_run_result *r)
{
    if (write_root(f->file, s, r) < 0 || write_inputs(f->file, s) < 0 ||
        write_outputs(f->file, r) < 0)
        return FMC_EHDF5;
    return FMC_OK;
}

fmc_status fmc_results_write_tornado(fmc_results_file *f, const fmc_scenario *s,
                                     const fmc_tornado *t)
{
    fmc_status status = FMC_EHDF5;
    const char **names = malloc(t->count * sizeof *names);
    hid_t group = open_group(f->file, "tornado");
    if (!names || group < 0)
        goto done;
    for (size_t b = 0; b < t->count; b++)
        names[b] = s->inputs[t->order[b]].name;
    hsize_t bars[1] = {t->count}, levels[1] = {FMC_SPIDER_LEVELS};
    hsize_t spider[2] = {t->count, FMC_SPIDER_LEVELS};
    if (dataset_strings(group, "input", names, t->count) < 0 ||
        dataset_doubles(group, "low_value", 1, bars, t->low_value) < 0 ||
        dataset_doubles(group, "high_value", 1, bars, t->high_value) < 0 ||
        dataset_doubles(group, "low_profit", 1, bars, t->low_profit) < 0 ||
        dataset_doubles(group, "high_profit", 1, bars, t->high_profit) < 0 ||
        dataset_doubles(group, "swing", 1, bars, t->swing) < 0 ||
        dataset_doubles(group, "spider_levels", 1, levels, t->spider_levels) < 0 ||
        dataset_doubles(group, "spider_value", 2, spider, t->spider_value) < 0 ||
        dataset_doubles(group, "spider_profit", 2, spider, t->spider_profit) < 0 ||
        attr_double(group, "low_percentile", t->low_percentile) < 0 ||
        attr_double(group, "high_percentile", t->high_percentile) < 0 ||
        attr_double(group, "base_profit", t->base_profit) < 0)
        goto done;
    status = FMC_OK;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    return status;
}

fmc_status fmc_results_write_drivers(fmc_results_file *f, const fmc_scenario *s,
                                     const fmc_drivers_result *r)
{
    fmc_status status = FMC_EHDF5;
    size_t d = s->input_count;
    const char **names = malloc(d * sizeof *names);
    double *edges = malloc(d * (FMC_TORNADO_BINS + 1) * sizeof *edges);
    hid_t sensitivity = open_group(f->file, "sensitivity"), tornado = H5I_INVALID_HID;
    hid_t monte_carlo = H5I_INVALID_HID;
    if (!names || !edges || sensitivity < 0 || (tornado = open_group(f->file, "tornado")) < 0 ||
        (monte_carlo = make_group(tornado, "monte_carlo")) < 0)
        goto done;
    for (size_t j = 0; j < d; j++) {
        names[j] = s->inputs[j].name;
        for (int k = 0; k <= FMC_TORNADO_BINS; k++)
            edges[j * (FMC_TORNADO_BINS + 1) + k] =
                fmc_dist_quantile(&s->inputs[j].dist, (double)k / FMC_TORNADO_BINS);
    }
    hsize_t inputs[1] = {d}, bins[2] = {d, FMC_TORNADO_BINS}, edge_dims[2] = {d, FMC_TORNADO_BINS + 1};
    if ((H5Lexists(sensitivity, "input", H5P_DEFAULT) <= 0 &&
         dataset_strings(sensitivity, "input", names, d) < 0) ||
        dataset_doubles(sensitivity, "spearman", 1, inputs, r->spearman) < 0 ||
        dataset_doubles(sensitivity, "spearman_se", 1, inputs, r->spearman_se) < 0 ||
        dataset_doubles(sensitivity, "contribution_to_variance", 1, inputs, r->contribution) < 0 ||
        dataset_doubles(sensitivity, "src", 1, inputs, r->src) < 0 ||
        dataset_doubles(sensitivity, "src_se", 1, inputs, r->src_se) < 0 ||
        attr_double(sensitivity, "r_squared", r->r_squared) < 0 ||
        attr_double(sensitivity, "spearman_resolution", r->spearman_resolution) < 0 ||
        dataset_strings(monte_carlo, "input", names, d) < 0 ||
        dataset_doubles(monte_carlo, "bin_edges", 2, edge_dims, edges) < 0 ||
        dataset_doubles(monte_carlo, "bin_mean", 2, bins, r->bin_mean) < 0 ||
        dataset_doubles(monte_carlo, "bin_mean_se", 2, bins, r->bin_mean_se) < 0 ||
        dataset_doubles(monte_carlo, "mean_low", 1, inputs, r->mean_low) < 0 ||
        dataset_doubles(monte_carlo, "mean_high", 1, inputs, r->mean_high) < 0)
        goto done;
    status = FMC_OK;
done:
    if (monte_carlo >= 0)
        H5Gclose(monte_carlo);
    if (tornado >= 0)
        H5Gclose(tornado);
    if (sensitivity >= 0)
        H5Gclose(sensitivity);
    free(names);
    free(edges);
    return status;
}

/* /levers/pairs: each pair of levers applied together. */
static herr_t write_lever_pairs(hid_t levers, const fmc_scenario *s, const fmc_lever_results *r,
                                double z)
{
    size_t P = r->pairs;
    herr_t status = -1;
    const char **names = malloc(2 * P * sizeof *names);
    double *columns = malloc(8 * P * sizeof *columns);
    hid_t group = make_group(levers, "pairs");
    if (!names || !columns || group < 0)
        goto done;
    double *combined = columns, *combined_ci = columns + P, *interaction = columns + 3 * P;
    double *interaction_se = columns + 4 * P, *interaction_ci = columns + 5 * P;
    for (size_t q = 0; q < P; q++) {
        names[q] = s->levers[r->pair_first[q]].name;
        names[P + q] = s->levers[r->pair_second[q]].name;
        combined[q] = r->combined[q].mean;
        combined_ci[2 * q] = combined[q] - z * r->combined[q].se;
        combined_ci[2 * q + 1] = combined[q] + z * r->combined[q].se;
        interaction[q] = r->interaction[q].mean;
        interaction_se[q] = r->interaction[q].se;
        interaction_ci[2 * q] = interaction[q] - z * interaction_se[q];
        interaction_ci[2 * q + 1] = interaction[q] + z * interaction_se[q];
    }
    hsize_t one[1] = {P}, two[2] = {P, 2};
    if (dataset_strings(group, "first", names, P) < 0 ||
        dataset_strings(group, "second", names + P, P) < 0 ||
        dataset_doubles(group, "combined_gain", 1, one, combined) < 0 ||
        dataset_doubles(group, "combined_gain_ci", 2, two, combined_ci) < 0 ||
        dataset_doubles(group, "interaction", 1, one, interaction) < 0 ||
        dataset_doubles(group, "interaction_se", 1, one, interaction_se) < 0 ||
        dataset_doubles(group, "interaction_ci", 2, two, interaction_ci) < 0)
        goto done;
    status = 0;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    free(columns);
    return status;
}

fmc_status fmc_results_write_levers(fmc_results_file *f, const fmc_scenario *s,
                                    const fmc_lever_results *r, double confidence)
{
    size_t L = r->count, k = FMC_QUANTILE_COUNT;
    fmc_status status = FMC_EHDF5;
    const char **names = malloc((L ? L : 1) * sizeof *names);
    double *columns = malloc((L ? L : 1) * (8 + 3 * k) * sizeof *columns);
    hid_t group = make_group(f->file, "levers");
    if (!names || !columns || group < 0)
        goto done;
    double *mean = columns, *se = columns + L, *ci = columns + 2 * L, *net = columns + 4 * L;
    double *net_ci = columns + 5 * L, *roi = columns + 7 * L, *quantiles = columns + 8 * L;
    double *quantiles_ci = quantiles + L * k;
    for (size_t l = 0; l < L; l++) {
        const fmc_output_summary *g = &r->gain[l], *n = &r->net[l];
        names[l] = s->levers[l].name;
        mean[l] = g->mean;
        se[l] = g->se;
        net[l] = n->mean;
        roi[l] = r->mean_cost[l] > 0 ? n->mean / r->mean_cost[l] : NAN;
        for (size_t q = 0; q < k; q++) {
            quantiles[l * k + q] = g->quantiles[q];
            quantiles_ci[(l * k + q) * 2] = g->quantile_ci[q][0];
            quantiles_ci[(l * k + q) * 2 + 1] = g->quantile_ci[q][1];
        }
    }
    double z = gsl_cdf_ugaussian_Pinv(0.5 + confidence / 2);
    for (size_t l = 0; l < L; l++) {
        ci[2 * l] = mean[l] - z * se[l];
        ci[2 * l + 1] = mean[l] + z * se[l];
        net_ci[2 * l] = net[l] - z * r->net[l].se;
        net_ci[2 * l + 1] = net[l] + z * r->net[l].se;
    }
    hsize_t one[1] = {L}, two[2] = {L, 2}, square[2] = {L, L}, levels[1] = {k};
    hsize_t per_level[2] = {L, k}, per_level_ci[3] = {L, k, 2}, per_input[2] = {L, r->inputs};
    if (dataset_strings(group, "name", names, L) < 0 ||
        dataset_doubles(group, "mean_gain", 1, one, mean) < 0 ||
        dataset_doubles(group, "mean_gain_se", 1, one, se) < 0 ||
        dataset_doubles(group, "mean_gain_ci", 2, two, ci) < 0 ||
        dataset_doubles(group, "gain_quantile_levels", 1, levels, fmc_quantile_levels) < 0 ||
        dataset_doubles(group, "gain_quantiles", 2, per_level, quantiles) < 0 ||
        dataset_doubles(group, "gain_quantiles_ci", 3, per_level_ci, quantiles_ci) < 0 ||
        dataset_doubles(group, "cost", 1, one, r->mean_cost) < 0 ||
        dataset_doubles(group, "net_gain", 1, one, net) < 0 ||
        dataset_doubles(group, "net_gain_ci", 2, two, net_ci) < 0 ||
        dataset_doubles(group, "roi", 1, one, roi) < 0 ||
        dataset_doubles(group, "p_improve", 1, one, r->p_improve) < 0 ||
        dataset_doubles(group, "p_improve_se", 1, one, r->p_improve_se) < 0 ||
        dataset_doubles(group, "clamped_share", 1, one, r->clamped_share) < 0 ||
        dataset_doubles(group, "p_beats", 2, square, r->p_beats) < 0 ||
        dataset_doubles(group, "p_tie", 2, square, r->p_tie) < 0 ||
        dataset_doubles(group, "equivalent_add", 2, per_input, r->equivalent_add) < 0 ||
        dataset_doubles(group, "equivalent_scale", 2, per_input, r->equivalent_scale) < 0 ||
        dataset_doubles(group, "equivalent_add_se", 2, per_input, r->equivalent_add_se) < 0 ||
        dataset_doubles(group, "equivalent_scale_se", 2, per_input, r->equivalent_scale_se) < 0 ||
        attr_double(group, "confidence", confidence) < 0)
        goto done;
    if (r->pairs && write_lever_pairs(group, s, r, z) < 0)
        goto done;
    status = FMC_OK;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    free(columns);
    return status;
}

/* NAME (value), NAME_se and NAME_ci of COUNT estimates. */
static herr_t write_estimates(hid_t group, const char *name, const fmc_sobol_estimate *e,
                              size_t count)
{
    double *columns = malloc(4 * count * sizeof *columns);
    if (!columns)
        return -1;
    double *value = columns, *se = columns + count, *ci = columns + 2 * count;
    for (size_t i = 0; i < count; i++) {
        value[i] = e[i].value;
        se[i] = e[i].se;
        ci[2 * i] = e[i].ci[0];
        ci[2 * i + 1] = e[i].ci[1];
    }
    char se_name[64], ci_name[64];
    snprintf(se_name, sizeof se_name, "%s_se", name);
    snprintf(ci_name, sizeof ci_name, "%s_ci", name);
    hsize_t dims[2] = {count, 2};
    herr_t status = dataset_doubles(group, name, 1, dims, value) < 0 ||
                            dataset_doubles(group, se_name, 1, dims, se) < 0 ||
                            dataset_doubles(group, ci_name, 2, dims, ci) < 0
                        ? -1
                        : 0;
    free(columns);
    return status;
}

fmc_status fmc_results_write_sobol(fmc_results_file *f, const fmc_scenario *s,
                                   const fmc_sobol_result *r, double confidence)
{
    fmc_status status = FMC_EHDF5;
    const char **names = malloc(s->input_count * sizeof *names);
    const char *groups[FMC_GROUP_COUNT];
    hid_t group = open_group(f->file, "sensitivity");
    if (!names || group < 0)
        goto done;
    for (size_t j = 0; j < s->input_count; j++)
        names[j] = s->inputs[j].name;
    for (int g = 0; g < FMC_GROUP_COUNT; g++)
        groups[g] = fmc_group_name(g);
    if ((H5Lexists(group, "input", H5P_DEFAULT) <= 0 &&
         dataset_strings(group, "input", names, s->input_count) < 0) ||
        write_estimates(group, "sobol_first", r->first, s->input_count) < 0 ||
        write_estimates(group, "sobol_total", r->total, s->input_count) < 0 ||
        dataset_strings(group, "group", groups, FMC_GROUP_COUNT) < 0 ||
        write_estimates(group, "group_first", r->group_first, FMC_GROUP_COUNT) < 0 ||
        write_estimates(group, "group_total", r->group_total, FMC_GROUP_COUNT) < 0 ||
        attr_u64(group, "base_samples", r->rows) < 0 ||
        attr_u64(group, "model_runs", r->model_runs) < 0 ||
        attr_double(group, "confidence", confidence) < 0 ||
        attr_double(group, "sobol_mean", r->mean) < 0 ||
        attr_double(group, "sobol_variance", r->variance) < 0 ||
        attr_double(group, "max_half_width", r->max_half_width) < 0 ||
        attr_u64(group, "precision_met", (uint64_t)r->precision_met) < 0)
        goto done;
    status = FMC_OK;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    return status;
}

fmc_status fmc_results_write_analysis(fmc_results_file *f, const fmc_scenario *s,
                                      const fmc_analysis *a)
{
    fmc_status status = fmc_results_write_run(f, s, &a->result);
    if (status || a->summary_only)
        return status;
    if ((status = fmc_results_write_drivers(f, s, &a->result.drivers)))
        return status;
    if (a->has_levers &&
        (status = fmc_results_write_levers(f, s, &a->result.levers, s->confidence)))
        return status;
    if ((status = fmc_results_write_tornado(f, s, &a->tornado)))
        return status;
    if (a->has_sobol)
        status = fmc_results_write_sobol(f, s, &a->sobol, s->confidence);
    return status;
}

/* ----- sweeps ----- */

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
    static const char *const ops[] = {"scale", "add", "set"};
    herr_t status = -1;
    hid_t group = make_group(parent, sweep->name), axes[FMC_MAX_SWEEP_AXES];
    const char *labels[FMC_MAX_SWEEP_AXES];
    size_t made = 0;
    if (group < 0)
        return -1;
    for (; made < sweep->axis_count; made++) {
        const fmc_axis *axis = &sweep->axes[made];
        const char *input = labels[made] = s->inputs[axis->input].name;
        hsize_t n[1] = {axis->value_count};
        axes[made] = H5I_INVALID_HID;
        if (dataset_doubles(group, input, 1, n, axis->values) < 0 ||
            (axes[made] = H5Dopen2(group, input, H5P_DEFAULT)) < 0 ||
            H5DSset_scale(axes[made], input) < 0 || attr_string(axes[made], "op", ops[axis->op]) < 0)
            goto done;
    }
    const char **lever_names = malloc((s->lever_count ? s->lever_count : 1) * sizeof *lever_names);
    if (!lever_names)
        goto done;
    for (size_t l = 0; l < s->lever_count; l++)
        lever_names[l] = s->levers[l].name;
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
                 {"p_best_beats_runner_up_se", r->p_beats_runner_up_se, 1}};
    int ok = attr_u64(group, "samples", sweep->samples) >= 0;
    for (size_t k = 0; ok && k < sizeof grids / sizeof *grids; k++)
        if (!grids[k].of_levers || s->lever_count)
            ok = grid_dataset(group, grids[k].name, sweep, H5T_NATIVE_DOUBLE, grids[k].data, axes,
                              labels) >= 0;
    if (ok && s->lever_count)
        ok = dataset_strings(group, "lever", lever_names, s->lever_count) >= 0 &&
             grid_dataset(group, "best_lever", sweep, H5T_NATIVE_INT, r->best_lever, axes,
                          labels) >= 0;
    free(lever_names);
    status = ok ? 0 : -1;
done:
    for (size_t a = 0; a < made; a++)
        if (axes[a] >= 0)
            H5Dclose(axes[a]);
    H5Gclose(group);
    return status;
}

fmc_status fmc_results_write_sweeps(fmc_results_file *f, const fmc_scenario *s, uint64_t seed,
                                    const fmc_sweep_result *results)
{
    if (write_identity(f->file, s, seed, 0) < 0 || write_inputs(f->file, s) < 0)
        return FMC_EHDF5;
    hid_t group = make_group(f->file, "sweeps");
    if (group < 0)
        return FMC_EHDF5;
    herr_t status = 0;
    for (size_t k = 0; k < s->sweep_count && status >= 0; k++)
        status = write_sweep(group, s, &s->sweeps[k], &results[k]);
    H5Gclose(group);
    return status < 0 ? FMC_EHDF5 : FMC_OK;
}

/* ----- batches ----- */

void fmc_batch_row_of(const fmc_scenario *s, const char *file_name, const fmc_analysis *a,
                      fmc_batch_row *row)
{
    memset(row, 0, sizeof *row);
    snprintf(row->name, sizeof row->name, "%s", s->name);
    snprintf(row->file, sizeof row->file, "%s", file_name);
    const fmc_output_summary *profit = &a->result.outputs[FMC_OUT_PROFIT];
    row->mean = profit->mean;
    row->se = profit->se;
    row->sd = profit->sd;
    row->p_loss = profit->p_loss;
    row->p_loss_se = profit->p_loss_se;
    const fmc_lever_results *l = &a->result.levers;
    size_t best = 0;
    for (size_t i = 1; i < l->count; i++)
        if (l->net[i].mean > l->net[best].mean)
            best = i;
    if (a->has_levers && l->count)
        snprintf(row->best_lever, sizeof row->best_lever, "%s", s->levers[best].name);
}

fmc_status fmc_results_write_batch_row(fmc_results_file *f, const fmc_batch_row *row)
{
    if (attr_double(f->file, "batch_mean", row->mean) < 0 ||
        attr_double(f->file, "batch_se", row->se) < 0 ||
        attr_double(f->file, "batch_sd", row->sd) < 0 ||
        attr_double(f->file, "batch_p_loss", row->p_loss) < 0 ||
        attr_double(f->file, "batch_p_loss_se", row->p_loss_se) < 0 ||
        attr_string(f->file, "batch_best_lever", row->best_lever) < 0 ||
        attr_string(f->file, "batch_file", row->file) < 0)
        return FMC_EHDF5;
    return FMC_OK;
}

/* A variable-length string attribute into BUFFER. */
static herr_t read_string_attribute(hid_t loc, const char *name, char *buffer, size_t size)
{
    herr_t status = -1;
    hid_t attr = H5Aopen(loc, name, H5P_DEFAULT), type = utf8_string_type();
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

fmc_status fmc_results_read_batch_row(const char *path, fmc_batch_row *row)
{
    prepare_hdf5();
    memset(row, 0, sizeof *row);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        return FMC_EHDF5;
    int ok = H5LTget_attribute_double(file, "/", "batch_mean", &row->mean) >= 0 &&
             H5LTget_attribute_double(file, "/", "batch_se", &row->se) >= 0 &&
             H5LTget_attribute_double(file, "/", "batch_sd", &row->sd) >= 0 &&
             H5LTget_attribute_double(file, "/", "batch_p_loss", &row->p_loss) >= 0 &&
             H5LTget_attribute_double(file, "/", "batch_p_loss_se", &row->p_loss_se) >= 0 &&
             read_string_attribute(file, "batch_best_lever", row->best_lever, sizeof row->best_lever) >= 0 &&
             read_string_attribute(file, "batch_file", row->file, sizeof row->file) >= 0 &&
             read_string_attribute(file, "scenario_name", row->name, sizeof row->name) >= 0;
    H5Fclose(file);
    return ok ? FMC_OK : FMC_EHDF5;
}

static herr_t write_batch_table(hid_t file, const fmc_batch_row *rows, size_t n)
{
    static const struct {
        const char *name;
        size_t offset;
    } columns[] = {{"mean", offsetof(fmc_batch_row, mean)},
                   {"se", offsetof(fmc_batch_row, se)},
                   {"sd", offsetof(fmc_batch_row, sd)},
                   {"p_loss", offsetof(fmc_batch_row, p_loss)},
                   {"p_loss_se", offsetof(fmc_batch_row, p_loss_se)}};
    enum { COLUMNS = sizeof columns / sizeof columns[0] };
    herr_t status = -1;
    const char **text = malloc(3 * (n ? n : 1) * sizeof *text);
    double *numbers = malloc((n ? n : 1) * sizeof *numbers);
    hid_t group = make_group(file, "batch");
    if (!text || !numbers || group < 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        text[i] = rows[i].name;
        text[n + i] = rows[i].file;
        text[2 * n + i] = rows[i].best_lever;
    }
    hsize_t dims[1] = {n};
    if (dataset_strings(group, "name", text, n) < 0 ||
        dataset_strings(group, "file", text + n, n) < 0 ||
        dataset_strings(group, "best_lever", text + 2 * n, n) < 0)
        goto done;
    for (size_t c = 0; c < COLUMNS; c++) {
        for (size_t i = 0; i < n; i++)
            memcpy(&numbers[i], (const char *)&rows[i] + columns[c].offset, sizeof numbers[i]);
        if (dataset_doubles(group, columns[c].name, 1, dims, numbers) < 0)
            goto done;
    }
    status = 0;
done:
    if (group >= 0)
        H5Gclose(group);
    free(text);
    free(numbers);
    return status;
}

fmc_status fmc_results_assemble_batch(const char *target, const char *const *parts,
                                      const fmc_batch_row *rows, size_t count)
{
    fmc_results_file *f = NULL;
    fmc_status status = fmc_results_create(target, &f);
    if (status)
        return status;
    char created[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
    int ok = attr_string(f->file, "format", FMC_FORMAT_NAME) >= 0 &&
             write_attribute(f->file, "format_version", H5T_NATIVE_INT, &(int){FMC_FORMAT_VERSION}) >= 0 &&
             attr_string(f->file, "funnelmc_version", fmc_version()) >= 0 &&
             attr_string(f->file, "created", created) >= 0 &&
             attr_u64(f->file, "scenarios", count) >= 0;
    for (size_t i = 0; ok && i < count; i++) {
        hid_t part = H5Fopen(parts[i], H5F_ACC_RDONLY, H5P_DEFAULT), group = H5I_INVALID_HID;
        ok = part >= 0 && H5Ocopy(part, ".", f->file, rows[i].name, H5P_DEFAULT, H5P_DEFAULT) >= 0 &&
             (group = H5Gopen2(f->file, rows[i].name, H5P_DEFAULT)) >= 0 &&
             attr_u64(group, "complete", 1) >= 0;
        if (group >= 0)
            H5Gclose(group);
        if (part >= 0)
            H5Fclose(part);
    }
    if (!ok || write_batch_table(f->file, rows, count) < 0) {
        fmc_results_abort(f);
        return FMC_EHDF5;
    }
    return fmc_results_commit(f);
}

/* ----- benchmarks ----- */

static herr_t write_scaling(hid_t group, const char *prefix, const fmc_scaling *rows, size_t k)
{
    double columns[6][FMC_MAX_BENCH_THREADS];
    for (size_t i = 0; i < k; i++) {
        columns[0][i] = rows[i].median;
        columns[1][i] = rows[i].min;
        columns[2][i] = rows[i].max;
        columns[3][i] = rows[i].samples_per_second;
        columns[4][i] = rows[i].speedup;
        columns[5][i] = rows[i].efficiency;
    }
    static const char *const names[6] = {"median_seconds", "min_seconds", "max_seconds",
                                         "samples_per_second", "speedup", "efficiency"};
    hsize_t dims[1] = {k};
    for (int c = 0; c < 6; c++) {
        char name[64];
        snprintf(name, sizeof name, "%s%s", prefix, names[c]);
        if (dataset_doubles(group, name, 1, dims, columns[c]) < 0)
            return -1;
    }
    return 0;
}

fmc_status fmc_results_write_benchmark(fmc_results_file *f, const fmc_benchmark_result *b)
{
    char created[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
    size_t k = b->thread_count;
    double threads[FMC_MAX_BENCH_THREADS], rate[FMC_MAX_BENCH_THREADS];
    double speedup[FMC_MAX_BENCH_THREADS], efficiency[FMC_MAX_BENCH_THREADS];
    for (size_t i = 0; i < k; i++) {
        threads[i] = b->threads[i];
        rate[i] = b->strong[0][i].samples_per_second;
        speedup[i] = b->strong[0][i].speedup;
        efficiency[i] = b->strong[0][i].efficiency;
    }
    hsize_t dims[1] = {k};
    hid_t bench = make_group(f->file, "bench");
    int ok = bench >= 0 && attr_string(f->file, "format", FMC_FORMAT_NAME) >= 0 &&
             write_attribute(f->file, "format_version", H5T_NATIVE_INT, &(int){FMC_FORMAT_VERSION}) >= 0 &&
             attr_string(f->file, "funnelmc_version", fmc_version()) >= 0 &&
             attr_string(f->file, "created", created) >= 0 &&
             attr_string(bench, "cpu", b->cpu) >= 0 && attr_u64(bench, "cores", (uint64_t)b->cores) >= 0 &&
             attr_string(bench, "omp_proc_bind", b->proc_bind) >= 0 &&
             attr_string(bench, "omp_places", b->places) >= 0 &&
             attr_u64(bench, "samples", b->samples) >= 0 &&
             attr_u64(bench, "repeats", (uint64_t)b->repeats) >= 0 &&
             dataset_doubles(bench, "threads", 1, dims, threads) >= 0 &&
             dataset_doubles(bench, "samples_per_second", 1, dims, rate) >= 0 &&
             dataset_doubles(bench, "speedup", 1, dims, speedup) >= 0 &&
             dataset_doubles(bench, "efficiency", 1, dims, efficiency) >= 0;
    for (int w = 0; ok && w < FMC_WORKLOAD_COUNT; w++) {
        hid_t group = make_group(bench, fmc_workload_name(w));
        ok = group >= 0 && write_scaling(group, "", b->strong[w], k) >= 0 &&
             write_scaling(group, "weak_", b->weak[w], k) >= 0;
        if (group >= 0)
            H5Gclose(group);
    }
    if (bench >= 0)
        H5Gclose(bench);
    return ok ? FMC_OK : FMC_EHDF5;
}

/* ----- raw samples ----- */

static hid_t sample_dataset(hid_t group, const char *name, uint64_t samples)
{
    hsize_t dims[1] = {samples};
    hsize_t chunk[1] = {samples < SAMPLE_CHUNK ? samples : SAMPLE_CHUNK};
    hid_t space = H5Screate_simple(1, dims, NULL), props = H5Pcreate(H5P_DATASET_CREATE);
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

fmc_status fmc_results_begin_samples(fmc_results_file *f, const fmc_scenario *s,
                                     uint64_t samples)
{
    size_t n = s->input_count + FMC_OUTPUT_COUNT;
    f->sample_sets = malloc(n * sizeof *f->sample_sets);
    if (!f->sample_sets)
        return FMC_ENOMEM;
    hid_t top = make_group(f->file, "samples"), inputs = H5I_INVALID_HID, outputs = H5I_INVALID_HID;
    fmc_status status = FMC_EHDF5;
    if (top < 0 || (inputs = make_group(top, "inputs")) < 0 ||
        (outputs = make_group(top, "outputs")) < 0)
        goto done;
    for (size_t j = 0; j < n; j++) {
        int is_input = j < s->input_count;
        const char *name = is_input ? s->inputs[j].name
                                    : fmc_output_name((fmc_output_id)(j - s->input_count));
        hid_t set = sample_dataset(is_input ? inputs : outputs, name, samples);
        if (set < 0)
            goto done;
        f->sample_sets[f->sample_set_count++] = set;
    }
    status = FMC_OK;
done:
    if (outputs >= 0)
        H5Gclose(outputs);
    if (inputs >= 0)
        H5Gclose(inputs);
    if (top >= 0)
        H5Gclose(top);
    return status;
}

fmc_status fmc_results_sample_sink(void *context, uint64_t first, size_t count,
                                   const double *const *inputs, const double *const *outputs)
{
    fmc_results_file *f = context;
    size_t input_count = f->sample_set_count - FMC_OUTPUT_COUNT;
    hsize_t start[1] = {first}, size[1] = {count};
    hid_t memory = H5Screate_simple(1, size, NULL);
    if (memory < 0)
        return FMC_EHDF5;
    fmc_status status = FMC_OK;
    for (size_t j = 0; j < f->sample_set_count && status == FMC_OK; j++) {
        const double *column = j < input_count ? inputs[j] : outputs[j - input_count];
        hid_t space = H5Dget_space(f->sample_sets[j]);
        if (space < 0 || H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, size, NULL) < 0 ||
            H5Dwrite(f->sample_sets[j], H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT, column) < 0)
            status = FMC_EHDF5;
        if (space >= 0)
            H5Sclose(space);
    }
    H5Sclose(memory);
    return status;
}

/* ----- finishing ----- */

static herr_t close_all(fmc_results_file *f)
{
    herr_t status = 0;
    for (size_t j = 0; j < f->sample_set_count; j++)
        if (H5Dclose(f->sample_sets[j]) < 0)
            status = -1;
    free(f->sample_sets);
    f->sample_sets = NULL;
    f->sample_set_count = 0;
    if (f->file >= 0 && H5Fclose(f->file) < 0)
        status = -1;
    f->file = H5I_INVALID_HID;
    return status;
}

static void release(fmc_results_file *f)
{
    free(f->target);
    free(f->temp);
    free(f);
}

fmc_status fmc_results_commit(fmc_results_file *f)
{
    fmc_status status = FMC_OK;
    if (close_all(f) < 0) {
        status = FMC_EHDF5;
    } else if (rename(f->temp, f->target) != 0) {
        status = FMC_EIO;
    }
    if (status != FMC_OK) {
        int saved = errno;
        remove(f->temp);
        errno = saved;
    }
    release(f);
    return status;
}

void fmc_results_abort(fmc_results_file *f)
{
    if (!f)
        return;
    close_all(f);
    remove(f->temp);
    release(f);
}
