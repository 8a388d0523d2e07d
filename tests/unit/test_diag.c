/* Diagnostics: items keep their own copies of what they were given, in
 * order, however many; the printed form is the one the header documents;
 * clearing empties the list for reuse. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "funnelmc/diag.h"

/* What LIST prints as SEVERITY, as a string the caller frees. */
static char *printed_as(const fmc_diagnostics *list, const char *severity)
{
    FILE *f = tmpfile();
    REQUIRE(f);
    fmc_diagnostics_print_as(list, severity, f);
    long size = ftell(f);
    REQUIRE(size >= 0);
    char *text = malloc((size_t)size + 1);
    REQUIRE(text);
    rewind(f);
    REQUIRE(fread(text, 1, (size_t)size, f) == (size_t)size);
    text[size] = '\0';
    fclose(f);
    return text;
}

/* What LIST prints as errors. */
static char *printed(const fmc_diagnostics *list)
{
    return printed_as(list, "error");
}

static void a_new_list_is_empty_and_prints_nothing(void)
{
    fmc_diagnostics list;
    fmc_diagnostics_init(&list);
    CHECK(list.count == 0 && list.items == NULL && !list.out_of_memory);
    char *text = printed(&list);
    CHECK(strcmp(text, "") == 0);
    free(text);
    fmc_diagnostics_clear(&list);
}

static void an_item_keeps_copies_of_its_file_key_and_formatted_message(void)
{
    fmc_diagnostics list;
    fmc_diagnostics_init(&list);
    char file[] = "shop.yaml", key[] = "inputs.click_rate.mean";
    fmc_diagnostics_add(&list, file, 12, 5, key, "beta mean %.1f is outside [%d, %d]", 1.5, 0, 1);
    /* the caller's buffers may change afterwards */
    strcpy(file, "XXXX.yaml");
    strcpy(key, "changed");
    REQUIRE(list.count == 1);
    const fmc_diagnostic *d = &list.items[0];
    CHECK(strcmp(d->file, "shop.yaml") == 0);
    CHECK(strcmp(d->key, "inputs.click_rate.mean") == 0);
    CHECK(strcmp(d->message, "beta mean 1.5 is outside [0, 1]") == 0);
    CHECK(d->line == 12 && d->column == 5);
    fmc_diagnostics_clear(&list);
}

static void printing_follows_the_documented_form(void)
{
    fmc_diagnostics list;
    fmc_diagnostics_init(&list);
    fmc_diagnostics_add(&list, "shop.yaml", 12, 5, "inputs.click_rate.mean",
                        "beta mean 1.5 is outside [0, 1]");
    /* no position (line 0): none printed; no key: none printed */
    fmc_diagnostics_add(&list, "shop.yaml", 0, 0, "levers", "no lever given");
    fmc_diagnostics_add(&list, "shop.yaml", 3, 1, "", "not a mapping");
    char *text = printed(&list);
    CHECK(strcmp(text,
                 "error: shop.yaml:12:5: 'inputs.click_rate.mean': beta mean 1.5 is outside [0, 1]\n"
                 "error: shop.yaml: 'levers': no lever given\n"
                 "error: shop.yaml:3:1: not a mapping\n") == 0);
    if (check_failures_in_test)
        fprintf(stderr, "printed:\n%s", text);
    free(text);
    fmc_diagnostics_clear(&list);
}

static void many_items_are_kept_in_order(void)
{
    enum { N = 1000 };  /* well past any initial capacity */
    fmc_diagnostics list;
    fmc_diagnostics_init(&list);
    for (unsigned i = 0; i < N; i++)
        fmc_diagnostics_add(&list, "many.yaml", i + 1, 2 * i + 1, "k", "problem %u", i);
    REQUIRE(list.count == N);
    CHECK(!list.out_of_memory);
    int in_order = 1;
    for (unsigned i = 0; i < N; i++) {
        char expected[32];
        snprintf(expected, sizeof expected, "problem %u", i);
        in_order &= list.items[i].line == i + 1 && list.items[i].column == 2 * i + 1 &&
                    strcmp(list.items[i].message, expected) == 0;
    }
    CHECK(in_order);
    fmc_diagnostics_clear(&list);
}

static void clearing_empties_the_list_for_reuse(void)
{
    fmc_diagnostics list;
    fmc_diagnostics_init(&list);
    fmc_diagnostics_add(&list, "a.yaml", 1, 1, "name", "first");
    fmc_diagnostics_add(&list, "a.yaml", 2, 1, "seed", "second");
    fmc_diagnostics_clear(&list);
    CHECK(list.count == 0 && list.items == NULL && !list.out_of_memory);
    fmc_diagnostics_add(&list, "b.yaml", 7, 3, "samples", "third");
    REQUIRE(list.count == 1);
    CHECK(strcmp(list.items[0].message, "third") == 0 && strcmp(list.items[0].file, "b.yaml") == 0);
    fmc_diagnostics_clear(&list);
    fmc_diagnostics_clear(&list);  /* clearing an empty list is harmless */
    CHECK(list.count == 0);
}

static void warnings_print_alike_and_format_without_severity(void)
{
    fmc_diagnostics list;
    fmc_diagnostics_init(&list);
    fmc_diagnostics_add(&list, "shop.yaml", 27, 23, "levers.better.click_rate.add",
                        "clamped in every sample");
    char *text = printed_as(&list, "warning");
    CHECK(strcmp(text, "warning: shop.yaml:27:23: 'levers.better.click_rate.add': clamped in "
                       "every sample\n") == 0);
    free(text);
    char line[80], cut[12];
    int n = fmc_diagnostic_format(&list.items[0], line, sizeof line);
    CHECK(strcmp(line, "shop.yaml:27:23: 'levers.better.click_rate.add': clamped in every "
                       "sample") == 0);
    CHECK(n == (int)strlen(line));
    /* cut to fit, the length needed still returned */
    CHECK(fmc_diagnostic_format(&list.items[0], cut, sizeof cut) == n);
    CHECK(strcmp(cut, "shop.yaml:2") == 0);
    fmc_diagnostics_clear(&list);
}

TEST_MAIN_BEGIN
RUN_TEST(a_new_list_is_empty_and_prints_nothing);
RUN_TEST(an_item_keeps_copies_of_its_file_key_and_formatted_message);
RUN_TEST(printing_follows_the_documented_form);
RUN_TEST(many_items_are_kept_in_order);
RUN_TEST(clearing_empties_the_list_for_reuse);
RUN_TEST(warnings_print_alike_and_format_without_severity);
TEST_MAIN_END
