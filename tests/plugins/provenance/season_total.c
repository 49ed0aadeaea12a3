/* season_total - a cumulative season figure: the sum of upstream's v over
 * every date of the year (the test's seasons are calendar years) up to the
 * date. Declares LOOKBACK (default BF_LOOKBACK_SEASON) on upstream. Built
 * by tests/e2e/test_season_window.sh, not by make. */
#include "backfill/plugin.h"

#include <stdio.h>

#ifndef LOOKBACK
#define LOOKBACK BF_LOOKBACK_SEASON
#endif

BF_PLUGIN_MAGIC

static const bf_descriptor descriptor = {
    .name = "season_total",
    .output_table = "season_total",
    .date_column = "game_date",
    .description = "upstream's v summed since the season start (test)",
    .thread_safe = 1,
};

const bf_descriptor *backfill_descriptor(void)
{
    return &descriptor;
}

static const bf_dependency deps[] = {{"upstream", "game_date", BF_REQUIRED, 0.0, LOOKBACK}};

const bf_dependency *dependencies(size_t *count)
{
    *count = 1;
    return deps;
}

int prepare(bf_ctx *ctx)
{
    char sql[160];
    snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s (game_date TEXT, total INTEGER)",
             bf_output_table(ctx));
    return bf_exec(ctx, sql, NULL, 0);
}

int process_date(bf_ctx *ctx, const char *date)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s SELECT ?1, sum(v) FROM upstream WHERE game_date <= ?1 AND "
             "game_date >= strftime('%%Y-01-01', ?1) HAVING count(*) > 0",
             bf_output_table(ctx));
    bf_value d = BF_V_TEXT(date);
    return bf_exec(ctx, sql, &d, 1);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    char sql[160];
    bf_value d = BF_V_TEXT(date);
    int rc = bf_query_int(ctx, "SELECT count(*) > 0 FROM upstream WHERE game_date = ?", &d, 1,
                          &out->expected);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE game_date = ?", bf_output_table(ctx));
    return rc != BF_OK ? rc : bf_query_int(ctx, sql, &d, 1, &out->actual);
}
