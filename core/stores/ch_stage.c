/* ch_stage.c - write-audit-publish on ClickHouse partitions (see the
 * header of clickhouse.c for the whole scheme).
 *
 * Why DETACH + ATTACH and not REPLACE PARTITION: ClickHouse 18.16 keeps
 * the parts a REPLACE (or DROP, or TRUNCATE) removed on disk for
 * old_parts_lifetime (8 minutes) and loads them again when the server
 * restarts, so a restart would bring a date's old rows back next to its
 * new ones. DETACH moves the old parts into detached/ (a rename, durable
 * at once); ATTACH ... FROM adds the staged parts. For the same reason a
 * staging table is dropped and created again, never truncated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stores/ch_sql.h"
#include "stores/ch_store.h"

int ch_stage_remembered(const ch_store *cs, const char *name)
{
    for (int k = 0; k < cs->nstaged; k++)
        if (strcmp(cs->staged[k].name, name) == 0)
            return 1;
    return 0;
}

int ch_remember_stage(ch_store *cs, const char *name, int entry_only)
{
    if (ch_stage_remembered(cs, name))
        return BF_OK;
    ch_staged *more = realloc(cs->staged, (size_t)(cs->nstaged + 1) * sizeof *more);
    if (!more)
        return store_fail(&cs->base, BF_TRANSIENT, "out of memory");
    cs->staged = more;
    cs->staged[cs->nstaged] = (ch_staged){strdup(name), entry_only};
    if (!cs->staged[cs->nstaged].name)
        return store_fail(&cs->base, BF_TRANSIENT, "out of memory");
    cs->nstaged++;
    return BF_OK;
}

typedef struct partition_key {
    char text[256];
    int found;
} partition_key;

/* The PARTITION BY expression of a SHOW CREATE TABLE statement ("" when
 * it has none). */
static int take_key(void *udata, int ncols, const bf_value *values)
{
    partition_key *k = udata;
    k->found = 1;
    const char *engine =
        ncols > 0 && values[0].type == BF_TEXT ? strstr(values[0].v.s, " ENGINE = ") : NULL;
    const char *key = engine ? strstr(engine, " PARTITION BY ") : NULL;
    if (!key)
        return 1;
    key += strlen(" PARTITION BY ");
    size_t n = strlen(key);
    static const char *const after[] = {" ORDER BY ", " PRIMARY KEY ", " SAMPLE BY ", " TTL ",
                                        " SETTINGS "};
    for (size_t i = 0; i < sizeof after / sizeof after[0]; i++) {
        const char *end = strstr(key, after[i]);
        if (end && (size_t)(end - key) < n)
            n = (size_t)(end - key);
    }
    snprintf(k->text, sizeof k->text, "%.*s", (int)n, key);
    return 1;
}

/* DETACH PARTITION removes exactly one date only when the partition key is
 * the date column itself. Read from SHOW CREATE TABLE, not system.tables:
 * on 18.16 a query of system.tables fails while another connection drops
 * a table of the same database (its staging table). */
static int check_partitioning(ch_store *cs, ch_endpoint *e, const char *db, const char *name,
                              const char *column)
{
    partition_key k = {"", 0};
    int rc = ch_run(cs, e, take_key, &k, "SHOW CREATE TABLE `%s`.`%s`", db, name);
    if (rc != BF_OK)
        return rc;
    char quoted[300];
    snprintf(quoted, sizeof quoted, "`%s`", column);
    if (!k.found)
        return store_fail(&cs->base, BF_PERMANENT, "clickhouse %s: table %s.%s does not exist",
                          e->url, db, name);
    if (strcmp(k.text, column) != 0 && strcmp(k.text, quoted) != 0)
        return store_fail(&cs->base, BF_PERMANENT,
                          "clickhouse %s: table %s.%s is PARTITION BY %s, not by its date column "
                          "%s: a date could not be published on its own",
                          e->url, db, name, k.text[0] ? k.text : "nothing", column);
    return BF_OK;
}

/* The Distributed table over the staging tables, on the entry server
 * alone: only this connection reads and writes through it. Rows go to a
 * shard by their date. */
static int make_distributed_stage(ch_store *cs, const char *table, const char *column)
{
    const char *dot = strchr(table, '.');
    const char *t = dot ? dot + 1 : table;
    return ch_run(cs, &cs->entry, NULL, NULL,
                  "CREATE TABLE IF NOT EXISTS %s AS %s"
                  " ENGINE = Distributed(%s, %s, bf_stage_%s_%s, toUInt32(toDate(`%s`)))",
                  cs->stage, cs->stage_source, cs->cfg->cluster, cs->cfg->database, t, cs->token,
                  column);
}

/* First use of a table on this connection: check the output's
 * partitioning and name the staging tables; they are made only when a
 * date runs alone (ensure_stage), so that a run in blocks neither creates
 * nor drops them. */
static int name_stage(ch_store *cs, const char *table, const char *column)
{
    const char *db = cs->cfg->database;
    const char *dot = strchr(table, '.');
    const char *t = dot ? dot + 1 : table;
    char local[300];
    snprintf(local, sizeof local, "%s%s", t, cs->cfg->cluster ? "_local" : "");
    snprintf(cs->stage_local, sizeof cs->stage_local, "%s.bf_stage_%s_%s", db, t, cs->token);
    snprintf(cs->stage_source, sizeof cs->stage_source, "%s.%s", db, local);
    snprintf(cs->stage, sizeof cs->stage, "%s%s", cs->stage_local, cs->cfg->cluster ? "_all" : "");
    int rc = BF_OK;
    for (int i = 0; rc == BF_OK && i < ch_nservers(cs); i++)
        rc = check_partitioning(cs, ch_server(cs, i), db, local, column);
    return rc;
}

/* The first date alone of the table: the staging tables remembered (to be
 * dropped at close, whatever happens next) and, with cluster, the
 * Distributed one over them made, once. */
static int ensure_stage(ch_store *cs)
{
    if (cs->stage_made)
        return BF_OK;
    int rc = ch_remember_stage(cs, cs->stage_local, 0);
    if (rc == BF_OK && cs->cfg->cluster) {
        rc = ch_remember_stage(cs, cs->stage, 1);
        if (rc == BF_OK)
            rc = make_distributed_stage(cs, cs->table, cs->column);
    }
    if (rc == BF_OK)
        cs->stage_made = 1;
    return rc;
}

/* An empty staging table on every server (create: 0 = just drop), the
 * servers at once. */
static int renew_stage(ch_store *cs, int create)
{
    int rc = ch_run_servers(cs, "DROP TABLE IF EXISTS %s", cs->stage_local);
    if (rc == BF_OK && create)
        rc = ch_run_servers(cs, "CREATE TABLE %s AS %s", cs->stage_local, cs->stage_source);
    return rc;
}

int ch_use_table(ch_store *cs, const char *table, const char *column)
{
    if (strcmp(cs->table, table) == 0)
        return BF_OK;
    ch_publish_pending(cs); /* they belong to the previous table */
    cs->table[0] = '\0';
    cs->stage_made = 0;
    int rc = name_stage(cs, table, column);
    if (rc == BF_OK)
        snprintf(cs->table, sizeof cs->table, "%s", table);
    return rc;
}

int ch_date_begin(store *s, const char *table, const char *column, const char *date,
                  const char **write_table)
{
    ch_store *cs = (ch_store *)s;
    if (!ch_sql_is_date(date))
        return store_fail(s, BF_PERMANENT, "'%s' is not a date YYYY-MM-DD", date);
    cs->block_date = 0;
    snprintf(cs->date, sizeof cs->date, "%s", date);
    snprintf(cs->column, sizeof cs->column, "%s", column);
    int rc = ch_use_table(cs, table, column);
    if (rc == BF_OK)
        rc = ensure_stage(cs);
    /* The one place the staging table is emptied: whatever an earlier
     * attempt left there is gone. */
    if (rc == BF_OK)
        rc = renew_stage(cs, 1);
    if (rc == BF_OK)
        *write_table = cs->stage;
    return rc;
}

int ch_publish_dates(ch_store *cs, const char (*dates)[16], int n, const char *from)
{
    size_t size = 200 + strlen(cs->stage_source) + (size_t)n * (80 + strlen(from));
    char *sql = malloc(size);
    if (!sql)
        return store_fail(&cs->base, BF_TRANSIENT, "out of memory");
    size_t k = (size_t)snprintf(sql, size, "ALTER TABLE %s", cs->stage_source);
    for (int i = 0; i < n; i++)
        k +=
            (size_t)snprintf(sql + k, size - k, "%s DETACH PARTITION '%s'", i ? "," : "", dates[i]);
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(sql + k, size - k, ", ATTACH PARTITION '%s' FROM %s", dates[i], from);
    /* One request to each server, the servers at once: the old parts
     * out, then the staged parts in, in the order written. Not retried
     * (ATTACH is not idempotent): a failed publish fails its dates, which
     * run again. */
    int rc = ch_send_servers(cs, sql, 0);
    free(sql);
    return rc;
}

int ch_publish_pending(ch_store *cs)
{
    if (!cs->npending)
        return BF_OK;
    int rc = ch_publish_dates(cs, (const char(*)[16])cs->pending, cs->npending, cs->block_local);
    if (rc != BF_OK && !cs->group_error[0])
        snprintf(cs->group_error, sizeof cs->group_error, "%s", cs->base.error);
    cs->npending = 0;
    return rc;
}

int ch_date_publish(store *s)
{
    ch_store *cs = (ch_store *)s;
    const char *from = cs->block_date ? cs->block_local : cs->stage_local;
    cs->block_date = 0;
    return ch_publish_dates(cs, (const char(*)[16])cs->date, 1, from);
}

int ch_date_abort(store *s)
{
    ch_store *cs = (ch_store *)s;
    /* A date of a block: its rows stay in the block's staging table, which
     * the next block empties; nothing was published. */
    if (cs->block_date) {
        cs->block_date = 0;
        return BF_OK;
    }
    /* The output was never touched; drop the staged rows now rather than
     * keep them until the next date. */
    return cs->table[0] ? renew_stage(cs, 0) : BF_OK;
}

typedef struct staged_count {
    int64_t rows, other;
} staged_count;

static int take_counts(void *udata, int ncols, const bf_value *values)
{
    staged_count *c = udata;
    if (ncols >= 2 && values[0].type == BF_INT && values[1].type == BF_INT) {
        c->rows = values[0].v.i;
        c->other = values[1].v.i;
    }
    return 1;
}

int ch_date_staged_rows(store *s, int64_t *rows)
{
    ch_store *cs = (ch_store *)s;
    staged_count c = {-1, 0};
    *rows = -1;
    int rc =
        ch_run(cs, &cs->entry, take_counts, &c,
               cs->block_date ? "SELECT count(), 0 FROM %3$s WHERE toString(`%1$s`) = '%2$s'"
                              : "SELECT count(), countIf(toString(`%1$s`) != '%2$s') FROM %3$s",
               cs->column, cs->date, cs->block_date ? cs->block : cs->stage);
    if (rc == BF_OK && c.other)
        return store_fail(s, BF_PERMANENT,
                          "process_date wrote rows for other dates than %s into %s", cs->date,
                          cs->table);
    if (rc == BF_OK)
        *rows = c.rows;
    return rc;
}
