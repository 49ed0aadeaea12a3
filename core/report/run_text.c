/* run_text.c - see run_text.h. */
#include "report/run_text.h"

#include "engine/scheduler.h"
#include "report/preflight_text.h"

static void ready(void *udata, const run_result *res)
{
    run_text *rt = udata;
    FILE *out = rt->out;
    report_preflight(out, res->job, rt->verbose);
    if (res->resumed)
        fprintf(out, "resuming: %zu dates already complete in %s (--no-resume redoes them)\n",
                res->resumed, res->checkpoint);
    size_t changed = res->changed, stale = res->stale;
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
}

static void started(void *udata, size_t total)
{
    run_text *rt = udata;
    progress_init(&rt->pg, total, rt->progress);
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
    return (run_hooks){
        .udata = rt, .ready = ready, .started = started, .progress = advanced, .ended = ended};
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
    if (!j)
        return;
    if (res->refused) {
        fprintf(out, "refused: a required upstream table is under its coverage threshold; "
                     "nothing written\n");
        if (rt->json)
            print_json(rt, res);
        return;
    }
    if (!res->event_log[0]) { /* ended before any date: a dry run, or an error */
        if (res->exit_code == 0)
            fprintf(out, "dry run: would run %zu dates; nothing written\n",
                    res->counts[DATE_PENDING]);
        return;
    }
    if (res->purged)
        fprintf(out, "purged %zu orphaned date%s: %lld rows deleted\n", res->purged,
                res->purged == 1 ? "" : "s", (long long)res->purged_rows);
    if (res->exit_code == 2 && res->error[0] && !res->stop)
        return; /* the run could not start its dates */
    if (res->stop)
        fprintf(out, "stopped: %s, so nothing new was dispatched%s\n",
                scheduler_stop_text(res->stop),
                res->stop == STOP_INTERRUPTED ? "" : " (--keep-going continues past failures)");
    report_summary(out, rt->inv, cfg, j->p.desc->name, &j->plan, res->wall_s);
    if (rt->json)
        print_json(rt, res);
}
