/* libFuzzer target for the scenario reader: parsing and every validation
 * rule.  Besides crashes, hangs and leaks (the sanitizers' job) it checks
 * the reader's contract: a scenario is accepted exactly when no diagnostic
 * was given, and every diagnostic names the file and says something. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/diag.h"
#include "funnelmc/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    fmc_status status = fmc_scenario_load_text((const char *)data, size, "fuzz.yaml", &s, &diags);
    if ((status == FMC_OK) != (diags.count == 0 && s != NULL))
        abort();
    if (status != FMC_OK && status != FMC_ESCENARIO && status != FMC_ENOMEM)
        abort();
    for (size_t i = 0; i < diags.count; i++) {
        const fmc_diagnostic *d = &diags.items[i];
        if (!d->file || strcmp(d->file, "fuzz.yaml") != 0 || !d->key || !d->message ||
            !d->message[0])
            abort();
    }
    fmc_scenario_free(s);
    fmc_diagnostics_clear(&diags);
    return 0;
}
