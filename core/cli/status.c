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
#include "report/rerun_text.h"

typedef struct judged {
    size_t states[STATE_COUNT];
    json_t *dates;   /* the checkpoint's */
    rerun_list list; /* the dates that need work, by state */
    date_list seen;  /* the dates judged, ascending */
} judged;

static void note(void *udata, const date_entry *e, const verdict *v)
{
    judged *j = udata;
    j->states[v->state]++;
    rerun_add(&j->list, v->state, e->day, 0);
    if (date_list_push(&j->seen, e->day) != 0)
        j->list.oom = 1;
}

/* The recorded dates the judge had no verdict on (not calendar dates) keep
 * their recorded state in the list. */
static void add_unjudged(judged *now, const rerun_list *recorded)
{
    for (int s = 0; s < STATE_COUNT; s++) {
        const date_list *d = &recorded->by_state[s];
        for (size_t i = 0; i < d->n; i++)
            if (!date_list_contains(&now->seen, d->days[i]))
                rerun_add(&now->list, s, d->days[i], 1);
        date_list_sort(&now->list.by_state[s]);
    }
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

/* The re-run command over every date of l, ascending. */
static void print_rerun(const cli_options *o, const bf_config *cfg, FILE *out, const rerun_list *l)
{
    date_list all = {0};
    char(*text)[DATE_LEN] = NULL;
    const char **dates = NULL;
    if (rerun_all(l, &all) == 0 && all.n) {
        text = calloc(all.n, sizeof *text);
        dates = calloc(all.n, sizeof *dates);
    }
    for (size_t i = 0; text && dates && i < all.n; i++) {
        date_format(all.days[i], text[i]);
        dates[i] = text[i];
    }
    invocation inv = cli_invocation(o);
    if (text && dates)
        report_rerun(out, &inv, cfg, o->processor, dates, all.n, "");
    free(dates);
    free(text);
    date_list_free(&all);
}

/* The dates of l, ascending, as a JSON array of strings. */
static json_t *rerun_dates_json(const rerun_list *l)
{
    date_list all = {0};
    json_t *list = json_array();
    if (rerun_all(l, &all) == 0)
        for (size_t i = 0; i < all.n; i++) {
            char d[DATE_LEN];
            date_format(all.days[i], d);
            json_array_append_new(list, json_string(d));
        }
    date_list_free(&all);
    return list;
}

/* The checkpoint's dates per recorded state, and those not complete (the
 * re-run list when the store cannot be judged now). */
static void read_recorded(json_t *dates, size_t counts[STATE_COUNT], rerun_list *recorded)
{
    const char *date;
    json_t *rec;
    json_object_foreach(dates, date, rec)
    {
        int s = date_state_parse(json_string_value(json_object_get(rec, "status")));
        bf_day d;
        char why[64];
        if (s < 0)
            continue;
        counts[s]++;
        if (date_parse(date, &d, why, sizeof why) == 0)
            rerun_add(recorded, s, d, 1);
    }
    for (int s = 0; s < STATE_COUNT; s++)
        date_list_sort(&recorded->by_state[s]);
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
    size_t counts[STATE_COUNT] = {0};
    judged now = {.dates = dates};
    rerun_list recorded = {0}; /* what the checkpoint alone says */
    read_recorded(dates, counts, &recorded);
    int have_now = judge_now(cfg, o->processor, &now, err, sizeof err) == 0 && !now.list.oom;
    if (!have_now)
        log_warn("cannot judge the dates against the store now: %s", err);
    if (have_now)
        add_unjudged(&now, &recorded);
    const rerun_list *work = have_now ? &now.list : &recorded;
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
    if (work->total) {
        rerun_print_counts(out, work);
        fprintf(out, "%s:\n", have_now ? " (judged now)" : " (as the checkpoint records)");
        rerun_print_groups(out, work, "  ");
    }
    const char *cmd = json_string_value(json_object_get(run, "command"));
    if (cmd)
        fprintf(out, "last run: %s\n  from %s to %s, exit %lld%s\n", cmd,
                json_string_value(json_object_get(run, "started_at")),
                json_string_value(json_object_get(run, "finished_at")),
                (long long)json_integer_value(json_object_get(run, "exit_code")),
                json_is_true(json_object_get(run, "skip_preflight")) ? ", PRE-FLIGHT SKIPPED" : "");
    print_rerun(o, cfg, out, work);
    if (o->json) {
        json_t *store_now = json_object();
        for (int k = STATE_COMPLETE; have_now && k < STATE_COUNT; k++)
            json_object_set_new(store_now, date_state_name(k),
                                json_integer((json_int_t)now.states[k]));
        json_t *doc = json_pack("{s:s, s:s, s:o, s:o, s:O, s:o, s:o}", "processor", o->processor,
                                "checkpoint", cp.path, "dates", plan_status_counts_json(counts),
                                "store_now", store_now, "last_run", run, "rerun",
                                rerun_dates_json(work), "rerun_by_state", rerun_json(work));
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(doc);
    }
    rerun_free(&recorded);
    rerun_free(&now.list);
    date_list_free(&now.seen);
    checkpoint_close(&cp);
    return EXIT_DONE;
}
