/* unit.h - the smallest test harness: named cases, each a function making
 * checks; every check prints one TAP-like line, "ok - CASE: CHECK" or
 * "not ok - CASE: CHECK: why (file:line)", which tests/run.sh counts.
 *
 *   UNIT_CASE(rows_per_date) { CHECK("two rows", n == 2); }
 *   UNIT_MAIN(14, UNIT(rows_per_date), UNIT(...))
 *
 * UNIT_MAIN's first argument is the plan: how many checks the cases make in
 * all. It is printed first ("1..N"), and tests/run.sh fails a program that
 * reports a different number, e.g. one whose case returned early and
 * skipped checks. Cases run in the order listed; a case that needs the
 * state an earlier one left says so in its comment.
 *
 * Naming cases on the command line runs only those (`test_judge stale`);
 * the plan line then comes last and counts the checks they made. */
#ifndef BF_UNIT_H
#define BF_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failures;
static int unit_checks; /* made so far */
static const char *unit_case_name = "";

typedef struct unit_case {
    const char *name;
    void (*fn)(void);
} unit_case;

#define UNIT_CASE(fn) static void fn(void)
#define UNIT(fn)                                                                                   \
    {                                                                                              \
#fn, fn                                                                                    \
    }

#define UNIT_OK(name) printf("ok - %s: %s\n", unit_case_name, name)
#define UNIT_COUNT()  unit_checks++

#define CHECK(name, cond)                                                                          \
    do {                                                                                           \
        UNIT_COUNT();                                                                              \
        if (cond) {                                                                                \
            UNIT_OK(name);                                                                         \
        } else {                                                                                   \
            printf("not ok - %s: %s: %s (%s:%d)\n", unit_case_name, name, #cond, __FILE__,         \
                   __LINE__);                                                                      \
            unit_failures++;                                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_STR(name, want, got)                                                                 \
    do {                                                                                           \
        const char *w_ = (want), *g_ = (got);                                                      \
        UNIT_COUNT();                                                                              \
        if (g_ && strcmp(w_, g_) == 0) {                                                           \
            UNIT_OK(name);                                                                         \
        } else {                                                                                   \
            printf("not ok - %s: %s: want [%s] got [%s] (%s:%d)\n", unit_case_name, name, w_,      \
                   g_ ? g_ : "(null)", __FILE__, __LINE__);                                        \
            unit_failures++;                                                                       \
        }                                                                                          \
    } while (0)

/* Run the cases argv names (all of them if none), printing the plan first
 * when all run. Returns the exit status: 0 if every check passed, 1 if one
 * failed, 2 if argv names no such case. */
static int unit_run(int argc, char **argv, int planned, const unit_case *cases, size_t n)
{
    int all = argc < 2;
    for (int a = 1; a < argc; a++) {
        size_t i = 0;
        while (i < n && strcmp(cases[i].name, argv[a]) != 0)
            i++;
        if (i == n) {
            fprintf(stderr, "%s: no case named %s\n", argv[0], argv[a]);
            return 2;
        }
    }
    if (all)
        printf("1..%d\n", planned);
    for (size_t i = 0; i < n; i++) {
        int chosen = all;
        for (int a = 1; a < argc && !chosen; a++)
            chosen = strcmp(cases[i].name, argv[a]) == 0;
        if (!chosen)
            continue;
        unit_case_name = cases[i].name;
        int failed = unit_failures;
        cases[i].fn();
        if (unit_failures > failed)
            printf("# case %s: %d checks failed\n", cases[i].name, unit_failures - failed);
        fflush(stdout);
    }
    if (!all)
        printf("1..%d\n", unit_checks);
    return unit_failures ? 1 : 0;
}

#define UNIT_MAIN(plan, ...)                                                                       \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        static const unit_case cases_[] = {__VA_ARGS__};                                           \
        return unit_run(argc, argv, (plan), cases_, sizeof cases_ / sizeof *cases_);               \
    }

#endif
