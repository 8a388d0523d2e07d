/* A minimal test harness: CHECK macros record failures and carry on,
 * REQUIRE ends the program at once (for what the rest of a test cannot do
 * without: a loaded scenario, a successful run), each test is a function,
 * and main() ends with the plain "N passed, N failed" line that ctest's log
 * keeps. */
#ifndef FUNNELMC_TEST_CHECK_H
#define FUNNELMC_TEST_CHECK_H

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int check_failures_in_test;
static int tests_passed, tests_failed;
static const char *current_test = "(no test)";

#define CHECK(condition)                                                                  \
    do {                                                                                  \
        if (!(condition)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            check_failures_in_test++;                                                     \
        }                                                                                 \
    } while (0)

/* Fatal: when CONDITION fails, the test fails and the program ends with a
 * failing status, so that nothing goes on to use a NULL result or the
 * output of a call that failed. */
#define REQUIRE(condition)                                                                     \
    do {                                                                                       \
        if (!(condition)) {                                                                    \
            fprintf(stderr, "%s:%d: requirement failed: %s\n", __FILE__, __LINE__, #condition); \
            fprintf(stderr, "FAIL %s (stopped: later tests not run)\n", current_test);         \
            printf("%d passed, %d failed\n", tests_passed, tests_failed + 1);                  \
            exit(1);                                                                           \
        }                                                                                      \
    } while (0)

/* |actual - expected| <= tolerance, with the numbers in the message. */
#define CHECK_NEAR(actual, expected, tolerance)                                                \
    do {                                                                                       \
        double check_a_ = (actual), check_e_ = (expected), check_t_ = (tolerance);             \
        if (!(fabs(check_a_ - check_e_) <= check_t_)) {                                        \
            fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g within %.3g (off by %.3g)\n",    \
                    __FILE__, __LINE__, #actual, check_a_, check_e_, check_t_,                 \
                    fabs(check_a_ - check_e_));                                                \
            check_failures_in_test++;                                                          \
        }                                                                                      \
    } while (0)

#define CHECK_EXACT(actual, expected)                                                        \
    do {                                                                                     \
        double check_a_ = (actual), check_e_ = (expected);                                   \
        if (!(check_a_ == check_e_)) {                                                       \
            fprintf(stderr, "%s:%d: %s = %.17g, expected exactly %.17g\n", __FILE__, __LINE__, \
                    #actual, check_a_, check_e_);                                            \
            check_failures_in_test++;                                                        \
        }                                                                                    \
    } while (0)

#define RUN_TEST(test)                                                  \
    do {                                                                \
        check_failures_in_test = 0;                                     \
        current_test = #test;                                           \
        test();                                                         \
        if (check_failures_in_test) {                                   \
            tests_failed++;                                             \
            fprintf(stderr, "FAIL %s\n", #test);                        \
        } else {                                                        \
            tests_passed++;                                             \
            printf("ok   %s\n", #test);                                 \
        }                                                               \
    } while (0)

#define TEST_MAIN_BEGIN int main(void) { gsl_set_error_handler_off();
#define TEST_MAIN_END                                                \
    printf("%d passed, %d failed\n", tests_passed, tests_failed);    \
    return tests_failed ? 1 : 0;                                     \
    }

#endif
