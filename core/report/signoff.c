/* signoff.c - see signoff.h. The document is for people; the line of JSON
 * at its end is for `signoff --check`, and its fingerprint tells whether
 * that line was edited after signing. */
#include "report/signoff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/files.h"
#include "report/range_quality.h"
#include "base/jsontext.h"

#define MARKER "backfill-signoff facts"

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* The range checks' figures, group by group (nothing when none). */
static uint64_t fingerprint_quality(uint64_t h, const json_t *quality)
{
    size_t i, k, m;
    json_t *t, *c, *g;
    json_array_foreach(quality, i, t)
    {
        json_array_foreach(json_object_get(t, "checks"), k, c)
        {
            json_array_foreach(json_object_get(c, "groups"), m, g)
            {
                char line[512];
                snprintf(line, sizeof line, "quality %s %s %s %lld %lld %d\n",
                         json_string_or(t, "table", ""), json_string_or(c, "name", ""),
                         json_string_or(g, "group", ""),
                         (long long)json_integer_value(json_object_get(g, "rows")),
                         (long long)json_integer_value(json_object_get(g, "failing")),
                         json_is_true(json_object_get(g, "passed")));
                h = fnv(h, line);
            }
        }
    }
    return h;
}

/* Version 1 documents: the tables' dates and the range checks' figures. */
static uint64_t fingerprint_v1(uint64_t h, const json_t *facts)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(facts, "tables"), i, t)
    {
        h = fnv(fnv(h, json_string_or(t, "table", "")), "\n");
        const char *date;
        json_t *fact;
        json_object_foreach(json_object_get(t, "dates"), date, fact)
        {
            const char *state = json_string_value(json_array_get(fact, 0));
            char line[128];
            snprintf(line, sizeof line, "%s %s %lld\n", date, state ? state : "",
                     (long long)json_integer_value(json_array_get(fact, 1)));
            h = fnv(h, line);
        }
    }
    return fingerprint_quality(h, json_object_get(facts, "quality"));
}

int signoff_version(const json_t *facts)
{
    return (int)json_integer_value(json_object_get(facts, "backfill_signoff"));
}

int signoff_fingerprint(const json_t *facts, char out[17])
{
    uint64_t h = 14695981039346656037ULL;
    if (signoff_version(facts) < SIGNOFF_VERSION) {
        h = fingerprint_v1(h, facts);
    } else {
        /* Every fact but the fingerprint, keys sorted: who signed, when,
         * the range and the targets as much as the dates. json_text, not
         * json_dumps: a key lost to a failed allocation would change it. */
        json_t *signed_facts = json_copy((json_t *)facts);
        json_object_del(signed_facts, "fingerprint"); /* none yet when signing */
        char *text =
            signed_facts ? json_text(signed_facts, JSON_COMPACT | JSON_SORT_KEYS, NULL) : NULL;
        json_decref(signed_facts);
        if (!text)
            return -1;
        h = fnv(h, text);
        free(text);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    return 0;
}

/* One table row: processor, table, complete of expected, coverage, the
 * other states, the verdict. */
static void table_row(FILE *f, const json_t *t, int html)
{
    char states[512] = "";
    size_t n = 0;
    const char *name;
    json_t *count;
    json_object_foreach(json_object_get(t, "states"), name, count)
    {
        if (strcmp(name, "complete") != 0 && n < sizeof states)
            n += (size_t)snprintf(states + n, sizeof states - n, "%s%lld %s", n ? ", " : "",
                                  (long long)json_integer_value(count), name);
    }
    const char *fmt = html ? "<tr><td>%s</td><td>%lld of %lld</td><td>%.1f %%</td><td>%s</td>"
                             "<td>%s</td></tr>\n"
                           : "| %s | %lld of %lld | %.1f %% | %s | %s |\n";
    fprintf(
        f, fmt, json_string_or(t, "table", ""),
        (long long)json_integer_value(json_object_get(json_object_get(t, "states"), "complete")),
        (long long)json_integer_value(json_object_get(t, "expected")),
        100 * json_number_value(json_object_get(t, "coverage")), states[0] ? states : "-",
        json_is_true(json_object_get(t, "passed")) ? "complete" : "NOT COMPLETE");
}

static void section(FILE *f, const char *title, int html)
{
    fprintf(f, html ? "<h2>%s</h2>\n" : "\n## %s\n\n", title);
}

static void list_item(FILE *f, int html, const char *text)
{
    fprintf(f, html ? "<li>%s</li>\n" : "- %s\n", text);
}

/* Who relied on waiver x: "waives 1 date in the range for copy; relied on
 * by the last run of copy". */
static void relied_on(const json_t *x, char *buf, size_t size)
{
    size_t n = 0, i;
    json_t *name;
    const json_t *judged = json_object_get(x, "relied_on_by"), *runs = json_object_get(x, "runs");
    buf[0] = '\0';
    if (json_array_size(judged)) {
        long long d = (long long)json_integer_value(json_object_get(x, "dates_waived"));
        n += (size_t)snprintf(buf, size, "waives %lld date%s in the range for", d,
                              d == 1 ? "" : "s");
        json_array_foreach(judged, i, name)
        {
            if (n < size)
                n += (size_t)snprintf(buf + n, size - n, "%s %s", i ? "," : "",
                                      json_string_value(name));
        }
    }
    json_array_foreach(runs, i, name)
    {
        if (n < size)
            n +=
                (size_t)snprintf(buf + n, size - n, "%s%s%s",
                                 i   ? ", "
                                 : n ? "; "
                                     : "",
                                 i ? "" : "relied on by the last run of ", json_string_value(name));
    }
}

static void write_lists(FILE *f, const json_t *facts, int html)
{
    char line[1024];
    size_t i;
    json_t *x;
    section(f, "Waivers relied on over the range", html);
    fputs(html ? "<ul>\n" : "", f);
    json_array_foreach(json_object_get(facts, "waivers"), i, x)
    {
        char by[512];
        relied_on(x, by, sizeof by);
        snprintf(line, sizeof line, "%s %s: %s (approved by %s, expires %s; %s:%lld); %s",
                 json_string_or(x, "table", ""), json_string_or(x, "dates", ""),
                 json_string_or(x, "reason", ""), json_string_or(x, "approved_by", ""),
                 json_string_or(x, "expires", ""), json_string_or(x, "config", ""),
                 (long long)json_integer_value(json_object_get(x, "line")), by);
        list_item(f, html, line);
    }
    if (!json_array_size(json_object_get(facts, "waivers")))
        list_item(f, html, "none");
    fputs(html ? "</ul>\n" : "", f);
    section(f, "Last runs", html);
    fputs(html ? "<ul>\n" : "", f);
    json_array_foreach(json_object_get(facts, "runs"), i, x)
    {
        if (json_is_true(json_object_get(x, "skip_preflight")))
            snprintf(line, sizeof line, "%s: exit %lld at %s, PRE-FLIGHT SKIPPED (%s): `%s`",
                     json_string_or(x, "processor", ""),
                     (long long)json_integer_value(json_object_get(x, "exit")),
                     json_string_or(x, "finished_at", ""),
                     json_string_or(x, "skip_preflight_reason", ""),
                     json_string_or(x, "command", ""));
        else
            snprintf(line, sizeof line, "%s: exit %lld at %s: `%s`",
                     json_string_or(x, "processor", ""),
                     (long long)json_integer_value(json_object_get(x, "exit")),
                     json_string_or(x, "finished_at", ""), json_string_or(x, "command", ""));
        list_item(f, html, line);
    }
    fputs(html ? "</ul>\n" : "", f);
}

int signoff_write(FILE *f, const json_t *facts, int html)
{
    const json_t *range = json_object_get(facts, "range");
    if (html)
        fputs("<!doctype html><meta charset=\"utf-8\"><title>backfill sign-off</title>\n"
              "<style>body{font:14px system-ui,sans-serif;margin:20px}td,th{padding:2px 8px;"
              "border-bottom:1px solid #ddd;text-align:left}</style>\n",
              f);
    fprintf(f, html ? "<h1>Sign-off: %s, %s..%s</h1>\n<p>" : "# Sign-off: %s, %s..%s\n\n",
            json_string_or(facts, "targets", ""), json_string_or(range, "first", ""),
            json_string_or(range, "last", ""));
    fprintf(f,
            "Signed by %s at %s. Every figure below is the judge's (`backfill gaps`, "
            "`verify`); %s.%s%s\n",
            json_string_or(facts, "signed_by", ""), json_string_or(facts, "signed_at", ""),
            json_is_true(json_object_get(facts, "complete"))
                ? "every table is complete over the range"
                : "NOT every table is complete over the range",
            json_is_false(json_object_get(facts, "quality_passed"))
                ? " A range quality check FAILS: see Quality over the range."
                : "",
            html ? "</p>" : "");
    section(f, "Tables", html);
    fputs(html
              ? "<table><tr><th>table</th><th>complete</th><th>coverage</th><th>other "
                "states</th><th>verdict</th></tr>\n"
              : "| table | complete | coverage | other states | verdict |\n|---|---|---|---|---|\n",
          f);
    const json_t *tables = json_object_get(facts, "tables");
    for (size_t i = 0; i < json_array_size(tables); i++)
        table_row(f, json_array_get(tables, i), html);
    fputs(html ? "</table>\n" : "", f);
    range_quality_document(f, json_object_get(facts, "quality"), html);
    write_lists(f, facts, html);
    section(f, "Fingerprint", html);
    fprintf(f,
            "%s%s%s over every fact below: who signed, when, the range and every judged date of "
            "every table. Re-check it against the store "
            "with `backfill signoff --check FILE`.%s\n",
            html ? "<p><code>" : "`", json_string_or(facts, "fingerprint", ""),
            html ? "</code>" : "`", html ? "</p>" : "");
    char *line = json_dumps(facts, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ESCAPE_SLASH);
    if (!line)
        return -1;
    fprintf(f,
            html ? "<script type=\"application/json\" id=\"" MARKER "\">\n%s\n</script>\n"
                 : "\n<!-- " MARKER ": one line of JSON, read by signoff --check -->\n```json\n%s\n"
                   "```\n",
            line);
    free(line);
    return ferror(f) ? -1 : 0;
}

json_t *signoff_read(const char *path, char *err, size_t errlen)
{
    char why[512];
    FILE *f = file_fopen_regular(path, why, sizeof why);
    if (!f) {
        snprintf(err, errlen, "signoff --check %s", why);
        return NULL;
    }
    char *line = NULL;
    size_t cap = 0;
    int marked = 0;
    json_t *facts = NULL;
    while (!facts && getline(&line, &cap, f) > 0) {
        if (strstr(line, MARKER))
            marked = 1;
        else if (marked && line[0] == '{')
            facts = json_loads(line, 0, NULL);
    }
    free(line);
    fclose(f);
    if (!facts || !json_is_array(json_object_get(facts, "tables")))
        snprintf(err, errlen,
                 "signoff --check %s: no sign-off facts in it (written by backfill "
                 "signoff --md or --html?)",
                 path);
    return facts && json_is_array(json_object_get(facts, "tables")) ? facts
                                                                    : (json_decref(facts), NULL);
}
