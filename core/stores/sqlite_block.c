/* sqlite_block.c - blocks of dates on SQLite: one staging table for a
 * whole block, from which each date is then taken alone.
 *
 * process_dates writes the rows of every date of the block into
 * temp.bf_block_<table> (indexed by the date column), inside the deferred
 * transaction sqlite_date_begin opens, so the whole block reads one
 * snapshot of the upstream tables. That transaction stays open after
 * block_end for the block's dates: each date of the block begins in it
 * (sqlite_date_begin_block), its staging table starting with the block's
 * rows of that date, so its validate_date and checks read the snapshot its
 * rows were computed from, and it pays no transaction of its own. The
 * count, the checks and the deferral are the per-date ones of
 * sqlite_publish.c; a deferred date's rows join the ready table inside the
 * block's transaction, which the next date alone, a date's abort or the
 * group commit ends. A rollback of it, whoever made it (SQLite rolls the
 * whole transaction back when a write in it is interrupted), fails the
 * whole group (ready_lost) and every later date of the block, whose rows
 * went with it (block_lost): each then runs alone.
 * Only temp tables are written in it, so it never holds the database's
 * write lock; the published table is never touched here. */
#include <stdio.h>
#include <string.h>

#include "stores/sqlite_store.h"

int sqlite_block_begin(store *s, const char *table, const char *column, const char *first,
                       const char *last, const char **write_table)
{
    sqlite_store *ss = (sqlite_store *)s;
    (void)last;
    const char *stage = NULL;
    /* The date's transaction and snapshot, and the staging tables of the
     * table, made if this is its first date on the connection. */
    int rc = sqlite_date_begin(s, table, column, first, &stage);
    if (rc != BF_OK)
        return rc;
    char block[sizeof ss->block], ix[sizeof ss->block], sql[1024];
    sqlite_temp_name(block, sizeof block, "block", table);
    sqlite_temp_name(ix, sizeof ix, "blockix", table);
    snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s AS SELECT * FROM %s WHERE 0", block,
             ss->stage);
    rc = sqlite_exec(s, sql, NULL, 0);
    if (rc == BF_OK) {
        snprintf(sql, sizeof sql, "CREATE INDEX IF NOT EXISTS %s ON %s (%s)", ix,
                 block + strlen("temp."), column);
        rc = sqlite_exec(s, sql, NULL, 0);
    }
    if (rc == BF_OK) {
        snprintf(sql, sizeof sql, "DELETE FROM %s", block);
        rc = sqlite_exec(s, sql, NULL, 0);
    }
    if (rc != BF_OK) {
        sqlite_date_end(s);
        return rc;
    }
    /* The guard's rule now names the block's table: statements authorized
     * against the date's staging table are prepared again. */
    memcpy(ss->block, block, sizeof block);
    ss->in_block = 1;
    ss->block_txn = 1;
    ss->block_lost = 0;
    sqlite_stmt_forget(ss);
    *write_table = ss->block;
    return BF_OK;
}

int sqlite_block_end(store *s)
{
    sqlite_store *ss = (sqlite_store *)s;
    if (ss->in_block) {
        ss->in_block = 0;
        sqlite_stmt_forget(ss);
    }
    /* The transaction stays open for the block's dates. */
    return BF_OK;
}

int sqlite_block_rows(store *s, store_row_fn fn, void *udata)
{
    sqlite_store *ss = (sqlite_store *)s;
    char sql[1200];
    snprintf(sql, sizeof sql, "SELECT %s, count(*) FROM %s GROUP BY 1 ORDER BY 1", ss->column,
             ss->block);
    return sqlite_query(s, sql, NULL, 0, fn, udata);
}

int sqlite_date_begin_block(store *s, const char *date, const char **write_table)
{
    sqlite_store *ss = (sqlite_store *)s;
    if (!ss->block[0] || ss->in_block)
        return store_fail(s, BF_PERMANENT, "no block of dates was computed on this connection");
    /* Checked again after the end below: an open block transaction found
     * ended by SQLite itself is one that rolled back. */
    if (ss->block_lost || (ss->block_txn && sqlite3_get_autocommit(ss->db))) {
        sqlite_date_end(s);
        return store_fail(s, BF_TRANSIENT,
                          "the block's rows were lost: its transaction was rolled back");
    }
    char table[sizeof ss->table], column[sizeof ss->column], sql[1200];
    memcpy(table, ss->table, sizeof table);
    memcpy(column, ss->column, sizeof column);
    int rc;
    if (sqlite3_get_autocommit(ss->db)) {
        /* The block's transaction has ended (a date before was published
         * alone): this date begins its own, as any date does. */
        rc = sqlite_date_begin(s, table, column, date, write_table);
    } else {
        snprintf(ss->date, sizeof ss->date, "%s", date);
        snprintf(sql, sizeof sql, "DELETE FROM %s", ss->stage);
        rc = sqlite_exec(s, sql, NULL, 0);
        *write_table = ss->stage;
    }
    if (rc != BF_OK)
        return rc;
    ss->block_date = 1;
    snprintf(sql, sizeof sql, "INSERT INTO %s SELECT * FROM %s WHERE %s = ?", ss->stage, ss->block,
             column);
    bf_value d = BF_V_TEXT(date);
    rc = sqlite_exec(s, sql, &d, 1);
    if (rc != BF_OK)
        sqlite_date_end(s); /* the date fails here: no abort follows */
    return rc;
}
