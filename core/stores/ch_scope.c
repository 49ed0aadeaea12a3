/* ch_scope.c - a plugin's reads seen through views (store_scope_begin) on
 * ClickHouse: a scratch database bf_scope_<connection token> on the entry
 * server, holding per table a view of the same name over the store's
 * table (the rows of a date range, or all of them), is sent as the default
 * database (HTTP database=) of the plugin's statements alone until
 * store_scope_end drops it. The core's statements, and the staging table
 * the plugin writes (always named with its database), are untouched. A
 * plugin naming a table with its database reads around the scope: the
 * engine cannot stop that (documented with verify --inputs). */
#include <stdio.h>
#include <string.h>

#include "stores/ch_store.h"

void ch_scope_end(store *s)
{
    ch_store *cs = (ch_store *)s;
    if (!cs->scope_made)
        return;
    (void)ch_run(cs, &cs->entry, NULL, NULL, "DROP DATABASE IF EXISTS `bf_scope_%s`", cs->token);
    cs->scope_made = 0;
    cs->scope[0] = '\0';
}

/* The view of one table in the scratch database. */
static int make_view(ch_store *cs, const store_scope_table *t)
{
    char q[300], col[300];
    if (strchr(t->table, '.') || ch_quote(t->table, q, sizeof q) != 0 ||
        ch_quote(t->column, col, sizeof col) != 0)
        return store_fail(&cs->base, BF_PERMANENT,
                          "%s: a scope takes a plain table name that fits in 256 bytes", t->table);
    if (!t->from)
        return ch_run(cs, &cs->entry, NULL, NULL,
                      "CREATE VIEW `bf_scope_%s`.%s AS SELECT * FROM `%s`.%s", cs->token, q,
                      cs->cfg->database, q);
    return ch_run(cs, &cs->entry, NULL, NULL,
                  "CREATE VIEW `bf_scope_%s`.%s AS SELECT * FROM `%s`.%s WHERE %s BETWEEN '%.10s' "
                  "AND '%.10s'",
                  cs->token, q, cs->cfg->database, q, col, t->from, t->to);
}

int ch_scope_begin(store *s, const store_scope_table *tables, size_t n)
{
    ch_store *cs = (ch_store *)s;
    ch_scope_end(s);
    cs->scope_made = 1; /* dropped on failure from here on */
    int rc = ch_run(cs, &cs->entry, NULL, NULL, "CREATE DATABASE IF NOT EXISTS `bf_scope_%s`",
                    cs->token);
    for (size_t k = 0; rc == BF_OK && k < n; k++)
        rc = make_view(cs, &tables[k]);
    if (rc != BF_OK) {
        char why[sizeof cs->base.error];
        snprintf(why, sizeof why, "%s", cs->base.error);
        ch_scope_end(s);
        return store_fail(s, cs->base.error_class, "%s", why);
    }
    snprintf(cs->scope, sizeof cs->scope, "bf_scope_%s", cs->token);
    return BF_OK;
}
