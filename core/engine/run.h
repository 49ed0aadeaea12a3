/* run.h - one processor's run: what `run` does, and what `pipeline` does
 * for each processor it starts. The engine decides and records; it prints
 * nothing. The command hands it a request and hooks, and formats the
 * result (report/run_text.h). */
#ifndef BF_RUN_H
#define BF_RUN_H

#include "base/budget.h"
#include "base/dates.h"
#include "engine/estimate.h"
#include "engine/job.h"

#define RUN_FAILED_SHOWN 20

typedef struct run_result run_result;

enum wait_end { WAIT_NONE = 0, WAIT_READY, WAIT_TIMED_OUT, WAIT_INTERRUPTED };

/* Called by run_processor on the thread that called it (progress: under
 * the scheduler's lock, from a worker); any may be NULL. */
typedef struct run_hooks {
    void *udata;
    /* The plan is judged and pre-flight measured; res->job and the resume
     * figures are set; nothing is written yet. */
    void (*ready)(void *udata, const run_result *res);
    /* total dates are about to be dispatched. */
    void (*started)(void *udata, size_t total);
    void (*progress)(void *udata, size_t done, size_t failed, size_t blocked);
    /* Dispatch is over (before the final checkpoint save). */
    void (*ended)(void *udata);
    /* --wait-for-upstream, every poll while pre-flight refuses: what it
     * waits for ("upstream 6/7, needs 7"); first on the first poll. */
    void (*waiting)(void *udata, const job *j, const char *what, int first, double waited_s,
                    double total_s, double next_s);
} run_hooks;

/* What to run, in the engine's own terms. */
typedef struct run_request {
    const char *processor;
    date_args dates;
    int workers, retries;    /* -1: from config */
    int batch;               /* dates per block; 0: run.batch_dates */
    int max_failures;        /* 0: default (1, or none with keep_going) */
    double max_failure_rate; /* percent; -1: off */
    int skip_preflight, keep_going, no_resume, no_stale, keep_outdated, dry_run, reverse,
        purge_orphans;
    const char *reason;        /* why skip_preflight: recorded */
    const char *command_line;  /* recorded in the checkpoint and the event log */
    double wait_s, wait_until; /* --wait-for-upstream; until: CLOCK_MONOTONIC s; 0: no wait */
    int poll_s;
    run_hooks hooks;
    /* Borrowed: the loaded processor graph to take the plugins from (pipeline
     * runs several from one), or NULL: the run loads them itself. */
    const graph *graph;
    /* Borrowed, or NULL: a read-only store to judge on instead of one of its
     * own, and counts shared with other judgements (judge.h); a pipeline's
     * dry run judges every processor through them. */
    store *ro;
    judge_cache *cache;
} run_request;

struct run_result {
    int exit_code;    /* as `run` exits */
    char error[1024]; /* exit 2, 4 or 5: the error, one line; else "" */
    job *job;         /* owned: the plan, pre-flight and plugin; NULL if it never opened */
    size_t counts[STATE_COUNT];       /* dates per status at the end */
    size_t redo;                      /* dry run: stale, outdated or changed dates to redo */
    size_t redo_outdated, redo_stale; /* dry run: of those, outdated and stale */
    size_t redo_raw;                  /* dry run: of the stale, for a changed raw input */
    size_t outdated;                  /* the judge found outdated before the run */
    int keep_outdated;                /* the outdated dates were kept */
    size_t resumed;                   /* complete in the checkpoint and the store: not redone */
    size_t changed;                   /* recorded complete, but their rows changed since */
    size_t stale;                     /* the judge found stale before the run */
    int keep_stale;                   /* the stale dates were kept */
    char checkpoint[4096];            /* its path */
    size_t purged;                    /* orphaned dates emptied */
    int64_t purged_rows;
    int refused;          /* pre-flight refused: nothing written */
    int stop;             /* scheduler.h's enum stop_reason, 0: dispatch ran to the end */
    char event_log[4096]; /* its path, "" if none was opened */
    double wall_s;
    char why[256]; /* not 0: why, in a few words */
    /* For notifications: */
    char first[DATE_LEN], last[DATE_LEN];    /* the plan's dates, "" if none */
    size_t nfailed;                          /* failed, check-failed, partial or blocked */
    char failed[RUN_FAILED_SHOWN][DATE_LEN]; /* the first of them */
    /* Operations (dry-run estimate, --wait-for-upstream, waivers): */
    char estimate[192];     /* how long the dates to run should take (estimate.h) */
    double est_s_per_date;  /* the median per date over the workers, 0: no history */
    estimate est;           /* the figures behind estimate[] */
    double waited_s;        /* --wait-for-upstream: how long it waited, 0 if not */
    int wait_end;           /* enum wait_end: how the wait ended */
    char waiting_for[512];  /* what it waited for, as last judged */
    struct json_t *waivers; /* owned: the waivers relied on (waived.h), or NULL */
};

/* Run rq->processor over rq's dates. slots: worker slots shared with other
 * processors, or NULL. Returns the exit code, also in res; res->job stays
 * open for the caller to report on until run_result_free. */
int run_processor(const run_request *rq, const bf_config *cfg, budget *slots, run_result *res);
void run_result_free(run_result *res);

#endif
