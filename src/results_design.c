/* How a run's inputs were drawn, in its results file: the design (root
 * attributes), the laws fitted to data (/inputs/fit) and the rank
 * correlations asked and drawn (/correlations); docs/hdf5-layout.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/levers.h"
#include "results_internal.h"

herr_t fmc_h5_design(hid_t loc, const fmc_design *d)
{
    const fmc_h5_attribute attributes[] = {
        FMC_H5_ATTR_TEXT("sampling", fmc_design_name(d->method)),
        FMC_H5_ATTR_U64("replicates", d->replicates),
        FMC_H5_ATTR_U64("replicate_points", d->points)};
    return fmc_h5_attributes(loc, attributes, FMC_COUNT_OF(attributes));
}

/* The ranking of one fitted input, in its group of /inputs/fit. */
static herr_t write_fit(hid_t parent, const char *name, const fmc_fit_result *fit)
{
    size_t n = fit->count;
    hid_t group = fmc_h5_make_group(parent, name);
    const char **laws = malloc(n * sizeof *laws), **keys = malloc(n * sizeof *keys);
    char *key_text = malloc(n * 64);
    double *columns = malloc(n * (6 + 2 * FMC_FIT_MAX_PARAMS) * sizeof *columns);
    herr_t status = -1;
    if (group < 0 || !laws || !keys || !key_text || !columns)
        goto done;
    double *loglik = columns, *aic = columns + n, *ks = columns + 2 * n, *ks_p = columns + 3 * n;
    double *ad = columns + 4 * n, *fitted = columns + 5 * n;
    double *parameters = columns + 6 * n, *se = parameters + n * FMC_FIT_MAX_PARAMS;
    for (size_t k = 0; k < n; k++) {
        const fmc_fit_candidate *c = &fit->candidates[k];
        laws[k] = fmc_dist_kind_name(c->law);
        keys[k] = key_text + 64 * k;
        key_text[64 * k] = '\0';
        for (size_t p = 0; p < c->parameter_count; p++) {
            size_t used = strlen(keys[k]);
            snprintf(key_text + 64 * k + used, 64 - used, "%s%s", p ? " " : "",
                     c->parameter_names[p]);
        }
        fitted[k] = c->fitted;
        loglik[k] = c->fitted ? c->log_likelihood : NAN;
        aic[k] = c->fitted ? c->aic : NAN;
        ks[k] = c->fitted ? c->ks : NAN;
        ks_p[k] = c->fitted ? c->ks_p : NAN;
        ad[k] = c->fitted ? c->anderson_darling : NAN;
        for (size_t p = 0; p < FMC_FIT_MAX_PARAMS; p++) {
            int set = c->fitted && p < c->parameter_count;
            parameters[k * FMC_FIT_MAX_PARAMS + p] = set ? c->parameters[p] : NAN;
            se[k * FMC_FIT_MAX_PARAMS + p] = set ? c->parameter_se[p] : NAN;
        }
    }
    const fmc_h5_dataset sets[] = {
        {"fitted", fitted, 1, {n}, {"law"}},
        {"log_likelihood", loglik, 1, {n}, {"law"}},
        {"aic", aic, 1, {n}, {"law"}},
        {"ks", ks, 1, {n}, {"law"}},
        {"ks_p", ks_p, 1, {n}, {"law"}},
        {"anderson_darling", ad, 1, {n}, {"law"}},
        {"parameters", parameters, 2, {n, FMC_FIT_MAX_PARAMS}, {"law", "parameter"}},
        {"parameter_se", se, 2, {n, FMC_FIT_MAX_PARAMS}, {"law", "parameter"}}};
    if (fmc_h5_coordinate_strings(group, "law", laws, n) < 0 ||
        fmc_h5_dimension(group, "parameter", FMC_FIT_MAX_PARAMS) < 0 ||
        fmc_h5_strings(group, "parameter_names", keys, n) < 0 ||
        fmc_h5_attach(group, "parameter_names", (const char *const[]){"law"}) < 0 ||
        fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets)) < 0 ||
        fmc_h5_attr_u64(group, "value_count", fit->value_count) < 0)
        goto done;
    status = 0;
done:
    if (group >= 0)
        H5Gclose(group);
    free(laws);
    free(keys);
    free(key_text);
    free(columns);
    return status;
}

herr_t fmc_h5_fits(hid_t inputs, const fmc_scenario *s)
{
    hid_t group = H5I_INVALID_HID;
    herr_t status = 0;
    for (size_t j = 0; j < s->input_count && status >= 0; j++) {
        if (!s->inputs[j].fit)
            continue;
        if (group < 0 && (group = fmc_h5_make_group(inputs, "fit")) < 0)
            return -1;
        status = write_fit(group, s->inputs[j].name, s->inputs[j].fit);
    }
    if (group >= 0)
        H5Gclose(group);
    return status;
}

herr_t fmc_h5_correlations(hid_t file, const fmc_scenario *s, const fmc_correlation_check_result *c)
{
    size_t n = c->count;
    hid_t group = fmc_h5_make_group(file, "correlations");
    enum { NAME_SIZE = 256 };
    const char **names = malloc(2 * n * sizeof *names);
    char *text = malloc(2 * n * NAME_SIZE);  /* a lever's number has no stored name */
    double *columns = malloc(4 * n * sizeof *columns);
    herr_t status = -1;
    if (group < 0 || !names || !text || !columns)
        goto done;
    double *requested = columns, *realised = columns + n, *se = columns + 2 * n, *z = columns + 3 * n;
    for (size_t k = 0; k < n; k++) {
        const fmc_realised_correlation *pair = &c->pairs[k];
        fmc_correlated_name(s, pair->first, text + k * NAME_SIZE, NAME_SIZE);
        fmc_correlated_name(s, pair->second, text + (n + k) * NAME_SIZE, NAME_SIZE);
        names[k] = text + k * NAME_SIZE;
        names[n + k] = text + (n + k) * NAME_SIZE;
        requested[k] = pair->requested;
        realised[k] = pair->realised;
        se[k] = pair->realised_se;
        z[k] = pair->z;
    }
    const fmc_h5_dataset sets[] = {{"requested", requested, 1, {n}, {"pair"}},
                                   {"realised", realised, 1, {n}, {"pair"}},
                                   {"realised_se", se, 1, {n}, {"pair"}},
                                   {"z", z, 1, {n}, {"pair"}}};
    const char *const pair[] = {"pair"};
    if (fmc_h5_dimension(group, "pair", n) < 0 || fmc_h5_strings(group, "first", names, n) < 0 ||
        fmc_h5_attach(group, "first", pair) < 0 ||
        fmc_h5_strings(group, "second", names + n, n) < 0 ||
        fmc_h5_attach(group, "second", pair) < 0 ||
        fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets)) < 0)
        goto done;
    status = 0;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    free(text);
    free(columns);
    return status;
}
