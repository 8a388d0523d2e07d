/* What the run layout holds of the value of information of the levers'
 * choice: /levers/value_of_information (docs/hdf5-layout.md). */
#include <stdlib.h>
#include "funnelmc/levers.h"
#include "results_internal.h"

/* The names "lever.key.path" of V's lever numbers, in one allocation
 * (*TEXT) pointed to by NAMES; 0, or -1 when out of memory. */
static herr_t number_names(const fmc_scenario *s, const fmc_lever_voi *v, const char **names,
                           char **text)
{
    enum { NAME = 512 };
    *text = malloc((v->numbers ? v->numbers : 1) * NAME);
    if (!*text)
        return -1;
    for (size_t k = 0; k < v->numbers; k++) {
        char *name = *text + k * NAME;
        fmc_lever_number_name(s, &s->levers[v->number_lever[k]], v->number_quantity[k], name,
                              NAME);
        names[k] = name;
    }
    return 0;
}

herr_t fmc_h5_lever_voi(hid_t levers, const fmc_scenario *s, const fmc_lever_results *r)
{
    const fmc_lever_voi *v = &r->voi;
    size_t d = r->inputs, V = v->numbers, G = FMC_GROUP_COUNT;
    herr_t status = -1;
    char *text = NULL;
    const char **names = malloc((V > G ? V : G) * sizeof *names);
    uint64_t counts[3][FMC_GROUP_COUNT];
    hid_t group = fmc_h5_make_group(levers, "value_of_information");
    if (!names || group < 0)
        goto done;
    for (size_t g = 0; g < G; g++) {
        names[g] = fmc_group_name((int)g);
        counts[0][g] = v->group_inputs[g];
        counts[1][g] = v->group_bins[g];
        counts[2][g] = v->group_cells[g];
    }
    const fmc_h5_attribute attributes[] = {
        FMC_H5_ATTR_U64("folds", v->folds),
        FMC_H5_ATTR_U64("bins", v->bins),
        FMC_H5_ATTR_TEXT("best_now", v->best ? s->levers[v->best - 1].name : "none"),
        FMC_H5_ATTR_DOUBLE("best_now_net_gain", v->best_net),
        FMC_H5_ATTR_DOUBLE("evpi", v->evpi),
        FMC_H5_ATTR_DOUBLE("evpi_se", v->evpi_se)};
    const fmc_h5_dataset sets[] = {
        {"input_evppi", v->input, 1, {d}, {"input"}},
        {"input_evppi_se", v->input_se, 1, {d}, {"input"}},
        {"group_evppi", v->group, 1, {G}, {"group"}},
        {"group_evppi_se", v->group_se, 1, {G}, {"group"}},
        {"number_evppi", v->number, 1, {V}, {"number"}},
        {"number_evppi_se", v->number_se, 1, {V}, {"number"}}};
    const char *const *group_axis = (const char *const[]){"group"};
    if (fmc_h5_attributes(group, attributes, FMC_COUNT_OF(attributes)) < 0 ||
        fmc_h5_coordinate_strings(group, "group", names, G) < 0 ||
        fmc_h5_input_coordinate(group, s) < 0 ||
        number_names(s, v, names, &text) < 0 ||
        fmc_h5_coordinate_strings(group, "number", names, V) < 0 ||
        fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets)) < 0)
        goto done;
    static const char *const count_names[3] = {"group_inputs", "group_bins", "group_cells"};
    for (int c = 0; c < 3; c++)
        if (fmc_h5_u64s(group, count_names[c], G, counts[c]) < 0 ||
            fmc_h5_attach(group, count_names[c], group_axis) < 0)
            goto done;
    status = 0;
done:
    if (group >= 0)
        H5Gclose(group);
    free(names);
    free(text);
    return status;
}
