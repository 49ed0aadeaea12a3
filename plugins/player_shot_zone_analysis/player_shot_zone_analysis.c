/* player_shot_zone_analysis - for each player who played on the date, the
 * share and accuracy of his shots by zone (paint, mid-range, three) over
 * the previous 30 days. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"player_game_summary", "game_date", BF_REQUIRED, 0, 30},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, player_id INTEGER, team TEXT, games INTEGER, fga INTEGER,"
               " paint_share REAL, mid_share REAL, three_share REAL, paint_pct REAL,"
               " mid_pct REAL, three_pct REAL",
    .indexes = {"game_date, player_id"}, /* the key later processors join on */
    .insert = "INSERT INTO %s SELECT p.game_date, p.player_id, p.team, count(w.player_id),"
              " coalesce(sum(w.fga), 0), 1.0 * sum(w.paint_fga) / NULLIF(sum(w.fga), 0),"
              " 1.0 * sum(w.mid_fga) / NULLIF(sum(w.fga), 0),"
              " 1.0 * sum(w.three_fga) / NULLIF(sum(w.fga), 0),"
              " 1.0 * sum(w.paint_fgm) / NULLIF(sum(w.paint_fga), 0),"
              " 1.0 * sum(w.mid_fgm) / NULLIF(sum(w.mid_fga), 0),"
              " 1.0 * sum(w.three_fgm) / NULLIF(sum(w.three_fga), 0)" SQLITE_PLAYER_LAST_30_DAYS,
    .insert_block =
        "INSERT INTO %s SELECT p.game_date, p.player_id, p.team, count(w.player_id),"
        " coalesce(sum(w.fga), 0), 1.0 * sum(w.paint_fga) / NULLIF(sum(w.fga), 0),"
        " 1.0 * sum(w.mid_fga) / NULLIF(sum(w.fga), 0),"
        " 1.0 * sum(w.three_fga) / NULLIF(sum(w.fga), 0),"
        " 1.0 * sum(w.paint_fgm) / NULLIF(sum(w.paint_fga), 0),"
        " 1.0 * sum(w.mid_fgm) / NULLIF(sum(w.mid_fga), 0),"
        " 1.0 * sum(w.three_fgm) / NULLIF(sum(w.three_fga), 0)" SQLITE_PLAYER_LAST_30_DAYS_BLOCK,
    .expected = "SELECT count(*) FROM player_game_summary WHERE game_date = ?1",
};

static const nba_sql clickhouse_sql = {
    .columns = "game_date Date, player_id Int64, team String, games Int64, fga Int64,"
               " paint_share Nullable(Float64), mid_share Nullable(Float64),"
               " three_share Nullable(Float64), paint_pct Nullable(Float64),"
               " mid_pct Nullable(Float64), three_pct Nullable(Float64)",
    .table_options = "ENGINE = MergeTree PARTITION BY game_date ORDER BY player_id",
    .insert = "INSERT INTO %s SELECT game_date, player_id, team, coalesce(games, 0),"
              " coalesce(w_fga, 0), w_paint_fga / nullIf(w_fga, 0), w_mid_fga / nullIf(w_fga, 0),"
              " w_three_fga / nullIf(w_fga, 0), w_paint_fgm / nullIf(w_paint_fga, 0),"
              " w_mid_fgm / nullIf(w_mid_fga, 0), w_three_fgm / nullIf(w_three_fga, 0)"
              " FROM player_game_summary ALL LEFT JOIN (SELECT player_id, count() AS games,"
              "   sum(fga) AS w_fga, sum(paint_fga) AS w_paint_fga, sum(mid_fga) AS w_mid_fga,"
              "   sum(three_fga) AS w_three_fga, sum(paint_fgm) AS w_paint_fgm,"
              "   sum(mid_fgm) AS w_mid_fgm, sum(three_fgm) AS w_three_fgm"
              "   FROM player_game_summary WHERE game_date < ?1 AND game_date >= toDate(?1) - 30 "
              "GROUP BY player_id) USING player_id"
              " WHERE game_date = ?1",
    /* Each date's own window: the rows of the 30 days before it, grouped
     * by the date they count for. */
    /* clang-format off */
    .insert_block =
        "INSERT INTO %s SELECT game_date, player_id, team, coalesce(games, 0),"
        " coalesce(w_fga, 0), w_paint_fga / nullIf(w_fga, 0), w_mid_fga / nullIf(w_fga, 0),"
        " w_three_fga / nullIf(w_fga, 0), w_paint_fgm / nullIf(w_paint_fga, 0),"
        " w_mid_fgm / nullIf(w_mid_fga, 0), w_three_fgm / nullIf(w_three_fga, 0)"
        " FROM player_game_summary ALL LEFT JOIN (SELECT d AS game_date, player_id,"
        "   count() AS games, sum(fga) AS w_fga, sum(paint_fga) AS w_paint_fga,"
        "   sum(mid_fga) AS w_mid_fga, sum(three_fga) AS w_three_fga,"
        "   sum(paint_fgm) AS w_paint_fgm, sum(mid_fgm) AS w_mid_fgm,"
        "   sum(three_fgm) AS w_three_fgm"
        "   FROM" CLICKHOUSE_LAST_30_DAYS_BLOCK("player_id, fga, paint_fga, mid_fga, three_fga,"
                                               " paint_fgm, mid_fgm, three_fgm",
                                               "player_game_summary")
        "   GROUP BY game_date, player_id) USING (game_date, player_id)"
        " WHERE" CLICKHOUSE_IN_BLOCK("game_date"),
    /* clang-format on */
    .expected = "SELECT count(*) FROM player_game_summary WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}, {"clickhouse", &clickhouse_sql}};

NBA_PROCESSOR("player_shot_zone_analysis", "shot-zone shares and accuracy, last 30 days", 14)
