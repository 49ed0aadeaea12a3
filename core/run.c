/* run.c - the `run` and `verify` commands: plan, pre-flight, then (for
 * run) lock, scheduler, checkpoint, event log and summary. */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "check_measure.h"
#include "checkpoint.h"
#include "cli.h"
#include "context.h"
#include "run.h"
#include "events.h"
#include "graph.h"
#include "lock.h"
#include "clock.h"
#include "log.h"
#include "plugin_config.h"
#include "judge.h"
#include "plugin_path.h"
#include "preflight.h"
#include "report.h"
#include "scheduler.h"
#include "signals.h"

/* What run and verify share: a loaded plugin, a read-only connection and
 * the plan with pre-flight applied. */
typedef struct job {
    const bf_config *cfg;
    plugin p;
    graph g; /* every processor: who writes what p reads */
    store *ro;
    date_selection sel;
    plan plan;
    preflight_report pre;
    check_set checks; /* the effective quality checks */
} job;

static void job_close(job *j)
{
    preflight_report_free(&j->pre);
    checks_free(&j->checks);
    plan_free(&j->plan);
    date_selection_free(&j->sel);
    store_close(j->ro);
    graph_free(&j->g);
    loader_unload(&j->p);
}

/* Load, plan and measure. Returns 0 or an exit code after one error line.
 * Nothing here writes: the store is opened read-only. */
static int job_open(job *j, const cli_options *o, const bf_config *cfg)
{
    char err[1024];
    memset(j, 0, sizeof *j);
    j->cfg = cfg;
    if (date_selection_parse(o->start_date, o->end_date, o->dates, o->dates_file, &j->sel, err,
                             sizeof err) != 0 ||
        plugin_path_load(cfg, o->processor, &j->p, err, sizeof err) != BF_OK ||
        graph_open(cfg, &j->g, err, sizeof err) != BF_OK ||
        graph_refuses(&j->g, o->processor, err, sizeof err) != BF_OK ||
        plugin_config_sections(cfg, err, sizeof err) != 0 ||
        plugin_config_check(cfg, &j->p, err, sizeof err) != 0 ||
        checks_load(cfg, &j->p, &j->checks, err, sizeof err) != 0 ||
        store_open(cfg, STORE_READ_ONLY, &j->ro, err, sizeof err) != BF_OK)
        goto fail;
    log_set_scope(j->p.desc->name, NULL);
    date_list calendar = {0};
    int rc = calendar_load(j->ro, cfg, j->sel.first, j->sel.last, &calendar, err, sizeof err);
    if (rc == 0) {
        int boot = loader_bootstrap_days(&j->p, cfg->bootstrap_days);
        rc = plan_build(&j->plan, &calendar, &j->sel, cfg->seasons, cfg->nseasons, boot);
        if (rc != 0)
            snprintf(err, sizeof err, "out of memory");
    }
    date_list_free(&calendar);
    if (rc != 0)
        goto fail;
    for (size_t i = 0; i < j->plan.off_calendar.n; i++) {
        char d[DATE_LEN];
        date_format(j->plan.off_calendar.days[i], d);
        log_warn("%s is not a date of calendar %s.%s: nothing expected, ignored", d,
                 cfg->calendar_table, cfg->calendar_column);
    }
    return 0;
fail:
    fprintf(stderr, "backfill: %s\n", err);
    job_close(j);
    return EXIT_USAGE;
}

static int job_preflight(job *j, const cli_options *o, FILE *out)
{
    char err[1024];
    if (preflight_run(j->ro, j->cfg, &j->g, &j->p, &j->plan, &j->pre, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    fprintf(out, "%s: %zu calendar dates, %zu skipped as bootstrap, %zu expected\n",
            j->p.desc->name, j->plan.n, j->plan.n - j->plan.expected, j->plan.expected);
    preflight_print(&j->pre, &j->p, o->verbose, out);
    return 0;
}

static void print_json(json_t *doc)
{
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(doc);
}

/* verify --audit: judge every expected date as published now. Prints the
 * dates that would not pass and a command re-running them; returns how
 * many, or -1 if the store failed. *json receives the details. With adopt,
 * every unverified date (rows no backfill run recorded) that passes is
 * recorded there as published, so readers count it verified from then on. */
static long audit_dates(job *j, const cli_options *o, FILE *out, checkpoint *adopt, json_t **json)
{
    const char *table = j->p.desc->output_table;
    int exists = 0;
    if (store_table_exists(j->ro, table, &exists) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", store_error(j->ro));
        return -1;
    }
    run_ctx ctx;
    context_init(&ctx, j->ro, &j->p, j->cfg);
    if (context_open(&ctx) != BF_OK) {
        fprintf(stderr, "backfill: %s: worker_init failed%s%s\n", j->p.path,
                ctx.error[0] ? ": " : "", ctx.error);
        return -1;
    }
    const char **bad = calloc(j->plan.n + 1, sizeof *bad);
    json_t *dates = json_array();
    size_t checked = 0, n = 0, adopted = 0;
    for (size_t i = 0; bad && i < j->plan.n; i++) {
        const date_entry *e = &j->plan.dates[i];
        if (e->status == DATE_SKIPPED)
            continue;
        checked++;
        audit_result r = {.status = DATE_PENDING};
        if (exists)
            audit_published(&ctx, e->date, &r);
        else
            snprintf(r.error, sizeof r.error, "output table %s does not exist", table);
        if (r.status == DATE_COMPLETE) {
            if (adopt && e->verdict == STATE_UNVERIFIED) {
                date_entry a = *e;
                a.status = DATE_COMPLETE;
                a.expected = r.expected;
                a.actual = r.actual;
                a.validation_passed = 1;
                a.error = NULL;
                a.published_seq = audit_publish_seq();
                checkpoint_record(adopt, &a);
                adopted++;
            }
            continue;
        }
        if (n < 20)
            fprintf(out, "  %s %-10s %s\n", e->date, date_status_name(r.status), r.error);
        else if (n == 20)
            fprintf(out, "  ...\n");
        bad[n++] = e->date;
        json_array_append_new(dates, json_pack("{s:s, s:s, s:I, s:I, s:s}", "date", e->date,
                                               "status", date_status_name(r.status), "expected",
                                               (json_int_t)r.expected, "actual",
                                               (json_int_t)r.actual, "error", r.error));
    }
    context_close(&ctx);
    fprintf(out, "audit of %s: %zu of %zu expected dates complete as published\n", table,
            checked - n, checked);
    if (adopt)
        fprintf(out, "adopted %zu date%s written by another tool into %s\n", adopted,
                adopted == 1 ? "" : "s", adopt->path);
    /* The checkpoint may call these dates complete: redo them anyway. */
    report_rerun(out, o, j->cfg, j->p.desc->name, bad, n, " --no-resume");
    free(bad);
    *json = json_pack("{s:I, s:I, s:o}", "checked", (json_int_t)checked, "not_complete",
                      (json_int_t)n, "dates", dates);
    return (long)n;
}

int cmd_verify(const cli_options *o, const bf_config *cfg)
{
    if (o->outputs)
        return cmd_verify_outputs(o, cfg);
    if (o->quality)
        return cmd_verify_quality(o, cfg);
    FILE *out = o->json ? stderr : stdout;
    checkpoint cp = {0};
    int lock = -1;
    char err[1024] = "";
    job j;
    int rc = job_open(&j, o, cfg);
    if (rc != 0)
        return rc;
    rc = job_preflight(&j, o, out);
    if (rc != 0)
        goto out;
    rc = j.pre.refused ? EXIT_REFUSED : EXIT_DONE;
    size_t states[STATE_COUNT] = {0};
    for (size_t i = 0; i < j.plan.n; i++)
        states[j.plan.dates[i].verdict]++;
    fprintf(out, "%s in the store now:", j.p.desc->output_table);
    for (int k = STATE_COMPLETE; k < STATE_COUNT; k++)
        if (states[k])
            fprintf(out, " %s %zu", judge_state_name(k), states[k]);
    fprintf(out, "\n%s\n",
            rc == EXIT_DONE ? "ready: every required upstream table is covered"
                            : "refused: a required upstream table is under its coverage threshold");
    json_t *audit = NULL;
    if (o->adopt) {
        /* Adopting writes the checkpoint: under the run's lock. */
        lock = checkpoint_mkdirs(cfg->state_dir) == 0
                   ? lock_acquire(cfg->state_dir, j.p.desc->name, err, sizeof err)
                   : -1;
        if (lock < 0 || checkpoint_open(&cp, cfg->state_dir, j.p.desc->name, err, sizeof err)) {
            fprintf(stderr, "backfill: %s\n", err[0] ? err : "cannot create state_dir");
            rc = lock == -2 ? EXIT_LOCKED : EXIT_USAGE;
            goto out;
        }
    }
    if (o->audit) {
        long bad = audit_dates(&j, o, out, o->adopt ? &cp : NULL, &audit);
        if (bad < 0)
            rc = EXIT_USAGE;
        else if (bad > 0 && rc == EXIT_DONE)
            rc = EXIT_DATES_FAILED;
        if (bad >= 0 && o->adopt && checkpoint_save(&cp, err, sizeof err) != 0) {
            fprintf(stderr, "backfill: saving %s: %s\n", cp.path, err);
            rc = EXIT_USAGE;
        }
    }
    if (o->json)
        print_json(json_pack("{s:s, s:b, s:i, s:o, s:o, s:o?}", "processor", j.p.desc->name,
                             "ready", !j.pre.refused, "exit_code", rc, "dates",
                             report_plan_counts_json(&j.plan), "preflight",
                             report_preflight_json(&j.pre), "audit", audit));
    else
        json_decref(audit);
out:
    checkpoint_close(&cp);
    lock_release(lock);
    job_close(&j);
    return rc;
}

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
                json_pack("{s:s, s:s, s:i, s:i, s:b, s:s?, s:I, s:I}", "processor", j->p.desc->name,
                          "command", o->command_line ? o->command_line : "", "workers", s.workers,
                          "retries", s.retries, "skip_preflight", o->skip_preflight,
                          "skip_preflight_reason", o->reason, "dates", (json_int_t)j->plan.n,
                          "to_run", (json_int_t)ntodo));
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
    scheduler_opts so = {
        .workers = s.workers,
        .max_failures = s.max_failures,
        .max_failure_rate = s.max_failure_rate,
        .interrupted = &signals_stop,
        .progress = &pg,
        .blocked = j->pre.blocked,
        .budget = slots,
        .policy = {s.retries, j->cfg->retry_backoff_ms, &signals_stop, ev, &j->checks},
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
    if (checkpoint_save(cp, err, sizeof err) != 0)
        log_error("saving checkpoint: %s", err);
    double wall = clock_now_s() - t0;
    events_emit(ev, "run_finished",
                json_pack("{s:i, s:f, s:o, s:s?}", "exit_code", rc, "wall_s", wall, "dates",
                          report_plan_counts_json(&j->plan), "stopped_by",
                          sr.stop ? scheduler_stop_text(sr.stop) : NULL));
    if (sr.stop)
        fprintf(out, "stopped: %s, so nothing new was dispatched%s\n", scheduler_stop_text(sr.stop),
                sr.stop == STOP_INTERRUPTED ? "" : " (--keep-going continues past failures)");
    report_summary(out, o, j->cfg, j->p.desc->name, &j->plan, wall);
    if (o->json) {
        json_t *doc = report_run_json(&j->plan, &j->pre, o, j->p.desc->name, rc, wall);
        json_object_set_new(doc, "stopped_by",
                            sr.stop ? json_string(scheduler_stop_text(sr.stop)) : json_null());
        json_object_set_new(doc, "event_log", json_string(events_path(ev)));
        print_json(doc);
    }
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
    rc = job_preflight(&j, o, out);
    if (rc != 0)
        goto out;
    if (!o->no_resume)
        resume(&j, &cp, o, out);
    if (j.pre.refused && !o->skip_preflight) {
        fprintf(out, "refused: a required upstream table is under its coverage threshold; "
                     "nothing written\n");
        snprintf(res->why, sizeof res->why, "pre-flight refused");
        rc = EXIT_REFUSED;
        if (o->json)
            print_json(report_run_json(&j.plan, &j.pre, o, j.p.desc->name, rc, 0));
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
        fprintf(out, "dry run: would run %zu dates; nothing written\n", res->counts[DATE_PENDING]);
        rc = EXIT_DONE;
        goto out;
    }
    ev = events_open(cfg->state_dir, j.p.desc->name, err, sizeof err);
    if (!ev) {
        fprintf(stderr, "backfill: %s\n", err);
        rc = EXIT_USAGE;
        goto out;
    }
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
    res->wall_s = clock_now_s() - t0;
    if (rc == EXIT_LOCKED || (rc == EXIT_USAGE && !res->why[0]))
        snprintf(res->why, sizeof res->why, "%s",
                 rc == EXIT_LOCKED ? "locked by another run" : "error (see above)");
    events_close(ev);
    checkpoint_close(&cp);
    lock_release(lock);
    job_close(&j);
    return res->exit_code = rc;
}

int cmd_run(const cli_options *o, const bf_config *cfg)
{
    run_outcome res;
    return run_processor(o, cfg, o->json ? stderr : stdout, NULL, &res);
}
