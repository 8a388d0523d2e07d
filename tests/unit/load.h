/* Scenario loading for the unit tests: the reference file, the built-in
 * worked example, or a text; diagnostics go to stderr, NULL on failure. */
#ifndef FUNNELMC_TEST_LOAD_H
#define FUNNELMC_TEST_LOAD_H

#include <string.h>
#include "funnelmc/scenario.h"

static inline fmc_scenario *load_text(const char *text)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    fmc_scenario_load_text(text, strlen(text), "test.yaml", &s, &diags);
    fmc_diagnostics_print(&diags, stderr);
    fmc_diagnostics_clear(&diags);
    return s;
}

static inline fmc_scenario *load_reference(void)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    fmc_scenario_load_file(FMC_SOURCE_DIR "/scenarios/reference.yaml", &s, &diags);
    fmc_diagnostics_print(&diags, stderr);
    fmc_diagnostics_clear(&diags);
    return s;
}

static inline fmc_scenario *load_worked_example(void)
{
    return load_text(fmc_worked_example_text());
}

#endif
