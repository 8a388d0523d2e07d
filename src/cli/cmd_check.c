#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static void check_usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc check [--quiet] [--strict] SCENARIO...\n"
            "\n"
            "Validates each scenario file against the scenario format and prints every\n"
            "error found as FILE:LINE:COLUMN: 'KEY': MESSAGE, and every warning (what is\n"
            "valid but probably not meant, such as a lever clamped at a rate's limit in\n"
            "more than 1%% of samples).  Nothing is simulated.  A SCENARIO '-' is read\n"
            "from standard input and named <stdin>; '-' may be given once.\n"
            "\n"
            "  -q, --quiet   print errors and warnings only, not the 'ok' lines\n"
            "      --strict  treat warnings as errors\n"
            "  -h, --help    show this help\n"
            "\n"
            "Exit status: 0 when every file is valid, 2 when any is not.  Under mpirun\n"
            "every process checks the same files and rank 0 alone prints.\n");
}

int cmd_check(int argc, char **argv)
{
    static const struct option options[] = {
        {"quiet", no_argument, NULL, 'q'}, {"strict", no_argument, NULL, OPT_STRICT},
        {"help", no_argument, NULL, 'h'},  {NULL, 0, NULL, 0}};
    common_args common = {.command = "check", .usage = check_usage};
    int c, exit_status;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:qh", options, NULL)) != -1)
        if ((exit_status = parse_common_option(c, argv, &common)) >= 0)
            return exit_status;
    if (optind >= argc) {
        print_error("no scenario file given");
        if (cli_is_leader())
            check_usage(stderr);
        return EXIT_USAGE;
    }
    if ((exit_status = check_standard_input_once(argv + optind, argc - optind)))
        return exit_status;
    int worst = 0;
    for (int i = optind; i < argc; i++) {
        fmc_scenario *scenario = NULL;
        int status = load_scenario(argv[i], common.strict, &scenario);
        if (status == 0 && !common.quiet)
            printf("%s: ok (%s)\n", scenario->file, scenario->name);
        fmc_scenario_free(scenario);
        worst = status > worst ? status : worst;
    }
    return worst;
}
