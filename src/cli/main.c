/* funnelmc: the command-line program.  A subcommand is added in three steps
 * (as git does it): a cmd_<name>() in cmd_<name>.c, its declaration in cli.h,
 * and one row in the table below. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/team.h"
#include "funnelmc/version.h"

fmc_team *cli_world;

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"run", cmd_run, "simulate one scenario (the built-in worked example if none is given)"},
    {"check", cmd_check, "validate scenario files and report every error"},
    {"sweep", cmd_sweep, "run a scenario's grids of changes (decision maps)"},
    {"batch", cmd_batch, "analyse many scenarios into one file, resumable"},
    {"bench", cmd_bench, "measure this machine: throughput and scaling"},
    {"fit", cmd_fit, "fit laws to a column of numbers and rank them"},
    {"show", cmd_show, "print the summary of a results file again"},
    {"report", cmd_report, "write a results file's report: an HTML page and charts"},
};

static void usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc [--version] [--help] <command> [<args>]\n"
            "\n"
            "Monte Carlo profit and sensitivity of a social-media funnel:\n"
            "  Profit = (R - Cg) * (F * Cr * Or * Pr) - h * T - other costs\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(stream, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(stream, "\n'funnelmc <command> --help' describes a command.\n"
                    "Exit status: 0 success, 1 a run failed, 2 bad usage, scenario or results file.\n");
    if (fmc_team_mpi_built())
        fprintf(stream, "This build has MPI: 'mpirun -n P funnelmc <command> ...' shares every\n"
                        "command's work among P processes, with the same results.\n");
    else
        fprintf(stream, "This build has no MPI: it runs as one process (build with\n"
                        "-DFUNNELMC_MPI=ON to run across processes under mpirun).\n");
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        if (cli_is_leader())
            usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("funnelmc %s\nMPI: %s\nbuild: %s\n", fmc_version(),
               fmc_team_mpi_built() ? "yes" : "no", fmc_build_description());
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_RUN_FAILED;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_RUN_FAILED;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        int status = commands[i].run(argc - 1, argv + 1);
        /* A command that failed has said why, a JSON summary it could not
         * write among the reasons (json.c): one message for one failure. */
        if (status)
            return status;
        /* A summary that did not reach stdout (full disk, closed pipe) is a
         * failed run, not a silent success. */
        if (fflush(stdout) != 0 || ferror(stdout)) {
            print_error("could not write to standard output");
            return EXIT_RUN_FAILED;
        }
        return 0;
    }
    print_error("'%s' is not a funnelmc command; see 'funnelmc --help'", argv[1]);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; the library checks every result itself. */
    gsl_set_error_handler_off();
    fmc_status started = fmc_team_start(&argc, &argv, &cli_world);
    if (started == FMC_EINVAL) {
        print_error("started by srun as one of %s tasks that MPI does not connect: each "
                    "would run the whole job alone; use 'srun --mpi=pmix' ('srun --mpi=list' "
                    "shows the plugins)", getenv("SLURM_STEP_NUM_TASKS"));
        return EXIT_USAGE;
    }
    if (started) {
        print_error("out of memory");
        return EXIT_RUN_FAILED;
    }
    /* what the processes would print there is the same on all: rank 0's will do */
    if (!cli_is_leader() && !freopen("/dev/null", "w", stdout)) {
        print_local_error("cannot silence standard output: %s", strerror(errno));
        fmc_team_abort(cli_world, EXIT_RUN_FAILED);
    }
    int status = dispatch(argc, argv);
    fmc_team_stop(cli_world);
    return status;
}
