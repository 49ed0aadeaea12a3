/* status_all.c - `status` with no processor: one line per processor, its
 * last run's range judged now by the one judge (every table read once for
 * the whole command, through one judge cache), its last run and exit from
 * its checkpoint, and whether a run holds it now. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/graph.h"
#include "engine/judge.h"
#include "engine/judge_pool.h"
#include "engine/upstream_facts.h"
#include "state/checkpoint.h"
#include "state/checkpoint_scan.h"
#include "state/runs_active.h"

typedef struct row {
    const char *name;
    char first[DATE_LEN], last[DATE_LEN]; /* the checkpoint's dates, "" if none */
    size_t states[STATE_COUNT], expected;
    long long exit_code; /* -1: never ran */
    char finished[32];
    const active_run *running; /* or NULL */
} row;

static void tally(void *udata, const date_entry *e, const verdict *v)
{
    row *r = udata;
    r->states[v->state]++;
    r->expected += e->status != STATE_SKIPPED;
}

/* read_checkpoint's answer from the process's kept scan of the file
 * (upstream_facts.h: the judges of p's readers find it scanned); -1 if
 * the scan refuses the file (read_checkpoint then opens it). */
static int scan_checkpoint(const bf_config *cfg, row *r, date_selection *sel)
{
    size_t n;
    scanned_run run;
    memset(sel, 0, sizeof *sel);
    sel->is_range = 1;
    int rc = upstream_facts_summary(cfg->state_dir, r->name, &run, &sel->first, &sel->last, &n);
    if (rc < 0)
        return -1;
    if (n) {
        date_format(sel->first, r->first);
        date_format(sel->last, r->last);
    }
    r->exit_code = run.exit_code;
    snprintf(r->finished, sizeof r->finished, "%s", run.finished_at);
    return 0;
}

/* The range of the dates p's checkpoint records, its last run's exit and
 * end. Returns 0 or -1 with err. */
static int read_checkpoint(const bf_config *cfg, row *r, date_selection *sel, char *err,
                           size_t errlen)
{
    checkpoint cp;
    if (scan_checkpoint(cfg, r, sel) == 0)
        return 0;
    if (checkpoint_open(&cp, cfg->state_dir, r->name, err, errlen) != 0)
        return -1;
    json_t *dates = json_object_get(cp.root, "dates"), *run = json_object_get(cp.root, "run");
    const char *date;
    json_t *rec;
    json_object_foreach(dates, date, rec)
    {
        if (!r->first[0] || strcmp(date, r->first) < 0)
            snprintf(r->first, sizeof r->first, "%s", date);
        if (strcmp(date, r->last) > 0)
            snprintf(r->last, sizeof r->last, "%s", date);
    }
    json_t *code = json_object_get(run, "exit_code");
    r->exit_code = json_is_integer(code) ? json_integer_value(code) : -1;
    const char *fin = json_string_value(json_object_get(run, "finished_at"));
    snprintf(r->finished, sizeof r->finished, "%s", fin ? fin : "");
    checkpoint_close(&cp);
    char why[160];
    memset(sel, 0, sizeof *sel);
    sel->is_range = 1;
    return r->first[0] && (date_parse(r->first, &sel->first, why, sizeof why) != 0 ||
                           date_parse(r->last, &sel->last, why, sizeof why) != 0)
               ? (snprintf(err, errlen, "%s: %s", r->name, why), -1)
               : 0;
}

static json_t *row_json(const row *r)
{
    json_t *states = json_object();
    for (int k = STATE_COMPLETE; k < STATE_COUNT; k++)
        if (r->states[k])
            json_object_set_new(states, date_state_name(k), json_integer((json_int_t)r->states[k]));
    return json_pack("{s:s, s:s?, s:s?, s:I, s:I, s:o, s:o, s:s?, s:b, s:o}", "processor", r->name,
                     "first", r->first[0] ? r->first : NULL, "last", r->last[0] ? r->last : NULL,
                     "complete", (json_int_t)r->states[STATE_COMPLETE], "expected",
                     (json_int_t)r->expected, "states", states, "last_exit",
                     r->exit_code >= 0 ? json_integer(r->exit_code) : json_null(), "last_run",
                     r->finished[0] ? r->finished : NULL, "running", r->running != NULL,
                     "running_pid", r->running ? json_integer(r->running->pid) : json_null());
}

static void print_row(const row *r)
{
    char range[32] = "(never run)", exit_text[24] = "-", others[160] = "";
    if (r->first[0])
        snprintf(range, sizeof range, "%s..%s", r->first, r->last);
    if (r->exit_code >= 0)
        snprintf(exit_text, sizeof exit_text, "%lld", r->exit_code);
    static const int shown[] = {STATE_STALE,   STATE_PARTIAL,    STATE_FAILED,
                                STATE_BLOCKED, STATE_MISSING,    STATE_ORPHANED,
                                STATE_WAIVED,  STATE_UNVERIFIED, STATE_CHECK_FAILED};
    size_t n = 0;
    for (size_t i = 0; i < sizeof shown / sizeof shown[0] && n < sizeof others; i++)
        if (r->states[shown[i]])
            n += (size_t)snprintf(others + n, sizeof others - n, "%s%zu %s", n ? ", " : "",
                                  r->states[shown[i]], date_state_name(shown[i]));
    printf("%-30s %-22s %6zu/%-6zu %-20s %-4s %-8s %s\n", r->name, range, r->states[STATE_COMPLETE],
           r->expected, r->finished[0] ? r->finished : "-", exit_text, r->running ? "RUNNING" : "-",
           others);
}

/* The rows to judge, for the pool's jobs. */
typedef struct status_job {
    const bf_config *cfg;
    const graph *g;
    row *rows;
} status_job;

/* Row i: its checkpoint's range and last run, its range judged now. */
static int judge_row(void *ctx, size_t i, store *s, judge_cache *cache, char *err, size_t errlen)
{
    status_job *jb = ctx;
    row *r = &jb->rows[i];
    date_selection sel;
    if (read_checkpoint(jb->cfg, r, &sel, err, errlen) != 0)
        return -1;
    return r->first[0] ? judge_range_cached(s, jb->cfg, jb->g, &jb->g->nodes[jb->g->order[i]].p,
                                            &sel, cache, tally, r, err, errlen)
                       : 0;
}

int cmd_status_all(const cli_options *o, const bf_config *cfg)
{
    char err[1024];
    graph g;
    store *s = NULL;
    active_run *runs = NULL;
    size_t nruns = 0;
    int rc = EXIT_USAGE;
    if (graph_load(cfg, &g, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    int lookback = 0;
    for (size_t i = 0; i < g.n; i++)
        for (size_t k = 0; k < g.nodes[i].p.ndeps; k++)
            if (g.nodes[i].p.deps[k].lookback_days > lookback)
                lookback = g.nodes[i].p.deps[k].lookback_days;
    judge_cache *cache = judge_cache_new(lookback);
    row *rows = calloc(g.n ? g.n : 1, sizeof *rows);
    json_t *list = json_array();
    if (!cache || !rows || !list || runs_active(cfg->state_dir, &runs, &nruns, err, sizeof err) ||
        store_open(cfg->store_conf, STORE_READ_ONLY, &s, err, sizeof err) != BF_OK)
        goto out;
    if (!o->json)
        printf("%-30s %-22s %13s %-20s %-4s %-8s %s\n", "processor", "last range", "complete/exp",
               "last run", "exit", "now", "needs work");
    for (size_t k = 0; k < g.norder; k++) {
        rows[k].name = g.nodes[g.order[k]].name;
        for (size_t i = 0; i < nruns; i++)
            if (strcmp(runs[i].processor, rows[k].name) == 0)
                rows[k].running = &runs[i];
    }
    /* Judged on the pool's threads; printed here, in order, up to the
     * first row that failed. */
    size_t failed = judge_pool_run(cfg, s, cache, g.norder, judge_row, &(status_job){cfg, &g, rows},
                                   err, sizeof err);
    for (size_t k = 0; k < g.norder; k++) {
        const row *r = &rows[k];
        if (k == failed)
            goto out;
        if (o->json)
            json_array_append_new(list, row_json(r));
        else
            print_row(r);
    }
    if (o->json) {
        json_dumpf(list, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
    }
    rc = EXIT_DONE;
out:
    if (rc != EXIT_DONE)
        fprintf(stderr, "backfill: %s\n", (rows && list && cache) ? err : "out of memory");
    json_decref(list);
    store_close(s);
    free(runs);
    free(rows);
    judge_cache_free(cache);
    graph_free(&g);
    return rc;
}
