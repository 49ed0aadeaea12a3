/* store_fingerprint.c - what the raw rows of each date are: a count and an
 * order-independent checksum of every column, per date, from one grouped
 * query per table (the judge compares them with what a published date
 * read). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stores/store.h"

typedef struct column_list {
    char *text; /* "a","b",... quoted for SQLite */
    size_t len, cap;
    int failed;
} column_list;

static int add_column(void *udata, int ncols, const bf_value *values)
{
    column_list *c = udata;
    if (ncols < 1 || values[0].type != BF_TEXT)
        return 0;
    const char *name = values[0].v.s;
    size_t need = c->len + 2 * strlen(name) + 4;
    if (need > c->cap) {
        char *grown = realloc(c->text, need * 2);
        if (!grown) {
            c->failed = 1;
            return 1;
        }
        c->text = grown;
        c->cap = need * 2;
    }
    if (c->len)
        c->text[c->len++] = ',';
    c->text[c->len++] = '"';
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            c->text[c->len++] = '"';
        c->text[c->len++] = *p;
    }
    c->text[c->len++] = '"';
    c->text[c->len] = '\0';
    return 0;
}

int store_fingerprint_dates(store *s, const char *table, const char *column, const char *first,
                            const char *last, store_row_fn fn, void *udata)
{
    bf_value range[2] = {BF_V_TEXT(first), BF_V_TEXT(last)};
    char *sql = NULL, qt[300], qc[300];
    int rc;
    if (!store_quote(s, table, qt, sizeof qt) || !store_quote(s, column, qc, sizeof qc))
        return store_fail(s, BF_PERMANENT, "%s.%s: name too long to quote", table, column);
    if (strcmp(store_dialect(s), "clickhouse") == 0) {
        if (asprintf(&sql,
                     "SELECT toString(%s), count(), toInt64(groupBitXor(cityHash64(*))) FROM %s "
                     "WHERE %s BETWEEN ? AND ? GROUP BY %s",
                     qc, qt, qc, qc) < 0)
            sql = NULL;
    } else {
        column_list cols = {0};
        bf_value t = BF_V_TEXT(table);
        rc = store_core_query(s, "SELECT name FROM pragma_table_info(?) ORDER BY cid", &t, 1,
                              add_column, &cols);
        if (rc != BF_OK || cols.failed || !cols.text) {
            free(cols.text);
            return rc != BF_OK ? rc
                               : store_fail(s, BF_PERMANENT, "%s: %s", table,
                                            cols.failed ? "out of memory" : "no columns");
        }
        if (asprintf(&sql,
                     "SELECT %s, count(*), bf_checksum(%s) FROM %s WHERE %s BETWEEN ? AND ? "
                     "GROUP BY %s",
                     qc, cols.text, qt, qc, qc) < 0)
            sql = NULL;
        free(cols.text);
    }
    if (!sql)
        return store_fail(s, BF_PERMANENT, "out of memory");
    rc = store_core_query(s, sql, range, 2, fn, udata);
    free(sql);
    return rc;
}
