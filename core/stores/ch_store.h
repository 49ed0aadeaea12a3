/* ch_store.h - what the ClickHouse driver's files share: the connection
 * and the helpers that send statements (internal to core/stores/). */
#ifndef BF_CH_STORE_H
#define BF_CH_STORE_H

#include "stores/ch_config.h"
#include "stores/ch_http.h"
#include "stores/store.h"

typedef struct ch_store {
    store base;
    const ch_config *cfg;
    int mode;
    ch_endpoint entry;   /* url: every read */
    ch_endpoint *shards; /* cluster: one per shard_urls entry */
    char token[24];      /* this connection's part of staging table names */
    int guard;
    char guarded[256];
    /* The date being written. stage: the table the plugin writes (the
     * Distributed one with cluster); stage_local: on each server. */
    char table[256], column[256], date[16];
    char stage[340], stage_local[320];
    char stage_source[600]; /* db.table the staging table copies: the output (local) */
    char **staged;          /* staging tables made, dropped at close */
    int nstaged;
    /* The store lock, ch_lock.c: the lock table (db.name) this
     * connection created and the holder line it wrote there; lock_holder
     * is empty while the connection holds none. */
    char lock_table[320], lock_holder[512];
    int last_code; /* the last request's ClickHouse exception code, 0 if none */
    /* ch_scope.c: the scratch database the plugin's statements default
     * to ("": the store's), whether one was made, and whether the
     * statement being sent is the plugin's. */
    char scope[64];
    int scope_made, plugin_stmt;
} ch_store;

/* ch_send's readonly: CH_WRITE may write unless the connection was opened
 * STORE_READ_ONLY; CH_READ is sent with readonly=1; CH_LOCK may write even
 * on a read-only connection, for the lock table's statements alone. */
enum { CH_WRITE = 0, CH_READ = 1, CH_LOCK = 2 };

/* ch_conn.c: run the bound statement text on e (readonly: see above; retry_safe:
 * running it twice is harmless); rows to fn when given. On failure
 * records the error in cs and returns BF_ERROR_STORE. */
int ch_send(ch_store *cs, ch_endpoint *e, const char *text, int readonly, int retry_safe,
            store_row_fn fn, void *udata);

/* The driver's own idempotent statement (printf-style, no placeholders). */
int ch_run(ch_store *cs, ch_endpoint *e, store_row_fn fn, void *udata, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The servers a write must reach: each shard, or the one server. */
int ch_nservers(const ch_store *cs);
ch_endpoint *ch_server(ch_store *cs, int i);

/* Row callback: the first column of the first row as an integer. */
int ch_take_int(void *udata, int ncols, const bf_value *values);

/* Write-audit-publish, ch_stage.c. */
int ch_date_begin(store *s, const char *table, const char *column, const char *date,
                  const char **write_table);
int ch_date_publish(store *s);
int ch_date_abort(store *s);
int ch_date_staged_rows(store *s, int64_t *rows);

/* A plugin's reads through views, ch_scope.c (store_scope_begin). */
int ch_scope_begin(store *s, const store_scope_table *tables, size_t n);
void ch_scope_end(store *s);

/* The store lock, ch_lock.c. */
int ch_lock(store *s, const char *processor, char *err, size_t errlen);
void ch_unlock(store *s);

/* ch_quote, the driver's identifier quoting ("db.t" part by part). */
int ch_quote(const char *ident, char *buf, size_t size);

#endif
