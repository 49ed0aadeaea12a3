/* last_games - a processor that averages each team's last 5 games before
 * the date, as a new plugin author writes it: with LOOKBACK 0 it declares
 * no window, so it reads more history than it says. Reads table games
 * (game_date, team, pts); writes (game_date, team, avg_pts) for each team
 * playing on the date (on ClickHouse: each team with an earlier game).
 * Built by tests/e2e/test_verify_inputs.sh and
 * test_clickhouse_verify_inputs.sh with -DLOOKBACK=N, not by make. */
#include "backfill/plugin.h"

#include <stdio.h>
#include <string.h>

#ifndef LOOKBACK
#define LOOKBACK 0
#endif

BF_PLUGIN_MAGIC

static const bf_descriptor descriptor = {
    .name = "last_games",
    .output_table = "last_games",
    .date_column = "game_date",
    .description = "each team's average over its last 5 games (test)",
    .thread_safe = 1,
};

const bf_descriptor *backfill_descriptor(void)
{
    return &descriptor;
}

static const bf_dependency deps[] = {{"games", "game_date", BF_REQUIRED, 0.0, LOOKBACK}};

const bf_dependency *dependencies(size_t *count)
{
    *count = 1;
    return deps;
}

static int clickhouse(bf_ctx *ctx)
{
    return strcmp(bf_dialect(ctx), "clickhouse") == 0;
}

int prepare(bf_ctx *ctx)
{
    char sql[256];
    if (clickhouse(ctx)) {
        snprintf(sql, sizeof sql,
                 "CREATE TABLE IF NOT EXISTS %s (game_date Date, team String, avg_pts Float64) "
                 "ENGINE = MergeTree PARTITION BY game_date ORDER BY team",
                 bf_output_table(ctx));
        return bf_exec(ctx, sql, NULL, 0);
    }
    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS %s (game_date TEXT, team TEXT, avg_pts REAL)",
             bf_output_table(ctx));
    return bf_exec(ctx, sql, NULL, 0);
}

int process_date(bf_ctx *ctx, const char *date)
{
    char sql[512];
    if (clickhouse(ctx)) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO %s SELECT toDate(?), team, avg(pts) FROM (SELECT team, pts FROM "
                 "games WHERE game_date < toDate(?) ORDER BY game_date DESC LIMIT 5 BY team) "
                 "WHERE team IN (SELECT team FROM games WHERE game_date = toDate(?)) GROUP BY team",
                 bf_output_table(ctx));
        bf_value d3[3] = {BF_V_TEXT(date), BF_V_TEXT(date), BF_V_TEXT(date)};
        return bf_exec(ctx, sql, d3, 3);
    }
    snprintf(sql, sizeof sql,
             "INSERT INTO %s SELECT ?1, g.team, (SELECT avg(pts) FROM (SELECT pts FROM games h "
             "WHERE h.team = g.team AND h.game_date < ?1 ORDER BY h.game_date DESC LIMIT 5)) "
             "FROM games g WHERE g.game_date = ?1",
             bf_output_table(ctx));
    bf_value d = BF_V_TEXT(date);
    return bf_exec(ctx, sql, &d, 1);
}

int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)
{
    char sql[160];
    bf_value d = BF_V_TEXT(date);
    int rc;
    if (clickhouse(ctx)) {
        bf_value d2[2] = {BF_V_TEXT(date), BF_V_TEXT(date)};
        rc = bf_query_int(ctx,
                          "SELECT count() FROM (SELECT DISTINCT team FROM games WHERE game_date = "
                          "toDate(?) AND team IN (SELECT team FROM games WHERE game_date < "
                          "toDate(?)))",
                          d2, 2, &out->expected);
    } else {
        rc = bf_query_int(ctx, "SELECT count(*) FROM games WHERE game_date = ?", &d, 1,
                          &out->expected);
    }
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE game_date = ?", bf_output_table(ctx));
    return rc != BF_OK ? rc : bf_query_int(ctx, sql, &d, 1, &out->actual);
}
