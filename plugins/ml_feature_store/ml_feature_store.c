/* ml_feature_store - one feature row per player-game, joined from the four
 * other Phase 4 tables: form, shot profile, composite factors and the
 * opponent's defensive zone profile. A player missing from any of them is
 * a missing feature row, and so an incomplete date. */
#include "../nba.h"

static const bf_dependency deps[] = {
    {"player_game_summary", "game_date", BF_REQUIRED, 0, 0},
    {"player_daily_cache", "game_date", BF_REQUIRED, 0, 0},
    {"player_shot_zone_analysis", "game_date", BF_REQUIRED, 0, 0},
    {"player_composite_factors", "game_date", BF_REQUIRED, 0, 0},
    {"team_defense_zone_analysis", "game_date", BF_REQUIRED, 0, 0},
};

static const nba_sql sqlite_sql = {
    .columns = "game_date TEXT, player_id INTEGER, team TEXT, opponent TEXT,"
               " points_last_30 REAL, minutes_last_30 REAL, usage_last_30 REAL, paint_share REAL,"
               " three_share REAL, three_pct REAL, composite REAL, opp_paint_fg_pct REAL,"
               " opp_three_fg_pct REAL, team_pace REAL",
    .insert = "INSERT INTO %s SELECT p.game_date, p.player_id, p.team, p.opponent,"
              " d.avg_points_last_30, d.avg_minutes_last_30, d.avg_usage_last_30, s.paint_share,"
              " s.three_share, s.three_pct, c.composite, z.opp_paint_fg_pct, z.opp_three_fg_pct,"
              " d.team_pace_last_30 FROM player_game_summary p"
              " JOIN player_daily_cache d ON d.game_date = ?1 AND d.player_id = p.player_id"
              " JOIN player_shot_zone_analysis s ON s.game_date = ?1 AND s.player_id = p.player_id"
              " JOIN player_composite_factors c ON c.game_date = ?1 AND c.player_id = p.player_id"
              " JOIN team_defense_zone_analysis z ON z.game_date = ?1 AND z.team = p.opponent"
              " WHERE p.game_date = ?1",
    .insert_block =
        "INSERT INTO %s SELECT p.game_date, p.player_id, p.team, p.opponent,"
        " d.avg_points_last_30, d.avg_minutes_last_30, d.avg_usage_last_30, s.paint_share,"
        " s.three_share, s.three_pct, c.composite, z.opp_paint_fg_pct, z.opp_three_fg_pct,"
        " d.team_pace_last_30 FROM player_game_summary p"
        " JOIN player_daily_cache d ON d.game_date = p.game_date AND d.player_id = p.player_id"
        " JOIN player_shot_zone_analysis s ON s.game_date = p.game_date"
        "   AND s.player_id = p.player_id"
        " JOIN player_composite_factors c ON c.game_date = p.game_date"
        "   AND c.player_id = p.player_id"
        " JOIN team_defense_zone_analysis z ON z.game_date = p.game_date AND z.team = p.opponent"
        " WHERE" SQLITE_IN_BLOCK("p.game_date"),
    .expected = "SELECT count(*) FROM player_game_summary WHERE game_date = ?1",
};

static const nba_sql clickhouse_sql = {
    .columns = "game_date Date, player_id Int64, team String, opponent String,"
               " points_last_30 Nullable(Float64), minutes_last_30 Nullable(Float64),"
               " usage_last_30 Nullable(Float64), paint_share Nullable(Float64),"
               " three_share Nullable(Float64), three_pct Nullable(Float64),"
               " composite Nullable(Float64), opp_paint_fg_pct Nullable(Float64),"
               " opp_three_fg_pct Nullable(Float64), team_pace Nullable(Float64)",
    .table_options = "ENGINE = MergeTree PARTITION BY game_date ORDER BY player_id",
    .insert =
        "INSERT INTO %s SELECT game_date, player_id, team, opponent, d_points, d_minutes,"
        " d_usage, s_paint, s_three, s_three_pct, c_composite, z_paint, z_three, d_pace"
        " FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT game_date, player_id, team,"
        "         opponent FROM player_game_summary WHERE game_date = ?1)"
        "       ALL INNER JOIN (SELECT player_id, avg_points_last_30 AS d_points,"
        "         avg_minutes_last_30 AS d_minutes, avg_usage_last_30 AS d_usage,"
        "         team_pace_last_30 AS d_pace FROM player_daily_cache WHERE game_date = ?1)"
        "       USING player_id)"
        "     ALL INNER JOIN (SELECT player_id, paint_share AS s_paint, three_share AS s_three,"
        "       three_pct AS s_three_pct FROM player_shot_zone_analysis WHERE game_date = ?1)"
        "     USING player_id)"
        "   ALL INNER JOIN (SELECT player_id, composite AS c_composite"
        "     FROM player_composite_factors WHERE game_date = ?1) USING player_id)"
        " ALL INNER JOIN (SELECT team AS opponent, opp_paint_fg_pct AS z_paint,"
        "   opp_three_fg_pct AS z_three FROM team_defense_zone_analysis WHERE game_date = ?1)"
        " USING opponent",
    /* clang-format off */
    .insert_block =
        "INSERT INTO %s SELECT game_date, player_id, team, opponent, d_points, d_minutes,"
        " d_usage, s_paint, s_three, s_three_pct, c_composite, z_paint, z_three, d_pace"
        " FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT game_date, player_id, team,"
        "         opponent FROM player_game_summary WHERE" CLICKHOUSE_IN_BLOCK("game_date") ")"
        "       ALL INNER JOIN (SELECT game_date, player_id, avg_points_last_30 AS d_points,"
        "         avg_minutes_last_30 AS d_minutes, avg_usage_last_30 AS d_usage,"
        "         team_pace_last_30 AS d_pace FROM player_daily_cache"
        "         WHERE" CLICKHOUSE_IN_BLOCK("game_date") ") USING (game_date, player_id))"
        "     ALL INNER JOIN (SELECT game_date, player_id, paint_share AS s_paint,"
        "       three_share AS s_three, three_pct AS s_three_pct FROM player_shot_zone_analysis"
        "       WHERE" CLICKHOUSE_IN_BLOCK("game_date") ") USING (game_date, player_id))"
        "   ALL INNER JOIN (SELECT game_date, player_id, composite AS c_composite"
        "     FROM player_composite_factors WHERE" CLICKHOUSE_IN_BLOCK("game_date") ")"
        "   USING (game_date, player_id))"
        " ALL INNER JOIN (SELECT game_date, team AS opponent, opp_paint_fg_pct AS z_paint,"
        "   opp_three_fg_pct AS z_three FROM team_defense_zone_analysis"
        "   WHERE" CLICKHOUSE_IN_BLOCK("game_date") ") USING (game_date, opponent)",
    /* clang-format on */
    .expected = "SELECT count(*) FROM player_game_summary WHERE game_date = ?1",
};

static const nba_dialect dialects[] = {{"sqlite", &sqlite_sql}, {"clickhouse", &clickhouse_sql}};

NBA_PROCESSOR("ml_feature_store", "one model feature row per player-game", 14)
