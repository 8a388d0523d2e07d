/* What the run layout holds of the break-even values: /break_even
 * (docs/hdf5-layout.md).  Per-input arrays follow /inputs/name; a value
 * with no break-even is NaN, and its status says which way. */
#include <stdlib.h>
#include "funnelmc/results.h"
#include "results_internal.h"

fmc_status fmc_results_write_break_even(fmc_h5file *f, const fmc_scenario *s,
                                        const fmc_break_even_result *b)
{
    size_t d = b->inputs;
    fmc_status status = FMC_EHDF5;
    const char **kinds = malloc((d ? d : 1) * sizeof *kinds);
    hid_t group = fmc_h5_make_group(fmc_h5file_handle(f), "break_even");
    if (!kinds || group < 0)
        goto done;
    for (size_t j = 0; j < d; j++)
        kinds[j] = fmc_break_even_kind_name(b->kind[j]);
    const fmc_h5_dataset sets[] = {{"value", b->value, 1, {d}, {"input"}},
                                   {"se", b->se, 1, {d}, {"input"}}};
    if (fmc_h5_attr_u64(group, "samples", b->samples) < 0 ||
        fmc_h5_input_coordinate(group, s) < 0 ||
        fmc_h5_datasets(group, sets, FMC_COUNT_OF(sets)) < 0 ||
        fmc_h5_strings(group, "status", kinds, d) < 0 ||
        fmc_h5_attach(group, "status", (const char *const[]){"input"}) < 0)
        goto done;
    if (b->periods > 0) {
        uint32_t p = b->periods;
        const fmc_h5_attribute attributes[] = {
            FMC_H5_ATTR_DOUBLE("period", b->period),
            FMC_H5_ATTR_DOUBLE("period_se", b->period_se),
            FMC_H5_ATTR_TEXT("period_status", fmc_break_even_kind_name(b->period_kind))};
        const fmc_h5_dataset periodic[] = {
            {"cumulative_mean", b->cumulative_mean, 1, {p}, {"period"}},
            {"cumulative_se", b->cumulative_se, 1, {p}, {"period"}}};
        if (fmc_h5_attributes(group, attributes, FMC_COUNT_OF(attributes)) < 0 ||
            fmc_h5_periods(group, p) < 0 ||
            fmc_h5_datasets(group, periodic, FMC_COUNT_OF(periodic)) < 0)
            goto done;
    }
    status = FMC_OK;
done:
    if (group >= 0)
        H5Gclose(group);
    free(kinds);
    return status;
}
