/* scheduler.c - a fixed pool of pthreads pulling dates from one cursor.
 *
 * Workers share only the cursor, the stop flag and the checkpoint, all
 * under one mutex; a date's entry is written under the same mutex, so the
 * checkpoint never reads a half-updated date.
 *
 * On a store that publishes in groups, each worker holds the dates it
 * validated until it commits them together: when it holds GROUP_DATES,
 * when the oldest has waited a checkpoint interval, and before it stops.
 * Only then are they finished, so the checkpoint never records a date
 * complete that a crash could still take back.
 *
 * With opts->batch > 1, a processor that computes blocks of dates takes
 * up to that many dates next to each other in the plan from the cursor at
 * once (batch.c); each still finishes, and is recorded, on its own. Unless
 * the size was given exactly (--batch), a block holds at most
 * ceil(dates / workers) dates, so that every worker gets one. */
#include "engine/scheduler.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine/batch.h"
#include "plugin/context.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/signals.h"

typedef struct pool {
    const bf_config *cfg;
    const scheduler_opts *opts;
    date_entry **todo;
    size_t n, next, done, failed;
    size_t batch; /* dates per block (batch_size) */
    int stop;     /* enum stop_reason */
    checkpoint *cp;
    double last_save;
    pthread_mutex_t lock;
} pool;

/* Dates a worker may hold uncommitted: enough that a commit's fixed cost
 * (the WAL append of every index page it touched, the write lock) is
 * spread thin even for a processor that does a date in a fraction of a
 * millisecond (256 against 64: a twentieth of such a run). The checkpoint
 * interval, not this, bounds the work a crash loses. */
#define GROUP_DATES 256

typedef struct held {
    date_entry *e;
    audit_result r;
} held;

typedef struct worker {
    pool *pool;
    store *store;
    run_ctx ctx;
    pthread_t thread;
    held *group; /* GROUP_DATES of them when the policy groups */
    int ngroup;
    double group_since; /* when the oldest held date was validated */
    /* The share of GROUP_DATES and of the interval at which this worker's
     * group is due: (i + 1) / workers for worker i's first group, then 1,
     * so that workers started together commit in turn, not all at once
     * on SQLite's one write lock while the cores wait. */
    double due_share;
} worker;

/* A failed date, toward the stop rules. */
static void count_failure(pool *pl)
{
    pl->failed++;
    const scheduler_opts *o = pl->opts;
    if (!pl->stop && o->max_failures > 0 && pl->failed >= (size_t)o->max_failures)
        pl->stop = STOP_MAX_FAILURES;
}

/* An outcome, toward the stop rules and the progress line. A held date
 * counts as complete when it is validated: the rules judge the processor's
 * dates, not the store's commit rhythm. */
static void tally(pool *pl, const audit_result *r)
{
    const scheduler_opts *o = pl->opts;
    pl->done++;
    if (r->config_error)
        pl->stop = STOP_CONFIG; /* every date would fail the same way */
    if (r->status != STATE_COMPLETE)
        count_failure(pl);
    if (!pl->stop && o->max_failure_rate >= 0 && pl->done >= FAILURE_RATE_MIN_DATES &&
        pl->failed * 100.0 > o->max_failure_rate * pl->done)
        pl->stop = STOP_FAILURE_RATE;
    if (o->progress)
        o->progress(o->progress_udata, pl->done, pl->failed, o->blocked);
}

/* The outcome into the date's entry and the checkpoint. */
static void record(pool *pl, date_entry *e, const audit_result *r)
{
    e->status = r->status;
    e->expected = r->expected;
    e->actual = r->actual;
    e->validation_passed = r->validation_passed;
    e->attempts = r->attempts;
    e->duration_ms = r->duration_ms;
    e->published_seq = r->status == STATE_COMPLETE ? r->published_seq : 0;
    e->read_seq = r->status == STATE_COMPLETE ? r->read_seq : 0;
    plan_set_error(e, r->error[0] ? "%s" : NULL, r->error);
    json_decref(e->checks);
    e->checks = r->checks; /* the entry owns the measured values now */
    checkpoint_record(pl->cp, e);
    double t = clock_now_s();
    /* Coalesced: a crash loses at most one interval of progress, and those
     * dates simply run again on resume. */
    if (t - pl->last_save >= pl->cfg->checkpoint_interval_ms / 1000.0) {
        char err[512];
        if (checkpoint_save(pl->cp, err, sizeof err) != 0)
            log_warn("saving checkpoint: %s (the next save tries again)", err);
        events_flush(pl->opts->policy.events);
        pl->last_save = t;
    }
}

/* Commit the held dates and finish each: published, or failed with the
 * commit's error. */
static void commit_held(worker *w)
{
    pool *pl = w->pool;
    if (!w->ngroup)
        return;
    const char *why = audit_commit_group(w->store);
    for (int i = 0; i < w->ngroup; i++) {
        log_set_scope(w->ctx.plugin->desc->name, w->group[i].e->date);
        audit_settle(&pl->opts->policy, w->group[i].e->date, &w->group[i].r, why);
    }
    log_set_scope(w->ctx.plugin->desc->name, NULL);
    pthread_mutex_lock(&pl->lock);
    for (int i = 0; i < w->ngroup; i++) {
        if (why)
            count_failure(pl); /* tallied complete when it was validated */
        record(pl, w->group[i].e, &w->group[i].r);
    }
    if (why && pl->opts->progress)
        pl->opts->progress(pl->opts->progress_udata, pl->done, pl->failed, pl->opts->blocked);
    pthread_mutex_unlock(&pl->lock);
    w->ngroup = 0;
    w->due_share = 1;
}

/* Commit the held dates if the group is full or its interval is over
 * (both scaled by due_share). */
static void commit_due(worker *w)
{
    if (w->ngroup && (w->ngroup >= GROUP_DATES * w->due_share ||
                      clock_now_s() - w->group_since >=
                          w->due_share * w->pool->cfg->checkpoint_interval_ms / 1000.0))
        commit_held(w);
}

/* A finished date: held for the group commit when it passed on a store
 * that publishes in groups, else tallied and recorded now. The group is
 * committed here only if commit (a date of a block is not: the store's
 * group holds every date of its block validated so far, and a failed
 * commit fails all of them, so all of them must be held first). */
static void finish(worker *w, date_entry *e, audit_result *r, int commit)
{
    pool *pl = w->pool;
    if (w->group && r->status == STATE_COMPLETE) {
        if (!w->ngroup)
            w->group_since = clock_now_s();
        w->group[w->ngroup++] = (held){e, *r};
        pthread_mutex_lock(&pl->lock);
        tally(pl, r);
        pthread_mutex_unlock(&pl->lock);
        if (commit)
            commit_due(w);
        return;
    }
    pthread_mutex_lock(&pl->lock);
    tally(pl, r);
    record(pl, e, r);
    pthread_mutex_unlock(&pl->lock);
}

/* A block of n dates (batch.c), each finished on its own; a date that
 * never ran (the run was interrupted first) stays pending. */
static void run_block(worker *w, date_entry **es, size_t n)
{
    pool *pl = w->pool;
    audit_result out[BATCH_MAX_DATES];
    /* The group never overflows: its held dates are committed first. */
    if (w->group && w->ngroup + (int)n > GROUP_DATES)
        commit_held(w);
    budget_take(pl->opts->budget);
    batch_run(&w->ctx, es, n, &pl->opts->policy, out);
    budget_give(pl->opts->budget);
    for (size_t i = 0; i < n; i++)
        if (out[i].attempts)
            finish(w, es[i], &out[i], 0);
    commit_due(w);
}

static void *work(void *arg)
{
    worker *w = arg;
    pool *pl = w->pool;
    size_t batch = batch_possible(&w->ctx) ? pl->batch : 1;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        if (!pl->stop && pl->opts->interrupted && atomic_load(pl->opts->interrupted))
            pl->stop = STOP_INTERRUPTED;
        size_t take = 0;
        date_entry **es = pl->todo + pl->next;
        if (!pl->stop && pl->next < pl->n)
            take = batch > 1 ? batch_take(es, pl->n - pl->next, batch) : 1;
        pl->next += take;
        pthread_mutex_unlock(&pl->lock);
        if (!take)
            break;
        if (take > 1) {
            run_block(w, es, take);
            continue;
        }
        audit_result r;
        budget_take(pl->opts->budget);
        audit_date(&w->ctx, es[0]->date, &pl->opts->policy, &r);
        budget_give(pl->opts->budget);
        finish(w, es[0], &r, 1);
    }
    commit_held(w);
    return NULL;
}

const char *scheduler_stop_text(int stop)
{
    switch (stop) {
    case STOP_MAX_FAILURES: return "the --max-failures limit was reached";
    case STOP_FAILURE_RATE: return "the --max-failure-rate limit was exceeded";
    case STOP_INTERRUPTED: return "interrupted";
    case STOP_CONFIG: return "a processor config error";
    default: return "";
    }
}

/* Dates per block for n dates on nworkers workers (batch_size), said
 * with -v when it is below the size asked for. */
static size_t pool_batch(const scheduler_opts *opts, size_t n, int nworkers)
{
    size_t b = batch_size(opts->batch, opts->batch_exact, n, nworkers);
    if (b > 1 && b < (size_t)opts->batch)
        log_debug("blocks of at most %zu dates, not %d: %zu dates on %d workers", b, opts->batch, n,
                  nworkers);
    return b;
}

int scheduler_run(const bf_config *cfg, const plugin *p, date_entry **todo, size_t n,
                  const scheduler_opts *opts, checkpoint *cp, scheduler_result *result, char *err,
                  size_t errlen)
{
    memset(result, 0, sizeof *result);
    int nworkers = opts->workers < 1 ? 1 : opts->workers;
    if ((size_t)nworkers > n)
        nworkers = n ? (int)n : 1;
    pool pl = {
        .cfg = cfg, .opts = opts, .todo = todo, .n = n, .cp = cp, .last_save = clock_now_s()};
    pl.batch = pool_batch(opts, n, nworkers);
    worker *workers = calloc(nworkers, sizeof *workers);
    if (!workers) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0, started = 0;
    /* Open every connection and run every worker_init first: a store that
     * refuses a connection, or a plugin that cannot set up, should stop the
     * run before any date, not in the middle of it. */
    for (int i = 0; i < nworkers; i++) {
        workers[i].pool = &pl;
        workers[i].due_share = (double)(i + 1) / nworkers;
        if (store_open(cfg->store_conf, STORE_READ_WRITE, &workers[i].store, err, errlen) !=
            BF_OK) {
            rc = -1;
            goto out;
        }
        if (opts->policy.group && !(workers[i].group = calloc(GROUP_DATES, sizeof(held)))) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            goto out;
        }
        context_init(&workers[i].ctx, workers[i].store, p, cfg);
        workers[i].ctx.stop = opts->interrupted;
        if (context_open(&workers[i].ctx) != BF_OK) {
            snprintf(err, errlen, "%s: worker_init failed%s%s", p->path,
                     workers[i].ctx.error[0] ? ": " : "", workers[i].ctx.error);
            rc = -1;
            goto out;
        }
    }
    pthread_mutex_init(&pl.lock, NULL);
    /* Workers inherit a mask without SIGINT and SIGTERM: the handler runs
     * on this thread, which only waits for them. */
    sigset_t saved;
    signals_block_in_thread(&saved);
    for (; started < nworkers; started++) {
        if (pthread_create(&workers[started].thread, NULL, work, &workers[started]) != 0) {
            log_warn("could only start %d of %d workers", started, nworkers);
            break;
        }
    }
    signals_unblock_in_thread(&saved);
    if (started == 0)
        work(&workers[0]);
    for (int i = 0; i < started; i++)
        pthread_join(workers[i].thread, NULL);
    pthread_mutex_destroy(&pl.lock);
    result->done = pl.done;
    result->failed = pl.failed;
    /* An interrupt outranks every other reason, and the exit code must
     * report it even when it came after the last dispatch; a config error
     * too. Another stop after the last dispatch changed nothing. */
    if (opts->interrupted && atomic_load(opts->interrupted))
        pl.stop = STOP_INTERRUPTED;
    result->stop = pl.next < pl.n || pl.stop == STOP_INTERRUPTED || pl.stop == STOP_CONFIG
                       ? pl.stop
                       : STOP_NONE;
out:
    for (int i = 0; i < nworkers; i++) {
        /* A refusal in worker_fini fails the run: the first one is told. */
        if (workers[i].store && context_close(&workers[i].ctx) != BF_OK && rc == 0) {
            snprintf(err, errlen, "%s: worker_fini failed: %s", p->path, workers[i].ctx.error);
            rc = -1;
        }
        store_close(workers[i].store);
        free(workers[i].group);
    }
    free(workers);
    return rc;
}
