/* signoff_quality.c - see signoff_quality.h. */
#include "cli/signoff_quality.h"

#include <stdio.h>
#include <string.h>

#include "engine/range_verdict.h"
#include "base/jsontext.h"

int signoff_quality_add(json_t *quality, const bf_config *cfg, const plugin *p, store *s,
                        const date_list *days, char *err, size_t errlen)
{
    json_t *checks = NULL;
    int failing = range_verdict_days(cfg, p, s, days->days, days->n, &checks, err, errlen);
    if (failing < 0)
        return -1;
    if (json_array_size(checks))
        json_array_append_new(quality, json_pack("{s:s, s:s, s:O}", "processor", p->desc->name,
                                                 "table", p->desc->output_table, "checks", checks));
    json_decref(checks);
    return failing;
}

static json_t *named(const json_t *array, const char *key, const char *name)
{
    size_t i;
    json_t *x;
    json_array_foreach(array, i, x)
    {
        if (strcmp(json_string_or(x, key, ""), name) == 0)
            return x;
    }
    return NULL;
}

/* One signed check against the same check now; prints its changed groups. */
static void compare_check(const char *table, const json_t *was, const json_t *now, size_t *lost,
                          size_t *changed)
{
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(was, "groups"), i, g)
    {
        const json_t *h =
            named(json_object_get(now, "groups"), "group", json_string_or(g, "group", ""));
        int passed_then = json_is_true(json_object_get(g, "passed"));
        int passed_now = h && json_is_true(json_object_get(h, "passed"));
        if (h && passed_then == passed_now &&
            json_equal(json_object_get(g, "rows"), json_object_get(h, "rows")) &&
            json_equal(json_object_get(g, "failing"), json_object_get(h, "failing")))
            continue;
        int loss = passed_then && !passed_now;
        *lost += loss;
        *changed += !loss;
        printf("  %-30s quality %s, %s: %s (%s) -> %s (%s)%s\n", table,
               json_string_or(was, "name", ""), json_string_or(g, "group", ""),
               passed_then ? "passed" : "FAILED", json_string_or(g, "measured", ""),
               !h           ? "not measured"
               : passed_now ? "passed"
                            : "FAILED",
               h ? json_string_or(h, "measured", "") : "", loss ? "  LOST" : "");
    }
}

int signoff_quality_recheck(const json_t *signed_entry, const bf_config *cfg, const plugin *p,
                            store *s, const date_list *days, size_t *lost, size_t *changed,
                            char *err, size_t errlen)
{
    if (!signed_entry)
        return 0; /* nothing signed: a check declared since says nothing of the signature */
    json_t *now = NULL;
    if (range_verdict_days(cfg, p, s, days->days, days->n, &now, err, errlen) < 0)
        return -1;
    size_t i;
    json_t *was;
    const char *table = p->desc->output_table;
    json_array_foreach(json_object_get(signed_entry, "checks"), i, was)
    {
        const json_t *check = named(now, "name", json_string_or(was, "name", ""));
        if (check) {
            compare_check(table, was, check, lost, changed);
            continue;
        }
        int passed = json_is_true(json_object_get(was, "passed"));
        *lost += passed;
        *changed += !passed;
        printf("  %-30s quality %s: signed %s, no longer declared%s\n", table,
               json_string_or(was, "name", ""), passed ? "passed" : "FAILED",
               passed ? "  LOST" : "");
    }
    json_decref(now);
    return 0;
}
