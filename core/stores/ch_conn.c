/* ch_conn.c - one request to a ClickHouse server of the store, with the
 * settings every request carries; the servers of a connection; the
 * driver's identifier quoting. What clickhouse.c, ch_stage.c and ch_lock.c
 * all send goes through here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "stores/ch_store.h"

/* The settings every request carries; readonly last, so it cannot stop
 * the ones before it from being set. The database: the store's, or for a
 * plugin's statement under a scope the scratch one (ch_scope.c). */
static void settings(const ch_store *cs, int readonly, char *buf, size_t size)
{
    snprintf(buf, size,
             "database=%s&default_format=JSONCompact&wait_end_of_query=1&join_use_nulls=1"
             "&max_execution_time=%d%s%s",
             cs->plugin_stmt && cs->scope[0] ? cs->scope : cs->cfg->database, cs->cfg->timeout_s,
             cs->cfg->cluster ? "&distributed_product_mode=global&insert_distributed_sync=1" : "",
             readonly ? "&readonly=1" : "");
}

int ch_send(ch_store *cs, ch_endpoint *e, const char *text, int readonly, int retry_safe,
            store_row_fn fn, void *udata)
{
    char params[512], err[1024];
    int error_class = BF_PERMANENT;
    ch_buf body;
    int ro = readonly == CH_READ || (readonly != CH_LOCK && cs->mode == STORE_READ_ONLY);
    settings(cs, ro, params, sizeof params);
    int rc = ch_http_post(e, params, text, retry_safe || readonly == CH_READ, &body, err,
                          sizeof err, &error_class, &cs->last_code);
    /* An answer that arrived whole as HTTP yet is no whole document was
     * cut short: worth another try, like a transfer that broke. */
    if (rc == BF_OK && (rc = ch_http_rows(&body, fn, udata, err, sizeof err)) != BF_OK)
        error_class = BF_TRANSIENT;
    free(body.p);
    if (rc != BF_OK) {
        char cut[200];
        return store_fail(&cs->base, error_class, "%s (in: %s)", err,
                          store_abbrev(text, cut, sizeof cut));
    }
    return BF_OK;
}

int ch_run(ch_store *cs, ch_endpoint *e, store_row_fn fn, void *udata, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return ch_send(cs, e, sql, 0, 1, fn, udata);
}

int ch_nservers(const ch_store *cs)
{
    return cs->cfg->cluster ? cs->cfg->nshards : 1;
}
ch_endpoint *ch_server(ch_store *cs, int i)
{
    return cs->cfg->cluster ? &cs->shards[i] : &cs->entry;
}

int ch_take_int(void *udata, int ncols, const bf_value *values)
{
    if (ncols > 0 && values[0].type == BF_INT)
        *(int64_t *)udata = values[0].v.i;
    return 1;
}

int ch_quote(const char *ident, char *buf, size_t size)
{
    size_t n = 0;
    for (const char *p = ident;; p++) {
        if ((p == ident || p[-1] == '.') && n < size)
            buf[n++] = '`';
        if (*p == '.' || !*p) {
            if (n < size)
                buf[n++] = '`';
            if (!*p)
                break;
        }
        if ((*p == '`' || *p == '\\') && n < size)
            buf[n++] = '\\';
        if (n < size)
            buf[n++] = *p;
    }
    if (n >= size)
        return -1;
    buf[n] = '\0';
    return 0;
}
