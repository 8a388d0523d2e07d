#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/replicates.h"

int cli_is_leader(void)
{
    return fmc_team_rank(cli_world) == 0;
}

void print_error(const char *format, ...)
{
    /* what every process meets alike is reported once; the file is rank 0's */
    if (!cli_is_leader())
        return;
    va_list args;
    va_start(args, format);
    fputs("error: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
}

void print_local_error(const char *format, ...)
{
    char line[512];
    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (fmc_team_size(cli_world) > 1)
        fprintf(stderr, "rank %d: error: %s\n", fmc_team_rank(cli_world), line);
    else
        fprintf(stderr, "error: %s\n", line);
}

void print_processes(FILE *stream, int threads)
{
    int processes = fmc_team_size(cli_world);
    if (processes == 1)
        return;
    fmc_team_traffic traffic = fmc_team_traffic_total();
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
    double bytes = (double)traffic.bytes;
    size_t unit = 0;
    for (; bytes >= 1000 && unit + 1 < sizeof units / sizeof *units; unit++)
        bytes /= 1000;
    fprintf(stream, "processes: %d x %d threads; %llu collectives, %.3g %s exchanged by rank 0\n",
            processes, threads > 0 ? threads : omp_get_max_threads(),
            (unsigned long long)traffic.collectives, bytes, units[unit]);
}

const char *failure_reason(fmc_status status)
{
    int disk = errno == ENOSPC || errno == EDQUOT || errno == EFBIG || errno == EROFS || errno == EIO;
    if (status == FMC_EIO || (status == FMC_EHDF5 && disk))
        return strerror(errno);
    return fmc_strerror(status);
}

common_args analysis_args(const char *command, void (*usage)(FILE *stream),
                          fmc_analysis_options *options)
{
    *options = fmc_analysis_options_default();
    return (common_args){.command = command, .usage = usage, .run = &options->run,
                         .analysis = options};
}

int parse_common_option(int c, char **argv, common_args *a)
{
    switch (c) {
    case OPT_SUMMARY_ONLY:
        a->analysis->summary_only = 1;
        return -1;
    case 'o':
        a->output = optarg;
        return -1;
    case 'q':
        a->quiet = 1;
        return -1;
    case OPT_JSON:
        a->json = 1;
        return -1;
    case OPT_STRICT:
        a->strict = 1;
        return -1;
    case 'n':
        return parse_positive_count("-n", optarg, &a->run->samples) ? -1 : EXIT_USAGE;
    case 'j':
        return parse_threads("-j", optarg, &a->run->threads) ? -1 : EXIT_USAGE;
    case OPT_SEED:
        a->run->seed_given = 1;
        return parse_seed("--seed", optarg, &a->run->seed) ? -1 : EXIT_USAGE;
    case OPT_SAMPLING:
        return parse_design("--sampling", optarg, a->run) ? -1 : EXIT_USAGE;
    case OPT_REPLICATES: {
        uint64_t replicates;
        if (!parse_count_up_to("--replicates", optarg, FMC_MAX_DESIGN_REPLICATES, &replicates))
            return EXIT_USAGE;
        a->run->design_replicates = (uint32_t)replicates;
        return -1;
    }
    case 'h':
        a->usage(stdout);
        return 0;
    case ':':
        print_error("option '%s' needs a value", argv[optind - 1]);
        return EXIT_USAGE;
    default:
        print_error("unknown option '%s'; see 'funnelmc %s --help'", argv[optind - 1], a->command);
        return EXIT_USAGE;
    }
}

int refuse_detail_with_json(const common_args *a, int detail)
{
    if (!detail || !a->json)
        return 0;
    print_error("options '--detail' and '--json' cannot be used together: '--detail' shapes "
                "the text summary only; see 'funnelmc %s --help'", a->command);
    return EXIT_USAGE;
}

int parse_design(const char *name, const char *text, fmc_run_options *options)
{
    int method = fmc_design_find(text);
    if (method < 0) {
        print_error("option '%s': expected mc, lhs or qmc, found '%s'", name, text);
        return 0;
    }
    options->design_given = 1;
    options->design_method = (fmc_design_method)method;
    return 1;
}

uint64_t run_samples(const fmc_scenario *s, const fmc_run_options *options)
{
    if (options->precision_mean > 0 || s->precision_mean > 0)
        return 0;
    return options->samples ? options->samples : s->samples;
}

int check_design(const char *path, const fmc_scenario *s, const fmc_run_options *options,
                 uint64_t samples)
{
    fmc_design design;
    const char *name = path ? path : FMC_WORKED_EXAMPLE_NAME;
    const char *method = fmc_design_name(options->design_given ? options->design_method
                                                               : s->sampling);
    if (fmc_run_design(s, options, 0, &design)) {
        print_error("%s: %s with 1 replicate: lhs and qmc need at least 2 (--replicates), whose "
                    "spread gives the standard errors", name, method);
        return EXIT_USAGE;
    }
    if (fmc_run_design(s, options, samples, &design)) {
        print_error("%s: %llu samples in %u replicates of %s are more than 2^32 - 1 points in "
                    "each: raise --replicates", name, (unsigned long long)samples,
                    design.replicates, method);
        return EXIT_USAGE;
    }
    return 0;
}

int parse_count_up_to(const char *name, const char *text, uint64_t most, uint64_t *out)
{
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end || errno || !(x >= 1 && x <= (double)most && x == floor(x))) {
        if (most == FMC_MOST_SAMPLES)
            print_error("option '%s': expected a positive whole number up to 2^53 "
                        "(9007199254740992), such as 1000000 or 1e6, found '%s'", name, text);
        else
            print_error("option '%s': expected a whole number from 1 to %llu, found '%s'", name,
                        (unsigned long long)most, text);
        return 0;
    }
    *out = (uint64_t)x;
    return 1;
}

int parse_positive_count(const char *name, const char *text, uint64_t *out)
{
    return parse_count_up_to(name, text, FMC_MOST_SAMPLES, out);
}

int parse_seed(const char *name, const char *text, uint64_t *out)
{
    int digits = *text != '\0';
    for (const char *p = text; *p; p++)
        digits &= isdigit((unsigned char)*p) != 0;
    errno = 0;
    unsigned long long v = digits ? strtoull(text, NULL, 10) : 0;
    if (!digits || errno == ERANGE) {
        print_error("option '%s': expected a whole number from 0 to 18446744073709551615, "
                    "found '%s'", name, text);
        return 0;
    }
    *out = (uint64_t)v;
    return 1;
}

int parse_precision(const char *name, const char *text, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end || errno || !(x >= 0) || !isfinite(x)) {
        print_error("option '%s': expected a half-width >= 0 (0 turns the rule off), found '%s'",
                    name, text);
        return 0;
    }
    *out = x;
    return 1;
}

int most_useful_threads(void)
{
    return THREADS_PER_CORE * omp_get_num_procs();
}

int parse_threads(const char *name, const char *text, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10), most = most_useful_threads();
    if (end == text || *end || errno || v < 1 || v > most) {
        /* every thread holds a workspace of its own: thousands of them on
         * a few cores cost gigabytes and gain nothing */
        print_error("option '%s': expected a thread count from 1 to %ld (%d per core on this "
                    "machine's %d cores), found '%s'",
                    name, most, THREADS_PER_CORE, omp_get_num_procs(), text);
        return 0;
    }
    *out = (int)v;
    return 1;
}

/* Standard input, whole, into *TEXT (malloc'd) and *LENGTH: read by the
 * leader and handed to every process, as mpirun gives it to rank 0 alone.
 * FMC_OK, or FMC_EIO (errno kept on the leader) or FMC_ENOMEM, *TEXT NULL. */
static fmc_status read_standard_input(char **text, size_t *length)
{
    size_t size = 0, capacity = 1 << 16;
    char *buffer = malloc(capacity);
    fmc_status status = buffer ? FMC_OK : FMC_ENOMEM;
    if (cli_is_leader()) {
        while (!status) {
            size += fread(buffer + size, 1, capacity - size, stdin);
            if (size < capacity) {
                status = ferror(stdin) ? FMC_EIO : FMC_OK;
                break;
            }
            char *grown = realloc(buffer, capacity *= 2);
            status = grown ? FMC_OK : FMC_ENOMEM;
            buffer = grown ? grown : buffer;
        }
    }
    uint64_t shared[2] = {(uint64_t)status, size};
    fmc_team_broadcast(cli_world, shared, sizeof shared);
    size = (size_t)shared[1];
    if (!status && !shared[0] && size > capacity) {
        char *grown = realloc(buffer, size);
        status = grown ? FMC_OK : FMC_ENOMEM;
        buffer = grown ? grown : buffer;
    }
    status = fmc_team_agree(cli_world, status ? status : (fmc_status)shared[0]);
    if (!status)
        fmc_team_broadcast(cli_world, buffer, size);
    if (status) {
        free(buffer);
        buffer = NULL;
    }
    *text = buffer;
    *length = size;
    return status;
}

int check_standard_input_once(char *const *paths, int count)
{
    /* the first '-' takes all of standard input: a second would find it empty */
    int dashes = 0;
    for (int i = 0; i < count; i++)
        dashes += strcmp(paths[i], "-") == 0;
    if (dashes < 2)
        return 0;
    print_error("'-' given twice: standard input is read once");
    return EXIT_USAGE;
}

/* How a diagnostic names standard input, as a compiler names it. */
#define STANDARD_INPUT_NAME "<stdin>"

int load_scenario(const char *path, int strict, fmc_scenario **out)
{
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_status status;
    if (path && strcmp(path, "-") == 0) {
        char *text;
        size_t length;
        if ((status = read_standard_input(&text, &length))) {
            if (status == FMC_EIO)
                print_error("cannot read the scenario from standard input: %s", strerror(errno));
            else
                print_local_error("out of memory while reading standard input");
            return status == FMC_ENOMEM ? EXIT_RUN_FAILED : EXIT_USAGE;
        }
        status = fmc_scenario_load_text(text, length, STANDARD_INPUT_NAME, out, &diags);
        free(text);
    } else if (path) {
        status = fmc_scenario_load_file(path, out, &diags);
    } else {
        status = fmc_scenario_load_text(fmc_worked_example_text(),
                                        strlen(fmc_worked_example_text()),
                                        FMC_WORKED_EXAMPLE_NAME, out, &diags);
    }
    /* Every process reads the same file and finds the same errors, which
     * rank 0 alone reports; one that fails where rank 0 did not (the file
     * missing on its node) reports its own. */
    int leader_failed = status != FMC_OK;
    fmc_team_broadcast(cli_world, &leader_failed, sizeof leader_failed);
    if (!cli_is_leader() && status != FMC_OK && status != FMC_ENOMEM && !leader_failed)
        print_local_error("'%s' cannot be read as rank 0 read it:", path ? path : "-");
    if (cli_is_leader() || (status != FMC_OK && !leader_failed))
        fmc_diagnostics_print(&diags, stderr);
    fmc_diagnostics_clear(&diags);
    if (status == FMC_ENOMEM)
        print_local_error("out of memory while reading '%s'", path ? path : FMC_WORKED_EXAMPLE_NAME);
    if (status == FMC_OK && cli_is_leader())
        fmc_diagnostics_print_as(&(*out)->warnings, strict ? "error" : "warning", stderr);
    if (status == FMC_OK && strict && (*out)->warnings.count)
        status = FMC_ESCENARIO;
    /* one that failed alone must not leave the others running without it */
    status = fmc_team_agree(cli_world, status);
    if (status == FMC_OK)
        return 0;
    fmc_scenario_free(*out);
    *out = NULL;
    return status == FMC_ENOMEM ? EXIT_RUN_FAILED : EXIT_USAGE;
}
