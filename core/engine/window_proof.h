/* window_proof.h - whether a processor's declared windows are wide enough
 * (`backfill verify --inputs`): sampled dates are built twice in staging,
 * never published, once with every dependency (and the calendar) visible
 * only inside its declared window [date - lookback_days, date] and once
 * with the whole tables, and the two sets of staged rows are compared.
 * A date whose builds differ is narrowed down per table (each window
 * confined alone), and the smallest lookback that makes them equal is
 * searched for each table at fault.
 *
 * Confining is SQLite's: a TEMP VIEW named like a main table shadows it
 * for unqualified names, so the plugin's own SQL reads the window without
 * knowing; the read authorizer (sqlite_guard.c) lets a declared table be
 * read through such a view. The views live on the proof's own connection
 * and are dropped after each build; the staging area is emptied by the
 * next date and the published tables are never touched. */
#ifndef BF_WINDOW_PROOF_H
#define BF_WINDOW_PROOF_H

#include "config/config.h"
#include "engine/plan.h"
#include "plugin/loader.h"

/* Default number of sampled dates. */
#define WINDOW_PROOF_SAMPLE 20

/* One table whose declared window was too narrow on some sampled dates. */
typedef struct window_finding {
    const char *table; /* a dependency's table, or the calendar (borrowed) */
    int calendar;      /* the calendar: its window is the widest declared */
    int declared;      /* its declared lookback_days */
    int needed;        /* smallest lookback equal on every differing date;
                          -1: none is (it reads rows after the date) */
    size_t ndates;     /* sampled dates on which it differs */
    char dates[200];   /* the first of them, comma-separated */
} window_finding;

typedef struct window_report {
    size_t sampled, differing;
    window_finding *findings; /* owned: one per dependency, then the calendar */
    size_t ntables;
    char first_date[DATE_LEN]; /* the first differing date, "" if none */
    char first_diff[900];      /* its first differing row, each build's */
    char error[600];           /* a build that failed, "" if none */
} window_report;

/* Pick at most n of pl's expected (not skipped) dates, deterministically:
 * first the first expected date of each season's stretch in the plan (the
 * first after its bootstrap), then the middle date of each of the equal
 * slices the remaining count divides the expected dates into (the next
 * unpicked date if taken). out (n entries) receives them ascending; returns
 * how many. */
size_t window_proof_sample(const plan *pl, size_t n, bf_day *out);

/* Build each of dates twice on a read-write connection of its own and
 * compare (see the top). Returns 0 with *out filled (differing 0: every
 * window wide enough; a failed build is in out->error and counts as a
 * differing date), or -1 with one line in err if the store could not be
 * opened or set up. Nothing is published; the caller frees out with
 * window_report_free. */
int window_proof_run(const bf_config *cfg, const plugin *p, const bf_day *dates, size_t n,
                     window_report *out, char *err, size_t errlen);
void window_report_free(window_report *r);

#endif
