/* signoff.c - the `signoff` command: the judge's facts over a range of a
 * group's tables written as a handoff document (report/signoff.c), and
 * `signoff --check FILE`: the same range judged again now, and every date
 * whose state or rows changed since it was signed. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/files.h"
#include "cli/cli.h"
#include "cli/signoff_quality.h"
#include "cli/signoff_waivers.h"
#include "engine/judge.h"
#include "engine/selection.h"
#include "report/signoff.h"
#include "state/checkpoint.h"

typedef struct collect {
    json_t *dates;
    size_t states[STATE_COUNT], expected;
    date_list *days; /* the judged dates but bootstrap days */
} collect;

static void take(void *udata, const date_entry *e, const verdict *v)
{
    collect *c = udata;
    json_object_set_new(c->dates, e->date,
                        json_pack("[s, I]", date_state_name(v->state), (json_int_t)v->rows));
    c->states[v->state]++;
    c->expected += v->state != STATE_SKIPPED;
    if (v->state != STATE_SKIPPED)
        date_list_push(c->days, e->day);
}

/* Node's dates over sel, judged now: its table's entry of the facts; the
 * dates judged (bootstrap days left out) into *days. */
static json_t *judge_table(const selection *v, const bf_config *cfg, judge_cache *cache,
                           size_t node, const date_selection *sel, date_list *days, char *err,
                           size_t errlen)
{
    const graph_node *n = &v->g.nodes[node];
    collect c = {json_object(), {0}, 0, days};
    if (judge_range_cached(v->ro, cfg, &v->g, &n->p, sel, cache, take, &c, err, errlen) != 0) {
        json_decref(c.dates);
        return NULL;
    }
    json_t *states = json_object();
    for (int k = STATE_COMPLETE; k < STATE_COUNT; k++)
        if (c.states[k])
            json_object_set_new(states, date_state_name(k), json_integer((json_int_t)c.states[k]));
    size_t good = c.states[STATE_COMPLETE] + c.states[STATE_UNVERIFIED] + c.states[STATE_WAIVED];
    return json_pack("{s:s, s:s, s:I, s:o, s:f, s:b, s:o}", "processor", n->name, "table",
                     n->p.desc->output_table, "expected", (json_int_t)c.expected, "states", states,
                     "coverage", c.expected ? (double)good / (double)c.expected : 1.0, "passed",
                     judge_table_passes(c.states, c.expected, cfg->min_coverage), "dates", c.dates);
}

/* The waivers relied on over the range (signoff_waivers.h) and the last
 * runs of the selected processors. Returns 0, or -1 with err. */
static int add_context(json_t *facts, const selection *v, const date_args *dates,
                       const bf_config *cfg, char *err, size_t errlen)
{
    json_t *waivers = signoff_waivers(v, dates, cfg, err, errlen), *runs = json_array();
    if (!waivers) {
        json_decref(runs);
        return -1;
    }
    for (size_t k = 0; k < v->g.norder; k++) {
        const char *name = v->g.nodes[v->g.order[k]].name;
        checkpoint cp;
        char why[512];
        if (!v->mask[v->g.order[k]] || checkpoint_open(&cp, cfg->state_dir, name, why, sizeof why))
            continue;
        json_t *run = json_object_get(cp.root, "run");
        if (json_object_get(run, "command"))
            json_array_append_new(
                runs, json_pack("{s:s, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "processor", name,
                                "command", json_object_get(run, "command"), "started_at",
                                json_object_get(run, "started_at"), "finished_at",
                                json_object_get(run, "finished_at"), "exit",
                                json_object_get(run, "exit_code"), "skip_preflight",
                                json_object_get(run, "skip_preflight"), "skip_preflight_reason",
                                json_object_get(run, "skip_preflight_reason")));
        checkpoint_close(&cp);
    }
    json_object_set_new(facts, "waivers", waivers);
    json_object_set_new(facts, "runs", runs);
    return 0;
}

/* The document into path (replaced whole), or on stdout. */
static int write_doc(const json_t *facts, const char *path, int html)
{
    char *buf = NULL, err[1024];
    size_t len = 0;
    FILE *mem = path ? open_memstream(&buf, &len) : stdout;
    int rc = mem ? signoff_write(mem, facts, html) : -1;
    if (path && mem)
        rc |= fclose(mem);
    if (path && rc == 0 && file_replace(path, buf, len, err, sizeof err) != 0) {
        fprintf(stderr, "backfill signoff: %s\n", err);
        rc = -1;
    }
    free(buf);
    if (path && rc == 0)
        printf("wrote %s\n", path);
    return rc;
}

static int sign(const cli_options *o, const bf_config *cfg)
{
    char err[1024], now[32], first[DATE_LEN], last[DATE_LEN], print[17];
    selection v;
    if (!o->targets) {
        fprintf(stderr, "backfill signoff: which tables? --targets GROUP|A,B\n");
        return EXIT_USAGE;
    }
    date_args dates = cli_dates(o);
    if (selection_open(&v, &dates, cfg, o->targets, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    judge_cache *cache = judge_cache_new(0);
    json_t *tables = json_array(), *list = json_array(), *quality = json_array();
    int rc = EXIT_DONE, quality_failing = 0, tables_ok = 1;
    for (size_t k = 0; cache && k < v.g.norder && rc != EXIT_USAGE; k++) {
        if (!v.mask[v.g.order[k]])
            continue;
        date_list days = {0};
        json_t *t = judge_table(&v, cfg, cache, v.g.order[k], &v.sel, &days, err, sizeof err);
        int failing = t ? signoff_quality_add(quality, cfg, &v.g.nodes[v.g.order[k]].p, v.ro, &days,
                                              err, sizeof err)
                        : -1;
        date_list_free(&days);
        if (failing < 0) {
            fprintf(stderr, "backfill: %s\n", err);
            json_decref(t);
            rc = EXIT_USAGE;
            break;
        }
        quality_failing += failing;
        tables_ok &= json_is_true(json_object_get(t, "passed"));
        json_array_append_new(tables, t);
    }
    if (rc == EXIT_DONE && (!tables_ok || quality_failing))
        rc = EXIT_DATES_FAILED;
    for (size_t i = 0; !v.sel.is_range && i < v.sel.list.n; i++) {
        date_format(v.sel.list.days[i], first);
        json_array_append_new(list, json_string(first));
    }
    date_format(v.sel.first, first);
    date_format(v.sel.last, last);
    clock_utc_iso(now, sizeof now);
    const char *by = o->by ? o->by : getenv("USER");
    json_t *facts =
        json_pack("{s:i, s:s, s:{s:s, s:s, s:o}, s:s, s:s, s:b, s:o}", "backfill_signoff",
                  SIGNOFF_VERSION, "targets", o->targets, "range", "first", first, "last", last,
                  "dates", v.sel.is_range ? json_null() : list, "signed_by", by ? by : "(unknown)",
                  "signed_at", now, "complete", rc != EXIT_USAGE && tables_ok, "tables", tables);
    if (v.sel.is_range)
        json_decref(list);
    json_object_set_new(facts, "quality", quality);
    json_object_set_new(facts, "quality_passed", json_boolean(quality_failing == 0));
    if (rc != EXIT_USAGE && add_context(facts, &v, &dates, cfg, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        rc = EXIT_USAGE;
    }
    if (signoff_fingerprint(facts, print) != 0) {
        fprintf(stderr, "backfill: signoff: out of memory\n");
        rc = EXIT_USAGE;
        print[0] = '\0';
    }
    json_object_set_new(facts, "fingerprint", json_string(print));
    if (rc != EXIT_USAGE && write_doc(facts, o->md ? o->md : o->html, o->html != NULL) != 0)
        rc = EXIT_USAGE;
    json_decref(facts);
    judge_cache_free(cache);
    selection_close(&v);
    return rc;
}

int cmd_signoff(const cli_options *o, const bf_config *cfg)
{
    if (o->check_file)
        return cmd_signoff_check(o, cfg);
    if (o->md && o->html) {
        fprintf(stderr, "backfill signoff: --md and --html exclude each other\n");
        return EXIT_USAGE;
    }
    return sign(o, cfg);
}
