/* watch.c - the `watch` command, for cron: the config's expectations
 * (expect = {...}) judged now by the one judge in one pass (every table
 * read once through one judge cache), printed, exit 0 if all are met and 1
 * if not; and a notification when what is met changed since the last
 * watch (state_dir/watch.json remembers it), so a failing expectation is
 * posted once, and once again when it recovers. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/files.h"
#include "cli/cli.h"
#include "engine/graph.h"
#include "engine/judge.h"
#include "engine/preflight.h"
#include "report/notify.h"
#include "report/watch.h"
#include "state/checkpoint.h"

typedef struct tally {
    watch_row *r;
    bf_day target; /* complete through this day, or last */
    int broken;    /* an expected date not good was met */
} tally;

static void count(void *udata, const date_entry *e, const verdict *v)
{
    tally *t = udata;
    watch_row *r = t->r;
    int good = v->state == STATE_COMPLETE || v->state == STATE_UNVERIFIED ||
               v->state == STATE_WAIVED || v->state == STATE_SKIPPED;
    r->states[v->state]++;
    r->expected += v->state != STATE_SKIPPED;
    r->good += good && v->state != STATE_SKIPPED;
    if (!good && !t->broken) {
        t->broken = 1;
        r->fresh_ok = e->day > t->target;
    }
    if (!t->broken && v->state != STATE_SKIPPED) /* a bootstrap day proves nothing */
        date_format(e->day, r->fresh);
}

/* The nodes key names: a group's members, else the processor of that name
 * or writing that table. Marks mask; 0, or -1 with err. */
static int resolve_key(const bf_config *cfg, const graph *g, const config_expect *x,
                       unsigned char *mask, char *err, size_t errlen)
{
    memset(mask, 0, g->n);
    for (int i = 0; i < cfg->ngroups; i++)
        if (strcmp(cfg->groups[i].name, x->key) == 0)
            return graph_select(g, x->key, mask, err, errlen) == BF_OK ? 0 : -1;
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->nodes[i].name, x->key) == 0 ||
            strcasecmp(g->nodes[i].p.desc->output_table, x->key) == 0)
            mask[i] = 1;
    for (size_t i = 0; i < g->n; i++)
        if (mask[i])
            return 0;
    snprintf(err, errlen, "%s:%d: expect.%s: no processor, output table or group of that name",
             cfg->path, x->line, x->key);
    return -1;
}

/* x's range as dates: a season or A..B, never past complete_through (or
 * today): dates not yet due are not expected. 0, or -1 with err. */
static int range_of(const bf_config *cfg, const config_expect *x, date_selection *sel, char *err,
                    size_t errlen)
{
    bf_day today;
    memset(sel, 0, sizeof *sel);
    sel->is_range = 1;
    if (date_today(&today, NULL, err, errlen) != 0)
        return -1;
    sel->first = x->first;
    sel->last = x->last;
    if (x->season) {
        const season *s = expect_current_season(cfg->seasons, cfg->nseasons, today);
        if (!s) {
            snprintf(err, errlen,
                     "%s:%d: expect.%s: range = \"season\", but no season starts "
                     "on or before today",
                     cfg->path, x->line, x->key);
            return -1;
        }
        sel->first = s->start;
        sel->last = s->end;
    }
    bf_day due = x->has_through ? x->through : today;
    if (sel->last > due)
        sel->last = due;
    if (sel->last < sel->first) {
        snprintf(err, errlen, "%s:%d: expect.%s: nothing is due yet in %s", cfg->path, x->line,
                 x->key, x->range_text);
        return -1;
    }
    return 0;
}

static int judge_one(const bf_config *cfg, const graph *g, store *s, judge_cache *cache,
                     const config_expect *x, size_t node, watch_row *r, char *err, size_t errlen)
{
    date_selection sel;
    if (range_of(cfg, x, &sel, err, errlen) != 0)
        return -1;
    memset(r, 0, sizeof *r);
    r->key = x->key;
    r->processor = g->nodes[node].name;
    r->table = g->nodes[node].p.desc->output_table;
    r->min_coverage = x->min_coverage >= 0 ? x->min_coverage : cfg->min_coverage;
    r->fresh_ok = 1;
    date_format(sel.first, r->first);
    date_format(sel.last, r->last);
    if (x->has_through)
        date_format(x->through < sel.last ? x->through : sel.last, r->through);
    tally t = {r, x->has_through ? x->through : sel.last, 0};
    if (judge_range_cached(s, cfg, g, &g->nodes[node].p, &sel, cache, count, &t, err, errlen))
        return -1;
    r->coverage = r->expected ? (double)r->good / (double)r->expected : 1.0;
    r->coverage_ok = judge_meets(r->good, r->expected, r->min_coverage) &&
                     !r->states[STATE_PARTIAL] && !r->states[STATE_STALE];
    r->ok = r->coverage_ok && r->fresh_ok;
    return 0;
}

/* What changed since the last watch; the new state saved. Returns the
 * changes (a new array; empty if none). */
static json_t *changes_since(const bf_config *cfg, const watch_row *rows, size_t n)
{
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/watch.json", cfg->state_dir);
    json_t *was = json_load_file(path, 0, NULL), *now = json_object(), *changes = json_array();
    for (size_t i = 0; i < n; i++) {
        char key[512];
        snprintf(key, sizeof key, "%s/%s", rows[i].key, rows[i].table);
        json_t *prev = json_object_get(was, key);
        int was_ok = prev ? json_is_true(prev) : 1; /* first watch: all were fine */
        json_object_set_new(now, key, json_boolean(rows[i].ok));
        if (was_ok != rows[i].ok)
            json_array_append_new(changes, json_pack("{s:s, s:s, s:s}", "expect", rows[i].key,
                                                     "table", rows[i].table, "now",
                                                     rows[i].ok ? "recovered" : "not met"));
    }
    char *text = json_dumps(now, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (!text || checkpoint_mkdirs(cfg->state_dir) != 0 ||
        file_replace(path, text, strlen(text), err, sizeof err) != 0)
        fprintf(stderr, "backfill: watch: cannot save %s: %s\n", path, text ? err : "no memory");
    free(text);
    json_decref(was);
    json_decref(now);
    return changes;
}

int cmd_watch(const cli_options *o, const bf_config *cfg)
{
    char err[1024];
    graph g;
    store *s = NULL;
    if (!cfg->nexpects) {
        fprintf(stderr, "backfill watch: %s declares no expect = { ... }: nothing to watch\n",
                cfg->path);
        return EXIT_USAGE;
    }
    if (graph_load(cfg, &g, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    int rc = EXIT_USAGE, lookback = 0;
    for (size_t i = 0; i < g.n; i++)
        for (size_t k = 0; k < g.nodes[i].p.ndeps; k++)
            if (g.nodes[i].p.deps[k].lookback_days > lookback)
                lookback = g.nodes[i].p.deps[k].lookback_days;
    judge_cache *cache = judge_cache_new(lookback);
    unsigned char *mask = calloc(g.n ? g.n : 1, 1);
    watch_row *rows = calloc(g.n * (size_t)cfg->nexpects + 1, sizeof *rows);
    size_t n = 0;
    snprintf(err, sizeof err, "out of memory");
    if (!cache || !mask || !rows ||
        store_open(cfg->store_conf, STORE_READ_ONLY, &s, err, sizeof err) != BF_OK)
        goto out;
    for (int x = 0; x < cfg->nexpects; x++) {
        if (resolve_key(cfg, &g, &cfg->expects[x], mask, err, sizeof err) != 0)
            goto out;
        for (size_t k = 0; k < g.norder; k++)
            if (mask[g.order[k]] && judge_one(cfg, &g, s, cache, &cfg->expects[x], g.order[k],
                                              &rows[n++], err, sizeof err) != 0)
                goto out;
    }
    rc = EXIT_DONE;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        rc = rows[i].ok ? rc : EXIT_DATES_FAILED;
        json_array_append_new(list, watch_row_json(&rows[i]));
    }
    json_t *changes = changes_since(cfg, rows, n);
    if (o->json) {
        json_t *doc =
            json_pack("{s:O, s:O, s:i}", "expectations", list, "changes", changes, "exit_code", rc);
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(doc);
    } else {
        watch_print(stdout, rows, n);
    }
    if (json_array_size(changes))
        notify_send(cfg, NOTIFY_WATCH,
                    json_pack("{s:s, s:o, s:o, s:i}", "command", "watch", "changes", changes,
                              "expectations", list, "exit_code", rc));
    else {
        json_decref(changes);
        json_decref(list);
    }
out:
    if (rc == EXIT_USAGE)
        fprintf(stderr, "backfill: %s\n", err);
    store_close(s);
    free(rows);
    free(mask);
    judge_cache_free(cache);
    graph_free(&g);
    return rc;
}
