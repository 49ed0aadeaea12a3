/* rogue - breaks one of the plugin rules, chosen by its `mode` key, so the
 * tests can show the core refusing each: writing past its staging table,
 * several statements in one call, transaction control, a count that is
 * not of what it wrote, errors of each class, an undeclared config key,
 * writing in the read-only calls (worker_init, worker_fini), reading an
 * undeclared table (in any call), and going on as if a refused statement
 * had run; in blocks of dates (process_dates) as one date at a time. */
#include <stdlib.h>

#include "testlib.h"

static const bf_config_key keys[] = {
    {.name = "mode",
     .type = BF_CONFIG_STRING,
     .description = "which rule to break",
     .string_default = "none"},
    {.name = "limit",
     .type = BF_CONFIG_INT,
     .description = "an integer with bounds",
     .int_default = 5,
     .min = 0,
     .max = 10},
    {0},
};

TEST_PROCESSOR("rogue", "breaks the rule its mode names (test)", BF_DEFAULT_BOOTSTRAP, 1, UPSTREAM,
               keys)

static const char *mode_of(bf_ctx *ctx)
{
    const char *mode = "none";
    bf_config_string(ctx, "mode", "none", &mode);
    return mode;
}

static int is(bf_ctx *ctx, const char *mode)
{
    return strcmp(mode_of(ctx), mode) == 0;
}

/* Statements run by process_date instead of, or before, the copy. */
static const struct {
    const char *mode, *sql;
} statements[] = {
    {"insert_published", "INSERT INTO rogue SELECT game_date, v FROM upstream WHERE game_date = ?"},
    {"delete_published", "DELETE FROM rogue WHERE game_date <> ?"},
    {"update_calendar", "UPDATE schedule SET game_id = 'x' WHERE game_date = ?"},
    {"begin", "BEGIN"},
    {"savepoint", "SAVEPOINT s1"},
    {"attach", "ATTACH 'other.db' AS other"},
    {"pragma", "PRAGMA journal_mode = DELETE"},
    {"create", "CREATE TABLE side (x INTEGER)"},
    {"drop", "DROP TABLE upstream"},
    {"syntax", "INSERT INTO nowhere VALUES (?"},
    {"read_undeclared", "SELECT count(*) FROM hidden WHERE game_date = ?"},
    {"read_calendar", "SELECT count(*) FROM schedule WHERE game_date = ?"},
    {"long_sql", "SELECT * FROM nowhere /* padding padding padding padding padding padding padding"
                 " padding padding padding padding padding padding padding padding padding padding"
                 " padding padding padding padding padding padding padding padding padding */"},
};

/* A write on another table than the plugin's own, in the dialect: SQLite
 * deletes, ClickHouse (no DELETE) inserts. Its status is ignored. */
static void write_upstream(bf_ctx *ctx)
{
    if (strcmp(bf_dialect(ctx), "clickhouse") == 0)
        bf_exec(ctx, "INSERT INTO upstream SELECT * FROM upstream LIMIT 1", NULL, 0);
    else
        bf_exec(ctx, "DELETE FROM upstream", NULL, 0);
}

/* worker_init and worker_fini are read-only. *_write modes ignore the
 * refusal of a write, *_drop modes of a DROP TABLE; fini_write_late writes
 * only on a worker that wrote a date (not on prepare's connection). */
int worker_init(bf_ctx *ctx, void **user)
{
    *user = calloc(1, sizeof(int));
    if (!*user)
        return bf_set_error(ctx, BF_PERMANENT, "out of memory");
    if (is(ctx, "init_write"))
        write_upstream(ctx);
    if (is(ctx, "init_drop"))
        bf_exec(ctx, "DROP TABLE upstream", NULL, 0);
    if (is(ctx, "init_reads")) {
        int64_t n;
        if (bf_query_int(ctx, "SELECT count(*) FROM hidden", NULL, 0, &n) != BF_OK) {
            free(*user);
            return BF_ERROR;
        }
    }
    return BF_OK;
}

void worker_fini(bf_ctx *ctx, void *user)
{
    int dates = *(int *)user;
    free(user);
    if (is(ctx, "fini_write") || (is(ctx, "fini_write_late") && dates > 0))
        write_upstream(ctx);
    if (is(ctx, "fini_drop"))
        bf_exec(ctx, "DROP TABLE upstream", NULL, 0);
}

int process_date(bf_ctx *ctx, const char *date)
{
    const char *mode = mode_of(ctx);
    bf_value d = BF_V_TEXT(date);
    int64_t limit = 0;
    int *dates = bf_user_data(ctx);
    if (dates)
        ++*dates;
    /* A refused write whose error is dropped: the copy then succeeds. */
    if (strcmp(mode, "ignore_refusal") == 0)
        write_upstream(ctx);
    if (strcmp(mode, "undeclared") == 0)
        return bf_config_int(ctx, "limitz", 1, &limit);
    if (strcmp(mode, "permanent") == 0)
        return bf_set_error(ctx, BF_PERMANENT, "the input for %s can never be read", date);
    if (strcmp(mode, "transient") == 0)
        return bf_set_error(ctx, BF_TRANSIENT, "the feed for %s is not there yet", date);
    /* From the second date on, the core's own statement that moves a
     * validated date into its publish group, word for word. */
    static int dates_seen;
    if (strcmp(mode, "core_sql") == 0 && dates_seen++ > 0) {
        int rc = bf_exec(ctx, "INSERT INTO temp.bf_ready_rogue SELECT * FROM temp.bf_stage_rogue",
                         NULL, 0);
        if (rc != BF_OK)
            return rc;
    }
    if (strcmp(mode, "multi") == 0) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "INSERT INTO %s SELECT game_date, v FROM upstream WHERE game_date = ?1;"
                 " DELETE FROM %s",
                 bf_output_table(ctx), bf_output_table(ctx));
        return bf_exec(ctx, sql, &d, 1);
    }
    for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++) {
        if (strcmp(mode, statements[i].mode) != 0)
            continue;
        int n = strchr(statements[i].sql, '?') ? 1 : 0;
        int rc = bf_exec(ctx, statements[i].sql, &d, n);
        if (rc != BF_OK)
            return rc;
    }
    /* miscount writes nothing and reports what it should have written. */
    if (strcmp(mode, "miscount") == 0 || strcmp(mode, "insert_published") == 0)
        return BF_OK;
    return test_copy(ctx, date, -1);
}

/* A block breaks the same rules, date by date, into the block's staging
 * area: the guard holds there as it does for one date. */
int process_dates(bf_ctx *ctx, const char *first, const char *last, const char *const *dates,
                  size_t n)
{
    (void)first, (void)last;
    int rc = BF_OK;
    for (size_t i = 0; rc == BF_OK && i < n; i++)
        rc = process_date(ctx, dates[i]);
    return rc;
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    if (is(ctx, "validate_reads")) {
        int64_t n;
        if (bf_query_int(ctx, "SELECT count(*) FROM hidden", NULL, 0, &n) != BF_OK)
            return BF_ERROR;
    }
    if (is(ctx, "validate_writes")) {
        char sql[256];
        /* ClickHouse has no DELETE statement: an INSERT is its write. */
        if (strcmp(bf_dialect(ctx), "clickhouse") == 0)
            snprintf(sql, sizeof sql, "INSERT INTO %s SELECT game_date, v FROM upstream LIMIT 1",
                     bf_output_table(ctx));
        else
            snprintf(sql, sizeof sql, "DELETE FROM %s", bf_output_table(ctx));
        if (bf_exec(ctx, sql, NULL, 0) != BF_OK)
            return BF_ERROR;
    }
    if (is(ctx, "validate_ignores"))
        write_upstream(ctx);
    if (is(ctx, "real_count"))
        return bf_query_int(ctx, "SELECT 1.2e16", NULL, 0, &out->actual);
    if (is(ctx, "real_fraction"))
        return bf_query_int(ctx, "SELECT 2.5", NULL, 0, &out->actual);
    if (is(ctx, "text_count"))
        return bf_query_int(ctx, "SELECT 'abc'", NULL, 0, &out->actual);
    int rc = test_validate(ctx, date, out);
    /* Counting upstream (or the published table) instead of the staging
     * area: the figures agree with expected, whatever was written. */
    if (rc == BF_OK && (is(ctx, "miscount") || is(ctx, "insert_published")))
        out->actual = out->expected;
    return rc;
}
