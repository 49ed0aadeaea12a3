/* run.c - the `run` command: plan and pre-flight (job.c), then lock,
 * scheduler, checkpoint, event log and summary. */
#include <stdlib.h>
#include <string.h>

#include "engine/run.h"

#include "state/checkpoint.h"
#include "base/clock.h"
#include "state/events.h"
#include "engine/job.h"
#include "state/lock.h"
#include "base/log.h"
#include "report/notify.h"
#include "report/refusal.h"
#include "report/report.h"
#include "engine/scheduler.h"
#include "base/signals.h"
#include "engine/upstream_wait.h"
#include "engine/waived.h"
#include "engine/estimate.h"

#include <pthread.h>

/* Once per run, before the first date: the plugin's prepare() (its
 * CREATE TABLE IF NOT EXISTS), then proof that the output table exists. */
static int prepare_output(const job *j, char *err, size_t errlen)
{
    store *rw = NULL;
    if (store_open(j->cfg, STORE_READ_WRITE, &rw, err, errlen) != BF_OK)
        return -1;
    run_ctx ctx;
    context_init(&ctx, rw, &j->p, j->cfg);
    int rc = 0, exists = 0;
    if (context_open(&ctx) != BF_OK) {
        snprintf(err, errlen, "%s: worker_init failed: %.600s", j->p.path,
                 ctx.error[0] ? ctx.error : "see the log above");
        rc = -1;
    } else if (j->p.prepare) {
        store_guard(rw, STORE_GUARD_PREPARE, j->p.desc->output_table);
        rc = j->p.prepare(&ctx.pub) == BF_OK ? 0 : -1;
        store_guard(rw, STORE_GUARD_NONE, NULL);
        if (rc != 0)
            snprintf(err, errlen, "%s: prepare() failed: %.600s", j->p.path,
                     ctx.error[0] ? ctx.error : "see the log above");
    }
    context_close(&ctx);
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
    int workers, retries, max_failures;
    double max_failure_rate;
} run_settings;

static run_settings settle(const cli_options *o, const bf_config *cfg, const plugin *p)
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
    };
    if (s.workers > 1 && !p->desc->thread_safe) {
        log_info("%s is not thread-safe: running on 1 worker instead of %d", p->desc->name,
                 s.workers);
        s.workers = 1;
    }
    return s;
}

static void record_run(checkpoint *cp, const job *j, const cli_options *o, const char *started,
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
    checkpoint_set_run(cp, "max_failures", json_integer(s->max_failures));
    checkpoint_set_run(cp, "stopped_by",
                       stop ? json_string(scheduler_stop_text(stop)) : json_null());
    checkpoint_set_run(cp, "dates", report_plan_counts_json(&j->plan));
    checkpoint_set_run(cp, "exit_code", json_integer(exit_code));
    /* Pending dates keep what an earlier run recorded, if anything. */
    json_t *dates = json_object_get(cp->root, "dates");
    for (size_t i = 0; i < j->plan.n; i++) {
        const date_entry *e = &j->plan.dates[i];
        if (!e->resumed && (e->status != DATE_PENDING || !json_object_get(dates, e->date)))
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
        if (e->status == DATE_PENDING)
            todo[(*n)++] = e;
    }
    return todo;
}

/* Skip the dates the checkpoint records complete, once the judge has
 * compared them with the store: changed or stale dates run again. */
static void resume(job *j, checkpoint *cp, const cli_options *o, FILE *out)
{
    size_t changed = 0, stale = 0;
    for (size_t i = 0; i < j->plan.n; i++) {
        const date_entry *e = &j->plan.dates[i];
        changed += e->status == DATE_PENDING && e->changed;
        stale += e->status == DATE_PENDING && e->verdict == STATE_STALE;
    }
    size_t resumed = checkpoint_resume(cp, &j->plan, o->no_stale);
    if (resumed)
        fprintf(out, "resuming: %zu dates already complete in %s (--no-resume redoes them)\n",
                resumed, cp->path);
    if (changed)
        fprintf(out, "%zu date%s changed in the store since %s published; redoing %s\n", changed,
                changed == 1 ? "" : "s", changed == 1 ? "it was" : "they were",
                changed == 1 ? "it" : "them");
    if (stale)
        fprintf(out, "%zu date%s stale: an upstream date %s read was republished since; %s\n",
                stale, stale == 1 ? " is" : "s are", stale == 1 ? "it" : "they",
                o->no_stale  ? "kept (--no-stale)"
                : stale == 1 ? "redoing it (--no-stale keeps it)"
                             : "redoing them (--no-stale keeps them)");
}

/* --purge-orphans: empty every orphaned date (blocked, still holding
 * rows) through the publish path, and record it. Returns 0 or -1 after an
 * error line. */
static int purge_orphans(job *j, checkpoint *cp, events *ev, FILE *out)
{
    store *rw = NULL;
    char err[1024];
    size_t purged = 0;
    int64_t rows = 0;
    for (size_t i = 0; i < j->plan.n; i++) {
        date_entry *e = &j->plan.dates[i];
        if (e->verdict != STATE_ORPHANED)
            continue;
        if ((!rw && store_open(j->cfg, STORE_READ_WRITE, &rw, err, sizeof err) != BF_OK) ||
            audit_purge(rw, &j->p, e->date, err, sizeof err) != BF_OK) {
            fprintf(stderr, "backfill: %s\n", err);
            store_close(rw);
            return -1;
        }
        events_emit(ev, "date_purged",
                    json_pack("{s:s, s:I, s:s?}", "date", e->date, "rows", (json_int_t)e->held_rows,
                              "reason", e->error));
        purged++;
        rows += e->held_rows;
        e->held_rows = 0;
        e->verdict = STATE_BLOCKED;
        checkpoint_record(cp, e);
    }
    store_close(rw);
    if (purged)
        fprintf(out, "purged %zu orphaned date%s: %lld rows deleted\n", purged,
                purged == 1 ? "" : "s", (long long)rows);
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
                          report_plan_counts_json(&j->plan), "stopped_by",
                          sr->stop ? scheduler_stop_text(sr->stop) : NULL));
    if (events_sync(ev, err, sizeof err) != 0) {
        log_error("writing the event log: %s", err);
        rc = EXIT_STATE_NOT_SAVED;
    }
    return rc;
}

/* Everything after pre-flight passed: returns the exit code. */
static int execute(job *j, const cli_options *o, checkpoint *cp, events *ev, const char *started,
                   double t0, FILE *out, budget *slots)
{
    char err[1024];
    run_settings s = settle(o, j->cfg, &j->p);
    size_t ntodo;
    date_entry **todo = dispatch_order(&j->plan, o->reverse, &ntodo);
    if (!todo) {
        fprintf(stderr, "backfill: out of memory\n");
        return EXIT_USAGE;
    }
    events_emit(ev, "run_started",
                json_pack("{s:s, s:s, s:i, s:i, s:b, s:s?, s:I, s:I, s:s, s:s}", "processor",
                          j->p.desc->name, "command", o->command_line ? o->command_line : "",
                          "workers", s.workers, "retries", s.retries, "skip_preflight",
                          o->skip_preflight, "skip_preflight_reason", o->reason, "dates",
                          (json_int_t)j->plan.n, "to_run", (json_int_t)ntodo, "first",
                          j->plan.n ? j->plan.dates[0].date : "", "last",
                          j->plan.n ? j->plan.dates[j->plan.n - 1].date : ""));
    events_flush(ev); /* on disk at once: `backfill ps` reads it */
    for (size_t i = 0; i < j->plan.n; i++)
        if (j->plan.dates[i].status == DATE_BLOCKED)
            events_emit(ev, "date_blocked",
                        json_pack("{s:s, s:s}", "date", j->plan.dates[i].date, "error",
                                  j->plan.dates[i].error));
    /* The read-only connection is done; writers take over. */
    store_close(j->ro);
    j->ro = NULL;
    progress pg;
    progress_init(&pg, ntodo, !o->no_progress && log_level() >= BF_LOG_INFO);
    estimate est; /* the ETA before enough dates finished */
    estimate_from(cp, 1, s.workers, &est);
    pg.est_s_per_date = est.median_s;
    scheduler_opts so = {
        .workers = s.workers,
        .max_failures = s.max_failures,
        .max_failure_rate = s.max_failure_rate,
        .interrupted = &signals_stop,
        .progress = &pg,
        .blocked = j->pre.blocked,
        .budget = slots,
        .policy = {s.retries, j->cfg->retry_backoff_ms, &signals_stop, ev, &j->checks,
                   (store_caps(j->cfg) & STORE_CAP_GROUP_PUBLISH) != 0},
    };
    scheduler_result sr = {0};
    signals_install();
    int failed =
        ntodo && (prepare_output(j, err, sizeof err) != 0 ||
                  scheduler_run(j->cfg, &j->p, todo, ntodo, &so, cp, &sr, err, sizeof err) != 0);
    signals_restore();
    progress_end(&pg);
    free(todo);
    if (failed) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    size_t counts[DATE_STATUS_COUNT];
    report_count(&j->plan, counts);
    int rc = sr.stop == STOP_INTERRUPTED ? EXIT_INTERRUPTED
             : sr.stop == STOP_CONFIG    ? EXIT_USAGE
             : report_all_done(counts)   ? EXIT_DONE
                                         : EXIT_DATES_FAILED;
    record_run(cp, j, o, started, &s, sr.stop, rc);
    double wall = clock_now_s() - t0;
    rc = save_state(cp, ev, rc, wall, j, &sr);
    if (sr.stop)
        fprintf(out, "stopped: %s, so nothing new was dispatched%s\n", scheduler_stop_text(sr.stop),
                sr.stop == STOP_INTERRUPTED ? "" : " (--keep-going continues past failures)");
    report_summary(out, o, j->cfg, j->p.desc->name, &j->plan, wall);
    if (o->json) {
        json_t *doc = report_run_json(&j->plan, &j->pre, o, j->p.desc->name, rc, wall);
        json_object_set_new(doc, "stopped_by",
                            sr.stop ? json_string(scheduler_stop_text(sr.stop)) : json_null());
        json_object_set_new(doc, "event_log", json_string(events_path(ev)));
        job_print_json(doc);
    }
    return rc;
}

/* The state_dir lock guards one state_dir; this one guards the store, which
 * runs from other state_dirs share. *guard holds it on a connection of its
 * own until closed. Returns 0 or an exit code after one error line. */
static int guard_store(const bf_config *cfg, const char *processor, store **guard)
{
    char err[1024];
    int rc = store_open(cfg, STORE_READ_ONLY, guard, err, sizeof err) != BF_OK
                 ? -1
                 : store_lock(*guard, processor, err, sizeof err);
    if (rc == 0)
        return 0;
    fprintf(stderr, "backfill: %s\n", err);
    return rc == -2 ? EXIT_LOCKED : EXIT_USAGE;
}

/* What a notification says of the plan: its range, stale and failed dates. */
static void run_outcome_dates(const plan *pl, run_outcome *res)
{
    if (pl->n) {
        snprintf(res->first, sizeof res->first, "%s", pl->dates[0].date);
        snprintf(res->last, sizeof res->last, "%s", pl->dates[pl->n - 1].date);
    }
    for (size_t i = 0; i < pl->n; i++) {
        const date_entry *e = &pl->dates[i];
        res->stale += e->verdict == STATE_STALE;
        if (e->status != DATE_FAILED && e->status != DATE_INCOMPLETE && e->status != DATE_BLOCKED)
            continue;
        if (res->nfailed < RUN_FAILED_SHOWN)
            memcpy(res->failed[res->nfailed], e->date, DATE_LEN);
        res->nfailed++;
    }
}

/* The waivers this run relies on: said, and recorded in the checkpoint's
 * run and the event log. */
static void record_waivers(const job *j, checkpoint *cp, events *ev, FILE *out)
{
    json_t *w = waived_relied_on(j);
    size_t i;
    json_t *one;
    json_array_foreach(w, i, one)
    {
        fprintf(out, "relying on the waiver of %s %s (%zu dates): %s; approved by %s, until %s\n",
                json_string_value(json_object_get(one, "table")),
                json_string_value(json_object_get(one, "dates")),
                (size_t)json_integer_value(json_object_get(one, "dates_waived")),
                json_string_value(json_object_get(one, "reason")),
                json_string_value(json_object_get(one, "approved_by")),
                json_string_value(json_object_get(one, "expires")));
    }
    if (json_array_size(w))
        events_emit(ev, "waivers_relied_on", json_pack("{s:O}", "waivers", w));
    checkpoint_set_run(cp, "waivers", w ? w : json_array());
}

/* --wait-for-upstream began: posted once per run with notify.on =
 * ["waiting"]. Processors of a pipeline may begin waiting together. */
static void post_waiting(void *arg, const job *j, const char *what)
{
    static pthread_mutex_t one_at_a_time = PTHREAD_MUTEX_INITIALIZER;
    char first[DATE_LEN] = "", last[DATE_LEN] = "";
    if (j->plan.n) {
        memcpy(first, j->plan.dates[0].date, DATE_LEN);
        memcpy(last, j->plan.dates[j->plan.n - 1].date, DATE_LEN);
    }
    pthread_mutex_lock(&one_at_a_time);
    notify_send(arg, NOTIFY_WAITING,
                json_pack("{s:s, s:s, s:{s:s, s:s}, s:s}", "command", "run", "processor",
                          j->p.desc->name, "range", "first", first, "last", last, "waiting_for",
                          what));
    pthread_mutex_unlock(&one_at_a_time);
}

/* --dry-run: how long the dates it would run should take, from the
 * durations the checkpoint records. */
static void dry_estimate(const job *j, const checkpoint *cp, const cli_options *o, run_outcome *res)
{
    size_t todo = 0;
    for (size_t i = 0; i < j->plan.n; i++)
        todo += j->plan.dates[i].status == DATE_PENDING;
    estimate e;
    estimate_from(cp, todo, settle(o, j->cfg, &j->p).workers, &e);
    estimate_text(&e, res->estimate, sizeof res->estimate);
}

/* --wait-for-upstream: the refused run waits (upstream_wait.h). */
static int wait_for_upstream(job *j, const cli_options *o, checkpoint *cp, events **ev, FILE *out,
                             run_outcome *res)
{
    int rc = upstream_wait(j, o, cp, ev, post_waiting, (void *)j->cfg, out);
    if (rc == EXIT_INTERRUPTED)
        snprintf(res->why, sizeof res->why, "interrupted while waiting for upstream");
    return rc;
}

int run_processor(const cli_options *o, const bf_config *cfg, FILE *out, budget *slots,
                  run_outcome *res)
{
    char err[1024], started[32];
    clock_utc_iso(started, sizeof started);
    double t0 = clock_now_s();
    job j;
    memset(res, 0, sizeof *res);
    int rc = job_open(&j, o, cfg);
    if (rc != 0) {
        snprintf(res->why, sizeof res->why, "could not start (see above)");
        return res->exit_code = rc;
    }
    int lock = -1;
    store *guard = NULL;
    checkpoint cp = {0};
    events *ev = NULL;
    if (!o->dry_run) {
        if (checkpoint_mkdirs(cfg->state_dir) != 0) {
            fprintf(stderr, "backfill: cannot create state_dir %s\n", cfg->state_dir);
            rc = EXIT_USAGE;
            goto out;
        }
        lock = lock_acquire(cfg->state_dir, j.p.desc->name, err, sizeof err);
        if (lock < 0) {
            fprintf(stderr, "backfill: %s\n", err);
            rc = lock == -2 ? EXIT_LOCKED : EXIT_USAGE;
            goto out;
        }
    }
    if (checkpoint_open(&cp, cfg->state_dir, j.p.desc->name, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        rc = EXIT_USAGE;
        goto out;
    }
    j.plan.own = &cp;
    rc = job_preflight(&j, o, out);
    j.plan.own = NULL; /* the run changes cp from here on */
    if (rc == 0 && j.pre.refused && o->wait_s > 0 && !o->skip_preflight && !o->dry_run)
        rc = wait_for_upstream(&j, o, &cp, &ev, out, res);
    if (rc != 0)
        goto out;
    if (!o->no_resume)
        resume(&j, &cp, o, out);
    if (o->dry_run)
        dry_estimate(&j, &cp, o, res);
    if (j.pre.refused && !o->skip_preflight) {
        fprintf(out, "refused: a required upstream table is under its coverage threshold; "
                     "nothing written\n");
        refusal_print_fix(out, o, &j);
        snprintf(res->why, sizeof res->why, "pre-flight refused");
        rc = EXIT_REFUSED;
        if (o->json)
            job_print_json(report_run_json(&j.plan, &j.pre, o, j.p.desc->name, rc, 0));
        goto out;
    }
    if (o->skip_preflight)
        log_warn("*** --skip-preflight (%s): the coverage gate is OFF for this run; this is "
                 "recorded in the checkpoint. Dates whose required upstream is missing or partial "
                 "stay blocked. ***",
                 o->reason);
    if (o->dry_run) {
        report_count(&j.plan, res->counts);
        for (size_t i = 0; i < j.plan.n; i++)
            res->redo += j.plan.dates[i].status == DATE_PENDING &&
                         (j.plan.dates[i].changed || j.plan.dates[i].verdict == STATE_STALE);
        fprintf(out, "dry run: would run %zu dates; nothing written\nestimate: %s\n",
                res->counts[DATE_PENDING], res->estimate);
        rc = EXIT_DONE;
        goto out;
    }
    /* Only now, with pre-flight passed: a refused run leaves nothing. */
    rc = guard_store(cfg, j.p.desc->name, &guard);
    if (rc != 0)
        goto out;
    if (!ev) /* opened already if it waited for upstream */
        ev = events_open(cfg->state_dir, j.p.desc->name, err, sizeof err);
    if (!ev) {
        fprintf(stderr, "backfill: %s\n", err);
        rc = EXIT_USAGE;
        goto out;
    }
    record_waivers(&j, &cp, ev, out);
    if (o->purge_orphans && purge_orphans(&j, &cp, ev, out) != 0) {
        rc = EXIT_USAGE;
        goto out;
    }
    rc = execute(&j, o, &cp, ev, started, t0, out, slots);
    report_count(&j.plan, res->counts);
    if (rc != EXIT_DONE && !res->why[0])
        snprintf(res->why, sizeof res->why, "%zu failed, %zu incomplete, %zu blocked",
                 res->counts[DATE_FAILED], res->counts[DATE_INCOMPLETE], res->counts[DATE_BLOCKED]);
out:
    run_outcome_dates(&j.plan, res);
    res->wall_s = clock_now_s() - t0;
    if (rc == EXIT_LOCKED || (rc == EXIT_USAGE && !res->why[0]))
        snprintf(res->why, sizeof res->why, "%s",
                 rc == EXIT_LOCKED ? "locked by another run" : "error (see above)");
    events_close(ev);
    checkpoint_close(&cp);
    store_close(guard);
    lock_release(lock);
    job_close(&j);
    return res->exit_code = rc;
}

int cmd_run(const cli_options *o, const bf_config *cfg)
{
    run_outcome res;
    int rc = run_processor(o, cfg, o->json ? stderr : stdout, NULL, &res);
    if (!o->dry_run)
        notify_run(o, cfg, o->processor, &res);
    return rc;
}
