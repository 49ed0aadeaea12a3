/* range_quality.c - see range_quality.h. */
#include "report/range_quality.h"

#include <string.h>

#include "base/jsontext.h"

static const char *breakdown(const json_t *c)
{
    const char *by = json_string_or(c, "by", "");
    return *by && strcmp(by, "range") != 0 ? by : NULL;
}

void range_quality_print(FILE *out, const json_t *checks)
{
    size_t i, k;
    json_t *c, *g;
    json_array_foreach(checks, i, c)
    {
        const char *by = breakdown(c);
        fprintf(out, "  %-22s %s over the range%s%s, limit %s\n", json_string_or(c, "name", ""),
                json_string_or(c, "label", ""), by ? " by " : "", by ? by : "",
                json_string_or(c, "limit", ""));
        json_array_foreach(json_object_get(c, "groups"), k, g)
        {
            fprintf(out, "    %-30s %-4s %s\n", json_string_or(g, "group", ""),
                    json_is_true(json_object_get(g, "passed")) ? "ok" : "FAIL",
                    json_string_or(g, "measured", ""));
        }
    }
}

size_t range_quality_failures(FILE *out, const json_t *checks)
{
    size_t i, k, n = 0;
    json_t *c, *g;
    json_array_foreach(checks, i, c)
    {
        json_array_foreach(json_object_get(c, "groups"), k, g)
        {
            if (json_is_true(json_object_get(g, "passed")))
                continue;
            fprintf(out, "range check %s: %s: %s\n", json_string_or(c, "name", ""),
                    json_string_or(g, "group", ""), json_string_or(g, "measured", ""));
            n++;
        }
    }
    return n;
}

/* One cell: in HTML escaped and between td tags, in Markdown with "|"
 * escaped. */
static void cell(FILE *f, const char *text, int html)
{
    fputs(html ? "<td>" : " ", f);
    for (const char *p = text; *p; p++)
        switch (*p) {
        case '<': fputs(html ? "&lt;" : "<", f); break;
        case '>': fputs(html ? "&gt;" : ">", f); break;
        case '&': fputs(html ? "&amp;" : "&", f); break;
        case '|': fputs(html ? "|" : "\\|", f); break;
        case '\n': fputc(' ', f); break;
        default: fputc(*p, f);
        }
    fputs(html ? "</td>" : " |", f);
}

static void row(FILE *f, const json_t *t, const json_t *c, const json_t *g, int html)
{
    char what[640], dates[32];
    snprintf(what, sizeof what, "%s: %s", json_string_or(c, "name", ""),
             json_string_or(c, "label", ""));
    snprintf(dates, sizeof dates, "%lld",
             (long long)json_integer_value(json_object_get(g, "dates")));
    fputs(html ? "<tr>" : "|", f);
    cell(f, json_string_or(t, "table", ""), html);
    cell(f, what, html);
    cell(f, json_string_or(g, "group", ""), html);
    cell(f, dates, html);
    cell(f, json_string_or(g, "measured", ""), html);
    cell(f, json_is_true(json_object_get(g, "passed")) ? "passed" : "FAILED", html);
    fputs(html ? "</tr>\n" : "\n", f);
}

void range_quality_document(FILE *f, const json_t *quality, int html)
{
    size_t i, k, m;
    json_t *t, *c, *g;
    fputs(html ? "<h2>Quality over the range</h2>\n" : "\n## Quality over the range\n\n", f);
    if (!json_array_size(quality)) {
        fputs(html ? "<p>No range quality check is declared for these tables.</p>\n"
                   : "No range quality check is declared for these tables.\n",
              f);
        return;
    }
    fputs(html ? "<table><tr><th>table</th><th>check</th><th>group</th><th>dates</th>"
                 "<th>measured</th><th>verdict</th></tr>\n"
               : "| table | check | group | dates | measured | verdict |\n"
                 "|---|---|---|---|---|---|\n",
          f);
    json_array_foreach(quality, i, t)
    {
        json_array_foreach(json_object_get(t, "checks"), k, c)
        {
            json_array_foreach(json_object_get(c, "groups"), m, g)
            {
                row(f, t, c, g, html);
            }
        }
    }
    fputs(html ? "</table>\n" : "", f);
}
