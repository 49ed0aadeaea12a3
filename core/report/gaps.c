/* gaps.c - `backfill gaps DATES [--targets A,B|GROUP]`: the judge's verdict
 * on every date of every selected processor, as a date x table matrix, in
 * the terminal, as CSV or JSON, or as an HTML heatmap (gaps_html.c). The
 * facts are read once per table for the whole command (judge_cache). Exit
 * 0 when every table passes as `verify --outputs` judges it, else 1. */
#include "report/gaps.h"
#include "report/gaps_html.h"
#include "report/gaps_html_months.h"

#include "engine/selection.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/checkpoint.h"
#include "state/checkpoint_scan.h"
#include "engine/graph.h"
#include "engine/judge.h"
#include "engine/judge_pool.h"
#include "engine/upstream_facts.h"
#include "report/rerun_text.h"

void gaps_codes(const char *const *names, size_t n, char (*codes)[16])
{
    for (size_t i = 0; i < n; i++) {
        const char *name = strrchr(names[i], '.'); /* "db.table": the table's */
        name = name ? name + 1 : names[i];
        size_t len = 0;
        for (const char *w = name; *w && len < 11;) {
            size_t wl = strcspn(w, "_");
            size_t take = wl <= 2 ? wl : 1;
            for (size_t k = 0; k < take && len < 11; k++)
                codes[i][len++] = (char)tolower((unsigned char)w[k]);
            w += wl;
            w += *w == '_';
        }
        codes[i][len] = '\0';
        for (int suffix = 2;; suffix++) {
            size_t k = 0;
            while (k < i && strcmp(codes[k], codes[i]) != 0)
                k++;
            if (k == i)
                break;
            snprintf(codes[i] + len, 16 - len, "%d", suffix);
        }
    }
}

/* One column's verdicts, in the order the judge gives them. */
typedef struct column {
    gaps_table *t;
    gaps_matrix *m; /* keeps the reasons */
    bf_day *days;
    gaps_cell *cells;
    size_t n, cap;
    int oom;
} column;

/* The columns are judged on several threads (judge_pool.h): m's list of
 * reasons is shared. */
static pthread_mutex_t reasons_lock = PTHREAD_MUTEX_INITIALIZER;

/* v's reason, kept by m for the cell's hover text; NULL if v is complete,
 * skipped, missing, unverified or partial (the state and the figures say
 * it all), or out of memory. */
static const char *keep_reason(gaps_matrix *m, const verdict *v)
{
    if (!v->why[0] || v->state == STATE_COMPLETE || v->state == STATE_SKIPPED ||
        v->state == STATE_MISSING || v->state == STATE_UNVERIFIED || v->state == STATE_PARTIAL)
        return NULL;
    char *why = strdup(v->why);
    pthread_mutex_lock(&reasons_lock);
    if (why && m->nreasons == m->reasons_cap) {
        size_t cap = m->reasons_cap ? 2 * m->reasons_cap : 64;
        char **grown = realloc(m->reasons, cap * sizeof *grown);
        if (grown) {
            m->reasons = grown;
            m->reasons_cap = cap;
        }
    }
    int kept = why && m->nreasons < m->reasons_cap;
    if (kept)
        m->reasons[m->nreasons++] = why;
    pthread_mutex_unlock(&reasons_lock);
    if (!kept)
        free(why);
    return kept ? why : NULL;
}

static void collect(void *udata, const date_entry *e, const verdict *v)
{
    column *c = udata;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        bf_day *days = realloc(c->days, cap * sizeof *days);
        if (days)
            c->days = days;
        gaps_cell *cells = days ? realloc(c->cells, cap * sizeof *cells) : NULL;
        if (!cells) {
            c->oom = 1;
            return;
        }
        c->cells = cells;
        c->cap = cap;
    }
    /* Partial: the rows now against the rows published. */
    int64_t expected = v->state == STATE_PARTIAL ? v->published_rows : v->expected;
    c->days[c->n] = e->day;
    c->cells[c->n++] = (gaps_cell){v->state, v->rows, expected, keep_reason(c->m, v)};
    c->t->states[v->state]++;
    c->t->expected += v->state != STATE_SKIPPED;
    rerun_add(&c->t->rerun, v->state, e->day, 0);
}

/* When the processor last ran, from its checkpoint (no file: ""). */
static void last_run(const bf_config *cfg, gaps_table *t)
{
    checkpoint cp;
    char err[256];
    size_t n;
    bf_day first, last;
    scanned_run run;
    /* The process's kept scan (the judges of its readers use it too); a
     * file the scan refuses is opened. */
    if (upstream_facts_summary(cfg->state_dir, t->processor, &run, &first, &last, &n) >= 0) {
        snprintf(t->last_run, sizeof t->last_run, "%s", run.finished_at);
        return;
    }
    if (checkpoint_open(&cp, cfg->state_dir, t->processor, err, sizeof err) != 0)
        return;
    const char *at =
        json_string_value(json_object_get(json_object_get(cp.root, "run"), "finished_at"));
    snprintf(t->last_run, sizeof t->last_run, "%s", at ? at : "");
    checkpoint_close(&cp);
}

/* Rows: every day any column has; cells: each column's verdict that day. */
static int build_matrix(gaps_matrix *m, const column *cols)
{
    for (size_t k = 0; k < m->ntables; k++)
        for (size_t i = 0; i < cols[k].n; i++)
            if (date_list_push(&m->days, cols[k].days[i]) != 0)
                return -1;
    date_list_sort(&m->days);
    size_t n = 0;
    for (size_t i = 0; i < m->days.n; i++)
        if (n == 0 || m->days.days[n - 1] != m->days.days[i])
            m->days.days[n++] = m->days.days[i];
    m->days.n = n;
    m->cells = calloc(m->days.n * m->ntables + 1, sizeof *m->cells);
    if (!m->cells)
        return -1;
    for (size_t r = 0; r < m->days.n; r++)
        for (size_t k = 0; k < m->ntables; k++)
            m->cells[r * m->ntables + k] = (gaps_cell){STATE_PENDING, 0, -1, NULL};
    for (size_t k = 0; k < m->ntables; k++) {
        size_t r = 0;
        for (size_t i = 0; i < cols[k].n; i++) {
            while (m->days.days[r] != cols[k].days[i])
                r++;
            m->cells[r * m->ntables + k] = cols[k].cells[i];
        }
    }
    return 0;
}

/* The columns to judge, for the pool's jobs. */
typedef struct gaps_job {
    const graph *g;
    const bf_config *cfg;
    const date_selection *sel;
    const graph_node **nodes; /* per column */
    column *cols;
} gaps_job;

/* Column i: its processor's verdicts, its table's tally, its last run. */
static int judge_column(void *ctx, size_t i, store *s, judge_cache *cache, char *err, size_t errlen)
{
    gaps_job *jb = ctx;
    const graph_node *node = jb->nodes[i];
    column *c = &jb->cols[i];
    gaps_table *t = c->t;
    char why[900];
    if (judge_range_cached(s, jb->cfg, jb->g, &node->p, jb->sel, cache, collect, c, why,
                           sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", node->name, why);
        return -1;
    }
    if (c->oom || t->rerun.oom) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    t->covered = t->states[STATE_COMPLETE] + t->states[STATE_UNVERIFIED] + t->states[STATE_WAIVED];
    t->coverage = judge_coverage(t->covered, t->expected);
    t->passed = judge_table_passes(t->states, t->expected, jb->cfg->min_coverage);
    last_run(jb->cfg, t);
    return 0;
}

/* Judge every selected processor over sel into m, on the pool's threads.
 * Returns 0 or -1 with err. */
static int judge_all(const graph *g, const unsigned char *mask, store *s, const bf_config *cfg,
                     const date_selection *sel, gaps_matrix *m, char *err, size_t errlen)
{
    int lookback = 0;
    for (size_t i = 0; i < g->n; i++)
        for (size_t k = 0; mask[i] && k < g->nodes[i].p.ndeps; k++)
            if (g->nodes[i].p.deps[k].lookback_days > lookback)
                lookback = g->nodes[i].p.deps[k].lookback_days;
    judge_cache *cache = judge_cache_new(lookback);
    m->tables = calloc(g->n + 1, sizeof *m->tables);
    column *cols = calloc(g->n + 1, sizeof *cols);
    const char **names = calloc(g->n + 1, sizeof *names);
    const graph_node **nodes = calloc(g->n + 1, sizeof *nodes);
    char(*codes)[16] = calloc(g->n + 1, sizeof *codes);
    int rc = -1;
    if (!cache || !m->tables || !cols || !names || !nodes || !codes) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < g->norder; k++) {
        const graph_node *node = &g->nodes[g->order[k]];
        if (!mask[g->order[k]])
            continue;
        gaps_table *t = &m->tables[m->ntables];
        t->processor = node->name;
        t->table = node->p.desc->output_table;
        cols[m->ntables] = (column){.t = t, .m = m};
        nodes[m->ntables] = node;
        names[m->ntables++] = t->table;
    }
    if (judge_pool_run(cfg, s, cache, m->ntables, judge_column,
                       &(gaps_job){g, cfg, sel, nodes, cols}, err, errlen) != m->ntables)
        goto out;
    gaps_codes(names, m->ntables, codes);
    for (size_t k = 0; k < m->ntables; k++)
        memcpy(m->tables[k].code, codes[k], sizeof codes[k]);
    if (build_matrix(m, cols) != 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    rc = 0;
out:
    for (size_t k = 0; cols && k < g->n; k++) {
        free(cols[k].days);
        free(cols[k].cells);
    }
    free(cols);
    free(names);
    free(nodes);
    free(codes);
    judge_cache_free(cache);
    return rc;
}

/* The terminal's text for a cell, and its colour (an SGR code). */
static const char *cell_text(const gaps_cell *c, char *buf, size_t len)
{
    static const char *const text[STATE_COUNT] = {
        "", "ok", "", "--", "blk", "skip", "stale", "orph", "FAIL", "unv", "CHK", "old", "wvd"};
    if (c->state == STATE_PARTIAL) {
        snprintf(buf, len, "%lld/%lld", (long long)c->actual, (long long)c->expected);
        return buf;
    }
    return c->state >= 0 && c->state < STATE_COUNT ? text[c->state] : "?";
}

static const char *const colour[STATE_COUNT] = {"",     "32",   "33", "31",   "35",   "2",   "36",
                                                "1;35", "1;31", "34", "1;33", "1;36", "2;34"};

static int same_row(const gaps_matrix *m, size_t a, size_t b)
{
    for (size_t k = 0; k < m->ntables; k++) {
        const gaps_cell *x = gaps_at(m, a, k), *y = gaps_at(m, b, k);
        if (x->state != y->state ||
            (x->state == STATE_PARTIAL && (x->actual != y->actual || x->expected != y->expected)))
            return 0;
    }
    return 1;
}

/* Per table, the dates that need work, grouped by state, ready for --dates. */
static void print_rerun(FILE *out, const gaps_matrix *m)
{
    size_t total = 0;
    for (size_t k = 0; k < m->ntables; k++)
        total += m->tables[k].rerun.total;
    if (!total)
        return;
    fprintf(out, "dates that need work, by state (ready for --dates):\n");
    for (size_t k = 0; k < m->ntables; k++) {
        const gaps_table *t = &m->tables[k];
        if (!t->rerun.total)
            continue;
        fprintf(out, "  %-5s %s: ", t->code, t->table);
        rerun_print_counts(out, &t->rerun);
        fputc('\n', out);
        rerun_print_groups(out, &t->rerun, "        ");
    }
}

void gaps_print_text(FILE *out, const gaps_matrix *m, int compact, int tty)
{
    int *width = calloc(m->ntables + 1, sizeof *width);
    char buf[48];
    if (!width)
        return;
    for (size_t k = 0; k < m->ntables; k++) {
        width[k] = (int)strlen(m->tables[k].code);
        for (size_t r = 0; r < m->days.n; r++) {
            int w = (int)strlen(cell_text(gaps_at(m, r, k), buf, sizeof buf));
            if (w > width[k])
                width[k] = w;
        }
    }
    int dw = compact ? 24 : 10;
    fprintf(out, "%-*s", dw, "date");
    for (size_t k = 0; k < m->ntables; k++)
        fprintf(out, "  %-*s", k + 1 < m->ntables ? width[k] : 0, m->tables[k].code);
    fputc('\n', out);
    for (size_t r = 0; r < m->days.n;) {
        size_t end = r + 1;
        while (compact && end < m->days.n && same_row(m, r, end))
            end++;
        char a[DATE_LEN], b[DATE_LEN], label[40];
        date_format(m->days.days[r], a);
        date_format(m->days.days[end - 1], b);
        if (end - r > 1)
            snprintf(label, sizeof label, "%s .. %s", a, b);
        else
            snprintf(label, sizeof label, "%s", a);
        fprintf(out, "%-*s", dw, label);
        for (size_t k = 0; k < m->ntables; k++) {
            const gaps_cell *c = gaps_at(m, r, k);
            const char *t = cell_text(c, buf, sizeof buf);
            int w = k + 1 < m->ntables || end - r > 1 ? width[k] : 0; /* no trailing blanks */
            if (tty && *colour[c->state])
                fprintf(out, "  \033[%sm%-*s\033[0m", colour[c->state], w, t);
            else
                fprintf(out, "  %-*s", w, t);
        }
        if (end - r > 1)
            fprintf(out, "  (%zu dates)", end - r);
        fputc('\n', out);
        r = end;
    }
    free(width);
    fprintf(out, "\nlegend: ok complete, A/E partial (rows held/rows published), -- missing, "
                 "blk blocked, skip skipped (bootstrap day), stale stale, orph orphaned, "
                 "FAIL failed, unv unverified, CHK check-failed, old outdated (built by "
                 "another version or config), wvd waived\n");
    fprintf(out, "coverage (complete dates of expected; needs %.1f%%):\n", 100 * m->threshold);
    for (size_t k = 0; k < m->ntables; k++) {
        const gaps_table *t = &m->tables[k];
        fprintf(out, "  %-5s %-30s %5zu of %-5zu %5.1f%%  %s", t->code, t->table, t->covered,
                t->expected, 100 * t->coverage, t->passed ? "ok" : "NOT COMPLETE");
        const char *sep = " (";
        for (int s = STATE_PARTIAL; s < STATE_COUNT; s++)
            if (s != STATE_SKIPPED && t->states[s]) {
                fprintf(out, "%s%zu %s", sep, t->states[s], date_state_name(s));
                sep = ", ";
            }
        fputs(*sep == ',' ? ")\n" : "\n", out);
    }
    print_rerun(out, m);
}

void gaps_print_csv(FILE *out, const gaps_matrix *m)
{
    fprintf(out, "date,table,code,state,actual,expected\n");
    for (size_t r = 0; r < m->days.n; r++) {
        char d[DATE_LEN];
        date_format(m->days.days[r], d);
        for (size_t k = 0; k < m->ntables; k++) {
            const gaps_cell *c = gaps_at(m, r, k);
            if (c->state == STATE_PENDING)
                continue;
            fprintf(out, "%s,%s,%s,%s,%lld,", d, m->tables[k].table, m->tables[k].code,
                    date_state_name(c->state), (long long)c->actual);
            if (c->expected >= 0)
                fprintf(out, "%lld", (long long)c->expected);
            fputc('\n', out);
        }
    }
}

int gaps_html_file(const char *path, const gaps_matrix *m)
{
    long months = 0; /* a matrix too large for one page: a page per month */
    if (m->days.n * m->ntables > GAPS_HTML_MAX_CELLS) {
        if ((months = gaps_html_months(path, m)) < 0)
            return -1;
    } else {
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(stderr, "backfill gaps: --html %s: %s\n", path, strerror(errno));
            return -1;
        }
        int rc = gaps_write_html(f, m);
        if (fclose(f) != 0 || rc != 0) {
            fprintf(stderr, "backfill gaps: --html %s: %s\n", path, strerror(errno));
            return -1;
        }
    }
    size_t gaps = 0;
    for (size_t k = 0; k < m->ntables; k++)
        gaps += m->tables[k].expected - m->tables[k].covered;
    printf("wrote %s: %zu dates x %zu tables, %zu cells not complete\n", path, m->days.n,
           m->ntables, gaps);
    if (months)
        printf("by month: %ld pages of dates in %s.d\n", months, path);
    return 0;
}

/* Each table's layer in g: 0 for a processor reading no processor, else
 * one more than its deepest upstream (g->order is topological). Tables
 * left unset (0) if memory runs out: the layer only groups the HTML. */
static void set_layers(const graph *g, gaps_matrix *m)
{
    int *depth = calloc(g->n + 1, sizeof *depth);
    for (size_t k = 0; depth && k < g->norder; k++) {
        const graph_node *node = &g->nodes[g->order[k]];
        for (size_t u = 0; u < node->nup; u++)
            if (depth[node->up[u]] + 1 > depth[g->order[k]])
                depth[g->order[k]] = depth[node->up[u]] + 1;
    }
    for (size_t t = 0; depth && t < m->ntables; t++)
        for (size_t i = 0; i < g->n; i++)
            if (g->nodes[i].name == m->tables[t].processor)
                m->tables[t].layer = depth[i];
    free(depth);
}

int gaps_build(gaps_matrix *m, const selection *v, const bf_config *cfg, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    date_format(v->sel.first, m->first);
    date_format(v->sel.last, m->last);
    m->threshold = cfg->min_coverage;
    m->seasons = cfg->seasons;
    m->nseasons = cfg->nseasons;
    m->groups = cfg->groups;
    m->ngroups = cfg->ngroups;
    if (judge_all(&v->g, v->mask, v->ro, cfg, &v->sel, m, err, errlen) != 0)
        return -1;
    set_layers(&v->g, m);
    return 0;
}

void gaps_free(gaps_matrix *m)
{
    for (size_t k = 0; m->tables && k < m->ntables; k++)
        rerun_free(&m->tables[k].rerun);
    for (size_t i = 0; i < m->nreasons; i++)
        free(m->reasons[i]);
    free(m->reasons);
    free(m->cells);
    free(m->tables);
    date_list_free(&m->days);
    memset(m, 0, sizeof *m);
}
