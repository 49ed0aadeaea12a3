/* watch.c - see watch.h. */
#include "report/watch.h"

#include "engine/judge.h"

void watch_print(FILE *out, const watch_row *rows, size_t n)
{
    fprintf(out, "%-16s %-30s %-22s %16s %-24s %s\n", "expect", "table", "range", "coverage",
            "complete through", "");
    for (size_t i = 0; i < n; i++) {
        const watch_row *r = &rows[i];
        char range[32], cov[48], fresh[48];
        snprintf(range, sizeof range, "%s..%s", r->first, r->last);
        snprintf(cov, sizeof cov, "%5.1f%% >= %.0f%%", 100 * r->coverage, 100 * r->min_coverage);
        snprintf(fresh, sizeof fresh, "%s%s%s", r->fresh[0] ? r->fresh : "(none)",
                 r->through[0] ? " >= " : "", r->through);
        fprintf(out, "%-16s %-30s %-22s %16s %-24s %s", r->key, r->table, range, cov, fresh,
                r->ok ? "ok" : "NOT MET");
        if (!r->ok) {
            const char *sep = " (";
            for (int s = STATE_PARTIAL; s < STATE_COUNT; s++)
                if (s != STATE_SKIPPED && s != STATE_WAIVED && s != STATE_UNVERIFIED &&
                    r->states[s]) {
                    fprintf(out, "%s%zu %s", sep, r->states[s], date_state_name(s));
                    sep = ", ";
                }
            fputs(*sep == ',' ? ")" : "", out);
        }
        fputc('\n', out);
    }
}

json_t *watch_row_json(const watch_row *r)
{
    json_t *states = json_object();
    for (int s = STATE_COMPLETE; s < STATE_COUNT; s++)
        if (r->states[s])
            json_object_set_new(states, date_state_name(s),
                                json_integer((json_int_t)r->states[s]));
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:f, s:f, s:b, s:s?, s:s?, s:b, s:b, "
        "s:o}",
        "expect", r->key, "table", r->table, "processor", r->processor, "first", r->first, "last",
        r->last, "expected", (json_int_t)r->expected, "good", (json_int_t)r->good, "coverage",
        r->coverage, "min_coverage", r->min_coverage, "coverage_ok", r->coverage_ok,
        "complete_through", r->fresh[0] ? r->fresh : NULL, "needs_complete_through",
        r->through[0] ? r->through : NULL, "fresh_ok", r->fresh_ok, "ok", r->ok, "states", states);
}
