/* window_build.h - one build of one date in staging for the window proof
 * (window_proof.h): the dependencies asked for confined to their windows
 * by TEMP VIEWs that shadow them, process_date into the staging area, the
 * staged rows read back as text, the staging area emptied, the views
 * dropped. Nothing is published. */
#ifndef BF_WINDOW_BUILD_H
#define BF_WINDOW_BUILD_H

#include "base/dates.h"
#include "plugin/context.h"

/* The staged rows of a build, each as one line of text "(v1, v2, ...)":
 * integers exactly, reals to 15 significant digits (summing the same rows
 * in another order may differ in the last bits), text quoted; sorted, so
 * two builds compare as multisets. A failed build holds one line naming
 * the failure. */
typedef struct row_set {
    char **rows; /* owned */
    size_t n, cap;
    int failed; /* the build failed: rows[0] says why */
} row_set;

void row_set_free(row_set *r);
/* 1 if a and b hold the same rows. */
int row_set_equal(const row_set *a, const row_set *b);
/* The first row one set holds and the other lacks, as a line naming the
 * build (names[0] for a, names[1] for b), into buf. */
void row_set_first_diff(const row_set *a, const row_set *b, const char *const names[2], char *buf,
                        size_t size);

/* A table a build may confine: a dependency or the calendar. */
typedef struct window_table {
    const char *table, *column; /* borrowed */
    int declared;               /* its declared lookback_days (BF_LOOKBACK_SEASON too) */
    int calendar;               /* the calendar: the widest of the dependencies' windows */
    int dep;                    /* a dependency (the calendar may be one too) */
    int confinable;             /* a plain name a TEMP VIEW can shadow */
    bf_day first;               /* its earliest date; 0 if empty */
} window_table;

/* lookback value of a table seen whole. */
#define WINDOW_WHOLE (-1000000)

/* Build day on ctx's store (read-write, bound to the plugin) with table k
 * of tables seen only over [day - lookback[k], day] (lookback[k] >= 0), or
 * whole where lookback[k] is WINDOW_WHOLE. Returns 0 with out filled (out->failed if process_date
 * failed or was refused), or -1 with one line in err if the store failed. */
int window_build(run_ctx *ctx, const window_table *tables, size_t ntables, const int *lookback,
                 bf_day day, row_set *out, char *err, size_t errlen);

#endif
