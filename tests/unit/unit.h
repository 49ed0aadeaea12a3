/* unit.h - the smallest test harness: CHECK prints one TAP-like line each. */
#ifndef BF_UNIT_H
#define BF_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failures;

/* First thing in main: how many checks the program makes. tests/run.sh
 * fails a program that reports a different number, e.g. one that returned
 * early and skipped checks. */
#define UNIT_PLAN(n) printf("1..%d\n", (n))

#define CHECK(name, cond)                                                                          \
    do {                                                                                           \
        if (cond) {                                                                                \
            printf("ok - %s\n", name);                                                             \
        } else {                                                                                   \
            printf("not ok - %s: %s (%s:%d)\n", name, #cond, __FILE__, __LINE__);                  \
            unit_failures++;                                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_STR(name, want, got)                                                                 \
    do {                                                                                           \
        const char *w_ = (want), *g_ = (got);                                                      \
        if (g_ && strcmp(w_, g_) == 0) {                                                           \
            printf("ok - %s\n", name);                                                             \
        } else {                                                                                   \
            printf("not ok - %s: want [%s] got [%s] (%s:%d)\n", name, w_, g_ ? g_ : "(null)",      \
                   __FILE__, __LINE__);                                                            \
            unit_failures++;                                                                       \
        }                                                                                          \
    } while (0)

#define UNIT_DONE() return unit_failures ? 1 : 0

#endif
