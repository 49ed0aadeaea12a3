/* ch_block.c - blocks of dates on ClickHouse: one staging table per output
 * table and connection (so per processor and worker), partitioned by date
 * like the output, that a whole block is computed into; each date of it is
 * then judged from its own partition there and published from it.
 *
 *   block_begin      publish what the last block deferred (below), then
 *                    empty bf_block_<table>_<token> on every server. The
 *                    table persists from block to block (made on the
 *                    table's first block): one ALTER per server DETACHes
 *                    every partition the last block held (block_rows
 *                    said which), moving its parts into detached/, a
 *                    rename that a restart does not undo. Not DROP
 *                    PARTITION or TRUNCATE: ClickHouse 18.16 may load the
 *                    parts those removed again when the server restarts
 *                    (ch_stage.c), and a block must never count rows of
 *                    an earlier one. When what it holds is not known (the
 *                    last block failed before it was counted) it is
 *                    dropped and made again instead. The detached parts
 *                    go with the table, dropped when the store closes.
 *                    With cluster, the Distributed
 *                    bf_block_<table>_<token>_all over it on the entry
 *                    server (made once) sends each date to its shard.
 *   process_dates    INSERT INTO the block's table (the guard lets through
 *                    nothing else that writes);
 *   block_rows       one GROUP BY over the block's table: rows per date;
 *   date_begin_block the date's staging area is its partition of the
 *                    block's table: validate_date and the quality checks
 *                    read it there by the date column, as they do on the
 *                    per-date staging table;
 *   date_publish     one ALTER per server: DETACH PARTITION 'date', ATTACH
 *                    PARTITION 'date' FROM the block's table;
 *   date_defer       a date of a block waits (pending); a date alone is
 *                    published at once, as date_publish does, since its
 *                    staging table is emptied by the next date;
 *   commit_group     one ALTER per server for every pending date: every
 *                    DETACH first, then every ATTACH ... FROM.
 * The next block_begin empties the block's table, so the dates its block
 * deferred are published first, there; a failure then is kept and
 * reported by the next commit_group, which fails the dates it holds (they
 * run again: publish replaces a whole partition, so running it again is
 * harmless). A date that fails in its block runs again alone through
 * date_begin, whose staging table is another one: the block's is intact.
 *
 * Publishing is no more atomic than the per-date path (clickhouse.c): the
 * server applies the commands of one ALTER in order, part by part, and a
 * server that dies inside it leaves some dates detached (empty) until the
 * resumed run publishes them again; the core had not recorded them. What
 * one request per server removes is the window between two requests in
 * which the client could die. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stores/ch_sql.h"
#include "stores/ch_store.h"

/* The persistent block table emptied: every partition it holds detached,
 * in one ALTER per server, the servers at once (DETACH is idempotent:
 * retried freely). */
static int empty_block(ch_store *cs)
{
    if (!cs->nheld)
        return BF_OK;
    size_t size = 64 + strlen(cs->block_local) + (size_t)cs->nheld * 40;
    char *sql = malloc(size);
    if (!sql)
        return store_fail(&cs->base, BF_TRANSIENT, "out of memory");
    size_t k = (size_t)snprintf(sql, size, "ALTER TABLE %s", cs->block_local);
    for (int i = 0; i < cs->nheld; i++)
        k += (size_t)snprintf(sql + k, size - k, "%s DETACH PARTITION '%s'", i ? "," : "",
                              cs->held[i]);
    int rc = ch_send_servers(cs, sql, 1);
    free(sql);
    return rc;
}

/* The block's tables of the current output table, made on its first block:
 * the local one on each server (the servers at once; dropped first when
 * this connection made it before, for another block or table), and with
 * cluster the Distributed one over them. A block after the first empties
 * the local one instead, or makes it again when what it holds is not
 * known. */
static int make_block(ch_store *cs, const char *table, const char *column)
{
    const char *db = cs->cfg->database;
    const char *dot = strchr(table, '.');
    const char *t = dot ? dot + 1 : table;
    int first = strcmp(cs->block_made, table) != 0;
    int rc = BF_OK;
    if (first) {
        snprintf(cs->block_local, sizeof cs->block_local, "%s.bf_block_%s_%s", db, t, cs->token);
        snprintf(cs->block, sizeof cs->block, "%s%s", cs->block_local,
                 cs->cfg->cluster ? "_all" : "");
    }
    if (!first && cs->block_known)
        rc = empty_block(cs);
    else {
        /* A name never made before is new: the token is this
         * connection's alone. */
        if (ch_stage_remembered(cs, cs->block_local))
            rc = ch_run_servers(cs, "DROP TABLE IF EXISTS %s", cs->block_local);
        else
            rc = ch_remember_stage(cs, cs->block_local, 0);
        if (rc == BF_OK)
            rc = ch_run_servers(cs, "CREATE TABLE %s AS %s", cs->block_local, cs->stage_source);
    }
    cs->block_known = 0;
    cs->nheld = 0;
    if (rc == BF_OK && first && cs->cfg->cluster) {
        rc = ch_run(cs, &cs->entry, NULL, NULL,
                    "CREATE TABLE IF NOT EXISTS %s AS %s"
                    " ENGINE = Distributed(%s, %s, bf_block_%s_%s, toUInt32(toDate(`%s`)))",
                    cs->block, cs->stage_source, cs->cfg->cluster, db, t, cs->token, column);
        if (rc == BF_OK)
            rc = ch_remember_stage(cs, cs->block, 1);
    }
    if (rc == BF_OK)
        snprintf(cs->block_made, sizeof cs->block_made, "%s", table);
    else
        cs->block_made[0] = '\0';
    return rc;
}

int ch_block_begin(store *s, const char *table, const char *column, const char *first,
                   const char *last, const char **write_table)
{
    ch_store *cs = (ch_store *)s;
    if (!ch_sql_is_date(first) || !ch_sql_is_date(last))
        return store_fail(s, BF_PERMANENT, "'%s'..'%s' is not a range of dates YYYY-MM-DD", first,
                          last);
    cs->block_date = 0;
    ch_publish_pending(cs); /* its failure waits for commit_group */
    snprintf(cs->column, sizeof cs->column, "%s", column);
    int rc = ch_use_table(cs, table, column);
    if (rc == BF_OK)
        rc = make_block(cs, table, column);
    if (rc != BF_OK)
        return rc;
    cs->in_block = 1;
    *write_table = cs->block;
    return BF_OK;
}

int ch_block_end(store *s)
{
    ((ch_store *)s)->in_block = 0;
    return BF_OK;
}

typedef struct held_rows {
    ch_store *cs;
    store_row_fn fn;
    void *udata;
    int stopped;
} held_rows;

/* Each date the block's table holds: remembered (what the next block
 * detaches), then handed on. */
static int take_held(void *udata, int ncols, const bf_value *v)
{
    held_rows *h = udata;
    ch_store *cs = h->cs;
    if (ncols < 1 || v[0].type != BF_TEXT || !ch_sql_is_date(v[0].v.s) ||
        cs->nheld == CH_PENDING_MAX)
        cs->block_known = 0; /* made again by the next block */
    else
        snprintf(cs->held[cs->nheld++], sizeof cs->held[0], "%s", v[0].v.s);
    if (!h->stopped && h->fn(h->udata, ncols, v))
        h->stopped = 1;
    return 0;
}

int ch_block_rows(store *s, store_row_fn fn, void *udata)
{
    ch_store *cs = (ch_store *)s;
    held_rows h = {cs, fn, udata, 0};
    cs->nheld = 0;
    cs->block_known = 1;
    int rc = ch_run(
        cs, &cs->entry, take_held, &h,
        "SELECT toString(`%s`) AS bf_date, count() FROM %s GROUP BY bf_date ORDER BY bf_date",
        cs->column, cs->block);
    if (rc != BF_OK)
        cs->block_known = 0;
    return rc;
}

int ch_date_begin_block(store *s, const char *date, const char **write_table)
{
    ch_store *cs = (ch_store *)s;
    if (!cs->block_made[0] || strcmp(cs->block_made, cs->table) != 0 || cs->in_block)
        return store_fail(s, BF_PERMANENT, "no block of dates was computed on this connection");
    if (!ch_sql_is_date(date))
        return store_fail(s, BF_PERMANENT, "'%s' is not a date YYYY-MM-DD", date);
    snprintf(cs->date, sizeof cs->date, "%s", date);
    cs->block_date = 1;
    *write_table = cs->block;
    return BF_OK;
}

int ch_date_defer(store *s)
{
    ch_store *cs = (ch_store *)s;
    if (!cs->block_date)
        return ch_date_publish(s);
    if (cs->npending == CH_PENDING_MAX && ch_publish_pending(cs) != BF_OK)
        return BF_ERROR_STORE;
    memcpy(cs->pending[cs->npending++], cs->date, sizeof cs->date);
    cs->block_date = 0;
    return BF_OK;
}

int ch_commit_group(store *s)
{
    ch_store *cs = (ch_store *)s;
    ch_publish_pending(cs);
    if (!cs->group_error[0])
        return BF_OK;
    int rc = store_fail(s, BF_TRANSIENT, "%s", cs->group_error);
    cs->group_error[0] = '\0';
    return rc;
}
