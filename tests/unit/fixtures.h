/* Fixtures for the unit tests: scenarios (the reference file, the built-in
 * worked example, or a text; diagnostics to stderr, NULL on failure) and a
 * run with chosen analyses. */
#ifndef FUNNELMC_TEST_FIXTURES_H
#define FUNNELMC_TEST_FIXTURES_H

#include <string.h>
#include "funnelmc/engine.h"
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

/* N samples on THREADS threads, with the drivers and/or levers measured and
 * every draw passed to SINK (may be NULL). */
static inline fmc_status run_analyses(const fmc_scenario *s, uint64_t n, int threads, int drivers,
                                      int levers, fmc_sample_sink_fn sink, void *context,
                                      fmc_run_result *out)
{
    fmc_run_options o = fmc_run_options_default();
    o.samples = n;
    o.threads = threads;
    o.drivers = drivers;
    o.levers = levers;
    o.equivalents = levers;
    o.sink = sink;
    o.sink_context = context;
    return fmc_simulate(s, &o, out);
}

#endif
