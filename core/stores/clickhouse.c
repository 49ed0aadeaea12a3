/* clickhouse.c - the ClickHouse store, over its HTTP interface.
 *
 * ClickHouse has no multi-statement transactions, so write-audit-publish
 * runs on partitions. Every output table is PARTITION BY its date column
 * (checked when its first date begins). Each connection owns a staging
 * table per output table, CREATE TABLE ... AS the output (same columns,
 * engine and partitioning), named bf_stage_<table>_<connection token>:
 *   date_begin    drop and create the staging table: it starts empty;
 *   process_date  INSERT INTO the staging table;
 *   validate and the core's count read the staging table;
 *   date_publish  ALTER TABLE out DETACH PARTITION 'date',
 *                 ATTACH PARTITION 'date' FROM stage: one statement,
 *                 which the server applies in order; a date staged
 *                 empty is published as no rows;
 *   date_abort    drop the staging table; the output is untouched.
 * Publishing is not atomic (ch_stage.c says why REPLACE PARTITION is not
 * used on 18.16): between its two commands, milliseconds, a reader sees
 * the date empty on that server, and a crash there leaves it empty (the
 * old parts are in the table's detached/ directory) until the resumed run
 * publishes it: the core had not recorded it complete. Each republished
 * date leaves its previous parts in detached/, a backup to delete at will.
 * Staging tables are dropped when the connection closes; a process killed
 * with -9 leaves its bf_stage_* tables behind (harmless, droppable).
 * Blocks of dates (run.batch_dates > 1) have a staging table of their own,
 * bf_block_<table>_<token>, and publish their dates together: ch_block.c.
 * The per-date staging tables are made at the first date that runs alone,
 * so a run whose every date is computed in a block makes none of them.
 *
 * With cluster set, the output X is a Distributed table over X_local on
 * every shard, and so is each staging table (rows go to a shard by the
 * date, toUInt32(toDate(column)), so one date lives on one shard). Reads
 * go through the Distributed tables; publish, and making, emptying and
 * dropping the staging tables, run on every shard at once (one request
 * to each, ch_send_servers). A crash of one shard, or of the client,
 * while the others finished leaves the date new on some shards and old
 * on the others; the core never recorded it complete, so it is redone on
 * resume. DDL does not use ON CLUSTER (no ZooKeeper
 * needed): prepare's CREATE TABLE runs on each shard in turn.
 *
 * Isolation, as far as the engine allows (the plugin's statements only;
 * the core's own, core_exec and core_query, are sent as they are):
 *   - read-only connections and STORE_GUARD_READ, the guard of every
 *     plugin call but process_date and prepare (worker_init and
 *     worker_fini included), send readonly=1: the server itself refuses
 *     every write, DDL and settings change, and its refusal (exception
 *     164, READONLY) is recorded like the driver's own (store_refused);
 *   - STORE_GUARD_STAGE: the driver lets through only SELECT/WITH (sent
 *     readonly=1) and INSERT INTO the staging table; anything else is
 *     refused before it is sent. UPDATE and DELETE of staged rows are not
 *     available (ClickHouse mutations are asynchronous);
 *   - STORE_GUARD_PREPARE: only CREATE TABLE of the output table;
 *     ClickHouse 18 has no CREATE INDEX;
 *   - the server refuses a second statement in one request, and so does
 *     the driver before sending.
 * Not enforced: what an INSERT ... SELECT reads (reads are free), and a
 * table function in a SELECT (url(), file()) reaching outside the store.
 * A refusal the server reports under another code than READONLY fails
 * the statement but is not recorded as a refusal: a plugin that ignores
 * that error is not caught.
 *
 * The store lock (ch_lock.c) is a view DB.backfill_lock_<processor> on the
 * entry server alone (with cluster too), created by the run that holds it
 * and naming it: the one thing a STORE_READ_ONLY connection writes, sent
 * without readonly=1 (CH_LOCK). A run killed with -9 leaves it; the next
 * run on the same host finds its pid gone and takes it over. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "stores/ch_sql.h"
#include "stores/ch_store.h"

/* ---- statement checks --------------------------------------------------- */

static int is_word(const char *w, const char *keyword)
{
    return strcasecmp(w, keyword) == 0;
}

/* "t" and "db.t" name the same table when db is ours. */
static int same_table(const ch_store *cs, const char *a, const char *b)
{
    const char *da = strchr(a, '.'), *db = strchr(b, '.');
    size_t n = strlen(cs->cfg->database);
    if (da && strncmp(a, cs->cfg->database, n) == 0 && a[n] == '.')
        a += n + 1;
    if (db && strncmp(b, cs->cfg->database, n) == 0 && b[n] == '.')
        b += n + 1;
    return strcmp(a, b) == 0;
}

static int refuse(ch_store *cs, const char *what, const char *object, const char *rule,
                  const char *sql)
{
    char why[512];
    snprintf(why, sizeof why, "refused %.100s%s%.200s: %.150s", what, object ? " " : "",
             object ? object : "", rule);
    return store_refuse(&cs->base, why, sql);
}

/* A plugin's statement sent with readonly=1: the server is the guard. Its
 * refusal (exception READONLY) is recorded as the driver's own would be. */
static int send_read_only(ch_store *cs, const char *text, const char *first, store_row_fn fn,
                          void *udata)
{
    int rc = ch_send(cs, &cs->entry, text, CH_READ, 1, fn, udata);
    if (rc != BF_OK && cs->last_code == 164 /* READONLY */) {
        char why[160];
        snprintf(why, sizeof why,
                 "refused %s: the server refused it in readonly mode (only process_date and "
                 "prepare may write)",
                 first);
        rc = store_refuse(&cs->base, why, text);
    }
    return rc;
}

/* cluster prepare: CREATE TABLE X <rest> becomes X_local on every shard
 * and a Distributed X over them on every shard. */
static int create_on_cluster(ch_store *cs, const char *name, const char *rest)
{
    const char *dot = strchr(name, '.');
    const char *t = dot ? dot + 1 : name;
    const char *db = cs->cfg->database;
    int rc = BF_OK;
    for (int i = 0; rc == BF_OK && i < cs->cfg->nshards; i++) {
        ch_buf sql = {0};
        ch_buf_printf(&sql, "CREATE TABLE IF NOT EXISTS %s.%s_local %s", db, t, rest);
        rc = sql.oom ? store_fail(&cs->base, BF_TRANSIENT, "out of memory")
                     : ch_send(cs, &cs->shards[i], sql.p, 0, 1, NULL, NULL);
        free(sql.p);
    }
    for (int i = 0; rc == BF_OK && i < cs->cfg->nshards; i++)
        rc = ch_run(cs, &cs->shards[i], NULL, NULL,
                    "CREATE TABLE IF NOT EXISTS %s.%s AS %s.%s_local"
                    " ENGINE = Distributed(%s, %s, %s_local)",
                    db, t, db, t, cs->cfg->cluster, db, t);
    return rc;
}

/* The staging guard's rule, for the plugin call it is on. */
#define STAGE_RULE(call) call " may only INSERT INTO its staging table bf_output_table(ctx)"

/* Check a plugin's statement text against the guard and run it. */
static int guarded_run(ch_store *cs, const char *text, store_row_fn fn, void *udata)
{
    char w[6][192];
    const char *rest = NULL;
    int n = ch_sql_words(text, w, 6, &rest);
    int read = n > 0 && (is_word(w[0], "SELECT") || is_word(w[0], "WITH"));
    switch (cs->guard) {
    case STORE_GUARD_STAGE:
        if (read)
            return send_read_only(cs, text, w[0], fn, udata);
        if (n >= 3 && is_word(w[0], "INSERT") && is_word(w[1], "INTO") &&
            same_table(cs, w[2], cs->in_block ? cs->block : cs->stage))
            return ch_send(cs, &cs->entry, text, 0, 0, fn, udata);
        return refuse(
            cs, n > 0 ? w[0] : "an empty statement", n >= 3 && is_word(w[1], "INTO") ? w[2] : NULL,
            cs->in_block ? STAGE_RULE("process_dates") : STAGE_RULE("process_date"), text);
    case STORE_GUARD_PREPARE: {
        int ine = n >= 5 && is_word(w[2], "IF") && is_word(w[3], "NOT") && is_word(w[4], "EXISTS");
        const char *name = ine ? w[5] : w[2];
        if (n >= 3 && is_word(w[0], "CREATE") && is_word(w[1], "TABLE") && (!ine || n == 6) &&
            same_table(cs, name, cs->guarded)) {
            if (!cs->cfg->cluster)
                return ch_send(cs, &cs->entry, text, 0, 1, fn, udata);
            if (!ine)
                ch_sql_words(text, w, 3, &rest);
            return create_on_cluster(cs, name, rest);
        }
        return refuse(cs, n > 1 ? w[0] : "an empty statement",
                      n > 2 ? w[n > 5 && ine ? 5 : 2] : NULL,
                      "prepare may only create the output table (CREATE TABLE)", text);
    }
    default: /* STORE_GUARD_READ, the default: the server refuses every write */
        return send_read_only(cs, text, n > 0 ? w[0] : "an empty statement", fn, udata);
    }
}

/* The core's own statement: sent as it is, the guard does not apply. */
static int core_run(ch_store *cs, const char *text, store_row_fn fn, void *udata)
{
    char w[1][192];
    const char *rest = NULL;
    int n = ch_sql_words(text, w, 1, &rest);
    int safe =
        n > 0 && (is_word(w[0], "SELECT") || is_word(w[0], "WITH") || is_word(w[0], "SHOW") ||
                  is_word(w[0], "DESCRIBE") || is_word(w[0], "EXISTS"));
    return ch_send(cs, &cs->entry, text, CH_WRITE, safe, fn, udata);
}

static int bind_and_run(store *s, int core, const char *sql, const bf_value *params, int n,
                        store_row_fn fn, void *udata)
{
    ch_store *cs = (ch_store *)s;
    ch_buf text;
    char why[200];
    if (ch_sql_bind(sql, params, n, &text, why, sizeof why) != 0) {
        char cut[160];
        free(text.p);
        return store_fail(s, BF_PERMANENT, "%s (in: %s)", why, store_abbrev(sql, cut, sizeof cut));
    }
    cs->plugin_stmt = !core;
    int rc = core ? core_run(cs, text.p, fn, udata) : guarded_run(cs, text.p, fn, udata);
    cs->plugin_stmt = 0;
    free(text.p);
    return rc;
}

static int ch_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                    void *udata)
{
    return bind_and_run(s, 0, sql, params, n, fn, udata);
}

static int ch_exec(store *s, const char *sql, const bf_value *params, int n)
{
    return bind_and_run(s, 0, sql, params, n, NULL, NULL);
}

static int ch_core_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                         void *udata)
{
    return bind_and_run(s, 1, sql, params, n, fn, udata);
}

static int ch_core_exec(store *s, const char *sql, const bf_value *params, int n)
{
    return bind_and_run(s, 1, sql, params, n, NULL, NULL);
}

/* ---- connection --------------------------------------------------------- */

static int endpoint_open(ch_endpoint *e, const ch_config *c, const char *url)
{
    e->curl = curl_lib_load(NULL, 0)->easy_init(); /* loaded by ch_init */
    e->url = url;
    e->user = c->user;
    e->password = c->password;
    e->timeout_s = c->timeout_s;
    return e->curl ? 0 : -1;
}

static void ch_close(store *s);

/* A token no other connection anywhere is likely to have: the staging
 * tables of two processes, even on two machines, never collide. */
static void make_token(char *buf, size_t size)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static unsigned counter;
    unsigned r = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(&r, sizeof r, 1, f) != 1)
        r = (unsigned)time(NULL);
    if (f)
        fclose(f);
    pthread_mutex_lock(&lock);
    unsigned k = counter++;
    pthread_mutex_unlock(&lock);
    snprintf(buf, size, "%08x_%ld_%u", r, (long)getpid(), k);
}

/* The first row's two integers into udata (int64_t[2]). */
static int take_pair(void *udata, int ncols, const bf_value *v)
{
    int64_t *pair = udata;
    for (int i = 0; i < 2 && i < ncols; i++)
        if (v[i].type == BF_INT)
            pair[i] = v[i].v.i;
    return 1;
}

static int ch_open(const store_conf *cfg, int mode, store **out, char *err, size_t errlen)
{
    const ch_config *c = cfg->driver_cfg;
    ch_store *cs = calloc(1, sizeof *cs);
    if (!cs || (c->nshards && !(cs->shards = calloc((size_t)c->nshards, sizeof *cs->shards)))) {
        free(cs);
        snprintf(err, errlen, "out of memory");
        return BF_ERROR;
    }
    cs->base.driver = &store_clickhouse_driver;
    cs->cfg = c;
    cs->mode = mode;
    make_token(cs->token, sizeof cs->token);
    int rc = endpoint_open(&cs->entry, c, c->url);
    for (int i = 0; rc == 0 && i < c->nshards; i++)
        rc = endpoint_open(&cs->shards[i], c, c->shard_urls[i]);
    if (rc != 0) {
        snprintf(err, errlen, "cannot open store %s: curl_easy_init failed", c->location);
        ch_close(&cs->base);
        return BF_ERROR;
    }
    /* The server answers, the database exists, the cluster is the one the
     * config describes: before any date, not in the middle of the run. One
     * request for both (a connection is opened several times a run). */
    int64_t found[2] = {0, 0};
    if (ch_run(cs, &cs->entry, take_pair, found,
               "SELECT (SELECT count() FROM system.databases WHERE name = '%s'),"
               " (SELECT uniqExact(shard_num) FROM system.clusters WHERE cluster = '%s')",
               c->database, c->cluster ? c->cluster : "") != BF_OK ||
        !found[0]) {
        snprintf(err, errlen, "cannot open store %s: %s", c->location,
                 cs->base.error[0] ? cs->base.error : "no such database");
        ch_close(&cs->base);
        return BF_ERROR;
    }
    if (c->cluster && found[1] != c->nshards) {
        snprintf(err, errlen,
                 "cannot open store %s: cluster %s has %lld shards on that server, shard_urls "
                 "lists %d",
                 c->location, c->cluster, (long long)found[1], c->nshards);
        ch_close(&cs->base);
        return BF_ERROR;
    }
    *out = &cs->base;
    return BF_OK;
}

static void ch_close(store *s)
{
    ch_store *cs = (ch_store *)s;
    ch_unlock(s);
    if (cs->entry.curl)
        ch_scope_end(s);
    /* The staging tables, each where it was made (every server at once,
     * or the entry); a failure leaves one behind, which nothing reads.
     * Tables are remembered only once every server has a handle. */
    for (int k = 0; k < cs->nstaged; k++) {
        if (cs->staged[k].entry_only)
            ch_run(cs, &cs->entry, NULL, NULL, "DROP TABLE IF EXISTS %s", cs->staged[k].name);
        else
            ch_run_servers(cs, "DROP TABLE IF EXISTS %s", cs->staged[k].name);
        free(cs->staged[k].name);
    }
    free(cs->staged);
    const curl_lib *cu = curl_lib_load(NULL, 0);
    if (cs->entry.curl)
        cu->easy_cleanup(cs->entry.curl);
    for (int i = 0; i < cs->cfg->nshards; i++)
        if (cs->shards[i].curl)
            cu->easy_cleanup(cs->shards[i].curl);
    free(cs->shards);
    free(cs);
}

/* db and name of a table as written ("t" or "db.t"). */
static void split_name(const ch_store *cs, const char *table, char *db, char *name, size_t size)
{
    const char *dot = strchr(table, '.');
    snprintf(db, size, "%.*s", dot ? (int)(dot - table) : (int)strlen(cs->cfg->database),
             dot ? table : cs->cfg->database);
    snprintf(name, size, "%s", dot ? dot + 1 : table);
}

/* EXISTS TABLE, not a query of system.tables: on 18.16 that fails while
 * another connection drops a table of the same database. */
static int ch_table_exists(store *s, const char *table, int *exists)
{
    ch_store *cs = (ch_store *)s;
    char db[256], name[256], qdb[520], qname[520];
    int64_t found = 0;
    split_name(cs, table, db, name, sizeof db);
    if (ch_quote(db, qdb, sizeof qdb) != 0 || ch_quote(name, qname, sizeof qname) != 0)
        return store_fail(s, BF_PERMANENT, "table name too long: %s", table);
    char sql[1100];
    snprintf(sql, sizeof sql, "EXISTS TABLE %s.%s", qdb, qname);
    int rc = ch_send(cs, &cs->entry, sql, 1, 1, ch_take_int, &found);
    *exists = found == 1;
    return rc;
}

static unsigned ch_caps(const void *driver_cfg)
{
    const ch_config *c = driver_cfg;
    (void)c;
    return STORE_CAP_REQUEST_RETRY | STORE_CAP_BLOCK_GROUP;
}

static const char *ch_location(const void *driver_cfg)
{
    return ((const ch_config *)driver_cfg)->location;
}

/* libcurl's global state, and the limits every connection shares. */
static int ch_init(const void *driver_cfg, char *err, size_t errlen)
{
    const ch_config *c = driver_cfg;
    ch_http_limits(c->max_concurrent, c->max_qps, c->retries);
    const curl_lib *cu = curl_lib_load(err, errlen);
    if (!cu)
        return -1;
    if (cu->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "clickhouse: curl_global_init failed");
        return -1;
    }
    return 0;
}

static void ch_shutdown(void)
{
    long retries, pushbacks;
    ch_http_counters(&retries, &pushbacks);
    log_set_scope(NULL, NULL); /* the last processor's name may be gone */
    if (retries)
        log_info("clickhouse: %ld requests retried after transient errors (%ld server "
                 "push-backs)",
                 retries, pushbacks);
    curl_lib_load(NULL, 0)->global_cleanup();
}

static void ch_guard(store *s, int guard, const char *table)
{
    ch_store *cs = (ch_store *)s;
    cs->guard = guard;
    snprintf(cs->guarded, sizeof cs->guarded, "%s", table ? table : "");
}

const store_driver store_clickhouse_driver = {
    .name = "clickhouse",
    .parse_config = ch_config_parse,
    .free_config = ch_config_free,
    .location = ch_location,
    .init = ch_init,
    .shutdown = ch_shutdown,
    .quote = ch_quote,
    .caps = ch_caps,
    /* Blocks of 32: 0.30x the time of one date at a time on the demo (1
     * worker, two shards; README, Performance). */
    .batch_dates = 32,
    .open = ch_open,
    .close = ch_close,
    .exec = ch_exec,
    .query = ch_query,
    .core_exec = ch_core_exec,
    .core_query = ch_core_query,
    .table_exists = ch_table_exists,
    .date_begin = ch_date_begin,
    .date_publish = ch_date_publish,
    .date_abort = ch_date_abort,
    .date_staged_rows = ch_date_staged_rows,
    .date_defer = ch_date_defer,
    .commit_group = ch_commit_group,
    .block_begin = ch_block_begin,
    .block_end = ch_block_end,
    .block_rows = ch_block_rows,
    .date_begin_block = ch_date_begin_block,
    .guard = ch_guard,
    .scope_begin = ch_scope_begin,
    .scope_end = ch_scope_end,
    .lock = ch_lock,
};
