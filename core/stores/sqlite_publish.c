/* sqlite_publish.c - write-audit-publish on SQLite, with group commit.
 *
 * process_date writes a staging table in the connection's private temp
 * schema, so it never holds the database's single write lock and workers
 * compute dates in parallel. A validated date is moved to a second temp
 * table, the ready table, and joins the connection's pending group;
 * sqlite_commit_group then replaces every pending date's published rows in
 * one IMMEDIATE transaction. One commit per group instead of one per date
 * is most of what separates a run from the same SQL fed to sqlite3 in one
 * transaction: per commit, SQLite appends every dirty page to the WAL and
 * may checkpoint it. After a crash a date holds its complete new rows or
 * its old ones: the group is one transaction, and the core records its
 * dates complete only after the commit returned. A date that fails is never
 * moved: the published table is not touched, and its staged rows are
 * dropped when the next date begins.
 *
 * Each date's statements, from emptying the staging table to moving the
 * date to the ready table, run in one deferred transaction: process_date,
 * validate_date and the checks all read one snapshot of the upstream
 * tables, and SQLite takes its locks and checks its cache once per date
 * instead of once per statement. The snapshot is fixed when the date
 * begins (its staleness is judged from the moment just before). The dates
 * of a block share the block's transaction instead (sqlite_block.c). The
 * transaction writes only temp tables,
 * so it never holds the database's write lock. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stores/sqlite_store.h"

/* temp.bf_<what>_<table>, dots in the table's name made underscores. */
void sqlite_temp_name(char *buf, size_t size, const char *what, const char *table)
{
    int n = snprintf(buf, size, "temp.bf_%s_", what);
    snprintf(buf + n, size - n, "%s", table);
    for (char *c = buf + n; *c; c++)
        if (*c == '.')
            *c = '_';
}

/* End the date's transaction, if one is open. It wrote only temp tables,
 * so COMMIT does not wait for a lock; if it fails all the same, the
 * transaction is rolled back and its error returned. */
static int end_date(store *s)
{
    sqlite_store *ss = (sqlite_store *)s;
    int rc = BF_OK, lost = 1; /* a transaction found ended was rolled back */
    if (!sqlite3_get_autocommit(ss->db)) {
        rc = sqlite_exec(s, "COMMIT", NULL, 0);
        if (rc != BF_OK && !sqlite3_get_autocommit(ss->db))
            (void)sqlite_exec(s, "ROLLBACK", NULL, 0);
        lost = rc != BF_OK;
    }
    /* The block's own transaction: its rows kept, or lost with it. */
    if (ss->block_txn) {
        ss->block_lost = lost;
        ss->block_txn = 0;
    }
    /* Ready rows written in a transaction that did not commit are gone
     * (a block's: sqlite_block.c), whatever ended it. */
    if (ss->ready_open && lost)
        ss->ready_lost = 1;
    ss->ready_open = 0;
    return rc;
}

int sqlite_date_end(store *s)
{
    return end_date(s);
}

int sqlite_date_begin(store *s, const char *table, const char *column, const char *date,
                      const char **write_table)
{
    sqlite_store *ss = (sqlite_store *)s;
    char sql[1024];
    /* A block's transaction still open (sqlite_block.c) ends here: a date
     * begins its own. */
    int rc = end_date(s);
    ss->block_date = 0;
    if (rc != BF_OK)
        return rc;
    if (strcmp(ss->table, table) != 0) {
        if (ss->npending)
            return store_fail(s, BF_PERMANENT, "%zu dates of %s were never committed", ss->npending,
                              ss->table);
        /* First date of this table on this connection: make its staging
         * and ready tables, same columns in the same order, so rows move
         * with SELECT *. The table is remembered only once both exist. */
        char stage[sizeof ss->stage], ready[sizeof ss->ready];
        sqlite_temp_name(stage, sizeof stage, "stage", table);
        sqlite_temp_name(ready, sizeof ready, "ready", table);
        snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s AS SELECT * FROM %s WHERE 0",
                 stage, table);
        rc = sqlite_exec(s, sql, NULL, 0);
        if (rc == BF_OK) {
            snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s AS SELECT * FROM %s WHERE 0",
                     ready, table);
            rc = sqlite_exec(s, sql, NULL, 0);
        }
        if (rc != BF_OK)
            return rc;
        /* The guards' rule names the staging table: statements authorized
         * against the old one must be prepared again. */
        sqlite_stmt_forget(ss);
        snprintf(ss->table, sizeof ss->table, "%s", table);
        memcpy(ss->stage, stage, sizeof stage);
        memcpy(ss->ready, ready, sizeof ready);
    }
    snprintf(ss->column, sizeof ss->column, "%s", column);
    snprintf(ss->date, sizeof ss->date, "%s", date);
    /* The one place the staging table is emptied: whatever an earlier
     * attempt left there is gone. */
    snprintf(sql, sizeof sql, "DELETE FROM %s", ss->stage);
    rc = sqlite_exec(s, "BEGIN", NULL, 0);
    if (rc == BF_OK)
        rc = sqlite_exec(s, sql, NULL, 0);
    /* A read of the main database fixes the date's snapshot now, not at
     * the plugin's first read: the core numbered the read just before
     * (audit.c), and staleness is judged against that number. */
    if (rc == BF_OK)
        rc = sqlite_exec(s, "SELECT 1 FROM main.sqlite_master LIMIT 1", NULL, 0);
    if (rc == BF_OK)
        *write_table = ss->stage;
    else
        end_date(s); /* the date fails here: no abort follows */
    return rc;
}

int sqlite_date_defer(store *s)
{
    sqlite_store *ss = (sqlite_store *)s;
    if (ss->npending == ss->pending_cap) {
        size_t cap = ss->pending_cap ? 2 * ss->pending_cap : 64;
        void *p = realloc(ss->pending, cap * sizeof *ss->pending);
        if (!p)
            return store_fail(s, BF_TRANSIENT, "out of memory");
        ss->pending = p;
        ss->pending_cap = cap;
    }
    char sql[700];
    /* The staged rows are kept only if the date's transaction commits; the
     * ready table is then written outside it, one statement at a time. A
     * date of a block writes it in the block's transaction instead, which
     * its next date, or the group commit, ends (sqlite_block.c). */
    int rc = ss->block_date ? BF_OK : end_date(s);
    /* A group starts from an empty ready table, whatever the end of the
     * last one (committed, rolled back, or failed before it began). */
    if (rc == BF_OK && !ss->npending) {
        snprintf(sql, sizeof sql, "DELETE FROM %s", ss->ready);
        rc = sqlite_exec(s, sql, NULL, 0);
    }
    snprintf(sql, sizeof sql, "INSERT INTO %s SELECT * FROM %s", ss->ready, ss->stage);
    if (rc == BF_OK)
        rc = sqlite_exec(s, sql, NULL, 0);
    if (ss->block_date) {
        if (sqlite3_get_autocommit(ss->db))
            ss->ready_lost |= ss->npending > 0; /* the failure rolled it all back */
        else
            ss->ready_open = 1;
    }
    if (rc == BF_OK)
        memcpy(ss->pending[ss->npending++], ss->date, sizeof ss->date);
    return rc;
}

/* Workers of one process take turns at the database's single write lock
 * here, woken the moment it is free, rather than in SQLite's busy handler,
 * which sleeps 1, 2, 5, 10 ms... between tries: the handler is left to
 * wait for other processes. */
static pthread_mutex_t commit_turn = PTHREAD_MUTEX_INITIALIZER;

int sqlite_commit_group(store *s)
{
    sqlite_store *ss = (sqlite_store *)s;
    /* The block's transaction, if one is open, commits the ready rows
     * first; if any were lost, no date of the group is published. */
    int rc = end_date(s);
    if (ss->ready_lost) {
        ss->ready_lost = 0;
        ss->npending = 0;
        return rc != BF_OK
                   ? rc
                   : store_fail(s, BF_TRANSIENT,
                                "the validated rows of a block were lost before the commit");
    }
    if (!ss->npending)
        return BF_OK;
    char sql[1024];
    pthread_mutex_lock(&commit_turn);
    rc = sqlite_exec(s, "BEGIN IMMEDIATE", NULL, 0);
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ?", ss->table, ss->column);
    for (size_t i = 0; rc == BF_OK && i < ss->npending; i++) {
        bf_value d = BF_V_TEXT(ss->pending[i]);
        rc = sqlite_exec(s, sql, &d, 1);
    }
    if (rc == BF_OK) {
        snprintf(sql, sizeof sql, "INSERT INTO %s SELECT * FROM %s", ss->table, ss->ready);
        rc = sqlite_exec(s, sql, NULL, 0);
    }
    if (rc == BF_OK)
        rc = sqlite_exec(s, "COMMIT", NULL, 0);
    if (rc != BF_OK && !sqlite3_get_autocommit(ss->db))
        (void)sqlite_exec(s, "ROLLBACK", NULL, 0);
    pthread_mutex_unlock(&commit_turn);
    /* Committed or not, the group is over: its dates are published, or
     * they failed and keep their old rows. */
    ss->npending = 0;
    return rc;
}

int sqlite_date_publish(store *s)
{
    int rc = sqlite_date_defer(s);
    return rc == BF_OK ? sqlite_commit_group(s) : rc;
}

int sqlite_date_abort(store *s)
{
    /* Nothing to undo: the published table was never touched, and the
     * staged rows are dropped when the next date begins. */
    end_date(s);
    return BF_OK;
}

/* The staged rows, and how many of them carry another date. */
typedef struct staged_counts {
    int64_t rows, other;
} staged_counts;

static int take_counts(void *udata, int ncols, const bf_value *values)
{
    staged_counts *c = udata;
    if (ncols == 2 && values[0].type == BF_INT && values[1].type == BF_INT)
        *c = (staged_counts){values[0].v.i, values[1].v.i};
    return 1;
}

int sqlite_date_staged_rows(store *s, int64_t *rows)
{
    sqlite_store *ss = (sqlite_store *)s;
    char sql[800];
    bf_value d = BF_V_TEXT(ss->date);
    staged_counts c = {-1, 0};
    *rows = -1;
    snprintf(sql, sizeof sql, "SELECT count(*), count(*) FILTER (WHERE %s IS NOT ?) FROM %s",
             ss->column, ss->stage);
    int rc = sqlite_query(s, sql, &d, 1, take_counts, &c);
    if (rc != BF_OK)
        return rc;
    if (c.other)
        return store_fail(s, BF_PERMANENT,
                          "process_date wrote rows for other dates than %s into %s", ss->date,
                          ss->table);
    *rows = c.rows;
    return BF_OK;
}
