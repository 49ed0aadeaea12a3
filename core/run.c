/* run.c - the `run` and `verify` commands: plan, pre-flight, then (for
 * run) the scheduler, the checkpoint and the summary. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "checkpoint.h"
#include "cli.h"
#include "context.h"
#include "log.h"
#include "preflight.h"
#include "report.h"
#include "scheduler.h"

/* What run and verify share: a loaded plugin, a read-only connection and
 * the plan with pre-flight applied. */
typedef struct job {
    const bf_config *cfg;
    plugin p;
    store *ro;
    date_selection sel;
    plan plan;
    preflight_report pre;
} job;

static void job_close(job *j)
{
    preflight_report_free(&j->pre);
    plan_free(&j->plan);
    date_selection_free(&j->sel);
    store_close(j->ro);
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
        loader_load(cfg->plugin_dir, o->processor, &j->p, err, sizeof err) != BF_OK ||
        store_open(cfg, STORE_READ_ONLY, &j->ro, err, sizeof err) != BF_OK)
        goto fail;
    log_set_scope(j->p.desc->name, NULL);
    date_list calendar = {0};
    int rc = calendar_load(j->ro, cfg, j->sel.first, j->sel.last, &calendar, err, sizeof err);
    if (rc == 0) {
        int boot = j->p.desc->bootstrap_days == BF_DEFAULT_BOOTSTRAP ? cfg->bootstrap_days
                                                                    : j->p.desc->bootstrap_days;
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
    if (preflight_run(j->ro, j->cfg, &j->p, &j->plan, &j->pre, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    size_t skipped = j->plan.n - j->plan.expected;
    fprintf(out, "%s: %zu calendar dates, %zu skipped as bootstrap, %zu expected\n",
            j->p.desc->name, j->plan.n, skipped, j->plan.expected);
    preflight_print(&j->pre, &j->p, o->verbose, out);
    return 0;
}

int cmd_verify(const cli_options *o, const bf_config *cfg)
{
    job j;
    int rc = job_open(&j, o, cfg);
    if (rc != 0)
        return rc;
    rc = job_preflight(&j, o, stdout);
    if (rc == 0) {
        rc = j.pre.refused ? EXIT_REFUSED : EXIT_DONE;
        printf("%s\n", rc == EXIT_DONE ? "ready: every required upstream table is covered"
                                       : "refused: a required upstream table is under its "
                                         "coverage threshold");
    }
    job_close(&j);
    return rc;
}

static void now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
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
    if (j->p.prepare && j->p.prepare(&ctx.pub) != BF_OK) {
        snprintf(err, errlen, "%s: prepare() failed: %.600s", j->p.path,
                 ctx.error[0] ? ctx.error : "see the log above");
        rc = -1;
    } else if (store_table_exists(rw, j->p.desc->output_table, &exists) != BF_OK) {
        snprintf(err, errlen, "%s", store_error(rw));
        rc = -1;
    } else if (!exists) {
        snprintf(err, errlen, "output table %s does not exist and %s has no prepare() creating it",
                 j->p.desc->output_table, j->p.path);
        rc = -1;
    }
    store_close(rw);
    return rc;
}

static void record_run(checkpoint *cp, const job *j, const cli_options *o, const char *started,
                       int workers, int retries, int exit_code)
{
    char finished[32];
    now_iso(finished);
    size_t counts[DATE_STATUS_COUNT];
    report_count(&j->plan, counts);
    json_t *c = json_object();
    for (int s = 0; s < DATE_STATUS_COUNT; s++)
        json_object_set_new(c, date_status_name(s), json_integer((json_int_t)counts[s]));
    checkpoint_set_run(cp, "started_at", json_string(started));
    checkpoint_set_run(cp, "finished_at", json_string(finished));
    checkpoint_set_run(cp, "command", json_string(o->command_line ? o->command_line : ""));
    checkpoint_set_run(cp, "skip_preflight", json_boolean(o->skip_preflight));
    checkpoint_set_run(cp, "workers", json_integer(workers));
    checkpoint_set_run(cp, "retries", json_integer(retries));
    checkpoint_set_run(cp, "keep_going", json_boolean(o->keep_going));
    checkpoint_set_run(cp, "dates", c);
    checkpoint_set_run(cp, "exit_code", json_integer(exit_code));
    /* Pending dates keep what an earlier run recorded, if anything. */
    json_t *dates = json_object_get(cp->root, "dates");
    for (size_t i = 0; i < j->plan.n; i++) {
        const date_entry *e = &j->plan.dates[i];
        if (!e->resumed && (e->status != DATE_PENDING || !json_object_get(dates, e->date)))
            checkpoint_record(cp, e);
    }
}

int cmd_run(const cli_options *o, const bf_config *cfg)
{
    char err[1024], started[32];
    now_iso(started);
    double t0 = now_s();
    job j;
    int rc = job_open(&j, o, cfg);
    if (rc != 0)
        return rc;
    checkpoint cp = {0};
    if (checkpoint_open(&cp, cfg->state_dir, j.p.desc->name, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        rc = EXIT_USAGE;
        goto out;
    }
    if (!o->no_resume) {
        size_t resumed = checkpoint_resume(&cp, &j.plan);
        if (resumed)
            printf("resuming: %zu dates already complete in %s (--no-resume redoes them)\n",
                   resumed, cp.path);
    }
    rc = job_preflight(&j, o, stdout);
    if (rc != 0)
        goto out;
    if (j.pre.refused && !o->skip_preflight) {
        printf("refused: a required upstream table is under its coverage threshold; nothing "
               "written\n");
        rc = EXIT_REFUSED;
        goto out;
    }
    if (o->skip_preflight)
        log_warn("*** --skip-preflight: the coverage gate is OFF for this run; this is recorded "
                 "in the checkpoint. Dates whose required upstream is empty stay blocked. ***");

    size_t ntodo = 0;
    date_entry **todo = calloc(j.plan.n ? j.plan.n : 1, sizeof *todo);
    if (!todo) {
        fprintf(stderr, "backfill: out of memory\n");
        rc = EXIT_USAGE;
        goto out;
    }
    for (size_t i = 0; i < j.plan.n; i++) {
        size_t k = o->reverse ? j.plan.n - 1 - i : i;
        if (j.plan.dates[k].status == DATE_PENDING)
            todo[ntodo++] = &j.plan.dates[k];
    }
    int workers = o->workers > 0 ? o->workers : cfg->workers;
    int retries = o->retries >= 0 ? o->retries : cfg->retries;
    if (workers > 1 && !j.p.desc->thread_safe) {
        log_info("%s is not thread-safe: running on 1 worker instead of %d", j.p.desc->name,
                 workers);
        workers = 1;
    }
    if (o->dry_run) {
        printf("dry run: would run %zu dates on %d worker%s; nothing written\n", ntodo, workers,
               workers == 1 ? "" : "s");
        free(todo);
        rc = EXIT_DONE;
        goto out;
    }
    if (checkpoint_mkdirs(cfg->state_dir) != 0) {
        fprintf(stderr, "backfill: cannot create state_dir %s\n", cfg->state_dir);
        free(todo);
        rc = EXIT_USAGE;
        goto out;
    }
    /* The read-only connection is done; writers take over. */
    store_close(j.ro);
    j.ro = NULL;
    scheduler_result sr = {0};
    if (ntodo && (prepare_output(&j, err, sizeof err) != 0 ||
                  scheduler_run(cfg, &j.p, todo, ntodo,
                                &(scheduler_opts){workers, o->keep_going,
                                                  {retries, cfg->retry_backoff_ms, NULL}},
                                &cp, &sr, err, sizeof err) != 0)) {
        fprintf(stderr, "backfill: %s\n", err);
        free(todo);
        rc = EXIT_USAGE;
        goto out;
    }
    free(todo);
    size_t counts[DATE_STATUS_COUNT];
    report_count(&j.plan, counts);
    rc = report_all_done(counts) ? EXIT_DONE : EXIT_DATES_FAILED;
    record_run(&cp, &j, o, started, workers, retries, rc);
    if (checkpoint_save(&cp, err, sizeof err) != 0)
        log_error("saving checkpoint: %s", err);
    if (sr.stopped_on_failure)
        printf("stopped: a date failed every attempt, so nothing new was dispatched "
               "(--keep-going continues past failures)\n");
    report_summary(stdout, o, cfg, j.p.desc->name, &j.plan, now_s() - t0);
out:
    checkpoint_close(&cp);
    job_close(&j);
    return rc;
}
