/* ch_store.h - what the ClickHouse driver's files share: the connection
 * and the helpers that send statements (internal to core/stores/). */
#ifndef BF_CH_STORE_H
#define BF_CH_STORE_H

#include "stores/ch_config.h"
#include "stores/ch_http.h"
#include "stores/store.h"

/* The most dates one group publish holds (a block's, BATCH_MAX_DATES). */
#define CH_PENDING_MAX 256

/* A staging table made, to be dropped at close. */
typedef struct ch_staged {
    char *name;
    int entry_only; /* a Distributed table, made on the entry server alone */
} ch_staged;

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
    ch_staged *staged;      /* staging tables made, dropped at close */
    int nstaged;
    int stage_made; /* the per-date staging tables of table exist (made at
                       its first date alone, not for blocks) */
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
    /* Blocks of dates, ch_block.c: the block's staging table (block: the
     * one written, Distributed with cluster; block_local: on each server;
     * block_made: the output table it was made for), whether a block is
     * being computed (in_block) or one of its dates judged (block_date),
     * the block's dates deferred to one publish (pending), and the
     * failure of a publish the next commit_group must report. */
    char block[340], block_local[320], block_made[256];
    int in_block, block_date;
    char pending[CH_PENDING_MAX][16];
    int npending;
    /* What the block's table holds when known: exactly the partitions
     * held[0..nheld-1] (block_known 1, set by block_rows), which the next
     * block detaches (one ALTER per server) instead of making the table
     * again. */
    char held[CH_PENDING_MAX][16];
    int nheld, block_known;
    char group_error[sizeof((store *)0)->error];
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

/* Send text to every server at once (each beyond the first on a thread
 * of its own), rows not read; retry_safe as for ch_send. Returns when all
 * have answered; a failure is recorded as ch_send does, the first in
 * server order when several fail. */
int ch_send_servers(ch_store *cs, const char *text, int retry_safe);
/* ch_run on every server at once (ch_send_servers). */
int ch_run_servers(ch_store *cs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
/* The output table of the next date(s): checked, its per-date staging
 * table made, on the first date of a table on the connection. */
int ch_use_table(ch_store *cs, const char *table, const char *column);
/* Keep name among the staging tables dropped at close (on the entry
 * server alone when entry_only, else on every server); a name kept
 * already is kept once. */
int ch_remember_stage(ch_store *cs, const char *name, int entry_only);
/* Whether name is among them: made on this connection before. */
int ch_stage_remembered(const ch_store *cs, const char *name);
/* Replace dates[0..n-1] of the output on every server with their rows in
 * from (a staging table on each server): one ALTER per server, the
 * servers at once, every DETACH PARTITION first, then every ATTACH
 * PARTITION ... FROM. */
int ch_publish_dates(ch_store *cs, const char (*dates)[16], int n, const char *from);

/* Blocks of dates, ch_block.c (see store_driver). */
int ch_block_begin(store *s, const char *table, const char *column, const char *first,
                   const char *last, const char **write_table);
int ch_block_end(store *s);
int ch_block_rows(store *s, store_row_fn fn, void *udata);
int ch_date_begin_block(store *s, const char *date, const char **write_table);
int ch_date_defer(store *s);
int ch_commit_group(store *s);
/* Publish the dates date_defer left pending, before their staging table
 * is emptied or another table begins; a failure is kept for the next
 * commit_group to report. */
int ch_publish_pending(ch_store *cs);

/* A plugin's reads through views, ch_scope.c (store_scope_begin). */
int ch_scope_begin(store *s, const store_scope_table *tables, size_t n);
void ch_scope_end(store *s);

/* The store lock, ch_lock.c. */
int ch_lock(store *s, const char *processor, char *err, size_t errlen);
void ch_unlock(store *s);

/* ch_quote, the driver's identifier quoting ("db.t" part by part). */
int ch_quote(const char *ident, char *buf, size_t size);

#endif
