/* pipeline.c - the `pipeline` command: every selected processor in the
 * order the graph gives, each started as soon as everything it reads has
 * finished complete, all of them sharing one budget of worker slots.
 *
 * Each processor runs exactly as `run` would (its own lock, checkpoint,
 * pre-flight and resume); its pre-flight is judged when it starts, that
 * is after its upstream processors finished, never before. A processor
 * that fails or is refused leaves its dependents "not started"; by
 * default nothing new starts after a failure, with --keep-going the
 * independent branches go on. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "engine/graph.h"
#include "engine/judge.h"
#include "base/log.h"
#include "cli/cli.h"
#include "cli/pipeline_dry.h"
#include "report/notify.h"
#include "report/run_text.h"
#include "engine/run.h"
#include "base/signals.h"

enum node_state { NODE_OUT = 0, NODE_WAITING, NODE_RUNNING, NODE_DONE, NODE_NOT_STARTED };

typedef struct pipeline pipeline;

typedef struct task {
    pipeline *pl;
    size_t node;
    int state;
    run_result res;
    char not_started[256];
    char *text; /* what the processor reported, printed when it ends */
    size_t textlen;
    pthread_t thread;
    int reaped; /* joined and reported */
} task;

struct pipeline {
    const cli_options *o;
    const bf_config *cfg;
    graph g;
    task *tasks; /* per graph node */
    budget slots;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int failed; /* a processor ended with another exit than 0 */
    /* Processors running at once: one more than the worker slots, so one
     * judges its dates while the others run theirs. Each running processor
     * holds its checkpoint and plan in memory and saves its checkpoint
     * every interval; starting every ready processor at once made memory
     * and those saves grow with the graph's width times its dates. */
    size_t max_running;
    /* The raw tables' counts and fingerprints, read once for every
     * processor that reads them (judge_cache_new_raw). */
    judge_cache *raw;
};

static void *run_task(void *arg)
{
    task *t = arg;
    pipeline *pl = t->pl;
    FILE *out = open_memstream(&t->text, &t->textlen);
    invocation inv = cli_invocation(pl->o);
    /* The pipeline says what runs: no progress line of each processor. */
    run_text rt = {.out = out ? out : stderr,
                   .verbose = pl->o->verbose,
                   .inv = &inv,
                   .dates = cli_dates(pl->o),
                   .notify_cfg = pl->cfg};
    run_request rq = cli_run_request(pl->o);
    rq.processor = pl->g.nodes[t->node].name;
    rq.graph = &pl->g; /* each plugin loaded once, by the pipeline's graph */
    rq.cache = pl->raw;
    rq.hooks = run_text_hooks(&rt);
    run_processor(&rq, pl->cfg, &pl->slots, &t->res);
    run_text_end(&rt, &t->res, pl->cfg);
    run_result_free(&t->res);
    if (out)
        fclose(out);
    pthread_mutex_lock(&pl->lock);
    t->state = NODE_DONE;
    pl->failed |= t->res.exit_code != EXIT_DONE;
    pthread_cond_broadcast(&pl->changed);
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

/* Whether n reads a table of processor up as a required dependency: an
 * optional one has a fallback, so its failure does not stop n (n still
 * waits for it to finish). */
static int requires(const graph_node *n, size_t up)
{
    for (size_t d = 0; d < n->p.ndeps; d++)
        if (n->writer[d] == up && n->p.deps[d].requirement == BF_REQUIRED)
            return 1;
    return 0;
}

/* Why node i cannot start (ever), or NULL if it may start now (*ready) or
 * later. */
static const char *blocker(pipeline *pl, size_t i, int *ready, char *why, size_t whylen)
{
    const graph_node *n = &pl->g.nodes[i];
    *ready = 1;
    for (size_t k = 0; k < n->nup; k++) {
        const task *up = &pl->tasks[n->up[k]];
        if (up->state == NODE_OUT)
            continue; /* not selected: its table is judged as it is */
        if (up->state == NODE_NOT_STARTED) {
            if (!requires(n, n->up[k]))
                continue; /* its fallback holds */
            snprintf(why, whylen, "not started: %s was not started", pl->g.nodes[n->up[k]].name);
            return why;
        }
        if (up->state == NODE_DONE && up->res.exit_code != EXIT_DONE && requires(n, n->up[k])) {
            snprintf(why, whylen, "not started: %s %s", pl->g.nodes[n->up[k]].name,
                     up->res.exit_code == EXIT_REFUSED ? "was refused by pre-flight" : "failed");
            return why;
        }
        if (up->state != NODE_DONE)
            *ready = 0;
    }
    return NULL;
}

static void print_running(pipeline *pl)
{
    char line[1024];
    size_t n = 0, done = 0, total = 0;
    n += snprintf(line, sizeof line, "pipeline: running");
    for (size_t i = 0; i < pl->g.n; i++) {
        const task *t = &pl->tasks[i];
        total += t->state != NODE_OUT;
        done += t->state == NODE_DONE || t->state == NODE_NOT_STARTED;
        if (t->state == NODE_RUNNING && n < sizeof line)
            n += snprintf(line + n, sizeof line - n, " %s", pl->g.nodes[i].name);
    }
    if (n < sizeof line)
        snprintf(line + n, sizeof line - n, " (%zu of %zu done)", done, total);
    if (!pl->o->no_progress && log_level() >= BF_LOG_INFO)
        fprintf(stderr, "%s\n", line);
}

/* Start what may start, no more than max_running at once; mark what
 * never can. Returns how many run. */
static size_t advance(pipeline *pl)
{
    size_t running = 0;
    int started = 0;
    for (size_t i = 0; i < pl->g.n; i++)
        running += pl->tasks[i].state == NODE_RUNNING;
    for (size_t k = 0; k < pl->g.norder; k++) {
        size_t i = pl->g.order[k];
        task *t = &pl->tasks[i];
        if (t->state != NODE_WAITING)
            continue;
        int ready;
        const char *why = blocker(pl, i, &ready, t->not_started, sizeof t->not_started);
        if (!why && atomic_load(&signals_stop))
            why = "not started: interrupted";
        else if (!why && pl->failed && !pl->o->keep_going)
            why = "not started: the pipeline stops after a failure (--keep-going continues)";
        if (why) {
            if (why != t->not_started)
                snprintf(t->not_started, sizeof t->not_started, "%s", why);
            t->state = NODE_NOT_STARTED;
            k = (size_t)-1; /* its dependents may now be decided too */
            continue;
        }
        if (!ready || running >= pl->max_running)
            continue;
        t->state = NODE_RUNNING;
        if (pthread_create(&t->thread, NULL, run_task, t) != 0) {
            t->state = NODE_NOT_STARTED;
            snprintf(t->not_started, sizeof t->not_started, "not started: no thread");
            continue;
        }
        started = 1;
        running++;
    }
    if (started)
        print_running(pl);
    return running;
}

/* How bad an exit is, for the pipeline's own: higher is worse. */
static int severity(int exit_code)
{
    static const int order[] = {EXIT_DONE,   EXIT_DATES_FAILED, EXIT_REFUSED,
                                EXIT_LOCKED, EXIT_USAGE,        EXIT_INTERRUPTED};
    for (int i = 0; i < (int)(sizeof order / sizeof order[0]); i++)
        if (order[i] == exit_code)
            return i;
    return EXIT_USAGE; /* an exit code run never gives: count it as an error */
}

/* The worst exit of the processors, in the meaning `run` gives them. */
static int worst(const pipeline *pl)
{
    int rc = EXIT_DONE;
    for (size_t i = 0; i < pl->g.n; i++)
        if (pl->tasks[i].state == NODE_DONE && severity(pl->tasks[i].res.exit_code) > severity(rc))
            rc = pl->tasks[i].res.exit_code;
    return rc;
}

static void summary(const pipeline *pl, double wall, FILE *out)
{
    fprintf(out, "\npipeline summary (%.1f s):\n", wall);
    fprintf(out, "  %-30s %-5s %8s %8s %8s %8s %8s  %s\n", "processor", "exit", "complete",
            "failed", "blocked", "pending", "skipped", "");
    for (size_t k = 0; k < pl->g.norder; k++) {
        const task *t = &pl->tasks[pl->g.order[k]];
        const char *name = pl->g.nodes[pl->g.order[k]].name;
        if (t->state == NODE_OUT)
            continue;
        if (t->state != NODE_DONE) {
            fprintf(out, "  %-30s %-5s %8s %8s %8s %8s %8s  %s\n", name, "-", "-", "-", "-", "-",
                    "-", t->not_started);
            continue;
        }
        const size_t *c = t->res.counts;
        fprintf(out, "  %-30s %-5d %8zu %8zu %8zu %8zu %8zu  %s\n", name, t->res.exit_code,
                c[STATE_COMPLETE], c[STATE_FAILED] + c[STATE_CHECK_FAILED] + c[STATE_PARTIAL],
                c[STATE_BLOCKED], c[STATE_PENDING], c[STATE_SKIPPED], t->res.why);
    }
}

/* The webhook's summary: the processors that ran, in graph order. */
static void notify_end(const pipeline *pl, int rc, double wall)
{
    invocation inv = cli_invocation(pl->o);
    const char **names = calloc(pl->g.n + 1, sizeof *names);
    const run_result **res = calloc(pl->g.n + 1, sizeof *res);
    size_t n = 0;
    for (size_t k = 0; names && res && k < pl->g.norder; k++)
        if (pl->tasks[pl->g.order[k]].state == NODE_DONE) {
            names[n] = pl->g.nodes[pl->g.order[k]].name;
            res[n++] = &pl->tasks[pl->g.order[k]].res;
        }
    if (names && res)
        notify_pipeline(&inv, pl->o->targets, pl->cfg, names, res, n, rc, wall);
    free(names);
    free(res);
}

/* Join and report every processor that ended, in the order they end.
 * Called and returns with pl->lock held. */
static void reap(pipeline *pl, FILE *out)
{
    for (size_t i = 0; i < pl->g.n; i++) {
        task *t = &pl->tasks[i];
        if (t->state != NODE_DONE || t->reaped)
            continue;
        t->reaped = 1;
        pthread_mutex_unlock(&pl->lock);
        pthread_join(t->thread, NULL);
        fprintf(out, "== %s: exit %d%s%s\n%s", pl->g.nodes[i].name, t->res.exit_code,
                t->res.why[0] ? ": " : "", t->res.why, t->text ? t->text : "");
        fflush(out);
        pthread_mutex_lock(&pl->lock);
    }
}

/* Mark the selection in mask (one byte per graph node) and the tasks'
 * states: --targets and what they need, or everything. */
static int select_nodes(pipeline *pl, unsigned char *mask, char *err, size_t errlen)
{
    int rc = 0;
    if (pl->o->targets) {
        rc = graph_select(&pl->g, pl->o->targets, mask, err, errlen) == BF_OK ? 0 : -1;
        graph_closure(&pl->g, mask);
    } else {
        memset(mask, 1, pl->g.n);
    }
    for (size_t i = 0; rc == 0 && i < pl->g.n; i++) {
        pl->tasks[i].state = mask[i] ? NODE_WAITING : NODE_OUT;
        if (mask[i] && graph_refuses(&pl->g, pl->g.nodes[i].name, err, errlen) != BF_OK)
            rc = -1;
    }
    return rc;
}

int cmd_pipeline(const cli_options *o, const bf_config *cfg)
{
    FILE *out = cli_narration(o);
    pipeline pl = {.o = o, .cfg = cfg};
    unsigned char *selected = NULL; /* the processors that run (select_nodes) */
    char err[1024];
    double t0 = clock_now_s();
    if (graph_open(cfg, &pl.g, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    int rc = EXIT_USAGE;
    pl.tasks = calloc(pl.g.n ? pl.g.n : 1, sizeof *pl.tasks);
    selected = calloc(pl.g.n ? pl.g.n : 1, 1);
    if (!pl.tasks || !selected || select_nodes(&pl, selected, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", pl.tasks && selected ? err : "out of memory");
        goto out;
    }
    for (size_t i = 0; i < pl.g.n; i++)
        pl.tasks[i].pl = &pl, pl.tasks[i].node = i;
    if (o->dry_run) {
        rc = pipeline_dry_run(o, cfg, &pl.g, selected, out);
        goto out;
    }
    /* The raw tables over the widest window of the selected processors. */
    if (!(pl.raw = judge_cache_new_raw(graph_widest_lookback(&pl.g, selected, cfg)))) {
        fprintf(stderr, "backfill: out of memory\n");
        goto out;
    }
    int workers = o->workers > 0 ? o->workers : cfg->workers;
    budget_init(&pl.slots, workers);
    pl.max_running = (size_t)(workers > 0 ? workers : 1) + 1;
    pthread_mutex_init(&pl.lock, NULL);
    pthread_cond_init(&pl.changed, NULL);
    signals_install();
    pthread_mutex_lock(&pl.lock);
    for (;;) {
        reap(&pl, out);
        if (advance(&pl) == 0)
            break;
        pthread_cond_wait(&pl.changed, &pl.lock);
    }
    reap(&pl, out); /* whatever ended between the last reap and advance */
    pthread_mutex_unlock(&pl.lock);
    signals_restore();
    summary(&pl, clock_now_s() - t0, out);
    rc = atomic_load(&signals_stop) ? EXIT_INTERRUPTED : worst(&pl);
    fflush(out);
    notify_end(&pl, rc, clock_now_s() - t0);
    pthread_cond_destroy(&pl.changed);
    pthread_mutex_destroy(&pl.lock);
    budget_destroy(&pl.slots);
out:
    free(selected);
    judge_cache_free(pl.raw);
    for (size_t i = 0; pl.tasks && i < pl.g.n; i++)
        free(pl.tasks[i].text);
    free(pl.tasks);
    graph_free(&pl.g);
    return rc;
}
