/* funnelmc fit: the laws fitted to a column of numbers, ranked (fit.h),
 * and the best one written as a scenario input. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "funnelmc/fit.h"

static void fit_usage(FILE *stream)
{
    fprintf(stream,
            "usage: funnelmc fit [--column N|NAME] [--kind KIND] [--laws LIST] [--quiet] FILE\n"
            "\n"
            "Fits laws to the numbers of FILE ('-': standard input) by maximum likelihood and\n"
            "ranks them by AIC (smallest first), each with its parameters and their standard\n"
            "errors, its log-likelihood, the Kolmogorov-Smirnov distance and p-value and the\n"
            "Anderson-Darling statistic; then the best law written as a scenario input, to\n"
            "paste.  FILE holds one number a line; blank lines and '#' comments are skipped.\n"
            "The first other line is a header when its field is not a number: it is skipped\n"
            "(so a CSV file with a header line can be read as it is).\n"
            "\n"
            "  -c, --column N|NAME  read field N (from 1) of each line, or the field under\n"
            "                       NAME in the header; fields are separated by commas, or\n"
            "                       by blanks in a line with no comma\n"
            "  -k, --kind KIND      what the values are, which decides the laws tried:\n"
            "                       rate (in [0, 1]: beta, uniform, triangular), positive\n"
            "                       (>= 0: lognormal, gamma, normal truncated at 0, uniform,\n"
            "                       triangular), real (normal, uniform, triangular) or\n"
            "                       growth (>= -1: real's laws, the normal truncated at -1);\n"
            "                       by default the narrowest of rate, positive, real\n"
            "  -l, --laws LIST      the laws to try, comma-separated, among uniform,\n"
            "                       triangular, normal, lognormal, beta, gamma\n"
            "  -q, --quiet          print the best law's scenario input alone\n"
            "  -h, --help           show this help\n"
            "\n"
            "Options come before FILE.  At least %d values are needed.  Exit status: 0 success, 2 bad usage or data\n"
            "(a value that is not a number is named by FILE:LINE).\n",
            FMC_FIT_MIN_VALUES);
}

/* The numbers read, each with the line it came from. */
typedef struct column {
    const char *source;  /* FILE, or "<stdin>" */
    double *values;
    size_t *lines;
    size_t count, capacity;
    char *header;        /* the header's field for the column, or NULL */
} column;

static void column_clear(column *c)
{
    free(c->values);
    free(c->lines);
    free(c->header);
}

static int column_add(column *c, double value, size_t line)
{
    if (c->count == c->capacity) {
        size_t capacity = c->capacity ? 2 * c->capacity : 256;
        double *values = realloc(c->values, capacity * sizeof *values);
        if (values)
            c->values = values;
        size_t *lines = realloc(c->lines, capacity * sizeof *lines);
        if (lines)
            c->lines = lines;
        if (!values || !lines)
            return 0;
        c->capacity = capacity;
    }
    c->values[c->count] = value;
    c->lines[c->count++] = line;
    return 1;
}

/* TEXT without leading and trailing blanks, nor one pair of double quotes
 * around it (changed in place). */
static char *trim(char *text)
{
    text += strspn(text, " \t\r\n");
    size_t length = strlen(text);
    while (length && strchr(" \t\r\n", text[length - 1]))
        text[--length] = '\0';
    if (length >= 2 && text[0] == '"' && text[length - 1] == '"') {
        text[length - 1] = '\0';
        text++;
    }
    return text;
}

/* The next field of *CURSOR (separated by commas when COMMAS, else by
 * blanks), trimmed and ended with a NUL; NULL after the last. */
static char *next_field(char **cursor, int commas)
{
    const char *separators = commas ? "," : " \t\r\n";
    char *s = *cursor;
    if (s && !commas)
        s += strspn(s, separators);
    if (!s || (!commas && !*s))
        return *cursor = NULL;
    char *end = s + strcspn(s, separators);
    *cursor = *end ? end + 1 : NULL;
    *end = '\0';
    return trim(s);
}

/* Field INDEX (from 1) of LINE, or NULL when it has fewer (*FIELDS of
 * them); INDEX 0: the whole line. */
static char *field_of(char *line, long index, long *fields)
{
    int commas = strchr(line, ',') != NULL;
    char *cursor = line, *field = NULL;
    if (index == 0)
        return trim(line);
    for (*fields = 0; *fields < index && (field = next_field(&cursor, commas)); ++*fields)
        ;
    return *fields == index ? field : NULL;
}

static int parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(text, &end);
    return *text && end != text && !*end && errno != ERANGE;
}

/* The index (from 1) of the field named NAME in HEADER, or 0. */
static long field_named(char *header, const char *name)
{
    int commas = strchr(header, ',') != NULL;
    char *cursor = header, *field;
    for (long index = 1; (field = next_field(&cursor, commas)); index++)
        if (strcmp(field, name) == 0)
            return index;
    return 0;
}

/* The first line that is not blank nor a comment, numbered NUMBER: the
 * header when the column's field is not a number (and with NAME, where
 * the column is found: *INDEX); else the first value.  0, or the exit
 * status after a message. */
static int read_first_line(char *line, size_t number, long *index, const char *name, column *c)
{
    long fields = 0;
    double value;
    if (name && !(*index = field_named(line, name))) {
        print_error("%s:%zu: no column '%s' in the header line", c->source, number, name);
        return EXIT_USAGE;
    }
    char *field = name ? NULL : field_of(line, *index, &fields);
    if (!name && field && parse_number(field, &value))
        return column_add(c, value, number) ? 0 : EXIT_RUN_FAILED;
    if (!(c->header = strdup(name ? name : field ? field : "")))
        return EXIT_RUN_FAILED;
    return 0;
}

/* Reads the numbers of field INDEX (0: the whole line) or of the field
 * named NAME from IN into *C; 0, or the exit status after a message. */
static int read_column(FILE *in, long index, const char *name, column *c)
{
    char *line = NULL;
    size_t size = 0, number = 0;
    int status = 0, seen_first = 0;
    while (!status && getline(&line, &size, in) != -1) {
        number++;
        line[strcspn(line, "#")] = '\0';
        if (!line[strspn(line, " \t\r\n")])
            continue;
        long fields = 0;
        double value;
        char *field = seen_first ? field_of(line, index, &fields) : NULL;
        if (!seen_first) {
            status = read_first_line(line, number, &index, name, c);
            seen_first = 1;
        } else if (!field) {
            print_error("%s:%zu: no field %ld (the line has %ld)", c->source, number, index,
                        fields);
            status = EXIT_USAGE;
        } else if (!parse_number(field, &value)) {
            print_error("%s:%zu: '%s' is not a number%s", c->source, number, field,
                        index == 0 && strpbrk(field, ", \t") ? " (to read one field of a "
                                                               "table, use --column)" : "");
            status = EXIT_USAGE;
        } else if (!column_add(c, value, number)) {
            status = EXIT_RUN_FAILED;
        }
    }
    if (status == EXIT_RUN_FAILED)
        print_error("out of memory");
    if (!status && ferror(in)) {
        print_error("cannot read '%s': %s", c->source, strerror(errno));
        status = EXIT_USAGE;
    }
    free(line);
    return status;
}

/* The laws of LIST ("beta,uniform") into LAWS (room for every fittable
 * law); their count, or 0 after a message. */
static size_t parse_laws(const char *list, const fmc_dist_type **laws)
{
    char *copy = strdup(list), *cursor = copy, *name;
    size_t count = 0;
    if (!copy) {
        print_error("out of memory");
        return 0;
    }
    while ((name = next_field(&cursor, 1))) {
        const fmc_dist_type *law = fmc_fit_law_find(name);
        int repeated = 0;
        for (size_t k = 0; k < count; k++)
            repeated |= laws[k] == law;
        if (!law || repeated) {
            print_error("option '--laws': '%s' is %s; the laws that can be fitted are uniform, "
                        "triangular, normal, lognormal, beta, gamma", name,
                        law ? "named twice" : "not a law that can be fitted");
            free(copy);
            return 0;
        }
        laws[count++] = law;
    }
    free(copy);
    return count;
}

static int parse_kind(const char *text, fmc_fit_kind *kind)
{
    for (int k = FMC_FIT_RATE; k <= FMC_FIT_GROWTH; k++)
        if (strcmp(text, fmc_fit_kind_name(k)) == 0) {
            *kind = k;
            return 1;
        }
    print_error("option '--kind': expected rate, positive, real or growth, not '%s'", text);
    return 0;
}

/* VALUE with the significant digits its standard error supports and one
 * more: enough to paste, and never "0" for a value that is not 0. */
static void print_pasted(double value, double se)
{
    int digits = 3;
    if (value != 0 && se > 0 && isfinite(se))
        digits = (int)floor(log10(fabs(value))) - (int)floor(log10(se)) + 2;
    printf("%.*g", digits < 2 ? 2 : digits > 12 ? 12 : digits, value);
}

static void print_ranking(const column *c, fmc_fit_kind kind, int kind_given,
                          const fmc_fit_result *fit)
{
    static const char *why_kind[] = {"every value lies in [0, 1]", "every value is >= 0",
                                     "some values are negative"};
    printf("%zu values", c->count);
    if (c->header)
        printf(" of '%s'", c->header);
    printf(" from %s; kind %s (%s)\n\n", c->source, fmc_fit_kind_name(kind),
           kind_given ? "as given" : why_kind[kind]);
    printf("  %-11s %13s %13s %9s %7s %9s %9s  %s\n", "law", "log L", "AIC", "delta AIC",
           "KS D", "KS p", "A^2", "parameters (± standard error)");
    const fmc_fit_candidate *best = &fit->candidates[0];
    for (size_t k = 0; k < fit->count && fit->candidates[k].fitted; k++) {
        const fmc_fit_candidate *f = &fit->candidates[k];
        printf("%zu %-11s %13.2f %13.2f %9.2f %7.4f %9.3g %9.3g  ", k + 1, f->law->name,
               f->log_likelihood, f->aic, f->aic - best->aic, f->ks, f->ks_p,
               f->anderson_darling);
        for (size_t p = 0; p < f->parameter_count; p++) {
            char text[80];
            printf("%s%s = %s", p ? ", " : "", f->parameter_names[p],
                   format_estimate(text, sizeof text, f->parameters[p], f->parameter_se[p]));
        }
        if (f->law == FMC_DIST_NORMAL && kind != FMC_FIT_REAL)
            printf(" (truncated to [%g, %g])", f->dist.min, f->dist.max);
        printf("\n");
    }
    for (size_t k = 0; k < fit->count; k++)
        if (!fit->candidates[k].fitted)
            printf("- %-11s not fitted: %s\n", fit->candidates[k].law->name,
                   fit->candidates[k].reason);
    printf("\nAIC = 2 k - 2 log L, smaller is better; a delta AIC below 2 is no real "
           "difference.\nKS p is conservative: the parameters were fitted to these same "
           "values.\n\nas a scenario input: ");
}

/* The best law as a scenario input: a YAML flow map. */
static void print_scenario_input(const fmc_fit_candidate *best)
{
    printf("{dist: %s", best->law->name);
    for (size_t p = 0; p < best->parameter_count; p++) {
        printf(", %s: ", best->parameter_names[p]);
        print_pasted(best->parameters[p], best->parameter_se[p]);
    }
    if (best->law == FMC_DIST_NORMAL && isfinite(best->dist.min))
        printf(", min: %g", best->dist.min);
    if (best->law == FMC_DIST_NORMAL && isfinite(best->dist.max))
        printf(", max: %g", best->dist.max);
    printf("}\n");
}

static int fit_column(column *c, fmc_fit_kind kind, int kind_given,
                      const fmc_dist_type **laws, size_t law_count, int quiet)
{
    if (!kind_given)
        kind = fmc_fit_kind_of(c->values, c->count);
    fmc_fit_result fit;
    fmc_status status = fmc_fit(c->values, c->count, kind, law_count ? laws : NULL, law_count,
                                &fit);
    if (status == FMC_ENOMEM) {
        print_error("out of memory");
        return EXIT_RUN_FAILED;
    }
    if (status && fit.bad_value != FMC_FIT_NO_VALUE) {
        /* a finite value at fault lies outside the kind's range */
        int outside = isfinite(c->values[fit.bad_value]);
        print_error("%s:%zu: %s%s%s%s", c->source, c->lines[fit.bad_value], fit.problem,
                    outside ? " (--kind " : "", outside ? fmc_fit_kind_name(kind) : "",
                    outside ? ")" : "");
        return EXIT_USAGE;
    }
    if (status) {
        print_error("%s: %s", c->source, fit.problem);
        return EXIT_USAGE;
    }
    if (!quiet)
        print_ranking(c, kind, kind_given, &fit);
    print_scenario_input(&fit.candidates[0]);
    fmc_fit_result_clear(&fit);
    return 0;
}

int cmd_fit(int argc, char **argv)
{
    static const struct option options[] = {
        {"column", required_argument, NULL, 'c'}, {"kind", required_argument, NULL, 'k'},
        {"laws", required_argument, NULL, 'l'},   {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    common_args common = {.command = "fit", .usage = fit_usage};
    const fmc_dist_type *laws[FMC_FIT_LAW_COUNT];
    size_t law_count = 0;
    fmc_fit_kind kind = FMC_FIT_REAL;
    int c, exit_status, kind_given = 0;
    long index = 0;
    const char *name = NULL;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:c:k:l:qh", options, NULL)) != -1) {
        if (c == 'c') {
            char *end;
            errno = 0;
            index = strtol(optarg, &end, 10);
            name = *optarg && !*end && !errno && index >= 1 ? NULL : optarg;
            if (name && (!*name || strspn(name, "0123456789-+ ") == strlen(name))) {
                print_error("option '--column': expected a field number from 1 or a "
                            "header name, not '%s'", optarg);
                return EXIT_USAGE;
            }
            index = name ? 0 : index;
        } else if (c == 'k') {
            if (!parse_kind(optarg, &kind))
                return EXIT_USAGE;
            kind_given = 1;
        } else if (c == 'l') {
            if (!(law_count = parse_laws(optarg, laws)))
                return EXIT_USAGE;
        } else if ((exit_status = parse_common_option(c, argv, &common)) >= 0) {
            return exit_status;
        }
    }
    if (argc - optind != 1) {
        print_error(optind >= argc ? "no data file given" : "one data file at a time");
        if (cli_is_leader())
            fit_usage(stderr);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    int from_stdin = strcmp(path, "-") == 0;
    FILE *in = from_stdin ? stdin : fopen(path, "r");
    if (!in) {
        print_error("cannot open '%s': %s", path, strerror(errno));
        return EXIT_USAGE;
    }
    column data = {.source = from_stdin ? "<stdin>" : path};
    int status = read_column(in, index, name, &data);
    if (!from_stdin)
        fclose(in);
    if (!status)
        status = fit_column(&data, kind, kind_given, laws, law_count, common.quiet);
    column_clear(&data);
    return status;
}
