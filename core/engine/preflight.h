/* preflight.h - upstream coverage, checked before anything is written. */
#ifndef BF_PREFLIGHT_H
#define BF_PREFLIGHT_H

#include <stdio.h>

#include "config/config.h"
#include "engine/graph.h"
#include "engine/judge.h"
#include "plugin/loader.h"
#include "engine/plan.h"
#include "stores/store.h"

typedef struct dep_coverage {
    const bf_dependency *dep;
    double threshold;  /* dependency's own, or preflight.min_coverage */
    size_t expected;   /* dates the processor is expected to fill */
    size_t covered;    /* of those, dates the upstream holds complete */
    size_t partial;    /* dates holding other rows than were published */
    size_t unverified; /* dates holding rows no backfill run recorded:
                          counted as covered (the presence rule) */
    size_t waived;     /* dates neither covered nor unverified that a waiver
                          covers: counted as covered */
    int table_missing; /* the table does not exist at all */
    date_list missing; /* expected dates without a row, ascending */
    int passed;
} dep_coverage;

/* What the threshold counts, and every report prints as covered: complete,
 * unverified and waived dates. */
size_t preflight_dep_covered(const dep_coverage *dc);

typedef struct preflight_report {
    dep_coverage *deps;
    size_t n;
    int refused; /* a required dependency is under its threshold */
    size_t blocked;
    size_t orphaned; /* of the blocked dates, those still holding rows */
    size_t waived;   /* the processor's own dates a waiver covers: not run */
    judgement judge; /* the facts, for the run's own decisions */
    /* Pending dates outdated, and stale for a changed raw input: how many,
     * the first one's reason, and whether others have other reasons. */
    struct reason_note {
        size_t n;
        char why[256];
        int mixed;
    } outdated, raw_stale;
} preflight_report;

/* Ask the judge (one grouped query per table; g names the processors
 * writing p's dependencies, NULL: all raw) and fill report: per dependency
 * the expected dates covered, partial, missing and unverified. Each date
 * gets its verdict; a blocked or orphaned one (a required upstream date in
 * its window missing or partial) becomes STATE_BLOCKED naming why. Returns
 * -1 with one line in err if the store fails. */
int preflight_run(store *s, const bf_config *cfg, const graph *g, const plugin *p, plan *pl,
                  preflight_report *report, char *err, size_t errlen);
/* How preflight_run_with judges. */
typedef struct preflight_opts {
    judge_cache *cache; /* counts shared with other judgements (judge.h), or NULL */
    int no_stamps;      /* nothing will be published (a dry run): leave each date's
                           raw-input stamp (e->raw) unset */
} preflight_opts;

/* preflight_run as opts says (NULL: as preflight_run). */
int preflight_run_with(store *s, const bf_config *cfg, const graph *g, const plugin *p, plan *pl,
                       const preflight_opts *opts, preflight_report *report, char *err,
                       size_t errlen);
void preflight_report_free(preflight_report *report);

#endif
