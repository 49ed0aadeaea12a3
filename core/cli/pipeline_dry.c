/* pipeline_dry.c - `pipeline --dry-run` (see pipeline_dry.h). Each
 * processor is judged as `run --dry-run` would judge it, on the judge
 * pool's threads, each thread on its own read-only store, all of them
 * sharing one judge cache (each table and the calendar counted once).
 * Whichever thread finishes the processor next in graph order prints it,
 * and any finished after it, under one lock: the stale forecast goes
 * through them in graph order, as it must, and the lines a judgement
 * logged (captured per processor) reach stderr at the same place as
 * on one thread. No judgement starts more than DRY_AHEAD processors
 * ahead of the printing, so what is held in memory stays bounded. */
#include "cli/pipeline_dry.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "engine/judge_pool.h"
#include "engine/run.h"
#include "engine/stale_forecast.h"

/* Judgements finished but not yet printed, at most. */
#define DRY_AHEAD 16

typedef struct dry_item {
    size_t node;
    run_result res;
    char why[768]; /* the redo note */
    char *log;     /* what its judgement logged, or NULL */
    size_t loglen;
    int done;
} dry_item;

typedef struct dry_run {
    const cli_options *o;
    const bf_config *cfg;
    const graph *g;
    FILE *out;
    dry_item *items; /* the selected nodes, in graph order */
    size_t n;
    stale_forecast fc;
    size_t foreseen_total;
    pthread_mutex_t lock; /* guards next, done and the printing */
    pthread_cond_t printed;
    size_t next; /* the first item not printed */
} dry_run;

/* Why a dry run would redo dates: outdated (code or config, old -> new),
 * stale for a changed raw input (named), stale for a republished upstream. */
static void redo_note(const run_result *res, char *why, size_t len)
{
    size_t n = 0;
    why[0] = '\0';
    if (res->exit_code == EXIT_REFUSED) {
        snprintf(why, len, "pre-flight would refuse it now");
        return;
    }
    if (!res->job)
        return;
    const preflight_report *pre = &res->job->pre;
    if (res->redo_outdated)
        n += (size_t)snprintf(why, len, "%zu outdated: %s", res->redo_outdated, pre->outdated.why);
    if (res->redo_raw && n < len)
        n += (size_t)snprintf(why + n, len - n, "%s%zu stale: %s", n ? "; " : "", res->redo_raw,
                              pre->raw_stale.why);
    if (res->redo_stale > res->redo_raw && n < len)
        snprintf(why + n, len - n, "%s%zu stale: upstream republished", n ? "; " : "",
                 res->redo_stale - res->redo_raw);
}

/* One processor's line, and what its judgement logged; then its result
 * is freed. Called in graph order, with d->lock held. */
static void print_item(dry_run *d, dry_item *it)
{
    run_result *res = &it->res;
    if (it->log)
        fwrite(it->log, 1, it->loglen, stderr);
    if (res->error[0])
        fprintf(stderr, "backfill: %s\n", res->error);
    char later[256] = "";
    /* Dates complete now that an upstream redo will make stale: they run
     * too, counted as redone. */
    size_t foreseen =
        res->job ? stale_forecast_node(&d->fc, it->node, &res->job->plan, later, sizeof later) : 0;
    d->foreseen_total += foreseen;
    if (foreseen && res->estimate[0]) { /* they run too: the estimate counts them */
        estimate_rescale(&res->est, res->counts[STATE_PENDING] + foreseen);
        estimate_text(&res->est, res->estimate, sizeof res->estimate);
    }
    run_result_free(res);
    free(it->log);
    it->log = NULL;
    fprintf(d->out, "  %-30s %8zu %8zu %8zu %8zu  %s%s", d->g->nodes[it->node].name,
            res->counts[STATE_PENDING] + foreseen, res->counts[STATE_COMPLETE] - foreseen,
            res->counts[STATE_BLOCKED], res->redo + foreseen, it->why,
            it->why[0] && foreseen ? "; " : "");
    if (foreseen)
        fprintf(d->out, "%zu %s", foreseen, later);
    fprintf(d->out, "%s%s%s\n", (it->why[0] || foreseen) && res->estimate[0] ? "; " : "",
            res->estimate[0] ? "estimate: " : "", res->estimate);
}

/* Judge item i (a judge_pool job): run_processor's dry run on the thread's
 * store s and the shared cache, its log lines kept; then print what is
 * next in graph order. Never fails: an error is the item's to print. */
static int judge_item(void *ctx, size_t i, store *s, judge_cache *cache, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    dry_run *d = ctx;
    dry_item *it = &d->items[i];
    pthread_mutex_lock(&d->lock);
    while (i >= d->next + DRY_AHEAD)
        pthread_cond_wait(&d->printed, &d->lock);
    pthread_mutex_unlock(&d->lock);
    FILE *logs = open_memstream(&it->log, &it->loglen);
    log_capture(logs); /* none (out of memory): straight to stderr */
    run_request rq = cli_run_request(d->o);
    rq.processor = d->g->nodes[it->node].name;
    rq.graph = d->g;
    rq.ro = s;
    rq.cache = cache;
    run_processor(&rq, d->cfg, NULL, &it->res);
    log_capture(NULL);
    log_set_scope(NULL, NULL);
    if (logs)
        fclose(logs);
    redo_note(&it->res, it->why, sizeof it->why);
    if (it->res.job) /* only the plan and the figures are printed: the facts go now */
        judge_close(&it->res.job->pre.judge);
    pthread_mutex_lock(&d->lock);
    it->done = 1;
    int moved = 0;
    for (; d->next < d->n && d->items[d->next].done; d->next++, moved = 1)
        print_item(d, &d->items[d->next]);
    if (moved)
        pthread_cond_broadcast(&d->printed);
    pthread_mutex_unlock(&d->lock);
    return 0;
}

int pipeline_dry_run(const cli_options *o, const bf_config *cfg, const graph *g,
                     const unsigned char *selected, FILE *out)
{
    fprintf(out, "pipeline dry run: %s\n", "what each processor would do if it started now");
    fprintf(out, "  %-30s %8s %8s %8s %8s  %s\n", "processor", "run", "skip", "block", "redo", "");
    dry_run d = {.o = o, .cfg = cfg, .g = g, .out = out};
    d.items = calloc(g->norder ? g->norder : 1, sizeof *d.items);
    judge_cache *cache = judge_cache_new(graph_widest_lookback(g, selected, cfg));
    if (!d.items || !cache || stale_forecast_init(&d.fc, g, cfg) != 0) {
        fprintf(stderr, "backfill: out of memory\n");
        free(d.items);
        judge_cache_free(cache);
        return EXIT_USAGE;
    }
    for (size_t k = 0; k < g->norder; k++)
        if (selected[g->order[k]])
            d.items[d.n++].node = g->order[k];
    pthread_mutex_init(&d.lock, NULL);
    pthread_cond_init(&d.printed, NULL);
    /* The calling thread's store; none (it cannot be opened) leaves each
     * judgement to open its own, which names the fault. */
    store *s = NULL;
    char why[1024];
    if (store_open(cfg->store_conf, STORE_READ_ONLY, &s, why, sizeof why) != BF_OK)
        s = NULL;
    judge_pool_run(cfg, s, cache, d.n, judge_item, &d, why, sizeof why);
    store_close(s);
    pthread_cond_destroy(&d.printed);
    pthread_mutex_destroy(&d.lock);
    stale_forecast_free(&d.fc);
    judge_cache_free(cache);
    free(d.items);
    if (d.foreseen_total)
        fprintf(out,
                "%zu date%s complete now will be stale once %s upstream is redone "
                "(counted above)\n",
                d.foreseen_total, d.foreseen_total == 1 ? "" : "s",
                d.foreseen_total == 1 ? "its" : "their");
    fprintf(out, "nothing written\n");
    return EXIT_DONE;
}
