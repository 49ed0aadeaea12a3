/* checked - copies upstream with an id per row, and declares one quality
 * check of each kind. Its config spoils chosen dates, one check each:
 * null_dates (a NULL v), dup_dates (two rows with one id), big_dates (v out
 * of range), short_dates (one row of two: validation lets it through at
 * min_completeness 0.5, the row_count check does not) and odd_dates (a v of
 * 13, which the sql check counts). */
#include "testlib.h"

static const bf_config_key keys[] = {
    {.name = "null_dates", .type = BF_CONFIG_STRING, .description = "a NULL v"},
    {.name = "dup_dates", .type = BF_CONFIG_STRING, .description = "a repeated id"},
    {.name = "big_dates", .type = BF_CONFIG_STRING, .description = "v out of range"},
    {.name = "short_dates", .type = BF_CONFIG_STRING, .description = "one row of two"},
    {.name = "odd_dates", .type = BF_CONFIG_STRING, .description = "a v of 13"},
    {0},
};

static const bf_check checks[] = {
    {.name = "v_present",
     .kind = BF_CHECK_NOT_NULL,
     .column = "v",
     .filter = "id > 0",
     .max_null_share = 0.25},
    {.name = "one_row_per_id", .kind = BF_CHECK_UNIQUE, .column = "game_date, id"},
    {.name = "v_small", .kind = BF_CHECK_RANGE, .column = "v", .min = 0, .max = 100},
    {.name = "whole_day", .kind = BF_CHECK_ROW_COUNT, .min = 0.9, .max = 1.1},
    {.name = "no_thirteen",
     .kind = BF_CHECK_SQL,
     .sql = "SELECT count(*) FROM %s WHERE game_date = ?1 AND v = 13"},
    {0},
};

BF_PLUGIN_MAGIC

static const bf_descriptor descriptor = {
    .name = "checked",
    .output_table = "checked",
    .date_column = "game_date",
    .description = "copies upstream, one quality check of each kind (test)",
    .bootstrap_days = BF_NO_BOOTSTRAP,
    .min_completeness = 0.5,
    .config_keys = keys,
    .checks = checks,
};

const bf_descriptor *backfill_descriptor(void)
{
    return &descriptor;
}

const bf_dependency *dependencies(size_t *count)
{
    *count = 1;
    return upstream_dependency;
}

int prepare(bf_ctx *ctx)
{
    return bf_exec(
        ctx, "CREATE TABLE IF NOT EXISTS checked (game_date TEXT, id INTEGER, v INTEGER)", NULL, 0);
}

/* Run sql on the staged rows if date is listed under key. */
static int spoil(bf_ctx *ctx, const char *key, const char *date, const char *sql)
{
    const char *dates = NULL;
    char stmt[256];
    if (bf_config_string(ctx, key, "", &dates) != BF_OK)
        return BF_ERROR;
    if (!test_listed(dates, date))
        return BF_OK;
    snprintf(stmt, sizeof stmt, sql, bf_output_table(ctx));
    return bf_exec(ctx, stmt, NULL, 0);
}

int process_date(bf_ctx *ctx, const char *date)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s SELECT game_date, v, v FROM upstream WHERE game_date = ?",
             bf_output_table(ctx));
    bf_value d = BF_V_TEXT(date);
    int rc = bf_exec(ctx, sql, &d, 1);
    if (rc == BF_OK)
        rc = spoil(ctx, "null_dates", date, "UPDATE %s SET v = NULL WHERE id = 1");
    if (rc == BF_OK)
        rc = spoil(ctx, "dup_dates", date, "UPDATE %s SET id = 1");
    if (rc == BF_OK)
        rc = spoil(ctx, "big_dates", date, "UPDATE %s SET v = 1000 WHERE id = 2");
    if (rc == BF_OK)
        rc = spoil(ctx, "short_dates", date, "DELETE FROM %s WHERE id = 2");
    if (rc == BF_OK)
        rc = spoil(ctx, "odd_dates", date, "UPDATE %s SET v = 13");
    return rc;
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    return test_validate(ctx, date, out);
}
