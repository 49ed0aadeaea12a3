/* run.c - one processor's run: plan and pre-flight (job.c), then lock,
 * scheduler, checkpoint and event log. Nothing is printed here: the
 * command formats the result and the hooks' moments. */
#include <stdlib.h>
#include <string.h>

#include "engine/run.h"

#include "state/checkpoint.h"
#include "base/clock.h"
#include "state/events.h"
#include "engine/job.h"
#include "state/lock.h"
#include "base/exit_code.h"
#include "base/log.h"
#include "engine/scheduler.h"
#include "base/signals.h"
#include "engine/estimate.h"
#include "engine/dry_resume.h"
#include "engine/raw_days.h"
#include "engine/upstream_wait.h"
#include "engine/waived.h"
#include "stores/store.h"

/* Once per run, before the first date: the plugin's prepare() (its
 * CREATE TABLE IF NOT EXISTS), then proof that the output table exists. */
static int prepare_output(const job *j, char *err, size_t errlen)
{
    store *rw = NULL;
    if (store_open(j->cfg->store_conf, STORE_READ_WRITE, &rw, err, errlen) != BF_OK)
        return -1;
    run_ctx ctx;
    context_init(&ctx, rw, &j->p, j->cfg);
    int rc = 0, exists = 0;
    if (context_open(&ctx) != BF_OK) {
        snprintf(err, errlen, "%s: worker_init failed: %.600s", j->p.path,
                 ctx.error[0] ? ctx.error : "see the log above");
        rc = -1;
    } else if (j->p.prepare && context_prepare(&ctx) != BF_OK) {
        snprintf(err, errlen, "%s: prepare() failed: %.600s", j->p.path,
                 ctx.error[0] ? ctx.error : "see the log above");
        rc = -1;
    }
    if (context_close(&ctx) != BF_OK && rc == 0) {
        snprintf(err, errlen, "%s: worker_fini failed: %.600s", j->p.path, ctx.error);
        rc = -1;
    }
    if (rc == 0 && store_table_exists(rw, j->p.desc->output_table, &exists) != BF_OK) {
        snprintf(err, errlen, "%s", store_error(rw));
        rc = -1;
    } else if (rc == 0 && !exists) {
        snprintf(err, errlen, "output table %s does not exist and %s has no prepare() creating it",
                 j->p.desc->output_table, j->p.path);
        rc = -1;
    } else if (rc == 0) {
        rc = checks_probe(&j->checks, rw, j->p.desc->name, j->p.desc->output_table,
                          j->p.desc->date_column, err, errlen);
    }
    store_close(rw);
    return rc;
}

/* The settings a run actually uses, after config and command line. */
typedef struct run_settings {
    int workers, retries, max_failures, batch;
    double max_failure_rate;
} run_settings;

static run_settings settle(const run_request *o, const bf_config *cfg, const plugin *p)
{
    run_settings s = {
        .workers = o->workers > 0 ? o->workers : cfg->workers,
        .retries = o->retries >= 0 ? o->retries : cfg->retries,
        /* One failure stops the run unless a rate limit or --keep-going
         * says otherwise. */
        .max_failures = o->keep_going              ? 0
                        : o->max_failures > 0      ? o->max_failures
                        : o->max_failure_rate >= 0 ? 0
                                                   : 1,
        .max_failure_rate = o->max_failure_rate,
        .batch = o->batch > 0           ? o->batch
                 : cfg->batch_dates > 0 ? cfg->batch_dates
                                        : store_batch_dates(cfg->store_conf),
    };
    if (s.workers > 1 && !p->desc->thread_safe) {
        log_info("%s is not thread-safe: running on 1 worker instead of %d", p->desc->name,
                 s.workers);
        s.workers = 1;
    }
    return s;
}

static void record_run(checkpoint *cp, const job *j, const run_request *o, const char *started,
                       const run_settings *s, int stop, int exit_code)
{
    char finished[32];
    clock_utc_iso(finished, sizeof finished);
    checkpoint_set_run(cp, "started_at", json_string(started));
    checkpoint_set_run(cp, "finished_at", json_string(finished));
    checkpoint_set_run(cp, "command", json_string(o->command_line ? o->command_line : ""));
    checkpoint_set_run(cp, "skip_preflight", json_boolean(o->skip_preflight));
    checkpoint_set_run(cp, "skip_preflight_reason",
                       o->reason ? json_string(o->reason) : json_null());
    checkpoint_set_run(cp, "workers", json_integer(s->workers));
    checkpoint_set_run(cp, "retries", json_integer(s->retries));
    checkpoint_set_run(cp, "batch_dates", json_integer(s->batch));
    checkpoint_set_run(cp, "max_failures", json_integer(s->max_failures));
    checkpoint_set_run(cp, "keep_outdated", json_boolean(o->keep_outdated));
    checkpoint_set_run(cp, "outdated_kept", json_integer((json_int_t)j->outdated_kept));
    checkpoint_set_run(cp, "stopped_by",
                       stop ? json_string(scheduler_stop_text(stop)) : json_null());
    checkpoint_set_run(cp, "dates", plan_counts_json(&j->plan));
    checkpoint_set_run(cp, "exit_code", json_integer(exit_code));
    /* Pending dates keep what an earlier run recorded, if anything. */
    json_t *dates = json_object_get(cp->root, "dates");
    for (size_t i = 0; i < j->plan.n; i++) {
        const date_entry *e = &j->plan.dates[i];
        if (!e->resumed && (e->status != STATE_PENDING || !json_object_get(dates, e->date)))
            checkpoint_record(cp, e);
    }
}

/* The dates to dispatch, oldest first (newest with --reverse). */
static date_entry **dispatch_order(plan *pl, int reverse, size_t *n)
{
    date_entry **todo = calloc(pl->n ? pl->n : 1, sizeof *todo);
    *n = 0;
    for (size_t i = 0; todo && i < pl->n; i++) {
        date_entry *e = &pl->dates[reverse ? pl->n - 1 - i : i];
        if (e->status == STATE_PENDING)
            todo[(*n)++] = e;
    }
    return todo;
}

/* Skip the dates the checkpoint records complete, once the judge has
 * compared them with the store: changed, outdated or stale dates run
 * again (outdated kept with keep_outdated, stale with no_stale). */
static void resume(job *j, checkpoint *cp, const run_request *o, run_result *res)
{
    for (size_t i = 0; i < j->plan.n; i++) {
        const date_entry *e = &j->plan.dates[i];
        res->changed += e->status == STATE_PENDING && e->changed;
        res->stale += e->status == STATE_PENDING && e->verdict == STATE_STALE;
        res->outdated += e->status == STATE_PENDING && e->verdict == STATE_OUTDATED;
    }
    res->keep_stale = o->no_stale;
    res->keep_outdated = o->keep_outdated;
    j->outdated_kept = o->keep_outdated ? res->outdated : 0;
    res->resumed = o->dry_run ? dry_resume(&j->plan, &j->pre.judge, o->no_stale, o->keep_outdated)
                              : plan_resume(&j->plan, cp, o->no_stale, o->keep_outdated);
}

/* --purge-orphans: empty every orphaned date (blocked, still holding
 * rows) through the publish path, and record it. Returns 0 or -1 with
 * res->error set. */
static int purge_orphans(job *j, checkpoint *cp, events *ev, run_result *res)
{
    store *rw = NULL;
    char *err = res->error;
    size_t errlen = sizeof res->error;
    for (size_t i = 0; i < j->plan.n; i++) {
        date_entry *e = &j->plan.dates[i];
        if (e->verdict != STATE_ORPHANED)
            continue;
        if ((!rw && store_open(j->cfg->store_conf, STORE_READ_WRITE, &rw, err, errlen) != BF_OK) ||
            audit_purge(rw, &j->p, e->date, err, errlen) != BF_OK) {
            store_close(rw);
            return -1;
        }
        events_emit(ev, "date_purged",
                    json_pack("{s:s, s:I, s:s?}", "date", e->date, "rows", (json_int_t)e->held_rows,
                              "reason", e->error));
        res->purged++;
        res->purged_rows += e->held_rows;
        e->held_rows = 0;
        e->verdict = STATE_BLOCKED;
        checkpoint_record(cp, e);
    }
    store_close(rw);
    return 0;
}

/* The final checkpoint and the event log's run_finished: a run whose state
 * is not on disk must not look like a success. Returns rc, or
 * EXIT_STATE_NOT_SAVED after an error line. */
static int save_state(checkpoint *cp, events *ev, int rc, double wall, const job *j,
                      const scheduler_result *sr)
{
    char err[1024];
    if (checkpoint_save(cp, err, sizeof err) != 0) {
        log_error("saving checkpoint: %s", err);
        rc = EXIT_STATE_NOT_SAVED;
    }
    events_emit(ev, "run_finished",
                json_pack("{s:i, s:f, s:o, s:s?}", "exit_code", rc, "wall_s", wall, "dates",
                          plan_counts_json(&j->plan), "stopped_by",
                          sr->stop ? scheduler_stop_text(sr->stop) : NULL));
    if (events_sync(ev, err, sizeof err) != 0) {
        log_error("writing the event log: %s", err);
        rc = EXIT_STATE_NOT_SAVED;
    }
    return rc;
}

/* Everything after pre-flight passed: returns the exit code. */
static int execute(job *j, const run_request *o, checkpoint *cp, events *ev, const char *started,
                   double t0, budget *slots, run_result *res)
{
    run_settings s = settle(o, j->cfg, &j->p);
    size_t ntodo;
    date_entry **todo = dispatch_order(&j->plan, o->reverse, &ntodo);
    if (!todo) {
        snprintf(res->error, sizeof res->error, "out of memory");
        return EXIT_USAGE;
    }
    events_emit(
        ev, "run_started",
        json_pack("{s:s, s:s, s:i, s:i, s:b, s:s?, s:I, s:I, s:b, s:I, s:s, s:s}", "processor",
                  j->p.desc->name, "command", o->command_line ? o->command_line : "", "workers",
                  s.workers, "retries", s.retries, "skip_preflight", o->skip_preflight,
                  "skip_preflight_reason", o->reason, "dates", (json_int_t)j->plan.n, "to_run",
                  (json_int_t)ntodo, "keep_outdated", o->keep_outdated, "outdated_kept",
                  (json_int_t)j->outdated_kept, "first", j->plan.n ? j->plan.dates[0].date : "",
                  "last", j->plan.n ? j->plan.dates[j->plan.n - 1].date : ""));
    events_flush(ev); /* on disk at once: `backfill ps` reads it */
    for (size_t i = 0; i < j->plan.n; i++)
        if (j->plan.dates[i].status == STATE_BLOCKED)
            events_emit(ev, "date_blocked",
                        json_pack("{s:s, s:s}", "date", j->plan.dates[i].date, "error",
                                  j->plan.dates[i].error));
    /* The read-only connection is done; writers take over. */
    if (!j->ro_lent)
        store_close(j->ro);
    j->ro = NULL;
    const run_hooks *h = &o->hooks;
    if (h->started)
        h->started(h->udata, ntodo);
    scheduler_opts so = {
        .workers = s.workers,
        .batch = s.batch,
        .max_failures = s.max_failures,
        .max_failure_rate = s.max_failure_rate,
        .interrupted = &signals_stop,
        .progress = h->progress,
        .progress_udata = h->udata,
        .blocked = j->pre.blocked,
        .budget = slots,
        .policy = {s.retries, j->cfg->retry_backoff_ms, &signals_stop, ev, &j->checks,
                   (store_caps(j->cfg->store_conf) & STORE_CAP_GROUP_PUBLISH) != 0 ||
                       (s.batch > 1 && (store_caps(j->cfg->store_conf) & STORE_CAP_BLOCK_GROUP))},
    };
    scheduler_result sr = {0};
    signals_install();
    int failed = ntodo && (prepare_output(j, res->error, sizeof res->error) != 0 ||
                           scheduler_run(j->cfg, &j->p, todo, ntodo, &so, cp, &sr, res->error,
                                         sizeof res->error) != 0);
    signals_restore();
    if (h->ended)
        h->ended(h->udata);
    free(todo);
    if (failed)
        return EXIT_USAGE;
    size_t counts[STATE_COUNT];
    plan_count(&j->plan, counts);
    int rc = sr.stop == STOP_INTERRUPTED ? EXIT_INTERRUPTED
             : sr.stop == STOP_CONFIG    ? EXIT_USAGE
             : plan_all_done(counts)     ? EXIT_DONE
                                         : EXIT_DATES_FAILED;
    record_run(cp, j, o, started, &s, sr.stop, rc);
    res->stop = sr.stop;
    return save_state(cp, ev, rc, clock_now_s() - t0, j, &sr);
}

/* The state_dir lock guards one state_dir; this one guards the store, which
 * runs from other state_dirs share. *guard holds it on a connection of its
 * own until closed. Returns 0 or an exit code with err set. */
static int guard_store(const bf_config *cfg, const char *processor, store **guard, char *err,
                       size_t errlen)
{
    int rc = store_open(cfg->store_conf, STORE_READ_ONLY, guard, err, errlen) != BF_OK
                 ? -1
                 : store_lock(*guard, processor, err, errlen);
    if (rc == 0)
        return 0;
    return rc == -2 ? EXIT_LOCKED : EXIT_USAGE;
}

/* What a notification says of the plan: its range and failed dates. */
static void run_result_dates(const plan *pl, run_result *res)
{
    if (pl->n) {
        snprintf(res->first, sizeof res->first, "%s", pl->dates[0].date);
        snprintf(res->last, sizeof res->last, "%s", pl->dates[pl->n - 1].date);
    }
    for (size_t i = 0; i < pl->n; i++) {
        const date_entry *e = &pl->dates[i];
        if (e->status != STATE_FAILED && e->status != STATE_CHECK_FAILED &&
            e->status != STATE_PARTIAL && e->status != STATE_BLOCKED)
            continue;
        if (res->nfailed < RUN_FAILED_SHOWN)
            memcpy(res->failed[res->nfailed], e->date, DATE_LEN);
        res->nfailed++;
    }
}

/* The state_dir, its lock and the checkpoint; a dry run opens neither (its
 * judge scans the records: dry_resume.h). Returns 0 or an exit code with
 * res->error set. */
static int open_state(const run_request *rq, const bf_config *cfg, const char *name, int *lock,
                      checkpoint *cp, run_result *res)
{
    char *err = res->error;
    size_t errlen = sizeof res->error;
    if (!rq->dry_run) {
        if (checkpoint_mkdirs(cfg->state_dir) != 0) {
            snprintf(err, errlen, "cannot create state_dir %s", cfg->state_dir);
            return EXIT_USAGE;
        }
        *lock = lock_acquire(cfg->state_dir, name, err, errlen);
        if (*lock < 0)
            return *lock == -2 ? EXIT_LOCKED : EXIT_USAGE;
    }
    if (rq->dry_run) {
        snprintf(res->checkpoint, sizeof res->checkpoint, "%s/%s.json", cfg->state_dir, name);
        return 0;
    }
    char why[1024];
    if (checkpoint_open(cp, cfg->state_dir, name, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s", why);
        return EXIT_USAGE;
    }
    snprintf(res->checkpoint, sizeof res->checkpoint, "%s", cp->path);
    return 0;
}

/* How long the dates to run should take, from the durations cp records;
 * and the waivers the run relies on. */
static void foresee(const run_request *rq, const job *j, const checkpoint *cp, run_result *res)
{
    size_t todo = 0;
    for (size_t i = 0; i < j->plan.n; i++)
        todo += j->plan.dates[i].status == STATE_PENDING;
    estimate e;
    int workers = settle(rq, j->cfg, &j->p).workers;
    if (rq->dry_run) /* cp is not open */
        estimate_from_state(j->cfg->state_dir, j->p.desc->name, todo, workers, &e);
    else
        estimate_from(j->cfg->state_dir, j->p.desc->name, cp, todo, workers, &e);
    estimate_text(&e, res->estimate, sizeof res->estimate);
    res->est = e;
    res->est_s_per_date = todo ? e.median_s / (double)todo : 0;
    res->waivers = waived_relied_on(j);
}

/* The waivers the run relies on, recorded in its checkpoint and event log. */
static void record_waivers(const run_result *res, checkpoint *cp, events *ev)
{
    if (json_array_size(res->waivers))
        events_emit(ev, "waivers_relied_on", json_pack("{s:O}", "waivers", res->waivers));
    checkpoint_set_run(cp, "waivers", res->waivers ? json_incref(res->waivers) : json_array());
}

/* Judge, pre-flight (waiting for upstream if asked) and resume; tell the
 * hooks. Returns 0, or an exit code: refused, a dry run's end, or an error
 * with res->error set. */
static int decide(const run_request *rq, job *j, checkpoint *cp, events **ev, run_result *res)
{
    j->plan.own = rq->dry_run ? NULL : cp; /* NULL: the judge scans the records */
    j->dry = rq->dry_run;
    int rc = job_preflight(j, res->error, sizeof res->error);
    j->plan.own = NULL; /* the run changes cp from here on */
    if (rc == 0 && j->pre.refused && rq->wait_s > 0 && !rq->skip_preflight && !rq->dry_run)
        rc = upstream_wait(j, rq, cp, ev, res);
    if (rc == EXIT_INTERRUPTED)
        snprintf(res->why, sizeof res->why, "interrupted while waiting for upstream");
    if (rc != 0)
        return rc;
    if (!rq->dry_run)
        checkpoint_set_builder(cp, j->p.code, j->pre.judge.config);
    if (!rq->dry_run && raw_days_record(&j->pre.judge, cp) != 0)
        log_warn("%s: out of memory recording the raw days read; a changed window is named whole",
                 j->p.desc->name);
    if (!rq->no_resume)
        resume(j, cp, rq, res);
    foresee(rq, j, cp, res);
    if (rq->hooks.ready)
        rq->hooks.ready(rq->hooks.udata, res);
    if (j->pre.refused && !rq->skip_preflight) {
        res->refused = 1;
        snprintf(res->why, sizeof res->why, "pre-flight refused");
        return EXIT_REFUSED;
    }
    if (rq->skip_preflight)
        log_warn("*** --skip-preflight (%s): the coverage gate is OFF for this run; this is "
                 "recorded in the checkpoint. Dates whose required upstream is missing or partial "
                 "stay blocked. ***",
                 rq->reason);
    if (!rq->dry_run)
        return 0;
    for (size_t i = 0; i < j->plan.n; i++) {
        const date_entry *e = &j->plan.dates[i];
        int pending = e->status == STATE_PENDING;
        res->redo_outdated += pending && e->verdict == STATE_OUTDATED;
        res->redo_stale += pending && e->verdict == STATE_STALE;
        res->redo +=
            pending && (e->changed || e->verdict == STATE_STALE || e->verdict == STATE_OUTDATED);
    }
    res->redo_raw = j->pre.raw_stale.n;
    return EXIT_DONE;
}

int run_processor(const run_request *rq, const bf_config *cfg, budget *slots, run_result *res)
{
    char started[32];
    clock_utc_iso(started, sizeof started);
    double t0 = clock_now_s();
    memset(res, 0, sizeof *res);
    res->job = calloc(1, sizeof *res->job);
    if (!res->job) {
        snprintf(res->error, sizeof res->error, "out of memory");
        return res->exit_code = EXIT_USAGE;
    }
    job *j = res->job;
    int rc = job_open_shared(j, rq->graph, rq->ro, rq->cache, rq->processor, &rq->dates, cfg,
                             res->error, sizeof res->error);
    if (rc != 0) {
        free(res->job);
        res->job = NULL;
        snprintf(res->why, sizeof res->why, "could not start (see above)");
        return res->exit_code = rc;
    }
    int lock = -1;
    store *guard = NULL;
    checkpoint cp = {0};
    events *ev = NULL;
    rc = open_state(rq, cfg, j->p.desc->name, &lock, &cp, res);
    if (rc == 0)
        rc = decide(rq, j, &cp, &ev, res);
    if (rc != 0 || rq->dry_run)
        goto out;
    /* Only now, with pre-flight passed: a refused run leaves nothing. */
    rc = guard_store(cfg, j->p.desc->name, &guard, res->error, sizeof res->error);
    if (rc != 0)
        goto out;
    if (!ev) /* opened already if it waited for upstream */
        ev = events_open(cfg->state_dir, j->p.desc->name, res->error, sizeof res->error);
    if (!ev) {
        rc = EXIT_USAGE;
        goto out;
    }
    snprintf(res->event_log, sizeof res->event_log, "%s", events_path(ev));
    record_waivers(res, &cp, ev);
    if (rq->purge_orphans && purge_orphans(j, &cp, ev, res) != 0) {
        rc = EXIT_USAGE;
        goto out;
    }
    res->error[0] = '\0'; /* what was written there so far was no failure */
    rc = execute(j, rq, &cp, ev, started, t0, slots, res);
    plan_count(&j->plan, res->counts);
    if (rc != EXIT_DONE)
        snprintf(res->why, sizeof res->why,
                 "%zu failed, %zu check-failed, %zu partial, %zu blocked",
                 res->counts[STATE_FAILED], res->counts[STATE_CHECK_FAILED],
                 res->counts[STATE_PARTIAL], res->counts[STATE_BLOCKED]);
out:
    plan_count(&j->plan, res->counts);
    run_result_dates(&j->plan, res);
    res->wall_s = clock_now_s() - t0;
    if (rc == EXIT_LOCKED || (rc == EXIT_USAGE && !res->why[0]))
        snprintf(res->why, sizeof res->why, "%s",
                 rc == EXIT_LOCKED ? "locked by another run" : "error (see above)");
    events_close(ev);
    checkpoint_close(&cp);
    store_close(guard);
    lock_release(lock);
    return res->exit_code = rc;
}

void run_result_free(run_result *res)
{
    if (res->job)
        job_close(res->job);
    free(res->job);
    res->job = NULL;
    json_decref(res->waivers);
    res->waivers = NULL;
}
