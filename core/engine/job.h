/* job.h - what run and verify share for one processor: the plugin, the
 * graph around it, a read-only connection, the plan and its pre-flight. */
#ifndef BF_JOB_H
#define BF_JOB_H

#include "engine/graph.h"
#include "engine/preflight.h"
#include "plugin/check_measure.h"

typedef struct job {
    const bf_config *cfg;
    plugin p;
    graph g; /* every processor: who writes what p reads */
    store *ro;
    date_selection sel;
    plan plan;
    preflight_report pre;
    check_set checks;     /* the effective quality checks */
    size_t outdated_kept; /* outdated dates --keep-outdated resumed */
    int borrowed;         /* p and g are copies of a caller's loaded graph: job_close
                             leaves them loaded */
    int p_in_g;           /* p is a copy of g's node: unloaded with g */
    int ro_lent;          /* ro is a caller's: job_close leaves it open */
    judge_cache *cache;   /* borrowed: counts shared with other jobs, or NULL */
    int dry;              /* nothing will be published: job_preflight makes no stamps */
} job;

/* Load, plan and measure processor over dates. Returns 0, or EXIT_USAGE
 * with one line in err (then nothing is left open). Nothing here writes:
 * the store is opened read-only. Dates of an explicit list that are not
 * calendar dates are logged as warnings and ignored. */
int job_open(job *j, const char *processor, const date_args *dates, const bf_config *cfg, char *err,
             size_t errlen);
/* job_open with the plugins of g (borrowed, loaded already, outliving j;
 * NULL: job_open's own): nothing is loaded again. */
int job_open_in(job *j, const graph *g, const char *processor, const date_args *dates,
                const bf_config *cfg, char *err, size_t errlen);
/* job_open_in on a caller's read-only store ro (NULL: its own; lent, it
 * stays open after job_close) with the judge's counts and the calendar
 * taken from cache (NULL: from the store). ro and cache outlive j; a
 * cache shared by jobs on several threads is safe (judge.h). */
int job_open_shared(job *j, const graph *g, store *ro, judge_cache *cache, const char *processor,
                    const date_args *dates, const bf_config *cfg, char *err, size_t errlen);
void job_close(job *j);

/* Ask the judge: every date's verdict and the pre-flight report in
 * j->pre. Returns 0, or EXIT_USAGE with one line in err. */
int job_preflight(job *j, char *err, size_t errlen);

#endif
