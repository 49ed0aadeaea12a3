/* ch_conn.c - one request to a ClickHouse server of the store, or the
 * same one to every server at once, with the settings every request
 * carries; the servers of a connection; the driver's identifier quoting.
 * What clickhouse.c, ch_stage.c and ch_lock.c all send goes through here. */
#include <pthread.h>
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

/* One request and its outcome: what ch_send and ch_send_servers share,
 * run on the caller's thread or on one of its own. */
typedef struct request {
    ch_endpoint *e;
    const char *params, *text;
    int retry_safe;
    store_row_fn fn;
    void *udata;
    int rc, error_class, code, started;
    pthread_t thread;
    char err[1024];
} request;

static void *send_request(void *arg)
{
    request *r = arg;
    ch_buf body;
    r->error_class = BF_PERMANENT;
    r->rc = ch_http_post(r->e, r->params, r->text, r->retry_safe, &body, r->err, sizeof r->err,
                         &r->error_class, &r->code);
    /* An answer that arrived whole as HTTP yet is no whole document was
     * cut short: worth another try, like a transfer that broke. */
    if (r->rc == BF_OK &&
        (r->rc = ch_http_rows(&body, r->fn, r->udata, r->err, sizeof r->err)) != BF_OK)
        r->error_class = BF_TRANSIENT;
    free(body.p);
    return NULL;
}

/* The request's failure recorded in cs, as every sender reports it. */
static int report(ch_store *cs, const request *r)
{
    cs->last_code = r->code;
    if (r->rc == BF_OK)
        return BF_OK;
    char cut[200];
    return store_fail(&cs->base, r->error_class, "%s (in: %s)", r->err,
                      store_abbrev(r->text, cut, sizeof cut));
}

int ch_send(ch_store *cs, ch_endpoint *e, const char *text, int readonly, int retry_safe,
            store_row_fn fn, void *udata)
{
    char params[512];
    int ro = readonly == CH_READ || (readonly != CH_LOCK && cs->mode == STORE_READ_ONLY);
    settings(cs, ro, params, sizeof params);
    request r = {.e = e,
                 .params = params,
                 .text = text,
                 .retry_safe = retry_safe || readonly == CH_READ,
                 .fn = fn,
                 .udata = udata};
    send_request(&r);
    return report(cs, &r);
}

int ch_send_servers(ch_store *cs, const char *text, int retry_safe)
{
    int n = ch_nservers(cs);
    char params[512];
    settings(cs, cs->mode == STORE_READ_ONLY, params, sizeof params);
    request *r = calloc((size_t)n, sizeof *r);
    if (!r)
        return store_fail(&cs->base, BF_TRANSIENT, "out of memory");
    for (int i = 0; i < n; i++) {
        r[i] = (request){
            .e = ch_server(cs, i), .params = params, .text = text, .retry_safe = retry_safe};
        /* The first on this thread; a thread that cannot start is sent
         * for below, after the others. */
        r[i].started = i > 0 && pthread_create(&r[i].thread, NULL, send_request, &r[i]) == 0;
    }
    send_request(&r[0]);
    for (int i = 1; i < n; i++) {
        if (r[i].started)
            pthread_join(r[i].thread, NULL);
        else
            send_request(&r[i]);
    }
    int rc = BF_OK;
    for (int i = 0; rc == BF_OK && i < n; i++)
        rc = report(cs, &r[i]);
    free(r);
    return rc;
}

int ch_run_servers(ch_store *cs, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return ch_send_servers(cs, sql, 1);
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
