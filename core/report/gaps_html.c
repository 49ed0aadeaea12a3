/* gaps_html.c - the gaps matrix as one self-contained HTML heatmap: inline
 * CSS, no script, no external asset, nothing fetched. Dates run down, tables
 * across; a cell is coloured by the judge's state through one class per
 * state and carries its hover text in a title attribute. Markup is kept to
 * one <td class=X title="..."> per cell, so 1,500 dates x 15 tables stay
 * well under 2 MB and render at once. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "report/gaps_html.h"
#include "engine/judge.h"

/* Per state: its CSS class and colour. */
static const struct {
    char cls;
    const char *colour;
} look[STATE_COUNT] = {
    [STATE_PENDING] = {'x', "#fff"},         [STATE_COMPLETE] = {'c', "#2e9d4f"},
    [STATE_PARTIAL] = {'p', "#f0b429"},      [STATE_MISSING] = {'m', "#d64545"},
    [STATE_BLOCKED] = {'b', "#8e5bd0"},      [STATE_SKIPPED] = {'s', "#d9d9d9"},
    [STATE_STALE] = {'t', "#3fa7d6"},        [STATE_ORPHANED] = {'o', "#e377c2"},
    [STATE_FAILED] = {'f', "#7f0000"},       [STATE_UNVERIFIED] = {'u', "#a6c8b0"},
    [STATE_CHECK_FAILED] = {'q', "#ff7f0e"}, [STATE_OUTDATED] = {'v', "#17becf"},
    [STATE_WAIVED] = {'w', "#b0b0e0"},
};

static const char style[] =
    "body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}"
    "h1{font-size:18px;margin:0}h2{font-size:15px;margin:18px 0 6px}"
    "i{display:inline-block;width:11px;height:11px;margin:0 4px 0 12px;vertical-align:-1px}"
    "table{border-collapse:collapse}"
    ".cv td,.cv th{padding:1px 6px;text-align:right;border-bottom:1px solid #eee;"
    "white-space:nowrap}"
    ".cv td:nth-child(2){text-align:left}.no{color:#b00;font-weight:bold}"
    "pre{white-space:pre-wrap;word-break:break-all;margin:2px 0 8px;font-size:11px;"
    "background:#f6f6f6;padding:4px;max-width:720px;max-height:5.5em;overflow:auto}"
    "pre:empty{display:none}"
    ".main{display:flex;gap:28px;align-items:flex-start}aside{position:sticky;top:0}"
    ".hm td{min-width:30px;height:3px;padding:0;border-left:1px solid #fff}"
    ".hm th{font-weight:normal;font-size:10px;padding:0 6px 0 0;text-align:right;"
    "white-space:nowrap;height:3px;line-height:3px;vertical-align:top}"
    ".hm thead th{position:sticky;top:0;background:#fff;line-height:14px;height:14px;"
    "text-align:center;padding:0}"
    ".hm tr.mo td,.hm tr.mo th{border-top:1px solid #fff}"
    ".hm tr.se td,.hm tr.se th{border-top:6px solid #fff}.hm tr.se th{font-weight:bold}"
    "td:hover{outline:2px solid #000}"
    ".hm.mv td{height:12px}.hm.mv th{height:12px;line-height:12px;font-size:11px}"
    ".gv td{min-width:44px;font-size:10px;line-height:12px;text-align:center}"
    ".gv td a{display:block;color:#000;text-decoration:none}.gv .f a,.gv .b a{color:#fff}"
    ".hm tr.al td,.hm tr.al th{border-bottom:6px solid #fff;font-weight:bold}"
    "summary{cursor:pointer;margin:4px 0}details table{margin:2px 0 10px 16px}";

/* "2026-01-05T10:00:00Z" as "2026-01-05 10:00"; "" as "never". */
static void short_time(const char *iso, char out[20])
{
    if (!iso[0]) {
        snprintf(out, 20, "never");
        return;
    }
    snprintf(out, 20, "%.16s", iso);
    /* The checkpoint is a file anyone can edit: keep only what a time
     * holds, so nothing in it can escape the attribute. */
    for (char *c = out; *c; c++)
        if (*c == 'T')
            *c = ' ';
        else if (!isdigit((unsigned char)*c) && *c != '-' && *c != ':')
            *c = '?';
}

void gaps_html_legend(FILE *f, const gaps_matrix *m)
{
    size_t total[STATE_COUNT] = {0};
    for (size_t k = 0; k < m->ntables; k++)
        for (int s = 0; s < STATE_COUNT; s++)
            total[s] += m->tables[k].states[s];
    fputs("<p class=lg>", f);
    for (int s = STATE_COMPLETE; s < STATE_COUNT; s++)
        fprintf(f, "<i class=%c></i>%s %zu", look[s].cls,
                s == STATE_SKIPPED ? "skipped (bootstrap)" : date_state_name(s), total[s]);
    fputs("</p>\n", f);
}

/* The days of a page: rows [r0, r1) of the matrix. */
typedef struct page_days {
    bf_day lo, hi;
} page_days;

/* How many of d fall on the page. */
static size_t on_page(const date_list *d, page_days pg)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->days[i] >= pg.lo && d->days[i] <= pg.hi;
    return n;
}

/* The dates of d on the page, comma-separated, inside a <pre> named id. */
static void write_dates(FILE *f, const date_list *d, const char *id, const char *code, page_days pg)
{
    fprintf(f, "<pre id=%s-%s>", id, code);
    const char *sep = "";
    for (size_t i = 0; i < d->n; i++) {
        if (d->days[i] < pg.lo || d->days[i] > pg.hi)
            continue;
        char text[DATE_LEN];
        date_format(d->days[i], text);
        fprintf(f, "%s%s", sep, text);
        sep = ",";
    }
    fputs("</pre>", f);
}

/* Per table, every date of the page that needs work (rerun.h), grouped by
 * state: all of them in one list, then one list per state (its id the
 * state's name). */
static void write_rerun(FILE *f, const gaps_matrix *m, page_days pg)
{
    fputs("<h2>Dates that need work, ready for --dates</h2>\n", f);
    for (size_t k = 0; k < m->ntables; k++) {
        const gaps_table *t = &m->tables[k];
        date_list all = {0};
        int ok = rerun_all(&t->rerun, &all) == 0;
        fprintf(f, "<div>%s (%s): %zu need work", t->code, t->table, on_page(&all, pg));
        if (ok)
            write_dates(f, &all, "rerun", t->code, pg);
        date_list_free(&all);
        for (size_t i = 0; i < rerun_nstates; i++) {
            const date_list *d = &t->rerun.by_state[rerun_order[i]];
            size_t n = on_page(d, pg);
            if (!n)
                continue;
            fprintf(f, "<div>%zu %s", n, date_state_name(rerun_order[i]));
            write_dates(f, d, date_state_name(rerun_order[i]), t->code, pg);
            fputs("</div>", f);
        }
        fputs("</div>\n", f);
    }
}

static void coverage_table(FILE *f, const gaps_matrix *m)
{
    fprintf(f, "<h2>Coverage (complete dates of expected; threshold %.1f%%)</h2>\n",
            100 * m->threshold);
    fputs("<table class=cv><tr><th>code<th>table<th>expected<th>covered<th>coverage<th>"
          "threshold<th>verdict<th>not covered<th>need work<th>last run</tr>\n",
          f);
    for (size_t k = 0; k < m->ntables; k++) {
        const gaps_table *t = &m->tables[k];
        char when[20];
        short_time(t->last_run, when);
        fprintf(f,
                "<tr><td>%s<td>%s<td>%zu<td>%zu<td>%.1f%%<td>%.1f%%<td%s>%s<td>%zu<td>%zu<td>%s"
                "</tr>\n",
                t->code, t->table, t->expected, t->covered, 100 * t->coverage, 100 * m->threshold,
                t->passed ? "" : " class=no", t->passed ? "ok" : "NOT COMPLETE",
                t->expected - t->covered, t->rerun.total, when);
    }
    fputs("</table>\n", f);
}

static void write_coverage(FILE *f, const gaps_matrix *m, size_t r0, size_t r1)
{
    coverage_table(f, m);
    page_days pg = {0, -1};
    if (r1 > r0)
        pg = (page_days){m->days.days[r0], m->days.days[r1 - 1]};
    write_rerun(f, m, pg);
}

/* The row's marks: a new season (a configured season starts between the
 * previous row and this one, or the first row), a new month. */
static const char *row_class(const gaps_matrix *m, size_t r, size_t r0, int *label)
{
    bf_day d = m->days.days[r];
    char a[DATE_LEN], b[DATE_LEN];
    *label = 0;
    if (r == r0) {
        *label = 1;
        return "";
    }
    bf_day prev = m->days.days[r - 1];
    for (int i = 0; i < m->nseasons; i++)
        if (m->seasons[i].start > prev && m->seasons[i].start <= d) {
            *label = 2;
            return " class=se";
        }
    date_format(d, a);
    date_format(prev, b);
    if (memcmp(a, b, 7) != 0) {
        *label = 1;
        return " class=mo";
    }
    return "";
}

/* "; " and text inside a double-quoted attribute: the reason may name a
 * table, a fingerprint or a message, so <, >, & and " are escaped. */
static void attr_text(FILE *f, const char *text)
{
    fputs("; ", f);
    for (const char *p = text; *p; p++)
        switch (*p) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*p, f);
        }
}

static void write_heatmap(FILE *f, const gaps_matrix *m, size_t r0, size_t r1)
{
    fputs("<h2>Dates &times; tables</h2>\n<table class=hm><thead><tr><th>", f);
    for (size_t k = 0; k < m->ntables; k++) {
        char when[20];
        short_time(m->tables[k].last_run, when);
        fprintf(f, "<th title=\"%s, last run %s\">%s", m->tables[k].table, when, m->tables[k].code);
    }
    fputs("</tr></thead><tbody>\n", f);
    char(*when)[20] = calloc(m->ntables + 1, sizeof *when);
    for (size_t k = 0; when && k < m->ntables; k++)
        short_time(m->tables[k].last_run, when[k]);
    for (size_t r = r0; r < r1; r++) {
        char d[DATE_LEN];
        int label;
        date_format(m->days.days[r], d);
        const char *cls = row_class(m, r, r0, &label);
        /* A label on the first row of each month and season: 3px rows
         * leave no room for one per date; the hover text names it. */
        fprintf(f, "<tr%s><th>%.*s", cls, label ? 7 : 0, d);
        for (size_t k = 0; k < m->ntables; k++) {
            const gaps_cell *c = gaps_at(m, r, k);
            /* date, table, state, rows held/expected, last run */
            fprintf(f, "<td class=%c title=\"%s %s %s", look[c->state].cls, d, m->tables[k].code,
                    date_state_name(c->state));
            if (c->expected >= 0)
                fprintf(f, " %lld/%lld", (long long)c->actual, (long long)c->expected);
            else if (c->actual > 0)
                fprintf(f, " %lld", (long long)c->actual);
            if (c->why)
                attr_text(f, c->why);
            fprintf(f, "; last run %s\">", when ? when[k] : "");
        }
        fputs("</tr>\n", f);
    }
    free(when);
    fputs("</tbody></table>\n", f);
}

int gaps_write_html(FILE *f, const gaps_matrix *m)
{
    return gaps_write_html_rows(f, m, 0, m->days.n, NULL);
}

void gaps_html_head(FILE *f, const gaps_matrix *m)
{
    fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n", f);
    fprintf(f, "<title>backfill gaps %s .. %s</title>\n<style>%s", m->first, m->last, style);
    for (int s = 0; s < STATE_COUNT; s++)
        fprintf(f, ".%c{background:%s}", look[s].cls, look[s].colour);
    fputs("</style></head><body>\n", f);
}

char gaps_html_class(int state)
{
    return state >= 0 && state < STATE_COUNT ? look[state].cls : 'x';
}

void gaps_html_coverage(FILE *f, const gaps_matrix *m)
{
    write_coverage(f, m, 0, m->days.n);
}

void gaps_html_coverage_only(FILE *f, const gaps_matrix *m)
{
    coverage_table(f, m);
    fputs("<p>The dates that need work, ready for --dates, are on each month's page; "
          "for the whole range, <code>backfill gaps --json</code> lists them per table "
          "(<code>rerun</code>).</p>\n",
          f);
}

int gaps_write_html_rows(FILE *f, const gaps_matrix *m, size_t r0, size_t r1, const char *up)
{
    if (r0 > 0 || r1 < m->days.n) {
        char a[DATE_LEN], b[DATE_LEN];
        date_format(m->days.days[r0], a);
        date_format(m->days.days[r1 - 1], b);
        gaps_html_head(f, m);
        fprintf(f,
                "<h1>backfill gaps %s .. %s</h1>\n<p><a href=\"%s\">all months</a>. %zu "
                "dates &times; %zu tables. Hover a cell for its date, table, state, rows "
                "held/expected and the table's last run.</p>\n",
                a, b, up ? up : "", r1 - r0, m->ntables);
        fputs("<div class=main><div>", f);
        write_heatmap(f, m, r0, r1);
        fputs("</div><aside>", f);
        write_coverage(f, m, r0, r1);
        fputs("</aside></div>\n</body></html>\n", f);
        return ferror(f) ? -1 : 0;
    }
    gaps_html_head(f, m);
    fprintf(f,
            "<h1>backfill gaps %s .. %s</h1>\n<p>%zu dates &times; %zu tables. Hover a cell "
            "for its date, table, state, rows held/expected and the table's last run.</p>\n",
            m->first, m->last, m->days.n, m->ntables);
    gaps_html_legend(f, m);
    fputs("<div class=main><div>", f);
    write_heatmap(f, m, 0, m->days.n);
    fputs("</div><aside>", f);
    write_coverage(f, m, 0, m->days.n);
    fputs("</aside></div>\n", f);
    fputs("</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}
