/* window_build.c - one date built in staging with some dependencies
 * confined to their windows (window_build.h). */
#include "engine/window_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void row_set_free(row_set *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->rows[i]);
    free(r->rows);
    memset(r, 0, sizeof *r);
}

static int row_set_push(row_set *r, char *line)
{
    if (!line)
        return -1;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        char **grown = realloc(r->rows, cap * sizeof *grown);
        if (!grown) {
            free(line);
            return -1;
        }
        r->rows = grown;
        r->cap = cap;
    }
    r->rows[r->n++] = line;
    return 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int row_set_equal(const row_set *a, const row_set *b)
{
    if (a->n != b->n || a->failed != b->failed)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->rows[i], b->rows[i]) != 0)
            return 0;
    return 1;
}

void row_set_first_diff(const row_set *a, const row_set *b, const char *const names[2], char *buf,
                        size_t size)
{
    size_t i = 0, k = 0;
    while (i < a->n && k < b->n && strcmp(a->rows[i], b->rows[k]) == 0)
        i++, k++;
    int from_a = k >= b->n || (i < a->n && strcmp(a->rows[i], b->rows[k]) < 0);
    if (from_a && i >= a->n) {
        snprintf(buf, size, "no row differs");
        return;
    }
    const row_set *has = from_a ? a : b, *lacks = from_a ? b : a;
    snprintf(buf, size, "the %s build has %.400s, the %s build not (%zu rows against %zu)",
             names[from_a ? 0 : 1], from_a ? a->rows[i] : b->rows[k], names[from_a ? 1 : 0], has->n,
             lacks->n);
}

/* Append one typed value of a staged row to the line being built. */
static int row_text(void *udata, int ncols, const bf_value *values)
{
    row_set *r = udata;
    size_t cap = 64, len = 0;
    char *line = malloc(cap);
    for (int c = 0; line && c < ncols; c++) {
        char num[40];
        const char *text = num;
        if (values[c].type == BF_NULL)
            text = "NULL";
        else if (values[c].type == BF_INT)
            snprintf(num, sizeof num, "%lld", (long long)values[c].v.i);
        else if (values[c].type == BF_REAL)
            snprintf(num, sizeof num, "%.15g", values[c].v.d);
        else
            text = values[c].v.s;
        size_t need = len + strlen(text) + 8;
        if (need > cap) {
            char *grown = realloc(line, cap = 2 * need);
            if (!grown)
                free(line);
            line = grown;
            if (!line)
                break;
        }
        int quote = values[c].type == BF_TEXT;
        len += (size_t)sprintf(line + len, "%s%s%s%s", c ? ", " : "(", quote ? "'" : "", text,
                               quote ? "'" : "");
    }
    if (line)
        strcpy(line + len, ncols ? ")" : "()");
    return row_set_push(r, line) != 0;
}

/* Drop the views window_build made (every table's, whether made or not). */
static void drop_views(store *s, const window_table *tables, size_t ntables)
{
    char sql[600], q[300];
    if (store_can_scope(s)) {
        store_scope_end(s);
        return;
    }
    for (size_t k = 0; k < ntables; k++)
        if (tables[k].confinable && store_quote(s, tables[k].table, q, sizeof q)) {
            snprintf(sql, sizeof sql, "DROP VIEW IF EXISTS temp.%s", q);
            (void)store_core_exec(s, sql, NULL, 0);
        }
}

/* A store with a scope (ClickHouse): every table a view in it, those
 * confined over their window; a build of the whole tables needs none. */
static int scope_views(store *s, const window_table *tables, size_t ntables, const int *lookback,
                       bf_day day)
{
    size_t confined = 0;
    for (size_t k = 0; k < ntables; k++)
        confined += lookback[k] != WINDOW_WHOLE && tables[k].confinable;
    store_scope_table *t = calloc(ntables ? ntables : 1, sizeof *t);
    char(*from)[DATE_LEN] = calloc(ntables ? ntables : 1, sizeof *from), to[DATE_LEN];
    if (!t || !from) {
        free(t);
        free(from);
        return store_fail(s, BF_TRANSIENT, "out of memory");
    }
    date_format(day, to);
    size_t n = 0;
    for (size_t k = 0; k < ntables; k++) {
        if (!tables[k].confinable)
            continue;
        int whole = lookback[k] == WINDOW_WHOLE;
        if (!whole)
            date_format(day - lookback[k], from[k]);
        t[n++] = (store_scope_table){tables[k].table, tables[k].column, whole ? NULL : from[k],
                                     whole ? NULL : to};
    }
    int rc = confined ? store_scope_begin(s, t, n) : BF_OK;
    free(t);
    free(from);
    return rc;
}

static int make_views(store *s, const window_table *tables, size_t ntables, const int *lookback,
                      bf_day day)
{
    if (store_can_scope(s))
        return scope_views(s, tables, ntables, lookback, day);
    char sql[1200], q[300], col[300], from[DATE_LEN], to[DATE_LEN];
    date_format(day, to);
    for (size_t k = 0; k < ntables; k++) {
        if (lookback[k] == WINDOW_WHOLE || !tables[k].confinable)
            continue;
        date_format(day - lookback[k], from);
        if (!store_quote(s, tables[k].table, q, sizeof q) ||
            !store_quote(s, tables[k].column, col, sizeof col))
            return store_fail(s, BF_PERMANENT, "%s: name too long", tables[k].table);
        snprintf(sql, sizeof sql,
                 "CREATE TEMP VIEW %s AS SELECT * FROM main.%s WHERE %s BETWEEN '%s' AND '%s'", q,
                 q, col, from, to);
        int rc = store_core_exec(s, sql, NULL, 0);
        if (rc != BF_OK)
            return rc;
    }
    return BF_OK;
}

/* process_date into the open staging area, its rows read back into out. */
static int stage_rows(run_ctx *ctx, const char *date, const char *table, row_set *out)
{
    int rc = context_process_date(ctx, date);
    if (context_refused(ctx, rc) || rc != BF_OK) {
        char buf[32], *line = NULL;
        if (asprintf(&line, "<process_date failed: %s%s%.500s>",
                     context_status_name(rc == BF_OK ? BF_ERROR_STORE : rc, buf, sizeof buf),
                     ctx->error[0] ? ": " : "", ctx->error) < 0)
            line = NULL;
        out->failed = 1;
        return row_set_push(out, line) == 0 ? BF_OK : BF_ERROR;
    }
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
    return store_core_query(ctx->store, sql, NULL, 0, row_text, out);
}

int window_build(run_ctx *ctx, const window_table *tables, size_t ntables, const int *lookback,
                 bf_day day, row_set *out, char *err, size_t errlen)
{
    const plugin *p = ctx->plugin;
    store *s = ctx->store;
    char date[DATE_LEN];
    const char *table = NULL;
    date_format(day, date);
    memset(out, 0, sizeof *out);
    context_clear_error(ctx);
    drop_views(s, tables, ntables);
    int rc = make_views(s, tables, ntables, lookback, day);
    if (rc == BF_OK)
        rc = store_date_begin(s, p->desc->output_table, p->desc->date_column, date, &table);
    if (rc != BF_OK) {
        snprintf(err, errlen, "%s: building %s: %s", p->desc->name, date, store_error(s));
        drop_views(s, tables, ntables);
        return -1;
    }
    ctx->write_table = table;
    rc = stage_rows(ctx, date, table, out);
    if (rc != BF_OK)
        snprintf(err, errlen, "%s: reading the staged rows of %s: %s", p->desc->name, date,
                 store_error(s));
    (void)store_date_abort(s);
    ctx->write_table = NULL;
    drop_views(s, tables, ntables);
    if (rc != BF_OK) {
        row_set_free(out);
        return -1;
    }
    if (!out->failed && out->n > 1) /* qsort takes no NULL, even for 0 rows */
        qsort(out->rows, out->n, sizeof *out->rows, by_text);
    return 0;
}
