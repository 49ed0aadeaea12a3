/* upstream_wait.c - see upstream_wait.h. The gate is judged again by
 * re-opening the job: a fresh plan and a fresh judgement, exactly as a new
 * run would see the store, never a patched old one. */
#include "engine/upstream_wait.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
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
                                  dc->dep->table, dc->covered + dc->unverified, dc->expected, need);
    }
}

static void hms(double s, char *out, size_t len)
{
    long t = s > 0 ? (long)s : 0;
    snprintf(out, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

/* j judged again from scratch; the report into a memory stream, handed
 * back in *text (malloc'd). Returns 0 or an exit code (j closed). */
static int rejudge(job *j, const cli_options *o, checkpoint *cp, char **text)
{
    const bf_config *cfg = j->cfg;
    size_t len = 0;
    log_set_scope(NULL, NULL); /* the scope's name lives in the plugin */
    job_close(j);
    int rc = job_open(j, o, cfg);
    if (rc != 0)
        return rc;
    j->plan.own = cp;
    free(*text);
    *text = NULL;
    FILE *mem = open_memstream(text, &len);
    rc = job_preflight(j, o, mem ? mem : stderr);
    if (mem)
        fclose(mem);
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

int upstream_wait(job *j, const cli_options *o, checkpoint *cp, events **ev, wait_begun_fn begun,
                  void *arg, FILE *out)
{
    char what[1024], err[1024], waited[32], total[32];
    const char *name = j->p.desc->name;
    double t0 = clock_now_s();
    if (!*ev && !(*ev = events_open(j->cfg->state_dir, name, err, sizeof err))) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    upstream_wait_what(j, what, sizeof what);
    events_emit(*ev, "waiting",
                json_pack("{s:s, s:s, s:f, s:i}", "processor", name, "waiting_for", what,
                          "timeout_s", o->wait_until - t0, "poll_s", o->poll_s));
    events_flush(*ev);
    if (begun)
        begun(arg, j, what);
    /* Counted from the command's start: a pipeline's processor may begin
     * waiting late, and then has less left. */
    double since = o->wait_until - o->wait_s;
    hms(o->wait_s, total, sizeof total);
    char *text = NULL;
    int rc = 0, interrupted = 0;
    signals_install();
    while (j->pre.refused) {
        double now = clock_now_s(), left = o->wait_until - now;
        if (left <= 0)
            break;
        double pause = left < o->poll_s ? left : o->poll_s;
        hms(now - since, waited, sizeof waited);
        upstream_wait_what(j, what, sizeof what);
        if (log_level() >= BF_LOG_INFO)
            fprintf(stderr,
                    "%s: waiting for upstream: %s (waited %s of %s; next check in %.0f s)\n",
                    j->p.desc->name, what, waited, total, ceil(pause));
        if (signals_wait_ms((long)(pause * 1000.0 + 0.5))) {
            interrupted = 1;
            break;
        }
        if ((rc = rejudge(j, o, cp, &text)) != 0)
            break;
    }
    signals_restore();
    double spent = clock_now_s() - t0;
    if (rc == 0) {
        upstream_wait_what(j, what, sizeof what);
        hms(spent, waited, sizeof waited);
        const char *ev_name = interrupted      ? "wait_interrupted"
                              : j->pre.refused ? "wait_timed_out"
                                               : "upstream_ready";
        events_emit(*ev, ev_name, wait_fields(j, what, spent));
        if (text)
            fputs(text, out);
        if (interrupted)
            fprintf(out, "interrupted while waiting for upstream (%s); nothing written\n", waited);
        else if (j->pre.refused)
            fprintf(out, "waited %s for upstream, still short: %s\n", waited, what);
        else
            fprintf(out, "upstream ready after waiting %s\n", waited);
    }
    free(text);
    return interrupted ? EXIT_INTERRUPTED : rc;
}
