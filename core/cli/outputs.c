/* outputs.c - `verify --outputs GROUP|A,B DATES`: is each output table
 * complete over the range? The judge's verdict on every expected date of
 * every selected processor, counted per state; a table passes when its
 * complete dates meet preflight.min_coverage and none is stale, orphaned
 * or partial. Nothing is written. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/graph.h"
#include "engine/selection.h"
#include "engine/judge.h"

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

/* The verdicts on node's dates over sel, and whether the table passes.
 * Returns 0 or -1 with err. */
static int judge_node(store *s, const bf_config *cfg, const graph *g, const graph_node *node,
                      const date_selection *sel, table_result *r, char *err, size_t errlen)
{
    if (judge_range(s, cfg, g, &node->p, sel, count_state, r, err, errlen) != 0)
        return -1;
    r->passed = judge_table_passes(r->states, r->expected, cfg->min_coverage);
    return 0;
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
    for (size_t k = 0; k < v.g.norder; k++) {
        const graph_node *node = &v.g.nodes[v.g.order[k]];
        if (!v.mask[v.g.order[k]])
            continue;
        table_result r;
        memset(&r, 0, sizeof r);
        if (judge_node(v.ro, cfg, &v.g, node, &v.sel, &r, err, sizeof err) != 0) {
            fprintf(stderr, "backfill: %s: %s\n", node->name, err);
            rc = EXIT_USAGE;
            break;
        }
        printf("%-30s %8zu", node->p.desc->output_table, r.expected);
        for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
            printf(" %10zu", r.states[shown[i]]);
        printf("  %s\n", r.passed ? "ok" : "NOT COMPLETE");
        if (!r.passed)
            rc = EXIT_DATES_FAILED;
    }
    selection_close(&v);
    return rc;
}
