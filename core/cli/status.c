/* status.c - the `status` command: a processor's checkpoint read back, and
 * its dates judged against the store as it is now. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

#include "state/checkpoint.h"
#include "cli/cli.h"
#include "engine/graph.h"
#include "engine/judge.h"
#include "plugin/loader.h"
#include "plugin/plugin_path.h"
#include "report/report.h"

typedef struct judged {
    size_t states[STATE_COUNT];
    json_t *dates;      /* the checkpoint's, whose keys the re-run list borrows */
    const char **rerun; /* dates to run again */
    size_t n;
} judged;

static void note(void *udata, const date_entry *e, const verdict *v)
{
    judged *j = udata;
    j->states[v->state]++;
    if (v->state != STATE_STALE && v->state != STATE_PARTIAL && v->state != STATE_MISSING &&
        v->state != STATE_FAILED && v->state != STATE_OUTDATED)
        return;
    const char *key = json_object_iter_key(json_object_iter_at(j->dates, e->date));
    for (size_t i = 0; key && i < j->n; i++)
        if (strcmp(j->rerun[i], key) == 0)
            return;
    if (key)
        j->rerun[j->n++] = key;
}

/* The checkpoint's dates judged against the store as it is now: what the
 * checkpoint alone cannot know (rows changed, upstream republished).
 * Returns 0, or -1 with err (then nothing was judged). */
static int judge_now(const bf_config *cfg, const char *processor, judged *j, char *err,
                     size_t errlen)
{
    date_selection sel = {0};
    const char *date;
    json_t *rec;
    json_object_foreach(j->dates, date, rec)
    {
        bf_day d;
        char why[64];
        if (date_parse(date, &d, why, sizeof why) == 0 && date_list_push(&sel.list, d) != 0) {
            snprintf(err, errlen, "out of memory");
            date_selection_free(&sel);
            return -1;
        }
    }
    if (sel.list.n == 0)
        return 0;
    date_list_sort(&sel.list);
    sel.first = sel.list.days[0];
    sel.last = sel.list.days[sel.list.n - 1];
    graph g;
    store *s = NULL;
    int rc = -1;
    if (graph_open(cfg, &g, err, errlen) != BF_OK)
        goto out_sel;
    size_t self = graph_find(&g, processor);
    if (self == GRAPH_NONE)
        snprintf(err, errlen, "%s is not in the processor graph", processor);
    else if (store_open(cfg->store_conf, STORE_READ_ONLY, &s, err, errlen) == BF_OK)
        rc = judge_range(s, cfg, &g, &g.nodes[self].p, &sel, note, j, err, errlen);
    store_close(s);
    graph_free(&g);
out_sel:
    date_selection_free(&sel);
    return rc;
}

int cmd_status(const cli_options *o, const bf_config *cfg)
{
    if (!o->processor)
        return cmd_status_all(o, cfg);
    char err[1024];
    plugin p;
    if (plugin_path_load(cfg, o->processor, &p, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    loader_unload(&p);
    checkpoint cp;
    if (checkpoint_open(&cp, cfg->state_dir, o->processor, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    FILE *out = o->json ? stderr : stdout;
    json_t *dates = json_object_get(cp.root, "dates");
    json_t *run = json_object_get(cp.root, "run");
    size_t counts[STATE_COUNT] = {0}, n = 0;
    const char **rerun = calloc(json_object_size(dates) + 1, sizeof *rerun);
    const char *date;
    json_t *rec;
    json_object_foreach(dates, date, rec)
    {
        int s = date_state_parse(json_string_value(json_object_get(rec, "status")));
        if (s < 0)
            continue;
        counts[s]++;
        if (rerun && s != STATE_COMPLETE && s != STATE_SKIPPED)
            rerun[n++] = date;
    }
    judged now = {.dates = dates, .rerun = rerun, .n = n};
    int have_now = rerun && judge_now(cfg, o->processor, &now, err, sizeof err) == 0;
    if (rerun && !have_now)
        log_warn("cannot judge the dates against the store now: %s", err);
    n = now.n;
    fprintf(out, "%s: %zu dates in %s%s\n", o->processor, json_object_size(dates), cp.path,
            json_object_size(dates) ? "" : " (never run)");
    report_counts(out, counts, 0);
    if (have_now) {
        fprintf(out, "in the store now:");
        for (int k = STATE_COMPLETE; k < STATE_COUNT; k++)
            if (now.states[k])
                fprintf(out, " %s %zu", date_state_name(k), now.states[k]);
        fprintf(out, "\n");
    }
    const char *cmd = json_string_value(json_object_get(run, "command"));
    if (cmd)
        fprintf(out, "last run: %s\n  from %s to %s, exit %lld%s\n", cmd,
                json_string_value(json_object_get(run, "started_at")),
                json_string_value(json_object_get(run, "finished_at")),
                (long long)json_integer_value(json_object_get(run, "exit_code")),
                json_is_true(json_object_get(run, "skip_preflight")) ? ", PRE-FLIGHT SKIPPED" : "");
    invocation inv = cli_invocation(o);
    report_rerun(out, &inv, cfg, o->processor, rerun, n, "");
    if (o->json) {
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, json_string(rerun[i]));
        json_t *store_now = json_object();
        for (int k = STATE_COMPLETE; have_now && k < STATE_COUNT; k++)
            json_object_set_new(store_now, date_state_name(k),
                                json_integer((json_int_t)now.states[k]));
        json_t *doc = json_pack("{s:s, s:s, s:o, s:o, s:O, s:o}", "processor", o->processor,
                                "checkpoint", cp.path, "dates", plan_status_counts_json(counts),
                                "store_now", store_now, "last_run", run, "rerun", list);
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(doc);
    }
    free(rerun);
    checkpoint_close(&cp);
    return EXIT_DONE;
}
