/* A minimal test harness: CHECK macros record failures and carry on, each
 * test is a function, and main() ends with the plain "N passed, N failed"
 * line that ctest's log keeps. */
#ifndef FUNNELMC_TEST_CHECK_H
#define FUNNELMC_TEST_CHECK_H

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>

static int check_failures_in_test;
static int tests_passed, tests_failed;

#define CHECK(condition)                                                                  \
    do {                                                                                  \
        if (!(condition)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            check_failures_in_test++;                                                     \
        }                                                                                 \
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
