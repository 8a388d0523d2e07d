/* Scenario reading and checking.
 *
 * libyaml loads the whole document as a node graph (aliases are references to
 * one node, never copies, so anchors cannot blow memory up); the checker then
 * walks the graph along the fixed shape of the format, never deeper, and
 * reports every problem it meets with the node's line and column and the
 * dotted path of the key, carrying on past each one so that a single pass
 * shows them all. */
#include "funnelmc/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "funnelmc/levers.h"
#include "funnelmc/stats.h"

#define PATH_MAX_LEN 256

typedef struct checker {
    yaml_document_t *doc;
    const char *file;
    int horizon;  /* the scenario has a horizon: section (known before any input is read) */
    fmc_diagnostics *diags;
    size_t errors;
    int out_of_memory;
    /* the inputs: and costs: maps (NULL when absent), for reported_input */
    const yaml_node_t *inputs, *costs;
    fmc_diagnostics *warnings;  /* the scenario's, once it is allocated */
} checker;

/* Appends to LIST the problem FORMAT, ARGS of KEY at NODE (NULL: no
 * place). */
static void add_at(checker *c, fmc_diagnostics *list, const yaml_node_t *node, const char *key,
                   const char *format, va_list args)
{
    /* sized to fit: a refused correlation matrix lists every entry */
    va_list again;
    va_copy(again, args);
    int length = vsnprintf(NULL, 0, format, again);
    va_end(again);
    char *message = length < 0 ? NULL : malloc((size_t)length + 1);
    if (!message) {
        c->out_of_memory = 1;
        return;
    }
    vsnprintf(message, (size_t)length + 1, format, args);
    unsigned line = node ? (unsigned)node->start_mark.line + 1 : 0;
    unsigned column = node ? (unsigned)node->start_mark.column + 1 : 0;
    fmc_diagnostics_add(list, c->file, line, column, key, "%s", message);
    free(message);
}

/* An error: the scenario is invalid. */
static void report(checker *c, const yaml_node_t *node, const char *key, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static void report(checker *c, const yaml_node_t *node, const char *key, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    add_at(c, c->diags, node, key, format, args);
    va_end(args);
    c->errors++;
}

/* A warning: the scenario is valid, but NODE probably does not say what
 * its author meant. */
static void warn(checker *c, const yaml_node_t *node, const char *key, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static void warn(checker *c, const yaml_node_t *node, const char *key, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    add_at(c, c->warnings, node, key, format, args);
    va_end(args);
}

/* Formats a key path into OUT (PATH_MAX_LEN bytes); an absurdly long path is
 * cut and ends in "..." rather than overflowing. */
static void format_path(char *out, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void format_path(char *out, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vsnprintf(out, PATH_MAX_LEN, format, args);
    va_end(args);
    if (n >= PATH_MAX_LEN)
        memcpy(out + PATH_MAX_LEN - 4, "...", 4);
}

static void join_path(char *out, const char *prefix, const char *key)
{
    if (prefix[0])
        format_path(out, "%s.%s", prefix, key);
    else
        format_path(out, "%s", key);
}

static char *copy_string(checker *c, const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (!copy) {
        c->out_of_memory = 1;
        return NULL;
    }
    memcpy(copy, s, n);
    return copy;
}

static yaml_node_t *node_of(checker *c, int index)
{
    return yaml_document_get_node(c->doc, index);
}

static const char *scalar_text(const yaml_node_t *node)
{
    return (const char *)node->data.scalar.value;
}

static const char *node_kind(const yaml_node_t *node)
{
    switch (node->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "an empty node";
    }
}

static int expect_mapping(checker *c, const yaml_node_t *node, const char *path)
{
    if (node->type == YAML_MAPPING_NODE)
        return 1;
    report(c, node, path, "expected a mapping, found %s", node_kind(node));
    return 0;
}

/* Checks that every key of MAP is a plain scalar, appears once, and (when
 * ALLOWED is given) is one of ALLOWED.  Reports the others. */
static void check_keys(checker *c, const yaml_node_t *map, const char *path,
                       const char *const *allowed, const char *what)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *key = node_of(c, p->key);
        if (key->type != YAML_SCALAR_NODE) {
            report(c, key, path, "keys must be plain names, found %s", node_kind(key));
            continue;
        }
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *earlier = node_of(c, q->key);
            if (earlier->type == YAML_SCALAR_NODE &&
                strcmp(scalar_text(earlier), scalar_text(key)) == 0) {
                char at[PATH_MAX_LEN];
                join_path(at, path, scalar_text(key));
                report(c, key, at, "duplicate key (first given on line %u)",
                       (unsigned)earlier->start_mark.line + 1);
                break;
            }
        }
        if (!allowed)
            continue;
        int known = 0;
        for (const char *const *a = allowed; *a; a++)
            known |= strcmp(*a, scalar_text(key)) == 0;
        if (!known) {
            char at[PATH_MAX_LEN], list[400] = "";
            join_path(at, path, scalar_text(key));
            for (const char *const *a = allowed; *a; a++) {
                strncat(list, a == allowed ? "" : ", ", sizeof list - strlen(list) - 1);
                strncat(list, *a, sizeof list - strlen(list) - 1);
            }
            report(c, key, at, "unknown key in %s (known keys: %s)", what, list);
        }
    }
}

/* The key node KEY in MAP (the first, if duplicated), or NULL. */
static yaml_node_t *lookup_key(checker *c, const yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_of(c, p->key);
        if (k->type == YAML_SCALAR_NODE && strcmp(scalar_text(k), key) == 0)
            return k;
    }
    return NULL;
}

/* The value node of KEY in MAP (the first, if duplicated), or NULL. */
static yaml_node_t *lookup(checker *c, const yaml_node_t *map, const char *key)
{
    yaml_node_t *k = lookup_key(c, map, key);
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; k && p < map->data.mapping.pairs.top;
         p++)
        if (node_of(c, p->key) == k)
            return node_of(c, p->value);
    return NULL;
}

static int plain_scalar(checker *c, const yaml_node_t *node, const char *path, const char *what)
{
    if (node->type != YAML_SCALAR_NODE) {
        report(c, node, path, "expected %s, found %s", what, node_kind(node));
        return 0;
    }
    if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        report(c, node, path, "expected %s, found the quoted text \"%s\"", what,
               scalar_text(node));
        return 0;
    }
    return 1;
}

static int read_number(checker *c, const yaml_node_t *node, const char *path, double *out)
{
    if (!plain_scalar(c, node, path, "a number"))
        return 0;
    const char *text = scalar_text(node);
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end != '\0' || isspace((unsigned char)text[0])) {
        report(c, node, path, "expected a number, found '%s'", text);
        return 0;
    }
    if (!isfinite(x) || errno == ERANGE) {
        report(c, node, path, "'%s' is not a finite number (at most about 1.8e308 in size)",
               text);
        return 0;
    }
    *out = x;
    return 1;
}

/* A positive whole number: digits, or a float form such as 1e6 that is an
 * exact integer no larger than 2^53. */
static int read_count(checker *c, const yaml_node_t *node, const char *path, uint64_t *out)
{
    double x;
    if (!read_number(c, node, path, &x))
        return 0;
    if (!(x >= 1 && x <= 0x1p53 && x == floor(x))) {
        report(c, node, path, "expected a positive whole number up to 2^53 (9007199254740992), "
               "found '%s'", scalar_text(node));
        return 0;
    }
    *out = (uint64_t)x;
    return 1;
}

static int read_u64(checker *c, const yaml_node_t *node, const char *path, uint64_t *out)
{
    if (!plain_scalar(c, node, path, "a whole number"))
        return 0;
    const char *text = scalar_text(node);
    int digits = text[0] != '\0';
    for (const char *p = text; *p; p++)
        digits &= isdigit((unsigned char)*p) != 0;
    if (!digits) {
        report(c, node, path, "expected a whole number from 0 to 18446744073709551615, found '%s'",
               text);
        return 0;
    }
    errno = 0;
    unsigned long long v = strtoull(text, NULL, 10);
    if (errno == ERANGE) {
        report(c, node, path, "'%s' does not fit in 64 bits unsigned (at most "
               "18446744073709551615)", text);
        return 0;
    }
    *out = (uint64_t)v;
    return 1;
}

static int read_bool(checker *c, const yaml_node_t *node, const char *path, int *out)
{
    if (!plain_scalar(c, node, path, "true or false"))
        return 0;
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (strcmp(scalar_text(node), yes[i]) == 0 || strcmp(scalar_text(node), no[i]) == 0) {
            *out = strcmp(scalar_text(node), yes[i]) == 0;
            return 1;
        }
    }
    report(c, node, path, "expected true or false, found '%s'", scalar_text(node));
    return 0;
}

static int read_text(checker *c, const yaml_node_t *node, const char *path, char **out)
{
    if (node->type != YAML_SCALAR_NODE) {
        report(c, node, path, "expected text, found %s", node_kind(node));
        return 0;
    }
    free(*out);
    *out = copy_string(c, scalar_text(node));
    return *out != NULL;
}

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int read_name(checker *c, const yaml_node_t *node, const char *path, const char *what)
{
    if (node->type != YAML_SCALAR_NODE || !valid_name(scalar_text(node))) {
        report(c, node, path, "%s must be made of letters, digits, '_' and '-' only, found '%s'",
               what, node->type == YAML_SCALAR_NODE ? scalar_text(node) : node_kind(node));
        return 0;
    }
    return 1;
}

/* A list of numbers into a new array. */
static int read_number_list(checker *c, const yaml_node_t *node, const char *path, double **out,
                            size_t *count)
{
    if (node->type != YAML_SEQUENCE_NODE) {
        report(c, node, path, "expected a list of numbers, found %s", node_kind(node));
        return 0;
    }
    size_t n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
    double *values = malloc((n ? n : 1) * sizeof *values);
    if (!values) {
        c->out_of_memory = 1;
        return 0;
    }
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        char at[PATH_MAX_LEN];
        format_path(at, "%s[%zu]", path, i);
        ok &= read_number(c, node_of(c, node->data.sequence.items.start[i]), at, &values[i]);
    }
    if (!ok) {
        free(values);
        return 0;
    }
    *out = values;
    *count = n;
    return 1;
}

/* ----- distributions ----- */

typedef enum value_rule {
    RULE_NON_NEGATIVE,  /* counts, money, hours: support inside [0, inf) */
    RULE_RATE,          /* support inside [0, 1] */
    RULE_GROWTH,        /* a horizon's follower growth: [-1, inf), -1 losing them all */
    RULE_CHURN          /* a horizon's share of followers lost: [0, 1] */
} value_rule;

/* The values each rule allows (fmc_input.lowest and .highest), how a
 * breach is explained, what a `set` of such an input is called, and what
 * such an input is (for a fitted value out of range). */
static const struct {
    double lo, hi;
    const char *text, *set, *is;
} rules[] = {
    [RULE_NON_NEGATIVE] = {0, INFINITY, "this quantity must not go below 0", "a set",
                           "never negative"},
    [RULE_RATE] = {0, 1, "a rate must lie in [0, 1]", "a set on a rate", "a rate"},
    [RULE_GROWTH] = {-1, INFINITY, "growth must not go below -1 (every follower lost)",
                     "a set on the growth", "a growth (-1 loses every follower)"},
    [RULE_CHURN] = {0, 1, "churn must lie in [0, 1] (a share of the followers)",
                    "a set on the churn", "a share of the followers"},
};

static value_rule rule_of_input(const fmc_scenario *s, size_t index)
{
    if (index < FMC_FUNNEL_INPUT_COUNT)
        return fmc_input_is_rate((fmc_input_id)index) ? RULE_RATE : RULE_NON_NEGATIVE;
    if (s->horizon && index == s->horizon->growth)
        return RULE_GROWTH;
    return s->horizon && index == s->horizon->churn ? RULE_CHURN : RULE_NON_NEGATIVE;
}

static int value_obeys(value_rule rule, double x)
{
    return x >= rules[rule].lo && x <= rules[rule].hi;
}

/* A hint for a rate (or the churn) whose values LO .. HI look like a
 * percentage: "; a rate is a fraction: did you mean 0.25?" for 25; "" when
 * they do not, or for other inputs.  OUT holds 80 bytes. */
static const char *fraction_hint(value_rule rule, double lo, double hi, char *out)
{
    out[0] = '\0';
    if ((rule != RULE_RATE && rule != RULE_CHURN) || !(lo >= 0 && hi >= 1 && hi <= 100))
        return out;
    if (lo == hi && hi == floor(hi))
        snprintf(out, 80, "; a rate is a fraction: did you mean %g?", hi / 100);
    else if (hi > 1)
        snprintf(out, 80, "; a rate is a fraction (25%% is 0.25)");
    return out;
}

/* Reads the value of LAW's parameter PARAM from the distribution map MAP
 * (a list into a new array *LIST, borrowed by VALUE).  Absent: the
 * parameter's fallback, and when it is required a missing-key error.
 * Returns 0 on any problem. */
static int read_param(checker *c, const yaml_node_t *map, const char *path,
                      const fmc_dist_type *law, const fmc_dist_param *param,
                      fmc_dist_value *value, double **list)
{
    char at[PATH_MAX_LEN];
    join_path(at, path, param->key);
    yaml_node_t *node = lookup(c, map, param->key);
    value->number = param->fallback;
    if (!node) {
        if (param->required)
            report(c, map, at, "missing parameter '%s' for dist '%s'", param->key, law->name);
        return !param->required;
    }
    if (!param->list)
        return read_number(c, node, at, &value->number);
    if (!read_number_list(c, node, at, list, &value->length))
        return 0;
    value->list = *list;
    return 1;
}

/* The keys of LAW's parameterisation FORM as "'a' and 'b'" (or "'a', 'b'
 * and 'c'") into OUT. */
static void form_keys_text(const fmc_dist_type *law, int form, char *out, size_t size)
{
    const char *keys[FMC_DIST_MAX_PARAMS];
    size_t n = 0;
    for (size_t i = 0; i < FMC_DIST_MAX_PARAMS && law->params[i].key; i++)
        if (law->params[i].form == form)
            keys[n++] = law->params[i].key;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s'%s'", i == 0 ? "" : i + 1 == n ? " and " : ", ",
                 keys[i]);
    }
}

/* Which parameterisation of LAW the map uses: 0 for a law with only one, 1
 * or 2 for the form whose keys it names, -1 (reported) for neither or both. */
static int pick_form(checker *c, const yaml_node_t *map, const char *path,
                     const fmc_dist_type *law)
{
    int forms = 0, named[3] = {0, 0, 0};
    for (size_t i = 0; i < FMC_DIST_MAX_PARAMS && law->params[i].key; i++) {
        int form = law->params[i].form;
        forms |= form;
        if (form && lookup(c, map, law->params[i].key))
            named[form] = 1;
    }
    if (!forms)
        return 0;
    if (named[1] != named[2])
        return named[1] ? 1 : 2;
    char first[120], second[120];
    form_keys_text(law, 1, first, sizeof first);
    form_keys_text(law, 2, second, sizeof second);
    report(c, map, path, "give either %s, or %s%s", first, second, named[1] ? ", not both" : "");
    return -1;
}

/* Builds the distribution of law LAW described by MAP: reads the keys of
 * the parameterisation it uses (those of the first when it is unclear, so
 * that every missing or malformed one is reported; a list only when all
 * before it were read), and sets it through the law's descriptor.  Reports
 * and returns 0 on error. */
static int build_dist(checker *c, const yaml_node_t *map, const char *path,
                      const fmc_dist_type *law, fmc_dist *dist)
{
    fmc_dist_value values[FMC_DIST_MAX_PARAMS] = {{0, NULL, 0}};
    double *lists[FMC_DIST_MAX_PARAMS] = {NULL};
    int form = pick_form(c, map, path, law);
    int ok = form >= 0, reading = form < 0 ? 1 : form;
    for (size_t i = 0; i < FMC_DIST_MAX_PARAMS && law->params[i].key; i++) {
        const fmc_dist_param *param = &law->params[i];
        if ((param->form == 0 || param->form == reading) && (ok || !param->list))
            ok &= read_param(c, map, path, law, param, &values[i], &lists[i]);
    }
    fmc_dist_problem why = {NULL, ""};
    fmc_status status = ok ? law->set(dist, form, values, &why) : FMC_EINVAL;
    for (size_t i = 0; i < FMC_DIST_MAX_PARAMS; i++)
        free(lists[i]);
    if (!ok)
        return 0;
    if (status == FMC_ENOMEM)
        c->out_of_memory = 1;
    if (status != FMC_OK) {
        char at[PATH_MAX_LEN];
        join_path(at, path, why.param ? why.param : "dist");
        yaml_node_t *where = why.param ? lookup(c, map, why.param) : NULL;
        report(c, where ? where : map, at, "%s", why.message);
        return 0;
    }
    return 1;
}

/* The names of every law, as "constant, uniform, ..." into OUT. */
static void known_laws_text(char *out, size_t size)
{
    out[0] = '\0';
    for (const fmc_dist_type *const *law = fmc_dist_types; *law; law++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", law == fmc_dist_types ? "" : ", ",
                 (*law)->name);
    }
}

/* Reads the distribution map NODE ({dist: LAW, its parameters}, and the
 * keys of the NULL-terminated list EXTRA when not NULL) into *DIST.
 * Reports and returns 0 on error, with *DIST cleared. */
static int read_dist_map(checker *c, const yaml_node_t *node, const char *path,
                         const char *const *extra, fmc_dist *dist)
{
    memset(dist, 0, sizeof *dist);  /* cleared on every failure, so it must hold nothing yet */
    if (!expect_mapping(c, node, path))
        return 0;
    char at[PATH_MAX_LEN];
    join_path(at, path, "dist");
    yaml_node_t *kind_node = lookup(c, node, "dist");
    char known[200];
    known_laws_text(known, sizeof known);
    if (!kind_node) {
        report(c, node, at, "missing 'dist' (one of %s)", known);
        return 0;
    }
    const fmc_dist_type *law =
        kind_node->type == YAML_SCALAR_NODE ? fmc_dist_type_find(scalar_text(kind_node)) : NULL;
    if (!law) {
        report(c, kind_node, at, "unknown distribution '%s' (known: %s)",
               kind_node->type == YAML_SCALAR_NODE ? scalar_text(kind_node) : "?", known);
        return 0;
    }
    /* "dist", the law's keys, EXTRA */
    const char *allowed[FMC_DIST_MAX_PARAMS + 4] = {"dist"};
    size_t n_allowed = 1;
    for (size_t i = 0; i < FMC_DIST_MAX_PARAMS && law->params[i].key; i++)
        allowed[n_allowed++] = law->params[i].key;
    for (size_t i = 0; extra && extra[i]; i++)
        allowed[n_allowed++] = extra[i];
    size_t before = c->errors;
    check_keys(c, node, path, allowed, "this distribution");
    if (!build_dist(c, node, path, law, dist) || c->errors > before) {
        fmc_dist_clear(dist);
        return 0;
    }
    return 1;
}

/* Whether D's values at probabilities 2^-32 in each tail (all the sampler
 * reaches) and its mean lie within FMC_MAX_MAGNITUDE; their values in *LO
 * and *HI. */
static int within_magnitude(const fmc_dist *d, double *lo, double *hi)
{
    *lo = fmc_dist_quantile(d, 0x1p-32);
    *hi = fmc_dist_quantile_upper(d, 0x1p-32);
    return fabs(*lo) <= FMC_MAX_MAGNITUDE && fabs(*hi) <= FMC_MAX_MAGNITUDE &&
           fabs(fmc_dist_mean(d)) <= FMC_MAX_MAGNITUDE;
}

/* ----- rates given as counts ----- */

/* A count of events or trials: a whole number from 0 to 2^53 (digits, or
 * an exact float form such as 1e3). */
static int read_tally(checker *c, const yaml_node_t *node, const char *path, uint64_t *out)
{
    double x;
    if (!read_number(c, node, path, &x))
        return 0;
    if (!(x >= 0 && x <= 0x1p53 && x == floor(x))) {
        report(c, node, path, "a count must be a whole number from 0 to 2^53, found '%s'",
               scalar_text(node));
        return 0;
    }
    *out = (uint64_t)x;
    return 1;
}

/* The value node of the required key KEY of MAP, its path into AT; or NULL,
 * reported as missing with WHAT saying what the key holds. */
static yaml_node_t *require_key(checker *c, const yaml_node_t *map, const char *path,
                                const char *key, const char *what, char *at)
{
    join_path(at, path, key);
    yaml_node_t *node = lookup(c, map, key);
    if (!node)
        report(c, map, at, "missing '%s' (%s)", key, what);
    return node;
}

/* observed: {events: K, of: N} with 0 <= K <= N and N >= 1, into IN. */
static int read_counts(checker *c, const yaml_node_t *map, const char *path, fmc_input *in)
{
    if (!expect_mapping(c, map, path))
        return 0;
    static const char *const keys[] = {"events", "of", NULL};
    size_t before = c->errors;
    check_keys(c, map, path, keys, "observed counts");
    char events_at[PATH_MAX_LEN], of_at[PATH_MAX_LEN];
    yaml_node_t *events = require_key(c, map, path, "events",
                                      "how many times the event was counted", events_at);
    yaml_node_t *of = require_key(c, map, path, "of", "how many trials it was counted among",
                                  of_at);
    int ok = c->errors == before;
    ok &= events && read_tally(c, events, events_at, &in->observed_events);
    ok &= of && read_tally(c, of, of_at, &in->observed_of);
    if (!ok)
        return 0;
    if (in->observed_of == 0) {
        report(c, of, of_at, "of must be >= 1: the events are counted among at least one trial");
        return 0;
    }
    if (in->observed_events > in->observed_of) {
        report(c, events, events_at, "events %llu exceed of %llu: a count cannot exceed the "
               "trials it was counted among", (unsigned long long)in->observed_events,
               (unsigned long long)in->observed_of);
        return 0;
    }
    return 1;
}

/* prior: {alpha: A, beta: B}, both in (0, 2^53], into IN.  A prior is
 * worth alpha + beta trials, so it obeys the limit of a count; beyond,
 * the beta law's quantiles do not even end (a Beta(1, 1e300)). */
static int read_prior(checker *c, const yaml_node_t *map, const char *path, fmc_input *in)
{
    if (!expect_mapping(c, map, path))
        return 0;
    static const char *const keys[] = {"alpha", "beta", NULL};
    size_t before = c->errors;
    check_keys(c, map, path, keys, "a prior");
    double *shapes[] = {&in->prior_alpha, &in->prior_beta};
    for (int k = 0; k < 2; k++) {
        char at[PATH_MAX_LEN];
        yaml_node_t *node = require_key(c, map, path, keys[k],
                                        "a prior gives both shapes of its Beta", at);
        if (node && read_number(c, node, at, shapes[k]) &&
            !(*shapes[k] > 0 && *shapes[k] <= 0x1p53))
            report(c, node, at, "prior %s must be > 0 and at most 2^53 (got %g)", keys[k],
                   *shapes[k]);
    }
    return c->errors == before;
}

/* True when the input map NODE gives counts rather than a distribution: it
 * has 'observed', or a 'prior', which only counts may have. */
static int gives_counts(checker *c, const yaml_node_t *node)
{
    return node->type == YAML_MAPPING_NODE &&
           (lookup(c, node, "observed") != NULL || lookup(c, node, "prior") != NULL);
}

/* A rate given as counts, {observed: {events, of}, prior: {alpha, beta}}
 * and the keys EXTRA of an input's map (read_input), into IN: its distribution is the posterior of the rate after
 * `events` successes in `of` trials, Beta(events + alpha, of - events +
 * beta), since a binomial count updates a Beta(alpha, beta) prior by adding
 * the successes to alpha and the failures to beta (conjugacy).  The prior
 * defaults to Jeffreys' Beta(1/2, 1/2).  Reports and returns 0 on error. */
static int read_observed(checker *c, const yaml_node_t *map, const char *path, const char *name,
                         value_rule rule, const char *const *extra, fmc_input *in)
{
    yaml_node_t *observed = lookup(c, map, "observed"), *prior = lookup(c, map, "prior");
    char observed_at[PATH_MAX_LEN], prior_at[PATH_MAX_LEN];
    join_path(observed_at, path, "observed");
    join_path(prior_at, path, "prior");
    if (!observed) {
        report(c, prior, prior_at, "a prior belongs to 'observed' counts, which are missing "
               "(a distribution given by 'dist' takes no prior)");
        return 0;
    }
    if (lookup(c, map, "dist")) {
        report(c, map, path, "give either 'dist' (a distribution) or 'observed' (counts), not both");
        return 0;
    }
    if (rule != RULE_RATE) {
        report(c, observed, observed_at, "counts give a rate, and '%s' is not one (only "
               "click_rate, optin_rate and purchase_rate may be observed)", name);
        return 0;
    }
    const char *keys[2 + 2 + 1] = {"observed", "prior"};  /* EXTRA has at most 2 */
    for (size_t i = 0; extra[i]; i++)
        keys[2 + i] = extra[i];
    size_t before = c->errors;
    check_keys(c, map, path, keys, "a rate given as counts");
    in->prior_alpha = FMC_DEFAULT_PRIOR_ALPHA;
    in->prior_beta = FMC_DEFAULT_PRIOR_BETA;
    int ok = read_counts(c, observed, observed_at, in);
    ok &= !prior || read_prior(c, prior, prior_at, in);
    if (!ok || c->errors > before)
        return 0;
    double successes = (double)in->observed_events;
    double failures = (double)(in->observed_of - in->observed_events);
    fmc_dist_problem why = {NULL, ""};
    if (fmc_dist_set_beta(&in->dist, successes + in->prior_alpha, failures + in->prior_beta,
                          &why) != FMC_OK) {
        report(c, observed, observed_at, "the posterior is not a valid beta: %s", why.message);
        return 0;
    }
    /* GSL's incomplete beta function does not converge for shapes of
     * millions, and the far lower tail of a shape near 0 underflows: say so
     * here, in terms of the counts, rather than as a value out of range. */
    if (isnan(fmc_dist_quantile(&in->dist, 0x1p-32)) ||
        isnan(fmc_dist_quantile_upper(&in->dist, 0x1p-32))) {
        report(c, observed, observed_at, "the posterior Beta(%.17g, %.17g) is beyond what "
               "funnelmc's beta law computes (shapes of millions, or a prior shape near 0): "
               "give this rate as a distribution instead", in->dist.shape1, in->dist.shape2);
        fmc_dist_clear(&in->dist);
        return 0;
    }
    in->observed = 1;
    return 1;
}

/* `draw: once | each_period` of an input's map NODE into IN (absent: once).
 * Only a horizon has periods to draw in. */
static int read_draw(checker *c, const yaml_node_t *node, const char *path, fmc_input *in)
{
    yaml_node_t *draw = node->type == YAML_MAPPING_NODE ? lookup(c, node, "draw") : NULL;
    if (!draw)
        return 1;
    char at[PATH_MAX_LEN];
    join_path(at, path, "draw");
    if (!c->horizon) {
        report(c, draw, at, "draw needs a horizon: section (a one-period scenario draws every "
               "input once per sample)");
        return 0;
    }
    if (draw->type == YAML_SCALAR_NODE && strcmp(scalar_text(draw), "once") == 0)
        return 1;
    if (draw->type == YAML_SCALAR_NODE && strcmp(scalar_text(draw), "each_period") == 0) {
        in->each_period = 1;
        return 1;
    }
    report(c, draw, at, "draw must be 'once' (one value for the whole horizon) or "
           "'each_period' (a new value every period), found '%s'",
           draw->type == YAML_SCALAR_NODE ? scalar_text(draw) : node_kind(draw));
    return 0;
}

/* ----- inputs fitted to data ----- */

/* The kind of values fit.h fits to an input of RULE. */
static fmc_fit_kind fit_kind(value_rule rule)
{
    return rule == RULE_RATE || rule == RULE_CHURN ? FMC_FIT_RATE
           : rule == RULE_GROWTH                  ? FMC_FIT_GROWTH
                                                  : FMC_FIT_POSITIVE;
}

/* The names of the COUNT laws LAWS as "beta, uniform" into OUT. */
static void law_names_text(const fmc_dist_type *const *laws, size_t count, char *out,
                           size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", i ? ", " : "", laws[i]->name);
    }
}

/* `laws: [names]` at PATH into LAWS (room for every law), their count
 * into *COUNT: each a law fit.h fits, none twice. */
static int read_fit_laws(checker *c, const yaml_node_t *node, const char *path,
                         const fmc_dist_type **laws, size_t *count)
{
    size_t known_count = FMC_FIT_LAW_COUNT;
    char names[200];
    law_names_text(fmc_fit_laws, known_count, names, sizeof names);
    size_t n = node->type == YAML_SEQUENCE_NODE
                   ? (size_t)(node->data.sequence.items.top - node->data.sequence.items.start)
                   : 0;
    if (n == 0 || n > known_count) {
        report(c, node, path, "expected a list of 1 to %zu laws to fit (of %s), found %s",
               known_count, names, node->type == YAML_SEQUENCE_NODE ? "an empty list"
                                                                    : node_kind(node));
        return 0;
    }
    int ok = 1;
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = node_of(c, node->data.sequence.items.start[i]);
        char at[PATH_MAX_LEN];
        format_path(at, "%s[%zu]", path, i);
        const fmc_dist_type *law =
            item->type == YAML_SCALAR_NODE ? fmc_fit_law_find(scalar_text(item)) : NULL;
        int twice = 0;
        for (size_t k = 0; law && k < *count; k++)
            twice |= laws[k] == law;
        if (!law)
            report(c, item, at, "'%s' is not a law funnelmc fits (it fits %s)",
                   item->type == YAML_SCALAR_NODE ? scalar_text(item) : node_kind(item), names);
        else if (twice)
            report(c, item, at, "'%s' is named twice", law->name);
        else
            laws[(*count)++] = law;
        ok &= law && !twice;
    }
    return ok;
}

/* `fit: [values]` at PATH of input NAME into a new array *VALUES of *COUNT:
 * at least FMC_FIT_MIN_VALUES finite numbers, each inside RULE's range,
 * each reported at its own place. */
static int read_fit_values(checker *c, const yaml_node_t *node, const char *path,
                           const char *name, value_rule rule, double **values, size_t *count)
{
    if (!read_number_list(c, node, path, values, count))
        return 0;
    int ok = 1;
    for (size_t i = 0; i < *count; i++) {
        double x = (*values)[i];
        if (value_obeys(rule, x))
            continue;
        char at[PATH_MAX_LEN], hint[80];
        format_path(at, "%s[%zu]", path, i);
        fraction_hint(rule, x, x, hint);
        char range[64];
        if (isinf(rules[rule].hi))
            snprintf(range, sizeof range, "below %g", rules[rule].lo);
        else
            snprintf(range, sizeof range, "outside [%g, %g]", rules[rule].lo, rules[rule].hi);
        report(c, node_of(c, node->data.sequence.items.start[i]), at, "%s is %s: %g is %s%s",
               name, rules[rule].is, x, range, hint[0] ? "; give rates as fractions" : "");
        ok = 0;
    }
    if (ok && *count < FMC_FIT_MIN_VALUES) {
        report(c, node, path, "a fit needs at least %d values, found %zu", FMC_FIT_MIN_VALUES,
               *count);
        ok = 0;
    }
    if (!ok)
        free(*values);
    return ok;
}

/* Why no law could be fitted to VALUES (N of them), when the values show
 * it, into OUT (120 bytes): all alike, or an end of the range that some
 * laws never reach. */
static void no_fit_reason(const double *values, size_t n, value_rule rule, char *out)
{
    int alike = 1, zero = 0, one = 0;
    for (size_t i = 0; i < n; i++) {
        alike &= values[i] == values[0];
        zero |= values[i] == 0;
        one |= values[i] == 1;
    }
    out[0] = '\0';
    if (alike)
        snprintf(out, 120, ": the values are all %g, with no spread to fit (give the input as "
                 "that number)", values[0]);
    else if (zero || (one && rule == RULE_RATE))
        snprintf(out, 120, ": they include %s, which %s never gives (uniform, triangular "
                 "and normal can)", zero ? "0" : "1",
                 zero && rule != RULE_RATE ? "lognormal or gamma" : "beta");
}

/* An input given as data, {fit: [values], laws: [names]} and the keys
 * EXTRA of an input's map (read_input), into IN: the law fit.h ranks first
 * becomes its distribution, the whole ranking its FIT.  Reports and
 * returns 0 on error. */
static int read_fit(checker *c, const yaml_node_t *map, const char *path, const char *name,
                    value_rule rule, const char *const *extra, fmc_input *in)
{
    if (lookup(c, map, "dist") || gives_counts(c, map)) {
        report(c, map, path, "give either 'fit' (values to fit a law to) or %s, not both",
               lookup(c, map, "dist") ? "'dist' (a distribution)" : "'observed' (counts)");
        return 0;
    }
    const char *keys[2 + 2 + 1] = {"fit", "laws"};  /* EXTRA has at most 2 */
    for (size_t i = 0; extra[i]; i++)
        keys[2 + i] = extra[i];
    size_t before = c->errors;
    check_keys(c, map, path, keys, "an input fitted to data");
    char at[PATH_MAX_LEN];
    const fmc_dist_type *laws[32];
    size_t law_count = 0;
    yaml_node_t *laws_node = lookup(c, map, "laws");
    join_path(at, path, "laws");
    int ok = !laws_node || read_fit_laws(c, laws_node, at, laws, &law_count);
    yaml_node_t *data = lookup(c, map, "fit");
    join_path(at, path, "fit");
    double *values = NULL;
    size_t n = 0;
    int read = read_fit_values(c, data, at, name, rule, &values, &n);
    if (!read || !ok || c->errors > before) {
        if (read)
            free(values);
        return 0;
    }
    fmc_fit_result *fit = calloc(1, sizeof *fit);
    fmc_status status = fit ? fmc_fit(values, n, fit_kind(rule), laws_node ? laws : NULL,
                                      law_count, fit)
                            : FMC_ENOMEM;
    if (status == FMC_OK && !(fit->count > 0 && fit->candidates[0].fitted))
        status = FMC_EINVAL;
    if (status == FMC_OK)
        status = fmc_dist_copy(&in->dist, &fit->candidates[0].dist);
    if (status == FMC_EINVAL) {
        char tried[200], why[120];
        const fmc_dist_type *const *named = laws_node ? laws : fmc_fit_default_laws(fit_kind(rule));
        if (!laws_node)
            while (named[law_count])
                law_count++;
        law_names_text(named, law_count, tried, sizeof tried);
        no_fit_reason(values, n, rule, why);
        report(c, data, at, "no law could be fitted to these %zu values (tried %s)%s", n, tried,
               why);
    }
    free(values);
    if (status != FMC_OK) {
        c->out_of_memory |= status == FMC_ENOMEM;
        if (fit)
            fmc_fit_result_clear(fit);
        free(fit);
        return 0;
    }
    in->fit = fit;
    return 1;
}

/* Releases the law of IN (its distribution, and the fit it came from). */
static void drop_law(fmc_input *in)
{
    fmc_dist_clear(&in->dist);
    if (in->fit)
        fmc_fit_result_clear(in->fit);
    free(in->fit);
    in->fit = NULL;
}

/* Reads an input or cost line (a bare number, a distribution map, values to
 * fit a law to, or for a rate counts) into IN. */
static int read_input(checker *c, const yaml_node_t *node, const char *path, const char *name,
                      value_rule rule, fmc_input *in)
{
    /* Keys of the map besides the law's or the counts': `draw` with a
     * horizon, and without one when given, so that it is reported once, by
     * read_draw, rather than also as unknown. */
    static const char *const base_only[] = {"base", NULL}, *const base_draw[] = {"base", "draw", NULL};
    const char *const *extra =
        c->horizon || (node->type == YAML_MAPPING_NODE && lookup(c, node, "draw")) ? base_draw
                                                                                 : base_only;
    const yaml_node_t *bound_node = node;
    const char *bound_key = "";
    if (node->type == YAML_SCALAR_NODE) {
        double value;
        if (!read_number(c, node, path, &value))
            return 0;
        fmc_dist_set_constant(&in->dist, value, NULL);
    } else if (node->type == YAML_MAPPING_NODE && lookup(c, node, "fit")) {
        if (!read_fit(c, node, path, name, rule, extra, in))
            return 0;
    } else if (gives_counts(c, node)) {
        if (!read_observed(c, node, path, name, rule, extra, in))
            return 0;
    } else {
        if (!read_dist_map(c, node, path, extra, &in->dist))
            return 0;
        double lo = in->dist.min, hi = in->dist.max;
        if (!(lo >= rules[rule].lo)) {
            bound_key = lookup(c, node, "min") ? "min" : "dist";
        } else if (!(hi <= rules[rule].hi)) {
            bound_key = lookup(c, node, "max") ? "max" : "dist";
        }
        if (bound_key[0])
            bound_node = lookup(c, node, bound_key);
    }
    double lo = in->dist.min, hi = in->dist.max;
    if (!value_obeys(rule, lo) || !value_obeys(rule, hi)) {
        char at[PATH_MAX_LEN];
        if (bound_key[0])
            join_path(at, path, bound_key);
        else
            format_path(at, "%s", path);
        char hint[80];
        report(c, bound_node, at, "%s, but this %s has support [%g, %g]%s%s", rules[rule].text,
               fmc_dist_kind_name(in->dist.kind), lo, hi,
               isinf(hi) || isinf(lo) ? ": give min and max bounds inside that range" : "",
               fraction_hint(rule, lo, hi, hint));
        drop_law(in);
        return 0;
    }
    /* Beyond FMC_MAX_MAGNITUDE the formula's products, and the sums of
     * squares behind every standard deviation, could overflow to infinity
     * and poison the statistics; the sampler reaches probabilities 2^-32
     * in each tail, so those quantiles are what must stay inside. */
    double far_lo, far_hi;
    if (!within_magnitude(&in->dist, &far_lo, &far_hi)) {
        report(c, node, path, "this %s reaches beyond %g (quantiles %g .. %g at 2^-32 in "
               "each tail): funnelmc's limit on any value, so that no statistic overflows; "
               "give it in larger units", fmc_dist_kind_name(in->dist.kind), FMC_MAX_MAGNITUDE,
               far_lo, far_hi);
        drop_law(in);
        return 0;
    }
    in->base = fmc_dist_mean(&in->dist);
    yaml_node_t *base = node->type == YAML_MAPPING_NODE ? lookup(c, node, "base") : NULL;
    if (base) {
        char at[PATH_MAX_LEN];
        join_path(at, path, "base");
        if (!read_number(c, base, at, &in->base)) {
            drop_law(in);
            return 0;
        }
        if (!(in->base >= lo && in->base <= hi)) {
            report(c, base, at, "base %g lies outside the distribution's support [%g, %g]",
                   in->base, lo, hi);
            drop_law(in);
            return 0;
        }
    }
    if (!read_draw(c, node, path, in)) {
        drop_law(in);
        return 0;
    }
    in->lowest = rules[rule].lo;
    in->highest = rules[rule].hi;
    in->name = copy_string(c, name);
    return in->name != NULL;
}

/* ----- sections ----- */

static void read_inputs(checker *c, const yaml_node_t *map, fmc_scenario *s)
{
    if (!expect_mapping(c, map, "inputs"))
        return;
    static const char *const names[] = {"revenue_per_sale", "cost_of_goods", "followers",
                                        "click_rate",       "optin_rate",    "purchase_rate",
                                        "hourly_rate",      "hours",         NULL};
    check_keys(c, map, "inputs", names, "inputs");
    for (int i = 0; i < FMC_FUNNEL_INPUT_COUNT; i++) {
        char at[PATH_MAX_LEN];
        join_path(at, "inputs", names[i]);
        yaml_node_t *node = lookup(c, map, names[i]);
        if (!node) {
            report(c, map, at, "missing required input '%s'", names[i]);
            continue;
        }
        read_input(c, node, at, names[i], rule_of_input(s, (size_t)i), &s->inputs[i]);
    }
}

static void read_costs(checker *c, const yaml_node_t *map, fmc_scenario *s)
{
    if (!expect_mapping(c, map, "costs"))
        return;
    check_keys(c, map, "costs", NULL, "costs");
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    if (n > FMC_MAX_COST_LINES) {
        report(c, map, "costs", "%zu cost lines given; at most %d are supported", n,
               FMC_MAX_COST_LINES);
        return;
    }
    fmc_input *inputs = realloc(s->inputs, (FMC_FUNNEL_INPUT_COUNT + n) * sizeof *inputs);
    if (!inputs) {
        c->out_of_memory = 1;
        return;
    }
    s->inputs = inputs;
    for (size_t i = 0; i < n; i++) {
        yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
        yaml_node_t *key = node_of(c, p->key);
        if (key->type != YAML_SCALAR_NODE)
            continue;
        char at[PATH_MAX_LEN];
        join_path(at, "costs", scalar_text(key));
        if (!read_name(c, key, at, "a cost line name"))
            continue;
        if (fmc_input_find(scalar_text(key)) >= 0) {
            report(c, key, at, "a cost line cannot share the name of input '%s'",
                   scalar_text(key));
            continue;
        }
        if (c->horizon && (strcmp(scalar_text(key), "growth") == 0 ||
                           strcmp(scalar_text(key), "churn") == 0)) {
            report(c, key, at, "a cost line cannot be named '%s' in a scenario with a horizon: "
                   "that is the name of its followers' %s", scalar_text(key), scalar_text(key));
            continue;
        }
        fmc_input *line = &s->inputs[s->input_count];
        memset(line, 0, sizeof *line);
        if (read_input(c, node_of(c, p->value), at, scalar_text(key), RULE_NON_NEGATIVE, line)) {
            s->input_count++;
            s->cost_line_count++;
        }
    }
}

/* ----- the horizon ----- */

/* Sections of named entries (budgets, levers, sweeps): open_section checks that MAP
 * is a mapping of names and returns how many entries it has (0 when it is
 * not a mapping); read_entries then calls READ with each name and value. */
typedef void (*entry_reader)(checker *c, const yaml_node_t *key, const yaml_node_t *value,
                             fmc_scenario *s);

static size_t open_section(checker *c, const yaml_node_t *map, const char *section)
{
    if (!expect_mapping(c, map, section))
        return 0;
    check_keys(c, map, section, NULL, section);
    return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

static void read_entries(checker *c, const yaml_node_t *map, entry_reader read, fmc_scenario *s)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *key = node_of(c, p->key);
        if (key->type == YAML_SCALAR_NODE)
            read(c, key, node_of(c, p->value), s);
    }
}

/* A whole number from LO to HI (digits, or an exact float form such as
 * 1e2) into *OUT; WHAT names it in the message. */
static int read_whole(checker *c, const yaml_node_t *node, const char *path, const char *what,
                      uint32_t lo, uint32_t hi, uint32_t *out)
{
    double x;
    if (!read_number(c, node, path, &x))
        return 0;
    if (!(x >= lo && x <= hi && x == floor(x))) {
        report(c, node, path, "%s must be a whole number from %u to %u, found '%s'", what,
               (unsigned)lo, (unsigned)hi, scalar_text(node));
        return 0;
    }
    *out = (uint32_t)x;
    return 1;
}

/* The horizon's growth and churn, appended to the inputs from the map
 * FOLLOWERS (NULL when absent).  Each is an input like any other; absent,
 * or unreadable (reported), it is a fixed 0, so that levers and sweeps
 * naming it are still checked. */
static void read_followers(checker *c, const yaml_node_t *followers, fmc_scenario *s)
{
    static const char *const names[] = {"growth", "churn", NULL};
    static const value_rule rule[] = {RULE_GROWTH, RULE_CHURN};
    if (followers && expect_mapping(c, followers, "horizon.followers"))
        check_keys(c, followers, "horizon.followers", names, "the followers of a horizon");
    else
        followers = NULL;
    s->horizon->growth = s->input_count;
    s->horizon->churn = s->input_count + 1;
    for (int k = 0; k < 2; k++) {
        char at[PATH_MAX_LEN];
        join_path(at, "horizon.followers", names[k]);
        yaml_node_t *node = followers ? lookup(c, followers, names[k]) : NULL;
        fmc_input *in = &s->inputs[s->input_count++];
        memset(in, 0, sizeof *in);
        if (node && read_input(c, node, at, names[k], rule[k], in))
            continue;
        memset(in, 0, sizeof *in);
        fmc_dist_set_constant(&in->dist, 0, NULL);
        in->lowest = rules[rule[k]].lo;
        in->highest = rules[rule[k]].hi;
        in->name = copy_string(c, names[k]);
    }
}

/* The plan of a budget at PATH: a number, or a list of 1 to
 * FMC_MAX_PERIODS numbers (one per period), each in [0, FMC_MAX_MAGNITUDE]. */
static int read_plan(checker *c, const yaml_node_t *node, const char *path, fmc_budget *budget)
{
    if (node->type == YAML_SEQUENCE_NODE) {
        if (!read_number_list(c, node, path, &budget->plan, &budget->plan_count))
            return 0;
        if (budget->plan_count == 0 || budget->plan_count > FMC_MAX_PERIODS) {
            report(c, node, path, "a plan lists 1 to %u periods' spend, found %zu",
                   FMC_MAX_PERIODS, budget->plan_count);
            return 0;
        }
    } else {
        if (!(budget->plan = malloc(sizeof *budget->plan))) {
            c->out_of_memory = 1;
            return 0;
        }
        budget->plan_count = 1;
        if (!read_number(c, node, path, budget->plan))
            return 0;
    }
    for (size_t i = 0; i < budget->plan_count; i++) {
        if (budget->plan[i] >= 0 && budget->plan[i] <= FMC_MAX_MAGNITUDE)
            continue;
        char at[PATH_MAX_LEN];
        if (node->type == YAML_SEQUENCE_NODE)
            format_path(at, "%s[%zu]", path, i);
        else
            format_path(at, "%s", path);
        report(c, node->type == YAML_SEQUENCE_NODE ? node_of(c, node->data.sequence.items.start[i])
                                                   : node,
               at, "a plan must lie in [0, %g] (got %g)", FMC_MAX_MAGNITUDE, budget->plan[i]);
        return 0;
    }
    return 1;
}

/* Index of cost line NAME among the inputs, or -1. */
static int find_cost_line(const fmc_scenario *s, const char *name)
{
    for (size_t i = FMC_FUNNEL_INPUT_COUNT; i < FMC_FUNNEL_INPUT_COUNT + s->cost_line_count; i++)
        if (strcmp(s->inputs[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* One budget, {plan, rollover}, at PATH of the cost line KEY. */
static void read_budget(checker *c, const yaml_node_t *key, const yaml_node_t *map,
                        fmc_scenario *s)
{
    char path[PATH_MAX_LEN];
    join_path(path, "horizon.budgets", scalar_text(key));
    fmc_horizon *h = s->horizon;
    int line = find_cost_line(s, scalar_text(key));
    if (line < 0) {
        char names[400] = "";
        for (size_t i = 0; i < s->cost_line_count; i++) {
            strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, s->inputs[FMC_FUNNEL_INPUT_COUNT + i].name,
                    sizeof names - strlen(names) - 1);
        }
        report(c, key, path, "no cost line '%s' (cost lines: %s)", scalar_text(key),
               s->cost_line_count ? names : "none");
        return;
    }
    for (size_t b = 0; b < h->budget_count; b++)
        if (h->budgets[b].line == (size_t)line)
            return;  /* a duplicate key, reported as such */
    if (!expect_mapping(c, map, path))
        return;
    static const char *const keys[] = {"plan", "rollover", NULL};
    check_keys(c, map, path, keys, "a budget");
    char at[PATH_MAX_LEN];
    fmc_budget budget = {(size_t)line, NULL, 0, 0};
    yaml_node_t *plan = require_key(c, map, path, "plan", "the spend planned per period", at);
    int ok = plan && read_plan(c, plan, at, &budget);
    yaml_node_t *rollover = lookup(c, map, "rollover");
    join_path(at, path, "rollover");
    if (rollover)
        ok &= read_bool(c, rollover, at, &budget.rollover);
    if (ok)
        h->budgets[h->budget_count++] = budget;
    else
        free(budget.plan);
}

/* horizon: {periods, discount_rate, followers: {growth, churn}, budgets}.
 * Read after the cost lines (budgets name them, growth and churn follow
 * them) and before levers and sweeps (which may change growth and churn). */
static void read_horizon(checker *c, const yaml_node_t *map, fmc_scenario *s)
{
    fmc_input *inputs = realloc(s->inputs, (s->input_count + 2) * sizeof *inputs);
    if (inputs)
        s->inputs = inputs;
    if (!inputs || !(s->horizon = calloc(1, sizeof *s->horizon))) {
        c->out_of_memory = 1;
        return;
    }
    fmc_horizon *h = s->horizon;
    int mapping = expect_mapping(c, map, "horizon");
    read_followers(c, mapping ? lookup(c, map, "followers") : NULL, s);
    if (!mapping)
        return;
    static const char *const keys[] = {"periods", "discount_rate", "followers", "budgets", NULL};
    check_keys(c, map, "horizon", keys, "a horizon");
    char at[PATH_MAX_LEN];
    yaml_node_t *node = require_key(c, map, "horizon", "periods",
                                    "how many periods to follow, 1 to 600", at);
    if (node)
        read_whole(c, node, at, "periods", 1, FMC_MAX_PERIODS, &h->periods);
    if ((node = lookup(c, map, "discount_rate")) &&
        read_number(c, node, "horizon.discount_rate", &h->discount_rate) &&
        !(h->discount_rate > -1))
        report(c, node, "horizon.discount_rate", "discount_rate must be > -1 (got %g): a rate "
               "of -1 or less makes later money worth nothing or less", h->discount_rate);
    size_t n = (node = lookup(c, map, "budgets")) ? open_section(c, node, "horizon.budgets") : 0;
    if (n == 0)
        return;
    if (!(h->budgets = calloc(n, sizeof *h->budgets))) {
        c->out_of_memory = 1;
        return;
    }
    read_entries(c, node, read_budget, s);
}

/* Index of input NAME among the scenario's inputs and cost lines, or -1. */
static int find_input(const fmc_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->input_count; i++)
        if (s->inputs[i].name && strcmp(s->inputs[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Whether NAME, which no input or cost line of S has, is one the file gives
 * or must give but that could not be read (a funnel input missing or
 * broken, a key of inputs: or costs: that is unknown or broken): its own
 * error is reported already, and a lever or axis naming it adds nothing but
 * a misleading second one. */
static int reported_input(checker *c, const char *name)
{
    const yaml_node_t *maps[] = {c->inputs, c->costs};
    int given = fmc_input_find(name) >= 0;
    for (int k = 0; k < 2; k++)
        given |= maps[k] && maps[k]->type == YAML_MAPPING_NODE && lookup(c, maps[k], name);
    return given && c->errors > 0;
}

/* ----- how inputs are drawn ----- */

/* `sampling: {method, replicates}` (design.h).  lhs and qmc need two
 * replicates at least: their standard errors come from the spread of the
 * replicates' estimates, and one estimate has none. */
static void read_sampling(checker *c, const yaml_node_t *map, fmc_scenario *s)
{
    static const char *const keys[] = {"method", "replicates", NULL};
    if (!expect_mapping(c, map, "sampling"))
        return;
    check_keys(c, map, "sampling", keys, "sampling");
    yaml_node_t *node = lookup(c, map, "method");
    int method = node && node->type == YAML_SCALAR_NODE ? fmc_design_find(scalar_text(node)) : -1;
    if (node && method < 0)
        report(c, node, "sampling.method", "unknown sampling method '%s' (known: %s, %s, %s)",
               node->type == YAML_SCALAR_NODE ? scalar_text(node) : node_kind(node),
               fmc_design_name(FMC_DESIGN_MC), fmc_design_name(FMC_DESIGN_LHS),
               fmc_design_name(FMC_DESIGN_QMC));
    s->sampling = method < 0 ? FMC_DESIGN_MC : (fmc_design_method)method;
    s->replicates = s->sampling == FMC_DESIGN_MC ? 1 : FMC_DEFAULT_DESIGN_REPLICATES;
    if ((node = lookup(c, map, "replicates")) &&
        read_whole(c, node, "sampling.replicates", "replicates", 1, FMC_MAX_DESIGN_REPLICATES,
                   &s->replicates) &&
        s->replicates == 1 && s->sampling != FMC_DESIGN_MC)
        report(c, node, "sampling.replicates", "%s needs at least 2 replicates: its standard "
               "errors come from the spread of independent randomisations, and a single one "
               "gives no honest standard error (the default is %u)",
               fmc_design_name(s->sampling), FMC_DEFAULT_DESIGN_REPLICATES);
}

/* Warns when SAMPLES (of KEY, at NODE) do not fit the design: not a whole
 * number of points per replicate (the run rounds up), or under qmc a
 * number of points that is not a power of two, where Sobol' points are not
 * balanced. */
static void warn_design_samples(checker *c, const fmc_scenario *s, const yaml_node_t *node,
                                const char *key, uint64_t samples)
{
    uint64_t replicates = s->replicates, points = (samples + replicates - 1) / replicates;
    if (samples % replicates)
        warn(c, node, key, "samples %llu is not a multiple of %u replicates: it is rounded up "
             "to %llu (%llu points in each replicate)", (unsigned long long)samples,
             s->replicates, (unsigned long long)(points * replicates),
             (unsigned long long)points);
    if (s->sampling != FMC_DESIGN_QMC || (points & (points - 1)) == 0)
        return;
    uint64_t balanced = 1;
    while (balanced < points)
        balanced *= 2;
    uint64_t better = balanced * replicates;
    char power[32] = "";
    if ((better & (better - 1)) == 0)
        snprintf(power, sizeof power, "2^%d = ", (int)log2((double)better));
    warn(c, node, key, "Sobol' points are balanced at powers of two: samples %llu / %u "
         "replicates = %llu points; %s%llu samples would give %llu",
         (unsigned long long)samples, s->replicates, (unsigned long long)points, power,
         (unsigned long long)better, (unsigned long long)balanced);
}

/* ----- correlations ----- */

/* The names of every input and cost line, as "revenue_per_sale, ..." into
 * OUT; the funnel's eight even when one could not be read. */
static void input_names_text(const fmc_scenario *s, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < s->input_count; i++) {
        size_t used = strlen(out);
        const char *name =
            i < FMC_FUNNEL_INPUT_COUNT ? fmc_input_name((fmc_input_id)i) : s->inputs[i].name;
        snprintf(out + used, size - used, "%s%s", used ? ", " : "", name);
    }
}

/* The lever's uncertain number NAME ("LEVER.click_rate.add", as
 * fmc_lever_number_name prints it) into *INDEX (input_count + its number,
 * levers.h): 1; else 0, with *LEVER the last lever whose name NAME starts
 * with followed by a dot (-1 for none). */
static int find_lever_number(const fmc_scenario *s, const char *name, long *lever, size_t *index)
{
    size_t base = s->input_count;
    *lever = -1;
    for (size_t l = 0; l < s->lever_count; l++) {
        const fmc_lever *lv = &s->levers[l];
        size_t length = lv->name ? strlen(lv->name) : 0;
        if (length && strncmp(name, lv->name, length) == 0 && name[length] == '.') {
            *lever = (long)l;
            for (size_t q = 0; q < lv->quantity_count; q++) {
                char text[PATH_MAX_LEN];
                fmc_lever_number_name(s, lv, q, text, sizeof text);
                if (strcmp(text, name) == 0) {
                    *index = base + q;
                    return 1;
                }
            }
        }
        base += lv->quantity_count;
    }
    return 0;
}

/* Whether REST ("click_rate.add", "cost.hours", ...) names one of LEVER's
 * numbers that is not uncertain (a number, or a cost left out). */
static int names_plain_number(const fmc_scenario *s, const fmc_lever *lever, const char *rest)
{
    char text[PATH_MAX_LEN];
    for (size_t k = 0; k < lever->change_count; k++) {
        const fmc_change *change = &lever->changes[k];
        const char *input = s->inputs[change->input].name;
        fmc_effect_kind kind = fmc_effect_of_input(change->input);
        snprintf(text, sizeof text, "%s.%s", input, fmc_change_op_name(change->op));
        if (!change->uncertain_amount && strcmp(text, rest) == 0)
            return 1;
        snprintf(text, sizeof text, "%s.%s", input, kind ? fmc_effect_name(kind) : "");
        if (kind && !change->uncertain_effect && strcmp(text, rest) == 0)
            return 1;
    }
    static const char *const costs[] = {"cost.hours", "cost.money", "one_off_cost.hours",
                                        "one_off_cost.money"};
    const fmc_quantity *uncertain[] = {lever->uncertain_hours, lever->uncertain_money,
                                       lever->uncertain_once_hours, lever->uncertain_once_money};
    for (size_t k = 0; k < sizeof costs / sizeof *costs; k++)
        if (!uncertain[k] && strcmp(costs[k], rest) == 0)
            return 1;
    return 0;
}

/* The error of NAME, which names neither an input nor a lever's uncertain
 * number, at NODE (AT). */
static void report_unknown_correlated(checker *c, const fmc_scenario *s, const yaml_node_t *node,
                                      const char *at, const char *name)
{
    long l = -1;
    size_t index;
    find_lever_number(s, name, &l, &index);
    if (l < 0) {
        char known[1200];
        input_names_text(s, known, sizeof known);
        if (!reported_input(c, name))
            report(c, node, at, "no input or cost line '%s' (known: %s; a lever's uncertain "
                   "number is named LEVER.INPUT.OP, LEVER.INPUT.EFFECT or LEVER.cost.hours, "
                   "as in better_photos.click_rate.add)", name, known);
        return;
    }
    const fmc_lever *lever = &s->levers[l];
    const char *rest = name + strlen(lever->name) + 1;
    char known[1200] = "";
    for (size_t q = 0; q < lever->quantity_count; q++) {
        size_t used = strlen(known);
        snprintf(known + used, sizeof known - used, "%s", used ? ", " : "");
        used = strlen(known);
        fmc_lever_number_name(s, lever, q, known + used, sizeof known - used);
    }
    if (names_plain_number(s, lever, rest))
        report(c, node, at, "'%s' is not uncertain: only a number given as a distribution has "
               "ranks to correlate (give it a dist, or drop this correlation)", name);
    else
        report(c, node, at, "lever '%s' has no uncertain number '%s' (%s%s)", lever->name, rest,
               known[0] ? "its uncertain numbers: " : "it has no uncertain number",
               known);
}

/* One named quantity of a correlation (item K of ITEM, at PATH) into
 * *INDEX: an input or cost line that has a rank (takes more than one
 * value), or a lever's uncertain number (levers.h numbers them). */
static int read_correlated(checker *c, const fmc_scenario *s, const yaml_node_t *item, int k,
                           const char *path, size_t *index)
{
    yaml_node_t *node = node_of(c, item->data.sequence.items.start[k]);
    char at[PATH_MAX_LEN];
    format_path(at, "%s[%d]", path, k);
    if (node->type != YAML_SCALAR_NODE) {
        report(c, node, at, "expected the name of an input, a cost line or a lever's uncertain "
               "number, found %s", node_kind(node));
        return 0;
    }
    int found = find_input(s, scalar_text(node));
    long lever;
    if (found < 0 && find_lever_number(s, scalar_text(node), &lever, index))
        return 1;
    if (found < 0) {
        report_unknown_correlated(c, s, node, at, scalar_text(node));
        return 0;
    }
    const fmc_input *in = &s->inputs[found];
    if (!(in->dist.min < in->dist.max)) {  /* a constant, or a law of one point */
        report(c, node, at, "'%s' is fixed at %g: a constant has no rank to correlate (give it "
               "a distribution, or drop this correlation)", in->name, in->dist.min);
        return 0;
    }
    *index = (size_t)found;
    return 1;
}

/* Item I of the list `correlations`, [name, name, rank], into *PAIR
 * (first < second); LINES[j] holds the line of the earlier pairs
 * PAIRS[j], j < KEPT, for a pair given twice. */
static int read_correlation(checker *c, const fmc_scenario *s, const yaml_node_t *item,
                            size_t i, const fmc_rank_correlation *pairs, const unsigned *lines,
                            size_t kept, fmc_rank_correlation *pair)
{
    char path[PATH_MAX_LEN];
    format_path(path, "correlations[%zu]", i);
    if (item->type != YAML_SEQUENCE_NODE ||
        item->data.sequence.items.top - item->data.sequence.items.start != 3) {
        report(c, item, path, "a correlation is [input, input, rank correlation], such as "
               "[followers, click_rate, -0.4]; found %s",
               item->type == YAML_SEQUENCE_NODE ? "a list of another length" : node_kind(item));
        return 0;
    }
    size_t a = 0, b = 0;
    double rank = 0;
    char at[PATH_MAX_LEN];
    format_path(at, "%s[2]", path);
    yaml_node_t *rank_node = node_of(c, item->data.sequence.items.start[2]);
    int ok = read_correlated(c, s, item, 0, path, &a);
    ok &= read_correlated(c, s, item, 1, path, &b);
    if (!read_number(c, rank_node, at, &rank)) {
        ok = 0;
    } else if (!(fabs(rank) < 1)) {
        report(c, rank_node, at, "a rank correlation lies strictly between -1 and 1 (got %g): "
               "at +-1 one input would be a function of the other", rank);
        ok = 0;
    }
    if (!ok)
        return 0;
    char x[PATH_MAX_LEN], y[PATH_MAX_LEN];
    fmc_correlated_name(s, a, x, sizeof x);
    fmc_correlated_name(s, b, y, sizeof y);
    if (a == b) {
        report(c, item, path, "'%s' is correlated with itself (its rank correlation with "
               "itself is 1)", x);
        return 0;
    }
    /* a lever's number is drawn once per path */
    int each_a = a < s->input_count && s->inputs[a].each_period;
    int each_b = b < s->input_count && s->inputs[b].each_period;
    if (each_a != each_b) {
        report(c, item, path, "'%s' is drawn each period and '%s' once for the whole horizon: "
               "they are drawn a different number of times, so no correlation can pair their "
               "draws (correlate inputs drawn alike)", each_a ? x : y, each_a ? y : x);
        return 0;
    }
    *pair = (fmc_rank_correlation){a < b ? a : b, a < b ? b : a, rank};
    for (size_t j = 0; j < kept; j++)
        if (pairs[j].first == pair->first && pairs[j].second == pair->second) {
            report(c, item, path, "'%s' and '%s' are already correlated on line %u", x, y,
                   lines[j]);
            return 0;
        }
    return 1;
}

/* Appends "[first, second, rank]" to OUT (SIZE bytes; cut when full). */
static void append_pair(char *out, size_t size, const fmc_scenario *s, size_t first,
                        size_t second, double rank, const char *tail)
{
    char x[PATH_MAX_LEN], y[PATH_MAX_LEN];
    fmc_correlated_name(s, first, x, sizeof x);
    fmc_correlated_name(s, second, y, sizeof y);
    size_t used = strlen(out);
    snprintf(out + used, size - used, "%s[%s, %s, %g]%s", used ? ", " : "", x, y, rank, tail);
}

/* The error of a group whose correlations cannot all hold (PROBLEM, from
 * fmc_copula_alloc), at the key KEY: its members, the entries that
 * concern them with their lines, and the nearest valid correlations in a
 * form to paste. */
static void report_not_positive_definite(checker *c, const yaml_node_t *key,
                                         const fmc_scenario *s, const unsigned *lines,
                                         const fmc_copula_problem *problem)
{
    size_t n = problem->count;
    enum { SIZE = 8192 };
    char *members = malloc(SIZE), *given = malloc(SIZE), *nearest = malloc(SIZE);
    if (!members || !given || !nearest) {
        c->out_of_memory = 1;
    } else {
        members[0] = given[0] = nearest[0] = '\0';
        for (size_t k = 0; k < n; k++) {
            char name[PATH_MAX_LEN];
            fmc_correlated_name(s, problem->members[k], name, sizeof name);
            size_t used = strlen(members);
            snprintf(members + used, SIZE - used, "%s%s", k == 0 ? "" : k + 1 == n ? " and " : ", ",
                     name);
        }
        for (size_t p = 0; p < s->correlation_count; p++) {
            const fmc_rank_correlation *r = &s->correlations[p];
            int in_group = 0;
            for (size_t k = 0; k < n; k++)
                in_group |= problem->members[k] == r->first;
            char line[32];
            snprintf(line, sizeof line, " (line %u)", lines[p]);
            if (in_group)
                append_pair(given, SIZE, s, r->first, r->second, r->rank, line);
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                if (problem->requested[i * n + j] != 0 || problem->nearest[i * n + j] != 0)
                    append_pair(nearest, SIZE, s, problem->members[i], problem->members[j],
                                problem->nearest[i * n + j], "");
        report(c, key, "correlations", "the correlations of %s cannot all hold at once (their "
               "matrix is not positive definite): %s; the nearest valid correlations are: %s",
               members, given, nearest);
    }
    free(members);
    free(given);
    free(nearest);
}

/* The copulas of the scenario's correlations (scenario.h): of every pair
 * over the inputs and the levers' numbers when a pair names a number, then
 * of the pairs between inputs, which the first has checked already (a
 * principal submatrix of a positive definite matrix is one).  Errors at
 * the key KEY; LINES[p] is the line of pair p. */
static void build_copulas(checker *c, const yaml_node_t *key, fmc_scenario *s,
                          const unsigned *lines)
{
    size_t d = s->input_count, n = s->correlation_count, between = 0;
    fmc_rank_correlation *inputs_only = malloc(n * sizeof *inputs_only);
    if (!inputs_only) {
        c->out_of_memory = 1;
        return;
    }
    for (size_t p = 0; p < n; p++)
        if (s->correlations[p].second < d)  /* first < second */
            inputs_only[between++] = s->correlations[p];
    fmc_copula_problem problem = {0};
    fmc_status status = FMC_OK;
    if (between < n)
        status = fmc_copula_alloc(d + fmc_lever_number_count(s), s->correlations, n,
                                  &s->lever_copula, &problem);
    if (status == FMC_OK && between)
        status = fmc_copula_alloc(d, inputs_only, between, &s->copula, &problem);
    if (status == FMC_EINVAL)
        report_not_positive_definite(c, key, s, lines, &problem);
    else if (status == FMC_ENOMEM)
        c->out_of_memory = 1;
    else if (status)
        report(c, key, "correlations", "the correlation matrix could not be factorised (%s)",
               fmc_strerror(status));
    fmc_copula_problem_clear(&problem);
    free(inputs_only);
}

/* `correlations: [[name, name, rank], ...]` (KEY: its key, LIST: its value),
 * read once every input is known, into the scenario's correlations and
 * copula. */
static void read_correlations(checker *c, const yaml_node_t *key, const yaml_node_t *list,
                              fmc_scenario *s)
{
    if (list->type != YAML_SEQUENCE_NODE) {
        report(c, list, "correlations", "expected a list of [input, input, rank correlation], "
               "found %s", node_kind(list));
        return;
    }
    size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    unsigned *lines = malloc((n ? n : 1) * sizeof *lines);
    s->correlations = malloc((n ? n : 1) * sizeof *s->correlations);
    if (!lines || !s->correlations) {
        free(lines);
        c->out_of_memory = 1;
        return;
    }
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = node_of(c, list->data.sequence.items.start[i]);
        fmc_rank_correlation *pair = &s->correlations[s->correlation_count];
        if (!read_correlation(c, s, item, i, s->correlations, lines, s->correlation_count,
                              pair)) {
            ok = 0;
            continue;
        }
        lines[s->correlation_count++] = (unsigned)item->start_mark.line + 1;
    }
    if (ok && n)
        build_copulas(c, key, s, lines);
    free(lines);
}

const char *fmc_change_op_name(fmc_change_op op)
{
    static const char *const names[] = {"scale", "add", "set"};  /* fmc_change_op's order */
    return (size_t)op < sizeof names / sizeof *names ? names[op] : NULL;
}

fmc_effect_kind fmc_effect_of_input(size_t input)
{
    return input == FMC_FOLLOWERS          ? FMC_EFFECT_QUALITY
           : input == FMC_REVENUE_PER_SALE ? FMC_EFFECT_ELASTICITY
           : input == FMC_HOURS            ? FMC_EFFECT_RESPONSE
                                           : FMC_EFFECT_NONE;
}

const char *fmc_effect_name(fmc_effect_kind kind)
{
    static const char *const names[] = {NULL, "quality", "elasticity", "response"};
    return names[kind];
}

double fmc_effect_neutral(fmc_effect_kind kind)
{
    return kind == FMC_EFFECT_QUALITY ? 1 : 0;
}

fmc_change fmc_change_plain(size_t input, fmc_change_op op, double amount)
{
    return (fmc_change){input, op, amount, fmc_effect_neutral(fmc_effect_of_input(input)), NULL,
                        NULL};
}

/* Reads the one operation of the change map of INPUT, {scale|add|set: X}
 * and at most the effect that INPUT takes; returns the operation's value
 * node (or NULL, reported) and the operation, and in *EFFECT the effect's
 * value node (NULL when there is none). */
static yaml_node_t *read_change_op(checker *c, const yaml_node_t *map, const char *path,
                                   size_t input, fmc_change_op *op, yaml_node_t **effect)
{
    *effect = NULL;
    if (!expect_mapping(c, map, path))
        return NULL;
    size_t before = c->errors;
    /* the keys of a change: the operations', then the effects' */
    const char *keys[FMC_CHANGE_SET + 1 + FMC_EFFECT_RESPONSE + 1];
    size_t key_count = 0;
    for (fmc_change_op o = FMC_CHANGE_SCALE; o <= FMC_CHANGE_SET; o++)
        keys[key_count++] = fmc_change_op_name(o);
    for (fmc_effect_kind e = FMC_EFFECT_QUALITY; e <= FMC_EFFECT_RESPONSE; e++)
        keys[key_count++] = fmc_effect_name(e);
    keys[key_count] = NULL;
    check_keys(c, map, path, keys, "a change");
    static const char *const changed_by[] = {NULL, "followers", "revenue_per_sale", "hours"};
    for (fmc_effect_kind e = FMC_EFFECT_QUALITY; e <= FMC_EFFECT_RESPONSE; e++) {
        yaml_node_t *node = lookup(c, map, fmc_effect_name(e));
        if (node && e != fmc_effect_of_input(input)) {
            char at[PATH_MAX_LEN];
            join_path(at, path, fmc_effect_name(e));
            report(c, node, at, "'%s' belongs to a change of %s only", fmc_effect_name(e),
                   changed_by[e]);
        }
        if (node)
            *effect = node;
    }
    if (c->errors > before)
        return NULL;
    size_t ops = 0;
    yaml_node_t *value = NULL;
    for (fmc_change_op o = FMC_CHANGE_SCALE; o <= FMC_CHANGE_SET; o++) {
        yaml_node_t *node = lookup(c, map, fmc_change_op_name(o));
        if (node) {
            ops++;
            *op = o;
            value = node;
        }
    }
    if (ops != 1) {
        report(c, map, path, "give exactly one of 'scale', 'add' or 'set'");
        return NULL;
    }
    return value;
}

/* The bounds a lever's or a sweep's number must keep.  A distribution is
 * checked on its support where that is finite, and where it is not on the
 * values the sampler reaches (2^-32 in each tail): a lognormal scale is
 * fine while its far tail stays inside. */
typedef struct bounds {
    double lo, hi;
    const char *what;
} bounds;

static bounds amount_bounds(const fmc_scenario *s, size_t input, fmc_change_op op)
{
    if (op == FMC_CHANGE_SCALE)
        return (bounds){0, FMC_MAX_SCALE, "a scale"};
    if (op == FMC_CHANGE_ADD)
        return (bounds){-FMC_MAX_MAGNITUDE, FMC_MAX_MAGNITUDE, "an add"};
    value_rule rule = rule_of_input(s, input);
    return (bounds){rules[rule].lo, fmin(rules[rule].hi, FMC_MAX_MAGNITUDE), rules[rule].set};
}

/* The random stream of the quantity at PATH: FNV-1a of the path, as a
 * purpose with its top bit set, apart from funnelmc's fixed purposes. */
static uint32_t stream_of(const char *path)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h | 0x80000000u;
}

/* Reads NODE, a number or a distribution map: a number into *NUMBER (the
 * caller checks it, with its own messages) and *UNCERTAIN 0; a distribution
 * into Q, whose support must lie within B, and *UNCERTAIN 1.  Reports and
 * returns 0 on error. */
static int read_quantity(checker *c, const yaml_node_t *node, const char *path, bounds b,
                         fmc_quantity *q, double *number, int *uncertain)
{
    *uncertain = node->type == YAML_MAPPING_NODE;
    if (!*uncertain)
        return read_number(c, node, path, number);
    if (!read_dist_map(c, node, path, NULL, &q->dist))
        return 0;
    double far_lo, far_hi;
    int far = within_magnitude(&q->dist, &far_lo, &far_hi);
    double lo = isfinite(q->dist.min) ? q->dist.min : far_lo;
    double hi = isfinite(q->dist.max) ? q->dist.max : far_hi;
    if (!far || !(lo >= b.lo && hi <= b.hi)) {
        report(c, node, path, "%s must lie in [%g, %g], but this %s reaches [%g, %g]", b.what,
               b.lo, b.hi, fmc_dist_kind_name(q->dist.kind), lo, hi);
        fmc_dist_clear(&q->dist);
        return 0;
    }
    q->stream = stream_of(path);
    *number = fmc_dist_mean(&q->dist);
    return 1;
}

/* Reads the effect NODE of CHANGE (a change at PATH): a number into
 * change->effect, or a distribution into *SLOT, which change->uncertain_effect
 * then points to (*TAKEN set to 1).  Reports and returns 0 on error. */
static int read_effect(checker *c, const yaml_node_t *node, const char *path, fmc_change *change,
                       fmc_quantity *slot, int *taken)
{
    fmc_effect_kind kind = fmc_effect_of_input(change->input);
    const char *name = fmc_effect_name(kind);
    char at[PATH_MAX_LEN];
    join_path(at, path, name);
    bounds b = kind == FMC_EFFECT_QUALITY ? (bounds){0, 1, "quality"}
                                          : (bounds){0, FMC_MAX_MAGNITUDE, name};
    if (!read_quantity(c, node, at, b, slot, &change->effect, taken))
        return 0;
    if (*taken) {
        change->uncertain_effect = slot;
        return 1;
    }
    if (!(change->effect >= b.lo && change->effect <= b.hi)) {
        report(c, node, at, kind == FMC_EFFECT_QUALITY ? "%s must lie in [0, 1] (got %g)"
                                                       : "%s must be >= 0 (got %g)",
               name, change->effect);
        return 0;
    }
    return 1;
}

/* Checks one change amount against the rules of the input it changes. */
static int check_amount(checker *c, const fmc_scenario *s, const yaml_node_t *node,
                        const char *path, size_t input, fmc_change_op op, double amount)
{
    if (op == FMC_CHANGE_SCALE && !(amount >= 0 && amount <= FMC_MAX_SCALE)) {
        report(c, node, path, "scale must lie in [0, %g] (got %g)", FMC_MAX_SCALE, amount);
        return 0;
    }
    if (op != FMC_CHANGE_SCALE && !(fabs(amount) <= FMC_MAX_MAGNITUDE)) {
        report(c, node, path, "%s %g reaches beyond %g, funnelmc's limit on any value",
               fmc_change_op_name(op), amount, FMC_MAX_MAGNITUDE);
        return 0;
    }
    value_rule rule = rule_of_input(s, input);
    if (op == FMC_CHANGE_SET && !value_obeys(rule, amount)) {
        char hint[80];
        report(c, node, path, "set %g breaks the input's range: %s%s", amount, rules[rule].text,
               fraction_hint(rule, amount, amount, hint));
        return 0;
    }
    return 1;
}

/* ----- warnings: changes that the input's range cuts off -----
 *
 * A change that takes an input past its range (a rate above 1, followers
 * below 0) is clamped there, sample by sample (levers.c).  Where that
 * happens often, the lever's or the sweep point's result is the limit's,
 * not the amount's: `click_rate: {add: 2}` sets every click rate to 1 and
 * ranks the lever first.  The share of samples clamped follows from the
 * input's CDF F without any sampling:
 *   add a:    P(X + a > hi) + P(X + a < lo) = 1 - F(hi - a) + F(lo - a)
 *   scale k:  1 - F(hi / k) + F(lo / k)       (k > 0; k = 0 gives 0, inside)
 * (F(t) standing for P(X < t) at the lower end, where a change landing on
 * the limit itself is not clamped); an uncertain amount averages this over
 * SHARE_POINTS of its quantiles.  A change over a horizon is taken at its
 * full size, after its ramp. */

#define WARN_SHARE 0.01     /* warn above 1 % of samples clamped */
#define SHARE_POINTS 64

/* The shares of samples of IN that OP by AMOUNT takes below its lowest and
 * above its highest value. */
static void clamped_shares(const fmc_input *in, fmc_change_op op, double amount, double *below,
                           double *above)
{
    *below = *above = 0;
    if (op == FMC_CHANGE_SET) {
        *below = amount < in->lowest;
        *above = amount > in->highest;
        return;
    }
    if (op == FMC_CHANGE_SCALE && amount == 0)
        return;
    double lo = op == FMC_CHANGE_ADD ? in->lowest - amount : in->lowest / amount;
    double hi = op == FMC_CHANGE_ADD ? in->highest - amount : in->highest / amount;
    if (isfinite(lo))
        *below = fmc_dist_cdf(&in->dist, nextafter(lo, -INFINITY));
    if (isfinite(hi))
        *above = 1 - fmc_dist_cdf(&in->dist, hi);
}

/* The same for CHANGE, averaged over its amount when that is uncertain. */
static void change_clamped_shares(const fmc_scenario *s, const fmc_change *change, double *below,
                                  double *above)
{
    const fmc_input *in = &s->inputs[change->input];
    if (!change->uncertain_amount) {
        clamped_shares(in, change->op, change->amount, below, above);
        return;
    }
    *below = *above = 0;
    for (int k = 0; k < SHARE_POINTS; k++) {
        double amount = fmc_dist_quantile(&change->uncertain_amount->dist,
                                          (k + 0.5) / SHARE_POINTS), b, a;
        clamped_shares(in, change->op, amount, &b, &a);
        *below += b / SHARE_POINTS;
        *above += a / SHARE_POINTS;
    }
}

/* "above 1", "below 0" or "outside [0, 1]": where a change with these
 * shares takes IN. */
static void beyond_text(const fmc_input *in, double below, double above, char *out, size_t size)
{
    if (below > 0 && above > 0)
        snprintf(out, size, "outside [%g, %g]", in->lowest, in->highest);
    else if (above > 0)
        snprintf(out, size, "above %g", in->highest);
    else
        snprintf(out, size, "below %g", in->lowest);
}

/* "in every sample" or "in 23.4% of samples (about 234000 of 1000000)",
 * of SAMPLES. */
static int share_text(uint64_t samples, double share, char *out, size_t size)
{
    int every = share >= 1 - 1e-12;
    if (every)
        snprintf(out, size, "in every sample");
    else
        snprintf(out, size, "in %.1f%% of samples (about %.0f of %llu)", 100 * share,
                 share * (double)samples, (unsigned long long)samples);
    return every;
}

/* The hint for an add or set of a rate by a whole number of percent. */
static const char *percent_hint(const fmc_scenario *s, size_t input, fmc_change_op op,
                                double amount, char *out)
{
    out[0] = '\0';
    if (op != FMC_CHANGE_SCALE && amount == floor(amount))
        fraction_hint(rule_of_input(s, input), amount, amount, out);
    return out;
}

/* Warns when CHANGE, of the lever at PATH (its amount at NODE), is clamped
 * in more than WARN_SHARE of the samples. */
static void warn_lever_clamping(checker *c, const fmc_scenario *s, const yaml_node_t *node,
                                const char *path, const fmc_change *change)
{
    double below, above;
    change_clamped_shares(s, change, &below, &above);
    if (!(below + above > WARN_SHARE))
        return;
    const fmc_input *in = &s->inputs[change->input];
    char beyond[64], share[96], hint[80];
    beyond_text(in, below, above, beyond, sizeof beyond);
    int every = share_text(s->samples, below + above, share, sizeof share);
    percent_hint(s, change->input, change->op, change->uncertain_amount ? NAN : change->amount,
                 hint);
    warn(c, node, path, "this change takes '%s' %s %s, where it is clamped to its limit: %sthe "
         "lever's gain comes from the limit, not from its amount%s", in->name, beyond, share,
         every ? "" : "in those samples ", hint);
}

/* Warns when values of AXIS of SWEEP (at NODE, PATH) are clamped in more than
 * WARN_SHARE of the samples: how many, and the worst. */
static void warn_axis_clamping(checker *c, const fmc_scenario *s, const yaml_node_t *node,
                               const char *path, const fmc_sweep *sweep, const fmc_axis *axis)
{
    size_t over = 0, worst = 0;
    double worst_share = 0, worst_below = 0, worst_above = 0;
    for (size_t j = 0; j < axis->value_count; j++) {
        double below, above;
        fmc_change change = fmc_change_plain(axis->input, axis->op, axis->values[j]);
        change_clamped_shares(s, &change, &below, &above);
        over += below + above > WARN_SHARE;
        if (below + above > worst_share) {
            worst = j;
            worst_share = below + above;
            worst_below = below;
            worst_above = above;
        }
    }
    if (over == 0)
        return;
    const fmc_input *in = &s->inputs[axis->input];
    char beyond[64], share[96], hint[80];
    beyond_text(in, worst_below, worst_above, beyond, sizeof beyond);
    share_text(sweep->samples, worst_share, share, sizeof share);
    percent_hint(s, axis->input, axis->op, axis->values[worst], hint);
    warn(c, node, path, "%zu of this axis's %zu values take '%s' past its limits in more than "
         "1%% of samples, where it is clamped: at %g, %s %s; those points show the limit, not "
         "the change%s", over, axis->value_count, in->name, axis->values[worst], beyond, share,
         hint);
}

/* Reads the cost map NODE {hours, money} of LEVER at PATH (WHAT names it)
 * into *HOURS and *MONEY, or, when uncertain, into the lever's next
 * quantities, which *UNCERTAIN_HOURS and *UNCERTAIN_MONEY then point to. */
static void read_lever_cost(checker *c, const yaml_node_t *node, const char *path,
                            const char *what, fmc_lever *lever, double *hours, double *money,
                            const fmc_quantity **uncertain_hours,
                            const fmc_quantity **uncertain_money)
{
    static const char *const keys[] = {"hours", "money", NULL};
    if (!expect_mapping(c, node, path))
        return;
    check_keys(c, node, path, keys, what);
    double *fields[] = {hours, money};
    const fmc_quantity **uncertain[] = {uncertain_hours, uncertain_money};
    for (int f = 0; f < 2; f++) {
        char at[PATH_MAX_LEN];
        join_path(at, path, keys[f]);
        yaml_node_t *value = lookup(c, node, keys[f]);
        fmc_quantity *q = &lever->quantities[lever->quantity_count];
        int taken;
        if (!value || !read_quantity(c, value, at, (bounds){0, FMC_MAX_MAGNITUDE, what}, q,
                                     fields[f], &taken))
            continue;
        if (taken) {
            *uncertain[f] = q;
            lever->quantity_count++;
        } else if (*fields[f] < 0) {
            report(c, value, at, "%s must be >= 0 (got %g)", what, *fields[f]);
        }
    }
}

/* The keys of a lever that only a horizon gives a meaning to. */
static int is_horizon_key(const char *key)
{
    return strcmp(key, "start") == 0 || strcmp(key, "ramp") == 0 ||
           strcmp(key, "one_off_cost") == 0;
}

static void read_lever(checker *c, const yaml_node_t *key, const yaml_node_t *map,
                       fmc_scenario *s)
{
    char path[PATH_MAX_LEN];
    join_path(path, "levers", scalar_text(key));
    if (!read_name(c, key, path, "a lever name") || !expect_mapping(c, map, path))
        return;
    size_t before = c->errors;
    check_keys(c, map, path, NULL, "a lever");
    fmc_lever *lever = &s->levers[s->lever_count];
    memset(lever, 0, sizeof *lever);
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    lever->changes = calloc(n ? n : 1, sizeof *lever->changes);
    /* at most two per key: a change's amount and effect, or a cost's hours
     * and money */
    lever->quantities = calloc(n ? 2 * n : 1, sizeof *lever->quantities);
    lever->name = copy_string(c, scalar_text(key));
    lever->start = 1;
    lever->ramp = 1;
    if (!lever->changes || !lever->quantities || !lever->name) {
        free(lever->changes);
        free(lever->quantities);
        free(lever->name);
        c->out_of_memory = 1;
        return;
    }
    s->lever_count++;
    size_t unread = 0;  /* changes of inputs whose own errors are reported */
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *k = node_of(c, map->data.mapping.pairs.start[i].key);
        yaml_node_t *v = node_of(c, map->data.mapping.pairs.start[i].value);
        if (k->type != YAML_SCALAR_NODE)
            continue;
        char at[PATH_MAX_LEN];
        join_path(at, path, scalar_text(k));
        if (strcmp(scalar_text(k), "cost") == 0) {
            read_lever_cost(c, v, at, "a lever's cost", lever, &lever->cost_hours,
                            &lever->cost_money, &lever->uncertain_hours, &lever->uncertain_money);
            continue;
        }
        if (is_horizon_key(scalar_text(k)) && !c->horizon) {
            report(c, k, at, "%s needs a horizon: section%s", scalar_text(k),
                   strcmp(scalar_text(k), "one_off_cost") == 0
                       ? " (a one-period scenario pays a lever's cost once: give it under 'cost')"
                       : " (a one-period scenario has period 1 only)");
            continue;
        }
        if (strcmp(scalar_text(k), "one_off_cost") == 0) {
            read_lever_cost(c, v, at, "a lever's one-off cost", lever, &lever->once_hours,
                            &lever->once_money, &lever->uncertain_once_hours,
                            &lever->uncertain_once_money);
            continue;
        }
        if (strcmp(scalar_text(k), "start") == 0) {
            uint32_t periods = s->horizon ? s->horizon->periods : 0;
            if (read_whole(c, v, at, "start", 1, FMC_MAX_PERIODS, &lever->start) && periods &&
                lever->start > periods)
                report(c, v, at, "start %u lies beyond the horizon's %u periods",
                       (unsigned)lever->start, (unsigned)periods);
            continue;
        }
        if (strcmp(scalar_text(k), "ramp") == 0) {
            read_whole(c, v, at, "ramp", 1, FMC_MAX_PERIODS, &lever->ramp);
            continue;
        }
        int input = find_input(s, scalar_text(k));
        if (input < 0) {
            if (reported_input(c, scalar_text(k)))
                unread++;
            else
                report(c, k, at, "lever changes '%s', which is neither an input nor a cost line",
                       scalar_text(k));
            continue;
        }
        fmc_change change = fmc_change_plain((size_t)input, FMC_CHANGE_SCALE, 0);
        yaml_node_t *effect_node;
        yaml_node_t *amount_node = read_change_op(c, v, at, change.input, &change.op, &effect_node);
        if (!amount_node)
            continue;
        char op_path[PATH_MAX_LEN];
        join_path(op_path, at, fmc_change_op_name(change.op));
        fmc_quantity *q = &lever->quantities[lever->quantity_count];
        int taken;
        if (!read_quantity(c, amount_node, op_path, amount_bounds(s, change.input, change.op), q,
                           &change.amount, &taken))
            continue;
        if (taken) {
            change.uncertain_amount = q;
            lever->quantity_count++;
        } else if (!check_amount(c, s, amount_node, op_path, change.input, change.op, change.amount)) {
            continue;
        }
        if (effect_node) {
            if (!read_effect(c, effect_node, at, &change, &lever->quantities[lever->quantity_count],
                             &taken))
                continue;
            lever->quantity_count += (size_t)taken;
        }
        warn_lever_clamping(c, s, amount_node, op_path, &change);
        lever->changes[lever->change_count++] = change;
    }
    if (lever->change_count == 0 && c->errors == before && unread == 0)
        report(c, map, path, "a lever must change at least one input");
}

static void read_levers(checker *c, const yaml_node_t *map, fmc_scenario *s)
{
    size_t n = open_section(c, map, "levers");
    if (n == 0)
        return;
    if (!(s->levers = calloc(n, sizeof *s->levers))) {
        c->out_of_memory = 1;
        return;
    }
    read_entries(c, map, read_lever, s);
}

static void read_tornado(checker *c, const yaml_node_t *map, fmc_scenario *s)
{
    static const char *const keys[] = {"low", "high", NULL};
    if (!expect_mapping(c, map, "tornado"))
        return;
    check_keys(c, map, "tornado", keys, "tornado");
    yaml_node_t *low = lookup(c, map, "low"), *high = lookup(c, map, "high");
    int ok = !low || read_number(c, low, "tornado.low", &s->tornado_low);
    if (high && !read_number(c, high, "tornado.high", &s->tornado_high))
        ok = 0;
    if (ok && !(s->tornado_low > 0 && s->tornado_low < s->tornado_high && s->tornado_high < 100))
        report(c, high ? high : low ? low : map, high ? "tornado.high" : "tornado.low",
               "tornado percentiles need 0 < low < high < 100 (low %g, high %g)",
               s->tornado_low, s->tornado_high);
}

static void read_sensitivity(checker *c, const yaml_node_t *map, fmc_scenario *s)
{
    static const char *const keys[] = {"sobol", "base_samples", "confidence", NULL};
    if (!expect_mapping(c, map, "sensitivity"))
        return;
    check_keys(c, map, "sensitivity", keys, "sensitivity");
    yaml_node_t *node;
    if ((node = lookup(c, map, "sobol")))
        read_bool(c, node, "sensitivity.sobol", &s->sobol);
    if ((node = lookup(c, map, "base_samples")))
        read_count(c, node, "sensitivity.base_samples", &s->base_samples);
    if ((node = lookup(c, map, "confidence")) &&
        read_number(c, node, "sensitivity.confidence", &s->confidence) &&
        !(s->confidence > 0 && s->confidence < 1))
        report(c, node, "sensitivity.confidence", "confidence must lie strictly between 0 and 1 "
                                                  "(got %g)", s->confidence);
}

/* M times 10^BY (BY >= 0) into *OUT, when |M 10^BY| <= BOUND. */
static int times_ten_within(int64_t m, int by, int64_t bound, int64_t *out)
{
    for (; by > 0; by--) {
        if (m > bound / 10 || m < -(bound / 10))
            return 0;
        m *= 10;
    }
    *out = m;
    return m >= -bound && m <= bound;
}

/* A plain decimal TEXT ([+-]digits[.digits][e[+-]digits], as YAML writes
 * it) as the integer *MANTISSA over 10^*SCALE, with |*MANTISSA| <= 2^53 and
 * 0 <= *SCALE <= 22 (both exact in a double); 0 for any other text (hex,
 * say) or when it does not fit. */
static int exact_decimal(const char *text, int64_t *mantissa, int *scale)
{
    const int64_t limit = INT64_C(1) << 53;
    int negative = *text == '-', digits = 0, p = 0, exponent = 0, exponent_sign = 1;
    int64_t m = 0;
    if (*text == '-' || *text == '+')
        text++;
    for (int fraction = 0;; text++) {
        if (*text == '.' && !fraction) {
            fraction = 1;
        } else if (isdigit((unsigned char)*text)) {
            if (m > (limit - 9) / 10)
                return 0;
            m = 10 * m + (*text - '0');
            p += fraction;
            digits++;
        } else {
            break;
        }
    }
    if (!digits)
        return 0;
    if (*text == 'e' || *text == 'E') {
        text++;
        if (*text == '-' || *text == '+')
            exponent_sign = *text++ == '-' ? -1 : 1;
        if (!isdigit((unsigned char)*text))
            return 0;
        for (; isdigit((unsigned char)*text); text++)
            if ((exponent = 10 * exponent + (*text - '0')) > 400)
                return 0;
    }
    if (*text != '\0')
        return 0;
    p -= exponent_sign * exponent;
    for (; p > 0 && m % 10 == 0; p--)  /* 0.50 is 5 / 10 */
        m /= 10;
    if (p < 0 && !times_ten_within(m, -p, limit, &m))  /* 25e2 is 2500 / 1 */
        return 0;
    if (p > 22)
        return 0;
    *mantissa = negative ? -m : m;
    *scale = p < 0 ? 0 : p;
    return 1;
}

void fmc_range_linear(const char *from, const char *to, size_t steps, double *values)
{
    const double limit = 0x1p53;
    double first = strtod(from, NULL), last = strtod(to, NULL);
    int64_t a = 0, b = 0, intervals = (int64_t)steps - 1;
    int pa = 0, pb = 0;
    /* from = A / 10^p and to = B / 10^p exactly, with |A|, |B| <= 2^53 / (S-1)
     * so that every A (S-1-k) + B k is exact in a double too */
    int exact = steps > 1 && exact_decimal(from, &a, &pa) && exact_decimal(to, &b, &pb);
    int p = pa > pb ? pa : pb;
    int64_t bound = (INT64_C(1) << 53) / (intervals > 0 ? intervals : 1);
    exact = exact && times_ten_within(a, p - pa, bound, &a) && times_ten_within(b, p - pb, bound, &b);
    double unit = 1;  /* 10^p, exact for p <= 22 */
    for (int q = 0; q < p; q++)
        unit *= 10;
    for (size_t k = 0; k < steps; k++) {
        double t = steps == 1 ? 0 : (double)k / (double)intervals;
        values[k] = first + (last - first) * t;
        if (!exact)
            continue;
        /* the value is N / ((S-1) 10^p): one correctly rounded division of
         * two exact integers, with S-1 divided out first when it goes into N,
         * so that a decimal value meets only its own 10^p */
        int64_t n = a * (intervals - (int64_t)k) + b * (int64_t)k;
        if (n % intervals == 0)
            values[k] = (double)(n / intervals) / unit;
        else if ((double)intervals * unit < limit)
            values[k] = (double)n / ((double)intervals * unit);
    }
    values[0] = first;  /* both ends exactly, -0 included */
    values[steps - 1] = last;
}

/* Values of an axis: a list, or a range {from, to, steps[, spacing]}. */
static int read_axis_values(checker *c, const yaml_node_t *node, const char *path, fmc_axis *axis)
{
    if (node->type == YAML_SEQUENCE_NODE) {
        if (!read_number_list(c, node, path, &axis->values, &axis->value_count))
            return 0;
        if (axis->value_count == 0) {
            report(c, node, path, "a sweep axis needs at least one value");
            free(axis->values);
            axis->values = NULL;
            return 0;
        }
        return 1;
    }
    if (node->type != YAML_MAPPING_NODE) {
        report(c, node, path, "expected a list of values or a range {from, to, steps}");
        return 0;
    }
    static const char *const keys[] = {"from", "to", "steps", "spacing", NULL};
    size_t before = c->errors;
    check_keys(c, node, path, keys, "a range");
    double from = 0, to = 0;
    uint64_t steps = 0;
    int ok = c->errors == before;
    static const char *const required[] = {"from", "to", "steps"};
    for (int i = 0; i < 3; i++) {
        char at[PATH_MAX_LEN];
        join_path(at, path, required[i]);
        yaml_node_t *v = lookup(c, node, required[i]);
        if (!v) {
            report(c, node, at, "a range needs '%s'", required[i]);
            ok = 0;
        } else if (i < 2) {
            ok &= read_number(c, v, at, i == 0 ? &from : &to);
        } else if ((ok &= read_count(c, v, at, &steps)) && steps > FMC_MAX_SWEEP_POINTS) {
            report(c, v, at, "at most %u steps are supported", FMC_MAX_SWEEP_POINTS);
            ok = 0;
        }
    }
    yaml_node_t *spacing = lookup(c, node, "spacing");
    if (spacing) {
        char at[PATH_MAX_LEN];
        join_path(at, path, "spacing");
        if (spacing->type != YAML_SCALAR_NODE ||
            (strcmp(scalar_text(spacing), "linear") != 0 && strcmp(scalar_text(spacing), "log") != 0)) {
            report(c, spacing, at, "spacing must be 'linear' or 'log'");
            ok = 0;
        } else {
            axis->log_spacing = strcmp(scalar_text(spacing), "log") == 0;
            if (axis->log_spacing && !(from > 0 && to > 0)) {
                report(c, spacing, at, "log spacing needs from > 0 and to > 0 (from %g, to %g)",
                       from, to);
                ok = 0;
            }
        }
    }
    if (ok && steps == 1 && from != to) {
        report(c, lookup(c, node, "steps"), path, "a range of 1 step needs from == to");
        ok = 0;
    }
    if (!ok)
        return 0;
    axis->values = malloc(steps * sizeof *axis->values);
    if (!axis->values) {
        c->out_of_memory = 1;
        return 0;
    }
    axis->value_count = (size_t)steps;
    if (!axis->log_spacing) {
        fmc_range_linear(scalar_text(lookup(c, node, "from")), scalar_text(lookup(c, node, "to")),
                         (size_t)steps, axis->values);
        return 1;
    }
    for (uint64_t k = 0; k < steps; k++)
        axis->values[k] = from * pow(to / from, steps == 1 ? 0 : (double)k / (double)(steps - 1));
    axis->values[steps - 1] = to;  /* both ends exactly */
    return 1;
}

/* The effect of every change along AXIS (at PATH), from NODE. */
static int read_axis_effect(checker *c, const yaml_node_t *node, const char *path, fmc_axis *axis)
{
    fmc_change change = fmc_change_plain(axis->input, axis->op, 0);
    fmc_quantity q = {0};
    int taken;
    if (!read_effect(c, node, path, &change, &q, &taken))
        return 0;
    axis->effect = change.effect;
    if (taken && !(axis->uncertain_effect = malloc(sizeof *axis->uncertain_effect))) {
        fmc_dist_clear(&q.dist);
        c->out_of_memory = 1;
        return 0;
    }
    if (taken)
        *axis->uncertain_effect = q;
    return 1;
}

/* Checks one value *COUNT of a `horizon.periods` axis whose values are
 * NODE: a whole number of periods, 1 to FMC_MAX_PERIODS.  A linear range
 * of decimals gives whole numbers exactly (fmc_range_linear), but a log
 * range's values are computed in floating point, so one within rounding
 * error of a whole number is taken as that number. */
static int check_period_count(checker *c, const yaml_node_t *node, const char *path,
                              double *count)
{
    double whole = round(*count);
    if (node->type == YAML_MAPPING_NODE && fabs(*count - whole) <= 1e-9 * whole)
        *count = whole;
    if (*count >= 1 && *count <= FMC_MAX_PERIODS && *count == whole)
        return 1;
    report(c, node, path, "a period count must be a whole number from 1 to %u (got %.17g)",
           FMC_MAX_PERIODS, *count);
    return 0;
}

static void read_sweep(checker *c, const yaml_node_t *key, const yaml_node_t *map,
                       fmc_scenario *s)
{
    char path[PATH_MAX_LEN];
    join_path(path, "sweeps", scalar_text(key));
    if (!read_name(c, key, path, "a sweep name") || !expect_mapping(c, map, path))
        return;
    static const char *const keys[] = {"samples", "axes", NULL};
    check_keys(c, map, path, keys, "a sweep");
    fmc_sweep *sweep = &s->sweeps[s->sweep_count];
    memset(sweep, 0, sizeof *sweep);
    sweep->samples = s->samples;
    sweep->name = copy_string(c, scalar_text(key));
    sweep->axes = calloc(FMC_MAX_SWEEP_AXES, sizeof *sweep->axes);
    if (!sweep->name || !sweep->axes) {
        free(sweep->name);
        free(sweep->axes);
        c->out_of_memory = 1;
        return;
    }
    s->sweep_count++;
    char at[PATH_MAX_LEN];
    yaml_node_t *node = lookup(c, map, "samples");
    join_path(at, path, "samples");
    if (node && read_count(c, node, at, &sweep->samples))
        warn_design_samples(c, s, node, at, sweep->samples);
    join_path(at, path, "axes");
    yaml_node_t *axes = lookup(c, map, "axes");
    if (!axes) {
        report(c, map, at, "a sweep needs 'axes' (1 to %d inputs to vary)", FMC_MAX_SWEEP_AXES);
        return;
    }
    if (!expect_mapping(c, axes, at))
        return;
    check_keys(c, axes, at, NULL, "axes");
    size_t n = (size_t)(axes->data.mapping.pairs.top - axes->data.mapping.pairs.start);
    if (n < 1 || n > FMC_MAX_SWEEP_AXES) {
        report(c, axes, at, "a sweep has 1 to %d axes, found %zu", FMC_MAX_SWEEP_AXES, n);
        return;
    }
    double points = 1;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *k = node_of(c, axes->data.mapping.pairs.start[i].key);
        yaml_node_t *v = node_of(c, axes->data.mapping.pairs.start[i].value);
        if (k->type != YAML_SCALAR_NODE)
            continue;
        char axis_path[PATH_MAX_LEN];
        join_path(axis_path, at, scalar_text(k));
        int periods = strcmp(scalar_text(k), "horizon.periods") == 0;
        if (periods && !c->horizon) {
            report(c, k, axis_path, "sweeping horizon.periods needs a horizon: section");
            continue;
        }
        int input = periods ? 0 : find_input(s, scalar_text(k));
        if (input < 0) {
            if (!reported_input(c, scalar_text(k)))
                report(c, k, axis_path, "sweep axis varies '%s', which is neither an input nor "
                                        "a cost line", scalar_text(k));
            continue;
        }
        fmc_axis *axis = &sweep->axes[sweep->axis_count];
        axis->input = periods ? FMC_AXIS_PERIODS : (size_t)input;
        axis->effect = fmc_effect_neutral(fmc_effect_of_input(axis->input));
        yaml_node_t *effect_node;
        yaml_node_t *values = read_change_op(c, v, axis_path, axis->input, &axis->op, &effect_node);
        if (!values)
            continue;
        if (periods && axis->op != FMC_CHANGE_SET) {
            report(c, v, axis_path, "the horizon's length is only ever set: give 'set' with a "
                   "list or a range of period counts");
            continue;
        }
        char op_path[PATH_MAX_LEN];
        join_path(op_path, axis_path, fmc_change_op_name(axis->op));
        if (!read_axis_values(c, values, op_path, axis))
            continue;
        if (effect_node && !read_axis_effect(c, effect_node, axis_path, axis)) {
            free(axis->values);
            axis->values = NULL;
            continue;
        }
        int ok = 1;
        for (size_t j = 0; j < axis->value_count && ok; j++)
            ok = periods ? check_period_count(c, values, op_path, &axis->values[j])
                         : check_amount(c, s, values, op_path, axis->input, axis->op,
                                        axis->values[j]);
        points *= (double)axis->value_count;
        sweep->axis_count++;
        if (!ok)
            return;
        if (!periods)
            warn_axis_clamping(c, s, values, op_path, sweep, axis);
    }
    if (points > FMC_MAX_SWEEP_POINTS)
        report(c, axes, at, "the grid has %.0f points; at most %u are supported", points,
               FMC_MAX_SWEEP_POINTS);
}

static void read_sweeps(checker *c, const yaml_node_t *map, fmc_scenario *s)
{
    size_t n = open_section(c, map, "sweeps");
    if (n == 0)
        return;
    if (!(s->sweeps = calloc(n, sizeof *s->sweeps))) {
        c->out_of_memory = 1;
        return;
    }
    read_entries(c, map, read_sweep, s);
}

/* precision: {mean, sobol, max_samples, max_base_samples} */
static void read_precision(checker *c, const yaml_node_t *map, fmc_scenario *s)
{
    static const char *const keys[] = {"mean", "sobol", "max_samples", "max_base_samples", NULL};
    if (!expect_mapping(c, map, "precision"))
        return;
    check_keys(c, map, "precision", keys, "precision");
    double *targets[] = {&s->precision_mean, &s->precision_sobol};
    for (int k = 0; k < 2; k++) {
        char at[PATH_MAX_LEN];
        join_path(at, "precision", keys[k]);
        yaml_node_t *node = lookup(c, map, keys[k]);
        if (node && read_number(c, node, at, targets[k]) && !(*targets[k] > 0))
            report(c, node, at, "a precision target must be > 0 (got %g)", *targets[k]);
    }
    uint64_t *limits[] = {&s->max_samples, &s->max_base_samples};
    for (int k = 0; k < 2; k++) {
        char at[PATH_MAX_LEN];
        join_path(at, "precision", keys[2 + k]);
        yaml_node_t *node = lookup(c, map, keys[2 + k]);
        if (node)
            read_count(c, node, at, limits[k]);
    }
    if (!lookup(c, map, "mean") && !lookup(c, map, "sobol"))
        report(c, map, "precision", "give a target: 'mean' (of profit) or 'sobol' (of every index)");
}

/* `budget: {hours, money}`, read once the levers are known: the search
 * tries every subset of them, so it takes at most FMC_MAX_BUDGET_LEVERS. */
static void read_lever_budget(checker *c, const yaml_node_t *map, fmc_scenario *s)
{
    static const char *const keys[] = {"hours", "money", NULL};
    if (!expect_mapping(c, map, "budget"))
        return;
    check_keys(c, map, "budget", keys, "budget");
    s->budget.given = 1;
    double *limits[] = {&s->budget.hours, &s->budget.money};
    for (int k = 0; k < 2; k++) {
        char at[PATH_MAX_LEN];
        join_path(at, "budget", keys[k]);
        yaml_node_t *node = lookup(c, map, keys[k]);
        *limits[k] = INFINITY;
        if (node && read_number(c, node, at, limits[k]) && !(*limits[k] >= 0))
            report(c, node, at, "a budget must be >= 0 (got %g)", *limits[k]);
    }
    if (s->lever_count > FMC_MAX_BUDGET_LEVERS)
        report(c, map, "budget", "the search for the best set of levers takes at most %d levers "
               "(it tries every subset); the scenario has %zu",
               FMC_MAX_BUDGET_LEVERS, s->lever_count);
}

/* `objective: mean | p_profit | pNN`, NN a reported quantile level up to 50. */
static void read_objective(checker *c, const yaml_node_t *node, fmc_scenario *s)
{
    if (!plain_scalar(c, node, "objective", "an objective"))
        return;
    const char *text = scalar_text(node);
    if (strcmp(text, "mean") == 0) {
        s->budget.objective = FMC_OBJECTIVE_MEAN;
        return;
    }
    if (strcmp(text, "p_profit") == 0) {
        s->budget.objective = FMC_OBJECTIVE_P_PROFIT;
        return;
    }
    for (size_t k = 0; k < FMC_QUANTILE_COUNT && fmc_quantile_levels[k] <= 0.5; k++) {
        char name[8];
        snprintf(name, sizeof name, "p%.0f", 100 * fmc_quantile_levels[k]);
        if (strcmp(text, name) == 0) {
            s->budget.objective = FMC_OBJECTIVE_PERCENTILE;
            s->budget.percentile = k;
            return;
        }
    }
    report(c, node, "objective",
           "unknown objective '%s' (known: mean, p_profit, p1, p5, p10, p25, p50)", text);
}

/* Every uncertain number of the levers and sweeps, up to MOST, into OUT. */
static size_t uncertain_quantities(const fmc_scenario *s, const fmc_quantity **out, size_t most)
{
    size_t n = 0;
    for (size_t l = 0; l < s->lever_count; l++)
        for (size_t q = 0; q < s->levers[l].quantity_count && n < most; q++)
            out[n++] = &s->levers[l].quantities[q];
    for (size_t w = 0; w < s->sweep_count; w++)
        for (size_t a = 0; a < s->sweeps[w].axis_count && n < most; a++)
            if (s->sweeps[w].axes[a].uncertain_effect)
                out[n++] = s->sweeps[w].axes[a].uncertain_effect;
    return n;
}

/* Two uncertain numbers whose paths hash to one stream would draw the same
 * words: so unlikely (2^-31 a pair) that renaming is the remedy. */
static void check_streams(checker *c, const yaml_node_t *root, const fmc_scenario *s)
{
    enum { MOST = 4096 };
    const fmc_quantity *all[MOST];
    size_t n = uncertain_quantities(s, all, MOST);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (all[i]->stream == all[j]->stream) {
                report(c, root, "levers", "two uncertain numbers share random stream %08x: "
                       "rename a lever or a sweep", (unsigned)all[i]->stream);
                return;
            }
}

static void read_document(checker *c, const yaml_node_t *root, fmc_scenario *s)
{
    static const char *const keys[] = {"name",        "description",    "period",  "samples",
                                       "seed",        "inputs",         "costs",   "levers",
                                       "tornado",     "sensitivity",    "precision",
                                       "sweeps",      "combine_levers", "horizon",
                                       "budget",      "objective",      "sampling",
                                       "correlations", NULL};
    if (root->type != YAML_MAPPING_NODE) {
        report(c, root, "", "a scenario must be a YAML mapping of keys, found %s",
               node_kind(root));
        return;
    }
    check_keys(c, root, "", keys, "a scenario");
    yaml_node_t *horizon = lookup(c, root, "horizon"), *node;
    c->horizon = horizon != NULL;
    if (!(node = lookup(c, root, "name")))
        report(c, root, "name", "missing required key 'name'");
    else if (read_name(c, node, "name", "the scenario name"))
        read_text(c, node, "name", &s->name);
    if ((node = lookup(c, root, "description")))
        read_text(c, node, "description", &s->description);
    if ((node = lookup(c, root, "period")))
        read_text(c, node, "period", &s->period);
    if ((node = lookup(c, root, "samples")))
        read_count(c, node, "samples", &s->samples);
    if ((node = lookup(c, root, "seed")))
        read_u64(c, node, "seed", &s->seed);
    if ((node = lookup(c, root, "sampling"))) {
        read_sampling(c, node, s);
        yaml_node_t *samples = lookup(c, root, "samples");
        warn_design_samples(c, s, samples ? samples : node, "samples", s->samples);
    }
    c->inputs = lookup(c, root, "inputs");
    c->costs = lookup(c, root, "costs");
    if (!(node = lookup(c, root, "inputs")))
        report(c, root, "inputs", "missing required key 'inputs' (the eight funnel inputs)");
    else
        read_inputs(c, node, s);
    if ((node = lookup(c, root, "costs")))
        read_costs(c, node, s);
    if (horizon)
        read_horizon(c, horizon, s);
    /* Levers and sweeps name inputs: only once every input is known. */
    if ((node = lookup(c, root, "levers")))
        read_levers(c, node, s);
    /* Correlations name inputs and the levers' numbers. */
    if ((node = lookup(c, root, "correlations")))
        read_correlations(c, lookup_key(c, root, "correlations"), node, s);
    if ((node = lookup(c, root, "combine_levers")))
        read_bool(c, node, "combine_levers", &s->combine_levers);
    if ((node = lookup(c, root, "budget")))
        read_lever_budget(c, node, s);
    if ((node = lookup(c, root, "objective"))) {
        if (!s->budget.given)
            report(c, node, "objective", "an objective needs a 'budget' (it says what the best "
                   "set of levers for the budget is best at)");
        else
            read_objective(c, node, s);
    }
    if ((node = lookup(c, root, "tornado")))
        read_tornado(c, node, s);
    if ((node = lookup(c, root, "sensitivity")))
        read_sensitivity(c, node, s);
    if ((node = lookup(c, root, "precision")))
        read_precision(c, node, s);
    if ((node = lookup(c, root, "sweeps")))
        read_sweeps(c, node, s);
    check_streams(c, root, s);
}

static fmc_scenario *scenario_alloc(checker *c, const char *text, size_t length,
                                    const char *display_name)
{
    fmc_scenario *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->inputs = calloc(FMC_FUNNEL_INPUT_COUNT, sizeof *s->inputs);
    s->input_count = FMC_FUNNEL_INPUT_COUNT;
    s->file = copy_string(c, display_name);
    s->text = malloc(length + 1);
    s->description = copy_string(c, "");
    s->period = copy_string(c, "month");
    if (!s->inputs || !s->file || !s->text || !s->description || !s->period) {
        fmc_scenario_free(s);
        return NULL;
    }
    memcpy(s->text, text, length);
    s->text[length] = '\0';
    s->samples = FMC_DEFAULT_SAMPLES;
    s->seed = FMC_DEFAULT_SEED;
    s->tornado_low = FMC_DEFAULT_TORNADO_LOW;
    s->tornado_high = FMC_DEFAULT_TORNADO_HIGH;
    s->sobol = 1;
    s->base_samples = FMC_DEFAULT_BASE_SAMPLES;
    s->confidence = FMC_DEFAULT_CONFIDENCE;
    s->max_samples = FMC_DEFAULT_MAX_SAMPLES;
    s->max_base_samples = FMC_DEFAULT_MAX_BASE_SAMPLES;
    s->sampling = FMC_DESIGN_MC;
    s->replicates = 1;
    return s;
}

/* A line and a column, both 1-based, columns counted in characters as
 * libyaml's marks count them. */
typedef struct place {
    unsigned line, column;
} place;

/* The place of byte OFFSET of TEXT. */
static place place_of(const char *text, size_t offset)
{
    place at = {1, 1};
    for (size_t i = 0; i < offset; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b == '\n')
            at = (place){at.line + 1, 1};
        else if ((b & 0xC0) != 0x80)  /* not a continuation byte: a new character */
            at.column++;
    }
    return at;
}

/* The character of TEXT (LENGTH bytes) at AT, or '\0' past the end. */
static char char_at(const char *text, size_t length, place at)
{
    size_t i = 0;
    for (unsigned line = 1; line < at.line && i < length; i++)
        line += text[i] == '\n';
    for (unsigned column = 1; i < length && text[i] != '\n'; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80 && column++ == at.column)
            return text[i];
    return '\0';
}

/* The offset of the first byte of TEXT that is not part of a well-formed
 * UTF-8 character (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF), or LENGTH when there is none.  libyaml finds these too,
 * but reports them at 1:1, its reader being ahead of its scanner. */
static size_t first_invalid_utf8(const char *text, size_t length)
{
    const unsigned char *t = (const unsigned char *)text;
    for (size_t i = 0; i < length;) {
        unsigned b = t[i];
        size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3
                 : (b & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || i + n > length)
            return i;
        uint32_t code = n == 1 ? b : b & (0x7Fu >> n);
        for (size_t k = 1; k < n; k++) {
            if ((t[i + k] & 0xC0) != 0x80)
                return i;
            code = code << 6 | (t[i + k] & 0x3Fu);
        }
        static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < least[n] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return i;
        i += n;
    }
    return length;
}

/* Reports the syntax error that stopped PARSER on TEXT.  A tab where YAML
 * wants indentation gets libyaml's generic "cannot start any token": it is
 * named as a tab, the commonest cause of all. */
static void report_syntax(checker *c, const yaml_parser_t *parser, const char *text,
                          size_t length)
{
    place at = {(unsigned)parser->problem_mark.line + 1, (unsigned)parser->problem_mark.column + 1};
    if (parser->error == YAML_READER_ERROR)
        at = place_of(text, parser->problem_offset);
    const char *problem = parser->problem ? parser->problem : "unknown problem";
    if (parser->error == YAML_SCANNER_ERROR && char_at(text, length, at) == '\t')
        fmc_diagnostics_add(c->diags, c->file, at.line, at.column, "",
                            "YAML syntax: a tab character; YAML indents with spaces only "
                            "(replace the tab with spaces)");
    else
        fmc_diagnostics_add(c->diags, c->file, at.line, at.column, "", "YAML syntax: %s%s%s",
                            problem, parser->context ? " " : "",
                            parser->context ? parser->context : "");
    c->errors++;
}

/* Refuses collections nested deeper than FMC_MAX_YAML_DEPTH by streaming
 * the events first: libyaml's scanner is quadratic in the nesting depth, so
 * loading a hostile file of 100 000 '[' would take minutes.  Syntax errors
 * are left for the loader, which reports them with their place. */
static fmc_status check_nesting(checker *c, const char *text, size_t length)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return FMC_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, length);
    unsigned depth = 0;
    size_t top_items = 0;  /* nodes met directly in the root: keys at even places */
    char top_key[64] = "";
    fmc_status status = FMC_OK;
    for (int done = 0; !done;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event))
            break;
        int opens = event.type == YAML_SEQUENCE_START_EVENT || event.type == YAML_MAPPING_START_EVENT;
        int is_node = opens || event.type == YAML_SCALAR_EVENT || event.type == YAML_ALIAS_EVENT;
        if (depth == 1 && is_node && top_items++ % 2 == 0 && event.type == YAML_SCALAR_EVENT)
            snprintf(top_key, sizeof top_key, "%.*s", (int)event.data.scalar.length,
                     (const char *)event.data.scalar.value);
        if (opens && ++depth > FMC_MAX_YAML_DEPTH) {
            fmc_diagnostics_add(c->diags, c->file, (unsigned)event.start_mark.line + 1,
                                (unsigned)event.start_mark.column + 1, top_key,
                                "YAML nested deeper than %u levels", FMC_MAX_YAML_DEPTH);
            c->errors++;
            status = FMC_ESCENARIO;
            done = 1;
        } else if (event.type == YAML_SEQUENCE_END_EVENT || event.type == YAML_MAPPING_END_EVENT) {
            depth--;
        } else if (event.type == YAML_STREAM_END_EVENT) {
            done = 1;
        }
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    return status;
}

fmc_status fmc_scenario_load_text(const char *text, size_t length, const char *display_name,
                                  fmc_scenario **out, fmc_diagnostics *diags)
{
    *out = NULL;
    /* GSL's default handler aborts the process when an inversion does not
     * converge (found by fuzzing: a beta's 2^-32 quantile); funnelmc checks
     * every result itself and falls back, so the handler must be off before
     * the first distribution is examined. */
    gsl_set_error_handler_off();
    checker c = {NULL, display_name, 0, diags, 0, 0, NULL, NULL, NULL};
    if (length > FMC_MAX_SCENARIO_BYTES) {
        report(&c, NULL, "", "the file is larger than %u bytes", FMC_MAX_SCENARIO_BYTES);
        return FMC_ESCENARIO;
    }
    if (memchr(text, '\0', length)) {
        report(&c, NULL, "", "the file holds a NUL byte: it is not a YAML text file");
        return FMC_ESCENARIO;
    }
    size_t bad = first_invalid_utf8(text, length);
    if (bad < length) {
        place at = place_of(text, bad);
        fmc_diagnostics_add(diags, display_name, at.line, at.column, "",
                            "YAML syntax: byte 0x%02X is not UTF-8 (a scenario is UTF-8 text: "
                            "save the file as UTF-8)", (unsigned char)text[bad]);
        return FMC_ESCENARIO;
    }
    fmc_status depth = check_nesting(&c, text, length);
    if (depth != FMC_OK)
        return depth;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return FMC_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, length);
    fmc_scenario *s = NULL;
    fmc_status status = FMC_OK;
    if (!yaml_parser_load(&parser, &doc)) {
        report_syntax(&c, &parser, text, length);
        yaml_parser_delete(&parser);
        return parser.error == YAML_MEMORY_ERROR ? FMC_ENOMEM : FMC_ESCENARIO;
    }
    c.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
        report(&c, NULL, "", "the file is empty: a scenario needs at least 'name' and 'inputs'");
    } else {
        yaml_document_t next;
        if (!yaml_parser_load(&parser, &next)) {
            report_syntax(&c, &parser, text, length);
        } else {
            if (yaml_document_get_root_node(&next))
                report(&c, yaml_document_get_root_node(&next), "",
                       "a scenario file holds one YAML document; a second one starts here");
            yaml_document_delete(&next);
        }
        s = scenario_alloc(&c, text, length, display_name);
        if (!s) {
            c.out_of_memory = 1;
        } else {
            c.warnings = &s->warnings;
            read_document(&c, root, s);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (c.out_of_memory)
        status = FMC_ENOMEM;
    else if (c.errors > 0)
        status = FMC_ESCENARIO;
    if (status != FMC_OK) {
        fmc_scenario_free(s);
        return status;
    }
    *out = s;
    return FMC_OK;
}

fmc_status fmc_scenario_load_file(const char *path, fmc_scenario **out, fmc_diagnostics *diags)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fmc_diagnostics_add(diags, path, 0, 0, "", "cannot open: %s", strerror(errno));
        return FMC_EIO;
    }
    size_t capacity = 4096, length = 0;
    char *text = malloc(capacity);
    fmc_status status = text ? FMC_OK : FMC_ENOMEM;
    while (status == FMC_OK) {
        if (length == capacity) {
            if (capacity > FMC_MAX_SCENARIO_BYTES) {
                fmc_diagnostics_add(diags, path, 0, 0, "", "the file is larger than %u bytes",
                                    FMC_MAX_SCENARIO_BYTES);
                status = FMC_ESCENARIO;
                break;
            }
            char *bigger = realloc(text, 2 * capacity);
            if (!bigger) {
                status = FMC_ENOMEM;
                break;
            }
            text = bigger;
            capacity *= 2;
        }
        size_t got = fread(text + length, 1, capacity - length, f);
        length += got;
        if (got == 0) {
            if (ferror(f)) {
                fmc_diagnostics_add(diags, path, 0, 0, "", "cannot read: %s", strerror(errno));
                status = FMC_EIO;
            }
            break;
        }
    }
    fclose(f);
    if (status == FMC_OK)
        status = fmc_scenario_load_text(text, length, path, out, diags);
    free(text);
    return status;
}

void fmc_scenario_free(fmc_scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->input_count; i++) {
        free(s->inputs[i].name);
        drop_law(&s->inputs[i]);
    }
    free(s->inputs);
    free(s->correlations);
    fmc_copula_free(s->copula);
    fmc_copula_free(s->lever_copula);
    for (size_t i = 0; i < s->lever_count; i++) {
        free(s->levers[i].name);
        free(s->levers[i].changes);
        for (size_t q = 0; q < s->levers[i].quantity_count; q++)
            fmc_dist_clear(&s->levers[i].quantities[q].dist);
        free(s->levers[i].quantities);
    }
    free(s->levers);
    for (size_t i = 0; i < s->sweep_count; i++) {
        for (size_t j = 0; j < s->sweeps[i].axis_count; j++) {
            free(s->sweeps[i].axes[j].values);
            if (s->sweeps[i].axes[j].uncertain_effect)
                fmc_dist_clear(&s->sweeps[i].axes[j].uncertain_effect->dist);
            free(s->sweeps[i].axes[j].uncertain_effect);
        }
        free(s->sweeps[i].axes);
        free(s->sweeps[i].name);
    }
    free(s->sweeps);
    if (s->horizon) {
        for (size_t i = 0; i < s->horizon->budget_count; i++)
            free(s->horizon->budgets[i].plan);
        free(s->horizon->budgets);
        free(s->horizon);
    }
    fmc_diagnostics_clear(&s->warnings);
    free(s->file);
    free(s->text);
    free(s->name);
    free(s->description);
    free(s->period);
    free(s);
}

size_t fmc_scenario_cost_lines(const fmc_scenario *s)
{
    return s->cost_line_count;
}
