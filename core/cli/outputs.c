/* outputs.c - `verify --outputs GROUP|A,B DATES`: is each output table
 * complete over the range? The judge's verdict on every expected date of
 * every selected processor, counted per state; a table passes when its
 * complete dates meet preflight.min_coverage and none is stale, orphaned
 * or partial. Nothing is written. The tables are judged on the pool's
 * threads (engine/judge_pool.h) through one judge cache, and printed in
 * order. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/graph.h"
#include "engine/selection.h"
#include "engine/judge.h"
#include "engine/judge_pool.h"

typedef struct table_result {
    size_t expected, states[STATE_COUNT];
    int passed;
} table_result;

static void count_state(void *udata, const date_entry *e, const verdict *v)
{
    table_result *r = udata;
    (void)e;
    r->states[v->state]++;
    r->expected += v->state != STATE_SKIPPED;
}

/* The tables to judge, for the pool's jobs. */
typedef struct outputs_job {
    const bf_config *cfg;
    const selection *v;
    const graph_node **nodes;
    table_result *results;
} outputs_job;

/* The verdicts on node i's dates over the selection, and whether its table
 * passes; err names the processor. */
static int judge_node(void *ctx, size_t i, store *s, judge_cache *cache, char *err, size_t errlen)
{
    outputs_job *jb = ctx;
    table_result *r = &jb->results[i];
    char why[900];
    if (judge_range_cached(s, jb->cfg, &jb->v->g, &jb->nodes[i]->p, &jb->v->sel, cache, count_state,
                           r, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", jb->nodes[i]->name, why);
        return -1;
    }
    r->passed = judge_table_passes(r->states, r->expected, jb->cfg->min_coverage);
    return 0;
}

/* The maximum lookback of the selected processors. */
static int max_lookback(const selection *v)
{
    int lookback = 0;
    for (size_t i = 0; i < v->g.n; i++)
        for (size_t k = 0; v->mask[i] && k < v->g.nodes[i].p.ndeps; k++)
            if (v->g.nodes[i].p.deps[k].lookback_days > lookback)
                lookback = v->g.nodes[i].p.deps[k].lookback_days;
    return lookback;
}

int cmd_verify_outputs(const cli_options *o, const bf_config *cfg)
{
    char err[1024];
    selection v;
    date_args dates = cli_dates(o);
    int rc = selection_open(&v, &dates, cfg, o->outputs, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return rc;
    }
    static const int shown[] = {STATE_COMPLETE,     STATE_PARTIAL,  STATE_MISSING, STATE_BLOCKED,
                                STATE_STALE,        STATE_ORPHANED, STATE_FAILED,  STATE_UNVERIFIED,
                                STATE_CHECK_FAILED, STATE_OUTDATED, STATE_WAIVED};
    printf("%-30s %8s", "output table", "expected");
    for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++)
        printf(" %10s", date_state_name(shown[k]));
    printf("  (needs %.1f%% complete)\n", 100 * cfg->min_coverage);
    const graph_node **nodes = calloc(v.g.n + 1, sizeof *nodes);
    table_result *results = calloc(v.g.n + 1, sizeof *results);
    judge_cache *cache = judge_cache_new(max_lookback(&v));
    size_t n = 0;
    for (size_t k = 0; nodes && k < v.g.norder; k++)
        if (v.mask[v.g.order[k]])
            nodes[n++] = &v.g.nodes[v.g.order[k]];
    int oom = !nodes || !results || !cache;
    size_t failed = oom ? 0
                        : judge_pool_run(cfg, v.ro, cache, n, judge_node,
                                         &(outputs_job){cfg, &v, nodes, results}, err, sizeof err);
    if (oom) {
        fprintf(stderr, "backfill: out of memory\n");
        rc = EXIT_USAGE;
    }
    for (size_t k = 0; !oom && k < n; k++) {
        if (k == failed) {
            fprintf(stderr, "backfill: %s\n", err);
            rc = EXIT_USAGE;
            break;
        }
        const graph_node *node = nodes[k];
        const table_result r = results[k];
        printf("%-30s %8zu", node->p.desc->output_table, r.expected);
        for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
            printf(" %10zu", r.states[shown[i]]);
        printf("  %s\n", r.passed ? "ok" : "NOT COMPLETE");
        if (!r.passed)
            rc = EXIT_DATES_FAILED;
    }
    judge_cache_free(cache);
    free(results);
    free(nodes);
    selection_close(&v);
    return rc;
}
