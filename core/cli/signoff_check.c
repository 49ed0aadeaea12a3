/* signoff_check.c - `signoff --check FILE`: the facts a sign-off recorded,
 * judged again now over the same range and tables, and every date whose
 * state or rows changed since it was signed. A date signed complete (or
 * unverified, waived) that is no longer is a loss: exit 1. A document
 * whose facts do not match their fingerprint was edited: exit 1 too. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/signoff_quality.h"
#include "engine/graph.h"
#include "engine/judge.h"
#include "report/signoff.h"
#include "base/jsontext.h"

typedef struct compare {
    json_t *signed_dates; /* date -> [state, rows] as signed */
    const char *table;
    size_t same, lost, gained, changed;
    size_t quality_lost, quality_changed; /* range check groups */
    date_list days;                       /* the dates judged now but bootstrap days */
} compare;

static int good(const char *state)
{
    return strcmp(state, "complete") == 0 || strcmp(state, "unverified") == 0 ||
           strcmp(state, "waived") == 0 || strcmp(state, "skipped") == 0;
}

static void against(void *udata, const date_entry *e, const verdict *v)
{
    compare *c = udata;
    if (v->state != STATE_SKIPPED)
        date_list_push(&c->days, e->day);
    json_t *was = json_object_get(c->signed_dates, e->date);
    if (!was)
        return; /* not signed: a calendar date added since says nothing of the signature */
    const char *before = json_string_value(json_array_get(was, 0));
    long long rows_before = (long long)json_integer_value(json_array_get(was, 1));
    const char *now = date_state_name(v->state);
    if (before && strcmp(before, now) == 0 && rows_before == (long long)v->rows) {
        c->same++;
        return;
    }
    int lost = before && good(before) && !good(now);
    c->lost += lost;
    c->gained += before && !good(before) && good(now);
    c->changed += !lost;
    printf("  %-30s %s  %s (%lld rows) -> %s (%lld rows)%s\n", c->table, e->date,
           before ? before : "?", rows_before, now, (long long)v->rows, lost ? "  LOST" : "");
}

/* The signed range as a selection: a range, or the signed list. */
static int signed_selection(const json_t *facts, date_selection *sel, char *err, size_t errlen)
{
    const json_t *range = json_object_get(facts, "range");
    const char *first = json_string_value(json_object_get(range, "first"));
    const char *last = json_string_value(json_object_get(range, "last"));
    json_t *list = json_object_get(range, "dates");
    char why[160];
    memset(sel, 0, sizeof *sel);
    sel->is_range = !json_is_array(list);
    if (!first || !last || date_parse(first, &sel->first, why, sizeof why) != 0 ||
        date_parse(last, &sel->last, why, sizeof why) != 0) {
        snprintf(err, errlen, "the sign-off's range is not two dates");
        return -1;
    }
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d)
    {
        bf_day day;
        const char *s = json_string_value(d);
        if (!s || date_parse(s, &day, why, sizeof why) != 0 ||
            date_list_push(&sel->list, day) != 0) {
            snprintf(err, errlen, "the sign-off's dates: '%s' is not a date", s ? s : "?");
            date_selection_free(sel);
            return -1;
        }
    }
    return 0;
}

/* The signed range checks of processor name, or NULL. */
static const json_t *signed_quality(const json_t *facts, const char *name)
{
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(facts, "quality"), i, q)
    {
        const char *p = json_string_value(json_object_get(q, "processor"));
        if (p && strcmp(p, name) == 0)
            return q;
    }
    return NULL;
}

/* Every signed table judged again, and its range checks measured again;
 * the changes printed. Returns an exit code. */
static int rejudge(const json_t *facts, const bf_config *cfg, date_selection *sel, graph *g,
                   store *s, compare *sum)
{
    char err[1024];
    size_t i;
    json_t *t;
    judge_cache *cache = judge_cache_new(0);
    json_array_foreach(json_object_get(facts, "tables"), i, t)
    {
        const char *name = json_string_value(json_object_get(t, "processor"));
        size_t node = name ? graph_find(g, name) : GRAPH_NONE;
        if (node == GRAPH_NONE || !cache) {
            fprintf(stderr, "backfill: signed processor %s is not in %s now\n", name ? name : "?",
                    cfg->plugin_path);
            judge_cache_free(cache);
            return EXIT_USAGE;
        }
        compare c = {.signed_dates = json_object_get(t, "dates"),
                     .table = json_string_or(t, "table", "?")};
        if (judge_range_cached(s, cfg, g, &g->nodes[node].p, sel, cache, against, &c, err,
                               sizeof err) != 0 ||
            signoff_quality_recheck(signed_quality(facts, name), cfg, &g->nodes[node].p, s, &c.days,
                                    &c.quality_lost, &c.quality_changed, err, sizeof err) != 0) {
            fprintf(stderr, "backfill: %s\n", err);
            date_list_free(&c.days);
            judge_cache_free(cache);
            return EXIT_USAGE;
        }
        date_list_free(&c.days);
        sum->same += c.same;
        sum->lost += c.lost;
        sum->gained += c.gained;
        sum->changed += c.changed;
        sum->quality_lost += c.quality_lost;
        sum->quality_changed += c.quality_changed;
    }
    judge_cache_free(cache);
    return EXIT_DONE;
}

int cmd_signoff_check(const cli_options *o, const bf_config *cfg)
{
    char err[1024], print[17];
    json_t *facts = signoff_read(o->check_file, err, sizeof err);
    if (!facts) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    date_selection sel;
    if (signed_selection(facts, &sel, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s: %s\n", o->check_file, err);
        json_decref(facts);
        return EXIT_USAGE;
    }
    const char *recorded = json_string_value(json_object_get(facts, "fingerprint"));
    if (signoff_fingerprint(facts, print) != 0) {
        fprintf(stderr, "backfill: signoff --check: out of memory\n");
        date_selection_free(&sel);
        json_decref(facts);
        return EXIT_USAGE;
    }
    int edited = !recorded || strcmp(recorded, print) != 0;
    const json_t *range = json_object_get(facts, "range");
    printf("sign-off of %s, %s..%s by %s at %s\n", json_string_or(facts, "targets", "?"),
           json_string_or(range, "first", "?"), json_string_or(range, "last", "?"),
           json_string_or(facts, "signed_by", "?"), json_string_or(facts, "signed_at", "?"));
    if (edited)
        printf("EDITED: its facts do not match its fingerprint %s (they give %s)\n",
               recorded ? recorded : "(none)", print);
    else if (signoff_version(facts) < SIGNOFF_VERSION)
        printf("(an older sign-off: its fingerprint covers its dates and range checks, not who "
               "signed, when or over what range)\n");
    graph g;
    store *s = NULL;
    compare sum = {0};
    int rc = EXIT_USAGE;
    if (graph_load(cfg, &g, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        goto out_sel;
    }
    if (store_open(cfg->store_conf, STORE_READ_ONLY, &s, err, sizeof err) != BF_OK)
        fprintf(stderr, "backfill: %s\n", err);
    else
        rc = rejudge(facts, cfg, &sel, &g, s, &sum);
    if (rc == EXIT_DONE) {
        printf("judged again now: %zu dates unchanged, %zu lost, %zu gained, %zu other changes\n",
               sum.same, sum.lost, sum.gained, sum.changed - sum.gained);
        if (json_array_size(json_object_get(facts, "quality")))
            printf("range quality measured again: %zu group%s lost, %zu other change%s\n",
                   sum.quality_lost, sum.quality_lost == 1 ? "" : "s", sum.quality_changed,
                   sum.quality_changed == 1 ? "" : "s");
        rc = sum.lost || sum.quality_lost || edited ? EXIT_DATES_FAILED : EXIT_DONE;
    }
    store_close(s);
    graph_free(&g);
out_sel:
    date_selection_free(&sel);
    json_decref(facts);
    return rc;
}
