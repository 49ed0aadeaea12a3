/* run_text.c - see run_text.h. */
#include "report/run_text.h"

#include "base/exit_code.h"
#include "engine/scheduler.h"
#include "report/notify.h"
#include "report/preflight_text.h"
#include "report/refusal.h"

#include <pthread.h>
#include <string.h>

#include "base/log.h"

static void hms(double s, char *out, size_t len)
{
    long t = s > 0 ? (long)s : 0;
    snprintf(out, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

/* --wait-for-upstream, every poll: one line on stderr, live even in a
 * pipeline (whose report is held until the processor ends); the first
 * poll posted once with notify.on = ["waiting"]. */
static void waiting(void *udata, const job *j, const char *what, int first, double waited_s,
                    double total_s, double next_s)
{
    static pthread_mutex_t one_post = PTHREAD_MUTEX_INITIALIZER;
    run_text *rt = udata;
    char waited[32], total[32];
    hms(waited_s, waited, sizeof waited);
    hms(total_s, total, sizeof total);
    if (log_level() >= BF_LOG_INFO)
        fprintf(stderr, "%s: waiting for upstream: %s (waited %s of %s; next check in %.0f s)\n",
                j->p.desc->name, what, waited, total, next_s);
    if (!first || !rt->notify_cfg)
        return;
    char from[DATE_LEN] = "", to[DATE_LEN] = "";
    if (j->plan.n) {
        memcpy(from, j->plan.dates[0].date, DATE_LEN);
        memcpy(to, j->plan.dates[j->plan.n - 1].date, DATE_LEN);
    }
    pthread_mutex_lock(&one_post); /* processors of a pipeline may begin together */
    notify_send(rt->notify_cfg, NOTIFY_WAITING,
                json_pack("{s:s, s:s, s:{s:s, s:s}, s:s}", "command", "run", "processor",
                          j->p.desc->name, "range", "first", from, "last", to, "waiting_for",
                          what));
    pthread_mutex_unlock(&one_post);
}

/* How the wait ended, and the waivers the run relies on. */
static void tell_wait_and_waivers(FILE *out, const run_result *res)
{
    char waited[32];
    hms(res->waited_s, waited, sizeof waited);
    if (res->wait_end == WAIT_READY)
        fprintf(out, "upstream ready after waiting %s\n", waited);
    else if (res->wait_end == WAIT_TIMED_OUT)
        fprintf(out, "waited %s for upstream, still short: %s\n", waited, res->waiting_for);
    size_t i;
    json_t *w;
    json_array_foreach(res->waivers, i, w)
    {
        fprintf(out, "relying on the waiver of %s %s (%lld dates): %s; approved by %s, until %s\n",
                json_string_value(json_object_get(w, "table")),
                json_string_value(json_object_get(w, "dates")),
                (long long)json_integer_value(json_object_get(w, "dates_waived")),
                json_string_value(json_object_get(w, "reason")),
                json_string_value(json_object_get(w, "approved_by")),
                json_string_value(json_object_get(w, "expires")));
    }
}

/* "N dates are stale|outdated: WHY; redoing them (FLAG keeps them)". */
static void redo_line(FILE *out, size_t n, const char *state, const char *why, int mixed,
                      const char *among, int kept, const char *flag)
{
    if (!n)
        return;
    fprintf(out, "%zu date%s %s: %s%s; ", n, n == 1 ? " is" : "s are", state, why,
            mixed ? among : "");
    if (kept)
        fprintf(out, "kept (%s)\n", flag);
    else
        fprintf(out, "redoing %s (%s keeps %s)\n", n == 1 ? "it" : "them", flag,
                n == 1 ? "it" : "them");
}

static void ready(void *udata, const run_result *res)
{
    run_text *rt = udata;
    FILE *out = rt->out;
    report_preflight(out, res->job, rt->verbose);
    tell_wait_and_waivers(out, res);
    rt->est_s_per_date = res->est_s_per_date;
    if (res->resumed)
        fprintf(out, "resuming: %zu dates already complete in %s (--no-resume redoes them)\n",
                res->resumed, res->checkpoint);
    const preflight_report *pre = &res->job->pre;
    /* Of the stale dates (counted when resuming), those a raw input made so. */
    size_t raw = res->stale >= pre->raw_stale.n ? pre->raw_stale.n : 0;
    size_t changed = res->changed, stale = res->stale - raw;
    if (changed)
        fprintf(out, "%zu date%s changed in the store since %s published; redoing %s\n", changed,
                changed == 1 ? "" : "s", changed == 1 ? "it was" : "they were",
                changed == 1 ? "it" : "them");
    if (stale)
        fprintf(out, "%zu date%s stale: an upstream date %s read was republished since; %s\n",
                stale, stale == 1 ? " is" : "s are", stale == 1 ? "it" : "they",
                res->keep_stale ? "kept (--no-stale)"
                : stale == 1    ? "redoing it (--no-stale keeps it)"
                                : "redoing them (--no-stale keeps them)");
    /* A changed raw input and a new code or config, each with its reason. */
    redo_line(out, raw, "stale", pre->raw_stale.why, pre->raw_stale.mixed,
              ", among other raw changes", res->keep_stale, "--no-stale");
    redo_line(out, res->outdated, "outdated", pre->outdated.why, pre->outdated.mixed,
              ", among other reasons", res->keep_outdated, "--keep-outdated");
}

static void started(void *udata, size_t total)
{
    run_text *rt = udata;
    progress_init(&rt->pg, total, rt->progress);
    rt->pg.est_s_per_date = rt->est_s_per_date;
}

static void advanced(void *udata, size_t done, size_t failed, size_t blocked)
{
    run_text *rt = udata;
    progress_update(&rt->pg, done, failed, blocked);
}

static void ended(void *udata)
{
    run_text *rt = udata;
    progress_end(&rt->pg);
}

run_hooks run_text_hooks(run_text *rt)
{
    return (run_hooks){.udata = rt,
                       .ready = ready,
                       .started = started,
                       .progress = advanced,
                       .ended = ended,
                       .waiting = waiting};
}

static void print_json(const run_text *rt, const run_result *res)
{
    const job *j = res->job;
    json_t *doc = report_run_json(&j->plan, &j->pre, rt->skip_preflight, j->p.desc->name,
                                  res->exit_code, res->refused ? 0 : res->wall_s);
    if (!res->refused) {
        json_object_set_new(doc, "stopped_by",
                            res->stop ? json_string(scheduler_stop_text(res->stop)) : json_null());
        json_object_set_new(doc, "event_log", json_string(res->event_log));
    }
    report_print_json(doc);
}

void run_text_end(run_text *rt, const run_result *res, const bf_config *cfg)
{
    FILE *out = rt->out;
    if (res->error[0])
        fprintf(stderr, "backfill: %s\n", res->error);
    const job *j = res->job;
    if (res->wait_end == WAIT_INTERRUPTED) {
        char waited[32];
        hms(res->waited_s, waited, sizeof waited);
        fprintf(out, "interrupted while waiting for upstream (%s); nothing written\n", waited);
        return;
    }
    if (!j)
        return;
    if (res->refused) {
        fprintf(out, "refused: a required upstream table is under its coverage threshold; "
                     "nothing written\n");
        refusal_print_fix(out, rt->inv, &rt->dates, j);
        if (rt->json)
            print_json(rt, res);
        return;
    }
    if (!res->event_log[0]) { /* ended before any date: a dry run, or an error */
        if (res->exit_code == EXIT_DONE)
            fprintf(out, "dry run: would run %zu dates; nothing written\nestimate: %s\n",
                    res->counts[STATE_PENDING], res->estimate);
        return;
    }
    if (res->purged)
        fprintf(out, "purged %zu orphaned date%s: %lld rows deleted\n", res->purged,
                res->purged == 1 ? "" : "s", (long long)res->purged_rows);
    if (res->exit_code == EXIT_USAGE && res->error[0] && !res->stop)
        return; /* the run could not start its dates */
    if (res->stop)
        fprintf(out, "stopped: %s, so nothing new was dispatched%s\n",
                scheduler_stop_text(res->stop),
                res->stop == STOP_INTERRUPTED ? "" : " (--keep-going continues past failures)");
    report_summary(out, rt->inv, cfg, j->p.desc->name, &j->plan, res->wall_s);
    if (rt->json)
        print_json(rt, res);
}
