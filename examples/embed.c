/* Embedding libfunnelmc: load a scenario from a string, simulate it, and
 * print its mean profit with the standard error of that mean.
 *
 * Build against the installed library (docs/install.md):
 *     cc embed.c $(pkg-config --cflags --libs funnelmc) -o embed
 * or, in CMake, find_package(funnelmc CONFIG) and link funnelmc::funnelmc.
 *
 * The scenario is the worked example of the documentation, every input known
 * exactly, so this prints a mean profit of 2500 with a standard error of 0.
 * Write any input as a distribution instead (click_rate: {dist: beta, alpha:
 * 25, beta: 75}, as in scenarios/reference.yaml) and the mean becomes an
 * estimate with an error; docs/scenario-format.md lists every key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <funnelmc/engine.h>
#include <funnelmc/scenario.h>

static const char scenario_text[] =
    "name: embedded\n"
    "samples: 100000\n"
    "seed: 7\n"
    "inputs:\n"
    "  revenue_per_sale: 100\n"
    "  cost_of_goods: 10\n"
    "  followers: 1000\n"
    "  click_rate: 0.25\n"
    "  optin_rate: 0.4\n"
    "  purchase_rate: 0.5\n"
    "  hourly_rate: 50\n"
    "  hours: 40\n";

int main(void)
{
    /* Problems in the text (a missing key, a rate above 1) come back as a
     * list of diagnostics, each with its line, column and key; the display
     * name stands for the file in them. */
    fmc_diagnostics problems;
    fmc_diagnostics_init(&problems);
    fmc_scenario *scenario = NULL;
    fmc_status status = fmc_scenario_load_text(scenario_text, strlen(scenario_text),
                                               "<embedded scenario>", &scenario, &problems);
    if (status != FMC_OK) {
        fmc_diagnostics_print(&problems, stderr);
        fprintf(stderr, "error: cannot load the scenario: %s\n", fmc_strerror(status));
        fmc_diagnostics_clear(&problems);
        return EXIT_FAILURE;
    }
    fmc_diagnostics_clear(&problems);
    /* A valid scenario may still carry warnings (a lever clamped often). */
    fmc_diagnostics_print_as(&scenario->warnings, "warning", stderr);

    /* The default options: the scenario's samples and seed, every core.
     * The result is the same bits for any number of threads. */
    fmc_run_options options = fmc_run_options_default();
    fmc_run_result result;
    status = fmc_simulate(scenario, &options, &result);
    if (status != FMC_OK) {
        fprintf(stderr, "error: cannot simulate the scenario: %s\n", fmc_strerror(status));
        fmc_scenario_free(scenario);
        return EXIT_FAILURE;
    }

    const fmc_output_summary *profit = &result.outputs[FMC_OUT_PROFIT];
    printf("mean profit: %.17g ± %.17g (se), %llu samples\n", profit->mean, profit->se,
           (unsigned long long)result.samples);
    fmc_run_result_clear(&result);
    fmc_scenario_free(scenario);
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_SUCCESS : EXIT_FAILURE;
}
