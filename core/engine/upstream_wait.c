/* upstream_wait.c - see upstream_wait.h. The gate is judged again by
 * re-opening the job: a fresh plan and a fresh judgement, exactly as a new
 * run would see the store, never a patched old one. */
#include "engine/upstream_wait.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/exit_code.h"
#include "base/log.h"
#include "base/signals.h"

void upstream_wait_what(const job *j, char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < j->pre.n && n < outlen; i++) {
        const dep_coverage *dc = &j->pre.deps[i];
        if (dc->passed || dc->dep->requirement != BF_REQUIRED)
            continue;
        size_t need = (size_t)ceil(dc->threshold * (double)dc->expected - 1e-9);
        if (dc->table_missing)
            n += (size_t)snprintf(out + n, outlen - n, "%s%s (table does not exist)", n ? "; " : "",
                                  dc->dep->table);
        else
            n += (size_t)snprintf(out + n, outlen - n, "%s%s %zu/%zu, needs %zu", n ? "; " : "",
                                  dc->dep->table, dc->covered + dc->unverified + dc->waived,
                                  dc->expected, need);
    }
}

/* j judged again from scratch. Returns 0 or an exit code (j closed). */
static int rejudge(job *j, const run_request *rq, checkpoint *cp, run_result *res)
{
    const bf_config *cfg = j->cfg;
    log_set_scope(NULL, NULL); /* the scope's name lives in the plugin */
    job_close(j);
    int rc = job_open(j, rq->processor, &rq->dates, cfg, res->error, sizeof res->error);
    if (rc != 0)
        return rc;
    j->plan.own = cp;
    rc = job_preflight(j, res->error, sizeof res->error);
    j->plan.own = NULL;
    if (rc != 0)
        job_close(j);
    return rc;
}

static json_t *wait_fields(const job *j, const char *what, double waited)
{
    return json_pack("{s:s, s:s, s:f}", "processor", j->p.desc->name, "waiting_for", what,
                     "waited_s", waited);
}

int upstream_wait(job *j, const run_request *rq, checkpoint *cp, events **ev, run_result *res)
{
    const run_hooks *h = &rq->hooks;
    double t0 = clock_now_s(), since = rq->wait_until - rq->wait_s;
    if (!*ev &&
        !(*ev = events_open(j->cfg->state_dir, j->p.desc->name, res->error, sizeof res->error)))
        return EXIT_USAGE;
    snprintf(res->event_log, sizeof res->event_log, "%s", events_path(*ev));
    upstream_wait_what(j, res->waiting_for, sizeof res->waiting_for);
    events_emit(*ev, "waiting",
                json_pack("{s:s, s:s, s:f, s:i}", "processor", j->p.desc->name, "waiting_for",
                          res->waiting_for, "timeout_s", rq->wait_until - t0, "poll_s",
                          rq->poll_s));
    events_flush(*ev);
    int rc = 0, interrupted = 0, first = 1;
    signals_install();
    while (j->pre.refused) {
        double now = clock_now_s(), left = rq->wait_until - now;
        double pause = left <= 0 ? 0 : left < rq->poll_s ? left : rq->poll_s;
        upstream_wait_what(j, res->waiting_for, sizeof res->waiting_for);
        /* Told at least once, even when the time ran out before the wait
         * began (a slow start): the hook posts the wait's notification. */
        if (h->waiting && (first || left > 0))
            h->waiting(h->udata, j, res->waiting_for, first, now - since, rq->wait_s, ceil(pause));
        first = 0;
        if (left <= 0)
            break;
        if (signals_wait_ms((long)(pause * 1000.0 + 0.5))) {
            interrupted = 1;
            break;
        }
        if ((rc = rejudge(j, rq, cp, res)) != 0)
            break;
    }
    signals_restore();
    res->waited_s = clock_now_s() - t0;
    if (rc != 0)
        return rc;
    upstream_wait_what(j, res->waiting_for, sizeof res->waiting_for);
    res->wait_end = interrupted ? WAIT_INTERRUPTED : j->pre.refused ? WAIT_TIMED_OUT : WAIT_READY;
    static const char *const names[] = {"", "upstream_ready", "wait_timed_out", "wait_interrupted"};
    events_emit(*ev, names[res->wait_end], wait_fields(j, res->waiting_for, res->waited_s));
    return interrupted ? EXIT_INTERRUPTED : 0;
}
